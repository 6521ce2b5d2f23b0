CREATE TABLE calls (
    id {id},
    kind TEXT NOT NULL DEFAULT 'call_for_projects',
    status TEXT NOT NULL DEFAULT 'draft',
    title_fr TEXT NOT NULL,
    title_en TEXT NOT NULL DEFAULT '',
    description_fr TEXT NOT NULL DEFAULT '',
    description_en TEXT NOT NULL DEFAULT '',
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    funding_scheme_id BIGINT REFERENCES funding_schemes(id) ON DELETE SET NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX calls_status ON calls (status, closes_on);
CREATE TABLE call_criteria (
    id {id},
    call_id BIGINT NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    label_fr TEXT NOT NULL,
    label_en TEXT NOT NULL DEFAULT '',
    max_points BIGINT NOT NULL
);
CREATE INDEX call_criteria_call ON call_criteria (call_id, position);
CREATE TABLE call_jurors (
    call_id BIGINT NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (call_id, user_id)
);
CREATE TABLE call_applications (
    id {id},
    call_id BIGINT NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    business_id BIGINT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    title TEXT NOT NULL DEFAULT '',
    project TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft',
    version BIGINT NOT NULL DEFAULT 1,
    submitted_at BIGINT,
    decided_at BIGINT,
    funding_application_id BIGINT REFERENCES funding_applications(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (call_id, business_id)
);
CREATE INDEX call_applications_business ON call_applications (business_id);
CREATE TABLE call_sheets (
    application_id BIGINT NOT NULL REFERENCES call_applications(id) ON DELETE CASCADE,
    juror_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    version BIGINT NOT NULL DEFAULT 1,
    comment TEXT NOT NULL DEFAULT '',
    submitted_at BIGINT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (application_id, juror_id)
);
CREATE TABLE call_scores (
    application_id BIGINT NOT NULL REFERENCES call_applications(id) ON DELETE CASCADE,
    juror_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    criterion_id BIGINT NOT NULL REFERENCES call_criteria(id) ON DELETE CASCADE,
    points BIGINT NOT NULL,
    PRIMARY KEY (application_id, juror_id, criterion_id)
)
