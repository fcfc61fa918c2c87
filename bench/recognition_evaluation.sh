#!/usr/bin/env bash
# The sweep's worklist against the generator's ground truth, per category
# (docs/recognition-evaluation.md):
#   bench/recognition_evaluation.sh LIAISON_BINARY [ATTENDANCES] [SEED]
# Generates ATTENDANCES (default 200,000) over the default year with truth and register files,
# sweeps them with the register, and prints the table of bench/evaluate_recognition.py.
set -euo pipefail
liaison=$1
attendances=${2:-200000}
seed=${3:-1}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$liaison" generate --seed "$seed" --attendances "$attendances" --out "$work/feed.ndjson" \
  --truth "$work/truth.csv" --register "$work/register.csv"
"$liaison" sweep --in "$work/feed.ndjson" --out "$work/worklist.ndjson" \
  --register "$work/register.csv" --quiet >/dev/null 2>&1 || [[ $? -eq 3 ]]
echo "seed $seed, $attendances attendances, sweep with --register, history 365 days"
python3 "$here/evaluate_recognition.py" "$work/truth.csv" "$work/worklist.ndjson"
