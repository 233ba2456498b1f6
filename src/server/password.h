// Passwords (../shared/domain §9.1): Argon2id hashes through libsodium, the password policy
// (length, character classes, not the username, not one of the last five), and random
// passwords and tokens. Thread-safe.
#ifndef GETIHU_SERVER_PASSWORD_H_
#define GETIHU_SERVER_PASSWORD_H_

#include <span>
#include <string>
#include <string_view>

#include "base/status.h"

namespace getihu::server {

struct PasswordPolicy {
  int min_length = 8;
  int max_length = 128;
  int min_classes = 3;  // of upper case, lower case, digits, symbols
  int history = 5;      // the last N passwords may not come back
  int max_age_days = 90;
};

// InvalidArgument with a Chinese message naming what is missing.
base::Status CheckPasswordPolicy(std::string_view password, std::string_view username,
                                 const PasswordPolicy& policy);

// An Argon2id hash in the PHC string format ("$argon2id$v=19$m=…"), salted at random.
// Internal when libsodium cannot initialise or runs out of memory.
base::Result<std::string> HashPassword(std::string_view password);
// Constant-time check of `password` against a hash from HashPassword.
bool VerifyPassword(std::string_view hash, std::string_view password);

// A random password of `length` characters that satisfies the default policy (for new
// accounts and resets; the user must change it at first login).
std::string RandomPassword(int length = 14);
// 32 random bytes as 64 hex characters (session and CSRF tokens).
std::string RandomToken();

// `n` random decimal digits (one-time login codes).
std::string RandomDigits(int n);

}  // namespace getihu::server

#endif  // GETIHU_SERVER_PASSWORD_H_
