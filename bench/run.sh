#!/usr/bin/env bash
# Builds the release preset and prints every foundation benchmark's figures.
#   bench/run.sh
# Figures: durable commits/s (person + audit event vs raw INSERT, SQLite and PostgreSQL), and
# /healthz requests/s and p99 under wrk with 64 connections on loopback (5 runs, median).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install-deps.sh --test >/dev/null
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target liaison durable_writes assess_bench >/dev/null
bin=build/release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== durable writes (release build)"
"$bin/bench/durable_writes" "sqlite:$work/bench.db" 300
scripts/with-postgres.sh bash -c "
  psql \"\$LIAISON_TEST_PG_URL\" -qc 'CREATE DATABASE bench' >/dev/null
  $bin/bench/durable_writes \"\${LIAISON_TEST_PG_URL%/*}/bench\" 1000"

echo "== /healthz with wrk -t2 -c64 -d5s (release build, 5 runs)"
"$bin/src/exe/liaison" demo --db "sqlite:$work/http.db" >/dev/null
"$bin/src/exe/liaison" serve --db "sqlite:$work/http.db" --listen 127.0.0.1:0 --web-root web \
  >"$work/serve.out" 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 50); do [[ -s "$work/serve.out" ]] && break; sleep 0.1; done
url="$(head -1 "$work/serve.out" | sed 's/listening on //')"
for run in 1 2 3 4 5; do
  wrk -t2 -c64 -d5s --latency "$url/healthz" | awk '/Requests\/sec/ {rps=$2} / 99%/ {p99=$2} END {print rps, p99}'
done | sort -n | awk '{rps[NR]=$1; p99[NR]=$2} END {printf "healthz: median %s req/s (min %s, max %s); p99 of the median run %s\n", rps[3], rps[1], rps[5], p99[3]}'
kill -TERM $server
wait $server || true

echo "== recognition: one Assess call in-process (release build, 5 repetitions, medians)"
"$bin/bench/assess_bench" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true 2>/dev/null |
  grep -E "_median"
echo "== recognition: POST /api/assess over HTTP"
bench/assess_http.sh "$bin"
exit 0
