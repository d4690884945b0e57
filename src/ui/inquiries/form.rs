//! The register / edit form for an inquiry or tender (登记询价、登记招标): customer and contact,
//! source, subject, lines (typed or picked from the price table), estimate, wanted-by date, the
//! major flag, notes and, for a tender, its facts and clauses (typed or pasted from a
//! spreadsheet). It reads what the user typed into an `InquiryDraft`; the service validates.

use egui::{RichText, Ui};

use crate::domain::clause::{Requirement, RequirementKind};
use crate::domain::company::FieldError;
use crate::domain::ids::{InquiryId, ProductId};
use crate::domain::inquiry::{
    ClauseKind, Inquiry, InquiryDraft, InquiryKind, InquiryLine, InquirySource, TenderClause, TenderInfo, parse_clauses,
};
use crate::domain::money::{Discount, Money, Quantity, line_amount};
use crate::domain::product::Product;
use crate::service::InquiryDetail;
use crate::ui::panel::{Cx, Event};
use crate::ui::pickers::{CustomerPicker, Picker, ProductPicker, local_time, parse_local_time};
use crate::ui::theme::{ERROR_RED, MUTED, OK_GREEN};
use crate::ui::widgets::{self, FormErrors, field_error, text_area, text_field};
use crate::ui::worker::Reply;

/// The label column of the form's grids, so their fields line up.
const LABEL_WIDTH: f32 = 130.0;

/// One product line as typed.
#[derive(Default, Clone)]
struct LineRow {
    product: Option<ProductId>,
    /// The list price when picked from the price table (for the estimate).
    list_price: Option<Money>,
    description: String,
    model: String,
    qty: String,
    unit: String,
    note: String,
}

pub struct InquiryForm {
    id: Option<InquiryId>,
    version: i64,
    pub kind: InquiryKind,
    number: String,
    pub customer: CustomerPicker,
    pub products: ProductPicker,
    show_products: bool,
    source: InquirySource,
    subject: String,
    lines: Vec<LineRow>,
    estimate: String,
    wanted_by: String,
    flagged_major: bool,
    notes: String,
    tender_no: String,
    purchaser: String,
    project: String,
    lot: String,
    deadline: String,
    opening: String,
    bond: String,
    /// Kept as stored: the bond's state is recorded on the card, not in this form.
    bond_state: (bool, bool),
    clauses: Vec<TenderClause>,
    paste: String,
    errors: FormErrors,
    saving: Reply<InquiryDetail>,
    /// Esc asks before throwing away what was typed.
    pub discard: widgets::DiscardGuard,
}

impl InquiryForm {
    pub fn new(kind: InquiryKind) -> Self {
        InquiryForm {
            id: None,
            version: 0,
            kind,
            number: String::new(),
            customer: CustomerPicker::new(Picker::InquiryForm),
            products: ProductPicker::new(Picker::InquiryForm),
            show_products: false,
            source: if kind == InquiryKind::Tender { InquirySource::TenderNotice } else { InquirySource::Phone },
            subject: String::new(),
            lines: Vec::new(),
            estimate: String::new(),
            wanted_by: String::new(),
            flagged_major: false,
            notes: String::new(),
            tender_no: String::new(),
            purchaser: String::new(),
            project: String::new(),
            lot: String::new(),
            deadline: String::new(),
            opening: String::new(),
            bond: String::new(),
            bond_state: (false, false),
            clauses: Vec::new(),
            paste: String::new(),
            errors: FormErrors::default(),
            saving: Reply::default(),
            discard: widgets::DiscardGuard::default(),
        }
    }

    /// A hash of everything typed, for the Esc guard.
    pub fn typed(&self) -> u64 {
        let lines = self.lines.iter().flat_map(|l| [&l.description, &l.model, &l.qty, &l.unit, &l.note]);
        let texts = [
            &self.subject,
            &self.estimate,
            &self.wanted_by,
            &self.notes,
            &self.tender_no,
            &self.purchaser,
            &self.project,
            &self.lot,
            &self.deadline,
            &self.opening,
            &self.bond,
            &self.paste,
        ];
        let count = format!("{} {} {}", self.lines.len(), self.clauses.len(), self.flagged_major);
        let mut all: Vec<&str> = texts.into_iter().chain(lines).map(String::as_str).collect();
        all.push(&count);
        widgets::typed_hash(all)
    }

    /// The form filled with a stored inquiry, to edit it.
    pub fn edit(i: &Inquiry, cx: &mut Cx<'_>) -> Self {
        let d = &i.draft;
        let t = &d.tender;
        let mut f = InquiryForm::new(d.kind);
        if let Some(c) = d.customer {
            f.customer.preset(c, d.contact, cx);
        }
        let lines = d.lines.iter().map(|l| LineRow {
            product: l.product,
            list_price: None,
            description: l.description.clone(),
            model: l.model.clone(),
            qty: l.quantity.map(|q| q.to_string()).unwrap_or_default(),
            unit: l.unit.clone(),
            note: l.note.clone(),
        });
        InquiryForm {
            id: Some(i.id),
            version: i.version,
            number: i.number.to_string(),
            source: d.source,
            subject: d.subject.clone(),
            lines: lines.collect(),
            estimate: d.estimate.map(|m| m.to_plain_string()).unwrap_or_default(),
            wanted_by: d.wanted_by.map(|w| w.to_string()).unwrap_or_default(),
            flagged_major: d.flagged_major,
            notes: d.notes.clone(),
            tender_no: t.tender_no.clone(),
            purchaser: t.purchaser.clone(),
            project: t.project.clone(),
            lot: t.lot.clone(),
            deadline: t.deadline.map(local_time).unwrap_or_default(),
            opening: t.opening.map(local_time).unwrap_or_default(),
            bond: t.bond.map(|b| b.to_plain_string()).unwrap_or_default(),
            bond_state: (t.bond_paid, t.bond_returned),
            clauses: t.clauses.clone(),
            ..f
        }
    }

    /// Takes in the save's answer: the inquiry as saved, when it was. A refused save keeps
    /// everything typed and says why (a conflict names who changed it).
    pub fn logic(&mut self, cx: &mut Cx<'_>) -> Option<InquiryDetail> {
        match self.saving.take()? {
            Ok(d) => {
                let i = &d.inquiry;
                if self.id.is_none() {
                    cx.toasts.success(format!("已登记{} {}，已报告销售部负责人决定。", i.draft.kind.label(), i.number));
                } else {
                    cx.toasts.success(format!("{} 已保存。", i.number));
                }
                cx.emit(Event::InquiryChanged(i.id));
                Some(d)
            }
            Err(e) => {
                self.errors.refused(e, cx.toasts);
                None
            }
        }
    }

    fn err(&self, field: &str) -> Option<String> {
        self.errors.field(field).map(str::to_string)
    }

    /// Draws the form's fields (they scroll in the dialog).
    pub fn fields_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let title = match (self.id, self.kind) {
            (Some(_), _) => format!("修改 {}", self.number),
            (None, InquiryKind::Tender) => "登记招标".to_string(),
            (None, InquiryKind::Inquiry) => "登记询价".to_string(),
        };
        ui.heading(title);
        let hint = if self.id.is_some() {
            "尚无人决定时可以修改；修改会记入审计日志。"
        } else {
            "登记后即报告销售部负责人决定是否参与。"
        };
        ui.label(RichText::new(hint).small().color(MUTED));
        ui.add_space(4.0);
        self.customer_ui(ui, cx);
        self.basics_ui(ui);
        if self.kind == InquiryKind::Tender {
            self.tender_ui(ui);
        }
        self.lines_ui(ui, cx);
        self.amounts_ui(ui);
        if self.kind == InquiryKind::Tender {
            self.clauses_ui(ui);
        }
    }

    /// Draws what stays in sight under the fields: the errors and 登记/取消; returns true when
    /// the form should close.
    pub fn buttons_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) -> bool {
        self.errors.banner_ui(ui);
        if !self.errors.fields().is_empty() {
            ui.label(RichText::new("有内容需要修改，请看各栏下方的提示。").color(ERROR_RED));
        }
        ui.separator();
        let mut close = false;
        ui.horizontal(|ui| {
            let save = if self.id.is_some() { "保存修改" } else { "登记" };
            if ui.add_enabled(!self.saving.is_waiting(), egui::Button::new(save)).clicked()
                && let Some(draft) = self.draft()
            {
                let (id, version) = (self.id, self.version);
                self.saving = cx.ask(move |svc, a| {
                    let saved = match id {
                        None => svc.register_inquiry(a, draft)?,
                        Some(id) => svc.update_inquiry(a, id, version, draft)?,
                    };
                    svc.inquiry_detail(a, saved.id)
                });
            }
            if ui.button("取消").clicked() {
                close = true;
            }
        });
        close
    }

    fn customer_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let label = if self.kind == InquiryKind::Tender {
            "客户（采购人已建档时选择，可不选）"
        } else {
            "客户"
        };
        ui.label(RichText::new(label).strong());
        let (ce, ke) = (self.err("customer"), self.err("contact"));
        self.customer.ui(ui, cx, ce.as_deref(), ke.as_deref());
        ui.add_space(4.0);
    }

    fn basics_ui(&mut self, ui: &mut Ui) {
        let errors = self.errors.clone();
        let e = |f: &str| errors.field(f).map(str::to_string);
        egui::Grid::new("inquiry_basics").num_columns(2).min_col_width(LABEL_WIDTH).spacing([10.0, 6.0]).show(
            ui,
            |ui| {
                let l = ui.label("来源");
                egui::ComboBox::from_id_salt("inquiry_source")
                    .selected_text(self.source.label())
                    .show_ui(ui, |ui| {
                        for s in InquirySource::ALL {
                            ui.selectable_value(&mut self.source, s, s.label());
                        }
                    })
                    .response
                    .labelled_by(l.id);
                ui.end_row();
                text_field(ui, "事由", &mut self.subject, e("subject").as_deref(), false);
            },
        );
    }

    fn tender_ui(&mut self, ui: &mut Ui) {
        let errors = self.errors.clone();
        let e = |f: &str| errors.field(f).map(str::to_string);
        ui.add_space(4.0);
        ui.label(RichText::new("招标信息").strong());
        egui::Grid::new("tender_form").num_columns(2).min_col_width(LABEL_WIDTH).spacing([10.0, 6.0]).show(ui, |ui| {
            text_field(ui, "招标编号", &mut self.tender_no, None, false);
            text_field(ui, "采购人", &mut self.purchaser, e("purchaser").as_deref(), false);
            text_field(ui, "项目名称", &mut self.project, e("project").as_deref(), false);
            text_field(ui, "标段/包号", &mut self.lot, None, false);
            let hint = "如 2026-12-15 09:30";
            let today = chrono::Local::now().date_naive();
            widgets::dated_field(ui, "投标截止时间", &mut self.deadline, hint, e("deadline").as_deref(), today, true);
            widgets::dated_field(ui, "开标时间", &mut self.opening, hint, e("opening").as_deref(), today, true);
            text_field(ui, "投标保证金（元）", &mut self.bond, e("bond").as_deref(), false);
        });
    }

    fn lines_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        ui.add_space(4.0);
        ui.label(RichText::new(format!("询价产品（{}）", self.lines.len())).strong());
        let errors = self.errors.clone();
        let mut remove = None;
        if !self.lines.is_empty() {
            egui::Grid::new("inquiry_form_lines").num_columns(6).spacing([6.0, 4.0]).show(ui, |ui| {
                let ids: Vec<egui::Id> =
                    ["产品/描述", "型号规格", "数量", "单位", "备注"].iter().map(|t| ui.strong(*t).id).collect();
                ui.label("");
                ui.end_row();
                for (i, l) in self.lines.iter_mut().enumerate() {
                    let fields: [(&mut String, f32); 5] = [
                        (&mut l.description, 180.0),
                        (&mut l.model, 120.0),
                        (&mut l.qty, 70.0),
                        (&mut l.unit, 44.0),
                        (&mut l.note, 150.0),
                    ];
                    for (col, (value, width)) in fields.into_iter().enumerate() {
                        ui.vertical(|ui| {
                            ui.add(
                                egui::TextEdit::singleline(value).desired_width(width).min_size(egui::vec2(width, 0.0)),
                            )
                            .labelled_by(ids[col]);
                            if col == 2 {
                                field_error(ui, errors.field(&format!("line{i}.qty")));
                            }
                        });
                    }
                    if ui.small_button("删除").clicked() {
                        remove = Some(i);
                    }
                    ui.end_row();
                }
            });
        }
        if let Some(i) = remove {
            self.lines.remove(i);
        }
        ui.horizontal(|ui| {
            if ui.button("＋ 添加一行").clicked() {
                self.lines.push(LineRow::default());
            }
            let text = if self.show_products { "收起价格表" } else { "从价格表选择…" };
            if ui.button(text).clicked() {
                self.show_products = !self.show_products;
            }
        });
        if self.show_products
            && let Some(p) = self.products.ui(ui, cx)
        {
            self.add_product(p);
        }
    }

    fn add_product(&mut self, p: Product) {
        let d = p.draft;
        let row = LineRow {
            product: Some(p.id),
            list_price: Some(d.list_price),
            description: d.name,
            model: d.model,
            qty: String::new(),
            unit: d.unit,
            note: String::new(),
        };
        // An empty row the user added first is filled rather than left behind.
        match self.lines.iter_mut().find(|l| l.product.is_none() && l.description.trim().is_empty()) {
            Some(empty) => *empty = row,
            None => self.lines.push(row),
        }
    }

    /// Σ quantity × list price when every line came from the price table and has a quantity.
    fn list_estimate(&self) -> Option<Money> {
        if self.lines.is_empty() {
            return None;
        }
        self.lines.iter().try_fold(Money::ZERO, |sum, l| {
            let amount = line_amount(Quantity::parse(&l.qty).ok()?, l.list_price?, Discount::ZERO);
            sum.checked_add(amount)
        })
    }

    fn amounts_ui(&mut self, ui: &mut Ui) {
        let errors = self.errors.clone();
        let e = |f: &str| errors.field(f).map(str::to_string);
        let suggestion = self.list_estimate();
        egui::Grid::new("inquiry_amounts").num_columns(2).min_col_width(LABEL_WIDTH).spacing([10.0, 6.0]).show(
            ui,
            |ui| {
                text_field(ui, "预计金额（元）", &mut self.estimate, e("estimate").as_deref(), false);
                if let Some(m) = suggestion {
                    ui.label("");
                    if ui.small_button(format!("按列表价估算：{}", m.yuan_display())).clicked() {
                        self.estimate = m.to_plain_string();
                    }
                    ui.end_row();
                }
                let e_wanted = e("wanted_by");
                widgets::dated_field(
                    ui,
                    "要求回复/交货日期",
                    &mut self.wanted_by,
                    "如 2026-12-31，可不填",
                    e_wanted.as_deref(),
                    chrono::Local::now().date_naive(),
                    false,
                );
                ui.label("重大");
                ui.checkbox(&mut self.flagged_major, "标记为重大（须公司领导也决定）");
                ui.end_row();
                text_area(ui, "备注", &mut self.notes, e("notes").as_deref());
            },
        );
    }

    fn clauses_ui(&mut self, ui: &mut Ui) {
        ui.add_space(4.0);
        ui.label(RichText::new(format!("招标条款（{}）", self.clauses.len())).strong());
        let l = ui.label("从表格粘贴：条款号<Tab>要求<Tab>技术/商务");
        ui.add(
            egui::TextEdit::multiline(&mut self.paste)
                .desired_rows(3)
                .desired_width(ui.available_width() - 16.0)
                .hint_text("从 Excel/WPS 或招标文件中复制条款表，粘贴到这里"),
        )
        .labelled_by(l.id);
        if !self.paste.trim().is_empty() {
            match parse_clauses(&self.paste) {
                Ok(parsed) => {
                    clause_preview_ui(ui, &parsed);
                    ui.horizontal(|ui| {
                        ui.label(RichText::new(format!("可识别 {} 条。", parsed.len())).color(OK_GREEN));
                        if ui.button("加入条款表").clicked() {
                            self.clauses.extend(parsed);
                            self.paste.clear();
                        }
                    });
                }
                Err(msg) => {
                    ui.label(RichText::new(msg).color(ERROR_RED).small());
                }
            }
        }
        let mut remove = None;
        if !self.clauses.is_empty() {
            let req_width = (ui.available_width() - 60.0 - 40.0 - 70.0 - 250.0 - 60.0 - 6.0 * 7.0).clamp(200.0, 420.0);
            egui::Grid::new("clauses_form").striped(true).num_columns(6).spacing([6.0, 4.0]).show(ui, |ui| {
                let no_id = ui.strong("条款号").id;
                let star_id = ui.strong("★").on_hover_text("实质性条款：负偏离即废标").id;
                let req_id = ui.strong("要求").id;
                let kind_id = ui.strong("技术/商务").id;
                let typed_id = ui.strong("量化要求").on_hover_text("粘贴时按条款文字自动识别，请核对").id;
                ui.label("");
                ui.end_row();
                for (i, c) in self.clauses.iter_mut().enumerate() {
                    ui.add(egui::TextEdit::singleline(&mut c.no).desired_width(60.0).min_size(egui::vec2(60.0, 0.0)))
                        .labelled_by(no_id);
                    ui.checkbox(&mut c.starred, "").labelled_by(star_id);
                    ui.add(
                        egui::TextEdit::multiline(&mut c.requirement)
                            .desired_rows(1)
                            .desired_width(req_width)
                            .min_size(egui::vec2(req_width, 0.0)),
                    )
                    .labelled_by(req_id);
                    egui::ComboBox::from_id_salt(("clause_kind", i))
                        .selected_text(c.kind.label())
                        .width(60.0)
                        .show_ui(ui, |ui| {
                            for k in [ClauseKind::Technical, ClauseKind::Commercial] {
                                ui.selectable_value(&mut c.kind, k, k.label());
                            }
                        })
                        .response
                        .labelled_by(kind_id);
                    ui.horizontal(|ui| typed_ui(ui, i, &mut c.typed, typed_id));
                    if ui.small_button("删除").clicked() {
                        remove = Some(i);
                    }
                    ui.end_row();
                }
            });
        }
        if let Some(i) = remove {
            self.clauses.remove(i);
        }
        field_error(ui, self.errors.field("clauses"));
        if ui.button("＋ 添加条款").clicked() {
            self.clauses.push(TenderClause { kind: ClauseKind::Technical, ..Default::default() });
        }
    }

    /// The draft as typed, or `None` with a message under each field that cannot be read.
    fn draft(&mut self) -> Option<InquiryDraft> {
        let mut errors = Vec::new();
        let mut money = |field: &'static str, text: &str| -> Option<Money> {
            if text.trim().is_empty() {
                return None;
            }
            Money::parse(text).map_err(|e| errors.push(FieldError::new(field, e.to_string()))).ok()
        };
        let estimate = money("estimate", &self.estimate);
        let bond = money("bond", &self.bond);
        let mut time = |field: &'static str, text: &str| {
            if text.trim().is_empty() {
                return None;
            }
            parse_local_time(text).map_err(|e| errors.push(FieldError::new(field, e))).ok()
        };
        let deadline = time("deadline", &self.deadline);
        let opening = time("opening", &self.opening);
        let wanted_by = if self.wanted_by.trim().is_empty() {
            None
        } else {
            // As people type dates: 2026-12-31, 12/31, 12月31日.
            let d = crate::domain::dates::parse_day(&self.wanted_by, chrono::Local::now().date_naive());
            if d.is_none() {
                errors.push(FieldError::new("wanted_by", "日期格式应为 2026-12-31（也可写 12-31）"));
            }
            d
        };
        let mut lines = Vec::new();
        for (i, l) in self.lines.iter().enumerate() {
            let quantity = if l.qty.trim().is_empty() {
                None
            } else {
                Quantity::parse(&l.qty)
                    .map_err(|e| errors.push(FieldError::new(format!("line{i}.qty"), e.to_string())))
                    .ok()
            };
            lines.push(InquiryLine {
                product: l.product,
                description: l.description.trim().to_string(),
                model: l.model.trim().to_string(),
                quantity,
                unit: l.unit.trim().to_string(),
                note: l.note.trim().to_string(),
            });
        }
        self.errors.set_fields(errors);
        if !self.errors.is_empty() {
            return None;
        }
        let tender = TenderInfo {
            tender_no: self.tender_no.clone(),
            purchaser: self.purchaser.clone(),
            project: self.project.clone(),
            lot: self.lot.clone(),
            deadline,
            opening,
            bond,
            bond_paid: self.bond_state.0,
            bond_returned: self.bond_state.1,
            clauses: self
                .clauses
                .iter()
                .filter(|c| !c.no.trim().is_empty() || !c.requirement.trim().is_empty())
                .cloned()
                .collect(),
        };
        Some(InquiryDraft {
            kind: self.kind,
            customer: self.customer.customer_id(),
            contact: self.customer.contact,
            source: self.source,
            subject: self.subject.clone(),
            lines,
            estimate,
            wanted_by,
            flagged_major: self.flagged_major,
            notes: self.notes.clone(),
            tender,
        })
    }
}

/// What the pasted text reads as, before it is added to the clauses.
/// A clause's typed requirement: none (a free clause) or one kind with its number.
fn typed_ui(ui: &mut Ui, i: usize, typed: &mut Option<Requirement>, label: egui::Id) {
    let shown = typed.as_ref().map_or("不量化（文字条款）", |t| t.kind().label());
    egui::ComboBox::from_id_salt(("clause_typed", i))
        .selected_text(shown)
        .width(150.0)
        .show_ui(ui, |ui| {
            if ui.selectable_label(typed.is_none(), "不量化（文字条款）").clicked() {
                *typed = None;
            }
            for k in RequirementKind::ALL {
                let on = typed.as_ref().is_some_and(|t| t.kind() == k);
                if ui.selectable_label(on, k.label()).clicked() && !on {
                    *typed = Some(k.default_requirement());
                }
            }
        })
        .response
        .labelled_by(label);
    let number = |ui: &mut Ui, v: &mut u32, unit: &str| {
        ui.add(egui::DragValue::new(v).range(1..=999).suffix(unit)).labelled_by(label);
    };
    match typed {
        None => {}
        Some(Requirement::WarrantyMonths { at_least }) => number(ui, at_least, " 个月"),
        Some(Requirement::DeliveryDays { at_most }) => number(ui, at_most, " 天"),
        Some(Requirement::ValidityDays { at_least }) => number(ui, at_least, " 天"),
        Some(Requirement::Prepayment { at_most_pct }) => {
            use rust_decimal::prelude::ToPrimitive;
            let mut pct = at_most_pct.round().to_u32().unwrap_or(0);
            if ui.add(egui::DragValue::new(&mut pct).range(0..=100).suffix(" %")).labelled_by(label).changed() {
                *at_most_pct = rust_decimal::Decimal::from(pct);
            }
        }
        Some(Requirement::References { at_least, years }) => {
            ui.label("近");
            ui.add(egui::DragValue::new(years).range(1..=10).suffix(" 年")).labelled_by(label);
            number(ui, at_least, " 项");
        }
        Some(Requirement::Certificate { kind }) => {
            egui::ComboBox::from_id_salt(("clause_certificate", i))
                .selected_text(kind.as_str())
                .width(130.0)
                .show_ui(ui, |ui| {
                    for k in crate::domain::certificate::KINDS {
                        ui.selectable_value(kind, k.to_string(), *k);
                    }
                })
                .response
                .labelled_by(label);
        }
    }
}

fn clause_preview_ui(ui: &mut Ui, parsed: &[TenderClause]) {
    const SHOWN: usize = 8;
    egui::Grid::new("clause_preview").striped(true).num_columns(4).spacing([10.0, 2.0]).show(ui, |ui| {
        for c in parsed.iter().take(SHOWN) {
            let no = if c.starred && !c.no.contains('★') { format!("★{}", c.no) } else { c.no.clone() };
            ui.label(RichText::new(no).color(if c.starred { ERROR_RED } else { MUTED }));
            ui.label(RichText::new(&c.requirement).color(MUTED));
            ui.label(RichText::new(c.kind.label()).color(MUTED));
            match &c.typed {
                Some(t) => ui.label(RichText::new(format!("识别为：{}", t.label())).color(OK_GREEN)),
                None => ui.label(RichText::new("文字条款").color(MUTED)),
            };
            ui.end_row();
        }
    });
    if parsed.len() > SHOWN {
        ui.label(RichText::new(format!("……另有 {} 条", parsed.len() - SHOWN)).small().color(MUTED));
    }
}
