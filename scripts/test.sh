#!/usr/bin/env bash
# The README's second command: installs what is missing, builds with warnings as errors
# and runs every test (unit, layering, end-to-end).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
BUILD_DIR=build-test bash scripts/build.sh -DGETIHU_WERROR=ON -DGETIHU_BUILD_BENCH=OFF
ctest --test-dir build-test --output-on-failure -j "$(nproc)"
