CREATE TABLE audit_log (
    id {id},
    at BIGINT NOT NULL,
    actor_id BIGINT,
    actor TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_action ON audit_log (action, at);
CREATE TABLE privacy_erasures (
    subject_key TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    erased_at BIGINT NOT NULL,
    erased_by BIGINT,
    summary TEXT NOT NULL DEFAULT ''
);
CREATE TABLE privacy_retention (
    kind TEXT PRIMARY KEY,
    months BIGINT NOT NULL,
    updated_by BIGINT,
    updated_at BIGINT NOT NULL
);
CREATE TABLE privacy_runs (
    day TEXT PRIMARY KEY,
    claimed_by TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    finished_at BIGINT,
    report TEXT NOT NULL DEFAULT ''
)
