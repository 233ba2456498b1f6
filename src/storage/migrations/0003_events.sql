-- Events: something that happened to a household on a date. Penalties, abnormal marks and
-- dishonest-debtor listings are later closed (credit repair, recovery, removal); the
-- closing date and the batch that reported it are filled in once, never changed after.

CREATE TABLE penalties (
  household_id BIGINT NOT NULL REFERENCES households (id),
  document_no TEXT NOT NULL,
  decided_on TEXT NOT NULL,
  kind TEXT NOT NULL,
  amount_fen BIGINT CHECK (amount_fen >= 0),
  authority TEXT,
  repaired_on TEXT CHECK (repaired_on >= decided_on),
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  repaired_batch_id BIGINT REFERENCES batches (id),
  PRIMARY KEY (household_id, document_no)
);

CREATE TABLE abnormal_marks (
  household_id BIGINT NOT NULL REFERENCES households (id),
  marked_on TEXT NOT NULL,
  reason TEXT NOT NULL,
  recovered_on TEXT CHECK (recovered_on >= marked_on),
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  recovered_batch_id BIGINT REFERENCES batches (id),
  PRIMARY KEY (household_id, marked_on)
);

CREATE TABLE dishonest_debtors (
  household_id BIGINT NOT NULL REFERENCES households (id),
  listed_on TEXT NOT NULL,
  court TEXT NOT NULL,
  case_no TEXT,
  removed_on TEXT CHECK (removed_on >= listed_on),
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  removed_batch_id BIGINT REFERENCES batches (id),
  PRIMARY KEY (household_id, listed_on)
);

CREATE TABLE safety_accidents (
  household_id BIGINT NOT NULL REFERENCES households (id),
  occurred_on TEXT NOT NULL,
  severity TEXT NOT NULL
    CHECK (severity IN ('ordinary', 'larger', 'major', 'especially_major')),
  description TEXT,
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  PRIMARY KEY (household_id, occurred_on)
);

CREATE TABLE honours (
  household_id BIGINT NOT NULL REFERENCES households (id),
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  level TEXT CHECK (level IN ('county', 'city', 'province', 'national')),
  issuer TEXT,
  granted_on TEXT NOT NULL,
  expires_on TEXT,
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  PRIMARY KEY (household_id, kind, title, granted_on)
);

CREATE TABLE intellectual_property (
  household_id BIGINT NOT NULL REFERENCES households (id),
  kind TEXT NOT NULL CHECK (kind IN ('trademark', 'patent')),
  registration_no TEXT NOT NULL,
  title TEXT,
  granted_on TEXT NOT NULL,
  expires_on TEXT,
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  PRIMARY KEY (household_id, kind, registration_no)
);
