CREATE TABLE providers (
    id {id},
    programme_id BIGINT REFERENCES programmes(id),
    status TEXT NOT NULL DEFAULT 'draft',
    name TEXT NOT NULL,
    search_key TEXT NOT NULL,
    id_kind TEXT,
    id_value TEXT,
    country TEXT NOT NULL DEFAULT 'FR',
    kind TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    prices TEXT NOT NULL DEFAULT '',
    refs TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    social TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    postcode TEXT NOT NULL DEFAULT '',
    town TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    commune_code TEXT REFERENCES territories(code),
    remote BIGINT NOT NULL DEFAULT 0,
    logo {blob},
    logo_mime TEXT,
    source TEXT NOT NULL DEFAULT 'signup',
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    approved_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    approved_at BIGINT,
    confirmed_at BIGINT NOT NULL,
    reminder_sent_at BIGINT,
    moderation_note TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (id_kind, id_value)
);
CREATE INDEX providers_status ON providers (status);
CREATE TABLE provider_members (
    provider_id BIGINT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (provider_id, user_id)
);
CREATE INDEX provider_members_user ON provider_members (user_id);
CREATE TABLE provider_themes (
    provider_id BIGINT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    theme_id BIGINT NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
    PRIMARY KEY (provider_id, theme_id)
);
CREATE INDEX provider_themes_theme ON provider_themes (theme_id, provider_id);
CREATE TABLE provider_sectors (
    provider_id BIGINT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    sector_code TEXT NOT NULL REFERENCES sectors(code),
    PRIMARY KEY (provider_id, sector_code)
);
CREATE INDEX provider_sectors_code ON provider_sectors (sector_code, provider_id);
CREATE TABLE provider_sizes (
    provider_id BIGINT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    size_band TEXT NOT NULL,
    PRIMARY KEY (provider_id, size_band)
);
CREATE INDEX provider_sizes_band ON provider_sizes (size_band, provider_id);
CREATE TABLE provider_territories (
    provider_id BIGINT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    territory_code TEXT NOT NULL REFERENCES territories(code),
    PRIMARY KEY (provider_id, territory_code)
);
CREATE INDEX provider_territories_code ON provider_territories (territory_code, provider_id);
CREATE TABLE provider_terms (
    provider_id BIGINT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    term TEXT NOT NULL,
    weight BIGINT NOT NULL,
    PRIMARY KEY (provider_id, term)
);
CREATE INDEX provider_terms_term ON provider_terms (term, provider_id);
CREATE TABLE provider_claims (
    id {id},
    provider_id BIGINT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    message TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'pending',
    created_at BIGINT NOT NULL,
    decided_at BIGINT,
    UNIQUE (provider_id, user_id)
);
CREATE TABLE needs (
    id {id},
    business_id BIGINT REFERENCES businesses(id) ON DELETE SET NULL,
    author_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    context TEXT NOT NULL DEFAULT '',
    goal TEXT NOT NULL DEFAULT '',
    audience TEXT NOT NULL DEFAULT '',
    features TEXT NOT NULL DEFAULT '',
    existing_tools TEXT NOT NULL DEFAULT '',
    budget_band TEXT NOT NULL DEFAULT '',
    deadline TEXT NOT NULL DEFAULT '',
    constraints_text TEXT NOT NULL DEFAULT '',
    territory_code TEXT REFERENCES territories(code),
    size_band TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft',
    chosen_provider_id BIGINT REFERENCES providers(id) ON DELETE SET NULL,
    published_at BIGINT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX needs_status ON needs (status, published_at);
CREATE INDEX needs_business ON needs (business_id);
CREATE TABLE need_themes (
    need_id BIGINT NOT NULL REFERENCES needs(id) ON DELETE CASCADE,
    theme_id BIGINT NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
    PRIMARY KEY (need_id, theme_id)
);
CREATE TABLE need_notifications (
    need_id BIGINT NOT NULL REFERENCES needs(id) ON DELETE CASCADE,
    provider_id BIGINT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (need_id, provider_id)
);
CREATE TABLE need_replies (
    id {id},
    need_id BIGINT NOT NULL REFERENCES needs(id) ON DELETE CASCADE,
    provider_id BIGINT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    message TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'sent',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (need_id, provider_id)
);
CREATE TABLE quote_reviews (
    id {id},
    need_id BIGINT NOT NULL REFERENCES needs(id) ON DELETE CASCADE,
    provider_id BIGINT REFERENCES providers(id) ON DELETE SET NULL,
    label TEXT NOT NULL,
    amount_cents BIGINT,
    checklist TEXT NOT NULL DEFAULT '{}',
    notes TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX quote_reviews_need ON quote_reviews (need_id);
CREATE TABLE board_posts (
    id {id},
    author_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    provider_id BIGINT REFERENCES providers(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'pending',
    moderated_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    moderation_note TEXT NOT NULL DEFAULT '',
    expires_on TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    published_at BIGINT
);
CREATE INDEX board_posts_status ON board_posts (status, published_at)
