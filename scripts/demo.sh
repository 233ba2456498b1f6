#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, creates the embedded
# database, generates a synthetic district (巴南区 500113, about 59,000 households), imports
# it, tiers it as of the latest 1 July, prints the pool, the tiering and the indicators, creates
# the demo accounts (random passwords, printed) and serves the API and the web console on
# http://127.0.0.1:8080 until Ctrl+C (GETIHU_LISTEN=host:port to change it). Files go to demo/
# (ignored by git); each run starts from a fresh database.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
GETIHU_BUILD_TESTS=OFF bash scripts/build.sh -DGETIHU_BUILD_TESTS=OFF -DGETIHU_BUILD_BENCH=OFF
bash web/build.sh  # the web console (npm ci + Vite) when web/dist is missing or out of date
mkdir -p demo
rm -rf demo/getihu.db demo/getihu.db-wal demo/getihu.db-shm demo/getihu.db.files
getihu=build/getihu
export GETIHU_DB=demo/getihu.db
# The data key sealing operators' ID numbers and phones (docs/operations.md), kept across runs.
[[ -f demo/getihu.key ]] || "$getihu" key generate --out demo/getihu.key >/dev/null
export GETIHU_DATA_KEY=demo/getihu.key
"$getihu" init
"$getihu" gen --region 500113 --households 59000 --seed 1 --out demo/feeds
echo
echo "== 导入各部门数据（故意构造的错误行会被拒绝，并写入 *.rejects.csv）"
"$getihu" import --dir demo/feeds || [[ $? -eq 1 ]]  # 1: some rows were refused, as intended
echo
"$getihu" status
# The reference date of the yearly tiering: 1 July of this year once it has passed.
year=$(date +%Y)
[[ $(date +%m%d) < 0701 ]] && year=$((year - 1))
echo
echo "== 分型判定（基准日 $year-07-01，默认规则集）"
"$getihu" tier run --as-of "$year-07-01" --region 500113 --by 演示
echo
echo "== 统计指标"
"$getihu" stats --region 500113 --as-of "$year-07-01" --by section
echo
echo "演示数据已就绪：数据库 demo/getihu.db，部门数据文件 demo/feeds/。"
echo "命令行也可以用：build/getihu --db demo/getihu.db tier explain <统一社会信用代码>"
echo
"$getihu" user demo --region 500113
web=()
[[ -f web/dist/index.html ]] && web=(--web web/dist)
echo
echo "== 接口服务：http://${GETIHU_LISTEN:-127.0.0.1:8080}/（接口说明 docs/api.md；按 Ctrl+C 停止）"
exec "$getihu" serve --listen "${GETIHU_LISTEN:-127.0.0.1:8080}" "${web[@]}"
