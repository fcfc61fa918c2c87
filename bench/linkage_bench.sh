#!/usr/bin/env bash
# Linkage speed: in-process scoring and query latency, then `liaison link` on 1,000,000 query
# rows against a 150,000-entry register with both cores, against the same model as SQL in
# DuckDB (bench/duckdb/link.mjs) on the same files. Medians of RUNS (default 5) interleaved
# runs; peak memory from /usr/bin/time -v. Prints figures and exits 0.
#   bench/linkage_bench.sh [RUNS] [QUERIES]
# Needs the release build (cmake --preset release && cmake --build --preset release) and
# `npm ci` in bench/duckdb.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${1:-5}
queries=${2:-1000000}
bin=build/release/src/exe/liaison
tools=build/release/bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Seed 3: 11.6M attendances' population gives a register of about 150,000 entries.
"$tools/linkage_data" --seed 3 --attendances 11600000 --register "$work/register.csv" \
  --register-truth "$work/register-truth.csv" --queries "$work/queries.csv" --query-count "$queries"
head -100001 "$work/queries.csv" >"$work/queries-100k.csv"
echo "register entries: $(($(wc -l <"$work/register.csv") - 1)), queries: $queries"
echo "== in process (linkage_bench, 100,000 queries, $runs runs)"
"$tools/linkage_bench" --register "$work/register.csv" --queries "$work/queries-100k.csv" --runs "$runs"

median() { sort -n | awk '{a[NR]=$1} END{m=a[int((NR+1)/2)]; printf "median %s (min %s, max %s)", m, a[1], a[NR]}'; }
echo "== whole process, $queries queries, 2 threads, $runs interleaved runs"
: >"$work/ours.txt"
: >"$work/ours-rss.txt"
: >"$work/duck.txt"
: >"$work/duck-rss.txt"
for ((run = 1; run <= runs; run++)); do
  /usr/bin/time -v -o "$work/time.txt" "$bin" link --register "$work/register.csv" \
    --queries "$work/queries.csv" --out "$work/ours.csv" --threads 2 >/dev/null 2>&1
  awk -F': ' '/Elapsed \(wall clock\)/{split($2,t,":"); s=0; for(i=1;i<=length(t);i++) s=s*60+t[i]; print s}' "$work/time.txt" >>"$work/ours.txt"
  awk -F': ' '/Maximum resident/{print $2}' "$work/time.txt" >>"$work/ours-rss.txt"
  /usr/bin/time -v -o "$work/time.txt" node bench/duckdb/link.mjs "$work/register.csv" \
    "$work/queries.csv" "$work/duck.csv" data/linkage/model-v1.json data/linkage/nicknames.txt 2 \
    >"$work/duck-run.txt" 2>&1
  awk -F': ' '/Elapsed \(wall clock\)/{split($2,t,":"); s=0; for(i=1;i<=length(t);i++) s=s*60+t[i]; print s}' "$work/time.txt" >>"$work/duck.txt"
  awk -F': ' '/Maximum resident/{print $2}' "$work/time.txt" >>"$work/duck-rss.txt"
  echo "run $run: liaison $(tail -1 "$work/ours.txt") s, duckdb $(tail -1 "$work/duck.txt") s ($(cat "$work/duck-run.txt"))"
done
ours=$(sort -n "$work/ours.txt" | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
duck=$(sort -n "$work/duck.txt" | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
echo "liaison link: $(median <"$work/ours.txt") s; peak RSS $(median <"$work/ours-rss.txt") KiB"
echo "duckdb SQL:   $(median <"$work/duck.txt") s; peak RSS $(median <"$work/duck-rss.txt") KiB"
awk -v a="$duck" -v b="$ours" 'BEGIN{printf "ratio duckdb / liaison: %.1f\n", a / b}'
paste -d, <(cut -d, -f2,3 "$work/ours.csv") <(cut -d, -f2,3 "$work/duck.csv") |
  awk -F, 'NR>1{t++; if($1==$3 && $2==$4) a++} END{printf "same register_id and band: %d of %d\n", a, t}'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
exit 0
