//! Service errors: each displays as one clear Chinese sentence that says what to do next.

use crate::domain::company::FieldError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The actor may not do this; nothing was changed.
    #[error("{0}。")]
    Denied(&'static str),
    /// Bad input; one message per field, shown under the field.
    #[error("{}", first_message(.0))]
    Invalid(Vec<FieldError>),
    /// Wrong login name or password (never says which).
    #[error("用户名或密码错误，请重新输入。")]
    SignInFailed,
    #[error("连续登录失败次数过多，该账号已暂时锁定，请于 {until} 后再试，或请管理员重置密码。")]
    Locked { until: String },
    #[error("该账号已停用，请联系管理员。")]
    Deactivated,
    /// The new customer looks like existing ones: show them, let the user open one or confirm.
    #[error("可能与已有客户重复：{}。请确认是否仍要新建。", .0.iter().map(|h| h.name.as_str()).collect::<Vec<_>>().join("、"))]
    PossibleDuplicates(Vec<super::DuplicateHint>),
    /// A business rule refused the request.
    #[error("{0}")]
    Rule(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A document could not be rendered (a character the font lacks, a broken image).
    #[error(transparent)]
    Document(#[from] crate::docs::DocError),
}

fn first_message(errors: &[FieldError]) -> String {
    match errors {
        [] => "输入有误，请检查后重试。".to_string(),
        [one] => format!("{}。", one.message.trim_end_matches('。')),
        [first, rest @ ..] => format!("{}（另有 {} 处需要修改）。", first.message.trim_end_matches('。'), rest.len()),
    }
}

impl ServiceError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        ServiceError::Invalid(vec![FieldError::new(field, message)])
    }

    /// The message for one form field, if this error has one.
    pub fn field_message(&self, field: &str) -> Option<&str> {
        match self {
            ServiceError::Invalid(errors) => errors.iter().find(|e| e.field == field).map(|e| e.message.as_str()),
            _ => None,
        }
    }

    /// `what` works on an office file only, not on the server.
    pub fn not_on_server(what: &'static str) -> Self {
        ServiceError::Store(StoreError::NotOnServer(what))
    }

    /// A file the user chose could not be read or written (the path is in `what`).
    pub fn file(what: String) -> Self {
        ServiceError::Store(StoreError::Io(std::io::Error::other(what)))
    }

    /// True when the office server's connection dropped (the store reconnects by itself).
    pub fn is_disconnected(&self) -> bool {
        matches!(self, ServiceError::Store(s) if s.is_disconnected())
    }

    /// True when another seat changed the record meanwhile.
    pub fn is_conflict(&self) -> bool {
        matches!(self, ServiceError::Store(StoreError::Conflict { .. }))
    }
}
