//! The documents of a community decision, built from the stored decision
//! in the official layout (`danchu_docs`): the written decision of R2.16,
//! the vote-count minutes of a meeting (Mẫu 02, R2.10–R2.11), the count
//! minutes of household ballots (Mẫu 04, R2.13) and the printable ballots
//! with a QR code of each ballot's code (R2.13).
//!
//! A document exists only from the state that gives it its content: the
//! written decision and Mẫu 04 once the result is frozen (closing), Mẫu 02
//! once the meeting's result is recorded, ballots once issued. Asking
//! earlier is a conflict (409) with the reason in Vietnamese and English.
//!
//! The template texts of Decree 59's forms are not in our sources
//! (legal-spec C0.8); see `danchu_docs::decision` for what that means for
//! the wording.

use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime};
use danchu_docs::{BallotCard, BallotMinutes, BallotSheet, DecisionRecord, Document, Header, MeetingMinutes, VillageResult, VoteTally};
use danchu_domain::decision::{Counts, Form, Subject};
use danchu_domain::disclosure::Regime;
use danchu_domain::Msg;
use danchu_store::decision_docs as dd;
use danchu_store::decisions::{self as ds, Decision, VillageRow};
use danchu_store::units::{self, Unit};

/// The footer note of documents made from demo data.
const DEMO_NOTE: &str = "Bản in từ danchu – dữ liệu minh họa";

/// Which document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// The written decision (R2.16).
    Decision,
    /// Vote-count minutes of a meeting (Mẫu 02).
    Minutes02,
    /// Count minutes of household ballots (Mẫu 04).
    Minutes04,
}

/// PDF or DOCX.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Docx,
}

impl Format {
    pub fn mime(self) -> &'static str {
        match self {
            Format::Pdf => "application/pdf",
            Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }
    }

    pub fn ext(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
        }
    }
}

impl DocKind {
    /// `decision.pdf`, `minutes-02.docx`, … as in the download routes.
    pub fn parse(s: &str) -> Option<(DocKind, Format)> {
        let (name, ext) = s.rsplit_once('.')?;
        let kind = match name {
            "decision" => DocKind::Decision,
            "minutes-02" => DocKind::Minutes02,
            "minutes-04" => DocKind::Minutes04,
            _ => return None,
        };
        let format = match ext {
            "pdf" => Format::Pdf,
            "docx" => Format::Docx,
            _ => return None,
        };
        Some((kind, format))
    }

    /// The file's base name (ASCII).
    pub fn file_base(self, id: i64) -> String {
        match self {
            DocKind::Decision => format!("van-ban-quyet-dinh-{id}"),
            DocKind::Minutes02 => format!("bien-ban-kiem-phieu-mau-02-{id}"),
            DocKind::Minutes04 => format!("bien-ban-kiem-phieu-mau-04-{id}"),
        }
    }
}

fn conflict(vi: impl Into<String>, en: impl Into<String>) -> AppError {
    AppError::Conflict(Msg::new(vi, en))
}

fn local(ms: i64) -> NaiveDateTime {
    let offset = FixedOffset::east_opt(7 * 3600).expect("valid offset");
    DateTime::from_timestamp_millis(ms).map(|t| t.with_timezone(&offset).naive_local()).unwrap_or_default()
}

/// "17:00 ngày 06/12/2026".
fn vn_instant(ms: i64) -> String {
    local(ms).format("%H:%M ngày %d/%m/%Y").to_string()
}

/// "06/12/2026" from an ISO date (kept as is when it is not one).
fn vn_day(iso: &str) -> String {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d").map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_else(|_| iso.to_string())
}

fn place_date(commune: &Unit, d: NaiveDate) -> String {
    let place = danchu_domain::units::short_name(&commune.name);
    format!("{place}, ngày {:02} tháng {:02} năm {}", d.day(), d.month(), d.year())
}

fn tally(c: Counts) -> VoteTally {
    VoteTally { agree: c.agree, disagree: c.disagree, other: c.other, invalid: c.invalid }
}

fn subject_of(d: &Decision) -> AppResult<Subject> {
    u8::try_from(d.subject).ok().and_then(Subject::from_number).ok_or_else(|| AppError::internal("stored subject"))
}

fn form_of(d: &Decision) -> AppResult<Form> {
    Form::parse(&d.form).ok_or_else(|| AppError::internal("stored form"))
}

fn commune_wide(d: &Decision) -> bool {
    d.scope == "commune"
}

/// A decision with its commune and villages, as every document needs them.
pub struct Loaded {
    pub d: Decision,
    pub commune: Unit,
    pub villages: Vec<VillageRow>,
}

/// Loads a decision, its commune and its villages (404 when unknown).
pub async fn load(ctx: &Ctx, id: i64) -> AppResult<Loaded> {
    let d = ds::get(&ctx.store, id).await?.ok_or(AppError::NotFound)?;
    let commune = units::get(&ctx.store, d.unit_id).await?;
    let villages = ds::village_results(&ctx.store, id).await?;
    Ok(Loaded { d, commune, villages })
}

impl Loaded {
    /// The village a per-village document is for: the one asked for (it
    /// must take part), or the only one.
    pub fn village(&self, asked: Option<i64>) -> AppResult<&VillageRow> {
        match asked {
            Some(v) => self.villages.iter().find(|r| r.village_id == v).ok_or_else(|| {
                AppError::BadRequest(Msg::new(
                    "Thôn, tổ dân phố này không tham gia nội dung biểu quyết.",
                    "This village does not take part in the decision.",
                ))
            }),
            None if self.villages.len() == 1 => Ok(&self.villages[0]),
            None => Err(AppError::BadRequest(Msg::new(
                "Nội dung này có nhiều thôn, tổ dân phố tham gia: hãy chọn thôn, tổ dân phố (?village=…).",
                "Several villages take part: choose one (?village=…).",
            ))),
        }
    }

    fn header(&self, village: Option<&VillageRow>, province: &Unit, on: NaiveDate) -> Header {
        let note = self.d.is_demo.then(|| DEMO_NOTE.to_string());
        match village {
            Some(v) => Header {
                issuer_parent: Some(format!("UBND {}", self.commune.name.to_uppercase())),
                issuer: v.village_name.to_uppercase(),
                place_date: place_date(&self.commune, on),
                note,
            },
            None => {
                let (parent, issuer, _, _) = crate::documents::issuer(&self.commune, province, Regime::Commune);
                Header { issuer_parent: parent, issuer, place_date: place_date(&self.commune, on), note }
            }
        }
    }

    fn closed_day(&self) -> NaiveDate {
        self.d.closed_at.or(self.d.result.map(|r| r.frozen_at)).map(|ms| local(ms).date()).unwrap_or_default()
    }
}

fn not_closed() -> AppError {
    conflict(
        "Biểu quyết chưa kết thúc: văn bản quyết định và biên bản kiểm phiếu chỉ lập được sau khi chốt kết quả (Điều 20 Luật Thực \
         hiện dân chủ ở cơ sở, R2.16).",
        "The vote is not closed: the written decision and the count minutes exist only once the result is frozen (R2.16).",
    )
}

/// The written decision of R2.16 (409 before closing).
pub async fn written_decision(ctx: &Ctx, province: &Unit, l: &Loaded) -> AppResult<Document> {
    let d = &l.d;
    let r = d.result.ok_or_else(not_closed)?;
    let subject = subject_of(d)?;
    let form = form_of(d)?;
    let wide = commune_wide(d);
    let village = if wide { None } else { l.villages.first() };
    // At a meeting the representatives present are those of the meeting
    // (R2.16); for ballots and online votes, the households whose vote counted.
    let mut took_part = r.voted.max(0) as u64;
    if form == Form::Meeting {
        let meetings = dd::meetings(&ctx.store, d.id).await?;
        let present: i64 = l
            .villages
            .iter()
            .filter_map(|v| meetings.iter().filter(|m| m.village_id == v.village_id).max_by_key(|m| (m.held_on.clone(), m.id)))
            .map(|m| m.present)
            .sum();
        if present > 0 {
            took_part = present as u64;
        }
    }
    let threshold = if wide {
        format!("{} tổng số thôn, tổ dân phố của xã tán thành", subject.threshold().describe().vi)
    } else {
        format!("{} tổng số hộ gia đình của thôn, tổ dân phố", subject.threshold().describe().vi)
    };
    let record = DecisionRecord {
        header: l.header(village, province, l.closed_day()),
        kind: if wide { "BIÊN BẢN".into() } else { "NGHỊ QUYẾT".into() },
        title: d.title.clone(),
        community: match village {
            Some(v) => format!("{}, {}", v.village_name, l.commune.name),
            None => l.commune.name.clone(),
        },
        commune_wide: wide,
        subject: format!("khoản {} Điều 15 Luật Thực hiện dân chủ ở cơ sở: {}", subject.number(), subject.label().vi),
        form: form.label().vi,
        secret: d.secret,
        question: d.question.clone(),
        content: d.content.clone(),
        decision_date: vn_day(&d.decision_date),
        period: match (d.opens_at, d.closes_at) {
            (Some(o), Some(c)) => Some(format!("từ {} đến {}", vn_instant(o), vn_instant(c))),
            _ => None,
        },
        closed_on: vn_instant(d.closed_at.unwrap_or(r.frozen_at)),
        total_households: r.households.max(0) as u64,
        took_part,
        tally: VoteTally {
            agree: r.agree.max(0) as u64,
            disagree: r.disagree.max(0) as u64,
            other: r.other.max(0) as u64,
            invalid: r.invalid.max(0) as u64,
        },
        threshold,
        required: r.required.max(0) as u64,
        passed: r.passed,
        villages: if wide {
            l.villages
                .iter()
                .map(|v| {
                    let (c, required, passed) = v.result.unwrap_or((Counts::default(), 0, false));
                    VillageResult {
                        name: v.village_name.clone(),
                        households: v.households.max(0) as u64,
                        tally: tally(c),
                        required: required.max(0) as u64,
                        passed,
                    }
                })
                .collect()
        } else {
            Vec::new()
        },
    };
    let mut doc = danchu_docs::written_decision(&record);
    if form == Form::OnlineVote {
        doc.blocks.extend(participation_annex(ctx, d, took_part).await?);
    }
    Ok(doc)
}

/// The participation list of an online vote (R2.14: the minutes carry the
/// list of participants), in voting order: who took part and when, never
/// how (an open vote's choice is not printed either).
async fn participation_annex(ctx: &Ctx, d: &Decision, voted: u64) -> AppResult<Vec<danchu_docs::Block>> {
    use danchu_docs::{Align, Block, Column, Table};
    let rows = ds::participation(&ctx.store, d.id, None, 0, voted as i64 + 1).await?;
    Ok(vec![
        Block::Heading("PHỤ LỤC: DANH SÁCH HỘ GIA ĐÌNH THAM GIA BIỂU QUYẾT TRỰC TUYẾN".into()),
        Block::Table(Table {
            columns: vec![
                Column::new("STT", 1).aligned(Align::Center),
                Column::new("Mã hộ", 3),
                Column::new("Đại diện hộ gia đình", 5),
                Column::new("Thời điểm biểu quyết", 4),
            ],
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    vec![
                        (i + 1).to_string(),
                        p.household_code.clone(),
                        p.representative.clone().unwrap_or_default(),
                        vn_instant(p.voted_at),
                    ]
                })
                .collect(),
        }),
    ])
}

/// The vote-count minutes of a village's meeting (Mẫu 02): 409 unless the
/// decision is taken at a meeting whose result is recorded.
pub async fn meeting_minutes(ctx: &Ctx, province: &Unit, l: &Loaded, village: &VillageRow) -> AppResult<Document> {
    let d = &l.d;
    if form_of(d)? != Form::Meeting {
        return Err(conflict(
            "Nội dung này không biểu quyết tại cuộc họp nên không có biên bản kiểm phiếu Mẫu 02.",
            "This decision is not taken at a meeting, so there are no meeting count minutes (Mẫu 02).",
        ));
    }
    let meetings = dd::meetings(&ctx.store, d.id).await?;
    let meeting = meetings
        .iter()
        .filter(|m| m.village_id == village.village_id && m.result.is_some())
        .max_by_key(|m| (m.held_on.clone(), m.id))
        .ok_or_else(|| {
            conflict(
                "Chưa có kết quả biểu quyết của cuộc họp thôn, tổ dân phố này: biên bản kiểm phiếu Mẫu 02 lập sau khi ghi kết quả \
                 (R2.10, R2.11).",
                "No meeting result is recorded for this village yet: the count minutes (Mẫu 02) follow it (R2.10, R2.11).",
            )
        })?;
    let subject = subject_of(d)?;
    let households = village.households.max(0) as u64;
    let counts = meeting.result.unwrap_or_default();
    let threshold = subject.threshold();
    let held = NaiveDate::parse_from_str(&meeting.held_on, "%Y-%m-%d").unwrap_or_else(|_| l.closed_day());
    let minutes = MeetingMinutes {
        header: l.header(Some(village), province, held),
        title: d.title.clone(),
        question: d.question.clone(),
        village: village.village_name.clone(),
        held_on: vn_day(&meeting.held_on),
        notice_on: vn_day(&meeting.notice_on),
        documents_on: vn_day(&meeting.documents_on),
        total_households: households,
        present: meeting.present.max(0) as u64,
        secretary: meeting.secretary.clone(),
        committee: meeting.committee.lines().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect(),
        secret: meeting.method == "secret",
        tally: Some(tally(counts)),
        threshold: format!("{} tổng số hộ gia đình của thôn, tổ dân phố", threshold.describe().vi),
        required: threshold.required(households),
        passed: Some(threshold.passes(counts.agree, households)),
    };
    Ok(danchu_docs::vote_count_minutes(&minutes))
}

fn not_ballot() -> AppError {
    conflict(
        "Nội dung này không lấy ý kiến bằng phiếu hộ gia đình nên không có phiếu và biên bản kiểm phiếu Mẫu 04 (R2.13).",
        "This decision is not taken by household ballot, so it has no ballots nor ballot count minutes (Mẫu 04, R2.13).",
    )
}

/// The count minutes of a village's household ballots (Mẫu 04): 409 unless
/// the decision is taken by household ballot and closed.
pub async fn ballot_minutes(ctx: &Ctx, province: &Unit, l: &Loaded, village: &VillageRow) -> AppResult<Document> {
    let d = &l.d;
    if form_of(d)? != Form::HouseholdBallot {
        return Err(not_ballot());
    }
    let (counts, required, passed) = village.result.ok_or_else(not_closed)?;
    let subject = subject_of(d)?;
    let stats = dd::paper_stats(&ctx.store, d.id, village.village_id).await?;
    // The latest team of the village (a team may be replaced).
    let team = ds::count_teams(&ctx.store, d.id).await?.into_iter().rev().find(|t| t.village_id == village.village_id);
    let (members, witnesses) = match &team {
        Some(t) => (
            t.members.lines().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect(),
            [t.witness_1.clone(), t.witness_2.clone()],
        ),
        None => (Vec::new(), [String::new(), String::new()]),
    };
    let minutes = BallotMinutes {
        header: l.header(Some(village), province, l.closed_day()),
        title: d.title.clone(),
        question: d.question.clone(),
        village: village.village_name.clone(),
        team: members,
        witnesses,
        total_households: village.households.max(0) as u64,
        issued: stats.issued.max(0) as u64,
        returned: stats.returned.max(0) as u64,
        tally: tally(counts),
        deadline: d.closes_at.map(vn_instant),
        threshold: format!("{} tổng số hộ gia đình của thôn, tổ dân phố", subject.threshold().describe().vi),
        required: required.max(0) as u64,
        passed,
    };
    Ok(danchu_docs::ballot_count_minutes(&minutes))
}

/// The printable ballots of a village (PDF, two per A4 page) and how many:
/// 409 unless the decision is taken by household ballot, its ballots are
/// issued and it is not closed.
pub async fn ballots(ctx: &Ctx, province: &Unit, l: &Loaded, village: &VillageRow) -> AppResult<(Vec<u8>, usize)> {
    let d = &l.d;
    if form_of(d)? != Form::HouseholdBallot {
        return Err(not_ballot());
    }
    if d.result.is_some() {
        return Err(conflict(
            "Biểu quyết đã kết thúc: không in thêm phiếu lấy ý kiến.",
            "The vote is closed: no more ballots are printed.",
        ));
    }
    let rows = dd::ballots_to_print(&ctx.store, d.id, village.village_id).await?;
    if rows.is_empty() {
        return Err(conflict(
            "Chưa phát phiếu cho các hộ gia đình của thôn, tổ dân phố này: hãy phát phiếu trước khi in (R2.13).",
            "No ballots are issued to this village's households yet: issue them before printing (R2.13).",
        ));
    }
    let wide = commune_wide(d);
    let header = l.header(if wide { None } else { Some(village) }, province, l.closed_day());
    let sheet = BallotSheet {
        issuer_parent: header.issuer_parent,
        issuer: header.issuer,
        commune_wide: wide,
        title: d.title.clone(),
        question: d.question.clone(),
        village: format!("{}, {}", village.village_name, l.commune.name),
        deadline: d.closes_at.map(vn_instant).unwrap_or_else(|| "……………………………".to_string()),
        note: header.note,
    };
    let cards: Vec<BallotCard> = rows
        .iter()
        .map(|r| BallotCard {
            code: r.code.clone(),
            household: match &r.representative {
                Some(name) => format!("mã hộ {} – đại diện: {}", r.household_code, name),
                None => format!("mã hộ {} – {}", r.household_code, r.address),
            },
        })
        .collect();
    let n = cards.len();
    let pdf = tokio::task::spawn_blocking(move || danchu_docs::ballots_pdf(&sheet, &cards))
        .await
        .map_err(AppError::internal)?
        .map_err(|e| AppError::Internal(format!("ballots pdf: {e}")))?;
    Ok((pdf, n))
}

/// A download offered on the decision's page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocLink {
    pub href: String,
    pub label: Msg,
}

/// The documents that exist for a decision in its current state, for the
/// officials' decision page to link to (the routes refuse the others with
/// 409 anyway). Meeting minutes are offered per village whatever their
/// state: whether a result is recorded is only known by asking.
pub fn document_links(d: &Decision, villages: &[VillageRow]) -> Vec<DocLink> {
    let mut out = Vec::new();
    let id = d.id;
    let several = villages.len() > 1;
    let q = |v: &VillageRow| if several { format!("?village={}", v.village_id) } else { String::new() };
    if d.result.is_some() {
        for ext in ["pdf", "docx"] {
            out.push(DocLink {
                href: format!("/admin/decisions/{id}/documents/decision.{ext}"),
                label: Msg::new(
                    format!("Văn bản quyết định ({})", ext.to_uppercase()),
                    format!("Written decision ({})", ext.to_uppercase()),
                ),
            });
        }
    }
    for v in villages {
        let suffix = if several { format!(" – {}", v.village_name) } else { String::new() };
        match d.form.as_str() {
            f if f == Form::Meeting.as_str() => {
                for ext in ["pdf", "docx"] {
                    out.push(DocLink {
                        href: format!("/admin/decisions/{id}/documents/minutes-02.{ext}{}", q(v)),
                        label: Msg::new(
                            format!("Biên bản kiểm phiếu Mẫu 02 ({}){suffix}", ext.to_uppercase()),
                            format!("Meeting count minutes, form 02 ({}){suffix}", ext.to_uppercase()),
                        ),
                    });
                }
            }
            f if f == Form::HouseholdBallot.as_str() => {
                if d.result.is_some() && v.result.is_some() {
                    for ext in ["pdf", "docx"] {
                        out.push(DocLink {
                            href: format!("/admin/decisions/{id}/documents/minutes-04.{ext}{}", q(v)),
                            label: Msg::new(
                                format!("Biên bản kiểm phiếu Mẫu 04 ({}){suffix}", ext.to_uppercase()),
                                format!("Ballot count minutes, form 04 ({}){suffix}", ext.to_uppercase()),
                            ),
                        });
                    }
                } else if d.result.is_none() {
                    out.push(DocLink {
                        href: format!("/admin/decisions/{id}/villages/{}/ballots.pdf", v.village_id),
                        label: Msg::new(format!("In phiếu lấy ý kiến (PDF){suffix}"), format!("Print the ballots (PDF){suffix}")),
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// Renders a document off the async threads.
pub async fn render(doc: Document, format: Format) -> AppResult<Vec<u8>> {
    tokio::task::spawn_blocking(move || match format {
        Format::Pdf => danchu_docs::to_pdf(&doc),
        Format::Docx => danchu_docs::to_docx(&doc),
    })
    .await
    .map_err(AppError::internal)?
    .map_err(|e| AppError::Internal(format!("{}: {e}", format.ext())))
}

/// The disclosure category a decision's result is published under: the
/// setting `decision_result_category` (default `xa-14`, "other items
/// required by law", R1.1 (14): R1.1 names no item for community decisions;
/// Law Art. 23 (R2.21) requires the result to be made public).
pub fn result_category(ctx: &Ctx) -> AppResult<danchu_domain::disclosure::Category> {
    danchu_domain::disclosure::Category::parse_for(Regime::Commune, &ctx.cfg.decision_result_category)
        .map_err(|m| AppError::Internal(format!("decision_result_category: {}", m.en)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_names_parse() {
        assert_eq!(DocKind::parse("decision.pdf"), Some((DocKind::Decision, Format::Pdf)));
        assert_eq!(DocKind::parse("minutes-02.docx"), Some((DocKind::Minutes02, Format::Docx)));
        assert_eq!(DocKind::parse("minutes-04.pdf"), Some((DocKind::Minutes04, Format::Pdf)));
        assert_eq!(DocKind::parse("minutes-03.pdf"), None);
        assert_eq!(DocKind::parse("decision.exe"), None);
        assert_eq!(DocKind::parse("decision"), None);
    }
}
