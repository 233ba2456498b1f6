// Column encryption of personal data at rest (../shared/domain §9.3, GB/T 39786-2021 8.4): the
// households' operator ID numbers (经营者身份证号) and phones (联系电话) are stored sealed with
// SM4 (base/crypto.h), next to a keyed SM3 hash for exact lookup. Immutable once created, so
// one FieldCipher is shared by every connection and thread.
//
// Why here and not in base/: base holds the primitives; the stored form ("sm4:" + hex, plain
// text passed through as legacy, the lookup hash beside it) is a format of the schema's
// columns, read and written only by the repositories, so it lives with them. Layers above see
// it through Database::set_field_cipher.
//
// Keys. A 32-byte data key, kept in a file outside the repository and the database (64 hex
// characters; LoadDataKey), yields two independent subkeys:
//   enc_key    = HMAC-SM3(data_key, "getihu-pii-enc")[0, 16)   the key of Sm4Encrypt
//   lookup_key = HMAC-SM3(data_key, "getihu-pii-lookup")       the key of the lookup hash
// so a leaked lookup hash says nothing about the ciphertexts and the reverse.
//
// Limits: a sealed value is not bound to its row or column (someone who can write the table
// can swap two sealed values); the lookup hash is deterministic, so equal values have equal
// hashes (that is what makes the lookup work). Rotating the data key is not supported yet.
#ifndef GETIHU_STORAGE_FIELD_CIPHER_H_
#define GETIHU_STORAGE_FIELD_CIPHER_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "base/crypto.h"
#include "base/status.h"

namespace getihu::storage {

class FieldCipher {
 public:
  static constexpr size_t kDataKeyBytes = 32;
  // What a sealed stored value starts with; the rest is hex(nonce || ciphertext || tag).
  static constexpr std::string_view kSealedPrefix = "sm4:";

  // Derives the subkeys of `data_key`. InvalidArgument when it is not kDataKeyBytes long;
  // Internal when OpenSSL fails.
  static base::Result<FieldCipher> Create(std::string_view data_key);

  // Returns "sm4:" + hex of `plaintext` sealed under a fresh nonce: 60 + 2 × its length
  // characters, different on every call. Internal or Unavailable when OpenSSL fails.
  base::Result<std::string> Seal(std::string_view plaintext) const;

  // Returns the plaintext of a value made by Seal. A value without the "sm4:" prefix is a
  // legacy plaintext (stored before a key was configured) and comes back as it is. DataLoss
  // when a sealed value does not decode or its tag does not match (another key, or altered).
  base::Result<std::string> Open(std::string_view stored) const;

  // Returns the keyed hash of `normalized` as 64 lower-case hex characters: equal inputs give
  // equal hashes under one key, and nothing about the input without it. Callers normalise
  // first (NormalizeForLookup). Internal when OpenSSL fails.
  base::Result<std::string> LookupHash(std::string_view normalized) const;

  // Whether `stored` is in the sealed form (starts with "sm4:").
  static bool IsSealed(std::string_view stored) { return stored.starts_with(kSealedPrefix); }

 private:
  FieldCipher(base::Sm4Key enc_key, base::HmacSm3Key lookup_key)
      : enc_key_(std::move(enc_key)), lookup_key_(std::move(lookup_key)) {}

  base::Sm4Key enc_key_;
  base::HmacSm3Key lookup_key_;
};

// The form a value is hashed in: surrounding ASCII white space removed and ASCII letters in
// upper case (an ID number's check character 'x' is 'X'), so that a lookup finds what the
// import stored.
std::string NormalizeForLookup(std::string_view value);

// The column value of a sensitive field: sealed when `cipher` is set, else as given; nullopt
// stays nullopt. Errors as FieldCipher::Seal.
base::Result<std::optional<std::string>> SealField(const FieldCipher* cipher,
                                                   const std::optional<std::string>& value);

// The lookup hash of a sensitive field: nullopt without a cipher or a value.
base::Result<std::optional<std::string>> LookupHashOf(const FieldCipher* cipher,
                                                      const std::optional<std::string>& value);

// The plaintext of a stored sensitive field (`what` names it in messages, e.g. "经营者身份证号").
// Legacy plaintext passes through. FailedPrecondition when the value is sealed and `cipher`
// is null (a data key must be configured to read it); DataLoss as FieldCipher::Open.
base::Result<std::optional<std::string>> OpenField(const FieldCipher* cipher,
                                                   std::optional<std::string> stored,
                                                   std::string_view what);

// Reads a data key file: 64 hex characters (white space around them ignored) → 32 bytes.
// NotFound when the file is missing; FailedPrecondition when its group or others may read or
// write it (like ssh, a key file must be the owner's alone: chmod 600); InvalidArgument for
// any other content; Unavailable when it cannot be read.
base::Result<std::string> LoadDataKey(const std::string& path);

// Writes a new random data key to `path` (created with mode 0600, never overwritten) in the
// form LoadDataKey reads. AlreadyExists when `path` exists (replacing a key in use would make
// the sealed values unreadable); Unavailable when it cannot be written.
base::Status WriteNewDataKey(const std::string& path);

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_FIELD_CIPHER_H_
