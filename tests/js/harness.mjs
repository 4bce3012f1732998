// Loads one build of the library and scripts the network under it.
//   'esm'    js/dist/index.js imported into this realm (what npm users get); globals are this process's
//   'script' js/dist/foreign-wasm.js run in a fresh vm context that looks like a browser page (window, location,
//            optionally mw), as a user script would see it
// The fake fetch records every request exactly as transport.js handed it over and answers from a script.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { API_HEADERS } from './fixtures.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST = process.env.FW_DIST || join(repo, 'js', 'dist');
export const BUILDS = (process.env.FW_BUILDS || 'esm,script').split(',');

/** A Response with a JSON body as api.php sends it (content-type, and MediaWiki-API-Error on errors). */
export function json(value, { status = 200, headers = {} } = {}) {
  const h = { ...API_HEADERS, ...headers };
  if (value && value.error && value.error.code && !('mediawiki-api-error' in h)) h['mediawiki-api-error'] = value.error.code;
  return new Response(JSON.stringify(value), { status, headers: h });
}

export function text(value, { status = 200, headers = {} } = {}) {
  return new Response(value, { status, headers: { 'content-type': 'text/html', ...headers } });
}

/** What fetch does on a network failure or a CORS refusal. */
export function networkError() {
  return Promise.reject(new TypeError('Failed to fetch'));
}

/** A promise the test resolves later: lets requests overlap in flight. */
export function deferred() {
  let resolve;
  const promise = new Promise((r) => (resolve = r));
  return { promise, resolve };
}

export class FakeNet {
  constructor() {
    this.requests = [];
    this.handler = () => {
      throw new Error('no handler for this request');
    };
    this.fetch = (input, init = {}) => this.handle(String(input), init);
  }

  /** handler(request) → Response | Promise<Response> (a rejection is a network failure). */
  reply(handler) {
    this.handler = handler;
  }

  reset() {
    this.requests = [];
  }

  handle(url, init) {
    const headers = {};
    for (const [name, value] of init.headers || []) headers[name.toLowerCase()] = value;
    let form = null;
    if (typeof FormData === 'function' && init.body instanceof FormData) form = [...init.body.entries()];
    const request = {
      url,
      u: new URL(url),
      method: init.method || 'GET',
      headers,
      credentials: init.credentials,
      cache: init.cache,
      body: typeof init.body === 'string' ? init.body : null,
      form,
      signal: init.signal,
    };
    this.requests.push(request);
    return new Promise((resolve, reject) => {
      if (init.signal) {
        if (init.signal.aborted) return reject(new DOMException('The operation was aborted.', 'AbortError'));
        init.signal.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')));
      }
      Promise.resolve()
        .then(() => this.handler(request))
        .then(resolve, reject);
    });
  }
}

/** URL parameter `name` of a recorded request (null when absent). */
export function q(request, name) {
  return request.u.searchParams.get(name);
}

/** Body parameters of a form-urlencoded request, in order. */
export function form(request) {
  return [...new URLSearchParams(request.body || '')];
}

let serial = 0;
/** A fresh wiki per test, so nothing cached by an earlier test can answer for it. */
export function wiki(name = 'b') {
  serial += 1;
  return { api: `https://${name}${serial}.example.org/w/api.php`, rest: `https://${name}${serial}.example.org/w/rest.php`, origin: `https://${name}${serial}.example.org` };
}

/** A page's mw with just mw.config. */
export function fakeMw(config) {
  return { config: { get: (key) => (key in config ? config[key] : null) } };
}

/**
 * {kind, lib, net, setPage({origin, mw}), clearPage(), reset()}. `lib` has the public API of index.js
 * (ForeignApi, ForeignRest, the error classes, onTrace, install, ready, shutdown).
 */
export async function loadBuild(kind) {
  const net = new FakeNet();
  let lib;
  let global;
  if (kind === 'esm') {
    global = globalThis;
    globalThis.fetch = net.fetch;
    lib = await import(pathToFileURL(join(DIST, 'index.js')).href);
  } else if (kind === 'script') {
    const sandbox = {
      fetch: net.fetch,
      AbortController,
      AbortSignal,
      DOMException,
      setTimeout,
      clearTimeout,
      queueMicrotask,
      performance,
      FormData,
      Headers,
      Blob,
      URL,
      URLSearchParams,
      atob,
      btoa,
      crypto: globalThis.crypto, // WebCrypto, as pages and Workers have it (OAuth 2 PKCE)
      TextDecoder,
      TextEncoder,
      console,
    };
    global = vm.createContext(sandbox);
    vm.runInContext('globalThis.window = globalThis; globalThis.self = globalThis;', global);
    vm.runInContext(readFileSync(join(DIST, 'foreign-wasm.js'), 'utf8'), global, { filename: 'foreign-wasm.js' });
    lib = global.ForeignWasm;
  } else {
    throw new Error(`unknown build ${kind}`);
  }
  const env = {
    kind,
    lib,
    net,
    global,
    setPage({ origin, mw } = {}) {
      if (origin) global.location = { origin, href: `${origin}/wiki/Special:BlankPage` };
      if (mw) global.mw = mw;
    },
    clearPage() {
      delete global.location;
      delete global.mw;
    },
    /** A built-in of the library's realm (Error, TypeError, …): the vm context has its own. */
    builtin(name) {
      return kind === 'script' ? vm.runInContext(name, global) : globalThis[name];
    },
    async reset() {
      await lib.shutdown();
      env.clearPage();
      net.reset();
    },
  };
  return env;
}

/** Waits until `condition()` holds (polling), failing after `ms`. */
export async function until(condition, ms = 3000) {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms: ${condition}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Lets every pending timer and microtask run (a short real-time pause). */
export function pause(ms = 20) {
  return new Promise((r) => setTimeout(r, ms));
}
