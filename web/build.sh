#!/usr/bin/env bash
# Builds the web console into web/dist when it is missing or older than its sources: installs
# the npm packages from package-lock.json (npm ci) when node_modules is missing or stale, then
# runs Vite. With --test, also runs the unit tests (Vitest). Used by scripts/demo.sh and
# scripts/test.sh; needs node and npm (scripts/install-deps.sh installs them).
set -euo pipefail
cd "$(dirname "$0")"

# True when $1 is missing or any of the remaining paths holds a newer file.
stale() {
  local target=$1
  shift
  [[ ! -e $target ]] && return 0
  [[ -n $(find "$@" -newer "$target" -type f -print -quit 2>/dev/null) ]]
}

if stale node_modules/.package-lock.json package.json package-lock.json; then
  echo "== 安装网页控制台的 npm 软件包（npm ci）"
  npm ci --no-audit --no-fund --loglevel=error
fi
if stale dist/index.html index.html vite.config.js package-lock.json src public; then
  echo "== 构建网页控制台（web/dist）"
  npm run build --silent -- --logLevel warn
fi
if [[ ${1:-} == --test ]]; then
  echo "== 网页控制台单元测试（Vitest）"
  npm test --silent
fi
