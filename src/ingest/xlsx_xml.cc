#include "ingest/xlsx_xml.h"

#include <expat.h>

#include <string>
#include <utility>

namespace getihu::ingest {
namespace {

constexpr int kChunk = 64 << 10;

XML_Parser P(void* parser) { return static_cast<XML_Parser>(parser); }

}  // namespace

std::string_view LocalName(std::string_view name) {
  size_t colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

const char* FindAttribute(const char** attributes, std::string_view name) {
  for (const char** a = attributes; a[0] != nullptr; a += 2) {
    if (LocalName(a[0]) == name) return a[1];
  }
  return nullptr;
}

XmlParser::XmlParser(XmlHandler& handler, size_t max_token_bytes)
    : handler_(handler), parser_(XML_ParserCreate(nullptr)), max_token_bytes_(max_token_bytes) {
  XML_SetUserData(P(parser_), this);
  XML_SetElementHandler(P(parser_), StartThunk, EndThunk);
  XML_SetCharacterDataHandler(P(parser_), TextThunk);
  XML_SetStartDoctypeDeclHandler(P(parser_), DoctypeThunk);
}

XmlParser::~XmlParser() { XML_ParserFree(P(parser_)); }

void XmlParser::StartThunk(void* self, const char* name, const char** attributes) {
  auto* p = static_cast<XmlParser*>(self);
  p->last_event_ = p->fed_;
  p->handler_.OnStart(LocalName(name), attributes);
}

void XmlParser::EndThunk(void* self, const char* name) {
  auto* p = static_cast<XmlParser*>(self);
  p->last_event_ = p->fed_;
  p->handler_.OnEnd(LocalName(name));
}

void XmlParser::TextThunk(void* self, const char* text, int len) {
  auto* p = static_cast<XmlParser*>(self);
  p->last_event_ = p->fed_;
  p->handler_.OnText(std::string_view(text, static_cast<size_t>(len)));
}

void XmlParser::DoctypeThunk(void* self, const char*, const char*, const char*, int) {
  static_cast<XmlParser*>(self)->Fail(CorruptXlsx("含有不允许的 DOCTYPE 声明"));
}

void XmlParser::Fail(base::Status status) {
  if (status_.ok()) status_ = std::move(status);
  XML_StopParser(P(parser_), XML_FALSE);
}

void XmlParser::Suspend() { XML_StopParser(P(parser_), XML_TRUE); }

base::Result<bool> XmlParser::Parse(PartStream& part) {
  if (!status_.ok()) return status_;  // an earlier failure stands
  for (;;) {
    XML_Status st;
    if (suspended_) {
      suspended_ = false;
      st = XML_ResumeParser(P(parser_));
    } else {
      if (finished_) return false;
      if (fed_ - last_event_ > max_token_bytes_) {
        status_ = base::InvalidArgument("Excel 文件中的 " + part.name() +
                                        " 含有过大的单个 XML 元素（超过 " +
                                        FormatBytes(max_token_bytes_) + "），已拒绝");
        return status_;
      }
      void* buf = XML_GetBuffer(P(parser_), kChunk);
      if (buf == nullptr) return base::ResourceExhausted("内存不足，无法解析 Excel 文件");
      GETIHU_ASSIGN_OR_RETURN(size_t n, part.Read(static_cast<char*>(buf), kChunk));
      fed_ += n;
      finished_ = n == 0;
      st = XML_ParseBuffer(P(parser_), static_cast<int>(n), finished_ ? XML_TRUE : XML_FALSE);
    }
    if (st == XML_STATUS_ERROR) {
      if (status_.ok()) status_ = Error(part);
      return status_;
    }
    if (st == XML_STATUS_SUSPENDED) {
      suspended_ = true;
      return true;
    }
  }
}

base::Status XmlParser::ParseAll(PartStream& part) {
  GETIHU_ASSIGN_OR_RETURN(bool suspended, Parse(part));
  if (suspended) return base::Internal("XML 解析被意外暂停：" + part.name());
  return base::OkStatus();
}

base::Status XmlParser::Error(const PartStream& part) const {
  return CorruptXlsx(part.name() + " 第 " + std::to_string(XML_GetCurrentLineNumber(P(parser_))) +
                     " 行不是格式正确的 XML");
}

}  // namespace getihu::ingest
