//! The working-day calendar shared by every statutory deadline (C0.1, C0.2).
//!
//! Calendar days (ngày) and working days (ngày làm việc) are different units
//! and never mixed: a [`Period`] carries its unit. State agencies work Monday
//! to Friday (Decision 188/1999/QĐ-TTg); public holidays are those of the
//! Labour Code 2019 Art. 112, two of them lunar (Tết Nguyên đán and Giỗ Tổ
//! Hùng Vương, from [`crate::lunar`]). What the Government announces each year
//! — which exact days of Tết and of Quốc khánh are off, compensatory days and
//! swapped working Saturdays — is data ([`Calendar::with_overrides`]), kept in
//! a dated table an administrator edits.

use crate::lunar;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use std::collections::BTreeSet;

/// A length of time with its unit (C0.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// Calendar days (ngày).
    Days(u32),
    /// Working days (ngày làm việc).
    WorkingDays(u32),
}

/// A public holiday of the Labour Code 2019, Art. 112(1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Holiday {
    NewYear,
    Tet,
    HungKings,
    Reunification,
    Labour,
    National,
}

/// The calendar: the statutory holidays plus the yearly announcements.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    /// Extra days off announced for a year (e.g. the exact Tết days, a bridge
    /// day, a compensatory day, or a new holiday).
    days_off: BTreeSet<NaiveDate>,
    /// Weekend days made working days by a swap (hoán đổi ngày làm việc).
    working_weekend_days: BTreeSet<NaiveDate>,
    /// Days that the default rules would mark off but the year's announcement
    /// keeps as working days (e.g. when Tết days are placed differently).
    not_off: BTreeSet<NaiveDate>,
}

impl Calendar {
    /// The statutory calendar without yearly announcements.
    pub fn standard() -> Calendar {
        Calendar::default()
    }

    /// The statutory calendar with a year's announcements applied.
    pub fn with_overrides(days_off: &[NaiveDate], working_weekend_days: &[NaiveDate], not_off: &[NaiveDate]) -> Calendar {
        Calendar {
            days_off: days_off.iter().copied().collect(),
            working_weekend_days: working_weekend_days.iter().copied().collect(),
            not_off: not_off.iter().copied().collect(),
        }
    }

    /// The statutory holidays of a year by the default rules: 1 January; Tết
    /// as the last day of the old lunar year and the first four of the new
    /// one (the usual arrangement; the Government fixes it each year);
    /// 10/3 lunar; 30 April; 1 May; 2 September and the day after (the law
    /// says one adjacent day, chosen each year).
    pub fn statutory_holidays(year: i32) -> Vec<(NaiveDate, Holiday)> {
        let d = |m, day| NaiveDate::from_ymd_opt(year, m, day).expect("valid date");
        let mut out = vec![(d(1, 1), Holiday::NewYear)];
        let tet = lunar::tet(year);
        for offset in -1i64..=3 {
            let day = if offset < 0 { tet - Days::new(1) } else { tet + Days::new(offset as u64) };
            out.push((day, Holiday::Tet));
        }
        out.push((lunar::hung_kings_day(year), Holiday::HungKings));
        out.push((d(4, 30), Holiday::Reunification));
        out.push((d(5, 1), Holiday::Labour));
        out.push((d(9, 2), Holiday::National));
        out.push((d(9, 3), Holiday::National));
        out.sort();
        out
    }

    fn is_statutory_holiday(date: NaiveDate) -> bool {
        // Tết of the next lunar year can start on the last day of the solar
        // year, so look at both years.
        [date.year(), date.year() + 1].iter().any(|y| Calendar::statutory_holidays(*y).iter().any(|(d, _)| *d == date))
    }

    /// Whether agencies work on `date`.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        if self.days_off.contains(&date) {
            return false;
        }
        if self.working_weekend_days.contains(&date) {
            return true;
        }
        if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            return false;
        }
        self.not_off.contains(&date) || !Calendar::is_statutory_holiday(date)
    }

    /// The next working day on or after `date`.
    pub fn next_working_day(&self, mut date: NaiveDate) -> NaiveDate {
        while !self.is_working_day(date) {
            date = date.succ_opt().expect("date in range");
        }
        date
    }

    /// The last day of a period that starts with the event on `event` (C0.2):
    /// counting starts the next day; a period in days that ends on a day off
    /// ends on the next working day; a period in working days counts only
    /// working days. Confidence: C0.2 is marked unverified in the spec (Civil
    /// Code 2015 Arts. 147–148 from memory); the rule is kept in this one place.
    pub fn deadline(&self, event: NaiveDate, period: Period) -> NaiveDate {
        match period {
            Period::Days(n) => self.next_working_day(event + Days::new(n as u64)),
            Period::WorkingDays(n) => {
                let mut d = event;
                let mut left = n;
                while left > 0 {
                    d = d.succ_opt().expect("date in range");
                    if self.is_working_day(d) {
                        left -= 1;
                    }
                }
                d
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn weekends_and_fixed_holidays_are_not_working_days() {
        let c = Calendar::standard();
        assert!(c.is_working_day(d(2026, 11, 27))); // Friday
        assert!(!c.is_working_day(d(2026, 11, 28))); // Saturday
        assert!(!c.is_working_day(d(2026, 11, 29))); // Sunday
        assert!(!c.is_working_day(d(2026, 1, 1)));
        assert!(!c.is_working_day(d(2026, 4, 30)));
        assert!(!c.is_working_day(d(2026, 5, 1)));
        assert!(!c.is_working_day(d(2026, 9, 2)));
    }

    #[test]
    fn lunar_holidays_come_from_the_lunar_calendar() {
        let c = Calendar::standard();
        // Tết Bính Ngọ: 17 Feb 2026; the default five days are 16–20 Feb.
        for day in 16..=20 {
            assert!(!c.is_working_day(d(2026, 2, day)), "{day} Feb 2026");
        }
        // Giỗ Tổ Hùng Vương 2024 fell on Thursday 18 April.
        assert!(!c.is_working_day(d(2024, 4, 18)));
        assert!(c.is_working_day(d(2024, 4, 17)));
        assert!(Calendar::statutory_holidays(2026).contains(&(lunar::hung_kings_day(2026), Holiday::HungKings)));
    }

    #[test]
    fn yearly_announcements_override_the_defaults() {
        let swap_saturday = d(2026, 1, 10);
        let bridge = d(2026, 1, 2);
        let c = Calendar::with_overrides(&[bridge], &[swap_saturday], &[]);
        assert!(!c.is_working_day(bridge));
        assert!(c.is_working_day(swap_saturday));
        let kept = Calendar::with_overrides(&[], &[], &[d(2026, 9, 3)]);
        assert!(kept.is_working_day(d(2026, 9, 3)));
    }

    #[test]
    fn c0_1_days_and_working_days_give_different_deadlines() {
        let c = Calendar::standard();
        // Event on Friday 20 Nov 2026.
        let event = d(2026, 11, 20);
        assert_eq!(c.deadline(event, Period::Days(5)), d(2026, 11, 25));
        assert_eq!(c.deadline(event, Period::WorkingDays(5)), d(2026, 11, 27));
    }

    #[test]
    fn c0_2_counting_starts_the_next_day_and_a_day_off_moves_the_end() {
        let c = Calendar::standard();
        // 1 day after Thursday 26 Nov is Friday 27 Nov.
        assert_eq!(c.deadline(d(2026, 11, 26), Period::Days(1)), d(2026, 11, 27));
        // 1 day after Friday ends on Saturday: moved to Monday 30 Nov.
        assert_eq!(c.deadline(d(2026, 11, 27), Period::Days(1)), d(2026, 11, 30));
        // Working days skip the weekend and holidays: 2 working days after
        // Wednesday 29 Apr 2026 (30 Apr, 1 May off; weekend) is Tuesday 5 May.
        assert_eq!(c.deadline(d(2026, 4, 29), Period::WorkingDays(2)), d(2026, 5, 5));
        // Zero-length periods end on the event day (or the next working day).
        assert_eq!(c.deadline(d(2026, 11, 26), Period::WorkingDays(0)), d(2026, 11, 26));
    }

    #[test]
    fn r1_3_five_working_days_across_tet() {
        let c = Calendar::standard();
        // A decision on Friday 13 Feb 2026: Tết closes 16–20 Feb, then the
        // weekend; 5 working days end on Friday 27 Feb.
        assert_eq!(c.deadline(d(2026, 2, 13), Period::WorkingDays(5)), d(2026, 2, 27));
    }
}
