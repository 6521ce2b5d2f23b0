CREATE TABLE diagnostic_drafts (
    diagnostic_id BIGINT NOT NULL REFERENCES diagnostics(id) ON DELETE CASCADE,
    question_code TEXT NOT NULL,
    response_json TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (diagnostic_id, question_code)
)
