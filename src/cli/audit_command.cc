#include "cli/audit_command.h"

#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/date.h"
#include "base/text.h"
#include "cli/db_command.h"
#include "cli/exit_codes.h"
#include "storage/audit_repository.h"

namespace getihu::cli {
namespace {

using Json = nlohmann::ordered_json;
using storage::AuditBreak;
using storage::AuditResult;

struct ListArgs {
  std::string actor, action, target, result, from, to;
  int64_t before = 0;
  int limit = 50;
};

std::string_view ProblemCode(AuditBreak problem) {
  switch (problem) {
    case AuditBreak::kNone:
      return "none";
    case AuditBreak::kAltered:
      return "altered";
    case AuditBreak::kUnlinked:
      return "unlinked";
    case AuditBreak::kUnchained:
      return "unchained";
  }
  return "none";
}

std::string_view ProblemText(AuditBreak problem) {
  switch (problem) {
    case AuditBreak::kNone:
      return "";
    case AuditBreak::kAltered:
      return "该记录的内容与它的哈希值不符，记录被修改过";
    case AuditBreak::kUnlinked:
      return "该记录接不上前一条记录的哈希，它之前的记录被删除、插入或调换过";
    case AuditBreak::kUnchained:
      return "该记录没有哈希值，是绕过审计接口直接写入数据库的";
  }
  return "";
}

std::string_view ResultName(AuditResult result) {
  switch (result) {
    case AuditResult::kOk:
      return "成功";
    case AuditResult::kDenied:
      return "拒绝";
    case AuditResult::kFailed:
      return "失败";
  }
  return "";
}

int RunVerify(const std::string& db_path, bool json) {
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  auto v = storage::AuditRepository(**db, base::SystemClock()).Verify();
  if (!v.ok()) return ReportError(v.status(), json);
  if (json) {
    Json j = {{"checked", v->checked},
              {"legacy", v->legacy},
              {"intact", v->intact()},
              {"first_broken_id", v->first_broken_id ? Json(*v->first_broken_id) : Json(nullptr)},
              {"problem", ProblemCode(v->problem)},
              {"head_hash", v->head_hash}};
    std::printf("%s\n", j.dump(2).c_str());
  } else if (v->intact()) {
    std::printf("已检查 %lld 条审计记录，哈希链完整。\n", static_cast<long long>(v->checked));
    if (v->legacy > 0) {
      std::printf("其中 %lld 条写于启用哈希链之前，由其后的第一条记录锚定。\n",
                  static_cast<long long>(v->legacy));
    }
    if (!v->head_hash.empty()) std::printf("链尾哈希：%s\n", v->head_hash.c_str());
  } else {
    std::printf("已检查 %lld 条审计记录，哈希链在编号为 %lld 的记录处断开：%s。\n",
                static_cast<long long>(v->checked), static_cast<long long>(*v->first_broken_id),
                std::string(ProblemText(v->problem)).c_str());
  }
  return v->intact() ? kExitOk : kExitDataLoss;
}

// The first instant of `text` (YYYY-MM-DD, China Standard Time), or of the day after it.
base::Result<int64_t> DayStart(const std::string& text, std::string_view option, int add_days) {
  auto date = base::Date::Parse(text);
  if (!date.ok()) return base::InvalidArgument(std::string(option) + " 日期无效：" + text);
  constexpr int64_t kDay = 86400, kCstOffset = 8 * 3600;
  return int64_t{date->AddDays(add_days).days_since_epoch()} * kDay - kCstOffset;
}

base::Result<storage::AuditFilter> MakeFilter(const ListArgs& a) {
  storage::AuditFilter f{
      .actor = a.actor, .action_prefix = a.action, .target_prefix = a.target, .limit = a.limit};
  if (!a.from.empty()) {
    GETIHU_ASSIGN_OR_RETURN(f.from_unix, DayStart(a.from, "--from", 0));
  }
  if (!a.to.empty()) {
    GETIHU_ASSIGN_OR_RETURN(f.to_unix, DayStart(a.to, "--to", 1));
  }
  if (!a.result.empty()) {
    f.result = storage::AuditResultFromCode(a.result);
    if (!f.result) return base::InvalidArgument("--result 只能是 ok、denied 或 failed");
  }
  if (a.before > 0) f.before_id = a.before;
  return f;
}

Json EventJson(const storage::AuditEvent& e) {
  return {{"id", e.id},
          {"at", e.at},
          {"actor", e.actor},
          {"action", e.action},
          {"target", e.target},
          {"detail", e.detail},
          {"ip", e.ip},
          {"result", storage::AuditResultCode(e.result)},
          {"prev_hash", e.prev_hash},
          {"hash", e.hash}};
}

void PrintPage(const storage::AuditPage& page) {
  if (page.events.empty()) {
    std::printf("没有符合条件的审计记录。\n");
    return;
  }
  // "编号" is 4 columns wide on a terminal: right-aligned over the 8-column ids.
  std::printf("    编号  %s %s %s %s %s %s 详情\n", base::PadRight("时间", 25).c_str(),
              base::PadRight("操作人", 12).c_str(), base::PadRight("动作", 24).c_str(),
              base::PadRight("对象", 24).c_str(), base::PadRight("结果", 4).c_str(),
              base::PadRight("来源", 15).c_str());
  for (const storage::AuditEvent& e : page.events) {
    std::printf("%8lld  %s %s %s %s %s %s %s\n", static_cast<long long>(e.id),
                base::PadRight(e.at, 25).c_str(), base::PadRight(e.actor, 12).c_str(),
                base::PadRight(e.action, 24).c_str(), base::PadRight(e.target, 24).c_str(),
                base::PadRight(ResultName(e.result), 4).c_str(),
                base::PadRight(e.ip.empty() ? "-" : e.ip, 15).c_str(), e.detail.c_str());
  }
  if (page.next_before_id) {
    std::printf("还有更早的记录：加 --before %lld 查看下一页。\n",
                static_cast<long long>(*page.next_before_id));
  }
}

int RunList(const std::string& db_path, const ListArgs& a, bool json) {
  auto filter = MakeFilter(a);
  if (!filter.ok()) return ReportError(filter.status(), json);
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  auto page = storage::AuditRepository(**db, base::SystemClock()).List(*filter);
  if (!page.ok()) return ReportError(page.status(), json);
  if (json) {
    Json events = Json::array();
    for (const storage::AuditEvent& e : page->events) events.push_back(EventJson(e));
    Json j = {{"events", events},
              {"next_before", page->next_before_id ? Json(*page->next_before_id) : Json(nullptr)}};
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    PrintPage(*page);
  }
  return kExitOk;
}

}  // namespace

void AddAuditCommands(CLI::App& app, GlobalOptionsRef g, int& exit_code) {
  CLI::App* audit = app.add_subcommand("audit", "审计日志：校验 SM3 哈希链，按条件查看记录");
  audit->require_subcommand(1);
  CLI::App* verify =
      audit->add_subcommand("verify", "校验审计日志的哈希链：记录是否被修改、删除或调换");
  verify->callback([&exit_code, g] { exit_code = RunVerify(*g.db_path, *g.json); });

  static ListArgs a;
  CLI::App* list = audit->add_subcommand("list", "按条件列出审计记录，最新的在前");
  list->add_option("--actor", a.actor, "只看该操作人的记录");
  list->add_option("--action", a.action, "只看以此开头的动作，如 tier.");
  list->add_option("--target", a.target, "只看以此开头的对象，如 run:");
  list->add_option("--result", a.result, "只看该结果：ok、denied、failed");
  list->add_option("--from", a.from, "起始日期 YYYY-MM-DD（含）");
  list->add_option("--to", a.to, "截止日期 YYYY-MM-DD（含）");
  list->add_option("--before", a.before, "只看编号小于它的记录（翻到下一页）");
  list->add_option("--limit", a.limit, "最多显示的条数，1 至 1000（默认 50）");
  list->callback([&exit_code, g] { exit_code = RunList(*g.db_path, a, *g.json); });
}

}  // namespace getihu::cli
