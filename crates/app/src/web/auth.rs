//! Who is asking, and may they: sessions from the database, argon2id
//! passwords, and the server-side authorization check used by every
//! protected handler.

use super::chrome::{cookie, lang_of};
use super::Shared;
use crate::error::{AppError, AppResult};
use crate::keys::token_hash;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use danchu_domain::accounts::Action;
use danchu_domain::Lang;
use danchu_store::accounts::{Grant, User};
use danchu_store::units::Unit;

pub const SESSION_COOKIE: &str = "danchu_sid";
pub const PRESESSION_COOKIE: &str = "danchu_csrf";

/// A signed-in user with every role they hold.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub grants: Vec<Grant>,
    pub csrf: String,
    pub token_hash: String,
}

impl Session {
    /// The role under which the user may perform `action` on `unit`, if any:
    /// a role held at `unit` or at one of its ancestors that allows it.
    pub fn can(&self, action: Action, unit: &Unit) -> Option<&Grant> {
        self.grants.iter().find(|g| unit.path.starts_with(&g.unit_path) && g.role.allows(action))
    }

    /// Like [`Session::can`], but an error for the handler to return.
    pub fn require(&self, action: Action, unit: &Unit) -> AppResult<&Grant> {
        self.can(action, unit).ok_or(AppError::Forbidden)
    }
}

/// The client's address: the socket peer, or the first X-Forwarded-For
/// entry when the deployment says a trusted proxy sets it.
pub fn client_ip(parts: &Parts, trust_forwarded: bool) -> String {
    if trust_forwarded {
        if let Some(f) = parts.headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()) {
            if let Some(first) = f.split(',').next() {
                return first.trim().to_string();
            }
        }
    }
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// Resolves the session cookie (one query); None when absent or expired.
pub async fn session_of(state: &Shared, parts: &Parts) -> AppResult<Option<Session>> {
    if let Some(s) = parts.extensions.get::<Option<Session>>() {
        return Ok(s.clone());
    }
    let Some(token) = cookie(parts, SESSION_COOKIE) else { return Ok(None) };
    if token.len() != 64 {
        return Ok(None);
    }
    let hash = token_hash(token);
    let info = danchu_store::accounts::session(&state.ctx.store, &hash, danchu_store::now_ms()).await?;
    Ok(info.map(|i| Session { user: i.user, grants: i.grants, csrf: i.csrf_token, token_hash: hash }))
}

/// The visitor, signed in or not.
pub struct Viewer(pub Option<Session>);

impl FromRequestParts<Shared> for Viewer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Self, Self::Rejection> {
        let s = session_of(state, parts).await?;
        parts.extensions.insert(s.clone());
        Ok(Viewer(s))
    }
}

/// A signed-in user; otherwise a redirect to the sign-in page (HTML) or 401
/// (API). A user who must change their password is sent there first.
pub struct Auth(pub Session);

impl FromRequestParts<Shared> for Auth {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Self, Self::Rejection> {
        let s = session_of(state, parts).await.map_err(IntoResponse::into_response)?;
        parts.extensions.insert(s.clone());
        let is_api = parts.uri.path().starts_with("/api/");
        match s {
            Some(s) => {
                if s.user.must_change_password && !matches!(parts.uri.path(), "/account/password" | "/logout") {
                    if is_api {
                        return Err(AppError::Forbidden.into_response());
                    }
                    return Err(Redirect::to("/account/password").into_response());
                }
                Ok(Auth(s))
            }
            None if is_api => Err(AppError::Unauthenticated.into_response()),
            None => {
                let here = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
                let next: String = form_urlencoded::byte_serialize(here.as_bytes()).collect();
                Err(Redirect::to(&format!("/login?next={next}")).into_response())
            }
        }
    }
}

/// The page language as an extractor.
pub struct PageLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for PageLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(PageLang(lang_of(parts)))
    }
}

/// Path and query of the request, for links back to it.
pub struct Here(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Here {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Here(parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into())))
    }
}

/// Hashes a password with argon2id (OWASP parameters: 19 MiB, 2 passes),
/// off the async threads.
pub async fn hash_password(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || hash_password_sync(&password)).await.map_err(AppError::internal)?
}

pub fn hash_password_sync(password: &str) -> AppResult<String> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let mut salt_bytes = [0u8; 16];
    getrandom::getrandom(&mut salt_bytes).map_err(AppError::internal)?;
    let salt = SaltString::encode_b64(&salt_bytes).map_err(AppError::internal)?;
    argon2::Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(AppError::internal)
}

/// Verifies a password; with `hash = None` it still spends the same time on
/// a dummy hash, so an unknown username cannot be told from a wrong password.
pub async fn verify_password(password: String, hash: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        use argon2::password_hash::{PasswordHash, PasswordVerifier};
        let h = hash.unwrap_or_else(|| DUMMY_HASH.to_string());
        let Ok(parsed) = PasswordHash::new(&h) else { return false };
        argon2::Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()
    })
    .await
    .unwrap_or(false)
}

/// argon2id hash of a random string nobody knows.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1mHtPxRBiAz0JkWTUSnKqp7KyHhjQQjGMgJWRc8q3Yw";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn argon2id_round_trip_and_wrong_password() {
        let h = hash_password("một mật khẩu dài".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("một mật khẩu dài".into(), Some(h.clone())).await);
        assert!(!verify_password("sai".into(), Some(h)).await);
        assert!(!verify_password("x".into(), None).await);
    }
}
