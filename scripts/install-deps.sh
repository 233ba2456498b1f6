#!/usr/bin/env bash
# Installs the Debian 12 packages Getihu needs, and only those that are missing.
# Idempotent; run as root. With --bench, also the tools the benchmarks compare against.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config   # toolchain
  libsqlite3-dev                                 # embedded storage
  libpq-dev postgresql                           # PostgreSQL backend; server for its tests
  libcli11-dev nlohmann-json3-dev                # command line, JSON
  libgtest-dev libgmock-dev clang-format git      # tests, format check
  libssl-dev                                     # SHA-256 of imported files and rule sets
  libtomlplusplus-dev                            # rule-set files (TOML)
  libxlsxwriter-dev                              # .xlsx out (rejects reports, exports)
  libzip-dev libexpat1-dev clang-16 libclang-rt-16-dev  # .xlsx in; fuzzing (libFuzzer)
  libcpp-httplib-dev libsodium-dev               # HTTP server; Argon2id password hashes
  chromium fonts-noto-cjk                        # web console's browser test; Chinese glyphs
)
# Node.js and npm build the web console. A Node.js from elsewhere (NodeSource) brings its own npm
# and conflicts with Debian's npm package: ask for both only when there is no npm at all.
if ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(sqlite3 time bc wrk curl)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  echo "依赖已齐全（${#packages[@]} 个软件包）"
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "缺少软件包：${missing[*]}；请以 root 运行本脚本" >&2
  exit 1
fi
echo "安装缺少的软件包：${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
