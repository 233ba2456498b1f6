#!/usr/bin/env bash
# The HTTP API under load (issue #7): `GET /api/v1/households/{uscc}` (the detail view: the
# registered items, every department's records and the tier history, 15 queries) for random
# households of an N-household pool on the embedded store, driven by wrk over keep-alive
# connections on the same machine; then the same while 1,000 other connections sit idle or
# trickle a request one byte at a time. Peer, in the same run: PostgreSQL's own point lookups
# through pgbench (one prepared `SELECT * FROM households WHERE id = ?` per transaction, 64 and 2
# clients, the better counts) on a private cluster holding the same households.
# Target: ≥ 20,000 requests/s with p99 ≤ 10 ms on 2 cores.
# Usage: bash bench/api_bench.sh [HOUSEHOLDS] [SECONDS]  (default 1,000,000 and 15; needs wrk,
# sqlite3 and the PostgreSQL client: bash scripts/install-deps.sh --bench)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
secs=${2:-15}
if [[ -z "${GETIHU_TEST_PG:-}" ]]; then
  export GETIHU_PG_DIR=${BENCH_DIR:-/tmp/getihu-bench}/pg
  mkdir -p "$GETIHU_PG_DIR"
  exec bash tests/postgres/with_postgres.sh bash "$0" "$n" "$secs"
fi
work=${BENCH_DIR:-/tmp/getihu-bench}/api
getihu=$(realpath "${GETIHU:-build/getihu}")
[[ -x $getihu ]] || bash scripts/build.sh >/dev/null
db="$work/pool.db"
port=${BENCH_PORT:-18090}
base="http://127.0.0.1:$port/api/v1"
export PGOPTIONS="--client-min-messages=warning"
mkdir -p "$work"
if [[ ! -f "$work/pool-$n.ready" ]]; then
  rm -rf "$work" && mkdir -p "$work"
  echo "== generating, importing and tiering $n households (region 500100)"
  "$getihu" gen --households "$n" --region 500100 --as-of 2026-11-01 --seed 1 --out "$work/feeds" >/dev/null
  "$getihu" --db "$db" import --dir "$work/feeds" --as-of 2026-11-01 >/dev/null || true
  "$getihu" --db "$db" tier run --as-of 2026-07-01 >/dev/null
  rm -rf "$work/feeds"
  touch "$work/pool-$n.ready"
fi
rm -rf "$db.files"
sqlite3 "$db" "DELETE FROM password_history WHERE user_id IN (SELECT id FROM users WHERE username = 'bench');
  DELETE FROM users WHERE username = 'bench';" 2>/dev/null || true
password=$("$getihu" --db "$db" --json user add bench --role regulator --can-unmask |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["password"])')

"$getihu" --db "$db" serve --listen "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -s "$base/session" >/dev/null && break; sleep 0.1; done
login() {  # prints the session cookie
  curl -s -D - -o /dev/null -X POST "$base/session/login" -d "{\"username\":\"bench\",\"password\":\"$1\"}" |
    sed -n 's/^Set-Cookie: getihu_session=\([0-9a-f]*\).*/\1/p'
}
cookie=$(login "$password")
csrf=$(curl -s -b "getihu_session=$cookie" "$base/session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
curl -s -b "getihu_session=$cookie" -H "X-CSRF-Token: $csrf" -X POST "$base/session/password" \
  -d "{\"old_password\":\"$password\",\"new_password\":\"Bench#Load2026\"}" >/dev/null
# Memory as the kernel accounts it to the process alone: anonymous (heap, stacks) and file
# pages in proportion (the database file is mapped by every connection; RSS counts it once per
# mapping, PSS once).
mem() { awk '/^Pss_Anon|^Pss_File/ {printf "%s %d MiB  ", $1, $2 / 1024}' "/proc/$server/smaps_rollup"; }
mem_before=$(mem)

sqlite3 "$db" "SELECT uscc FROM households WHERE status = 'active' ORDER BY random() LIMIT 20000" >"$work/usccs.txt"
cat >"$work/detail.lua" <<LUA
local usccs = {}
for line in io.lines("$work/usccs.txt") do usccs[#usccs + 1] = line end
local i = 0
wrk.headers["Cookie"] = "getihu_session=$cookie"
request = function()
  i = i + 1
  return wrk.format("GET", "/api/v1/households/" .. usccs[(i % #usccs) + 1])
end
response = function(status, headers, body)
  if status ~= 200 then io.stderr:write("status " .. status .. "\n") end
end
LUA
run_wrk() {  # VARIABLE LABEL: prints requests/s and p99, sets VARIABLE to requests/s
  wrk -t2 -c64 -d"${secs}s" --latency -s "$work/detail.lua" "http://127.0.0.1:$port" >"$work/$1.txt" 2>"$work/$1.err"
  local rps p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$1.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$work/$1.txt")
  errors=$(grep -c '^status' "$work/$1.err" || true)
  printf '%-44s %10s req/s   p99 %8s   non-200: %s\n' "$2" "$rps" "$p99" "$errors"
  eval "$1=$rps"
}
echo "== getihu serve, household detail by USCC, $n households, wrk 2 threads × 64 connections, ${secs} s"
run_wrk detail_rps "detail"

echo "== the same while 1,000 idle and slow connections are open"
python3 - "$port" >"$work/idle.log" 2>&1 <<'PY' &
import socket, sys, time
port = int(sys.argv[1])
idle, slow = [], []
for i in range(1000):
    s = socket.create_connection(("127.0.0.1", port))
    (slow if i % 2 else idle).append(s)
print("open", len(idle) + len(slow), flush=True)
t0 = time.time()
while time.time() - t0 < 60:
    for s in slow:  # a request that never ends: one header byte at a time
        try:
            s.send(b"G" if time.time() - t0 < 1 else b"x")
        except OSError:
            pass
    time.sleep(1)
PY
idle_pid=$!
sleep 3
run_wrk idle_rps "detail (1,000 idle/slow connections open)"
kill $idle_pid 2>/dev/null || true
mem_after=$(mem)

echo "== the dashboard: /stats by township (with the monthly series), by section and by tier at once"
board() {  # LABEL: the three requests in parallel, as the console sends them
  local q="as_of=2026-07-01" t0 t1 pids=()
  t0=$(date +%s.%N)
  for by in "township&series=monthly" section tier; do
    curl -s -o /dev/null -w "%{http_code} " -b "getihu_session=$cookie" "$base/stats?$q&by=$by" &
    pids+=($!)
  done
  wait "${pids[@]}"
  t1=$(date +%s.%N)
  printf '%-44s %10.3f s\n' "dashboard, $1" "$(echo "$t1 - $t0" | bc -l)"
}
board "first look (reads the pool)"
board "second look (kept by the server)"

echo "== peer: PostgreSQL point lookups by primary key through pgbench (same households)"
pg=$GETIHU_TEST_PG
psql -q "$pg" -c "DROP TABLE IF EXISTS households_peer" -c "CREATE TABLE households_peer (id BIGINT PRIMARY KEY, uscc TEXT, name TEXT, operator_name TEXT, operator_id_number TEXT, phone TEXT, region_code TEXT, township_code TEXT, industry_code TEXT, registered_on TEXT, status TEXT)"
sqlite3 -csv "$db" "SELECT id, uscc, name, operator_name, operator_id_number, phone, region_code, township_code, industry_code, registered_on, status FROM households" |
  psql -q "$pg" -c "\\copy households_peer FROM STDIN CSV"
psql -q "$pg" -c "VACUUM ANALYZE households_peer" >/dev/null
max_id=$(sqlite3 "$db" "SELECT max(id) FROM households")
printf '\\set id random(1, %s)\nSELECT * FROM households_peer WHERE id = :id;\n' "$max_id" >"$work/point.sql"
# The peer at its best (prepared statements, 2 clients as in ../shared/baselines.md) and at wrk's
# concurrency (64 clients); the ratio is taken against the better of the two.
pgbench_run() {  # CLIENTS: prints tps
  pgbench -n -M prepared -c"$1" -j2 -T"$secs" -f "$work/point.sql" "$pg" >"$work/pgbench_$1.txt" 2>&1
  awk -F'= ' '/^tps/ {print $2}' "$work/pgbench_$1.txt" | awk '{print $1}' | head -n1
}
peer64_tps=$(pgbench_run 64)
peer2_tps=$(pgbench_run 2)
printf '%-44s %10s tps\n' "pgbench point lookup, prepared, 64 clients" "$peer64_tps"
printf '%-44s %10s tps\n' "pgbench point lookup, prepared, 2 clients" "$peer2_tps"
peer_tps=$(echo "if ($peer64_tps > $peer2_tps) $peer64_tps else $peer2_tps" | bc -l)

echo
printf 'ratio getihu detail / pgbench point lookup (the better of the two): %.2f× (idle connections open: %.2f×)\n' \
  "$(echo "$detail_rps / $peer_tps" | bc -l)" "$(echo "$idle_rps / $peer_tps" | bc -l)"
echo "server memory before load: $mem_before"
echo "server memory after load:  $mem_after"
