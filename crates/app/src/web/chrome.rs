//! What every page shares: language, the signed-in user, the CSRF token,
//! the current path (for the language switch) and the demo banner.

use super::auth::Session;
use super::i18n::{msgs, Msgs};
use super::Shared;
use axum::http::header;
use axum::http::request::Parts;
use danchu_domain::Lang;

/// Reads one cookie from the request headers.
pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    for h in parts.headers.get_all(header::COOKIE) {
        let Ok(s) = h.to_str() else { continue };
        for pair in s.split(';') {
            if let Some((k, v)) = pair.trim().split_once('=') {
                if k == name {
                    return Some(v);
                }
            }
        }
    }
    None
}

/// The language of a request: `?lang=`, then the `lang` cookie, then
/// Vietnamese. The browser's Accept-Language is deliberately not used: many
/// phones run an English system but their owners read Vietnamese, and the
/// site is Vietnamese first; English is one click away.
pub fn lang_of(parts: &Parts) -> Lang {
    if let Some(q) = parts.uri.query() {
        for (k, v) in form_urlencoded::parse(q.as_bytes()) {
            if k == "lang" {
                if let Some(l) = Lang::parse(&v) {
                    return l;
                }
            }
        }
    }
    cookie(parts, "lang").and_then(Lang::parse).unwrap_or_default()
}

/// The shared part of every page template.
pub struct Chrome {
    pub t: &'static Msgs,
    pub lang: Lang,
    pub user_name: Option<String>,
    pub csrf: String,
    /// Path and query of this page, for the language switch link.
    pub here: String,
    pub demo: bool,
    pub asset_v: &'static str,
    /// A confirmation message after a successful form submission.
    pub notice: Option<String>,
}

impl Chrome {
    pub fn new(state: &Shared, parts_lang: Lang, session: Option<&Session>, here: &str) -> Chrome {
        Chrome {
            t: msgs(parts_lang),
            lang: parts_lang,
            user_name: session.map(|s| s.user.full_name.clone()),
            csrf: session.map(|s| s.csrf.clone()).unwrap_or_default(),
            here: here.to_string(),
            demo: state.demo(),
            asset_v: super::static_files::VERSION,
            notice: None,
        }
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    /// URL of this page in the other language.
    pub fn other_lang_href(&self) -> String {
        let other = match self.lang {
            Lang::Vi => "en",
            Lang::En => "vi",
        };
        let next: String = form_urlencoded::byte_serialize(self.here.as_bytes()).collect();
        format!("/lang/{other}?next={next}")
    }

    pub fn with_notice(mut self, notice: Option<String>) -> Chrome {
        self.notice = notice;
        self
    }
}

/// Formats an integer with dots between thousands, the Vietnamese way
/// (1.000.000); English uses commas.
pub fn num(lang: Lang, n: i64) -> String {
    let s = n.abs().to_string();
    let sep = match lang {
        Lang::Vi => '.',
        Lang::En => ',',
    };
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// An ISO date (yyyy-mm-dd) as dd/mm/yyyy.
pub fn vn_date(iso: &str) -> String {
    let p: Vec<&str> = iso.split('-').collect();
    if p.len() == 3 {
        format!("{}/{}/{}", p[2], p[1], p[0])
    } else {
        iso.to_string()
    }
}

/// Epoch milliseconds as dd/mm/yyyy HH:MM in Vietnam time (UTC+7).
pub fn vn_time(ms: i64) -> String {
    let offset = chrono::FixedOffset::east_opt(7 * 3600).expect("valid offset");
    chrono::DateTime::from_timestamp_millis(ms).map(|t| t.with_timezone(&offset).format("%d/%m/%Y %H:%M").to_string()).unwrap_or_default()
}

/// Today's date in Vietnam (UTC+7).
pub fn today_vn() -> chrono::NaiveDate {
    let offset = chrono::FixedOffset::east_opt(7 * 3600).expect("valid offset");
    chrono::Utc::now().with_timezone(&offset).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_dates_in_vietnamese_style() {
        assert_eq!(num(Lang::Vi, 1_000_000), "1.000.000");
        assert_eq!(num(Lang::En, 1234), "1,234");
        assert_eq!(num(Lang::Vi, 999), "999");
        assert_eq!(num(Lang::Vi, -1500), "-1.500");
        assert_eq!(vn_date("2025-07-01"), "01/07/2025");
        assert_eq!(vn_time(0), "01/01/1970 07:00");
    }
}
