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
