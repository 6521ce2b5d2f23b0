ALTER TABLE need_replies ADD COLUMN amount_cents BIGINT;
ALTER TABLE need_replies ADD COLUMN delay_days BIGINT;
ALTER TABLE need_replies ADD COLUMN quote_name TEXT;
ALTER TABLE need_replies ADD COLUMN quote_mime TEXT;
ALTER TABLE need_replies ADD COLUMN quote_content {blob};
CREATE TABLE need_messages (
    id {id},
    need_id BIGINT NOT NULL REFERENCES needs(id) ON DELETE CASCADE,
    provider_id BIGINT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    side TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX need_messages_thread ON need_messages (need_id, provider_id, created_at)
