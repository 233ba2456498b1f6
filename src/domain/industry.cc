#include "domain/industry.h"

#include <array>

#include "base/text.h"

namespace getihu::domain {
namespace {

constexpr IndustrySection kSections[] = {
    {'A', "农、林、牧、渔业", 1, 5},
    {'B', "采矿业", 6, 12},
    {'C', "制造业", 13, 43},
    {'D', "电力、热力、燃气及水生产和供应业", 44, 46},
    {'E', "建筑业", 47, 50},
    {'F', "批发和零售业", 51, 52},
    {'G', "交通运输、仓储和邮政业", 53, 60},
    {'H', "住宿和餐饮业", 61, 62},
    {'I', "信息传输、软件和信息技术服务业", 63, 65},
    {'J', "金融业", 66, 69},
    {'K', "房地产业", 70, 70},
    {'L', "租赁和商务服务业", 71, 72},
    {'M', "科学研究和技术服务业", 73, 75},
    {'N', "水利、环境和公共设施管理业", 76, 79},
    {'O', "居民服务、修理和其他服务业", 80, 82},
    {'P', "教育", 83, 83},
    {'Q', "卫生和社会工作", 84, 85},
    {'R', "文化、体育和娱乐业", 86, 90},
    {'S', "公共管理、社会保障和社会组织", 91, 96},
    {'T', "国际组织", 97, 97},
};

// Division names of GB/T 4754-2017, index = division number - 1.
constexpr std::string_view kDivisionNames[] = {
    "农业",
    "林业",
    "畜牧业",
    "渔业",
    "农、林、牧、渔专业及辅助性活动",  // 01-05
    "煤炭开采和洗选业",
    "石油和天然气开采业",
    "黑色金属矿采选业",
    "有色金属矿采选业",
    "非金属矿采选业",
    "开采专业及辅助性活动",
    "其他采矿业",  // 06-12
    "农副食品加工业",
    "食品制造业",
    "酒、饮料和精制茶制造业",
    "烟草制品业",
    "纺织业",
    "纺织服装、服饰业",
    "皮革、毛皮、羽毛及其制品和制鞋业",
    "木材加工和木、竹、藤、棕、草制品业",
    "家具制造业",
    "造纸和纸制品业",
    "印刷和记录媒介复制业",
    "文教、工美、体育和娱乐用品制造业",
    "石油、煤炭及其他燃料加工业",
    "化学原料和化学制品制造业",
    "医药制造业",
    "化学纤维制造业",
    "橡胶和塑料制品业",
    "非金属矿物制品业",
    "黑色金属冶炼和压延加工业",
    "有色金属冶炼和压延加工业",
    "金属制品业",
    "通用设备制造业",
    "专用设备制造业",
    "汽车制造业",
    "铁路、船舶、航空航天和其他运输设备制造业",
    "电气机械和器材制造业",
    "计算机、通信和其他电子设备制造业",
    "仪器仪表制造业",
    "其他制造业",
    "废弃资源综合利用业",
    "金属制品、机械和设备修理业",  // 13-43
    "电力、热力生产和供应业",
    "燃气生产和供应业",
    "水的生产和供应业",  // 44-46
    "房屋建筑业",
    "土木工程建筑业",
    "建筑安装业",
    "建筑装饰、装修和其他建筑业",  // 47-50
    "批发业",
    "零售业",  // 51-52
    "铁路运输业",
    "道路运输业",
    "水上运输业",
    "航空运输业",
    "管道运输业",
    "多式联运和运输代理业",
    "装卸搬运和仓储业",
    "邮政业",  // 53-60
    "住宿业",
    "餐饮业",  // 61-62
    "电信、广播电视和卫星传输服务",
    "互联网和相关服务",
    "软件和信息技术服务业",  // 63-65
    "货币金融服务",
    "资本市场服务",
    "保险业",
    "其他金融业",  // 66-69
    "房地产业",    // 70
    "租赁业",
    "商务服务业",  // 71-72
    "研究和试验发展",
    "专业技术服务业",
    "科技推广和应用服务业",  // 73-75
    "水利管理业",
    "生态保护和环境治理业",
    "公共设施管理业",
    "土地管理业",  // 76-79
    "居民服务业",
    "机动车、电子产品和日用产品修理业",
    "其他服务业",  // 80-82
    "教育",        // 83
    "卫生",
    "社会工作",  // 84-85
    "新闻和出版业",
    "广播、电视、电影和录音制作业",
    "文化艺术业",
    "体育",
    "娱乐业",  // 86-90
    "中国共产党机关",
    "国家机构",
    "人民政协、民主党派",
    "社会保障",
    "群众团体、社会团体和其他成员组织",
    "基层群众自治组织及其他组织",  // 91-96
    "国际组织",                    // 97
};
constexpr int kDivisionCount = 97;
static_assert(std::size(kDivisionNames) == kDivisionCount);

// 三次产业划分规定 (2018): A primary, B–E secondary, the rest tertiary; divisions 05, 11
// and 43 (auxiliary activities and repair) are tertiary.
constexpr Sector SectorOf(char section, int division) {
  if (division == 5 || division == 11 || division == 43) return Sector::kTertiary;
  if (section == 'A') return Sector::kPrimary;
  if (section >= 'B' && section <= 'E') return Sector::kSecondary;
  return Sector::kTertiary;
}

constexpr char SectionLetterOf(int division) {
  for (const IndustrySection& s : kSections) {
    if (division >= s.first_division && division <= s.last_division) return s.letter;
  }
  return '\0';
}

constexpr std::array<IndustryDivision, kDivisionCount> kDivisions = [] {
  std::array<IndustryDivision, kDivisionCount> divisions{};
  for (int n = 1; n <= kDivisionCount; ++n) {
    char section = SectionLetterOf(n);
    divisions[n - 1] = {n, kDivisionNames[n - 1], section, SectorOf(section, n)};
  }
  return divisions;
}();

std::string Quote(std::string_view s) { return "“" + std::string(s) + "”"; }

bool IsDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

base::Result<IndustryInfo> AnalyzeDigits(std::string_view digits) {
  if (digits.size() < 2 || digits.size() > 4 || !IsDigits(digits)) {
    return base::InvalidArgument("行业代码" + Quote(digits) +
                                 "无效：应为门类字母（A–T）或2–4位数字代码");
  }
  int number = (digits[0] - '0') * 10 + (digits[1] - '0');
  const IndustryDivision* division = FindDivision(number);
  if (division == nullptr) {
    return base::InvalidArgument("行业大类" + Quote(digits.substr(0, 2)) +
                                 "不存在：大类代码为01–97");
  }
  return IndustryInfo{std::string(digits), FindSection(division->section), division,
                      division->sector, digits.size() > 2};
}

}  // namespace

std::string_view SectorName(Sector sector) {
  switch (sector) {
    case Sector::kPrimary:
      return "第一产业";
    case Sector::kSecondary:
      return "第二产业";
    case Sector::kTertiary:
      return "第三产业";
  }
  return "";
}

std::span<const IndustrySection> IndustrySections() { return kSections; }
std::span<const IndustryDivision> IndustryDivisions() { return kDivisions; }

const IndustrySection* FindSection(char letter) {
  if (letter < 'A' || letter > 'T') return nullptr;
  return &kSections[letter - 'A'];
}

const IndustryDivision* FindDivision(int number) {
  if (number < 1 || number > kDivisionCount) return nullptr;
  return &kDivisions[number - 1];
}

base::Result<IndustryInfo> AnalyzeIndustry(std::string_view code) {
  std::string text(base::TrimSpaces(base::FoldFullWidth(base::TrimSpaces(code))));
  if (text.empty()) return base::InvalidArgument("行业代码为空");
  char first = text[0];
  if (first >= 'a' && first <= 'z') first = static_cast<char>(first - 'a' + 'A');
  if (first < 'A' || first > 'Z') return AnalyzeDigits(text);
  const IndustrySection* section = FindSection(first);
  if (section == nullptr) {
    return base::InvalidArgument("行业门类" + Quote(text.substr(0, 1)) + "不存在：门类为A–T");
  }
  if (text.size() == 1) {
    // A section alone takes its main sector (A primary, B–E secondary).
    return IndustryInfo{std::string(1, first), section, nullptr, SectorOf(first, 0)};
  }
  GETIHU_ASSIGN_OR_RETURN(IndustryInfo info, AnalyzeDigits(std::string_view(text).substr(1)));
  if (info.section != section) {
    return base::InvalidArgument("行业代码" + Quote(text) + "的门类" + Quote(text.substr(0, 1)) +
                                 "与大类" + Quote(info.code.substr(0, 2)) + "所属门类" +
                                 Quote(std::string(1, info.section->letter)) + "不一致");
  }
  return info;
}

}  // namespace getihu::domain
