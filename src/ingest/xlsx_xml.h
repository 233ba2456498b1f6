// Streaming XML over libexpat for the parts of a .xlsx file. Expat rather than pugixml
// (which DESIGN.md names) because pugixml only builds a whole document in memory, and a
// sheet of a million rows must be read with bounded memory; the small parts use the same
// parser so that there is one. A parse can pause after any event (the sheet reader pauses
// after each row) and resume later. DOCTYPE declarations are refused, so no entity
// expansion can happen. Not thread-safe.
#ifndef GETIHU_INGEST_XLSX_XML_H_
#define GETIHU_INGEST_XLSX_XML_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/status.h"
#include "ingest/xlsx_archive.h"

namespace getihu::ingest {

// Receives parse events. Names have any prefix removed ("x:row" → "row"), which is how
// SpreadsheetML written with a prefixed default namespace is still understood.
class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  // `attributes` is expat's null-terminated list of name, value, name, value, ….
  virtual void OnStart(std::string_view name, const char** attributes) = 0;
  virtual void OnEnd(std::string_view name) = 0;
  // Character data, possibly in several pieces per text node.
  virtual void OnText(std::string_view) {}
};

class XmlParser {
 public:
  // `max_token_bytes`: the most input that may pass without any event (a giant tag or
  // attribute would otherwise be buffered whole by expat).
  // REQUIRES: `handler` outlives the parser.
  XmlParser(XmlHandler& handler, size_t max_token_bytes);
  ~XmlParser();
  XmlParser(const XmlParser&) = delete;
  XmlParser& operator=(const XmlParser&) = delete;

  // From a handler: ends the parse; Parse returns `status`.
  void Fail(base::Status status);
  // From a handler: pauses after the current event; Parse returns true.
  void Suspend();

  // Feeds `part` to the parser until a handler calls Suspend (returns true) or the part
  // ends (returns false). Returns the status given to Fail, the part's read errors, and
  // CorruptXlsx naming the part for malformed XML.
  base::Result<bool> Parse(PartStream& part);
  // Parses the rest of `part`. REQUIRES: the handler never calls Suspend.
  base::Status ParseAll(PartStream& part);

 private:
  static void StartThunk(void* self, const char* name, const char** attributes);
  static void EndThunk(void* self, const char* name);
  static void TextThunk(void* self, const char* text, int len);
  static void DoctypeThunk(void* self, const char*, const char*, const char*, int);
  base::Status Error(const PartStream& part) const;

  XmlHandler& handler_;
  void* parser_;  // XML_Parser
  size_t max_token_bytes_;
  base::Status status_;
  uint64_t fed_ = 0;         // bytes given to expat
  uint64_t last_event_ = 0;  // fed_ at the last event
  bool suspended_ = false;
  bool finished_ = false;
};

// The value of the attribute whose name, without prefix, is `name`; nullptr if absent.
const char* FindAttribute(const char** attributes, std::string_view name);

// `name` without its prefix.
std::string_view LocalName(std::string_view name);

}  // namespace getihu::ingest

#endif  // GETIHU_INGEST_XLSX_XML_H_
