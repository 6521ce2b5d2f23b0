CREATE TABLE loan_items (
    id {id},
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    serial TEXT NOT NULL DEFAULT '',
    condition TEXT NOT NULL DEFAULT 'good',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE loans (
    id {id},
    item_id BIGINT NOT NULL REFERENCES loan_items(id) ON DELETE CASCADE,
    business_id BIGINT NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
    starts_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    returned_on TEXT,
    condition_out TEXT NOT NULL,
    condition_back TEXT,
    reminded_at BIGINT,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX loans_one_out ON loans (item_id) WHERE returned_on IS NULL;
CREATE INDEX loans_due ON loans (due_on) WHERE returned_on IS NULL
