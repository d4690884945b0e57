//! The planning form (安排拜访) and the visit card beside the week (details; record, cancel, mark
//! as key). They keep what was typed when the service refuses, and show its reasons under the
//! fields; they decide nothing.

use chrono::NaiveDate;
use egui::{RichText, Ui};

use super::Cx;
use super::pickers::{CustomerPicker, local_time, parse_local_time};
use super::visits::{plans_visits, visit_badges};
use super::widgets::{self, Toasts, hinted_field, text_area, text_field};
use super::worker::Picker;
use super::worker_visits::{VisitEvent, VisitRequest};
use crate::domain::company::FieldError;
use crate::domain::ids::VisitId;
use crate::domain::role::Role;
use crate::domain::visit::{PURPOSES, Visit, VisitPlanDraft, VisitRecordDraft, VisitStatus};
use crate::service::ServiceError;

const LABEL_WIDTH: f32 = 90.0;

fn error_of(errors: &[FieldError], field: &str) -> Option<String> {
    errors.iter().find(|e| e.field == field).map(|e| e.message.clone())
}

/// A refused request: the fields' reasons under the fields, anything else in the banner.
fn refused(e: ServiceError, errors: &mut Vec<FieldError>, banner: &mut Option<String>, toasts: &mut Toasts) {
    *banner = None;
    match e {
        ServiceError::Invalid(list) => *errors = list,
        other => {
            toasts.error(other.to_string());
            *banner = Some(other.to_string());
        }
    }
}

/// Reads an optional date (`2026-12-01`); `Err` names the field.
fn parse_date(text: &str, field: &'static str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let t = text.trim().replace('/', "-");
    if t.is_empty() {
        return None;
    }
    match NaiveDate::parse_from_str(&t, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(FieldError::new(field, "日期格式应为 2026-12-01"));
            None
        }
    }
}

/// 安排拜访: customer, contact, purpose, planned time, notes.
pub struct PlanForm {
    pub customer: CustomerPicker,
    purpose: String,
    planned_at: String,
    notes: String,
    errors: Vec<FieldError>,
    banner: Option<String>,
}

impl PlanForm {
    pub fn new() -> Self {
        PlanForm {
            customer: CustomerPicker::new(Picker::VisitForm),
            purpose: String::new(),
            planned_at: String::new(),
            notes: String::new(),
            errors: Vec::new(),
            banner: None,
        }
    }

    pub fn failed(&mut self, e: ServiceError, toasts: &mut Toasts) {
        refused(e, &mut self.errors, &mut self.banner, toasts);
    }

    fn draft(&mut self) -> Option<VisitPlanDraft> {
        let mut errors = Vec::new();
        let planned_at = match parse_local_time(&self.planned_at) {
            Ok(t) => Some(t),
            Err(_) if self.planned_at.trim().is_empty() => None,
            Err(msg) => {
                errors.push(FieldError::new("planned_at", msg));
                None
            }
        };
        self.errors = errors;
        if !self.errors.is_empty() {
            return None;
        }
        Some(VisitPlanDraft {
            customer: self.customer.customer_id(),
            contact: self.customer.contact,
            purpose: self.purpose.clone(),
            planned_at,
            notes: self.notes.clone(),
        })
    }

    /// Draws the form; returns true when it should close.
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) -> bool {
        ui.heading("安排拜访");
        ui.label(
            RichText::new("只能为自己负责的客户安排拜访（销售部负责人可为任一有负责人的客户安排）。")
                .small()
                .color(widgets::MUTED),
        );
        ui.add_space(4.0);
        ui.label(RichText::new("客户").strong());
        let (ce, ke) = (error_of(&self.errors, "customer"), error_of(&self.errors, "contact"));
        self.customer.ui(ui, cx, ce.as_deref(), ke.as_deref());
        ui.add_space(4.0);
        let errors = self.errors.clone();
        let e = |f: &str| error_of(&errors, f);
        egui::Grid::new("visit_plan_grid").num_columns(2).min_col_width(LABEL_WIDTH).spacing([10.0, 6.0]).show(
            ui,
            |ui| {
                text_field(ui, "目的", &mut self.purpose, e("purpose").as_deref(), false);
                ui.label("");
                ui.horizontal_wrapped(|ui| {
                    ui.set_max_width(420.0);
                    for p in PURPOSES {
                        if ui.small_button(*p).on_hover_text("填入此目的").clicked() {
                            self.purpose = p.to_string();
                        }
                    }
                });
                ui.end_row();
                hinted_field(ui, "计划时间", &mut self.planned_at, "2026-12-01 09:30", e("planned_at").as_deref());
                text_area(ui, "备注", &mut self.notes, e("notes").as_deref());
            },
        );
        if let Some(b) = &self.banner {
            ui.label(RichText::new(b).color(widgets::ERROR_RED));
        }
        if !self.errors.is_empty() && self.banner.is_none() {
            ui.label(RichText::new("有内容需要修改，请看各栏下方的提示。").color(widgets::ERROR_RED));
        }
        ui.separator();
        let mut close = false;
        ui.horizontal(|ui| {
            if ui.add_enabled(!cx.busy, egui::Button::new("安排")).clicked()
                && let Some(draft) = self.draft()
            {
                self.banner = None;
                cx.send(VisitRequest::Plan(draft).into());
            }
            if ui.button("取消").clicked() {
                close = true;
            }
        });
        close
    }
}

/// One visit beside the week: its details and, while planned, its record and cancellation.
pub struct VisitCard {
    visit: Visit,
    visited_on: String,
    met: String,
    outcome: String,
    next_step: String,
    follow_up: String,
    reason: String,
    errors: Vec<FieldError>,
    banner: Option<String>,
}

impl VisitCard {
    pub fn new(visit: Visit, cx: &Cx<'_>) -> Self {
        VisitCard {
            visited_on: cx.today.to_string(),
            met: visit.contact_name.clone(),
            outcome: String::new(),
            next_step: String::new(),
            follow_up: String::new(),
            reason: String::new(),
            errors: Vec::new(),
            banner: None,
            visit,
        }
    }

    pub fn id(&self) -> VisitId {
        self.visit.id
    }

    pub fn changed(&mut self, event: VisitEvent, r: Result<Visit, ServiceError>, toasts: &mut Toasts) {
        match r {
            Ok(v) => {
                if v.id == self.visit.id {
                    let said = match event {
                        VisitEvent::Recorded => "拜访记录已保存。",
                        VisitEvent::Cancelled => "拜访已取消。",
                        VisitEvent::Marked if v.key => "已标为重点拜访。",
                        VisitEvent::Marked => "已取消重点。",
                        VisitEvent::Planned => "已安排拜访。",
                    };
                    toasts.success(format!("{}：{said}", v.customer_name));
                    self.errors.clear();
                    self.banner = None;
                    self.visit = v;
                }
            }
            Err(e) => refused(e, &mut self.errors, &mut self.banner, toasts),
        }
    }

    /// Draws the card; returns true when it should close.
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) -> bool {
        let mut close = false;
        ui.horizontal(|ui| {
            ui.heading(&self.visit.customer_name);
            if ui.small_button("关闭").clicked() {
                close = true;
            }
        });
        ui.horizontal_wrapped(|ui| visit_badges(ui, &self.visit));
        ui.add_space(4.0);
        self.details_ui(ui);
        let is_head = cx.actor.roles().contains(Role::Head);
        let may_change = plans_visits(cx.actor) && (self.visit.owner == cx.actor.id() || is_head);
        if let Some(b) = &self.banner {
            ui.label(RichText::new(b).color(widgets::ERROR_RED));
        }
        if is_head {
            ui.separator();
            let (text, key) = if self.visit.key { ("取消重点", false) } else { ("标为重点", true) };
            if ui.add_enabled(!cx.busy, egui::Button::new(text)).clicked() {
                let (id, version) = (self.visit.id, self.visit.version);
                cx.send(VisitRequest::MarkKey { id, version, key }.into());
            }
        }
        if self.visit.status == VisitStatus::Planned && may_change {
            ui.separator();
            self.record_ui(ui, cx);
            ui.separator();
            self.cancel_ui(ui, cx);
        }
        close
    }

    fn details_ui(&self, ui: &mut Ui) {
        let v = &self.visit;
        egui::Grid::new("visit_details").num_columns(2).min_col_width(LABEL_WIDTH).spacing([10.0, 4.0]).show(
            ui,
            |ui| {
                let mut row = |k: &str, val: String| {
                    if !val.is_empty() {
                        ui.label(RichText::new(k).color(widgets::MUTED));
                        ui.label(val);
                        ui.end_row();
                    }
                };
                row("计划时间", v.plan.planned_at.map(local_time).unwrap_or_default());
                row("联系人", v.contact_name.clone());
                row("目的", v.plan.purpose.clone());
                row("负责人", v.owner_name.clone());
                row("备注", v.plan.notes.clone());
                row("取消原因", v.cancel_reason.clone());
                if let Some(r) = &v.record {
                    row("拜访日期", r.visited_on.map(|d| d.to_string()).unwrap_or_default());
                    row("会见人员", r.met.clone());
                    row("拜访结果", r.outcome.clone());
                    row("下一步", r.next_step.clone());
                    row("跟进日期", r.follow_up.map(|d| d.to_string()).unwrap_or_default());
                }
            },
        );
    }

    fn record_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        ui.label(RichText::new("记录拜访").strong());
        let errors = self.errors.clone();
        let e = |f: &str| error_of(&errors, f);
        egui::Grid::new("visit_record_grid").num_columns(2).min_col_width(LABEL_WIDTH).spacing([10.0, 6.0]).show(
            ui,
            |ui| {
                hinted_field(ui, "拜访日期", &mut self.visited_on, "2026-12-01", e("visited_on").as_deref());
                text_field(ui, "会见人员", &mut self.met, e("met").as_deref(), false);
                text_area(ui, "拜访结果", &mut self.outcome, e("outcome").as_deref());
                text_field(ui, "下一步", &mut self.next_step, e("next_step").as_deref(), false);
                hinted_field(ui, "跟进日期", &mut self.follow_up, "可不填", e("follow_up").as_deref());
            },
        );
        if ui.add_enabled(!cx.busy, egui::Button::new("保存拜访记录")).clicked() {
            let mut errors = Vec::new();
            let visited_on = parse_date(&self.visited_on, "visited_on", &mut errors);
            let follow_up = parse_date(&self.follow_up, "follow_up", &mut errors);
            self.errors = errors;
            if self.errors.is_empty() {
                let record = VisitRecordDraft {
                    visited_on,
                    met: self.met.clone(),
                    outcome: self.outcome.clone(),
                    next_step: self.next_step.clone(),
                    follow_up,
                };
                let (id, version) = (self.visit.id, self.visit.version);
                cx.send(VisitRequest::Record { id, version, record }.into());
            }
        }
    }

    fn cancel_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        ui.label(RichText::new("取消拜访").strong());
        let err = error_of(&self.errors, "reason");
        egui::Grid::new("visit_cancel_grid").num_columns(2).min_col_width(LABEL_WIDTH).show(ui, |ui| {
            text_field(ui, "取消原因", &mut self.reason, err.as_deref(), false);
        });
        if ui.add_enabled(!cx.busy, egui::Button::new("确认取消拜访")).clicked() {
            let (id, version) = (self.visit.id, self.visit.version);
            cx.send(VisitRequest::Cancel { id, version, reason: self.reason.clone() }.into());
        }
    }
}
