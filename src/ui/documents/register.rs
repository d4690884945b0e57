//! The issued-documents register (发文登记): every stamped PDF that left the office, with who
//! issued it, when, how many copies, its SHA-256 and verification code; open or save a file again;
//! and verify a file or a code from a paper copy (核验).

use chrono::{Local, NaiveDate};
use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::{Written, shown, written_toast};
use crate::domain::document::IssuedDocument;
use crate::service::Verification;
use crate::ui::panel::{Cx, Event, Panel};
use crate::ui::theme::{self, ERROR_RED, MUTED, OK_GREEN};
use crate::ui::worker::{Reply, read_file, temp_copy_path, write_file};

#[derive(Default)]
pub struct RegisterPanel {
    entries: Vec<IssuedDocument>,
    loaded: bool,
    loading: Reply<Vec<IssuedDocument>>,
    saving: Reply<Written>,
    verifying: Reply<Verification>,
    query: String,
    kind: KindFilter,
    from: String,
    to: String,
    selected: Option<i64>,
    code: String,
    verify_path: String,
    /// The last verification: (genuine, message).
    verdict: Option<(bool, String)>,
    /// "另存为" without a file dialog: the path is typed here.
    save_to: Option<(i64, String)>,
    /// The print preview of the selected entry's document (printing it records a reprint).
    preview: Option<super::PreviewWindow>,
}

#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum KindFilter {
    #[default]
    All,
    Quote,
    Bid,
    Contract,
}

fn date(text: &str) -> Result<Option<NaiveDate>, ()> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d").map(Some).map_err(|_| ())
}

impl RegisterPanel {
    fn visible(&self) -> Vec<&IssuedDocument> {
        let q = self.query.trim().to_lowercase();
        let from = date(&self.from).ok().flatten();
        let to = date(&self.to).ok().flatten();
        self.entries
            .iter()
            .filter(|e| match self.kind {
                KindFilter::All => true,
                KindFilter::Quote => e.contract.is_none() && e.kind == crate::domain::quote::QuoteKind::Quote,
                KindFilter::Bid => e.contract.is_none() && e.kind == crate::domain::quote::QuoteKind::Bid,
                KindFilter::Contract => e.contract.is_some(),
            })
            .filter(|e| {
                q.is_empty()
                    || e.number.to_lowercase().contains(&q)
                    || e.customer_name.to_lowercase().contains(&q)
                    || e.issued_by_name.to_lowercase().contains(&q)
                    || e.verify_code.to_lowercase().contains(&q)
            })
            .filter(|e| {
                let day = e.issued_at.with_timezone(&Local).date_naive();
                from.is_none_or(|f| day >= f) && to.is_none_or(|t| day <= t)
            })
            .collect()
    }

    fn reload(&mut self, cx: &Cx<'_>) {
        self.loading = cx.ask(|svc, a| svc.issued_documents(a));
    }
}

impl Panel for RegisterPanel {
    fn logic(&mut self, cx: &mut Cx<'_>) {
        match self.loading.take() {
            Some(Ok(entries)) => {
                self.entries = entries;
                self.loaded = true;
            }
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        if let Some(r) = self.saving.take() {
            written_toast(r, cx.toasts);
        }
        match self.verifying.take() {
            Some(Ok(v)) => self.verdict = Some((v.is_genuine(), v.message())),
            Some(Err(e)) => self.verdict = Some((false, e.to_string())),
            None => {}
        }
    }

    fn on_event(&mut self, event: &Event, _cx: &mut Cx<'_>) {
        // A document issued here or at another seat: read the register again when shown.
        if matches!(event, Event::QuoteChanged(_) | Event::OfficeChanged) {
            self.loaded = false;
        }
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if !self.loaded && !self.loading.is_waiting() {
            self.reload(cx);
        }
        theme::heading(
            ui,
            "发文登记",
            "所有用印发出的报价单与投标书：谁、何时、几份、送了哪台打印机、文件指纹与验证码。可再次打印（记为重印）、打开或另存，也可核验文件或纸质件上的验证码。",
        );
        self.verify_ui(ui, cx);
        ui.separator();
        self.filters_ui(ui, cx);
        let rows: Vec<IssuedDocument> = self.visible().into_iter().cloned().collect();
        if self.loaded && rows.is_empty() {
            let text = if self.entries.is_empty() {
                "还没有用印发出的文件。审批通过的报价在报价编制页点“用印发出…”即可发出并登记。"
            } else {
                "没有符合筛选条件的记录，请修改搜索或日期。"
            };
            ui.label(RichText::new(text).color(MUTED));
            return;
        }
        if !self.loaded {
            ui.add(egui::Spinner::new());
            return;
        }
        self.table_ui(ui, &rows);
        self.selected_ui(ui, cx, &rows);
    }
}

impl RegisterPanel {
    fn filters_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        ui.horizontal_wrapped(|ui| {
            let l = ui.label("搜索");
            ui.add(
                egui::TextEdit::singleline(&mut self.query)
                    .hint_text("编号、客户、经办人或验证码")
                    .desired_width(220.0),
            )
            .labelled_by(l.id);
            for (k, text) in [
                (KindFilter::All, "全部"),
                (KindFilter::Quote, "报价单"),
                (KindFilter::Bid, "投标书"),
                (KindFilter::Contract, "销售合同"),
            ] {
                ui.selectable_value(&mut self.kind, k, text);
            }
            for (label, value) in [("从", &mut self.from), ("至", &mut self.to)] {
                let l = ui.label(label);
                let bad = date(value).is_err();
                let edit = egui::TextEdit::singleline(value).hint_text("YYYY-MM-DD").desired_width(96.0);
                let r = ui.add(edit).labelled_by(l.id);
                if bad {
                    r.on_hover_text("日期格式：2026-11-27");
                    ui.label(RichText::new("日期格式如 2026-11-27").color(ERROR_RED).small());
                }
            }
            if ui.add_enabled(!self.loading.is_waiting(), egui::Button::new("刷新")).clicked() {
                self.reload(cx);
            }
            let shown = self.visible().len();
            ui.label(RichText::new(format!("{shown} / {} 条", self.entries.len())).color(MUTED));
        });
    }

    fn table_ui(&mut self, ui: &mut Ui, rows: &[IssuedDocument]) {
        let mut clicked = None;
        ui.style_mut().interaction.selectable_labels = false;
        // Room below for the selected entry's details and buttons (about 230 points), on a
        // 768-pixel screen too.
        let height = (ui.available_height() - 250.0).clamp(120.0, 360.0);
        // On a small screen the columns narrow so 验证码 stays in sight.
        let narrow = crate::ui::widgets::narrow_list(ui);
        TableBuilder::new(ui)
            .id_salt(("register_table", narrow))
            .striped(true)
            .sense(egui::Sense::click())
            .max_scroll_height(height)
            .column(Column::exact(if narrow { 112.0 } else { 130.0 }))
            .column(Column::exact(if narrow { 120.0 } else { 150.0 }).clip(true))
            .column(Column::remainder().at_least(if narrow { 100.0 } else { 180.0 }).clip(true))
            .column(Column::exact(70.0))
            .column(Column::exact(50.0))
            .column(Column::exact(if narrow { 120.0 } else { 130.0 }))
            .header(24.0, |mut h| {
                for t in ["发出时间", "编号", "客户", "经办人", "份数", "验证码"] {
                    h.col(|ui| {
                        ui.strong(t);
                    });
                }
            })
            .body(|body| {
                body.rows(24.0, rows.len(), |mut row| {
                    let e = &rows[row.index()];
                    row.set_selected(self.selected == Some(e.id));
                    row.col(|ui| {
                        ui.label(e.issued_at.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string());
                    });
                    row.col(|ui| {
                        ui.label(e.label());
                        if e.reprint {
                            theme::badge(ui, "重印", MUTED);
                        }
                    });
                    row.col(|ui| {
                        ui.label(&e.customer_name);
                    });
                    row.col(|ui| {
                        ui.label(&e.issued_by_name);
                    });
                    row.col(|ui| {
                        ui.label(e.copies.to_string());
                    });
                    row.col(|ui| {
                        ui.label(RichText::new(&e.verify_code).monospace());
                    });
                    if row.response().clicked() {
                        clicked = Some(e.id);
                    }
                });
            });
        if clicked.is_some() {
            self.selected = clicked;
        }
    }

    fn selected_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, rows: &[IssuedDocument]) {
        let Some(e) = self.selected.and_then(|id| rows.iter().find(|e| e.id == id)) else {
            ui.label(RichText::new("点一行查看文件指纹和打印记录，再次打印、打开或另存。").color(MUTED));
            return;
        };
        ui.separator();
        egui::Grid::new("register_detail").num_columns(2).spacing([12.0, 4.0]).show(ui, |ui| {
            let mut row = |k: &str, v: String| {
                ui.label(RichText::new(k).color(MUTED));
                ui.label(v);
                ui.end_row();
            };
            row("文件", format!("{}（{}）", e.file_name, e.doc_title()));
            row("SHA-256", e.sha256.clone());
            row("验证码", e.verify_code.clone());
            row(
                "经办人",
                format!("{} · {}", e.issued_by_name, e.issued_at.with_timezone(&Local).format("%Y-%m-%d %H:%M:%S")),
            );
            row(
                "性质",
                if e.reprint {
                    "重印（与首次发出的文件完全相同）".into()
                } else {
                    "首次发出".into()
                },
            );
            let sent = if e.prints.is_empty() {
                "未经本程序送打印机".to_string()
            } else {
                e.prints.iter().map(|p| p.summary()).collect::<Vec<_>>().join("\n")
            };
            row("打印", sent);
        });
        let entry = e.id;
        let name =
            if e.file_name.is_empty() { format!("{}_V{}.pdf", e.number, e.revision) } else { e.file_name.clone() };
        let label = e.label();
        let what = match e.contract {
            Some(c) => crate::service::Printable::Contract(c),
            None => crate::service::Printable::Quote { id: e.quote, revision: Some(e.revision) },
        };
        ui.horizontal(|ui| {
            if cx.actor.may(crate::domain::role::Permission::IssueDocument)
                && ui.button("打印…").on_hover_text("预览并再次打印这份盖章文件（记为重印）").clicked()
            {
                let what = what.clone();
                self.preview = Some(super::PreviewWindow::open(what, label.clone(), 1, cx));
            }
            if ui.add_enabled(!self.saving.is_waiting(), egui::Button::new("打开")).clicked() {
                self.saving = cx.ask(move |svc, a| {
                    let (e, bytes) = svc.issued_file(a, entry)?;
                    let name =
                        if e.file_name.is_empty() { format!("{}_V{}.pdf", e.number, e.revision) } else { e.file_name };
                    let path = temp_copy_path(&name)?;
                    write_file(&path, &bytes)?;
                    Ok(shown(path, true))
                });
            }
            if ui.add_enabled(!self.saving.is_waiting(), egui::Button::new("另存为…")).clicked() {
                match rfd::FileDialog::new().add_filter("PDF", &["pdf"]).set_file_name(&name).save_file() {
                    Some(path) => self.saving = save_issued(cx, entry, path),
                    None => self.save_to = Some((entry, name.clone())),
                }
            }
        });
        let mut close = false;
        if let Some((entry, path)) = &mut self.save_to {
            ui.horizontal(|ui| {
                let l = ui.label("保存到");
                ui.add(egui::TextEdit::singleline(path).desired_width(320.0)).labelled_by(l.id);
                if ui.add_enabled(!path.trim().is_empty(), egui::Button::new("保存")).clicked() {
                    let path = std::path::PathBuf::from(path.trim());
                    self.saving = save_issued(cx, *entry, path);
                    close = true;
                }
                if ui.button("取消").clicked() {
                    close = true;
                }
            });
        }
        if close {
            self.save_to = None;
        }
        if let Some(p) = &mut self.preview
            && p.ui(ui, cx)
        {
            self.preview = None;
        }
    }

    fn verify_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        ui.label(RichText::new("核验").strong());
        ui.horizontal_wrapped(|ui| {
            let l = ui.label("验证码");
            ui.add(egui::TextEdit::singleline(&mut self.code).hint_text("如 7KQ2-M9XA-3FDV").desired_width(150.0))
                .labelled_by(l.id);
            let idle = !self.verifying.is_waiting();
            if ui.add_enabled(idle && !self.code.trim().is_empty(), egui::Button::new("查验证码")).clicked() {
                let code = self.code.clone();
                self.verifying = cx.ask(move |svc, _| svc.verify_code(&code));
            }
            ui.separator();
            let l = ui.label("PDF 文件");
            ui.add(egui::TextEdit::singleline(&mut self.verify_path).hint_text("文件路径").desired_width(240.0))
                .labelled_by(l.id);
            if ui.button("选择…").clicked()
                && let Some(p) = rfd::FileDialog::new().add_filter("PDF", &["pdf"]).pick_file()
            {
                self.verify_path = p.display().to_string();
            }
            let idle = !self.verifying.is_waiting();
            if ui.add_enabled(idle && !self.verify_path.trim().is_empty(), egui::Button::new("核验文件")).clicked()
            {
                let path = std::path::PathBuf::from(self.verify_path.trim());
                self.verifying = cx.ask(move |svc, _| svc.verify_pdf(&read_file(&path)?));
            }
        });
        if let Some((ok, message)) = &self.verdict {
            let color = if *ok { OK_GREEN } else { ERROR_RED };
            ui.label(RichText::new(message).color(color).strong());
        }
    }
}

/// A register entry's file, saved to `path`.
fn save_issued(cx: &Cx<'_>, entry: i64, path: std::path::PathBuf) -> Reply<Written> {
    cx.ask(move |svc, a| {
        let (_, bytes) = svc.issued_file(a, entry)?;
        write_file(&path, &bytes).map(|()| shown(path, false))
    })
}
