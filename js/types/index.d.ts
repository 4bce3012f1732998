// Types of the public API of foreign-wasm (ES module `foreign-wasm`, and globalThis.ForeignWasm of the classic
// script dist/foreign-wasm.js, which has the same members).

/** A parameter value as MediaWiki reads it: arrays are joined with '|' (or U+001F), true is "1", false/null/undefined are dropped. */
export type ApiParamValue = string | number | boolean | null | undefined | Date | readonly (string | number)[] | Blob;
export type ApiParams = Record<string, ApiParamValue>;

/** A parsed Action API answer. */
export type ApiResponse = Record<string, any>;

/** A warning from any warnings format, normalised by the core. */
export interface ApiWarning {
  module: string;
  code: string;
  text: string;
}

/** Something non-fatal the core wants a user to see (e.g. `anonymous-fallback`, `foreign-login`). */
export interface Notice {
  type: 'notice';
  call: number;
  code: string;
  info: string;
}

export interface CompletedEvent {
  type: 'completed';
  call: number;
  responseOf: number;
  warnings: ApiWarning[];
  /** CentralAuth gave no token and the call ran anonymously, as `anonymousFallback` allowed. */
  anonymousFallback: boolean;
}

export interface ForeignApiOptions {
  /** origin=*, no cookies: public data only, never a login. */
  anonymous?: boolean;
  /** Merged under every call's parameters (mw.Api `parameters`). */
  parameters?: ApiParams;
  ajax?: {
    /** Milliseconds per request (default 30000); 0 = none. */
    timeout?: number;
    /** Extra headers on every request. */
    headers?: Record<string, string>;
  };
  /**
   * The local wiki's api.php, where centralauthtokens come from. On a wiki page it defaults to that wiki's api.php;
   * `false` disables CentralAuth. Used when the user is logged in locally and the target is another origin.
   */
  centralAuth?: string | URL | false;
  /** The user name on the local wiki (default: mw.config wgUserName; null = not logged in). */
  localUser?: string | null;
  /**
   * A fixed OAuth 2 access token (e.g. an owner-only one): sent as `Authorization: Bearer …`, no cookies. On api.php
   * from another origin: `origin=<page origin>` (MediaWiki 1.39: only origins the wiki lists), or `crossorigin`
   * with `crossorigin: true`.
   */
  bearerToken?: string;
  /** OAuth 1.0a (Node only): an OAuth1Signer of `foreign-wasm/oauth1`, which signs every request as it leaves. */
  oauth1?: RequestSigner;
  /**
   * An OAuth2Client: each call carries its current access token, refreshed before expiry; a call the wiki refused
   * for its token is repeated once after one shared refresh. Failures: OAuthError.
   */
  oauth2?: OAuth2Client;
  /**
   * The wiki takes `crossorigin` on api.php (MediaWiki >= 1.44): a Bearer from any origin. Default: the client's, or
   * learned: a call refused from an unlisted origin by a wiki whose siteinfo says >= 1.44 is repeated once with it.
   */
  crossorigin?: boolean;
  /** CentralAuth: continue anonymously (and say so) when the local wiki gives no token. */
  anonymousFallback?: boolean;
  /** CentralAuth: check once, in parallel, whether the user is already logged in on the foreign wiki. */
  checkForeignLogin?: boolean;
  /** CentralAuth: mint the next call's centralauthtoken ahead, thrown away after this many ms (0 = off, default 20000). */
  prefetch?: number;
  /** Sent as Api-User-Agent (not on GET unless userAgentOnGet: a custom header forces a CORS preflight). */
  userAgent?: string;
  userAgentOnGet?: boolean;
  /** assert=user|bot|anon on every request, token fetches included. */
  assert?: 'user' | 'bot' | 'anon';
  assertuser?: string;
  /** Total time a call may spend waiting on maxlag/readonly/Retry-After before it fails (default 65000; 0 = never wait). */
  retryBudgetMs?: number;
  /** How long to wait before retrying when the wiki is read-only (MediaWiki sends no Retry-After; default 30000). */
  readonlyWaitMs?: number;
  /** Answers larger than this are not read: ResponseError 'response-too-large' (default 33554432, 32 MiB). */
  maxBodyBytes?: number;
  /** How deep the fields the library reads (errors, warnings, tokens) may nest: ResponseError 'response-too-deep' beyond (default 32). */
  maxJsonDepth?: number;
  /** Called with the normalised warnings of every call that had some. */
  onWarnings?: (warnings: ApiWarning[], event: CompletedEvent) => void;
  /** Called with the notices about this instance's calls. */
  onNotice?: (notice: Notice) => void;
}

export interface AjaxOptions {
  type?: 'GET' | 'POST' | 'get' | 'post';
  /** Milliseconds for this call's requests. */
  timeout?: number;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** The arguments mw.Api passes to .fail(): (code, result, result, error). */
export type FailCallback = (code: string, result?: any, sameResult?: any, error?: ForeignApiError) => void;

/** A native Promise that also speaks jQuery's done/fail/always, as mw.Api's promises do. */
export declare class CompatPromise<T> extends Promise<T> {
  done(...callbacks: Array<((value: T) => void) | Array<(value: T) => void>>): this;
  fail(...callbacks: Array<FailCallback | FailCallback[]>): this;
  always(...callbacks: Array<(valueOrCode: any, ...rest: any[]) => void>): this;
  promise(): this;
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: any) => R2 | PromiseLike<R2>) | null,
  ): CompatPromise<R1 | R2>;
}

/** What every call returns: abort() fails it with an AbortError and cancels its requests. */
export interface AbortablePromise<T> extends CompatPromise<T> {
  abort(): this;
}

export declare class ForeignApi {
  /** @throws UsageError when url is not a string or URL */
  constructor(url: string | URL, options?: ForeignApiOptions);
  readonly apiUrl: string;
  readonly options: ForeignApiOptions;
  get(parameters: ApiParams, ajaxOptions?: AjaxOptions): AbortablePromise<ApiResponse>;
  post(parameters: ApiParams, ajaxOptions?: AjaxOptions): AbortablePromise<ApiResponse>;
  ajax(parameters: ApiParams, ajaxOptions?: AjaxOptions): AbortablePromise<ApiResponse>;
  /**
   * The token of `type` from the shared cache or one shared fetch. `assert` (mw.Api's second argument: a string,
   * or an object whose assert / assertuser are used) goes to the token fetch and keys the cache; without it, this
   * instance's `assert`/`assertuser` options.
   */
  getToken(type: string, assert?: string | { assert?: string; assertuser?: string }): AbortablePromise<string>;
  badToken(type: string): void;
  postWithToken(tokenType: string, parameters: ApiParams, ajaxOptions?: AjaxOptions): AbortablePromise<ApiResponse>;
  getEditToken(): AbortablePromise<string>;
  postWithEditToken(parameters: ApiParams, ajaxOptions?: AjaxOptions): AbortablePromise<ApiResponse>;
  abort(): void;

  // ---- mw.Api's plugins (MediaWiki 1.39 resources/src/mediawiki.api/*.js), same names and results ----
  /** Messages loaded by loadMessages() (off a wiki page there is no mw.messages). */
  messages: Record<string, string>;
  /** The user name after login(). */
  loggedInAs: string | undefined;
  /**
   * Reads the page, calls `transform({content, timestamp})`, writes with basetimestamp, starttimestamp, baserevid and
   * nocreate: a concurrent edit is the server's `editconflict`, a missing page `nocreate-missing`.
   */
  edit(title: string | { toString(): string }, transform: (revision: { content: string; timestamp: string }) => string | ApiParams | PromiseLike<string | ApiParams>): AbortablePromise<EditResult>;
  create(title: string | { toString(): string }, params: ApiParams | undefined, text: string): AbortablePromise<EditResult>;
  newSection(title: string | { toString(): string }, header: string, message: string, additionalParams?: ApiParams): AbortablePromise<ApiResponse>;
  assertCurrentUser(query: ApiParams): ApiParams;
  /** The HTML of wikitext, or of a page ({page: title} or an mw.Title). */
  parse(content: string | { page: string } | { getPrefixedDb(): string }, additionalParams?: ApiParams): AbortablePromise<string>;
  getMessages(messages: string | string[], options?: ApiParams): AbortablePromise<Record<string, string>>;
  loadMessages(messages: string | string[], options?: ApiParams): AbortablePromise<Record<string, string>>;
  loadMessagesIfMissing(messages: string[], options?: ApiParams): AbortablePromise<Record<string, string>>;
  isCategory(title: string): AbortablePromise<boolean>;
  /** Category names without the namespace. */
  getCategoriesByPrefix(prefix: string): AbortablePromise<string[]>;
  /** Category titles ("Category:Foo"; mw.Api gives mw.Title objects), or false. */
  getCategories(title: string): AbortablePromise<string[] | false>;
  /** Plain text for an error (mw.Api gives a jQuery element). */
  getErrorMessage(data: ForeignApiError | ApiResponse): string;
  /** Bot password (or main password) login: Node and the wiki's own origin; elsewhere a UsageError `login-cross-origin`. */
  login(username: string, password: string): AbortablePromise<ApiResponse>;
  getUserInfo(): AbortablePromise<{ id: number; name: string; groups: string[]; rights: string[]; anon?: boolean }>;
  saveOption(name: string, value: string | number | boolean | null): AbortablePromise<ApiResponse>;
  saveOptions(options: Record<string, string | number | boolean | null>): AbortablePromise<ApiResponse>;
  watch(pages: string | string[], expiry?: string): AbortablePromise<any>;
  unwatch(pages: string | string[]): AbortablePromise<any>;
  rollback(page: string, user: string, params?: ApiParams): AbortablePromise<any>;
  upload(file: UploadSource, data: UploadData, options?: UploadOptions): AbortablePromise<ApiResponse>;
  uploadToStash(file: UploadSource, data: UploadData, options?: UploadOptions): AbortablePromise<(moreData?: UploadData) => AbortablePromise<ApiResponse>>;
  /** Chunks in order, then the publish. `data.filekey` resumes a stashed upload from the server's offset. */
  chunkedUpload(file: UploadSource, data: UploadData, chunkSize?: number, options?: UploadOptions | number): AbortablePromise<ApiResponse>;
  chunkedUploadToStash(file: UploadSource, data: UploadData, chunkSize?: number, options?: UploadOptions | number): AbortablePromise<(moreData?: UploadData) => AbortablePromise<ApiResponse>>;
  uploadFromStash(filekey: string, data: UploadData, options?: UploadOptions): AbortablePromise<ApiResponse>;
  /** Every batch of an action=query, following `continue`. */
  queryBatches(params: ApiParams, options?: QueryOptions): AsyncGenerator<ApiResponse, void, undefined>;
  /** Every page of a prop/generator query, whole across batches (batchcomplete). */
  queryFullPages(params: ApiParams, options?: QueryOptions & { limit?: number }): AsyncGenerator<Record<string, any>, void, undefined>;
  // Internal: present at runtime, not part of the API (tests/js/dts.test.mjs checks every runtime member is declared).
  private client;
  private call;
}

export interface EditResult {
  result: 'Success';
  pageid: number;
  title: string;
  contentmodel: string;
  oldrevid?: number;
  newrevid?: number;
  newtimestamp?: string;
  nochange?: boolean;
  [key: string]: any;
}

/** A File/Blob; in Node also a Buffer/typed array or a file path. */
export type UploadSource = Blob | ArrayBuffer | ArrayBufferView | string;

export interface UploadData {
  filename?: string;
  comment?: string;
  text?: string;
  watchlist?: string;
  ignorewarnings?: boolean;
  tags?: string;
  stash?: boolean;
  /** Resume (chunkedUpload) a stashed upload. */
  filekey?: string;
}

export interface UploadOptions {
  /** After each chunk the server took (and the whole file for upload()). */
  onProgress?(progress: { loaded: number; total: number }): void;
  signal?: AbortSignal;
  /** Chunk re-sends and status checks, each justified by the server's offset (default 3). */
  resendBudget?: number;
  /** async=1: the wiki assembles and publishes in a job; the library polls checkstatus. */
  async?: boolean;
}

export interface QueryOptions {
  /** Stop after this many requests. */
  maxBatches?: number;
  signal?: AbortSignal;
  method?: 'GET' | 'POST';
}

export interface RestCallOptions {
  /** Values for {name} placeholders of the path, each encoded as one path segment. */
  pathParams?: Record<string, string | number>;
  signal?: AbortSignal;
  /** Milliseconds for this call's requests. */
  timeout?: number;
  /** Resolve with {body, status, headers} (FullResponse) instead of the body. */
  fullResponse?: boolean;
}

export type RestQuery = Record<string, string | number | boolean | null | undefined | readonly (string | number)[]>;

/** MediaWiki's own mw.Api / mw.ForeignApi, as ForeignRest's older constructor form may receive one. */
export interface MediaWikiApiLike {
  postWithToken(...args: any[]): unknown;
}

export declare class ForeignRest {
  constructor(url: string | URL, options?: ForeignApiOptions);
  /**
   * MediaWiki's older form. With a ForeignApi of this package its options are the defaults (its auth choice carries
   * over) and `options` override them; with MediaWiki's own mw.ForeignApi only `options` count.
   */
  constructor(url: string | URL, foreignActionApi: ForeignApi | MediaWikiApiLike, options?: ForeignApiOptions);
  readonly url: string;
  /** The options in force (merged with the ForeignApi's in the older form). */
  readonly options: ForeignApiOptions;
  get(path: string, query?: RestQuery, headers?: Record<string, string>, options?: RestCallOptions): AbortablePromise<any>;
  post(path: string, body?: unknown, headers?: Record<string, string>, options?: RestCallOptions): AbortablePromise<any>;
  put(path: string, body?: unknown, headers?: Record<string, string>, options?: RestCallOptions): AbortablePromise<any>;
  delete(path: string, body?: unknown, headers?: Record<string, string>, options?: RestCallOptions): AbortablePromise<any>;
  patch(path: string, body?: unknown, headers?: Record<string, string>, options?: RestCallOptions): AbortablePromise<any>;
  /** mw.Rest's form: `type` (default GET), `data` (the query of a GET, else the JSON body), `headers`. */
  ajax(path: string, ajaxOptions?: RestCallOptions & { type?: string; data?: any; headers?: Record<string, string> }): AbortablePromise<any>;
  /** Any method; `fullResponse: true` resolves with {body, status, headers}. */
  request(method: string, path: string, options?: RestCallOptions & { query?: RestQuery; body?: unknown; headers?: Record<string, string> }): AbortablePromise<any>;
  abort(): void;
  // Internal, as in ForeignApi.
  private client;
}

/** What a call with `fullResponse: true` resolves with. */
export interface FullResponse<T = any> {
  body: T;
  status: number;
  /** The response headers the browser lets the page read (cross-origin: the CORS-safelisted ones and those exposed). */
  headers: Headers;
}

/** Signs each request of a client as it is sent (`foreign-wasm/oauth1`'s OAuth1Signer). */
export interface RequestSigner {
  /** Public: what keys the token cache (consumer key and access token, never a secret). */
  readonly identity: string;
  sign(request: { method: string; url: string; headers: [string, string][]; bodyKind: string; body?: string }): void;
}

export type ErrorCategory =
  | 'usage'
  | 'api'
  | 'rest'
  | 'http'
  | 'response'
  | 'network'
  | 'oauth'
  | 'cors'
  | 'login-suppressed'
  | 'centralauth'
  | 'timeout'
  | 'abort'
  | 'engine'
  | 'oauth';

// <error-codes> generated by tools/fw_docs.cpp from wasm/core/src/error_table.cpp
/** A code of docs/errors.md, or the server's own API error code. */
export type ErrorCode =
  | 'bad-url'
  | 'bad-auth'
  | 'bad-options'
  | 'bad-call'
  | 'bad-json'
  | 'bad-params'
  | 'bad-param-value'
  | 'bad-client'
  | 'bad-method'
  | 'bad-path'
  | 'bad-header'
  | 'bad-body'
  | 'body-on-get'
  | 'blob-in-get'
  | 'token-in-url'
  | 'bearer-in-url'
  | 'token-with-header-auth'
  | 'http'
  | 'invalidjson'
  | 'ok-but-empty'
  | 'unexpected-response'
  | 'response-too-large'
  | 'response-too-deep'
  | 'unknown'
  | 'network'
  | 'timeout'
  | 'abort'
  | 'origin-mismatch'
  | 'cors-rejected'
  | 'login-suppressed'
  | 'centralauthtoken-unavailable'
  | 'centralauthtoken-expired'
  | 'centralauthtoken-rejected'
  | 'mwoauth-invalid-authorization'
  | 'rest-read-denied'
  | 'access_denied'
  | 'invalid_client'
  | 'invalid_grant'
  | 'invalid_request'
  | 'oauth2-reauthorize'
  | 'oauth2-state-mismatch'
  | 'oauth2-no-code'
  | 'oauth2-popup-blocked'
  | 'oauth2-popup-closed'
  | 'oauth-api-origin'
  | 'token-missing'
  | 'badtoken'
  | 'maxlag'
  | 'readonly'
  | 'ratelimited'
  | 'nocreate-missing'
  | 'invalidtitle'
  | 'edit-failure'
  | 'upload-poll-timeout'
  | 'login-failed'
  | 'notloggedin'
  | 'login-cross-origin'
  | 'oauth1-bad-input'
  | 'oauth1-duplicate-param'
  | 'oauth-error'
  | 'oauth-bad-answer'
  | 'oauth-no-verifier'
  | 'oauth-token-mismatch'
  | 'jwt-malformed'
  | 'jwt-bad-algorithm'
  | 'jwt-bad-signature'
  | 'jwt-wrong-audience'
  | 'jwt-wrong-issuer'
  | 'jwt-nonce-mismatch'
  | 'jwt-expired'
  | 'jwt-not-yet-valid'
  | 'wasm-trap'
  | (string & {});
// </error-codes>

export declare class ForeignApiError extends Error {
  constructor(code: string, info: string, details?: { result?: unknown; status?: number; category?: ErrorCategory; performed?: 'no' | 'maybe'; cause?: unknown });
  /** The server's API error code where there is one (badtoken, maxlag, …), else the library's (docs/errors.md). */
  readonly code: ErrorCode;
  readonly info: string;
  readonly category: ErrorCategory;
  /** HTTP status, 0 when there was no response. */
  readonly status: number;
  /** The parsed response body, when there was one. */
  readonly result: any;
  /**
   * 'maybe': a write whose fate is unknown (a timeout, no response, a 5xx, an answer that is not MediaWiki's
   * success) — it was not repeated; check the wiki before running it again. 'no': certainly not performed.
   */
  readonly performed: 'no' | 'maybe';
}
/** The caller passed something invalid; nothing was sent. */
export declare class UsageError extends ForeignApiError {}
/** The Action API answered with an error. */
export declare class ApiError extends ForeignApiError {}
/** The REST API answered with an error body. */
export declare class RestError extends ForeignApiError {}
/** An HTTP status without an API error body. */
export declare class HttpError extends ForeignApiError {}
/** A 2xx answer that is empty or not JSON. */
export declare class ResponseError extends ForeignApiError {}
/** No response: offline, DNS, or a CORS refusal the browser hides. */
export declare class NetworkError extends ForeignApiError {}
/** The server refused the page's origin in a way we could read. */
export declare class CorsError extends ForeignApiError {}
/** The wiki answered anonymously although a login was asked for. */
export declare class LoginSuppressedError extends ForeignApiError {}
/** No centralauthtoken to be had, or the foreign wiki refused it twice. */
export declare class CentralAuthError extends ForeignApiError {}
export declare class TimeoutError extends ForeignApiError {}
export declare class AbortError extends ForeignApiError {}
/** The WebAssembly engine trapped (out of memory, stack exhausted); pending calls fail, the next call starts a new engine. */
export declare class EngineError extends ForeignApiError {}
/**
 * An OAuth handshake or identify answer was an error (MediaWiki's message key as `code`) or did not verify; or the
 * wiki refused the OAuth token (code: the server's — mwoauth-invalid-authorization, rest-read-denied, access_denied,
 * invalid_grant, invalid_client, …) or OAuth cannot work here (oauth2-reauthorize, oauth-api-origin,
 * oauth2-state-mismatch, oauth2-no-code).
 */
export declare class OAuthError extends ForeignApiError {
  /** The user must authorize again (no refresh possible, or the refresh was refused). */
  reauthorize: boolean;
}

/** What OAuth2Client keeps (serialize() / deserialize()). */
export interface OAuth2Tokens {
  accessToken: string;
  refreshToken?: string;
  /** Seconds, as the token endpoint said. */
  expiresIn: number;
  /** Date.now() milliseconds. */
  expiresAt?: number;
}

export interface OAuth2ClientOptions {
  /** The wiki's rest.php; the endpoints are rest.php/oauth2/authorize and rest.php/oauth2/access_token. */
  restUrl: string;
  clientId: string;
  /** Exactly as registered with the consumer. */
  redirectUri?: string;
  /** Confidential clients only, in Node; never in a page or gadget. */
  clientSecret?: string;
  /** The wiki refreshes a public client without its secret (MediaWiki >= 1.46; 1.39 cannot, T323855). */
  refreshWithoutSecret?: boolean;
  /** Where tokens and the pending state live (default: memory). sessionStorage for a full-page redirect. */
  storage?: { getItem(key: string): string | null; setItem(key: string, value: string): void; removeItem(key: string): void };
  storageKey?: string;
  /** Refresh this long before expiry (default 60000 ms, at most half the lifetime). */
  refreshMarginMs?: number;
  /** The wiki takes `crossorigin` on api.php (MediaWiki >= 1.44). */
  crossorigin?: boolean;
  fetch?: typeof fetch;
  /** Milliseconds since the epoch (default Date.now). */
  clock?: () => number;
}

/** OAuth 2 authorization code + PKCE (S256) against Extension:OAuth; pass it as the `oauth2` option. */
export declare class OAuth2Client {
  constructor(options: OAuth2ClientOptions);
  readonly restUrl: string;
  readonly clientId: string;
  readonly redirectUri?: string;
  readonly clientSecret?: string;
  readonly refreshWithoutSecret: boolean;
  readonly storage: OAuth2ClientOptions['storage'];
  readonly storageKey: string;
  readonly refreshMarginMs: number;
  readonly crossorigin: boolean;
  readonly fetchImpl?: typeof fetch;
  readonly clock: () => number;
  /** The placeholder the engine carries instead of the token. */
  readonly slot: string;
  readonly refreshing: Promise<OAuth2Tokens> | null;
  readonly tokens: OAuth2Tokens | null;
  readonly tokenUrl: string;
  static parse(text: string | null): OAuth2Tokens | null;
  load(): OAuth2Tokens | null;
  serialize(): string | null;
  deserialize(text: string | null): void;
  setTokens(tokens: OAuth2Tokens | null): void;
  isAuthorized(): boolean;
  signOut(): void;
  canRefresh(): boolean;
  /** The consent page's URL, with a fresh state and PKCE verifier kept in storage until the callback. */
  authorizationUrl(options?: { scope?: string }): Promise<{ url: string; state: string }>;
  /** Checks state and exchanges the code (OAuthError oauth2-state-mismatch / oauth2-no-code / the server's). */
  completeAuthorization(callbackUrl: string | URL): Promise<OAuth2Tokens>;
  /** From a click: opens the consent page in a popup; the callback page posts {oauth2Callback: location.href}. */
  authorizeWithPopup(options?: { features?: string; signal?: AbortSignal }): Promise<OAuth2Tokens>;
  /** Navigates to the consent page; the callback page returns to `returnTo` (default: this page). */
  authorizeWithRedirect(options?: { returnTo?: string }): Promise<void>;
  /** On the page the callback returned to: the tokens, or null when this load is not such a return. */
  completeAuthorizationFromRedirect(): Promise<OAuth2Tokens | null>;
  /** A valid access token (refreshed first when it is about to expire), or OAuthError oauth2-reauthorize. */
  accessToken(): Promise<string>;
  currentToken(): string;
  noRefreshReason(what: string): string;
  reauthorize(info: string, details?: object): OAuthError;
  /** One shared refresh for everyone whose call `refused` failed; nothing is sent when the tokens changed since. */
  refreshFrom(refused: string): Promise<OAuth2Tokens>;
  tokenRequest(params: Record<string, string>, purpose: string, what: string): Promise<OAuth2Tokens>;
}

export type TracePurpose = 'centralauthtoken' | 'login-check' | 'token' | 'call' | 'retry' | 'oauth2-code' | 'oauth2-refresh';

/** One request as the request waterfall shows it. Never carries token values, headers or bodies. */
export interface RequestTrace {
  phase: 'request' | 'response' | 'failure';
  /** A number for the engine's requests; 'oauth2-<n>' for an OAuth2Client's token requests. */
  id: number | string;
  /** The caller's call, 0 for shared requests (token fetches, prefetched centralauthtokens, the login check). */
  call: number;
  purpose: TracePurpose;
  why: string;
  method: string;
  /** The URL with token values masked. */
  displayUrl: string;
  credentials: 'omit' | 'include';
  /** HTTP status; 0 before the answer and for failures. */
  status: number;
  /** performance.now() when the request was sent. */
  startMs: number;
  /** performance.now() when it ended; undefined in the 'request' phase. */
  endMs?: number;
  /** Why a 'failure' ended it. */
  failure?: 'network' | 'timeout' | 'abort' | 'cancelled';
}

export interface NoticeTrace {
  phase: 'notice';
  call: number;
  code: string;
  info: string;
}

export type TraceEntry = RequestTrace | NoticeTrace;

/** Subscribes to every request and notice of the shared engine; returns the unsubscribe function. */
export declare function onTrace(listener: (entry: TraceEntry) => void): () => void;

/** What install() returns: puts MediaWiki's (latest) mw.ForeignApi / mw.ForeignRest back. */
export type Uninstall = () => void;

/**
 * Makes mw.ForeignApi / mw.ForeignRest of `mw` (default globalThis.mw) this package's classes, and keeps them so
 * when MediaWiki's module loads later. On a wiki page (jQuery and mw.config present) they are subclasses of the
 * page's own classes with mw.Api's jQuery promise contract (README, "Two contracts"). With types-mediawiki, `mw.ForeignApi` keeps MediaWiki's type, which has
 * members these classes lack (docs/types.md); type code against this package's `ForeignApi` instead.
 * @throws TypeError when there is no mw object
 */
export declare function install(mw?: object): Uninstall;

/**
 * The native-Promise classes in both builds. On a wiki page the script's ForeignWasm.ForeignApi / ForeignRest are
 * subclasses of the page's mw.ForeignApi / mw.ForeignRest with mw.Api's jQuery promises; these stay native.
 */
export declare const native: { readonly ForeignApi: typeof ForeignApi; readonly ForeignRest: typeof ForeignRest };

/** Resolves once the wasm engine is loaded. */
export declare function ready(): Promise<void>;

/** Fails pending calls with AbortError, frees the wasm engine; the next call starts a new one. */
export declare function shutdown(): Promise<void>;

export interface ForeignWasmGlobal {
  /** On a wiki page: the subclass of the page's mw.ForeignApi, with mw.Api's jQuery promises (README). */
  ForeignApi: typeof ForeignApi;
  ForeignRest: typeof ForeignRest;
  /** The native-Promise classes (on a wiki page ForeignApi / ForeignRest above are the on-wiki ones). */
  native: typeof native;
  ForeignApiError: typeof ForeignApiError;
  UsageError: typeof UsageError;
  ApiError: typeof ApiError;
  RestError: typeof RestError;
  HttpError: typeof HttpError;
  ResponseError: typeof ResponseError;
  NetworkError: typeof NetworkError;
  CorsError: typeof CorsError;
  LoginSuppressedError: typeof LoginSuppressedError;
  CentralAuthError: typeof CentralAuthError;
  TimeoutError: typeof TimeoutError;
  AbortError: typeof AbortError;
  EngineError: typeof EngineError;
  OAuthError: typeof OAuthError;
  OAuth2Client: typeof OAuth2Client;
  CompatPromise: typeof CompatPromise;
  onTrace: typeof onTrace;
  install: typeof install;
  ready: typeof ready;
  shutdown: typeof shutdown;
}

declare global {
  /** Defined by the classic script dist/foreign-wasm.js. */
  var ForeignWasm: ForeignWasmGlobal | undefined;
}
