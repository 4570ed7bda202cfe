//! The one data layer of danchu. Every SQL statement of the platform lives in
//! this crate, written once for both SQLite (embedded, the default) and
//! PostgreSQL (several stateless app nodes sharing one database). The
//! backend is chosen once, from the scheme of the database URL.
//!
//! Conventions: placeholders are `$1, $2, …` (both dialects accept them),
//! booleans are 0/1 integers, dates are ISO text, instants are epoch
//! milliseconds. Every multi-statement write runs in one transaction obtained
//! from [`Store::write`].

pub mod accounts;
pub mod audit;
mod batch;
pub mod calendar;
pub mod conferences;
pub mod consultations;
pub mod conventions;
mod db;
pub mod decision_docs;
pub mod decisions;
pub mod disclosures;
pub mod elections;
pub mod households;
pub mod idempotency;
pub mod imports;
pub mod inforequests;
pub mod jobs;
pub mod meta;
mod migrate;
pub mod notifications;
pub mod units;

pub use batch::BoxFut;
pub use db::{now_ms, Backend, Store, StoreError, StoreOptions, Tx};
/// The driver's error type, for callers that commit transactions.
pub type DbError = sqlx::Error;
