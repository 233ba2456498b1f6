-- Evidence an owner (or the regulator on their behalf) attaches to an objection (SPEC C12 owner
-- portal: "file an objection with a reason and attachments"): a photo or a scanned document,
-- kept in the database itself, base64, so that the nightly backup, a restore and `getihu copy`
-- carry it with the objection. At most 5 MiB each; the server allows 5 per objection.

CREATE TABLE objection_attachments (
  id {{id_pk}},
  objection_id BIGINT NOT NULL REFERENCES tier_objections (id),
  file_name TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
  content_type TEXT NOT NULL
    CHECK (content_type IN ('image/jpeg', 'image/png', 'application/pdf')),
  bytes BIGINT NOT NULL CHECK (bytes BETWEEN 1 AND 5242880),
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  content_base64 TEXT NOT NULL,
  uploaded_by TEXT NOT NULL,
  uploaded_at TEXT NOT NULL
);
CREATE INDEX objection_attachments_objection ON objection_attachments (objection_id);
