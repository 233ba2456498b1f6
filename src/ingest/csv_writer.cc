#include "ingest/csv_writer.h"

#include <charconv>

namespace getihu::ingest {

bool CsvWriter::NeedsQuotes(std::string_view value) {
  return value.find_first_of(",\"\r\n") != std::string_view::npos;
}

void CsvWriter::Separator() {
  if (row_started_) out_ += ',';
  row_started_ = true;
}

void CsvWriter::Field(std::string_view value) {
  Separator();
  if (!NeedsQuotes(value)) {
    out_ += value;
    return;
  }
  out_ += '"';
  for (char c : value) {
    if (c == '"') out_ += '"';
    out_ += c;
  }
  out_ += '"';
}

void CsvWriter::Field(int64_t value) {
  Separator();
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out_.append(buf, end);
}

void CsvWriter::EndRow() {
  out_ += "\r\n";
  row_started_ = false;
}

}  // namespace getihu::ingest
