//! Integration tests through the real router, each on a fresh database, on
//! SQLite and on PostgreSQL (`name::sqlite`, `name::postgres`).

pub mod harness;
pub mod smtp;

mod accounts;
mod audit_trail;
mod authz;
mod bad_input;
mod conferences;
mod consultation_admin_pages;
mod consultation_pages;
mod consultations;
mod conventions;
mod decision_admin_pages;
mod decision_crash;
mod decision_documents;
mod decision_pages;
mod decisions;
mod disclosures;
mod durability;
mod elections;
mod group_commit;
mod households;
mod inforequests;
mod ops;
mod public;
