curl -s -i "$RATELIMITED_URL/v1/tools" -H "Authorization: Bearer $RATELIMITED_TOKEN" \
  | grep -iE '^(HTTP|retry-after|x-ratelimit)|detail'
