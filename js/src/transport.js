// The only place that calls fetch. It performs exactly the request the core emitted (method, URL, headers, body,
// credentials, cache mode, timeout) and reports back what happened; it decides nothing about MediaWiki.
// The body is parsed once: the full parse goes to the caller, the core only gets the digest it asked for.

/** A string that survives UTF-8 encoding on the way into wasm (a cut can leave half a surrogate pair). */
function wellFormed(text) {
  if (typeof text.toWellFormed === 'function') return text.toWellFormed();
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

// Enough of a non-JSON body (an HTML error page, a proxy message) for an error message, not the whole page.
const TEXT_LIMIT = 4096;

function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The parts of a parsed body the core reads (digestSpec(): {top: [keys], query: [keys]}).
 * `partial` is true when something was left out, so the core knows a small digest stands for a non-empty body.
 */
export function digestOf(body, spec) {
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
  return { value, partial };
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
 * Sends one core request. `sink.response(request, status, headers, bodyKind, digestJson, text, body)` or
 * `sink.failure(request, 'network'|'timeout'|'abort')` is called once, unless the returned handle was cancelled
 * (the core no longer needs the answer, so nothing is reported).
 */
export function send(request, blobs, spec, sink) {
  const controller = new AbortController();
  let why = null; // 'timeout' | 'cancel' once we aborted it ourselves
  let timer = null;
  if (request.timeoutMs > 0) {
    timer = setTimeout(() => {
      why = 'timeout';
      controller.abort();
    }, request.timeoutMs);
  }
  const headers = request.headers.filter(
    // FormData needs the Content-Type fetch writes itself, with the boundary.
    ([name]) => !(request.bodyKind === 'multipart' && name === 'content-type'),
  );
  const init = {
    method: request.method,
    headers,
    credentials: request.credentials,
    signal: controller.signal,
  };
  if (request.noStore) init.cache = 'no-store';
  const body = buildBody(request, blobs);
  if (body !== undefined) init.body = body;

  const exchange = async () => {
    const response = await globalThis.fetch(request.url, init);
    const text = await response.text();
    return { response, text };
  };
  exchange().then(
    ({ response, text }) => {
      clearTimeout(timer);
      if (why === 'cancel') return;
      // Status 0 is an opaque answer: nothing readable came back, exactly like a network failure.
      if (response.status === 0) return sink.failure(request, 'network');
      const headerPairs = [...response.headers];
      if (text === '') return sink.response(request, response.status, headerPairs, 'empty', '', '', undefined);
      let parsed;
      try {
        parsed = JSON.parse(text);
      } catch {
        return sink.response(request, response.status, headerPairs, 'text', '', wellFormed(text.slice(0, TEXT_LIMIT)));
      }
      const digest = digestOf(parsed, spec);
      const kind = digest.partial ? 'digest' : 'json';
      sink.response(request, response.status, headerPairs, kind, JSON.stringify(digest.value), '', parsed);
    },
    (error) => {
      clearTimeout(timer);
      if (why === 'cancel') return;
      if (why === 'timeout') return sink.failure(request, 'timeout');
      // Someone else aborted the fetch (page unload, a runtime shutting down); anything else is a network error,
      // which includes the TypeError a browser gives for a CORS refusal.
      sink.failure(request, error && error.name === 'AbortError' ? 'abort' : 'network');
    },
  );

  return {
    cancel() {
      why = 'cancel';
      clearTimeout(timer);
      controller.abort();
    },
  };
}
