ALTER TABLE testimonies ADD COLUMN status TEXT NOT NULL DEFAULT 'draft';
ALTER TABLE testimonies ADD COLUMN published_at BIGINT;
ALTER TABLE testimonies ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
CREATE INDEX testimonies_status ON testimonies (status, published_at)
