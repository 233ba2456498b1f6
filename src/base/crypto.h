// Commercial cryptography (商用密码, GB/T 39786-2021) on OpenSSL 3's EVP interface: the SM3
// hash and HMAC-SM3 (GB/T 32905), authenticated SM4 encryption (GB/T 32907), hex text and
// random bytes. Byte strings are std::string; keys are raw bytes, never text. Free functions;
// thread-safe.
//
// Why SM4 here is CTR + HMAC-SM3 and not SM4-GCM: the OpenSSL 3.0 of Debian 12 has no SM4-GCM
// (EVP_CIPHER_fetch(NULL, "SM4-GCM", NULL) returns NULL; it offers SM4 in ECB, CBC, CFB, OFB
// and CTR). Domain §9.3 allows SM4 with HMAC-SM3 instead, so Sm4Encrypt is encrypt-then-MAC:
//   enc_key = HMAC-SM3(key, "getihu sm4-ctr enc")[0, 16)
//   mac_key = HMAC-SM3(key, "getihu sm4-ctr mac")
//   nonce   = 12 random bytes; counter block = nonce || 00 00 00 00 (big-endian, +1 a block)
//   tag     = HMAC-SM3(mac_key, nonce || ciphertext)[0, 16)
//   sealed  = nonce (12) || ciphertext (as long as the plaintext) || tag (16)
// The same layout as SM4-GCM would give, so the wire size does not change if a certified
// provider with GCM replaces this one; the two are not interchangeable byte for byte.
#ifndef GETIHU_BASE_CRYPTO_H_
#define GETIHU_BASE_CRYPTO_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "base/status.h"

namespace getihu::base {

inline constexpr size_t kSm3Bytes = 32;       // an SM3 digest and an HMAC-SM3 value
inline constexpr size_t kSm4KeyBytes = 16;    // the key of Sm4Encrypt / Sm4Decrypt
inline constexpr size_t kSm4NonceBytes = 12;  // the random prefix of a sealed value
inline constexpr size_t kSm4TagBytes = 16;    // the authentication tag at its end

// Returns the 32-byte SM3 digest of `bytes`. Internal when OpenSSL fails.
Result<std::string> Sm3(std::string_view bytes);

// Returns the 32-byte HMAC-SM3 of `bytes` under `key` (any length). Internal when OpenSSL
// fails.
Result<std::string> HmacSm3(std::string_view key, std::string_view bytes);

// Returns `bytes` as lower-case hexadecimal, two characters a byte.
std::string HexEncode(std::string_view bytes);

// Returns the bytes of hexadecimal text (either case). InvalidArgument for an odd length or
// a character that is not a hex digit.
Result<std::string> HexDecode(std::string_view hex);

// Encrypts and authenticates `plaintext` under a fresh random nonce (see the file comment for
// the construction). Returns nonce || ciphertext || tag, 28 bytes longer than the plaintext.
// InvalidArgument when `key` is not kSm4KeyBytes long; ResourceExhausted for a plaintext of
// 64 GiB or more (the 32-bit block counter would wrap); Internal when OpenSSL fails.
Result<std::string> Sm4Encrypt(std::string_view key, std::string_view plaintext);

// Checks the tag of a value made by Sm4Encrypt under `key` and returns the plaintext.
// DataLoss when the value is too short or its tag does not match (a wrong key, or the value
// was altered); InvalidArgument when `key` is not kSm4KeyBytes long; Internal when OpenSSL
// fails.
Result<std::string> Sm4Decrypt(std::string_view key, std::string_view sealed);

// A key prepared for many HMAC-SM3 computations: the algorithm is fetched and the key
// schedule done once, so that each Mac only copies a prepared context (several times faster
// than HmacSm3 on short inputs, which pays for both on every call). Copies share the prepared
// state. Thread-safe.
class HmacSm3Key {
 public:
  // Internal when OpenSSL fails.
  static Result<HmacSm3Key> Create(std::string_view key);
  // Returns HmacSm3(key, bytes). Internal when OpenSSL fails.
  Result<std::string> Mac(std::string_view bytes) const;

 private:
  struct Prepared;
  explicit HmacSm3Key(std::shared_ptr<Prepared> prepared) : prepared_(std::move(prepared)) {}
  std::shared_ptr<Prepared> prepared_;
};

// A key prepared for many Sm4Encrypt / Sm4Decrypt calls: the same construction and output,
// with the subkeys derived once. Thread-safe.
class Sm4Key {
 public:
  // InvalidArgument when `key` is not kSm4KeyBytes long; Internal when OpenSSL fails.
  static Result<Sm4Key> Create(std::string_view key);
  // As Sm4Encrypt(key, plaintext).
  Result<std::string> Encrypt(std::string_view plaintext) const;
  // As Sm4Decrypt(key, sealed).
  Result<std::string> Decrypt(std::string_view sealed) const;

 private:
  Sm4Key(std::string enc_key, HmacSm3Key mac_key)
      : enc_key_(std::move(enc_key)), mac_key_(std::move(mac_key)) {}
  std::string enc_key_;
  HmacSm3Key mac_key_;
};

// Returns `n` bytes from OpenSSL's CSPRNG (RAND_bytes). Unavailable when it cannot be seeded;
// InvalidArgument when `n` exceeds INT_MAX.
Result<std::string> RandomBytes(size_t n);

}  // namespace getihu::base

#endif  // GETIHU_BASE_CRYPTO_H_
