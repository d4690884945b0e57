//! Contracts (合同) — procedure (3) D and DESIGN §3: a contract is made from a won quote or bid's
//! approved latest revision (lines and terms copied), `draft → confirmed (head; leader when major)
//! → signed` with the signing date, and carries a payment schedule (付款计划): installments by
//! percent or by amount, each due on signing, some days after delivery, some months after the
//! warranty starts, or on a fixed date. Deliveries (发货), invoices (开票) and receipts (回款) are
//! recorded against it; what is due, paid and overdue is in `receivable`.
//!
//! Pure: the due dates are a function of the schedule, the signing date and the deliveries.

use chrono::{DateTime, Months, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::domain::company::FieldError;
use crate::domain::docno::DocNumber;
use crate::domain::ids::{ContractId, CustomerId, QuoteId, RevisionId, UserId};
use crate::domain::money::{Money, Totals, totals};
use crate::domain::policy::CommercialTerms;
use crate::domain::quote::{Approval, QuoteLine};

const TEXT_MAX: usize = 500;

/// A contract's state (合同状态).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ContractStatus {
    /// 草稿：销售员起草，等待确认
    Draft,
    /// 已确认：销售部负责人（重大合同另需公司领导）确认
    Confirmed,
    /// 已签订
    Signed,
}

impl ContractStatus {
    pub const ALL: [ContractStatus; 3] = [Self::Draft, Self::Confirmed, Self::Signed];
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Confirmed => "confirmed",
            Self::Signed => "signed",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "草稿（待确认）",
            Self::Confirmed => "已确认（待签订）",
            Self::Signed => "已签订",
        }
    }
}

/// When an installment falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Trigger {
    /// 合同签订时 (kept for schedules made before days after signing could be said)
    OnSigning,
    /// 合同签订后 N 天内 (due on the Nth day, overdue from the day after)
    AfterSigning { days: u32 },
    /// 发货后 N 天（验收）
    OnDelivery { days: u32 },
    /// 质保期满（自发货起 N 个月）
    AfterWarranty { months: u32 },
    /// 固定日期
    FixedDate { date: NaiveDate },
}

impl Trigger {
    /// `签订时`, `发货后 30 天`, `质保期满（发货后 12 个月）`, `2026-12-31`
    pub fn label(&self) -> String {
        match self {
            Self::OnSigning | Self::AfterSigning { days: 0 } => "合同签订时".into(),
            Self::AfterSigning { days } => format!("合同签订后 {days} 天内"),
            Self::OnDelivery { days: 0 } => "发货时".into(),
            Self::OnDelivery { days } => format!("发货后 {days} 天"),
            Self::AfterWarranty { months } => format!("质保期满（发货后 {months} 个月）"),
            Self::FixedDate { date } => format!("{date}"),
        }
    }

    /// Whether a delivery sets this installment's due date.
    pub fn delivery_linked(&self) -> bool {
        matches!(self, Self::OnDelivery { .. } | Self::AfterWarranty { .. })
    }

    /// The due date once known: signing sets the first, the (last) delivery sets the
    /// delivery-linked ones; a fixed date is always known.
    pub fn due_date(&self, signed_on: Option<NaiveDate>, delivered_on: Option<NaiveDate>) -> Option<NaiveDate> {
        match *self {
            Self::OnSigning => signed_on,
            Self::AfterSigning { days } => signed_on.map(|d| d + chrono::Duration::days(i64::from(days))),
            Self::OnDelivery { days } => delivered_on.map(|d| d + chrono::Duration::days(i64::from(days))),
            Self::AfterWarranty { months } => delivered_on.and_then(|d| d.checked_add_months(Months::new(months))),
            Self::FixedDate { date } => Some(date),
        }
    }
}

/// How much an installment is: a share of the total or a fixed amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Share {
    /// 比例（%）
    Percent(Decimal),
    /// 金额
    Amount(Money),
}

/// What starts the clock of a delivery-linked installment (到货款, 质保金).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// 全部发货后: the delivery that completes the contract (the default for 到货验收款 and 质保金).
    #[default]
    Completion,
    /// 按批: each shipment makes its share (by value) of the installment due.
    ProRata,
    /// 验收合格后: the acceptance date recorded on the contract (when the terms say 验收).
    Acceptance,
}

impl Basis {
    pub const ALL: [Basis; 3] = [Basis::Completion, Basis::ProRata, Basis::Acceptance];

    pub fn label(self) -> &'static str {
        match self {
            Basis::Completion => "全部发货后起算",
            Basis::ProRata => "每批发货按比例",
            Basis::Acceptance => "验收合格后起算",
        }
    }

    fn is_completion(&self) -> bool {
        *self == Basis::Completion
    }
}

/// One installment of the payment schedule (付款节点).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Installment {
    /// 预付款, 到货款, 质保金 …
    pub label: String,
    pub share: Share,
    pub trigger: Trigger,
    /// For a delivery-linked trigger: what starts its clock. Left out of the stored content while
    /// it is the default, so contracts confirmed before it existed keep their content hash.
    #[serde(default, skip_serializing_if = "Basis::is_completion")]
    pub basis: Basis,
}

impl Installment {
    pub fn new(label: impl Into<String>, share: Share, trigger: Trigger) -> Self {
        Installment { label: label.into(), share, trigger, basis: Basis::Completion }
    }

    /// The condition as the contract and its card say it: `合同签订后 7 天内`,
    /// `全部发货后 30 天`, `每批发货后 30 天（按批发货金额比例）`, `验收合格后 30 天`,
    /// `质保期满（验收合格后 12 个月）`.
    pub fn condition(&self) -> String {
        let from = match self.basis {
            Basis::Completion => "全部发货",
            Basis::ProRata => "每批发货",
            Basis::Acceptance => "验收合格",
        };
        // A pro-rata installment says how it is shared: in brackets after a delivery's days, after
        // a comma inside the warranty's.
        let pro_rata = self.basis == Basis::ProRata;
        let (bracket, inner) =
            if pro_rata { ("（按批发货金额比例）", "，按批发货金额比例") } else { ("", "") };
        match self.trigger {
            Trigger::OnDelivery { days: 0 } => format!("{from}时{bracket}"),
            Trigger::OnDelivery { days } => format!("{from}后 {days} 天{bracket}"),
            Trigger::AfterWarranty { months } => format!("质保期满（{from}后 {months} 个月{inner}）"),
            _ => self.trigger.label(),
        }
    }
}

/// The schedule's installments, in the order they are paid off.
pub type Schedule = Vec<Installment>;

/// How many days after signing the prepayment of the standard schedule is due (offices write
/// "合同签订后 7 日内预付").
pub const PREPAYMENT_DAYS: u32 = 7;

/// The schedule read from a revision's terms: the prepayment % within 7 days of signing, 10% retention after
/// the warranty (when there is a warranty), the rest 30 days after delivery (验收).
pub fn default_schedule(terms: &CommercialTerms) -> Schedule {
    let hundred = Decimal::from(100);
    let prepay = terms.prepayment_pct.clamp(Decimal::ZERO, hundred);
    let retention = if terms.warranty_months > 0 { Decimal::from(10).min(hundred - prepay) } else { Decimal::ZERO };
    let on_delivery = hundred - prepay - retention;
    let mut out = Vec::new();
    if prepay > Decimal::ZERO {
        out.push(Installment::new(
            "预付款",
            Share::Percent(prepay.normalize()),
            Trigger::AfterSigning { days: PREPAYMENT_DAYS },
        ));
    }
    if on_delivery > Decimal::ZERO {
        out.push(Installment::new(
            "到货验收款",
            Share::Percent(on_delivery.normalize()),
            Trigger::OnDelivery { days: 30 },
        ));
    }
    if retention > Decimal::ZERO {
        out.push(Installment::new(
            "质保金",
            Share::Percent(retention.normalize()),
            Trigger::AfterWarranty { months: terms.warranty_months },
        ));
    }
    out
}

/// Every problem with a schedule for a contract of `total`, under `schedule` or `installment{i}`.
/// Percents must add up to 100%, amounts to the total; the two are not mixed.
pub fn schedule_problems(schedule: &[Installment], total: Money) -> Vec<FieldError> {
    let mut out = Vec::new();
    if schedule.is_empty() {
        out.push(FieldError::new("schedule", "请至少填写一个付款节点"));
        return out;
    }
    let hundred = Decimal::from(100);
    for (i, inst) in schedule.iter().enumerate() {
        let f = format!("installment{i}");
        let n = i + 1;
        if inst.label.trim().is_empty() {
            out.push(FieldError::new(f.clone(), format!("第 {n} 个付款节点：请填写名称（如 预付款、到货款、质保金）")));
        } else if inst.label.chars().count() > 40 {
            out.push(FieldError::new(f.clone(), format!("第 {n} 个付款节点：名称不能超过 40 字")));
        }
        match inst.share {
            Share::Percent(p) if p <= Decimal::ZERO || p > hundred => {
                out.push(FieldError::new(f.clone(), format!("第 {n} 个付款节点：比例应大于 0% 且不超过 100%")))
            }
            Share::Amount(a) if a <= Money::ZERO => {
                out.push(FieldError::new(f.clone(), format!("第 {n} 个付款节点：金额应大于 0")))
            }
            _ => {}
        }
        if inst.basis != Basis::Completion && !inst.trigger.delivery_linked() {
            out.push(FieldError::new(
                f.clone(),
                format!("第 {n} 个付款节点：“{}”只适用于发货后或质保期满的付款节点", inst.basis.label()),
            ));
        }
        match inst.trigger {
            Trigger::OnDelivery { days } if days > 365 => {
                out.push(FieldError::new(f.clone(), format!("第 {n} 个付款节点：发货后天数不应超过 365 天")))
            }
            Trigger::AfterWarranty { months } if months == 0 || months > 120 => {
                out.push(FieldError::new(f.clone(), format!("第 {n} 个付款节点：质保期应在 1 到 120 个月之间")))
            }
            _ => {}
        }
    }
    let percents = schedule.iter().filter(|i| matches!(i.share, Share::Percent(_))).count();
    if percents != 0 && percents != schedule.len() {
        out.push(FieldError::new("schedule", "付款节点须全部按比例或全部按金额填写，不能混用"));
    } else if percents > 0 {
        let sum: Decimal =
            schedule.iter().map(|i| if let Share::Percent(p) = i.share { p } else { Decimal::ZERO }).sum();
        if sum != hundred {
            out.push(FieldError::new("schedule", format!("各付款节点比例合计为 {}%，应为 100%", sum.normalize())));
        }
    } else {
        let sum: Money = schedule.iter().map(|i| if let Share::Amount(a) = i.share { a } else { Money::ZERO }).sum();
        if sum != total {
            out.push(FieldError::new(
                "schedule",
                format!(
                    "各付款节点金额合计为 {}，应等于合同总额 {}（相差 {}）",
                    sum.yuan_display(),
                    total.yuan_display(),
                    (total - sum).yuan_display()
                ),
            ));
        }
    }
    out
}

/// Each installment's amount. A percent is rounded to 分 half away from zero; the last installment
/// takes what rounding left over, so the amounts always add up to the total exactly.
pub fn installment_amounts(schedule: &[Installment], total: Money) -> Vec<Money> {
    let mut out: Vec<Money> = schedule
        .iter()
        .map(|i| match i.share {
            Share::Percent(p) => Money::from_decimal(total.as_decimal() * p / Decimal::from(100)),
            Share::Amount(a) => a,
        })
        .collect();
    if schedule.iter().all(|i| matches!(i.share, Share::Percent(_)))
        && let Some(last) = out.len().checked_sub(1)
    {
        let others: Money = out[..last].iter().copied().sum();
        out[last] = total - others;
    }
    out
}

/// What the contract says: the revision's lines and terms, and the schedule agreed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ContractContent {
    pub lines: Vec<QuoteLine>,
    pub terms: CommercialTerms,
    pub schedule: Schedule,
}

impl ContractContent {
    pub fn totals(&self) -> Totals {
        totals(self.lines.iter().map(|l| (l.tax_rate, l.amount())))
    }

    /// SHA-256 of the canonical JSON; a confirmation names it, so changing the schedule after a
    /// confirmation needs a new one.
    /// Fails only if the content cannot be written as JSON — never the hash of an empty text.
    pub fn content_hash(&self) -> Result<String, serde_json::Error> {
        Ok(hex::encode(Sha256::digest(serde_json::to_vec(self)?)))
    }
}

/// A contract as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contract {
    pub id: ContractId,
    pub number: DocNumber,
    pub quote: QuoteId,
    pub quote_number: String,
    /// The revision the lines and terms come from.
    pub revision: RevisionId,
    pub revision_number: u32,
    pub customer: CustomerId,
    pub customer_name: String,
    /// The salesperson the receivable belongs to (the customer's owner, else the quote's author).
    pub salesperson: UserId,
    pub salesperson_name: String,
    pub customer_owner: Option<UserId>,
    /// The customer's owner now (customers are handed over when a salesperson leaves): they may
    /// record against the contract too. Read with the contract, never stored on it.
    #[serde(skip)]
    pub current_owner: Option<UserId>,
    pub author: UserId,
    pub author_name: String,
    pub subject: String,
    pub status: ContractStatus,
    pub content: ContractContent,
    pub content_hash: String,
    pub total: Money,
    pub major: bool,
    pub major_reasons: Vec<String>,
    pub signed_on: Option<NaiveDate>,
    /// 验收日期: when the customer accepted the goods (an installment counted from acceptance, and
    /// a warranty that runs from it, start here).
    #[serde(default)]
    pub accepted_on: Option<NaiveDate>,
    /// Every confirmation given or refused, oldest first.
    pub approvals: Vec<Approval>,
    pub created_at: DateTime<Utc>,
    pub version: i64,
    pub updated_at: String,
    pub updated_by: String,
}

impl Contract {
    /// The confirmations that count now: those given for the current content.
    pub fn current_approvals(&self) -> Vec<Approval> {
        self.approvals.iter().filter(|a| a.content_hash == self.content_hash).cloned().collect()
    }
}

/// The signing form. A contract is often signed before it is entered, so the date may be earlier
/// than the draft — but not in the future, and not more than a year before the draft (a typed
/// 2016 for 2026 is caught).
pub fn signing_problems(date: Option<NaiveDate>, today: NaiveDate, created: NaiveDate) -> Vec<FieldError> {
    let earliest = created.checked_sub_days(chrono::Days::new(366)).unwrap_or(created);
    match date {
        None => vec![FieldError::new("signed_on", "请填写签订日期")],
        Some(d) if d > today => vec![FieldError::new("signed_on", "签订日期不能晚于今天")],
        Some(d) if d < earliest => {
            vec![FieldError::new("signed_on", format!("签订日期 {d} 比合同起草日期 {created} 早一年以上，请核对年份"))]
        }
        Some(_) => Vec::new(),
    }
}

/// The 验收日期 form: on a signed contract, after its first delivery (goods are accepted once they
/// arrived), not in the future.
pub fn acceptance_problems(
    date: Option<NaiveDate>,
    today: NaiveDate,
    first_delivery: Option<NaiveDate>,
) -> Vec<FieldError> {
    match (date, first_delivery) {
        (None, _) => vec![FieldError::new("accepted_on", "请填写验收日期")],
        (Some(_), None) => vec![FieldError::new("accepted_on", "还没有登记发货，不能登记验收；请先登记发货")],
        (Some(d), _) if d > today => vec![FieldError::new("accepted_on", "验收日期不能晚于今天")],
        (Some(d), Some(first)) if d < first => {
            vec![FieldError::new("accepted_on", format!("验收日期不能早于第一次发货日期 {first}"))]
        }
        _ => Vec::new(),
    }
}

/// The day the contract was delivered in full: the delivery that brings every line to its
/// quantity (a delivery that lists no lines ships whatever is left, 整批发货). `None` while anything
/// is still to ship: a delivery-linked installment (到货验收款, 质保金) is not due on a partial
/// delivery, and the warranty starts at completion.
pub fn completed_on(quantities: &[crate::domain::money::Quantity], deliveries: &[Delivery]) -> Option<NaiveDate> {
    let mut sent = vec![rust_decimal::Decimal::ZERO; quantities.len()];
    let mut order: Vec<&Delivery> = deliveries.iter().collect();
    order.sort_by_key(|d| (d.date, d.id));
    for d in order {
        if d.lines.is_empty() {
            return Some(d.date);
        }
        for l in &d.lines {
            if let Some(s) = sent.get_mut(l.line) {
                *s += l.quantity.as_decimal();
            }
        }
        if quantities.iter().zip(&sent).all(|(q, s)| *s >= q.as_decimal()) {
            return Some(d.date);
        }
    }
    None
}

/// One due part of an installment: the whole of it, or — pro rata per shipment — one shipment's
/// share, or the share still to ship.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Index into the schedule.
    pub installment: usize,
    /// `到货验收款`, `到货验收款（12-01 发货部分）`, `到货验收款（未发货部分）`
    pub label: String,
    pub condition: String,
    pub amount: Money,
    pub due: Option<NaiveDate>,
}

/// How far delivery has come: each shipment's date and share of the contract's value (0–1, in
/// date order; a delivery listing no lines ships what is left), and the day it completed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeliveryProgress {
    pub shipments: Vec<(NaiveDate, Decimal)>,
    pub completed_on: Option<NaiveDate>,
}

impl DeliveryProgress {
    /// The share of the contract's value shipped (0–1).
    pub fn shipped(&self) -> Decimal {
        self.shipments.iter().map(|(_, s)| *s).sum::<Decimal>().min(Decimal::ONE)
    }

    /// `未发货`, `部分发货（已发 34%）`, `已全部发货（2026-12-09）`
    pub fn label(&self) -> String {
        match self.completed_on {
            Some(d) => format!("已全部发货（{d}）"),
            None if self.shipments.is_empty() => "未发货".into(),
            None => format!("部分发货（已发 {}%）", (self.shipped() * Decimal::from(100)).round_dp(0).normalize()),
        }
    }

    pub fn partial(&self) -> bool {
        self.completed_on.is_none() && !self.shipments.is_empty()
    }
}

/// The progress of `deliveries` against the contract's `lines` (by value: each line's amount
/// times the share of its quantity shipped).
pub fn delivery_progress(lines: &[QuoteLine], deliveries: &[Delivery]) -> DeliveryProgress {
    let quantities: Vec<crate::domain::money::Quantity> = lines.iter().map(|l| l.quantity).collect();
    let completed_on = completed_on(&quantities, deliveries);
    let total: Decimal = lines.iter().map(|l| l.amount().as_decimal()).sum();
    let mut order: Vec<&Delivery> = deliveries.iter().collect();
    order.sort_by_key(|d| (d.date, d.id));
    let mut shipped = Decimal::ZERO;
    let mut shipments = Vec::new();
    for d in order {
        if shipped >= Decimal::ONE {
            break;
        }
        let share = if d.lines.is_empty() || total.is_zero() {
            Decimal::ONE - shipped
        } else {
            let value: Decimal = d
                .lines
                .iter()
                .filter_map(|dl| {
                    let line = lines.get(dl.line)?;
                    let q = line.quantity.as_decimal();
                    (!q.is_zero()).then(|| line.amount().as_decimal() * dl.quantity.as_decimal() / q)
                })
                .sum();
            (value / total).min(Decimal::ONE - shipped)
        };
        if share > Decimal::ZERO {
            shipped += share;
            shipments.push((d.date, share));
        }
    }
    // The delivery that completes the contract takes what rounding left, so the shares add up to 1.
    if let (Some(_), Some(last)) = (completed_on, shipments.last_mut()) {
        last.1 += Decimal::ONE - shipped;
    }
    DeliveryProgress { shipments, completed_on }
}

/// The due parts of a schedule with installment `amounts`: an installment's clock starts at signing,
/// at the delivery that completes the contract, at each shipment (pro rata), or at the acceptance
/// date, as its trigger and basis say. Pro-rata parts add up to the installment to the fen.
pub fn due_parts(
    schedule: &[Installment],
    amounts: &[Money],
    signed_on: Option<NaiveDate>,
    progress: &DeliveryProgress,
    accepted_on: Option<NaiveDate>,
) -> Vec<Part> {
    let mut out = Vec::new();
    for (i, (inst, amount)) in schedule.iter().zip(amounts.iter().copied()).enumerate() {
        let condition = inst.condition();
        let whole = |due| Part { installment: i, label: inst.label.clone(), condition: condition.clone(), amount, due };
        if !inst.trigger.delivery_linked() {
            out.push(whole(inst.trigger.due_date(signed_on, None)));
            continue;
        }
        match inst.basis {
            Basis::Completion => out.push(whole(inst.trigger.due_date(signed_on, progress.completed_on))),
            Basis::Acceptance => out.push(whole(inst.trigger.due_date(signed_on, accepted_on))),
            Basis::ProRata if progress.shipments.is_empty() => out.push(whole(None)),
            Basis::ProRata => {
                let mut given = Money::ZERO;
                let n = progress.shipments.len();
                for (k, (date, share)) in progress.shipments.iter().enumerate() {
                    let last_of_complete = k + 1 == n && progress.completed_on.is_some();
                    let part = if last_of_complete {
                        amount - given
                    } else {
                        Money::from_decimal(amount.as_decimal() * share)
                    };
                    given += part;
                    out.push(Part {
                        installment: i,
                        label: format!("{}（{} 发货部分）", inst.label, date.format("%m-%d")),
                        condition: condition.clone(),
                        amount: part,
                        due: inst.trigger.due_date(signed_on, Some(*date)),
                    });
                }
                if progress.completed_on.is_none() && amount > given {
                    out.push(Part {
                        installment: i,
                        label: format!("{}（未发货部分）", inst.label),
                        condition: condition.clone(),
                        amount: amount - given,
                        due: None,
                    });
                }
            }
        }
    }
    out
}

/// One line of a delivery: which contract line, how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveredLine {
    /// Index into the contract's lines.
    pub line: usize,
    pub quantity: crate::domain::money::Quantity,
}

/// A delivery as typed (发货).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DeliveryDraft {
    pub date: Option<NaiveDate>,
    pub lines: Vec<DeliveredLine>,
    /// 发货说明（物流单号、收货人…）; required when no lines are given.
    pub note: String,
}

impl DeliveryDraft {
    /// `lines_left[i]` is what of contract line i is not delivered yet.
    pub fn problems(
        &self,
        today: NaiveDate,
        signed_on: Option<NaiveDate>,
        lines_left: &[(String, crate::domain::money::Quantity)],
    ) -> Vec<FieldError> {
        let mut out = Vec::new();
        match self.date {
            None => out.push(FieldError::new("date", "请填写发货日期")),
            Some(d) if d > today => out.push(FieldError::new("date", "发货日期不能晚于今天")),
            Some(d) if signed_on.is_some_and(|s| d < s) => out.push(FieldError::new(
                "date",
                format!("发货日期不能早于合同签订日期 {}", signed_on.map(|s| s.to_string()).unwrap_or_default()),
            )),
            Some(_) => {}
        }
        if self.lines.iter().all(|l| l.quantity.is_zero()) && self.note.trim().is_empty() {
            out.push(FieldError::new("lines", "请填写发货的产品和数量，或写明发货说明"));
        }
        for l in &self.lines {
            match lines_left.get(l.line) {
                None => out.push(FieldError::new("lines", format!("合同没有第 {} 行", l.line + 1))),
                Some((name, left)) if l.quantity > *left => out.push(FieldError::new(
                    format!("line{}", l.line),
                    format!("第 {} 行（{name}）本次发货 {} 超过未发数量 {}", l.line + 1, l.quantity, left),
                )),
                _ => {}
            }
        }
        if self.note.chars().count() > TEXT_MAX {
            out.push(FieldError::new("note", format!("发货说明不能超过 {TEXT_MAX} 字")));
        }
        out
    }
}

/// A recorded delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub id: i64,
    pub contract: ContractId,
    pub date: NaiveDate,
    pub lines: Vec<DeliveredLine>,
    pub note: String,
    pub by: UserId,
    pub by_name: String,
    pub at: DateTime<Utc>,
}

/// An invoice as typed (开票).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct InvoiceDraft {
    /// 发票号码
    pub number: String,
    pub date: Option<NaiveDate>,
    /// 价税合计
    pub amount: Option<Money>,
    /// 税额
    pub tax: Option<Money>,
}

impl InvoiceDraft {
    /// `invoiced` is what was invoiced on this contract before.
    pub fn problems(&self, today: NaiveDate, total: Money, invoiced: Money) -> Vec<FieldError> {
        let mut out = Vec::new();
        let number = self.number.trim();
        if number.is_empty() {
            out.push(FieldError::new("number", "请填写发票号码"));
        } else if number.chars().count() > 30 || !number.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            out.push(FieldError::new("number", "发票号码应为数字或字母，不超过 30 位"));
        }
        match self.date {
            None => out.push(FieldError::new("date", "请填写开票日期")),
            Some(d) if d > today => out.push(FieldError::new("date", "开票日期不能晚于今天")),
            Some(_) => {}
        }
        match self.amount {
            None => out.push(FieldError::new("amount", "请填写开票金额（价税合计）")),
            Some(a) if a <= Money::ZERO => out.push(FieldError::new("amount", "开票金额应大于 0")),
            Some(a) if invoiced + a > total => out.push(FieldError::new(
                "amount",
                format!(
                    "累计开票 {} 将超过合同总额 {}（已开 {}）",
                    (invoiced + a).yuan_display(),
                    total.yuan_display(),
                    invoiced.yuan_display()
                ),
            )),
            Some(_) => {}
        }
        match (self.tax, self.amount) {
            (None, _) => out.push(FieldError::new("tax", "请填写税额")),
            (Some(t), _) if t.is_negative() => out.push(FieldError::new("tax", "税额不能为负")),
            (Some(t), Some(a)) if t >= a && !a.is_zero() => out.push(FieldError::new("tax", "税额应小于开票金额")),
            _ => {}
        }
        out
    }
}

/// A recorded invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    pub id: i64,
    pub contract: ContractId,
    pub number: String,
    pub date: NaiveDate,
    pub amount: Money,
    pub tax: Money,
    pub by: UserId,
    pub by_name: String,
    pub at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A delivery of (line, units) on `date`.
    fn delivery(id: i64, date: NaiveDate, lines: Vec<(usize, u32)>) -> Delivery {
        use crate::domain::money::Quantity;
        Delivery {
            id,
            contract: crate::domain::ids::ContractId(1),
            date,
            lines: lines
                .into_iter()
                .map(|(line, q)| DeliveredLine { line, quantity: Quantity::from_units(q) })
                .collect(),
            note: String::new(),
            by: crate::domain::ids::UserId(1),
            by_name: String::new(),
            at: chrono::Utc::now(),
        }
    }

    #[test]
    fn delivery_linked_money_waits_for_the_delivery_that_completes_the_contract() {
        use crate::domain::money::Quantity;
        let day = |n| NaiveDate::from_ymd_opt(2026, 12, n).unwrap();
        let qty = [Quantity::from_units(1492), Quantity::from_units(2)];
        // 500 of 1 492 m of busbar: not complete, nothing delivery-linked is due.
        let first = delivery(1, day(1), vec![(0, 500)]);
        assert_eq!(completed_on(&qty, std::slice::from_ref(&first)), None);
        let second = delivery(2, day(9), vec![(0, 992), (1, 2)]);
        assert_eq!(completed_on(&qty, &[second.clone(), first.clone()]), Some(day(9)), "in date order");
        // A delivery that lists no lines ships what is left (整批发货).
        assert_eq!(completed_on(&qty, &[first, delivery(3, day(5), vec![])]), Some(day(5)));
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    #[test]
    fn pro_rata_parts_follow_the_shipments_by_value_and_add_up_to_the_fen() {
        use crate::domain::money::Quantity;
        let day = |n| NaiveDate::from_ymd_opt(2026, 12, n).unwrap();
        let line = |qty: u32, price: &str| QuoteLine {
            quantity: Quantity::from_units(qty),
            unit_price: Money::parse(price).unwrap(),
            ..Default::default()
        };
        // ¥3,000 of cable (3 × 1,000) and ¥1,000 of boxes.
        let lines = [line(3, "1000.00"), line(1, "1000.00")];
        let mut pro_rata =
            Installment::new("到货款", Share::Percent(Decimal::from(60)), Trigger::OnDelivery { days: 30 });
        pro_rata.basis = Basis::ProRata;
        let mut accepted =
            Installment::new("质保金", Share::Percent(Decimal::from(40)), Trigger::AfterWarranty { months: 12 });
        accepted.basis = Basis::Acceptance;
        let schedule = [pro_rata, accepted];
        let amounts = [m("600.01"), m("400.00")];

        let one = [delivery(1, day(1), vec![(0, 1)])];
        let p = delivery_progress(&lines, &one);
        assert_eq!(p.label(), "部分发货（已发 25%）");
        let parts = due_parts(&schedule, &amounts, Some(day(1)), &p, None);
        assert_eq!(parts.len(), 3);
        assert_eq!((parts[0].amount, parts[0].due), (m("150.00"), Some(day(31))));
        assert_eq!(
            (parts[1].label.as_str(), parts[1].amount, parts[1].due),
            ("到货款（未发货部分）", m("450.01"), None)
        );
        assert_eq!(parts[2].due, None, "no acceptance yet");

        // Then the rest with no lines listed (整批发货): the last part takes the rounding.
        let both = [one[0].clone(), delivery(2, day(5), vec![])];
        let p = delivery_progress(&lines, &both);
        assert_eq!(p.completed_on, Some(day(5)));
        let parts = due_parts(&schedule, &amounts, Some(day(1)), &p, Some(day(8)));
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0].amount + parts[1].amount, m("600.01"));
        assert_eq!(parts[1].due, Some(NaiveDate::from_ymd_opt(2027, 1, 4).unwrap()));
        assert_eq!(parts[2].due, NaiveDate::from_ymd_opt(2027, 12, 8));
        assert_eq!(schedule[0].condition(), "每批发货后 30 天（按批发货金额比例）");
        assert_eq!(schedule[1].condition(), "质保期满（验收合格后 12 个月）");
        assert_eq!(default_schedule(&CommercialTerms::default())[1].condition(), "全部发货后 30 天");

        // A basis on a trigger that is not delivery-linked is refused.
        let mut wrong = Installment::new("预付款", Share::Percent(Decimal::from(100)), Trigger::OnSigning);
        wrong.basis = Basis::ProRata;
        assert!(messages(&schedule_problems(&[wrong], m("1.00")))[0].contains("只适用于"));
        // The default basis is not written into the content (the confirmed hashes stay).
        let json = serde_json::to_string(&default_schedule(&CommercialTerms::default())).unwrap();
        assert!(!json.contains("basis"), "{json}");
    }

    fn pct(label: &str, p: i64, trigger: Trigger) -> Installment {
        Installment::new(label, Share::Percent(Decimal::from(p)), trigger)
    }

    fn messages(p: &[FieldError]) -> Vec<String> {
        p.iter().map(|e| e.message.clone()).collect()
    }

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    #[test]
    fn the_default_schedule_follows_the_terms() {
        let s = default_schedule(&CommercialTerms::default());
        assert_eq!(
            s,
            vec![
                pct("预付款", 30, Trigger::AfterSigning { days: PREPAYMENT_DAYS }),
                pct("到货验收款", 60, Trigger::OnDelivery { days: 30 }),
                pct("质保金", 10, Trigger::AfterWarranty { months: 12 }),
            ]
        );
        let no_warranty = CommercialTerms { warranty_months: 0, prepayment_pct: Decimal::ZERO, ..Default::default() };
        assert_eq!(default_schedule(&no_warranty), vec![pct("到货验收款", 100, Trigger::OnDelivery { days: 30 })]);
        let all_ahead = CommercialTerms { prepayment_pct: Decimal::from(100), ..Default::default() };
        assert_eq!(
            default_schedule(&all_ahead),
            vec![pct("预付款", 100, Trigger::AfterSigning { days: PREPAYMENT_DAYS })]
        );
        for terms in [CommercialTerms::default(), no_warranty, all_ahead] {
            assert!(schedule_problems(&default_schedule(&terms), Money::from_fen(100)).is_empty());
        }
    }

    #[test]
    fn percents_must_add_up_to_a_hundred_and_amounts_to_the_total() {
        let total = m("100000.00");
        let short = vec![pct("预付款", 30, Trigger::OnSigning), pct("到货款", 60, Trigger::OnDelivery { days: 0 })];
        assert_eq!(messages(&schedule_problems(&short, total)), vec!["各付款节点比例合计为 90%，应为 100%"]);
        let amounts = vec![
            Installment::new("首付", Share::Amount(m("40000.00")), Trigger::OnSigning),
            Installment::new("尾款", Share::Amount(m("50000.00")), Trigger::FixedDate { date: d("2026-12-31") }),
        ];
        assert_eq!(
            messages(&schedule_problems(&amounts, total)),
            vec!["各付款节点金额合计为 ¥90,000.00，应等于合同总额 ¥100,000.00（相差 ¥10,000.00）"]
        );
        let mixed = vec![amounts[0].clone(), pct("尾款", 60, Trigger::OnSigning)];
        assert!(messages(&schedule_problems(&mixed, total)).iter().any(|m| m.contains("不能混用")));
        let bad = vec![
            Installment::new(" ", Share::Percent(Decimal::ZERO), Trigger::OnSigning),
            pct("质保金", 100, Trigger::AfterWarranty { months: 0 }),
        ];
        let m = messages(&schedule_problems(&bad, total));
        assert!(m.iter().any(|m| m.contains("第 1 个付款节点：请填写名称")), "{m:?}");
        assert!(m.iter().any(|m| m.contains("第 1 个付款节点：比例应大于 0%")), "{m:?}");
        assert!(m.iter().any(|m| m.contains("第 2 个付款节点：质保期")), "{m:?}");
        assert_eq!(messages(&schedule_problems(&[], total)), vec!["请至少填写一个付款节点"]);
    }

    #[test]
    fn amounts_add_up_to_the_total_to_the_fen() {
        let thirds: Vec<Installment> =
            (0..3).map(|_| Installment::new("期", Share::Percent(Decimal::new(3333, 2)), Trigger::OnSigning)).collect();
        // 33.33 × 3 = 99.99: refused as a schedule, but the amounts still never lose a fen.
        let total = m("100.00");
        let a = installment_amounts(&thirds, total);
        assert_eq!(a.iter().copied().sum::<Money>(), total);
        assert_eq!(a, vec![m("33.33"), m("33.33"), m("33.34")]);
        let s = default_schedule(&CommercialTerms::default());
        let a = installment_amounts(&s, m("323001.01"));
        assert_eq!(a, vec![m("96900.30"), m("193800.61"), m("32300.10")]);
        assert_eq!(a.iter().copied().sum::<Money>(), m("323001.01"));
    }

    #[test]
    fn signing_and_delivery_set_the_due_dates() {
        let signed = Some(d("2026-03-10"));
        let delivered = Some(d("2026-05-31"));
        assert_eq!(Trigger::OnSigning.due_date(signed, None), signed);
        // "7 days after signing": due on day 7 (signed + 7), overdue from day 8.
        let seven = Trigger::AfterSigning { days: 7 }.due_date(signed, None);
        assert_eq!(seven, signed.map(|d| d + chrono::Duration::days(7)));
        assert_eq!(Trigger::AfterSigning { days: 7 }.label(), "合同签订后 7 天内");
        assert_eq!(Trigger::OnSigning.due_date(None, delivered), None);
        assert_eq!(Trigger::OnDelivery { days: 30 }.due_date(signed, None), None, "not delivered yet");
        assert_eq!(Trigger::OnDelivery { days: 30 }.due_date(signed, delivered), Some(d("2026-06-30")));
        assert_eq!(Trigger::AfterWarranty { months: 12 }.due_date(signed, delivered), Some(d("2027-05-31")));
        assert_eq!(
            Trigger::AfterWarranty { months: 9 }.due_date(signed, delivered),
            Some(d("2027-02-28")),
            "month end"
        );
        let fixed = Trigger::FixedDate { date: d("2026-12-31") };
        assert_eq!(fixed.due_date(None, None), Some(d("2026-12-31")));
        assert!(Trigger::OnDelivery { days: 0 }.delivery_linked() && !fixed.delivery_linked());
        assert_eq!(Trigger::OnDelivery { days: 30 }.label(), "发货后 30 天");
    }

    #[test]
    fn signing_dates_deliveries_and_invoices_are_checked() {
        let today = d("2026-11-27");
        assert!(signing_problems(Some(today), today, d("2026-11-01")).is_empty());
        assert_eq!(messages(&signing_problems(Some(d("2026-11-28")), today, today)), vec!["签订日期不能晚于今天"]);
        // Signed before it was entered: fine; a year off is a typo.
        assert!(signing_problems(Some(d("2026-10-01")), today, d("2026-11-01")).is_empty());
        assert!(messages(&signing_problems(Some(d("2016-10-01")), today, d("2026-11-01")))[0].contains("请核对年份"));

        let left = vec![("干式变压器".to_string(), crate::domain::money::Quantity::from_units(1))];
        let too_many = DeliveryDraft {
            date: Some(today),
            lines: vec![DeliveredLine { line: 0, quantity: crate::domain::money::Quantity::from_units(2) }],
            note: String::new(),
        };
        assert_eq!(
            messages(&too_many.problems(today, Some(today), &left)),
            vec!["第 1 行（干式变压器）本次发货 2 超过未发数量 1"]
        );
        let empty = DeliveryDraft { date: Some(today), ..Default::default() };
        assert!(messages(&empty.problems(today, None, &left))[0].contains("发货说明"));
        let early = DeliveryDraft { date: Some(d("2026-01-01")), note: "整批发货".into(), ..Default::default() };
        assert!(messages(&early.problems(today, Some(d("2026-02-01")), &left))[0].contains("签订日期"));

        let total = m("1000.00");
        let inv = InvoiceDraft {
            number: "04412345".into(),
            date: Some(today),
            amount: Some(m("600.00")),
            tax: Some(m("69.03")),
        };
        assert!(inv.problems(today, total, Money::ZERO).is_empty());
        assert!(messages(&inv.problems(today, total, m("500.00")))[0].contains("累计开票"));
        let blank = InvoiceDraft::default();
        assert_eq!(blank.problems(today, total, Money::ZERO).len(), 4);
    }
}
