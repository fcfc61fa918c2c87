#!/usr/bin/env bash
# Installs what is missing, builds Liaison with AddressSanitizer and UndefinedBehaviorSanitizer,
# and runs every test: unit tests, the storage contract on SQLite and on a real PostgreSQL 15
# server (started here, stopped afterwards), CLI and HTTP integration tests, and the browser
# test in headless Chromium with axe-core.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/install-deps.sh --test
(cd web && npm ci --no-audit --no-fund --loglevel=error)

cmake --preset asan-ubsan
cmake --build --preset asan-ubsan -j "$(nproc)"

# LeakSanitizer runs too; halt on the first UBSan report so it cannot scroll past unnoticed.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
scripts/with-postgres.sh ctest --preset asan-ubsan -j "$(nproc)" --timeout 300
