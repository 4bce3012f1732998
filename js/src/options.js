// From the options a tool author writes (mw.ForeignApi's, plus ours) to the core's client options: which URL,
// which page origin, and which authentication mode. Everything else about auth the core decides.

import { UsageError } from './errors.js';
import { signerId } from './engine.js';
import { crossoriginWikis, registerOAuth2 } from './oauth2-calls.js';

/** The page's (or Worker's) origin; '' off the web (Node), where MediaWiki needs no origin parameter. */
export function pageOrigin() {
  return globalThis.location?.origin || '';
}

/** An absolute URL string: relative URLs resolve against the page, as mw.ForeignApi does. */
export function resolveUrl(url, what) {
  if (typeof url !== 'string' && !(typeof URL === 'function' && url instanceof URL)) {
    throw new UsageError('bad-url', `${what} requires a \`url\` parameter (a string or URL).`);
  }
  try {
    return new URL(String(url), globalThis.location?.href).href;
  } catch {
    return String(url); // the core reports it as bad-url on the first call
  }
}

function originOf(url) {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

/** mw.config on a wiki page, else undefined. */
function wikiConfig() {
  const config = globalThis.mw?.config;
  return config && typeof config.get === 'function' ? config : undefined;
}

/**
 * Core client options for `apiUrl`. The auth mode: anonymous if asked; bearer with an OAuth2Client (`oauth2`) or an
 * access token; centralauth when a local api.php is known (options.centralAuth, or this wiki's own on a wiki page)
 * and the user is logged in there (localUser / wgUserName not null) and the target is another origin; cookies
 * otherwise.
 */
export function clientOptions(apiUrl, options, rest) {
  const config = wikiConfig();
  const localUser = options.localUser !== undefined ? options.localUser : config?.get('wgUserName');
  let centralAuthApi = options.centralAuth;
  if (centralAuthApi === undefined && config && config.get('wgServer')) {
    centralAuthApi = `${config.get('wgServer')}${config.get('wgScriptPath') || ''}/api.php`;
  }
  centralAuthApi = centralAuthApi ? resolveUrl(centralAuthApi, 'centralAuth') : '';
  const origin = pageOrigin();

  let auth = 'cookies';
  if (options.anonymous) auth = 'anonymous';
  else if (options.oauth2 || options.bearerToken) auth = 'bearer';
  else if (options.oauth1) auth = 'oauth1';
  else if (centralAuthApi && localUser !== null && originOf(centralAuthApi) !== originOf(apiUrl)) auth = 'centralauth';
  if (auth === 'oauth1' && (typeof options.oauth1.sign !== 'function' || typeof options.oauth1.identity !== 'string')) {
    throw new UsageError('bad-auth', 'The oauth1 option takes a signer: OAuth1Signer of foreign-wasm/oauth1 (Node only).');
  }
  if (auth === 'bearer' && options.oauth2) registerOAuth2(options.oauth2);

  const ajax = options.ajax || {};
  const core = {
    apiUrl,
    rest,
    pageOrigin: origin,
    auth,
    centralAuthApi: auth === 'centralauth' ? centralAuthApi : undefined,
    localUser: typeof localUser === 'string' ? localUser : undefined,
    // an OAuth2Client's placeholder: the token itself is put in at the wire (js/src/oauth2-calls.js)
    bearerToken: auth === 'bearer' ? (options.oauth2 ? options.oauth2.slot : options.bearerToken) : undefined,
    crossorigin: auth === 'bearer' ? !!(options.crossorigin || options.oauth2?.crossorigin || crossoriginWikis.has(apiUrl)) : undefined,
    oauth1Signer: auth === 'oauth1' ? signerId(options.oauth1) : undefined,
    oauth1Identity: auth === 'oauth1' ? options.oauth1.identity : undefined,
    anonymousFallback: options.anonymousFallback,
    checkForeignLogin: options.checkForeignLogin,
    prefetchMaxAgeMs: options.prefetch,
    assert: options.assert,
    assertuser: options.assertuser,
    parameters: options.parameters,
    headers: ajax.headers,
    userAgent: options.userAgent,
    userAgentOnGet: options.userAgentOnGet,
    timeoutMs: ajax.timeout,
    retryBudgetMs: options.retryBudgetMs,
    readonlyWaitMs: options.readonlyWaitMs,
    maxBodyBytes: options.maxBodyBytes,
    maxJsonDepth: options.maxJsonDepth,
  };
  // JSON drops undefined members: the core then keeps its defaults.
  return core;
}
