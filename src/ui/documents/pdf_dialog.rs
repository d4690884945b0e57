//! The print and issue dialog (打印 / 用印发出): where to save the PDF, how many copies are sent,
//! whether to open it afterwards. Issuing says plainly what it does (seal, register, state) before
//! the user confirms. The service decides whether it may happen.

use std::path::PathBuf;

use egui::{RichText, Ui};

use super::{Written, shown, written_toast};
use crate::domain::document::IssuedDocument;
use crate::domain::ids::{QuoteId, UserId};
use crate::domain::visit::Week;
use crate::service::ServiceError;
use crate::ui::panel::{Cx, Event};
use crate::ui::theme::{ERROR_RED, MUTED, OK_GREEN};
use crate::ui::worker::{Reply, write_file};

/// What writing the PDF came back with.
enum Done {
    /// A print; `stamped`: the issued file itself (a revision that went out).
    Printed {
        stamped: bool,
        written: Written,
    },
    Issued {
        entry: Box<IssuedDocument>,
        written: Written,
    },
    Saved(Written),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfAction {
    /// A print of revision `revision`: the issued file if it was issued, else a draft.
    Print { quote: QuoteId, revision: u32 },
    /// 用印发出 of the latest (approved) revision.
    Issue { quote: QuoteId },
    /// The weekly visit plan for the Saturday meeting.
    VisitPlan { week: Week },
    /// 工作周报: one salesperson's, or all the reader may read.
    WeeklyReports { week: Week, user: Option<UserId> },
}

pub struct PdfDialog {
    pub action: PdfAction,
    /// BJ-2026-0001-V2
    label: String,
    path: String,
    copies: u32,
    open_after: bool,
    error: Option<String>,
    writing: Reply<Done>,
}

/// Where PDFs go by default: the user's documents folder, else the home folder.
fn default_folder() -> PathBuf {
    directories::UserDirs::new()
        .and_then(|d| d.document_dir().map(PathBuf::from).or_else(|| Some(d.home_dir().to_path_buf())))
        .unwrap_or_else(std::env::temp_dir)
}

impl PdfDialog {
    pub fn new(action: PdfAction, label: String, file_name: String) -> PdfDialog {
        PdfDialog {
            action,
            label,
            path: default_folder().join(file_name).display().to_string(),
            copies: 1,
            open_after: true,
            error: None,
            writing: Reply::default(),
        }
    }

    /// Takes in the answer: true when the file was written (the dialog closes). A refusal stays
    /// in the dialog with the path as typed.
    fn take_answer(&mut self, cx: &mut Cx<'_>) -> bool {
        match self.writing.take() {
            Some(Ok(Done::Printed { stamped, written })) => {
                if stamped {
                    cx.toasts.info("这是已用印发出的文件（与发出时完全相同），本次打印未另行登记。");
                }
                written_toast(Ok(written), cx.toasts);
                true
            }
            Some(Ok(Done::Issued { entry: e, written })) => {
                let again = if e.reprint { "（重印）" } else { "" };
                cx.toasts.success(format!(
                    "已用印发出{again} {} V{}，{} 份，已记入发文登记。验证码 {}",
                    e.number, e.revision, e.copies, e.verify_code
                ));
                written_toast(Ok(written), cx.toasts);
                if let PdfAction::Issue { quote } = self.action {
                    cx.emit(Event::QuoteChanged(quote));
                }
                true
            }
            Some(Ok(Done::Saved(written))) => {
                written_toast(Ok(written), cx.toasts);
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

    /// Writes the PDF on the worker.
    fn write(&mut self, cx: &Cx<'_>, path: PathBuf) {
        let (open, copies) = (self.open_after, self.copies);
        self.writing = match self.action {
            PdfAction::Print { quote, revision } => cx.ask(move |svc, a| {
                let p = svc.print_quote(a, quote, Some(revision))?;
                write_file(&path, &p.bytes)?;
                Ok(Done::Printed { stamped: p.stamped, written: shown(path, open) })
            }),
            PdfAction::Issue { quote } => cx.ask(move |svc, a| {
                let entry = svc.issue_quote(a, quote, copies, &path)?;
                Ok(Done::Issued { entry: Box::new(entry), written: shown(path, open) })
            }),
            PdfAction::VisitPlan { week } => cx.ask(move |svc, a| {
                write_file(&path, &svc.print_visit_plan(a, week)?)?;
                Ok(Done::Saved(shown(path, open)))
            }),
            PdfAction::WeeklyReports { week, user } => cx.ask(move |svc, a| {
                write_file(&path, &svc.print_weekly_reports(a, week, user)?)?;
                Ok(Done::Saved(shown(path, open)))
            }),
        };
    }

    /// Draws the dialog; returns true when it is done (sent or cancelled).
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) -> bool {
        if self.take_answer(cx) {
            return true;
        }
        let mut done = false;
        let title = match self.action {
            PdfAction::Print { .. } | PdfAction::VisitPlan { .. } | PdfAction::WeeklyReports { .. } => {
                format!("打印 {}", self.label)
            }
            PdfAction::Issue { .. } => format!("用印发出 {}", self.label),
        };
        egui::Modal::new(egui::Id::unique("pdf_dialog")).show(ui.ctx(), |ui| {
            ui.set_width(520.0);
            ui.heading(title);
            match self.action {
                PdfAction::Print { .. } => {
                    ui.label(RichText::new("未用印发出的版本打印为草稿（带“草稿”水印，不盖章）；已发出的版本打印出与发出时完全相同的文件。").color(MUTED));
                }
                PdfAction::VisitPlan { .. } => {
                    ui.label(RichText::new("每位销售员一节，重点拜访在前；内容与“下周拜访计划”页相同。").color(MUTED));
                }
                PdfAction::WeeklyReports { .. } => {
                    ui.label(RichText::new("每份周报从新的一页开始：拜访、询价、报价、逾期、小结、下周重点与计划。").color(MUTED));
                }
                PdfAction::Issue { .. } => {
                    ui.label("用印发出将：");
                    ui.label("· 在报价单上加盖公司印章（无印章图片时留“盖章处”）");
                    ui.label("· 记入发文登记（文件的 SHA-256、经办人、时间、份数）");
                    ui.label("· 报价状态变为“已发出”；同一版本再次发出为重印，文件完全相同");
                    ui.add_space(4.0);
                    ui.horizontal(|ui| {
                        let l = ui.label("份数");
                        ui.add(egui::DragValue::new(&mut self.copies).range(1..=99)).labelled_by(l.id);
                    });
                }
            }
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                let l = ui.label("保存到");
                ui.add(egui::TextEdit::singleline(&mut self.path).desired_width(360.0)).labelled_by(l.id);
                if ui.button("选择…").clicked() {
                    let current = PathBuf::from(self.path.trim());
                    let name = current.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    let mut dialog = rfd::FileDialog::new().add_filter("PDF", &["pdf"]).set_file_name(name);
                    if let Some(dir) = current.parent().filter(|d| d.is_dir()) {
                        dialog = dialog.set_directory(dir);
                    }
                    // Without a desktop portal there is no dialog: the path field stays the way in.
                    if let Some(p) = dialog.save_file() {
                        self.path = p.display().to_string();
                    }
                }
            });
            if let Some(e) = &self.error {
                ui.label(RichText::new(e).color(ERROR_RED));
            }
            ui.checkbox(&mut self.open_after, "保存后用系统查看器打开");
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                let (text, fill) = match self.action {
                    PdfAction::Print { .. } | PdfAction::VisitPlan { .. } | PdfAction::WeeklyReports { .. } => {
                        ("保存 PDF", OK_GREEN)
                    }
                    PdfAction::Issue { .. } => ("确认用印发出", ERROR_RED),
                };
                let ok = egui::Button::new(RichText::new(text).color(egui::Color32::WHITE)).fill(fill);
                let writing = self.writing.is_waiting();
                if ui.add_enabled(!writing, ok).clicked() {
                    match self.checked_path() {
                        Ok(path) => {
                            self.error = None;
                            self.write(cx, path);
                        }
                        Err(e) => self.error = Some(e),
                    }
                }
                if writing {
                    ui.add(egui::Spinner::new());
                }
                // Not while writing: the answer (an issued file's verification code) must be told.
                if ui.add_enabled(!writing, egui::Button::new("取消")).clicked() {
                    done = true;
                }
            });
        });
        done
    }

    /// The typed path, made a `.pdf` in an existing folder.
    fn checked_path(&self) -> Result<PathBuf, String> {
        let text = self.path.trim();
        if text.is_empty() {
            return Err("请填写保存位置和文件名".into());
        }
        let mut path = PathBuf::from(text);
        if path.extension().is_none_or(|e| !e.eq_ignore_ascii_case("pdf")) {
            path.set_extension("pdf");
        }
        match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() && !dir.is_dir() => {
                Err(format!("文件夹不存在：{}，请换一个位置", dir.display()))
            }
            _ => Ok(path),
        }
    }
}
