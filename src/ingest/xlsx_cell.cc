#include "ingest/xlsx_cell.h"

#include <charconv>
#include <cmath>
#include <cstdint>

#include "base/date.h"

namespace getihu::ingest {

int ColumnFromRef(std::string_view ref) {
  int column = 0;
  size_t i = 0;
  for (; i < ref.size() && i < 4; ++i) {
    char c = ref[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') break;
    column = column * 26 + (c - 'A' + 1);
  }
  if (i == 0 || i > 3 || column - 1 > kMaxXlsxColumn) return -1;
  if (i < ref.size() && (ref[i] < '0' || ref[i] > '9')) return -1;
  return column - 1;
}

std::string ColumnName(int index) {
  std::string name;
  for (int n = index + 1; n > 0; n = (n - 1) / 26) {
    name.insert(name.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return name;
}

void AppendNumberText(std::string_view value, bool date_format, std::string& out) {
  double v = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || end != value.data() + value.size() || !std::isfinite(v)) {
    out.append(value);
    return;
  }
  if (date_format) {
    if (auto date = base::Date::FromExcelSerial(v); date.ok()) {
      out += date->ToString();
      return;
    }
  }
  char buf[40];
  if (v == std::trunc(v) && std::fabs(v) < 1e15) {
    auto r = std::to_chars(buf, buf + sizeof buf, static_cast<int64_t>(v));
    out.append(buf, r.ptr);
    return;
  }
  // Excel keeps 15 significant digits; the binary noise beyond them is not data.
  auto g = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 15);
  double rounded = v;
  std::from_chars(buf, g.ptr, rounded);
  auto r = std::to_chars(buf, buf + sizeof buf, rounded);
  out.append(buf, r.ptr);
}

}  // namespace getihu::ingest
