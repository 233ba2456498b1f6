// Long jobs (imports, tier runs) run in the background, one at a time in submission order,
// on a thread of their own with a connection of their own; the client polls their state and
// progress. Jobs are kept in memory (the last 500); what they store is in the database.
// Thread-safe.
#ifndef GETIHU_SERVER_JOBS_H_
#define GETIHU_SERVER_JOBS_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>

#include "base/status.h"

namespace getihu::server {

struct Job {
  int64_t id = 0;
  std::string kind;        // "import", "tier_run"
  std::string state;       // queued, running, succeeded, failed
  std::string created_by;  // username
  int64_t owner_user_id = 0;
  std::string region_prefix;  // the submitter's scope (who else may look at the job)
  int64_t created_at = 0, started_at = 0, finished_at = 0;
  std::string progress;  // Chinese, e.g. "已读取 120000 行"
  nlohmann::ordered_json result;
  std::string error;  // Chinese, when failed
};

class JobRunner {
 public:
  // The work: reports progress through the callback, returns the result or an error.
  using Work = std::function<base::Result<nlohmann::ordered_json>(
      const std::function<void(std::string progress)>& report)>;

  JobRunner();
  ~JobRunner();  // finishes the running job, drops the queued ones

  Job Submit(Job job, Work work, int64_t now);
  std::optional<Job> Get(int64_t id);
  // Blocks until no job is queued or running (tests, shutdown).
  void WaitIdle();

 private:
  void Loop();

  std::mutex mu_;
  std::condition_variable cv_;
  std::map<int64_t, Job> jobs_;
  std::deque<std::pair<int64_t, Work>> queue_;
  int64_t next_id_ = 1;
  bool running_ = false;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace getihu::server

#endif  // GETIHU_SERVER_JOBS_H_
