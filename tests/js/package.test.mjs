// The npm package as it would be published: exactly the intended files, the license and changelog inside, the
// repository metadata, and `npm publish --dry-run` accepting the tarball — offline, checked by pointing npm at a
// loopback "registry" that counts connections (there must be none).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const jsDir = join(repo, 'js');
const manifest = JSON.parse(readFileSync(join(jsDir, 'package.json'), 'utf8'));

// What the tarball holds, no more: the two builds, the CommonJS entry, foreign-wasm/oauth1 (Node only, its own
// wasm), the types, the deploy-gadget command with the gadget's ES5 loader, and the package's documents.
const INTENDED = [
  'CHANGELOG.md',
  'LICENSE',
  'README.md',
  'bin/deploy-gadget.mjs',
  'bin/deploy/deploy.mjs',
  'bin/deploy/line-diff.mjs',
  'bin/deploy/pages.mjs',
  'dist/foreign-wasm-core.mjs',
  'dist/foreign-wasm-core.wasm',
  'dist/foreign-wasm-oauth1.mjs',
  'dist/foreign-wasm-oauth1.wasm',
  'dist/foreign-wasm.js',
  'dist/index.cjs',
  'dist/index.js',
  'dist/oauth1.js',
  'gadget/loader.js',
  'package.json',
  'types/index.d.ts',
  'types/oauth1.d.ts',
];
// The only hosts a shipped file may name: the repository, the docs' example wikis, and reference links.
const HOSTS = /^(github\.com|semver\.org|www\.mediawiki\.org|commons\.wikimedia\.org|en\.wikipedia\.org|([a-z0-9-]+\.)*example(\.org)?)$/;

const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('the npm package', () => {
  let work;
  let packed;
  let tarball;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'fw-package-'));
    // --ignore-scripts: js/dist is already built (tests/js/run.sh packs through prepack first).
    packed = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], jsDir))[0];
    tarball = join(work, packed.filename);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('the tarball holds exactly the intended files', () => {
    assert.deepEqual(packed.files.map((f) => f.path).sort(), INTENDED);
    assert.equal(packed.name, 'foreign-wasm');
    assert.equal(packed.version, manifest.version);
  });

  it('LICENSE (MIT, the repository root one), README and the CHANGELOG entry of this version ship', () => {
    const license = readFileSync(join(repo, 'LICENSE'), 'utf8');
    assert.equal(readFileSync(join(jsDir, 'LICENSE'), 'utf8'), license, 'js/LICENSE must be a copy of LICENSE');
    assert.match(license, /^MIT License\n\nCopyright \(c\) \d{4} foreign-wasm contributors\n/);
    assert.equal(manifest.license, 'MIT');
    const changelog = readFileSync(join(jsDir, 'CHANGELOG.md'), 'utf8');
    assert.match(changelog, new RegExp(`^## ${manifest.version.replace(/\./g, '\\.')}$`, 'm'), `CHANGELOG.md has no "## ${manifest.version}"`);
    assert.match(readFileSync(join(jsDir, 'README.md'), 'utf8'), /^# foreign-wasm\n/);
  });

  it('package.json: repository, homepage, bugs, author; prepack builds dist/; exports for import, require, types', () => {
    const base = 'https://github.com/foreign-wasm/foreign-wasm';
    assert.deepEqual(manifest.repository, { type: 'git', url: `git+${base}.git`, directory: 'js' });
    assert.equal(manifest.homepage, `${base}#readme`);
    assert.deepEqual(manifest.bugs, { url: `${base}/issues` });
    assert.equal(manifest.author, 'foreign-wasm contributors');
    assert.equal(manifest.scripts.prepack, 'node scripts/build.mjs --no-pack');
    assert.deepEqual(manifest.exports['.'], { types: './types/index.d.ts', require: './dist/index.cjs', default: './dist/index.js' });
    // OAuth 1 handles consumer secrets: a Node-only subpath, never the browser or gadget entry.
    assert.deepEqual(manifest.exports['./oauth1'], { types: './types/oauth1.d.ts', node: './dist/oauth1.js' });
  });

  it('no file in the tarball names a host other than the repository, example wikis and reference links', () => {
    const unpacked = join(work, 'unpacked');
    mkdirSync(unpacked);
    run('tar', ['-xzf', tarball, '-C', unpacked], work);
    const foreign = new Set();
    for (const file of INTENDED) {
      const text = readFileSync(join(unpacked, 'package', file), 'latin1');
      for (const [, host] of text.matchAll(/[a-z][a-z0-9+.-]*:\/\/([a-zA-Z0-9.-]+)/g)) if (!HOSTS.test(host)) foreign.add(`${file}: ${host}`);
    }
    assert.deepEqual([...foreign], []);
  });

  it('dist/foreign-wasm.js is what a wiki page holding it returns (so its sha256 checks a deployed gadget)', () => {
    // MediaWiki's pre-save transform of a .js page normalises line ends, trims trailing whitespace, expands
    // signatures and subst:, and completes [[a|]] links; NFC-normalises non-ASCII text. None may apply.
    const script = readFileSync(join(jsDir, 'dist', 'foreign-wasm.js'), 'latin1');
    assert.ok(/^[\x20-\x7e\n]*$/.test(script), 'printable ASCII and LF only');
    assert.equal(script, script.trimEnd(), 'no trailing whitespace');
    for (const trigger of ['~~~', 'subst:', '|]]', '<nowiki', '<includeonly', '<noinclude', '<onlyinclude']) {
      assert.ok(!script.includes(trigger), `contains ${trigger}`);
    }
  });

  it('the lock files record no download addresses', () => {
    for (const lock of run('git', ['ls-files', '*package-lock.json'], repo).split('\n').filter(Boolean)) {
      const text = readFileSync(join(repo, lock), 'utf8');
      assert.ok(!/"resolved":/.test(text), `${lock} has "resolved" entries (npm with omit-lockfile-registry-resolved=true leaves them out)`);
    }
  });

  it('packing is reproducible: the same files give the same tarball', () => {
    const again = join(work, 'again');
    mkdirSync(again);
    const second = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', again], jsDir))[0];
    assert.equal(sha256(join(again, second.filename)), sha256(tarball));
  });

  it('npm publish --dry-run accepts the tarball, without contacting any registry', async () => {
    let connections = 0;
    const registry = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise((resolve) => registry.listen(0, '127.0.0.1', resolve));
    try {
      const { stdout, stderr } = await promisify(execFile)(
        'npm',
        ['publish', tarball, '--dry-run', '--offline', `--registry=http://127.0.0.1:${registry.address().port}/`, '--no-audit', '--no-fund'],
        { cwd: work, encoding: 'utf8', timeout: 60000 },
      );
      const output = stdout + stderr;
      assert.match(output, /\(dry-run\)/);
      assert.match(stdout, new RegExp(`^\\+ foreign-wasm@${manifest.version.replace(/\./g, '\\.')}$`, 'm'));
      assert.match(output, /total files: 19/);
      // npm warns about, and silently rewrites, manifest fields it finds wrong; the only warning allowed is the
      // dry-run's "you would need to log in".
      const warnings = output.split('\n').filter((line) => /npm (warn|error)/i.test(line) && !/requires you to be logged in/.test(line));
      assert.deepEqual(warnings, []);
    } finally {
      registry.close();
    }
    assert.equal(connections, 0, 'npm publish --dry-run --offline connected to the registry');
  });
});
