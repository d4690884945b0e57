//! The price table (价格表): products with models, units, prices and technical parameters, and the
//! dated versions of the table. Validation only; storage is `store`'s.

use serde::{Deserialize, Serialize};

use crate::domain::company::FieldError;
use crate::domain::ids::{PriceVersionId, ProductId};
use crate::domain::money::{Money, TaxRate};
use crate::domain::validate;

/// One technical parameter (技术参数), e.g. 额定容量 = 1000kVA.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TechParam {
    pub key: String,
    pub value: String,
}

/// The editable content of a product and its price in one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProductDraft {
    /// 产品编码 (unique, the import key)
    pub code: String,
    /// 产品名称
    pub name: String,
    /// 型号规格
    pub model: String,
    /// 单位 (台, 套, 米, 只 …)
    pub unit: String,
    /// 类别
    pub category: String,
    /// 含税单价 (list price)
    pub list_price: Money,
    /// 最低限价; None when the product may not be discounted at all below list
    pub floor_price: Option<Money>,
    pub tax_rate: TaxRate,
    pub params: Vec<TechParam>,
    pub active: bool,
}

impl Default for ProductDraft {
    fn default() -> Self {
        ProductDraft {
            code: String::new(),
            name: String::new(),
            model: String::new(),
            unit: "台".into(),
            category: String::new(),
            list_price: Money::ZERO,
            floor_price: None,
            tax_rate: TaxRate::RATE_13,
            params: Vec::new(),
            active: true,
        }
    }
}

/// A stored product with its price in the version it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub id: ProductId,
    pub draft: ProductDraft,
    pub price_version: PriceVersionId,
    pub version: i64,
    pub updated_at: String,
    pub updated_by: String,
}

/// A dated price-table version (价格表版本).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceVersion {
    pub id: PriceVersionId,
    /// 生效日期
    pub effective: chrono::NaiveDate,
    /// 说明, e.g. "2026年下半年价格表" or "导入 价格表2026.xlsx"
    pub note: String,
    pub created_by: String,
    pub created_at: String,
    pub products: i64,
}

/// Units offered in the form; any text is allowed.
pub const UNITS: &[&str] = &["台", "套", "面", "只", "个", "米", "千米", "吨", "组", "批", "项"];

impl ProductDraft {
    /// Checks and normalises; one message per bad field.
    pub fn validate(&mut self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        self.code = validate::to_halfwidth(self.code.trim()).to_uppercase();
        for s in [&mut self.name, &mut self.model, &mut self.unit, &mut self.category] {
            *s = s.trim().to_string();
        }
        if self.code.is_empty() {
            errors.push(FieldError::new("code", "请填写产品编码"));
        } else if !self.code.chars().all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c)) || self.code.len() > 40 {
            errors.push(FieldError::new("code", "产品编码只能包含字母、数字和 - _ . /，最长40位"));
        }
        if self.name.is_empty() {
            errors.push(FieldError::new("name", "请填写产品名称"));
        }
        if self.unit.is_empty() {
            errors.push(FieldError::new("unit", "请填写单位"));
        }
        if self.list_price <= Money::ZERO {
            errors.push(FieldError::new("list_price", "含税单价应大于0"));
        }
        match self.floor_price {
            Some(f) if f <= Money::ZERO => {
                errors.push(FieldError::new("floor_price", "最低限价应大于0（不设限价请留空）"))
            }
            Some(f) if f > self.list_price => {
                errors.push(FieldError::new("floor_price", format!("最低限价 {f} 高于含税单价 {}", self.list_price)))
            }
            _ => {}
        }
        let mut seen = std::collections::HashSet::new();
        for p in &self.params {
            if !seen.insert(p.key.as_str()) {
                errors.push(FieldError::new("params", format!("技术参数“{}”重复", p.key)));
            }
        }
        errors
    }

    /// `额定容量:1000kVA; 电压:10/0.4kV`
    pub fn params_text(&self) -> String {
        format_tech_params(&self.params)
    }
}

/// Parses technical parameters written as `key:value; key:value` (also `：` and `；`, or one per
/// line). An item without a colon is an error naming it.
pub fn parse_tech_params(text: &str) -> Result<Vec<TechParam>, String> {
    let normalised = text.replace('：', ":").replace(['；', '\n'], ";");
    normalised
        .split(';')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| match item.split_once(':') {
            Some((k, v)) if !k.trim().is_empty() => {
                Ok(TechParam { key: k.trim().to_string(), value: v.trim().to_string() })
            }
            _ => Err(format!("技术参数“{item}”应写成“名称:数值”")),
        })
        .collect()
}

pub fn format_tech_params(params: &[TechParam]) -> String {
    params.iter().map(|p| format!("{}:{}", p.key, p.value)).collect::<Vec<_>>().join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product() -> ProductDraft {
        ProductDraft {
            code: " scb13-1000 ".into(),
            name: "干式变压器".into(),
            model: "SCB13-1000/10".into(),
            unit: "台".into(),
            list_price: Money::from_fen(18_600_000),
            floor_price: Some(Money::from_fen(16_200_000)),
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_product_is_normalised() {
        let mut p = product();
        assert!(p.validate().is_empty());
        assert_eq!(p.code, "SCB13-1000");
    }

    #[test]
    fn a_floor_price_above_the_list_price_is_refused() {
        let mut p = product();
        p.floor_price = Some(Money::from_fen(20_000_000));
        let errors = p.validate();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "floor_price");
        assert!(errors[0].message.contains("高于含税单价"));
    }

    #[test]
    fn missing_code_name_and_price_are_named() {
        let mut p = ProductDraft { unit: String::new(), ..Default::default() };
        let errors = p.validate();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_ref()).collect();
        assert_eq!(fields, vec!["code", "name", "unit", "list_price"]);
    }

    #[test]
    fn technical_parameters_parse_in_office_spellings() {
        let p = parse_tech_params("额定容量：1000kVA；电压:10/0.4kV\n联结组别: Dyn11;").unwrap();
        assert_eq!(p.len(), 3);
        assert_eq!(p[0], TechParam { key: "额定容量".into(), value: "1000kVA".into() });
        assert_eq!(p[2].value, "Dyn11");
        assert_eq!(format_tech_params(&p), "额定容量:1000kVA; 电压:10/0.4kV; 联结组别:Dyn11");
        assert!(parse_tech_params("").unwrap().is_empty());
        assert!(parse_tech_params("额定容量 1000kVA").unwrap_err().contains("额定容量 1000kVA"));
    }

    #[test]
    fn duplicate_parameter_names_are_refused() {
        let mut p = product();
        p.params = parse_tech_params("电压:10kV;电压:0.4kV").unwrap();
        assert_eq!(p.validate()[0].field, "params");
    }
}
