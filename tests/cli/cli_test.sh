#!/usr/bin/env bash
# End-to-end checks of the getihu command: what a user types and what they get back.
# Usage: cli_test.sh PATH_TO_GETIHU
set -u
getihu=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

# expect NAME EXIT_CODE PATTERN -- COMMAND...: runs COMMAND, checks its exit code and that
# its combined output matches the extended regex PATTERN.
expect() {
  local name=$1 code=$2 pattern=$3
  shift 4
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [[ $rc -eq $code ]] && grep -Eq -- "$pattern" <<<"$out"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    printf 'FAIL %s: exit %s (want %s), output:\n%s\n' "$name" "$rc" "$code" "$out"
  fi
}

expect version 0 '^getihu [0-9]' -- "$getihu" version
expect usage_unknown_command 2 '用法错误' -- "$getihu" frobnicate
expect usage_no_command 2 '用法错误' -- "$getihu"

expect uscc_valid 0 '914403001922038216  有效' -- "$getihu" check uscc 914403001922038216 92340602MA2PBMEM24
expect uscc_household 0 '个体工商户' -- "$getihu" check uscc 92340602MA2PBMEM24
expect uscc_wrong_check 1 '校验位应为“4”' -- "$getihu" check uscc 92340602MA2PBMEM25
expect uscc_bad_char 1 '无效' -- "$getihu" check uscc 92340602MA2PBMEMI4
expect uscc_mixed 1 '有效' -- "$getihu" check uscc 914403001922038216 914403001922038217
expect uscc_json 1 '"expected_check_char": "4"' -- "$getihu" --json check uscc 92340602MA2PBMEM25
expect json_after_command 0 '"valid": true' -- "$getihu" check uscc 92340602MA2PBMEM24 --json
expect uscc_fullwidth 0 '有效' -- "$getihu" check uscc '９２３４０６０２ＭＡ２ＰＢＭＥＭ２４'

expect region_township 0 '花溪街道' -- "$getihu" check region 500113005
expect region_county 0 '巴南区' -- "$getihu" check region 500113
expect region_unknown 1 '无效' -- "$getihu" check region 500199
expect region_json 0 '"name": "巴南区"' -- "$getihu" --json check region 500113

expect industry_class 0 '零售业' -- "$getihu" check industry 5212
expect industry_sector 0 '第三产业' -- "$getihu" check industry 43
expect industry_unknown 1 '无效' -- "$getihu" check industry 98

db="$work/pool.db"
expect init_creates 0 '已创建数据库' -- "$getihu" --db "$db" init
expect init_idempotent 0 '结构版本' -- "$getihu" --db "$db" init
expect status_env 0 '个体工商户：登记在册 0 户' -- env GETIHU_DB="$db" "$getihu" status
expect status_missing 1 '不存在' -- "$getihu" --db "$work/none.db" status
expect init_unwritable 4 '无法打开数据库文件' -- "$getihu" --db "$work/no/such/dir/x.db" init

gen=("$getihu" gen --households 2000 --region 500113 --as-of 2026-07-01 --seed 5)
expect gen_district 0 '登记在册（存续，含歇业）：2000 户' -- "${gen[@]}" --out "$work/g1"
expect gen_again 0 '2000 户' -- "${gen[@]}" --out "$work/g2" --threads 1
if diff -r "$work/g1" "$work/g2" >/dev/null; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
  echo "FAIL gen_byte_identical: same seed gave different files"
fi
expect gen_bad_region 1 '区划' -- "$getihu" gen --region 509999 --out "$work/g3"
expect gen_bad_date 1 'as-of' -- "$getihu" gen --as-of 2026-02-30 --out "$work/g4"
expect gen_json 0 '"households_in_stock": 10' -- "$getihu" --json gen --households 10 --out "$work/g5"

# Import a generated district: every good row loads, every deliberately bad row is refused.
idb="$work/import.db"
"$getihu" gen --households 1500 --as-of 2026-07-01 --seed 3 --out "$work/feeds" >/dev/null
expect import_dir 1 '拒绝原因' -- "$getihu" --db "$idb" import --dir "$work/feeds" --as-of 2026-07-01
expected=$(grep -o '"rows": [0-9]*\|"bad_rows": [0-9]*' "$work/feeds/manifest.json" |
  awk '/"rows"/ {r += $2} /"bad_rows"/ {b += $2} END {print r - b}')
loaded=$("$getihu" --db "$idb" --json batches | grep -o '"rows_loaded": [0-9]*' | awk '{s += $2} END {print s}')
if [[ "$expected" == "$loaded" ]]; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
  echo "FAIL import_counts: loaded $loaded rows, manifest says $expected good rows"
fi
expect import_again 0 '已于批次' -- "$getihu" --db "$idb" import registration "$work/feeds/registration.csv" --as-of 2026-07-01
expect import_status 0 '登记在册 1500 户' -- "$getihu" --db "$idb" status
expect import_batches 0 '批次 1 +registration' -- "$getihu" --db "$idb" batches
expect import_unknown_feed 1 '没有名为' -- "$getihu" --db "$idb" import nosuch "$work/feeds/tax.csv"
expect import_wrong_feed 1 '缺少必填列' -- "$getihu" --db "$idb" import tax "$work/feeds/loan.csv"
expect import_usage 1 '用法' -- "$getihu" --db "$idb" import tax
expect quality_region 0 '年度报告 +[0-9]{4} +[0-9]+ +[0-9]+ +[0-9]+ +[0-9.]+%' -- "$getihu" --db "$idb" quality --region 500113
expect quality_reasons 0 '纳税信息：1 个批次.*统一社会信用代码无效' -- "$getihu" --db "$idb" quality
expect quality_bad_region 1 '不存在' -- "$getihu" --db "$idb" quality --region 509999

# Operators' ID numbers and phones sealed at rest with a data key. The check reads the database
# files themselves: no ID number or phone of the registration file may appear in them.
key="$work/pool.key"
expect key_generate 0 '已生成数据密钥' -- "$getihu" key generate --out "$key"
expect key_mode 0 '^600$' -- stat -c %a "$key"
expect key_no_overwrite 1 '已存在' -- "$getihu" key generate --out "$key"
cp "$key" "$work/open.key" && chmod 644 "$work/open.key"
expect key_too_open 1 '权限 0644 过宽.*chmod 600' -- "$getihu" --db "$work/x.db" --data-key "$work/open.key" init
expect key_missing 1 '不存在' -- env GETIHU_DATA_KEY="$work/none.key" "$getihu" --db "$work/x.db" init
awk -F, '$2 == "设立" { print $7; print $8 }' "$work/feeds/registration.csv" |
  grep -E '^([0-9]{17}[0-9X]|1[0-9]{10})$' >"$work/pii.txt"
# leaks FILE: prints how many lines of FILE and its WAL hold an ID number or phone in clear.
leaks() { cat "$1" "$1-wal" 2>/dev/null | grep -a -c -F -f "$work/pii.txt"; }
expect pii_plain_without_key 0 '^[1-9][0-9]*$' -- leaks "$idb"
sdb="$work/sealed.db"
expect pii_import_with_key 1 '拒绝原因' -- env GETIHU_DATA_KEY="$key" "$getihu" --db "$sdb" import registration "$work/feeds/registration.csv" --as-of 2026-07-01
expect pii_sealed_on_import 1 '^0$' -- leaks "$sdb"
expect pii_status_without_key 0 '登记在册 1500 户' -- "$getihu" --db "$sdb" status
# Without the key nothing sensitive is written into the sealed pool (it would be plaintext).
"$getihu" gen --region 500113 --households 20 --seed 99 --out "$work/feeds_more" >/dev/null
expect pii_import_without_key_refused 1 '已加密保存.*GETIHU_DATA_KEY' -- "$getihu" --db "$sdb" import registration "$work/feeds_more/registration.csv" --as-of 2026-07-01
expect pii_nothing_leaked_without_key 1 '^0$' -- leaks "$sdb"
# A pool filled before the key existed is sealed in place, once.
"$getihu" --db "$idb" backup --out "$work/legacy.db" >/dev/null
expect encrypt_pii_needs_key 1 '未配置数据密钥' -- "$getihu" --db "$work/legacy.db" encrypt-pii
expect encrypt_pii 0 '已加密 [0-9]+ 户' -- "$getihu" --db "$work/legacy.db" --data-key "$key" encrypt-pii
expect encrypt_pii_no_plaintext_left 1 '^0$' -- leaks "$work/legacy.db"
expect encrypt_pii_again 0 '"households_sealed": 0' -- "$getihu" --db "$work/legacy.db" --data-key "$key" --json encrypt-pii
expect encrypt_pii_audited 0 'pii\.encrypt +households' -- "$getihu" --db "$work/legacy.db" audit list --action pii

# Back up the imported pool, lose it, restore it: the same data comes back.
before_backup=$("$getihu" --db "$idb" --json status)
expect backup_sqlite 0 '已备份到' -- "$getihu" --db "$idb" backup --out "$work/pool.backup"
expect restore_needs_yes 1 '--yes' -- "$getihu" --db "$idb" restore --from "$work/pool.backup"
rm -f "$idb" "$idb-wal" "$idb-shm"
expect restore_sqlite 0 '已从' -- "$getihu" --db "$idb" restore --from "$work/pool.backup" --yes
if [[ "$("$getihu" --db "$idb" --json status)" == "$before_backup" ]]; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
  echo "FAIL restore_sqlite_same: the restored pool differs"
fi
printf 'not a database at all' >"$work/garbage.backup"
expect restore_garbage 5 '完整性检查' -- "$getihu" --db "$idb" restore --from "$work/garbage.backup" --yes
expect restore_missing 1 '不存在' -- "$getihu" --db "$idb" restore --from "$work/none.backup" --yes

# The yearly tiering on the imported district: run, explain, simulate, review, re-run, diff.
expect tier_run 0 '分型批次 1：基准日 2026-07-01.*default-tiering' -- "$getihu" --db "$idb" tier run --as-of 2026-07-01 --by 测试员
expect tier_run_counts 0 '发展型 [0-9]+（[0-9.]+%），成长型 [0-9]+' -- "$getihu" --db "$idb" tier runs
expect tier_run_bad_date 1 '日期无效' -- "$getihu" --db "$idb" tier run --as-of 2026-13-01
expect tier_run_bad_rules 1 '找不到规则集' -- "$getihu" --db "$idb" tier run --as-of 2026-07-01 --rules nosuch
printf '[rule_set]\nname = "x"\nversion = "1"\ntitle = "坏规则"\neffective_on = 2026-01-01\n[[rows]]\noutcome = "growth"\nwhen = "revenu >= ¥1"\n' >"$work/bad.toml"
expect tier_run_bad_rule_text 1 '第 8 行.*未知字段“revenu”' -- "$getihu" --db "$idb" tier run --as-of 2026-07-01 --rules "$work/bad.toml"
expect tier_rules 0 '判定表' -- "$getihu" tier rules
tier_json=$("$getihu" --db "$idb" --json tier runs)
# A survival household that a lower growth threshold would move up (simulate --list).
survivor=$("$getihu" --db "$idb" --json tier simulate --against 1 --set growth_revenue_min=¥50000 --list |
  grep -o '"uscc": "[0-9A-Z]*"' | head -n 1 | cut -d'"' -f4)
if [[ ${#survivor} -eq 18 ]]; then
  expect tier_explain 0 '判定为生存型.*未达到成长型' -- "$getihu" --db "$idb" tier explain "$survivor" --run 1
  expect tier_explain_json 0 '"stored_tier": "survival"' -- "$getihu" --db "$idb" --json tier explain "$survivor"
  expect tier_object 0 '已登记异议 1' -- "$getihu" --db "$idb" tier object "$survivor" --run 1 --claim 营业额漏报 --want growth --by 经营者
  expect tier_decide_needs_reason 2 'reason' -- "$getihu" --db "$idb" tier decide 1 --override growth --reviewer 李
  expect tier_decide 0 '已采纳' -- "$getihu" --db "$idb" tier decide 1 --override growth --reason 核实属实 --reviewer 李
  expect tier_decide_twice 1 '已处理' -- "$getihu" --db "$idb" tier decide 1 --reject --reason 重复 --reviewer 李
  expect tier_rerun 0 '应用了批次 1 的 1 项改判' -- "$getihu" --db "$idb" tier run --as-of 2026-07-01 --review-of 1
  expect tier_history 0 '成长型（复核改判）' -- "$getihu" --db "$idb" tier history "$survivor"
  expect tier_diff 0 '生存型 +0 +1 +[0-9]+ +0' -- "$getihu" --db "$idb" tier diff 1 2
else
  failed=$((failed + 1))
  echo "FAIL tier_find_household: no survival household found ($survivor)"
fi
expect tier_explain_unknown 1 '没有统一社会信用代码' -- "$getihu" --db "$idb" tier explain 91350100M000100Y43
expect tier_simulate 0 '共 [0-9]+ 户类型发生变化' -- "$getihu" --db "$idb" tier simulate --against 1 --set growth_revenue_min=¥50000
expect tier_simulate_bad_param 1 '没有参数' -- "$getihu" --db "$idb" tier simulate --against 1 --set growth_revenu_min=1
expect tier_simulate_bad_value 1 'growth_revenue_min' -- "$getihu" --db "$idb" tier simulate --against 1 --set growth_revenue_min=abc
# Export: the national directory (CSV with a BOM, masked operators, bands) and the staff workbook.
expect tier_export 0 '已导出分型批次 2：[0-9]+ 户 → ' -- "$getihu" --db "$idb" tier export --run 2 --out "$work/directory.csv"
expect tier_export_bom 0 'ef bb bf' -- od -An -tx1 -N3 "$work/directory.csv"
expect tier_export_override 0 ',成长型,REVIEW_OVERRIDE,default-tiering [0-9.]+,(10万元以下|10万–50万元|50万–100万元|100万–500万元|500万元以上),' -- grep -F "${survivor:-none}" "$work/directory.csv"
# Every operator name is masked (张＊＊): no data row without ＊ in its fourth column.
expect tier_export_masked 1 '^0$' -- bash -c "tail -n +2 '$work/directory.csv' | cut -d, -f4 | grep -vc '＊'"
expect tier_export_xlsx 0 '"households":[0-9]+' -- "$getihu" --db "$idb" --json tier export --run 2 --format xlsx --out "$work/staff.xlsx"
expect tier_export_bad_format 1 '--format 只能是 national 或 xlsx' -- "$getihu" --db "$idb" tier export --run 2 --format pdf --out "$work/x.pdf"
expect tier_export_unknown_run 1 '没有编号为 99 的分型批次' -- "$getihu" --db "$idb" tier export --run 99 --out "$work/x.csv"

# The audit log of the tier commands above: listed and filtered, its SM3 chain intact; the
# database refuses to change it, and an edit made behind Getihu's back (on a copy, with the
# append-only trigger dropped) is found.
expect audit_verify 0 '已检查 [0-9]+ 条审计记录，哈希链完整。' -- "$getihu" --db "$idb" audit verify
expect audit_verify_json 0 '"intact": true' -- "$getihu" --db "$idb" --json audit verify
expect audit_list 0 'tier\.run +run:1' -- "$getihu" --db "$idb" audit list
expect audit_list_action 0 'tier\.objection\.decide +objection:1' -- "$getihu" --db "$idb" audit list --action tier.objection
expect audit_list_actor 0 '没有符合条件的审计记录' -- "$getihu" --db "$idb" audit list --actor 无此人
expect audit_list_page 0 '加 --before [0-9]+ 查看下一页' -- "$getihu" --db "$idb" audit list --limit 1
expect audit_list_json 0 '"next_before": null' -- "$getihu" --db "$idb" --json audit list --target run: --from 2000-01-01
expect audit_list_bad_limit 1 '1 至 1000' -- "$getihu" --db "$idb" audit list --limit 1001
expect audit_list_bad_date 1 '--to 日期无效' -- "$getihu" --db "$idb" audit list --to 2026-02-30
expect audit_list_bad_result 1 '--result 只能是' -- "$getihu" --db "$idb" audit list --result maybe
# (sqlite3's exit code on an error differs between versions: only that it failed counts.)
expect audit_refuses_update 0 '审计日志只能追加' -- bash -c '! sqlite3 "$1" "UPDATE audit_log SET actor = 1"' _ "$idb"
expect audit_refuses_delete 0 '审计日志只能追加' -- bash -c '! sqlite3 "$1" "DELETE FROM audit_log"' _ "$idb"
"$getihu" --db "$idb" backup --out "$work/tampered.db" >/dev/null
sqlite3 "$work/tampered.db" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail = '{}' WHERE id = 1"
expect audit_verify_tampered 5 '在编号为 1 的记录处断开：该记录的内容与它的哈希值不符' -- "$getihu" --db "$work/tampered.db" audit verify

# Population indicators with their base, by township and by tier.
expect stats_total 0 '比上年末(增长|下降) [0-9.]+%' -- "$getihu" --db "$idb" stats --region 500113 --as-of 2026-07-01
expect stats_township 0 '按乡镇（街道）' -- "$getihu" --db "$idb" stats --region 500113 --as-of 2026-07-01 --by township
expect stats_tier 0 '生存型' -- "$getihu" --db "$idb" stats --as-of 2026-07-01 --by tier
expect stats_employment 0 '吸纳就业 [0-9,]+ 人：登记在册户的经营者 [0-9,]+ 人，雇员 [0-9,]+ 人' -- "$getihu" --db "$idb" stats --region 500113 --as-of 2026-07-01
expect stats_json 0 '"stock_growth_yoy_pct"' -- "$getihu" --db "$idb" --json stats --as-of 2026-07-01
expect stats_bad_by 1 '--by 只能是' -- "$getihu" --db "$idb" stats --as-of 2026-07-01 --by colour
expect stats_division 0 '按行业大类.*零售业' -- bash -c '"$1" --db "$2" stats --region 500113 --as-of 2026-07-01 --by division | tr -d "\n"' _ "$getihu" "$idb"
# The images of the pool the reports read: a district's pool reads faster without them.
expect images_small_pool 0 '数据池不足 200000 户' -- "$getihu" --db "$idb" images --as-of 2026-07-01
expect images_off 1 '统计镜像已关闭' -- env GETIHU_IMAGE_DIR=off "$getihu" --db "$idb" images
expect stats_monthly 0 '近 12 个月（末月截至基准日）：.*2025-08 .*2026-07 ' -- bash -c '"$1" --db "$2" stats --region 500113 --as-of 2026-07-01 --series monthly | tr -d "\n"' _ "$getihu" "$idb"
expect stats_monthly_json 0 '"month": "2026-07"' -- "$getihu" --db "$idb" --json stats --as-of 2026-07-01 --by township --series monthly
expect stats_yearly 0 '近 10 个完整年度.*2016 .*2025 ' -- bash -c '"$1" --db "$2" stats --region 500113 --as-of 2026-07-01 --series yearly | tr -d "\n"' _ "$getihu" "$idb"
expect stats_bad_series 1 '--series 只能是 monthly 或 yearly' -- "$getihu" --db "$idb" stats --as-of 2026-07-01 --series weekly
# The full breakdown county × township × section × tier: CSV for Excel, or JSON; its cells add
# up to the stock of the plain figures.
expect stats_breakdown_csv 0 '区县代码,区县,乡镇（街道）代码.*500113,巴南区,5001130[0-9]{2},[^,]+,[A-T],[^,]+,(未分型|生存型|成长型|发展型),[0-9]+,' -- bash -c '"$1" --db "$2" stats --region 500113 --as-of 2026-07-01 --breakdown | tr -d "\n"' _ "$getihu" "$idb"
breakdown_sum=$("$getihu" --db "$idb" stats --region 500113 --as-of 2026-07-01 --breakdown | awk -F, 'NR > 1 {n += $8} END {print n}')
stock_json=$("$getihu" --db "$idb" --json stats --region 500113 --as-of 2026-07-01 | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"]["stock"])')
expect stats_breakdown_adds_up 0 "^$stock_json\$" -- echo "$breakdown_sum"
expect stats_breakdown_json 0 '"share_of_township_pct"' -- "$getihu" --db "$idb" --json stats --region 500113 --as-of 2026-07-01 --breakdown
expect stats_breakdown_with_by 1 '--breakdown 不能与 --by' -- "$getihu" --db "$idb" stats --as-of 2026-07-01 --breakdown --by tier

# Targets per region and year, and their progress in stats, the JSON and the report.
expect targets_none 0 '尚未设定目标' -- "$getihu" --db "$idb" targets list
expect targets_set 0 '已设定 巴南区 2026 年活跃度目标：70.0%' -- "$getihu" --db "$idb" targets set --region 500113 --year 2026 --indicator activity --value 70% --by 张科长
expect targets_set_name 0 '在册个体工商户目标：1,000户' -- "$getihu" --db "$idb" targets set --region 500113 --year 2026 --indicator 在册个体工商户 --value 1000
expect targets_bad_rate 1 '0 至 100' -- "$getihu" --db "$idb" targets set --region 500113 --year 2026 --indicator activity --value 170
expect targets_bad_indicator 1 '指标“happiness”不存在' -- "$getihu" --db "$idb" targets set --region 500113 --year 2026 --indicator happiness --value 1
expect targets_township 1 '不是省、市、区县' -- "$getihu" --db "$idb" targets set --region 500113005 --year 2026 --indicator activity --value 1
printf 'region,year,indicator,value\n500113,2026,first_loans,50\n500113,2026,survival_3y,60\n500113,2026,conversions,5\n' >"$work/targets.csv"
expect targets_import 0 '已导入 3 个目标' -- "$getihu" --db "$idb" targets import "$work/targets.csv"
printf 'region,year,indicator,value\n500113,2026,activity,50\n500113,2026,activity,abc\n' >"$work/targets_bad.csv"
expect targets_import_bad 1 '第 3 行：目标值无效' -- "$getihu" --db "$idb" targets import "$work/targets_bad.csv"
expect targets_import_atomic 0 '活跃度 +70\.0%' -- "$getihu" --db "$idb" targets list --region 500113 --year 2026
expect targets_list_json 0 '"indicator": "survival_3y"' -- "$getihu" --db "$idb" --json targets list
expect targets_audited 0 'stats\.target\.set +target:500113/2026/activity' -- "$getihu" --db "$idb" audit list --action stats.target
expect stats_targets 0 '2026 年目标进展：.*\[达标\] 在册个体工商户目标1,000户，实际' -- bash -c '"$1" --db "$2" stats --region 500113 --as-of 2026-07-01 | tr -d "\n"' _ "$getihu" "$idb"
expect stats_targets_json 0 '"status": "未达标"' -- "$getihu" --db "$idb" --json stats --region 500113 --as-of 2026-07-01
# An empty pool has no loan feed: first loans are 暂无数据, not 0.
"$getihu" --db "$db" targets set --region 500113 --year 2026 --indicator first_loans --value 50 >/dev/null
expect stats_targets_no_loans 0 '\[暂无数据\] 新增首贷户目标50户，暂无数据（尚未导入贷款数据）' -- "$getihu" --db "$db" stats --region 500113 --as-of 2026-07-01
expect stats_targets_json_null 0 '"actual": null' -- "$getihu" --db "$db" --json stats --region 500113 --as-of 2026-07-01
expect targets_delete 0 '已删除目标 target:500113/2026/conversions' -- "$getihu" --db "$idb" targets delete --region 500113 --year 2026 --indicator conversions
expect targets_delete_again 1 '没有该目标' -- "$getihu" --db "$idb" targets delete --region 500113 --year 2026 --indicator conversions

# Township groups (城区, 城乡结合部): stored per township, used by --by township_group and the report.
expect groups_none 0 '尚未设定乡镇分组' -- "$getihu" --db "$idb" township-groups list --region 500113
expect groups_set 0 '已将 500113005 花溪街道 归入“城区”' -- "$getihu" --db "$idb" township-groups set --township 500113005 --group 城区
expect groups_bad_township 1 '乡镇（街道）代码“500113999”不存在' -- "$getihu" --db "$idb" township-groups set --township 500113999 --group 城区
printf 'township,group\n500113006,城区\n500113103,城乡结合部\n' >"$work/groups.csv"
expect groups_import 0 '已导入 2 个乡镇（街道）的分组' -- "$getihu" --db "$idb" township-groups import "$work/groups.csv"
expect groups_list 0 '城区 +500113006 李家沱街道' -- "$getihu" --db "$idb" township-groups list --region 500113
expect groups_unset 0 '已取消 500113103 的分组' -- "$getihu" --db "$idb" township-groups unset --township 500113103
expect groups_json 0 '"group": "城区"' -- "$getihu" --db "$idb" --json township-groups list
expect stats_township_group 0 '按乡镇分组：.*城区 +城区 +[0-9,]+ +[0-9.]+%' -- bash -c '"$1" --db "$2" stats --region 500113 --as-of 2026-07-01 --by township_group | tr -d "\n"' _ "$getihu" "$idb"

# The analysis report: one self-contained HTML file with SVG charts, an Excel workbook and a
# Word document.
expect report_files 0 '已生成报告：.*report\.html、.*report\.xlsx、.*report\.docx' -- "$getihu" --db "$idb" report --region 500113 --as-of 2026-07-01 --out "$work/report"
expect report_sections 0 '<h2>四、分型分类情况</h2>.*<svg' -- tr -d '\n' <"$work/report/report.html"
expect report_xlsx 0 'xl/workbook\.xml' -- grep -aom1 'xl/workbook.xml' "$work/report/report.xlsx"
expect report_docx 0 'word/document\.xml' -- grep -aom1 'word/document.xml' "$work/report/report.docx"
expect report_targets 0 '<h2>五、目标完成情况</h2><p>2026年巴南区设定的4项发展目标中' -- tr -d '\n' <"$work/report/report.html"
expect report_vitality 0 '活跃度为[0-9.]+%.*三年存活率为[0-9.]+%' -- tr -d '\n' <"$work/report/report.html"
expect report_township_groups 0 '<p>按乡镇分组看，城区登记在册[0-9,]+户，占[0-9.]+%，其中' -- tr -d '\n' <"$work/report/report.html"
expect report_thousands 0 '<td class="num">[0-9]{1,3},[0-9]{3}</td>' -- cat "$work/report/report.html"
expect report_no_partial_files 0 '^report\.docx report\.html report\.xlsx $' -- bash -c "cd '$work/report' && ls | tr '\n' ' '"
expect report_township 1 '不是省、市、区县' -- "$getihu" --db "$idb" report --region 500113005 --as-of 2026-07-01 --out "$work/report2"

# The same import on PostgreSQL, when the test command runs a cluster (GETIHU_TEST_PG).
if [[ -n "${GETIHU_TEST_PG:-}" ]] && command -v psql >/dev/null; then
  pg="${GETIHU_TEST_PG%/*}/getihu_cli"
  PGOPTIONS="--client-min-messages=warning" psql -q "$GETIHU_TEST_PG" -c "DROP DATABASE IF EXISTS getihu_cli" -c "CREATE DATABASE getihu_cli" >/dev/null
  expect pg_init 0 '结构版本' -- "$getihu" --db "$pg" init
  expect pg_import_dir 1 '拒绝原因' -- "$getihu" --db "$pg" import --dir "$work/feeds" --as-of 2026-07-01
  expect pg_status 0 '登记在册 1500 户' -- "$getihu" --db "$pg" status
  pg_loaded=$("$getihu" --db "$pg" --json batches | grep -o '"rows_loaded": [0-9]*' | awk '{s += $2} END {print s}')
  if [[ "$pg_loaded" == "$loaded" ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL pg_import_counts: PostgreSQL loaded $pg_loaded rows, SQLite $loaded"
  fi
  expect pg_quality 0 '年度报告' -- "$getihu" --db "$pg" quality --region 500113
  # The same tiering on PostgreSQL gives the same counts as on SQLite.
  "$getihu" --db "$pg" tier run --as-of 2026-07-01 >/dev/null
  expect pg_audit_verify 0 '已检查 1 条审计记录，哈希链完整' -- "$getihu" --db "$pg" audit verify
  expect pg_audit_refuses_delete 1 '审计日志只能追加' -- psql -q -v ON_ERROR_STOP=1 "$pg" -c "DELETE FROM audit_log"
  pg_counts=$("$getihu" --db "$pg" --json tier runs | grep -E '"(development|growth|survival|untyped)"' | tr -d ' ')
  sqlite_counts=$(grep -E '"(development|growth|survival|untyped)"' <<<"$tier_json" | head -4 | tr -d ' ')
  if [[ -n "$pg_counts" && "$pg_counts" == "$sqlite_counts" ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL pg_tier_counts: PostgreSQL $pg_counts, SQLite $sqlite_counts"
  fi
  # The same run exported from PostgreSQL is the same file, but for the export time.
  "$getihu" --db "$pg" tier export --run 1 --out "$work/pg_directory.csv" >/dev/null
  "$getihu" --db "$idb" tier export --run 1 --out "$work/sqlite_directory.csv" >/dev/null
  if [[ -s "$work/pg_directory.csv" ]] &&
    cmp -s <(cut -d, -f1-22 "$work/pg_directory.csv") <(cut -d, -f1-22 "$work/sqlite_directory.csv"); then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL pg_tier_export: the PostgreSQL export differs from the SQLite one"
  fi
  pg_before=$("$getihu" --db "$pg" --json status | grep -v '"database"')
  expect pg_backup 0 '已备份到' -- "$getihu" --db "$pg" backup --out "$work/pg.backup"
  PGOPTIONS="--client-min-messages=warning" psql -q "$GETIHU_TEST_PG" -c "DROP DATABASE getihu_cli" -c "CREATE DATABASE getihu_cli" >/dev/null
  expect pg_restore 0 '已从' -- "$getihu" --db "$pg" restore --from "$work/pg.backup" --yes
  if [[ "$("$getihu" --db "$pg" --json status | grep -v '"database"')" == "$pg_before" ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL pg_restore_same: the restored pool differs"
  fi
  # The SQLite pool moves to a fresh PostgreSQL database: the same data, the same tier runs.
  pgc="${GETIHU_TEST_PG%/*}/getihu_copy"
  PGOPTIONS="--client-min-messages=warning" psql -q "$GETIHU_TEST_PG" -c "DROP DATABASE IF EXISTS getihu_copy" -c "CREATE DATABASE getihu_copy" >/dev/null
  expect pg_copy_needs_yes 1 '--yes' -- "$getihu" copy --from "$idb" --to "$pgc"
  expect pg_copy_missing 1 '不存在' -- "$getihu" copy --from "$work/none.db" --to "$pgc" --yes
  expect pg_copy 0 '张表，共 [0-9,]+ 行，用时 [0-9.]+ 秒' -- "$getihu" copy --from "$idb" --to "$pgc" --yes
  if [[ "$("$getihu" --db "$pgc" --json status | grep -v '"database"')" == "$("$getihu" --db "$idb" --json status | grep -v '"database"')" ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL pg_copy_same: the copied pool differs"
  fi
  copied_runs=$("$getihu" --db "$pgc" --json tier runs)
  if [[ "$copied_runs" == "$("$getihu" --db "$idb" --json tier runs)" ]] && grep -q '"growth"' <<<"$copied_runs"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL pg_copy_tier_runs: the copied tier runs differ"
  fi
  expect pg_copy_not_empty 1 '目标数据库不是空的：表 batches 已有' -- "$getihu" copy --from "$idb" --to "$pgc" --yes
  # New rows after the copy get fresh ids (runs 1 and 2 were copied).
  expect pg_copy_new_run 0 '分型批次 3：' -- "$getihu" --db "$pgc" tier run --as-of 2026-07-01
  # The copied audit log keeps its chain, and the run just made links onto it.
  expect pg_copy_audit_verify 0 '哈希链完整' -- "$getihu" --db "$pgc" audit verify
  expect pg_copy_json 0 '"rows_per_second"' -- "$getihu" --json copy --from "$idb" --to "$work/copy.db" --yes
  # Sealing in place on PostgreSQL (VACUUM FULL afterwards), once.
  expect pg_encrypt_pii 0 '已加密 [0-9]+ 户' -- "$getihu" --db "$pgc" --data-key "$key" encrypt-pii
  expect pg_encrypt_pii_again 0 '无需加密' -- "$getihu" --db "$pgc" --data-key "$key" encrypt-pii
  expect pg_encrypt_pii_sealed 0 '^0$' -- psql -Atq "$pgc" -c "SELECT COUNT(*) FROM households WHERE substr(phone, 1, 4) <> 'sm4:' OR substr(operator_id_number, 1, 4) <> 'sm4:'"
fi

# kill -9 in the middle of a large import leaves the store exactly as it was.
kdb="$work/kill.db"
"$getihu" gen --households 40000 --as-of 2026-07-01 --seed 4 --out "$work/big" >/dev/null
"$getihu" --db "$kdb" import registration "$work/feeds/registration.csv" --as-of 2026-07-01 >/dev/null
before=$("$getihu" --db "$kdb" --json status)
"$getihu" --db "$kdb" import registration "$work/big/registration.csv" --as-of 2026-07-01 \
  --rejects "$work/big/rejects.csv" >/dev/null &
pid=$!
# The rejects file exists under a temporary name only while the import runs.
for _ in $(seq 1 200); do [[ -e "$work/big/rejects.part.csv" ]] && break; sleep 0.05; done
sleep 0.3
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
after=$("$getihu" --db "$kdb" --json status)
if [[ "$before" == "$after" ]]; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
  printf 'FAIL import_kill9: the store changed\nbefore: %s\nafter: %s\n' "$before" "$after"
fi

# serve --secure-cookie: behind an HTTPS gateway the session cookie carries Secure. Plain bash
# speaks HTTP over /dev/tcp so that the check needs no HTTP client.
sdb=$work/serve.db
"$getihu" --db "$sdb" init >/dev/null
spw=$("$getihu" --db "$sdb" user add sec_admin --role admin 2>&1 | grep -o '初始密码：[A-Za-z0-9#@]*' |
  sed 's/初始密码：//')
sport=$((20000 + RANDOM % 30000))
"$getihu" --db "$sdb" serve --listen "127.0.0.1:$sport" --secure-cookie >"$work/serve.out" 2>&1 &
spid=$!
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$sport") 2>/dev/null && break
  sleep 0.1
done
sbody="{\"username\":\"sec_admin\",\"password\":\"$spw\"}"
sreply=$(
  exec 3<>"/dev/tcp/127.0.0.1/$sport" || exit 0
  printf 'POST /api/v1/session/login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
    "${#sbody}" "$sbody" >&3
  cat <&3
)
kill "$spid" 2>/dev/null
wait "$spid" 2>/dev/null
if grep -q '^Set-Cookie: getihu_session=.*; Secure' <<<"$sreply"; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
  printf 'FAIL serve_secure_cookie: no Secure session cookie in:\n%s\n%s\n' "$sreply" \
    "$(cat "$work/serve.out")"
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
