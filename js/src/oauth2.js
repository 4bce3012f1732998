// OAuth 2 for MediaWiki's Extension:OAuth: the authorization code flow with PKCE (S256), the token exchange, the
// refresh, and where the tokens live. Public clients in browsers and Workers (WebCrypto), public or confidential
// clients in Node. The calls that carry the token are ForeignApi / ForeignRest with the `oauth2` option; what they
// do when the token is refused is js/src/oauth2-calls.js.
//
// MediaWiki 1.39 facts this follows (../shared/reference/oauthlab-example/REPORT.md §5):
//   the token endpoint answers any origin (ACAO *): fetch it with credentials omitted;
//   a refresh rotates both tokens, so refreshes are serialized and concurrent callers share one;
//   a public client cannot refresh without its secret before MediaWiki 1.46 (401 invalid_client, T323855).

import { NetworkError, OAuthError, UsageError } from './errors.js';
import { emitTrace, hasTraceListeners } from './trace.js';

const now = () => (typeof performance === 'object' ? performance.now() : Date.now());

// WebCrypto: the global one (browsers, Workers, Node 20+), else Node 18's node:crypto webcrypto (no global there).
// A specifier in a variable: bundlers leave it alone, and browsers never reach it.
const nodeCrypto = 'node:crypto';
async function cryptoApi() {
  const usable = (c) => !!c && !!c.subtle && typeof c.getRandomValues === 'function';
  if (usable(globalThis.crypto)) return globalThis.crypto;
  if (typeof process === 'object' && process.versions?.node) {
    const c = (await import(nodeCrypto)).webcrypto;
    if (usable(c)) return c;
  }
  throw new UsageError('bad-auth', 'OAuth 2 needs WebCrypto (globalThis.crypto.subtle): a secure context, a Worker or Node.');
}

function base64url(bytes) {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** 32 random bytes, base64url: 43 characters, within RFC 7636's 43–128. */
async function randomToken() {
  return base64url((await cryptoApi()).getRandomValues(new Uint8Array(32)));
}

/** RFC 7636 S256: base64url(SHA-256(verifier)). */
async function pkceChallenge(verifier) {
  const digest = await (await cryptoApi()).subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** An in-memory Web Storage stand-in: the default, so tokens go nowhere the caller did not choose. */
class MemoryStorage {
  constructor() {
    this.map = new Map();
  }
  getItem(key) {
    return this.map.has(key) ? this.map.get(key) : null;
  }
  setItem(key, value) {
    this.map.set(key, String(value));
  }
  removeItem(key) {
    this.map.delete(key);
  }
}

let slots = 0;
// Shared with the callback page (tests/browser/pages/oauth2-callback.html).
const RETURN_KEY = 'foreign-wasm.oauth2.return';
const CALLBACK_KEY = 'foreign-wasm.oauth2.callback';

/** The OAuthError for a token-endpoint answer: RFC 6749 {error, error_description, hint?, message}. */
function endpointError(status, body, what) {
  const code = body && typeof body.error === 'string' ? body.error : 'http';
  const parts = [body?.error_description, body?.hint].filter((s) => typeof s === 'string' && s);
  const info = `${what} failed (HTTP ${status}): ${parts.join(' — ') || code}`;
  return new OAuthError(code, info, { status, result: body, category: 'oauth' });
}

export class OAuth2Client {
  /**
   * @param {object} options
   * @param {string} options.restUrl       the wiki's rest.php (…/w/rest.php): endpoints are /oauth2/authorize and
   *                                       /oauth2/access_token under it
   * @param {string} options.clientId
   * @param {string} [options.redirectUri] as registered with the consumer (exact)
   * @param {string} [options.clientSecret] confidential clients (Node only; never in a page or gadget)
   * @param {boolean} [options.refreshWithoutSecret] the wiki refreshes public clients without a secret (>= 1.46)
   * @param {{getItem, setItem, removeItem}} [options.storage] where tokens and the pending state live (default:
   *                                       memory); sessionStorage for a full-page redirect flow
   * @param {string} [options.storageKey]
   * @param {number} [options.refreshMarginMs] refresh this long before the access token expires (default 60000,
   *                                       at most half its lifetime)
   * @param {boolean} [options.crossorigin] the wiki takes crossorigin on api.php (>= 1.44), see fw/cors.hpp
   * @param {typeof fetch} [options.fetch]
   */
  constructor(options = {}) {
    if (!options.restUrl || !options.clientId) {
      throw new UsageError('bad-auth', 'OAuth2Client needs restUrl (the wiki\'s rest.php) and clientId.');
    }
    this.restUrl = String(options.restUrl).replace(/\/+$/, '');
    this.clientId = options.clientId;
    this.redirectUri = options.redirectUri;
    this.clientSecret = options.clientSecret;
    this.refreshWithoutSecret = !!options.refreshWithoutSecret;
    this.storage = options.storage || new MemoryStorage();
    this.storageKey = options.storageKey || `foreign-wasm.oauth2.${this.clientId}`;
    this.refreshMarginMs = options.refreshMarginMs ?? 60000;
    this.crossorigin = !!options.crossorigin;
    this.fetchImpl = options.fetch;
    this.clock = options.clock || (() => Date.now());
    // What the core sends as the Bearer value; oauth2-calls.js puts the real token in at the wire (transport.js),
    // so the token never enters the core, its traces or its caches' keys.
    this.slot = `fw-oauth2-slot-${++slots}`;
    this.refreshing = null;
    this.tokens = this.load();
  }

  get tokenUrl() {
    return `${this.restUrl}/oauth2/access_token`;
  }

  load() {
    try {
      return OAuth2Client.parse(this.storage.getItem(this.storageKey));
    } catch {
      return null;
    }
  }

  static parse(text) {
    if (!text) return null;
    const t = JSON.parse(text);
    return t && typeof t.accessToken === 'string' ? t : null;
  }

  /** The tokens as a string for the caller's own storage (null when there are none). */
  serialize() {
    return this.tokens ? JSON.stringify(this.tokens) : null;
  }

  /** Restores what serialize() gave (and saves it in this client's storage). */
  deserialize(text) {
    this.setTokens(OAuth2Client.parse(text));
  }

  setTokens(tokens) {
    this.tokens = tokens;
    if (tokens) this.storage.setItem(this.storageKey, JSON.stringify(tokens));
    else this.storage.removeItem(this.storageKey);
  }

  isAuthorized() {
    return !!this.tokens;
  }

  signOut() {
    this.setTokens(null);
  }

  /** Whether this client can get a new access token without the user. */
  canRefresh() {
    return !!(this.tokens && this.tokens.refreshToken && (this.clientSecret || this.refreshWithoutSecret));
  }

  /**
   * The authorize URL (rest.php/oauth2/authorize) with a fresh state and PKCE verifier, which are kept in storage
   * until the callback. { url, state }
   */
  async authorizationUrl({ scope } = {}) {
    const state = await randomToken();
    const verifier = await randomToken();
    const params = new URLSearchParams({
      response_type: 'code',
      client_id: this.clientId,
      state,
      code_challenge: await pkceChallenge(verifier),
      code_challenge_method: 'S256',
    });
    if (this.redirectUri) params.set('redirect_uri', this.redirectUri);
    if (scope) params.set('scope', scope);
    this.storage.setItem(`${this.storageKey}.pending`, JSON.stringify({ state, verifier }));
    return { url: `${this.restUrl}/oauth2/authorize?${params}`, state };
  }

  /** On the callback: checks `state`, exchanges the code (with code_verifier) for tokens. */
  async completeAuthorization(callbackUrl) {
    const url = new URL(String(callbackUrl), globalThis.location?.href);
    const pendingKey = `${this.storageKey}.pending`;
    let pending = null;
    try {
      pending = JSON.parse(this.storage.getItem(pendingKey) || 'null');
    } catch {
      pending = null;
    }
    this.storage.removeItem(pendingKey); // one callback per authorization, whatever it brings
    const state = url.searchParams.get('state');
    if (!pending || !state || state !== pending.state) {
      throw new OAuthError('oauth2-state-mismatch',
        'The callback\'s state is not the one this client sent: the code is not exchanged. Authorize again.');
    }
    const code = url.searchParams.get('code');
    if (!code) {
      const error = url.searchParams.get('error') || 'oauth2-no-code';
      throw new OAuthError(error, `The wiki sent no code: ${url.searchParams.get('error_description') || error}`);
    }
    const body = { grant_type: 'authorization_code', code, client_id: this.clientId, code_verifier: pending.verifier };
    if (this.redirectUri) body.redirect_uri = this.redirectUri;
    if (this.clientSecret) body.client_secret = this.clientSecret;
    this.setTokens(await this.tokenRequest(body, 'oauth2-code', 'The code exchange'));
    return this.tokens;
  }

  /**
   * Opens the consent page in a popup and resolves with the tokens once the callback page posts its URL back
   * (tests/browser/pages/oauth2-callback.html does: window.opener.postMessage({oauth2Callback: location.href})).
   * Call it from a click: the popup is opened before anything is awaited, or browsers block it.
   */
  authorizeWithPopup({ features = 'popup,width=600,height=700', signal } = {}) {
    const popup = globalThis.open('about:blank', '_blank', features);
    if (!popup) return Promise.reject(new OAuthError('oauth2-popup-blocked', 'The browser blocked the popup.'));
    return new Promise((resolve, reject) => {
      let done = false;
      let completing = false;
      const finish = (fn, value) => {
        if (done) return;
        done = true;
        globalThis.removeEventListener('message', onMessage);
        signal?.removeEventListener('abort', onAbort);
        clearInterval(watch);
        fn(value);
      };
      const onMessage = (event) => {
        if (event.source !== popup || event.origin !== globalThis.location.origin) return;
        const href = event.data && event.data.oauth2Callback;
        if (typeof href !== 'string') return;
        completing = true;
        try {
          popup.close();
        } catch {
          // already closed
        }
        this.completeAuthorization(href).then((t) => finish(resolve, t), (e) => finish(reject, e));
      };
      // A window closed by the user sends no event: look (a cross-origin popup allows only `closed`).
      const watch = setInterval(() => {
        if (popup.closed && !completing) {
          finish(reject, new OAuthError('oauth2-popup-closed', 'The sign-in window was closed before the wiki answered.'));
        }
      }, 500);
      const onAbort = () => {
        popup.close();
        finish(reject, new OAuthError('abort', 'The authorization was aborted.', { category: 'abort' }));
      };
      globalThis.addEventListener('message', onMessage);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.authorizationUrl().then((a) => {
        popup.location.href = a.url;
      }, (e) => {
        popup.close();
        finish(reject, e);
      });
    });
  }

  /**
   * Navigates this page to the consent page. The callback page (tests/browser/pages/oauth2-callback.html) comes back
   * to `returnTo`, where completeAuthorizationFromRedirect() finishes. The pending state must survive the
   * navigation: use sessionStorage (or localStorage) as this client's storage.
   */
  async authorizeWithRedirect({ returnTo = globalThis.location.href } = {}) {
    if (this.storage instanceof MemoryStorage) {
      throw new UsageError('bad-options', 'A full-page redirect needs storage that survives it (sessionStorage).');
    }
    const { url } = await this.authorizationUrl();
    globalThis.sessionStorage.setItem(RETURN_KEY, returnTo);
    globalThis.location.assign(url);
  }

  /** After authorizeWithRedirect(): the tokens, or null when this page load is not the return from a callback. */
  async completeAuthorizationFromRedirect() {
    const href = globalThis.sessionStorage?.getItem(CALLBACK_KEY);
    if (!href) return null;
    globalThis.sessionStorage.removeItem(CALLBACK_KEY);
    return this.completeAuthorization(href);
  }

  /** A valid access token: refreshed first when it is about to expire; OAuthError oauth2-reauthorize otherwise. */
  async accessToken() {
    const t = this.tokens;
    if (!t) throw this.reauthorize('No access token: the user has not authorized this client (or signed out).');
    const margin = Math.min(this.refreshMarginMs, (t.expiresIn || 0) * 500);
    if (t.expiresAt && this.clock() >= t.expiresAt - margin) {
      if (!this.canRefresh()) {
        if (this.clock() < t.expiresAt) return t.accessToken; // still valid; cannot do better
        const reason = this.noRefreshReason('The access token has expired');
        this.setTokens(null);
        throw this.reauthorize(reason);
      }
      await this.refreshFrom(t.accessToken);
    }
    return this.tokens.accessToken;
  }

  /** The token the wire carries for this client right now (transport.js), or '' when there is none. */
  currentToken() {
    return this.tokens ? this.tokens.accessToken : '';
  }

  noRefreshReason(what) {
    if (this.tokens?.refreshToken) {
      return `${what}, and MediaWiki before 1.46 refreshes a public client only with its client secret (T323855): ` +
        'the user must authorize again.';
    }
    return `${what} and there is no refresh token: the user must authorize again.`;
  }

  reauthorize(info, details = {}) {
    return new OAuthError('oauth2-reauthorize', info, { ...details, category: 'oauth' });
  }

  /**
   * Refreshes once for everyone who saw `refused` fail: when the tokens already changed since, nothing is sent.
   * Serialized: a refresh rotates both tokens, so a second one in parallel would revoke the first one's result.
   */
  refreshFrom(refused) {
    if (this.refreshing) return this.refreshing;
    if (!this.tokens || this.tokens.accessToken !== refused) {
      return this.tokens ? Promise.resolve(this.tokens) : Promise.reject(this.reauthorize('Signed out.'));
    }
    if (!this.canRefresh()) {
      const reason = this.noRefreshReason('The wiki refused the access token');
      this.setTokens(null);
      return Promise.reject(this.reauthorize(reason));
    }
    const body = { grant_type: 'refresh_token', refresh_token: this.tokens.refreshToken, client_id: this.clientId };
    if (this.clientSecret) body.client_secret = this.clientSecret;
    this.refreshing = this.tokenRequest(body, 'oauth2-refresh', 'The refresh').then(
      (tokens) => {
        this.refreshing = null;
        this.setTokens(tokens);
        return tokens;
      },
      (error) => {
        this.refreshing = null;
        if (error instanceof OAuthError) {
          // invalid_grant (revoked, expired), invalid_client: the refresh token is of no more use
          this.setTokens(null);
          error.reauthorize = true;
        }
        throw error;
      },
    );
    return this.refreshing;
  }

  /** POST to the token endpoint, credentials omitted (it answers ACAO *). The body's secrets never reach a trace. */
  async tokenRequest(params, purpose, what) {
    const fetchImpl = this.fetchImpl || globalThis.fetch;
    const id = `oauth2-${++slots}`;
    const startMs = now();
    const trace = hasTraceListeners();
    const entry = { id, call: 0, purpose, why: params.grant_type, method: 'POST', displayUrl: this.tokenUrl,
      credentials: 'omit', status: 0, startMs };
    if (trace) emitTrace({ ...entry, phase: 'request' });
    let response;
    let body;
    try {
      response = await fetchImpl(this.tokenUrl, {
        method: 'POST',
        credentials: 'omit',
        cache: 'no-store',
        headers: [['content-type', 'application/x-www-form-urlencoded']],
        body: new URLSearchParams(params).toString(),
      });
      const text = await response.text();
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
    } catch (error) {
      if (trace) emitTrace({ ...entry, phase: 'failure', failure: 'network', endMs: now() });
      throw new NetworkError('network', `${what} got no answer from ${this.tokenUrl}: ${error?.message || error}`,
        { category: 'network' });
    }
    if (trace) emitTrace({ ...entry, phase: 'response', status: response.status, endMs: now() });
    if (!response.ok || !body || typeof body.access_token !== 'string') {
      throw endpointError(response.status, body, what);
    }
    const expiresIn = Number(body.expires_in) || 0;
    return {
      accessToken: body.access_token,
      refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
      expiresIn,
      expiresAt: expiresIn ? this.clock() + expiresIn * 1000 : undefined,
    };
  }
}
