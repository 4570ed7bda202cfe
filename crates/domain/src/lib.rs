//! Pure domain types and legal rules of danchu. No I/O lives here: every
//! function is deterministic and unit-tested, with tests named after the rule
//! IDs of `legal-spec.md` where a rule is enforced.

pub mod accounts;
pub mod audit;
pub mod calendar;
pub mod cccd;
pub mod conference;
pub mod consultation;
pub mod convention;
pub mod decision;
pub mod disclosure;
pub mod draft;
pub mod election;
pub mod inforequest;
pub mod lang;
pub mod lunar;
pub mod opinion;
pub mod people;
pub mod similar;
pub mod text;
pub mod units;

pub use lang::{Lang, Msg};
