#include "base/money.h"

#include <cstdio>
#include <cstdlib>

namespace getihu::base {
namespace {

constexpr int64_t kMaxYuan = 1'000'000'000'000'000;  // 10^15

Status BadAmount(std::string_view text, std::string_view why) {
  return InvalidArgument("金额“" + std::string(text) + "”无效：" + std::string(why));
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool StripPrefix(std::string_view& s, std::string_view p) {
  if (!s.starts_with(p)) return false;
  s.remove_prefix(p.size());
  return true;
}

bool StripSuffix(std::string_view& s, std::string_view p) {
  if (!s.ends_with(p)) return false;
  s.remove_suffix(p.size());
  return true;
}

}  // namespace

Result<Money> Money::ParseYuan(std::string_view text) {
  std::string_view s = Trim(text);
  bool negative = StripPrefix(s, "-");
  if (!StripPrefix(s, "¥")) StripPrefix(s, "￥");
  StripSuffix(s, "元");
  s = Trim(s);
  if (s.empty()) return BadAmount(text, "为空");
  int64_t yuan = 0;
  int64_t fen = 0;
  int decimals = -1;  // -1: before the point
  bool digits = false;
  for (char c : s) {
    if (c == ',' && decimals < 0) continue;
    if (c == '.' && decimals < 0) {
      decimals = 0;
      continue;
    }
    if (c < '0' || c > '9') return BadAmount(text, "含有非数字字符");
    digits = true;
    if (decimals < 0) {
      yuan = yuan * 10 + (c - '0');
      if (yuan > kMaxYuan) return BadAmount(text, "超出范围");
    } else {
      if (++decimals > 2) return BadAmount(text, "最多保留两位小数（到分）");
      fen = fen * 10 + (c - '0');
    }
  }
  if (!digits) return BadAmount(text, "没有数字");
  if (decimals == 1) fen *= 10;
  int64_t total = yuan * 100 + fen;
  return Money(negative ? -total : total);
}

namespace {
// |fen| without overflow: the magnitude of INT64_MIN does not fit int64_t.
uint64_t Magnitude(int64_t fen) {
  return fen < 0 ? uint64_t{0} - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
}
}  // namespace

std::string Money::ToPlainYuan() const {
  uint64_t a = Magnitude(fen_);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s%llu.%02llu", fen_ < 0 ? "-" : "",
                static_cast<unsigned long long>(a / 100), static_cast<unsigned long long>(a % 100));
  return buf;
}

std::string Money::ToDisplayYuan() const {
  uint64_t a = Magnitude(fen_);
  std::string whole = std::to_string(a / 100);
  std::string grouped;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
    grouped += whole[i];
  }
  char frac[8];
  std::snprintf(frac, sizeof frac, ".%02llu", static_cast<unsigned long long>(a % 100));
  return (fen_ < 0 ? "-" : "") + grouped + frac;
}

}  // namespace getihu::base
