//! The demo dataset: clearly labelled (`is_demo`, and a banner on every page)
//! villages, households and accounts on top of the real units, so that a
//! fresh installation can be tried at once; and the province-scale dataset
//! of the benchmark (166 communes, ~4,500 villages, 1,000,000 households).

use crate::context::Ctx;
use crate::import::{sample_households_with, SampleHousehold, SampleSpec};
use crate::web::auth::hash_password_sync;
use danchu_domain::accounts::Role;
use danchu_domain::cccd::Cccd;
use danchu_domain::people::{choose_representative, MemberFacts};
use danchu_domain::text;
use danchu_domain::units::{self as du, Era, Level, UnitKind, UnitName};
use danchu_store::households::{NewHousehold, NewMember};
use danchu_store::units::{self, Unit, UnitStats};
use danchu_store::{accounts as acc, audit, meta};
use std::collections::{HashMap, HashSet};

/// The password of every demo account (printed in README.md).
pub const DEMO_PASSWORD: &str = "demo-danchu-2026";

/// Demo accounts: (username, full name, role, unit code; "" = province).
pub const DEMO_USERS: &[(&str, &str, Role, &str)] = &[
    ("quantri", "Quản trị hệ thống (mẫu)", Role::SystemAdmin, ""),
    ("tinh.giamsat", "Lê Thị Giám Sát (mẫu)", Role::ProvinceSupervisor, ""),
    ("hacthanh.canbo", "Nguyễn Văn Cán (mẫu)", Role::CommuneOfficial, "14797"),
    ("hacthanh.chutich", "Trần Thị Chủ (mẫu)", Role::CommuneChair, "14797"),
    ("hacthanh.mttq", "Phạm Văn Mặt (mẫu)", Role::CommuneFrontOfficer, "14797"),
    ("hacthanh.tdp1", "Hoàng Văn Tổ (mẫu)", Role::VillageHead, "14797.001"),
    ("muonglat.canbo", "Lò Văn Bản (mẫu)", Role::CommuneOfficial, "14845"),
    ("congdan", "Đỗ Thị Dân (mẫu)", Role::Citizen, "14797.002"),
];

/// Demo communes: (code, village names, households per village).
const SMALL: &[(&str, &[&str], usize)] = &[
    ("14797", &["Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 3", "Tổ dân phố Lam Sơn", "Tổ dân phố Điện Biên", "Tổ dân phố Hàm Rồng"], 40),
    ("14845", &["Bản Ón", "Bản Đoàn Kết", "Bản Mường Lát", "Bản Pù Toong", "Bản Lát"], 30),
    ("14758", &["Tổ dân phố Nam Ngạn", "Tổ dân phố Đông Thọ", "Tổ dân phố Hàm Rồng 2", "Tổ dân phố Trường Thi"], 35),
];

fn to_new(h: &SampleHousehold, village_id: i64, key: &[u8], today: chrono::NaiveDate, seen: &mut HashSet<String>) -> NewHousehold {
    let members: Vec<NewMember> = h
        .members
        .iter()
        .map(|m| {
            let (hash, last4) = match m.cccd.as_deref().and_then(|c| Cccd::parse(c).ok()) {
                Some(c) => {
                    let hsh = c.keyed_hash(key);
                    if seen.insert(hsh.clone()) {
                        (Some(hsh), Some(c.last4()))
                    } else {
                        (None, None)
                    }
                }
                None => (None, None),
            };
            NewMember {
                full_name: m.full_name.clone(),
                birth_date: m.birth_date.to_string(),
                relation: m.relation.clone(),
                is_head: text::fold(&m.relation) == "chu ho",
                cccd_hash: hash,
                cccd_last4: last4,
            }
        })
        .collect();
    let facts: Vec<MemberFacts> = h
        .members
        .iter()
        .map(|m| MemberFacts { birth: m.birth_date, is_head: text::fold(&m.relation) == "chu ho", marked_representative: m.representative })
        .collect();
    let representative = choose_representative(&facts, today).unwrap_or(0);
    NewHousehold { code: h.code.clone(), village_id, address: h.address.clone(), members, representative }
}

/// Creates villages named `names` in `commune` (skipping existing ones), in
/// `tx`; returns all villages of the commune by name.
async fn ensure_villages(
    tx: &mut danchu_store::Tx,
    commune: &Unit,
    names: &[String],
    is_demo: bool,
    today: &str,
) -> Result<Vec<Unit>, String> {
    let kind = commune.kind.village_kind().ok_or("not a commune")?;
    let mut out = Vec::new();
    let existing = units::children_tx(tx, commune.id).await.map_err(|e| e.to_string())?;
    let mut seq = units::next_village_seq(tx, commune).await.map_err(|e| e.to_string())?;
    for n in names {
        let name = UnitName::parse(n).map_err(|m| m.vi)?;
        let full = du::village_full_name(kind, &name);
        if let Some(u) = existing.iter().find(|u| text::fold(&u.name) == text::fold(&full)) {
            out.push(u.clone());
            continue;
        }
        let code = du::village_code(&commune.code, seq);
        let v = units::insert(
            tx,
            &units::NewUnit {
                era: Era::Current,
                code: &code,
                kind,
                name: &full,
                short_name: &du::short_name(&full),
                search_key: &text::fold(&full),
                parent: Some(commune),
                valid_from: Some(today),
                valid_to: None,
                is_demo,
            },
        )
        .await
        .map_err(|e| e.to_string())?;
        units::bump_stats(tx, &v, UnitStats { villages: 1, households: 0, people: 0 }).await.map_err(|e| e.to_string())?;
        out.push(v);
        seq += 1;
    }
    Ok(out)
}

/// Loads the small demo dataset (about 800 households in 3 communes and 8
/// accounts) unless demo data or any account already exists. One
/// transaction.
pub async fn load_small(ctx: &Ctx) -> Result<bool, String> {
    let store = &ctx.store;
    if meta::get(store, crate::seed::DEMO_FLAG).await.map_err(|e| e.to_string())?.is_some()
        || acc::count_users(store).await.map_err(|e| e.to_string())? > 0
    {
        return Ok(false);
    }
    let today = crate::web::chrome::today_vn();
    let today_s = today.to_string();
    let key = ctx.keys.cccd();
    let hash = hash_password_sync(DEMO_PASSWORD).map_err(|e| e.to_string())?;
    let mut seen = HashSet::new();
    let mut tx = store.write().await.map_err(|e| e.to_string())?;
    for (i, (code, villages, per_village)) in SMALL.iter().enumerate() {
        let commune =
            units::by_code_tx(&mut tx, Era::Current, code).await.map_err(|e| e.to_string())?.ok_or(format!("unit {code} missing"))?;
        let names: Vec<String> = villages.iter().map(|s| s.to_string()).collect();
        let vs = ensure_villages(&mut tx, &commune, &names, true, &today_s).await?;
        let by_name: HashMap<String, &Unit> = vs.iter().map(|v| (v.name.clone(), v)).collect();
        let full_names: Vec<String> = vs.iter().map(|v| v.name.clone()).collect();
        let sample = sample_households_with(&SampleSpec {
            village_names: &full_names,
            households: per_village * villages.len(),
            seed: 2026 + i as u64,
            on: today,
            code_prefix: "HK",
            first_number: 1,
            cccd_serial_base: (i as u32) * 20_000,
        });
        let plan: Vec<NewHousehold> =
            sample.iter().map(|h| to_new(h, by_name.get(&h.village).map(|v| v.id).unwrap_or(vs[0].id), &key, today, &mut seen)).collect();
        let vmap: HashMap<i64, Unit> = vs.iter().map(|v| (v.id, v.clone())).collect();
        danchu_store::households::apply_import(&mut tx, &commune, &vmap, &plan, &today_s, true).await.map_err(|e| e.to_string())?;
        if *code == "14797" {
            let org = units::insert(
                &mut tx,
                &units::NewUnit {
                    era: Era::Current,
                    code: "14797.T01",
                    kind: UnitKind::PublicServiceUnit,
                    name: "Trường Tiểu học Hạc Thành (mẫu)",
                    short_name: "Trường Tiểu học Hạc Thành (mẫu)",
                    search_key: &text::fold("Trường Tiểu học Hạc Thành"),
                    parent: Some(&commune),
                    valid_from: Some(&today_s),
                    valid_to: None,
                    is_demo: true,
                },
            )
            .await
            .map_err(|e| e.to_string())?;
            let _ = org;
            units::set_contacts(
                &mut tx,
                commune.id,
                Some("Số 1 (mẫu), Phường Hạc Thành"),
                Some("0237 3000 000"),
                Some("hacthanh@example.vn"),
                None,
            )
            .await
            .map_err(|e| e.to_string())?;
        }
    }
    let province =
        units::by_code_tx(&mut tx, Era::Current, crate::web::PROVINCE_CODE).await.map_err(|e| e.to_string())?.ok_or("province missing")?;
    for (username, full_name, role, unit_code) in DEMO_USERS {
        let unit = if unit_code.is_empty() {
            province.clone()
        } else {
            units::by_code_tx(&mut tx, Era::Current, unit_code)
                .await
                .map_err(|e| e.to_string())?
                .ok_or(format!("unit {unit_code} missing"))?
        };
        let id = acc::insert_user(
            &mut tx,
            &acc::NewUser { username, full_name, email: None, password_hash: &hash, must_change_password: false, is_demo: true },
        )
        .await
        .map_err(|e| e.to_string())?;
        acc::grant(&mut tx, id, *role, unit.id, None).await.map_err(|e| e.to_string())?;
    }
    audit::append(&mut tx, &audit::Entry::on_unit(None, "system", &province, "demo.loaded", "demo", "small demo dataset"))
        .await
        .map_err(|e| e.to_string())?;
    meta::set(&mut tx, crate::seed::DEMO_FLAG, "small").await.map_err(|e| e.to_string())?;
    meta::bump_public_version(&mut tx).await.map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(true)
}

/// Loads a province-scale dataset: every commune gets villages (15–40,
/// deterministic) and `total_households` spread over them. One transaction
/// per commune, so progress is kept if interrupted (re-running skips
/// communes that already have households).
pub async fn load_province(
    ctx: &Ctx,
    total_households: usize,
    seed: u64,
    progress: &dyn Fn(usize, usize),
) -> Result<(usize, usize), String> {
    let store = &ctx.store;
    let province =
        units::by_code(store, Era::Current, crate::web::PROVINCE_CODE).await.map_err(|e| e.to_string())?.ok_or("province missing")?;
    let communes: Vec<Unit> = units::children(store, province.id)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter(|c| c.unit.kind.level() == Level::Commune)
        .map(|c| c.unit)
        .collect();
    let today = crate::web::chrome::today_vn();
    let today_s = today.to_string();
    let key = ctx.keys.cccd();
    let mut rng = fastrand::Rng::with_seed(seed);
    let village_counts: Vec<usize> = communes.iter().map(|_| rng.usize(15..=40)).collect();
    let total_villages: usize = village_counts.iter().sum();
    let mut seen = HashSet::new();
    let (mut done_villages, mut done_households) = (0usize, 0usize);
    let mut villages_before = 0usize;
    for (i, commune) in communes.iter().enumerate() {
        let nv = village_counts[i];
        // Proportional to the village count, exact in total.
        let share = |v: usize| total_households * v / total_villages.max(1);
        let households = share(villages_before + nv) - share(villages_before);
        villages_before += nv;
        let stats = units::get_with_stats(store, commune.id).await.map_err(|e| e.to_string())?;
        if stats.stats.households > 0 {
            done_villages += nv;
            done_households += stats.stats.households as usize;
            progress(i + 1, communes.len());
            continue;
        }
        let kind = commune.kind.village_kind().unwrap_or(UnitKind::Thon);
        let names: Vec<String> =
            (1..=nv).map(|n| if kind == UnitKind::ToDanPho { format!("Tổ dân phố {n}") } else { format!("Thôn {n}") }).collect();
        let mut tx = store.write().await.map_err(|e| e.to_string())?;
        let vs = ensure_villages(&mut tx, commune, &names, true, &today_s).await?;
        let full_names: Vec<String> = vs.iter().map(|v| v.name.clone()).collect();
        let by_name: HashMap<String, i64> = vs.iter().map(|v| (v.name.clone(), v.id)).collect();
        let sample = sample_households_with(&SampleSpec {
            village_names: &full_names,
            households,
            seed: seed.wrapping_add(i as u64 * 7919),
            on: today,
            code_prefix: "HK",
            first_number: 1,
            cccd_serial_base: (i as u32 % 160) * 6_000,
        });
        let plan: Vec<NewHousehold> =
            sample.iter().map(|h| to_new(h, by_name.get(&h.village).copied().unwrap_or(vs[0].id), &key, today, &mut seen)).collect();
        let vmap: HashMap<i64, Unit> = vs.iter().map(|v| (v.id, v.clone())).collect();
        let counts =
            danchu_store::households::apply_import(&mut tx, commune, &vmap, &plan, &today_s, true).await.map_err(|e| e.to_string())?;
        let summary = serde_json::json!({"villages": nv, "households_added": counts.households_added, "people_added": counts.people_added})
            .to_string();
        audit::append(&mut tx, &audit::Entry::on_unit(None, "system", commune, "demo.loaded", &format!("unit:{}", commune.id), &summary))
            .await
            .map_err(|e| e.to_string())?;
        meta::set(&mut tx, crate::seed::DEMO_FLAG, "province").await.map_err(|e| e.to_string())?;
        meta::bump_public_version(&mut tx).await.map_err(|e| e.to_string())?;
        tx.commit().await.map_err(|e| e.to_string())?;
        done_villages += nv;
        done_households += households;
        progress(i + 1, communes.len());
    }
    Ok((done_villages, done_households))
}

/// Creates villages named `names` in the commune `code` (one transaction);
/// returns their full names. Used by the benchmark and tools.
pub async fn create_villages(ctx: &Ctx, code: &str, names: &[String]) -> Result<Vec<String>, String> {
    let mut tx = ctx.store.write().await.map_err(|e| e.to_string())?;
    let commune = units::by_code_tx(&mut tx, Era::Current, code).await.map_err(|e| e.to_string())?.ok_or(format!("unit {code} missing"))?;
    let vs = ensure_villages(&mut tx, &commune, names, false, &crate::web::chrome::today_vn().to_string()).await?;
    let summary = serde_json::json!({"villages": vs.iter().map(|v| &v.name).collect::<Vec<_>>()}).to_string();
    audit::append(
        &mut tx,
        &audit::Entry::on_unit(None, "cli", &commune, "unit.villages_ensured", &format!("unit:{}", commune.id), &summary),
    )
    .await
    .map_err(|e| e.to_string())?;
    meta::bump_public_version(&mut tx).await.map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(vs.into_iter().map(|v| v.name).collect())
}
