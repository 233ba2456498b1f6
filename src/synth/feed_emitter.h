// Turns synthetic households into department feed rows (the layouts of ingest/feed_layout.h)
// and adds a small, counted share of deliberately bad rows so that imports exercise their
// rejects. Not thread-safe: one emitter per thread; outputs are merged in household order.
#ifndef GETIHU_SYNTH_FEED_EMITTER_H_
#define GETIHU_SYNTH_FEED_EMITTER_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/feed_layout.h"
#include "synth/household_model.h"

namespace getihu::synth {

inline constexpr size_t kFeedCount = 13;  // == ingest::AllFeeds().size()

// The kinds of deliberately bad rows, each an extra row beside the good ones.
enum class BadRow {
  kBadCheckChar,    // USCC with a wrong check character
  kUnknownUscc,     // a valid USCC no registration record knows (fact feeds)
  kBadRegion,       // unknown region code (registration)
  kBadIndustry,     // unknown industry division (registration)
  kImpossibleDate,  // e.g. 2023-02-30
  kFutureDate,      // after the as-of date
  kNegativeAmount,  // a money field below zero
  kDuplicate,       // the same key twice in one file
};
inline constexpr size_t kBadRowKinds = 8;
std::string_view BadRowName(BadRow kind);     // stable English name
std::string_view BadRowMeaning(BadRow kind);  // Chinese

struct FeedTally {
  uint64_t rows = 0;  // data rows written, bad ones included
  std::array<uint64_t, kBadRowKinds> bad = {};
  uint64_t BadTotal() const;
};

// Counts that describe what was generated (the stock on the as-of date and its history).
struct PopulationTally {
  uint64_t households = 0;  // every household in the registration feed
  uint64_t in_stock = 0;    // 存续 (including 歇业) on the as-of date
  uint64_t suspended = 0;
  uint64_t deregistered = 0, revoked = 0, converted = 0;
  std::vector<uint64_t> stock_by_township;         // indexed like RegionPlan::slots()
  std::array<uint64_t, 26> stock_by_section = {};  // 'A'..'T'
  std::array<uint64_t, 4> stock_by_sector = {};    // [1..3]
  std::vector<uint64_t> new_by_year;               // index = year − 1995
  std::vector<uint64_t> exit_by_year;              // 注销 + 吊销, by decision year
  void Add(const PopulationTally& other);
};

struct ChunkOutput {
  std::array<std::string, kFeedCount> csv;  // UTF-8 rows without header
  std::array<FeedTally, kFeedCount> tally;
  PopulationTally population;
};

class FeedEmitter {
 public:
  // `bad_row_rate` is the chance that a good row is followed by one bad row.
  FeedEmitter(const HouseholdModel& model, const RegionPlan& plan, double bad_row_rate);

  // Appends every row of household `h` to `out`.
  void Emit(const SynthHousehold& h, ChunkOutput& out);

 private:
  using Row = std::vector<std::string>;
  void EmitRegistration(const SynthHousehold& h, Rng& rng, ChunkOutput& out);
  void EmitYears(const SynthHousehold& h, ChunkOutput& out);
  void EmitEvents(const SynthHousehold& h, Rng& rng, ChunkOutput& out);
  void Count(const SynthHousehold& h, PopulationTally& t) const;
  // Writes `row` to feed `feed`, then maybe one bad variant of it.
  void Write(size_t feed, const SynthHousehold& h, Rng& rng, ChunkOutput& out);
  Row& Begin(size_t feed);

  const HouseholdModel& model_;
  const RegionPlan& plan_;
  double bad_row_rate_;
  std::array<Row, kFeedCount> rows_;
  std::array<std::vector<BadRow>, kFeedCount> applicable_;
  std::array<int, kFeedCount> first_date_ = {}, first_money_ = {};
};

}  // namespace getihu::synth

#endif  // GETIHU_SYNTH_FEED_EMITTER_H_
