-- Tier runs (分型批次): one evaluation of a rule set over the pool, stored with the rule set's
-- full text and hash so that it can be reproduced; the per-household results, compact; the
-- objections owners raise in the review round with the staff decisions on them; and the
-- append-only audit log of those actions. Outcomes are 0 untyped (未分型), 1 survival (生存型),
-- 2 growth (成长型), 3 development (发展型).

CREATE TABLE tier_runs (
  id {{id_pk}},
  rule_set_name TEXT NOT NULL,
  rule_set_version TEXT NOT NULL,
  rule_set_sha256 TEXT NOT NULL CHECK (length(rule_set_sha256) = 64),
  rule_set_text TEXT NOT NULL,
  params_json TEXT NOT NULL DEFAULT '{}',
  as_of TEXT NOT NULL,
  region_prefix TEXT NOT NULL DEFAULT '',
  based_on_run BIGINT REFERENCES tier_runs (id),
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  households BIGINT NOT NULL DEFAULT 0,
  untyped BIGINT NOT NULL DEFAULT 0 CHECK (untyped >= 0),
  survival BIGINT NOT NULL DEFAULT 0 CHECK (survival >= 0),
  growth BIGINT NOT NULL DEFAULT 0 CHECK (growth >= 0),
  development BIGINT NOT NULL DEFAULT 0 CHECK (development >= 0),
  seconds DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (seconds >= 0),
  CHECK (households = untyped + survival + growth + development)
);

CREATE TABLE tier_run_reasons (
  run_id BIGINT NOT NULL REFERENCES tier_runs (id),
  outcome INTEGER NOT NULL CHECK (outcome BETWEEN 0 AND 3),
  reason TEXT NOT NULL,
  households BIGINT NOT NULL CHECK (households >= 0),
  PRIMARY KEY (run_id, outcome, reason)
);

-- Ten million rows a run: no surrogate key, the primary key serves the scan of a run in
-- household order and the lookup of one result; the second index serves a household's history.
-- household_id has no foreign key: results are written from the pool's own profiles, ten
-- million at a time, and on PostgreSQL the key's check locks every household row (it
-- doubled the time of a run's COPY).
CREATE TABLE tier_results (
  run_id BIGINT NOT NULL REFERENCES tier_runs (id),
  household_id BIGINT NOT NULL,
  outcome INTEGER NOT NULL CHECK (outcome BETWEEN 0 AND 3),
  row_index INTEGER NOT NULL,
  failed_mask BIGINT NOT NULL DEFAULT 0,
  unknown_mask BIGINT NOT NULL DEFAULT 0,
  overridden INTEGER NOT NULL DEFAULT 0 CHECK (overridden IN (0, 1)),
  PRIMARY KEY (run_id, household_id)
);
CREATE INDEX tier_results_household ON tier_results (household_id);

-- An objection concerns a stored result of its run. A decision is made once, with a reason
-- and a reviewer; only an override names an outcome, only a data correction a batch.
CREATE TABLE tier_objections (
  id {{id_pk}},
  run_id BIGINT NOT NULL REFERENCES tier_runs (id),
  household_id BIGINT NOT NULL REFERENCES households (id),
  filed_by TEXT NOT NULL,
  filed_at TEXT NOT NULL,
  claim TEXT NOT NULL,
  requested_outcome INTEGER CHECK (requested_outcome BETWEEN 0 AND 3),
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'rejected')),
  decision TEXT NOT NULL DEFAULT 'none'
    CHECK (decision IN ('none', 'override', 'data_correction', 'reject')),
  override_outcome INTEGER CHECK (override_outcome BETWEEN 0 AND 3),
  decision_reason TEXT NOT NULL DEFAULT '',
  reviewer TEXT NOT NULL DEFAULT '',
  decided_at TEXT,
  correction_batch_id BIGINT REFERENCES batches (id),
  FOREIGN KEY (run_id, household_id) REFERENCES tier_results (run_id, household_id),
  CHECK ((status = 'open' AND decision = 'none' AND decided_at IS NULL) OR
         (status = 'accepted' AND decision IN ('override', 'data_correction')) OR
         (status = 'rejected' AND decision = 'reject')),
  CHECK (status = 'open' OR
         (decision_reason <> '' AND reviewer <> '' AND decided_at IS NOT NULL)),
  CHECK ((decision = 'override') = (override_outcome IS NOT NULL)),
  CHECK (decision = 'data_correction' OR correction_batch_id IS NULL)
);
CREATE INDEX tier_objections_run ON tier_objections (run_id, status);
-- At most one open objection per household and run.
CREATE UNIQUE INDEX tier_objections_open ON tier_objections (run_id, household_id)
  WHERE status = 'open';

-- Append-only: rows are inserted, never updated or deleted.
CREATE TABLE audit_log (
  id {{id_pk}},
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_target ON audit_log (target);
