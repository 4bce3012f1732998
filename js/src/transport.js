// The only place that calls fetch, for the module's fetch bridge (js/src/engine.js hosts it). It performs exactly
// the request the core emitted (method, URL, headers, body, credentials, cache mode, size bounds) and reports back
// what happened; it decides nothing about MediaWiki, and keeps no timers (the driver owns every timeout and
// cancels the request when one passes).
// The body is parsed once: the full parse goes to the caller, the core only gets the digest it asked for.

import { cookieHeader, storeCookies, usesCookieJar } from './cookie-jar.js';
import { wireAuthorization } from './oauth2-calls.js';
import { exchangeWithXhr } from './xhr-exchange.js';

/** A string that survives UTF-8 encoding on the way into wasm (a cut can leave half a surrogate pair). */
function wellFormed(text) {
  if (typeof text.toWellFormed === 'function') return text.toWellFormed();
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

// Enough of a non-JSON body (an HTML error page, a proxy message) for an error message, not the whole page.
const TEXT_LIMIT = 4096;
// The core clamps maxJsonDepth to this too; the copy below recurses once per level.
const DEPTH_CEILING = 1000;

function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const TOO_DEEP = Symbol('too deep');

/**
 * A copy of a value for the core: strings well-formed (a lone surrogate would not survive UTF-8), TOO_DEEP when it
 * nests more than `levels` arrays/objects (the core refuses deeper values; a copy this deep would also exhaust the
 * stack).
 */
function forCore(value, levels) {
  if (typeof value === 'string') return wellFormed(value);
  if (typeof value !== 'object' || value === null) return value;
  if (levels <= 0) return TOO_DEEP;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i += 1) {
      out[i] = forCore(value[i], levels - 1);
      if (out[i] === TOO_DEEP) return TOO_DEEP;
    }
    return out;
  }
  const out = {};
  for (const key of Object.keys(value)) {
    const copy = forCore(value[key], levels - 1);
    if (copy === TOO_DEEP) return TOO_DEEP;
    out[wellFormed(key)] = copy;
  }
  return out;
}

/**
 * The parts of a parsed body the core reads (digestSpec(): {top: [keys], query: [keys]}), bounded to `maxDepth`
 * levels (the digest object itself is level 1); null when they nest deeper.
 * `partial` is true when something was left out, so the core knows a small digest stands for a non-empty body.
 */
export function digestOf(body, spec, maxDepth = 32) {
  const levels = Math.min(Math.max(1, maxDepth), DEPTH_CEILING);
  // Only emptiness and shape matter for a body that is not an object: a big top-level array is not copied.
  if (Array.isArray(body)) return { value: [], partial: body.length > 0 };
  if (typeof body === 'string') return { value: wellFormed(body.slice(0, TEXT_LIMIT)), partial: false };
  if (!isPlainObject(body)) return { value: body, partial: false };
  const value = {};
  let partial = false;
  for (const key of Object.keys(body)) {
    if (!spec.top.includes(key)) {
      partial = true;
    } else if (key === 'query' && isPlainObject(body.query)) {
      value.query = {};
      for (const sub of Object.keys(body.query)) {
        if (spec.query.includes(sub)) value.query[sub] = body.query[sub];
        else partial = true;
      }
    } else {
      value[key] = body[key];
    }
  }
  const copy = forCore(value, levels);
  return copy === TOO_DEEP ? null : { value: copy, partial };
}

/**
 * The body as text, or null when it is larger than `maxBytes` (0: no bound). Read as a stream and cancelled at the
 * bound: neither Content-Length (absent when chunked, the compressed size when gzipped) nor the server can be
 * trusted to say how much is coming.
 */
async function readBody(response, maxBytes) {
  const declared = Number(response.headers.get('content-length'));
  if (maxBytes > 0 && declared > maxBytes) {
    response.body?.cancel().catch(() => {});
    return null;
  }
  if (!(maxBytes > 0) || !response.body || typeof response.body.getReader !== 'function') return response.text();
  const reader = response.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  let bytes = chunks.length === 1 ? chunks[0] : new Uint8Array(size);
  if (chunks.length !== 1) {
    let at = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, at);
      at += chunk.byteLength;
    }
  }
  return new TextDecoder().decode(bytes); // invalid UTF-8 becomes U+FFFD, a BOM is dropped: as response.text()
}

function buildBody(request, blobs) {
  switch (request.bodyKind) {
    case 'form':
    case 'json':
      return request.body;
    case 'multipart': {
      const form = new FormData();
      for (const field of request.fields) {
        if (field.blob >= 0) form.append(field.name, blobs[field.blob]);
        else form.append(field.name, field.value);
      }
      return form;
    }
    default:
      return undefined;
  }
}

/**
 * Sends one core request. `sink.response(request, status, headers, bodyKind, digestJson, text, body, raw)` (raw:
 * {statusText, text}, the answer as a jqXHR shows it, for the on-wiki classes in onwiki/) or
 * `sink.failure(request, 'network'|'abort')` is called once, unless the returned handle was cancelled (the driver
 * no longer needs the answer, or its timeout passed: nothing is reported).
 */
export function send(request, blobs, spec, sink, xhrFactory) {
  const controller = new AbortController();
  let cancelled = false;
  let xhr = null; // with `xhrFactory` (mw.Api's ajaxOptions.xhr: upload progress), the request goes through it
  const headers = request.headers
    .filter(
      // FormData needs the Content-Type fetch writes itself, with the boundary.
      ([name]) => !(request.bodyKind === 'multipart' && name === 'content-type'),
    )
    // an OAuth2Client's placeholder becomes its current token here, and only here (js/src/oauth2-calls.js)
    .map(([name, value]) => (name === 'authorization' ? [name, wireAuthorization(value)] : [name, value]));
  const init = {
    method: request.method,
    headers,
    credentials: request.credentials,
    signal: controller.signal,
  };
  if (request.noStore) init.cache = 'no-store';
  const useJar = usesCookieJar && request.credentials === 'include';
  if (useJar) {
    const cookie = cookieHeader(request.url);
    if (cookie) init.headers = [...headers, ['cookie', cookie]];
  }
  const body = buildBody(request, blobs);
  if (body !== undefined) init.body = body;

  const exchange = async () => {
    if (xhrFactory) {
      const got = await exchangeWithXhr(xhrFactory, request, init, (x) => {
        xhr = x;
      });
      const tooLarge = request.maxBodyBytes > 0 && new TextEncoder().encode(got.text).byteLength > request.maxBodyBytes;
      return { response: got.response, text: tooLarge ? null : got.text };
    }
    const response = await globalThis.fetch(request.url, init);
    if (useJar) storeCookies(request.url, response);
    const text = await readBody(response, request.maxBodyBytes);
    return { response, text };
  };
  const answer = ({ response, text }) => {
    const status = response.status;
    const headerPairs = [...response.headers];
    const raw = { statusText: response.statusText, text: text === null ? '' : text };
    if (text === null) return sink.response(request, status, headerPairs, 'too-large', '', '', undefined, raw);
    if (text === '') return sink.response(request, status, headerPairs, 'empty', '', '', undefined, raw);
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {
      // The caller gets the whole text (a REST HTML or wikitext endpoint); the core only its start.
      return sink.response(request, status, headerPairs, 'text', '', wellFormed(text.slice(0, TEXT_LIMIT)), text, raw);
    }
    const digest = digestOf(parsed, spec, request.maxJsonDepth);
    if (!digest) return sink.response(request, status, headerPairs, 'too-deep', '', '', parsed, raw);
    const kind = digest.partial ? 'digest' : 'json';
    return sink.response(request, status, headerPairs, kind, JSON.stringify(digest.value), '', parsed, raw);
  };
  exchange().then(
    (exchanged) => {
      if (cancelled) return;
      // Status 0 is an opaque answer: nothing readable came back, exactly like a network failure.
      if (exchanged.response.status === 0) return sink.failure(request, 'network');
      answer(exchanged);
    },
    (error) => {
      if (cancelled) return;
      // Someone else aborted the fetch (page unload, a runtime shutting down); anything else is a network error,
      // which includes the TypeError a browser gives for a CORS refusal and a body cut off mid-way.
      sink.failure(request, error && error.name === 'AbortError' ? 'abort' : 'network');
    },
  );

  return {
    cancel() {
      cancelled = true;
      controller.abort();
      if (xhr) xhr.abort();
    },
  };
}
