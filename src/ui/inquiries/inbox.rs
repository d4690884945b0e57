//! 待我决定 (the decider's inbox): the inquiries and tenders waiting for this person's go /
//! no-go, refreshed every 30 seconds and whenever an inquiry changes (the navigation's count
//! comes from here); the selected one's card with the 参与 / 不参与 box.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::card::{CardAction, InquiryCard, deadline_text, kind_badge};
use crate::domain::ids::InquiryId;
use crate::domain::role::Permission;
use crate::service::InboxItem;
use crate::ui::panel::{Cx, Event, Every, Panel};
use crate::ui::pickers::local_time;
use crate::ui::theme::{self, ERROR_RED, MUTED, OK_GREEN};
use crate::ui::worker::Reply;

/// How often the inbox is read again (another seat's change also reads it at once).
const REFRESH_SECONDS: f64 = 30.0;

#[derive(Default)]
pub struct InboxPanel {
    items: Vec<InboxItem>,
    loaded: bool,
    card: Option<InquiryCard>,
    /// The one just decided stays on screen; the next is opened only when the user picks it, so
    /// a double click on 参与 can never decide a second item.
    decided: Option<InquiryId>,
    refresh: Option<Every>,
    loading: Reply<Vec<InboxItem>>,
}

impl InboxPanel {
    /// How many wait for this person (the navigation's badge).
    pub fn count(&self) -> usize {
        self.items.len()
    }

    /// What waits now (the refresh's answer).
    fn refreshed(&mut self, items: Vec<InboxItem>, cx: &mut Cx<'_>) {
        if let Some(card) = &self.card
            && !items.iter().any(|i| i.summary.id == card.id())
            && self.decided != Some(card.id())
        {
            self.card = None; // decided meanwhile by someone else
        }
        // What came or went was registered or decided elsewhere: the lists show it too.
        let before: Vec<InquiryId> = self.items.iter().map(|i| i.summary.id).collect();
        let now: Vec<InquiryId> = items.iter().map(|i| i.summary.id).collect();
        if self.loaded && before != now {
            for id in before.iter().chain(&now).filter(|id| !(before.contains(id) && now.contains(id))) {
                cx.emit(Event::InquiryChanged(*id));
            }
        }
        self.items = items;
        self.loaded = true;
    }
}

impl Panel for InboxPanel {
    fn logic(&mut self, cx: &mut Cx<'_>) {
        if !cx.actor.may(Permission::DecideGoNoGo) {
            return;
        }
        let refresh = self.refresh.get_or_insert(Every::seconds(REFRESH_SECONDS));
        if !self.loading.is_waiting() && refresh.due(cx.time) {
            self.loading = cx.ask_quietly(|svc, a| svc.decision_inbox(a));
        }
        match self.loading.take() {
            Some(Ok(items)) => self.refreshed(items, cx),
            Some(Err(e)) => log::warn!("inbox refresh: {e}"),
            None => {}
        }
        if let Some(card) = &mut self.card
            && card.logic(cx) == Some(CardAction::Decided)
        {
            let id = card.id();
            self.items.retain(|i| i.summary.id != id);
            self.decided = Some(id);
        }
    }

    fn on_event(&mut self, event: &Event, cx: &mut Cx<'_>) {
        match event {
            Event::InquiryChanged(id) => {
                if let Some(card) = self.card.as_mut().filter(|c| c.id() == *id && self.decided != Some(*id)) {
                    card.reload(cx);
                }
                if let Some(r) = &mut self.refresh {
                    r.soon();
                }
            }
            Event::OfficeChanged => {
                if let Some(r) = &mut self.refresh {
                    r.soon();
                }
            }
            _ => {}
        }
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        theme::heading(
            ui,
            "待我决定",
            "新登记的询价和招标在这里等您决定是否参与。重大项目须销售部负责人和公司领导先后决定。",
        );
        if !self.loaded {
            ui.add(egui::Spinner::new());
            return;
        }
        if self.items.is_empty() {
            ui.label(RichText::new("目前没有等您决定的询价或招标。").color(MUTED));
            return;
        }
        if self.card.is_none() {
            let first = self.items[0].summary.id;
            self.open(first, cx);
        }
        if let Some(id) = ui.scope(|ui| self.table_ui(ui, cx)).inner {
            self.open(id, cx);
        }
        ui.separator();
        if self.decided.is_some() && self.decided == self.card.as_ref().map(|c| c.id()) {
            ui.label(RichText::new("已决定。请在上方列表中选择下一项。").color(OK_GREEN));
        }
        if let Some(card) = &mut self.card {
            egui::ScrollArea::vertical().id_salt("inbox_card").auto_shrink(false).show(ui, |ui| {
                card.ui(ui, cx, false);
            });
        }
    }
}

impl InboxPanel {
    fn open(&mut self, id: InquiryId, cx: &mut Cx<'_>) {
        if self.card.as_ref().is_some_and(|c| c.id() == id) {
            return;
        }
        self.decided = None;
        self.card = Some(InquiryCard::open(id, cx));
    }

    fn table_ui(&self, ui: &mut Ui, cx: &Cx<'_>) -> Option<InquiryId> {
        let now = cx.now();
        let selected = self.card.as_ref().map(|c| c.id());
        let mut clicked = None;
        // Selectable text would take the click away from the row.
        ui.style_mut().interaction.selectable_labels = false;
        // On a small screen 类型 goes (the badge is in the card) and the texts narrow: the list
        // never widens the page past the window (the decision box under it would follow).
        let narrow = crate::ui::widgets::narrow_list(ui);
        let mut table = TableBuilder::new(ui)
            .id_salt(("inbox_list", narrow))
            .striped(true)
            .sense(egui::Sense::click())
            .max_scroll_height(230.0)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::exact(100.0));
        if !narrow {
            table = table.column(Column::exact(44.0));
        }
        let titles: &[&str] = if narrow {
            &["编号", "客户/采购人", "事由", "预计金额", "截止", "重大", "登记"]
        } else {
            &["编号", "类型", "客户/采购人", "事由", "预计金额", "截止", "重大", "登记"]
        };
        table
            .column(Column::remainder().at_least(if narrow { 80.0 } else { 120.0 }).clip(true))
            .column(if narrow {
                Column::remainder().at_least(60.0).clip(true)
            } else {
                Column::exact(150.0).clip(true)
            })
            .column(Column::exact(100.0))
            .column(Column::exact(if narrow { 100.0 } else { 120.0 }).clip(true))
            .column(Column::exact(if narrow { 60.0 } else { 110.0 }).clip(true))
            .column(Column::exact(if narrow { 96.0 } else { 110.0 }).clip(true))
            .header(24.0, |mut h| {
                for t in titles {
                    h.col(|ui| {
                        ui.strong(*t);
                    });
                }
            })
            .body(|body| {
                body.rows(28.0, self.items.len(), |mut row| {
                    let item = &self.items[row.index()];
                    let s = &item.summary;
                    row.set_selected(selected == Some(s.id));
                    row.col(|ui| {
                        ui.label(s.number.to_string());
                    });
                    if !narrow {
                        row.col(|ui| kind_badge(ui, s.kind));
                    }
                    row.col(|ui| {
                        ui.label(&s.customer_name).on_hover_text(&s.customer_name);
                    });
                    row.col(|ui| {
                        ui.label(&s.subject).on_hover_text(&s.subject);
                    });
                    row.col(|ui| {
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                            ui.label(s.estimate.map(|m| m.yuan_display()).unwrap_or_default());
                        });
                    });
                    row.col(|ui| {
                        if let Some(dl) = s.deadline {
                            ui.label(deadline_text(dl, now)).on_hover_text(local_time(dl));
                        }
                    });
                    row.col(|ui| {
                        if s.major {
                            let why = item.major_reasons.join("；");
                            ui.label(RichText::new(&why).color(ERROR_RED).small()).on_hover_text(why);
                        }
                    });
                    row.col(|ui| {
                        let when = s.registered_at.with_timezone(&chrono::Local).format("%m-%d %H:%M");
                        ui.label(RichText::new(format!("{} · {when}", s.registered_by_name)).small());
                    });
                    if row.response().clicked() {
                        clicked = Some(s.id);
                    }
                });
            });
        clicked
    }
}
