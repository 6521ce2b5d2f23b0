ALTER TABLE programmes ADD COLUMN logo_url TEXT;
ALTER TABLE programmes ADD COLUMN start_date TEXT;
ALTER TABLE programmes ADD COLUMN end_date TEXT;
ALTER TABLE programmes ADD COLUMN target_date TEXT;
ALTER TABLE programmes ADD COLUMN target_diagnostics BIGINT NOT NULL DEFAULT 0;
ALTER TABLE programmes ADD COLUMN target_coaching BIGINT NOT NULL DEFAULT 0;
ALTER TABLE programmes ADD COLUMN budget_cents BIGINT NOT NULL DEFAULT 0;
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    user_agent TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE TABLE auth_tokens (
    token_hash TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    roles TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE TABLE login_attempts (
    id {id},
    bucket TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_attempts_bucket ON login_attempts (bucket, at);
CREATE TABLE api_tokens (
    id {id},
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    role TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE TABLE territories (
    code TEXT PRIMARY KEY,
    parent_code TEXT REFERENCES territories(code),
    level TEXT NOT NULL,
    name_fr TEXT NOT NULL,
    name_en TEXT NOT NULL,
    search_key TEXT NOT NULL
);
CREATE INDEX territories_parent ON territories (parent_code);
CREATE TABLE programme_territories (
    programme_id BIGINT NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    territory_code TEXT NOT NULL REFERENCES territories(code),
    PRIMARY KEY (programme_id, territory_code)
);
CREATE TABLE sectors (
    code TEXT PRIMARY KEY,
    parent_code TEXT REFERENCES sectors(code),
    level TEXT NOT NULL,
    name_fr TEXT NOT NULL,
    name_en TEXT NOT NULL,
    priority BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE themes (
    id {id},
    slug TEXT NOT NULL UNIQUE,
    theme_group TEXT NOT NULL,
    title_fr TEXT NOT NULL,
    title_en TEXT NOT NULL,
    description_fr TEXT NOT NULL,
    description_en TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '',
    archived BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE partners (
    id {id},
    programme_id BIGINT NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    brings BIGINT NOT NULL DEFAULT 1,
    receives BIGINT NOT NULL DEFAULT 0,
    contact_email TEXT,
    website TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE businesses (
    id {id},
    programme_id BIGINT REFERENCES programmes(id),
    name TEXT NOT NULL,
    search_key TEXT NOT NULL,
    id_kind TEXT NOT NULL,
    id_value TEXT NOT NULL,
    country TEXT NOT NULL,
    sector_code TEXT REFERENCES sectors(code),
    size_band TEXT NOT NULL,
    commune_code TEXT REFERENCES territories(code),
    address TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    partner_id BIGINT REFERENCES partners(id),
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (id_kind, id_value)
);
CREATE INDEX businesses_search ON businesses (search_key);
CREATE TABLE business_members (
    business_id BIGINT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (business_id, user_id)
);
CREATE TABLE people (
    id {id},
    business_id BIGINT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id),
    name TEXT NOT NULL,
    job_title TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE consents (
    id {id},
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    text_version TEXT NOT NULL,
    locale TEXT NOT NULL,
    given_at BIGINT NOT NULL
);
CREATE TABLE business_history (
    id {id},
    business_id BIGINT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id),
    at BIGINT NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT NOT NULL,
    new_value TEXT NOT NULL
)
