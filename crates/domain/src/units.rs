//! Administrative units and the organisations attached to them.
//!
//! Since 1 July 2025 local government has two levels, province and commune
//! (R11.1); the commune level is a xã, phường or đặc khu (R11.2), and under it
//! live the villages: thôn in a xã, tổ dân phố in a phường (R11.4). Agencies,
//! public service units and enterprises are units too, attached to the
//! province or to a commune. Codes were reused by the 2025 reform, so a unit
//! is identified by (era, code), never by code alone.

use crate::{text, Msg};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The kind of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Province,
    /// District level, abolished on 1 July 2025; kept for history.
    District,
    Xa,
    Phuong,
    /// Thị trấn, abolished on 1 July 2025; kept for history.
    ThiTran,
    DacKhu,
    Thon,
    ToDanPho,
    Agency,
    PublicServiceUnit,
    StateEnterprise,
    Enterprise,
}

/// Where a kind sits in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Province,
    District,
    Commune,
    Village,
    Organisation,
}

impl UnitKind {
    pub const ALL: [UnitKind; 12] = [
        UnitKind::Province,
        UnitKind::District,
        UnitKind::Xa,
        UnitKind::Phuong,
        UnitKind::ThiTran,
        UnitKind::DacKhu,
        UnitKind::Thon,
        UnitKind::ToDanPho,
        UnitKind::Agency,
        UnitKind::PublicServiceUnit,
        UnitKind::StateEnterprise,
        UnitKind::Enterprise,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Province => "province",
            UnitKind::District => "district",
            UnitKind::Xa => "xa",
            UnitKind::Phuong => "phuong",
            UnitKind::ThiTran => "thi_tran",
            UnitKind::DacKhu => "dac_khu",
            UnitKind::Thon => "thon",
            UnitKind::ToDanPho => "to_dan_pho",
            UnitKind::Agency => "agency",
            UnitKind::PublicServiceUnit => "public_service_unit",
            UnitKind::StateEnterprise => "state_enterprise",
            UnitKind::Enterprise => "enterprise",
        }
    }

    pub fn parse(s: &str) -> Option<UnitKind> {
        UnitKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The type word as the official lists write it (`xã`, `phường`, …).
    pub fn from_official_type(s: &str) -> Option<UnitKind> {
        match text::fold(s).as_str() {
            "xa" => Some(UnitKind::Xa),
            "phuong" => Some(UnitKind::Phuong),
            "thi tran" => Some(UnitKind::ThiTran),
            "dac khu" => Some(UnitKind::DacKhu),
            "thon" => Some(UnitKind::Thon),
            "to dan pho" => Some(UnitKind::ToDanPho),
            _ => None,
        }
    }

    pub fn level(self) -> Level {
        match self {
            UnitKind::Province => Level::Province,
            UnitKind::District => Level::District,
            UnitKind::Xa | UnitKind::Phuong | UnitKind::ThiTran | UnitKind::DacKhu => Level::Commune,
            UnitKind::Thon | UnitKind::ToDanPho => Level::Village,
            UnitKind::Agency | UnitKind::PublicServiceUnit | UnitKind::StateEnterprise | UnitKind::Enterprise => Level::Organisation,
        }
    }

    /// The kind of the villages of a commune-level unit: thôn in a xã, tổ
    /// dân phố in a phường (R11.4). In a đặc khu the type is decided locally
    /// (unverified): we default to thôn and let officials choose.
    pub fn village_kind(self) -> Option<UnitKind> {
        match self {
            UnitKind::Xa | UnitKind::DacKhu | UnitKind::ThiTran => Some(UnitKind::Thon),
            UnitKind::Phuong => Some(UnitKind::ToDanPho),
            _ => None,
        }
    }

    pub fn label(self) -> Msg {
        let (vi, en) = match self {
            UnitKind::Province => ("Tỉnh", "Province"),
            UnitKind::District => ("Huyện (trước 2025)", "District (before 2025)"),
            UnitKind::Xa => ("Xã", "Commune"),
            UnitKind::Phuong => ("Phường", "Ward"),
            UnitKind::ThiTran => ("Thị trấn (trước 2025)", "Township (before 2025)"),
            UnitKind::DacKhu => ("Đặc khu", "Special zone"),
            UnitKind::Thon => ("Thôn", "Village"),
            UnitKind::ToDanPho => ("Tổ dân phố", "Residential group"),
            UnitKind::Agency => ("Cơ quan", "Agency"),
            UnitKind::PublicServiceUnit => ("Đơn vị sự nghiệp công lập", "Public service unit"),
            UnitKind::StateEnterprise => ("Doanh nghiệp nhà nước", "State-owned enterprise"),
            UnitKind::Enterprise => ("Doanh nghiệp", "Enterprise"),
        };
        Msg::new(vi, en)
    }

    /// Whether a unit of this kind may be attached under a parent of kind
    /// `parent` in the current (2025) structure.
    pub fn may_be_child_of(self, parent: UnitKind) -> bool {
        match self.level() {
            Level::Commune => parent == UnitKind::Province,
            Level::Village => parent.village_kind().is_some(),
            Level::Organisation => matches!(parent.level(), Level::Province | Level::Commune),
            Level::District => parent == UnitKind::Province,
            Level::Province => false,
        }
    }
}

/// The administrative structure a code belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Era {
    /// Three levels, in force until 30 June 2025.
    Pre2025,
    /// Two levels, in force since 1 July 2025.
    Current,
}

impl Era {
    pub fn as_str(self) -> &'static str {
        match self {
            Era::Pre2025 => "pre2025",
            Era::Current => "current",
        }
    }

    pub fn parse(s: &str) -> Option<Era> {
        match s {
            "pre2025" => Some(Era::Pre2025),
            "current" => Some(Era::Current),
            _ => None,
        }
    }
}

/// First day of the two-level structure (Law 72/2025/QH15, R11.1).
pub fn reform_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).expect("valid date")
}

/// The short name: the official name without its type prefix
/// ("Phường Hạc Thành" → "Hạc Thành").
pub fn short_name(name: &str) -> String {
    for prefix in ["Thành phố ", "Thị xã ", "Thị trấn ", "Phường ", "Huyện ", "Xã ", "Đặc khu ", "Tổ dân phố ", "Thôn "]
    {
        if let Some(rest) = name.strip_prefix(prefix) {
            return rest.to_string();
        }
    }
    name.to_string()
}

/// A validated name for a new unit (village, agency, enterprise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitName(String);

impl UnitName {
    pub fn parse(input: &str) -> Result<UnitName, Msg> {
        let s = text::clean_line(input);
        if s.is_empty() {
            return Err(Msg::new("Tên không được để trống.", "The name must not be empty."));
        }
        if s.chars().count() > 120 {
            return Err(Msg::new("Tên dài quá 120 ký tự.", "The name is longer than 120 characters."));
        }
        Ok(UnitName(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A village's full name with its type word: "Thôn Đông" for a thôn named
/// "Đông"; names already starting with the type word are kept.
pub fn village_full_name(kind: UnitKind, name: &UnitName) -> String {
    let prefix = match kind {
        UnitKind::ToDanPho => "Tổ dân phố",
        _ => "Thôn",
    };
    let (folded, p) = (text::fold(name.as_str()), text::fold(prefix));
    if folded == p || folded.starts_with(&format!("{p} ")) {
        name.as_str().to_string()
    } else {
        format!("{prefix} {}", name.as_str())
    }
}

/// The code of the n-th village of a commune: the commune code, a dot, and a
/// 3-digit sequence ("14758.007"). Villages have no national code.
pub fn village_code(commune_code: &str, seq: u32) -> String {
    format!("{commune_code}.{seq:03}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r11_4_village_kind_follows_commune_kind() {
        assert_eq!(UnitKind::Xa.village_kind(), Some(UnitKind::Thon));
        assert_eq!(UnitKind::Phuong.village_kind(), Some(UnitKind::ToDanPho));
        assert_eq!(UnitKind::Province.village_kind(), None);
        assert_eq!(UnitKind::Thon.village_kind(), None);
    }

    #[test]
    fn r11_1_two_level_structure_attachment_rules() {
        assert!(UnitKind::Xa.may_be_child_of(UnitKind::Province));
        assert!(!UnitKind::Xa.may_be_child_of(UnitKind::District));
        assert!(UnitKind::Thon.may_be_child_of(UnitKind::Xa));
        assert!(!UnitKind::Thon.may_be_child_of(UnitKind::Province));
        assert!(UnitKind::Agency.may_be_child_of(UnitKind::Province));
        assert!(UnitKind::Enterprise.may_be_child_of(UnitKind::Phuong));
        assert!(!UnitKind::Enterprise.may_be_child_of(UnitKind::Thon));
        assert!(!UnitKind::Province.may_be_child_of(UnitKind::Province));
    }

    #[test]
    fn kinds_round_trip_and_official_types_parse() {
        for k in UnitKind::ALL {
            assert_eq!(UnitKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(UnitKind::from_official_type("phường"), Some(UnitKind::Phuong));
        assert_eq!(UnitKind::from_official_type("thị trấn"), Some(UnitKind::ThiTran));
        assert_eq!(UnitKind::from_official_type("quận"), None);
    }

    #[test]
    fn short_names_drop_the_type_prefix() {
        assert_eq!(short_name("Phường Hạc Thành"), "Hạc Thành");
        assert_eq!(short_name("Xã Mường Lát"), "Mường Lát");
        assert_eq!(short_name("Thị trấn Ngọc Lặc"), "Ngọc Lặc");
        assert_eq!(short_name("Bản Khó"), "Bản Khó");
    }

    #[test]
    fn village_names_and_codes() {
        let n = UnitName::parse("  Đông  Hòa ").unwrap();
        assert_eq!(village_full_name(UnitKind::Thon, &n), "Thôn Đông Hòa");
        let n = UnitName::parse("Tổ dân phố 3").unwrap();
        assert_eq!(village_full_name(UnitKind::ToDanPho, &n), "Tổ dân phố 3");
        // "Thống Nhất" folds to "thong nhat", which starts with "thon": still a name.
        let n = UnitName::parse("Thống Nhất").unwrap();
        assert_eq!(village_full_name(UnitKind::Thon, &n), "Thôn Thống Nhất");
        let n = UnitName::parse("thôn Đông").unwrap();
        assert_eq!(village_full_name(UnitKind::Thon, &n), "thôn Đông");
        assert!(UnitName::parse("   ").is_err());
        assert!(UnitName::parse(&"a".repeat(121)).is_err());
        assert_eq!(village_code("14758", 7), "14758.007");
    }
}
