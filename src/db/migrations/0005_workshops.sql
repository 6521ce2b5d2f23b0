ALTER TABLE outbox ADD COLUMN attachments TEXT;
CREATE TABLE workshop_sessions (
    id {id},
    programme_id BIGINT REFERENCES programmes(id),
    theme_id BIGINT NOT NULL REFERENCES themes(id),
    format TEXT NOT NULL,
    title_fr TEXT NOT NULL DEFAULT '',
    title_en TEXT NOT NULL DEFAULT '',
    description_fr TEXT NOT NULL DEFAULT '',
    description_en TEXT NOT NULL DEFAULT '',
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    venue TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    commune_code TEXT REFERENCES territories(code),
    online_url TEXT NOT NULL DEFAULT '',
    capacity BIGINT NOT NULL,
    seats_taken BIGINT NOT NULL DEFAULT 0,
    waiting BIGINT NOT NULL DEFAULT 0,
    last_seat BIGINT NOT NULL DEFAULT 0,
    last_seq BIGINT NOT NULL DEFAULT 0,
    partner_id BIGINT REFERENCES partners(id),
    planned_coaching BIGINT NOT NULL DEFAULT 2,
    status TEXT NOT NULL DEFAULT 'scheduled',
    cancel_reason TEXT NOT NULL DEFAULT '',
    sequence BIGINT NOT NULL DEFAULT 0,
    slides_name TEXT,
    slides_mime TEXT,
    slides {blob},
    slides_at BIGINT,
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (ends_at > starts_at),
    CHECK (seats_taken <= capacity)
);
CREATE INDEX workshop_sessions_start ON workshop_sessions (starts_at);
CREATE INDEX workshop_sessions_theme ON workshop_sessions (theme_id, starts_at);
CREATE INDEX workshop_sessions_commune ON workshop_sessions (commune_code, starts_at);
CREATE TABLE workshop_speakers (
    session_id BIGINT NOT NULL REFERENCES workshop_sessions(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (session_id, user_id)
);
CREATE INDEX workshop_speakers_user ON workshop_speakers (user_id);
CREATE TABLE workshop_sectors (
    session_id BIGINT NOT NULL REFERENCES workshop_sessions(id) ON DELETE CASCADE,
    sector_code TEXT NOT NULL REFERENCES sectors(code),
    PRIMARY KEY (session_id, sector_code)
);
CREATE INDEX workshop_sectors_code ON workshop_sectors (sector_code);
CREATE TABLE workshop_registrations (
    id {id},
    session_id BIGINT NOT NULL REFERENCES workshop_sessions(id) ON DELETE CASCADE,
    business_id BIGINT REFERENCES businesses(id) ON DELETE SET NULL,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    business_name TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    seat_no BIGINT,
    wait_seq BIGINT,
    offer_expires_at BIGINT,
    attendance TEXT,
    attendance_at BIGINT,
    attendance_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    consent_version TEXT NOT NULL,
    consent_at BIGINT NOT NULL,
    locale TEXT NOT NULL,
    source TEXT NOT NULL,
    reminder_sent_at BIGINT,
    feedback_sent_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    cancelled_at BIGINT
);
CREATE UNIQUE INDEX workshop_registrations_seat ON workshop_registrations (session_id, seat_no);
CREATE UNIQUE INDEX workshop_registrations_person ON workshop_registrations (session_id, email_key) WHERE status IN ('pending', 'confirmed', 'offered', 'waiting');
CREATE INDEX workshop_registrations_queue ON workshop_registrations (session_id, status, wait_seq);
CREATE INDEX workshop_registrations_business ON workshop_registrations (business_id);
CREATE INDEX workshop_registrations_email ON workshop_registrations (email_key);
CREATE TABLE workshop_links (
    token_hash TEXT PRIMARY KEY,
    registration_id BIGINT NOT NULL REFERENCES workshop_registrations(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
CREATE INDEX workshop_links_registration ON workshop_links (registration_id);
CREATE TABLE workshop_feedback (
    registration_id BIGINT PRIMARY KEY REFERENCES workshop_registrations(id) ON DELETE CASCADE,
    session_id BIGINT NOT NULL REFERENCES workshop_sessions(id) ON DELETE CASCADE,
    satisfaction BIGINT NOT NULL,
    usefulness BIGINT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    wants_coaching BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX workshop_feedback_session ON workshop_feedback (session_id);
CREATE TABLE workshop_feedback_themes (
    registration_id BIGINT NOT NULL REFERENCES workshop_feedback(registration_id) ON DELETE CASCADE,
    theme_id BIGINT NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
    PRIMARY KEY (registration_id, theme_id)
);
CREATE TABLE coaching_requests (
    id {id},
    business_id BIGINT REFERENCES businesses(id) ON DELETE SET NULL,
    registration_id BIGINT UNIQUE REFERENCES workshop_registrations(id) ON DELETE SET NULL,
    session_id BIGINT REFERENCES workshop_sessions(id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    business_name TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    assigned_to BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX coaching_requests_status ON coaching_requests (status, created_at)
