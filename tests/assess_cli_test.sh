#!/usr/bin/env bash
# `liaison assess` and `liaison rules list` through the real binary, run from an unrelated
# directory (the concept sets are compiled in):
#   tests/assess_cli_test.sh PATH_TO_LIAISON SOURCE_DIR
# Golden files: tests/golden/assess/NAME.json -> NAME.expected (regenerate with
# UPDATE_GOLDEN=1 and review the diff).
set -uo pipefail
bin=$(realpath "$1")
src=$(realpath "$2")
golden="$src/tests/golden/assess"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

for input in "$golden"/*.json; do
  name=$(basename "$input" .json)
  "$bin" assess <"$input" >"$work/$name.out" 2>"$work/$name.err"
  check "$name exits 0" 0 $?
  if [[ "${UPDATE_GOLDEN:-0}" == 1 ]]; then cp "$work/$name.out" "$golden/$name.expected"; fi
  if diff -u "$golden/$name.expected" "$work/$name.out" >"$work/$name.diff"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $name differs from its golden file:"
    cat "$work/$name.diff"
  fi
done

# The contract's note for none, exactly.
check "none note" '"note":"No alerting features were found in the recorded information. This is not an all-clear."' \
  "$(grep -o '"note":"[^"]*"' "$work/nothing.out")"
# An unverified NHS number is a warning on stderr, without the number.
check "warning names the field" "warning: /patient/nhs_number: unverified_nhs_number" \
  "$(head -1 "$work/infant_bruise.err" | sed 's/_nhs_number.*/_nhs_number/')"
if grep -q "999 000 0019\|Testchild\|2026-03-01" "$work/infant_bruise.err"; then
  failed=$((failed + 1)); echo "FAIL: stderr holds patient data"
else
  passed=$((passed + 1))
fi

# Bad input: one line on stderr, exit 1, field named, no patient data.
bad() {  # bad NAME BODY FIELD
  printf '%s' "$2" | "$bin" assess >"$work/bad.out" 2>"$work/bad.err"
  check "$1 exits 1" 1 $?
  check "$1 one stderr line" 1 "$(wc -l <"$work/bad.err")"
  check "$1 names the field" 1 "$(grep -c -- "$3" "$work/bad.err")"
  check "$1 prints nothing on stdout" 0 "$(wc -c <"$work/bad.out")"
}
bad "not json" '{"attendance":' ''
bad "unknown wrapper member" '{"attendance":{},"histroy":[]}' '/histroy'
bad "bad enum" '{"attendance_id":"A","site":"S","arrival":"2026-01-01T00:00:00Z","patient":{"given_name":"Testname"},"mobility":"crawling"}' '/mobility'
bad "history item" '{"attendance":{"attendance_id":"A","site":"S","arrival":"2026-01-01T00:00:00Z","patient":{}},"history":[{"site":"S"}]}' '/history/0/'
bad "empty input" '' ''
printf '%s' '{"attendance_id":"A","site":"S","arrival":"2026-01-01T00:00:00Z","patient":{"given_name":"Testname"},"mobility":"crawling"}' |
  "$bin" assess 2>"$work/bad.err" >/dev/null
check "no name in the error" 0 "$(grep -c Testname "$work/bad.err")"

# A replacement concept directory, and a missing one.
cp -r "$src/data/recognition/concepts-v2" "$work/trust"
printf 'trust-2027\n' >"$work/trust/VERSION"
printf 'term\tblue mark\n' >>"$work/trust/bruise.tsv"
body='{"attendance_id":"A","site":"S","arrival":"2026-06-01T10:00:00Z","patient":{"birth_date":"2026-04-01"},"notes":"blue mark on thigh"}'
check "shipped terms miss a trust term" 0 "$(printf '%s' "$body" | "$bin" assess | grep -c CG89-BR-NIM)"
check "trust terms find it" 1 "$(printf '%s' "$body" | "$bin" assess --rules-data "$work/trust" | grep -c CG89-BR-NIM)"
"$bin" assess --rules-data "$work/missing" </dev/null >/dev/null 2>"$work/bad.err"
check "missing rules data exits 1" 1 $?
check "missing rules data one line" 1 "$(wc -l <"$work/bad.err")"

# rules list
check "rules list header" "rules liaison-rules-2, concepts liaison-concepts-v2.1" "$("$bin" rules list | head -1)"
check "rules list json version" 1 "$("$bin" rules list --format json | grep -c '^{"version":"liaison-rules-2","concepts_version":"liaison-concepts-v2.1","rules":\[')"
check "rules list trust version" 1 "$("$bin" rules list --format json --rules-data "$work/trust" | grep -c '"concepts_version":"trust-2027"')"
"$bin" rules list --format xml >/dev/null 2>&1
check "rules list bad format exits 2" 2 $?
"$bin" rules >/dev/null 2>&1
check "rules without list exits 2" 2 $?

echo "assess cli: $passed passed, $failed failed"
(( failed == 0 ))
