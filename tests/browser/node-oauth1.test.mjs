// foreign-wasm/oauth1 from Node against a real Extension:OAuth (no browser): the OAuth 1.0a handshake on wiki B
// (initiate → Tester logs in and clicks Allow on the consent form, scripted → token exchange with the verifier), a
// signed edit attributed to Tester and tagged "OAuth CID: <id>", identify verified (and a tampered, a wrong-aud and
// a replayed JWT refused), the server refusing a re-used oauth_nonce, the owner-only consumer acting as Admin, and
// docs/examples/oauth1-node.mjs (shown in README.md) run as written.
//
// Lab keys (build/lab/env.json and, for the secrets, env.secrets.json, written by tests/lab/up.sh): FW_LAB_OAUTH=1, FW_LAB_OAUTH1_KEY/_SECRET/_CALLBACK,
// FW_LAB_OAUTH1_OWNER_KEY/_SECRET/_TOKEN/_TOKEN_SECRET, FW_LAB_B, FW_LAB_B_API, FW_LAB_TESTER_USER/_PASS,
// FW_LAB_ADMIN_USER. A lab without Extension:OAuth fails this file (it is part of issue 14's lab).
//
// Against the reference lab of ../shared/reference/oauthlab-example (its up.sh, then its down.sh; OALAB_DIR as
// for up.sh), map its env file to one of ours and point FW_LAB_DIR at it:
//   set -a; . "$OALAB_DIR/env"; set +a; mkdir -p build/oalab-env; node -e '
//     const e = process.env; require("fs").writeFileSync("build/oalab-env/env.json", JSON.stringify({
//       FW_LAB_STATIC: "http://127.0.0.1:8399", FW_LAB_A: e.WIKI_A, FW_LAB_A_API: e.WIKI_A_API, FW_LAB_B: e.WIKI_B,
//       FW_LAB_B_API: e.WIKI_B_API, FW_LAB_B_REST: e.WIKI_B_REST, FW_LAB_OAUTH: "1",
//       FW_LAB_OAUTH1_KEY: e.OAUTH1_CONSUMER_KEY, FW_LAB_OAUTH1_SECRET: e.OAUTH1_CONSUMER_SECRET,
//       FW_LAB_OAUTH1_CALLBACK: e.OAUTH1_CALLBACK, FW_LAB_OAUTH1_OWNER_KEY: e.OAUTH1_OWNER_CONSUMER_KEY,
//       FW_LAB_OAUTH1_OWNER_SECRET: e.OAUTH1_OWNER_CONSUMER_SECRET, FW_LAB_OAUTH1_OWNER_TOKEN: e.OAUTH1_OWNER_ACCESS_TOKEN,
//       FW_LAB_OAUTH1_OWNER_TOKEN_SECRET: e.OAUTH1_OWNER_ACCESS_SECRET, FW_LAB_TESTER_USER: e.TESTER_USER,
//       FW_LAB_TESTER_PASS: e.TESTER_PASS, FW_LAB_ADMIN_USER: e.ADMIN_USER }))'
//   FW_LAB_DIR=build/oalab-env node --test tests/browser/node-oauth1.test.mjs

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST, LAB, REPO, SECRETS, consentForm, sessionOnB, uniqueTitle } from './lib/lab.mjs';

const FW = await import(pathToFileURL(join(DIST, 'index.js')).href);
const { OAuth1, OAuth1Signer } = await import(pathToFileURL(join(DIST, 'oauth1.js')).href);

const env = { ...LAB.env, ...SECRETS };
const B_INDEX = `${env.FW_LAB_B}/w/index.php`;
const CONSUMER = { consumerKey: env.FW_LAB_OAUTH1_KEY, consumerSecret: env.FW_LAB_OAUTH1_SECRET };

/** Tester's browser, scripted: a cookie session on B (clientlogin), then the consent form's Allow. */
async function approveAsTester(authorizeUrl) {
  const { request } = await sessionOnB(LAB.TESTER);
  const { action, fields } = consentForm(await (await request(authorizeUrl)).text());
  const answer = await request(action, { method: 'POST', body: fields });
  assert.equal(answer.status, 302);
  return answer.headers.get('location');
}

let oauth;
let access;
let callbackUrl;

before(async () => {
  assert.equal(env.FW_LAB_OAUTH, '1', 'the lab has no Extension:OAuth (FW_LAB_OAUTH != 1): tests/lab/up.sh must provide it (issue 14)');
  oauth = new OAuth1({ ...CONSUMER, wiki: B_INDEX, callback: env.FW_LAB_OAUTH1_CALLBACK });
});
after(() => FW.shutdown());

describe('OAuth 1.0a handshake on B, from Node', () => {
  test('initiate → consent (Tester, Allow) → token: an access token', async () => {
    const { authorizeUrl, requestToken } = await oauth.initiate();
    assert.ok(authorizeUrl.startsWith(`${B_INDEX}?title=Special%3AOAuth%2Fauthorize&oauth_token=${requestToken.token}&`));
    callbackUrl = await approveAsTester(authorizeUrl);
    assert.ok(callbackUrl.startsWith(env.FW_LAB_OAUTH1_CALLBACK), callbackUrl);
    access = await oauth.complete(requestToken, callbackUrl);
    assert.match(access.token, /^[0-9a-f]{32}$/);
    assert.ok(access.secret.length >= 32);
    // The request token is single-use: the same exchange again is MediaWiki's named error.
    await assert.rejects(oauth.complete(requestToken, callbackUrl), (e) => e instanceof FW.OAuthError && e.code === 'mwoauthdatastore-request-token-already-used');
  });

  test('a signed edit on B is by Tester and tagged "OAuth CID: …"', async () => {
    const api = oauth.foreignApi(env.FW_LAB_B_API, access);
    const me = await api.get({ action: 'query', meta: 'userinfo' });
    assert.equal(me.query.userinfo.name, env.FW_LAB_TESTER_USER);
    const title = uniqueTitle('OAuth1 node');
    const edit = await api.postWithToken('csrf', { action: 'edit', title, text: 'Signed with OAuth 1.0a: ~ + é & =', summary: 'foreign-wasm oauth1' });
    assert.equal(edit.edit.result, 'Success');
    const rc = await (await fetch(`${env.FW_LAB_B_API}?action=query&list=recentchanges&rctitle=${encodeURIComponent(title)}&rcprop=user|tags|comment&format=json`)).json();
    const [change] = rc.query.recentchanges;
    assert.equal(change.user, env.FW_LAB_TESTER_USER);
    assert.ok(change.tags.some((tag) => /^OAuth CID: \d+$/.test(tag)), JSON.stringify(change.tags));
  });

  test('identify: verified claims; a tampered, a wrong-aud and a replayed JWT are refused', async () => {
    const me = await oauth.identify(access);
    assert.equal(me.username, env.FW_LAB_TESTER_USER);
    assert.equal(me.aud, CONSUMER.consumerKey);
    assert.equal(new URL(me.iss).origin, new URL(env.FW_LAB_B).origin);
    assert.equal(me.exp - me.iat, 100);

    // The real server's JWTs, altered on the way back.
    let alter = (jwt) => jwt;
    let last = '';
    const through = new OAuth1({
      ...CONSUMER,
      wiki: B_INDEX,
      fetch: async (url, init) => {
        const text = await (await fetch(url, init)).text();
        const previous = last;
        last = text;
        return new Response(alter(text, previous));
      },
    });
    await through.identify(access);
    const refused = (code) => assert.rejects(through.identify(access), (e) => e instanceof FW.OAuthError && e.code === code);
    alter = (jwt) => {
      const [h, p, s] = jwt.split('.');
      const claims = JSON.parse(Buffer.from(p, 'base64url'));
      claims.username = 'Admin';
      return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
    };
    await refused('jwt-bad-signature');
    alter = (jwt) => {
      // Re-signed with the right secret, so only the audience check can catch it.
      const [h, p] = jwt.split('.');
      const claims = { ...JSON.parse(Buffer.from(p, 'base64url')), aud: env.FW_LAB_OAUTH1_OWNER_KEY };
      const signing = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
      return `${signing}.${createHmac('sha256', CONSUMER.consumerSecret).update(signing).digest('base64url')}`;
    };
    await refused('jwt-wrong-audience');
    alter = (jwt, previous) => previous; // the answer to the previous identify, replayed: its nonce is stale
    await refused('jwt-nonce-mismatch');
  });

  test('a re-used oauth_nonce is refused by the server (mwoauth-invalid-authorization)', async () => {
    const fixed = `fwnonce${Date.now()}`;
    const signer = new OAuth1Signer({ ...CONSUMER, token: access.token, tokenSecret: access.secret, nonce: () => fixed });
    const api = new FW.ForeignApi(env.FW_LAB_B_API, { oauth1: signer });
    const first = await api.get({ action: 'query', meta: 'userinfo' });
    assert.equal(first.query.userinfo.name, env.FW_LAB_TESTER_USER);
    await assert.rejects(api.get({ action: 'query', meta: 'userinfo' }), (e) => e instanceof FW.OAuthError && e.code === 'mwoauth-invalid-authorization' && /Nonce already used/.test(e.info));
  });

  test('owner-only consumer: the four strings sign a read as Admin; it cannot initiate', async () => {
    const owner = { consumerKey: env.FW_LAB_OAUTH1_OWNER_KEY, consumerSecret: env.FW_LAB_OAUTH1_OWNER_SECRET };
    const api = new FW.ForeignApi(env.FW_LAB_B_API, {
      oauth1: new OAuth1Signer({ ...owner, token: env.FW_LAB_OAUTH1_OWNER_TOKEN, tokenSecret: env.FW_LAB_OAUTH1_OWNER_TOKEN_SECRET }),
    });
    const me = await api.get({ action: 'query', meta: 'userinfo' });
    assert.equal(me.query.userinfo.name, env.FW_LAB_ADMIN_USER);
    await assert.rejects(new OAuth1({ ...owner, wiki: B_INDEX }).initiate(), (e) => e instanceof FW.OAuthError && e.code === 'mwoauthserver-consumer-owner-only');
  });

  test('README\'s OAuth 1.0a program (docs/examples/oauth1-node.mjs) runs as written (owner-only consumer: Admin edits)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fw-oauth1-example-'));
    try {
      const example = readFileSync(join(REPO, 'docs', 'examples', 'oauth1-node.mjs'), 'utf8');
      const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
      const [, shown] = readme.match(/^## OAuth 1\.0a in Node\n[\s\S]*?^```js\n([\s\S]*?)^```$/m) || [];
      assert.equal(shown, example, 'README.md shows docs/examples/oauth1-node.mjs as it is');
      const script = join(dir, 'example.mjs');
      // The package's own specifier, resolved to this checkout's build.
      writeFileSync(script, example.replace("'foreign-wasm/oauth1'", JSON.stringify(pathToFileURL(join(DIST, 'oauth1.js')).href)));
      const output = execFileSync(process.execPath, [script], {
        encoding: 'utf8',
        timeout: 60000,
        env: {
          PATH: process.env.PATH,
          WIKI: B_INDEX,
          CONSUMER_KEY: env.FW_LAB_OAUTH1_OWNER_KEY,
          CONSUMER_SECRET: env.FW_LAB_OAUTH1_OWNER_SECRET,
          ACCESS_TOKEN: env.FW_LAB_OAUTH1_OWNER_TOKEN,
          ACCESS_SECRET: env.FW_LAB_OAUTH1_OWNER_TOKEN_SECRET,
        },
      });
      assert.equal(output.trim(), `${env.FW_LAB_ADMIN_USER} Success`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
