//! Accounts and roles within a unit's subtree.

use super::admin::{entry, load_unit};
use super::render;
use crate::error::{AppError, AppResult};
use crate::keys::random_token;
use crate::web::auth::{hash_password, Auth, PageLang, Session};
use crate::web::chrome::Chrome;
use crate::web::forms::{commit_once, replayed, CsrfForm};
use crate::web::i18n::fill;
use crate::web::Shared;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use danchu_domain::accounts::{check_new_password, parse_email, Action, Role, Username};
use danchu_domain::people::FullName;
use danchu_domain::{Lang, Msg};
use danchu_store::units::Unit;
use danchu_store::{accounts as acc, audit, units};

struct RoleRow {
    label: String,
    /// The grant's id when the viewer may revoke it.
    revoke: Option<i64>,
}

struct UserRow {
    username: String,
    full_name: String,
    roles: Vec<RoleRow>,
    is_demo: bool,
}

/// Whether `s` may revoke (or grant) `role` held in the unit at `path`.
fn may_manage(s: &Session, role: Role, path: &str) -> bool {
    s.grants.iter().any(|g| path.starts_with(&g.unit_path) && g.role.allows(Action::ManageUsers) && g.role.may_grant(role))
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    c: Chrome,
    title: String,
    id: i64,
    name: String,
    rows: Vec<UserRow>,
    roles: Vec<(&'static str, String)>,
    units: Vec<(i64, String)>,
    idem: String,
    errors: Vec<String>,
    f_username: String,
    f_full_name: String,
    f_email: String,
}

#[derive(serde::Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
    name: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct UserForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit_id: i64,
    #[serde(default)]
    password: String,
    #[serde(default)]
    idem: String,
}

async fn page(
    state: &Shared,
    lang: Lang,
    s: &Session,
    u: &Unit,
    notice: Option<String>,
    errors: Vec<String>,
    f: &UserForm,
) -> AppResult<Response> {
    let grant = s.require(Action::ManageUsers, u)?;
    let people = acc::users_in_subtree(&state.ctx.store, &u.path).await?;
    let children = units::children(&state.ctx.store, u.id).await?;
    let c = Chrome::new(state, lang, Some(s), &format!("/admin/units/{}/users", u.id));
    let mut unit_choices = vec![(u.id, u.name.clone())];
    unit_choices.extend(children.into_iter().map(|ch| (ch.unit.id, ch.unit.name)));
    let p = UsersPage {
        title: fill(c.t.users_title, &[&u.name]),
        c: c.with_notice(notice),
        id: u.id,
        name: u.name.clone(),
        rows: people
            .into_iter()
            .map(|(user, grants)| UserRow {
                username: user.username,
                full_name: user.full_name,
                roles: grants
                    .iter()
                    .map(|g| RoleRow {
                        label: format!("{} — {}", g.role.label().get(lang), g.unit_name),
                        revoke: (user.id != s.user.id && may_manage(s, g.role, &g.unit_path)).then_some(g.id),
                    })
                    .collect(),
                is_demo: user.is_demo,
            })
            .collect(),
        roles: Role::ALL.into_iter().filter(|r| grant.role.may_grant(*r)).map(|r| (r.as_str(), r.label().get(lang).to_string())).collect(),
        units: unit_choices,
        idem: random_token(16),
        errors,
        f_username: f.username.clone(),
        f_full_name: f.full_name.clone(),
        f_email: f.email.clone(),
    };
    render(&p)
}

pub async fn list(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let u = load_unit(&state, id).await?;
    let t = crate::web::i18n::msgs(lang);
    let name = q.name.unwrap_or_default();
    let notice = match q.done.as_deref() {
        Some("created") => Some(fill(t.user_created, &[&name])),
        Some("granted") => Some(fill(t.user_exists_granted, &[&name])),
        Some("revoked") => Some(fill(t.role_revoked, &[&name])),
        _ => None,
    };
    page(&state, lang, &s, &u, notice, vec![], &UserForm::default()).await
}

/// Creates an account (or reuses an existing one) and grants it a role in a
/// unit of the subtree. The granter's own role must allow granting it.
pub async fn create(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<UserForm>,
) -> AppResult<Response> {
    let here = load_unit(&state, id).await?;
    s.require(Action::ManageUsers, &here)?;
    if let Some(out) = replayed(&state, &f.idem).await? {
        return Ok(Redirect::to(&out).into_response());
    }
    let target = load_unit(&state, f.unit_id)
        .await
        .map_err(|_| AppError::validation("unit_id", Msg::new("Đơn vị không tồn tại.", "No such unit.")))?;
    // The target must be in the page's subtree, and the granter must hold
    // ManageUsers there under a role that may grant the requested role.
    if !target.path.starts_with(&here.path) {
        return Err(AppError::Forbidden);
    }
    let mut errs: Vec<Msg> = Vec::new();
    let role = Role::parse(&f.role);
    let grant = match role {
        Some(r) => {
            s.grants.iter().find(|g| target.path.starts_with(&g.unit_path) && g.role.allows(Action::ManageUsers) && g.role.may_grant(r))
        }
        None => None,
    };
    let Some(role) = role else {
        return Err(AppError::validation("role", Msg::new("Vai trò không hợp lệ.", "The role is not valid.")));
    };
    let Some(grant) = grant.cloned() else { return Err(AppError::Forbidden) };
    let level = target.kind.level();
    if !role.allowed_levels().contains(&level) {
        errs.push(Msg::new(
            format!("Vai trò \"{}\" không giao được ở {}.", role.label().vi, target.name),
            format!("The role \"{}\" cannot be held in {}.", role.label().en, target.name),
        ));
    }
    let username = Username::parse(&f.username).map_err(|m| errs.push(m)).ok();
    let full_name = FullName::parse(&f.full_name).map_err(|m| errs.push(m)).ok();
    let email = if f.email.trim().is_empty() { None } else { parse_email(&f.email).map_err(|m| errs.push(m)).ok() };
    let existing = match &username {
        Some(u) => acc::by_username(&state.ctx.store, u.as_str()).await?,
        None => None,
    };
    if existing.is_none() {
        if let Err(m) = check_new_password(&f.password, username.as_ref().map(|u| u.as_str()).unwrap_or("")) {
            errs.push(m);
        }
    }
    if !errs.is_empty() {
        let mut r = page(&state, lang, &s, &here, None, errs.iter().map(|m| m.get(lang).to_string()).collect(), &f).await?;
        *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(r);
    }
    let (Some(username), Some(full_name)) = (username, full_name) else { return Err(AppError::internal("unreachable")) };
    let hash = if existing.is_none() { Some(hash_password(f.password.clone()).await?) } else { None };
    let mut tx = state.ctx.store.write().await?;
    let (user_id, created) = match &existing {
        Some(u) => (u.id, false),
        None => {
            let id = acc::insert_user(
                &mut tx,
                &acc::NewUser {
                    username: username.as_str(),
                    full_name: full_name.as_str(),
                    email: email.as_deref(),
                    password_hash: hash.as_deref().unwrap_or(""),
                    must_change_password: true,
                    is_demo: false,
                },
            )
            .await?;
            (id, true)
        }
    };
    acc::grant(&mut tx, user_id, role, target.id, Some(s.user.id)).await?;
    if created {
        let summary = serde_json::json!({"username": username.as_str(), "full_name": full_name.as_str()}).to_string();
        audit::append(&mut tx, &entry(&s, grant.role.as_str(), &target, "account.created", &format!("user:{user_id}"), &summary)).await?;
    }
    let summary = serde_json::json!({"username": username.as_str(), "role": role.as_str(), "unit": target.code}).to_string();
    audit::append(&mut tx, &entry(&s, grant.role.as_str(), &target, "role.granted", &format!("user:{user_id}"), &summary)).await?;
    let n: String = form_urlencoded::byte_serialize(username.as_str().as_bytes()).collect();
    let out = format!("/admin/units/{}/users?done={}&name={n}", here.id, if created { "created" } else { "granted" });
    let out = commit_once(&state, tx, &f.idem, Some(s.user.id), &out).await?;
    Ok(Redirect::to(&out).into_response())
}

/// Withdraws a role. The revoker must be allowed to grant that role where it
/// is held, within the page's subtree; nobody withdraws their own roles.
pub async fn revoke(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path((id, grant_id)): Path<(i64, i64)>,
    CsrfForm(_f): CsrfForm<RevokeForm>,
) -> AppResult<Response> {
    let here = load_unit(&state, id).await?;
    s.require(Action::ManageUsers, &here)?;
    let (grant, user_id) = acc::grant_by_id(&state.ctx.store, grant_id).await?;
    if !grant.unit_path.starts_with(&here.path) || !may_manage(&s, grant.role, &grant.unit_path) {
        return Err(AppError::Forbidden);
    }
    if user_id == s.user.id {
        return Err(AppError::validation(
            "grant",
            Msg::new("Không thể tự thu hồi vai trò của chính mình.", "You cannot withdraw your own role."),
        ));
    }
    let target = load_unit(&state, grant.unit_id).await?;
    let user = acc::get_user(&state.ctx.store, user_id).await?;
    let by = s
        .grants
        .iter()
        .find(|g| grant.unit_path.starts_with(&g.unit_path) && g.role.may_grant(grant.role))
        .map(|g| g.role.as_str())
        .unwrap_or("");
    let mut tx = state.ctx.store.write().await?;
    if acc::revoke(&mut tx, grant_id).await? {
        let summary = serde_json::json!({"username": user.username, "role": grant.role.as_str(), "unit": grant.unit_code}).to_string();
        audit::append(&mut tx, &entry(&s, by, &target, "role.revoked", &format!("user:{user_id}"), &summary)).await?;
    }
    tx.commit().await?;
    let n: String = form_urlencoded::byte_serialize(user.username.as_bytes()).collect();
    Ok(Redirect::to(&format!("/admin/units/{id}/users?done=revoked&name={n}")).into_response())
}

#[derive(serde::Deserialize)]
pub struct RevokeForm {}
