-- danchu foundation schema. Written once for both databases: the migrator
-- replaces {ID} with the dialect's auto-increment primary key and {INT} with
-- a 64-bit integer type, {BLOB} with the binary type. Booleans are stored as 0/1 integers and dates as
-- ISO 'YYYY-MM-DD' text; instants are milliseconds since the Unix epoch (UTC).
-- Append-only: never edit a migration that has shipped; add a new one.

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Administrative units and attached organisations. (era, code) identifies a
-- unit: the 2025 reform reused codes, so code alone never joins two eras.
CREATE TABLE units (
    id {ID},
    era TEXT NOT NULL,
    code TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    search_key TEXT NOT NULL,
    parent_id {INT} REFERENCES units(id),
    path TEXT NOT NULL,
    depth {INT} NOT NULL,
    -- NULL valid_from: in force since before the platform's records begin.
    valid_from TEXT,
    valid_to TEXT,
    address TEXT,
    phone TEXT,
    email TEXT,
    website TEXT,
    is_demo {INT} NOT NULL DEFAULT 0,
    created_at {INT} NOT NULL,
    updated_at {INT} NOT NULL,
    UNIQUE (era, code)
);
CREATE INDEX units_parent ON units (parent_id, name);
CREATE INDEX units_path ON units (path);
CREATE INDEX units_search ON units (era, kind, search_key);

-- Roll-up counts per unit, kept in the same transaction as every write that
-- changes them (never counted per request). `danchu recount` rebuilds them.
CREATE TABLE unit_stats (
    unit_id {INT} PRIMARY KEY REFERENCES units(id),
    villages {INT} NOT NULL DEFAULT 0,
    households {INT} NOT NULL DEFAULT 0,
    people {INT} NOT NULL DEFAULT 0,
    updated_at {INT} NOT NULL
);

-- Households: valid_from/valid_to (exclusive) make the household count of a
-- village at any date derivable (C0.4).
CREATE TABLE households (
    id {ID},
    commune_id {INT} NOT NULL REFERENCES units(id),
    village_id {INT} NOT NULL REFERENCES units(id),
    code TEXT NOT NULL,
    address TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    is_demo {INT} NOT NULL DEFAULT 0,
    created_at {INT} NOT NULL,
    updated_at {INT} NOT NULL,
    UNIQUE (commune_id, code)
);
CREATE INDEX households_village ON households (village_id, valid_from);

-- Which village a household belonged to, and when: a household that moves
-- keeps its row, and this history keeps the count of every village at every
-- past date exact (C0.4). valid_to is exclusive.
CREATE TABLE household_villages (
    id {ID},
    household_id {INT} NOT NULL REFERENCES households(id),
    village_id {INT} NOT NULL REFERENCES units(id),
    valid_from TEXT NOT NULL,
    valid_to TEXT
);
CREATE INDEX household_villages_village ON household_villages (village_id, valid_from);
CREATE INDEX household_villages_household ON household_villages (household_id);

-- Members. The citizen ID is never stored: only a keyed hash and the last
-- four digits.
CREATE TABLE people (
    id {ID},
    household_id {INT} NOT NULL REFERENCES households(id),
    full_name TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    relation TEXT NOT NULL,
    is_head {INT} NOT NULL DEFAULT 0,
    -- The household representative (C0.3): exactly one current member.
    is_representative {INT} NOT NULL DEFAULT 0,
    cccd_hash TEXT,
    cccd_last4 TEXT,
    valid_to TEXT,
    created_at {INT} NOT NULL,
    updated_at {INT} NOT NULL
);
CREATE INDEX people_household ON people (household_id);
CREATE UNIQUE INDEX people_cccd ON people (cccd_hash) WHERE cccd_hash IS NOT NULL AND valid_to IS NULL;
CREATE UNIQUE INDEX people_one_representative ON people (household_id) WHERE is_representative = 1 AND valid_to IS NULL;

CREATE TABLE users (
    id {ID},
    username TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    email TEXT,
    password_hash TEXT NOT NULL,
    must_change_password {INT} NOT NULL DEFAULT 0,
    disabled_at {INT},
    is_demo {INT} NOT NULL DEFAULT 0,
    created_at {INT} NOT NULL,
    updated_at {INT} NOT NULL
);

CREATE TABLE role_assignments (
    id {ID},
    user_id {INT} NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    unit_id {INT} NOT NULL REFERENCES units(id),
    granted_by {INT} REFERENCES users(id),
    created_at {INT} NOT NULL,
    UNIQUE (user_id, role, unit_id)
);
CREATE INDEX role_assignments_unit ON role_assignments (unit_id);

-- Sessions live in the database so that any app node can serve any request.
-- The cookie holds a random token; only its SHA-256 is stored.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id {INT} NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at {INT} NOT NULL,
    expires_at {INT} NOT NULL,
    ip TEXT,
    user_agent TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Login attempts: the throttling and lockout counters (shared by all nodes).
CREATE TABLE login_attempts (
    id {ID},
    username TEXT NOT NULL,
    ip TEXT NOT NULL,
    at {INT} NOT NULL,
    success {INT} NOT NULL
);
CREATE INDEX login_attempts_user ON login_attempts (username, at);
CREATE INDEX login_attempts_ip ON login_attempts (ip, at);

CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id {INT} NOT NULL REFERENCES users(id),
    created_at {INT} NOT NULL,
    expires_at {INT} NOT NULL,
    used_at {INT}
);

-- The audit trail: append-only, hash-chained. audit_head holds the last
-- sequence number and hash; updating it serialises appends.
CREATE TABLE audit_log (
    seq {INT} PRIMARY KEY,
    at_ms {INT} NOT NULL,
    actor_user_id {INT},
    actor_role TEXT,
    unit_id {INT},
    unit_path TEXT,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    summary TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_unit ON audit_log (unit_path, seq);
CREATE TABLE audit_head (
    id {INT} PRIMARY KEY,
    seq {INT} NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Background jobs and the outbox (e-mail), claimed with a lease so that any
-- node may run them and a crashed node's job is retried.
CREATE TABLE jobs (
    id {ID},
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    idempotency_key TEXT UNIQUE,
    run_at {INT} NOT NULL,
    attempts {INT} NOT NULL DEFAULT 0,
    max_attempts {INT} NOT NULL DEFAULT 8,
    locked_until {INT},
    last_error TEXT,
    done_at {INT},
    created_at {INT} NOT NULL
);
CREATE INDEX jobs_due ON jobs (done_at, run_at);

-- Household imports: the report and progress any node can show.
CREATE TABLE imports (
    id {ID},
    commune_id {INT} NOT NULL REFERENCES units(id),
    user_id {INT} REFERENCES users(id),
    file_name TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    -- The uploaded file, kept until the import job has run, then cleared
    -- (personal data is not kept longer than needed).
    file_data {BLOB},
    status TEXT NOT NULL,
    total_rows {INT} NOT NULL DEFAULT 0,
    processed_rows {INT} NOT NULL DEFAULT 0,
    households_added {INT} NOT NULL DEFAULT 0,
    households_updated {INT} NOT NULL DEFAULT 0,
    households_unchanged {INT} NOT NULL DEFAULT 0,
    people_added {INT} NOT NULL DEFAULT 0,
    errors TEXT NOT NULL DEFAULT '[]',
    created_at {INT} NOT NULL,
    finished_at {INT}
);
CREATE INDEX imports_commune ON imports (commune_id, id);

-- Idempotency keys of form and API submissions: a repeated key returns the
-- first outcome instead of writing again.
CREATE TABLE idempotency_keys (
    key TEXT PRIMARY KEY,
    user_id {INT},
    outcome TEXT NOT NULL,
    created_at {INT} NOT NULL
);
