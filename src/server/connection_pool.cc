#include "server/connection_pool.h"

#include <chrono>

namespace getihu::server {

base::Result<ConnectionPool::Lease> ConnectionPool::Acquire(int wait_ms) {
  std::unique_lock lock(mu_);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  for (;;) {
    if (!idle_.empty()) {
      std::unique_ptr<storage::Database> db = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(db));
    }
    if (open_ < size_) {
      ++open_;
      lock.unlock();
      base::Result<std::unique_ptr<storage::Database>> db = factory_();
      if (!db.ok()) {
        lock.lock();
        --open_;
        cv_.notify_one();
        return db.status();
      }
      return Lease(this, std::move(*db));
    }
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= size_) {
      return base::Unavailable("数据库连接繁忙，请稍后再试");
    }
  }
}

void ConnectionPool::Return(std::unique_ptr<storage::Database> db, bool broken) {
  std::lock_guard lock(mu_);
  if (broken || db->in_transaction() || !db->ResetCachedStatements().ok()) {
    --open_;
  } else {
    idle_.push_back(std::move(db));
  }
  cv_.notify_one();
}

}  // namespace getihu::server
