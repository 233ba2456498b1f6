#include "workflows/import.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "ingest/table_writer.h"
#include "storage/field_cipher.h"
#include "storage/household_repository.h"
#include "storage/quality_query.h"
#include "storage/sqlite/sqlite_database.h"

namespace getihu::workflows {
namespace {

namespace fs = std::filesystem;

constexpr const char* kRegistrationHeader =
    "统一社会信用代码,变更类型,变更日期,注册号,名称,经营者姓名,经营者身份证号,联系电话,"
    "登记机关区划代码,"
    "乡镇街道代码,行业代码,组成形式,经营场所,成立日期,网络经营,转企后统一社会信用代码\n";

class ImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("getihu_import_test_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto db = storage::OpenSqlite((dir_ / "pool.db").string());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Migrate().ok());
    options_.as_of = *base::Date::Parse("2026-07-01");
    uscc_a_ = domain::UsccGenerator("500113").Generate(1);
    uscc_b_ = domain::UsccGenerator("500113").Generate(2);
  }
  void TearDown() override {
    db_.reset();
    fs::remove_all(dir_);
  }

  std::string Write(const std::string& name, const std::string& content) {
    std::ofstream((dir_ / name).string(), std::ios::binary) << content;
    return (dir_ / name).string();
  }

  std::string Registration(const std::string& uscc, const std::string& kind,
                           const std::string& date) {
    if (kind != "设立") return uscc + "," + kind + "," + date + ",,,,,,,,,,,,,\n";
    return uscc + ",设立," + date +
           ",,老王面馆,王五,,13800001234,500113,500113005,6220,个人经营,花溪路1号," + date +
           ",否,\n";
  }

  int64_t Count(const std::string& sql) { return db_->QueryInt(sql).value().value_or(-1); }

  base::Result<ImportReport> Import(std::string_view feed, const std::string& path) {
    return ImportFile(*db_, *ingest::FindFeed(feed), path, options_);
  }

  fs::path dir_;
  std::unique_ptr<storage::Database> db_;
  ImportOptions options_;
  std::string uscc_a_, uscc_b_;
};

TEST_F(ImportTest, LoadsRegistrationsThenFactsWithTheirBatch) {
  auto reg =
      Import("registration", Write("reg.csv", std::string(kRegistrationHeader) +
                                                  Registration(uscc_a_, "设立", "2020-03-01") +
                                                  Registration(uscc_b_, "设立", "2021-05-06") +
                                                  Registration(uscc_b_, "注销", "2024-01-02")));
  ASSERT_TRUE(reg.ok()) << reg.status().ToString();
  EXPECT_EQ(reg->rows_read, 3u);
  EXPECT_EQ(reg->accepted, 3u);
  EXPECT_EQ(reg->rejected, 0u);
  EXPECT_EQ(reg->households_created, 2);
  EXPECT_TRUE(reg->rejects_path.empty());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM households WHERE status = 'deregistered'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM household_status_history"), 3);

  auto tax = Import("tax", Write("tax.csv", "统一社会信用代码,所属年度,实缴税额(元)\n" + uscc_a_ +
                                                ",2025,1234.56\n"));
  ASSERT_TRUE(tax.ok()) << tax.status().ToString();
  EXPECT_EQ(tax->accepted, 1u);
  EXPECT_EQ(Count("SELECT tax_paid_fen FROM tax_records"), 123456);
  EXPECT_EQ(Count("SELECT batch_id FROM tax_records"), tax->batch_id);
}

TEST_F(ImportTest, RefusedRowsGoToAFileThatCanBeFixedAndImportedAgain) {
  ASSERT_TRUE(
      Import("registration", Write("reg.csv", std::string(kRegistrationHeader) +
                                                  Registration(uscc_a_, "设立", "2020-03-01")))
          .ok());
  std::string bad_check = uscc_a_.substr(0, 17) + (uscc_a_[17] == '0' ? "1" : "0");
  std::string csv = "统一社会信用代码,所属年度,实缴税额(元)\n" + uscc_a_ + ",2025,100\n" +
                    bad_check + ",2025,5\n" + uscc_b_ + ",2025,7\n" + uscc_a_ + ",2024,-3\n";
  auto r = Import("tax", Write("tax.csv", csv));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->accepted, 1u);
  EXPECT_EQ(r->rejected, 3u);
  ASSERT_FALSE(r->rejects_path.empty());
  std::ifstream in(r->rejects_path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  std::string rejects = text.str();
  EXPECT_TRUE(rejects.starts_with(
      "\xEF\xBB\xBF统一社会信用代码,所属年度,实缴税额(元),错误行号,错误列,错误值,错误原因"));
  EXPECT_NE(rejects.find("校验位应为"), std::string::npos);
  EXPECT_NE(rejects.find("没有对应的登记记录"), std::string::npos);
  EXPECT_NE(rejects.find("不能为负数"), std::string::npos);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM rejects"), 3);

  // The department fixes the negative amount in the rejects file and sends it back.
  std::string fixed = "统一社会信用代码,所属年度,实缴税额(元),错误行号,错误列,错误值,错误原因\n" +
                      uscc_a_ + ",2024,3,5,实缴税额(元),-3,金额不能为负数\n";
  auto again = Import("tax", Write("tax_fixed.csv", fixed));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->accepted, 1u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM tax_records"), 2);
}

TEST_F(ImportTest, RejectsCanBeWrittenAsAnExcelWorkbook) {
  ASSERT_TRUE(
      Import("registration", Write("reg.csv", std::string(kRegistrationHeader) +
                                                  Registration(uscc_a_, "设立", "2020-03-01")))
          .ok());
  options_.rejects_path = (dir_ / "tax_rejects.xlsx").string();
  auto r = Import(
      "tax", Write("tax.csv", "统一社会信用代码,所属年度,实缴税额(元)\n" + uscc_a_ + ",2025,-1\n"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rejected, 1u);
  EXPECT_EQ(r->rejects_path, options_.rejects_path);
  // Read it back with the project's own .xlsx reader: the same columns plus where and why.
  auto reader = ingest::OpenTable(r->rejects_path);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  ingest::RawRow row;
  ASSERT_TRUE((*reader)->Next(row).value());
  ASSERT_EQ(row.fields.size(), 7u);
  EXPECT_EQ(row.fields[0], "统一社会信用代码");
  EXPECT_EQ(row.fields[6], "错误原因");
  ASSERT_TRUE((*reader)->Next(row).value());
  EXPECT_EQ(row.fields[0], uscc_a_);
  EXPECT_EQ(row.fields[2], "-1");
  EXPECT_NE(std::string(row.fields[6]).find("负数"), std::string::npos);
}

TEST_F(ImportTest, ImportsAnExcelWorkbookLikeACsv) {
  ASSERT_TRUE(
      Import("registration", Write("reg.csv", std::string(kRegistrationHeader) +
                                                  Registration(uscc_a_, "设立", "2020-03-01")))
          .ok());
  std::string path = (dir_ / "tax.xlsx").string();
  auto w = ingest::CreateTableWriter(path, "纳税");
  ASSERT_TRUE(w.ok());
  std::vector<std::string_view> header = {" 所属年度 ", "统一社会信用代码", "实缴税额（元）"};
  std::vector<std::string_view> good = {"2025", uscc_a_, "88.5"};
  std::vector<std::string_view> bad = {"2024", uscc_a_, "八十"};
  ASSERT_TRUE((*w)->AddRow(header).ok());
  ASSERT_TRUE((*w)->AddRow(good).ok());
  ASSERT_TRUE((*w)->AddRow(bad).ok());
  ASSERT_TRUE((*w)->Close().ok());
  auto r = Import("tax", path);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->accepted, 1u);
  EXPECT_EQ(r->rejected, 1u);
  EXPECT_EQ(Count("SELECT tax_paid_fen FROM tax_records"), 8850);
}

TEST_F(ImportTest, ACorrectedRedeliverySupersedesAndKeepsTheOldValue) {
  ASSERT_TRUE(
      Import("registration", Write("reg.csv", std::string(kRegistrationHeader) +
                                                  Registration(uscc_a_, "设立", "2020-03-01")))
          .ok());
  auto first = Import("tax", Write("tax1.csv", "统一社会信用代码,所属年度,实缴税额(元)\n" +
                                                   uscc_a_ + ",2025,100\n"));
  ASSERT_TRUE(first.ok());
  auto same = Import("tax", Write("tax2.csv", "统一社会信用代码,所属年度,实缴税额(元),备注\n" +
                                                  uscc_a_ + ",2025,100,\n"));
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->unchanged, 1u);
  auto fixed = Import("tax", Write("tax3.csv", "统一社会信用代码,所属年度,实缴税额(元)\n" +
                                                   uscc_a_ + ",2025,120\n"));
  ASSERT_TRUE(fixed.ok());
  EXPECT_EQ(fixed->superseded, 1u);
  EXPECT_EQ(Count("SELECT tax_paid_fen FROM tax_records"), 12000);
  EXPECT_EQ(Count("SELECT batch_id FROM tax_records"), fixed->batch_id);
  EXPECT_EQ(Count("SELECT tax_paid_fen FROM tax_records_superseded"), 10000);
  EXPECT_EQ(Count("SELECT batch_id FROM tax_records_superseded"), first->batch_id);
}

TEST_F(ImportTest, TheSameFileTwiceChangesNothing) {
  std::string path = Write(
      "reg.csv", std::string(kRegistrationHeader) + Registration(uscc_a_, "设立", "2020-03-01"));
  auto first = Import("registration", path);
  ASSERT_TRUE(first.ok());
  auto second = Import("registration", path);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->already_imported);
  EXPECT_EQ(second->batch_id, first->batch_id);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM batches"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM households"), 1);
}

TEST_F(ImportTest, AMissingRequiredColumnRefusesTheFileBeforeAnyRow) {
  auto r = Import("tax", Write("tax.csv", "统一社会信用代码,实缴税额(元)\n" + uscc_a_ + ",1\n"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), base::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("所属年度"), std::string::npos) << r.status().message();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM batches"), 0);
}

TEST_F(ImportTest, AFileThatBreaksHalfwayLeavesNothingBehind) {
  std::string csv = std::string(kRegistrationHeader) + Registration(uscc_a_, "设立", "2020-03-01") +
                    Registration(uscc_b_, "设立", "2021-03-01") + "\"unterminated,设立\n";
  auto r = Import("registration", Write("reg.csv", csv));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM households"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM batches"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM household_status_history"), 0);
  EXPECT_FALSE(fs::exists(dir_ / "reg.rejects.csv"));
  // The secondary indexes a bulk registration load sets aside are back.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index'"
                  " AND tbl_name = 'households' AND sql IS NOT NULL"),
            6);
}

// Rows of a household registered in the same file are applied in memory before its insert;
// the result must be what the rows give one by one against a stored household.
TEST_F(ImportTest, AHouseholdsRowsGiveTheSameRecordInOneFileAsInSeveral) {
  std::string change = uscc_a_ + ",变更,2021-05-01,,老王牛肉面馆,,,,,500113006,,,,,是,\n";
  std::vector<std::string> rows = {
      Registration(uscc_a_, "设立", "2020-03-01"),
      change,
      Registration(uscc_a_, "歇业", "2022-01-01"),
      Registration(uscc_a_, "恢复营业", "2022-06-01"),
      Registration(uscc_a_, "注销", "2024-02-01"),
      Registration(uscc_a_, "歇业", "2023-01-01"),  // older than the 注销 before it: history only
      Registration(uscc_b_, "设立", "2021-03-01"),
      Registration(uscc_b_, "吊销", "2023-09-09")};
  auto snapshot = [&] {
    std::string out;
    auto stmt = db_->Prepare(
        "SELECT uscc, name, township_code, online, status, status_since FROM households"
        " ORDER BY uscc");
    while (*(*stmt)->Step()) {
      for (int c = 0; c < 6; ++c) out += (*stmt)->ColumnOptionalText(c).value_or("-") + "|";
      out += "\n";
    }
    auto history = db_->Prepare(
        "SELECT h.uscc, s.effective_on, s.change_kind, s.status FROM household_status_history s"
        " JOIN households h ON h.id = s.household_id ORDER BY 1, 2, 3");
    while (*(*history)->Step()) {
      for (int c = 0; c < 4; ++c) out += (*history)->ColumnText(c) + "|";
      out += "\n";
    }
    return out;
  };
  std::string all;
  for (const std::string& r : rows) all += r;
  auto one = Import("registration", Write("one.csv", kRegistrationHeader + all));
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(one->accepted, rows.size());
  std::string folded = snapshot();
  EXPECT_NE(folded.find(uscc_a_ + "|老王牛肉面馆|500113006|1|deregistered|2024-02-01|"),
            std::string::npos)
      << folded;
  EXPECT_NE(folded.find(uscc_b_ + "|老王面馆|500113005|0|revoked|2023-09-09|"), std::string::npos)
      << folded;
  EXPECT_NE(folded.find(uscc_a_ + "|2023-01-01|suspended|suspended|"), std::string::npos);

  // The same rows, one file each: every change is written against the stored household.
  TearDown();
  SetUp();
  for (size_t i = 0; i < rows.size(); ++i) {
    auto r = Import("registration",
                    Write("row" + std::to_string(i) + ".csv", kRegistrationHeader + rows[i]));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  EXPECT_EQ(snapshot(), folded);
}

TEST_F(ImportTest, AStatusChangeBeforeTheRegistrationIsRefused) {
  auto r =
      Import("registration", Write("reg.csv", std::string(kRegistrationHeader) +
                                                  Registration(uscc_a_, "设立", "2020-03-01") +
                                                  Registration(uscc_a_, "注销", "2019-01-01") +
                                                  Registration(uscc_b_, "歇业", "2022-01-01")));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->accepted, 1u);
  EXPECT_EQ(r->rejected, 2u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM households WHERE status = 'active'"), 1);
}

TEST_F(ImportTest, TheQualityViewCountsCoverageMatchesAndReasons) {
  ASSERT_TRUE(
      Import("registration", Write("reg.csv", std::string(kRegistrationHeader) +
                                                  Registration(uscc_a_, "设立", "2020-03-01") +
                                                  Registration(uscc_b_, "设立", "2021-05-06")))
          .ok());
  std::string unknown = domain::UsccGenerator("500113").Generate(99);
  ASSERT_TRUE(Import("tax", Write("tax.csv", "统一社会信用代码,所属年度,实缴税额(元)\n" + uscc_a_ +
                                                 ",2025,1\n" + unknown + ",2025,1\n" + uscc_a_ +
                                                 ",2024,x\n"))
                  .ok());
  auto q = storage::QueryDataQuality(*db_, "500113");
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  ASSERT_EQ(q->periods.size(), 1u);
  EXPECT_EQ(q->periods[0].feed, "tax");
  EXPECT_EQ(q->periods[0].period, "2025");
  EXPECT_EQ(q->periods[0].households, 1);
  EXPECT_EQ(q->periods[0].population, 2);
  EXPECT_DOUBLE_EQ(q->periods[0].coverage(), 0.5);
  const storage::FeedLoadQuality* tax = nullptr;
  for (const auto& f : q->feeds) {
    if (f.feed == "tax") tax = &f;
  }
  ASSERT_NE(tax, nullptr);
  EXPECT_EQ(tax->loaded, 1);
  EXPECT_EQ(tax->rejected, 2);
  EXPECT_EQ(tax->unmatched, 1);
  EXPECT_DOUBLE_EQ(tax->match_rate(), 0.5);
  EXPECT_EQ(storage::QueryDataQuality(*db_, "4401")->periods.size(), 0u);
  EXPECT_FALSE(storage::QueryDataQuality(*db_, "50x").ok());
}

// With a data key, what the registration feed brings (设立 and 变更 rows) is stored sealed.
TEST_F(ImportTest, StoresIdNumbersAndPhonesSealedWhenTheDatabaseHasAKey) {
  auto cipher = storage::FieldCipher::Create(std::string(32, 'k'));
  ASSERT_TRUE(cipher.ok());
  db_->set_field_cipher(std::make_shared<const storage::FieldCipher>(std::move(*cipher)));
  std::string created = Registration(uscc_a_, "设立", "2020-03-01");
  created.replace(created.find(",王五,,"), 9, ",王五,11010519491231002X,");
  std::string changed = uscc_b_ + ",变更,2024-01-02,,,,,13900005678,,,,,,,,\n";
  auto r = Import("registration",
                  Write("reg.csv", std::string(kRegistrationHeader) + created +
                                       Registration(uscc_b_, "设立", "2021-05-06") + changed));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->accepted, 3u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM households WHERE substr(phone, 1, 4) = 'sm4:'"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM households WHERE substr(operator_id_number, 1, 4) = 'sm4:'"
                  " AND length(operator_id_hash) = 64"),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM households WHERE phone LIKE '%1380000%'"
                  " OR phone LIKE '%1390000%' OR operator_id_number LIKE '%1949%'"),
            0);
  storage::HouseholdRepository households(*db_);
  EXPECT_EQ(households.FindHousehold(uscc_a_).value()->operator_id_number, "11010519491231002X");
  EXPECT_EQ(households.FindHousehold(uscc_b_).value()->phone, "13900005678");
  auto found = households.FindByOperatorIdNumber("11010519491231002X");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].uscc, uscc_a_);
}

}  // namespace
}  // namespace getihu::workflows
