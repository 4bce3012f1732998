// OAuth2Client and the `oauth2` option: PKCE, the code exchange, refresh (before expiry, on a refused token, shared,
// repeated once), the 1.39 public-client limit, the wire rules of a Bearer on api.php and rest.php, and every OAuth
// error shape. Server answers are copied from ../shared/reference/oauthlab-example/transcript.md (REL1_39).
import { describe, it, before, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BUILDS, loadBuild, json, networkError, wiki, q, form } from './harness.mjs';

const PAGE = 'https://tools.example.net';
const REDIRECT = `${PAGE}/callback.html`;
// #49 (shape; the JWTs shortened)
const tokens = (n, expires = 3600) => ({ token_type: 'Bearer', expires_in: expires, access_token: `eyJ.access${n}.sig`, refresh_token: `def50200refresh${n}` });
// #59, #61, #92, #95, #1951 of the transcript
const INVALID_CLIENT = { error: 'invalid_client', error_description: 'Client authentication failed', message: 'Client authentication failed' };
const REVOKED = { error: 'invalid_request', error_description: 'The refresh token is invalid.', hint: 'Token has been revoked', message: 'The refresh token is invalid.' };
const API_INVALID = { error: { code: 'mwoauth-invalid-authorization', info: 'The authorization headers in your request are not valid: Invalid access token', '*': 'See http://127.0.0.2:8392/w/api.php for API usage.' } };
const REST_DENIED = { error: 'rest-read-denied', httpCode: 403, httpReason: 'Forbidden' };
const USERINFO = { batchcomplete: true, query: { userinfo: { id: 3, name: 'Tester' } } };

const b64url = (buf) => buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const isToken = (r) => r.u.pathname.endsWith('/oauth2/access_token');

for (const kind of BUILDS) {
  describe(`OAuth 2 [${kind}]`, () => {
    let env;
    let lib;
    before(async () => {
      env = await loadBuild(kind);
      lib = env.lib;
    });
    afterEach(() => env.reset());

    async function authorized(b, options = {}, issued = tokens(1)) {
      const client = new lib.OAuth2Client({ restUrl: b.rest, clientId: 'cid', redirectUri: REDIRECT, ...options });
      const { url, state } = await client.authorizationUrl();
      env.net.reply(() => json(issued));
      await client.completeAuthorization(`${REDIRECT}?code=CODE&state=${state}`);
      env.net.reset();
      return { client, url: new URL(url), state };
    }

    it('authorize URL: rest.php/oauth2/authorize, S256 challenge of the verifier sent at the exchange, fresh state', async () => {
      env.setPage({ origin: PAGE });
      const b = wiki();
      const client = new lib.OAuth2Client({ restUrl: b.rest, clientId: 'cid', redirectUri: REDIRECT });
      const first = await client.authorizationUrl();
      const { url, state } = await client.authorizationUrl();
      assert.notEqual(first.state, state);
      const u = new URL(url);
      assert.equal(u.origin + u.pathname, `${b.rest}/oauth2/authorize`);
      assert.equal(u.searchParams.get('response_type'), 'code');
      assert.equal(u.searchParams.get('client_id'), 'cid');
      assert.equal(u.searchParams.get('redirect_uri'), REDIRECT);
      assert.equal(u.searchParams.get('code_challenge_method'), 'S256');
      assert.match(state, /^[A-Za-z0-9_-]{43}$/);
      env.net.reply(() => json(tokens(1)));
      const got = await client.completeAuthorization(`${REDIRECT}?code=CODE&state=${state}`);
      assert.equal(got.accessToken, 'eyJ.access1.sig');
      const [r] = env.net.requests;
      assert.equal(r.method, 'POST');
      assert.equal(r.credentials, 'omit');
      const f = Object.fromEntries(form(r));
      assert.equal(f.grant_type, 'authorization_code');
      assert.equal(f.code, 'CODE');
      assert.equal(f.redirect_uri, REDIRECT);
      assert.equal(f.client_secret, undefined); // a public client sends no secret
      assert.equal(b64url(createHash('sha256').update(f.code_verifier).digest()), u.searchParams.get('code_challenge'));
    });

    it('a callback with another state is refused and no code is exchanged; a used state is gone', async () => {
      const b = wiki();
      const client = new lib.OAuth2Client({ restUrl: b.rest, clientId: 'cid', redirectUri: REDIRECT });
      const { state } = await client.authorizationUrl();
      await assert.rejects(client.completeAuthorization(`${REDIRECT}?code=C&state=forged`),
        (e) => e instanceof lib.OAuthError && e.code === 'oauth2-state-mismatch');
      await assert.rejects(client.completeAuthorization(`${REDIRECT}?code=C&state=${state}`),
        (e) => e.code === 'oauth2-state-mismatch'); // the first callback consumed the pending state
      assert.equal(env.net.requests.length, 0);
    });

    it('the server\'s token-endpoint errors are OAuthErrors with its code (invalid_client, #59)', async () => {
      const b = wiki();
      const client = new lib.OAuth2Client({ restUrl: b.rest, clientId: 'cid', redirectUri: REDIRECT });
      const { state } = await client.authorizationUrl();
      env.net.reply(() => json(INVALID_CLIENT, { status: 401 }));
      await assert.rejects(client.completeAuthorization(`${REDIRECT}?code=C&state=${state}`), (e) =>
        e instanceof lib.OAuthError && e.name === 'OAuthError' && e.code === 'invalid_client' && e.status === 401 &&
        /Client authentication failed/.test(e.message));
    });

    it('serialize / deserialize through the caller\'s storage', async () => {
      const b = wiki();
      const store = new Map();
      const storage = { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => store.set(k, v), removeItem: (k) => store.delete(k) };
      const { client } = await authorized(b, { storage });
      const again = new lib.OAuth2Client({ restUrl: b.rest, clientId: 'cid', storage });
      assert.equal(again.currentToken(), 'eyJ.access1.sig');
      const other = new lib.OAuth2Client({ restUrl: b.rest, clientId: 'cid' });
      other.deserialize(client.serialize());
      assert.equal(await other.accessToken(), 'eyJ.access1.sig');
      client.signOut();
      assert.equal(new lib.OAuth2Client({ restUrl: b.rest, clientId: 'cid', storage }).isAuthorized(), false);
    });

    it('REST with oauth2: Authorization Bearer (the real token, only at the wire), credentials omitted', async () => {
      env.setPage({ origin: PAGE });
      const b = wiki();
      const { client } = await authorized(b);
      env.net.reply(() => json({ username: 'Tester' }));
      const rest = new lib.ForeignRest(b.rest, { oauth2: client });
      await rest.get('/oauth2/resource/profile');
      const [r] = env.net.requests;
      assert.equal(r.headers.authorization, 'Bearer eyJ.access1.sig');
      assert.equal(r.credentials, 'omit');
      assert.equal(q(r, 'origin'), null);
    });

    it('api.php with oauth2 on 1.39: origin=<page origin>, never origin=*, no crossorigin; crossorigin: true on >= 1.44', async () => {
      env.setPage({ origin: PAGE });
      const b = wiki();
      const { client } = await authorized(b);
      env.net.reply(() => json(USERINFO));
      await new lib.ForeignApi(b.api, { oauth2: client }).get({ meta: 'userinfo' });
      await new lib.ForeignApi(b.api, { oauth2: client, crossorigin: true }).get({ meta: 'userinfo' });
      const [old, modern] = env.net.requests;
      assert.equal(q(old, 'origin'), PAGE);
      assert.equal(q(old, 'crossorigin'), null);
      assert.equal(old.headers.authorization, 'Bearer eyJ.access1.sig');
      assert.equal(old.credentials, 'omit');
      assert.equal(q(modern, 'crossorigin'), '1');
      assert.equal(q(modern, 'origin'), null);
    });

    it('traces show the token exchange and the calls with no token value anywhere', async () => {
      env.setPage({ origin: PAGE });
      const b = wiki();
      const entries = [];
      const stop = lib.onTrace((e) => entries.push(e));
      try {
        const { client } = await authorized(b);
        env.net.reply(() => json(USERINFO));
        await new lib.ForeignApi(b.api, { oauth2: client }).get({ meta: 'userinfo' });
      } finally {
        stop();
      }
      assert.ok(entries.some((e) => e.purpose === 'oauth2-code' && e.phase === 'response' && e.status === 200));
      assert.ok(entries.some((e) => e.purpose === 'call' && e.phase === 'response'));
      const text = JSON.stringify(entries);
      assert.ok(!text.includes('access1') && !text.includes('refresh1') && !text.includes('CODE'), text);
    });

    it('api.php refuses the token (#92): one shared refresh with the secret, the call repeated once, as the new token', async () => {
      env.setPage({ origin: PAGE });
      const b = wiki();
      const { client } = await authorized(b, { clientSecret: 'issued-secret' });
      env.net.reply((r) => {
        if (isToken(r)) return json(tokens(2));
        return json(r.headers.authorization === 'Bearer eyJ.access2.sig' ? USERINFO : API_INVALID,
          { headers: r.headers.authorization === 'Bearer eyJ.access2.sig' ? {} : { 'mediawiki-api-error': 'mwoauth-invalid-authorization' } });
      });
      const api = new lib.ForeignApi(b.api, { oauth2: client });
      // different parameters: identical GETs would be coalesced into one request
      const results = await Promise.all([api.get({ meta: 'userinfo' }), api.get({ meta: 'userinfo', uiprop: 'groups' })]);
      assert.deepEqual(results.map((r) => r.query.userinfo.name), ['Tester', 'Tester']);
      const refreshes = env.net.requests.filter(isToken);
      assert.equal(refreshes.length, 1, 'concurrent calls share one refresh (it rotates both tokens)');
      const f = Object.fromEntries(form(refreshes[0]));
      assert.deepEqual([f.grant_type, f.refresh_token, f.client_secret], ['refresh_token', 'def50200refresh1', 'issued-secret']);
      assert.equal(env.net.requests.filter((r) => !isToken(r)).length, 4); // two refused, two repeated
      assert.equal(client.currentToken(), 'eyJ.access2.sig');
    });

    it('REST 403 rest-read-denied with a Bearer (#95) is an OAuthError; refused again after the refresh: no third try', async () => {
      env.setPage({ origin: PAGE });
      const b = wiki();
      const { client } = await authorized(b, { clientSecret: 's' });
      env.net.reply((r) => (isToken(r) ? json(tokens(2)) : json(REST_DENIED, { status: 403 })));
      const rest = new lib.ForeignRest(b.rest, { oauth2: client });
      await assert.rejects(rest.put('/v1/page/{t}', { source: 'x' }, {}, { pathParams: { t: 'P' } }), (e) =>
        e instanceof lib.OAuthError && e.code === 'rest-read-denied' && e.status === 403 && e.performed === 'no');
      const calls = env.net.requests.filter((r) => !isToken(r));
      assert.equal(calls.length, 2);
      assert.equal(env.net.requests.filter(isToken).length, 1);
    });

    it('a public client on 1.39 (no secret): a refused token is oauth2-reauthorize, no refresh request, no loop', async () => {
      env.setPage({ origin: PAGE });
      const b = wiki();
      const { client } = await authorized(b);
      env.net.reply(() => json(API_INVALID, { headers: { 'mediawiki-api-error': 'mwoauth-invalid-authorization' } }));
      await assert.rejects(new lib.ForeignApi(b.api, { oauth2: client }).get({ meta: 'userinfo' }), (e) =>
        e instanceof lib.OAuthError && e.code === 'oauth2-reauthorize' && e.reauthorize && /1\.46/.test(e.message));
      assert.equal(env.net.requests.length, 1);
      assert.equal(client.isAuthorized(), false);
      await assert.rejects(new lib.ForeignApi(b.api, { oauth2: client }).get({ meta: 'userinfo' }), (e) => e.code === 'oauth2-reauthorize');
      assert.equal(env.net.requests.length, 1, 'nothing is sent without a token');
    });

    it('refresh before expiry; a revoked refresh token (#61) is an OAuthError the user must re-authorize after', async () => {
      env.setPage({ origin: PAGE });
      const b = wiki();
      let t = 1_000_000;
      const { client } = await authorized(b, { clientSecret: 's', clock: () => t }, tokens(1, 5));
      t += 3000; // within the margin (half of 5 s)
      env.net.reply((r) => (isToken(r) ? json(tokens(2, 5)) : json(USERINFO)));
      await new lib.ForeignApi(b.api, { oauth2: client }).get({ meta: 'userinfo' });
      assert.deepEqual(env.net.requests.map((r) => (isToken(r) ? 'refresh' : r.headers.authorization)), ['refresh', 'Bearer eyJ.access2.sig']);
      env.net.reset();
      t += 10000;
      env.net.reply(() => json(REVOKED, { status: 401 }));
      await assert.rejects(new lib.ForeignApi(b.api, { oauth2: client }).get({ meta: 'userinfo' }), (e) =>
        e instanceof lib.OAuthError && e.code === 'invalid_request' && e.reauthorize && /revoked/.test(e.message));
      assert.equal(env.net.requests.length, 1);
      assert.equal(client.isAuthorized(), false);
    });

    it('api.php from an origin the wiki does not list: OAuthError oauth-api-origin after two anonymous probes', async () => {
      env.setPage({ origin: PAGE });
      const b = wiki();
      const { client } = await authorized(b);
      env.net.reply((r) => {
        if (r.headers.authorization) return networkError(); // the preflight fails: PreflightMissingAllowOriginHeader
        if (q(r, 'origin') === '*') return json({ query: { general: { generator: 'MediaWiki 1.39.17' } } });
        return networkError(); // origin=<page>: no Access-Control-Allow-Origin, unreadable
      });
      await assert.rejects(new lib.ForeignApi(b.api, { oauth2: client }).get({ meta: 'userinfo' }), (e) =>
        e instanceof lib.OAuthError && e.code === 'oauth-api-origin' && /ForeignRest/.test(e.message) &&
        /1\.39\.17/.test(e.message) && !e.message.includes('access1'));
      const probes = env.net.requests.filter((r) => !r.headers.authorization);
      assert.deepEqual(probes.map((r) => q(r, 'origin')).sort(), ['*', PAGE].sort());
      assert.ok(probes.every((r) => r.credentials === 'omit'));
    });

    it('api.php from an unlisted origin on MediaWiki >= 1.44: learned, repeated once with crossorigin, remembered', async () => {
      env.setPage({ origin: PAGE });
      const b = wiki();
      const { client } = await authorized(b);
      env.net.reply((r) => {
        if (r.headers.authorization) return q(r, 'crossorigin') === '1' && q(r, 'origin') === null ? json(USERINFO) : networkError();
        if (q(r, 'origin') === '*') return json({ query: { general: { generator: 'MediaWiki 1.44.0-wmf.3' } } });
        return networkError();
      });
      const data = await new lib.ForeignApi(b.api, { oauth2: client }).get({ meta: 'userinfo' });
      assert.equal(data.query.userinfo.name, 'Tester');
      const bearer = env.net.requests.filter((r) => r.headers.authorization);
      assert.deepEqual(bearer.map((r) => [q(r, 'origin'), q(r, 'crossorigin')]), [[PAGE, null], [null, '1']],
        'first origin=<page> (refused before it was sent), then once with crossorigin');
      // Another instance for the same wiki starts with crossorigin: no refused attempt, no probes.
      env.net.requests.length = 0;
      await new lib.ForeignApi(b.api, { oauth2: client }).get({ meta: 'userinfo' });
      assert.deepEqual(env.net.requests.map((r) => [q(r, 'origin'), q(r, 'crossorigin')]), [[null, '1']]);
    });

    it('the auth choice: anonymous wins over oauth2 and CentralAuth, oauth2 over CentralAuth', async () => {
      env.setPage({ origin: PAGE });
      const b = wiki();
      const { client } = await authorized(b);
      env.net.reply(() => json(USERINFO));
      const central = { centralAuth: 'https://a.example.org/w/api.php', localUser: 'Tester' };
      await new lib.ForeignApi(b.api, { anonymous: true, oauth2: client, ...central }).get({ meta: 'userinfo' });
      await new lib.ForeignApi(b.api, { oauth2: client, ...central }).get({ meta: 'userinfo' });
      const [anonymous, bearer] = env.net.requests;
      assert.equal(q(anonymous, 'origin'), '*');
      assert.equal(anonymous.headers.authorization, undefined);
      assert.equal(bearer.headers.authorization, 'Bearer eyJ.access1.sig');
      assert.equal(env.net.requests.length, 2, 'no centralauthtoken asked for');
    });

    it('a plain network failure stays a NetworkError', async () => {
      env.setPage({ origin: PAGE });
      const b = wiki();
      const { client } = await authorized(b);
      env.net.reply(() => networkError());
      await assert.rejects(new lib.ForeignApi(b.api, { oauth2: client }).get({ meta: 'userinfo' }), (e) => e instanceof lib.NetworkError);
    });
  });
}

describe('OAuth 2 without a global WebCrypto (as on Node 18)', () => {
  it('takes node:crypto\'s webcrypto for the state and the PKCE challenge', async () => {
    const dist = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'js', 'dist', 'index.js')).href;
    const program = `delete globalThis.crypto;
      const { OAuth2Client } = await import(${JSON.stringify(dist)});
      const client = new OAuth2Client({ restUrl: 'https://b.example.org/w/rest.php', clientId: 'cid' });
      const { url, state } = await client.authorizationUrl();
      console.log(JSON.stringify({ global: typeof globalThis.crypto, state, challenge: new URL(url).searchParams.get('code_challenge') }));`;
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8' }));
    assert.equal(out.global, 'undefined');
    assert.match(out.state, /^[A-Za-z0-9_-]{43}$/);
    assert.match(out.challenge, /^[A-Za-z0-9_-]{43}$/);
  });
});
