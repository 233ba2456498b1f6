#include "ingest/row_validator.h"

#include <utility>

namespace getihu::ingest {
namespace {

// Within-row date order: `later` must not be before `earlier` (both optional).
struct DateOrder {
  std::string_view feed, earlier, later, message;
};
constexpr DateOrder kDateOrders[] = {
    {"abnormal", "marked_on", "recovered_on", "恢复日期早于标记日期"},
    {"penalty", "decided_on", "repaired_on", "信用修复日期早于处罚决定日期"},
    {"dishonest_debtor", "listed_on", "removed_on", "移出日期早于列入日期"},
    {"loan", "granted_on", "due_on", "到期日期早于放款日期"},
    {"honour", "granted_on", "expires_on", "有效期截止日期早于授予日期"},
    {"registration", "established_on", "change_date", "变更日期早于成立日期"},
};

// Fields a 设立 (establishment) row must carry to create a household.
constexpr std::string_view kEstablishRequired[] = {"operator_name", "region_code", "industry_code"};

uint64_t HashBytes(uint64_t h, std::string_view s) {
  for (unsigned char c : s) h = (h ^ c) * 0x100000001B3ULL;  // FNV-1a
  return (h ^ 0xFF) * 0x100000001B3ULL;
}

uint64_t Finalize(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace

bool KeyHashSet::Insert(uint64_t hash) {
  if (hash == 0) return !std::exchange(has_zero_, true);
  if ((size_ + 1) * 2 > slots_.size()) Grow();
  size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    if (slots_[i] == hash) return false;
    if (slots_[i] == 0) {
      slots_[i] = hash;
      ++size_;
      return true;
    }
  }
}

void KeyHashSet::Grow() {
  std::vector<uint64_t> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, 0);
  size_t mask = slots_.size() - 1;
  for (uint64_t h : old) {
    if (h == 0) continue;
    size_t i = h & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = h;
  }
}

RowValidator::RowValidator(const FeedLayout& feed, std::vector<int> columns, FieldParser& parser)
    : feed_(feed), columns_(std::move(columns)), parser_(parser) {
  for (std::string_view key : feed.key) key_fields_.push_back(Index(key));
}

int RowValidator::Index(std::string_view key) const {
  for (size_t i = 0; i < feed_.fields.size(); ++i) {
    if (feed_.fields[i].key == key) return static_cast<int>(i);
  }
  return -1;
}

bool RowValidator::Validate(uint64_t line, std::span<const std::string_view> cells, ValidRow& row,
                            RowIssue& issue) {
  row.line = line;
  row.values.resize(feed_.fields.size());
  FieldError error;
  for (size_t i = 0; i < feed_.fields.size(); ++i) {
    int c = columns_[i];
    std::string_view raw =
        c >= 0 && static_cast<size_t>(c) < cells.size() ? cells[static_cast<size_t>(c)] : "";
    if (!parser_.Parse(feed_.fields[i], raw, row.values[i], error)) {
      issue = {line, std::string(feed_.fields[i].header), std::string(raw), error.reason,
               std::move(error.message)};
      return false;
    }
  }
  return CheckRow(row, issue) && CheckDuplicate(row, issue);
}

bool RowValidator::CheckRow(const ValidRow& row, RowIssue& issue) const {
  for (const DateOrder& order : kDateOrders) {
    if (order.feed != feed_.name) continue;
    int a = Index(order.earlier), b = Index(order.later);
    const FieldValue &ea = row.values[static_cast<size_t>(a)],
                     &lb = row.values[static_cast<size_t>(b)];
    if (ea.present && lb.present && lb.date < ea.date) {
      issue = {row.line, std::string(feed_.fields[static_cast<size_t>(b)].header),
               lb.date.ToString(), "date_order", std::string(order.message)};
      return false;
    }
  }
  if (feed_.name == "annual_report") {
    const FieldValue &year = row.values[1], &filed = row.values[6];
    if (filed.date.year() <= year.number) {
      issue = {row.line, std::string(feed_.fields[6].header), filed.date.ToString(), "date_order",
               "报送日期应在报告年度之后"};
      return false;
    }
  }
  if (feed_.name == "registration") {
    std::string_view kind = row.values[static_cast<size_t>(Index("change_kind"))].text;
    if (kind == kChangeEstablish) {
      for (std::string_view key : kEstablishRequired) {
        int i = Index(key);
        if (!row.values[static_cast<size_t>(i)].present) {
          issue = {
              row.line, std::string(feed_.fields[static_cast<size_t>(i)].header), "",
              "missing_for_establish",
              "设立登记必须填写“" + std::string(feed_.fields[static_cast<size_t>(i)].header) + "”"};
          return false;
        }
      }
    }
    if (kind == kChangeConvert &&
        !row.values[static_cast<size_t>(Index("converted_uscc"))].present) {
      issue = {row.line, "转企后统一社会信用代码", "", "missing_for_establish",
               "个转企登记必须填写转企后统一社会信用代码"};
      return false;
    }
  }
  return true;
}

std::string RowValidator::KeyPart(const ValidRow& row, int k) const {
  const FieldValue& v = row.values[static_cast<size_t>(k)];
  if (!v.text.empty()) return v.text;
  if (feed_.fields[static_cast<size_t>(k)].type == FieldType::kDate) return v.date.ToString();
  return std::to_string(v.number);
}

bool RowValidator::CheckDuplicate(const ValidRow& row, RowIssue& issue) {
  uint64_t h = 0xCBF29CE484222325ULL;
  for (int k : key_fields_) {
    const FieldValue& v = row.values[static_cast<size_t>(k)];
    if (!v.text.empty()) {
      h = HashBytes(h, v.text);
    } else {
      int64_t n = feed_.fields[static_cast<size_t>(k)].type == FieldType::kDate
                      ? v.date.days_since_epoch()
                      : v.number;
      h = HashBytes(h, std::string_view(reinterpret_cast<const char*>(&n), sizeof n));
    }
  }
  if (seen_keys_.Insert(Finalize(h))) return true;
  std::string shown;
  for (int k : key_fields_) shown += (shown.empty() ? "" : " / ") + KeyPart(row, k);
  issue = {row.line, "", shown, "duplicate_key", "与本文件前面的行重复（" + shown + "）"};
  return false;
}

}  // namespace getihu::ingest
