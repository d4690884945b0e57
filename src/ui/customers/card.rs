//! The customer card (客户卡片): the edit form with contacts and invoicing details, ownership
//! actions (认领, 分配), the duplicate warning on create and, for the head, merging.

use egui::{RichText, Ui};

use super::grade_color;
use crate::domain::customer::{Contact, Customer, CustomerDraft, Grade, INDUSTRIES, SOURCES};
use crate::domain::ids::{CustomerId, UserId};
use crate::domain::region::PROVINCES;
use crate::domain::role::Permission;
use crate::domain::timeline::{TimelineEntry, TimelineKind, TimelineLink};
use crate::domain::user::UserAccount;
use crate::service::{DuplicateHint, ServiceError};
use crate::ui::panel::{Cx, Event, Link};
use crate::ui::theme::{self, ERROR_RED, KEY_PURPLE, MUTED, OK_GREEN, PENDING_AMBER, TENDER_BLUE};
use crate::ui::widgets::{self, FormErrors, text_field};
use crate::ui::worker::Reply;

/// What became of a card's customer, for the panel that holds the card.
pub enum CardNews {
    /// It could not be opened (the card closes; the toast said why).
    NotOpened,
    /// Saved (created, edited, claimed, assigned or merged into): as it is now.
    Saved(Box<Customer>),
}

pub struct Card {
    id: Option<CustomerId>,
    stored: Option<Customer>,
    draft: CustomerDraft,
    /// Owner for a new customer (head/admin) or the assign picker.
    owner_choice: Option<UserId>,
    errors: FormErrors,
    /// Likely duplicates found when creating: the user opens one or confirms.
    duplicates: Vec<DuplicateHint>,
    /// Similar customers of a stored one, for the head to merge.
    similar: Vec<DuplicateHint>,
    similar_requested: bool,
    confirm_merge: Option<DuplicateHint>,
    /// The card asks the list to open another customer.
    pub open_other: Option<CustomerId>,
    /// 往来记录: asked once the customer is loaded; `Err` is the service's refusal.
    timeline: Option<Result<Vec<TimelineEntry>, String>>,
    timeline_requested: bool,
    /// Which page of a stored customer's card is shown: 客户资料 (false) or 往来记录.
    show_timeline: bool,
    /// Opening the customer.
    opening: Reply<Customer>,
    /// A save, claim, assignment or merge: the customer as it is now.
    saving: Reply<Customer>,
    finding_similar: Reply<Vec<DuplicateHint>>,
    loading_timeline: Reply<Vec<TimelineEntry>>,
}

impl Card {
    /// Opens customer `id` (its card shows a spinner until it comes).
    pub fn open(id: CustomerId, cx: &Cx<'_>) -> Card {
        Card { id: Some(id), opening: cx.ask(move |svc, a| svc.customer(a, id)), ..Card::new_customer() }
    }

    pub fn new_customer() -> Card {
        Card {
            id: None,
            stored: None,
            draft: CustomerDraft {
                contacts: vec![Contact { primary: true, ..Default::default() }],
                ..Default::default()
            },
            owner_choice: None,
            errors: FormErrors::default(),
            duplicates: Vec::new(),
            similar: Vec::new(),
            similar_requested: false,
            confirm_merge: None,
            open_other: None,
            timeline: None,
            timeline_requested: false,
            show_timeline: false,
            opening: Reply::default(),
            saving: Reply::default(),
            finding_similar: Reply::default(),
            loading_timeline: Reply::default(),
        }
    }

    fn from_customer(c: Customer) -> Card {
        let mut card = Card::new_customer();
        card.id = Some(c.id);
        card.draft = c.draft.clone();
        card.owner_choice = c.owner;
        card.stored = Some(c);
        card
    }

    /// Takes in the answers; tells the card's holder what happened that concerns it.
    pub fn logic(&mut self, cx: &mut Cx<'_>) -> Option<CardNews> {
        let mut news = None;
        match self.opening.take() {
            Some(Ok(c)) => *self = Card::from_customer(c),
            Some(Err(e)) => {
                cx.toasts.error(e.to_string());
                return Some(CardNews::NotOpened);
            }
            None => {}
        }
        match self.saving.take() {
            Some(Ok(c)) => {
                cx.emit(Event::CustomerChanged(c.id));
                let show_timeline = self.show_timeline;
                *self = Card::from_customer(c.clone());
                self.show_timeline = show_timeline;
                news = Some(CardNews::Saved(Box::new(c)));
            }
            Some(Err(e)) => self.failed(e, cx),
            None => {}
        }
        if let Some(r) = self.finding_similar.take() {
            self.similar = r.unwrap_or_default();
        }
        if let Some(r) = self.loading_timeline.take() {
            self.timeline = Some(r.map_err(|e| e.to_string()));
        }
        news
    }

    pub fn id(&self) -> Option<CustomerId> {
        self.id
    }

    /// Unsaved input that closing or switching would lose.
    pub fn is_dirty(&self) -> bool {
        match &self.stored {
            Some(c) => c.draft != self.draft,
            None => self.id.is_none() && !self.draft.name.trim().is_empty(),
        }
    }

    /// Asks for the timeline again (a visit, inquiry or quote of this customer changed).
    pub fn refresh_timeline(&mut self) {
        self.timeline_requested = false;
    }

    /// A failed save keeps the form as typed and says why.
    fn failed(&mut self, e: ServiceError, cx: &mut Cx<'_>) {
        self.errors.clear();
        match e {
            ServiceError::PossibleDuplicates(hints) => self.duplicates = hints,
            other => self.errors.refused(other, cx.toasts),
        }
    }

    /// Draws the card; returns true when it should close.
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, salespeople: &[UserAccount]) -> bool {
        if self.id.is_some() && self.stored.is_none() {
            ui.add(egui::Spinner::new());
            return false;
        }
        let mut close = false;
        self.header_ui(ui, cx, salespeople);
        if self.stored.is_some() {
            ui.horizontal(|ui| {
                ui.selectable_value(&mut self.show_timeline, false, "客户资料");
                ui.selectable_value(&mut self.show_timeline, true, "往来记录");
            });
            ui.separator();
        }
        if self.show_timeline && self.stored.is_some() {
            self.timeline_ui(ui, cx);
            ui.separator();
            return ui.button("关闭").clicked() || crate::ui::widgets::escape_closes(ui);
        }
        let editable = self.editable(cx);
        ui.add_enabled_ui(editable, |ui| self.form_ui(ui));
        close |= self.buttons_ui(ui, cx, true);
        if self.stored.is_some() && cx.actor.may(Permission::MergeCustomers) {
            self.merge_ui(ui, cx);
        }
        close
    }

    /// A new customer in a dialog (the phone desk's 新建客户): the fields scroll within `height`,
    /// the duplicate warnings, errors and buttons stay in sight under them. Returns true when it
    /// should close.
    pub fn dialog_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, height: f32) -> bool {
        egui::ScrollArea::vertical().max_height(height).show(ui, |ui| {
            self.header_ui(ui, cx, &[]);
            let editable = self.editable(cx);
            ui.add_enabled_ui(editable, |ui| self.form_ui(ui));
        });
        self.buttons_ui(ui, cx, false)
    }

    /// The errors, the duplicate warnings and 保存/放弃修改/关闭; returns true when 关闭 was chosen.
    /// `scrolled`: the card's own scroll area holds them (the archive's pane), so the warnings
    /// take the room they need there; in the dialog they scroll in a box of their own under the
    /// fields (a box nested in the pane's scroll got only what was left of the view: two lines).
    fn buttons_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, scrolled: bool) -> bool {
        let editable = self.editable(cx);
        let mut close = false;
        self.errors.banner_ui(ui);
        if !self.duplicates.is_empty() {
            if scrolled {
                self.duplicates_ui(ui, cx);
            } else {
                egui::ScrollArea::vertical().id_salt("customer_duplicates").max_height(180.0).show(ui, |ui| {
                    self.duplicates_ui(ui, cx);
                });
            }
        }
        ui.separator();
        ui.horizontal(|ui| {
            if editable && ui.add_enabled(!self.saving.is_waiting(), egui::Button::new("保存")).clicked() {
                self.save(cx, false);
            }
            if self.is_dirty()
                && ui.button("放弃修改").clicked()
                && let Some(c) = self.stored.clone()
            {
                *self = Card::from_customer(c);
            }
            if ui.button("关闭").clicked() || crate::ui::widgets::escape_closes(ui) {
                close = true;
            }
        });
        close
    }

    /// 往来记录: visits, inquiries, quotes, revisions and approvals, newest first; a click opens
    /// the record.
    fn timeline_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let Some(id) = self.id else { return };
        if !self.timeline_requested {
            self.timeline_requested = true;
            self.loading_timeline = cx.ask(move |svc, a| svc.customer_timeline(a, id));
        }
        match &self.timeline {
            None => {
                ui.add(egui::Spinner::new());
            }
            Some(Err(e)) => {
                ui.label(RichText::new(e).color(ERROR_RED));
            }
            Some(Ok(list)) if list.is_empty() => {
                ui.label(RichText::new("还没有拜访、询价或报价记录。").color(MUTED));
            }
            Some(Ok(list)) => {
                let hint = format!("共 {} 条，最新的在前；点击一条打开原记录。", list.len());
                ui.label(RichText::new(hint).small().color(MUTED));
                egui::Grid::new("timeline_grid").num_columns(3).striped(true).spacing([8.0, 4.0]).show(ui, |ui| {
                    for e in list {
                        ui.add(egui::Label::new(RichText::new(local_day(e.at)).color(MUTED)).extend());
                        let color = if e.alert { ERROR_RED } else { kind_color(e.kind) };
                        ui.horizontal(|ui| theme::badge(ui, &e.badge, color));
                        // One line each: the rest of a long summary is in the tooltip.
                        ui.scope(|ui| {
                            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
                            let text = format!("{}　{}", e.summary, e.by);
                            if ui.selectable_label(false, text).on_hover_text(&e.summary).clicked() {
                                cx.emit(Event::Open(match e.link {
                                    TimelineLink::Visit(id) => Link::Visit(id),
                                    TimelineLink::Inquiry(id) => Link::Inquiry(id),
                                    TimelineLink::Quote(id) => Link::Quote(id),
                                }));
                            }
                        });
                        ui.end_row();
                    }
                });
            }
        }
    }

    /// The service decides; this only avoids offering a form that will be refused.
    fn editable(&self, cx: &Cx<'_>) -> bool {
        let may_all = cx.actor.may(Permission::ViewAllCustomers) && cx.actor.may(Permission::EditCustomers);
        match &self.stored {
            None => cx.actor.may(Permission::EditCustomers),
            Some(c) => may_all || (cx.actor.may(Permission::EditCustomers) && c.owner == Some(cx.actor.id())),
        }
    }

    fn save(&mut self, cx: &mut Cx<'_>, confirmed: bool) {
        self.errors.clear();
        let version = self.stored.as_ref().map(|c| c.version).unwrap_or(0);
        let (id, draft, owner) = (self.id, self.draft.clone(), self.owner_choice);
        self.saving = cx.ask(move |svc, a| match id {
            None => svc.create_customer(a, draft, owner, confirmed),
            Some(id) => svc.update_customer(a, id, version, draft),
        });
    }

    fn header_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, salespeople: &[UserAccount]) {
        let title = if self.stored.is_some() { self.draft.name.clone() } else { "新建客户".to_string() };
        ui.heading(title);
        let Some(c) = self.stored.clone() else {
            if cx.actor.may(Permission::AssignCustomers) || cx.actor.may(Permission::ManageUsers) {
                owner_picker(ui, "负责人", &mut self.owner_choice, salespeople);
            } else if cx.actor.may(Permission::OwnCustomers) {
                ui.label(RichText::new("新客户由您负责。").small().color(MUTED));
            } else {
                ui.label(RichText::new("新客户将进入公海，由销售部负责人分配。").small().color(MUTED));
            }
            return;
        };
        ui.horizontal(|ui| {
            theme::badge(ui, c.draft.grade.label(), grade_color(c.draft.grade));
            match c.owner {
                None => theme::badge(ui, "公海", OK_GREEN),
                Some(_) => {
                    ui.label(format!("负责人：{}", c.owner_name));
                }
            }
            ui.label(RichText::new(format!("最后修改：{}，{}", c.updated_by, c.updated_at)).small().color(MUTED));
        });
        ui.horizontal(|ui| {
            if c.owner.is_none() && cx.actor.may(Permission::OwnCustomers) && ui.button("认领此客户").clicked() {
                let (id, version) = (c.id, c.version);
                self.saving = cx.ask(move |svc, a| svc.claim_customer(a, id, version));
            }
            if cx.actor.may(Permission::AssignCustomers) {
                owner_picker(ui, "分配给", &mut self.owner_choice, salespeople);
                if self.owner_choice != c.owner && ui.button("确定分配").clicked() {
                    let (id, version, owner) = (c.id, c.version, self.owner_choice);
                    self.saving = cx.ask(move |svc, a| svc.assign_customer(a, id, version, owner));
                }
            }
        });
    }

    fn form_ui(&mut self, ui: &mut Ui) {
        let errors = self.errors.clone();
        let e = |f: &str| errors.field(f).map(str::to_string);
        let d = &mut self.draft;
        egui::Grid::new("customer_form").num_columns(2).spacing([10.0, 6.0]).show(ui, |ui| {
            text_field(ui, "客户名称", &mut d.name, e("name").as_deref(), false);
            text_field(ui, "简称", &mut d.short_name, None, false);
            text_field(ui, "统一社会信用代码", &mut d.credit_code, e("credit_code").as_deref(), false);
            choice_row(ui, "等级", &mut d.grade, Grade::ALL.iter().map(|g| (*g, g.label().to_string())));
            suggest_row(ui, "来源", &mut d.source, SOURCES);
            suggest_row(ui, "行业", &mut d.industry, INDUSTRIES);
            let provinces: Vec<&str> = PROVINCES.iter().map(|(_, s)| *s).collect();
            suggest_row(ui, "省份", &mut d.province, &provinces);
            text_field(ui, "城市", &mut d.city, None, false);
            text_field(ui, "地址", &mut d.address, None, false);
            text_field(ui, "总机", &mut d.phone, e("phone").as_deref(), false);
            widgets::text_area(ui, "备注", &mut d.notes, None);
        });
        ui.collapsing("开票资料", |ui| {
            egui::Grid::new("invoice_form").num_columns(2).spacing([10.0, 6.0]).show(ui, |ui| {
                text_field(ui, "开票抬头", &mut d.invoice.title, None, false);
                text_field(ui, "地址、电话", &mut d.invoice.address_phone, None, false);
                text_field(ui, "开户行", &mut d.invoice.bank_name, None, false);
                text_field(ui, "银行账号", &mut d.invoice.bank_account, None, false);
            });
        });
        ui.label(RichText::new("联系人").strong());
        let mut remove = None;
        let mut make_primary = None;
        for (i, c) in d.contacts.iter_mut().enumerate() {
            let ce = |f: &str| e(&format!("contact{i}.{f}"));
            egui::Frame::group(ui.style()).show(ui, |ui| {
                egui::Grid::new(("contact", i)).num_columns(2).spacing([10.0, 4.0]).show(ui, |ui| {
                    text_field(ui, &format!("联系人{} 姓名", i + 1), &mut c.name, ce("name").as_deref(), false);
                    text_field(ui, &format!("联系人{} 职务", i + 1), &mut c.title, None, false);
                    text_field(ui, &format!("联系人{} 手机", i + 1), &mut c.mobile, ce("mobile").as_deref(), false);
                    text_field(ui, &format!("联系人{} 座机", i + 1), &mut c.phone, ce("phone").as_deref(), false);
                    text_field(ui, &format!("联系人{} 邮箱", i + 1), &mut c.email, ce("email").as_deref(), false);
                    text_field(ui, &format!("联系人{} 微信", i + 1), &mut c.wechat, None, false);
                });
                ui.horizontal(|ui| {
                    if c.primary {
                        theme::badge(ui, "主要联系人", OK_GREEN);
                    } else if ui.small_button("设为主要联系人").clicked() {
                        make_primary = Some(i);
                    }
                    if ui.small_button("删除此联系人").clicked() {
                        remove = Some(i);
                    }
                });
            });
        }
        if let Some(i) = make_primary {
            for (j, c) in d.contacts.iter_mut().enumerate() {
                c.primary = i == j;
            }
        }
        if let Some(i) = remove {
            d.contacts.remove(i);
        }
        if ui.button("＋ 添加联系人").clicked() {
            let primary = d.contacts.is_empty();
            d.contacts.push(Contact { primary, ..Default::default() });
        }
    }

    fn duplicates_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        egui::Frame::group(ui.style()).stroke(egui::Stroke::new(1.0, ERROR_RED)).show(ui, |ui| {
            ui.label(RichText::new("可能与以下已有客户重复").strong().color(ERROR_RED));
            for h in self.duplicates.clone() {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(&h.name).strong());
                    ui.label(format!("负责人：{}", h.owner_name));
                    let why: Vec<String> = h.reasons.iter().map(|r| r.text()).collect();
                    ui.label(RichText::new(why.join("；")).small().color(MUTED));
                    if h.visible && ui.small_button("打开已有客户").clicked() {
                        self.open_other = Some(h.id);
                    }
                });
            }
            ui.label("如确认是不同的单位，可以继续新建。");
            ui.horizontal(|ui| {
                if ui.button("仍然新建").clicked() {
                    self.duplicates.clear();
                    self.save(cx, true);
                }
                if ui.button("返回修改").clicked() {
                    self.duplicates.clear();
                }
            });
        });
    }

    fn merge_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let Some(c) = self.stored.clone() else { return };
        if !self.similar_requested {
            self.similar_requested = true;
            let (draft, except) = (c.draft.clone(), c.id);
            self.finding_similar = cx.ask(move |svc, a| svc.find_duplicates(a, &draft, Some(except)));
        }
        ui.separator();
        ui.collapsing(format!("疑似重复的客户（{}）", self.similar.len()), |ui| {
            if self.similar.is_empty() {
                ui.label(RichText::new("没有发现疑似重复的客户。").color(MUTED));
            }
            for h in self.similar.clone() {
                ui.horizontal_wrapped(|ui| {
                    ui.label(&h.name);
                    ui.label(RichText::new(format!("（{}）", h.owner_name)).small());
                    if ui.small_button("打开").clicked() {
                        self.open_other = Some(h.id);
                    }
                    if ui.small_button("把本客户并入它").clicked() {
                        self.confirm_merge = Some(h.clone());
                    }
                });
            }
        });
        let Some(target) = self.confirm_merge.clone() else { return };
        let modal = egui::Modal::new(egui::Id::unique("confirm_merge")).show(ui.ctx(), |ui| {
            ui.set_width(420.0);
            ui.heading("合并客户？");
            ui.label(format!(
                "“{}”的联系人和往来记录将并入“{}”，之后“{}”不再单独出现在客户档案中。此操作会记入审计日志。",
                c.draft.name, target.name, c.draft.name
            ));
            ui.horizontal(|ui| {
                if ui.button("确认合并").clicked() {
                    let (duplicate, keep) = ((c.id, c.version), (target.id, target.version));
                    self.saving = cx.ask(move |svc, a| svc.merge_customers(a, keep, duplicate));
                    self.confirm_merge = None;
                }
                if ui.button("取消").clicked() {
                    self.confirm_merge = None;
                }
            });
        });
        if modal.should_close() {
            self.confirm_merge = None;
        }
    }
}

pub fn owner_picker(ui: &mut Ui, label: &str, value: &mut Option<UserId>, salespeople: &[UserAccount]) {
    let current = value
        .and_then(|id| salespeople.iter().find(|u| u.id == id))
        .map(|u| u.display_name.clone())
        .unwrap_or_else(|| "公海（不指定）".into());
    let l = ui.label(label);
    egui::ComboBox::from_id_salt(("owner_picker", label))
        .selected_text(current)
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, "公海（不指定）");
            for u in salespeople.iter().filter(|u| u.active) {
                ui.selectable_value(value, Some(u.id), &u.display_name);
            }
        })
        .response
        .labelled_by(l.id);
}

/// `2026-11-27`, local.
fn local_day(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&chrono::Local).format("%Y-%m-%d").to_string()
}

fn kind_color(k: TimelineKind) -> egui::Color32 {
    match k {
        TimelineKind::Visit => PENDING_AMBER,
        TimelineKind::Inquiry | TimelineKind::Decision => TENDER_BLUE,
        TimelineKind::Quote | TimelineKind::Revision => KEY_PURPLE,
        TimelineKind::Approval => OK_GREEN,
    }
}

fn choice_row<T: PartialEq + Copy>(
    ui: &mut Ui,
    label: &str,
    value: &mut T,
    options: impl Iterator<Item = (T, String)>,
) {
    let options: Vec<(T, String)> = options.collect();
    let current = options.iter().find(|(v, _)| v == value).map(|(_, t)| t.clone()).unwrap_or_default();
    let l = ui.label(label);
    egui::ComboBox::from_id_salt(("choice", label))
        .selected_text(current)
        .show_ui(ui, |ui| {
            for (v, t) in options {
                ui.selectable_value(value, v, t);
            }
        })
        .response
        .labelled_by(l.id);
    ui.end_row();
}

/// A text field with a drop-down of common values (free text still allowed).
fn suggest_row(ui: &mut Ui, label: &str, value: &mut String, options: &[&str]) {
    let l = ui.label(label);
    ui.horizontal(|ui| {
        ui.add(egui::TextEdit::singleline(value).desired_width(200.0)).labelled_by(l.id);
        egui::ComboBox::from_id_salt(("suggest", label)).selected_text("选择").width(60.0).show_ui(ui, |ui| {
            for o in options {
                if ui.selectable_label(value == o, *o).clicked() {
                    *value = o.to_string();
                }
            }
        });
    });
    ui.end_row();
}
