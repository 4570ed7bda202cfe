//! Village conventions (hương ước, quy ước) outside the pages, R6.1–R6.16:
//! proposal, drafting team, the draft's consultation of at least 30 days
//! (a consultation of issue 4), adoption by more than half of ALL
//! households with the meeting quorum or the ballot route, the recognition
//! dossier and the commune's answer with their clocks, suspension,
//! annulment, amendment replacing the old text, dissemination, and the
//! yearly review on 18 November. Every step is one transaction that moves
//! the state only from the state it expects and keeps the event.

use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use chrono::{Datelike, NaiveDate};
use danchu_domain::consultation;
use danchu_domain::convention::{
    self as rules, AnnulmentGround, Dissemination, Dossier, DraftingTeam, Extent, Proposal, Route, Rules, State, Suspension,
    SuspensionGround,
};
use danchu_domain::decision::{Attendance, ClockState, Counts, HouseholdBase, Tally, VillageId};
use danchu_domain::units::Level;
use danchu_domain::Msg;
use danchu_store::conventions::{self as cs, Convention, Val};
use danchu_store::{consultations, households, units};

fn day(iso: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d").map_err(|e| AppError::internal(format!("stored date {iso}: {e}")))
}

/// Loads a convention or 404.
pub async fn load(ctx: &Ctx, id: i64) -> AppResult<Convention> {
    cs::get(&ctx.store, id).await?.ok_or(AppError::NotFound)
}

fn state_of(c: &Convention) -> AppResult<State> {
    State::parse(&c.state).ok_or_else(|| AppError::internal(format!("stored state {}", c.state)))
}

/// Moves `c` to `to` (refused with the reason when the life cycle does not
/// allow it), setting `set`, in one transaction.
async fn move_to(ctx: &Ctx, c: &Convention, to: State, on: NaiveDate, note: &str, set: &[(&str, Val<'_>)]) -> AppResult<()> {
    let from = state_of(c)?;
    from.become_(to).map_err(AppError::Conflict)?;
    let mut tx = ctx.store.write().await?;
    let on = on.to_string();
    let m = cs::Move { from: from.as_str(), to: to.as_str(), on: &on, note, by: None };
    if !cs::transition(&mut tx, c.id, &m, set).await? {
        return Err(AppError::Conflict(Msg::new(
            "Hương ước, quy ước vừa được cập nhật; vui lòng tải lại trang.",
            "The convention just changed; reload.",
        )));
    }
    tx.commit().await?;
    Ok(())
}

/// Records a proposal (R6.3) for a village, or of an amendment of a
/// recognised text (R6.10).
pub async fn propose(
    ctx: &Ctx,
    village_id: i64,
    title: &str,
    kind: &str,
    p: &Proposal,
    on: NaiveDate,
    amends: Option<i64>,
) -> AppResult<i64> {
    rules::check_proposal(p).map_err(|m| AppError::validation("proposal", m))?;
    if title.trim().is_empty() || !matches!(kind, "huong_uoc" | "quy_uoc") {
        return Err(AppError::validation("title", Msg::new("Cần tên và loại (hương ước hoặc quy ước).", "A title and a kind are needed.")));
    }
    let village = units::get(&ctx.store, village_id).await?;
    if village.kind.level() != Level::Village {
        return Err(AppError::validation(
            "village_id",
            Msg::new("Hương ước, quy ước là của thôn, tổ dân phố.", "A convention belongs to a village."),
        ));
    }
    let commune = units::get(&ctx.store, village.parent_id.ok_or(AppError::NotFound)?).await?;
    if let Some(a) = amends {
        let old = load(ctx, a).await?;
        if old.village_id != village_id || !matches!(state_of(&old)?, State::Recognised | State::Suspended) {
            return Err(AppError::Conflict(Msg::new(
                "Chỉ sửa đổi, thay thế hương ước, quy ước đang có hiệu lực của chính thôn (R6.10).",
                "Only a village's own text in force is amended or replaced (R6.10).",
            )));
        }
    }
    let by = match p {
        Proposal::VillageHead { .. } => "village_head",
        Proposal::Citizens(_) => "citizens",
    };
    let mut tx = ctx.store.write().await?;
    let id = cs::create(
        &mut tx,
        &cs::NewConvention {
            unit_id: commune.id,
            unit_path: &commune.path,
            village_id,
            title: title.trim(),
            kind,
            amends_id: amends,
            proposed_by: by,
            proposed_on: &on.to_string(),
            is_demo: false,
            created_by: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Sets up the drafting team (R6.4): in an ethnic-minority area it includes
/// a village elder and a speaker of the ethnic language.
pub async fn set_drafting_team(ctx: &Ctx, id: i64, team: DraftingTeam, ethnic_minority_area: bool, on: NaiveDate) -> AppResult<()> {
    rules::check_drafting_team(&team, ethnic_minority_area).map_err(|m| AppError::validation("team", m))?;
    let c = load(ctx, id).await?;
    move_to(
        ctx,
        &c,
        State::Drafting,
        on,
        "Thành lập Tổ soạn thảo (R6.4)",
        &[
            ("team_members", Val::Int(team.members as i64)),
            ("team_elder", Val::Int(team.has_village_elder as i64)),
            ("team_ethnic", Val::Int(team.has_ethnic_language_speaker as i64)),
        ],
    )
    .await
}

/// Puts the draft to comments through a consultation of the same village
/// (or its commune) open at least 30 days (R6.5).
pub async fn open_consultation(ctx: &Ctx, id: i64, consultation_id: i64, on: NaiveDate) -> AppResult<()> {
    let c = load(ctx, id).await?;
    let k = consultations::get(&ctx.store, consultation_id).await?.ok_or(AppError::NotFound)?;
    if k.unit_id != c.unit_id && k.village_id != Some(c.village_id) {
        return Err(AppError::validation(
            "consultation_id",
            Msg::new("Cuộc lấy ý kiến không thuộc xã của thôn.", "The consultation is not of this commune."),
        ));
    }
    rules::check_consultation_period(&consultation::Rules::default(), day(&k.opens_on)?, day(&k.closes_on)?)
        .map_err(|m| AppError::validation("consultation_id", m))?;
    move_to(ctx, &c, State::Consulting, on, "Niêm yết, lấy ý kiến dự thảo (R6.5)", &[("consultation_id", Val::Int(consultation_id))]).await
}

/// Moves a text from comments back to drafting, or from comments (or a
/// failed vote) to the households' vote.
pub async fn advance(ctx: &Ctx, id: i64, to: State, on: NaiveDate, note: &str) -> AppResult<()> {
    if !matches!(to, State::Drafting | State::Voting) {
        return Err(AppError::internal("advance: only drafting or voting"));
    }
    let c = load(ctx, id).await?;
    if to == State::Voting && c.consultation_id.is_none() {
        return Err(AppError::Conflict(Msg::new(
            "Dự thảo phải được lấy ý kiến ít nhất 30 ngày trước khi biểu quyết (R6.5).",
            "The draft is consulted on for at least 30 days before the vote (R6.5).",
        )));
    }
    move_to(ctx, &c, to, on, note, &[]).await
}

/// How the households voted.
#[derive(Debug, Clone, Copy)]
pub enum Vote {
    /// At a meeting with this many households present.
    Meeting { present: u64 },
    /// By household ballot after a meeting without quorum.
    Ballot { meeting_failed_quorum: bool },
}

/// Records the households' vote on `on` (R6.6): adopted with more than half
/// of ALL households of the village on that day. A meeting without quorum
/// (more than half of the households present) cannot vote: refused, the
/// text stays in the vote and the ballot route opens.
pub async fn record_adoption(ctx: &Ctx, id: i64, vote: Vote, counts: Counts, on: NaiveDate) -> AppResult<bool> {
    let c = load(ctx, id).await?;
    let n = households::count_at(&ctx.store, c.village_id, &on.to_string()).await?;
    let base = HouseholdBase::new(VillageId(c.village_id), on, n.max(0) as u64).map_err(AppError::Conflict)?;
    let tally = Tally::new(&base, VillageId(c.village_id), on, counts).map_err(|m| AppError::validation("counts", m))?;
    let (route, present) = match vote {
        Vote::Meeting { present } => {
            (Route::Meeting(Attendance::from_count(&base, present).map_err(|m| AppError::validation("present", m))?), Some(present))
        }
        Vote::Ballot { meeting_failed_quorum } => (Route::Ballot { meeting_failed_quorum }, None),
    };
    let a = rules::adoption(&tally, route).map_err(|m| AppError::validation("route", m))?;
    let to = if a.adopted { State::Adopted } else { State::NotAdopted };
    let iso = on.to_string();
    let mut set = vec![
        ("route", Val::Text(if present.is_some() { "meeting" } else { "ballot" })),
        ("households", Val::Int(n)),
        ("agree", Val::Int(counts.agree as i64)),
        ("disagree", Val::Int(counts.disagree as i64)),
        ("other", Val::Int(counts.other as i64)),
        ("invalid", Val::Int(counts.invalid as i64)),
        ("required", Val::Int(a.outcome.required as i64)),
        ("adopted_on", Val::Text(&iso)),
    ];
    if let Some(p) = present {
        set.push(("present", Val::Int(p as i64)));
    }
    let note = if a.adopted { "Thông qua (R6.6)" } else { "Không được thông qua (R6.6)" };
    move_to(ctx, &c, to, on, note, &set).await?;
    Ok(a.adopted)
}

/// Records the complete recognition dossier received by the commune on
/// `on` (R6.7), which starts the 5-working-day recognition clock.
pub async fn dossier_received(ctx: &Ctx, id: i64, d: Dossier, on: NaiveDate) -> AppResult<()> {
    d.check_complete().map_err(|m| AppError::validation("dossier", m))?;
    let c = load(ctx, id).await?;
    if state_of(&c)? != State::Adopted {
        return Err(AppError::Conflict(Msg::new(
            "Chỉ gửi hồ sơ khi hương ước, quy ước đã được thông qua (R6.7).",
            "The dossier follows adoption (R6.7).",
        )));
    }
    let mut tx = ctx.store.write().await?;
    cs::update(&mut tx, id, State::Adopted.as_str(), &[("dossier_complete_on", Val::Text(&on.to_string()))]).await?;
    tx.commit().await?;
    Ok(())
}

/// The clocks of R6.7 on `today`: the dossier (5 working days from
/// adoption) and the recognition (5 working days from the complete dossier).
pub async fn clocks(ctx: &Ctx, c: &Convention, today: NaiveDate) -> AppResult<(Option<ClockState>, Option<ClockState>)> {
    let cal = crate::calendar::load(&ctx.store).await?;
    let r = Rules::default();
    let dossier_on = c.dossier_complete_on.as_deref().map(day).transpose()?;
    let answered = c.answered_on.as_deref().map(day).transpose()?;
    let dossier = match c.adopted_on.as_deref() {
        Some(a) if c.state != State::NotAdopted.as_str() => Some(r.dossier_clock(day(a)?).state(&cal, today, dossier_on)),
        _ => None,
    };
    let recognition = dossier_on.map(|d| r.recognition_clock(d).state(&cal, today, answered));
    Ok((dossier, recognition))
}

/// The commune's answer to a complete dossier (R6.7): recognised (in force
/// that day; an amendment replaces the text it amends, R6.10) or refused in
/// writing with reasons (back to drafting later).
pub async fn answer(ctx: &Ctx, id: i64, recognised: bool, reasons: &str, on: NaiveDate) -> AppResult<()> {
    let c = load(ctx, id).await?;
    if c.dossier_complete_on.is_none() {
        return Err(AppError::Conflict(Msg::new(
            "UBND xã công nhận khi đã nhận đủ hồ sơ (R6.7).",
            "The commune answers once the dossier is complete (R6.7).",
        )));
    }
    let iso = on.to_string();
    if recognised {
        let from = state_of(&c)?;
        from.become_(State::Recognised).map_err(AppError::Conflict)?;
        let mut tx = ctx.store.write().await?;
        let m = cs::Move { from: from.as_str(), to: State::Recognised.as_str(), on: &iso, note: "UBND xã công nhận (R6.7)", by: None };
        if !cs::transition(&mut tx, id, &m, &[("answered_on", Val::Text(&iso))]).await? {
            return Err(AppError::Conflict(Msg::new("Đã có trả lời của UBND xã.", "The commune has already answered.")));
        }
        if let Some(old) = c.amends_id {
            let prev = cs::get(&ctx.store, old).await?.ok_or(AppError::NotFound)?;
            let pstate = state_of(&prev)?;
            pstate.become_(State::Replaced).map_err(AppError::Conflict)?;
            let note = format!("Được thay thế bởi văn bản số {id} (R6.10)");
            let m = cs::Move { from: pstate.as_str(), to: State::Replaced.as_str(), on: &iso, note: &note, by: None };
            cs::transition(&mut tx, old, &m, &[]).await?;
        }
        tx.commit().await?;
        Ok(())
    } else {
        if danchu_domain::text::clean_text(reasons).chars().count() < 15 {
            return Err(AppError::validation(
                "reasons",
                Msg::new("Văn bản không công nhận phải nêu rõ lý do (R6.7).", "A refusal states its reasons (R6.7)."),
            ));
        }
        move_to(
            ctx,
            &c,
            State::Refused,
            on,
            "UBND xã không công nhận (R6.7)",
            &[("answered_on", Val::Text(&iso)), ("answer_reasons", Val::Text(reasons.trim()))],
        )
        .await
    }
}

/// Suspends a text in force (R6.9), in full for a procedural defect, in
/// part for contrary or harmful content, with reasons and a deadline.
pub async fn suspend(ctx: &Ctx, id: i64, s: &Suspension) -> AppResult<()> {
    s.validate().map_err(|m| AppError::validation("suspension", m))?;
    let c = load(ctx, id).await?;
    let (ground, extent) = (ground_str(s.ground), extent_str(s.extent));
    let (signed, by) = (s.signed_on.to_string(), s.redo_by.to_string());
    move_to(
        ctx,
        &c,
        State::Suspended,
        s.signed_on,
        "Tạm ngừng thực hiện (R6.9)",
        &[
            ("suspension_ground", Val::Text(ground)),
            ("suspension_extent", Val::Text(extent)),
            ("suspension_signed_on", Val::Text(&signed)),
            ("suspension_redo_by", Val::Text(&by)),
            ("suspension_reasons", Val::Text(s.reasons.trim())),
        ],
    )
    .await
}

fn ground_str(g: SuspensionGround) -> &'static str {
    match g {
        SuspensionGround::ProcedureNotFollowed => "procedure_not_followed",
        SuspensionGround::ContraryContent => "contrary_content",
        SuspensionGround::HarmfulContent => "harmful_content",
    }
}

fn extent_str(e: Extent) -> &'static str {
    match e {
        Extent::Full => "full",
        Extent::Partial => "partial",
    }
}

fn stored_suspension(c: &Convention) -> AppResult<Option<Suspension>> {
    let (Some(g), Some(e), Some(signed), Some(by)) = (
        c.suspension_ground.as_deref(),
        c.suspension_extent.as_deref(),
        c.suspension_signed_on.as_deref(),
        c.suspension_redo_by.as_deref(),
    ) else {
        return Ok(None);
    };
    let ground = match g {
        "procedure_not_followed" => SuspensionGround::ProcedureNotFollowed,
        "contrary_content" => SuspensionGround::ContraryContent,
        _ => SuspensionGround::HarmfulContent,
    };
    let extent = if e == "full" { Extent::Full } else { Extent::Partial };
    Ok(Some(Suspension {
        ground,
        extent,
        signed_on: day(signed)?,
        reasons: c.suspension_reasons.clone().unwrap_or_default(),
        redo_by: day(by)?,
    }))
}

/// Annuls a text on `on` (R6.11): the extent follows the ground, and an
/// unremedied suspension grounds it only once its deadline has passed.
pub async fn annul(ctx: &Ctx, id: i64, ground: AnnulmentGround, extent: Extent, on: NaiveDate) -> AppResult<()> {
    let c = load(ctx, id).await?;
    rules::check_annulment(ground, extent, stored_suspension(&c)?.as_ref(), on).map_err(|m| AppError::validation("ground", m))?;
    let iso = on.to_string();
    let g = format!("{ground:?}");
    move_to(ctx, &c, State::Annulled, on, "Bãi bỏ (R6.11)", &[("annulment_ground", Val::Text(&g)), ("annulled_on", Val::Text(&iso))]).await
}

/// Records how a text in force was made known (R6.12): posted, and at
/// least one other way.
pub async fn disseminate(ctx: &Ctx, id: i64, posted: bool, others: &[Dissemination]) -> AppResult<()> {
    rules::check_dissemination(posted, others).map_err(|m| AppError::validation("dissemination", m))?;
    let list = others.iter().map(|d| format!("{d:?}")).collect::<Vec<_>>().join(",");
    let mut tx = ctx.store.write().await?;
    if !cs::update(&mut tx, id, State::Recognised.as_str(), &[("posted", Val::Int(posted as i64)), ("disseminated", Val::Text(&list))])
        .await?
    {
        return Err(AppError::Conflict(Msg::new(
            "Chỉ phổ biến hương ước, quy ước đang có hiệu lực (R6.12).",
            "Only a text in force is disseminated (R6.12).",
        )));
    }
    tx.commit().await?;
    Ok(())
}

/// Records the community's review of `year` (R6.13), once.
pub async fn record_review(ctx: &Ctx, id: i64, on: NaiveDate, note: &str) -> AppResult<bool> {
    let c = load(ctx, id).await?;
    if !matches!(state_of(&c)?, State::Recognised | State::Suspended) {
        return Err(AppError::Conflict(Msg::new(
            "Chỉ rà soát hương ước, quy ước đang có hiệu lực (R6.13).",
            "Only a text in force is reviewed (R6.13).",
        )));
    }
    let mut tx = ctx.store.write().await?;
    let new = cs::record_review(&mut tx, id, on.year() as i64, &on.to_string(), note.trim()).await?;
    tx.commit().await?;
    Ok(new)
}

/// The commune's texts in force whose review of `year` is overdue on
/// `today` (R6.13: 18 November unless the community agreed another day);
/// two queries.
pub async fn reviews_overdue(ctx: &Ctx, commune_id: i64, year: i32, today: NaiveDate) -> AppResult<Vec<Convention>> {
    let r = Rules::default();
    let reviewed = cs::reviews_of_year(&ctx.store, commune_id, year as i64).await?;
    let mut out = Vec::new();
    for c in cs::list_in_state(&ctx.store, commune_id, State::Recognised.as_str()).await? {
        let agreed = c.review_agreed_on.as_deref().map(day).transpose()?;
        let done = reviewed.iter().find(|(id, _)| *id == c.id).map(|(_, d)| day(d)).transpose()?;
        if r.review_overdue(year, agreed, done, today) {
            out.push(c);
        }
    }
    Ok(out)
}
