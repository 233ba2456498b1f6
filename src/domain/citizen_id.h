// 公民身份号码 (GB 11643-1999): the 18-character citizen ID number — 6-digit region,
// 8-digit birth date, 3-digit sequence, check character (ISO 7064 MOD 11-2, 'X' for 10).
// Free functions; thread-safe.
#ifndef GETIHU_DOMAIN_CITIZEN_ID_H_
#define GETIHU_DOMAIN_CITIZEN_ID_H_

#include <string>
#include <string_view>

#include "base/status.h"

namespace getihu::domain {

// Returns the check character for the first 17 digits.
// REQUIRES: `first17` holds 17 ASCII digits.
char CitizenIdCheckChar(std::string_view first17);

// Returns the normalised number (upper-case 'X'), or InvalidArgument (Chinese) for a wrong
// length, non-digits, an impossible birth date or a wrong check character.
base::Result<std::string> ValidateCitizenId(std::string_view id);

// Masks for display (../shared/domain §9.2): first 3 and last 4 characters kept.
std::string MaskCitizenId(std::string_view id);

}  // namespace getihu::domain

#endif  // GETIHU_DOMAIN_CITIZEN_ID_H_
