#!/usr/bin/env bash
# Browser tests of the web pages served by `liaison serve`.
#   scripts/web-test.sh PATH_TO_LIAISON_BIN
# Installs web/node_modules from web/package-lock.json when it is missing or out of date, then runs
# the Node test runner over web/tests/. Needs Node 18+ and Debian's chromium (/usr/bin/chromium;
# scripts/install-deps.sh --test installs it). Screenshots go to $LIAISON_TEST_ARTIFACTS (default: the
# OS temp directory). The exit code is the test runner's.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 PATH_TO_LIAISON_BIN" >&2
  exit 2
fi
bin=$1
if [[ ! -x "$bin" || -d "$bin" ]]; then
  echo "web-test: $bin is not an executable file" >&2
  exit 2
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
web="$root/web"

# npm ci writes node_modules/.package-lock.json; reinstall when it is absent or older than the lockfile.
stamp="$web/node_modules/.package-lock.json"
if [[ ! -d "$web/node_modules" || ! -f "$stamp" || "$web/package-lock.json" -nt "$stamp" ]]; then
  echo "web-test: installing web/node_modules from package-lock.json"
  (cd "$web" && npm ci --no-audit --no-fund)
fi

LIAISON_BIN=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
LIAISON_SOURCE_DIR=$root
export LIAISON_BIN LIAISON_SOURCE_DIR

# The test files are listed explicitly: Node 22+ reads `node --test` arguments as globs, and
# naming the files works the same on Node 18, 20 and later.
shopt -s nullglob
tests=("$web"/tests/*.test.mjs)
if (( ${#tests[@]} == 0 )); then
  echo "web-test: no tests in $web/tests" >&2
  exit 1
fi
cd "$root"
exec node --test "${tests[@]}"
