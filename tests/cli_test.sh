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
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

use_database cli
tamper() { query "$1" >/dev/null; }

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

"$bin" serve --db "$db" "${anchor[@]}" --listen 127.0.0.1:0 --outbox-dir "$work/outbox" --web-root "$(dirname "$0")/../web" \
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

# HTTPS only, with a throwaway self-signed certificate.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
  -keyout "$work/tls.key" -out "$work/tls.crt" >/dev/null 2>&1
check "test certificate made" 0 $?
serve_tls=("$bin" serve --db "$db" "${anchor[@]}" --listen 127.0.0.1:0 --outbox-dir "$work/outbox" --web-root "$(dirname "$0")/../web")
"${serve_tls[@]}" --tls-cert "$work/tls.crt" >/dev/null 2>"$work/err"
check "--tls-cert without --tls-key is a usage error" 2 $?
check "the TLS usage error is one line" 1 "$(wc -l <"$work/err")"
"${serve_tls[@]}" --tls-cert "$work/missing.crt" --tls-key "$work/tls.key" >"$work/serve.out" 2>"$work/err"
check "an unreadable certificate exits 1" 1 $?
check "the certificate error is one line" 1 "$(wc -l <"$work/err")"
check "nothing listens after a certificate error" 0 "$(wc -c <"$work/serve.out")"
"${serve_tls[@]}" --tls-cert "$work/tls.key" --tls-key "$work/tls.key" >/dev/null 2>"$work/err"
check "a key given as the certificate exits 1" 1 $?
# Truncate here: the background child's redirection may run after the wait loop first looks.
: >"$work/serve.out"
"${serve_tls[@]}" --tls-cert "$work/tls.crt" --tls-key "$work/tls.key" >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
for _ in $(seq 1 100); do [[ -s "$work/serve.out" ]] && break; sleep 0.1; done
first=$(head -1 "$work/serve.out")
[[ "$first" =~ ^listening\ on\ https://127\.0\.0\.1:[0-9]+$ ]]
check "serve with TLS prints an https address" 0 $?
port=${first##*:}
check "healthz answers over TLS" 200 "$(curl -sk -o /dev/null -w '%{http_code}' "https://127.0.0.1:$port/healthz")"
curl -sk -D - -o /dev/null "https://127.0.0.1:$port/healthz" | grep -qi '^strict-transport-security: max-age='
check "HSTS over TLS" 0 $?
check "plain HTTP on the TLS port gets no HTTP answer" 000 \
  "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port/healthz")"
cookie=$(curl -sk -D - -o /dev/null -H 'Content-Type: application/json' \
  -d '{"username":"demo.admin","password":"admin-demo-2026"}' "https://127.0.0.1:$port/api/session" |
  grep -i '^set-cookie: liaison_session=')
[[ "$cookie" == *"; Secure"* && "$cookie" == *"HttpOnly"* ]]
check "the session cookie is Secure over TLS" 0 $?
kill -TERM "$server_pid"
wait "$server_pid"
check "TLS serve stops cleanly on SIGTERM" 0 $?
server_pid=""

# Behind a TLS-terminating proxy the cookie must still be Secure.
: >"$work/serve.out"
"$bin" serve --db "$db" "${anchor[@]}" --listen 127.0.0.1:0 --outbox-dir "$work/outbox" --web-root "$(dirname "$0")/../web" \
  --behind-tls-proxy >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
for _ in $(seq 1 100); do [[ -s "$work/serve.out" ]] && break; sleep 0.1; done
port=$(head -1 "$work/serve.out"); port=${port##*:}
cookie=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
  -d '{"username":"demo.admin","password":"admin-demo-2026"}' "http://127.0.0.1:$port/api/session" |
  grep -i '^set-cookie: liaison_session=')
[[ "$cookie" == *"; Secure"* ]]
check "the session cookie is Secure behind a TLS proxy" 0 $?
kill -TERM "$server_pid"
wait "$server_pid"
server_pid=""

# Importing attendances: generator output goes into the database as it is; importing it again
# accepts every row but stores nothing new, which the stderr note shows.
"$bin" generate --seed 7 --attendances 200 --format ndjson --out "$work/feed.ndjson" >/dev/null
check "generate 200 attendances" 0 $?
"$bin" import attendances "$work/feed.ndjson" --db "$db" "${anchor[@]}" >"$work/import.out" 2>"$work/import.err"
check "import exits 0" 0 $?
first_summary=$(cat "$work/import.out")
[[ "$first_summary" =~ ^read\ 200,\ accepted\ 200,\ rejected\ 0,\ warnings\ [0-9]+$ ]]
check "import prints the summary line only" 0 $?
check "import notes what it stored" "import: created 200, updated 0, unchanged 0" \
  "$(grep '^import:' "$work/import.err")"
grep -q "^line 1: /site: unknown_site$" "$work/import.err"
check "an unconfigured site is a warning" 0 $?
check "200 attendances stored" 200 "$(query "SELECT count(*) FROM attendances WHERE site_code LIKE 'RSY%'")"
"$bin" import attendances "$work/feed.ndjson" --db "$db" "${anchor[@]}" >"$work/import.out" 2>"$work/import.err"
check "re-import exits 0" 0 $?
check "re-import accepts the same rows" "$first_summary" "$(cat "$work/import.out")"
check "re-import stores nothing new" "import: created 0, updated 0, unchanged 200" \
  "$(grep '^import:' "$work/import.err")"
check "still 200 attendances stored" 200 "$(query "SELECT count(*) FROM attendances WHERE site_code LIKE 'RSY%'")"
head -5 "$work/feed.ndjson" >"$work/bad.ndjson"
echo '{"attendance_id":"X-1","site":"RSY01","arrival":"not a time","patient":{}}' >>"$work/bad.ndjson"
"$bin" import attendances "$work/bad.ndjson" --db "$db" "${anchor[@]}" >"$work/import.out" 2>"$work/import.err"
check "a file with a bad row exits 3" 3 $?
check "the bad row is counted" "read 6, accepted 5, rejected 1" "$(cut -d, -f1-3 "$work/import.out")"
grep -q "^line 6: /arrival: invalid_datetime$" "$work/import.err"
check "the bad row is reported with its line, field and reason" 0 $?
if grep -qE '9[0-9]{9}' "$work/import.err"; then check "no NHS number in the import report" none found; fi
"$bin" generate --seed 8 --attendances 20 --format csv --out - |
  "$bin" import attendances - --format csv --db "$db" "${anchor[@]}" >"$work/import.out" 2>/dev/null
check "a CSV feed imports from stdin" 0 $?
check "the CSV summary" "read 20, accepted 20, rejected 0" "$(cut -d, -f1-3 "$work/import.out")"
"$bin" import attendances "$work/feed.ndjson" --org NOPE --db "$db" "${anchor[@]}" >/dev/null 2>"$work/err"
check "an unknown --org cannot run" 1 $?
"$bin" import attendances "$work/missing.ndjson" --db "$db" "${anchor[@]}" >/dev/null 2>&1
check "a missing file cannot run" 1 $?
"$bin" import attendances "$work/feed.txt" --db "$db" "${anchor[@]}" >/dev/null 2>&1
check "an unknown format is a usage error" 2 $?

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
