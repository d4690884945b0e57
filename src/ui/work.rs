//! 我的待办 (issue 22): the page everyone lands on after sign-in — what waits for *this* person,
//! grouped by what it asks for, each item opening its record; 不再提醒 puts an item aside until its
//! record changes; an outcome (a go, an approval) leaves once opened from here. Read again when
//! something changes, here or at another seat, and every minute.

use egui::{RichText, Ui};

use super::nav::Nav;
use super::panel::{Cx, Event, Every, Link, Panel};
use super::theme::{self, ERROR_RED, MUTED};
use super::worker::Reply;
use crate::service::{WorkItem, WorkKind, WorkTarget};

/// How often 我的待办 is read again while nothing else asks.
const REFRESH_SECONDS: f64 = 60.0;

pub struct WorkPanel {
    items: Option<Vec<WorkItem>>,
    /// The items already known (after the first look): a new one is told as a notification.
    known: Option<std::collections::HashSet<String>>,
    loading: Reply<Vec<WorkItem>>,
    aside: Reply<()>,
    refresh: Every,
}

impl Default for WorkPanel {
    fn default() -> Self {
        WorkPanel {
            items: None,
            known: None,
            loading: Reply::default(),
            aside: Reply::default(),
            refresh: Every::seconds(REFRESH_SECONDS),
        }
    }
}

impl WorkPanel {
    /// How many items wait (the navigation's count).
    pub fn count(&self) -> usize {
        self.items.as_ref().map_or(0, Vec::len)
    }

    fn load(&mut self, cx: &Cx<'_>) {
        if !self.loading.is_waiting() {
            self.loading = cx.ask_quietly(|svc, a| svc.my_work(a));
        }
    }

    /// Opens the item's record (and puts an outcome aside: it has been told).
    fn open(&mut self, item: &WorkItem, cx: &mut Cx<'_>) {
        if item.kind.is_outcome() {
            self.put_aside(item, cx);
        }
        if let Some(link) = link_of(item.target) {
            cx.emit(Event::Open(link));
            return;
        }
        match item.target {
            WorkTarget::Inquiry(_)
            | WorkTarget::Quote(_)
            | WorkTarget::Approval(..)
            | WorkTarget::Contract(_)
            | WorkTarget::Visit(_) => {}
            WorkTarget::NextWeek => cx.go(Nav::Visits),
            WorkTarget::Receivables => cx.go(Nav::Contracts),
            WorkTarget::PhoneDesk => cx.go(Nav::PhoneDesk),
            WorkTarget::User(_) => cx.go(Nav::Users),
            WorkTarget::Certificate(_) => cx.go(Nav::Certificates),
        }
    }

    /// What landed since the last look (here or at another seat) is told in the corner, with
    /// 打开 for its record; outcomes are told by the notices already; nothing at the first look
    /// (that is what the page itself shows at sign-in).
    fn tell_new(&mut self, items: &[WorkItem], cx: &mut Cx<'_>) {
        let keys: std::collections::HashSet<String> = items.iter().map(|i| i.key.clone()).collect();
        if let Some(known) = &self.known {
            // Not outcomes (the notices tell them), not a call being answered right here.
            let told = |i: &&WorkItem| !i.kind.is_outcome() && i.kind != WorkKind::RegisterPhone;
            for i in items.iter().filter(|i| !known.contains(&i.key)).filter(told) {
                let text = format!("新的待办 · {}：{}", i.kind.label(), i.title);
                match link_of(i.target) {
                    Some(link) => cx.toasts.notify(text, link),
                    None => cx.toasts.info(text),
                }
            }
        }
        self.known = Some(keys);
    }

    fn put_aside(&mut self, item: &WorkItem, cx: &mut Cx<'_>) {
        if let Some(items) = &mut self.items {
            items.retain(|i| i.key != item.key);
        }
        let (key, stamp) = (item.key.clone(), item.stamp.clone());
        self.aside = cx.ask_quietly(move |svc, a| svc.put_work_aside(a, &key, &stamp));
    }
}

impl Panel for WorkPanel {
    fn logic(&mut self, cx: &mut Cx<'_>) {
        if self.items.is_none() && !self.loading.is_waiting() || self.refresh.due(cx.time) {
            self.load(cx);
        }
        match self.loading.take() {
            Some(Ok(items)) => {
                self.tell_new(&items, cx);
                self.items = Some(items);
            }
            Some(Err(e)) => log::warn!("我的待办: {e}"),
            None => {}
        }
        if let Some(Err(e)) = self.aside.take() {
            cx.toasts.error(e.to_string());
            self.load(cx);
        }
    }

    fn on_event(&mut self, event: &Event, _cx: &mut Cx<'_>) {
        if !matches!(event, Event::Open(_)) {
            self.refresh.soon();
        }
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        ui.horizontal(|ui| {
            ui.heading("我的待办");
            if ui.add_enabled(!self.loading.is_waiting(), egui::Button::new("刷新")).clicked() {
                self.load(cx);
            }
            if self.loading.is_waiting() {
                ui.add(egui::Spinner::new());
            }
        });
        let Some(items) = self.items.clone() else {
            ui.label(RichText::new("正在查看等待您处理的事项…").color(MUTED));
            return;
        };
        if items.is_empty() {
            ui.label(RichText::new("没有等待您处理的事项。新的事项到来时会在这里列出，并在右下角提示。").color(MUTED));
            return;
        }
        ui.label(RichText::new(format!("共 {} 项等待您处理；点“打开”进入对应的记录。", items.len())).color(MUTED));
        ui.add_space(4.0);
        let mut open = None;
        let mut aside = None;
        egui::ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
            let mut kind: Option<WorkKind> = None;
            for item in &items {
                if kind != Some(item.kind) {
                    kind = Some(item.kind);
                    let n = items.iter().filter(|i| i.kind == item.kind).count();
                    ui.add_space(6.0);
                    ui.label(RichText::new(format!("{}（{n}）", item.kind.label())).strong());
                }
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.horizontal(|ui| {
                        ui.vertical(|ui| {
                            ui.horizontal(|ui| {
                                if item.urgent {
                                    theme::badge(ui, "紧急", ERROR_RED);
                                }
                                let title = RichText::new(&item.title).strong();
                                ui.label(if item.urgent { title.color(ERROR_RED) } else { title });
                            });
                            if !item.detail.is_empty() {
                                ui.label(RichText::new(&item.detail).color(MUTED));
                            }
                        });
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                            if ui.button("不再提醒").on_hover_text("记录有变化时会再次出现").clicked() {
                                aside = Some(item.clone());
                            }
                            if ui.button("打开").clicked() {
                                open = Some(item.clone());
                            }
                        });
                    });
                });
            }
        });
        if let Some(item) = open {
            self.open(&item, cx);
        }
        if let Some(item) = aside {
            self.put_aside(&item, cx);
        }
    }
}

/// The record an item opens, where a notification can open it.
fn link_of(target: WorkTarget) -> Option<Link> {
    match target {
        WorkTarget::Inquiry(id) => Some(Link::Inquiry(id)),
        WorkTarget::Quote(id) => Some(Link::Quote(id)),
        WorkTarget::Approval(q, r) => Some(Link::Approval(q, r)),
        WorkTarget::Contract(id) => Some(Link::Contract(id)),
        WorkTarget::Visit(id) => Some(Link::Visit(id)),
        _ => None,
    }
}
