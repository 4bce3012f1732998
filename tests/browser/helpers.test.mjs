// The helpers in Chromium, from a tool page (the static origin) with CentralAuth (Admin logged in on A only):
// continuation over 1,200 links with a fresh centralauthtoken per batch, edit with a provoked conflict, and a 5 MB
// chunked upload in 1 MB chunks whose connection is cut after a chunk — once before the chunk reached B, once after B
// took it — each resuming from the offset B reports, ending with one file and one upload log entry; and the same
// helpers in a module Worker.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LAB, requireCentralAuth, uniqueTitle, waitForBClockPast, writerOnB } from './lib/lab.mjs';
import { BUILDS, inPage, launch, loginInBrowser, newPage, openHarness, readB } from './lib/browser.mjs';
import { centralTokenOf, site } from './lib/netlog.mjs';

let browser;
let ctx;
const options = { centralAuth: LAB.A_API, localUser: LAB.ADMIN.user };

before(async () => {
  if (!LAB.CENTRALAUTH) return;
  browser = await launch();
  ctx = await newPage(browser);
  await loginInBrowser(ctx.page, LAB.A, LAB.ADMIN);
  const tester = await writerOnB(LAB.TESTER);
  // Called by the page's transform: waits for B's clock to leave the base revision's second (see waitForBClockPast).
  await ctx.page.exposeFunction('fwSecondWriter', async (title, timestamp) => {
    await waitForBClockPast(timestamp);
    const answer = await tester.edit({ title, text: 'second writer text', summary: 'second writer' });
    return answer.edit?.result;
  });
});
after(async () => {
  await browser?.close();
});

const uploadPosts = (wire) => wire.filter((e) => site(e.url) === 'B' && e.method === 'POST' && /action=upload/.test(e.url));

for (const build of BUILDS) {
  describe(`helpers from a tool page with CentralAuth (${build} build)`, () => {
    test('continuation: 1,200 links in 24 batches, each request with its own centralauthtoken', async (t) => {
      if (!requireCentralAuth(t)) return;
      await openHarness(ctx.page, build);
      const seed = uniqueTitle('Browser links');
      const start = ctx.net.mark();
      const r = await inPage(
        ctx.page,
        async ({ api, options, seed }) => {
          const fw = new FW.ForeignApi(api, options);
          const links = Array.from({ length: 1200 }, (_, i) => `[[Fw link ${String(i).padStart(4, '0')}]]`).join(' ');
          await fw.create(seed, {}, links);
          const titles = [];
          let batches = 0;
          for await (const batch of fw.queryBatches({ prop: 'links', titles: seed, pllimit: 50, formatversion: 2 })) {
            batches++;
            for (const link of batch.query.pages[0].links || []) titles.push(link.title);
          }
          return { batches, titles };
        },
        { api: LAB.B_API, options, seed },
      );
      assert.ok(r.ok, JSON.stringify(r.error));
      assert.equal(r.value.batches, 24);
      assert.deepEqual(r.value.titles, Array.from({ length: 1200 }, (_, i) => `Fw link ${String(i).padStart(4, '0')}`));
      const wire = await ctx.net.settle(start);
      const reads = wire.filter((e) => site(e.url) === 'B' && !e.preflight && e.method === 'GET' && /prop=links/.test(e.url));
      assert.equal(reads.length, 24, 'one request per batch');
      for (const e of reads) assert.equal(centralTokenOf(e).length, 1, 'every batch request carries one centralauthtoken');
    });

    test('edit: a second writer between the read and the write gives editconflict, and no lost update', async (t) => {
      if (!requireCentralAuth(t)) return;
      await openHarness(ctx.page, build);
      const title = uniqueTitle('Browser conflict');
      const r = await inPage(
        ctx.page,
        async ({ api, options, title }) => {
          const fw = new FW.ForeignApi(api, options);
          await fw.create(title, {}, 'base text');
          return fw
            .edit(title, async (revision) => {
              const second = await window.fwSecondWriter(title, revision.timestamp);
              if (second !== 'Success') throw new Error(`the second writer failed: ${second}`);
              return `${revision.content} and mine`;
            })
            .then(
              () => ({ saved: true }),
              (error) => ({ name: error.name, code: error.code, performed: error.performed }),
            );
        },
        { api: LAB.B_API, options, title },
      );
      assert.ok(r.ok, JSON.stringify(r.error));
      assert.deepEqual(r.value, { name: 'ApiError', code: 'editconflict', performed: 'no' });
      const page = await readB({ action: 'query', prop: 'revisions', rvprop: 'content', rvslots: 'main', titles: title });
      assert.equal(page.query.pages[0].revisions[0].slots.main.content, 'second writer text');
    });

    // A Worker imports the ES module build (the classic script is for pages): one run, with the esm build.
    if (build === 'esm') test('in a module Worker: edit, continuation and a chunked upload with CentralAuth, off the page', async (t) => {
      if (!requireCentralAuth(t)) return;
      await openHarness(ctx.page, build);
      const title = uniqueTitle('Worker helpers');
      const r = await inPage(
        ctx.page,
        ({ api, options, title, dist }) =>
          new Promise((resolve, reject) => {
            const source = `
              import { ForeignApi } from ${JSON.stringify(dist)};
              onmessage = async ({ data }) => {
                try {
                  const fw = new ForeignApi(data.api, data.options);
                  await fw.create(data.title, {}, '[[Worker link 1]] [[Worker link 2]] [[Worker link 3]]');
                  const edited = await fw.edit(data.title, (rev) => rev.content + ' [[Worker link 4]]');
                  const links = [];
                  for await (const batch of fw.queryBatches({ prop: 'links', titles: data.title, pllimit: 2, formatversion: 2 }))
                    for (const link of batch.query.pages[0].links || []) links.push(link.title);
                  const name = 'Fw-worker-' + Date.now() + '.txt';
                  const up = await fw.chunkedUpload(new Blob(['worker '.repeat(300000) + name]), { filename: name }, 1024 * 1024);
                  postMessage({ ok: true, edited: edited.result, links, upload: up.upload.result, name });
                } catch (error) {
                  postMessage({ ok: false, error: String(error && error.message || error) });
                }
              };`;
            const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })), { type: 'module' });
            worker.onmessage = ({ data }) => (data.ok ? resolve(data) : reject(new Error(data.error)));
            worker.onerror = (e) => reject(new Error(e.message));
            worker.postMessage({ api, options, title });
          }),
        { api: LAB.B_API, options, title, dist: `${LAB.STATIC}/js/dist/index.js` },
      );
      assert.ok(r.ok, JSON.stringify(r.error));
      assert.equal(r.value.edited, 'Success');
      assert.deepEqual(r.value.links, ['Worker link 1', 'Worker link 2', 'Worker link 3', 'Worker link 4']);
      assert.equal(r.value.upload, 'Success');
      const file = await readB({ action: 'query', prop: 'imageinfo', iiprop: 'user', titles: `File:${r.value.name}` });
      assert.equal(file.query.pages[0].imageinfo[0].user, LAB.ADMIN.user);
    });

    for (const cut of ['before', 'after']) {
      test(`5 MB in 1 MB chunks, the connection cut ${cut} B took chunk 4: resumed from B's offset, one file`, async (t) => {
        if (!requireCentralAuth(t)) return;
        await openHarness(ctx.page, build);
        const filename = `Fw-browser-${build}-${cut}-${Date.now()}.txt`;
        let posts = 0;
        // Only this test routes B's api.php, and only while it runs (routing changes how Chromium handles CORS).
        const handler = async (route) => {
          const request = route.request();
          if (request.method() !== 'POST' || !/action=upload/.test(request.url()) || ++posts !== 4) return route.continue();
          if (cut === 'after') await route.fetch(); // B takes the chunk; its answer is lost
          return route.abort('connectionreset');
        };
        await ctx.page.route(`${LAB.B_API}*`, handler);
        const start = ctx.net.mark();
        let r;
        try {
          r = await inPage(
            ctx.page,
            async ({ api, options, filename }) => {
              const fw = new FW.ForeignApi(api, options);
              const line = `fw browser upload ${filename}\n`;
              const size = 5 * 1024 * 1024;
              const text = line.repeat(Math.ceil(size / line.length)).slice(0, size);
              const progress = [];
              const t0 = performance.now();
              const result = await fw.chunkedUpload(new Blob([text]), { filename, comment: 'chunked' }, 1024 * 1024, {
                onProgress: (p) => progress.push(p.loaded),
              });
              return { result: result.upload.result, progress, ms: performance.now() - t0 };
            },
            { api: LAB.B_API, options, filename },
          );
        } finally {
          await ctx.page.unroute(`${LAB.B_API}*`, handler);
        }
        assert.ok(r.ok, JSON.stringify(r.error));
        assert.equal(r.value.result, 'Success');
        const mb = 1024 * 1024;
        // Progress moves only when B's offset does: a status check that finds 3 MB reports nothing new.
        assert.deepEqual(r.value.progress, [mb, 2 * mb, 3 * mb, 4 * mb, 5 * mb]);
        const wire = await ctx.net.settle(start);
        const upload = uploadPosts(wire);
        // chunks 1-4, the status check, then (cut before) chunk 4 again, chunk 5, the publish
        assert.equal(upload.length, cut === 'before' ? 8 : 7, upload.map((e) => e.url.slice(0, 60)).join('\n'));
        t.diagnostic(`5 MB, cut ${cut}: ${upload.length} upload requests, ${Math.round(r.value.ms)} ms`);
        const info = await readB({ action: 'query', prop: 'imageinfo', iiprop: 'size|user', titles: `File:${filename}` });
        assert.equal(info.query.pages[0].imageinfo[0].size, 5 * mb);
        assert.equal(info.query.pages[0].imageinfo[0].user, LAB.ADMIN.user);
        const log = await readB({ action: 'query', list: 'logevents', letype: 'upload', letitle: `File:${filename}` });
        assert.equal(log.query.logevents.length, 1, 'one upload log entry');
      });
    }
  });
}
