#include "server/password.h"

#include <sodium.h>

#include <array>
#include <mutex>

namespace getihu::server {
namespace {

bool InitSodium() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}

}  // namespace

base::Status CheckPasswordPolicy(std::string_view password, std::string_view username,
                                 const PasswordPolicy& policy) {
  if (static_cast<int>(password.size()) < policy.min_length) {
    return base::InvalidArgument("密码至少 " + std::to_string(policy.min_length) + " 个字符");
  }
  if (static_cast<int>(password.size()) > policy.max_length) {
    return base::InvalidArgument("密码不能超过 " + std::to_string(policy.max_length) + " 个字符");
  }
  bool upper = false, lower = false, digit = false, symbol = false;
  for (char c : password) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 'A' && u <= 'Z') {
      upper = true;
    } else if (u >= 'a' && u <= 'z') {
      lower = true;
    } else if (u >= '0' && u <= '9') {
      digit = true;
    } else {
      symbol = true;
    }
  }
  int classes = upper + lower + digit + symbol;
  if (classes < policy.min_classes) {
    return base::InvalidArgument("密码须包含大写字母、小写字母、数字、符号中的至少 " +
                                 std::to_string(policy.min_classes) + " 类");
  }
  if (!username.empty() && password.find(username) != std::string_view::npos) {
    return base::InvalidArgument("密码不能包含用户名");
  }
  return base::OkStatus();
}

base::Result<std::string> HashPassword(std::string_view password) {
  if (!InitSodium()) return base::Internal("密码库 libsodium 无法初始化");
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return base::Internal("计算密码散列时内存不足");
  }
  return std::string(out.data());
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  if (!InitSodium() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::string h(hash);  // NUL-terminated copy
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

std::string RandomPassword(int length) {
  InitSodium();
  // Letters and digits that cannot be confused when read aloud or copied from a screen.
  static constexpr std::string_view kUpper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
  static constexpr std::string_view kLower = "abcdefghijkmnpqrstuvwxyz";
  static constexpr std::string_view kDigit = "23456789";
  static constexpr std::string_view kSymbol = "#@";
  static constexpr std::string_view kAll[] = {kUpper, kLower, kDigit, kSymbol};
  if (length < 8) length = 8;
  std::string out;
  for (int i = 0; i < length; ++i) {
    std::string_view set = kAll[i < 4 ? i : randombytes_uniform(4)];
    out += set[randombytes_uniform(static_cast<uint32_t>(set.size()))];
  }
  // Shuffle so the classes are not in a fixed order.
  for (size_t i = out.size() - 1; i > 0; --i) {
    std::swap(out[i], out[randombytes_uniform(static_cast<uint32_t>(i + 1))]);
  }
  return out;
}

std::string RandomToken() {
  InitSodium();
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::array<char, 65> hex{};
  sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
  return std::string(hex.data(), 64);
}

std::string RandomDigits(int n) {
  InitSodium();
  std::string out;
  for (int i = 0; i < n; ++i) out += static_cast<char>('0' + randombytes_uniform(10));
  return out;
}

}  // namespace getihu::server
