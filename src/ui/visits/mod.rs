//! 拜访计划: the week's visits (with the overdue ones above) or the month grid (`month.rs`), the
//! card beside them and the planning, editing and 补录 form (`forms.rs`), next week's plan for the
//! Saturday meeting, and the weekly reports (工作周报, `reports.rs`). Controls are shown by role for
//! tidiness; the service decides who may plan, record, cancel and mark.

mod forms;
mod month;
mod reports;

use chrono::{DateTime, Datelike, Local, NaiveDate, Utc};
use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use forms::{PlanForm, VisitCard, VisitEvent};
use month::{MonthClick, month_ui};
use reports::ReportsView;

use crate::domain::ids::{UserId, VisitId};
use crate::domain::role::{Permission, Role};
use crate::domain::visit::{Visit, VisitStatus, Week, is_overdue};
use crate::service::Printable;
use crate::service::{Actor, VisitMonth, VisitWeek, WeeklyPlan};
use crate::ui::documents::PreviewWindow;
use crate::ui::panel::{Cx, Event, Link, Panel};
use crate::ui::pickers::local_time;
use crate::ui::theme::{self, ERROR_RED, KEY_PURPLE, MUTED, OK_GREEN, PENDING_AMBER};
use crate::ui::worker::Reply;

/// Which view the panel shows.
#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum Tab {
    #[default]
    Week,
    Month,
    NextWeek,
    Reports,
}

#[derive(Default)]
pub struct VisitsPanel {
    tab: Tab,
    /// The week shown (this week until the user moves).
    week: Option<Week>,
    owner: Option<UserId>,
    /// What was last asked for; a change asks again.
    sent: Option<(Week, Option<UserId>)>,
    /// Replaced when the week or the filter changes: an answer moved past is dropped.
    loading: Reply<VisitWeek>,
    data: Option<VisitWeek>,
    plan_sent: Option<Week>,
    loading_plan: Reply<WeeklyPlan>,
    plan: Option<WeeklyPlan>,
    /// The month grid: any day of the month shown (this month until the user moves).
    month: Option<NaiveDate>,
    month_sent: Option<(NaiveDate, Option<UserId>)>,
    loading_month: Reply<VisitMonth>,
    month_data: Option<VisitMonth>,
    reports: ReportsView,
    card: Option<VisitCard>,
    form: Option<PlanForm>,
    /// A visit opened from elsewhere (a customer's timeline).
    opening: Reply<Visit>,
    /// 打印周计划: where to save it.
    preview: Option<PreviewWindow>,
}

/// Whether the actor plans visits (salesperson or head).
pub fn plans_visits(actor: &Actor) -> bool {
    actor.may(Permission::OwnCustomers) || actor.roles().contains(Role::Head)
}

/// "2026-W48（11月23日—11月29日）"
pub fn week_label(week: Week) -> String {
    match week.days() {
        Some((mon, sun)) => {
            format!("{week}（{}月{}日—{}月{}日）", mon.month(), mon.day(), sun.month(), sun.day())
        }
        None => week.to_string(),
    }
}

/// The status badge and the 重点 / 补录 / 逾期 marks of one visit, as of `now`.
pub fn visit_badges(ui: &mut Ui, v: &Visit, now: DateTime<Utc>) {
    let color = match v.status {
        VisitStatus::Planned => PENDING_AMBER,
        VisitStatus::Done => OK_GREEN,
        VisitStatus::Cancelled => MUTED,
    };
    theme::badge(ui, v.status.label(), color);
    if v.key {
        theme::badge(ui, "重点", KEY_PURPLE);
    }
    if v.retroactive {
        theme::badge(ui, "补录", MUTED);
    }
    if v.plan.planned_at.is_some_and(|t| is_overdue(v.status, t, now)) {
        theme::badge(ui, "逾期", ERROR_RED);
    }
}

fn when(v: &Visit) -> String {
    v.plan.planned_at.map(local_time).unwrap_or_else(|| "—".into())
}

impl VisitsPanel {
    /// Lists again when next shown (after any change).
    fn invalidate(&mut self) {
        self.sent = None;
        self.plan_sent = None;
        self.month_sent = None;
        self.reports.invalidate();
    }

    /// Shows the week and the month of `v`'s time.
    fn go_to(&mut self, v: &Visit) {
        if let Some(t) = v.plan.planned_at {
            let day = t.with_timezone(&Local).date_naive();
            self.week = Some(Week::of(day));
            self.month = Some(day);
        }
    }

    /// A visit planned, changed or recorded through the form: say so, show where it falls, with
    /// its card for a change or a record.
    fn saved(&mut self, event: VisitEvent, v: Visit, cx: &mut Cx<'_>) {
        let said = match event {
            VisitEvent::Planned => format!("已安排拜访：{} {}", v.customer_name, when(&v)),
            VisitEvent::Updated => format!("拜访计划已修改：{} {}", v.customer_name, when(&v)),
            _ if v.retroactive => format!("已补录拜访（补录）：{}", v.customer_name),
            _ => format!("已记录拜访：{}", v.customer_name),
        };
        cx.toasts.success(said);
        self.form = None;
        self.go_to(&v);
        if self.tab != Tab::Month {
            self.tab = Tab::Week;
        }
        if event != VisitEvent::Planned {
            self.card = Some(VisitCard::new(v, cx.today));
        }
    }
}

impl Panel for VisitsPanel {
    fn logic(&mut self, cx: &mut Cx<'_>) {
        match self.loading.take() {
            Some(Ok(w)) => self.data = Some(w),
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        match self.loading_month.take() {
            Some(Ok(m)) => self.month_data = Some(m),
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        match self.loading_plan.take() {
            Some(Ok(p)) => self.plan = Some(p),
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        match self.opening.take() {
            Some(Ok(v)) => {
                self.go_to(&v);
                self.card = Some(VisitCard::new(v, cx.today));
            }
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        if let Some((event, v)) = self.form.as_mut().and_then(|f| f.logic(cx)) {
            self.saved(event, v, cx);
        }
        if let Some(card) = &mut self.card {
            card.logic(cx);
        }
        self.reports.logic(cx);
    }

    fn on_event(&mut self, event: &Event, cx: &mut Cx<'_>) {
        match event {
            Event::VisitChanged(_) | Event::OfficeChanged | Event::InquiryChanged(_) | Event::QuoteChanged(_) => {
                self.invalidate();
            }
            Event::Open(Link::Visit(id)) => {
                cx.go(crate::ui::nav::Nav::Visits);
                let id = *id;
                self.opening = cx.ask(move |svc, a| svc.visit(a, id));
            }
            _ => {}
        }
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let this_week = Week::of(cx.today);
        let week = *self.week.get_or_insert(this_week);
        let month = *self.month.get_or_insert(cx.today);
        let owner = self.owner;
        if self.tab == Tab::Month && self.month_sent != Some((month, owner)) {
            self.month_sent = Some((month, owner));
            self.loading_month = cx.ask(move |svc, a| svc.visit_month(a, month, owner));
        }
        if self.sent != Some((week, owner)) {
            self.sent = Some((week, owner));
            self.loading = cx.ask(move |svc, a| svc.visit_week(a, week, owner));
        }
        if self.tab == Tab::NextWeek && self.plan_sent != Some(this_week.next()) {
            let next = this_week.next();
            self.plan_sent = Some(next);
            self.loading_plan = cx.ask(move |svc, a| svc.weekly_plan(a, next));
        }
        if let Some(card) = &mut self.card {
            let (close, whole) =
                crate::ui::widgets::card_pane(ui, "visit_card", 460.0, 380.0, LIST_MIN, |ui| card.ui(ui, cx));
            if let Some(v) = card.edit.take() {
                self.form = Some(PlanForm::edit(&v, cx));
            }
            if close {
                self.card = None;
            }
            if whole {
                self.form_ui(ui, cx);
                return;
            }
        }
        theme::heading(ui, "拜访计划", "按月、按周安排和记录客户拜访；计划时间已过仍未记录的拜访列为逾期。");
        ui.horizontal_wrapped(|ui| {
            ui.selectable_value(&mut self.tab, Tab::Week, "周");
            ui.selectable_value(&mut self.tab, Tab::Month, "月");
            ui.selectable_value(&mut self.tab, Tab::NextWeek, "下周拜访计划（周六例会）");
            ui.selectable_value(&mut self.tab, Tab::Reports, "工作周报");
            if plans_visits(cx.actor) {
                ui.separator();
                if ui.button("＋ 安排拜访").clicked() {
                    self.form = Some(PlanForm::new());
                }
                if ui.button("＋ 补录拜访").clicked() {
                    self.form = Some(PlanForm::unplanned(cx.today));
                }
            }
        });
        ui.separator();
        match self.tab {
            Tab::Week => self.week_ui(ui, cx, week, this_week),
            Tab::Month => self.month_ui(ui, cx, month),
            Tab::NextWeek => egui::ScrollArea::vertical().auto_shrink(false).show(ui, |ui| self.plan_ui(ui, cx)).inner,
            Tab::Reports => {
                if let Some(v) = self.reports.ui(ui, cx) {
                    self.card = Some(VisitCard::new(v, cx.today));
                }
            }
        }
        self.form_ui(ui, cx);
    }
}

/// The narrowest the visit lists are readable (below it a card takes the whole area).
const LIST_MIN: f32 = 560.0;

impl VisitsPanel {
    fn week_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, week: Week, this_week: Week) {
        ui.horizontal_wrapped(|ui| {
            if ui.button("‹ 上一周").clicked() {
                self.week = Some(week.previous());
            }
            ui.label(RichText::new(week_label(week)).strong());
            if ui.button("下一周 ›").clicked() {
                self.week = Some(week.next());
            }
            if week != this_week && ui.button("回到本周").clicked() {
                self.week = Some(this_week);
            }
            let people = self.data.as_ref().map(|d| d.salespeople.clone()).unwrap_or_default();
            owner_filter(ui, &mut self.owner, &people);
        });
        let Some(data) = &self.data else {
            ui.add(egui::Spinner::new());
            return;
        };
        let mut open = None;
        if !data.overdue.is_empty() {
            ui.add_space(4.0);
            egui::Frame::group(ui.style()).stroke(egui::Stroke::new(1.0, ERROR_RED)).show(ui, |ui| {
                ui.label(RichText::new(format!("逾期未记录（{}）", data.overdue.len())).color(ERROR_RED).strong());
                egui::ScrollArea::vertical().id_salt("overdue_visits").max_height(120.0).show(ui, |ui| {
                    egui::Grid::new("overdue_grid").num_columns(4).striped(true).show(ui, |ui| {
                        for v in &data.overdue {
                            if ui.selectable_label(false, when(v)).on_hover_text("打开该拜访").clicked() {
                                open = Some(v.clone());
                            }
                            ui.label(&v.customer_name);
                            ui.label(&v.plan.purpose);
                            ui.label(RichText::new(&v.owner_name).color(MUTED));
                            ui.end_row();
                        }
                    });
                });
            });
            ui.add_space(4.0);
        }
        ui.label(RichText::new(format!("本周共 {} 次拜访", data.visits.len())).small().color(MUTED));
        if let Some(v) = ui
            .scope(|ui| table_ui(ui, &data.visits, self.card.as_ref().map(|c| c.id()), self.card.is_some(), cx.now()))
            .inner
        {
            open = Some(v);
        }
        if data.visits.is_empty() {
            ui.label(RichText::new("这一周还没有安排拜访。").color(MUTED));
        }
        if let Some(v) = open {
            self.card = Some(VisitCard::new(v, cx.today));
        }
    }

    fn month_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, month: NaiveDate) {
        let people = self.month_data.as_ref().map(|d| d.salespeople.clone()).unwrap_or_default();
        let mut moved = None;
        ui.horizontal_wrapped(|ui| {
            if ui.button("‹ 上月").clicked() {
                moved = Some(crate::domain::visit::shift_month(month, -1));
            }
            ui.label(RichText::new(format!("{}年{}月", month.year(), month.month())).strong());
            if ui.button("下月 ›").clicked() {
                moved = Some(crate::domain::visit::shift_month(month, 1));
            }
            if ui.button("今天").clicked() {
                moved = Some(cx.today);
            }
            owner_filter(ui, &mut self.owner, &people);
        });
        if let Some(m) = moved {
            self.month = Some(m);
        }
        let Some(data) = &self.month_data else {
            ui.add(egui::Spinner::new());
            return;
        };
        let stale = data.month.year() != month.year() || data.month.month() != month.month();
        let may_plan = plans_visits(cx.actor);
        let selected = self.card.as_ref().map(|c| c.id());
        let sees_all = !people.is_empty();
        match month_ui(ui, data, cx.now(), selected, may_plan, sees_all && self.owner.is_none()) {
            Some(MonthClick::Visit(v)) => self.card = Some(VisitCard::new(v, cx.today)),
            Some(MonthClick::Day(d)) if d >= cx.today => self.form = Some(PlanForm::on_day(d)),
            Some(MonthClick::Day(d)) => self.form = Some(PlanForm::unplanned(d)),
            Some(MonthClick::Week(d)) => {
                self.week = Some(Week::of(d));
                self.tab = Tab::Week;
            }
            None => {}
        }
        if stale {
            ui.add(egui::Spinner::new());
        }
    }

    fn plan_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if let Some(p) = &mut self.preview
            && p.ui(ui, cx)
        {
            self.preview = None;
        }
        let Some(plan) = &self.plan else {
            ui.add(egui::Spinner::new());
            return;
        };
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("下周拜访计划 {}", week_label(plan.week))).strong());
            if ui.button("打印预览周计划…").clicked() {
                let week = plan.week;
                self.preview = Some(PreviewWindow::open(Printable::VisitPlan(week), format!("拜访计划 {week}"), 1, cx));
            }
        });
        ui.label(RichText::new("每位销售员的重点拜访排在前面。").small().color(MUTED));
        if plan.people.is_empty() {
            ui.label(RichText::new("下周还没有安排拜访。").color(MUTED));
        }
        for (name, visits) in &plan.people {
            ui.add_space(6.0);
            ui.label(RichText::new(format!("{name}（{} 次）", visits.len())).heading());
            egui::Grid::new(("plan_sheet", name.as_str())).num_columns(5).striped(true).spacing([12.0, 4.0]).show(
                ui,
                |ui| {
                    for v in visits {
                        ui.horizontal(|ui| {
                            if v.key {
                                theme::badge(ui, "重点", KEY_PURPLE);
                            }
                        });
                        ui.label(when(v));
                        ui.label(&v.customer_name);
                        ui.label(&v.contact_name);
                        ui.label(&v.plan.purpose);
                        ui.end_row();
                    }
                },
            );
        }
    }

    fn form_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let Some(form) = &mut self.form else { return };
        // Only 取消 closes it, or Esc after asking: a click beside the form must not throw away
        // what was typed.
        let typed = form.typed();
        let mut close = form.discard.ui(ui, typed, "拜访表单");
        egui::Modal::new(egui::Id::unique("visit_plan_form")).show(ui.ctx(), |ui| {
            ui.set_width(640.0f32.min(ui.ctx().content_rect().width() - 60.0));
            // The fields scroll; the errors and the buttons stay in sight under them.
            let height = (ui.ctx().content_rect().height() - 190.0).max(200.0);
            egui::ScrollArea::vertical().max_height(height).show(ui, |ui| form.fields_ui(ui, cx));
            close |= form.buttons_ui(ui, cx);
        });
        if close {
            self.form = None;
        }
    }
}

/// The salesperson filter, for those who see everyone's visits (`people` is empty otherwise).
fn owner_filter(ui: &mut Ui, owner: &mut Option<UserId>, people: &[(UserId, String)]) {
    if people.is_empty() {
        return;
    }
    ui.separator();
    let current = people.iter().find(|(id, _)| Some(*id) == *owner).map(|(_, n)| n.as_str());
    let l = ui.label("销售员");
    egui::ComboBox::from_id_salt("visit_owner")
        .selected_text(current.unwrap_or("全部"))
        .show_ui(ui, |ui| {
            ui.selectable_value(owner, None, "全部");
            for (id, name) in people {
                ui.selectable_value(owner, Some(*id), name);
            }
        })
        .response
        .labelled_by(l.id);
}

/// The week's visits; returns the one the user clicked. With the card open beside it (`compact`)
/// the table keeps only what fits, so it never reaches under the card.
fn table_ui(
    ui: &mut Ui,
    visits: &[Visit],
    selected: Option<VisitId>,
    compact: bool,
    now: DateTime<Utc>,
) -> Option<Visit> {
    let mut clicked = None;
    ui.style_mut().interaction.selectable_labels = false;
    let mut table = TableBuilder::new(ui)
        .id_salt("visit_list")
        .striped(true)
        .sense(egui::Sense::click())
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::exact(130.0))
        .column(Column::remainder().at_least(120.0).clip(true));
    let mut titles = vec!["日期时间", "客户"];
    if !compact {
        table = table
            .column(Column::exact(80.0).clip(true))
            .column(Column::exact(100.0).clip(true))
            .column(Column::exact(64.0));
        titles.extend(["联系人", "目的", "负责人"]);
    }
    table
        .column(Column::exact(if compact { 130.0 } else { 180.0 }).clip(true))
        .header(24.0, |mut h| {
            titles.push("状态");
            for t in titles {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(28.0, visits.len(), |mut row| {
                let v = &visits[row.index()];
                let is_selected = selected == Some(v.id);
                row.set_selected(is_selected);
                let mut hit = false;
                row.col(|ui| {
                    hit |= ui.selectable_label(is_selected, when(v)).on_hover_text("打开该拜访").clicked();
                });
                row.col(|ui| {
                    ui.label(&v.customer_name);
                });
                if !compact {
                    row.col(|ui| {
                        ui.label(&v.contact_name);
                    });
                    row.col(|ui| {
                        ui.label(&v.plan.purpose);
                    });
                    row.col(|ui| {
                        ui.label(&v.owner_name);
                    });
                }
                row.col(|ui| {
                    ui.horizontal(|ui| visit_badges(ui, v, now));
                });
                if hit || row.response().clicked() {
                    clicked = Some(v.clone());
                }
            });
        });
    clicked
}
