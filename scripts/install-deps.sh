#!/usr/bin/env bash
# Installs everything the build and every test need on Debian 12, only what is missing (idempotent, seconds when
# nothing is missing). Debian packages: compilers (clang and its libFuzzer runtime for tests/fuzz), Catch2,
# nlohmann-json, Emscripten (its cache comes prebuilt), Chromium, and MediaWiki + PHP + memcached for the lab.
# npm: the dev tools listed in js/, tests/browser/, bench/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

packages=(cmake g++ make catch2 nlohmann-json3-dev clang clang-format libclang-rt-14-dev emscripten binaryen nodejs chromium
          mediawiki php-cli php-sqlite3 php-intl php-mbstring php-xml php-apcu memcached curl jq)

missing=()
for p in "${packages[@]}"; do
  # nodejs may come from elsewhere than Debian (e.g. nodesource); a working node >= 18 is enough.
  if [ "$p" = nodejs ] && command -v node >/dev/null && node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)'; then
    continue
  fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: apt-get install ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  while fuser /var/lib/dpkg/lock-frontend >/dev/null 2>&1; do sleep 2; done
  $sudo_cmd apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

for dir in js tests/browser bench; do
  if [ -f "$root/$dir/package.json" ]; then
    if [ -f "$root/$dir/package-lock.json" ]; then
      # npm ci wipes node_modules: only when the lock file changed since the last install.
      stamp="$root/$dir/node_modules/.fw-lock-stamp"
      if ! cmp -s "$root/$dir/package-lock.json" "$stamp" 2>/dev/null; then
        (cd "$root/$dir" && npm ci --no-audit --no-fund --loglevel=error)
        cp "$root/$dir/package-lock.json" "$stamp"
      fi
    else
      (cd "$root/$dir" && npm install --no-audit --no-fund --loglevel=error)
    fi
  fi
done
echo "install-deps: ok"
