//! The month grid of 拜访计划: a calendar month, 周一 to 周日, each day listing its visits (time,
//! customer short name, colour by status, ★ for key visits). A click on a visit opens its card; a
//! click on an empty part of a day opens the planning form on that day (补录 for a past day).

use chrono::{DateTime, Datelike, Duration, Local, NaiveDate, Utc};
use egui::{Color32, RichText, Sense, Stroke, Ui, UiBuilder};

use crate::domain::ids::VisitId;
use crate::domain::visit::{Visit, VisitStatus, month_grid};
use crate::service::VisitMonth;
use crate::ui::theme::{ERROR_RED, KEY_PURPLE, MUTED, OK_GREEN, PENDING_AMBER};

const WEEKDAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
const LINE_HEIGHT: f32 = 18.0;

/// What the user clicked in the grid.
#[allow(clippy::large_enum_variant)] // one per click, moved once
pub enum MonthClick {
    Visit(Visit),
    /// An empty part of a day.
    Day(NaiveDate),
    /// "还有 N 次": the week of that day.
    Week(NaiveDate),
}

/// The colour of a visit in the grid: planned amber, done green, overdue red, cancelled grey.
pub fn status_color(v: &Visit, now: chrono::DateTime<Utc>) -> Color32 {
    if v.is_overdue(now) {
        return ERROR_RED;
    }
    match v.status {
        VisitStatus::Planned => PENDING_AMBER,
        VisitStatus::Done => OK_GREEN,
        VisitStatus::Cancelled => MUTED,
    }
}

/// "10:00 华能" (and the salesperson when everyone's visits are shown).
fn entry_text(v: &Visit, with_owner: bool) -> String {
    let time = v.plan.planned_at.map(|t| t.with_timezone(&Local).format("%H:%M").to_string()).unwrap_or_default();
    let key = if v.key { "★" } else { "" };
    let owner = if with_owner { format!(" · {}", v.owner_name) } else { String::new() };
    format!("{key}{time} {}{owner}", v.customer_label())
}

fn legend(ui: &mut Ui) {
    ui.horizontal_wrapped(|ui| {
        for (text, color) in
            [("计划中", PENDING_AMBER), ("已拜访", OK_GREEN), ("逾期未记录", ERROR_RED), ("已取消", MUTED)]
        {
            ui.label(RichText::new("■").color(color));
            ui.label(RichText::new(text).small().color(MUTED));
        }
        ui.label(RichText::new("★ 重点拜访").small().color(KEY_PURPLE));
        ui.label(RichText::new("点击空白处安排拜访（过去的日期为补录）").small().color(MUTED));
    });
}

/// Draws the grid of `data`'s month; returns what was clicked.
pub fn month_ui(
    ui: &mut Ui,
    data: &VisitMonth,
    now: DateTime<Utc>,
    selected: Option<VisitId>,
    may_plan: bool,
    with_owner: bool,
) -> Option<MonthClick> {
    let (first, start, weeks) = month_grid(data.month)?;
    let today = now.with_timezone(&Local).date_naive();
    legend(ui);
    let gap = 4.0;
    let width = ((ui.available_width() - gap * 6.0) / 7.0).max(72.0);
    let header = 20.0;
    let height = ((ui.available_height() - header - gap * weeks as f32) / weeks as f32).max(4.0 * LINE_HEIGHT + 8.0);
    let mut clicked = None;
    egui::ScrollArea::vertical().id_salt("visit_month").auto_shrink(false).show(ui, |ui| {
        ui.spacing_mut().item_spacing = egui::vec2(gap, gap);
        ui.horizontal(|ui| {
            for d in WEEKDAYS {
                ui.add_sized([width, header], egui::Label::new(RichText::new(d).strong()));
            }
        });
        for w in 0..weeks {
            ui.horizontal(|ui| {
                for i in 0..7 {
                    let day = start + Duration::days(i64::from(w * 7 + i));
                    let visits: Vec<&Visit> = data
                        .visits
                        .iter()
                        .filter(|v| v.plan.planned_at.is_some_and(|t| t.with_timezone(&Local).date_naive() == day))
                        .collect();
                    let in_month = day.month() == first.month();
                    if let Some(c) = day_cell(
                        ui,
                        day,
                        &visits,
                        [width, height],
                        in_month,
                        today,
                        selected,
                        may_plan,
                        now,
                        with_owner,
                    ) {
                        clicked = Some(c);
                    }
                }
            });
        }
    });
    clicked
}

#[allow(clippy::too_many_arguments)] // one cell of the grid and what it needs to know
fn day_cell(
    ui: &mut Ui,
    day: NaiveDate,
    visits: &[&Visit],
    size: [f32; 2],
    in_month: bool,
    today: NaiveDate,
    selected: Option<VisitId>,
    may_plan: bool,
    now: chrono::DateTime<Utc>,
    with_owner: bool,
) -> Option<MonthClick> {
    let (rect, response) = ui.allocate_exact_size(egui::vec2(size[0], size[1]), Sense::click());
    let what = if day < today { "补录拜访" } else { "安排拜访" };
    let label = format!("{day} {what}");
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, may_plan, &label));
    let fill = if day == today {
        crate::ui::theme::TODAY_FILL
    } else if in_month {
        ui.visuals().extreme_bg_color
    } else {
        ui.visuals().faint_bg_color
    };
    let stroke =
        if day == today { Stroke::new(1.5, PENDING_AMBER) } else { ui.visuals().widgets.noninteractive.bg_stroke };
    ui.painter().rect(rect, 4.0, fill, stroke, egui::StrokeKind::Inside);
    let mut clicked = None;
    let mut child =
        ui.new_child(UiBuilder::new().max_rect(rect.shrink(4.0)).layout(egui::Layout::top_down(egui::Align::Min)));
    child.spacing_mut().item_spacing = egui::vec2(2.0, 1.0);
    child.spacing_mut().button_padding = egui::vec2(2.0, 0.0);
    child.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
    child.style_mut().interaction.selectable_labels = false;
    let number = if day.day() == 1 { format!("{}月{}日", day.month(), day.day()) } else { day.day().to_string() };
    let color = if in_month { child.visuals().text_color() } else { MUTED };
    child.label(RichText::new(number).color(color).strong());
    // What fits under the day's number: one line per visit (the last one says how many more).
    let line = child.text_style_height(&egui::TextStyle::Small) + child.spacing().item_spacing.y + 1.0;
    let top = child.text_style_height(&egui::TextStyle::Body) + child.spacing().item_spacing.y;
    let room = ((size[1] - 8.0 - top) / line).floor().max(1.0) as usize;
    let shown = if visits.len() > room { room.saturating_sub(1) } else { visits.len() };
    for v in &visits[..shown] {
        let mut text = RichText::new(entry_text(v, with_owner)).small().color(status_color(v, now));
        if v.status == VisitStatus::Cancelled {
            text = text.strikethrough();
        }
        if v.key {
            text = text.strong();
        }
        let hover = format!(
            "{}\n{} · {}{}\n负责人：{}",
            v.customer_name,
            v.plan.purpose,
            v.status.label(),
            if v.is_overdue(now) { "（逾期）" } else { "" },
            v.owner_name
        );
        if child.selectable_label(selected == Some(v.id), text).on_hover_text(hover).clicked() {
            clicked = Some(MonthClick::Visit((*v).clone()));
        }
    }
    if shown < visits.len() {
        let more = format!("还有 {} 次…", visits.len() - shown);
        if child.link(RichText::new(more).small()).on_hover_text("在周视图中查看").clicked() {
            clicked = Some(MonthClick::Week(day));
        }
    }
    if clicked.is_none() && may_plan && response.clicked() {
        clicked = Some(MonthClick::Day(day));
    }
    if may_plan {
        response.on_hover_text(if day < today { "补录这一天的拜访" } else { "在这一天安排拜访" });
    }
    clicked
}
