//! The 销售合同 template the admin keeps (合同模板): the title, where contracts are signed, and
//! the standard clauses every contract prints between the ones made from its own data (the lines,
//! delivery, the payment schedule, the warranty). Modelled on the 工业品买卖合同 sample texts
//! (标的物, 质量要求, 交货, 验收, 结算, 违约责任, 争议解决, 其他): the clauses a sales office
//! words once and keeps.

use serde::{Deserialize, Serialize};

use crate::domain::company::FieldError;

/// The longest a clause may be (a page of text).
pub const CLAUSE_MAX: usize = 2000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContractTemplate {
    /// 产品购销合同, 工业品买卖合同 …
    pub title: String,
    /// 签订地点 (empty: not printed)
    pub sign_place: String,
    /// 质量要求
    pub quality: String,
    /// 包装、运输及费用
    pub packing: String,
    /// 验收
    pub acceptance: String,
    /// 违约责任
    pub liability: String,
    /// 争议解决
    pub disputes: String,
    /// 其他（份数、生效）
    pub other: String,
}

impl Default for ContractTemplate {
    fn default() -> Self {
        ContractTemplate {
            title: "产品购销合同".into(),
            sign_place: String::new(),
            quality: "乙方提供的产品应为全新、未使用过的合格产品，符合国家标准、行业标准及双方确认的技术协议；\
                      随货提供产品合格证、出厂检验报告和使用说明书。"
                .into(),
            packing: "产品按国家标准或行业通用方式包装，适合长途运输和装卸；乙方负责运输至交货地点，\
                      运输费用和保险费用由乙方承担，卸货由甲方负责。"
                .into(),
            acceptance: "甲方应在货到后 7 日内按合同和技术协议对产品的数量、外观进行验收；\
                         对质量有异议的，应在验收期内书面通知乙方，逾期未提出的视为验收合格。"
                .into(),
            liability: "乙方逾期交货的，每逾期一日按逾期交货部分货款的万分之五向甲方支付违约金；\
                        甲方逾期付款的，每逾期一日按逾期付款金额的万分之五向乙方支付违约金。\
                        违约金累计不超过合同总额的 5%。"
                .into(),
            disputes: "因本合同发生的争议，双方应友好协商解决；协商不成的，任何一方可向乙方所在地人民法院提起诉讼。"
                .into(),
            other: "本合同未尽事宜，双方另行协商并签订补充协议，补充协议与本合同具有同等效力。\
                    本合同一式两份，甲乙双方各执一份，自双方签字盖章之日起生效。"
                .into(),
        }
    }
}

impl ContractTemplate {
    /// Every problem, under the field it belongs to.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        let title = self.title.trim();
        if title.is_empty() {
            out.push(FieldError::new("title", "请填写合同标题（如 产品购销合同）"));
        } else if title.chars().count() > 20 {
            out.push(FieldError::new("title", "合同标题不能超过 20 字"));
        }
        if self.sign_place.chars().count() > 40 {
            out.push(FieldError::new("sign_place", "签订地点不能超过 40 字"));
        }
        for (field, name, text) in self.clauses_named() {
            if text.chars().count() > CLAUSE_MAX {
                out.push(FieldError::new(field, format!("“{name}”不能超过 {CLAUSE_MAX} 字")));
            }
        }
        out
    }

    /// (field, heading, text) of the standard clauses, in the order a contract prints them.
    pub fn clauses_named(&self) -> [(&'static str, &'static str, &str); 6] {
        [
            ("quality", "质量要求", self.quality.as_str()),
            ("packing", "包装、运输及费用", self.packing.as_str()),
            ("acceptance", "验收", self.acceptance.as_str()),
            ("liability", "违约责任", self.liability.as_str()),
            ("disputes", "争议解决", self.disputes.as_str()),
            ("other", "其他", self.other.as_str()),
        ]
    }

    /// The same template with every text trimmed (what is saved).
    pub fn trimmed(mut self) -> Self {
        for t in [
            &mut self.title,
            &mut self.sign_place,
            &mut self.quality,
            &mut self.packing,
            &mut self.acceptance,
            &mut self.liability,
            &mut self.disputes,
            &mut self.other,
        ] {
            *t = t.trim().to_string();
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_template_is_valid_and_long_texts_are_refused() {
        assert!(ContractTemplate::default().problems().is_empty());
        let t = ContractTemplate { title: " ".into(), liability: "违".repeat(CLAUSE_MAX + 1), ..Default::default() };
        let fields: Vec<String> = t.problems().into_iter().map(|e| e.field.to_string()).collect();
        assert_eq!(fields, ["title", "liability"]);
        assert_eq!(ContractTemplate { title: " 购销合同 ".into(), ..Default::default() }.trimmed().title, "购销合同");
    }
}
