#!/usr/bin/env bash
# Reproducible build check: the shipped files built twice from the same sources must be byte-identical.
#   build A  the usual build dir build/wasm (incremental, as tests/js/run.sh leaves it)
#   build B  a copy of the work tree (tracked and untracked-but-not-ignored files) at another path, built from
#            scratch in build/wasm-repro, so embedded source or build paths and timestamps would show up
# Both go through js/scripts/build.mjs into build/repro/{a,b}; the npm tarballs are packed from each tree.
# Prints the sha256 of every file of both builds; exits 1 when any differs. About a minute on 2 cores.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export NODE_PATH=/usr/share/nodejs  # Debian's acorn for Emscripten's JS optimizer (as in tests/js/run.sh)
out="$root/build/repro"
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
rm -rf "$out" "$root/build/wasm-repro"
mkdir -p "$out/a/wasm" "$out/b/wasm"

build() {  # build <source tree> <cmake build dir> <out dir>: the wasm, then js/dist and the tarball of that tree
  if [ ! -f "$2/CMakeCache.txt" ]; then
    (cd "$1" && cmake --preset wasm -B "$2" >/dev/null)
  fi
  cmake --build "$2" --target fw_module_esm fw_module_single fw_oauth1_esm -j2 >/dev/null
  node "$1/js/scripts/build.mjs" --wasm-dir "$2/wasm/bindings" >/dev/null  # also packs into <tree>/build/
  cp "$1"/js/dist/* "$1"/build/foreign-wasm-*.tgz "$3/"
  cp "$2"/wasm/bindings/foreign-wasm-core.{mjs,wasm,single.js,single.wasm} "$2"/wasm/bindings/foreign-wasm-oauth1.{mjs,wasm} "$3/wasm/"
}

# B's sources: what git would commit from this work tree, at another absolute path.
(cd "$root" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$copy")
ln -s "$root/js/node_modules" "$copy/js/node_modules"

build "$root" "$root/build/wasm" "$out/a"
start=$SECONDS
build "$copy" "$root/build/wasm-repro" "$out/b"
echo "clean rebuild (B): $((SECONDS - start)) s"

status=0
printf '%-36s %-64s  %s\n' file "sha256 of A (build/wasm)" "B (fresh copy, build/wasm-repro)"
for file in $(cd "$out/a" && find . -type f | sed 's|^\./||' | sort); do
  a=$(sha256sum "$out/a/$file" | cut -d' ' -f1)
  b=$(sha256sum "$out/b/$file" | cut -d' ' -f1)
  if [ "$a" = "$b" ]; then verdict=same; else verdict="DIFFERENT: $b"; status=1; fi
  printf '%-36s %s  %s\n' "$file" "$a" "$verdict"
done
if [ $status -eq 0 ]; then echo "reproducible: the two builds are byte-identical"; else echo "NOT reproducible: compare build/repro/a and build/repro/b"; fi
exit $status
