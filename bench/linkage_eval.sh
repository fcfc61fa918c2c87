#!/usr/bin/env bash
# Linkage accuracy on synthetic data with known truth (docs/linkage.md, "Accuracy"):
#   bench/linkage_eval.sh [MODEL.json]
# Evaluation data is seed 2 (the shipped model was trained on seed 1): a register of about
# 150,000 entries and 200,000 queries, 30% of them register children (10% of those drawn from
# children with a twin), the rest adults of register households and other people.
# Needs the release build. Prints the figures and exits 0.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tools=build/release/bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
model=()
[[ $# -ge 1 ]] && model=(--model "$1")
"$tools/linkage_data" --seed 2 --attendances 11600000 --register "$work/register.csv" \
  --register-truth "$work/register-truth.csv" --queries "$work/queries.csv" --query-count 200000
"$tools/linkage_eval" --register "$work/register.csv" --register-truth "$work/register-truth.csv" \
  --queries "$work/queries.csv" "${model[@]}"
exit 0
