//! Page handlers, grouped by domain. Handlers hold no SQL: they call the
//! store, check authorization on the server and render a template.

pub mod account;
pub mod admin;
pub mod calendar;
pub mod consultations;
pub mod consultations_admin;
pub mod dashboard;
pub mod decision_docs;
pub mod decisions;
pub mod decisions_admin;
pub mod disclosures;
pub mod households;
pub mod inforequests;
pub mod ops;
pub mod portal;
pub mod public;
pub mod users;

use super::chrome::Chrome;
use super::Shared;
use crate::error::AppResult;
use askama::Template;
use axum::http::{header, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use danchu_domain::Lang;

/// The error page rendered by the error middleware.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub c: Chrome,
    pub headline: String,
    pub lines: Vec<String>,
    pub status: u16,
}

impl ErrorPage {
    pub fn new(state: &Shared, lang: Lang, headline: String, lines: Vec<String>, status: u16) -> ErrorPage {
        ErrorPage { c: Chrome::new(state, lang, None, "/"), headline, lines, status }
    }
}

/// Renders a template as a private (never cached by proxies) HTML page.
pub fn render<T: Template>(t: &T) -> AppResult<Response> {
    let html = t.render()?;
    let mut r = Html(html).into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(r)
}

/// A link in a breadcrumb trail.
pub struct Crumb {
    pub name: String,
    pub href: String,
}

/// A safe local redirect target: a path on this site, never `//host`.
pub fn local_next(next: Option<&str>) -> String {
    match next {
        // A path of this site only: no "//host", no backslash, no control or
        // space characters (browsers drop tabs and newlines, turning
        // "/\t/evil" into "//evil").
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.chars().any(|c| c == '\\' || c.is_control() || c.is_whitespace()) => {
            n.to_string()
        }
        _ => "/dashboard".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_local_only() {
        assert_eq!(local_next(Some("/admin/units/3")), "/admin/units/3");
        assert_eq!(local_next(Some("//evil.example")), "/dashboard");
        assert_eq!(local_next(Some("https://evil.example")), "/dashboard");
        assert_eq!(local_next(Some("/\\evil")), "/dashboard");
        assert_eq!(local_next(None), "/dashboard");
        assert_eq!(local_next(Some("/\t/evil.example")), "/dashboard");
        assert_eq!(local_next(Some("/\n/evil.example")), "/dashboard");
        assert_eq!(local_next(Some("/%5Cevil")), "/%5Cevil", "encoded characters stay encoded: a path of this site");
    }
}
