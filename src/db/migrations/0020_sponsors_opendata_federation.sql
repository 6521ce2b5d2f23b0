ALTER TABLE programmes ADD COLUMN licence TEXT NOT NULL DEFAULT 'etalab-2.0';
CREATE TABLE sponsors (
    id {id},
    programme_id BIGINT NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    link TEXT NOT NULL DEFAULT '',
    logo_url TEXT NOT NULL DEFAULT '',
    logo_png {blob},
    category TEXT NOT NULL,
    tier TEXT NOT NULL DEFAULT 'partner',
    amount_cents BIGINT NOT NULL DEFAULT 0,
    exclusive BIGINT NOT NULL DEFAULT 0,
    exclusive_except TEXT NOT NULL DEFAULT ',',
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX sponsors_programme ON sponsors (programme_id, starts_on, ends_on);
CREATE TABLE sponsor_placements (
    programme_id BIGINT PRIMARY KEY REFERENCES programmes(id) ON DELETE CASCADE,
    pages TEXT NOT NULL DEFAULT ',home,agenda,session,footer,',
    order_by TEXT NOT NULL DEFAULT 'amount',
    updated_at BIGINT NOT NULL
);
CREATE TABLE federation_instance (
    id BIGINT PRIMARY KEY,
    token TEXT NOT NULL
);
CREATE TABLE federated_feeds (
    id {id},
    name TEXT NOT NULL,
    url TEXT NOT NULL UNIQUE,
    site_url TEXT NOT NULL DEFAULT '',
    last_attempt_at BIGINT,
    last_success_at BIGINT,
    last_error TEXT NOT NULL DEFAULT '',
    event_count BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE TABLE federated_events (
    id {id},
    feed_id BIGINT NOT NULL REFERENCES federated_feeds(id) ON DELETE CASCADE,
    uid TEXT NOT NULL,
    title TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    location TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    cancelled BIGINT NOT NULL DEFAULT 0,
    UNIQUE (feed_id, uid)
);
CREATE INDEX federated_events_start ON federated_events (starts_at);
INSERT INTO job_runs (name, last_run_at) VALUES ('federation', 0)
