// OAuth 2 from Node against the lab's Extension:OAuth (no browser): a confidential client (its secret from
// build/lab/env.secrets.json, which only Node reads). Tester's consent is scripted: a clientlogin on B with a cookie
// jar of this test, then the consent form POSTed, the redirect's Location read. Then a Bearer edit through
// ForeignApi({oauth2}) read back from B (Tester, tag "OAuth CID"), and a refresh that rotates both tokens.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST, LAB, SECRETS, consentForm, sessionOnB, uniqueTitle } from './lib/lab.mjs';
import { readB } from './lib/browser.mjs';

const FW = await import(pathToFileURL(join(DIST, 'index.js')).href);
const env = LAB.env;
const OAUTH = env.FW_LAB_OAUTH === '1';

test('Node, confidential client: scripted consent, code exchange with the secret, a Bearer edit, a rotating refresh', async (t) => {
  if (!OAUTH) {
    if (process.env.CI === 'true') throw new Error('the lab has no Extension:OAuth (FW_LAB_OAUTH=0) under CI=true');
    t.skip('!!! no Extension:OAuth in this lab (FW_LAB_OAUTH=0)');
    return;
  }
  const client = new FW.OAuth2Client({
    restUrl: LAB.B_REST,
    clientId: env.FW_LAB_OAUTH2_CONF_ID,
    clientSecret: SECRETS.FW_LAB_OAUTH2_CONF_SECRET,
    redirectUri: env.FW_LAB_OAUTH2_CONF_REDIRECT,
  });
  const { request } = await sessionOnB(LAB.TESTER);
  const { url, state } = await client.authorizationUrl();
  const approve = (await request(url)).headers.get('location');
  assert.match(approve, /Special:OAuth\/approve/);
  const { action, fields } = consentForm(await (await request(new URL(approve, LAB.B).href)).text());
  const again = (await request(action, { method: 'POST', body: fields })).headers.get('location');
  const callback = (await request(new URL(again, LAB.B).href)).headers.get('location');
  assert.ok(callback.startsWith(env.FW_LAB_OAUTH2_CONF_REDIRECT), callback);
  assert.equal(new URL(callback).searchParams.get('state'), state);
  const first = await client.completeAuthorization(callback);
  assert.ok(first.refreshToken);

  const title = uniqueTitle('OAuth2 Node edit');
  const api = new FW.ForeignApi(LAB.B_API, { oauth2: client });
  const r = await api.postWithToken('csrf', { action: 'edit', title, text: 'From Node with OAuth 2.', summary: 'node oauth2' });
  assert.equal(r.edit.result, 'Success');
  const back = await readB({ action: 'query', prop: 'revisions', titles: title, rvprop: 'user|tags' });
  assert.equal(back.query.pages[0].revisions[0].user, LAB.TESTER.user);
  assert.ok(back.query.pages[0].revisions[0].tags.some((tag) => /^OAuth CID: \d+$/.test(tag)));

  // a refresh rotates both tokens: the old access token is refused by B afterwards, the new one works
  const second = await client.refreshFrom(first.accessToken);
  assert.notEqual(second.accessToken, first.accessToken);
  assert.notEqual(second.refreshToken, first.refreshToken);
  const old = await fetch(`${LAB.B_API}?action=query&meta=userinfo&format=json`, { headers: { authorization: `Bearer ${first.accessToken}` } });
  assert.equal((await old.json()).error?.code, 'mwoauth-invalid-authorization');
  const who = await api.get({ meta: 'userinfo' });
  assert.equal(who.query.userinfo.name, LAB.TESTER.user);
  // the old refresh token is gone too: a client holding it must authorize again
  const stale = new FW.OAuth2Client({ restUrl: LAB.B_REST, clientId: env.FW_LAB_OAUTH2_CONF_ID, clientSecret: SECRETS.FW_LAB_OAUTH2_CONF_SECRET });
  stale.deserialize(JSON.stringify(first));
  await assert.rejects(stale.refreshFrom(first.accessToken), (e) => e instanceof FW.OAuthError && e.reauthorize && e.status === 401);
  assert.equal(stale.isAuthorized(), false);
});
