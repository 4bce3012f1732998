// foreign-wasm as a user script and as a gadget on a real wiki (lab wiki A), in headless Chromium, and from npm
// in Node. The code comes from docs/gadget.md: every block marked `<!-- example: NAME -->` there is run as it is,
// with only the example wikis swapped for the lab's (commons/en.wikipedia → wiki B) and User:Example → the
// test account.
//
//   1. dist/foreign-wasm.js saved as User:Admin/foreign-wasm.js, the `user-script` example as User:Admin/common.js;
//      Admin logs in on A, opens a page of A, clicks the tool link: a cross-wiki edit on B with CentralAuth and
//      no options (local wiki and user come from mw.config); read back on B.
//   2. The Manual:CORS examples, unchanged, after ForeignWasm.install() replaced mw.ForeignApi.
//   3. install() before MediaWiki's mediawiki.ForeignApi module has loaded: ours stays in place.
//   4. As a gadget, put on wiki A by js/bin/deploy-gadget.mjs (the library, the ES5 loader, the definition line),
//      loaded by a gadget on a page of A; the deploy's dry run, its conflict refusal and --force.
//   5. The npm package (npm pack of js/) installed into a temporary project and the `npm` example run in Node.
//
// Pages the test changes on wiki A are put back as they were at the end.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { recordWire } from './lib/wire-record.mjs';
import { LAB, REPO, requireCentralAuth } from './lib/lab.mjs';

const ADMIN = LAB.ADMIN;
const LAB_DIR = LAB.env.FW_LAB_DIR;
const MW = LAB.env.FW_LAB_MW || '/usr/share/mediawiki';
const A_INDEX = `${LAB.A}/w/index.php`;
const DOC = readFileSync(join(REPO, 'docs', 'gadget.md'), 'utf8');
const LIBRARY = readFileSync(join(REPO, 'js', 'dist', 'foreign-wasm.js'), 'utf8');

/* ------------------------------------------------------------------------------------------------ the examples */

/** The code block after `<!-- example: name -->` in docs/gadget.md, without the list indentation. */
function example(name) {
  const match = DOC.match(new RegExp(`<!-- example: ${name} -->\\s*\\n([ \\t]*)\`\`\`[a-z]*\\n([\\s\\S]*?)\\n[ \\t]*\`\`\``));
  assert.ok(match, `docs/gadget.md has no example "${name}"`);
  const indent = match[1];
  return match[2].split('\n').map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line)).join('\n');
}

/** The example wikis → the lab's; User:Example → the test account. Nothing else changes. */
function forLab(code) {
  return code
    .replaceAll('https://commons.wikimedia.org/w/api.php', LAB.B_API)
    .replaceAll('https://commons.wikimedia.org/w/rest.php', LAB.B_REST)
    .replaceAll('https://en.wikipedia.org/w/api.php', LAB.B_API)
    .replaceAll('User:Example', `User:${ADMIN.user}`);
}

/* ------------------------------------------------------------------------------------------------ wiki A pages */

function maintenance(script, args, input) {
  return execFileSync('php', [`maintenance/${script}.php`, ...args], {
    cwd: MW,
    env: { ...process.env, MW_CONFIG_FILE: join(LAB_DIR, 'a', 'LocalSettings.php') },
    input,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Saves a page on wiki A as Admin (maintenance/edit.php). */
function editA(title, text, summary = 'foreign-wasm gadget test') {
  maintenance('edit', ['-u', ADMIN.user, '-s', summary, title], text);
}

function deleteA(title) {
  const list = join(mkdtempSync(join(tmpdir(), 'fw-del-')), 'list.txt');
  writeFileSync(list, `${title}\n`);
  maintenance('deleteBatch', ['-u', ADMIN.user, '-r', 'foreign-wasm gadget test: clean up', list]);
  rmSync(list, { force: true });
}

/** The current text of a page on wiki A, or null when it does not exist. */
async function rawA(title) {
  const response = await fetch(`${A_INDEX}?title=${encodeURIComponent(title)}&action=raw&_=${Date.now()}`, { cache: 'no-store' });
  return response.status === 200 ? response.text() : null;
}

// Pages changed by this file, with what to put back.
const touched = new Map();

async function setA(title, text) {
  if (!touched.has(title)) touched.set(title, await rawA(title));
  editA(title, text);
}

async function restoreA() {
  for (const [title, previous] of touched) {
    try {
      if (previous === null) deleteA(title);
      else editA(title, previous, 'foreign-wasm gadget test: restore');
    } catch (error) {
      process.stderr.write(`could not restore ${title} on wiki A: ${error.message}\n`);
    }
  }
  touched.clear();
}

/* ------------------------------------------------------------------------------------------------ wiki B */

async function latestOnB(title) {
  const url = `${LAB.B_API}?action=query&prop=revisions&rvprop=ids|user|content&rvslots=main&format=json&formatversion=2&titles=${encodeURIComponent(title)}`;
  const page = (await (await fetch(url)).json()).query.pages[0];
  const rev = page.revisions?.[0];
  return rev ? { revid: rev.revid, user: rev.user, content: rev.slots.main.content } : null;
}

/* ------------------------------------------------------------------------------------------------ the browser */

let browser;

before(async () => {
  browser = recordWire(await chromium.launch({
    executablePath: process.env.FW_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  }));
});

after(async () => {
  await restoreA();
  await browser?.close();
});

/** A fresh context logged in as Admin on wiki A through Special:UserLogin, as a person would. */
async function loggedInOnA() {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(45000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${A_INDEX}?title=Special:UserLogin`);
  await page.fill('#wpName1', ADMIN.user);
  await page.fill('#wpPassword1', ADMIN.pass);
  await Promise.all([page.waitForNavigation(), page.click('#wpLoginAttempt')]);
  assert.equal(await page.evaluate(() => mw.config.get('wgUserName')), ADMIN.user);
  return { context, page, errors };
}

/** Records what onTrace reports (responses and failures) into window.__fwTrace. */
async function recordTrace(page) {
  await page.evaluate(() => {
    window.__fwTrace = [];
    window.ForeignWasm.onTrace((e) => {
      if (e.phase === 'response' || e.phase === 'failure') {
        window.__fwTrace.push({ purpose: e.purpose, method: e.method, url: e.displayUrl, credentials: e.credentials, status: e.status });
      }
    });
  });
}

const takeTrace = (page) => page.evaluate(() => window.__fwTrace.splice(0));

async function installUserScript() {
  await setA(`User:${ADMIN.user}/foreign-wasm.js`, LIBRARY);
  await setA(`User:${ADMIN.user}/common.js`, forLab(example('user-script')));
}

/** Opens a page of A and waits until common.js has loaded the library and added its tool link. */
async function openWithUserScript(page) {
  await page.goto(`${A_INDEX}/Special:BlankPage`);
  await page.waitForSelector('#t-fw-hello', { timeout: 45000 });
  await page.waitForFunction(() => window.ForeignWasm && mw.ForeignApi === window.ForeignWasm.ForeignApi);
}

/* ------------------------------------------------------------------------------------------------ tests */

test('user script: a cross-wiki edit on B with CentralAuth, no options, read back on B', async (t) => {
  if (!requireCentralAuth(t)) return;
  const code = example('user-script');
  assert.doesNotMatch(code, /=>|\blet\b|\bconst\b|\basync\b|`/, 'the user script example is ES5 (MediaWiki 1.39 checks that)');
  await installUserScript();
  const { context, page, errors } = await loggedInOnA();
  try {
    await openWithUserScript(page);
    assert.equal(await page.evaluate(() => mw.ForeignRest === window.ForeignWasm.ForeignRest), true, 'install() replaced mw.ForeignRest too');
    await recordTrace(page);
    const title = `User:${ADMIN.user}/sandbox`;
    const before = await latestOnB(title);

    await page.click('#t-fw-hello a');
    const note = await page.waitForSelector('.mw-notification:has-text("on Commons")');
    const text = await note.innerText();
    const [, revid] = text.match(/Saved revision (\d+) on Commons\./) || [];
    assert.ok(revid, `notification: ${text}`);

    const now = await latestOnB(title);
    assert.equal(String(now.revid), revid, 'the revision the script reported is the latest on B');
    assert.notEqual(now.revid, before?.revid);
    assert.equal(now.user, ADMIN.user, 'saved under the user logged in on A: CentralAuth carried the login over');
    assert.match(now.content, new RegExp(`\\* Hello from ${LAB.A.replace(/[.]/g, '\\.')} at \\d{4}-`));

    // The library found the local wiki and the user by itself: centralauthtokens from A's own api.php.
    const trace = await takeTrace(page);
    const purposes = trace.map((e) => e.purpose);
    assert.ok(purposes.includes('centralauthtoken') && purposes.includes('token') && purposes.includes('call'), JSON.stringify(trace));
    for (const e of trace.filter((x) => x.purpose === 'centralauthtoken')) assert.ok(e.url.startsWith(LAB.A_API), e.url);
    const call = trace.find((e) => e.purpose === 'call');
    assert.equal(call.method, 'POST');
    assert.ok(call.url.startsWith(LAB.B_API));
    assert.match(call.url, new RegExp(`origin=${encodeURIComponent(LAB.A).replace(/[.]/g, '\\.')}`), 'origin= is the wiki page\'s origin');
    assert.match(call.url, /centralauthtoken=•••/);
    assert.equal(call.credentials, 'omit', 'no cookies of B: the centralauthtoken is the login');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('Manual:CORS examples run unchanged on foreign-wasm after ForeignWasm.install()', async (t) => {
  if (!requireCentralAuth(t)) return;
  await installUserScript();
  const { context, page, errors } = await loggedInOnA();
  try {
    await openWithUserScript(page);
    await recordTrace(page);
    const alerts = [];
    page.on('dialog', (dialog) => {
      alerts.push(dialog.message());
      dialog.accept();
    });

    // "An example that checks whether the user is logged in on the foreign wiki".
    await page.evaluate(`(async () => {\n${forLab(example('manual-cors-userinfo'))}\n})()`);
    assert.equal(alerts.length, 1);
    assert.match(alerts[0], new RegExp(`^Foreign user ${ADMIN.user} \\(ID \\d+\\)$`));
    let trace = await takeTrace(page);
    assert.ok(trace.some((e) => e.purpose === 'centralauthtoken' && e.url.startsWith(LAB.A_API)) &&
      trace.some((e) => e.purpose === 'call' && e.url.startsWith(LAB.B_API) && e.status === 200),
      `foreign-wasm sent the example's requests: ${JSON.stringify(trace)}`);

    // "A basic write API example" (the succinct postWithToken form). First give the option another value, so the
    // read-back proves the example wrote it.
    await page.evaluate(async (api) => {
      await new window.ForeignWasm.ForeignApi(api).postWithToken('csrf', { action: 'options', optionname: 'userjs-test', optionvalue: `before ${Date.now()}` });
    }, LAB.B_API);
    await takeTrace(page);
    await page.evaluate(`(async () => {\n${forLab(example('manual-cors-options'))}\n})()`);
    trace = await takeTrace(page);
    const write = trace.find((e) => e.purpose === 'call' && e.method === 'POST');
    assert.ok(write && write.status === 200 && write.url.startsWith(LAB.B_API), JSON.stringify(trace));
    assert.match(write.url, /action=options/);
    const stored = await page.evaluate(async (api) => {
      const data = await new window.ForeignWasm.ForeignApi(api).get({ action: 'query', meta: 'userinfo', uiprop: 'options' });
      return data.query.userinfo.options['userjs-test'];
    }, LAB.B_API);
    assert.equal(stored, 'Hello world!');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('install() before mediawiki.ForeignApi has loaded keeps foreign-wasm in place', async () => {
  // A page of A without the user script (logged out), the library added like a <script> tag, install() right
  // away, then a Manual:CORS example: its mw.loader.using('mediawiki.ForeignApi') loads MediaWiki's module.
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(`${A_INDEX}/Special:BlankPage`);
    await page.waitForFunction(() => window.mw && mw.loader && mw.loader.using);
    await page.addScriptTag({ url: `${LAB.STATIC}/js/dist/foreign-wasm.js` });
    const state = await page.evaluate(() => mw.loader.getState('mediawiki.ForeignApi'));
    assert.notEqual(state, 'ready', 'precondition: MediaWiki\'s module has not loaded yet');
    await page.evaluate(() => window.ForeignWasm.install());
    await recordTrace(page);
    page.on('dialog', (dialog) => dialog.accept());
    await page.evaluate(`(async () => {\n${forLab(example('manual-cors-userinfo'))}\n})()`);
    const ours = await page.evaluate(() => ({
      api: mw.ForeignApi === window.ForeignWasm.ForeignApi,
      rest: mw.ForeignRest === window.ForeignWasm.ForeignRest,
      name: mw.ForeignApi.name,
    }));
    const trace = await takeTrace(page);
    assert.deepEqual({ api: ours.api, rest: ours.rest }, { api: true, rest: true },
      `after mw.loader.using('mediawiki.ForeignApi'), mw.ForeignApi is MediaWiki's ${ours.name}`);
    assert.ok(trace.length > 0, 'the example\'s request went through foreign-wasm');
  } finally {
    await context.close();
  }
});

/* ------------------------------------------------------------------------------------------------ deploy-gadget */

const DEPLOYED = ['MediaWiki:Gadget-foreign-wasm-core.js', 'MediaWiki:Gadget-foreign-wasm.js'];
const LOADER = readFileSync(join(REPO, 'js', 'gadget', 'loader.js'), 'utf8');
const VERSION = JSON.parse(readFileSync(join(REPO, 'js', 'package.json'), 'utf8')).version;
const BUILD_HASH = createHash('sha256').update(LIBRARY).digest('hex');

/** Runs js/bin/deploy-gadget.mjs against wiki A with the lab's bot password Admin@deploy: {status, out}. */
async function deployGadget(...args) {
  const env = { ...process.env, FW_DEPLOY_USER: LAB.env.FW_LAB_DEPLOY_USER, FW_DEPLOY_PASSWORD: LAB.env.FW_LAB_DEPLOY_PASS };
  const cli = join(REPO, 'js', 'bin', 'deploy-gadget.mjs');
  const result = await new Promise((resolve) => {
    execFile(process.execPath, [cli, '--api', LAB.A_API, '--trace', ...args], { env, encoding: 'utf8', timeout: 60000 },
      (error, stdout, stderr) => resolve({ status: error ? error.code : 0, out: stdout + stderr }));
  });
  assert.ok(!result.out.includes(LAB.env.FW_LAB_DEPLOY_PASS), 'the bot password is not in the output');
  return result;
}

/** The latest revision of each page on A: {title: {revid, user, comment, content} | null}. */
async function latestOnA(titles) {
  const url = `${LAB.A_API}?action=query&prop=revisions&rvprop=ids|user|comment|content&rvslots=main&format=json&formatversion=2&titles=${encodeURIComponent(titles.join('|'))}`;
  const pages = (await (await fetch(url, { cache: 'no-store' })).json()).query.pages;
  return Object.fromEntries(pages.map((p) => [p.title, p.revisions ? { ...p.revisions[0], content: p.revisions[0].slots.main.content } : null]));
}

test('as a gadget, put on wiki A by deploy-gadget: dry run, deploy, a page of A loads it, a hand edit is refused', async (t) => {
  if (!requireCentralAuth(t)) return;
  const site = await (await fetch(`${LAB.A_API}?action=query&meta=siteinfo&siprop=extensions&format=json`)).json();
  assert.ok(site.query.extensions.some((e) => e.name === 'Gadgets'),
    'wiki A must load Extension:Gadgets (tests/lab/up.sh) so the gadget installation from docs/gadget.md is tested');
  // Without a user script in the way; the library's pages start absent (deploy-gadget creates them); the definition
  // has the example gadget and fw-direct, but not yet the library's line (deploy-gadget adds it).
  await setA(`User:${ADMIN.user}/common.js`, '// foreign-wasm gadget test: no user script\n');
  for (const title of DEPLOYED) {
    if (!touched.has(title)) touched.set(title, await rawA(title));
    if ((await latestOnA([title]))[title]) deleteA(title);
  }
  const [libraryLine, userLine] = forLab(example('gadgets-definition')).split('\n');
  const previousDefinition = (await rawA('MediaWiki:Gadgets-definition')) ?? '';
  const others = previousDefinition.split('\n').filter((line) => line.trim() && !/^\*\s*(foreign-wasm|commons-whoami|fw-direct)\b/.test(line));
  await setA('MediaWiki:Gadgets-definition', [...others, userLine, '* fw-direct[ResourceLoader|hidden]|foreign-wasm-core.js', ''].join('\n'));
  await setA('MediaWiki:Gadget-commons-whoami.js', forLab(example('gadget-user')));
  await setA('MediaWiki:Gadget-commons-whoami', 'Shows who you are on Commons (foreign-wasm example)');

  // --dry-run: the diff, nothing written.
  let run = await deployGadget('--dry-run');
  assert.equal(run.status, 0, run.out);
  assert.match(run.out, /MediaWiki:Gadget-foreign-wasm-core\.js: would create\n/);
  assert.match(run.out, /MediaWiki:Gadget-foreign-wasm\.js: would create\n {4}\+ \/\/ MediaWiki:Gadget-foreign-wasm\.js: loads/);
  assert.ok(run.out.includes(`MediaWiki:Gadgets-definition: would update\n`) && run.out.includes(`    + ${libraryLine}\n`), run.out);
  assert.deepEqual(Object.values(await latestOnA(DEPLOYED)), [null, null], 'a dry run writes nothing');

  // The deploy: login, one read of the three pages, create() twice, edit() of the definition (its own read) — all
  // to A's api.php, POST for the password and the writes. One csrf fetch: mw.Api's create() asserts the user name,
  // and that token serves edit(), which asserts only a login.
  run = await deployGadget();
  assert.equal(run.status, 0, run.out);
  const requests = run.out.split('\n').filter((line) => /^ {2}(GET|POST) /.test(line));
  t.diagnostic(`deploy requests:\n${requests.join('\n')}`);
  const step = (line) => `${line.trim().split(' ')[0]} ${/[?&]action=login/.test(line) ? 'login' : /type=login/.test(line) ? 'login token' :
    /type=csrf/.test(line) ? 'csrf token' : /action=edit/.test(line) ? 'edit' : 'read'}`;
  assert.deepEqual(requests.map(step), ['GET login token', 'POST login', 'GET read', 'GET csrf token', 'POST edit', 'POST edit',
    'GET read', 'POST edit'], run.out);
  for (const line of requests) {
    assert.ok(line.includes(` 200 ${LAB.A_API}`), line);
    assert.doesNotMatch(line, /(lg)?password=|token=(?!•)/, 'no password or token in a URL');
  }
  assert.equal(requests.filter((line) => /action=(login|edit)/.test(line) && line.startsWith('  POST')).length, 4);
  assert.match(run.out, new RegExp(`^foreign-wasm ${VERSION.replace(/\./g, '\\.')}, dist/foreign-wasm\\.js sha256 ${BUILD_HASH}$`, 'm'));
  const deployed = await latestOnA([...DEPLOYED, 'MediaWiki:Gadgets-definition']);
  assert.equal(deployed[DEPLOYED[0]].content, LIBRARY);
  assert.equal(deployed[DEPLOYED[1]].content, LOADER.trimEnd(), 'the loader, as MediaWiki stores it (trailing newline trimmed)');
  assert.ok(deployed['MediaWiki:Gadgets-definition'].content.split('\n').includes(libraryLine));
  for (const revision of Object.values(deployed)) {
    assert.equal(revision.user, ADMIN.user, 'saved by the bot password\'s user');
    assert.ok(revision.comment.startsWith(`foreign-wasm ${VERSION} deploy (build sha256 ${BUILD_HASH}; page sha256 `), revision.comment);
  }

  // Deployed again: nothing to do, no edit.
  run = await deployGadget();
  assert.equal(run.status, 0, run.out);
  assert.equal((run.out.match(/: unchanged$/gm) || []).length, 3, run.out);
  assert.deepEqual(Object.values(await latestOnA(DEPLOYED)).map((r) => r.revid), DEPLOYED.map((title) => deployed[title].revid));

  // The gadget on a page of A: the definition is cached. Extension:Gadgets (1.39) keeps the parsed definition in each
  // server's APCu for a blind 7–15 s that an edit does not purge (MediaWikiGadgetsDefinitionRepo), so the wait must
  // outlast 15 s: up to 30 s.
  for (let i = 0; ; i++) {
    const gadgets = await (await fetch(`${LAB.A_API}?action=query&list=gadgets&format=json&_=${Date.now()}`)).json();
    const ids = (gadgets.query?.gadgets || []).map((g) => g.id);
    if (ids.includes('commons-whoami') && ids.includes('foreign-wasm')) break;
    assert.ok(i < 60, `the gadgets never showed up: ${ids}`);
    await new Promise((r) => setTimeout(r, 500));
  }

  // Why the loader: the library as a gadget page is refused by MediaWiki 1.39's ES5 check.
  const direct = await (await fetch(`${LAB.A}/w/load.php?modules=ext.gadget.fw-direct&only=scripts&_=${Date.now()}`)).text();
  assert.match(direct, /JavaScript parse error \(scripts need to be valid ECMAScript 5\)/);

  const { context, page, errors } = await loggedInOnA();
  try {
    // The user turns the gadget on in Special:Preferences (here: the same option through the API).
    await page.goto(`${A_INDEX}/Special:BlankPage`);
    await page.evaluate(async () => {
      await mw.loader.using('mediawiki.api');
      await new mw.Api().saveOption('gadget-commons-whoami', '1');
    });
    await page.goto(`${A_INDEX}/Special:BlankPage`);
    const note = await page.waitForSelector('.mw-notification:has-text("On Commons you are")');
    assert.equal((await note.innerText()).trim(), `On Commons you are ${ADMIN.user}.`);
    assert.equal(await page.evaluate(() => mw.loader.getState('ext.gadget.foreign-wasm')), 'ready');
    assert.equal(await page.evaluate(() => typeof window.ForeignWasm.ForeignApi), 'function');
    await page.evaluate(async () => {
      await new mw.Api().saveOption('gadget-commons-whoami', null);
    });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }

  // Somebody fixes the loader by hand: the next deploy refuses (exit 1, nothing written), the dry run shows why,
  // and --force puts the release back.
  const fixed = `${LOADER.trimEnd()}\n// a local fix`;
  editA(DEPLOYED[1], fixed, 'local fix to the loader');
  run = await deployGadget();
  assert.equal(run.status, 1, run.out);
  assert.match(run.out, new RegExp(`refused: changed by somebody else since the last deploy[^\\n]*\\n {2}MediaWiki:Gadget-foreign-wasm\\.js: revision \\d+ by ${ADMIN.user} at [^ ]+ \\("local fix to the loader"\\)`));
  assert.equal((await latestOnA([DEPLOYED[1]]))[DEPLOYED[1]].content, fixed, 'the refused deploy wrote nothing');
  run = await deployGadget('--dry-run');
  assert.equal(run.status, 1, run.out);
  assert.match(run.out, /MediaWiki:Gadget-foreign-wasm\.js: conflict: changed by somebody else[^\n]*\n {4}…\n {8}return window\.ForeignWasm;\n {6}\}\);\n {4}- \/\/ a local fix/);
  run = await deployGadget('--force');
  assert.equal(run.status, 0, run.out);
  assert.match(run.out, /MediaWiki:Gadget-foreign-wasm\.js: updated, revision \d+/);
  assert.equal((await latestOnA([DEPLOYED[1]]))[DEPLOYED[1]].content, LOADER.trimEnd());
});

test('from npm: the packed package installed in a new project, the npm example run in Node', { timeout: 120000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fw-npm-'));
  try {
    const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: join(REPO, 'js'), encoding: 'utf8' })
      .trim().split('\n').pop();
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fw-npm-example', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', '--loglevel=error', join(dir, packed)], { cwd: dir, encoding: 'utf8' });
    writeFileSync(join(dir, 'example.mjs'), forLab(example('npm')));
    const out = execFileSync(process.execPath, ['example.mjs'], { cwd: dir, encoding: 'utf8', timeout: 60000 });
    assert.match(out, /^sitename: Wiki B$/m);
    assert.match(out, /^titles: .*Main Page/m);
    assert.match(out, /^call GET 200 http:\/\/127\.0\.0\.2:8202\/w\/api\.php\?action=query&format=json&origin=(\*|%2A)&meta=siteinfo$/m,
      'anonymous: origin=* (the library always sends it in anonymous mode)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
