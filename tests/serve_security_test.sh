#!/usr/bin/env bash
# Security behaviour of `liaison serve` that needs real processes and sockets:
#   tests/serve_security_test.sh PATH_TO_LIAISON [sqlite|postgresql]
# - the sign-in lockout is shared by two serve processes on one database, and survives a
#   restart (decision 21);
# - the no-JavaScript sign-in form hands on to /account, whose forms carry the session's CSRF
#   token, and a form post is checked with it;
# - the new serve options are validated (exit 2).
set -uo pipefail
bin=$1
backend=${2:-sqlite}
web="$(dirname "$0")/../web"
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done; rm -rf "$work"' EXIT
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

use_database serve_sec
export LIAISON_PASSWORD_COST=minimum
"$bin" demo --db "$db" "${anchor[@]}" >/dev/null
check "demo loads" 0 $?

# Starts `serve` in the background; sets `port` and appends the pid to `pids`.
start() {  # start NAME
  : >"$work/$1.out"
  "$bin" serve --db "$db" "${anchor[@]}" --listen 127.0.0.1:0 --outbox-dir "$work/outbox" --web-root "$web" \
    >"$work/$1.out" 2>"$work/$1.err" &
  pids+=($!)
  for _ in $(seq 1 100); do [[ -s "$work/$1.out" ]] && break; sleep 0.1; done
  port=$(head -1 "$work/$1.out" | sed -E 's/.*:([0-9]+)$/\1/')
}

sign_in() {  # sign_in PORT PASSWORD: prints the HTTP status
  curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    -d "{\"username\":\"demo.auditor\",\"password\":\"$2\"}" "http://127.0.0.1:$1/api/session"
}

"$bin" serve --db "$db" "${anchor[@]}" --listen 127.0.0.1:0 --outbox-dir "$work/outbox" --break-glass-minutes 0 \
  >/dev/null 2>"$work/err"
check "--break-glass-minutes out of range is a usage error" 2 $?
check "one error line" 1 "$(wc -l <"$work/err")"
"$bin" serve --db "$db" "${anchor[@]}" --listen 127.0.0.1:0 --outbox-dir "$work/outbox" --purge-interval 0 \
  >/dev/null 2>/dev/null
check "--purge-interval out of range is a usage error" 2 $?

# serve --config: the options from a file's [serve] section; the command line wins over it,
# and a name serve does not have is a usage error. (port 1 would fail: the command line's 0 wins.)
printf '[serve]\ndb = "%s"\nlisten = "127.0.0.1:1"\nbreak-glass-minutes = 30\n' "$db" >"$work/serve.toml"
"$bin" serve --config "$work/serve.toml" "${anchor[@]}" --listen 127.0.0.1:0 --outbox-dir "$work/outbox" \
  --web-root "$web" >"$work/config.out" 2>"$work/config.err" &
config_pid=$!
for _ in $(seq 1 100); do [[ -s "$work/config.out" ]] && break; sleep 0.1; done
config_port=$(head -1 "$work/config.out" | sed -E 's/.*:([0-9]+)$/\1/')
check "serve takes its database from --config" 200 "$(curl -s -o /dev/null -w '%{http_code}' \
  "http://127.0.0.1:$config_port/readyz")"
kill -TERM "$config_pid"
wait "$config_pid"
check "serve --config stops cleanly" 0 $?
printf '[serve]\ndb = "%s"\nlisen = "127.0.0.1:0"\n' "$db" >"$work/typo.toml"
"$bin" serve --config "$work/typo.toml" >/dev/null 2>"$work/err"
check "a misspelt name in --config is a usage error" 2 $?
check "it names the setting" 1 "$(grep -c 'serve.lisen' "$work/err")"
"$bin" serve --config "$work/missing.toml" >/dev/null 2>/dev/null
check "a missing --config file is a usage error" 2 $?

# Two processes, one database: failures counted by A lock the username in B.
start a
port_a=$port
start b
port_b=$port
for _ in 1 2 3 4 5 6; do
  check "wrong password on A" 401 "$(sign_in "$port_a" 'not the password at all')"
done
check "B refuses the right password while locked" 429 "$(sign_in "$port_b" auditor-demo-2026)"
retry=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
  -d '{"username":"demo.auditor","password":"auditor-demo-2026"}' \
  "http://127.0.0.1:$port_b/api/session" | tr -d '\r' | sed -n 's/^Retry-After: //Ip')
[[ "$retry" =~ ^[0-9]+$ ]] && ((retry >= 1 && retry <= 60))
check "B says when to retry (1-60 s)" 0 $?
# A restart of A remembers too.
kill -TERM "${pids[0]}"
wait "${pids[0]}"
check "A stops cleanly" 0 $?
start a2
check "restarted A still refuses" 429 "$(sign_in "$port" auditor-demo-2026)"
check "another user is not locked" 200 "$(curl -s -o /dev/null -w '%{http_code}' \
  -H 'Content-Type: application/json' \
  -d '{"username":"demo.midwife","password":"midwife-demo-2026"}' \
  "http://127.0.0.1:$port/api/session")"

# The no-JavaScript path: sign in with the form, the account page hands on the CSRF token,
# and the sign-out form is checked with it.
jar="$work/cookies"
location=$(curl -s -c "$jar" -o /dev/null -w '%{redirect_url}' \
  --data-urlencode username=demo.midwife --data-urlencode password=midwife-demo-2026 \
  "http://127.0.0.1:$port/login")
check "the sign-in form hands on to /account" "http://127.0.0.1:$port/account" "$location"
curl -s -b "$jar" "http://127.0.0.1:$port/account" >"$work/account.html"
token=$(sed -n 's/.*name="csrf_token" value="\([0-9a-f]*\)".*/\1/p' "$work/account.html" | head -1)
check "the account page embeds a CSRF token" 64 "${#token}"
check "a sign-out form without the token is refused" 403 "$(curl -s -b "$jar" -o /dev/null \
  -w '%{http_code}' -d x=1 "http://127.0.0.1:$port/logout")"
check "the sign-out form with the token signs out" 303 "$(curl -s -b "$jar" -o /dev/null \
  -w '%{http_code}' -d "csrf_token=$token" "http://127.0.0.1:$port/logout")"
check "the session is over" 401 "$(curl -s -b "$jar" -o /dev/null -w '%{http_code}' \
  "http://127.0.0.1:$port/api/session")"

# A leaver cut off from the command line while serve runs: `user disable` ends the session at
# once and sign-in refuses them; `user enable` lets them sign in again. Both are audited.
jar="$work/leaver"
check "the clinician signs in" 200 "$(curl -s -c "$jar" -o /dev/null -w '%{http_code}' \
  -H 'Content-Type: application/json' \
  -d '{"username":"demo.ed_clinician","password":"ed_clinician-demo-2026"}' \
  "http://127.0.0.1:$port/api/session")"
check "the session works" 200 "$(curl -s -b "$jar" -o /dev/null -w '%{http_code}' \
  "http://127.0.0.1:$port/api/session")"
check "user disable" "disabled user demo.ed_clinician" \
  "$("$bin" user disable --db "$db" "${anchor[@]}" --username demo.ed_clinician 2>&1)"
check "the open session is refused at once" 401 "$(curl -s -b "$jar" -o /dev/null \
  -w '%{http_code}' "http://127.0.0.1:$port/api/session")"
check "a disabled user cannot sign in" 401 "$(curl -s -o /dev/null -w '%{http_code}' \
  -H 'Content-Type: application/json' \
  -d '{"username":"demo.ed_clinician","password":"ed_clinician-demo-2026"}' \
  "http://127.0.0.1:$port/api/session")"
"$bin" user disable --db "$db" "${anchor[@]}" --username no.such.user >/dev/null 2>"$work/err"
check "an unknown user is an error" 1 $?
check "it says which field" 1 "$(grep -c '(/username) \[unknown_user\]' "$work/err")"
check "user enable" "enabled user demo.ed_clinician" \
  "$("$bin" user enable --db "$db" "${anchor[@]}" --username demo.ed_clinician 2>&1)"
check "the enabled user signs in again" 200 "$(curl -s -o /dev/null -w '%{http_code}' \
  -H 'Content-Type: application/json' \
  -d '{"username":"demo.ed_clinician","password":"ed_clinician-demo-2026"}' \
  "http://127.0.0.1:$port/api/session")"
check "both changes, and the unknown user, are in the audit trail" "allow 2 not_found 1" \
  "$(query "SELECT outcome, count(*) FROM audit_events WHERE action = 'user.update' AND actor = 'cli' GROUP BY outcome ORDER BY outcome" | tr '|\n' '  ' | sed 's/ $//')"

for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
pids=()
if grep -qE '999[0-9]{7}' "$work"/*.err; then check "no NHS number in the logs" none found; fi

echo "serve security ($backend): $passed passed, $failed failed"
[[ $failed -eq 0 ]]
