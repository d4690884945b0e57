//! After issue (procedure (3) A–B): the negotiation rounds a salesperson logs (谈判记录), the
//! outcome of a quote or bid — won (中标/成交), lost (未成交) with the reason, the competitor and
//! its price, or expired at the end of its validity — and the validity rule itself.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::company::FieldError;
use crate::domain::ids::{QuoteId, UserId};
use crate::domain::money::Money;

const TEXT_MAX: usize = 2_000;

/// One round as typed (the log form).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RoundDraft {
    /// 谈判日期
    pub date: Option<NaiveDate>,
    /// 客户方参与人 (who, on the customer's side)
    pub customer_side: String,
    /// 客户提出的要求
    pub asked: String,
    /// 我方答复/让步
    pub offered: String,
}

impl RoundDraft {
    /// Every problem, under its field. A round happens after the document went out and not in
    /// the future.
    pub fn problems(&self, today: NaiveDate, issued_on: Option<NaiveDate>) -> Vec<FieldError> {
        let mut out = Vec::new();
        match self.date {
            None => out.push(FieldError::new("date", "请填写谈判日期")),
            Some(d) if d > today => out.push(FieldError::new("date", "谈判日期不能晚于今天")),
            Some(d) if issued_on.is_some_and(|i| d < i) => out.push(FieldError::new(
                "date",
                format!("谈判日期不能早于报价发出日期 {}", issued_on.map(|i| i.to_string()).unwrap_or_default()),
            )),
            Some(_) => {}
        }
        for (field, value, empty) in [
            ("customer_side", &self.customer_side, "请填写客户方参与人（姓名、职务）"),
            ("asked", &self.asked, "请填写客户提出的要求"),
            ("offered", &self.offered, "请填写我方的答复或让步（未让步也请写明）"),
        ] {
            if value.trim().is_empty() {
                out.push(FieldError::new(field, empty));
            } else if value.chars().count() > TEXT_MAX {
                out.push(FieldError::new(field, format!("不能超过 {TEXT_MAX} 字")));
            }
        }
        out
    }
}

/// A logged round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NegotiationRound {
    pub id: i64,
    pub quote: QuoteId,
    /// 第 n 轮 (1 = the first)
    pub round: u32,
    pub date: NaiveDate,
    pub customer_side: String,
    pub asked: String,
    pub offered: String,
    pub by: UserId,
    pub by_name: String,
    pub at: DateTime<Utc>,
}

/// How a quote or bid ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OutcomeKind {
    Won,
    Lost,
    Expired,
}

impl OutcomeKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Won => "won",
            Self::Lost => "lost",
            Self::Expired => "expired",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        [Self::Won, Self::Lost, Self::Expired].into_iter().find(|k| k.code() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Won => "中标/成交",
            Self::Lost => "未成交",
            Self::Expired => "已过期",
        }
    }
}

/// The outcome as typed (won or lost; expiry is never typed).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OutcomeDraft {
    pub won: bool,
    /// 中标通知/成交日期, or the day the customer said no
    pub date: Option<NaiveDate>,
    /// Why: 价格优势, 技术方案被认可 … (required when lost)
    pub reason: String,
    /// 竞争对手
    pub competitor: String,
    /// 竞争对手报价 (含税)
    pub competitor_price: Option<Money>,
}

impl OutcomeDraft {
    pub fn problems(&self, today: NaiveDate, issued_on: Option<NaiveDate>) -> Vec<FieldError> {
        let mut out = Vec::new();
        match self.date {
            None => out.push(FieldError::new("date", "请填写日期")),
            Some(d) if d > today => out.push(FieldError::new("date", "日期不能晚于今天")),
            Some(d) if issued_on.is_some_and(|i| d < i) => {
                out.push(FieldError::new("date", "日期不能早于报价发出日期"));
            }
            Some(_) => {}
        }
        if !self.won && self.reason.trim().is_empty() {
            out.push(FieldError::new("reason", "请写明未成交的原因（如：价格高于竞争对手、交货期不满足）"));
        }
        if self.reason.chars().count() > TEXT_MAX {
            out.push(FieldError::new("reason", format!("不能超过 {TEXT_MAX} 字")));
        }
        if self.competitor.chars().count() > 200 {
            out.push(FieldError::new("competitor", "竞争对手名称过长"));
        }
        if let Some(p) = self.competitor_price {
            if p <= Money::ZERO {
                out.push(FieldError::new("competitor_price", "竞争对手报价应大于0"));
            }
            if self.competitor.trim().is_empty() {
                out.push(FieldError::new("competitor", "填写了竞争对手报价，请同时填写竞争对手"));
            }
        }
        out
    }
}

/// A recorded outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealOutcome {
    pub quote: QuoteId,
    pub kind: OutcomeKind,
    pub date: NaiveDate,
    /// The revision the customer last received (the last issued one).
    pub revision: u32,
    pub reason: String,
    pub competitor: String,
    pub competitor_price: Option<Money>,
    /// None when the system recorded it (expiry).
    pub by: Option<UserId>,
    pub by_name: String,
    pub at: DateTime<Utc>,
}

/// The last day a document issued on `issued_on` with `validity_days` is valid: 有效期 30 天 from
/// 11-27 runs to 12-27 inclusive.
pub fn valid_until(issued_on: NaiveDate, validity_days: u32) -> NaiveDate {
    issued_on + Duration::days(i64::from(validity_days))
}

/// Whether a document valid until `until` has expired on `today`.
pub fn is_expired(until: NaiveDate, today: NaiveDate) -> bool {
    today > until
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn validity_runs_to_the_last_day_inclusive() {
        let until = valid_until(d("2026-11-27"), 30);
        assert_eq!(until, d("2026-12-27"));
        assert!(!is_expired(until, d("2026-12-27")));
        assert!(is_expired(until, d("2026-12-28")));
    }

    #[test]
    fn a_round_needs_a_date_in_range_and_every_text() {
        let today = d("2026-11-27");
        let empty = RoundDraft::default();
        let fields: Vec<String> = empty.problems(today, None).iter().map(|e| e.field.to_string()).collect();
        assert_eq!(fields, ["date", "customer_side", "asked", "offered"]);
        let ok = RoundDraft {
            date: Some(today),
            customer_side: "张伟（设备部经理）".into(),
            asked: "单价再降3%".into(),
            offered: "降2%，预付款提高到40%".into(),
        };
        assert!(ok.problems(today, Some(today)).is_empty());
        let early = RoundDraft { date: Some(d("2026-11-20")), ..ok.clone() };
        assert_eq!(early.problems(today, Some(d("2026-11-21")))[0].field, "date");
        let late = RoundDraft { date: Some(d("2026-11-28")), ..ok };
        assert_eq!(late.problems(today, None)[0].message, "谈判日期不能晚于今天");
    }

    #[test]
    fn a_loss_needs_a_reason_and_a_competitor_price_needs_the_competitor() {
        let today = d("2026-11-27");
        let lost = OutcomeDraft { won: false, date: Some(today), ..Default::default() };
        assert_eq!(lost.problems(today, None)[0].field, "reason");
        let won = OutcomeDraft { won: true, date: Some(today), ..Default::default() };
        assert!(won.problems(today, None).is_empty());
        let priced = OutcomeDraft { competitor_price: Some(Money::from_fen(100)), ..won.clone() };
        assert_eq!(priced.problems(today, None)[0].field, "competitor");
        let zero = OutcomeDraft { competitor: "正泰".into(), competitor_price: Some(Money::ZERO), ..won };
        assert_eq!(zero.problems(today, None)[0].field, "competitor_price");
    }
}
