pflow mcp add ./billing.json >/dev/null && pflow mcp sync billing >/dev/null
BILLING_USER_TOKEN=not-a-token pflow probe mcp-billing-billing-shout text="who pays?"
pflow probe mcp-billing-billing-shout text="who pays?"
