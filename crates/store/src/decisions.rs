//! Community decisions (dân quyết): the decision and the household bases of
//! its villages, online votes (participation list, urn, receipts), paper
//! household ballots and their count, meetings and their attendance, and the
//! roll-up counters in `decision_counts`.
//!
//! The rules (thresholds, forms, windows, who may vote) are in
//! `danchu_domain::decision`; every write here is a statement of one
//! caller's transaction and keeps the counters in step, so that a result is
//! read from a fixed number of counter rows and never from the urn.
//!
//! Secrecy of a secret vote: the voter row (`decision_voters`) says who
//! voted and when, never how; the urn row (`decision_ballots`) says how,
//! never who nor when, and has a random key. What could still link them is
//! physical: on PostgreSQL rows written by one transaction share their
//! `xmin` and sit next to each other in the heap until [`reshuffle_urn`]
//! rewrites the urn at closing (one transaction for all ballots, random
//! order, new keys; the old versions are then vacuumed); on SQLite the
//! urn is ordered by its random key (WITHOUT ROWID), deleted content is
//! overwritten (`secure_delete`) and the write-ahead log is checkpointed
//! after the reshuffle. Somebody watching the database while votes arrive
//! can always link them; that is outside what storage can prevent.

use crate::db::{flag, now_ms, opt_i64, tx_backend, Backend, Params, Result, Store, StoreError, Tx};
use danchu_domain::decision::{Choice, Counts};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::{BTreeMap, HashMap};

/// Being prepared: bases frozen, no vote yet.
pub const DRAFT: &str = "draft";
/// Votes, ballots or meetings are being taken.
pub const OPEN: &str = "open";
/// Closed: the result is frozen.
pub const CLOSED: &str = "closed";
/// Passed (R2.15).
pub const DECIDED: &str = "decided";
/// Not passed.
pub const FAILED: &str = "failed";
/// Sent to the commune People's Committee and Front (R2.17).
pub const SENT: &str = "sent";
/// Recognised (R2.18).
pub const RECOGNISED: &str = "recognised";
/// Refused in writing (R2.18).
pub const REFUSED: &str = "refused";
/// Annulled (R2.19).
pub const ANNULLED: &str = "annulled";

/// The `Conflict` payload of a second vote of a household.
pub const ALREADY_VOTED: &str = "decision_voters.household";

/// Shards of the vote counters (see `decision_counts` in the migration).
const SHARDS: u64 = 8;

/// The stored name of a choice.
pub fn choice_str(c: Choice) -> &'static str {
    match c {
        Choice::Agree => "agree",
        Choice::Disagree => "disagree",
        Choice::Other => "other",
        Choice::Invalid => "invalid",
    }
}

/// A choice from its stored name.
pub fn parse_choice(s: &str) -> Option<Choice> {
    match s {
        "agree" => Some(Choice::Agree),
        "disagree" => Some(Choice::Disagree),
        "other" => Some(Choice::Other),
        "invalid" => Some(Choice::Invalid),
        _ => None,
    }
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::getrandom(&mut b).expect("the OS random source works");
    b
}

/// A random key of the urn (128 bits).
fn urn_key() -> String {
    hex::encode(random_bytes::<16>())
}

/// SHA-256 hex of a receipt code: what the urn stores.
pub fn receipt_hash(code: &str) -> String {
    hex::encode(Sha256::digest(code.trim().to_ascii_uppercase().as_bytes()))
}

/// A counter key in a random shard.
fn counter_key(village_id: i64, choice: Choice) -> String {
    let shard = u64::from_le_bytes(random_bytes::<8>()) % SHARDS;
    format!("village:{village_id}:{}@{shard}", choice_str(choice))
}

/// A decision as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Decision {
    pub id: i64,
    pub unit_id: i64,
    pub unit_path: String,
    pub scope: String,
    pub village_id: Option<i64>,
    pub subject: i64,
    pub title: String,
    pub question: String,
    pub content: String,
    pub form: String,
    pub secret: bool,
    pub status: String,
    pub redo_of: Option<i64>,
    pub decision_date: String,
    pub opens_at: Option<i64>,
    pub closes_at: Option<i64>,
    pub result: Option<FrozenResult>,
    pub closed_at: Option<i64>,
    pub sent_on: Option<String>,
    pub answered_on: Option<String>,
    pub answer_note: Option<String>,
    pub is_demo: bool,
    pub created_by: Option<i64>,
    pub created_at: i64,
}

/// The result frozen at closing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct FrozenResult {
    pub agree: i64,
    pub disagree: i64,
    pub other: i64,
    pub invalid: i64,
    pub voted: i64,
    pub households: i64,
    pub required: i64,
    pub passed: bool,
    /// Commune-wide matters: villages of the commune, and those passing.
    pub villages: Option<i64>,
    pub villages_passed: Option<i64>,
    pub frozen_at: i64,
}

const COLS: &str = "id, unit_id, unit_path, scope, village_id, subject, title, question, content, form, secret, status, redo_of, \
    decision_date, opens_at, closes_at, agree, disagree, other, invalid, voted, households, required, passed, villages, \
    villages_passed, closed_at, frozen_at, sent_on, answered_on, answer_note, is_demo, created_by, created_at";

fn from_row(r: &AnyRow) -> Result<Decision> {
    let result = match opt_i64(r, "frozen_at")? {
        Some(frozen_at) => Some(FrozenResult {
            agree: r.try_get("agree")?,
            disagree: r.try_get("disagree")?,
            other: r.try_get("other")?,
            invalid: r.try_get("invalid")?,
            voted: r.try_get("voted")?,
            households: r.try_get("households")?,
            required: r.try_get("required")?,
            passed: flag(r, "passed")?,
            villages: opt_i64(r, "villages")?,
            villages_passed: opt_i64(r, "villages_passed")?,
            frozen_at,
        }),
        None => None,
    };
    Ok(Decision {
        id: r.try_get("id")?,
        unit_id: r.try_get("unit_id")?,
        unit_path: r.try_get("unit_path")?,
        scope: r.try_get("scope")?,
        village_id: opt_i64(r, "village_id")?,
        subject: r.try_get("subject")?,
        title: r.try_get("title")?,
        question: r.try_get("question")?,
        content: r.try_get("content")?,
        form: r.try_get("form")?,
        secret: flag(r, "secret")?,
        status: r.try_get("status")?,
        redo_of: opt_i64(r, "redo_of")?,
        decision_date: r.try_get("decision_date")?,
        opens_at: opt_i64(r, "opens_at")?,
        closes_at: opt_i64(r, "closes_at")?,
        result,
        closed_at: opt_i64(r, "closed_at")?,
        sent_on: r.try_get("sent_on")?,
        answered_on: r.try_get("answered_on")?,
        answer_note: r.try_get("answer_note")?,
        is_demo: flag(r, "is_demo")?,
        created_by: opt_i64(r, "created_by")?,
        created_at: r.try_get("created_at")?,
    })
}

/// What is needed to create a decision (status draft).
#[derive(Debug, Clone)]
pub struct NewDecision<'a> {
    pub unit_id: i64,
    pub unit_path: &'a str,
    /// `"village"` or `"commune"`.
    pub scope: &'a str,
    pub village_id: Option<i64>,
    pub subject: i64,
    pub title: &'a str,
    pub question: &'a str,
    pub content: &'a str,
    pub form: &'a str,
    pub secret: bool,
    pub redo_of: Option<i64>,
    /// ISO date: the household bases are counted on it.
    pub decision_date: &'a str,
    pub opens_at: Option<i64>,
    pub closes_at: Option<i64>,
    pub is_demo: bool,
    pub created_by: Option<i64>,
}

/// Creates a decision and freezes the household base of each of `villages`
/// on the decision date (C0.4): one row of `decision_villages` each. Returns
/// the id and the bases, by village.
pub async fn create(tx: &mut Tx, d: &NewDecision<'_>, villages: &[i64]) -> Result<(i64, BTreeMap<i64, i64>)> {
    let now = now_ms();
    let id: i64 = sqlx::query(
        "INSERT INTO decisions (unit_id, unit_path, scope, village_id, subject, title, question, content, form, secret, status, \
         redo_of, decision_date, opens_at, closes_at, is_demo, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18) RETURNING id",
    )
    .bind(d.unit_id)
    .bind(d.unit_path)
    .bind(d.scope)
    .bind(d.village_id)
    .bind(d.subject)
    .bind(d.title)
    .bind(d.question)
    .bind(d.content)
    .bind(d.form)
    .bind(d.secret as i64)
    .bind(DRAFT)
    .bind(d.redo_of)
    .bind(d.decision_date)
    .bind(d.opens_at)
    .bind(d.closes_at)
    .bind(d.is_demo as i64)
    .bind(d.created_by)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    let mut bases = BTreeMap::new();
    for v in villages {
        let n: i64 = sqlx::query(
            "INSERT INTO decision_villages (decision_id, village_id, households) \
             SELECT $1, $2, COUNT(*) FROM household_villages WHERE village_id = $2 AND valid_from <= $3 \
             AND (valid_to IS NULL OR valid_to > $3) RETURNING households",
        )
        .bind(id)
        .bind(*v)
        .bind(d.decision_date)
        .fetch_one(&mut **tx)
        .await?
        .try_get("households")?;
        bases.insert(*v, n);
    }
    Ok((id, bases))
}

/// One decision.
pub async fn get(store: &Store, id: i64) -> Result<Option<Decision>> {
    let sql = format!("SELECT {COLS} FROM decisions WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(store.reader()).await?;
    row.map(|r| from_row(&r)).transpose()
}

/// One decision, read in a write transaction.
pub async fn get_tx(tx: &mut Tx, id: i64) -> Result<Option<Decision>> {
    let sql = format!("SELECT {COLS} FROM decisions WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut **tx).await?;
    row.map(|r| from_row(&r)).transpose()
}

/// The decisions of a commune, newest decision date first.
pub async fn list_for_unit(store: &Store, unit_id: i64, limit: i64) -> Result<Vec<Decision>> {
    let sql = format!("SELECT {COLS} FROM decisions WHERE unit_id = $1 ORDER BY decision_date DESC, id DESC LIMIT $2");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(unit_id).bind(limit).fetch_all(store.reader()).await?;
    rows.iter().map(from_row).collect()
}

/// The decisions a village takes part in (its own and the commune-wide
/// ones), newest decision date first.
pub async fn list_for_village(store: &Store, village_id: i64, limit: i64) -> Result<Vec<Decision>> {
    let sql = format!(
        "SELECT {COLS} FROM decisions WHERE id IN (SELECT decision_id FROM decision_villages WHERE village_id = $1) \
         ORDER BY decision_date DESC, id DESC LIMIT $2"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(village_id).bind(limit).fetch_all(store.reader()).await?;
    rows.iter().map(from_row).collect()
}

/// A village of a decision: its frozen base and, once closed, its result.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VillageRow {
    pub village_id: i64,
    pub village_name: String,
    pub households: i64,
    /// (counts, required, passed), frozen at closing.
    pub result: Option<(Counts, i64, bool)>,
}

/// The villages of a decision with their bases and frozen results (one
/// query), by village id.
pub async fn village_results(store: &Store, id: i64) -> Result<Vec<VillageRow>> {
    let rows = sqlx::query(
        "SELECT dv.village_id, u.name AS village_name, dv.households, dv.agree, dv.disagree, dv.other, dv.invalid, dv.required, \
         dv.passed FROM decision_villages dv JOIN units u ON u.id = dv.village_id WHERE dv.decision_id = $1 ORDER BY dv.village_id",
    )
    .bind(id)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            let result = match opt_i64(r, "passed")? {
                Some(p) => Some((
                    Counts {
                        agree: r.try_get::<i64, _>("agree")? as u64,
                        disagree: r.try_get::<i64, _>("disagree")? as u64,
                        other: r.try_get::<i64, _>("other")? as u64,
                        invalid: r.try_get::<i64, _>("invalid")? as u64,
                    },
                    r.try_get("required")?,
                    p != 0,
                )),
                None => None,
            };
            Ok(VillageRow {
                village_id: r.try_get("village_id")?,
                village_name: r.try_get("village_name")?,
                households: r.try_get("households")?,
                result,
            })
        })
        .collect()
}

/// The frozen household bases of a decision, by village (in a transaction).
pub async fn bases_tx(tx: &mut Tx, id: i64) -> Result<BTreeMap<i64, i64>> {
    let rows =
        sqlx::query("SELECT village_id, households FROM decision_villages WHERE decision_id = $1").bind(id).fetch_all(&mut **tx).await?;
    rows.iter().map(|r| Ok((r.try_get("village_id")?, r.try_get("households")?))).collect()
}

/// The frozen household bases of a decision, by village.
pub async fn bases(store: &Store, id: i64) -> Result<BTreeMap<i64, i64>> {
    let rows = sqlx::query("SELECT village_id, households FROM decision_villages WHERE decision_id = $1")
        .bind(id)
        .fetch_all(store.reader())
        .await?;
    rows.iter().map(|r| Ok((r.try_get("village_id")?, r.try_get("households")?))).collect()
}

/// Opens a draft decision with its voting window. False when it was not a
/// draft (already opened: a double click).
pub async fn open(tx: &mut Tx, id: i64, opens_at: i64, closes_at: i64) -> Result<bool> {
    let n = sqlx::query("UPDATE decisions SET status = $2, opens_at = $3, closes_at = $4, updated_at = $5 WHERE id = $1 AND status = $6")
        .bind(id)
        .bind(OPEN)
        .bind(opens_at)
        .bind(closes_at)
        .bind(now_ms())
        .bind(DRAFT)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// What a vote's write needs to know of its decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoteState {
    pub status: String,
    pub form: String,
    pub secret: bool,
    pub opens_at: Option<i64>,
    pub closes_at: Option<i64>,
}

/// The state of a decision as a vote's transaction sees it. On PostgreSQL
/// the row is share-locked (FOR KEY SHARE, the lock the voter row's foreign
/// key takes anyway), so a vote cannot commit past a concurrent closing:
/// the closing locks the row FOR UPDATE, waits for the votes in flight, and
/// votes arriving later see it closed.
pub async fn vote_state(tx: &mut Tx, id: i64) -> Result<Option<VoteState>> {
    let lock = if tx_backend(tx) == Backend::Postgres { " FOR KEY SHARE" } else { "" };
    let sql = format!("SELECT status, form, secret, opens_at, closes_at FROM decisions WHERE id = $1{lock}");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut **tx).await?;
    row.map(|r| {
        Ok(VoteState {
            status: r.try_get("status")?,
            form: r.try_get("form")?,
            secret: flag(&r, "secret")?,
            opens_at: opt_i64(&r, "opens_at")?,
            closes_at: opt_i64(&r, "closes_at")?,
        })
    })
    .transpose()
}

/// The village of `decision` that `household` belonged to on the decision
/// date, if any (C0.3, C0.4).
pub async fn household_village(store: &Store, decision_id: i64, household_id: i64) -> Result<Option<i64>> {
    let row = sqlx::query(
        "SELECT hv.village_id FROM household_villages hv \
         JOIN decision_villages dv ON dv.village_id = hv.village_id AND dv.decision_id = $1 \
         JOIN decisions d ON d.id = dv.decision_id \
         WHERE hv.household_id = $2 AND hv.valid_from <= d.decision_date \
         AND (hv.valid_to IS NULL OR hv.valid_to > d.decision_date)",
    )
    .bind(decision_id)
    .bind(household_id)
    .fetch_optional(store.reader())
    .await?;
    row.map(|r| r.try_get("village_id")).transpose().map_err(Into::into)
}

async fn household_village_tx(tx: &mut Tx, decision_id: i64, village_id: i64, household_id: i64) -> Result<bool> {
    let row = sqlx::query(
        "SELECT 1 AS ok FROM household_villages hv JOIN decisions d ON d.id = $1 \
         WHERE hv.household_id = $3 AND hv.village_id = $2 AND hv.valid_from <= d.decision_date \
         AND (hv.valid_to IS NULL OR hv.valid_to > d.decision_date)",
    )
    .bind(decision_id)
    .bind(village_id)
    .bind(household_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.is_some())
}

/// The households of a village on the decision date (its roster, C0.4).
pub async fn roster(store: &Store, decision_id: i64, village_id: i64) -> Result<Vec<i64>> {
    let rows = sqlx::query(
        "SELECT hv.household_id FROM household_villages hv JOIN decisions d ON d.id = $1 \
         WHERE hv.village_id = $2 AND hv.valid_from <= d.decision_date AND (hv.valid_to IS NULL OR hv.valid_to > d.decision_date) \
         ORDER BY hv.household_id",
    )
    .bind(decision_id)
    .bind(village_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter().map(|r| r.try_get("household_id").map_err(Into::into)).collect()
}

/// One household's vote, as written.
#[derive(Debug, Clone)]
pub struct Cast<'a> {
    pub decision_id: i64,
    pub village_id: i64,
    pub household_id: i64,
    pub choice: Choice,
    /// A secret vote keeps the choice off the voter row.
    pub secret: bool,
    /// `"online"`, `"paper"`.
    pub channel: &'a str,
    /// SHA-256 of the receipt code (online votes).
    pub receipt_hash: Option<&'a str>,
    pub at: i64,
}

/// Writes one household's vote: the voter row, the urn row and a counter
/// shard. A household that already voted: `Conflict(ALREADY_VOTED)`,
/// nothing written.
pub async fn cast(tx: &mut Tx, c: &Cast<'_>) -> Result<()> {
    let choice = choice_str(c.choice);
    let voter = sqlx::query(
        "INSERT INTO decision_voters (decision_id, household_id, village_id, channel, choice, voted_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (decision_id, household_id) DO NOTHING RETURNING household_id",
    )
    .bind(c.decision_id)
    .bind(c.household_id)
    .bind(c.village_id)
    .bind(c.channel)
    .bind(if c.secret { None } else { Some(choice) })
    .bind(c.at)
    .fetch_optional(&mut **tx)
    .await?;
    if voter.is_none() {
        return Err(StoreError::Conflict(ALREADY_VOTED.into()));
    }
    sqlx::query("INSERT INTO decision_ballots (id, decision_id, village_id, choice, receipt_hash) VALUES ($1, $2, $3, $4, $5)")
        .bind(urn_key())
        .bind(c.decision_id)
        .bind(c.village_id)
        .bind(choice)
        .bind(c.receipt_hash)
        .execute(&mut **tx)
        .await?;
    bump(tx, c.decision_id, &counter_key(c.village_id, c.choice), 1).await
}

/// An online vote: [`cast`] on the channel `online`.
pub async fn cast_online(tx: &mut Tx, c: &Cast<'_>) -> Result<()> {
    cast(tx, &Cast { channel: "online", ..c.clone() }).await
}

async fn bump(tx: &mut Tx, id: i64, key: &str, delta: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO decision_counts (decision_id, key, n) VALUES ($1, $2, $3) \
         ON CONFLICT (decision_id, key) DO UPDATE SET n = decision_counts.n + excluded.n",
    )
    .bind(id)
    .bind(key)
    .bind(delta)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn add_count(counts: &mut BTreeMap<i64, Counts>, village_id: i64, choice: Choice, n: u64) {
    let c = counts.entry(village_id).or_default();
    match choice {
        Choice::Agree => c.agree += n,
        Choice::Disagree => c.disagree += n,
        Choice::Other => c.other += n,
        Choice::Invalid => c.invalid += n,
    }
}

fn counts_from(rows: &[AnyRow]) -> Result<BTreeMap<i64, Counts>> {
    let mut out = BTreeMap::new();
    for r in rows {
        let key: String = r.try_get("key")?;
        let n: i64 = r.try_get("n")?;
        let base = key.split_once('@').map(|(k, _)| k).unwrap_or(&key);
        let mut it = base.split(':');
        let (Some("village"), Some(v), Some(c)) = (it.next(), it.next(), it.next()) else { continue };
        let (Ok(v), Some(c)) = (v.parse::<i64>(), parse_choice(c)) else { continue };
        add_count(&mut out, v, c, n.max(0) as u64);
    }
    Ok(out)
}

/// The live counts of every village of a decision, from the counters only
/// (one query; a row per village, choice and shard).
pub async fn live_counts(store: &Store, id: i64) -> Result<BTreeMap<i64, Counts>> {
    let rows = sqlx::query("SELECT key, n FROM decision_counts WHERE decision_id = $1").bind(id).fetch_all(store.reader()).await?;
    counts_from(&rows)
}

/// The live counts of one village of a decision (one query on the
/// counters' primary key).
pub async fn live_village_counts(store: &Store, id: i64, village_id: i64) -> Result<Counts> {
    // Keys 'village:<id>:…' sort between 'village:<id>:' and
    // 'village:<id>;' (';' follows ':'): a range on the primary key.
    let rows = sqlx::query("SELECT key, n FROM decision_counts WHERE decision_id = $1 AND key >= $2 AND key < $3")
        .bind(id)
        .bind(format!("village:{village_id}:"))
        .bind(format!("village:{village_id};"))
        .fetch_all(store.reader())
        .await?;
    Ok(counts_from(&rows)?.remove(&village_id).unwrap_or_default())
}

/// The counts of a decision in a write transaction (for freezing).
pub async fn counts_tx(tx: &mut Tx, id: i64) -> Result<BTreeMap<i64, Counts>> {
    let rows = sqlx::query("SELECT key, n FROM decision_counts WHERE decision_id = $1").bind(id).fetch_all(&mut **tx).await?;
    counts_from(&rows)
}

/// A full recount from the urn and the meetings' results (repair and
/// tests; reads every ballot).
pub async fn recount(store: &Store, id: i64) -> Result<BTreeMap<i64, Counts>> {
    let rows =
        sqlx::query("SELECT village_id, choice, COUNT(*) AS n FROM decision_ballots WHERE decision_id = $1 GROUP BY village_id, choice")
            .bind(id)
            .fetch_all(store.reader())
            .await?;
    let mut out = BTreeMap::new();
    for r in &rows {
        let c: String = r.try_get("choice")?;
        if let Some(c) = parse_choice(&c) {
            add_count(&mut out, r.try_get("village_id")?, c, r.try_get::<i64, _>("n")? as u64);
        }
    }
    let meetings = sqlx::query(
        "SELECT village_id, agree, disagree, other, invalid FROM decision_meetings WHERE decision_id = $1 AND result_at IS NOT NULL",
    )
    .bind(id)
    .fetch_all(store.reader())
    .await?;
    for r in &meetings {
        let v: i64 = r.try_get("village_id")?;
        for (col, c) in [("agree", Choice::Agree), ("disagree", Choice::Disagree), ("other", Choice::Other), ("invalid", Choice::Invalid)] {
            add_count(&mut out, v, c, r.try_get::<i64, _>(col)? as u64);
        }
    }
    Ok(out)
}

/// Whether the ballot of a receipt code is in the urn of the decision
/// (not what it says).
pub async fn receipt_counted(store: &Store, decision_id: i64, code: &str) -> Result<bool> {
    let row = sqlx::query("SELECT 1 AS ok FROM decision_ballots WHERE decision_id = $1 AND receipt_hash = $2")
        .bind(decision_id)
        .bind(receipt_hash(code))
        .fetch_optional(store.reader())
        .await?;
    Ok(row.is_some())
}

// ---------------------------------------------------------------------------
// Closing
// ---------------------------------------------------------------------------

/// Closes an open decision (the first step of closing, in the closing's
/// transaction). False when it was not open. On PostgreSQL the row is
/// locked first, so votes in flight (holding FOR KEY SHARE) finish before.
pub async fn begin_close(tx: &mut Tx, id: i64, at: i64) -> Result<bool> {
    if tx_backend(tx) == Backend::Postgres {
        sqlx::query("SELECT id FROM decisions WHERE id = $1 FOR UPDATE").bind(id).fetch_optional(&mut **tx).await?;
    }
    let n = sqlx::query("UPDATE decisions SET status = $2, closed_at = $3, updated_at = $3 WHERE id = $1 AND status = $4")
        .bind(id)
        .bind(CLOSED)
        .bind(at)
        .bind(OPEN)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// Rewrites the urn of a decision in one transaction: every ballot gets a
/// new random key and the rows are written again in a random order, so
/// neither key, nor physical place, nor (PostgreSQL) `xmin` still relates a
/// ballot to the voter row written with it. Counts and receipts are kept.
/// Returns the number of ballots. Run it at closing, before freezing.
pub async fn reshuffle_urn(tx: &mut Tx, decision_id: i64) -> Result<u64> {
    let rows = sqlx::query("SELECT village_id, choice, receipt_hash FROM decision_ballots WHERE decision_id = $1")
        .bind(decision_id)
        .fetch_all(&mut **tx)
        .await?;
    let mut ballots: Vec<(String, i64, String, Option<String>)> = Vec::with_capacity(rows.len());
    for r in &rows {
        ballots.push((urn_key(), r.try_get("village_id")?, r.try_get("choice")?, r.try_get("receipt_hash")?));
    }
    // The new keys are random; ordering by them is a random permutation.
    ballots.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    sqlx::query("DELETE FROM decision_ballots WHERE decision_id = $1").bind(decision_id).execute(&mut **tx).await?;
    for chunk in ballots.chunks(400) {
        let mut p = Params::for_tx(tx);
        let values = chunk.iter().map(|_| p.tuple(5, "")).collect::<Vec<_>>().join(", ");
        let sql = format!("INSERT INTO decision_ballots (id, decision_id, village_id, choice, receipt_hash) VALUES {values}");
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (id, v, c, h) in chunk {
            q = q.bind(id.as_str()).bind(decision_id).bind(*v).bind(c.as_str()).bind(h.as_deref());
        }
        q.execute(&mut **tx).await?;
    }
    Ok(ballots.len() as u64)
}

/// After the reshuffle's commit: removes what the database keeps of the
/// old urn rows (PostgreSQL: vacuums the table; SQLite: checkpoints the
/// write-ahead log). Best effort: a failure is logged, not returned.
pub async fn scrub_after_reshuffle(store: &Store) {
    let sql = match store.backend() {
        Backend::Postgres => "VACUUM decision_ballots",
        Backend::Sqlite => "PRAGMA wal_checkpoint(TRUNCATE)",
    };
    if let Err(e) = sqlx::query(sql).execute(store.reader()).await {
        tracing::warn!(error = %e, "decision urn: scrub after reshuffle");
    }
}

/// One village's frozen result.
#[derive(Debug, Clone, Copy)]
pub struct VillageFreeze {
    pub village_id: i64,
    pub counts: Counts,
    pub required: i64,
    pub passed: bool,
}

/// The decision's frozen result.
#[derive(Debug, Clone)]
pub struct Freeze {
    pub villages: Vec<VillageFreeze>,
    pub households: i64,
    pub required: i64,
    pub passed: bool,
    /// Commune-wide: villages of the commune and those passing.
    pub commune: Option<(i64, i64)>,
    pub at: i64,
}

/// Writes the frozen result of a closed decision and moves it to
/// `decided` or `failed`. False when it was not `closed` or already frozen.
pub async fn freeze(tx: &mut Tx, id: i64, f: &Freeze) -> Result<bool> {
    let total = f.villages.iter().fold(Counts::default(), |a, v| Counts {
        agree: a.agree + v.counts.agree,
        disagree: a.disagree + v.counts.disagree,
        other: a.other + v.counts.other,
        invalid: a.invalid + v.counts.invalid,
    });
    let n = sqlx::query(
        "UPDATE decisions SET status = $2, agree = $3, disagree = $4, other = $5, invalid = $6, voted = $7, households = $8, \
         required = $9, passed = $10, villages = $11, villages_passed = $12, frozen_at = $13, updated_at = $13 \
         WHERE id = $1 AND status = $14 AND frozen_at IS NULL",
    )
    .bind(id)
    .bind(if f.passed { DECIDED } else { FAILED })
    .bind(total.agree as i64)
    .bind(total.disagree as i64)
    .bind(total.other as i64)
    .bind(total.invalid as i64)
    .bind(total.voted() as i64)
    .bind(f.households)
    .bind(f.required)
    .bind(f.passed as i64)
    .bind(f.commune.map(|c| c.0))
    .bind(f.commune.map(|c| c.1))
    .bind(f.at)
    .bind(CLOSED)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if n != 1 {
        return Ok(false);
    }
    for v in &f.villages {
        sqlx::query(
            "UPDATE decision_villages SET agree = $3, disagree = $4, other = $5, invalid = $6, voted = $7, required = $8, passed = $9 \
             WHERE decision_id = $1 AND village_id = $2",
        )
        .bind(id)
        .bind(v.village_id)
        .bind(v.counts.agree as i64)
        .bind(v.counts.disagree as i64)
        .bind(v.counts.other as i64)
        .bind(v.counts.invalid as i64)
        .bind(v.counts.voted() as i64)
        .bind(v.required)
        .bind(v.passed as i64)
        .execute(&mut **tx)
        .await?;
    }
    Ok(true)
}

// ---------------------------------------------------------------------------
// Participation list (R2.14)
// ---------------------------------------------------------------------------

/// A household that voted: who and when, never how (for a secret vote).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Participant {
    pub household_id: i64,
    pub household_code: String,
    pub representative: Option<String>,
    pub village_id: i64,
    pub channel: String,
    /// Filled for an open vote only.
    pub choice: Option<String>,
    pub voted_at: i64,
}

/// The households that voted in a village (or in every village when
/// `village_id` is None), in voting order, one page.
pub async fn participation(store: &Store, id: i64, village_id: Option<i64>, offset: i64, limit: i64) -> Result<Vec<Participant>> {
    let filter = if village_id.is_some() { " AND dv.village_id = $4" } else { "" };
    let sql = format!(
        "SELECT dv.household_id, h.code, r.full_name AS representative, dv.village_id, dv.channel, dv.choice, dv.voted_at \
         FROM decision_voters dv JOIN households h ON h.id = dv.household_id \
         LEFT JOIN people r ON r.household_id = dv.household_id AND r.is_representative = 1 AND r.valid_to IS NULL \
         WHERE dv.decision_id = $1{filter} ORDER BY dv.village_id, dv.voted_at, dv.household_id LIMIT $2 OFFSET $3"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).bind(limit).bind(offset);
    if let Some(v) = village_id {
        q = q.bind(v);
    }
    let rows = q.fetch_all(store.reader()).await?;
    rows.iter()
        .map(|r| {
            Ok(Participant {
                household_id: r.try_get("household_id")?,
                household_code: r.try_get("code")?,
                representative: r.try_get("representative")?,
                village_id: r.try_get("village_id")?,
                channel: r.try_get("channel")?,
                choice: r.try_get("choice")?,
                voted_at: r.try_get("voted_at")?,
            })
        })
        .collect()
}

/// How many households voted, by village (one query).
pub async fn participation_counts(store: &Store, id: i64) -> Result<BTreeMap<i64, i64>> {
    let rows = sqlx::query("SELECT village_id, COUNT(*) AS n FROM decision_voters WHERE decision_id = $1 GROUP BY village_id")
        .bind(id)
        .fetch_all(store.reader())
        .await?;
    rows.iter().map(|r| Ok((r.try_get("village_id")?, r.try_get("n")?))).collect()
}

// ---------------------------------------------------------------------------
// Paper household ballots (R2.13)
// ---------------------------------------------------------------------------

/// Why a paper ballot was refused (the service words the reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaperRefusal {
    /// No ballot has this code.
    UnknownBallot,
    /// The code belongs to another decision.
    OtherDecision,
    /// The code belongs to another village of the decision.
    OtherVillage,
    /// The ballot was counted before.
    AlreadyCounted,
    /// The household is not in the village on the decision date.
    NotInVillage,
    /// The household already has a ballot for this decision.
    AlreadyIssued,
    /// The household already voted (another channel).
    AlreadyVoted,
}

/// A random ballot code: 12 characters of an alphabet without look-alikes.
fn ballot_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    random_bytes::<12>().iter().map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char).collect()
}

/// Issues the ballot of one household of `village_id` (one per household
/// and decision). Returns its code.
pub async fn issue_paper_ballot(
    tx: &mut Tx,
    decision_id: i64,
    village_id: i64,
    household_id: i64,
) -> Result<std::result::Result<String, PaperRefusal>> {
    if !household_village_tx(tx, decision_id, village_id, household_id).await? {
        return Ok(Err(PaperRefusal::NotInVillage));
    }
    let code = ballot_code();
    let row = sqlx::query(
        "INSERT INTO decision_paper_ballots (decision_id, village_id, household_id, code, issued_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (decision_id, household_id) DO NOTHING RETURNING id",
    )
    .bind(decision_id)
    .bind(village_id)
    .bind(household_id)
    .bind(&code)
    .bind(now_ms())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(if row.is_some() { Ok(code) } else { Err(PaperRefusal::AlreadyIssued) })
}

/// Issues a ballot to every household of `village_id` on the decision date
/// that has none yet; returns how many were issued. Never more ballots
/// than households: one per household of the roster.
pub async fn issue_paper_ballots(tx: &mut Tx, decision_id: i64, village_id: i64) -> Result<u64> {
    let rows = sqlx::query(
        "SELECT hv.household_id FROM household_villages hv JOIN decisions d ON d.id = $1 \
         WHERE hv.village_id = $2 AND hv.valid_from <= d.decision_date AND (hv.valid_to IS NULL OR hv.valid_to > d.decision_date) \
         AND NOT EXISTS (SELECT 1 FROM decision_paper_ballots b WHERE b.decision_id = $1 AND b.household_id = hv.household_id)",
    )
    .bind(decision_id)
    .bind(village_id)
    .fetch_all(&mut **tx)
    .await?;
    let households: Vec<i64> = rows.iter().map(|r| r.try_get("household_id")).collect::<std::result::Result<_, _>>()?;
    let now = now_ms();
    for chunk in households.chunks(400) {
        let mut p = Params::for_tx(tx);
        let values = chunk.iter().map(|_| p.tuple(5, "")).collect::<Vec<_>>().join(", ");
        let sql = format!("INSERT INTO decision_paper_ballots (decision_id, village_id, household_id, code, issued_at) VALUES {values}");
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for h in chunk {
            q = q.bind(decision_id).bind(village_id).bind(*h).bind(ballot_code()).bind(now);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(households.len() as u64)
}

/// An issued paper ballot.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PaperBallotRow {
    pub id: i64,
    pub village_id: i64,
    pub household_id: i64,
    pub household_code: String,
    pub code: String,
    pub counted: bool,
}

/// The ballots of a village, by household code (for printing and tests).
pub async fn paper_ballots(store: &Store, decision_id: i64, village_id: i64) -> Result<Vec<PaperBallotRow>> {
    let rows = sqlx::query(
        "SELECT b.id, b.village_id, b.household_id, h.code AS household_code, b.code, b.counted_at FROM decision_paper_ballots b \
         JOIN households h ON h.id = b.household_id WHERE b.decision_id = $1 AND b.village_id = $2 ORDER BY h.code",
    )
    .bind(decision_id)
    .bind(village_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PaperBallotRow {
                id: r.try_get("id")?,
                village_id: r.try_get("village_id")?,
                household_id: r.try_get("household_id")?,
                household_code: r.try_get("household_code")?,
                code: r.try_get("code")?,
                counted: opt_i64(r, "counted_at")?.is_some(),
            })
        })
        .collect()
}

/// Marks ballots printed.
pub async fn mark_printed(tx: &mut Tx, decision_id: i64, village_id: i64) -> Result<u64> {
    let n =
        sqlx::query("UPDATE decision_paper_ballots SET printed_at = $3 WHERE decision_id = $1 AND village_id = $2 AND printed_at IS NULL")
            .bind(decision_id)
            .bind(village_id)
            .bind(now_ms())
            .execute(&mut **tx)
            .await?
            .rows_affected();
    Ok(n)
}

/// The counting team of a village with its two household witnesses.
#[derive(Debug, Clone)]
pub struct NewCountTeam<'a> {
    pub decision_id: i64,
    pub village_id: i64,
    /// Members' names, one a line.
    pub members: &'a str,
    pub witness_1: &'a str,
    pub witness_2: &'a str,
    pub created_by: Option<i64>,
}

/// Records a counting team; returns its id.
pub async fn add_count_team(tx: &mut Tx, t: &NewCountTeam<'_>) -> Result<i64> {
    let id: i64 = sqlx::query(
        "INSERT INTO decision_count_teams (decision_id, village_id, members, witness_1, witness_2, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(t.decision_id)
    .bind(t.village_id)
    .bind(t.members)
    .bind(t.witness_1)
    .bind(t.witness_2)
    .bind(t.created_by)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    Ok(id)
}

/// A counting team as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CountTeam {
    pub id: i64,
    pub decision_id: i64,
    pub village_id: i64,
    pub members: String,
    pub witness_1: String,
    pub witness_2: String,
}

/// The counting teams of a decision.
pub async fn count_teams(store: &Store, decision_id: i64) -> Result<Vec<CountTeam>> {
    let rows = sqlx::query(
        "SELECT id, decision_id, village_id, members, witness_1, witness_2 FROM decision_count_teams WHERE decision_id = $1 ORDER BY id",
    )
    .bind(decision_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(CountTeam {
                id: r.try_get("id")?,
                decision_id: r.try_get("decision_id")?,
                village_id: r.try_get("village_id")?,
                members: r.try_get("members")?,
                witness_1: r.try_get("witness_1")?,
                witness_2: r.try_get("witness_2")?,
            })
        })
        .collect()
}

/// A returned ballot as the counting team enters it.
#[derive(Debug, Clone)]
pub struct PaperCount<'a> {
    pub decision_id: i64,
    pub village_id: i64,
    pub team_id: i64,
    pub code: &'a str,
    pub choice: Choice,
    pub secret: bool,
    pub entered_by: Option<i64>,
}

/// Counts one returned ballot: marks it returned (once), records the
/// household as having voted and puts the choice in the urn and the
/// counters. Refused without writing anything: an unknown code, a code of
/// another decision or village, a ballot counted before.
pub async fn count_paper_ballot(tx: &mut Tx, c: &PaperCount<'_>) -> Result<std::result::Result<i64, PaperRefusal>> {
    let code = c.code.trim().to_ascii_uppercase();
    let row = sqlx::query("SELECT id, decision_id, village_id, household_id, counted_at FROM decision_paper_ballots WHERE code = $1")
        .bind(&code)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(row) = row else { return Ok(Err(PaperRefusal::UnknownBallot)) };
    if row.try_get::<i64, _>("decision_id")? != c.decision_id {
        return Ok(Err(PaperRefusal::OtherDecision));
    }
    if row.try_get::<i64, _>("village_id")? != c.village_id {
        return Ok(Err(PaperRefusal::OtherVillage));
    }
    let id: i64 = row.try_get("id")?;
    let household_id: i64 = row.try_get("household_id")?;
    let now = now_ms();
    let n = sqlx::query(
        "UPDATE decision_paper_ballots SET counted_at = $2, team_id = $3, entered_by = $4 WHERE id = $1 AND counted_at IS NULL",
    )
    .bind(id)
    .bind(now)
    .bind(c.team_id)
    .bind(c.entered_by)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if n != 1 {
        return Ok(Err(PaperRefusal::AlreadyCounted));
    }
    let cast_ = Cast {
        decision_id: c.decision_id,
        village_id: c.village_id,
        household_id,
        choice: c.choice,
        secret: c.secret,
        channel: "paper",
        receipt_hash: None,
        at: now,
    };
    match cast(tx, &cast_).await {
        Ok(()) => Ok(Ok(household_id)),
        // The caller must roll back: the ballot was marked above.
        Err(StoreError::Conflict(_)) => Ok(Err(PaperRefusal::AlreadyVoted)),
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------------------
// Meetings (R2.9–R2.12)
// ---------------------------------------------------------------------------

/// A meeting of a village on a decision.
#[derive(Debug, Clone)]
pub struct NewMeeting<'a> {
    pub decision_id: i64,
    pub village_id: i64,
    pub held_on: &'a str,
    pub notice_on: &'a str,
    pub documents_on: &'a str,
    pub secretary: &'a str,
    /// Counting committee members' names, one a line.
    pub committee: &'a str,
    /// `"hands"` or `"secret"`.
    pub method: &'a str,
    pub created_by: Option<i64>,
}

/// A meeting as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Meeting {
    pub id: i64,
    pub decision_id: i64,
    pub village_id: i64,
    pub held_on: String,
    pub notice_on: String,
    pub documents_on: String,
    pub secretary: String,
    pub committee: String,
    pub method: String,
    pub present: i64,
    pub result: Option<Counts>,
}

/// Records a meeting; returns its id.
pub async fn add_meeting(tx: &mut Tx, m: &NewMeeting<'_>) -> Result<i64> {
    let id: i64 = sqlx::query(
        "INSERT INTO decision_meetings (decision_id, village_id, held_on, notice_on, documents_on, secretary, committee, method, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(m.decision_id)
    .bind(m.village_id)
    .bind(m.held_on)
    .bind(m.notice_on)
    .bind(m.documents_on)
    .bind(m.secretary)
    .bind(m.committee)
    .bind(m.method)
    .bind(m.created_by)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    Ok(id)
}

/// One meeting.
pub async fn meeting(store: &Store, meeting_id: i64) -> Result<Option<Meeting>> {
    let row = sqlx::query(
        "SELECT id, decision_id, village_id, held_on, notice_on, documents_on, secretary, committee, method, present, agree, \
         disagree, other, invalid, result_at FROM decision_meetings WHERE id = $1",
    )
    .bind(meeting_id)
    .fetch_optional(store.reader())
    .await?;
    row.map(|r| {
        let result = match opt_i64(&r, "result_at")? {
            Some(_) => Some(Counts {
                agree: r.try_get::<i64, _>("agree")? as u64,
                disagree: r.try_get::<i64, _>("disagree")? as u64,
                other: r.try_get::<i64, _>("other")? as u64,
                invalid: r.try_get::<i64, _>("invalid")? as u64,
            }),
            None => None,
        };
        Ok(Meeting {
            id: r.try_get("id")?,
            decision_id: r.try_get("decision_id")?,
            village_id: r.try_get("village_id")?,
            held_on: r.try_get("held_on")?,
            notice_on: r.try_get("notice_on")?,
            documents_on: r.try_get("documents_on")?,
            secretary: r.try_get("secretary")?,
            committee: r.try_get("committee")?,
            method: r.try_get("method")?,
            present: r.try_get("present")?,
            result,
        })
    })
    .transpose()
}

/// Records attending households (each once; households not in the
/// meeting's village on the decision date are left out). Returns how many
/// were added; the meeting's `present` count is kept in step.
pub async fn add_attendance(tx: &mut Tx, meeting_id: i64, households: &[i64]) -> Result<u64> {
    let mut added = 0u64;
    for h in households {
        let n = sqlx::query(
            "INSERT INTO decision_attendance (meeting_id, household_id) \
             SELECT m.id, hv.household_id FROM decision_meetings m JOIN decisions d ON d.id = m.decision_id \
             JOIN household_villages hv ON hv.village_id = m.village_id AND hv.household_id = $2 \
               AND hv.valid_from <= d.decision_date AND (hv.valid_to IS NULL OR hv.valid_to > d.decision_date) \
             WHERE m.id = $1 ON CONFLICT (meeting_id, household_id) DO NOTHING",
        )
        .bind(meeting_id)
        .bind(*h)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        added += n;
    }
    if added > 0 {
        sqlx::query("UPDATE decision_meetings SET present = present + $2 WHERE id = $1")
            .bind(meeting_id)
            .bind(added as i64)
            .execute(&mut **tx)
            .await?;
    }
    Ok(added)
}

/// The households that attended a meeting.
pub async fn attendance(store: &Store, meeting_id: i64) -> Result<Vec<i64>> {
    let rows = sqlx::query("SELECT household_id FROM decision_attendance WHERE meeting_id = $1 ORDER BY household_id")
        .bind(meeting_id)
        .fetch_all(store.reader())
        .await?;
    rows.iter().map(|r| r.try_get("household_id").map_err(Into::into)).collect()
}

/// Records the counted result of a meeting (show of hands or its secret
/// ballot), once, and adds it to the decision's counters. False when a
/// result was already recorded.
pub async fn record_meeting_result(tx: &mut Tx, meeting_id: i64, counts: Counts) -> Result<bool> {
    let row = sqlx::query(
        "UPDATE decision_meetings SET agree = $2, disagree = $3, other = $4, invalid = $5, result_at = $6 \
         WHERE id = $1 AND result_at IS NULL RETURNING decision_id, village_id",
    )
    .bind(meeting_id)
    .bind(counts.agree as i64)
    .bind(counts.disagree as i64)
    .bind(counts.other as i64)
    .bind(counts.invalid as i64)
    .bind(now_ms())
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else { return Ok(false) };
    let decision_id: i64 = row.try_get("decision_id")?;
    let village_id: i64 = row.try_get("village_id")?;
    for (c, n) in [
        (Choice::Agree, counts.agree),
        (Choice::Disagree, counts.disagree),
        (Choice::Other, counts.other),
        (Choice::Invalid, counts.invalid),
    ] {
        if n > 0 {
            bump(tx, decision_id, &format!("village:{village_id}:{}@m{meeting_id}", choice_str(c)), n as i64).await?;
        }
    }
    Ok(true)
}

/// Counts of voter rows by village and channel (evidence at closing).
pub async fn voters_by_channel(store: &Store, id: i64) -> Result<HashMap<(i64, String), i64>> {
    let rows =
        sqlx::query("SELECT village_id, channel, COUNT(*) AS n FROM decision_voters WHERE decision_id = $1 GROUP BY village_id, channel")
            .bind(id)
            .fetch_all(store.reader())
            .await?;
    rows.iter().map(|r| Ok(((r.try_get("village_id")?, r.try_get("channel")?), r.try_get("n")?))).collect()
}

/// Every stored column of the urn rows and of the voter rows of a decision
/// (`SELECT *`, values as text): what an administrator with the database
/// sees, for audits of a secret vote and its tests.
pub async fn raw_rows(store: &Store, decision_id: i64) -> Result<(Vec<BTreeMap<String, String>>, Vec<BTreeMap<String, String>>)> {
    use sqlx::Column;
    let as_text = |rows: Vec<AnyRow>| -> Vec<BTreeMap<String, String>> {
        rows.iter()
            .map(|r| {
                r.columns()
                    .iter()
                    .map(|c| {
                        let i = c.ordinal();
                        let v = match r.try_get::<Option<String>, _>(i) {
                            Ok(v) => v.unwrap_or_default(),
                            Err(_) => r.try_get::<Option<i64>, _>(i).ok().flatten().map(|n| n.to_string()).unwrap_or_default(),
                        };
                        (c.name().to_string(), v)
                    })
                    .collect()
            })
            .collect()
    };
    let urn = sqlx::query("SELECT * FROM decision_ballots WHERE decision_id = $1").bind(decision_id).fetch_all(store.reader()).await?;
    let voters = sqlx::query("SELECT * FROM decision_voters WHERE decision_id = $1").bind(decision_id).fetch_all(store.reader()).await?;
    Ok((as_text(urn), as_text(voters)))
}

// ---------------------------------------------------------------------------
// The officials' side (migration 0007): sending (R2.17), recognition or
// refusal (R2.18), annulment (R2.19), redo links (R2.20), the meeting's
// notice and procedure (R2.9–R2.11), paper-ballot progress and the
// implementation record of a passed decision.
// ---------------------------------------------------------------------------

/// What happened to a decision after closing, beyond [`Decision`]'s columns.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Aftermath {
    pub sent_note: Option<String>,
    pub answered_by: Option<i64>,
    pub annulled_on: Option<String>,
    pub annul_ground: Option<String>,
    pub annul_remedy: Option<String>,
    pub annul_reason: Option<String>,
}

/// The sending note, answerer and annulment of a decision (one query).
pub async fn aftermath(store: &Store, id: i64) -> Result<Aftermath> {
    let row =
        sqlx::query("SELECT sent_note, answered_by, annulled_on, annul_ground, annul_remedy, annul_reason FROM decisions WHERE id = $1")
            .bind(id)
            .fetch_optional(store.reader())
            .await?;
    let Some(r) = row else { return Ok(Aftermath::default()) };
    Ok(Aftermath {
        sent_note: r.try_get("sent_note")?,
        answered_by: opt_i64(&r, "answered_by")?,
        annulled_on: r.try_get("annulled_on")?,
        annul_ground: r.try_get("annul_ground")?,
        annul_remedy: r.try_get("annul_remedy")?,
        annul_reason: r.try_get("annul_reason")?,
    })
}

/// Records the sending of a passed decision to the commune People's
/// Committee and Front (R2.17). False when it was not `decided` (sent
/// before: a double submit changes nothing).
pub async fn mark_sent(tx: &mut Tx, id: i64, sent_on: &str, note: Option<&str>) -> Result<bool> {
    let n = sqlx::query("UPDATE decisions SET status = $2, sent_on = $3, sent_note = $4, updated_at = $5 WHERE id = $1 AND status = $6")
        .bind(id)
        .bind(SENT)
        .bind(sent_on)
        .bind(note)
        .bind(now_ms())
        .bind(DECIDED)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// Records the recognition (`recognised`) or written refusal (`refused`,
/// with its reasons) of a sent decision (R2.18). False when it was not
/// `sent`.
pub async fn mark_answered(tx: &mut Tx, id: i64, status: &str, on: &str, note: Option<&str>, by: Option<i64>) -> Result<bool> {
    let n = sqlx::query(
        "UPDATE decisions SET status = $2, answered_on = $3, answer_note = $4, answered_by = $5, updated_at = $6 \
         WHERE id = $1 AND status = $7",
    )
    .bind(id)
    .bind(status)
    .bind(on)
    .bind(note)
    .bind(by)
    .bind(now_ms())
    .bind(SENT)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Annuls a closed decision (R2.19). False when it was not closed, or
/// already annulled.
pub async fn mark_annulled(tx: &mut Tx, id: i64, on: &str, ground: &str, remedy: &str, reason: &str) -> Result<bool> {
    let n = sqlx::query(
        "UPDATE decisions SET status = $2, annulled_on = $3, annul_ground = $4, annul_remedy = $5, annul_reason = $6, updated_at = $7 \
         WHERE id = $1 AND status IN ($8, $9, $10, $11, $12)",
    )
    .bind(id)
    .bind(ANNULLED)
    .bind(on)
    .bind(ground)
    .bind(remedy)
    .bind(reason)
    .bind(now_ms())
    .bind(DECIDED)
    .bind(FAILED)
    .bind(SENT)
    .bind(RECOGNISED)
    .bind(REFUSED)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// The decisions that redo `id` (R2.20), oldest first.
pub async fn redos(store: &Store, id: i64) -> Result<Vec<Decision>> {
    let sql = format!("SELECT {COLS} FROM decisions WHERE redo_of = $1 ORDER BY id");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_all(store.reader()).await?;
    rows.iter().map(from_row).collect()
}

/// The decisions that redo `id`, read in a write transaction.
pub async fn redos_tx(tx: &mut Tx, id: i64) -> Result<Vec<i64>> {
    let rows = sqlx::query("SELECT id FROM decisions WHERE redo_of = $1 ORDER BY id").bind(id).fetch_all(&mut **tx).await?;
    rows.iter().map(|r| r.try_get("id").map_err(Into::into)).collect()
}

/// A meeting with its notice and procedure (migration 0007).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MeetingRow {
    pub meeting: Meeting,
    pub posted_on: Option<String>,
    /// Comma-separated notice channels.
    pub channels: String,
    pub secretary_votes: Option<i64>,
    pub committee_approvals: Option<i64>,
    /// The two witnesses of a secret ballot's count, one a line.
    pub witnesses: String,
}

const MEETING_COLS: &str = "id, decision_id, village_id, held_on, notice_on, documents_on, secretary, committee, method, present, \
    agree, disagree, other, invalid, result_at, posted_on, channels, secretary_votes, committee_approvals, witnesses";

fn meeting_row(r: &AnyRow) -> Result<MeetingRow> {
    let result = match opt_i64(r, "result_at")? {
        Some(_) => Some(Counts {
            agree: r.try_get::<i64, _>("agree")? as u64,
            disagree: r.try_get::<i64, _>("disagree")? as u64,
            other: r.try_get::<i64, _>("other")? as u64,
            invalid: r.try_get::<i64, _>("invalid")? as u64,
        }),
        None => None,
    };
    Ok(MeetingRow {
        meeting: Meeting {
            id: r.try_get("id")?,
            decision_id: r.try_get("decision_id")?,
            village_id: r.try_get("village_id")?,
            held_on: r.try_get("held_on")?,
            notice_on: r.try_get("notice_on")?,
            documents_on: r.try_get("documents_on")?,
            secretary: r.try_get("secretary")?,
            committee: r.try_get("committee")?,
            method: r.try_get("method")?,
            present: r.try_get("present")?,
            result,
        },
        posted_on: r.try_get("posted_on")?,
        channels: r.try_get::<Option<String>, _>("channels")?.unwrap_or_default(),
        secretary_votes: opt_i64(r, "secretary_votes")?,
        committee_approvals: opt_i64(r, "committee_approvals")?,
        witnesses: r.try_get::<Option<String>, _>("witnesses")?.unwrap_or_default(),
    })
}

/// The meetings of a decision, in order.
pub async fn meetings_for(store: &Store, decision_id: i64) -> Result<Vec<MeetingRow>> {
    let sql = format!("SELECT {MEETING_COLS} FROM decision_meetings WHERE decision_id = $1 ORDER BY id");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(decision_id).fetch_all(store.reader()).await?;
    rows.iter().map(meeting_row).collect()
}

/// One meeting with its notice and procedure, read in a write transaction.
pub async fn meeting_tx(tx: &mut Tx, meeting_id: i64) -> Result<Option<MeetingRow>> {
    let sql = format!("SELECT {MEETING_COLS} FROM decision_meetings WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(meeting_id).fetch_optional(&mut **tx).await?;
    row.map(|r| meeting_row(&r)).transpose()
}

/// Records the notice's posting day and channels of a meeting (R2.9).
pub async fn set_meeting_notice(tx: &mut Tx, meeting_id: i64, posted_on: &str, channels: &str) -> Result<()> {
    sqlx::query("UPDATE decision_meetings SET posted_on = $2, channels = $3 WHERE id = $1")
        .bind(meeting_id)
        .bind(posted_on)
        .bind(channels)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Records the secretary's election and, for a secret ballot, the counting
/// committee's approval with its witnesses (R2.10, R2.11). False once the
/// meeting's result is recorded.
pub async fn set_meeting_procedure(
    tx: &mut Tx,
    meeting_id: i64,
    secretary_votes: i64,
    committee_approvals: Option<i64>,
    witnesses: &str,
) -> Result<bool> {
    let n = sqlx::query(
        "UPDATE decision_meetings SET secretary_votes = $2, committee_approvals = $3, witnesses = $4 WHERE id = $1 AND result_at IS NULL",
    )
    .bind(meeting_id)
    .bind(secretary_votes)
    .bind(committee_approvals)
    .bind(witnesses)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Paper ballots issued and counted, by village (one query).
pub async fn paper_progress(store: &Store, decision_id: i64) -> Result<BTreeMap<i64, (i64, i64)>> {
    let rows = sqlx::query(
        "SELECT village_id, COUNT(*) AS issued, COUNT(counted_at) AS counted FROM decision_paper_ballots WHERE decision_id = $1 \
         GROUP BY village_id",
    )
    .bind(decision_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter().map(|r| Ok((r.try_get("village_id")?, (r.try_get("issued")?, r.try_get("counted")?)))).collect()
}

/// The households of a village on a decision's date, with code and
/// representative, by code (the attendance checklist; one query).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RosterRow {
    pub household_id: i64,
    pub code: String,
    pub representative: Option<String>,
    pub present: bool,
}

/// The roster of `village_id` on the decision's date, each marked present
/// when attending `meeting_id`.
pub async fn roster_rows(store: &Store, decision_id: i64, village_id: i64, meeting_id: i64) -> Result<Vec<RosterRow>> {
    let rows = sqlx::query(
        "SELECT h.id, h.code, (SELECT p.full_name FROM people p WHERE p.household_id = h.id AND p.is_representative = 1 \
           ORDER BY p.valid_to IS NULL DESC, p.id LIMIT 1) AS representative, \
           (SELECT COUNT(*) FROM decision_attendance a WHERE a.meeting_id = $3 AND a.household_id = h.id) AS present \
         FROM household_villages hv JOIN decisions d ON d.id = $1 JOIN households h ON h.id = hv.household_id \
         WHERE hv.village_id = $2 AND hv.valid_from <= d.decision_date AND (hv.valid_to IS NULL OR hv.valid_to > d.decision_date) \
         ORDER BY h.code",
    )
    .bind(decision_id)
    .bind(village_id)
    .bind(meeting_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(RosterRow {
                household_id: r.try_get("id")?,
                code: r.try_get("code")?,
                representative: r.try_get("representative")?,
                present: r.try_get::<i64, _>("present")? > 0,
            })
        })
        .collect()
}

/// A progress note of a passed decision's implementation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Progress {
    pub id: i64,
    pub decision_id: i64,
    pub noted_on: String,
    pub note: String,
    /// Money collected and spent (đồng), for contributions.
    pub collected: Option<i64>,
    pub spent: Option<i64>,
    pub photo_sha256: Option<String>,
}

/// What a progress note needs.
#[derive(Debug, Clone)]
pub struct NewProgress<'a> {
    pub decision_id: i64,
    pub noted_on: &'a str,
    pub note: &'a str,
    pub collected: Option<i64>,
    pub spent: Option<i64>,
    pub photo_sha256: Option<&'a str>,
    pub created_by: Option<i64>,
}

/// Adds a progress note; returns its id.
pub async fn add_progress(tx: &mut Tx, p: &NewProgress<'_>) -> Result<i64> {
    let id: i64 = sqlx::query(
        "INSERT INTO decision_progress (decision_id, noted_on, note, collected, spent, photo_sha256, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(p.decision_id)
    .bind(p.noted_on)
    .bind(p.note)
    .bind(p.collected)
    .bind(p.spent)
    .bind(p.photo_sha256)
    .bind(p.created_by)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    Ok(id)
}

/// The progress notes of a decision, newest first.
pub async fn progress(store: &Store, decision_id: i64) -> Result<Vec<Progress>> {
    let rows = sqlx::query(
        "SELECT id, decision_id, noted_on, note, collected, spent, photo_sha256 FROM decision_progress WHERE decision_id = $1 \
         ORDER BY noted_on DESC, id DESC",
    )
    .bind(decision_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Progress {
                id: r.try_get("id")?,
                decision_id: r.try_get("decision_id")?,
                noted_on: r.try_get("noted_on")?,
                note: r.try_get("note")?,
                collected: opt_i64(r, "collected")?,
                spent: opt_i64(r, "spent")?,
                photo_sha256: r.try_get("photo_sha256")?,
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Citizens' side (issue 5: public pages, online voting, receipts): voting
// keys, the registry check, the household that voted, and the bulk helpers
// of the benchmark and the crash test.
// ---------------------------------------------------------------------------

/// A household bound to a decision by a voting key (R2.14).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VotingKey {
    pub decision_id: i64,
    pub household_id: i64,
    pub village_id: i64,
}

/// Stores a voting key (its hash only), valid until `expires_at` (ms).
pub async fn add_voting_key(tx: &mut Tx, key_hash: &str, k: &VotingKey, expires_at: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO decision_voting_keys (key_hash, decision_id, household_id, village_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key_hash) DO NOTHING",
    )
    .bind(key_hash)
    .bind(k.decision_id)
    .bind(k.household_id)
    .bind(k.village_id)
    .bind(now_ms())
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Stores many voting keys at once (benchmark and crash-test set-up), 500
/// rows per statement.
pub async fn add_voting_keys(tx: &mut Tx, keys: &[(String, VotingKey)], expires_at: i64) -> Result<u64> {
    let now = now_ms();
    let mut n = 0;
    for chunk in keys.chunks(500) {
        let mut p = Params::for_tx(tx);
        let values: Vec<String> = chunk.iter().map(|_| p.tuple(6, "")).collect();
        let sql = format!(
            "INSERT INTO decision_voting_keys (key_hash, decision_id, household_id, village_id, created_at, expires_at) VALUES {} \
             ON CONFLICT (key_hash) DO NOTHING",
            values.join(", ")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (h, k) in chunk {
            q = q.bind(h.clone()).bind(k.decision_id).bind(k.household_id).bind(k.village_id).bind(now).bind(expires_at);
        }
        n += q.execute(&mut **tx).await?.rows_affected();
    }
    Ok(n)
}

/// The household a voting key binds, if the key exists and has not expired.
pub async fn voting_key(store: &Store, key_hash: &str, now: i64) -> Result<Option<VotingKey>> {
    let row = sqlx::query("SELECT decision_id, household_id, village_id FROM decision_voting_keys WHERE key_hash = $1 AND expires_at > $2")
        .bind(key_hash)
        .bind(now)
        .fetch_optional(store.reader())
        .await?;
    row.map(|r| {
        Ok(VotingKey {
            decision_id: r.try_get("decision_id")?,
            household_id: r.try_get("household_id")?,
            village_id: r.try_get("village_id")?,
        })
    })
    .transpose()
}

/// The household of a current member with this keyed citizen-ID hash and
/// birth date (the unique index on current members' hashes), whatever its
/// village: the caller checks the decision's villages on the decision date
/// with [`household_village`].
pub async fn member_household(store: &Store, cccd_hash: &str, birth_date: &str) -> Result<Option<i64>> {
    let row = sqlx::query("SELECT household_id FROM people WHERE cccd_hash = $1 AND valid_to IS NULL AND birth_date = $2")
        .bind(cccd_hash)
        .bind(birth_date)
        .fetch_optional(store.reader())
        .await?;
    row.map(|r| r.try_get("household_id")).transpose().map_err(Into::into)
}

/// Whether (and how, by channel, and when) a household voted on a decision.
pub async fn voter(store: &Store, decision_id: i64, household_id: i64) -> Result<Option<(String, i64)>> {
    let row = sqlx::query("SELECT channel, voted_at FROM decision_voters WHERE decision_id = $1 AND household_id = $2")
        .bind(decision_id)
        .bind(household_id)
        .fetch_optional(store.reader())
        .await?;
    row.map(|r| Ok((r.try_get("channel")?, r.try_get("voted_at")?))).transpose()
}

/// The households of every village of a decision on its decision date,
/// `(household, village)`, by household id, at most `limit` (benchmark and
/// crash-test set-up).
pub async fn decision_households(store: &Store, decision_id: i64, limit: i64) -> Result<Vec<(i64, i64)>> {
    let rows = sqlx::query(
        "SELECT hv.household_id, hv.village_id FROM household_villages hv \
         JOIN decision_villages dv ON dv.village_id = hv.village_id AND dv.decision_id = $1 \
         JOIN decisions d ON d.id = dv.decision_id \
         WHERE hv.valid_from <= d.decision_date AND (hv.valid_to IS NULL OR hv.valid_to > d.decision_date) \
         ORDER BY hv.household_id LIMIT $2",
    )
    .bind(decision_id)
    .bind(limit)
    .fetch_all(store.reader())
    .await?;
    rows.iter().map(|r| Ok((r.try_get("household_id")?, r.try_get("village_id")?))).collect()
}

/// The rows behind a decision's result, counted separately (crash test):
/// voter rows, urn rows and the counters' sum.
pub async fn evidence_totals(store: &Store, decision_id: i64) -> Result<(i64, i64, i64)> {
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM decision_voters WHERE decision_id = $1) AS voters, \
         (SELECT COUNT(*) FROM decision_ballots WHERE decision_id = $1) AS ballots, \
         (SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM decision_counts WHERE decision_id = $1 AND key LIKE 'village:%') AS counted",
    )
    .bind(decision_id)
    .fetch_one(store.reader())
    .await?;
    Ok((row.try_get("voters")?, row.try_get("ballots")?, row.try_get("counted")?))
}

/// Benchmark data: `n` households (no members) in a village from
/// `valid_from`, codes `<prefix><i>`, with their village history, in two
/// statements. Returns how many households were added.
pub async fn bench_households(tx: &mut Tx, commune_id: i64, village_id: i64, prefix: &str, n: i64, valid_from: &str) -> Result<u64> {
    let added = sqlx::query(
        "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $5) \
         INSERT INTO households (commune_id, village_id, code, address, valid_from, is_demo, created_at, updated_at) \
         SELECT $1, $2, $3 || CAST(i AS TEXT), 'Bench', $4, 1, $6, $6 FROM s",
    )
    .bind(commune_id)
    .bind(village_id)
    .bind(prefix)
    .bind(valid_from)
    .bind(n)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    sqlx::query(
        "INSERT INTO household_villages (household_id, village_id, valid_from) \
         SELECT id, village_id, valid_from FROM households WHERE village_id = $1 AND code LIKE $2",
    )
    .bind(village_id)
    .bind(format!("{prefix}%"))
    .execute(&mut **tx)
    .await?;
    Ok(added)
}

/// Benchmark data: every household of `village_id` on the decision date
/// votes on `decision_id` on paper (two in three agree), written in bulk:
/// voter rows, urn rows and one counter row per choice. Returns the
/// ballots written.
pub async fn bench_cast_all(tx: &mut Tx, decision_id: i64, village_id: i64) -> Result<u64> {
    let at = now_ms();
    let n = sqlx::query(
        "INSERT INTO decision_voters (decision_id, household_id, village_id, channel, choice, voted_at) \
         SELECT $1, hv.household_id, $2, 'paper', NULL, $3 FROM household_villages hv WHERE hv.village_id = $2",
    )
    .bind(decision_id)
    .bind(village_id)
    .bind(at)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    sqlx::query(
        "INSERT INTO decision_ballots (id, decision_id, village_id, choice, receipt_hash) \
         SELECT 'b' || CAST(hv.household_id AS TEXT), $1, $2, CASE WHEN hv.household_id % 3 = 0 THEN 'disagree' ELSE 'agree' END, NULL \
         FROM household_villages hv WHERE hv.village_id = $2",
    )
    .bind(decision_id)
    .bind(village_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO decision_counts (decision_id, key, n) \
         SELECT $1, 'village:' || CAST($2 AS TEXT) || ':' || choice || '@0', COUNT(*) FROM decision_ballots \
         WHERE decision_id = $1 AND village_id = $2 GROUP BY choice",
    )
    .bind(decision_id)
    .bind(village_id)
    .execute(&mut **tx)
    .await?;
    Ok(n)
}
