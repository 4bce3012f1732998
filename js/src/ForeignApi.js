// mw.ForeignApi's surface (get, post, ajax, getToken, badToken, postWithToken, getEditToken, postWithEditToken,
// abort) over the shared wasm engine. Parameters, origin, credentials, tokens, centralauthtokens and retries are
// the core's business; this class only translates mw.Api-shaped arguments into calls.

import { Client, extractBlobs } from './client.js';
import { clientOptions, pageOrigin, resolveUrl } from './options.js';
import { runWithOAuth2 } from './oauth2-calls.js';
import * as editing from './helpers/edit.js';
import * as account from './helpers/account.js';
import * as content from './helpers/content.js';
import * as uploads from './helpers/upload.js';
import { queryBatches, queryFullPages } from './helpers/query.js';

/** What runWithOAuth2 needs to tell a refused origin from a dead network, and to switch to crossorigin. */
function oauth2Target(api) {
  return {
    apiUrl: api.apiUrl,
    pageOrigin: pageOrigin(),
    crossorigin: api.client.coreOptions.crossorigin,
    useCrossorigin: () => api.client.reconfigure({ crossorigin: true }),
  };
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
    /** Messages loaded by loadMessages() (off a wiki page there is no mw.messages). */
    this.messages = {};
    /** The user name after login(), else undefined. */
    this.loggedInAs = undefined;
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
    const start = () =>
      this.client.run(
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
    if (!this.options.oauth2) return start();
    return runWithOAuth2(this.options.oauth2, oauth2Target(this), start);
  }

  /**
   * The token of `type` ('csrf', 'watch', …; legacy 'edit' etc. mean csrf), from the engine's cache or one fetch
   * shared with every concurrent caller (postWithToken included). The wiki, identity, assert and assertuser key the
   * cache; `additional` is mw.Api's second argument: an assert string, or an object whose assert / assertuser are
   * used (else this instance's options).
   */
  getToken(type, additional) {
    const extra = typeof additional === 'string' ? { assert: additional } : additional || {};
    const start = () =>
      this.client.run('token', (client) => ({ client, type, assert: extra.assert, assertuser: extra.assertuser }));
    if (!this.options.oauth2) return start();
    return runWithOAuth2(this.options.oauth2, oauth2Target(this), start);
  }

  /** Forgets the cached token of `type` for this wiki and identity, as after a badtoken answer. */
  badToken(type) {
    // Chained on the same registration promise as every call, so a getToken() right after this misses the cache.
    this.client.ready().then(({ engine, id }) => engine.forgetToken(id, type), () => {});
  }

  /**
   * POST with a token of `type`, added last in the body; a badtoken answer is retried once with a fresh token. The
   * call's assert / assertuser go to the token fetch too (as in mw.Api).
   */
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

  // ---- mw.Api's plugins (same names, arguments and results; see README "Helpers") ----

  edit(title, transform) {
    return editing.edit(this, title, transform);
  }

  create(title, params, text) {
    return editing.create(this, title, params, text);
  }

  newSection(title, header, message, additionalParams) {
    return editing.newSection(this, title, header, message, additionalParams);
  }

  assertCurrentUser(query) {
    return editing.assertCurrentUser(this, query);
  }

  parse(contentOrPage, additionalParams) {
    return content.parse(this, contentOrPage, additionalParams);
  }

  getMessages(messages, options) {
    return content.getMessages(this, messages, options);
  }

  loadMessages(messages, options) {
    return content.loadMessages(this, messages, options);
  }

  loadMessagesIfMissing(messages, options) {
    return content.loadMessagesIfMissing(this, messages, options);
  }

  isCategory(title) {
    return content.isCategory(this, title);
  }

  getCategoriesByPrefix(prefix) {
    return content.getCategoriesByPrefix(this, prefix);
  }

  getCategories(title) {
    return content.getCategories(this, title);
  }

  getErrorMessage(data) {
    return content.getErrorMessage(data);
  }

  login(username, password) {
    return account.login(this, username, password);
  }

  getUserInfo() {
    return account.getUserInfo(this);
  }

  saveOption(name, value) {
    return account.saveOptions(this, { [name]: value });
  }

  saveOptions(options) {
    return account.saveOptions(this, options);
  }

  watch(pages, expiry) {
    return account.watch(this, pages, expiry);
  }

  unwatch(pages) {
    return account.unwatch(this, pages);
  }

  rollback(page, user, params) {
    return account.rollback(this, page, user, params);
  }

  upload(file, data, options) {
    return uploads.upload(this, file, data, options);
  }

  uploadToStash(file, data, options) {
    return uploads.uploadToStash(this, file, data, options);
  }

  /** chunkedUpload(file, data, chunkSize, options): chunks in order, then the publish; data.filekey resumes. */
  chunkedUpload(file, data, chunkSize, options) {
    return uploads.chunked(this, file, data, chunkSize, options);
  }

  chunkedUploadToStash(file, data, chunkSize, options) {
    return uploads.chunkedUploadToStash(this, file, data, chunkSize, options);
  }

  uploadFromStash(filekey, data, options) {
    return uploads.uploadFromStash(this, filekey, data, options);
  }

  /** The batches of an action=query, following `continue` (an async iterator). */
  queryBatches(params, options) {
    return queryBatches(this, params, options);
  }

  /** The pages of a prop/generator query, each whole across batches (an async iterator). */
  queryFullPages(params, options) {
    return queryFullPages(this, params, options);
  }
}
