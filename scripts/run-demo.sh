#!/usr/bin/env bash
# Installs what is missing, builds a release Liaison, migrates and loads the demo data into an
# SQLite file, and serves it on http://127.0.0.1:8080 (Ctrl-C or SIGTERM stops it gracefully).
#   LIAISON_DB     database URL (default sqlite:var/demo.db)
#   LIAISON_LISTEN address (default 127.0.0.1:8080)
#   LIAISON_DEMO_ATTENDANCES  attendances to load (default 150000: a year for one trust)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/install-deps.sh
if command -v npm >/dev/null; then
  (cd web && npm ci --no-audit --no-fund --omit=dev --loglevel=error)
else
  echo "run-demo: npm not found; pages will be served without the NHS.UK styles" >&2
fi

cmake --preset release
cmake --build --preset release -j "$(nproc)" --target liaison

mkdir -p var
db="${LIAISON_DB:-sqlite:var/demo.db}"
build/release/src/exe/liaison migrate --db "$db"
build/release/src/exe/liaison demo --db "$db" --attendances "${LIAISON_DEMO_ATTENDANCES:-150000}"
exec build/release/src/exe/liaison serve --db "$db" --listen "${LIAISON_LISTEN:-127.0.0.1:8080}" \
  --web-root web
