#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds everything, runs every test through CTest.
# Exits non-zero on any failure. CI (.ci/run) calls exactly this.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$here/scripts/setup.sh"
"$here/scripts/build.sh"
build=${MTLW_BUILD_DIR:-$here/build}
ctest --test-dir "$build" --output-on-failure --timeout 900
