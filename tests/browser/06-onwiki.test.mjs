// The drop-in on wiki pages (issue 12): after ForeignWasm.install() on a page of wiki A, mw.ForeignApi /
// mw.ForeignRest are foreign-wasm's subclasses of the page's own classes, and code written for MediaWiki's —
// including MediaWiki's own modules (mw.Api plugins, mw.messagePoster) — runs on them with mw.Api's jQuery
// promise contract. Every snippet runs twice, as the same source text: on a page with MediaWiki's own classes
// (CentralAuth's CentralAuthForeignApi where the lab has CentralAuth) and on a page where foreign-wasm's script
// was loaded and install() called BEFORE mw.loader.using('mediawiki.ForeignApi') (so ours must end up extending
// the classes MediaWiki assigns afterwards). Results must be identical (differences are asserted as such, with
// the reason); request counts are recorded in results/onwiki.{json,md} (tests/browser/README.md has the table).
//
// Failures are produced for real: an API error and an assert failure from B; an HTTP 500 and an empty 200 from a
// small HTTP server of this test (an intermediate layer, as mw.Api's docs describe it; random port, loopback);
// a timeout of 1 ms on B (a MediaWiki request cannot answer that fast); an abort.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BROWSER_DIR, LAB, REPO, requireCentralAuth } from './lib/lab.mjs';
import { launch, loginInBrowser, newPage, openWikiPage, readB } from './lib/browser.mjs';
import { describe as d, site, summarize } from './lib/netlog.mjs';

const IMPLS = ['mw', 'fw'];
const CA = LAB.CENTRALAUTH;

let browser;
let ctx;
let server;
let SERVER;

before(async () => {
  // The "intermediate layer": 500 with an HTML page, or 200 with nothing in it; CORS for anyone (anonymous calls).
  server = http.createServer((req, res) => {
    const cors = { 'access-control-allow-origin': '*', 'cache-control': 'no-store' };
    if (req.url.startsWith('/500/')) {
      res.writeHead(500, 'Internal Server Error', { ...cors, 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>500</title><p>proxy error</p>');
    } else if (req.url.startsWith('/empty/')) {
      res.writeHead(200, 'OK', { ...cors, 'content-type': 'application/json; charset=utf-8' });
      res.end('');
    } else if (req.url.startsWith('/null/')) {
      res.writeHead(200, 'OK', { ...cors, 'content-type': 'application/json; charset=utf-8' });
      res.end('null');
    } else {
      res.writeHead(404, 'Not Found', cors);
      res.end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  SERVER = `http://127.0.0.1:${server.address().port}`;
  browser = await launch();
  ctx = await newPage(browser);
  await loginInBrowser(ctx.page, LAB.A, LAB.ADMIN);
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
});

/** A page of A with MediaWiki's classes ('mw') or with foreign-wasm installed before they load ('fw'). */
async function openFor(impl) {
  await openWikiPage(ctx.page, LAB.A, impl === 'fw' ? 'script' : 'none');
  const classes = await ctx.page.evaluate(async (i) => {
    if (i === 'fw') window.ForeignWasm.install();
    await mw.loader.using(['mediawiki.ForeignApi', 'mediawiki.api', 'mediawiki.messagePoster', 'mediawiki.Title', 'mediawiki.Upload', 'mediawiki.ForeignUpload', 'oojs']);
    const chain = [];
    for (let c = mw.ForeignApi; c && c !== mw.Api; c = c.super) chain.push(c === window.ForeignWasm?.ForeignApi ? 'ours' : c.name);
    return chain;
  }, impl);
  const theirs = CA ? ['CentralAuthForeignApi', 'CoreForeignApi'] : ['CoreForeignApi'];
  assert.deepEqual(classes, impl === 'fw' ? ['ours', ...theirs] : theirs,
    'ours extends the class MediaWiki assigned after install(), which extends core\'s, which extends mw.Api');
}

const records = [];

/** Runs `source` (an async function body; `a` is the argument) in the page; records its API requests. */
async function run(impl, name, source, arg = {}) {
  const mark = ctx.net.mark();
  const n0 = impl === 'fw' ? await ctx.page.evaluate(() => fwTrace.length) : 0;
  const out = await ctx.page.evaluate(
    ([src, a]) => {
      // eslint-disable-next-line no-new-func
      const f = new Function('a', `return (async () => {\n${src}\n})();`);
      return f(a).then((value) => ({ value }), (e) => ({ thrown: String(e && (e.stack || e.message) || e) }));
    },
    [source, { B_API: LAB.B_API, B_REST: LAB.B_REST, SERVER, ...arg }],
  );
  const wire = await ctx.net.settle(mark);
  const trace = impl === 'fw' ? await ctx.page.evaluate((k) => fwTrace.slice(k).filter((e) => e.phase === 'request'), n0) : [];
  const s = summarize(wire);
  // foreign-wasm's centralauthtokens minted for the pocket (the next call's), as its trace says: shown apart.
  const pocket = trace.filter((e) => /pocket/.test(e.why || '')).length;
  records.push({ impl, name, result: out.value, requests: s.requests, pocket, toA: s.toA, toB: s.toB, preflights: s.preflights, chain: s.chain, sequence: s.sequence });
  assert.equal(out.thrown, undefined, `${impl} ${name} threw: ${out.thrown}`);
  return { value: out.value, wire, trace, summary: s };
}

/** Both implementations, each on a fresh page; returns {mw, fw}. */
async function both(name, source, arg) {
  const got = {};
  for (const impl of IMPLS) {
    await openFor(impl);
    got[impl] = await run(impl, name, source, typeof arg === 'function' ? arg(impl) : arg);
  }
  return got;
}

// A failure in mw.Api's shape, flattened: what code written for mw.Api reads from it.
const FLATTEN = `
window.flat = (p) => p.then(
  (result, xhr) => ({ resolved: true, xhrStatus: xhr && xhr.status }),
  (code, data, result, xhr) => {
    const x = code === 'http' ? data && data.xhr : xhr;
    const ex = data && data.exception;
    return {
      code,
      dataType: typeof data,
      textStatus: data && data.textStatus,
      exception: ex && typeof ex === 'object' ? 'object ' + ex.name : ex,
      errorCode: data && data.error ? data.error.code : undefined,
      sameResult: code !== 'http' ? data === result : undefined,
      xhr: x ? { status: x.status, readyState: x.readyState, getResponseHeader: typeof x.getResponseHeader } : null,
      fwError: x && x.fwError ? x.fwError.name + ' ' + x.fwError.code : undefined,
    };
  });
`;

describe('on a page of wiki A: foreign-wasm\'s classes are a drop-in for MediaWiki\'s', () => {
  test('instanceof mw.Api, defaults, getOrigin(), the plugins\' methods: as MediaWiki\'s', async () => {
    const r = await both('members', `
      const api = new mw.ForeignApi(a.B_API);
      const rest = new mw.ForeignRest(a.B_REST, api);
      return {
        isApi: api instanceof mw.Api, isForeignApi: api instanceof mw.ForeignApi, isRest: rest instanceof mw.Rest,
        apiUrl: api.apiUrl, url: api.defaults.ajax.url, origin: api.getOrigin(), params: api.defaults.parameters,
        timeout: api.defaults.ajax.timeout, credentials: api.defaults.ajax.xhrFields.withCredentials, restUrl: rest.url,
        methods: ['edit', 'create', 'newSection', 'parse', 'watch', 'saveOption', 'getMessages', 'loadMessages',
          'upload', 'chunkedUpload', 'chunkedUploadToStash', 'uploadFromStash', 'getEditToken', 'postWithEditToken',
          'getUserInfo', 'getErrorMessage', 'rollback', 'isCategory'].filter((m) => typeof api[m] !== 'function'),
      };`);
    assert.deepEqual(r.fw.value, r.mw.value);
    assert.deepEqual(r.fw.value.methods, [], 'every mw.Api plugin method is there');
    assert.equal(r.fw.value.origin, LAB.A);
    // Constructing sends nothing (MediaWiki's CentralAuth class sends its login check from the constructor).
    assert.equal(r.fw.summary.requests, 0);
  });

  test('a method added to mw.Api.prototype after install(), and an OO.inheritClass subclass, run through foreign-wasm', async () => {
    const r = await both('prototype+subclass', `
      mw.Api.prototype.fwSitename = function () {
        return this.get({ action: 'query', meta: 'siteinfo' }).then((d) => d.query.general.sitename);
      };
      function Sub(url, options) {
        Sub.super.call(this, url, options);
        this.tag = 'sub';
      }
      OO.inheritClass(Sub, mw.ForeignApi);
      Sub.prototype.whoami = function () {
        return this.get({ action: 'query', meta: 'userinfo' }).then((d) => this.tag + ':' + d.query.userinfo.name);
      };
      const sub = new Sub(a.B_API);
      const out = { sitename: await new mw.ForeignApi(a.B_API).fwSitename(), whoami: await sub.whoami(),
        subIsForeignApi: sub instanceof mw.ForeignApi, subIsApi: sub instanceof mw.Api };
      delete mw.Api.prototype.fwSitename;
      return out;`);
    assert.deepEqual(r.fw.value, r.mw.value);
    assert.equal(r.fw.value.sitename, 'Wiki B');
    assert.equal(r.fw.value.subIsForeignApi && r.fw.value.subIsApi, true);
    if (CA) assert.equal(r.fw.value.whoami, `sub:${LAB.ADMIN.user}`);
    const toB = r.fw.trace.filter((e) => e.purpose === 'call' && e.displayUrl.startsWith(LAB.B_API));
    assert.equal(toB.length, 2, 'both calls went through foreign-wasm\'s core');
  });

  test('$.when(a, b) yields [result, jqXHR] pairs; the jqXHR has status, statusText, headers, responseText', async () => {
    const r = await both('$.when', `
      const api = new mw.ForeignApi(a.B_API);
      return $.when(api.get({ action: 'query', meta: 'userinfo' }), api.get({ action: 'query', meta: 'siteinfo' }))
        .then((x, y) => [x, y].map((pair) => ({
          pair: Array.isArray(pair) && pair.length === 2,
          keys: Object.keys(pair[0]).sort(),
          status: pair[1].status, statusText: pair[1].statusText, readyState: pair[1].readyState,
          contentType: pair[1].getResponseHeader('Content-Type'),
          text: JSON.stringify(JSON.parse(pair[1].responseText)) === JSON.stringify(pair[0]),
          json: pair[1].responseJSON === undefined ? 'none' : JSON.stringify(pair[1].responseJSON) === JSON.stringify(pair[0]),
        })));`);
    // jQuery sets responseJSON only when it parsed the body itself for dataType json: both do.
    assert.deepEqual(r.fw.value, r.mw.value);
    assert.deepEqual(r.fw.value[0], { pair: true, keys: ['batchcomplete', 'query'], status: 200, statusText: 'OK', readyState: 4,
      contentType: 'application/json; charset=utf-8', text: true, json: true });
  });

  test('.then(null, (code, data) => …): mw.Api\'s codes for an API error, HTTP 500, timeout, abort, an empty answer; the named Error is xhr.fwError', async () => {
    const cases = {
      'api error': `flat(new mw.ForeignApi(a.B_API).get({ action: 'fwnonexistent' }))`,
      'assert (getToken)': `flat(new mw.ForeignApi(a.B_API).getToken('csrf', 'bot'))`,
      'http 500': `flat(new mw.ForeignApi(a.SERVER + '/500/api.php', { anonymous: true }).get({ action: 'query' }))`,
      timeout: `flat(new mw.ForeignApi(a.B_API, { anonymous: true }).get({ action: 'query', meta: 'siteinfo', requestid: String(Date.now()) }, { timeout: 1 }))`,
      abort: `(() => { const p = new mw.ForeignApi(a.B_API, { anonymous: true }).get({ action: 'query', meta: 'siteinfo' }); p.abort(); return flat(p); })()`,
      'empty 200': `flat(new mw.ForeignApi(a.SERVER + '/empty/api.php', { anonymous: true }).get({ action: 'query' }))`,
      'null 200': `flat(new mw.ForeignApi(a.SERVER + '/null/api.php', { anonymous: true }).get({ action: 'query' }))`,
    };
    const source = `${FLATTEN}\nconst out = {};\n${Object.entries(cases).map(([k, v]) => `out[${JSON.stringify(k)}] = await ${v};`).join('\n')}\nreturn out;`;
    const r = await both('failures', source);
    const strip = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, { ...v, fwError: undefined }]));
    const mw = strip(r.mw.value);
    // The one difference: CentralAuth's class aborts its own login check with a hand-made rejection that has no
    // xhr (ext.centralauth.ForeignApi.js `abortedPromise`); core's mw.Api, and ours, give jQuery's aborted jqXHR.
    if (CA) {
      assert.equal(mw.abort.xhr, null);
      mw.abort.xhr = { status: 0, readyState: 0, getResponseHeader: 'function' };
    }
    assert.deepEqual(strip(r.fw.value), mw, JSON.stringify({ mw: r.mw.value, fw: r.fw.value }, null, 1));
    assert.deepEqual(Object.fromEntries(Object.entries(r.fw.value).map(([k, v]) => [k, v.fwError])), {
      'api error': 'ApiError badvalue',
      'assert (getToken)': 'ApiError assertbotfailed',
      'http 500': 'HttpError http',
      timeout: 'TimeoutError timeout',
      abort: 'AbortError abort',
      'empty 200': 'ResponseError ok-but-empty',
      'null 200': 'ResponseError ok-but-empty',
    }, 'each failure\'s named Error is reachable as jqXHR.fwError');
    assert.deepEqual({ empty: r.fw.value['empty 200'].textStatus, nullCode: r.fw.value['null 200'].code }, {
      empty: 'parsererror', nullCode: 'ok-but-empty',
    });
  });

  test('edit(title, transform): text, params, a promise, a rejection; missing page and bad title: as MediaWiki\'s', async () => {
    const stamp = `${Date.now()}`;
    const r = await both('edit', `
      const api = new mw.ForeignApi(a.B_API);
      const T = a.title;
      const res = (e) => (e && e.result) + (e && e.nochange ? ' nochange' : '');
      const codes = (code, d) => 'rejected ' + code + (d && d.why ? ' ' + d.why : '');
      const out = {};
      out.create = await api.create(T, { summary: 'foreign-wasm onwiki' }, 'v0').then(res, codes);
      out.text = await api.edit(T, (rev) => rev.content + ' +text').then(res, codes);
      out.params = await api.edit(T, (rev) => ({ text: rev.content + ' +params', summary: 'params' })).then(res, codes);
      out.promise = await api.edit(T, (rev) => $.Deferred().resolve(rev.content + ' +promise').promise()).then(res, codes);
      out.reject = await api.edit(T, () => $.Deferred().reject('fw-cancelled', { why: 'by the transform' })).then(() => 'resolved', codes);
      out.missing = await api.edit(T + ' missing', (rev) => rev.content).then(() => 'resolved', codes);
      out.invalid = await api.edit('Fw[]invalid', (rev) => rev.content).then(() => 'resolved', codes);
      out.createExisting = await api.create(T, {}, 'again').then(() => 'resolved', codes);
      return out;`, (impl) => ({ title: `Fwtest onwiki edit ${impl} ${stamp}` }));
    assert.deepEqual(r.fw.value, r.mw.value);
    if (CA) assert.deepEqual(r.fw.value, {
      create: 'Success', text: 'Success', params: 'Success', promise: 'Success',
      reject: 'rejected fw-cancelled by the transform', missing: 'rejected nocreate-missing', invalid: 'rejected invalidtitle',
      createExisting: 'rejected articleexists',
    });
    for (const impl of CA ? IMPLS : []) {
      const page = (await readB({ action: 'query', prop: 'revisions', rvprop: 'content|user', rvslots: 'main', titles: `Fwtest onwiki edit ${impl} ${stamp}` })).query.pages[0];
      assert.equal(page.revisions[0].slots.main.content, 'v0 +text +params +promise', impl);
      if (CA) assert.equal(page.revisions[0].user, LAB.ADMIN.user, `${impl}: saved as the user logged in on A`);
    }
  });

  test('mw.messagePoster.factory.create(title on B, B\'s api.php).post(): a new section on B (newSection)', async () => {
    const stamp = `${Date.now()}`;
    const r = await both('messagePoster', `
      const poster = await mw.messagePoster.factory.create(new mw.Title(a.talk), a.B_API);
      const posted = await poster.post('Subject ' + a.stamp, 'Body ' + a.stamp + ' ~~~~');
      return { poster: poster.constructor === mw.messagePoster.WikitextMessagePoster,
        result: posted.edit.result, isNew: posted.edit.new, oldrevid: posted.edit.oldrevid, keys: Object.keys(posted.edit).sort() };`,
    (impl) => ({ talk: `Talk:Fwtest onwiki poster ${impl} ${stamp}`, stamp: `${impl} ${stamp}` }));
    assert.deepEqual(r.fw.value, r.mw.value);
    assert.equal(r.fw.value.poster, true);
    for (const impl of IMPLS) {
      const page = (await readB({ action: 'query', prop: 'revisions', rvprop: 'content|user', rvslots: 'main', titles: `Talk:Fwtest onwiki poster ${impl} ${stamp}` })).query.pages[0];
      assert.match(page.revisions[0].slots.main.content, new RegExp(`== Subject ${impl} ${stamp} ==\\s*\\nBody ${impl} ${stamp}`));
      if (CA) assert.equal(page.revisions[0].user, LAB.ADMIN.user);
    }
  });

  test('ForeignRest: (result, jqXHR) and (\'http\', {xhr}) as mw.Rest', async () => {
    const stamp = `${Date.now()}`;
    const r = await both('rest', `
      ${FLATTEN}
      const rest = new mw.ForeignRest(a.B_REST, new mw.ForeignApi(a.B_API));
      const ok = await rest.get('/v1/page/Main_Page', { fwrun: a.stamp })
        .then((body, xhr) => ({ title: body.title, status: xhr.status, ctype: xhr.getResponseHeader('content-type') }), (code, d) => ({ code, textStatus: d.textStatus, status: d.xhr && d.xhr.status }));
      const missing = await flat(rest.get('/v1/page/Fwtest_onwiki_missing_' + a.stamp));
      return { ok, missing };`, (impl) => ({ stamp: `${impl}${stamp}` }));
    const strip = (v) => ({ ...v, missing: { ...v.missing, fwError: undefined } });
    assert.deepEqual(strip(r.fw.value), strip(r.mw.value));
    // Without CentralAuth both are credentialed requests B answers with `ACAO: *` (anonymous): unreadable.
    if (!CA) {
      assert.deepEqual(r.fw.value.ok, { code: 'http', textStatus: 'error', status: 0 });
      return;
    }
    assert.equal(r.fw.value.ok.status, 200);
    assert.equal(r.fw.value.missing.xhr.status, 404);
    assert.match(r.fw.value.missing.fwError, /^RestError /);
  });

  test('mw.ForeignUpload(\'wikib\') (the upload dialog\'s path): chunkedUploadToStash + finishStashUpload, a file of 2 chunks, progress events', async () => {
    const stamp = `${Date.now()}`;
    const r = await both('upload', `
      await mw.loader.using('mediawiki.ForeignUpload');
      // A's $wgForeignUploadTargets names B (tests/lab/up.sh): the target's api.php comes from A's filerepoinfo.
      const upload = new mw.ForeignUpload('wikib');
      // Larger than mw.Api's 5 MiB chunk: two chunks, then the publish from the stash.
      const text = a.stamp + '\\n' + 'foreign-wasm upload test line\\n'.repeat(Math.ceil((5 * 1024 * 1024 + 4096) / 30));
      upload.setFile(new File([text], a.name, { type: 'text/plain' }));
      upload.setFilename(a.name);
      upload.setText('foreign-wasm onwiki upload');
      const progress = [];
      const failed = (code) => ({ failed: code });
      const stashed = await upload.uploadToStash().progress((p) => progress.push(p)).then(() => true, failed);
      if (stashed !== true) return stashed;
      const result = await upload.finishStashUpload().then((x) => x, failed);
      if (result.failed) return result;
      return { size: text.length, result: result.upload.result, progress: progress.length > 0 && progress.every((p) => p >= 0 && p <= 1), last: progress[progress.length - 1],
        state: upload.getState() === mw.Upload.State.UPLOADED, api: upload.api instanceof mw.ForeignApi && upload.api.apiUrl };`,
    (impl) => ({ name: `Fwtest-onwiki-${impl}-${stamp}.txt`, stamp: `${impl} ${stamp}` }));
    assert.deepEqual({ ...r.fw.value }, { ...r.mw.value });
    // Without CentralAuth B sees both anonymously (its cookies are third-party here): the same refusal for both.
    if (!CA) return;
    assert.equal(r.fw.value.result, 'Success');
    assert.equal(r.fw.value.last, 1);
    assert.equal(r.fw.value.api, LAB.B_API, 'mw.ForeignUpload made a mw.ForeignApi for B');
    for (const impl of IMPLS) {
      const page = (await readB({ action: 'query', prop: 'imageinfo', iiprop: 'size|user', titles: `File:Fwtest-onwiki-${impl}-${stamp}.txt` })).query.pages[0];
      assert.equal(page.imageinfo?.[0]?.size, r[impl].value.size, `${impl}: the file is on B`);
      if (CA) assert.equal(page.imageinfo[0].user, LAB.ADMIN.user);
    }
    // Ours: only the requests of calls that passed upload.js's xhr factory (the two chunks) go through
    // XMLHttpRequest, for its progress events; the publish from the stash (no factory) and the token fetches use fetch.
    const uploads = r.fw.wire.filter((e) => !e.preflight && e.method === 'POST' && /action=upload/.test(e.url));
    assert.deepEqual(uploads.map((e) => e.type), ['XHR', 'XHR', 'Fetch'], uploads.map(d).join(', '));
    // (A's filerepoinfo is mw.ForeignUpload's own local mw.Api request: jQuery's.)
    const ours = r.fw.wire.filter((x) => !x.preflight && !/action=upload/.test(x.url) && (site(x.url) === 'B' || /action=centralauthtoken/.test(x.url)));
    assert.ok(ours.length >= 3, ours.map(d).join(', '));
    for (const e of ours) assert.equal(e.type, 'Fetch', d(e));
  });

  test('docs/gadget.md: the gadget that edits, uploads and posts on a foreign wiki runs as written', async (t) => {
    if (!requireCentralAuth(t)) return; // the example acts as the user logged in on A
    const doc = readFileSync(join(REPO, 'docs', 'gadget.md'), 'utf8');
    const match = doc.match(/<!-- example: foreign-wiki-gadget -->\s*\n```js\n([\s\S]*?)\n```/);
    assert.ok(match, 'docs/gadget.md has the foreign-wiki-gadget example');
    assert.doesNotMatch(match[1], /=>|\blet\b|\bconst\b|\basync\b|`/, 'ES5, as MediaWiki 1.39 requires of gadgets');
    const code = match[1].replaceAll('https://commons.wikimedia.org/w/api.php', LAB.B_API);
    await openFor('fw');
    await ctx.page.evaluate(async () => {
      await mw.loader.using(['mediawiki.ForeignApi', 'mediawiki.Upload', 'mediawiki.messagePoster', 'mediawiki.Title', 'mediawiki.notification']);
      // What the gadget-loader gadget publishes (docs/gadget.md, section 2).
      mw.libs.foreignWasm = $.Deferred().resolve(window.ForeignWasm).promise();
    });
    await ctx.page.evaluate(code);
    const note = await ctx.page.waitForSelector('.mw-notification:has-text("on Commons"), .mw-notification-type-error', { timeout: 60000 });
    const text = (await note.innerText()).trim();
    const [, file] = text.match(/^Done on Commons: File:(\S+\.svg)$/) || [];
    assert.ok(file, `notification: ${text}`);
    const info = (await readB({ action: 'query', prop: 'imageinfo', iiprop: 'user', titles: `File:${file}` })).query.pages[0];
    assert.ok(info.imageinfo, `File:${file} is on B`);
    const who = CA ? LAB.ADMIN.user : null;
    if (who) {
      assert.equal(info.imageinfo[0].user, who);
      const pages = (await readB({ action: 'query', prop: 'revisions', rvprop: 'content|user', rvslots: 'main', titles: `User:${who}/foreign-wasm log|User talk:${who}` })).query.pages;
      const byTitle = Object.fromEntries(pages.map((p) => [p.title, p.revisions?.[0]]));
      assert.match(byTitle[`User:${who}/foreign-wasm log`].slots.main.content, new RegExp(`from ${LAB.A.replace(/[.]/g, '\\.')}$`));
      assert.match(byTitle[`User talk:${who}`].slots.main.content, new RegExp(`== Uploaded ${file.replace(/[.]/g, '\\.')} ==\\s*\\nI uploaded \\[\\[:File:`));
      assert.equal(byTitle[`User talk:${who}`].user, who);
    }
  });

  test('CentralAuth only where the local wiki has it; postWithToken passes its assert to the token fetch', async () => {
    await openFor('fw');
    const r = await run('fw', 'centralauth+assert', `
      const api = new mw.ForeignApi(a.B_API);
      const options = await api.postWithToken('csrf', { action: 'options', change: 'userjs-fwonwiki=' + Date.now(), assert: 'user' })
        .then((d) => d.options, (code) => 'rejected ' + code);
      return { registered: mw.loader.getState('ext.centralauth.ForeignApi') !== null, options };`);
    assert.equal(r.value.registered, CA, 'ResourceLoader knows CentralAuth\'s module exactly when the lab has CentralAuth');
    // Without CentralAuth B sees no login from A's page (its cookies are third-party): the token fetch, carrying
    // the call's assert=user, is refused, and nothing else is sent.
    assert.equal(r.value.options, CA ? 'success' : 'rejected assertuserfailed');
    if (!CA) assert.deepEqual(r.trace.map((e) => e.purpose), ['token']);
    const purposes = r.trace.map((e) => e.purpose);
    if (CA) {
      assert.ok(purposes.includes('centralauthtoken'), `CentralAuth mode: ${purposes}`);
      assert.ok(r.trace.every((e) => e.purpose === 'centralauthtoken' || e.credentials === 'omit'));
    } else {
      assert.ok(!purposes.includes('centralauthtoken'), `cookie mode without CentralAuth: ${purposes}`);
      assert.ok(r.trace.every((e) => e.credentials === 'include'));
    }
    const fetch = r.trace.find((e) => e.purpose === 'token');
    assert.match(fetch.displayUrl, /[?&]assert=user(&|$)/, 'the call\'s assert reached the token fetch, as in mw.Api');
  });
});

after(() => {
  if (!records.length) return;
  const dir = join(BROWSER_DIR, 'results');
  mkdirSync(dir, { recursive: true });
  const base = CA ? 'onwiki' : 'onwiki-no-centralauth'; // a lab without CentralAuth (tests/lab/README.md)
  writeFileSync(join(dir, `${base}.json`), `${JSON.stringify(records, null, 1)}\n`);
  const rows = new Map();
  for (const x of records) {
    const row = rows.get(x.name) || {};
    row[x.impl] = x;
    rows.set(x.name, row);
  }
  const cell = (x) => (x ? `${x.requests} (${x.toA}+${x.toB}) · ${x.preflights} · ${x.chain}${x.impl === 'fw' ? ` · ${x.pocket}` : ''}` : '—');
  const lines = ['| snippet | MediaWiki: requests (A+B) · preflights · chain | foreign-wasm: requests (A+B) · preflights · chain · of which pocket refills |', '|---|---|---|'];
  for (const [name, row] of rows) lines.push(`| ${name} | ${cell(row.mw)} | ${cell(row.fw)} |`);
  writeFileSync(join(dir, `${base}.md`), `${lines.join('\n')}\n`);
});

