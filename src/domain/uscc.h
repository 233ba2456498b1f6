// 统一社会信用代码 (USCC, GB 32100-2015) and the legacy 15-digit 注册号: validation,
// parts, and a generator of valid codes. See ../shared/domain/README.md §7.
// Free functions and value types; thread-safe. The allow-list is thread-compatible.
#ifndef GETIHU_DOMAIN_USCC_H_
#define GETIHU_DOMAIN_USCC_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "base/status.h"

namespace getihu::domain {

// The 31 symbols of GB 32100 in value order: 0-9 then A-Y without I, O, S, V, Z.
inline constexpr std::string_view kUsccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
inline constexpr size_t kUsccLength = 18;
inline constexpr size_t kLegacyRegistrationLength = 15;

// Returns the value (0..30) of a USCC symbol, or -1 for a character outside the set.
int UsccCharValue(char c);

// Returns the check character (position 18) for the first 17 characters.
// REQUIRES: `first17` has 17 characters, all from kUsccAlphabet.
char UsccCheckChar(std::string_view first17);

// Returns the GB 11714 check character (position 17) for the 8 characters at positions
// 9-16, or '\0' when one of them is not 0-9/A-Z.
char OrgCodeCheckChar(std::string_view first8);

// A problem found in a code. Errors make the code invalid; warnings do not.
struct UsccIssue {
  enum class Severity { kError, kWarning };
  Severity severity;
  std::string code;     // stable machine name, e.g. "check_char", "inner_check"
  std::string message;  // Chinese, for users
};

enum class CodeKind { kUscc, kLegacyRegistration };

// The parts of a validated code. For a legacy 注册号 only region_code, sequence and the
// check characters are set (plus the household hint).
struct UsccInfo {
  CodeKind kind = CodeKind::kUscc;
  std::string normalized;        // upper-case, full-width folded, trimmed
  bool valid = false;            // no error-severity issue (or allow-listed)
  bool allow_listed = false;     // failed the check but is on the allow-list
  char department = 0;           // position 1, e.g. '9'
  std::string department_name;   // e.g. "工商" ("" when unknown)
  char entity_type = 0;          // position 2
  std::string entity_type_name;  // e.g. "个体工商户" ("" when unknown)
  std::string region_code;       // positions 3-8 (6 digits) or the legacy first 6
  std::string org_code;          // positions 9-17 (GB 11714 body identifier)
  std::string sequence;          // legacy 注册号 only: the 8-digit sequence (positions 7-14)
  char check_char = 0;           // as given
  char expected_check_char = 0;  // as computed ('\0' when the body is malformed)
  bool is_household_by_prefix = false;  // "92…" or legacy sequence starting 6-9; a hint
  std::vector<UsccIssue> issues;
};

// A set of known legacy codes that fail the check character but are legal (early pilot
// codes, §7.6). Thread-compatible: fill it once, then share read-only.
class UsccAllowList {
 public:
  void Add(std::string_view code);
  bool Contains(std::string_view normalized_code) const;
  size_t size() const { return codes_.size(); }
  // Loads one code per line ('#' starts a comment). Returns InvalidArgument for a line
  // that is not 18 characters.
  base::Status LoadFromText(std::string_view text);

 private:
  std::unordered_set<std::string> codes_;
};

// Analyses an 18-character USCC or a 15-digit 注册号 (by length after normalising).
// Never fails: problems are reported as issues. `allow_list` may be null.
UsccInfo AnalyzeUscc(std::string_view code, const UsccAllowList* allow_list = nullptr);

// Returns OK when `code` is a valid USCC (warnings ignored), else InvalidArgument with
// the first error's Chinese message (e.g. naming the expected check character).
base::Status ValidateUscc(std::string_view code, const UsccAllowList* allow_list = nullptr);

// Returns the check digit of a legacy 15-digit 注册号 for its first 14 digits.
// REQUIRES: `first14` is 14 ASCII digits.
char LegacyRegistrationCheckDigit(std::string_view first14);

// Generates valid codes. Deterministic: the same (region, entity, sequence) always gives
// the same code, and distinct sequences give distinct codes (for sequence < 31^7; larger
// sequences wrap modulo 31^7). The organisation code is 'M' (as issued by market
// regulation since 2015), 7 symbols that scramble `sequence`, and its GB 11714 check
// character, so it passes the inner check too. Thread-safe (immutable).
class UsccGenerator {
 public:
  // REQUIRES: region_code is 6 digits; department/entity_type are USCC symbols.
  UsccGenerator(std::string_view region_code, char department = '9', char entity_type = '2');
  std::string Generate(uint64_t sequence) const;

 private:
  std::string prefix_;  // 8 characters
};

// Generates a valid legacy 注册号 for a household: region, then 60000000 + sequence (its
// first digit is 6-9), then the check digit. Distinct for sequence < 4×10^7, then wraps.
// REQUIRES: region_code is 6 digits.
std::string GenerateLegacyRegistration(std::string_view region_code, uint64_t sequence);

}  // namespace getihu::domain

#endif  // GETIHU_DOMAIN_USCC_H_
