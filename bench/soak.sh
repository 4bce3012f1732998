#!/usr/bin/env bash
# bench/soak.sh — the fault-injecting soak with a server-side audit (issue 10, point 4; method: bench/soak/README.md).
#
#   bash bench/soak.sh [--calls N] [--seed S] [--concurrency C]     default: 1000 calls, a random seed (printed)
#
# Holds the lab lock (/tmp/fw-lab.lock, or $FW_LAB_LOCK) for the whole run: it takes it itself unless the caller
# already holds it (`flock /tmp/fw-lab.lock bash bench/soak.sh` works too). Brings the lab up when it is not up and
# then takes it down again at the end; builds the wasm module / js/dist when missing; never leaves B read-only.
# Exit code: 0 when every audit number is zero and every call settled, 1 when not, 2 when the soak itself broke.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"
lock=${FW_LAB_LOCK:-/tmp/fw-lab.lock}

# flock(1) hands its lock file descriptor to the command: an inherited one means a caller holds the lock already.
held=0
for fd in /proc/$$/fd/*; do [ "$(readlink "$fd" 2>/dev/null)" = "$lock" ] && held=1; done
if [ "$held" = 0 ]; then exec flock "$lock" bash "$0" "$@"; fi

export NODE_PATH=/usr/share/nodejs   # Emscripten's JS optimizer needs Debian's acorn
lab_dir=${FW_LAB_DIR:-$root/build/lab}
say() { printf '[soak %(%H:%M:%S)T] %s\n' -1 "$*"; }

lab_answers() {
	[ -f "$lab_dir/env" ] || return 1
	local a b
	a=$(sed -n 's/^FW_LAB_A_API=//p' "$lab_dir/env")
	b=$(sed -n 's/^FW_LAB_B_API=//p' "$lab_dir/env")
	curl -sf -m 5 -o /dev/null "$a?action=query&meta=siteinfo&format=json" &&
		curl -sf -m 5 -o /dev/null "$b?action=query&meta=siteinfo&format=json"
}
cleanup() {
	# B must never stay read-only, whatever ended the run
	[ -f "$lab_dir/env" ] && rm -f "$(sed -n 's/^FW_LAB_B_READONLY_FILE=//p' "$lab_dir/env")"
	if [ "${started_lab:-0}" = 1 ]; then say "taking the lab down (this run started it)"; bash "$root/tests/lab/down.sh" || true; fi
}
started_lab=0
lab_answers || started_lab=1
trap cleanup EXIT
bash tests/lab/up.sh >/dev/null
say "lab up$([ "$started_lab" = 1 ] && echo ' (started by this run)')"
if grep -q '^FW_LAB_CENTRALAUTH=0' "$lab_dir/env"; then
	say "the lab has NO CentralAuth (FW_LAB_CENTRALAUTH=0): the soak needs it; see tests/lab/README.md"
	exit 2
fi

if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d js/node_modules/esbuild ]; then bash scripts/install-deps.sh; fi
core=build/wasm/wasm/bindings
# as tests/browser/run.sh: rebuild what is missing or older than its sources
if [ ! -f "$core/foreign-wasm-core.wasm" ] || [ ! -f "$core/foreign-wasm-core.single.js" ] ||
	[ -n "$(find wasm CMakeLists.txt -newer "$core/foreign-wasm-core.wasm" -print -quit)" ]; then
	say "building the wasm module"
	[ -f build/wasm/CMakeCache.txt ] || cmake --preset wasm >/dev/null
	cmake --build build/wasm -j2
fi
if [ ! -f js/dist/foreign-wasm.js ] || [ ! -f js/dist/index.js ] ||
	[ -n "$(find js/src js/scripts/build.mjs "$core"/foreign-wasm-core.* -newer js/dist/foreign-wasm.js -print -quit)" ]; then
	say "building js/dist"
	(cd js && node scripts/build.mjs --no-pack)
fi

set +e
node bench/soak/main.mjs "$@"
rc=$?
set -e
exit $rc
