#!/usr/bin/env bash
# Brings up the real-wiki lab (tests/lab/up.sh), builds js/dist when it is missing, and prints the demo's URL.
#   bash demo/start.sh            everything, idempotent (about 1 s when the lab is up and dist is built)
#   bash demo/start.sh --rebuild  build js/dist again even if it exists
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

rebuild=0
[ "${1:-}" = --rebuild ] && rebuild=1

bash tests/lab/up.sh

if [ "$rebuild" = 1 ] || [ ! -f js/dist/index.js ] || [ ! -f js/dist/foreign-wasm-core.wasm ] || [ ! -f js/dist/foreign-wasm.js ]; then
  echo "demo: building js/dist" >&2
  if [ ! -d js/node_modules/esbuild ]; then
    (cd js && npm ci --no-audit --no-fund --loglevel=error)
  fi
  if [ ! -f build/wasm/wasm/bindings/foreign-wasm-core.mjs ] || [ ! -f build/wasm/wasm/bindings/foreign-wasm-core.single.js ]; then
    export NODE_PATH=/usr/share/nodejs  # Emscripten's JS optimizer needs Debian's acorn
    if [ ! -f build/wasm/CMakeCache.txt ]; then
      cmake --preset wasm >/dev/null
    fi
    cmake --build build/wasm -j2
  fi
  node js/scripts/build.mjs --no-pack
fi

set -a
. "${FW_LAB_DIR:-build/lab}/env"
set +a
cat <<MSG

  foreign-wasm playground:  ${FW_LAB_STATIC}/demo/

  wiki A (local):    ${FW_LAB_A}/w/index.php   log in as ${FW_LAB_ADMIN_USER} / ${FW_LAB_ADMIN_PASS} (or use the page's lab login buttons)
  wiki B (foreign):  ${FW_LAB_B}/w/index.php
  stop the lab:      bash tests/lab/down.sh
MSG
