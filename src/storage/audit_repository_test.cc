#include "storage/audit_repository.h"

#include <gtest/gtest.h>

#include <memory>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "storage/migrations.h"
#include "storage/sqlite/sqlite_database.h"
#include "storage/testing/backend_test.h"

namespace getihu::storage::testing {
namespace {

using base::StatusCode;

AuditEvent Event(std::string actor, std::string action, std::string target,
                 std::string detail = "{}") {
  AuditEvent e;
  e.actor = std::move(actor);
  e.action = std::move(action);
  e.target = std::move(target);
  e.detail = std::move(detail);
  return e;
}

std::vector<int64_t> Ids(const base::Result<AuditPage>& page) {
  EXPECT_TRUE(page.ok()) << page.status().ToString();
  std::vector<int64_t> ids;
  if (page.ok()) {
    for (const AuditEvent& e : page->events) ids.push_back(e.id);
  }
  return ids;
}

// Appends `n` events "tier.run" on run:1 … run:n and returns their ids.
std::vector<int64_t> AppendRuns(Database& db, const base::Clock& clock, int n) {
  AuditRepository audit(db, clock);
  std::vector<int64_t> ids;
  for (int i = 1; i <= n; ++i) {
    AuditEvent e = Event("分型员", "tier.run", "run:" + std::to_string(i));
    auto id = audit.Append(e);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    ids.push_back(id.ok() ? *id : 0);
  }
  return ids;
}

// What someone with the database owner's rights could do: take away the append-only guard.
void DropAppendOnlyTriggers(Database& db) {
  base::Status dropped =
      db.ExecuteScript(db.dialect() == Dialect::kSqlite
                           ? "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
                           : "DROP TRIGGER audit_log_no_update_or_delete ON audit_log;");
  ASSERT_TRUE(dropped.ok()) << dropped.ToString();
}

AuditVerification Verified(Database& db, const base::Clock& clock) {
  auto v = AuditRepository(db, clock).Verify();
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? *v : AuditVerification{};
}

TEST_P(AuditRepositoryTest, AppendSetsIdTimeAndTheChain) {
  AuditRepository audit(db(), clock());
  AuditEvent first = Event("分型员", "tier.run", "run:1");
  AuditEvent second = Event("李四", "tier.objection.file", "household:7");
  second.ip = "10.0.0.8";
  second.result = AuditResult::kDenied;
  ASSERT_TRUE(audit.Append(first).ok());
  ASSERT_TRUE(audit.Append(second).ok());
  EXPECT_LT(first.id, second.id);
  EXPECT_EQ(first.at, CstTimestamp(kNow));
  EXPECT_EQ(first.prev_hash, "");
  EXPECT_EQ(first.hash.size(), 64u);
  EXPECT_EQ(second.prev_hash, first.hash);
  EXPECT_EQ(*AuditChainHash(first.hash, second), second.hash);

  auto page = audit.List({});
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->events.size(), 2u);
  const AuditEvent& stored = page->events[0];
  EXPECT_EQ(stored.id, second.id);
  EXPECT_EQ(stored.ip, "10.0.0.8");
  EXPECT_EQ(stored.result, AuditResult::kDenied);
  EXPECT_EQ(stored.prev_hash, first.hash);
  EXPECT_EQ(stored.hash, second.hash);
  EXPECT_FALSE(page->next_before_id.has_value());
}

TEST_P(AuditRepositoryTest, RefusesAnEventWithoutAction) {
  AuditRepository audit(db(), clock());
  AuditEvent nameless = Event("x", " ", "run:1");
  EXPECT_EQ(audit.Append(nameless).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM audit_log"), 0);
}

TEST_P(AuditRepositoryTest, ListsNewestFirstByTargetPrefix) {
  AuditRepository audit(db(), clock());
  std::vector<AuditEvent> events = {
      Event("分型员", "tier.run", "run:1"), Event("李四", "tier.objection.file", "run:12"),
      Event("王科长", "tier.objection.decide", "household:7", R"({"decision": "reject"})"),
      Event("分型员", "tier.run", "run_%:x")};
  for (AuditEvent& e : events) ASSERT_TRUE(audit.Append(e).ok());

  auto runs = audit.List({.target_prefix = "run:"});
  ASSERT_TRUE(runs.ok()) << runs.status().ToString();
  ASSERT_EQ(runs->events.size(), 2u);
  EXPECT_EQ(runs->events[0].target, "run:12");
  EXPECT_EQ(runs->events[0].actor, "李四");
  EXPECT_EQ(runs->events[1].target, "run:1");
  EXPECT_EQ(Ids(audit.List({})).size(), 4u);
  EXPECT_EQ(Ids(audit.List({.limit = 1})), std::vector<int64_t>{events[3].id});
  EXPECT_TRUE(Ids(audit.List({.target_prefix = "RUN:"})).empty());  // case matters everywhere
  EXPECT_EQ(Ids(audit.List({.target_prefix = "run_%"})), std::vector<int64_t>{events[3].id});
  auto decided = audit.List({.target_prefix = "household:7"});
  ASSERT_EQ(decided->events.size(), 1u);
  EXPECT_EQ(decided->events[0].detail, R"({"decision": "reject"})");
}

TEST_P(AuditRepositoryTest, FiltersByActorActionTimeAndResult) {
  base::FixedClock later_clock(kNow + 3600);
  AuditRepository now(db(), clock()), later(db(), later_clock);
  AuditEvent a = Event("分型员", "tier.run", "run:1");
  AuditEvent b = Event("分型员", "user.login", "user:分型员");
  b.result = AuditResult::kFailed;
  AuditEvent c = Event("王科长", "tier.objection.decide", "objection:1");
  AuditEvent d = Event("王科长", "tier.rerun", "run:2");
  d.result = AuditResult::kDenied;
  ASSERT_TRUE(now.Append(a).ok() && now.Append(b).ok());
  ASSERT_TRUE(later.Append(c).ok() && later.Append(d).ok());

  EXPECT_EQ(Ids(now.List({.actor = "王科长"})), (std::vector<int64_t>{d.id, c.id}));
  EXPECT_TRUE(Ids(now.List({.actor = "王"})).empty());  // the actor matches whole
  EXPECT_EQ(Ids(now.List({.action_prefix = "tier."})), (std::vector<int64_t>{d.id, c.id, a.id}));
  EXPECT_EQ(Ids(now.List({.action_prefix = "tier.r"})), (std::vector<int64_t>{d.id, a.id}));
  EXPECT_EQ(Ids(now.List({.from_unix = kNow + 1})), (std::vector<int64_t>{d.id, c.id}));
  EXPECT_EQ(Ids(now.List({.to_unix = kNow + 3600})), (std::vector<int64_t>{b.id, a.id}));
  EXPECT_EQ(Ids(now.List({.from_unix = kNow, .to_unix = kNow + 1})),
            (std::vector<int64_t>{b.id, a.id}));
  EXPECT_EQ(Ids(now.List({.result = AuditResult::kDenied})), std::vector<int64_t>{d.id});
  EXPECT_EQ(Ids(now.List({.actor = "分型员", .result = AuditResult::kOk})),
            std::vector<int64_t>{a.id});
}

TEST_P(AuditRepositoryTest, PagesWithACursor) {
  AuditRepository audit(db(), clock());
  for (int i = 0; i < 25; ++i) {
    AuditEvent e = Event("分型员", "tier.run", "run:" + std::to_string(i));
    ASSERT_TRUE(audit.Append(e).ok());
  }
  std::vector<int64_t> seen;
  AuditFilter filter{.limit = 10};
  std::vector<size_t> sizes;
  for (;;) {
    auto page = audit.List(filter);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    sizes.push_back(page->events.size());
    for (const AuditEvent& e : page->events) seen.push_back(e.id);
    if (!page->next_before_id) break;
    filter.before_id = page->next_before_id;
  }
  EXPECT_EQ(sizes, (std::vector<size_t>{10, 10, 5}));
  ASSERT_EQ(seen.size(), 25u);
  for (size_t i = 1; i < seen.size(); ++i) EXPECT_GT(seen[i - 1], seen[i]);

  EXPECT_EQ(audit.List({.limit = 0}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(audit.List({.limit = kMaxAuditPage + 1}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(audit.List({.limit = kMaxAuditPage}).ok());
}

TEST_P(AuditRepositoryTest, TheDatabaseRefusesUpdateAndDelete) {
  AuditRepository audit(db(), clock());
  AuditEvent e = Event("分型员", "tier.run", "run:1");
  ASSERT_TRUE(audit.Append(e).ok());
  auto updated = db().Execute("UPDATE audit_log SET actor = '别人'");
  ASSERT_FALSE(updated.ok());
  EXPECT_EQ(updated.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(updated.status().message().find("审计日志只能追加"), std::string::npos)
      << updated.status().message();
  EXPECT_FALSE(db().Execute("DELETE FROM audit_log WHERE id = ?", {e.id}).ok());
  if (db().dialect() == Dialect::kPostgres) {
    EXPECT_FALSE(db().ExecuteScript("TRUNCATE audit_log").ok());
  }
  EXPECT_EQ(Int("SELECT COUNT(*) FROM audit_log WHERE actor = '分型员'"), 1);
  EXPECT_TRUE(Verified(db(), clock()).intact());
}

TEST_P(AuditRepositoryTest, VerifiesAnEmptyAndAnIntactLog) {
  AuditRepository audit(db(), clock());
  auto empty = audit.Verify();
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_TRUE(empty->intact());
  EXPECT_EQ(empty->checked, 0);
  EXPECT_EQ(empty->head_hash, "");

  AuditEvent last;
  for (int i = 0; i < 12; ++i) {
    last = Event("分型员", "tier.run", "run:" + std::to_string(i),
                 "{\"n\": " + std::to_string(i) + "}");
    ASSERT_TRUE(audit.Append(last).ok());
  }
  auto full = audit.Verify();
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  EXPECT_TRUE(full->intact());
  EXPECT_EQ(full->checked, 12);
  EXPECT_EQ(full->legacy, 0);
  EXPECT_EQ(full->problem, AuditBreak::kNone);
  EXPECT_EQ(full->head_hash, last.hash);
}

TEST_P(AuditRepositoryTest, VerifyFindsAnEditedRow) {
  std::vector<int64_t> ids = AppendRuns(db(), clock(), 5);
  DropAppendOnlyTriggers(db());
  ASSERT_TRUE(
      db().Execute("UPDATE audit_log SET detail = '{\"forged\": 1}' WHERE id = ?", {ids[2]}).ok());
  AuditVerification v = Verified(db(), clock());
  EXPECT_FALSE(v.intact());
  EXPECT_EQ(v.first_broken_id, ids[2]);
  EXPECT_EQ(v.problem, AuditBreak::kAltered);
  EXPECT_EQ(v.checked, 3);
  EXPECT_EQ(v.head_hash, "");
}

TEST_P(AuditRepositoryTest, VerifyFindsARowDeletedFromTheMiddle) {
  std::vector<int64_t> ids = AppendRuns(db(), clock(), 5);
  DropAppendOnlyTriggers(db());
  ASSERT_TRUE(db().Execute("DELETE FROM audit_log WHERE id = ?", {ids[1]}).ok());
  AuditVerification v = Verified(db(), clock());
  EXPECT_EQ(v.first_broken_id, ids[2]);
  EXPECT_EQ(v.problem, AuditBreak::kUnlinked);
}

TEST_P(AuditRepositoryTest, VerifyFindsReorderedRows) {
  std::vector<int64_t> ids = AppendRuns(db(), clock(), 4);
  DropAppendOnlyTriggers(db());
  // Swap rows 2 and 3 by their ids.
  ASSERT_TRUE(db().Execute("UPDATE audit_log SET id = -1 WHERE id = ?", {ids[1]}).ok());
  ASSERT_TRUE(db().Execute("UPDATE audit_log SET id = ? WHERE id = ?", {ids[1], ids[2]}).ok());
  ASSERT_TRUE(db().Execute("UPDATE audit_log SET id = ? WHERE id = -1", {ids[2]}).ok());
  AuditVerification v = Verified(db(), clock());
  EXPECT_EQ(v.first_broken_id, ids[1]);
  EXPECT_EQ(v.problem, AuditBreak::kUnlinked);
}

TEST_P(AuditRepositoryTest, VerifyFindsARowWrittenAroundAppend) {
  std::vector<int64_t> ids = AppendRuns(db(), clock(), 2);
  auto stray =
      db().QueryInt("INSERT INTO audit_log (at, actor, action) VALUES (?, ?, ?) RETURNING id",
                    {CstTimestamp(kNow), "某人", "tier.run"});
  ASSERT_TRUE(stray.ok() && stray->has_value()) << stray.status().ToString();
  EXPECT_GT(**stray, ids[1]);
  AppendRuns(db(), clock(), 1);  // still appends, linked after the stray row
  AuditVerification v = Verified(db(), clock());
  EXPECT_EQ(v.first_broken_id, **stray);
  EXPECT_EQ(v.problem, AuditBreak::kUnchained);
}

TEST_P(AuditRepositoryTest, RowsFromBeforeTheChainAreAnchoredByTheFirstChainedRow) {
  // Rows as an older Getihu wrote them: no ip, result or hashes.
  for (int i = 1; i <= 2; ++i) {
    ASSERT_TRUE(db().Execute("INSERT INTO audit_log (at, actor, action, target, detail)"
                             " VALUES (?, '分型员', 'tier.run', ?, '{}')",
                             {CstTimestamp(kNow - 86400), "run:" + std::to_string(i)})
                    .ok());
  }
  AuditVerification before = Verified(db(), clock());
  EXPECT_TRUE(before.intact());
  EXPECT_EQ(before.legacy, 2);
  EXPECT_EQ(before.head_hash.size(), 64u);
  AuditEvent first = Event("分型员", "tier.run", "run:3");
  ASSERT_TRUE(AuditRepository(db(), clock()).Append(first).ok());
  EXPECT_EQ(first.prev_hash, before.head_hash);
  AppendRuns(db(), clock(), 1);
  AuditVerification after = Verified(db(), clock());
  EXPECT_TRUE(after.intact());
  EXPECT_EQ(after.checked, 4);
  EXPECT_EQ(after.legacy, 2);

  // An edit of a legacy row shows at the first chained row, which anchored them.
  DropAppendOnlyTriggers(db());
  ASSERT_TRUE(db().Execute("UPDATE audit_log SET actor = '别人' WHERE target = 'run:1' AND hash"
                           " IS NULL")
                  .ok());
  AuditVerification edited = Verified(db(), clock());
  EXPECT_EQ(edited.first_broken_id, first.id);
  EXPECT_EQ(edited.problem, AuditBreak::kUnlinked);
}

TEST_P(AuditRepositoryTest, ARolledBackAppendLeavesTheChainIntact) {
  AuditRepository audit(db(), clock());
  AppendRuns(db(), clock(), 1);
  {
    auto tx = Transaction::Begin(db());
    ASSERT_TRUE(tx.ok());
    AuditEvent e = Event("分型员", "tier.run", "run:lost");
    ASSERT_TRUE(audit.Append(e).ok());
    ASSERT_TRUE(tx->Rollback().ok());
  }
  AppendRuns(db(), clock(), 1);
  AuditVerification v = Verified(db(), clock());
  EXPECT_TRUE(v.intact());
  EXPECT_EQ(v.checked, 2);
}

TEST_P(AuditRepositoryTest, ConcurrentAppendersKeepOneChain) {
  constexpr int kWriters = 3;
  constexpr int kEach = 25;
  std::vector<std::unique_ptr<Database>> connections;
  for (int i = 0; i < kWriters; ++i) {
    auto other = GetParam()->OpenAnother();
    if (!other) GTEST_SKIP() << "this backend has no second connection";
    ASSERT_TRUE(other->ok()) << other->status().ToString();
    connections.push_back(std::move(**other));
  }
  std::vector<std::thread> writers;
  std::vector<base::Status> failures(kWriters);
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      AuditRepository audit(*connections[w], clock());
      for (int i = 0; i < kEach && failures[w].ok(); ++i) {
        AuditEvent e = Event("writer" + std::to_string(w), "tier.run", "run:" + std::to_string(i));
        failures[w] = audit.Append(e).status();
      }
    });
  }
  for (std::thread& t : writers) t.join();
  for (const base::Status& s : failures) EXPECT_TRUE(s.ok()) << s.ToString();
  AuditVerification v = Verified(db(), clock());
  EXPECT_TRUE(v.intact()) << "broken at " << v.first_broken_id.value_or(0);
  EXPECT_EQ(v.checked, kWriters * kEach);
}

// An audit log written by a Getihu before migration 0008 keeps its rows, which become the
// legacy prefix that the first chained row anchors.
TEST(AuditMigrationTest, OlderRowsBecomeTheAnchoredLegacyPrefix) {
  base::FixedClock clock(1719792000);
  auto db = OpenSqlite(":memory:");
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  std::span<const Migration> all = BuiltinMigrations();
  ASSERT_GE(all.size(), 8u);
  ASSERT_EQ(all[7].name, "audit_chain");
  ASSERT_TRUE(ApplyMigrations(**db, all.first(7), clock).ok());
  for (int i = 1; i <= 2; ++i) {
    ASSERT_TRUE(
        (*db)
            ->Execute("INSERT INTO audit_log (at, actor, action, target, detail)"
                      " VALUES ('2024-06-30T08:00:00+08:00', '分型员', 'tier.run', ?, '{}')",
                      {"run:" + std::to_string(i)})
            .ok());
  }
  base::Status migrated = (*db)->Migrate(clock);
  ASSERT_TRUE(migrated.ok()) << migrated.ToString();

  AuditRepository audit(**db, clock);
  auto old_rows = audit.List({});
  ASSERT_TRUE(old_rows.ok());
  ASSERT_EQ(old_rows->events.size(), 2u);
  EXPECT_EQ(old_rows->events[0].ip, "");
  EXPECT_EQ(old_rows->events[0].result, AuditResult::kOk);
  EXPECT_EQ(old_rows->events[0].hash, "");
  AuditEvent e = Event("分型员", "tier.rerun", "run:3");
  ASSERT_TRUE(audit.Append(e).ok());
  auto v = audit.Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->intact());
  EXPECT_EQ(v->checked, 3);
  EXPECT_EQ(v->legacy, 2);
  EXPECT_EQ(v->head_hash, e.hash);
  EXPECT_FALSE((*db)->Execute("DELETE FROM audit_log").ok());
}

}  // namespace
}  // namespace getihu::storage::testing
