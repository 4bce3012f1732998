// mw.ForeignRest's surface (get, post, put, delete, ajax, abort, and patch) for a foreign wiki's rest.php, over the shared engine.
// JSON in, parsed JSON out (text and HTML endpoints: the text). Auth follows the same options as ForeignApi; with CentralAuth the core sends
// `Authorization: CentralAuthToken …` and no cookies.

import { Client } from './client.js';
import { clientOptions, resolveUrl } from './options.js';
import { ForeignApi } from './ForeignApi.js';
import { runWithOAuth2 } from './oauth2-calls.js';

export class ForeignRest {
  /**
   * new ForeignRest(url, options), or MediaWiki's older new ForeignRest(url, foreignActionApi, options): the
   * ForeignApi's options are then the defaults (its auth choice carries over), `options` override them.
   * @param {string|URL} url  the foreign wiki's rest.php
   */
  constructor(url, foreignActionApiOrOptions = {}, options = {}) {
    let merged = foreignActionApiOrOptions || {};
    if (foreignActionApiOrOptions instanceof ForeignApi) merged = { ...foreignActionApiOrOptions.options, ...options };
    // Some other mw.Api-like object (MediaWiki's own): nothing of it can be reused, only `options` count.
    else if (typeof merged.postWithToken === 'function') merged = options;
    this.url = resolveUrl(url, 'ForeignRest');
    this.options = merged;
    this.client = new Client(this, clientOptions(this.url, merged, true), {
      onWarnings: merged.onWarnings,
      onNotice: merged.onNotice,
    });
  }

  /**
   * @param {string} path   route such as '/v1/page/{title}' ({name} is filled from options.pathParams)
   * @param {object} [query]
   * @param {object} [headers]
   * @param {{pathParams?: object, signal?: AbortSignal, timeout?: number}} [options]
   */
  get(path, query, headers, options) {
    return this.request('GET', path, { query, headers, ...options });
  }

  post(path, body, headers, options) {
    return this.request('POST', path, { body, headers, ...options });
  }

  put(path, body, headers, options) {
    return this.request('PUT', path, { body, headers, ...options });
  }

  delete(path, body, headers, options) {
    return this.request('DELETE', path, { body, headers, ...options });
  }

  patch(path, body, headers, options) {
    return this.request('PATCH', path, { body, headers, ...options });
  }

  /**
   * mw.Rest's ajax(path, ajaxOptions): `type` (GET by default), `data` (the query of a GET, else the JSON body),
   * `headers`, and ours: `signal`, `timeout`, `pathParams`, `fullResponse`.
   */
  ajax(path, ajaxOptions = {}) {
    const { type = 'GET', data, headers, ...options } = ajaxOptions;
    const method = String(type).toUpperCase();
    return this.request(method, path, { ...(method === 'GET' ? { query: data } : { body: data }), headers, ...options });
  }

  /** options.fullResponse: resolve with {body, status, headers} (e.g. an ETag for a later If-Match). */
  request(method, path, { query, body, headers, pathParams, signal, timeout, fullResponse } = {}) {
    const start = () =>
      this.client.run(
        'rest',
        (client) => ({ client, method, path, pathParams, query, body, headers, timeoutMs: timeout }),
        { signal, fullResponse },
      );
    return this.options.oauth2 ? runWithOAuth2(this.options.oauth2, {}, start) : start();
  }

  /** Aborts every call of this instance that has not finished. */
  abort() {
    this.client.abortAll();
  }
}
