-- migrate:up
CREATE TABLE subscriptions (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL CONSTRAINT subscriptions_user_id_fkey REFERENCES users (id),
    status TEXT NOT NULL DEFAULT 'trial'
        CONSTRAINT subscriptions_status_check CHECK (status IN ('trial', 'active', 'past_due', 'cancelled', 'expired')),
    plan_type TEXT NOT NULL
        CONSTRAINT subscriptions_plan_type_check CHECK (plan_type IN ('monthly', 'annual')),
    next_billing_date TEXT,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX subscriptions_user_id_idx ON subscriptions (user_id);
-- billing runs look up due subscriptions by status and date
CREATE INDEX subscriptions_status_next_billing_date_idx ON subscriptions (status, next_billing_date);

-- migrate:down
DROP INDEX subscriptions_status_next_billing_date_idx;
DROP INDEX subscriptions_user_id_idx;
DROP TABLE subscriptions;
