// Who may do what, and where: the roles of SPEC "Users" as permissions, and the region scope
// (a code prefix) every household query and export goes through. This is the one place these
// rules live; routes ask it and never decide on their own.
#ifndef GETIHU_SERVER_ACCESS_H_
#define GETIHU_SERVER_ACCESS_H_

#include <span>
#include <string>
#include <string_view>

#include "base/status.h"
#include "server/session.h"

namespace getihu::server {

enum class Permission {
  kSignedIn,    // any signed-in user
  kHouseholds,  // search and read households in scope (regulator, liaison)
  kImport,      // upload feeds: regulators any, departments their own
  kTierRead,    // runs, counts, explanations, diffs, simulations (regulator)
  kTierManage,  // start runs, export (regulator)
  kReview,      // decide objections (regulator)
  kObject,      // file an objection: owners for their household, regulators for any in scope
  kStats,       // indicators, reports, and targets of regions in scope (regulator, admin)
  kAdmin,       // users, departments (admin)
  kAudit,       // read the audit log (admin)
};

bool Has(const Principal& who, Permission permission);

// Whether a household registered in `region_code` is inside the caller's region scope.
bool InScope(const Principal& who, std::string_view region_code);

// Whether the caller may see this household: in scope, and for owners only their own.
// PermissionDenied (Chinese) otherwise — the same answer whether or not it exists elsewhere.
base::Status CheckHousehold(const Principal& who, std::string_view uscc,
                            std::string_view region_code);

// The region a query runs over, as a code prefix: `requested` ("" = the caller's whole scope)
// when it lies inside the scope; PermissionDenied when it is outside, InvalidArgument when it
// is not 0–6 digits. A full province or prefecture code (GB/T 2260: 440000, 440300) is its
// prefix (44, 4403): households are registered in counties, so the full code matches none.
base::Result<std::string> ScopedRegion(const Principal& who, std::string_view requested);

// The region scope an account gets from a region code as staff write it: a 6-digit code of
// GB/T 2260 becomes the prefix it stands for (500000 → "50", 500100 → "5001", 500113 stays),
// so that a city's own code does not scope to the code alone, where no household is
// registered; shorter prefixes and "" (the whole country) stay as they are. InvalidArgument
// (Chinese) for a 6-digit code that is not in the table and for anything but digits.
base::Result<std::string> AccountRegionScope(std::string_view code);

// Whether the caller may upload `feed` (departments: only the feeds of their department).
bool MayUpload(const Principal& who, std::string_view feed);

// Chinese name of a role.
std::string RoleName(std::string_view role);

// The roles and permissions as the console's role page lists them.
struct PermissionInfo {
  Permission permission;
  std::string_view code;   // e.g. "households"
  std::string_view label;  // Chinese
};
std::span<const std::string_view> AllRoles();
std::span<const PermissionInfo> AllPermissions();

}  // namespace getihu::server

#endif  // GETIHU_SERVER_ACCESS_H_
