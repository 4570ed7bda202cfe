-- Issue 4 — Dân bàn: consultations (lấy ý kiến) on structured drafts,
-- opinions from every channel in one table, statements voted agree /
-- disagree / pass with their opinion groups, near-duplicate groups of
-- comments, moderation with a fixed list of reasons, and the synthesis
-- (tiếp thu, giải trình). Counts shown on pages come from
-- `consultation_counts`, kept in the write transaction.

CREATE TABLE consultations (
    id {ID},
    unit_id {INT} NOT NULL REFERENCES units(id),
    unit_path TEXT NOT NULL,
    -- A village convention (hương ước) is consulted in one village.
    village_id {INT} REFERENCES units(id),
    subject TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    eligibility TEXT NOT NULL,
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    sector_days {INT},
    sector_basis TEXT,
    -- The plan (R3.3) and when it was sent to the bodies the law names.
    plan_content TEXT NOT NULL,
    plan_forms TEXT NOT NULL,
    plan_method TEXT NOT NULL,
    plan_responsibilities TEXT NOT NULL,
    plan_sent_on TEXT,
    -- 'draft' (not published), 'published', 'synthesised'.
    status TEXT NOT NULL,
    version {INT} NOT NULL,
    published_at {INT},
    -- The disclosure items (category xa-11 / cq-…) of the opening and of
    -- the synthesis (R1.1 item 11, R3.5).
    disclosure_id {INT} REFERENCES disclosures(id),
    synthesis_disclosure_id {INT} REFERENCES disclosures(id),
    synthesis_intro TEXT,
    synthesised_at {INT},
    reminded_at {INT},
    is_demo {INT} NOT NULL DEFAULT 0,
    created_by {INT} REFERENCES users(id),
    created_at {INT} NOT NULL,
    updated_at {INT} NOT NULL
);
CREATE INDEX consultations_unit ON consultations (unit_id, opens_on);
CREATE INDEX consultations_open ON consultations (status, closes_on);

-- Each version of the draft, kept whole (never lost, even when it does not
-- parse into articles), and its parts.
CREATE TABLE consultation_versions (
    id {ID},
    consultation_id {INT} NOT NULL REFERENCES consultations(id),
    version {INT} NOT NULL,
    body TEXT NOT NULL,
    structured {INT} NOT NULL,
    change_note TEXT NOT NULL,
    source_sha256 TEXT REFERENCES files(sha256),
    created_by {INT} REFERENCES users(id),
    created_at {INT} NOT NULL,
    UNIQUE (consultation_id, version)
);

CREATE TABLE consultation_parts (
    id {ID},
    consultation_id {INT} NOT NULL REFERENCES consultations(id),
    version {INT} NOT NULL,
    ordinal {INT} NOT NULL,
    path TEXT NOT NULL,
    kind TEXT NOT NULL,
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    heading TEXT NOT NULL,
    body TEXT NOT NULL,
    parent_ordinal {INT},
    depth {INT} NOT NULL,
    UNIQUE (consultation_id, version, path)
);
CREATE INDEX consultation_parts_order ON consultation_parts (consultation_id, version, ordinal);

-- Who takes part online: a signed-in user (resident, staff, worker), a
-- resident verified against the household registry (person_id: the citizen
-- ID is hashed and compared, never stored), or, when anyone may take part,
-- a browser. Browsers hold a random token whose SHA-256 is in
-- consultation_participant_keys.
CREATE TABLE consultation_participants (
    id {ID},
    consultation_id {INT} NOT NULL REFERENCES consultations(id),
    user_id {INT} REFERENCES users(id),
    person_id {INT} REFERENCES people(id),
    village_id {INT} REFERENCES units(id),
    display_name TEXT,
    created_at {INT} NOT NULL,
    UNIQUE (consultation_id, user_id),
    UNIQUE (consultation_id, person_id)
);

CREATE TABLE consultation_participant_keys (
    key_hash TEXT PRIMARY KEY,
    participant_id {INT} NOT NULL REFERENCES consultation_participants(id),
    created_at {INT} NOT NULL
);

-- Every opinion, whatever its channel (R3.2): online ones carry the
-- participant; the others were entered by an official with their source and
-- the author as given (a household or a person, no account needed).
CREATE TABLE consultation_comments (
    id {ID},
    consultation_id {INT} NOT NULL REFERENCES consultations(id),
    version {INT} NOT NULL,
    part_path TEXT,
    participant_id {INT} REFERENCES consultation_participants(id),
    channel TEXT NOT NULL,
    source TEXT NOT NULL,
    author_name TEXT,
    author_household_id {INT} REFERENCES households(id),
    body TEXT NOT NULL,
    folded TEXT NOT NULL,
    signature {BLOB},
    idem_key TEXT NOT NULL UNIQUE,
    created_on TEXT NOT NULL,
    entered_by {INT} REFERENCES users(id),
    hidden_reason TEXT,
    hidden_by {INT} REFERENCES users(id),
    hidden_at {INT},
    group_id {INT},
    response_kind TEXT,
    response_text TEXT,
    responded_by {INT} REFERENCES users(id),
    responded_at {INT},
    created_at {INT} NOT NULL
);
CREATE INDEX consultation_comments_list ON consultation_comments (consultation_id, id);
CREATE INDEX consultation_comments_part ON consultation_comments (consultation_id, part_path, id);
CREATE INDEX consultation_comments_participant ON consultation_comments (participant_id, created_on);
CREATE INDEX consultation_comments_group ON consultation_comments (consultation_id, group_id);

-- Groups of near-duplicate comments, recomputed by a job; one response per
-- group is copied to its members.
CREATE TABLE consultation_comment_groups (
    id {ID},
    consultation_id {INT} NOT NULL REFERENCES consultations(id),
    representative_id {INT} NOT NULL REFERENCES consultation_comments(id),
    size {INT} NOT NULL,
    unanswered {INT} NOT NULL,
    part_path TEXT,
    computed_at {INT} NOT NULL
);
CREATE INDEX consultation_comment_groups_c ON consultation_comment_groups (consultation_id, size);

-- Short statements voted agree / disagree / pass (opinion groups). The counts
-- are kept in the row by the vote's transaction. `follows_majority` and
-- `justification` belong to the synthesis (R3.6).
CREATE TABLE consultation_statements (
    id {ID},
    consultation_id {INT} NOT NULL REFERENCES consultations(id),
    body TEXT NOT NULL,
    folded TEXT NOT NULL,
    state TEXT NOT NULL,
    author_participant_id {INT} REFERENCES consultation_participants(id),
    created_by {INT} REFERENCES users(id),
    idem_key TEXT NOT NULL UNIQUE,
    hidden_reason TEXT,
    agree {INT} NOT NULL DEFAULT 0,
    disagree {INT} NOT NULL DEFAULT 0,
    pass {INT} NOT NULL DEFAULT 0,
    follows_majority {INT},
    justification TEXT,
    created_at {INT} NOT NULL
);
CREATE INDEX consultation_statements_c ON consultation_statements (consultation_id, state, id);

CREATE TABLE consultation_votes (
    statement_id {INT} NOT NULL REFERENCES consultation_statements(id),
    participant_id {INT} NOT NULL REFERENCES consultation_participants(id),
    consultation_id {INT} NOT NULL REFERENCES consultations(id),
    stance TEXT NOT NULL,
    updated_at {INT} NOT NULL,
    PRIMARY KEY (statement_id, participant_id)
);
CREATE INDEX consultation_votes_c ON consultation_votes (consultation_id);

-- The opinion groups computed off the request path (JSON of the analysis and
-- the SVG map), with the number of votes they were computed from.
CREATE TABLE consultation_analysis (
    consultation_id {INT} PRIMARY KEY REFERENCES consultations(id),
    votes_seen {INT} NOT NULL,
    analysis TEXT NOT NULL,
    svg_vi TEXT NOT NULL,
    svg_en TEXT NOT NULL,
    computed_at {INT} NOT NULL
);

-- Roll-up counters per consultation, kept in each write's transaction:
-- keys 'comments', 'visible', 'unanswered', 'participants', 'votes',
-- 'hidden:<reason>', 'channel:<channel>', 'part:<version>:<path>',
-- 'pending_statements'. `recount` rebuilds them.
CREATE TABLE consultation_counts (
    consultation_id {INT} NOT NULL REFERENCES consultations(id),
    key TEXT NOT NULL,
    n {INT} NOT NULL,
    PRIMARY KEY (consultation_id, key)
);
