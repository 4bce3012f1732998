// js/types/index.d.ts against the code: every member the built library has at runtime — the package's exports,
// globalThis.ForeignWasm of the script build, and the static, prototype and instance members of the classes — must
// have a declaration (a public one, or `private` for internals), and every declared export must exist. The check
// writes one TypeScript line per runtime member and lets tsc judge it, so the d.ts is read by the compiler itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { json, loadBuild } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const jsDir = join(here, '..', '..', 'js');
const tsc = join(jsDir, 'node_modules', '.bin', 'tsc');

// Members every object or function has, which the d.ts need not repeat.
const builtins = new Set(['constructor', 'length', 'name', 'prototype']);
const own = (object) => Object.getOwnPropertyNames(object).filter((name) => !builtins.has(name));

/** [{type, member}] — `type` a TypeScript type expression, `member` a runtime property name. */
async function runtimeMembers() {
  const esm = await loadBuild('esm');
  const script = await loadBuild('script');
  const lib = esm.lib;
  const members = [];
  const add = (type, names) => names.forEach((member) => members.push({ type, member }));

  add('typeof fw', Object.keys(lib));
  add('fw.ForeignWasmGlobal', Object.keys(script.lib));
  assert.deepEqual(Object.keys(script.lib).sort(), Object.keys(lib).sort(), 'both builds export the same names');

  const api = new lib.ForeignApi('https://types.example.org/w/api.php', { anonymous: true });
  const rest = new lib.ForeignRest('https://types.example.org/w/rest.php', api);
  for (const [name, instance] of [['ForeignApi', api], ['ForeignRest', rest]]) {
    add(`typeof fw.${name}`, own(lib[name]));
    add(`fw.${name}`, own(lib[name].prototype));
    add(`fw.${name}`, own(instance));
  }
  add('typeof fw.CompatPromise', own(lib.CompatPromise));
  add('fw.CompatPromise<unknown>', own(lib.CompatPromise.prototype));
  esm.net.reply(() => json({ batchcomplete: '' }));
  const call = api.get({ action: 'query' });
  add('fw.AbortablePromise<unknown>', own(call));
  await call;
  for (const name of Object.keys(lib).filter((key) => /Error$/.test(key))) {
    add(`typeof fw.${name}`, own(lib[name]));
    add(`fw.${name}`, own(lib[name].prototype));
    add(`fw.${name}`, own(new lib[name]('code', 'info')));
  }
  await esm.reset();
  await script.reset();
  return members;
}

test('every runtime member of the built library is declared in js/types/index.d.ts, every declared export exists', async (t) => {
  const members = await runtimeMembers();
  const exportNames = members.filter((m) => m.type === 'typeof fw').map((m) => m.member);
  const lines = [
    "import * as fw from 'foreign-wasm';",
    // Declared but missing at runtime: a property of this literal is missing (TS2741/TS2739).
    `export const declaredExports: Record<keyof typeof fw, true> = { ${exportNames.map((n) => `${n}: true`).join(', ')} };`,
    `export const declaredGlobal: Record<keyof fw.ForeignWasmGlobal, true> = { ${exportNames.map((n) => `${n}: true`).join(', ')} };`,
  ];
  const lineOf = new Map();
  members.forEach(({ type, member }, i) => {
    lines.push(`declare const v${i}: ${type}; v${i}.${member};`);
    lineOf.set(lines.length, `${type} · ${member}`);
  });

  const work = mkdtempSync(join(tmpdir(), 'fw-dts-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  writeFileSync(join(work, 'members.ts'), lines.join('\n') + '\n');
  writeFileSync(
    join(work, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true, noEmit: true, module: 'esnext', moduleResolution: 'bundler', target: 'es2022', lib: ['es2022', 'dom'],
        types: [], paths: { 'foreign-wasm': [join(jsDir, 'types', 'index.d.ts')] },
      },
      files: ['members.ts'],
    }),
  );
  let output = '';
  try {
    execFileSync(tsc, ['-p', 'tsconfig.json', '--pretty', 'false'], { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    output = `${error.stdout}${error.stderr}`;
  }
  const problems = [];
  for (const line of output.split('\n').filter(Boolean)) {
    const match = /^members\.ts\((\d+),\d+\): error (TS\d+): (.*)$/.exec(line);
    if (!match) {
      problems.push(line);
      continue;
    }
    const [, lineNo, code, message] = match;
    if (code === 'TS2341') continue; // "is private": declared, as internal
    const what = lineOf.get(Number(lineNo)) ?? (lineNo === '2' ? 'declared exports' : 'ForeignWasmGlobal');
    problems.push(`${what}: ${message}`);
  }
  assert.deepEqual(problems, [], `the d.ts and the runtime disagree:\n${problems.join('\n')}`);
  assert.ok(members.length > 60, `only ${members.length} runtime members found`);
});
