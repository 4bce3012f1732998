// mw.Api's plugins off-wiki (js/src/helpers/) in both builds, over the recorded answers of
// tests/core/fixtures/helper-answers.json (the lab's wiki B): what goes on the wire for edit, uploads, options and
// continuation, and what a hostile or broken answer gets (a named error, no further request).
import { describe, it, before, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BUILDS, loadBuild, json, networkError, wiki, q, form } from './harness.mjs';
import { body } from './fixtures.mjs';

const recorded = JSON.parse(readFileSync(new URL('../core/fixtures/helper-answers.json', import.meta.url), 'utf8'));
const PAGE = 'https://tools.example.net';
// A POST's fields, multipart (chunks: the blob as <blob size>) or form-urlencoded.
const fields = (r) => Object.fromEntries((r.form || form(r)).map(([k, v]) => [k, typeof v === 'string' ? v : `<blob ${v.size}>`]));

for (const kind of BUILDS) {
  describe(`helpers [${kind}]`, () => {
    let env;
    let lib;
    before(async () => {
      env = await loadBuild(kind);
      lib = env.lib;
    });
    afterEach(() => env.reset());

    it('edit: the read, then the write with basetimestamp, starttimestamp, baserevid, nocreate, the token last', async () => {
      env.setPage({ origin: PAGE });
      const b = wiki();
      env.net.reply((r) => {
        if (q(r, 'meta') === 'tokens') return json(body.csrfTokens());
        if (r.method === 'GET') return json(recorded.editRead);
        return json(recorded.editSuccess);
      });
      const api = new lib.ForeignApi(b.api);
      const seen = [];
      const result = await api.edit('Helper fixture', (revision) => {
        seen.push(revision);
        return `${revision.content} + more`;
      });
      assert.equal(result.newrevid, recorded.editSuccess.edit.newrevid);
      const revision = recorded.editRead.query.pages[0].revisions[0];
      assert.deepEqual(JSON.parse(JSON.stringify(seen)), [{ timestamp: revision.timestamp, content: 'first text' }]);
      const [read, , write] = env.net.requests;
      assert.equal(q(read, 'rvprop'), 'content|timestamp|ids');
      assert.equal(q(read, 'curtimestamp'), '1');
      const sent = Object.fromEntries(form(write));
      assert.equal(sent.text, 'first text + more');
      assert.equal(sent.basetimestamp, revision.timestamp);
      assert.equal(sent.starttimestamp, recorded.editRead.curtimestamp);
      assert.equal(sent.baserevid, String(revision.revid));
      assert.equal(sent.nocreate, '1');
      assert.equal(form(write).at(-1)[0], 'token');
    });

    it('edit: a missing page and an invalid title are mw.Api codes, and nothing is written', async () => {
      const b = wiki();
      env.net.reply((r) => json(q(r, 'titles') === 'Bad[title]' ? recorded.editReadInvalid : recorded.editReadMissing));
      const api = new lib.ForeignApi(b.api, { anonymous: true });
      await assert.rejects(api.edit('Nope', () => 'x'), (e) => e.code === 'nocreate-missing' && e.name === 'ApiError');
      await assert.rejects(api.edit('Bad[title]', () => 'x'), (e) => e.code === 'invalidtitle');
      assert.equal(env.net.requests.filter((r) => r.method === 'POST').length, 0);
    });

    it('edit: the server says editconflict → ApiError editconflict, performed no, not repeated', async () => {
      const b = wiki();
      env.net.reply((r) => {
        if (q(r, 'meta') === 'tokens') return json(body.csrfTokens());
        return json(r.method === 'GET' ? recorded.editRead : recorded.editConflict);
      });
      const api = new lib.ForeignApi(b.api);
      await assert.rejects(api.edit('Helper fixture', (rev) => rev.content), (e) => e.code === 'editconflict' && e.performed === 'no');
      assert.equal(env.net.requests.filter((r) => r.method === 'POST').length, 1);
    });

    it('continuation: the next request is the original plus `continue`; a hostile `continue` stops it', async () => {
      const b = wiki();
      let n = 0;
      env.net.reply(() => json([recorded.linksFirst, recorded.linksSecond, recorded.linksLast][n++]));
      const api = new lib.ForeignApi(b.api, { anonymous: true });
      const counts = [];
      for await (const batch of api.queryBatches({ prop: 'links', titles: 'Seed', pllimit: 50 })) counts.push(batch.query.pages[0].links.length);
      assert.deepEqual(counts, [50, 50, 20]);
      assert.equal(q(env.net.requests[1], 'plcontinue'), recorded.linksFirst.continue.plcontinue);
      assert.equal(q(env.net.requests[2], 'plcontinue'), recorded.linksSecond.continue.plcontinue);
      assert.equal(q(env.net.requests[2], 'titles'), 'Seed');

      env.net.reset();
      env.net.reply(() => json({ batchcomplete: true, continue: { action: 'delete', continue: '-||' }, query: {} }));
      const it = api.queryBatches({ list: 'allpages' });
      await it.next();
      await assert.rejects(it.next(), (e) => e.code === 'unexpected-response');
      assert.equal(env.net.requests.length, 1);
    });

    it('queryFullPages: one page, its links merged across the three batches', async () => {
      const b = wiki();
      let n = 0;
      env.net.reply(() => json([recorded.linksFirst, recorded.linksSecond, recorded.linksLast][n++]));
      const api = new lib.ForeignApi(b.api, { anonymous: true });
      const pages = [];
      for await (const page of api.queryFullPages({ prop: 'links', titles: 'Seed', pllimit: 50 })) pages.push(page);
      assert.equal(pages.length, 1);
      assert.equal(pages[0].links.length, 120);
    });

    it('chunked upload: a lost chunk answer → checkstatus → the chunk again from the server offset; no timeout', async () => {
      const b = wiki();
      const answers = [recorded.chunkFirst, 'lost', recorded.checkStatus, recorded.chunkSecond, recorded.chunkLast, recorded.publish];
      let n = 0;
      env.net.reply((r) => {
        if (q(r, 'meta') === 'tokens') return json(body.csrfTokens());
        const answer = answers[n++];
        return answer === 'lost' ? networkError() : json(answer);
      });
      const api = new lib.ForeignApi(b.api);
      const progress = [];
      const data = 'x'.repeat(2450);
      const result = await api.chunkedUpload(new Blob([data]), { filename: 'Helper.txt', comment: 'c' }, 1024, {
        onProgress: (p) => progress.push(p.loaded),
      });
      assert.equal(result.upload.result, 'Success');
      assert.deepEqual(progress, [1024, 2048, 2450]);
      const posts = env.net.requests.filter((r) => r.method === 'POST').map(fields);
      assert.deepEqual(
        posts.map((f) => f.checkstatus ? 'status' : f.chunk ? `chunk@${f.offset} ${f.chunk}` : `publish ${f.filekey}`),
        ['chunk@0 <blob 1024>', 'chunk@1024 <blob 1024>', 'status', 'chunk@1024 <blob 1024>', 'chunk@2048 <blob 402>', `publish ${recorded.chunkLast.upload.filekey}`],
      );
      assert.equal(posts[1].filekey, recorded.chunkFirst.upload.filekey);
    });

    it('chunked upload: the publish is never repeated after a lost answer (performed maybe, filekey given)', async () => {
      const b = wiki();
      const answers = [recorded.chunkFirst, recorded.chunkSecond, recorded.chunkLast, 'lost'];
      let n = 0;
      env.net.reply((r) => {
        if (q(r, 'meta') === 'tokens') return json(body.csrfTokens());
        const answer = answers[n++];
        return answer === 'lost' ? networkError() : json(answer);
      });
      const api = new lib.ForeignApi(b.api);
      const error = await api.chunkedUpload(new Blob(['y'.repeat(2450)]), { filename: 'Helper.txt' }, 1024).then(() => null, (e) => e);
      assert.equal(error?.name, 'NetworkError');
      assert.equal(error.performed, 'maybe');
      assert.equal(error.filekey, recorded.chunkLast.upload.filekey);
      assert.equal(env.net.requests.filter((r) => r.method === 'POST').length, 4);
    });

    it('upload warnings: `duplicate` is the failure code, the stash key is on the error', async () => {
      const b = wiki();
      env.net.reply((r) => json(q(r, 'meta') === 'tokens' ? body.csrfTokens() : recorded.publishDuplicate));
      const api = new lib.ForeignApi(b.api);
      const error = await api.upload(new Blob(['z']), { filename: 'Dup.txt' }).then(() => null, (e) => e);
      assert.equal(error.code, 'duplicate');
      assert.equal(error.filekey, recorded.publishDuplicate.upload.filekey);
    });

    it('upload: an answer that is neither Success nor Warning is "may have been performed", never a success', async () => {
      const odd = [{ upload: 5 }, { upload: { result: 'Failure' } }, { upload: { result: 7 } }, { upload: { result: 'Poll' } },
        { upload: { result: 'Warning', warnings: 'exists' } }, { upload: [] }];
      for (const answer of odd) {
        const b = wiki();
        env.net.reply((r) => json(q(r, 'meta') === 'tokens' ? body.csrfTokens() : answer));
        const api = new lib.ForeignApi(b.api);
        const error = await api.upload(new Blob(['z']), { filename: 'Odd.txt' }).then(() => null, (e) => e);
        assert.equal(error?.name, 'ResponseError', JSON.stringify(answer));
        assert.equal(error.code, 'unexpected-response');
        assert.equal(error.performed, 'maybe');
        await env.reset();
      }
      // A stash that names no filekey cannot be finished: not a success either.
      const b = wiki();
      env.net.reply((r) => json(q(r, 'meta') === 'tokens' ? body.csrfTokens() : { upload: { result: 'Success' } }));
      const error = await new lib.ForeignApi(b.api).uploadToStash(new Blob(['z']), { filename: 'Odd.txt' }).then(() => null, (e) => e);
      assert.equal(error?.code, 'unexpected-response');
      // A nameless warning (which no wiki sends) is skipped for the failure code; no warning named at all is `unknown`.
      for (const [warnings, code] of [[{ '': 1, exists: 'Odd.txt' }, 'exists'], [{ '': 1 }, 'unknown'], [{}, 'unknown']]) {
        await env.reset();
        const w = wiki();
        env.net.reply((r) => json(q(r, 'meta') === 'tokens' ? body.csrfTokens() : { upload: { result: 'Warning', warnings } }));
        const refused = await new lib.ForeignApi(w.api).upload(new Blob(['z']), { filename: 'Odd.txt' }).then(() => null, (e) => e);
        assert.equal(refused?.name, 'ApiError');
        assert.equal(refused.code, code);
        assert.equal(refused.performed, 'no');
      }
    });

    it('read helpers: an answer without the part they return is a named error, never a TypeError', async () => {
      const calls = {
        parse: (api) => api.parse('x'),
        getMessages: (api) => api.getMessages(['a', 'b']),
        getCategoriesByPrefix: (api) => api.getCategoriesByPrefix('Fo'),
        getCategories: (api) => api.getCategories('Foo'),
        isCategory: (api) => api.isCategory('Category:Foo'),
      };
      const odd = [{ x: 1 }, { query: 5 }, { query: { pages: 5, allmessages: 5, allpages: 5 } }, { parse: { text: 5 } },
        { query: { pages: [{ categories: 5 }], allmessages: [5, null, {}], allpages: [5, null] } }];
      for (const [name, call] of Object.entries(calls)) {
        for (const answer of odd) {
          env.net.reply(() => json(answer));
          const outcome = await call(new lib.ForeignApi(wiki().api)).then((value) => ({ value }), (error) => ({ error }));
          if (outcome.error) {
            assert.ok(outcome.error instanceof lib.ForeignApiError, `${name} ${JSON.stringify(answer)}: ${outcome.error}`);
            assert.equal(outcome.error.code, 'unexpected-response');
          }
          await env.reset();
        }
      }
      env.net.reply(() => json({ query: { allmessages: [5, null, { name: 'a', content: 'A' }, { name: 'b', missing: true }] } }));
      assert.deepEqual({ ...(await new lib.ForeignApi(wiki().api).getMessages(['a', 'b'])) }, { a: 'A' });
    });

    it('saveOptions: one bundle in U+001F form when a value has "|", a single request for a name with "="', async () => {
      const b = wiki();
      env.net.reply((r) => json(q(r, 'meta') === 'tokens' ? body.csrfTokens() : recorded.optionsSuccess));
      const api = new lib.ForeignApi(b.api);
      await api.saveOptions({ 'userjs-a': 'x|y', 'userjs-b': null, 'userjs-c=d': 'e' });
      const posts = env.net.requests.filter((r) => r.method === 'POST').map((r) => Object.fromEntries(form(r)));
      assert.equal(posts.length, 2);
      assert.equal(posts[0].optionname, 'userjs-c=d');
      assert.equal(posts[1].change, '\x1fuserjs-a=x|y\x1fuserjs-b');
    });

    it('abort() during the transform: no write, AbortError', async () => {
      const b = wiki();
      env.net.reply(() => json(recorded.editRead));
      const api = new lib.ForeignApi(b.api, { anonymous: true });
      let promise;
      promise = api.edit('Helper fixture', () => {
        promise.abort();
        return 'x';
      });
      await assert.rejects(promise, (e) => e.name === 'AbortError');
      assert.equal(env.net.requests.filter((r) => r.method === 'POST').length, 0);
    });
  });
}
