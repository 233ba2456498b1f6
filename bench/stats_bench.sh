#!/usr/bin/env bash
# Indicators benchmark (issue #5), one generated region, SQLite and PostgreSQL:
#   breakdown  the full breakdown region × township × section × tier — every figure of
#              `getihu stats` per cell, with its share of its township's and its region's stock —
#              from a warm frame: build/bench/stats_bench reads the population once, then times
#              the breakdown in process (median of 9; target ≤ 20 ms on 2 cores at 10M), vs the same
#              figures as ONE GROUP BY statement with window shares (bench/lib/breakdown_peer.sql)
#              in sqlite3 and in psql over the same pool, the cells checked equal; ratio = peer ÷
#              getihu (> 1: getihu faster)
#   stats      `getihu stats --by township` end to end (a process: opens the pool, reads the
#              population, prints)
#   images     `getihu images`: what the end of an import now does (analytics::PrepareReportImages)
#              — reads the whole pool and writes its images (analytics/pool_image.h) into
#              $work/images-BACKEND
#   report     `getihu report` end to end (target ≤ 10 s at 10M), REPEATS times after the images:
#              the first report after an import is one of them; and the same report through
#              `getihu serve` (GET /api/v1/reports, HTML) after a restart: the first request reads
#              the population from the images, the next ones find it kept by the server with the
#              tier outcomes and the signs of operating (the web console's path)
# The peer, stats and report: medians of REPEATS (default 3). The pool (gen, then import of registration, annual reports and
# tax, then a tier run) is cached under $BENCH_DIR/stats-N-REGION and reused; PostgreSQL gets a
# copy of it (`getihu copy`) in a private cluster (tests/postgres/with_postgres.sh), stopped on
# exit.
# Usage: bash bench/stats_bench.sh [HOUSEHOLDS]   (default 1,000,000 in stock)
# Env: REGION (440000), REPEATS (3), BENCH_DIR (/tmp/getihu-bench), BUILD_DIR (build: getihu and
# bench/stats_bench), PG (1; 0 skips PostgreSQL), SQLITE (1; 0 times PostgreSQL alone),
# BENCH_PORT (18095). Needs sqlite3, bc, python3,
# curl (and psql).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
region=${REGION:-440000}
pg=${PG:-1}
if ((pg)) && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "(no PostgreSQL binaries: PostgreSQL skipped)"
  pg=0
fi
if ((pg)) && [[ -z "${STATS_BENCH_CLUSTER:-}" ]]; then
  export STATS_BENCH_CLUSTER=1
  export GETIHU_PG_DIR=${BENCH_DIR:-/tmp/getihu-bench}/pg
  mkdir -p "$GETIHU_PG_DIR"
  exec bash tests/postgres/with_postgres.sh bash "$0" "$n"
fi
repeats=${REPEATS:-3}
as_of=2026-07-01
build=${BUILD_DIR:-build}
getihu=$(realpath "$build/getihu")
bench=$(realpath "$build/bench/stats_bench")
for tool in "$getihu" "$bench"; do
  [[ -x $tool ]] || { echo "no $tool: build it first (ninja -C $build getihu stats_bench)" >&2; exit 1; }
done
for tool in sqlite3 bc python3 curl; do
  command -v "$tool" >/dev/null || { echo "needs $tool: bash scripts/install-deps.sh --bench" >&2; exit 1; }
done
data=${BENCH_DIR:-/tmp/getihu-bench}/stats-$n-$region
work=$data/run
pool=$data/pool.db
rm -rf "$work" && mkdir -p "$work"

# timed OUT CMD…: runs CMD (stdout to OUT), sets secs (wall).
timed() {
  local out=$1 t0
  shift
  t0=$(date +%s.%N)
  "$@" >"$out"
  secs=$(echo "$(date +%s.%N) - $t0" | bc -l)
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# ---- the pool ------------------------------------------------------------------------------
params="$n $region $as_of seed=1"
if [[ "$(cat "$data/.params" 2>/dev/null)" != "$params" ]]; then
  echo "== generating and importing $n households in stock, region $region (once)"
  rm -rf "$data/feeds" "$pool" "$pool-wal" "$pool-shm"
  mkdir -p "$data"
  "$getihu" gen --households "$n" --region "$region" --as-of "$as_of" --seed 1 \
    --out "$data/feeds" >/dev/null
  for feed in registration annual_report tax; do
    # Exit status 1: committed, with the rows gen spoils on purpose refused. No images here: the
    # runs below time them into a directory of their own.
    GETIHU_IMAGE_DIR=off "$getihu" --db "$pool" import "$feed" "$data/feeds/$feed.csv" \
      --as-of "$as_of" >/dev/null || [[ $? -eq 1 ]]
  done
  "$getihu" --db "$pool" tier run --as-of "$as_of" >/dev/null
  echo "$params" >"$data/.params"
else
  echo "== reusing the pool $pool ($params)"
fi
dbs=()
((${SQLITE:-1})) && dbs+=(sqlite "$pool")
if ((pg)); then
  export PGOPTIONS="--client-min-messages=warning"
  pgbase=${GETIHU_TEST_PG%/*}
  psql -q "$pgbase/postgres" -c "DROP DATABASE IF EXISTS bench_stats" -c "CREATE DATABASE bench_stats" >/dev/null
  echo "== copying the pool into PostgreSQL"
  "$getihu" copy --from "$pool" --to "$pgbase/bench_stats" --yes >/dev/null
  psql -q "$pgbase/bench_stats" -c "VACUUM ANALYZE" >/dev/null
  dbs+=(pg "$pgbase/bench_stats")
fi

# ---- the peer statement --------------------------------------------------------------------
prefix=${region:0:6}
while ((${#prefix} > 2)) && [[ $prefix == *00 ]]; do prefix=${prefix%00}; done
low=$(printf '%-6s' "$prefix" | tr ' ' 0) high=$(printf '%-6s' "$prefix" | tr ' ' 9)
y=${as_of:0:4}
section_of="CASE WHEN substr(h.industry_code, 1, 1) BETWEEN 'A' AND 'T' THEN substr(h.industry_code, 1, 1) ELSE CASE"
for s in A:5 B:12 C:43 D:46 E:50 F:52 G:60 H:62 I:65 J:69 K:70 L:72 M:75 N:79 O:82 P:83 Q:85 R:90 S:96 T:97; do
  section_of+=" WHEN CAST(substr(h.industry_code, 1, 2) AS INTEGER) <= ${s#*:} THEN '${s%:*}'"
done
section_of+=" END END"
sql=$(<bench/lib/breakdown_peer.sql)
sql=${sql//\{\{D0\}\}/$as_of}
sql=${sql//\{\{D1\}\}/$((y - 1))-12-31}
sql=${sql//\{\{D2\}\}/$((y - 1))${as_of:4}}
sql=${sql//\{\{D3\}\}/$((y - 2))-12-31}
sql=${sql//\{\{Y0\}\}/$y-01-01}
sql=${sql//\{\{Y2\}\}/$((y - 1))-01-01}
sql=${sql//\{\{LOW\}\}/$low}
sql=${sql//\{\{HIGH\}\}/$high}
sql=${sql//\{\{SECTION\}\}/$section_of}
echo "$sql" >"$work/peer.sql"
# The cells with any figure, equal in both (shares to 1e-4 percent).
compare_py='
import sys
def cells(path):
    out = {}
    for line in open(path):
        f = line.rstrip("\n").split("|")
        v = [int(x) for x in f[4:14]]
        if any(v): out[tuple(f[:3] + [str(int(f[3]))])] = (v, [float(x or 0) for x in f[14:16]])
    return out
a, b = cells(sys.argv[1]), cells(sys.argv[2])
same = a.keys() == b.keys() and all(a[k][0] == b[k][0] and
    all(abs(x - y) < 1e-4 for x, y in zip(a[k][1], b[k][1])) for k in a)
print(len(a), "same" if same else "DIFFERENT")
'

# served_report DB: the report through `getihu serve` on DB; sets first (s) and warm (median s).
served_report() {
  local db=$1 port=${BENCH_PORT:-18095} password cookie csrf server w=() r code
  local base="http://127.0.0.1:$port/api/v1"
  # A bench user left by an earlier run (PostgreSQL's copy of the pool brings SQLite's along).
  local forget="DELETE FROM password_history WHERE user_id IN (SELECT id FROM users WHERE username = 'bench');
      DELETE FROM users WHERE username = 'bench';"
  if [[ $db != postgresql://* ]]; then
    sqlite3 "$db" "$forget"
  else
    psql -q "$db" -c "$forget" >/dev/null
  fi
  password=$("$getihu" --db "$db" --json user add bench --role regulator |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["password"])')
  mkdir -p "$work/serve-files"
  "$getihu" --db "$db" serve --listen "127.0.0.1:$port" --work-dir "$work/serve-files" \
    >"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 300); do curl -s "$base/session" >/dev/null && break; sleep 0.1; done
  cookie=$(curl -s -D - -o /dev/null -X POST "$base/session/login" \
    -d "{\"username\":\"bench\",\"password\":\"$password\"}" |
    sed -n 's/^Set-Cookie: getihu_session=\([0-9a-f]*\).*/\1/p')
  csrf=$(curl -s -b "getihu_session=$cookie" "$base/session" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
  curl -s -b "getihu_session=$cookie" -H "X-CSRF-Token: $csrf" -X POST "$base/session/password" \
    -d "{\"old_password\":\"$password\",\"new_password\":\"Bench#Report2026\"}" >/dev/null
  for ((r = 0; r <= repeats; r++)); do
    read -r code secs < <(curl -s -o "$work/served-report.html" -w '%{http_code} %{time_total}\n' \
      -b "getihu_session=$cookie" "$base/reports?region=$region&as_of=$as_of&format=html")
    [[ $code == 200 ]] || { echo "report through the server: HTTP $code" >&2; kill "$server"; exit 1; }
    if ((r == 0)); then first=$secs; else w+=("$secs"); fi
  done
  kill "$server"
  wait "$server" 2>/dev/null || true
  warm=$(median "${w[@]}")
}

# ---- the runs ------------------------------------------------------------------------------
table=()
for ((i = 0; i < ${#dbs[@]}; i += 2)); do
  b=${dbs[i]} db=${dbs[i + 1]}
  echo "== $b"
  # One process: the frame read once (cold), then the breakdown timed warm, median of 9.
  "$bench" "$db" "$region" "$as_of" 9 "$work/cells-$b.txt" >"$work/bench-$b.txt"
  sed '/^breakdown_ms=/d' "$work/bench-$b.txt" | sed 's/^/  /'
  p=()
  for ((r = 1; r <= repeats; r++)); do
    if [[ $b == sqlite ]]; then
      timed "$work/peer-$b.txt" sqlite3 -separator '|' "$db" <"$work/peer.sql"
    else
      timed "$work/peer-$b.txt" psql -At -F '|' -v ON_ERROR_STOP=1 "$db" -f "$work/peer.sql"
    fi
    p+=("$(echo "$secs * 1000" | bc -l)")
  done
  read -r cells same < <(python3 -c "$compare_py" "$work/cells-$b.txt" "$work/peer-$b.txt")
  gm=$(sed -n 's/^breakdown_ms=//p' "$work/bench-$b.txt") pm=$(median "${p[@]}")
  printf '  full breakdown: getihu %.2f ms (warm frame), GROUP BY %.0f ms; ratio %.0fx; %s cells: %s\n' \
    "$gm" "$pm" "$(echo "$pm / $gm" | bc -l)" "$cells" "$same"
  # The images an import leaves at its end (`getihu images` does the same); the reports, and the
  # server's first after a restart, read them.
  export GETIHU_IMAGE_DIR="$work/images-$b"
  rm -rf "$GETIHU_IMAGE_DIR" "$work/report-$b"
  timed "$work/images-$b.txt" "$getihu" --db "$db" images --as-of "$as_of"
  t1=$secs
  s=() t=()
  for ((r = 1; r <= repeats; r++)); do
    timed "$work/stats-$b.txt" "$getihu" --db "$db" stats --region "$region" --as-of "$as_of" --by township
    s+=("$secs")
    rm -rf "$work/report-$b"
    timed "$work/report-$b.txt" "$getihu" --db "$db" report --region "$region" --as-of "$as_of" \
      --out "$work/report-$b"
    t+=("$secs")
  done
  sm=$(median "${s[@]}") tm=$(median "${t[@]}")
  printf '  getihu images %.2f s (what an import now adds at its end: reads the pool, writes the images)\n' "$t1"
  printf '  getihu stats --by township %.2f s, getihu report %.2f s (end to end, from the images)\n' \
    "$sm" "$tm"
  served_report "$db"
  printf '  report through getihu serve: first %.2f s (population from the images), then %.2f s\n' \
    "$first" "$warm"
  unset GETIHU_IMAGE_DIR
  table+=("$(printf '%-7s %12.2f %12.0f %8.0fx %-10s %10.2f %10.2f %10.2f %10.2f %10.2f' "$b" "$gm" \
    "$pm" "$(echo "$pm / $gm" | bc -l)" "$same" "$sm" "$t1" "$tm" "$first" "$warm")")
done
echo
echo "$n households in stock, region $region, as of $as_of; medians of $repeats; $(nproc) cores"
printf '%-7s %12s %12s %9s %-10s %10s %10s %10s %10s %10s\n' backend "breakdown ms" "GROUP BY ms" \
  ratio cells "stats s" "images s" "report s" "served 1st" "served"
printf '%s\n' "${table[@]}"
echo "(breakdown: from the warm frame, target ≤ 20 ms at 10M on 2 cores; report: target ≤ 10 s at 10M;"
echo " images s: getihu images, the step an import now ends with (reads the pool, writes its"
echo " images); report s and stats s: from the images, the first after the import included; served:"
echo " the report through getihu serve after a restart, first request and with the population kept)"
