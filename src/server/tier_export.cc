#include "server/tier_export.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "base/money.h"
#include "domain/household.h"
#include "domain/region.h"
#include "engine/explain.h"
#include "ingest/table_writer.h"
#include "rules/rule_set.h"
#include "storage/tier_export_query.h"
#include "storage/tier_repository.h"
#include "storage/value.h"
#include "workflows/tier_run.h"

namespace getihu::server {
namespace {

using Layout = ExportLayout;

// Columns of the national directory layout (docs/tiering.md), in order.
constexpr std::string_view kNationalColumns[] = {"统一社会信用代码",
                                                 "注册号",
                                                 "名称",
                                                 "经营者",
                                                 "组成形式",
                                                 "登记机关区划代码",
                                                 "登记机关",
                                                 "乡镇（街道）代码",
                                                 "行业代码",
                                                 "成立日期",
                                                 "登记状态",
                                                 "上年度年报",
                                                 "类型",
                                                 "原因代码",
                                                 "规则版本",
                                                 "营业额区间",
                                                 "纳税额区间",
                                                 "雇员人数",
                                                 "名特优新类别",
                                                 "经营异常",
                                                 "歇业起始日期",
                                                 "批次号",
                                                 "导出时间"};
// Appended to them in the staff workbook.
constexpr std::string_view kStaffColumns[] = {"判定说明", "复核改判", "上年度营业额（元）",
                                              "上年度纳税额（元）"};

constexpr int64_t kWan = 10'000 * 100;  // 1万元 in fen

// 营业额区间 (../shared/domain §4.2: bands, not values); each band includes its lower bound.
std::string_view RevenueBand(std::optional<int64_t> fen) {
  if (!fen) return "未知";
  if (*fen < 10 * kWan) return "10万元以下";
  if (*fen < 50 * kWan) return "10万–50万元";
  if (*fen < 100 * kWan) return "50万–100万元";
  if (*fen < 500 * kWan) return "100万–500万元";
  return "500万元以上";
}

// 纳税额区间; "0" for none paid.
std::string_view TaxBand(std::optional<int64_t> fen) {
  if (!fen) return "未知";
  if (*fen <= 0) return "0";
  if (*fen < 1 * kWan) return "1万元以下";
  if (*fen < 3 * kWan) return "1万–3万元";
  if (*fen < 10 * kWan) return "3万–10万元";
  return "10万元以上";
}

// The operator's name with every character after the first replaced by ＊ (§9.2: 张＊＊).
std::string MaskName(std::string_view name) {
  std::string out;
  int characters = 0;
  for (char byte : name) {
    bool starts_character = (static_cast<unsigned char>(byte) & 0xC0) != 0x80;  // UTF-8
    if (starts_character) ++characters;
    if (characters <= 1) {
      out += byte;
    } else if (starts_character) {
      out += "＊";
    }
  }
  return out;
}

// Reason codes and their Chinese explanations for a run's results, by decision row and
// whether a clause was unknown, as the run counted them (engine::ReasonCode).
class ReasonTable {
 public:
  struct Entry {
    std::string code;
    std::string label;
  };

  explicit ReasonTable(const rules::RuleSet& set) : rows_(static_cast<int>(set.rows.size())) {
    for (int row = -1; row < rows_; ++row) {
      for (uint32_t unknown : {0u, 1u}) {
        std::string code = engine::ReasonCode(set, row, unknown);
        std::string label = code == "INSUFFICIENT_DATA" ? "数据不足"
                            : row < 0                   ? "不满足任何判定行"
                                                        : set.rows[static_cast<size_t>(row)].label;
        entries_.push_back({std::move(code), std::move(label)});
      }
    }
  }

  // The entry of a stored result; an overridden one is the review round's decision.
  const Entry& Of(const storage::TierExportRow& r) const {
    if (r.overridden) return override_;
    int row = r.row_index < rows_ ? std::max(r.row_index, -1) : -1;
    return entries_[static_cast<size_t>(2 * (row + 1) + (r.unknown_mask != 0 ? 1 : 0))];
  }

 private:
  int rows_;
  std::vector<Entry> entries_;  // [2 * (row + 1) + unknown]
  Entry override_{"REVIEW_OVERRIDE", "复核改判"};
};

// What every row of one export shares.
struct ExportContext {
  Layout layout = Layout::kNational;
  std::string run_id;
  std::string rule_version;  // "name version"
  std::string exported_at;   // China Standard Time, ISO 8601
  const ReasonTable* reasons = nullptr;
};

std::string RegionName(const std::string& code) {
  const domain::Region* region = domain::RegionTable::Builtin().Find(code);
  return region != nullptr ? region->name : "";
}

std::string OutcomeName(int stored) {
  if (stored < storage::kOutcomeUntyped || stored > storage::kOutcomeDevelopment) return "";
  return std::string(rules::OutcomeName(workflows::OutcomeFromStored(stored)));
}

std::string PlainYuan(std::optional<int64_t> fen) {
  return fen ? base::Money::FromFen(*fen).ToPlainYuan() : std::string();
}

// One household's cells in the context's layout.
std::vector<std::string> Cells(const storage::TierExportRow& r, const ExportContext& c) {
  const ReasonTable::Entry& reason = c.reasons->Of(r);
  bool suspended = r.status == domain::HouseholdStatus::kSuspended;
  std::vector<std::string> cells = {r.uscc,
                                    r.legacy_registration_no.value_or(""),
                                    r.name.value_or(""),
                                    MaskName(r.operator_name),
                                    std::string(domain::OrganisationFormName(r.organisation_form)),
                                    r.region_code,
                                    RegionName(r.region_code),
                                    r.township_code.value_or(""),
                                    r.industry_code,
                                    r.registered_on.ToString(),
                                    std::string(domain::HouseholdStatusName(r.status)),
                                    r.annual_report_filed ? "已报送" : "未报送",
                                    OutcomeName(r.outcome),
                                    reason.code,
                                    c.rule_version,
                                    std::string(RevenueBand(r.revenue_fen)),
                                    std::string(TaxBand(r.tax_fen)),
                                    r.employees ? std::to_string(*r.employees) : "",
                                    "",  // 名特优新类别: not selected yet
                                    r.abnormal ? "是" : "否",
                                    suspended ? r.status_since.ToString() : "",
                                    c.run_id,
                                    c.exported_at};
  if (c.layout == Layout::kStaff) {
    cells.insert(cells.end(), {reason.label, r.overridden ? "是" : "否", PlainYuan(r.revenue_fen),
                               PlainYuan(r.tax_fen)});
  }
  return cells;
}

base::Status AddRow(ingest::TableWriter& writer, const std::vector<std::string>& cells) {
  std::vector<std::string_view> views(cells.begin(), cells.end());
  return writer.AddRow(views);
}

base::Status WriteHeader(ingest::TableWriter& writer, Layout layout) {
  std::vector<std::string_view> header(std::begin(kNationalColumns), std::end(kNationalColumns));
  if (layout == Layout::kStaff) {
    header.insert(header.end(), std::begin(kStaffColumns), std::end(kStaffColumns));
  }
  return writer.AddRow(header);
}

// Writes the run's results to `out` row by row; returns the households written.
base::Result<int64_t> WriteRun(storage::Database& db, const storage::TierRunRecord& run,
                               const ExportContext& context, const std::string& out) {
  GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<ingest::TableWriter> writer,
                          ingest::CreateTableWriter(out, "分型结果"));
  int64_t households = 0;
  base::Status s = WriteHeader(*writer, context.layout);
  if (s.ok()) {
    s = storage::ScanRunForExport(db, run.id, [&](const storage::TierExportRow& r) {
      ++households;
      return AddRow(*writer, Cells(r, context));
    });
  }
  if (s.ok()) s = writer->Close();
  if (!s.ok()) {
    writer.reset();  // closes the file before it is removed
    std::error_code ignored;
    std::filesystem::remove(out, ignored);
    return s;
  }
  return households;
}

}  // namespace

base::Result<int64_t> ExportTierRun(storage::Database& db, int64_t run_id, ExportLayout layout,
                                    const std::string& out, const base::Clock& clock) {
  bool xlsx = out.ends_with(".xlsx");
  if (layout == ExportLayout::kNational && xlsx) {
    return base::InvalidArgument(
        "全国名录格式导出为 CSV 文件，文件名不能以 .xlsx 结尾（要 Excel 文件请用 xlsx 格式）");
  }
  if (layout == ExportLayout::kStaff && !xlsx) {
    return base::InvalidArgument("Excel 格式的文件名须以 .xlsx 结尾");
  }
  GETIHU_ASSIGN_OR_RETURN(std::optional<storage::TierRunRecord> run,
                          storage::TierRepository(db).GetRun(run_id));
  if (!run) return base::NotFound("没有编号为 " + std::to_string(run_id) + " 的分型批次");
  base::Result<rules::RuleSet> set = workflows::RuleSetOfRun(*run);
  if (!set.ok()) {
    return base::InvalidArgument(
        set.status()
            .WithContext("分型批次 " + std::to_string(run_id) + " 保存的规则集无法解析")
            .message());
  }
  ReasonTable reasons(*set);
  ExportContext context{.layout = layout,
                        .run_id = std::to_string(run_id),
                        .rule_version = run->rule_set_name + " " + run->rule_set_version,
                        .exported_at = storage::CstTimestamp(clock.NowUnixSeconds()),
                        .reasons = &reasons};
  return WriteRun(db, *run, context, out);
}

}  // namespace getihu::server
