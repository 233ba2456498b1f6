// Errors as values: Status for operations that return nothing, Result<T> for those that
// return a value. Messages are written for the person who will read them (Chinese when a
// user reads it). Thread-compatible value types.
#ifndef GETIHU_BASE_STATUS_H_
#define GETIHU_BASE_STATUS_H_

#include <cassert>
#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace getihu::base {

// The kinds of failure. cli/ maps them to exit codes and server/ to HTTP statuses.
enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // bad input from a user or a file
  kNotFound,            // the thing asked for does not exist
  kAlreadyExists,       // a unique key is taken
  kFailedPrecondition,  // the system is not in a state that allows the operation
  kPermissionDenied,    // the caller may not do this
  kResourceExhausted,   // a size or count limit was hit
  kAborted,             // a conflict (e.g. a concurrent write); may be retried
  kUnavailable,         // a dependency (database, file system) cannot be reached
  kDataLoss,            // stored data is corrupt
  kInternal,            // a bug or an unexpected library failure
};

// Returns the code's stable English name, e.g. "invalid_argument".
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns "code: message", for logs.
  std::string ToString() const;

  // Returns a copy whose message is prefixed with `context` and "：".
  Status WithContext(std::string_view context) const;

  friend bool operator==(const Status&, const Status&) = default;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status OkStatus() { return Status(); }
inline Status InvalidArgument(std::string m) {
  return {StatusCode::kInvalidArgument, std::move(m)};
}
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
inline Status FailedPrecondition(std::string m) {
  return {StatusCode::kFailedPrecondition, std::move(m)};
}
inline Status PermissionDenied(std::string m) {
  return {StatusCode::kPermissionDenied, std::move(m)};
}
inline Status ResourceExhausted(std::string m) {
  return {StatusCode::kResourceExhausted, std::move(m)};
}
inline Status Aborted(std::string m) { return {StatusCode::kAborted, std::move(m)}; }
inline Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status DataLoss(std::string m) { return {StatusCode::kDataLoss, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

// A value or the Status explaining why there is none. Constructible from either.
// REQUIRES: a Status used to construct a Result is not OK.
template <typename T>
class [[nodiscard]] Result : public std::expected<T, Status> {
  using Base = std::expected<T, Status>;

 public:
  using Base::Base;
  Result(Status status) : Base(std::unexpect, std::move(status)) {  // NOLINT: implicit
    assert(!this->error().ok());
  }

  bool ok() const { return this->has_value(); }
  // Returns the error, or OK when a value is held.
  Status status() const& { return ok() ? Status() : this->error(); }
  Status status() && { return ok() ? Status() : std::move(this->error()); }
};

namespace internal {
inline Status ToStatus(const Status& s) { return s; }
inline Status ToStatus(Status&& s) { return std::move(s); }
template <typename T>
Status ToStatus(Result<T>&& r) {
  return std::move(r).status();
}
template <typename T>
Status ToStatus(const Result<T>& r) {
  return r.status();
}
}  // namespace internal

}  // namespace getihu::base

#define GETIHU_CONCAT_INNER_(a, b) a##b
#define GETIHU_CONCAT_(a, b) GETIHU_CONCAT_INNER_(a, b)

// Returns the error of `expr` (a Status or a Result) from the current function.
#define GETIHU_RETURN_IF_ERROR(expr)                                        \
  do {                                                                      \
    auto getihu_status_ = (expr);                                           \
    if (!getihu_status_.ok()) {                                             \
      return ::getihu::base::internal::ToStatus(std::move(getihu_status_)); \
    }                                                                       \
  } while (false)

// `lhs = *expr` when `expr` (a Result) holds a value; otherwise returns its error.
#define GETIHU_ASSIGN_OR_RETURN(lhs, expr) \
  GETIHU_ASSIGN_OR_RETURN_IMPL_(GETIHU_CONCAT_(getihu_result_, __LINE__), lhs, expr)
#define GETIHU_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return std::move(tmp).status();      \
  lhs = std::move(*tmp)

#endif  // GETIHU_BASE_STATUS_H_
