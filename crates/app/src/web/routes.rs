//! Every route of the platform, in one place.

use super::pages::decisions_admin;
use super::pages::{account, admin, dashboard, households, ops, public, users};
use super::pages::{calendar, consultations, consultations_admin, disclosures, inforequests, portal};
use super::{api, middleware as mw, static_files, Shared};
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;

pub fn app(state: Shared) -> Router {
    let cfg = state.ctx.cfg.clone();
    let pages = Router::new()
        // Public pages (cached for anonymous visitors).
        .route("/", get(public::home))
        .route("/communes", get(public::communes))
        .route("/units/{code}", get(public::unit))
        .route("/history", get(public::history))
        // Accounts.
        .route("/login", get(account::login_form).post(account::login))
        .route("/logout", post(account::logout))
        .route("/password/forgot", get(account::forgot_form).post(account::forgot))
        .route("/password/reset", get(account::reset_form).post(account::reset))
        .route("/account/password", get(account::change_form).post(account::change))
        .route("/lang/{code}", get(account::set_lang))
        // Signed-in work.
        .route("/dashboard", get(dashboard::dashboard))
        .route("/admin/units/{id}", get(admin::unit))
        .route("/admin/units/{id}/villages", post(admin::add_village))
        .route("/admin/units/{id}/organisations", post(admin::add_organisation))
        .route("/admin/units/{id}/contacts", post(admin::save_contacts))
        .route("/admin/units/{id}/households", get(households::list).post(households::add))
        .route("/admin/households/{id}", get(households::detail))
        .route("/admin/households/{id}/close", post(households::close))
        .route("/admin/units/{id}/imports", get(households::imports).post(households::upload))
        .route("/admin/imports/template.xlsx", get(households::template))
        .route("/admin/imports/{id}", get(households::import_status))
        .route("/admin/units/{id}/users", get(users::list).post(users::create))
        .route("/admin/units/{id}/grants/{grant_id}/revoke", post(users::revoke))
        .route("/admin/units/{id}/audit", get(admin::audit))
        // Information requests (R1.12, R1.13) and the working-day calendar (C0.2).
        .route("/units/{code}/info-requests/new", get(inforequests::new_form).post(inforequests::create_public))
        .route("/info-requests/track", get(inforequests::track))
        .route("/admin/units/{id}/info-requests", get(inforequests::list).post(inforequests::register))
        .route("/admin/info-requests/{id}", get(inforequests::detail))
        .route("/admin/info-requests/{id}/answer", post(inforequests::answer))
        .route("/admin/info-requests/{id}/refuse", post(inforequests::refuse))
        .route("/admin/info-requests/{id}/extend", post(inforequests::extend))
        .route("/admin/info-requests/{id}/complexity", post(inforequests::classify))
        .route("/admin/info-requests/{id}/withdraw", post(inforequests::withdraw))
        .route("/calendar", get(calendar::public))
        .route("/admin/calendar", get(calendar::admin).post(calendar::add))
        .route("/admin/calendar/remove", post(calendar::remove))
        // Disclosures (Dân biết): the public portal, search and feeds …
        .route("/units/{code}/disclosures", get(portal::list))
        .route("/disclosures/{id}", get(portal::item))
        .route("/disclosures/{id}/versions/{version}", get(portal::item_version))
        .route("/disclosures/{id}/files/{attachment}", get(portal::attachment))
        .route("/search", get(portal::search))
        .route("/feeds/{file}", get(portal::feed))
        .route("/units/{code}/subscribe", get(portal::subscribe_form).post(portal::subscribe))
        .route("/subscriptions/{token}", get(portal::subscription).post(portal::subscription_action))
        // … and the officials' side.
        .route("/admin/units/{id}/disclosures", get(disclosures::unit_page).post(disclosures::create))
        .route("/admin/units/{id}/disclosures/new", get(disclosures::new_form))
        .route("/admin/units/{id}/disclosure-settings", post(disclosures::save_settings))
        .route("/admin/units/{id}/exemptions", post(disclosures::add_exemption))
        .route("/admin/units/{id}/disclosure-documents", post(disclosures::generate_document))
        .route("/admin/units/{id}/compliance", get(disclosures::compliance))
        .route("/admin/disclosures/{id}", get(disclosures::item_page))
        .route("/admin/disclosures/{id}/records", post(disclosures::add_record))
        .route("/admin/disclosures/{id}/records/{record}/end", post(disclosures::end_record))
        .route("/admin/disclosures/{id}/records/{record}/photo", get(disclosures::record_photo))
        .route("/admin/disclosures/{id}/versions", post(disclosures::add_version))
        .route("/admin/disclosures/{id}/withdraw", post(disclosures::withdraw))
        // Static assets and operations.
        .route("/static/{*path}", get(static_files::serve))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics));

    pages
        // Consultations (Dân bàn): the public side and the officials' side.
        .merge(consultations::routes())
        .merge(consultations_admin::routes())
        // Community decisions (Dân quyết): the officials' side.
        .merge(decisions_admin::routes())
        // Community decisions (Dân quyết): the citizens' side and its API.
        .merge(super::pages::decisions::routes())
        .merge(super::api_decisions::router())
        // Community decisions (Dân quyết): documents, ballots, publication.
        .merge(super::pages::decision_docs::routes())
        .merge(api::router())
        .fallback(ops::not_found)
        // Innermost first: the guards' refusals pass through the error renderer.
        .layer(axum::middleware::from_fn(mw::cross_origin_guard))
        .layer(axum::middleware::from_fn_with_state(state.clone(), super::ratelimit::limit_writes))
        .layer(axum::middleware::from_fn_with_state(state.clone(), mw::render_errors))
        .layer(DefaultBodyLimit::max(cfg.max_body_bytes))
        .layer(axum::middleware::from_fn_with_state(state.clone(), mw::security_headers))
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn_with_state(state.clone(), mw::metrics))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, Duration::from_secs(cfg.request_timeout_secs)))
        .layer(CatchPanicLayer::new())
        .with_state(state)
}
