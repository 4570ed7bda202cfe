-- Issue 5 — Dân quyết: community decisions (R2.1–R2.22) decided at a
-- meeting, by household ballots on paper or by an online vote. Results are
-- kept in `decision_counts` by every vote's transaction and frozen into the
-- decision and its villages at closing. Version 6: version 5 is reserved for
-- another branch (the migrator applies whatever versions are missing).

CREATE TABLE decisions (
    id {ID},
    -- The commune (xã, phường) and its path, for subtree lists.
    unit_id {INT} NOT NULL REFERENCES units(id),
    unit_path TEXT NOT NULL,
    -- 'village' or 'commune' (R2.2); village_id is NULL when commune-wide.
    scope TEXT NOT NULL,
    village_id {INT} REFERENCES units(id),
    -- Law Art. 15 (R2.1): 1–6.
    subject {INT} NOT NULL,
    title TEXT NOT NULL,
    question TEXT NOT NULL,
    content TEXT NOT NULL,
    -- 'meeting', 'household_ballot', 'online_vote' (R2.4).
    form TEXT NOT NULL,
    secret {INT} NOT NULL DEFAULT 0,
    -- draft → open → closed (frozen) → decided | failed → sent →
    -- recognised | refused; annulled at any point after closing.
    status TEXT NOT NULL,
    redo_of {INT} REFERENCES decisions(id),
    -- The household bases are taken on this day (C0.4).
    decision_date TEXT NOT NULL,
    opens_at {INT},
    closes_at {INT},
    -- Frozen at closing (sums over the villages; for a commune-wide matter
    -- `villages` and `villages_passed` decide, R2.15).
    agree {INT},
    disagree {INT},
    other {INT},
    invalid {INT},
    voted {INT},
    households {INT},
    required {INT},
    passed {INT},
    villages {INT},
    villages_passed {INT},
    closed_at {INT},
    frozen_at {INT},
    sent_on TEXT,
    answered_on TEXT,
    answer_note TEXT,
    is_demo {INT} NOT NULL DEFAULT 0,
    created_by {INT} REFERENCES users(id),
    created_at {INT} NOT NULL,
    updated_at {INT} NOT NULL
);
CREATE INDEX decisions_unit ON decisions (unit_id, decision_date);
CREATE INDEX decisions_village ON decisions (village_id, decision_date);
CREATE INDEX decisions_status ON decisions (status, closes_at);
CREATE INDEX decisions_redo ON decisions (redo_of);

-- Each village taking part: its household base on the decision date, frozen
-- at creation (C0.4), and its own result frozen at closing.
CREATE TABLE decision_villages (
    decision_id {INT} NOT NULL REFERENCES decisions(id),
    village_id {INT} NOT NULL REFERENCES units(id),
    households {INT} NOT NULL,
    agree {INT},
    disagree {INT},
    other {INT},
    invalid {INT},
    voted {INT},
    required {INT},
    passed {INT},
    PRIMARY KEY (decision_id, village_id)
);
CREATE INDEX decision_villages_village ON decision_villages (village_id, decision_id);

-- Who voted (the participation list of R2.14), not how: one row per
-- household and decision, whatever the channel ('online', 'paper',
-- 'meeting'). `choice` is filled only when the vote is not secret.
CREATE TABLE decision_voters (
    decision_id {INT} NOT NULL REFERENCES decisions(id),
    household_id {INT} NOT NULL REFERENCES households(id),
    village_id {INT} NOT NULL REFERENCES units(id),
    channel TEXT NOT NULL,
    choice TEXT,
    voted_at {INT} NOT NULL,
    PRIMARY KEY (decision_id, household_id)
);
CREATE INDEX decision_voters_list ON decision_voters (decision_id, village_id, voted_at);

-- The urn: every counted choice, without household and without time. The
-- key is random, so the physical order (SQLite: WITHOUT ROWID, ordered by
-- key) says nothing of the order of voting. On PostgreSQL a row's xmin and
-- its place in the heap would link it to its voter row written by the same
-- transaction: `reshuffle_urn` rewrites the urn of a closed decision in one
-- transaction (new keys, random order, one xmin for all) before the result
-- is frozen. `receipt_hash` is the SHA-256 of the receipt code handed once
-- to the voter, who can check that the ballot was counted.
CREATE TABLE decision_ballots (
    id TEXT NOT NULL PRIMARY KEY,
    decision_id {INT} NOT NULL REFERENCES decisions(id),
    village_id {INT} NOT NULL REFERENCES units(id),
    choice TEXT NOT NULL,
    receipt_hash TEXT
--@sqlite
) WITHOUT ROWID;
--@postgres
);
--@end
CREATE INDEX decision_ballots_village ON decision_ballots (decision_id, village_id);
CREATE UNIQUE INDEX decision_ballots_receipt ON decision_ballots (decision_id, receipt_hash);

-- Roll-up counters, kept in each vote's transaction: 'village:<id>:<choice>'
-- in shards ('…@<n>', the shard drawn at random so that it tells nothing of
-- the voter). A village's result reads its own keys; the tally of a
-- commune-wide decision reads every key of the decision, never the urn.
CREATE TABLE decision_counts (
    decision_id {INT} NOT NULL REFERENCES decisions(id),
    key TEXT NOT NULL,
    n {INT} NOT NULL,
    PRIMARY KEY (decision_id, key)
);

-- The team that counts returned paper ballots, with its two household
-- witnesses (R2.11, R2.13).
CREATE TABLE decision_count_teams (
    id {ID},
    decision_id {INT} NOT NULL REFERENCES decisions(id),
    village_id {INT} NOT NULL REFERENCES units(id),
    members TEXT NOT NULL,
    witness_1 TEXT NOT NULL,
    witness_2 TEXT NOT NULL,
    created_by {INT} REFERENCES users(id),
    created_at {INT} NOT NULL
);
CREATE INDEX decision_count_teams_d ON decision_count_teams (decision_id, village_id);

-- Household ballots on paper (R2.13): one per household and decision; the
-- printed code (QR) identifies the ballot, not the vote. Counting marks the
-- ballot returned (once) and puts its choice in the urn.
CREATE TABLE decision_paper_ballots (
    id {ID},
    decision_id {INT} NOT NULL REFERENCES decisions(id),
    village_id {INT} NOT NULL REFERENCES units(id),
    household_id {INT} NOT NULL REFERENCES households(id),
    code TEXT NOT NULL UNIQUE,
    issued_at {INT} NOT NULL,
    printed_at {INT},
    team_id {INT} REFERENCES decision_count_teams(id),
    entered_by {INT} REFERENCES users(id),
    counted_at {INT},
    UNIQUE (decision_id, household_id)
);
CREATE INDEX decision_paper_ballots_v ON decision_paper_ballots (decision_id, village_id, household_id);

-- Meetings (R2.9–R2.12): notice and documents dates, secretary, counting
-- committee, voting method, attendance and the counted result.
CREATE TABLE decision_meetings (
    id {ID},
    decision_id {INT} NOT NULL REFERENCES decisions(id),
    village_id {INT} NOT NULL REFERENCES units(id),
    held_on TEXT NOT NULL,
    notice_on TEXT NOT NULL,
    documents_on TEXT NOT NULL,
    secretary TEXT NOT NULL,
    committee TEXT NOT NULL,
    -- 'hands' or 'secret'.
    method TEXT NOT NULL,
    present {INT} NOT NULL DEFAULT 0,
    agree {INT},
    disagree {INT},
    other {INT},
    invalid {INT},
    result_at {INT},
    created_by {INT} REFERENCES users(id),
    created_at {INT} NOT NULL
);
CREATE INDEX decision_meetings_d ON decision_meetings (decision_id, village_id);

CREATE TABLE decision_attendance (
    meeting_id {INT} NOT NULL REFERENCES decision_meetings(id),
    household_id {INT} NOT NULL REFERENCES households(id),
    PRIMARY KEY (meeting_id, household_id)
);
