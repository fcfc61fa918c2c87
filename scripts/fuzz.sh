#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-19 and runs each for a while (default 60 s).
#   scripts/fuzz.sh [SECONDS]
# New crashes are written to fuzz/foundation/corpus/TARGET/ so the replay test keeps them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds=${1:-60}
for p in clang-19 libclang-rt-19-dev libfuzzer-19-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    apt-get install -y -qq --no-install-recommends "$p" >/dev/null
done
cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-19 \
  -DLIAISON_FUZZ=ON -DLIAISON_SANITIZE=ON -DLIAISON_BUILD_TESTS=OFF >/dev/null
cmake --build build/fuzz -j "$(nproc)" --target nhs_number_fuzz timestamp_fuzz api_json_fuzz \
  attendance_json_fuzz attendance_csv_fuzz register_csv_fuzz link_csv_fuzz
for target in nhs_number timestamp api_json; do
  corpus=fuzz/foundation/corpus/$target
  "build/fuzz/fuzz/foundation/${target}_fuzz" -max_total_time="$seconds" -artifact_prefix="$corpus/crash-" \
    "$corpus" 2>&1 | tail -2
done
for target in attendance_json attendance_csv register_csv link_csv; do
  corpus=fuzz/corpus/$target
  "build/fuzz/fuzz/${target}_fuzz" -max_total_time="$seconds" -artifact_prefix="$corpus/crash-" \
    "$corpus" 2>&1 | tail -2
done
