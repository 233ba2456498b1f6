#include "storage/copy_database.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "storage/migrations.h"
#include "storage/postgres/postgres_database.h"
#include "storage/sqlite/sqlite_database.h"

namespace getihu::storage {
namespace {

using base::StatusCode;

// Every character COPY's text format escapes, its end-of-data marker "\." on a line of its
// own, a literal "\N", quotes and Chinese.
constexpr std::string_view kHardText = "巴南区\t“引号”\n\\.\n第二行\r\\N 反斜杠\\ 'a' \"b\"";
const std::string kSha(64, 'a');

TEST(CopyEscapeTest, EscapesBackslashTabNewlineAndCarriageReturn) {
  EXPECT_EQ(CopyEscape("a\tb\\c\nd\re"), "a\\tb\\\\c\\nd\\re");
  EXPECT_EQ(CopyEscape("\\N"), "\\\\N");
  EXPECT_EQ(CopyEscape("巴南区 花溪街道"), "巴南区 花溪街道");
  EXPECT_EQ(CopyEscape(""), "");
}

std::unique_ptr<Database> MigratedMemoryDb() {
  auto db = OpenSqlite(":memory:");
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  base::Status migrated = (*db)->Migrate();
  EXPECT_TRUE(migrated.ok()) << migrated.ToString();
  return std::move(*db);
}

std::vector<std::string> Texts(Database& db, std::string_view sql) {
  std::vector<std::string> out;
  auto stmt = db.Prepare(sql);
  EXPECT_TRUE(stmt.ok()) << stmt.status().ToString();
  if (!stmt.ok()) return out;
  while (true) {
    auto row = (*stmt)->Step();
    EXPECT_TRUE(row.ok()) << row.status().ToString();
    if (!row.ok() || !*row) break;
    out.push_back((*stmt)->ColumnText(0));
  }
  return out;
}

// Adding a table to a migration without adding it to the copy would lose its rows.
TEST(CopyTablesTest, ListEveryTableOfTheSchemaOnce) {
  auto db = MigratedMemoryDb();
  std::vector<std::string> schema =
      Texts(*db,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'schema_migrations'"
            " AND name NOT LIKE 'sqlite%' ORDER BY name");
  std::vector<std::string> copied(CopiedTables().begin(), CopiedTables().end());
  std::sort(copied.begin(), copied.end());
  EXPECT_EQ(copied, schema);
}

TEST(CopyTablesTest, ParentsComeBeforeTheTablesThatReferToThem) {
  auto db = MigratedMemoryDb();
  std::set<std::string> done;
  for (std::string_view table : CopiedTables()) {
    done.insert(std::string(table));
    for (const std::string& parent : Texts(
             *db, "SELECT \"table\" FROM pragma_foreign_key_list('" + std::string(table) + "')")) {
      EXPECT_TRUE(done.contains(parent)) << table << " refers to " << parent << ", copied later";
    }
  }
}

// One statement per table and row; two rows where an id gap or a self-reference matters.
const std::vector<std::pair<std::string, std::vector<Value>>>& FillStatements() {
  static const auto* statements = new std::vector<std::pair<std::string, std::vector<Value>>>{
      {"INSERT INTO batches VALUES (1, 'registration', ?, ?, NULL, '2024-06-30', 'committed', 3,"
       " 1, '2024-07-01T08:00:00+08:00', '测试员', NULL)",
       {kHardText, kSha}},
      {"INSERT INTO batches VALUES (5, 'tax', 'tax.csv', ?, '2024', NULL, 'failed', 0, 0,"
       " '2024-07-02T08:00:00+08:00', '测试员', ?)",
       {std::string(64, 'b'), kHardText}},
      {"INSERT INTO rejects VALUES (3, 1, 7, NULL, ?, ?, 'invalid_uscc')", {kHardText, kHardText}},
      {"INSERT INTO households VALUES (1, '92500113MA5U000001', NULL, ?, '张三', NULL, NULL,"
       " '500113', NULL, ?, 'F5261', '2019-03-01', 'active', '2019-03-01', NULL, 'individual', 0,"
       " 1, 5, NULL, NULL)",
       {kHardText, kHardText}},
      // A sealed ID number (field_cipher.h) with its lookup hash: copied as stored.
      {"INSERT INTO households VALUES (8, '92500113MA5U000002', '500113600012345', NULL, '李四',"
       " ?, '13800000000', '500113', '500113005', NULL, '5812', '2015-01-01',"
       " 'converted', '2023-05-01', '91500113MA5U00000X', 'family', 1, 1, 1, ?, NULL)",
       {"sm4:" + std::string(92, 'e'), std::string(64, 'd')}},
      {"INSERT INTO household_status_history VALUES (1, '2019-03-01', 'established', 'active', 1)",
       {}},
      {"INSERT INTO owner_attributes VALUES (1, 'veteran', 1, 1)", {}},
      {"INSERT INTO annual_reports VALUES (1, 2023, 12345600, NULL, 3, NULL, 1, 5)", {}},
      {"INSERT INTO tax_records VALUES (1, 2023, 100, NULL, 'B', 1)", {}},
      {"INSERT INTO social_insurance VALUES (1, '2024-05', 2, 1)", {}},
      {"INSERT INTO housing_fund VALUES (1, '2024', 1, 1)", {}},
      {"INSERT INTO loans VALUES (1, ?, '重庆农商行', '2024-01-02', 5000000, 1, NULL, 1)",
       {kHardText}},
      {"INSERT INTO annual_reports_superseded VALUES (1, 2023, 1, NULL, NULL, NULL, NULL, 1, 5)",
       {}},
      {"INSERT INTO tax_records_superseded VALUES (1, 2023, 50, 60, NULL, 1, 5)", {}},
      {"INSERT INTO social_insurance_superseded VALUES (1, '2024-05', 1, 1, 5)", {}},
      {"INSERT INTO housing_fund_superseded VALUES (1, '2024', 0, 1, 5)", {}},
      {"INSERT INTO loans_superseded VALUES (1, 'HT-1', '银行', '2024-01-02', 1, 0, NULL, 1, 5)",
       {}},
      {"INSERT INTO penalties VALUES (1, ?, '2023-01-05', 'fine', 20000, NULL, '2023-06-01', 1,"
       " 5)",
       {kHardText}},
      {"INSERT INTO abnormal_marks VALUES (1, '2022-07-01', 'unreachable', NULL, 1, NULL)", {}},
      {"INSERT INTO dishonest_debtors VALUES (1, '(2023)渝0113执1号', '巴南区人民法院',"
       " '2023-02-01', NULL, 1, NULL)",
       {}},
      {"INSERT INTO safety_accidents VALUES (1, '2021-09-09', 'ordinary', ?, 1)", {kHardText}},
      {"INSERT INTO honours VALUES (1, 'rated_homestay', 'city', NULL, '2020-01-01', NULL, ?, 1)",
       {kHardText}},
      {"INSERT INTO intellectual_property VALUES (1, 'trademark', '12345678', ?, '2018-05-05',"
       " NULL, 1)",
       {kHardText}},
      {"INSERT INTO tier_runs VALUES (2, 'default-tiering', '2024.1', ?, ?, '{}', '2024-07-01', '',"
       " NULL, '测试员', '2024-07-01T09:00:00+08:00', '', 2, 0, 1, 1, 0, 0.1)",
       {kSha, kHardText}},
      {"INSERT INTO tier_runs VALUES (3, 'default-tiering', '2024.1', ?, 'x', '{\"a\": 1}',"
       " '2024-07-01', '500113', 2, '测试员', '2024-07-02T09:00:00+08:00', ?, 2, 0, 0, 2, 0, 1.5)",
       {kSha, kHardText}},
      {"INSERT INTO tier_run_reasons VALUES (2, 1, ?, 1)", {kHardText}},
      {"INSERT INTO tier_results VALUES (2, 1, 1, 4, 5, 0, 0)", {}},
      {"INSERT INTO tier_results VALUES (2, 8, 2, 2, 0, 4294967295, 0)", {}},
      {"INSERT INTO tier_objections VALUES (4, 2, 1, '经营者', '2024-07-03T10:00:00+08:00', ?, 2,"
       " 'accepted', 'override', 2, ?, '李', '2024-07-04T10:00:00+08:00', NULL)",
       {kHardText, kHardText}},
      {"INSERT INTO tier_objections VALUES (6, 2, 8, '经营者', '2024-07-03T10:00:00+08:00', 'x',"
       " NULL, 'open', 'none', NULL, '', '', NULL, NULL)",
       {}},
      {"INSERT INTO audit_log VALUES (9, '2024-07-04T10:00:00+08:00', '李',"
       " 'tier.objection.decide', 'run:2', ?, '10.1.2.3', 'denied', '', ?)",
       {kHardText, kSha}},
      {"INSERT INTO departments VALUES (3, 'tax', ?, 'tax,loan')", {kHardText}},
      {"INSERT INTO users VALUES (7, 'zhang.ke', ?, 'department', '500113', 3, NULL, 1,"
       " '$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA', 1719792000, 0, 2, 1719795600, 0,"
       " '2024-07-01T08:00:00+08:00', NULL)",
       {kHardText}},
      {"INSERT INTO password_history VALUES (7, '$argon2id$v=19$old', 1719792000)", {}},
      {"INSERT INTO notifications VALUES (5, 'sms', 'login_code', '92500113MA5U7ABC1X', NULL,"
       " '', ?, 1, NULL, 'sent', 1, '2024-07-04T10:00:00+08:00', '2024-07-04T10:00:01+08:00',"
       " NULL, NULL)",
       {kHardText}},
      {"INSERT INTO notifications VALUES (6, 'in_app', 'objection.decided', NULL, 7, ?, 'x', 0,"
       " 'objection:4', 'pending', 0, '2024-07-04T10:00:00+08:00', NULL, NULL, ?)",
       {kHardText, kHardText}},
      {"INSERT INTO parameters VALUES ('objection.window_days', '20', '李',"
       " '2024-07-04T10:00:00+08:00')",
       {}},
      {"INSERT INTO stats_targets VALUES ('500113', 2024, 'activity', 72.5, ?,"
       " '2024-07-04T10:00:00+08:00')",
       {kHardText}},
      {"INSERT INTO stats_targets VALUES ('', 2024, 'households', 1000000, '', 'x')", {}},
      {"INSERT INTO township_groups VALUES ('500113005', '500113', ?, '李',"
       " '2024-07-04T10:00:00+08:00')",
       {kHardText}},
      {"INSERT INTO data_key VALUES (1, ?, '2024-07-04T10:00:00+08:00')", {kSha}},
      {"INSERT INTO objection_attachments VALUES (3, 4, ?, 'image/png', 4, ?, 'iVBORw==',"
       " '经营者', '2024-07-04T10:00:00+08:00')",
       {kHardText, kSha}},
  };
  return *statements;
}

// A table's rows as text, sorted, NULL as "∅"; doubles in shortest exact form so that both
// backends print them alike. `columns` are the (name, declared type) of the SQLite source.
std::vector<std::vector<std::string>> Dump(
    Database& db, std::string_view table,
    const std::vector<std::pair<std::string, std::string>>& columns) {
  std::string sql = "SELECT ";
  for (size_t i = 0; i < columns.size(); ++i) {
    sql += (i ? ", \"" : "\"") + columns[i].first + "\"";
  }
  auto stmt = db.Prepare(sql + " FROM " + std::string(table));
  EXPECT_TRUE(stmt.ok()) << stmt.status().ToString();
  std::vector<std::vector<std::string>> rows;
  while (stmt.ok() && *(*stmt)->Step()) {
    std::vector<std::string>& row = rows.emplace_back();
    for (size_t i = 0; i < columns.size(); ++i) {
      int c = static_cast<int>(i);
      if ((*stmt)->ColumnIsNull(c)) {
        row.push_back("∅");
      } else if (columns[i].second.starts_with("DOUBLE")) {
        char buf[32];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, (*stmt)->ColumnDouble(c));
        row.emplace_back(buf, end);
      } else {
        row.push_back((*stmt)->ColumnText(c));
      }
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

enum class Target { kSqliteMemory, kPostgres };

void PrintTo(Target target, std::ostream* os) {
  *os << (target == Target::kPostgres ? "ToPostgres" : "ToSqliteMemory");
}

std::optional<std::string> TestConninfo() {
  const char* conninfo = std::getenv("GETIHU_TEST_PG");
  if (conninfo == nullptr || *conninfo == '\0') return std::nullopt;
  return std::string(conninfo);
}

// The source is a SQLite file holding a row in every table; the target a fresh database of
// the parameter's backend (PostgreSQL: a schema of its own in GETIHU_TEST_PG), not migrated.
class CopyDatabaseTest : public ::testing::TestWithParam<Target> {
 protected:
  void SetUp() override {
    if (GetParam() == Target::kPostgres && !TestConninfo()) {
      GTEST_SKIP() << "GETIHU_TEST_PG is not set: run under tests/postgres/with_postgres.sh";
    }
    static int count = 0;
    path_ = ::testing::TempDir() + "getihu_copy_" + std::to_string(getpid()) + "_" +
            std::to_string(++count) + ".db";
    RemoveSource();
    auto source = OpenSqlite(path_);
    ASSERT_TRUE(source.ok()) << source.status().ToString();
    source_ = std::move(*source);
    ASSERT_TRUE(source_->Migrate().ok());
    auto target = OpenTarget(count);
    ASSERT_TRUE(target.ok()) << target.status().ToString();
    target_ = std::move(*target);
  }

  void TearDown() override {
    source_.reset();
    target_.reset();
    RemoveSource();
    if (admin_ == nullptr) return;
    base::Status dropped = admin_->ExecuteScript("DROP SCHEMA " + schema_ + " CASCADE");
    EXPECT_TRUE(dropped.ok()) << dropped.ToString();
  }

  base::Result<std::unique_ptr<Database>> OpenTarget(int count) {
    if (GetParam() == Target::kSqliteMemory) return OpenSqlite(":memory:");
    GETIHU_ASSIGN_OR_RETURN(admin_, OpenPostgres(*TestConninfo()));
    schema_ = "getihu_copy_" + std::to_string(getpid()) + "_" + std::to_string(count);
    GETIHU_RETURN_IF_ERROR(admin_->ExecuteScript("DROP SCHEMA IF EXISTS " + schema_ +
                                                 " CASCADE; CREATE SCHEMA " + schema_));
    return OpenPostgres(*TestConninfo(), {.schema = schema_});
  }

  void RemoveSource() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path_ + suffix).c_str());
  }

  void FillSource() {
    for (const auto& [sql, params] : FillStatements()) {
      auto stmt = source_->Prepare(sql);
      ASSERT_TRUE(stmt.ok()) << stmt.status().ToString() << " in " << sql;
      auto run = (*stmt)->Run(params);
      ASSERT_TRUE(run.ok()) << run.status().ToString() << " in " << sql;
    }
  }

  int64_t Count(Database& db, std::string_view table) {
    auto n = db.QueryInt("SELECT COUNT(*) FROM " + std::string(table));
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? n->value_or(-1) : -1;
  }

  std::vector<std::pair<std::string, std::string>> SourceColumns(std::string_view table) {
    std::vector<std::pair<std::string, std::string>> columns;
    auto stmt = source_->Prepare("SELECT name, type FROM pragma_table_info(?) ORDER BY cid");
    EXPECT_TRUE(stmt.ok() && (*stmt)->BindText(1, table).ok());
    while (stmt.ok() && *(*stmt)->Step()) {
      columns.emplace_back((*stmt)->ColumnText(0), (*stmt)->ColumnText(1));
    }
    return columns;
  }

  Database& source() { return *source_; }
  Database& target() { return *target_; }

 private:
  std::string path_;
  std::string schema_;
  std::unique_ptr<Database> admin_;  // creates and drops the PostgreSQL schema
  std::unique_ptr<Database> source_;
  std::unique_ptr<Database> target_;
};

TEST_P(CopyDatabaseTest, CopiesEveryRowOfEveryTableUnchanged) {
  FillSource();
  ASSERT_TRUE(target().Migrate().ok());
  std::vector<std::pair<std::string, int64_t>> reported;
  auto copied = CopyDatabase(source(), target(), [&](std::string_view table, int64_t rows) {
    reported.emplace_back(std::string(table), rows);
  });
  ASSERT_TRUE(copied.ok()) << copied.status().ToString();
  ASSERT_EQ(copied->size(), CopiedTables().size());
  ASSERT_EQ(reported.size(), CopiedTables().size());
  for (size_t i = 0; i < copied->size(); ++i) {
    std::string_view table = CopiedTables()[i];
    EXPECT_EQ((*copied)[i].table, table);
    EXPECT_EQ(reported[i].first, table);
    EXPECT_EQ(reported[i].second, (*copied)[i].rows);
    EXPECT_GT((*copied)[i].rows, 0) << table << ": add a row to FillStatements()";
    auto columns = SourceColumns(table);
    EXPECT_EQ(Dump(target(), table, columns), Dump(source(), table, columns)) << table;
  }
}

TEST_P(CopyDatabaseTest, HardTextsAndNullsSurvive) {
  FillSource();
  ASSERT_TRUE(target().Migrate().ok());
  ASSERT_TRUE(CopyDatabase(source(), target()).ok());
  auto stmt = target().Prepare(
      "SELECT name, premises, phone, township_code FROM households"
      " WHERE id = 1");
  ASSERT_TRUE(stmt.ok()) << stmt.status().ToString();
  ASSERT_TRUE(*(*stmt)->Step());
  EXPECT_EQ((*stmt)->ColumnText(0), kHardText);
  EXPECT_EQ((*stmt)->ColumnText(1), kHardText);
  EXPECT_TRUE((*stmt)->ColumnIsNull(2));
  EXPECT_TRUE((*stmt)->ColumnIsNull(3));
  EXPECT_EQ(*target().QueryInt("SELECT COUNT(*) FROM annual_reports WHERE tax_fen IS NULL"), 1);
  EXPECT_EQ(*target().QueryInt("SELECT failed_mask FROM tier_results WHERE household_id = 1"), 5);
}

TEST_P(CopyDatabaseTest, NewRowsGetFreshIds) {
  FillSource();
  ASSERT_TRUE(target().Migrate().ok());
  ASSERT_TRUE(CopyDatabase(source(), target()).ok());
  ASSERT_TRUE(target()
                  .Execute("INSERT INTO batches (feed, file_name, content_sha256, imported_at,"
                           " imported_by) VALUES ('tax', 'new.csv', ?, 'now', '测试员')",
                           {std::string(64, 'c')})
                  .ok());
  EXPECT_EQ(*target().QueryInt("SELECT MAX(id) FROM batches"), 6);
  ASSERT_TRUE(
      target().Execute("INSERT INTO audit_log (at, actor, action) VALUES ('now', '李', 'x')").ok());
  EXPECT_EQ(*target().QueryInt("SELECT MAX(id) FROM audit_log"), 10);
}

TEST_P(CopyDatabaseTest, RefusesATargetThatHoldsRowsAndLeavesItUnchanged) {
  FillSource();
  ASSERT_TRUE(target().Migrate().ok());
  ASSERT_TRUE(target()
                  .Execute("INSERT INTO batches (id, feed, file_name, content_sha256, imported_at,"
                           " imported_by) VALUES (70, 'tax', 'old.csv', ?, 'now', '测试员')",
                           {kSha})
                  .ok());
  auto copied = CopyDatabase(source(), target());
  ASSERT_FALSE(copied.ok());
  EXPECT_EQ(copied.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(copied.status().message(), "目标数据库不是空的：表 batches 已有 1 行");
  EXPECT_EQ(*target().QueryInt("SELECT id FROM batches"), 70);
  EXPECT_EQ(Count(target(), "batches"), 1);
  EXPECT_EQ(Count(target(), "households"), 0);
}

TEST_P(CopyDatabaseTest, RefusesDifferentSchemaVersions) {
  FillSource();
  std::span<const Migration> all = BuiltinMigrations();
  ASSERT_TRUE(ApplyMigrations(target(), all.first(all.size() - 1), base::SystemClock()).ok());
  auto copied = CopyDatabase(source(), target());
  ASSERT_FALSE(copied.ok());
  EXPECT_EQ(copied.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(copied.status().message().find("结构版本不同"), std::string::npos)
      << copied.status().message();
  EXPECT_EQ(Count(target(), "batches"), 0);
}

TEST_P(CopyDatabaseTest, RefusesAnUnmigratedTarget) {
  FillSource();
  auto copied = CopyDatabase(source(), target());
  ASSERT_FALSE(copied.ok());
  EXPECT_EQ(copied.status().code(), StatusCode::kFailedPrecondition);
}

TEST_P(CopyDatabaseTest, RefusesASourceTableItDoesNotKnow) {
  FillSource();
  ASSERT_TRUE(source().ExecuteScript("CREATE TABLE notes (text TEXT)").ok());
  ASSERT_TRUE(target().Migrate().ok());
  auto copied = CopyDatabase(source(), target());
  ASSERT_FALSE(copied.ok());
  EXPECT_EQ(copied.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(copied.status().message().find("表 notes 不在复制清单中"), std::string::npos)
      << copied.status().message();
}

// The definitions of the target's keys, foreign keys and indexes, sorted.
std::vector<std::string> KeysAndIndexes(Database& db) {
  std::string_view sql =
      db.dialect() == Dialect::kSqlite
          ? "SELECT coalesce(sql, name) FROM sqlite_master WHERE type IN ('table', 'index')"
          : "SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE connamespace = current_schema()::regnamespace"
            " UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()";
  std::vector<std::string> out;
  auto stmt = db.Prepare(sql);
  EXPECT_TRUE(stmt.ok()) << stmt.status().ToString();
  while (stmt.ok() && *(*stmt)->Step()) out.push_back((*stmt)->ColumnText(0));
  std::sort(out.begin(), out.end());
  return out;
}

// On PostgreSQL the copy drops the keys, foreign keys and indexes while it loads and builds
// them again in the same transaction: afterwards the schema is as the migrations made it.
TEST_P(CopyDatabaseTest, KeysForeignKeysAndIndexesAreAllBack) {
  FillSource();
  ASSERT_TRUE(target().Migrate().ok());
  std::vector<std::string> before = KeysAndIndexes(target());
  ASSERT_GT(before.size(), 40u);
  ASSERT_TRUE(CopyDatabase(source(), target()).ok());
  EXPECT_EQ(KeysAndIndexes(target()), before);
  // They work: a second household with the same USCC, and a fact of no household, are refused.
  EXPECT_FALSE(target()
                   .Execute("INSERT INTO households (id, uscc, name, region_code, industry_code,"
                            " established_on, status, status_since, kind, batch_id)"
                            " VALUES (50, '92500113MA5U000001', '重复', '500113', 'F5261',"
                            " '2019-03-01', 'active', '2019-03-01', 'individual', 1)")
                   .ok());
  EXPECT_FALSE(
      target().Execute("INSERT INTO tax_records VALUES (777, 2023, 100, NULL, 'B', 1)").ok());
  EXPECT_EQ(Count(target(), "households"), 2);
  // PostgreSQL's planner has column statistics of the copied rows (written by ANALYZE only).
  if (GetParam() == Target::kPostgres) {
    EXPECT_GT(*target().QueryInt("SELECT count(*) FROM pg_stats WHERE schemaname ="
                                 " current_schema() AND tablename = 'households'"),
              0);
  }
}

// A source written with foreign keys off (SQLite's bulk-load mode) may hold a fact whose
// household is gone. The copy refuses it, whether the key is checked by a join at the end (a
// large table) or by probing the parent (a table of few rows against many households), and
// the target keeps nothing but its schema.
TEST_P(CopyDatabaseTest, AFactWithoutItsHouseholdFailsTheCopyAndLeavesTheTargetEmpty) {
  for (std::string_view orphan :
       {"INSERT INTO tax_records VALUES (999, 2023, 100, NULL, 'B', 1)",
        "INSERT INTO loans VALUES (999, 'HT-9', '银行', '2024-01-02', 1, 0, NULL, 1)"}) {
    SCOPED_TRACE(orphan);
    TearDown();
    SetUp();
    FillSource();
    // Twenty more households: the loans (2 rows) are then fewer than an eighth of them.
    ASSERT_TRUE(source()
                    .ExecuteScript("CREATE TEMP TABLE h AS SELECT * FROM households WHERE id = 1")
                    .ok());
    for (int i = 1; i <= 20; ++i) {
      ASSERT_TRUE(source()
                      .Execute("UPDATE h SET id = ?, uscc = ?",
                               {int64_t{100 + i}, "92500113MA5U1000" + std::to_string(10 + i)})
                      .ok());
      ASSERT_TRUE(source().ExecuteScript("INSERT INTO households SELECT * FROM h").ok());
    }
    ASSERT_TRUE(source().ExecuteScript("PRAGMA foreign_keys = OFF").ok());
    ASSERT_TRUE(source().ExecuteScript(orphan).ok());
    ASSERT_TRUE(target().Migrate().ok());
    std::vector<std::string> before = KeysAndIndexes(target());

    auto copied = CopyDatabase(source(), target());
    ASSERT_FALSE(copied.ok());
    if (GetParam() == Target::kPostgres) {
      EXPECT_NE(copied.status().message().find("外键"), std::string::npos)
          << copied.status().message();
    }
    EXPECT_EQ(Count(target(), "households"), 0);
    EXPECT_EQ(Count(target(), "batches"), 0);
    EXPECT_EQ(KeysAndIndexes(target()), before);
  }
}

TEST_P(CopyDatabaseTest, CopiesAnEmptyPool) {
  ASSERT_TRUE(target().Migrate().ok());
  auto copied = CopyDatabase(source(), target());
  ASSERT_TRUE(copied.ok()) << copied.status().ToString();
  for (const CopiedTable& t : *copied) EXPECT_EQ(t.rows, 0) << t.table;
}

INSTANTIATE_TEST_SUITE_P(, CopyDatabaseTest,
                         ::testing::Values(Target::kSqliteMemory, Target::kPostgres),
                         [](const ::testing::TestParamInfo<Target>& info) {
                           return info.param == Target::kPostgres ? "ToPostgres" : "ToSqliteMemory";
                         });

}  // namespace
}  // namespace getihu::storage
