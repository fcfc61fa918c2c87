#!/usr/bin/env bash
# Point-of-care register lookup over HTTP against a 150,000-entry register, compared with
# /healthz on the same server (the reference): wrk -t2 -c16 -d5s (CONNECTIONS=N to change),
# 5 runs each, interleaved,
# medians of requests/s, p50 and p99.
#   bench/register_lookup_bench.sh [ENTRIES] [--relaxed-durability]
# Each lookup is a durable write (the access record and the audit event commit before the
# answer), so the figure is bound by the commit, not by the index lookup.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
entries=${1:-150000}
relaxed=${2:-}
connections=${CONNECTIONS:-16}
threads=$(( connections < 2 ? 1 : 2 ))
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
cmake --preset release -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build --preset release -j2 --target liaison >/dev/null
bin=build/release/src/exe/liaison
work=$(mktemp -d)
server=""
trap '[[ -n "$server" ]] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
db="sqlite:$work/lookup.db"

"$bin" demo --db "$db" --attendances 0 >/dev/null
python3 bench/make_register.py "$entries" "$work/register.csv" "$work/numbers.txt"
start=$(date +%s.%N)
"$bin" import register "$work/register.csv" --db "$db" --org LA-NORTH 2>/dev/null
end=$(date +%s.%N)
echo "import register: $entries entries in $(echo "$end - $start" | bc) s (one unit of work)"

"$bin" serve --db "$db" --listen 127.0.0.1:0 --web-root web $relaxed >"$work/serve.out" 2>/dev/null &
server=$!
for _ in $(seq 1 100); do [[ -s "$work/serve.out" ]] && break; sleep 0.1; done
url="$(head -1 "$work/serve.out" | sed 's/listening on //')"
cookie=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
  -d '{"username":"demo.ed_clinician","password":"ed_clinician-demo-2026"}' "$url/api/session" |
  sed -n 's/^Set-Cookie: \(liaison_session=[0-9a-f]*\).*/\1/p')
[[ -n "$cookie" ]] || { echo "sign-in failed"; exit 1; }
one=$(head -1 "$work/numbers.txt")
curl -s -H "Cookie: $cookie" "$url/api/register/lookup?silent=true&nhs_number=$one" | grep -q '"found":true' ||
  { echo "lookup does not find a registered child"; exit 1; }

measure() {  # measure LABEL WRK_ARGS...: prints "rps p50 p99" (p in ms)
  wrk -t"$threads" -c"$connections" -d5s --latency "$@" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ {rps=$2} / 50%/ {p50=ms($2)} / 99%/ {p99=ms($2)} END {print rps, p50, p99}'
}
for run in 1 2 3 4 5; do
  measure -H "Cookie: $cookie" -H "X-Access-Reason: benchmark" -s bench/register_lookup.lua \
    "$url" -- "$work/numbers.txt" true >>"$work/lookup"
  measure "$url/healthz" >>"$work/healthz"
done
median() {  # median FILE COLUMN
  cut -d' ' -f"$2" "$1" | sort -g | sed -n 3p
}
for name in lookup healthz; do
  echo "$name: median $(median "$work/$name" 1) req/s, p50 $(median "$work/$name" 2) ms, p99 $(median "$work/$name" 3) ms (5 runs: $(cut -d' ' -f1 "$work/$name" | tr '\n' ' '))"
done
echo "register entries: $entries; accesses recorded: $(sqlite3 "$work/lookup.db" 'SELECT count(*) FROM register_accesses')"
kill -TERM "$server"
wait "$server" || true
server=""
