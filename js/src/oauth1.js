// foreign-wasm/oauth1: OAuth 1.0a for Extension:OAuth, in Node (docs/oauth1.md). The signing, the base string, the
// handshake answers and the identify JWT checks are the C++ core's (wasm/core/include/fw/oauth1.hpp), in a wasm
// module of their own (foreign-wasm-oauth1.mjs) that the gadget script never contains. This file supplies only what
// the core takes as inputs: a nonce from node:crypto, the time from Date.now, and the fetches of the handshake.
// Secrets live in private fields: they are in no error, trace, URL or JSON.stringify of these objects.

import { randomBytes } from 'node:crypto';
import { ForeignApi, NetworkError, OAuthError, UsageError } from './index.js';
import loadOAuth1Core from './foreign-wasm-oauth1.mjs';

const core = await loadOAuth1Core();

/** The core's {"ok"} value, or its error as an Error of its category. */
function unwrap(text) {
  const answer = JSON.parse(text);
  if (!answer.error) return answer.ok;
  const { category, code, info, status } = answer.error;
  const Class = category === 'usage' ? UsageError : OAuthError;
  throw new Class(code, info, { category, status });
}

const defaultNonce = () => randomBytes(16).toString('hex');

function headerValue(headers, name) {
  const found = headers.find(([key]) => key.toLowerCase() === name);
  return found ? found[1] : '';
}

/** Signs the requests of a ForeignApi / ForeignRest: `new ForeignApi(url, { oauth1: new OAuth1Signer({…}) })`. */
export class OAuth1Signer {
  #consumerSecret;
  #tokenSecret;
  #nonce;
  #now;

  /**
   * @param {{consumerKey: string, consumerSecret: string, token: string, tokenSecret: string,
   *          nonce?: () => string, now?: () => number}} credentials  the four strings (an owner-only consumer's, or
   *          a consumer's with the access token of a handshake); nonce/now replace node:crypto and Date.now (tests)
   */
  constructor({ consumerKey, consumerSecret, token, tokenSecret, nonce = defaultNonce, now = Date.now } = {}) {
    for (const [name, value] of Object.entries({ consumerKey, consumerSecret, token, tokenSecret })) {
      if (typeof value !== 'string' || value === '') throw new UsageError('bad-auth', `OAuth1Signer needs ${name}.`);
    }
    this.consumerKey = consumerKey;
    this.token = token;
    this.#consumerSecret = consumerSecret;
    this.#tokenSecret = tokenSecret;
    this.#nonce = nonce;
    this.#now = now;
  }

  /** Public: keys the engine's token cache, so two users never share a csrf token. */
  get identity() {
    return `${this.consumerKey}:${this.token}`;
  }

  /** Adds the Authorization header to a request the core emitted (js/src/engine.js calls this as it sends). */
  sign(request) {
    const { authorization } = unwrap(
      core.sign(
        JSON.stringify({
          method: request.method,
          url: request.url,
          contentType: request.bodyKind === 'form' ? headerValue(request.headers, 'content-type') : '',
          body: request.bodyKind === 'form' ? request.body : '',
          consumerKey: this.consumerKey,
          consumerSecret: this.#consumerSecret,
          token: this.token,
          tokenSecret: this.#tokenSecret,
          nonce: this.#nonce(),
          timestamp: String(Math.floor(this.#now() / 1000)),
        }),
      ),
    );
    request.headers = request.headers.filter(([name]) => name.toLowerCase() !== 'authorization');
    request.headers.push(['authorization', authorization]);
  }
}

/** A consumer on one wiki: the handshake (initiate → authorize URL → complete), identify, and signed clients. */
export class OAuth1 {
  #consumerSecret;
  #fetch;
  #nonce;
  #now;

  /**
   * @param {{consumerKey: string, consumerSecret: string, wiki: string, callback?: string, canonicalServer?: string,
   *          fetch?: typeof fetch, nonce?: () => string, now?: () => number}} options
   *   wiki: the index.php URL (https://…/w/index.php; pretty URLs break the signature); callback: a URL under the
   *   registered one, or 'oob' (default); canonicalServer: $wgCanonicalServer when it is not the wiki URL's origin
   */
  constructor({ consumerKey, consumerSecret, wiki, callback = 'oob', canonicalServer, fetch, nonce, now } = {}) {
    if (typeof consumerKey !== 'string' || !consumerKey || typeof consumerSecret !== 'string' || !consumerSecret) {
      throw new UsageError('bad-auth', 'OAuth1 needs consumerKey and consumerSecret.');
    }
    unwrap(core.specialUrl(String(wiki), 'initiate')); // bad-url now, not at the first call
    this.consumerKey = consumerKey;
    this.wiki = String(wiki);
    this.callback = callback;
    this.canonicalServer = canonicalServer ?? new URL(this.wiki).origin;
    this.#consumerSecret = consumerSecret;
    this.#fetch = fetch ?? ((...args) => globalThis.fetch(...args));
    this.#nonce = nonce ?? defaultNonce;
    this.#now = now ?? Date.now;
  }

  /** A signer for the access token `{token, secret}` (from complete(), or an owner-only consumer's). */
  signer({ token, secret }) {
    return new OAuth1Signer({
      consumerKey: this.consumerKey,
      consumerSecret: this.#consumerSecret,
      token,
      tokenSecret: secret,
      nonce: this.#nonce,
      now: this.#now,
    });
  }

  /** A ForeignApi (api.php) whose every request is signed with the access token. */
  foreignApi(apiUrl, accessToken, options = {}) {
    return new ForeignApi(apiUrl, { ...options, oauth1: this.signer(accessToken) });
  }

  /**
   * Step 1: a request token, and the URL to send the user to. Keep `requestToken` (it holds a secret) until the
   * callback; it lives 600 s on the wiki.
   */
  async initiate() {
    const { text, status } = await this.#signedGet('initiate', {}, { callback: this.callback });
    const requestToken = unwrap(core.parseTokenAnswer(status, text));
    const authorizeUrl = unwrap(core.authorizeUrl(this.wiki, requestToken.token, this.consumerKey));
    return { authorizeUrl, requestToken };
  }

  /**
   * Step 3: the access token `{token, secret}` (serializable; it does not expire). `verifier` is the oauth_verifier,
   * or the callback URL (or its query) the wiki redirected to, whose oauth_token must be `requestToken`'s.
   */
  async complete(requestToken, verifier) {
    let code = String(verifier ?? '');
    if (code.includes('oauth_verifier=')) {
      const query = code.includes('?') ? code.slice(code.indexOf('?') + 1) : code;
      code = unwrap(core.verifierFromCallback(query, requestToken.token));
    }
    const { text, status } = await this.#signedGet('token', requestToken, { verifier: code });
    return unwrap(core.parseTokenAnswer(status, text));
  }

  /**
   * Who the access token acts for: the claims of Special:OAuth/identify's JWT, verified (HS256 with the consumer
   * secret; iss, aud, this request's nonce, exp/iat with `leewayS`).
   */
  async identify(accessToken, { leewayS = 10 } = {}) {
    const nonce = this.#nonce();
    const { text } = await this.#signedGet('identify', accessToken, {}, nonce);
    return unwrap(
      core.verifyIdentify(
        JSON.stringify({
          body: text,
          consumerKey: this.consumerKey,
          consumerSecret: this.#consumerSecret,
          issuer: this.canonicalServer,
          nonce,
          nowS: this.#now() / 1000,
          leewayS,
        }),
      ),
    );
  }

  /** GET Special:OAuth/<special>, signed; `extra` = {callback} or {verifier}. */
  async #signedGet(special, token, extra, nonce = this.#nonce()) {
    const url = unwrap(core.specialUrl(this.wiki, special));
    const { authorization } = unwrap(
      core.sign(
        JSON.stringify({
          method: 'GET',
          url,
          consumerKey: this.consumerKey,
          consumerSecret: this.#consumerSecret,
          token: token.token ?? '',
          tokenSecret: token.secret ?? '',
          nonce,
          timestamp: String(Math.floor(this.#now() / 1000)),
          ...extra,
        }),
      ),
    );
    // No redirects: a redirected request was signed for another URL (e.g. $wgMWOAuthSecureTokenTransfer's https).
    let response;
    try {
      response = await this.#fetch(url, { headers: [['authorization', authorization]], redirect: 'manual' });
      return { status: response.status, text: await response.text() };
    } catch (error) {
      throw new NetworkError('network', `Special:OAuth/${special} could not be fetched.`, { cause: error, performed: 'no' });
    }
  }
}
