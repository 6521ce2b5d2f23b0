ALTER TABLE programmes ADD COLUMN aware_rule TEXT NOT NULL DEFAULT ',workshop,';
ALTER TABLE programmes ADD COLUMN share_region_cents BIGINT NOT NULL DEFAULT 0;
ALTER TABLE programmes ADD COLUMN share_state_cents BIGINT NOT NULL DEFAULT 0;
ALTER TABLE programmes ADD COLUMN share_sponsors_cents BIGINT NOT NULL DEFAULT 0;
ALTER TABLE programmes ADD COLUMN share_training_cents BIGINT NOT NULL DEFAULT 0;
CREATE TABLE budget_lines (
    id {id},
    programme_id BIGINT NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    label TEXT NOT NULL,
    planned_cents BIGINT NOT NULL DEFAULT 0,
    spent_cents BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    CHECK (planned_cents >= 0),
    CHECK (spent_cents >= 0)
);
CREATE INDEX budget_lines_programme ON budget_lines (programme_id);
CREATE INDEX workshop_registrations_attendance ON workshop_registrations (attendance, session_id);
CREATE INDEX diagnostics_status_submitted ON diagnostics (status, submitted_at);
CREATE INDEX coaching_requests_session ON coaching_requests (session_id)
