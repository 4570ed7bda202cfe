//! Information requests (yêu cầu cung cấp thông tin): a citizen, or a staff
//! member of an agency, asks for information that should have been
//! disclosed (R1.12, Law Art. 14(2); R1.19 for staff), and the unit answers
//! within the deadlines of the Access to Information Law (R1.13, LTCTT Arts.
//! 28–30).
//!
//! Requests by post or fax (LTCTT Art. 31, 5 working days for simple
//! information) are not in the spec and not modelled; record them as
//! electronic only if the deployment decides so.

use crate::calendar::{Calendar, Period};
use crate::{text, Msg};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How the request arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestChannel {
    /// Trực tiếp, at the unit's office (LTCTT Art. 29).
    InPerson,
    /// Qua mạng điện tử, e.g. through this platform (LTCTT Art. 30).
    Electronic,
}

impl RequestChannel {
    pub const ALL: [RequestChannel; 2] = [RequestChannel::InPerson, RequestChannel::Electronic];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestChannel::InPerson => "in_person",
            RequestChannel::Electronic => "electronic",
        }
    }

    pub fn parse(s: &str) -> Option<RequestChannel> {
        RequestChannel::ALL.into_iter().find(|c| c.as_str() == s.trim())
    }

    pub fn label(self) -> Msg {
        match self {
            RequestChannel::InPerson => Msg::new("Trực tiếp", "In person"),
            RequestChannel::Electronic => Msg::new("Qua mạng điện tử", "Electronically"),
        }
    }
}

/// Whether the information is simple and ready, or complex (to be gathered
/// from several departments or to need another body's opinion).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Complexity {
    /// Đơn giản, có sẵn.
    Simple,
    /// Phức tạp, không có sẵn.
    Complex,
}

impl Complexity {
    pub const ALL: [Complexity; 2] = [Complexity::Simple, Complexity::Complex];

    pub fn as_str(self) -> &'static str {
        match self {
            Complexity::Simple => "simple",
            Complexity::Complex => "complex",
        }
    }

    pub fn parse(s: &str) -> Option<Complexity> {
        Complexity::ALL.into_iter().find(|c| c.as_str() == s.trim())
    }

    pub fn label(self) -> Msg {
        match self {
            Complexity::Simple => Msg::new("Thông tin đơn giản, có sẵn", "Simple, ready information"),
            Complexity::Complex => Msg::new("Thông tin phức tạp, cần tập hợp", "Complex information to be gathered"),
        }
    }
}

/// Why the information is requested (R1.12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ground {
    /// It should have been disclosed but was not.
    NotDisclosed,
    /// Its disclosure period has expired.
    PeriodExpired,
    /// It is disclosed but cannot be reached (force majeure).
    Unreachable,
}

impl Ground {
    pub const ALL: [Ground; 3] = [Ground::NotDisclosed, Ground::PeriodExpired, Ground::Unreachable];

    pub fn as_str(self) -> &'static str {
        match self {
            Ground::NotDisclosed => "not_disclosed",
            Ground::PeriodExpired => "period_expired",
            Ground::Unreachable => "unreachable",
        }
    }

    pub fn parse(s: &str) -> Option<Ground> {
        Ground::ALL.into_iter().find(|g| g.as_str() == s.trim())
    }

    pub fn label(self) -> Msg {
        match self {
            Ground::NotDisclosed => {
                Msg::new("Thông tin phải công khai nhưng chưa được công khai", "Should have been disclosed but was not")
            }
            Ground::PeriodExpired => Msg::new("Thông tin đã hết thời hạn công khai", "The disclosure period has expired"),
            Ground::Unreachable => Msg::new(
                "Thông tin đang công khai nhưng không tiếp cận được vì lý do bất khả kháng",
                "Disclosed but unreachable for reasons of force majeure",
            ),
        }
    }
}

/// The periods of R1.13, counted from the day a valid request was received
/// (C0.2: counting starts the next day).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRules {
    /// In person, complex: invite to view or collect, or refuse in writing.
    pub in_person_complex: Period,
    /// In person, complex: the one extension, added after the deadline.
    pub in_person_extension: Period,
    /// Electronic, simple.
    pub electronic_simple: Period,
    /// Electronic, complex: written notice of the time frame.
    pub electronic_notice: Period,
    /// Electronic, complex: provide or refuse in writing, counted from the
    /// receipt of the request like the notice.
    pub electronic_complex: Period,
    /// Electronic, complex: the one extension. The text says "up to 15
    /// days" without the unit; the default counts working days like the
    /// period it extends. Unverified and configurable.
    pub electronic_extension: Period,
}

impl Default for RequestRules {
    fn default() -> RequestRules {
        RequestRules {
            in_person_complex: Period::WorkingDays(10),
            in_person_extension: Period::WorkingDays(10),
            electronic_simple: Period::WorkingDays(3),
            electronic_notice: Period::WorkingDays(3),
            electronic_complex: Period::WorkingDays(15),
            electronic_extension: Period::WorkingDays(15),
        }
    }
}

impl RequestRules {
    /// The extension allowed, if any: complex requests only.
    pub fn extension(&self, channel: RequestChannel, complexity: Complexity) -> Option<Period> {
        match (channel, complexity) {
            (_, Complexity::Simple) => None,
            (RequestChannel::InPerson, Complexity::Complex) => Some(self.in_person_extension),
            (RequestChannel::Electronic, Complexity::Complex) => Some(self.electronic_extension),
        }
    }
}

/// The last days to act on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Deadlines {
    /// Electronic complex requests: the written notice of the time frame.
    pub notice_by: Option<NaiveDate>,
    /// Provide the information (or invite to view it), or refuse in writing.
    pub answer_by: NaiveDate,
}

/// The deadlines of a request received on `received` (R1.13).
///
/// In person, simple: the answer is given immediately, so `answer_by =
/// received`. `extended` adds the extension after the original deadline; it
/// is ignored for simple requests, which cannot be extended. Use
/// [`RequestClock`] to record an extension (it refuses a second one).
pub fn deadlines(
    rules: &RequestRules,
    cal: &Calendar,
    received: NaiveDate,
    channel: RequestChannel,
    complexity: Complexity,
    extended: bool,
) -> Deadlines {
    let (notice_by, answer_by) = match (channel, complexity) {
        (RequestChannel::InPerson, Complexity::Simple) => (None, received),
        (RequestChannel::InPerson, Complexity::Complex) => (None, cal.deadline(received, rules.in_person_complex)),
        (RequestChannel::Electronic, Complexity::Simple) => (None, cal.deadline(received, rules.electronic_simple)),
        (RequestChannel::Electronic, Complexity::Complex) => {
            (Some(cal.deadline(received, rules.electronic_notice)), cal.deadline(received, rules.electronic_complex))
        }
    };
    let answer_by = match rules.extension(channel, complexity) {
        Some(ext) if extended => cal.deadline(answer_by, ext),
        _ => answer_by,
    };
    Deadlines { notice_by, answer_by }
}

/// The timing facts of one request, with the one extension the law allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestClock {
    /// The day the valid request was received.
    pub received: NaiveDate,
    pub channel: RequestChannel,
    pub complexity: Complexity,
    /// The day the requester was told in writing of the extension.
    pub extended_on: Option<NaiveDate>,
}

impl RequestClock {
    pub fn new(received: NaiveDate, channel: RequestChannel, complexity: Complexity) -> RequestClock {
        RequestClock { received, channel, complexity, extended_on: None }
    }

    pub fn deadlines(&self, rules: &RequestRules, cal: &Calendar) -> Deadlines {
        deadlines(rules, cal, self.received, self.channel, self.complexity, self.extended_on.is_some())
    }

    /// Records the extension, notified in writing on `notified_on`. Refused
    /// for simple requests, for a second extension, and once the original
    /// deadline has passed (the notice must come within the period).
    pub fn extend(&mut self, rules: &RequestRules, cal: &Calendar, notified_on: NaiveDate) -> Result<(), Msg> {
        if rules.extension(self.channel, self.complexity).is_none() {
            return Err(Msg::new("Yêu cầu thông tin đơn giản không được gia hạn.", "A request for simple information cannot be extended."));
        }
        if self.extended_on.is_some() {
            return Err(Msg::new(
                "Yêu cầu này đã được gia hạn; chỉ được gia hạn một lần.",
                "This request was already extended; only one extension is allowed.",
            ));
        }
        let original = deadlines(rules, cal, self.received, self.channel, self.complexity, false).answer_by;
        if notified_on < self.received {
            return Err(Msg::new(
                "Ngày thông báo gia hạn không được trước ngày nhận yêu cầu.",
                "The extension notice cannot predate the request.",
            ));
        }
        if notified_on > original {
            let shown = original.format("%d/%m/%Y");
            return Err(Msg::new(
                format!("Đã hết thời hạn giải quyết ({shown}); phải thông báo gia hạn trước khi hết hạn."),
                format!("The deadline ({shown}) has passed; an extension must be notified before it."),
            ));
        }
        self.extended_on = Some(notified_on);
        Ok(())
    }
}

/// The characters of a tracking code: digits and capital letters without
/// the look-alikes 0, O, 1, I and L (31 characters).
const TRACKING_ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const TRACKING_PREFIX: &str = "YC";
const TRACKING_BODY: usize = 12;

/// A tracking code (mã tra cứu) for a request, like `YC-7K3M-Q9TX-2HBD`,
/// from 10 random bytes supplied by the caller (the domain does no I/O).
/// Twelve characters of 31 carry about 59 bits.
pub fn tracking_code(random: [u8; 10]) -> String {
    let mut n = random.iter().fold(0u128, |acc, b| (acc << 8) | u128::from(*b));
    let base = TRACKING_ALPHABET.len() as u128;
    let mut body = Vec::with_capacity(TRACKING_BODY);
    for _ in 0..TRACKING_BODY {
        body.push(TRACKING_ALPHABET[(n % base) as usize] as char);
        n /= base;
    }
    format_code(&body)
}

fn format_code(body: &[char]) -> String {
    let groups: Vec<String> = body.chunks(4).map(|g| g.iter().collect()).collect();
    format!("{TRACKING_PREFIX}-{}", groups.join("-"))
}

/// Reads a tracking code as a person types it: lower case, spaces, dots
/// or missing dashes, with or without the `YC` prefix. `None` when it cannot
/// be a tracking code (wrong length, or a character that no code contains,
/// such as 0, O, 1, I or L).
pub fn normalize_tracking_code(input: &str) -> Option<String> {
    let cleaned: Vec<char> = text::clean_line(input)
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_' | '.' | '–' | '—'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let body: &[char] = if cleaned.len() == TRACKING_BODY + TRACKING_PREFIX.len() && cleaned.starts_with(&['Y', 'C']) {
        &cleaned[TRACKING_PREFIX.len()..]
    } else {
        &cleaned
    };
    if body.len() != TRACKING_BODY || !body.iter().all(|c| c.is_ascii() && TRACKING_ALPHABET.contains(&(*c as u8))) {
        return None;
    }
    Some(format_code(body))
}

/// How a request was answered. Every refusal must be in writing with its
/// reasons (R1.13): build a refusal with [`Outcome::refused`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// The information was provided (or the requester invited to view it).
    Provided,
    /// Refused, with the written reasons.
    Refused { reasons: String },
}

impl Outcome {
    /// A refusal; the reasons are required and must say something (at least
    /// one letter after trimming).
    pub fn refused(reasons: &str) -> Result<Outcome, Msg> {
        let reasons = text::clean_text(reasons);
        let outcome = Outcome::Refused { reasons };
        outcome.validate()?;
        Ok(outcome)
    }

    /// Checks an outcome, e.g. one read back from storage.
    pub fn validate(&self) -> Result<(), Msg> {
        match self {
            Outcome::Refused { reasons } if !reasons.chars().any(char::is_alphabetic) => Err(Msg::new(
                "Từ chối cung cấp thông tin phải bằng văn bản và nêu rõ lý do.",
                "A refusal must be in writing and state its reasons.",
            )),
            _ => Ok(()),
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Provided => "provided",
            Outcome::Refused { .. } => "refused",
        }
    }

    pub fn label(&self) -> Msg {
        match self {
            Outcome::Provided => Msg::new("Đã cung cấp thông tin", "Information provided"),
            Outcome::Refused { .. } => Msg::new("Từ chối cung cấp thông tin", "Request refused"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn dl(received: NaiveDate, channel: RequestChannel, complexity: Complexity, extended: bool) -> Deadlines {
        deadlines(&RequestRules::default(), &Calendar::standard(), received, channel, complexity, extended)
    }

    #[test]
    fn r1_12_grounds_channels_and_complexities_round_trip() {
        for g in Ground::ALL {
            assert_eq!(Ground::parse(g.as_str()), Some(g));
            assert!(!g.label().vi.is_empty());
        }
        for c in RequestChannel::ALL {
            assert_eq!(RequestChannel::parse(c.as_str()), Some(c));
        }
        for c in Complexity::ALL {
            assert_eq!(Complexity::parse(c.as_str()), Some(c));
        }
        assert_eq!(Ground::parse("other"), None);
    }

    #[test]
    fn r1_13_in_person_simple_is_answered_the_same_day() {
        // Received on Friday 20 Nov 2026.
        let got = dl(d(2026, 11, 20), RequestChannel::InPerson, Complexity::Simple, false);
        assert_eq!(got, Deadlines { notice_by: None, answer_by: d(2026, 11, 20) });
        // No extension for simple requests.
        assert_eq!(dl(d(2026, 11, 20), RequestChannel::InPerson, Complexity::Simple, true).answer_by, d(2026, 11, 20));
    }

    #[test]
    fn r1_13_in_person_complex_is_10_working_days_plus_10() {
        // Friday 20 Nov 2026 + 10 working days = Friday 4 Dec; + 10 = Friday 18 Dec.
        let got = dl(d(2026, 11, 20), RequestChannel::InPerson, Complexity::Complex, false);
        assert_eq!(got, Deadlines { notice_by: None, answer_by: d(2026, 12, 4) });
        assert_eq!(dl(d(2026, 11, 20), RequestChannel::InPerson, Complexity::Complex, true).answer_by, d(2026, 12, 18));
    }

    #[test]
    fn r1_13_electronic_simple_is_3_working_days() {
        // Friday 20 Nov 2026 → Mon, Tue, Wed 25 Nov.
        let got = dl(d(2026, 11, 20), RequestChannel::Electronic, Complexity::Simple, false);
        assert_eq!(got, Deadlines { notice_by: None, answer_by: d(2026, 11, 25) });
    }

    #[test]
    fn r1_13_electronic_complex_notice_in_3_then_15_working_days_plus_15() {
        // Friday 20 Nov 2026: notice by Wed 25 Nov; answer by Fri 11 Dec;
        // extended: 15 more working days → Fri 1 Jan 2027 is a holiday, so
        // Mon 4 Jan.
        let got = dl(d(2026, 11, 20), RequestChannel::Electronic, Complexity::Complex, false);
        assert_eq!(got, Deadlines { notice_by: Some(d(2026, 11, 25)), answer_by: d(2026, 12, 11) });
        let ext = dl(d(2026, 11, 20), RequestChannel::Electronic, Complexity::Complex, true);
        assert_eq!(ext, Deadlines { notice_by: Some(d(2026, 11, 25)), answer_by: d(2027, 1, 4) });
    }

    #[test]
    fn r1_13_the_extension_unit_is_configurable() {
        let rules = RequestRules { electronic_extension: Period::Days(15), ..RequestRules::default() };
        let got = deadlines(&rules, &Calendar::standard(), d(2026, 11, 20), RequestChannel::Electronic, Complexity::Complex, true);
        assert_eq!(got.answer_by, d(2026, 12, 28));
    }

    #[test]
    fn r1_13_only_one_extension_notified_before_the_deadline() {
        let rules = RequestRules::default();
        let cal = Calendar::standard();
        let mut clock = RequestClock::new(d(2026, 11, 20), RequestChannel::InPerson, Complexity::Complex);
        assert!(clock.extend(&rules, &cal, d(2026, 12, 5)).is_err(), "after the deadline of 4 Dec");
        assert!(clock.extend(&rules, &cal, d(2026, 11, 19)).is_err(), "before the request");
        assert_eq!(clock.extend(&rules, &cal, d(2026, 12, 4)), Ok(()));
        assert_eq!(clock.deadlines(&rules, &cal).answer_by, d(2026, 12, 18));
        let second = clock.extend(&rules, &cal, d(2026, 12, 10)).unwrap_err();
        assert!(second.vi.contains("một lần"));
        assert_eq!(clock.deadlines(&rules, &cal).answer_by, d(2026, 12, 18));
        let mut simple = RequestClock::new(d(2026, 11, 20), RequestChannel::Electronic, Complexity::Simple);
        assert!(simple.extend(&rules, &cal, d(2026, 11, 20)).is_err());
        assert_eq!(simple.extended_on, None);
    }

    #[test]
    fn r1_13_a_refusal_needs_written_reasons() {
        assert!(Outcome::refused("").is_err());
        assert!(Outcome::refused("   \n ").is_err());
        assert!(Outcome::refused("...").is_err());
        let ok = Outcome::refused("  Thông tin thuộc bí mật nhà nước.  ").unwrap();
        assert_eq!(ok, Outcome::Refused { reasons: "Thông tin thuộc bí mật nhà nước.".into() });
        assert!(Outcome::Refused { reasons: String::new() }.validate().is_err());
        assert_eq!(Outcome::Provided.validate(), Ok(()));
        assert_eq!(ok.as_str(), "refused");
    }

    #[test]
    fn tracking_code_round_trip() {
        let samples = [[0u8; 10], [255u8; 10], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [0x9c, 0x11, 0xfe, 0, 0x42, 0x7f, 0x80, 3, 0xaa, 0x55]];
        for s in samples {
            let code = tracking_code(s);
            assert_eq!(code.len(), 17, "{code}");
            assert!(code.starts_with("YC-"));
            assert!(!code[3..].chars().any(|c| "01OIL".contains(c)), "{code}");
            assert_eq!(normalize_tracking_code(&code), Some(code.clone()));
            assert_eq!(normalize_tracking_code(&code.to_lowercase()), Some(code.clone()));
            let typed: String = code.chars().filter(|c| *c != '-').collect();
            assert_eq!(normalize_tracking_code(&typed), Some(code.clone()));
            let without_prefix = code[3..].replace('-', " ").to_lowercase();
            assert_eq!(normalize_tracking_code(&format!("  {without_prefix} ")), Some(code.clone()));
        }
        assert_ne!(tracking_code([0; 10]), tracking_code([1, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
        assert_eq!(normalize_tracking_code("yc 7k3m q9tx 2hbd"), Some("YC-7K3M-Q9TX-2HBD".into()));
        assert_eq!(normalize_tracking_code("YC-7K3M-Q9TX-2HB0"), None);
        assert_eq!(normalize_tracking_code("YC-7K3M-Q9TX"), None);
        assert_eq!(normalize_tracking_code(""), None);
        assert_eq!(normalize_tracking_code("YC-7K3M-Q9TX-2HBĐ"), None);
    }
}
