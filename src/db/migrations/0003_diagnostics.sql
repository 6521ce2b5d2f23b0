CREATE TABLE question_banks (
    version TEXT PRIMARY KEY,
    bank_id TEXT NOT NULL,
    source TEXT NOT NULL,
    imported_by BIGINT REFERENCES users(id),
    imported_at BIGINT NOT NULL,
    active BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE diagnostics (
    id {id},
    token_hash TEXT NOT NULL UNIQUE,
    programme_id BIGINT REFERENCES programmes(id),
    business_id BIGINT REFERENCES businesses(id) ON DELETE SET NULL,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    bank_version TEXT NOT NULL,
    mode TEXT NOT NULL,
    status TEXT NOT NULL,
    assisted BIGINT NOT NULL DEFAULT 0,
    adviser_id BIGINT REFERENCES users(id),
    sector_code TEXT,
    size_band TEXT,
    territory_code TEXT,
    overall DOUBLE PRECISION,
    level TEXT,
    scores_json TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    submitted_at BIGINT
);
CREATE INDEX diagnostics_business ON diagnostics (business_id, submitted_at);
CREATE INDEX diagnostics_user ON diagnostics (user_id);
CREATE TABLE diagnostic_answers (
    diagnostic_id BIGINT NOT NULL REFERENCES diagnostics(id) ON DELETE CASCADE,
    question_code TEXT NOT NULL,
    response_json TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (diagnostic_id, question_code)
);
CREATE TABLE diagnostic_notes (
    diagnostic_id BIGINT NOT NULL REFERENCES diagnostics(id) ON DELETE CASCADE,
    dimension TEXT NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (diagnostic_id, dimension)
)
