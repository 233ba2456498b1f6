#include "storage/tier_export_query.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <string>

namespace getihu::storage {
namespace {

// Results per page: PostgreSQL hands over a whole result set at once.
constexpr int64_t kExportPageRows = 20000;

// One page of a run's results with their household and indicators. The year's facts come
// through their primary keys; employees and the abnormal mark through correlated subqueries,
// so that no household is repeated. Parameters in order: the year as "YYYY" and "YYYY-%",
// as_of twice, the year, as_of, the year, the run, the last household id of the page
// before, the page size.
constexpr char kPageSql[] =
    "SELECT r.household_id, h.uscc, h.legacy_registration_no, h.name, h.operator_name,"
    " h.organisation_form, h.region_code, h.township_code, h.industry_code, h.registered_on,"
    " h.status, h.status_since, r.outcome, r.row_index, r.failed_mask, r.unknown_mask,"
    " r.overridden, a.household_id, a.revenue_fen, a.tax_fen, a.employees, t.tax_paid_fen,"
    " (SELECT MAX(s.insured_count) FROM social_insurance s WHERE s.household_id = r.household_id"
    " AND (s.period = ? OR s.period LIKE ?)),"
    " CASE WHEN EXISTS (SELECT 1 FROM abnormal_marks m WHERE m.household_id = r.household_id"
    " AND m.marked_on <= ? AND (m.recovered_on IS NULL OR m.recovered_on > ?)) THEN 1 ELSE 0 END"
    " FROM tier_results r JOIN households h ON h.id = r.household_id"
    " LEFT JOIN annual_reports a ON a.household_id = r.household_id AND a.year = ?"
    " AND (a.filed_on IS NULL OR a.filed_on <= ?)"
    " LEFT JOIN tax_records t ON t.household_id = r.household_id AND t.year = ?"
    " WHERE r.run_id = ? AND r.household_id > ? ORDER BY r.household_id LIMIT ?";

// Binds every parameter of kPageSql but the last household id and the page size.
base::Status BindRun(Statement& stmt, int64_t run_id, base::Date as_of) {
  const int year = as_of.year() - 1;
  const std::string asof = as_of.ToString(), period = std::to_string(year);
  GETIHU_RETURN_IF_ERROR(stmt.BindText(1, period));
  GETIHU_RETURN_IF_ERROR(stmt.BindText(2, period + "-%"));
  GETIHU_RETURN_IF_ERROR(stmt.BindText(3, asof));
  GETIHU_RETURN_IF_ERROR(stmt.BindText(4, asof));
  GETIHU_RETURN_IF_ERROR(stmt.BindInt(5, year));
  GETIHU_RETURN_IF_ERROR(stmt.BindText(6, asof));
  GETIHU_RETURN_IF_ERROR(stmt.BindInt(7, year));
  return stmt.BindInt(8, run_id);
}

base::Result<TierExportRow> ReadRow(const Statement& s) {
  TierExportRow r;
  r.household_id = s.ColumnInt(0);
  r.uscc = s.ColumnText(1);
  r.legacy_registration_no = s.ColumnOptionalText(2);
  r.name = s.ColumnOptionalText(3);
  r.operator_name = s.ColumnText(4);
  auto form = domain::ParseOrganisationFormCode(s.ColumnText(5));
  auto status = domain::ParseHouseholdStatusCode(s.ColumnText(10));
  if (!form || !status) {
    return base::DataLoss("个体工商户 " + r.uscc + " 的组成形式或登记状态无法识别");
  }
  r.organisation_form = *form;
  r.status = *status;
  r.region_code = s.ColumnText(6);
  r.township_code = s.ColumnOptionalText(7);
  r.industry_code = s.ColumnText(8);
  GETIHU_ASSIGN_OR_RETURN(r.registered_on, s.ColumnDate(9));
  GETIHU_ASSIGN_OR_RETURN(r.status_since, s.ColumnDate(11));
  r.outcome = static_cast<int>(s.ColumnInt(12));
  r.row_index = static_cast<int>(s.ColumnInt(13));
  r.failed_mask = static_cast<uint32_t>(s.ColumnInt(14));
  r.unknown_mask = static_cast<uint32_t>(s.ColumnInt(15));
  r.overridden = s.ColumnInt(16) != 0;
  r.annual_report_filed = !s.ColumnIsNull(17);
  r.revenue_fen = s.ColumnOptionalInt(18);
  r.tax_fen = s.ColumnIsNull(21) ? s.ColumnOptionalInt(19) : s.ColumnOptionalInt(21);
  if (!s.ColumnIsNull(22)) {
    r.employees = static_cast<int>(s.ColumnInt(22));
  } else if (!s.ColumnIsNull(20)) {
    r.employees = std::max(0, static_cast<int>(s.ColumnInt(20)) - 1);  // less the operator
  }
  r.abnormal = s.ColumnInt(23) != 0;
  return r;
}

base::Result<base::Date> RunAsOf(Database& db, int64_t run_id) {
  GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<Statement> stmt,
                          db.Prepare("SELECT as_of FROM tier_runs WHERE id = ?"));
  GETIHU_RETURN_IF_ERROR(stmt->BindInt(1, run_id));
  GETIHU_ASSIGN_OR_RETURN(bool found, stmt->Step());
  if (!found) return base::NotFound("没有分型批次 " + std::to_string(run_id));
  return stmt->ColumnDate(0);
}

}  // namespace

base::Status ScanRunForExport(Database& db, int64_t run_id,
                              const std::function<base::Status(const TierExportRow&)>& fn) {
  GETIHU_ASSIGN_OR_RETURN(base::Date as_of, RunAsOf(db, run_id));
  GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<Statement> stmt, db.Prepare(kPageSql));
  // Keyset pages: each resumes after the last household of the one before.
  int64_t after = std::numeric_limits<int64_t>::min();
  for (int64_t page_rows = kExportPageRows; page_rows == kExportPageRows;) {
    GETIHU_RETURN_IF_ERROR(stmt->Reset());
    GETIHU_RETURN_IF_ERROR(BindRun(*stmt, run_id, as_of));
    GETIHU_RETURN_IF_ERROR(stmt->BindInt(9, after));
    GETIHU_RETURN_IF_ERROR(stmt->BindInt(10, kExportPageRows));
    for (page_rows = 0;; ++page_rows) {
      GETIHU_ASSIGN_OR_RETURN(bool more, stmt->Step());
      if (!more) break;
      GETIHU_ASSIGN_OR_RETURN(TierExportRow row, ReadRow(*stmt));
      after = row.household_id;
      GETIHU_RETURN_IF_ERROR(fn(row));
    }
  }
  return base::OkStatus();
}

}  // namespace getihu::storage
