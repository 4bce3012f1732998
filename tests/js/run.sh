#!/usr/bin/env bash
# Builds what the JS tests need and runs them all, against both builds (ES module + wasm, and the single-file
# script), ending with node's own test summary.
#   1. the wasm module (emcmake, build/wasm; configured on first use, incremental afterwards)
#   2. js dev tools (esbuild, typescript) from js/package-lock.json when missing
#   3. js/dist and the npm tarball (js/scripts/build.mjs)
#   4. node --test tests/js/*.test.mjs
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build="$root/build/wasm"
export NODE_PATH=/usr/share/nodejs  # Debian's acorn for Emscripten's JS optimizer (toolchain.md, pitfall 1)

if [ ! -f "$build/CMakeCache.txt" ]; then
  emcmake cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=MinSizeRel -DFW_TESTS=OFF >/dev/null
fi
cmake --build "$build" --target fw_module_esm fw_module_single -j2

if [ ! -x "$root/js/node_modules/.bin/esbuild" ] || [ ! -x "$root/js/node_modules/.bin/tsc" ]; then
  (cd "$root/js" && npm ci --no-audit --no-fund)
fi

node "$root/js/scripts/build.mjs" --wasm-dir "$build/wasm/bindings"

cd "$root"
exec node --test tests/js/*.test.mjs
