#!/usr/bin/env bash
# Debian packages some tests use: PostgreSQL (the sync suite runs on it too) and Chromium
# (the field app is tested in a real browser through Playwright; never `playwright install`).
# Installed when run as root (CI); as another user the tests that need them skip and say why.
set -u
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "Not root: not installing ${need[*]}; the tests that need them will be skipped."
fi
