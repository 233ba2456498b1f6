#!/usr/bin/env bash
# Benchmark of `getihu gen`: a province of N households in stock (default 10,000,000) on
# all cores, with wall time, peak memory, rows and bytes written, against a peer doing the
# simplest comparable thing a user would otherwise reach for: SQLite's shell writing the
# same number of registration-like CSV rows from generate_series with random values.
# Usage: bash bench/gen_bench.sh [HOUSEHOLDS] [REGION]   (needs: bash scripts/install-deps.sh --bench)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000000}
region=${2:-440000}
out=${BENCH_DIR:-/tmp/getihu-bench}/gen
getihu=${GETIHU:-build/getihu}
[[ -x $getihu ]] || bash scripts/build.sh >/dev/null
rm -rf "$out" && mkdir -p "$out"

echo "== getihu gen: $n households in stock, region $region, $(nproc) cores"
/usr/bin/time -f '%e %M' -o "$out/time.txt" \
  "$getihu" --json gen --households "$n" --region "$region" --as-of 2026-07-01 --seed 1 \
  --out "$out/feeds" >"$out/manifest.out"
read -r secs kb < <(tail -n 1 "$out/time.txt")
rows=$(grep -o '"rows": [0-9]*' "$out/manifest.out" | awk '{s += $2} END {print s}')
reg_rows=$(grep -m1 -o '"rows": [0-9]*' "$out/manifest.out" | awk '{print $2}')
bytes=$(du -sb "$out/feeds" | awk '{print $1}')
total=$(grep -o '"households_total": [0-9]*' "$out/manifest.out" | awk '{print $2}')
printf 'getihu gen: %s s, peak RSS %.0f MiB, %s households generated, %s rows in 13 files, %.2f GB\n' \
  "$secs" "$(echo "$kb/1024" | bc -l)" "$total" "$rows" "$(echo "$bytes/1000000000" | bc -l)"
printf 'getihu gen: %.0f rows/s, %.0f MB/s\n' "$(echo "$rows/$secs" | bc -l)" "$(echo "$bytes/$secs/1000000" | bc -l)"
rm -rf "$out/feeds"

echo "== peer: sqlite3 shell writing $reg_rows registration-like CSV rows"
/usr/bin/time -f '%e %M' -o "$out/peer_time.txt" sqlite3 :memory: <<SQL
.mode csv
.headers on
.output $out/peer.csv
SELECT printf('92%06d%010d', 440000 + abs(random()) % 10000, value) AS uscc,
       '设立' AS kind,
       date('1995-01-01', '+' || (abs(random()) % 11500) || ' days') AS change_date,
       '' AS legacy, '某某便利店' || value AS name, '张三' AS operator,
       printf('44%016d', abs(random()) % 10000000000000000) AS id_number,
       printf('13%09d', abs(random()) % 1000000000) AS phone,
       '440103' AS region, '440103001' AS township, '5212' AS industry,
       '个人经营' AS form, '某区某街道某路' || (value % 400) || '号' AS premises,
       date('1995-01-01', '+' || (abs(random()) % 11500) || ' days') AS established,
       '否' AS online, '' AS converted
FROM generate_series(1, $reg_rows);
SQL
read -r peer_secs peer_kb < <(tail -n 1 "$out/peer_time.txt")
peer_bytes=$(stat -c %s "$out/peer.csv")
rm -f "$out/peer.csv"
printf 'sqlite3 peer: %s s, peak RSS %.0f MiB, %s rows, %.2f GB, %.0f rows/s\n' "$peer_secs" \
  "$(echo "$peer_kb/1024" | bc -l)" "$reg_rows" "$(echo "$peer_bytes/1000000000" | bc -l)" \
  "$(echo "$reg_rows/$peer_secs" | bc -l)"
printf 'ratio (getihu rows/s ÷ sqlite3 rows/s): %.2fx; targets: ≤180 s and ≤1024 MiB for 10M\n' \
  "$(echo "($rows/$secs)/($reg_rows/$peer_secs)" | bc -l)"
