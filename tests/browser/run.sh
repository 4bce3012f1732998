#!/usr/bin/env bash
# tests/browser/run.sh — the real-browser suite: Debian's Chromium (via playwright-core) against the real-wiki lab.
#
#   1. brings the lab up (tests/lab/up.sh, idempotent) and, only if this script started it, takes it down at the end
#   2. builds the wasm module and js/dist when they are missing or older than their sources
#   3. runs tests/browser/*.test.mjs with node:test (one file at a time: some tests make wiki B read-only)
#
#   bash tests/browser/run.sh [test files…]     default: every *.test.mjs here
# Env: FW_BROWSER_BUILDS=esm,script (builds to load), FW_CHROMIUM=/usr/bin/chromium, CI=true (CentralAuth must
#      be there), FW_LAB_DIR (as tests/lab).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
export NODE_PATH=/usr/share/nodejs   # Emscripten's JS optimizer needs Debian's acorn
lab_dir=${FW_LAB_DIR:-$root/build/lab}
t_start=$SECONDS
say() { printf '[browser %(%H:%M:%S)T] %s\n' -1 "$*"; }

# ---------------------------------------------------------------- 1. the lab
lab_answers() {   # every server of the lab answers (the env file names them)
	[ -f "$lab_dir/env" ] || return 1
	local s a b
	s=$(sed -n 's/^FW_LAB_STATIC=//p' "$lab_dir/env")
	a=$(sed -n 's/^FW_LAB_A_API=//p' "$lab_dir/env")
	b=$(sed -n 's/^FW_LAB_B_API=//p' "$lab_dir/env")
	curl -sf -m 3 -o /dev/null "$s/tests/browser/pages/harness.html" &&
		curl -sf -m 5 -o /dev/null "$a?action=query&meta=siteinfo&format=json" &&
		curl -sf -m 5 -o /dev/null "$b?action=query&meta=siteinfo&format=json"
}
started_lab=0
if lab_answers; then
	say "lab already up: it stays up afterwards"
else
	started_lab=1
	trap 'say "taking the lab down (this run started it)"; bash "$root/tests/lab/down.sh" || true' EXIT
fi
t0=$SECONDS
bash tests/lab/up.sh
lab_s=$((SECONDS - t0))
say "lab up (${lab_s} s)"
if grep -q '^FW_LAB_CENTRALAUTH=0' "$lab_dir/env"; then
	echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
	echo "!!! The lab has NO CentralAuth (FW_LAB_CENTRALAUTH=0): the CentralAuth tests will be SKIPPED"
	echo "!!! (under CI=true they FAIL). Provide the tarball (see tests/lab/README.md) and run up.sh again."
	echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
fi

# ---------------------------------------------------------------- 2. dependencies and builds
if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d js/node_modules/esbuild ]; then
	bash scripts/install-deps.sh
fi
[ -x /usr/bin/chromium ] || [ -n "${FW_CHROMIUM:-}" ] || { echo "no /usr/bin/chromium (apt-get install chromium)"; exit 1; }

t0=$SECONDS
core=build/wasm/wasm/bindings
if [ ! -f "$core/foreign-wasm-core.wasm" ] || [ ! -f "$core/foreign-wasm-core.single.js" ] ||
	[ -n "$(find wasm CMakeLists.txt -newer "$core/foreign-wasm-core.wasm" -print -quit)" ]; then
	say "building the wasm module"
	[ -f build/wasm/CMakeCache.txt ] ||
		emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=MinSizeRel -DFW_TESTS=OFF >/dev/null
	cmake --build build/wasm -j2
fi
if [ ! -f js/dist/foreign-wasm.js ] || [ ! -f js/dist/index.js ] ||
	[ -n "$(find js/src js/scripts/build.mjs "$core"/foreign-wasm-core.* -newer js/dist/foreign-wasm.js -print -quit)" ]; then
	say "building js/dist"
	(cd js && node scripts/build.mjs --no-pack)
fi
say "builds ready ($((SECONDS - t0)) s)"

# ---------------------------------------------------------------- 3. the suite
if [ $# -gt 0 ]; then files=("$@"); else files=(tests/browser/*.test.mjs); fi
t0=$SECONDS
# Every request Chromium sends is recorded here for zz-confinement.test.mjs (lib/wire-record.mjs).
export FW_WIRE_DIR="$root/build/browser-wire"
rm -rf "$FW_WIRE_DIR"
set +e
node --test --test-concurrency=1 --test-timeout=150000 --test-reporter=spec "${files[@]}"
rc=$?
set -e
say "suite: $((SECONDS - t0)) s, lab up: ${lab_s} s, total: $((SECONDS - t_start)) s, exit code $rc"
exit $rc
