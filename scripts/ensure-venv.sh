#!/usr/bin/env bash
# Create (or reuse) .venv and install the project with the given extras.
# Usage: scripts/ensure-venv.sh EXTRAS   e.g. "server,test"
set -euo pipefail
extras="${1:-server}"
py="${PYTHON:-python3}"
cd "$(dirname "$0")/.."

if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Dichtbij needs Python 3.11 or newer ($py is $("$py" -V 2>&1))." >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  if ! "$py" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    # Debian splits venv support out of python3.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
      "$py" -m venv .venv
    else
      echo "python3 -m venv failed: install the python3-venv package (as root: apt-get install python3-venv)." >&2
      exit 1
    fi
  fi
fi

stamp=".venv/.installed-${extras//,/-}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[${extras}]"
  touch "$stamp"
fi
