#!/usr/bin/env bash
# The ED sweep against its references, on the same rows (docs/recognition-evaluation.md):
#   bench/sweep_bench.sh LIAISON_BINARY [ROWS] [RUNS] [WORKDIR]
# - lower bound: `wc -l` on the same NDJSON file;
# - liaison sweep: the file in arrival order (both cores), and the same rows shuffled (external
#   sort); records/s and peak RSS (/usr/bin/time -v);
# - peers: bench/sql/sweep_rules.*.sql over the same rows as CSV, in SQLite (sqlite3 CLI) and
#   PostgreSQL 15 (scripts/with-postgres.sh), load and query timed separately.
# Generates the data once into WORKDIR (default /tmp/liaison-sweep-bench, not in git): ROWS
# attendances (default 5,000,000) over the month up to 2026-11-20, seed 1. Medians of RUNS
# runs (default 5) with min and max for wc and the sweep; medians of PEER_RUNS runs (default
# 3) for the SQL peers, which take minutes at this size. VARIANTS=0 skips the one-thread,
# 3-day-history and shuffled runs; PEERS=0 skips the SQL peers.
# Build the binary in Release first. Prints figures, exits 0.
set -euo pipefail
liaison=$(realpath "$1")
rows=${2:-5000000}
runs=${3:-5}
work=${4:-/tmp/liaison-sweep-bench}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$work"
ndjson=$work/attendances-$rows.ndjson
csv=$work/attendances-$rows.csv
shuffled=$work/attendances-$rows-shuffled.ndjson
period=(--from 2026-10-21 --to 2026-11-20)

if [[ ! -s $ndjson ]]; then
  "$liaison" generate --seed 1 --attendances "$rows" "${period[@]}" --out "$ndjson"
fi
if [[ ! -s $csv ]]; then
  "$liaison" generate --seed 1 --attendances "$rows" "${period[@]}" --format csv --out "$csv"
fi
if [[ ${VARIANTS:-1} == 1 && ! -s $shuffled ]]; then
  shuf --random-source=<(yes) "$ndjson" >"$shuffled"
fi

median() { sort -n | awk '{a[NR]=$1} END {printf "%.2f s (min %.2f, max %.2f, %d runs)", a[int((NR+1)/2)], a[1], a[NR], NR}'; }
# one command's wall seconds, peak RSS in KB and CPU seconds (user + system), as
# "SECONDS KB CPU": on a shared machine CPU time says more about the work than wall time
measure() {
  /usr/bin/time -f "%e %M %U %S" -o "$work/time.out" "$@" >/dev/null 2>"$work/stderr.out" || true
  awk '{printf "%s %s %.2f\n", $1, $2, $3 + $4}' "$work/time.out" >"$work/time.fmt"
  mv "$work/time.fmt" "$work/time.out"
  cat "$work/time.out"
}
mid() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "rows: $rows ($(du -h "$ndjson" | cut -f1) NDJSON, $(du -h "$csv" | cut -f1) CSV); cores: $(nproc); load: $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$ndjson" >/dev/null  # warm the page cache for everyone alike

for _ in $(seq "$runs"); do measure wc -l "$ndjson"; done >"$work/wc.txt"
echo "wc -l: $(cut -d' ' -f1 "$work/wc.txt" | median)"

for _ in $(seq "$runs"); do measure "$liaison" sweep --in "$ndjson" --out "$work/worklist.ndjson" --quiet; done >"$work/sweep.txt"
echo "sweep, file in arrival order: $(cut -d' ' -f1 "$work/sweep.txt" | median); peak RSS median $(( $(cut -d' ' -f2 "$work/sweep.txt" | mid) / 1024 )) MB; worklist $(wc -l <"$work/worklist.ndjson") items"

if [[ ${VARIANTS:-1} == 1 ]]; then
measure "$liaison" sweep --in "$ndjson" --out "$work/worklist-1.ndjson" --quiet --threads 1 >"$work/sweep1.txt"
echo "sweep, one assessing thread: $(cut -d' ' -f1 "$work/sweep1.txt") s (1 run)"

measure "$liaison" sweep --in "$ndjson" --out "$work/worklist-30.ndjson" --quiet --history-days 3 >"$work/sweep30.txt"
echo "sweep, --history-days 3: $(cut -d' ' -f1 "$work/sweep30.txt") s, peak RSS $(( $(cut -d' ' -f2 "$work/sweep30.txt") / 1024 )) MB (1 run)"

measure "$liaison" sweep --in "$shuffled" --out "$work/worklist-shuffled.ndjson" --quiet >"$work/shuffled.txt"
same=$(cmp -s "$work/worklist.ndjson" "$work/worklist-shuffled.ndjson" && echo "same worklist" || echo "DIFFERENT worklist")
echo "sweep, shuffled file (detects disorder, external sort, 256 MB budget): $(cut -d' ' -f1 "$work/shuffled.txt") s, peak RSS $(( $(cut -d' ' -f2 "$work/shuffled.txt") / 1024 )) MB, $same (1 run)"
fi

sweep_s=$(cut -d' ' -f1 "$work/sweep.txt" | mid)
wc_s=$(cut -d' ' -f1 "$work/wc.txt" | mid)
sweep_cpu=$(cut -d' ' -f3 "$work/sweep.txt" | mid)
echo "sweep records/s: $(echo "$rows / $sweep_s" | bc) wall, $(echo "$rows / $sweep_cpu" | bc) per CPU-second (CPU $sweep_cpu s); sweep / wc -l: $(echo "scale=1; $sweep_s / $wc_s" | bc)x"

[[ ${PEERS:-1} == 0 ]] && exit 0
# The SQL peers, PEER_RUNS times each (default 3): medians of load and of query.
peer_runs=${PEER_RUNS:-3}
for _ in $(seq "$peer_runs"); do
  rm -f "$work/peer.sqlite"
  load=$(measure sqlite3 "$work/peer.sqlite" ".import --csv $csv attendances")
  query=$(measure sqlite3 "$work/peer.sqlite" ".read $here/sql/sweep_rules.sqlite.sql")
  echo "$(cut -d' ' -f1 <<<"$load") $(cut -d' ' -f1 <<<"$query") $(sqlite3 "$work/peer.sqlite" 'SELECT count(*) FROM worklist')"
done >"$work/sqlite.txt"
rm -f "$work/peer.sqlite"
echo "SQLite ($peer_runs runs): load $(cut -d' ' -f1 "$work/sqlite.txt" | median), query $(cut -d' ' -f2 "$work/sqlite.txt" | median); $(cut -d' ' -f3 "$work/sqlite.txt" | head -1) worklist rows"

# PostgreSQL peer, in a throwaway server; a fresh table each run.
"$here/../scripts/with-postgres.sh" bash -c '
  set -euo pipefail
  csv=$1; sql=$2; runs=$3
  export PGOPTIONS="-c client_min_messages=warning"
  columns=$(head -n 1 "$csv" | sed "s/,/ text, /g; s/$/ text/")
  for _ in $(seq "$runs"); do
    psql "$LIAISON_TEST_PG_URL" -qc "DROP TABLE IF EXISTS attendances; DROP TABLE IF EXISTS worklist; CREATE TABLE attendances ($columns)"
    start=$(date +%s.%N)
    psql "$LIAISON_TEST_PG_URL" -qc "\\copy attendances FROM '"'"'$csv'"'"' WITH (FORMAT csv, HEADER true, NULL '"'"'\\N'"'"')"
    psql "$LIAISON_TEST_PG_URL" -qc "ANALYZE attendances"
    loaded=$(date +%s.%N)
    psql "$LIAISON_TEST_PG_URL" -q -f "$sql" >/dev/null
    done=$(date +%s.%N)
    echo "$(echo "$loaded - $start" | bc) $(echo "$done - $loaded" | bc) $(psql "$LIAISON_TEST_PG_URL" -tAc "SELECT count(*) FROM worklist")"
  done
' _ "$csv" "$here/sql/sweep_rules.postgres.sql" "$peer_runs" >"$work/postgres.txt"
echo "PostgreSQL 15 ($peer_runs runs): load $(cut -d' ' -f1 "$work/postgres.txt" | median), query $(cut -d' ' -f2 "$work/postgres.txt" | median); $(cut -d' ' -f3 "$work/postgres.txt" | head -1) worklist rows"

sqlite_query=$(cut -d' ' -f2 "$work/sqlite.txt" | mid)
postgres_query=$(cut -d' ' -f2 "$work/postgres.txt" | mid)
faster=$(echo "if ($sqlite_query < $postgres_query) $sqlite_query else $postgres_query" | bc)
echo "faster SQL query / sweep: $(echo "scale=1; $faster / $sweep_s" | bc)x (query alone, load not counted)"
