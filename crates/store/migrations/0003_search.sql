-- Issue 3 — search at 1,000,000 items (docs/BENCHMARKS.md, "Disclosures at
-- 1,000,000 items").
-- Lines between "--@sqlite" / "--@postgres" and "--@end" are for one dialect.

-- Date filters of the lists, the feeds and the search (`tu=`, `den=`) are on
-- `published_on`, which may be earlier than `published_at` (a backdated
-- publication), so the index on `published_at` cannot serve them.
CREATE INDEX disclosures_published_on ON disclosures (published_on);

-- PostgreSQL: the search index is partitioned by range of item id, 100,000
-- ids per partition (`disclosures::SEARCH_PARTITION_IDS`), named after their
-- lower bound (`disclosure_fts_p000000100000`), so that the search takes the
-- newest matches partition by partition, newest first, each with its own
-- statistics and GIN postings (`disclosures::search_bounded`). Partitions
-- are created ahead of the ids: here up to one whole partition beyond the
-- highest id, later by the job worker (`disclosures::extend_search_partitions`);
-- the DEFAULT partition takes any row beyond them, so no write ever fails
-- for want of a partition. SQLite keeps its FTS5 table unchanged.
--@postgres
ALTER TABLE disclosure_fts RENAME TO disclosure_fts_unpartitioned;
ALTER TABLE disclosure_fts_unpartitioned RENAME CONSTRAINT disclosure_fts_pkey TO disclosure_fts_unpartitioned_pkey;
ALTER INDEX disclosure_fts_tsv RENAME TO disclosure_fts_unpartitioned_tsv;
CREATE TABLE disclosure_fts (
    rowid BIGINT NOT NULL,
    tsv tsvector NOT NULL
) PARTITION BY RANGE (rowid);
CREATE TABLE disclosure_fts_default PARTITION OF disclosure_fts DEFAULT;
DO $$
DECLARE
    size CONSTANT BIGINT := 100000;
    top BIGINT := (SELECT GREATEST(COALESCE(MAX(id), 0), 0) FROM disclosures);
    lo BIGINT := 0;
BEGIN
    WHILE lo <= top + size LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF disclosure_fts FOR VALUES FROM (%s) TO (%s)',
                       'disclosure_fts_p' || lpad(lo::text, 12, '0'), lo, lo + size);
        lo := lo + size;
    END LOOP;
END $$;
-- Rows first, indexes after: building them in bulk is faster than
-- maintaining them row by row.
INSERT INTO disclosure_fts (rowid, tsv) SELECT rowid, tsv FROM disclosure_fts_unpartitioned;
DROP TABLE disclosure_fts_unpartitioned;
ALTER TABLE disclosure_fts ADD PRIMARY KEY (rowid);
CREATE INDEX disclosure_fts_tsv ON disclosure_fts USING GIN (tsv);
--@end
