#!/usr/bin/env bash
# Formats every C++ file with the project's .clang-format.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
find src tests bench fuzz -name '*.cc' -o -name '*.h' | xargs clang-format -i
