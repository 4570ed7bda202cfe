//! Households (hộ gia đình) and their members.
//!
//! The voting unit of a residential community is the household, represented
//! by its household representative (đại diện hộ gia đình): an adult with full
//! civil capacity who can represent the household (C0.3, Law Art. 18(2)).

use crate::{text, Msg};
use chrono::{Datelike, NaiveDate};

/// Age of majority (người thành niên), Civil Code 2015 Art. 20.
pub const AGE_OF_MAJORITY: u32 = 18;

/// A person's full name, NFC, one line, 2–100 characters, letters, spaces and
/// a few punctuation marks only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullName(String);

impl FullName {
    pub fn parse(input: &str) -> Result<FullName, Msg> {
        let s = text::clean_line(input);
        let n = s.chars().count();
        if n == 0 {
            return Err(Msg::new("Họ và tên không được để trống.", "The full name must not be empty."));
        }
        if !(2..=100).contains(&n) {
            return Err(Msg::new("Họ và tên phải dài từ 2 đến 100 ký tự.", "The full name must be 2 to 100 characters long."));
        }
        if !s.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '\'' || c == '-' || c == '.') {
            return Err(Msg::new("Họ và tên chỉ gồm chữ cái và dấu cách.", "The full name may contain letters and spaces only."));
        }
        Ok(FullName(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A household code (mã hộ) as the commune keeps it: 1–30 letters, digits,
/// dots, dashes or slashes, stored upper-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HouseholdCode(String);

impl HouseholdCode {
    pub fn parse(input: &str) -> Result<HouseholdCode, Msg> {
        let s = text::clean_line(input).to_uppercase();
        if s.is_empty() {
            return Err(Msg::new("Mã hộ không được để trống.", "The household code must not be empty."));
        }
        if s.len() > 30 || !s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '/' | '_')) {
            return Err(Msg::new(
                "Mã hộ chỉ gồm chữ cái không dấu, chữ số và các dấu . - / _ (tối đa 30 ký tự).",
                "A household code has up to 30 unaccented letters, digits and . - / _ only.",
            ));
        }
        Ok(HouseholdCode(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Parses a date as Vietnamese documents write it (dd/mm/yyyy, d/m/yyyy,
/// dd-mm-yyyy, dd.mm.yyyy) or as ISO (yyyy-mm-dd).
pub fn parse_date(input: &str) -> Result<NaiveDate, Msg> {
    let s = input.trim();
    let bad = || {
        Msg::new(
            format!("Ngày \"{s}\" không hợp lệ; hãy viết theo dạng ngày/tháng/năm, ví dụ 05/03/1985."),
            format!("Date \"{s}\" is not valid; write it as day/month/year, e.g. 05/03/1985."),
        )
    };
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(d);
    }
    let parts: Vec<&str> = s.split(['/', '-', '.']).collect();
    if parts.len() != 3 || parts[2].len() != 4 {
        return Err(bad());
    }
    let (d, m, y) = (parts[0].parse::<u32>(), parts[1].parse::<u32>(), parts[2].parse::<i32>());
    match (d, m, y) {
        (Ok(d), Ok(m), Ok(y)) => NaiveDate::from_ymd_opt(y, m, d).ok_or_else(bad),
        _ => Err(bad()),
    }
}

/// Whole years of age on `at`.
pub fn age_on(birth: NaiveDate, at: NaiveDate) -> u32 {
    let mut years = at.year() - birth.year();
    if (at.month(), at.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years.max(0) as u32
}

/// Whether a person is an adult (≥ 18) on `at`: a precondition for being the
/// household representative (C0.3).
pub fn is_adult_on(birth: NaiveDate, at: NaiveDate) -> bool {
    age_on(birth, at) >= AGE_OF_MAJORITY
}

/// A member as given for validation of a household.
#[derive(Debug, Clone)]
pub struct MemberFacts {
    pub birth: NaiveDate,
    pub is_head: bool,
    pub marked_representative: bool,
}

/// Chooses the household representative (C0.3): the member marked as
/// representative if any (who must then be an adult), otherwise the head of
/// household if adult, otherwise the oldest adult. Returns the member index.
pub fn choose_representative(members: &[MemberFacts], at: NaiveDate) -> Result<usize, Msg> {
    let marked: Vec<usize> = members.iter().enumerate().filter(|(_, m)| m.marked_representative).map(|(i, _)| i).collect();
    if marked.len() > 1 {
        return Err(Msg::new("Một hộ chỉ có một người đại diện.", "A household has exactly one representative."));
    }
    if let Some(&i) = marked.first() {
        if !is_adult_on(members[i].birth, at) {
            return Err(Msg::new(
                "Người đại diện hộ phải là người thành niên (đủ 18 tuổi).",
                "The household representative must be an adult (18 or older).",
            ));
        }
        return Ok(i);
    }
    if let Some(i) = members.iter().position(|m| m.is_head && is_adult_on(m.birth, at)) {
        return Ok(i);
    }
    members.iter().enumerate().filter(|(_, m)| is_adult_on(m.birth, at)).min_by_key(|(_, m)| m.birth).map(|(i, _)| i).ok_or_else(|| {
        Msg::new(
            "Hộ không có thành viên nào đủ 18 tuổi để làm đại diện hộ; hãy ghi người được các thành viên ủy quyền.",
            "No member of the household is 18 or older to represent it; record the person the members authorised.",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn names_are_cleaned_and_checked() {
        assert_eq!(FullName::parse("  nguyễn   Văn An ").unwrap().as_str(), "nguyễn Văn An");
        assert!(FullName::parse("").is_err());
        assert!(FullName::parse("A").is_err());
        assert!(FullName::parse("Nguyễn Văn 3").is_err());
        assert!(FullName::parse(&"a".repeat(101)).is_err());
    }

    #[test]
    fn household_codes_are_upper_case_ascii() {
        assert_eq!(HouseholdCode::parse(" hk-001 ").unwrap().as_str(), "HK-001");
        assert!(HouseholdCode::parse("hộ 1").is_err());
        assert!(HouseholdCode::parse("").is_err());
    }

    #[test]
    fn dates_in_vietnamese_and_iso_forms() {
        assert_eq!(parse_date("05/03/1985").unwrap(), d(1985, 3, 5));
        assert_eq!(parse_date("5-3-1985").unwrap(), d(1985, 3, 5));
        assert_eq!(parse_date("1985-03-05").unwrap(), d(1985, 3, 5));
        assert!(parse_date("31/02/1985").is_err());
        assert!(parse_date("05/03/85").is_err());
        assert!(parse_date("hôm qua").is_err());
    }

    #[test]
    fn c0_3_representative_must_be_adult_boundary_is_the_18th_birthday() {
        let born = d(2008, 11, 28);
        assert!(!is_adult_on(born, d(2026, 11, 27)));
        assert!(is_adult_on(born, d(2026, 11, 28)));
        let members = [MemberFacts { birth: born, is_head: true, marked_representative: true }];
        assert!(choose_representative(&members, d(2026, 11, 27)).is_err());
        assert_eq!(choose_representative(&members, d(2026, 11, 28)).unwrap(), 0);
    }

    #[test]
    fn c0_3_representative_defaults_to_adult_head_then_oldest_adult() {
        let at = d(2026, 1, 1);
        let child_head = MemberFacts { birth: d(2010, 1, 1), is_head: true, marked_representative: false };
        let mother = MemberFacts { birth: d(1980, 1, 1), is_head: false, marked_representative: false };
        let grandma = MemberFacts { birth: d(1950, 1, 1), is_head: false, marked_representative: false };
        assert_eq!(choose_representative(&[child_head.clone(), mother.clone(), grandma.clone()], at).unwrap(), 2);
        let head = MemberFacts { is_head: true, ..mother.clone() };
        assert_eq!(choose_representative(&[grandma.clone(), head], at).unwrap(), 1);
        assert!(choose_representative(&[child_head], at).is_err());
    }

    #[test]
    fn c0_3_one_representative_per_household() {
        let at = d(2026, 1, 1);
        let a = MemberFacts { birth: d(1980, 1, 1), is_head: false, marked_representative: true };
        assert!(choose_representative(&[a.clone(), a], at).is_err());
    }
}
