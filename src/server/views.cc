#include "server/views.h"

#include <cstdlib>

#include "domain/citizen_id.h"
#include "domain/industry.h"
#include "domain/region.h"

namespace getihu::server {
namespace {

// Splits UTF-8 text into code points (as byte strings).
std::vector<std::string> CodePoints(std::string_view s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    out.emplace_back(s.substr(i, n));
    i += n;
  }
  return out;
}

// Whether `s` is well-formed UTF-8 (RFC 3629: no overlong forms, surrogates or code points
// above U+10FFFF).
bool ValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + n > s.size()) return false;
    const unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
    if (c1 < lo || c1 > hi) return false;
    for (size_t k = 2; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

std::string_view TableName(std::string_view table) {
  if (table == "household_status_history") return "登记状态变化";
  if (table == "annual_reports") return "年度报告";
  if (table == "tax_records") return "纳税";
  if (table == "social_insurance") return "社会保险参保";
  if (table == "housing_fund") return "住房公积金";
  if (table == "loans") return "贷款";
  if (table == "penalties") return "行政处罚";
  if (table == "abnormal_marks") return "经营异常名录";
  if (table == "dishonest_debtors") return "失信被执行人";
  if (table == "safety_accidents") return "安全生产事故";
  if (table == "honours") return "荣誉与认证";
  if (table == "intellectual_property") return "商标与专利";
  if (table == "owner_attributes") return "经营者属性";
  return table;
}

}  // namespace

std::string MaskPhone(std::string_view phone) {
  if (phone.size() <= 7) return std::string(phone.size(), '*');
  return std::string(phone.substr(0, 3)) + std::string(phone.size() - 7, '*') +
         std::string(phone.substr(phone.size() - 4));
}

std::string MaskName(std::string_view name) {
  std::vector<std::string> cps = CodePoints(name);
  if (cps.empty()) return "";
  std::string out = cps[0];
  for (size_t i = 1; i < cps.size(); ++i) out += '*';
  if (cps.size() == 1) out += '*';
  return out;
}

std::string_view OutcomeKey(int stored) {
  switch (stored) {
    case 1:
      return "survival";
    case 2:
      return "growth";
    case 3:
      return "development";
    default:
      return "untyped";
  }
}

std::string_view OutcomeName(int stored) {
  switch (stored) {
    case 1:
      return "生存型";
    case 2:
      return "成长型";
    case 3:
      return "发展型";
    default:
      return "未分型";
  }
}

std::optional<int> OutcomeFromText(std::string_view text) {
  for (int i = 0; i < 4; ++i) {
    if (text == OutcomeKey(i) || text == OutcomeName(i)) return i;
  }
  return std::nullopt;
}

std::string_view StatusName(std::string_view status) {
  std::optional<domain::HouseholdStatus> s = domain::ParseHouseholdStatusCode(status);
  return s ? domain::HouseholdStatusName(*s) : status;
}

std::string YuanText(int64_t fen) {
  bool negative = fen < 0;
  uint64_t v = negative ? static_cast<uint64_t>(-(fen + 1)) + 1 : static_cast<uint64_t>(fen);
  std::string digits = std::to_string(v / 100);
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  char cents[4];
  std::snprintf(cents, sizeof cents, "%02d", static_cast<int>(v % 100));
  return (negative ? "-" : "") + grouped + "." + cents;
}

Json RegionJson(std::string_view code) {
  const domain::Region* r = domain::RegionTable::Builtin().Find(code);
  return {{"code", code}, {"name", r ? r->name : ""}};
}

Json IndustryJson(std::string_view code) {
  Json j = {{"code", code}};
  base::Result<domain::IndustryInfo> info = domain::AnalyzeIndustry(code);
  if (info.ok()) {
    j["section"] = std::string(1, info->section->letter);
    j["section_name"] = info->section->name;
    if (info->division) j["division_name"] = info->division->name;
    j["sector"] = domain::SectorName(info->sector);
  }
  return j;
}

Json HouseholdRowJson(const storage::HouseholdRow& h) {
  Json j = {{"uscc", h.uscc},
            {"name", h.name},
            {"operator_name", MaskName(h.operator_name)},
            {"region", RegionJson(h.region_code)},
            {"township", RegionJson(h.township_code)},
            {"industry", IndustryJson(h.industry_code)},
            {"status", h.status},
            {"status_name", StatusName(h.status)},
            {"registered_on", h.registered_on}};
  if (h.outcome) {
    j["tier"] = OutcomeKey(*h.outcome);
    j["tier_name"] = OutcomeName(*h.outcome);
  }
  return j;
}

Json HouseholdJson(const domain::Household& h, bool unmasked) {
  std::string status(domain::HouseholdStatusCode(h.status));
  Json j = {{"uscc", h.uscc},
            {"name", h.name.value_or("")},
            {"operator_name", unmasked ? h.operator_name : MaskName(h.operator_name)},
            {"region", RegionJson(h.region_code)},
            {"industry", IndustryJson(h.industry_code)},
            {"registered_on", h.registered_on.ToString()},
            {"status", status},
            {"status_name", StatusName(status)},
            {"status_since", h.status_since.ToString()},
            {"online", h.online},
            {"masked", !unmasked}};
  j["township"] = RegionJson(h.township_code.value_or(""));
  if (h.operator_id_number) {
    j["operator_id_number"] =
        unmasked ? *h.operator_id_number : domain::MaskCitizenId(*h.operator_id_number);
  }
  if (h.phone) j["phone"] = unmasked ? *h.phone : MaskPhone(*h.phone);
  if (h.premises) {
    const domain::Region* t =
        h.township_code ? domain::RegionTable::Builtin().Find(*h.township_code) : nullptr;
    j["premises"] = unmasked ? *h.premises : (t ? t->name : std::string()) + "****";
  }
  if (h.legacy_registration_no) j["legacy_registration_no"] = *h.legacy_registration_no;
  if (h.converted_uscc) j["converted_uscc"] = *h.converted_uscc;
  return j;
}

void AppendJsonString(std::string& out, std::string_view s) {
  if (!ValidUtf8(s)) {  // rare: the library's replacement, byte for byte as ReplyJson's
    out += Json(std::string(s)).dump(-1, ' ', false, Json::error_handler_t::replace);
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  size_t plain = 0;  // start of the run of bytes copied as they are
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
  }
  out.append(s.data() + plain, s.size() - plain);
  out += '"';
}

void AppendRecordTablesJson(std::string& out, const std::vector<storage::RecordTable>& tables) {
  out += '[';
  for (size_t k = 0; k < tables.size(); ++k) {
    const storage::RecordTable& t = tables[k];
    if (k > 0) out += ',';
    out += "{\"table\":";
    AppendJsonString(out, t.table);
    out += ",\"title\":";
    AppendJsonString(out, TableName(t.table));
    out += ",\"rows\":[";
    for (size_t r = 0; r < t.rows.size(); ++r) {
      if (r > 0) out += ',';
      out += '{';
      for (size_t c = 0; c < t.columns.size(); ++c) {
        const std::string& col = t.columns[c];
        const std::optional<std::string>& value = t.rows[r][c];
        if (c > 0) out += ',';
        AppendJsonString(out, col);
        out += ':';
        if (!value.has_value()) {
          out += "null";
        } else if (col.ends_with("_fen")) {
          const int64_t fen = std::strtoll(value->c_str(), nullptr, 10);
          out += std::to_string(fen);
          out += ',';
          AppendJsonString(out, col.substr(0, col.size() - 4) + "_yuan");
          out += ':';
          AppendJsonString(out, YuanText(fen));
        } else {
          AppendJsonString(out, *value);
        }
      }
      out += '}';
    }
    out += "]}";
  }
  out += ']';
}

}  // namespace getihu::server
