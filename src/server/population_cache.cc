#include "server/population_cache.h"

#include <string>
#include <utility>

#include "analytics/indicators.h"
#include "analytics/vitality.h"
#include "storage/batch_repository.h"

namespace getihu::server {

base::Result<PopulationCache::Shared> PopulationCache::Get(storage::Database& db,
                                                           std::string_view region_prefix,
                                                           base::Date as_of) {
  // Read before the households: an import committing meanwhile leaves the entry labelled with
  // the older revision, so the next request loads again rather than trusting a stale one.
  GETIHU_ASSIGN_OR_RETURN(std::string revision, storage::BatchRepository(db).PoolRevision());
  const std::string key = std::string(region_prefix) + "@" + as_of.ToString();
  std::promise<base::Result<Shared>> promise;
  std::unique_lock lock(mu_);
  auto it = entries_.find(key);
  if (it != entries_.end() && it->second.revision == revision) {
    it->second.last_used = ++clock_;
    ++hits_;
    std::shared_future<base::Result<Shared>> value = it->second.value;
    lock.unlock();
    return value.get();  // waits while another request loads it
  }
  if (it != entries_.end()) {
    bytes_ -= it->second.bytes;
    entries_.erase(it);
  }
  const uint64_t load_id = ++clock_;
  ++loads_;
  if (budget_ > 0) {
    Entry e;
    e.load_id = load_id;
    e.revision = revision;
    e.value = promise.get_future().share();
    e.last_used = load_id;
    entries_.emplace(key, std::move(e));
  }
  lock.unlock();
  base::Result<Shared> loaded = [&]() -> base::Result<Shared> {
    analytics::Population::LoadOptions load;
    load.open_reader = open_reader_;
    load.image = images_;
    GETIHU_ASSIGN_OR_RETURN(analytics::Population p,
                            analytics::Population::Load(db, region_prefix, as_of, load));
    return std::make_shared<const analytics::Population>(std::move(p));
  }();
  if (budget_ > 0) {
    promise.set_value(loaded);
    lock.lock();
    it = entries_.find(key);
    if (it != entries_.end() && it->second.load_id == load_id) {
      const size_t bytes = loaded.ok() ? (*loaded)->bytes() : 0;
      if (!loaded.ok() || bytes > budget_) {
        entries_.erase(it);  // a failed load is tried again; an oversized one is not kept
      } else {
        it->second.bytes = bytes;
        it->second.loaded = loaded->get();
        bytes_ += bytes;
        EvictLocked();
      }
    }
  }
  return loaded;
}

base::Result<std::vector<uint8_t>> PopulationCache::ByRow(
    const Shared& population, const std::string& key,
    const std::function<base::Result<std::vector<uint8_t>>()>& load) {
  auto kept = [&]() {
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->second.loaded == population.get()) return it;
    }
    return entries_.end();
  };
  std::unique_lock lock(mu_);
  if (auto it = kept(); it != entries_.end()) {
    if (auto v = it->second.by_row.find(key); v != it->second.by_row.end()) {
      it->second.last_used = ++clock_;
      ++hits_;
      return v->second;
    }
  }
  lock.unlock();
  GETIHU_ASSIGN_OR_RETURN(std::vector<uint8_t> value, load());
  lock.lock();
  if (auto it = kept(); it != entries_.end() && !it->second.by_row.contains(key)) {
    it->second.by_row.emplace(key, value);
    it->second.bytes += value.size();
    bytes_ += value.size();
    EvictLocked();
  }
  return value;
}

base::Result<std::vector<uint8_t>> PopulationCache::RunOutcomes(storage::Database& db,
                                                                const Shared& population,
                                                                int64_t run) {
  return ByRow(population, "run:" + std::to_string(run),
               [&] { return analytics::LoadRunOutcomes(db, run, *population); });
}

base::Result<std::vector<uint8_t>> PopulationCache::TierOutcomes(storage::Database& db,
                                                                 const Shared& population,
                                                                 int64_t run) {
  GETIHU_ASSIGN_OR_RETURN(std::vector<uint8_t> outcomes, RunOutcomes(db, population, run));
  return analytics::TierOutcomesOf(std::move(outcomes));
}

base::Result<std::vector<uint8_t>> PopulationCache::ActivitySigns(storage::Database& db,
                                                                  const Shared& population,
                                                                  int year) {
  return ByRow(population, "signs:" + std::to_string(year),
               [&] { return analytics::LoadActivitySigns(db, *population, year); });
}

void PopulationCache::EvictLocked() {
  while (bytes_ > budget_) {
    auto victim = entries_.end();
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->second.bytes == 0) continue;  // still loading
      if (victim == entries_.end() || it->second.last_used < victim->second.last_used) {
        victim = it;
      }
    }
    if (victim == entries_.end()) return;
    bytes_ -= victim->second.bytes;
    entries_.erase(victim);
  }
}

PopulationCache::Counters PopulationCache::counters() const {
  std::lock_guard lock(mu_);
  return {hits_, loads_, entries_.size(), bytes_};
}

}  // namespace getihu::server
