// Parses one cell of a feed row into a typed value according to its FieldSpec, validating it
// at the boundary: codes against the national standards, dates (real, not after the as-of
// date), amounts (non-negative, at most two decimals), enumerations. Failures carry a stable
// reason code (for counting rejects by reason) and a Chinese message naming the value.
// FieldParser caches code look-ups; not thread-safe, use one per thread.
#ifndef GETIHU_INGEST_FIELD_PARSER_H_
#define GETIHU_INGEST_FIELD_PARSER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/date.h"
#include "domain/region.h"
#include "domain/uscc.h"
#include "ingest/feed_layout.h"

namespace getihu::ingest {

// A parsed cell. Which members are meaningful depends on the field type:
// number — kMoney (fen), kCount, kYear, kBool (0/1); date — kDate; text — every other type
// (normalised: trimmed, full-width folded, codes upper-cased).
struct FieldValue {
  bool present = false;  // false for an empty optional cell
  int64_t number = 0;
  base::Date date;
  std::string text;
};

// Why a cell or a row was refused.
struct FieldError {
  std::string_view reason;  // stable code, e.g. "invalid_uscc" (see ReasonLabel)
  std::string message;      // Chinese, names the offending value
};

// Returns the Chinese label used to group rejects, e.g. "统一社会信用代码无效".
std::string_view ReasonLabel(std::string_view reason);

class FieldParser {
 public:
  // `allow_list` may be null. REQUIRES: `regions` outlives the parser.
  FieldParser(base::Date as_of, const domain::RegionTable& regions,
              const domain::UsccAllowList* allow_list = nullptr);

  // Parses `raw` into `out`. Returns false and fills `error` when the cell is invalid
  // (including an empty required cell).
  bool Parse(const FieldSpec& spec, std::string_view raw, FieldValue& out, FieldError& error);

  base::Date as_of() const { return as_of_; }

 private:
  bool ParseUscc(std::string_view s, FieldValue& out, FieldError& error);
  bool ParseRegion(const FieldSpec& spec, std::string_view s, FieldValue& out, FieldError& error);
  bool ParseIndustry(std::string_view s, FieldValue& out, FieldError& error);
  bool ParseDate(std::string_view s, bool future_ok, FieldValue& out, FieldError& error);
  bool ParseMoney(std::string_view s, FieldValue& out, FieldError& error);
  bool ParseInteger(const FieldSpec& spec, std::string_view s, FieldValue& out, FieldError& error);
  bool ParsePeriod(std::string_view s, FieldValue& out, FieldError& error);
  bool ParseChoice(const FieldSpec& spec, std::string_view s, FieldValue& out, FieldError& error);
  bool ParseText(const FieldSpec& spec, std::string_view s, FieldValue& out, FieldError& error);

  base::Date as_of_;
  const domain::RegionTable& regions_;
  const domain::UsccAllowList* allow_list_;
  // Code look-ups seen before: code → error message ("" when valid) and normalised form.
  std::unordered_map<std::string, std::pair<std::string, std::string>> code_cache_;
};

}  // namespace getihu::ingest

#endif  // GETIHU_INGEST_FIELD_PARSER_H_
