#include "base/crypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

namespace getihu::base {
namespace {

constexpr std::string_view kEncLabel = "getihu sm4-ctr enc";
constexpr std::string_view kMacLabel = "getihu sm4-ctr mac";
// 2^32 blocks of 16 bytes: the counter's low 32 bits must not carry into the nonce.
constexpr uint64_t kMaxPlaintextBytes = uint64_t{1} << 36;

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
struct MacCtxFree {
  void operator()(EVP_MAC_CTX* c) const { EVP_MAC_CTX_free(c); }
};

// Fetched once per process and kept to its end: an EVP_*_fetch takes a lock and searches the
// providers on every call, which costs more than encrypting a short value.
const EVP_CIPHER* Sm4CtrCipher() {
  static EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "SM4-CTR", nullptr);
  return cipher;
}
EVP_MAC* HmacAlgorithm() {
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  return mac;
}

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
  const EVP_CIPHER* cipher = Sm4CtrCipher();
  if (cipher == nullptr) return OpensslError("OpenSSL 不提供 SM4-CTR");
  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx(EVP_CIPHER_CTX_new());
  std::string iv(nonce);
  iv.resize(16, '\0');
  if (ctx == nullptr ||
      EVP_EncryptInit_ex2(ctx.get(), cipher, Bytes(key), Bytes(iv), nullptr) != 1) {
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

Result<std::string> Tag(const HmacSm3Key& mac_key, std::string_view nonce_and_ciphertext) {
  GETIHU_ASSIGN_OR_RETURN(std::string tag, mac_key.Mac(nonce_and_ciphertext));
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

// The HMAC context keyed once; Mac works on copies of it. EVP_MAC_CTX_dup only reads the
// template, but OpenSSL does not promise that concurrent reads of one context are safe: the
// mutex makes them so (uncontended, it costs far less than the copy).
struct HmacSm3Key::Prepared {
  std::mutex mu;
  std::unique_ptr<EVP_MAC_CTX, MacCtxFree> ctx;
};

Result<HmacSm3Key> HmacSm3Key::Create(std::string_view key) {
  EVP_MAC* mac = HmacAlgorithm();
  if (mac == nullptr) return OpensslError("OpenSSL 不提供 HMAC");
  auto prepared = std::make_shared<Prepared>();
  prepared->ctx.reset(EVP_MAC_CTX_new(mac));
  char digest[] = "SM3";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                         OSSL_PARAM_construct_end()};
  // A zero-length key is legal HMAC; OpenSSL wants a non-null pointer for it.
  static constexpr unsigned char kEmpty[1] = {0};
  if (prepared->ctx == nullptr ||
      EVP_MAC_init(prepared->ctx.get(), key.empty() ? kEmpty : Bytes(key), key.size(), params) !=
          1) {
    return OpensslError("HMAC-SM3 初始化");
  }
  return HmacSm3Key(std::move(prepared));
}

Result<std::string> HmacSm3Key::Mac(std::string_view bytes) const {
  std::unique_ptr<EVP_MAC_CTX, MacCtxFree> ctx;
  {
    std::lock_guard<std::mutex> lock(prepared_->mu);
    ctx.reset(EVP_MAC_CTX_dup(prepared_->ctx.get()));
  }
  std::string mac(kSm3Bytes, '\0');
  size_t size = 0;
  if (ctx == nullptr || EVP_MAC_update(ctx.get(), Bytes(bytes), bytes.size()) != 1 ||
      EVP_MAC_final(ctx.get(), Bytes(mac), &size, mac.size()) != 1 || size != kSm3Bytes) {
    return OpensslError("HMAC-SM3");
  }
  return mac;
}

Result<Sm4Key> Sm4Key::Create(std::string_view key) {
  GETIHU_RETURN_IF_ERROR(CheckKey(key));
  GETIHU_ASSIGN_OR_RETURN(std::string enc, HmacSm3(key, kEncLabel));
  GETIHU_ASSIGN_OR_RETURN(std::string mac, HmacSm3(key, kMacLabel));
  enc.resize(kSm4KeyBytes);
  GETIHU_ASSIGN_OR_RETURN(HmacSm3Key mac_key, HmacSm3Key::Create(mac));
  return Sm4Key(std::move(enc), std::move(mac_key));
}

Result<std::string> Sm4Key::Encrypt(std::string_view plaintext) const {
  if (plaintext.size() >= kMaxPlaintextBytes) {
    return ResourceExhausted("SM4 加密的数据不能达到 64 GiB");
  }
  GETIHU_ASSIGN_OR_RETURN(std::string sealed, RandomBytes(kSm4NonceBytes));
  GETIHU_ASSIGN_OR_RETURN(std::string ciphertext, Sm4Ctr(enc_key_, sealed, plaintext));
  sealed += ciphertext;
  GETIHU_ASSIGN_OR_RETURN(std::string tag, Tag(mac_key_, sealed));
  return sealed + tag;
}

Result<std::string> Sm4Key::Decrypt(std::string_view sealed) const {
  if (sealed.size() < kSm4NonceBytes + kSm4TagBytes) {
    return DataLoss("密文过短，不是完整的 SM4 加密数据");
  }
  std::string_view body = sealed.substr(0, sealed.size() - kSm4TagBytes);
  GETIHU_ASSIGN_OR_RETURN(std::string tag, Tag(mac_key_, body));
  if (CRYPTO_memcmp(tag.data(), sealed.data() + body.size(), kSm4TagBytes) != 0) {
    return DataLoss("密文校验失败：密钥不对，或数据已被篡改");
  }
  return Sm4Ctr(enc_key_, body.substr(0, kSm4NonceBytes), body.substr(kSm4NonceBytes));
}

Result<std::string> Sm4Encrypt(std::string_view key, std::string_view plaintext) {
  GETIHU_ASSIGN_OR_RETURN(Sm4Key prepared, Sm4Key::Create(key));
  return prepared.Encrypt(plaintext);
}

Result<std::string> Sm4Decrypt(std::string_view key, std::string_view sealed) {
  GETIHU_ASSIGN_OR_RETURN(Sm4Key prepared, Sm4Key::Create(key));
  return prepared.Decrypt(sealed);
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
