#!/usr/bin/env bash
# Installs what Liaison needs on Debian 12, idempotently. Run as root (or with sudo).
#   scripts/install-deps.sh          build + run dependencies
#   scripts/install-deps.sh --test   also PostgreSQL 15 server, Chromium, npm packages for web tests
set -euo pipefail
want_test=0
[[ "${1:-}" == "--test" ]] && want_test=1

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libpq-dev libsodium-dev libssl-dev
  libspdlog-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-format libkainjow-mustache-dev sqlite3 curl libre2-dev libjemalloc-dev libsimdjson-dev
)
if (( want_test )); then
  # time (/usr/bin/time -v) and python3 (standard library only) for the sweep bench and evaluation.
  packages+=(postgresql-15 postgresql-client-15 chromium nodejs npm openssl time python3)
fi

missing=()
for p in "${packages[@]}"; do
  # nodejs/npm may come from elsewhere (this project's machines ship Node 20); accept any on PATH.
  if [[ "$p" == nodejs ]] && command -v node >/dev/null; then continue; fi
  if [[ "$p" == npm ]] && command -v npm >/dev/null; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if (( ${#missing[@]} )); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "install-deps: all system packages present"
fi

if (( want_test )); then
  node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if (( node_major < 18 )); then
    echo "install-deps: Node.js 18 or newer is needed for the web tests (found ${node_major})" >&2
    exit 1
  fi
fi
