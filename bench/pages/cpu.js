// In-page half of bench/cpu.mjs, on the static origin (same origin as js/dist and bench/node_modules).
//   cpuInstantiate(build)        fresh page only: ms from script start to ready() (see the comments below)
//   cpuLoad()                    loads our single-file script and m3api (ESM) for the call benchmarks
//   cpuPerCall(opts)             CPU per call with a stub fetch: ours vs m3api vs the bare fetch+parse floor
//   cpuBig(opts)                 a ~5 MB JSON response end to end vs JSON.parse alone
(function () {
  'use strict';
  var B_API = 'http://127.0.0.2:8202/w/api.php'; // never contacted: fetch is stubbed before any call
  // The build under test: ?dist=/build/bench/dist/ (bench.mjs snapshots js/dist there), default /js/dist/.
  var DIST = new URLSearchParams(location.search).get('dist') || '/js/dist/';
  var M3API = '/bench/node_modules/m3api/browser.js';

  // ------------------------------------------------------------------------------------------ instantiation
  /**
   * build 'script': the text of dist/foreign-wasm.js is fetched first (not timed); t0 is taken right before an
   *   inline <script> with that text is inserted (it runs synchronously: parse + the inlined wasm's decode), t1 when
   *   ForeignWasm.ready() resolved (wasm instantiated, Engine created). = "script start to ready".
   * build 'script-src': t0 before inserting <script src=dist/foreign-wasm.js>: adds the download from the lab's
   *   static origin (local, no-store).
   * build 'esm': t0 before import('/js/dist/index.js'), t1 when ready() resolved: the module graph and the .wasm
   *   are fetched (local, no-store) and the wasm compiled.
   */
  // When WebAssembly.instantiate(Streaming) was called and when it resolved (ms on the page clock): the split
  // between the JS around it (parse, decode of the inlined wasm, Engine creation) and compile + instantiate.
  var wasmTimes = [];
  ['instantiate', 'instantiateStreaming'].forEach(function (name) {
    var original = WebAssembly[name];
    if (typeof original !== 'function') return;
    WebAssembly[name] = function () {
      var entry = { fn: name, called: performance.now(), resolved: null, bytes: arguments[0] && arguments[0].byteLength };
      wasmTimes.push(entry);
      return original.apply(WebAssembly, arguments).then(function (r) { entry.resolved = performance.now(); return r; });
    };
  });
  function wasmSplit(t0) {
    var w = wasmTimes[0];
    return w ? { wasmCalledMs: w.called - t0, wasmCompileMs: w.resolved != null ? w.resolved - w.called : null, wasmBytes: w.bytes, wasmFn: w.fn } : {};
  }

  window.cpuInstantiate = function (build) {
    var src = DIST + 'foreign-wasm.js';
    if (build === 'script') {
      return fetch(src).then(function (r) { return r.text(); }).then(function (text) {
        var t0 = performance.now();
        var s = document.createElement('script');
        s.textContent = text;
        document.head.appendChild(s);
        var tEval = performance.now();
        return window.ForeignWasm.ready().then(function () {
          var t1 = performance.now();
          var split = wasmSplit(t0);
          split.afterCompileMs = split.wasmCompileMs != null ? t1 - t0 - split.wasmCalledMs - split.wasmCompileMs : null;
          return Object.assign({ ms: t1 - t0, evalMs: tEval - t0, bytes: text.length }, split);
        });
      });
    }
    if (build === 'script-src') {
      return new Promise(function (resolve, reject) {
        var t0 = performance.now();
        var s = document.createElement('script');
        s.src = src;
        s.onload = function () {
          var tLoaded = performance.now();
          window.ForeignWasm.ready().then(function () {
            resolve({ ms: performance.now() - t0, loadedMs: tLoaded - t0 });
          }, reject);
        };
        s.onerror = function () { reject(new Error('script load failed')); };
        document.head.appendChild(s);
      });
    }
    var t0 = performance.now();
    return import(DIST + 'index.js').then(function (ns) {
      var tImported = performance.now();
      return ns.ready().then(function () {
        var t1 = performance.now();
        // Resource Timing: what was fetched, and when the last module file / the .wasm had fully arrived.
        var res = performance.getEntriesByType('resource').filter(function (e) { return e.name.indexOf(DIST) >= 0 && e.startTime >= t0 - 1; });
        var wasm = res.filter(function (e) { return /\.wasm$/.test(e.name); })[0];
        var lastJs = Math.max.apply(null, res.filter(function (e) { return !/\.wasm$/.test(e.name); }).map(function (e) { return e.responseEnd; }));
        return Object.assign(wasmSplit(t0), {
          ms: t1 - t0,
          importedMs: tImported - t0,
          files: res.length,
          lastModuleFetchedMs: lastJs - t0,
          wasmRequestedMs: wasm ? wasm.startTime - t0 : null,
          wasmFetchedMs: wasm ? wasm.responseEnd - t0 : null,
          readyAfterWasmMs: wasm ? t1 - wasm.responseEnd : null,
        });
      });
    });
  };

  // ------------------------------------------------------------------------------------------ stub fetch
  var SMALL = JSON.stringify({
    batchcomplete: true,
    query: { general: { mainpage: 'Main Page', sitename: 'bwiki', generator: 'MediaWiki 1.39.17', lang: 'en', servername: '127.0.0.2' } },
  });
  var TOKENS = JSON.stringify({ batchcomplete: true, query: { tokens: { csrftoken: '0123456789abcdef0123456789abcdef+\\' } } });
  var OPTIONS_OK = JSON.stringify({ options: 'success' });
  var big = null; // {text, bytes} of the big response, while the big benchmark runs

  // Two stubs. 'light': a plain object with what the clients read (status, headers, text(), json()): the cost of
  // the call is the client's own. 'real': a new Response(body) per call: adds the browser's body-stream machinery,
  // which every fetch-based client pays in a real page too.
  var stubMode = 'light';
  var HEADERS = new Headers({ 'content-type': 'application/json; charset=utf-8' });
  function isTokenRequest(url, init) {
    return /[?&]meta=tokens/.test(String(url)) || (init && typeof init.body === 'string' && /(^|&)meta=tokens/.test(init.body));
  }
  var stubCalls = 0;
  function stubFetch(url, init) {
    stubCalls++;
    var body;
    if (big) body = stubMode === 'real' ? big.bytes : big.text;
    else if (isTokenRequest(url, init)) body = TOKENS;
    else if (init && init.method === 'POST') body = OPTIONS_OK;
    else body = SMALL;
    if (stubMode === 'real') {
      return Promise.resolve(new Response(body, { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' } }));
    }
    return Promise.resolve({
      status: 200,
      ok: true,
      headers: HEADERS,
      text: function () { return Promise.resolve(body); },
      json: function () { return Promise.resolve(JSON.parse(body)); },
    });
  }

  window.cpuLoad = function () {
    return new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = DIST + 'foreign-wasm.js';
      s.onload = resolve;
      s.onerror = function () { reject(new Error('script load failed')); };
      document.head.appendChild(s);
    })
      .then(function () { return window.ForeignWasm.ready(); })
      // The ESM core module on its own, for cpuBreakdown (its .wasm is fetched before fetch is stubbed).
      .then(function () { return import(DIST + 'foreign-wasm-core.mjs'); })
      .then(function (core) { return core.default(); })
      .then(function (Module) { window.CoreModule = Module; })
      .then(function () { return import(M3API); })
      .then(function (m3) {
        window.M3 = m3;
        // From here on every fetch of the page is the stub.
        window.fetch = stubFetch;
        return { fw: !!window.ForeignWasm, m3api: typeof m3.default === 'function' };
      });
  };

  // The contestants: one instance each, reused for every call, as a tool would.
  function contestants() {
    var fw = new window.ForeignWasm.ForeignApi(B_API);
    var m3 = new window.M3.default(B_API, { formatversion: 2, origin: location.origin }, { userAgent: 'foreign-wasm-bench/0.1' });
    return {
      fw: {
        get: function () { return fw.get({ action: 'query', meta: 'siteinfo', siprop: 'general' }); },
        post: function (n) { return fw.postWithToken('csrf', { action: 'options', change: 'userjs-bench=' + n }); },
        big: function () { return fw.get({ action: 'query', prop: 'revisions', generator: 'allpages', rvprop: 'content' }); },
      },
      m3api: {
        get: function () { return m3.request({ action: 'query', meta: 'siteinfo', siprop: 'general' }); },
        post: function (n) { return m3.request({ action: 'options', change: 'userjs-bench=' + n }, { method: 'POST', tokenType: 'csrf' }); },
        big: function () { return m3.request({ action: 'query', prop: 'revisions', generator: 'allpages', rvprop: 'content' }); },
      },
      // No library: the stub, response.text() and JSON.parse — what any fetch-based client must at least do.
      floor: {
        get: function () { return stubFetch(B_API + '?action=query&meta=siteinfo&siprop=general&format=json&formatversion=2').then(function (r) { return r.text(); }).then(JSON.parse); },
        post: function (n) { return stubFetch(B_API, { method: 'POST', body: 'action=options&change=userjs-bench%3D' + n + '&format=json&token=x' }).then(function (r) { return r.text(); }).then(JSON.parse); },
        big: function () { return stubFetch(B_API + '?action=query&format=json').then(function (r) { return r.text(); }).then(JSON.parse); },
      },
    };
  }

  // A full collection before a timed run, when the browser was started with --expose-gc (cpu.mjs does).
  function collect() {
    if (typeof window.gc === 'function') window.gc();
  }

  function sequential(fn, n) {
    var i = 0;
    var t0 = performance.now();
    function next() {
      if (i >= n) return Promise.resolve(performance.now() - t0);
      var k = i++;
      return Promise.resolve(fn(k)).then(next);
    }
    return next();
  }

  function check(kind, r) {
    if (kind === 'get' && !(r && r.query && r.query.general)) throw new Error('unexpected GET result ' + JSON.stringify(r));
    if (kind === 'post' && !(r && r.options === 'success')) throw new Error('unexpected POST result ' + JSON.stringify(r));
  }

  /**
   * opts: {n, reps, warmup}. For each kind (get, post) and rep, every contestant runs n sequential awaited calls
   * (order rotated per rep); per-call ms = elapsed / n. Returns {kind: {contestant: [ms per call, …]}}.
   */
  window.cpuPerCall = function (opts) {
    var c = contestants();
    var names = ['fw', 'm3api', 'floor'];
    var out = { stubCalls: 0 };
    var chain = Promise.resolve();
    opts.modes.forEach(function (mode) {
      out[mode] = { get: { fw: [], m3api: [], floor: [] }, post: { fw: [], m3api: [], floor: [] } };
      chain = chain.then(function () { stubMode = mode; });
      ['get', 'post'].forEach(function (kind) {
        names.forEach(function (name) {
          chain = chain
            .then(function () { return c[name][kind](0); })
            .then(function (r) { check(kind, r); })
            .then(function () { return sequential(c[name][kind], opts.warmup); });
        });
        for (var rep = 0; rep < opts.reps; rep++) {
          (function (rep) {
            var order = names.slice(rep % names.length).concat(names.slice(0, rep % names.length));
            order.forEach(function (name) {
              chain = chain.then(collect).then(function () { return sequential(c[name][kind], opts.n); }).then(function (ms) { out[mode][kind][name].push(ms / opts.n); });
            });
          })(rep);
        }
      });
    });
    return chain.then(function () {
      stubMode = 'light';
      out.stubCalls = stubCalls;
      return out;
    });
  };

  // ------------------------------------------------------------------------------------------ breakdown
  /**
   * Where the CPU of one GET goes: drives a wasm Engine directly with exactly the steps engine.js and transport.js
   * take for one call (JSON in, the input with the request out through the fetch bridge, the response in with the
   * event out), each step timed over n iterations after a warm-up. The full call (ForeignApi.get with the light
   * stub) is timed the same way for the remainder (promises, AbortController, CompatPromise, trace bookkeeping).
   */
  window.cpuBreakdown = function (opts) {
    var M = window.CoreModule;
    var out1 = null;
    var out2 = null;
    M.fwHosts = M.fwHosts || {};
    M.fwHosts[900] = {
      fetch: function (json) { out1 = json; },
      cancel: function () {},
      setTimer: function () {},
      emit: function (json) { out2 = json; },
    };
    var engine = new M.Engine(900);
    var spec = JSON.parse(M.digestSpec());
    var client = JSON.parse(engine.addClient(JSON.stringify({ apiUrl: B_API, rest: false, pageOrigin: location.origin, auth: 'cookies' }))).ok;
    var parsedSmall = JSON.parse(SMALL);
    var headerPairs = [['content-type', 'application/json; charset=utf-8']];
    var steps = ['1 JSON.stringify(call)', '2 core.startAction (request out through the bridge)', '3 JSON.parse(request)', '4 digest + JSON.stringify(digest, headers)', '5 core.handleResponse (event out through the bridge)', '6 JSON.parse(event)'];
    var t = steps.map(function () { return 0; });
    function digest(body) {
      var value = {};
      for (var key in body) {
        if (spec.top.indexOf(key) < 0) continue;
        if (key === 'query') {
          value.query = {};
          for (var sub in body.query) if (spec.query.indexOf(sub) >= 0) value.query[sub] = body.query[sub];
        } else value[key] = body[key];
      }
      return value;
    }
    function once(timed) {
      var a = performance.now();
      var callJson = JSON.stringify({ client: client, method: 'GET', params: { action: 'query', meta: 'siteinfo', siprop: 'general' } });
      var b = performance.now();
      engine.startAction(callJson, b);
      var c = performance.now();
      var req = JSON.parse(out1);
      var d = performance.now();
      var dj = JSON.stringify(digest(parsedSmall));
      var hj = JSON.stringify(headerPairs);
      var e = performance.now();
      engine.handleResponse(req.id, 200, hj, 'digest', dj, '', e);
      var f = performance.now();
      var ev = JSON.parse(out2);
      var g = performance.now();
      if (!ev || ev.type !== 'completed') throw new Error('breakdown: no completed event ' + out2);
      if (timed) {
        var marks = [a, b, c, d, e, f, g];
        for (var k = 0; k < steps.length; k++) t[k] += marks[k + 1] - marks[k];
      }
    }
    for (var w = 0; w < opts.warmup; w++) once(false);
    for (var n = 0; n < opts.n; n++) once(true);
    engine.delete();
    delete M.fwHosts[900];
    var api = new window.ForeignWasm.ForeignApi(B_API);
    stubMode = 'light';
    var get = function () { return api.get({ action: 'query', meta: 'siteinfo', siprop: 'general' }); };
    return sequential(get, opts.warmup).then(function () { return sequential(get, opts.n); }).then(function (ms) {
      var out = { n: opts.n, fullCallMs: ms / opts.n, steps: {} };
      steps.forEach(function (name, k) { out.steps[name] = t[k] / opts.n; });
      return out;
    });
  };

  // ------------------------------------------------------------------------------------------ 5 MB
  /** A formatversion=2 query result of about `mb` MB: many pages, each with a revision and a few fields. */
  function bigBody(mb) {
    var pages = [];
    var size = 0;
    var filler = 'Lorem ipsum dolor sit amet, [[consectetur]] adipiscing elit, {{sed|do}} eiusmod tempor incididunt ut labore. ';
    for (var i = 0; size < mb * 1024 * 1024; i++) {
      var p = {
        pageid: 1000 + i,
        ns: i % 4,
        title: 'Page ' + i + ' – ünïcödé',
        touched: '2026-11-24T07:00:00Z',
        lastrevid: 50000 + i,
        length: 1200 + i,
        revisions: [{ revid: 50000 + i, parentid: 49999 + i, user: 'Admin', timestamp: '2026-11-24T07:00:00Z', contentformat: 'text/x-wiki', contentmodel: 'wikitext', content: filler + filler + i }],
      };
      pages.push(p);
      size += 420 + String(i).length * 6;
    }
    return JSON.stringify({ batchcomplete: true, continue: { gapcontinue: 'Zzz', continue: 'gapcontinue||' }, query: { pages: pages } });
  }

  /**
   * opts: {mb, reps}. Per rep (order rotated): JSON.parse(text) alone; the floor (stub Response from the bytes,
   * .text(), JSON.parse); ours end to end (get() → parsed body); m3api end to end. Returns ms arrays and sizes.
   */
  window.cpuBig = function (opts) {
    var text = bigBody(opts.mb);
    big = { text: text, bytes: new TextEncoder().encode(text) };
    var c = contestants();
    var out = { bytes: big.bytes.length, pages: JSON.parse(text).query.pages.length, parse: [] };
    var names = ['parse'];
    opts.modes.forEach(function (mode) {
      ['floor', 'fw', 'm3api'].forEach(function (n) {
        out[mode + ':' + n] = [];
        names.push(mode + ':' + n);
      });
    });
    var runs = {};
    names.forEach(function (name) {
      var mode = name.split(':')[0];
      var who = name.split(':')[1];
      var fn = name === 'parse' ? function () { return JSON.parse(text); } : c[who].big;
      runs[name] = function () {
        stubMode = mode === 'parse' ? 'light' : mode;
        collect();
        var t0 = performance.now();
        return Promise.resolve(fn()).then(function (r) {
          var ms = performance.now() - t0;
          if (!r || !r.query || r.query.pages.length !== out.pages) throw new Error(name + ': wrong result');
          out[name].push(ms);
        });
      };
    });
    var chain = Promise.resolve();
    // one untimed warm-up round
    names.forEach(function (n) { chain = chain.then(runs[n]); });
    chain = chain.then(function () { names.forEach(function (n) { out[n] = []; }); });
    for (var rep = 0; rep < opts.reps; rep++) {
      (function (rep) {
        var order = names.slice(rep % names.length).concat(names.slice(0, rep % names.length));
        order.forEach(function (n) {
          // a pause and a forced collection (runs[n]) keep the previous 5 MB out of the measurement
          chain = chain.then(function () { return new Promise(function (r) { setTimeout(r, 30); }); }).then(runs[n]);
        });
      })(rep);
    }
    return chain.then(function () {
      big = null;
      stubMode = 'light';
      return out;
    });
  };
})();
