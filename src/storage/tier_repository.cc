#include "storage/tier_repository.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <limits>
#include <memory>
#include <numeric>
#include <utility>

#include "base/text.h"
#include "storage/dialect.h"
#include "storage/transaction_retry.h"

namespace getihu::storage {
namespace {

constexpr std::string_view kRunColumns =
    "id, rule_set_name, rule_set_version, rule_set_sha256, params_json, as_of, region_prefix,"
    " based_on_run, created_by, created_at, note, households, untyped, survival, growth,"
    " development, seconds";

constexpr std::string_view kObjectionColumns =
    "id, run_id, household_id, filed_by, filed_at, claim, requested_outcome, status, decision,"
    " override_outcome, decision_reason, reviewer, decided_at, correction_batch_id";

// Results per multi-row INSERT (SQLite; PostgreSQL uses COPY); 500 rows of 6 parameters stay
// well under SQLite's 32,766.
constexpr size_t kRowsPerInsert = 500;
constexpr int kParamsPerResult = 6;  // every column but the run id, bound once as ?1
// Results per page of ScanResults: PostgreSQL hands over a whole result set at once.
constexpr int64_t kScanPageRows = 20000;

// Steps `stmt` through its rows, appending read(stmt) of each to a vector.
template <typename Row, typename ReadFn>
base::Result<std::vector<Row>> ReadAll(Statement& stmt, ReadFn read) {
  std::vector<Row> out;
  for (;;) {
    GETIHU_ASSIGN_OR_RETURN(bool more, stmt.Step());
    if (!more) break;
    GETIHU_ASSIGN_OR_RETURN(Row row, read(stmt));
    out.push_back(std::move(row));
  }
  return out;
}

std::optional<int> OptionalOutcome(const Statement& row, int column) {
  std::optional<int64_t> v = row.ColumnOptionalInt(column);
  if (!v.has_value()) return std::nullopt;
  return static_cast<int>(*v);
}

bool IsOutcome(int outcome) { return outcome >= kOutcomeUntyped && outcome <= kOutcomeDevelopment; }

base::Result<TierRunRecord> ReadRun(const Statement& row) {
  TierRunRecord r;
  r.id = row.ColumnInt(0);
  r.rule_set_name = row.ColumnText(1);
  r.rule_set_version = row.ColumnText(2);
  r.rule_set_sha256 = row.ColumnText(3);
  r.params_json = row.ColumnText(4);
  GETIHU_ASSIGN_OR_RETURN(r.as_of, row.ColumnDate(5));
  r.region_prefix = row.ColumnText(6);
  r.based_on_run = row.ColumnOptionalInt(7);
  r.created_by = row.ColumnText(8);
  r.created_at = row.ColumnText(9);
  r.note = row.ColumnText(10);
  r.households = row.ColumnInt(11);
  r.untyped = row.ColumnInt(12);
  r.survival = row.ColumnInt(13);
  r.growth = row.ColumnInt(14);
  r.development = row.ColumnInt(15);
  r.seconds = row.ColumnDouble(16);
  return r;
}

TierResultRow ReadResult(const Statement& row) {
  return TierResultRow{.household_id = row.ColumnInt(0),
                       .outcome = static_cast<int>(row.ColumnInt(1)),
                       .row = static_cast<int>(row.ColumnInt(2)),
                       .failed_mask = static_cast<uint32_t>(row.ColumnInt(3)),
                       .unknown_mask = static_cast<uint32_t>(row.ColumnInt(4)),
                       .overridden = row.ColumnInt(5) != 0};
}

template <typename Enum, size_t N>
base::Result<Enum> ParseCode(std::string_view code, const std::array<Enum, N>& values,
                             std::string_view (*code_of)(Enum), std::string_view what) {
  for (Enum v : values) {
    if (code_of(v) == code) return v;
  }
  return base::DataLoss("数据库中" + std::string(what) + "无法识别：" + std::string(code));
}

base::Result<Objection> ReadObjection(const Statement& row) {
  Objection o;
  o.id = row.ColumnInt(0);
  o.run_id = row.ColumnInt(1);
  o.household_id = row.ColumnInt(2);
  o.filed_by = row.ColumnText(3);
  o.filed_at = row.ColumnText(4);
  o.claim = row.ColumnText(5);
  o.requested_outcome = OptionalOutcome(row, 6);
  constexpr std::array kStatuses = {ObjectionStatus::kOpen, ObjectionStatus::kAccepted,
                                    ObjectionStatus::kRejected};
  GETIHU_ASSIGN_OR_RETURN(o.status,
                          ParseCode(row.ColumnText(7), kStatuses, ObjectionStatusCode, "异议状态"));
  constexpr std::array kDecisions = {DecisionKind::kNone, DecisionKind::kOverride,
                                     DecisionKind::kDataCorrection, DecisionKind::kReject};
  GETIHU_ASSIGN_OR_RETURN(o.decision,
                          ParseCode(row.ColumnText(8), kDecisions, DecisionKindCode, "裁定结果"));
  o.override_outcome = OptionalOutcome(row, 9);
  o.decision_reason = row.ColumnText(10);
  o.reviewer = row.ColumnText(11);
  o.decided_at = row.ColumnText(12);
  o.correction_batch_id = row.ColumnOptionalInt(13);
  return o;
}

// The INSERT of `rows` results (SQLite), one parameter group per row after the run id, which
// every row shares as ?1. The texts are built once.
const std::string& ResultInsertSql(size_t rows) {
  static const std::array<std::string, kRowsPerInsert + 1> kSql = [] {
    std::array<std::string, kRowsPerInsert + 1> sql;
    for (size_t n = 1; n <= kRowsPerInsert; ++n) {
      sql[n] =
          "INSERT INTO tier_results (run_id, household_id, outcome, row_index, failed_mask,"
          " unknown_mask, overridden) VALUES (?1, ?, ?, ?, ?, ?, ?)";
      for (size_t i = 1; i < n; ++i) sql[n] += ", (?1, ?, ?, ?, ?, ?, ?)";
    }
    return sql;
  }();
  return kSql[rows];
}

// Binds the parameters of ResultInsertSql(order.size()): rows[order[0]], rows[order[1]] ….
base::Status BindResults(Statement& stmt, int64_t run_id, std::span<const TierResultRow> rows,
                         std::span<const size_t> order) {
  GETIHU_RETURN_IF_ERROR(stmt.BindInt(1, run_id));
  int p = 2;
  for (size_t i : order) {
    const TierResultRow& r = rows[i];
    GETIHU_RETURN_IF_ERROR(stmt.BindInt(p, r.household_id));
    GETIHU_RETURN_IF_ERROR(stmt.BindInt(p + 1, r.outcome));
    GETIHU_RETURN_IF_ERROR(stmt.BindInt(p + 2, r.row));
    GETIHU_RETURN_IF_ERROR(stmt.BindInt(p + 3, r.failed_mask));
    GETIHU_RETURN_IF_ERROR(stmt.BindInt(p + 4, r.unknown_mask));
    GETIHU_RETURN_IF_ERROR(stmt.BindInt(p + 5, r.overridden ? 1 : 0));
    p += kParamsPerResult;
  }
  return base::OkStatus();
}

// The positions of `rows` in household id order. Rows are written in that order because
// B-tree inserts in key order are about ten times faster than in random order (SQLite).
std::vector<size_t> HouseholdOrder(std::span<const TierResultRow> rows) {
  std::vector<size_t> order(rows.size());
  std::iota(order.begin(), order.end(), size_t{0});
  auto by_household = [&](size_t a, size_t b) {
    return rows[a].household_id < rows[b].household_id;
  };
  if (!std::is_sorted(order.begin(), order.end(), by_household)) {
    std::sort(order.begin(), order.end(), by_household);
  }
  return order;
}

// Full chunks of kRowsPerInsert rows, then the tail in power-of-two chunks, so that at most
// ten statement texts are ever prepared (each backend keeps its prepared statements).
base::Status InsertResultChunks(Database& db, int64_t run_id, std::span<const TierResultRow> rows) {
  // tier_results has no foreign key on run_id (migration 0015): the run is checked once here.
  GETIHU_ASSIGN_OR_RETURN(std::optional<int64_t> run,
                          db.QueryInt("SELECT id FROM tier_runs WHERE id = ?", {run_id}));
  if (!run) return base::InvalidArgument("没有编号为 " + std::to_string(run_id) + " 的分型批次");
  const std::vector<size_t> all = HouseholdOrder(rows);
  if (db.dialect() == Dialect::kPostgres) {  // COPY: several times the multi-row INSERTs
    size_t next = 0;
    std::string prefix = std::to_string(run_id) + "\t";
    char line[160];
    GETIHU_RETURN_IF_ERROR(
        db.CopyIn("tier_results",
                  "run_id, household_id, outcome, row_index, failed_mask, unknown_mask, overridden",
                  [&](std::string& buffer) {
                    if (next == all.size()) return false;
                    const TierResultRow& r = rows[all[next++]];
                    int n = std::snprintf(line, sizeof line, "%lld\t%d\t%d\t%u\t%u\t%d\n",
                                          static_cast<long long>(r.household_id), r.outcome, r.row,
                                          r.failed_mask, r.unknown_mask, r.overridden ? 1 : 0);
                    buffer += prefix;
                    buffer.append(line, static_cast<size_t>(n));
                    return next < all.size();
                  })
            .status());
    return base::OkStatus();
  }
  for (std::span<const size_t> order(all); !order.empty();) {
    size_t n = kRowsPerInsert;
    if (order.size() < n) {
      n = 1;
      while (n * 2 <= order.size()) n *= 2;
    }
    GETIHU_ASSIGN_OR_RETURN(Statement * stmt, db.PrepareCached(ResultInsertSql(n)));
    GETIHU_RETURN_IF_ERROR(BindResults(*stmt, run_id, rows, order.first(n)));
    GETIHU_RETURN_IF_ERROR(stmt->Step().status());
    GETIHU_RETURN_IF_ERROR(stmt->Reset());
    order = order.subspan(n);
  }
  return base::OkStatus();
}

base::Status InsertReasons(Database& db, int64_t run_id, std::span<const TierReasonCount> reasons) {
  GETIHU_ASSIGN_OR_RETURN(
      Statement * insert,
      db.PrepareCached("INSERT INTO tier_run_reasons (run_id, outcome, reason, households)"
                       " VALUES (?, ?, ?, ?)"));
  for (const TierReasonCount& r : reasons) {
    GETIHU_RETURN_IF_ERROR(
        insert->Run(std::vector<Value>{run_id, r.outcome, r.reason, r.households}).status());
  }
  return base::OkStatus();
}

std::string Now(const base::Clock& clock) { return CstTimestamp(clock.NowUnixSeconds()); }

bool IsBlank(std::string_view text) { return base::TrimSpaces(text).empty(); }

// The checks of DecideObjection that need no database.
base::Status CheckDecision(DecisionKind decision, std::optional<int> override_outcome,
                           std::string_view reason, std::string_view reviewer,
                           std::optional<int64_t> correction_batch_id) {
  if (decision == DecisionKind::kNone) return base::InvalidArgument("请选择裁定结果");
  if (IsBlank(reason)) return base::InvalidArgument("裁定理由不能为空");
  if (IsBlank(reviewer)) return base::InvalidArgument("裁定人不能为空");
  if (decision == DecisionKind::kOverride) {
    if (!override_outcome.has_value()) return base::InvalidArgument("改判必须指定分型结果");
    if (!IsOutcome(*override_outcome)) {
      return base::InvalidArgument("分型结果无效：" + std::to_string(*override_outcome));
    }
  } else if (override_outcome.has_value()) {
    return base::InvalidArgument("只有改判才能指定分型结果");
  }
  if (decision != DecisionKind::kDataCorrection && correction_batch_id.has_value()) {
    return base::InvalidArgument("只有数据更正才能关联更正批次");
  }
  return base::OkStatus();
}

}  // namespace

std::string_view ObjectionStatusCode(ObjectionStatus status) {
  switch (status) {
    case ObjectionStatus::kOpen:
      return "open";
    case ObjectionStatus::kAccepted:
      return "accepted";
    case ObjectionStatus::kRejected:
      return "rejected";
  }
  return "";
}

std::string_view DecisionKindCode(DecisionKind decision) {
  switch (decision) {
    case DecisionKind::kNone:
      return "none";
    case DecisionKind::kOverride:
      return "override";
    case DecisionKind::kDataCorrection:
      return "data_correction";
    case DecisionKind::kReject:
      return "reject";
  }
  return "";
}

base::Result<int64_t> TierRepository::InsertRun(TierRunRecord& run,
                                                std::span<const TierReasonCount> reasons) {
  std::string created_at = Now(*clock_);
  GETIHU_ASSIGN_OR_RETURN(
      int64_t id, RunInTransaction(db_, [&]() -> base::Result<int64_t> {
        GETIHU_ASSIGN_OR_RETURN(
            std::optional<int64_t> id,
            db_.QueryInt(
                "INSERT INTO tier_runs (rule_set_name, rule_set_version, rule_set_sha256,"
                " rule_set_text, params_json, as_of, region_prefix, based_on_run, created_by,"
                " created_at, note, households, untyped, survival, growth, development,"
                " seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " RETURNING id",
                {run.rule_set_name, run.rule_set_version, run.rule_set_sha256, run.rule_set_text,
                 run.params_json, run.as_of, run.region_prefix, run.based_on_run, run.created_by,
                 created_at, run.note, run.households, run.untyped, run.survival, run.growth,
                 run.development, run.seconds}));
        if (!id.has_value()) return base::Internal("新建分型批次未返回编号");
        GETIHU_RETURN_IF_ERROR(InsertReasons(db_, *id, reasons));
        return *id;
      }));
  run.id = id;
  run.created_at = std::move(created_at);
  return id;
}

base::Status TierRepository::InsertResults(int64_t run_id, std::span<const TierResultRow> rows) {
  return RunInTransaction(db_, [&] { return InsertResultChunks(db_, run_id, rows); });
}

base::Status TierRepository::SetRunSeconds(int64_t run_id, double seconds) {
  GETIHU_ASSIGN_OR_RETURN(int64_t changed, db_.Execute("UPDATE tier_runs SET seconds = ?"
                                                       " WHERE id = ?",
                                                       {seconds, run_id}));
  if (changed == 0) return base::NotFound("没有编号为 " + std::to_string(run_id) + " 的分型批次");
  return base::OkStatus();
}

base::Status TierRepository::FinishRun(const TierRunRecord& run,
                                       std::span<const TierReasonCount> reasons) {
  return RunInTransaction(db_, [&]() -> base::Status {
    GETIHU_ASSIGN_OR_RETURN(
        int64_t changed,
        db_.Execute("UPDATE tier_runs SET households = ?, untyped = ?, survival = ?, growth = ?,"
                    " development = ?, seconds = ? WHERE id = ?",
                    {run.households, run.untyped, run.survival, run.growth, run.development,
                     run.seconds, run.id}));
    if (changed == 0) return base::NotFound("没有编号为 " + std::to_string(run.id) + " 的分型批次");
    return InsertReasons(db_, run.id, reasons);
  });
}

base::Result<std::vector<TierRunRecord>> TierRepository::ListRuns() {
  GETIHU_ASSIGN_OR_RETURN(
      std::unique_ptr<Statement> stmt,
      db_.Prepare("SELECT " + std::string(kRunColumns) + " FROM tier_runs ORDER BY id DESC"));
  return ReadAll<TierRunRecord>(*stmt, ReadRun);
}

base::Result<std::optional<TierRunRecord>> TierRepository::GetRun(int64_t run_id) {
  GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<Statement> stmt,
                          db_.Prepare("SELECT " + std::string(kRunColumns) +
                                      ", rule_set_text FROM tier_runs WHERE id = ?"));
  GETIHU_RETURN_IF_ERROR(stmt->BindInt(1, run_id));
  GETIHU_ASSIGN_OR_RETURN(bool found, stmt->Step());
  if (!found) return std::optional<TierRunRecord>();
  GETIHU_ASSIGN_OR_RETURN(TierRunRecord run, ReadRun(*stmt));
  run.rule_set_text = stmt->ColumnText(17);
  return std::optional<TierRunRecord>(std::move(run));
}

base::Result<std::vector<TierReasonCount>> TierRepository::ReasonCounts(int64_t run_id) {
  GETIHU_ASSIGN_OR_RETURN(
      std::unique_ptr<Statement> stmt,
      db_.Prepare("SELECT outcome, reason, households FROM tier_run_reasons WHERE run_id = ?"
                  " ORDER BY outcome, households DESC, reason"));
  GETIHU_RETURN_IF_ERROR(stmt->BindInt(1, run_id));
  return ReadAll<TierReasonCount>(*stmt, [](const Statement& row) -> base::Result<TierReasonCount> {
    return TierReasonCount{.outcome = static_cast<int>(row.ColumnInt(0)),
                           .reason = row.ColumnText(1),
                           .households = row.ColumnInt(2)};
  });
}

base::Status TierRepository::ScanResults(
    int64_t run_id, const std::function<base::Status(const TierResultRow&)>& fn) {
  GETIHU_ASSIGN_OR_RETURN(
      std::unique_ptr<Statement> stmt,
      db_.Prepare("SELECT household_id, outcome, row_index, failed_mask, unknown_mask,"
                  " overridden FROM tier_results WHERE run_id = ? AND household_id > ?"
                  " ORDER BY household_id LIMIT ?"));
  // Keyset pages: each resumes after the last household of the one before.
  int64_t after = std::numeric_limits<int64_t>::min();
  for (int64_t page_rows = kScanPageRows; page_rows == kScanPageRows;) {
    GETIHU_RETURN_IF_ERROR(stmt->Reset());
    GETIHU_RETURN_IF_ERROR(stmt->BindAll(std::vector<Value>{run_id, after, kScanPageRows}));
    for (page_rows = 0;; ++page_rows) {
      GETIHU_ASSIGN_OR_RETURN(bool more, stmt->Step());
      if (!more) break;
      TierResultRow row = ReadResult(*stmt);
      after = row.household_id;
      GETIHU_RETURN_IF_ERROR(fn(row));
    }
  }
  return base::OkStatus();
}

base::Status TierRepository::ScanOutcomes(
    int64_t run_id, const std::function<base::Status(int64_t household_id, int outcome)>& fn) {
  GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<Statement> stmt,
                          db_.Prepare("SELECT household_id, outcome FROM tier_results"
                                      " WHERE run_id = ? AND household_id > ?"
                                      " ORDER BY household_id LIMIT ?"));
  int64_t after = std::numeric_limits<int64_t>::min();
  for (int64_t page_rows = kScanPageRows; page_rows == kScanPageRows;) {
    GETIHU_RETURN_IF_ERROR(stmt->Reset());
    GETIHU_RETURN_IF_ERROR(stmt->BindAll(std::vector<Value>{run_id, after, kScanPageRows}));
    for (page_rows = 0;; ++page_rows) {
      GETIHU_ASSIGN_OR_RETURN(bool more, stmt->Step());
      if (!more) break;
      after = stmt->ColumnInt(0);
      GETIHU_RETURN_IF_ERROR(fn(after, static_cast<int>(stmt->ColumnInt(1))));
    }
  }
  return base::OkStatus();
}

base::Status TierRepository::FindOutcomes(
    int64_t run_id, std::span<const int64_t> household_ids,
    const std::function<base::Status(int64_t household_id, int outcome)>& fn) {
  GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<Statement> stmt,
                          db_.Prepare("SELECT outcome FROM tier_results"
                                      " WHERE run_id = ? AND household_id = ?"));
  for (int64_t id : household_ids) {
    GETIHU_RETURN_IF_ERROR(stmt->Reset());
    GETIHU_RETURN_IF_ERROR(stmt->BindAll(std::vector<Value>{run_id, id}));
    GETIHU_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (row) GETIHU_RETURN_IF_ERROR(fn(id, static_cast<int>(stmt->ColumnInt(0))));
  }
  return base::OkStatus();
}

base::Result<std::optional<TierResultRow>> TierRepository::GetResult(int64_t run_id,
                                                                     int64_t household_id) {
  GETIHU_ASSIGN_OR_RETURN(
      std::unique_ptr<Statement> stmt,
      db_.Prepare("SELECT household_id, outcome, row_index, failed_mask, unknown_mask,"
                  " overridden FROM tier_results WHERE run_id = ? AND household_id = ?"));
  GETIHU_RETURN_IF_ERROR(stmt->BindAll(std::vector<Value>{run_id, household_id}));
  GETIHU_ASSIGN_OR_RETURN(bool found, stmt->Step());
  if (!found) return std::optional<TierResultRow>();
  return std::optional<TierResultRow>(ReadResult(*stmt));
}

base::Result<std::vector<TierHistoryEntry>> TierRepository::History(int64_t household_id) {
  // Prepared once per connection: part of the household detail, the API's hottest read.
  GETIHU_ASSIGN_OR_RETURN(
      Statement * stmt,
      // Through the runs and the primary key of tier_results, which has no household index.
      db_.PrepareCached(
          "SELECT r.run_id, u.as_of, u.rule_set_version, r.outcome, r.row_index,"
          " r.overridden FROM tier_runs u CROSS JOIN tier_results r"
          " WHERE r.run_id = u.id AND r.household_id = ? ORDER BY u.as_of, r.run_id"));
  GETIHU_RETURN_IF_ERROR(stmt->BindInt(1, household_id));
  return ReadAll<TierHistoryEntry>(*stmt,
                                   [](const Statement& row) -> base::Result<TierHistoryEntry> {
                                     TierHistoryEntry e;
                                     e.run_id = row.ColumnInt(0);
                                     GETIHU_ASSIGN_OR_RETURN(e.as_of, row.ColumnDate(1));
                                     e.rule_set_version = row.ColumnText(2);
                                     e.outcome = static_cast<int>(row.ColumnInt(3));
                                     e.row = static_cast<int>(row.ColumnInt(4));
                                     e.overridden = row.ColumnInt(5) != 0;
                                     return e;
                                   });
}

base::Result<int64_t> TierRepository::FileObjection(Objection& objection) {
  if (IsBlank(objection.claim)) return base::InvalidArgument("异议内容不能为空");
  if (IsBlank(objection.filed_by)) return base::InvalidArgument("异议提出人不能为空");
  if (objection.requested_outcome.has_value() && !IsOutcome(*objection.requested_outcome)) {
    return base::InvalidArgument("请求的分型结果无效：" +
                                 std::to_string(*objection.requested_outcome));
  }
  std::string filed_at = Now(*clock_);
  base::Result<std::optional<int64_t>> id = db_.QueryInt(
      "INSERT INTO tier_objections (run_id, household_id, filed_by, filed_at, claim,"
      " requested_outcome) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
      {objection.run_id, objection.household_id, objection.filed_by, filed_at, objection.claim,
       objection.requested_outcome});
  const std::string which = "分型批次 " + std::to_string(objection.run_id) + " 中的经营主体 " +
                            std::to_string(objection.household_id);
  if (id.status().code() == base::StatusCode::kAlreadyExists) {
    return base::AlreadyExists(which + " 已有未处理的异议");
  }
  if (id.status().code() == base::StatusCode::kInvalidArgument) {
    return base::InvalidArgument(which + " 没有分型结果，不能提出异议");
  }
  GETIHU_RETURN_IF_ERROR(id.status());
  if (!id->has_value()) return base::Internal("新建异议未返回编号");
  objection.id = **id;
  objection.filed_at = std::move(filed_at);
  objection.status = ObjectionStatus::kOpen;
  objection.decision = DecisionKind::kNone;
  objection.override_outcome = std::nullopt;
  objection.decision_reason.clear();
  objection.reviewer.clear();
  objection.decided_at.clear();
  objection.correction_batch_id = std::nullopt;
  return objection.id;
}

base::Status TierRepository::DecideObjection(int64_t objection_id, DecisionKind decision,
                                             std::optional<int> override_outcome,
                                             std::string reason, std::string reviewer,
                                             std::optional<int64_t> correction_batch_id) {
  GETIHU_RETURN_IF_ERROR(
      CheckDecision(decision, override_outcome, reason, reviewer, correction_batch_id));
  ObjectionStatus status =
      decision == DecisionKind::kReject ? ObjectionStatus::kRejected : ObjectionStatus::kAccepted;
  // Only an open objection changes, so two reviewers deciding at once cannot both succeed.
  GETIHU_ASSIGN_OR_RETURN(
      int64_t changed,
      db_.Execute("UPDATE tier_objections SET status = ?, decision = ?, override_outcome = ?,"
                  " decision_reason = ?, reviewer = ?, decided_at = ?, correction_batch_id = ?"
                  " WHERE id = ? AND status = 'open'",
                  {ObjectionStatusCode(status), DecisionKindCode(decision), override_outcome,
                   reason, reviewer, Now(*clock_), correction_batch_id, objection_id}));
  if (changed > 0) return base::OkStatus();
  GETIHU_ASSIGN_OR_RETURN(
      std::optional<int64_t> exists,
      db_.QueryInt("SELECT id FROM tier_objections WHERE id = ?", {objection_id}));
  if (!exists.has_value()) {
    return base::NotFound("没有编号为 " + std::to_string(objection_id) + " 的异议");
  }
  return base::FailedPrecondition("异议已处理，不能重复裁定");
}

base::Result<std::optional<Objection>> TierRepository::GetObjection(int64_t objection_id) {
  GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<Statement> stmt,
                          db_.Prepare("SELECT " + std::string(kObjectionColumns) +
                                      " FROM tier_objections WHERE id = ?"));
  GETIHU_RETURN_IF_ERROR(stmt->BindInt(1, objection_id));
  GETIHU_ASSIGN_OR_RETURN(bool found, stmt->Step());
  if (!found) return std::optional<Objection>();
  GETIHU_ASSIGN_OR_RETURN(Objection objection, ReadObjection(*stmt));
  return std::optional<Objection>(std::move(objection));
}

base::Result<std::vector<Objection>> TierRepository::ListObjections(
    int64_t run_id, std::optional<ObjectionStatus> status) {
  // The filters are spliced as text: PostgreSQL cannot type a bare `? IS NULL`.
  std::string sql =
      "SELECT " + std::string(kObjectionColumns) + " FROM tier_objections WHERE 1 = 1";
  std::vector<Value> params;
  if (run_id != 0) {
    sql += " AND run_id = ?";
    params.emplace_back(run_id);
  }
  if (status.has_value()) {
    sql += " AND status = ?";
    params.emplace_back(ObjectionStatusCode(*status));
  }
  sql += " ORDER BY id";
  GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<Statement> stmt, db_.Prepare(sql));
  GETIHU_RETURN_IF_ERROR(stmt->BindAll(params));
  return ReadAll<Objection>(*stmt, ReadObjection);
}

}  // namespace getihu::storage
