// JSON views shared by the routes: households with personal data masked (../shared/domain
// §9.2) unless the caller may and asked to unmask, outcome (tier) names, amounts in 元 text.
#ifndef GETIHU_SERVER_VIEWS_H_
#define GETIHU_SERVER_VIEWS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/household.h"
#include "server/api_internal.h"
#include "storage/household_query.h"

namespace getihu::server {

// Masks of §9.2: phone first 3 + last 4, name the surname only, address to the township.
std::string MaskPhone(std::string_view phone);
std::string MaskName(std::string_view name);

// Stored outcome code → "development" … and "发展型" … ("untyped"/"未分型" for 0).
std::string_view OutcomeKey(int stored);
std::string_view OutcomeName(int stored);
// "development"/"发展型" … → stored code; nullopt when unknown.
std::optional<int> OutcomeFromText(std::string_view text);

std::string_view StatusName(std::string_view status);
// Fen → "12,345.67" (元 with thousands separators).
std::string YuanText(int64_t fen);

Json RegionJson(std::string_view code);
Json IndustryJson(std::string_view code);
Json HouseholdRowJson(const storage::HouseholdRow& row);
Json HouseholdJson(const domain::Household& h, bool unmasked);
// The records of a household's detail view (storage::HouseholdRecords) as a JSON array appended
// to `out`: per table {"table", "title", "rows"}, each row an object of its columns in order
// (null when absent; a *_fen column as an integer with its *_yuan text right after it). Written
// straight into the reply: the detail view is the API's hottest read, and a JSON tree of its
// records cost an allocation per value (about a sixth of the request's CPU).
void AppendRecordTablesJson(std::string& out, const std::vector<storage::RecordTable>& tables);

// `s` as a JSON string, quoted and escaped as ReplyJson's dump writes it (UTF-8 kept as is,
// invalid UTF-8 replaced by U+FFFD).
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace getihu::server

#endif  // GETIHU_SERVER_VIEWS_H_
