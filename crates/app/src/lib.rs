//! danchu: the web server, JSON API, background jobs and command line of the
//! grassroots-democracy platform. See docs/ARCHITECTURE.md.

pub mod backup;
pub mod bench;
pub mod calendar;
pub mod cli;
pub mod conference;
pub mod config;
pub mod consultation;
pub mod context;
pub mod convention;
pub mod decision;
pub mod decision_docs;
pub mod demo;
pub mod demo_disclosures;
pub mod disclosure;
pub mod documents;
pub mod election;
pub mod error;
pub mod import;
pub mod importer;
pub mod jobs;
pub mod keys;
pub mod mail;
pub mod metrics;
pub mod outbox;
pub mod seed;
pub mod server;
pub mod web;
