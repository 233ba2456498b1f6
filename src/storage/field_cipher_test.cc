#include "storage/field_cipher.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "base/crypto.h"

namespace getihu::storage {
namespace {

using base::StatusCode;

FieldCipher CipherOf(char fill) {
  auto cipher = FieldCipher::Create(std::string(FieldCipher::kDataKeyBytes, fill));
  EXPECT_TRUE(cipher.ok()) << cipher.status().ToString();
  return std::move(*cipher);
}

TEST(FieldCipherTest, SealsAndOpensAValue) {
  FieldCipher cipher = CipherOf('k');
  auto sealed = cipher.Seal("500113199001011234");
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  EXPECT_TRUE(sealed->starts_with("sm4:"));
  EXPECT_EQ(sealed->size(), 4 + 2 * (12 + 18 + 16));
  EXPECT_EQ(sealed->find("500113199001011234"), std::string::npos);
  EXPECT_EQ(cipher.Open(*sealed).value(), "500113199001011234");
  // A fresh nonce each time: the same value never seals the same way twice.
  EXPECT_NE(cipher.Seal("500113199001011234").value(), *sealed);
  EXPECT_EQ(cipher.Open(cipher.Seal("").value()).value(), "");
}

TEST(FieldCipherTest, PassesLegacyPlaintextThrough) {
  FieldCipher cipher = CipherOf('k');
  EXPECT_EQ(cipher.Open("13800001234").value(), "13800001234");
  EXPECT_EQ(cipher.Open("").value(), "");
  EXPECT_FALSE(FieldCipher::IsSealed("13800001234"));
}

TEST(FieldCipherTest, RefusesATamperedValueOrAnotherKey) {
  FieldCipher cipher = CipherOf('k');
  std::string sealed = cipher.Seal("13800001234").value();
  std::string flipped = sealed;
  flipped[10] = flipped[10] == '0' ? '1' : '0';
  EXPECT_EQ(cipher.Open(flipped).status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(cipher.Open(sealed.substr(0, sealed.size() - 2)).status().code(),
            StatusCode::kDataLoss);
  EXPECT_EQ(cipher.Open("sm4:zz").status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(cipher.Open("sm4:").status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(CipherOf('o').Open(sealed).status().code(), StatusCode::kDataLoss);
}

TEST(FieldCipherTest, LookupHashesAreStableAndDependOnTheKey) {
  FieldCipher cipher = CipherOf('k');
  std::string hash = cipher.LookupHash("50011319900101123X").value();
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(cipher.LookupHash("50011319900101123X").value(), hash);
  EXPECT_EQ(CipherOf('k').LookupHash("50011319900101123X").value(), hash);
  EXPECT_NE(cipher.LookupHash("500113199001011234").value(), hash);
  EXPECT_NE(CipherOf('o').LookupHash("50011319900101123X").value(), hash);
  // Not a bare SM3 of the value: the hash needs the key.
  EXPECT_NE(base::HexEncode(base::Sm3("50011319900101123X").value()), hash);
}

TEST(FieldCipherTest, NormalisesValuesForLookup) {
  EXPECT_EQ(NormalizeForLookup(" 50011319900101123x\n"), "50011319900101123X");
  EXPECT_EQ(NormalizeForLookup("13800001234"), "13800001234");
}

TEST(FieldCipherTest, RefusesAKeyOfTheWrongLength) {
  EXPECT_EQ(FieldCipher::Create("short").status().code(), StatusCode::kInvalidArgument);
}

TEST(FieldCipherTest, FieldHelpersFollowTheCipher) {
  FieldCipher cipher = CipherOf('k');
  std::optional<std::string> phone = "13800001234";
  EXPECT_EQ(SealField(nullptr, phone).value(), phone);
  EXPECT_EQ(LookupHashOf(nullptr, phone).value(), std::nullopt);
  EXPECT_EQ(SealField(&cipher, std::nullopt).value(), std::nullopt);
  std::optional<std::string> sealed = SealField(&cipher, phone).value();
  ASSERT_TRUE(sealed.has_value());
  EXPECT_EQ(OpenField(&cipher, sealed, "电话").value(), phone);
  EXPECT_EQ(OpenField(nullptr, phone, "电话").value(), phone);
  auto keyless = OpenField(nullptr, sealed, "电话");
  EXPECT_EQ(keyless.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(keyless.status().message().find("数据密钥"), std::string::npos);
}

class DataKeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "getihu_key_" + std::to_string(getpid()) + ".key";
    std::remove(path_.c_str());
  }
  void TearDown() override { std::remove(path_.c_str()); }
  void Write(std::string_view text, mode_t mode) {
    std::ofstream(path_) << text;
    ASSERT_EQ(::chmod(path_.c_str(), mode), 0);
  }
  std::string path_;
};

TEST_F(DataKeyFileTest, GeneratesAKeyOnlyItsOwnerCanRead) {
  ASSERT_TRUE(WriteNewDataKey(path_).ok());
  struct stat st;
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto key = LoadDataKey(path_);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->size(), FieldCipher::kDataKeyBytes);
  // Never overwritten: the old key would be lost with everything sealed under it.
  EXPECT_EQ(WriteNewDataKey(path_).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(LoadDataKey(path_).value(), *key);
}

TEST_F(DataKeyFileTest, ReadsSixtyFourHexCharacters) {
  Write(std::string(64, 'a') + "\n", 0600);
  EXPECT_EQ(LoadDataKey(path_).value(), std::string(32, '\xaa'));
}

TEST_F(DataKeyFileTest, RefusesAFileOthersCanRead) {
  Write(std::string(64, 'a'), 0644);
  auto key = LoadDataKey(path_);
  EXPECT_EQ(key.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(key.status().message().find("0644"), std::string::npos);
  EXPECT_NE(key.status().message().find("chmod 600"), std::string::npos);
  Write(std::string(64, 'a'), 0640);
  EXPECT_EQ(LoadDataKey(path_).status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(DataKeyFileTest, RefusesOtherContentAndMissingFiles) {
  Write(std::string(62, 'a'), 0600);
  EXPECT_EQ(LoadDataKey(path_).status().code(), StatusCode::kInvalidArgument);
  Write(std::string(63, 'a') + "g", 0600);
  EXPECT_EQ(LoadDataKey(path_).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(LoadDataKey(path_ + ".none").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace getihu::storage
