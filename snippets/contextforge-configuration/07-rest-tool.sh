curl --fail-with-body -sS -X POST "http://127.0.0.1:${CONTEXTFORGE_PORT:-4444}/v1/tools" \
  -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" -H "Content-Type: application/json" \
  -d @- <<JSON | jq -c 'if .id then {name, integrationType, requestType, url} else . end'
{"tool": {
  "name": "convert_temperature",
  "description": "Convert degrees Celsius to Fahrenheit.",
  "integration_type": "REST",
  "request_type": "GET",
  "url": "http://127.0.0.1:${REST_SERVICE_PORT:-8103}/convert",
  "input_schema": {"type": "object", "properties": {"celsius": {"type": "number"}}, "required": ["celsius"]}
}}
JSON
