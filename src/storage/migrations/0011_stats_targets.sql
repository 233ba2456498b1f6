-- Statistics settings (SPEC C8): the targets a region sets itself for a year (seed 004 一:
-- households, employment, 个转企, three-year survival 60%, activity 70%, first loans), whose
-- progress `getihu stats`, the API's /stats and the report show; and the township groups a
-- county reports by (seed 000: 城区 streets against the 城乡结合部 towns).

-- One goal of a region (a 2-, 4- or 6-digit code prefix, '' for the whole pool) for a year.
-- `value` is a count (households, people) or a percentage (rates); analytics/targets.h names
-- the indicators and how each is measured.
CREATE TABLE stats_targets (
  region_prefix TEXT NOT NULL CHECK (length(region_prefix) IN (0, 2, 4, 6)),
  year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2999),
  indicator TEXT NOT NULL CHECK (indicator IN ('households', 'employment', 'conversions',
                                               'survival_3y', 'activity', 'first_loans')),
  value DOUBLE PRECISION NOT NULL CHECK (value >= 0),
  updated_by TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL,
  PRIMARY KEY (region_prefix, year, indicator)
);

-- The group each township (9-digit code) of a county (its first 6 digits) belongs to, for
-- `--by township_group` and the report's 基本情况. Townships not listed are 未分组.
CREATE TABLE township_groups (
  township TEXT PRIMARY KEY CHECK (length(township) = 9),
  region TEXT NOT NULL CHECK (length(region) = 6 AND substr(township, 1, 6) = region),
  group_name TEXT NOT NULL CHECK (length(group_name) BETWEEN 1 AND 50),
  updated_by TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL
);
CREATE INDEX township_groups_region ON township_groups (region, group_name);
