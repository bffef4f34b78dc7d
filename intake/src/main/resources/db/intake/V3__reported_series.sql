-- The series of each study the governor has been told about, so that a study that gets new series after it was
-- reported (a corrected RTSTRUCT sent later by the centre) is reported again with only those series, posted as
-- scans of its existing experiment. Studies reported before this table existed: their forwarded series then.
CREATE TABLE intake_reported_series (
    study_uid    VARCHAR(64) NOT NULL,
    series_uid   VARCHAR(64) NOT NULL,
    reported_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (study_uid, series_uid)
);
INSERT INTO intake_reported_series (study_uid, series_uid, reported_at)
    SELECT DISTINCT o.study_uid, o.series_uid, s.notified_at FROM intake_object o JOIN intake_study s ON s.study_uid = o.study_uid
    WHERE s.notified_at IS NOT NULL AND o.state = 'FORWARDED' AND o.series_uid IS NOT NULL;
