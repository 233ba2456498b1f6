#include "synth/names.h"

#include <array>
#include <cstdio>

#include "domain/citizen_id.h"

namespace getihu::synth {
namespace {

using SV = std::string_view;

constexpr std::array<SV, 40> kSurnames = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
    "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",
    "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "蒋", "蔡", "余"};
constexpr std::array<SV, 48> kGiven = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "兰", "建", "国", "红", "梅", "林", "波",
    "春", "燕", "琴", "云", "海", "亮", "成", "德", "文", "辉", "小", "志", "永", "福", "宇", "婷"};
constexpr std::array<SV, 30> kTradeNames = {
    "鑫", "隆", "兴", "福", "顺", "和", "盛", "旺", "源", "达", "佳", "美", "乐", "惠", "新",
    "金", "永", "祥", "发", "安", "丰", "瑞", "康", "宏", "泰", "华", "昌", "荣", "聚", "德"};
constexpr std::array<SV, 10> kStreets = {"正街", "大道", "路",   "新街", "老街",
                                         "中路", "南路", "北路", "东路", "西路"};

template <size_t N>
SV Pick(Rng& rng, const std::array<SV, N>& items) {
  return items[rng.Below(N)];
}

// "花溪街道" → "花溪", "界石镇" → "界石".
SV PlaceStem(SV township) {
  for (SV suffix : {SV("街道"), SV("镇"), SV("乡")}) {
    if (township.ends_with(suffix) && township.size() > suffix.size()) {
      return township.substr(0, township.size() - suffix.size());
    }
  }
  return township;
}

}  // namespace

std::string OperatorName(Rng& rng) {
  std::string name(Pick(rng, kSurnames));
  name += Pick(rng, kGiven);
  if (rng.Chance(0.7)) name += Pick(rng, kGiven);
  return name;
}

std::string ShopName(Rng& rng, const SynthHousehold& h) {
  if (rng.Chance(0.1)) return "";
  std::string name(h.fate.township->county_name);
  if (rng.Chance(0.4)) name += PlaceStem(h.fate.township->township_name);
  name += Pick(rng, kTradeNames);
  name += Pick(rng, kTradeNames);
  auto suffixes = h.fate.industry->shop_suffixes;
  name += suffixes[rng.Below(suffixes.size())];
  return name;
}

std::string CitizenIdNumber(Rng& rng, std::string_view county_code, base::Date birthday) {
  char body[24];
  std::snprintf(body, sizeof body, "%.6s%04d%02d%02d%03d", county_code.data(), birthday.year(),
                birthday.month(), birthday.day(), static_cast<int>(rng.Below(1000)));
  std::string id(body, 17);
  id += domain::CitizenIdCheckChar(id);
  return id;
}

std::string MobileNumber(Rng& rng) {
  static constexpr SV kPrefixes[] = {"13", "15", "17", "18", "19"};
  std::string phone(kPrefixes[rng.Below(5)]);
  char rest[16];
  std::snprintf(rest, sizeof rest, "%09llu",
                static_cast<unsigned long long>(rng.Below(1'000'000'000ULL)));
  return phone + rest;
}

std::string Premises(Rng& rng, const SynthHousehold& h) {
  const TownshipSlot& t = *h.fate.township;
  std::string address(t.county_name);
  address += t.township_name;
  address += PlaceStem(t.township_name);
  address += Pick(rng, kStreets);
  address += std::to_string(rng.Between(1, 399));
  address += "号";
  double u = rng.Uniform();
  if (u < 0.01) {
    address += "附" + std::to_string(rng.Between(1, 9)) + "号,附" +
               std::to_string(rng.Between(10, 19)) + "号";
  } else if (u < 0.0103) {
    address += "\n（临街门面）";
  } else if (u < 0.05) {
    address += "1-" + std::to_string(rng.Between(1, 12));
  }
  return address;
}

}  // namespace getihu::synth
