// Runs the rule-language cases in tests/rules/*.test, one GoogleTest test per case, against
// the catalogue in tests/rules/catalog.txt. The file format is described in docs/rules.md
// ("Test files").
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "rules/catalog.h"
#include "rules/checker.h"

namespace getihu::rules {
namespace {

namespace fs = std::filesystem;

const fs::path kDir = fs::path(GETIHU_SOURCE_DIR) / "tests" / "rules";

struct DataCase {
  std::string id;          // file stem + "_" + name: the GoogleTest name
  std::string where;       // file:line of the case, for failure messages
  std::string load_error;  // set when the case itself is malformed
  std::string rule;
  bool any_type = false;
  std::string expect;                 // "ok TYPE" or "error L:C MESSAGE"
  std::optional<std::string> fields;  // expected fields_used, comma-separated
  std::optional<std::string> params;  // expected params_used, comma-separated
  std::optional<int> cost;
};

bool ValidName(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// Applies one "key: value" line to `c`.
void ApplyLine(DataCase& c, const std::string& key, const std::string& value) {
  if (key == "name") {
    c.id += value;
    if (!ValidName(value)) c.load_error = "name 只能含字母、数字和下划线";
  } else if (key == "rule") {
    c.rule += (c.rule.empty() ? "" : "\n") + value;
  } else if (key == "options") {
    c.any_type = value == "any_type";
    if (!c.any_type) c.load_error = "未知的 options：" + value;
  } else if (key == "expect") {
    c.expect = value;
  } else if (key == "fields") {
    c.fields = value;
  } else if (key == "params") {
    c.params = value;
  } else if (key == "cost") {
    c.cost = std::stoi(value);
  } else {
    c.load_error = "未知的键：" + key;
  }
}

std::vector<DataCase> LoadFile(const fs::path& path) {
  std::vector<DataCase> cases;
  std::ifstream in(path);
  std::string line;
  int line_no = 0;
  auto start_case = [&] {
    DataCase c;
    c.id = path.stem().string() + "_";
    c.where = path.filename().string() + ":" + std::to_string(line_no + 1);
    cases.push_back(std::move(c));
  };
  start_case();
  while (std::getline(in, line)) {
    ++line_no;
    if (line == "---") {
      start_case();
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    size_t colon = line.find(": ");
    if (colon == std::string::npos) {
      cases.back().load_error = "第 " + std::to_string(line_no) + " 行缺少“: ”";
      continue;
    }
    ApplyLine(cases.back(), line.substr(0, colon), line.substr(colon + 2));
  }
  std::erase_if(cases, [](const DataCase& c) { return c.rule.empty() && c.expect.empty(); });
  return cases;
}

std::vector<DataCase> LoadAll() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kDir)) {
    if (entry.path().extension() == ".test") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<DataCase> all;
  for (const fs::path& f : files) {
    for (DataCase& c : LoadFile(f)) all.push_back(std::move(c));
  }
  return all;
}

SimpleCatalog LoadCatalog() {
  SimpleCatalog catalog;
  std::ifstream in(kDir / "catalog.txt");
  std::string kind, name, type;
  while (in >> kind) {
    if (kind[0] == '#') {
      std::getline(in, kind);
      continue;
    }
    in >> name >> type;
    std::optional<ValueType> t = ValueTypeFromKey(type);
    EXPECT_TRUE(t.has_value()) << "catalog.txt: 未知类型 " << type;
    if (!t) continue;
    if (kind == "field") catalog.AddField(name, *t);
    if (kind == "param") catalog.AddParam(name, *t);
  }
  return catalog;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

// Prints a case as its location (GoogleTest would otherwise dump its bytes).
void PrintTo(const DataCase& c, std::ostream* os) { *os << c.where; }

class RulesDataTest : public ::testing::TestWithParam<DataCase> {};

void ExpectOk(const DataCase& c, const RuleResult<CheckedRule>& r, const std::string& type) {
  ASSERT_TRUE(r.has_value()) << "意外的错误：" << r.error().ToString();
  EXPECT_EQ(ValueTypeKey(r->type), type);
  if (c.fields) {
    EXPECT_EQ(Join(r->fields_used), *c.fields);
  }
  if (c.params) {
    EXPECT_EQ(Join(r->params_used), *c.params);
  }
  if (c.cost) {
    EXPECT_EQ(r->cost, *c.cost);
  }
}

void ExpectError(const RuleResult<CheckedRule>& r, const std::string& spec) {
  ASSERT_FALSE(r.has_value()) << "应当报错，却通过了检查";
  std::istringstream in(spec);
  int line = 0, column = 0;
  char colon = 0;
  in >> line >> colon >> column >> std::ws;
  std::string message;
  std::getline(in, message);
  EXPECT_EQ(r.error().line, line) << r.error().ToString();
  EXPECT_EQ(r.error().column, column) << r.error().ToString();
  EXPECT_NE(r.error().message.find(message), std::string::npos)
      << "实际：" << r.error().message << "\n期望包含：" << message;
}

TEST_P(RulesDataTest, Case) {
  const DataCase& c = GetParam();
  SCOPED_TRACE(c.where);
  ASSERT_TRUE(c.load_error.empty()) << c.load_error;
  static const SimpleCatalog* catalog = new SimpleCatalog(LoadCatalog());
  auto result = CompileRule(c.rule, *catalog, CheckOptions{.require_bool = !c.any_type});
  if (c.expect.starts_with("ok ")) {
    ExpectOk(c, result, c.expect.substr(3));
  } else if (c.expect.starts_with("error ")) {
    ExpectError(result, c.expect.substr(6));
  } else {
    FAIL() << "expect 必须是“ok TYPE”或“error L:C 消息”，这里是：" << c.expect;
  }
}

TEST(RulesDataFilesTest, HaveCasesWithDistinctNames) {
  std::vector<DataCase> all = LoadAll();
  EXPECT_GE(all.size(), 60u);
  std::vector<std::string> ids;
  for (const DataCase& c : all) ids.push_back(c.id);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end()) << "重复的 name";
}

INSTANTIATE_TEST_SUITE_P(Files, RulesDataTest, ::testing::ValuesIn(LoadAll()),
                         [](const ::testing::TestParamInfo<DataCase>& info) {
                           return ValidName(info.param.id) ? info.param.id
                                                           : "case" + std::to_string(info.index);
                         });

}  // namespace
}  // namespace getihu::rules
