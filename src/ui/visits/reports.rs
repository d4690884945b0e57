//! 工作周报: each salesperson's week summarised from the data — visits, overdue plans, inquiries
//! and tenders registered, quote and bid revisions submitted, outcomes — plus their own notes and
//! next week's focus. The head (and leader, assistant, admin) reads every salesperson's report of a
//! week in one view: the list, then the one selected. A salesperson sees and writes their own.

use egui::{RichText, Ui};

use super::{visit_badges, week_label};
use crate::domain::ids::UserId;
use crate::domain::visit::ReportNotes;
use crate::domain::visit::{Visit, VisitStatus, Week};
use crate::service::Printable;
use crate::service::WeeklyReport;
use crate::ui::documents::PreviewWindow;
use crate::ui::panel::Cx;
use crate::ui::pickers::local_time;
use crate::ui::theme::{self, ERROR_RED, MUTED};
use crate::ui::widgets;
use crate::ui::worker::Reply;

#[derive(Default)]
pub struct ReportsView {
    week: Option<Week>,
    sent: Option<Week>,
    /// Replaced when the week changes: an answer for a week moved past is dropped.
    loading: Reply<Vec<WeeklyReport>>,
    reports: Option<Vec<WeeklyReport>>,
    selected: Option<UserId>,
    /// The own notes being written: (week, the version they started from).
    editing: Option<(Week, i64)>,
    notes: String,
    next_focus: String,
    banner: Option<String>,
    /// 打印周报: where to save it.
    preview: Option<PreviewWindow>,
    saving: Reply<(Week, ReportNotes)>,
}

impl ReportsView {
    pub fn invalidate(&mut self) {
        self.sent = None;
    }

    /// Takes in the answers that came.
    pub fn logic(&mut self, cx: &mut Cx<'_>) {
        match self.loading.take() {
            Some(Ok(list)) => {
                if self.selected.is_none_or(|s| !list.iter().any(|r| r.user == s)) {
                    self.selected = list.first().map(|r| r.user);
                }
                self.reports = Some(list);
            }
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        // The own notes saved, or refused (a conflict names who saved in between; the text stays).
        match self.saving.take() {
            Some(Ok((week, n))) => {
                cx.toasts.success(format!("{week} 工作周报已保存。"));
                self.banner = None;
                self.editing = Some((week, n.version));
                self.notes = n.notes.clone();
                self.next_focus = n.next_focus.clone();
                for rep in self.reports.iter_mut().flatten().filter(|r| r.week == week) {
                    if Some(rep.user) == self.selected {
                        rep.notes = n.clone();
                    }
                }
            }
            Some(Err(e)) => {
                cx.toasts.error(e.to_string());
                self.banner = Some(e.to_string());
            }
            None => {}
        }
    }

    /// Draws the view; returns a visit the user clicked (its card opens beside).
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) -> Option<Visit> {
        let this_week = crate::domain::visit::Week::of(cx.today);
        let week = *self.week.get_or_insert(this_week);
        if self.sent != Some(week) {
            self.sent = Some(week);
            self.loading = cx.ask(move |svc, a| svc.weekly_reports(a, week));
        }
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
        });
        let Some(reports) = self.reports.as_ref().filter(|r| r.first().is_none_or(|x| x.week == week)) else {
            ui.add(egui::Spinner::new());
            return None;
        };
        if reports.is_empty() {
            ui.label(RichText::new("没有销售员的周报。").color(MUTED));
            return None;
        }
        let reports = reports.clone();
        ui.horizontal(|ui| {
            if let Some(r) = reports.iter().find(|r| Some(r.user) == self.selected)
                && ui.button(format!("打印预览{}的周报…", r.user_name)).clicked()
            {
                let what = Printable::WeeklyReports { week, user: Some(r.user) };
                self.preview = Some(PreviewWindow::open(what, format!("{} 工作周报 {week}", r.user_name), 1, cx));
            }
            if reports.len() > 1 && ui.button("打印预览全部周报…").clicked() {
                let what = Printable::WeeklyReports { week, user: None };
                self.preview = Some(PreviewWindow::open(what, format!("全部工作周报 {week}"), 1, cx));
            }
        });
        if let Some(p) = &mut self.preview
            && p.ui(ui, cx)
        {
            self.preview = None;
        }
        let mut open = None;
        egui::ScrollArea::vertical().id_salt("weekly_reports").auto_shrink(false).show(ui, |ui| {
            if reports.len() > 1 {
                self.list_ui(ui, &reports);
                ui.separator();
            }
            let Some(r) = reports.iter().find(|r| Some(r.user) == self.selected) else { return };
            open = self.report_ui(ui, cx, r);
        });
        open
    }

    fn list_ui(&mut self, ui: &mut Ui, reports: &[WeeklyReport]) {
        ui.label(RichText::new(format!("各销售员的工作周报（{} 人）", reports.len())).strong());
        egui::Grid::new("report_list").num_columns(7).striped(true).spacing([16.0, 4.0]).show(ui, |ui| {
            for h in ["销售员", "拜访", "已拜访", "目前逾期", "询价/招标", "报价/投标提交", "本人小结"]
            {
                ui.label(RichText::new(h).color(MUTED));
            }
            ui.end_row();
            for r in reports {
                let done = r.visits.iter().filter(|v| v.status == VisitStatus::Done).count();
                if ui
                    .selectable_label(self.selected == Some(r.user), &r.user_name)
                    .on_hover_text("查看此人的周报")
                    .clicked()
                {
                    self.selected = Some(r.user);
                    self.banner = None;
                }
                ui.label(r.visits.len().to_string());
                ui.label(done.to_string());
                if r.overdue.is_empty() {
                    ui.label("0");
                } else {
                    ui.label(RichText::new(r.overdue.len().to_string()).color(ERROR_RED));
                }
                ui.label(r.inquiries.len().to_string());
                ui.label(r.submitted.len().to_string());
                if r.notes.version > 0 {
                    theme::badge(ui, "已填写", theme::OK_GREEN);
                } else {
                    theme::badge(ui, "未填写", MUTED);
                }
                ui.end_row();
            }
        });
    }

    fn report_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, r: &WeeklyReport) -> Option<Visit> {
        let mut open = None;
        ui.heading(format!("{} 工作周报", r.user_name));
        ui.label(RichText::new(week_label(r.week)).color(MUTED));
        ui.add_space(4.0);

        let done = r.visits.iter().filter(|v| v.status == VisitStatus::Done).count();
        section(ui, &format!("本周拜访（{} 次，已拜访 {done} 次）", r.visits.len()));
        if let Some(v) = visit_rows(ui, "report_visits", &r.visits, "这一周没有拜访。", cx.now()) {
            open = Some(v);
        }
        if !r.overdue.is_empty() {
            section(ui, &format!("目前逾期未记录（{}，不限于这一周）", r.overdue.len()));
            if let Some(v) = visit_rows(ui, "report_overdue", &r.overdue, "", cx.now()) {
                open = Some(v);
            }
        }

        section(ui, &format!("本周登记的询价与招标（{}）", r.inquiries.len()));
        if r.inquiries.is_empty() {
            none(ui, "这一周没有登记询价或招标。");
        }
        egui::Grid::new("report_inquiries").num_columns(4).striped(true).spacing([12.0, 4.0]).show(ui, |ui| {
            for i in &r.inquiries {
                ui.label(i.number.to_string());
                ui.label(i.kind.label());
                ui.label(&i.customer_name);
                ui.label(format!("{}（{}）", i.subject, i.badge()));
                ui.end_row();
            }
        });

        section(ui, &format!("本周提交审批的报价与投标（{}）", r.submitted.len()));
        if r.submitted.is_empty() {
            none(ui, "这一周没有提交报价或投标。");
        }
        egui::Grid::new("report_quotes").num_columns(4).striped(true).spacing([12.0, 4.0]).show(ui, |ui| {
            for (q, rev) in &r.submitted {
                ui.label(q.number.revision_label(rev.revision));
                ui.label(&q.customer_name);
                ui.label(rev.total.yuan_display());
                ui.label(format!("{} · {}", rev.status.label(), q.status.label()));
                ui.end_row();
            }
        });

        section(ui, &format!("本周有结果的报价与投标（{}）", r.outcomes.len()));
        if r.outcomes.is_empty() {
            none(ui, "这一周没有成交、未成交或过期的报价。");
        }
        egui::Grid::new("report_outcomes").num_columns(3).striped(true).spacing([12.0, 4.0]).show(ui, |ui| {
            for q in &r.outcomes {
                ui.label(q.number.to_string());
                ui.label(&q.customer_name);
                ui.label(q.status.label());
                ui.end_row();
            }
        });

        section(ui, &format!("本周回款（{}）", r.receipts.len()));
        if r.receipts.is_empty() {
            none(ui, "这一周没有登记回款。");
        }
        egui::Grid::new("report_receipts").num_columns(5).striped(true).spacing([12.0, 4.0]).show(ui, |ui| {
            for (number, customer, rc) in &r.receipts {
                ui.label(rc.date.to_string());
                ui.label(number);
                ui.label(customer);
                ui.label(rc.amount.yuan_display());
                let how = match rc.hand_in(cx.today) {
                    crate::domain::receivable::HandIn::NotNeeded => rc.method.label().to_string(),
                    h => format!("{}，{}", rc.method.label(), h.label()),
                };
                ui.label(how);
                ui.end_row();
            }
        });

        section(ui, &format!("下周拜访计划（{}）", r.next_week.len()));
        if let Some(v) = visit_rows(ui, "report_next", &r.next_week, "下周还没有安排拜访。", cx.now()) {
            open = Some(v);
        }

        ui.add_space(6.0);
        self.notes_ui(ui, cx, r);
        open
    }

    fn notes_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, r: &WeeklyReport) {
        let own = r.user == cx.actor.id();
        if !own {
            section(ui, "本人小结");
            let text = if r.notes.notes.is_empty() { "（未填写）" } else { r.notes.notes.as_str() };
            ui.label(text);
            section(ui, "下周工作重点");
            let text = if r.notes.next_focus.is_empty() { "（未填写）" } else { r.notes.next_focus.as_str() };
            ui.label(text);
            if r.notes.version == 0 {
                ui.label(RichText::new("本人尚未填写这一周的周报。").small().color(MUTED));
            }
            return;
        }
        // Start from what is stored, once per week; after that the text is the user's.
        if self.editing.is_none_or(|(w, _)| w != r.week) {
            self.editing = Some((r.week, r.notes.version));
            self.notes = r.notes.notes.clone();
            self.next_focus = r.notes.next_focus.clone();
            self.banner = None;
        }
        section(ui, "本人小结与下周重点");
        egui::Grid::new("report_notes").num_columns(2).spacing([10.0, 6.0]).show(ui, |ui| {
            widgets::text_area(ui, "本人小结", &mut self.notes, None);
            widgets::text_area(ui, "下周工作重点", &mut self.next_focus, None);
        });
        if let Some(b) = &self.banner {
            ui.label(RichText::new(b).color(ERROR_RED));
        }
        ui.horizontal(|ui| {
            if ui.add_enabled(!self.saving.is_waiting(), egui::Button::new("保存周报")).clicked() {
                let version = self.editing.map(|(_, v)| v).unwrap_or(0);
                let (week, notes, next_focus) = (r.week, self.notes.clone(), self.next_focus.clone());
                self.saving =
                    cx.ask(move |svc, a| Ok((week, svc.save_report_notes(a, week, version, &notes, &next_focus)?)));
            }
            if self.banner.is_some() && ui.button("放弃我的修改，重新载入").clicked() {
                self.editing = None;
                self.banner = None;
                self.invalidate();
            }
        });
    }
}

fn section(ui: &mut Ui, title: &str) {
    ui.add_space(6.0);
    ui.label(RichText::new(title).strong());
}

fn none(ui: &mut Ui, text: &str) {
    ui.label(RichText::new(text).small().color(MUTED));
}

/// Visits as rows (time, customer, purpose, badges, outcome); returns the one clicked.
fn visit_rows(
    ui: &mut Ui,
    id: &str,
    visits: &[Visit],
    empty: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<Visit> {
    if visits.is_empty() && !empty.is_empty() {
        none(ui, empty);
    }
    let mut open = None;
    egui::Grid::new(id).num_columns(5).striped(true).spacing([12.0, 4.0]).show(ui, |ui| {
        for v in visits {
            let when = v.plan.planned_at.map(local_time).unwrap_or_default();
            if ui.selectable_label(false, when).on_hover_text("打开该拜访").clicked() {
                open = Some(v.clone());
            }
            ui.label(&v.customer_name);
            ui.label(&v.plan.purpose);
            ui.horizontal(|ui| visit_badges(ui, v, now));
            ui.label(v.record.as_ref().map(|r| r.outcome.as_str()).unwrap_or(v.cancel_reason.as_str()));
            ui.end_row();
        }
    });
    open
}
