// A bounded pool of database connections shared by the server's worker threads: each request
// borrows one for its duration. Connections are opened on demand by the factory the caller
// gives (only cli/ knows the concrete backend) up to `size`; a borrower waits when all are
// out. A connection that failed mid-request is dropped instead of returned. Thread-safe.
#ifndef GETIHU_SERVER_CONNECTION_POOL_H_
#define GETIHU_SERVER_CONNECTION_POOL_H_

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "base/status.h"
#include "storage/database.h"

namespace getihu::server {

using DatabaseFactory = std::function<base::Result<std::unique_ptr<storage::Database>>()>;

class ConnectionPool {
 public:
  ConnectionPool(DatabaseFactory factory, int size) : factory_(std::move(factory)), size_(size) {}

  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<storage::Database> db)
        : pool_(pool), db_(std::move(db)) {}
    Lease(Lease&& o) noexcept : pool_(o.pool_), db_(std::move(o.db_)) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (db_) pool_->Return(std::move(db_), broken_);
    }
    storage::Database& db() { return *db_; }
    // The connection is not returned to the pool (e.g. after a lost connection).
    void MarkBroken() { broken_ = true; }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<storage::Database> db_;
    bool broken_ = false;
  };

  // Borrows a connection; Unavailable when none can be opened within `wait_ms`.
  base::Result<Lease> Acquire(int wait_ms = 10'000);

 private:
  void Return(std::unique_ptr<storage::Database> db, bool broken);

  DatabaseFactory factory_;
  int size_;
  int open_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<storage::Database>> idle_;
};

}  // namespace getihu::server

#endif  // GETIHU_SERVER_CONNECTION_POOL_H_
