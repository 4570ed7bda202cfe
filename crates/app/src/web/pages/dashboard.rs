//! The signed-in home: each role the user holds, and what it can do today.

use super::render;
use crate::error::AppResult;
use crate::web::auth::{Auth, PageLang};
use crate::web::chrome::Chrome;
use crate::web::i18n::fill;
use crate::web::Shared;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use danchu_domain::accounts::Action;
use danchu_domain::units::{Level, UnitKind};

struct Link {
    name: String,
    href: String,
}

struct Card {
    role: String,
    unit: String,
    links: Vec<Link>,
}

#[derive(Template)]
#[template(path = "admin/dashboard.html")]
struct DashboardPage {
    c: Chrome,
    hello: String,
    cards: Vec<Card>,
}

#[derive(serde::Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

pub async fn dashboard(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let c = Chrome::new(&state, lang, Some(&s), "/dashboard");
    let t = c.t;
    let notice = match q.done.as_deref() {
        Some("password") => Some(t.password_changed.to_string()),
        _ => None,
    };
    let mut cards = Vec::new();
    for g in &s.grants {
        let kind = UnitKind::parse(&g.unit_kind);
        let level = kind.map(|k| k.level());
        let mut links = Vec::new();
        let id = g.unit_id;
        if g.role.allows(Action::ViewUnitAdmin) {
            let name = if g.role.allows(Action::ManageVillages) && level == Some(Level::Commune) {
                t.act_manage_villages
            } else {
                t.act_statistics
            };
            links.push(Link { name: name.into(), href: format!("/admin/units/{id}") });
        }
        if g.role.allows(Action::ViewHouseholds) && level == Some(Level::Village) {
            links.push(Link { name: t.act_households.into(), href: format!("/admin/units/{id}/households") });
        }
        if g.role.allows(Action::ImportHouseholds) && level == Some(Level::Commune) {
            links.push(Link { name: t.act_import.into(), href: format!("/admin/units/{id}/imports") });
        }
        if g.role.allows(Action::ManageUsers) {
            links.push(Link { name: t.act_users.into(), href: format!("/admin/units/{id}/users") });
        }
        if g.role.allows(Action::ViewAudit) {
            links.push(Link { name: t.act_audit.into(), href: format!("/admin/units/{id}/audit") });
        }
        if g.role.allows(Action::AnswerInfoRequests) && kind.is_some_and(super::inforequests::accepts_kind) {
            let (name, href) = super::inforequests::dashboard_link(&state, lang, id).await?;
            links.push(Link { name, href });
        }
        // Disclosures: what is overdue or still to do, from the unit's roll-up (one row).
        if g.role.allows(Action::PublishDisclosures) && kind.and_then(danchu_domain::disclosure::Regime::for_unit).is_some() {
            let counts = danchu_store::disclosures::counts(&state.ctx.store, id).await?;
            let name = if counts.non_compliant + counts.pending + counts.in_progress > 0 {
                fill(t.dash_disclosures_todo, &[&counts.non_compliant.to_string(), &(counts.pending + counts.in_progress).to_string()])
            } else {
                t.disclosures_title.to_string()
            };
            links.push(Link { name, href: format!("/admin/units/{id}/disclosures") });
        }
        // Consultations: managed at the unit; a village head enters the
        // opinions of the village's meeting on the commune's consultations.
        if kind.and_then(danchu_domain::disclosure::Regime::for_unit).is_some()
            && (g.role.allows(Action::ManageConsultations) || g.role.allows(Action::EnterOpinions))
        {
            links.push(Link { name: t.csa_link.into(), href: format!("/admin/units/{id}/consultations") });
        } else if level == Some(Level::Village) && g.role.allows(Action::EnterOpinions) {
            let parent = g.unit_path.trim_end_matches('/').rsplit('/').nth(1).and_then(|p| p.parse::<i64>().ok());
            if let Some(parent) = parent {
                links.push(Link { name: t.csa_link.into(), href: format!("/admin/units/{parent}/consultations") });
            }
        }
        if g.role.allows(Action::ViewStatistics) && level == Some(Level::Province) {
            links.push(Link { name: t.compliance_children.into(), href: format!("/admin/units/{id}/compliance") });
        }
        if g.role.allows(Action::ManageCalendar) && level == Some(Level::Province) {
            links.push(Link { name: t.cal_manage.into(), href: "/admin/calendar".into() });
        }
        links.push(Link { name: t.act_public_page.into(), href: format!("/units/{}", g.unit_code) });
        cards.push(Card { role: g.role.label().get(lang).to_string(), unit: g.unit_name.clone(), links });
    }
    let page = DashboardPage { hello: fill(t.dash_hello, &[&s.user.full_name]), c: c.with_notice(notice), cards };
    render(&page)
}
