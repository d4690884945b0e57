//! The window's side of documents: what printing, issuing and the register's work came back as.
//! An issue refreshes the builder (the quote is now 已发出), the quote list and the register.

use super::SalesDeskApp;
use super::legacy::{Action, QuoteRequest};
use super::register::written_toast;
use super::worker_documents::DocOutcome;
use super::worker_quotes::QuoteTarget;
use crate::service::ServiceError;

impl SalesDeskApp {
    pub(super) fn apply_to_documents(&mut self, outcome: DocOutcome) {
        let toasts = &mut self.toasts;
        match outcome {
            DocOutcome::Printed { stamped, result, .. } => {
                if stamped && result.is_ok() {
                    toasts.info("这是已用印发出的文件（与发出时完全相同），本次打印未另行登记。");
                }
                written_toast(result, toasts);
            }
            DocOutcome::Issued { quote, result } => match result {
                Ok((e, written)) => {
                    let again = if e.reprint { "（重印）" } else { "" };
                    toasts.success(format!(
                        "已用印发出{again} {} V{}，{} 份，已记入发文登记。验证码 {}",
                        e.number, e.revision, e.copies, e.verify_code
                    ));
                    written_toast(Ok(written), toasts);
                    self.panels.register.invalidate();
                    self.poll_quotes_soon();
                    if self.panels.quotes.builder.as_ref().is_some_and(|b| b.id() == quote) {
                        self.dispatch(Action::Office(
                            QuoteRequest::Open { target: QuoteTarget::Builder, id: quote }.into(),
                        ));
                    }
                }
                // Issuing a bid lists every cross-check that failed, not only the first.
                Err(ServiceError::Invalid(list)) if list.len() > 1 => {
                    let all: Vec<String> = list.iter().map(|e| format!("· {}", e.message)).collect();
                    toasts.error(format!("不能用印发出，请先改正以下 {} 处：\n{}", list.len(), all.join("\n")));
                }
                Err(e) => toasts.error(e.to_string()),
            },
            other => self.panels.register.apply(other, toasts),
        }
    }
}
