#include "base/crypto.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <utility>

namespace getihu::base {
namespace {

constexpr std::string_view kEncLabel = "getihu sm4-ctr enc";
constexpr std::string_view kMacLabel = "getihu sm4-ctr mac";
// 2^32 blocks of 16 bytes: the counter's low 32 bits must not carry into the nonce.
constexpr uint64_t kMaxPlaintextBytes = uint64_t{1} << 36;

struct CipherFree {
  void operator()(EVP_CIPHER* c) const { EVP_CIPHER_free(c); }
};
struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* Bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

// The Internal status for a failed OpenSSL call, with OpenSSL's reason when it left one.
Status OpensslError(std::string_view what) {
  std::string message = "密码运算失败：" + std::string(what);
  if (unsigned long e = ERR_get_error(); e != 0) {
    char reason[256];
    ERR_error_string_n(e, reason, sizeof reason);
    message += "（" + std::string(reason) + "）";
  }
  ERR_clear_error();
  return Internal(std::move(message));
}

Status CheckKey(std::string_view key) {
  if (key.size() == kSm4KeyBytes) return OkStatus();
  return InvalidArgument("SM4 密钥应为 16 字节，实际为 " + std::to_string(key.size()) + " 字节");
}

// SM4-CTR is its own inverse: the same call encrypts and decrypts.
Result<std::string> Sm4Ctr(std::string_view key, std::string_view nonce, std::string_view in) {
  std::unique_ptr<EVP_CIPHER, CipherFree> cipher(EVP_CIPHER_fetch(nullptr, "SM4-CTR", nullptr));
  if (cipher == nullptr) return OpensslError("OpenSSL 不提供 SM4-CTR");
  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx(EVP_CIPHER_CTX_new());
  std::string iv(nonce);
  iv.resize(16, '\0');
  if (ctx == nullptr ||
      EVP_EncryptInit_ex2(ctx.get(), cipher.get(), Bytes(key), Bytes(iv), nullptr) != 1) {
    return OpensslError("SM4-CTR 初始化");
  }
  std::string out(in.size(), '\0');
  int written = 0;
  // EVP lengths are int: feed at most 1 GiB at a time.
  constexpr size_t kChunk = size_t{1} << 30;
  for (size_t done = 0; done < in.size(); done += kChunk) {
    size_t n = std::min(kChunk, in.size() - done);
    if (EVP_EncryptUpdate(ctx.get(), Bytes(out) + done, &written, Bytes(in) + done,
                          static_cast<int>(n)) != 1) {
      return OpensslError("SM4-CTR 加解密");
    }
  }
  return out;
}

struct Sm4Keys {
  std::string enc;
  std::string mac;
};

Result<Sm4Keys> DeriveKeys(std::string_view key) {
  GETIHU_RETURN_IF_ERROR(CheckKey(key));
  GETIHU_ASSIGN_OR_RETURN(std::string enc, HmacSm3(key, kEncLabel));
  GETIHU_ASSIGN_OR_RETURN(std::string mac, HmacSm3(key, kMacLabel));
  enc.resize(kSm4KeyBytes);
  return Sm4Keys{std::move(enc), std::move(mac)};
}

Result<std::string> Tag(std::string_view mac_key, std::string_view nonce_and_ciphertext) {
  GETIHU_ASSIGN_OR_RETURN(std::string tag, HmacSm3(mac_key, nonce_and_ciphertext));
  tag.resize(kSm4TagBytes);
  return tag;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Result<std::string> Sm3(std::string_view bytes) {
  std::string digest(kSm3Bytes, '\0');
  size_t size = 0;
  if (EVP_Q_digest(nullptr, "SM3", nullptr, bytes.data(), bytes.size(), Bytes(digest), &size) !=
          1 ||
      size != kSm3Bytes) {
    return OpensslError("SM3");
  }
  return digest;
}

Result<std::string> HmacSm3(std::string_view key, std::string_view bytes) {
  std::string mac(kSm3Bytes, '\0');
  size_t size = 0;
  // A zero-length key is legal HMAC; OpenSSL wants a non-null pointer for it.
  static constexpr unsigned char kEmpty[1] = {0};
  const unsigned char* key_bytes = key.empty() ? kEmpty : Bytes(key);
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SM3", nullptr, key_bytes, key.size(), Bytes(bytes),
                bytes.size(), Bytes(mac), mac.size(), &size) == nullptr ||
      size != kSm3Bytes) {
    return OpensslError("HMAC-SM3");
  }
  return mac;
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    hex += kDigits[b >> 4];
    hex += kDigits[b & 0x0f];
  }
  return hex;
}

Result<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return InvalidArgument("十六进制文本的长度应为偶数");
  std::string bytes;
  bytes.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int high = HexValue(hex[i]), low = HexValue(hex[i + 1]);
    if (high < 0 || low < 0) {
      return InvalidArgument("十六进制文本第 " + std::to_string(i + (high < 0 ? 1 : 2)) +
                             " 个字符不是十六进制数字");
    }
    bytes += static_cast<char>(high << 4 | low);
  }
  return bytes;
}

Result<std::string> Sm4Encrypt(std::string_view key, std::string_view plaintext) {
  GETIHU_ASSIGN_OR_RETURN(Sm4Keys keys, DeriveKeys(key));
  if (plaintext.size() >= kMaxPlaintextBytes) {
    return ResourceExhausted("SM4 加密的数据不能达到 64 GiB");
  }
  GETIHU_ASSIGN_OR_RETURN(std::string sealed, RandomBytes(kSm4NonceBytes));
  GETIHU_ASSIGN_OR_RETURN(std::string ciphertext, Sm4Ctr(keys.enc, sealed, plaintext));
  sealed += ciphertext;
  GETIHU_ASSIGN_OR_RETURN(std::string tag, Tag(keys.mac, sealed));
  return sealed + tag;
}

Result<std::string> Sm4Decrypt(std::string_view key, std::string_view sealed) {
  GETIHU_ASSIGN_OR_RETURN(Sm4Keys keys, DeriveKeys(key));
  if (sealed.size() < kSm4NonceBytes + kSm4TagBytes) {
    return DataLoss("密文过短，不是完整的 SM4 加密数据");
  }
  std::string_view body = sealed.substr(0, sealed.size() - kSm4TagBytes);
  GETIHU_ASSIGN_OR_RETURN(std::string tag, Tag(keys.mac, body));
  if (CRYPTO_memcmp(tag.data(), sealed.data() + body.size(), kSm4TagBytes) != 0) {
    return DataLoss("密文校验失败：密钥不对，或数据已被篡改");
  }
  return Sm4Ctr(keys.enc, body.substr(0, kSm4NonceBytes), body.substr(kSm4NonceBytes));
}

Result<std::string> RandomBytes(size_t n) {
  if (n > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return InvalidArgument("一次请求的随机字节过多");
  }
  std::string bytes(n, '\0');
  if (n > 0 && RAND_bytes(Bytes(bytes), static_cast<int>(n)) != 1) {
    ERR_clear_error();
    return Unavailable("无法取得随机数（操作系统的随机源不可用）");
  }
  return bytes;
}

}  // namespace getihu::base
