CREATE TABLE consent_ledger (
    id {id},
    email TEXT NOT NULL DEFAULT '',
    user_id BIGINT,
    purpose TEXT NOT NULL,
    text_version TEXT NOT NULL,
    granted BIGINT NOT NULL,
    channel TEXT NOT NULL,
    locale TEXT NOT NULL DEFAULT 'fr',
    source_id BIGINT,
    at BIGINT NOT NULL
);
CREATE INDEX consent_ledger_email ON consent_ledger (email, purpose, at);
CREATE INDEX consent_ledger_user ON consent_ledger (user_id, purpose, at);
CREATE INDEX consent_ledger_at ON consent_ledger (at);
CREATE TABLE privacy_secret (
    id BIGINT PRIMARY KEY,
    secret TEXT NOT NULL
);
CREATE TABLE privacy_purged (
    kind TEXT NOT NULL,
    ref_id BIGINT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (kind, ref_id)
)
