//! Form handling shared by all pages: the CSRF-checked, NFC-normalised form
//! extractor, idempotent submission, and cookies.

use super::auth::{session_of, PRESESSION_COOKIE};
use super::chrome::cookie;
use super::Shared;
use crate::error::{AppError, AppResult};
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderValue};
use danchu_domain::{text, Msg};
use danchu_store::{idempotency, StoreError, Tx};
use serde::de::DeserializeOwned;

/// Parses `application/x-www-form-urlencoded` pairs with every value
/// normalised to NFC.
pub fn parse_pairs(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), text::nfc(&v))).collect()
}

fn deserialize<T: DeserializeOwned>(pairs: &[(String, String)]) -> AppResult<T> {
    let encoded: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs.iter()).finish();
    serde_urlencoded::from_str(&encoded).map_err(|e| {
        AppError::BadRequest(Msg::new(
            format!("Biểu mẫu không hợp lệ: thiếu hoặc sai trường ({e})."),
            format!("The form is not valid: a field is missing or wrong ({e})."),
        ))
    })
}

/// The token a form must carry: the session's, or for visitors who are not
/// signed in, the value of the pre-session cookie (double submit).
pub fn expected_csrf(session_csrf: Option<&str>, presession: Option<&str>) -> Option<String> {
    session_csrf.or(presession).filter(|s| s.len() >= 32).map(str::to_string)
}

/// Constant-time comparison of two tokens.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A submitted form, after the CSRF check, with text normalised to NFC.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<Shared> for CsrfForm<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &Shared) -> Result<Self, Self::Rejection> {
        let ct = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        if !ct.starts_with("application/x-www-form-urlencoded") {
            return Err(AppError::UnsupportedMediaType);
        }
        let (mut parts, body) = req.into_parts();
        let session = session_of(state, &parts).await?;
        parts.extensions.insert(session.clone());
        let expected = expected_csrf(session.as_ref().map(|s| s.csrf.as_str()), cookie(&parts, PRESESSION_COOKIE));
        let req = Request::from_parts(parts, body);
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge
            } else {
                AppError::BadRequest(Msg::new("Không đọc được dữ liệu gửi lên.", "The request body could not be read."))
            }
        })?;
        let pairs = parse_pairs(&bytes);
        let given = pairs.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.as_str()).unwrap_or("");
        match expected {
            Some(exp) if same_token(&exp, given) => {}
            _ => return Err(AppError::Csrf),
        }
        Ok(CsrfForm(deserialize(&pairs)?))
    }
}

/// Commits `tx` after recording the idempotency `key` with `outcome` (a URL
/// to redirect to). If the same key committed first, the transaction is
/// rolled back and the earlier outcome returned: a double click or a retry
/// never writes twice.
pub async fn commit_once(state: &Shared, mut tx: Tx, key: &str, user_id: Option<i64>, outcome: &str) -> AppResult<String> {
    match idempotency::record(&mut tx, key, user_id, outcome).await {
        Ok(()) => {
            tx.commit().await.map_err(StoreError::from)?;
            Ok(outcome.to_string())
        }
        Err(StoreError::Conflict(_)) => {
            drop(tx);
            Ok(idempotency::lookup(&state.ctx.store, key).await?.unwrap_or_else(|| outcome.to_string()))
        }
        Err(e) => Err(e.into()),
    }
}

/// The outcome of an earlier submission with this key, if any.
pub async fn replayed(state: &Shared, key: &str) -> AppResult<Option<String>> {
    if key.is_empty() {
        return Err(AppError::BadRequest(Msg::new(
            "Biểu mẫu thiếu mã chống gửi trùng; hãy tải lại trang.",
            "The form lacks its submission key; reload the page.",
        )));
    }
    Ok(idempotency::lookup(&state.ctx.store, key).await?)
}

/// A file sent in a multipart form.
pub struct Upload {
    pub field: String,
    pub name: String,
    pub data: Vec<u8>,
}

/// A multipart form (forms with files), read whole, with its CSRF token
/// checked against the session's and text fields normalised to NFC. The
/// body limit (`max_body_bytes`) bounds what is read.
pub struct MultipartForm {
    pub fields: Vec<(String, String)>,
    pub files: Vec<Upload>,
}

impl MultipartForm {
    pub async fn read(mut mp: axum::extract::Multipart, session_csrf: &str) -> AppResult<MultipartForm> {
        let unreadable = |e: axum::extract::multipart::MultipartError| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge
            } else {
                AppError::BadRequest(Msg::new("Không đọc được dữ liệu gửi lên.", "The request body could not be read."))
            }
        };
        let mut form = MultipartForm { fields: Vec::new(), files: Vec::new() };
        while let Some(field) = mp.next_field().await.map_err(unreadable)? {
            let name = field.name().unwrap_or("").to_string();
            match field.file_name().map(str::to_string) {
                Some(file_name) => {
                    let data = field.bytes().await.map_err(unreadable)?;
                    if !data.is_empty() {
                        let clean: String = text::clean_line(&file_name).chars().take(200).collect();
                        form.files.push(Upload { field: name, name: clean, data: data.to_vec() });
                    }
                }
                None => {
                    let v = field.text().await.map_err(unreadable)?;
                    form.fields.push((name, text::nfc(&v)));
                }
            }
        }
        if !same_token(session_csrf, form.get("csrf")) {
            return Err(AppError::Csrf);
        }
        Ok(form)
    }

    /// A text field, or "" when absent.
    pub fn get(&self, key: &str) -> &str {
        self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).unwrap_or("")
    }

    /// Whether a checkbox was ticked.
    pub fn checked(&self, key: &str) -> bool {
        !self.get(key).is_empty()
    }
}

/// A `Set-Cookie` value.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, http_only: bool, same_site: &str, secure: bool) -> HeaderValue {
    let mut s = format!("{name}={value}; Path=/; Max-Age={max_age_secs}; SameSite={same_site}");
    if http_only {
        s.push_str("; HttpOnly");
    }
    if secure {
        s.push_str("; Secure");
    }
    HeaderValue::from_str(&s).expect("cookie values are ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_in_constant_time_and_exactly() {
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd"));
        assert!(!same_token("abc", "abcd"));
        assert!(!same_token("", "a"));
    }

    #[test]
    fn expected_token_prefers_session_and_refuses_short_values() {
        let long = "a".repeat(64);
        assert_eq!(expected_csrf(Some(&long), Some("x")), Some(long.clone()));
        assert_eq!(expected_csrf(None, Some(&long)), Some(long.clone()));
        assert_eq!(expected_csrf(None, Some("short")), None);
        assert_eq!(expected_csrf(None, None), None);
    }

    #[test]
    fn form_values_are_nfc() {
        let body = "name=Ho%CC%82%CC%80ng"; // NFD "Hồng"
        let p = parse_pairs(body.as_bytes());
        assert_eq!(p[0].1, "Hồng");
    }
}
