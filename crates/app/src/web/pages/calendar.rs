//! The working-day calendar (C0.2): the administrator's page for the days the
//! Government announces each year (extra days off, weekend days worked in
//! exchange, default holidays that are working days this year), and a public
//! read-only page of the year's days off. Every statutory deadline counted in
//! working days reads this calendar.

use super::public::cached_as;
use super::render;
use crate::error::{AppError, AppResult};
use crate::keys::random_token;
use crate::web::auth::{Auth, Here, PageLang, Session, Viewer};
use crate::web::chrome::{today_vn, vn_date, Chrome};
use crate::web::forms::{commit_once, replayed, CsrfForm};
use crate::web::i18n::{fill, msgs, Msgs};
use crate::web::Shared;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate, Weekday};
use danchu_domain::accounts::Action;
use danchu_domain::calendar::{Calendar, Holiday};
use danchu_domain::people::parse_date;
use danchu_domain::{text, Lang, Msg};
use danchu_store::calendar::{self as store_cal, CalendarDay};
use danchu_store::{audit, meta};

/// The years the lunar calendar (hence Tết) is reliable for, with margin.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2099;

/// The kinds of announced day, as stored.
const KINDS: [&str; 3] = ["off", "working", "not_off"];

fn kind_label(t: &Msgs, kind: &str) -> String {
    match kind {
        "off" => t.cal_kind_off,
        "working" => t.cal_kind_working,
        _ => t.cal_kind_not_off,
    }
    .to_string()
}

/// The name of a public holiday in the page's language.
pub fn holiday_label(t: &Msgs, h: Holiday) -> &'static str {
    match h {
        Holiday::NewYear => t.hol_new_year,
        Holiday::Tet => t.hol_tet,
        Holiday::HungKings => t.hol_hung_kings,
        Holiday::Reunification => t.hol_reunification,
        Holiday::Labour => t.hol_labour,
        Holiday::National => t.hol_national,
    }
}

/// The day of the week in the page's language.
pub fn weekday_label(t: &Msgs, d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => t.wd_mon,
        Weekday::Tue => t.wd_tue,
        Weekday::Wed => t.wd_wed,
        Weekday::Thu => t.wd_thu,
        Weekday::Fri => t.wd_fri,
        Weekday::Sat => t.wd_sat,
        Weekday::Sun => t.wd_sun,
    }
}

fn year_of(q: Option<i32>) -> i32 {
    q.filter(|y| YEARS.contains(y)).unwrap_or_else(|| today_vn().year())
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

struct HolidayRow {
    date: String,
    weekday: &'static str,
    name: &'static str,
    /// The year's announcement makes it a working day.
    kept: bool,
}

struct DayRow {
    iso: String,
    date: String,
    weekday: &'static str,
    kind: String,
    note: String,
}

#[derive(Template)]
#[template(path = "admin/calendar.html")]
struct AdminPage {
    c: Chrome,
    title: String,
    year: i32,
    prev: i32,
    next: i32,
    holidays: Vec<HolidayRow>,
    days: Vec<DayRow>,
    kinds: Vec<(&'static str, String)>,
    idem: String,
    errors: Vec<String>,
    f_date: String,
    f_kind: String,
    f_note: String,
}

#[derive(serde::Deserialize)]
pub struct YearQuery {
    year: Option<i32>,
    done: Option<String>,
    day: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct DayForm {
    #[serde(default)]
    date: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    idem: String,
}

/// The calendar is edited at the root of the unit tree: only a role that
/// allows it on the province (the system administrator) may.
fn require_admin<'a>(state: &Shared, s: &'a Session) -> AppResult<&'a danchu_store::accounts::Grant> {
    s.require(Action::ManageCalendar, &state.province)
}

fn holiday_rows(t: &Msgs, year: i32, announced: &[CalendarDay]) -> Vec<HolidayRow> {
    Calendar::statutory_holidays(year)
        .into_iter()
        .map(|(d, h)| HolidayRow {
            date: vn_date(&iso(d)),
            weekday: weekday_label(t, d),
            name: holiday_label(t, h),
            kept: announced.iter().any(|a| a.kind == "not_off" && a.day == iso(d)),
        })
        .collect()
}

fn in_year(days: Vec<CalendarDay>, year: i32) -> Vec<CalendarDay> {
    let prefix = format!("{year:04}-");
    days.into_iter().filter(|d| d.day.starts_with(&prefix)).collect()
}

async fn admin_page(
    state: &Shared,
    lang: Lang,
    s: &Session,
    year: i32,
    notice: Option<String>,
    errors: Vec<String>,
    f: &DayForm,
) -> AppResult<Response> {
    let announced = in_year(store_cal::all(&state.ctx.store).await?, year);
    let c = Chrome::new(state, lang, Some(s), &format!("/admin/calendar?year={year}"));
    let t = c.t;
    let page = AdminPage {
        title: fill(t.cal_admin_title, &[&year.to_string()]),
        year,
        prev: year - 1,
        next: year + 1,
        holidays: holiday_rows(t, year, &announced),
        days: announced
            .iter()
            .map(|d| {
                let date = NaiveDate::parse_from_str(&d.day, "%Y-%m-%d").ok();
                DayRow {
                    iso: d.day.clone(),
                    date: vn_date(&d.day),
                    weekday: date.map(|x| weekday_label(t, x)).unwrap_or(""),
                    kind: kind_label(t, &d.kind),
                    note: d.note.clone(),
                }
            })
            .collect(),
        kinds: KINDS.iter().map(|k| (*k, kind_label(t, k))).collect(),
        idem: random_token(16),
        errors,
        f_date: f.date.clone(),
        f_kind: if f.kind.is_empty() { "off".into() } else { f.kind.clone() },
        f_note: f.note.clone(),
        c: c.with_notice(notice),
    };
    render(&page)
}

/// `GET /admin/calendar?year=`: the year's statutory holidays and the
/// announced days, with the forms to add and remove one.
pub async fn admin(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Query(q): Query<YearQuery>,
) -> AppResult<Response> {
    require_admin(&state, &s)?;
    let t = msgs(lang);
    let notice = match (q.done.as_deref(), q.day.as_deref()) {
        (Some("added"), Some(d)) => Some(fill(t.cal_added, &[&vn_date(d)])),
        (Some("removed"), Some(d)) => Some(fill(t.cal_removed, &[&vn_date(d)])),
        _ => None,
    };
    admin_page(&state, lang, &s, year_of(q.year), notice, vec![], &DayForm::default()).await
}

/// Checks an announced day against the statutory rules; the messages say
/// what is wrong, in both languages.
fn check_day(f: &DayForm) -> Result<CalendarDay, Vec<Msg>> {
    let mut errs = Vec::new();
    let date = match parse_date(&f.date) {
        Ok(d) if YEARS.contains(&d.year()) => Some(d),
        Ok(_) => {
            errs.push(Msg::new(
                format!("Chỉ nhận ngày trong các năm {} đến {}.", YEARS.start(), YEARS.end()),
                format!("Only dates from {} to {} are accepted.", YEARS.start(), YEARS.end()),
            ));
            None
        }
        Err(m) => {
            errs.push(m);
            None
        }
    };
    let kind = KINDS.iter().find(|k| **k == f.kind.trim()).copied();
    if kind.is_none() {
        errs.push(Msg::new(crate::web::i18n::VI.cal_err_kind, crate::web::i18n::EN.cal_err_kind));
    }
    let note = text::clean_line(&f.note);
    if note.is_empty() || note.chars().count() > 300 {
        errs.push(Msg::new(crate::web::i18n::VI.cal_err_note, crate::web::i18n::EN.cal_err_note));
    }
    if let (Some(d), Some(k)) = (date, kind) {
        let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
        let holiday = [d.year(), d.year() + 1].iter().any(|y| Calendar::statutory_holidays(*y).iter().any(|(h, _)| *h == d));
        let msg = match k {
            "working" if !weekend => Some((crate::web::i18n::VI.cal_err_working_weekday, crate::web::i18n::EN.cal_err_working_weekday)),
            "not_off" if !holiday || weekend => Some((crate::web::i18n::VI.cal_err_not_holiday, crate::web::i18n::EN.cal_err_not_holiday)),
            "off" if weekend || holiday => Some((crate::web::i18n::VI.cal_err_already_off, crate::web::i18n::EN.cal_err_already_off)),
            _ => None,
        };
        if let Some((vi, en)) = msg {
            errs.push(Msg::new(vi, en));
        }
    }
    match (date, kind, errs.is_empty()) {
        (Some(d), Some(k), true) => Ok(CalendarDay { day: iso(d), kind: k.to_string(), note }),
        _ => Err(errs),
    }
}

/// `POST /admin/calendar`: records an announced day (replacing the entry for
/// that date), in one transaction with the audit entry, the deadlines of
/// open information requests recomputed, and the public version bumped.
pub async fn add(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    CsrfForm(f): CsrfForm<DayForm>,
) -> AppResult<Response> {
    let role = require_admin(&state, &s)?.role.as_str().to_string();
    if let Some(out) = replayed(&state, &f.idem).await? {
        return Ok(Redirect::to(&out).into_response());
    }
    let day = match check_day(&f) {
        Ok(d) => d,
        Err(errs) => {
            let year = parse_date(&f.date).ok().map(|d| d.year()).filter(|y| YEARS.contains(y));
            let mut r =
                admin_page(&state, lang, &s, year_of(year), None, errs.iter().map(|m| m.get(lang).to_string()).collect(), &f).await?;
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(r);
        }
    };
    let mut tx = state.ctx.store.write().await?;
    let old = store_cal::put(&mut tx, &day, Some(s.user.id)).await?;
    let cal = crate::calendar::load_tx(&mut tx).await?;
    let moved = super::inforequests::recompute_deadlines(&mut tx, &cal).await?;
    // Disclosure deadlines that span the day are evaluated again by the worker.
    danchu_store::disclosures::review_around(&mut tx, &day.day, &crate::web::chrome::today_vn().to_string()).await?;
    let summary = serde_json::json!({
        "day": day.day, "kind": day.kind, "note": day.note,
        "replaced": old.map(|o| serde_json::json!({"kind": o.kind, "note": o.note})),
        "info_requests_moved": moved,
    })
    .to_string();
    let target = format!("calendar:{}", day.day);
    audit::append(&mut tx, &audit::Entry::on_unit(Some(s.user.id), &role, &state.province, "calendar.day_set", &target, &summary)).await?;
    meta::bump_public_version(&mut tx).await?;
    let year = &day.day[..4];
    let out = commit_once(&state, tx, &f.idem, Some(s.user.id), &format!("/admin/calendar?year={year}&done=added&day={}", day.day)).await?;
    state.public_changed();
    Ok(Redirect::to(&out).into_response())
}

#[derive(serde::Deserialize)]
pub struct RemoveForm {
    day: String,
}

/// `POST /admin/calendar/remove`: removes an announced day. Removing a day
/// that is not there (a second click) changes nothing.
pub async fn remove(State(state): State<Shared>, Auth(s): Auth, CsrfForm(f): CsrfForm<RemoveForm>) -> AppResult<Response> {
    let role = require_admin(&state, &s)?.role.as_str().to_string();
    let day = NaiveDate::parse_from_str(f.day.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::validation("day", Msg::new("Ngày không hợp lệ.", "The date is not valid.")))?;
    let day = iso(day);
    let mut tx = state.ctx.store.write().await?;
    if !store_cal::remove(&mut tx, &day).await? {
        drop(tx);
        return Ok(Redirect::to(&format!("/admin/calendar?year={}", &day[..4])).into_response());
    }
    let cal = crate::calendar::load_tx(&mut tx).await?;
    let moved = super::inforequests::recompute_deadlines(&mut tx, &cal).await?;
    danchu_store::disclosures::review_around(&mut tx, &day, &crate::web::chrome::today_vn().to_string()).await?;
    let summary = serde_json::json!({"day": day, "info_requests_moved": moved}).to_string();
    let target = format!("calendar:{day}");
    audit::append(&mut tx, &audit::Entry::on_unit(Some(s.user.id), &role, &state.province, "calendar.day_removed", &target, &summary))
        .await?;
    meta::bump_public_version(&mut tx).await?;
    tx.commit().await?;
    state.public_changed();
    Ok(Redirect::to(&format!("/admin/calendar?year={}&done=removed&day={day}", &day[..4])).into_response())
}

struct PublicRow {
    date: String,
    weekday: &'static str,
    what: String,
}

#[derive(Template)]
#[template(path = "public/calendar.html")]
struct PublicPage {
    c: Chrome,
    title: String,
    year: i32,
    prev: i32,
    next: i32,
    days_off: Vec<PublicRow>,
    working: Vec<PublicRow>,
    manage: bool,
}

#[derive(serde::Deserialize)]
pub struct PublicQuery {
    year: Option<i32>,
}

/// `GET /calendar?year=`: the year's weekday days off (holidays and
/// announced days) and the weekend days worked in exchange, so citizens can
/// check a deadline counted in working days.
pub async fn public(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    Here(here): Here,
    headers: HeaderMap,
    Query(q): Query<PublicQuery>,
) -> AppResult<Response> {
    let st = state.clone();
    let session = viewer.0.clone();
    let key = here.clone();
    cached_as(&state, &viewer, lang, &key, &headers, "text/html; charset=utf-8", || async move {
        let year = year_of(q.year);
        let announced = in_year(store_cal::all(&st.ctx.store).await?, year);
        let cal = crate::calendar::load(&st.ctx.store).await?;
        let c = Chrome::new(&st, lang, session.as_ref(), &here);
        let t = c.t;
        let holidays = Calendar::statutory_holidays(year);
        let mut days_off = Vec::new();
        let mut working = Vec::new();
        let mut d = NaiveDate::from_ymd_opt(year, 1, 1).ok_or(AppError::NotFound)?;
        while d.year() == year {
            let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
            let note = announced.iter().find(|a| a.day == iso(d)).map(|a| a.note.clone());
            let off = !cal.is_working_day(d);
            if off && !weekend {
                let what = match holidays.iter().find(|(h, _)| *h == d) {
                    Some((_, h)) => holiday_label(t, *h).to_string(),
                    None => note.clone().unwrap_or_else(|| t.cal_kind_off.to_string()),
                };
                days_off.push(PublicRow { date: vn_date(&iso(d)), weekday: weekday_label(t, d), what });
            } else if !off && weekend {
                working.push(PublicRow { date: vn_date(&iso(d)), weekday: weekday_label(t, d), what: note.unwrap_or_default() });
            }
            d = d.succ_opt().ok_or(AppError::NotFound)?;
        }
        let page = PublicPage {
            title: fill(t.cal_title, &[&year.to_string()]),
            year,
            prev: year - 1,
            next: year + 1,
            days_off,
            working,
            manage: session.as_ref().is_some_and(|s| s.can(Action::ManageCalendar, &st.province).is_some()),
            c,
        };
        Ok(page.render()?)
    })
    .await
}
