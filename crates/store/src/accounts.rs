//! Users, role assignments, sessions, login attempts and password resets.

use crate::db::{flag, now_ms, opt_i64, Result, Store, StoreError, Tx};
use danchu_domain::accounts::Role;
use sqlx::any::AnyRow;
use sqlx::Row;

#[derive(Debug, Clone, serde::Serialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
    #[serde(skip)]
    pub password_hash: String,
    pub must_change_password: bool,
    pub disabled: bool,
    pub is_demo: bool,
}

/// A role held in a unit, with the unit's path for subtree checks.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Grant {
    pub id: i64,
    pub role: Role,
    pub unit_id: i64,
    pub unit_path: String,
    pub unit_name: String,
    pub unit_kind: String,
    pub unit_code: String,
}

const USER_COLS: &str = "u.id, u.username, u.full_name, u.email, u.password_hash, u.must_change_password, u.disabled_at, u.is_demo";

fn user_from(r: &AnyRow) -> Result<User> {
    Ok(User {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        full_name: r.try_get("full_name")?,
        email: r.try_get("email")?,
        password_hash: r.try_get("password_hash")?,
        must_change_password: flag(r, "must_change_password")?,
        disabled: opt_i64(r, "disabled_at")?.is_some(),
        is_demo: flag(r, "is_demo")?,
    })
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub full_name: &'a str,
    pub email: Option<&'a str>,
    pub password_hash: &'a str,
    pub must_change_password: bool,
    pub is_demo: bool,
}

pub async fn insert_user(tx: &mut Tx, n: &NewUser<'_>) -> Result<i64> {
    let now = now_ms();
    let r = sqlx::query(
        "INSERT INTO users (username, full_name, email, password_hash, must_change_password, is_demo, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(n.username)
    .bind(n.full_name)
    .bind(n.email)
    .bind(n.password_hash)
    .bind(n.must_change_password as i64)
    .bind(n.is_demo as i64)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(r.try_get("id")?)
}

pub async fn by_username(store: &Store, username: &str) -> Result<Option<User>> {
    let sql = format!("SELECT {USER_COLS} FROM users u WHERE u.username = $1");
    let r = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(username).fetch_optional(store.reader()).await?;
    r.as_ref().map(user_from).transpose()
}

pub async fn by_username_tx(tx: &mut Tx, username: &str) -> Result<Option<User>> {
    let sql = format!("SELECT {USER_COLS} FROM users u WHERE u.username = $1");
    let r = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(username).fetch_optional(&mut **tx).await?;
    r.as_ref().map(user_from).transpose()
}

pub async fn by_email(store: &Store, email: &str) -> Result<Option<User>> {
    let sql = format!("SELECT {USER_COLS} FROM users u WHERE u.email = $1 AND u.disabled_at IS NULL");
    let r = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(email).fetch_optional(store.reader()).await?;
    r.as_ref().map(user_from).transpose()
}

pub async fn get_user(store: &Store, id: i64) -> Result<User> {
    let sql = format!("SELECT {USER_COLS} FROM users u WHERE u.id = $1");
    let r = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(store.reader()).await?;
    user_from(&r.ok_or(StoreError::NotFound)?)
}

pub async fn set_password(tx: &mut Tx, user_id: i64, hash: &str, must_change: bool) -> Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1, must_change_password = $2, updated_at = $3 WHERE id = $4")
        .bind(hash)
        .bind(must_change as i64)
        .bind(now_ms())
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn grant(tx: &mut Tx, user_id: i64, role: Role, unit_id: i64, granted_by: Option<i64>) -> Result<bool> {
    let r = sqlx::query(
        "INSERT INTO role_assignments (user_id, role, unit_id, granted_by, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (user_id, role, unit_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(role.as_str())
    .bind(unit_id)
    .bind(granted_by)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() > 0)
}

/// Removes a grant; returns false when it did not exist.
pub async fn revoke(tx: &mut Tx, grant_id: i64) -> Result<bool> {
    let r = sqlx::query("DELETE FROM role_assignments WHERE id = $1").bind(grant_id).execute(&mut **tx).await?;
    Ok(r.rows_affected() > 0)
}

/// One grant with its unit and user, for the revoke check.
pub async fn grant_by_id(store: &Store, grant_id: i64) -> Result<(Grant, i64)> {
    let r = sqlx::query(
        "SELECT g.user_id, g.id AS gid, g.role, g.unit_id, un.path, un.name, un.kind, un.code FROM role_assignments g \
         JOIN units un ON un.id = g.unit_id WHERE g.id = $1",
    )
    .bind(grant_id)
    .fetch_optional(store.reader())
    .await?
    .ok_or(StoreError::NotFound)?;
    Ok((grant_from(&r)?, r.try_get("user_id")?))
}

fn grant_from(r: &AnyRow) -> Result<Grant> {
    let role: String = r.try_get("role")?;
    Ok(Grant {
        id: r.try_get("gid")?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Invalid(format!("role {role}")))?,
        unit_id: r.try_get("unit_id")?,
        unit_path: r.try_get("path")?,
        unit_name: r.try_get("name")?,
        unit_kind: r.try_get("kind")?,
        unit_code: r.try_get("code")?,
    })
}

pub async fn grants_of(store: &Store, user_id: i64) -> Result<Vec<Grant>> {
    let rows = sqlx::query(
        "SELECT g.id AS gid, g.role, g.unit_id, un.path, un.name, un.kind, un.code FROM role_assignments g \
         JOIN units un ON un.id = g.unit_id WHERE g.user_id = $1 ORDER BY un.depth, g.role",
    )
    .bind(user_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter().map(grant_from).collect()
}

/// Users holding a role somewhere in the subtree at `path`, with their grants
/// there (two queries).
pub async fn users_in_subtree(store: &Store, path: &str) -> Result<Vec<(User, Vec<Grant>)>> {
    let rows = sqlx::query(
        "SELECT g.user_id, g.id AS gid, g.role, g.unit_id, un.path, un.name, un.kind, un.code FROM role_assignments g \
         JOIN units un ON un.id = g.unit_id WHERE un.path LIKE $1 ORDER BY g.user_id, un.depth",
    )
    .bind(format!("{path}%"))
    .fetch_all(store.reader())
    .await?;
    let mut by_user: Vec<(i64, Vec<Grant>)> = Vec::new();
    for r in &rows {
        let uid: i64 = r.try_get("user_id")?;
        let g = grant_from(r)?;
        match by_user.last_mut() {
            Some((id, v)) if *id == uid => v.push(g),
            _ => by_user.push((uid, vec![g])),
        }
    }
    if by_user.is_empty() {
        return Ok(vec![]);
    }
    let list = by_user.iter().map(|(id, _)| id.to_string()).collect::<Vec<_>>().join(",");
    let sql = format!("SELECT {USER_COLS} FROM users u WHERE u.id IN ({list}) ORDER BY u.username");
    let users = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(store.reader()).await?;
    let mut out = Vec::new();
    for r in &users {
        let u = user_from(r)?;
        let grants = by_user.iter().find(|(id, _)| *id == u.id).map(|(_, g)| g.clone()).unwrap_or_default();
        out.push((u, grants));
    }
    Ok(out)
}

/// A signed-in session resolved from its token hash: the user, the CSRF
/// token and every grant, in one query.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: i64,
    pub grants: Vec<Grant>,
}

pub async fn session(store: &Store, token_hash: &str, now: i64) -> Result<Option<SessionInfo>> {
    let rows = sqlx::query(
        "SELECT u.id, u.username, u.full_name, u.email, u.password_hash, u.must_change_password, u.disabled_at, u.is_demo, \
         s.csrf_token, s.expires_at, g.id AS gid, g.role, g.unit_id, un.path, un.name, un.kind, un.code \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         LEFT JOIN role_assignments g ON g.user_id = u.id LEFT JOIN units un ON un.id = g.unit_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_all(store.reader())
    .await?;
    let Some(first) = rows.first() else { return Ok(None) };
    let mut grants = Vec::new();
    for r in &rows {
        if opt_i64(r, "gid")?.is_some() {
            grants.push(grant_from(r)?);
        }
    }
    Ok(Some(SessionInfo {
        user: user_from(first)?,
        csrf_token: first.try_get("csrf_token")?,
        expires_at: first.try_get("expires_at")?,
        grants,
    }))
}

pub async fn create_session(
    tx: &mut Tx,
    token_hash: &str,
    user_id: i64,
    csrf: &str,
    expires_at: i64,
    ip: &str,
    user_agent: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, ip, user_agent) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(csrf)
    .bind(now_ms())
    .bind(expires_at)
    .bind(ip)
    .bind(user_agent)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn delete_session(tx: &mut Tx, token_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&mut **tx).await?;
    Ok(())
}

/// Ends every session of a user (password change or reset).
pub async fn delete_sessions_of(tx: &mut Tx, user_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut **tx).await?;
    Ok(())
}

pub async fn purge_expired_sessions(store: &Store) -> Result<u64> {
    let mut tx = store.write().await?;
    let r = sqlx::query("DELETE FROM sessions WHERE expires_at < $1").bind(now_ms()).execute(&mut *tx).await?;
    let cutoff = now_ms() - 7 * 24 * 3600 * 1000;
    sqlx::query("DELETE FROM login_attempts WHERE at < $1").bind(cutoff).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM password_resets WHERE expires_at < $1").bind(cutoff).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(r.rows_affected())
}

/// Failures for a username and for an address since `since` (one query).
pub async fn recent_failures(store: &Store, username: &str, ip: &str, since: i64) -> Result<(i64, i64)> {
    let r = sqlx::query(
        "SELECT \
           (SELECT COUNT(*) FROM login_attempts WHERE username = $1 AND at > $3 AND success = 0 \
              AND at > COALESCE((SELECT MAX(at) FROM login_attempts WHERE username = $1 AND success = 1), 0)) AS by_user, \
           (SELECT COUNT(*) FROM login_attempts WHERE ip = $2 AND at > $3 AND success = 0) AS by_ip",
    )
    .bind(username)
    .bind(ip)
    .bind(since)
    .fetch_one(store.reader())
    .await?;
    Ok((r.try_get("by_user")?, r.try_get("by_ip")?))
}

pub async fn record_attempt(tx: &mut Tx, username: &str, ip: &str, success: bool) -> Result<()> {
    sqlx::query("INSERT INTO login_attempts (username, ip, at, success) VALUES ($1, $2, $3, $4)")
        .bind(username)
        .bind(ip)
        .bind(now_ms())
        .bind(success as i64)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn create_reset(tx: &mut Tx, token_hash: &str, user_id: i64, expires_at: i64) -> Result<()> {
    sqlx::query("INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(user_id)
        .bind(now_ms())
        .bind(expires_at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Marks a reset token used and returns its user, if the token is valid,
/// unused and unexpired. Single use is enforced by the conditional update.
pub async fn consume_reset(tx: &mut Tx, token_hash: &str) -> Result<Option<i64>> {
    let now = now_ms();
    let r = sqlx::query(
        "UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id",
    )
    .bind(now)
    .bind(token_hash)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(r.map(|r| r.try_get("user_id")).transpose()?)
}

/// Whether a reset token is currently valid (for showing the form).
pub async fn reset_is_valid(store: &Store, token_hash: &str) -> Result<bool> {
    let r = sqlx::query("SELECT 1 AS ok FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2")
        .bind(token_hash)
        .bind(now_ms())
        .fetch_optional(store.reader())
        .await?;
    Ok(r.is_some())
}

pub async fn count_users(store: &Store) -> Result<i64> {
    let r = sqlx::query("SELECT COUNT(*) AS n FROM users").fetch_one(store.reader()).await?;
    Ok(r.try_get("n")?)
}

/// Sets a user's e-mail address (used for password resets).
pub async fn set_email(tx: &mut Tx, username: &str, email: &str) -> Result<()> {
    sqlx::query("UPDATE users SET email = $1, updated_at = $2 WHERE username = $3")
        .bind(email)
        .bind(now_ms())
        .bind(username)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Ends every session of a user except one (after a password change).
pub async fn delete_other_sessions(tx: &mut Tx, user_id: i64, keep_token_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep_token_hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
