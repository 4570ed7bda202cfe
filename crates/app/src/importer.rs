//! Running a household import: the file is checked, validated row by row
//! (off the async threads), checked against citizen IDs already registered,
//! then applied in ONE transaction with its audit entry — so a file with any
//! bad row imports nothing, and a repeated file changes nothing. Used by the
//! web upload (through the `import_households` job) and by the CLI.

use crate::context::Ctx;
use crate::import::{self, Field, RowError, ValidateOptions};
use danchu_domain::units::Level;
use danchu_domain::{text, Msg};
use danchu_store::households::{self, ImportCounts, NewHousehold};
use danchu_store::units::{self, Unit};
use danchu_store::{audit, imports, meta};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A cheap check that a file is an XLSX workbook or UTF-8 text, by its
/// content (never by its name), before it is queued.
pub fn sniff(bytes: &[u8]) -> Result<(), Msg> {
    if bytes.starts_with(b"PK\x03\x04") {
        let needle = b"xl/workbook.xml";
        if bytes.windows(needle.len()).any(|w| w == needle) {
            return Ok(());
        }
        return Err(Msg::new(
            "Tệp là tệp nén ZIP nhưng không phải bảng tính Excel (.xlsx).",
            "The file is a ZIP archive but not an Excel workbook (.xlsx).",
        ));
    }
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let text_ok = match std::str::from_utf8(head) {
        Ok(_) => true,
        // A multi-byte character cut at the 64 KiB boundary is fine.
        Err(e) => e.error_len().is_none() && head.len() == 64 * 1024,
    };
    if !text_ok || head.contains(&0) {
        return Err(Msg::new(
            "Tệp không phải bảng tính Excel (.xlsx) hay tệp CSV (UTF-8). Hãy mở tệp bằng Excel và lưu lại dạng .xlsx.",
            "The file is neither an Excel workbook (.xlsx) nor a CSV file (UTF-8). Open it in Excel and save it as .xlsx.",
        ));
    }
    Ok(())
}

/// Why an import did not happen.
#[derive(Debug)]
pub enum Failure {
    /// The file has errors (each names its row and column); nothing written.
    Rows(Vec<RowError>),
    /// Something else went wrong (database, …); nothing written.
    System(String),
}

impl From<danchu_store::StoreError> for Failure {
    fn from(e: danchu_store::StoreError) -> Self {
        Failure::System(e.to_string())
    }
}

/// The villages of a commune.
pub async fn villages_of(ctx: &Ctx, commune: &Unit) -> Result<Vec<Unit>, Failure> {
    Ok(units::children(&ctx.store, commune.id)
        .await?
        .into_iter()
        .filter(|c| c.unit.kind.level() == Level::Village)
        .map(|c| c.unit)
        .collect())
}

/// Reads and validates `bytes` for `commune`. `progress` receives (rows done,
/// rows total) from the validation thread.
pub async fn validate(
    ctx: &Ctx,
    commune: &Unit,
    bytes: Vec<u8>,
    progress: Arc<dyn Fn(usize, usize) + Send + Sync>,
) -> Result<(Vec<NewHousehold>, usize), Failure> {
    let villages = villages_of(ctx, commune).await?;
    let key = ctx.keys.cccd();
    let today = crate::web::chrome::today_vn();
    let (plan, table) = tokio::task::spawn_blocking(move || {
        let table = import::read_table(&bytes).map_err(|m| vec![RowError::file(m)])?;
        let opts = ValidateOptions { today, cccd_key: &key };
        let mut cb = |d: usize, t: usize| progress(d, t);
        let plan = import::validate(&table, &villages, &opts, &mut cb)?;
        Ok::<_, Vec<RowError>>((plan, table))
    })
    .await
    .map_err(|e| Failure::System(e.to_string()))?
    .map_err(Failure::Rows)?;
    let total_rows = table.len().saturating_sub(import::header_position(&table) + 1);
    // Codes of households that left the registry are never reused.
    let codes: Vec<String> = plan.iter().map(|h| h.code.clone()).collect();
    let closed = households::closed_codes(&ctx.store, commune.id, &codes).await?;
    if !closed.is_empty() {
        let rows = member_rows(&table);
        let mut errs: Vec<RowError> = closed
            .iter()
            .map(|code| {
                let row = rows.iter().filter(|((c, _), _)| c == code).map(|(_, r)| *r).min().unwrap_or(0);
                RowError::new(
                    row,
                    Some(Field::Code.header()),
                    Msg::new(
                        format!("Mã hộ {code} thuộc một hộ đã ra khỏi danh sách; hãy dùng mã hộ mới."),
                        format!("Household code {code} belongs to a household that left the registry; use a new code."),
                    ),
                )
            })
            .collect();
        errs.sort_by_key(|e| e.row);
        return Err(Failure::Rows(errs));
    }
    // Citizen IDs already held by a current member of another household.
    let in_file: HashMap<&str, &NewHousehold> =
        plan.iter().flat_map(|h| h.members.iter().filter_map(move |m| m.cccd_hash.as_deref().map(|c| (c, h)))).collect();
    let hashes: Vec<String> = in_file.keys().map(|s| s.to_string()).collect();
    let holders = households::cccd_holders(&ctx.store, &hashes).await?;
    let by_code: HashMap<&str, &NewHousehold> = plan.iter().map(|h| (h.code.as_str(), h)).collect();
    let mut conflicts: Vec<(&NewHousehold, String, String)> = Vec::new();
    for holder in holders {
        let Some(h) = in_file.get(holder.cccd_hash.as_str()) else { continue };
        let same_household = holder.commune_id == commune.id && holder.household_code == h.code;
        // A person moving between two households of this file is fine when
        // the old household, also in the file, no longer lists them.
        let moving_within_file = holder.commune_id == commune.id
            && by_code
                .get(holder.household_code.as_str())
                .is_some_and(|old| !old.members.iter().any(|m| m.cccd_hash.as_deref() == Some(holder.cccd_hash.as_str())));
        if !same_household && !moving_within_file {
            let member = h.members.iter().find(|m| m.cccd_hash.as_deref() == Some(holder.cccd_hash.as_str()));
            let last4 = member.and_then(|m| m.cccd_last4.clone()).unwrap_or_default();
            let name = member.map(|m| m.full_name.clone()).unwrap_or_default();
            // Another commune's household code is not shown: only that it exists.
            let other =
                if holder.commune_id == commune.id { holder.household_code.clone() } else { "ở xã, phường khác".to_string() };
            conflicts.push((h, format!("{name}|{last4}"), other));
        }
    }
    if !conflicts.is_empty() {
        let rows = member_rows(&table);
        let mut errs: Vec<RowError> = conflicts
            .into_iter()
            .map(|(h, who, other)| {
                let (name, last4) = who.split_once('|').unwrap_or((&who, ""));
                let row = rows.get(&(h.code.clone(), text::fold(name))).copied().unwrap_or(0);
                RowError::new(
                    row,
                    Some(Field::Cccd.header()),
                    Msg::new(
                        format!("Số CCCD ********{last4} đã được đăng ký cho một thành viên của hộ {other}."),
                        format!("Citizen ID ********{last4} is already registered to a member of household {other}."),
                    ),
                )
            })
            .collect();
        errs.sort_by_key(|e| e.row);
        return Err(Failure::Rows(errs));
    }
    Ok((plan, total_rows))
}

/// Row number of each (household code, folded name) in the table.
fn member_rows(table: &[(usize, Vec<String>)]) -> HashMap<(String, String), usize> {
    let mut out = HashMap::new();
    let start = import::header_position(table);
    let Some(((hr, header), data)) = table.get(start..).and_then(|t| t.split_first()) else { return out };
    let Ok(cols) = import::map_columns(header, *hr) else { return out };
    let (Some(ci), Some(ni)) = (cols.index(Field::Code), cols.index(Field::FullName)) else { return out };
    for (row, cells) in data {
        let code = cells.get(ci).map(|s| text::clean_line(s).to_uppercase()).unwrap_or_default();
        let name = cells.get(ni).map(|s| text::fold(s)).unwrap_or_default();
        out.entry((code, name)).or_insert(*row);
    }
    out
}

/// Who runs an import.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub role: String,
}

/// Applies a validated plan in one transaction with the import record (if
/// any) and the audit entry.
pub async fn apply(
    ctx: &Ctx,
    commune: &Unit,
    plan: &[NewHousehold],
    total_rows: usize,
    actor: &Actor,
    import_id: Option<i64>,
    is_demo: bool,
) -> Result<ImportCounts, Failure> {
    let villages: HashMap<i64, Unit> = villages_of(ctx, commune).await?.into_iter().map(|v| (v.id, v)).collect();
    let today = crate::web::chrome::today_vn().to_string();
    let mut tx = ctx.store.write().await?;
    let counts = households::apply_import(&mut tx, commune, &villages, plan, &today, is_demo).await?;
    if let Some(id) = import_id {
        imports::finish(&mut tx, id, "done", total_rows as i64, &counts, "[]").await?;
    }
    let summary = serde_json::json!({
        "import_id": import_id,
        "rows": total_rows,
        "households_added": counts.households_added,
        "households_updated": counts.households_updated,
        "households_unchanged": counts.households_unchanged,
        "people_added": counts.people_added,
        "people_removed": counts.people_removed,
    })
    .to_string();
    audit::append(
        &mut tx,
        &audit::Entry::on_unit(actor.user_id, &actor.role, commune, "household.imported", &format!("unit:{}", commune.id), &summary),
    )
    .await?;
    if counts.changed() {
        meta::bump_public_version(&mut tx).await?;
    }
    tx.commit().await.map_err(danchu_store::StoreError::from)?;
    if counts.changed() {
        crate::web::cache::local_change();
    }
    Ok(counts)
}

/// The `import_households` job: validate with progress in the database,
/// then apply, or record the row errors. A finished import is not redone.
pub async fn run_job(ctx: &Ctx, import_id: i64, role: &str) -> Result<(), String> {
    let rec = imports::get(&ctx.store, import_id).await.map_err(|e| e.to_string())?;
    if matches!(rec.status.as_str(), "done" | "rejected") {
        return Ok(());
    }
    let commune = units::get(&ctx.store, rec.commune_id).await.map_err(|e| e.to_string())?;
    let Some(bytes) = imports::file_data(&ctx.store, import_id).await.map_err(|e| e.to_string())? else {
        return Err("the import's file is gone".into());
    };
    imports::progress(&ctx.store, import_id, "validating", 0, 0).await.map_err(|e| e.to_string())?;
    let done = Arc::new(AtomicUsize::new(0));
    let total = Arc::new(AtomicUsize::new(0));
    let (d2, t2) = (done.clone(), total.clone());
    let cb: Arc<dyn Fn(usize, usize) + Send + Sync> = Arc::new(move |d, t| {
        d2.store(d, Ordering::Relaxed);
        t2.store(t, Ordering::Relaxed);
    });
    // Report progress to the database twice a second while validating.
    let (stop_tx, mut stop_rx) = tokio::sync::watch::channel(false);
    let store = ctx.store.clone();
    let (d3, t3) = (done.clone(), total.clone());
    let reporter = tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = tokio::time::sleep(std::time::Duration::from_millis(500)) => {}
                _ = stop_rx.changed() => return,
            }
            let _ =
                imports::progress(&store, import_id, "validating", d3.load(Ordering::Relaxed) as i64, t3.load(Ordering::Relaxed) as i64)
                    .await;
        }
    });
    let result = validate(ctx, &commune, bytes, cb).await;
    let _ = stop_tx.send(true);
    let _ = reporter.await;
    let actor = Actor { user_id: rec.user_id, role: role.to_string() };
    match result {
        Ok((plan, total_rows)) => {
            imports::progress(&ctx.store, import_id, "writing", total_rows as i64, total_rows as i64).await.map_err(|e| e.to_string())?;
            match apply(ctx, &commune, &plan, total_rows, &actor, Some(import_id), false).await {
                Ok(_) => Ok(()),
                Err(Failure::System(e)) => Err(e),
                Err(Failure::Rows(errs)) => reject(ctx, import_id, &errs, total.load(Ordering::Relaxed)).await,
            }
        }
        Err(Failure::Rows(errs)) => reject(ctx, import_id, &errs, total.load(Ordering::Relaxed)).await,
        Err(Failure::System(e)) => Err(e),
    }
}

/// Marks an import failed for good (system errors on every attempt) and
/// deletes its file.
pub async fn mark_failed(ctx: &Ctx, import_id: i64) -> Result<(), String> {
    let msg = RowError::file(Msg::new(
        "Hệ thống không nhập được tệp sau nhiều lần thử; không có gì được ghi. Hãy báo cho quản trị hệ thống.",
        "The system could not import the file after several attempts; nothing was written. Tell the system administrator.",
    ));
    let json = serde_json::to_string(&[msg]).map_err(|e| e.to_string())?;
    let mut tx = ctx.store.write().await.map_err(|e| e.to_string())?;
    imports::finish(&mut tx, import_id, "failed", 0, &ImportCounts::default(), &json).await.map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())
}

async fn reject(ctx: &Ctx, import_id: i64, errs: &[RowError], total: usize) -> Result<(), String> {
    let json = serde_json::to_string(errs).map_err(|e| e.to_string())?;
    let mut tx = ctx.store.write().await.map_err(|e| e.to_string())?;
    imports::finish(&mut tx, import_id, "rejected", total as i64, &ImportCounts::default(), &json).await.map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniff_tells_workbooks_and_text_from_other_files() {
        assert!(sniff(b"Ma ho,Thon\nHK1,Thon 1\n").is_ok());
        assert!(sniff("Mã hộ;Thôn\n".as_bytes()).is_ok());
        assert!(sniff(b"%PDF-1.7\n\x00\x01binary").is_err());
        assert!(sniff(b"PK\x03\x04 not a workbook").is_err());
        assert!(sniff(b"PK\x03\x04....xl/workbook.xml....").is_ok());
        assert!(sniff(&[0xff, 0xfe, 0x00, 0x41]).is_err());
    }
}
