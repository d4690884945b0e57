//! 待我决定 (the decider's inbox): the inquiries and tenders waiting for this person's go /
//! no-go, refreshed by the app's periodic poll; the selected one's card with the 参与 / 不参与 box.

use chrono::Utc;
use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::inquiry_card::{InquiryCard, deadline_text, kind_badge};
use super::legacy::{InboxItem, InquiryDetail, InquiryEvent, InquiryRequest};
use super::panel::Cx;
use super::pickers::local_time;
use super::widgets::{self, Toasts};
use crate::domain::ids::InquiryId;
use crate::service::ServiceError;

#[derive(Default)]
pub struct InboxPanel {
    items: Vec<InboxItem>,
    loaded: bool,
    card: Option<InquiryCard>,
    /// The one just decided stays on screen; the next is opened only when the user picks it, so
    /// a double click on 参与 can never decide a second item.
    decided: Option<InquiryId>,
}

impl InboxPanel {
    /// How many wait for this person (the navigation's badge).
    pub fn count(&self) -> usize {
        self.items.len()
    }

    pub fn ids(&self) -> Vec<InquiryId> {
        self.items.iter().map(|i| i.summary.id).collect()
    }

    /// The poll's answer: what waits now.
    pub fn polled(&mut self, items: Vec<InboxItem>) {
        if let Some(card) = &self.card
            && !items.iter().any(|i| i.summary.id == card.id())
            && self.decided != Some(card.id())
        {
            self.card = None; // decided meanwhile by someone else
        }
        self.items = items;
        self.loaded = true;
    }

    pub fn wants(&self, id: Option<InquiryId>) -> bool {
        id.is_some() && self.card.as_ref().map(|c| c.id()) == id
    }

    pub fn inquiry_loaded(&mut self, event: InquiryEvent, r: Result<InquiryDetail, ServiceError>, toasts: &mut Toasts) {
        let Some(card) = &mut self.card else { return };
        let decided = event == InquiryEvent::Decided && r.is_ok();
        card.loaded(event, r, toasts);
        if decided {
            let id = card.id();
            self.items.retain(|i| i.summary.id != id);
            self.decided = Some(id);
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        widgets::heading(
            ui,
            "待我决定",
            "新登记的询价和招标在这里等您决定是否参与。重大项目须销售部负责人和公司领导先后决定。",
        );
        if !self.loaded {
            ui.add(egui::Spinner::new());
            return;
        }
        if self.items.is_empty() {
            ui.label(RichText::new("目前没有等您决定的询价或招标。").color(widgets::MUTED));
            return;
        }
        if self.card.is_none() {
            let first = self.items[0].summary.id;
            self.open(first, cx);
        }
        if let Some(id) = ui.scope(|ui| self.table_ui(ui)).inner {
            self.open(id, cx);
        }
        ui.separator();
        if self.decided.is_some() && self.decided == self.card.as_ref().map(|c| c.id()) {
            ui.label(RichText::new("已决定。请在上方列表中选择下一项。").color(widgets::OK_GREEN));
        }
        if let Some(card) = &mut self.card {
            egui::ScrollArea::vertical().id_salt("inbox_card").auto_shrink(false).show(ui, |ui| {
                card.ui(ui, cx, false);
            });
        }
    }

    fn open(&mut self, id: InquiryId, cx: &mut Cx<'_>) {
        if self.card.as_ref().is_some_and(|c| c.id() == id) {
            return;
        }
        self.decided = None;
        self.card = Some(InquiryCard::loading(id));
        cx.send(InquiryRequest::Open(id).into());
    }

    fn table_ui(&self, ui: &mut Ui) -> Option<InquiryId> {
        let now = Utc::now();
        let selected = self.card.as_ref().map(|c| c.id());
        let mut clicked = None;
        // Selectable text would take the click away from the row.
        ui.style_mut().interaction.selectable_labels = false;
        TableBuilder::new(ui)
            .id_salt("inbox_list")
            .striped(true)
            .sense(egui::Sense::click())
            .max_scroll_height(230.0)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::exact(100.0))
            .column(Column::exact(44.0))
            .column(Column::remainder().at_least(120.0).clip(true))
            .column(Column::exact(150.0).clip(true))
            .column(Column::exact(100.0))
            .column(Column::exact(120.0))
            .column(Column::exact(110.0).clip(true))
            .column(Column::exact(110.0))
            .header(24.0, |mut h| {
                for t in ["编号", "类型", "客户/采购人", "事由", "预计金额", "截止", "重大", "登记"]
                {
                    h.col(|ui| {
                        ui.strong(t);
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
                    row.col(|ui| kind_badge(ui, s.kind));
                    row.col(|ui| {
                        ui.label(&s.customer_name);
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
                            ui.label(RichText::new(&why).color(widgets::ERROR_RED).small()).on_hover_text(why);
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
