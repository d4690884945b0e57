//! 价格表: the products of one dated version, searchable by code, model, name and pinyin; the
//! product form (prices for head/admin, technical parameters for the tech department); import and
//! export.

use chrono::NaiveDate;
use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::domain::company::FieldError;
use crate::domain::ids::{PriceVersionId, ProductId};
use crate::domain::money::{Money, TaxRate};
use crate::domain::product::{Product, ProductDraft, UNITS, format_tech_params, parse_tech_params};
use crate::domain::role::Permission;
use crate::domain::search::SearchIndex;
use crate::service::{PriceTable, product_searchable};
use crate::ui::panel::{Cx, Event, Panel};
use crate::ui::theme::{self, MUTED, OK_GREEN};
use crate::ui::transfer::{ExportDialog, ImportDialog, TransferKind};
use crate::ui::widgets::{FormErrors, text_area, text_field};
use crate::ui::worker::Reply;

/// The product form, as typed.
struct ProductForm {
    id: Option<ProductId>,
    row_version: i64,
    stored: Option<ProductDraft>,
    code: String,
    name: String,
    model: String,
    unit: String,
    category: String,
    list: String,
    floor: String,
    tax: String,
    params: String,
    active: bool,
    effective: String,
    errors: FormErrors,
}

impl ProductForm {
    fn new(p: Option<&Product>, today: NaiveDate) -> Self {
        let d = p.map(|p| p.draft.clone()).unwrap_or_default();
        ProductForm {
            id: p.map(|p| p.id),
            row_version: p.map(|p| p.version).unwrap_or(0),
            stored: p.map(|p| p.draft.clone()),
            code: d.code.clone(),
            name: d.name.clone(),
            model: d.model.clone(),
            unit: d.unit.clone(),
            category: d.category.clone(),
            list: if p.is_some() { d.list_price.to_plain_string() } else { String::new() },
            floor: d.floor_price.map(|f| f.to_plain_string()).unwrap_or_default(),
            tax: d.tax_rate.to_string(),
            params: format_tech_params(&d.params).replace("; ", "\n"),
            active: d.active,
            effective: today.to_string(),
            errors: FormErrors::default(),
        }
    }

    fn err(&self, f: &str) -> Option<String> {
        self.errors.field(f).map(str::to_string)
    }

    /// Parses the form; every unparsable field gets its message.
    fn draft(&mut self) -> Option<(ProductDraft, NaiveDate)> {
        let mut errors = Vec::new();
        let list = Money::parse(&self.list).map_err(|e| errors.push(FieldError::new("list_price", e.to_string()))).ok();
        let floor = if self.floor.trim().is_empty() {
            None
        } else {
            Money::parse(&self.floor).map_err(|e| errors.push(FieldError::new("floor_price", e.to_string()))).ok()
        };
        let tax = TaxRate::parse(&self.tax).map_err(|e| errors.push(FieldError::new("tax", e.to_string()))).ok();
        let params = parse_tech_params(&self.params).map_err(|e| errors.push(FieldError::new("params", e))).ok();
        let effective = NaiveDate::parse_from_str(self.effective.trim(), "%Y-%m-%d")
            .map_err(|_| errors.push(FieldError::new("effective", "日期格式应为 2026-12-01")))
            .ok();
        self.errors.set_fields(errors);
        let draft = ProductDraft {
            code: self.code.clone(),
            name: self.name.clone(),
            model: self.model.clone(),
            unit: self.unit.clone(),
            category: self.category.clone(),
            list_price: list?,
            floor_price: floor,
            tax_rate: tax?,
            params: params?,
            active: self.active,
        };
        Some((draft, effective?))
    }
}

/// What a toolbar button opens (decided inside the toolbar, opened after it).
enum Opening {
    NewProduct,
    Import,
    Export,
}

#[derive(Default)]
pub struct PricesPanel {
    table: Option<PriceTable>,
    index: SearchIndex<usize>,
    query: String,
    show_inactive: bool,
    wanted_version: Option<PriceVersionId>,
    requested: bool,
    loading: Reply<PriceTable>,
    form: Option<ProductForm>,
    saving: Reply<Product>,
    import: Option<ImportDialog>,
    export: Option<ExportDialog>,
}

impl Panel for PricesPanel {
    fn logic(&mut self, cx: &mut Cx<'_>) {
        match self.loading.take() {
            Some(Ok(t)) => {
                self.index = SearchIndex::new();
                for (i, p) in t.products.iter().enumerate() {
                    self.index.push(i, &product_searchable(&p.draft));
                }
                self.table = Some(t);
            }
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        match self.saving.take() {
            Some(Ok(p)) => {
                cx.toasts.success(format!("产品 {} 已保存。", p.draft.code));
                self.form = None;
                self.wanted_version = None;
                cx.emit(Event::PricesChanged);
            }
            Some(Err(e)) => {
                if let Some(form) = &mut self.form {
                    form.errors.refused(e, cx.toasts);
                }
            }
            None => {}
        }
        if self.import.as_mut().is_some_and(|d| d.logic(cx)) {
            self.import = None;
        }
        if self.export.as_mut().is_some_and(|d| d.logic(cx)) {
            self.export = None;
        }
    }

    fn on_event(&mut self, event: &Event, _cx: &mut Cx<'_>) {
        if matches!(event, Event::PricesChanged | Event::OfficeChanged) {
            self.requested = false;
        }
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let today = cx.today;
        if !self.requested {
            self.requested = true;
            let version = self.wanted_version;
            self.loading = cx.ask(move |svc, a| svc.price_table(a, version));
        }
        theme::heading(ui, "价格表", "");
        self.toolbar_ui(ui, cx, today);
        self.table_ui(ui, today);
        if self.form.is_some() {
            let mut close = false;
            let modal = egui::Modal::new(egui::Id::unique("product_form")).show(ui.ctx(), |ui| {
                ui.set_width(560.0f32.min(ui.ctx().content_rect().width() - 60.0));
                let height = (ui.ctx().content_rect().height() - 140.0).clamp(240.0, 620.0);
                // The fields scroll; the errors and the buttons stay in sight under them.
                egui::ScrollArea::vertical().max_height(height).show(ui, |ui| self.form_ui(ui, cx, false));
                ui.separator();
                close = self.form_ui(ui, cx, true);
            });
            if close || modal.should_close() {
                self.form = None;
            }
        }
        if let Some(d) = &mut self.import
            && !d.ui(ui, cx)
        {
            self.import = None;
        }
        if let Some(d) = &mut self.export
            && !d.ui(ui, cx)
        {
            self.export = None;
        }
    }
}

impl PricesPanel {
    fn toolbar_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, today: NaiveDate) {
        let Some(table) = self.table.as_ref() else {
            ui.add(egui::Spinner::new());
            return;
        };
        let mut chosen = None;
        let mut open = None;
        ui.horizontal_wrapped(|ui| {
            let l = ui.label("版本");
            let current = table
                .version
                .as_ref()
                .map(|v| format!("{} 起执行 · {}", v.effective, v.note))
                .unwrap_or_else(|| "（尚无价格表）".into());
            egui::ComboBox::from_id_salt("price_version")
                .selected_text(current)
                .width(300.0)
                .show_ui(ui, |ui| {
                    for v in &table.versions {
                        let text = format!("{} 起执行 · {}（{} 种）", v.effective, v.note, v.products);
                        if ui.selectable_label(table.version.as_ref().map(|x| x.id) == Some(v.id), text).clicked() {
                            chosen = Some(v.id);
                        }
                    }
                })
                .response
                .labelled_by(l.id);
            let l = ui.label("搜索");
            ui.add(
                egui::TextEdit::singleline(&mut self.query)
                    .hint_text("编码、型号、名称或拼音首字母")
                    .desired_width(220.0),
            )
            .labelled_by(l.id);
            ui.checkbox(&mut self.show_inactive, "显示已停用");
            if cx.actor.may(Permission::EditPrices) && ui.button("＋ 新增产品").clicked() {
                open = Some(Opening::NewProduct);
            }
            if cx.actor.may(Permission::ImportPriceTable) && ui.button("导入价格表…").clicked() {
                open = Some(Opening::Import);
            }
            if ui.button("导出…").clicked() {
                open = Some(Opening::Export);
            }
        });
        if !table.shows_floor {
            ui.label(RichText::new("最低限价仅对销售部负责人、公司领导和管理员显示。").small().color(MUTED));
        }
        if let Some(v) = chosen {
            self.wanted_version = Some(v);
            self.requested = false;
        }
        match open {
            Some(Opening::NewProduct) => self.form = Some(ProductForm::new(None, today)),
            Some(Opening::Import) => self.import = Some(ImportDialog::new(TransferKind::Prices, today)),
            Some(Opening::Export) => self.export = Some(ExportDialog::new(TransferKind::Prices, today)),
            None => {}
        }
    }

    fn table_ui(&mut self, ui: &mut Ui, today: NaiveDate) {
        let Some(table) = &self.table else { return };
        let hits = self.index.search(&self.query, |i| self.show_inactive || table.products[i].draft.active, 0);
        ui.label(RichText::new(format!("{} 种产品", hits.len())).small().color(MUTED));
        let mut clicked = None;
        // A click on a row's text must select the row, not start a text selection.
        ui.style_mut().interaction.selectable_labels = false;
        // On a small screen the names and models narrow (their full text on hover), so the prices,
        // 税率 and 状态 stay in sight.
        let narrow = crate::ui::widgets::narrow_list(ui);
        let (code_w, text_w) = if narrow { (96.0, 92.0) } else { (120.0, 150.0) };
        let mut t = TableBuilder::new(ui)
            .striped(true)
            .sense(egui::Sense::click())
            .column(Column::exact(code_w).clip(true))
            .column(Column::exact(text_w).clip(true))
            .column(Column::exact(text_w).clip(true))
            .column(Column::exact(40.0))
            .column(Column::exact(100.0));
        if table.shows_floor {
            t = t.column(Column::exact(100.0));
        }
        t.column(Column::exact(50.0))
            .column(Column::exact(56.0))
            .column(Column::remainder().clip(true))
            .header(24.0, |mut h| {
                let mut titles = vec!["产品编码", "产品名称", "型号规格", "单位", "含税单价"];
                if table.shows_floor {
                    titles.push("最低限价");
                }
                titles.extend(["税率", "状态", "技术参数"]);
                for t in titles {
                    h.col(|ui| {
                        ui.strong(t);
                    });
                }
            })
            .body(|body| {
                body.rows(24.0, hits.len(), |mut row| {
                    let p = &table.products[hits[row.index()]];
                    let d = &p.draft;
                    row.col(|ui| {
                        ui.label(&d.code);
                    });
                    row.col(|ui| {
                        ui.label(&d.name);
                    });
                    row.col(|ui| {
                        ui.label(&d.model);
                    });
                    row.col(|ui| {
                        ui.label(&d.unit);
                    });
                    row.col(|ui| {
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                            ui.label(d.list_price.to_string())
                        });
                    });
                    if table.shows_floor {
                        row.col(|ui| {
                            let text = d.floor_price.map(|f| f.to_string()).unwrap_or_else(|| "—".into());
                            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| ui.label(text));
                        });
                    }
                    row.col(|ui| {
                        ui.label(d.tax_rate.to_string());
                    });
                    row.col(|ui| {
                        if d.active {
                            theme::badge(ui, "在售", OK_GREEN);
                        } else {
                            theme::badge(ui, "停用", MUTED);
                        }
                    });
                    row.col(|ui| {
                        ui.label(RichText::new(format_tech_params(&d.params)).small());
                    });
                    if row.response().clicked() {
                        clicked = Some(p.clone());
                    }
                });
            });
        if let Some(p) = clicked {
            self.form = Some(ProductForm::new(Some(&p), today));
        }
    }

    /// The fields (`buttons` false), or the errors and the buttons under them (`buttons` true);
    /// true when the form should close.
    fn form_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, buttons: bool) -> bool {
        let Some(f) = &mut self.form else { return true };
        let prices = cx.actor.may(Permission::EditPrices);
        let params_only = !prices && cx.actor.may(Permission::EditTechnicalParameters) && f.id.is_some();
        let shows_floor = self.table.as_ref().is_some_and(|t| t.shows_floor);
        let close = false;
        if buttons {
            return self.form_buttons_ui(ui, cx, prices, params_only, shows_floor);
        }
        ui.heading(if f.id.is_some() { format!("产品 {}", f.code) } else { "新增产品".into() });
        // One row per field (a field's enabled state must not wrap the grid's rows in a child
        // Ui: that put every field on one row, wider than the window).
        egui::Grid::new("product_form").num_columns(2).min_col_width(110.0).spacing([10.0, 6.0]).show(ui, |ui| {
            let e = f.err("code");
            form_row(ui, prices && f.id.is_none(), "产品编码", &mut f.code, e.as_deref());
            let e = f.err("name");
            form_row(ui, prices, "产品名称", &mut f.name, e.as_deref());
            form_row(ui, prices || params_only, "型号规格", &mut f.model, None);
            let e = f.err("unit");
            form_row(ui, prices, "单位", &mut f.unit, e.as_deref());
            ui.label("");
            ui.label(RichText::new(format!("常用：{}", UNITS.join(" "))).small().color(MUTED));
            ui.end_row();
            form_row(ui, prices, "类别", &mut f.category, None);
            let e = f.err("list_price");
            form_row(ui, prices, "含税单价（元）", &mut f.list, e.as_deref());
            if shows_floor {
                let e = f.err("floor_price");
                form_row(ui, prices, "最低限价（元）", &mut f.floor, e.as_deref());
            }
            let e = f.err("tax");
            form_row(ui, prices, "税率", &mut f.tax, e.as_deref());
            ui.label("状态");
            ui.add_enabled(prices, egui::Checkbox::new(&mut f.active, "在售"));
            ui.end_row();
        });
        ui.add_enabled_ui(prices || params_only, |ui| {
            egui::Grid::new("params_form").num_columns(2).show(ui, |ui| {
                let e = f.err("params");
                text_area(ui, "技术参数（每行一项，名称:数值）", &mut f.params, e.as_deref());
            });
        });
        if prices {
            egui::Grid::new("effective_form").num_columns(2).show(ui, |ui| {
                let e = f.err("effective");
                text_field(ui, "价格生效日期", &mut f.effective, e.as_deref(), false);
            });
            ui.label(RichText::new("修改价格会生成新的价格表版本；已有报价仍按原版本。").small().color(MUTED));
        }
        close
    }

    fn form_buttons_ui(
        &mut self,
        ui: &mut Ui,
        cx: &mut Cx<'_>,
        prices: bool,
        params_only: bool,
        shows_floor: bool,
    ) -> bool {
        let Some(f) = &mut self.form else { return true };
        let mut close = false;
        f.errors.banner_ui(ui);
        ui.horizontal(|ui| {
            if (prices || params_only) && ui.add_enabled(!self.saving.is_waiting(), egui::Button::new("保存")).clicked()
            {
                f.errors.clear();
                let (id, row_version) = (f.id, f.row_version);
                if params_only {
                    match parse_tech_params(&f.params) {
                        Ok(params) => {
                            let (id, model) = (id.unwrap_or(ProductId(0)), f.model.clone());
                            self.saving = cx
                                .ask(move |svc, a| svc.update_technical_parameters(a, id, row_version, model, params));
                        }
                        Err(e) => f.errors.set_fields(vec![FieldError::new("params", e)]),
                    }
                } else if let Some((mut draft, effective)) = f.draft() {
                    if !shows_floor {
                        draft.floor_price = f.stored.as_ref().and_then(|s| s.floor_price);
                    }
                    self.saving = cx.ask(move |svc, a| match id {
                        None => svc.create_product(a, draft, effective),
                        Some(id) => svc.update_product(a, id, row_version, draft, effective),
                    });
                }
            }
            if ui.button("关闭").clicked() || crate::ui::widgets::escape_closes(ui) {
                close = true;
            }
        });
        close
    }
}

/// One labelled text field of the product form, enabled or not, with its error under it.
fn form_row(ui: &mut Ui, enabled: bool, label: &str, value: &mut String, error: Option<&str>) {
    let l = ui.label(label);
    ui.vertical(|ui| {
        ui.add_enabled(enabled, egui::TextEdit::singleline(value).desired_width(320.0)).labelled_by(l.id);
        crate::ui::widgets::field_error(ui, error);
    });
    ui.end_row();
}
