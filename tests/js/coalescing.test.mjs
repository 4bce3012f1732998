// Identical concurrent reads share one request through the real transport and core; each caller gets its own copy
// of the result, and a write is never shared.
import { describe, it, before, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { BUILDS, loadBuild, json, wiki } from './harness.mjs';
import { body } from './fixtures.mjs';

for (const kind of BUILDS) {
  describe(`coalescing [${kind}]`, () => {
    let env;
    let lib;
    before(async () => {
      env = await loadBuild(kind);
      lib = env.lib;
    });
    afterEach(() => env.reset());

    it('ten identical concurrent reads: one request, ten results that are each the caller\'s own', async () => {
      env.setPage({ origin: 'https://tools.example.net' });
      env.net.reply(() => json(body.userinfoAdmin));
      const api = new lib.ForeignApi(wiki().api);
      const results = await Promise.all(Array.from({ length: 10 }, () => api.get({ meta: 'userinfo' })));
      assert.equal(env.net.requests.length, 1);
      for (const result of results) assert.deepEqual(JSON.parse(JSON.stringify(result)), body.userinfoAdmin);
      results[0].query.userinfo.name = 'changed by the first caller';
      assert.equal(results[1].query.userinfo.name, 'Admin', 'a copy each');
      assert.equal(new Set(results).size, 10);
    });

    it('aborting the first caller leaves the others their answer; identical writes are sent each', async () => {
      env.setPage({ origin: 'https://tools.example.net' });
      env.net.reply((r) => (r.method === 'GET' ? json(body.userinfoAdmin) : json({ purge: [{ title: 'A', purged: '' }] })));
      const api = new lib.ForeignApi(wiki().api);
      const first = api.get({ meta: 'userinfo' });
      const second = api.get({ meta: 'userinfo' });
      first.abort();
      await assert.rejects(first, lib.AbortError);
      assert.equal((await second).query.userinfo.name, 'Admin');
      env.net.reset();
      await Promise.all([api.post({ action: 'purge', titles: 'A' }), api.post({ action: 'purge', titles: 'A' })]);
      assert.equal(env.net.requests.filter((r) => r.method === 'POST').length, 2);
    });
  });
}
