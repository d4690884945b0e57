//! The 业绩库 (supply references): signed contracts the head lists as references, printed in a
//! bid's 业绩表 and counted against a tender's "近N年同类业绩不少于M项". Each entry is a copy of what
//! the 业绩表 prints — customer, project, main products, amount, signing date, the customer's
//! contact — taken from the contract when it is listed and edited by the head, so every bid author
//! can read the list without reading the contracts behind it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::company::FieldError;
use crate::domain::ids::{ContractId, ReferenceId};
use crate::domain::money::Money;

/// What the 业绩表 prints for one reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ReferenceDraft {
    /// 用户名称 (the customer)
    pub customer_name: String,
    /// 项目名称
    pub project: String,
    /// 主要供货内容, e.g. "10kV开关柜 24面、干式变压器 2台"
    pub products: String,
    /// 产品类别 (the price table's category of the main line), for filtering
    pub category: String,
    /// 合同金额
    pub amount: Money,
    /// 签订日期
    pub signed_on: Option<NaiveDate>,
    /// 用户联系人及电话
    pub contact: String,
}

impl ReferenceDraft {
    /// Trims the text and returns one message per bad field.
    pub fn validate(&mut self) -> Vec<FieldError> {
        for s in [&mut self.customer_name, &mut self.project, &mut self.products, &mut self.category, &mut self.contact]
        {
            *s = s.trim().to_string();
        }
        let mut out = Vec::new();
        if self.customer_name.is_empty() {
            out.push(FieldError::new("customer_name", "请填写用户名称"));
        }
        if self.project.is_empty() {
            out.push(FieldError::new("project", "请填写项目名称"));
        }
        if self.products.is_empty() {
            out.push(FieldError::new("products", "请填写主要供货内容"));
        }
        if self.amount <= Money::ZERO {
            out.push(FieldError::new("amount", "合同金额应大于 0"));
        }
        if self.signed_on.is_none() {
            out.push(FieldError::new("signed_on", "请填写合同签订日期"));
        }
        out
    }
}

/// One entry of the 业绩库.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    pub id: ReferenceId,
    /// The signed contract it was taken from.
    pub contract: ContractId,
    pub contract_number: String,
    pub draft: ReferenceDraft,
    /// Withdrawn entries stay (bids that printed them keep them) but are not offered again.
    pub active: bool,
    pub version: i64,
    pub updated_at: String,
    pub updated_by: String,
}

impl Reference {
    /// Signed within the last `years` years before `today` (inclusive).
    pub fn within_years(&self, years: u32, today: NaiveDate) -> bool {
        let Some(signed) = self.draft.signed_on else { return false };
        crate::domain::clause::references_within(&[signed], years, today) == 1
    }
}

/// What the builder's reference picker filters by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferenceFilter {
    /// A category (empty: every category).
    pub category: String,
    /// Signed within the last N years (`None`: any time).
    pub years: Option<u32>,
    /// Text in the customer, project or products.
    pub text: String,
}

impl ReferenceFilter {
    pub fn matches(&self, r: &Reference, today: NaiveDate) -> bool {
        let text = self.text.trim();
        r.active
            && (self.category.is_empty() || r.draft.category == self.category)
            && self.years.is_none_or(|y| r.within_years(y, today))
            && (text.is_empty()
                || [&r.draft.customer_name, &r.draft.project, &r.draft.products].iter().any(|f| f.contains(text)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(category: &str, signed: NaiveDate, active: bool) -> Reference {
        Reference {
            id: ReferenceId(1),
            contract: ContractId(1),
            contract_number: "HT-2026-0001".into(),
            draft: ReferenceDraft {
                customer_name: "国网苏州供电公司".into(),
                project: "城南变电站扩建".into(),
                products: "10kV开关柜 24面".into(),
                category: category.into(),
                amount: Money::from_fen(10_000_000),
                signed_on: Some(signed),
                contact: "王工 13800000000".into(),
            },
            active,
            version: 1,
            updated_at: String::new(),
            updated_by: String::new(),
        }
    }

    #[test]
    fn a_reference_needs_what_the_table_prints() {
        let mut d = ReferenceDraft { customer_name: " 甲 ".into(), ..Default::default() };
        let fields: Vec<_> = d.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["project", "products", "amount", "signed_on"]);
        assert_eq!(d.customer_name, "甲");
    }

    #[test]
    fn the_filter_takes_category_years_text_and_leaves_withdrawn_ones_out() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        let recent = reference("开关柜", NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(), true);
        let old = reference("开关柜", NaiveDate::from_ymd_opt(2021, 6, 1).unwrap(), true);
        let withdrawn = reference("开关柜", NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(), false);
        let f = ReferenceFilter { category: "开关柜".into(), years: Some(3), text: String::new() };
        assert!(f.matches(&recent, today));
        assert!(!f.matches(&old, today));
        assert!(!f.matches(&withdrawn, today));
        assert!(!ReferenceFilter { category: "变压器".into(), ..Default::default() }.matches(&recent, today));
        assert!(ReferenceFilter { text: "城南".into(), ..Default::default() }.matches(&old, today));
    }
}
