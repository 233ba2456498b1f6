// How the status history is read: the order in which changes effective on the same day apply,
// and which changes change the status at all. Shared by the readers of
// household_status_history (profile_query, population_query, household_query) so that the
// tier profile, the statistics and the detail view agree on a household's status on a day.
#ifndef GETIHU_STORAGE_STATUS_ORDER_H_
#define GETIHU_STORAGE_STATUS_ORDER_H_

#include <string_view>

namespace getihu::storage {

// Changes of one day apply in lifecycle order — 设立, 变更, 恢复营业, 歇业, then 注销, 吊销
// and 个转企 — so that a household established and deregistered on one day is deregistered
// (the table's key lists a day's changes by the kind's name).
inline int LifecycleOrder(std::string_view change_kind) {
  if (change_kind == "established") return 0;
  if (change_kind == "changed") return 1;
  if (change_kind == "resumed") return 2;
  if (change_kind == "suspended") return 3;
  return 4;
}

// A 变更 (changed) of the registered items never changes the status. The status its row
// records is the one the household had when the import read the row, which is not its status
// on the row's date when a file lists a 变更 before an earlier 歇业: readers skip those rows
// when they work out a status.
inline bool ChangesStatus(std::string_view change_kind) { return change_kind != "changed"; }

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_STATUS_ORDER_H_
