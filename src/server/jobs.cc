#include "server/jobs.h"

#include <ctime>

namespace getihu::server {
namespace {
constexpr size_t kKeptJobs = 500;
int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }
}  // namespace

JobRunner::JobRunner() : thread_([this] { Loop(); }) {}

JobRunner::~JobRunner() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

Job JobRunner::Submit(Job job, Work work, int64_t now) {
  std::lock_guard lock(mu_);
  job.id = next_id_++;
  job.state = "queued";
  job.created_at = now;
  job.progress = "排队中";
  jobs_[job.id] = job;
  while (jobs_.size() > kKeptJobs && jobs_.begin()->second.state != "queued" &&
         jobs_.begin()->second.state != "running") {
    jobs_.erase(jobs_.begin());
  }
  queue_.emplace_back(job.id, std::move(work));
  cv_.notify_all();
  return job;
}

std::optional<Job> JobRunner::Get(int64_t id) {
  std::lock_guard lock(mu_);
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::nullopt;
  return it->second;
}

void JobRunner::WaitIdle() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return queue_.empty() && !running_; });
}

void JobRunner::Loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (stop_) return;
    auto [id, work] = std::move(queue_.front());
    queue_.pop_front();
    running_ = true;
    jobs_[id].state = "running";
    jobs_[id].started_at = Now();
    jobs_[id].progress = "进行中";
    lock.unlock();
    auto report = [this, id](std::string progress) {
      std::lock_guard l(mu_);
      jobs_[id].progress = std::move(progress);
    };
    base::Result<nlohmann::json> result = work(report);
    lock.lock();
    Job& job = jobs_[id];
    job.finished_at = Now();
    if (result.ok()) {
      job.state = "succeeded";
      job.result = std::move(*result);
      job.progress = "已完成";
    } else {
      job.state = "failed";
      job.error = result.status().message();
      job.progress = "失败";
    }
    running_ = false;
    cv_.notify_all();
  }
}

}  // namespace getihu::server
