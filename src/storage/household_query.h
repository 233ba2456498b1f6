// Read queries of the API over households: a page of a filtered search (region range,
// township, industry prefix, status, name or USCC, tier in a run), and every record the pool
// holds about one household as generic tables (for the detail view). Values are returned as
// stored text; the server formats and masks them.
#ifndef GETIHU_STORAGE_HOUSEHOLD_QUERY_H_
#define GETIHU_STORAGE_HOUSEHOLD_QUERY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "storage/database.h"

namespace getihu::storage {

struct HouseholdFilter {
  std::string region_prefix;      // 0–6 digits
  std::string township_code;      // 9 digits or ""
  std::string industry_prefix;    // digits, e.g. "52" or "5211"; "" for all
  std::string status;             // active, suspended, … or ""
  std::string text;               // a USCC (exact) or part of the name; "" for all
  std::optional<int64_t> run_id;  // join the run's results (tier shown and filterable)
  std::optional<int> outcome;     // stored outcome code in that run
  int64_t after_id = 0;           // cursor: households with a larger id
  int limit = 50;
};

struct HouseholdRow {
  int64_t id = 0;
  std::string uscc, name, operator_name, region_code, township_code, industry_code;
  std::string status, registered_on;
  std::optional<int> outcome;  // when a run was given and it covered the household
};

// One page in id order. InvalidArgument for a bad region prefix.
base::Result<std::vector<HouseholdRow>> SearchHouseholds(Database& db, const HouseholdFilter& f);

struct RecordTable {
  std::string table;                 // e.g. "annual_reports"
  std::vector<std::string> columns;  // e.g. {"year", "revenue_fen", …}
  std::vector<std::vector<std::optional<std::string>>> rows;
};

// Status history, facts (annual reports, tax, social insurance, housing fund, loans),
// events (penalties, abnormal marks, dishonest-debtor listings, safety accidents, honours,
// intellectual property) and owner attributes of one household, each in date order.
base::Result<std::vector<RecordTable>> HouseholdRecords(Database& db, int64_t household_id);

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_HOUSEHOLD_QUERY_H_
