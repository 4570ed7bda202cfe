-- Issue 5 — online voting (R2.14), the citizens' side: a household
-- representative who proved membership of a household of the decision's
-- village(s) (citizen ID and birth date against the registry) is bound to
-- that household for this decision by a voting key. The browser (or an API
-- client) holds a random token; only SHA-256(token ':' decision id) is
-- stored, so every app node recognises it and a leaked table gives nothing
-- to present. Version 9: 7 and 8 are reserved for other branches.

CREATE TABLE decision_voting_keys (
    key_hash TEXT NOT NULL PRIMARY KEY,
    decision_id {INT} NOT NULL REFERENCES decisions(id),
    household_id {INT} NOT NULL REFERENCES households(id),
    village_id {INT} NOT NULL REFERENCES units(id),
    created_at {INT} NOT NULL,
    expires_at {INT} NOT NULL
);
CREATE INDEX decision_voting_keys_household ON decision_voting_keys (decision_id, household_id);
