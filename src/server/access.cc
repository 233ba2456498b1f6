#include "server/access.h"

#include <algorithm>

#include "domain/region.h"

namespace getihu::server {

bool Has(const Principal& who, Permission p) {
  const std::string& r = who.role;
  switch (p) {
    case Permission::kSignedIn:
      return true;
    case Permission::kHouseholds:
      return r == "regulator" || r == "liaison";
    case Permission::kImport:
      return r == "regulator" || r == "department";
    case Permission::kTierRead:
    case Permission::kTierManage:
    case Permission::kReview:
      return r == "regulator";
    case Permission::kObject:
      return r == "regulator" || r == "owner";
    case Permission::kStats:
      return r == "regulator" || r == "admin";
    case Permission::kAdmin:
    case Permission::kAudit:
      return r == "admin";
  }
  return false;
}

bool InScope(const Principal& who, std::string_view region_code) {
  return region_code.starts_with(who.region_prefix);
}

base::Status CheckHousehold(const Principal& who, std::string_view uscc,
                            std::string_view region_code) {
  if (who.role == "owner") {
    if (who.household_uscc.has_value() && *who.household_uscc == uscc) return base::OkStatus();
    return base::PermissionDenied("只能查看本人经营的个体工商户");
  }
  if (!Has(who, Permission::kHouseholds) && !Has(who, Permission::kTierRead)) {
    return base::PermissionDenied("当前角色无权查看个体工商户信息");
  }
  if (!InScope(who, region_code)) {
    return base::PermissionDenied("该个体工商户不在您的管辖区域内");
  }
  return base::OkStatus();
}

base::Result<std::string> AccountRegionScope(std::string_view code) {
  if (code.size() > 6 ||
      !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return base::InvalidArgument("管辖区划应为 0–6 位数字的区划代码或其前缀：" + std::string(code));
  }
  if (code.size() < 6) return std::string(code);
  const domain::Region* r = domain::RegionTable::Builtin().Find(code);
  if (r == nullptr) {
    return base::InvalidArgument("管辖区划代码“" + std::string(code) + "”不存在");
  }
  return domain::NormalizeRegionCode(code);
}

base::Result<std::string> ScopedRegion(const Principal& who, std::string_view requested) {
  if (requested.size() > 6 || !std::all_of(requested.begin(), requested.end(),
                                           [](char c) { return c >= '0' && c <= '9'; })) {
    return base::InvalidArgument("区划代码应为 0–6 位数字：" + std::string(requested));
  }
  if (requested.empty()) return who.region_prefix;
  std::string_view prefix = requested;
  if (prefix.size() == 6) {
    while (prefix.size() > 2 && prefix.ends_with("00")) prefix.remove_suffix(2);
  }
  if (!prefix.starts_with(who.region_prefix)) {
    return base::PermissionDenied("区划 " + std::string(requested) + " 不在您的管辖区域内");
  }
  return std::string(prefix);
}

bool MayUpload(const Principal& who, std::string_view feed) {
  if (who.role == "regulator") return true;
  if (who.role != "department") return false;
  return std::find(who.department_feeds.begin(), who.department_feeds.end(), feed) !=
         who.department_feeds.end();
}

std::span<const std::string_view> AllRoles() {
  static constexpr std::string_view kRoles[] = {"regulator", "department", "liaison", "owner",
                                                "admin"};
  return kRoles;
}

std::span<const PermissionInfo> AllPermissions() {
  static constexpr PermissionInfo kPermissions[] = {
      {Permission::kHouseholds, "households", "查询辖区个体工商户"},
      {Permission::kImport, "import", "上传部门数据（部门用户仅限本部门数据）"},
      {Permission::kTierRead, "tier_read", "查看分型批次、原因、差异与模拟"},
      {Permission::kTierManage, "tier_manage", "发起分型、导出名录"},
      {Permission::kReview, "review", "处理分型异议"},
      {Permission::kObject, "object", "提出分型异议（经营者仅限本户）"},
      {Permission::kStats, "stats", "统计指标与分析报告"},
      {Permission::kAdmin, "admin", "用户、部门与参数管理"},
      {Permission::kAudit, "audit", "查看操作日志"},
  };
  return kPermissions;
}

std::string RoleName(std::string_view role) {
  if (role == "admin") return "系统管理员";
  if (role == "regulator") return "市场监管人员";
  if (role == "department") return "部门用户";
  if (role == "liaison") return "包联干部";
  if (role == "owner") return "经营者";
  return std::string(role);
}

}  // namespace getihu::server
