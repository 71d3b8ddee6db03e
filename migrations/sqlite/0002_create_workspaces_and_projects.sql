-- migrate:up
CREATE TABLE workspaces (
    id INTEGER PRIMARY KEY,
    owner_id INTEGER NOT NULL CONSTRAINT workspaces_owner_id_fkey REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX workspaces_owner_id_idx ON workspaces (owner_id);
CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL CONSTRAINT projects_workspace_id_fkey REFERENCES workspaces (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT projects_workspace_id_name_key UNIQUE (workspace_id, name)
);

-- migrate:down
DROP TABLE projects;
DROP INDEX workspaces_owner_id_idx;
DROP TABLE workspaces;
