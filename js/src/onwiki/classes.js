// On a wiki page: mw.ForeignApi / mw.ForeignRest subclasses of the page's own classes whose request funnel (ajax,
// get, post, getToken, badToken, postWithToken, abort; REST get/post/put/delete/ajax) runs on an off-wiki
// instance of ours (ForeignApi.js / ForeignRest.js, the wasm core), with mw.Api's jQuery promise contract
// (contract.js). Everything else (edit, newSection, upload, getMessages, … and whatever other code added to
// mw.Api.prototype) is inherited and so runs through the funnel.
//
// The constructors are created once per mw object and never replaced, so `mw.ForeignApi === ForeignWasm.ForeignApi`
// holds; their prototype is re-pointed at the page's newest class whenever MediaWiki (or CentralAuth) assigns one,
// which may happen after our script ran (install.js reports those assignments through adopt()).

import { ForeignApi as CoreApi } from '../ForeignApi.js';
import { ForeignRest as CoreRest } from '../ForeignRest.js';
import { extractBlobs } from '../client.js';
import { actionFailArgs, jQueryPromise, restFailArgs } from './contract.js';
import { localWikiHasCentralAuth } from './centralauth.js';

const perMw = new WeakMap();

/** The on-wiki classes for `mw` (created on first use), or null off-wiki (no jQuery or no mw.config). */
export function onWikiClasses(mw) {
  const $ = globalThis.jQuery;
  if (!mw || typeof mw !== 'object' || typeof $ !== 'function' || typeof $.Deferred !== 'function') return null;
  if (!mw.config || typeof mw.config.get !== 'function') return null;
  let classes = perMw.get(mw);
  if (!classes) {
    classes = create(mw, $);
    perMw.set(mw, classes);
  }
  return classes;
}

// Instance → its off-wiki instance. A WeakMap, not a property: $.extend(true, …) and JSON of an instance stay clean.
const engines = new WeakMap();

function create(mw, $) {
  const bases = { ForeignApi: undefined, ForeignRest: undefined }; // the page's classes, as install.js saw them

  function baseOf(name, ours) {
    const base = bases[name] !== undefined ? bases[name] : mw[name];
    if (typeof base === 'function' && base !== ours && !inherits(base, ours)) return base;
    const root = name === 'ForeignApi' ? mw.Api : mw.Rest;
    return typeof root === 'function' ? root : undefined;
  }

  /* ------------------------------------------------------------------------------------------ mw.ForeignApi */

  function ForeignApi(url, options) {
    rebase(ForeignApi, baseOf('ForeignApi', ForeignApi));
    const core = coreConstructor(ForeignApi, mw.Api);
    // Only core's constructor runs: the ones in between (CentralAuth's) set up authentication, which is ours.
    if (core) core.call(this, url, options);
    else constructLikeCore(this, mw, $, url, options);
    engines.set(this, new CoreApi(this.apiUrl, engineOptions(mw, options)));
  }

  Object.assign(ForeignApi.prototype, {
    get(parameters, ajaxOptions) {
      return this.ajax(parameters, $.extend({}, ajaxOptions, { type: 'GET' }));
    },
    post(parameters, ajaxOptions) {
      return this.ajax(parameters, $.extend({}, ajaxOptions, { type: 'POST' }));
    },
    ajax(parameters, ajaxOptions) {
      return actionCall(this, $, parameters, ajaxOptions, '');
    },
    postWithToken(tokenType, parameters, ajaxOptions) {
      return actionCall(this, $, parameters, $.extend({}, ajaxOptions, { type: 'POST' }), tokenType);
    },
    getToken(type, additionalParams) {
      const engine = engines.get(this);
      if (!engine) return notConstructed($);
      const native = engine.getToken(type, additionalParams);
      return jQueryPromise($, native, actionFailArgs, () => undefined, true);
    },
    badToken(type) {
      engines.get(this)?.badToken(type);
    },
    abort() {
      engines.get(this)?.abort();
    },
  });

  /* ----------------------------------------------------------------------------------------- mw.ForeignRest */

  function ForeignRest(url, foreignActionApi, options) {
    rebase(ForeignRest, baseOf('ForeignRest', ForeignRest));
    // new ForeignRest(url, options) is ours (off-wiki) as well: then there is no action API instance.
    if (options === undefined && foreignActionApi && typeof foreignActionApi.postWithToken !== 'function') {
      options = foreignActionApi;
      foreignActionApi = undefined;
    }
    const core = coreConstructor(ForeignRest, mw.Rest);
    if (core) core.call(this, url, foreignActionApi, options);
    else {
      this.apiUrl = url;
      this.url = String(url);
      this.anonymous = options && options.anonymous;
      this.foreignActionApi = foreignActionApi;
      this.defaults = $.extend(true, { ajax: { timeout: 30 * 1000 } }, options);
      this.requests = [];
    }
    // The action API instance's options are the defaults (its auth choice carries over), as for ours off-wiki.
    const fromApi = foreignActionApi && engines.has(foreignActionApi) ? engines.get(foreignActionApi).options : {};
    engines.set(this, new CoreRest(String(url), engineOptions(mw, $.extend({}, fromApi, options))));
  }

  Object.assign(ForeignRest.prototype, {
    get(path, query, headers) {
      return restCall(this, $, 'GET', path, { query, headers });
    },
    post(path, body, headers) {
      return restCall(this, $, 'POST', path, { body, headers });
    },
    put(path, body, headers) {
      return restCall(this, $, 'PUT', path, { body, headers });
    },
    delete(path, body, headers) {
      return restCall(this, $, 'DELETE', path, { body, headers });
    },
    ajax(path, ajaxOptions = {}) {
      const method = String(ajaxOptions.type || 'GET').toUpperCase();
      let data = ajaxOptions.data;
      // rest.js's post/put/delete send JSON text; the core wants the value (it encodes it itself).
      if (typeof data === 'string' && method !== 'GET') {
        try {
          data = JSON.parse(data);
        } catch {
          // not JSON: sent as it is
        }
      }
      const part = method === 'GET' ? { query: data } : { body: data };
      return restCall(this, $, method, path, { ...part, headers: ajaxOptions.headers, timeout: ajaxOptions.timeout });
    },
    abort() {
      engines.get(this)?.abort();
    },
  });

  /** install.js: MediaWiki (or another extension) assigned `value` to mw[name] while ours is in place. */
  function adopt(name, value) {
    const ours = name === 'ForeignApi' ? ForeignApi : ForeignRest;
    if (value === ours) return; // install() called again: ours read back through its own getter
    if (typeof value === 'function') {
      // CentralAuth's module reads mw.ForeignApi (ours, through install()'s getter) to inherit from it, then
      // assigns its class: put that class where it would have been without us, between core's and ours.
      spliceOut(value, ours);
      bases[name] = value;
      rebase(ours, baseOf(name, ours));
    } else {
      bases[name] = value;
    }
  }

  const classes = { ForeignApi, ForeignRest, adopt };
  // As soon as the page's classes exist (now, or when a gadget loads them), ours extend them.
  rebase(ForeignApi, baseOf('ForeignApi', ForeignApi));
  rebase(ForeignRest, baseOf('ForeignRest', ForeignRest));
  return classes;
}

// A subclass whose constructor never called ours has no engine: its calls fail like any call, in the promise.
function notConstructed($) {
  const info = 'This object was not set up by the ForeignApi/ForeignRest constructor (a subclass must call it).';
  return $.Deferred().reject('bad-instance', { error: { code: 'bad-instance', info } }).promise({ abort() {} });
}

/** Whether class `a` inherits from class `b`. */
function inherits(a, b) {
  for (let p = a.prototype && Object.getPrototypeOf(a.prototype); p; p = Object.getPrototypeOf(p)) {
    if (p === b.prototype) return true;
  }
  return false;
}

/** Points `ours` at `base` the way OO.inheritClass would have (prototype, static, super/parent). */
function rebase(ours, base) {
  if (!base) return;
  if (Object.getPrototypeOf(ours.prototype) !== base.prototype) Object.setPrototypeOf(ours.prototype, base.prototype);
  ours.super = base;
  ours.parent = base;
  if (!ours.static) ours.static = Object.create(base.static || null);
  else if (Object.getPrototypeOf(ours.static) !== (base.static || null)) Object.setPrototypeOf(ours.static, base.static || null);
}

/** `value` (or one of its ancestors) inherits directly from `ours`: make that class inherit from ours' base. */
function spliceOut(value, ours) {
  for (let p = value.prototype; p; p = Object.getPrototypeOf(p)) {
    if (Object.getPrototypeOf(p) !== ours.prototype) continue;
    const base = ours.super;
    if (!base || p === ours.prototype) return;
    Object.setPrototypeOf(p, base.prototype);
    const cls = Object.prototype.hasOwnProperty.call(p, 'constructor') ? p.constructor : undefined;
    if (typeof cls === 'function') {
      if (cls.super === ours) cls.super = base;
      if (cls.parent === ours) cls.parent = base;
      if (cls.static && Object.getPrototypeOf(cls.static) === ours.static) Object.setPrototypeOf(cls.static, base.static || null);
    }
    return;
  }
}

/** MediaWiki's core ForeignApi / ForeignRest among ours' ancestors: the one that inherits from `root` directly. */
function coreConstructor(ours, root) {
  if (typeof root !== 'function') return undefined;
  let cls = ours.super;
  while (typeof cls === 'function' && cls !== root) {
    if (cls.super === root) return cls;
    cls = cls.super;
  }
  return undefined;
}

/** What core's ForeignApi constructor does (mediawiki.ForeignApi.core.js), for pages where it has not loaded. */
function constructLikeCore(api, mw, $, url, options) {
  if (!url || $.isPlainObject(url)) throw new Error('mw.ForeignApi() requires a `url` parameter');
  api.apiUrl = String(url);
  api.anonymous = options && options.anonymous;
  let origin;
  try {
    origin = new URL(api.apiUrl, location.href).origin === location.origin ? undefined : location.origin;
  } catch {
    origin = location.origin;
  }
  const merged = $.extend(true, {
    ajax: { url: api.apiUrl, xhrFields: { withCredentials: !api.anonymous } },
    parameters: { origin: api.anonymous ? '*' : origin },
  }, options);
  if (typeof mw.Api === 'function') mw.Api.call(api, merged);
  else {
    api.defaults = $.extend(true, { parameters: { action: 'query', format: 'json' }, ajax: { timeout: 30 * 1000, dataType: 'json' } }, merged);
    api.requests = [];
  }
}

/**
 * The options of our off-wiki instance. mw.Api's `parameters` and `ajax` are applied per call (from this.defaults,
 * as mw.Api does), not here; CentralAuth is used only where the local wiki has it (centralauth.js).
 */
function engineOptions(mw, options) {
  const out = { ...(options || {}) };
  delete out.parameters;
  delete out.ajax;
  if (out.centralAuth === undefined && localWikiHasCentralAuth(mw) === false) out.centralAuth = false;
  return out;
}

/** mw.Api's parameter idioms where they differ from the core's: null is sent as an empty value ($.param). */
function forCore(parameters) {
  const out = {};
  for (const key of Object.keys(parameters)) {
    const value = parameters[key];
    // The core computes origin itself (from the page and the auth mode), as core mw.ForeignApi does.
    if (key === 'origin') continue;
    out[key] = value === null ? '' : value;
  }
  return out;
}

function actionCall(api, $, parameters, ajaxOptions, tokenType) {
  const engine = engines.get(api);
  if (!engine) return notConstructed($);
  const params = forCore($.extend({}, api.defaults.parameters, parameters));
  const options = $.extend({}, api.defaults.ajax, ajaxOptions);
  const method = String(options.type || 'GET').toUpperCase();
  let answer;
  const native = engine.client.run(
    'action',
    (client, blobs) => ({
      client,
      method,
      params: extractBlobs(params, blobs),
      tokenType: tokenType || undefined,
      headers: options.headers,
      timeoutMs: typeof options.timeout === 'number' ? options.timeout : undefined,
    }),
    {
      signal: options.signal,
      onEvent: (event) => {
        answer = event.http;
      },
      // mw.Api's upload plugin passes one for progress events; only such calls leave fetch for XMLHttpRequest.
      xhr: typeof options.xhr === 'function' ? options.xhr : undefined,
    },
  );
  return jQueryPromise($, native, actionFailArgs, () => answer);
}

function restCall(rest, $, method, path, { query, body, headers, timeout }) {
  const engine = engines.get(rest);
  if (!engine) return notConstructed($);
  const defaults = (rest.defaults && rest.defaults.ajax) || {};
  const allHeaders = $.extend({}, defaults.headers, headers);
  const timeoutMs = typeof timeout === 'number' ? timeout : typeof defaults.timeout === 'number' ? defaults.timeout : undefined;
  let answer;
  const native = engine.client.run(
    'rest',
    (client) => ({ client, method, path, query, body, headers: allHeaders, timeoutMs }),
    {
      onEvent: (event) => {
        answer = event.http;
      },
    },
  );
  return jQueryPromise($, native, restFailArgs, () => answer);
}
