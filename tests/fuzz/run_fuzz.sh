#!/usr/bin/env bash
# Builds the libFuzzer harnesses of the CSV and .xlsx readers, of the rule parser and
# checker, of rule-set files (rule_set_fuzz) and of the evaluator (rule_eval_fuzz: vector
# against scalar evaluation) with clang (AddressSanitizer and UndefinedBehaviorSanitizer) and
# runs each for a bounded time. Fails on any crash, leak, timeout, sanitizer report or
# evaluator disagreement; exits 77 (ctest: skipped) when no suitable clang is installed
# (Debian: clang-16 libclang-rt-16-dev). Needs toml++ and OpenSSL's libcrypto (pkg-config).
#
# Usage: run_fuzz.sh OUT_DIR [SECONDS_EACH=30] [SECONDS_NEW=2/3 of SECONDS_EACH]
# The readers and the rule parser run SECONDS_EACH, rule_set_fuzz and rule_eval_fuzz
# SECONDS_NEW each (30 and 20 s: about 2 min 10 s of fuzzing in all).
# Crash inputs are left in OUT_DIR as crash-*; reproduce with OUT_DIR/csv_reader_fuzz FILE.
#
# clang-16, not clang-14: the code uses std::expected, which libstdc++ 12 offers to clang
# only from clang 16 (P0848) and only when __cpp_concepts says 202002 (clang 16 still says
# 201907, hence the -D below).
set -euo pipefail

out=${1:?usage: run_fuzz.sh OUT_DIR [SECONDS_EACH] [SECONDS_NEW]}
seconds=${2:-30}
seconds_new=${3:-$((seconds * 2 / 3 > 0 ? seconds * 2 / 3 : 1))}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
mkdir -p "$out"

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

flags=(-std=c++2b -O1 -g -I"$root/src" -D__cpp_concepts=202002L -Wno-macro-redefined
       -fsanitize=address,undefined -fno-sanitize-recover=all)
zip_flags=$(pkg-config --cflags libzip)
zip_libs=$(pkg-config --libs libzip)
toml_flags=$(pkg-config --cflags tomlplusplus)
set_libs="$(pkg-config --libs tomlplusplus) $(pkg-config --libs libcrypto)"
sources=(base/status.cc base/date.cc base/text.cc
         ingest/feed_layout.cc ingest/header_matcher.cc ingest/table_reader.cc
         ingest/byte_source.cc ingest/stream_decoder.cc ingest/csv_reader.cc
         ingest/xlsx_archive.cc ingest/xlsx_xml.cc ingest/xlsx_workbook.cc
         ingest/xlsx_cell.cc ingest/xlsx_reader.cc
         rules/lexer.cc rules/parser.cc rules/checker.cc)
# Only for rule_set_fuzz and rule_eval_fuzz (with the rule objects above).
engine_sources=(base/money.cc domain/profile.cc rules/profile_fields.cc rules/rule_set.cc
                engine/frame.cc engine/scalar_eval.cc engine/program.cc)

# Compiles the sources once for all harnesses (only those that changed).
objects=()
rule_objects=()
engine_objects=()
compile_jobs=()
for src in "${sources[@]}" "${engine_sources[@]}"; do
  obj="$out/obj/${src//\//_}.o"
  if [[ " ${engine_sources[*]} " == *" $src "* ]]; then
    engine_objects+=("$obj")
  else
    case $src in
      rules/*) rule_objects+=("$obj") ;;
      base/*) objects+=("$obj"); rule_objects+=("$obj") ;;
      *) objects+=("$obj") ;;
    esac
  fi
  if [[ ! -f $obj || $root/src/$src -nt $obj || -n $(find "$root/src/base" "$root/src/ingest" "$root/src/rules" \
        "$root/src/domain" "$root/src/engine" -name '*.h' -newer "$obj" -print -quit) ]]; then
    compile_jobs+=("$src")
  fi
done
mkdir -p "$out/obj"
compile() {
  "$cxx" "${flags[@]}" -fsanitize=fuzzer-no-link $zip_flags $toml_flags -c "$root/src/$1" \
    -o "$out/obj/${1//\//_}.o"
}
if ((${#compile_jobs[@]} > 0)); then
  echo "编译 ${#compile_jobs[@]} 个源文件（$cxx，ASan + UBSan + libFuzzer 插桩）"
  pids=()
  for src in "${compile_jobs[@]}"; do
    compile "$src" &
    pids+=($!)
    if ((${#pids[@]} >= $(nproc))); then
      wait "${pids[0]}"
      pids=("${pids[@]:1}")
    fi
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
fi

for harness in csv_reader_fuzz xlsx_reader_fuzz; do
  "$cxx" "${flags[@]}" -fsanitize=fuzzer $zip_flags "$root/tests/fuzz/$harness.cc" \
    "${objects[@]}" $zip_libs -lexpat -o "$out/$harness"
done
"$cxx" "${flags[@]}" -fsanitize=fuzzer "$root/tests/fuzz/rule_parser_fuzz.cc" "${rule_objects[@]}" \
  -o "$out/rule_parser_fuzz"
for harness in rule_set_fuzz rule_eval_fuzz; do
  "$cxx" "${flags[@]}" -fsanitize=fuzzer "$root/tests/fuzz/$harness.cc" "${rule_objects[@]}" \
    "${engine_objects[@]}" $set_libs -o "$out/$harness"
done

# Seeds: the committed rule texts and CSV texts, a GB18030 copy of each, and generated workbooks;
# the committed rule-set files and those of data/rules; for the evaluator the committed rules
# and every case's rule of tests/rules/eval/*.test (repeated `rule:` lines joined).
mkdir -p "$out/corpus/csv" "$out/corpus/xlsx" "$out/corpus/rules" "$out/corpus/rule_set" \
  "$out/corpus/rule_eval"
cp "$root"/tests/fuzz/corpus/rules/*.rule "$out/corpus/rules/"
cp "$root"/tests/fuzz/corpus/rule_set/*.toml "$out/corpus/rule_set/"
for f in "$root"/data/rules/*.toml; do cp "$f" "$out/corpus/rule_set/data-$(basename "$f")"; done
cp "$root"/tests/fuzz/corpus/rule_eval/*.rule "$out/corpus/rule_eval/"
for f in "$root"/tests/rules/eval/*.test; do
  [[ -f $f ]] || continue
  awk -v prefix="$out/corpus/rule_eval/$(basename "$f" .test)-" '
    function flush() {
      if (rule != "") { n++; printf "%s", rule > (prefix n ".rule"); close(prefix n ".rule") }
      rule = ""
    }
    /^---$/ { flush(); next }
    /^rule: / { rule = rule (rule == "" ? "" : "\n") substr($0, 7) }
    END { flush() }' "$f"
done
cp "$root"/tests/fuzz/corpus/csv/*.csv "$out/corpus/csv/"
for f in "$root"/tests/fuzz/corpus/csv/*.csv; do
  iconv -f UTF-8 -t GB18030 "$f" >"$out/corpus/csv/gb18030-$(basename "$f")" 2>/dev/null || true
done
"$cxx" -std=c++2b -O1 -I"$root/src" $zip_flags "$root/tests/fuzz/make_xlsx_seeds.cc" $zip_libs \
  -o "$out/make_xlsx_seeds"
"$out/make_xlsx_seeds" "$out/corpus/xlsx"

run() {
  local harness=$1 corpus=$2 max_len=$3 rc=0
  echo "运行 $harness ${seconds} 秒"
  "$out/$harness" "$out/corpus/$corpus" -max_total_time="$seconds" -max_len="$max_len" \
    -rss_limit_mb=2048 -timeout=20 -error_exitcode=1 -print_final_stats=1 \
    -artifact_prefix="$out/" \
    >"$out/$harness.log" 2>&1 || rc=$?
  grep -E '^(#[0-9]+ +DONE|Done [0-9]+ runs|stat::number_of_executed_units|stat::peak_rss_mb)' \
    "$out/$harness.log" || true
  if ((rc != 0)); then tail -n 60 "$out/$harness.log"; fi
  return "$rc"
}
status=0
run csv_reader_fuzz csv 16384 || status=1
run xlsx_reader_fuzz xlsx 65536 || status=1
run rule_parser_fuzz rules 4096 || status=1
seconds=$seconds_new
run rule_set_fuzz rule_set 16384 || status=1
run rule_eval_fuzz rule_eval 4096 || status=1
if ((status != 0)); then
  echo "模糊测试发现问题：见 $out/crash-* 等文件" >&2
fi
exit "$status"
