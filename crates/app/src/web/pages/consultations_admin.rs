//! Consultations (Dân bàn), the officials' side: creating a consultation
//! and its plan, versions of the draft, publication, opinions received
//! offline, moderation, responses, and the synthesis.

use crate::web::Shared;
use axum::Router;

/// The officials' consultation routes.
pub fn routes() -> Router<Shared> {
    Router::new()
}
