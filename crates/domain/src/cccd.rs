//! Citizen identity card numbers (Căn cước công dân, CCCD / căn cước).
//!
//! A CCCD number has 12 digits: a 3-digit code of the province where the
//! birth was registered, one digit for sex and century of birth, two digits
//! for the year of birth, and 6 random digits (Thông tư 07/2016/TT-BCA Art. 7;
//! confidence: likely — the province list is the 63 codes in force before the
//! 2025 mergers, which new cards keep for the place of birth registration).
//!
//! The platform never stores the number itself (non-negotiable 6): only a
//! keyed hash (HMAC-SHA-256 with a secret key kept outside the database),
//! used to find duplicates and match a person, and the last four digits, shown
//! masked as `********1234`.

use crate::Msg;
use chrono::{Datelike, NaiveDate};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Province codes of birth registration that may start a CCCD number.
const PROVINCE_CODES: [u16; 63] = [
    1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52,
    54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
];

/// A syntactically valid CCCD number. Holds the digits only while a request
/// is processed; store [`Cccd::keyed_hash`] and [`Cccd::last4`] instead.
#[derive(Clone, PartialEq, Eq)]
pub struct Cccd(String);

impl std::fmt::Debug for Cccd {
    // Never print the full number, not even in a debug log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Cccd({})", mask(&self.last4()))
    }
}

/// Why a CCCD number was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CccdError {
    #[error("a CCCD number has exactly 12 digits")]
    Length,
    #[error("a CCCD number has digits only")]
    NotDigits,
    #[error("unknown province code")]
    Province,
    #[error("the birth year in the number does not match the date of birth")]
    BirthYearMismatch,
    #[error("the birth year in the number is in the future")]
    FutureYear,
}

impl CccdError {
    pub fn msg(self) -> Msg {
        match self {
            CccdError::Length => Msg::new("Số CCCD phải có đúng 12 chữ số.", "A citizen ID (CCCD) number has exactly 12 digits."),
            CccdError::NotDigits => Msg::new("Số CCCD chỉ gồm chữ số.", "A citizen ID (CCCD) number contains digits only."),
            CccdError::Province => Msg::new(
                "Ba chữ số đầu của số CCCD không phải là mã tỉnh hợp lệ.",
                "The first three digits of the CCCD number are not a valid province code.",
            ),
            CccdError::BirthYearMismatch => Msg::new(
                "Năm sinh trong số CCCD không khớp với ngày sinh.",
                "The birth year encoded in the CCCD number does not match the date of birth.",
            ),
            CccdError::FutureYear => {
                Msg::new("Năm sinh trong số CCCD ở tương lai.", "The birth year encoded in the CCCD number is in the future.")
            }
        }
    }
}

impl Cccd {
    /// Parses a number, ignoring spaces, dots and dashes that people type
    /// between groups of digits.
    pub fn parse(input: &str) -> Result<Cccd, CccdError> {
        let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}')).collect();
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(CccdError::NotDigits);
        }
        if digits.len() != 12 {
            return Err(CccdError::Length);
        }
        let province: u16 = digits[0..3].parse().map_err(|_| CccdError::NotDigits)?;
        if PROVINCE_CODES.binary_search(&province).is_err() {
            return Err(CccdError::Province);
        }
        Ok(Cccd(digits))
    }

    /// Parses and checks the birth year encoded in the number against a
    /// known date of birth and today's date.
    pub fn parse_for(input: &str, birth: Option<NaiveDate>, today: NaiveDate) -> Result<Cccd, CccdError> {
        let c = Cccd::parse(input)?;
        let year = c.birth_year();
        if year > today.year() {
            return Err(CccdError::FutureYear);
        }
        if let Some(b) = birth {
            if b.year() != year {
                return Err(CccdError::BirthYearMismatch);
            }
        }
        Ok(c)
    }

    /// The year of birth that the 4th to 6th digits encode.
    pub fn birth_year(&self) -> i32 {
        let b = self.0.as_bytes();
        let century_digit = (b[3] - b'0') as i32;
        let yy: i32 = self.0[4..6].parse().unwrap_or(0);
        let century = match century_digit {
            0 | 1 => 1900,
            2 | 3 => 2000,
            4 | 5 => 2100,
            6 | 7 => 2200,
            _ => 1800,
        };
        century + yy
    }

    /// The last four digits, the only part that may be shown.
    pub fn last4(&self) -> String {
        self.0[8..].to_string()
    }

    /// HMAC-SHA-256 of the digits under the deployment's secret key, hex.
    pub fn keyed_hash(&self, key: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
        mac.update(b"danchu.cccd.v1:");
        mac.update(self.0.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

/// How a stored CCCD is shown: eight stars and the last four digits.
pub fn mask(last4: &str) -> String {
    format!("********{last4}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn province_codes_are_sorted_for_binary_search() {
        assert!(PROVINCE_CODES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn accepts_a_valid_number_with_separators() {
        let c = Cccd::parse("038 0 85 012345").unwrap();
        assert_eq!(c.last4(), "2345");
        assert_eq!(c.birth_year(), 1985);
    }

    #[test]
    fn refuses_wrong_length_letters_and_unknown_province() {
        assert_eq!(Cccd::parse("03808501234"), Err(CccdError::Length));
        assert_eq!(Cccd::parse("0380850123456"), Err(CccdError::Length));
        assert_eq!(Cccd::parse("03808501234a"), Err(CccdError::NotDigits));
        assert_eq!(Cccd::parse("003085012345"), Err(CccdError::Province));
        assert_eq!(Cccd::parse("097085012345"), Err(CccdError::Province));
        assert_eq!(Cccd::parse(""), Err(CccdError::Length));
    }

    #[test]
    fn century_digit_encodes_sex_and_century() {
        assert_eq!(Cccd::parse("038185012345").unwrap().birth_year(), 1985);
        assert_eq!(Cccd::parse("038205012345").unwrap().birth_year(), 2005);
        assert_eq!(Cccd::parse("038305012345").unwrap().birth_year(), 2005);
        assert_eq!(Cccd::parse("038899012345").unwrap().birth_year(), 1899);
    }

    #[test]
    fn birth_year_must_match_date_of_birth() {
        let today = d(2026, 11, 28);
        assert!(Cccd::parse_for("038085012345", Some(d(1985, 3, 1)), today).is_ok());
        assert_eq!(Cccd::parse_for("038085012345", Some(d(1986, 3, 1)), today), Err(CccdError::BirthYearMismatch));
        assert_eq!(Cccd::parse_for("038230012345", None, today), Err(CccdError::FutureYear));
    }

    #[test]
    fn keyed_hash_depends_on_key_and_number_and_debug_hides_digits() {
        let a = Cccd::parse("038085012345").unwrap();
        let b = Cccd::parse("038085012346").unwrap();
        assert_ne!(a.keyed_hash(b"k1"), a.keyed_hash(b"k2"));
        assert_ne!(a.keyed_hash(b"k1"), b.keyed_hash(b"k1"));
        assert_eq!(a.keyed_hash(b"k1").len(), 64);
        let dbg = format!("{a:?}");
        assert!(!dbg.contains("038085"), "{dbg}");
        assert!(dbg.contains("2345"));
    }
}
