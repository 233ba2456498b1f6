#include "cli/check_command.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/exit_codes.h"
#include "domain/industry.h"
#include "domain/region.h"
#include "domain/uscc.h"

namespace getihu::cli {
namespace {

using Json = nlohmann::ordered_json;

std::string Char(char c) { return c == 0 ? std::string() : std::string(1, c); }

void PrintJson(const Json& j) { std::printf("%s\n", j.dump(2).c_str()); }

std::string RegionLabel(const std::string& code) {
  std::string full = domain::RegionTable::Builtin().FullName(code);
  return full.empty() ? code + "（区划表中未找到）" : code + " " + full;
}

Json UsccJson(const domain::UsccInfo& info) {
  Json j;
  j["code"] = info.normalized;
  j["kind"] = info.kind == domain::CodeKind::kUscc ? "uscc" : "legacy_registration";
  j["valid"] = info.valid;
  j["allow_listed"] = info.allow_listed;
  j["department"] = Char(info.department);
  j["department_name"] = info.department_name;
  j["entity_type"] = Char(info.entity_type);
  j["entity_type_name"] = info.entity_type_name;
  j["region_code"] = info.region_code;
  j["region_name"] = domain::RegionTable::Builtin().FullName(info.region_code);
  j["org_code"] = info.org_code;
  j["check_char"] = Char(info.check_char);
  j["expected_check_char"] = Char(info.expected_check_char);
  j["household_by_prefix"] = info.is_household_by_prefix;
  Json issues = Json::array();
  for (const domain::UsccIssue& issue : info.issues) {
    issues.push_back(
        {{"severity", issue.severity == domain::UsccIssue::Severity::kError ? "error" : "warning"},
         {"code", issue.code},
         {"message", issue.message}});
  }
  j["issues"] = issues;
  return j;
}

void PrintUscc(const domain::UsccInfo& info) {
  std::printf("%s  %s\n", info.normalized.c_str(), info.valid ? "有效" : "无效");
  bool legacy = info.kind == domain::CodeKind::kLegacyRegistration;
  if (legacy) std::printf("  类型：15 位注册号（2015 年前）\n");
  if (!legacy && info.department != 0) {
    std::printf("  登记管理部门：%c %s\n", info.department,
                info.department_name.empty() ? "（未知）" : info.department_name.c_str());
    std::printf("  机构类别：%c %s\n", info.entity_type,
                info.entity_type_name.empty() ? "（未知）" : info.entity_type_name.c_str());
  }
  if (!info.region_code.empty())
    std::printf("  登记机关区划：%s\n", RegionLabel(info.region_code).c_str());
  if (!info.org_code.empty()) std::printf("  主体标识码：%s\n", info.org_code.c_str());
  if (info.expected_check_char != 0) {
    bool right = info.check_char == info.expected_check_char;
    std::printf("  校验位：%c（%s）\n", info.check_char,
                right ? "正确" : ("应为 " + Char(info.expected_check_char)).c_str());
  }
  if (info.is_household_by_prefix)
    std::printf("  按代码推断：个体工商户（仅供参考，以登记记录为准）\n");
  for (const domain::UsccIssue& issue : info.issues) {
    bool error = issue.severity == domain::UsccIssue::Severity::kError;
    std::printf("  %s：%s\n", error ? "错误" : "提示", issue.message.c_str());
  }
}

}  // namespace

int CheckUscc(const std::vector<std::string>& codes, const std::string& allow_list_path,
              bool json) {
  domain::UsccAllowList allow;
  if (!allow_list_path.empty()) {
    std::ifstream in(allow_list_path, std::ios::binary);
    if (!in) return ReportError(base::NotFound("无法读取白名单文件 " + allow_list_path), json);
    std::stringstream text;
    text << in.rdbuf();
    base::Status s = allow.LoadFromText(text.str());
    if (!s.ok()) return ReportError(s.WithContext("白名单文件 " + allow_list_path), json);
  }
  bool all_valid = true;
  Json out = Json::array();
  for (const std::string& code : codes) {
    domain::UsccInfo info = domain::AnalyzeUscc(code, &allow);
    all_valid = all_valid && info.valid;
    if (json) {
      out.push_back(UsccJson(info));
    } else {
      PrintUscc(info);
    }
  }
  if (json) PrintJson(out);
  return all_valid ? kExitOk : kExitInvalidInput;
}

int CheckRegion(const std::vector<std::string>& codes, bool json) {
  const domain::RegionTable& table = domain::RegionTable::Builtin();
  bool all_valid = true;
  Json out = Json::array();
  for (const std::string& code : codes) {
    base::Status status = table.Validate(code);
    const domain::Region* region = status.ok() ? table.Find(code) : nullptr;
    all_valid = all_valid && status.ok();
    Json j;
    j["code"] = code;
    j["valid"] = status.ok();
    if (region != nullptr) {
      j["name"] = region->name;
      j["level"] = std::string(domain::RegionLevelName(region->level));
      Json chain = Json::array();
      for (const domain::Region* r : table.Chain(code))
        chain.push_back({{"code", r->code}, {"name", r->name}});
      j["chain"] = chain;
      j["children"] = table.Children(region->code).size();
    } else {
      j["message"] = status.message();
    }
    if (json) {
      out.push_back(j);
      continue;
    }
    if (region == nullptr) {
      std::printf("%s  无效：%s\n", code.c_str(), status.message().c_str());
      continue;
    }
    std::printf("%s  %s  有效\n  层级：%s\n  全称：%s\n", code.c_str(), region->name.c_str(),
                std::string(domain::RegionLevelName(region->level)).c_str(),
                table.FullName(code).c_str());
    if (size_t n = table.Children(region->code).size(); n > 0)
      std::printf("  下级区划：%zu 个\n", n);
  }
  if (json) {
    Json wrapped;
    wrapped["version"] = table.version();
    wrapped["results"] = out;
    PrintJson(wrapped);
  }
  return all_valid ? kExitOk : kExitInvalidInput;
}

int CheckIndustry(const std::vector<std::string>& codes, bool json) {
  bool all_valid = true;
  Json out = Json::array();
  for (const std::string& code : codes) {
    auto info = domain::AnalyzeIndustry(code);
    all_valid = all_valid && info.ok();
    Json j;
    j["code"] = code;
    j["valid"] = info.ok();
    if (!info.ok()) {
      j["message"] = info.status().message();
      if (json) {
        out.push_back(j);
      } else {
        std::printf("%s  无效：%s\n", code.c_str(), info.status().message().c_str());
      }
      continue;
    }
    std::string sector(domain::SectorName(info->sector));
    j["normalized"] = info->code;
    j["section"] = std::string(1, info->section->letter);
    j["section_name"] = std::string(info->section->name);
    if (info->division != nullptr) {
      j["division"] = info->division->number;
      j["division_name"] = std::string(info->division->name);
    }
    j["sector"] = static_cast<int>(info->sector);
    j["sector_name"] = sector;
    j["checked_to_division_only"] = info->below_division;
    if (json) {
      out.push_back(j);
      continue;
    }
    std::printf("%s  有效\n  门类：%c %s\n", info->code.c_str(), info->section->letter,
                std::string(info->section->name).c_str());
    if (info->division != nullptr) {
      std::printf("  大类：%02d %s\n", info->division->number,
                  std::string(info->division->name).c_str());
    }
    std::printf("  三次产业：%s\n", sector.c_str());
    if (info->below_division) std::printf("  注：中类、小类代码只校验到大类\n");
  }
  if (json) PrintJson(out);
  return all_valid ? kExitOk : kExitInvalidInput;
}

}  // namespace getihu::cli
