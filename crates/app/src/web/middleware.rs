//! Middleware: security headers, the cross-origin check on unsafe methods,
//! metrics and the one place where errors are logged and rendered.

use super::chrome::lang_of;
use super::i18n::{fill, msgs};
use super::pages::ErrorPage;
use super::Shared;
use crate::error::ErrorInfo;
use askama::Template;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use std::time::Instant;

/// Security headers on every response.
pub async fn security_headers(State(state): State<Shared>, req: Request, next: Next) -> Response {
    // The vendored Swagger UI sets inline styles; only its pages get them.
    let docs = req.uri().path().starts_with("/api/docs");
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    let csp = if docs {
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    } else {
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    };
    // A handler may set a stricter policy (attachments are sandboxed).
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(csp));
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=()"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    if state.ctx.cfg.cookies_secure() {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    resp
}

/// Refuses unsafe requests sent by another site: `Sec-Fetch-Site` must be
/// same-origin (or absent for non-browser clients), and an `Origin` header,
/// when present, must name this host. First layer of CSRF defence; the
/// per-form token is the second.
pub async fn cross_origin_guard(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        let site = req.headers().get("sec-fetch-site").and_then(|v| v.to_str().ok());
        if let Some(site) = site {
            if site != "same-origin" && site != "none" {
                return crate::error::AppError::Csrf.into_response();
            }
        }
        if let Some(origin) = req.headers().get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
            let host = req.headers().get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
            let origin_host = origin.split("://").nth(1).unwrap_or("");
            if origin != "null" && origin_host != host {
                return crate::error::AppError::Csrf.into_response();
            }
        }
    }
    next.run(req).await
}

/// Counts requests and their latency per route.
pub async fn metrics(State(state): State<Shared>, req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string()).unwrap_or_else(|| "unmatched".into());
    let method = req.method().clone();
    let start = Instant::now();
    state.metrics.start();
    let resp = next.run(req).await;
    let secs = start.elapsed().as_secs_f64();
    state.metrics.finish(&route, &method, resp.status().as_u16(), secs);
    // One access line per request (target danchu::access; silence it with
    // log_level = "info,danchu::access=warn"). The query string is never logged.
    let status = resp.status().as_u16();
    let duration_ms = secs * 1000.0;
    tracing::event!(target: "danchu::access", tracing::Level::INFO, http.method = %method, http.route = %route, http.status = status, http.duration_ms = duration_ms, "request");
    resp
}

fn wants_json(req_path: &str, accept: Option<&str>) -> bool {
    req_path.starts_with("/api/") || accept.is_some_and(|a| a.contains("application/json") && !a.contains("text/html"))
}

/// Turns error responses into a Vietnamese/English HTML page or a JSON body,
/// and logs each error once. Responses a handler rendered itself (HTML or
/// JSON bodies, e.g. a form shown again with its errors) pass through.
pub async fn render_errors(State(state): State<Shared>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let lang = lang_of(&parts);
    let path = parts.uri.path().to_string();
    let method = parts.method.clone();
    let json = wants_json(&path, parts.headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()));
    let resp = next.run(Request::from_parts(parts, body)).await;
    let status = resp.status();
    if status.as_u16() < 400 {
        return resp;
    }
    let info = resp.extensions().get::<ErrorInfo>().cloned();
    let ct = resp.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let own_body = ct.starts_with("text/html") || ct.starts_with("application/json");
    if info.is_none() && own_body {
        return resp;
    }
    let info = info.unwrap_or(ErrorInfo { code: code_for(status), messages: vec![], fields: vec![], internal: None });
    if status.is_server_error() {
        tracing::error!(http.method = %method, http.path = %path, http.status = status.as_u16(), error.code = info.code, error.detail = info.internal.as_deref().unwrap_or(""), "request failed");
    } else {
        tracing::info!(http.method = %method, http.path = %path, http.status = status.as_u16(), error.code = info.code, "request refused");
    }
    let t = msgs(lang);
    let mut lines: Vec<String> = info.messages.iter().map(|m| m.get(lang).to_string()).collect();
    lines.extend(info.fields.iter().map(|f| f.message.get(lang).to_string()));
    let headline = match status {
        StatusCode::NOT_FOUND => t.err_not_found.to_string(),
        StatusCode::UNAUTHORIZED => t.err_unauthenticated.to_string(),
        StatusCode::FORBIDDEN if info.code == "csrf" => t.err_csrf.to_string(),
        StatusCode::FORBIDDEN => t.err_forbidden.to_string(),
        StatusCode::PAYLOAD_TOO_LARGE => fill(t.err_too_large, &[&(state.ctx.cfg.max_body_bytes / (1024 * 1024)).to_string()]),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => t.err_unsupported_type.to_string(),
        StatusCode::TOO_MANY_REQUESTS => t.err_rate_limited.to_string(),
        StatusCode::UNPROCESSABLE_ENTITY => t.err_validation.to_string(),
        s if s.is_server_error() => t.err_internal.to_string(),
        _ => t.err_bad_request.to_string(),
    };
    let mut out = if json {
        let body = serde_json::json!({
            "error": {
                "code": info.code,
                "message": headline,
                "details": lines,
                "fields": info.fields.iter().map(|f| serde_json::json!({"field": f.field, "message": f.message.get(lang)})).collect::<Vec<_>>(),
            }
        });
        (status, axum::Json(body)).into_response()
    } else {
        let page = ErrorPage::new(&state, lang, headline, lines, status.as_u16());
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, "error").into_response(),
        }
    };
    if status == StatusCode::UNAUTHORIZED && !json {
        out.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    out
}

fn code_for(status: StatusCode) -> &'static str {
    match status.as_u16() {
        404 => "not_found",
        405 => "method_not_allowed",
        408 => "timeout",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        422 => "validation",
        429 => "too_many_requests",
        s if s >= 500 => "internal",
        _ => "bad_request",
    }
}
