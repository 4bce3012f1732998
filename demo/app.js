// foreign-wasm playground. Everything that talks to a wiki goes through the library (ForeignApi / ForeignRest from
// js/dist); the waterfall is drawn from its public onTrace() hook. Nothing here reaches into the library's internals.

const $ = (selector, root = document) => root.querySelector(selector);

/* ------------------------------------------------------------------------------------------------ small helpers */

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key === 'style') node.setAttribute('style', value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function originOf(url) {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

function hostOf(url) {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** …/api.php → …/rest.php (and …/index.php), the usual MediaWiki layout. */
function sibling(apiUrl, file) {
  return apiUrl.replace(/api\.php(?:[?#].*)?$/, file);
}

function fmtMs(ms) {
  if (ms < 1) return '<1 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
}

/** A JS literal for the code preview: identifier keys unquoted, strings single-quoted. */
function literal(value, indent = '') {
  if (value === OAUTH2_PREVIEW) return 'oauth2Client';
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => literal(v, indent)).join(', ')}]`;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (!entries.length) return '{}';
  const inner = indent + '  ';
  const parts = entries.map(([k, v]) => `${inner}${/^[A-Za-z_$][\w$]*$/.test(k) ? k : literal(k)}: ${literal(v, inner)}`);
  const oneLine = `{ ${entries.map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : literal(k)}: ${literal(v, inner)}`).join(', ')} }`;
  return oneLine.length + indent.length <= 78 ? oneLine : `{\n${parts.join(',\n')}\n${indent}}`;
}

/* ------------------------------------------------------------------------------------------------ settings */

const LAB_DEFAULTS = {
  FW_LAB_A_API: 'http://127.0.0.1:8201/w/api.php',
  FW_LAB_A_REST: 'http://127.0.0.1:8201/w/rest.php',
  FW_LAB_B_API: 'http://127.0.0.2:8202/w/api.php',
  FW_LAB_B_REST: 'http://127.0.0.2:8202/w/rest.php',
};

let lab = { ...LAB_DEFAULTS }; // replaced by /build/lab/env.json when the static origin serves it (accounts too)
let labAccounts = [];

function presets() {
  return [
    {
      id: 'lab-b',
      label: 'Lab: wiki A → wiki B (another host, CentralAuth)',
      foreign: lab.FW_LAB_B_API,
      rest: lab.FW_LAB_B_REST,
      local: lab.FW_LAB_A_API,
      auth: 'centralauth',
    },
    {
      id: 'lab-a',
      label: 'Lab: wiki A itself (same site, cookies)',
      foreign: lab.FW_LAB_A_API,
      rest: lab.FW_LAB_A_REST,
      local: lab.FW_LAB_A_API,
      auth: 'cookies',
    },
    {
      id: 'commons',
      label: 'Wikimedia Commons (public data, anonymous)',
      foreign: 'https://commons.wikimedia.org/w/api.php',
      rest: 'https://commons.wikimedia.org/w/rest.php',
      local: 'https://meta.wikimedia.org/w/api.php',
      auth: 'anonymous',
    },
    { id: 'custom', label: 'Another wiki…' },
  ];
}

const settings = {
  preset: 'lab-b',
  foreign: '',
  rest: '',
  local: '',
  auth: 'centralauth',
  timeout: '',
  retry: '',
  ua: '',
};

// What we know about the user on the local wiki: {state: 'unknown'|'checking'|'in'|'out'|'error', name, info}.
let localLogin = { state: 'unknown' };

function applyPreset(id) {
  const preset = presets().find((p) => p.id === id);
  settings.preset = id;
  if (!preset || id === 'custom') return;
  settings.foreign = preset.foreign;
  settings.rest = preset.rest;
  settings.local = preset.local;
  settings.auth = preset.auth;
}

function readQuery() {
  const q = new URLSearchParams(location.search);
  applyPreset(q.get('preset') || 'lab-b');
  let custom = false;
  for (const key of ['foreign', 'rest', 'local', 'auth', 'timeout', 'retry', 'ua']) {
    if (q.has(key)) {
      settings[key] = q.get(key);
      if (['foreign', 'rest', 'local'].includes(key)) custom = true;
    }
  }
  if (q.has('foreign') && !q.has('rest')) settings.rest = sibling(settings.foreign, 'rest.php');
  if (custom && !q.has('preset')) {
    const match = presets().find((p) => p.foreign === settings.foreign && p.local === settings.local);
    settings.preset = match ? match.id : 'custom';
  }
  if (!['centralauth', 'cookies', 'anonymous', 'oauth2'].includes(settings.auth)) settings.auth = 'centralauth';
  return q.get('call');
}

function writeQuery() {
  const q = new URLSearchParams();
  const preset = presets().find((p) => p.id === settings.preset);
  const differs = (key) => !preset || preset.id === 'custom' || preset[key] !== settings[key];
  if (settings.preset !== 'lab-b') q.set('preset', settings.preset);
  for (const key of ['foreign', 'rest', 'local', 'auth']) if (settings[key] && differs(key)) q.set(key, settings[key]);
  for (const key of ['timeout', 'retry', 'ua']) if (settings[key]) q.set(key, settings[key]);
  if (current && current.id !== 'whoami') q.set('call', current.id);
  const url = `${location.pathname}${q.toString() ? `?${q}` : ''}`;
  history.replaceState(null, '', url);
  $('#share-link').href = url;
}

const isLabLocal = () => labAccounts.length > 0 && settings.local === lab.FW_LAB_A_API;
const localName = () => (settings.local === lab.FW_LAB_A_API ? 'wiki A' : hostOf(settings.local));
const foreignName = () => {
  if (settings.foreign === lab.FW_LAB_B_API) return 'wiki B';
  if (settings.foreign === lab.FW_LAB_A_API) return 'wiki A';
  return hostOf(settings.foreign);
};

/* ------------------------------------------------------------------------------------------------ OAuth 2 */

// Stands for the client in the code preview (literal() prints it as code, not as an object).
const OAUTH2_PREVIEW = { toString: () => 'oauth2Client' };
let oauth2 = { key: '', client: null };

/**
 * The OAuth2Client for the foreign wiki's rest.php: the lab's public (PKCE) client, its redirect URI the callback
 * page on this origin. Tokens live in this tab's sessionStorage.
 */
function oauth2Client() {
  const restUrl = settings.rest || sibling(settings.foreign, 'rest.php');
  if (oauth2.key !== restUrl) {
    oauth2 = {
      key: restUrl,
      client: new FW.OAuth2Client({
        restUrl,
        clientId: lab.FW_LAB_OAUTH2_PUBLIC_ID || '',
        redirectUri: lab.FW_LAB_OAUTH2_PUBLIC_REDIRECT,
        storage: sessionStorage,
      }),
    };
  }
  return oauth2.client;
}

function renderOAuth() {
  const box = $('#oauth-box');
  box.hidden = settings.auth !== 'oauth2';
  if (box.hidden) return;
  const usable = !!lab.FW_LAB_OAUTH2_PUBLIC_ID && settings.foreign === lab.FW_LAB_B_API;
  const client = usable ? oauth2Client() : null;
  const signedIn = !!(client && client.isAuthorized());
  const status = $('#oauth-status');
  status.dataset.state = signedIn ? 'in' : 'out';
  $('#oauth-signin').textContent = `Sign in with ${foreignName()}`;
  $('#oauth-signin').disabled = !usable;
  $('#oauth-signout').hidden = !signedIn;
  let text = 'Not signed in: "Sign in" opens the consent page.';
  if (!usable) text = 'The demo has an OAuth 2 client for the lab\'s wiki B only (tests/lab: FW_LAB_OAUTH=1).';
  else if (signedIn) {
    const t = JSON.parse(client.serialize());
    const left = t.expiresAt ? Math.max(0, Math.round((t.expiresAt - Date.now()) / 60000)) : '?';
    text = `Signed in: access token for ${foreignName()} (expires in ${left} min), refresh token kept.`;
  }
  status.querySelector('.text').textContent = text;
}

async function oauthSignIn() {
  const client = oauth2Client();
  startRecording(); // the waterfall shows the code exchange
  try {
    await client.authorizeWithPopup();
  } catch (error) {
    $('#oauth-status').querySelector('.text').textContent = `Sign-in failed: ${error.name} ${error.code || ''}: ${error.info || error.message}`;
    return;
  } finally {
    stopRecording();
  }
  renderOAuth();
  updateConnLine();
}

/** The options object for new ForeignApi(url, options), as the code preview shows it too. */
function libraryOptions({ forPreview = false } = {}) {
  const o = {};
  if (settings.auth === 'anonymous') o.anonymous = true;
  if (settings.auth === 'centralauth') {
    o.centralAuth = settings.local;
    // The library needs the local user name only to tell "logged in" from "not"; when we do not know, it asks the
    // local wiki for a centralauthtoken anyway and reports why there is none.
    if (!forPreview && localLogin.state === 'in') o.localUser = localLogin.name;
  }
  if (settings.auth === 'cookies') o.centralAuth = false;
  if (settings.auth === 'oauth2') o.oauth2 = forPreview ? OAUTH2_PREVIEW : oauth2Client();
  const timeout = parseInt(settings.timeout, 10);
  if (Number.isFinite(timeout)) o.ajax = { timeout };
  const retry = parseInt(settings.retry, 10);
  if (Number.isFinite(retry)) o.retryBudgetMs = retry;
  if (settings.ua) o.userAgent = settings.ua;
  return o;
}

/* ------------------------------------------------------------------------------------------------ scenarios */

const scenarios = [
  {
    id: 'whoami',
    label: 'Who am I?',
    desc: 'Asks the foreign wiki who it thinks you are (meta=userinfo). With CentralAuth, that is your local login, carried by a single-use centralauthtoken.',
    fields: [],
    params: () => ({ action: 'query', meta: 'userinfo', uiprop: 'groups' }),
    code: (p) => `const data = await api.get(${literal(p)});\nconsole.log(data.query.userinfo.name);`,
    run: (api, p) => api.get(p),
    render: renderWhoami,
  },
  {
    id: 'read',
    label: 'Read a page',
    desc: 'Reads the current wikitext of a page and who edited it last (prop=revisions).',
    fields: [{ name: 'title', label: 'Page title', value: 'Main Page' }],
    params: (f) => ({
      action: 'query',
      prop: 'revisions',
      titles: f.title,
      rvprop: 'content|timestamp|user',
      rvslots: 'main',
      formatversion: 2,
    }),
    code: (p) => `const data = await api.get(${literal(p)});\nconst page = data.query.pages[0];`,
    run: (api, p) => api.get(p),
    render: renderPage,
  },
  {
    id: 'search',
    label: 'Search titles',
    desc: 'Searches page titles over the REST API (GET /v1/search/title). REST calls use the same auth as the Action API: with CentralAuth the token travels in an Authorization header.',
    fields: [
      { name: 'q', label: 'Title starts with', value: 'Ma' },
      { name: 'limit', label: 'Limit', value: '10', type: 'number', small: true },
    ],
    rest: true,
    params: (f) => ({ q: f.q, limit: Number(f.limit) || 10 }),
    code: (p) => `const data = await rest.get('/v1/search/title', ${literal(p)});\nconsole.log(data.pages.map((page) => page.title));`,
    run: (api, p, rest) => rest.get('/v1/search/title', p),
    render: renderSearch,
  },
  {
    id: 'option',
    label: 'Save a preference',
    desc: 'Stores a gadget preference (a userjs- option) on the foreign wiki with postWithToken, then reads it back. A write: it needs a csrf token and a login there.',
    fields: [
      { name: 'name', label: 'Option name', value: 'userjs-foreign-wasm-demo' },
      { name: 'value', label: 'Value', value: 'Hello from the playground' },
    ],
    params: (f) => ({ action: 'options', optionname: f.name, optionvalue: f.value }),
    code: (p) =>
      `await api.postWithToken('csrf', ${literal(p)});\n` +
      `const check = await api.get({ action: 'query', meta: 'userinfo', uiprop: 'options' });\n` +
      `console.log(check.query.userinfo.options[${literal(p.optionname)}]);`,
    run: async (api, p) => {
      const saved = await api.postWithToken('csrf', p);
      const check = await api.get({ action: 'query', meta: 'userinfo', uiprop: 'options' });
      return { saved, check, name: p.optionname, value: p.optionvalue };
    },
    render: renderOption,
  },
  {
    id: 'edit',
    label: 'Edit a sandbox',
    desc: 'Appends a line to a page on the foreign wiki (action=edit with a csrf token). assert=user makes the wiki refuse instead of saving the edit under your IP address when you are not logged in there.',
    fields: [
      { name: 'title', label: 'Page', value: 'Sandbox' },
      { name: 'text', label: 'Text to append', value: 'Hello from the foreign-wasm playground.' },
    ],
    params: (f) => ({
      action: 'edit',
      title: f.title,
      appendtext: `\n* ${f.text} ~~~~`,
      summary: 'Test edit from the foreign-wasm playground',
      assert: 'user',
    }),
    code: (p) => `const data = await api.postWithToken('csrf', ${literal(p)});\nconsole.log(data.edit.newrevid);`,
    run: (api, p) => api.postWithToken('csrf', p),
    render: renderEdit,
  },
  {
    id: 'custom',
    label: 'Custom call',
    desc: 'Any Action API or REST call. Parameters: one key=value per line (or a JSON object). Leave out origin, format and token: the library adds them.',
    fields: [
      {
        name: 'kind',
        label: 'Call',
        type: 'select',
        value: 'get',
        options: [
          ['get', 'api.get()'],
          ['post', 'api.post()'],
          ['token', 'api.postWithToken()'],
          ['rest-get', 'rest.get()'],
          ['rest-post', 'rest.post()'],
          ['rest-put', 'rest.put()'],
          ['rest-delete', 'rest.delete()'],
        ],
      },
      { name: 'tokenType', label: 'Token type', value: 'csrf', small: true, showIf: (f) => f.kind === 'token' },
      { name: 'path', label: 'REST path', value: '/v1/page/{title}', showIf: (f) => f.kind.startsWith('rest') },
      {
        name: 'params',
        label: 'Parameters',
        type: 'textarea',
        value: 'action=query\nmeta=siteinfo\nsiprop=general|statistics',
        showIf: (f) => !f.kind.startsWith('rest'),
      },
      {
        name: 'query',
        label: 'Query / body (key=value lines or JSON)',
        type: 'textarea',
        value: '',
        showIf: (f) => f.kind.startsWith('rest'),
      },
      { name: 'pathTitle', label: '{title}', value: 'Main Page', small: true, showIf: (f) => f.kind.startsWith('rest') && f.path.includes('{title}') },
    ],
    rest: (f) => f.kind.startsWith('rest'),
    params: (f) => {
      if (!f.kind.startsWith('rest')) return parseParams(f.params);
      return f.query.trim() ? parseParams(f.query) : undefined;
    },
    code: (p, f) => {
      const arg = p === undefined ? '' : literal(p);
      const opts = f.path.includes('{title}') ? `{ pathParams: ${literal({ title: f.pathTitle })} }` : '';
      switch (f.kind) {
        case 'get':
          return `const data = await api.get(${arg});`;
        case 'post':
          return `const data = await api.post(${arg});`;
        case 'token':
          return `const data = await api.postWithToken(${literal(f.tokenType)}, ${arg});`;
        default: {
          const method = f.kind.slice(5);
          const args = [literal(f.path), arg || (opts ? 'undefined' : ''), opts ? 'undefined' : '', opts].filter((a, i, all) => a || all.slice(i + 1).some(Boolean));
          return `const data = await rest.${method}(${args.join(', ')});`;
        }
      }
    },
    run: (api, p, rest, f) => {
      const opts = f.path.includes('{title}') ? { pathParams: { title: f.pathTitle } } : undefined;
      switch (f.kind) {
        case 'get':
          return api.get(p);
        case 'post':
          return api.post(p);
        case 'token':
          return api.postWithToken(f.tokenType, p);
        case 'rest-get':
          return rest.get(f.path, p, undefined, opts);
        case 'rest-post':
          return rest.post(f.path, p, undefined, opts);
        case 'rest-put':
          return rest.put(f.path, p, undefined, opts);
        default:
          return rest.delete(f.path, p, undefined, opts);
      }
    },
    render: (value) => el('p', { class: 'summary' }, 'The wiki answered (full JSON below).'),
  },
];

/** key=value lines (or a query string, or a JSON object) → an object. */
function parseParams(text) {
  const trimmed = text.trim();
  if (!trimmed) return {};
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(trimmed);
    } catch (error) {
      throw new Error(`The parameters are not valid JSON: ${error.message}`);
    }
  }
  const out = {};
  const lines = trimmed.includes('\n') ? trimmed.split('\n') : trimmed.split('&');
  for (const line of lines) {
    if (!line.trim()) continue;
    const at = line.indexOf('=');
    if (at < 1) throw new Error(`"${line.trim()}" is not key=value`);
    out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}

let current = scenarios[0];
const fieldValues = Object.fromEntries(scenarios.map((s) => [s.id, Object.fromEntries(s.fields.map((f) => [f.name, f.value]))]));

/* ------------------------------------------------------------------------------------------------ result views */

function anonHint() {
  if (settings.auth === 'anonymous') return 'Anonymous mode never sends a login (origin=*). Choose CentralAuth to act as yourself.';
  if (settings.auth === 'cookies') {
    return `Either you are not logged in on ${foreignName()}, or the browser did not send its cookies: from this page they are ` +
      'third-party cookies, which most browsers block. Use CentralAuth to carry over your login on the local wiki.';
  }
  if (localLogin.state !== 'in') return `Log in on ${localName()} first: CentralAuth carries that login over.`;
  return '';
}

function renderWhoami(data) {
  const info = data?.query?.userinfo || {};
  if (info.anon !== undefined || !info.id) {
    return el('div', {},
      el('p', { class: 'summary' }, 'On ', el('strong', {}, foreignName()), ' you are ', el('strong', { class: 'who' }, 'anonymous'), info.name ? ` (${info.name})` : '', '.'),
      anonHint() && el('p', { class: 'hint' }, anonHint()));
  }
  const groups = (info.groups || []).filter((g) => g !== '*');
  return el('p', { class: 'summary' }, 'On ', el('strong', {}, foreignName()), ' you are ', el('strong', { class: 'who' }, info.name),
    ` (user id ${info.id})`, groups.length ? `, groups: ${groups.join(', ')}` : '', '.');
}

function renderPage(data) {
  const page = data?.query?.pages?.[0];
  if (!page) return el('p', { class: 'summary' }, 'No page in the answer.');
  if (page.missing || page.invalid) {
    return el('p', { class: 'summary' }, el('strong', {}, page.title || 'That title'), page.invalid ? ' is not a valid title.' : ` does not exist on ${foreignName()}.`);
  }
  const rev = page.revisions?.[0] || {};
  const content = rev.slots?.main?.content ?? '';
  const link = `${sibling(settings.foreign, 'index.php')}?title=${encodeURIComponent(page.title)}`;
  return el('div', {},
    el('p', { class: 'summary' }, el('a', { href: link, target: '_blank', rel: 'noopener' }, page.title), ` — last edited by ${rev.user ?? '?'} at ${rev.timestamp ?? '?'}`),
    el('pre', { class: 'wikitext' }, content.length > 2000 ? `${content.slice(0, 2000)}\n…` : content));
}

function renderSearch(data) {
  const pages = data?.pages || [];
  if (!pages.length) return el('p', { class: 'summary' }, 'No titles match.');
  const index = sibling(settings.foreign, 'index.php');
  return el('div', {},
    el('p', { class: 'summary' }, `${pages.length} title${pages.length === 1 ? '' : 's'}:`),
    el('ul', { class: 'titles' }, pages.map((p) => el('li', {}, el('a', { href: `${index}?title=${encodeURIComponent(p.key || p.title)}`, target: '_blank', rel: 'noopener' }, p.title),
      p.description ? el('span', { class: 'hint' }, ` — ${p.description}`) : null))));
}

function renderOption(result) {
  const stored = result.check?.query?.userinfo?.options?.[result.name];
  const ok = stored === result.value;
  return el('p', { class: 'summary' }, 'Saved on ', el('strong', {}, foreignName()), '. Read back: ', el('code', {}, result.name), ' = ',
    el('strong', { class: ok ? 'good' : 'bad' }, stored === undefined ? '(not set)' : JSON.stringify(stored)), ok ? ' ✓' : ' (differs!)');
}

function renderEdit(data) {
  const edit = data?.edit || {};
  const index = sibling(settings.foreign, 'index.php');
  if (edit.nochange !== undefined) return el('p', { class: 'summary' }, 'Nothing changed (the text was already there).');
  return el('p', { class: 'summary' }, 'Saved revision ', el('strong', {}, String(edit.newrevid)), ' of ',
    el('a', { href: `${index}?title=${encodeURIComponent(edit.title)}`, target: '_blank', rel: 'noopener' }, edit.title), ' on ', foreignName(), ' — ',
    el('a', { href: `${index}?diff=${edit.newrevid}`, target: '_blank', rel: 'noopener' }, 'see the diff'), '.');
}

/* ------------------------------------------------------------------------------------------------ errors → fixes */

const pageOrigin = location.origin;
const pageHost = location.host;

/**
 * What went wrong, in words, and what fixes it. `rec` is the waterfall record of the call: which request failed
 * tells a refused centralauthtoken apart from a refused call.
 */
async function explain(error, rec) {
  const name = error?.name || 'Error';
  const code = error?.code || '';
  const info = error?.info || error?.message || String(error);
  const foreign = foreignName();
  const out = { title: '', fixes: [], actions: [] };
  const loginAction = () => {
    if (isLabLocal()) for (const account of labAccounts) out.actions.push({ label: `Log in on ${localName()} as ${account.user}`, run: () => labLogin(account) });
    out.actions.push({ label: `Open ${localName()}'s login page ↗`, href: loginUrl() });
  };
  const switchAuth = (auth, label) => out.actions.push({ label, run: () => setAuth(auth) });

  switch (name) {
    case 'UsageError':
      out.title = 'The call was not sent: something in the input is not right.';
      if (code === 'bad-url') out.fixes.push('Enter the full address of the wiki\'s api.php (or rest.php), e.g. https://en.wikipedia.org/w/api.php.');
      else if (code === 'bad-auth' && /target wiki itself/.test(info)) {
        out.fixes.push('The local wiki and the foreign wiki are the same site: CentralAuth is for another wiki. Use cookies for the wiki itself.');
        switchAuth('cookies', 'Use cookies');
      } else out.fixes.push(info);
      break;

    case 'NetworkError': {
      const failed = [...rec.rows.values()].find((r) => r.phase === 'failure' && r.failure === 'network' && !r.diag);
      if (failed && failed.purpose === 'centralauthtoken') {
        out.title = `${localName()} did not give this page a centralauthtoken.`;
        out.fixes.push(`${localName()} (${hostOf(settings.local)}) must list this page's origin in $wgCrossSiteAJAXdomains ('${pageHost}', no scheme). ` +
          'Or run the code on a page of the local wiki itself (a user script or a gadget), where no CORS is involved.');
        out.fixes.push(`Check that ${settings.local} is the local wiki's api.php and that it is up.`);
        break;
      }
      // Is the wiki there at all? An anonymous request (origin=*) is allowed from anywhere.
      rec.diagStart = performance.now();
      scheduleRender();
      let reachable = false;
      try {
        const probe = new FW.ForeignApi(settings.foreign, { anonymous: true, ajax: { timeout: 8000 } });
        const site = await probe.get({ action: 'query', meta: 'siteinfo' });
        reachable = !!site?.query?.general;
      } catch {
        reachable = false;
      }
      if (reachable && settings.auth !== 'anonymous') {
        out.title = `${foreign} does not list this origin in $wgCrossSiteAJAXdomains.`;
        out.fixes.push(`The wiki is up (an anonymous request worked), but it refuses logged-in requests from ${pageOrigin}. ` +
          `An admin of ${foreign} has to add '${pageHost}' (host:port, no scheme) to $wgCrossSiteAJAXdomains.`);
        out.fixes.push('Public data works without that: use Anonymous.');
        if (settings.auth === 'centralauth') out.fixes.push('A centralauthtoken that was used twice or is older than 60 s fails the same way; running again gets a fresh one.');
        switchAuth('anonymous', 'Use Anonymous');
      } else if (reachable) {
        out.title = `${foreign} answered a test request, but not this one.`;
        out.fixes.push('The browser hides the reason. Look in the developer console (CORS or network message) and check the parameters.');
      } else {
        out.title = `Nothing readable came back from ${hostOf(settings.foreign)}.`;
        out.fixes.push(`Check the address (${settings.foreign}): it must be the wiki's api.php, and the wiki must be up.`);
        out.fixes.push('A wiki that sends no CORS headers at all cannot be used from another site; the browser console says so.');
      }
      if (error.performed === 'maybe') out.fixes.push('The write may have happened anyway: check the wiki before running it again.');
      break;
    }

    case 'CorsError':
      out.title = code === 'origin-mismatch' ? 'The origin parameter did not match this page.' : `${foreign} refused this page's origin.`;
      out.fixes.push(info);
      break;

    case 'LoginSuppressedError':
      out.title = `${foreign} ignored the login and answered as if you were anonymous.`;
      out.fixes.push(`${foreign} does not trust ${pageOrigin} with logged-in requests: it has to be in its $wgCrossSiteAJAXdomains ('${pageHost}').`);
      break;

    case 'OAuthError':
      if (code === 'oauth-api-origin') {
        out.title = `${foreign}'s api.php does not take an OAuth token from this page's origin.`;
        out.fixes.push('MediaWiki before 1.44 reads a Bearer on api.php only from origins it lists; rest.php takes it from anywhere: use a REST call.');
      } else if (error.reauthorize) {
        out.title = `Sign in with ${foreign} again.`;
        out.fixes.push(info);
        out.actions.push({ label: `Sign in with ${foreign}`, run: () => oauthSignIn() });
      } else {
        out.title = `${foreign} refused the OAuth access token (${code}).`;
        out.fixes.push(info);
      }
      renderOAuth();
      break;

    case 'CentralAuthError':
      if (code === 'centralauthtoken-rejected') {
        out.title = `${foreign} refused the centralauthtoken twice.`;
        out.fixes.push(`Both wikis must belong to the same CentralAuth farm (shared central database and token store), and your account must be global and attached on ${foreign}.`);
        break;
      }
      if (/\(notloggedin\)|anonymous|not logged in/i.test(info)) {
        out.title = `Log in on ${localName()} first.`;
        out.fixes.push(`CentralAuth carries your login on ${localName()} over to ${foreign}. You are not logged in there${isLabLocal() ? '' : ' — log in in another tab, then run again'}.`);
        loginAction();
      } else if (/notattached|not attached/i.test(info)) {
        out.title = `Your account on ${localName()} is not a global account.`;
        out.fixes.push('Only global (CentralAuth) accounts can be carried over. Use a global account, or merge yours with Special:MergeAccount.');
      } else if (/badvalue|Unrecognized value|without a centralauthtoken/i.test(info)) {
        out.title = `${localName()} does not have CentralAuth.`;
        out.fixes.push('Without CentralAuth there is no shared login. Use Cookies (the user must be logged in on the foreign wiki) or Anonymous.');
        switchAuth('cookies', 'Use cookies');
      } else {
        out.title = `No centralauthtoken from ${localName()}.`;
        out.fixes.push(info);
      }
      break;

    case 'ApiError':
      if (code === 'readonly') {
        const reason = String(error.result?.error?.readonlyreason ?? '').trim();
        out.title = `${foreign} is read-only${reason ? `: “${reason}”` : ''}.`;
        out.fixes.push('Writes are refused until its administrators end the read-only mode; reads still work. Try again later.');
        out.fixes.push('The library waits and retries within a budget ("Wait on read-only" under Advanced options) before it gives up.');
      } else if (settings.auth === 'anonymous' && (code === 'token-missing' || code === 'assertuserfailed')) {
        // The write's assert=user reaches the token fetch too (as in mw.Api), so that is where it stops.
        out.title = 'Anonymous requests cannot write.';
        out.fixes.push('With origin=* a wiki hands out no tokens and knows no user. Choose CentralAuth (or cookies) to write as yourself.');
        switchAuth('centralauth', 'Use CentralAuth');
      } else if (['assertuserfailed', 'assertnameduserfailed', 'notloggedin', 'mustbeloggedin', 'readapidenied', 'token-missing'].includes(code)) {
        out.title = `You are not logged in on ${foreign}.`;
        out.fixes.push(anonHint() || `Log in on ${foreign}, or on ${localName()} with CentralAuth.`);
        if (settings.auth === 'centralauth' && localLogin.state !== 'in') loginAction();
        if (settings.auth !== 'centralauth') switchAuth('centralauth', 'Use CentralAuth');
      } else if (code === 'badtoken') {
        out.title = `${foreign} refused the csrf token, also after fetching a fresh one.`;
        out.fixes.push('Your session there changed while the call ran (a logout or a new login). Run it again.');
      } else if (code === 'maxlag') {
        out.title = `${foreign}'s database replicas are lagging.`;
        out.fixes.push('The library waited as the wiki asked, then gave up. Try again in a minute.');
      } else if (code === 'ratelimited') {
        out.title = 'You hit a rate limit.';
        out.fixes.push('Wait a little before the next write.');
      } else if (['permissiondenied', 'protectedpage', 'cantcreate', 'cascadeprotected', 'blocked'].includes(code)) {
        out.title = `Your account may not do that on ${foreign}.`;
        out.fixes.push(info);
      } else {
        out.title = `${foreign} refused the call (${code}).`;
        out.fixes.push(info);
      }
      break;

    case 'RestError':
      out.title = `The REST API of ${foreign} answered HTTP ${error.status}.`;
      out.fixes.push(info);
      if (error.status === 404) out.fixes.push('Check the rest.php address and the path (e.g. /v1/search/title).');
      break;

    case 'HttpError':
      out.title = `HTTP ${error.status} from ${foreign}.`;
      out.fixes.push(error.status === 404 ? 'Nothing there: check that the address ends in api.php (or rest.php).' : error.status >= 500 ? 'The wiki had a server error. Try again later.' : info);
      break;

    case 'ResponseError':
      out.title = 'The answer was not API data.';
      out.fixes.push(`${info.slice(0, 200)} — is ${settings.foreign} really the wiki's api.php?`);
      break;

    case 'TimeoutError':
      out.title = `${foreign} did not answer in time.`;
      out.fixes.push('Raise the timeout under Advanced options, or try again later.');
      if (error.performed === 'maybe') out.fixes.push('The write may have happened anyway: check the wiki before running it again.');
      break;

    case 'AbortError':
      out.title = 'You aborted the call.';
      break;

    default:
      out.title = 'The demo could not run this call.';
      out.fixes.push(info);
  }
  return out;
}

/* ------------------------------------------------------------------------------------------------ the waterfall */

const PURPOSES = {
  centralauthtoken: 'centralauthtoken',
  'login-check': 'login check',
  token: 'token',
  call: 'call',
  retry: 'retry',
  'oauth2-code': 'token exchange',
  'oauth2-refresh': 'token refresh',
};

let rec = null; // the record being drawn: {t0, settled, rows: Map(id → entry), notices, open, diagStart}
let renderQueued = false;

function startRecording() {
  rec = { t0: performance.now(), settled: null, rows: new Map(), notices: [], open: true, diagStart: null };
  scheduleRender();
  return rec;
}

function stopRecording() {
  if (rec) rec.open = false;
}

function onTraceEntry(entry) {
  if (!rec || !rec.open) return;
  if (entry.phase === 'notice') {
    rec.notices.push({ ...entry, at: performance.now() });
  } else {
    const known = rec.rows.get(entry.id);
    if (!known && entry.phase !== 'request') return; // started before this run
    const row = { ...(known || {}), ...entry };
    if (!known) {
      row.diag = rec.diagStart !== null && entry.startMs >= rec.diagStart;
      row.after = rec.settled !== null && !row.diag;
    }
    rec.rows.set(entry.id, row);
  }
  scheduleRender();
}

function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    renderWaterfall();
    // Bars of requests still on the wire keep growing.
    if (rec && [...rec.rows.values()].some((r) => r.phase === 'request')) scheduleRender();
  });
}

function wikiLabel(url) {
  const origin = originOf(url);
  if (origin && origin === originOf(settings.foreign)) return { text: foreignName(), cls: 'foreign' };
  if (origin && origin === originOf(settings.local)) return { text: localName(), cls: 'local' };
  return { text: hostOf(url), cls: 'other' };
}

/** The path and the parameters that say what the request does; format= and origin= are shown apart. */
function shortUrl(url) {
  try {
    const u = new URL(url);
    let query = '';
    for (const [k, v] of u.searchParams) if (k !== 'format' && k !== 'origin') query += `${query ? '&' : '?'}${k}=${v}`;
    return `${u.pathname}${query}`;
  } catch {
    return url;
  }
}

function originParam(url) {
  try {
    return new URL(url).searchParams.get('origin');
  } catch {
    return null;
  }
}

function renderWaterfall() {
  const box = $('#waterfall');
  if (!rec) return;
  // in the order they were sent (the engine's ids are numbers, an OAuth2Client's token requests 'oauth2-<n>')
  const rows = [...rec.rows.values()].sort((a, b) => a.startMs - b.startMs);
  box.replaceChildren();
  box.dataset.rows = String(rows.length);
  if (!rows.length) {
    box.append(el('p', { class: 'empty' }, rec.settled === null ? 'Waiting for the first request…' : 'This call sent no request (it was refused before anything went out).'));
    return;
  }
  const now = performance.now();
  const t0 = rec.t0;
  let t1 = Math.max(...rows.map((r) => r.endMs ?? now), rec.settled ?? 0);
  const span = Math.max(t1 - t0, 20);
  const pct = (t) => `${(((t - t0) / span) * 100).toFixed(3)}%`;

  // time axis
  const step = niceStep(span / 6);
  box.style.setProperty('--grid', `${((step / span) * 100).toFixed(4)}%`);
  const ticks = [];
  for (let t = 0; t <= span * 0.93; t += step) ticks.push(el('span', { class: 'tick', style: `left:${((t / span) * 100).toFixed(3)}%` }, t === 0 ? '0' : fmtMs(t)));
  box.append(el('div', { class: 'wf-row wf-axis' }, el('div', { class: 'wf-info' }, el('span', { class: 'hint' }, `${rows.length} request${rows.length === 1 ? '' : 's'}`)), el('div', { class: 'wf-track' }, ticks)));

  // Requests that started once the call's own answer was in (a prefetched centralauthtoken) belong to the next call.
  const callRows = rows.filter((r) => (r.purpose === 'call' || r.purpose === 'retry') && r.endMs !== undefined && !r.diag);
  const callEnd = rec.settled !== null && callRows.length ? Math.max(...callRows.map((r) => r.endMs)) : Infinity;
  for (const r of rows) if (!r.after && r.purpose !== 'call' && r.purpose !== 'retry' && r.startMs >= callEnd) r.after = true;
  // The pocket's spare centralauthtoken serves the next call, even when it is minted while this one runs.
  for (const r of rows) if (r.purpose === 'centralauthtoken' && r.call === 0 && /pocket/.test(r.why || '')) r.after = r.pocket = true;
  const frac = (t) => (t - t0) / span;
  let n = 0;
  for (const r of rows) {
    n += 1;
    const wiki = wikiLabel(r.displayUrl);
    const end = r.endMs ?? now;
    const pending = r.phase === 'request';
    const failed = r.phase === 'failure';
    const status = pending ? '…' : failed ? r.failure : String(r.status);
    const statusClass = pending ? 'pending' : failed || r.status >= 400 ? 'bad' : 'good';
    const tags = [];
    if (r.after) tags.push(el('span', { class: 'tag' }, r.pocket ? 'for the next call' : 'after the call'));
    if (r.diag) tags.push(el('span', { class: 'tag' }, 'diagnosis'));
    box.append(el('div', {
      class: `wf-row p-${r.purpose}${failed ? ' failed' : ''}${r.after || r.diag ? ' extra' : ''}`,
      dataset: { purpose: r.purpose, call: String(r.call), method: r.method, status: pending ? 'pending' : failed ? r.failure : String(r.status), credentials: r.credentials, wiki: wiki.cls, after: r.after ? '1' : '0', diag: r.diag ? '1' : '0' },
    },
    el('div', { class: 'wf-info' },
      el('div', { class: 'wf-line1' },
        el('span', { class: 'num' }, String(n)),
        el('span', { class: `chip p-${r.purpose}` }, PURPOSES[r.purpose] || r.purpose),
        el('span', { class: 'method' }, r.method),
        el('span', { class: `wiki ${wiki.cls}` }, wiki.text),
        el('span', { class: `status ${statusClass}` }, status),
        originTag(originParam(r.displayUrl)),
        el('span', { class: `cred ${r.credentials}`, title: r.credentials === 'include' ? 'credentials: include — the browser sends this host\'s cookies' : 'credentials: omit — no cookies' }, r.credentials === 'include' ? 'cookies' : 'no cookies'),
        // OAuth 2 mode: the engine's requests to the foreign wiki carry the access token (its value is never shown)
        settings.auth === 'oauth2' && typeof r.id === 'number' && wiki.cls === 'foreign'
          ? el('span', { class: 'cred omit', dataset: { bearer: '1' }, title: 'Authorization: Bearer ••• (the access token, masked)' }, 'Bearer •••')
          : null,
        tags),
      el('div', { class: 'wf-url', title: r.displayUrl }, shortUrl(r.displayUrl)),
      el('div', { class: 'wf-why' }, r.why, r.purpose === 'call' || r.purpose === 'retry' ? ` · call ${r.call}` : '')),
    el('div', { class: 'wf-track' },
      waitSegment(r, rows, pct),
      el('div', { class: `wf-bar${pending ? ' pending' : ''}`, style: `left:${pct(r.startMs)};width:max(3px, calc(${pct(end)} - ${pct(r.startMs)}))` }),
      el('span', { class: `wf-ms${frac(end) < 0.8 ? '' : frac(r.startMs) > 0.25 ? ' before' : ' inside'}`, style: `left:${pct(frac(end) < 0.8 || frac(r.startMs) <= 0.25 ? end : r.startMs)}` }, fmtMs(end - r.startMs)),
      rec.settled !== null ? el('div', { class: 'wf-settled', style: `left:${pct(rec.settled)}` }) : null)));
  }
  if (rec.settled !== null) {
    box.append(el('div', { class: 'wf-row wf-foot' }, el('div', { class: 'wf-info' }, el('span', { class: 'hint' }, 'Dashed line: the call settled')),
      el('div', { class: 'wf-track' }, el('div', { class: 'wf-settled', style: `left:${pct(rec.settled)}` }), el('span', { class: `settled-label${frac(rec.settled) > 0.8 ? ' before' : ''}`, style: `left:${pct(rec.settled)}` }, `settled at ${fmtMs(rec.settled - t0)}`))));
  }
  for (const notice of rec.notices) {
    box.append(el('p', { class: 'notice', dataset: { code: notice.code } }, el('strong', {}, `notice · ${notice.code}`), ` — ${notice.info}`));
  }
}

/** For a retry: the wait since the call's previous attempt ended, drawn as a dotted line. */
function waitSegment(r, rows, pct) {
  if (r.purpose !== 'retry') return null;
  const previous = rows.filter((x) => x.call === r.call && x.id < r.id && (x.purpose === 'call' || x.purpose === 'retry') && x.endMs !== undefined).pop();
  if (!previous || r.startMs - previous.endMs < 200) return null;
  return el('div', { class: 'wf-wait', style: `left:${pct(previous.endMs)};width:calc(${pct(r.startMs)} - ${pct(previous.endMs)})`, title: `waited ${fmtMs(r.startMs - previous.endMs)}` },
    el('span', {}, `waited ${fmtMs(r.startMs - previous.endMs)}`));
}

function originTag(origin) {
  if (origin === null) return null;
  const text = origin === '*' ? 'origin=*' : origin === pageOrigin ? 'origin=this page' : `origin=${origin}`;
  return el('span', { class: 'origin', title: `origin=${origin}` }, text);
}

function niceStep(raw) {
  const pow = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

function renderLegend() {
  $('#legend').replaceChildren(...Object.entries(PURPOSES).map(([p, label]) => el('span', { class: `chip p-${p}` }, label)));
}

/* ------------------------------------------------------------------------------------------------ running calls */

let running = null; // {promise, abort}

function fieldsOf(scenario) {
  return fieldValues[scenario.id];
}

// One ForeignApi / ForeignRest pair per setup, kept across runs like a gadget keeps its instance: the csrf token
// and the centralauthtoken prefetched after a call are then used by the next call.
let cachedInstances = { key: '', api: null, rest: null };

function instances() {
  const options = libraryOptions();
  const restUrl = settings.rest || sibling(settings.foreign, 'rest.php');
  const key = JSON.stringify([settings.foreign, restUrl, options]);
  if (cachedInstances.key !== key) {
    cachedInstances = { key, api: new FW.ForeignApi(settings.foreign, options), rest: new FW.ForeignRest(restUrl, options) };
  }
  return cachedInstances;
}

async function runScenario() {
  if (running) return;
  const scenario = current;
  const f = fieldsOf(scenario);
  const resultBox = $('#result');
  const record = startRecording();
  setRunning(true);
  let value;
  let error;
  let promise;
  try {
    const params = scenario.params(f);
    const { api, rest } = instances();
    promise = scenario.run(api, params, rest, f);
    running = { abort: () => (promise && typeof promise.abort === 'function' ? promise.abort() : api.abort()) };
    value = await promise;
  } catch (e) {
    error = e;
  }
  record.settled = performance.now();
  const took = record.settled - record.t0;
  scheduleRender();
  resultBox.hidden = false;
  resultBox.replaceChildren();
  const count = () => [...record.rows.values()].filter((r) => !r.diag).length;
  if (!error) {
    resultBox.dataset.state = 'ok';
    delete resultBox.dataset.errorName;
    delete resultBox.dataset.errorCode;
    let view;
    try {
      view = scenario.render(value, f);
    } catch (e) {
      view = el('p', { class: 'summary' }, `Done, but the demo could not summarise the answer: ${e.message}`);
    }
    resultBox.append(
      el('div', { class: 'result-head ok' }, el('span', { class: 'badge ok' }, 'OK'), `${fmtMs(took)} · ${count()} request${count() === 1 ? '' : 's'}`),
      view,
      el('details', { class: 'raw' }, el('summary', {}, 'Full answer (JSON)'), el('pre', {}, JSON.stringify(value, null, 2))));
  } else {
    resultBox.dataset.state = 'error';
    resultBox.dataset.errorName = error.name || 'Error';
    resultBox.dataset.errorCode = error.code || '';
    resultBox.append(el('div', { class: 'result-head bad' }, el('span', { class: 'badge err' }, error.name || 'Error'), error.code ? el('code', {}, error.code) : null, `${fmtMs(took)} · ${count()} request${count() === 1 ? '' : 's'}`),
      el('p', { class: 'explaining hint' }, 'Working out what went wrong…'));
    const help = await explain(error, record);
    resultBox.querySelector('.explaining')?.remove();
    resultBox.append(...[
      el('p', { class: 'error-title' }, help.title),
      help.fixes.length ? el('div', { class: 'fixes' }, el('h4', {}, 'How to fix it'), el('ul', {}, help.fixes.map((fix) => el('li', {}, fix)))) : null,
      help.actions.length ? el('div', { class: 'actions' }, help.actions.map((a) => (a.href
        ? el('a', { class: 'button small', href: a.href, target: '_blank', rel: 'noopener' }, a.label)
        : el('button', { class: 'small', type: 'button', onclick: a.run }, a.label)))) : null,
      el('details', { class: 'raw' }, el('summary', {}, 'What the library reported'),
        el('pre', {}, JSON.stringify({ name: error.name, code: error.code, category: error.category, status: error.status, info: error.info ?? error.message, result: error.result }, null, 2))),
    ].filter(Boolean));
    resultBox.dataset.explained = '1';
  }
  running = null;
  setRunning(false);
  // Keep recording: requests the library sends right after the call (a prefetched centralauthtoken) show up too.
}

function setRunning(on) {
  $('#run').disabled = on;
  $('#abort').disabled = !on;
  $('#run-state').textContent = on ? 'Running…' : '';
  document.body.classList.toggle('busy', on);
  if (on) {
    $('#result').dataset.state = 'running';
    delete $('#result').dataset.explained;
  }
}

/* ------------------------------------------------------------------------------------------------ local login */

function loginUrl() {
  return `${sibling(settings.local, 'index.php')}?title=Special:UserLogin&returnto=Special:BlankPage`;
}

function localApi() {
  return new FW.ForeignApi(settings.local, { centralAuth: false });
}

let loginCheck = 0;

async function refreshLocalLogin() {
  const box = $('#local-box');
  box.hidden = settings.auth !== 'centralauth';
  $('#login-link').href = loginUrl();
  $('#lab-login').hidden = !isLabLocal();
  if (settings.auth !== 'centralauth' || !settings.local) {
    renderLoginStatus();
    return;
  }
  if (running) return;
  const ticket = ++loginCheck;
  localLogin = { state: 'checking' };
  renderLoginStatus();
  stopRecording();
  try {
    const data = await localApi().get({ action: 'query', meta: 'userinfo' });
    if (ticket !== loginCheck) return;
    const info = data?.query?.userinfo || {};
    localLogin = info.anon !== undefined || !info.id ? { state: 'out' } : { state: 'in', name: info.name };
  } catch (error) {
    if (ticket !== loginCheck) return;
    localLogin = { state: 'error', info: error.name === 'NetworkError' ? `${localName()} does not answer this page (it must list ${pageHost} in $wgCrossSiteAJAXdomains).` : `${error.name}: ${error.info || error.message}` };
  }
  renderLoginStatus();
  updateConnLine();
  updateCode();
}

function renderLoginStatus() {
  const box = $('#login-status');
  box.dataset.state = localLogin.state;
  const text = $('.text', box);
  switch (localLogin.state) {
    case 'in':
      text.replaceChildren('Logged in on ', el('strong', {}, localName()), ' as ', el('strong', { class: 'who' }, localLogin.name), '.');
      break;
    case 'out':
      text.replaceChildren('Not logged in on ', el('strong', {}, localName()), '. CentralAuth calls will fail until you are.');
      break;
    case 'error':
      text.textContent = localLogin.info;
      break;
    case 'checking':
      text.textContent = `Checking ${localName()}…`;
      break;
    default:
      text.textContent = '';
  }
}

async function labLogin(account) {
  stopRecording();
  const api = localApi();
  localLogin = { state: 'checking' };
  renderLoginStatus();
  try {
    const tokens = await api.get({ action: 'query', meta: 'tokens', type: 'login' });
    const answer = await api.post({ action: 'login', lgname: account.user, lgpassword: account.pass, lgtoken: tokens.query.tokens.logintoken });
    if (answer?.login?.result !== 'Success') throw new Error(answer?.login?.reason || answer?.login?.result || 'login failed');
  } catch (error) {
    localLogin = { state: 'error', info: `Login failed: ${error.info || error.message}` };
    renderLoginStatus();
    return;
  }
  await refreshLocalLogin();
}

async function labLogout() {
  stopRecording();
  try {
    await localApi().postWithToken('csrf', { action: 'logout' });
  } catch {
    // already logged out
  }
  await refreshLocalLogin();
}

/* ------------------------------------------------------------------------------------------------ the form */

function renderPresets() {
  $('#preset').replaceChildren(...presets().map((p) => el('option', { value: p.id, selected: p.id === settings.preset }, p.label)));
}

function renderConnection() {
  $('#preset').value = settings.preset;
  $('#foreign-api').value = settings.foreign;
  $('#foreign-rest').value = settings.rest;
  $('#local-api').value = settings.local;
  $('#opt-timeout').value = settings.timeout;
  $('#opt-retry').value = settings.retry;
  $('#opt-ua').value = settings.ua;
  for (const radio of document.querySelectorAll('input[name=auth]')) radio.checked = radio.value === settings.auth;
  const hints = {
    centralauth: 'Acts as the user logged in on the local wiki: the library gets a single-use centralauthtoken there for every request. Needs CentralAuth on both wikis.',
    cookies: 'Sends the foreign wiki\'s own cookies (credentials: include). Works when the user is logged in there and the browser sends them (same site, or third-party cookies allowed).',
    anonymous: 'origin=*, no cookies: public data from any wiki, no writes.',
    oauth2: 'Acts as the user who authorized this page on the foreign wiki (Extension:OAuth, OAuth 2 + PKCE): every request carries Authorization: Bearer, no cookies; the token is refreshed when the wiki refuses it.',
  };
  $('#auth-hint').textContent = hints[settings.auth];
  updateConnLine();
  $('#local-box').hidden = settings.auth !== 'centralauth';
  renderOAuth();
}

function updateConnLine() {
  const mode = { centralauth: 'CentralAuth', cookies: 'cookies', anonymous: 'anonymous', oauth2: 'OAuth 2' }[settings.auth];
  const who = settings.auth === 'centralauth' && localLogin.state === 'in' ? ` · ${localLogin.name}` : '';
  $('#conn-line').textContent = `${foreignName()} · ${mode}${who}`;
}

function setAuth(auth) {
  settings.auth = auth;
  settingsChanged();
}

function settingsChanged({ recheck = true } = {}) {
  renderConnection();
  writeQuery();
  updateCode();
  if (recheck) refreshLocalLogin();
}

function renderTabs() {
  $('#tabs').replaceChildren(...scenarios.map((s) => el('button', {
    type: 'button',
    role: 'tab',
    class: 'tab',
    'aria-selected': s === current ? 'true' : 'false',
    dataset: { scenario: s.id },
    onclick: () => selectScenario(s),
  }, s.label)));
}

function selectScenario(scenario) {
  current = scenario;
  renderTabs();
  $(`.tab[data-scenario="${scenario.id}"]`)?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  renderFields();
  writeQuery();
}

function renderFields() {
  const f = fieldsOf(current);
  $('#scenario-desc').textContent = current.desc;
  const box = $('#scenario-fields');
  box.replaceChildren();
  for (const field of current.fields) {
    if (field.showIf && !field.showIf(f)) continue;
    let input;
    const common = { name: field.name, id: `f-${current.id}-${field.name}`, spellcheck: 'false' };
    if (field.type === 'select') {
      input = el('select', common, field.options.map(([v, label]) => el('option', { value: v, selected: v === f[field.name] }, label)));
    } else if (field.type === 'textarea') {
      input = el('textarea', { ...common, rows: 4 }, f[field.name]);
    } else {
      input = el('input', { ...common, type: field.type || 'text', value: f[field.name] });
    }
    const handler = () => {
      f[field.name] = input.value;
      if (field.type === 'select' || current.fields.some((x) => x.showIf)) {
        if (field.type === 'select' || field.name === 'path') {
          const focused = document.activeElement?.id;
          renderFields();
          if (focused) document.getElementById(focused)?.focus();
          return;
        }
      }
      updateCode();
    };
    input.addEventListener(field.type === 'select' ? 'change' : 'input', handler);
    box.append(el('label', { class: `field${field.small ? ' small' : ''}${field.type === 'textarea' ? ' wide' : ''}` }, el('span', {}, field.label), input));
  }
  updateCode();
}

function updateCode() {
  const f = fieldsOf(current);
  const options = libraryOptions({ forPreview: true });
  const isRest = typeof current.rest === 'function' ? current.rest(f) : current.rest;
  let body;
  try {
    body = current.code(current.params(f), f);
  } catch (error) {
    body = `// ${error.message}`;
  }
  const opts = Object.keys(options).length ? `, ${literal(options)}` : '';
  const lines = [
    "import { ForeignApi, ForeignRest } from 'foreign-wasm';  // in a user script: ForeignWasm.ForeignApi",
    '',
  ];
  if (settings.auth === 'oauth2') {
    lines[0] = "import { ForeignApi, ForeignRest, OAuth2Client } from 'foreign-wasm';";
    lines.push(`const oauth2Client = new OAuth2Client(${literal({ restUrl: settings.rest || sibling(settings.foreign, 'rest.php'), clientId: lab.FW_LAB_OAUTH2_PUBLIC_ID || '<client id>', redirectUri: lab.FW_LAB_OAUTH2_PUBLIC_REDIRECT || '<redirect URI>' })});`);
    lines.push('// once, from a click: await oauth2Client.authorizeWithPopup();');
  }
  if (isRest) lines.push(`const rest = new ForeignRest(${literal(settings.rest || sibling(settings.foreign, 'rest.php'))}${opts});`);
  else lines.push(`const api = new ForeignApi(${literal(settings.foreign)}${opts});`);
  if (settings.auth === 'centralauth') lines.push('// On a page of the local wiki, centralAuth is not needed: the library takes it from mw.config.');
  lines.push(body);
  $('#code').textContent = lines.join('\n');
}

function bindConnection() {
  $('#preset').addEventListener('change', (e) => {
    applyPreset(e.target.value);
    settingsChanged();
  });
  const bindInput = (selector, key, after) => {
    $(selector).addEventListener('change', (e) => {
      settings[key] = e.target.value.trim();
      if (after) after();
      if (['foreign', 'rest', 'local'].includes(key)) {
        const match = presets().find((p) => p.foreign === settings.foreign && p.local === settings.local && p.rest === settings.rest);
        settings.preset = match ? match.id : 'custom';
      }
      settingsChanged({ recheck: key === 'local' });
    });
  };
  bindInput('#foreign-api', 'foreign', () => {
    settings.rest = sibling(settings.foreign, 'rest.php');
  });
  bindInput('#foreign-rest', 'rest');
  bindInput('#local-api', 'local');
  bindInput('#opt-timeout', 'timeout');
  bindInput('#opt-retry', 'retry');
  bindInput('#opt-ua', 'ua');
  for (const radio of document.querySelectorAll('input[name=auth]')) {
    radio.addEventListener('change', () => setAuth(radio.value));
  }
  $('#login-refresh').addEventListener('click', (e) => {
    e.preventDefault();
    refreshLocalLogin();
  });
  // The connection panel folds away only on phones; on wider screens it stays open.
  const phone = matchMedia('(max-width: 600px)');
  $('#connection').open = !phone.matches;
  phone.addEventListener('change', () => ($('#connection').open = !phone.matches || $('#connection').open));
  $('.conn-summary').addEventListener('click', (e) => {
    if (!phone.matches) e.preventDefault();
  });
  $('#lab-logout').addEventListener('click', () => labLogout());
  $('#oauth-signin').addEventListener('click', () => oauthSignIn());
  $('#oauth-signout').addEventListener('click', () => {
    oauth2Client().signOut();
    renderOAuth();
  });
  $('#scenario-form').addEventListener('submit', (e) => {
    e.preventDefault();
    runScenario();
  });
  $('#abort').addEventListener('click', () => running && running.abort());
  // Back from logging in on the local wiki in another tab: look again.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && !running) refreshLocalLogin();
  });
}

/* ------------------------------------------------------------------------------------------------ start */

let FW;

async function loadLabEnv() {
  try {
    const response = await fetch('../build/lab/env.json', { cache: 'no-store' });
    if (!response.ok) return;
    const env = await response.json();
    lab = { ...lab, ...env };
    labAccounts = [
      { user: env.FW_LAB_ADMIN_USER, pass: env.FW_LAB_ADMIN_PASS },
      { user: env.FW_LAB_TESTER_USER, pass: env.FW_LAB_TESTER_PASS },
    ].filter((a) => a.user && a.pass);
  } catch {
    // not the lab: presets keep their defaults
  }
}

function renderLabButtons() {
  $('#lab-login-buttons').replaceChildren(...labAccounts.map((account) => el('button', {
    type: 'button',
    class: 'small',
    dataset: { user: account.user },
    onclick: () => labLogin(account),
  }, account.user)));
}

async function main() {
  try {
    FW = await import('../js/dist/index.js');
  } catch (error) {
    const box = $('#boot-error');
    box.hidden = false;
    box.textContent = `The library could not be loaded from ../js/dist/ (${error.message}). Build it: bash demo/start.sh (or node js/scripts/build.mjs).`;
    return;
  }
  FW.onTrace(onTraceEntry);
  await loadLabEnv();
  const call = readQuery();
  current = scenarios.find((s) => s.id === call) || scenarios[0];
  renderPresets();
  renderLabButtons();
  renderLegend();
  renderConnection();
  renderTabs();
  $(`.tab[data-scenario="${current.id}"]`)?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  renderFields();
  bindConnection();
  writeQuery();
  document.body.dataset.ready = '1';
  await refreshLocalLogin();
  // Load the wasm engine early, so the first call's timings are the network's, not the module's.
  FW.ready().catch(() => {});
}

main();
