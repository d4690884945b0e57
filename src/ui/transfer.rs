//! The import dialog (导入: choose a file → preview adds, changes and rejects → confirm) and the
//! export dialog, shared by the price table and the customer archive.

use std::path::PathBuf;

use chrono::NaiveDate;
use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::legacy::Request;
use super::panel::Cx;
use super::widgets::{self, Toasts};
use crate::domain::money::Money;
use crate::domain::product::ProductDraft;
use crate::io::Reject;
use crate::service::{ImportPreview, ImportReport, ImportedCustomer, ServiceError};

/// What is imported or exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferKind {
    Prices,
    Customers,
}

impl TransferKind {
    fn label(self) -> &'static str {
        match self {
            TransferKind::Prices => "价格表",
            TransferKind::Customers => "客户",
        }
    }
}

/// A preview of either kind, as the worker returns it.
#[derive(Debug, Clone)]
pub enum Preview {
    Prices(ImportPreview<ProductDraft>),
    Customers(ImportPreview<ImportedCustomer>),
}

impl Preview {
    fn counts(&self) -> (usize, usize, usize, usize) {
        match self {
            Preview::Prices(p) => (p.adds.len(), p.changes.len(), p.unchanged, p.rejects.len()),
            Preview::Customers(p) => (p.adds.len(), p.changes.len(), p.unchanged, p.rejects.len()),
        }
    }
    fn rejects(&self) -> &[Reject] {
        match self {
            Preview::Prices(p) => &p.rejects,
            Preview::Customers(p) => &p.rejects,
        }
    }
    pub fn rejects_csv(&self) -> Vec<u8> {
        match self {
            Preview::Prices(p) => p.rejects_csv(),
            Preview::Customers(p) => p.rejects_csv(),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Adds,
    Changes,
    Rejects,
}

pub struct ImportDialog {
    pub kind: TransferKind,
    path: String,
    preview: Option<Preview>,
    error: Option<String>,
    tab: Tab,
    effective: String,
    effective_error: Option<String>,
    rejects_path: String,
    pub done: bool,
}

impl ImportDialog {
    pub fn new(kind: TransferKind, today: NaiveDate) -> Self {
        ImportDialog {
            kind,
            path: String::new(),
            preview: None,
            error: None,
            tab: Tab::Adds,
            effective: today.to_string(),
            effective_error: None,
            rejects_path: String::new(),
            done: false,
        }
    }

    pub fn previewed(&mut self, r: Result<Preview, ServiceError>) {
        match r {
            Ok(p) => {
                let (adds, changes, _, rejects) = p.counts();
                self.tab = if rejects > 0 {
                    Tab::Rejects
                } else if adds == 0 && changes > 0 {
                    Tab::Changes
                } else {
                    Tab::Adds
                };
                self.error = None;
                self.preview = Some(p);
            }
            Err(e) => {
                self.preview = None;
                self.error = Some(e.to_string());
            }
        }
    }

    pub fn imported(&mut self, r: Result<ImportReport, ServiceError>, toasts: &mut Toasts) -> bool {
        match r {
            Ok(rep) => {
                let skipped =
                    if rep.skipped > 0 { format!("，跳过有问题的 {} 行", rep.skipped) } else { String::new() };
                toasts.success(format!("导入完成：新增 {} 条，修改 {} 条{skipped}。", rep.added, rep.changed));
                self.done = true;
                true
            }
            Err(e) => {
                self.error = Some(e.to_string());
                toasts.error(e.to_string());
                false
            }
        }
    }

    /// Draws the dialog; returns false when it was closed.
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) -> bool {
        let mut open = true;
        let title = format!("导入{}", self.kind.label());
        let modal = egui::Modal::new(egui::Id::unique(("import", self.kind.label()))).show(ui.ctx(), |ui| {
            ui.set_width(860.0);
            ui.heading(&title);
            ui.label(
                RichText::new("支持 Excel（.xlsx）和 CSV（UTF-8 或 GBK）。表头按列名识别，标题行可在表头之上。导入前会先预览，确认后才写入。")
                    .small()
                    .color(widgets::MUTED),
            );
            self.file_ui(ui, cx);
            if let Some(e) = &self.error {
                ui.label(RichText::new(e).color(widgets::ERROR_RED));
            }
            if self.preview.is_some() {
                self.preview_ui(ui);
                self.actions_ui(ui, cx, &mut open);
            } else if ui.button("取消").clicked() {
                open = false;
            }
        });
        if modal.should_close() {
            open = false;
        }
        open && !self.done
    }

    fn file_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        ui.horizontal(|ui| {
            let l = ui.label("文件");
            ui.add(egui::TextEdit::singleline(&mut self.path).desired_width(480.0).hint_text("文件路径"))
                .labelled_by(l.id);
            if ui.button("选择文件…").clicked()
                && let Some(p) = rfd::FileDialog::new().add_filter("表格", &["xlsx", "xls", "csv", "txt"]).pick_file()
            {
                self.path = p.display().to_string();
            }
            let ready = !self.path.trim().is_empty() && !cx.busy;
            if ui.add_enabled(ready, egui::Button::new("读取并预览")).clicked() {
                self.preview = None;
                cx.send(Request::PreviewImport { kind: self.kind, path: PathBuf::from(self.path.trim()) });
            }
        });
    }

    fn preview_ui(&mut self, ui: &mut Ui) {
        let Some(p) = &self.preview else { return };
        let (adds, changes, unchanged, rejects) = p.counts();
        ui.separator();
        ui.horizontal(|ui| {
            widgets::badge(ui, &format!("新增 {adds}"), widgets::OK_GREEN);
            widgets::badge(ui, &format!("修改 {changes}"), egui::Color32::from_rgb(0x2E, 0x86, 0xC1));
            widgets::badge(ui, &format!("不变 {unchanged}"), widgets::MUTED);
            widgets::badge(
                ui,
                &format!("有问题 {rejects}"),
                if rejects > 0 { widgets::ERROR_RED } else { widgets::MUTED },
            );
        });
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.tab, Tab::Adds, format!("新增（{adds}）"));
            ui.selectable_value(&mut self.tab, Tab::Changes, format!("修改（{changes}）"));
            ui.selectable_value(&mut self.tab, Tab::Rejects, format!("有问题（{rejects}）"));
        });
        let (headers, rows) = preview_rows(p, self.tab);
        preview_table(ui, &headers, &rows);
    }

    fn actions_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, open: &mut bool) {
        let Some(p) = &self.preview else { return };
        let (adds, changes, _, rejects) = p.counts();
        if self.kind == TransferKind::Prices {
            ui.horizontal(|ui| {
                let l = ui.label("新价格生效日期");
                ui.add(egui::TextEdit::singleline(&mut self.effective).desired_width(110.0)).labelled_by(l.id);
                ui.label(
                    RichText::new("导入将生成新的价格表版本；已有报价仍使用原版本。").small().color(widgets::MUTED),
                );
            });
            if let Some(e) = &self.effective_error {
                ui.label(RichText::new(e).color(widgets::ERROR_RED).small());
            }
        }
        if rejects > 0 {
            ui.label(RichText::new(format!("有 {rejects} 行有问题。您可以不导入，修正后重来；也可以只导入没有问题的行，并把问题行另存为 CSV 修改后再导入。")).color(widgets::ERROR_RED));
            ui.horizontal(|ui| {
                let l = ui.label("问题行另存为");
                ui.add(
                    egui::TextEdit::singleline(&mut self.rejects_path)
                        .desired_width(380.0)
                        .hint_text("例如 D:\\问题行.csv"),
                )
                .labelled_by(l.id);
                if ui.button("选择位置…").clicked()
                    && let Some(path) = rfd::FileDialog::new().set_file_name("导入问题行.csv").save_file()
                {
                    self.rejects_path = path.display().to_string();
                }
                if ui.add_enabled(!self.rejects_path.trim().is_empty(), egui::Button::new("保存问题行")).clicked()
                {
                    cx.send(Request::WriteFile {
                        path: PathBuf::from(self.rejects_path.trim()),
                        bytes: p.rejects_csv(),
                    });
                }
            });
        }
        ui.horizontal(|ui| {
            let nothing = adds + changes == 0;
            let label = if rejects > 0 { "只导入没有问题的行" } else { "确认导入" };
            if ui.add_enabled(!nothing && !cx.busy, egui::Button::new(label)).clicked() {
                match NaiveDate::parse_from_str(self.effective.trim(), "%Y-%m-%d") {
                    Ok(effective) => {
                        self.effective_error = None;
                        cx.send(Request::ApplyImport { preview: p.clone(), effective, accept_rejects: rejects > 0 });
                    }
                    Err(_) => self.effective_error = Some("日期格式应为 2026-12-01".into()),
                }
            }
            if ui.button(if rejects > 0 { "不导入" } else { "取消" }).clicked() {
                *open = false;
            }
            if nothing {
                ui.label(RichText::new("没有需要导入的新内容。").color(widgets::MUTED));
            }
        });
    }
}

fn money(m: &Money) -> String {
    m.to_string()
}

fn floor(m: &Option<Money>) -> String {
    m.as_ref().map(money).unwrap_or_default()
}

/// Column headers and cells of the chosen tab.
fn preview_rows(p: &Preview, tab: Tab) -> (Vec<&'static str>, Vec<Vec<String>>) {
    if tab == Tab::Rejects {
        let rows = p.rejects().iter().map(|r| vec![r.row.to_string(), r.column.clone(), r.reason.clone()]).collect();
        return (vec!["行号", "列", "问题"], rows);
    }
    match (p, tab) {
        (Preview::Prices(p), Tab::Adds) => (
            vec!["行号", "产品编码", "产品名称", "型号规格", "单位", "含税单价", "最低限价", "税率"],
            p.adds
                .iter()
                .map(|r| {
                    let d = &r.value;
                    vec![
                        r.row.to_string(),
                        d.code.clone(),
                        d.name.clone(),
                        d.model.clone(),
                        d.unit.clone(),
                        money(&d.list_price),
                        floor(&d.floor_price),
                        d.tax_rate.to_string(),
                    ]
                })
                .collect(),
        ),
        (Preview::Prices(p), _) => (
            vec!["行号", "产品编码", "产品名称", "变更项", "原含税单价", "新含税单价", "原最低限价", "新最低限价"],
            p.changes
                .iter()
                .map(|c| {
                    vec![
                        c.row.to_string(),
                        c.after.code.clone(),
                        c.after.name.clone(),
                        c.fields.join("、"),
                        money(&c.before.list_price),
                        money(&c.after.list_price),
                        floor(&c.before.floor_price),
                        floor(&c.after.floor_price),
                    ]
                })
                .collect(),
        ),
        (Preview::Customers(p), Tab::Adds) => (
            vec!["行号", "客户名称", "等级", "地区", "联系人", "负责人"],
            p.adds
                .iter()
                .map(|r| {
                    let d = &r.value.draft;
                    let contacts: Vec<&str> = d.contacts.iter().map(|c| c.name.as_str()).collect();
                    vec![
                        r.row.to_string(),
                        d.name.clone(),
                        d.grade.code().into(),
                        format!("{} {}", d.province, d.city),
                        contacts.join("、"),
                        r.value.owner_name.clone(),
                    ]
                })
                .collect(),
        ),
        (Preview::Customers(p), _) => (
            vec!["行号", "客户名称", "变更项", "负责人"],
            p.changes
                .iter()
                .map(|c| {
                    vec![c.row.to_string(), c.after.draft.name.clone(), c.fields.join("、"), c.after.owner_name.clone()]
                })
                .collect(),
        ),
    }
}

fn preview_table(ui: &mut Ui, headers: &[&str], rows: &[Vec<String>]) {
    if rows.is_empty() {
        ui.label(RichText::new("（无）").color(widgets::MUTED));
        return;
    }
    let mut t = TableBuilder::new(ui).striped(true).max_scroll_height(320.0).column(Column::exact(50.0));
    for _ in 2..headers.len() {
        t = t.column(Column::initial(96.0).at_least(60.0).clip(true).resizable(true));
    }
    // The last column (the reason, the price) takes the rest of the dialog's width.
    t = t.column(Column::remainder().at_least(160.0).clip(true));
    t.header(22.0, |mut h| {
        for title in headers {
            h.col(|ui| {
                ui.strong(*title);
            });
        }
    })
    .body(|body| {
        body.rows(22.0, rows.len(), |mut row| {
            for cell in &rows[row.index()] {
                row.col(|ui| {
                    ui.label(cell);
                });
            }
        });
    });
}

/// Export: choose a file name (.xlsx or .csv) and write.
pub struct ExportDialog {
    pub kind: TransferKind,
    path: String,
}

impl ExportDialog {
    pub fn new(kind: TransferKind, today: NaiveDate) -> Self {
        let name = format!("{}-{}.xlsx", kind.label(), today.format("%Y%m%d"));
        ExportDialog { kind, path: name }
    }

    /// Returns false when closed.
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) -> bool {
        let mut open = true;
        let modal = egui::Modal::new(egui::Id::unique(("export", self.kind.label()))).show(ui.ctx(), |ui| {
            ui.set_width(560.0);
            ui.heading(format!("导出{}", self.kind.label()));
            ui.label(
                RichText::new("文件名以 .xlsx 结尾导出为 Excel，以 .csv 结尾导出为 CSV。导出会记入审计日志。")
                    .small()
                    .color(widgets::MUTED),
            );
            ui.horizontal(|ui| {
                let l = ui.label("保存到");
                ui.add(egui::TextEdit::singleline(&mut self.path).desired_width(380.0)).labelled_by(l.id);
                if ui.button("选择位置…").clicked()
                    && let Some(p) = rfd::FileDialog::new().set_file_name(self.path.clone()).save_file()
                {
                    self.path = p.display().to_string();
                }
            });
            ui.horizontal(|ui| {
                if ui.add_enabled(!self.path.trim().is_empty() && !cx.busy, egui::Button::new("导出")).clicked() {
                    cx.send(Request::Export { kind: self.kind, path: PathBuf::from(self.path.trim()) });
                    open = false;
                }
                if ui.button("取消").clicked() {
                    open = false;
                }
            });
        });
        if modal.should_close() {
            open = false;
        }
        open
    }
}
