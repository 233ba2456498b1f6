// How .xlsx cell values become text: cell references ("C7") to column indexes, and
// numbers to the text Excel shows in the General format, or to ISO dates when the cell's
// format is a date. Free functions; thread-safe.
#ifndef GETIHU_INGEST_XLSX_CELL_H_
#define GETIHU_INGEST_XLSX_CELL_H_

#include <string>
#include <string_view>

namespace getihu::ingest {

// The highest column of a sheet (XFD) as a 0-based index.
inline constexpr int kMaxXlsxColumn = 16383;

// The 0-based column of a cell reference such as "C7" or "AB12" ("A" → 0); -1 when the
// reference does not start with 1–3 letters naming a column up to XFD.
int ColumnFromRef(std::string_view ref);

// The letters of 0-based column `index`: 0 → "A", 27 → "AB".
std::string ColumnName(int index);

// Appends the text of numeric cell value `value` (as stored in <v>) to `out`. With
// `date_format`, a serial that is a valid date becomes "YYYY-MM-DD" (the time of day is
// dropped). Otherwise numbers are written as Excel shows them in the General format:
// rounded to 15 significant digits, in the shortest form that reads back to the same
// double, integers without ".0" (so 0.1+0.2 stored as 0.30000000000000004 gives "0.3"
// and 110.00000000000001 gives "110"). Text that is not a number is appended unchanged.
void AppendNumberText(std::string_view value, bool date_format, std::string& out);

}  // namespace getihu::ingest

#endif  // GETIHU_INGEST_XLSX_CELL_H_
