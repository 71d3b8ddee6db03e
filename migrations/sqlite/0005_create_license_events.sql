-- migrate:up
CREATE TABLE license_events (
    id INTEGER PRIMARY KEY,
    license_id INTEGER NOT NULL CONSTRAINT license_events_license_id_fkey REFERENCES licenses (id) ON DELETE CASCADE,
    -- from_status is NULL for the event that creates the license
    from_status TEXT
        CONSTRAINT license_events_from_status_check CHECK (from_status IS NULL OR from_status IN ('trial', 'active', 'suspended', 'expired', 'revoked')),
    to_status TEXT NOT NULL
        CONSTRAINT license_events_to_status_check CHECK (to_status IN ('trial', 'active', 'suspended', 'expired', 'revoked')),
    reason TEXT,
    actor TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX license_events_license_id_idx ON license_events (license_id);

-- migrate:down
DROP INDEX license_events_license_id_idx;
DROP TABLE license_events;
