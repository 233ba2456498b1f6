// Plausible Chinese personal data for synthetic households: operator names, shop names,
// citizen ID numbers with a valid GB 11643 check digit, mobile numbers and addresses.
// Free functions; thread-safe.
#ifndef GETIHU_SYNTH_NAMES_H_
#define GETIHU_SYNTH_NAMES_H_

#include <string>
#include <string_view>

#include "base/date.h"
#include "synth/household_model.h"
#include "synth/random.h"

namespace getihu::synth {

std::string OperatorName(Rng& rng);
// A shop name such as "巴南区鑫隆便利店"; empty for about one household in ten (无字号).
std::string ShopName(Rng& rng, const SynthHousehold& h);
// An 18-character citizen ID number of someone born in `county_code` on `birthday`.
std::string CitizenIdNumber(Rng& rng, std::string_view county_code, base::Date birthday);
std::string MobileNumber(Rng& rng);
// An address inside the household's township; occasionally with a comma or a line break,
// as typed into Excel cells.
std::string Premises(Rng& rng, const SynthHousehold& h);

}  // namespace getihu::synth

#endif  // GETIHU_SYNTH_NAMES_H_
