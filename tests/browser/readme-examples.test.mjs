// README.md's examples, run as written against the lab: only the wikis' URLs, the page title, the file name, the
// OAuth client and the import path are swapped for the lab's. "Node: a bot" runs in a child node process with the
// lab's bot password; "A tool page" runs in Chromium on the static origin with CentralAuth (Admin logged in on A);
// "OAuth 2 on a tool page" is a page of the static origin (written into build/) that Chromium opens, signs in from
// with the full-page redirect (Tester logged in on B, the consent form clicked) and comes back to.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { DIST, LAB, REPO, requireCentralAuth, uniqueTitle } from './lib/lab.mjs';
import { launch, loginInBrowser, newPage, openHarness, readB } from './lib/browser.mjs';

const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
function example(heading) {
  const match = new RegExp(`^#{2,3} ${heading}\\n\\n\`\`\`js\\n([\\s\\S]*?)^\`\`\`$`, 'm').exec(readme);
  assert.ok(match, `README.md has a js block under the heading "${heading}"`);
  return match[1];
}
function swap(code, pairs) {
  for (const [from, to] of pairs) {
    assert.ok(code.includes(from), `the example still contains ${from}`);
    code = code.split(from).join(to);
  }
  return code;
}

const dir = mkdtempSync(join(tmpdir(), 'fw-readme-'));
let browser;
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await browser?.close();
});

test('README "Node: a bot" runs as written', async () => {
  const FW = await import(pathToFileURL(join(DIST, 'index.js')).href);
  const sandbox = uniqueTitle('User:Tester/readme sandbox');
  const filename = `Readme-report-${Date.now()}.txt`;
  // The page the example edits must exist (edit() never creates: nocreate).
  const setup = new FW.ForeignApi(LAB.B_API);
  await setup.login(LAB.env.FW_LAB_BOT_USER, LAB.env.FW_LAB_BOT_PASS);
  await setup.create(sandbox, {}, 'Report log');
  await FW.shutdown();
  writeFileSync(join(dir, 'report.txt'), `readme report ${Date.now()}\n`.repeat(60000)); // ~1.6 MB: two chunks
  const code = swap(example('Node: a bot'), [
    ["from 'foreign-wasm'", `from ${JSON.stringify(pathToFileURL(join(DIST, 'index.js')).href)}`],
    ['https://commons.wikimedia.org/w/api.php', LAB.B_API],
    ['User:Example/sandbox', sandbox],
    ['Example-report.txt', filename],
  ]);
  writeFileSync(join(dir, 'bot.mjs'), code);
  const { stdout } = await promisify(execFile)(process.execPath, ['bot.mjs'], {
    cwd: dir,
    env: { ...process.env, BOT_USER: LAB.env.FW_LAB_BOT_USER, BOT_PASSWORD: LAB.env.FW_LAB_BOT_PASS },
  });
  assert.match(stdout, /^1048576 \/ \d+ bytes$/m);
  const page = await readB({ action: 'query', prop: 'revisions', rvprop: 'content', rvslots: 'main', titles: sandbox });
  assert.equal(page.query.pages[0].revisions[0].slots.main.content, 'Report log\n* checked');
  const file = await readB({ action: 'query', prop: 'imageinfo', iiprop: 'user', titles: `File:${filename}` });
  assert.equal(file.query.pages[0].imageinfo[0].user, LAB.TESTER.user);
});

test('README "A tool page" runs as written, in Chromium with CentralAuth', async (t) => {
  if (!requireCentralAuth(t)) return;
  browser = await launch();
  const ctx = await newPage(browser);
  await loginInBrowser(ctx.page, LAB.A, LAB.ADMIN);
  await openHarness(ctx.page, 'esm');
  await ctx.page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<input type="file"><progress></progress>'));
  const name = `Readme-tool-${Date.now()}.txt`;
  await ctx.page.setInputFiles('input[type=file]', { name, mimeType: 'text/plain', buffer: Buffer.from(`readme tool ${name}\n`.repeat(50000)) });
  const code = swap(example('A tool page'), [
    ["import { ForeignApi } from 'foreign-wasm';", 'const { ForeignApi } = FW;'],
    ['https://commons.wikimedia.org/w/api.php', LAB.B_API],
    ['https://meta.wikimedia.org/w/api.php', LAB.A_API],
  ]);
  await ctx.page.evaluate(`(async () => { ${code} })()`);
  const size = Buffer.byteLength(`readme tool ${name}\n`) * 50000;
  assert.equal(await ctx.page.title(), `File:${name.replace(/^./, (c) => c.toUpperCase())}: ${size} bytes`);
  assert.equal(await ctx.page.evaluate(() => document.querySelector('progress').value), 1);
  const file = await readB({ action: 'query', prop: 'imageinfo', iiprop: 'user', titles: `File:${name}` });
  assert.equal(file.query.pages[0].imageinfo[0].user, LAB.ADMIN.user);
});

test('README "OAuth 2 on a tool page" runs as written: full-page redirect, consent, a Bearer REST edit as the user', async (t) => {
  if (LAB.env.FW_LAB_OAUTH !== '1') {
    const message = '!!! Extension:OAuth is NOT in this lab (FW_LAB_OAUTH=0): the README OAuth 2 example did NOT run.';
    if (process.env.CI === 'true') throw new Error(`${message} (CI=true: this is a failure)`);
    t.skip(message);
    return;
  }
  const title = uniqueTitle('User:Tester/readme OAuth');
  const code = swap(example('OAuth 2 on a tool page'), [
    ["from 'foreign-wasm'", "from '/js/dist/index.js'"],
    ['https://meta.example.org/w/rest.php', LAB.B_REST],
    ['<client id>', LAB.env.FW_LAB_OAUTH2_PUBLIC_ID],
    ['https://tool.example.net/oauth2-callback.html', LAB.env.FW_LAB_OAUTH2_PUBLIC_REDIRECT],
    ['User:Example/OAuth', title],
  ]);
  // The tool page: the example as its module, and the two elements it uses.
  const pages = join(REPO, 'build', 'readme-examples');
  mkdirSync(pages, { recursive: true });
  writeFileSync(join(pages, 'oauth2.html'), '<!doctype html>\n<meta charset="utf-8">\n<title>README OAuth 2</title>\n' +
    `<button id="signIn" hidden>Sign in</button>\n<output id="saved"></output>\n<script type="module">\n${code}\n</script>\n`);
  browser ??= await launch();
  const ctx = await newPage(browser);
  const errors = [];
  ctx.page.on('pageerror', (e) => errors.push(String(e)));
  await loginInBrowser(ctx.page, LAB.B, LAB.TESTER);
  const t0 = Date.now();
  await ctx.page.goto(`${LAB.STATIC}/build/readme-examples/oauth2.html`);
  await ctx.page.click('#signIn'); // shown: not authorized yet
  // The consent form on B (shown on every authorization, tests/lab/README.md), then back to the tool page.
  const accept = ctx.page.locator('#mw-mwoauth-authorize-form [name=accept]');
  await accept.waitFor({ timeout: 45000 });
  assert.equal(new URL(ctx.page.url()).origin, LAB.B, 'the whole page went to the consent form on B');
  await accept.click();
  await ctx.page.waitForURL(`${LAB.STATIC}/build/readme-examples/oauth2.html`, { timeout: 45000 });
  const saved = await ctx.page.waitForSelector('#saved:has-text("Saved revision")', { timeout: 45000 });
  const [, revid] = (await saved.innerText()).match(/^Saved revision (\d+) as you\.$/) || [];
  t.diagnostic(`redirect flow and REST PUT: ${Date.now() - t0} ms`);
  assert.ok(revid, await saved.innerText());
  const rev = await readB({ action: 'query', prop: 'revisions', rvprop: 'ids|user|tags', titles: title });
  assert.equal(String(rev.query.pages[0].revisions[0].revid), revid);
  assert.equal(rev.query.pages[0].revisions[0].user, LAB.TESTER.user);
  assert.ok(rev.query.pages[0].revisions[0].tags.some((tag) => /^OAuth CID: \d+$/.test(tag)), 'saved through OAuth');
  assert.equal(await ctx.page.evaluate(() => document.getElementById('signIn').hidden), true);
  assert.deepEqual(errors, []);
  await ctx.context.close();
});
