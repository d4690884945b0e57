//! Quotes and bids (报价单/投标书) and their revisions (版本): lines priced from the price table,
//! totals by the one formula (DESIGN §4), price exceptions, tender clause responses, the content
//! hash that approvals bind to, the two state machines and who may approve (DESIGN §2–§3).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::domain::company::FieldError;
use chrono::{DateTime, Utc};

use crate::domain::docno::DocNumber;
use crate::domain::ids::{
    CertificateId, ContactId, CustomerId, InquiryId, PriceVersionId, ProductId, QuoteId, ReferenceId, RevisionId,
    UserId,
};
use crate::domain::inquiry::ClauseKind;
use crate::domain::money::{Discount, Money, Quantity, TaxRate, Totals, is_below_floor, line_amount, totals};
use crate::domain::policy::{ApprovalPolicy, CommercialTerms, MajorReason, RevisionFacts};
use crate::domain::product::{Product, TechParam};
use crate::domain::role::{Role, RoleSet};

/// 报价 (BJ-) or 投标 (TB-).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum QuoteKind {
    #[default]
    Quote,
    Bid,
}

impl QuoteKind {
    pub fn code(self) -> &'static str {
        match self {
            QuoteKind::Quote => "quote",
            QuoteKind::Bid => "bid",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        [QuoteKind::Quote, QuoteKind::Bid].into_iter().find(|k| k.code() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            QuoteKind::Quote => "报价",
            QuoteKind::Bid => "投标",
        }
    }

    /// The printed document: 报价单 / 投标书.
    pub fn doc_title(self) -> &'static str {
        match self {
            QuoteKind::Quote => "报价单",
            QuoteKind::Bid => "投标书",
        }
    }
}

/// One priced line (报价明细).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuoteLine {
    pub product: Option<ProductId>,
    /// The price-table version the list and floor prices came from.
    pub price_version: Option<PriceVersionId>,
    pub code: String,
    pub name: String,
    /// 型号规格 (the tech department may refine it in a review)
    pub model: String,
    pub unit: String,
    pub params: Vec<TechParam>,
    pub quantity: Quantity,
    /// 列表价 (含税)
    pub list_price: Money,
    /// 报价单价 (含税, before the discount)
    pub unit_price: Money,
    pub discount: Discount,
    pub tax_rate: TaxRate,
    /// 最低限价 at the time of pricing; kept so the check never depends on who reads it.
    pub floor_price: Option<Money>,
    /// Why this line may go below its floor (`PriceException`); required when it does.
    pub exception_reason: String,
    pub note: String,
    /// Below its floor, for a reader who may not see the floor: told by the store (on the office
    /// server, by the server itself) in place of `floor_price`. Never stored, never hashed, never
    /// compared.
    #[serde(skip)]
    pub below_unseen_floor: UnseenFloor,
}

/// Whether a line is below a floor its reader may not see, for the unit price and discount it
/// was read with. A reader's hint, not part of what the line offers: two lines that offer the
/// same are equal whoever read them (a draft saved by a salesperson is not "changed" because the
/// copy read back carries the hint).
#[derive(Debug, Clone, Copy, Default)]
pub struct UnseenFloor(pub bool);

impl PartialEq for UnseenFloor {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for UnseenFloor {}

impl Default for QuoteLine {
    fn default() -> Self {
        QuoteLine {
            product: None,
            price_version: None,
            code: String::new(),
            name: String::new(),
            model: String::new(),
            unit: "台".into(),
            params: Vec::new(),
            quantity: Quantity::ONE,
            list_price: Money::ZERO,
            unit_price: Money::ZERO,
            discount: Discount::ZERO,
            tax_rate: TaxRate::RATE_13,
            floor_price: None,
            exception_reason: String::new(),
            note: String::new(),
            below_unseen_floor: UnseenFloor(false),
        }
    }
}

impl QuoteLine {
    /// 金额 = round(数量 × 单价 × (1 − 折扣), 2).
    pub fn amount(&self) -> Money {
        line_amount(self.quantity, self.unit_price, self.discount)
    }

    /// Takes the list price (as the unit price), floor and tax rate of `p` in price-table version
    /// `version`: how a line is priced when made and when a quote is copied.
    pub fn price_from(&mut self, p: &Product, version: PriceVersionId) {
        self.price_version = Some(version);
        self.list_price = p.draft.list_price;
        self.unit_price = p.draft.list_price;
        self.floor_price = p.draft.floor_price;
        self.tax_rate = p.draft.tax_rate;
    }

    /// Below its floor after the discount (a `PriceException`); without the floor, what the
    /// store was told for a reader who may not see it.
    pub fn below_floor(&self) -> bool {
        match self.floor_price {
            Some(f) => is_below_floor(self.unit_price, self.discount, f),
            None => self.below_unseen_floor.0,
        }
    }

    /// Hides the floor from a reader who may not see it, keeping whether the line is below it.
    pub fn hide_floor(&mut self) {
        self.below_unseen_floor = UnseenFloor(self.below_floor());
        self.floor_price = None;
    }
}

/// 偏离 of a response to a tender clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Deviation {
    /// 无偏离
    #[default]
    None,
    /// 正偏离 (better than required)
    Positive,
    /// 负偏离 (worse than required)
    Negative,
}

impl Deviation {
    pub const ALL: [Deviation; 3] = [Deviation::None, Deviation::Positive, Deviation::Negative];
    pub fn label(self) -> &'static str {
        match self {
            Deviation::None => "无偏离",
            Deviation::Positive => "正偏离",
            Deviation::Negative => "负偏离",
        }
    }
}

/// Our answer to one tender clause (`TenderResponse`), printed in 技术/商务偏离表.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ClauseResponse {
    pub clause_no: String,
    pub requirement: String,
    pub kind: ClauseKind,
    pub response: String,
    pub deviation: Deviation,
    pub note: String,
}

/// What a revision says: everything the approvals bind to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct RevisionContent {
    pub lines: Vec<QuoteLine>,
    pub terms: CommercialTerms,
    pub notes: String,
    /// Bids only: one response per tender clause.
    pub responses: Vec<ClauseResponse>,
    /// Bids only: the certificates (资质证书) attached as qualification documents, in print order.
    /// Left out of the JSON when empty, so the content hash of every revision written before the
    /// certificate library existed stays what its approvals name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub certificates: Vec<CertificateId>,
    /// Bids only: the 业绩 listed in the 业绩表, in print order. Left out of the JSON when empty,
    /// so revisions written before the 业绩库 keep their content hashes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<ReferenceId>,
}

/// Row numbers as ranges: [1, 2, 3, 5] → "1–3、5".
fn row_ranges(rows: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let mut j = i;
        while j + 1 < rows.len() && rows[j + 1] == rows[j] + 1 {
            j += 1;
        }
        parts.push(if j > i { format!("{}–{}", rows[i], rows[j]) } else { rows[i].to_string() });
        i = j + 1;
    }
    parts.join("、")
}

impl RevisionContent {
    /// How a document states the VAT, made from the rates on its lines: "以上价格均含13%增值税"
    /// when they share one; else each rate with its lines ("第1–3、5行含13%增值税；第4行含6%增值税").
    /// Empty for a document without lines.
    pub fn tax_wording(&self) -> String {
        let mut rates: Vec<(TaxRate, Vec<usize>)> = Vec::new();
        for (i, l) in self.lines.iter().enumerate() {
            match rates.iter_mut().find(|(r, _)| *r == l.tax_rate) {
                Some((_, rows)) => rows.push(i + 1),
                None => rates.push((l.tax_rate, vec![i + 1])),
            }
        }
        match rates.as_slice() {
            [] => String::new(),
            [(rate, _)] => format!("以上价格均含{rate}增值税"),
            _ => rates
                .iter()
                .map(|(rate, rows)| format!("第{}行含{rate}增值税", row_ranges(rows)))
                .collect::<Vec<_>>()
                .join("；"),
        }
    }

    pub fn totals(&self) -> Totals {
        totals(self.lines.iter().map(|l| (l.tax_rate, l.amount())))
    }

    pub fn lines_below_floor(&self) -> usize {
        self.lines.iter().filter(|l| l.below_floor()).count()
    }

    /// SHA-256 of the canonical JSON form (serde's field order is fixed by the struct definitions,
    /// money and quantities serialise as exact decimal text) of what is offered: the floors are
    /// left out — they are the price table's, kept beside the content for those who may see them,
    /// so whoever submits (a salesperson who may not read them, or the head) binds the same hash.
    /// An approval names this hash; any change to what is offered makes it a different revision.
    /// (Revisions submitted before schema version 14 were hashed with their floors; their stored hash
    /// is kept, never computed again.)
    /// Fails only if the content cannot be written as JSON — never the hash of an empty text.
    pub fn content_hash(&self) -> Result<String, serde_json::Error> {
        Ok(hex::encode(Sha256::digest(serde_json::to_vec(&self.without_floors())?)))
    }

    /// The SHA-256 of the content exactly as it stands, floors included: how revisions
    /// submitted before the floors left the hash were bound.
    pub fn hash_with_floors(&self) -> Result<String, serde_json::Error> {
        Ok(hex::encode(Sha256::digest(serde_json::to_vec(self)?)))
    }

    /// The content without its floor prices (what a reader who may not see them reads).
    pub fn without_floors(&self) -> RevisionContent {
        let mut c = self.clone();
        for l in &mut c.lines {
            l.floor_price = None;
        }
        c
    }

    /// Each line's floor price, in line order; `None` when no line has one.
    pub fn floors(&self) -> Option<Vec<Option<Money>>> {
        let floors: Vec<Option<Money>> = self.lines.iter().map(|l| l.floor_price).collect();
        floors.iter().any(Option::is_some).then_some(floors)
    }

    /// Puts floors kept beside the content back on its lines (line order).
    pub fn set_floors(&mut self, floors: &[Option<Money>]) {
        for (l, f) in self.lines.iter_mut().zip(floors) {
            l.floor_price = *f;
        }
    }

    /// What must be fixed before submitting; one message per problem, named by line.
    pub fn problems(&self, kind: QuoteKind) -> Vec<FieldError> {
        let mut out = Vec::new();
        if self.lines.is_empty() {
            out.push(FieldError::new("lines", "请至少添加一行产品"));
        }
        for (i, l) in self.lines.iter().enumerate() {
            let f = |name: &str| format!("line{i}.{name}");
            if l.name.trim().is_empty() {
                out.push(FieldError::new(f("name"), format!("第 {} 行：请填写产品名称", i + 1)));
            }
            if l.quantity.is_zero() {
                out.push(FieldError::new(f("quantity"), format!("第 {} 行：数量应大于0", i + 1)));
            }
            if l.unit_price <= Money::ZERO {
                out.push(FieldError::new(f("unit_price"), format!("第 {} 行：单价应大于0", i + 1)));
            }
            if l.below_floor() && l.exception_reason.trim().is_empty() {
                out.push(FieldError::new(
                    f("exception_reason"),
                    format!("第 {} 行低于最低限价，请写明原因（如：战略客户、批量采购）", i + 1),
                ));
            }
        }
        out.extend(self.terms.problems().into_iter().map(|p| FieldError::new("terms", p)));
        if kind == QuoteKind::Bid {
            for (i, r) in self.responses.iter().enumerate() {
                if r.response.trim().is_empty() {
                    out.push(FieldError::new(format!("response{i}"), format!("招标条款 {} 尚未应答", r.clause_no)));
                }
            }
        }
        out
    }

    /// Why this revision is major under the policy (DESIGN §3), as the approver reads it.
    pub fn major_reasons(
        &self,
        policy: &ApprovalPolicy,
        standard: &CommercialTerms,
        tender_major: bool,
    ) -> Vec<MajorReason> {
        let facts = RevisionFacts {
            total: self.totals().total,
            lines_below_floor: self.lines_below_floor(),
            terms: &self.terms,
            tender_is_major: tender_major,
        };
        policy.revision_reasons(&facts, standard)
    }
}

/// A revision's state (DESIGN §3): `draft → submitted → approved | rejected`, and `superseded`
/// once a newer revision exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RevisionStatus {
    Draft,
    Submitted,
    Approved,
    Rejected,
    Superseded,
}

impl RevisionStatus {
    pub const ALL: [RevisionStatus; 5] =
        [Self::Draft, Self::Submitted, Self::Approved, Self::Rejected, Self::Superseded];
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Superseded => "superseded",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "草稿",
            Self::Submitted => "待审批",
            Self::Approved => "已批准",
            Self::Rejected => "已驳回",
            Self::Superseded => "已作废",
        }
    }
    /// Whether the content may still change (only a draft).
    pub fn editable(self) -> bool {
        self == Self::Draft
    }
}

/// The document's state (DESIGN §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum QuoteStatus {
    Open,
    Issued,
    Negotiating,
    Won,
    Lost,
    Expired,
}

impl QuoteStatus {
    pub const ALL: [QuoteStatus; 6] =
        [Self::Open, Self::Issued, Self::Negotiating, Self::Won, Self::Lost, Self::Expired];
    pub fn code(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Issued => "issued",
            Self::Negotiating => "negotiating",
            Self::Won => "won",
            Self::Lost => "lost",
            Self::Expired => "expired",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "进行中",
            Self::Issued => "已发出",
            Self::Negotiating => "谈判中",
            Self::Won => "已中标/成交",
            Self::Lost => "未成交",
            Self::Expired => "已过期",
        }
    }
}

/// The approval steps (审批环节) are the decision steps of inquiries: the department head, then
/// company leadership.
pub use crate::domain::inquiry::DecisionStep as ApprovalStep;

/// One approval given or refused, bound to the content it saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    pub step: ApprovalStep,
    pub by: UserId,
    pub by_name: String,
    pub at: DateTime<Utc>,
    pub approved: bool,
    pub comment: String,
    pub content_hash: String,
}

/// Why an approval is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApprovalError {
    #[error("该版本不在待审批状态（{0}）")]
    NotSubmitted(&'static str),
    #[error("该版本已被修改，您审阅的内容已过时，请刷新后重新审阅")]
    StaleContent,
    #[error("现在等待{0}审批")]
    NotYourStep(&'static str),
    #[error("不能审批自己编制的报价")]
    OwnRevision,
    #[error("不能审批自己负责的客户的报价")]
    OwnCustomer,
    #[error("重大报价须由两位不同的人审批：您已审批过销售部负责人环节")]
    SamePerson,
}

/// The facts that decide who may approve a submitted revision now.
#[derive(Debug, Clone, Copy)]
pub struct ApprovalState<'a> {
    pub status: RevisionStatus,
    pub major: bool,
    pub content_hash: &'a str,
    pub approvals: &'a [Approval],
    pub author: UserId,
    pub customer_owner: Option<UserId>,
    /// Whether some active head other than the author and the customer's owner exists; if not,
    /// the head step goes to a leader (DESIGN §2).
    pub other_head_exists: bool,
}

impl ApprovalState<'_> {
    /// The step waiting now (None once decided or not submitted).
    pub fn next_step(&self) -> Option<ApprovalStep> {
        if self.status != RevisionStatus::Submitted || self.approvals.iter().any(|a| !a.approved) {
            return None;
        }
        let steps: &[ApprovalStep] =
            if self.major { &[ApprovalStep::Head, ApprovalStep::Leader] } else { &[ApprovalStep::Head] };
        steps.iter().copied().find(|s| !self.approvals.iter().any(|a| a.step == *s))
    }

    /// The role that takes `step`: the head step goes to a leader when no other head may take it.
    pub fn role_for(&self, step: ApprovalStep) -> Role {
        match step {
            ApprovalStep::Head if self.other_head_exists => Role::Head,
            ApprovalStep::Head | ApprovalStep::Leader => Role::Leader,
        }
    }

    /// May this person approve or reject now, having reviewed content `seen_hash`?
    pub fn check(&self, who: UserId, roles: &RoleSet, seen_hash: &str) -> Result<ApprovalStep, ApprovalError> {
        if self.status != RevisionStatus::Submitted {
            return Err(ApprovalError::NotSubmitted(self.status.label()));
        }
        if seen_hash != self.content_hash {
            return Err(ApprovalError::StaleContent);
        }
        let Some(step) = self.next_step() else {
            return Err(ApprovalError::NotSubmitted("已有结论"));
        };
        if who == self.author {
            return Err(ApprovalError::OwnRevision);
        }
        if Some(who) == self.customer_owner {
            return Err(ApprovalError::OwnCustomer);
        }
        let role = self.role_for(step);
        if !roles.contains(role) {
            return Err(ApprovalError::NotYourStep(if role == Role::Head {
                "销售部负责人"
            } else {
                "公司领导"
            }));
        }
        if self.approvals.iter().any(|a| a.by == who) {
            return Err(ApprovalError::SamePerson);
        }
        Ok(step)
    }

    /// The status after this approval (or rejection).
    pub fn status_after(&self, approvals: &[Approval]) -> RevisionStatus {
        let state = ApprovalState { approvals, ..*self };
        if approvals.iter().any(|a| !a.approved) {
            RevisionStatus::Rejected
        } else if state.next_step().is_none() {
            RevisionStatus::Approved
        } else {
            RevisionStatus::Submitted
        }
    }
}

/// A quote or bid (the document).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub id: QuoteId,
    pub number: DocNumber,
    pub kind: QuoteKind,
    pub inquiry: Option<InquiryId>,
    pub customer: CustomerId,
    pub customer_name: String,
    pub customer_owner: Option<UserId>,
    pub contact: Option<ContactId>,
    pub contact_name: String,
    pub subject: String,
    pub status: QuoteStatus,
    pub author: UserId,
    pub author_name: String,
    pub created_at: DateTime<Utc>,
    pub version: i64,
    pub updated_at: String,
    pub updated_by: String,
}

/// One revision (V1, V2 …) of a quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    pub id: RevisionId,
    pub quote: QuoteId,
    pub revision: u32,
    pub status: RevisionStatus,
    pub content: RevisionContent,
    /// Set when submitted; approvals name it.
    pub content_hash: String,
    pub total: Money,
    pub major: bool,
    pub major_reasons: Vec<String>,
    pub author: UserId,
    pub author_name: String,
    pub created_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub approvals: Vec<Approval>,
    pub version: i64,
    pub updated_at: String,
    pub updated_by: String,
}

/// A question to the technical department on a revision, and its answer (技术评审).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TechReview {
    pub id: i64,
    pub revision: RevisionId,
    pub question: String,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    pub answer: Option<String>,
    pub answered_by: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests;
