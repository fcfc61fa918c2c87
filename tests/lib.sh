# Shared by the shell tests (source it): pass/fail counting, and a throwaway database for the
# backend under test. Expects `work` (a temporary directory) and, for use_database, `backend`.
passed=0
failed=0

check() {  # check NAME EXPECTED ACTUAL
  if [[ "$2" == "$3" ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $1: expected [$2], got [$3]"
  fi
}

# use_database NAME: sets `db` (the --db URL), `anchor` (extra audit-anchor arguments) and
# query SQL (prints the rows) for a fresh database of $backend; on PostgreSQL also `dbname`.
use_database() {
  if [[ "$backend" == postgresql ]]; then
    : "${LIAISON_TEST_PG_URL:?run through scripts/with-postgres.sh}"
    dbname="liaison_$1_$$_$RANDOM"
    psql "$LIAISON_TEST_PG_URL" -qc "CREATE DATABASE $dbname" >/dev/null
    db="${LIAISON_TEST_PG_URL%/*}/$dbname"
    anchor=(--audit-anchor "$work/pg.audit-anchor")
    query() { psql "$db" -tAc "$1"; }
  else
    sqlite_file="$work/$1.db"
    db="sqlite:$sqlite_file"
    anchor=()
    query() { sqlite3 "$sqlite_file" "$1"; }
  fi
}
