CREATE TABLE job_runs (
    name TEXT PRIMARY KEY,
    last_run_at BIGINT NOT NULL
);
INSERT INTO job_runs (name, last_run_at) VALUES ('purge', 0);
CREATE INDEX sessions_expiry ON sessions (expires_at);
CREATE INDEX auth_tokens_expiry ON auth_tokens (expires_at);
CREATE INDEX login_attempts_at ON login_attempts (at);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at)
