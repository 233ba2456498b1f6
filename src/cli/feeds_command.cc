#include "cli/feeds_command.h"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli/exit_codes.h"
#include "ingest/feed_layout.h"
#include "synth/generator.h"

namespace getihu::cli {
namespace {

std::string Join(std::span<const std::string_view> items, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += sep;
    out += items[i];
  }
  return out;
}

std::string KeyHeaders(const ingest::FeedLayout& feed) {
  std::string out;
  for (std::string_view key : feed.key) {
    if (!out.empty()) out += " + ";
    out += ingest::FindField(feed, key)->header;
  }
  return out;
}

nlohmann::ordered_json FeedJson(const ingest::FeedLayout& feed) {
  nlohmann::ordered_json j;
  j["name"] = feed.name;
  j["title"] = feed.title;
  j["department"] = feed.department;
  j["period"] = feed.period;
  j["file"] = std::string(feed.name) + ".csv";
  j["key"] = nlohmann::ordered_json::array();
  for (std::string_view k : feed.key) j["key"].push_back(k);
  for (const ingest::FieldSpec& f : feed.fields) {
    nlohmann::ordered_json field;
    field["key"] = f.key;
    field["header"] = f.header;
    field["type"] = ingest::FieldTypeName(f.type);
    field["required"] = f.required;
    field["personal"] = f.personal;
    field["meaning"] = f.meaning;
    if (!f.values.empty()) {
      field["values"] = nlohmann::ordered_json::array();
      for (std::string_view v : f.values) field["values"].push_back(v);
    }
    j["fields"].push_back(field);
  }
  return j;
}

}  // namespace

std::string FeedsMarkdown() {
  std::string md =
      "# Department feed layouts (部门数据格式)\n\n"
      "Generated from `src/ingest/feed_layout.cc` by `getihu feeds --markdown`; a test keeps this\n"
      "file and the code identical. Every feed is a CSV (RFC 4180; UTF-8 with or without BOM, or\n"
      "GB18030) or an .xlsx file whose first row holds the Chinese column headers below, in any\n"
      "order; surrounding spaces and full-width characters in headers are tolerated. Columns not\n"
      "listed are ignored. `个人信息` marks personal data: masked by default, every view "
      "audited.\n\n"
      "Types: 统一社会信用代码 = 18 characters, check character verified (GB 32100-2015);\n"
      "日期 = YYYY-MM-DD (also YYYY/MM/DD, YYYYMMDD, YYYY年M月D日, Excel dates), not after the\n"
      "as-of date; 金额 = yuan with at most two decimals, never negative, stored as integer fen;\n"
      "所属期 = YYYY or YYYY-MM; 是/否 = 是 or 否.\n\n";
  for (const ingest::FeedLayout& feed : ingest::AllFeeds()) {
    md += "## " + std::string(feed.title) + " — `" + std::string(feed.name) + "`\n\n";
    md += "- Sent by: " + std::string(feed.department) + "\n";
    md += "- File written by `getihu gen`: `" + std::string(feed.name) + ".csv` (" +
          std::string(synth::FeedEncoding(feed.name)) + ")\n";
    md += "- One row: " + std::string(feed.period) + "\n";
    md += "- Unique within a file: " + KeyHeaders(feed) + "\n\n";
    md += "| 列名 (header) | key | 类型 | 必填 | 含义 |\n|---|---|---|---|---|\n";
    for (const ingest::FieldSpec& f : feed.fields) {
      std::string type(ingest::FieldTypeName(f.type));
      if (!f.values.empty() && f.type == ingest::FieldType::kEnum)
        type += "：" + Join(f.values, " / ");
      md += "| " + std::string(f.header) + " | `" + std::string(f.key) + "` | " + type + " | " +
            (f.required ? "是" : "否") + " | " + std::string(f.meaning) +
            (f.personal ? "（个人信息）" : "") + " |\n";
    }
    md += "\n";
  }
  return md;
}

int RunFeeds(const std::string& name, bool json, bool markdown) {
  if (!name.empty() && ingest::FindFeed(name) == nullptr) {
    std::string known;
    for (const ingest::FeedLayout& f : ingest::AllFeeds()) known += " " + std::string(f.name);
    return ReportError(base::NotFound("没有名为“" + name + "”的部门数据，可选：" + known), json);
  }
  if (markdown) {
    std::printf("%s", FeedsMarkdown().c_str());
    return kExitOk;
  }
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  for (const ingest::FeedLayout& feed : ingest::AllFeeds()) {
    if (!name.empty() && feed.name != name) continue;
    if (json) {
      all.push_back(FeedJson(feed));
      continue;
    }
    std::printf("%s（%s，%s）：%s\n", std::string(feed.title).c_str(),
                std::string(feed.name).c_str(), std::string(feed.department).c_str(),
                std::string(feed.period).c_str());
    for (const ingest::FieldSpec& f : feed.fields) {
      std::printf("  %-s  [%s%s]  %s\n", std::string(f.header).c_str(),
                  std::string(ingest::FieldTypeName(f.type)).c_str(), f.required ? "，必填" : "",
                  std::string(f.meaning).c_str());
    }
  }
  if (json) std::printf("%s\n", all.dump(2).c_str());
  return kExitOk;
}

}  // namespace getihu::cli
