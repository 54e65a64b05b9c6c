// A real OpenID provider for the tests (npm's certified `oidc-provider`), on loopback.
//
// Started by the `oidc_provider` fixture (tests/oidc_support.py) with its settings as JSON in
// OIDC_TEST_SETTINGS: {client_id, client_secret, redirect_uris, accounts: {login: claims}}.
// It listens on a free port of 127.0.0.1, prints {"issuer": ...} as its first line, and serves
// the provider's own development sign-in pages: any password, a login from `accounts`.
import http from 'node:http';

import Provider from 'oidc-provider';

const settings = JSON.parse(process.env.OIDC_TEST_SETTINGS);

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: settings.client_id,
      client_secret: settings.client_secret,
      redirect_uris: settings.redirect_uris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    async findAccount(ctx, id) {
      const claims = settings.accounts[id];
      if (!claims) return undefined;
      return { accountId: id, async claims() { return { sub: id, ...claims }; } };
    },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'groups'],
    },
    // Like Microsoft Entra ID: the claims are in the ID token, not only at the userinfo endpoint.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    cookies: { keys: ['cia-test-provider-cookie-key-0123456789'] },
    features: { devInteractions: { enabled: true } },
  });
  provider.on('server_error', (ctx, error) => console.error('provider error:', error));
  server.on('request', provider.callback());
  console.log(JSON.stringify({ issuer }));
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
