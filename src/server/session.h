// Who is calling (the Principal) and their sessions, kept in the server's memory: a random
// token in an HttpOnly cookie, a CSRF token the client echoes on every write, an idle
// timeout (30 minutes; 15 for admins, ../shared/domain §9.1) and one session per account —
// a new login ends the old one. A restart logs everybody out. Also the login rate limiter.
// Thread-safe.
#ifndef GETIHU_SERVER_SESSION_H_
#define GETIHU_SERVER_SESSION_H_

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace getihu::server {

struct Principal {
  int64_t user_id = 0;
  std::string username;
  std::string display_name;
  std::string role;           // admin, regulator, department, liaison, owner
  std::string region_prefix;  // "" = whole country
  std::optional<int64_t> department_id;
  std::string department_name;
  std::vector<std::string> department_feeds;
  std::optional<std::string> household_uscc;  // owners
  bool can_unmask = false;
  bool must_change_password = false;
};

struct Session {
  std::string token;
  std::string csrf_token;
  Principal who;
  int64_t created_at = 0;  // Unix seconds
  int64_t last_seen = 0;
  int idle_limit_seconds = 1800;
  std::string remote_addr;
};

class SessionStore {
 public:
  // Starts a session, ending any other session of the same user.
  Session Create(Principal who, int64_t now, int idle_limit_seconds, std::string remote_addr);
  // The live session of `token`, its idle clock restarted; nullopt when unknown or expired
  // (an expired session is removed).
  std::optional<Session> Touch(std::string_view token, int64_t now);
  void Remove(std::string_view token);
  // Ends every session of the user (disabled account, password reset, forced logout).
  int RemoveUser(int64_t user_id);
  // Replaces the principal of the user's sessions (after a password change or profile edit).
  void UpdatePrincipal(const Principal& who);
  std::vector<Session> List(int64_t now);

 private:
  std::mutex mu_;
  std::unordered_map<std::string, Session> by_token_;
};

// At most `max_attempts` login attempts per key (client address, and username) in any
// `window_seconds`; the rest are refused before the password is even checked.
class LoginLimiter {
 public:
  LoginLimiter(int max_attempts, int window_seconds)
      : max_(max_attempts), window_(window_seconds) {}
  // Records an attempt; false when the key is over its limit.
  bool Allow(const std::string& key, int64_t now);

 private:
  int max_, window_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<int64_t>> attempts_;
};

// Owners' one-time login codes (sent by SMS through the outbox), kept in memory like the
// sessions: valid until their expiry, consumed by the first right answer, and dropped after
// kMaxWrong wrong ones so that six digits cannot be guessed. One code per household at a time.
class OwnerCodeStore {
 public:
  static constexpr int kMaxWrong = 5;
  enum class Check { kOk, kWrong, kExpired, kNone, kTooManyWrong };

  // Seconds until another code may be sent for `uscc` (0: now).
  int64_t ResendWait(const std::string& uscc, int64_t now, int resend_seconds);
  // Replaces any code of `uscc` with `code`, valid for `ttl_seconds`.
  void Put(const std::string& uscc, const std::string& code, int64_t now, int ttl_seconds);
  // Checks an answer; kOk consumes the code, the fifth wrong answer drops it.
  Check Verify(const std::string& uscc, std::string_view code, int64_t now);
  // Forgets the code of `uscc` (its SMS could not be sent).
  void Drop(const std::string& uscc);

 private:
  struct Entry {
    std::string code;
    int64_t sent_at = 0;
    int64_t expires_at = 0;
    int wrong = 0;
  };
  std::mutex mu_;
  std::unordered_map<std::string, Entry> codes_;
};

}  // namespace getihu::server

#endif  // GETIHU_SERVER_SESSION_H_
