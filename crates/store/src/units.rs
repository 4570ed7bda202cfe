//! Administrative units, villages and attached organisations.

use crate::db::{flag, now_ms, opt_i64, Result, Store, StoreError, Tx};
use danchu_domain::units::{Era, UnitKind};
use sqlx::any::AnyRow;
use sqlx::Row;

/// A unit as stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Unit {
    pub id: i64,
    pub era: Era,
    pub code: String,
    pub kind: UnitKind,
    pub name: String,
    pub short_name: String,
    pub parent_id: Option<i64>,
    pub path: String,
    pub depth: i64,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub is_demo: bool,
}

impl Unit {
    /// Whether `other` is this unit or lies below it.
    pub fn contains(&self, other: &Unit) -> bool {
        other.path.starts_with(&self.path)
    }
}

/// Roll-up counts of a unit.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct UnitStats {
    pub villages: i64,
    pub households: i64,
    pub people: i64,
}

/// A unit with its roll-up counts, for lists.
#[derive(Debug, Clone, serde::Serialize)]
pub struct UnitWithStats {
    pub unit: Unit,
    pub stats: UnitStats,
}

const COLS: &str = "u.id, u.era, u.code, u.kind, u.name, u.short_name, u.parent_id, u.path, u.depth, \
    u.valid_from, u.valid_to, u.address, u.phone, u.email, u.website, u.is_demo";
const STATS_COLS: &str = "COALESCE(s.villages, 0) AS villages, COALESCE(s.households, 0) AS households, \
    COALESCE(s.people, 0) AS people";

fn unit_from(r: &AnyRow) -> Result<Unit> {
    let era: String = r.try_get("era")?;
    let kind: String = r.try_get("kind")?;
    Ok(Unit {
        id: r.try_get("id")?,
        era: Era::parse(&era).ok_or_else(|| StoreError::Invalid(format!("era {era}")))?,
        code: r.try_get("code")?,
        kind: UnitKind::parse(&kind).ok_or_else(|| StoreError::Invalid(format!("kind {kind}")))?,
        name: r.try_get("name")?,
        short_name: r.try_get("short_name")?,
        parent_id: opt_i64(r, "parent_id")?,
        path: r.try_get("path")?,
        depth: r.try_get("depth")?,
        valid_from: r.try_get("valid_from")?,
        valid_to: r.try_get("valid_to")?,
        address: r.try_get("address")?,
        phone: r.try_get("phone")?,
        email: r.try_get("email")?,
        website: r.try_get("website")?,
        is_demo: flag(r, "is_demo")?,
    })
}

fn with_stats_from(r: &AnyRow) -> Result<UnitWithStats> {
    Ok(UnitWithStats {
        unit: unit_from(r)?,
        stats: UnitStats { villages: r.try_get("villages")?, households: r.try_get("households")?, people: r.try_get("people")? },
    })
}

/// What is needed to create a unit.
#[derive(Debug, Clone)]
pub struct NewUnit<'a> {
    pub era: Era,
    pub code: &'a str,
    pub kind: UnitKind,
    pub name: &'a str,
    pub short_name: &'a str,
    pub search_key: &'a str,
    pub parent: Option<&'a Unit>,
    pub valid_from: Option<&'a str>,
    pub valid_to: Option<&'a str>,
    pub is_demo: bool,
}

/// Inserts a unit and gives it its path; returns it.
pub async fn insert(tx: &mut Tx, n: &NewUnit<'_>) -> Result<Unit> {
    let now = now_ms();
    let depth = n.parent.map(|p| p.depth + 1).unwrap_or(0);
    let row = sqlx::query(
        "INSERT INTO units (era, code, kind, name, short_name, search_key, parent_id, path, depth, valid_from, valid_to, \
         is_demo, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, '', $8, $9, $10, $11, $12, $12) RETURNING id",
    )
    .bind(n.era.as_str())
    .bind(n.code)
    .bind(n.kind.as_str())
    .bind(n.name)
    .bind(n.short_name)
    .bind(n.search_key)
    .bind(n.parent.map(|p| p.id))
    .bind(depth)
    .bind(n.valid_from)
    .bind(n.valid_to)
    .bind(n.is_demo as i64)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    let id: i64 = row.try_get("id")?;
    let path = format!("{}{id}/", n.parent.map(|p| p.path.as_str()).unwrap_or("/"));
    sqlx::query("UPDATE units SET path = $1 WHERE id = $2").bind(&path).bind(id).execute(&mut **tx).await?;
    sqlx::query("INSERT INTO unit_stats (unit_id, villages, households, people, updated_at) VALUES ($1, 0, 0, 0, $2)")
        .bind(id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    get_tx(tx, id).await
}

/// Updates the name of an official unit if it changed (re-seeding); returns
/// whether anything changed.
pub async fn update_official(tx: &mut Tx, id: i64, name: &str, short_name: &str, search_key: &str, kind: UnitKind) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE units SET name = $1, short_name = $2, search_key = $3, kind = $4, updated_at = $5 \
         WHERE id = $6 AND (name <> $1 OR kind <> $4)",
    )
    .bind(name)
    .bind(short_name)
    .bind(search_key)
    .bind(kind.as_str())
    .bind(now_ms())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() > 0)
}

pub async fn get(store: &Store, id: i64) -> Result<Unit> {
    let sql = format!("SELECT {COLS} FROM units u WHERE u.id = $1");
    let r = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(store.reader()).await?;
    unit_from(&r.ok_or(StoreError::NotFound)?)
}

pub async fn get_tx(tx: &mut Tx, id: i64) -> Result<Unit> {
    let sql = format!("SELECT {COLS} FROM units u WHERE u.id = $1");
    let r = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut **tx).await?;
    unit_from(&r.ok_or(StoreError::NotFound)?)
}

pub async fn by_code(store: &Store, era: Era, code: &str) -> Result<Option<Unit>> {
    let sql = format!("SELECT {COLS} FROM units u WHERE u.era = $1 AND u.code = $2");
    let r = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(era.as_str()).bind(code).fetch_optional(store.reader()).await?;
    r.as_ref().map(unit_from).transpose()
}

pub async fn by_code_tx(tx: &mut Tx, era: Era, code: &str) -> Result<Option<Unit>> {
    let sql = format!("SELECT {COLS} FROM units u WHERE u.era = $1 AND u.code = $2");
    let r = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(era.as_str()).bind(code).fetch_optional(&mut **tx).await?;
    r.as_ref().map(unit_from).transpose()
}

/// A unit with its counts.
pub async fn get_with_stats(store: &Store, id: i64) -> Result<UnitWithStats> {
    let sql = format!("SELECT {COLS}, {STATS_COLS} FROM units u LEFT JOIN unit_stats s ON s.unit_id = u.id WHERE u.id = $1");
    let r = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(store.reader()).await?;
    with_stats_from(&r.ok_or(StoreError::NotFound)?)
}

/// A unit with its counts, by era and code (one query).
pub async fn by_code_with_stats(store: &Store, era: Era, code: &str) -> Result<Option<UnitWithStats>> {
    let sql =
        format!("SELECT {COLS}, {STATS_COLS} FROM units u LEFT JOIN unit_stats s ON s.unit_id = u.id WHERE u.era = $1 AND u.code = $2");
    let r = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(era.as_str()).bind(code).fetch_optional(store.reader()).await?;
    r.as_ref().map(with_stats_from).transpose()
}

/// The children of a unit, with counts, ordered by name (one query).
pub async fn children(store: &Store, parent_id: i64) -> Result<Vec<UnitWithStats>> {
    let sql = format!(
        "SELECT {COLS}, {STATS_COLS} FROM units u LEFT JOIN unit_stats s ON s.unit_id = u.id \
         WHERE u.parent_id = $1 AND (u.valid_to IS NULL OR u.era = 'pre2025') ORDER BY u.kind, u.code"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(parent_id).fetch_all(store.reader()).await?;
    rows.iter().map(with_stats_from).collect()
}

/// The children of a unit (without counts) inside a transaction.
pub async fn children_tx(tx: &mut Tx, parent_id: i64) -> Result<Vec<Unit>> {
    let sql = format!("SELECT {COLS} FROM units u WHERE u.parent_id = $1 ORDER BY u.kind, u.code");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(parent_id).fetch_all(&mut **tx).await?;
    rows.iter().map(unit_from).collect()
}

/// The ancestors of a unit from the root down (one query, on the path).
pub async fn ancestors(store: &Store, unit: &Unit) -> Result<Vec<Unit>> {
    let ids: Vec<i64> = unit.path.split('/').filter_map(|s| s.parse().ok()).filter(|id| *id != unit.id).collect();
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let list = ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",");
    let sql = format!("SELECT {COLS} FROM units u WHERE u.id IN ({list}) ORDER BY u.depth");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(store.reader()).await?;
    rows.iter().map(unit_from).collect()
}

/// Commune-level units of the current era whose folded name contains the
/// folded query, with counts; all of them when the query is empty.
pub async fn search_communes(store: &Store, province_id: i64, folded_query: &str) -> Result<Vec<UnitWithStats>> {
    let pattern = format!("%{}%", folded_query.replace(['%', '_'], ""));
    let sql = format!(
        "SELECT {COLS}, {STATS_COLS} FROM units u LEFT JOIN unit_stats s ON s.unit_id = u.id \
         WHERE u.parent_id = $1 AND u.era = 'current' AND u.kind IN ('xa', 'phuong', 'dac_khu') \
         AND u.valid_to IS NULL AND u.search_key LIKE $2 ORDER BY u.search_key"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(province_id).bind(pattern).fetch_all(store.reader()).await?;
    rows.iter().map(with_stats_from).collect()
}

/// The next free village sequence number in a commune.
pub async fn next_village_seq(tx: &mut Tx, commune: &Unit) -> Result<u32> {
    let r = sqlx::query("SELECT COUNT(*) AS n FROM units WHERE parent_id = $1 AND kind IN ('thon', 'to_dan_pho')")
        .bind(commune.id)
        .fetch_one(&mut **tx)
        .await?;
    let n: i64 = r.try_get("n")?;
    Ok(n as u32 + 1)
}

/// Sets the contact details of a unit.
pub async fn set_contacts(
    tx: &mut Tx,
    id: i64,
    address: Option<&str>,
    phone: Option<&str>,
    email: Option<&str>,
    website: Option<&str>,
) -> Result<()> {
    sqlx::query("UPDATE units SET address = $1, phone = $2, email = $3, website = $4, updated_at = $5 WHERE id = $6")
        .bind(address)
        .bind(phone)
        .bind(email)
        .bind(website)
        .bind(now_ms())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Adds `delta` to the roll-up counts of a unit and all its ancestors, in the
/// caller's transaction.
pub async fn bump_stats(tx: &mut Tx, unit: &Unit, delta: UnitStats) -> Result<()> {
    if delta.villages == 0 && delta.households == 0 && delta.people == 0 {
        return Ok(());
    }
    let ids = unit.path.split('/').filter(|s| !s.is_empty()).collect::<Vec<_>>().join(",");
    let sql = format!(
        "UPDATE unit_stats SET villages = villages + $1, households = households + $2, people = people + $3, \
         updated_at = $4 WHERE unit_id IN ({ids})"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(delta.villages)
        .bind(delta.households)
        .bind(delta.people)
        .bind(now_ms())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Rebuilds every roll-up count from the base tables (`danchu recount`):
/// villages and households per village, then sums upwards by depth.
pub async fn recount_all(store: &Store) -> Result<()> {
    let mut tx = store.write().await?;
    let now = now_ms();
    sqlx::query(
        "INSERT INTO unit_stats (unit_id, villages, households, people, updated_at) \
         SELECT id, 0, 0, 0, $1 FROM units WHERE id NOT IN (SELECT unit_id FROM unit_stats)",
    )
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE unit_stats SET villages = 0, households = 0, people = 0, updated_at = $1").bind(now).execute(&mut *tx).await?;
    sqlx::query(
        "UPDATE unit_stats SET \
           households = (SELECT COUNT(*) FROM households h WHERE h.village_id = unit_stats.unit_id AND h.valid_to IS NULL), \
           people = (SELECT COUNT(*) FROM people p JOIN households h ON h.id = p.household_id \
                     WHERE h.village_id = unit_stats.unit_id AND h.valid_to IS NULL AND p.valid_to IS NULL), \
           villages = 1 \
         WHERE unit_id IN (SELECT id FROM units WHERE kind IN ('thon', 'to_dan_pho') AND valid_to IS NULL)",
    )
    .execute(&mut *tx)
    .await?;
    let r = sqlx::query("SELECT COALESCE(MAX(depth), 0) AS d FROM units").fetch_one(&mut *tx).await?;
    let max_depth: i64 = r.try_get("d")?;
    for depth in (0..max_depth).rev() {
        sqlx::query(
            "UPDATE unit_stats SET \
               villages = (SELECT COALESCE(SUM(c.villages), 0) FROM unit_stats c JOIN units cu ON cu.id = c.unit_id WHERE cu.parent_id = unit_stats.unit_id AND cu.valid_to IS NULL), \
               households = (SELECT COALESCE(SUM(c.households), 0) FROM unit_stats c JOIN units cu ON cu.id = c.unit_id WHERE cu.parent_id = unit_stats.unit_id AND cu.valid_to IS NULL), \
               people = (SELECT COALESCE(SUM(c.people), 0) FROM unit_stats c JOIN units cu ON cu.id = c.unit_id WHERE cu.parent_id = unit_stats.unit_id AND cu.valid_to IS NULL) \
             WHERE unit_id IN (SELECT id FROM units WHERE depth = $1 AND kind NOT IN ('thon', 'to_dan_pho'))",
        )
        .bind(depth)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Commune-level units of the pre-2025 structure with their district's name,
/// filtered by folded name (one query).
pub async fn pre2025_communes(store: &Store, folded_query: &str) -> Result<Vec<(Unit, String)>> {
    let pattern = format!("%{}%", folded_query.replace(['%', '_'], ""));
    let sql = format!(
        "SELECT {COLS}, d.name AS district FROM units u JOIN units d ON d.id = u.parent_id \
         WHERE u.era = 'pre2025' AND u.kind IN ('xa', 'phuong', 'thi_tran') AND (u.search_key LIKE $1 OR d.search_key LIKE $1) \
         ORDER BY d.code, u.code"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(pattern).fetch_all(store.reader()).await?;
    rows.iter().map(|r| Ok((unit_from(r)?, r.try_get("district")?))).collect()
}

/// The next free organisation sequence number under a unit.
pub async fn next_org_seq(tx: &mut Tx, parent: &Unit) -> Result<u32> {
    let r = sqlx::query(
        "SELECT COUNT(*) AS n FROM units WHERE parent_id = $1 AND kind IN ('agency', 'public_service_unit', 'state_enterprise', 'enterprise')",
    )
    .bind(parent.id)
    .fetch_one(&mut **tx)
    .await?;
    let n: i64 = r.try_get("n")?;
    Ok(n as u32 + 1)
}
