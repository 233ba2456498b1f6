// The JSON API under /api/v1 (docs/api.md, docs/openapi.json): sessions, households, imports,
// batches and data quality, tier runs and the review round, statistics, users, departments
// and the audit log — each route behind one access check (access.h) that knows the caller,
// their role and their region. `getihu serve` builds an ApiServer and serves it.
#ifndef GETIHU_SERVER_API_H_
#define GETIHU_SERVER_API_H_

#include <memory>
#include <string>

#include "analytics/pool_image.h"
#include "base/clock.h"
#include "base/status.h"
#include "server/connection_pool.h"
#include "server/http.h"
#include "server/password.h"
#include "workflows/notifications.h"

namespace getihu::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;
  HttpLimits limits;
  DatabaseFactory open_database;  // one connection per call
  int db_connections = 8;
  const base::Clock* clock = &base::SystemClock();
  PasswordPolicy password_policy;
  int idle_minutes = 30;
  int admin_idle_minutes = 15;
  int lockout_failures = 5;
  int lockout_minutes = 30;
  int login_attempts_per_minute = 20;  // per client address and per username
  bool secure_cookie = false;          // set the Secure flag (behind HTTPS)
  std::string web_root;                // built web console (web/dist); "" for none
  std::string work_dir = "/tmp";       // uploads, rejects files and generated reports
  int job_threads = 0;                 // threads of a tier run; 0 = every core
  // Room for the populations the statistics and reports count from, kept between requests
  // (population_cache.h); 0 reads the pool for every request.
  size_t population_cache_bytes = size_t{2} << 30;
  // Where the statistics keep the pool's images (analytics/pool_image.h); no directory for
  // none.
  analytics::PoolImageOptions population_images;
  // The SMS gateway of the notification outbox (owners' login codes); null writes each
  // message, phone masked, to the server's log (standard error).
  std::shared_ptr<workflows::SmsSender> sms;
};

struct ApiContext;

class ApiServer {
 public:
  explicit ApiServer(ServerOptions options);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds the address; Unavailable when it is taken.
  base::Status Start();
  int port() const;
  void Serve();  // blocks until Stop
  void Stop();
  // Waits for background jobs to finish (tests).
  void WaitForJobs();
  const Router& router() const;

 private:
  std::unique_ptr<ApiContext> ctx_;
  std::unique_ptr<HttpServer> http_;
};

}  // namespace getihu::server

#endif  // GETIHU_SERVER_API_H_
