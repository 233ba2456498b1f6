// The audit log (操作日志): who did what to which target, when, from where and with what
// result (../shared/domain §9.1). It is append-only — the schema refuses UPDATE and DELETE —
// and tamper-evident: each row stores the SM3 hash of the row before it and its own, so that
// Verify finds a row that was edited, removed from the middle or moved. The hash encoding and
// the treatment of rows written before the chain existed are in docs/schema.md (audit_log).
//
// Operates on a Database& that must outlive it; thread-compatible like the Database. Appenders
// on different connections or processes are serialized by Append, so the chain never forks.
#ifndef GETIHU_STORAGE_AUDIT_REPOSITORY_H_
#define GETIHU_STORAGE_AUDIT_REPOSITORY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "storage/database.h"

namespace getihu::storage {

// Whether the audited action went through (等保: "success or failure").
enum class AuditResult { kOk, kDenied, kFailed };

// The stored codes: "ok", "denied" (refused by a permission or scope check), "failed" (allowed
// but it did not succeed).
std::string_view AuditResultCode(AuditResult result);
// The result with that code; nullopt for any other text.
std::optional<AuditResult> AuditResultFromCode(std::string_view code);

struct AuditEvent {
  int64_t id = 0;           // set by Append
  std::string at = "";      // set by Append (China Standard Time, ISO 8601)
  std::string actor = "";   // a user name, or the operator's name given to the command line
  std::string action = "";  // e.g. "tier.run", "tier.objection.file", "user.login"
  std::string target = "";  // e.g. "run:12", "household:91350…"
  std::string detail = "";  // JSON text
  std::string ip = "";      // the client's address; "" from the command line
  AuditResult result = AuditResult::kOk;  // whether the action went through
  std::string prev_hash = "";  // set by Append: the previous row's hash; "" for the first row
  std::string hash = "";       // set by Append: 64 hex digits; "" for a legacy row
};

// The largest page List returns.
inline constexpr int kMaxAuditPage = 1000;

// Which events List returns; every condition set must hold. Prefixes match from the first
// character, case-sensitively, with no wildcards.
struct AuditFilter {
  std::string actor = "";                            // exactly this actor; "" for any
  std::string action_prefix = "";                    // e.g. "tier." ; "" for any
  std::string target_prefix = "";                    // e.g. "run:" ; "" for any
  std::optional<int64_t> from_unix = std::nullopt;   // at or after this instant
  std::optional<int64_t> to_unix = std::nullopt;     // strictly before this instant
  std::optional<AuditResult> result = std::nullopt;  // only this result
  std::optional<int64_t> before_id = std::nullopt;   // cursor: only ids below it (the next page)
  int limit = 100;                                   // 1 to kMaxAuditPage
};

struct AuditPage {
  std::vector<AuditEvent> events;  // newest (highest id) first
  // The before_id of the next page; nullopt when there are no more matching events.
  std::optional<int64_t> next_before_id;
};

// How the chain was found broken.
enum class AuditBreak {
  kNone,
  kAltered,    // the row's fields no longer give its stored hash: it was edited
  kUnlinked,   // its prev_hash is not the hash before it: a row was removed, added or moved
  kUnchained,  // it has no hash but follows chained rows: it was written around Append
};

struct AuditVerification {
  int64_t checked = 0;  // rows read in id order, up to and including the first broken one
  int64_t legacy = 0;   // of those, rows from before the chain (anchored, see docs/schema.md)
  std::optional<int64_t> first_broken_id;  // nullopt when the chain is intact
  AuditBreak problem = AuditBreak::kNone;
  std::string head_hash;  // when intact: the last row's chain hash ("" for an empty log)

  bool intact() const { return !first_broken_id.has_value(); }
};

class AuditRepository {
 public:
  // `clock` stamps the events; both must outlive the repository.
  AuditRepository(Database& db, const base::Clock& clock) : db_(db), clock_(clock) {}

  // Appends the event: sets id, at, prev_hash and hash, returns the id. Runs in the open
  // transaction or its own; the transaction becomes the only appender until it ends (on
  // PostgreSQL a SHARE ROW EXCLUSIVE lock on audit_log, on SQLite the write lock), so append
  // last, just before committing. InvalidArgument when action is empty.
  // REQUIRES: an open transaction is READ COMMITTED on PostgreSQL (the default).
  base::Result<int64_t> Append(AuditEvent& event);

  // The events matching `filter`, newest first, at most filter.limit of them, with the cursor
  // of the next page. InvalidArgument when the limit is outside 1..kMaxAuditPage.
  base::Result<AuditPage> List(const AuditFilter& filter);

  // Walks the whole log in id order, page by page, recomputing every hash; stops at the first
  // broken row. Rows appended while it runs are checked if it reaches them. Removing the
  // newest rows cannot be seen from the log alone: compare head_hash with a value recorded
  // earlier (docs/operations.md).
  base::Result<AuditVerification> Verify();

 private:
  // The chain hash the next appended row must link to.
  base::Result<std::string> ChainHead();

  Database& db_;
  const base::Clock& clock_;
};

// The chain hash of `event` after `prev_hash`: hex SM3 of the length-prefixed fields (the
// encoding in docs/schema.md). Exposed for Verify's tests and for external checkers.
base::Result<std::string> AuditChainHash(std::string_view prev_hash, const AuditEvent& event);

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_AUDIT_REPOSITORY_H_
