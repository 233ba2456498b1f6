#!/usr/bin/env bash
# Province-scale benchmark (issue #6), one run, both backends, each step beside its peer:
#   gen      `getihu gen` of the province (once; reused while N, region and as-of are the same)
#   import   registration, annual reports and tax: `getihu import` into SQLite vs the sqlite3
#            shell's `.import` of the same three CSVs + an index on USCC; `getihu --db
#            postgresql://… import` vs psql `\copy` into plain tables + an index on USCC (not a
#            primary key: a registration file holds several rows per household, and gen's
#            deliberate duplicate rows would make a unique key fail)
#   tier     `getihu tier run` end to end on each backend vs the default rules as ONE SQL
#            statement in PostgreSQL (bench/lib/tier_peer.sql, shared with tier_e2e_bench.sh)
#   stats    `getihu stats --by township|section|tier` vs the same figures as one GROUP BY
#            statement (bench/lib/stats_peer.sql) in sqlite3 / psql over the same tables, the
#            figures checked equal; `getihu report` (no peer; target ≤ 10 s); the first stats
#            after the import, which reads the pool and writes its images, timed apart
#   lookup   household detail by USCC over HTTP: bench/api_bench.sh on this run's SQLite pool
#            (wrk) vs pgbench point lookups by primary key in this run's cluster
# Medians of REPEATS runs (default 3; peak RSS is the largest), then one table: step, backend,
# getihu, peer, ratio (peer ÷ getihu time, > 1: getihu faster), target, met, peak RSS.
# PostgreSQL: a private cluster (tests/postgres/with_postgres.sh), stopped on exit.
# Usage: bash bench/province_bench.sh [HOUSEHOLDS] [REGION]   (default 10,000,000 and 440000
# Guangdong). Env: REPEATS (3), LOOKUP_SECONDS (15; 0 skips the lookup), BENCH_DIR
# (/tmp/getihu-bench; data under …/province), GETIHU (build/getihu). Needs sqlite3, psql,
# pgbench, wrk, bc: bash scripts/install-deps.sh --bench. At 10M: about 50 GB of disk.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000000}
region=${2:-440000}
if [[ -z "${PROVINCE_BENCH_CLUSTER:-}" ]]; then
  export PROVINCE_BENCH_CLUSTER=1
  export GETIHU_PG_DIR=${BENCH_DIR:-/tmp/getihu-bench}/pg
  mkdir -p "$GETIHU_PG_DIR"
  exec bash tests/postgres/with_postgres.sh bash "$0" "$n" "$region"
fi
repeats=${REPEATS:-3}
lookup_secs=${LOOKUP_SECONDS:-15}
as_of=2026-07-01 # bench/lib/tier_peer.sql is written for this date
data=${BENCH_DIR:-/tmp/getihu-bench}/province
feeds=$data/feeds
work=$data/run
getihu=$(realpath "${GETIHU:-build/getihu}")
[[ -x $getihu ]] || { echo "no $getihu: build it first (bash scripts/build.sh)" >&2; exit 1; }
for tool in sqlite3 psql bc python3; do
  command -v "$tool" >/dev/null || { echo "needs $tool: bash scripts/install-deps.sh --bench" >&2; exit 1; }
done
have_time=0
[[ -x /usr/bin/time ]] && have_time=1
export PGOPTIONS="--client-min-messages=warning"
pgbase=${GETIHU_TEST_PG%/*}
pgpool=$pgbase/bench_pool
pgpeer=$pgbase/bench_peer
rm -rf "$work" && mkdir -p "$work" "$data"
results=$work/results.txt
: >"$results"

# ---- helpers -------------------------------------------------------------------------------
# timed OUT CMD…: runs CMD (stdout to OUT); sets secs (wall) and kb (peak RSS, KiB, or "").
# Returns CMD's exit status.
timed() {
  local out=$1 rc=0 t0 t1
  shift
  t0=$(date +%s.%N)
  if ((have_time)); then
    /usr/bin/time -f '%M' -o "$work/rss.txt" "$@" >"$out" || rc=$?
  else
    "$@" >"$out" || rc=$?
  fi
  t1=$(date +%s.%N)
  secs=$(echo "$t1 - $t0" | bc -l)
  kb=""
  ((have_time)) && kb=$(tail -n 1 "$work/rss.txt")
  return $rc
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
maxof() { printf '%s\n' "$@" | sort -g | tail -n 1; }
mib() { [[ -n ${1:-} ]] && printf '%.0f MiB' "$(echo "$1 / 1024" | bc -l)" || echo "n/a"; }
ratio() { echo "$2 / $1" | bc -l; } # GETIHU PEER → peer ÷ getihu
# record STEP BACKEND GETIHU_S PEER_S RATIO TARGET MET RSS_KB
sep=$'\x1f' # fields may be empty: a separator that is not whitespace
record() { (IFS=$sep && echo "$*") >>"$results"; }
met_if() { (($(echo "$1" | bc -l))) && echo "met" || echo "NOT met"; }
pg_recreate() { # DATABASE
  psql -q "$pgbase/postgres" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
}
json_num() { grep -o "\"$1\": [0-9.e+-]*" "$2" | head -n 1 | awk '{print $2 + 0}'; } # first

# ---- 1. the province -----------------------------------------------------------------------
params="$n $region $as_of seed=1"
if [[ "$(cat "$feeds/.params" 2>/dev/null)" != "$params" ]]; then
  echo "== generating $n households in stock, region $region, as of $as_of"
  rm -rf "$feeds"
  timed "$work/gen.json" "$getihu" --json gen --households "$n" --region "$region" \
    --as-of "$as_of" --seed 1 --out "$feeds"
  echo "$params" >"$feeds/.params"
  printf 'getihu gen: %.1f s, peak RSS %s, %s households in total\n' "$secs" "$(mib "$kb")" \
    "$(json_num households_total "$work/gen.json")"
  record gen - "$secs" "" "" "≤180 s, ≤1 GiB at 10M (peer: gen_bench.sh)" "—" "$kb"
else
  echo "== reusing the province in $feeds ($params)"
fi
three=(registration annual_report tax)
mkdir -p "$work/rest"
for f in "$feeds"/*.csv; do
  case $(basename "$f") in
    registration.csv | annual_report.csv | tax.csv) ;;
    *) ln -s "$f" "$work/rest/" ;;
  esac
done

# ---- 2. import -----------------------------------------------------------------------------
# getihu_import DB: init (untimed), then the three files, each its own command as a user runs
# them; sets imp_secs (sum), imp_kb (largest), imp_rows (rows read).
getihu_import() {
  "$getihu" --db "$1" init >/dev/null
  imp_secs=0 imp_kb=0 imp_rows=0
  local f rc
  for f in "${three[@]}"; do
    rc=0
    # The import alone, as the peer: no images of the pool at its end (stats_bench.sh times them).
    timed "$work/import-$f.json" env GETIHU_IMAGE_DIR=off "$getihu" --db "$1" --json import "$f" "$feeds/$f.csv" \
      --as-of "$as_of" --rejects "$work/$f.rejects.csv" || rc=$?
    ((rc <= 1)) || { echo "getihu import $f failed ($rc)" >&2; exit 1; } # 1: some rows rejected
    imp_secs=$(echo "$imp_secs + $secs" | bc -l)
    imp_kb=$(maxof "$imp_kb" "${kb:-0}")
    imp_rows=$((imp_rows + $(json_num rows_read "$work/import-$f.json")))
    [[ $f == registration ]] && reg_secs=$secs # wall time, process start included
  done
  reg_rows=$(json_num rows_read "$work/import-registration.json")
}
ncols() { head -n 1 "$1" | awk -F, '{print NF}'; }
columns() { # FILE → "c1 TEXT, c2 TEXT, …"
  local i cols=""
  for ((i = 1; i <= $(ncols "$1"); i++)); do cols+="${cols:+, }c$i TEXT"; done
  echo "$cols"
}
{
  echo "PRAGMA journal_mode = WAL;"
  for f in "${three[@]}"; do
    echo "CREATE TABLE $f ($(columns "$feeds/$f.csv"));"
    echo ".import --csv --skip 1 $feeds/$f.csv $f"
    echo "CREATE INDEX ${f}_uscc ON $f (c1);"
  done
} >"$work/peer_import_sqlite.sql"
{
  for f in "${three[@]}"; do
    enc=UTF8
    [[ $f == tax ]] && enc=GB18030 # gen writes the tax feed in GB18030, as tax bureaus do
    echo "CREATE TABLE $f ($(columns "$feeds/$f.csv"));"
    echo "\\copy $f FROM '$feeds/$f.csv' WITH (FORMAT csv, HEADER true, ENCODING '$enc')"
    echo "CREATE INDEX ${f}_uscc ON $f (c1);"
  done
} >"$work/peer_import_pg.sql"

import_step() { # BACKEND
  local backend=$1 g=() gk=() p=() pk=() r db
  echo "== import on $backend: getihu vs $([[ $backend == sqlite ]] && echo "sqlite3 .import + index" || echo "psql \\copy + index") ($repeats×)"
  for ((r = 1; r <= repeats; r++)); do
    if [[ $backend == sqlite ]]; then
      db=$work/pool.db
      rm -f "$db" "$db"-*
    else
      db=$pgpool
      pg_recreate bench_pool
    fi
    getihu_import "$db"
    g+=("$imp_secs") gk+=("$imp_kb")
    printf '  getihu  %6.2f s  %s rows (registration %s rows in %.2f s: %.0f rows/s)  peak RSS %s\n' \
      "$imp_secs" "$imp_rows" "$reg_rows" "$reg_secs" "$(echo "$reg_rows / $reg_secs" | bc -l)" "$(mib "$imp_kb")"
    if [[ $backend == sqlite ]]; then
      rm -f "$work/peer.db"
      timed "$work/peer.out" sqlite3 "$work/peer.db" <"$work/peer_import_sqlite.sql"
      rm -f "$work/peer.db"
    else
      pg_recreate bench_peer
      timed "$work/peer.out" psql -q -v ON_ERROR_STOP=1 "$pgpeer" -f "$work/peer_import_pg.sql"
    fi
    p+=("$secs") pk+=("${kb:-0}")
    printf '  peer    %6.2f s  peak RSS %s\n' "$secs" "$(mib "$kb")"
  done
  [[ $backend == pg ]] && psql -q "$pgbase/postgres" -c "DROP DATABASE bench_peer" >/dev/null
  local gm pm
  gm=$(median "${g[@]}") pm=$(median "${p[@]}")
  eval "${backend}_reg_rows=$reg_rows ${backend}_reg_secs=$reg_secs"
  record import "$backend" "$gm" "$pm" "$(ratio "$gm" "$pm")" "≥3×" \
    "$(met_if "$pm / $gm >= 3")" "$(maxof "${gk[@]}")"
  # The rest of the pool (untimed), for the tier run and the stats.
  "$getihu" --db "$db" import --dir "$work/rest" --as-of "$as_of" >/dev/null || true
}
import_step sqlite
import_step pg
psql -q "$pgpool" -c "VACUUM ANALYZE" >/dev/null
for b in sqlite pg; do
  rr=${b}_reg_rows rs=${b}_reg_secs
  rps=$(echo "${!rr} / ${!rs}" | bc -l)
  record "import registration rows/s" "$b" "${!rs}" "" "" "≥1,000,000 rows/s ($(printf '%.0f' "$rps"))" \
    "$(met_if "$rps >= 1000000")" ""
done

# ---- 3. tier run ---------------------------------------------------------------------------
echo "== tier run end to end vs the default rules as one SQL statement in PostgreSQL ($repeats×)"
p=()
for ((r = 1; r <= repeats; r++)); do
  psql -q "$pgpool" -c "DROP TABLE IF EXISTS peer_result" >/dev/null
  timed "$work/peer.out" psql -q -v ON_ERROR_STOP=1 "$pgpool" -f bench/lib/tier_peer.sql
  p+=("$secs")
done
tier_peer=$(median "${p[@]}")
printf '  peer (one SQL, PostgreSQL)  %.2f s\n' "$tier_peer"
peer_counts=$(psql -At "$pgpool" -c "SELECT string_agg(outcome || ':' || n, ' ' ORDER BY outcome) FROM (SELECT outcome, count(*) n FROM peer_result GROUP BY outcome) x")
counts_sql="SELECT outcome || ':' || count(*) FROM tier_results WHERE run_id = (SELECT max(id) FROM tier_runs) GROUP BY outcome ORDER BY outcome"
for b in sqlite pg; do
  db=$work/pool.db
  [[ $b == pg ]] && db=$pgpool
  g=() gk=()
  for ((r = 1; r <= repeats; r++)); do
    timed "$work/tier-$b.json" "$getihu" --db "$db" --json tier run --as-of "$as_of"
    g+=("$secs") gk+=("${kb:-0}")
  done
  gm=$(median "${g[@]}")
  if [[ $b == pg ]]; then ours=$(psql -At "$pgpool" -c "$counts_sql" | paste -sd' '); else ours=$(sqlite3 "$db" "$counts_sql" | paste -sd' '); fi
  same=$([[ "$ours" == "$peer_counts" ]] && echo "same counts" || echo "COUNTS DIFFER")
  printf '  getihu (%s) %.2f s, %s households; outcomes 0…3 getihu %s, peer %s: %s\n' "$b" "$gm" \
    "$(json_num households "$work/tier-$b.json")" "$ours" "$peer_counts" "$same"
  record "tier run" "$b" "$gm" "$tier_peer" "$(ratio "$gm" "$tier_peer")" "≥5× ($same)" \
    "$(met_if "$tier_peer / $gm >= 5")" "$(maxof "${gk[@]}")"
done

# ---- 4. stats and report -------------------------------------------------------------------
# The region's code range, as `getihu stats --region` takes it (trailing 00 pairs dropped).
prefix=${region:0:6}
while ((${#prefix} > 2)) && [[ $prefix == *00 ]]; do prefix=${prefix%00}; done
low=$(printf '%-6s' "$prefix" | tr ' ' 0) high=$(printf '%-6s' "$prefix" | tr ' ' 9)
y=${as_of:0:4}
section_of="CASE WHEN substr(h.industry_code, 1, 1) BETWEEN 'A' AND 'T' THEN substr(h.industry_code, 1, 1) ELSE CASE"
for s in A:5 B:12 C:43 D:46 E:50 F:52 G:60 H:62 I:65 J:69 K:70 L:72 M:75 N:79 O:82 P:83 Q:85 R:90 S:96 T:97; do
  section_of+=" WHEN CAST(substr(h.industry_code, 1, 2) AS INTEGER) <= ${s#*:} THEN '${s%:*}'"
done
section_of+=" END END"
stats_sql() { # BY → the peer statement
  local sql group join=""
  sql=$(<bench/lib/stats_peer.sql)
  case $1 in
    township) group="h.township_code" ;;
    section) group=$section_of ;;
    tier)
      group="CASE r.outcome WHEN 3 THEN 'development' WHEN 2 THEN 'growth' WHEN 1 THEN 'survival' ELSE 'untyped' END"
      join="LEFT JOIN tier_results r ON r.household_id = h.id AND r.run_id = (SELECT max(id) FROM tier_runs WHERE as_of <= '$as_of')"
      ;;
  esac
  sql=${sql//\{\{D0\}\}/$as_of}
  sql=${sql//\{\{D1\}\}/$((y - 1))-12-31}
  sql=${sql//\{\{D2\}\}/$((y - 1))${as_of:4}}
  sql=${sql//\{\{D3\}\}/$((y - 2))-12-31}
  sql=${sql//\{\{Y0\}\}/$y-01-01}
  sql=${sql//\{\{Y2\}\}/$((y - 1))-01-01}
  sql=${sql//\{\{LOW\}\}/$low}
  sql=${sql//\{\{HIGH\}\}/$high}
  sql=${sql//\{\{GROUP\}\}/$group}
  sql=${sql//\{\{JOIN\}\}/$join}
  echo "$sql"
}
# The figures compared: all of them, or for --by tier the current ones (the comparison figures
# of a tier group use the run in force on their own date, and this pool has one run date).
compare_py='
import json, sys
by, ours, peer = sys.argv[1], json.load(open(sys.argv[2])), sys.argv[3]
keys = ["stock", "suspended", "online", "stock_previous_year_end", "stock_same_date_last_year",
        "new_registrations", "new_registrations_same_period_last_year", "exits",
        "exits_same_period_last_year", "conversions"]
idx = [0, 1, 2, 5, 7, 9] if by == "tier" else list(range(10))
a = {g["code"]: [g[keys[i]] for i in idx] for g in ours["groups"]}
b = {}
for line in open(peer):
    f = line.rstrip("\n").split("|")
    v = [int(x) for x in f[1:]]
    if any(v): b[f[0]] = [v[i] for i in idx]
a = {k: v for k, v in a.items() if any(v)}
print(ours["total"]["stock"], sum(v[0] for v in b.values()), len(a), "same" if a == b else "DIFFERENT")
'
for b in sqlite pg; do
  db=$work/pool.db
  [[ $b == pg ]] && db=$pgpool
  # The pool's images (analytics/pool_image.h): the first statistics after the import read the
  # pool and write them; the timed runs below, and the reports, read them.
  export GETIHU_IMAGE_DIR="$work/images-$b"
  rm -rf "$GETIHU_IMAGE_DIR"
  timed "$work/stats-$b-first.json" "$getihu" --db "$db" --json stats --region "$region" --as-of "$as_of"
  printf '  stats, the first after the import (%s) %.2f s: reads the pool, writes its images (200k+ households)\n' \
    "$b" "$secs"
  record "stats, first after the import" "$b" "$secs" "" "" "—" "—" "${kb:-0}"
  for by in township section tier; do
    stats_sql "$by" >"$work/stats_peer_$by.sql"
    g=() gk=() p=()
    for ((r = 1; r <= repeats; r++)); do
      timed "$work/stats-$b-$by.json" "$getihu" --db "$db" --json stats --region "$region" --as-of "$as_of" --by "$by"
      g+=("$secs") gk+=("${kb:-0}")
      if [[ $b == sqlite ]]; then
        timed "$work/peer-$b-$by.txt" sqlite3 -separator '|' "$db" <"$work/stats_peer_$by.sql"
      else
        timed "$work/peer-$b-$by.txt" psql -At -F '|' -v ON_ERROR_STOP=1 "$db" -f "$work/stats_peer_$by.sql"
      fi
      p+=("$secs")
    done
    read -r stock_ours stock_peer groups same < <(python3 -c "$compare_py" "$by" "$work/stats-$b-$by.json" "$work/peer-$b-$by.txt")
    gm=$(median "${g[@]}") pm=$(median "${p[@]}")
    printf '  stats --by %-8s (%s) getihu %.2f s, GROUP BY %.2f s; stock %s (peer %s), %s groups: %s\n' \
      "$by" "$b" "$gm" "$pm" "$stock_ours" "$stock_peer" "$groups" "$same"
    record "stats --by $by" "$b" "$gm" "$pm" "$(ratio "$gm" "$pm")" "ratio printed; stock $stock_ours, $same" \
      "—" "$(maxof "${gk[@]}")"
  done
  g=() gk=()
  for ((r = 1; r <= repeats; r++)); do
    rm -rf "$work/report-$b"
    timed "$work/report-$b.json" "$getihu" --db "$db" --json report --region "$region" --as-of "$as_of" --out "$work/report-$b"
    g+=("$secs") gk+=("${kb:-0}")
  done
  gm=$(median "${g[@]}")
  printf '  report (%s) %.2f s\n' "$b" "$gm"
  record report "$b" "$gm" "" "" "≤10 s" "$(met_if "$gm <= 10")" "$(maxof "${gk[@]}")"
  unset GETIHU_IMAGE_DIR
done

# ---- 5. household lookup -------------------------------------------------------------------
if ((lookup_secs > 0)) && command -v wrk >/dev/null && command -v pgbench >/dev/null; then
  echo "== household detail by USCC over HTTP: bench/api_bench.sh on this pool, ${lookup_secs} s each"
  mkdir -p "$work/api"
  sqlite3 "$work/pool.db" ".backup '$work/api/pool.db'"
  touch "$work/api/pool-$n.ready"
  BENCH_DIR=$work bash bench/api_bench.sh "$n" "$lookup_secs" | tee "$work/api.txt" | sed 's/^/  /'
  rps=$(awk '/^detail +[0-9]/ {print $2; exit}' "$work/api.txt")
  p99=$(awk '/^detail +[0-9]/ {print $5; exit}' "$work/api.txt")
  tps=$(awk '/^pgbench point lookup/ {print $6; exit}' "$work/api.txt")
  rss=$(grep -o 'server memory after load: .*' "$work/api.txt" | sed 's/server memory after load: *//; s/: / /g; s/ *$//')
  if [[ -n $rps && -n $tps ]]; then
    # Throughputs: the ratio is getihu ÷ peer here, > 1 still means getihu faster.
    p99_ms=$(echo "$p99" | awk '/us$/ {print $1 / 1000; next} /ms$/ {print $1 + 0; next} /s$/ {print $1 * 1000}')
    record "lookup (req/s, p99 $p99)" sqlite "$(printf '%.0f/s' "$rps")" "$(printf '%.0f/s' "$tps")" \
      "$(echo "$rps / $tps" | bc -l)" "≥20,000 req/s, p99 ≤10 ms" \
      "$(met_if "$rps >= 20000 && ${p99_ms:-1000} <= 10")" "server $rss"
  fi
  record lookup pg "" "" "" "not measured: api_bench.sh serves the embedded store" "—" ""
else
  echo "== household lookup skipped (LOOKUP_SECONDS=0, or wrk/pgbench missing)"
fi

# ---- the table -----------------------------------------------------------------------------
echo
echo "== province $region, $n households in stock, as of $as_of, medians of $repeats, $(nproc) cores"
printf '%-32s %-7s %11s %11s %8s  %-44s %-8s %s\n' step backend getihu peer ratio target met "peak RSS"
while IFS=$sep read -r step backend gs ps rt target met rss; do
  fmt_s() { [[ -z $1 ]] && echo "—" || { [[ $1 == */s ]] && echo "$1" || printf '%.3f s' "$1"; }; }
  [[ -n $rt ]] && rt=$(printf '%.2f×' "$rt") || rt="—"
  [[ $rss =~ ^[0-9]+$ ]] && rss=$(mib "$rss")
  printf '%-32s %-7s %11s %11s %8s  %-44s %-8s %s\n' "$step" "$backend" "$(fmt_s "$gs")" \
    "$(fmt_s "$ps")" "$rt" "$target" "$met" "${rss:-—}"
done <"$results"
echo "(ratio: peer time ÷ getihu time, or getihu ÷ peer throughput for lookup; > 1 means getihu is faster." \
  "peak RSS: getihu's process; on PostgreSQL the server's memory is not counted)"
