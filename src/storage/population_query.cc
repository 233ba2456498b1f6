#include "storage/population_query.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <optional>
#include <tuple>
#include <vector>

#include "storage/region_range.h"
#include "storage/status_order.h"

namespace getihu::storage {
namespace {

// Households per page on PostgreSQL, which hands over a whole result set at once; SQLite steps
// through one statement.
constexpr int64_t kPageRows = 50000;

// The status names, so that a change can point at one after its row is gone.
std::string_view KnownStatus(std::string_view status) {
  static constexpr std::string_view kStatuses[] = {"active", "suspended", "deregistered", "revoked",
                                                   "converted"};
  for (std::string_view s : kStatuses) {
    if (s == status) return s;
  }
  return std::string_view();
}

// The household of the statement's current row; its texts are valid until the next Step.
base::Result<PopulationHousehold> ReadHousehold(const Statement& stmt) {
  PopulationHousehold h;
  h.id = stmt.ColumnInt(0);
  GETIHU_ASSIGN_OR_RETURN(h.registered_on, stmt.ColumnDate(1));
  h.region_code = stmt.ColumnTextView(2);
  h.township_code = stmt.ColumnTextView(3);
  h.industry_code = stmt.ColumnTextView(4);
  h.online = stmt.ColumnInt(5) != 0;
  return h;
}

// A household kept beyond its row (PostgreSQL's pages).
struct OwnedHousehold {
  explicit OwnedHousehold(const PopulationHousehold& h)
      : id(h.id),
        registered_on(h.registered_on),
        region_code(h.region_code),
        township_code(h.township_code),
        industry_code(h.industry_code),
        online(h.online) {}
  PopulationHousehold view() const {
    return {id, registered_on, region_code, township_code, industry_code, online};
  }
  int64_t id;
  base::Date registered_on;
  std::string region_code, township_code, industry_code;
  bool online;
};

// The status changes of households with ids in a range, by household then date, handed out
// one household at a time in lifecycle order.
class ChangeCursor {
 public:
  // With `in_region` only the region's households are read (the id range holds many others);
  // otherwise all in the range, the caller skipping the others (cheaper than the join).
  static base::Result<ChangeCursor> Open(Database& db, const RegionRange& range, bool in_region,
                                         int64_t first, int64_t last, base::Date as_of) {
    std::string sql = "SELECT f.household_id, f.effective_on, f.change_kind, f.status";
    std::vector<Value> params;
    if (in_region && db.dialect() == Dialect::kSqlite) {
      // From the region's households through the region index, then each one's changes by
      // key, sorted at the end. Joined the other way SQLite reads every change of the pool in
      // key order and looks its household up: a district of a province's pool paid for the
      // whole province. The unary `+` keeps the id range from making it a key scan again.
      sql +=
          " FROM households h CROSS JOIN household_status_history f"
          " WHERE f.household_id = h.id AND h.region_code BETWEEN ? AND ?"
          " AND +h.id BETWEEN ? AND ?";
      params = {range.low, range.high, first, last};
    } else if (in_region) {
      sql +=
          " FROM household_status_history f"
          " JOIN households h ON h.id = f.household_id AND h.region_code BETWEEN ? AND ?"
          " WHERE f.household_id BETWEEN ? AND ?";
      params = {range.low, range.high, first, last};
    } else {
      sql += " FROM household_status_history f WHERE f.household_id BETWEEN ? AND ?";
      params = {first, last};
    }
    sql +=
        " AND f.effective_on <= ?"
        // See ChangesStatus (status_order.h).
        " AND f.change_kind <> 'changed'"
        // The key's order, which Feed keeps among a day's changes of one lifecycle rank.
        " ORDER BY f.household_id, f.effective_on, f.change_kind";
    params.push_back(as_of);
    GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<Statement> stmt, db.Prepare(sql));
    GETIHU_RETURN_IF_ERROR(stmt->BindAll(params));
    ChangeCursor c(std::move(stmt));
    GETIHU_RETURN_IF_ERROR(c.Advance());
    return c;
  }

  // Calls fn with each change of household `id` (skipping households before it).
  base::Status Feed(int64_t id,
                    const std::function<base::Status(const PopulationStatusChange&)>& fn) {
    while (has_row_ && current_ < id) GETIHU_RETURN_IF_ERROR(Advance());
    day_.clear();
    while (has_row_ && current_ == id) {
      Change c;
      GETIHU_ASSIGN_OR_RETURN(c.change.effective_on, stmt_->ColumnDate(1));
      c.order = LifecycleOrder(stmt_->ColumnTextView(2));
      c.change.status = KnownStatus(stmt_->ColumnTextView(3));
      day_.push_back(std::move(c));
      GETIHU_RETURN_IF_ERROR(Advance());
    }
    // The key orders a day's changes by kind name; lifecycle order decides.
    auto before = [](const Change& a, const Change& b) {
      return std::tie(a.change.effective_on, a.order) < std::tie(b.change.effective_on, b.order);
    };
    if (!std::is_sorted(day_.begin(), day_.end(), before)) {
      std::stable_sort(day_.begin(), day_.end(), before);
    }
    for (const Change& c : day_) GETIHU_RETURN_IF_ERROR(fn(c.change));
    return base::OkStatus();
  }

 private:
  struct Change {
    int order = 0;
    PopulationStatusChange change;
  };

  explicit ChangeCursor(std::unique_ptr<Statement> stmt) : stmt_(std::move(stmt)) {}

  base::Status Advance() {
    GETIHU_ASSIGN_OR_RETURN(has_row_, stmt_->Step());
    if (has_row_) current_ = stmt_->ColumnInt(0);
    return base::OkStatus();
  }

  std::unique_ptr<Statement> stmt_;
  bool has_row_ = false;
  int64_t current_ = 0;
  std::vector<Change> day_;
};

using HouseholdFn = std::function<base::Status(const PopulationHousehold&)>;
using ChangeFn = std::function<base::Status(const PopulationStatusChange&)>;

// SQLite: one pass of each statement, stepped together.
base::Status ScanSqlite(Database& db, const RegionRange& range, base::Date as_of,
                        const HouseholdFn& household, const ChangeFn& change, int64_t first_id,
                        int64_t last_id) {
  GETIHU_ASSIGN_OR_RETURN(bool every, RegionHoldsEveryHousehold(db, range));
  bool dense = every;
  if (!every) {
    GETIHU_ASSIGN_OR_RETURN(dense, RegionIsDense(db, range));
  }
  // Dense: the unary `+` keeps SQLite off the region index, so that the scan follows the
  // primary key instead of sorting the region's households; no test at all when the region
  // holds every household.
  std::string sql =
      "SELECT id, registered_on, region_code, township_code, industry_code, online"
      " FROM households WHERE registered_on <= ?";
  // Dense: a scan of the id range; otherwise through the region index, the unary `+` keeping
  // the id range from making it a key scan.
  sql += dense ? " AND id BETWEEN ? AND ?" : " AND +id BETWEEN ? AND ?";
  std::vector<Value> params = {as_of, first_id, last_id};
  if (!every) {
    sql += dense ? " AND +region_code BETWEEN ? AND ?" : " AND region_code BETWEEN ? AND ?";
    params.insert(params.end(), {range.low, range.high});
  }
  GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<Statement> stmt, db.Prepare(sql + " ORDER BY id"));
  GETIHU_RETURN_IF_ERROR(stmt->BindAll(params));
  GETIHU_ASSIGN_OR_RETURN(ChangeCursor changes,
                          ChangeCursor::Open(db, range, !dense, first_id, last_id, as_of));
  for (;;) {
    GETIHU_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    GETIHU_ASSIGN_OR_RETURN(PopulationHousehold h, ReadHousehold(*stmt));
    GETIHU_RETURN_IF_ERROR(household(h));
    GETIHU_RETURN_IF_ERROR(changes.Feed(h.id, change));
  }
  return base::OkStatus();
}

// PostgreSQL: keyset pages of households, each with the changes of its id range.
base::Status ScanPaged(Database& db, const RegionRange& range, base::Date as_of,
                       const HouseholdFn& household, const ChangeFn& change, int64_t first_id,
                       int64_t last_id) {
  // A page's changes (about 80k rows) sorted in memory rather than in files: the default 4 MB
  // sent each page's sort to disk. For this read transaction only.
  GETIHU_RETURN_IF_ERROR(db.ExecuteScript("SET LOCAL work_mem = '64MB'"));
  GETIHU_ASSIGN_OR_RETURN(
      std::unique_ptr<Statement> stmt,
      db.Prepare("SELECT id, registered_on, region_code, township_code, industry_code, online"
                 " FROM households WHERE id > ? AND id <= ? AND region_code BETWEEN ? AND ?"
                 " AND registered_on <= ? ORDER BY id LIMIT ?"));
  int64_t after = first_id == std::numeric_limits<int64_t>::min() ? first_id : first_id - 1;
  for (;;) {
    GETIHU_RETURN_IF_ERROR(stmt->Reset());
    GETIHU_RETURN_IF_ERROR(
        stmt->BindAll(std::vector<Value>{after, last_id, range.low, range.high, as_of, kPageRows}));
    std::vector<OwnedHousehold> page;
    for (;;) {
      GETIHU_ASSIGN_OR_RETURN(bool row, stmt->Step());
      if (!row) break;
      GETIHU_ASSIGN_OR_RETURN(PopulationHousehold h, ReadHousehold(*stmt));
      page.emplace_back(h);
    }
    if (page.empty()) break;
    const int64_t first = page.front().id, last = page.back().id;
    const bool sparse = static_cast<uint64_t>(last - first) >= 2 * page.size();
    GETIHU_ASSIGN_OR_RETURN(ChangeCursor changes,
                            ChangeCursor::Open(db, range, sparse, first, last, as_of));
    for (const OwnedHousehold& h : page) {
      GETIHU_RETURN_IF_ERROR(household(h.view()));
      GETIHU_RETURN_IF_ERROR(changes.Feed(h.id, change));
    }
    after = last;
    if (static_cast<int64_t>(page.size()) < kPageRows) break;
  }
  return base::OkStatus();
}

}  // namespace

base::Status ScanPopulation(Database& db, std::string_view region_prefix, base::Date as_of,
                            const HouseholdFn& household, const ChangeFn& change,
                            std::optional<std::pair<int64_t, int64_t>> ids) {
  GETIHU_ASSIGN_OR_RETURN(RegionRange range, RegionRangeOf(region_prefix));
  // One snapshot for the whole scan: the region checks, the households and their changes
  // agree even while an import commits beside it.
  std::optional<Transaction> read;
  if (!db.in_transaction()) {
    GETIHU_ASSIGN_OR_RETURN(Transaction t, Transaction::BeginRead(db));
    read.emplace(std::move(t));
  }
  const int64_t first = ids ? ids->first : std::numeric_limits<int64_t>::min();
  const int64_t last = ids ? ids->second : std::numeric_limits<int64_t>::max();
  if (db.dialect() == Dialect::kSqlite) {
    return ScanSqlite(db, range, as_of, household, change, first, last);
  }
  return ScanPaged(db, range, as_of, household, change, first, last);
}

base::Result<std::optional<std::pair<int64_t, int64_t>>> HouseholdIdBounds(Database& db) {
  GETIHU_ASSIGN_OR_RETURN(std::optional<int64_t> low,
                          db.QueryInt("SELECT min(id) FROM households"));
  GETIHU_ASSIGN_OR_RETURN(std::optional<int64_t> high,
                          db.QueryInt("SELECT max(id) FROM households"));
  if (!low || !high) return std::optional<std::pair<int64_t, int64_t>>();
  return std::optional<std::pair<int64_t, int64_t>>(std::pair(*low, *high));
}

base::Result<std::optional<int64_t>> PopulationSizeHint(Database& db,
                                                        std::string_view region_prefix) {
  GETIHU_ASSIGN_OR_RETURN(RegionRange range, RegionRangeOf(region_prefix));
  if (db.dialect() != Dialect::kSqlite) return std::optional<int64_t>();
  GETIHU_ASSIGN_OR_RETURN(bool every, RegionHoldsEveryHousehold(db, range));
  if (!every) return std::optional<int64_t>();
  return db.QueryInt("SELECT max(id) FROM households");
}

}  // namespace getihu::storage
