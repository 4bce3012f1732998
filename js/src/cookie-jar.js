// Node's fetch keeps no cookies, so a login (helpers/account.js) would be forgotten by the next request. Off the
// web, requests the core sends with credentials 'include' carry the cookies their origin set, kept here per origin
// (scheme, host AND port: stricter than a browser, never wider). Browsers and Workers keep their own jar.

const jar = new Map(); // origin → Map(name → value)

export const usesCookieJar = typeof globalThis.document === 'undefined' && typeof globalThis.process?.versions?.node === 'string';

function originOf(url) {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

/** The Cookie header value for `url`, or '' when its origin set none. */
export function cookieHeader(url) {
  const cookies = jar.get(originOf(url));
  if (!cookies || cookies.size === 0) return '';
  return [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
}

/** Stores the Set-Cookie headers of `response` (to `url`); an expired or Max-Age=0 cookie is removed. */
export function storeCookies(url, response) {
  const lines = typeof response.headers.getSetCookie === 'function' ? response.headers.getSetCookie() : [];
  if (lines.length === 0) return;
  const origin = originOf(url);
  if (!origin) return;
  const cookies = jar.get(origin) || new Map();
  for (const line of lines) {
    const [pair, ...attributes] = line.split(';');
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    const name = pair.slice(0, at).trim();
    const value = pair.slice(at + 1).trim();
    const expired = attributes.some((attribute) => {
      const [key, v = ''] = attribute.split('=').map((s) => s.trim());
      if (/^max-age$/i.test(key)) return Number(v) <= 0;
      if (/^expires$/i.test(key)) return Date.parse(v) <= Date.now();
      return false;
    });
    if (expired || value === 'deleted') cookies.delete(name);
    else cookies.set(name, value);
  }
  jar.set(origin, cookies);
}

/** Forgets every cookie (tests; a process that logs out everywhere). */
export function clearCookies() {
  jar.clear();
}
