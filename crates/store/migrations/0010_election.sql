-- Issue 5 — village-head elections and dismissals (bầu, cho thôi làm
-- Trưởng thôn, Tổ trưởng tổ dân phố; R5.1–R5.10) and the village's heads
-- over time (elected or interim). Version 10: 7–9 are other branches'.

CREATE TABLE elections (
    id {ID},
    -- The commune and its path (subtree lists), and the village.
    unit_id {INT} NOT NULL REFERENCES units(id),
    unit_path TEXT NOT NULL,
    village_id {INT} NOT NULL REFERENCES units(id),
    -- 'election' or 'dismissal' (R5.9).
    kind TEXT NOT NULL,
    -- planned → elected | no_winner (counted) → sent → recognised |
    -- re_election | replied. A dismissal: planned → dismissed | kept →
    -- sent → recognised | replied.
    status TEXT NOT NULL,
    -- The meeting day (E for an election, R5.1).
    election_day TEXT NOT NULL,
    -- A re-election (R5.7) or the election after a dismissal (R5.10).
    redo_of {INT} REFERENCES elections(id),
    -- R5.1: the day each preparation step was done.
    decision_on TEXT,
    candidates_on TEXT,
    team_on TEXT,
    announced_on TEXT,
    -- The households of the village on the meeting day (C0.4), frozen at
    -- the count, with the count's figures (R5.5).
    households {INT},
    attendees {INT},
    invalid {INT},
    required {INT},
    winner_id {INT},
    no_winner_reason TEXT,
    counted_at {INT},
    -- R5.6, R5.10: sent to the commune, and its answer.
    sent_on TEXT,
    answered_on TEXT,
    answer TEXT,
    answer_reasons TEXT,
    -- A dismissal (R5.9): the head concerned, what started it.
    head_id {INT},
    trigger_kind TEXT,
    trigger_ground TEXT,
    petitioners {INT},
    -- R5.10: the day by which the commune decides a new election.
    new_election_by TEXT,
    is_demo {INT} NOT NULL DEFAULT 0,
    created_by {INT} REFERENCES users(id),
    created_at {INT} NOT NULL,
    updated_at {INT} NOT NULL
);
CREATE INDEX elections_village ON elections (village_id, election_day);
CREATE INDEX elections_unit ON elections (unit_id, election_day);

-- Candidates (R5.1 list, R5.4 nominations from the floor) and, after the
-- count, their votes. `person_id` is the registry member; the name is kept
-- as it was on the list.
CREATE TABLE election_candidates (
    id {ID},
    election_id {INT} NOT NULL REFERENCES elections(id),
    person_id {INT} NOT NULL REFERENCES people(id),
    full_name TEXT NOT NULL,
    -- 'list' or 'floor'.
    nominated TEXT NOT NULL,
    votes {INT},
    UNIQUE (election_id, person_id)
);

-- The election team (R5.2): no candidate on it.
CREATE TABLE election_team (
    election_id {INT} NOT NULL REFERENCES elections(id),
    person_id {INT} NOT NULL REFERENCES people(id),
    full_name TEXT NOT NULL,
    is_leader {INT} NOT NULL DEFAULT 0,
    -- The leader represents the village Front work committee.
    front_representative {INT} NOT NULL DEFAULT 0,
    PRIMARY KEY (election_id, person_id)
);

-- The heads of a village over time: elected (from the commune's
-- recognition, R5.6, for the province's term, R5.8) or interim (at most 6
-- months, R5.8, R5.10). `ended_on` is set by a recognised dismissal or the
-- next head.
CREATE TABLE village_heads (
    id {ID},
    village_id {INT} NOT NULL REFERENCES units(id),
    person_id {INT} REFERENCES people(id),
    full_name TEXT NOT NULL,
    -- 'elected' or 'interim'.
    kind TEXT NOT NULL,
    election_id {INT} REFERENCES elections(id),
    from_on TEXT NOT NULL,
    until_on TEXT NOT NULL,
    ended_on TEXT,
    ended_reason TEXT,
    created_at {INT} NOT NULL
);
CREATE INDEX village_heads_village ON village_heads (village_id, from_on);
