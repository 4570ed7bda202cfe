//! What the documents of a community decision read (the meetings of a
//! decision, its paper ballots with their households, the ballots' counts)
//! and the record of its publication as a disclosure item. The decision
//! itself, its villages and counting teams are read through
//! [`crate::decisions`].

use crate::db::{opt_i64, Result, Store, Tx};
use crate::decisions::Meeting;
use danchu_domain::decision::Counts;
use sqlx::Row;

/// The meetings of a decision, by village then date (one query).
pub async fn meetings(store: &Store, decision_id: i64) -> Result<Vec<Meeting>> {
    let rows = sqlx::query(
        "SELECT id, decision_id, village_id, held_on, notice_on, documents_on, secretary, committee, method, present, agree, \
         disagree, other, invalid, result_at FROM decision_meetings WHERE decision_id = $1 ORDER BY village_id, held_on, id",
    )
    .bind(decision_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            let result = match opt_i64(r, "result_at")? {
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
        .collect()
}

/// Paper ballots of a village: issued, printed, returned (counted).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct PaperStats {
    pub issued: i64,
    pub printed: i64,
    pub returned: i64,
}

/// The paper-ballot figures of one village of a decision (one query).
pub async fn paper_stats(store: &Store, decision_id: i64, village_id: i64) -> Result<PaperStats> {
    let r = sqlx::query(
        "SELECT COUNT(*) AS issued, COUNT(printed_at) AS printed, COUNT(counted_at) AS returned FROM decision_paper_ballots \
         WHERE decision_id = $1 AND village_id = $2",
    )
    .bind(decision_id)
    .bind(village_id)
    .fetch_one(store.reader())
    .await?;
    Ok(PaperStats { issued: r.try_get("issued")?, printed: r.try_get("printed")?, returned: r.try_get("returned")? })
}

/// A ballot to print: its code and its household.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BallotToPrint {
    pub code: String,
    pub household_code: String,
    pub address: String,
    /// The household's representative (C0.3), when the registry has one.
    pub representative: Option<String>,
}

/// The ballots of a village with their households, by household code (one
/// query; the representative is the current member flagged as such).
pub async fn ballots_to_print(store: &Store, decision_id: i64, village_id: i64) -> Result<Vec<BallotToPrint>> {
    let rows = sqlx::query(
        "SELECT b.code, h.code AS household_code, h.address, \
         (SELECT p.full_name FROM people p WHERE p.household_id = h.id AND p.is_representative = 1 AND p.valid_to IS NULL \
          ORDER BY p.id LIMIT 1) AS representative \
         FROM decision_paper_ballots b JOIN households h ON h.id = b.household_id \
         WHERE b.decision_id = $1 AND b.village_id = $2 ORDER BY h.code",
    )
    .bind(decision_id)
    .bind(village_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(BallotToPrint {
                code: r.try_get("code")?,
                household_code: r.try_get("household_code")?,
                address: r.try_get("address")?,
                representative: r.try_get("representative")?,
            })
        })
        .collect()
}

/// The disclosure item a decision's result was published as, if any.
pub async fn publication(store: &Store, decision_id: i64) -> Result<Option<i64>> {
    let row = sqlx::query("SELECT disclosure_id FROM decision_publications WHERE decision_id = $1")
        .bind(decision_id)
        .fetch_optional(store.reader())
        .await?;
    Ok(match row {
        Some(r) => Some(r.try_get("disclosure_id")?),
        None => None,
    })
}

/// Records the publication in the publishing transaction. False when the
/// decision was published before (nothing written): the caller rolls back.
pub async fn record_publication(tx: &mut Tx, decision_id: i64, disclosure_id: i64, by: Option<i64>, at: i64) -> Result<bool> {
    let n = sqlx::query(
        "INSERT INTO decision_publications (decision_id, disclosure_id, published_by, published_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (decision_id) DO NOTHING",
    )
    .bind(decision_id)
    .bind(disclosure_id)
    .bind(by)
    .bind(at)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}
