curl -s -X POST "http://127.0.0.1:${CONTEXTFORGE_PORT:-4444}/v1/tools" \
  -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" -H "Content-Type: application/json" \
  -d @- <<JSON | jq -c '{name, integrationType, requestType, url}'
{"tool": {
  "name": "convert_temperature",
  "description": "Convert degrees Celsius to Fahrenheit.",
  "integration_type": "REST",
  "request_type": "GET",
  "url": "http://127.0.0.1:${REST_SERVICE_PORT:-8103}/convert",
  "input_schema": {"type": "object", "properties": {"celsius": {"type": "number"}}, "required": ["celsius"]}
}}
JSON
