#!/usr/bin/env bash
# The README's second command: installs what is missing, builds with warnings as errors
# and runs every test (unit, layering, end-to-end), the storage tests also against a private
# PostgreSQL cluster (tests/postgres/with_postgres.sh). The web console is built and its unit
# tests run first, so that its browser test (label web) runs with the others.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
BUILD_DIR=build-test bash scripts/build.sh -DGETIHU_WERROR=ON -DGETIHU_BUILD_BENCH=OFF
bash web/build.sh --test
BUILD_DIR=build-test bash tests/postgres/with_postgres.sh \
  ctest --test-dir build-test --output-on-failure -j "$(nproc)"
