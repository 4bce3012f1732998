#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang, ASan + UBSan, into build/fuzz) and runs each for a fixed time on a copy of
# its committed seed corpus. Exits non-zero when a harness crashes or an invariant is violated; the report and the
# reproducer's path are printed. tests/fuzz/README.md explains how to reproduce and minimise a crash.
#   tests/fuzz/run.sh [seconds-per-harness] [harness...]     default: 10 s, every harness
#   FW_FUZZ_RUNS=N      stop a harness after N executions (when that comes before the time limit)
#   FW_FUZZ_SEED=S      libFuzzer's random seed: with FW_FUZZ_RUNS, the same inputs every time (CI uses both, so
#                       its fuzz stage is a fixed regression check that cannot pass once and fail the next time)
#   FW_FUZZ_JOBS=N      build parallelism (default 2)
#   FW_FUZZ_SANITIZE=S  the harnesses' sanitizers (default address,undefined); "undefined" alone runs 1.5-3x faster
#                       (no shadow memory), for the many-million-execution runs; built into build/fuzz-S
#   FW_FUZZ_ARGS="..."  more libFuzzer flags, e.g. "-entropic=0" (its older schedule: up to 1.7x the executions of
#                       fuzz_session, whose many coverage features make the entropic bookkeeping the larger cost)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

seconds=${1:-10}
shift || true
all=(fuzz_params fuzz_requests fuzz_classify fuzz_protocol fuzz_session fuzz_plans fuzz_oauth1)
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=("${all[@]}")

# Input size per harness: enough for every structure its decoder reads, small enough to stay fast.
max_len() {
  case $1 in
    fuzz_params|fuzz_protocol|fuzz_classify|fuzz_oauth1) echo 4096 ;;
    fuzz_requests) echo 1024 ;;
    fuzz_session|fuzz_plans) echo 2048 ;;
  esac
}

sanitize=${FW_FUZZ_SANITIZE:-address,undefined}
build=build/fuzz
[ "$sanitize" = address,undefined ] || build=build/fuzz-${sanitize//,/-}
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DFW_FUZZ=ON -DFW_TESTS=OFF -DFW_FUZZ_SANITIZE="$sanitize" >/dev/null
fi
cmake --build "$build" --target fw_fuzz -j "${FW_FUZZ_JOBS:-2}" >"$build/build.log" 2>&1 || {
  tail -n 40 "$build/build.log"
  exit 1
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$build/artifacts" "$build/logs"
failed=0
for h in "${harnesses[@]}"; do
  # The committed corpus is only read: libFuzzer writes new inputs into the first directory, a temporary copy.
  mkdir -p "$work/$h"
  [ -d "tests/fuzz/corpus/$h" ] && cp -R "tests/fuzz/corpus/$h/." "$work/$h/"
  mkdir -p "$build/artifacts/$h"
  log="$build/logs/$h.log"
  args=(-max_total_time="$seconds" -rss_limit_mb=2048 -max_len="$(max_len "$h")" -timeout=25
        -print_final_stats=1 -artifact_prefix="$build/artifacts/$h/")
  [ -n "${FW_FUZZ_RUNS:-}" ] && args+=(-runs="$FW_FUZZ_RUNS")
  [ -n "${FW_FUZZ_SEED:-}" ] && args+=(-seed="$FW_FUZZ_SEED")
  # shellcheck disable=SC2206  # word splitting is the point: one flag per word
  [ -n "${FW_FUZZ_ARGS:-}" ] && args+=($FW_FUZZ_ARGS)
  start=$SECONDS
  status=0
  "$build/$h" "${args[@]}" "$work/$h" >"$log" 2>&1 || status=$?
  elapsed=$((SECONDS - start))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  execs=${execs:-0}
  rate=$((execs / (elapsed > 0 ? elapsed : 1)))
  if [ "$status" -eq 0 ]; then
    printf '%-14s ok       %10s executions in %4d s (%s/s), corpus %s inputs\n' "$h" "$execs" "$elapsed" "$rate" \
      "$(ls "$work/$h" | wc -l)"
  elif grep -aq '== libFuzzer: run interrupted; exiting' "$log"; then
    # SIGINT/SIGTERM (libFuzzer's -interrupted_exitcode, 72): not a finding, but not a finished run either.
    failed=1
    printf '%-14s STOPPED  after %s executions in %d s (interrupted), no crash\n' "$h" "$execs" "$elapsed"
  else
    failed=1
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
    printf '%-14s CRASHED  after %s executions (exit %d); reproducer: %s\n' "$h" "$execs" "$status" "${artifact:-see $log}"
    grep -aE 'INVARIANT VIOLATED|runtime error|ERROR: (AddressSanitizer|UndefinedBehaviorSanitizer|libFuzzer)|^ +#[0-9]+ .* in fw' \
      "$log" | head -n 12 | cut -c1-240 | sed 's/^/    /'
  fi
done

# Reproducers of findings not fixed yet (crashes/): informational, they do not fail the run.
still=()
for f in tests/fuzz/crashes/*; do
  [ -f "$f" ] || continue
  h=fuzz_$(basename "$f" | cut -d- -f1)
  [ -x "$build/$h" ] || continue
  "$build/$h" "$f" >/dev/null 2>&1 || still+=("$(basename "$f")")
done
if [ ${#still[@]} -gt 0 ]; then
  echo "known reproducers still failing (tests/fuzz/crashes/): ${still[*]}"
fi
exit $failed
