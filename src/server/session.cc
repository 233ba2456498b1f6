#include "server/session.h"

#include <utility>

#include "server/password.h"

namespace getihu::server {

Session SessionStore::Create(Principal who, int64_t now, int idle_limit_seconds,
                             std::string remote_addr) {
  Session s{RandomToken(), RandomToken(),      std::move(who),        now,
            now,           idle_limit_seconds, std::move(remote_addr)};
  std::lock_guard lock(mu_);
  std::erase_if(by_token_, [&](const auto& kv) { return kv.second.who.user_id == s.who.user_id; });
  by_token_[s.token] = s;
  return s;
}

std::optional<Session> SessionStore::Touch(std::string_view token, int64_t now) {
  if (token.empty()) return std::nullopt;
  std::lock_guard lock(mu_);
  auto it = by_token_.find(std::string(token));
  if (it == by_token_.end()) return std::nullopt;
  if (now - it->second.last_seen > it->second.idle_limit_seconds) {
    by_token_.erase(it);
    return std::nullopt;
  }
  it->second.last_seen = now;
  return it->second;
}

void SessionStore::Remove(std::string_view token) {
  std::lock_guard lock(mu_);
  by_token_.erase(std::string(token));
}

int SessionStore::RemoveUser(int64_t user_id) {
  std::lock_guard lock(mu_);
  return static_cast<int>(
      std::erase_if(by_token_, [&](const auto& kv) { return kv.second.who.user_id == user_id; }));
}

void SessionStore::UpdatePrincipal(const Principal& who) {
  std::lock_guard lock(mu_);
  for (auto& [token, s] : by_token_) {
    if (s.who.user_id == who.user_id) s.who = who;
  }
}

std::vector<Session> SessionStore::List(int64_t now) {
  std::lock_guard lock(mu_);
  std::erase_if(by_token_, [&](const auto& kv) {
    return now - kv.second.last_seen > kv.second.idle_limit_seconds;
  });
  std::vector<Session> out;
  for (const auto& [token, s] : by_token_) out.push_back(s);
  return out;
}

bool LoginLimiter::Allow(const std::string& key, int64_t now) {
  std::lock_guard lock(mu_);
  if (attempts_.size() > 100'000) attempts_.clear();  // bounded memory under a flood
  std::deque<int64_t>& q = attempts_[key];
  while (!q.empty() && now - q.front() >= window_) q.pop_front();
  if (static_cast<int>(q.size()) >= max_) return false;
  q.push_back(now);
  return true;
}

int64_t OwnerCodeStore::ResendWait(const std::string& uscc, int64_t now, int resend_seconds) {
  std::lock_guard lock(mu_);
  auto it = codes_.find(uscc);
  if (it == codes_.end()) return 0;
  int64_t wait = it->second.sent_at + resend_seconds - now;
  return wait > 0 ? wait : 0;
}

void OwnerCodeStore::Put(const std::string& uscc, const std::string& code, int64_t now,
                         int ttl_seconds) {
  std::lock_guard lock(mu_);
  if (codes_.size() > 100'000) {  // bounded memory: drop the expired ones first
    std::erase_if(codes_, [now](const auto& kv) { return kv.second.expires_at <= now; });
    if (codes_.size() > 100'000) codes_.clear();
  }
  codes_[uscc] = Entry{code, now, now + ttl_seconds, 0};
}

OwnerCodeStore::Check OwnerCodeStore::Verify(const std::string& uscc, std::string_view code,
                                             int64_t now) {
  std::lock_guard lock(mu_);
  auto it = codes_.find(uscc);
  if (it == codes_.end()) return Check::kNone;
  Entry& e = it->second;
  if (e.expires_at <= now) {
    codes_.erase(it);
    return Check::kExpired;
  }
  // Constant time in the code's content.
  bool same = code.size() == e.code.size();
  unsigned diff = 0;
  for (size_t i = 0; same && i < code.size(); ++i) diff |= code[i] ^ e.code[i];
  if (same && diff == 0) {
    codes_.erase(it);
    return Check::kOk;
  }
  if (++e.wrong >= kMaxWrong) {
    codes_.erase(it);
    return Check::kTooManyWrong;
  }
  return Check::kWrong;
}

void OwnerCodeStore::Drop(const std::string& uscc) {
  std::lock_guard lock(mu_);
  codes_.erase(uscc);
}

}  // namespace getihu::server
