#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL 15 server.
#   scripts/with-postgres.sh COMMAND [ARGS...]
#
# Starts a fresh cluster in a temporary directory, listening on 127.0.0.1 on a free port with
# trust authentication, exports LIAISON_TEST_PG_URL=postgresql://postgres@127.0.0.1:PORT/postgres,
# runs COMMAND, then always stops the server and deletes the directory. Exits with COMMAND's
# exit code. Works as root (the server runs as the `postgres` user) and without a terminal.
# A system PostgreSQL on 5432 is left alone: the port and the socket directory are our own.
set -euo pipefail

if (( $# == 0 )); then
  echo "usage: scripts/with-postgres.sh COMMAND [ARGS...]" >&2
  exit 2
fi

pg_bin="${LIAISON_PG_BIN:-/usr/lib/postgresql/15/bin}"
if [[ ! -x "$pg_bin/pg_ctl" ]]; then
  echo "with-postgres: PostgreSQL 15 not found in $pg_bin (run scripts/install-deps.sh --test)" >&2
  exit 2
fi

# initdb and postgres refuse to run as root, so root hands the server to the postgres user.
as_server_user=()
if (( $(id -u) == 0 )); then
  as_server_user=(runuser -u postgres --)
fi

# Under /tmp rather than $TMPDIR: the server user must be able to reach it, and the socket
# path must stay short (Unix socket paths are limited to about 100 bytes).
work_dir="$(mktemp -d /tmp/liaison-pg.XXXXXXXX)"
data_dir="$work_dir/data"
log_file="$work_dir/server.log"
started=0

# shellcheck disable=SC2317  # invoked through the EXIT trap
cleanup() {
  local rc=$?
  if (( started )); then
    # Immediate: the cluster is thrown away, so there is nothing worth a checkpoint.
    (cd / && "${as_server_user[@]}" "$pg_bin/pg_ctl" -D "$data_dir" -m immediate -w stop) \
      </dev/null >/dev/null 2>&1 || true
  fi
  rm -rf "$work_dir"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if (( $(id -u) == 0 )); then
  chown postgres: "$work_dir"
fi
chmod 700 "$work_dir"

# --no-sync only skips initdb's final flush of the bootstrap files (worthless for a cluster
# deleted at exit). The running server keeps fsync=on, so durability behaves as in production.
if ! (cd "$work_dir" && "${as_server_user[@]}" "$pg_bin/initdb" -D "$data_dir" -U postgres \
        --auth=trust -E UTF8 --locale=C --no-sync --no-instructions) \
      </dev/null >"$work_dir/initdb.log" 2>&1; then
  echo "with-postgres: initdb failed:" >&2
  cat "$work_dir/initdb.log" >&2
  exit 1
fi

# A port nobody is listening on right now. Another process could still take it before the
# server binds, so a failed start retries with a new port.
pick_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

for attempt in 1 2 3; do
  port="$(pick_port)" || { echo "with-postgres: no free port found" >&2; exit 1; }
  if (cd "$work_dir" && "${as_server_user[@]}" "$pg_bin/pg_ctl" -D "$data_dir" -l "$log_file" \
        -w -t 30 -o "-c listen_addresses=127.0.0.1 -p $port -k $work_dir" start) \
      </dev/null >/dev/null 2>&1; then
    started=1
    break
  fi
  if (( attempt == 3 )); then
    echo "with-postgres: the server did not start:" >&2
    cat "$log_file" >&2 || true
    exit 1
  fi
done

export LIAISON_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/postgres"

# Not exec: the trap must run after the command to stop the server.
set +e
"$@"
rc=$?
set -e
exit "$rc"
