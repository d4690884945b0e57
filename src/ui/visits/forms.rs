//! The planning form (安排拜访, also 修改拜访计划 and 补录拜访) and the visit card beside the week
//! or the month (details; edit the plan, record, cancel, mark as key). They keep what was typed when the service refuses, and show its reasons under the
//! fields; they decide nothing.

use chrono::NaiveDate;
use egui::{RichText, Ui};

use super::{plans_visits, visit_badges};
use crate::domain::company::FieldError;
use crate::domain::ids::VisitId;
use crate::domain::role::Role;
use crate::domain::visit::{PURPOSES, Visit, VisitPlanDraft, VisitRecordDraft, VisitStatus};
use crate::service::ServiceError;
use crate::ui::panel::{Cx, Event};
use crate::ui::pickers::{CustomerPicker, Picker, local_time, parse_local_time};
use crate::ui::theme::{self, ERROR_RED, MUTED};
use crate::ui::widgets::{self, Toasts, dated_field, message_for, text_area, text_field};
use crate::ui::worker::Reply;

/// What happened to a visit (for the toast).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitEvent {
    Planned,
    Updated,
    RecordedUnplanned,
    Recorded,
    Cancelled,
    Marked,
}

const LABEL_WIDTH: f32 = 90.0;

fn error_of(errors: &[FieldError], field: &str) -> Option<String> {
    message_for(errors, field).map(str::to_string)
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

/// Reads an optional date as people type it (`2026-12-01`, `12-1`, `12月1日`); an unreadable one
/// is an error under its field.
fn parse_date(text: &str, field: &'static str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    if text.trim().is_empty() {
        return None;
    }
    let today = chrono::Local::now().date_naive();
    let d = crate::domain::dates::parse_day(text, today);
    if d.is_none() {
        errors.push(FieldError::new(field, "日期格式应为 2026-12-01（也可写 12-1）"));
    }
    d
}

/// The record of a visit as form rows (in a two-column grid): 拜访日期, 会见人员, 拜访结果, 下一步,
/// 跟进日期 — for 记录拜访 and for 补录.
fn record_rows(ui: &mut Ui, fields: [&mut String; 5], errors: &[FieldError], today: NaiveDate) {
    let e = |f: &str| error_of(errors, f);
    let [visited_on, met, outcome, next_step, follow_up] = fields;
    dated_field(ui, "拜访日期", visited_on, "2026-12-01", e("visited_on").as_deref(), today, false);
    text_field(ui, "会见人员", met, e("met").as_deref(), false);
    text_area(ui, "拜访结果", outcome, e("outcome").as_deref());
    text_field(ui, "下一步", next_step, e("next_step").as_deref(), false);
    dated_field(ui, "跟进日期", follow_up, "可不填", e("follow_up").as_deref(), today, false);
}

/// What the form is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormMode {
    /// 安排拜访: a new plan.
    New,
    /// 修改拜访计划: time, contact, purpose, notes of a plan not yet visited.
    Edit { id: VisitId, version: i64 },
    /// 补录拜访: a visit that was never planned, recorded afterwards.
    Unplanned,
}

/// 安排拜访 / 修改拜访计划 / 补录拜访: customer, contact, purpose, planned time (or, for 补录, the
/// record), notes.
pub struct PlanForm {
    pub mode: FormMode,
    pub customer: CustomerPicker,
    purpose: String,
    planned_at: String,
    notes: String,
    visited_on: String,
    met: String,
    outcome: String,
    next_step: String,
    follow_up: String,
    errors: Vec<FieldError>,
    banner: Option<String>,
    saving: Reply<(VisitEvent, Visit)>,
    /// Esc asks before throwing away what was typed.
    pub discard: widgets::DiscardGuard,
}

impl PlanForm {
    pub fn new() -> Self {
        PlanForm {
            mode: FormMode::New,
            customer: CustomerPicker::new(Picker::VisitForm),
            purpose: String::new(),
            planned_at: String::new(),
            notes: String::new(),
            visited_on: String::new(),
            met: String::new(),
            outcome: String::new(),
            next_step: String::new(),
            follow_up: String::new(),
            errors: Vec::new(),
            banner: None,
            saving: Reply::default(),
            discard: widgets::DiscardGuard::default(),
        }
    }

    /// A hash of everything typed, for the Esc guard.
    pub fn typed(&self) -> u64 {
        let texts = [
            &self.purpose,
            &self.planned_at,
            &self.notes,
            &self.visited_on,
            &self.met,
            &self.outcome,
            &self.next_step,
            &self.follow_up,
        ];
        widgets::typed_hash(texts.into_iter().map(String::as_str))
    }

    /// Takes in the save's answer: the visit as saved, when it was.
    pub fn logic(&mut self, cx: &mut Cx<'_>) -> Option<(VisitEvent, Visit)> {
        match self.saving.take()? {
            Ok((event, v)) => {
                if let Some(c) = v.plan.customer {
                    cx.emit(Event::VisitChanged(c));
                }
                Some((event, v))
            }
            Err(e) => {
                refused(e, &mut self.errors, &mut self.banner, cx.toasts);
                None
            }
        }
    }

    /// A new plan on `day` (a click on an empty day of the month grid), at 09:00.
    pub fn on_day(day: NaiveDate) -> Self {
        PlanForm { planned_at: format!("{day} 09:00"), ..PlanForm::new() }
    }

    /// 补录: a visit that took place on `day` without a plan.
    pub fn unplanned(day: NaiveDate) -> Self {
        PlanForm { mode: FormMode::Unplanned, visited_on: day.to_string(), ..PlanForm::new() }
    }

    /// Changes the plan of `v` (its customer stays).
    pub fn edit(v: &Visit, cx: &mut Cx<'_>) -> Self {
        let mut f = PlanForm {
            mode: FormMode::Edit { id: v.id, version: v.version },
            purpose: v.plan.purpose.clone(),
            planned_at: v.plan.planned_at.map(local_time).unwrap_or_default(),
            notes: v.plan.notes.clone(),
            ..PlanForm::new()
        };
        f.customer.fixed = true;
        if let Some(c) = v.plan.customer {
            f.customer.preset(c, v.plan.contact, cx);
        }
        f
    }

    fn draft(&mut self) -> Option<VisitPlanDraft> {
        let mut errors = Vec::new();
        let planned_at = if self.mode == FormMode::Unplanned {
            None
        } else {
            match parse_local_time(&self.planned_at) {
                Ok(t) => Some(t),
                Err(_) if self.planned_at.trim().is_empty() => None,
                Err(msg) => {
                    errors.push(FieldError::new("planned_at", msg));
                    None
                }
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

    fn record(&mut self) -> Option<VisitRecordDraft> {
        let mut errors = Vec::new();
        let visited_on = parse_date(&self.visited_on, "visited_on", &mut errors);
        let follow_up = parse_date(&self.follow_up, "follow_up", &mut errors);
        if !errors.is_empty() {
            self.errors.extend(errors);
            return None;
        }
        Some(VisitRecordDraft {
            visited_on,
            met: self.met.clone(),
            outcome: self.outcome.clone(),
            next_step: self.next_step.clone(),
            follow_up,
        })
    }

    /// The form's title, the hint under it and its save button's text.
    fn texts(&self) -> (&'static str, &'static str, &'static str) {
        match self.mode {
            FormMode::New => {
                ("安排拜访", "只能为自己负责的客户安排拜访（销售部负责人可为任一有负责人的客户安排）。", "安排")
            }
            FormMode::Edit { .. } => {
                ("修改拜访计划", "拜访之前可以改时间、联系人、目的和备注；客户不能更换。", "保存修改")
            }
            FormMode::Unplanned => (
                "补录拜访",
                "记录一次事先没有安排的拜访。拜访日期早于今天的记录标为“补录”，最多可补录 30 天内的拜访。",
                "保存补录",
            ),
        }
    }

    /// Draws the form's fields (they scroll in the dialog).
    pub fn fields_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let (title, hint, _) = self.texts();
        ui.heading(title);
        ui.label(RichText::new(hint).small().color(MUTED));
        ui.add_space(4.0);
        ui.label(RichText::new("客户").strong());
        let (ce, ke) = (error_of(&self.errors, "customer"), error_of(&self.errors, "contact"));
        self.customer.ui(ui, cx, ce.as_deref(), ke.as_deref());
        ui.add_space(4.0);
        let errors = self.errors.clone();
        let e = |f: &str| error_of(&errors, f);
        let unplanned = self.mode == FormMode::Unplanned;
        egui::Grid::new("visit_purpose_grid").num_columns(2).min_col_width(LABEL_WIDTH).spacing([10.0, 6.0]).show(
            ui,
            |ui| {
                text_field(ui, "目的", &mut self.purpose, e("purpose").as_deref(), false);
            },
        );
        // The usual purposes, under the field (outside the grid: a wrapped row has no fixed height).
        ui.horizontal(|ui| {
            ui.add_space(LABEL_WIDTH + 10.0);
            ui.horizontal_wrapped(|ui| {
                ui.set_max_width(420.0);
                for p in PURPOSES {
                    if ui.small_button(*p).on_hover_text("填入此目的").clicked() {
                        self.purpose = p.to_string();
                    }
                }
            });
        });
        egui::Grid::new("visit_plan_grid").num_columns(2).min_col_width(LABEL_WIDTH).spacing([10.0, 6.0]).show(
            ui,
            |ui| {
                if unplanned {
                    let fields = [
                        &mut self.visited_on,
                        &mut self.met,
                        &mut self.outcome,
                        &mut self.next_step,
                        &mut self.follow_up,
                    ];
                    record_rows(ui, fields, &errors, cx.today);
                } else {
                    let planned = e("planned_at");
                    dated_field(
                        ui,
                        "计划时间",
                        &mut self.planned_at,
                        "2026-12-01 09:30",
                        planned.as_deref(),
                        cx.today,
                        true,
                    );
                }
                text_area(ui, "备注", &mut self.notes, e("notes").as_deref());
            },
        );
        if unplanned
            && let Some(d) = crate::domain::dates::parse_day(&self.visited_on, cx.today)
            && d < cx.today
        {
            ui.horizontal(|ui| {
                theme::badge(ui, "补录", MUTED);
                ui.label(RichText::new("拜访日期早于今天，此记录将标为补录。").small().color(MUTED));
            });
        }
    }

    /// Draws what stays in sight under the fields: the errors and the buttons; returns true when
    /// the form should close.
    pub fn buttons_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) -> bool {
        let button = self.texts().2;
        if let Some(b) = &self.banner {
            ui.label(RichText::new(b).color(ERROR_RED));
        }
        if !self.errors.is_empty() && self.banner.is_none() {
            ui.label(RichText::new("有内容需要修改，请看各栏下方的提示。").color(ERROR_RED));
        }
        ui.separator();
        let mut close = false;
        ui.horizontal(|ui| {
            if ui.add_enabled(!self.saving.is_waiting(), egui::Button::new(button)).clicked()
                && let Some(draft) = self.draft()
            {
                self.banner = None;
                match self.mode {
                    FormMode::New => {
                        self.saving = cx.ask(move |svc, a| Ok((VisitEvent::Planned, svc.plan_visit(a, draft)?)));
                    }
                    FormMode::Edit { id, version } => {
                        self.saving = cx.ask(move |svc, a| {
                            Ok((VisitEvent::Updated, svc.update_visit_plan(a, id, version, draft)?))
                        });
                    }
                    FormMode::Unplanned => {
                        if let Some(record) = self.record() {
                            self.saving = cx.ask(move |svc, a| {
                                Ok((VisitEvent::RecordedUnplanned, svc.record_unplanned_visit(a, draft, record)?))
                            });
                        }
                    }
                }
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
    /// The card asks the panel to open the plan in the form.
    pub edit: Option<Visit>,
    acting: Reply<(VisitEvent, Visit)>,
}

impl VisitCard {
    pub fn new(visit: Visit, today: NaiveDate) -> Self {
        VisitCard {
            visited_on: today.to_string(),
            edit: None,
            met: visit.contact_name.clone(),
            outcome: String::new(),
            next_step: String::new(),
            follow_up: String::new(),
            reason: String::new(),
            errors: Vec::new(),
            banner: None,
            acting: Reply::default(),
            visit,
        }
    }

    pub fn id(&self) -> VisitId {
        self.visit.id
    }

    /// Takes in the answer to the card's action.
    pub fn logic(&mut self, cx: &mut Cx<'_>) {
        match self.acting.take() {
            Some(Ok((event, v))) => {
                let said = match event {
                    VisitEvent::Recorded => "拜访记录已保存。",
                    VisitEvent::Cancelled => "拜访已取消。",
                    VisitEvent::Marked if v.key => "已标为重点拜访。",
                    VisitEvent::Marked => "已取消重点。",
                    VisitEvent::Planned => "已安排拜访。",
                    VisitEvent::Updated => "拜访计划已修改。",
                    VisitEvent::RecordedUnplanned => "拜访已补录。",
                };
                cx.toasts.success(format!("{}：{said}", v.customer_name));
                if let Some(c) = v.plan.customer {
                    cx.emit(Event::VisitChanged(c));
                }
                self.errors.clear();
                self.banner = None;
                self.visit = v;
            }
            Some(Err(e)) => refused(e, &mut self.errors, &mut self.banner, cx.toasts),
            None => {}
        }
    }

    /// Runs an action on this visit.
    fn act(
        &mut self,
        cx: &Cx<'_>,
        event: VisitEvent,
        f: impl FnOnce(&mut crate::service::Service, &crate::service::Actor) -> crate::ui::worker::Res<Visit>
        + Send
        + 'static,
    ) {
        self.acting = cx.ask(move |svc, a| Ok((event, f(svc, a)?)));
    }

    /// Draws the card; returns true when it should close.
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) -> bool {
        let mut close = false;
        ui.horizontal(|ui| {
            ui.heading(&self.visit.customer_name);
            if ui.small_button("关闭").clicked() || widgets::escape_closes(ui) {
                close = true;
            }
        });
        ui.horizontal_wrapped(|ui| visit_badges(ui, &self.visit, cx.now()));
        ui.add_space(4.0);
        self.details_ui(ui);
        let is_head = cx.actor.roles().contains(Role::Head);
        let may_change = plans_visits(cx.actor) && (self.visit.owner == cx.actor.id() || is_head);
        if let Some(b) = &self.banner {
            ui.label(RichText::new(b).color(ERROR_RED));
        }
        if is_head {
            ui.separator();
            let (text, key) = if self.visit.key { ("取消重点", false) } else { ("标为重点", true) };
            if ui.add_enabled(!self.acting.is_waiting(), egui::Button::new(text)).clicked() {
                let (id, version) = (self.visit.id, self.visit.version);
                self.act(cx, VisitEvent::Marked, move |svc, a| svc.mark_key_visit(a, id, version, key));
            }
        }
        if self.visit.status == VisitStatus::Planned && may_change {
            ui.separator();
            if ui.add_enabled(!self.acting.is_waiting(), egui::Button::new("修改计划")).clicked() {
                self.edit = Some(self.visit.clone());
            }
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
                        ui.label(RichText::new(k).color(MUTED));
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
        egui::Grid::new("visit_record_grid").num_columns(2).min_col_width(LABEL_WIDTH).spacing([10.0, 6.0]).show(
            ui,
            |ui| {
                let fields =
                    [&mut self.visited_on, &mut self.met, &mut self.outcome, &mut self.next_step, &mut self.follow_up];
                record_rows(ui, fields, &errors, cx.today);
            },
        );
        if ui.add_enabled(!self.acting.is_waiting(), egui::Button::new("保存拜访记录")).clicked() {
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
                self.act(cx, VisitEvent::Recorded, move |svc, a| svc.record_visit(a, id, version, record));
            }
        }
    }

    fn cancel_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        ui.label(RichText::new("取消拜访").strong());
        let err = error_of(&self.errors, "reason");
        egui::Grid::new("visit_cancel_grid").num_columns(2).min_col_width(LABEL_WIDTH).show(ui, |ui| {
            text_field(ui, "取消原因", &mut self.reason, err.as_deref(), false);
        });
        if ui.add_enabled(!self.acting.is_waiting(), egui::Button::new("确认取消拜访")).clicked() {
            let (id, version, reason) = (self.visit.id, self.visit.version, self.reason.clone());
            self.act(cx, VisitEvent::Cancelled, move |svc, a| svc.cancel_visit(a, id, version, &reason));
        }
    }
}
