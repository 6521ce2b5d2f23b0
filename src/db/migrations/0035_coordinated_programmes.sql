CREATE TABLE coordinated_programmes (
    id {id},
    url TEXT NOT NULL UNIQUE,
    publisher TEXT NOT NULL DEFAULT '',
    items TEXT NOT NULL DEFAULT '[]',
    generated_at TEXT NOT NULL DEFAULT '',
    last_attempt_at BIGINT,
    last_success_at BIGINT,
    last_error TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
)
