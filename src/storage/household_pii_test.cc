// The operators' ID numbers and phones at rest (field_cipher.h) through HouseholdRepository, on
// every backend.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "storage/dialect.h"
#include "storage/field_cipher.h"
#include "storage/household_repository.h"
#include "storage/testing/backend_test.h"

namespace getihu::storage::testing {
namespace {

using base::StatusCode;
using domain::Household;

constexpr char kIdNumber[] = "11010519491231002X";
constexpr char kPhone[] = "13800001234";

std::shared_ptr<const FieldCipher> Cipher(char fill = 'k') {
  auto cipher = FieldCipher::Create(std::string(FieldCipher::kDataKeyBytes, fill));
  EXPECT_TRUE(cipher.ok()) << cipher.status().ToString();
  return std::make_shared<const FieldCipher>(std::move(*cipher));
}

Household WithPii(Household h, std::string id_number = kIdNumber, std::string phone = kPhone) {
  h.operator_id_number = std::move(id_number);
  h.phone = std::move(phone);
  return h;
}

// The stored text of `column` of the household with this USCC ("<null>" for NULL).
std::string Raw(Database& db, std::string_view column, const std::string& uscc) {
  auto stmt = db.Prepare("SELECT " + std::string(column) + " FROM households WHERE uscc = ?");
  EXPECT_TRUE(stmt.ok());
  if (!stmt.ok()) return "";
  EXPECT_TRUE((*stmt)->BindText(1, uscc).ok());
  auto row = (*stmt)->Step();
  if (!row.ok() || !*row) return "<no row>";
  return (*stmt)->ColumnIsNull(0) ? "<null>" : (*stmt)->ColumnText(0);
}

// Both sensitive columns hold sealed values, neither plaintext, and both hashes are set.
void ExpectSealed(Database& db, const std::string& uscc) {
  for (std::string_view column : {"operator_id_number", "phone"}) {
    std::string raw = Raw(db, column, uscc);
    EXPECT_TRUE(raw.starts_with("sm4:")) << column << ": " << raw;
    EXPECT_EQ(raw.find(kIdNumber), std::string::npos);
    EXPECT_EQ(raw.find(kPhone), std::string::npos);
  }
  EXPECT_EQ(Raw(db, "operator_id_hash", uscc).size(), 64u);
  EXPECT_EQ(Raw(db, "phone_hash", uscc).size(), 64u);
}

TEST_P(HouseholdRepositoryTest, SealsTheIdNumberAndPhoneWhenACipherIsSet) {
  db().set_field_cipher(Cipher());
  HouseholdRepository households(db());
  ASSERT_TRUE(households.UpsertHousehold(WithPii(SampleHousehold(1)), NewBatchId()).ok());
  ExpectSealed(db(), Uscc(1));
  auto read = households.FindHousehold(Uscc(1));
  ASSERT_TRUE(read.ok() && read->has_value()) << read.status().ToString();
  EXPECT_EQ((*read)->operator_id_number, kIdNumber);
  EXPECT_EQ((*read)->phone, kPhone);
}

TEST_P(HouseholdRepositoryTest, SealsTheBulkInsertPath) {
  db().set_field_cipher(Cipher());
  std::vector<Household> rows;
  for (int i = 1; i <= 50; ++i) rows.push_back(WithPii(SampleHousehold(i)));  // a chunk + tail
  HouseholdRepository households(db());
  ASSERT_TRUE(households.InsertNewHouseholds(rows, NewBatchId()).ok());
  EXPECT_EQ(Int("SELECT COUNT(*) FROM households WHERE substr(phone, 1, 4) = 'sm4:'"
                " AND substr(operator_id_number, 1, 4) = 'sm4:'"),
            50);
  ExpectSealed(db(), Uscc(50));
  EXPECT_EQ(households.FindHousehold(Uscc(49)).value()->phone, kPhone);
}

TEST_P(HouseholdRepositoryTest, ReadingSealedValuesWithoutTheKeyFailsClearly) {
  db().set_field_cipher(Cipher());
  HouseholdRepository households(db());
  ASSERT_TRUE(households.UpsertHousehold(WithPii(SampleHousehold(1)), NewBatchId()).ok());
  db().set_field_cipher(nullptr);
  auto read = households.FindHousehold(Uscc(1));
  EXPECT_EQ(read.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(read.status().message().find("数据密钥"), std::string::npos)
      << read.status().ToString();
  // Another key is not the key: the tag check fails.
  db().set_field_cipher(Cipher('o'));
  EXPECT_EQ(households.FindHousehold(Uscc(1)).status().code(), StatusCode::kDataLoss);
  // What is not sensitive stays readable without a key.
  db().set_field_cipher(nullptr);
  EXPECT_TRUE(households.FindHouseholdId(Uscc(1)).value().has_value());
}

TEST_P(HouseholdRepositoryTest, FindsHouseholdsByOperatorIdNumberThroughTheHash) {
  db().set_field_cipher(Cipher());
  HouseholdRepository households(db());
  int64_t batch = NewBatchId();
  ASSERT_TRUE(households.UpsertHousehold(WithPii(SampleHousehold(1)), batch).ok());
  ASSERT_TRUE(households.UpsertHousehold(WithPii(SampleHousehold(2)), batch).ok());
  ASSERT_TRUE(
      households.UpsertHousehold(WithPii(SampleHousehold(3), "500113199001011234"), batch).ok());
  // The check character as typed in lower case finds what the import stored.
  auto found = households.FindByOperatorIdNumber("11010519491231002x");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[0].uscc, Uscc(1));
  EXPECT_EQ((*found)[1].uscc, Uscc(2));
  EXPECT_EQ((*found)[1].phone, kPhone);
  EXPECT_TRUE(households.FindByOperatorIdNumber("110105194912310038").value().empty());
}

TEST_P(HouseholdRepositoryTest, FindsHouseholdsByOperatorIdNumberWithoutAKey) {
  HouseholdRepository households(db());
  ASSERT_TRUE(households.UpsertHousehold(WithPii(SampleHousehold(1)), NewBatchId()).ok());
  EXPECT_EQ(Raw(db(), "operator_id_number", Uscc(1)), kIdNumber);
  EXPECT_EQ(Raw(db(), "operator_id_hash", Uscc(1)), "<null>");
  EXPECT_EQ(Raw(db(), "phone_hash", Uscc(1)), "<null>");
  auto found = households.FindByOperatorIdNumber(kIdNumber);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].uscc, Uscc(1));
}

TEST_P(HouseholdRepositoryTest, AChangeRecordReplacesTheValueAndItsHash) {
  db().set_field_cipher(Cipher());
  HouseholdRepository households(db());
  int64_t id = households.UpsertHousehold(WithPii(SampleHousehold(1)), NewBatchId(1)).value();
  RegisteredItemsChange change;
  change.operator_id_number = "500113199001011234";
  ASSERT_TRUE(households.UpdateRegisteredItems(id, change, NewBatchId(2)).ok());
  ExpectSealed(db(), Uscc(1));
  EXPECT_TRUE(households.FindByOperatorIdNumber(kIdNumber).value().empty());
  ASSERT_EQ(households.FindByOperatorIdNumber("500113199001011234").value().size(), 1u);
  Household read = *households.FindHousehold(Uscc(1)).value();
  EXPECT_EQ(read.operator_id_number, "500113199001011234");
  EXPECT_EQ(read.phone, kPhone);  // absent from the change: kept, still sealed
  // Without the key the change is refused rather than stored in clear beside sealed values.
  db().set_field_cipher(nullptr);
  change.operator_id_number = kIdNumber;
  EXPECT_EQ(households.UpdateRegisteredItems(id, change, NewBatchId(3)).status().code(),
            StatusCode::kFailedPrecondition);
  ExpectSealed(db(), Uscc(1));
}

TEST_P(HouseholdRepositoryTest, AnUpsertKeepsTheHashOfAValueItDoesNotCarry) {
  db().set_field_cipher(Cipher());
  HouseholdRepository households(db());
  ASSERT_TRUE(households.UpsertHousehold(WithPii(SampleHousehold(1)), NewBatchId(1)).ok());
  std::string hash = Raw(db(), "phone_hash", Uscc(1));
  Household later = SampleHousehold(1);  // no ID number, no phone: both kept
  later.status_since = Ymd(2021, 1, 1);
  ASSERT_TRUE(households.UpsertHousehold(later, NewBatchId(2)).ok());
  EXPECT_EQ(Raw(db(), "phone_hash", Uscc(1)), hash);
  EXPECT_EQ(households.FindHousehold(Uscc(1)).value()->phone, kPhone);
}

TEST_P(HouseholdRepositoryTest, SealsPlaintextLeftByAKeylessProgramOnce) {
  HouseholdRepository households(db());
  int64_t batch = NewBatchId();
  ASSERT_TRUE(households.UpsertHousehold(WithPii(SampleHousehold(1)), batch).ok());
  Household phone_only = SampleHousehold(2);
  phone_only.phone = kPhone;
  ASSERT_TRUE(households.UpsertHousehold(phone_only, batch).ok());
  ASSERT_TRUE(households.UpsertHousehold(SampleHousehold(3), batch).ok());  // nothing to seal
  EXPECT_EQ(households.SealPlaintextFields().status().code(), StatusCode::kFailedPrecondition);

  db().set_field_cipher(Cipher());
  ASSERT_TRUE(households.UpsertHousehold(WithPii(SampleHousehold(4)), batch).ok());  // sealed
  auto tx = Transaction::Begin(db());
  ASSERT_TRUE(tx.ok());
  EXPECT_EQ(households.SealPlaintextFields().value(), 2);
  EXPECT_EQ(households.SealPlaintextFields().value(), 0);
  ASSERT_TRUE(tx->Commit().ok());
  ExpectSealed(db(), Uscc(1));
  EXPECT_TRUE(Raw(db(), "phone", Uscc(2)).starts_with("sm4:"));
  EXPECT_EQ(Raw(db(), "operator_id_number", Uscc(2)), "<null>");
  EXPECT_EQ(Raw(db(), "operator_id_hash", Uscc(2)), "<null>");
  EXPECT_EQ(households.FindHousehold(Uscc(2)).value()->phone, kPhone);
  ASSERT_EQ(households.FindByOperatorIdNumber(kIdNumber).value().size(), 2u);
  // The old row versions go with a rewrite of the table.
  ASSERT_TRUE(db().ResetCachedStatements().ok());
  EXPECT_TRUE(db().ExecuteScript(RewriteTableSql(db().dialect(), "households")).ok());
  EXPECT_EQ(households.FindHousehold(Uscc(1)).value()->operator_id_number, kIdNumber);
}

TEST_P(HouseholdRepositoryTest, AKeylessProgramMayNotWritePiiIntoASealedPool) {
  db().set_field_cipher(Cipher());
  ASSERT_TRUE(
      HouseholdRepository(db()).UpsertHousehold(WithPii(SampleHousehold(1)), NewBatchId()).ok());
  EXPECT_EQ(Int("SELECT COUNT(*) FROM data_key"), 1);
  db().set_field_cipher(nullptr);
  HouseholdRepository keyless(db());
  auto refused = keyless.UpsertHousehold(WithPii(SampleHousehold(2)), NewBatchId());
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("GETIHU_DATA_KEY"), std::string::npos)
      << refused.status().ToString();
  std::vector<Household> bulk = {WithPii(SampleHousehold(3))};
  EXPECT_EQ(keyless.InsertNewHouseholds(bulk, NewBatchId()).status().code(),
            StatusCode::kFailedPrecondition);
  RegisteredItemsChange phone_change;
  phone_change.phone = "13900001111";
  auto id = keyless.FindHouseholdId(Uscc(1)).value();
  EXPECT_EQ(keyless.UpdateRegisteredItems(*id, phone_change, NewBatchId()).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM households WHERE phone = '13900001111'"), 0);
  // Rows without an ID number or phone go in: nothing sensitive is written.
  EXPECT_TRUE(keyless.UpsertHousehold(SampleHousehold(4), NewBatchId()).ok());
}

TEST_P(HouseholdRepositoryTest, AnotherKeyMayNotWriteIntoTheSealedPool) {
  db().set_field_cipher(Cipher('k'));
  ASSERT_TRUE(
      HouseholdRepository(db()).UpsertHousehold(WithPii(SampleHousehold(1)), NewBatchId()).ok());
  db().set_field_cipher(Cipher('o'));
  auto refused =
      HouseholdRepository(db()).UpsertHousehold(WithPii(SampleHousehold(2)), NewBatchId());
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("不符"), std::string::npos)
      << refused.status().ToString();
  // A pool sealed before fingerprints were kept: the key must open what is there.
  ASSERT_TRUE(db().Execute("DELETE FROM data_key").ok());
  EXPECT_EQ(HouseholdRepository(db())
                .UpsertHousehold(WithPii(SampleHousehold(3)), NewBatchId())
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
  db().set_field_cipher(Cipher('k'));
  EXPECT_TRUE(
      HouseholdRepository(db()).UpsertHousehold(WithPii(SampleHousehold(3)), NewBatchId()).ok());
  EXPECT_EQ(Int("SELECT COUNT(*) FROM data_key"), 1);
}

}  // namespace
}  // namespace getihu::storage::testing
