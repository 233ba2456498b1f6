-- The peer of `getihu tier run` (issue #4): the default rules (default-tiering) as ONE SQL
-- statement over the same schema in PostgreSQL, the way a typical vendor would write it: the
-- status on the as-of date, last year's annual report, tax and insured employees, the bad
-- records in force, then the decision table as one CASE. As of 2026-07-01 (year 2025).
-- Used by bench/tier_e2e_bench.sh and bench/province_bench.sh; writes table peer_result.
CREATE TABLE peer_result AS
WITH st AS (
  SELECT DISTINCT ON (household_id) household_id, status FROM household_status_history
  WHERE effective_on <= '2026-07-01' AND change_kind <> 'changed'  -- not a status change
  ORDER BY household_id, effective_on DESC,
    CASE change_kind WHEN 'established' THEN 0 WHEN 'changed' THEN 1 WHEN 'resumed' THEN 2
      WHEN 'suspended' THEN 3 ELSE 4 END DESC),
ar AS (SELECT household_id, revenue_fen, tax_fen, employees FROM annual_reports
  WHERE year = 2025 AND (filed_on IS NULL OR filed_on <= '2026-07-01')),
tx AS (SELECT household_id, tax_paid_fen FROM tax_records
  WHERE year = 2025 AND tax_paid_fen IS NOT NULL),
si AS (SELECT household_id, max(insured_count) AS insured FROM social_insurance
  WHERE period = '2025' OR period LIKE '2025-%' GROUP BY household_id),
bad AS (
  SELECT household_id FROM abnormal_marks
    WHERE marked_on <= '2026-07-01' AND (recovered_on IS NULL OR recovered_on > '2026-07-01')
  UNION SELECT household_id FROM penalties
    WHERE kind NOT IN ('warning', 'circulated_criticism') AND decided_on > '2025-07-01'
      AND decided_on <= '2026-07-01' AND (repaired_on IS NULL OR repaired_on > '2026-07-01')
  UNION SELECT household_id FROM dishonest_debtors
    WHERE listed_on <= '2026-07-01' AND (removed_on IS NULL OR removed_on > '2026-07-01')),
p AS (
  SELECT h.id, st.status, h.registered_on::date AS registered_on, ar.household_id IS NOT NULL AS filed,
    (extract(year FROM age('2026-07-01'::date, h.registered_on::date)) * 12
      + extract(month FROM age('2026-07-01'::date, h.registered_on::date))) AS months,
    ar.revenue_fen AS revenue, coalesce(tx.tax_paid_fen, ar.tax_fen) AS tax,
    coalesce(si.insured, greatest(ar.employees - 1, 0)) AS employees,
    bad.household_id IS NULL AS clean
  FROM households h
  LEFT JOIN st ON st.household_id = h.id LEFT JOIN ar ON ar.household_id = h.id
  LEFT JOIN tx ON tx.household_id = h.id LEFT JOIN si ON si.household_id = h.id
  LEFT JOIN (SELECT DISTINCT household_id FROM bad) bad ON bad.household_id = h.id
  WHERE h.registered_on <= '2026-07-01')
SELECT id, CASE
  WHEN status IS NULL OR status <> 'active' OR registered_on >= '2026-01-01' OR NOT filed THEN 0
  WHEN months >= 36 AND revenue >= 100000000 AND (tax >= 3000000 OR employees >= 5) AND clean THEN 3
  WHEN months >= 12 AND revenue >= 10000000 AND (employees >= 1 OR tax > 0) THEN 2
  ELSE 1 END AS outcome
FROM p;
