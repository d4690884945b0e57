//! The company profile (公司信息) printed on every document's letterhead.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::domain::ids::AttachmentId;
use crate::domain::validate;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CompanyProfile {
    /// 公司名称
    pub name: String,
    /// 地址
    pub address: String,
    /// 电话
    pub phone: String,
    /// 传真
    pub fax: String,
    /// 电子邮箱
    pub email: String,
    /// 网址
    pub website: String,
    /// 开户银行
    pub bank_name: String,
    /// 银行账号
    pub bank_account: String,
    /// 统一社会信用代码
    pub credit_code: String,
    /// 法定代表人
    pub legal_representative: String,
    /// 单位性质 (有限责任公司 …), 成立时间 and 经营期限 as the business licence states them: the
    /// bid's 法定代表人身份证明 prints them.
    pub company_type: String,
    pub founded_on: Option<chrono::NaiveDate>,
    pub business_term: String,
    /// The legal representative's 性别, 出生日期, 职务 and 身份证号码, printed in a bid's
    /// 法定代表人身份证明 (the number masked in the service's answers to those who may not see it).
    pub legal_rep_gender: Option<crate::domain::user::Gender>,
    pub legal_rep_birth: Option<chrono::NaiveDate>,
    pub legal_rep_title: String,
    pub legal_rep_id_number: String,
    /// 标志图片
    pub logo: Option<AttachmentId>,
    /// 公章图片 (replaced only by the admin, through its own use case)
    pub seal: Option<AttachmentId>,
    /// The body face of the printed 报价单 and 投标书.
    pub typefaces: DocumentFaces,
}

/// The face a document's body text is set in; headings are bold sans (黑体) either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Typeface {
    /// 黑体 (Noto Sans SC): the screen's face, compact in tables.
    Sans,
    /// 宋体 (Noto Serif SC): how bids and formal letters are set.
    Serif,
}

impl Typeface {
    pub const ALL: [Typeface; 2] = [Typeface::Serif, Typeface::Sans];

    pub fn label(self) -> &'static str {
        match self {
            Typeface::Sans => "黑体（无衬线）",
            Typeface::Serif => "宋体（衬线）",
        }
    }
}

/// The body face of each printed document. Bids default to 宋体 as tender templates are set;
/// quotes keep 黑体, compact in their tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DocumentFaces {
    pub quote: Typeface,
    pub bid: Typeface,
}

impl Default for DocumentFaces {
    fn default() -> Self {
        DocumentFaces { quote: Typeface::Sans, bid: Typeface::Serif }
    }
}

/// One problem with one form field, shown under that field. Fields of repeated parts are named
/// with their index: `contact0.mobile`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: Cow<'static, str>,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        FieldError { field: field.into(), message: message.into() }
    }
}

impl CompanyProfile {
    /// The profile as someone who may not see ID numbers reads it.
    pub fn masked(mut self, may_see_ids: bool) -> CompanyProfile {
        if !may_see_ids {
            self.legal_rep_id_number = validate::mask_id_number(&self.legal_rep_id_number);
        }
        self
    }

    /// Checks the profile as typed; returns one message per bad field. Normalises phone numbers
    /// and the credit code in place.
    pub fn validate(&mut self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        self.name = self.name.trim().to_string();
        if self.name.is_empty() {
            errors.push(FieldError::new("name", "请填写公司名称"));
        }
        if !self.credit_code.trim().is_empty() {
            match validate::validate_credit_code(&self.credit_code) {
                Ok(()) => self.credit_code = self.credit_code.trim().to_uppercase(),
                Err(e) => errors.push(FieldError::new("credit_code", e.to_string())),
            }
        }
        for (field, value) in [("phone", &mut self.phone), ("fax", &mut self.fax)] {
            if !value.trim().is_empty() {
                match validate::validate_phone(value) {
                    Ok(n) => *value = n,
                    Err(e) => errors.push(FieldError::new(field, e.to_string())),
                }
            }
        }
        if !self.email.trim().is_empty()
            && let Err(e) = validate::validate_email(&self.email)
        {
            errors.push(FieldError::new("email", e.to_string()));
        }
        self.legal_rep_title = self.legal_rep_title.trim().to_string();
        if !self.legal_rep_id_number.trim().is_empty() {
            match validate::validate_id_number(&self.legal_rep_id_number) {
                Ok(n) => {
                    let stated = crate::domain::user::Gender::of_id_number(&n);
                    if self.legal_rep_gender.is_some() && stated.is_some() && self.legal_rep_gender != stated {
                        errors.push(FieldError::new("legal_rep_gender", "所选性别与身份证号码不符，请核对"));
                    }
                    let born = validate::id_number_birth(&n);
                    if self.legal_rep_birth.is_some() && born.is_some() && self.legal_rep_birth != born {
                        errors.push(FieldError::new("legal_rep_birth", "出生日期与身份证号码不符，请核对"));
                    }
                    self.legal_rep_gender = self.legal_rep_gender.or(stated);
                    self.legal_rep_birth = self.legal_rep_birth.or(born);
                    self.legal_rep_id_number = n;
                }
                Err(e) => errors.push(FieldError::new("legal_rep_id_number", e.to_string())),
            }
        }
        let account: String = self.bank_account.chars().filter(|c| !c.is_whitespace()).collect();
        if !account.is_empty() && !account.chars().all(|c| c.is_ascii_digit() || c == '-') {
            errors.push(FieldError::new("bank_account", "银行账号只能包含数字"));
        }
        errors
    }
}
