//! The audit trail: every state change appends an entry in the same
//! transaction as the change; entries are hash-chained (C0.7).

use crate::db::{now_ms, opt_i64, Result, Store, Tx};
use danchu_domain::audit::{entry_hash, ChainBreak, EntryFields, StoredEntry, Verifier};
use sqlx::any::AnyRow;
use sqlx::Row;

/// Who did what, where. `summary` is a short JSON or text description of the
/// change; it never carries a citizen ID or a denouncer's identity.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub actor_user_id: Option<i64>,
    pub actor_role: Option<&'a str>,
    pub unit_id: Option<i64>,
    pub unit_path: Option<&'a str>,
    pub action: &'a str,
    pub target: &'a str,
    pub summary: &'a str,
}

impl<'a> Entry<'a> {
    /// An event of an account, not tied to a unit (sign-in, password change).
    pub fn account(
        actor_user_id: Option<i64>,
        actor_role: Option<&'a str>,
        action: &'a str,
        target: &'a str,
        summary: &'a str,
    ) -> Entry<'a> {
        Entry { actor_user_id, actor_role, unit_id: None, unit_path: None, action, target, summary }
    }

    /// An event on `unit`, by a user under `actor_role`, or by the system or
    /// the command line (`actor_user_id` None, role "system" or "cli").
    pub fn on_unit(
        actor_user_id: Option<i64>,
        actor_role: &'a str,
        unit: &'a crate::units::Unit,
        action: &'a str,
        target: &'a str,
        summary: &'a str,
    ) -> Entry<'a> {
        Entry { actor_user_id, actor_role: Some(actor_role), unit_id: Some(unit.id), unit_path: Some(&unit.path), action, target, summary }
    }
}

/// Appends an entry to the chain inside `tx`; returns its sequence number.
/// Updating the head row first serialises concurrent appenders on
/// PostgreSQL (row lock until commit); SQLite writers are serial anyway.
pub async fn append(tx: &mut Tx, e: &Entry<'_>) -> Result<i64> {
    let head = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash").fetch_one(&mut **tx).await?;
    let seq: i64 = head.try_get("seq")?;
    let prev: String = head.try_get("hash")?;
    let at_ms = now_ms();
    let hash = entry_hash(
        &prev,
        &EntryFields {
            seq,
            at_ms,
            actor_user_id: e.actor_user_id,
            actor_role: e.actor_role,
            unit_id: e.unit_id,
            unit_path: e.unit_path,
            action: e.action,
            target: e.target,
            summary: e.summary,
        },
    );
    sqlx::query(
        "INSERT INTO audit_log (seq, at_ms, actor_user_id, actor_role, unit_id, unit_path, action, target, summary, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(seq)
    .bind(at_ms)
    .bind(e.actor_user_id)
    .bind(e.actor_role)
    .bind(e.unit_id)
    .bind(e.unit_path)
    .bind(e.action)
    .bind(e.target)
    .bind(e.summary)
    .bind(&prev)
    .bind(&hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(&hash).execute(&mut **tx).await?;
    Ok(seq)
}

/// An entry for display.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Listed {
    pub seq: i64,
    pub at_ms: i64,
    pub actor: Option<String>,
    pub actor_role: Option<String>,
    pub unit_name: Option<String>,
    pub action: String,
    pub target: String,
    pub summary: String,
}

/// Entries whose unit lies in the subtree at `path`, newest first, one
/// page (`before_seq` for keyset paging).
pub async fn list_subtree(store: &Store, path: &str, before_seq: Option<i64>, limit: i64) -> Result<Vec<Listed>> {
    let rows = sqlx::query(
        "SELECT a.seq, a.at_ms, us.username AS actor, a.actor_role, un.name AS unit_name, a.action, a.target, a.summary \
         FROM audit_log a LEFT JOIN users us ON us.id = a.actor_user_id LEFT JOIN units un ON un.id = a.unit_id \
         WHERE a.unit_path LIKE $1 AND a.seq < $2 ORDER BY a.seq DESC LIMIT $3",
    )
    .bind(format!("{path}%"))
    .bind(before_seq.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Listed {
                seq: r.try_get("seq")?,
                at_ms: r.try_get("at_ms")?,
                actor: r.try_get("actor")?,
                actor_role: r.try_get("actor_role")?,
                unit_name: r.try_get("unit_name")?,
                action: r.try_get("action")?,
                target: r.try_get("target")?,
                summary: r.try_get("summary")?,
            })
        })
        .collect()
}

fn stored_from(r: &AnyRow) -> Result<StoredEntry> {
    Ok(StoredEntry {
        seq: r.try_get("seq")?,
        at_ms: r.try_get("at_ms")?,
        actor_user_id: opt_i64(r, "actor_user_id")?,
        actor_role: r.try_get("actor_role")?,
        unit_id: opt_i64(r, "unit_id")?,
        unit_path: r.try_get("unit_path")?,
        action: r.try_get("action")?,
        target: r.try_get("target")?,
        summary: r.try_get("summary")?,
        prev_hash: r.try_get("prev_hash")?,
        hash: r.try_get("hash")?,
    })
}

/// Verifies the whole chain in pages of 5,000; returns the number of entries
/// checked or the first break.
pub async fn verify(store: &Store) -> Result<std::result::Result<i64, ChainBreak>> {
    let mut v = Verifier::default();
    let mut after = 0i64;
    loop {
        let rows = sqlx::query(
            "SELECT seq, at_ms, actor_user_id, actor_role, unit_id, unit_path, action, target, summary, prev_hash, hash \
             FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 5000",
        )
        .bind(after)
        .fetch_all(store.reader())
        .await?;
        if rows.is_empty() {
            break;
        }
        for r in &rows {
            let e = stored_from(r)?;
            after = e.seq;
            if let Err(b) = v.feed(&e) {
                return Ok(Err(b));
            }
        }
    }
    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(store.reader()).await?;
    let head_seq: i64 = head.try_get("seq")?;
    let head_hash: String = head.try_get("hash")?;
    Ok(v.finish(head_seq, &head_hash).map(|_| v.checked))
}
