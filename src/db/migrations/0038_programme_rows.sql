ALTER TABLE cases ADD COLUMN programme_id BIGINT REFERENCES programmes(id);
ALTER TABLE coaching_requests ADD COLUMN programme_id BIGINT REFERENCES programmes(id);
ALTER TABLE funding_applications ADD COLUMN programme_id BIGINT REFERENCES programmes(id);
UPDATE workshop_sessions SET programme_id = (SELECT MIN(id) FROM programmes) WHERE programme_id IS NULL;
UPDATE diagnostics SET programme_id = (SELECT MIN(id) FROM programmes) WHERE programme_id IS NULL;
UPDATE cases SET programme_id = (SELECT MIN(id) FROM programmes);
UPDATE coaching_requests SET programme_id = COALESCE((SELECT s.programme_id FROM workshop_sessions s WHERE s.id = coaching_requests.session_id), (SELECT MIN(id) FROM programmes));
UPDATE funding_applications SET programme_id = COALESCE((SELECT c.programme_id FROM cases c WHERE c.id = funding_applications.case_id), (SELECT MIN(id) FROM programmes));
ALTER TABLE user_roles ADD COLUMN programme_id BIGINT REFERENCES programmes(id) ON DELETE SET NULL;
CREATE INDEX workshop_sessions_programme ON workshop_sessions (programme_id, starts_at)
