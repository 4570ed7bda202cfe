//! The household registry: households of villages and their members.

use crate::db::{flag, now_ms, Params, Result, Store, StoreError, Tx};
use crate::units::{self, Unit, UnitStats};
use sqlx::Row;
use std::collections::{HashMap, HashSet};

/// A member as the registry holds it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Member {
    pub id: i64,
    pub full_name: String,
    pub birth_date: String,
    pub relation: String,
    pub is_head: bool,
    pub is_representative: bool,
    #[serde(skip)]
    pub cccd_hash: Option<String>,
    pub cccd_last4: Option<String>,
}

/// A household in a list.
#[derive(Debug, Clone, serde::Serialize)]
pub struct HouseholdRow {
    pub id: i64,
    pub code: String,
    pub address: String,
    pub village_id: i64,
    pub representative: Option<String>,
    pub members: i64,
    pub valid_from: String,
    pub is_demo: bool,
}

/// Households of a village in force today, with the representative's name
/// and the member count, one page, ordered by code (one query).
pub async fn list_by_village(store: &Store, village_id: i64, offset: i64, limit: i64) -> Result<Vec<HouseholdRow>> {
    let rows = sqlx::query(
        "SELECT h.id, h.code, h.address, h.village_id, h.valid_from, h.is_demo, r.full_name AS representative, \
           (SELECT COUNT(*) FROM people m WHERE m.household_id = h.id AND m.valid_to IS NULL) AS members \
         FROM households h LEFT JOIN people r ON r.household_id = h.id AND r.is_representative = 1 AND r.valid_to IS NULL \
         WHERE h.village_id = $1 AND h.valid_to IS NULL ORDER BY h.code LIMIT $2 OFFSET $3",
    )
    .bind(village_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(HouseholdRow {
                id: r.try_get("id")?,
                code: r.try_get("code")?,
                address: r.try_get("address")?,
                village_id: r.try_get("village_id")?,
                representative: r.try_get("representative")?,
                members: r.try_get("members")?,
                valid_from: r.try_get("valid_from")?,
                is_demo: flag(r, "is_demo")?,
            })
        })
        .collect()
}

/// A household with its current members (two queries).
#[derive(Debug, Clone, serde::Serialize)]
pub struct HouseholdDetail {
    pub id: i64,
    pub code: String,
    pub address: String,
    pub village_id: i64,
    pub commune_id: i64,
    pub valid_from: String,
    pub valid_to: Option<String>,
    pub members: Vec<Member>,
}

pub async fn detail(store: &Store, id: i64) -> Result<HouseholdDetail> {
    let r = sqlx::query("SELECT id, code, address, village_id, commune_id, valid_from, valid_to FROM households WHERE id = $1")
        .bind(id)
        .fetch_optional(store.reader())
        .await?
        .ok_or(StoreError::NotFound)?;
    let members = sqlx::query(
        "SELECT id, full_name, birth_date, relation, is_head, is_representative, cccd_hash, cccd_last4 FROM people \
         WHERE household_id = $1 AND valid_to IS NULL ORDER BY is_head DESC, birth_date",
    )
    .bind(id)
    .fetch_all(store.reader())
    .await?;
    Ok(HouseholdDetail {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        address: r.try_get("address")?,
        village_id: r.try_get("village_id")?,
        commune_id: r.try_get("commune_id")?,
        valid_from: r.try_get("valid_from")?,
        valid_to: r.try_get("valid_to")?,
        members: members.iter().map(member_from).collect::<Result<_>>()?,
    })
}

fn member_from(r: &sqlx::any::AnyRow) -> Result<Member> {
    Ok(Member {
        id: r.try_get("id")?,
        full_name: r.try_get("full_name")?,
        birth_date: r.try_get("birth_date")?,
        relation: r.try_get("relation")?,
        is_head: flag(r, "is_head")?,
        is_representative: flag(r, "is_representative")?,
        cccd_hash: r.try_get("cccd_hash")?,
        cccd_last4: r.try_get("cccd_last4")?,
    })
}

/// The number of households of a village in force on `date` (ISO), the figure
/// legal thresholds are computed on (C0.4). Read from the membership history,
/// so households that moved in or out later do not change past counts.
pub async fn count_at(store: &Store, village_id: i64, date: &str) -> Result<i64> {
    let r = sqlx::query(
        "SELECT COUNT(*) AS n FROM household_villages WHERE village_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)",
    )
    .bind(village_id)
    .bind(date)
    .fetch_one(store.reader())
    .await?;
    Ok(r.try_get("n")?)
}

/// A member to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMember {
    pub full_name: String,
    pub birth_date: String,
    pub relation: String,
    pub is_head: bool,
    pub cccd_hash: Option<String>,
    pub cccd_last4: Option<String>,
}

/// A household to import: its members and the index of its representative.
#[derive(Debug, Clone)]
pub struct NewHousehold {
    pub code: String,
    pub village_id: i64,
    pub address: String,
    pub members: Vec<NewMember>,
    pub representative: usize,
}

/// What an import changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImportCounts {
    pub households_added: i64,
    pub households_updated: i64,
    pub households_unchanged: i64,
    pub people_added: i64,
    pub people_removed: i64,
}

impl ImportCounts {
    pub fn changed(&self) -> bool {
        self.households_added + self.households_updated + self.people_added + self.people_removed > 0
    }
}

/// A citizen-ID hash already held by a household other than the one that
/// lists it in the file.
#[derive(Debug, Clone)]
pub struct CccdHolder {
    pub cccd_hash: String,
    pub commune_id: i64,
    pub household_code: String,
}

/// Which of `hashes` are held by current members, and by which household
/// (queries in batches of 500).
pub async fn cccd_holders(store: &Store, hashes: &[String]) -> Result<Vec<CccdHolder>> {
    let mut out = Vec::new();
    for chunk in hashes.chunks(500) {
        let params = (1..=chunk.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(",");
        let sql = format!(
            "SELECT p.cccd_hash, h.commune_id, h.code FROM people p JOIN households h ON h.id = p.household_id \
             WHERE p.valid_to IS NULL AND p.cccd_hash IN ({params})"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for h in chunk {
            q = q.bind(h);
        }
        for r in q.fetch_all(store.reader()).await? {
            out.push(CccdHolder {
                cccd_hash: r.try_get("cccd_hash")?,
                commune_id: r.try_get("commune_id")?,
                household_code: r.try_get("code")?,
            });
        }
    }
    Ok(out)
}

struct Existing {
    id: i64,
    village_id: i64,
    address: String,
    members: Vec<Member>,
}

fn member_key(name: &str, birth: &str) -> String {
    format!("{}|{birth}", danchu_domain::text::fold(name))
}

/// Starts village memberships `(household, village)` on `from`, in batches.
async fn insert_memberships(tx: &mut Tx, pairs: &[(i64, i64)], from: &str) -> Result<()> {
    for chunk in pairs.chunks(400) {
        let mut sql = String::from("INSERT INTO household_villages (household_id, village_id, valid_from) VALUES ");
        let mut p = Params::for_tx(tx);
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&p.tuple(3, ""));
        }
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (h, v) in chunk {
            q = q.bind(*h).bind(*v).bind(from);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Runs `UPDATE people SET <set> WHERE id IN (…)` over `ids` in batches.
async fn update_people(tx: &mut Tx, set: &str, ids: &[i64]) -> Result<()> {
    for chunk in ids.chunks(500) {
        let list = chunk.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",");
        let sql = format!("UPDATE people SET {set}, updated_at = {} WHERE id IN ({list})", now_ms());
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Applies validated households to a commune's registry inside `tx`:
/// new households are added, changed ones updated (members who are no longer
/// listed leave the household on `today`), identical ones untouched, so a
/// second import of the same file changes nothing. Households missing from
/// the file are left as they are. Roll-up counts are updated in `tx`.
///
/// Cost: two reads, then batched statements only (400 rows each); nothing is
/// read back per row, which keeps a 100,000-household import within seconds.
pub async fn apply_import(
    tx: &mut Tx,
    commune: &Unit,
    villages: &HashMap<i64, Unit>,
    plan: &[NewHousehold],
    today: &str,
    is_demo: bool,
) -> Result<ImportCounts> {
    let now = now_ms();
    // 0. Lock the commune's roll-up row first: concurrent imports of one
    // commune (two PostgreSQL nodes) then run one after the other and each
    // sees the other's result in its snapshot.
    sqlx::query("UPDATE unit_stats SET updated_at = $1 WHERE unit_id = $2").bind(now).bind(commune.id).execute(&mut **tx).await?;
    // 1. Snapshot of the commune's current households and members (2 queries).
    let mut existing: HashMap<String, Existing> = HashMap::new();
    let rows = sqlx::query("SELECT id, code, village_id, address FROM households WHERE commune_id = $1 AND valid_to IS NULL")
        .bind(commune.id)
        .fetch_all(&mut **tx)
        .await?;
    let mut code_by_id: HashMap<i64, String> = HashMap::new();
    for r in &rows {
        let code: String = r.try_get("code")?;
        let id: i64 = r.try_get("id")?;
        code_by_id.insert(id, code.clone());
        existing.insert(code, Existing { id, village_id: r.try_get("village_id")?, address: r.try_get("address")?, members: vec![] });
    }
    if !existing.is_empty() {
        let rows = sqlx::query(
            "SELECT p.household_id, p.id, p.full_name, p.birth_date, p.relation, p.is_head, p.is_representative, p.cccd_hash, p.cccd_last4 \
             FROM people p JOIN households h ON h.id = p.household_id \
             WHERE h.commune_id = $1 AND h.valid_to IS NULL AND p.valid_to IS NULL",
        )
        .bind(commune.id)
        .fetch_all(&mut **tx)
        .await?;
        for r in &rows {
            let hid: i64 = r.try_get("household_id")?;
            if let Some(e) = code_by_id.get(&hid).and_then(|code| existing.get_mut(code)) {
                e.members.push(member_from(r)?);
            }
        }
    }

    // 2. Diff.
    let mut counts = ImportCounts::default();
    let mut deltas: HashMap<i64, UnitStats> = HashMap::new();
    let mut new_households: Vec<&NewHousehold> = Vec::new();
    // (household id, member, is representative) to insert.
    let mut members_to_insert: Vec<(i64, &NewMember, bool)> = Vec::new();
    let mut close_member_ids: Vec<i64> = Vec::new();
    let mut member_updates: Vec<(i64, &NewMember)> = Vec::new();
    let mut household_updates: Vec<(i64, &NewHousehold)> = Vec::new();
    // Households that change village: (household id, new village).
    let mut moves: Vec<(i64, i64)> = Vec::new();
    let mut rep_clear: Vec<i64> = Vec::new();
    let mut rep_set: Vec<i64> = Vec::new();

    for h in plan {
        let rep = &h.members[h.representative];
        let rep_key = member_key(&rep.full_name, &rep.birth_date);
        let Some(e) = existing.get(&h.code) else {
            new_households.push(h);
            let d = deltas.entry(h.village_id).or_default();
            d.households += 1;
            d.people += h.members.len() as i64;
            counts.households_added += 1;
            counts.people_added += h.members.len() as i64;
            continue;
        };
        let mut changed = e.village_id != h.village_id || e.address != h.address;
        let old: HashMap<String, &Member> = e.members.iter().map(|m| (member_key(&m.full_name, &m.birth_date), m)).collect();
        let new_keys: HashSet<String> = h.members.iter().map(|m| member_key(&m.full_name, &m.birth_date)).collect();
        for (k, o) in &old {
            let stays = new_keys.contains(k);
            if !stays {
                close_member_ids.push(o.id);
                counts.people_removed += 1;
                changed = true;
            }
            // The representative flag moves before anyone new is flagged.
            if o.is_representative && (!stays || *k != rep_key) {
                rep_clear.push(o.id);
                changed = true;
            }
            if stays && !o.is_representative && *k == rep_key {
                rep_set.push(o.id);
                changed = true;
            }
        }
        for m in &h.members {
            let key = member_key(&m.full_name, &m.birth_date);
            match old.get(&key) {
                None => {
                    members_to_insert.push((e.id, m, key == rep_key));
                    counts.people_added += 1;
                    changed = true;
                }
                Some(o) => {
                    if o.relation != m.relation
                        || o.is_head != m.is_head
                        || o.full_name != m.full_name
                        || (m.cccd_hash.is_some() && o.cccd_hash != m.cccd_hash)
                    {
                        member_updates.push((o.id, m));
                        changed = true;
                    }
                }
            }
        }
        if changed {
            counts.households_updated += 1;
            household_updates.push((e.id, h));
            let people_now = h.members.len() as i64;
            let people_before = e.members.len() as i64;
            if e.village_id != h.village_id {
                moves.push((e.id, h.village_id));
                let d = deltas.entry(e.village_id).or_default();
                d.households -= 1;
                d.people -= people_before;
                let d = deltas.entry(h.village_id).or_default();
                d.households += 1;
                d.people += people_now;
            } else {
                deltas.entry(h.village_id).or_default().people += people_now - people_before;
            }
        } else {
            counts.households_unchanged += 1;
        }
    }
    if !counts.changed() && household_updates.is_empty() {
        return Ok(counts);
    }

    // 3. Writes. Members leave and representative flags are cleared first, so
    // that the unique indexes (one current row per CCCD, one representative
    // per household) hold at every statement.
    update_people(tx, &format!("valid_to = '{}', is_representative = 0", today.replace('\'', "")), &close_member_ids).await?;
    update_people(tx, "is_representative = 0", &rep_clear).await?;
    for (id, h) in &household_updates {
        sqlx::query("UPDATE households SET village_id = $1, address = $2, updated_at = $3 WHERE id = $4")
            .bind(h.village_id)
            .bind(&h.address)
            .bind(now)
            .bind(*id)
            .execute(&mut **tx)
            .await?;
    }
    for (id, m) in &member_updates {
        sqlx::query(
            "UPDATE people SET full_name = $1, relation = $2, is_head = $3, cccd_hash = COALESCE($4, cccd_hash), \
             cccd_last4 = COALESCE($5, cccd_last4), updated_at = $6 WHERE id = $7",
        )
        .bind(&m.full_name)
        .bind(&m.relation)
        .bind(m.is_head as i64)
        .bind(&m.cccd_hash)
        .bind(&m.cccd_last4)
        .bind(now)
        .bind(*id)
        .execute(&mut **tx)
        .await?;
    }
    update_people(tx, "is_representative = 1", &rep_set).await?;
    // Moves: the old membership ends today, a new one starts.
    for chunk in moves.chunks(500) {
        let ids = chunk.iter().map(|(h, _)| h.to_string()).collect::<Vec<_>>().join(",");
        let sql = format!("UPDATE household_villages SET valid_to = $1 WHERE valid_to IS NULL AND household_id IN ({ids})");
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(today).execute(&mut **tx).await?;
    }
    insert_memberships(tx, &moves, today).await?;
    // New households in batches; RETURNING gives their ids by code (the order
    // of RETURNING rows is not guaranteed, so we match on the code).
    let mut new_ids: HashMap<&str, i64> = HashMap::with_capacity(new_households.len());
    for chunk in new_households.chunks(400) {
        let mut sql = String::from(
            "INSERT INTO households (commune_id, village_id, code, address, valid_from, is_demo, created_at, updated_at) VALUES ",
        );
        let mut p = Params::for_tx(tx);
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push(',');
            }
            // (commune, village, code, address, valid_from, is_demo, created, updated)
            sql.push_str(&format!("({}, ", commune.id));
            sql.push_str(&p.tuple(5, &format!(", {now}, {now}"))[1..]);
        }
        sql.push_str(" RETURNING id, code");
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for h in chunk {
            q = q.bind(h.village_id).bind(&h.code).bind(&h.address).bind(today).bind(is_demo as i64);
        }
        let codes: HashMap<&str, &str> = chunk.iter().map(|h| (h.code.as_str(), h.code.as_str())).collect();
        for r in q.fetch_all(&mut **tx).await? {
            let code: String = r.try_get("code")?;
            if let Some(c) = codes.get(code.as_str()) {
                new_ids.insert(c, r.try_get("id")?);
            }
        }
    }
    let mut memberships: Vec<(i64, i64)> = Vec::with_capacity(new_households.len());
    for h in &new_households {
        let id = *new_ids.get(h.code.as_str()).ok_or_else(|| StoreError::Invalid(format!("no id for {}", h.code)))?;
        memberships.push((id, h.village_id));
        for (i, m) in h.members.iter().enumerate() {
            members_to_insert.push((id, m, i == h.representative));
        }
    }
    insert_memberships(tx, &memberships, today).await?;
    // Members in batches, representative flag included: nothing to read back.
    for chunk in members_to_insert.chunks(400) {
        let mut sql = String::from(
            "INSERT INTO people (household_id, full_name, birth_date, relation, is_head, is_representative, cccd_hash, cccd_last4, \
             created_at, updated_at) VALUES ",
        );
        let mut p = Params::for_tx(tx);
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&p.tuple(8, &format!(", {now}, {now}")));
        }
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (hid, m, is_rep) in chunk {
            q = q
                .bind(*hid)
                .bind(&m.full_name)
                .bind(&m.birth_date)
                .bind(&m.relation)
                .bind(m.is_head as i64)
                .bind(*is_rep as i64)
                .bind(&m.cccd_hash)
                .bind(&m.cccd_last4);
        }
        q.execute(&mut **tx).await?;
    }
    // Roll-ups for every touched village and its ancestors.
    for (village_id, d) in deltas {
        if let Some(v) = villages.get(&village_id) {
            units::bump_stats(tx, v, d).await?;
        }
    }
    Ok(counts)
}

/// How many member rows hold `needle` in any text column (a check used by
/// tests that personal identifiers are not stored in clear).
pub async fn count_people_with_text(store: &Store, needle: &str) -> Result<i64> {
    let p = format!("%{needle}%");
    let r = sqlx::query(
        "SELECT COUNT(*) AS n FROM people WHERE full_name LIKE $1 OR birth_date LIKE $1 OR relation LIKE $1 \
         OR COALESCE(cccd_hash, '') LIKE $1 OR COALESCE(cccd_last4, '') LIKE $1",
    )
    .bind(p)
    .fetch_one(store.reader())
    .await?;
    Ok(r.try_get("n")?)
}

/// Whether a household code is taken in a commune (current or closed: codes
/// are never reused).
pub async fn code_taken(store: &Store, commune_id: i64, code: &str) -> Result<bool> {
    let r = sqlx::query("SELECT 1 AS one FROM households WHERE commune_id = $1 AND code = $2")
        .bind(commune_id)
        .bind(code)
        .fetch_optional(store.reader())
        .await?;
    Ok(r.is_some())
}

/// Closes a household on `date` (moved away, merged, dissolved): it and its
/// current members stop counting from that day. Returns the number of
/// members closed, or NotFound if the household is not current.
pub async fn close(tx: &mut Tx, household_id: i64, date: &str) -> Result<i64> {
    let now = now_ms();
    let r = sqlx::query("UPDATE households SET valid_to = $1, updated_at = $2 WHERE id = $3 AND valid_to IS NULL")
        .bind(date)
        .bind(now)
        .bind(household_id)
        .execute(&mut **tx)
        .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    sqlx::query("UPDATE household_villages SET valid_to = $1 WHERE household_id = $2 AND valid_to IS NULL")
        .bind(date)
        .bind(household_id)
        .execute(&mut **tx)
        .await?;
    let m = sqlx::query("UPDATE people SET valid_to = $1, updated_at = $2 WHERE household_id = $3 AND valid_to IS NULL")
        .bind(date)
        .bind(now)
        .bind(household_id)
        .execute(&mut **tx)
        .await?;
    Ok(m.rows_affected() as i64)
}

/// [`code_taken`] inside a write transaction (the check that counts).
pub async fn code_taken_tx(tx: &mut Tx, commune_id: i64, code: &str) -> Result<bool> {
    let r = sqlx::query("SELECT 1 AS one FROM households WHERE commune_id = $1 AND code = $2")
        .bind(commune_id)
        .bind(code)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(r.is_some())
}

/// Which of `codes` belong to closed households of the commune (codes are
/// never reused, so a file may not bring them back).
pub async fn closed_codes(store: &Store, commune_id: i64, codes: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for chunk in codes.chunks(500) {
        let params = (2..chunk.len() + 2).map(|i| format!("${i}")).collect::<Vec<_>>().join(",");
        let sql = format!("SELECT code FROM households WHERE commune_id = $1 AND valid_to IS NOT NULL AND code IN ({params})");
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(commune_id);
        for c in chunk {
            q = q.bind(c);
        }
        for r in q.fetch_all(store.reader()).await? {
            out.push(r.try_get("code")?);
        }
    }
    Ok(out)
}

/// A current member found by citizen-ID hash and birth date, living in a
/// village under `path_prefix` (a unit's path): (person id, village id,
/// village name). Used to verify a resident taking part in a consultation
/// without an account (issue 4); nothing else about the person is returned.
pub async fn resident_by_cccd(store: &Store, cccd_hash: &str, birth_date: &str, path_prefix: &str) -> Result<Option<(i64, i64, String)>> {
    let row = sqlx::query(
        "SELECT p.id, h.village_id, v.name FROM people p JOIN households h ON h.id = p.household_id JOIN units v ON v.id = h.village_id \
         WHERE p.cccd_hash = $1 AND p.valid_to IS NULL AND h.valid_to IS NULL AND p.birth_date = $2 AND v.path LIKE $3",
    )
    .bind(cccd_hash)
    .bind(birth_date)
    .bind(format!("{path_prefix}%"))
    .fetch_optional(store.reader())
    .await?;
    row.map(|r| Ok((r.try_get("id")?, r.try_get("village_id")?, r.try_get("name")?))).transpose()
}
