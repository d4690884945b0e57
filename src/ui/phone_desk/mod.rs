//! 电话询价: the sales assistant's desk for a customer's call — find the caller and contact (or
//! create the customer), note the products asked, answer list prices from the price table in
//! force (each answer logged by the service with its price-table version), and register the call
//! as an inquiry. It never computes a price of its own: the prices shown are the service's answers.

use egui::{RichText, Ui};

use crate::domain::company::FieldError;
use crate::domain::inquiry::{Inquiry, InquiryDraft, InquiryKind, InquiryLine, InquirySource};
use crate::domain::money::{Discount, Money, Quantity, line_amount};
use crate::domain::product::Product;
use crate::domain::role::Permission;
use crate::service::PhoneAnswer;
use crate::ui::customers::{Card, CardNews};
use crate::ui::panel::{Cx, Event, Panel};
use crate::ui::pickers::{CustomerPicker, Picker, ProductPicker};
use crate::ui::theme::{self, ERROR_RED, MUTED, OK_GREEN};
use crate::ui::widgets::{self, FormErrors, field_error};
use crate::ui::worker::Reply;

/// One product the caller asked about.
struct PhoneLine {
    product: Product,
    qty: String,
    unit: String,
    note: String,
}

pub struct PhoneDesk {
    pub caller: CustomerPicker,
    pub products: ProductPicker,
    lines: Vec<PhoneLine>,
    answers: Vec<PhoneAnswer>,
    subject: String,
    /// The subject last filled in automatically; while the field still reads it, it follows the lines.
    suggested: String,
    wanted_by: String,
    notes: String,
    errors: FormErrors,
    /// The customer card, in a modal, for a caller who is not in the archive yet.
    new_customer: Option<Card>,
    answering: Reply<Vec<PhoneAnswer>>,
    registering: Reply<Inquiry>,
}

impl Default for PhoneDesk {
    fn default() -> Self {
        PhoneDesk {
            caller: CustomerPicker::new(Picker::PhoneDesk),
            products: ProductPicker::new(Picker::PhoneDesk),
            lines: Vec::new(),
            answers: Vec::new(),
            subject: String::new(),
            suggested: String::new(),
            wanted_by: String::new(),
            notes: String::new(),
            errors: FormErrors::default(),
            new_customer: None,
            answering: Reply::default(),
            registering: Reply::default(),
        }
    }
}

impl PhoneDesk {
    /// Ready for the next call (the price table stays loaded).
    fn clear(&mut self) {
        let products = std::mem::replace(&mut self.products, ProductPicker::new(Picker::PhoneDesk));
        *self = PhoneDesk { products, ..Default::default() };
        self.products.query.clear();
    }
}

impl Panel for PhoneDesk {
    fn logic(&mut self, cx: &mut Cx<'_>) {
        match self.answering.take() {
            Some(Ok(answers)) => {
                self.errors.forget("products");
                self.answers = answers;
            }
            Some(Err(e)) => self.errors.refused(e, cx.toasts),
            None => {}
        }
        match self.registering.take() {
            Some(Ok(i)) => {
                // 打开 takes the assistant to the new inquiry (to attach a drawing, say).
                let text = format!("已登记为询价 {}，已报告销售部负责人决定。", i.number);
                cx.toasts.notify(text, super::panel::Link::Inquiry(i.id));
                cx.emit(Event::InquiryChanged(i.id));
                self.clear();
            }
            Some(Err(e)) => self.errors.refused(e, cx.toasts),
            None => {}
        }
        if let Some(CardNews::Saved(c)) = self.new_customer.as_mut().and_then(|card| card.logic(cx)) {
            cx.toasts.success(format!("客户“{}”已建档。", c.draft.name));
            self.new_customer = None;
            self.caller.set_customer(*c);
        }
    }

    fn on_event(&mut self, event: &Event, _cx: &mut Cx<'_>) {
        if matches!(event, Event::PricesChanged) {
            self.products.invalidate();
        }
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        theme::heading(ui, "电话询价", "客户来电：找到客户和联系人，记下询问的产品，按价格表答复标准价，登记为询价。");
        // Side by side where there is room (the product hits show code, name, model and price);
        // one under the other on a small screen or a large UI scale.
        let wide = ui.available_width() >= WIDE;
        let products = |this: &mut Self, ui: &mut Ui, cx: &mut Cx<'_>| {
            if let Some(p) = this.products.ui(ui, cx) {
                this.add_line(p);
            }
            if let Some(v) = this.products.version_text() {
                ui.label(RichText::new(format!("当前价格表：{v}")).small().color(MUTED));
            }
        };
        if wide {
            ui.columns(2, |cols| {
                step_frame(&mut cols[0], "① 来电客户", |ui| self.caller_ui(ui, cx));
                step_frame(&mut cols[1], "② 询问的产品", |ui| products(self, ui, cx));
            });
        } else {
            step_frame(ui, "① 来电客户", |ui| self.caller_ui(ui, cx));
            ui.add_space(6.0);
            step_frame(ui, "② 询问的产品", |ui| products(self, ui, cx));
        }
        ui.add_space(6.0);
        step_frame(ui, "③ 询价明细与报价", |ui| self.lines_ui(ui, cx));
        ui.add_space(6.0);
        step_frame(ui, "④ 登记为询价", |ui| self.register_ui(ui, cx, wide));
        self.new_customer_ui(ui, cx);
    }
}

impl PhoneDesk {
    fn caller_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let (ce, ke) = (self.errors.field("customer"), self.errors.field("contact"));
        let (ce, ke) = (ce.map(str::to_string), ke.map(str::to_string));
        self.caller.ui(ui, cx, ce.as_deref(), ke.as_deref());
        if self.caller.customer_id().is_none() && cx.actor.may(Permission::EditCustomers) {
            ui.horizontal(|ui| {
                let new = ui.button("＋ 新建客户").on_hover_text("来电单位不在客户档案中时，先为它建档");
                if new.clicked() {
                    self.new_customer = Some(Card::new_customer());
                }
            });
        }
    }

    fn add_line(&mut self, p: Product) {
        if self.lines.iter().any(|l| l.product.id == p.id) {
            return;
        }
        let unit = p.draft.unit.clone();
        self.lines.push(PhoneLine { product: p, qty: String::new(), unit, note: String::new() });
        self.follow_subject();
    }

    /// Keeps the subject in step with the products while the user has not written their own.
    fn follow_subject(&mut self) {
        let suggestion = match self.lines.as_slice() {
            [] => String::new(),
            [one] => format!("电话询价：{}", one.product.draft.name),
            [first, rest @ ..] => format!("电话询价：{}等{}项", first.product.draft.name, rest.len() + 1),
        };
        if self.subject.trim().is_empty() || self.subject == self.suggested {
            self.subject = suggestion.clone();
        }
        self.suggested = suggestion;
    }

    fn answer_for(&self, line: &PhoneLine) -> Option<&PhoneAnswer> {
        self.answers.iter().find(|a| a.product == line.product.id)
    }

    fn lines_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if self.lines.is_empty() {
            ui.label(RichText::new("在上方查找并添加客户询问的产品。").color(MUTED));
        } else {
            self.lines_grid_ui(ui);
        }
        field_error(ui, self.errors.field("products"));
        ui.horizontal(|ui| {
            let ready = !self.lines.is_empty() && !self.answering.is_waiting();
            if ui.add_enabled(ready, egui::Button::new("报价（标准价）")).clicked() {
                let (customer, contact) = (self.caller.customer_id(), self.caller.contact);
                let products: Vec<_> = self.lines.iter().map(|l| l.product.id).collect();
                self.answering = cx.ask(move |svc, a| svc.answer_phone_prices(a, customer, contact, &products));
            }
            ui.label(RichText::new("按当日生效的价格表答复列表价，并记入报价记录。").small().color(MUTED));
        });
        self.errors.banner_ui(ui);
        self.answers_ui(ui);
    }

    fn lines_grid_ui(&mut self, ui: &mut Ui) {
        let mut remove = None;
        let answers = self.answers.clone();
        egui::Grid::new("phone_lines").striped(true).num_columns(8).spacing([10.0, 4.0]).show(ui, |ui| {
            ui.strong("产品");
            ui.strong("型号规格");
            let qty_label = ui.strong("数量").id;
            let unit_label = ui.strong("单位").id;
            let note_label = ui.strong("交货要求/备注").id;
            ui.strong("含税单价");
            ui.strong("金额");
            ui.label("");
            ui.end_row();
            for (i, l) in self.lines.iter_mut().enumerate() {
                ui.label(&l.product.draft.name);
                ui.label(RichText::new(&l.product.draft.model).color(MUTED));
                ui.vertical(|ui| {
                    ui.add(
                        egui::TextEdit::singleline(&mut l.qty)
                            .desired_width(70.0)
                            .min_size(egui::vec2(70.0, 0.0))
                            .hint_text("数量"),
                    )
                    .labelled_by(qty_label);
                    field_error(ui, self.errors.field(&format!("line{i}.qty")));
                });
                ui.add(egui::TextEdit::singleline(&mut l.unit).desired_width(40.0).min_size(egui::vec2(40.0, 0.0)))
                    .labelled_by(unit_label);
                ui.add(
                    egui::TextEdit::singleline(&mut l.note)
                        .desired_width(200.0)
                        .min_size(egui::vec2(200.0, 0.0))
                        .hint_text("如：月底前到货"),
                )
                .labelled_by(note_label);
                let answer = answers.iter().find(|a| a.product == l.product.id);
                match answer {
                    Some(a) => ui.label(a.list_price.yuan_display()),
                    None => ui.label(RichText::new("未报价").small().color(MUTED)),
                };
                let amount = answer.zip(Quantity::parse(&l.qty).ok()).map(|(a, q)| amount_of(q, a.list_price));
                ui.label(amount.map(|m| m.yuan_display()).unwrap_or_default());
                if ui.small_button("删除").clicked() {
                    remove = Some(i);
                }
                ui.end_row();
            }
        });
        if let Some(i) = remove {
            self.lines.remove(i);
            self.errors.forget("line");
            self.follow_subject();
        }
    }

    fn answers_ui(&self, ui: &mut Ui) {
        let shown: Vec<&PhoneAnswer> =
            self.answers.iter().filter(|a| self.lines.iter().any(|l| l.product.id == a.product)).collect();
        let Some(first) = shown.first() else { return };
        let (effective, note) = first.version_label.split_once(" · ").unwrap_or((&first.version_label, ""));
        let table = if note.is_empty() { String::new() } else { format!("（{note}）") };
        egui::Frame::group(ui.style()).fill(OK_GREEN.gamma_multiply(0.06)).show(ui, |ui| {
            ui.label(RichText::new(format!("按 {effective}的价格表{table}答复，单价均为含税价：")).strong());
            egui::Grid::new("phone_answers").striped(true).num_columns(6).spacing([14.0, 4.0]).show(ui, |ui| {
                for t in ["产品编码", "产品名称", "型号规格", "单位", "含税单价", "税率"] {
                    ui.strong(t);
                }
                ui.end_row();
                for a in &shown {
                    ui.label(&a.code);
                    ui.label(&a.name);
                    ui.label(&a.model);
                    ui.label(&a.unit);
                    ui.label(RichText::new(a.list_price.yuan_display()).strong());
                    ui.label(format!("含税 {}", a.tax_rate));
                    ui.end_row();
                }
            });
            if self.lines.iter().any(|l| self.answer_for(l).is_none()) {
                ui.label(RichText::new("有新添加的产品尚未报价，请再按“报价（标准价）”。").small().color(ERROR_RED));
            }
        });
    }

    /// Σ quantity × list price, when every line has a quantity and a price.
    fn estimate(&self) -> Option<Money> {
        if self.lines.is_empty() {
            return None;
        }
        self.lines.iter().try_fold(Money::ZERO, |sum, l| {
            let qty = Quantity::parse(&l.qty).ok()?;
            let price = self.answer_for(l).map(|a| a.list_price).unwrap_or(l.product.draft.list_price);
            sum.checked_add(amount_of(qty, price))
        })
    }

    fn register_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, wide: bool) {
        let errors = self.errors.clone();
        // Two fields a row where there is room, so the whole call fits on one screen; one a row
        // on a small screen.
        egui::Grid::new("phone_register").num_columns(if wide { 4 } else { 2 }).spacing([10.0, 6.0]).show(ui, |ui| {
            cell_field(ui, "事由", &mut self.subject, "", errors.field("subject"), false);
            if !wide {
                ui.end_row();
            }
            let l = ui.label("要求回复/交货日期");
            ui.vertical(|ui| {
                let today = chrono::Local::now().date_naive();
                widgets::date_field(ui, &mut self.wanted_by, "如 2026-12-31，可不填", 250.0, today, false)
                    .labelled_by(l.id);
                field_error(ui, errors.field("wanted_by"));
            });
            ui.end_row();
            cell_field(ui, "备注", &mut self.notes, "交货地点、付款方式等", errors.field("notes"), true);
            if !wide {
                ui.end_row();
            }
            ui.label("预计金额");
            match self.estimate() {
                Some(m) => ui.label(format!("{}（数量 × 列表价，含税）", m.yuan_display())),
                None => ui.label(RichText::new("各产品填写数量后按列表价估算").small().color(MUTED)),
            };
            ui.end_row();
        });
        ui.horizontal(|ui| {
            if ui.add_enabled(!self.registering.is_waiting(), egui::Button::new("登记为询价")).clicked()
                && let Some(draft) = self.draft()
            {
                let answers: Vec<PhoneAnswer> = self
                    .answers
                    .iter()
                    .filter(|a| self.lines.iter().any(|l| l.product.id == a.product))
                    .cloned()
                    .collect();
                self.registering = cx.ask(move |svc, a| svc.register_phone_inquiry(a, draft, &answers));
            }
            if ui.button("清空，接下一个电话").clicked() {
                self.clear();
            }
        });
    }

    /// The inquiry as typed, or `None` with a message under each field that cannot be read.
    fn draft(&mut self) -> Option<InquiryDraft> {
        let mut errors = Vec::new();
        let mut lines = Vec::new();
        for (i, l) in self.lines.iter().enumerate() {
            let quantity = if l.qty.trim().is_empty() {
                None
            } else {
                Quantity::parse(&l.qty)
                    .map_err(|e| errors.push(FieldError::new(format!("line{i}.qty"), e.to_string())))
                    .ok()
            };
            let d = &l.product.draft;
            lines.push(InquiryLine {
                product: Some(l.product.id),
                description: d.name.clone(),
                model: d.model.clone(),
                quantity,
                unit: l.unit.trim().to_string(),
                note: l.note.trim().to_string(),
            });
        }
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
        self.errors.set_fields(errors);
        if !self.errors.is_empty() {
            return None;
        }
        Some(InquiryDraft {
            kind: InquiryKind::Inquiry,
            customer: self.caller.customer_id(),
            contact: self.caller.contact,
            source: InquirySource::Phone,
            subject: self.subject.clone(),
            lines,
            estimate: self.estimate(),
            wanted_by,
            notes: self.notes.clone(),
            ..Default::default()
        })
    }

    fn new_customer_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let Some(card) = &mut self.new_customer else { return };
        let mut close = false;
        let modal = egui::Modal::new(egui::Id::unique("phone_new_customer")).show(ui.ctx(), |ui| {
            ui.set_width(600.0f32.min(ui.ctx().content_rect().width() - 60.0));
            let height = (ui.ctx().content_rect().height() - 190.0).clamp(200.0, 620.0);
            close = card.dialog_ui(ui, cx, height);
        });
        if let Some(existing) = card.open_other.take() {
            // The duplicate warning named a customer already in the archive: that is the caller.
            self.caller.choose(existing, cx);
            close = true;
        }
        let dirty = self.new_customer.as_ref().is_some_and(Card::is_dirty);
        if close || (modal.should_close() && !dirty) {
            self.new_customer = None;
        }
    }
}

/// quantity × list price (DESIGN §4; no discount on the phone).
fn amount_of(qty: Quantity, price: Money) -> Money {
    line_amount(qty, price, Discount::ZERO)
}

/// A label and its box (one or two lines) with the field's error under it, as two grid cells.
fn cell_field(ui: &mut Ui, label: &str, value: &mut String, hint: &str, error: Option<&str>, multiline: bool) {
    let l = ui.label(label);
    ui.vertical(|ui| {
        let edit = if multiline {
            egui::TextEdit::multiline(value).desired_rows(2)
        } else {
            egui::TextEdit::singleline(value)
        };
        let width = if multiline { 340.0 } else { 300.0 };
        ui.add(edit.hint_text(hint).desired_width(width).min_size(egui::vec2(width, 0.0))).labelled_by(l.id);
        field_error(ui, error);
    });
}

/// The width (points) from which the caller and the products sit side by side.
const WIDE: f32 = 1000.0;

/// A titled group for one step of the call.
fn step_frame(ui: &mut Ui, title: &str, add: impl FnOnce(&mut Ui)) {
    egui::Frame::group(ui.style()).inner_margin(10.0).show(ui, |ui| {
        // Leave room for the page's scroll bar, which floats over the right edge.
        ui.set_width(ui.available_width() - 10.0);
        ui.label(RichText::new(title).strong().size(15.0));
        ui.add_space(4.0);
        add(ui);
    });
}
