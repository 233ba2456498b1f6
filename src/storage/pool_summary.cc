#include "storage/pool_summary.h"

#include <array>
#include <memory>
#include <string>

namespace getihu::storage {
namespace {

constexpr std::array<std::string_view, 16> kPoolTables = {
    "batches",           "rejects",
    "households",        "household_status_history",
    "owner_attributes",  "annual_reports",
    "tax_records",       "social_insurance",
    "housing_fund",      "loans",
    "penalties",         "abnormal_marks",
    "dishonest_debtors", "safety_accidents",
    "honours",           "intellectual_property",
};

base::Status CountByStatus(Database& db, PoolSummary& summary) {
  for (const auto& entry : domain::kHouseholdStatuses) {
    summary.households_by_status.emplace_back(entry.value, 0);
  }
  GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<Statement> stmt,
                          db.Prepare("SELECT status, COUNT(*) FROM households GROUP BY status"));
  while (true) {
    GETIHU_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    auto status = domain::ParseHouseholdStatusCode(stmt->ColumnText(0));
    if (!status) return base::DataLoss("数据库中有无法识别的登记状态：" + stmt->ColumnText(0));
    for (auto& [s, count] : summary.households_by_status) {
      if (s == *status) count = stmt->ColumnInt(1);
    }
  }
  return base::OkStatus();
}

}  // namespace

std::span<const std::string_view> PoolTables() { return kPoolTables; }

int64_t PoolSummary::Rows(std::string_view table) const {
  for (const TableCount& t : tables) {
    if (t.table == table) return t.rows;
  }
  return 0;
}

int64_t PoolSummary::Households(domain::HouseholdStatus status) const {
  for (const auto& [s, count] : households_by_status) {
    if (s == status) return count;
  }
  return 0;
}

base::Result<PoolSummary> Summarize(Database& db) {
  PoolSummary summary;
  for (std::string_view table : kPoolTables) {
    // Table names come from the constant list above, never from input.
    GETIHU_ASSIGN_OR_RETURN(std::optional<int64_t> rows,
                            db.QueryInt("SELECT COUNT(*) FROM " + std::string(table)));
    summary.tables.push_back({table, rows.value_or(0)});
  }
  GETIHU_RETURN_IF_ERROR(CountByStatus(db, summary));
  return summary;
}

}  // namespace getihu::storage
