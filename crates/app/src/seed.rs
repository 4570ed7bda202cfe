//! Loading the real administrative units of Thanh Hóa, embedded in the
//! binary from data/units/ (provenance in data/units/README.md).
//!
//! The 2025 structure (province → 166 xã/phường) and the pre-2025 structure
//! (province → 26 districts → 547 units) are stored as two eras; a code is
//! only meaningful with its era, because the reform reused codes.

use danchu_domain::text;
use danchu_domain::units::{reform_date, short_name, Era, UnitKind};
use danchu_store::units::{self, NewUnit, Unit};
use danchu_store::{meta, Store};

pub const UNITS_2025: &str = include_str!("../../../data/units/thanh-hoa-units-2025.csv");
pub const UNITS_PRE2025: &str = include_str!("../../../data/units/thanh-hoa-units-pre2025.csv");

/// Meta key recording which version of the unit lists is loaded.
pub const UNITS_VERSION_KEY: &str = "units_seed_sha";
/// Meta key present when the demo dataset has been loaded.
pub const DEMO_FLAG: &str = "demo_loaded";

pub const PROVINCE_NAME: &str = "Tỉnh Thanh Hóa";

fn seed_sha() -> String {
    crate::web::cache::blake_like(format!("{UNITS_2025}\n{UNITS_PRE2025}").as_bytes())
}

/// What a load did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub skipped: bool,
    pub inserted: usize,
    pub updated: usize,
}

fn rows(csv_text: &str) -> Result<Vec<Vec<String>>, String> {
    let mut r = csv::ReaderBuilder::new().has_headers(true).from_reader(csv_text.as_bytes());
    r.records().map(|rec| rec.map(|r| r.iter().map(|s| text::nfc(s.trim())).collect()).map_err(|e| e.to_string())).collect()
}

/// Inserts or updates the official units; does nothing (one query) when the
/// embedded lists are already loaded.
pub async fn load_official_units(store: &Store) -> Result<SeedReport, String> {
    let sha = seed_sha();
    if meta::get(store, UNITS_VERSION_KEY).await.map_err(|e| e.to_string())?.as_deref() == Some(sha.as_str()) {
        return Ok(SeedReport { skipped: true, ..Default::default() });
    }
    let reform = reform_date().to_string();
    let mut report = SeedReport::default();
    let mut tx = store.write().await.map_err(|e| e.to_string())?;
    let e = |e: danchu_store::StoreError| e.to_string();

    #[allow(clippy::too_many_arguments)] // one call site per kind of row; a struct would only rename the list
    async fn upsert(
        tx: &mut danchu_store::Tx,
        report: &mut SeedReport,
        era: Era,
        code: &str,
        kind: UnitKind,
        name: &str,
        parent: Option<&Unit>,
        valid_from: Option<&str>,
        valid_to: Option<&str>,
    ) -> Result<Unit, String> {
        let short = short_name(name);
        let key = text::fold(name);
        match units::by_code_tx(tx, era, code).await.map_err(|e| e.to_string())? {
            Some(u) => {
                if units::update_official(tx, u.id, name, &short, &key, kind).await.map_err(|e| e.to_string())? {
                    report.updated += 1;
                }
                Ok(u)
            }
            None => {
                report.inserted += 1;
                units::insert(
                    tx,
                    &NewUnit { era, code, kind, name, short_name: &short, search_key: &key, parent, valid_from, valid_to, is_demo: false },
                )
                .await
                .map_err(|e| e.to_string())
            }
        }
    }

    // Current era: the province and its 166 commune-level units.
    let province = upsert(&mut tx, &mut report, Era::Current, "38", UnitKind::Province, PROVINCE_NAME, None, None, None).await?;
    for r in rows(UNITS_2025)? {
        let [code, name, typ, prov] = <[String; 4]>::try_from(r).map_err(|_| "thanh-hoa-units-2025.csv: expected 4 columns".to_string())?;
        if prov != "38" {
            return Err(format!("unit {code}: province {prov} is not 38"));
        }
        let kind = UnitKind::from_official_type(&typ).ok_or_else(|| format!("unit {code}: unknown type {typ}"))?;
        upsert(&mut tx, &mut report, Era::Current, &code, kind, &name, Some(&province), Some(&reform), None).await?;
    }
    // Pre-2025 era: the province, 26 districts and 547 units, ended on 1 July 2025.
    let old_province =
        upsert(&mut tx, &mut report, Era::Pre2025, "38", UnitKind::Province, PROVINCE_NAME, None, None, Some(&reform)).await?;
    let mut districts: Vec<Unit> = Vec::new();
    for r in rows(UNITS_PRE2025)? {
        let [code, name, typ, dcode, dname] =
            <[String; 5]>::try_from(r).map_err(|_| "thanh-hoa-units-pre2025.csv: expected 5 columns".to_string())?;
        let district = match districts.iter().find(|d| d.code == dcode) {
            Some(d) => d.clone(),
            None => {
                let d = upsert(
                    &mut tx,
                    &mut report,
                    Era::Pre2025,
                    &dcode,
                    UnitKind::District,
                    &dname,
                    Some(&old_province),
                    None,
                    Some(&reform),
                )
                .await?;
                districts.push(d.clone());
                d
            }
        };
        let kind = UnitKind::from_official_type(&typ).ok_or_else(|| format!("unit {code}: unknown type {typ}"))?;
        upsert(&mut tx, &mut report, Era::Pre2025, &code, kind, &name, Some(&district), None, Some(&reform)).await?;
    }
    meta::set(&mut tx, UNITS_VERSION_KEY, &sha).await.map_err(e)?;
    meta::bump_public_version(&mut tx).await.map_err(e)?;
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(report)
}
