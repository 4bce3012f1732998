// A jqXHR-like view of one answer, for code written against mw.Api's (result, jqXHR) and ('http', {xhr, …}):
// status, statusText, responseText / responseJSON, getResponseHeader(), plus `fwError`, the named Error of a
// failure (errors.js). Built from the engine's record of the answer (engine.js `http`), or, without an answer
// (network failure, timeout, abort), as jQuery leaves it then: readyState 0, status 0.

/**
 * @param {{status: number, statusText: string, headers: Array<[string, string]>, text: string}|undefined} http
 * @param {{body?: unknown, statusText?: string, error?: Error, abort?: () => void}} [extra]
 */
export function makeJqXHR(http, extra = {}) {
  const headers = new Map();
  for (const [name, value] of (http && http.headers) || []) headers.set(name.toLowerCase(), value);
  const xhr = {
    readyState: http ? 4 : 0,
    status: http ? http.status : 0,
    // Without an answer jQuery sets the textStatus here ('error', 'timeout', 'abort').
    statusText: http ? http.statusText || '' : extra.statusText || 'error',
    responseText: http ? http.text : undefined,
    getResponseHeader(name) {
      const value = headers.get(String(name).toLowerCase());
      return value === undefined ? null : value;
    },
    getAllResponseHeaders() {
      return http ? [...headers].map(([name, value]) => `${name}: ${value}\r\n`).join('') : null;
    },
    setRequestHeader() {
      return xhr;
    },
    overrideMimeType() {
      return xhr;
    },
    abort() {
      if (extra.abort) extra.abort();
      return xhr;
    },
  };
  if (http && extra.body !== undefined && typeof extra.body === 'object') xhr.responseJSON = extra.body;
  if (extra.error) Object.defineProperty(xhr, 'fwError', { value: extra.error, enumerable: false });
  return xhr;
}
