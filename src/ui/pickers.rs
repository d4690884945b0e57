//! Pickers shared by the phone desk, the inquiry and visit forms and the quote builder: find a
//! customer (name, pinyin initials, phone) and one of its contacts; find a product of the price
//! table in force. Each asks the service itself and takes its answers when it is drawn (a picker
//! matters only while on screen); they never decide anything.

use std::sync::Arc;

use chrono::{DateTime, Local, NaiveDateTime, TimeZone, Utc};
use egui::{RichText, Ui};

use crate::domain::customer::{Customer, CustomerSummary};
use crate::domain::ids::{ContactId, CustomerId};
use crate::domain::product::Product;
use crate::domain::search::SearchIndex;
use crate::service::{CustomerFilter, CustomerPage, PriceTable, product_searchable};
use crate::ui::panel::Cx;
use crate::ui::theme::{self, ERROR_RED, MUTED, OK_GREEN};
use crate::ui::widgets::{Toasts, field_error};
use crate::ui::worker::Reply;

/// How many customers a picker lists.
pub const PICK_LIMIT: usize = 20;

/// Which form a picker sits in (it keeps the pickers' widgets apart).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Picker {
    PhoneDesk,
    InquiryForm,
    QuoteBuilder,
    VisitForm,
}

/// A time shown in the office's local time: `2026-12-15 09:30`.
pub fn local_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string()
}

/// Reads a local time as the office writes it (`2026-12-15 09:30`) and returns it in UTC.
pub fn parse_local_time(text: &str) -> Result<DateTime<Utc>, String> {
    let today = Local::now().date_naive();
    let text = text.trim().replace('：', ":");
    let naive = ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&text, f).ok())
        // As people type it: 12-8 10:00, 2026/12/8 9:30, 12月8日 10点.
        .or_else(|| crate::domain::dates::parse_day_time(&text, today))
        .ok_or_else(|| "时间格式应为 2026-12-15 09:30（也可写 12-15 9:30）".to_string())?;
    Local
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| "该时间在本地时区不存在，请换一个时间".to_string())
}

/// The caller's (or the inquiry's) customer and contact.
pub struct CustomerPicker {
    picker: Picker,
    pub query: String,
    sent: Option<String>,
    /// Replaced by every new search: an answer to a query typed past is dropped with it.
    search: Reply<CustomerPage>,
    page: CustomerPage,
    chosen: Option<Customer>,
    loading: Option<CustomerId>,
    opening: Reply<Customer>,
    pub contact: Option<ContactId>,
    /// The customer cannot be changed (a visit plan being edited): only the contact.
    pub fixed: bool,
}

impl CustomerPicker {
    pub fn new(picker: Picker) -> Self {
        CustomerPicker {
            picker,
            query: String::new(),
            sent: None,
            search: Reply::default(),
            page: CustomerPage::default(),
            chosen: None,
            loading: None,
            opening: Reply::default(),
            contact: None,
            fixed: false,
        }
    }

    /// Starts with a customer already chosen (an inquiry being edited): loads it with its contacts.
    pub fn preset(&mut self, id: CustomerId, contact: Option<ContactId>, cx: &mut Cx<'_>) {
        self.contact = contact;
        self.choose(id, cx);
    }

    pub fn customer_id(&self) -> Option<CustomerId> {
        self.chosen.as_ref().map(|c| c.id).or(self.loading)
    }

    pub fn choose(&mut self, id: CustomerId, cx: &mut Cx<'_>) {
        self.loading = Some(id);
        self.opening = cx.ask(move |svc, a| svc.customer(a, id));
    }

    /// A customer chosen elsewhere (just created): taken as it is.
    pub fn set_customer(&mut self, c: Customer) {
        self.contact = None;
        self.loading = Some(c.id);
        self.opening.forget();
        self.loaded(Ok(c), &mut Toasts::default());
    }

    /// Takes in the answers that came (called as the picker is drawn).
    fn take_answers(&mut self, toasts: &mut Toasts) {
        match self.search.take() {
            Some(Ok(page)) => self.page = page,
            Some(Err(e)) => toasts.error(e.to_string()),
            None => {}
        }
        if let Some(r) = self.opening.take() {
            self.loaded(r, toasts);
        }
    }

    fn loaded(&mut self, r: crate::ui::worker::Res<Customer>, toasts: &mut Toasts) {
        match r {
            Ok(c) if self.loading == Some(c.id) => {
                let ids: Vec<Option<ContactId>> = c.draft.contacts.iter().map(|k| k.id).collect();
                if !self.contact.is_some_and(|k| ids.contains(&Some(k))) {
                    let primary = c.draft.contacts.iter().find(|k| k.primary).or(c.draft.contacts.first());
                    self.contact = primary.and_then(|k| k.id);
                }
                self.loading = None;
                self.chosen = Some(c);
            }
            Ok(_) => {}
            Err(e) => {
                self.loading = None;
                toasts.error(e.to_string());
            }
        }
    }

    /// Draws the search (no customer yet) or the chosen customer with its contacts.
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, customer_error: Option<&str>, contact_error: Option<&str>) {
        self.take_answers(cx.toasts);
        if self.loading.is_some() {
            ui.horizontal(|ui| {
                ui.add(egui::Spinner::new());
                ui.label("正在打开客户…");
            });
        } else if self.chosen.is_some() {
            self.chosen_ui(ui, contact_error);
        } else {
            self.search_ui(ui, cx);
        }
        field_error(ui, customer_error);
    }

    fn search_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let q = self.query.trim().to_string();
        if self.sent.as_deref() != Some(q.as_str()) {
            self.sent = Some(q.clone());
            self.page = CustomerPage::default();
            self.search = Reply::default();
            if !q.is_empty() {
                let filter = CustomerFilter { query: q.clone(), ..Default::default() };
                self.search = cx.ask(move |svc, a| svc.search_customers(a, &filter, PICK_LIMIT));
            }
        }
        let search = ui
            .horizontal(|ui| {
                let l = ui.label("查找客户");
                ui.add(
                    egui::TextEdit::singleline(&mut self.query)
                        .hint_text("名称、拼音首字母、联系人或电话")
                        .desired_width(260.0),
                )
                .labelled_by(l.id)
            })
            .inner;
        let enter = search.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if q.is_empty() {
            return;
        }
        // Enter picks the only match (the caller is waiting on the line).
        if enter && self.page.rows.len() == 1 {
            let id = self.page.rows[0].id;
            self.choose(id, cx);
            return;
        }
        if self.page.rows.is_empty() {
            ui.label(RichText::new("没有找到匹配的客户。").color(MUTED));
            return;
        }
        let rows: Vec<Arc<CustomerSummary>> = self.page.rows.clone();
        let mut picked = None;
        egui::ScrollArea::vertical().id_salt(("customer_hits", self.picker_salt())).max_height(230.0).show(ui, |ui| {
            egui::Grid::new(("customer_hits_grid", self.picker_salt())).striped(true).num_columns(3).show(ui, |ui| {
                for s in &rows {
                    if ui.selectable_label(false, &s.name).on_hover_text("选择此客户").clicked() {
                        picked = Some(s.id);
                    }
                    ui.label(&s.contact);
                    let phone = if s.contact_phone.is_empty() { &s.phone } else { &s.contact_phone };
                    ui.label(RichText::new(phone).color(MUTED));
                    ui.end_row();
                }
            });
        });
        if self.page.matched > PICK_LIMIT {
            let more = format!("共找到 {} 位，只显示前 {PICK_LIMIT} 位；请输入更多字缩小范围。", self.page.matched);
            ui.label(RichText::new(more).small().color(MUTED));
        } else if rows.len() == 1 {
            ui.label(RichText::new("只有一个匹配：按 Enter 选择").small().color(MUTED));
        }
        if let Some(id) = picked {
            self.choose(id, cx);
        }
    }

    fn picker_salt(&self) -> u8 {
        match self.picker {
            Picker::PhoneDesk => 0,
            Picker::InquiryForm => 1,
            Picker::QuoteBuilder => 2,
            Picker::VisitForm => 3,
        }
    }

    fn chosen_ui(&mut self, ui: &mut Ui, contact_error: Option<&str>) {
        let Some(c) = &self.chosen else { return };
        let mut change = false;
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(&c.draft.name).strong());
            if c.owner.is_none() {
                theme::badge(ui, "公海", OK_GREEN);
            } else {
                ui.label(RichText::new(format!("负责人：{}", c.owner_name)).small().color(MUTED));
            }
            if !self.fixed && ui.small_button("更换客户").clicked() {
                change = true;
            }
        });
        if !c.draft.phone.is_empty() {
            ui.label(RichText::new(format!("总机：{}", c.draft.phone)).small().color(MUTED));
        }
        ui.label(RichText::new("联系人").strong());
        if c.draft.contacts.is_empty() {
            ui.label(RichText::new("该客户尚无联系人，可在客户档案中补充。").small().color(MUTED));
        }
        egui::Grid::new(("contacts", self.picker_salt())).num_columns(3).show(ui, |ui| {
            for k in &c.draft.contacts {
                ui.radio_value(&mut self.contact, k.id, &k.name);
                ui.label(&k.title);
                let phones = [k.mobile.as_str(), k.phone.as_str()].into_iter().filter(|p| !p.is_empty());
                ui.label(RichText::new(phones.collect::<Vec<_>>().join(" / ")).color(MUTED));
                ui.end_row();
            }
            if !c.draft.contacts.is_empty() {
                ui.radio_value(&mut self.contact, None, "不指定联系人");
                ui.end_row();
            }
        });
        field_error(ui, contact_error);
        if change {
            self.chosen = None;
            self.contact = None;
        }
    }
}

/// Products of the price table in force, searchable by code, model, name and pinyin initials.
pub struct ProductPicker {
    picker: Picker,
    table: Option<PriceTable>,
    index: SearchIndex<usize>,
    requested: bool,
    loading: Reply<PriceTable>,
    pub query: String,
}

impl ProductPicker {
    pub fn new(picker: Picker) -> Self {
        ProductPicker {
            picker,
            table: None,
            index: SearchIndex::new(),
            requested: false,
            loading: Reply::default(),
            query: String::new(),
        }
    }

    /// Takes in the price table when it came (called as the picker is drawn).
    fn take_answers(&mut self, toasts: &mut Toasts) {
        match self.loading.take() {
            Some(Ok(t)) => {
                self.index = SearchIndex::new();
                for (i, p) in t.products.iter().enumerate() {
                    self.index.push(i, &product_searchable(&p.draft));
                }
                self.table = Some(t);
            }
            Some(Err(e)) => toasts.error(e.to_string()),
            None => {}
        }
    }

    /// Loads the table again the next time the picker is drawn (prices may have changed).
    pub fn invalidate(&mut self) {
        self.requested = false;
    }

    /// "2026-07-01 起执行 · 2026年下半年价格表"
    pub fn version_text(&self) -> Option<String> {
        let v = self.table.as_ref()?.version.as_ref()?;
        Some(format!("{} 起执行 · {}", v.effective, v.note))
    }

    /// Draws the search box and the matching products; returns the one the user added.
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) -> Option<Product> {
        if !self.requested {
            self.requested = true;
            self.loading = cx.ask(|svc, a| svc.price_table(a, None));
        }
        self.take_answers(cx.toasts);
        let search = ui
            .horizontal(|ui| {
                let l = ui.label("查找产品");
                ui.add(
                    egui::TextEdit::singleline(&mut self.query)
                        .hint_text("编码、型号、名称或拼音首字母")
                        .desired_width(260.0),
                )
                .labelled_by(l.id)
            })
            .inner;
        let enter = search.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let Some(table) = &self.table else {
            ui.add(egui::Spinner::new());
            return None;
        };
        if table.version.is_none() {
            ui.label(RichText::new("价格表还没有生效的版本。").color(ERROR_RED));
            return None;
        }
        if self.query.trim().is_empty() {
            return None;
        }
        let hits = self.index.search(&self.query, |i| table.products[i].draft.active, 8);
        if hits.is_empty() {
            ui.label(RichText::new("价格表中没有匹配的在售产品。").color(MUTED));
            return None;
        }
        let mut added = None;
        // The only match is picked with Enter, as in any office program.
        if enter && hits.len() == 1 {
            added = Some(table.products[hits[0]].clone());
        }
        // Code, name, model, the list price in force per unit: the caller hears the price at once.
        egui::Grid::new(("product_hits", self.picker == Picker::PhoneDesk)).striped(true).num_columns(5).show(
            ui,
            |ui| {
                for &i in &hits {
                    let p = &table.products[i];
                    ui.label(RichText::new(&p.draft.code).color(MUTED));
                    ui.label(&p.draft.name);
                    ui.label(RichText::new(&p.draft.model).color(MUTED));
                    ui.label(
                        RichText::new(format!("{} /{}", p.draft.list_price.yuan_display(), p.draft.unit)).strong(),
                    );
                    if ui.small_button("添加").on_hover_text(format!("添加 {}", p.draft.name)).clicked() {
                        added = Some(p.clone());
                    }
                    ui.end_row();
                }
            },
        );
        if hits.len() == 1 {
            ui.label(RichText::new("只有一个匹配：按 Enter 添加").small().color(MUTED));
        }
        if added.is_some() {
            self.query.clear();
        }
        added
    }
}
