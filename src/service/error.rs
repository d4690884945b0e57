//! Service errors: each displays as one clear Chinese sentence that says what to do next.
//!
//! # Rule codes
//!
//! A business-rule refusal ([`ServiceError::Rule`]) carries a stable code beside its sentence;
//! match on [`ServiceError::rule_code`], never on the wording. By area:
//!
//! - `approval.` (a quote's approval, a contract's confirmation): `not_pending`, `stale`,
//!   `not_your_step`, `own_work`, `own_customer`, `same_person`, `use_change_table`
//! - `change.` (change tables after issue): `nothing_to_confirm`, `table_changed`, `unanswered`,
//!   `answered_twice`
//! - `quote.`: `frozen`, `still_draft`, `not_latest`, `exists`, `copy_other_customer`, `not_issued`,
//!   `closed`, `no_revision`, `no_such_revision`, `unknown_number`
//! - `tech_review.`: `answered`
//! - `document.`: `not_approved`, `write_failed`
//! - `outcome.`: `recorded`
//! - `inquiry.`: `not_decided`, `no_customer`, `frozen`, `not_tender`, `foreign_attachment`,
//!   `already_decided`, `not_your_step`, `same_person`, `deadline_passed`
//! - `contract.`: `exists`, `not_ready`, `not_confirmed`, `already_signed`, `not_signed`,
//!   `schedule_frozen`
//! - `receipt.`: `paid_to_company`, `already_handed_in`
//! - `visit.`: `pool_customer`, `not_planned`
//! - `customer.`: `owned`, `merge_self`, `list_unavailable`
//! - `price.`: `no_version`, `product_vanished`; `product.`: `inactive`
//! - `import.`: `has_rejects`; `export.`: `xlsx_failed`
//! - `user.`: `last_admin`, `deactivate_self`; `password.`: `must_change`, `hash_failed`
//! - `office.`: `not_empty`; `migrate.`: `no_source`, `same_office`
//! - `certificate.`: `shrink_failed`; `demo.`: `invariant`
//! - the window's own: `office.not_open`, `sign_in.empty`, `worker.internal`

use crate::domain::company::FieldError;
use crate::domain::quote::ApprovalError;
use crate::domain::{changes, inquiry};
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
    /// A business rule refused the request: `code` names the rule (stable, for matching; see the
    /// list above), `message` is the sentence shown.
    #[error("{message}")]
    Rule { code: &'static str, message: String },
    #[error(transparent)]
    Store(StoreError),
    /// A document could not be rendered (a character the font lacks, a broken image).
    #[error(transparent)]
    Document(#[from] crate::docs::DocError),
    /// The print service or the printer refused, or could not be reached; nothing was sent.
    #[error(transparent)]
    Print(#[from] crate::print::PrintError),
}

/// The refusal of another salesperson's customer (DESIGN §2), on a file and on the server alike.
pub(super) const NOT_YOURS: &str = "该客户不是您负责的客户，您无权查看或修改。如需跟进，请联系销售部负责人分配";

impl From<StoreError> for ServiceError {
    /// A person whose server login was stopped (deactivated) hears what a file office says.
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::ServerLoginDisabled => ServiceError::Deactivated,
            // What a file office refuses by its rule, the server keeps from reading at all: the
            // same refusal in the same words.
            StoreError::NotYours { what, .. } => ServiceError::Denied(match what {
                "报价" | "报价版本" => "该报价属于其他销售员负责的客户，您无权查看或修改。",
                "拜访" => "该拜访属于其他销售员负责的客户，您无权查看或修改。",
                "询价" => "该询价属于其他销售员负责的客户，您无权查看或修改。",
                "合同" => "该合同属于其他销售员负责的客户，您无权查看或修改。",
                _ => NOT_YOURS,
            }),
            other => ServiceError::Store(other),
        }
    }
}

/// The code of a refused approval (a quote's) or confirmation (a contract's): the same rules.
pub(super) fn approval_code(e: &ApprovalError) -> &'static str {
    match e {
        ApprovalError::NotSubmitted(_) => "approval.not_pending",
        ApprovalError::StaleContent => "approval.stale",
        ApprovalError::NotYourStep(_) => "approval.not_your_step",
        ApprovalError::OwnRevision => "approval.own_work",
        ApprovalError::OwnCustomer => "approval.own_customer",
        ApprovalError::SamePerson => "approval.same_person",
    }
}

fn first_message(errors: &[FieldError]) -> String {
    match errors {
        [] => "输入有误，请检查后重试。".to_string(),
        [one] => format!("{}。", one.message.trim_end_matches('。')),
        [first, rest @ ..] => format!("{}（另有 {} 处需要修改）。", first.message.trim_end_matches('。'), rest.len()),
    }
}

impl ServiceError {
    /// A business-rule refusal: `code` names the rule (`area.what`), `message` is the sentence.
    pub fn rule(code: &'static str, message: impl Into<String>) -> Self {
        ServiceError::Rule { code, message: message.into() }
    }

    /// The code of a business-rule refusal (`None` for any other error).
    pub fn rule_code(&self) -> Option<&'static str> {
        match self {
            ServiceError::Rule { code, .. } => Some(code),
            _ => None,
        }
    }

    /// A refused quote approval or contract confirmation, with the domain's sentence.
    pub(super) fn approval(e: ApprovalError) -> Self {
        ServiceError::rule(approval_code(&e), format!("{e}。"))
    }

    /// A refused go / no-go decision on an inquiry, with the domain's sentence.
    pub(super) fn decision(e: inquiry::DecisionError) -> Self {
        use inquiry::DecisionError as E;
        let code = match e {
            E::AlreadyDecided(_) => "inquiry.already_decided",
            E::NotYourStep(_) => "inquiry.not_your_step",
            E::SamePerson => "inquiry.same_person",
            E::DeadlinePassed => "inquiry.deadline_passed",
        };
        ServiceError::rule(code, format!("{e}。"))
    }

    /// Refused answers to a change table, with the domain's sentence.
    pub(super) fn change_decisions(e: changes::DecisionError) -> Self {
        use changes::DecisionError as E;
        let code = match e {
            E::Unknown(_) => "change.table_changed",
            E::Unanswered(_) => "change.unanswered",
            E::Twice => "change.answered_twice",
        };
        ServiceError::rule(code, format!("{e}。"))
    }

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

/// What went wrong with a file, in the words the user reads (the system's English detail goes to
/// the log): `无法写入文件 /home/li/报价单.pdf：没有权限。请换一个位置再试。`
pub fn file_problem(action: &str, path: &std::path::Path, e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    log::warn!("{action} {}: {e}", path.display());
    let why = match e.kind() {
        ErrorKind::NotFound => "找不到该文件或文件夹",
        ErrorKind::PermissionDenied => "没有权限",
        ErrorKind::AlreadyExists => "已有同名文件",
        ErrorKind::StorageFull => "磁盘已满",
        ErrorKind::ReadOnlyFilesystem => "该位置只读",
        ErrorKind::InvalidFilename => "文件名不合规（太长或含有不允许的字符）",
        ErrorKind::IsADirectory => "这是一个文件夹，不是文件",
        ErrorKind::NotADirectory => "路径中有一段不是文件夹",
        ErrorKind::DirectoryNotEmpty => "文件夹不是空的",
        ErrorKind::FileTooLarge => "文件太大",
        ErrorKind::ResourceBusy => "文件正被其他程序使用",
        _ => "系统报告了错误（详情已写入日志）",
    };
    format!("无法{action} {}：{why}。请换一个位置或文件名再试。", path.display())
}

/// Writes `bytes` to `path` as a whole or not at all: to a temporary file beside it (`….part`),
/// then renamed, so a failed write never leaves half a file or replaces a good one.
pub(super) fn write_whole(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".part");
    let tmp = std::path::PathBuf::from(tmp);
    std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path)).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Writes a file the user chose ([`write_whole`]), making its folder when missing. Errors name the
/// path and say in Chinese what went wrong.
pub fn save_file(path: &std::path::Path, bytes: &[u8]) -> Result<(), ServiceError> {
    let problem = |action: &str, at: &std::path::Path, e: &std::io::Error| {
        ServiceError::rule("file.write_failed", file_problem(action, at, e))
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| problem("创建文件夹", dir, &e))?;
    }
    write_whole(path, bytes).map_err(|e| problem("写入文件", path, &e))
}
