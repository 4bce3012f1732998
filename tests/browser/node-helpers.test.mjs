// The helpers from Node against the lab (no browser): a bot-password login on B with cookies kept by the library
// (js/src/cookie-jar.js), edit with each kind of transform, a provoked edit conflict, mw.Api's error codes, a chunked
// upload from a file path, an async one (B's job runners, tests/lab/up.sh), continuation over 1,200 links,
// saveOptions' bundling. Everything is read back from B.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST, LAB, uniqueTitle, waitForBClockPast, writerOnB } from './lib/lab.mjs';
import { readB } from './lib/browser.mjs';

const FW = await import(pathToFileURL(join(DIST, 'index.js')).href);

// Every request the library sends to B, counted by the test (the library's own fetch is globalThis.fetch).
const sent = [];
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  sent.push({ url: String(input), method: init?.method || 'GET', body: init?.body });
  return realFetch(input, init);
};

let tester;
const dir = mkdtempSync(join(tmpdir(), 'fw-helpers-'));

before(async () => {
  tester = new FW.ForeignApi(LAB.B_API);
  await tester.login(LAB.env.FW_LAB_BOT_USER, LAB.env.FW_LAB_BOT_PASS);
});
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await FW.shutdown();
});

describe('login and edit from Node', () => {
  test('a bot password login holds for later calls (cookies kept per origin)', async () => {
    assert.equal(tester.loggedInAs, LAB.TESTER.user);
    const info = await tester.getUserInfo();
    assert.equal(info.name, LAB.TESTER.user);
    assert.ok(info.rights.includes('upload'), 'the bot password grants upload');
  });

  test('edit with a transform returning text, params, a promise; a rejecting transform writes nothing', async () => {
    const title = uniqueTitle('Helpers edit');
    const created = await tester.create(title, { summary: 'create' }, 'one');
    assert.equal(created.result, 'Success');

    const byText = await tester.edit(title, (revision) => `${revision.content} two`);
    assert.equal(byText.result, 'Success');
    const byParams = await tester.edit(title, () => ({ appendtext: ' three', summary: 'params' }));
    assert.equal(byParams.result, 'Success');
    const byPromise = await tester.edit(title, (revision) => Promise.resolve(`${revision.content} four`));
    assert.equal(byPromise.result, 'Success');
    const before = sent.length;
    await assert.rejects(tester.edit(title, () => Promise.reject(new Error('no thanks'))), /no thanks/);
    assert.equal(sent.slice(before).filter((r) => r.method === 'POST').length, 0, 'no write after a rejected transform');

    const page = await readB({ action: 'query', prop: 'revisions', rvprop: 'content|comment', rvslots: 'main', titles: title });
    assert.equal(page.query.pages[0].revisions[0].slots.main.content, 'one two three four');
  });

  test('a second writer between the read and the write: editconflict, and the other edit stays', async () => {
    const title = uniqueTitle('Helpers conflict');
    await tester.create(title, {}, 'base text');
    const other = await writerOnB(LAB.ADMIN, realFetch);
    const failure = await tester
      .edit(title, async (revision) => {
        await waitForBClockPast(revision.timestamp);
        const second = await other.edit({ title, text: 'admin text', summary: 'second writer' });
        assert.equal(second.edit?.result, 'Success', JSON.stringify(second));
        return `${revision.content} and mine`;
      })
      .then(() => null, (error) => error);
    assert.ok(failure, 'the edit must fail');
    assert.equal(failure.name, 'ApiError');
    assert.equal(failure.code, 'editconflict');
    assert.equal(failure.performed, 'no');
    const page = await readB({ action: 'query', prop: 'revisions', rvprop: 'content', rvslots: 'main', titles: title });
    assert.equal(page.query.pages[0].revisions[0].slots.main.content, 'admin text', 'no lost update');
  });

  test("mw.Api's codes for a missing page and an invalid title, never a TypeError", async () => {
    const missing = await tester.edit(uniqueTitle('Helpers missing'), () => 'x').then(() => null, (e) => e);
    assert.equal(missing.code, 'nocreate-missing');
    const invalid = await tester.edit('Bad[title]', () => 'x').then(() => null, (e) => e);
    assert.equal(invalid.code, 'invalidtitle');
    const exists = await tester.create('Main Page', {}, 'x').then(() => null, (e) => e);
    assert.equal(exists.code, 'articleexists');
  });

  test('saveOptions bundles what it can: one request for three options, one for a name with "="', async () => {
    const before = sent.length;
    await tester.saveOptions({ 'userjs-fw-a': 'x|y', 'userjs-fw-b': '2', 'userjs-fw-c': null, 'userjs-fw=d': 'e' });
    const writes = sent.slice(before).filter((r) => r.method === 'POST');
    assert.equal(writes.length, 2, 'one single request and one bundle');
    const info = await tester.get({ action: 'query', meta: 'userinfo', uiprop: 'options' });
    assert.equal(info.query.userinfo.options['userjs-fw-a'], 'x|y');
    assert.equal(info.query.userinfo.options['userjs-fw-b'], '2');
  });

  test('parse, getMessages, watch, getCategories', async () => {
    const html = await tester.parse("'''bold'''");
    assert.match(html, /<b>bold<\/b>/);
    const messages = await tester.getMessages(['mainpage', 'no-such-message-fw']);
    assert.deepEqual(Object.keys(messages), ['mainpage']);
    await tester.loadMessages(['mainpage']);
    assert.equal(tester.messages.mainpage, messages.mainpage);
    const title = uniqueTitle('Helpers categories');
    await tester.create(title, {}, '[[Category:Fw helpers]]');
    assert.deepEqual(await tester.getCategories(title), ['Category:Fw helpers']);
    const watched = await tester.watch(title);
    assert.equal(watched.watched, true);
  });
});

describe('uploads from Node', () => {
  test('a chunked upload from a file path: one file on B, one upload log entry, progress per chunk', async () => {
    const stamp = Date.now();
    const path = join(dir, 'upload.txt');
    const size = 3 * 1024 * 1024 + 12345;
    writeFileSync(path, Buffer.alloc(size, `fw node upload ${stamp}\n`));
    const filename = `Fw-node-${stamp}.txt`;
    const progress = [];
    const before = sent.length;
    const result = await tester.chunkedUpload(path, { filename, comment: 'node chunked' }, 1024 * 1024, {
      onProgress: (p) => progress.push(p.loaded),
    });
    assert.equal(result.upload.result, 'Success');
    assert.deepEqual(progress, [1048576, 2097152, 3145728, size]);
    assert.equal(sent.slice(before).filter((r) => r.method === 'POST').length, 5, 'four chunks and the publish');
    const info = await readB({ action: 'query', prop: 'imageinfo', iiprop: 'size|user', titles: `File:${filename}` });
    assert.equal(info.query.pages[0].imageinfo[0].size, size);
    assert.equal(info.query.pages[0].imageinfo[0].user, LAB.TESTER.user);
    const log = await readB({ action: 'query', list: 'logevents', letype: 'upload', letitle: `File:${filename}` });
    assert.equal(log.query.logevents.length, 1);
  });

  test('an async chunked upload: B answers Poll while its job runners assemble and publish, then one file', async (t) => {
    const stamp = Date.now();
    const size = 2 * 1024 * 1024 + 777;
    const filename = `Fw-async-${stamp}.txt`;
    const before = sent.length;
    const t0 = Date.now();
    const result = await tester.chunkedUpload(new Blob([Buffer.alloc(size, `fw async ${stamp}\n`)]), { filename, comment: 'node async' },
      1024 * 1024, { async: true });
    t.diagnostic(`async upload of ${size} bytes: ${sent.length - before} requests, ${Date.now() - t0} ms`);
    assert.equal(result.upload.result, 'Success');
    assert.equal(result.upload.filename, filename);
    const bodies = sent.slice(before).filter((r) => r.method === 'POST').map((r) => r.body);
    const field = (body, name) => (body instanceof FormData ? body.get(name) : new URLSearchParams(String(body)).get(name));
    const checks = bodies.filter((body) => field(body, 'checkstatus'));
    assert.ok(checks.length >= 1, 'the library asked for the status while the jobs ran');
    assert.equal(bodies.filter((body) => field(body, 'filekey') && !field(body, 'checkstatus') && !field(body, 'chunk')).length, 1,
      'the publish sent once');
    const info = await readB({ action: 'query', prop: 'imageinfo', iiprop: 'size|user', titles: `File:${filename}` });
    assert.equal(info.query.pages[0].imageinfo[0].size, size);
    assert.equal(info.query.pages[0].imageinfo[0].user, LAB.TESTER.user);
    const log = await readB({ action: 'query', list: 'logevents', letype: 'upload', letitle: `File:${filename}` });
    assert.equal(log.query.logevents.length, 1);
  });

  test('warnings are named: the same bytes again fail with `duplicate`, and the stash key is given', async () => {
    const path = join(dir, 'dup.txt');
    writeFileSync(path, `fw duplicate ${Date.now()}\n`.repeat(100));
    await tester.upload(path, { filename: `Fw-dup-a-${Date.now()}.txt` });
    const error = await tester.upload(path, { filename: `Fw-dup-b-${Date.now()}.txt` }).then(() => null, (e) => e);
    assert.equal(error.code, 'duplicate');
    assert.ok(error.filekey, 'the stashed file can be published with ignorewarnings');
    const published = await tester.uploadFromStash(error.filekey, { filename: `Fw-dup-b-${Date.now()}.txt`, ignorewarnings: true });
    assert.equal(published.upload.result, 'Success');
  });
});

describe('continuation from Node', () => {
  const seed = uniqueTitle('Helpers links');
  const count = 1200;
  before(async () => {
    const links = Array.from({ length: count }, (_, i) => `[[Fw link ${String(i).padStart(4, '0')}]]`).join(' ');
    await tester.create(seed, {}, links);
  });

  test('every link once, in order, in 24 batches of 50', async () => {
    const titles = [];
    let batches = 0;
    const before = sent.length;
    for await (const batch of tester.queryBatches({ prop: 'links', titles: seed, pllimit: 50, formatversion: 2 })) {
      batches++;
      for (const link of batch.query.pages[0].links || []) titles.push(link.title);
    }
    assert.equal(batches, 24);
    assert.equal(sent.length - before, 24, 'one request per batch');
    assert.equal(titles.length, count);
    assert.deepEqual(titles, Array.from({ length: count }, (_, i) => `Fw link ${String(i).padStart(4, '0')}`));
  });

  test('whole pages: the page comes out once with all its links', async () => {
    const pages = [];
    for await (const page of tester.queryFullPages({ prop: 'links', titles: seed, pllimit: 50 })) pages.push(page);
    assert.equal(pages.length, 1);
    assert.equal(pages[0].links.length, count);
  });

  test('stopping in the middle sends no further request (break, and an AbortSignal)', async () => {
    let before = sent.length;
    let batches = 0;
    for await (const batch of tester.queryBatches({ prop: 'links', titles: seed, pllimit: 50 })) {
      assert.ok(batch.query);
      if (++batches === 3) break;
    }
    assert.equal(sent.length - before, 3);

    const controller = new AbortController();
    before = sent.length;
    batches = 0;
    const stopped = await (async () => {
      for await (const batch of tester.queryBatches({ prop: 'links', titles: seed, pllimit: 50 }, { signal: controller.signal })) {
        assert.ok(batch.query);
        if (++batches === 2) controller.abort();
      }
    })().then(() => null, (e) => e);
    assert.equal(stopped?.name, 'AbortError');
    assert.equal(sent.length - before, 2);
  });
});
