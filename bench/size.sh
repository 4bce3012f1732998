#!/usr/bin/env bash
# Size benchmark: builds the wasm module (build/wasm, as tests/js/run.sh does), js/dist and the npm tarball, then
# prints raw and gzip -9 sizes of what users download. Reports only; it never fails on a size.
#   bash bench/size.sh              build, then measure
#   bash bench/size.sh --no-build   measure the js/dist and build/*.tgz already there
# Columns: raw bytes, gzip -9 (zlib level 9, as a web server would send it; GNU `gzip -9` gives within ~1% of it).
# Targets (issue "Performance"): foreign-wasm.js <= 64 KB gzip; foreign-wasm-core.mjs + .wasm <= 50 KB gzip together
# (checked as KiB and as kB).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$root/build/wasm"

if [ "${1:-}" != "--no-build" ]; then
  export NODE_PATH=/usr/share/nodejs  # Debian's acorn for Emscripten's JS optimizer (toolchain.md, pitfall 1)
  if [ ! -f "$build/CMakeCache.txt" ]; then
    (cd "$root" && cmake --preset wasm -B "$build" >/dev/null)
  fi
  cmake --build "$build" --target fw_module_esm fw_module_single fw_oauth1_esm -j2 >/dev/null
  if [ ! -x "$root/js/node_modules/.bin/esbuild" ]; then
    (cd "$root/js" && npm ci --no-audit --no-fund >/dev/null)
  fi
  node "$root/js/scripts/build.mjs" --wasm-dir "$build/wasm/bindings" >/dev/null
fi

cd "$root"
node --input-type=module - <<'EOF'
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';

const KB = 1024;
const measure = (path) => {
  const data = readFileSync(path);
  return { raw: data.length, gz: gzipSync(data, { level: 9 }).length };
};
const rows = [];
const row = (name, size, target) => rows.push({ name, ...size, target });

const mjs = measure('js/dist/foreign-wasm-core.mjs');
const wasm = measure('js/dist/foreign-wasm-core.wasm');
row('dist/foreign-wasm-core.mjs', mjs);
row('dist/foreign-wasm-core.wasm', wasm);
row('ESM pair (.mjs + .wasm)', { raw: mjs.raw + wasm.raw, gz: mjs.gz + wasm.gz }, 50 * KB);
const esm = readdirSync('js/dist').filter((f) => f.endsWith('.js') && f !== 'foreign-wasm.js' && f !== 'oauth1.js');
const esmSizes = esm.map((f) => measure(`js/dist/${f}`));
row(`dist/*.js ESM wrapper (${esm.length} files)`, {
  raw: esmSizes.reduce((n, s) => n + s.raw, 0),
  gz: esmSizes.reduce((n, s) => n + s.gz, 0),
});
row('dist/foreign-wasm.js (single file)', measure('js/dist/foreign-wasm.js'), 64 * KB);
// foreign-wasm/oauth1: Node only, loaded by nothing else (docs/oauth1.md).
const oauth1 = ['oauth1.js', 'foreign-wasm-oauth1.mjs', 'foreign-wasm-oauth1.wasm'].map((f) => measure(`js/dist/${f}`));
row('OAuth 1 module (Node; 3 files)', { raw: oauth1.reduce((n, s) => n + s.raw, 0), gz: oauth1.reduce((n, s) => n + s.gz, 0) });

const tarballs = existsSync('build') ? readdirSync('build').filter((f) => f.endsWith('.tgz')) : [];
const tgz = tarballs
  .map((f) => `build/${f}`)
  .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];

const pad = (v, n) => String(v).padStart(n);
console.log(`${'artefact'.padEnd(38)} ${pad('raw B', 9)} ${pad('gzip -9 B', 10)}  target (gzip)`);
for (const r of rows) {
  // "KB" read both ways: KiB (x 1024) and kB (x 1000).
  const check = (limit, unit) => `${r.target / KB} ${unit} = ${limit} B ${r.gz <= limit ? 'met' : `over by ${r.gz - limit}`}`;
  const verdict = r.target ? `${check(r.target, 'KiB')}; ${check((r.target / KB) * 1000, 'kB')}` : '';
  console.log(`${r.name.padEnd(38)} ${pad(r.raw, 9)} ${pad(r.gz, 10)}  ${verdict}`);
}
if (tgz) {
  const listing = execFileSync('tar', ['-tvzf', tgz], { encoding: 'utf8' }).trim().split('\n');
  const unpacked = listing.reduce((n, line) => n + Number(line.split(/\s+/)[2] || 0), 0);
  console.log(`${`npm tarball ${tgz.replace('build/', '')}`.padEnd(38)} ${pad(statSync(tgz).size, 9)} ${pad('(is gz)', 10)}  ${listing.length} files, ${unpacked} B unpacked`);
} else {
  console.log('npm tarball: none in build/ (run without --no-build)');
}
EOF
