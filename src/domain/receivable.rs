//! Receivables (应收账款) — the duties on 收款 and 回款: receipts (回款) against a contract paid
//! off installment by installment in schedule order; what is due, paid, outstanding and overdue
//! per installment; aging by due date (账龄: 0–30, 31–90, 91–180, >180 days); cash a
//! salesperson collected in the field must be handed in (上交) to the company, and is flagged
//! after [`HAND_IN_DAYS`] days (procedure 销售员职责 (13): 在外收回的外欠款，要及时上交公司);
//! and sales targets (销售目标) per salesperson by year or month.
//!
//! Pure: every figure is a function of the schedule, the dates and `today`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::company::FieldError;
use crate::domain::contract::Part;
use crate::domain::ids::{ContractId, UserId};
use crate::domain::money::Money;

/// Days a salesperson has to hand in cash collected in the field before it is flagged.
pub const HAND_IN_DAYS: i64 = 3;

const TEXT_MAX: usize = 500;

/// How the money came (回款方式).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PaymentMethod {
    /// 银行转账
    BankTransfer,
    /// 承兑汇票
    Acceptance,
    /// 现金
    Cash,
    /// 支票
    Cheque,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 4] = [Self::BankTransfer, Self::Acceptance, Self::Cash, Self::Cheque];
    pub fn code(self) -> &'static str {
        match self {
            Self::BankTransfer => "bank",
            Self::Acceptance => "acceptance",
            Self::Cash => "cash",
            Self::Cheque => "cheque",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::BankTransfer => "银行转账",
            Self::Acceptance => "承兑汇票",
            Self::Cash => "现金",
            Self::Cheque => "支票",
        }
    }
}

/// A receipt as typed (回款登记).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReceiptDraft {
    pub date: Option<NaiveDate>,
    pub amount: Option<Money>,
    pub method: PaymentMethod,
    pub note: String,
    /// 销售员在外收取（须上交公司）
    pub collected_by_salesperson: bool,
    /// 确认超额收款: the receipt may exceed what is still owed on the contract.
    pub overpayment: bool,
}

impl Default for ReceiptDraft {
    fn default() -> Self {
        ReceiptDraft {
            date: None,
            amount: None,
            method: PaymentMethod::BankTransfer,
            note: String::new(),
            collected_by_salesperson: false,
            overpayment: false,
        }
    }
}

impl ReceiptDraft {
    /// Every problem, under its field. `owed` is what the contract still owes (total − received):
    /// a receipt never exceeds it unless flagged as an overpayment with a note saying why.
    pub fn problems(&self, today: NaiveDate, signed_on: Option<NaiveDate>, owed: Money) -> Vec<FieldError> {
        let mut out = Vec::new();
        match self.date {
            None => out.push(FieldError::new("date", "请填写回款日期")),
            Some(d) if d > today => out.push(FieldError::new("date", "回款日期不能晚于今天")),
            Some(d) if signed_on.is_some_and(|s| d < s) => out.push(FieldError::new(
                "date",
                format!("回款日期不能早于合同签订日期 {}", signed_on.map(|s| s.to_string()).unwrap_or_default()),
            )),
            Some(_) => {}
        }
        match self.amount {
            None => out.push(FieldError::new("amount", "请填写回款金额")),
            Some(a) if a <= Money::ZERO => out.push(FieldError::new("amount", "回款金额应大于 0")),
            Some(a) if a > owed && !self.overpayment => out.push(FieldError::new(
                "amount",
                format!(
                    "回款 {} 超过该合同尚欠的 {}（多 {}）。如客户确实多付，请勾选“确认超额收款”并在备注中说明",
                    a.yuan_display(),
                    owed.yuan_display(),
                    (a - owed).yuan_display()
                ),
            )),
            Some(_) => {}
        }
        if self.overpayment && self.note.trim().is_empty() {
            out.push(FieldError::new("note", "超额收款请在备注中说明原因及处理方式（退款或抵下期货款）"));
        }
        if self.method == PaymentMethod::Cash && !self.collected_by_salesperson && self.note.trim().is_empty() {
            out.push(FieldError::new("note", "现金回款请注明由谁收取；销售员在外收取的请勾选“销售员在外收取”"));
        }
        if self.note.chars().count() > TEXT_MAX {
            out.push(FieldError::new("note", format!("备注不能超过 {TEXT_MAX} 字")));
        }
        out
    }
}

/// A recorded receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub id: i64,
    pub contract: ContractId,
    pub date: NaiveDate,
    pub amount: Money,
    pub method: PaymentMethod,
    pub note: String,
    pub collected_by_salesperson: bool,
    pub overpayment: bool,
    /// The day the money reached the company (上交), for money collected in the field.
    pub handed_in_on: Option<NaiveDate>,
    pub handed_in_by: String,
    pub by: UserId,
    pub by_name: String,
    pub at: DateTime<Utc>,
    pub version: i64,
    pub updated_at: String,
    pub updated_by: String,
}

impl Receipt {
    pub fn hand_in(&self, today: NaiveDate) -> HandIn {
        hand_in_status(self.collected_by_salesperson, self.date, self.handed_in_on, today)
    }
}

/// Where money collected in the field stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HandIn {
    /// Paid to the company directly.
    NotNeeded,
    /// Not handed in yet, `days` after it was collected (within the allowed days).
    Pending { days: i64 },
    /// Not handed in `days` after it was collected: more than allowed — flagged to the head.
    Overdue { days: i64 },
    /// Reached the company on that day, `days` after collection.
    HandedIn { on: NaiveDate, days: i64 },
}

impl HandIn {
    pub fn label(&self) -> String {
        match self {
            Self::NotNeeded => "直接回款".into(),
            Self::Pending { days } => format!("待上交（已 {days} 天）"),
            Self::Overdue { days } => format!("逾期未上交 {days} 天"),
            Self::HandedIn { on, days } if *days > HAND_IN_DAYS => {
                format!("{on} 已上交（迟 {} 天）", days - HAND_IN_DAYS)
            }
            Self::HandedIn { on, .. } => format!("{on} 已上交"),
        }
    }
    pub fn waiting(&self) -> bool {
        matches!(self, Self::Pending { .. } | Self::Overdue { .. })
    }
}

pub fn hand_in_status(collected: bool, on: NaiveDate, handed_in: Option<NaiveDate>, today: NaiveDate) -> HandIn {
    if !collected {
        return HandIn::NotNeeded;
    }
    match handed_in {
        Some(h) => HandIn::HandedIn { on: h, days: (h - on).num_days() },
        None => {
            let days = (today - on).num_days();
            if days > HAND_IN_DAYS { HandIn::Overdue { days } } else { HandIn::Pending { days } }
        }
    }
}

/// The hand-in form: not before the money was collected, not in the future.
pub fn hand_in_problems(date: Option<NaiveDate>, collected: NaiveDate, today: NaiveDate) -> Vec<FieldError> {
    match date {
        None => vec![FieldError::new("handed_in_on", "请填写上交日期")],
        Some(d) if d > today => vec![FieldError::new("handed_in_on", "上交日期不能晚于今天")],
        Some(d) if d < collected => {
            vec![FieldError::new("handed_in_on", format!("上交日期不能早于收款日期 {collected}"))]
        }
        Some(_) => Vec::new(),
    }
}

/// Aging buckets by days past the due date (账龄).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AgingBucket {
    /// 未到期 (or no due date yet: not signed, not delivered)
    NotDue,
    /// 0–30 天
    Days0To30,
    /// 31–90 天
    Days31To90,
    /// 91–180 天
    Days91To180,
    /// 180 天以上
    Over180,
}

impl AgingBucket {
    pub const ALL: [AgingBucket; 5] =
        [Self::NotDue, Self::Days0To30, Self::Days31To90, Self::Days91To180, Self::Over180];
    /// The buckets of money already due.
    pub const DUE: [AgingBucket; 4] = [Self::Days0To30, Self::Days31To90, Self::Days91To180, Self::Over180];

    pub fn label(self) -> &'static str {
        match self {
            Self::NotDue => "未到期",
            Self::Days0To30 => "0–30 天",
            Self::Days31To90 => "31–90 天",
            Self::Days91To180 => "91–180 天",
            Self::Over180 => "180 天以上",
        }
    }

    /// The bucket of an amount due on `due` (None: not known yet) seen on `today`.
    pub fn of(due: Option<NaiveDate>, today: NaiveDate) -> AgingBucket {
        let Some(due) = due.filter(|d| *d <= today) else { return Self::NotDue };
        match (today - due).num_days() {
            0..=30 => Self::Days0To30,
            31..=90 => Self::Days31To90,
            91..=180 => Self::Days91To180,
            _ => Self::Over180,
        }
    }
}

/// One installment as it stands (付款节点执行情况).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstallmentStatus {
    /// Which installment of the schedule this is (a pro-rata installment is one status per shipment).
    #[serde(default)]
    pub installment: usize,
    pub label: String,
    pub trigger: String,
    pub amount: Money,
    /// None until the event that sets it (signing, delivery) happened.
    pub due: Option<NaiveDate>,
    pub paid: Money,
    pub outstanding: Money,
    /// Days past due with money outstanding (0 when not overdue).
    pub days_overdue: i64,
}

impl InstallmentStatus {
    pub fn overdue(&self) -> bool {
        self.days_overdue > 0
    }
    pub fn bucket(&self, today: NaiveDate) -> AgingBucket {
        if self.outstanding.is_zero() { AgingBucket::NotDue } else { AgingBucket::of(self.due, today) }
    }
    /// Due by today (the 应收 of the 回款率).
    pub fn is_due(&self, today: NaiveDate) -> bool {
        self.due.is_some_and(|d| d <= today)
    }
}

/// Pays the installments' due parts off in schedule order with everything received (an
/// overpayment is what is left once all are paid).
pub fn allocate(parts: &[Part], received: Money, today: NaiveDate) -> (Vec<InstallmentStatus>, Money) {
    let mut left = received;
    let mut out = Vec::with_capacity(parts.len());
    for p in parts {
        let amount = p.amount;
        let paid = left.min(amount).max(Money::ZERO);
        left -= paid;
        let outstanding = amount - paid;
        let due = p.due;
        let days_overdue = match due {
            Some(d) if d < today && !outstanding.is_zero() => (today - d).num_days(),
            _ => 0,
        };
        out.push(InstallmentStatus {
            installment: p.installment,
            label: p.label.clone(),
            trigger: p.condition.clone(),
            amount,
            due,
            paid,
            outstanding,
            days_overdue,
        });
    }
    (out, left.max(Money::ZERO))
}

/// Outstanding money per aging bucket, in [`AgingBucket::ALL`] order.
pub fn aging<'a>(installments: impl IntoIterator<Item = &'a InstallmentStatus>, today: NaiveDate) -> [Money; 5] {
    let mut out = [Money::ZERO; 5];
    for i in installments {
        if !i.outstanding.is_zero() {
            let b = i.bucket(today);
            out[AgingBucket::ALL.iter().position(|x| *x == b).unwrap_or(0)] += i.outstanding;
        }
    }
    out
}

/// A target as set by the head (销售目标): contract value and collection for a year or a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetDraft {
    pub salesperson: UserId,
    pub year: i32,
    /// None: the whole year.
    pub month: Option<u32>,
    /// 合同额目标
    pub sales: Money,
    /// 回款目标
    pub collection: Money,
}

impl TargetDraft {
    pub fn problems(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        if !(2000..=2100).contains(&self.year) {
            out.push(FieldError::new("year", "年份应在 2000 到 2100 之间"));
        }
        if self.month.is_some_and(|m| !(1..=12).contains(&m)) {
            out.push(FieldError::new("month", "月份应在 1 到 12 之间"));
        }
        if self.sales.is_negative() {
            out.push(FieldError::new("sales", "合同额目标不能为负"));
        }
        if self.collection.is_negative() {
            out.push(FieldError::new("collection", "回款目标不能为负"));
        }
        out
    }

    /// `2026 年` or `2026 年 3 月`
    pub fn period(&self) -> String {
        match self.month {
            Some(m) => format!("{} 年 {m} 月", self.year),
            None => format!("{} 年", self.year),
        }
    }
}

/// A stored target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub draft: TargetDraft,
    pub salesperson_name: String,
    pub version: i64,
    pub updated_at: String,
    pub updated_by: String,
}

/// The target for `month` of a salesperson: the monthly one if set, else a twelfth of the yearly
/// one (rounded to 分; December takes the remainder so the year adds up).
pub fn month_target(targets: &[Target], year: i32, month: u32, pick: impl Fn(&TargetDraft) -> Money) -> Money {
    if let Some(t) = targets.iter().find(|t| t.draft.year == year && t.draft.month == Some(month)) {
        return pick(&t.draft);
    }
    let Some(y) = targets.iter().find(|t| t.draft.year == year && t.draft.month.is_none()) else {
        return Money::ZERO;
    };
    let yearly = pick(&y.draft);
    let twelfth = Money::from_decimal(yearly.as_decimal() / rust_decimal::Decimal::from(12));
    if month == 12 {
        yearly - Money::from_decimal(twelfth.as_decimal() * rust_decimal::Decimal::from(11))
    } else {
        twelfth
    }
}

/// Collected ÷ due in percent, one decimal (None when nothing was due).
pub fn collection_rate(collected: Money, due: Money) -> Option<rust_decimal::Decimal> {
    if due <= Money::ZERO {
        return None;
    }
    let pct = collected.as_decimal() * rust_decimal::Decimal::from(100) / due.as_decimal();
    Some(pct.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn y(n: i64) -> Money {
        Money::from_fen(n * 100)
    }

    fn parts(amounts: &[Money], due: &[Option<NaiveDate>]) -> Vec<Part> {
        amounts
            .iter()
            .zip(due)
            .enumerate()
            .map(|(i, (amount, due))| Part {
                installment: i,
                label: format!("第{i}期"),
                condition: String::new(),
                amount: *amount,
                due: *due,
            })
            .collect()
    }

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    /// Random schedules, totals, due dates and receipts: the installments always add up to the
    /// total to the fen, and paying them off never creates or loses money.
    #[test]
    fn money_is_conserved_for_random_schedules_and_receipts() {
        use crate::domain::contract::{Installment, Share, Trigger, installment_amounts, schedule_problems};
        use rand::rngs::StdRng;
        use rand::{Rng, SeedableRng};
        let mut rng = StdRng::seed_from_u64(0x2026_0009);
        let today = d("2026-11-27");
        for _ in 0..3_000 {
            let total = Money::from_fen(rng.gen_range(1..5_000_000_000));
            let n = rng.gen_range(1..=5);
            // Percent shares in 0.01 % steps adding up to 100 %.
            let mut cuts: Vec<i64> = (0..n - 1).map(|_| rng.gen_range(1..10_000)).collect();
            cuts.sort();
            cuts.dedup();
            let mut bounds = vec![0];
            bounds.extend(cuts);
            bounds.push(10_000);
            let schedule: Vec<Installment> = bounds
                .windows(2)
                .map(|w| {
                    Installment::new(
                        "期",
                        Share::Percent(rust_decimal::Decimal::new(w[1] - w[0], 2)),
                        Trigger::OnSigning,
                    )
                })
                .collect();
            assert!(schedule_problems(&schedule, total).is_empty(), "{schedule:?}");
            let amounts = installment_amounts(&schedule, total);
            assert_eq!(amounts.iter().copied().sum::<Money>(), total);
            assert!(amounts.iter().all(|a| !a.is_negative()));
            let due: Vec<Option<NaiveDate>> = amounts
                .iter()
                .map(|_| rng.gen_bool(0.8).then(|| today - chrono::Duration::days(rng.gen_range(-100..400))))
                .collect();
            let received = Money::from_fen(rng.gen_range(0..(total.fen().unwrap_or(0) * 6 / 5 + 1)));
            let (s, over) = allocate(&parts(&amounts, &due), received, today);
            let paid: Money = s.iter().map(|i| i.paid).sum();
            assert_eq!(paid + over, received, "nothing created or lost");
            assert!(over.is_zero() || paid == total, "overpaid only once everything is paid");
            for i in &s {
                assert_eq!(i.paid + i.outstanding, i.amount);
                assert!(!i.paid.is_negative() && !i.outstanding.is_negative());
                assert_eq!(i.overdue(), i.due.is_some_and(|d| d < today) && !i.outstanding.is_zero());
            }
            let aged: Money = aging(&s, today).iter().copied().sum();
            assert_eq!(aged, total - paid, "every outstanding fen is in exactly one bucket");
        }
    }

    #[test]
    fn receipts_pay_installments_off_in_order() {
        let today = d("2026-11-27");
        let amounts = [y(30_000), y(60_000), y(10_000)];
        let due = [Some(d("2026-03-01")), Some(d("2026-10-01")), None];
        let (s, over) = allocate(&parts(&amounts, &due), y(50_000), today);
        assert_eq!(over, Money::ZERO);
        assert_eq!(s.iter().map(|i| i.paid).collect::<Vec<_>>(), vec![y(30_000), y(20_000), Money::ZERO]);
        assert_eq!(s.iter().map(|i| i.outstanding).collect::<Vec<_>>(), vec![Money::ZERO, y(40_000), y(10_000)]);
        assert_eq!(
            s.iter().map(|i| i.days_overdue).collect::<Vec<_>>(),
            vec![0, 57, 0],
            "paid or not due is not overdue"
        );
        let (_, over) = allocate(&parts(&amounts, &due), y(100_500), today);
        assert_eq!(over, y(500));
    }

    #[test]
    fn aging_uses_due_dates_not_contract_dates() {
        let today = d("2026-11-27");
        assert_eq!(AgingBucket::of(None, today), AgingBucket::NotDue);
        assert_eq!(AgingBucket::of(Some(d("2026-11-28")), today), AgingBucket::NotDue);
        assert_eq!(AgingBucket::of(Some(today), today), AgingBucket::Days0To30);
        assert_eq!(AgingBucket::of(Some(d("2026-10-28")), today), AgingBucket::Days0To30, "30 days");
        assert_eq!(AgingBucket::of(Some(d("2026-10-27")), today), AgingBucket::Days31To90, "31 days");
        assert_eq!(AgingBucket::of(Some(d("2026-08-29")), today), AgingBucket::Days31To90, "90 days");
        assert_eq!(AgingBucket::of(Some(d("2026-08-28")), today), AgingBucket::Days91To180);
        assert_eq!(AgingBucket::of(Some(d("2026-05-31")), today), AgingBucket::Days91To180, "180 days");
        assert_eq!(AgingBucket::of(Some(d("2026-05-30")), today), AgingBucket::Over180);
        let amounts = [y(30_000), y(60_000), y(10_000)];
        let due = [Some(d("2026-01-05")), Some(d("2026-10-01")), None];
        let (s, _) = allocate(&parts(&amounts, &due), y(10_000), today);
        assert_eq!(aging(&s, today), [y(10_000), Money::ZERO, y(60_000), Money::ZERO, y(20_000)]);
    }

    #[test]
    fn receipts_never_exceed_what_is_owed_without_the_flag() {
        let today = d("2026-11-27");
        let r = ReceiptDraft { date: Some(today), amount: Some(y(12_000)), ..Default::default() };
        assert!(r.problems(today, Some(d("2026-11-01")), y(12_000)).is_empty());
        let p = r.problems(today, Some(d("2026-11-01")), y(10_000));
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].field, "amount");
        assert!(p[0].message.contains("超过该合同尚欠的 ¥10,000.00（多 ¥2,000.00）"), "{}", p[0].message);
        let flagged = ReceiptDraft { overpayment: true, ..r.clone() };
        assert_eq!(flagged.problems(today, None, y(10_000))[0].field, "note", "the flag needs a reason");
        let explained = ReceiptDraft { note: "客户多付，抵下批货款".into(), ..flagged };
        assert!(explained.problems(today, None, y(10_000)).is_empty());
        let future = ReceiptDraft { date: Some(d("2026-11-28")), ..r.clone() };
        assert_eq!(future.problems(today, None, y(20_000))[0].field, "date");
        let zero = ReceiptDraft { amount: Some(Money::ZERO), ..r };
        assert_eq!(zero.problems(today, None, y(20_000))[0].message, "回款金额应大于 0");
    }

    #[test]
    fn cash_collected_in_the_field_is_flagged_after_three_days() {
        let on = d("2026-11-20");
        assert_eq!(hand_in_status(false, on, None, d("2026-12-31")), HandIn::NotNeeded);
        assert_eq!(hand_in_status(true, on, None, d("2026-11-23")), HandIn::Pending { days: 3 });
        assert_eq!(hand_in_status(true, on, None, d("2026-11-24")), HandIn::Overdue { days: 4 });
        let late = hand_in_status(true, on, Some(d("2026-11-26")), d("2026-11-27"));
        assert_eq!(late, HandIn::HandedIn { on: d("2026-11-26"), days: 6 });
        assert_eq!(late.label(), "2026-11-26 已上交（迟 3 天）");
        assert!(!late.waiting() && HandIn::Overdue { days: 4 }.waiting());
        assert_eq!(hand_in_problems(Some(d("2026-11-19")), on, d("2026-11-27"))[0].field, "handed_in_on");
        assert!(hand_in_problems(Some(on), on, d("2026-11-27")).is_empty());
    }

    #[test]
    fn monthly_targets_fall_back_to_a_twelfth_of_the_year() {
        let t = |month, sales| Target {
            draft: TargetDraft { salesperson: UserId(1), year: 2026, month, sales, collection: Money::ZERO },
            salesperson_name: "李强".into(),
            version: 1,
            updated_at: String::new(),
            updated_by: String::new(),
        };
        let targets = vec![t(None, m("1000000.01")), t(Some(3), y(200_000))];
        let sales = |d: &TargetDraft| d.sales;
        assert_eq!(month_target(&targets, 2026, 3, sales), y(200_000));
        assert_eq!(month_target(&targets, 2026, 1, sales), m("83333.33"));
        let year: Money =
            (1..=12).map(|mo| if mo == 3 { m("83333.33") } else { month_target(&targets, 2026, mo, sales) }).sum();
        assert_eq!(year, m("1000000.01"), "the twelfths add up to the year");
        assert_eq!(month_target(&targets, 2025, 1, sales), Money::ZERO);
        assert_eq!(collection_rate(y(80), y(120)).map(|r| r.to_string()), Some("66.7".into()));
        assert_eq!(collection_rate(y(80), Money::ZERO), None);
        let bad = TargetDraft { salesperson: UserId(1), year: 1999, month: Some(13), sales: y(-1), collection: y(1) };
        assert_eq!(bad.problems().len(), 3);
    }
}
