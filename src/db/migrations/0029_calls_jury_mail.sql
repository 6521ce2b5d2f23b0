ALTER TABLE calls ADD COLUMN jury_mailed_at BIGINT
