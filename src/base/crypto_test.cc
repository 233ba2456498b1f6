#include "base/crypto.h"

#include <gtest/gtest.h>

#include <string>

namespace getihu::base {
namespace {

std::string Hex(const Result<std::string>& bytes) {
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? HexEncode(*bytes) : "";
}

std::string Unhex(std::string_view hex) {
  auto bytes = HexDecode(hex);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? *bytes : "";
}

const std::string kKey = Unhex("0123456789abcdeffedcba9876543210");

// GB/T 32905-2016, appendix A.
TEST(CryptoTest, Sm3MatchesTheStandardsExamples) {
  EXPECT_EQ(Hex(Sm3("abc")), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  std::string abcd16;
  for (int i = 0; i < 16; ++i) abcd16 += "abcd";
  EXPECT_EQ(Hex(Sm3(abcd16)), "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
  EXPECT_EQ(Sm3("").value().size(), kSm3Bytes);
}

// GM/T 0042-2015, appendix D.3.
TEST(CryptoTest, HmacSm3MatchesPublishedVectors) {
  EXPECT_EQ(Hex(HmacSm3(Unhex("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"),
                        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
                        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "ca05e144ed05d1857840d1f318a4a8669e559fc8391f414485bfdf7bb408963a");
  EXPECT_EQ(
      Hex(HmacSm3(Unhex("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223"
                        "2425"),
                  std::string(50, '\xcd'))),
      "220bf579ded555393f0159f66c99877822a3ecf610d1552154b41d44b94db3ae");
  EXPECT_TRUE(HmacSm3("", "empty key").ok());
}

TEST(CryptoTest, HexRoundTripsAndRejectsNonHex) {
  EXPECT_EQ(HexEncode(std::string("\x00\x7f\x80\xff", 4)), "007f80ff");
  EXPECT_EQ(*HexDecode("007F80ff"), std::string("\x00\x7f\x80\xff", 4));
  EXPECT_EQ(*HexDecode(""), "");
  EXPECT_EQ(HexDecode("abc").status().code(), StatusCode::kInvalidArgument);
  auto bad = HexDecode("00zz");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("第 3 个字符"), std::string::npos);
}

TEST(CryptoTest, Sm4RoundTripsAnyLength) {
  for (size_t n : {0u, 1u, 15u, 16u, 17u, 1000u}) {
    std::string plaintext(n, 'x');
    for (size_t i = 0; i < n; ++i) plaintext[i] = static_cast<char>(i * 7);
    auto sealed = Sm4Encrypt(kKey, plaintext);
    ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
    EXPECT_EQ(sealed->size(), kSm4NonceBytes + n + kSm4TagBytes);
    auto opened = Sm4Decrypt(kKey, *sealed);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    EXPECT_EQ(*opened, plaintext);
  }
  auto id = Sm4Encrypt(kKey, "110101199003071234");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->find("110101199003071234"), std::string::npos);
}

TEST(CryptoTest, Sm4UsesAFreshNonceEachTime) {
  auto a = Sm4Encrypt(kKey, "13800001234");
  auto b = Sm4Encrypt(kKey, "13800001234");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->substr(0, kSm4NonceBytes), b->substr(0, kSm4NonceBytes));
  EXPECT_NE(*a, *b);
}

TEST(CryptoTest, Sm4DetectsEveryAlteredByteAndAWrongKey) {
  auto sealed = Sm4Encrypt(kKey, "个体工商户经营者身份证号");
  ASSERT_TRUE(sealed.ok());
  for (size_t i = 0; i < sealed->size(); ++i) {
    std::string altered = *sealed;
    altered[i] = static_cast<char>(altered[i] ^ 0x01);
    EXPECT_EQ(Sm4Decrypt(kKey, altered).status().code(), StatusCode::kDataLoss) << "byte " << i;
  }
  std::string other_key = kKey;
  other_key[0] = static_cast<char>(other_key[0] ^ 0x80);
  EXPECT_EQ(Sm4Decrypt(other_key, *sealed).status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(Sm4Decrypt(kKey, sealed->substr(0, sealed->size() - 1)).status().code(),
            StatusCode::kDataLoss);
  EXPECT_EQ(Sm4Decrypt(kKey, std::string(27, '\0')).status().code(), StatusCode::kDataLoss);
}

TEST(CryptoTest, Sm4RefusesAKeyOfTheWrongSize) {
  EXPECT_EQ(Sm4Encrypt("short", "x").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Sm4Decrypt(std::string(32, 'k'), std::string(40, '\0')).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(CryptoTest, RandomBytesHaveTheAskedLengthAndDiffer) {
  auto a = RandomBytes(32), b = RandomBytes(32);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 32u);
  EXPECT_NE(*a, *b);
  EXPECT_EQ(RandomBytes(0).value(), "");
}

TEST(CryptoTest, PreparedKeysGiveWhatTheFreeFunctionsGive) {
  auto hmac = HmacSm3Key::Create(kKey);
  ASSERT_TRUE(hmac.ok()) << hmac.status().ToString();
  HmacSm3Key copy = *hmac;  // shares the prepared state; each Mac starts afresh
  EXPECT_EQ(Hex(hmac->Mac("abc")), Hex(HmacSm3(kKey, "abc")));
  EXPECT_EQ(Hex(copy.Mac("abc")), Hex(HmacSm3(kKey, "abc")));
  EXPECT_EQ(Hex(HmacSm3Key::Create("").value().Mac("x")), Hex(HmacSm3("", "x")));

  auto sm4 = Sm4Key::Create(kKey);
  ASSERT_TRUE(sm4.ok()) << sm4.status().ToString();
  std::string sealed = sm4->Encrypt("经营者身份证号").value();
  EXPECT_EQ(Sm4Decrypt(kKey, sealed).value(), "经营者身份证号");
  EXPECT_EQ(sm4->Decrypt(Sm4Encrypt(kKey, "13800001234").value()).value(), "13800001234");
  sealed.back() ^= 1;
  EXPECT_EQ(sm4->Decrypt(sealed).status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(Sm4Key::Create("short").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace getihu::base
