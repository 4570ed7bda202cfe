-- Publication of a community decision's result as a disclosure item (R2.21:
-- the result is made public; R1.1 item 14). One row per decision: the
-- primary key makes publishing twice insert nothing, so the second
-- transaction (with the item it created) is rolled back by the caller.
CREATE TABLE decision_publications (
    decision_id {INT} NOT NULL PRIMARY KEY REFERENCES decisions(id),
    disclosure_id {INT} NOT NULL REFERENCES disclosures(id),
    published_by {INT} REFERENCES users(id),
    published_at {INT} NOT NULL
);
CREATE INDEX decision_publications_disclosure ON decision_publications (disclosure_id);
