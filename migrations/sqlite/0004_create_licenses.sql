-- migrate:up
CREATE TABLE licenses (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL CONSTRAINT licenses_user_id_fkey REFERENCES users (id),
    product TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'trial'
        CONSTRAINT licenses_status_check CHECK (status IN ('trial', 'active', 'suspended', 'expired', 'revoked')),
    seats INTEGER NOT NULL DEFAULT 1
        CONSTRAINT licenses_seats_check CHECK (seats > 0),
    starts_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    expires_at TEXT,
    CONSTRAINT licenses_expires_after_starts_check CHECK (expires_at IS NULL OR expires_at > starts_at)
);
CREATE INDEX licenses_user_id_idx ON licenses (user_id);

-- migrate:down
DROP INDEX licenses_user_id_idx;
DROP TABLE licenses;
