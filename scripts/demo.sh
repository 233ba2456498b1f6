#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, creates the embedded
# database, generates a synthetic district (巴南区 500113, about 59,000 households), imports
# it, tiers it as of the latest 1 July and prints the pool, the tiering and the indicators.
# Files go to demo/ (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
GETIHU_BUILD_TESTS=OFF bash scripts/build.sh -DGETIHU_BUILD_TESTS=OFF -DGETIHU_BUILD_BENCH=OFF
mkdir -p demo
getihu=build/getihu
export GETIHU_DB=demo/getihu.db
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
"$getihu" tier run --as-of "$year-07-01" --by 演示
echo
echo "== 统计指标"
"$getihu" stats --region 500113 --as-of "$year-07-01" --by section
echo
echo "演示数据已就绪：数据库 demo/getihu.db，部门数据文件 demo/feeds/。"
echo "试试：build/getihu --db demo/getihu.db tier explain <统一社会信用代码>；tier simulate --against 1 --set growth_revenue_min=¥80000"
echo "Web 控制台完成后将由本命令启动。"
