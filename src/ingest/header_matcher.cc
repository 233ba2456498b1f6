#include "ingest/header_matcher.h"

#include <algorithm>

#include "base/text.h"

namespace getihu::ingest {
namespace {

constexpr std::string_view kInvisible[] = {"\xEF\xBB\xBF", "\xE2\x80\x8B"};  // BOM, ZWSP

std::string Column(size_t index) { return "第 " + std::to_string(index + 1) + " 列"; }

}  // namespace

int ColumnMap::matched() const {
  return static_cast<int>(
      std::count_if(columns.begin(), columns.end(), [](int c) { return c >= 0; }));
}

std::string NormalizeHeader(std::string_view header) {
  std::string folded = base::FoldFullWidth(header);
  for (std::string_view mark : kInvisible) {
    for (size_t at = folded.find(mark); at != std::string::npos; at = folded.find(mark, at)) {
      folded.erase(at, mark.size());
    }
  }
  std::erase_if(folded, [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
  return folded;
}

base::Result<ColumnMap> MatchHeader(const FeedLayout& feed,
                                    std::span<const std::string_view> header) {
  std::vector<std::string> wanted;
  wanted.reserve(feed.fields.size());
  for (const FieldSpec& f : feed.fields) wanted.push_back(NormalizeHeader(f.header));

  ColumnMap map;
  map.columns.assign(feed.fields.size(), -1);
  for (size_t col = 0; col < header.size(); ++col) {
    std::string name = NormalizeHeader(header[col]);
    auto it = std::find(wanted.begin(), wanted.end(), name);
    if (it == wanted.end()) {
      if (!name.empty()) map.ignored.emplace_back(base::TrimSpaces(header[col]));
      continue;
    }
    int& slot = map.columns[static_cast<size_t>(it - wanted.begin())];
    if (slot >= 0) {
      return base::InvalidArgument("表头" + Column(static_cast<size_t>(slot)) + "和" + Column(col) +
                                   "的列名重复：“" +
                                   std::string(feed.fields[it - wanted.begin()].header) + "”");
    }
    slot = static_cast<int>(col);
  }
  std::string missing;
  for (size_t i = 0; i < feed.fields.size(); ++i) {
    if (feed.fields[i].required && map.columns[i] < 0) {
      missing += (missing.empty() ? "" : "、") + std::string(feed.fields[i].header);
    }
  }
  if (!missing.empty()) return base::InvalidArgument("缺少必填列：" + missing);
  return map;
}

std::vector<const FeedLayout*> DetectFeeds(std::span<const std::string_view> header) {
  std::vector<std::pair<int, const FeedLayout*>> fits;
  for (const FeedLayout& feed : AllFeeds()) {
    base::Result<ColumnMap> map = MatchHeader(feed, header);
    if (map.ok()) fits.emplace_back(map->matched(), &feed);
  }
  std::stable_sort(fits.begin(), fits.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<const FeedLayout*> feeds;
  for (const auto& fit : fits) feeds.push_back(fit.second);
  return feeds;
}

}  // namespace getihu::ingest
