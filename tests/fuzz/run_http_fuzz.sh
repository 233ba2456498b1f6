#!/usr/bin/env bash
# Builds the libFuzzer harness of the HTTP request-head parser (tests/fuzz/http_request_fuzz.cc)
# with clang (AddressSanitizer and UndefinedBehaviorSanitizer) and runs it for a bounded time.
# Fails on any crash, leak, timeout or sanitizer report; exits 77 (ctest: skipped) when no
# suitable clang is installed (Debian: clang-16 libclang-rt-16-dev). The parser uses only the
# standard library, so this builds in seconds.
#
# Usage: run_http_fuzz.sh OUT_DIR [SECONDS=15]
# Crash inputs are left in OUT_DIR as crash-*; reproduce with OUT_DIR/http_request_fuzz FILE.
set -euo pipefail

out=${1:?usage: run_http_fuzz.sh OUT_DIR [SECONDS]}
seconds=${2:-15}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
mkdir -p "$out/corpus"

cxx=${FUZZ_CXX:-}
if [[ -z $cxx ]]; then
  for candidate in clang++-16 clang++-17 clang++-18 clang++-19; do
    if command -v "$candidate" >/dev/null; then cxx=$candidate; break; fi
  done
fi
if [[ -z $cxx ]]; then
  echo "跳过模糊测试：没有找到 clang++-16 或更新版本（Debian 软件包 clang-16 libclang-rt-16-dev）"
  exit 77
fi

# clang 16 with libstdc++ 12: see run_fuzz.sh for the -D.
"$cxx" -std=c++2b -O1 -g -I"$root/src" -D__cpp_concepts=202002L -Wno-macro-redefined \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
  "$root/tests/fuzz/http_request_fuzz.cc" "$root/src/server/http_parser.cc" \
  -o "$out/http_request_fuzz"
cp "$root"/tests/fuzz/corpus/http/*.txt "$out/corpus/"

echo "运行 http_request_fuzz ${seconds} 秒"
rc=0
"$out/http_request_fuzz" "$out/corpus" -max_total_time="$seconds" -max_len=2048 \
  -rss_limit_mb=2048 -timeout=10 -error_exitcode=1 -print_final_stats=1 -artifact_prefix="$out/" \
  >"$out/http_request_fuzz.log" 2>&1 || rc=$?
grep -E '^(#[0-9]+ +DONE|Done [0-9]+ runs|stat::number_of_executed_units|stat::peak_rss_mb)' \
  "$out/http_request_fuzz.log" || true
if ((rc != 0)); then
  tail -n 60 "$out/http_request_fuzz.log"
  echo "模糊测试发现问题：见 $out/crash-* 等文件" >&2
fi
exit "$rc"
