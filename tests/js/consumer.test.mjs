// The package as a user gets it: `npm pack`, installed from the tarball into an empty project, imported and
// required by name from Node, and type-checked through its `exports` (types first) with tsc — off-wiki with
// nothing else installed (types-consumer.ts), and on a wiki page next to types-mediawiki (types-mediawiki.ts).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const jsDir = join(here, '..', '..', 'js');
const tsc = join(jsDir, 'node_modules', '.bin', 'tsc');

const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const compilerOptions = {
  strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'], skipLibCheck: false,
};

function typeCheck(project, name, file, types) {
  copyFileSync(join(here, file), join(project, file));
  writeFileSync(join(project, name), JSON.stringify({ compilerOptions: { ...compilerOptions, types }, files: [file] }));
  try {
    run(tsc, ['-p', name, '--pretty', 'false'], project);
  } catch (error) {
    assert.fail(`tsc rejected ${file}:\n${error.stdout}${error.stderr}`);
  }
}

describe('npm pack → npm install <tarball> → a consumer project', () => {
  let work;
  let project;
  let files;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'fw-consumer-'));
    // --ignore-scripts: prepack would rebuild js/dist while other test files read it (tests/js/run.sh already
    // packed once through prepack).
    const packed = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], jsDir));
    files = packed[0].files.map((f) => f.path).sort();
    project = join(work, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(work, packed[0].filename)], project);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('the tarball has the builds and the types, the manifest no runtime dependencies', () => {
    for (const needed of ['dist/index.js', 'dist/index.cjs', 'dist/foreign-wasm-core.mjs', 'dist/foreign-wasm-core.wasm', 'dist/foreign-wasm.js', 'types/index.d.ts', 'package.json']) {
      assert.ok(files.includes(needed), `${needed} missing from the tarball`);
    }
    assert.ok(!files.includes('dist/script.js'), 'the classic-script entry is bundled into foreign-wasm.js');
    const manifest = JSON.parse(readFileSync(join(jsDir, 'package.json'), 'utf8'));
    assert.equal(manifest.dependencies, undefined, 'no runtime dependencies');
    assert.equal(Object.keys(manifest.exports['.'])[0], 'types', '"types" must come first in exports');
    assert.ok(existsSync(join(project, 'node_modules', 'foreign-wasm', 'dist', 'foreign-wasm-core.wasm')));
  });

  it('import "foreign-wasm" from Node: a call goes out as the wire format says', () => {
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
  });

  it('require("foreign-wasm"): the ES module itself where Node can require() ES modules, else a clear error', () => {
    writeFileSync(
      join(project, 'use.cjs'),
      `const required = require('foreign-wasm');
import('foreign-wasm').then((imported) => console.log(JSON.stringify({
  type: typeof required.ForeignApi, same: required.ForeignApi === imported.ForeignApi,
})));
`,
    );
    if (process.features.require_module) {
      const out = JSON.parse(run(process.execPath, ['use.cjs'], project).trim());
      assert.deepEqual(out, { type: 'function', same: true }, 'require() and import share one module (one engine)');
    }
    // What Node 18 (and 20 before 20.19, 22 before 22.12) does; this flag turns require(esm) off where it is on.
    const noRequireEsm = process.features.require_module ? ['--no-experimental-require-module'] : [];
    let failure;
    try {
      run(process.execPath, [...noRequireEsm, 'use.cjs'], project);
    } catch (error) {
      failure = error.stderr;
    }
    assert.ok(failure, 'require() must fail without require(esm)');
    assert.match(failure, /foreign-wasm is an ES module package/);
    assert.match(failure, /await import\('foreign-wasm'\)/);
    assert.match(failure, /code: 'ERR_REQUIRE_ESM'/);
  });

  it('tsc, off-wiki: a typed consumer with no types but the package (types-consumer.ts)', () => {
    typeCheck(project, 'tsconfig.offwiki.json', 'types-consumer.ts', []);
  });

  it('tsc --checkJs: the example of js/README.md (the package page) fits the types', () => {
    const readme = readFileSync(join(jsDir, 'README.md'), 'utf8');
    const example = /^## Example\n\n```js\n([\s\S]*?)^```$/m.exec(readme);
    assert.ok(example, 'js/README.md has an "## Example" js block');
    writeFileSync(join(project, 'readme-example.mjs'), example[1]);
    writeFileSync(
      join(project, 'tsconfig.readme.json'),
      JSON.stringify({ compilerOptions: { ...compilerOptions, types: [], allowJs: true, checkJs: true }, files: ['readme-example.mjs'] }),
    );
    try {
      run(tsc, ['-p', 'tsconfig.readme.json', '--pretty', 'false'], project);
    } catch (error) {
      assert.fail(`tsc rejected the js/README.md example:\n${error.stdout}${error.stderr}`);
    }
  });

  it('tsc, on a wiki page: next to types-mediawiki, what fits mw.ForeignApi / mw.ForeignRest and what differs (types-mediawiki.ts)', () => {
    // types-mediawiki and OOUI's types (its hook typings name OO.ui) from js/'s devDependencies.
    mkdirSync(join(project, 'node_modules', '@types'), { recursive: true });
    for (const name of ['types-mediawiki', 'types-mediawiki-api', '@types/oojs-ui']) {
      symlinkSync(join(jsDir, 'node_modules', name), join(project, 'node_modules', name), 'dir');
    }
    typeCheck(project, 'tsconfig.onwiki.json', 'types-mediawiki.ts', ['types-mediawiki', 'oojs-ui']);
  });
});
