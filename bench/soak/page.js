// The soak's page side, evaluated in a page of wiki A that has the library loaded (window.FW, as
// tests/browser/lib/browser.mjs openWikiPage leaves it). soakStart(cfg) runs cfg.plan with cfg.concurrency calls
// at a time and returns at once; window.soakState holds the progress and one outcome per call. Every call is
// raced against a watchdog: one unsettled after cfg.watchdogMs is recorded as a hang (and its late outcome, if
// it ever comes, is kept beside it).
(function () {
  'use strict';

  var state = (window.soakState = { started: 0, done: 0, running: 0, finished: false, results: [], probes: [] });

  function errorOf(e) {
    if (!e || typeof e !== 'object') return { name: '(not an Error)', code: String(e), performed: undefined, named: false };
    return {
      name: e.name,
      code: e.code,
      performed: e.performed,
      status: e.status,
      info: String(e.info || e.message || '').slice(0, 240),
      named: !!(window.FW && e instanceof window.FW.ForeignApiError),
    };
  }

  // A centralauthtoken minted by hand on A (same origin: A's session cookie, no origin parameter).
  function mintToken(cfg) {
    return fetch(cfg.A_API + '?action=centralauthtoken&format=json', { credentials: 'include' })
      .then(function (r) { return r.json(); })
      .then(function (j) { return j.centralauthtoken.centralauthtoken; });
  }

  // Uses a token once on B, raw, so the server has consumed it. The proxy never faults "soakraw-" requests.
  function useRaw(cfg, token, tag) {
    var url = cfg.B_API + '?action=query&meta=userinfo&format=json&requestid=soakraw-' + tag +
      '&origin=' + encodeURIComponent(location.origin) + '&centralauthtoken=' + token;
    var t0 = performance.now();
    return fetch(url, { credentials: 'omit' }).then(
      function (r) { return r.json().then(function (j) { return { ok: true, name: j.query && j.query.userinfo.name, ms: performance.now() - t0 }; }); },
      function (e) { return { ok: false, error: e.name + ': ' + e.message, ms: performance.now() - t0 }; });
  }

  var expiredPool = []; // {token, at}: minted at the start, handed to calls once older than 61 s

  // The stale centralauthtoken a "used-token" / "expired-token" / "unknown-token" call hands to the library.
  function staleToken(cfg, item) {
    if (item.variant === 'unknown-token') return Promise.resolve('0123456789abcdef0123456789abcdef1');
    if (item.variant === 'expired-token') {
      var e = expiredPool.shift();
      if (!e) return mintToken(cfg).then(function (t) { return delay(61500).then(function () { return t; }); });
      var wait = Math.max(0, e.at + 61500 - performance.now());
      return delay(wait).then(function () { return e.token; });
    }
    // used-token: consumed on B by hand first; sometimes sent a second time by hand to see the server refuse it.
    return mintToken(cfg).then(function (token) {
      return useRaw(cfg, token, item.n + '-1').then(function (first) {
        var probe = { n: item.n, first: first };
        state.probes.push(probe);
        if (!item.rawReuse) return token;
        return useRaw(cfg, token, item.n + '-2').then(function (second) {
          probe.second = second;
          return token;
        });
      });
    });
  }

  function delay(ms) {
    return new Promise(function (r) { setTimeout(r, ms); });
  }

  function callOf(cfg, inst, item, extra) {
    var params = { requestid: 'soak-' + cfg.run + '-' + item.n };
    if (item.variant === 'maxlag') params.maxlag = -2; // -1 never trips on a single DB server (lag is -1)
    if (extra.centralauthtoken) params.centralauthtoken = extra.centralauthtoken;
    // slow-proxy: a timeout longer than the proxy's 62 s hold (the default, 30 s, would end the call first), so the
    // library sees what B answers to the expired token.
    var ajax = item.variant === 'timeout' ? { timeout: cfg.shortTimeoutMs } : item.variant === 'slow-proxy' ? { timeout: 75000 } : {};
    var marker = item.marker;
    var assign = function (target) {
      for (var k in params) target[k] = params[k];
      return target;
    };
    switch (item.kind) {
      case 'read':
        return inst.api.get(assign({ action: 'query', meta: 'userinfo' }), ajax).then(function (r) {
          var name = r && r.query && r.query.userinfo && r.query.userinfo.name;
          if (name !== cfg.user) throw { soakWrong: 'read as ' + JSON.stringify(name) + ', not ' + cfg.user };
          return { name: name };
        });
      case 'edit':
        return inst.api
          .postWithToken('csrf', assign({ action: 'edit', title: item.title, appendtext: marker + '\n', summary: marker }), ajax)
          .then(function (r) {
            if (!r || !r.edit || r.edit.result !== 'Success') throw { soakWrong: 'edit answer ' + JSON.stringify(r).slice(0, 200) };
            return { result: r.edit.result, newrevid: r.edit.newrevid, nochange: 'nochange' in r.edit };
          });
      case 'options':
        return inst.api
          .postWithToken('csrf', assign({ action: 'options', change: item.option + '=' + marker }), ajax)
          .then(function (r) {
            if (!r || r.options !== 'success') throw { soakWrong: 'options answer ' + JSON.stringify(r).slice(0, 200) };
            return { options: r.options };
          });
      case 'rest':
        return inst.rest
          .put('/v1/page/{title}', { source: marker, comment: marker }, {}, { pathParams: { title: item.title }, timeout: ajax.timeout })
          .then(function (r) {
            if (!r || !r.latest) throw { soakWrong: 'REST answer ' + JSON.stringify(r).slice(0, 200) };
            return { revision: r.latest.id };
          });
      case 'upload':
        // A new file each time (its content is the marker, so never a duplicate); no ignorewarnings, so a second
        // performance could only be an overwrite B refuses.
        return inst.api
          .upload(new Blob([marker + '\n'], { type: 'text/plain' }), { filename: item.title.slice(5), comment: marker, text: marker })
          .then(function (r) {
            if (!r || !r.upload || r.upload.result !== 'Success') throw { soakWrong: 'upload answer ' + JSON.stringify(r).slice(0, 200) };
            return { result: r.upload.result, filename: r.upload.filename };
          });
      default:
        return Promise.reject(new Error('unknown kind ' + item.kind));
    }
  }

  function runOne(cfg, instances, item) {
    var out = { n: item.n, kind: item.kind, variant: item.variant, inst: item.inst, t0: Date.now() };
    state.results[item.n] = out;
    var p0 = performance.now();
    var settled = false;
    var prep = item.variant === 'used-token' || item.variant === 'expired-token' || item.variant === 'unknown-token'
      ? staleToken(cfg, item).then(function (t) { return { centralauthtoken: t }; })
      : Promise.resolve({});
    var call = prep.then(function (extra) {
      out.sentAt = Date.now();
      return callOf(cfg, instances[item.inst], item, extra);
    });
    var finish = call.then(
      function (value) { return { status: 'resolved', value: value }; },
      function (e) {
        if (e && e.soakWrong) return { status: 'wrong', wrong: e.soakWrong };
        return { status: 'rejected', error: errorOf(e) };
      });
    finish.then(function (r) {
      r.ms = Math.round(performance.now() - p0);
      if (settled) out.late = r;
      else {
        settled = true;
        Object.assign(out, r);
      }
    });
    var watchdog = delay(cfg.watchdogMs).then(function () {
      if (settled) return;
      settled = true;
      out.status = 'hang';
      out.ms = Math.round(performance.now() - p0);
    });
    return Promise.race([finish, watchdog]).then(function () {
      out.t1 = Date.now();
    });
  }

  window.soakStart = function (cfg) {
    var mk = function (o) {
      return { api: new window.FW.ForeignApi(cfg.B_API, o), rest: new window.FW.ForeignRest(cfg.B_REST, o) };
    };
    var instances = { patient: mk(cfg.patient), impatient: mk(cfg.impatient) };
    var queue = cfg.plan.slice();
    state.started = Date.now();
    // An expired-token call needs a token minted 61 s ago: while none is that old, it goes to the back of the
    // queue instead of holding a slot.
    var tooEarly = function (item) {
      return item.variant === 'expired-token' && expiredPool.length > 0 && performance.now() - expiredPool[0].at < 61500;
    };
    function worker() {
      if (!queue.length) return Promise.resolve();
      var item = queue.shift();
      if (tooEarly(item) && queue.some(function (x) { return !tooEarly(x); })) {
        queue.push(item);
        return Promise.resolve().then(worker);
      }
      state.running++;
      return runOne(cfg, instances, item).then(function () {
        state.running--;
        state.done++;
        return worker();
      });
    }
    var pool = expiredPool;
    var mintPool = [];
    for (var i = 0; i < cfg.expiredTokens; i++) {
      mintPool.push(mintToken(cfg).then(function (t) { pool.push({ token: t, at: performance.now() }); }));
    }
    Promise.all(mintPool).then(function () {
      var workers = [];
      for (var w = 0; w < cfg.concurrency; w++) workers.push(worker());
      return Promise.all(workers);
    }).then(
      function () { state.finished = true; state.ended = Date.now(); },
      function (e) { state.finished = true; state.crashed = String(e && e.stack || e); });
    return true;
  };
})();
