//! Signing in and out, password reset by one-time token, password change,
//! and the language switch.

use super::{local_next, render};
use crate::error::{AppError, AppResult};
use crate::keys::{random_token, token_hash};
use crate::web::auth::{client_ip, hash_password, verify_password, Auth, PageLang, Viewer, PRESESSION_COOKIE, SESSION_COOKIE};
use crate::web::chrome::{cookie, Chrome};
use crate::web::forms::{set_cookie, CsrfForm};
use crate::web::i18n::fill;
use crate::web::Shared;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use danchu_domain::accounts::{self, check_new_password};
use danchu_store::{accounts as acc, audit, jobs, now_ms};

/// The pre-session CSRF token of a visitor who is not signed in: the cookie's
/// value, or a new one (to be set on the response).
pub fn presession_token(headers: &HeaderMap) -> (String, bool) {
    let existing = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .find_map(|s| s.split(';').find_map(|p| p.trim().strip_prefix(&format!("{PRESESSION_COOKIE}=")).map(str::to_string)));
    match existing {
        Some(t) if t.len() == 64 => (t, false),
        _ => (random_token(32), true),
    }
}

pub fn with_presession(state: &Shared, mut resp: Response, token: &str, fresh: bool) -> Response {
    if fresh {
        let c = set_cookie(PRESESSION_COOKIE, token, 2 * 3600, true, "Strict", state.ctx.cfg.cookies_secure());
        resp.headers_mut().append(header::SET_COOKIE, c);
    }
    resp
}

#[derive(Template)]
#[template(path = "account/login.html")]
struct LoginPage {
    c: Chrome,
    csrf: String,
    next: String,
    username: String,
    error: Option<String>,
    info: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    done: Option<String>,
}

pub async fn login_form(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> AppResult<Response> {
    if viewer.0.is_some() {
        return Ok(Redirect::to(&local_next(q.next.as_deref())).into_response());
    }
    let (token, fresh) = presession_token(&headers);
    let c = Chrome::new(&state, lang, None, "/login");
    let info = match q.done.as_deref() {
        Some("logout") => Some(c.t.logged_out.to_string()),
        Some("reset") => Some(c.t.reset_done.to_string()),
        _ => None,
    };
    let page = LoginPage { c, csrf: token.clone(), next: local_next(q.next.as_deref()), username: String::new(), error: None, info };
    Ok(with_presession(&state, render(&page)?, &token, fresh))
}

#[derive(serde::Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

/// Checks the throttle, the password, then opens a session (one
/// transaction records the attempt, the session and the audit entry).
pub async fn login(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    parts: Parts,
    CsrfForm(f): CsrfForm<LoginForm>,
) -> AppResult<Response> {
    let store = &state.ctx.store;
    let ip = client_ip(&parts, state.ctx.cfg.trust_forwarded_for);
    let username = f.username.trim().to_lowercase().chars().take(64).collect::<String>();
    let c = Chrome::new(&state, lang, None, "/login");
    let csrf = cookie(&parts, PRESESSION_COOKIE).unwrap_or_default().to_string();
    let refuse = |c: Chrome, msg: String, status: axum::http::StatusCode| -> AppResult<Response> {
        let page = LoginPage {
            c,
            csrf: csrf.clone(),
            next: local_next(f.next.as_deref()),
            username: username.clone(),
            error: Some(msg),
            info: None,
        };
        let mut r = render(&page)?;
        *r.status_mut() = status;
        Ok(r)
    };
    let since = now_ms() - accounts::LOCKOUT_WINDOW_SECS * 1000;
    let (by_user, by_ip) = acc::recent_failures(store, &username, &ip, since).await?;
    if accounts::is_locked(by_ip, accounts::MAX_FAILED_LOGINS_PER_IP) {
        let msg = c.t.login_ip_locked.to_string();
        return refuse(c, msg, axum::http::StatusCode::TOO_MANY_REQUESTS);
    }
    if accounts::is_locked(by_user, accounts::MAX_FAILED_LOGINS) {
        let msg = fill(c.t.login_locked, &[&(accounts::LOCKOUT_SECS / 60).to_string()]);
        return refuse(c, msg, axum::http::StatusCode::TOO_MANY_REQUESTS);
    }
    let user = acc::by_username(store, &username).await?.filter(|u| !u.disabled);
    let ok = verify_password(f.password.clone(), user.as_ref().map(|u| u.password_hash.clone())).await;
    let mut tx = store.write().await?;
    acc::record_attempt(&mut tx, &username, &ip, ok && user.is_some()).await?;
    let (Some(user), true) = (user, ok) else {
        tx.commit().await?;
        let msg = c.t.login_failed.to_string();
        return refuse(c, msg, axum::http::StatusCode::UNAUTHORIZED);
    };
    let token = random_token(32);
    let csrf_token = random_token(32);
    let hours = state.ctx.cfg.session_hours;
    let ua = parts.headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("").chars().take(200).collect::<String>();
    acc::create_session(&mut tx, &token_hash(&token), user.id, &csrf_token, now_ms() + hours * 3600 * 1000, &ip, &ua).await?;
    audit::append(&mut tx, &audit::Entry::account(Some(user.id), None, "account.login", &format!("user:{}", user.id), &format!("ip={ip}")))
        .await?;
    tx.commit().await?;
    let dest = if user.must_change_password { "/account/password".to_string() } else { local_next(f.next.as_deref()) };
    let mut r = Redirect::to(&dest).into_response();
    let secure = state.ctx.cfg.cookies_secure();
    r.headers_mut().append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, &token, hours * 3600, true, "Lax", secure));
    r.headers_mut().append(header::SET_COOKIE, set_cookie(PRESESSION_COOKIE, "", 0, true, "Strict", secure));
    Ok(r)
}

#[derive(serde::Deserialize)]
pub struct Empty {}

pub async fn logout(State(state): State<Shared>, Auth(s): Auth, CsrfForm(_): CsrfForm<Empty>) -> AppResult<Response> {
    let mut tx = state.ctx.store.write().await?;
    acc::delete_session(&mut tx, &s.token_hash).await?;
    audit::append(&mut tx, &audit::Entry::account(Some(s.user.id), None, "account.logout", &format!("user:{}", s.user.id), "")).await?;
    tx.commit().await?;
    let mut r = Redirect::to("/login?done=logout").into_response();
    r.headers_mut().append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", 0, true, "Lax", state.ctx.cfg.cookies_secure()));
    Ok(r)
}

#[derive(Template)]
#[template(path = "account/forgot.html")]
struct ForgotPage {
    c: Chrome,
    csrf: String,
    sent: bool,
    error: Option<String>,
}

pub async fn forgot_form(State(state): State<Shared>, PageLang(lang): PageLang, headers: HeaderMap) -> AppResult<Response> {
    let (token, fresh) = presession_token(&headers);
    let page = ForgotPage { c: Chrome::new(&state, lang, None, "/password/forgot"), csrf: token.clone(), sent: false, error: None };
    Ok(with_presession(&state, render(&page)?, &token, fresh))
}

#[derive(serde::Deserialize)]
pub struct ForgotForm {
    email: String,
}

/// Queues a reset e-mail through the outbox. The answer is the same whether
/// or not the address is known, so it cannot be used to find accounts.
pub async fn forgot(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    parts: Parts,
    CsrfForm(f): CsrfForm<ForgotForm>,
) -> AppResult<Response> {
    let c = Chrome::new(&state, lang, None, "/password/forgot");
    let email = match accounts::parse_email(&f.email) {
        Ok(e) => e,
        Err(m) => {
            let page = ForgotPage {
                csrf: cookie(&parts, PRESESSION_COOKIE).unwrap_or_default().to_string(),
                c,
                sent: false,
                error: Some(m.get(lang).to_string()),
            };
            let mut r = render(&page)?;
            *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(r);
        }
    };
    let store = &state.ctx.store;
    // Throttle: at most 5 reset mails per hour to one address, and 5 requests
    // per hour from one network address (counted in the database: all nodes).
    let ip = client_ip(&parts, state.ctx.cfg.trust_forwarded_for);
    let (by_email, by_ip) = acc::recent_failures(store, &format!("reset:{email}"), &format!("reset:{ip}"), now_ms() - 3600 * 1000).await?;
    if by_email < 5 && by_ip < 5 {
        // Read before the write transaction: on PostgreSQL both share one pool.
        let user = acc::by_email(store, &email).await?;
        let mut tx = store.write().await?;
        acc::record_attempt(&mut tx, &format!("reset:{email}"), &format!("reset:{ip}"), false).await?;
        if let Some(user) = user {
            let token = random_token(32);
            acc::create_reset(&mut tx, &token_hash(&token), user.id, now_ms() + 3600 * 1000).await?;
            let link = format!("{}/password/reset?token={token}", state.ctx.cfg.public_url.trim_end_matches('/'));
            let mail = crate::mail::reset_email(lang, &user.full_name, &link);
            let payload = serde_json::json!({"to": email, "subject": mail.0, "body": mail.1}).to_string();
            jobs::enqueue(&mut tx, crate::jobs::SEND_EMAIL, &payload, None, now_ms()).await?;
            audit::append(
                &mut tx,
                &audit::Entry::account(None, None, "account.reset_requested", &format!("user:{}", user.id), &format!("ip={ip}")),
            )
            .await?;
        }
        tx.commit().await?;
        crate::jobs::wake();
    }
    let page = ForgotPage { c, csrf: String::new(), sent: true, error: None };
    render(&page)
}

#[derive(Template)]
#[template(path = "account/password.html")]
struct PasswordPage {
    c: Chrome,
    title: String,
    action: String,
    csrf: String,
    token: String,
    ask_current: bool,
    valid: bool,
    error: Option<String>,
    info: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

pub async fn reset_form(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    headers: HeaderMap,
    Query(q): Query<TokenQuery>,
) -> AppResult<Response> {
    let (csrf, fresh) = presession_token(&headers);
    let valid = q.token.len() == 64 && acc::reset_is_valid(&state.ctx.store, &token_hash(&q.token)).await?;
    let c = Chrome::new(&state, lang, None, "/password/reset");
    let page = PasswordPage {
        title: c.t.reset_title.to_string(),
        error: (!valid).then(|| c.t.reset_invalid.to_string()),
        c,
        action: "/password/reset".into(),
        csrf: csrf.clone(),
        token: q.token,
        ask_current: false,
        valid,
        info: None,
    };
    let mut r = render(&page)?;
    if !valid {
        *r.status_mut() = axum::http::StatusCode::NOT_FOUND;
    }
    Ok(with_presession(&state, r, &csrf, fresh))
}

#[derive(serde::Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    current: String,
    password: String,
    confirm: String,
}

fn check_pair(lang: danchu_domain::Lang, f: &PasswordForm, username: &str) -> Result<(), String> {
    if f.password != f.confirm {
        return Err(crate::web::i18n::msgs(lang).passwords_differ.to_string());
    }
    check_new_password(&f.password, username).map_err(|m| m.get(lang).to_string())
}

/// Uses a reset token once: sets the password and ends every session.
pub async fn reset(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    parts: Parts,
    CsrfForm(f): CsrfForm<PasswordForm>,
) -> AppResult<Response> {
    let store = &state.ctx.store;
    let c = Chrome::new(&state, lang, None, "/password/reset");
    let csrf = cookie(&parts, PRESESSION_COOKIE).unwrap_or_default().to_string();
    if let Err(msg) = check_pair(lang, &f, "") {
        let page = PasswordPage {
            title: c.t.reset_title.to_string(),
            c,
            action: "/password/reset".into(),
            csrf,
            token: f.token.clone(),
            ask_current: false,
            valid: true,
            error: Some(msg),
            info: None,
        };
        let mut r = render(&page)?;
        *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(r);
    }
    let hash = hash_password(f.password.clone()).await?;
    let mut tx = store.write().await?;
    let Some(user_id) = acc::consume_reset(&mut tx, &token_hash(&f.token)).await? else {
        drop(tx);
        let page = PasswordPage {
            title: c.t.reset_title.to_string(),
            error: Some(c.t.reset_invalid.to_string()),
            c,
            action: "/password/reset".into(),
            csrf,
            token: String::new(),
            ask_current: false,
            valid: false,
            info: None,
        };
        let mut r = render(&page)?;
        *r.status_mut() = axum::http::StatusCode::NOT_FOUND;
        return Ok(r);
    };
    acc::set_password(&mut tx, user_id, &hash, false).await?;
    acc::delete_sessions_of(&mut tx, user_id).await?;
    audit::append(&mut tx, &audit::Entry::account(Some(user_id), None, "account.password_reset", &format!("user:{user_id}"), "")).await?;
    tx.commit().await?;
    Ok(Redirect::to("/login?done=reset").into_response())
}

pub async fn change_form(State(state): State<Shared>, PageLang(lang): PageLang, Auth(s): Auth) -> AppResult<Response> {
    let c = Chrome::new(&state, lang, Some(&s), "/account/password");
    let page = PasswordPage {
        title: c.t.change_password_title.to_string(),
        info: s.user.must_change_password.then(|| c.t.change_password_required.to_string()),
        c,
        action: "/account/password".into(),
        csrf: s.csrf.clone(),
        token: String::new(),
        ask_current: true,
        valid: true,
        error: None,
    };
    render(&page)
}

pub async fn change(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    CsrfForm(f): CsrfForm<PasswordForm>,
) -> AppResult<Response> {
    let c = Chrome::new(&state, lang, Some(&s), "/account/password");
    let current_ok = verify_password(f.current.clone(), Some(s.user.password_hash.clone())).await;
    let problem = if !current_ok { Some(c.t.login_failed.to_string()) } else { check_pair(lang, &f, &s.user.username).err() };
    if let Some(msg) = problem {
        let page = PasswordPage {
            title: c.t.change_password_title.to_string(),
            c,
            action: "/account/password".into(),
            csrf: s.csrf.clone(),
            token: String::new(),
            ask_current: true,
            valid: true,
            error: Some(msg),
            info: None,
        };
        let mut r = render(&page)?;
        *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(r);
    }
    let hash = hash_password(f.password.clone()).await?;
    let mut tx = state.ctx.store.write().await?;
    acc::set_password(&mut tx, s.user.id, &hash, false).await?;
    // Other devices signed in with the old password are signed out.
    acc::delete_other_sessions(&mut tx, s.user.id, &s.token_hash).await?;
    audit::append(&mut tx, &audit::Entry::account(Some(s.user.id), None, "account.password_changed", &format!("user:{}", s.user.id), ""))
        .await?;
    tx.commit().await?;
    Ok(Redirect::to("/dashboard?done=password").into_response())
}

#[derive(serde::Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// Sets the language cookie and goes back.
pub async fn set_lang(State(state): State<Shared>, Path(code): Path<String>, Query(q): Query<NextQuery>) -> AppResult<Response> {
    let lang = danchu_domain::Lang::parse(&code).ok_or(AppError::NotFound)?;
    let next = match q.next.as_deref() {
        Some(_) => local_next(q.next.as_deref()),
        None => "/".to_string(),
    };
    let mut r = Redirect::to(&next).into_response();
    r.headers_mut()
        .append(header::SET_COOKIE, set_cookie("lang", lang.code(), 365 * 24 * 3600, false, "Lax", state.ctx.cfg.cookies_secure()));
    Ok(r)
}
