ALTER TABLE diagnostics ADD COLUMN commune_code TEXT
