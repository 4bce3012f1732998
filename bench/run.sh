#!/usr/bin/env bash
# bench/run.sh — the performance benchmark: foreign-wasm vs MediaWiki's own mw.ForeignApi/ForeignRest (CentralAuth)
# in Debian's Chromium against the real-wiki lab, plus client-side costs (wasm instantiation, CPU per call vs m3api,
# a 5 MB response). Method and findings: bench/README.md.
#
#   bash bench/run.sh            full: 5 runs per cell, no emulation and 50 ms latency → bench/results/ (~5–8 min)
#   bash bench/run.sh --quick    1 run, no emulation, short CPU loops → build/bench/quick/ (< 2 min; for CI)
#   bash bench/run.sh --fresh-build [...]   first build the committed sources into build/bench/ and measure those
#   extra arguments go to bench/bench.mjs (--out=DIR, --only=rtt|cpu, --runs=N, --conditions=none,lat50)
#
# 1. brings the lab up (tests/lab/up.sh, idempotent); takes it down at the end only if this script started it
# 2. installs npm dev deps when missing (scripts/install-deps.sh), builds the wasm module / js/dist when missing
# 3. runs bench/bench.mjs
# Exit code: 0 whatever the numbers (a report, never a gate); non-zero only when the benchmark itself broke.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"
export NODE_PATH=/usr/share/nodejs   # Emscripten's JS optimizer needs Debian's acorn
lab_dir=${FW_LAB_DIR:-$root/build/lab}
t_start=$SECONDS
export FW_BENCH_COMMAND="bash bench/run.sh${*:+ $*}"
say() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*"; }

# ---------------------------------------------------------------- 1. the lab
lab_answers() {
	[ -f "$lab_dir/env" ] || return 1
	local s a b
	s=$(sed -n 's/^FW_LAB_STATIC=//p' "$lab_dir/env")
	a=$(sed -n 's/^FW_LAB_A_API=//p' "$lab_dir/env")
	b=$(sed -n 's/^FW_LAB_B_API=//p' "$lab_dir/env")
	curl -sf -m 3 -o /dev/null "$s/bench/pages/cpu.html" &&
		curl -sf -m 5 -o /dev/null "$a?action=query&meta=siteinfo&format=json" &&
		curl -sf -m 5 -o /dev/null "$b?action=query&meta=siteinfo&format=json"
}
if lab_answers; then
	say "lab already up: it stays up afterwards"
else
	trap 'say "taking the lab down (this run started it)"; bash "$root/tests/lab/down.sh" || true' EXIT
fi
bash tests/lab/up.sh >/dev/null
say "lab up"
if grep -q '^FW_LAB_CENTRALAUTH=0' "$lab_dir/env"; then
	say "the lab has NO CentralAuth (FW_LAB_CENTRALAUTH=0): the round trips cannot run; see tests/lab/README.md"
	exit 1
fi

# ---------------------------------------------------------------- 2. dependencies and builds
if [ ! -d bench/node_modules/m3api ] || [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d js/node_modules/esbuild ]; then
	bash scripts/install-deps.sh
fi
[ -x "${FW_CHROMIUM:-/usr/bin/chromium}" ] || { say "no Chromium at ${FW_CHROMIUM:-/usr/bin/chromium} (apt-get install chromium)"; exit 1; }
core=build/wasm/wasm/bindings
if [ ! -f js/dist/foreign-wasm.js ] || [ ! -f js/dist/index.js ] || [ ! -f js/dist/foreign-wasm-core.wasm ]; then
	if [ ! -f "$core/foreign-wasm-core.wasm" ] || [ ! -f "$core/foreign-wasm-core.single.js" ]; then
		say "building the wasm module"
		[ -f build/wasm/CMakeCache.txt ] ||
			cmake --preset wasm >/dev/null
		cmake --build build/wasm -j2
	fi
	say "building js/dist"
	(cd js && node scripts/build.mjs --no-pack)
elif [ -n "$(find js/src js/scripts/build.mjs -newer js/dist/foreign-wasm.js -print -quit 2>/dev/null)" ] ||
	{ [ -f "$core/foreign-wasm-core.wasm" ] && [ "$core/foreign-wasm-core.wasm" -nt js/dist/foreign-wasm.js ]; }; then
	say "note: js/dist is older than js/src or the wasm build; measuring it as it is (rebuild: cd js && node scripts/build.mjs)"
fi

# --fresh-build: measure the committed sources, not whatever js/dist holds. The wasm module and the dist are built
# in bench-private directories (build/bench/wasm, build/bench/js/dist), so js/dist and build/wasm of anyone else
# working in this tree stay untouched.
if [ "${1:-}" = "--fresh-build" ]; then
	shift
	say "fresh build of the committed sources into build/bench/ (wasm + dist)"
	if [ -n "$(git status --porcelain -- js wasm CMakeLists.txt 2>/dev/null)" ]; then
		say "note: js/ or wasm/ have uncommitted changes; they are part of this build"
	fi
	[ -f build/bench/wasm/CMakeCache.txt ] ||
		cmake --preset wasm -B build/bench/wasm >/dev/null
	cmake --build build/bench/wasm -j2 >/dev/null
	rm -rf build/bench/js && mkdir -p build/bench/js
	cp -r js/src js/scripts js/package.json js/types build/bench/js/
	ln -s "$root/js/node_modules" build/bench/js/node_modules
	(cd build/bench/js && node scripts/build.mjs --no-pack --wasm-dir "$root/build/bench/wasm/wasm/bindings" >/dev/null)
	export FW_BENCH_DIST_FROM="$root/build/bench/js/dist"
fi

# ---------------------------------------------------------------- 3. the benchmark
set +e
node "$here/bench.mjs" "$@"
rc=$?
set -e
say "total $((SECONDS - t_start)) s, exit code $rc"
exit $rc
