pflow -p --output-format json ./notes-across-expiry.pflow.md text="buy milk" </dev/null > run.json
jq '.result | (.first_token, .second_token) |= tostring' run.json
jq -e '.result.first_token != .result.second_token' run.json
grep -E "$(jq -r '"\(.result.first_token)|\(.result.second_token)"' run.json)" authorization-server.log
