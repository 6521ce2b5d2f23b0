ALTER TABLE case_activities ADD COLUMN adviser_id BIGINT REFERENCES users(id) ON DELETE SET NULL;
UPDATE case_activities SET adviser_id = (SELECT c.adviser_id FROM cases c WHERE c.id = case_activities.case_id);
CREATE INDEX case_activities_adviser_when ON case_activities (adviser_id, (COALESCE(happened_at, due_at)), kind);
DROP INDEX case_activities_case_happened;
CREATE INDEX case_activities_case_counts ON case_activities (case_id, happened_at, due_at)
