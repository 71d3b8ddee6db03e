/* catalog_fixture.h: the schema the catalog tests build (test_catalog.c,
 * test_catalog_scale.c): every kind of constraint and index, strange
 * identifiers, a table without a primary key, an empty table, a view
 * (common_schema, both engines); NOT VALID constraints, another schema,
 * row-level security, partitions, triggers, materialized views, a table
 * never analysed (pg_schema); WITHOUT ROWID, an implicit parent key,
 * STRICT, a trigger (sqlite_schema). */
#ifndef DBW_CATALOG_FIXTURE_H
#define DBW_CATALOG_FIXTURE_H

/* Works in both engines. */
static const char common_schema[] =
    "CREATE TABLE parent (\n"
    "    a integer NOT NULL,\n"
    "    b text NOT NULL,\n"
    "    code text CONSTRAINT parent_code_key UNIQUE,\n"
    "    qty integer DEFAULT 1 CONSTRAINT parent_qty_check CHECK (qty > 0),\n"
    "    CONSTRAINT parent_pkey PRIMARY KEY (a, b)\n"
    ");\n"
    "CREATE TABLE child (\n"
    "    id integer CONSTRAINT child_pkey PRIMARY KEY,\n"
    "    pa integer,\n"
    "    pb text,\n"
    "    note text,\n"
    "    doubled integer GENERATED ALWAYS AS (id * 2) STORED,\n"
    "    CONSTRAINT child_parent_fkey FOREIGN KEY (pa, pb) REFERENCES parent (a, b)\n"
    "        ON DELETE CASCADE ON UPDATE SET NULL\n"
    ");\n"
    "CREATE UNIQUE INDEX child_note_key ON child (note);\n"
    "CREATE INDEX child_note_partial ON child (note) WHERE note IS NOT NULL;\n"
    "CREATE INDEX child_lower_note ON child (lower(note));\n"
    "CREATE INDEX child_pa_pb ON child (pa, pb);\n"
    "CREATE TABLE nopk (v text);\n"
    "CREATE TABLE empty_one (id integer PRIMARY KEY);\n"
    "CREATE TABLE \"We\"\"ird 'Tab.le\" (\n"
    "    \"Über Größe\" text,\n"
    "    \"select\" integer CONSTRAINT \"pk \"\"odd\"\"\" PRIMARY KEY,\n"
    "    \"MixedCase\" text CONSTRAINT \"odd check\" CHECK (\"MixedCase\" <> '')\n"
    ");\n"
    "CREATE TABLE \"order\" (\n"
    "    \"from\" integer CONSTRAINT order_from_fkey\n"
    "        REFERENCES \"We\"\"ird 'Tab.le\" (\"select\")\n"
    "        ON DELETE SET NULL\n"
    ");\n"
    "CREATE INDEX \"Ünï idx\" ON \"We\"\"ird 'Tab.le\" (\"Über Größe\", \"MixedCase\");\n"
    "CREATE VIEW child_view AS SELECT id, note FROM child;\n"
    "INSERT INTO parent VALUES (1, 'x', 'c1', 2);\n"
    "INSERT INTO child (id, pa, pb, note) VALUES (1, 1, 'x', 'n1'), (2, 1, 'x', NULL);\n"
    "INSERT INTO nopk VALUES ('a'), ('b');\n";

static const char pg_schema[] =
    "ALTER TABLE child ADD COLUMN gone integer;\n"
    "ALTER TABLE child ADD COLUMN after_gone integer;\n"
    "ALTER TABLE child DROP COLUMN gone;\n"
    "ALTER TABLE child ADD CONSTRAINT child_note_nv CHECK (length(note) < 3) NOT VALID;\n"
    "ALTER TABLE child ADD CONSTRAINT child_after_fkey FOREIGN KEY (after_gone) "
    "REFERENCES empty_one (id) NOT VALID;\n"
    "CREATE SCHEMA \"Other Schema\";\n"
    "CREATE TABLE \"Other Schema\".parent (id serial PRIMARY KEY, "
    "p_a integer, p_b text, FOREIGN KEY (p_a, p_b) REFERENCES public.parent (a, b));\n"
    "CREATE TABLE secured (id integer PRIMARY KEY, owner text NOT NULL);\n"
    "ALTER TABLE secured ENABLE ROW LEVEL SECURITY;\n"
    "ALTER TABLE secured FORCE ROW LEVEL SECURITY;\n"
    "CREATE POLICY secured_read ON secured FOR SELECT TO app USING (owner = current_user);\n"
    "CREATE POLICY \"Secured write\" ON secured AS RESTRICTIVE FOR INSERT TO PUBLIC "
    "WITH CHECK (id > 0);\n"
    "CREATE TABLE measures (day date NOT NULL, v integer) PARTITION BY RANGE (day);\n"
    "CREATE TABLE measures_2024 PARTITION OF measures "
    "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n"
    "CREATE TABLE measures_2025 PARTITION OF measures "
    "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');\n"
    "CREATE INDEX measures_day_idx ON measures (day);\n"
    "INSERT INTO measures VALUES ('2024-05-01', 1), ('2024-06-01', 2), ('2025-02-01', 3);\n"
    "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN NEW.note := coalesce(NEW.note, 'x'); RETURN NEW; END $$;\n"
    "CREATE TRIGGER child_touch BEFORE INSERT ON child FOR EACH ROW EXECUTE FUNCTION touch();\n"
    "CREATE TRIGGER measures_touch BEFORE UPDATE ON measures "
    "FOR EACH ROW EXECUTE FUNCTION touch();\n"
    "CREATE MATERIALIZED VIEW child_counts AS SELECT pa, count(*) AS n FROM child GROUP BY pa;\n"
    "CREATE MATERIALIZED VIEW not_filled AS SELECT 1 AS one WITH NO DATA;\n"
    "CREATE TABLE dup (v integer);\n"
    "INSERT INTO dup VALUES (1), (1);\n"
    "CREATE TABLE big_unanalysed (v integer);\n"
    "INSERT INTO big_unanalysed SELECT g FROM generate_series(1, 100) g;\n";

static const char sqlite_schema[] =
    "CREATE TABLE kv (k text PRIMARY KEY, v text) WITHOUT ROWID;\n"
    "CREATE TABLE implicit_ref (p integer REFERENCES EMPTY_ONE, "
    "CHECK (p IS NULL OR p > 0));\n"
    "CREATE TABLE strict_one (id integer PRIMARY KEY, n integer) STRICT;\n"
    "CREATE TRIGGER child_touch AFTER INSERT ON child BEGIN "
    "UPDATE child SET note = coalesce(note, 'x') WHERE id = NEW.id; END;\n";

#endif
