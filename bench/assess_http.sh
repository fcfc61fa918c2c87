#!/usr/bin/env bash
# POST /api/assess over HTTP on loopback: `liaison serve` on a demo SQLite database, signed in
# as the demo ED clinician, wrk with one connection (latency of one call at a time) and with
# 8 connections (throughput), 5 runs of 5 s each, medians. Every call appends one durable audit
# event (SQLite synchronous=FULL), which is part of what is measured.
#   bench/assess_http.sh [BUILD_DIR]      (default build/release)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin=${1:-build/release}/src/exe/liaison
work=$(mktemp -d)
server=""
trap '[[ -n "$server" ]] && { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; }; rm -rf "$work"' EXIT
"$bin" demo --db "sqlite:$work/http.db" >/dev/null
"$bin" serve --db "sqlite:$work/http.db" --listen 127.0.0.1:0 --web-root web >"$work/serve.out" 2>/dev/null &
server=$!
for _ in $(seq 1 100); do [[ -s "$work/serve.out" ]] && break; sleep 0.1; done
url="$(head -1 "$work/serve.out" | sed 's/listening on //')"
login=$(curl -s -D "$work/headers" -H 'Content-Type: application/json' \
  -d '{"username":"demo.ed_clinician","password":"ed_clinician-demo-2026"}' "$url/api/session")
cookie=$(grep -i '^set-cookie:' "$work/headers" | sed 's/^[^:]*: //; s/;.*//' | tr -d '\r')
csrf=$(printf '%s' "$login" | sed 's/.*"csrf_token":"\([0-9a-f]*\)".*/\1/')
body=$(tr -d '\n' <tests/golden/assess/infant_bruise.json | sed 's/\\/\\\\/g; s/"/\\"/g')
cat >"$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = "$body"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = "$cookie"
wrk.headers["X-CSRF-Token"] = "$csrf"
LUA
status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -H "Cookie: $cookie" \
  -H "X-CSRF-Token: $csrf" --data-binary @tests/golden/assess/infant_bruise.json "$url/api/assess")
[[ "$status" == 200 ]] || { echo "assess over HTTP answered $status"; exit 1; }
for connections in 1 8; do
  for run in 1 2 3 4 5; do
    wrk -t1 -c"$connections" -d5s --latency -s "$work/post.lua" "$url/api/assess" |
      awk '/Requests\/sec/ {rps=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} END {print rps, p50, p99}'
  done | sort -n | awk -v c="$connections" '{rps[NR]=$1; p50[NR]=$2; p99[NR]=$3} END {
    printf "POST /api/assess, %d connection(s): median %s req/s (min %s, max %s); median run p50 %s, p99 %s\n",
      c, rps[3], rps[1], rps[5], p50[3], p99[3]}'
done
