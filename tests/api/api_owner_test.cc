// The owner portal's routes and the settings pages' routes: an owner signs in with the USCC,
// the operator's name and a code sent by SMS to the registered phone; hears the outcome of an
// objection in the inbox; an admin sets a parameter the platform then applies (the objection
// window) and reads the roles; everyone reads the code dictionaries.
#include <regex>

#include "tests/api/api_fixture.h"

namespace getihu::apitest {
namespace {

// The operator's name of a household, as registered.
std::string OperatorName(storage::Database& db, const std::string& uscc) {
  auto stmt = db.Prepare("SELECT operator_name FROM households WHERE uscc = ?");
  EXPECT_TRUE(stmt.ok());
  EXPECT_TRUE((*stmt)->BindText(1, uscc).ok());
  auto row = (*stmt)->Step();
  EXPECT_TRUE(row.ok() && *row);
  return (*stmt)->ColumnText(0);
}

// The six digits of the last SMS.
std::string LastCode(RecordingSms& sms) {
  auto sent = sms.sent();
  if (sent.empty()) return "";
  std::smatch m;
  if (!std::regex_search(sent.back().second, m, std::regex("验证码为 ([0-9]{6})"))) return "";
  return m[1];
}

Json Claim(const std::string& uscc, const std::string& name, const std::string& code = "") {
  Json j = {{"uscc", uscc}, {"operator_name", name}};
  if (!code.empty()) j["code"] = code;
  return j;
}

TEST_P(ApiTest, OwnerSignsInWithACodeSentToTheRegisteredPhone) {
  std::string name = OperatorName(*OpenDb(), other_uscc_);
  auto owner = Anonymous();
  // A wrong name, a malformed USCC: refused, nothing sent.
  httplib::Result wrong =
      owner->Post("/api/v1/session/owner-code", Claim(other_uscc_, name + "甲").dump());
  EXPECT_EQ(wrong->status, 400);
  EXPECT_EQ(ErrorCode(wrong), "no_match");
  EXPECT_EQ(owner->Post("/api/v1/session/owner-code", Claim("12345", name).dump())->status, 400);
  EXPECT_TRUE(sms_->sent().empty());

  httplib::Result sent = owner->Post("/api/v1/session/owner-code", Claim(other_uscc_, name).dump());
  ASSERT_EQ(sent->status, 200) << sent->body;
  std::string masked = Body(sent)["phone"].get<std::string>();
  EXPECT_TRUE(std::regex_match(masked, std::regex("1[0-9]{2}\\*{4}[0-9]{4}"))) << masked;
  ASSERT_EQ(sms_->sent().size(), 1u);
  EXPECT_EQ(sms_->sent()[0].first.substr(7), masked.substr(7)) << "to the registered phone";
  std::string code = LastCode(*sms_);
  ASSERT_EQ(code.size(), 6u) << sms_->sent()[0].second;
  // Asking again at once is refused; the code is not in the outbox any more.
  EXPECT_EQ(owner->Post("/api/v1/session/owner-code", Claim(other_uscc_, name).dump())->status,
            429);
  auto db = OpenDb();
  EXPECT_EQ(*db->QueryInt("SELECT COUNT(*) FROM notifications WHERE kind = 'login_code'"
                          " AND status = 'sent' AND body NOT LIKE ?",
                          {"%" + code + "%"}),
            1);

  std::string wrong_code = code == "000000" ? "111111" : "000000";
  httplib::Result bad =
      owner->Post("/api/v1/session/owner-login", Claim(other_uscc_, name, wrong_code).dump());
  EXPECT_EQ(bad->status, 401);
  EXPECT_EQ(ErrorCode(bad), "bad_code");
  httplib::Result in =
      owner->Post("/api/v1/session/owner-login", Claim(other_uscc_, name, code).dump());
  ASSERT_EQ(in->status, 200) << in->body;
  Json user = Body(in)["user"];
  EXPECT_EQ(user["role"], "owner");
  EXPECT_EQ(user["household_uscc"], other_uscc_);
  EXPECT_FALSE(user["must_change_password"].get<bool>());
  // The code is used up.
  auto again = Anonymous();
  EXPECT_EQ(
      again->Post("/api/v1/session/owner-login", Claim(other_uscc_, name, code).dump())->status,
      401);

  // The session works like a password session, and only for the own household.
  Client signed_in(port());
  signed_in.set_csrf(Body(in)["csrf_token"].get<std::string>());
  std::string cookie = in->get_header_value("Set-Cookie");
  httplib::Headers h = {{"Cookie", cookie.substr(0, cookie.find(';'))}};
  EXPECT_EQ(signed_in.raw().Get("/api/v1/households/" + other_uscc_, h)->status, 200);
  EXPECT_NE(signed_in.raw().Get("/api/v1/households/" + own_uscc_, h)->status, 200);
  // An account was made for the household; its password field opens nothing.
  EXPECT_EQ(*db->QueryInt("SELECT COUNT(*) FROM users WHERE household_uscc = ? AND role = 'owner'",
                          {other_uscc_}),
            1);
  auto by_password = Anonymous()->Login(other_uscc_, "!sms-code-login");
  EXPECT_EQ(by_password->status, 401);
  EXPECT_EQ(*db->QueryInt("SELECT COUNT(*) FROM audit_log WHERE action = 'session.login'"
                          " AND result = 'ok' AND detail LIKE '%sms_code%'"),
            1);
}

TEST_P(ApiTest, FiveWrongCodesDropTheCode) {
  std::string name = OperatorName(*OpenDb(), own_uscc_);
  auto owner = Anonymous();
  ASSERT_EQ(owner->Post("/api/v1/session/owner-code", Claim(own_uscc_, name).dump())->status, 200);
  std::string code = LastCode(*sms_);
  std::string wrong = code == "000000" ? "111111" : "000000";
  for (int i = 0; i < 5; ++i) {
    owner->Post("/api/v1/session/owner-login", Claim(own_uscc_, name, wrong).dump());
  }
  httplib::Result late =
      owner->Post("/api/v1/session/owner-login", Claim(own_uscc_, name, code).dump());
  EXPECT_EQ(late->status, 401) << "the right code after five wrong ones no longer works";
  // The existing owner account of the household is the one a code signs into.
  clock_.Advance(61);
  ASSERT_EQ(owner->Post("/api/v1/session/owner-code", Claim(own_uscc_, name).dump())->status, 200);
  httplib::Result in =
      owner->Post("/api/v1/session/owner-login", Claim(own_uscc_, name, LastCode(*sms_)).dump());
  ASSERT_EQ(in->status, 200) << in->body;
  EXPECT_EQ(Body(in)["user"]["username"], "owner");
}

TEST_P(ApiTest, OwnerReadsTheDecisionOnTheirObjectionInTheInbox) {
  auto owner = SignIn("owner");
  httplib::Result filed = owner->Post(
      "/api/v1/objections", Json{{"uscc", own_uscc_}, {"claim", "营业额统计有误"}}.dump());
  ASSERT_EQ(filed->status, 201) << filed->body;
  Json inbox = Body(owner->Get("/api/v1/messages"));
  EXPECT_TRUE(inbox["items"].empty());
  auto reg = SignIn("regulator");
  httplib::Result decided = reg->Post(
      "/api/v1/objections/" + std::to_string(Body(filed)["id"].get<int64_t>()) + "/decision",
      Json{{"decision", "reject"}, {"reason", "营业额与税务数据一致"}}.dump());
  ASSERT_EQ(decided->status, 200) << decided->body;
  inbox = Body(owner->Get("/api/v1/messages"));
  ASSERT_EQ(inbox["items"].size(), 1u) << inbox.dump();
  EXPECT_EQ(inbox["unread"], 1);
  std::string body = inbox["items"][0]["body"].get<std::string>();
  EXPECT_NE(body.find("驳回"), std::string::npos) << body;
  EXPECT_NE(body.find("营业额与税务数据一致"), std::string::npos) << body;
  std::string id = std::to_string(inbox["items"][0]["id"].get<int64_t>());
  // Staff have no inbox; nobody else marks it read.
  EXPECT_EQ(reg->Get("/api/v1/messages")->status, 403);
  EXPECT_EQ(reg->Post("/api/v1/messages/" + id + "/read", "{}")->status, 403);
  ASSERT_EQ(owner->Post("/api/v1/messages/" + id + "/read", "{}")->status, 200);
  EXPECT_EQ(Body(owner->Get("/api/v1/messages"))["unread"], 0);
  EXPECT_EQ(owner->Post("/api/v1/messages/999999/read", "{}")->status, 404);
}

TEST_P(ApiTest, AdminSetsTheObjectionWindowAndTheServerAppliesIt) {
  auto admin = SignIn("admin");
  Json params = Body(admin->Get("/api/v1/parameters"));
  ASSERT_FALSE(params["items"].empty());
  EXPECT_EQ(params["items"][0]["name"], "objection.window_days");
  EXPECT_EQ(params["items"][0]["value"], 15);
  httplib::Result bad = admin->Put("/api/v1/parameters/objection.window_days", R"({"value":0})");
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(Body(bad)["error"]["message"].get<std::string>().find("1–90"), std::string::npos);
  EXPECT_EQ(admin->Put("/api/v1/parameters/no.such", R"({"value":1})")->status, 404);
  ASSERT_EQ(admin->Put("/api/v1/parameters/objection.window_days", R"({"value":1})")->status, 200);
  EXPECT_EQ(Body(admin->Get("/api/v1/parameters"))["items"][0]["updated_by"], "admin");
  EXPECT_EQ(SignIn("regulator")
                ->Put("/api/v1/parameters/objection.window_days", R"({"value":30})")
                ->status,
            403);

  Json roles = Body(admin->Get("/api/v1/roles"));
  ASSERT_EQ(roles["roles"].size(), 5u);
  EXPECT_EQ(roles["roles"][0]["role"], "regulator");
  EXPECT_FALSE(roles["roles"][0]["permissions"].empty());

  // The fixture's run was made on the test clock's day; two days later the window is closed.
  ASSERT_TRUE(
      OpenDb()->Execute("UPDATE tier_runs SET created_at = '2026-11-22T08:00:00+08:00'").ok());
  clock_.Advance(2 * 86400);
  auto owner = SignIn("owner");
  httplib::Result late =
      owner->Post("/api/v1/objections", Json{{"uscc", own_uscc_}, {"claim", "晚了"}}.dump());
  EXPECT_EQ(late->status, 409);
  EXPECT_EQ(ErrorCode(late), "objection_window_closed");

  EXPECT_EQ(owner->Get("/api/v1/roles")->status, 403);
  Json dict = Body(owner->Get("/api/v1/dictionaries"));
  EXPECT_EQ(dict["tiers"][2]["name"], "成长型");
  EXPECT_FALSE(dict["feeds"].empty());
}

TEST_P(ApiTest, RegionTreeStaysInsideTheScope) {
  auto reg = SignIn("regulator");
  Json root = Body(reg->Get("/api/v1/regions"));
  ASSERT_EQ(root["items"].size(), 1u);
  EXPECT_EQ(root["items"][0]["code"], kRegion);
  EXPECT_EQ(root["items"][0]["name"], "巴南区");
  Json towns = Body(reg->Get(std::string("/api/v1/regions?parent=") + kRegion));
  ASSERT_FALSE(towns["items"].empty());
  for (const Json& t : towns["items"]) {
    EXPECT_TRUE(t["code"].get<std::string>().starts_with(kRegion)) << t.dump();
    EXPECT_TRUE(t["leaf"].get<bool>());
  }
  // The city above lists only the caller's district; another district is refused.
  Json city = Body(reg->Get("/api/v1/regions?parent=5001"));
  ASSERT_EQ(city["items"].size(), 1u) << city.dump();
  EXPECT_EQ(city["items"][0]["code"], kRegion);
  EXPECT_EQ(reg->Get(std::string("/api/v1/regions?parent=") + kOtherRegion)->status, 403);
  EXPECT_EQ(reg->Get("/api/v1/regions?parent=5001%27--")->status, 400);
  Json city_scope = Body(SignIn("city_regulator")->Get("/api/v1/regions?parent=5001"));
  EXPECT_GT(city_scope["items"].size(), 10u) << "a city regulator sees every district";
  EXPECT_EQ(SignIn("owner")->Get("/api/v1/regions")->status, 403);
}

TEST_P(ApiTest, OwnerAttachesEvidenceToAnOpenObjection) {
  auto owner = SignIn("owner");
  httplib::Result filed = owner->Post("/api/v1/objections",
                                      Json{{"uscc", own_uscc_}, {"claim", "附上营业执照"}}.dump());
  ASSERT_EQ(filed->status, 201) << filed->body;
  std::string base = "/api/v1/objections/" + std::to_string(Body(filed)["id"].get<int64_t>());
  const std::string png = std::string("\x89PNG\r\n\x1A\n", 8) + std::string(300, '\x01');
  httplib::Result added =
      owner->Post(base + "/attachments?name=%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7.png", png,
                  "application/octet-stream");
  ASSERT_EQ(added->status, 201) << added->body;
  EXPECT_EQ(Body(added)["content_type"], "image/png");
  EXPECT_EQ(Body(added)["file_name"], "营业执照.png");
  // Not an image or a PDF, whatever it is called: refused.
  httplib::Result script = owner->Post(base + "/attachments?name=a.png", "<script>", "image/png");
  EXPECT_EQ(script->status, 415);
  EXPECT_EQ(owner->Post(base + "/attachments?name=../../x.pdf", "", "application/pdf")->status,
            400);
  // The owner and the district's regulators see it; another district's do not.
  Json list = Body(owner->Get(base + "/attachments"));
  ASSERT_EQ(list["items"].size(), 1u) << list.dump();
  std::string one = base + "/attachments/" + std::to_string(list["items"][0]["id"].get<int64_t>());
  auto reg = SignIn("plain_regulator");
  httplib::Result got = reg->Get(one);
  ASSERT_EQ(got->status, 200);
  EXPECT_EQ(got->body, png);
  EXPECT_EQ(got->get_header_value("Content-Type"), "image/png");
  EXPECT_EQ(SignIn("other_regulator")->Get(one)->status, 404);
  EXPECT_EQ(SignIn("other_regulator")->Get(base + "/attachments")->status, 404);
  // Once decided, the objection takes no more evidence.
  ASSERT_EQ(SignIn("regulator")
                ->Post(base + "/decision", R"({"decision":"reject","reason":"数据无误"})")
                ->status,
            200);
  EXPECT_EQ(owner->Post(base + "/attachments?name=b.png", png, "image/png")->status, 409);
  EXPECT_EQ(
      *OpenDb()->QueryInt("SELECT COUNT(*) FROM audit_log WHERE action = 'tier.objection.attach'"),
      1);
}

TEST_P(ApiTest, ObjectionsFilterByTheRegionTreesChoice) {
  auto owner = SignIn("owner");
  ASSERT_EQ(
      owner->Post("/api/v1/objections", Json{{"uscc", own_uscc_}, {"claim", "x"}}.dump())->status,
      201);
  auto city = SignIn("city_regulator");
  EXPECT_EQ(Body(city->Get("/api/v1/objections"))["items"].size(), 1u);
  EXPECT_EQ(Body(city->Get(std::string("/api/v1/objections?region=") + kRegion))["items"].size(),
            1u);
  EXPECT_TRUE(
      Body(city->Get(std::string("/api/v1/objections?region=") + kOtherRegion))["items"].empty());
  auto db = OpenDb();
  auto q = db->Prepare("SELECT township_code FROM households WHERE uscc = ?");
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE((*q)->BindText(1, own_uscc_).ok());
  ASSERT_TRUE((*q)->Step().value());
  std::string township = (*q)->ColumnText(0);
  q->reset();
  db.reset();
  EXPECT_EQ(Body(city->Get("/api/v1/objections?township=" + township))["items"].size(), 1u);
  auto reg = SignIn("regulator");
  EXPECT_EQ(reg->Get(std::string("/api/v1/objections?region=") + kOtherRegion)->status, 403);
  EXPECT_EQ(reg->Get("/api/v1/objections?township=500107001")->status, 400);
}

}  // namespace
}  // namespace getihu::apitest
