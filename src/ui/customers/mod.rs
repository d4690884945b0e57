//! 客户档案: the searchable, filterable, virtualised customer list, with the customer card
//! (`card.rs`) beside it; import and export of the archive; the head's handover of one
//! salesperson's customers.

mod card;

pub use card::{Card, CardNews, owner_picker};

use std::sync::Arc;

use egui::Ui;
use egui_extras::{Column, TableBuilder};

use crate::domain::customer::{CustomerSummary, Grade, INDUSTRIES};
use crate::domain::ids::{CustomerId, UserId};
use crate::domain::region::PROVINCES;
use crate::domain::role::Permission;
use crate::domain::user::UserAccount;
use crate::service::{CustomerFilter, CustomerPage, OwnerFilter};
use crate::ui::panel::{Cx, Event, Panel};
use crate::ui::theme::{self, MUTED, OK_GREEN};
use crate::ui::transfer::{ExportDialog, ImportDialog, TransferKind};
use crate::ui::worker::Reply;

#[derive(Default)]
pub struct CustomersPanel {
    pub filter: CustomerFilter,
    /// The filter of the last search sent; a change sends a new one (search as you type).
    sent: Option<CustomerFilter>,
    /// Replaced by every new search: an answer to a query typed past is dropped with it.
    search: Reply<CustomerPage>,
    page: CustomerPage,
    loaded: bool,
    salespeople: Vec<UserAccount>,
    loading_salespeople: Reply<Vec<UserAccount>>,
    card: Option<Card>,
    /// A customer the user clicked while the card had unsaved changes.
    pending_open: Option<CustomerId>,
    import: Option<ImportDialog>,
    export: Option<ExportDialog>,
    handover_to: Option<UserId>,
    confirm_handover: Option<UserId>,
    handing_over: Reply<usize>,
    /// Customers ticked for 分配给 / 放入公海 (the head), and where they go.
    chosen: std::collections::BTreeSet<CustomerId>,
    assign_to: Option<UserId>,
    assigning: Reply<usize>,
}

pub fn grade_color(g: Grade) -> egui::Color32 {
    match g {
        Grade::A => theme::ERROR_RED,
        Grade::B => theme::GRADE_B_ORANGE,
        Grade::C => theme::TENDER_BLUE,
        Grade::D => MUTED,
    }
}

impl CustomersPanel {
    /// Searches again with the same filter when next shown.
    fn invalidate(&mut self) {
        self.sent = None;
    }
}

impl Panel for CustomersPanel {
    fn logic(&mut self, cx: &mut Cx<'_>) {
        match self.search.take() {
            Some(Ok(page)) => {
                self.page = page;
                self.loaded = true;
            }
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        match self.loading_salespeople.take() {
            Some(Ok(list)) => self.salespeople = list,
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        match self.assigning.take() {
            Some(Ok(n)) => {
                cx.toasts.success(format!("已分配 {n} 位客户。"));
                self.chosen.clear();
                cx.emit(Event::CustomersChanged);
            }
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        match self.handing_over.take() {
            Some(Ok(n)) => {
                cx.toasts.success(format!("已转交 {n} 位客户。"));
                cx.emit(Event::CustomersChanged);
            }
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        match self.card.as_mut().and_then(|c| c.logic(cx)) {
            Some(CardNews::NotOpened) => self.card = None,
            Some(CardNews::Saved(c)) => cx.toasts.success(format!("客户“{}”已保存。", c.draft.name)),
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
        match event {
            // Another seat wrote: the list is read again (open cards keep their input; a save
            // over a changed record is refused by its version, naming who changed it).
            Event::CustomerChanged(_) | Event::CustomersChanged | Event::OfficeChanged => self.invalidate(),
            Event::VisitChanged(_) | Event::InquiryChanged(_) | Event::QuoteChanged(_) => {
                if let Some(card) = &mut self.card {
                    card.refresh_timeline();
                }
            }
            _ => {}
        }
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if self.sent.as_ref() != Some(&self.filter) {
            let filter = self.filter.clone();
            self.sent = Some(filter.clone());
            self.search = cx.ask(move |svc, a| svc.search_customers(a, &filter, 0));
            if self.salespeople.is_empty() && !self.loading_salespeople.is_waiting() {
                self.loading_salespeople = cx.ask(|svc, a| svc.salespeople(a));
            }
        }
        // ↑/↓ move through the list (when no field has the keyboard): the next customer's card opens.
        let at = self.card.as_ref().and_then(|c| c.id()).and_then(|id| self.page.rows.iter().position(|r| r.id == id));
        if let Some(next) = crate::ui::widgets::arrow_step(ui, self.page.rows.len(), at) {
            let id = self.page.rows[next].id;
            self.open(id, cx);
        }
        let mut whole = false;
        if let Some(card) = &mut self.card {
            // The list needs about 560 points; below that the card takes the whole area.
            let salespeople = &self.salespeople;
            let (close, all) = crate::ui::widgets::card_pane(ui, "customer_card", 520.0, 420.0, 560.0, |ui| {
                card.ui(ui, cx, salespeople)
            });
            whole = all;
            if close {
                self.card = None;
            }
        }
        if let Some(other) = self.card.as_mut().and_then(|c| c.open_other.take()) {
            self.open(other, cx);
        }
        if whole {
            self.confirm_switch_ui(ui, cx);
            self.confirm_handover_ui(ui, cx);
            return;
        }
        theme::heading(ui, "客户档案", "");
        self.toolbar_ui(ui, cx);
        let may_assign = cx.actor.may(Permission::AssignCustomers);
        if may_assign && !self.chosen.is_empty() {
            self.assign_bar_ui(ui, cx);
        }
        let clicked = self.table_ui(ui, may_assign);
        if let Some(id) = clicked {
            self.open(id, cx);
        }
        self.confirm_switch_ui(ui, cx);
        self.confirm_handover_ui(ui, cx);
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

impl CustomersPanel {
    fn open(&mut self, id: CustomerId, cx: &mut Cx<'_>) {
        if self.card.as_ref().is_some_and(|c| c.is_dirty() && c.id() != Some(id)) {
            self.pending_open = Some(id);
            return;
        }
        self.card = Some(Card::open(id, cx));
    }

    fn toolbar_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        ui.horizontal_wrapped(|ui| {
            let l = ui.label("搜索");
            ui.add(
                egui::TextEdit::singleline(&mut self.filter.query)
                    .hint_text("名称、拼音首字母、联系人或电话")
                    .desired_width(230.0),
            )
            .labelled_by(l.id);
            self.owner_combo(ui, cx);
            combo(ui, "等级", &mut self.filter.grade, Grade::ALL.iter().map(|g| (Some(*g), g.label().to_string())));
            let provinces = PROVINCES.iter().map(|(_, s)| (s.to_string(), s.to_string()));
            combo(ui, "省份", &mut self.filter.province, provinces);
            combo(ui, "行业", &mut self.filter.industry, INDUSTRIES.iter().map(|s| (s.to_string(), s.to_string())));
            if self.filter != CustomerFilter::default() && ui.button("清除条件").clicked() {
                self.filter = CustomerFilter::default();
            }
            if cx.actor.may(Permission::EditCustomers) && ui.button("＋ 新建客户").clicked() {
                self.card = Some(Card::new_customer());
            }
            if cx.actor.may(Permission::ImportCustomers) && ui.button("导入…").clicked() {
                self.import = Some(ImportDialog::new(TransferKind::Customers, cx.today));
            }
            if ui.button("导出…").clicked() {
                self.export = Some(ExportDialog::new(TransferKind::Customers, cx.today));
            }
        });
        if let OwnerFilter::User(from) = self.filter.owner
            && cx.actor.may(Permission::AssignCustomers)
            && self.page.matched > 0
        {
            ui.horizontal(|ui| {
                let name =
                    self.salespeople.iter().find(|u| u.id == from).map(|u| u.display_name.clone()).unwrap_or_default();
                ui.label(format!("把{name}负责的全部客户转交给"));
                owner_picker(ui, "接手人", &mut self.handover_to, &self.salespeople);
                if ui.button("转交…").clicked() {
                    self.confirm_handover = Some(from);
                }
            });
        }
        let shown = if self.loaded {
            format!("找到 {} 位客户（您可查看的共 {} 位）", self.page.matched, self.page.visible_total)
        } else {
            "正在加载客户…".to_string()
        };
        ui.label(theme::muted(shown));
    }

    fn owner_combo(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let mut options = vec![(OwnerFilter::Any, "全部".to_string())];
        if cx.actor.may(Permission::OwnCustomers) {
            options.push((OwnerFilter::Mine, "我的客户".into()));
        }
        options.push((OwnerFilter::Pool, "公海".into()));
        if cx.actor.may(Permission::ViewAllCustomers) {
            options.extend(self.salespeople.iter().map(|u| {
                let name = if u.active { u.display_name.clone() } else { format!("{}（已停用）", u.display_name) };
                (OwnerFilter::User(u.id), name)
            }));
        }
        let current = options.iter().find(|(o, _)| *o == self.filter.owner).map(|(_, t)| t.clone()).unwrap_or_default();
        let l = ui.label("负责人");
        egui::ComboBox::from_id_salt("owner_filter")
            .selected_text(current)
            .show_ui(ui, |ui| {
                for (value, text) in options {
                    ui.selectable_value(&mut self.filter.owner, value, text);
                }
            })
            .response
            .labelled_by(l.id);
    }

    /// 已选 N 位客户: assign them to a salesperson or put them in the pool, in one step.
    fn assign_bar_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        ui.horizontal(|ui| {
            ui.label(format!("已选 {} 位客户", self.chosen.len()));
            owner_picker(ui, "分配给", &mut self.assign_to, &self.salespeople);
            let idle = !self.assigning.is_waiting();
            let ids: Vec<CustomerId> = self.chosen.iter().copied().collect();
            if ui.add_enabled(idle && self.assign_to.is_some(), egui::Button::new("分配")).clicked() {
                let (ids, to) = (ids.clone(), self.assign_to);
                self.assigning = cx.ask(move |svc, a| svc.assign_customers(a, &ids, to));
            }
            if ui.add_enabled(idle, egui::Button::new("放入公海")).clicked() {
                self.assigning = cx.ask(move |svc, a| svc.assign_customers(a, &ids, None));
            }
            if ui.button("清除选择").clicked() {
                self.chosen.clear();
            }
        });
    }

    /// Draws the list (with a tick column for the head); returns the customer the user clicked.
    fn table_ui(&mut self, ui: &mut Ui, may_assign: bool) -> Option<CustomerId> {
        let rows: &[Arc<CustomerSummary>] = &self.page.rows;
        let chosen = &mut self.chosen;
        let selected = self.card.as_ref().and_then(|c| c.id());
        // With the card open beside it, the list keeps only what identifies a customer.
        let full = self.card.is_none();
        let mut clicked = None;
        // A click on a row's text must select the row, not start a text selection.
        ui.style_mut().interaction.selectable_labels = false;
        let ticks = may_assign && full;
        // On a small screen the name, 地区 and 电话 narrow so 负责人 stays in sight.
        let narrow = crate::ui::widgets::narrow_list(ui);
        let mut table = TableBuilder::new(ui).striped(true).sense(egui::Sense::click());
        let mut titles = Vec::new();
        if ticks {
            table = table.column(Column::exact(28.0));
            titles.push("选");
        }
        let name_min = if narrow { 120.0 } else { 200.0 };
        table = table.column(Column::remainder().at_least(name_min).clip(true)).column(Column::exact(52.0));
        titles.extend(["客户名称", "等级"]);
        if full {
            table = table
                .column(Column::exact(if narrow { 80.0 } else { 110.0 }).clip(true))
                .column(Column::exact(80.0).clip(true))
                .column(Column::exact(80.0).clip(true))
                .column(Column::exact(if narrow { 100.0 } else { 120.0 }).clip(true));
            titles.extend(["地区", "行业", "联系人", "电话"]);
        }
        table
            .column(Column::exact(80.0))
            .header(24.0, |mut h| {
                titles.push("负责人");
                for t in titles {
                    h.col(|ui| {
                        ui.strong(t);
                    });
                }
            })
            .body(|body| {
                body.rows(26.0, rows.len(), |mut row| {
                    let s = &rows[row.index()];
                    row.set_selected(selected == Some(s.id));
                    let mut ticked = false;
                    if ticks {
                        row.col(|ui| {
                            let mut on = chosen.contains(&s.id);
                            let r = ui.add(egui::Checkbox::without_text(&mut on));
                            let name = format!("选择 {}", s.name);
                            r.widget_info(|| egui::WidgetInfo::selected(egui::Role::CheckBox, true, on, &name));
                            if r.changed() {
                                ticked = true;
                                if on {
                                    chosen.insert(s.id);
                                } else {
                                    chosen.remove(&s.id);
                                }
                            }
                        });
                    }
                    row.col(|ui| {
                        ui.label(&s.name);
                    });
                    row.col(|ui| {
                        theme::badge(ui, s.grade.code(), grade_color(s.grade));
                    });
                    if full {
                        row.col(|ui| {
                            // Municipalities (上海, 重庆 …) are their own city.
                            if s.city.is_empty() || s.city == s.province {
                                ui.label(&s.province);
                            } else {
                                ui.label(format!("{} {}", s.province, s.city));
                            }
                        });
                        row.col(|ui| {
                            ui.label(&s.industry);
                        });
                        row.col(|ui| {
                            ui.label(&s.contact);
                        });
                        row.col(|ui| {
                            ui.label(if s.contact_phone.is_empty() { &s.phone } else { &s.contact_phone });
                        });
                    }
                    row.col(|ui| {
                        if s.owner.is_none() {
                            theme::badge(ui, "公海", OK_GREEN);
                        } else {
                            ui.label(&s.owner_name);
                        }
                    });
                    if row.response().clicked() && !ticked {
                        clicked = Some(s.id);
                    }
                });
            });
        clicked
    }

    fn confirm_handover_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let Some(from) = self.confirm_handover else { return };
        let name = |id: Option<UserId>| match id {
            Some(id) => {
                self.salespeople.iter().find(|u| u.id == id).map(|u| u.display_name.clone()).unwrap_or_default()
            }
            None => "公海".to_string(),
        };
        let (from_name, to_name) = (name(Some(from)), name(self.handover_to));
        let modal = egui::Modal::new(egui::Id::unique("confirm_handover")).show(ui.ctx(), |ui| {
            ui.set_width(400.0);
            ui.heading("转交客户？");
            ui.label(format!("{from_name}负责的全部客户将转交给{to_name}。此操作会记入审计日志。"));
            ui.horizontal(|ui| {
                if ui.button("确认转交").clicked() {
                    let to = self.handover_to;
                    self.handing_over = cx.ask(move |svc, a| svc.reassign_customers(a, from, to));
                    self.confirm_handover = None;
                }
                if ui.button("取消").clicked() {
                    self.confirm_handover = None;
                }
            });
        });
        if modal.should_close() {
            self.confirm_handover = None;
        }
    }

    fn confirm_switch_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let Some(next) = self.pending_open else { return };
        let modal = egui::Modal::new(egui::Id::unique("confirm_discard_customer")).show(ui.ctx(), |ui| {
            ui.set_width(380.0);
            ui.heading("放弃未保存的修改？");
            ui.label("当前客户资料有未保存的修改。打开其他客户会丢弃这些修改。");
            ui.horizontal(|ui| {
                if ui.button("放弃修改并打开").clicked() {
                    self.card = None;
                    self.pending_open = None;
                    self.open(next, cx);
                }
                if ui.button("返回继续编辑").clicked() {
                    self.pending_open = None;
                }
            });
        });
        if modal.should_close() {
            self.pending_open = None;
        }
    }
}

/// A labelled combo box with an "all" entry (the type's default value).
fn combo<T: Clone + PartialEq + Default>(
    ui: &mut Ui,
    label: &str,
    value: &mut T,
    options: impl Iterator<Item = (T, String)>,
) {
    let options: Vec<(T, String)> = std::iter::once((T::default(), "全部".to_string())).chain(options).collect();
    let current = options.iter().find(|(v, _)| v == value).map(|(_, t)| t.clone()).unwrap_or_default();
    let l = ui.label(label);
    egui::ComboBox::from_id_salt(label)
        .selected_text(current)
        .height(320.0)
        .show_ui(ui, |ui| {
            for (v, text) in options {
                ui.selectable_value(value, v, text);
            }
        })
        .response
        .labelled_by(l.id);
}
