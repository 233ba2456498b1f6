// `getihu gen`: writes a synthetic region (district, city or province) as department feed
// files in the layouts of docs/feeds.md, plus manifest.json describing what was written.
// Deterministic: the same options give byte-identical files, whatever the thread count.
// Streaming: memory stays bounded (a few chunks of households) for any size.
#ifndef GETIHU_SYNTH_GENERATOR_H_
#define GETIHU_SYNTH_GENERATOR_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "base/date.h"
#include "base/status.h"
#include "synth/feed_emitter.h"
#include "synth/region_plan.h"

namespace getihu::synth {

struct GenerateOptions {
  uint64_t households = 59'000;  // households in existence (存续, incl. 歇业) on as_of
  std::string region_code = "500113";
  base::Date as_of;
  uint64_t seed = 1;
  std::string out_dir;
  double bad_row_rate = 0.008;  // extra bad rows per good row
  int threads = 0;              // 0: hardware concurrency
  uint64_t chunk_households = 20'000;
};

struct FeedFile {
  std::string feed;  // e.g. "tax"
  std::string path;
  std::string encoding;  // "UTF-8", "UTF-8 (BOM)" or "GB18030"
  FeedTally tally;
};

struct GenerateResult {
  std::string region_name;
  std::vector<TownshipSlot> townships;
  PopulationTally population;
  std::vector<FeedFile> files;
  std::string manifest_path;
};

// The file encoding each feed is written in: mostly UTF-8; the tax feed in GB18030 and the
// honours feed with a BOM, as Excel saves them in China.
std::string_view FeedEncoding(std::string_view feed);

// Generates the files into options.out_dir (created if missing; existing feed files are
// replaced). Returns InvalidArgument for bad options (Chinese), Unavailable when a file
// cannot be written.
base::Result<GenerateResult> Generate(const GenerateOptions& options);

}  // namespace getihu::synth

#endif  // GETIHU_SYNTH_GENERATOR_H_
