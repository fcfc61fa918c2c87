#!/usr/bin/env bash
# The register's command-line contract, end to end through the real binary:
#   tests/register_cli_test.sh PATH_TO_LIAISON [sqlite|postgresql]
# `import register` full and delta, bad rows (`line N: FIELD: reason`, the rest loads), exit
# codes 0/3/1/2, no NHS number in any message, and an attendance of a child on a plan raising
# an alert and one minimal outbox notification in the same import.
set -uo pipefail
bin=$1
backend=${2:-sqlite}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

use_database reg
run() { "$bin" "$@" --db "$db" "${anchor[@]}"; }

run migrate >/dev/null
run org add --code LA-EAST --name "East Council" --kind local_authority >/dev/null
run org add --code TR1 --name "Trust One" --kind trust >/dev/null
run site add --code TR1-ED --name "Trust One ED" --org TR1 >/dev/null
check "setup" 0 $?

header="id,nhs_number,given_name,family_name,birth_date,sex,postcode,status,plan_category,start_date,end_date,responsible_org,contact_in_hours,contact_out_of_hours,allocated_worker,mother_nhs_number"
cat >"$work/full.csv" <<CSV
$header
R1,9434765919,Ava,Nowak,2020-03-04,F,XE1 2AB,cp_plan,neglect,2026-01-02,,LA-EAST,01632 960001,01632 960501,Sam Worker,
R2,,Leo,Khan,2018-07-09,male,XE2 3CD,child_in_need,,2025-05-01,,LA-EAST,01632 960002,01632 960502,Jo Worker,
R3,,,Patel,,unknown,XE3 4EF,unborn_cp_plan,physical,2026-09-01,,LA-EAST,01632 960003,01632 960503,Al Worker,9999999999
R4,,Ivy,Jones,2019-02-30,F,XE4 5GH,looked_after,,2024-01-01,,LA-EAST,01632 960004,01632 960504,,
R1,9876543210,Ava,Nowak,2020-03-04,F,XE1 2AB,cp_plan,neglect,2026-01-02,,LA-EAST,a,b,c,
R5,1234567890,Maya,Evans,2017-11-11,female,XE5 6IJ,looked_after,,2023-03-03,,LA-EAST,a,b,c,
CSV
run import register "$work/full.csv" --org LA-EAST >"$work/out" 2>"$work/err"
check "full upload with bad rows exits 3" 3 $?
check "summary line" "read 6, accepted 4, rejected 2, warnings 1" "$(cat "$work/out")"
grep -qx "line 5: birth_date: invalid_date" "$work/err"
check "a bad date names line and field" 0 $?
grep -qx "line 6: id: duplicate_entry" "$work/err"
check "a duplicate entry is reported" 0 $?
grep -qx "line 7: nhs_number: invalid_nhs_number" "$work/err"
check "an invalid NHS number is a warning" 0 $?
check "no NHS number in any message" 0 "$(grep -cE '[0-9]{10}' "$work/err")"
check "four entries stored" 4 "$(query "SELECT count(*) FROM register_entries")"
check "the invalid number is stored as absent" 1 \
  "$(query "SELECT count(*) FROM register_entries WHERE local_id = 'R5' AND nhs_number IS NULL")"
check "with a data-quality note" "nhs_number: invalid_nhs_number (treated as absent)" \
  "$(query "SELECT data_quality FROM register_entries WHERE local_id = 'R5'")"

# Delta: remove R2, add R6, refuse a second entry for R1's child, refuse an unknown removal.
cat >"$work/delta.csv" <<'CSV'
id,action,nhs_number,family_name,birth_date,status
R2,delete,,,,
R6,,,Brown,2021-01-01,cp_plan
R7,,9434765919,Nowak,2020-03-04,cp_plan
R9,delete,,,,
CSV
run import register "$work/delta.csv" --org LA-EAST --mode delta >"$work/out" 2>"$work/err"
check "delta with refused rows exits 3" 3 $?
check "delta summary" "read 4, accepted 2, rejected 2, warnings 0" "$(cat "$work/out")"
grep -qx "line 4: nhs_number: duplicate_child" "$work/err"
check "a second entry for one child is refused" 0 $?
grep -qx "line 5: id: not_on_register" "$work/err"
check "an unknown removal is refused" 0 $?
check "delta applied" "R1 R3 R5 R6" "$(query "SELECT local_id FROM register_entries ORDER BY local_id" | tr '\n' ' ' | sed 's/ $//')"

# Exit codes when the run cannot go on.
run import register "$work/delta.csv" --org LA-EAST --mode sometimes >/dev/null 2>&1
check "bad mode is a usage error" 2 $?
run import register "$work/delta.csv" --org NOPE >/dev/null 2>"$work/err"
check "unknown organisation exits 1" 1 $?
run import register "$work/delta.csv" --org TR1 >/dev/null 2>"$work/err"
check "a trust cannot upload a register" 1 $?
check "one-line error" 1 "$(wc -l <"$work/err")"
run import register "$work/missing.csv" --org LA-EAST >/dev/null 2>&1
check "missing file exits 1" 1 $?
printf 'nhs_number,status\n9434765919,cp_plan\n' >"$work/noid.csv"
run import register "$work/noid.csv" --org LA-EAST >/dev/null 2>"$work/err"
check "header without id exits 1" 1 $?
check "entries untouched by failed runs" 4 "$(query "SELECT count(*) FROM register_entries")"

# The point of care: R1's child attends; her mother R3 attends pregnant; a stranger attends.
cat >"$work/attendances.ndjson" <<'JSON'
{"attendance_id":"A1","site":"TR1-ED","arrival":"2026-11-20T10:00:00Z","department":"emergency","patient":{"nhs_number":"9434765919","given_name":"Ava","family_name":"Nowak","birth_date":"2020-03-04"}}
{"attendance_id":"A2","site":"TR1-ED","arrival":"2026-11-20T11:00:00Z","department":"maternity","patient":{"nhs_number":"9999999999","pregnant":true}}
{"attendance_id":"A3","site":"TR1-ED","arrival":"2026-11-20T12:00:00Z","patient":{"nhs_number":"9876543210"}}
JSON
run import attendances "$work/attendances.ndjson" --org TR1 >"$work/out" 2>/dev/null
check "attendances import exits 0" 0 $?
check "two alerts raised" "mother_nhs_number nhs_number" \
  "$(query "SELECT basis FROM register_alerts ORDER BY basis" | tr '\n' ' ' | sed 's/ $//')"
check "alerts at review" "review" "$(query "SELECT DISTINCT concern_level FROM register_alerts")"
check "two notifications queued" 2 "$(query "SELECT count(*) FROM outbox WHERE topic = 'register.attendance'")"
payload=$(query "SELECT payload FROM outbox WHERE topic = 'register.attendance' AND payload LIKE '%\"R1\"%'")
check "minimal payload" '{"to":"LA-EAST","kind":"attendance","register_id":"R1","site":"TR1-ED","arrival":"2026-11-20T10:00:00.000000Z","department":"emergency"}' "$payload"
check "accesses recorded" 2 "$(query "SELECT count(*) FROM register_accesses WHERE kind = 'attendance'")"
run import attendances "$work/attendances.ndjson" --org TR1 >/dev/null 2>&1
check "re-sending changes nothing" 2 "$(query "SELECT count(*) FROM register_alerts")"
run audit verify >/dev/null
check "audit chain verifies" 0 $?

# assess --db checks the register silently: the child on a plan raises the level to at least
# review with the register's status as evidence; nobody on the register gets the no-match words.
printf '%s\n' '{"attendance_id":"Q1","site":"TR1-ED","arrival":"2026-11-21T10:00:00Z","patient":{"nhs_number":"9434765919","birth_date":"2020-03-04"}}' >"$work/q1.json"
run assess <"$work/q1.json" >"$work/out" 2>"$work/err"
check "assess --db exits 0" 0 $?
grep -q '"rule":"KNOWN-CSC"' "$work/out"
check "assess --db finds the child on the register" 0 $?
grep -q '"register.status=cp_plan"' "$work/out"
check "with the register status as evidence" 0 $?
grep -q '"level":"none"' "$work/out"
check "so the level is not none" 1 $?
check "found, said on stderr" "register: Found on the register." "$(cat "$work/err")"
"$bin" assess <"$work/q1.json" >"$work/out" 2>/dev/null
grep -q '"rule":"KNOWN-CSC"' "$work/out"
check "without --db there is no register finding" 1 $?
printf '%s\n' '{"attendance_id":"Q2","site":"TR1-ED","arrival":"2026-11-21T10:00:00Z","patient":{"nhs_number":"9876543210"}}' >"$work/q2.json"
run assess <"$work/q2.json" >/dev/null 2>"$work/err"
check "not found is never an all-clear" \
  "register: Not found on the register. This does not mean there is no concern." "$(cat "$work/err")"
check "silent lookups notify nobody" 2 "$(query "SELECT count(*) FROM outbox")"
run audit verify >/dev/null
check "audit chain verifies after assess" 0 $?

# A full replacement drops whoever it does not list, but a listed child whose row is bad
# keeps the entry they had.
printf '%s\nR6,,,Brown,2021-01-01,,,cp_plan,,,,,,,,\nR5,,Maya,Evans,2017-11-31,,,looked_after,,,,,,,,\n' \
  "$header" >"$work/only.csv"
run import register "$work/only.csv" --org LA-EAST >"$work/out" 2>"$work/err"
check "full replacement with a bad row exits 3" 3 $?
check "the bad row is reported" "line 3: birth_date: invalid_date" "$(head -1 "$work/err")"
check "R6 stored, R5 kept, the rest dropped" "R5 R6" \
  "$(query "SELECT local_id FROM register_entries ORDER BY local_id" | tr '\n' ' ' | sed 's/ $//')"
check "R5 kept as it was" "2017-11-11" "$(query "SELECT birth_date FROM register_entries WHERE local_id = 'R5'")"

echo "register cli ($backend): $passed passed, $failed failed"
(( failed == 0 ))
