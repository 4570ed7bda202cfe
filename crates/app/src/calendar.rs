//! The working-day calendar as the platform uses it: the statutory rules of
//! `danchu_domain::calendar` plus the yearly announcements kept in the
//! database (so every node computes the same deadlines).

use crate::error::AppResult;
use chrono::NaiveDate;
use danchu_domain::calendar::Calendar;
use danchu_store::{calendar, Store, Tx};

fn build(days: &[calendar::CalendarDay]) -> Calendar {
    let mut off = Vec::new();
    let mut working = Vec::new();
    let mut not_off = Vec::new();
    for d in days {
        let Ok(date) = NaiveDate::parse_from_str(&d.day, "%Y-%m-%d") else { continue };
        match d.kind.as_str() {
            "off" => off.push(date),
            "working" => working.push(date),
            "not_off" => not_off.push(date),
            _ => {}
        }
    }
    Calendar::with_overrides(&off, &working, &not_off)
}

/// The calendar in force: one small query.
pub async fn load(store: &Store) -> AppResult<Calendar> {
    Ok(build(&calendar::all(store).await?))
}

/// The calendar, read inside a write transaction.
pub async fn load_tx(tx: &mut Tx) -> AppResult<Calendar> {
    Ok(build(&calendar::all_tx(tx).await?))
}
