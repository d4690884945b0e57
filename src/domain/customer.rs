//! The customer archive (客户资料档案): a customer with its contacts, owner and invoicing details.
//! Validation and normalisation of what a user or an import typed; no storage here.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::domain::company::FieldError;
use crate::domain::ids::{ContactId, CustomerId, UserId};
use crate::domain::validate;

/// 客户等级
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
pub enum Grade {
    /// 重点客户
    A,
    /// 重要客户
    B,
    /// 一般客户
    #[default]
    C,
    /// 潜在客户
    D,
}

impl Grade {
    pub const ALL: [Grade; 4] = [Grade::A, Grade::B, Grade::C, Grade::D];

    pub fn code(self) -> &'static str {
        match self {
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
            Grade::D => "D",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Grade::A => "A 重点",
            Grade::B => "B 重要",
            Grade::C => "C 一般",
            Grade::D => "D 潜在",
        }
    }

    /// Accepts `A`, `a`, `A 重点`, `重点`, `重点客户`.
    pub fn parse(text: &str) -> Option<Grade> {
        let t = text.trim();
        Grade::ALL.into_iter().find(|g| {
            let word = &g.label()[2..];
            t.eq_ignore_ascii_case(g.code()) || t == g.label() || t == word || t == format!("{word}客户")
        })
    }
}

/// 客户来源 — suggestions for the form; any text is allowed.
pub const SOURCES: &[&str] = &["电话询价", "客户拜访", "展会", "招标网站", "老客户介绍", "网站/邮件", "其他"];

/// 行业 — suggestions for the form and the filter; any text is allowed.
pub const INDUSTRIES: &[&str] = &[
    "电力",
    "电网",
    "新能源",
    "石油化工",
    "冶金",
    "煤矿",
    "轨道交通",
    "市政",
    "建筑地产",
    "水务",
    "数据中心",
    "制造业",
    "其他",
];

/// 开票资料
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InvoiceInfo {
    /// 开票抬头 (usually the customer's full name)
    pub title: String,
    /// 地址、电话
    pub address_phone: String,
    pub bank_name: String,
    pub bank_account: String,
}

/// 联系人
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Contact {
    pub id: Option<ContactId>,
    pub name: String,
    /// 职务
    pub title: String,
    /// 座机
    pub phone: String,
    /// 手机
    pub mobile: String,
    pub email: String,
    /// 微信
    pub wechat: String,
    /// 主要联系人
    pub primary: bool,
}

/// The editable content of a customer: what the form, the import and the store exchange.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomerDraft {
    /// 客户名称 (full registered name)
    pub name: String,
    /// 简称
    pub short_name: String,
    /// 统一社会信用代码 (optional: not every contact gives it)
    pub credit_code: String,
    pub grade: Grade,
    pub source: String,
    pub industry: String,
    /// 省份 (region filter)
    pub province: String,
    pub city: String,
    pub address: String,
    /// 总机
    pub phone: String,
    pub invoice: InvoiceInfo,
    pub notes: String,
    pub contacts: Vec<Contact>,
}

/// A stored customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub id: CustomerId,
    pub draft: CustomerDraft,
    /// None: in the shared pool (公海)
    pub owner: Option<UserId>,
    pub owner_name: String,
    pub version: i64,
    pub updated_at: String,
    pub updated_by: String,
}

/// One line of the customer list: what the table shows and filters on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerSummary {
    pub id: CustomerId,
    pub name: String,
    pub short_name: String,
    pub credit_code: String,
    pub grade: Grade,
    pub industry: String,
    pub province: String,
    pub city: String,
    pub phone: String,
    pub owner: Option<UserId>,
    pub owner_name: String,
    /// 主要联系人 (or the first one), with mobile or phone
    pub contact: String,
    pub contact_phone: String,
    pub updated_at: String,
    /// The record's version when this line was read (a merge names the version the user saw).
    pub version: i64,
}

fn trim(s: &mut String) {
    let t = s.trim();
    if t.len() != s.len() {
        *s = t.to_string();
    }
}

/// Normalises an optional phone field in place, or records why it is wrong.
fn check_phone(
    value: &mut String,
    field: impl Into<Cow<'static, str>>,
    mobile_only: bool,
    errors: &mut Vec<FieldError>,
) {
    trim(value);
    if value.is_empty() {
        return;
    }
    let checked = if mobile_only { validate::validate_mobile(value) } else { validate::validate_phone(value) };
    match checked {
        Ok(n) => *value = n,
        Err(e) => errors.push(FieldError::new(field, e.to_string())),
    }
}

impl Contact {
    /// Checks one contact; field names are `contact{index}.{field}`.
    fn validate(&mut self, index: usize, errors: &mut Vec<FieldError>) {
        let f = |name: &str| format!("contact{index}.{name}");
        for s in [&mut self.name, &mut self.title, &mut self.wechat] {
            trim(s);
        }
        if self.name.is_empty() {
            errors.push(FieldError::new(f("name"), "请填写联系人姓名"));
        }
        check_phone(&mut self.phone, f("phone"), false, errors);
        check_phone(&mut self.mobile, f("mobile"), true, errors);
        trim(&mut self.email);
        if !self.email.is_empty() {
            match validate::validate_email(&self.email) {
                Ok(e) => self.email = e,
                Err(e) => errors.push(FieldError::new(f("email"), e.to_string())),
            }
        }
    }
}

impl CustomerDraft {
    /// Checks and normalises the draft; returns one message per bad field.
    pub fn validate(&mut self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        for s in [
            &mut self.name,
            &mut self.short_name,
            &mut self.source,
            &mut self.industry,
            &mut self.province,
            &mut self.city,
            &mut self.address,
            &mut self.notes,
        ] {
            trim(s);
        }
        self.name = validate::to_halfwidth(&self.name).trim().to_string();
        if self.name.chars().count() < 2 {
            errors.push(FieldError::new("name", "请填写客户全称（至少2个字）"));
        }
        trim(&mut self.credit_code);
        if !self.credit_code.is_empty() {
            match validate::normalize_credit_code(&self.credit_code) {
                Ok(c) => self.credit_code = c,
                Err(e) => errors.push(FieldError::new("credit_code", e.to_string())),
            }
        }
        check_phone(&mut self.phone, "phone", false, &mut errors);
        if self.invoice.title.trim().is_empty() {
            self.invoice.title = self.name.clone();
        }
        for (i, c) in self.contacts.iter_mut().enumerate() {
            c.validate(i, &mut errors);
        }
        if self.contacts.iter().filter(|c| c.primary).count() > 1 {
            errors.push(FieldError::new("contacts", "只能有一位主要联系人"));
        }
        errors
    }

    /// All phone numbers of the customer and its contacts, digits only (for duplicate checks
    /// and search by phone fragment).
    pub fn phone_digits(&self) -> Vec<String> {
        let digits = |s: &str| s.chars().filter(|c| c.is_ascii_digit()).collect::<String>();
        let mut out: Vec<String> = std::iter::once(self.phone.as_str())
            .chain(self.contacts.iter().flat_map(|c| [c.phone.as_str(), c.mobile.as_str()]))
            .map(digits)
            .filter(|d| d.len() >= 7)
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

/// The part of a company name that tells companies apart: without the region prefix and the legal
/// form suffix, so 江苏华能电力设备有限公司 and 华能电力设备(江苏)有限公司 compare as the same core.
pub fn name_core(name: &str) -> String {
    const SUFFIXES: &[&str] =
        &["股份有限公司", "有限责任公司", "有限公司", "集团公司", "分公司", "公司", "集团", "厂", "研究院", "研究所"];
    let mut s: String =
        validate::to_halfwidth(name).chars().filter(|c| !c.is_whitespace() && !"()（）·-.".contains(*c)).collect();
    for suffix in SUFFIXES {
        if let Some(stripped) = s.strip_suffix(suffix) {
            s = stripped.to_string();
            break;
        }
    }
    for (full, short) in crate::domain::region::PROVINCES {
        if let Some(rest) = s.strip_prefix(full).or_else(|| s.strip_prefix(short)) {
            if rest.chars().count() >= 2 {
                s = rest.to_string();
            }
            break;
        }
    }
    s
}

/// Names at least this alike are reported as likely duplicates.
pub const SIMILAR_NAME: f64 = 0.8;

/// A name prepared for comparison: its core's sorted character bigrams. Compute once per name
/// and compare many times (duplicate checks run against the whole archive).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NameKey {
    core: String,
    bigrams: Vec<(char, char)>,
}

impl NameKey {
    pub fn new(name: &str) -> NameKey {
        let core = name_core(name);
        let chars: Vec<char> = core.chars().collect();
        let mut bigrams: Vec<(char, char)> = chars.windows(2).map(|w| (w[0], w[1])).collect();
        bigrams.sort_unstable();
        NameKey { core, bigrams }
    }

    pub fn core(&self) -> &str {
        &self.core
    }

    /// How alike two names are, 0.0–1.0: the Dice coefficient of their bigrams. 0.8 and above is
    /// "likely the same company".
    pub fn similarity(&self, other: &NameKey) -> f64 {
        let (x, y) = (&self.bigrams, &other.bigrams);
        if x.is_empty() || y.is_empty() {
            return if self.core == other.core { 1.0 } else { 0.0 };
        }
        let (mut i, mut j, mut common) = (0, 0, 0usize);
        while i < x.len() && j < y.len() {
            match x[i].cmp(&y[j]) {
                std::cmp::Ordering::Equal => {
                    common += 1;
                    i += 1;
                    j += 1;
                }
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
            }
        }
        (2 * common) as f64 / (x.len() + y.len()) as f64
    }
}

/// How alike two names are (see [`NameKey::similarity`]).
pub fn name_similarity(a: &str, b: &str) -> f64 {
    NameKey::new(a).similarity(&NameKey::new(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(name: &str) -> CustomerDraft {
        CustomerDraft { name: name.into(), ..Default::default() }
    }

    #[test]
    fn grades_parse_from_office_spellings() {
        assert_eq!(Grade::parse("a"), Some(Grade::A));
        assert_eq!(Grade::parse("重点客户"), Some(Grade::A));
        assert_eq!(Grade::parse("C 一般"), Some(Grade::C));
        assert_eq!(Grade::parse("潜在"), Some(Grade::D));
        assert_eq!(Grade::parse("VIP"), None);
    }

    #[test]
    fn a_draft_is_normalised_and_checked() {
        let mut d = draft("  江苏华能电力设备有限公司 ");
        d.credit_code = "91350100m000100y43".into();
        d.phone = "(025)83456789".into();
        d.contacts.push(Contact { name: "王建".into(), mobile: "+86 139 5110 0001".into(), ..Default::default() });
        assert!(d.validate().is_empty());
        assert_eq!(d.name, "江苏华能电力设备有限公司");
        assert_eq!(d.credit_code, "91350100M000100Y43");
        assert_eq!(d.phone, "025-83456789");
        assert_eq!(d.contacts[0].mobile, "13951100001");
        assert_eq!(d.invoice.title, d.name);
    }

    #[test]
    fn bad_fields_are_named() {
        let mut d = draft("华");
        d.credit_code = "91350100M000100Y44".into();
        d.contacts.push(Contact { name: "".into(), mobile: "12345".into(), ..Default::default() });
        let errors = d.validate();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_ref()).collect();
        assert_eq!(fields, vec!["name", "credit_code", "contact0.name", "contact0.mobile"]);
    }

    #[test]
    fn name_core_drops_region_and_legal_form() {
        assert_eq!(name_core("江苏华能电力设备有限公司"), "华能电力设备");
        assert_eq!(name_core("华能电力设备(江苏)有限公司"), "华能电力设备江苏");
        assert_eq!(name_core("上海市电力公司"), "电力");
        assert_eq!(name_core("国网重庆市电力公司"), "国网重庆市电力");
    }

    #[test]
    fn similar_names_score_high_and_different_ones_low() {
        assert!(name_similarity("江苏华能电力设备有限公司", "华能电力设备有限公司") > 0.99);
        assert!(name_similarity("江苏华能电力设备有限公司", "江苏华能电力设备股份有限公司") > 0.99);
        assert!(name_similarity("华能电力设备(江苏)有限公司", "江苏华能电力设备有限公司") >= 0.8);
        assert!(name_similarity("江苏华能电力设备有限公司", "浙江中天电缆有限公司") < 0.3);
    }

    #[test]
    fn phone_digits_collects_every_number_once() {
        let mut d = draft("某某公司");
        d.phone = "025-83456789".into();
        d.contacts.push(Contact {
            name: "甲".into(),
            mobile: "13951100001".into(),
            phone: "025-83456789".into(),
            ..Default::default()
        });
        assert_eq!(d.phone_digits(), vec!["02583456789", "13951100001"]);
    }
}
