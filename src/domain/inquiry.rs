//! Inquiries and tenders (询价/比价、招标) and the go / no-go decision (是否参与) of procedure step
//! (2) A: every one is reported to the department head at once; the head decides; a major one
//! needs company leadership's go too, from a different person, after the head's.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::clause::Requirement;
use crate::domain::docno::DocNumber;
use crate::domain::ids::{ContactId, CustomerId, InquiryId, ProductId, UserId};
use crate::domain::money::{Money, Quantity};
use crate::domain::role::{Role, RoleSet};

/// 询价 or 招标.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum InquiryKind {
    /// 询价/比价
    #[default]
    Inquiry,
    /// 招标
    Tender,
}

impl InquiryKind {
    pub fn code(self) -> &'static str {
        match self {
            InquiryKind::Inquiry => "inquiry",
            InquiryKind::Tender => "tender",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        [InquiryKind::Inquiry, InquiryKind::Tender].into_iter().find(|k| k.code() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            InquiryKind::Inquiry => "询价",
            InquiryKind::Tender => "招标",
        }
    }
}

/// Where it came from (来源).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum InquirySource {
    /// 电话
    #[default]
    Phone,
    /// 拜访
    Visit,
    /// 邮件
    Email,
    /// 招标公告
    TenderNotice,
}

impl InquirySource {
    pub const ALL: [InquirySource; 4] = [Self::Phone, Self::Visit, Self::Email, Self::TenderNotice];
    pub fn code(self) -> &'static str {
        match self {
            Self::Phone => "phone",
            Self::Visit => "visit",
            Self::Email => "email",
            Self::TenderNotice => "tender_notice",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Phone => "电话",
            Self::Visit => "拜访",
            Self::Email => "邮件",
            Self::TenderNotice => "招标公告",
        }
    }
}

/// The status code of DESIGN §3: `registered → go | no_go`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum InquiryStatus {
    Registered,
    Go,
    NoGo,
}

impl InquiryStatus {
    pub const ALL: [InquiryStatus; 3] = [Self::Registered, Self::Go, Self::NoGo];
    pub fn code(self) -> &'static str {
        match self {
            Self::Registered => "registered",
            Self::Go => "go",
            Self::NoGo => "no_go",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Registered => "待决定",
            Self::Go => "参与",
            Self::NoGo => "不参与",
        }
    }
}

/// Who decides at a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DecisionStep {
    /// 销售部负责人
    Head,
    /// 公司领导 (major items, after the head)
    Leader,
}

impl DecisionStep {
    pub fn code(self) -> &'static str {
        match self {
            Self::Head => "head",
            Self::Leader => "leader",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        [Self::Head, Self::Leader].into_iter().find(|k| k.code() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Head => "销售部负责人",
            Self::Leader => "公司领导",
        }
    }
    fn role(self) -> Role {
        match self {
            Self::Head => Role::Head,
            Self::Leader => Role::Leader,
        }
    }
}

/// One go / no-go given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub step: DecisionStep,
    pub by: UserId,
    pub by_name: String,
    pub at: DateTime<Utc>,
    pub go: bool,
    pub comment: String,
}

/// 技术 or 商务 — which deviation table a clause's response goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum ClauseKind {
    #[default]
    Technical,
    Commercial,
}

impl ClauseKind {
    pub fn label(self) -> &'static str {
        match self {
            ClauseKind::Technical => "技术",
            ClauseKind::Commercial => "商务",
        }
    }
    /// `技术`, `商务`, `technical`, `commercial`, `T`, `C`.
    pub fn parse(s: &str) -> Option<ClauseKind> {
        match s.trim().to_lowercase().as_str() {
            "技术" | "技术条款" | "technical" | "t" => Some(ClauseKind::Technical),
            "商务" | "商务条款" | "commercial" | "c" => Some(ClauseKind::Commercial),
            _ => None,
        }
    }
}

/// A tender clause (招标条款) the bid must answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TenderClause {
    /// 条款号, e.g. "3.2.1" or "★5"
    pub no: String,
    /// 要求
    pub requirement: String,
    pub kind: ClauseKind,
    /// ★ 实质性条款: a negative deviation here makes the bid void (废标).
    #[serde(default)]
    pub starred: bool,
    /// The requirement in numbers, where the registrant typed one (`None`: a free clause).
    #[serde(default)]
    pub typed: Option<Requirement>,
}

impl TenderClause {
    /// A clause as pasted: ★ and the typed requirement suggested from its text (the registrant
    /// confirms both).
    pub fn suggested(no: &str, requirement: &str, kind: ClauseKind) -> TenderClause {
        TenderClause {
            no: no.to_string(),
            requirement: requirement.to_string(),
            kind,
            starred: crate::domain::clause::looks_starred(no, requirement),
            typed: crate::domain::clause::suggest(requirement),
        }
    }
}

/// A product the customer asked about (询价产品).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct InquiryLine {
    /// The price-table product, when it is one of ours.
    pub product: Option<ProductId>,
    pub description: String,
    pub model: String,
    pub quantity: Option<Quantity>,
    pub unit: String,
    pub note: String,
}

/// The tender's own facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct TenderInfo {
    /// 招标编号
    pub tender_no: String,
    /// 采购人
    pub purchaser: String,
    /// 项目名称
    pub project: String,
    /// 标段/包号
    pub lot: String,
    /// 投标截止时间
    pub deadline: Option<DateTime<Utc>>,
    /// 开标时间
    pub opening: Option<DateTime<Utc>>,
    /// 投标保证金
    pub bond: Option<Money>,
    pub bond_paid: bool,
    pub bond_returned: bool,
    pub clauses: Vec<TenderClause>,
}

/// What the registrant fills in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct InquiryDraft {
    pub kind: InquiryKind,
    pub customer: Option<CustomerId>,
    pub contact: Option<ContactId>,
    pub source: InquirySource,
    /// 标题 / 事由, e.g. "10kV配电工程设备询价"
    pub subject: String,
    pub lines: Vec<InquiryLine>,
    /// 预计金额
    pub estimate: Option<Money>,
    /// 要求回复/交货日期
    pub wanted_by: Option<NaiveDate>,
    /// 已标记为重大
    pub flagged_major: bool,
    pub notes: String,
    pub tender: TenderInfo,
}

/// A stored inquiry or tender.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inquiry {
    pub id: InquiryId,
    pub number: DocNumber,
    pub draft: InquiryDraft,
    pub customer_name: String,
    pub contact_name: String,
    pub registered_by: UserId,
    pub registered_by_name: String,
    pub registered_at: DateTime<Utc>,
    /// Whether go needs a leader too (fixed when registered, from the policy and the flag).
    pub major: bool,
    pub major_reasons: Vec<String>,
    pub status: InquiryStatus,
    pub decisions: Vec<Decision>,
    /// How the tender bond was paid, its receipt, and the head's leave to issue without it.
    pub bond_record: BondRecord,
    pub version: i64,
    pub updated_at: String,
    pub updated_by: String,
}

/// 投标保证金的缴纳形式.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BondForm {
    /// 银行转账（电汇）
    Transfer,
    /// 银行保函
    Guarantee,
}

impl BondForm {
    pub const ALL: [BondForm; 2] = [BondForm::Transfer, BondForm::Guarantee];

    pub fn label(self) -> &'static str {
        match self {
            BondForm::Transfer => "银行转账",
            BondForm::Guarantee => "银行保函",
        }
    }
}

/// The head's leave to issue a bid while its bond is unpaid: who, when, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BondWaiver {
    pub reason: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// What was recorded about paying the tender bond (the amount is the tender's, in [`TenderInfo`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BondRecord {
    pub form: Option<BondForm>,
    /// 缴纳日期
    pub paid_on: Option<NaiveDate>,
    /// The bank's receipt or the guarantee, scanned.
    pub receipt: Option<crate::domain::ids::AttachmentId>,
    pub waiver: Option<BondWaiver>,
}

/// One line of the inquiry lists and the inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InquirySummary {
    pub id: InquiryId,
    pub number: DocNumber,
    pub kind: InquiryKind,
    pub subject: String,
    pub customer: Option<CustomerId>,
    pub customer_name: String,
    /// The customer's owner (visibility: a salesperson sees inquiries of their customers).
    pub customer_owner: Option<UserId>,
    pub registered_by: UserId,
    pub registered_by_name: String,
    pub registered_at: DateTime<Utc>,
    pub status: InquiryStatus,
    pub major: bool,
    pub deadline: Option<DateTime<Utc>>,
    pub estimate: Option<Money>,
    pub decisions: Vec<Decision>,
}

impl InquirySummary {
    /// The step waiting for a decision, if any.
    pub fn next_step(&self) -> Option<DecisionStep> {
        next_step(self.major, &self.decisions)
    }

    /// 待负责人决定 / 待领导决定 / 参与 / 不参与
    pub fn badge(&self) -> &'static str {
        match (self.status, self.next_step()) {
            (InquiryStatus::Registered, Some(DecisionStep::Leader)) => "待领导决定",
            (InquiryStatus::Registered, _) => "待负责人决定",
            (s, _) => s.label(),
        }
    }
}

/// Why a decision is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecisionError {
    #[error("该{0}已有结论，不能重复决定")]
    AlreadyDecided(&'static str),
    #[error("现在等待{0}决定")]
    NotYourStep(&'static str),
    #[error("重大项目须由两位不同的人分别决定：您已作为销售部负责人决定过，请由另一位公司领导决定")]
    SamePerson,
    #[error("投标截止时间已过，不能再决定参与")]
    DeadlinePassed,
}

/// The steps an inquiry needs: the head always, a leader too when major.
pub fn required_steps(major: bool) -> &'static [DecisionStep] {
    if major { &[DecisionStep::Head, DecisionStep::Leader] } else { &[DecisionStep::Head] }
}

/// The status the decisions add up to.
pub fn status_of(major: bool, decisions: &[Decision]) -> InquiryStatus {
    if decisions.iter().any(|d| !d.go) {
        return InquiryStatus::NoGo;
    }
    let done = required_steps(major).iter().all(|s| decisions.iter().any(|d| d.step == *s && d.go));
    if done { InquiryStatus::Go } else { InquiryStatus::Registered }
}

/// The step waiting for a decision, if any.
pub fn next_step(major: bool, decisions: &[Decision]) -> Option<DecisionStep> {
    if status_of(major, decisions) != InquiryStatus::Registered {
        return None;
    }
    required_steps(major).iter().copied().find(|s| !decisions.iter().any(|d| d.step == *s))
}

/// Where an inquiry stands, as far as deciding goes.
#[derive(Debug, Clone, Copy)]
pub struct DecisionState<'a> {
    pub kind: InquiryKind,
    pub major: bool,
    pub decisions: &'a [Decision],
    /// The tender's submission deadline.
    pub deadline: Option<DateTime<Utc>>,
}

impl DecisionState<'_> {
    /// May this person give the decision waiting now? A person holding both roles takes one step
    /// only; a tender past its deadline can only get a no-go.
    pub fn check(
        &self,
        who: UserId,
        roles: &RoleSet,
        go: bool,
        now: DateTime<Utc>,
    ) -> Result<DecisionStep, DecisionError> {
        let Some(step) = next_step(self.major, self.decisions) else {
            return Err(DecisionError::AlreadyDecided(self.kind.label()));
        };
        if !roles.contains(step.role()) {
            return Err(DecisionError::NotYourStep(step.label()));
        }
        if self.decisions.iter().any(|d| d.by == who) {
            return Err(DecisionError::SamePerson);
        }
        if go && self.kind == InquiryKind::Tender && self.deadline.is_some_and(|d| d <= now) {
            return Err(DecisionError::DeadlinePassed);
        }
        Ok(step)
    }
}

/// 还剩 3 天 5 小时 / 已截止 — the tender deadline countdown.
pub fn countdown(deadline: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let left = deadline - now;
    if left <= chrono::Duration::zero() {
        return "已截止".into();
    }
    let (days, hours, minutes) = (left.num_days(), left.num_hours() % 24, left.num_minutes() % 60);
    match (days, hours) {
        (0, 0) => format!("还剩 {minutes} 分钟"),
        (0, h) => format!("还剩 {h} 小时 {minutes} 分"),
        (d, h) => format!("还剩 {d} 天 {h} 小时"),
    }
}

/// Parses clauses pasted from a spreadsheet or a tender document: one per line, cells separated by
/// tabs (or two or more spaces): `条款号  要求  技术|商务`. The kind may be left out (技术).
/// Returns the clauses, or the line number and reason of the first bad line.
pub fn parse_clauses(text: &str) -> Result<Vec<TenderClause>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with("条款号") {
            continue;
        }
        let cells: Vec<&str> = if line.contains('\t') {
            line.split('\t').map(str::trim).collect()
        } else {
            line.split("  ").map(str::trim).filter(|c| !c.is_empty()).collect()
        };
        let (no, requirement, kind) = match cells.as_slice() {
            [no, req] => (*no, *req, ClauseKind::Technical),
            [no, req, kind, ..] => {
                let k = ClauseKind::parse(kind)
                    .ok_or_else(|| format!("第 {} 行：类型应为“技术”或“商务”，不是“{kind}”", i + 1))?;
                (*no, *req, k)
            }
            _ => return Err(format!("第 {} 行：应为“条款号<Tab>要求<Tab>技术/商务”", i + 1)),
        };
        if no.is_empty() || requirement.is_empty() {
            return Err(format!("第 {} 行：条款号和要求都不能为空", i + 1));
        }
        out.push(TenderClause::suggested(no, requirement, kind));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_800_000_000 + h * 3600, 0).unwrap()
    }

    fn decision(step: DecisionStep, by: i64, go: bool) -> Decision {
        Decision { step, by: UserId(by), by_name: String::new(), at: at(0), go, comment: String::new() }
    }

    fn roles(r: &[Role]) -> RoleSet {
        RoleSet::new(r.iter().copied())
    }

    #[allow(clippy::too_many_arguments)] // the whole situation, spelled out per test
    fn check_decision(
        kind: InquiryKind,
        major: bool,
        decisions: &[Decision],
        who: UserId,
        roles: &RoleSet,
        go: bool,
        deadline: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<DecisionStep, DecisionError> {
        DecisionState { kind, major, decisions, deadline }.check(who, roles, go, now)
    }

    #[test]
    fn an_ordinary_inquiry_needs_the_head_only() {
        assert_eq!(next_step(false, &[]), Some(DecisionStep::Head));
        let d = [decision(DecisionStep::Head, 2, true)];
        assert_eq!(status_of(false, &d), InquiryStatus::Go);
        assert_eq!(next_step(false, &d), None);
    }

    #[test]
    fn a_major_inquiry_needs_the_head_then_a_leader() {
        let head_go = [decision(DecisionStep::Head, 2, true)];
        assert_eq!(status_of(true, &head_go), InquiryStatus::Registered);
        assert_eq!(next_step(true, &head_go), Some(DecisionStep::Leader));
        let both = [decision(DecisionStep::Head, 2, true), decision(DecisionStep::Leader, 3, true)];
        assert_eq!(status_of(true, &both), InquiryStatus::Go);
    }

    #[test]
    fn a_no_go_at_any_step_ends_it() {
        assert_eq!(status_of(true, &[decision(DecisionStep::Head, 2, false)]), InquiryStatus::NoGo);
        let d = [decision(DecisionStep::Head, 2, true), decision(DecisionStep::Leader, 3, false)];
        assert_eq!(status_of(true, &d), InquiryStatus::NoGo);
        assert_eq!(next_step(true, &d), None);
    }

    #[test]
    fn only_the_waiting_role_may_decide() {
        let k = InquiryKind::Inquiry;
        let e = check_decision(k, true, &[], UserId(3), &roles(&[Role::Leader]), true, None, at(0));
        assert_eq!(e, Err(DecisionError::NotYourStep("销售部负责人")));
        let e = check_decision(k, false, &[], UserId(5), &roles(&[Role::Sales]), true, None, at(0));
        assert!(e.is_err());
        assert_eq!(
            check_decision(k, false, &[], UserId(2), &roles(&[Role::Head]), true, None, at(0)),
            Ok(DecisionStep::Head)
        );
    }

    #[test]
    fn one_person_holding_both_roles_takes_one_step_only() {
        let both = roles(&[Role::Head, Role::Leader]);
        let d = [decision(DecisionStep::Head, 2, true)];
        let e = check_decision(InquiryKind::Inquiry, true, &d, UserId(2), &both, true, None, at(0));
        assert_eq!(e, Err(DecisionError::SamePerson));
        let e = check_decision(InquiryKind::Inquiry, true, &d, UserId(3), &both, true, None, at(0));
        assert_eq!(e, Ok(DecisionStep::Leader));
    }

    #[test]
    fn no_decision_twice() {
        let d = [decision(DecisionStep::Head, 2, true)];
        let e = check_decision(InquiryKind::Inquiry, false, &d, UserId(4), &roles(&[Role::Head]), false, None, at(0));
        assert_eq!(e, Err(DecisionError::AlreadyDecided("询价")));
    }

    #[test]
    fn a_tender_past_its_deadline_cannot_get_a_go_but_can_get_a_no_go() {
        let head = roles(&[Role::Head]);
        let t = InquiryKind::Tender;
        let e = check_decision(t, false, &[], UserId(2), &head, true, Some(at(1)), at(2));
        assert_eq!(e, Err(DecisionError::DeadlinePassed));
        assert!(check_decision(t, false, &[], UserId(2), &head, false, Some(at(1)), at(2)).is_ok());
        assert!(check_decision(t, false, &[], UserId(2), &head, true, Some(at(3)), at(2)).is_ok());
    }

    #[test]
    fn the_countdown_reads_like_a_person_would_say_it() {
        assert_eq!(countdown(at(77), at(0)), "还剩 3 天 5 小时");
        assert_eq!(countdown(at(5), at(0)), "还剩 5 小时 0 分");
        assert_eq!(countdown(at(0), at(1)), "已截止");
    }

    #[test]
    fn clauses_paste_from_a_spreadsheet() {
        let text = "条款号\t要求\t类型\n3.1\t变压器能效等级不低于二级\t技术\n★5.2\t质保期不少于24个月\t商务\n6.1  交货期60天内\n";
        let c = parse_clauses(text).unwrap();
        assert_eq!(c.len(), 3);
        assert_eq!(
            c[1],
            TenderClause {
                no: "★5.2".into(),
                requirement: "质保期不少于24个月".into(),
                kind: ClauseKind::Commercial,
                starred: true,
                typed: Some(Requirement::WarrantyMonths { at_least: 24 }),
            }
        );
        assert!(!c[0].starred && c[0].typed.is_none(), "a technical parameter stays a free clause");
        assert_eq!(c[2].kind, ClauseKind::Technical);
        assert_eq!(c[2].typed, Some(Requirement::DeliveryDays { at_most: 60 }));
        assert!(parse_clauses("3.1\t要求\t其他").unwrap_err().contains("第 1 行"));
        assert!(parse_clauses("只有一格").is_err());
    }
}
