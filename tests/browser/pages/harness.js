// In-page helpers shared by the test pages on the static origin and by wiki pages (the suite injects this file
// there). Plain script, no modules: it must also run on a MediaWiki page.
(function () {
  'use strict';
  // Every trace entry of the library (requests and notices), in order.
  window.fwTrace = [];

  /** Loads one build of the library: 'esm' (import of urls.esm) or 'script' (<script src=urls.script>). */
  window.fwLoad = function (build, urls) {
    var done;
    if (build === 'script') {
      done = new Promise(function (resolve, reject) {
        var s = document.createElement('script');
        s.src = urls.script;
        s.onload = function () { resolve(window.ForeignWasm); };
        s.onerror = function () { reject(new Error('script load failed: ' + urls.script)); };
        document.head.appendChild(s);
      });
    } else {
      done = import(urls.esm);
    }
    return done.then(function (ns) {
      if (!ns || typeof ns.ForeignApi !== 'function') throw new Error('no ForeignApi in build ' + build);
      // On a wiki page the script's ForeignApi/ForeignRest have mw.Api's jQuery contract; the suite's scenarios test
      // the native-Promise face (named errors), which the script keeps as ForeignWasm.native.
      window.FW = ns.native ? Object.assign({}, ns, ns.native) : ns; // the ES module has no `native`
      window.FW_BUILD = build;
      ns.onTrace(function (entry) { window.fwTrace.push(entry); });
      return ns.ready().then(function () { return build; });
    });
  };

  /** A plain, cloneable description of a rejection (an Error of the library, or anything else). */
  window.fwErr = function (e) {
    if (!e || typeof e !== 'object') return { thrown: String(e) };
    return {
      name: e.name, code: e.code, category: e.category, status: e.status, info: e.info || e.message,
      isForeignApiError: !!(window.FW && e instanceof window.FW.ForeignApiError),
      classOk: !!(window.FW && window.FW[e.name] && e instanceof window.FW[e.name]),
      result: e.result === undefined ? undefined : JSON.parse(JSON.stringify(e.result)),
    };
  };

  /** Runs fn and returns {ok, value} or {ok:false, error} with elapsed ms: never throws across the CDP bridge. */
  window.fwTry = function (fn) {
    var t0 = performance.now();
    return Promise.resolve().then(fn).then(
      function (value) { return { ok: true, value: value, ms: performance.now() - t0 }; },
      function (e) { return { ok: false, error: window.fwErr(e), ms: performance.now() - t0 }; });
  };
})();
