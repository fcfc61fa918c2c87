#!/usr/bin/env bash
# Runs clang-tidy-19 (clang-tidy 14 cannot parse libstdc++ 12's <ranges>) over the sources,
# using the debug build's compile_commands.json.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v clang-tidy-19 >/dev/null; then
  apt-get install -y -qq --no-install-recommends clang-tidy-19 >/dev/null
fi
[[ -f build/debug/compile_commands.json ]] || cmake --preset debug >/dev/null
find src -name '*.cc' ! -name '*_test.cc' | xargs -P "$(nproc)" -n 4 clang-tidy-19 -p build/debug --quiet
