// The soak's server-side audit: what wiki B actually did, read from B's own API after the run, set against what
// each write call reported. Edits and REST writes: the revisions of each page (one per performance, since the edit
// appends its marker and a REST PUT without `latest` only creates); uploads: the revisions of the file's page (a new
// file creates it, a second performance could only be a re-upload, which adds one); options: Admin's options on B (read after a
// login from Node) and, because setting an option twice leaves no trace in B's state, the number of B answers
// "success" the proxy saw for that option. Every revision in the run's window anywhere on B must be Admin's.

import { LAB } from '../../tests/browser/lib/lab.mjs';

/** A tiny cookie-keeping client for B's api.php (Node's fetch; B only, never through the proxy). */
class BSession {
  constructor() {
    this.cookies = new Map();
  }
  async call(params, post = false) {
    const body = new URLSearchParams({ format: 'json', formatversion: '2', ...params });
    const headers = { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    const r = post
      ? await fetch(LAB.B_API, { method: 'POST', body, headers })
      : await fetch(`${LAB.B_API}?${body}`, { headers });
    for (const c of r.headers.getSetCookie?.() || []) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      this.cookies.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
    }
    return r.json();
  }
  async login(who) {
    const t = await this.call({ action: 'query', meta: 'tokens', type: 'login' });
    const r = await this.call(
      { action: 'clientlogin', username: who.user, password: who.pass, logintoken: t.query.tokens.logintoken, loginreturnurl: LAB.B },
      true,
    );
    if (r.clientlogin?.status !== 'PASS') throw new Error(`audit: login on B failed: ${JSON.stringify(r)}`);
  }
}

async function pool(items, n, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

/** Every revision of `title` on B (oldest first): {revid, user, userid, comment, content}. */
async function revisionsOf(b, title) {
  const revs = [];
  let cont = {};
  for (;;) {
    const r = await b.call({
      action: 'query',
      prop: 'revisions',
      titles: title,
      rvprop: 'ids|user|userid|comment|content',
      rvslots: 'main',
      rvlimit: 'max',
      rvdir: 'newer',
      ...cont,
    });
    const page = r.query?.pages?.[0];
    for (const v of page?.revisions || []) {
      revs.push({ revid: v.revid, user: v.user, userid: v.userid, anon: !!v.anon, comment: v.comment, content: v.slots?.main?.content ?? '' });
    }
    if (!r.continue) return revs;
    cont = r.continue;
  }
}

/** Recent changes on B between two epoch-ms instants, every namespace: edits and page creations. */
async function changesBetween(b, fromMs, toMs) {
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  const out = [];
  let cont = {};
  for (;;) {
    const r = await b.call({
      action: 'query',
      list: 'recentchanges',
      rcstart: iso(fromMs),
      rcend: iso(toMs),
      rcdir: 'newer',
      rctype: 'edit|new',
      rcprop: 'title|ids|user|userid|timestamp',
      rclimit: 'max',
      ...cont,
    });
    out.push(...(r.query?.recentchanges || []));
    if (!r.continue) return out;
    cont = r.continue;
  }
}

const occurrences = (text, marker) => text.split(marker).length - 1;

/**
 * @param {{plan: Array, results: Array, proxyRecords: Array, fromMs: number, toMs: number, cleanup?: boolean}} o
 * @returns per-write verdicts and the totals
 */
export async function audit({ plan, results, proxyRecords, fromMs, toMs, cleanup = true }) {
  const b = new BSession();
  await b.login(LAB.ADMIN);
  const writes = plan.filter((p) => p.kind !== 'read');

  const pages = writes.filter((p) => p.title);
  const revs = await pool(pages, 4, (p) => revisionsOf(b, p.title));
  const revsOf = new Map(pages.map((p, i) => [p.n, revs[i]]));

  const me = await b.call({ action: 'query', meta: 'userinfo', uiprop: 'options' });
  if (me.query?.userinfo?.name !== LAB.ADMIN.user) throw new Error(`audit: B session is not ${LAB.ADMIN.user}`);
  const options = me.query.userinfo.options || {};

  // What B answered through the proxy: successful performances per option key, per edited title.
  const proxyOk = new Map();
  for (const r of proxyRecords) {
    if (!r.forwarded || !r.answer || r.method === 'OPTIONS') continue;
    let id = null;
    if (r.option && r.answer.options === 'success') id = `o:${r.option}`;
    else if (r.endpoint === 'api' && r.action === 'edit' && r.answer.edit?.result === 'Success' && !r.answer.edit.nochange) id = `t:${r.title}`;
    else if (r.endpoint === 'api' && r.action === 'upload' && r.answer.upload?.result === 'Success') id = `u:${r.title}`;
    else if (r.endpoint === 'rest' && r.method === 'PUT' && (r.answer.status === 200 || r.answer.status === 201)) id = `r:${r.action}`;
    if (id) proxyOk.set(id, (proxyOk.get(id) || 0) + 1);
  }
  const restKey = (title) => `r:/v1/page/${title}`;

  const verdicts = [];
  for (const p of writes) {
    const res = results[p.n] || { status: 'missing' };
    let performed;
    let proxyCount;
    const notes = [];
    const wrongAuthor = [];
    if (p.kind === 'options') {
      proxyCount = proxyOk.get(`o:${p.option}`) || 0;
      const set = options[p.option] === p.marker;
      performed = Math.max(proxyCount, set ? 1 : 0);
      if (set !== proxyCount > 0) notes.push(`option ${set ? 'set' : 'not set'} on B, ${proxyCount} success answer(s) through the proxy`);
    } else {
      const list = revsOf.get(p.n) || [];
      performed = list.length;
      proxyCount = proxyOk.get(p.kind === 'rest' ? restKey(p.title) : `${p.kind === 'upload' ? 'u' : 't'}:${p.title}`) || 0;
      for (const v of list) if (v.user !== LAB.ADMIN.user || v.userid !== 1 || v.anon) wrongAuthor.push(`${v.revid} by ${v.user}`);
      if (list.length) {
        const last = list[list.length - 1].content;
        // An upload's description page holds its `text` (the marker); a re-upload would add a revision too.
        const marks = p.kind === 'edit' ? occurrences(last, p.marker) : last.trim() === p.marker ? 1 : 0;
        if (marks !== list.length && !(p.kind === 'rest' && list.length > 1)) notes.push(`${list.length} revision(s), marker ${marks} time(s)`);
      }
      if (proxyCount !== performed) notes.push(`${performed} revision(s) on B, ${proxyCount} success answer(s) through the proxy`);
    }
    const outcome = res.status === 'rejected' ? `performed:${res.error?.performed}` : res.status;
    // 'wrong': the library resolved the call, with an answer that is not a write's (the page checks the shape):
    // to the caller that is an acknowledged write as well.
    const acknowledged = res.status === 'resolved' || res.status === 'wrong';
    let violation = '';
    if (performed >= 2) violation = 'performed twice';
    else if (acknowledged && performed !== 1) violation = 'acknowledged but missing';
    else if (res.status === 'rejected' && res.error?.performed === 'no' && performed !== 0) violation = "performed although reported 'no'";
    else if (res.status === 'rejected' && res.error?.performed !== 'no' && res.error?.performed !== 'maybe') violation = 'no performed field';
    verdicts.push({ n: p.n, kind: p.kind, variant: p.variant, outcome, performed, proxyCount, violation, wrongAuthor, notes });
  }

  // Anything else written on B in the window: it must all be Admin's too (a REST write with a spent token is anonymous).
  // fromMs is the first second of the run's calls, after everything earlier (soak.mjs waits for B's clock to tick).
  const changes = await changesBetween(b, fromMs, toMs + 2000);
  const strangers = changes.filter((c) => c.user !== LAB.ADMIN.user || c.userid !== 1);

  if (cleanup) {
    // The options stay on Admin's account otherwise; resetting a userjs option deletes its row.
    const keys = writes.filter((p) => p.kind === 'options' && p.option in options).map((p) => p.option);
    const token = (await b.call({ action: 'query', meta: 'tokens', type: 'csrf' })).query.tokens.csrftoken;
    for (let i = 0; i < keys.length; i += 50) {
      await b.call({ action: 'options', change: keys.slice(i, i + 50).join('|'), token }, true);
    }
  }

  const count = (f) => verdicts.filter(f).length;
  return {
    verdicts,
    strangers,
    changesInWindow: changes.length,
    totals: {
      performedTwice: count((v) => v.violation === 'performed twice'),
      acknowledgedMissing: count((v) => v.violation === 'acknowledged but missing'),
      performedDespiteNo: count((v) => v.violation === "performed although reported 'no'"),
      noPerformedField: count((v) => v.violation === 'no performed field'),
      wrongAttribution: count((v) => v.wrongAuthor.length > 0) + strangers.filter((c) => !pages.some((p) => p.title === c.title)).length,
      inconsistencies: count((v) => v.notes.length > 0),
    },
  };
}
