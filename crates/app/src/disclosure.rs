//! Disclosures as the platform runs them: the unit's facts and the rules
//! from the configuration go into `danchu_domain::disclosure`, whose verdict
//! is stored with the item (and its roll-up) in the write transaction.
//! Handlers, jobs, the demo and the benchmark all publish through here.

use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use chrono::NaiveDate;
use danchu_domain::calendar::{Calendar, Period};
use danchu_domain::disclosure::{
    evaluate, obligations, Audience, Category, Channel, Evaluation, Record, Regime, ReqState, Rules, UnitFacts, Verdict,
};
use danchu_domain::units::Level;
use danchu_domain::{Lang, Msg};
use danchu_store::disclosures::{self, Detail, EvalFacts, NewAttachment, RecordRow, Settings};
use danchu_store::units::{self, Unit};
use danchu_store::{Store, Tx};

/// The rules in force: the Law's, with the configurable deadline (spec §12).
pub fn rules(ctx: &Ctx) -> Rules {
    let days = ctx.cfg.disclosure_deadline_working_days;
    Rules { commune_deadline: Period::WorkingDays(days), agency_deadline: Period::WorkingDays(days), ..Rules::default() }
}

/// The regime of a unit, or a 404 for units that do not disclose (villages).
pub fn regime_of(unit: &Unit) -> AppResult<Regime> {
    Regime::for_unit(unit.kind).ok_or(AppError::NotFound)
}

/// What a unit has when it has not said: a commune has a portal (this
/// platform is one) and a loudspeaker system (the usual case; a commune
/// without one unticks it, and then R1.8 does not apply); agencies and
/// enterprises are assumed to have no internal system.
pub fn default_settings(regime: Regime) -> Settings {
    match regime {
        Regime::Province | Regime::Commune => Settings { has_portal: true, has_loudspeaker: true, has_internal_system: false },
        _ => Settings { has_portal: false, has_loudspeaker: false, has_internal_system: false },
    }
}

fn facts_from(regime: Regime, s: Settings, villages: Vec<i64>) -> UnitFacts {
    UnitFacts {
        regime,
        has_portal: s.has_portal,
        has_loudspeaker: s.has_loudspeaker,
        has_internal_system: s.has_internal_system,
        villages: if regime == Regime::Commune { villages } else { Vec::new() },
    }
}

/// The villages of a commune in force (their ids), for R1.5 and R1.9.
pub async fn villages_of(store: &Store, unit: &Unit) -> AppResult<Vec<Unit>> {
    Ok(units::children(store, unit.id)
        .await?
        .into_iter()
        .map(|c| c.unit)
        .filter(|u| u.kind.level() == Level::Village && u.valid_to.is_none())
        .collect())
}

/// The facts of a unit (settings and villages).
pub async fn facts(store: &Store, unit: &Unit) -> AppResult<UnitFacts> {
    let regime = regime_of(unit)?;
    let s = disclosures::settings(store, unit.id).await?.unwrap_or_else(|| default_settings(regime));
    let villages = villages_of(store, unit).await?.iter().map(|v| v.id).collect();
    Ok(facts_from(regime, s, villages))
}

async fn facts_tx(tx: &mut Tx, unit: &Unit) -> AppResult<UnitFacts> {
    let regime = regime_of(unit)?;
    let s = disclosures::settings_tx(tx, unit.id).await?.unwrap_or_else(|| default_settings(regime));
    let villages = units::children_tx(tx, unit.id)
        .await?
        .into_iter()
        .filter(|u| u.kind.level() == Level::Village && u.valid_to.is_none())
        .map(|u| u.id)
        .collect();
    Ok(facts_from(regime, s, villages))
}

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn records_of(rows: &[RecordRow]) -> Vec<Record> {
    rows.iter()
        .filter_map(|r| {
            Some(Record {
                channel: Channel::parse(&r.channel)?,
                place: r.place_id,
                start: date(&r.start_on)?,
                end: r.end_on.as_deref().and_then(date),
                written_to_all: r.written_to_all,
            })
        })
        .collect()
}

/// The evaluation of an item's version on `today`.
#[allow(clippy::too_many_arguments)]
fn assess(
    rules: &Rules,
    cal: &Calendar,
    category: Category,
    facts: &UnitFacts,
    decision_date: NaiveDate,
    sector_deadline: Option<NaiveDate>,
    published_on: Option<NaiveDate>,
    superseded_on: Option<NaiveDate>,
    records: &[Record],
    today: NaiveDate,
) -> (Option<NaiveDate>, Evaluation) {
    let obl = obligations(rules, cal, category, facts, decision_date, sector_deadline);
    let ev = evaluate(&obl, records, published_on, superseded_on, today);
    (obl.deadline, ev)
}

fn stored(deadline: Option<NaiveDate>, ev: &Evaluation) -> disclosures::Verdict {
    disclosures::Verdict {
        deadline: deadline.map(|d| d.to_string()),
        verdict: ev.verdict.as_str().to_string(),
        next_review: ev.next_change.map(|d| d.to_string()),
    }
}

/// The verdict of a version about to be published (nothing recorded yet
/// but the publication on the portal itself).
#[allow(clippy::too_many_arguments)] // the facts of a version, each a separate input of the rule
pub async fn initial_verdict(
    ctx: &Ctx,
    tx: &mut Tx,
    unit: &Unit,
    category: Category,
    decision_date: NaiveDate,
    sector_deadline: Option<NaiveDate>,
    published_on: NaiveDate,
    today: NaiveDate,
) -> AppResult<disclosures::Verdict> {
    let cal = crate::calendar::load_tx(tx).await?;
    let f = facts_tx(tx, unit).await?;
    let (deadline, ev) = assess(&rules(ctx), &cal, category, &f, decision_date, sector_deadline, Some(published_on), None, &[], today);
    Ok(stored(deadline, &ev))
}

/// Evaluates an item again inside `tx` (after a record, or when its review
/// date comes) and stores the verdict and roll-up.
pub async fn reevaluate(ctx: &Ctx, tx: &mut Tx, id: i64, today: NaiveDate) -> AppResult<Option<Verdict>> {
    let cal = crate::calendar::load_tx(tx).await?;
    reevaluate_with(ctx, tx, &cal, id, today).await
}

/// [`reevaluate`] with the calendar already loaded (the daily sweep loads it
/// once for all the items it evaluates).
async fn reevaluate_with(ctx: &Ctx, tx: &mut Tx, cal: &Calendar, id: i64, today: NaiveDate) -> AppResult<Option<Verdict>> {
    let Some(f) = disclosures::eval_facts_tx(tx, id).await? else { return Ok(None) };
    let unit = units::get_tx(tx, f.unit_id).await?;
    let ev = evaluate_facts(ctx, tx, cal, &unit, &f, today).await?;
    disclosures::set_verdict(tx, &f, &stored(ev.0, &ev.1)).await?;
    Ok(Some(ev.1.verdict))
}

async fn evaluate_facts(
    ctx: &Ctx,
    tx: &mut Tx,
    cal: &Calendar,
    unit: &Unit,
    f: &EvalFacts,
    today: NaiveDate,
) -> AppResult<(Option<NaiveDate>, Evaluation)> {
    let facts = facts_tx(tx, unit).await?;
    let category = Category::parse(&f.category).ok_or_else(|| AppError::Internal(format!("category {}", f.category)))?;
    let rows = disclosures::records_tx(tx, f.id, f.version).await?;
    let decision = date(&f.decision_date).ok_or_else(|| AppError::Internal("decision date".into()))?;
    Ok(assess(
        &rules(ctx),
        cal,
        category,
        &facts,
        decision,
        f.sector_deadline.as_deref().and_then(date),
        date(&f.published_on),
        f.superseded_on.as_deref().and_then(date),
        &records_of(&rows),
        today,
    ))
}

/// Re-evaluates every item whose review date has come (the daily sweep:
/// pending items become overdue, postings reach their minimum). Each item
/// is its own short transaction. Returns how many were evaluated.
pub async fn review_due(ctx: &Ctx, today: NaiveDate) -> AppResult<usize> {
    let mut n = 0;
    loop {
        let ids = disclosures::due_for_review(&ctx.store, &today.to_string(), 500).await?;
        if ids.is_empty() {
            break;
        }
        let before = n;
        let cal = crate::calendar::load(&ctx.store).await?;
        for id in &ids {
            let mut tx = ctx.store.write().await?;
            reevaluate_with(ctx, &mut tx, &cal, *id, today).await?;
            tx.commit().await.map_err(danchu_store::StoreError::from)?;
            n += 1;
        }
        // An item whose next review is still today (nothing moves it) would
        // loop forever; the domain never returns a date <= today, but guard.
        if n == before || ids.len() < 500 {
            break;
        }
    }
    if n > 0 {
        crate::web::cache::local_change();
    }
    Ok(n)
}

/// An item's evaluation today, with village names, for its pages.
pub struct Assessment {
    pub verdict: String,
    pub deadline: Option<String>,
    pub evaluation: Evaluation,
    pub village_names: Vec<(i64, String)>,
}

impl Assessment {
    /// The requirement rows a page shows.
    pub fn rows(&self, lang: Lang) -> Vec<crate::web::pages::portal::ReqRow> {
        self.evaluation
            .requirements
            .iter()
            .map(|r| crate::web::pages::portal::ReqRow {
                rule: r.requirement.rule_id(),
                label: r.requirement.label().get(lang).to_string(),
                state: r.state.label().get(lang).to_string(),
                ok: matches!(r.state, ReqState::Done | ReqState::InProgress { late: false, .. }),
                missing: r
                    .missing_places
                    .iter()
                    .map(|id| self.village_names.iter().find(|(v, _)| v == id).map(|(_, n)| n.clone()).unwrap_or_else(|| id.to_string()))
                    .collect(),
            })
            .collect()
    }
}

/// Evaluates a loaded item's current version today (read-only).
pub async fn assess_detail(state: &crate::web::Shared, unit: &Unit, d: &Detail) -> AppResult<Assessment> {
    let ctx = &state.ctx;
    let cal = crate::calendar::load(&ctx.store).await?;
    let villages = villages_of(&ctx.store, unit).await?;
    let regime = regime_of(unit)?;
    let s = disclosures::settings(&ctx.store, unit.id).await?.unwrap_or_else(|| default_settings(regime));
    let facts = facts_from(regime, s, villages.iter().map(|v| v.id).collect());
    let v = d.current();
    let category = Category::parse(&d.item.category).ok_or_else(|| AppError::Internal(format!("category {}", d.item.category)))?;
    let rows: Vec<RecordRow> = d.records.iter().filter(|r| r.version == v.version).cloned().collect();
    let (deadline, ev) = assess(
        &rules(ctx),
        &cal,
        category,
        &facts,
        date(&v.decision_date).ok_or_else(|| AppError::Internal("decision date".into()))?,
        v.sector_deadline.as_deref().and_then(date),
        date(&v.published_on),
        v.superseded_on.as_deref().and_then(date),
        &records_of(&rows),
        crate::web::chrome::today_vn(),
    );
    Ok(Assessment {
        verdict: ev.verdict.as_str().to_string(),
        deadline: deadline.map(|d| d.to_string()),
        evaluation: ev,
        village_names: villages.into_iter().map(|v| (v.id, v.name)).collect(),
    })
}

/// A category's label for a stored code (the code itself if unknown).
pub fn category_label(code: &str, lang: Lang) -> String {
    Category::parse(code).map(|c| c.label().get(lang).to_string()).unwrap_or_else(|| code.to_string())
}

pub fn audience_label(code: &str, lang: Lang) -> String {
    Audience::parse(code).map(|a| a.label().get(lang).to_string()).unwrap_or_else(|| code.to_string())
}

pub fn verdict_label(code: &str, lang: Lang) -> String {
    Verdict::parse(code).map(|v| v.label().get(lang).to_string()).unwrap_or_else(|| code.to_string())
}

/// The categories a unit's list can be filtered by: its regime's, and for
/// the province also the communes' (its list covers every unit).
pub fn categories_for(unit: &Unit) -> Vec<(String, Msg)> {
    let Some(regime) = Regime::for_unit(unit.kind) else { return Vec::new() };
    let mut cats = Category::all_for(regime);
    if regime == Regime::Province {
        cats.extend(Category::all_for(Regime::Commune));
    }
    cats.into_iter().map(|c| (c.code(), c.label())).collect()
}

/// A category filter from the query string, if it is a real category.
pub fn category_for_filter(raw: &str) -> Option<String> {
    Category::parse(raw.trim()).map(|c| c.code())
}

/// A checked attachment ready to store: type by content, dangerous files
/// refused, text extracted for search. The work (unzipping, PDF parsing) is
/// bounded by `danchu_files::limits` and runs off the async threads.
pub async fn check_attachment(ctx: &Ctx, name: &str, data: &[u8]) -> Result<NewAttachment, Msg> {
    let max = ctx.cfg.max_attachment_bytes;
    let (name, data) = (name.to_string(), data.to_vec());
    tokio::task::spawn_blocking(move || {
        let checked = danchu_files::check(&data, &name, max).map_err(|r| r.message())?;
        let text = danchu_files::extract_text(checked.kind, &data, 200_000).unwrap_or_default();
        Ok(NewAttachment {
            sha256: checked.sha256_hex,
            kind: checked.kind.as_str().to_string(),
            name: checked.safe_name,
            content: data,
            text,
        })
    })
    .await
    .unwrap_or_else(|_| Err(Msg::new("Không kiểm tra được tệp.", "The file could not be checked.")))
}
