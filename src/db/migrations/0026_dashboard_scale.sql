CREATE INDEX workshop_sessions_starts ON workshop_sessions (starts_at);
CREATE INDEX cases_opened ON cases (opened_at);
CREATE INDEX coaching_requests_created ON coaching_requests (created_at);
CREATE INDEX case_activities_when ON case_activities (case_id, (COALESCE(happened_at, due_at)))
