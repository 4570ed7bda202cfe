-- Issue 3 — Dân biết: disclosures (công khai), their obligations and
-- compliance, attachments, full-text search, the working-day calendar,
-- information requests, subscriptions and the notification outbox.
-- Lines between "--@sqlite" / "--@postgres" and "--@end" are for one dialect.

-- The yearly announcements of the Government on days off and swaps (C0.2):
-- kind 'off' (an extra day off), 'working' (a weekend day made a working
-- day), 'not_off' (a default holiday that is a working day this year).
CREATE TABLE calendar_days (
    day TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    note TEXT NOT NULL,
    created_by {INT} REFERENCES users(id),
    created_at {INT} NOT NULL
);

-- What a unit has, which decides the channels the law requires (R1.4, R1.8,
-- R1.19). No row: the defaults of the regime.
CREATE TABLE disclosure_settings (
    unit_id {INT} PRIMARY KEY REFERENCES units(id),
    has_portal {INT} NOT NULL,
    has_loudspeaker {INT} NOT NULL,
    has_internal_system {INT} NOT NULL,
    updated_at {INT} NOT NULL
);

-- Files stored once by content (sha256), type checked by content. The
-- extracted text feeds the search index.
CREATE TABLE files (
    sha256 TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    size {INT} NOT NULL,
    content {BLOB} NOT NULL,
    text TEXT NOT NULL,
    created_at {INT} NOT NULL
);

-- A disclosure item; the columns after `category` describe its current
-- version, kept here so lists and feeds read one row per item.
CREATE TABLE disclosures (
    id {ID},
    unit_id {INT} NOT NULL REFERENCES units(id),
    unit_path TEXT NOT NULL,
    category TEXT NOT NULL,
    audience TEXT NOT NULL,
    version {INT} NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    decision_date TEXT NOT NULL,
    first_published_at {INT} NOT NULL,
    published_at {INT} NOT NULL,
    published_on TEXT NOT NULL,
    withdrawn_at {INT},
    deadline TEXT,
    verdict TEXT NOT NULL,
    next_review TEXT,
    is_demo {INT} NOT NULL DEFAULT 0,
    created_by {INT} REFERENCES users(id),
    created_at {INT} NOT NULL
);
CREATE INDEX disclosures_unit ON disclosures (unit_id, published_at);
CREATE INDEX disclosures_unit_cat ON disclosures (unit_id, category, published_at);
CREATE INDEX disclosures_published ON disclosures (published_at);
CREATE INDEX disclosures_cat ON disclosures (category, published_at);
CREATE INDEX disclosures_review ON disclosures (next_review);

-- Every version stays visible (R1.10).
CREATE TABLE disclosure_versions (
    id {ID},
    disclosure_id {INT} NOT NULL REFERENCES disclosures(id),
    version {INT} NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    decision_number TEXT NOT NULL,
    decision_date TEXT NOT NULL,
    signer TEXT NOT NULL,
    sector_deadline TEXT,
    sector_basis TEXT,
    change_note TEXT,
    published_at {INT} NOT NULL,
    published_on TEXT NOT NULL,
    superseded_on TEXT,
    created_by {INT} REFERENCES users(id),
    UNIQUE (disclosure_id, version)
);

CREATE TABLE disclosure_attachments (
    id {ID},
    disclosure_id {INT} NOT NULL REFERENCES disclosures(id),
    version {INT} NOT NULL,
    sha256 TEXT NOT NULL REFERENCES files(sha256),
    name TEXT NOT NULL,
    position {INT} NOT NULL
);
CREATE INDEX disclosure_attachments_item ON disclosure_attachments (disclosure_id, version);

-- What officials did: postings (place, start, end), broadcasts, relays
-- through village heads, written notices. End NULL: still posted.
CREATE TABLE disclosure_records (
    id {ID},
    disclosure_id {INT} NOT NULL REFERENCES disclosures(id),
    version {INT} NOT NULL,
    channel TEXT NOT NULL,
    place_id {INT} REFERENCES units(id),
    start_on TEXT NOT NULL,
    end_on TEXT,
    written_to_all {INT} NOT NULL DEFAULT 0,
    responsible TEXT NOT NULL,
    note TEXT NOT NULL,
    photo_sha256 TEXT REFERENCES files(sha256),
    recorded_by {INT} REFERENCES users(id),
    created_at {INT} NOT NULL
);
CREATE INDEX disclosure_records_item ON disclosure_records (disclosure_id, version);

-- Exempt content is never stored: only that an exemption was used, on what
-- ground, and by whom (C0.6).
CREATE TABLE disclosure_exemptions (
    id {ID},
    unit_id {INT} NOT NULL REFERENCES units(id),
    unit_path TEXT NOT NULL,
    category TEXT NOT NULL,
    ground TEXT NOT NULL,
    reference TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    decided_by {INT} REFERENCES users(id),
    created_at {INT} NOT NULL
);
CREATE INDEX disclosure_exemptions_unit ON disclosure_exemptions (unit_id, id);

-- Roll-up of verdicts per unit, kept in the write transaction.
CREATE TABLE disclosure_stats (
    unit_id {INT} PRIMARY KEY REFERENCES units(id),
    items {INT} NOT NULL DEFAULT 0,
    compliant {INT} NOT NULL DEFAULT 0,
    late {INT} NOT NULL DEFAULT 0,
    in_progress {INT} NOT NULL DEFAULT 0,
    pending {INT} NOT NULL DEFAULT 0,
    non_compliant {INT} NOT NULL DEFAULT 0
);

-- Disclosure plans (R1.11) and quarterly lists (R1.7) are generated
-- documents; they are published as disclosure items themselves.
CREATE TABLE disclosure_documents (
    id {ID},
    unit_id {INT} NOT NULL REFERENCES units(id),
    kind TEXT NOT NULL,
    period TEXT NOT NULL,
    disclosure_id {INT} REFERENCES disclosures(id),
    created_by {INT} REFERENCES users(id),
    created_at {INT} NOT NULL,
    UNIQUE (unit_id, kind, period)
);

-- Full-text search over folded text (no diacritics, lower case): title,
-- body and attachment text of the current version, plus scope tokens
-- (u<unit id> for the unit and each ancestor, c<category>).
--@sqlite
CREATE VIRTUAL TABLE disclosure_fts USING fts5 (title, body, scope, tokenize = 'unicode61 remove_diacritics 0');
--@end
--@postgres
CREATE TABLE disclosure_fts (
    rowid BIGINT PRIMARY KEY,
    tsv tsvector NOT NULL
);
CREATE INDEX disclosure_fts_tsv ON disclosure_fts USING GIN (tsv);
--@end

-- Information requests (R1.12, R1.13), followed by a tracking code.
CREATE TABLE info_requests (
    id {ID},
    code TEXT NOT NULL UNIQUE,
    unit_id {INT} NOT NULL REFERENCES units(id),
    unit_path TEXT NOT NULL,
    channel TEXT NOT NULL,
    complexity TEXT NOT NULL,
    ground TEXT NOT NULL,
    subject TEXT NOT NULL,
    details TEXT NOT NULL,
    requester_name TEXT NOT NULL,
    requester_contact TEXT NOT NULL,
    received_on TEXT NOT NULL,
    notice_by TEXT,
    answer_by TEXT NOT NULL,
    extended_to TEXT,
    extension_reason TEXT,
    status TEXT NOT NULL,
    answer TEXT,
    refusal_reasons TEXT,
    answered_by {INT} REFERENCES users(id),
    answered_on TEXT,
    created_by {INT} REFERENCES users(id),
    created_at {INT} NOT NULL,
    updated_at {INT} NOT NULL
);
CREATE INDEX info_requests_unit ON info_requests (unit_id, status, answer_by);

-- Email subscriptions to a unit (and its subtree) or a category, confirmed
-- by a link (double opt-in); the token also unsubscribes.
CREATE TABLE subscriptions (
    id {ID},
    email TEXT NOT NULL,
    unit_id {INT} REFERENCES units(id),
    unit_path TEXT NOT NULL,
    category TEXT,
    token TEXT NOT NULL UNIQUE,
    confirmed_at {INT},
    cancelled_at {INT},
    created_at {INT} NOT NULL
);
CREATE INDEX subscriptions_path ON subscriptions (unit_path);

-- The notification outbox: one row per recipient and message, unique so a
-- message is never queued twice; `sent_at` is set in the transaction that
-- follows the channel's acceptance.
CREATE TABLE outbox (
    id {ID},
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    dedupe_key TEXT NOT NULL UNIQUE,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    attempts {INT} NOT NULL DEFAULT 0,
    last_error TEXT,
    sent_at {INT},
    created_at {INT} NOT NULL
);
