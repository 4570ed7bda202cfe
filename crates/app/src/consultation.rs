//! Consultations (Dân bàn) outside the request path: splitting drafts into
//! stored parts, the jobs that group near-duplicate comments and compute the
//! opinion groups, the notifications (opening, a week before the close, the
//! synthesis), and the synthesis report in the official layout.

use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::web::chrome::vn_date;
use chrono::NaiveDate;
use danchu_docs::{Block, Column, Document, Table};
use danchu_domain::consultation::{Channel, HideReason, Rules, Subject};
use danchu_domain::disclosure::{Category, Regime};
use danchu_domain::draft::Draft;
use danchu_domain::{opinion, similar, Lang};
use danchu_store::consultations::{self as cs, Consultation, NewGroup, PartRow};
use danchu_store::units::Unit;
use danchu_store::{jobs, notifications, now_ms, Tx};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Job: regroup the near-duplicate comments of a consultation.
pub const REGROUP: &str = "consultation_regroup";
/// Job: recompute the opinion groups of a consultation.
pub const ANALYSE: &str = "consultation_analyse";
/// Job: tell subscribers that a consultation opened, closes soon, or has its
/// synthesis published.
pub const NOTIFY: &str = "consultation_notify";
/// Job kind: the coalesced public-version bump after comments.
pub const PUBLIC_BUMP: &str = "public_version_bump";

/// The consultation rules in force (the law's defaults).
pub fn rules(_ctx: &Ctx) -> Rules {
    Rules::default()
}

/// The stored rows of a parsed draft.
pub fn parts_of(d: &Draft) -> Vec<PartRow> {
    d.parts
        .iter()
        .map(|p| PartRow {
            ordinal: p.ordinal as i64,
            path: p.path.clone(),
            kind: p.kind.code().to_string(),
            number: p.number.clone(),
            title: p.title.clone(),
            heading: p.heading.clone(),
            body: p.text.clone(),
            parent_ordinal: p.parent.map(|i| i as i64),
            depth: p.depth as i64,
        })
        .collect()
}

/// The disclosure category under which a consultation and its synthesis are
/// published: commune item 11 (R1.1, R3.5), the agency's "staff opinions and
/// explanation" (R1.16, R3.9), the enterprise's "other items".
pub fn disclosure_category(regime: Regime) -> Category {
    let all = Category::all_for(regime);
    match regime {
        Regime::Commune | Regime::Province => Category::new(Regime::Commune, 11).expect("xa-11 exists"),
        Regime::Agency => {
            all.iter().copied().find(|c| c.label().en == "Staff opinions and explanation").unwrap_or(*all.last().expect("categories"))
        }
        _ => *all.last().expect("categories"),
    }
}

/// Subject label for a stored code.
pub fn subject_label(regime: Regime, code: &str, lang: Lang) -> String {
    Subject::parse_for(regime, code).map(|s| s.label().get(lang).to_string()).unwrap_or_else(|_| code.to_string())
}

pub fn channel_label(code: &str, lang: Lang) -> String {
    Channel::parse(code).map(|c| c.label().get(lang).to_string()).unwrap_or_else(|| code.to_string())
}

pub fn hide_reason_label(code: &str, lang: Lang) -> String {
    HideReason::parse(code).map(|c| c.label().get(lang).to_string()).unwrap_or_else(|| code.to_string())
}

/// The key of the regrouping job of this minute (one per minute per
/// consultation).
fn regroup_key(id: i64, now: i64) -> String {
    format!("regroup:{id}:{}", now / 60_000)
}

async fn enqueue_regroup(tx: &mut Tx, id: i64, key: &str, now: i64) -> AppResult<()> {
    let payload = serde_json::json!({ "id": id }).to_string();
    jobs::enqueue_once(tx, REGROUP, &payload, key, now + 5_000).await?;
    Ok(())
}

/// Schedules a regrouping of the comments, at most one per minute per
/// consultation (the job key is the minute).
pub async fn schedule_regroup(tx: &mut Tx, id: i64) -> AppResult<()> {
    let now = now_ms();
    enqueue_regroup(tx, id, &regroup_key(id, now), now).await
}

/// The jobs a new online comment needs, each skipped without a look-up when
/// this node saw it committed already ([`jobs::known_enqueued`]); returns
/// their keys, for the caller to note once its transaction has committed:
/// - the regrouping of this minute ([`schedule_regroup`]);
/// - the bump of the public-content version (other nodes then drop their
///   cached pages), coalesced to one per second for the whole platform: the
///   platform's one version row would otherwise be updated, hence locked, by
///   every comment. The job runs two seconds after its second ends, after
///   any comment of that second has committed; the node that took the
///   comment clears its own cache at once.
pub async fn schedule_after_comment(tx: &mut Tx, store: &danchu_store::Store, id: i64) -> AppResult<Vec<String>> {
    let now = now_ms();
    let regroup = regroup_key(id, now);
    if !jobs::known_enqueued(store, &regroup) {
        enqueue_regroup(tx, id, &regroup, now).await?;
    }
    let sec = now / 1_000;
    let bump = format!("public-bump:{sec}");
    if !jobs::known_enqueued(store, &bump) {
        jobs::enqueue_once(tx, PUBLIC_BUMP, "{}", &bump, (sec + 2) * 1_000).await?;
    }
    Ok(vec![regroup, bump])
}

/// Bumps the public-content version (the [`PUBLIC_BUMP`] job).
pub async fn run_public_bump(ctx: &Ctx) -> Result<(), String> {
    let mut tx = ctx.store.write().await.map_err(|e| e.to_string())?;
    danchu_store::meta::bump_public_version(&mut tx).await.map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    crate::web::cache::local_change();
    Ok(())
}

/// Schedules the opinion groups' recomputation, at most one per 30 seconds
/// per consultation.
pub async fn schedule_analysis(tx: &mut Tx, id: i64) -> AppResult<()> {
    let bucket = now_ms() / 30_000;
    let payload = serde_json::json!({ "id": id }).to_string();
    jobs::enqueue(tx, ANALYSE, &payload, Some(&format!("analyse:{id}:{bucket}")), now_ms() + 2_000).await?;
    Ok(())
}

/// Withdraws the generic "new disclosure" notice of the disclosure item
/// published with a consultation (its opening or its synthesis): the
/// consultation's own notice (`schedule_notify`) reaches the same
/// subscribers, and nobody should get two e-mails for one event.
pub async fn without_disclosure_notice(tx: &mut Tx, item_id: i64) -> AppResult<()> {
    jobs::cancel(tx, &format!("notify:{item_id}:1")).await?;
    Ok(())
}

/// Schedules a notification fan-out (`open`, `reminder`, `synthesis`), once.
pub async fn schedule_notify(tx: &mut Tx, id: i64, kind: &str) -> AppResult<()> {
    let payload = serde_json::json!({ "id": id, "kind": kind }).to_string();
    jobs::enqueue(tx, NOTIFY, &payload, Some(&format!("consultation-notify:{id}:{kind}")), now_ms()).await?;
    crate::jobs::wake();
    Ok(())
}

/// Groups the visible comments of a consultation (the [`REGROUP`] job).
/// Groups never mix parts of the draft: an opinion on article 3 and the same
/// words on article 5 are answered separately.
pub async fn run_regroup(ctx: &Ctx, id: i64) -> Result<(), String> {
    let e = |e: danchu_store::StoreError| e.to_string();
    let rows = cs::texts_for_grouping(&ctx.store, id).await.map_err(e)?;
    let groups = tokio::task::spawn_blocking(move || group_rows(&rows)).await.map_err(|e| e.to_string())?;
    let mut tx = ctx.store.write().await.map_err(e)?;
    cs::replace_groups(&mut tx, id, &groups).await.map_err(e)?;
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(())
}

/// The grouping itself: per part, near-duplicates by MinHash
/// (danchu_domain::similar); groups of two or more.
pub fn group_rows(rows: &[(i64, String, Option<String>, bool)]) -> Vec<NewGroup> {
    let mut by_part: HashMap<Option<&str>, Vec<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        by_part.entry(r.2.as_deref()).or_default().push(i);
    }
    let params = similar::Params::default();
    let mut out = Vec::new();
    let mut parts: Vec<_> = by_part.into_iter().collect();
    parts.sort_by(|a, b| a.0.cmp(&b.0));
    for (part, idx) in parts {
        let texts: Vec<&str> = idx.iter().map(|&i| rows[i].1.as_str()).collect();
        let g = similar::group(&texts, &params);
        // A comment alone is answered on its own: only groups of two or
        // more are stored (20,000 distinct comments write no group at all).
        for grp in g.groups.into_iter().filter(|g| g.members.len() > 1) {
            let members: Vec<i64> = grp.members.iter().map(|&m| rows[idx[m]].0).collect();
            let unanswered = grp.members.iter().filter(|&&m| !rows[idx[m]].3).count() as i64;
            out.push(NewGroup {
                representative_id: rows[idx[grp.representative]].0,
                members,
                unanswered,
                part_path: part.map(str::to_string),
            });
        }
    }
    out
}

/// What the consultation page shows of the opinion groups (the full analysis
/// is large: projections of every participant; this is what a page needs).
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Summary {
    pub participants: usize,
    pub grouped: usize,
    pub groups: Vec<GroupSummary>,
    /// (statement id, direction "agree"/"disagree", share in per mille).
    pub consensus: Vec<(i64, String, u32)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GroupSummary {
    pub letter: String,
    pub size: usize,
    /// (statement id, direction, group share ‰, rest share ‰).
    pub representative: Vec<(i64, String, u32, u32)>,
}

fn permille(x: f64) -> u32 {
    (x * 1000.0).round().clamp(0.0, 1000.0) as u32
}

fn direction(d: opinion::Direction) -> String {
    match d {
        opinion::Direction::Agree => "agree".into(),
        opinion::Direction::Disagree => "disagree".into(),
    }
}

/// Computes the opinion groups from the votes (the [`ANALYSE`] job): dense
/// indices, [`opinion::compute`] off the request path, and the SVG map in
/// both languages.
pub async fn run_analysis(ctx: &Ctx, id: i64) -> Result<(), String> {
    let e = |e: danchu_store::StoreError| e.to_string();
    let votes = cs::votes_for_analysis(&ctx.store, id).await.map_err(e)?;
    let n_votes = votes.len() as i64;
    let (summary, svg_vi, svg_en) = tokio::task::spawn_blocking(move || analyse(&votes)).await.map_err(|e| e.to_string())?;
    let json = serde_json::to_string(&summary).map_err(|e| e.to_string())?;
    let mut tx = ctx.store.write().await.map_err(e)?;
    cs::save_analysis(&mut tx, id, n_votes, &json, &svg_vi, &svg_en).await.map_err(e)?;
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(())
}

/// The analysis of a list of (participant id, statement id, stance) votes.
pub fn analyse(votes: &[(i64, i64, String)]) -> (Summary, String, String) {
    let mut pidx: HashMap<i64, u32> = HashMap::new();
    let mut sidx: HashMap<i64, u32> = HashMap::new();
    let mut sids: Vec<i64> = Vec::new();
    let mut dense = Vec::with_capacity(votes.len());
    for (p, s, stance) in votes {
        let np = pidx.len() as u32;
        let pi = *pidx.entry(*p).or_insert(np);
        let si = *sidx.entry(*s).or_insert_with(|| {
            sids.push(*s);
            sids.len() as u32 - 1
        });
        let value = match stance.as_str() {
            "agree" => 1,
            "disagree" => -1,
            _ => 0,
        };
        dense.push(opinion::Vote { participant: pi, statement: si, value });
    }
    let a = opinion::compute(pidx.len(), sids.len(), &dense, &opinion::Params::default());
    let summary = Summary {
        participants: a.n_participants,
        grouped: a.groups.iter().map(|g| g.members.len()).sum(),
        groups: a
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| GroupSummary {
                letter: opinion::group_letter(g.id).to_string(),
                size: g.members.len(),
                representative: a
                    .representative
                    .get(i)
                    .map(|reps| {
                        reps.iter()
                            .map(|r| (sids[r.statement as usize], direction(r.direction), permille(r.group_share), permille(r.rest_share)))
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect(),
        consensus: a.consensus.iter().map(|c| (sids[c.statement as usize], direction(c.direction), permille(c.min_share))).collect(),
    };
    let svg_vi = opinion::svg_map(&a, &opinion::MapLabels::vi());
    let svg_en = opinion::svg_map(&a, &opinion::MapLabels::en());
    (summary, svg_vi, svg_en)
}

/// Runs a [`NOTIFY`] job: one outbox message per subscription matching the
/// unit and the consultation category, in pages of 500.
pub async fn fan_out(ctx: &Ctx, id: i64, kind: &str) -> Result<(), String> {
    let e = |e: danchu_store::StoreError| e.to_string();
    let Some(c) = cs::get(&ctx.store, id).await.map_err(e)? else { return Ok(()) };
    if c.status == cs::DRAFT || c.eligibility == "staff" || c.eligibility == "workers" {
        return Ok(());
    }
    let unit = danchu_store::units::get(&ctx.store, c.unit_id).await.map_err(e)?;
    let regime = crate::disclosure::regime_of(&unit).map_err(|e| e.to_string())?;
    let category = disclosure_category(regime).code();
    let base = ctx.cfg.public_url.trim_end_matches('/');
    let closes = vn_date(&c.closes_on);
    let (subject, lead) = match kind {
        "open" => (format!("[Lấy ý kiến] {}", c.title), format!("{} lấy ý kiến Nhân dân đến hết ngày {closes}:", c.unit_name)),
        "reminder" => (format!("[Sắp hết hạn góp ý] {}", c.title), format!("Còn một tuần để góp ý (hết ngày {closes}):")),
        _ => (
            format!("[Kết quả tiếp thu, giải trình] {}", c.title),
            format!("{} đã công bố kết quả tiếp thu, giải trình ý kiến:", c.unit_name),
        ),
    };
    let mut after = 0;
    loop {
        let subs = notifications::matching(&ctx.store, &c.unit_path, &category, after, 500).await.map_err(e)?;
        let Some(last) = subs.last() else { break };
        after = last.id;
        let mut tx = ctx.store.write().await.map_err(e)?;
        for s in &subs {
            let body = format!(
                "{lead}\n\n{}\n\nXem và góp ý: {base}/consultations/{id}\n\n--\nBạn nhận thư này vì đã đăng ký nhận tin trên {base}.\nHủy đăng ký: {base}/subscriptions/{}\n",
                c.title, s.token
            );
            crate::outbox::queue(&mut tx, "email", &s.email, &format!("consultation:{id}:{kind}:{}", s.id), &subject, &body)
                .await
                .map_err(|e| e.to_string())?;
        }
        tx.commit().await.map_err(|x| x.to_string())?;
    }
    crate::jobs::wake();
    Ok(())
}

/// Schedules the "closes in a week" reminders that are due (the job
/// worker's minute sweep); a consultation is reminded once, whichever node
/// gets there first.
pub async fn remind_due(ctx: &Ctx, today: NaiveDate) -> AppResult<usize> {
    let r = rules(ctx);
    let until = today + chrono::Days::new(r.reminder_days_before_close as u64);
    let due = cs::due_reminders(&ctx.store, &today.to_string(), &until.to_string()).await?;
    let mut n = 0;
    for id in due {
        let mut tx = ctx.store.write().await?;
        if cs::mark_reminded(&mut tx, id).await? {
            schedule_notify(&mut tx, id, "reminder").await?;
            n += 1;
        }
        tx.commit().await.map_err(AppError::internal)?;
    }
    Ok(n)
}

/// One row of the synthesis report: an opinion (or a group of the same
/// opinion) with its response.
#[derive(Debug, Clone)]
pub struct ReportRow {
    pub part: String,
    pub opinion: String,
    pub count: i64,
    pub channels: String,
    pub response: String,
    pub response_text: String,
}

/// The synthesis report (báo cáo tổng hợp, tiếp thu, giải trình ý kiến) in
/// the official layout (R3.5): opinions by article, counts per channel, and
/// the response to each.
#[allow(clippy::too_many_arguments)]
pub fn synthesis_document(
    unit: &Unit,
    province: &Unit,
    c: &Consultation,
    intro: &str,
    channel_counts: &[(String, i64)],
    rows: &[ReportRow],
    departures: &[(String, String)],
    signer: &str,
    today: NaiveDate,
    demo: bool,
) -> Document {
    let regime = Regime::for_unit(unit.kind).unwrap_or(Regime::Commune);
    let (parent, issuer, mut signature, abbr) = crate::documents::issuer(unit, province, regime);
    signature.name = signer.to_string();
    let total: i64 = channel_counts.iter().map(|(_, n)| n).sum();
    let mut blocks = vec![
        Block::Heading("I. KHÁI QUÁT".into()),
        Block::Paragraph(format!(
            "Thực hiện Điều 28 Luật Thực hiện dân chủ ở cơ sở, {} đã tổ chức lấy ý kiến về: {}. Thời gian lấy ý kiến từ ngày {} đến hết ngày {}.",
            unit.name,
            c.title,
            vn_date(&c.opens_on),
            vn_date(&c.closes_on),
        )),
    ];
    if !intro.trim().is_empty() {
        blocks.push(Block::Paragraph(intro.trim().to_string()));
    }
    blocks.push(Block::Heading(format!("II. SỐ LƯỢNG Ý KIẾN THEO HÌNH THỨC (tổng số {total} ý kiến)")));
    blocks.push(Block::Table(Table {
        columns: vec![Column::new("STT", 8), Column::new("Hình thức", 67), Column::new("Số ý kiến", 25)],
        rows: channel_counts
            .iter()
            .enumerate()
            .map(|(i, (ch, n))| vec![(i + 1).to_string(), channel_label(ch, Lang::Vi), n.to_string()])
            .collect(),
    }));
    blocks.push(Block::Heading("III. Ý KIẾN VÀ VIỆC TIẾP THU, GIẢI TRÌNH".into()));
    blocks.push(Block::Table(Table {
        columns: vec![
            Column::new("STT", 5),
            Column::new("Nội dung dự thảo", 14),
            Column::new("Ý kiến", 33),
            Column::new("Số ý kiến", 8),
            Column::new("Tiếp thu / giải trình", 40),
        ],
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                vec![
                    (i + 1).to_string(),
                    r.part.clone(),
                    r.opinion.clone(),
                    format!("{} ({})", r.count, r.channels),
                    if r.response_text.is_empty() { r.response.clone() } else { format!("{}: {}", r.response, r.response_text) },
                ]
            })
            .collect(),
    }));
    if !departures.is_empty() {
        blocks.push(Block::Heading("IV. NỘI DUNG QUYẾT ĐỊNH KHÁC Ý KIẾN ĐA SỐ VÀ LÝ DO".into()));
        for (statement, why) in departures {
            blocks.push(Block::Bullet(format!("{statement} — {why}")));
        }
    }
    Document {
        issuer_parent: parent,
        issuer,
        number: Some(format!("Số:      /BC-{abbr}")),
        place_date: crate::documents::place_date(unit, today),
        kind_title: "BÁO CÁO".into(),
        subject: Some(format!("Tổng hợp, tiếp thu, giải trình ý kiến về {}", c.title)),
        blocks,
        recipients: match regime {
            Regime::Commune | Regime::Province => vec![
                "Thường trực HĐND xã".into(),
                "Ủy ban MTTQ Việt Nam xã".into(),
                "Các thôn, tổ dân phố (để niêm yết)".into(),
                "Lưu: VT".into(),
            ],
            _ => vec!["Ban Chấp hành công đoàn".into(), "Lưu: VT".into()],
        },
        signature,
        draft_watermark: demo.then(|| "Bản in từ danchu – dữ liệu minh họa".to_string()),
        orientation: danchu_docs::Orientation::Portrait,
    }
}

/// The consultation plan (R3.3) as a document, to send to the bodies the
/// law names.
pub fn plan_document(unit: &Unit, province: &Unit, c: &Consultation, signer: &str, today: NaiveDate, demo: bool) -> Document {
    let regime = Regime::for_unit(unit.kind).unwrap_or(Regime::Commune);
    let (parent, issuer, mut signature, abbr) = crate::documents::issuer(unit, province, regime);
    signature.name = signer.to_string();
    let forms: Vec<String> = c.plan_forms.split(',').filter(|s| !s.is_empty()).map(|f| channel_label(f, Lang::Vi)).collect();
    Document {
        issuer_parent: parent,
        issuer,
        number: Some(format!("Số:      /KH-{abbr}")),
        place_date: crate::documents::place_date(unit, today),
        kind_title: "KẾ HOẠCH".into(),
        subject: Some(format!("Lấy ý kiến về {}", c.title)),
        blocks: vec![
            Block::Heading("I. NỘI DUNG LẤY Ý KIẾN".into()),
            Block::Paragraph(c.plan_content.clone()),
            Block::Heading("II. HÌNH THỨC, CÁCH THỨC".into()),
            Block::Paragraph(format!("Hình thức: {}.", forms.join("; "))),
            Block::Paragraph(c.plan_method.clone()),
            Block::Heading("III. THỜI GIAN".into()),
            Block::Paragraph(format!("Từ ngày {} đến hết ngày {}.", vn_date(&c.opens_on), vn_date(&c.closes_on))),
            Block::Heading("IV. TRÁCH NHIỆM".into()),
            Block::Paragraph(c.plan_responsibilities.clone()),
        ],
        recipients: danchu_domain::consultation::plan_recipients(regime).into_iter().map(|m| m.vi).chain(["Lưu: VT".to_string()]).collect(),
        signature,
        draft_watermark: demo.then(|| "Bản in từ danchu – dữ liệu minh họa".to_string()),
        orientation: danchu_docs::Orientation::Portrait,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r3_5_category_of_the_published_synthesis() {
        assert_eq!(disclosure_category(Regime::Commune).code(), "xa-11");
        assert_eq!(disclosure_category(Regime::Agency).label().vi, "Tổng hợp ý kiến, giải trình");
        assert_eq!(disclosure_category(Regime::Enterprise), *Category::all_for(Regime::Enterprise).last().unwrap());
    }

    #[test]
    fn grouping_keeps_parts_apart_and_counts_unanswered() {
        let rows = vec![
            (1, "dong y voi dieu nay".to_string(), Some("d1".to_string()), false),
            (2, "dong y voi dieu nay".to_string(), Some("d1".to_string()), true),
            (3, "dong y voi dieu nay".to_string(), Some("d2".to_string()), false),
            (4, "can bo sung quy dinh ve phi".to_string(), None, false),
        ];
        let groups = group_rows(&rows);
        // d1's pair only: the same words on d2 are another part, and a
        // comment alone is no group.
        assert_eq!(groups.len(), 1);
        let d1 = groups.iter().find(|g| g.part_path.as_deref() == Some("d1")).unwrap();
        assert_eq!(d1.members, vec![1, 2]);
        assert_eq!(d1.unanswered, 1);
    }

    #[test]
    fn analysis_maps_dense_indices_back_to_ids() {
        let mut votes = Vec::new();
        for p in 0..40i64 {
            for s in 0..6i64 {
                let agree = (p < 20) == (s < 3);
                votes.push((1000 + p, 500 + s, if agree { "agree" } else { "disagree" }.to_string()));
            }
        }
        let (summary, svg_vi, svg_en) = analyse(&votes);
        assert_eq!(summary.participants, 40);
        assert_eq!(summary.groups.len(), 2, "{summary:?}");
        assert!(summary.groups.iter().all(|g| g.representative.iter().all(|r| (500..506).contains(&r.0))));
        assert!(svg_vi.contains("<svg") && svg_en.contains("<svg"));
    }
}

// ---------------------------------------------------------------------------
// Officials' side: the synthesis report's content
// ---------------------------------------------------------------------------

/// What the synthesis report holds, in the order the document shows it.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// (channel code, visible opinions), in the law's order of channels.
    pub channel_counts: Vec<(String, i64)>,
    /// Opinions by part; a group of near-duplicates with one response is one
    /// row with its count.
    pub rows: Vec<ReportRow>,
    /// (statement, justification) for every decision departing from the
    /// majority (R3.6).
    pub departures: Vec<(String, String)>,
}

/// Approved statements with a majority that the decision does not follow
/// and that have no written justification (R3.6).
pub fn unjustified_departures(statements: &[cs::StatementRow]) -> u64 {
    statements
        .iter()
        .filter(|s| s.state == "approved" && s.hidden_reason.is_none())
        .filter(|s| danchu_domain::consultation::majority(s.agree.max(0) as u64, s.disagree.max(0) as u64, s.pass.max(0) as u64).is_some())
        .filter(|s| s.follows_majority == Some(false) && s.justification.as_deref().is_none_or(|j| j.trim().is_empty()))
        .count() as u64
}

/// Builds the report from the stored opinions (read in pages of 1,000, so
/// memory follows the number of rows shown, not a query per opinion).
/// Opinions of one group with the same response are one row; parts follow
/// the draft's order, the whole draft first.
pub async fn report(ctx: &Ctx, c: &Consultation, lang: Lang) -> AppResult<Report> {
    let store = &ctx.store;
    let t = crate::web::i18n::msgs(lang);
    let counts = cs::counts(store, c.id).await?;
    let channel_counts: Vec<(String, i64)> = Channel::ALL
        .iter()
        .filter_map(|ch| counts.get(&format!("channel:{}", ch.as_str())).copied().filter(|n| *n > 0).map(|n| (ch.as_str().to_string(), n)))
        .collect();
    // Labels and order of every part of every version.
    let mut labels: HashMap<(i64, String), (i64, String)> = HashMap::new();
    for v in 1..=c.version {
        for p in cs::parts(store, c.id, v).await? {
            let first = p.heading.lines().next().unwrap_or("").trim().to_string();
            let label = if first.is_empty() { p.path.clone() } else { first };
            labels.insert((v, p.path.clone()), (v * 1_000_000 + p.ordinal, label));
        }
    }
    struct Acc {
        order: (i64, i64),
        part: String,
        opinion: String,
        count: i64,
        channels: Vec<(String, i64)>,
        response: String,
        response_text: String,
    }
    let mut rows: Vec<Acc> = Vec::new();
    let mut index: HashMap<(i64, String, String), usize> = HashMap::new();
    let filter = cs::CommentFilter::default();
    let mut after = 0;
    loop {
        let page = cs::comments(store, c.id, &filter, after, 1_000).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for m in &page {
            let (order, part) = match m.part_path.as_deref() {
                None => (0, t.csa_whole_draft.to_string()),
                Some(p) => labels.get(&(m.version, p.to_string())).cloned().unwrap_or((i64::MAX, p.to_string())),
            };
            let (response, response_text) = match m.response_kind.as_deref() {
                Some("accepted") => (t.csa_accepted.to_string(), m.response_text.clone().unwrap_or_default()),
                Some(_) => (t.csa_explained.to_string(), m.response_text.clone().unwrap_or_default()),
                None => (t.csa_no_response.to_string(), String::new()),
            };
            let key = m.group_id.map(|g| (g, response.clone(), response_text.clone()));
            let at = key.as_ref().and_then(|k| index.get(k).copied());
            let i = match at {
                Some(i) => i,
                None => {
                    rows.push(Acc {
                        order: (order, m.id),
                        part,
                        opinion: m.body.clone(),
                        count: 0,
                        channels: Vec::new(),
                        response,
                        response_text,
                    });
                    if let Some(k) = key {
                        index.insert(k, rows.len() - 1);
                    }
                    rows.len() - 1
                }
            };
            let r = &mut rows[i];
            r.count += 1;
            match r.channels.iter_mut().find(|(ch, _)| *ch == m.channel) {
                Some(e) => e.1 += 1,
                None => r.channels.push((m.channel.clone(), 1)),
            }
        }
    }
    rows.sort_by_key(|r| r.order);
    let rows = rows
        .into_iter()
        .map(|r| ReportRow {
            part: r.part,
            opinion: r.opinion,
            count: r.count,
            channels: r.channels.iter().map(|(ch, n)| format!("{}: {n}", channel_label(ch, lang))).collect::<Vec<_>>().join("; "),
            response: r.response,
            response_text: r.response_text,
        })
        .collect();
    let departures = cs::statements(store, c.id, Some("approved"))
        .await?
        .into_iter()
        .filter(|s| s.follows_majority == Some(false))
        .map(|s| (s.body, s.justification.unwrap_or_default()))
        .collect();
    Ok(Report { channel_counts, rows, departures })
}

/// A document's text for the disclosure item's body: its subject, then the
/// text that `documents` indexes.
pub fn document_text(doc: &Document) -> String {
    let body = crate::documents::document_text(doc);
    match &doc.subject {
        Some(s) => format!("{s}\n\n{body}"),
        None => body,
    }
}
