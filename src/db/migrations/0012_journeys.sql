CREATE TABLE directory_synonyms (
    id BIGINT PRIMARY KEY,
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users(id) ON DELETE SET NULL
);
ALTER TABLE needs ADD COLUMN target_provider_id BIGINT REFERENCES providers(id) ON DELETE SET NULL
