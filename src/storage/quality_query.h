// The data-quality view of the pool (SPEC C1): per feed and period, how many facts are stored
// and how much of the population they cover; per feed, what was loaded, refused and why, and
// how many rows matched a registered household. Read-only; thread-compatible like the Database.
#ifndef GETIHU_STORAGE_QUALITY_QUERY_H_
#define GETIHU_STORAGE_QUALITY_QUERY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "storage/database.h"

namespace getihu::storage {

struct FeedPeriodQuality {
  std::string feed;        // feed name, e.g. "annual_report"
  std::string period;      // "YYYY" or "YYYY-MM"
  int64_t rows = 0;        // facts or events stored for the period
  int64_t households = 0;  // distinct households they cover
  int64_t population = 0;  // households in existence at some time in the period's year
  double coverage() const {
    return population == 0 ? 0.0
                           : static_cast<double>(households) / static_cast<double>(population);
  }
};

struct FeedLoadQuality {
  std::string feed;
  int64_t batches = 0;
  int64_t loaded = 0;
  int64_t rejected = 0;
  int64_t unmatched = 0;  // refused because no registration record knows the USCC
  std::vector<std::pair<std::string, int64_t>> rejected_by_reason;  // reason code, most first
  // Rows matched to a registered household among those otherwise valid.
  double match_rate() const {
    int64_t tried = loaded + unmatched;
    return tried == 0 ? 1.0 : static_cast<double>(loaded) / static_cast<double>(tried);
  }
};

struct DataQuality {
  std::vector<FeedPeriodQuality> periods;  // by feed (layout order), then period
  std::vector<FeedLoadQuality> feeds;      // feeds with at least one committed batch
};

// Computes the view for the households whose region code starts with `region_prefix`
// (0–6 digits; "" is everything). Load and reject counts are per batch and so not limited
// to the region. InvalidArgument for a malformed prefix.
base::Result<DataQuality> QueryDataQuality(Database& db, std::string_view region_prefix);

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_QUALITY_QUERY_H_
