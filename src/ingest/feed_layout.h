// The declared layout of every department feed (部门数据): file, Chinese column headers,
// field types, required/optional, meaning and period semantics. One table of data drives
// the readers, the validators, `getihu gen` and docs/feeds.md; there is no parser per feed.
// Static data; thread-safe.
#ifndef GETIHU_INGEST_FEED_LAYOUT_H_
#define GETIHU_INGEST_FEED_LAYOUT_H_

#include <span>
#include <string_view>

namespace getihu::ingest {

enum class FieldType {
  kText,          // free text, trimmed
  kUscc,          // 统一社会信用代码, check character verified
  kLegacyRegNo,   // 15-digit 注册号
  kRegionCode,    // 6-digit GB/T 2260 county-level code
  kTownshipCode,  // 9-digit township code
  kIndustryCode,  // GB/T 4754-2017, validated to the division
  kDate,          // ISO 8601 (YYYY-MM-DD; YYYY/MM/DD, YYYYMMDD, Excel serials accepted)
  kMoney,         // yuan with up to two decimals, stored as fen; never negative
  kCount,         // non-negative integer
  kYear,          // four-digit year
  kPeriod,        // YYYY or YYYY-MM
  kEnum,          // one of `values`
  kBool,          // 是/否
  kIdNumber,      // 18-character citizen ID number (GB 11643), personal data
  kPhone,         // mobile or landline, personal data
};

// Returns the Chinese name of the type for docs and messages, e.g. "日期".
std::string_view FieldTypeName(FieldType type);

struct FieldSpec {
  std::string_view key;     // stable English name, e.g. "uscc"
  std::string_view header;  // the Chinese column header, e.g. "统一社会信用代码"
  FieldType type;
  bool required;
  std::string_view meaning;                  // one line, Chinese
  std::span<const std::string_view> values;  // for kEnum
  bool personal = false;                     // masked by default, every view audited
  bool future_ok = false;  // a date that may lie after the as-of date (a due date)
};

struct FeedLayout {
  std::string_view name;                  // stable English name and file stem, e.g. "tax"
  std::string_view title;                 // Chinese, e.g. "纳税信息"
  std::string_view department;            // the sending department, e.g. "税务"
  std::string_view period;                // what one row's period means, Chinese
  std::span<const std::string_view> key;  // field keys unique within a file
  std::span<const FieldSpec> fields;
};

// Every feed, registration first.
std::span<const FeedLayout> AllFeeds();

// Returns the feed named `name`, or nullptr.
const FeedLayout* FindFeed(std::string_view name);

// Returns the field of `feed` with key `key`, or nullptr.
const FieldSpec* FindField(const FeedLayout& feed, std::string_view key);

// Life-cycle events of the registration feed (变更类型), in the order a household meets them.
inline constexpr std::string_view kChangeEstablish = "设立";
inline constexpr std::string_view kChangeAlter = "变更";
inline constexpr std::string_view kChangeSuspend = "歇业";
inline constexpr std::string_view kChangeResume = "恢复营业";
inline constexpr std::string_view kChangeDeregister = "注销";
inline constexpr std::string_view kChangeRevoke = "吊销";
inline constexpr std::string_view kChangeConvert = "个转企";

}  // namespace getihu::ingest

#endif  // GETIHU_INGEST_FEED_LAYOUT_H_
