CREATE INDEX cases_adviser_opened ON cases (adviser_id, opened_at);
CREATE INDEX coaching_requests_business ON coaching_requests (business_id, created_at);
CREATE INDEX workshop_feedback_registration ON workshop_feedback (registration_id)
