CREATE TABLE dashboard_changes (
    id {id},
    src TEXT NOT NULL,
    origin BIGINT NOT NULL,
    at BIGINT NOT NULL,
    tx BIGINT
);
CREATE INDEX dashboard_changes_at ON dashboard_changes (at);
CREATE INDEX dashboard_changes_tx ON dashboard_changes (tx);
CREATE INDEX coaching_requests_business ON coaching_requests (business_id)
