// mw.Api compatibility of the returned promises (.done/.fail(code, result)/.always, .abort()), AbortSignal,
// timeouts, and install() for existing gadget code.
import { describe, it, before, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { BUILDS, loadBuild, json, wiki, q, until } from './harness.mjs';
import { body } from './fixtures.mjs';

const plain = (value) => JSON.parse(JSON.stringify(value));
const never = () => new Promise(() => {});

for (const kind of BUILDS) {
  describe(`mw.Api compatibility [${kind}]`, () => {
    let env;
    let lib;
    before(async () => {
      env = await loadBuild(kind);
      lib = env.lib;
    });
    afterEach(() => env.reset());

    it('.done(result) and .always() on success; each returns the same promise', async () => {
      const b = wiki();
      env.net.reply(() => json(body.userinfoAdmin));
      const seen = [];
      const promise = new lib.ForeignApi(b.api).get({ meta: 'userinfo' });
      assert.equal(promise.done((r) => seen.push(['done', plain(r)])), promise);
      assert.equal(promise.fail(() => seen.push(['fail'])), promise);
      assert.equal(promise.always(() => seen.push(['always'])), promise);
      await promise;
      await Promise.resolve();
      assert.deepEqual(seen, [['done', body.userinfoAdmin], ['always']]);
    });

    it('.fail(code, result, result, error) with the server\'s code and the full response', async () => {
      const b = wiki();
      env.net.reply(() => json(body.assertUserFailed));
      const args = await new Promise((resolve) => {
        new lib.ForeignApi(b.api).get({ meta: 'userinfo', assert: 'user' }).fail((...a) => resolve(a));
      });
      assert.equal(args[0], 'assertuserfailed');
      assert.deepEqual(plain(args[1]), body.assertUserFailed);
      assert.equal(args[2], args[1]);
      assert.ok(args[3] instanceof lib.ApiError);
    });

    it('a .then() chain keeps the jQuery methods; .done() alone does not make an unhandled rejection', async () => {
      const b = wiki();
      env.net.reply(() => json(body.assertUserFailed));
      const api = new lib.ForeignApi(b.api);
      api.get({ meta: 'userinfo' }).done(() => {}); // rejected, nobody catches: must not crash the process
      const code = await new Promise((resolve) => {
        api.get({ meta: 'userinfo' }).then((r) => r).fail((c) => resolve(c));
      });
      assert.equal(code, 'assertuserfailed');
    });

    it('promise.abort(): AbortError, and the fetch itself is aborted', async () => {
      const b = wiki();
      env.net.reply(never);
      const promise = new lib.ForeignApi(b.api).get({ meta: 'userinfo' });
      await until(() => env.net.requests.length === 1);
      promise.abort();
      await assert.rejects(promise, (e) => e instanceof lib.AbortError && e.code === 'abort');
      assert.equal(env.net.requests[0].signal.aborted, true);
    });

    it('api.abort() aborts every pending call of that instance only', async () => {
      const b = wiki();
      env.net.reply((r) => (q(r, 'list') === 'other' ? json(body.userinfoAdmin) : never()));
      const api = new lib.ForeignApi(b.api);
      const other = new lib.ForeignApi(b.api);
      const calls = [api.get({ meta: 'userinfo' }), api.post({ action: 'purge', titles: 'X' })];
      const survivor = other.get({ list: 'other' });
      await until(() => env.net.requests.length === 3);
      api.abort();
      for (const call of calls) await assert.rejects(call, lib.AbortError);
      assert.deepEqual(plain(await survivor), body.userinfoAdmin);
    });

    it('an AbortSignal in ajaxOptions aborts the call, also before anything was sent', async () => {
      const b = wiki();
      env.net.reply(never);
      const api = new lib.ForeignApi(b.api);
      const controller = new AbortController();
      const promise = api.get({ meta: 'userinfo' }, { signal: controller.signal });
      controller.abort();
      await assert.rejects(promise, lib.AbortError);
      const already = AbortSignal.abort();
      await assert.rejects(api.get({ meta: 'userinfo' }, { signal: already }), lib.AbortError);
      assert.ok(env.net.requests.every((r) => r.signal.aborted));
    });

    it('timeout: a request that never answers fails with TimeoutError after ajax.timeout', async () => {
      const b = wiki();
      env.net.reply(never);
      const started = Date.now();
      const error = await new lib.ForeignApi(b.api, { ajax: { timeout: 60 } }).get({ meta: 'userinfo' }).then(
        () => assert.fail('resolved'),
        (e) => e,
      );
      assert.ok(error instanceof lib.TimeoutError, error.name);
      assert.equal(error.code, 'timeout');
      assert.ok(Date.now() - started >= 55, 'not before the timeout');
      assert.equal(env.net.requests[0].signal.aborted, true, 'the fetch is aborted, not left running');
    });

    it('per-call timeout (ajaxOptions.timeout) overrides the instance\'s', async () => {
      const b = wiki();
      env.net.reply(never);
      const api = new lib.ForeignApi(b.api, { ajax: { timeout: 60000 } });
      await assert.rejects(api.get({ meta: 'userinfo' }, { timeout: 30 }), lib.TimeoutError);
    });

    it('install() puts the classes on mw, so existing gadget code runs unchanged; the restore function undoes it', async () => {
      const b = wiki();
      env.net.reply(() => json(body.userinfoAdmin));
      const original = function OriginalForeignApi() {};
      const mw = { ForeignApi: original, ForeignRest: original };
      const restore = lib.install(mw);
      assert.equal(mw.ForeignApi, lib.ForeignApi);
      assert.equal(mw.ForeignRest, lib.ForeignRest);
      const name = await new Promise((resolve, reject) => {
        new mw.ForeignApi(b.api).get({ action: 'query', meta: 'userinfo' }).done((data) => resolve(data.query.userinfo.name)).fail(reject);
      });
      assert.equal(name, 'Admin');
      restore();
      assert.equal(mw.ForeignApi, original);
      assert.throws(() => lib.install(undefined), env.builtin('TypeError'), 'nothing to install into outside a wiki page');
    });
  });
}
