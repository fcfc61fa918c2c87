#!/usr/bin/env bash
# GET /api/people/{id} throughput (wrk -t1 -c4, 3 s per run, median of RUNS) by ground of
# access: safeguarding nurse (no relationship lookup), ED clinician involved by an involvement
# row, ED clinician under break-glass (all lookups). Every read also commits its audit event.
#   bench/person_read_bench.sh LIAISON_BIN [RUNS]
set -euo pipefail
bin=$1; runs=${2:-5}
work=$(mktemp -d); trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
export LIAISON_PASSWORD_COST=minimum
db="sqlite:$work/b.db"
"$bin" demo --db "$db" >/dev/null
"$bin" serve --db "$db" --listen 127.0.0.1:0 --web-root "$(dirname "$0")/../web" --threads 2 >"$work/out" 2>/dev/null &
pid=$!
for _ in $(seq 1 100); do [[ -s "$work/out" ]] && break; sleep 0.1; done
port=$(head -1 "$work/out" | sed -E 's/.*:([0-9]+)$/\1/')
url="http://127.0.0.1:$port"
login() {  # login USER PASSWORD -> "cookie csrf"
  local body; body=$(curl -s -D "$work/h" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$2\"}" "$url/api/session")
  local cookie; cookie=$(tr -d '\r' <"$work/h" | sed -n 's/^Set-Cookie: \(liaison_session=[0-9a-f]*\).*/\1/Ip')
  echo "$cookie $(echo "$body" | jq -r .csrf_token)"
}
read -r ncookie ncsrf <<<"$(login demo.safeguarding_nurse safeguarding_nurse-demo-2026)"
read -r ccookie ccsrf <<<"$(login demo.ed_clinician ed_clinician-demo-2026)"
mk() { curl -s -H "Cookie: $ncookie" -H "X-CSRF-Token: $ncsrf" -H 'Content-Type: application/json' \
  -d '{"given_name":"Bench"}' "$url/api/people" | jq -r .id; }
involved=$(mk); glass=$(mk)
curl -s -o /dev/null -H "Cookie: $ncookie" -H "X-CSRF-Token: $ncsrf" -H 'Content-Type: application/json' \
  -d '{"username":"demo.ed_clinician"}' "$url/api/people/$involved/involvements"
curl -s -o /dev/null -H "Cookie: $ccookie" -H "X-CSRF-Token: $ccsrf" -H 'Content-Type: application/json' \
  -d '{"reason":"benchmark of break-glass reads"}' "$url/api/people/$glass/break-glass"
bench() {  # bench NAME COOKIE ID
  local rates=()
  for _ in $(seq 1 "$runs"); do
    rates+=("$(wrk -t1 -c4 -d3s -H "Cookie: $2" "$url/api/people/$3" | awk '/Requests\/sec/ {print $2}')")
  done
  printf '%s: median %s req/s (runs: %s)\n' "$1" \
    "$(printf '%s\n' "${rates[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')" "${rates[*]}"
}
bench "nurse (no relationship lookup)" "$ncookie" "$involved"
bench "clinician involved (involvement row)" "$ccookie" "$involved"
bench "clinician break-glass (all lookups)" "$ccookie" "$glass"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $ccookie" "$url/api/people/$glass")
echo "check: break-glass read answers $code"
