#!/usr/bin/env bash
# Linkage speed: in-process scoring and query latency, then `liaison link` on 1,000,000 query
# rows against a 150,000-entry register with both cores, against the same model as SQL in
# DuckDB (bench/duckdb/link.mjs) on the same files. Medians of RUNS (default 5) interleaved
# runs; peak memory from /usr/bin/time -v. Prints figures and exits 0.
#   bench/linkage_bench.sh [RUNS] [QUERIES] [COMPARE_QUERIES] [RUNS_FULL]
# The DuckDB comparison runs on the first COMPARE_QUERIES rows (default 50,000) so that RUNS
# interleaved pairs fit on a shared machine; `liaison link` alone then runs RUNS_FULL times
# (default 3) on all QUERIES (default 1,000,000). Wall and CPU (user + sys) time both count:
# on a loaded machine the CPU time is the steadier figure.
# Needs the release build (cmake --preset release && cmake --build --preset release) and
# `npm ci` in bench/duckdb.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${1:-5}
queries=${2:-1000000}
compare_queries=${3:-50000}  # the DuckDB comparison's share of the queries
runs_full=${4:-3}
bin=build/release/src/exe/liaison
tools=build/release/bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Seed 3: 11.6M attendances' population gives a register of about 150,000 entries.
"$tools/linkage_data" --seed 3 --attendances 11600000 --register "$work/register.csv" \
  --register-truth "$work/register-truth.csv" --queries "$work/queries.csv" --query-count "$queries"
head -100001 "$work/queries.csv" >"$work/queries-100k.csv"
echo "register entries: $(($(wc -l <"$work/register.csv") - 1)), queries: $queries"
if [[ "${SKIP_IN_PROCESS:-}" != 1 ]]; then
  echo "== in process (linkage_bench, 100,000 queries, $runs runs)"
  "$tools/linkage_bench" --register "$work/register.csv" --queries "$work/queries-100k.csv" --runs "$runs"
fi

median() { sort -n | awk '{a[NR]=$1} END{m=a[int((NR+1)/2)]; printf "median %s (min %s, max %s)", m, a[1], a[NR]}'; }
med() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
# timed NAME COMMAND...: appends wall seconds, CPU seconds (user + sys) and peak RSS (KiB).
timed() {
  local name=$1
  shift
  /usr/bin/time -v -o "$work/time.txt" "$@" >"$work/$name-run.txt" 2>&1
  awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$work/time.txt" >>"$work/$name-wall.txt"
  awk -F': ' '/User time/{u=$2} /System time/{s=$2} END{print u+s}' "$work/time.txt" >>"$work/$name-cpu.txt"
  awk -F': ' '/Maximum resident/{print $2}' "$work/time.txt" >>"$work/$name-rss.txt"
}
report() {  # report NAME LABEL
  echo "$2: wall $(median <"$work/$1-wall.txt") s; CPU $(median <"$work/$1-cpu.txt") s; peak RSS $(median <"$work/$1-rss.txt") KiB"
}

echo "== whole process, same $compare_queries queries, 2 threads, $runs interleaved runs"
head -$((compare_queries + 1)) "$work/queries.csv" >"$work/compare.csv"
for ((run = 1; run <= runs; run++)); do
  timed ours "$bin" link --register "$work/register.csv" --queries "$work/compare.csv" \
    --out "$work/ours.csv" --threads 2
  timed duck node bench/duckdb/link.mjs "$work/register.csv" "$work/compare.csv" "$work/duck.csv" \
    data/linkage/model-v1.json data/linkage/nicknames.txt 2
  echo "run $run: liaison $(tail -1 "$work/ours-wall.txt") s wall, $(tail -1 "$work/ours-cpu.txt") s CPU; duckdb $(tail -1 "$work/duck-wall.txt") s wall, $(tail -1 "$work/duck-cpu.txt") s CPU ($(cat "$work/duck-run.txt"))"
done
report ours "liaison link"
report duck "duckdb SQL  "
awk -v a="$(med <"$work/duck-wall.txt")" -v b="$(med <"$work/ours-wall.txt")" \
  -v c="$(med <"$work/duck-cpu.txt")" -v d="$(med <"$work/ours-cpu.txt")" \
  'BEGIN{printf "ratio duckdb / liaison: wall %.1f, CPU %.1f\n", a / b, c / d}'
paste -d, <(cut -d, -f2,3 "$work/ours.csv") <(cut -d, -f2,3 "$work/duck.csv") |
  awk -F, 'NR>1{t++; if($1==$3 && $2==$4) a++} END{printf "same register_id and band: %d of %d\n", a, t}'

echo "== liaison link on all $queries queries, 2 threads, $runs_full runs"
for ((run = 1; run <= runs_full; run++)); do
  timed full "$bin" link --register "$work/register.csv" --queries "$work/queries.csv" \
    --out "$work/full.csv" --threads 2
  echo "run $run: $(tail -1 "$work/full-wall.txt") s wall, $(tail -1 "$work/full-cpu.txt") s CPU"
done
report full "liaison link, $queries queries"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
exit 0
