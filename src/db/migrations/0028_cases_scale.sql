CREATE INDEX cases_adviser_opened ON cases (adviser_id, opened_at)
