CREATE TABLE case_contribution_requests (
    case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    asked_at BIGINT NOT NULL,
    PRIMARY KEY (case_id, user_id)
);
ALTER TABLE diagnostics ADD COLUMN contact_email TEXT;
CREATE INDEX diagnostics_contact_email ON diagnostics (contact_email);
CREATE INDEX case_activities_case_happened ON case_activities (case_id, happened_at);
