//! The one application error. Handlers return `Result<_, AppError>`; the
//! error becomes a response carrying an [`ErrorInfo`] extension, and the
//! `render_errors` middleware turns it into a Vietnamese (or English) HTML
//! page or a JSON body for the API, and logs it once.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use danchu_domain::Msg;
use danchu_store::StoreError;

/// A form field's error.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: Msg,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("sign-in required")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("invalid CSRF token")]
    Csrf,
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("bad request")]
    BadRequest(Msg),
    #[error("conflict")]
    Conflict(Msg),
    #[error("too many requests")]
    TooManyRequests(Msg),
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("internal: {0}")]
    Internal(String),
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden => "forbidden",
            AppError::Csrf => "csrf",
            AppError::Validation(_) => "validation",
            AppError::BadRequest(_) => "bad_request",
            AppError::Conflict(_) => "conflict",
            AppError::TooManyRequests(_) => "too_many_requests",
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::UnsupportedMediaType => "unsupported_media_type",
            AppError::Internal(_) => "internal",
        }
    }

    pub fn validation(field: &str, message: Msg) -> AppError {
        AppError::Validation(vec![FieldError { field: field.to_string(), message }])
    }

    pub fn internal(e: impl std::fmt::Display) -> AppError {
        AppError::Internal(e.to_string())
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(what) => AppError::Conflict(Msg::new(
                format!("Dữ liệu trùng với dữ liệu đã có ({what})."),
                format!("This duplicates an existing record ({what})."),
            )),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<danchu_store::DbError> for AppError {
    fn from(e: danchu_store::DbError) -> Self {
        StoreError::from(e).into()
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

/// What the error middleware needs to render the response.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub code: &'static str,
    pub messages: Vec<Msg>,
    pub fields: Vec<FieldError>,
    pub internal: Option<String>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let (messages, fields, internal) = match &self {
            AppError::Validation(f) => (vec![], f.clone(), None),
            AppError::BadRequest(m) | AppError::Conflict(m) | AppError::TooManyRequests(m) => (vec![m.clone()], vec![], None),
            AppError::Internal(s) => (vec![], vec![], Some(s.clone())),
            _ => (vec![], vec![], None),
        };
        let mut resp = status.into_response();
        resp.extensions_mut().insert(ErrorInfo { code: self.code(), messages, fields, internal });
        resp
    }
}

pub type AppResult<T> = Result<T, AppError>;
