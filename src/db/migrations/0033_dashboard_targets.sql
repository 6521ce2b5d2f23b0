CREATE TABLE dashboard_targets (
    programme_id BIGINT NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    indicator TEXT NOT NULL,
    target BIGINT NOT NULL,
    PRIMARY KEY (programme_id, indicator)
)
