//! The approval policy (审批规则) and the standard commercial terms (标准商务条款), DESIGN §3.
//! `ApprovalPolicy` answers "is this major, and why?"; the reasons are shown to approvers verbatim.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::domain::money::Money;

/// Structured commercial terms of a quote, bid or contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CommercialTerms {
    /// 报价有效期（天）
    pub validity_days: u32,
    /// 交货期（天）
    pub delivery_days: u32,
    /// 预付款比例（%）
    pub prepayment_pct: Decimal,
    /// 付款方式
    pub payment_schedule: String,
    /// 质保期（月）
    pub warranty_months: u32,
    /// 交货地点 (from the customer's address when the quote is made; editable). Kept out of the
    /// content's JSON while empty, so revisions made before it keep their content hashes.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub delivery_place: String,
    /// 其他条款
    pub other: String,
}

impl Default for CommercialTerms {
    fn default() -> Self {
        CommercialTerms {
            validity_days: 30,
            delivery_days: 30,
            prepayment_pct: Decimal::from(30),
            payment_schedule: "合同签订后预付30%，货到验收合格后付60%，质保金10%于质保期满后付清".into(),
            warranty_months: 12,
            delivery_place: String::new(),
            // The VAT is stated from the lines' rates; the place has its own term.
            other: "价格含运费及包装费。".into(),
        }
    }
}

impl CommercialTerms {
    /// Checks a set of terms as an admin would enter them; returns every problem found.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.validity_days == 0 || self.validity_days > 365 {
            out.push("报价有效期应在1到365天之间".to_string());
        }
        if self.delivery_days > 730 {
            out.push("交货期不应超过730天".to_string());
        }
        if self.prepayment_pct < Decimal::ZERO || self.prepayment_pct > Decimal::from(100) {
            out.push("预付款比例应在0%到100%之间".to_string());
        }
        if self.warranty_months > 120 {
            out.push("质保期不应超过120个月".to_string());
        }
        out
    }
}

/// Thresholds that make an item major (重大) and so need company leadership's approval too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApprovalPolicy {
    /// 重大金额门槛 (inquiry estimate, revision total, contract amount)
    pub major_threshold: Money,
    /// How many percentage points the prepayment may fall below the standard before it is major.
    pub prepayment_tolerance_pct: Decimal,
    /// How many days the delivery may exceed the standard before it is major.
    pub delivery_tolerance_days: u32,
    /// How many months the warranty may fall short of the standard before it is major.
    pub warranty_tolerance_months: u32,
    /// A change after issue that moves any unit price by more than this (%) is major.
    pub price_move_pct: Decimal,
    /// A tender bond still unpaid this many days or fewer before the deadline warns at a bid's
    /// submit and stops its 用印发出 (unless the head lets it go, with a reason).
    pub bond_warning_days: u32,
}

impl Default for ApprovalPolicy {
    fn default() -> Self {
        ApprovalPolicy {
            major_threshold: Money::from_fen(50_000_000),
            prepayment_tolerance_pct: Decimal::ZERO,
            delivery_tolerance_days: 0,
            warranty_tolerance_months: 0,
            price_move_pct: Decimal::from(5),
            bond_warning_days: 7,
        }
    }
}

/// Why something is major. Displayed to the approver as one short phrase each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MajorReason {
    /// 已标记为重大
    Flagged,
    /// amount ≥ threshold
    AmountAtLeast {
        amount: Money,
        threshold: Money,
    },
    /// n lines below their floor price
    BelowFloor {
        lines: usize,
    },
    PrepaymentBelow {
        actual: Decimal,
        standard: Decimal,
    },
    DeliveryAbove {
        actual: u32,
        standard: u32,
    },
    WarrantyBelow {
        actual: u32,
        standard: u32,
    },
    /// 所属招标为重大
    MajorTender,
    /// a unit price moved by more than the allowed percentage
    PriceMoved {
        max_pct: Decimal,
        limit: Decimal,
    },
}

impl fmt::Display for MajorReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Flagged => write!(f, "已标记为重大"),
            Self::AmountAtLeast { threshold, .. } => {
                write!(f, "总价 ≥ {}", threshold.yuan_display())
            }
            Self::BelowFloor { lines } => write!(f, "{lines} 行低于最低限价"),
            Self::PrepaymentBelow { actual, standard } => {
                write!(f, "预付款 {}% < {}%", actual.normalize(), standard.normalize())
            }
            Self::DeliveryAbove { actual, standard } => {
                write!(f, "交货期 {actual} 天 > {standard} 天")
            }
            Self::WarrantyBelow { actual, standard } => {
                write!(f, "质保期 {actual} 个月 < {standard} 个月")
            }
            Self::MajorTender => write!(f, "所属招标为重大项目"),
            Self::PriceMoved { max_pct, limit } => {
                write!(f, "单价变动 {}% > {}%", max_pct.normalize(), limit.normalize())
            }
        }
    }
}

/// The facts about a revision that decide whether it is major.
#[derive(Debug, Clone)]
pub struct RevisionFacts<'a> {
    pub total: Money,
    pub lines_below_floor: usize,
    pub terms: &'a CommercialTerms,
    pub tender_is_major: bool,
}

impl ApprovalPolicy {
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.major_threshold <= Money::ZERO {
            out.push("重大金额门槛应大于0".to_string());
        }
        if self.prepayment_tolerance_pct < Decimal::ZERO || self.prepayment_tolerance_pct > Decimal::from(100) {
            out.push("预付款容差应在0到100个百分点之间".to_string());
        }
        if self.price_move_pct <= Decimal::ZERO || self.price_move_pct > Decimal::from(100) {
            out.push("单价变动阈值应在0%到100%之间（不含0）".to_string());
        }
        if self.bond_warning_days > 90 {
            out.push("保证金提醒天数应在0到90天之间".to_string());
        }
        out
    }

    fn amount_reason(&self, amount: Money) -> Option<MajorReason> {
        (amount >= self.major_threshold)
            .then_some(MajorReason::AmountAtLeast { amount, threshold: self.major_threshold })
    }

    /// An inquiry or tender: flagged major, or estimated amount ≥ the threshold.
    pub fn inquiry_reasons(&self, flagged: bool, estimate: Option<Money>) -> Vec<MajorReason> {
        let mut out = Vec::new();
        if flagged {
            out.push(MajorReason::Flagged);
        }
        out.extend(estimate.and_then(|a| self.amount_reason(a)));
        out
    }

    /// A revision: total, floor prices, commercial terms outside tolerance, or a major tender.
    pub fn revision_reasons(&self, facts: &RevisionFacts<'_>, standard: &CommercialTerms) -> Vec<MajorReason> {
        let mut out: Vec<MajorReason> = self.amount_reason(facts.total).into_iter().collect();
        if facts.lines_below_floor > 0 {
            out.push(MajorReason::BelowFloor { lines: facts.lines_below_floor });
        }
        let t = facts.terms;
        if t.prepayment_pct < standard.prepayment_pct - self.prepayment_tolerance_pct {
            out.push(MajorReason::PrepaymentBelow { actual: t.prepayment_pct, standard: standard.prepayment_pct });
        }
        if t.delivery_days > standard.delivery_days + self.delivery_tolerance_days {
            out.push(MajorReason::DeliveryAbove { actual: t.delivery_days, standard: standard.delivery_days });
        }
        if t.warranty_months + self.warranty_tolerance_months < standard.warranty_months {
            out.push(MajorReason::WarrantyBelow { actual: t.warranty_months, standard: standard.warranty_months });
        }
        if facts.tender_is_major {
            out.push(MajorReason::MajorTender);
        }
        out
    }

    /// A change set after issue: the new revision's own reasons, plus any unit price moved too far.
    /// `max_price_move_pct` is the largest absolute unit-price move in percent.
    pub fn change_reasons(&self, revision_reasons: Vec<MajorReason>, max_price_move_pct: Decimal) -> Vec<MajorReason> {
        let mut out = revision_reasons;
        if max_price_move_pct > self.price_move_pct {
            out.push(MajorReason::PriceMoved { max_pct: max_price_move_pct, limit: self.price_move_pct });
        }
        out
    }

    /// A contract: amount ≥ threshold.
    pub fn contract_reasons(&self, amount: Money) -> Vec<MajorReason> {
        self.amount_reason(amount).into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(total_yuan: i64, below: usize, terms: &CommercialTerms) -> RevisionFacts<'_> {
        RevisionFacts {
            total: Money::from_fen(total_yuan * 100),
            lines_below_floor: below,
            terms,
            tender_is_major: false,
        }
    }

    #[test]
    fn a_small_revision_on_standard_terms_is_not_major() {
        let p = ApprovalPolicy::default();
        let std = CommercialTerms::default();
        assert!(p.revision_reasons(&facts(499_999, 0, &std), &std).is_empty());
    }

    #[test]
    fn a_total_at_the_threshold_is_major() {
        let p = ApprovalPolicy::default();
        let std = CommercialTerms::default();
        let r = p.revision_reasons(&facts(500_000, 0, &std), &std);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].to_string(), "总价 ≥ ¥500,000.00");
    }

    #[test]
    fn submitting_below_floor_price_is_major() {
        let p = ApprovalPolicy::default();
        let std = CommercialTerms::default();
        let r = p.revision_reasons(&facts(1_000, 2, &std), &std);
        assert_eq!(r, vec![MajorReason::BelowFloor { lines: 2 }]);
        assert_eq!(r[0].to_string(), "2 行低于最低限价");
    }

    #[test]
    fn terms_outside_tolerance_are_major_and_named() {
        let p = ApprovalPolicy::default();
        let std = CommercialTerms::default();
        let terms = CommercialTerms {
            prepayment_pct: Decimal::from(20),
            delivery_days: 45,
            warranty_months: 6,
            ..CommercialTerms::default()
        };
        let texts: Vec<String> =
            p.revision_reasons(&facts(1_000, 0, &terms), &std).iter().map(|r| r.to_string()).collect();
        assert_eq!(texts, vec!["预付款 20% < 30%", "交货期 45 天 > 30 天", "质保期 6 个月 < 12 个月"]);
    }

    #[test]
    fn tolerances_widen_what_is_acceptable() {
        let p = ApprovalPolicy {
            prepayment_tolerance_pct: Decimal::from(10),
            delivery_tolerance_days: 15,
            warranty_tolerance_months: 6,
            ..ApprovalPolicy::default()
        };
        let std = CommercialTerms::default();
        let terms = CommercialTerms {
            prepayment_pct: Decimal::from(20),
            delivery_days: 45,
            warranty_months: 6,
            ..CommercialTerms::default()
        };
        assert!(p.revision_reasons(&facts(1_000, 0, &terms), &std).is_empty());
    }

    #[test]
    fn inquiries_are_major_when_flagged_or_large() {
        let p = ApprovalPolicy::default();
        assert!(p.inquiry_reasons(false, None).is_empty());
        assert_eq!(p.inquiry_reasons(true, None), vec![MajorReason::Flagged]);
        assert_eq!(p.inquiry_reasons(false, Some(Money::from_fen(60_000_000))).len(), 1);
    }

    #[test]
    fn a_price_move_over_five_percent_makes_a_change_major() {
        let p = ApprovalPolicy::default();
        assert!(p.change_reasons(vec![], Decimal::from(5)).is_empty());
        let r = p.change_reasons(vec![], Decimal::new(51, 1));
        assert_eq!(r[0].to_string(), "单价变动 5.1% > 5%");
    }

    #[test]
    fn defaults_are_valid() {
        assert!(ApprovalPolicy::default().problems().is_empty());
        assert!(CommercialTerms::default().problems().is_empty());
        let bad = CommercialTerms { validity_days: 0, prepayment_pct: Decimal::from(120), ..Default::default() };
        assert_eq!(bad.problems().len(), 2);
    }
}
