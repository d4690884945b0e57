//! The bid document's cross-checks (投标书校核), run before a bid is issued: the figures printed in
//! the 投标函, the 开标一览表 and the 分项报价表 agree, 大写 matches 小写, every tender clause is
//! answered, no attached certificate has expired or been retired, and the tender is still open;
//! and what a tender committee voids a bid for (废标): a ★ clause answered with a negative
//! deviation, an answer the bid's own data contradicts, a requirement copied back as the answer.
//! Every problem is listed at once, each in its own sentence, naming the clause, so the author
//! fixes them in one go. Run at submit and again at issue.

use chrono::{DateTime, Local, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::certificate::{Certificate, Offered};
use crate::domain::clause::{BidFacts, Offer};
use crate::domain::inquiry::TenderClause;
use crate::domain::money::Money;
use crate::domain::policy::CommercialTerms;
use crate::domain::quote::{ClauseResponse, Deviation, RevisionContent};
use crate::domain::rmb::rmb_uppercase;

/// The money figures exactly as the bid document prints them. The renderer prints these and
/// nothing else, so checking them checks the paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BidFigures {
    /// 分项报价表: the amount of each line.
    pub items: Vec<Money>,
    /// 分项报价表: the 合计 row.
    pub items_total: Money,
    /// 开标一览表: 投标总价 (小写) and (大写).
    pub schedule_total: Money,
    pub schedule_upper: String,
    /// 投标函: 投标总价 (小写) and (大写).
    pub letter_total: Money,
    pub letter_upper: String,
}

impl BidFigures {
    /// The figures of a revision: the lines and their sum from the content, the 开标一览表 and the
    /// 投标函 from `declared_total`, the total stored with the revision when it was saved and
    /// approved (what the approvers saw). A revision whose stored total no longer matches its
    /// lines is caught by [`cross_check`].
    pub fn of(content: &RevisionContent, declared_total: Money) -> BidFigures {
        let upper = |m: Money| rmb_uppercase(m).unwrap_or_default();
        BidFigures {
            items: content.lines.iter().map(|l| l.amount()).collect(),
            items_total: content.totals().total,
            schedule_total: declared_total,
            schedule_upper: upper(declared_total),
            letter_total: declared_total,
            letter_upper: upper(declared_total),
        }
    }
}

/// Everything the cross-checks look at.
#[derive(Debug, Clone, Copy)]
pub struct BidCheck<'a> {
    pub figures: &'a BidFigures,
    /// The tender's clauses as registered (the tender may have gained clauses by an addendum).
    pub clauses: &'a [TenderClause],
    pub responses: &'a [ClauseResponse],
    /// The bid's commercial terms (what typed clauses are judged against).
    pub terms: &'a CommercialTerms,
    /// The signing dates of the references (业绩) the bid lists.
    pub reference_dates: &'a [NaiveDate],
    /// The certificates the bid attaches.
    pub certificates: &'a [Certificate],
    /// 投标截止时间
    pub deadline: Option<DateTime<Utc>>,
    /// When the bid is issued.
    pub now: DateTime<Utc>,
    /// The issue date in the office's calendar (certificates are valid through their last day).
    pub today: NaiveDate,
    /// The tender bond and whether it stops the bid.
    pub bond: BondCheck,
    /// The offered lines, for what the attached certificates cover.
    pub offered: &'a [Offered<'a>],
}

/// The tender bond as the checks see it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BondCheck {
    /// 投标保证金 the tender asks (`None` or zero: none).
    pub amount: Option<Money>,
    pub paid: bool,
    /// The head let the bid go out unpaid, with a reason.
    pub waived: bool,
    /// The admin's window: unpaid this many days or fewer before the deadline is a problem.
    pub warning_days: u32,
}

/// One thing wrong with a bid document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BidProblem {
    /// The 分项报价表's 合计 row is not the sum of its lines.
    ItemsSum {
        sum: Money,
        printed: Money,
    },
    /// 开标一览表 ≠ 分项报价表合计.
    ScheduleVsItems {
        schedule: Money,
        items: Money,
    },
    /// 投标函 ≠ 开标一览表.
    LetterVsSchedule {
        letter: Money,
        schedule: Money,
    },
    /// A 大写 that does not say its 小写 (where: 投标函 or 开标一览表).
    Uppercase {
        place: &'static str,
        printed: String,
        expected: String,
    },
    /// A tender clause without an answer.
    Unanswered {
        clause_no: String,
    },
    ExpiredCertificate {
        name: String,
        until: NaiveDate,
    },
    RetiredCertificate {
        name: String,
    },
    DeadlinePassed {
        deadline: DateTime<Utc>,
    },
    /// A ★ clause the bid does not meet: the committee voids the bid.
    StarredNotMet {
        clause_no: String,
        requirement: String,
        offered: String,
    },
    /// The answer's deviation is not what the bid's own data gives.
    Contradicted {
        clause_no: String,
        answered: Deviation,
        offered: String,
        actual: Deviation,
    },
    /// The answer only repeats the requirement instead of saying what is offered.
    RepeatsRequirement {
        clause_no: String,
    },
    /// The tender requires a certificate of a kind the bid does not attach (valid and in use).
    MissingCertificate {
        clause_no: String,
        kind: String,
    },
    /// The bond is unpaid with the deadline near (or unknown): warns at submit, stops the issue
    /// unless the head lets it go.
    BondUnpaid {
        amount: Money,
        deadline: Option<DateTime<Utc>>,
    },
    /// A certificate that is valid today lapses while the bid still binds (deadline + validity):
    /// a warning — the committee may ask for the renewed one.
    CertificateLapses {
        name: String,
        until: NaiveDate,
        binds_until: NaiveDate,
    },
    /// An attached certificate covers none of the offered lines (a warning: it may still be
    /// wanted, but the committee will not count it for these products).
    UncoveredCertificate {
        name: String,
        covers: String,
    },
}

/// When a check is made: at 提交审批 or at 用印发出.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Submit,
    Issue,
}

impl BidProblem {
    /// The clause a problem is about, if any (the compliance table marks its row).
    pub fn clause_no(&self) -> Option<&str> {
        match self {
            BidProblem::Unanswered { clause_no }
            | BidProblem::StarredNotMet { clause_no, .. }
            | BidProblem::Contradicted { clause_no, .. }
            | BidProblem::RepeatsRequirement { clause_no }
            | BidProblem::MissingCertificate { clause_no, .. } => Some(clause_no),
            _ => None,
        }
    }

    /// Whether the problem stops the bid at `stage`; the others are warnings. A bond unpaid near
    /// the deadline warns at submit (there is still time to pay) and stops the issue; a
    /// certificate that covers none of the lines only ever warns; the deadline and unanswered
    /// clauses are judged at issue (a tender may gain clauses, the clock runs).
    pub fn refuses(&self, stage: Stage) -> bool {
        match self {
            BidProblem::UncoveredCertificate { .. } | BidProblem::CertificateLapses { .. } => false,
            BidProblem::BondUnpaid { .. } | BidProblem::DeadlinePassed { .. } | BidProblem::Unanswered { .. } => {
                stage == Stage::Issue
            }
            _ => true,
        }
    }
}

impl std::fmt::Display for BidProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BidProblem::ItemsSum { sum, printed } => {
                write!(f, "分项报价表合计 ¥{printed} 与各行金额之和 ¥{sum} 不一致")
            }
            BidProblem::ScheduleVsItems { schedule, items } => {
                write!(f, "开标一览表投标总价 ¥{schedule} 与分项报价表合计 ¥{items} 不一致")
            }
            BidProblem::LetterVsSchedule { letter, schedule } => {
                write!(f, "投标函中的投标总价 ¥{letter} 与开标一览表 ¥{schedule} 不一致")
            }
            BidProblem::Uppercase { place, printed, expected } => {
                write!(f, "{place}的大写金额“{printed}”与小写不符，应为“{expected}”")
            }
            BidProblem::Unanswered { clause_no } => write!(f, "招标条款 {clause_no} 尚未应答，偏离表不完整"),
            BidProblem::ExpiredCertificate { name, until } => {
                write!(f, "资质证书“{name}”已于 {} 过期，请更新证书或取消附上", until.format("%Y-%m-%d"))
            }
            BidProblem::RetiredCertificate { name } => write!(f, "资质证书“{name}”已停用，请取消附上"),
            BidProblem::StarredNotMet { clause_no, requirement, offered } => write!(
                f,
                "★条款 {clause_no}（{requirement}）是实质性条款，本投标为“{offered}”，属负偏离，会被废标；请修改投标的条款或资料使其满足要求"
            ),
            BidProblem::Contradicted { clause_no, answered, offered, actual } => write!(
                f,
                "条款 {clause_no} 应答为“{}”，但本投标为“{offered}”，应为“{}”；请按投标实际内容改正应答（保存草稿时会自动更新）",
                answered.label(),
                actual.label()
            ),
            BidProblem::RepeatsRequirement { clause_no } => {
                write!(f, "条款 {clause_no} 的投标响应只是重复了招标要求；请写明所投产品或方案实际提供的内容")
            }
            BidProblem::MissingCertificate { clause_no, kind } => write!(
                f,
                "条款 {clause_no} 要求提供{kind}，本投标未附有效的{kind}；请在“资格证明文件”中附上（证书须在有效期内、未停用）"
            ),
            BidProblem::BondUnpaid { amount, deadline } => match deadline {
                Some(d) => write!(
                    f,
                    "投标保证金 ¥{amount} 尚未缴纳，投标截止时间为 {}；请先缴纳并在询价卡片上登记，或由销售部负责人写明理由后准许发出",
                    d.with_timezone(&Local).format("%Y-%m-%d %H:%M")
                ),
                None => write!(
                    f,
                    "投标保证金 ¥{amount} 尚未缴纳；请先缴纳并在询价卡片上登记，或由销售部负责人写明理由后准许发出"
                ),
            },
            BidProblem::CertificateLapses { name, until, binds_until } => write!(
                f,
                "资质证书“{name}”有效期至 {}，早于投标有效期届满（{}）；中标后可能要求提供换发的证书，请提前办理",
                until.format("%Y-%m-%d"),
                binds_until.format("%Y-%m-%d")
            ),
            BidProblem::UncoveredCertificate { name, covers } => write!(
                f,
                "资质证书“{name}”适用于 {covers}，与本投标的任何产品都不对应；评标时不会被采信，请确认是否附错"
            ),
            BidProblem::DeadlinePassed { deadline } => write!(
                f,
                "投标截止时间 {} 已过，不能再用印发出",
                deadline.with_timezone(&Local).format("%Y-%m-%d %H:%M")
            ),
        }
    }
}

/// All problems of the bid, in the order of the document (figures, clauses, certificates, deadline).
pub fn cross_check(c: &BidCheck<'_>) -> Vec<BidProblem> {
    let mut out = Vec::new();
    let f = c.figures;
    let sum: Money = f.items.iter().copied().sum();
    if sum != f.items_total {
        out.push(BidProblem::ItemsSum { sum, printed: f.items_total });
    }
    if f.schedule_total != f.items_total {
        out.push(BidProblem::ScheduleVsItems { schedule: f.schedule_total, items: f.items_total });
    }
    if f.letter_total != f.schedule_total {
        out.push(BidProblem::LetterVsSchedule { letter: f.letter_total, schedule: f.schedule_total });
    }
    for (place, total, printed) in
        [("投标函", f.letter_total, &f.letter_upper), ("开标一览表", f.schedule_total, &f.schedule_upper)]
    {
        let expected = rmb_uppercase(total).unwrap_or_default();
        if *printed != expected {
            out.push(BidProblem::Uppercase { place, printed: printed.clone(), expected });
        }
    }
    let answered = |no: &str| c.responses.iter().any(|r| r.clause_no == no && !r.response.trim().is_empty());
    for clause in c.clauses {
        if !answered(&clause.no) {
            out.push(BidProblem::Unanswered { clause_no: clause.no.clone() });
        }
    }
    out.extend(clause_problems(c));
    // Rows the bid added itself (not in the registered tender) must be answered too.
    for r in c.responses {
        if r.response.trim().is_empty() && !c.clauses.iter().any(|k| k.no == r.clause_no) {
            out.push(BidProblem::Unanswered { clause_no: r.clause_no.clone() });
        }
    }
    for cert in c.certificates {
        if !cert.active {
            out.push(BidProblem::RetiredCertificate { name: cert.draft.name.clone() });
        }
        if let Some(until) = cert.draft.valid_until
            && cert.draft.expiry(c.today).is_expired()
        {
            out.push(BidProblem::ExpiredCertificate { name: cert.draft.name.clone(), until });
        }
    }
    let opens = c.deadline.map_or(c.today, |d| d.with_timezone(&Local).date_naive()).max(c.today);
    let binds_until = opens + chrono::Days::new(u64::from(c.terms.validity_days));
    for cert in c.certificates.iter().filter(|k| k.active && !k.draft.expiry(c.today).is_expired()) {
        if let Some(until) = cert.draft.valid_until
            && until < binds_until
        {
            out.push(BidProblem::CertificateLapses { name: cert.draft.name.clone(), until, binds_until });
        }
    }
    for cert in c.certificates.iter().filter(|k| !k.draft.covers_any(c.offered)) {
        out.push(BidProblem::UncoveredCertificate {
            name: cert.draft.name.clone(),
            covers: cert.draft.covers.join("、"),
        });
    }
    if let Some(p) = bond_problem(c) {
        out.push(p);
    }
    if let Some(deadline) = c.deadline
        && deadline <= c.now
    {
        out.push(BidProblem::DeadlinePassed { deadline });
    }
    out
}

/// An unpaid bond with the deadline within the warning window (or not known), unless waived.
fn bond_problem(c: &BidCheck<'_>) -> Option<BidProblem> {
    let b = c.bond;
    let amount = b.amount.filter(|a| *a > Money::ZERO)?;
    if b.paid || b.waived {
        return None;
    }
    let near = match c.deadline {
        Some(d) => d - c.now <= chrono::Duration::days(i64::from(b.warning_days)),
        None => true,
    };
    near.then_some(BidProblem::BondUnpaid { amount, deadline: c.deadline })
}

/// The kinds of the certificates that count: attached, in use and not expired on `today`.
fn certificate_kinds(certificates: &[Certificate], today: NaiveDate) -> Vec<String> {
    certificates
        .iter()
        .filter(|c| c.active && !c.draft.expiry(today).is_expired())
        .map(|c| c.draft.kind.clone())
        .collect()
}

/// What the bid offers against a typed clause, from its own data (`None`: a free clause).
pub fn offer_for(clause: &TenderClause, c: &BidCheck<'_>) -> Option<Offer> {
    let kinds = certificate_kinds(c.certificates, c.today);
    let facts =
        BidFacts { terms: c.terms, certificate_kinds: &kinds, reference_dates: c.reference_dates, today: c.today };
    clause.typed.as_ref().map(|r| r.offer(&facts))
}

/// "满足：<the requirement>" or the requirement itself: an answer that says nothing of its own.
fn repeats(requirement: &str, response: &str) -> bool {
    let strip = |s: &str| -> String {
        s.chars().filter(|c| !c.is_whitespace() && !"，。、；：:,.;★".contains(*c)).collect()
    };
    let answer = strip(response);
    let answer = ["完全满足", "满足", "响应", "符合"]
        .iter()
        .find_map(|w| answer.strip_prefix(w))
        .map_or(answer.clone(), str::to_string);
    let req = strip(requirement);
    !req.is_empty() && answer == req
}

/// The tender-committee checks on each answered clause.
fn clause_problems(c: &BidCheck<'_>) -> Vec<BidProblem> {
    let mut out = Vec::new();
    for clause in c.clauses {
        let Some(r) = c.responses.iter().find(|r| r.clause_no == clause.no && !r.response.trim().is_empty()) else {
            continue; // reported as unanswered
        };
        let (offered, actual) = match offer_for(clause, c) {
            Some(o) => (o.text, o.deviation),
            None => (r.response.trim().to_string(), r.deviation),
        };
        if let Some(crate::domain::clause::Requirement::Certificate { kind }) = &clause.typed
            && actual == Deviation::Negative
        {
            out.push(BidProblem::MissingCertificate { clause_no: clause.no.clone(), kind: kind.clone() });
        } else if clause.starred && actual == Deviation::Negative {
            let requirement = clause.typed.as_ref().map_or_else(|| clause.requirement.clone(), |t| t.label());
            out.push(BidProblem::StarredNotMet { clause_no: clause.no.clone(), requirement, offered: offered.clone() });
        } else if r.deviation != actual {
            out.push(BidProblem::Contradicted {
                clause_no: clause.no.clone(),
                answered: r.deviation,
                offered: offered.clone(),
                actual,
            });
        }
        if clause.typed.is_none() && repeats(&clause.requirement, &r.response) {
            out.push(BidProblem::RepeatsRequirement { clause_no: clause.no.clone() });
        }
    }
    out
}

/// Brings the answers to typed clauses in line with the bid's data: the 投标响应 is what the bid
/// offers and the deviation is computed; answers to free clauses are left as the author wrote them.
/// Returns whether anything changed.
/// `c.responses` is not read (the answers being changed are `responses`).
pub fn sync_typed_responses(responses: &mut [ClauseResponse], c: &BidCheck<'_>) -> bool {
    let mut changed = false;
    for clause in c.clauses {
        let Some(offer) = offer_for(clause, c) else { continue };
        for r in responses.iter_mut().filter(|r| r.clause_no == clause.no) {
            if r.response != offer.text || r.deviation != offer.deviation {
                r.response = offer.text.clone();
                r.deviation = offer.deviation;
                changed = true;
            }
        }
    }
    changed
}

/// The after-sales service commitment (售后服务承诺) the admin words once; each bid prints it with
/// its own facts filled in. Placeholders: `{投标人}`, `{项目名称}`, `{招标编号}`, `{质保期}`
/// (months), `{交货期}` (days).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AfterSalesTemplate {
    pub text: String,
}

pub const AFTER_SALES_PLACEHOLDERS: &[&str] = &["{投标人}", "{项目名称}", "{招标编号}", "{质保期}", "{交货期}"];

impl Default for AfterSalesTemplate {
    fn default() -> Self {
        AfterSalesTemplate {
            text: "{投标人}郑重承诺，若我方在{项目名称}（招标编号：{招标编号}）中标，将严格履行以下售后服务：\n\
1. 质量保证：所供设备均为全新合格产品，质保期为设备验收合格之日起 {质保期} 个月。质保期内因产品质量问题造成的损坏，我方免费维修或更换。\n\
2. 交货承诺：合同生效后 {交货期} 天内将设备运抵买方指定地点，并提供装箱清单、合格证、出厂试验报告及使用说明书。\n\
3. 安装调试：我方派技术人员到现场指导安装、调试，直至设备验收合格并正常投入运行。\n\
4. 响应时间：接到买方故障通知后 2 小时内响应，24 小时内派技术人员到达现场（偏远地区不超过 48 小时），故障排除前不离开现场。\n\
5. 技术培训：免费为买方运行、维护人员提供操作与维护培训，使其能独立完成日常运行维护。\n\
6. 备品备件：质保期满后以优惠价格长期供应备品备件，并终身提供技术支持。\n\
7. 定期回访：质保期内每年至少回访一次，了解设备运行情况，及时消除隐患。".into(),
        }
    }
}

impl AfterSalesTemplate {
    /// The problems with a template as typed (empty, or a `{…}` that is not a placeholder).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.text.trim().is_empty() {
            out.push("售后服务承诺不能为空".to_string());
        }
        let mut rest = self.text.as_str();
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else {
                out.push("“{”没有配对的“}”".to_string());
                break;
            };
            let token = &rest[start..start + len + 1];
            if !AFTER_SALES_PLACEHOLDERS.contains(&token) {
                out.push(format!("未知的占位符 {token}（可用：{}）", AFTER_SALES_PLACEHOLDERS.join(" ")));
            }
            rest = &rest[start + len + 1..];
        }
        out
    }

    /// The text with the bid's facts in place of the placeholders.
    pub fn fill(
        &self,
        bidder: &str,
        project: &str,
        tender_no: &str,
        warranty_months: u32,
        delivery_days: u32,
    ) -> String {
        self.text
            .replace("{投标人}", bidder)
            .replace("{项目名称}", project)
            .replace("{招标编号}", tender_no)
            .replace("{质保期}", &warranty_months.to_string())
            .replace("{交货期}", &delivery_days.to_string())
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::domain::certificate::CertificateDraft;
    use crate::domain::ids::{AttachmentId, CertificateId};
    use crate::domain::inquiry::ClauseKind;
    use crate::domain::money::Quantity;
    use crate::domain::quote::QuoteLine;

    fn content() -> RevisionContent {
        let line = |fen: i64, qty: u32| QuoteLine {
            name: "高压开关柜".into(),
            quantity: Quantity::from_units(qty),
            unit_price: Money::from_fen(fen),
            ..Default::default()
        };
        RevisionContent {
            lines: vec![line(12_345_600, 2), line(880_050, 3)],
            responses: vec![
                ClauseResponse { clause_no: "3.1".into(), response: "满足".into(), ..Default::default() },
                ClauseResponse {
                    clause_no: "5.2".into(),
                    kind: ClauseKind::Commercial,
                    response: "接受".into(),
                    ..Default::default()
                },
            ],
            ..Default::default()
        }
    }

    /// A clause as registered before clauses were typed.
    fn free(no: &str, requirement: &str, kind: ClauseKind) -> TenderClause {
        TenderClause { no: no.into(), requirement: requirement.into(), kind, ..Default::default() }
    }

    fn clauses() -> Vec<TenderClause> {
        vec![free("3.1", "额定电压 12kV", ClauseKind::Technical), free("5.2", "质保 24 个月", ClauseKind::Commercial)]
    }

    fn cert(name: &str, until: Option<NaiveDate>, active: bool) -> Certificate {
        Certificate {
            id: CertificateId(1),
            draft: CertificateDraft {
                name: name.into(),
                kind: "检测报告".into(),
                valid_until: until,
                ..Default::default()
            },
            image: AttachmentId(1),
            active,
            version: 1,
            updated_by: String::new(),
            updated_at: String::new(),
        }
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap()
    }

    fn check(f: &BidFigures, c: &RevisionContent, certs: &[Certificate], deadline: DateTime<Utc>) -> Vec<String> {
        let clauses = clauses();
        cross_check(&BidCheck {
            figures: f,
            clauses: &clauses,
            responses: &c.responses,
            terms: &c.terms,
            reference_dates: &[],
            certificates: certs,
            deadline: Some(deadline),
            now: now(),
            today: now().date_naive(),
            bond: BondCheck::default(),
            offered: &[],
        })
        .iter()
        .map(ToString::to_string)
        .collect()
    }

    #[test]
    fn a_consistent_bid_has_no_problems() {
        let c = content();
        let f = BidFigures::of(&c, c.totals().total);
        assert_eq!(f.letter_total, Money::from_fen(27_331_350));
        assert_eq!(f.letter_upper, "贰拾柒万叁仟叁佰壹拾叁元伍角整");
        let long = cert("型式试验报告", now().date_naive().checked_add_days(chrono::Days::new(400)), true);
        assert!(check(&f, &c, &[long], now() + chrono::Duration::hours(1)).is_empty());
        // Valid through today, it still counts, but lapses while the bid binds: a warning only.
        let last_day = cert("型式试验报告", Some(now().date_naive()), true);
        let found = check(&f, &c, &[last_day], now() + chrono::Duration::hours(1));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("早于投标有效期届满"), "{found:?}");
    }

    #[test]
    fn figures_that_disagree_are_each_named() {
        let c = content();
        let later = now() + chrono::Duration::days(3);
        // The stored total no longer matches the lines: 开标一览表 ≠ 分项报价表.
        let f = BidFigures::of(&c, Money::from_fen(27_331_300));
        assert_eq!(check(&f, &c, &[], later), ["开标一览表投标总价 ¥273,313.00 与分项报价表合计 ¥273,313.50 不一致"]);

        let mut f = BidFigures::of(&c, c.totals().total);
        f.letter_total = Money::from_fen(27_331_300);
        let problems = check(&f, &c, &[], later);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(problems[0], "投标函中的投标总价 ¥273,313.00 与开标一览表 ¥273,313.50 不一致");
        assert!(
            problems[1].starts_with("投标函的大写金额“贰拾柒万叁仟叁佰壹拾叁元伍角整”与小写不符"),
            "{}",
            problems[1]
        );

        let mut f = BidFigures::of(&c, c.totals().total);
        f.schedule_upper = "贰拾柒万元整".into();
        assert_eq!(
            check(&f, &c, &[], later),
            ["开标一览表的大写金额“贰拾柒万元整”与小写不符，应为“贰拾柒万叁仟叁佰壹拾叁元伍角整”"]
        );

        let mut f = BidFigures::of(&c, c.totals().total);
        f.items[1] = Money::from_fen(1);
        assert_eq!(check(&f, &c, &[], later), ["分项报价表合计 ¥273,313.50 与各行金额之和 ¥246,912.01 不一致"]);
    }

    #[test]
    fn unanswered_clauses_expired_or_retired_certificates_and_a_passed_deadline_are_all_listed() {
        let mut c = content();
        c.responses[1].response = "  ".into();
        c.responses.push(ClauseResponse { clause_no: "补1".into(), ..Default::default() });
        let f = BidFigures::of(&c, c.totals().total);
        let yesterday = now().date_naive().pred_opt().unwrap();
        let certs = [cert("ISO 9001 认证证书", Some(yesterday), true), cert("旧营业执照", None, false)];
        let problems = check(&f, &c, &certs, now());
        assert_eq!(
            problems,
            [
                "招标条款 5.2 尚未应答，偏离表不完整".to_string(),
                "招标条款 补1 尚未应答，偏离表不完整".to_string(),
                "资质证书“ISO 9001 认证证书”已于 2026-11-26 过期，请更新证书或取消附上".to_string(),
                "资质证书“旧营业执照”已停用，请取消附上".to_string(),
                problems[4].clone(),
            ]
        );
        assert!(problems[4].starts_with("投标截止时间 ") && problems[4].ends_with("已过，不能再用印发出"));

        // A clause the tender gained after the bid was built (an addendum) is unanswered too.
        let c = content();
        let mut more = clauses();
        more.push(free("6.1", "提供样品", ClauseKind::Technical));
        let f = BidFigures::of(&c, c.totals().total);
        let problems = cross_check(&BidCheck {
            figures: &f,
            clauses: &more,
            responses: &c.responses,
            terms: &c.terms,
            reference_dates: &[],
            certificates: &[],
            deadline: None,
            now: now(),
            today: now().date_naive(),
            bond: BondCheck::default(),
            offered: &[],
        });
        assert_eq!(problems, [BidProblem::Unanswered { clause_no: "6.1".into() }]);
    }

    /// The demo's tender: ★ warranty ≥ 24 months, ★ five references in three years, validity.
    fn typed_tender() -> Vec<TenderClause> {
        [
            "★5.1\t投标人须提供近三年同类产品供货业绩不少于5项\t商务",
            "★5.4\t质保期：设备验收合格之日起不少于24个月\t商务",
            "5.8\t投标有效期90日历天\t商务",
            "6.1\t提供驻场安装指导和不少于2天的操作培训\t商务",
        ]
        .iter()
        .map(|line| crate::domain::inquiry::parse_clauses(line).unwrap().remove(0))
        .collect()
    }

    fn check_typed(c: &RevisionContent, clauses: &[TenderClause], references: &[NaiveDate]) -> Vec<BidProblem> {
        let f = BidFigures::of(c, c.totals().total);
        cross_check(&BidCheck {
            figures: &f,
            clauses,
            responses: &c.responses,
            terms: &c.terms,
            reference_dates: references,
            certificates: &[],
            deadline: None,
            now: now(),
            today: now().date_naive(),
            bond: BondCheck::default(),
            offered: &[],
        })
    }

    fn answer(no: &str, response: &str, deviation: Deviation) -> ClauseResponse {
        ClauseResponse { clause_no: no.into(), response: response.into(), deviation, ..Default::default() }
    }

    #[test]
    fn a_starred_clause_the_bid_does_not_meet_and_answers_contradicted_by_the_data_are_named() {
        let clauses = typed_tender();
        let mut c = content();
        c.terms.warranty_months = 12;
        c.terms.validity_days = 30;
        // As the demo had it: 满足 / 无偏离 on everything, the requirement copied back.
        c.responses = vec![
            answer("★5.1", "满足", Deviation::None),
            answer("★5.4", "满足：质保期：设备验收合格之日起不少于24个月", Deviation::None),
            answer("5.8", "满足", Deviation::None),
            answer("6.1", "满足：提供驻场安装指导和不少于2天的操作培训", Deviation::None),
        ];
        let problems = check_typed(&c, &clauses, &[]);
        let texts: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            problems.iter().map(|p| p.clause_no().unwrap()).collect::<Vec<_>>(),
            ["★5.1", "★5.4", "5.8", "6.1"],
            "{texts:#?}"
        );
        assert!(texts[0].contains("★条款 ★5.1") && texts[0].contains("未提供近3年同类业绩"), "{}", texts[0]);
        assert!(
            texts[1].contains("质保期 ≥ 24 个月") && texts[1].contains("质保期12个月") && texts[1].contains("废标"),
            "{}",
            texts[1]
        );
        assert!(
            texts[2].contains("应答为“无偏离”") && texts[2].contains("投标有效期30天") && texts[2].contains("负偏离"),
            "{}",
            texts[2]
        );
        assert!(texts[3].contains("重复了招标要求"), "{}", texts[3]);

        // Fixed: 24 months, 90 days, five references of the last three years, a real answer.
        c.terms.warranty_months = 24;
        c.terms.validity_days = 90;
        let d = |m| NaiveDate::from_ymd_opt(2025, m, 1).unwrap();
        let references = [d(1), d(2), d(3), d(4), d(5)];
        c.responses[3] = answer("6.1", "派工程师驻场指导安装，提供3天操作培训", Deviation::Positive);
        let facts = BidCheck {
            figures: &BidFigures::of(&c, c.totals().total),
            clauses: &clauses,
            responses: &[],
            terms: &c.terms,
            reference_dates: &references,
            certificates: &[],
            deadline: None,
            now: now(),
            today: now().date_naive(),
            bond: BondCheck::default(),
            offered: &[],
        };
        let mut responses = c.responses.clone();
        assert!(sync_typed_responses(&mut responses, &facts));
        assert_eq!(responses[1], answer("★5.4", "质保期24个月", Deviation::None));
        assert_eq!(responses[2], answer("5.8", "投标有效期90天", Deviation::None));
        assert_eq!(responses[3], c.responses[3], "a free clause keeps the author's answer");
        assert!(!sync_typed_responses(&mut responses, &facts), "in line already");
        c.responses = responses;
        assert_eq!(check_typed(&c, &clauses, &references), []);
        // A free ★ clause answered 负偏离 by its author is void too.
        let mut starred_free = clauses.clone();
        starred_free[3].starred = true;
        c.responses[3].deviation = Deviation::Negative;
        let problems = check_typed(&c, &starred_free, &references);
        assert!(
            matches!(&problems[..], [BidProblem::StarredNotMet { clause_no, .. }] if clause_no == "6.1"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_revision_saved_before_certificates_existed_keeps_its_content_hash() {
        // The JSON of a revision as written before the certificate library (no `certificates`).
        let old = r#"{"lines":[],"terms":{"validity_days":30,"delivery_days":30,"prepayment_pct":"30","payment_schedule":"预付30%","warranty_months":12,"other":""},"notes":"","responses":[]}"#;
        let content: RevisionContent = serde_json::from_str(old).unwrap();
        assert!(content.certificates.is_empty());
        assert_eq!(serde_json::to_string(&content).unwrap(), old, "reads and writes back byte for byte");
        use sha2::Digest;
        assert_eq!(content.content_hash().unwrap(), hex::encode(sha2::Sha256::digest(old.as_bytes())));
        // With certificates attached the hash covers them.
        let mut with = content.clone();
        with.certificates.push(crate::domain::ids::CertificateId(3));
        assert_ne!(with.content_hash().unwrap(), content.content_hash().unwrap());
        assert!(serde_json::to_string(&with).unwrap().ends_with(r#""certificates":[3]}"#));
    }

    #[test]
    fn the_after_sales_template_fills_its_placeholders_and_names_unknown_ones() {
        let t = AfterSalesTemplate::default();
        assert!(t.problems().is_empty());
        let text = t.fill("恒信电气", "城南变电站改造", "ZB-2026-118", 24, 30);
        assert!(text.contains("恒信电气郑重承诺") && text.contains("24 个月") && text.contains("30 天内"));
        assert!(!text.contains('{'));
        let bad = AfterSalesTemplate { text: "{投标人} 承诺 {保修}".into() };
        assert_eq!(bad.problems().len(), 1);
        assert!(bad.problems()[0].contains("{保修}"));
        assert_eq!(AfterSalesTemplate { text: " ".into() }.problems(), ["售后服务承诺不能为空"]);
    }
}
