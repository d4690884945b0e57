//! Pickers shared by the phone desk and the inquiry form: find a customer (name, pinyin initials,
//! phone) and one of its contacts; find a product of the price table in force. They only ask the
//! worker ([`InquiryRequest`]) and show what comes back; they never decide anything.

use std::sync::Arc;

use chrono::{DateTime, Local, NaiveDateTime, TimeZone, Utc};
use egui::{RichText, Ui};

use super::legacy::{InquiryRequest, PICK_LIMIT, Picker};
use super::panel::Cx;
use super::widgets::{self, Toasts};
use crate::domain::customer::{Customer, CustomerSummary};
use crate::domain::ids::{ContactId, CustomerId};
use crate::domain::product::Product;
use crate::domain::search::SearchIndex;
use crate::service::{CustomerPage, PriceTable, ServiceError, product_searchable};

/// A time shown in the office's local time: `2026-12-15 09:30`.
pub fn local_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string()
}

/// Reads a local time as the office writes it (`2026-12-15 09:30`) and returns it in UTC.
pub fn parse_local_time(text: &str) -> Result<DateTime<Utc>, String> {
    let text = text.trim().replace('：', ":").replace('/', "-");
    let naive = ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&text, f).ok())
        .ok_or_else(|| "时间格式应为 2026-12-15 09:30".to_string())?;
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
    seq: u64,
    page: CustomerPage,
    chosen: Option<Customer>,
    loading: Option<CustomerId>,
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
            seq: 0,
            page: CustomerPage::default(),
            chosen: None,
            loading: None,
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
        cx.send(InquiryRequest::PickCustomer { picker: self.picker, id }.into());
    }

    /// A customer chosen elsewhere (just created): taken as it is.
    pub fn set_customer(&mut self, c: Customer) {
        self.contact = None;
        self.loading = Some(c.id);
        self.loaded(Ok(c), &mut Toasts::default());
    }

    pub fn searched(&mut self, seq: u64, r: Result<CustomerPage, ServiceError>, toasts: &mut Toasts) {
        if seq != self.seq {
            return; // the user typed past this query
        }
        match r {
            Ok(page) => self.page = page,
            Err(e) => toasts.error(e.to_string()),
        }
    }

    pub fn loaded(&mut self, r: Result<Customer, ServiceError>, toasts: &mut Toasts) {
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
        if let Some(msg) = customer_error {
            ui.label(RichText::new(msg).color(widgets::ERROR_RED).small());
        }
    }

    fn search_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let q = self.query.trim().to_string();
        if self.sent.as_deref() != Some(q.as_str()) {
            self.sent = Some(q.clone());
            self.seq += 1;
            self.page = CustomerPage::default();
            if !q.is_empty() {
                cx.send(InquiryRequest::FindCustomers { picker: self.picker, seq: self.seq, query: q.clone() }.into());
            }
        }
        ui.horizontal(|ui| {
            let l = ui.label("查找客户");
            ui.add(
                egui::TextEdit::singleline(&mut self.query)
                    .hint_text("名称、拼音首字母、联系人或电话")
                    .desired_width(260.0),
            )
            .labelled_by(l.id);
        });
        if q.is_empty() {
            return;
        }
        if self.page.rows.is_empty() {
            ui.label(RichText::new("没有找到匹配的客户。").color(widgets::MUTED));
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
                    ui.label(RichText::new(phone).color(widgets::MUTED));
                    ui.end_row();
                }
            });
        });
        if self.page.matched > PICK_LIMIT {
            let more = format!("共找到 {} 位，只显示前 {PICK_LIMIT} 位；请输入更多字缩小范围。", self.page.matched);
            ui.label(RichText::new(more).small().color(widgets::MUTED));
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
                widgets::badge(ui, "公海", widgets::OK_GREEN);
            } else {
                ui.label(RichText::new(format!("负责人：{}", c.owner_name)).small().color(widgets::MUTED));
            }
            if !self.fixed && ui.small_button("更换客户").clicked() {
                change = true;
            }
        });
        if !c.draft.phone.is_empty() {
            ui.label(RichText::new(format!("总机：{}", c.draft.phone)).small().color(widgets::MUTED));
        }
        ui.label(RichText::new("联系人").strong());
        if c.draft.contacts.is_empty() {
            ui.label(RichText::new("该客户尚无联系人，可在客户档案中补充。").small().color(widgets::MUTED));
        }
        egui::Grid::new(("contacts", self.picker_salt())).num_columns(3).show(ui, |ui| {
            for k in &c.draft.contacts {
                ui.radio_value(&mut self.contact, k.id, &k.name);
                ui.label(&k.title);
                let phones = [k.mobile.as_str(), k.phone.as_str()].into_iter().filter(|p| !p.is_empty());
                ui.label(RichText::new(phones.collect::<Vec<_>>().join(" / ")).color(widgets::MUTED));
                ui.end_row();
            }
            if !c.draft.contacts.is_empty() {
                ui.radio_value(&mut self.contact, None, "不指定联系人");
                ui.end_row();
            }
        });
        if let Some(msg) = contact_error {
            ui.label(RichText::new(msg).color(widgets::ERROR_RED).small());
        }
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
    pub query: String,
}

impl ProductPicker {
    pub fn new(picker: Picker) -> Self {
        ProductPicker { picker, table: None, index: SearchIndex::new(), requested: false, query: String::new() }
    }

    pub fn loaded(&mut self, r: Result<PriceTable, ServiceError>, toasts: &mut Toasts) {
        match r {
            Ok(t) => {
                self.index = SearchIndex::new();
                for (i, p) in t.products.iter().enumerate() {
                    self.index.push(i, &product_searchable(&p.draft));
                }
                self.table = Some(t);
            }
            Err(e) => toasts.error(e.to_string()),
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
            cx.send(InquiryRequest::LoadProducts(self.picker).into());
        }
        ui.horizontal(|ui| {
            let l = ui.label("查找产品");
            ui.add(
                egui::TextEdit::singleline(&mut self.query)
                    .hint_text("编码、型号、名称或拼音首字母")
                    .desired_width(260.0),
            )
            .labelled_by(l.id);
        });
        let Some(table) = &self.table else {
            ui.add(egui::Spinner::new());
            return None;
        };
        if table.version.is_none() {
            ui.label(RichText::new("价格表还没有生效的版本。").color(widgets::ERROR_RED));
            return None;
        }
        if self.query.trim().is_empty() {
            return None;
        }
        let hits = self.index.search(&self.query, |i| table.products[i].draft.active, 8);
        if hits.is_empty() {
            ui.label(RichText::new("价格表中没有匹配的在售产品。").color(widgets::MUTED));
            return None;
        }
        let mut added = None;
        egui::Grid::new(("product_hits", self.picker == Picker::PhoneDesk)).striped(true).num_columns(4).show(
            ui,
            |ui| {
                for i in hits {
                    let p = &table.products[i];
                    ui.label(RichText::new(&p.draft.code).color(widgets::MUTED));
                    ui.label(&p.draft.name);
                    ui.label(RichText::new(format!("{}（{}）", p.draft.model, p.draft.unit)).color(widgets::MUTED));
                    if ui.small_button("添加").on_hover_text(format!("添加 {}", p.draft.name)).clicked() {
                        added = Some(p.clone());
                    }
                    ui.end_row();
                }
            },
        );
        if added.is_some() {
            self.query.clear();
        }
        added
    }
}
