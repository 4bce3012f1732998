// README.md's two helper examples, run as written against the lab: only the wikis' URLs, the page title, the file
// name and (Node) the import path are swapped for the lab's. "Node: a bot" runs in a child node process with the
// lab's bot password; "A tool page" runs in Chromium on the static origin with CentralAuth (Admin logged in on A).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { DIST, LAB, REPO, requireCentralAuth, uniqueTitle } from './lib/lab.mjs';
import { launch, loginInBrowser, newPage, openHarness, readB } from './lib/browser.mjs';

const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
function example(heading) {
  const match = new RegExp(`^### ${heading}\\n\\n\`\`\`js\\n([\\s\\S]*?)^\`\`\`$`, 'm').exec(readme);
  assert.ok(match, `README.md has a js block under "### ${heading}"`);
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
