// The API's guards, route by route: login, lock-out and rate limit, idle timeout, CSRF, the
// forced password change, roles, region scope, owners limited to their own household (IDOR),
// masking and audited unmasking, and hostile input (malformed JSON, oversized bodies,
// injection and path-traversal strings) answered with an error, never a crash or a leak.
#include "server/api.h"
#include "storage/audit_repository.h"
#include "tests/api/api_fixture.h"

namespace getihu::apitest {
namespace {

TEST_P(ApiTest, LoginGivesAnHttpOnlyCookieAndWrongPasswordsAreRefused) {
  Client c(port());
  httplib::Result r = c.Login("regulator", kPassword);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  std::string cookie = r->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  Json me = Body(c.Get("/api/v1/session"));
  EXPECT_EQ(me["user"]["role"], "regulator");
  EXPECT_EQ(me["user"]["region"], kRegion);

  Client bad(port());
  httplib::Result wrong = bad.Login("regulator", "Wrong#Pass1");
  EXPECT_EQ(wrong->status, 401);
  httplib::Result unknown = bad.Login("nobody", "Wrong#Pass1");
  EXPECT_EQ(unknown->status, 401);
  EXPECT_EQ(Body(unknown)["error"]["message"], "用户名或密码错误");
  EXPECT_EQ(bad.Get("/api/v1/households")->status, 401);
  EXPECT_EQ(ErrorCode(bad.Get("/api/v1/households")), "unauthenticated");
}

TEST_P(ApiTest, FiveFailuresLockTheAccountForThirtyMinutes) {
  Client c(port());
  for (int i = 0; i < 4; ++i) EXPECT_EQ(c.Login("plain_regulator", "Wrong#Pass1")->status, 401);
  httplib::Result fifth = c.Login("plain_regulator", "Wrong#Pass1");
  EXPECT_EQ(fifth->status, 403);
  EXPECT_EQ(ErrorCode(fifth), "locked");
  httplib::Result right = c.Login("plain_regulator", kPassword);
  EXPECT_EQ(right->status, 403) << "the right password does not open a locked account";
  clock_.Advance(31 * 60);
  EXPECT_EQ(c.Login("plain_regulator", kPassword)->status, 200);
  auto db = OpenDb();
  storage::AuditRepository audit(*db, clock_);
  storage::AuditFilter f;
  f.action_prefix = "session.login";
  f.result = storage::AuditResult::kFailed;
  EXPECT_GE(audit.List(f)->events.size(), 5u);
}

TEST_P(ApiTest, LoginAttemptsAreRateLimited) {
  Client c(port());
  int limited = 0;
  for (int i = 0; i < 25; ++i) {
    if (c.Login("user" + std::to_string(i), "Wrong#Pass1")->status == 429) ++limited;
  }
  EXPECT_GT(limited, 0);
}

TEST_P(ApiTest, IdleSessionsExpireAndAdminsSooner) {
  auto reg = SignIn("regulator");
  auto admin = SignIn("admin");
  clock_.Advance(16 * 60);
  EXPECT_EQ(reg->Get("/api/v1/session")->status, 200);
  EXPECT_EQ(admin->Get("/api/v1/session")->status, 401);
  clock_.Advance(31 * 60);
  EXPECT_EQ(ErrorCode(reg->Get("/api/v1/session")), "unauthenticated");
}

TEST_P(ApiTest, ASecondServerCannotTakeAPortInUse) {
  server::ServerOptions o;
  o.port = port();
  o.open_database = [] {
    return base::Result<std::unique_ptr<storage::Database>>(base::Internal("unused"));
  };
  server::ApiServer second(std::move(o));
  base::Status s = second.Start();
  EXPECT_EQ(s.code(), base::StatusCode::kUnavailable) << s.ToString();
}

TEST_P(ApiTest, WritesNeedTheCsrfToken) {
  auto reg = SignIn("regulator");
  httplib::Result r = reg->PostWithoutCsrf("/api/v1/tier-runs", R"({"as_of":"2026-07-01"})");
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(ErrorCode(r), "csrf");
  reg->set_csrf("0000");
  EXPECT_EQ(ErrorCode(reg->Post("/api/v1/objections", "{}")), "csrf");
}

TEST_P(ApiTest, FirstLoginMustChangeThePasswordUnderThePolicy) {
  auto c = SignIn("newcomer");
  EXPECT_EQ(ErrorCode(c->Get("/api/v1/households")), "password_change_required");
  auto change = [&](const std::string& old_pw, const std::string& new_pw) {
    return c->Post("/api/v1/session/password",
                   Json{{"old_password", old_pw}, {"new_password", new_pw}}.dump());
  };
  EXPECT_EQ(change("Wrong#Pass1", "Brand#New2026")->status, 400);
  httplib::Result weak = change(kPassword, "short");
  EXPECT_EQ(weak->status, 400);
  EXPECT_NE(Body(weak)["error"]["message"].get<std::string>().find("至少 8 个字符"),
            std::string::npos);
  EXPECT_EQ(change(kPassword, kPassword)->status, 400);  // the history forbids it
  EXPECT_EQ(change(kPassword, "Brand#New2026")->status, 200);
  EXPECT_EQ(c->Get("/api/v1/households")->status, 200);
  Client again(port());
  EXPECT_EQ(again.Login("newcomer", "Brand#New2026")->status, 200);
}

TEST_P(ApiTest, EachRoleReachesOnlyItsRoutesAndDenialsAreAudited) {
  auto tax = SignIn("taxman");
  auto owner = SignIn("owner");
  auto admin = SignIn("admin");
  auto reg = SignIn("plain_regulator");
  EXPECT_EQ(tax->Get("/api/v1/households")->status, 403);
  EXPECT_EQ(tax->Get("/api/v1/households/" + own_uscc_)->status, 403);
  EXPECT_EQ(tax->Get("/api/v1/stats")->status, 403);
  EXPECT_EQ(owner->Get("/api/v1/tier-runs")->status, 403);
  EXPECT_EQ(owner->Get("/api/v1/batches")->status, 403);
  EXPECT_EQ(admin->Get("/api/v1/households")->status, 403);
  EXPECT_EQ(admin->Post("/api/v1/tier-runs", R"({"as_of":"2026-07-01"})")->status, 403);
  EXPECT_EQ(reg->Get("/api/v1/users")->status, 403);
  EXPECT_EQ(reg->Get("/api/v1/audit")->status, 403);
  EXPECT_EQ(reg->Post("/api/v1/users", R"({"username":"sneaky"})")->status, 403);
  Json audit = Body(admin->Get("/api/v1/audit?action=access.denied&actor=taxman"));
  ASSERT_TRUE(audit["items"].is_array());
  ASSERT_FALSE(audit["items"].empty());
  EXPECT_EQ(audit["items"][0]["result"], "denied");
  EXPECT_FALSE(audit["items"][0]["ip"].get<std::string>().empty());
}

TEST_P(ApiTest, RegulatorsSeeOnlyTheirRegion) {
  auto reg = SignIn("plain_regulator");
  EXPECT_EQ(reg->Get("/api/v1/households/" + own_uscc_)->status, 200);
  httplib::Result foreign = reg->Get("/api/v1/households/" + foreign_uscc_);
  EXPECT_EQ(foreign->status, 404) << "outside the region looks like not there";
  EXPECT_EQ(reg->Get("/api/v1/households/" + foreign_uscc_ + "/explanation")->status, 404);
  EXPECT_EQ(reg->Get(std::string("/api/v1/households?region=") + kOtherRegion)->status, 403);
  EXPECT_EQ(reg->Get(std::string("/api/v1/stats?region=") + kOtherRegion)->status, 403);
  EXPECT_EQ(reg->Get(std::string("/api/v1/stats/breakdown?region=") + kOtherRegion)->status, 403);
  EXPECT_EQ(reg->Get("/api/v1/households?region=50")->status, 403);
  Json page = Body(reg->Get("/api/v1/households?limit=500"));
  ASSERT_FALSE(page["items"].empty());
  for (const Json& h : page["items"]) EXPECT_EQ(h["region"]["code"], kRegion);
  auto other = SignIn("other_regulator");
  EXPECT_EQ(other->Get("/api/v1/tier-runs/" + std::to_string(run_id_))->status, 404);
  EXPECT_TRUE(Body(other->Get("/api/v1/tier-runs"))["items"].empty());
  // A city-level regulator sees both districts.
  auto city = SignIn("city_regulator");
  EXPECT_EQ(city->Get("/api/v1/households/" + foreign_uscc_)->status, 200);
  EXPECT_EQ(city->Get("/api/v1/households/" + own_uscc_)->status, 200);
}

TEST_P(ApiTest, OwnersSeeAndObjectOnlyForTheirOwnHousehold) {
  auto owner = SignIn("owner");
  Json mine = Body(owner->Get("/api/v1/households/" + own_uscc_));
  EXPECT_EQ(mine["uscc"], own_uscc_);
  EXPECT_FALSE(mine["masked"]);  // their own data in full
  EXPECT_EQ(owner->Get("/api/v1/households/" + own_uscc_ + "/explanation")->status, 200);
  EXPECT_EQ(owner->Get("/api/v1/households/" + other_uscc_)->status, 403);
  EXPECT_EQ(owner->Get("/api/v1/households/" + other_uscc_ + "/explanation")->status, 403);
  EXPECT_EQ(owner->Get("/api/v1/households?q=" + other_uscc_)->status, 403);
  httplib::Result other = owner->Post("/api/v1/objections",
                                      Json{{"uscc", other_uscc_}, {"claim", "不是我的户"}}.dump());
  EXPECT_EQ(other->status, 403);
  httplib::Result filed = owner->Post(
      "/api/v1/objections",
      Json{{"uscc", own_uscc_}, {"claim", "去年营业额漏报"}, {"want", "growth"}}.dump());
  ASSERT_EQ(filed->status, 201) << filed->body;
  int64_t id = Body(filed)["id"].get<int64_t>();
  httplib::Result decide = owner->Post("/api/v1/objections/" + std::to_string(id) + "/decision",
                                       R"({"decision":"reject","reason":"自己裁定"})");
  EXPECT_EQ(decide->status, 403);
  Json list = Body(owner->Get("/api/v1/objections"));
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["uscc"], own_uscc_);
}

TEST_P(ApiTest, PersonalDataIsMaskedAndEveryUnmaskIsAudited) {
  auto reg = SignIn("regulator");
  Json masked = Body(reg->Get("/api/v1/households/" + own_uscc_));
  EXPECT_TRUE(masked["masked"]);
  std::string id = masked.value("operator_id_number", "");
  std::string phone = masked.value("phone", "");
  if (!id.empty()) {
    EXPECT_NE(id.find("***"), std::string::npos);
  }
  if (!phone.empty()) {
    EXPECT_NE(phone.find("****"), std::string::npos);
  }
  EXPECT_NE(masked["operator_name"].get<std::string>().find("*"), std::string::npos);
  Json full = Body(reg->Get("/api/v1/households/" + own_uscc_ + "?unmask=1"));
  EXPECT_FALSE(full["masked"]);
  EXPECT_EQ(full["operator_name"].get<std::string>().find("*"), std::string::npos);
  auto plain = SignIn("plain_regulator");
  EXPECT_EQ(plain->Get("/api/v1/households/" + own_uscc_ + "?unmask=1")->status, 403);
  auto db = OpenDb();
  storage::AuditRepository audit(*db, clock_);
  storage::AuditFilter f;
  f.action_prefix = "household.unmask";
  auto page = audit.List(f);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->events.size(), 2u);
  EXPECT_EQ(page->events[0].actor, "plain_regulator");
  EXPECT_EQ(page->events[0].result, storage::AuditResult::kDenied);
  EXPECT_EQ(page->events[1].actor, "regulator");
  EXPECT_EQ(page->events[1].target, "household:" + own_uscc_);
  EXPECT_TRUE(audit.Verify()->intact());
}

TEST_P(ApiTest, HostileInputGetsAnErrorAndChangesNothing) {
  auto reg = SignIn("regulator");
  auto db = OpenDb();
  auto count = [&] { return *db->QueryInt("SELECT count(*) FROM households"); };
  std::optional<int64_t> before = count();
  EXPECT_EQ(ErrorCode(reg->Post("/api/v1/objections", "{not json")), "bad_json");
  EXPECT_EQ(ErrorCode(reg->Post("/api/v1/objections", "[1,2]")), "bad_json");
  EXPECT_EQ(reg->Post("/api/v1/objections", std::string(2 << 20, 'x'))->status, 413);
  EXPECT_EQ(reg->Get("/api/v1/no-such-thing")->status, 404);
  const std::string hostile[] = {
      "' OR 1=1 --", "1; DROP TABLE households", "../../etc/passwd", "%00", "50011\"3",
      "\xe4\xb8",    "99999999999999999999"};
  const std::string params[] = {"q",    "region", "township", "industry", "status",
                                "tier", "run",    "cursor",   "limit"};
  for (const std::string& h : hostile) {
    std::string enc = httplib::detail::encode_query_param(h);
    for (const std::string& p : params) {
      httplib::Result r = reg->Get("/api/v1/households?" + p + "=" + enc);
      ASSERT_TRUE(r) << p << "=" << h;
      EXPECT_TRUE(r->status == 200 || r->status == 400 || r->status == 403) << p << "=" << h;
      if (r->status == 200) {
        for (const Json& item : Body(r)["items"]) EXPECT_EQ(item["region"]["code"], kRegion);
      }
    }
    for (const std::string path :
         {"/api/v1/households/", "/api/v1/tier-runs/", "/api/v1/batches/", "/api/v1/objections/"}) {
      httplib::Result r = reg->Get(path + enc);
      ASSERT_TRUE(r);
      EXPECT_GE(r->status, 400) << path << h;
      EXPECT_LT(r->status, 500) << path << h << ": " << r->body;
    }
    EXPECT_LT(reg->Get("/api/v1/stats?as_of=" + enc + "&by=" + enc)->status, 500);
    EXPECT_LT(
        reg->Post("/api/v1/tier-runs/" + std::to_string(run_id_) + "/simulate",
                  Json{{"set", {{h, h}}}}.dump(-1, ' ', false, Json::error_handler_t::replace))
            ->status,
        500);
  }
  for (const std::string path :
       {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/assets/..%2f..%2f..%2fetc%2fpasswd"}) {
    httplib::Result r = reg->raw().Get(path);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body.find("root:"), std::string::npos) << path;
  }
  EXPECT_EQ(count(), before);
}

// Every route, every path parameter and the query parameters any route reads, filled with
// injection and traversal strings: an error or an empty answer, never a server error, and the
// pool unchanged.
TEST_P(ApiTest, EveryRouteWithHostileParametersFailsCleanly) {
  auto reg = SignIn("regulator");
  auto admin = SignIn("admin");
  auto db = OpenDb();
  std::optional<int64_t> households = *db->QueryInt("SELECT count(*) FROM households");
  std::optional<int64_t> users = *db->QueryInt("SELECT count(*) FROM users");
  const std::string hostile[] = {
      "' OR '1'='1", "1;DELETE FROM users", "../../../etc/passwd", "%2e%2e%2f", "-1", "\xff\xfe"};
  const char* query_keys[] = {"region",   "as_of",    "run",       "status",    "format", "limit",
                              "cursor",   "feed",     "file_name", "by",        "tier",   "q",
                              "township", "industry", "unmask",    "actor",     "action", "target",
                              "result",   "from",     "to",        "rules_text"};
  server::ServerOptions o;
  o.open_database = [] {
    return base::Result<std::unique_ptr<storage::Database>>(base::Internal("unused"));
  };
  server::ApiServer routes(std::move(o));
  int requests = 0;
  for (const server::Route& r : routes.router().routes()) {
    if (r.pattern.find("/session/login") != std::string::npos ||
        r.pattern.find("/logout") != std::string::npos) {
      continue;  // would end the session the loop uses
    }
    for (const std::string& h : hostile) {
      std::string enc = httplib::detail::encode_query_param(h);
      std::string path;
      for (const std::string& seg : r.segments) {
        path += "/" + (seg.front() == '{' ? enc : seg);
      }
      std::string query = "?";
      for (const char* k : query_keys) query += std::string(k) + "=" + enc + "&";
      Client& c = r.pattern.find("/users") != std::string::npos ||
                          r.pattern.find("/audit") != std::string::npos ||
                          r.pattern.find("/sessions") != std::string::npos ||
                          r.pattern.find("/departments") != std::string::npos
                      ? *admin
                      : *reg;
      httplib::Result res =
          r.method == "GET" ? c.Get(path + query)
          : r.method == "PATCH"
              ? c.Patch(path + query,
                        Json{{"region", h}}.dump(-1, ' ', false, Json::error_handler_t::replace))
              : c.Post(path + query,
                       Json{{"uscc", h},
                            {"as_of", h},
                            {"region", h},
                            {"claim", h},
                            {"decision", h},
                            {"reason", h},
                            {"username", h}}
                           .dump(-1, ' ', false, Json::error_handler_t::replace),
                       "application/json");
      ++requests;
      ASSERT_TRUE(res) << r.method << " " << path;
      EXPECT_LT(res->status, 500) << r.method << " " << path << query << ": " << res->body;
      EXPECT_EQ(res->body.find("root:x:"), std::string::npos);
    }
  }
  EXPECT_GT(requests, 100);
  // The hostile file_name/feed uploads and usernames changed nothing.
  EXPECT_EQ(*db->QueryInt("SELECT count(*) FROM households"), households);
  EXPECT_EQ(*db->QueryInt("SELECT count(*) FROM users"), users);
  EXPECT_EQ(reg->Get("/api/v1/session")->status, 200);
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) {
                           return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace getihu::apitest
