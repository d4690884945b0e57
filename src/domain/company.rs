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
    /// 标志图片
    pub logo: Option<AttachmentId>,
    /// 公章图片 (replaced only by the admin, through its own use case)
    pub seal: Option<AttachmentId>,
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
        let account: String = self.bank_account.chars().filter(|c| !c.is_whitespace()).collect();
        if !account.is_empty() && !account.chars().all(|c| c.is_ascii_digit() || c == '-') {
            errors.push(FieldError::new("bank_account", "银行账号只能包含数字"));
        }
        errors
    }
}
