// mw.ForeignApi's surface (get, post, ajax, getToken, badToken, postWithToken, getEditToken, postWithEditToken,
// abort) over the shared wasm engine. Parameters, origin, credentials, tokens, centralauthtokens and retries are
// the core's business; this class only translates mw.Api-shaped arguments into calls.

import { Client, extractBlobs } from './client.js';
import { clientOptions, resolveUrl } from './options.js';

export class ForeignApi {
  /**
   * @param {string|URL} url  the foreign wiki's api.php
   * @param {object} [options] see types/index.d.ts (ForeignApiOptions)
   */
  constructor(url, options = {}) {
    this.apiUrl = resolveUrl(url, 'ForeignApi');
    this.options = options;
    this.client = new Client(this, clientOptions(this.apiUrl, options, false), {
      onWarnings: options.onWarnings,
      onNotice: options.onNotice,
    });
  }

  get(parameters, ajaxOptions = {}) {
    return this.ajax(parameters, { ...ajaxOptions, type: 'GET' });
  }

  post(parameters, ajaxOptions = {}) {
    return this.ajax(parameters, { ...ajaxOptions, type: 'POST' });
  }

  /** ajaxOptions: {type: 'GET'|'POST', timeout (ms), headers, signal}. */
  ajax(parameters, ajaxOptions = {}) {
    return this.call(parameters, ajaxOptions, '');
  }

  call(parameters, ajaxOptions, tokenType) {
    const method = String(ajaxOptions.type || 'GET').toUpperCase();
    return this.client.run(
      'action',
      (client, blobs) => ({
        client,
        method,
        params: extractBlobs(parameters ?? {}, blobs),
        tokenType: tokenType || undefined,
        headers: ajaxOptions.headers,
        timeoutMs: ajaxOptions.timeout,
      }),
      { signal: ajaxOptions.signal },
    );
  }

  /**
   * The token of `type` ('csrf', 'watch', …; legacy 'edit' etc. mean csrf), from the engine's cache or one fetch
   * shared with every concurrent caller (postWithToken included). The wiki and identity key the cache; assert and
   * assertuser come from this instance's options (mw.Api's second argument is accepted for compatibility).
   */
  getToken(type) {
    return this.client.run('token', (client) => ({ client, type }));
  }

  /** Forgets the cached token of `type` for this wiki and identity, as after a badtoken answer. */
  badToken(type) {
    // Chained on the same registration promise as every call, so a getToken() right after this misses the cache.
    this.client.ready().then(({ engine, id }) => engine.forgetToken(id, type), () => {});
  }

  /** POST with a token of `type`, added last in the body; a badtoken answer is retried once with a fresh token. */
  postWithToken(tokenType, parameters, ajaxOptions = {}) {
    return this.call(parameters, { ...ajaxOptions, type: 'POST' }, tokenType);
  }

  getEditToken() {
    return this.getToken('csrf');
  }

  postWithEditToken(parameters, ajaxOptions) {
    return this.postWithToken('csrf', parameters, ajaxOptions);
  }

  /** Aborts every call of this instance that has not finished. */
  abort() {
    this.client.abortAll();
  }
}
