#!/usr/bin/env bash
# Everything the test suite needs, from a fresh machine: Python packages, Debian's Chromium
# (browser tests and static chart export), then every test. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"

"$PYTHON" -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium poppler-utils >/dev/null
fi

# Lint (pyflakes, import order, bugbear, pyupgrade, complexity: pyproject.toml) and formatting fail the run before the tests do.
"$PYTHON" -m ruff check --quiet . && "$PYTHON" -m ruff format --check --quiet .
# The layers as import-linter contracts (pyproject.toml): the engine never imports the UI, and so on.
lint-imports --no-cache >/dev/null || lint-imports --no-cache

exec "$PYTHON" -m pytest -q "$@"
