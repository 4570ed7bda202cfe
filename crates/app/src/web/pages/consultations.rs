//! Consultations (Dân bàn), the public side: the lists of open
//! consultations, a consultation's page with its draft, comments and
//! statements, and participation (comments, statements, votes).

use crate::web::Shared;
use axum::Router;

/// The public consultation routes.
pub fn routes() -> Router<Shared> {
    Router::new()
}
