-- A tier run writes one tier_results row per household (ten million a run), so each row should
-- touch one B-tree. The household index goes: a household's history reads its rows through the
-- runs (a handful a year) and the primary key. The foreign key on run_id goes: the run is
-- written first in the same transaction and runs are never deleted, so InsertResults checks it
-- once instead of once per row (on PostgreSQL a trigger per row, the larger part of a run's
-- COPY). In SQLite the table is stored clustered on its key (WITHOUT ROWID, as in 0014).
-- Objections still reference (run_id, household_id): the DROP leaves their check open
-- (deferred) until the rows they name are back. Those rows go first, because while the check is
-- open every row written looks for objections naming it.

DROP INDEX tier_results_household;

-- dialect: sqlite
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE tier_results_rowid AS SELECT * FROM tier_results;
DROP TABLE tier_results;
CREATE TABLE tier_results (
  run_id BIGINT NOT NULL,
  household_id BIGINT NOT NULL,
  outcome INTEGER NOT NULL CHECK (outcome BETWEEN 0 AND 3),
  row_index INTEGER NOT NULL,
  failed_mask BIGINT NOT NULL DEFAULT 0,
  unknown_mask BIGINT NOT NULL DEFAULT 0,
  overridden INTEGER NOT NULL DEFAULT 0 CHECK (overridden IN (0, 1)),
  PRIMARY KEY (run_id, household_id)
) WITHOUT ROWID;
INSERT INTO tier_results
  SELECT run_id, household_id, outcome, row_index, failed_mask, unknown_mask, overridden
  FROM temp.tier_results_rowid
  WHERE (run_id, household_id) IN (SELECT run_id, household_id FROM tier_objections)
  ORDER BY run_id, household_id;
INSERT INTO tier_results
  SELECT run_id, household_id, outcome, row_index, failed_mask, unknown_mask, overridden
  FROM temp.tier_results_rowid
  WHERE (run_id, household_id) NOT IN (SELECT run_id, household_id FROM tier_objections)
  ORDER BY run_id, household_id;
DROP TABLE temp.tier_results_rowid;

-- dialect: postgres
ALTER TABLE tier_results DROP CONSTRAINT tier_results_run_id_fkey;
