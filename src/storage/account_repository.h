// Accounts of the HTTP server: departments (member units of the joint meeting), users with
// their role and region scope, and password history (migration 0007). Password hashes are
// opaque text here; hashing and the password policy live in the server. Operates on a
// Database& that must outlive it; thread-compatible like the Database.
#ifndef GETIHU_STORAGE_ACCOUNT_REPOSITORY_H_
#define GETIHU_STORAGE_ACCOUNT_REPOSITORY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "storage/database.h"

namespace getihu::storage {

struct Department {
  int64_t id = 0;
  std::string code;                // e.g. "tax"
  std::string name;                // e.g. "区税务局"
  std::vector<std::string> feeds;  // feed keys it may upload
};

struct UserRecord {
  int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string role;  // admin, regulator, department, liaison, owner
  std::string region_prefix;
  std::optional<int64_t> department_id;
  std::optional<std::string> household_uscc;
  bool can_unmask = false;
  std::string password_hash;
  int64_t password_changed_at = 0;  // Unix seconds
  bool must_change_password = true;
  int failed_logins = 0;
  std::optional<int64_t> locked_until;  // Unix seconds
  bool disabled = false;
  std::string created_at;  // CST text
  std::optional<std::string> last_login_at;
};

class AccountRepository {
 public:
  explicit AccountRepository(Database& db) : db_(db) {}

  // Departments. AlreadyExists for a code in use.
  base::Result<int64_t> CreateDepartment(Department& department);
  base::Result<std::vector<Department>> ListDepartments();
  base::Result<std::optional<Department>> GetDepartment(int64_t id);
  base::Result<std::optional<Department>> FindDepartment(std::string_view code);

  // Users. CreateUser stores the user and its first password in the history; sets id.
  // AlreadyExists for a username in use; InvalidArgument for a value the schema refuses.
  base::Result<int64_t> CreateUser(UserRecord& user, std::string_view created_at);
  base::Result<std::optional<UserRecord>> GetUser(int64_t id);
  base::Result<std::optional<UserRecord>> FindUser(std::string_view username);
  // The owner account of a household (the lowest id when there are several); nullopt if none.
  base::Result<std::optional<UserRecord>> FindOwnerOf(std::string_view household_uscc);
  // Users whose scope lies inside `region_prefix` ("" for all), by username.
  base::Result<std::vector<UserRecord>> ListUsers(std::string_view region_prefix);
  // Updates display name, role, scope, department, household, can_unmask and disabled.
  // NotFound when there is no such user.
  base::Status UpdateProfile(const UserRecord& user);
  // Login bookkeeping.
  base::Status RecordLoginFailure(int64_t id, int failed_logins,
                                  std::optional<int64_t> locked_until);
  base::Status RecordLoginSuccess(int64_t id, std::string_view at);
  // Replaces the password, appends it to the history and clears the lock-out.
  base::Status SetPassword(int64_t id, std::string_view hash, int64_t at, bool must_change);
  // The last `n` password hashes, newest first.
  base::Result<std::vector<std::string>> PasswordHistory(int64_t id, int n);

 private:
  Database& db_;
};

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_ACCOUNT_REPOSITORY_H_
