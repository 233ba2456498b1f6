// What each role does through the API, end to end: a regulator runs, reads, explains,
// simulates and compares tier runs and decides objections; a department uploads its feed and
// downloads the refused rows; a regulator reads the indicators and downloads the report; an
// admin creates accounts with one-time passwords and forces logouts. Plus: every route is in
// docs/openapi.json and every documented route exists.
#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "domain/uscc.h"
#include "server/api.h"
#include "storage/audit_repository.h"
#include "tests/api/api_fixture.h"

namespace getihu::apitest {
namespace {

TEST_P(ApiTest, RegulatorRunsExplainsSimulatesAndReviews) {
  auto reg = SignIn("regulator");
  httplib::Result start = reg->Post("/api/v1/tier-runs", R"({"as_of":"2026-07-01"})");
  ASSERT_EQ(start->status, 202) << start->body;
  Json job = reg->WaitForJob(Body(start)["job"].get<int64_t>());
  ASSERT_EQ(job["state"], "succeeded") << job.dump();
  int64_t run = job["result"]["id"].get<int64_t>();
  EXPECT_EQ(job["result"]["region"], kRegion);
  auto other = SignIn("plain_regulator");
  EXPECT_EQ(other->Get("/api/v1/jobs/" + std::to_string(Body(start)["job"].get<int64_t>()))->status,
            404)
      << "a job is its submitter's";

  Json runs = Body(reg->Get("/api/v1/tier-runs"));
  EXPECT_EQ(runs["items"].size(), 2u);
  Json detail = Body(reg->Get("/api/v1/tier-runs/" + std::to_string(run)));
  EXPECT_FALSE(detail["reasons"].empty());
  EXPECT_FALSE(detail["params"].empty());
  int64_t typed = detail["development"].get<int64_t>() + detail["growth"].get<int64_t>() +
                  detail["survival"].get<int64_t>();
  EXPECT_GT(typed, 0);

  Json explained = Body(reg->Get("/api/v1/households/" + own_uscc_ + "/explanation"));
  EXPECT_EQ(explained["run"], run);
  EXPECT_EQ(explained["stored_tier"], "survival");
  EXPECT_FALSE(explained["rows"].empty());

  Json sim = Body(reg->Post("/api/v1/tier-runs/" + std::to_string(run) + "/simulate",
                            R"({"set":{"growth_revenue_min":"¥1"},"movers":true})"));
  ASSERT_TRUE(sim.contains("moved")) << sim.dump();
  EXPECT_GT(sim["moved"].get<int64_t>(), 0);
  EXPECT_EQ(sim["movers"].size(), sim["moved"].get<size_t>());
  httplib::Result bad_param = reg->Post("/api/v1/tier-runs/" + std::to_string(run) + "/simulate",
                                        R"({"set":{"no_such":"1"}})");
  EXPECT_EQ(bad_param->status, 400);
  EXPECT_NE(Body(bad_param)["error"]["message"].get<std::string>().find("no_such"),
            std::string::npos);

  Json diff = Body(
      reg->Get("/api/v1/tier-runs/" + std::to_string(run_id_) + "/diff/" + std::to_string(run)));
  EXPECT_EQ(diff["only_in_a"], 0);

  httplib::Result filed =
      reg->Post("/api/v1/objections",
                Json{{"uscc", own_uscc_}, {"run", run}, {"claim", "营业额漏报"}}.dump());
  ASSERT_EQ(filed->status, 201) << filed->body;
  int64_t oid = Body(filed)["id"].get<int64_t>();
  EXPECT_EQ(reg->Post("/api/v1/objections/" + std::to_string(oid) + "/decision",
                      R"({"decision":"override","tier":"growth"})")
                ->status,
            400)
      << "a decision needs a reason";
  httplib::Result decided = reg->Post("/api/v1/objections/" + std::to_string(oid) + "/decision",
                                      R"({"decision":"override","tier":"growth","reason":"核实"})");
  ASSERT_EQ(decided->status, 200) << decided->body;
  EXPECT_EQ(Body(decided)["status"], "accepted");
  auto other_region = SignIn("other_regulator");
  EXPECT_EQ(other_region
                ->Post("/api/v1/objections/" + std::to_string(oid) + "/decision",
                       R"({"decision":"reject","reason":"x"})")
                ->status,
            404);
  httplib::Result rerun =
      reg->Post("/api/v1/tier-runs", Json{{"as_of", "2026-07-01"}, {"review_of", run}}.dump());
  Json rejob = reg->WaitForJob(Body(rerun)["job"].get<int64_t>());
  ASSERT_EQ(rejob["state"], "succeeded") << rejob.dump();
  EXPECT_EQ(rejob["result"]["overrides_applied"], 1);
  Json history = Body(reg->Get("/api/v1/households/" + own_uscc_));
  EXPECT_EQ(history["tier"]["tier"], "growth");
  EXPECT_TRUE(history["tier"]["overridden"]);
  EXPECT_EQ(history["tier_history"].size(), 3u);

  auto db = OpenDb();
  storage::AuditRepository audit(*db, clock_);
  EXPECT_TRUE(audit.Verify()->intact());
  storage::AuditFilter f;
  f.action_prefix = "tier.";
  f.actor = "regulator";
  EXPECT_GE(audit.List(f)->events.size(), 5u);  // 2 starts, 2 runs, file, decide
}

TEST_P(ApiTest, DepartmentUploadsItsFeedAndGetsTheRefusedRowsBack) {
  auto tax = SignIn("taxman");
  std::ifstream in(*dir_ / "feeds" / kRegion / "tax.csv", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string file = ss.str();
  httplib::Result denied =
      tax->Post("/api/v1/imports?feed=registration&file_name=r.csv", file, "text/csv");
  EXPECT_EQ(denied->status, 403);
  httplib::Result r =
      tax->Post("/api/v1/imports?feed=tax&file_name=%E7%BA%B3%E7%A8%8E.csv", file, "text/csv");
  ASSERT_EQ(r->status, 202) << r->body;
  Json job = tax->WaitForJob(Body(r)["job"].get<int64_t>());
  ASSERT_EQ(job["state"], "succeeded") << job.dump();
  EXPECT_TRUE(job["result"]["already_imported"]) << "the fixture imported the same file";
  // A new file: the header and two rows of our own making, one for an unknown household and
  // one with a negative amount.
  std::string two = file.substr(0, file.find('\n') + 1) +
                    "92500113MA00000000,2025,100.00,1000.00,A\n" + own_uscc_ +
                    ",2023,-5.00,1000.00,B\n";
  Json job2 = tax->WaitForJob(
      Body(tax->Post("/api/v1/imports?feed=tax&file_name=two.xlsx.csv", two, "text/csv"))["job"]
          .get<int64_t>());
  ASSERT_EQ(job2["state"], "succeeded") << job2.dump();
  EXPECT_EQ(job2["result"]["rejected"], 2);
  int64_t batch = job2["result"]["batch"].get<int64_t>();
  Json b = Body(tax->Get("/api/v1/batches/" + std::to_string(batch)));
  EXPECT_EQ(b["file_name"], "two.xlsx.csv");
  EXPECT_EQ(b["rows_rejected"], 2);
  EXPECT_EQ(b["rejected_by_reason"].size(), 2u);
  httplib::Result csv = tax->Get("/api/v1/batches/" + std::to_string(batch) + "/rejects");
  ASSERT_EQ(csv->status, 200);
  EXPECT_NE(csv->body.find("错误原因"), std::string::npos);
  EXPECT_NE(csv->body.find("92500113MA00000000"), std::string::npos);
  httplib::Result xlsx =
      tax->Get("/api/v1/batches/" + std::to_string(batch) + "/rejects?format=xlsx");
  ASSERT_EQ(xlsx->status, 200);
  EXPECT_EQ(xlsx->body.substr(0, 2), "PK");
  // Batches of other departments' feeds are not theirs to see.
  for (const Json& item : Body(tax->Get("/api/v1/batches"))["items"])
    EXPECT_EQ(item["feed"], "tax");
  EXPECT_EQ(tax->Post("/api/v1/imports?feed=tax&file_name=../x.csv", "a", "text/csv")->status, 400);
  EXPECT_EQ(tax->Post("/api/v1/imports?feed=tax&file_name=x.exe", "a", "text/csv")->status, 400);
  EXPECT_EQ(
      tax->Post("/api/v1/imports?feed=tax&file_name=x.csv", std::string(9 << 20, 'a'), "text/csv")
          ->status,
      413);
}

TEST_P(ApiTest, IndicatorsAndTheReportForTheRegion) {
  auto reg = SignIn("regulator");
  Json stats = Body(reg->Get("/api/v1/stats?as_of=2026-07-01&by=township"));
  EXPECT_EQ(stats["region"], kRegion);
  EXPECT_GT(stats["total"]["stock"].get<int64_t>(), 700);
  EXPECT_FALSE(stats["groups"].empty());
  EXPECT_EQ(reg->Get("/api/v1/stats?by=colour")->status, 400);
  // Employment without a grouping: each household in stock counts its operator.
  Json plain = Body(reg->Get("/api/v1/stats?as_of=2026-07-01"));
  EXPECT_EQ(plain["employment"]["operators"], plain["total"]["stock"]);
  EXPECT_EQ(plain["employment"]["people"].get<int64_t>(),
            plain["employment"]["operators"].get<int64_t>() +
                plain["employment"]["employees"].get<int64_t>());
  EXPECT_GT(plain["employment"]["households_with_employee_data"].get<int64_t>(), 0);
  // The server keeps the population between requests; an import that commits shows at once.
  Json again = Body(reg->Get("/api/v1/stats?as_of=2026-07-01&by=section"));
  EXPECT_EQ(again["total"], stats["total"]);
  Json divisions = Body(reg->Get("/api/v1/stats?as_of=2026-07-01&by=division"));
  EXPECT_EQ(divisions["total"], stats["total"]);
  int64_t in_divisions = 0;
  for (const Json& g : divisions["groups"]) in_divisions += g["stock"].get<int64_t>();
  EXPECT_EQ(in_divisions, stats["total"]["stock"].get<int64_t>());
  EXPECT_GT(divisions["groups"].size(), again["groups"].size());
  std::ifstream in(*dir_ / "feeds" / kRegion / "registration.csv", std::ios::binary);
  std::string header;
  std::getline(in, header);
  const std::string uscc = domain::UsccGenerator(kRegion).Generate(987'654'321);
  std::string one = header + "\n" + uscc +
                    ",设立,2026-06-01,,缓存测试小店,李四,,,500113,500113004,5211,个人经营,,"
                    "2026-06-01,否,\n";
  Json job = reg->WaitForJob(
      Body(reg->Post("/api/v1/imports?feed=registration&file_name=one.csv", one, "text/csv"))["job"]
          .get<int64_t>());
  ASSERT_EQ(job["state"], "succeeded") << job.dump();
  ASSERT_EQ(job["result"]["rejected"], 0) << job.dump();
  // The import ended by writing the images of the pool's new state, which the next figures
  // read (the image of the state before it is stale).
  EXPECT_EQ(job["result"]["images"], true) << job.dump();
  Json after = Body(reg->Get("/api/v1/stats?as_of=2026-07-01&by=township"));
  EXPECT_EQ(after["total"]["stock"].get<int64_t>(), stats["total"]["stock"].get<int64_t>() + 1);
  EXPECT_EQ(after["total"]["new_registrations"].get<int64_t>(),
            stats["total"]["new_registrations"].get<int64_t>() + 1);
  httplib::Result html = reg->Get("/api/v1/reports?as_of=2026-07-01&format=html");
  ASSERT_EQ(html->status, 200) << html->body.substr(0, 300);
  EXPECT_NE(html->body.find("<svg"), std::string::npos);
  EXPECT_NE(html->body.find("巴南区"), std::string::npos);
  httplib::Result docx = reg->Get("/api/v1/reports?as_of=2026-07-01&format=docx");
  ASSERT_EQ(docx->status, 200);
  EXPECT_EQ(docx->body.substr(0, 2), "PK");
}

// The full breakdown county × township × section × tier adds up to the one-dimension figures
// of /stats (by township and by tier, the same run), its shares to 100% of the county, and
// downloads as a CSV with Chinese headings.
TEST_P(ApiTest, TheFullBreakdownAddsUpToTheIndicators) {
  auto reg = SignIn("regulator");
  Json b = Body(reg->Get("/api/v1/stats/breakdown?as_of=2026-07-01"));
  ASSERT_TRUE(b.contains("cells")) << b.dump().substr(0, 300);
  EXPECT_EQ(b["region"], kRegion);
  EXPECT_EQ(b["region_name"], "巴南区");
  ASSERT_FALSE(b["tier_run"].is_null());
  ASSERT_FALSE(b["cells"].empty());
  std::map<std::string, int64_t> by_township, by_tier;
  int64_t stock = 0;
  double shares = 0;
  for (const Json& cell : b["cells"]) {
    EXPECT_EQ(cell["region"], kRegion);
    by_township[cell["township"].get<std::string>()] += cell["stock"].get<int64_t>();
    by_tier[cell["tier"].get<std::string>()] += cell["stock"].get<int64_t>();
    stock += cell["stock"].get<int64_t>();
    shares += cell["share_of_region_pct"].get<double>();
  }
  EXPECT_EQ(b["stock"].get<int64_t>(), stock);
  EXPECT_NEAR(shares, 100.0, 0.01 * static_cast<double>(b["cells"].size()));
  Json township = Body(reg->Get("/api/v1/stats?as_of=2026-07-01&by=township"));
  EXPECT_EQ(township["total"]["stock"].get<int64_t>(), stock);
  for (const Json& g : township["groups"]) {
    EXPECT_EQ(by_township[g["code"].get<std::string>()], g["stock"].get<int64_t>()) << g["code"];
  }
  Json tier = Body(reg->Get("/api/v1/stats?as_of=2026-07-01&by=tier"));
  EXPECT_EQ(tier["tier_run"], b["tier_run"]);
  for (const Json& g : tier["groups"]) {
    EXPECT_EQ(by_tier[g["code"].get<std::string>()], g["stock"].get<int64_t>()) << g["code"];
  }

  httplib::Result csv = reg->Get("/api/v1/stats/breakdown?as_of=2026-07-01&format=csv");
  ASSERT_EQ(csv->status, 200);
  EXPECT_EQ(csv->body.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(csv->body.find("区县代码,区县,乡镇（街道）代码"), std::string::npos);
  EXPECT_EQ(static_cast<size_t>(std::count(csv->body.begin(), csv->body.end(), '\n')),
            b["cells"].size() + 1);
  EXPECT_NE(csv->body.find(",巴南区,"), std::string::npos);
  EXPECT_EQ(reg->Get("/api/v1/stats/breakdown?format=xml")->status, 400);
  EXPECT_EQ(reg->Get("/api/v1/stats/breakdown?as_of=2026-13-01")->status, 400);
}

// Targets set through the API appear with their progress in /stats; the monthly series comes
// in the same call; other regions and other roles are refused.
TEST_P(ApiTest, TargetsWithProgressAndTheMonthlySeries) {
  auto reg = SignIn("regulator");
  Json none = Body(reg->Get("/api/v1/stats?as_of=2026-07-01"));
  ASSERT_TRUE(none["targets"].is_array());
  EXPECT_TRUE(none["targets"].empty());
  httplib::Result set = reg->Put(
      "/api/v1/targets", R"({"region":"500113","year":2026,"indicator":"households","value":100})");
  ASSERT_EQ(set->status, 200) << set->body;
  EXPECT_EQ(Body(set)["name"], "在册个体工商户");
  ASSERT_EQ(reg->Put("/api/v1/targets",
                     R"({"region":"500113","year":2026,"indicator":"first_loans","value":10})")
                ->status,
            200);
  EXPECT_EQ(reg->Put("/api/v1/targets",
                     R"({"region":"500113","year":2026,"indicator":"activity","value":170})")
                ->status,
            400);
  EXPECT_EQ(reg->Put("/api/v1/targets",
                     R"({"region":"500113","year":2026,"indicator":"colour","value":1})")
                ->status,
            400);
  EXPECT_EQ(reg->Put("/api/v1/targets",
                     R"({"region":"500112","year":2026,"indicator":"households","value":1})")
                ->status,
            403);
  EXPECT_EQ(SignIn("taxman")->Get("/api/v1/targets")->status, 403);

  Json list = Body(reg->Get("/api/v1/targets?year=2026"));
  EXPECT_EQ(list["region"], kRegion);
  EXPECT_EQ(list["items"].size(), 2u);
  EXPECT_EQ(list["indicators"].size(), 6u);

  Json stats = Body(reg->Get("/api/v1/stats?as_of=2026-07-01&series=monthly"));
  ASSERT_EQ(stats["targets"].size(), 2u) << stats.dump();
  Json households = stats["targets"][0];
  EXPECT_EQ(households["indicator"], "households");
  EXPECT_EQ(households["actual"], stats["total"]["stock"]);
  EXPECT_EQ(households["status"], "达标");
  EXPECT_EQ(households["met"], true);
  Json loans = stats["targets"][1];
  EXPECT_EQ(loans["indicator"], "first_loans");
  ASSERT_TRUE(loans["actual"].is_number()) << "the fixture imports a loan feed";
  EXPECT_EQ(loans["status"], loans["actual"].get<int64_t>() >= 10 ? "达标" : "未达标");
  EXPECT_TRUE(loans["basis"].get<std::string>().find("首贷") != std::string::npos);
  ASSERT_EQ(stats["monthly"].size(), 12u);
  EXPECT_EQ(stats["monthly"][0]["month"], "2025-08");
  EXPECT_EQ(stats["monthly"][11]["end"], "2026-07-01");
  EXPECT_EQ(stats["monthly"][11]["stock"], stats["total"]["stock"]);
  EXPECT_EQ(reg->Get("/api/v1/stats?series=weekly")->status, 400);
  // The yearly series: the ten full years before the as-of year, the last one's stock on
  // 31 December being the stock at the end of the previous year.
  Json yearly = Body(reg->Get("/api/v1/stats?as_of=2026-07-01&series=yearly"))["yearly"];
  ASSERT_EQ(yearly.size(), 10u);
  EXPECT_EQ(yearly[0]["year"], 2016);
  EXPECT_EQ(yearly[9]["year"], 2025);
  EXPECT_EQ(yearly[9]["stock_year_end"], stats["total"]["stock_previous_year_end"]);
  EXPECT_EQ(yearly[9]["new_registrations_previous_year"], yearly[8]["new_registrations"]);

  httplib::Result removed =
      reg->Put("/api/v1/targets",
               R"({"region":"500113","year":2026,"indicator":"first_loans","value":null})");
  ASSERT_EQ(removed->status, 200) << removed->body;
  EXPECT_EQ(Body(reg->Get("/api/v1/targets"))["items"].size(), 1u);
}

TEST_P(ApiTest, AdminCreatesAccountsWithOneTimePasswords) {
  auto admin = SignIn("admin");
  httplib::Result created = admin->Post(
      "/api/v1/users",
      R"({"username":"liu_keyuan","display_name":"刘科员","role":"regulator","region":"500113"})");
  ASSERT_EQ(created->status, 201) << created->body;
  std::string initial = Body(created)["initial_password"].get<std::string>();
  int64_t id = Body(created)["id"].get<int64_t>();
  Client liu(port());
  ASSERT_EQ(liu.Login("liu_keyuan", initial)->status, 200);
  EXPECT_EQ(ErrorCode(liu.Get("/api/v1/households")), "password_change_required");
  EXPECT_EQ(admin->Post("/api/v1/users", R"({"username":"xx2","region":"500107"})")->status, 403)
      << "outside the admin's own region";
  EXPECT_EQ(admin->Post("/api/v1/users", R"({"username":"liu_keyuan"})")->status, 409);
  EXPECT_EQ(admin->Post("/api/v1/users", R"({"username":"o1","role":"owner"})")->status, 400);
  Json sessions = Body(admin->Get("/api/v1/sessions"));
  EXPECT_GE(sessions["items"].size(), 2u);
  EXPECT_EQ(
      Body(admin->Post("/api/v1/users/" + std::to_string(id) + "/logout", "{}"))["ended_sessions"],
      1);
  EXPECT_EQ(liu.Get("/api/v1/session")->status, 401);
  Json reset = Body(admin->Post("/api/v1/users/" + std::to_string(id) + "/password-reset", "{}"));
  Client again(port());
  EXPECT_EQ(again.Login("liu_keyuan", initial)->status, 401);
  EXPECT_EQ(again.Login("liu_keyuan", reset["initial_password"].get<std::string>())->status, 200);
  EXPECT_EQ(admin->Patch("/api/v1/users/" + std::to_string(id), R"({"disabled":true})")->status,
            200);
  EXPECT_EQ(again.Get("/api/v1/session")->status, 401);
  Client disabled(port());
  EXPECT_EQ(disabled.Login("liu_keyuan", reset["initial_password"].get<std::string>())->status,
            401);
  Json deps = Body(admin->Post(
      "/api/v1/departments", R"({"code":"hrss","name":"区人社局","feeds":["social_insurance"]})"));
  EXPECT_EQ(deps["code"], "hrss");
  Json audit = Body(admin->Get("/api/v1/audit?action=user.&limit=10"));
  EXPECT_GE(audit["items"].size(), 3u);
}

// Every route of the server is in docs/openapi.json, and every path there is a route.
TEST(ApiDocsTest, OpenApiDocumentsEveryRoute) {
  std::ifstream in(std::string(GETIHU_SOURCE_DIR) + "/docs/openapi.json");
  ASSERT_TRUE(in) << "docs/openapi.json is missing";
  Json doc = Json::parse(in, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << "docs/openapi.json is not valid JSON";
  EXPECT_EQ(doc["openapi"].get<std::string>().substr(0, 2), "3.");
  server::ServerOptions o;
  o.open_database = [] {
    return base::Result<std::unique_ptr<storage::Database>>(base::Internal(""));
  };
  server::ApiServer api(std::move(o));
  std::set<std::pair<std::string, std::string>> routes, documented;
  for (const server::Route& r : api.router().routes()) {
    if (!r.pattern.starts_with("/api/")) continue;
    std::string method = r.method;
    for (char& c : method) c = static_cast<char>(std::tolower(c));
    routes.emplace(r.pattern.substr(std::string("/api/v1").size()), method);
  }
  for (const auto& [path, ops] : doc["paths"].items()) {
    for (const auto& [method, op] : ops.items()) {
      if (method == "parameters") continue;
      documented.emplace(path, method);
      EXPECT_TRUE(op.contains("summary")) << method << " " << path;
      EXPECT_TRUE(op.contains("responses")) << method << " " << path;
    }
  }
  for (const auto& r : routes) {
    EXPECT_TRUE(documented.count(r)) << "undocumented route: " << r.second << " " << r.first;
  }
  for (const auto& d : documented) {
    EXPECT_TRUE(routes.count(d)) << "documented but not served: " << d.second << " " << d.first;
  }
}

}  // namespace
}  // namespace getihu::apitest
