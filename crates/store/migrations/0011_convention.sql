-- Issue 5 — village conventions (hương ước, quy ước; R6.1–R6.16): the text's
-- life cycle with every transition kept (convention_events), its adoption
-- figures, recognition dossier, suspension, annulment, dissemination and the
-- yearly reviews. The draft's consultation is a consultation (issue 4).
-- Version 11: 7–9 are other branches'.

CREATE TABLE conventions (
    id {ID},
    unit_id {INT} NOT NULL REFERENCES units(id),
    unit_path TEXT NOT NULL,
    village_id {INT} NOT NULL REFERENCES units(id),
    title TEXT NOT NULL,
    -- 'huong_uoc' or 'quy_uoc'.
    kind TEXT NOT NULL,
    -- danchu_domain::convention::State.
    state TEXT NOT NULL,
    -- An amendment or replacement of a recognised text (R6.10).
    amends_id {INT} REFERENCES conventions(id),
    proposed_by TEXT NOT NULL,
    proposed_on TEXT NOT NULL,
    team_members {INT},
    team_elder {INT},
    team_ethnic {INT},
    consultation_id {INT} REFERENCES consultations(id),
    -- Adoption (R6.6).
    route TEXT,
    households {INT},
    present {INT},
    agree {INT},
    disagree {INT},
    other {INT},
    invalid {INT},
    required {INT},
    adopted_on TEXT,
    -- Recognition (R6.7).
    dossier_complete_on TEXT,
    answered_on TEXT,
    answer_reasons TEXT,
    text_sent_on TEXT,
    -- Suspension (R6.9) and annulment (R6.11).
    suspension_ground TEXT,
    suspension_extent TEXT,
    suspension_signed_on TEXT,
    suspension_redo_by TEXT,
    suspension_reasons TEXT,
    annulment_ground TEXT,
    annulled_on TEXT,
    -- Dissemination (R6.12): posted, and the other ways (comma list).
    posted {INT} NOT NULL DEFAULT 0,
    disseminated TEXT,
    -- R6.13: the review day the community agreed instead of 18 November.
    review_agreed_on TEXT,
    is_demo {INT} NOT NULL DEFAULT 0,
    created_by {INT} REFERENCES users(id),
    created_at {INT} NOT NULL,
    updated_at {INT} NOT NULL
);
CREATE INDEX conventions_village ON conventions (village_id, state);
CREATE INDEX conventions_unit ON conventions (unit_id, state);

-- Every transition, in order: the history stays visible.
CREATE TABLE convention_events (
    id {ID},
    convention_id {INT} NOT NULL REFERENCES conventions(id),
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    on_day TEXT NOT NULL,
    note TEXT NOT NULL,
    created_by {INT} REFERENCES users(id),
    created_at {INT} NOT NULL
);
CREATE INDEX convention_events_c ON convention_events (convention_id, id);

-- The community's yearly review (R6.13).
CREATE TABLE convention_reviews (
    convention_id {INT} NOT NULL REFERENCES conventions(id),
    year {INT} NOT NULL,
    reviewed_on TEXT NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (convention_id, year)
);
