-- Issue 5 — staff conferences of agencies and workers' conferences of
-- state-owned enterprises (R7.1–R7.7): each convening (quorum or not), the
-- decisions taken at the conference or by the written ballot that follows a
-- second convening without quorum, and the six-monthly checks of the
-- resolution. Version 12: 7–9 are other branches'.

CREATE TABLE conferences (
    id {ID},
    -- The agency or enterprise and its path.
    unit_id {INT} NOT NULL REFERENCES units(id),
    unit_path TEXT NOT NULL,
    -- 'agency' or 'state_enterprise'.
    workplace TEXT NOT NULL,
    -- The year it reports on ends that day (R7.2, R7.7).
    year_end TEXT NOT NULL,
    held_on TEXT NOT NULL,
    -- 'plenary' or 'delegates' (R7.3).
    mode TEXT NOT NULL,
    -- All staff (or delegates) convened.
    convened {INT} NOT NULL,
    -- planned → held | ballot_due → ballot_counted.
    status TEXT NOT NULL,
    -- Convenings without quorum so far (R7.4).
    failed_convenings {INT} NOT NULL DEFAULT 0,
    present {INT},
    adopted_on TEXT,
    is_demo {INT} NOT NULL DEFAULT 0,
    created_by {INT} REFERENCES users(id),
    created_at {INT} NOT NULL,
    updated_at {INT} NOT NULL
);
CREATE INDEX conferences_unit ON conferences (unit_id, held_on);

-- The decisions of a conference (or of its written ballot), with the figures.
CREATE TABLE conference_decisions (
    id {ID},
    conference_id {INT} NOT NULL REFERENCES conferences(id),
    title TEXT NOT NULL,
    -- 'conference' or 'written_ballot'.
    route TEXT NOT NULL,
    base {INT} NOT NULL,
    agree {INT} NOT NULL,
    required {INT} NOT NULL,
    passed {INT} NOT NULL
);
CREATE INDEX conference_decisions_c ON conference_decisions (conference_id, id);

-- The six-monthly check of the resolution by the head and the union (R7.6).
CREATE TABLE conference_checks (
    id {ID},
    conference_id {INT} NOT NULL REFERENCES conferences(id),
    checked_on TEXT NOT NULL,
    note TEXT NOT NULL,
    UNIQUE (conference_id, checked_on)
);
