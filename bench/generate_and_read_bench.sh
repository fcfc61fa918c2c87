#!/usr/bin/env bash
# Generator and feed-reader throughput against a plain read of the same file, plus peak memory
# for 5 million rows through a pipe. Prints figures and exits 0 (a benchmark, not a test).
#   bench/generate_and_read_bench.sh LIAISON_BINARY [ROWS] [RUNS]
# Build the binary in Release (no sanitizers) first; see docs/attendance-contract.md.
set -euo pipefail
liaison=$1
rows=${2:-1000000}
runs=${3:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
file=$work/attendances.ndjson

median() { sort -n | awk '{a[NR]=$1} END {printf "median %.2f s (min %.2f, max %.2f)", a[int((NR+1)/2)], a[1], a[NR]}'; }
seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; end=$(date +%s.%N); echo "$end - $start" | bc; }

echo "rows: $rows, runs: $runs"
gen=$(for _ in $(seq "$runs"); do seconds "$liaison" generate --seed 1 --attendances "$rows" --out "$file"; done | median)
echo "generate (ndjson to file): $gen"
echo "file size: $(du -h "$file" | cut -f1)"
wc=$(for _ in $(seq "$runs"); do seconds wc -l "$file"; done | median)
echo "wc -l: $wc"
validate=$(for _ in $(seq "$runs"); do seconds "$liaison" validate attendances "$file"; done | median)
echo "validate attendances (decode every row): $validate"
"$liaison" generate --seed 1 --attendances "$rows" --format csv --out "$work/attendances.csv"
csv=$(for _ in $(seq "$runs"); do seconds "$liaison" validate attendances "$work/attendances.csv"; done | median)
echo "validate attendances (csv): $csv"
rm -f "$file" "$work/attendances.csv"
echo "peak memory, 5,000,000 rows through a pipe:"
/usr/bin/time -v "$liaison" generate --seed 1 --attendances 5000000 --out - 2>"$work/gen.time" |
  /usr/bin/time -v "$liaison" validate attendances - --format ndjson 2>"$work/read.time" >"$work/summary" || true
echo "  generate: $(grep 'Maximum resident' "$work/gen.time" | awk '{print $6}') KB"
echo "  validate: $(grep 'Maximum resident' "$work/read.time" | awk '{print $6}') KB ($(cat "$work/summary"))"
