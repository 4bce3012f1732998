// The calls of a ForeignApi / ForeignRest with the `oauth2` option: which token the wire carries, and what happens
// when the wiki refuses it. This sequencing lives here, in JS, not in the core: the core sees a constant
// placeholder as its Bearer token (OAuth2Client.slot), so tokens never enter wasm, traces or cache keys.
//
//   before a call: OAuth2Client.accessToken() (refreshes when the token is about to expire)
//   an OAuthError the server sent (performed 'no': refused before anything ran): one shared refresh, then the call
//     is repeated ONCE; a second refusal, or no refresh possible, is the caller's error (oauth2-reauthorize)
//   api.php from an origin the wiki does not list (a NetworkError: the preflight failed, nothing was sent): two
//     anonymous probes tell a refused origin from a dead network and read the wiki's version. MediaWiki >= 1.44
//     takes `crossorigin` from any origin: the wiki is remembered as such and the call is repeated once with it (it
//     was certainly not performed: the preflight stopped it). Older wikis: OAuthError oauth-api-origin.

import { abortablePromise } from './compat-promise.js';
import { AbortError, NetworkError, OAuthError } from './errors.js';

const clients = new Map(); // slot → OAuth2Client
const PREFIX = 'Bearer fw-oauth2-slot-';

export function registerOAuth2(client) {
  clients.set(client.slot, client);
}

/** transport.js: the Authorization value on the wire for what the core emitted. */
export function wireAuthorization(value) {
  if (typeof value !== 'string' || !value.startsWith(PREFIX)) return value;
  const client = clients.get(value.slice('Bearer '.length));
  return client ? `Bearer ${client.currentToken()}` : value;
}

// The library's own OAuth codes: nothing a refresh can fix.
const OWN = new Set(['oauth2-reauthorize', 'oauth2-state-mismatch', 'oauth2-no-code', 'oauth-api-origin']);

function readable(url) {
  return globalThis.fetch(url, { credentials: 'omit', cache: 'no-store' }).then(
    (r) => r.json().catch(() => null),
    () => null,
  );
}

// api.php URLs learned to take `crossorigin` (MediaWiki >= 1.44): new instances for them start with it (options.js).
export const crossoriginWikis = new Set();

/** Whether a siteinfo `generator` ("MediaWiki 1.44.0-wmf.3") names a MediaWiki that has api.php's crossorigin. */
export function hasCrossorigin(generator) {
  const match = /^MediaWiki (\d+)\.(\d+)/.exec(generator);
  return !!match && (Number(match[1]) > 1 || Number(match[2]) >= 44);
}

/**
 * After a NetworkError on api.php from another origin: is it this origin the wiki refuses (not the network)?
 * Two GETs without Authorization (no preflight): origin=<page> readable only when listed; origin=* always.
 * Returns the wiki's generator string when refused, else null.
 */
async function originRefused(apiUrl, pageOrigin) {
  const base = `${apiUrl}${apiUrl.includes('?') ? '&' : '?'}action=query&meta=siteinfo&format=json&origin=`;
  const [listed, any] = await Promise.all([readable(base + encodeURIComponent(pageOrigin)), readable(`${base}*`)]);
  if (listed || !any) return null;
  return String(any?.query?.general?.generator || 'MediaWiki');
}

/**
 * Runs `start()` (a Client.run CompatPromise) with the OAuth2Client's token, as described above.
 * @param {import('./oauth2.js').OAuth2Client} oauth2
 * @param {{apiUrl?: string, pageOrigin?: string, crossorigin?: boolean, useCrossorigin?: () => void}} target  api.php
 *   calls only (the origin check); useCrossorigin() switches the instance to crossorigin
 */
export function runWithOAuth2(oauth2, target, start) {
  let current = null;
  let aborted = false;
  return abortablePromise((resolve, reject) => {
    const attempt = (repeated) => {
      oauth2.accessToken().then((token) => {
        if (aborted) return reject(new AbortError('abort', 'The call was aborted.'));
        current = start();
        current.then(resolve, (error) => {
          if (error instanceof NetworkError && target.apiUrl && target.pageOrigin && !target.crossorigin &&
              new URL(target.apiUrl).origin !== target.pageOrigin) {
            return originRefused(target.apiUrl, target.pageOrigin).then((generator) => {
              if (!generator) return reject(error);
              if (hasCrossorigin(generator) && !repeated && !aborted) {
                crossoriginWikis.add(target.apiUrl);
                target.useCrossorigin();
                target.crossorigin = true;
                return attempt(true);
              }
              reject(new OAuthError('oauth-api-origin',
                `${target.apiUrl} (${generator}) cannot take an OAuth token from ${target.pageOrigin}: before ` +
                'MediaWiki 1.44, api.php reads a Bearer cross-origin only with origin=<an origin in ' +
                '$wgCrossSiteAJAXdomains>, and origin=* would run the request anonymously. Use ForeignRest ' +
                '(rest.php accepts a Bearer from any origin), list this origin on the wiki, or upgrade the wiki to ' +
                'MediaWiki 1.44 or later (crossorigin). Nothing was sent with the token.', { category: 'oauth' }));
            });
          }
          if (repeated || aborted || !(error instanceof OAuthError) || error.performed !== 'no' || OWN.has(error.code)) {
            return reject(error);
          }
          oauth2.refreshFrom(token).then(() => attempt(true), reject);
        });
      }, reject);
    };
    attempt(false);
  }, () => {
    aborted = true;
    if (current) current.abort();
  });
}
