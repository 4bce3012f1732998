#!/usr/bin/env bash
# The one test command: installs what is missing, builds the native core, runs its Catch2 tests (plain and under
# ASan+UBSan), fuzzes the core briefly (tests/fuzz), builds the WebAssembly module and the JS package, runs the JS
# suite against every build, checks that a second build from scratch is byte-identical, brings up the real-wiki lab,
# runs the browser suite against it, takes the lab down again, runs the wiki-page tests once more on a lab without
# CentralAuth, and checks that the benchmark still runs (quick mode).
#   FW_SKIP_BROWSER=1  skip the lab and browser stages (for a quick local loop; CI never sets it)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export NODE_PATH=/usr/share/nodejs  # Emscripten's JS optimizer needs Debian's acorn (toolchain pitfall 1)

summary=()
stage() {  # stage <name> <command...>: runs a stage, timing it
  local name=$1; shift
  local start=$SECONDS
  echo "==> $name"
  "$@"
  summary+=("$name: ok ($((SECONDS - start)) s)")
}

stage "dependencies" bash scripts/install-deps.sh

native() {
  bash scripts/format-check.sh
  cmake --preset native >/dev/null
  cmake --build --preset native
  ctest --preset native
  ./build/native/fw_core_tests --use-colour no | tail -n 1
}
stage "core (native, -Werror)" native

asan() {
  cmake --preset asan >/dev/null
  cmake --build --preset asan
  ctest --preset asan
}
stage "core (ASan + UBSan)" asan

# libFuzzer harnesses (tests/fuzz/README.md): a fixed seed and 5,000 executions each, so the same inputs run every
# time (a regression check, not a campaign: campaigns are `tests/fuzz/run.sh <seconds>`).
stage "fuzz (fixed seed, fixed budget)" env FW_FUZZ_SEED=1 FW_FUZZ_RUNS=5000 bash tests/fuzz/run.sh 60

wasm() {
  if [ ! -f build/wasm/CMakeCache.txt ]; then
    cmake --preset wasm >/dev/null
  fi
  cmake --build build/wasm -j2
}
stage "wasm module" wasm

if [ -x tests/js/run.sh ] || [ -f tests/js/run.sh ]; then
  stage "js suite" bash tests/js/run.sh
fi

# Two builds of the same sources (the one above, and a fresh copy at another path) must be byte-identical.
stage "reproducible build" bash tests/js/reproducible.sh

if [ "${FW_SKIP_BROWSER:-0}" != 1 ] && [ -f tests/browser/run.sh ]; then
  stage "browser suite (real wikis)" bash tests/browser/run.sh
  # The wiki-page classes on wikis without CentralAuth (cookie mode, as MediaWiki's own mw.ForeignApi there): a
  # second lab on the same fixed ports, so after the first one is down (tests/lab/README.md).
  stage "browser: wiki pages without CentralAuth" env FW_LAB_DIR="$PWD/build/lab-noca" FW_LAB_WITHOUT_CENTRALAUTH=1 \
    bash tests/browser/run.sh tests/browser/06-onwiki.test.mjs
fi

if [ "${FW_SKIP_BROWSER:-0}" != 1 ] && [ -f bench/run.sh ]; then
  # Benchmarks report, they never gate: the quick mode only proves they still run (numbers: bench/run.sh).
  stage "benchmark (quick mode)" bash bench/run.sh --quick
fi

echo
printf '%s\n' "${summary[@]}"
echo "ALL TESTS PASSED (${#summary[@]} stages)"
