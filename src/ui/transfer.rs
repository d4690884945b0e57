//! The import dialog (导入: choose a file → preview adds, changes and rejects → confirm) and the
//! export dialog, shared by the price table and the customer archive.

use std::path::PathBuf;

use chrono::NaiveDate;
use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::panel::{Cx, Event};
use super::theme::{self, ERROR_RED, MUTED};
use super::widgets::field_error;
use super::worker::{Reply, Res, file_name, read_file, write_file};
use crate::domain::money::Money;
use crate::domain::product::ProductDraft;
use crate::io::Reject;
use crate::service::{ExportFormat, ImportPreview, ImportReport, ImportedCustomer, Service};

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
    previewing: Reply<Preview>,
    importing: Reply<ImportReport>,
    saving_rejects: Reply<PathBuf>,
    /// The empty template written for the user to fill in.
    saving_template: Reply<PathBuf>,
}

impl TransferKind {
    /// The columns the import reads, in order.
    fn columns(self) -> &'static [crate::io::ColumnSpec] {
        match self {
            TransferKind::Prices => crate::io::PRICE_COLUMNS,
            TransferKind::Customers => crate::io::CUSTOMER_COLUMNS,
        }
    }
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
            previewing: Reply::default(),
            importing: Reply::default(),
            saving_rejects: Reply::default(),
            saving_template: Reply::default(),
        }
    }

    /// The columns the import reads (required ones marked) and an empty template to start from.
    fn columns_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let columns = self.kind.columns();
        let names: Vec<String> = columns
            .iter()
            .map(|c| if c.required { format!("{}（必填）", c.name()) } else { c.name().to_string() })
            .collect();
        ui.add(egui::Label::new(RichText::new(format!("读取的列：{}", names.join("、"))).small()).wrap());
        if self.kind == TransferKind::Customers {
            ui.label(
                RichText::new(
                    "“负责人”填登录名或姓名，“公海”放入公海；已有客户的负责人只在销售部负责人导入时改变，留空不变。",
                )
                .small()
                .color(MUTED),
            );
        }
        let busy = self.saving_template.is_waiting();
        if ui.add_enabled(!busy, egui::Button::new("下载导入模板（xlsx）").small()).clicked() {
            let kind = self.kind;
            let path = crate::ui::documents::salesdesk_folder().join(format!("{}导入模板.xlsx", kind.label()));
            self.saving_template = cx.ask(move |_svc, _a| {
                let bytes = crate::io::template_xlsx(kind.label(), kind.columns())
                    .map_err(|e| crate::service::ServiceError::rule("export.xlsx_failed", e.to_string()))?;
                crate::ui::worker::write_file(&path, &bytes).map(|()| path)
            });
        }
    }

    /// Takes in the answers; returns true once the import is done (the dialog closes).
    pub fn logic(&mut self, cx: &mut Cx<'_>) -> bool {
        match self.saving_template.take() {
            Some(Ok(path)) => cx.toasts.success(format!("导入模板已保存到 {}", path.display())),
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        match self.previewing.take() {
            Some(Ok(p)) => {
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
            Some(Err(e)) => {
                self.preview = None;
                self.error = Some(e.to_string());
            }
            None => {}
        }
        match self.saving_rejects.take() {
            Some(Ok(path)) => cx.toasts.success(format!("已保存到 {}", path.display())),
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        match self.importing.take() {
            Some(Ok(rep)) => {
                let skipped =
                    if rep.skipped > 0 { format!("，跳过有问题的 {} 行", rep.skipped) } else { String::new() };
                cx.toasts.success(format!("导入完成：新增 {} 条，修改 {} 条{skipped}。", rep.added, rep.changed));
                cx.emit(match self.kind {
                    TransferKind::Prices => Event::PricesChanged,
                    TransferKind::Customers => Event::CustomersChanged,
                });
                true
            }
            Some(Err(e)) => {
                self.error = Some(e.to_string());
                cx.toasts.error(e.to_string());
                false
            }
            None => false,
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
                    .color(MUTED),
            );
            self.columns_ui(ui, cx);
            self.file_ui(ui, cx);
            if let Some(e) = &self.error {
                ui.label(RichText::new(e).color(ERROR_RED));
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
        open
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
            let ready = !self.path.trim().is_empty() && !self.previewing.is_waiting();
            if ui.add_enabled(ready, egui::Button::new("读取并预览")).clicked() {
                self.preview = None;
                let (kind, path) = (self.kind, PathBuf::from(self.path.trim()));
                self.previewing = cx.ask(move |svc, a| preview_import(svc, a, kind, &path));
            }
        });
    }

    fn preview_ui(&mut self, ui: &mut Ui) {
        let Some(p) = &self.preview else { return };
        let (adds, changes, unchanged, rejects) = p.counts();
        ui.separator();
        ui.horizontal(|ui| {
            theme::badge(ui, &format!("新增 {adds}"), theme::OK_GREEN);
            theme::badge(ui, &format!("修改 {changes}"), theme::TENDER_BLUE);
            theme::badge(ui, &format!("不变 {unchanged}"), MUTED);
            theme::badge(ui, &format!("有问题 {rejects}"), if rejects > 0 { ERROR_RED } else { MUTED });
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
                ui.label(RichText::new("导入将生成新的价格表版本；已有报价仍使用原版本。").small().color(MUTED));
            });
            field_error(ui, self.effective_error.as_deref());
        }
        if rejects > 0 {
            ui.label(RichText::new(format!("有 {rejects} 行有问题。您可以不导入，修正后重来；也可以只导入没有问题的行，并把问题行另存为 CSV 修改后再导入。")).color(ERROR_RED));
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
                    let (path, bytes) = (PathBuf::from(self.rejects_path.trim()), p.rejects_csv());
                    self.saving_rejects = cx.ask(move |_, _| write_file(&path, &bytes).map(|()| path));
                }
            });
        }
        ui.horizontal(|ui| {
            let nothing = adds + changes == 0;
            let label = if rejects > 0 { "只导入没有问题的行" } else { "确认导入" };
            if ui.add_enabled(!nothing && !self.importing.is_waiting(), egui::Button::new(label)).clicked() {
                match NaiveDate::parse_from_str(self.effective.trim(), "%Y-%m-%d") {
                    Ok(effective) => {
                        self.effective_error = None;
                        let (preview, accept) = (p.clone(), rejects > 0);
                        self.importing = cx.ask(move |svc, a| match preview {
                            Preview::Prices(p) => svc.apply_price_import(a, &p, effective, accept),
                            Preview::Customers(p) => svc.apply_customer_import(a, &p, accept),
                        });
                    }
                    Err(_) => self.effective_error = Some("日期格式应为 2026-12-01".into()),
                }
            }
            if ui.button(if rejects > 0 { "不导入" } else { "取消" }).clicked() {
                *open = false;
            }
            if nothing {
                ui.label(RichText::new("没有需要导入的新内容。").color(MUTED));
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
        ui.label(RichText::new("（无）").color(MUTED));
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
    error: Option<String>,
    exporting: Reply<PathBuf>,
}

impl ExportDialog {
    pub fn new(kind: TransferKind, today: NaiveDate) -> Self {
        let name = format!("{}-{}.xlsx", kind.label(), today.format("%Y%m%d"));
        ExportDialog { kind, path: name, error: None, exporting: Reply::default() }
    }

    /// Takes in the answer; returns true once the file is written (the dialog closes).
    pub fn logic(&mut self, cx: &mut Cx<'_>) -> bool {
        match self.exporting.take() {
            Some(Ok(path)) => {
                cx.toasts.success(format!("已保存到 {}", path.display()));
                true
            }
            Some(Err(e)) => {
                // The dialog stays with the path as typed: choose another place and try again.
                self.error = Some(e.to_string());
                false
            }
            None => false,
        }
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
                    .color(MUTED),
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
            if let Some(e) = &self.error {
                ui.label(RichText::new(e).color(ERROR_RED));
            }
            ui.horizontal(|ui| {
                let ready = !self.path.trim().is_empty() && !self.exporting.is_waiting();
                if ui.add_enabled(ready, egui::Button::new("导出")).clicked() {
                    self.error = None;
                    let (kind, path) = (self.kind, PathBuf::from(self.path.trim()));
                    self.exporting = cx.ask(move |svc, a| export(svc, a, kind, &path).map(|()| path));
                }
                if self.exporting.is_waiting() {
                    ui.add(egui::Spinner::new());
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

/// Reads the chosen file (here, on the worker) and previews what importing it would change.
fn preview_import(
    svc: &mut Service,
    a: &crate::service::Actor,
    kind: TransferKind,
    path: &std::path::Path,
) -> Res<Preview> {
    let bytes = read_file(path)?;
    let name = file_name(path);
    Ok(match kind {
        TransferKind::Prices => Preview::Prices(svc.preview_price_import(a, &bytes, &name)?),
        TransferKind::Customers => Preview::Customers(svc.preview_customer_import(a, &bytes, &name)?),
    })
}

/// Writes the price table or the customer list to `path` (.xlsx or .csv by its name).
fn export(svc: &mut Service, a: &crate::service::Actor, kind: TransferKind, path: &std::path::Path) -> Res<()> {
    let format = ExportFormat::from_file_name(&path.to_string_lossy())?;
    let bytes = match kind {
        TransferKind::Prices => svc.export_price_table(a, None, format)?,
        TransferKind::Customers => svc.export_customers(a, format)?,
    };
    write_file(path, &bytes)
}
