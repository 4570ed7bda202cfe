-- Issue 3 — the search's candidates on PostgreSQL, taken partition by
-- partition inside the server (docs/BENCHMARKS.md, "PostgreSQL search in one
-- PL/pgSQL function").
-- Lines between "--@sqlite" / "--@postgres" and "--@end" are for one dialect.

-- SQLite: nothing (FTS5 walks its doclists in id order, one statement).

-- PostgreSQL: `danchu_search_newest(q, want)` returns the `want` newest
-- matches of `q` in `disclosure_fts` (highest ids first), walking the
-- partitions of migration 0003 newest first — the DEFAULT partition, then the
-- ranges from the highest down, read from the catalog at each call — and
-- stopping at the partition that completes them. Each partition is read by a
-- small statement of its own (`EXECUTE`, planned for this query's words with
-- that partition's statistics: GIN bitmap or primary key backwards, 0.1–0.5 ms
-- to plan where the 13-branch `UNION ALL` took 5–15 ms), and each match is
-- ranked (`ts_rank`, title weight A, normalisation 1) on the row just read,
-- then joined to `disclosures` for `published_at` and for `listed` (not
-- withdrawn, audience citizens). Every match counts towards `want`, listed
-- or not: the caller drops the unlisted ones after the bound, as the
-- `UNION ALL` did. `work_mem` is raised for the function because the sort by
-- id carries the `tsvector`s (≈ 1.2 KB each): at 4 MB it spilled to disk
-- before its top-N heap could take over.
--@postgres
CREATE OR REPLACE FUNCTION danchu_search_newest(q tsquery, want integer)
RETURNS TABLE (id bigint, rank real, published_at bigint, listed boolean)
LANGUAGE plpgsql STABLE
SET work_mem = '32MB'
AS $fn$
DECLARE
    part regclass;
    got bigint := 0;
    n bigint;
BEGIN
    FOR part IN
        SELECT c.oid::regclass FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'disclosure_fts'::regclass
        ORDER BY (c.relname = 'disclosure_fts_default') DESC, c.relname DESC
    LOOP
        RETURN QUERY EXECUTE format(
            'SELECT s.rowid, ts_rank(s.tsv, $1, 1), d.published_at, '
            '(d.withdrawn_at IS NULL AND d.audience = ''citizens'') '
            'FROM (SELECT rowid, tsv FROM %s WHERE tsv @@ $1 ORDER BY rowid DESC LIMIT $2) s '
            'LEFT JOIN disclosures d ON d.id = s.rowid', part)
        USING q, want - got;
        GET DIAGNOSTICS n = ROW_COUNT;
        got := got + n;
        EXIT WHEN got >= want;
    END LOOP;
END
$fn$;
--@end
