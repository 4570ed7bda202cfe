//! Consultations (lấy ý kiến): the consultation and its plan, the versions
//! of the draft and their parts, participants, opinions from every channel,
//! statements and their votes, near-duplicate groups, the computed opinion
//! groups, and the roll-up counters in `consultation_counts`.
//!
//! The rules (minimum period, who may take part, what a synthesis needs) are
//! in `danchu_domain::consultation`; every write here is a statement of one
//! caller's transaction and keeps the counters in step.

use crate::db::{id_list, now_ms, opt_i64, Result, Store, StoreError, Tx};
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::HashMap;

/// Not yet published.
pub const DRAFT: &str = "draft";
/// Published: open, upcoming or closed according to its dates.
pub const PUBLISHED: &str = "published";
/// The synthesis is published (R3.5).
pub const SYNTHESISED: &str = "synthesised";

/// A consultation as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Consultation {
    pub id: i64,
    pub unit_id: i64,
    pub unit_path: String,
    pub unit_code: String,
    pub unit_name: String,
    pub unit_kind: String,
    pub village_id: Option<i64>,
    pub village_name: Option<String>,
    pub subject: String,
    pub title: String,
    pub summary: String,
    pub eligibility: String,
    pub opens_on: String,
    pub closes_on: String,
    pub sector_days: Option<i64>,
    pub sector_basis: Option<String>,
    pub plan_content: String,
    /// Channel codes separated by commas.
    pub plan_forms: String,
    pub plan_method: String,
    pub plan_responsibilities: String,
    pub plan_sent_on: Option<String>,
    pub status: String,
    pub version: i64,
    pub published_at: Option<i64>,
    pub disclosure_id: Option<i64>,
    pub synthesis_disclosure_id: Option<i64>,
    pub synthesis_intro: Option<String>,
    pub synthesised_at: Option<i64>,
    pub is_demo: bool,
    pub created_at: i64,
}

const COLS: &str = "c.id, c.unit_id, c.unit_path, u.code AS unit_code, u.name AS unit_name, u.kind AS unit_kind, c.village_id, \
    v.name AS village_name, c.subject, c.title, c.summary, c.eligibility, c.opens_on, c.closes_on, c.sector_days, c.sector_basis, \
    c.plan_content, c.plan_forms, c.plan_method, c.plan_responsibilities, c.plan_sent_on, c.status, c.version, c.published_at, \
    c.disclosure_id, c.synthesis_disclosure_id, c.synthesis_intro, c.synthesised_at, c.is_demo, c.created_at";
const FROM: &str = "consultations c JOIN units u ON u.id = c.unit_id LEFT JOIN units v ON v.id = c.village_id";

fn from_row(r: &AnyRow) -> Result<Consultation> {
    Ok(Consultation {
        id: r.try_get("id")?,
        unit_id: r.try_get("unit_id")?,
        unit_path: r.try_get("unit_path")?,
        unit_code: r.try_get("unit_code")?,
        unit_name: r.try_get("unit_name")?,
        unit_kind: r.try_get("unit_kind")?,
        village_id: opt_i64(r, "village_id")?,
        village_name: r.try_get("village_name")?,
        subject: r.try_get("subject")?,
        title: r.try_get("title")?,
        summary: r.try_get("summary")?,
        eligibility: r.try_get("eligibility")?,
        opens_on: r.try_get("opens_on")?,
        closes_on: r.try_get("closes_on")?,
        sector_days: opt_i64(r, "sector_days")?,
        sector_basis: r.try_get("sector_basis")?,
        plan_content: r.try_get("plan_content")?,
        plan_forms: r.try_get("plan_forms")?,
        plan_method: r.try_get("plan_method")?,
        plan_responsibilities: r.try_get("plan_responsibilities")?,
        plan_sent_on: r.try_get("plan_sent_on")?,
        status: r.try_get("status")?,
        version: r.try_get("version")?,
        published_at: opt_i64(r, "published_at")?,
        disclosure_id: opt_i64(r, "disclosure_id")?,
        synthesis_disclosure_id: opt_i64(r, "synthesis_disclosure_id")?,
        synthesis_intro: r.try_get("synthesis_intro")?,
        synthesised_at: opt_i64(r, "synthesised_at")?,
        is_demo: r.try_get::<i64, _>("is_demo")? != 0,
        created_at: r.try_get("created_at")?,
    })
}

/// What is needed to create a consultation (status draft, version 1).
#[derive(Debug, Clone)]
pub struct NewConsultation<'a> {
    pub unit_id: i64,
    pub unit_path: &'a str,
    pub village_id: Option<i64>,
    pub subject: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub eligibility: &'a str,
    pub opens_on: &'a str,
    pub closes_on: &'a str,
    pub sector_days: Option<i64>,
    pub sector_basis: Option<&'a str>,
    pub plan_content: &'a str,
    pub plan_forms: &'a str,
    pub plan_method: &'a str,
    pub plan_responsibilities: &'a str,
    pub is_demo: bool,
    pub created_by: Option<i64>,
}

/// A part of a draft version, flat in document order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PartRow {
    pub ordinal: i64,
    pub path: String,
    pub kind: String,
    pub number: String,
    pub title: String,
    pub heading: String,
    pub body: String,
    pub parent_ordinal: Option<i64>,
    pub depth: i64,
}

/// A version of the draft as it is stored.
#[derive(Debug, Clone)]
pub struct NewVersion<'a> {
    pub body: &'a str,
    pub structured: bool,
    pub change_note: &'a str,
    pub source_sha256: Option<&'a str>,
    pub parts: &'a [PartRow],
    pub created_by: Option<i64>,
}

/// Creates a consultation with its first draft version.
pub async fn create(tx: &mut Tx, c: &NewConsultation<'_>, v: &NewVersion<'_>) -> Result<i64> {
    let now = now_ms();
    let id: i64 = sqlx::query(
        "INSERT INTO consultations (unit_id, unit_path, village_id, subject, title, summary, eligibility, opens_on, closes_on, \
         sector_days, sector_basis, plan_content, plan_forms, plan_method, plan_responsibilities, status, version, is_demo, \
         created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 1, $17, $18, $19, $19) RETURNING id",
    )
    .bind(c.unit_id)
    .bind(c.unit_path)
    .bind(c.village_id)
    .bind(c.subject)
    .bind(c.title)
    .bind(c.summary)
    .bind(c.eligibility)
    .bind(c.opens_on)
    .bind(c.closes_on)
    .bind(c.sector_days)
    .bind(c.sector_basis)
    .bind(c.plan_content)
    .bind(c.plan_forms)
    .bind(c.plan_method)
    .bind(c.plan_responsibilities)
    .bind(DRAFT)
    .bind(c.is_demo as i64)
    .bind(c.created_by)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    insert_version(tx, id, 1, v).await?;
    Ok(id)
}

async fn insert_version(tx: &mut Tx, id: i64, version: i64, v: &NewVersion<'_>) -> Result<()> {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO consultation_versions (consultation_id, version, body, structured, change_note, source_sha256, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(version)
    .bind(v.body)
    .bind(v.structured as i64)
    .bind(v.change_note)
    .bind(v.source_sha256)
    .bind(v.created_by)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    for p in v.parts {
        sqlx::query(
            "INSERT INTO consultation_parts (consultation_id, version, ordinal, path, kind, number, title, heading, body, parent_ordinal, depth) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(id)
        .bind(version)
        .bind(p.ordinal)
        .bind(&p.path)
        .bind(&p.kind)
        .bind(&p.number)
        .bind(&p.title)
        .bind(&p.heading)
        .bind(&p.body)
        .bind(p.parent_ordinal)
        .bind(p.depth)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Adds a new version of the draft; comments stay on the version they were
/// made on. Returns the new version number.
pub async fn add_version(tx: &mut Tx, id: i64, v: &NewVersion<'_>) -> Result<i64> {
    let row = sqlx::query("UPDATE consultations SET version = version + 1, updated_at = $2 WHERE id = $1 RETURNING version")
        .bind(id)
        .bind(now_ms())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    let version: i64 = row.try_get("version")?;
    insert_version(tx, id, version, v).await?;
    Ok(version)
}

/// Changes the editable fields of a consultation that is still a draft.
pub async fn update_draft(tx: &mut Tx, id: i64, c: &NewConsultation<'_>) -> Result<bool> {
    let n = sqlx::query(
        "UPDATE consultations SET village_id = $2, subject = $3, title = $4, summary = $5, eligibility = $6, opens_on = $7, \
         closes_on = $8, sector_days = $9, sector_basis = $10, plan_content = $11, plan_forms = $12, plan_method = $13, \
         plan_responsibilities = $14, updated_at = $15 WHERE id = $1 AND status = $16",
    )
    .bind(id)
    .bind(c.village_id)
    .bind(c.subject)
    .bind(c.title)
    .bind(c.summary)
    .bind(c.eligibility)
    .bind(c.opens_on)
    .bind(c.closes_on)
    .bind(c.sector_days)
    .bind(c.sector_basis)
    .bind(c.plan_content)
    .bind(c.plan_forms)
    .bind(c.plan_method)
    .bind(c.plan_responsibilities)
    .bind(now_ms())
    .bind(DRAFT)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Publishes a draft consultation: it opens on its `opens_on`. Returns false
/// when it was already published (a double click).
pub async fn publish(tx: &mut Tx, id: i64, disclosure_id: Option<i64>) -> Result<bool> {
    let n = sqlx::query(
        "UPDATE consultations SET status = $2, published_at = $3, disclosure_id = $4, updated_at = $3 WHERE id = $1 AND status = $5",
    )
    .bind(id)
    .bind(PUBLISHED)
    .bind(now_ms())
    .bind(disclosure_id)
    .bind(DRAFT)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Records the day the plan was sent to the bodies the law names (R3.3).
pub async fn set_plan_sent(tx: &mut Tx, id: i64, on: &str) -> Result<()> {
    sqlx::query("UPDATE consultations SET plan_sent_on = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(on)
        .bind(now_ms())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Marks the consultation synthesised (R3.5). False when it was not in the
/// published state (already synthesised, or never published).
pub async fn mark_synthesised(tx: &mut Tx, id: i64, disclosure_id: Option<i64>, intro: &str) -> Result<bool> {
    let now = now_ms();
    let n = sqlx::query(
        "UPDATE consultations SET status = $2, synthesis_disclosure_id = $3, synthesis_intro = $4, synthesised_at = $5, updated_at = $5 \
         WHERE id = $1 AND status = $6",
    )
    .bind(id)
    .bind(SYNTHESISED)
    .bind(disclosure_id)
    .bind(intro)
    .bind(now)
    .bind(PUBLISHED)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// One consultation.
pub async fn get(store: &Store, id: i64) -> Result<Option<Consultation>> {
    let sql = format!("SELECT {COLS} FROM {FROM} WHERE c.id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(store.reader()).await?;
    row.map(|r| from_row(&r)).transpose()
}

/// One consultation, read in a write transaction (locks nothing; the
/// conditional updates guard the state changes).
pub async fn get_tx(tx: &mut Tx, id: i64) -> Result<Option<Consultation>> {
    let sql = format!("SELECT {COLS} FROM {FROM} WHERE c.id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut **tx).await?;
    row.map(|r| from_row(&r)).transpose()
}

/// The consultations of one unit, newest opening first (drafts included
/// when `with_drafts`).
pub async fn list_for_unit(store: &Store, unit_id: i64, with_drafts: bool, limit: i64) -> Result<Vec<Consultation>> {
    let filter = if with_drafts { "" } else { " AND c.status <> 'draft'" };
    let sql = format!("SELECT {COLS} FROM {FROM} WHERE c.unit_id = $1{filter} ORDER BY c.opens_on DESC, c.id DESC LIMIT $2");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(unit_id).bind(limit).fetch_all(store.reader()).await?;
    rows.iter().map(from_row).collect()
}

/// Published consultations in a unit's subtree still open on `today` (or
/// upcoming), closing soonest first: the province's and a unit's "open
/// consultations" lists and feeds.
pub async fn list_open(store: &Store, path_prefix: &str, today: &str, limit: i64) -> Result<Vec<Consultation>> {
    let sql = format!(
        "SELECT {COLS} FROM {FROM} WHERE c.status = 'published' AND c.closes_on >= $1 \
         AND c.unit_path LIKE $2 ORDER BY c.closes_on, c.id LIMIT $3"
    );
    // Unit paths end with "/" ("/1/5/"), so a prefix match is the subtree.
    let rows =
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(today).bind(format!("{path_prefix}%")).bind(limit).fetch_all(store.reader()).await?;
    rows.iter().map(from_row).collect()
}

/// The consultations whose opening was published as one of these disclosure
/// items (the feeds show their days left); one query whatever the number.
pub async fn by_opening_items(store: &Store, disclosure_ids: &[i64]) -> Result<Vec<Consultation>> {
    if disclosure_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT {COLS} FROM {FROM} WHERE c.disclosure_id IN ({})", id_list(disclosure_ids));
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(store.reader()).await?;
    rows.iter().map(from_row).collect()
}

const PART_COLS: &str = "ordinal, path, kind, number, title, heading, body, parent_ordinal, depth";

fn part_from(r: &AnyRow) -> Result<PartRow> {
    Ok(PartRow {
        ordinal: r.try_get("ordinal")?,
        path: r.try_get("path")?,
        kind: r.try_get("kind")?,
        number: r.try_get("number")?,
        title: r.try_get("title")?,
        heading: r.try_get("heading")?,
        body: r.try_get("body")?,
        parent_ordinal: opt_i64(r, "parent_ordinal")?,
        depth: r.try_get("depth")?,
    })
}

/// The parts of one version, in document order.
pub async fn parts(store: &Store, id: i64, version: i64) -> Result<Vec<PartRow>> {
    let sql = format!("SELECT {PART_COLS} FROM consultation_parts WHERE consultation_id = $1 AND version = $2 ORDER BY ordinal");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).bind(version).fetch_all(store.reader()).await?;
    rows.iter().map(part_from).collect()
}

/// One part and everything under it (its sections, articles, clauses and
/// points), in document order; empty when the version has no such part.
pub async fn part_subtree(store: &Store, id: i64, version: i64, path: &str) -> Result<Vec<PartRow>> {
    let sql = format!(
        "SELECT {PART_COLS} FROM consultation_parts WHERE consultation_id = $1 AND version = $2 AND ordinal >= \
         (SELECT ordinal FROM consultation_parts WHERE consultation_id = $1 AND version = $2 AND path = $3) ORDER BY ordinal LIMIT 2000"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).bind(version).bind(path).fetch_all(store.reader()).await?;
    let mut out: Vec<PartRow> = Vec::new();
    for r in &rows {
        let p = part_from(r)?;
        if let Some(first) = out.first() {
            if p.depth <= first.depth {
                break;
            }
        }
        out.push(p);
    }
    Ok(out)
}

/// The outline of one version: (path, heading, depth) of every part, in
/// document order, without the text (for part selectors and labels).
pub async fn part_outline(store: &Store, id: i64, version: i64) -> Result<Vec<(String, String, i64)>> {
    let rows =
        sqlx::query("SELECT path, heading, depth FROM consultation_parts WHERE consultation_id = $1 AND version = $2 ORDER BY ordinal")
            .bind(id)
            .bind(version)
            .fetch_all(store.reader())
            .await?;
    rows.iter().map(|r| Ok((r.try_get("path")?, r.try_get("heading")?, r.try_get("depth")?))).collect()
}

/// Whether a version has a part with this path.
pub async fn part_exists(store: &Store, id: i64, version: i64, path: &str) -> Result<bool> {
    Ok(sqlx::query("SELECT 1 AS one FROM consultation_parts WHERE consultation_id = $1 AND version = $2 AND path = $3")
        .bind(id)
        .bind(version)
        .bind(path)
        .fetch_optional(store.reader())
        .await?
        .is_some())
}

/// A stored version of the draft.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VersionRow {
    pub version: i64,
    pub body: String,
    pub structured: bool,
    pub change_note: String,
    pub created_at: i64,
}

/// Every version, oldest first.
pub async fn versions(store: &Store, id: i64) -> Result<Vec<VersionRow>> {
    let rows = sqlx::query(
        "SELECT version, body, structured, change_note, created_at FROM consultation_versions WHERE consultation_id = $1 ORDER BY version",
    )
    .bind(id)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(VersionRow {
                version: r.try_get("version")?,
                body: r.try_get("body")?,
                structured: r.try_get::<i64, _>("structured")? != 0,
                change_note: r.try_get("change_note")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Counters
// ---------------------------------------------------------------------------

/// Adds `delta` to one counter of a consultation (in the write's transaction).
pub async fn bump(tx: &mut Tx, id: i64, key: &str, delta: i64) -> Result<()> {
    if delta == 0 {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO consultation_counts (consultation_id, key, n) VALUES ($1, $2, $3) \
         ON CONFLICT (consultation_id, key) DO UPDATE SET n = consultation_counts.n + excluded.n",
    )
    .bind(id)
    .bind(key)
    .bind(delta)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Adds several deltas to a consultation's counters in one statement.
pub async fn bump_many(tx: &mut Tx, id: i64, deltas: &[(&str, i64)]) -> Result<()> {
    let deltas: Vec<&(&str, i64)> = deltas.iter().filter(|(_, d)| *d != 0).collect();
    if deltas.is_empty() {
        return Ok(());
    }
    let values = (0..deltas.len()).map(|i| format!("($1, ${}, ${})", 2 * i + 2, 2 * i + 3)).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "INSERT INTO consultation_counts (consultation_id, key, n) VALUES {values} \
         ON CONFLICT (consultation_id, key) DO UPDATE SET n = consultation_counts.n + excluded.n"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id);
    for (k, d) in deltas {
        q = q.bind(*k).bind(*d);
    }
    q.execute(&mut **tx).await?;
    Ok(())
}

/// Shards of the counters every comment and every new participant update.
/// On PostgreSQL concurrent writers would otherwise queue on one row per
/// counter; a write adds to `key@shard` (the shard from the new row's id)
/// and a read sums `key` and its shards.
const SHARDS: i64 = 8;

/// The stored key of a counter in a shard.
fn sharded(key: &str, row_id: i64) -> String {
    format!("{key}@{}", row_id.rem_euclid(SHARDS))
}

/// A stored key without its shard.
fn base_key(key: &str) -> &str {
    key.split_once('@').map(|(k, _)| k).unwrap_or(key)
}

/// Every counter of a consultation (one query), shards summed.
pub async fn counts(store: &Store, id: i64) -> Result<HashMap<String, i64>> {
    let rows = sqlx::query("SELECT key, n FROM consultation_counts WHERE consultation_id = $1").bind(id).fetch_all(store.reader()).await?;
    let mut out: HashMap<String, i64> = HashMap::with_capacity(rows.len());
    for r in &rows {
        let key: String = r.try_get("key")?;
        *out.entry(base_key(&key).to_string()).or_insert(0) += r.try_get::<i64, _>("n")?;
    }
    Ok(out)
}

/// Rebuilds every counter of a consultation from the rows (repair).
pub async fn recount(tx: &mut Tx, id: i64) -> Result<()> {
    sqlx::query("DELETE FROM consultation_counts WHERE consultation_id = $1").bind(id).execute(&mut **tx).await?;
    let stmts = [
        "SELECT 'comments' AS key, COUNT(*) AS n FROM consultation_comments WHERE consultation_id = $1",
        "SELECT 'visible' AS key, COUNT(*) AS n FROM consultation_comments WHERE consultation_id = $1 AND hidden_reason IS NULL",
        "SELECT 'unanswered' AS key, COUNT(*) AS n FROM consultation_comments WHERE consultation_id = $1 AND hidden_reason IS NULL \
         AND response_kind IS NULL",
        "SELECT 'participants' AS key, COUNT(*) AS n FROM consultation_participants WHERE consultation_id = $1",
        "SELECT 'votes' AS key, COUNT(*) AS n FROM consultation_votes WHERE consultation_id = $1",
        "SELECT 'pending_statements' AS key, COUNT(*) AS n FROM consultation_statements WHERE consultation_id = $1 AND state = 'pending'",
        "SELECT 'hidden:' || hidden_reason AS key, COUNT(*) AS n FROM consultation_comments WHERE consultation_id = $1 \
         AND hidden_reason IS NOT NULL GROUP BY hidden_reason",
        "SELECT 'channel:' || channel AS key, COUNT(*) AS n FROM consultation_comments WHERE consultation_id = $1 \
         AND hidden_reason IS NULL GROUP BY channel",
        "SELECT 'part:' || CAST(version AS TEXT) || ':' || part_path AS key, COUNT(*) AS n FROM consultation_comments \
         WHERE consultation_id = $1 AND hidden_reason IS NULL AND part_path IS NOT NULL GROUP BY version, part_path",
    ];
    for sql in stmts {
        let rows = sqlx::query(sql).bind(id).fetch_all(&mut **tx).await?;
        for r in rows {
            let key: String = r.try_get("key")?;
            let n: i64 = r.try_get("n")?;
            if n != 0 {
                sqlx::query("INSERT INTO consultation_counts (consultation_id, key, n) VALUES ($1, $2, $3)")
                    .bind(id)
                    .bind(key)
                    .bind(n)
                    .execute(&mut **tx)
                    .await?;
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Participants
// ---------------------------------------------------------------------------

/// Who a participant is, for finding or creating their row.
#[derive(Debug, Clone, Copy)]
pub enum Who<'a> {
    User(i64),
    Person(i64),
    /// A browser: the SHA-256 of its token.
    Key(&'a str),
}

/// A participant row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    pub id: i64,
    pub village_id: Option<i64>,
    pub display_name: Option<String>,
    /// Created by this call (it has posted nothing yet).
    pub created: bool,
}

/// Finds a participant without creating one.
pub async fn find_participant(store: &Store, id: i64, who: Who<'_>) -> Result<Option<Participant>> {
    let row = participant_query(who, id).fetch_optional(store.reader()).await?;
    row.map(|r| participant_from(&r)).transpose()
}

fn participant_query<'q>(who: Who<'q>, id: i64) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    match who {
        Who::User(u) => {
            sqlx::query("SELECT id, village_id, display_name FROM consultation_participants WHERE consultation_id = $1 AND user_id = $2")
                .bind(id)
                .bind(u)
        }
        Who::Person(p) => {
            sqlx::query("SELECT id, village_id, display_name FROM consultation_participants WHERE consultation_id = $1 AND person_id = $2")
                .bind(id)
                .bind(p)
        }
        Who::Key(k) => sqlx::query(
            "SELECT p.id, p.village_id, p.display_name FROM consultation_participant_keys k \
             JOIN consultation_participants p ON p.id = k.participant_id WHERE p.consultation_id = $1 AND k.key_hash = $2",
        )
        .bind(id)
        .bind(k),
    }
}

fn participant_from(r: &AnyRow) -> Result<Participant> {
    Ok(Participant {
        id: r.try_get("id")?,
        village_id: opt_i64(r, "village_id")?,
        display_name: r.try_get("display_name")?,
        created: false,
    })
}

/// Finds or creates the participant (counting a new one). A browser key is
/// attached to the participant so the same browser is recognised.
pub async fn participant(
    tx: &mut Tx,
    id: i64,
    who: Who<'_>,
    village_id: Option<i64>,
    display_name: Option<&str>,
    key_hash: Option<&str>,
) -> Result<Participant> {
    if let Some(r) = participant_query(who, id).fetch_optional(&mut **tx).await? {
        let p = participant_from(&r)?;
        if let (Some(name), true) = (display_name, p.display_name.as_deref() != display_name) {
            sqlx::query("UPDATE consultation_participants SET display_name = $2 WHERE id = $1")
                .bind(p.id)
                .bind(name)
                .execute(&mut **tx)
                .await?;
        }
        if let (Some(k), Who::Person(_)) = (key_hash, who) {
            attach_key(tx, p.id, k).await?;
        }
        return Ok(Participant { display_name: display_name.map(str::to_string).or(p.display_name), ..p });
    }
    let (user_id, person_id) = match who {
        Who::User(u) => (Some(u), None),
        Who::Person(p) => (None, Some(p)),
        Who::Key(_) => (None, None),
    };
    let pid: i64 = sqlx::query(
        "INSERT INTO consultation_participants (consultation_id, user_id, person_id, village_id, display_name, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(id)
    .bind(user_id)
    .bind(person_id)
    .bind(village_id)
    .bind(display_name)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    match (who, key_hash) {
        (Who::Key(k), _) | (Who::Person(_), Some(k)) => attach_key(tx, pid, k).await?,
        _ => {}
    }
    bump(tx, id, &sharded("participants", pid), 1).await?;
    Ok(Participant { id: pid, village_id, display_name: display_name.map(str::to_string), created: true })
}

/// Creates the participant of a browser key that is new (its token was
/// made for this request, so no participant can hold it yet): the insert
/// without the lookup of [`participant`].
pub async fn new_key_participant(tx: &mut Tx, id: i64, key_hash: &str, display_name: Option<&str>) -> Result<Participant> {
    let now = now_ms();
    if crate::db::tx_backend(tx) == crate::db::Backend::Postgres {
        // One statement (one round trip) for the participant, its key and
        // its counter shard.
        let pid: i64 = sqlx::query(
            "WITH p AS (INSERT INTO consultation_participants (consultation_id, user_id, person_id, village_id, display_name, created_at) \
               VALUES ($1, NULL, NULL, NULL, $2, $3) RETURNING id), \
             k AS (INSERT INTO consultation_participant_keys (key_hash, participant_id, created_at) SELECT $4, id, $3 FROM p \
               ON CONFLICT (key_hash) DO UPDATE SET participant_id = excluded.participant_id), \
             c AS (INSERT INTO consultation_counts (consultation_id, key, n) SELECT $1, 'participants@' || (id % $5), 1 FROM p \
               ON CONFLICT (consultation_id, key) DO UPDATE SET n = consultation_counts.n + excluded.n) \
             SELECT id FROM p",
        )
        .bind(id)
        .bind(display_name)
        .bind(now)
        .bind(key_hash)
        .bind(SHARDS)
        .fetch_one(&mut **tx)
        .await?
        .try_get("id")?;
        return Ok(Participant { id: pid, village_id: None, display_name: display_name.map(str::to_string), created: true });
    }
    let pid: i64 = sqlx::query(
        "INSERT INTO consultation_participants (consultation_id, user_id, person_id, village_id, display_name, created_at) \
         VALUES ($1, NULL, NULL, NULL, $2, $3) RETURNING id",
    )
    .bind(id)
    .bind(display_name)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    attach_key(tx, pid, key_hash).await?;
    bump(tx, id, &sharded("participants", pid), 1).await?;
    Ok(Participant { id: pid, village_id: None, display_name: display_name.map(str::to_string), created: true })
}

async fn attach_key(tx: &mut Tx, participant_id: i64, key_hash: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO consultation_participant_keys (key_hash, participant_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (key_hash) DO UPDATE SET participant_id = excluded.participant_id",
    )
    .bind(key_hash)
    .bind(participant_id)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Comments
// ---------------------------------------------------------------------------

/// An opinion to store.
#[derive(Debug, Clone)]
pub struct NewComment<'a> {
    pub consultation_id: i64,
    pub version: i64,
    pub part_path: Option<&'a str>,
    pub participant_id: Option<i64>,
    pub channel: &'a str,
    pub source: &'a str,
    pub author_name: Option<&'a str>,
    pub author_household_id: Option<i64>,
    pub body: &'a str,
    pub folded: &'a str,
    pub signature: Option<&'a [u8]>,
    pub idem_key: &'a str,
    pub created_on: &'a str,
    pub entered_by: Option<i64>,
}

/// Stores an opinion once: a second submission with the same idempotency
/// key returns the first one's id and `false`.
pub async fn add_comment(tx: &mut Tx, c: &NewComment<'_>) -> Result<(i64, bool)> {
    let channel_key = format!("channel:{}", c.channel);
    let part_key = c.part_path.map(|p| format!("part:{}:{p}", c.version));
    let pg = crate::db::tx_backend(tx) == crate::db::Backend::Postgres;
    // PostgreSQL: the comment and its counter shards in one statement.
    let counts = if pg {
        "WITH ins AS (INSERT INTO consultation_comments (consultation_id, version, part_path, participant_id, channel, source, \
           author_name, author_household_id, body, folded, signature, idem_key, created_on, entered_by, created_at) \
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) ON CONFLICT (idem_key) DO NOTHING RETURNING id), \
         c AS (INSERT INTO consultation_counts (consultation_id, key, n) \
           SELECT $1, k || '@' || (ins.id % $16), 1 FROM ins, unnest(ARRAY['comments', 'visible', 'unanswered', $17, $18]) AS k \
           WHERE k IS NOT NULL \
           ON CONFLICT (consultation_id, key) DO UPDATE SET n = consultation_counts.n + excluded.n) \
         SELECT id FROM ins"
    } else {
        "INSERT INTO consultation_comments (consultation_id, version, part_path, participant_id, channel, source, author_name, \
         author_household_id, body, folded, signature, idem_key, created_on, entered_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) ON CONFLICT (idem_key) DO NOTHING RETURNING id"
    };
    let mut q = sqlx::query(counts)
        .bind(c.consultation_id)
        .bind(c.version)
        .bind(c.part_path)
        .bind(c.participant_id)
        .bind(c.channel)
        .bind(c.source)
        .bind(c.author_name)
        .bind(c.author_household_id)
        .bind(c.body)
        .bind(c.folded)
        .bind(c.signature)
        .bind(c.idem_key)
        .bind(c.created_on)
        .bind(c.entered_by)
        .bind(now_ms());
    if pg {
        q = q.bind(SHARDS).bind(channel_key.as_str()).bind(part_key.as_deref());
    }
    let row = q.fetch_optional(&mut **tx).await?;
    let Some(row) = row else {
        let id: i64 = sqlx::query("SELECT id FROM consultation_comments WHERE idem_key = $1")
            .bind(c.idem_key)
            .fetch_one(&mut **tx)
            .await?
            .try_get("id")?;
        return Ok((id, false));
    };
    let id: i64 = row.try_get("id")?;
    if !pg {
        let keys = [sharded("comments", id), sharded("visible", id), sharded("unanswered", id), sharded(&channel_key, id)];
        let part = part_key.map(|p| sharded(&p, id));
        let mut deltas: Vec<(&str, i64)> = keys.iter().map(|k| (k.as_str(), 1)).collect();
        if let Some(p) = &part {
            deltas.push((p.as_str(), 1));
        }
        bump_many(tx, c.consultation_id, &deltas).await?;
    }
    Ok((id, true))
}

/// The same participant's earlier comment with the same folded text on the
/// same part, if any (a repeated comment is stored once).
pub async fn same_comment(tx: &mut Tx, participant_id: i64, part_path: Option<&str>, folded: &str) -> Result<Option<i64>> {
    let row = sqlx::query(
        "SELECT id FROM consultation_comments WHERE participant_id = $1 AND folded = $2 AND COALESCE(part_path, '') = $3 LIMIT 1",
    )
    .bind(participant_id)
    .bind(folded)
    .bind(part_path.unwrap_or(""))
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| r.try_get("id").map_err(Into::into)).transpose()
}

/// How many comments a participant posted on a day.
pub async fn posted_on(tx: &mut Tx, participant_id: i64, day: &str) -> Result<i64> {
    Ok(sqlx::query("SELECT COUNT(*) AS n FROM consultation_comments WHERE participant_id = $1 AND created_on = $2")
        .bind(participant_id)
        .bind(day)
        .fetch_one(&mut **tx)
        .await?
        .try_get("n")?)
}

/// A comment as shown.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CommentRow {
    pub id: i64,
    pub version: i64,
    pub part_path: Option<String>,
    pub channel: String,
    pub source: String,
    pub author_name: Option<String>,
    pub display_name: Option<String>,
    pub village_name: Option<String>,
    pub body: String,
    pub created_at: i64,
    pub hidden_reason: Option<String>,
    pub group_id: Option<i64>,
    pub response_kind: Option<String>,
    pub response_text: Option<String>,
    /// Whether the participant is the one asking (own comments).
    pub participant_id: Option<i64>,
}

const COMMENT_COLS: &str = "m.id, m.version, m.part_path, m.channel, m.source, m.author_name, p.display_name, v.name AS village_name, \
    m.body, m.created_at, m.hidden_reason, m.group_id, m.response_kind, m.response_text, m.participant_id";
const COMMENT_FROM: &str = "consultation_comments m LEFT JOIN consultation_participants p ON p.id = m.participant_id \
    LEFT JOIN units v ON v.id = p.village_id";

fn comment_from(r: &AnyRow) -> Result<CommentRow> {
    Ok(CommentRow {
        id: r.try_get("id")?,
        version: r.try_get("version")?,
        part_path: r.try_get("part_path")?,
        channel: r.try_get("channel")?,
        source: r.try_get("source")?,
        author_name: r.try_get("author_name")?,
        display_name: r.try_get("display_name")?,
        village_name: r.try_get("village_name")?,
        body: r.try_get("body")?,
        created_at: r.try_get("created_at")?,
        hidden_reason: r.try_get("hidden_reason")?,
        group_id: opt_i64(r, "group_id")?,
        response_kind: r.try_get("response_kind")?,
        response_text: r.try_get("response_text")?,
        participant_id: opt_i64(r, "participant_id")?,
    })
}

/// Which comments a page lists.
#[derive(Debug, Clone, Default)]
pub struct CommentFilter<'a> {
    /// `Some("")`: comments on the whole draft; `Some(path)`: one part.
    pub part: Option<&'a str>,
    pub version: Option<i64>,
    pub include_hidden: bool,
    pub only_unanswered: bool,
    pub group_id: Option<i64>,
}

/// One page of comments, oldest first after `after_id` (cursor).
pub async fn comments(store: &Store, id: i64, f: &CommentFilter<'_>, after_id: i64, limit: i64) -> Result<Vec<CommentRow>> {
    let mut sql = format!("SELECT {COMMENT_COLS} FROM {COMMENT_FROM} WHERE m.consultation_id = $1 AND m.id > $2");
    if !f.include_hidden {
        sql.push_str(" AND m.hidden_reason IS NULL");
    }
    if f.only_unanswered {
        sql.push_str(" AND m.response_kind IS NULL");
    }
    match f.part {
        Some("") => sql.push_str(" AND m.part_path IS NULL"),
        Some(_) => sql.push_str(" AND m.part_path = $4"),
        None => {}
    }
    if let Some(v) = f.version {
        sql.push_str(&format!(" AND m.version = {v}"));
    }
    if let Some(g) = f.group_id {
        sql.push_str(&format!(" AND m.group_id = {g}"));
    }
    sql.push_str(" ORDER BY m.id LIMIT $3");
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).bind(after_id).bind(limit);
    if let Some(part) = f.part.filter(|p| !p.is_empty()) {
        q = q.bind(part);
    }
    let rows = q.fetch_all(store.reader()).await?;
    rows.iter().map(comment_from).collect()
}

/// One comment.
pub async fn comment(store: &Store, comment_id: i64) -> Result<Option<(i64, CommentRow)>> {
    let sql = format!("SELECT m.consultation_id, {COMMENT_COLS} FROM {COMMENT_FROM} WHERE m.id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(comment_id).fetch_optional(store.reader()).await?;
    row.map(|r| Ok((r.try_get::<i64, _>("consultation_id")?, comment_from(&r)?))).transpose()
}

/// Hides a comment with a reason from the fixed list. False if it was
/// already hidden.
pub async fn hide_comment(tx: &mut Tx, comment_id: i64, reason: &str, by: i64) -> Result<bool> {
    let row = sqlx::query(
        "UPDATE consultation_comments SET hidden_reason = $2, hidden_by = $3, hidden_at = $4 WHERE id = $1 AND hidden_reason IS NULL \
         RETURNING consultation_id, version, part_path, channel, response_kind",
    )
    .bind(comment_id)
    .bind(reason)
    .bind(by)
    .bind(now_ms())
    .fetch_optional(&mut **tx)
    .await?;
    let Some(r) = row else { return Ok(false) };
    let cid: i64 = r.try_get("consultation_id")?;
    let version: i64 = r.try_get("version")?;
    let part: Option<String> = r.try_get("part_path")?;
    let channel: String = r.try_get("channel")?;
    let answered = r.try_get::<Option<String>, _>("response_kind")?.is_some();
    bump(tx, cid, "visible", -1).await?;
    bump(tx, cid, &format!("hidden:{reason}"), 1).await?;
    bump(tx, cid, &format!("channel:{channel}"), -1).await?;
    if let Some(p) = part {
        bump(tx, cid, &format!("part:{version}:{p}"), -1).await?;
    }
    if !answered {
        bump(tx, cid, "unanswered", -1).await?;
    }
    Ok(true)
}

/// Records the response to one comment (R3.5). Returns false when the
/// comment does not belong to the consultation or is hidden.
pub async fn respond(tx: &mut Tx, consultation_id: i64, comment_id: i64, kind: &str, text: &str, by: i64) -> Result<bool> {
    let before =
        sqlx::query("SELECT response_kind FROM consultation_comments WHERE id = $1 AND consultation_id = $2 AND hidden_reason IS NULL")
            .bind(comment_id)
            .bind(consultation_id)
            .fetch_optional(&mut **tx)
            .await?;
    let Some(before) = before else { return Ok(false) };
    let was_answered = before.try_get::<Option<String>, _>("response_kind")?.is_some();
    sqlx::query(
        "UPDATE consultation_comments SET response_kind = $2, response_text = $3, responded_by = $4, responded_at = $5 WHERE id = $1",
    )
    .bind(comment_id)
    .bind(kind)
    .bind(text)
    .bind(by)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    if !was_answered {
        bump(tx, consultation_id, "unanswered", -1).await?;
    }
    Ok(true)
}

/// Records one response for every visible comment of a group. Returns the
/// number of comments answered.
pub async fn respond_group(tx: &mut Tx, consultation_id: i64, group_id: i64, kind: &str, text: &str, by: i64) -> Result<u64> {
    let unanswered: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM consultation_comments WHERE consultation_id = $1 AND group_id = $2 AND hidden_reason IS NULL \
         AND response_kind IS NULL",
    )
    .bind(consultation_id)
    .bind(group_id)
    .fetch_one(&mut **tx)
    .await?
    .try_get("n")?;
    let n = sqlx::query(
        "UPDATE consultation_comments SET response_kind = $3, response_text = $4, responded_by = $5, responded_at = $6 \
         WHERE consultation_id = $1 AND group_id = $2 AND hidden_reason IS NULL",
    )
    .bind(consultation_id)
    .bind(group_id)
    .bind(kind)
    .bind(text)
    .bind(by)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    sqlx::query("UPDATE consultation_comment_groups SET unanswered = 0 WHERE id = $1").bind(group_id).execute(&mut **tx).await?;
    bump(tx, consultation_id, "unanswered", -unanswered).await?;
    Ok(n)
}

/// Text of every visible comment, for the grouping job: (id, folded, part).
pub async fn texts_for_grouping(store: &Store, id: i64) -> Result<Vec<(i64, String, Option<String>, bool)>> {
    let rows = sqlx::query(
        "SELECT id, folded, part_path, response_kind FROM consultation_comments WHERE consultation_id = $1 AND hidden_reason IS NULL ORDER BY id",
    )
    .bind(id)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("id")?,
                r.try_get("folded")?,
                r.try_get("part_path")?,
                r.try_get::<Option<String>, _>("response_kind")?.is_some(),
            ))
        })
        .collect()
}

/// A group of near-duplicate comments to store.
#[derive(Debug, Clone)]
pub struct NewGroup {
    pub representative_id: i64,
    pub members: Vec<i64>,
    pub unanswered: i64,
    pub part_path: Option<String>,
}

/// Replaces the groups of a consultation (the grouping job's output).
pub async fn replace_groups(tx: &mut Tx, id: i64, groups: &[NewGroup]) -> Result<()> {
    sqlx::query("UPDATE consultation_comments SET group_id = NULL WHERE consultation_id = $1 AND group_id IS NOT NULL")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM consultation_comment_groups WHERE consultation_id = $1").bind(id).execute(&mut **tx).await?;
    let now = now_ms();
    for g in groups {
        let gid: i64 = sqlx::query(
            "INSERT INTO consultation_comment_groups (consultation_id, representative_id, size, unanswered, part_path, computed_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(id)
        .bind(g.representative_id)
        .bind(g.members.len() as i64)
        .bind(g.unanswered)
        .bind(&g.part_path)
        .bind(now)
        .fetch_one(&mut **tx)
        .await?
        .try_get("id")?;
        for chunk in g.members.chunks(500) {
            let sql = format!("UPDATE consultation_comments SET group_id = $1 WHERE consultation_id = $2 AND id IN ({})", id_list(chunk));
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(gid).bind(id).execute(&mut **tx).await?;
        }
    }
    Ok(())
}

/// A group as listed: its representative comment and size.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GroupRow {
    pub id: i64,
    pub size: i64,
    pub unanswered: i64,
    pub part_path: Option<String>,
    pub representative: CommentRow,
}

/// Groups of a consultation, largest first (only groups of 2 or more when
/// `min_size` is 2).
pub async fn groups(store: &Store, id: i64, min_size: i64, offset: i64, limit: i64) -> Result<Vec<GroupRow>> {
    let sql = format!(
        "SELECT g.id AS gid, g.size, g.unanswered, g.part_path AS gpart, {COMMENT_COLS} FROM consultation_comment_groups g \
         JOIN consultation_comments m ON m.id = g.representative_id LEFT JOIN consultation_participants p ON p.id = m.participant_id \
         LEFT JOIN units v ON v.id = p.village_id WHERE g.consultation_id = $1 AND g.size >= $2 \
         ORDER BY g.unanswered > 0 DESC, g.size DESC, g.id LIMIT $3 OFFSET $4"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).bind(min_size).bind(limit).bind(offset).fetch_all(store.reader()).await?;
    rows.iter()
        .map(|r| {
            Ok(GroupRow {
                id: r.try_get("gid")?,
                size: r.try_get("size")?,
                unanswered: r.try_get("unanswered")?,
                part_path: r.try_get("gpart")?,
                representative: comment_from(r)?,
            })
        })
        .collect()
}

/// Number of groups (and groups of 2 or more).
pub async fn group_totals(store: &Store, id: i64) -> Result<(i64, i64)> {
    let r = sqlx::query(
        "SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN size > 1 THEN 1 ELSE 0 END), 0) AS multi FROM consultation_comment_groups \
         WHERE consultation_id = $1",
    )
    .bind(id)
    .fetch_one(store.reader())
    .await?;
    Ok((r.try_get("n")?, r.try_get("multi")?))
}

// ---------------------------------------------------------------------------
// Statements and votes
// ---------------------------------------------------------------------------

/// A statement as shown.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StatementRow {
    pub id: i64,
    pub body: String,
    pub state: String,
    pub hidden_reason: Option<String>,
    pub agree: i64,
    pub disagree: i64,
    pub pass: i64,
    pub follows_majority: Option<bool>,
    pub justification: Option<String>,
    pub by_participant: bool,
}

const STATEMENT_COLS: &str =
    "id, body, state, hidden_reason, agree, disagree, pass, follows_majority, justification, author_participant_id";

fn statement_from(r: &AnyRow) -> Result<StatementRow> {
    Ok(StatementRow {
        id: r.try_get("id")?,
        body: r.try_get("body")?,
        state: r.try_get("state")?,
        hidden_reason: r.try_get("hidden_reason")?,
        agree: r.try_get("agree")?,
        disagree: r.try_get("disagree")?,
        pass: r.try_get("pass")?,
        follows_majority: opt_i64(r, "follows_majority")?.map(|v| v != 0),
        justification: r.try_get("justification")?,
        by_participant: opt_i64(r, "author_participant_id")?.is_some(),
    })
}

/// Adds a statement once per idempotency key; `(id, created)`.
#[allow(clippy::too_many_arguments)]
pub async fn add_statement(
    tx: &mut Tx,
    id: i64,
    body: &str,
    folded: &str,
    state: &str,
    author_participant_id: Option<i64>,
    created_by: Option<i64>,
    idem_key: &str,
) -> Result<(i64, bool)> {
    let row = sqlx::query(
        "INSERT INTO consultation_statements (consultation_id, body, folded, state, author_participant_id, created_by, idem_key, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (idem_key) DO NOTHING RETURNING id",
    )
    .bind(id)
    .bind(body)
    .bind(folded)
    .bind(state)
    .bind(author_participant_id)
    .bind(created_by)
    .bind(idem_key)
    .bind(now_ms())
    .fetch_optional(&mut **tx)
    .await?;
    match row {
        Some(r) => {
            if state == "pending" {
                bump(tx, id, "pending_statements", 1).await?;
            }
            Ok((r.try_get("id")?, true))
        }
        None => {
            let sid: i64 = sqlx::query("SELECT id FROM consultation_statements WHERE idem_key = $1")
                .bind(idem_key)
                .fetch_one(&mut **tx)
                .await?
                .try_get("id")?;
            Ok((sid, false))
        }
    }
}

/// Whether a statement with the same folded text exists in the consultation.
pub async fn statement_exists(tx: &mut Tx, id: i64, folded: &str) -> Result<bool> {
    Ok(sqlx::query("SELECT id FROM consultation_statements WHERE consultation_id = $1 AND folded = $2 LIMIT 1")
        .bind(id)
        .bind(folded)
        .fetch_optional(&mut **tx)
        .await?
        .is_some())
}

/// Moderates a statement: approve, or reject/hide with a reason. Returns
/// false if it does not belong to the consultation.
pub async fn moderate_statement(tx: &mut Tx, id: i64, statement_id: i64, state: &str, reason: Option<&str>) -> Result<bool> {
    let before = sqlx::query("SELECT state FROM consultation_statements WHERE id = $1 AND consultation_id = $2")
        .bind(statement_id)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(before) = before else { return Ok(false) };
    let old: String = before.try_get("state")?;
    sqlx::query("UPDATE consultation_statements SET state = $2, hidden_reason = $3 WHERE id = $1")
        .bind(statement_id)
        .bind(state)
        .bind(reason)
        .execute(&mut **tx)
        .await?;
    if old == "pending" && state != "pending" {
        bump(tx, id, "pending_statements", -1).await?;
    }
    Ok(true)
}

/// The statements of a consultation in one state (or all), oldest first.
pub async fn statements(store: &Store, id: i64, state: Option<&str>) -> Result<Vec<StatementRow>> {
    let sql =
        format!("SELECT {STATEMENT_COLS} FROM consultation_statements WHERE consultation_id = $1 AND ($2 = '' OR state = $2) ORDER BY id");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).bind(state.unwrap_or("")).fetch_all(store.reader()).await?;
    rows.iter().map(statement_from).collect()
}

/// A participant's votes in a consultation: statement id → stance.
pub async fn my_votes(store: &Store, id: i64, participant_id: i64) -> Result<HashMap<i64, String>> {
    let rows = sqlx::query("SELECT statement_id, stance FROM consultation_votes WHERE consultation_id = $1 AND participant_id = $2")
        .bind(id)
        .bind(participant_id)
        .fetch_all(store.reader())
        .await?;
    rows.iter().map(|r| Ok((r.try_get::<i64, _>("statement_id")?, r.try_get::<String, _>("stance")?))).collect()
}

/// Why a vote was not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteRefusal {
    /// No such statement in this consultation.
    Unknown,
    /// Pending, rejected or hidden.
    NotVotable,
}

/// Records (or changes) a participant's vote on a statement, keeping the
/// statement's counts in the same transaction. Voting the same twice changes
/// nothing.
pub async fn vote(
    tx: &mut Tx,
    id: i64,
    statement_id: i64,
    participant_id: i64,
    stance: &str,
) -> Result<std::result::Result<bool, VoteRefusal>> {
    let st = sqlx::query("SELECT state, hidden_reason FROM consultation_statements WHERE id = $1 AND consultation_id = $2")
        .bind(statement_id)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(st) = st else { return Ok(Err(VoteRefusal::Unknown)) };
    if st.try_get::<String, _>("state")? != "approved" || st.try_get::<Option<String>, _>("hidden_reason")?.is_some() {
        return Ok(Err(VoteRefusal::NotVotable));
    }
    let old = sqlx::query("SELECT stance FROM consultation_votes WHERE statement_id = $1 AND participant_id = $2")
        .bind(statement_id)
        .bind(participant_id)
        .fetch_optional(&mut **tx)
        .await?;
    let col = |s: &str| -> Result<&'static str> {
        match s {
            "agree" => Ok("agree"),
            "disagree" => Ok("disagree"),
            "pass" => Ok("pass"),
            other => Err(StoreError::Invalid(format!("stance {other}"))),
        }
    };
    let new_col = col(stance)?;
    match old {
        Some(o) => {
            let old: String = o.try_get("stance")?;
            if old == stance {
                return Ok(Ok(false));
            }
            let old_col = col(&old)?;
            sqlx::query("UPDATE consultation_votes SET stance = $3, updated_at = $4 WHERE statement_id = $1 AND participant_id = $2")
                .bind(statement_id)
                .bind(participant_id)
                .bind(stance)
                .bind(now_ms())
                .execute(&mut **tx)
                .await?;
            let sql = format!("UPDATE consultation_statements SET {old_col} = {old_col} - 1, {new_col} = {new_col} + 1 WHERE id = $1");
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(statement_id).execute(&mut **tx).await?;
        }
        None => {
            sqlx::query(
                "INSERT INTO consultation_votes (statement_id, participant_id, consultation_id, stance, updated_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(statement_id)
            .bind(participant_id)
            .bind(id)
            .bind(stance)
            .bind(now_ms())
            .execute(&mut **tx)
            .await?;
            let sql = format!("UPDATE consultation_statements SET {new_col} = {new_col} + 1 WHERE id = $1");
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(statement_id).execute(&mut **tx).await?;
            bump(tx, id, "votes", 1).await?;
        }
    }
    Ok(Ok(true))
}

/// Every vote of a consultation for the opinion-group computation:
/// (participant id, statement id, stance), only on approved statements.
pub async fn votes_for_analysis(store: &Store, id: i64) -> Result<Vec<(i64, i64, String)>> {
    let rows = sqlx::query(
        "SELECT v.participant_id, v.statement_id, v.stance FROM consultation_votes v JOIN consultation_statements s ON s.id = v.statement_id \
         WHERE v.consultation_id = $1 AND s.state = 'approved' AND s.hidden_reason IS NULL ORDER BY v.participant_id, v.statement_id",
    )
    .bind(id)
    .fetch_all(store.reader())
    .await?;
    rows.iter().map(|r| Ok((r.try_get("participant_id")?, r.try_get("statement_id")?, r.try_get("stance")?))).collect()
}

/// Stores the computed opinion groups.
pub async fn save_analysis(tx: &mut Tx, id: i64, votes_seen: i64, analysis: &str, svg_vi: &str, svg_en: &str) -> Result<()> {
    sqlx::query("DELETE FROM consultation_analysis WHERE consultation_id = $1").bind(id).execute(&mut **tx).await?;
    sqlx::query(
        "INSERT INTO consultation_analysis (consultation_id, votes_seen, analysis, svg_vi, svg_en, computed_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(votes_seen)
    .bind(analysis)
    .bind(svg_vi)
    .bind(svg_en)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The stored analysis: (votes seen, JSON, SVG vi, SVG en, computed at).
pub async fn analysis(store: &Store, id: i64) -> Result<Option<(i64, String, String, String, i64)>> {
    let row = sqlx::query("SELECT votes_seen, analysis, svg_vi, svg_en, computed_at FROM consultation_analysis WHERE consultation_id = $1")
        .bind(id)
        .fetch_optional(store.reader())
        .await?;
    row.map(|r| {
        Ok((r.try_get("votes_seen")?, r.try_get("analysis")?, r.try_get("svg_vi")?, r.try_get("svg_en")?, r.try_get("computed_at")?))
    })
    .transpose()
}

/// Records whether the decision follows a statement's majority and, if not,
/// the justification (R3.6).
pub async fn set_statement_decision(tx: &mut Tx, id: i64, statement_id: i64, follows: bool, justification: Option<&str>) -> Result<bool> {
    let n =
        sqlx::query("UPDATE consultation_statements SET follows_majority = $3, justification = $4 WHERE id = $1 AND consultation_id = $2")
            .bind(statement_id)
            .bind(id)
            .bind(follows as i64)
            .bind(justification)
            .execute(&mut **tx)
            .await?
            .rows_affected();
    Ok(n == 1)
}

/// Published consultations whose reminder day has come and that were not
/// reminded yet: (id, closes_on).
pub async fn due_reminders(store: &Store, today: &str, remind_until: &str) -> Result<Vec<i64>> {
    let rows = sqlx::query(
        "SELECT id FROM consultations WHERE status = 'published' AND reminded_at IS NULL AND opens_on <= $1 AND closes_on >= $1 \
         AND closes_on <= $2 ORDER BY id LIMIT 100",
    )
    .bind(today)
    .bind(remind_until)
    .fetch_all(store.reader())
    .await?;
    rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
}

/// Marks a consultation reminded; false if another node did it first.
pub async fn mark_reminded(tx: &mut Tx, id: i64) -> Result<bool> {
    Ok(sqlx::query("UPDATE consultations SET reminded_at = $2 WHERE id = $1 AND reminded_at IS NULL")
        .bind(id)
        .bind(now_ms())
        .execute(&mut **tx)
        .await?
        .rows_affected()
        == 1)
}

// ---------------------------------------------------------------------------
// Officials' queries
// ---------------------------------------------------------------------------

/// The current household with this code in a unit's subtree (its villages),
/// recorded as the author of an opinion received offline (R3.2).
pub async fn household_in(store: &Store, unit_path: &str, code: &str) -> Result<Option<i64>> {
    let row = sqlx::query(
        "SELECT h.id FROM households h JOIN units v ON v.id = h.village_id WHERE v.path LIKE $1 AND h.code = $2 \
         AND h.valid_to IS NULL LIMIT 1",
    )
    .bind(format!("{unit_path}%"))
    .bind(code)
    .fetch_optional(store.reader())
    .await?;
    row.map(|r| r.try_get("id").map_err(Into::into)).transpose()
}

/// The list counters (`comments`, `unanswered`, `participants`) of many
/// consultations in one query: consultation id → key → n.
pub async fn list_counts(store: &Store, ids: &[i64]) -> Result<HashMap<i64, HashMap<String, i64>>> {
    let mut out: HashMap<i64, HashMap<String, i64>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let sql = format!(
        "SELECT consultation_id, key, n FROM consultation_counts WHERE consultation_id IN ({}) \
         AND (key IN ('comments', 'unanswered', 'participants') OR key LIKE 'comments@%' OR key LIKE 'unanswered@%' \
         OR key LIKE 'participants@%')",
        id_list(ids)
    );
    for r in sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(store.reader()).await? {
        let key: String = r.try_get("key")?;
        *out.entry(r.try_get("consultation_id")?).or_default().entry(base_key(&key).to_string()).or_insert(0) +=
            r.try_get::<i64, _>("n")?;
    }
    Ok(out)
}
