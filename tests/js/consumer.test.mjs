// The package as a user gets it: `npm pack`, installed from the tarball into an empty project, imported by name from
// Node, and type-checked through its `exports` (types first) with tsc.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const jsDir = join(here, '..', '..', 'js');
const tsc = join(jsDir, 'node_modules', '.bin', 'tsc');

const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

test('npm pack → npm install <tarball> → import "foreign-wasm" from Node → tsc on a typed consumer', async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'fw-consumer-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));

  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], jsDir));
  const files = packed[0].files.map((f) => f.path).sort();
  for (const needed of ['dist/index.js', 'dist/foreign-wasm-core.mjs', 'dist/foreign-wasm-core.wasm', 'dist/foreign-wasm.js', 'types/index.d.ts', 'package.json']) {
    assert.ok(files.includes(needed), `${needed} missing from the tarball`);
  }
  assert.ok(!files.some((f) => f.startsWith('src/') || f.startsWith('scripts/') || f.includes('node_modules')), files.join(' '));
  assert.ok(!files.includes('dist/script.js'), 'the classic-script entry is bundled into foreign-wasm.js');
  const manifest = JSON.parse(readFileSync(join(jsDir, 'package.json'), 'utf8'));
  assert.equal(manifest.dependencies, undefined, 'no runtime dependencies');
  assert.equal(Object.keys(manifest.exports['.'])[0], 'types', '"types" must come first in exports');

  const project = join(work, 'project');
  run('mkdir', ['-p', project], work);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(work, packed[0].filename)], project);
  assert.ok(existsSync(join(project, 'node_modules', 'foreign-wasm', 'dist', 'foreign-wasm-core.wasm')));

  writeFileSync(
    join(project, 'use.mjs'),
    `import { ForeignApi, ApiError } from 'foreign-wasm';
const seen = [];
globalThis.fetch = async (url, init) => {
  seen.push({ url: String(url), credentials: init.credentials });
  return new Response(JSON.stringify({ batchcomplete: '', query: { userinfo: { id: 0, name: '127.0.0.1', anon: '' } } }),
    { headers: { 'content-type': 'application/json' } });
};
const api = new ForeignApi('https://wiki.example.org/w/api.php', { anonymous: true });
const result = await api.get({ action: 'query', meta: 'userinfo' });
console.log(JSON.stringify({ name: result.query.userinfo.name, seen, named: new ApiError('x', 'y').name }));
`,
  );
  const out = JSON.parse(run(process.execPath, ['use.mjs'], project).trim());
  assert.equal(out.name, '127.0.0.1');
  assert.equal(out.named, 'ApiError');
  assert.equal(out.seen.length, 1);
  assert.equal(out.seen[0].credentials, 'omit');
  assert.match(out.seen[0].url, /^https:\/\/wiki\.example\.org\/w\/api\.php\?action=query&format=json&origin=%2A&meta=userinfo$/);

  copyFileSync(join(here, 'types-consumer.ts'), join(project, 'types-consumer.ts'));
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'], skipLibCheck: false },
      files: ['types-consumer.ts'],
    }),
  );
  try {
    run(tsc, ['-p', 'tsconfig.json'], project);
  } catch (error) {
    assert.fail(`tsc rejected the typed consumer:\n${error.stdout}${error.stderr}`);
  }
});
