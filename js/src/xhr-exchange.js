// One request through XMLHttpRequest instead of fetch, for a call that passed mw.Api's `xhr` factory (the upload
// plugin does, to report upload progress: fetch cannot). Same request as transport.js would send (method, URL,
// headers, body, credentials); the answer is handed back in the shape transport.js reads from a fetch Response.

/** Promise of {response: {status, statusText, headers}, text}; rejects like fetch (TypeError, or AbortError). */
export function exchangeWithXhr(factory, request, init, onXhr) {
  return new Promise((resolve, reject) => {
    const xhr = factory();
    onXhr(xhr);
    xhr.open(init.method, request.url, true);
    // Cross-origin XHR sends cookies only with withCredentials; same-origin it always does (as fetch 'include').
    xhr.withCredentials = init.credentials === 'include';
    for (const [name, value] of init.headers) xhr.setRequestHeader(name, value);
    xhr.onload = () => {
      const headers = [];
      for (const line of xhr.getAllResponseHeaders().trim().split(/[\r\n]+/)) {
        const at = line.indexOf(':');
        if (at > 0) headers.push([line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim()]);
      }
      resolve({ response: { status: xhr.status, statusText: xhr.statusText, headers }, text: xhr.responseText });
    };
    xhr.onerror = () => reject(new TypeError('XMLHttpRequest failed'));
    xhr.ontimeout = xhr.onerror;
    xhr.onabort = () => reject(new DOMException('The request was aborted.', 'AbortError'));
    xhr.send(init.body === undefined ? null : init.body);
  });
}
