// Matches the header row of a department file to a feed layout by the Chinese column
// names, in any order, and recognises which feed a file holds from its header alone.
// Names are compared after NormalizeHeader, so "  营业额（元） " matches "营业额(元)".
// Free functions over static layouts; thread-safe.
#ifndef GETIHU_INGEST_HEADER_MATCHER_H_
#define GETIHU_INGEST_HEADER_MATCHER_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "ingest/feed_layout.h"

namespace getihu::ingest {

struct ColumnMap {
  // For each field of the layout (same index as FeedLayout::fields): the 0-based column
  // of the file holding it, or -1 when the file lacks it (only optional fields may).
  std::vector<int> columns;
  // The headers of the file's columns that the layout does not name, in file order
  // (blank headers left out); their data is ignored.
  std::vector<std::string> ignored;

  // The number of layout fields the file holds.
  int matched() const;
};

// Returns the columns of `feed` in `header`. Returns InvalidArgument when a layout column
// appears twice ("表头第 2 列和第 5 列的列名重复：“统一社会信用代码”"), or when required
// columns are missing, all named in one message: "缺少必填列：统一社会信用代码、报告年度".
// Repeated headers that the layout does not name are only ignored.
base::Result<ColumnMap> MatchHeader(const FeedLayout& feed,
                                    std::span<const std::string_view> header);

// Returns the feeds whose required columns are all in `header`, the one matching the
// most columns first (ties in AllFeeds() order); empty when none fits.
std::vector<const FeedLayout*> DetectFeeds(std::span<const std::string_view> header);

// The form in which headers are compared: surrounding and inner spaces removed (ASCII and
// U+3000), full-width ASCII folded to half-width, BOM and zero-width spaces dropped.
// REQUIRES: `header` is valid UTF-8.
std::string NormalizeHeader(std::string_view header);

}  // namespace getihu::ingest

#endif  // GETIHU_INGEST_HEADER_MATCHER_H_
