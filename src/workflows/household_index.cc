#include "workflows/household_index.h"

#include "storage/household_repository.h"

namespace getihu::workflows {
namespace {

uint64_t Hash64(std::string_view s) {
  uint64_t h = 0xCBF29CE484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001B3ULL;
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDULL;
  h ^= h >> 33;
  return h == 0 ? 1 : h;  // 0 marks an empty slot
}

uint32_t Hash32(std::string_view s) {
  uint32_t h = 2166136261u;
  for (unsigned char c : s) h = (h ^ c) * 16777619u;
  return h;
}

}  // namespace

base::Result<HouseholdIndex> HouseholdIndex::Load(storage::Database& db) {
  HouseholdIndex index;
  storage::HouseholdRepository households(db);
  GETIHU_RETURN_IF_ERROR(households.ScanHouseholdKeys(
      [&](std::string_view uscc, int64_t id, base::Date registered_on) {
        index.Put(uscc, {id, registered_on});
      }));
  return index;
}

size_t HouseholdIndex::Probe(uint64_t hash, uint32_t check) const {
  size_t mask = slots_.size() - 1;
  size_t i = hash & mask;
  while (slots_[i].hash != 0 && !(slots_[i].hash == hash && slots_[i].check == check)) {
    i = (i + 1) & mask;
  }
  return i;
}

std::optional<HouseholdIndex::Entry> HouseholdIndex::Find(std::string_view uscc) const {
  if (slots_.empty()) return std::nullopt;
  const Slot& s = slots_[Probe(Hash64(uscc), Hash32(uscc))];
  if (s.hash == 0) return std::nullopt;
  return Entry{s.id, base::Date::FromDays(s.registered_days)};
}

void HouseholdIndex::Put(std::string_view uscc, Entry entry) {
  if ((size_ + 1) * 2 > slots_.size()) Grow();
  uint64_t hash = Hash64(uscc);
  uint32_t check = Hash32(uscc);
  Slot& s = slots_[Probe(hash, check)];
  if (s.hash == 0) ++size_;
  s = {hash, entry.id, entry.registered_on.days_since_epoch(), check};
}

void HouseholdIndex::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
  for (const Slot& s : old) {
    if (s.hash != 0) slots_[Probe(s.hash, s.check)] = s;
  }
}

}  // namespace getihu::workflows
