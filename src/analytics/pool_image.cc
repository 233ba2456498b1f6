#include "analytics/pool_image.h"

#include <algorithm>
#include <filesystem>
#include <span>
#include <system_error>
#include <utility>

#include "analytics/population_staging.h"
#include "base/column_file.h"
#include "base/crypto.h"
#include "base/memory.h"
#include "storage/batch_repository.h"
#include "storage/population_query.h"
#include "storage/tier_repository.h"

namespace getihu::analytics {
namespace {

namespace fs = std::filesystem;

// Keys kept in the directory: the pool's current one and two before it (a report still
// reading an older image while an import commits).
constexpr size_t kKeysKept = 3;

// A region holding less than this part of the image's households reads the pool instead:
// selecting from the image passes over all of them (about 2 s for 28 million), the pool's
// region index only over the region's (about 1 s a million on SQLite).
constexpr uint64_t kImageShare = 8;

bool IsKey(const std::string& name) {
  return name.size() == 64 && name.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::string Tag(std::string_view what, const std::string& key) {
  return std::string(what) + " " + std::to_string(kPoolImageVersion) + " " + key;
}

// Codes joined by '\n' (codes hold digits and letters only), and back.
std::vector<char> Joined(const std::vector<std::string>& codes) {
  std::vector<char> out;
  for (const std::string& c : codes) {
    out.insert(out.end(), c.begin(), c.end());
    out.push_back('\n');
  }
  return out;
}
std::vector<std::string> Split(std::span<const char> joined) {
  std::vector<std::string> out;
  std::string current;
  for (char c : joined) {
    if (c == '\n') {
      out.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  return out;
}

template <typename T>
void CopyColumn(std::span<const T> from, std::vector<T>& to) {
  base::ResizeColumn(to, from.size());
  std::copy(from.begin(), from.end(), to.begin());
}

std::string PopulationPath(const std::string& dir) { return dir + "/population.cols"; }

// The tier runs' images, apart from the pool's states; the most recently used are kept (a
// report reads the latest two runs, a report of an earlier date older ones).
constexpr const char* kRunsDir = "runs";
constexpr size_t kRunsKept = 8;

// The files NAME_PREFIX*.cols of `dir` beyond the `kept` used most recently are removed.
void KeepNewest(const fs::path& dir, std::string_view name_prefix, size_t kept,
                const std::string& just_written) {
  std::error_code ec;
  std::vector<std::pair<fs::file_time_type, fs::path>> files;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file(ec) && name.starts_with(name_prefix) && name.ends_with(".cols")) {
      files.emplace_back(e.last_write_time(ec), e.path());
    }
  }
  std::sort(files.begin(), files.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t i = kept; i < files.size(); ++i) {
    if (files[i].second != just_written) fs::remove(files[i].second, ec);
  }
}

// The employee figures of a state of the pool are kept for the few dates asked most recently
// (90 MB each at ten million households).
constexpr size_t kEmployeeDatesKept = 3;

}  // namespace

base::Result<std::string> PoolImageKey(storage::Database& db) {
  GETIHU_ASSIGN_OR_RETURN(auto bounds, storage::HouseholdIdBounds(db));
  if (!bounds) return std::string();
  GETIHU_ASSIGN_OR_RETURN(std::vector<storage::Batch> batches,
                          storage::BatchRepository(db).ListBatches(1'000'000'000));
  std::string text = "pool image " + std::to_string(kPoolImageVersion) + "\nhouseholds " +
                     std::to_string(bounds->first) + " " + std::to_string(bounds->second) + "\n";
  for (const storage::Batch& b : batches) {
    if (b.status != storage::BatchStatus::kCommitted) continue;
    text += std::to_string(b.id) + " " + b.feed + " " + b.content_sha256 + " " +
            (b.as_of ? b.as_of->ToString() : "-") + " " + b.period.value_or("-") + " " +
            b.imported_at + "\n";
  }
  GETIHU_ASSIGN_OR_RETURN(std::string digest, base::Sm3(text));
  return base::HexEncode(digest);
}

base::Result<std::string> BeginImageSnapshot(storage::Database& db,
                                             std::optional<storage::Transaction>& read) {
  if (!db.in_transaction()) {
    GETIHU_ASSIGN_OR_RETURN(storage::Transaction t, storage::Transaction::BeginRead(db));
    read.emplace(std::move(t));
  }
  return PoolImageKey(db);
}

base::Result<std::string> PoolImageDir(const PoolImageOptions& options, const std::string& key) {
  const fs::path dir = fs::path(options.dir) / key;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return base::Unavailable("无法创建统计镜像目录 " + dir.string() + "：" + ec.message());
  fs::last_write_time(dir, fs::file_time_type::clock::now(), ec);
  // The keys used least recently beyond the newest few go.
  std::vector<std::pair<fs::file_time_type, fs::path>> keys;
  for (const fs::directory_entry& e : fs::directory_iterator(options.dir, ec)) {
    if (e.is_directory(ec) && IsKey(e.path().filename().string())) {
      keys.emplace_back(e.last_write_time(ec), e.path());
    }
  }
  std::sort(keys.begin(), keys.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t i = kKeysKept; i < keys.size(); ++i) {
    if (keys[i].second != dir) fs::remove_all(keys[i].second, ec);
  }
  return dir.string();
}

base::Status WritePopulationImage(const PoolImageOptions& options, const std::string& key,
                                  const Population& whole) {
  GETIHU_ASSIGN_OR_RETURN(std::string dir, PoolImageDir(options, key));
  const PopulationColumns c = whole.Columns();
  const std::vector<char> regions = Joined(c.regions);
  const std::vector<char> townships = Joined(c.townships);
  const std::vector<char> sections = Joined(c.sections);
  // The households of each area, to tell a region's share of the image before reading it.
  std::vector<uint32_t> area_households(c.area_region.size(), 0);
  for (uint32_t a : c.area) ++area_households[a];
  base::ColumnWriter w(Tag("population", key));
  w.Add("area_households", area_households);
  w.Add("regions", regions);
  w.Add("townships", townships);
  w.Add("sections", sections);
  w.Add("area_region", c.area_region);
  w.Add("area_township", c.area_township);
  w.Add("ids", c.ids);
  w.Add("rows_by_id", c.rows_by_id);
  w.Add("registered", c.registered);
  w.Add("area", c.area);
  w.Add("section", c.section);
  w.Add("division", c.division);
  w.Add("sector", c.sector);
  w.Add("online", c.online);
  w.Add("change_begin", c.change_begin);
  w.Add("change_day", c.change_day);
  w.Add("change_class", c.change_class);
  return w.Write(PopulationPath(dir));
}

base::Result<Population> SelectFromPopulationImage(const PoolImageOptions& options,
                                                   const std::string& key,
                                                   const storage::RegionRange& range,
                                                   base::Date as_of, size_t* image_rows) {
  const std::string dir = (fs::path(options.dir) / key).string();
  GETIHU_ASSIGN_OR_RETURN(base::ColumnFile file,
                          base::ColumnFile::Open(PopulationPath(dir), Tag("population", key)));
  PopulationColumns c;
  GETIHU_ASSIGN_OR_RETURN(std::span<const char> regions, file.Get<char>("regions"));
  GETIHU_ASSIGN_OR_RETURN(std::span<const char> townships, file.Get<char>("townships"));
  GETIHU_ASSIGN_OR_RETURN(std::span<const char> sections, file.Get<char>("sections"));
  c.regions = Split(regions);
  c.townships = Split(townships);
  c.sections = Split(sections);
  GETIHU_ASSIGN_OR_RETURN(c.area_region, file.Get<uint32_t>("area_region"));
  GETIHU_ASSIGN_OR_RETURN(c.area_township, file.Get<uint32_t>("area_township"));
  GETIHU_ASSIGN_OR_RETURN(c.ids, file.Get<int64_t>("ids"));
  GETIHU_ASSIGN_OR_RETURN(c.rows_by_id, file.Get<uint32_t>("rows_by_id"));
  GETIHU_ASSIGN_OR_RETURN(c.registered, file.Get<int32_t>("registered"));
  GETIHU_ASSIGN_OR_RETURN(c.area, file.Get<uint32_t>("area"));
  GETIHU_ASSIGN_OR_RETURN(c.section, file.Get<uint8_t>("section"));
  GETIHU_ASSIGN_OR_RETURN(c.division, file.Get<uint8_t>("division"));
  GETIHU_ASSIGN_OR_RETURN(c.sector, file.Get<uint8_t>("sector"));
  GETIHU_ASSIGN_OR_RETURN(c.online, file.Get<uint8_t>("online"));
  GETIHU_ASSIGN_OR_RETURN(c.change_begin, file.Get<uint32_t>("change_begin"));
  GETIHU_ASSIGN_OR_RETURN(c.change_day, file.Get<int32_t>("change_day"));
  GETIHU_ASSIGN_OR_RETURN(c.change_class, file.Get<uint8_t>("change_class"));
  GETIHU_ASSIGN_OR_RETURN(std::span<const uint32_t> area_households,
                          file.Get<uint32_t>("area_households"));
  if (area_households.size() != c.area_region.size()) return base::DataLoss("统计镜像已损坏");
  uint64_t in_range = 0;
  for (size_t a = 0; a < area_households.size(); ++a) {
    if (c.area_region[a] >= c.regions.size()) return base::DataLoss("统计镜像已损坏");
    const std::string& code = c.regions[c.area_region[a]];
    if (code >= range.low && code <= range.high) in_range += area_households[a];
  }
  if (in_range * kImageShare < c.ids.size()) {
    return base::FailedPrecondition("该地区只占统计镜像的一小部分，直接读取数据池更快");
  }
  GETIHU_ASSIGN_OR_RETURN(Population p, Population::Select(c, range, as_of));
  *image_rows = c.ids.size();
  std::error_code ec;
  fs::last_write_time(dir, fs::file_time_type::clock::now(), ec);  // just used
  return p;
}

base::Result<storage::YearSignals> ImagedYearSignals(storage::Database& db,
                                                     const PoolImageOptions& options,
                                                     const std::string& key, int year) {
  const std::string path =
      (fs::path(options.dir) / key / ("signs-" + std::to_string(year) + ".cols")).string();
  const std::string tag = Tag("signs " + std::to_string(year), key);
  if (base::Result<base::ColumnFile> file = base::ColumnFile::Open(path, tag); file.ok()) {
    auto operating = file->Get<int64_t>("operating");
    auto with_data = file->Get<int64_t>("with_data");
    if (operating.ok() && with_data.ok() && std::is_sorted(operating->begin(), operating->end()) &&
        std::is_sorted(with_data->begin(), with_data->end())) {
      storage::YearSignals signals;
      CopyColumn(*operating, signals.operating);
      CopyColumn(*with_data, signals.with_data);
      return signals;
    }
  }
  GETIHU_ASSIGN_OR_RETURN(storage::YearSignals signals, storage::QueryYearSignals(db, "", year));
  if (base::Result<std::string> dir = PoolImageDir(options, key); dir.ok()) {
    base::ColumnWriter w(tag);
    w.Add("operating", signals.operating);
    w.Add("with_data", signals.with_data);
    (void)w.Write(path);  // none written: the next request reads the pool again
  }
  return signals;
}

base::Result<std::vector<storage::HouseholdEmployees>> ImagedEmployees(
    storage::Database& db, const PoolImageOptions& options, const std::string& key,
    base::Date as_of) {
  // Per date: an annual report counts once filed by it.
  const std::string path =
      (fs::path(options.dir) / key / ("employees-" + as_of.ToString() + ".cols")).string();
  const std::string tag = Tag("employees " + as_of.ToString(), key);
  if (base::Result<base::ColumnFile> file = base::ColumnFile::Open(path, tag); file.ok()) {
    auto ids = file->Get<int64_t>("ids");
    auto employees = file->Get<int32_t>("employees");
    if (ids.ok() && employees.ok() && ids->size() == employees->size() &&
        std::is_sorted(ids->begin(), ids->end())) {
      std::vector<storage::HouseholdEmployees> out(ids->size());
      for (size_t i = 0; i < out.size(); ++i) out[i] = {(*ids)[i], (*employees)[i]};
      std::error_code ec;
      fs::last_write_time(path, fs::file_time_type::clock::now(), ec);  // just used
      return out;
    }
  }
  GETIHU_ASSIGN_OR_RETURN(std::vector<storage::HouseholdEmployees> out,
                          storage::QueryEmployees(db, "", as_of));
  if (base::Result<std::string> dir = PoolImageDir(options, key); dir.ok()) {
    std::vector<int64_t> ids(out.size());
    std::vector<int32_t> employees(out.size());
    for (size_t i = 0; i < out.size(); ++i) {
      ids[i] = out[i].household_id;
      employees[i] = out[i].employees;
    }
    base::ColumnWriter w(tag);
    w.Add("ids", ids);
    w.Add("employees", employees);
    // None written: the next request reads the pool again.
    if (w.Write(path).ok()) KeepNewest(*dir, "employees-", kEmployeeDatesKept, path);
  }
  return out;
}

base::Result<RunOutcomeImage> ImagedRunOutcomes(storage::Database& db,
                                                const PoolImageOptions& options, int64_t run) {
  storage::TierRepository repo(db);
  GETIHU_ASSIGN_OR_RETURN(std::optional<storage::TierRunRecord> record, repo.GetRun(run));
  if (!record) return base::NotFound("没有分型判定批次 " + std::to_string(run));
  // A run's results never change once stored, whatever is imported after it, so its image is
  // kept apart from the keys of the pool's states. Its id, time and rules tell it from another
  // run given the same id (a store restored from a backup).
  GETIHU_ASSIGN_OR_RETURN(
      std::string digest,
      base::Sm3(std::to_string(run) + " " + record->created_at + " " + record->rule_set_sha256 +
                " " + record->params_json + " " + record->as_of.ToString() + " " +
                std::to_string(record->households)));
  const std::string tag =
      "run " + std::to_string(kPoolImageVersion) + " " + base::HexEncode(digest);
  const fs::path runs = fs::path(options.dir) / kRunsDir;
  const std::string path = (runs / ("run-" + std::to_string(run) + ".cols")).string();
  if (base::Result<base::ColumnFile> file = base::ColumnFile::Open(path, tag); file.ok()) {
    auto ids = file->Get<int64_t>("ids");
    auto outcomes = file->Get<uint8_t>("outcomes");
    if (ids.ok() && outcomes.ok() && ids->size() == outcomes->size() &&
        std::is_sorted(ids->begin(), ids->end())) {
      RunOutcomeImage image;
      CopyColumn(*ids, image.ids);
      CopyColumn(*outcomes, image.outcomes);
      std::error_code ec;
      fs::last_write_time(path, fs::file_time_type::clock::now(), ec);  // just used
      return image;
    }
  }
  RunOutcomeImage image;
  image.ids.reserve(static_cast<size_t>(record->households));
  image.outcomes.reserve(static_cast<size_t>(record->households));
  bool sorted = true;
  GETIHU_RETURN_IF_ERROR(repo.ScanOutcomes(run, [&](int64_t id, int outcome) {
    if (!image.ids.empty() && id <= image.ids.back()) sorted = false;
    image.ids.push_back(id);
    image.outcomes.push_back(static_cast<uint8_t>(outcome >= 0 && outcome < 255 ? outcome : 255));
    return base::OkStatus();
  }));
  std::error_code ec;
  if (sorted && (fs::create_directories(runs, ec), !ec)) {
    base::ColumnWriter w(tag);
    w.Add("ids", image.ids);
    w.Add("outcomes", image.outcomes);
    if (w.Write(path).ok()) KeepNewest(runs, "run-", kRunsKept, path);
  }
  return image;
}

}  // namespace getihu::analytics
