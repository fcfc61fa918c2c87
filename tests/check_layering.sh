#!/usr/bin/env bash
# Checks the include arrows of docs/architecture.md: each folder includes only the layers it
# may use, and driver or framework headers stay in their one place.
#   tests/check_layering.sh REPO_ROOT
set -uo pipefail
root=$1
failed=0

forbid() {  # forbid FOLDER PATTERN WHY
  local hits
  hits=$(grep -rnE "$2" "$root/src/$1" --include='*.h' --include='*.cc' 2>/dev/null)
  if [[ -n "$hits" ]]; then
    echo "layering: src/$1 must not include $3:"
    echo "$hits"
    failed=1
  fi
}

forbid common '#include "(domain|storage|app|http|cli|ingest|synth|linkage)/' "other layers of ours"
forbid domain '#include "(storage|app|http|cli|ingest|synth|linkage)/' "storage, app, http, cli, ingest, synth or linkage"
forbid domain '#include <(boost|sqlite3|libpq)' "JSON, SQL or network libraries"
forbid ingest '#include "(storage|app|http|cli|synth|linkage)/' "storage, app, http, cli, synth or linkage"
forbid synth '#include "(storage|app|http|cli)/' "storage, app, http or cli"
forbid linkage '#include "(storage|app|http|cli|ingest|synth)/' "storage, app, http, cli, ingest or synth"
forbid app '#include "(http|cli)/|#include <boost/(json|beast)' "HTTP or JSON"
forbid app '#include "storage/(sqlite|postgres)/' "a storage backend (use storage/store.h)"
forbid http '#include "storage/(sqlite|postgres)/|sqlite3\.h|libpq' "SQL"
forbid cli '#include "storage/(sqlite|postgres)/|sqlite3\.h|libpq' "SQL"
# Beast stays in server.cc so that only one file pays its compile time.
hits=$(grep -rln "boost/beast" "$root/src" | grep -v "src/http/server.cc")
if [[ -n "$hits" ]]; then echo "layering: Boost.Beast outside http/server.cc: $hits"; failed=1; fi
# Database drivers stay in their backends (tests may tamper through them).
hits=$(grep -rlnE "<sqlite3\.h>|<libpq-fe\.h>" "$root/src" | grep -vE "src/storage/(sqlite|postgres)/|_test\.cc$")
if [[ -n "$hits" ]]; then echo "layering: database driver header outside its backend: $hits"; failed=1; fi

if (( failed )); then exit 1; fi
echo "layering: 1 passed, 0 failed"
