// The lab's OAuth 2 authorization server: oidc-provider (npm, pinned in package-lock.json), configured
// here and nothing more. All OAuth logic (client authentication, grants, token lifetimes,
// introspection) is the library's.
//
//   node authorization-server.mjs --port 9400
//
// It knows two clients, from the environment:
//   GATEWAY_CLIENT_ID / GATEWAY_CLIENT_SECRET  the gateway: client credentials grant, scopes notes:read notes:write
//   NOTES_CLIENT_ID / NOTES_CLIENT_SECRET      the notes backend: may only introspect tokens
// and one protected resource, NOTES_URL (the backend's MCP endpoint), whose access tokens live
// AUTH_TOKEN_TTL seconds (default 10). Each token issued or refused is logged on one line; a token
// is named by the first 8 hex digits of its SHA-256, never by its value. AUTH_OPEN_REGISTRATION=1
// also lets any client register itself (RFC 7591), as `docker mcp oauth authorize` wants.
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';

import Provider, { errors } from 'oidc-provider';

const { values: args } = parseArgs({ options: { port: { type: 'string' } } });
const env = (name) => {
  if (!process.env[name]) {
    console.error(`authorization-server: ${name} is not set`);
    process.exit(2);
  }
  return process.env[name];
};
const port = Number(args.port ?? env('AUTH_SERVER_PORT'));
const ttl = Number(process.env.AUTH_TOKEN_TTL ?? 10);
const resource = env('NOTES_URL');
const scopes = 'notes:read notes:write';
const openRegistration = process.env.AUTH_OPEN_REGISTRATION === '1';
const tokenId = (value) => createHash('sha256').update(value).digest('hex').slice(0, 8);
const log = (line) => console.log(`${new Date().toISOString()} ${line}`);

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      client_id: env('GATEWAY_CLIENT_ID'),
      client_secret: env('GATEWAY_CLIENT_SECRET'),
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      scope: scopes,
      // What ContextForge sends unless told otherwise.
      token_endpoint_auth_method: 'client_secret_post',
    },
    {
      client_id: env('NOTES_CLIENT_ID'),
      client_secret: env('NOTES_CLIENT_SECRET'),
      grant_types: [],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  // `offline_access` turns on the refresh token grant, which self-registering clients ask for.
  scopes: [...scopes.split(' '), ...(openRegistration ? ['offline_access'] : [])],
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    registration: { enabled: openRegistration },
    introspection: {
      enabled: true,
      // Only the resource server may ask about tokens.
      allowedPolicy: (ctx, client) => client.clientId === process.env.NOTES_CLIENT_ID,
    },
    resourceIndicators: {
      enabled: true,
      // ContextForge 1.1.0 names the API it wants a token for in `audience` (as Auth0 does), not
      // in RFC 8707's `resource`: a request without `resource` gets the resource its `audience` names.
      defaultResource: (ctx, client, oneOf) => oneOf ?? ctx.oidc.body?.audience ?? undefined,
      getResourceServerInfo: (ctx, indicator) => {
        if (indicator !== resource) throw new errors.InvalidTarget(`unknown resource: ${indicator}`);
        return { scope: scopes, audience: resource, accessTokenTTL: ttl, accessTokenFormat: 'opaque' };
      },
    },
  },
  ttl: { ClientCredentials: ttl },
});

provider.on('client_credentials.saved', (token) => {
  const audience = token.resourceServer?.audience ?? '(none)';
  log(
    `issued access token ${tokenId(token.jti)} to ${token.clientId}: ` +
      `scope "${token.scope ?? ''}", audience ${audience}, expires in ${token.expiration} s`,
  );
});
provider.on('grant.error', (ctx, error) => {
  const client = ctx.oidc.client?.clientId ?? ctx.oidc.params?.client_id ?? '(unknown client)';
  log(`refused a token request from ${client}: ${error.error} (${error.error_description})`);
});
provider.on('registration_create.success', (ctx, client) => {
  log(`registered client ${client.clientId} (${client.clientName ?? 'no name'}), redirect_uris ${client.redirectUris}`);
});
for (const event of ['introspection.error', 'registration_create.error', 'server_error']) {
  provider.on(event, (ctx, error) => log(`${event}: ${error.error ?? error.message} (${error.error_description ?? ''})`));
}

provider.listen(port, '127.0.0.1', () => log(`authorization server ready at http://127.0.0.1:${port}`));
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    log(`stopping (${signal})`);
    process.exit(0);
  });
}
