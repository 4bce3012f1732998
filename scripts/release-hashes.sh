#!/usr/bin/env bash
# Prints the sha256 of the released files, built fresh from this work tree (`npm pack`, whose prepack builds the
# wasm and js/dist), in sha256sum's format, and the tarball's npm integrity string. Run it at a release's commit;
# the builds are reproducible (tests/js/reproducible.sh), so anyone gets the same hashes from the same commit.
#   bash scripts/release-hashes.sh            the table
#   bash scripts/release-hashes.sh --no-build  hash js/dist and build/foreign-wasm-<version>.tgz as they are
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
version=$(node -p "require('./js/package.json').version")
tarball="build/foreign-wasm-$version.tgz"

if [ "${1:-}" != --no-build ]; then
  mkdir -p build
  (cd js && npm pack --silent --pack-destination ../build >/dev/null 2>&1) || {
    echo "release-hashes: the build failed (run: cd js && npm pack)" >&2
    exit 1
  }
fi

commit=$(git rev-parse --short=12 HEAD)
dirty=$(git status --porcelain --untracked-files=no | head -n 1)
echo "# foreign-wasm $version, commit $commit${dirty:+ (with uncommitted changes: not a release)}"
# The gadget / user-script page (docs/gadget.md), then the ES module package's files, then the npm tarball.
sha256sum js/dist/foreign-wasm.js js/dist/index.js js/dist/index.cjs js/dist/foreign-wasm-core.mjs \
  js/dist/foreign-wasm-core.wasm "$tarball"
integrity=$(node -e "process.stdout.write('sha512-' + require('crypto').createHash('sha512').update(require('fs').readFileSync(process.argv[1])).digest('base64'))" "$tarball")
echo "# npm integrity of $(basename "$tarball"): $integrity"
