//! The 用印发出 dialog: how many copies go out, whether they are sent to a printer (the system's
//! default first, with its state) and whether the stamped PDF is saved, and what issuing does
//! (seal, register, state) before the user confirms. The issue commits first; a print job that
//! then fails leaves it valid and says how to print again. The service decides whether it may
//! happen.

use std::path::PathBuf;

use egui::{RichText, Ui};

use super::preview::default_path;
use crate::domain::document::PrintVariant;
use crate::domain::ids::{ContractId, QuoteId};
use crate::print::Printer;
use crate::service::{DocumentKind, IssueOutcome, PrintOptions, ServiceError};
use crate::ui::panel::{Cx, Event};
use crate::ui::theme::{ERROR_RED, MUTED, PENDING_AMBER};
use crate::ui::worker::Reply;

/// What is issued: a quote's or bid's latest approved revision, or a confirmed contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueTarget {
    Quote(QuoteId),
    Contract(ContractId),
}

/// 用印发出 of a quote's latest (approved) revision, or of a confirmed contract.
pub struct IssueDialog {
    target: IssueTarget,
    /// BJ-2026-0001-V2
    label: String,
    kind: DocumentKind,
    copies: u32,
    variant: PrintVariant,
    to_printer: bool,
    printers: Reply<Vec<Printer>>,
    printer_list: Option<Result<Vec<Printer>, String>>,
    printer: Option<String>,
    to_file: bool,
    path: String,
    open_after: bool,
    error: Option<String>,
    issuing: Reply<(IssueOutcome, Option<Result<(), String>>)>,
}

impl IssueDialog {
    pub fn new(quote: QuoteId, label: String, file_name: String, bid: bool, cx: &Cx<'_>) -> IssueDialog {
        let kind = if bid { DocumentKind::Bid } else { DocumentKind::Quotation };
        Self::of(IssueTarget::Quote(quote), kind, label, file_name, cx)
    }

    /// 用印发出 of a confirmed contract (two copies: one for each party).
    pub fn contract(id: ContractId, label: String, file_name: String, cx: &Cx<'_>) -> IssueDialog {
        Self::of(IssueTarget::Contract(id), DocumentKind::Contract, label, file_name, cx)
    }

    fn of(target: IssueTarget, kind: DocumentKind, label: String, file_name: String, cx: &Cx<'_>) -> IssueDialog {
        let bid = kind == DocumentKind::Bid;
        IssueDialog {
            target,
            label,
            kind,
            copies: if bid { 3 } else { 2 },
            variant: PrintVariant::Seal,
            to_printer: true,
            printers: cx.ask_quietly(|svc, a| svc.printers(a)),
            printer_list: None,
            printer: None,
            to_file: true,
            path: default_path(kind, &file_name).display().to_string(),
            open_after: false,
            error: None,
            issuing: Reply::default(),
        }
    }

    /// Takes in the answers: true when the issue went through (the dialog closes). A refusal stays
    /// in the dialog with everything as typed.
    fn take_answers(&mut self, cx: &mut Cx<'_>) -> bool {
        match self.printers.take() {
            Some(Ok(list)) => {
                self.printer = list.iter().find(|p| p.is_default).or(list.first()).map(|p| p.name.clone());
                if list.is_empty() {
                    self.to_printer = false;
                }
                self.printer_list = Some(Ok(list));
            }
            Some(Err(e)) => {
                self.to_printer = false;
                self.printer_list = Some(Err(e.to_string()));
            }
            None => {}
        }
        match self.issuing.take() {
            Some(Ok((outcome, opened))) => {
                let e = &outcome.entry;
                match &outcome.printed {
                    Some(Err(_)) => cx.toasts.error(outcome.message()),
                    _ => cx.toasts.success(format!("{} 验证码 {}", outcome.message(), e.verify_code)),
                }
                if let Some(Err(why)) = opened {
                    cx.toasts.info(format!("PDF 已保存，但{why}，请手动打开。"));
                }
                match self.target {
                    IssueTarget::Quote(q) => cx.emit(Event::QuoteChanged(q)),
                    IssueTarget::Contract(c) => cx.emit(Event::ContractChanged(c)),
                }
                true
            }
            // Issuing a bid lists every cross-check that failed, not only the first.
            Some(Err(ServiceError::Invalid(list))) if list.len() > 1 => {
                let all: Vec<String> = list.iter().map(|e| format!("· {}", e.message)).collect();
                self.error = Some(format!("不能用印发出，请先改正以下 {} 处：\n{}", list.len(), all.join("\n")));
                cx.toasts.error(format!("不能用印发出：有 {} 处需要改正。", list.len()));
                false
            }
            Some(Err(e)) => {
                cx.toasts.error(e.to_string());
                self.error = Some(e.to_string());
                false
            }
            None => false,
        }
    }

    fn issue(&mut self, cx: &Cx<'_>) {
        if !self.to_file && !self.to_printer {
            self.error = Some("请至少选择一项：送打印机，或保存 PDF".into());
            return;
        }
        let out = if self.to_file {
            match checked_path(&self.path) {
                Ok(p) => Some(p),
                Err(e) => {
                    self.error = Some(e);
                    return;
                }
            }
        } else {
            None
        };
        self.error = None;
        let print = self.to_printer.then(|| PrintOptions {
            printer: self.printer.clone(),
            copies: self.copies,
            ..Default::default()
        });
        let (target, copies, variant, open) = (self.target, self.copies, self.variant, self.open_after);
        self.issuing = cx.ask(move |svc, a| {
            if let Some(dir) = out.as_ref().and_then(|p| p.parent()).filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .map_err(|e| ServiceError::invalid("file", crate::service::file_problem("创建文件夹", dir, &e)))?;
            }
            let outcome = match target {
                IssueTarget::Quote(q) => svc.issue_and_print(a, q, copies, variant, out.as_deref(), print.as_ref())?,
                IssueTarget::Contract(c) => {
                    svc.issue_contract_and_print(a, c, copies, variant, out.as_deref(), print.as_ref())?
                }
            };
            let opened = match (&out, open) {
                (Some(path), true) => Some(super::open_in_viewer(path)),
                _ => None,
            };
            Ok((outcome, opened))
        });
    }

    /// Draws the dialog; returns true when it is done (issued or cancelled).
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) -> bool {
        if self.take_answers(cx) {
            return true;
        }
        let mut done = false;
        let bid = self.kind == DocumentKind::Bid;
        let modal = egui::Modal::new(egui::Id::unique("issue_dialog")).show(ui.ctx(), |ui| {
            ui.set_width(540.0);
            ui.heading(format!("用印发出 {}", self.label));
            ui.label("用印发出将：");
            ui.label("· 在文件上加盖公司印章（无印章图片或选“鲜章”时留“盖章处”）");
            ui.label("· 记入发文登记（文件的 SHA-256、经办人、时间、份数，以及送打印机的任务）");
            if self.kind == DocumentKind::Contract {
                ui.label("· 供客户签字盖章；同一合同再次发出为重印，文件完全相同");
            } else {
                ui.label("· 状态变为“已发出”；同一版本再次发出为重印，文件完全相同");
            }
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                let l = ui.label(if bid { "份数（正本＋副本）" } else { "份数" });
                ui.add(egui::DragValue::new(&mut self.copies).range(1..=crate::print::MAX_COPIES)).labelled_by(l.id);
                if bid {
                    ui.label(RichText::new(format!("正本 1 份，副本 {} 份", self.copies - 1)).color(MUTED));
                }
            });
            ui.horizontal(|ui| {
                ui.label("印章");
                for v in PrintVariant::ALL {
                    if v == PrintVariant::SealRiding && !bid {
                        continue;
                    }
                    ui.radio_value(&mut self.variant, v, v.label());
                }
            });
            if self.variant == PrintVariant::WetStamp {
                ui.label(
                    RichText::new("打印件不含印章图像，各“盖章处”由办公室手工加盖鲜章；此版本单独登记、单独校验。")
                        .color(MUTED),
                );
            } else if self.variant == PrintVariant::SealRiding {
                ui.label(RichText::new("每册（正本、副本）右侧边缘加盖骑缝章，每页一片。").color(MUTED));
            }
            ui.add_space(4.0);
            self.printer_ui(ui);
            ui.add_space(4.0);
            ui.checkbox(&mut self.to_file, "同时保存盖章的 PDF");
            ui.add_enabled_ui(self.to_file, |ui| {
                ui.horizontal(|ui| {
                    let l = ui.label("保存到");
                    ui.add(egui::TextEdit::singleline(&mut self.path).desired_width(380.0)).labelled_by(l.id);
                    if ui.button("选择…").clicked()
                        && let Err(e) = super::choose_pdf_path(&mut self.path)
                    {
                        self.error = Some(e);
                    }
                });
                ui.checkbox(&mut self.open_after, "保存后用系统查看器打开");
            });
            if let Some(e) = &self.error {
                ui.label(RichText::new(e).color(ERROR_RED));
            }
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                let ok = egui::Button::new(RichText::new("确认用印发出").color(egui::Color32::WHITE)).fill(ERROR_RED);
                let busy = self.issuing.is_waiting();
                if ui.add_enabled(!busy, ok).clicked() {
                    self.issue(cx);
                }
                if busy {
                    ui.add(egui::Spinner::new());
                }
                // Not while issuing: the answer (the verification code, the print job) must be told.
                if ui.add_enabled(!busy, egui::Button::new("取消")).clicked() {
                    done = true;
                }
            });
        });
        // Esc (or a click beside it) cancels, never while issuing: the answer must be told.
        if modal.should_close() && !self.issuing.is_waiting() {
            done = true;
        }
        done
    }

    fn printer_ui(&mut self, ui: &mut Ui) {
        let available = matches!(&self.printer_list, Some(Ok(l)) if !l.is_empty());
        ui.add_enabled(available, egui::Checkbox::new(&mut self.to_printer, "送打印机"));
        match &self.printer_list {
            None => {
                ui.horizontal(|ui| {
                    ui.add(egui::Spinner::new());
                    ui.label("正在查找打印机…");
                });
            }
            Some(Err(e)) => {
                ui.label(RichText::new(format!("{e}（可以先保存 PDF，之后在发文登记中打印）")).color(PENDING_AMBER));
            }
            Some(Ok(list)) if list.is_empty() => {
                ui.label(RichText::new(crate::print::PrintError::NoPrinter.to_string()).color(PENDING_AMBER));
            }
            Some(Ok(list)) => {
                ui.add_enabled_ui(self.to_printer, |ui| {
                    ui.horizontal(|ui| {
                        let chosen = super::printer_combo(ui, "issue_printer", list, &mut self.printer, 300.0);
                        if let Some(p) = chosen {
                            let color = if p.problem().is_some() { ERROR_RED } else { MUTED };
                            ui.label(RichText::new(p.status_text()).color(color));
                        }
                    });
                });
            }
        }
    }
}

/// The typed path, made a `.pdf`.
fn checked_path(text: &str) -> Result<PathBuf, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("请填写保存位置和文件名".into());
    }
    let mut path = PathBuf::from(text);
    if path.extension().is_none_or(|e| !e.eq_ignore_ascii_case("pdf")) {
        path.set_extension("pdf");
    }
    Ok(path)
}
