-- migrate:up
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    correlation_id TEXT,
    -- JSON stored as TEXT (jsonb in PostgreSQL)
    details TEXT,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX audit_log_entity_entity_id_idx ON audit_log (entity, entity_id);
CREATE INDEX audit_log_correlation_id_idx ON audit_log (correlation_id);

-- migrate:down
DROP INDEX audit_log_correlation_id_idx;
DROP INDEX audit_log_entity_entity_id_idx;
DROP TABLE audit_log;
