//! Disclosures (công khai thông tin): items and their versions, attachments
//! stored by content, what officials did to disclose them, exemptions, the
//! per-unit verdict roll-up, and the full-text index.
//!
//! Obligations and verdicts are computed by `danchu_domain::disclosure`; this
//! module stores the verdict of each item's current version with the date on
//! which time alone may change it (`next_review`), and keeps the counts per
//! unit in `disclosure_stats` in the same transaction.

use crate::db::{flag, id_list, now_ms, opt_i64, Backend, Result, Store, StoreError, Tx};
use crate::units::Unit;
use danchu_domain::text::fold;
use sqlx::any::AnyRow;
use sqlx::Row;

/// The roll-up column of a stored verdict: the domain's verdict names
/// (`Verdict::as_str`) are the column names of `disclosure_stats`.
fn verdict_column(v: &str) -> Result<&'static str> {
    danchu_domain::disclosure::Verdict::parse(v).map(|v| v.as_str()).ok_or_else(|| StoreError::Invalid(format!("verdict {v}")))
}

/// The columns of a record row, its place's name joined as `p`.
const RECORD_COLS: &str = "r.id, r.version, r.channel, r.place_id, p.name AS place_name, r.start_on, r.end_on, r.written_to_all, \
    r.responsible, r.note, r.photo_sha256";

/// What a unit has that decides the channels the law requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Settings {
    pub has_portal: bool,
    pub has_loudspeaker: bool,
    pub has_internal_system: bool,
}

/// The unit's settings, if it has set them.
pub async fn settings(store: &Store, unit_id: i64) -> Result<Option<Settings>> {
    let row = sqlx::query("SELECT has_portal, has_loudspeaker, has_internal_system FROM disclosure_settings WHERE unit_id = $1")
        .bind(unit_id)
        .fetch_optional(store.reader())
        .await?;
    row.map(|r| settings_from(&r)).transpose()
}

/// The unit's settings, read in a write transaction.
pub async fn settings_tx(tx: &mut Tx, unit_id: i64) -> Result<Option<Settings>> {
    let row = sqlx::query("SELECT has_portal, has_loudspeaker, has_internal_system FROM disclosure_settings WHERE unit_id = $1")
        .bind(unit_id)
        .fetch_optional(&mut **tx)
        .await?;
    row.map(|r| settings_from(&r)).transpose()
}

fn settings_from(r: &AnyRow) -> Result<Settings> {
    Ok(Settings {
        has_portal: flag(r, "has_portal")?,
        has_loudspeaker: flag(r, "has_loudspeaker")?,
        has_internal_system: flag(r, "has_internal_system")?,
    })
}

/// Stores a unit's settings.
pub async fn set_settings(tx: &mut Tx, unit_id: i64, s: Settings) -> Result<()> {
    sqlx::query("DELETE FROM disclosure_settings WHERE unit_id = $1").bind(unit_id).execute(&mut **tx).await?;
    sqlx::query(
        "INSERT INTO disclosure_settings (unit_id, has_portal, has_loudspeaker, has_internal_system, updated_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(unit_id)
    .bind(s.has_portal as i64)
    .bind(s.has_loudspeaker as i64)
    .bind(s.has_internal_system as i64)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------- files

/// A stored file's description (without its bytes).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileMeta {
    pub sha256: String,
    pub kind: String,
    pub size: i64,
}

/// Stores a file by content; a file already stored is not written again.
pub async fn put_file(tx: &mut Tx, sha256: &str, kind: &str, content: &[u8], text: &str) -> Result<()> {
    let exists = sqlx::query("SELECT 1 AS x FROM files WHERE sha256 = $1").bind(sha256).fetch_optional(&mut **tx).await?;
    if exists.is_none() {
        // Two transactions may store the same bytes at once (on PostgreSQL
        // neither sees the other's row): the second insert is then a no-op.
        sqlx::query(
            "INSERT INTO files (sha256, kind, size, content, text, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(sha256)
        .bind(kind)
        .bind(content.len() as i64)
        .bind(content.to_vec())
        .bind(text)
        .bind(now_ms())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A stored file and its bytes.
pub async fn file(store: &Store, sha256: &str) -> Result<Option<(FileMeta, Vec<u8>)>> {
    let row =
        sqlx::query("SELECT sha256, kind, size, content FROM files WHERE sha256 = $1").bind(sha256).fetch_optional(store.reader()).await?;
    match row {
        None => Ok(None),
        Some(r) => {
            Ok(Some((FileMeta { sha256: r.try_get("sha256")?, kind: r.try_get("kind")?, size: r.try_get("size")? }, r.try_get("content")?)))
        }
    }
}

// ---------------------------------------------------------------- items

/// An item in lists and feeds (one row, no version history).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Item {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub unit_code: String,
    pub category: String,
    pub audience: String,
    pub version: i64,
    pub title: String,
    pub summary: String,
    pub decision_date: String,
    pub first_published_at: i64,
    pub published_at: i64,
    pub published_on: String,
    pub withdrawn: bool,
    pub deadline: Option<String>,
    pub verdict: String,
    pub is_demo: bool,
}

const ITEM_COLS: &str = "d.id, d.unit_id, u.name AS unit_name, u.code AS unit_code, d.category, d.audience, d.version, d.title, \
    d.summary, d.decision_date, d.first_published_at, d.published_at, d.published_on, d.withdrawn_at, d.deadline, d.verdict, d.is_demo";

fn item_from(r: &AnyRow) -> Result<Item> {
    Ok(Item {
        id: r.try_get("id")?,
        unit_id: r.try_get("unit_id")?,
        unit_name: r.try_get("unit_name")?,
        unit_code: r.try_get("unit_code")?,
        category: r.try_get("category")?,
        audience: r.try_get("audience")?,
        version: r.try_get("version")?,
        title: r.try_get("title")?,
        summary: r.try_get("summary")?,
        decision_date: r.try_get("decision_date")?,
        first_published_at: r.try_get("first_published_at")?,
        published_at: r.try_get("published_at")?,
        published_on: r.try_get("published_on")?,
        withdrawn: opt_i64(r, "withdrawn_at")?.is_some(),
        deadline: r.try_get("deadline")?,
        verdict: r.try_get("verdict")?,
        is_demo: flag(r, "is_demo")?,
    })
}

/// One version of an item.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Version {
    pub version: i64,
    pub title: String,
    pub body: String,
    pub decision_number: String,
    pub decision_date: String,
    pub signer: String,
    pub sector_deadline: Option<String>,
    pub sector_basis: Option<String>,
    pub change_note: Option<String>,
    pub published_at: i64,
    pub published_on: String,
    pub superseded_on: Option<String>,
}

/// An attachment of a version.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Attachment {
    pub id: i64,
    pub version: i64,
    pub sha256: String,
    pub name: String,
    pub kind: String,
    pub size: i64,
}

/// A posting, broadcast, relay or notice recorded for a version.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RecordRow {
    pub id: i64,
    pub version: i64,
    pub channel: String,
    pub place_id: Option<i64>,
    pub place_name: Option<String>,
    pub start_on: String,
    pub end_on: Option<String>,
    pub written_to_all: bool,
    pub responsible: String,
    pub note: String,
    pub photo_sha256: Option<String>,
}

/// An item with its versions (newest first), the attachments of every
/// version and the records of every version: four queries.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Detail {
    pub item: Item,
    pub unit_path: String,
    pub versions: Vec<Version>,
    pub attachments: Vec<Attachment>,
    pub records: Vec<RecordRow>,
    pub next_review: Option<String>,
}

impl Detail {
    /// The current version.
    pub fn current(&self) -> &Version {
        &self.versions[0]
    }
}

/// Loads an item with its history.
pub async fn detail(store: &Store, id: i64) -> Result<Option<Detail>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {ITEM_COLS}, d.unit_path, d.next_review FROM disclosures d JOIN units u ON u.id = d.unit_id WHERE d.id = $1"
    )))
    .bind(id)
    .fetch_optional(store.reader())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let item = item_from(&row)?;
    let versions = sqlx::query(
        "SELECT version, title, body, decision_number, decision_date, signer, sector_deadline, sector_basis, change_note, \
           published_at, published_on, superseded_on FROM disclosure_versions WHERE disclosure_id = $1 ORDER BY version DESC",
    )
    .bind(id)
    .fetch_all(store.reader())
    .await?
    .iter()
    .map(|r| {
        Ok(Version {
            version: r.try_get("version")?,
            title: r.try_get("title")?,
            body: r.try_get("body")?,
            decision_number: r.try_get("decision_number")?,
            decision_date: r.try_get("decision_date")?,
            signer: r.try_get("signer")?,
            sector_deadline: r.try_get("sector_deadline")?,
            sector_basis: r.try_get("sector_basis")?,
            change_note: r.try_get("change_note")?,
            published_at: r.try_get("published_at")?,
            published_on: r.try_get("published_on")?,
            superseded_on: r.try_get("superseded_on")?,
        })
    })
    .collect::<Result<Vec<_>>>()?;
    if versions.is_empty() {
        return Err(StoreError::Invalid(format!("disclosure {id} has no version")));
    }
    let attachments = sqlx::query(
        "SELECT a.id, a.version, a.sha256, a.name, f.kind, f.size FROM disclosure_attachments a JOIN files f ON f.sha256 = a.sha256 \
         WHERE a.disclosure_id = $1 ORDER BY a.version DESC, a.position",
    )
    .bind(id)
    .fetch_all(store.reader())
    .await?
    .iter()
    .map(|r| {
        Ok(Attachment {
            id: r.try_get("id")?,
            version: r.try_get("version")?,
            sha256: r.try_get("sha256")?,
            name: r.try_get("name")?,
            kind: r.try_get("kind")?,
            size: r.try_get("size")?,
        })
    })
    .collect::<Result<Vec<_>>>()?;
    let records = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {RECORD_COLS} FROM disclosure_records r LEFT JOIN units p ON p.id = r.place_id \
         WHERE r.disclosure_id = $1 ORDER BY r.version DESC, r.start_on, r.id"
    )))
    .bind(id)
    .fetch_all(store.reader())
    .await?
    .iter()
    .map(record_from)
    .collect::<Result<Vec<_>>>()?;
    Ok(Some(Detail {
        item,
        unit_path: row.try_get("unit_path")?,
        versions,
        attachments,
        records,
        next_review: row.try_get("next_review")?,
    }))
}

fn record_from(r: &AnyRow) -> Result<RecordRow> {
    Ok(RecordRow {
        id: r.try_get("id")?,
        version: r.try_get("version")?,
        channel: r.try_get("channel")?,
        place_id: opt_i64(r, "place_id")?,
        place_name: r.try_get("place_name")?,
        start_on: r.try_get("start_on")?,
        end_on: r.try_get("end_on")?,
        written_to_all: flag(r, "written_to_all")?,
        responsible: r.try_get("responsible")?,
        note: r.try_get("note")?,
        photo_sha256: r.try_get("photo_sha256")?,
    })
}

/// The records of one version, read in a write transaction (to re-evaluate).
pub async fn records_tx(tx: &mut Tx, id: i64, version: i64) -> Result<Vec<RecordRow>> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {RECORD_COLS} FROM disclosure_records r LEFT JOIN units p ON p.id = r.place_id \
         WHERE r.disclosure_id = $1 AND r.version = $2 ORDER BY r.start_on, r.id"
    )))
    .bind(id)
    .bind(version)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(record_from)
    .collect()
}

/// The facts of an item needed to re-evaluate it.
#[derive(Debug, Clone)]
pub struct EvalFacts {
    pub id: i64,
    pub unit_id: i64,
    pub category: String,
    pub version: i64,
    pub verdict: String,
    pub decision_date: String,
    pub sector_deadline: Option<String>,
    pub published_on: String,
    pub superseded_on: Option<String>,
}

/// The facts of an item's current version, in a write transaction.
pub async fn eval_facts_tx(tx: &mut Tx, id: i64) -> Result<Option<EvalFacts>> {
    let row = sqlx::query(
        "SELECT d.id, d.unit_id, d.category, d.version, d.verdict, v.decision_date, v.sector_deadline, v.published_on, v.superseded_on \
         FROM disclosures d JOIN disclosure_versions v ON v.disclosure_id = d.id AND v.version = d.version WHERE d.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| {
        Ok(EvalFacts {
            id: r.try_get("id")?,
            unit_id: r.try_get("unit_id")?,
            category: r.try_get("category")?,
            version: r.try_get("version")?,
            verdict: r.try_get("verdict")?,
            decision_date: r.try_get("decision_date")?,
            sector_deadline: r.try_get("sector_deadline")?,
            published_on: r.try_get("published_on")?,
            superseded_on: r.try_get("superseded_on")?,
        })
    })
    .transpose()
}

/// A file to attach, already checked.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub sha256: String,
    pub kind: String,
    pub name: String,
    pub content: Vec<u8>,
    pub text: String,
}

/// The content of a new item or of a new version.
#[derive(Debug, Clone)]
pub struct NewVersion {
    pub title: String,
    pub body: String,
    pub decision_number: String,
    pub decision_date: String,
    pub signer: String,
    pub sector_deadline: Option<String>,
    pub sector_basis: Option<String>,
    pub change_note: Option<String>,
    pub attachments: Vec<NewAttachment>,
    /// The date of publication on the platform (the portal, R1.4).
    pub published_on: String,
}

/// The computed obligation state to store with the current version.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub deadline: Option<String>,
    pub verdict: String,
    pub next_review: Option<String>,
}

/// The number of characters of body kept as a summary for lists and feeds.
const SUMMARY_CHARS: usize = 280;
/// Attachment text indexed per item (enough for any real decision).
const INDEX_CHARS: usize = 200_000;

fn summary_of(body: &str) -> String {
    let one_line = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= SUMMARY_CHARS {
        return one_line;
    }
    let mut s: String = one_line.chars().take(SUMMARY_CHARS).collect();
    if let Some(cut) = s.rfind(' ') {
        s.truncate(cut);
    }
    s.push('…');
    s
}

/// Creates an item with its first version; updates the roll-up and the
/// search index. Returns the item's id.
#[allow(clippy::too_many_arguments)]
pub async fn create(
    tx: &mut Tx,
    unit: &Unit,
    category: &str,
    audience: &str,
    v: &NewVersion,
    verdict: &Verdict,
    user_id: Option<i64>,
    is_demo: bool,
) -> Result<i64> {
    let now = now_ms();
    verdict_column(&verdict.verdict)?;
    let row = sqlx::query(
        "INSERT INTO disclosures (unit_id, unit_path, category, audience, version, title, summary, decision_date, first_published_at, \
           published_at, published_on, deadline, verdict, next_review, is_demo, created_by, created_at) \
         VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8, $8, $9, $10, $11, $12, $13, $14, $8) RETURNING id",
    )
    .bind(unit.id)
    .bind(&unit.path)
    .bind(category)
    .bind(audience)
    .bind(&v.title)
    .bind(summary_of(&v.body))
    .bind(&v.decision_date)
    .bind(now)
    .bind(&v.published_on)
    .bind(&verdict.deadline)
    .bind(&verdict.verdict)
    .bind(&verdict.next_review)
    .bind(is_demo as i64)
    .bind(user_id)
    .fetch_one(&mut **tx)
    .await?;
    let id: i64 = row.try_get("id")?;
    insert_version(tx, id, 1, v, user_id, now).await?;
    bump_stats(tx, unit.id, None, Some(&verdict.verdict)).await?;
    let text = attachment_text(v);
    index(tx, id, &unit.path, category, audience, &v.title, &v.body, &text).await?;
    Ok(id)
}

fn attachment_text(v: &NewVersion) -> String {
    let mut s = String::new();
    for a in &v.attachments {
        s.push_str(&a.name);
        s.push('\n');
        s.push_str(&a.text);
        s.push('\n');
    }
    s
}

async fn insert_version(tx: &mut Tx, id: i64, version: i64, v: &NewVersion, user_id: Option<i64>, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO disclosure_versions (disclosure_id, version, title, body, decision_number, decision_date, signer, sector_deadline, \
           sector_basis, change_note, published_at, published_on, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(id)
    .bind(version)
    .bind(&v.title)
    .bind(&v.body)
    .bind(&v.decision_number)
    .bind(&v.decision_date)
    .bind(&v.signer)
    .bind(&v.sector_deadline)
    .bind(&v.sector_basis)
    .bind(&v.change_note)
    .bind(now)
    .bind(&v.published_on)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    for (pos, a) in v.attachments.iter().enumerate() {
        put_file(tx, &a.sha256, &a.kind, &a.content, &a.text).await?;
        sqlx::query("INSERT INTO disclosure_attachments (disclosure_id, version, sha256, name, position) VALUES ($1, $2, $3, $4, $5)")
            .bind(id)
            .bind(version)
            .bind(&a.sha256)
            .bind(&a.name)
            .bind(pos as i64)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Publishes a new version of an item (R1.10): the previous version is
/// superseded on `v.published_on`, the item row and index describe the new
/// one, and its verdict replaces the old one in the roll-up. Returns the
/// new version number, or None if the item does not exist.
pub async fn add_version(tx: &mut Tx, id: i64, v: &NewVersion, verdict: &Verdict, user_id: Option<i64>) -> Result<Option<i64>> {
    verdict_column(&verdict.verdict)?;
    let row = sqlx::query("SELECT unit_id, unit_path, category, audience, version, verdict FROM disclosures WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let unit_id: i64 = row.try_get("unit_id")?;
    let unit_path: String = row.try_get("unit_path")?;
    let category: String = row.try_get("category")?;
    let audience: String = row.try_get("audience")?;
    let old: i64 = row.try_get("version")?;
    let old_verdict: String = row.try_get("verdict")?;
    let now = now_ms();
    let version = old + 1;
    sqlx::query("UPDATE disclosure_versions SET superseded_on = $1 WHERE disclosure_id = $2 AND version = $3")
        .bind(&v.published_on)
        .bind(id)
        .bind(old)
        .execute(&mut **tx)
        .await?;
    insert_version(tx, id, version, v, user_id, now).await?;
    sqlx::query(
        "UPDATE disclosures SET version = $1, title = $2, summary = $3, decision_date = $4, published_at = $5, published_on = $6, \
           deadline = $7, verdict = $8, next_review = $9 WHERE id = $10",
    )
    .bind(version)
    .bind(&v.title)
    .bind(summary_of(&v.body))
    .bind(&v.decision_date)
    .bind(now)
    .bind(&v.published_on)
    .bind(&verdict.deadline)
    .bind(&verdict.verdict)
    .bind(&verdict.next_review)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    bump_stats(tx, unit_id, Some(&old_verdict), Some(&verdict.verdict)).await?;
    let text = attachment_text(v);
    unindex(tx, id).await?;
    index(tx, id, &unit_path, &category, &audience, &v.title, &v.body, &text).await?;
    Ok(Some(version))
}

/// What an official recorded.
#[derive(Debug, Clone)]
pub struct NewRecord {
    pub channel: String,
    pub place_id: Option<i64>,
    pub start_on: String,
    pub end_on: Option<String>,
    pub written_to_all: bool,
    pub responsible: String,
    pub note: String,
    pub photo: Option<NewAttachment>,
}

/// Adds a record to a version; returns its id.
pub async fn add_record(tx: &mut Tx, id: i64, version: i64, r: &NewRecord, user_id: Option<i64>) -> Result<i64> {
    if let Some(p) = &r.photo {
        put_file(tx, &p.sha256, &p.kind, &p.content, &p.text).await?;
    }
    let row = sqlx::query(
        "INSERT INTO disclosure_records (disclosure_id, version, channel, place_id, start_on, end_on, written_to_all, responsible, note, \
           photo_sha256, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(id)
    .bind(version)
    .bind(&r.channel)
    .bind(r.place_id)
    .bind(&r.start_on)
    .bind(&r.end_on)
    .bind(r.written_to_all as i64)
    .bind(&r.responsible)
    .bind(&r.note)
    .bind(r.photo.as_ref().map(|p| p.sha256.clone()))
    .bind(user_id)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.try_get("id")?)
}

/// Sets the end of a posting that was still up; whether it changed.
pub async fn end_record(tx: &mut Tx, id: i64, record_id: i64, end_on: &str) -> Result<bool> {
    let n = sqlx::query("UPDATE disclosure_records SET end_on = $1 WHERE id = $2 AND disclosure_id = $3 AND end_on IS NULL")
        .bind(end_on)
        .bind(record_id)
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(n > 0)
}

/// Stores a re-evaluated verdict and moves the roll-up counts.
pub async fn set_verdict(tx: &mut Tx, f: &EvalFacts, verdict: &Verdict) -> Result<()> {
    verdict_column(&verdict.verdict)?;
    sqlx::query("UPDATE disclosures SET deadline = $1, verdict = $2, next_review = $3 WHERE id = $4")
        .bind(&verdict.deadline)
        .bind(&verdict.verdict)
        .bind(&verdict.next_review)
        .bind(f.id)
        .execute(&mut **tx)
        .await?;
    if f.verdict != verdict.verdict {
        bump_stats(tx, f.unit_id, Some(&f.verdict), Some(&verdict.verdict)).await?;
    }
    Ok(())
}

/// Items whose verdict may have changed by `today` (their review date has
/// come), oldest first.
pub async fn due_for_review(store: &Store, today: &str, limit: i64) -> Result<Vec<i64>> {
    let rows = sqlx::query("SELECT id FROM disclosures WHERE next_review <= $1 AND withdrawn_at IS NULL ORDER BY next_review, id LIMIT $2")
        .bind(today)
        .bind(limit)
        .fetch_all(store.reader())
        .await?;
    rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
}

/// Schedules for evaluation today every item whose deadline may move
/// because `day` became (or stopped being) a day off: decided on or before
/// it, with a deadline on or after it. Returns how many.
pub async fn review_around(tx: &mut Tx, day: &str, today: &str) -> Result<u64> {
    let n = sqlx::query(
        "UPDATE disclosures SET next_review = $1 WHERE withdrawn_at IS NULL AND decision_date <= $2 AND deadline >= $2 \
           AND (next_review IS NULL OR next_review > $1)",
    )
    .bind(today)
    .bind(day)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n)
}

async fn bump_stats(tx: &mut Tx, unit_id: i64, old: Option<&str>, new: Option<&str>) -> Result<()> {
    let exists = sqlx::query("SELECT 1 AS x FROM disclosure_stats WHERE unit_id = $1").bind(unit_id).fetch_optional(&mut **tx).await?;
    if exists.is_none() {
        sqlx::query("INSERT INTO disclosure_stats (unit_id) VALUES ($1)").bind(unit_id).execute(&mut **tx).await?;
    }
    let items = match (old, new) {
        (None, Some(_)) => 1,
        (Some(_), None) => -1,
        _ => 0,
    };
    let mut sets = vec![format!("items = items + {items}")];
    if let Some(o) = old {
        let c = verdict_column(o)?;
        sets.push(format!("{c} = {c} - 1"));
    }
    if let Some(n) = new {
        let c = verdict_column(n)?;
        if old.map(verdict_column).transpose()? == Some(c) {
            sets.pop();
        } else {
            sets.push(format!("{c} = {c} + 1"));
        }
    }
    let sql = format!("UPDATE disclosure_stats SET {} WHERE unit_id = $1", sets.join(", "));
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(unit_id).execute(&mut **tx).await?;
    Ok(())
}

/// Withdraws an item from the public lists (kept with its history); the
/// roll-up forgets it. Whether it changed.
pub async fn withdraw(tx: &mut Tx, id: i64) -> Result<bool> {
    let row = sqlx::query("SELECT unit_id, verdict FROM disclosures WHERE id = $1 AND withdrawn_at IS NULL")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(row) = row else { return Ok(false) };
    let unit_id: i64 = row.try_get("unit_id")?;
    let verdict: String = row.try_get("verdict")?;
    sqlx::query("UPDATE disclosures SET withdrawn_at = $1, next_review = NULL WHERE id = $2")
        .bind(now_ms())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    bump_stats(tx, unit_id, Some(&verdict), None).await?;
    unindex(tx, id).await?;
    Ok(true)
}

// ---------------------------------------------------------------- lists

/// Filters of a list page or feed.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Only items of this unit, or (with `subtree`) of the units below it.
    pub unit_id: Option<i64>,
    pub subtree_path: Option<String>,
    pub category: Option<String>,
    /// ISO dates, inclusive, on `published_on`.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Only items for citizens (public pages and feeds).
    pub public_only: bool,
    pub include_withdrawn: bool,
}

/// One page of items, newest first (one query). Pagination by `before`
/// (the `published_at` and id of the last row shown) keeps deep pages as
/// cheap as the first.
pub async fn list(store: &Store, f: &ListFilter, before: Option<(i64, i64)>, limit: i64) -> Result<Vec<Item>> {
    let mut sql = format!("SELECT {ITEM_COLS} FROM disclosures d JOIN units u ON u.id = d.unit_id WHERE 1 = 1");
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    let mut binds: Vec<Bind> = Vec::new();
    if let Some(u) = f.unit_id {
        sql.push_str(&format!(" AND d.unit_id = {}", next()));
        binds.push(Bind::I(u));
    }
    if let Some(p) = &f.subtree_path {
        sql.push_str(&format!(" AND d.unit_path LIKE {}", next()));
        binds.push(Bind::S(format!("{p}%")));
    }
    if let Some(c) = &f.category {
        sql.push_str(&format!(" AND d.category = {}", next()));
        binds.push(Bind::S(c.clone()));
    }
    if let Some(d) = &f.from {
        sql.push_str(&format!(" AND d.published_on >= {}", next()));
        binds.push(Bind::S(d.clone()));
    }
    if let Some(d) = &f.to {
        sql.push_str(&format!(" AND d.published_on <= {}", next()));
        binds.push(Bind::S(d.clone()));
    }
    if f.public_only {
        sql.push_str(" AND d.audience = 'citizens'");
    }
    if !f.include_withdrawn {
        sql.push_str(" AND d.withdrawn_at IS NULL");
    }
    if let Some((at, id)) = before {
        let (a, b, c) = (next(), next(), next());
        sql.push_str(&format!(" AND (d.published_at < {a} OR (d.published_at = {b} AND d.id < {c}))"));
        binds.extend([Bind::I(at), Bind::I(at), Bind::I(id)]);
    }
    sql.push_str(&format!(" ORDER BY d.published_at DESC, d.id DESC LIMIT {}", next()));
    binds.push(Bind::I(limit));
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for b in binds {
        q = match b {
            Bind::I(i) => q.bind(i),
            Bind::S(s) => q.bind(s),
        };
    }
    q.fetch_all(store.reader()).await?.iter().map(item_from).collect()
}

enum Bind {
    I(i64),
    S(String),
}

/// Items by id, in the order given (one query).
pub async fn by_ids(store: &Store, ids: &[i64]) -> Result<Vec<Item>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = id_list(ids);
    let sql = format!("SELECT {ITEM_COLS} FROM disclosures d JOIN units u ON u.id = d.unit_id WHERE d.id IN ({list})");
    let mut items: Vec<Item> =
        sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(store.reader()).await?.iter().map(item_from).collect::<Result<_>>()?;
    items.sort_by_key(|i| ids.iter().position(|x| *x == i.id));
    Ok(items)
}

/// Bodies of the current versions of items, for search snippets (one query).
pub async fn bodies(store: &Store, ids: &[i64]) -> Result<Vec<(i64, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = id_list(ids);
    let sql = format!(
        "SELECT v.disclosure_id, v.body FROM disclosure_versions v JOIN disclosures d ON d.id = v.disclosure_id AND d.version = v.version \
         WHERE v.disclosure_id IN ({list})"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(store.reader())
        .await?
        .iter()
        .map(|r| Ok((r.try_get("disclosure_id")?, r.try_get("body")?)))
        .collect()
}

/// The beginning (20,000 characters) of the text of each current attachment
/// of the items, for snippets when the match is in an attachment (one query).
pub async fn attachment_texts(store: &Store, ids: &[i64]) -> Result<Vec<(i64, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = id_list(ids);
    let sql = format!(
        "SELECT a.disclosure_id, SUBSTR(f.text, 1, 20000) AS text FROM disclosure_attachments a \
         JOIN disclosures d ON d.id = a.disclosure_id AND d.version = a.version JOIN files f ON f.sha256 = a.sha256 \
         WHERE a.disclosure_id IN ({list}) ORDER BY a.disclosure_id, a.position"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(store.reader())
        .await?
        .iter()
        .map(|r| Ok((r.try_get("disclosure_id")?, r.try_get("text")?)))
        .collect()
}

/// Verdict counts per category of a unit's items whose decision falls in a
/// date range (the yearly report, R1.14): one grouped query.
pub async fn counts_by_category(store: &Store, unit_id: i64, from: &str, to: &str) -> Result<Vec<(String, Counts)>> {
    let rows = sqlx::query(
        "SELECT category, COUNT(*) AS items, \
           SUM(CASE WHEN verdict = 'compliant' THEN 1 ELSE 0 END) AS compliant, SUM(CASE WHEN verdict = 'late' THEN 1 ELSE 0 END) AS late, \
           SUM(CASE WHEN verdict = 'in_progress' THEN 1 ELSE 0 END) AS in_progress, SUM(CASE WHEN verdict = 'pending' THEN 1 ELSE 0 END) AS pending, \
           SUM(CASE WHEN verdict = 'non_compliant' THEN 1 ELSE 0 END) AS non_compliant \
         FROM disclosures WHERE unit_id = $1 AND decision_date >= $2 AND decision_date <= $3 AND withdrawn_at IS NULL \
         GROUP BY category ORDER BY category",
    )
    .bind(unit_id)
    .bind(from)
    .bind(to)
    .fetch_all(store.reader())
    .await?;
    rows.iter().map(|r| Ok((r.try_get("category")?, counts_from(r)?))).collect()
}

/// Items disclosed by a unit in a date range with their records, for the
/// quarterly list (R1.7): two queries.
pub async fn disclosed_between(store: &Store, unit_id: i64, from: &str, to: &str) -> Result<(Vec<Item>, Vec<(i64, RecordRow)>)> {
    let items: Vec<Item> = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {ITEM_COLS} FROM disclosures d JOIN units u ON u.id = d.unit_id WHERE d.unit_id = $1 AND d.published_on >= $2 \
           AND d.published_on <= $3 AND d.withdrawn_at IS NULL ORDER BY d.published_on, d.id"
    )))
    .bind(unit_id)
    .bind(from)
    .bind(to)
    .fetch_all(store.reader())
    .await?
    .iter()
    .map(item_from)
    .collect::<Result<_>>()?;
    let records = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT r.disclosure_id, {RECORD_COLS} FROM disclosure_records r JOIN disclosures d ON d.id = r.disclosure_id AND d.version = r.version \
           LEFT JOIN units p ON p.id = r.place_id \
         WHERE d.unit_id = $1 AND d.published_on >= $2 AND d.published_on <= $3 AND d.withdrawn_at IS NULL ORDER BY r.start_on, r.id"
    )))
    .bind(unit_id)
    .bind(from)
    .bind(to)
    .fetch_all(store.reader())
    .await?
    .iter()
    .map(|r| Ok((r.try_get("disclosure_id")?, record_from(r)?)))
    .collect::<Result<_>>()?;
    Ok((items, records))
}

// ---------------------------------------------------------------- roll-up

/// The verdict counts of one unit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub items: i64,
    pub compliant: i64,
    pub late: i64,
    pub in_progress: i64,
    pub pending: i64,
    pub non_compliant: i64,
}

impl Counts {
    /// Adds another unit's counts (totals over several units).
    pub fn add(&mut self, o: &Counts) {
        self.items += o.items;
        self.compliant += o.compliant;
        self.late += o.late;
        self.in_progress += o.in_progress;
        self.pending += o.pending;
        self.non_compliant += o.non_compliant;
    }
}

fn counts_from(r: &AnyRow) -> Result<Counts> {
    Ok(Counts {
        items: r.try_get("items")?,
        compliant: r.try_get("compliant")?,
        late: r.try_get("late")?,
        in_progress: r.try_get("in_progress")?,
        pending: r.try_get("pending")?,
        non_compliant: r.try_get("non_compliant")?,
    })
}

const COUNT_COLS: &str = "COALESCE(s.items, 0) AS items, COALESCE(s.compliant, 0) AS compliant, COALESCE(s.late, 0) AS late, \
    COALESCE(s.in_progress, 0) AS in_progress, COALESCE(s.pending, 0) AS pending, COALESCE(s.non_compliant, 0) AS non_compliant";

/// A unit's counts.
pub async fn counts(store: &Store, unit_id: i64) -> Result<Counts> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COUNT_COLS} FROM units u LEFT JOIN disclosure_stats s ON s.unit_id = u.id WHERE u.id = $1"
    )))
    .bind(unit_id)
    .fetch_optional(store.reader())
    .await?;
    row.map(|r| counts_from(&r)).transpose().map(|c| c.unwrap_or_default())
}

/// The counts of each child of a unit (e.g. the 166 communes of the
/// province), with the child's code and name: one query over the roll-up.
pub async fn counts_of_children(store: &Store, parent_id: i64) -> Result<Vec<(i64, String, String, Counts)>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT u.id, u.code, u.name, {COUNT_COLS} FROM units u LEFT JOIN disclosure_stats s ON s.unit_id = u.id \
         WHERE u.parent_id = $1 AND u.valid_to IS NULL ORDER BY u.code"
    )))
    .bind(parent_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter().map(|r| Ok((r.try_get("id")?, r.try_get("code")?, r.try_get("name")?, counts_from(r)?))).collect()
}

/// Rebuilds `disclosure_stats` from the items (repair; `danchu recount`).
pub async fn recount(store: &Store) -> Result<()> {
    let mut tx = store.write().await?;
    sqlx::query("DELETE FROM disclosure_stats").execute(&mut *tx).await?;
    sqlx::query(
        "INSERT INTO disclosure_stats (unit_id, items, compliant, late, in_progress, pending, non_compliant) \
         SELECT unit_id, COUNT(*), \
           SUM(CASE WHEN verdict = 'compliant' THEN 1 ELSE 0 END), SUM(CASE WHEN verdict = 'late' THEN 1 ELSE 0 END), \
           SUM(CASE WHEN verdict = 'in_progress' THEN 1 ELSE 0 END), SUM(CASE WHEN verdict = 'pending' THEN 1 ELSE 0 END), \
           SUM(CASE WHEN verdict = 'non_compliant' THEN 1 ELSE 0 END) \
         FROM disclosures WHERE withdrawn_at IS NULL GROUP BY unit_id",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------- exemptions

/// A recorded use of an exemption (C0.6): never the content.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Exemption {
    pub id: i64,
    pub category: String,
    pub ground: String,
    pub reference: String,
    pub decided_on: String,
    pub decided_by: Option<String>,
}

/// Records that an exemption was used.
pub async fn add_exemption(
    tx: &mut Tx,
    unit: &Unit,
    category: &str,
    ground: &str,
    reference: &str,
    decided_on: &str,
    user_id: i64,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO disclosure_exemptions (unit_id, unit_path, category, ground, reference, decided_on, decided_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(unit.id)
    .bind(&unit.path)
    .bind(category)
    .bind(ground)
    .bind(reference)
    .bind(decided_on)
    .bind(user_id)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.try_get("id")?)
}

/// A unit's exemptions, newest first.
pub async fn exemptions(store: &Store, unit_id: i64) -> Result<Vec<Exemption>> {
    let rows = sqlx::query(
        "SELECT e.id, e.category, e.ground, e.reference, e.decided_on, us.full_name AS decided_by FROM disclosure_exemptions e \
         LEFT JOIN users us ON us.id = e.decided_by WHERE e.unit_id = $1 ORDER BY e.id DESC LIMIT 200",
    )
    .bind(unit_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Exemption {
                id: r.try_get("id")?,
                category: r.try_get("category")?,
                ground: r.try_get("ground")?,
                reference: r.try_get("reference")?,
                decided_on: r.try_get("decided_on")?,
                decided_by: r.try_get("decided_by")?,
            })
        })
        .collect()
}

// ---------------------------------------------------------------- documents

/// Records that the plan or quarterly list of a period was generated as
/// item `disclosure_id`; false if that period already has one.
pub async fn record_document(
    tx: &mut Tx,
    unit_id: i64,
    kind: &str,
    period: &str,
    disclosure_id: i64,
    user_id: Option<i64>,
) -> Result<bool> {
    let exists = sqlx::query("SELECT 1 AS x FROM disclosure_documents WHERE unit_id = $1 AND kind = $2 AND period = $3")
        .bind(unit_id)
        .bind(kind)
        .bind(period)
        .fetch_optional(&mut **tx)
        .await?;
    if exists.is_some() {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO disclosure_documents (unit_id, kind, period, disclosure_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(unit_id)
    .bind(kind)
    .bind(period)
    .bind(disclosure_id)
    .bind(user_id)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

/// The item generated for a unit's document of a period, if any.
pub async fn document(store: &Store, unit_id: i64, kind: &str, period: &str) -> Result<Option<i64>> {
    let row = sqlx::query("SELECT disclosure_id FROM disclosure_documents WHERE unit_id = $1 AND kind = $2 AND period = $3")
        .bind(unit_id)
        .bind(kind)
        .bind(period)
        .fetch_optional(store.reader())
        .await?;
    Ok(row.map(|r| opt_i64(&r, "disclosure_id")).transpose()?.flatten())
}

// ---------------------------------------------------------------- search

/// The scope tokens of an item: its unit and every ancestor (`u<id>`), its
/// category (`c<code without dash>`) and audience (`a<audience>`), so a
/// search within a commune or a category is one index lookup.
pub fn scope_tokens(unit_path: &str, category: &str, audience: &str) -> String {
    let mut s: Vec<String> = unit_path.split('/').filter(|p| !p.is_empty()).map(|id| format!("u{id}")).collect();
    s.push(category_token(category));
    s.push(format!("a{audience}"));
    s.join(" ")
}

/// The scope token of a category.
pub fn category_token(category: &str) -> String {
    format!("c{}", category.replace('-', ""))
}

#[allow(clippy::too_many_arguments)]
async fn index(
    tx: &mut Tx,
    id: i64,
    unit_path: &str,
    category: &str,
    audience: &str,
    title: &str,
    body: &str,
    attachments: &str,
) -> Result<()> {
    let title = fold(title);
    let mut text = fold(body);
    text.push(' ');
    text.push_str(&fold(attachments));
    if text.len() > INDEX_CHARS {
        let mut cut = INDEX_CHARS;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    let scope = scope_tokens(unit_path, category, audience);
    match crate::db::tx_backend(tx) {
        Backend::Sqlite => {
            sqlx::query("INSERT INTO disclosure_fts (rowid, title, body, scope) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(title)
                .bind(text)
                .bind(scope)
                .execute(&mut **tx)
                .await?;
        }
        Backend::Postgres => {
            sqlx::query(
                "INSERT INTO disclosure_fts (rowid, tsv) VALUES ($1, setweight(to_tsvector('simple', $2), 'A') || \
                   setweight(to_tsvector('simple', $3), 'D') || to_tsvector('simple', $4))",
            )
            .bind(id)
            .bind(title)
            .bind(text)
            .bind(scope)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

async fn unindex(tx: &mut Tx, id: i64) -> Result<()> {
    sqlx::query("DELETE FROM disclosure_fts WHERE rowid = $1").bind(id).execute(&mut **tx).await?;
    Ok(())
}

// ---------------------------------------------------------------- search partitions (PostgreSQL)

/// Ids per partition of `disclosure_fts` on PostgreSQL (migration 0003):
/// partition `disclosure_fts_p<lower bound, 12 digits>` holds the ids from its
/// lower bound to the next multiple of this. At the province's pace (a few
/// hundred items a day) one partition lasts a year or more; at 1,000,000
/// items there are 11, whose GIN postings are each ten times shorter than
/// one table's.
pub const SEARCH_PARTITION_IDS: i64 = 100_000;

/// The DEFAULT partition: rows whose id is beyond every created partition.
const SEARCH_DEFAULT_PARTITION: &str = "disclosure_fts_default";

/// Serialises the creation of search partitions between nodes.
const SEARCH_PARTITION_LOCK: i64 = 727_274_003;

/// The partitions of the search index, newest ids first: the DEFAULT
/// partition (ids beyond the created ones, normally empty), then the ranges
/// from the highest down. Read from the catalog (one cheap query), so every
/// node sees the partitions another node created; the search reads the same
/// list, in the same order, inside the server (`danchu_search_newest`,
/// migration 0005). Empty on SQLite.
pub async fn search_partitions(store: &Store) -> Result<Vec<String>> {
    if store.backend() != Backend::Postgres {
        return Ok(Vec::new());
    }
    // Names carry the zero-padded lower bound, so their order is the ids' order.
    let rows = sqlx::query(
        "SELECT c.relname::text AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid \
         WHERE i.inhparent = 'disclosure_fts'::regclass \
         ORDER BY (c.relname = 'disclosure_fts_default') DESC, c.relname DESC",
    )
    .fetch_all(store.reader())
    .await?;
    rows.iter().map(|r| Ok(r.try_get("name")?)).collect()
}

/// The lower bound of a range partition, from its name.
fn partition_lower_bound(name: &str) -> Option<i64> {
    name.strip_prefix("disclosure_fts_p")?.parse().ok()
}

/// The partition holding an item's index row (PostgreSQL), or
/// `disclosure_fts` (SQLite); `None` when the item is not indexed (withdrawn).
/// For tests and diagnostics.
pub async fn search_partition_of(store: &Store, id: i64) -> Result<Option<String>> {
    let sql = match store.backend() {
        Backend::Sqlite => "SELECT 'disclosure_fts' AS name FROM disclosure_fts WHERE rowid = $1",
        Backend::Postgres => "SELECT tableoid::regclass::text AS name FROM disclosure_fts WHERE rowid = $1",
    };
    let row = sqlx::query(sql).bind(id).fetch_optional(store.reader()).await?;
    row.map(|r| Ok(r.try_get("name")?)).transpose()
}

/// The `want` newest items matching `q` (highest ids first, listed or not):
/// the candidates [`search_bounded`] ranks when no date filter is given, in
/// the order they are taken (PostgreSQL: `danchu_search_newest`, partition by
/// partition). For tests and diagnostics.
pub async fn search_candidates(store: &Store, q: &SearchQuery, want: i64) -> Result<Vec<i64>> {
    let tokens = q.tokens();
    if q.words.is_empty() {
        return Ok(Vec::new());
    }
    let (sql, expr) = match store.backend() {
        Backend::Sqlite => (
            "SELECT rowid AS id FROM disclosure_fts WHERE disclosure_fts MATCH $1 ORDER BY rowid DESC LIMIT $2",
            tokens.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(" AND "),
        ),
        Backend::Postgres => ("SELECT id FROM danchu_search_newest(to_tsquery('simple', $1), $2::integer)", tokens.join(" & ")),
    };
    let rows = sqlx::query(sql).bind(expr).bind(want).persistent(false).fetch_all(store.reader()).await?;
    rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
}

/// Creates the search partitions the next ids will need, so that the
/// partitions always reach at least [`SEARCH_PARTITION_IDS`] beyond the
/// highest item id; returns how many it created (0 on SQLite).
///
/// Why a periodic job (the job worker calls this once a minute on every
/// node) rather than the index write itself: creating a partition takes
/// locks on the index table (SHARE UPDATE EXCLUSIVE on `disclosure_fts`,
/// ACCESS EXCLUSIVE on the DEFAULT partition), which inside a publication's
/// transaction would be held until its commit, blocking every search, and
/// could deadlock with another publication waiting on the audit head row.
/// Here it is a short transaction of its own, one whole partition (weeks to
/// years of publications) ahead of need, and the DEFAULT partition takes any
/// row that still comes early (a job stopped for long, a bulk load), so no
/// write fails for want of a partition. Several nodes: the advisory lock lets
/// one create while the others wait and then find nothing to do; a short
/// `lock_timeout` gives up rather than stall searches behind a long query,
/// and the next run tries again. Rows already in the DEFAULT partition for
/// the new range are moved into it in the same transaction.
pub async fn extend_search_partitions(store: &Store) -> Result<usize> {
    if store.backend() != Backend::Postgres {
        return Ok(0);
    }
    // The highest id and the end of the created ranges.
    const MAX_ID: &str = "SELECT COALESCE(MAX(id), 0) AS n FROM disclosures";
    let end = |names: &[String]| names.iter().filter_map(|n| partition_lower_bound(n)).max().map_or(0, |lo| lo + SEARCH_PARTITION_IDS);
    let needed = sqlx::query(MAX_ID).fetch_one(store.reader()).await?.try_get::<i64, _>("n")? + SEARCH_PARTITION_IDS;
    // The common case, no lock taken: the partitions already reach far enough.
    if end(&search_partitions(store).await?) > needed {
        return Ok(0);
    }
    let mut tx = store.write().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(SEARCH_PARTITION_LOCK).execute(&mut *tx).await?;
    sqlx::query("SET LOCAL lock_timeout = '5s'").execute(&mut *tx).await?;
    let needed = sqlx::query(MAX_ID).fetch_one(&mut *tx).await?.try_get::<i64, _>("n")? + SEARCH_PARTITION_IDS;
    let names: Vec<String> = sqlx::query(
        "SELECT c.relname::text AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid \
         WHERE i.inhparent = 'disclosure_fts'::regclass",
    )
    .fetch_all(&mut *tx)
    .await?
    .iter()
    .map(|r| r.try_get("name"))
    .collect::<Result<_, _>>()?;
    let mut lo = end(&names);
    let mut created = 0;
    while lo <= needed {
        let hi = lo + SEARCH_PARTITION_IDS;
        let name = format!("disclosure_fts_p{lo:012}");
        // Writes to the DEFAULT partition wait while its rows of the new
        // range move (reads go on); ATTACH then checks that none is left.
        for sql in [
            format!("LOCK TABLE {SEARCH_DEFAULT_PARTITION} IN EXCLUSIVE MODE"),
            format!("CREATE TABLE {name} (LIKE disclosure_fts)"),
            format!(
                "INSERT INTO {name} (rowid, tsv) SELECT rowid, tsv FROM {SEARCH_DEFAULT_PARTITION} WHERE rowid >= {lo} AND rowid < {hi}"
            ),
            format!("DELETE FROM {SEARCH_DEFAULT_PARTITION} WHERE rowid >= {lo} AND rowid < {hi}"),
            // Creates the partition's primary key and GIN index, like the
            // parent's; SHARE UPDATE EXCLUSIVE on the parent, so searches
            // and writes to other partitions go on.
            format!("ALTER TABLE disclosure_fts ATTACH PARTITION {name} FOR VALUES FROM ({lo}) TO ({hi})"),
        ] {
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *tx).await?;
        }
        lo = hi;
        created += 1;
    }
    tx.commit().await?;
    Ok(created)
}

/// A search: folded words (letters and digits only), all of which must
/// appear, plus scope tokens.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub words: Vec<String>,
    pub scope: Vec<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl SearchQuery {
    /// Parses what a user typed: folded (no diacritics, lower case, "hoà" and
    /// "hòa" alike), split into words; anything that is not a letter or a digit
    /// separates words, so no input can reach the index's query syntax.
    /// At most 12 words of at most 40 characters are kept.
    pub fn parse(input: &str) -> SearchQuery {
        let words = fold(input)
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(|w| w.chars().take(40).collect::<String>())
            .filter(|w| w.chars().all(|c| c.is_alphanumeric()))
            .take(12)
            .collect();
        SearchQuery { words, ..SearchQuery::default() }
    }

    /// The publication-date conditions on `d` and their values, numbered
    /// after the `base` parameters the search statement binds first.
    fn date_filter(&self, base: usize) -> (String, Vec<String>) {
        let mut sql = String::new();
        let mut binds = Vec::new();
        for (value, op) in [(&self.from, ">="), (&self.to, "<=")] {
            if let Some(v) = value {
                binds.push(v.clone());
                sql.push_str(&format!(" AND d.published_on {op} ${}", base + binds.len()));
            }
        }
        (sql, binds)
    }

    fn tokens(&self) -> Vec<String> {
        self.words
            .iter()
            .chain(self.scope.iter())
            .map(|w| w.chars().filter(|c| c.is_alphanumeric()).collect::<String>())
            .filter(|w| !w.is_empty())
            .collect()
    }
}

/// Ranked search over published items for citizens; returns item ids, best
/// first (one query). Titles weigh more than bodies and attachments.
pub async fn search(store: &Store, q: &SearchQuery, offset: i64, limit: i64) -> Result<Vec<i64>> {
    let tokens = q.tokens();
    if q.words.is_empty() {
        return Ok(Vec::new());
    }
    let base = 3;
    let (date_sql, binds) = q.date_filter(base);
    let (sql, expr) = match store.backend() {
        Backend::Sqlite => {
            // Every token quoted: FTS5 sees only "word" strings, never syntax.
            let expr = tokens.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(" AND ");
            (
                format!(
                    "SELECT d.id FROM disclosure_fts f JOIN disclosures d ON d.id = f.rowid WHERE disclosure_fts MATCH $1 {date_sql} \
                     AND d.withdrawn_at IS NULL AND d.audience = 'citizens' \
                     ORDER BY bm25(disclosure_fts, 8.0, 1.0, 0.0), d.published_at DESC LIMIT $2 OFFSET $3"
                ),
                expr,
            )
        }
        Backend::Postgres => {
            let expr = tokens.join(" & ");
            (
                format!(
                    "SELECT d.id FROM disclosure_fts f JOIN disclosures d ON d.id = f.rowid WHERE f.tsv @@ to_tsquery('simple', $1) {date_sql} \
                     AND d.withdrawn_at IS NULL AND d.audience = 'citizens' \
                     ORDER BY ts_rank(f.tsv, to_tsquery('simple', $1), 1) DESC, d.published_at DESC LIMIT $2 OFFSET $3"
                ),
                expr,
            )
        }
    };
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(expr).bind(limit).bind(offset);
    for b in binds {
        query = query.bind(b);
    }
    let rows = query.fetch_all(store.reader()).await?;
    rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
}

// ---------------------------------------------------------------- benchmark data

/// An item of the benchmark's generated dataset (`danchu bench --scenario
/// disclosures`): its current version and, for a few, one earlier version
/// that it superseded. No file is stored: `attachment_text` is only indexed,
/// as if extracted from an attachment.
#[derive(Debug, Clone)]
pub struct BenchItem {
    pub unit_id: i64,
    pub unit_path: String,
    pub category: String,
    pub audience: String,
    pub title: String,
    pub body: String,
    pub attachment_text: String,
    pub decision_number: String,
    pub decision_date: String,
    pub signer: String,
    pub published_at: i64,
    pub published_on: String,
    pub deadline: Option<String>,
    pub verdict: String,
    pub next_review: Option<String>,
    /// An earlier version: (title, body, published_at, published_on).
    pub earlier: Option<(String, String, i64, String)>,
}

/// The `meta` key counting the benchmark items loaded so far.
pub const BENCH_ITEMS_KEY: &str = "bench_disclosures";

/// How many benchmark items `bulk_insert_bench` has loaded (0 if none).
pub async fn bench_items_loaded(store: &Store) -> Result<i64> {
    Ok(crate::meta::get(store, BENCH_ITEMS_KEY).await?.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Bulk-loads benchmark items (`is_demo = 1`) and then rebuilds the roll-up
/// once (`recount`). See [`bulk_insert_bench`].
pub async fn bulk_load_bench(store: &Store, rows: &[BenchItem]) -> Result<()> {
    bulk_insert_bench(store, rows).await?;
    recount(store).await
}

/// Writes benchmark items — `disclosures`, `disclosure_versions` and
/// `disclosure_fts` (folded and scoped exactly as `index` does) — with
/// multi-row INSERTs of 250 rows, in transactions of 5,000 items; each
/// transaction also moves the `bench_disclosures` counter, so an interrupted
/// load resumes where it stopped. Ids are given explicitly (the next free
/// ones, the table locked on PostgreSQL, whose identity sequence is moved
/// past them), so nothing is read back per row. The roll-up
/// Search partitions (PostgreSQL) are created ahead as the load goes
/// ([`extend_search_partitions`]). The roll-up
/// `disclosure_stats` is NOT touched: call `recount` once at the end (or use
/// [`bulk_load_bench`]). For benchmarks and load tests only: verdicts are
/// taken as given, no audit entry is written.
pub async fn bulk_insert_bench(store: &Store, rows: &[BenchItem]) -> Result<()> {
    const TX_ROWS: usize = 5_000;
    const STMT_ROWS: usize = 250;
    for chunk in rows.chunks(TX_ROWS) {
        // What the job worker does once a minute: the next 5,000 ids must
        // land in a partition of their own, not in the DEFAULT one.
        extend_search_partitions(store).await?;
        let mut tx = store.write().await?;
        let backend = crate::db::tx_backend(&mut tx);
        if backend == Backend::Postgres {
            sqlx::query("LOCK TABLE disclosures IN SHARE ROW EXCLUSIVE MODE").execute(&mut *tx).await?;
        }
        let first: i64 = sqlx::query("SELECT COALESCE(MAX(id), 0) + 1 AS n FROM disclosures").fetch_one(&mut *tx).await?.try_get("n")?;
        let now = now_ms();
        for (k, part) in chunk.chunks(STMT_ROWS).enumerate() {
            let base = first + (k * STMT_ROWS) as i64;
            // disclosures
            let mut sql = String::from(
                "INSERT INTO disclosures (id, unit_id, unit_path, category, audience, version, title, summary, decision_date, \
                 first_published_at, published_at, published_on, deadline, verdict, next_review, is_demo, created_at) VALUES ",
            );
            let mut p = crate::db::Params::for_tx(&tx);
            for i in 0..part.len() {
                if i > 0 {
                    sql.push(',');
                }
                sql.push_str(&p.tuple(17, ""));
            }
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (j, it) in part.iter().enumerate() {
                let first_at = it.earlier.as_ref().map(|e| e.2).unwrap_or(it.published_at);
                q = q
                    .bind(base + j as i64)
                    .bind(it.unit_id)
                    .bind(&it.unit_path)
                    .bind(&it.category)
                    .bind(&it.audience)
                    .bind(if it.earlier.is_some() { 2i64 } else { 1i64 })
                    .bind(&it.title)
                    .bind(summary_of(&it.body))
                    .bind(&it.decision_date)
                    .bind(first_at)
                    .bind(it.published_at)
                    .bind(&it.published_on)
                    .bind(&it.deadline)
                    .bind(&it.verdict)
                    .bind(&it.next_review)
                    .bind(1i64)
                    .bind(now);
            }
            q.execute(&mut *tx).await?;
            // disclosure_versions
            let nv: usize = part.iter().map(|it| 1 + it.earlier.is_some() as usize).sum();
            let mut sql = String::from(
                "INSERT INTO disclosure_versions (disclosure_id, version, title, body, decision_number, decision_date, signer, \
                 change_note, published_at, published_on, superseded_on) VALUES ",
            );
            let mut p = crate::db::Params::for_tx(&tx);
            for i in 0..nv {
                if i > 0 {
                    sql.push(',');
                }
                sql.push_str(&p.tuple(11, ""));
            }
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (j, it) in part.iter().enumerate() {
                let id = base + j as i64;
                let mut version = 1i64;
                if let Some((title, body, at, on)) = &it.earlier {
                    q = q
                        .bind(id)
                        .bind(1i64)
                        .bind(title)
                        .bind(body)
                        .bind(&it.decision_number)
                        .bind(&it.decision_date)
                        .bind(&it.signer)
                        .bind(None::<String>)
                        .bind(*at)
                        .bind(on)
                        .bind(Some(it.published_on.clone()));
                    version = 2;
                }
                q = q
                    .bind(id)
                    .bind(version)
                    .bind(&it.title)
                    .bind(&it.body)
                    .bind(&it.decision_number)
                    .bind(&it.decision_date)
                    .bind(&it.signer)
                    .bind((version > 1).then(|| "Đính chính số liệu, bổ sung nội dung".to_string()))
                    .bind(it.published_at)
                    .bind(&it.published_on)
                    .bind(None::<String>);
            }
            q.execute(&mut *tx).await?;
            // disclosure_fts, folded and scoped as `index` does
            let mut sql = String::from("INSERT INTO disclosure_fts ");
            let mut p = crate::db::Params::for_tx(&tx);
            match backend {
                Backend::Sqlite => sql.push_str("(rowid, title, body, scope) VALUES "),
                Backend::Postgres => sql.push_str("(rowid, tsv) VALUES "),
            }
            for i in 0..part.len() {
                if i > 0 {
                    sql.push(',');
                }
                match backend {
                    Backend::Sqlite => sql.push_str(&p.tuple(4, "")),
                    Backend::Postgres => {
                        let (a, b, c, d) = (p.next(), p.next(), p.next(), p.next());
                        sql.push_str(&format!(
                            "({a}, setweight(to_tsvector('simple', {b}), 'A') || setweight(to_tsvector('simple', {c}), 'D') || \
                             to_tsvector('simple', {d}))"
                        ));
                    }
                }
            }
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (j, it) in part.iter().enumerate() {
                let mut text = fold(&it.body);
                text.push(' ');
                text.push_str(&fold(&it.attachment_text));
                if text.len() > INDEX_CHARS {
                    let mut cut = INDEX_CHARS;
                    while !text.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    text.truncate(cut);
                }
                q = q.bind(base + j as i64).bind(fold(&it.title)).bind(text).bind(scope_tokens(&it.unit_path, &it.category, &it.audience));
            }
            q.execute(&mut *tx).await?;
        }
        if backend == Backend::Postgres {
            sqlx::query("SELECT setval(pg_get_serial_sequence('disclosures', 'id'), (SELECT MAX(id) FROM disclosures))")
                .execute(&mut *tx)
                .await?;
        }
        let before: i64 = sqlx::query("SELECT value FROM meta WHERE key = $1")
            .bind(BENCH_ITEMS_KEY)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.try_get::<String, _>("value"))
            .transpose()?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        crate::meta::set(&mut tx, BENCH_ITEMS_KEY, &(before + chunk.len() as i64).to_string()).await?;
        crate::meta::bump_public_version(&mut tx).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// Matching items `search_bounded` ranks: the newest ones.
pub const SEARCH_CANDIDATES: i64 = 2_000;

/// Ranked search like [`search`], bounded for large indexes: only the
/// [`SEARCH_CANDIDATES`] newest matching items (highest ids, i.e. first
/// published last) are ranked, so the cost no longer grows with the number
/// of matches. [`search`] ranks every match and joins every match to
/// `disclosures`: at 1,000,000 items a common word ("hỗ trợ", 400,000
/// matches) took 0.4–1.3 s on both backends.
///
/// The candidates come straight from the index in id order, so a common
/// word costs the same as a rare one: FTS5 walks its doclists backwards and
/// stops at the limit. PostgreSQL takes them partition by partition of
/// `disclosure_fts` (ranges of [`SEARCH_PARTITION_IDS`] ids, see
/// [`search_partitions`]), newest first, until it has the bound, in one
/// call of the PL/pgSQL function `danchu_search_newest` (migration 0005,
/// one statement per partition planned inside the server): in each, the
/// planner walks the primary key backwards checking `@@` when the words are
/// common there, and uses the GIN index when they are rare, by that
/// partition's statistics. With one table, a subject and a year ("ngân sách
/// 2024": old items) or words that always come together ("thủ tục hành
/// chính") misled it into reading 100,000–500,000 rows (0.3–1.1 s); per
/// partition an error costs at most one partition. Ranking within the
/// candidates:
/// - PostgreSQL: `ts_rank` as in [`search`] (title weight A), on ≤ 2,000
///   rows.
/// - SQLite: how many of the words, and whether the whole phrase, appear in
///   the (folded) title, then recency. FTS5's `bm25` cannot be used even on
///   2,000 rows: it first counts, for every word, all the documents holding
///   it (20–50 ms for common words at 1,000,000 items).
///
/// Deep pages: the search page shows at most 50 pages of 20, within the
/// 2,000 candidates. Filters (withdrawn, audience, dates) are applied before
/// the bound, so a date range still gets up to 2,000 candidates of its own
/// (on PostgreSQL without dates, the audience after it: withdrawn items are
/// not indexed, and items for staff only are few).
pub async fn search_bounded(store: &Store, q: &SearchQuery, offset: i64, limit: i64) -> Result<Vec<i64>> {
    let tokens = q.tokens();
    if q.words.is_empty() {
        return Ok(Vec::new());
    }
    let base = 3;
    let (date_sql, mut binds) = q.date_filter(base);
    let (sql, expr) = match store.backend() {
        Backend::Sqlite => {
            let expr = tokens.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(" AND ");
            // Title score: one point per word found in the folded title, two
            // more when the words appear there as typed (a phrase).
            let words: Vec<String> =
                q.words.iter().map(|w| w.chars().filter(|c| c.is_alphanumeric()).collect::<String>()).filter(|w| !w.is_empty()).collect();
            let mut score = Vec::new();
            for w in &words {
                binds.push(format!(" {w} "));
                score.push(format!("(instr(c.t, ${}) > 0)", base + binds.len()));
            }
            if words.len() > 1 {
                binds.push(format!(" {} ", words.join(" ")));
                score.push(format!("2 * (instr(c.t, ${}) > 0)", base + binds.len()));
            }
            let score = if score.is_empty() { "0".to_string() } else { score.join(" + ") };
            (
                format!(
                    "SELECT c.id FROM (SELECT f.rowid AS id, ' ' || f.title || ' ' AS t, d.published_at AS at \
                       FROM disclosure_fts f JOIN disclosures d ON d.id = f.rowid \
                       WHERE disclosure_fts MATCH $1 AND d.withdrawn_at IS NULL AND d.audience = 'citizens' {date_sql} \
                       ORDER BY f.rowid DESC LIMIT {SEARCH_CANDIDATES}) c \
                     ORDER BY {score} DESC, c.at DESC, c.id DESC LIMIT $2 OFFSET $3"
                ),
                expr,
            )
        }
        Backend::Postgres => {
            let expr = tokens.join(" & ");
            // Candidates from the index table alone, joined to
            // `disclosures` only for the 2,000 kept: joining every match
            // first cost up to 2× more. Withdrawn items are not indexed, so
            // only the audience (and dates) can drop a candidate; with a
            // date range the join comes first, so that the range gets
            // candidates of its own.
            let sql = if date_sql.is_empty() {
                // Partition by partition, newest ids first, inside the
                // server in one round trip (`danchu_search_newest`,
                // migration 0005): each partition is read by a statement of
                // its own, planned with that partition's statistics (GIN
                // bitmap or primary key backwards) and cheap to plan, and
                // the walk stops at the partition that completes the bound;
                // each candidate is ranked on the row just read. The 13-branch
                // `UNION ALL` it replaced took 5–15 ms to plan and fetched
                // every candidate again through the partitioned table to rank
                // it; one statement per partition sent from here lost that
                // saving to round trips (docs/BENCHMARKS.md). Same candidates,
                // same order.
                format!(
                    "SELECT c.id FROM danchu_search_newest(to_tsquery('simple', $1), {SEARCH_CANDIDATES}) c WHERE c.listed \
                     ORDER BY c.rank DESC, c.published_at DESC, c.id DESC LIMIT $2 OFFSET $3"
                )
            } else {
                format!(
                    "WITH c AS MATERIALIZED (SELECT f.rowid AS id, f.tsv, d.published_at AS at FROM disclosure_fts f \
                       JOIN disclosures d ON d.id = f.rowid \
                       WHERE f.tsv @@ to_tsquery('simple', $1) AND d.withdrawn_at IS NULL AND d.audience = 'citizens' {date_sql} \
                       ORDER BY f.rowid DESC LIMIT {SEARCH_CANDIDATES}) \
                     SELECT c.id FROM c ORDER BY ts_rank(c.tsv, to_tsquery('simple', $1), 1) DESC, c.at DESC, c.id DESC LIMIT $2 OFFSET $3"
                )
            };
            (sql, expr)
        }
    };
    // PostgreSQL: an unnamed statement, planned for its own words every time.
    // A named (cached) one may switch to a generic plan after five runs, which
    // cannot tell a word in half the items from a rare one and would read
    // every partition the same way for both. (A precaution: the two were not
    // compared at 1,000,000 items.)
    let persistent = store.backend() == Backend::Sqlite;
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(expr).bind(limit).bind(offset).persistent(persistent);
    for b in binds {
        query = query.bind(b);
    }
    let rows = query.fetch_all(store.reader()).await?;
    rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
}
