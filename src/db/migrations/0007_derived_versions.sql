CREATE TABLE derived_versions (
    name TEXT PRIMARY KEY,
    version BIGINT NOT NULL,
    built_at BIGINT NOT NULL
)
