-- migrate:up
CREATE TABLE invoices (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL CONSTRAINT invoices_user_id_fkey REFERENCES users (id),
    subscription_id INTEGER CONSTRAINT invoices_subscription_id_fkey REFERENCES subscriptions (id),
    invoice_number TEXT NOT NULL CONSTRAINT invoices_invoice_number_key UNIQUE,
    amount NUMERIC(12,2) NOT NULL
        CONSTRAINT invoices_amount_check CHECK (amount >= 0),
    vat_rate NUMERIC(5,2) NOT NULL DEFAULT 20.00
        CONSTRAINT invoices_vat_rate_check CHECK (vat_rate >= 0 AND vat_rate <= 100),
    total NUMERIC(12,2),
    currency CHAR(3) NOT NULL DEFAULT 'EUR',
    issued_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX invoices_user_id_idx ON invoices (user_id);
CREATE INDEX invoices_subscription_id_idx ON invoices (subscription_id);

-- migrate:down
DROP INDEX invoices_subscription_id_idx;
DROP INDEX invoices_user_id_idx;
DROP TABLE invoices;
