#include "synth/generator.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <future>
#include <memory>
#include <thread>

#include <nlohmann/json.hpp>

#include "base/text.h"
#include "domain/region.h"
#include "ingest/csv_writer.h"
#include "ingest/feed_layout.h"
#include "synth/household_model.h"

namespace getihu::synth {
namespace {

constexpr uint64_t kMaxHouseholds = 20'000'000;
constexpr uint64_t kCountBlock = 1 << 18;

using FilePtr = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

base::Status ValidateOptions(const GenerateOptions& o) {
  if (o.households == 0 || o.households > kMaxHouseholds) {
    return base::InvalidArgument("户数应在 1 到 " + std::to_string(kMaxHouseholds) + " 之间");
  }
  if (o.as_of < *base::Date::FromYmd(2000, 1, 1)) {
    return base::InvalidArgument("数据截止日期不能早于 2000-01-01");
  }
  if (o.out_dir.empty()) return base::InvalidArgument("请用 --out 指定输出目录");
  if (o.bad_row_rate < 0 || o.bad_row_rate > 0.5) {
    return base::InvalidArgument("错误行比例应在 0 到 0.5 之间");
  }
  return base::OkStatus();
}

uint64_t CountInStock(const HouseholdModel& model, uint64_t begin, uint64_t end) {
  uint64_t n = 0;
  for (uint64_t i = begin; i < end; ++i) n += model.DecideFate(i).InStock();
  return n;
}

// Returns how many households (in index order) it takes to have `target` in stock.
uint64_t HouseholdsNeeded(const HouseholdModel& model, uint64_t target, int threads) {
  uint64_t begin = 0, in_stock = 0;
  for (;;) {
    std::vector<std::future<uint64_t>> counts;
    for (int t = 0; t < threads; ++t) {
      uint64_t b = begin + static_cast<uint64_t>(t) * kCountBlock;
      counts.push_back(
          std::async(std::launch::async, CountInStock, std::cref(model), b, b + kCountBlock));
    }
    for (int t = 0; t < threads; ++t) {
      uint64_t block = counts[static_cast<size_t>(t)].get();
      uint64_t b = begin + static_cast<uint64_t>(t) * kCountBlock;
      if (in_stock + block >= target) {
        for (uint64_t i = b;; ++i) {
          in_stock += model.DecideFate(i).InStock();
          if (in_stock == target) {
            for (int u = t + 1; u < threads; ++u) counts[static_cast<size_t>(u)].wait();
            return i + 1;
          }
        }
      }
      in_stock += block;
    }
    begin += static_cast<uint64_t>(threads) * kCountBlock;
  }
}

ChunkOutput MakeChunk(const HouseholdModel& model, const RegionPlan& plan, double bad_rate,
                      uint64_t begin, uint64_t end) {
  ChunkOutput out;
  FeedEmitter emitter(model, plan, bad_rate);
  for (uint64_t i = begin; i < end; ++i) emitter.Emit(model.Make(i), out);
  return out;
}

base::Status WriteAll(std::FILE* f, std::string_view bytes, const std::string& path) {
  if (std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) {
    return base::Unavailable("写入文件失败：" + path);
  }
  return base::OkStatus();
}

base::Status WriteEncoded(std::FILE* f, const std::string& utf8, std::string_view encoding,
                          const std::string& path) {
  if (encoding != "GB18030") return WriteAll(f, utf8, path);
  GETIHU_ASSIGN_OR_RETURN(std::string gb, base::Utf8ToGb18030(utf8));
  return WriteAll(f, gb, path);
}

nlohmann::ordered_json Manifest(const GenerateOptions& o, const GenerateResult& r) {
  nlohmann::ordered_json m;
  m["generator"] = "getihu gen";
  m["region_code"] = o.region_code;
  m["region_name"] = r.region_name;
  m["as_of"] = o.as_of.ToString();
  m["seed"] = o.seed;
  m["households_in_stock"] = r.population.in_stock;
  m["households_total"] = r.population.households;
  m["suspended"] = r.population.suspended;
  m["deregistered"] = r.population.deregistered;
  m["revoked"] = r.population.revoked;
  m["converted"] = r.population.converted;
  m["bad_row_rate"] = o.bad_row_rate;
  auto& files = m["files"] = nlohmann::ordered_json::array();
  for (const FeedFile& f : r.files) {
    nlohmann::ordered_json j;
    j["feed"] = f.feed;
    j["file"] = std::filesystem::path(f.path).filename().string();
    j["encoding"] = f.encoding;
    j["rows"] = f.tally.rows;
    j["bad_rows"] = f.tally.BadTotal();
    auto& kinds = j["bad_rows_by_kind"] = nlohmann::ordered_json::object();
    for (size_t k = 0; k < kBadRowKinds; ++k) {
      if (f.tally.bad[k] > 0)
        kinds[std::string(BadRowName(static_cast<BadRow>(k)))] = f.tally.bad[k];
    }
    files.push_back(std::move(j));
  }
  return m;
}

}  // namespace

std::string_view FeedEncoding(std::string_view feed) {
  if (feed == "tax") return base::EncodingName(base::Encoding::kGb18030);
  if (feed == "honour") return base::EncodingName(base::Encoding::kUtf8Bom);
  return base::EncodingName(base::Encoding::kUtf8);
}

base::Result<GenerateResult> Generate(const GenerateOptions& options) {
  GETIHU_RETURN_IF_ERROR(ValidateOptions(options));
  GETIHU_ASSIGN_OR_RETURN(RegionPlan plan, RegionPlan::Build(domain::RegionTable::Builtin(),
                                                             options.region_code, options.seed));
  HouseholdModel model(plan, options.seed, options.as_of);
  int threads = options.threads > 0
                    ? options.threads
                    : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  uint64_t total = HouseholdsNeeded(model, options.households, threads);

  std::error_code ec;
  std::filesystem::create_directories(options.out_dir, ec);
  if (ec) return base::Unavailable("无法创建输出目录 " + options.out_dir + "：" + ec.message());
  GenerateResult result;
  result.region_name = plan.region_name();
  result.townships.assign(plan.slots().begin(), plan.slots().end());
  std::vector<FilePtr> files;
  auto feeds = ingest::AllFeeds();
  for (const ingest::FeedLayout& feed : feeds) {
    FeedFile ff{
        std::string(feed.name),
        (std::filesystem::path(options.out_dir) / (std::string(feed.name) + ".csv")).string(),
        std::string(FeedEncoding(feed.name)),
        {}};
    FilePtr f(std::fopen(ff.path.c_str(), "wb"), std::fclose);
    if (!f) return base::Unavailable("无法写入文件 " + ff.path);
    std::string header;
    if (ff.encoding == base::EncodingName(base::Encoding::kUtf8Bom)) header = "\xEF\xBB\xBF";
    ingest::CsvWriter w(header);
    for (const ingest::FieldSpec& field : feed.fields) w.Field(field.header);
    w.EndRow();
    GETIHU_RETURN_IF_ERROR(WriteEncoded(f.get(), header, ff.encoding, ff.path));
    files.push_back(std::move(f));
    result.files.push_back(std::move(ff));
  }

  // Waves of `threads` chunks; the next wave computes while this one is written.
  uint64_t chunk = std::max<uint64_t>(1, options.chunk_households);
  auto launch = [&](uint64_t begin) {
    std::vector<std::future<ChunkOutput>> wave;
    for (int t = 0; t < threads && begin < total; ++t, begin += chunk) {
      wave.push_back(std::async(std::launch::async, MakeChunk, std::cref(model), std::cref(plan),
                                options.bad_row_rate, begin, std::min(total, begin + chunk)));
    }
    return wave;
  };
  uint64_t next = 0;
  auto wave = launch(next);
  while (!wave.empty()) {
    next += static_cast<uint64_t>(threads) * chunk;
    auto following = launch(next);
    for (auto& future : wave) {
      ChunkOutput out = future.get();
      for (size_t f = 0; f < kFeedCount; ++f) {
        GETIHU_RETURN_IF_ERROR(WriteEncoded(files[f].get(), out.csv[f], result.files[f].encoding,
                                            result.files[f].path));
        FeedTally& t = result.files[f].tally;
        t.rows += out.tally[f].rows;
        for (size_t k = 0; k < kBadRowKinds; ++k) t.bad[k] += out.tally[f].bad[k];
      }
      result.population.Add(out.population);
    }
    wave = std::move(following);
  }
  for (size_t f = 0; f < files.size(); ++f) {
    if (std::fclose(files[f].release()) != 0)
      return base::Unavailable("写入文件失败：" + result.files[f].path);
  }
  result.manifest_path = (std::filesystem::path(options.out_dir) / "manifest.json").string();
  FilePtr m(std::fopen(result.manifest_path.c_str(), "wb"), std::fclose);
  if (!m) return base::Unavailable("无法写入文件 " + result.manifest_path);
  GETIHU_RETURN_IF_ERROR(
      WriteAll(m.get(), Manifest(options, result).dump(2) + "\n", result.manifest_path));
  return result;
}

}  // namespace getihu::synth
