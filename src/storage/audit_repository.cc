#include "storage/audit_repository.h"

#include <array>
#include <functional>
#include <limits>
#include <memory>
#include <utility>

#include "base/crypto.h"
#include "base/text.h"
#include "storage/dialect.h"
#include "storage/transaction_retry.h"

namespace getihu::storage {
namespace {

constexpr std::string_view kTable = "audit_log";
constexpr std::string_view kColumns =
    "id, at, actor, action, target, detail, ip, result, prev_hash, hash";
// Rows per page when walking the whole log (PostgreSQL hands over a result set at once).
constexpr int64_t kScanPageRows = 5000;
// Below every id, for scans from the start.
constexpr int64_t kBeforeFirstId = std::numeric_limits<int64_t>::min();

constexpr std::array kResults = {AuditResult::kOk, AuditResult::kDenied, AuditResult::kFailed};

// A netstring: the byte length in decimal, ':', the bytes, ','. No field can run into the
// next, whatever bytes it holds.
void AppendField(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out.append(field);
  out += ',';
}

base::Result<AuditEvent> ReadEvent(const Statement& row) {
  std::optional<AuditResult> result = AuditResultFromCode(row.ColumnText(7));
  if (!result) {
    return base::DataLoss("审计记录 " + std::to_string(row.ColumnInt(0)) + " 的结果值无效：" +
                          row.ColumnText(7));
  }
  return AuditEvent{.id = row.ColumnInt(0),
                    .at = row.ColumnText(1),
                    .actor = row.ColumnText(2),
                    .action = row.ColumnText(3),
                    .target = row.ColumnText(4),
                    .detail = row.ColumnText(5),
                    .ip = row.ColumnText(6),
                    .result = *result,
                    .prev_hash = row.ColumnText(8),
                    .hash = row.ColumnText(9)};
}

// Calls fn for each row with an id above `after_id`, in id order, a page at a time; stops at
// fn's first error or when fn returns false.
base::Status ScanFrom(Database& db, int64_t after_id,
                      const std::function<base::Result<bool>(const AuditEvent&)>& fn) {
  GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<Statement> stmt,
                          db.Prepare("SELECT " + std::string(kColumns) + " FROM " +
                                     std::string(kTable) + " WHERE id > ? ORDER BY id LIMIT ?"));
  for (int64_t rows = kScanPageRows; rows == kScanPageRows;) {
    GETIHU_RETURN_IF_ERROR(stmt->Reset());
    GETIHU_RETURN_IF_ERROR(stmt->BindAll(std::vector<Value>{after_id, kScanPageRows}));
    for (rows = 0;; ++rows) {
      GETIHU_ASSIGN_OR_RETURN(bool more, stmt->Step());
      if (!more) break;
      GETIHU_ASSIGN_OR_RETURN(AuditEvent event, ReadEvent(*stmt));
      after_id = event.id;
      GETIHU_ASSIGN_OR_RETURN(bool go_on, fn(event));
      if (!go_on) return base::OkStatus();
    }
  }
  return base::OkStatus();
}

// Adds `filter`'s conditions to `sql` and their values to `params`.
void AddConditions(const AuditFilter& filter, std::string& sql, std::vector<Value>& params) {
  auto prefix = [&](std::string_view column, const std::string& value) {
    if (value.empty()) return;
    // substr, not LIKE: LIKE ignores ASCII case on SQLite and gives '%' and '_' a meaning.
    sql += " AND substr(" + std::string(column) + ", 1, ?) = ?";
    params.emplace_back(static_cast<int64_t>(base::Utf8Length(value)));
    params.emplace_back(value);
  };
  if (!filter.actor.empty()) {
    sql += " AND actor = ?";
    params.emplace_back(filter.actor);
  }
  prefix("action", filter.action_prefix);
  prefix("target", filter.target_prefix);
  // Stored times all have the same form and zone, so text order is time order.
  if (filter.from_unix) {
    sql += " AND at >= ?";
    params.emplace_back(CstTimestamp(*filter.from_unix));
  }
  if (filter.to_unix) {
    sql += " AND at < ?";
    params.emplace_back(CstTimestamp(*filter.to_unix));
  }
  if (filter.result) {
    sql += " AND result = ?";
    params.emplace_back(AuditResultCode(*filter.result));
  }
  if (filter.before_id) {
    sql += " AND id < ?";
    params.emplace_back(*filter.before_id);
  }
}

}  // namespace

std::string_view AuditResultCode(AuditResult result) {
  switch (result) {
    case AuditResult::kOk:
      return "ok";
    case AuditResult::kDenied:
      return "denied";
    case AuditResult::kFailed:
      return "failed";
  }
  return "ok";
}

std::optional<AuditResult> AuditResultFromCode(std::string_view code) {
  for (AuditResult r : kResults) {
    if (AuditResultCode(r) == code) return r;
  }
  return std::nullopt;
}

base::Result<std::string> AuditChainHash(std::string_view prev_hash, const AuditEvent& event) {
  std::string message;
  message.reserve(64 + event.at.size() + event.actor.size() + event.action.size() +
                  event.target.size() + event.detail.size() + event.ip.size() + 48);
  AppendField(message, prev_hash);
  AppendField(message, std::to_string(event.id));
  AppendField(message, event.at);
  AppendField(message, event.actor);
  AppendField(message, event.action);
  AppendField(message, event.target);
  AppendField(message, event.detail);
  AppendField(message, event.ip);
  AppendField(message, AuditResultCode(event.result));
  GETIHU_ASSIGN_OR_RETURN(std::string digest, base::Sm3(message));
  return base::HexEncode(digest);
}

base::Result<int64_t> AuditRepository::Append(AuditEvent& event) {
  if (base::TrimSpaces(event.action).empty()) return base::InvalidArgument("审计动作不能为空");
  AuditEvent row = event;
  GETIHU_RETURN_IF_ERROR(RunInTransaction(db_, [&]() -> base::Status {
    if (std::string lock = AppendLockSql(db_.dialect(), kTable); !lock.empty()) {
      GETIHU_RETURN_IF_ERROR(db_.ExecuteScript(lock));
    }
    GETIHU_ASSIGN_OR_RETURN(row.prev_hash, ChainHead());
    GETIHU_ASSIGN_OR_RETURN(std::optional<int64_t> id,
                            db_.QueryInt(NextIdSql(db_.dialect(), kTable)));
    if (!id.has_value()) return base::Internal("无法取得新审计记录的编号");
    row.id = *id;
    row.at = CstTimestamp(clock_.NowUnixSeconds());
    GETIHU_ASSIGN_OR_RETURN(row.hash, AuditChainHash(row.prev_hash, row));
    return db_
        .Execute("INSERT INTO audit_log (" + std::string(kColumns) +
                     ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 {row.id, row.at, row.actor, row.action, row.target, row.detail, row.ip,
                  AuditResultCode(row.result), row.prev_hash, row.hash})
        .status();
  }));
  event = std::move(row);
  return event.id;
}

base::Result<std::string> AuditRepository::ChainHead() {
  GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<Statement> last,
                          db_.Prepare("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"));
  GETIHU_ASSIGN_OR_RETURN(bool any, last->Step());
  if (!any) return std::string();
  if (std::optional<std::string> hash = last->ColumnOptionalText(1)) return *hash;
  // The newest rows have no hash (legacy rows, or rows written around Append): fold them
  // into the chain from the last chained row, or from the start.
  GETIHU_ASSIGN_OR_RETURN(
      std::unique_ptr<Statement> chained,
      db_.Prepare(
          "SELECT id, hash FROM audit_log WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1"));
  GETIHU_ASSIGN_OR_RETURN(bool has_chain, chained->Step());
  std::string head = has_chain ? chained->ColumnText(1) : "";
  int64_t after_id = has_chain ? chained->ColumnInt(0) : kBeforeFirstId;
  GETIHU_RETURN_IF_ERROR(ScanFrom(db_, after_id, [&](const AuditEvent& e) -> base::Result<bool> {
    GETIHU_ASSIGN_OR_RETURN(head, AuditChainHash(head, e));
    return true;
  }));
  return head;
}

base::Result<AuditPage> AuditRepository::List(const AuditFilter& filter) {
  if (filter.limit < 1 || filter.limit > kMaxAuditPage) {
    return base::InvalidArgument("每页审计记录条数应在 1 至 " + std::to_string(kMaxAuditPage) +
                                 " 之间");
  }
  std::string sql = "SELECT " + std::string(kColumns) + " FROM audit_log WHERE 1 = 1";
  std::vector<Value> params;
  AddConditions(filter, sql, params);
  sql += " ORDER BY id DESC LIMIT ?";
  params.emplace_back(static_cast<int64_t>(filter.limit) + 1);  // one more: is there a next page?
  GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<Statement> stmt, db_.Prepare(sql));
  GETIHU_RETURN_IF_ERROR(stmt->BindAll(params));
  AuditPage page;
  for (;;) {
    GETIHU_ASSIGN_OR_RETURN(bool more, stmt->Step());
    if (!more) break;
    GETIHU_ASSIGN_OR_RETURN(AuditEvent event, ReadEvent(*stmt));
    page.events.push_back(std::move(event));
  }
  if (page.events.size() > static_cast<size_t>(filter.limit)) {
    page.events.pop_back();
    page.next_before_id = page.events.back().id;
  }
  return page;
}

base::Result<AuditVerification> AuditRepository::Verify() {
  AuditVerification v;
  std::string prev;  // the chain hash so far: "" before the first row
  bool chained = false;
  auto check = [&](const AuditEvent& e) -> base::Result<bool> {
    ++v.checked;
    GETIHU_ASSIGN_OR_RETURN(std::string expected, AuditChainHash(prev, e));
    if (e.hash.empty() && !chained) {  // a legacy row: no hash of its own, folded in
      ++v.legacy;
      prev = std::move(expected);
      return true;
    }
    v.problem = e.hash.empty()        ? AuditBreak::kUnchained
                : e.prev_hash != prev ? AuditBreak::kUnlinked
                : e.hash != expected  ? AuditBreak::kAltered
                                      : AuditBreak::kNone;
    if (v.problem != AuditBreak::kNone) {
      v.first_broken_id = e.id;
      return false;
    }
    chained = true;
    prev = e.hash;
    return true;
  };
  GETIHU_RETURN_IF_ERROR(ScanFrom(db_, kBeforeFirstId, check));
  if (v.intact()) v.head_hash = std::move(prev);
  return v;
}

}  // namespace getihu::storage
