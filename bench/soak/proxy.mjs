// The soak's fault-injecting HTTP proxy (no dependencies). Chromium reaches wiki B through it (--proxy-server);
// everything passes untouched except requests to B's api.php / rest.php, which get a fault from a seeded schedule:
//
//   pass             forwarded, answered as B answered
//   reset-before     connection reset before forwarding (B never saw the request)
//   reset-after      forwarded, B's whole answer read, then the connection reset (B did the work, the page sees a failure)
//   delay            forwarded after 0.3–2.5 s, sometimes 4–6 s (longer than the soak's short call timeout)
//   delay-long       forwarded after 62 s: B sees a centralauthtoken older than its 60 s lifetime
//   503-retry-after  503 with Retry-After: 1 and CORS headers, not forwarded
//   5xx              500/502/503/504 without Retry-After, not forwarded
//   truncate         forwarded; B's status and headers, half the body, then the connection closed (cut) or the
//                    Content-Length shortened to match (short: the body looks complete, the JSON is cut)
//   html-before      an HTML error page (status 200/500/502), not forwarded
//   html-after       forwarded, B's answer replaced by an HTML error page (B did the work)
//
// Synthetic answers carry CORS headers echoing the Origin, as B's own do, so the page can read them (an unreadable
// answer is the same as a reset). Each request's fault is decided by (seed, what the request is, how many times that
// request was seen): the `requestid` parameter the soak puts on every Action API call, or the REST path, so
// concurrency does not change which call gets which fault. Requests whose requestid starts with "soakraw-" (the
// page's own raw fetches) always pass.
//
// force(key, fault) sets the fault of a key's first request (the soak's slow-proxy calls get delay-long).
//
// Bounded: loopback only (listens on 127.0.0.1, forwards only to loopback hosts), at most `maxConnections`
// connections, request bodies up to `maxBodyBytes`, at most `maxBufferedBytes` held at once; it stops by itself
// after `hardLimitMs` (or when stop() is called). Every faultable request is recorded (`records`) for the audit.
//
// CLI: node bench/soak/proxy.mjs --seed S --target http://127.0.0.2:8202 [--port P] [--limit-s 900] [--log file]

import http from 'node:http';
import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { gunzipSync, inflateSync, brotliDecompressSync } from 'node:zlib';
import { keyedSeed, pick, prng } from './prng.mjs';

export const FAULT_KINDS = [
  'pass',
  'reset-before',
  'reset-after',
  'delay',
  'delay-long',
  '503-retry-after',
  '5xx',
  'truncate',
  'html-before',
  'html-after',
];

// About 40 % of B's API requests get a fault. delay-long holds a call for a minute: rare.
export const DEFAULT_WEIGHTS = {
  pass: 600,
  'reset-before': 50,
  'reset-after': 50,
  delay: 60,
  'delay-long': 1,
  '503-retry-after': 45,
  '5xx': 40,
  truncate: 45,
  'html-before': 30,
  'html-after': 30,
};

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authorization']);

const isLoopback = (host) => /^127\.\d+\.\d+\.\d+$/.test(host) || host === 'localhost' || host === '[::1]' || host === '::1';

const hash = (token) => (token ? createHash('sha256').update(token).digest('hex').slice(0, 12) : '');

/** The text fields of a multipart/form-data body (an upload's parameters; the file part is skipped). */
function multipartFields(body, type) {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(type);
  const out = [];
  if (!boundary) return out;
  for (const part of body.toString('latin1').split(`--${boundary[1] || boundary[2]}`)) {
    const end = part.indexOf('\r\n\r\n');
    if (end < 0) continue;
    const head = part.slice(0, end);
    const name = /name="([^"]*)"/.exec(head);
    if (!name || /filename=/.test(head)) continue;
    out.push([name[1], Buffer.from(part.slice(end + 4).replace(/\r\n$/, ''), 'latin1').toString('utf8')]);
  }
  return out;
}

/** What the request is: requestid, action, title, option key, centralauthtoken (hashed), from URL and form body. */
function describeRequest(method, url, headers, body) {
  const params = new URLSearchParams(url.search);
  const type = String(headers['content-type'] || '');
  if (body.length && /application\/x-www-form-urlencoded/.test(type)) {
    for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.append(k, v);
  } else if (body.length && /multipart\/form-data/.test(type)) {
    for (const [k, v] of multipartFields(body, type)) params.append(k, v);
  }
  const rest = url.pathname.includes('/rest.php');
  const auth = String(headers.authorization || '');
  const token = params.get('centralauthtoken') || (/^CentralAuthToken /i.test(auth) ? auth.slice(17).trim() : '');
  const change = params.get('change') || '';
  return {
    endpoint: rest ? 'rest' : 'api',
    requestid: params.get('requestid') || '',
    action: rest ? decodeURIComponent(url.pathname.replace(/^.*\/rest\.php/, '')) : params.get('action') || 'query',
    meta: params.get('meta') || '',
    title: params.get('title') || (params.get('filename') ? `File:${params.get('filename')}` : ''),
    option: change ? change.split('=')[0] : '',
    maxlag: params.get('maxlag') || '',
    tokenHash: hash(token),
    hasCsrf: params.has('token'),
  };
}

/** The key that decides the fault: the same request (and its n-th repetition) gets the same fault for a seed. */
function keyOf(method, d) {
  if (d.requestid) return `${method} ${d.requestid}`;
  if (d.action === 'upload') return `${method} upload ${d.title}`;
  if (d.endpoint === 'rest') return `${method} ${d.action}`;
  return `${method} ${d.action}/${d.meta}`;
}

function decode(body, encoding) {
  try {
    if (/gzip/.test(encoding)) return gunzipSync(body);
    if (/deflate/.test(encoding)) return inflateSync(body);
    if (/br/.test(encoding)) return brotliDecompressSync(body);
  } catch {
    return Buffer.alloc(0);
  }
  return body;
}

/** What B's answer said, in a few fields (never a token). */
function summarizeAnswer(status, headers, body) {
  const out = { status, apiError: String(headers['mediawiki-api-error'] || '') };
  const text = decode(body, String(headers['content-encoding'] || '')).toString('utf8');
  try {
    const j = JSON.parse(text);
    if (j && typeof j === 'object') {
      if (j.edit) out.edit = { result: j.edit.result, newrevid: j.edit.newrevid, nochange: 'nochange' in j.edit };
      if (j.options) out.options = j.options;
      if (j.upload && typeof j.upload === 'object') out.upload = { result: j.upload.result };
      if (j.latest && typeof j.latest === 'object') out.restRevision = j.latest.id;
      if (j.error?.code) out.apiError = out.apiError || j.error.code;
      if (j.errorKey || j.httpCode) out.restError = j.errorKey || String(j.httpCode);
    }
  } catch {
    out.notJson = true;
  }
  return out;
}

function corsHeaders(reqHeaders) {
  const origin = reqHeaders.origin;
  if (!origin) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Credentials': 'true',
    'Access-Control-Expose-Headers': 'MediaWiki-API-Error, Retry-After, X-Database-Lag, MediaWiki-Login-Suppressed',
    Vary: 'Origin',
  };
}

const HTML_PAGE = (status) =>
  `<!DOCTYPE html><html><head><title>Error ${status}</title></head><body><h1>Our servers are having a problem</h1>` +
  `<p>Request failed (soak proxy, status ${status}). Please try again in a few minutes.</p></body></html>`;

/**
 * Starts the proxy. Resolves to {port, records, counts(), stop(reason), stopped} once it listens.
 * @param {{seed: number, target: string, weights?: object, port?: number, maxConnections?: number,
 *   maxBodyBytes?: number, maxBufferedBytes?: number, hardLimitMs?: number, logFile?: string, say?: Function}} o
 */
export function startProxy(o) {
  const seed = o.seed >>> 0;
  const target = new URL(o.target);
  const weights = { ...DEFAULT_WEIGHTS, ...(o.weights || {}) };
  const maxBodyBytes = o.maxBodyBytes ?? 4 << 20;
  const maxBufferedBytes = o.maxBufferedBytes ?? 64 << 20;
  const maxRecords = 200000;
  const say = o.say || (() => {});
  const t0 = Date.now();
  const seen = new Map(); // key → times seen
  const forced = new Map(); // key → fault for the key's first request (force(key, fault))
  const records = [];
  const sockets = new Set();
  const timers = new Set();
  let buffered = 0;
  let arrived = 0;
  let inflight = 0; // faultable requests not yet answered (a delayed one may still reach B)
  let stopped = null;
  const agent = new http.Agent({ keepAlive: false, maxSockets: 16 });

  const later = (ms, fn) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const record = (r) => {
    if (records.length < maxRecords) records.push(r);
    if (o.logFile) appendFileSync(o.logFile, JSON.stringify(r) + '\n');
  };

  const server = http.createServer();
  server.maxConnections = o.maxConnections ?? 64;
  server.keepAliveTimeout = 5000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  // CONNECT (https, websockets) is never needed by the lab: refused.
  server.on('connect', (req, socket) => socket.end('HTTP/1.1 405 Method Not Allowed\r\n\r\n'));
  server.on('clientError', (err, socket) => socket.destroy());

  server.on('request', (req, res) => {
    let url;
    try {
      url = new URL(req.url);
    } catch {
      res.writeHead(400).end('absolute-form request URL expected (this is a proxy)');
      return;
    }
    if (!isLoopback(url.hostname) || url.protocol !== 'http:') {
      res.writeHead(403).end('this proxy only forwards to loopback http hosts');
      return;
    }
    const faultable = url.host === target.host && /\/w\/(api|rest)\.php/.test(url.pathname);
    if (!faultable) return tunnel(req, res, url);
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size <= maxBodyBytes) chunks.push(c);
    });
    req.on('end', () => {
      if (size > maxBodyBytes) {
        res.writeHead(413).end('request body too large for the soak proxy');
        return;
      }
      handleApi(req, res, url, Buffer.concat(chunks));
    });
    req.on('error', () => {});
  });

  /** Anything that is not B's API: passed through as a stream, untouched. */
  function tunnel(req, res, url) {
    const headers = forwardHeaders(req.rawHeaders);
    const up = http.request({ agent, host: url.hostname, port: url.port || 80, method: req.method, path: url.pathname + url.search, headers });
    up.on('response', (r) => {
      res.writeHead(r.statusCode, r.statusMessage, responseHeaders(r.rawHeaders, true));
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  }

  function forwardHeaders(raw) {
    const out = [];
    for (let i = 0; i < raw.length; i += 2) if (!HOP_BY_HOP.has(raw[i].toLowerCase())) out.push(raw[i], raw[i + 1]);
    return out;
  }
  function responseHeaders(raw, keepLength, drop = []) {
    const out = [];
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i].toLowerCase();
      if (HOP_BY_HOP.has(name) || drop.includes(name) || (!keepLength && name === 'content-length')) continue;
      out.push(raw[i], raw[i + 1]);
    }
    return out;
  }

  function handleApi(req, res, url, body) {
    const d = describeRequest(req.method, url, req.headers, body);
    const key = keyOf(req.method, d);
    const attempt = (seen.get(key) || 0) + 1;
    seen.set(key, attempt);
    const rnd = prng(keyedSeed(seed, `${key}#${attempt}`));
    let fault = d.requestid.startsWith('soakraw-') ? 'pass' : pick(weights, rnd());
    if (attempt === 1 && forced.has(key)) fault = forced.get(key);
    if (req.method === 'OPTIONS' && fault === 'truncate') fault = 'pass'; // a preflight has no body to cut
    inflight++;
    const r = {
      seq: ++arrived,
      at: Date.now(),
      method: req.method,
      ...d,
      key,
      attempt,
      fault,
      forwarded: false,
      clientGone: false,
    };
    res.on('close', () => {
      if (!res.writableFinished) r.clientGone = true;
    });
    const socket = req.socket;
    const reset = () => {
      if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
      else socket.destroy();
    };
    const synthetic = (status, extra, text) => {
      res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...corsHeaders(req.headers), ...extra });
      res.end(text);
    };
    let recorded = false;
    const done = () => {
      if (recorded) return;
      recorded = true;
      inflight--;
      r.ms = Date.now() - r.at;
      record(r);
    };

    switch (fault) {
      case 'reset-before':
        reset();
        return done();
      case '503-retry-after':
        r.retryAfter = 1;
        synthetic(503, { 'Retry-After': '1' }, HTML_PAGE(503));
        return done();
      case '5xx':
        r.status = [500, 502, 503, 504][Math.floor(rnd() * 4)];
        synthetic(r.status, {}, HTML_PAGE(r.status));
        return done();
      case 'html-before':
        r.status = [200, 500, 502][Math.floor(rnd() * 3)];
        synthetic(r.status, {}, HTML_PAGE(r.status));
        return done();
      default:
        break;
    }
    const delay = fault === 'delay' ? (rnd() < 0.25 ? 4000 + rnd() * 2000 : 300 + rnd() * 2200) : fault === 'delay-long' ? 62000 : 0;
    r.delayMs = Math.round(delay);
    const go = () => {
      if (stopped) {
        reset();
        return done();
      }
      r.forwarded = true;
      const up = http.request({
        agent,
        host: url.hostname,
        port: url.port || 80,
        method: req.method,
        path: url.pathname + url.search,
        headers: forwardHeaders(req.rawHeaders),
      });
      up.on('error', (e) => {
        r.upstreamError = String(e.code || e.message);
        res.destroy();
        done();
      });
      up.on('response', (ur) => {
        const parts = [];
        let n = 0;
        let overflow = false;
        ur.on('data', (c) => {
          n += c.length;
          if (buffered + c.length > maxBufferedBytes) overflow = true;
          if (overflow) return;
          buffered += c.length;
          parts.push(c);
        });
        ur.on('error', () => {});
        ur.on('end', () => {
          const full = Buffer.concat(parts);
          buffered -= full.length;
          r.answer = summarizeAnswer(ur.statusCode, ur.headers, full);
          if (overflow) {
            r.overflow = true;
            synthetic(502, {}, 'soak proxy: answer too large to hold');
            return done();
          }
          respond(ur, full);
          done();
        });
      });
      up.end(body);
    };
    const respond = (ur, full) => {
      switch (fault) {
        case 'reset-after':
          return reset();
        case 'truncate': {
          const half = full.subarray(0, Math.floor(full.length / 2));
          r.truncate = rnd() < 0.5 ? 'cut' : 'short';
          const headers = responseHeaders(ur.rawHeaders, false);
          headers.push('Content-Length', String(r.truncate === 'cut' ? full.length : half.length));
          res.writeHead(ur.statusCode, ur.statusMessage, headers);
          if (r.truncate === 'short') return res.end(half);
          res.write(half);
          // Give the first half a moment on the wire, then close without the rest.
          return later(20, () => socket.destroy());
        }
        case 'html-after': {
          r.status = [200, 500, 502][Math.floor(rnd() * 3)];
          const cors = {};
          for (const [k, v] of Object.entries(ur.headers)) if (k.startsWith('access-control-')) cors[k] = v;
          res.writeHead(r.status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...cors });
          return res.end(HTML_PAGE(r.status));
        }
        default: {
          const headers = responseHeaders(ur.rawHeaders, false);
          headers.push('Content-Length', String(full.length));
          res.writeHead(ur.statusCode, ur.statusMessage, headers);
          return res.end(full);
        }
      }
    };
    if (delay) later(delay, go);
    else go();
  }

  function stop(reason = 'stopped') {
    if (stopped) return;
    stopped = reason;
    for (const t of timers) clearTimeout(t);
    timers.clear();
    server.close();
    for (const s of sockets) s.destroy();
    agent.destroy();
    say(`proxy stopped (${reason}) after ${Math.round((Date.now() - t0) / 1000)} s, ${records.length} API requests`);
  }

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => {
      const hard = setTimeout(() => stop('hard time limit'), o.hardLimitMs ?? 15 * 60000);
      hard.unref();
      const counts = () => {
        const c = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0]));
        for (const x of records) c[x.fault]++;
        return c;
      };
      const force = (key, fault) => forced.set(key, fault);
      resolve({ port: server.address().port, records, counts, stop, force, pending: () => inflight, get stopped() { return stopped; }, seed });
    });
  });
}

// ---------------------------------------------------------------------------------------------------- CLI
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : dflt;
  };
  const seed = Number(arg('seed', String(Date.now() % 100000)));
  const p = await startProxy({
    seed,
    target: arg('target', 'http://127.0.0.2:8202'),
    port: Number(arg('port', '0')),
    hardLimitMs: Number(arg('limit-s', '900')) * 1000,
    logFile: arg('log', undefined),
    say: (s) => console.log(s),
  });
  console.log(`soak proxy on 127.0.0.1:${p.port}, seed ${seed}, stops by itself after ${arg('limit-s', '900')} s`);
  const end = () => {
    p.stop('signal');
    process.exit(0);
  };
  process.on('SIGINT', end);
  process.on('SIGTERM', end);
}
