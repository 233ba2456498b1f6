// A stored tier run exported: the national directory layout (../shared/domain §4.2: bands
// instead of amounts, the operator masked; CSV, UTF-8 with BOM) or the staff workbook (.xlsx,
// with the explanation and the previous year's amounts). Used by `getihu tier export` and the
// API's export download. Thread-compatible like the Database.
#ifndef GETIHU_SERVER_TIER_EXPORT_H_
#define GETIHU_SERVER_TIER_EXPORT_H_

#include <cstdint>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "storage/database.h"

namespace getihu::server {

enum class ExportLayout { kNational, kStaff };

// Writes run `run_id` to `out` (.csv for kNational, .xlsx for kStaff) and returns the
// households written; on an error the partial file is removed. NotFound for an unknown run,
// InvalidArgument when `out`'s extension does not fit the layout or the run's stored rule set
// cannot be parsed.
base::Result<int64_t> ExportTierRun(storage::Database& db, int64_t run_id, ExportLayout layout,
                                    const std::string& out, const base::Clock& clock);

}  // namespace getihu::server

#endif  // GETIHU_SERVER_TIER_EXPORT_H_
