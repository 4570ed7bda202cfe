//! Staff conferences of agencies and workers' conferences of state-owned
//! enterprises outside the pages (R7.1–R7.7): the yearly date within 3
//! months of the year's end, plenary or delegates, each convening with its
//! quorum of 2/3, decisions passing with more than half of those present,
//! the written ballot after a second convening without quorum (or force
//! majeure), and the six-monthly check of the resolution.
//!
//! The rules are `danchu_domain::conference`'s; the SQL is
//! `danchu_store::conferences`.

use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use chrono::NaiveDate;
use danchu_domain::conference::{self as rules, Mode, NextStep, Rules, Workplace};
use danchu_domain::units::UnitKind;
use danchu_domain::Msg;
use danchu_store::conferences::{self as cs, Conference, DecisionRow};
use danchu_store::units;

fn day(iso: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d").map_err(|e| AppError::internal(format!("stored date {iso}: {e}")))
}

fn conflict(vi: &str, en: &str) -> AppError {
    AppError::Conflict(Msg::new(vi, en))
}

/// Loads a conference or 404.
pub async fn load(ctx: &Ctx, id: i64) -> AppResult<Conference> {
    cs::get(&ctx.store, id).await?.ok_or(AppError::NotFound)
}

fn workplace(c: &Conference) -> Workplace {
    if c.workplace == "agency" {
        Workplace::Agency
    } else {
        Workplace::StateEnterprise
    }
}

/// What a yearly conference needs.
#[derive(Debug, Clone)]
pub struct NewConference {
    pub unit_id: i64,
    pub year_end: NaiveDate,
    pub held_on: NaiveDate,
    /// All staff (or workers).
    pub staff: u64,
    /// Delegates convened, when the conference is of delegates.
    pub delegates: Option<u64>,
    /// Staff dispersed or unable to leave their posts (R7.3).
    pub dispersed: bool,
    pub created_by: Option<i64>,
}

/// Plans the yearly conference of an agency, public service unit or
/// state-owned enterprise: held within 3 months of the year's end (R7.2,
/// R7.7); delegates only from 100 staff or when dispersed (R7.3).
pub async fn schedule(ctx: &Ctx, n: &NewConference) -> AppResult<i64> {
    let unit = units::get(&ctx.store, n.unit_id).await?;
    let w = match unit.kind {
        UnitKind::Agency | UnitKind::PublicServiceUnit => Workplace::Agency,
        UnitKind::StateEnterprise => Workplace::StateEnterprise,
        _ => {
            return Err(AppError::validation(
                "unit_id",
                Msg::new(
                    "Hội nghị cán bộ, công chức, viên chức hoặc hội nghị người lao động được tổ chức tại cơ quan, đơn vị, doanh nghiệp nhà nước.",
                    "Staff and workers' conferences are held in agencies, public service units and state-owned enterprises.",
                ),
            ))
        }
    };
    let r = Rules::default();
    r.check_annual_date(w, n.year_end, n.held_on).map_err(|m| AppError::validation("held_on", m))?;
    let mode = if n.delegates.is_some() { Mode::Delegates } else { Mode::Plenary };
    if !r.allowed_modes(n.staff, n.dispersed).contains(&mode) {
        return Err(AppError::validation(
            "mode",
            Msg::new(
                format!("Đơn vị có {} người, không phân tán: tổ chức hội nghị toàn thể (từ 100 người hoặc phân tán mới được tổ chức hội nghị đại biểu, R7.3).", n.staff),
                format!("{} staff, not dispersed: a plenary conference (delegates from 100 staff or when dispersed, R7.3).", n.staff),
            ),
        ));
    }
    let convened = n.delegates.unwrap_or(n.staff);
    if convened == 0 || convened > n.staff {
        return Err(AppError::validation("delegates", Msg::new("Số người được triệu tập không hợp lệ.", "Invalid number convened.")));
    }
    let mut tx = ctx.store.write().await?;
    let id = cs::create(
        &mut tx,
        &cs::NewConference {
            unit_id: unit.id,
            unit_path: &unit.path,
            workplace: if w == Workplace::Agency { "agency" } else { "state_enterprise" },
            year_end: &n.year_end.to_string(),
            held_on: &n.held_on.to_string(),
            mode: if mode == Mode::Plenary { "plenary" } else { "delegates" },
            convened: convened as i64,
            is_demo: false,
            created_by: n.created_by,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// What a convening brought.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Session {
    /// Held with quorum; each decision passed or not.
    Held(Vec<DecisionRow>),
    /// No quorum: what comes next (R7.4).
    NoQuorum(NextStep),
}

/// Records a convening of a planned conference (R7.4, R7.7): with at least
/// 2/3 present it is held and each decision (title, approvals) passes with
/// more than half of those present; without quorum the first failure is
/// reconvened, the second (or force majeure) leads to the written ballot.
/// `failed_before` is the number of failed convenings the form showed, so
/// a replayed submission changes nothing.
pub async fn record_session(
    ctx: &Ctx,
    id: i64,
    failed_before: i64,
    present: u64,
    items: &[(String, u64)],
    force_majeure: bool,
) -> AppResult<Session> {
    let c = load(ctx, id).await?;
    if c.status != cs::PLANNED {
        return Err(conflict("Hội nghị đã được ghi kết quả.", "The conference's result is recorded."));
    }
    let w = workplace(&c);
    let convened = c.convened as u64;
    if present > convened {
        return Err(AppError::validation(
            "present",
            rules::conference_outcome(w, convened, present, 0).expect_err("more present than convened"),
        ));
    }
    if !quorum(convened, present) {
        let next = rules::after_failed_convening((failed_before + 1) as u32, force_majeure);
        let mut tx = ctx.store.write().await?;
        if !cs::failed_convening(&mut tx, id, failed_before, next == NextStep::WrittenBallot).await? {
            return Err(conflict("Lần triệu tập này đã được ghi.", "This convening was already recorded."));
        }
        tx.commit().await?;
        return Ok(Session::NoQuorum(next));
    }
    if items.is_empty() {
        return Err(AppError::validation("items", Msg::new("Cần ít nhất một nội dung biểu quyết.", "At least one decision is needed.")));
    }
    let mut rows = Vec::new();
    for (title, agree) in items {
        let o = rules::conference_outcome(w, convened, present, *agree).map_err(|m| AppError::validation("agree", m))?;
        rows.push(DecisionRow {
            title: title.trim().to_string(),
            route: "conference".into(),
            base: present as i64,
            agree: *agree as i64,
            required: o.required as i64,
            passed: o.passed,
        });
    }
    let mut tx = ctx.store.write().await?;
    if !cs::record_decisions(&mut tx, id, cs::PLANNED, cs::HELD, Some(present as i64), &c.held_on, &rows).await? {
        return Err(conflict("Hội nghị đã được ghi kết quả.", "The conference's result is recorded."));
    }
    tx.commit().await?;
    Ok(Session::Held(rows))
}

fn quorum(convened: u64, present: u64) -> bool {
    danchu_domain::decision::Threshold::TWO_THIRDS.passes(present, convened)
}

/// Counts the written ballot sent to all staff once it is due (R7.4): each
/// decision passes with more than half of all staff (configurable, see
/// `Rules::written_ballot_on_all`).
pub async fn record_written_ballot(
    ctx: &Ctx,
    id: i64,
    staff: u64,
    returned: u64,
    items: &[(String, u64)],
    on: NaiveDate,
) -> AppResult<Vec<DecisionRow>> {
    let c = load(ctx, id).await?;
    if c.status != cs::BALLOT_DUE {
        return Err(conflict(
            "Chỉ lấy ý kiến bằng phiếu khi triệu tập lần thứ hai vẫn không đủ 2/3, hoặc do bất khả kháng (R7.4).",
            "The written ballot follows a second convening without quorum, or force majeure (R7.4).",
        ));
    }
    let r = Rules::default();
    let mut rows = Vec::new();
    for (title, agree) in items {
        let o = r.written_ballot(staff, returned, *agree).map_err(|m| AppError::validation("agree", m))?;
        rows.push(DecisionRow {
            title: title.trim().to_string(),
            route: "written_ballot".into(),
            base: o.base as i64,
            agree: *agree as i64,
            required: o.required as i64,
            passed: o.passed,
        });
    }
    let mut tx = ctx.store.write().await?;
    if !cs::record_decisions(&mut tx, id, cs::BALLOT_DUE, cs::BALLOT_COUNTED, None, &on.to_string(), &rows).await? {
        return Err(conflict("Kết quả phiếu đã được ghi.", "The ballot's result is recorded."));
    }
    tx.commit().await?;
    Ok(rows)
}

/// Records the six-monthly check of the resolution (R7.6).
pub async fn record_check(ctx: &Ctx, id: i64, on: NaiveDate, note: &str) -> AppResult<bool> {
    let c = load(ctx, id).await?;
    let Some(adopted) = c.adopted_on.as_deref() else {
        return Err(conflict("Hội nghị chưa có nghị quyết để kiểm tra.", "The conference has no resolution to check."));
    };
    if on < day(adopted)? {
        return Err(AppError::validation(
            "on",
            Msg::new("Ngày kiểm tra trước ngày thông qua nghị quyết.", "The check precedes the resolution."),
        ));
    }
    let mut tx = ctx.store.write().await?;
    let new = cs::record_check(&mut tx, id, &on.to_string(), note.trim()).await?;
    tx.commit().await?;
    Ok(new)
}

/// Whether the six-monthly check is overdue on `today` (R7.6).
pub async fn check_overdue(ctx: &Ctx, c: &Conference, today: NaiveDate) -> AppResult<bool> {
    let Some(adopted) = c.adopted_on.as_deref() else { return Ok(false) };
    let last = cs::last_check(&ctx.store, c.id).await?.as_deref().map(day).transpose()?;
    Ok(Rules::default().check_overdue(day(adopted)?, last, today))
}
