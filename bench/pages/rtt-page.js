// In-page half of the round-trip benchmark (bench/rtt.mjs). Evaluated by the driver in a page of wiki A
// (Special:BlankPage, Admin logged in on A only). Plain script, no modules: it runs on a MediaWiki page.
//
//   benchLoadFw(src)       <script src> of the single-file build from the static origin; resolves with the ms from
//                          inserting the element to ForeignWasm.ready(); records every trace entry in benchTrace
//   benchLoadMw()          mw.loader.using('mediawiki.ForeignApi'); resolves with the two class names
//   benchRun(impl, name, arg)   runs one scenario, returns {ok, value | error, t0, t1, ms, timeOrigin}
//   benchRunSequence(impl, names, args)   runs scenarios back to back (each issued as the previous one settled)
//
// Both implementations sit behind one small interface. MediaWiki's jQuery promises become native ones (the
// conversion happens in .then callbacks, exactly where the baseline read its clock: inside .done/.fail).
(function () {
  'use strict';
  window.benchTrace = [];
  window.benchKeep = {};

  window.benchLoadFw = function (src) {
    return new Promise(function (resolve, reject) {
      var t0 = performance.now();
      var s = document.createElement('script');
      s.src = src;
      s.onload = function () {
        window.ForeignWasm.onTrace(function (entry) { window.benchTrace.push(entry); });
        window.ForeignWasm.ready().then(function () { resolve(performance.now() - t0); }, reject);
      };
      s.onerror = function () { reject(new Error('script load failed: ' + src)); };
      document.head.appendChild(s);
    });
  };

  window.benchLoadMw = function () {
    return mw.loader.using('mediawiki.ForeignApi').then(function () {
      return [mw.ForeignApi.name, mw.ForeignRest.name];
    });
  };

  // jQuery promise → native promise; a rejection keeps mw.Api's (code, data).
  function native(x) {
    return new Promise(function (resolve, reject) {
      x.then(resolve, function (code, data) {
        reject({ code: code, info: data && data.error ? data.error.info : String((data && data.textStatus) || '') });
      });
    });
  }

  var impls = {
    mw: {
      api: function (url) { return new mw.ForeignApi(url); },
      rest: function (restUrl, apiUrl) { return new mw.ForeignRest(restUrl, new mw.ForeignApi(apiUrl)); },
      p: native,
    },
    fw: {
      api: function (url, options) { return new ForeignWasm.ForeignApi(url, options || {}); },
      rest: function (restUrl, apiUrl, options) { return new ForeignWasm.ForeignRest(restUrl, options || {}); },
      p: function (x) { return x; },
    },
  };

  // Each scenario returns a promise of a short, checkable value. Only the call itself is inside the clock.
  var scenarios = {
    // cold read: a new instance, one read
    S1: function (I, a) {
      return I.p(I.api(a.B_API, a.options).get({ action: 'query', meta: 'userinfo' })).then(function (r) {
        return r.query.userinfo.name;
      });
    },
    // cold write: a new instance, postWithToken (the instance is kept for S3)
    S2: function (I, a) {
      var api = I.api(a.B_API, a.options);
      window.benchKeep.api = api;
      return I.p(api.postWithToken('csrf', { action: 'options', change: 'userjs-bench=' + a.value })).then(function (r) {
        return r.options;
      });
    },
    // warm write: a second postWithToken on S2's instance
    S3: function (I, a) {
      return I.p(window.benchKeep.api.postWithToken('csrf', { action: 'options', change: 'userjs-bench=' + a.value })).then(function (r) {
        return r.options;
      });
    },
    // REST read with the CentralAuth header. A query unique to the run: Chromium caches a preflight 5 s per URL.
    S4: function (I, a) {
      return I.p(I.rest(a.B_REST, a.B_API, a.options).get('/coredev/v0/me/contributions', { benchrun: a.value })).then(function (r) {
        return Array.isArray(r.contributions) && r.contributions.length > 0 ? 'contributions' : 'none';
      });
    },
    // back to back: a second write issued the moment the first resolved, as gadget code does; only the second is
    // timed (benchT0), so a token minted only after the first call shows up as a wait
    S6: function (I, a) {
      var api = I.api(a.B_API, a.options);
      return I.p(api.postWithToken('csrf', { action: 'options', change: 'userjs-bench=' + a.value + '-first' }))
        .then(function () {
          window.benchT0 = performance.now();
          return I.p(api.postWithToken('csrf', { action: 'options', change: 'userjs-bench=' + a.value }));
        })
        .then(function (r) {
          return r.options;
        });
    },
    // ten concurrent reads on one instance
    S5: function (I, a) {
      var api = I.api(a.B_API, a.options);
      var all = [];
      for (var i = 0; i < 10; i++) all.push(I.p(api.get({ action: 'query', meta: 'userinfo' })));
      return Promise.all(all).then(function (rs) {
        var names = rs.map(function (r) { return r.query.userinfo.name; });
        return names.every(function (n) { return n === names[0]; }) ? names[0] + ' x' + names.length : names.join(',');
      });
    },
  };

  window.benchRun = function (impl, name, arg) {
    var I = impls[impl];
    var t0 = performance.now();
    window.benchT0 = null; // a scenario that times only its last part sets this when that part starts
    var done = function (ok, v) {
      var t1 = performance.now();
      var from = window.benchT0 || t0;
      var out = { ok: ok, t0: from, t1: t1, ms: t1 - from, timedFromInside: !!window.benchT0, timeOrigin: performance.timeOrigin, traceLength: window.benchTrace.length };
      if (ok) out.value = v;
      else out.error = v && typeof v === 'object' ? { name: v.name, code: v.code, info: v.info || v.message } : String(v);
      return out;
    };
    var p;
    try {
      p = scenarios[name](I, arg);
    } catch (e) {
      return Promise.resolve(done(false, e));
    }
    return p.then(function (v) { return done(true, v); }, function (e) { return done(false, e); });
  };

  // No idle time between the calls: the next scenario starts in the callback that recorded the previous one's end.
  window.benchRunSequence = function (impl, names, args) {
    var out = [];
    return names
      .reduce(function (previous, name, i) {
        return previous.then(function () {
          return window.benchRun(impl, name, args[i]).then(function (r) { out.push(r); });
        });
      }, Promise.resolve())
      .then(function () { return out; });
  };
})();
