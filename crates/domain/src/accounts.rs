//! Accounts, roles and what each role may do.
//!
//! A role is always held in a unit, and it covers that unit's whole subtree:
//! a commune official of Xã A acts on Xã A and its villages, never on Xã B.
//! One user may hold several roles in several units. The check itself is
//! [`Role::allows`] plus a subtree test done by the caller on unit paths.

use crate::units::Level;
use crate::Msg;
use serde::{Deserialize, Serialize};

/// Roles of the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Công dân.
    Citizen,
    /// Đại diện hộ gia đình (C0.3).
    HouseholdRepresentative,
    /// Trưởng thôn / Tổ trưởng tổ dân phố.
    VillageHead,
    /// Trưởng ban công tác Mặt trận ở thôn, tổ dân phố.
    VillageFrontHead,
    /// Công chức cấp xã.
    CommuneOfficial,
    /// Chủ tịch Ủy ban nhân dân cấp xã.
    CommuneChair,
    /// Cán bộ Ủy ban Mặt trận Tổ quốc cấp xã.
    CommuneFrontOfficer,
    /// Thành viên Ban Thanh tra nhân dân.
    InspectionBoardMember,
    /// Thành viên Ban Giám sát đầu tư của cộng đồng.
    InvestmentSupervisionBoardMember,
    /// Thủ trưởng / quản trị cơ quan, đơn vị, doanh nghiệp.
    AgencyHead,
    /// Cán bộ công đoàn.
    TradeUnionOfficer,
    /// Cán bộ giám sát cấp tỉnh.
    ProvinceSupervisor,
    /// Quản trị hệ thống.
    SystemAdmin,
}

/// Protected actions. Every handler that changes or reveals protected data
/// asks for one of these on a target unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// See the signed-in management pages of a unit.
    ViewUnitAdmin,
    /// Create, rename or close villages of a commune.
    ManageVillages,
    /// Create agencies, public service units and enterprises under a unit.
    ManageOrganisations,
    /// See the household registry (names, masked CCCD) of a village.
    ViewHouseholds,
    /// Add, change or close households and members.
    EditHouseholds,
    /// Import a household file.
    ImportHouseholds,
    /// Create accounts and grant roles within the unit's subtree.
    ManageUsers,
    /// Browse the audit trail of the unit's subtree.
    ViewAudit,
    /// See aggregate statistics of the subtree.
    ViewStatistics,
    /// Publish disclosure items and new versions, record exemptions, adopt
    /// the disclosure plan and the quarterly list (R1.7, R1.10, R1.11).
    PublishDisclosures,
    /// Record postings, broadcasts and relays of a disclosure (R1.5–R1.9).
    RecordDisclosures,
    /// Register and answer information requests (R1.12, R1.13).
    AnswerInfoRequests,
    /// Edit the calendar of days off and swapped working days (C0.2).
    ManageCalendar,
    /// Create, publish and synthesise consultations; moderate and respond
    /// to opinions (R3.3–R3.6).
    ManageConsultations,
    /// Enter opinions received offline: at meetings, on paper, through the
    /// Fatherland Front, mass organisations or the trade union (R3.2, R3.9).
    EnterOpinions,
}

impl Role {
    pub const ALL: [Role; 13] = [
        Role::Citizen,
        Role::HouseholdRepresentative,
        Role::VillageHead,
        Role::VillageFrontHead,
        Role::CommuneOfficial,
        Role::CommuneChair,
        Role::CommuneFrontOfficer,
        Role::InspectionBoardMember,
        Role::InvestmentSupervisionBoardMember,
        Role::AgencyHead,
        Role::TradeUnionOfficer,
        Role::ProvinceSupervisor,
        Role::SystemAdmin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Citizen => "citizen",
            Role::HouseholdRepresentative => "household_representative",
            Role::VillageHead => "village_head",
            Role::VillageFrontHead => "village_front_head",
            Role::CommuneOfficial => "commune_official",
            Role::CommuneChair => "commune_chair",
            Role::CommuneFrontOfficer => "commune_front_officer",
            Role::InspectionBoardMember => "inspection_board_member",
            Role::InvestmentSupervisionBoardMember => "investment_supervision_board_member",
            Role::AgencyHead => "agency_head",
            Role::TradeUnionOfficer => "trade_union_officer",
            Role::ProvinceSupervisor => "province_supervisor",
            Role::SystemAdmin => "system_admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> Msg {
        let (vi, en) = match self {
            Role::Citizen => ("Công dân", "Citizen"),
            Role::HouseholdRepresentative => ("Đại diện hộ gia đình", "Household representative"),
            Role::VillageHead => ("Trưởng thôn / Tổ trưởng tổ dân phố", "Village head"),
            Role::VillageFrontHead => ("Trưởng ban công tác Mặt trận", "Village Front work committee head"),
            Role::CommuneOfficial => ("Công chức cấp xã", "Commune official"),
            Role::CommuneChair => ("Chủ tịch UBND cấp xã", "Commune People's Committee chair"),
            Role::CommuneFrontOfficer => ("Cán bộ Mặt trận Tổ quốc cấp xã", "Commune Fatherland Front officer"),
            Role::InspectionBoardMember => ("Thành viên Ban Thanh tra nhân dân", "People's Inspection Board member"),
            Role::InvestmentSupervisionBoardMember => {
                ("Thành viên Ban Giám sát đầu tư của cộng đồng", "Community Investment Supervision Board member")
            }
            Role::AgencyHead => ("Thủ trưởng cơ quan, đơn vị", "Agency head / administrator"),
            Role::TradeUnionOfficer => ("Cán bộ công đoàn", "Trade union officer"),
            Role::ProvinceSupervisor => ("Cán bộ giám sát cấp tỉnh", "Province supervisor"),
            Role::SystemAdmin => ("Quản trị hệ thống", "System administrator"),
        };
        Msg::new(vi, en)
    }

    /// The levels of unit at which the role may be granted.
    pub fn allowed_levels(self) -> &'static [Level] {
        use Level::*;
        match self {
            Role::Citizen | Role::HouseholdRepresentative | Role::VillageHead | Role::VillageFrontHead => &[Village],
            Role::CommuneOfficial | Role::CommuneChair | Role::CommuneFrontOfficer | Role::InvestmentSupervisionBoardMember => &[Commune],
            Role::InspectionBoardMember => &[Commune, Organisation],
            Role::AgencyHead | Role::TradeUnionOfficer => &[Organisation],
            Role::ProvinceSupervisor | Role::SystemAdmin => &[Province],
        }
    }

    /// What the role allows on units of its subtree.
    pub fn allows(self, action: Action) -> bool {
        use Action::*;
        match self {
            Role::SystemAdmin => true,
            Role::ProvinceSupervisor => matches!(action, ViewUnitAdmin | ViewAudit | ViewStatistics),
            Role::CommuneChair | Role::CommuneOfficial => matches!(
                action,
                ViewUnitAdmin
                    | ManageVillages
                    | ManageOrganisations
                    | ViewHouseholds
                    | EditHouseholds
                    | ImportHouseholds
                    | ManageUsers
                    | ViewAudit
                    | ViewStatistics
                    | PublishDisclosures
                    | RecordDisclosures
                    | AnswerInfoRequests
                    | ManageConsultations
                    | EnterOpinions
            ),
            // The Front collects opinions and passes them on (R3.2).
            Role::CommuneFrontOfficer => matches!(action, ViewUnitAdmin | ViewHouseholds | ViewAudit | ViewStatistics | EnterOpinions),
            // A village head records the posting at the village's community
            // point and the relay to households (R1.5, R1.9).
            // … and enters the opinions given at the village's meeting (R3.2).
            Role::VillageHead => {
                matches!(action, ViewUnitAdmin | ViewHouseholds | EditHouseholds | ViewStatistics | RecordDisclosures | EnterOpinions)
            }
            Role::VillageFrontHead => matches!(action, ViewUnitAdmin | ViewHouseholds | ViewStatistics),
            Role::AgencyHead => matches!(
                action,
                ViewUnitAdmin
                    | ManageUsers
                    | ViewAudit
                    | ViewStatistics
                    | PublishDisclosures
                    | RecordDisclosures
                    | AnswerInfoRequests
                    | ManageConsultations
                    | EnterOpinions
            ),
            // The trade union collects staff and workers' opinions (R3.9, R3.10).
            Role::TradeUnionOfficer => matches!(action, ViewUnitAdmin | ViewStatistics | EnterOpinions),
            Role::InspectionBoardMember | Role::InvestmentSupervisionBoardMember => matches!(action, ViewUnitAdmin | ViewStatistics),
            Role::Citizen | Role::HouseholdRepresentative => false,
        }
    }

    /// Whether a holder of `self` may grant `other` (within the subtree of the
    /// unit where `self` is held). Nobody grants a role above their own.
    pub fn may_grant(self, other: Role) -> bool {
        match self {
            Role::SystemAdmin => true,
            Role::CommuneChair | Role::CommuneOfficial => {
                !matches!(other, Role::SystemAdmin | Role::ProvinceSupervisor | Role::CommuneChair)
                    || (self == Role::CommuneChair && other == Role::CommuneChair)
            }
            Role::AgencyHead => matches!(other, Role::TradeUnionOfficer | Role::InspectionBoardMember | Role::AgencyHead),
            _ => false,
        }
    }
}

/// A username: 3–64 characters, lower-case unaccented letters, digits and . _ -.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(input: &str) -> Result<Username, Msg> {
        let s = input.trim().to_lowercase();
        if !(3..=64).contains(&s.len()) || !s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        {
            return Err(Msg::new(
                "Tên đăng nhập dài 3–64 ký tự, chỉ gồm chữ cái không dấu, chữ số và . _ -",
                "A username has 3–64 characters: unaccented letters, digits and . _ - only.",
            ));
        }
        Ok(Username(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Minimum password length (NIST SP 800-63B asks for at least 8; we ask 10).
pub const MIN_PASSWORD_LEN: usize = 10;

/// Checks a new password: 10–128 characters, not a well-known password, not
/// the username.
pub fn check_new_password(password: &str, username: &str) -> Result<(), Msg> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_LEN {
        return Err(Msg::new(
            format!("Mật khẩu phải có ít nhất {MIN_PASSWORD_LEN} ký tự."),
            format!("The password must have at least {MIN_PASSWORD_LEN} characters."),
        ));
    }
    if n > 128 {
        return Err(Msg::new("Mật khẩu dài quá 128 ký tự.", "The password is longer than 128 characters."));
    }
    const COMMON: [&str; 8] =
        ["1234567890", "123456789a", "matkhau123", "password12", "qwertyuiop", "abc1234567", "1111111111", "0123456789"];
    let lower = password.to_lowercase();
    if COMMON.contains(&lower.as_str())
        || lower == username.to_lowercase()
        || lower.chars().all(|c| c == lower.chars().next().unwrap_or(' '))
    {
        return Err(Msg::new("Mật khẩu quá dễ đoán; hãy chọn mật khẩu khác.", "The password is too easy to guess; choose another one."));
    }
    Ok(())
}

/// A simple e-mail check: one @, a dot in the domain, no spaces.
pub fn parse_email(input: &str) -> Result<String, Msg> {
    let s = input.trim().to_lowercase();
    let ok = s.len() <= 254
        && !s.contains(char::is_whitespace)
        && s.split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.') && !d.contains('@'));
    if ok {
        Ok(s)
    } else {
        Err(Msg::new("Địa chỉ thư điện tử không hợp lệ.", "The e-mail address is not valid."))
    }
}

/// Login throttling: after this many failures for one account within
/// [`LOCKOUT_WINDOW_SECS`], the account is locked for [`LOCKOUT_SECS`].
pub const MAX_FAILED_LOGINS: i64 = 5;
pub const LOCKOUT_WINDOW_SECS: i64 = 15 * 60;
pub const LOCKOUT_SECS: i64 = 15 * 60;
/// Failures from one network address within the window before it is
/// refused too (guards against trying many usernames).
pub const MAX_FAILED_LOGINS_PER_IP: i64 = 30;

/// Whether an account (or address) with `recent_failures` failures inside the
/// window is locked.
pub fn is_locked(recent_failures: i64, limit: i64) -> bool {
    recent_failures >= limit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
            assert!(!r.label().vi.is_empty() && !r.label().en.is_empty());
            assert!(!r.allowed_levels().is_empty());
        }
    }

    #[test]
    fn citizens_have_no_management_rights() {
        for a in [Action::ViewUnitAdmin, Action::ViewHouseholds, Action::ManageUsers, Action::ViewAudit] {
            assert!(!Role::Citizen.allows(a));
            assert!(!Role::HouseholdRepresentative.allows(a));
        }
    }

    #[test]
    fn province_supervisor_sees_aggregates_not_households() {
        assert!(Role::ProvinceSupervisor.allows(Action::ViewStatistics));
        assert!(!Role::ProvinceSupervisor.allows(Action::ViewHouseholds));
        assert!(!Role::ProvinceSupervisor.allows(Action::ImportHouseholds));
    }

    #[test]
    fn village_head_edits_but_does_not_import_or_grant() {
        assert!(Role::VillageHead.allows(Action::EditHouseholds));
        assert!(!Role::VillageHead.allows(Action::ImportHouseholds));
        assert!(!Role::VillageHead.allows(Action::ManageUsers));
    }

    #[test]
    fn nobody_but_admin_grants_admin_or_province_roles() {
        for r in Role::ALL {
            if r != Role::SystemAdmin {
                assert!(!r.may_grant(Role::SystemAdmin), "{r:?}");
                assert!(!r.may_grant(Role::ProvinceSupervisor), "{r:?}");
            }
        }
        assert!(Role::CommuneOfficial.may_grant(Role::VillageHead));
        assert!(!Role::CommuneOfficial.may_grant(Role::CommuneChair));
        assert!(!Role::VillageHead.may_grant(Role::Citizen));
    }

    #[test]
    fn usernames_and_passwords() {
        assert_eq!(Username::parse(" Admin.X ").unwrap().as_str(), "admin.x");
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse("người").is_err());
        assert!(check_new_password("short", "u").is_err());
        assert!(check_new_password("1234567890", "u").is_err());
        assert!(check_new_password("aaaaaaaaaaaa", "u").is_err());
        assert!(check_new_password("longusername", "longusername").is_err());
        assert!(check_new_password("Đồng-lúa-chín-2026", "u").is_ok());
        assert!(check_new_password(&"x1".repeat(65), "u").is_err());
    }

    #[test]
    fn emails() {
        assert_eq!(parse_email(" A@B.vn ").unwrap(), "a@b.vn");
        assert!(parse_email("a@b").is_err());
        assert!(parse_email("a b@c.vn").is_err());
        assert!(parse_email("@c.vn").is_err());
    }

    #[test]
    fn lockout_boundary() {
        assert!(!is_locked(MAX_FAILED_LOGINS - 1, MAX_FAILED_LOGINS));
        assert!(is_locked(MAX_FAILED_LOGINS, MAX_FAILED_LOGINS));
    }
}
