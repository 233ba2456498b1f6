-- The fingerprint of the data key that sealed the operators' ID numbers and phones (0009):
-- the keyed hash of a fixed text, which names the key without revealing it. Recorded at the
-- first write under a key. From then on a program without the key, or with another key, may
-- not write those columns: a keyless program would store them in clear beside sealed rows,
-- another key would make them unreadable with the first (storage/household_repository.h).

CREATE TABLE data_key (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 64),
  recorded_at TEXT NOT NULL
);
