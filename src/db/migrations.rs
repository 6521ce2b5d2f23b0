//! Schema migrations, embedded in the binary and written once for both
//! backends (`{id}` and `{blob}` are expanded by [`super::dialect`]).

use sqlx::Row;

use super::{dialect, now_ms, Db};

/// One schema change.
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Every migration, in order. Never edit one that has shipped: add a new one.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        sql: r#"
CREATE TABLE programmes (
    id {id},
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    operator TEXT NOT NULL,
    summary_fr TEXT NOT NULL,
    summary_en TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    default_locale TEXT NOT NULL DEFAULT 'fr',
    timezone TEXT NOT NULL DEFAULT 'Europe/Paris',
    target_aware BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE users (
    id {id},
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT,
    locale TEXT NOT NULL DEFAULT 'fr',
    email_verified_at BIGINT,
    disabled_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE user_roles (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    granted_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, role)
);
CREATE TABLE contact_messages (
    id {id},
    programme_id BIGINT REFERENCES programmes(id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    organisation TEXT,
    subject TEXT NOT NULL,
    message TEXT NOT NULL,
    locale TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE outbox (
    id {id},
    kind TEXT NOT NULL,
    to_addr TEXT NOT NULL,
    reply_to TEXT,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    locked_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE TABLE idempotency_keys (
    key TEXT NOT NULL,
    scope TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status BIGINT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (scope, key)
)
"#,
    },
    Migration {
        version: 2,
        name: "accounts_programme_businesses",
        sql: r#"
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
"#,
    },
    Migration {
        version: 3,
        name: "diagnostics",
        sql: r#"
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
"#,
    },
    Migration {
        version: 4,
        name: "diagnostics_profile_index",
        sql: r#"
CREATE INDEX diagnostics_profile ON diagnostics (sector_code, size_band, territory_code) WHERE status = 'submitted'
"#,
    },
    Migration {
        version: 5,
        name: "workshops",
        sql: r#"
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
"#,
    },
    Migration {
        version: 6,
        name: "directory",
        sql: r#"
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
"#,
    },
    Migration {
        version: 7,
        name: "derived_versions",
        // Which version of a rule (text folding...) stored derived data was
        // built with; start-up rebuilds what is stale.
        sql: r#"
CREATE TABLE derived_versions (
    name TEXT PRIMARY KEY,
    version BIGINT NOT NULL,
    built_at BIGINT NOT NULL
)
"#,
    },
    Migration {
        version: 8,
        name: "job_runs_and_expiry_indexes",
        // A periodic job is claimed by moving its row's date forward with a
        // conditional update, so one server of many runs it.
        sql: r#"
CREATE TABLE job_runs (
    name TEXT PRIMARY KEY,
    last_run_at BIGINT NOT NULL
);
INSERT INTO job_runs (name, last_run_at) VALUES ('purge', 0);
CREATE INDEX sessions_expiry ON sessions (expires_at);
CREATE INDEX auth_tokens_expiry ON auth_tokens (expires_at);
CREATE INDEX login_attempts_at ON login_attempts (at);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at)
"#,
    },
    Migration {
        version: 9,
        name: "cases",
        // Follow-up files (dossiers d'accompagnement): templates stored as
        // data, activities with their history, coaching hours, referral
        // bodies and referrals answered through a private link, the read
        // log, and the coaching inbox's new columns.
        sql: r#"
CREATE TABLE case_templates (
    id {id},
    code TEXT NOT NULL UNIQUE,
    title_fr TEXT NOT NULL,
    title_en TEXT NOT NULL,
    minutes BIGINT NOT NULL DEFAULT 0,
    active BIGINT NOT NULL DEFAULT 1,
    updated_at BIGINT NOT NULL
);
CREATE TABLE case_template_steps (
    id {id},
    template_id BIGINT NOT NULL REFERENCES case_templates(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    offset_days BIGINT NOT NULL,
    kind TEXT NOT NULL,
    title_fr TEXT NOT NULL,
    title_en TEXT NOT NULL,
    minutes BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX case_template_steps_template ON case_template_steps (template_id, position);
CREATE TABLE cases (
    id {id},
    business_id BIGINT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
    template_id BIGINT REFERENCES case_templates(id) ON DELETE SET NULL,
    origin TEXT NOT NULL,
    origin_id BIGINT,
    adviser_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    status TEXT NOT NULL,
    outcome TEXT,
    summary TEXT NOT NULL DEFAULT '',
    opened_at BIGINT NOT NULL,
    closed_at BIGINT,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX cases_business ON cases (business_id);
CREATE INDEX cases_adviser ON cases (adviser_id, status);
CREATE TABLE case_assignments (
    id {id},
    case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    adviser_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    by_user BIGINT REFERENCES users(id) ON DELETE SET NULL,
    at BIGINT NOT NULL
);
CREATE INDEX case_assignments_case ON case_assignments (case_id, at);
CREATE TABLE case_contributors (
    case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (case_id, user_id)
);
CREATE TABLE case_activities (
    id {id},
    case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    due_at BIGINT,
    happened_at BIGINT,
    minutes BIGINT NOT NULL DEFAULT 0,
    place TEXT NOT NULL DEFAULT '',
    online BIGINT NOT NULL DEFAULT 0,
    attendees TEXT NOT NULL DEFAULT '',
    shared BIGINT NOT NULL DEFAULT 0,
    author_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    reminder_sent_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX case_activities_case ON case_activities (case_id, due_at);
CREATE INDEX case_activities_due ON case_activities (happened_at, due_at);
CREATE TABLE case_activity_revisions (
    id {id},
    activity_id BIGINT NOT NULL REFERENCES case_activities(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    happened_at BIGINT,
    minutes BIGINT NOT NULL,
    place TEXT NOT NULL,
    attendees TEXT NOT NULL,
    edited_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    edited_at BIGINT NOT NULL
);
CREATE INDEX case_activity_revisions_activity ON case_activity_revisions (activity_id, edited_at);
CREATE TABLE case_observations (
    activity_id BIGINT NOT NULL REFERENCES case_activities(id) ON DELETE CASCADE,
    dimension TEXT NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (activity_id, dimension)
);
CREATE TABLE case_documents (
    id {id},
    case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    content {blob} NOT NULL,
    shared BIGINT NOT NULL DEFAULT 0,
    author_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX case_documents_case ON case_documents (case_id);
CREATE TABLE case_hours (
    id {id},
    case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    funder TEXT NOT NULL,
    planned_minutes BIGINT NOT NULL DEFAULT 0,
    delivered_minutes BIGINT NOT NULL DEFAULT 0,
    amount_cents BIGINT,
    reference TEXT NOT NULL DEFAULT '',
    author_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX case_hours_case ON case_hours (case_id);
CREATE TABLE case_reads (
    id {id},
    case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    at BIGINT NOT NULL
);
CREATE INDEX case_reads_case ON case_reads (case_id, at);
CREATE TABLE case_plan_steps (
    case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    step_code TEXT NOT NULL,
    done_on TEXT NOT NULL,
    done_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    PRIMARY KEY (case_id, step_code)
);
CREATE TABLE referral_bodies (
    id {id},
    name TEXT NOT NULL,
    contact_name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    territory_code TEXT REFERENCES territories(code),
    themes TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE referrals (
    id {id},
    case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    body_id BIGINT NOT NULL REFERENCES referral_bodies(id),
    status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL DEFAULT '',
    token_hash TEXT NOT NULL UNIQUE,
    link_version BIGINT NOT NULL DEFAULT 1,
    sent_at BIGINT NOT NULL,
    answered_at BIGINT,
    reminders BIGINT NOT NULL DEFAULT 0,
    author_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX referrals_case ON referrals (case_id);
CREATE INDEX referrals_waiting ON referrals (status, sent_at);
CREATE TABLE case_job_runs (
    job TEXT NOT NULL,
    period TEXT NOT NULL,
    ran_at BIGINT NOT NULL,
    PRIMARY KEY (job, period)
);
ALTER TABLE coaching_requests ADD COLUMN decline_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE coaching_requests ADD COLUMN first_contact_at BIGINT;
ALTER TABLE coaching_requests ADD COLUMN case_id BIGINT REFERENCES cases(id) ON DELETE SET NULL;
ALTER TABLE coaching_requests ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE coaching_requests ADD COLUMN locale TEXT NOT NULL DEFAULT 'fr';
ALTER TABLE coaching_requests ADD COLUMN origin_id BIGINT;
INSERT INTO case_templates (code, title_fr, title_en, minutes, updated_at) VALUES ('audit-sur-site', 'Audit sur site', 'On-site audit', 120, 0);
INSERT INTO case_templates (code, title_fr, title_en, minutes, updated_at) VALUES ('diagnostic-accompagne', 'Diagnostic accompagné', 'Assisted diagnostic', 60, 0);
INSERT INTO case_templates (code, title_fr, title_en, minutes, updated_at) VALUES ('accompagnement-individuel', 'Accompagnement individuel', 'Individual coaching', 210, 0);
INSERT INTO case_templates (code, title_fr, title_en, minutes, updated_at) VALUES ('suivi-4-mois', 'Suivi 4 mois', '4-month follow-up', 0, 0);
INSERT INTO case_template_steps (template_id, position, offset_days, kind, title_fr, title_en, minutes) SELECT id, 1, 0, 'audit', 'Audit sur site', 'On-site audit', 120 FROM case_templates WHERE code = 'audit-sur-site';
INSERT INTO case_template_steps (template_id, position, offset_days, kind, title_fr, title_en, minutes) SELECT id, 1, 0, 'meeting', 'Diagnostic accompagné', 'Assisted diagnostic', 60 FROM case_templates WHERE code = 'diagnostic-accompagne';
INSERT INTO case_template_steps (template_id, position, offset_days, kind, title_fr, title_en, minutes) SELECT id, 1, 0, 'meeting', 'Demi-journée d''accompagnement', 'Half-day coaching session', 210 FROM case_templates WHERE code = 'accompagnement-individuel';
INSERT INTO case_template_steps (template_id, position, offset_days, kind, title_fr, title_en, minutes) SELECT id, 1, 0, 'audit', 'Audit de départ', 'Initial audit', 120 FROM case_templates WHERE code = 'suivi-4-mois';
INSERT INTO case_template_steps (template_id, position, offset_days, kind, title_fr, title_en, minutes) SELECT id, 2, 30, 'meeting', 'Rendez-vous de suivi (1 mois)', 'Follow-up meeting (1 month)', 60 FROM case_templates WHERE code = 'suivi-4-mois';
INSERT INTO case_template_steps (template_id, position, offset_days, kind, title_fr, title_en, minutes) SELECT id, 3, 60, 'meeting', 'Rendez-vous de suivi (2 mois)', 'Follow-up meeting (2 months)', 60 FROM case_templates WHERE code = 'suivi-4-mois';
INSERT INTO case_template_steps (template_id, position, offset_days, kind, title_fr, title_en, minutes) SELECT id, 4, 90, 'meeting', 'Rendez-vous de suivi (3 mois)', 'Follow-up meeting (3 months)', 60 FROM case_templates WHERE code = 'suivi-4-mois';
INSERT INTO case_template_steps (template_id, position, offset_days, kind, title_fr, title_en, minutes) SELECT id, 5, 120, 'closing', 'Clôture et diagnostic de suivi', 'Closing and follow-up diagnostic', 60 FROM case_templates WHERE code = 'suivi-4-mois'
"#,
    },
    Migration {
        version: 10,
        name: "guides_funding_testimonies",
        // Lists of theme slugs, sector codes, size bands and territory codes are
        // stored as ",a,b," so one LIKE '%,x,%' filters on both backends.
        sql: r#"
CREATE TABLE guides (
    id {id},
    slug TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'draft',
    level TEXT NOT NULL DEFAULT 'beginner',
    title_fr TEXT NOT NULL,
    title_en TEXT NOT NULL,
    summary_fr TEXT NOT NULL,
    summary_en TEXT NOT NULL,
    body_fr TEXT NOT NULL,
    body_en TEXT NOT NULL,
    themes TEXT NOT NULL DEFAULT ',',
    sectors TEXT NOT NULL DEFAULT ',',
    sizes TEXT NOT NULL DEFAULT ',',
    territories TEXT NOT NULL DEFAULT ',',
    search_key TEXT NOT NULL DEFAULT '',
    reads BIGINT NOT NULL DEFAULT 0,
    useful_yes BIGINT NOT NULL DEFAULT 0,
    useful_no BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    published_at BIGINT
);
CREATE INDEX guides_status ON guides (status, published_at);
CREATE TABLE guide_versions (
    id {id},
    guide_id BIGINT NOT NULL REFERENCES guides(id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    changed_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    changed_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    fields TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    UNIQUE (guide_id, version)
);
CREATE TABLE funding_schemes (
    id {id},
    slug TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'draft',
    title_fr TEXT NOT NULL,
    title_en TEXT NOT NULL,
    summary_fr TEXT NOT NULL DEFAULT '',
    summary_en TEXT NOT NULL DEFAULT '',
    aid_types TEXT NOT NULL DEFAULT ',',
    audiences TEXT NOT NULL DEFAULT ',',
    stages TEXT NOT NULL DEFAULT ',',
    recurrence TEXT NOT NULL DEFAULT 'ongoing',
    opens_on TEXT NOT NULL DEFAULT '',
    closes_on TEXT NOT NULL DEFAULT '',
    backers TEXT NOT NULL DEFAULT '',
    instructor TEXT NOT NULL DEFAULT '',
    perimeter_level TEXT NOT NULL DEFAULT 'country',
    perimeter_code TEXT NOT NULL DEFAULT 'FR',
    themes TEXT NOT NULL DEFAULT ',',
    rate_pct BIGINT,
    cap_cents BIGINT,
    floor_cents BIGINT,
    rules TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT 'manual',
    search_key TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX funding_schemes_status ON funding_schemes (status, closes_on);
CREATE TABLE funding_facts (
    business_id BIGINT PRIMARY KEY REFERENCES businesses(id) ON DELETE CASCADE,
    founded_on TEXT NOT NULL DEFAULT '',
    craft_register BIGINT,
    updated_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE funding_applications (
    id {id},
    business_id BIGINT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
    scheme_id BIGINT NOT NULL REFERENCES funding_schemes(id) ON DELETE CASCADE,
    case_id BIGINT,
    status TEXT NOT NULL DEFAULT 'prepared',
    project TEXT NOT NULL DEFAULT '',
    cost_cents BIGINT,
    simulated_cents BIGINT,
    obtained_cents BIGINT,
    paid_cents BIGINT,
    prepared_on TEXT NOT NULL DEFAULT '',
    submitted_on TEXT NOT NULL DEFAULT '',
    decided_on TEXT NOT NULL DEFAULT '',
    paid_on TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX funding_applications_business ON funding_applications (business_id, updated_at);
CREATE TABLE testimonies (
    id {id},
    business_id BIGINT REFERENCES businesses(id) ON DELETE CASCADE,
    case_id BIGINT,
    author_name TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    locale TEXT NOT NULL DEFAULT 'fr',
    video_url TEXT NOT NULL DEFAULT '',
    transcript TEXT NOT NULL DEFAULT '',
    themes TEXT NOT NULL DEFAULT ',',
    consent_at BIGINT,
    consent_by TEXT NOT NULL DEFAULT '',
    photo_consent BIGINT NOT NULL DEFAULT 0,
    score_before DOUBLE PRECISION,
    score_after DOUBLE PRECISION,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
)
"#,
    },
    Migration {
        version: 11,
        name: "diagnostic_drafts",
        // What was typed on a question screen left with "save and resume
        // later": kept as typed, never scored, replaced by the answer.
        sql: r#"
CREATE TABLE diagnostic_drafts (
    diagnostic_id BIGINT NOT NULL REFERENCES diagnostics(id) ON DELETE CASCADE,
    question_code TEXT NOT NULL,
    response_json TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (diagnostic_id, question_code)
)
"#,
    },
    Migration {
        version: 12,
        name: "journeys",
        // The directory's synonyms as the programme manager edited them
        // (one row; the shipped list applies while there is none).
        sql: r#"
CREATE TABLE directory_synonyms (
    id BIGINT PRIMARY KEY,
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users(id) ON DELETE SET NULL
);
ALTER TABLE needs ADD COLUMN target_provider_id BIGINT REFERENCES providers(id) ON DELETE SET NULL
"#,
    },
    Migration {
        version: 14,
        name: "privacy",
        // Personal data: an append-only audit log (no UPDATE or DELETE is
        // written anywhere), the erasures done (by a hash of the address, to
        // answer a second request), the managers' retention choices and the
        // daily retention runs (one row per day, claimed by one server).
        sql: r#"
CREATE TABLE audit_log (
    id {id},
    at BIGINT NOT NULL,
    actor_id BIGINT,
    actor TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_action ON audit_log (action, at);
CREATE TABLE privacy_erasures (
    subject_key TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    erased_at BIGINT NOT NULL,
    erased_by BIGINT,
    summary TEXT NOT NULL DEFAULT ''
);
CREATE TABLE privacy_retention (
    kind TEXT PRIMARY KEY,
    months BIGINT NOT NULL,
    updated_by BIGINT,
    updated_at BIGINT NOT NULL
);
CREATE TABLE privacy_runs (
    day TEXT PRIMARY KEY,
    claimed_by TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    finished_at BIGINT,
    report TEXT NOT NULL DEFAULT ''
)
"#,
    },
];

/// Split a migration into statements (no `;` inside string literals here).
fn statements(sql: &str) -> impl Iterator<Item = &str> {
    sql.split(';').map(str::trim).filter(|s| !s.is_empty())
}

/// Apply every pending migration in one transaction; returns how many ran.
pub async fn migrate(db: &Db) -> anyhow::Result<usize> {
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
    )
    .execute(&db.pool)
    .await?;
    let mut tx = db.begin_write().await?;
    if let Some(lock) = dialect::migration_lock(db.backend) {
        sqlx::query(lock).execute(&mut *tx).await?;
    }
    let applied: Vec<i64> = sqlx::query("SELECT version FROM schema_migrations")
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| r.get::<i64, _>(0))
        .collect();
    let mut ran = 0;
    for m in MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)) {
        for stmt in statements(m.sql) {
            let ddl = dialect::expand_ddl(db.backend, stmt);
            sqlx::query(&ddl).execute(&mut *tx).await.map_err(|e| {
                anyhow::anyhow!("migration {} ({}) failed: {e}\n{ddl}", m.version, m.name)
            })?;
        }
        sqlx::query(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
        )
        .bind(m.version)
        .bind(m.name)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        ran += 1;
    }
    tx.commit().await?;
    crate::reference::ensure(db).await?;
    crate::directory::model::refold_if_stale(db).await?;
    Ok(ran)
}

/// Versions applied and the latest version this binary knows.
pub async fn status(db: &Db) -> anyhow::Result<(Vec<i64>, i64)> {
    let latest = MIGRATIONS.last().map(|m| m.version).unwrap_or(0);
    let rows = sqlx::query("SELECT version FROM schema_migrations ORDER BY version")
        .fetch_all(&db.pool)
        .await;
    let applied = match rows {
        Ok(rows) => rows.iter().map(|r| r.get::<i64, _>(0)).collect(),
        Err(_) => vec![],
    };
    Ok((applied, latest))
}
