-- migrate:up
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL CONSTRAINT users_email_key UNIQUE,
    username TEXT NOT NULL CONSTRAINT users_username_key UNIQUE,
    api_key TEXT CONSTRAINT users_api_key_key UNIQUE,
    stripe_customer_id TEXT CONSTRAINT users_stripe_customer_id_key UNIQUE,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- migrate:down
DROP TABLE users;
