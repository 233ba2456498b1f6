#include "cli/serve_command.h"

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "cli/db_command.h"
#include "cli/exit_codes.h"
#include "server/access.h"
#include "server/api.h"
#include "server/password.h"
#include "storage/account_repository.h"
#include "storage/audit_repository.h"
#include "storage/postgres/postgres_database.h"
#include "storage/sqlite/sqlite_database.h"
#include "storage/transaction_retry.h"
#include "storage/value.h"

namespace getihu::cli {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

bool IsPostgres(const std::string& db) {
  return db.starts_with("postgres://") || db.starts_with("postgresql://");
}

server::ApiServer* g_server = nullptr;
void StopOnSignal(int) {
  if (g_server != nullptr) g_server->Stop();
}

struct ServeArgs {
  std::string listen = "127.0.0.1:8080";
  std::string web;
  std::string work_dir;
  int connections = 8;
  int64_t stats_cache_mb = 2048;
  bool secure_cookie = false;
};

int RunServe(const std::string& db_path, const ServeArgs& a) {
  size_t colon = a.listen.rfind(':');
  if (colon == std::string::npos) {
    return ReportError(base::InvalidArgument("--listen 应写成 地址:端口，如 127.0.0.1:8080"),
                       false);
  }
  int port = 0;
  try {
    port = std::stoi(a.listen.substr(colon + 1));
  } catch (...) {
    port = -1;
  }
  if (port < 0 || port > 65535) {
    return ReportError(base::InvalidArgument("--listen 的端口无效：" + a.listen), false);
  }
  // One cipher for every connection of the pool; the key file is read once, here.
  auto cipher = ConfiguredFieldCipher();
  if (!cipher.ok()) return ReportError(cipher.status(), false);
  if (*cipher == nullptr) {
    std::fprintf(stderr, "警告：未配置数据密钥：经营者身份证号和电话以明文保存\n");
  }
  // Migrate once up front; the pool's connections then open an up-to-date database.
  auto first = OpenAndMigrate(db_path);
  if (!first.ok()) return ReportError(first.status(), false);
  first->reset();
  server::ServerOptions o;
  o.host = a.listen.substr(0, colon);
  o.port = port;
  o.db_connections = a.connections;
  o.population_cache_bytes = static_cast<size_t>(a.stats_cache_mb) << 20;
  o.population_images = ConfiguredImageOptions(db_path);
  o.secure_cookie = a.secure_cookie;
  o.web_root = a.web;
  o.work_dir = !a.work_dir.empty()   ? a.work_dir
               : IsPostgres(db_path) ? std::string("getihu-files")
                                     : db_path + ".files";
  std::error_code ec;
  fs::create_directories(o.work_dir, ec);
  if (ec) return ReportError(base::Unavailable("无法创建工作目录 " + o.work_dir), false);
  o.open_database = [db_path,
                     cipher = *cipher]() -> base::Result<std::unique_ptr<storage::Database>> {
    std::unique_ptr<storage::Database> db;
    if (IsPostgres(db_path)) {
      GETIHU_ASSIGN_OR_RETURN(db, storage::OpenPostgres(db_path));
    } else {
      storage::OpenOptions so;
      so.create_if_missing = false;
      so.cache_mib = 64;
      so.busy_timeout_ms = 15'000;
      GETIHU_ASSIGN_OR_RETURN(db, storage::OpenSqlite(db_path, so));
    }
    db->set_field_cipher(cipher);
    return db;
  };
  server::ApiServer api(std::move(o));
  if (auto s = api.Start(); !s.ok()) return ReportError(s, false);
  g_server = &api;
  std::signal(SIGINT, StopOnSignal);
  std::signal(SIGTERM, StopOnSignal);
  std::printf("Getihu 服务已启动：http://%s:%d/（接口 /api/v1，按 Ctrl+C 停止）\n",
              a.listen.substr(0, colon).c_str(), api.port());
  std::fflush(stdout);
  api.Serve();
  g_server = nullptr;
  std::printf("服务已停止\n");
  return kExitOk;
}

struct UserArgs {
  std::string username, role = "regulator", region, department, household, name;
  bool can_unmask = false;
};

base::Result<storage::UserRecord> CreateUser(storage::Database& db, const UserArgs& a,
                                             const std::string& password, bool must_change) {
  storage::AccountRepository accounts(db);
  storage::UserRecord u;
  u.username = a.username;
  u.display_name = a.name.empty() ? a.username : a.name;
  u.role = a.role;
  GETIHU_ASSIGN_OR_RETURN(u.region_prefix, server::AccountRegionScope(a.region));
  u.can_unmask = a.can_unmask;
  if (!a.household.empty()) u.household_uscc = a.household;
  if (!a.department.empty()) {
    GETIHU_ASSIGN_OR_RETURN(std::optional<storage::Department> d,
                            accounts.FindDepartment(a.department));
    if (!d) return base::NotFound("没有代码为 " + a.department + " 的部门");
    u.department_id = d->id;
  }
  GETIHU_ASSIGN_OR_RETURN(u.password_hash, server::HashPassword(password));
  int64_t now = base::SystemClock().NowUnixSeconds();
  u.password_changed_at = now;
  u.must_change_password = must_change;
  GETIHU_RETURN_IF_ERROR(accounts.CreateUser(u, storage::CstTimestamp(now)).status());
  storage::AuditRepository audit(db, base::SystemClock());
  storage::AuditEvent ev;
  ev.actor = "命令行";
  ev.action = "user.create";
  ev.target = "user:" + u.username;
  ev.detail = Json{{"role", u.role}, {"region", u.region_prefix}}.dump();
  GETIHU_RETURN_IF_ERROR(audit.Append(ev).status());
  return u;
}

int RunUserAdd(const std::string& db_path, const UserArgs& a, bool json) {
  if (a.role == "owner" && a.household.empty()) {
    return ReportError(base::InvalidArgument("经营者账号须用 --household 指定统一社会信用代码"),
                       json);
  }
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  std::string password = server::RandomPassword();
  auto u = storage::RunInTransaction(**db, [&] { return CreateUser(**db, a, password, true); });
  if (!u.ok()) return ReportError(u.status(), json);
  if (json) {
    std::printf(
        "%s\n",
        Json{{"id", u->id}, {"username", u->username}, {"password", password}}.dump(2).c_str());
  } else {
    std::printf("已创建用户 %s（%s），初始密码：%s\n首次登录后须修改密码。\n", u->username.c_str(),
                u->role.c_str(), password.c_str());
  }
  return kExitOk;
}

// The demo's accounts: a district regulator, a tax-department user, the owner of an operating
// household that the latest run tiered, and an admin — each with a random password, printed.
int RunUserDemo(const std::string& db_path, const std::string& region, bool json) {
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  storage::AccountRepository accounts(**db);
  auto existing = accounts.FindUser("demo_admin");
  if (!existing.ok()) return ReportError(existing.status(), json);
  if (existing->has_value()) {
    return ReportError(base::AlreadyExists("演示账号已存在；演示数据库请重新生成"), json);
  }
  auto stmt = (*db)->Prepare(
      "SELECT h.uscc, h.operator_name FROM households h"
      " JOIN tier_results r ON r.household_id = h.id"
      " WHERE r.run_id = (SELECT max(id) FROM tier_runs) AND r.outcome = 2"
      " AND h.status = 'active' AND h.phone IS NOT NULL ORDER BY h.id LIMIT 1");
  if (!stmt.ok()) return ReportError(stmt.status(), json);
  auto row = (*stmt)->Step();
  if (!row.ok()) return ReportError(row.status(), json);
  if (!*row) {
    return ReportError(base::FailedPrecondition("还没有分型结果，请先运行 getihu tier run"), json);
  }
  std::string owner_uscc = (*stmt)->ColumnText(0);
  std::string operator_name = (*stmt)->ColumnText(1);
  stmt->reset();
  struct Demo {
    UserArgs args;
    std::string who;
  };
  const std::vector<Demo> demos = {
      {{"demo_regulator", "regulator", region, "", "", "区市场监管局 张科长", true},
       std::string("区县市场监管人员")},
      {{"demo_tax", "department", region, "tax", "", "区税务局 李干部", false},
       std::string("部门用户（税务）")},
      {{"demo_owner", "owner", region, "", owner_uscc, "经营者 王老板", false},
       std::string("经营者（本户统一社会信用代码 ") + owner_uscc + "）"},
      {{"demo_admin", "admin", region, "", "", "系统管理员", false}, std::string("系统管理员")},
  };
  Json out = Json::array();
  std::vector<std::string> lines;
  auto create = [&]() -> base::Status {
    out = Json::array();  // a retried attempt starts over, with new passwords
    lines.clear();
    storage::Department tax{0, "tax", "区税务局", {"tax"}};
    GETIHU_RETURN_IF_ERROR(accounts.CreateDepartment(tax).status());
    storage::Department hr{
        0, "hrss", "区人力资源和社会保障局", {"social_insurance", "owner_attribute"}};
    GETIHU_RETURN_IF_ERROR(accounts.CreateDepartment(hr).status());
    for (const Demo& d : demos) {
      std::string password = server::RandomPassword(12);
      GETIHU_RETURN_IF_ERROR(CreateUser(**db, d.args, password, false).status());
      out.push_back({{"username", d.args.username}, {"password", password}, {"role", d.args.role}});
      lines.push_back("  " + d.args.username + "  密码 " + password + "  " + d.who);
    }
    return base::OkStatus();
  };
  if (auto s = storage::RunInTransaction(**db, create); !s.ok()) return ReportError(s, json);
  if (json) {
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    std::printf("演示账号（密码随机生成，仅此一次显示）：\n");
    for (const std::string& l : lines) std::printf("%s\n", l.c_str());
    std::printf(
        "经营者也可不用密码：在登录页选「经营者验证码登录」，填统一社会信用代码 %s、"
        "经营者姓名 %s，验证码短信显示在服务日志中。\n",
        owner_uscc.c_str(), operator_name.c_str());
  }
  return kExitOk;
}

int RunUserList(const std::string& db_path, bool json) {
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  storage::AccountRepository accounts(**db);
  auto users = accounts.ListUsers("");
  if (!users.ok()) return ReportError(users.status(), json);
  Json out = Json::array();
  for (const auto& u : *users) {
    if (json) {
      out.push_back({{"id", u.id},
                     {"username", u.username},
                     {"role", u.role},
                     {"region", u.region_prefix},
                     {"disabled", u.disabled}});
    } else {
      std::printf("%-20s %-10s 区划 %-6s %s%s\n", u.username.c_str(), u.role.c_str(),
                  u.region_prefix.empty() ? "全国" : u.region_prefix.c_str(),
                  u.display_name.c_str(), u.disabled ? "（已停用）" : "");
    }
  }
  if (json) std::printf("%s\n", out.dump(2).c_str());
  return kExitOk;
}

}  // namespace

void AddServeCommands(CLI::App& app, GlobalOptionsRef g, int& exit_code) {
  static ServeArgs serve;
  CLI::App* s = app.add_subcommand("serve", "启动接口服务和网页控制台");
  s->add_option("--listen", serve.listen, "监听地址:端口（默认 127.0.0.1:8080）");
  s->add_option("--web", serve.web, "网页控制台文件目录（web/dist）");
  s->add_option("--work-dir", serve.work_dir, "上传文件、拒绝行文件和报告的工作目录");
  s->add_flag("--secure-cookie", serve.secure_cookie,
              "会话 Cookie 加 Secure 标志（经 HTTPS 网关或反向代理访问时使用）");
  s->add_option("--connections", serve.connections, "数据库连接数（默认 8）")
      ->check(CLI::Range(1, 256));
  s->add_option("--stats-cache-mb", serve.stats_cache_mb,
                "统计和报告在请求之间保留的户籍数据内存上限，单位 MB（默认 2048；0 为不保留）")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 30));
  s->callback([&exit_code, g] { exit_code = RunServe(*g.db_path, serve); });

  CLI::App* user = app.add_subcommand("user", "管理接口服务的用户账号");
  user->require_subcommand(1);
  static UserArgs add;
  CLI::App* a = user->add_subcommand("add", "新建用户，打印随机初始密码（首次登录须修改）");
  a->add_option("username", add.username, "用户名")->required();
  a->add_option("--role", add.role, "角色：admin、regulator、department、liaison、owner")
      ->check(CLI::IsMember({"admin", "regulator", "department", "liaison", "owner"}));
  a->add_option("--region", add.region, "管辖区划代码前缀（如 500113；空为全国）");
  a->add_option("--department", add.department, "所属部门代码（部门用户）");
  a->add_option("--household", add.household, "所经营个体工商户的统一社会信用代码（经营者）");
  a->add_option("--name", add.name, "显示名称");
  a->add_flag("--can-unmask", add.can_unmask, "可查看完整身份证号和电话（每次查看都记录审计）");
  a->callback([&exit_code, g] { exit_code = RunUserAdd(*g.db_path, add, *g.json); });
  user->add_subcommand("list", "列出用户")->callback([&exit_code, g] {
    exit_code = RunUserList(*g.db_path, *g.json);
  });
  static std::string demo_region;
  CLI::App* d = user->add_subcommand("demo", "创建演示账号（演示命令使用）");
  d->add_option("--region", demo_region, "演示区县的区划代码")->required();
  d->callback([&exit_code, g] { exit_code = RunUserDemo(*g.db_path, demo_region, *g.json); });
}

}  // namespace getihu::cli
