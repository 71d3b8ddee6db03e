-- migrate:up
CREATE TABLE market_booths (
    id INTEGER PRIMARY KEY,
    owner_id INTEGER NOT NULL CONSTRAINT market_booths_owner_id_fkey REFERENCES users (id),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX market_booths_owner_id_idx ON market_booths (owner_id);
-- DELIBERATE: creator_id has no foreign key and price is a float.
-- They are kept on purpose so the integrity checks have something to find.
CREATE TABLE nft_items (
    id INTEGER PRIMARY KEY,
    owner_id INTEGER NOT NULL CONSTRAINT nft_items_owner_id_fkey REFERENCES users (id),
    creator_id INTEGER,
    booth_id INTEGER CONSTRAINT nft_items_booth_id_fkey REFERENCES market_booths (id) ON DELETE SET NULL,
    price REAL,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX nft_items_owner_id_idx ON nft_items (owner_id);
CREATE INDEX nft_items_booth_id_idx ON nft_items (booth_id);

-- migrate:down
DROP INDEX nft_items_booth_id_idx;
DROP INDEX nft_items_owner_id_idx;
DROP TABLE nft_items;
DROP INDEX market_booths_owner_id_idx;
DROP TABLE market_booths;
