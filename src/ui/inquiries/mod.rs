//! 询价与招标: the list of inquiries and tenders (virtualised, filtered, searched as you type),
//! the card beside it (`card.rs`) and the register / edit form (`form.rs`); and 待我决定, the
//! decider's inbox (`inbox.rs`). What the actor may see is the service's call.

mod card;
mod form;
mod inbox;

pub use card::kind_badge;
pub use inbox::InboxPanel;

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use card::{InquiryCard, deadline_text, status_badges};
use form::InquiryForm;

use crate::domain::ids::InquiryId;
use crate::domain::inquiry::{InquiryKind, InquiryStatus, InquirySummary};
use crate::domain::role::Permission;
use crate::service::InquiryFilter;
use crate::ui::panel::{Cx, Event, Link, Panel};
use crate::ui::pickers::local_time;
use crate::ui::theme::{self, MUTED};
use crate::ui::worker::Reply;

#[derive(Default)]
pub struct InquiriesPanel {
    query: String,
    kind: Option<InquiryKind>,
    status: Option<InquiryStatus>,
    mine: bool,
    due_soon: bool,
    /// The filter of the last list asked for; a change asks again (search as you type).
    sent: Option<InquiryFilter>,
    /// Replaced by every new filter: an answer to one typed past is dropped with it.
    listing: Reply<Vec<InquirySummary>>,
    rows: Vec<InquirySummary>,
    loaded: bool,
    card: Option<InquiryCard>,
    form: Option<InquiryForm>,
    /// Counts the forms opened, so each starts scrolled to its top.
    forms_opened: u64,
}

impl InquiriesPanel {
    /// Lists again when next shown (after a registration, a decision, another seat's change).
    fn invalidate(&mut self) {
        self.sent = None;
    }

    fn filter(&self, cx: &Cx<'_>) -> InquiryFilter {
        InquiryFilter {
            query: self.query.trim().to_string(),
            kind: if self.due_soon { Some(InquiryKind::Tender) } else { self.kind },
            status: self.status,
            registered_by: self.mine.then(|| cx.actor.id()),
            deadline_within_days: self.due_soon.then_some(7),
        }
    }
}

impl Panel for InquiriesPanel {
    fn logic(&mut self, cx: &mut Cx<'_>) {
        match self.listing.take() {
            Some(Ok(rows)) => {
                self.rows = rows;
                self.loaded = true;
            }
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        if let Some(card) = &mut self.card {
            card.logic(cx);
        }
        if let Some(saved) = self.form.as_mut().and_then(|f| f.logic(cx)) {
            self.form = None;
            self.card = Some(InquiryCard::showing(saved));
        }
    }

    fn on_event(&mut self, event: &Event, cx: &mut Cx<'_>) {
        match event {
            Event::InquiryChanged(id) => {
                self.invalidate();
                if let Some(card) = self.card.as_mut().filter(|c| c.id() == *id) {
                    card.reload(cx);
                }
            }
            Event::OfficeChanged | Event::QuoteChanged(_) => self.invalidate(),
            Event::PricesChanged => {
                if let Some(f) = &mut self.form {
                    f.products.invalidate();
                }
            }
            Event::Open(Link::Inquiry(id)) => {
                cx.go(crate::ui::nav::Nav::Inquiries);
                self.card = Some(InquiryCard::open(*id, cx));
            }
            _ => {}
        }
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let filter = self.filter(cx);
        if self.sent.as_ref() != Some(&filter) {
            self.sent = Some(filter.clone());
            self.listing = cx.ask(move |svc, a| svc.inquiries(a, &filter));
        }
        // ↑/↓ move through the list (when no field has the keyboard): the next inquiry's card opens.
        let at = self.card.as_ref().and_then(|c| self.rows.iter().position(|r| r.id == c.id()));
        if let Some(next) = crate::ui::widgets::arrow_step(ui, self.rows.len(), at) {
            self.card = Some(InquiryCard::open(self.rows[next].id, cx));
        }
        if let Some(card) = &mut self.card {
            // The list needs about 560 points; below that the card takes the whole area.
            let (close, whole) =
                crate::ui::widgets::card_pane(ui, "inquiry_card", 540.0, 440.0, 560.0, |ui| card.ui(ui, cx, true));
            if let Some(i) = card.edit.take() {
                self.forms_opened += 1;
                self.form = Some(InquiryForm::edit(&i, cx));
            }
            if close {
                self.card = None;
            }
            if whole {
                self.form_ui(ui, cx);
                return;
            }
        }
        theme::heading(ui, "询价与招标", "");
        self.toolbar_ui(ui, cx);
        if let Some(id) = ui.scope(|ui| self.table_ui(ui, cx)).inner {
            self.card = Some(InquiryCard::open(id, cx));
        }
        self.form_ui(ui, cx);
    }
}

impl InquiriesPanel {
    fn toolbar_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let mut open = None;
        ui.horizontal_wrapped(|ui| {
            let l = ui.label("搜索");
            ui.add(egui::TextEdit::singleline(&mut self.query).hint_text("编号、客户或事由").desired_width(200.0))
                .labelled_by(l.id);
            let kinds = [InquiryKind::Inquiry, InquiryKind::Tender].map(|k| (Some(k), k.label()));
            option_combo(ui, "类型", &mut self.kind, &kinds);
            let statuses = InquiryStatus::ALL.map(|s| (Some(s), s.label()));
            option_combo(ui, "状态", &mut self.status, &statuses);
            if cx.actor.may(Permission::RegisterInquiry) {
                ui.checkbox(&mut self.mine, "我登记的");
            }
            ui.checkbox(&mut self.due_soon, "7天内截止的招标");
            if cx.actor.may(Permission::RegisterInquiry) {
                if ui.button("＋ 登记询价").clicked() {
                    open = Some(InquiryKind::Inquiry);
                }
                if ui.button("＋ 登记招标").clicked() {
                    open = Some(InquiryKind::Tender);
                }
            }
        });
        if let Some(kind) = open {
            self.forms_opened += 1;
            self.form = Some(InquiryForm::new(kind));
        }
        let shown = if self.loaded { format!("共 {} 条", self.rows.len()) } else { "正在加载…".to_string() };
        ui.label(theme::muted(shown));
    }

    /// Draws the list; returns the inquiry the user clicked.
    fn table_ui(&mut self, ui: &mut Ui, cx: &Cx<'_>) -> Option<InquiryId> {
        let now = cx.now();
        let selected = self.card.as_ref().map(|c| c.id());
        let full = self.card.is_none();
        let mut clicked = None;
        // Selectable text would take the click away from the row.
        ui.style_mut().interaction.selectable_labels = false;
        let mut titles = vec!["编号", "类型", "客户/采购人"];
        // On a small screen the texts narrow so 状态 and who registered it stay in sight.
        let narrow = crate::ui::widgets::narrow_list(ui);
        let mut table = TableBuilder::new(ui)
            .id_salt(("inquiry_list", narrow))
            .striped(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::exact(100.0))
            .column(Column::exact(44.0))
            .column(Column::remainder().at_least(if narrow { 70.0 } else { 120.0 }).clip(true));
        if full {
            let (subject, deadline) = if narrow { (100.0, 96.0) } else { (190.0, 120.0) };
            table = table.column(Column::exact(subject).clip(true)).column(Column::exact(deadline).clip(true));
            titles.extend(["事由", "截止"]);
        }
        table = table.column(Column::exact(if narrow { 112.0 } else { 136.0 }).clip(true));
        titles.push("状态");
        if full {
            table =
                table.column(Column::exact(56.0)).column(Column::exact(if narrow { 44.0 } else { 110.0 }).clip(true));
            titles.extend(["登记人", "登记时间"]);
        }
        table
            .header(24.0, |mut h| {
                for t in titles {
                    h.col(|ui| {
                        ui.strong(t);
                    });
                }
            })
            .body(|body| {
                body.rows(28.0, self.rows.len(), |mut row| {
                    let s = &self.rows[row.index()];
                    row.set_selected(selected == Some(s.id));
                    row.col(|ui| {
                        ui.label(s.number.to_string());
                    });
                    row.col(|ui| kind_badge(ui, s.kind));
                    row.col(|ui| {
                        ui.label(&s.customer_name);
                    });
                    if full {
                        row.col(|ui| {
                            ui.label(&s.subject);
                        });
                        row.col(|ui| {
                            if let Some(dl) = s.deadline {
                                ui.label(deadline_text(dl, now)).on_hover_text(local_time(dl));
                            }
                        });
                    }
                    row.col(|ui| status_badges(ui, s));
                    if full {
                        row.col(|ui| {
                            ui.label(&s.registered_by_name);
                        });
                        row.col(|ui| {
                            // Narrow: the day (12-06), the full time on hover.
                            let at = local_time(s.registered_at);
                            let shown = if narrow { at.get(5..10).unwrap_or(&at) } else { &at };
                            ui.label(RichText::new(shown).small()).on_hover_text(&at);
                        });
                    }
                    if row.response().clicked() {
                        clicked = Some(s.id);
                    }
                });
            });
        if self.loaded && self.rows.is_empty() {
            ui.label(RichText::new("没有符合条件的询价或招标。").color(MUTED));
        }
        clicked
    }

    fn form_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let forms_opened = self.forms_opened;
        let Some(form) = &mut self.form else { return };
        // Only 取消 closes it, or Esc after asking: a click beside a long form must not throw away
        // what was typed.
        let typed = form.typed();
        let mut close = form.discard.ui(ui, typed, "询价表单");
        egui::Modal::new(egui::Id::unique("inquiry_form")).show(ui.ctx(), |ui| {
            ui.set_width(860.0f32.min(ui.ctx().content_rect().width() - 60.0));
            // The fields scroll; the errors and 登记/取消 stay in sight under them.
            let height = (ui.ctx().content_rect().height() - 190.0).max(200.0);
            let scroll = egui::ScrollArea::vertical().id_salt(("inquiry_form", forms_opened));
            scroll.max_height(height).min_scrolled_height(height).show(ui, |ui| form.fields_ui(ui, cx));
            close |= form.buttons_ui(ui, cx);
        });
        if close {
            self.form = None;
        }
    }
}

/// A labelled combo box over optional values, with 全部 for none.
fn option_combo<T: Copy + PartialEq>(ui: &mut Ui, label: &str, value: &mut Option<T>, options: &[(Option<T>, &str)]) {
    let current = options.iter().find(|(v, _)| v == value).map(|(_, t)| *t).unwrap_or("全部");
    let l = ui.label(label);
    egui::ComboBox::from_id_salt(("inquiry_filter", label))
        .selected_text(current)
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, "全部");
            for (v, t) in options {
                ui.selectable_value(value, *v, *t);
            }
        })
        .response
        .labelled_by(l.id);
}
