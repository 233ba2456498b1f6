#include "storage/account_repository.h"

#include <utility>

namespace getihu::storage {
namespace {

constexpr std::string_view kUserColumns =
    "id, username, display_name, role, region_prefix, department_id, household_uscc,"
    " can_unmask, password_hash, password_changed_at, must_change_password, failed_logins,"
    " locked_until, disabled, created_at, last_login_at";

std::string JoinFeeds(const std::vector<std::string>& feeds) {
  std::string out;
  for (const std::string& f : feeds) {
    if (!out.empty()) out += ',';
    out += f;
  }
  return out;
}

std::vector<std::string> SplitFeeds(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

UserRecord ReadUser(const Statement& row) {
  UserRecord u;
  u.id = row.ColumnInt(0);
  u.username = row.ColumnText(1);
  u.display_name = row.ColumnText(2);
  u.role = row.ColumnText(3);
  u.region_prefix = row.ColumnText(4);
  u.department_id = row.ColumnOptionalInt(5);
  u.household_uscc = row.ColumnOptionalText(6);
  u.can_unmask = row.ColumnInt(7) != 0;
  u.password_hash = row.ColumnText(8);
  u.password_changed_at = row.ColumnInt(9);
  u.must_change_password = row.ColumnInt(10) != 0;
  u.failed_logins = static_cast<int>(row.ColumnInt(11));
  u.locked_until = row.ColumnOptionalInt(12);
  u.disabled = row.ColumnInt(13) != 0;
  u.created_at = row.ColumnText(14);
  u.last_login_at = row.ColumnOptionalText(15);
  return u;
}

Department ReadDepartment(const Statement& row) {
  return Department{row.ColumnInt(0), row.ColumnText(1), row.ColumnText(2),
                    SplitFeeds(row.ColumnText(3))};
}

base::Result<std::optional<UserRecord>> OneUser(Database& db, std::string_view where,
                                                const Value& key) {
  GETIHU_ASSIGN_OR_RETURN(auto stmt, db.Prepare("SELECT " + std::string(kUserColumns) +
                                                " FROM users WHERE " + std::string(where)));
  GETIHU_RETURN_IF_ERROR(stmt->Bind(1, key));
  GETIHU_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return std::optional<UserRecord>();
  return std::optional<UserRecord>(ReadUser(*stmt));
}

base::Result<std::optional<Department>> OneDepartment(Database& db, std::string_view where,
                                                      const Value& key) {
  GETIHU_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare("SELECT id, code, name, feeds FROM departments WHERE " + std::string(where)));
  GETIHU_RETURN_IF_ERROR(stmt->Bind(1, key));
  GETIHU_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return std::optional<Department>();
  return std::optional<Department>(ReadDepartment(*stmt));
}

}  // namespace

base::Result<int64_t> AccountRepository::CreateDepartment(Department& d) {
  base::Result<std::optional<int64_t>> id =
      db_.QueryInt("INSERT INTO departments (code, name, feeds) VALUES (?, ?, ?) RETURNING id",
                   {d.code, d.name, JoinFeeds(d.feeds)});
  if (id.status().code() == base::StatusCode::kAlreadyExists) {
    return base::AlreadyExists("部门代码已存在：" + d.code);
  }
  if (id.status().code() == base::StatusCode::kInvalidArgument) {
    return base::InvalidArgument("部门代码应为 1–32 个字符，名称 1–100 个字符");
  }
  GETIHU_RETURN_IF_ERROR(id.status());
  if (!id->has_value()) return base::Internal("新建部门未返回编号");
  d.id = **id;
  return d.id;
}

base::Result<std::vector<Department>> AccountRepository::ListDepartments() {
  GETIHU_ASSIGN_OR_RETURN(auto stmt,
                          db_.Prepare("SELECT id, code, name, feeds FROM departments ORDER BY id"));
  std::vector<Department> out;
  for (;;) {
    GETIHU_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    out.push_back(ReadDepartment(*stmt));
  }
  return out;
}

base::Result<std::optional<Department>> AccountRepository::GetDepartment(int64_t id) {
  return OneDepartment(db_, "id = ?", id);
}

base::Result<std::optional<Department>> AccountRepository::FindDepartment(std::string_view code) {
  return OneDepartment(db_, "code = ?", code);
}

base::Result<int64_t> AccountRepository::CreateUser(UserRecord& u, std::string_view created_at) {
  base::Result<std::optional<int64_t>> id = db_.QueryInt(
      "INSERT INTO users (username, display_name, role, region_prefix, department_id,"
      " household_uscc, can_unmask, password_hash, password_changed_at, must_change_password,"
      " disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {u.username, u.display_name, u.role, u.region_prefix, u.department_id, u.household_uscc,
       u.can_unmask, u.password_hash, u.password_changed_at, u.must_change_password, u.disabled,
       created_at});
  if (id.status().code() == base::StatusCode::kAlreadyExists) {
    return base::AlreadyExists("用户名已存在：" + u.username);
  }
  if (id.status().code() == base::StatusCode::kInvalidArgument) {
    return base::InvalidArgument(
        "用户信息不合规：用户名 3–64 个字符，角色为 admin、regulator、department、liaison、owner "
        "之一，区划前缀不超过 6 位，部门须已存在");
  }
  GETIHU_RETURN_IF_ERROR(id.status());
  if (!id->has_value()) return base::Internal("新建用户未返回编号");
  u.id = **id;
  u.created_at = std::string(created_at);
  GETIHU_RETURN_IF_ERROR(
      db_.Execute("INSERT INTO password_history (user_id, password_hash, changed_at)"
                  " VALUES (?, ?, ?)",
                  {u.id, u.password_hash, u.password_changed_at})
          .status());
  return u.id;
}

base::Result<std::optional<UserRecord>> AccountRepository::GetUser(int64_t id) {
  return OneUser(db_, "id = ?", id);
}

base::Result<std::optional<UserRecord>> AccountRepository::FindUser(std::string_view username) {
  return OneUser(db_, "username = ?", username);
}

base::Result<std::optional<UserRecord>> AccountRepository::FindOwnerOf(
    std::string_view household_uscc) {
  return OneUser(db_,
                 "id = (SELECT MIN(id) FROM users WHERE role = 'owner' AND household_uscc = ?)",
                 household_uscc);
}

base::Result<std::vector<UserRecord>> AccountRepository::ListUsers(std::string_view region_prefix) {
  GETIHU_ASSIGN_OR_RETURN(auto stmt, db_.Prepare("SELECT " + std::string(kUserColumns) +
                                                 " FROM users WHERE substr(region_prefix, 1, ?) = ?"
                                                 " ORDER BY username"));
  GETIHU_RETURN_IF_ERROR(stmt->BindInt(1, static_cast<int64_t>(region_prefix.size())));
  GETIHU_RETURN_IF_ERROR(stmt->BindText(2, region_prefix));
  std::vector<UserRecord> out;
  for (;;) {
    GETIHU_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    UserRecord u = ReadUser(*stmt);
    // A user scoped wider than the prefix (shorter region) is outside it.
    if (u.region_prefix.size() < region_prefix.size()) continue;
    out.push_back(std::move(u));
  }
  return out;
}

base::Status AccountRepository::UpdateProfile(const UserRecord& u) {
  base::Result<int64_t> changed = db_.Execute(
      "UPDATE users SET display_name = ?, role = ?, region_prefix = ?, department_id = ?,"
      " household_uscc = ?, can_unmask = ?, disabled = ? WHERE id = ?",
      {u.display_name, u.role, u.region_prefix, u.department_id, u.household_uscc, u.can_unmask,
       u.disabled, u.id});
  if (changed.status().code() == base::StatusCode::kInvalidArgument) {
    return base::InvalidArgument("用户信息不合规：角色、区划前缀或部门无效");
  }
  GETIHU_RETURN_IF_ERROR(changed.status());
  if (*changed == 0) return base::NotFound("没有编号为 " + std::to_string(u.id) + " 的用户");
  return base::OkStatus();
}

base::Status AccountRepository::RecordLoginFailure(int64_t id, int failed_logins,
                                                   std::optional<int64_t> locked_until) {
  return db_
      .Execute("UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?",
               {failed_logins, locked_until, id})
      .status();
}

base::Status AccountRepository::RecordLoginSuccess(int64_t id, std::string_view at) {
  return db_
      .Execute(
          "UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = ? WHERE id = ?",
          {at, id})
      .status();
}

base::Status AccountRepository::SetPassword(int64_t id, std::string_view hash, int64_t at,
                                            bool must_change) {
  GETIHU_ASSIGN_OR_RETURN(
      int64_t changed,
      db_.Execute("UPDATE users SET password_hash = ?, password_changed_at = ?,"
                  " must_change_password = ?, failed_logins = 0, locked_until = NULL"
                  " WHERE id = ?",
                  {hash, at, must_change, id}));
  if (changed == 0) return base::NotFound("没有编号为 " + std::to_string(id) + " 的用户");
  return db_
      .Execute("INSERT INTO password_history (user_id, password_hash, changed_at) VALUES (?, ?, ?)",
               {id, hash, at})
      .status();
}

base::Result<std::vector<std::string>> AccountRepository::PasswordHistory(int64_t id, int n) {
  GETIHU_ASSIGN_OR_RETURN(auto stmt, db_.Prepare("SELECT password_hash FROM password_history"
                                                 " WHERE user_id = ? ORDER BY changed_at DESC"
                                                 " LIMIT ?"));
  GETIHU_RETURN_IF_ERROR(stmt->BindInt(1, id));
  GETIHU_RETURN_IF_ERROR(stmt->BindInt(2, n));
  std::vector<std::string> out;
  for (;;) {
    GETIHU_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    out.push_back(stmt->ColumnText(0));
  }
  return out;
}

}  // namespace getihu::storage
