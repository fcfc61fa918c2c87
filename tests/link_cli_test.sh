#!/usr/bin/env bash
# `liaison link` and `liaison link train` through the real binary (contracts.md, "link"):
#   tests/link_cli_test.sh PATH_TO_LIAISON
# Checks the output columns and order, bands on a register with twins, the probability of
# no_match, header matching with extra columns, bad rows (line and field on stderr, never the
# value; exit 3), bad model files and missing files (exit 1), usage errors (exit 2), that the
# binary works from another directory, and that training writes a model that links.
set -uo pipefail
bin=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cat >"$work/register.csv" <<'CSV'
id,nhs_number,given_name,family_name,birth_date,sex,postcode,status
R1,9990000018,Amelia,Okafor,2020-05-14,female,XA3 1BD,cp_plan
R2,9990000026,Isla,Okafor,2020-05-14,female,XA3 1BD,cp_plan
R3,9990000107,Noah,Okafor,2016-09-02,male,XA3 1BD,looked_after
R4,9990001006,Oliver,Smith,2018-02-07,male,XB9 4EF,cp_plan
R5,,Freya,Nowak,2021-11-30,female,XC2 7GH,child_in_need
CSV
# Columns in another order, an extra column, empty values.
cat >"$work/queries.csv" <<'CSV'
note,sex,postcode,family_name,given_name,birth_date,nhs_number,id
exact,M,XB9 4EF,Smith,Oliver,2018-02-07,999 000 1006,Q1
no number,,XB9 4EF,SMITH,Olly,2018-02-07,,Q2
twin placeholder,F,XA3 1BD,Okafor,Twin 1,2020-05-14,,Q3
stranger,M,XF1 1AA,Quigley,Zebedee,1990-06-06,,Q4
other twin's number,female,XA3 1BD,Okafor,Isla,2020-05-14,9990000018,Q5
,,,,,,,Q6
CSV
cd "$work" || exit 1
"$bin" link --register register.csv --queries queries.csv --out out.csv >stdout.txt 2>stderr.txt
check "link exits 0" 0 $?
check "summary line" "read 6, accepted 6, rejected 0, warnings 0" "$(cat stdout.txt)"
check "header" "query_id,register_id,band,probability" "$(head -1 out.csv)"
check "one row per query, in order" "Q1 Q2 Q3 Q4 Q5 Q6" "$(tail -n +2 out.csv | cut -d, -f1 | xargs)"
check "exact record is a match" "Q1,R4,match" "$(grep '^Q1,' out.csv | cut -d, -f1-3)"
check "nickname without number links" "R4" "$(grep '^Q2,' out.csv | cut -d, -f2)"
check "twin with placeholder name is not a match" "potential" "$(grep '^Q3,' out.csv | cut -d, -f3)"
check "stranger is no_match with empty register_id and probability 0" "Q4,,no_match,0.000000" "$(grep '^Q4,' out.csv)"
check "twin mix-up never auto-links" "1" "$(grep '^Q5,' out.csv | grep -vc ',match,')"
check "empty query is no_match" "Q6,,no_match,0.000000" "$(grep '^Q6,' out.csv)"
check "nothing on stderr" "" "$(cat stderr.txt)"

# Bad rows: line and field on stderr, never the value; the rest is linked; exit 3.
cat >"$work/bad.csv" <<'CSV'
id,given_name,family_name,birth_date,sex,nhs_number
B1,Oliver,Smith,2018-02-30,M,
B2,Oliver,Zanzibar,2018-02-07,robot,
B3,Oliver,Smith,2018-02-07,M,9990001007
B4,Oliver,Smith
CSV
"$bin" link --register register.csv --queries bad.csv --out bad-out.csv >stdout.txt 2>stderr.txt
check "bad rows exit 3" 3 $?
check "bad date reported" "1" "$(grep -c '^queries: line 2: birth_date: ' stderr.txt)"
check "bad sex reported" "1" "$(grep -c '^queries: line 3: sex: ' stderr.txt)"
check "invalid NHS number warned" "1" "$(grep -c '^queries: line 4: nhs_number: .*treated as absent' stderr.txt)"
check "short row reported" "1" "$(grep -c '^queries: line 5: (row): ' stderr.txt)"
check "no identifiers on stderr" "0" "$(grep -ciE 'zanzibar|robot|2018|9990001007|oliver' stderr.txt)"
check "accepted rows still linked" "B3" "$(tail -n +2 bad-out.csv | cut -d, -f1 | xargs)"
check "bad-rows summary" "read 4, accepted 1, rejected 3, warnings 1" "$(cat stdout.txt)"

# Duplicate register ids are rejected (the first is kept).
printf 'id,given_name\nR1,Ann\nR1,Bob\n' >dup.csv
"$bin" link --register dup.csv --queries queries.csv --out dup-out.csv >/dev/null 2>stderr.txt
check "duplicate register id exits 3" 3 $?
check "duplicate register id reported" "1" "$(grep -c '^register: line 3: id: duplicate' stderr.txt)"

# Failures: exit 1 with one line.
"$bin" link --register missing.csv --queries queries.csv --out x.csv >/dev/null 2>stderr.txt
check "missing register exits 1" 1 $?
check "missing register one line" 1 "$(wc -l <stderr.txt)"
printf 'given_name,family_name\nAnn,Lee\n' >noid.csv
"$bin" link --register register.csv --queries noid.csv --out x.csv >/dev/null 2>stderr.txt
check "queries without id column exits 1" 1 $?
echo '{"format": "liaison-linkage-model", "version": "x"}' >bad-model.json
"$bin" link --register register.csv --queries queries.csv --out x.csv --model bad-model.json >/dev/null 2>stderr.txt
check "bad model exits 1" 1 $?
check "bad model names the problem" "1" "$(grep -c 'model file: prior' stderr.txt)"
echo 'not json' >bad-model.json
"$bin" link --register register.csv --queries queries.csv --out x.csv --model bad-model.json >/dev/null 2>stderr.txt
check "unparseable model exits 1" 1 $?

# Usage errors: exit 2.
"$bin" link --register register.csv --out x.csv >/dev/null 2>&1
check "missing --queries exits 2" 2 $?
"$bin" link --queries queries.csv --out x.csv >/dev/null 2>&1
check "missing --register exits 2" 2 $?
"$bin" link --register register.csv --queries queries.csv --out x.csv --threads 0 >/dev/null 2>&1
check "bad --threads exits 2" 2 $?

# The compiled-in model works from any directory, and --model with the shipped file agrees.
mkdir -p elsewhere && cd elsewhere || exit 1
"$bin" link --register ../register.csv --queries ../queries.csv --out ../again.csv >/dev/null 2>&1
check "works from another directory" 0 $?
cd "$work" || exit 1
check "same answers from any directory" "" "$(diff out.csv again.csv)"
if [[ -n "${LIAISON_SOURCE_DIR:-}" ]]; then
  "$bin" link --register register.csv --queries queries.csv --out shipped.csv \
    --model "$LIAISON_SOURCE_DIR/data/linkage/model-v1.json" >/dev/null 2>&1
  check "--model with the shipped file gives the same answers" "" "$(diff out.csv shipped.csv)"
fi

# One thread and two give the same output.
"$bin" link --register register.csv --queries queries.csv --out one.csv --threads 1 >/dev/null 2>&1
check "one thread agrees" "" "$(diff out.csv one.csv)"

# Training writes a model that parses and links.
"$bin" link train --register register.csv --records queries.csv --out trained.json --u-pairs 2000 >stdout.txt 2>stderr.txt
check "train exits 0" 0 $?
check "train reports" "1" "$(grep -c '^trained v1: ' stdout.txt)"
"$bin" link --register register.csv --queries queries.csv --out trained-out.csv --model trained.json >/dev/null 2>&1
check "trained model links" 0 $?
check "trained model keeps the format" "1" "$(grep -c '"format": "liaison-linkage-model"' trained.json)"

echo "link cli: $passed passed, $failed failed"
((failed == 0))
