#!/usr/bin/env bash
# The C++ of wasm/, tests/core and tools/ is formatted by .clang-format (clang-format 14): lists the files that are not and
# fails. `bash scripts/format-check.sh --fix` formats them in place.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
formatter=$(command -v clang-format-14 || command -v clang-format)
mapfile -t files < <(git ls-files --cached --others --exclude-standard 'wasm/*.cpp' 'wasm/*.hpp' 'tests/core/*.cpp' 'tests/core/*.hpp' 'tools/*.cpp')
if [ "${1:-}" = --fix ]; then
  "$formatter" --style=file -i "${files[@]}"
  exit 0
fi
bad=()
for f in "${files[@]}"; do
  "$formatter" --style=file "$f" | cmp -s "$f" - || bad+=("$f")
done
if [ ${#bad[@]} -gt 0 ]; then
  printf 'not formatted (bash scripts/format-check.sh --fix):\n'; printf '  %s\n' "${bad[@]}"
  exit 1
fi
echo "format: ${#files[@]} files formatted"
