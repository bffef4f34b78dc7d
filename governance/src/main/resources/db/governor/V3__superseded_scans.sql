-- A scan sent again under a label the experiment already has (a corrected RTSTRUCT) supersedes the old one:
-- the table 'scan' keeps only each label's current scan (so its UNIQUE (experiment_id, label) still holds and
-- scan:LABEL bindings find one row), and the old row moves here with when and by which scan it was replaced.
-- Portable between H2 and PostgreSQL (no dialect-specific constraint names to drop).
CREATE TABLE superseded_scan (
    id             BIGINT NOT NULL PRIMARY KEY,
    experiment_id  BIGINT NOT NULL REFERENCES experiment (id),
    label          VARCHAR(200) NOT NULL,
    modality       VARCHAR(50) NOT NULL,
    kind           VARCHAR(20) NOT NULL,
    url            VARCHAR(2000) NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    superseded_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    replaced_by    BIGINT NOT NULL
);
CREATE INDEX superseded_scan_experiment ON superseded_scan (experiment_id);

-- The state entry (action) during which a scan was added to an existing experiment; NULL for the scans an
-- experiment was created with. Conditions see the scans of the current entry as 'scans_added'.
ALTER TABLE scan ADD COLUMN entry_action_id BIGINT;
