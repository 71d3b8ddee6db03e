-- migrate:up
CREATE TABLE transaction_idempotency (
    id INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL CONSTRAINT transaction_idempotency_idempotency_key_key UNIQUE,
    request_hash TEXT,
    response_code INTEGER,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- migrate:down
DROP TABLE transaction_idempotency;
