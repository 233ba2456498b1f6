// 国民经济行业分类 (GB/T 4754-2017): the 20 sections A–T, the 97 divisions 01–97 with
// their Chinese names, and the three sectors (三次产业划分规定, 2018: divisions 05, 11 and
// 43 are tertiary). Static data; thread-safe.
#ifndef GETIHU_DOMAIN_INDUSTRY_H_
#define GETIHU_DOMAIN_INDUSTRY_H_

#include <span>
#include <string>
#include <string_view>

#include "base/status.h"

namespace getihu::domain {

enum class Sector { kPrimary = 1, kSecondary = 2, kTertiary = 3 };

// Returns "第一产业", "第二产业" or "第三产业".
std::string_view SectorName(Sector sector);

struct IndustrySection {
  char letter;            // 'A'..'T'
  std::string_view name;  // e.g. "批发和零售业"
  int first_division;     // e.g. 51
  int last_division;      // e.g. 52
};

struct IndustryDivision {
  int number;             // 1..97
  std::string_view name;  // e.g. "零售业"
  char section;           // 'F'
  Sector sector;
};

std::span<const IndustrySection> IndustrySections();
std::span<const IndustryDivision> IndustryDivisions();

// Returns the section, or nullptr when `letter` is not A–T.
const IndustrySection* FindSection(char letter);
// Returns the division, or nullptr when `number` is not 1..97.
const IndustryDivision* FindDivision(int number);

// What an industry code denotes once validated.
struct IndustryInfo {
  std::string code;                  // normalised: "F", "52", "521" or "5211"
  const IndustrySection* section;    // never null for a valid code
  const IndustryDivision* division;  // null for a section letter alone
  Sector sector;
  // Set for 3- and 4-digit codes, which are validated only up to their division.
  bool below_division = false;
};

// Validates a section letter ("F"), or a 2-, 3- or 4-digit code ("52", "521", "5211");
// a section letter followed by digits ("F5211") is accepted as the digits. Returns
// InvalidArgument with a Chinese message for anything else or an unknown division.
base::Result<IndustryInfo> AnalyzeIndustry(std::string_view code);

}  // namespace getihu::domain

#endif  // GETIHU_DOMAIN_INDUSTRY_H_
