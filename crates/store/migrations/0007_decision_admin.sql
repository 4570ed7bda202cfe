-- Issue 5 — Dân quyết, the officials' side: what the pages record after a
-- decision closes (sending R2.17, recognition or refusal R2.18, annulment
-- R2.19), the meeting's notice and procedure (R2.9–R2.11), and the
-- implementation record of a passed decision (dân thụ hưởng, issue item
-- 10). Only columns and tables are added; 0006 is never edited.

-- R2.17: why a sending after the 5 working days is recorded late.
ALTER TABLE decisions ADD COLUMN sent_note TEXT;
-- R2.18: who answered (the commune chair, or the Front for subject 5).
ALTER TABLE decisions ADD COLUMN answered_by {INT};
-- R2.19: the annulment, its ground, remedy and written reason.
ALTER TABLE decisions ADD COLUMN annulled_on TEXT;
ALTER TABLE decisions ADD COLUMN annul_ground TEXT;
ALTER TABLE decisions ADD COLUMN annul_remedy TEXT;
ALTER TABLE decisions ADD COLUMN annul_reason TEXT;

-- R2.9: the day the notice was posted at the community point, and how it
-- reached the households ('invitation,loudspeaker,…').
ALTER TABLE decision_meetings ADD COLUMN posted_on TEXT;
ALTER TABLE decision_meetings ADD COLUMN channels TEXT;
-- R2.10, R2.11: the show of hands electing the secretary, and approving
-- the counting committee of a secret ballot with its two witnesses.
ALTER TABLE decision_meetings ADD COLUMN secretary_votes {INT};
ALTER TABLE decision_meetings ADD COLUMN committee_approvals {INT};
ALTER TABLE decision_meetings ADD COLUMN witnesses TEXT;

-- The implementation of a passed decision (dân thụ hưởng): progress notes
-- with their date, and for contributions the money collected and spent
-- (đồng), with an optional photo kept in the files store.
CREATE TABLE decision_progress (
    id {ID},
    decision_id {INT} NOT NULL REFERENCES decisions(id),
    noted_on TEXT NOT NULL,
    note TEXT NOT NULL,
    collected {INT},
    spent {INT},
    photo_sha256 TEXT,
    created_by {INT} REFERENCES users(id),
    created_at {INT} NOT NULL
);
CREATE INDEX decision_progress_d ON decision_progress (decision_id, noted_on);
