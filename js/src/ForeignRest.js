// mw.ForeignRest's surface (get, post, put, delete, abort) for a foreign wiki's rest.php, over the shared engine.
// JSON in, parsed JSON out. Auth follows the same options as ForeignApi; with CentralAuth the core sends
// `Authorization: CentralAuthToken …` and no cookies.

import { Client } from './client.js';
import { clientOptions, resolveUrl } from './options.js';
import { ForeignApi } from './ForeignApi.js';

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

  request(method, path, { query, body, headers, pathParams, signal, timeout } = {}) {
    return this.client.run(
      'rest',
      (client) => ({
        client,
        method,
        path,
        pathParams,
        query,
        body,
        headers,
        timeoutMs: timeout,
      }),
      { signal },
    );
  }

  /** Aborts every call of this instance that has not finished. */
  abort() {
    this.client.abortAll();
  }
}
