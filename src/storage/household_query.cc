#include "storage/household_query.h"

#include <algorithm>
#include <numeric>
#include <string_view>
#include <vector>

#include "storage/region_range.h"
#include "storage/status_order.h"

namespace getihu::storage {
namespace {

struct TableSpec {
  std::string_view table;
  std::string_view columns;
  std::string_view order;
};

constexpr TableSpec kTables[] = {
    {"household_status_history", "effective_on, change_kind, status, batch_id",
     "effective_on, change_kind"},
    {"annual_reports", "year, revenue_fen, tax_fen, employees, filed_on, online, batch_id", "year"},
    {"tax_records", "year, tax_paid_fen, sales_fen, credit_rating, batch_id", "year"},
    {"social_insurance", "period, insured_count, batch_id", "period"},
    {"housing_fund", "period, payer_count, batch_id", "period"},
    {"loans", "contract_no, lender, granted_on, amount_fen, is_first_loan, due_on, batch_id",
     "granted_on, contract_no"},
    {"penalties", "document_no, decided_on, kind, amount_fen, authority, repaired_on, batch_id",
     "decided_on, document_no"},
    {"abnormal_marks", "marked_on, reason, recovered_on, batch_id", "marked_on"},
    {"dishonest_debtors", "case_no, court, listed_on, removed_on, batch_id", "listed_on"},
    {"safety_accidents", "occurred_on, severity, description, batch_id", "occurred_on"},
    {"honours", "kind, level, issuer, granted_on, expires_on, certificate_no, batch_id",
     "granted_on"},
    {"intellectual_property", "kind, registration_no, title, granted_on, expires_on, batch_id",
     "granted_on"},
    {"owner_attributes", "attribute, value, batch_id", "attribute"},
};

std::vector<std::string> SplitColumns(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

// LIKE pattern matching `text` literally anywhere ('\' escapes).
std::string ContainsPattern(std::string_view text) {
  std::string p = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') p += '\\';
    p += c;
  }
  return p + "%";
}

}  // namespace

base::Result<std::vector<HouseholdRow>> SearchHouseholds(Database& db, const HouseholdFilter& f) {
  GETIHU_ASSIGN_OR_RETURN(RegionRange range, RegionRangeOf(f.region_prefix));
  std::string sql =
      "SELECT h.id, h.uscc, h.name, h.operator_name, h.region_code, h.township_code,"
      " h.industry_code, h.status, h.registered_on, ";
  sql += f.run_id ? "r.outcome" : "NULL";
  sql += " FROM households h";
  std::vector<Value> params;
  if (f.run_id) {
    sql += f.outcome ? " JOIN" : " LEFT JOIN";
    sql += " tier_results r ON r.household_id = h.id AND r.run_id = ?";
    params.emplace_back(*f.run_id);
  }
  // A page is the first `limit` matches by id. For a region holding most of the pool, SQLite
  // (which keeps no statistics of the codes) would read the whole region through its index and
  // sort it by id for every page (0.7 s at a million households); the unary `+` keeps it on the
  // primary key instead, stopping at the page's end.
  bool dense = false;
  if (db.dialect() == Dialect::kSqlite) {
    GETIHU_ASSIGN_OR_RETURN(dense, RegionIsDense(db, range));
  }
  sql += dense ? " WHERE +h.region_code BETWEEN ? AND ? AND h.id > ?"
               : " WHERE h.region_code BETWEEN ? AND ? AND h.id > ?";
  params.emplace_back(range.low);
  params.emplace_back(range.high);
  params.emplace_back(f.after_id);
  if (!f.township_code.empty()) {
    sql += " AND h.township_code = ?";
    params.emplace_back(f.township_code);
  }
  if (!f.industry_prefix.empty()) {
    sql += " AND substr(h.industry_code, 1, ?) = ?";
    params.emplace_back(static_cast<int64_t>(f.industry_prefix.size()));
    params.emplace_back(f.industry_prefix);
  }
  if (!f.status.empty()) {
    sql += " AND h.status = ?";
    params.emplace_back(f.status);
  }
  if (!f.text.empty()) {
    sql += " AND (h.uscc = ? OR h.name LIKE ? ESCAPE '\\' OR h.operator_name = ?)";
    params.emplace_back(f.text);
    params.emplace_back(ContainsPattern(f.text));
    params.emplace_back(f.text);
  }
  if (f.run_id && f.outcome) {
    sql += " AND r.outcome = ?";
    params.emplace_back(int64_t{*f.outcome});
  }
  // With the run's outcomes as the driving table, their key gives the order without a sort.
  sql += f.run_id && f.outcome ? " ORDER BY r.household_id LIMIT ?" : " ORDER BY h.id LIMIT ?";
  params.emplace_back(int64_t{f.limit});
  GETIHU_ASSIGN_OR_RETURN(auto stmt, db.Prepare(sql));
  GETIHU_RETURN_IF_ERROR(stmt->BindAll(params));
  std::vector<HouseholdRow> out;
  for (;;) {
    GETIHU_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    HouseholdRow h;
    h.id = stmt->ColumnInt(0);
    h.uscc = stmt->ColumnText(1);
    h.name = stmt->ColumnText(2);
    h.operator_name = stmt->ColumnText(3);
    h.region_code = stmt->ColumnText(4);
    h.township_code = stmt->ColumnText(5);
    h.industry_code = stmt->ColumnText(6);
    h.status = stmt->ColumnText(7);
    h.registered_on = stmt->ColumnText(8);
    if (!stmt->ColumnIsNull(9)) h.outcome = static_cast<int>(stmt->ColumnInt(9));
    out.push_back(std::move(h));
  }
  return out;
}

namespace {

// Gives each 变更 row of a household's status history (effective_on, change_kind, status, …)
// the status the household had on its day — after the day's earlier changes in lifecycle
// order — instead of the one stored with it, which is the status when the import read the
// row (see ChangesStatus): the detail view then agrees with the tier profile and the
// statistics.
void DeriveChangedRowStatus(std::vector<std::vector<std::optional<std::string>>>& rows) {
  std::vector<size_t> order(rows.size());
  std::iota(order.begin(), order.end(), size_t{0});
  auto key = [&](size_t r) {
    return std::pair(rows[r][0].value_or(""), LifecycleOrder(rows[r][1].value_or("")));
  };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key(a) < key(b); });
  std::optional<std::string> status;
  for (size_t r : order) {
    if (ChangesStatus(rows[r][1].value_or(""))) {
      status = rows[r][2];
    } else if (status) {
      rows[r][2] = status;
    }
  }
}

}  // namespace

base::Result<std::vector<RecordTable>> HouseholdRecords(Database& db, int64_t household_id) {
  // The SQL and column names are built once: the detail view is the API's hottest read.
  struct Query {
    std::string sql;
    std::vector<std::string> columns;
  };
  static const std::vector<Query> kQueries = [] {
    std::vector<Query> q;
    for (const TableSpec& spec : kTables) {
      q.push_back({"SELECT " + std::string(spec.columns) + " FROM " + std::string(spec.table) +
                       " WHERE household_id = ? ORDER BY " + std::string(spec.order),
                   SplitColumns(spec.columns)});
    }
    return q;
  }();
  std::vector<RecordTable> out;
  out.reserve(kQueries.size());
  for (size_t i = 0; i < kQueries.size(); ++i) {
    const Query& q = kQueries[i];
    RecordTable t{std::string(kTables[i].table), q.columns, {}};
    // Prepared once per connection.
    GETIHU_ASSIGN_OR_RETURN(Statement * stmt, db.PrepareCached(q.sql));
    GETIHU_RETURN_IF_ERROR(stmt->BindInt(1, household_id));
    for (;;) {
      GETIHU_ASSIGN_OR_RETURN(bool row, stmt->Step());
      if (!row) break;
      std::vector<std::optional<std::string>> values;
      values.reserve(t.columns.size());
      for (int c = 0; c < static_cast<int>(t.columns.size()); ++c) {
        values.push_back(stmt->ColumnOptionalText(c));
      }
      t.rows.push_back(std::move(values));
    }
    if (t.table == "household_status_history") DeriveChangedRowStatus(t.rows);
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace getihu::storage
