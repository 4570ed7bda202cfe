//! Public disclosure (công khai thông tin), computed: what the law demands of
//! one disclosed item and whether what was done meets it (legal-spec §1).
//!
//! The flow is: a unit (commune, agency, enterprise…) has a [`Regime`]; an
//! item belongs to a [`Category`] of that regime; [`obligations`] turns the
//! category, the unit's facts and the decision date into a deadline and a
//! list of [`Requirement`]s; the officials record what they did as
//! [`Record`]s; [`evaluate`] compares the two on a given day and gives a
//! [`Verdict`] plus the date on which it must be looked at again.
//!
//! Day counting of durations. A posting or broadcast "for at least N
//! consecutive days" counts both its first and its last day: a posting from
//! 30 March to 28 April is 30 days. This is our reading of "ít nhất 30 ngày
//! liên tục kể từ ngày niêm yết" — the posting day is a day on which the
//! notice is up. It differs on purpose from C0.2, which is about deadlines
//! after an event (the event day is not counted there). Durations are always
//! calendar days (C0.1): the law says "ngày", never "ngày làm việc", for them.

use crate::calendar::{Calendar, Period};
use crate::units::UnitKind;
use crate::Msg;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------------------
// Regimes and audiences
// ---------------------------------------------------------------------------

/// Which set of disclosure rules a unit follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Regime {
    /// The province: no disclosure rule in the Law; portal only.
    Province,
    /// Commune level: xã, phường, đặc khu (R1.1–R1.15).
    Commune,
    /// Agencies and public service units, towards their staff (R1.16–R1.19).
    Agency,
    /// State-owned enterprises, towards their workers (R1.20–R1.21).
    StateEnterprise,
    /// Non-state enterprises, towards their workers (R1.22, D145 Art. 43).
    Enterprise,
}

impl Regime {
    pub const ALL: [Regime; 5] = [Regime::Province, Regime::Commune, Regime::Agency, Regime::StateEnterprise, Regime::Enterprise];

    /// The regime of a unit kind. Districts (abolished) and villages have
    /// none: a village discloses nothing of its own, the commune does.
    pub fn for_unit(kind: UnitKind) -> Option<Regime> {
        match kind {
            UnitKind::Province => Some(Regime::Province),
            UnitKind::Xa | UnitKind::Phuong | UnitKind::ThiTran | UnitKind::DacKhu => Some(Regime::Commune),
            UnitKind::Agency | UnitKind::PublicServiceUnit => Some(Regime::Agency),
            UnitKind::StateEnterprise => Some(Regime::StateEnterprise),
            UnitKind::Enterprise => Some(Regime::Enterprise),
            UnitKind::District | UnitKind::Thon | UnitKind::ToDanPho => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Regime::Province => "province",
            Regime::Commune => "commune",
            Regime::Agency => "agency",
            Regime::StateEnterprise => "state_enterprise",
            Regime::Enterprise => "enterprise",
        }
    }

    pub fn parse(s: &str) -> Option<Regime> {
        Regime::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    pub fn label(self) -> Msg {
        let (vi, en) = match self {
            Regime::Province => ("Cấp tỉnh", "Province"),
            Regime::Commune => ("Cấp xã", "Commune level"),
            Regime::Agency => ("Cơ quan, đơn vị", "Agency or public service unit"),
            Regime::StateEnterprise => ("Doanh nghiệp nhà nước", "State-owned enterprise"),
            Regime::Enterprise => ("Doanh nghiệp ngoài nhà nước", "Non-state enterprise"),
        };
        Msg::new(vi, en)
    }

    /// The regime as it reads inside a sentence ("không áp dụng cho …").
    fn phrase(self) -> (&'static str, &'static str) {
        match self {
            Regime::Province => ("cấp tỉnh", "the province"),
            Regime::Commune => ("cấp xã", "a commune"),
            Regime::Agency => ("cơ quan, đơn vị", "an agency or public service unit"),
            Regime::StateEnterprise => ("doanh nghiệp nhà nước", "a state-owned enterprise"),
            Regime::Enterprise => ("doanh nghiệp ngoài nhà nước", "a non-state enterprise"),
        }
    }

    /// The code prefix of the regime's categories.
    fn prefix(self) -> &'static str {
        match self {
            Regime::Province => "tinh",
            Regime::Commune => "xa",
            Regime::Agency => "cq",
            Regime::StateEnterprise => "dnnn",
            Regime::Enterprise => "dn",
        }
    }

    /// Whom the disclosure is for.
    pub fn default_audience(self) -> Audience {
        match self {
            Regime::Province | Regime::Commune => Audience::Citizens,
            Regime::Agency => Audience::Staff,
            Regime::StateEnterprise | Regime::Enterprise => Audience::Workers,
        }
    }
}

/// Whom an item is disclosed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Nhân dân.
    Citizens,
    /// Cán bộ, công chức, viên chức, người lao động của cơ quan, đơn vị.
    Staff,
    /// Người lao động của doanh nghiệp.
    Workers,
}

impl Audience {
    pub const ALL: [Audience; 3] = [Audience::Citizens, Audience::Staff, Audience::Workers];

    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Citizens => "citizens",
            Audience::Staff => "staff",
            Audience::Workers => "workers",
        }
    }

    pub fn parse(s: &str) -> Option<Audience> {
        Audience::ALL.into_iter().find(|a| a.as_str() == s.trim())
    }

    pub fn label(self) -> Msg {
        let (vi, en) = match self {
            Audience::Citizens => ("Nhân dân", "Citizens"),
            Audience::Staff => ("Cán bộ, công chức, viên chức, người lao động", "Staff"),
            Audience::Workers => ("Người lao động", "Workers"),
        };
        Msg::new(vi, en)
    }
}

// ---------------------------------------------------------------------------
// Categories
// ---------------------------------------------------------------------------

/// One category: short label (vi, en), description (vi, en).
type CategoryText = (&'static str, &'static str, &'static str, &'static str);

/// R1.1, Law Art. 11: the 14 categories a commune must disclose.
const COMMUNE: [CategoryText; 14] = [
    (
        "Kế hoạch phát triển kinh tế - xã hội",
        "Socio-economic development plan",
        "Kế hoạch phát triển kinh tế - xã hội hằng năm, phương án chuyển dịch cơ cấu kinh tế và kết quả thực hiện.",
        "The annual socio-economic development plan, the economic-restructuring plan and their results.",
    ),
    (
        "Ngân sách, tài chính",
        "Budget and finance",
        "Dự toán ngân sách và báo cáo thuyết minh trình Hội đồng nhân dân cấp xã; dự toán đã được quyết định; tình hình thực hiện \
         ngân sách hằng quý, 6 tháng, hằng năm; quyết toán ngân sách; kết quả các khoản tài chính khác và kết quả thực hiện kiến nghị \
         của Kiểm toán nhà nước.",
        "The budget estimate and explanatory reports submitted to the commune People's Council, the approved estimate, quarterly, \
         6-monthly and yearly budget execution, the final accounts, other financial results and the results of State Audit \
         recommendations.",
    ),
    (
        "Dự án đầu tư, đất đai, quy hoạch",
        "Investment projects, land and planning",
        "Các dự án, công trình đầu tư và tiến độ thực hiện; phương án bồi thường, hỗ trợ, tái định cư khi thu hồi đất; kế hoạch quản lý \
         quỹ đất do cấp xã quản lý; việc cho thuê đất nông nghiệp sử dụng vào mục đích công ích; quy hoạch xây dựng, quy hoạch sử dụng đất.",
        "Investment projects and their progress, land-recovery, compensation and resettlement plans, the plan for the commune-managed \
         land fund, leasing of public-purpose agricultural land, construction and zoning plans.",
    ),
    (
        "Quy chế dân chủ, nhiệm vụ cán bộ",
        "Democracy regulation and staff duties",
        "Quy chế thực hiện dân chủ ở cơ sở của xã; nhiệm vụ, quyền hạn của cán bộ, công chức cấp xã và người hoạt động không chuyên trách \
         ở cấp xã, ở thôn, tổ dân phố; quy tắc ứng xử của người có chức vụ, quyền hạn.",
        "The commune's grassroots-democracy regulation, the duties of commune officials and of non-specialised staff at commune and \
         village level, and the code of conduct of office holders.",
    ),
    (
        "Quỹ, tài trợ, đóng góp của Nhân dân",
        "Funds, sponsorships and contributions",
        "Việc quản lý, sử dụng các loại quỹ, khoản đầu tư, tài trợ theo chương trình, dự án; các khoản huy động Nhân dân đóng góp.",
        "Management of funds, programme investments and sponsorships, and contributions mobilised from the people.",
    ),
    (
        "Tài sản công",
        "Public assets",
        "Việc đầu tư xây dựng, mua sắm, giao, thuê, sử dụng, thu hồi, điều chuyển, bán, thanh lý, tiêu hủy tài sản công và các khoản thu \
         từ tài sản công.",
        "Construction, procurement, allocation, lease, use, recovery, transfer, sale, liquidation and destruction of public assets, \
         and revenue earned from them.",
    ),
    (
        "Chính sách hỗ trợ, an sinh xã hội",
        "Support and social-security policies",
        "Chính sách, tiêu chuẩn, đối tượng, quy trình bình xét và kết quả bình xét các khoản hỗ trợ, trợ cấp, tín dụng, chương trình mục \
         tiêu quốc gia, hỗ trợ nhà ở, cấp thẻ bảo hiểm y tế và các chính sách an sinh xã hội khác.",
        "Policies, criteria, beneficiaries, selection process and results of support, allowances, credit, national target \
         programmes, housing support, health-insurance cards and other social-security policies.",
    ),
    (
        "Cứu trợ",
        "Relief",
        "Phạm vi, đối tượng, cách bình xét, mức hỗ trợ, thời gian và thủ tục cứu trợ của Nhà nước khi có thiên tai, dịch bệnh, sự cố và \
         cho người mắc bệnh hiểm nghèo; việc quản lý các khoản ủng hộ tự nguyện.",
        "Scope, beneficiaries, selection method, amounts, timing and procedure of state relief after disasters, epidemics and \
         incidents and for patients with severe illness, and the management of voluntary donations.",
    ),
    (
        "Nghĩa vụ quân sự, công an",
        "Military and police service",
        "Chỉ tiêu, tiêu chuẩn, danh sách công dân đủ điều kiện, danh sách công dân được gọi nhập ngũ, thực hiện nghĩa vụ tham gia Công an \
         nhân dân; các trường hợp tạm hoãn, miễn gọi.",
        "Quotas, criteria, the list of eligible citizens and of those called up for military or police service, deferrals and \
         exemptions.",
    ),
    (
        "Thanh tra, tham nhũng, tín nhiệm",
        "Inspections, corruption and confidence votes",
        "Kết quả thanh tra, kiểm tra, xử lý vụ việc tham nhũng, tiêu cực của cán bộ, công chức cấp xã và người hoạt động không chuyên \
         trách ở cấp xã, ở thôn, tổ dân phố; kết quả lấy phiếu, bỏ phiếu tín nhiệm đối với Chủ tịch, Phó Chủ tịch, Trưởng ban Hội đồng \
         nhân dân và Chủ tịch, Phó Chủ tịch, thành viên Ủy ban nhân dân cấp xã.",
        "Results of inspections and of corruption or misconduct cases involving commune or village staff, and results of confidence \
         votes on the People's Council chair, vice-chairs and committee heads and on the People's Committee chair, vice-chairs and \
         members.",
    ),
    (
        "Lấy ý kiến Nhân dân",
        "Public consultation",
        "Kế hoạch lấy ý kiến, nội dung lấy ý kiến, kết quả tổng hợp ý kiến và việc giải trình, tiếp thu của cơ quan có thẩm quyền đối với \
         các nội dung Nhân dân tham gia ý kiến (Điều 25 của Luật).",
        "The consultation plan, the consultation content, the summary of opinions and the authority's explanation and acceptance for \
         matters under Law Art. 25.",
    ),
    (
        "Phí, lệ phí, khoản thu",
        "Fees and charges",
        "Đối tượng, mức thu các loại phí, lệ phí và nghĩa vụ tài chính khác do chính quyền cấp xã trực tiếp thu.",
        "The payers and rates of fees, charges and other obligations collected directly by the commune.",
    ),
    (
        "Thủ tục hành chính",
        "Administrative procedures",
        "Thủ tục hành chính và việc giải quyết thủ tục hành chính thuộc thẩm quyền của cấp xã.",
        "Administrative procedures handled by the commune.",
    ),
    (
        "Nội dung khác",
        "Other items",
        "Các nội dung khác theo quy định của pháp luật hoặc theo quy chế thực hiện dân chủ ở cơ sở của xã.",
        "Other items required by law or by the commune's democracy regulation.",
    ),
];

/// R1.16, Law Art. 46: the 12 categories an agency discloses to its staff.
const AGENCY: [CategoryText; 12] = [
    (
        "Chủ trương, chính sách",
        "Party and State policies",
        "Chủ trương của Đảng, chính sách, pháp luật của Nhà nước liên quan đến cơ quan, đơn vị.",
        "Party and State policies concerning the unit.",
    ),
    (
        "Kế hoạch công tác",
        "Work plans",
        "Kế hoạch công tác hằng năm, hằng quý, hằng tháng của cơ quan, đơn vị.",
        "The unit's annual, quarterly and monthly work plans.",
    ),
    (
        "Ngân sách, tài chính",
        "Budget and finance",
        "Dự toán ngân sách, tình hình thực hiện dự toán, quyết toán ngân sách và kết quả kiểm toán nhà nước.",
        "The budget estimate, its execution and final accounts, and State Audit results.",
    ),
    (
        "Tài sản công",
        "Public assets",
        "Tiêu chuẩn, định mức, thủ tục và việc mua sắm, giao, thuê, sử dụng, thu hồi, thanh lý tài sản công.",
        "Public-asset standards, procedures and transactions.",
    ),
    (
        "Đầu tư công",
        "Public investment",
        "Nguyên tắc phân bổ vốn, kế hoạch đầu tư công, tình hình giải ngân, nghiệm thu và quyết toán.",
        "Public-investment allocation principles, plans, disbursement, acceptance and settlement.",
    ),
    (
        "Công tác cán bộ",
        "Personnel matters",
        "Tuyển dụng, đào tạo, điều động, bổ nhiệm, luân chuyển, từ chức, miễn nhiệm, quy hoạch, hợp đồng, cử đi nước ngoài, nâng lương, \
         đánh giá, xếp loại, khen thưởng, kỷ luật, nghỉ hưu; các đề án và dự thảo văn bản quy phạm pháp luật của cơ quan, đơn vị.",
        "Recruitment, training, transfer, appointment, rotation, resignation, dismissal, planning, contracts, overseas trips, pay \
         rises, evaluation and grading, rewards, discipline and retirement, plus the unit's schemes and draft legal documents.",
    ),
    (
        "Tham nhũng, kê khai tài sản",
        "Misconduct and asset declarations",
        "Kết luận về vi phạm, tham nhũng, lãng phí; bản kê khai tài sản, thu nhập của người có nghĩa vụ kê khai.",
        "Conclusions on misconduct, corruption and waste, and the asset and income declarations of people obliged to declare.",
    ),
    (
        "Thanh tra, khiếu nại, tố cáo",
        "Inspections, complaints and denunciations",
        "Kết quả thanh tra, kiểm tra nội bộ; kết quả giải quyết khiếu nại, tố cáo, kiến nghị, phản ánh.",
        "Results of internal inspections and of complaints, denunciations and petitions.",
    ),
    (
        "Nội quy, quy tắc ứng xử",
        "Internal rules and code of conduct",
        "Nội quy, quy chế của cơ quan, đơn vị và quy tắc ứng xử của cán bộ, công chức, viên chức.",
        "The unit's internal rules and code of conduct.",
    ),
    (
        "Tổng hợp ý kiến, giải trình",
        "Staff opinions and explanation",
        "Kết quả tổng hợp ý kiến của cán bộ, công chức, viên chức, người lao động và việc giải trình, tiếp thu (Điều 53 của Luật).",
        "The summary of staff opinions and the explanation and acceptance of matters under Law Art. 53.",
    ),
    (
        "Văn bản chỉ đạo của cấp trên",
        "Directives from superior bodies",
        "Văn bản chỉ đạo, điều hành của cơ quan cấp trên liên quan đến công việc của cơ quan, đơn vị.",
        "Directives of superior bodies concerning the unit's work.",
    ),
    ("Nội dung khác", "Other items", "Các nội dung khác theo quy định của pháp luật.", "Other items required by law."),
];

/// R1.20, Law Art. 64: what a state-owned enterprise discloses to its
/// workers, split into numbered categories.
const STATE_ENTERPRISE: [CategoryText; 9] = [
    (
        "Kết quả sản xuất, kinh doanh",
        "Business results",
        "Tình hình sản xuất, kinh doanh và kết quả hoạt động của doanh nghiệp.",
        "The enterprise's business or operating results.",
    ),
    (
        "Nội quy lao động, lương, định mức",
        "Labour rules, pay and norms",
        "Nội quy lao động, thang lương, bảng lương, định mức lao động và các quy chế, quy định liên quan đến quyền lợi của người lao động.",
        "Labour rules, pay scales and tables, work norms and other rules touching workers' rights.",
    ),
    ("Thỏa ước lao động tập thể", "Collective labour agreement", "Thỏa ước lao động tập thể.", "Collective labour agreements."),
    (
        "Quỹ khen thưởng, phúc lợi",
        "Bonus and welfare funds",
        "Việc trích lập, sử dụng quỹ khen thưởng, quỹ phúc lợi và các quỹ do người lao động đóng góp.",
        "The bonus, welfare and worker-contributed funds.",
    ),
    (
        "Kinh phí công đoàn, bảo hiểm",
        "Union dues and insurance",
        "Việc trích nộp kinh phí công đoàn, đóng bảo hiểm xã hội, bảo hiểm y tế, bảo hiểm thất nghiệp.",
        "Payment of union dues and of social, health and unemployment insurance.",
    ),
    (
        "Thi đua, khen thưởng, kỷ luật",
        "Emulation, rewards and discipline",
        "Thi đua, khen thưởng, kỷ luật và việc giải quyết kiến nghị của người lao động.",
        "Emulation, rewards, discipline and the handling of workers' petitions.",
    ),
    ("Quy chế dân chủ", "Democracy regulation", "Quy chế thực hiện dân chủ ở doanh nghiệp.", "The enterprise's democracy regulation."),
    (
        "Tài chính, tài sản công, nhân sự",
        "Finance, public assets and personnel",
        "Các thông tin khác về tài chính, quản lý và sử dụng tài sản công, công tác nhân sự của doanh nghiệp.",
        "Other financial, public-asset and personnel information.",
    ),
    (
        "Nội dung khác",
        "Other items",
        "Các nội dung khác theo quy định của pháp luật; doanh nghiệp được khuyến khích công khai cả đạo đức kinh doanh, văn hóa doanh \
         nghiệp và trách nhiệm xã hội.",
        "Other items required by law; business ethics, corporate culture and social responsibility are encouraged.",
    ),
];

/// R1.22, D145 Art. 43: what any employer discloses to its workers.
const ENTERPRISE: [CategoryText; 7] = [
    (
        "Tình hình sản xuất, kinh doanh",
        "Business situation",
        "Tình hình sản xuất, kinh doanh của doanh nghiệp.",
        "The enterprise's business situation.",
    ),
    (
        "Nội quy lao động, lương, quy chế",
        "Labour rules, pay and internal rules",
        "Nội quy lao động, thang lương, bảng lương, định mức lao động, quy chế nội bộ và các quy định khác liên quan đến người lao động.",
        "Labour rules, pay scales and tables, work norms, internal rules and other rules concerning workers.",
    ),
    ("Thỏa ước lao động tập thể", "Collective labour agreement", "Thỏa ước lao động tập thể.", "Collective labour agreements."),
    (
        "Các quỹ",
        "Funds",
        "Việc trích lập, sử dụng quỹ khen thưởng, quỹ phúc lợi và các quỹ do người lao động đóng góp.",
        "The bonus, welfare and worker-contributed funds.",
    ),
    (
        "Kinh phí công đoàn, bảo hiểm",
        "Union dues and insurance",
        "Việc trích nộp kinh phí công đoàn, đóng bảo hiểm xã hội, bảo hiểm y tế, bảo hiểm thất nghiệp.",
        "Payment of union dues and of social, health and unemployment insurance.",
    ),
    (
        "Thi đua, khen thưởng, kỷ luật",
        "Emulation, rewards and discipline",
        "Thi đua, khen thưởng, kỷ luật và việc giải quyết khiếu nại, tố cáo của người lao động.",
        "Emulation, rewards, discipline and the handling of workers' complaints.",
    ),
    (
        "Nội dung khác",
        "Other items",
        "Các nội dung khác theo quy định của pháp luật, kể cả nội dung doanh nghiệp tự nguyện áp dụng như doanh nghiệp nhà nước (Điều 82 \
         của Luật).",
        "Other items required by law, including those the enterprise applies by opting in to the state-enterprise regime (Law Art. 82).",
    ),
];

/// The province: no disclosure rule in the Law; what it puts on its portal.
const PROVINCE: [CategoryText; 2] = [
    (
        "Nghị quyết, văn bản của tỉnh",
        "Provincial resolutions and documents",
        "Nghị quyết của Hội đồng nhân dân tỉnh, quyết định, kế hoạch và văn bản của Ủy ban nhân dân tỉnh về thực hiện dân chủ ở cơ sở.",
        "Resolutions of the provincial People's Council and decisions, plans and documents of the provincial People's Committee on \
         grassroots democracy.",
    ),
    ("Thông tin khác", "Other information", "Các thông tin khác của tỉnh.", "Other provincial information."),
];

fn category_texts(regime: Regime) -> &'static [CategoryText] {
    match regime {
        Regime::Province => &PROVINCE,
        Regime::Commune => &COMMUNE,
        Regime::Agency => &AGENCY,
        Regime::StateEnterprise => &STATE_ENTERPRISE,
        Regime::Enterprise => &ENTERPRISE,
    }
}

/// A content category of a regime, numbered from 1 as in the law's list.
/// Its stable code is `xa-01`…`xa-14` (R1.1), `cq-01`…`cq-12` (R1.16),
/// `dnnn-01`…`dnnn-09` (R1.20), `dn-01`…`dn-07` (R1.22) or `tinh-01`,
/// `tinh-02`. Only valid (regime, number) pairs can be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Category {
    regime: Regime,
    number: u8,
}

impl Category {
    /// The category, if `number` exists for `regime` (1-based).
    pub fn new(regime: Regime, number: u8) -> Option<Category> {
        (1..=category_texts(regime).len()).contains(&(number as usize)).then_some(Category { regime, number })
    }

    pub fn regime(self) -> Regime {
        self.regime
    }

    pub fn number(self) -> u8 {
        self.number
    }

    /// Every category of a regime, in the law's order.
    pub fn all_for(regime: Regime) -> Vec<Category> {
        (1..=category_texts(regime).len() as u8).map(|number| Category { regime, number }).collect()
    }

    /// The stable code, e.g. `xa-05`.
    pub fn code(self) -> String {
        format!("{}-{:02}", self.regime.prefix(), self.number)
    }

    /// Parses a code exactly as [`Category::code`] writes it (surrounding
    /// spaces and upper case tolerated).
    pub fn parse(code: &str) -> Option<Category> {
        let code = code.trim().to_ascii_lowercase();
        let (prefix, number) = code.rsplit_once('-')?;
        let regime = Regime::ALL.into_iter().find(|r| r.prefix() == prefix)?;
        if number.len() != 2 || !number.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Category::new(regime, number.parse().ok()?)
    }

    /// Parses a code and checks that it belongs to `regime`, with a message
    /// for the user when it does not.
    pub fn parse_for(regime: Regime, code: &str) -> Result<Category, Msg> {
        let all = Category::all_for(regime);
        let (first, last) = (all[0].code(), all[all.len() - 1].code());
        let shown = code.trim();
        match Category::parse(code) {
            None => Err(Msg::new(
                format!("Không có loại nội dung \"{shown}\". Hãy chọn một loại từ {first} đến {last}."),
                format!("There is no category \"{shown}\". Choose one of {first} to {last}."),
            )),
            Some(c) if c.regime != regime => {
                let (own_vi, own_en) = c.regime.phrase();
                let (vi, en) = regime.phrase();
                let label = c.label();
                Err(Msg::new(
                    format!(
                        "Loại nội dung {} ({}) dành cho {own_vi}, không áp dụng cho {vi}. Hãy chọn một loại từ {first} đến {last}.",
                        c.code(),
                        label.vi
                    ),
                    format!(
                        "Category {} ({}) is for {own_en} and does not apply to {en}. Choose one of {first} to {last}.",
                        c.code(),
                        label.en
                    ),
                ))
            }
            Some(c) => Ok(c),
        }
    }

    fn text(self) -> CategoryText {
        category_texts(self.regime)[self.number as usize - 1]
    }

    /// The short label, e.g. "Tài sản công".
    pub fn label(self) -> Msg {
        let (vi, en, _, _) = self.text();
        Msg::new(vi, en)
    }

    /// What the category covers, after the law's wording.
    pub fn description(self) -> Msg {
        let (_, _, vi, en) = self.text();
        Msg::new(vi, en)
    }
}

impl Serialize for Category {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.code())
    }
}

impl<'de> Deserialize<'de> for Category {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Category, D::Error> {
        let s = String::deserialize(deserializer)?;
        Category::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown disclosure category {s:?}")))
    }
}

// ---------------------------------------------------------------------------
// Channels
// ---------------------------------------------------------------------------

/// A form of disclosure (hình thức công khai): R1.2 for communes, R1.17 for
/// agencies, R1.21 and R1.22 for enterprises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Cổng/trang thông tin điện tử.
    Portal,
    /// Niêm yết tại trụ sở.
    PostingHq,
    /// Niêm yết tại nhà văn hóa / điểm sinh hoạt cộng đồng của thôn, tổ dân
    /// phố (the record's `place` is the village).
    PostingVillage,
    /// Niêm yết tại nơi làm việc.
    PostingWorksite,
    /// Hệ thống truyền thanh.
    Loudspeaker,
    /// Qua Trưởng thôn, Tổ trưởng tổ dân phố (the record's `place` is the
    /// village).
    VillageHead,
    /// Văn bản gửi từng người.
    WrittenNotice,
    /// Hệ thống thông tin nội bộ.
    InternalSystem,
    /// Hội nghị, cuộc họp, đối thoại.
    Meeting,
    /// Qua tổ chức đảng, Mặt trận, đoàn thể, công đoàn.
    MassOrganisations,
    /// Mạng viễn thông, mạng xã hội.
    SocialNetwork,
    /// Hình thức khác.
    Other,
}

impl Channel {
    pub const ALL: [Channel; 12] = [
        Channel::Portal,
        Channel::PostingHq,
        Channel::PostingVillage,
        Channel::PostingWorksite,
        Channel::Loudspeaker,
        Channel::VillageHead,
        Channel::WrittenNotice,
        Channel::InternalSystem,
        Channel::Meeting,
        Channel::MassOrganisations,
        Channel::SocialNetwork,
        Channel::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Portal => "portal",
            Channel::PostingHq => "posting_hq",
            Channel::PostingVillage => "posting_village",
            Channel::PostingWorksite => "posting_worksite",
            Channel::Loudspeaker => "loudspeaker",
            Channel::VillageHead => "village_head",
            Channel::WrittenNotice => "written_notice",
            Channel::InternalSystem => "internal_system",
            Channel::Meeting => "meeting",
            Channel::MassOrganisations => "mass_organisations",
            Channel::SocialNetwork => "social_network",
            Channel::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s.trim())
    }

    pub fn label(self) -> Msg {
        let (vi, en) = match self {
            Channel::Portal => ("Cổng/trang thông tin điện tử", "E-portal or website"),
            Channel::PostingHq => ("Niêm yết tại trụ sở", "Posted at the headquarters"),
            Channel::PostingVillage => (
                "Niêm yết tại nhà văn hóa, điểm sinh hoạt cộng đồng thôn, tổ dân phố",
                "Posted at the village cultural house or community point",
            ),
            Channel::PostingWorksite => ("Niêm yết tại nơi làm việc", "Posted at the workplace"),
            Channel::Loudspeaker => ("Hệ thống truyền thanh", "Loudspeaker system"),
            Channel::VillageHead => ("Qua Trưởng thôn, Tổ trưởng tổ dân phố", "Via the village or residential-group head"),
            Channel::WrittenNotice => ("Văn bản gửi từng người", "Written notice to each person"),
            Channel::InternalSystem => ("Hệ thống thông tin nội bộ", "Internal information system"),
            Channel::Meeting => ("Hội nghị, cuộc họp, đối thoại", "Conference, meeting or dialogue"),
            Channel::MassOrganisations => ("Qua tổ chức đảng, Mặt trận, đoàn thể", "Via the Party, the Front and mass organisations"),
            Channel::SocialNetwork => ("Mạng viễn thông, mạng xã hội", "Telecom or social network"),
            Channel::Other => ("Hình thức khác", "Other form"),
        };
        Msg::new(vi, en)
    }

    /// Whether the record of this channel names a village (`place`).
    pub fn needs_place(self) -> bool {
        matches!(self, Channel::PostingVillage | Channel::VillageHead)
    }

    /// The channels a form offers for a regime: R1.2 (commune), R1.17
    /// (agency), R1.21 (SOE), R1.22 (enterprise); the province publishes on
    /// its portal.
    pub fn all_for(regime: Regime) -> Vec<Channel> {
        use Channel::*;
        match regime {
            Regime::Province => vec![Portal, PostingHq, Meeting, SocialNetwork, Other],
            Regime::Commune => {
                vec![
                    Portal,
                    PostingHq,
                    PostingVillage,
                    Loudspeaker,
                    VillageHead,
                    WrittenNotice,
                    Meeting,
                    MassOrganisations,
                    SocialNetwork,
                    Other,
                ]
            }
            Regime::Agency | Regime::StateEnterprise => {
                vec![InternalSystem, Portal, PostingHq, PostingWorksite, WrittenNotice, Meeting, MassOrganisations, Other]
            }
            Regime::Enterprise => vec![PostingWorksite, PostingHq, Meeting, WrittenNotice, InternalSystem, MassOrganisations, Other],
        }
    }
}

// ---------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------

/// Every duration the law gives for disclosure.
///
/// These are data, not constants: [`Rules::default`] is the law as the spec
/// reads it, and a deployment may change them. Two reasons: spec §12 item 1
/// notes a secondary source that says 10 working days instead of 5 for the
/// disclosure deadline (the article text says 5), and C0.2, the counting
/// rule behind [`Calendar::deadline`], is marked unverified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    /// R1.3: the commune discloses within 5 working days of the decision.
    pub commune_deadline: Period,
    /// R1.18: an agency discloses within 5 working days.
    pub agency_deadline: Period,
    /// R1.21: a state-owned enterprise discloses within 15 (calendar) days.
    pub state_enterprise_deadline: Period,
    /// R1.22: D145 sets no day count for other enterprises.
    pub enterprise_deadline: Option<Period>,
    /// The Law sets no rule for the province.
    pub province_deadline: Option<Period>,
    /// R1.5: posting at the commune HQ and in every village, consecutive
    /// calendar days.
    pub commune_posting_days: u32,
    /// R1.8: loudspeaker broadcast, consecutive calendar days.
    pub broadcast_days: u32,
    /// R1.19: agency publication on the internal system or by posting,
    /// consecutive calendar days.
    pub agency_publication_days: u32,
    /// R1.21: the same for state-owned enterprises.
    pub state_enterprise_publication_days: u32,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            commune_deadline: Period::WorkingDays(5),
            agency_deadline: Period::WorkingDays(5),
            state_enterprise_deadline: Period::Days(15),
            enterprise_deadline: None,
            province_deadline: None,
            commune_posting_days: 30,
            broadcast_days: 3,
            agency_publication_days: 20,
            state_enterprise_publication_days: 20,
        }
    }
}

impl Rules {
    /// The period after the decision within which a regime must disclose.
    pub fn deadline_period(&self, regime: Regime) -> Option<Period> {
        match regime {
            Regime::Province => self.province_deadline,
            Regime::Commune => Some(self.commune_deadline),
            Regime::Agency => Some(self.agency_deadline),
            Regime::StateEnterprise => Some(self.state_enterprise_deadline),
            Regime::Enterprise => self.enterprise_deadline,
        }
    }
}

// ---------------------------------------------------------------------------
// Obligations
// ---------------------------------------------------------------------------

/// What the law needs to know about the disclosing unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitFacts {
    pub regime: Regime,
    /// The unit has an e-portal or website (R1.4).
    pub has_portal: bool,
    /// The commune has a loudspeaker system (R1.8).
    pub has_loudspeaker: bool,
    /// The agency or enterprise has an internal website or information
    /// system (R1.19, R1.21).
    pub has_internal_system: bool,
    /// Ids of the commune's villages (thôn, tổ dân phố), for R1.5 and R1.9.
    pub villages: Vec<i64>,
}

/// One thing the law demands of an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Requirement {
    /// R1.4: publish on the unit's portal. Every commune item when the
    /// commune has a portal; every provincial item.
    Portal,
    /// R1.5: post at the HQ for at least `min_days` consecutive days; R1.6:
    /// `None` = permanently (thường xuyên), replaced when the item changes.
    PostingHq { min_days: Option<u32> },
    /// R1.5: post at the community point of every village of the commune.
    PostingVillages { min_days: u32 },
    /// R1.8: broadcast on the loudspeaker system (only when there is one).
    Broadcast { min_days: u32 },
    /// R1.9: send to every village head to pass on to residents.
    RelayViaVillageHeads,
    /// R1.19 (audience Staff) / R1.21 (audience Workers): when
    /// `internal_system`, online (internal system, the unit's website or
    /// this platform) for `min_days` consecutive days; else posted at the
    /// HQ for `min_days` (work sites are recorded, not checked: the platform
    /// does not know which are "directly concerned"). Either is replaced by
    /// a written notice to every staff member or worker.
    StaffPublication { min_days: u32, internal_system: bool, audience: Audience },
    /// R1.22: at least one of posting at the workplace, meeting, written
    /// notice, internal system (or another form; D145 allows others).
    AnyForm,
    /// R1.2: at least one lawful form, where the law names none in
    /// particular (commune item 14 when the commune has no portal).
    AnyChannel,
}

impl Requirement {
    /// The rule of the spec the requirement comes from. The province has
    /// no rule of its own; its portal requirement reports R1.4.
    pub fn rule_id(&self) -> &'static str {
        match self {
            Requirement::Portal => "R1.4",
            Requirement::PostingHq { min_days: Some(_) } => "R1.5",
            Requirement::PostingHq { min_days: None } => "R1.6",
            Requirement::PostingVillages { .. } => "R1.5",
            Requirement::Broadcast { .. } => "R1.8",
            Requirement::RelayViaVillageHeads => "R1.9",
            Requirement::StaffPublication { audience: Audience::Workers, .. } => "R1.21",
            Requirement::StaffPublication { .. } => "R1.19",
            Requirement::AnyForm => "R1.22",
            Requirement::AnyChannel => "R1.2",
        }
    }

    pub fn label(&self) -> Msg {
        match self {
            Requirement::Portal => Msg::new("Đăng trên cổng/trang thông tin điện tử", "Publish on the e-portal or website"),
            Requirement::PostingHq { min_days: Some(n) } => Msg::new(
                format!("Niêm yết tại trụ sở ít nhất {n} ngày liên tục"),
                format!("Post at the headquarters for at least {n} consecutive days"),
            ),
            Requirement::PostingHq { min_days: None } => Msg::new(
                "Niêm yết thường xuyên tại trụ sở, cập nhật khi thay đổi",
                "Post permanently at the headquarters, updated on change",
            ),
            Requirement::PostingVillages { min_days } => Msg::new(
                format!(
                    "Niêm yết tại nhà văn hóa hoặc điểm sinh hoạt cộng đồng của từng thôn, tổ dân phố ít nhất {min_days} ngày liên tục"
                ),
                format!("Post at the cultural house or community point of every village for at least {min_days} consecutive days"),
            ),
            Requirement::Broadcast { min_days } => Msg::new(
                format!("Phát trên hệ thống truyền thanh ít nhất {min_days} ngày liên tục"),
                format!("Broadcast on the loudspeaker system for at least {min_days} consecutive days"),
            ),
            Requirement::RelayViaVillageHeads => Msg::new(
                "Gửi từng Trưởng thôn, Tổ trưởng tổ dân phố để thông tin đến Nhân dân",
                "Send to every village or residential-group head to pass on to residents",
            ),
            Requirement::StaffPublication { min_days, internal_system, audience } => {
                let (whom_vi, whom_en) = match audience {
                    Audience::Workers => ("từng người lao động", "every worker"),
                    _ => ("từng cán bộ, công chức, viên chức, người lao động", "every staff member"),
                };
                if *internal_system {
                    Msg::new(
                        format!("Đăng trên hệ thống thông tin nội bộ ít nhất {min_days} ngày liên tục, hoặc gửi văn bản đến {whom_vi}"),
                        format!("Publish on the internal system for at least {min_days} consecutive days, or send a written notice to {whom_en}"),
                    )
                } else {
                    Msg::new(
                        format!("Niêm yết tại trụ sở và nơi làm việc ít nhất {min_days} ngày liên tục, hoặc gửi văn bản đến {whom_vi}"),
                        format!(
                            "Post at the headquarters and work sites for at least {min_days} consecutive days, or send a written notice to \
                             {whom_en}"
                        ),
                    )
                }
            }
            Requirement::AnyForm => Msg::new(
                "Công khai bằng ít nhất một hình thức: niêm yết tại nơi làm việc, hội nghị, văn bản hoặc hệ thống thông tin nội bộ",
                "Disclose in at least one form: posting at the workplace, a meeting, a written notice or the internal system",
            ),
            Requirement::AnyChannel => {
                Msg::new("Công khai bằng ít nhất một hình thức theo quy định", "Disclose in at least one lawful form")
            }
        }
    }
}

/// What the law demands of one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Obligations {
    pub category: Category,
    /// The last day to start disclosing; `None` when the law sets none
    /// (non-state enterprises, the province).
    pub deadline: Option<NaiveDate>,
    pub requirements: Vec<Requirement>,
    /// The villages each per-village requirement covers (from
    /// [`UnitFacts::villages`]).
    pub villages: Vec<i64>,
}

/// Commune items posted for 30 days at the HQ and in every village (R1.5).
const POSTED_30_DAYS: [u8; 11] = [1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12];
/// Commune items posted permanently at the HQ (R1.6).
const POSTED_PERMANENTLY: [u8; 2] = [4, 13];
/// Commune items broadcast and relayed via village heads (R1.8, R1.9).
const BROADCAST: [u8; 6] = [7, 8, 9, 10, 11, 12];

/// What the law demands of an item of `category` decided on
/// `decision_date` (the day the decision or document was issued).
///
/// The deadline is `sector_deadline` when a sector law sets its own timing
/// (R1.3 "use the sector law's timing", R1.18 "unless another law says
/// otherwise"), else the decision date plus the regime's period, counted by
/// [`Calendar::deadline`] (C0.2).
///
/// Commune (R1.4–R1.9): every item goes on the portal when there is one;
/// items 1–3 and 5–12 are posted at the HQ and in every village for 30 days;
/// items 4 and 13 are posted permanently at the HQ; items 7–12 are also
/// broadcast for 3 days (when there is a loudspeaker system) and relayed by
/// every village head. Item 14 ("other") has no form of its own in the Law:
/// it goes on the portal, and any other form the officials use is only
/// recorded. When the commune has no portal, item 14 needs at least one
/// recorded form ([`Requirement::AnyChannel`]) so that it cannot count as
/// disclosed while nothing was done. Per-village requirements are left out
/// when `facts.villages` is empty.
///
/// `category.regime()` decides; `facts.regime` is expected to match it.
pub fn obligations(
    rules: &Rules,
    cal: &Calendar,
    category: Category,
    facts: &UnitFacts,
    decision_date: NaiveDate,
    sector_deadline: Option<NaiveDate>,
) -> Obligations {
    debug_assert_eq!(category.regime, facts.regime, "the category must belong to the unit's regime");
    let regime = category.regime;
    let deadline = sector_deadline.or_else(|| rules.deadline_period(regime).map(|p| cal.deadline(decision_date, p)));
    let has_villages = !facts.villages.is_empty();
    let mut requirements = Vec::new();
    match regime {
        Regime::Province => requirements.push(Requirement::Portal),
        Regime::Commune => {
            let n = category.number;
            if facts.has_portal {
                requirements.push(Requirement::Portal);
            }
            if POSTED_30_DAYS.contains(&n) {
                requirements.push(Requirement::PostingHq { min_days: Some(rules.commune_posting_days) });
                if has_villages {
                    requirements.push(Requirement::PostingVillages { min_days: rules.commune_posting_days });
                }
            }
            if POSTED_PERMANENTLY.contains(&n) {
                requirements.push(Requirement::PostingHq { min_days: None });
            }
            if BROADCAST.contains(&n) {
                if facts.has_loudspeaker {
                    requirements.push(Requirement::Broadcast { min_days: rules.broadcast_days });
                }
                if has_villages {
                    requirements.push(Requirement::RelayViaVillageHeads);
                }
            }
            if requirements.is_empty() {
                requirements.push(Requirement::AnyChannel);
            }
        }
        Regime::Agency => requirements.push(Requirement::StaffPublication {
            min_days: rules.agency_publication_days,
            internal_system: facts.has_internal_system,
            audience: Audience::Staff,
        }),
        Regime::StateEnterprise => requirements.push(Requirement::StaffPublication {
            min_days: rules.state_enterprise_publication_days,
            internal_system: facts.has_internal_system,
            audience: Audience::Workers,
        }),
        Regime::Enterprise => requirements.push(Requirement::AnyForm),
    }
    Obligations { category, deadline, requirements, villages: facts.villages.clone() }
}

// ---------------------------------------------------------------------------
// Records and evaluation
// ---------------------------------------------------------------------------

/// One thing done to disclose an item.
///
/// A posting or broadcast covers every day from `start` to `end`, both
/// included (30 March–28 April is 30 days). `end = None` means still posted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub channel: Channel,
    /// The village, for [`Channel::PostingVillage`] and
    /// [`Channel::VillageHead`]; `None` otherwise.
    pub place: Option<i64>,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    /// For [`Channel::WrittenNotice`]: the notice went to every staff
    /// member or worker (R1.19, R1.21).
    pub written_to_all: bool,
}

impl Record {
    /// Checks a record as entered. [`evaluate`] ignores records that fail.
    pub fn validate(&self) -> Result<(), Msg> {
        if self.end.is_some_and(|e| e < self.start) {
            return Err(Msg::new("Ngày kết thúc không được trước ngày bắt đầu.", "The end date must not be before the start date."));
        }
        if self.channel.needs_place() && self.place.is_none() {
            return Err(Msg::new("Hãy chọn thôn, tổ dân phố.", "Choose the village."));
        }
        Ok(())
    }
}

/// The state of one requirement on the day of evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ReqState {
    /// Done, started on or before the deadline.
    Done,
    /// Done, but started after the deadline.
    DoneLate,
    /// Posted and still up, the minimum not reached yet; done on `until`
    /// if it stays up. `late`: it started after the deadline.
    InProgress { until: NaiveDate, late: bool },
    /// Not started; the deadline has not passed (or there is none).
    Pending,
    /// Not started and the deadline has passed.
    Overdue,
    /// Ended before the minimum (`min = None`: a permanent posting taken
    /// down while the item was still in force). Kept as recorded and
    /// flagged; never adjusted.
    TooShort { days: u32, min: Option<u32> },
}

impl ReqState {
    /// Worst first: used to combine villages and to order lists.
    fn rank(self) -> u8 {
        match self {
            ReqState::Overdue => 0,
            ReqState::TooShort { .. } => 1,
            ReqState::Pending => 2,
            ReqState::InProgress { .. } => 3,
            ReqState::DoneLate => 4,
            ReqState::Done => 5,
        }
    }

    fn is_late(self) -> bool {
        matches!(self, ReqState::DoneLate | ReqState::InProgress { late: true, .. })
    }

    pub fn label(self) -> Msg {
        match self {
            ReqState::Done => Msg::new("Đã thực hiện đúng hạn", "Done on time"),
            ReqState::DoneLate => Msg::new("Đã thực hiện nhưng chậm", "Done late"),
            ReqState::InProgress { until, .. } => Msg::new(
                format!("Đang thực hiện, đủ thời gian vào ngày {}", until.format("%d/%m/%Y")),
                format!("In progress, complete on {}", until.format("%d/%m/%Y")),
            ),
            ReqState::Pending => Msg::new("Chưa thực hiện, còn trong hạn", "Not started, still within the deadline"),
            ReqState::Overdue => Msg::new("Quá hạn mà chưa thực hiện", "Not started and past the deadline"),
            ReqState::TooShort { days, min: Some(min) } => {
                Msg::new(format!("Chỉ thực hiện {days} ngày, chưa đủ {min} ngày"), format!("Only {days} days, fewer than {min}"))
            }
            ReqState::TooShort { days, min: None } => Msg::new(
                format!("Phải niêm yết thường xuyên nhưng đã gỡ sau {days} ngày"),
                format!("Must stay posted but was taken down after {days} days"),
            ),
        }
    }
}

/// One requirement and how it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequirementStatus {
    pub requirement: Requirement,
    pub state: ReqState,
    /// For per-village requirements: the villages with nothing valid yet
    /// (not started, or only a posting that ended too soon).
    pub missing_places: Vec<i64>,
}

/// The overall result for one item.
///
/// Order of aggregation, first match wins:
/// 1. `NonCompliant`: any requirement Overdue or TooShort;
/// 2. `Late`: any requirement done late or in progress after a late start
///    (lateness cannot be undone);
/// 3. `Pending`: any requirement not started yet, still within the deadline;
/// 4. `InProgress`: any requirement still running its minimum;
/// 5. `Compliant`: everything done on time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Compliant,
    Late,
    InProgress,
    Pending,
    NonCompliant,
}

impl Verdict {
    pub const ALL: [Verdict; 5] = [Verdict::Compliant, Verdict::Late, Verdict::InProgress, Verdict::Pending, Verdict::NonCompliant];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Compliant => "compliant",
            Verdict::Late => "late",
            Verdict::InProgress => "in_progress",
            Verdict::Pending => "pending",
            Verdict::NonCompliant => "non_compliant",
        }
    }

    pub fn parse(s: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.as_str() == s.trim())
    }

    pub fn label(self) -> Msg {
        let (vi, en) = match self {
            Verdict::Compliant => ("Đúng quy định", "Compliant"),
            Verdict::Late => ("Chậm so với quy định", "Late"),
            Verdict::InProgress => ("Đang thực hiện", "In progress"),
            Verdict::Pending => ("Chưa thực hiện, còn trong hạn", "Pending"),
            Verdict::NonCompliant => ("Không đúng quy định", "Not compliant"),
        };
        Msg::new(vi, en)
    }
}

/// The evaluation of one item on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    pub verdict: Verdict,
    pub requirements: Vec<RequirementStatus>,
    /// The earliest day after `today` on which a requirement's state (and so
    /// possibly the verdict) changes by the passing of time alone: the day
    /// after the deadline for a pending requirement, the day a running
    /// posting reaches its minimum or is due to end, the start of a
    /// scheduled posting. The app stores it and evaluates again on that day;
    /// a new record calls for a new evaluation anyway.
    pub next_change: Option<NaiveDate>,
}

/// A stretch of consecutive days (`end = None`: open).
#[derive(Debug, Clone, Copy)]
struct Run {
    start: NaiveDate,
    end: Option<NaiveDate>,
}

/// Merges intervals that overlap or touch (a gap of one day or more breaks
/// "consecutive").
fn merge_runs(mut runs: Vec<Run>) -> Vec<Run> {
    runs.sort_by_key(|r| r.start);
    let mut out: Vec<Run> = Vec::new();
    for r in runs {
        if let Some(last) = out.last_mut() {
            let touches = match last.end {
                None => true,
                Some(e) => r.start <= e + Days::new(1),
            };
            if touches {
                last.end = match (last.end, r.end) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                };
                continue;
            }
        }
        out.push(r);
    }
    out
}

fn days_inclusive(start: NaiveDate, end: NaiveDate) -> u32 {
    ((end - start).num_days() + 1).max(0) as u32
}

/// A state plus the next day it changes by time alone.
#[derive(Debug, Clone, Copy)]
struct Partial {
    state: ReqState,
    next: Option<NaiveDate>,
}

fn earliest(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

/// Preference between two candidate states for the same requirement: done
/// on time, done late, in progress (on time first, then the earliest to
/// finish), too short (the longest).
fn better(a: ReqState, b: ReqState) -> bool {
    match (a, b) {
        (ReqState::InProgress { until: ua, late: la }, ReqState::InProgress { until: ub, late: lb }) => (la, ua) < (lb, ub),
        (ReqState::TooShort { days: da, .. }, ReqState::TooShort { days: db, .. }) => da > db,
        _ => a.rank() > b.rank(),
    }
}

/// The state of a requirement met by consecutive presence: `min = Some(n)`
/// needs `n` consecutive days, `None` is a permanent posting; `Some(1)` is
/// a one-off act (a portal article, a relay, a written notice).
fn eval_runs(runs: &[Run], min: Option<u32>, deadline: Option<NaiveDate>, today: NaiveDate, superseded_on: Option<NaiveDate>) -> Partial {
    let mut best: Option<Partial> = None;
    let mut future_start: Option<NaiveDate> = None;
    for run in runs {
        if run.start > today {
            future_start = earliest(future_start, Some(run.start));
            continue;
        }
        let late = deadline.is_some_and(|d| run.start > d);
        let done = if late { ReqState::DoneLate } else { ReqState::Done };
        let closed = run.end.filter(|e| *e <= today);
        let candidate = match (min, closed) {
            (Some(m), Some(e)) => {
                let days = days_inclusive(run.start, e);
                Partial { state: if days >= m { done } else { ReqState::TooShort { days, min: Some(m) } }, next: None }
            }
            (Some(m), None) => {
                if days_inclusive(run.start, today) >= m {
                    Partial { state: done, next: None }
                } else {
                    let until = run.start + Days::new(u64::from(m.max(1)) - 1);
                    // A planned end before the minimum turns it TooShort on that day.
                    let next = match run.end {
                        Some(e) if e < until => e,
                        _ => until,
                    };
                    Partial { state: ReqState::InProgress { until, late }, next: Some(next) }
                }
            }
            (None, Some(e)) => {
                if superseded_on.is_some_and(|s| e >= s) {
                    Partial { state: done, next: None }
                } else {
                    Partial { state: ReqState::TooShort { days: days_inclusive(run.start, e), min: None }, next: None }
                }
            }
            (None, None) => {
                let next = run.end.filter(|e| superseded_on.is_none_or(|s| *e < s));
                Partial { state: done, next }
            }
        };
        if best.is_none_or(|b| better(candidate.state, b.state)) {
            best = Some(candidate);
        }
    }
    match best {
        Some(p) if matches!(p.state, ReqState::Done | ReqState::DoneLate) => p,
        Some(p) => Partial { state: p.state, next: earliest(p.next, future_start) },
        None => match deadline {
            Some(d) if today > d => Partial { state: ReqState::Overdue, next: future_start },
            Some(d) => Partial { state: ReqState::Pending, next: earliest(Some(d + Days::new(1)), future_start) },
            None => Partial { state: ReqState::Pending, next: future_start },
        },
    }
}

/// Several ways to meet one requirement: the best wins.
fn best_of(options: &[Partial]) -> Partial {
    let mut best = options[0];
    for o in &options[1..] {
        if better(o.state, best.state) {
            best = *o;
        }
    }
    if matches!(best.state, ReqState::Done | ReqState::DoneLate) {
        return best;
    }
    Partial { state: best.state, next: options.iter().fold(None, |acc, o| earliest(acc, o.next)) }
}

/// Every place must meet a requirement: the worst place decides.
fn all_of(parts: &[(i64, Partial)]) -> (Partial, Vec<i64>) {
    let mut state = ReqState::Done;
    let mut next = None;
    let mut late = false;
    let mut missing = Vec::new();
    for (place, p) in parts {
        next = earliest(next, p.next);
        late |= p.state.is_late();
        if matches!(p.state, ReqState::Pending | ReqState::Overdue | ReqState::TooShort { .. }) {
            missing.push(*place);
        }
        let worse = match (p.state, state) {
            (ReqState::InProgress { until: a, .. }, ReqState::InProgress { until: b, .. }) => a > b,
            (ReqState::TooShort { days: a, .. }, ReqState::TooShort { days: b, .. }) => a < b,
            (a, b) => a.rank() < b.rank(),
        };
        if worse {
            state = p.state;
        }
    }
    if let ReqState::InProgress { until, .. } = state {
        state = ReqState::InProgress { until, late };
    }
    (Partial { state, next }, missing)
}

fn runs_of<'a>(records: &'a [Record], pred: impl Fn(&Record) -> bool + 'a) -> Vec<Run> {
    merge_runs(records.iter().filter(|r| r.validate().is_ok() && pred(r)).map(|r| Run { start: r.start, end: r.end }).collect())
}

/// Evaluates an item on `today` against what was recorded.
///
/// `published_on_portal` is the day the item went on the platform's own
/// portal, if it did (a [`Channel::Portal`] record counts the same way). It
/// meets R1.4, counts as a form for R1.2/R1.22, and for an agency or SOE
/// with an internal system (R1.19, R1.21) it counts as online publication
/// still up today.
/// `superseded_on` is the day a newer version of the item replaced it
/// (R1.10): a permanent posting (R1.6) that ended on or after that day is
/// done; one that ended earlier is TooShort.
///
/// A requirement is late when the posting or act that meets it started
/// after the deadline. Several postings at one place merge when they touch
/// or overlap; a gap breaks "consecutive"; the best resulting stretch
/// counts. Records that fail [`Record::validate`] are ignored.
pub fn evaluate(
    obl: &Obligations,
    records: &[Record],
    published_on_portal: Option<NaiveDate>,
    superseded_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Evaluation {
    let deadline = obl.deadline;
    let once = Some(1);
    let mut statuses = Vec::with_capacity(obl.requirements.len());
    let mut next_change = None;
    for req in &obl.requirements {
        let (partial, missing) = match req {
            Requirement::Portal => {
                let mut runs = runs_of(records, |r| r.channel == Channel::Portal);
                runs.extend(published_on_portal.map(|start| Run { start, end: None }));
                (eval_runs(&runs, once, deadline, today, superseded_on), Vec::new())
            }
            Requirement::PostingHq { min_days } => {
                let runs = runs_of(records, |r| r.channel == Channel::PostingHq);
                (eval_runs(&runs, *min_days, deadline, today, superseded_on), Vec::new())
            }
            Requirement::PostingVillages { min_days } => {
                let parts: Vec<(i64, Partial)> = obl
                    .villages
                    .iter()
                    .map(|v| {
                        let runs = runs_of(records, |r| r.channel == Channel::PostingVillage && r.place == Some(*v));
                        (*v, eval_runs(&runs, Some(*min_days), deadline, today, superseded_on))
                    })
                    .collect();
                all_of(&parts)
            }
            Requirement::Broadcast { min_days } => {
                let runs = runs_of(records, |r| r.channel == Channel::Loudspeaker);
                (eval_runs(&runs, Some(*min_days), deadline, today, superseded_on), Vec::new())
            }
            Requirement::RelayViaVillageHeads => {
                let parts: Vec<(i64, Partial)> = obl
                    .villages
                    .iter()
                    .map(|v| {
                        let runs = runs_of(records, |r| r.channel == Channel::VillageHead && r.place == Some(*v));
                        (*v, eval_runs(&runs, once, deadline, today, superseded_on))
                    })
                    .collect();
                all_of(&parts)
            }
            Requirement::StaffPublication { min_days, internal_system, .. } => {
                let written = runs_of(records, |r| r.channel == Channel::WrittenNotice && r.written_to_all);
                let path = if *internal_system {
                    // The unit's website counts as online publication, and so
                    // does this platform's page (open until taken down).
                    let mut runs = runs_of(records, |r| matches!(r.channel, Channel::InternalSystem | Channel::Portal));
                    runs.extend(published_on_portal.map(|start| Run { start, end: None }));
                    merge_runs(runs)
                } else {
                    runs_of(records, |r| r.channel == Channel::PostingHq)
                };
                let options = [
                    eval_runs(&path, Some(*min_days), deadline, today, superseded_on),
                    eval_runs(&written, once, deadline, today, superseded_on),
                ];
                (best_of(&options), Vec::new())
            }
            Requirement::AnyForm | Requirement::AnyChannel => {
                let mut runs = runs_of(records, |_| true);
                runs.extend(published_on_portal.map(|start| Run { start, end: None }));
                (eval_runs(&runs, once, deadline, today, superseded_on), Vec::new())
            }
        };
        next_change = earliest(next_change, partial.next.filter(|d| *d > today));
        statuses.push(RequirementStatus { requirement: req.clone(), state: partial.state, missing_places: missing });
    }
    let states: Vec<ReqState> = statuses.iter().map(|s| s.state).collect();
    let verdict = if states.iter().any(|s| matches!(s, ReqState::Overdue | ReqState::TooShort { .. })) {
        Verdict::NonCompliant
    } else if states.iter().any(|s| s.is_late()) {
        Verdict::Late
    } else if states.contains(&ReqState::Pending) {
        Verdict::Pending
    } else if states.iter().any(|s| matches!(s, ReqState::InProgress { .. })) {
        Verdict::InProgress
    } else {
        Verdict::Compliant
    };
    Evaluation { verdict, requirements: statuses, next_change }
}

// ---------------------------------------------------------------------------
// Compliance rate
// ---------------------------------------------------------------------------

/// How many items stand at each verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct VerdictCounts {
    pub compliant: u64,
    pub late: u64,
    pub in_progress: u64,
    pub pending: u64,
    pub non_compliant: u64,
}

impl VerdictCounts {
    pub fn add(&mut self, v: Verdict) {
        match v {
            Verdict::Compliant => self.compliant += 1,
            Verdict::Late => self.late += 1,
            Verdict::InProgress => self.in_progress += 1,
            Verdict::Pending => self.pending += 1,
            Verdict::NonCompliant => self.non_compliant += 1,
        }
    }
}

/// An exact ratio.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Ratio {
    pub numerator: u64,
    pub denominator: u64,
}

impl Ratio {
    /// Tenths of a percent, rounded down (987 = 98.7 %), so that 100.0 %
    /// is shown only when every item is compliant.
    pub fn percent_tenths(self) -> u32 {
        if self.denominator == 0 {
            return 0;
        }
        (u128::from(self.numerator) * 1000 / u128::from(self.denominator)) as u32
    }
}

/// The share of items disclosed as the law requires: the compliant items
/// over the compliant, late and non-compliant ones. Items pending or in
/// progress are not yet decided and are left out; `None` when nothing is
/// decided yet.
///
/// Late counts against the rate: Thanh Hóa's Resolution 53/2024 (Điều 2,
/// khoản 2, điểm b) targets 100 % of content "công khai theo quy định",
/// and an item disclosed after the deadline was not disclosed as the law
/// requires.
pub fn compliance_rate(counts: &VerdictCounts) -> Option<Ratio> {
    let denominator = counts.compliant + counts.late + counts.non_compliant;
    (denominator > 0).then_some(Ratio { numerator: counts.compliant, denominator })
}

// ---------------------------------------------------------------------------
// Exemptions
// ---------------------------------------------------------------------------

/// A ground for withholding information from disclosure (C0.6, Law Arts.
/// 11, 46, 64). Nothing else may be withheld.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exemption {
    /// Bí mật nhà nước: every regime.
    StateSecret,
    /// Thông tin chưa được phép công khai: every regime.
    NotYetPublic,
    /// Bí mật công tác: agencies only.
    WorkSecret,
    /// Bí mật kinh doanh: state-owned enterprises only.
    BusinessSecret,
}

impl Exemption {
    pub const ALL: [Exemption; 4] = [Exemption::StateSecret, Exemption::NotYetPublic, Exemption::WorkSecret, Exemption::BusinessSecret];

    pub fn as_str(self) -> &'static str {
        match self {
            Exemption::StateSecret => "state_secret",
            Exemption::NotYetPublic => "not_yet_public",
            Exemption::WorkSecret => "work_secret",
            Exemption::BusinessSecret => "business_secret",
        }
    }

    pub fn parse(s: &str) -> Option<Exemption> {
        Exemption::ALL.into_iter().find(|e| e.as_str() == s.trim())
    }

    pub fn label(self) -> Msg {
        let (vi, en) = match self {
            Exemption::StateSecret => ("Bí mật nhà nước", "State secret"),
            Exemption::NotYetPublic => ("Thông tin chưa được phép công khai", "Information not yet allowed to be public"),
            Exemption::WorkSecret => ("Bí mật công tác", "Work secret"),
            Exemption::BusinessSecret => ("Bí mật kinh doanh", "Business secret"),
        };
        Msg::new(vi, en)
    }

    /// Whether a unit of `regime` may invoke this ground (C0.6).
    pub fn allowed_for(self, regime: Regime) -> bool {
        match self {
            Exemption::StateSecret | Exemption::NotYetPublic => true,
            Exemption::WorkSecret => regime == Regime::Agency,
            Exemption::BusinessSecret => regime == Regime::StateEnterprise,
        }
    }

    /// The grounds a regime may invoke.
    pub fn all_for(regime: Regime) -> Vec<Exemption> {
        Exemption::ALL.into_iter().filter(|e| e.allowed_for(regime)).collect()
    }

    /// Parses a ground and checks that `regime` may invoke it.
    pub fn parse_for(regime: Regime, s: &str) -> Result<Exemption, Msg> {
        let e = Exemption::parse(s).ok_or_else(|| {
            Msg::new(format!("Không có lý do miễn công khai \"{}\".", s.trim()), format!("Unknown exemption \"{}\".", s.trim()))
        })?;
        if e.allowed_for(regime) {
            return Ok(e);
        }
        let (vi, en) = regime.phrase();
        let label = e.label();
        Err(Msg::new(
            format!("Lý do \"{}\" không áp dụng cho {vi}.", label.vi),
            format!("The ground \"{}\" does not apply to {en}.", label.en),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lunar;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn cat(code: &str) -> Category {
        Category::parse(code).unwrap()
    }

    fn commune(has_portal: bool, has_loudspeaker: bool, villages: &[i64]) -> UnitFacts {
        UnitFacts { regime: Regime::Commune, has_portal, has_loudspeaker, has_internal_system: false, villages: villages.to_vec() }
    }

    fn org(regime: Regime, has_internal_system: bool) -> UnitFacts {
        UnitFacts { regime, has_portal: false, has_loudspeaker: false, has_internal_system, villages: vec![] }
    }

    fn rec(channel: Channel, place: Option<i64>, start: NaiveDate, end: Option<NaiveDate>) -> Record {
        Record { channel, place, start, end, written_to_all: false }
    }

    fn obl(category: &str, facts: &UnitFacts, decision: NaiveDate) -> Obligations {
        obligations(&Rules::default(), &Calendar::standard(), cat(category), facts, decision, None)
    }

    fn state_of(e: &Evaluation, rule: &str) -> ReqState {
        e.requirements.iter().find(|s| s.requirement.rule_id() == rule).unwrap_or_else(|| panic!("no {rule}")).state
    }

    // ---- regimes, categories, channels ----

    #[test]
    fn regime_for_each_unit_kind() {
        assert_eq!(Regime::for_unit(UnitKind::Xa), Some(Regime::Commune));
        assert_eq!(Regime::for_unit(UnitKind::Phuong), Some(Regime::Commune));
        assert_eq!(Regime::for_unit(UnitKind::ThiTran), Some(Regime::Commune));
        assert_eq!(Regime::for_unit(UnitKind::DacKhu), Some(Regime::Commune));
        assert_eq!(Regime::for_unit(UnitKind::Province), Some(Regime::Province));
        assert_eq!(Regime::for_unit(UnitKind::District), None);
        assert_eq!(Regime::for_unit(UnitKind::Thon), None);
        assert_eq!(Regime::for_unit(UnitKind::ToDanPho), None);
        for r in Regime::ALL {
            assert_eq!(Regime::parse(r.as_str()), Some(r));
            assert!(!r.label().vi.is_empty());
        }
        assert_eq!(Regime::Commune.default_audience(), Audience::Citizens);
        assert_eq!(Regime::Agency.default_audience(), Audience::Staff);
        assert_eq!(Regime::Enterprise.default_audience(), Audience::Workers);
        for a in Audience::ALL {
            assert_eq!(Audience::parse(a.as_str()), Some(a));
        }
    }

    #[test]
    fn r1_16_agencies_and_public_service_units_share_the_agency_regime_with_12_categories() {
        assert_eq!(Regime::for_unit(UnitKind::Agency), Some(Regime::Agency));
        assert_eq!(Regime::for_unit(UnitKind::PublicServiceUnit), Some(Regime::Agency));
        let all = Category::all_for(Regime::Agency);
        assert_eq!(all.len(), 12);
        assert_eq!(all[0].code(), "cq-01");
        assert_eq!(all[11].code(), "cq-12");
        assert_eq!(all[11].label().vi, "Nội dung khác");
    }

    #[test]
    fn r1_17_agency_channels_include_the_internal_system_and_staff_conference_but_not_village_channels() {
        let ch = Channel::all_for(Regime::Agency);
        assert!(ch.contains(&Channel::InternalSystem) && ch.contains(&Channel::Meeting) && ch.contains(&Channel::PostingHq));
        assert!(ch.contains(&Channel::WrittenNotice) && ch.contains(&Channel::MassOrganisations));
        assert!(!ch.contains(&Channel::PostingVillage) && !ch.contains(&Channel::VillageHead) && !ch.contains(&Channel::Loudspeaker));
        // R1.2: a commune uses the village channels and the loudspeaker.
        let commune = Channel::all_for(Regime::Commune);
        assert!(
            commune.contains(&Channel::PostingVillage)
                && commune.contains(&Channel::Loudspeaker)
                && commune.contains(&Channel::VillageHead)
        );
    }

    #[test]
    fn r1_20_state_enterprise_categories_end_with_other() {
        assert_eq!(Regime::for_unit(UnitKind::StateEnterprise), Some(Regime::StateEnterprise));
        let all = Category::all_for(Regime::StateEnterprise);
        assert_eq!(all.len(), 9);
        assert_eq!(all[2].label().vi, "Thỏa ước lao động tập thể");
        assert_eq!(all.last().unwrap().label().vi, "Nội dung khác");
        assert_eq!(all.last().unwrap().code(), "dnnn-09");
    }

    #[test]
    fn r1_22_enterprise_categories_end_with_other() {
        assert_eq!(Regime::for_unit(UnitKind::Enterprise), Some(Regime::Enterprise));
        let all = Category::all_for(Regime::Enterprise);
        assert_eq!(all.len(), 7);
        assert_eq!(all.last().unwrap().code(), "dn-07");
        assert_eq!(all.last().unwrap().label().vi, "Nội dung khác");
        let province = Category::all_for(Regime::Province);
        assert_eq!(province.iter().map(|c| c.code()).collect::<Vec<_>>(), ["tinh-01", "tinh-02"]);
        assert_eq!(province[0].label().vi, "Nghị quyết, văn bản của tỉnh");
        assert_eq!(province[1].label().vi, "Thông tin khác");
    }

    #[test]
    fn r1_1_the_commune_has_14_categories_with_stable_codes() {
        let all = Category::all_for(Regime::Commune);
        assert_eq!(all.len(), 14);
        for (i, c) in all.iter().enumerate() {
            assert_eq!(c.code(), format!("xa-{:02}", i + 1));
            assert_eq!(Category::parse(&c.code()), Some(*c));
            assert!(!c.label().vi.is_empty() && !c.label().en.is_empty());
            assert!(c.description().vi.len() > c.label().vi.len());
        }
        assert_eq!(cat("xa-13").label().vi, "Thủ tục hành chính");
        assert_eq!(Category::parse(" XA-06 "), Some(cat("xa-06")));
        assert_eq!(Category::parse("xa-15"), None);
        assert_eq!(Category::parse("xa-00"), None);
        assert_eq!(Category::parse("xa-1"), None);
        assert_eq!(Category::parse("zz-01"), None);
        assert_eq!(Category::new(Regime::Commune, 15), None);
        // Stored and sent as its code.
        use serde::de::IntoDeserializer;
        let de: serde::de::value::StrDeserializer<'_, serde::de::value::Error> = "dnnn-03".into_deserializer();
        assert_eq!(Category::deserialize(de), Ok(cat("dnnn-03")));
        let de: serde::de::value::StrDeserializer<'_, serde::de::value::Error> = "dnnn-10".into_deserializer();
        assert!(Category::deserialize(de).is_err());
    }

    #[test]
    fn r1_1_a_category_of_another_regime_is_refused_with_a_clear_message() {
        assert_eq!(Category::parse_for(Regime::Commune, "xa-07"), Ok(cat("xa-07")));
        let err = Category::parse_for(Regime::Commune, "dnnn-03").unwrap_err();
        assert_eq!(
            err.vi,
            "Loại nội dung dnnn-03 (Thỏa ước lao động tập thể) dành cho doanh nghiệp nhà nước, không áp dụng cho cấp xã. \
             Hãy chọn một loại từ xa-01 đến xa-14."
        );
        assert!(err.en.contains("does not apply to a commune"));
        let err = Category::parse_for(Regime::Agency, "xa-15").unwrap_err();
        assert_eq!(err.vi, "Không có loại nội dung \"xa-15\". Hãy chọn một loại từ cq-01 đến cq-12.");
    }

    #[test]
    fn r1_2_channels_round_trip_and_commune_forms_include_village_channels() {
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
            assert!(!c.label().vi.is_empty());
        }
        assert_eq!(Channel::parse("fax"), None);
        let commune = Channel::all_for(Regime::Commune);
        assert!(commune.contains(&Channel::PostingVillage) && commune.contains(&Channel::Loudspeaker));
        assert!(!Channel::all_for(Regime::Agency).contains(&Channel::PostingVillage));
        assert!(Channel::all_for(Regime::Enterprise).contains(&Channel::PostingWorksite));
    }

    #[test]
    fn rules_default_is_the_law() {
        let r = Rules::default();
        assert_eq!(r.deadline_period(Regime::Commune), Some(Period::WorkingDays(5)));
        assert_eq!(r.deadline_period(Regime::Agency), Some(Period::WorkingDays(5)));
        assert_eq!(r.deadline_period(Regime::StateEnterprise), Some(Period::Days(15)));
        assert_eq!(r.deadline_period(Regime::Enterprise), None);
        assert_eq!(r.deadline_period(Regime::Province), None);
        assert_eq!((r.commune_posting_days, r.broadcast_days), (30, 3));
        assert_eq!((r.agency_publication_days, r.state_enterprise_publication_days), (20, 20));
    }

    // ---- deadlines ----

    #[test]
    fn r1_3_five_working_days_across_a_weekend() {
        // Decision on Thursday 19 Nov 2026: Fri, Mon, Tue, Wed, Thu → 26 Nov.
        let o = obl("xa-02", &commune(false, false, &[1]), d(2026, 11, 19));
        assert_eq!(o.deadline, Some(d(2026, 11, 26)));
    }

    #[test]
    fn r1_3_five_working_days_across_tet_2027() {
        let tet = lunar::tet(2027);
        assert_eq!(tet, d(2027, 2, 6));
        // Decision on Thursday 4 Feb 2027. Off: 5 Feb (last day of the
        // year), the weekend 6–7 Feb, 8–9 Feb (Tết); then Wed 10 → Tue 16.
        let o = obl("xa-02", &commune(false, false, &[1]), d(2027, 2, 4));
        assert_eq!(o.deadline, Some(d(2027, 2, 16)));
    }

    #[test]
    fn r1_3_a_sector_law_deadline_replaces_the_five_days() {
        let o = obligations(
            &Rules::default(),
            &Calendar::standard(),
            cat("xa-03"),
            &commune(false, false, &[1]),
            d(2026, 11, 19),
            Some(d(2026, 12, 31)),
        );
        assert_eq!(o.deadline, Some(d(2026, 12, 31)));
    }

    #[test]
    fn r1_3_the_period_is_configurable() {
        let rules = Rules { commune_deadline: Period::WorkingDays(10), ..Rules::default() };
        let o = obligations(&rules, &Calendar::standard(), cat("xa-02"), &commune(false, false, &[1]), d(2026, 11, 19), None);
        assert_eq!(o.deadline, Some(d(2026, 12, 3)));
    }

    #[test]
    fn r1_18_agency_deadline_is_five_working_days() {
        // Decision on Wednesday 29 Apr 2026: 30 Apr and 1 May off, weekend;
        // Mon 4, Tue 5, Wed 6, Thu 7, Fri 8 May.
        let o = obl("cq-06", &org(Regime::Agency, false), d(2026, 4, 29));
        assert_eq!(o.deadline, Some(d(2026, 5, 8)));
    }

    #[test]
    fn r1_21_state_enterprise_deadline_is_15_calendar_days_not_working_days() {
        // Decision on Monday 2 Nov 2026: 15 days → Tuesday 17 Nov (15
        // working days would be 23 Nov).
        let o = obl("dnnn-01", &org(Regime::StateEnterprise, false), d(2026, 11, 2));
        assert_eq!(o.deadline, Some(d(2026, 11, 17)));
        assert_eq!(Calendar::standard().deadline(d(2026, 11, 2), Period::WorkingDays(15)), d(2026, 11, 23));
        // Ending on Saturday 21 Nov (decision Fri 6 Nov) moves to Monday 23 Nov (C0.2).
        let o = obl("dnnn-01", &org(Regime::StateEnterprise, false), d(2026, 11, 6));
        assert_eq!(o.deadline, Some(d(2026, 11, 23)));
    }

    // ---- obligations per category ----

    #[test]
    fn r1_5_items_posted_for_30_days_at_hq_and_every_village() {
        let facts = commune(false, false, &[1, 2]);
        for n in [1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12] {
            let o = obligations(
                &Rules::default(),
                &Calendar::standard(),
                Category::new(Regime::Commune, n).unwrap(),
                &facts,
                d(2026, 3, 2),
                None,
            );
            assert!(o.requirements.contains(&Requirement::PostingHq { min_days: Some(30) }), "item {n}");
            assert!(o.requirements.contains(&Requirement::PostingVillages { min_days: 30 }), "item {n}");
        }
    }

    #[test]
    fn r1_6_items_4_and_13_are_posted_permanently_at_hq_only() {
        for code in ["xa-04", "xa-13"] {
            let o = obl(code, &commune(false, true, &[1, 2]), d(2026, 3, 2));
            assert_eq!(o.requirements, vec![Requirement::PostingHq { min_days: None }]);
        }
    }

    #[test]
    fn r1_8_r1_9_items_7_to_12_are_broadcast_and_relayed() {
        for n in 7..=12 {
            let c = Category::new(Regime::Commune, n).unwrap();
            let o = obligations(&Rules::default(), &Calendar::standard(), c, &commune(false, true, &[1]), d(2026, 3, 2), None);
            assert!(o.requirements.contains(&Requirement::Broadcast { min_days: 3 }));
            assert!(o.requirements.contains(&Requirement::RelayViaVillageHeads));
        }
        for n in [1, 2, 3, 4, 5, 6, 13, 14] {
            let c = Category::new(Regime::Commune, n).unwrap();
            let o = obligations(&Rules::default(), &Calendar::standard(), c, &commune(false, true, &[1]), d(2026, 3, 2), None);
            assert!(!o.requirements.iter().any(|r| matches!(r, Requirement::Broadcast { .. } | Requirement::RelayViaVillageHeads)));
        }
    }

    #[test]
    fn r1_8_no_broadcast_required_without_a_loudspeaker_system() {
        let o = obl("xa-07", &commune(false, false, &[1]), d(2026, 3, 2));
        assert!(!o.requirements.iter().any(|r| matches!(r, Requirement::Broadcast { .. })));
        assert!(o.requirements.contains(&Requirement::RelayViaVillageHeads));
    }

    #[test]
    fn r1_4_every_item_goes_on_the_portal_when_there_is_one() {
        for c in Category::all_for(Regime::Commune) {
            let with = obligations(&Rules::default(), &Calendar::standard(), c, &commune(true, false, &[1]), d(2026, 3, 2), None);
            assert_eq!(with.requirements[0], Requirement::Portal);
            let without = obligations(&Rules::default(), &Calendar::standard(), c, &commune(false, false, &[1]), d(2026, 3, 2), None);
            assert!(!without.requirements.contains(&Requirement::Portal));
        }
        // Item 14 is portal only; without a portal it needs one recorded form.
        assert_eq!(obl("xa-14", &commune(true, true, &[1]), d(2026, 3, 2)).requirements, vec![Requirement::Portal]);
        assert_eq!(obl("xa-14", &commune(false, true, &[1]), d(2026, 3, 2)).requirements, vec![Requirement::AnyChannel]);
        // The province always publishes on its portal, with no deadline.
        let p =
            UnitFacts { regime: Regime::Province, has_portal: false, has_loudspeaker: false, has_internal_system: false, villages: vec![] };
        let o = obl("tinh-01", &p, d(2026, 3, 2));
        assert_eq!((o.deadline, o.requirements.clone()), (None, vec![Requirement::Portal]));
    }

    #[test]
    fn r1_4_portal_publication_on_time_late_and_missing() {
        // Decision Mon 2 Mar 2026 → deadline Mon 9 Mar.
        let o = obl("xa-14", &commune(true, false, &[1]), d(2026, 3, 2));
        assert_eq!(o.deadline, Some(d(2026, 3, 9)));
        let on_time = evaluate(&o, &[], Some(d(2026, 3, 9)), None, d(2026, 3, 20));
        assert_eq!((on_time.verdict, on_time.next_change), (Verdict::Compliant, None));
        let late = evaluate(&o, &[], Some(d(2026, 3, 10)), None, d(2026, 3, 20));
        assert_eq!(late.verdict, Verdict::Late);
        assert_eq!(state_of(&late, "R1.4"), ReqState::DoneLate);
        let pending = evaluate(&o, &[], None, None, d(2026, 3, 9));
        assert_eq!((pending.verdict, pending.next_change), (Verdict::Pending, Some(d(2026, 3, 10))));
        let overdue = evaluate(&o, &[], None, None, d(2026, 3, 10));
        assert_eq!((overdue.verdict, overdue.next_change), (Verdict::NonCompliant, None));
        // A portal record counts like the platform's own publication.
        let via_record = evaluate(&o, &[rec(Channel::Portal, None, d(2026, 3, 5), None)], None, None, d(2026, 3, 20));
        assert_eq!(via_record.verdict, Verdict::Compliant);
    }

    // ---- R1.5 postings ----

    /// Decision Mon 2 Mar 2026, deadline Mon 9 Mar; item 2 in a commune
    /// with villages 11 and 12, no portal, no loudspeaker.
    fn budget_item() -> Obligations {
        obl("xa-02", &commune(false, false, &[11, 12]), d(2026, 3, 2))
    }

    fn posted(start: NaiveDate, end: Option<NaiveDate>) -> Vec<Record> {
        vec![
            rec(Channel::PostingHq, None, start, end),
            rec(Channel::PostingVillage, Some(11), start, end),
            rec(Channel::PostingVillage, Some(12), start, end),
        ]
    }

    #[test]
    fn r1_5_posting_of_29_days_is_not_30() {
        // 9 March to 6 April inclusive is 29 days.
        let e = evaluate(&budget_item(), &posted(d(2026, 3, 9), Some(d(2026, 4, 6))), None, None, d(2026, 4, 20));
        assert_eq!(state_of(&e, "R1.5"), ReqState::TooShort { days: 29, min: Some(30) });
        assert_eq!(e.verdict, Verdict::NonCompliant);
    }

    #[test]
    fn r1_5_posting_of_30_days_is_enough_counting_both_ends() {
        // 30 March to 28 April is 30 days (sector deadline so the start is on time).
        let o = obligations(
            &Rules::default(),
            &Calendar::standard(),
            cat("xa-02"),
            &commune(false, false, &[11, 12]),
            d(2026, 3, 2),
            Some(d(2026, 3, 31)),
        );
        let e = evaluate(&o, &posted(d(2026, 3, 30), Some(d(2026, 4, 28))), None, None, d(2026, 5, 5));
        assert!(e.requirements.iter().all(|s| s.state == ReqState::Done));
        assert_eq!((e.verdict, e.next_change), (Verdict::Compliant, None));
    }

    #[test]
    fn r1_5_a_running_posting_is_in_progress_until_day_30() {
        let o = budget_item();
        let records = posted(d(2026, 3, 9), None);
        // 29th day: 6 April.
        let e = evaluate(&o, &records, None, None, d(2026, 4, 6));
        assert_eq!(state_of(&e, "R1.5"), ReqState::InProgress { until: d(2026, 4, 7), late: false });
        assert_eq!((e.verdict, e.next_change), (Verdict::InProgress, Some(d(2026, 4, 7))));
        // 30th day: done.
        let e = evaluate(&o, &records, None, None, d(2026, 4, 7));
        assert_eq!((e.verdict, e.next_change), (Verdict::Compliant, None));
        // A planned end before day 30 becomes TooShort on that day.
        let short = posted(d(2026, 3, 9), Some(d(2026, 4, 1)));
        let e = evaluate(&o, &short, None, None, d(2026, 3, 20));
        assert_eq!((e.verdict, e.next_change), (Verdict::InProgress, Some(d(2026, 4, 1))));
        assert_eq!(evaluate(&o, &short, None, None, d(2026, 4, 1)).verdict, Verdict::NonCompliant);
    }

    #[test]
    fn r1_5_every_village_is_required_and_missing_villages_are_listed() {
        let o = budget_item();
        let mut records = posted(d(2026, 3, 9), Some(d(2026, 4, 7)));
        records.retain(|r| r.place != Some(12));
        // Before the deadline: village 12 pending.
        let e = evaluate(&o, &records[..1], None, None, d(2026, 3, 5));
        let villages = e.requirements.iter().find(|s| matches!(s.requirement, Requirement::PostingVillages { .. })).unwrap();
        assert_eq!(villages.missing_places, vec![11, 12]);
        assert_eq!(e.verdict, Verdict::Pending);
        // After: the HQ and village 11 are done, village 12 is overdue.
        let e = evaluate(&o, &records, None, None, d(2026, 4, 20));
        let villages = e.requirements.iter().find(|s| matches!(s.requirement, Requirement::PostingVillages { .. })).unwrap();
        assert_eq!(villages.state, ReqState::Overdue);
        assert_eq!(villages.missing_places, vec![12]);
        assert_eq!(e.verdict, Verdict::NonCompliant);
        // A posting in a village that is not in the list does not help.
        records.push(rec(Channel::PostingVillage, Some(99), d(2026, 3, 9), None));
        assert_eq!(evaluate(&o, &records, None, None, d(2026, 4, 20)).verdict, Verdict::NonCompliant);
    }

    #[test]
    fn r1_5_a_gap_breaks_consecutive_days_and_touching_postings_merge() {
        let o = budget_item();
        let mut records = posted(d(2026, 3, 9), Some(d(2026, 3, 23)));
        // Reposted at HQ after a one-day gap (24 March missing): 15 + 16 days,
        // the longest stretch is 16.
        records[0] = rec(Channel::PostingHq, None, d(2026, 3, 9), Some(d(2026, 3, 23)));
        records.push(rec(Channel::PostingHq, None, d(2026, 3, 25), Some(d(2026, 4, 9))));
        let e = evaluate(&o, &records, None, None, d(2026, 5, 1));
        assert_eq!(state_of(&e, "R1.5"), ReqState::TooShort { days: 16, min: Some(30) });
        // Touching (24 March onwards) merges into 32 days.
        records.push(rec(Channel::PostingHq, None, d(2026, 3, 24), Some(d(2026, 3, 24))));
        let e = evaluate(&o, &records, None, None, d(2026, 5, 1));
        let hq = e.requirements.iter().find(|s| s.requirement == Requirement::PostingHq { min_days: Some(30) }).unwrap();
        assert_eq!(hq.state, ReqState::Done);
        // Overlapping postings merge too.
        let overlap = vec![
            rec(Channel::PostingHq, None, d(2026, 3, 9), Some(d(2026, 3, 30))),
            rec(Channel::PostingHq, None, d(2026, 3, 20), Some(d(2026, 4, 7))),
        ];
        let runs = runs_of(&overlap, |_| true);
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].end, Some(d(2026, 4, 7)));
    }

    #[test]
    fn r1_5_a_late_start_is_late_even_while_running() {
        let o = budget_item();
        let records = posted(d(2026, 3, 10), None);
        let e = evaluate(&o, &records, None, None, d(2026, 3, 20));
        assert_eq!(state_of(&e, "R1.5"), ReqState::InProgress { until: d(2026, 4, 8), late: true });
        assert_eq!(e.verdict, Verdict::Late);
        let e = evaluate(&o, &records, None, None, d(2026, 4, 8));
        assert_eq!(state_of(&e, "R1.5"), ReqState::DoneLate);
        assert_eq!(e.verdict, Verdict::Late);
    }

    #[test]
    fn r1_5_a_too_short_posting_stays_flagged_until_a_full_one_exists() {
        let o = budget_item();
        let mut records = posted(d(2026, 3, 9), Some(d(2026, 3, 15)));
        let e = evaluate(&o, &records, None, None, d(2026, 3, 20));
        assert_eq!(state_of(&e, "R1.5"), ReqState::TooShort { days: 7, min: Some(30) });
        // Reposted everywhere after the gap: in progress and late.
        records.extend(posted(d(2026, 3, 21), None));
        let e = evaluate(&o, &records, None, None, d(2026, 3, 22));
        assert_eq!(e.verdict, Verdict::Late);
        assert!(matches!(state_of(&e, "R1.5"), ReqState::InProgress { late: true, .. }));
    }

    #[test]
    fn scheduled_postings_and_invalid_records() {
        let o = budget_item();
        // A posting scheduled for tomorrow is not started yet.
        let e = evaluate(&o, &posted(d(2026, 3, 6), None), None, None, d(2026, 3, 5));
        assert_eq!((e.verdict, e.next_change), (Verdict::Pending, Some(d(2026, 3, 6))));
        // A record ending before it starts is ignored.
        let bad = rec(Channel::PostingHq, None, d(2026, 3, 9), Some(d(2026, 3, 1)));
        assert!(bad.validate().is_err());
        assert!(rec(Channel::PostingVillage, None, d(2026, 3, 9), None).validate().is_err());
        let e = evaluate(&o, &[bad], None, None, d(2026, 3, 20));
        assert_eq!(state_of(&e, "R1.5"), ReqState::Overdue);
    }

    // ---- R1.6 / R1.10 permanent postings ----

    #[test]
    fn r1_6_permanent_posting_is_done_while_it_stays_up() {
        let o = obl("xa-13", &commune(false, false, &[1]), d(2026, 3, 2));
        let up = [rec(Channel::PostingHq, None, d(2026, 3, 4), None)];
        let e = evaluate(&o, &up, None, None, d(2027, 1, 1));
        assert_eq!((e.verdict, e.next_change), (Verdict::Compliant, None));
        let down = [rec(Channel::PostingHq, None, d(2026, 3, 4), Some(d(2026, 6, 1)))];
        let e = evaluate(&o, &down, None, None, d(2026, 6, 2));
        assert_eq!(state_of(&e, "R1.6"), ReqState::TooShort { days: 90, min: None });
        assert_eq!(e.verdict, Verdict::NonCompliant);
        // A planned removal is the next change.
        let e = evaluate(&o, &down, None, None, d(2026, 5, 1));
        assert_eq!((e.verdict, e.next_change), (Verdict::Compliant, Some(d(2026, 6, 1))));
        assert!(state_of(&e, "R1.6").label().vi.contains("đúng hạn"));
        assert!(ReqState::TooShort { days: 90, min: None }.label().vi.contains("thường xuyên"));
    }

    #[test]
    fn r1_10_a_superseded_permanent_posting_that_ended_on_replacement_is_done() {
        let o = obl("xa-04", &commune(false, false, &[1]), d(2026, 3, 2));
        let down = [rec(Channel::PostingHq, None, d(2026, 3, 4), Some(d(2026, 6, 1)))];
        assert_eq!(evaluate(&o, &down, None, Some(d(2026, 6, 1)), d(2026, 7, 1)).verdict, Verdict::Compliant);
        assert_eq!(evaluate(&o, &down, None, Some(d(2026, 5, 20)), d(2026, 7, 1)).verdict, Verdict::Compliant);
        // Taken down the day before the new version: too short.
        assert_eq!(evaluate(&o, &down, None, Some(d(2026, 6, 2)), d(2026, 7, 1)).verdict, Verdict::NonCompliant);
        // With the supersession known, the planned end is no longer a change.
        let e = evaluate(&o, &down, None, Some(d(2026, 6, 1)), d(2026, 5, 1));
        assert_eq!((e.verdict, e.next_change), (Verdict::Compliant, None));
    }

    // ---- R1.8 / R1.9 ----

    #[test]
    fn r1_8_broadcast_of_2_days_is_not_3() {
        let o = obl("xa-07", &commune(false, true, &[1]), d(2026, 3, 2));
        let mut records = posted(d(2026, 3, 9), Some(d(2026, 4, 7)));
        records.retain(|r| r.place != Some(11) && r.place != Some(12));
        records.push(rec(Channel::PostingVillage, Some(1), d(2026, 3, 9), Some(d(2026, 4, 7))));
        records.push(rec(Channel::VillageHead, Some(1), d(2026, 3, 9), None));
        records.push(rec(Channel::Loudspeaker, None, d(2026, 3, 9), Some(d(2026, 3, 10))));
        let e = evaluate(&o, &records, None, None, d(2026, 4, 20));
        assert_eq!(state_of(&e, "R1.8"), ReqState::TooShort { days: 2, min: Some(3) });
        assert_eq!(e.verdict, Verdict::NonCompliant);
        // One broadcast per day, three days in a row: merged, done.
        records.push(rec(Channel::Loudspeaker, None, d(2026, 3, 11), Some(d(2026, 3, 11))));
        let e = evaluate(&o, &records, None, None, d(2026, 4, 20));
        assert_eq!(state_of(&e, "R1.8"), ReqState::Done);
        assert_eq!(e.verdict, Verdict::Compliant);
    }

    #[test]
    fn r1_8_without_a_loudspeaker_broadcasts_are_not_checked() {
        let o = obl("xa-07", &commune(false, false, &[1]), d(2026, 3, 2));
        let records = vec![
            rec(Channel::PostingHq, None, d(2026, 3, 9), Some(d(2026, 4, 7))),
            rec(Channel::PostingVillage, Some(1), d(2026, 3, 9), Some(d(2026, 4, 7))),
            rec(Channel::VillageHead, Some(1), d(2026, 3, 9), None),
        ];
        let e = evaluate(&o, &records, None, None, d(2026, 4, 20));
        assert_eq!(e.verdict, Verdict::Compliant);
        assert!(!e.requirements.iter().any(|s| s.requirement.rule_id() == "R1.8"));
    }

    #[test]
    fn r1_9_each_village_head_must_receive_the_item() {
        let o = obl("xa-09", &commune(false, false, &[1, 2, 3]), d(2026, 3, 2));
        let records =
            vec![rec(Channel::VillageHead, Some(1), d(2026, 3, 3), None), rec(Channel::VillageHead, Some(3), d(2026, 3, 12), None)];
        let e = evaluate(&o, &records, None, None, d(2026, 3, 5));
        let relay = e.requirements.iter().find(|s| s.requirement == Requirement::RelayViaVillageHeads).unwrap();
        assert_eq!((relay.state, relay.missing_places.clone()), (ReqState::Pending, vec![2, 3]));
        let e = evaluate(&o, &records, None, None, d(2026, 3, 20));
        let relay = e.requirements.iter().find(|s| s.requirement == Requirement::RelayViaVillageHeads).unwrap();
        assert_eq!((relay.state, relay.missing_places.clone()), (ReqState::Overdue, vec![2]));
        let mut all = records.clone();
        all.push(rec(Channel::VillageHead, Some(2), d(2026, 3, 6), None));
        let e = evaluate(&o, &all, None, None, d(2026, 3, 20));
        let relay = e.requirements.iter().find(|s| s.requirement == Requirement::RelayViaVillageHeads).unwrap();
        // Village 3 got it after the deadline (9 March).
        assert_eq!((relay.state, relay.missing_places.clone()), (ReqState::DoneLate, vec![]));
    }

    // ---- agencies and enterprises ----

    #[test]
    fn r1_19_internal_system_for_20_days() {
        // Decision Mon 2 Mar 2026 → deadline Mon 9 Mar.
        let o = obl("cq-02", &org(Regime::Agency, true), d(2026, 3, 2));
        assert_eq!(o.requirements[0].rule_id(), "R1.19");
        let nineteen = [rec(Channel::InternalSystem, None, d(2026, 3, 5), Some(d(2026, 3, 23)))];
        assert_eq!(evaluate(&o, &nineteen, None, None, d(2026, 4, 1)).verdict, Verdict::NonCompliant);
        let twenty = [rec(Channel::InternalSystem, None, d(2026, 3, 5), Some(d(2026, 3, 24)))];
        assert_eq!(evaluate(&o, &twenty, None, None, d(2026, 4, 1)).verdict, Verdict::Compliant);
        // With an internal system, posting at the HQ is not the required form.
        let posting = [rec(Channel::PostingHq, None, d(2026, 3, 5), Some(d(2026, 4, 1)))];
        assert_eq!(evaluate(&o, &posting, None, None, d(2026, 4, 1)).verdict, Verdict::NonCompliant);
        // Publication on the platform counts as online and stays up.
        let e = evaluate(&o, &[], Some(d(2026, 3, 5)), None, d(2026, 3, 10));
        assert_eq!((e.verdict, e.next_change), (Verdict::InProgress, Some(d(2026, 3, 24))));
        assert_eq!(evaluate(&o, &[], Some(d(2026, 3, 5)), None, d(2026, 3, 24)).verdict, Verdict::Compliant);
    }

    #[test]
    fn r1_19_without_internal_system_post_at_hq_for_20_days() {
        let o = obl("cq-06", &org(Regime::Agency, false), d(2026, 3, 2));
        let posting = [rec(Channel::PostingHq, None, d(2026, 3, 5), Some(d(2026, 3, 24)))];
        assert_eq!(evaluate(&o, &posting, None, None, d(2026, 4, 1)).verdict, Verdict::Compliant);
        // Without one, publication on the platform is not enough.
        assert_eq!(evaluate(&o, &[], Some(d(2026, 3, 5)), None, d(2026, 4, 1)).verdict, Verdict::NonCompliant);
        let running = [rec(Channel::PostingHq, None, d(2026, 3, 5), None)];
        let e = evaluate(&o, &running, None, None, d(2026, 3, 10));
        assert_eq!((e.verdict, e.next_change), (Verdict::InProgress, Some(d(2026, 3, 24))));
        assert!(o.requirements[0].label().vi.contains("Niêm yết tại trụ sở"));
    }

    #[test]
    fn r1_19_a_written_notice_to_every_staff_member_replaces_the_posting() {
        let o = obl("cq-06", &org(Regime::Agency, true), d(2026, 3, 2));
        let mut notice = rec(Channel::WrittenNotice, None, d(2026, 3, 6), None);
        // A notice to some staff only does not count.
        let e = evaluate(&o, std::slice::from_ref(&notice), None, None, d(2026, 4, 1));
        assert_eq!(e.verdict, Verdict::NonCompliant);
        notice.written_to_all = true;
        let e = evaluate(&o, &[notice], None, None, d(2026, 3, 6));
        assert_eq!((e.verdict, e.next_change), (Verdict::Compliant, None));
        // Written notice beats a running posting.
        let both = [
            rec(Channel::InternalSystem, None, d(2026, 3, 5), None),
            Record { written_to_all: true, ..rec(Channel::WrittenNotice, None, d(2026, 3, 6), None) },
        ];
        assert_eq!(evaluate(&o, &both, None, None, d(2026, 3, 7)).verdict, Verdict::Compliant);
    }

    #[test]
    fn r1_21_state_enterprise_publishes_20_days_or_writes_to_every_worker() {
        let o = obl("dnnn-05", &org(Regime::StateEnterprise, true), d(2026, 11, 2));
        assert_eq!(o.deadline, Some(d(2026, 11, 17)));
        assert_eq!(o.requirements[0].rule_id(), "R1.21");
        assert!(o.requirements[0].label().vi.contains("từng người lao động"));
        let late = [rec(Channel::InternalSystem, None, d(2026, 11, 18), Some(d(2026, 12, 20)))];
        assert_eq!(evaluate(&o, &late, None, None, d(2027, 1, 4)).verdict, Verdict::Late);
        let on_time = [rec(Channel::InternalSystem, None, d(2026, 11, 17), Some(d(2026, 12, 6)))];
        assert_eq!(evaluate(&o, &on_time, None, None, d(2027, 1, 4)).verdict, Verdict::Compliant);
    }

    #[test]
    fn r1_22_any_one_form_without_a_deadline() {
        let o = obl("dn-02", &org(Regime::Enterprise, false), d(2026, 3, 2));
        assert_eq!((o.deadline, o.requirements.clone()), (None, vec![Requirement::AnyForm]));
        let e = evaluate(&o, &[], None, None, d(2027, 3, 2));
        assert_eq!((e.verdict, e.next_change), (Verdict::Pending, None));
        for ch in [Channel::PostingWorksite, Channel::Meeting, Channel::WrittenNotice, Channel::InternalSystem] {
            let e = evaluate(&o, &[rec(ch, None, d(2026, 9, 1), None)], None, None, d(2027, 3, 2));
            assert_eq!(e.verdict, Verdict::Compliant, "{ch:?}");
        }
        // An enterprise may give itself a deadline through its regulation.
        let o = obligations(
            &Rules::default(),
            &Calendar::standard(),
            cat("dn-02"),
            &org(Regime::Enterprise, false),
            d(2026, 3, 2),
            Some(d(2026, 3, 31)),
        );
        assert_eq!(evaluate(&o, &[rec(Channel::Meeting, None, d(2026, 4, 1), None)], None, None, d(2026, 4, 2)).verdict, Verdict::Late);
    }

    // ---- verdicts and rates ----

    #[test]
    fn verdict_order_non_compliant_then_late_then_pending_then_in_progress() {
        // Item 7 with portal, loudspeaker and one village: deadline 9 March.
        let o = obl("xa-07", &commune(true, true, &[1]), d(2026, 3, 2));
        let mut records = vec![
            rec(Channel::PostingHq, None, d(2026, 3, 9), None),
            rec(Channel::PostingVillage, Some(1), d(2026, 3, 9), None),
            rec(Channel::Loudspeaker, None, d(2026, 3, 9), Some(d(2026, 3, 11))),
        ];
        // Relay and portal pending, postings in progress → Pending.
        let e = evaluate(&o, &records, None, None, d(2026, 3, 9));
        assert_eq!((e.verdict, e.next_change), (Verdict::Pending, Some(d(2026, 3, 10))));
        // Portal done late → Late even though postings still run.
        records.push(rec(Channel::VillageHead, Some(1), d(2026, 3, 9), None));
        let e = evaluate(&o, &records, Some(d(2026, 3, 10)), None, d(2026, 3, 12));
        assert_eq!((e.verdict, e.next_change), (Verdict::Late, Some(d(2026, 4, 7))));
        // Everything on time, postings running → InProgress.
        let e = evaluate(&o, &records, Some(d(2026, 3, 9)), None, d(2026, 3, 12));
        assert_eq!(e.verdict, Verdict::InProgress);
        // Broadcast cut short → NonCompliant, whatever else.
        records[2].end = Some(d(2026, 3, 10));
        assert_eq!(evaluate(&o, &records, Some(d(2026, 3, 10)), None, d(2026, 3, 12)).verdict, Verdict::NonCompliant);
        for v in Verdict::ALL {
            assert_eq!(Verdict::parse(v.as_str()), Some(v));
        }
    }

    #[test]
    fn compliance_rate_counts_late_against_the_target() {
        assert_eq!(compliance_rate(&VerdictCounts::default()), None);
        assert_eq!(compliance_rate(&VerdictCounts { pending: 4, in_progress: 2, ..Default::default() }), None);
        let mut c = VerdictCounts::default();
        for _ in 0..987 {
            c.add(Verdict::Compliant);
        }
        for _ in 0..10 {
            c.add(Verdict::Late);
        }
        for _ in 0..3 {
            c.add(Verdict::NonCompliant);
        }
        c.add(Verdict::Pending);
        c.add(Verdict::InProgress);
        let r = compliance_rate(&c).unwrap();
        assert_eq!(r, Ratio { numerator: 987, denominator: 1000 });
        assert_eq!(r.percent_tenths(), 987);
        // Rounded down: 100.0 % only when all are compliant.
        assert_eq!(Ratio { numerator: 9999, denominator: 10000 }.percent_tenths(), 999);
        assert_eq!(Ratio { numerator: 2, denominator: 3 }.percent_tenths(), 666);
        assert_eq!(Ratio { numerator: 5, denominator: 5 }.percent_tenths(), 1000);
        assert_eq!(Ratio { numerator: u64::MAX, denominator: u64::MAX }.percent_tenths(), 1000);
    }

    // ---- exemptions ----

    #[test]
    fn c0_6_exemptions_per_regime() {
        for r in Regime::ALL {
            assert!(Exemption::StateSecret.allowed_for(r));
            assert!(Exemption::NotYetPublic.allowed_for(r));
        }
        assert_eq!(Exemption::all_for(Regime::Agency), vec![Exemption::StateSecret, Exemption::NotYetPublic, Exemption::WorkSecret]);
        assert_eq!(
            Exemption::all_for(Regime::StateEnterprise),
            vec![Exemption::StateSecret, Exemption::NotYetPublic, Exemption::BusinessSecret]
        );
        assert_eq!(Exemption::all_for(Regime::Commune), vec![Exemption::StateSecret, Exemption::NotYetPublic]);
        assert_eq!(Exemption::all_for(Regime::Enterprise), vec![Exemption::StateSecret, Exemption::NotYetPublic]);
        assert!(!Exemption::WorkSecret.allowed_for(Regime::Commune));
        assert!(!Exemption::BusinessSecret.allowed_for(Regime::Agency));
        assert_eq!(Exemption::parse_for(Regime::Agency, "work_secret"), Ok(Exemption::WorkSecret));
        assert_eq!(
            Exemption::parse_for(Regime::Commune, "work_secret").unwrap_err().vi,
            "Lý do \"Bí mật công tác\" không áp dụng cho cấp xã."
        );
        assert!(Exemption::parse_for(Regime::Commune, "privacy").is_err());
        for e in Exemption::ALL {
            assert_eq!(Exemption::parse(e.as_str()), Some(e));
        }
    }
}
