// foreign-wasm/oauth1 offline (a fake fetch): the handshake, signed ForeignApi requests and identify, through the
// built package (dist/oauth1.js + its wasm). Signatures are checked two ways: against ones MediaWiki accepted in the
// reference lab (tests/core/test_oauth1.cpp has the same inputs), and by an independent RFC 5849 verifier written
// here with node:crypto. Also: the gadget script and the browser core contain no OAuth 1 code.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DIST, json, loadBuild, wiki } from './harness.mjs';

const enc = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The oauth_* parameters of an Authorization header value. */
function oauthParams(header) {
  assert.match(header, /^OAuth /);
  return Object.fromEntries([...header.slice(6).matchAll(/(oauth_[a-z_]+)="([^"]*)"/g)].map(([, k, v]) => [k, decodeURIComponent(v)]));
}

/** RFC 5849 §3.4 from scratch: does the request's signature verify with these secrets? */
function verifies(request, consumerSecret, tokenSecret) {
  const params = oauthParams(request.headers.authorization);
  const signature = params.oauth_signature;
  delete params.oauth_signature;
  const pairs = [...request.u.searchParams];
  if ((request.headers['content-type'] || '').startsWith('application/x-www-form-urlencoded')) pairs.push(...new URLSearchParams(request.body));
  pairs.push(...Object.entries(params));
  const normalized = pairs
    .map(([k, v]) => [enc(k), enc(v)])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const base = `${request.method.toUpperCase()}&${enc(`${request.u.origin}${request.u.pathname}`)}&${enc(normalized)}`;
  return createHmac('sha1', `${enc(consumerSecret)}&${enc(tokenSecret)}`).update(base).digest('base64') === signature;
}

const b64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
function jwt(claims, secret) {
  const signing = `${b64url({ typ: 'JWT', alg: 'HS256' })}.${b64url(claims)}`;
  return `${signing}.${createHmac('sha256', secret).update(signing).digest('base64url')}`;
}

// The reference lab's consumer on wiki B (throw-away), as recorded in tests/core/test_oauth1.cpp.
const LAB = {
  consumerKey: 'cc269228bbdd3c075b680b00a6374675',
  consumerSecret: '0bde7dad89a18dbbb59d95ab60bbef3732aba9f0',
  wiki: 'http://127.0.0.2:8392/w/index.php',
};

describe('foreign-wasm/oauth1', () => {
  let env;
  let lib;
  let oauth1;
  before(async () => {
    env = await loadBuild('esm');
    lib = env.lib;
    oauth1 = await import(pathToFileURL(join(DIST, 'oauth1.js')).href);
  });
  after(() => env.reset());

  it('the gadget script and the browser core contain no OAuth 1 code; the OAuth 1 module does', () => {
    const markers = ['oauth_signature_method', 'HMAC-SHA1', 'jwt-bad-signature', 'verifyIdentify'];
    for (const file of ['foreign-wasm.js', 'foreign-wasm-core.wasm', 'foreign-wasm-core.mjs', 'index.js']) {
      const text = readFileSync(join(DIST, file), 'latin1');
      for (const marker of markers) assert.ok(!text.includes(marker), `${file} contains ${marker}`);
    }
    const module = readFileSync(join(DIST, 'foreign-wasm-oauth1.wasm'), 'latin1') + readFileSync(join(DIST, 'foreign-wasm-oauth1.mjs'), 'latin1');
    for (const marker of markers) assert.ok(module.includes(marker), `the OAuth 1 module lacks ${marker}`);
  });

  it('initiate signs as the lab recorded it (oob), and builds the authorize URL', async () => {
    const o = new oauth1.OAuth1({ ...LAB, nonce: () => 'fwrec1initiate1796167240', now: () => 1796167240000, fetch: env.net.fetch });
    env.net.reset();
    env.net.reply(() => json({ key: '53427889d55a16aa1a3ff39880f74a39', secret: '10fc0ea41b407b84eff64eb30ad26d83', oauth_callback_confirmed: 'true' }));
    const { authorizeUrl, requestToken } = await o.initiate();
    const [request] = env.net.requests;
    assert.equal(request.u.searchParams.get('title'), 'Special:OAuth/initiate');
    const params = oauthParams(request.headers.authorization);
    assert.equal(params.oauth_signature, '4aYsOH2FhbMakrAzlI4TZurc5Ho=');
    assert.equal(params.oauth_callback, 'oob');
    assert.ok(!request.url.includes('oauth_'), 'protocol parameters only in the header');
    assert.deepEqual(requestToken, { token: '53427889d55a16aa1a3ff39880f74a39', secret: '10fc0ea41b407b84eff64eb30ad26d83' });
    assert.equal(
      authorizeUrl,
      'http://127.0.0.2:8392/w/index.php?title=Special%3AOAuth%2Fauthorize&oauth_token=53427889d55a16aa1a3ff39880f74a39&oauth_consumer_key=cc269228bbdd3c075b680b00a6374675',
    );
  });

  it('complete: the verifier from the callback URL, signed with the request token; errors are OAuthErrors', async () => {
    const o = new oauth1.OAuth1({ ...LAB, callback: 'http://127.0.0.1:8399/oauth1/callback', fetch: env.net.fetch });
    const requestToken = { token: 'rt0123', secret: 'rts-secret-0123' };
    env.net.reset();
    env.net.reply(() => new Response('oauth_token=at0123&oauth_token_secret=ats0123&oauth_callback_confirmed=true'));
    const access = await o.complete(requestToken, 'http://127.0.0.1:8399/oauth1/callback?oauth_verifier=v999&oauth_token=rt0123');
    assert.deepEqual(access, { token: 'at0123', secret: 'ats0123' });
    const [request] = env.net.requests;
    const params = oauthParams(request.headers.authorization);
    assert.equal(params.oauth_verifier, 'v999');
    assert.equal(params.oauth_token, 'rt0123');
    assert.ok(verifies(request, LAB.consumerSecret, requestToken.secret));

    env.net.reset();
    await assert.rejects(o.complete(requestToken, '?oauth_verifier=v1&oauth_token=someone-else'), (e) => e instanceof lib.OAuthError && e.code === 'oauth-token-mismatch');
    assert.equal(env.net.requests.length, 0);
    env.net.reply(() => json({ error: 'mwoauthdatastore-request-token-already-used', message: 'This request has already been completed. <span>E009</span>' }));
    await assert.rejects(o.complete(requestToken, 'v1'), (e) => {
      assert.ok(e instanceof lib.OAuthError);
      assert.equal(e.name, 'OAuthError');
      assert.equal(e.code, 'mwoauthdatastore-request-token-already-used');
      const everything = `${e.message} ${e.stack} ${JSON.stringify(e)}`;
      for (const secret of [LAB.consumerSecret, requestToken.secret]) assert.ok(!everything.includes(secret));
      return true;
    });
    env.net.reply(() => new Response('Error: An error occurred in the OAuth protocol: Invalid signature'));
    await assert.rejects(o.complete(requestToken, 'v1'), (e) => e.code === 'oauth-error' && /Invalid signature/.test(e.info));
    assert.ok(!JSON.stringify(o).includes(LAB.consumerSecret), 'the secret is not an enumerable field');
  });

  it('a ForeignApi signs every request, form bodies included, each with a fresh nonce', async () => {
    const w = wiki();
    const signer = new oauth1.OAuth1Signer({ consumerKey: 'ck1', consumerSecret: 'cs1', token: 'tk1', tokenSecret: 'ts1' });
    const api = new lib.ForeignApi(w.api, { oauth1: signer });
    env.net.reset();
    env.net.reply((r) => (r.method === 'GET' ? json({ batchcomplete: '', query: { tokens: { csrftoken: 'abc+\\' } } }) : json({ edit: { result: 'Success' } })));
    await api.postWithToken('csrf', { action: 'edit', title: 'A b~é', text: 'x+y & z', summary: 's' });
    assert.equal(env.net.requests.length, 2);
    const nonces = new Set();
    for (const request of env.net.requests) {
      assert.equal(request.credentials, 'omit');
      assert.equal(request.u.searchParams.get('origin'), null);
      assert.ok(verifies(request, 'cs1', 'ts1'), `${request.method} does not verify`);
      nonces.add(oauthParams(request.headers.authorization).oauth_nonce);
    }
    assert.equal(nonces.size, 2);
    const post = env.net.requests[1];
    assert.match(post.headers['content-type'], /^application\/x-www-form-urlencoded/);
    // A changed body no longer verifies: the body is part of the signature.
    assert.ok(!verifies({ ...post, body: post.body.replace('x%2By', 'x%2Bz') }, 'cs1', 'ts1'));
  });

  it('a ForeignRest signs too: a JSON body is not part of the signature, and no csrf token is added', async () => {
    const w = wiki();
    const signer = new oauth1.OAuth1Signer({ consumerKey: 'ck2', consumerSecret: 'cs2', token: 'tk2', tokenSecret: 'ts2' });
    const rest = new lib.ForeignRest(w.rest, { oauth1: signer });
    env.net.reset();
    env.net.reply(() => json({ id: 1 }, { status: 201 }));
    await rest.put('/v1/page/{title}', { source: 'x', comment: 'c' }, {}, { pathParams: { title: 'A b' } });
    const [request] = env.net.requests;
    assert.equal(request.method, 'PUT');
    assert.ok(verifies(request, 'cs2', 'ts2'));
    assert.equal(JSON.parse(request.body).token, undefined);
  });

  it('two access tokens never share a csrf token; a plain object is not a signer', async () => {
    const w = wiki();
    const make = (token) => new lib.ForeignApi(w.api, { oauth1: new oauth1.OAuth1Signer({ consumerKey: 'ck', consumerSecret: 'cs', token, tokenSecret: `${token}-s` }) });
    env.net.reset();
    env.net.reply((r) => (r.method === 'GET' ? json({ query: { tokens: { csrftoken: `${oauthParams(r.headers.authorization).oauth_token}+\\` } } }) : json({ purge: [] })));
    await Promise.all([make('u1').postWithToken('csrf', { action: 'purge', titles: 'X' }), make('u2').postWithToken('csrf', { action: 'purge', titles: 'X' })]);
    const posts = env.net.requests.filter((r) => r.method === 'POST');
    assert.deepEqual(posts.map((r) => [oauthParams(r.headers.authorization).oauth_token, new URLSearchParams(r.body).get('token')]).sort(), [
      ['u1', 'u1+\\'],
      ['u2', 'u2+\\'],
    ]);
    assert.throws(() => new lib.ForeignApi(w.api, { oauth1: { consumerKey: 'a', consumerSecret: 'b', token: 'c', tokenSecret: 'd' } }), (e) => e.code === 'bad-auth');
  });

  it('the oauth1 option beside a centralAuth wiki: signed, no centralauthtoken; other modes keep their choice', async () => {
    const w = wiki();
    const local = { centralAuth: 'https://local.example.org/w/api.php', localUser: 'Tester' };
    const signer = new oauth1.OAuth1Signer({ consumerKey: 'ck3', consumerSecret: 'cs3', token: 'tk3', tokenSecret: 'ts3' });
    env.net.reset();
    env.net.reply(() => json({ batchcomplete: '' }));
    await new lib.ForeignApi(w.api, { ...local, oauth1: signer }).get({ meta: 'userinfo' });
    await new lib.ForeignApi(w.api, { ...local, anonymous: true }).get({ meta: 'userinfo' });
    const [signed, anonymous] = env.net.requests;
    assert.equal(env.net.requests.length, 2, 'no centralauthtoken was fetched');
    assert.ok(verifies(signed, 'cs3', 'ts3'));
    assert.equal(anonymous.u.searchParams.get('origin'), '*');
    assert.equal(anonymous.headers.authorization, undefined);
  });

  it('identify: the verified claims; tampered, wrong aud, wrong iss, stale nonce and expired JWTs are refused', async () => {
    let now = 1796151786000;
    const o = new oauth1.OAuth1({ consumerKey: 'ck', consumerSecret: 'cs', wiki: 'https://b.example.org/w/index.php', fetch: env.net.fetch, now: () => now });
    const access = { token: 'tk', secret: 'ts' };
    const claims = (nonce) => ({ iss: 'https://b.example.org', aud: 'ck', sub: '3', username: 'Tester', iat: 1796151785, exp: 1796151885, nonce });
    let answer = (nonce) => jwt(claims(nonce), 'cs');
    let lastNonce = '';
    env.net.reset();
    env.net.reply((r) => {
      assert.ok(verifies(r, 'cs', 'ts'));
      lastNonce = oauthParams(r.headers.authorization).oauth_nonce;
      return new Response(answer(lastNonce), { headers: { 'content-type': 'application/json' } });
    });
    const me = await o.identify(access);
    assert.equal(me.username, 'Tester');
    assert.equal(me.nonce, lastNonce);
    assert.match(lastNonce, /^[0-9a-f]{32}$/);

    const refused = async (code) => assert.rejects(o.identify(access), (e) => e instanceof lib.OAuthError && e.code === code);
    answer = (nonce) => jwt(claims(nonce), 'cs').replace(/\.[^.]{4}/, '.AAAA');
    await refused('jwt-bad-signature');
    answer = (nonce) => jwt({ ...claims(nonce), aud: 'other-consumer' }, 'cs');
    await refused('jwt-wrong-audience');
    answer = (nonce) => jwt({ ...claims(nonce), iss: 'https://a.example.org' }, 'cs');
    await refused('jwt-wrong-issuer');
    const stale = lastNonce;
    answer = () => jwt(claims(stale), 'cs'); // an earlier answer, replayed
    await refused('jwt-nonce-mismatch');
    answer = (nonce) => jwt(claims(nonce), 'cs');
    now = (1796151885 + 11) * 1000;
    await refused('jwt-expired');
  });

  it('every runtime member of foreign-wasm/oauth1 is declared in js/types/oauth1.d.ts, every declared export exists', (t) => {
    const jsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'js');
    const own = (object) => Object.getOwnPropertyNames(object).filter((name) => !['constructor', 'length', 'name', 'prototype'].includes(name));
    const o = new oauth1.OAuth1({ ...LAB });
    const members = [
      ...Object.keys(oauth1).map((m) => ['typeof o', m]),
      ...own(oauth1.OAuth1.prototype).map((m) => ['o.OAuth1', m]),
      ...own(o).map((m) => ['o.OAuth1', m]),
      ...own(oauth1.OAuth1Signer.prototype).map((m) => ['o.OAuth1Signer', m]),
      ...own(o.signer({ token: 't', secret: 's' })).map((m) => ['o.OAuth1Signer', m]),
    ];
    const exportNames = Object.keys(oauth1);
    const lines = [
      "import * as o from 'foreign-wasm/oauth1';",
      `export const declaredExports: Record<keyof typeof o, true> = { ${exportNames.map((n) => `${n}: true`).join(', ')} };`,
      ...members.map(([type, member], i) => `declare const v${i}: ${type}; v${i}.${member};`),
    ];
    const work = mkdtempSync(join(tmpdir(), 'fw-oauth1-dts-'));
    t.after(() => rmSync(work, { recursive: true, force: true }));
    writeFileSync(join(work, 'members.ts'), lines.join('\n') + '\n');
    const paths = { 'foreign-wasm': [join(jsDir, 'types', 'index.d.ts')], 'foreign-wasm/oauth1': [join(jsDir, 'types', 'oauth1.d.ts')] };
    const compilerOptions = { strict: true, noEmit: true, module: 'esnext', moduleResolution: 'bundler', target: 'es2022', lib: ['es2022', 'dom'], types: [], paths };
    writeFileSync(join(work, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['members.ts'] }));
    let output = '';
    try {
      execFileSync(join(jsDir, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json', '--pretty', 'false'], { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      output = `${error.stdout}${error.stderr}`;
    }
    assert.equal(output, '');
    assert.ok(members.length >= 12, `only ${members.length} runtime members found`);
  });
});
