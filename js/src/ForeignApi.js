// mw.ForeignApi's surface (get, post, ajax, getToken, badToken, postWithToken, getEditToken, postWithEditToken,
// abort) over the shared wasm engine. Parameters, origin, credentials, tokens, centralauthtokens and retries are
// the core's business; this class only translates mw.Api-shaped arguments into calls.

import { Client, extractBlobs } from './client.js';
import { clientOptions, resolveUrl } from './options.js';
import { abortablePromise } from './compat-promise.js';
import { AbortError, ApiError } from './errors.js';

// mw.Api's getToken(type, assert): assert is a string ('user'), or {assert, assertuser}.
function assertParams(assert) {
  if (!assert) return {};
  if (typeof assert === 'string') return { assert };
  const out = {};
  if (assert.assert) out.assert = assert.assert;
  if (assert.assertuser) out.assertuser = assert.assertuser;
  return out;
}

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
    // getToken() results per normalised type and assert, shared by concurrent callers like mw.Api's promise cache.
    this.tokens = new Map();
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
   * The token of `type` ('csrf', 'watch', …; legacy 'edit' etc. mean csrf), fetched once and then cached.
   * Aborting the returned promise rejects it, but never the shared fetch other callers wait for (as in mw.Api).
   */
  getToken(type, assert) {
    const extra = assertParams(assert);
    let abort = () => {};
    return abortablePromise((resolve, reject) => {
      abort = () => reject(new AbortError('abort', 'The call was aborted.'));
      this.client.ready().then(({ driver }) => {
        const normalized = driver.normalizeTokenType(type);
        const key = `${normalized}\n${JSON.stringify(extra)}`;
        let pending = this.tokens.get(key);
        if (!pending) {
          pending = this.get({ action: 'query', meta: 'tokens', type: normalized, ...extra }).then((result) => {
            const token = result?.query?.tokens?.[`${normalized}token`];
            if (typeof token !== 'string') {
              throw new ApiError('token-missing', `The wiki returned no ${normalized} token.`, { result });
            }
            return token;
          });
          this.tokens.set(key, pending);
          pending.catch(() => this.tokens.delete(key)); // failures are never cached (unlike mw.Api's token-missing)
        }
        pending.then(resolve, reject);
      }, reject);
    }, () => abort());
  }

  /** Forgets the cached token of `type` (here and in the engine), as after a badtoken answer. */
  badToken(type) {
    // Queued on the same registration promise as getToken(), so a getToken() right after this sees it forgotten.
    this.client.ready().then(({ driver, id }) => {
      const normalized = driver.normalizeTokenType(type);
      for (const key of [...this.tokens.keys()]) if (key.startsWith(`${normalized}\n`)) this.tokens.delete(key);
      driver.forgetToken(id, normalized);
    }, () => {});
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
