#!/usr/bin/env bash
# The command-line contract, end to end through the real binary:
#   tests/cli_test.sh PATH_TO_LIAISON [sqlite|postgresql]
# Checks exit codes (0 ok, 1 failure, 2 usage), one-line errors without patient data, the
# first line of `serve`, graceful shutdown, and that `audit verify` catches tampering.
set -uo pipefail
bin=$1
backend=${2:-sqlite}
work=$(mktemp -d)
server_pid=""
trap '[[ -n "$server_pid" ]] && kill -9 "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT
passed=0
failed=0

check() {  # check NAME EXPECTED ACTUAL
  if [[ "$2" == "$3" ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $1: expected [$2], got [$3]"
  fi
}

if [[ "$backend" == postgresql ]]; then
  : "${LIAISON_TEST_PG_URL:?run through scripts/with-postgres.sh}"
  dbname="liaison_cli_$$_$RANDOM"
  psql "$LIAISON_TEST_PG_URL" -qc "CREATE DATABASE $dbname" >/dev/null
  db="${LIAISON_TEST_PG_URL%/*}/$dbname"
  anchor=(--audit-anchor "$work/pg.audit-anchor")
  tamper() { psql "$db" -qc "$1" >/dev/null; }
else
  db="sqlite:$work/cli.db"
  anchor=()
  tamper() { sqlite3 "$work/cli.db" "$1"; }
fi

"$bin" migrate --db "$db" "${anchor[@]}" >/dev/null
check "migrate exits 0" 0 $?
"$bin" migrate --db "$db" "${anchor[@]}" >/dev/null
check "migrate is repeatable" 0 $?
"$bin" demo --db "$db" "${anchor[@]}" >/dev/null && "$bin" demo --db "$db" "${anchor[@]}" >/dev/null
check "demo is repeatable" 0 $?

"$bin" org add --db "$db" "${anchor[@]}" --code LA-EAST --name "East Council" --kind local_authority >/dev/null
check "org add" 0 $?
"$bin" org add --db "$db" "${anchor[@]}" --code LA-EAST --name "Again" --kind local_authority >/dev/null 2>"$work/err"
check "duplicate org exits 1" 1 $?
check "duplicate org error is one line" 1 "$(wc -l <"$work/err")"
grep -q "already exists" "$work/err"
check "duplicate org error says why" 0 $?
"$bin" org add --db "$db" "${anchor[@]}" --code X --name Y --kind hospital >/dev/null 2>&1
check "bad kind is a usage error" 2 $?
"$bin" org add --db "$db" "${anchor[@]}" --code X >/dev/null 2>&1
check "missing option is a usage error" 2 $?
"$bin" site add --db "$db" "${anchor[@]}" --code E1 --name "East site" --org LA-EAST >/dev/null
check "site add" 0 $?
"$bin" site add --db "$db" "${anchor[@]}" --code E2 --name "Nowhere" --org NOPE >/dev/null 2>"$work/err"
check "site for unknown org exits 1" 1 $?
grep -q "/org" "$work/err"
check "unknown org error names the field" 0 $?
"$bin" frobnicate >/dev/null 2>&1
check "unknown subcommand is a usage error" 2 $?
"$bin" migrate --db "mysql://nope" >/dev/null 2>&1
check "unknown database URL fails" 1 $?

"$bin" serve --db "$db" "${anchor[@]}" --listen 127.0.0.1:0 --web-root "$(dirname "$0")/../web" \
  >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
for _ in $(seq 1 100); do [[ -s "$work/serve.out" ]] && break; sleep 0.1; done
first=$(head -1 "$work/serve.out")
[[ "$first" =~ ^listening\ on\ http://127\.0\.0\.1:[0-9]+$ ]]
check "serve prints where it listens" 0 $?
port=${first##*:}
check "healthz answers" 200 "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")"
check "demo resource needs sign-in" 401 \
  "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/organisations/RDEMO")"
kill -TERM "$server_pid"
wait "$server_pid"
check "serve stops cleanly on SIGTERM" 0 $?
server_pid=""
if grep -qE '999[0-9]{7}' "$work/serve.err"; then check "no NHS number in the log" none found; fi

"$bin" audit verify --db "$db" "${anchor[@]}" >"$work/verify.out"
check "intact chain verifies" 0 $?
grep -qE '^ok: [0-9]+ events$' "$work/verify.out"
check "verify prints ok: N events" 0 $?

tamper "UPDATE audit_events SET reason = reason || ' (edited)' WHERE seq = 5"
"$bin" audit verify --db "$db" "${anchor[@]}" >"$work/verify.out"
check "altered event fails verification" 1 $?
grep -q "^bad event 5:" "$work/verify.out"
check "verify names the altered event" 0 $?
tamper "UPDATE audit_events SET reason = replace(reason, ' (edited)', '') WHERE seq = 5"
"$bin" audit verify --db "$db" "${anchor[@]}" >/dev/null
check "undoing the edit makes the chain whole again" 0 $?
tamper "DELETE FROM audit_events WHERE seq = (SELECT max(seq) FROM audit_events)"
"$bin" audit verify --db "$db" "${anchor[@]}" >"$work/verify.out"
check "cutting off the newest event fails verification" 1 $?
grep -q "removed" "$work/verify.out"
check "verify says events were removed" 0 $?

if [[ "$backend" == postgresql ]]; then
  psql "$LIAISON_TEST_PG_URL" -qc "DROP DATABASE $dbname WITH (FORCE)" >/dev/null
fi
echo "cli_test ($backend): $passed passed, $failed failed"
[[ $failed -eq 0 ]]
