#!/usr/bin/env bash
# The web console end to end in Debian's headless Chromium (driven by playwright-core): builds a
# small synthetic district with the given getihu binary (and a tiny second one, whose households
# the first district's regulator must not open), serves it with web/dist on a free loopback port
# and runs console_e2e.mjs against it (which reads owners' SMS codes from the server's log). Skips (exit 77) when Chromium, the npm
# packages or the built console are missing.
# Usage: web_e2e_test.sh GETIHU_BINARY SCREENSHOT_DIR
set -euo pipefail
getihu=$(realpath "$1")
shots=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
web=$root/web
chromium=${CHROMIUM:-/usr/bin/chromium}

for need in "$chromium" "$web/node_modules/playwright-core/package.json" "$web/dist/index.html"; do
  if [[ ! -e $need ]]; then
    echo "跳过：缺少 $need（安装 chromium，并在 web/ 中运行 npm ci && npm run build）"
    exit 77
  fi
done
command -v node >/dev/null || { echo "跳过：缺少 node"; exit 77; }

work=$(mktemp -d)
server=
cleanup() {
  [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

export GETIHU_DB=$work/getihu.db
"$getihu" init >/dev/null
"$getihu" gen --region 500113 --households 2000 --seed 7 --out "$work/feeds" >/dev/null
"$getihu" import --dir "$work/feeds" >/dev/null || [[ $? -eq 1 ]]  # 1: some rows refused
# A second district (九龙坡区), 20 households without bad rows: outside the demo regulator's scope.
"$getihu" gen --region 500107 --households 20 --seed 3 --bad-rows 0 --out "$work/feeds-b" >/dev/null
"$getihu" import --dir "$work/feeds-b" >/dev/null
foreign=$(awk -F, 'NR > 1 { print $1; exit }' "$work/feeds-b/registration.csv" | tr -d '\r"')
"$getihu" tier run --as-of 2026-07-01 --region 500113 >/dev/null
"$getihu" user demo --region 500113 --json >"$work/users.json"

# A port nobody listens on: the kernel picks it, then it is released for the server.
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
"$getihu" serve --listen "127.0.0.1:$port" --web "$web/dist" >"$work/serve.log" 2>&1 &
server=$!

mkdir -p "$shots"
status=0
node "$root/tests/web/console_e2e.mjs" --base "http://127.0.0.1:$port" --users "$work/users.json" \
  --web "$web" --chromium "$chromium" --shots "$shots" --serve-log "$work/serve.log" \
  --foreign-uscc "$foreign" || status=$?
if ((status != 0)); then
  echo "== 服务日志"
  cat "$work/serve.log"
fi
exit $status
