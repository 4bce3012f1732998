#!/usr/bin/env bash
# Builds what the JS tests need and runs them all, against both builds (ES module + wasm, and the single-file
# script), ending with node's own test summary.
#   1. the wasm module (preset wasm, build/wasm; configured on first use, incremental afterwards)
#   2. js dev tools (esbuild, typescript, types-mediawiki) from js/package-lock.json when it changed
#   3. js/dist and the npm tarball: `npm pack`, whose prepack runs js/scripts/build.mjs (so every run checks that
#      npm pack / npm publish build dist/ themselves)
#   4. node --test tests/js/*.test.mjs
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build="$root/build/wasm"
export NODE_PATH=/usr/share/nodejs  # Debian's acorn for Emscripten's JS optimizer (toolchain.md, pitfall 1)

if [ ! -f "$build/CMakeCache.txt" ]; then
  (cd "$root" && cmake --preset wasm -B "$build" >/dev/null)
fi
cmake --build "$build" --target fw_module_esm fw_module_single fw_oauth1_esm -j2

# npm ci when js/package-lock.json changed since the last install (the stamp scripts/install-deps.sh keeps too).
stamp="$root/js/node_modules/.fw-lock-stamp"
if ! cmp -s "$root/js/package-lock.json" "$stamp" 2>/dev/null; then
  (cd "$root/js" && npm ci --no-audit --no-fund)
  cp "$root/js/package-lock.json" "$stamp"
fi

mkdir -p "$root/build"
(cd "$root/js" && npm pack --silent --pack-destination "$root/build")

cd "$root"
exec node --test tests/js/*.test.mjs
