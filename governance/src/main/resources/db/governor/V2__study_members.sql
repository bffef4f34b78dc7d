-- Per-study permissions: when a study has members, only they (and admins) may change its experiments.
CREATE TABLE study_member (
    study_id   BIGINT NOT NULL REFERENCES study (id),
    user_name  VARCHAR(100) NOT NULL,
    added_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (study_id, user_name)
);
