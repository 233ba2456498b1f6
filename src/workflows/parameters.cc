#include "workflows/parameters.h"

#include <charconv>
#include <optional>
#include <string>

#include "storage/parameter_repository.h"

namespace getihu::workflows {
namespace {

constexpr ParameterSpec kCatalogue[] = {
    {kObjectionWindowDays, "分型结果异议期", "天",
     "分型批次生成后，经营者可在此期限内对结果提出异议；期满后不再受理", 15, 1, 90},
    {kOwnerCodeTtlMinutes, "登录验证码有效期", "分钟", "经营者短信验证码登录时，验证码的有效时长",
     5, 1, 30},
    {kOwnerCodeResendSeconds, "验证码重发间隔", "秒", "同一户两次获取登录验证码的最短间隔", 60, 30,
     600},
    {kNotificationMaxAttempts, "通知最多发送次数", "次",
     "短信等通知发送失败后的重试上限，超过后记为发送失败", 3, 1, 10},
};

std::optional<int64_t> ParseInt(std::string_view text) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

}  // namespace

std::span<const ParameterSpec> ParameterCatalogue() { return kCatalogue; }

const ParameterSpec* FindParameter(std::string_view name) {
  for (const ParameterSpec& p : kCatalogue) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

base::Result<int64_t> ReadParameter(storage::Database& db, std::string_view name) {
  const ParameterSpec* spec = FindParameter(name);
  if (spec == nullptr) return base::NotFound("没有参数 " + std::string(name));
  storage::ParameterRepository repo(db);
  GETIHU_ASSIGN_OR_RETURN(std::optional<storage::StoredParameter> stored, repo.Get(name));
  if (!stored.has_value()) return spec->default_value;
  std::optional<int64_t> v = ParseInt(stored->value);
  // A value stored by hand outside the range falls back to the default rather than breaking
  // the platform; the console shows the stored text beside it.
  if (!v.has_value() || *v < spec->min || *v > spec->max) return spec->default_value;
  return *v;
}

base::Status WriteParameter(storage::Database& db, std::string_view name, std::string_view value,
                            std::string_view updated_by, std::string_view updated_at) {
  const ParameterSpec* spec = FindParameter(name);
  if (spec == nullptr) return base::NotFound("没有参数 " + std::string(name));
  std::optional<int64_t> v = ParseInt(value);
  if (!v.has_value() || *v < spec->min || *v > spec->max) {
    return base::InvalidArgument(std::string(spec->label) + "须为 " + std::to_string(spec->min) +
                                 "–" + std::to_string(spec->max) + " 之间的整数（" +
                                 std::string(spec->unit) + "）");
  }
  storage::ParameterRepository repo(db);
  return repo.Set(name, std::to_string(*v), updated_by, updated_at);
}

}  // namespace getihu::workflows
