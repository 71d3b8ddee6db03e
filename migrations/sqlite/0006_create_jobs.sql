-- migrate:up
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    license_id INTEGER NOT NULL CONSTRAINT jobs_license_id_fkey REFERENCES licenses (id),
    user_id INTEGER NOT NULL CONSTRAINT jobs_user_id_fkey REFERENCES users (id),
    status TEXT NOT NULL DEFAULT 'queued'
        CONSTRAINT jobs_status_check CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX jobs_license_id_idx ON jobs (license_id);
CREATE INDEX jobs_user_id_idx ON jobs (user_id);
-- partial index: only unfinished jobs are polled
CREATE INDEX jobs_active_status_idx ON jobs (status) WHERE status IN ('queued', 'running');

-- migrate:down
DROP INDEX jobs_active_status_idx;
DROP INDEX jobs_user_id_idx;
DROP INDEX jobs_license_id_idx;
DROP TABLE jobs;
