#!/usr/bin/env bash
# `liaison sweep` end to end through the real binary:
#   tests/sweep_cli_test.sh PATH_TO_LIAISON [sqlite|postgresql]
# Checks the worklist lines (members and order), that a file, stdin, a shuffled file sorted on
# disk and CSV give the same worklist, the date range, rejected rows (exit 3), usage errors
# (exit 2), and --db storing the worklist with an intact audit chain.
set -uo pipefail
bin=$1
backend=${2:-sqlite}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

use_database sweep

feed=$work/feed.ndjson
"$bin" generate --seed 5 --attendances 3000 --out "$feed" --truth "$work/truth.csv" \
  --register "$work/register.csv"

# A file in arrival order: no sort, the contract's summary line, one item per line.
"$bin" sweep --in "$feed" --out "$work/file.ndjson" >"$work/summary" 2>"$work/err"
check "sweep exits 0" 0 $?
check "summary line" "read 3000, accepted 3000, rejected 0" "$(cut -d, -f1-3 "$work/summary")"
grep -q "^sweep: assessed 3000, worklist" "$work/err"
check "progress and totals on stderr" 0 $?
items=$(wc -l <"$work/file.ndjson")
check "the worklist is not empty" 1 "$((items > 0))"
member_order='^\{"attendance_id":"[^"]+","site":"[^"]+","arrival":"[^"]+",("age_days":[0-9]+,)?"level":"(review|prompt|consider|suspect)","findings":\[.+\],"person_key":"[^"]+"\}$'
check "every line has the members in contract order" "$items" "$(grep -cE "$member_order" "$work/file.ndjson")"
# Levels never rise down the list; within a level, known ages never follow unknown ones.
order=$(sed -E 's/.*"level":"([a-z]+)","findings".*/\1/' "$work/file.ndjson" |
  awk 'BEGIN{r["suspect"]=4;r["consider"]=3;r["prompt"]=2;r["review"]=1;p=9;bad=0}
       {if (r[$1]>p) bad=1; p=r[$1]} END{print bad}')
check "levels come highest first" 0 "$order"
ages=$(awk '{match($0, /"level":"[a-z]+","findings"/); lvl=substr($0,RSTART+9,RLENGTH-21); age=-1;
            if (match($0, /"age_days":[0-9]+/)) age=substr($0,RSTART+11,RLENGTH-11)+0;
            if (lvl!=pl) {pa=-2} else if ((pa==-1 && age>=0) || (pa>=0 && age>=0 && age<pa)) bad=1;
            pl=lvl; pa=age} END{print bad+0}' "$work/file.ndjson")
check "youngest first within a level, unknown ages last" 0 "$ages"

# stdin gives the same worklist (sorted on disk with a tiny budget).
"$bin" sweep --in - --format ndjson --out "$work/stdin.ndjson" --sort-memory-mb 1 --quiet <"$feed" >/dev/null 2>&1
check "stdin exits 0" 0 $?
check "stdin gives the same worklist" "" "$(cmp "$work/file.ndjson" "$work/stdin.ndjson" 2>&1)"

# A shuffled file is detected, sorted on disk, and gives the same worklist.
shuf --random-source=<(yes) "$feed" >"$work/shuffled.ndjson"
"$bin" sweep --in "$work/shuffled.ndjson" --out "$work/shuffled.out" --sort-memory-mb 1 \
  --threads 3 >/dev/null 2>"$work/err"
check "shuffled exits 0" 0 $?
grep -q "not in arrival order; sorting it" "$work/err"
check "shuffled input is reported as sorted" 0 $?
check "shuffled input gives the same worklist" "" "$(cmp "$work/file.ndjson" "$work/shuffled.out" 2>&1)"

# Decoding on three threads gives the same worklist; fewer than one is a usage error.
"$bin" sweep --in "$feed" --out "$work/decode3.ndjson" --decode-threads 3 --quiet >/dev/null 2>&1
check "three decoding threads exit 0" 0 $?
check "three decoding threads give the same worklist" "" "$(cmp "$work/file.ndjson" "$work/decode3.ndjson" 2>&1)"
"$bin" sweep --in "$feed" --out "$work/decode-bad.ndjson" --decode-threads -1 --quiet >/dev/null 2>&1
check "a negative --decode-threads is a usage error" 2 $?

# CSV of the same seed gives the same worklist.
"$bin" generate --seed 5 --attendances 3000 --format csv --out "$work/feed.csv"
"$bin" sweep --in "$work/feed.csv" --out "$work/csv.ndjson" --quiet >/dev/null 2>&1
check "csv exits 0" 0 $?
check "csv gives the same worklist" "" "$(cmp "$work/file.ndjson" "$work/csv.ndjson" 2>&1)"

# The date range is of London dates, inclusive at both ends.
"$bin" sweep --in "$feed" --out "$work/range.ndjson" --from 2026-03-29 --to 2026-03-30 --quiet >/dev/null 2>&1
check "range exits 0" 0 $?
outside=$(grep -cvE '"arrival":"2026-03-(28T2[3]|29|30)' "$work/range.ndjson")
check "range keeps only arrivals on those London dates" 0 "$outside"
check "range is a subset" 1 "$(( $(wc -l <"$work/range.ndjson") < items ))"

# With the register, people on it are flagged as known to social care; without it, never.
"$bin" sweep --in "$feed" --out "$work/register.out" --register "$work/register.csv" >/dev/null 2>"$work/err"
check "register exits 0" 0 $?
grep -q "^sweep: register: [1-9][0-9]* people" "$work/err"
check "register size on stderr" 0 $?
check "register finds people known to social care" 1 "$(( $(grep -c '"category":"known_to_social_care"' "$work/register.out") > 0 ))"
check "no register, no such finding" 0 "$(grep -c '"category":"known_to_social_care"' "$work/file.ndjson")"
"$bin" sweep --in "$feed" --out "$work/x" --register "$feed" 2>"$work/err"
check "a file that is not a register exits 1" 1 $?

# Rejected rows: reported by line, summary counts them, exit 3, the rest is swept.
{ head -n 10 "$feed"; echo '{"attendance_id":"X","site":"S","arrival":"soon","patient":{}}'; echo 'not json'; tail -n +11 "$feed"; } >"$work/bad.ndjson"
"$bin" sweep --in "$work/bad.ndjson" --out "$work/bad.out" --quiet >"$work/summary" 2>"$work/err"
check "rejected rows exit 3" 3 $?
check "rejected summary" "read 3002, accepted 3000, rejected 2" "$(cut -d, -f1-3 "$work/summary")"
grep -q "^line 11: /arrival: invalid_datetime$" "$work/err"
check "a rejected row names its line and field" 0 $?
grep -q "^line 12: (row): invalid_json$" "$work/err"
check "an unreadable row names its line" 0 $?
check "rejected rows do not change the worklist" "" "$(cmp "$work/file.ndjson" "$work/bad.out" 2>&1)"

# A file out of order with bad rows is read by partition, found out of order, and read again
# through the sort: each issue is still reported exactly once.
{ echo 'not json'; cat "$work/shuffled.ndjson"; echo 'not json either'; } >"$work/bad-shuffled.ndjson"
"$bin" sweep --in "$work/bad-shuffled.ndjson" --out "$work/bad-shuffled.out" --sort-memory-mb 1 \
  >/dev/null 2>"$work/err"
check "bad shuffled rows exit 3" 3 $?
grep -q "not in arrival order; sorting it" "$work/err"
check "bad shuffled input is sorted" 0 $?
check "each issue is reported once across the restart" "" "$(grep '^line ' "$work/err" | sort | uniq -d)"
check "the first bad line is reported" 1 "$(grep -c '^line 1: (row): invalid_json$' "$work/err")"
check "the last bad line is reported" 1 "$(grep -c '^line 3002: (row): invalid_json$' "$work/err")"
check "bad shuffled rows do not change the worklist" "" "$(cmp "$work/file.ndjson" "$work/bad-shuffled.out" 2>&1)"

# Usage errors exit 2 with one line; a missing file exits 1.
"$bin" sweep --in "$feed" --out "$work/x" --from 2026-05-02 --to 2026-05-01 2>"$work/err"
check "from after to exits 2" 2 $?
check "usage error is one line" 1 "$(wc -l <"$work/err")"
"$bin" sweep --in "$feed" --out "$work/x" --history-days -1 2>/dev/null
check "negative history exits 2" 2 $?
"$bin" sweep --in "$work/feed.txt" --out "$work/x" 2>/dev/null
check "unknown format exits 2" 2 $?
"$bin" sweep --in "$work/missing.ndjson" --out "$work/x" 2>"$work/err"
check "missing file exits 1" 1 $?
check "missing file error is one line" 1 "$(wc -l <"$work/err")"

# --db stores the worklist in order, audited.
"$bin" migrate --db "$db" "${anchor[@]}" >/dev/null
"$bin" sweep --in "$feed" --out "$work/db.ndjson" --db "$db" "${anchor[@]}" --quiet >/dev/null 2>&1
check "sweep --db exits 0" 0 $?
check "stored items equal the file's lines" "$items" "$(query "SELECT count(*) FROM worklist_items")"
check "the run records its count" "$items" "$(query "SELECT item_count FROM worklist_runs")"
first_id=$(head -n 1 "$work/db.ndjson" | sed -E 's/^\{"attendance_id":"([^"]+)".*/\1/')
check "position 1 is the first line" "$first_id" "$(query "SELECT attendance_id FROM worklist_items WHERE position = 1")"
check "one audit event for the run" 1 "$(query "SELECT count(*) FROM audit_events WHERE action = 'worklist.create'")"
"$bin" audit verify --db "$db" "${anchor[@]}" >/dev/null
check "audit chain verifies" 0 $?

if [[ "$backend" == postgresql ]]; then
  psql "$LIAISON_TEST_PG_URL" -qc "DROP DATABASE $dbname WITH (FORCE)" >/dev/null
fi
echo "sweep_cli_test ($backend): $passed passed, $failed failed"
[[ $failed -eq 0 ]]
