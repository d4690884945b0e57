//! 看板 (dashboard): contract value against target by month, 回款率 (collected / due), the quote
//! win rate, the funnel (inquiries → go → quoted → won) and receivables aging, drawn with
//! egui_plot for a year, for everyone the reader may see or one salesperson; each chart's numbers
//! export as CSV or xlsx (audited by the service).

use std::path::PathBuf;

use chrono::Datelike;
use egui::{RichText, Ui};
use egui_plot::{Bar, BarChart, Legend, Line, Plot};

use crate::domain::ids::UserId;
use crate::domain::money::Money;
use crate::domain::receivable::AgingBucket;
use crate::domain::role::Permission;
use crate::service::{Dashboard, DashboardChart, ExportFormat};
use crate::ui::panel::{Cx, Event, Panel};
use crate::ui::theme::{self, ERROR_RED, MUTED, OK_GREEN, PENDING_AMBER, TENDER_BLUE};
use crate::ui::worker::{Reply, write_file};

#[derive(Default)]
pub struct DashboardPanel {
    year: i32,
    salesperson: Option<UserId>,
    data: Option<Dashboard>,
    requested: Option<(i32, Option<UserId>)>,
    /// The folder exports go to.
    folder: String,
    /// Salespeople seen in the figures, for the filter (id, name).
    people: Vec<(UserId, String)>,
    loading: Reply<Dashboard>,
    loading_people: Reply<Vec<(UserId, String)>>,
    exporting: Reply<PathBuf>,
}

fn yuan_f64(m: Money) -> f64 {
    // For drawing only: the figures and exports stay exact.
    m.to_plain_string().parse().unwrap_or(0.0)
}

fn wan(v: f64) -> String {
    if v.abs() >= 10_000.0 { format!("{:.1} 万", v / 10_000.0) } else { format!("{v:.0}") }
}

impl Panel for DashboardPanel {
    fn logic(&mut self, cx: &mut Cx<'_>) {
        match self.loading.take() {
            Some(Ok(d)) => {
                if let Some((id, name)) = &d.salesperson
                    && !self.people.iter().any(|(p, _)| p == id)
                {
                    self.people.push((*id, name.clone()));
                }
                self.data = Some(d);
            }
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        match self.loading_people.take() {
            Some(Ok(people)) => self.people = people,
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        match self.exporting.take() {
            Some(Ok(path)) => cx.toasts.success(format!("已导出到 {}", path.display())),
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
    }

    fn on_event(&mut self, event: &Event, _cx: &mut Cx<'_>) {
        if matches!(event, Event::ContractChanged(_) | Event::TargetsChanged | Event::OfficeChanged) {
            self.requested = None;
        }
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if self.year == 0 {
            self.year = cx.today.year();
            self.folder = dirs_folder();
        }
        let key = (self.year, self.salesperson);
        if self.requested != Some(key) {
            self.requested = Some(key);
            let (year, salesperson) = key;
            self.loading = cx.ask(move |svc, a| svc.dashboard(a, year, salesperson));
            if self.people.is_empty() && cx.actor.may(Permission::ViewAllCustomers) {
                self.loading_people = cx.ask(|svc, a| {
                    Ok(svc.salespeople(a)?.into_iter().filter(|u| u.active).map(|u| (u.id, u.display_name)).collect())
                });
            }
        }
        theme::heading(ui, "看板", "合同额按签订日期、回款按回款日期计；应收按付款计划的到期日计。");
        ui.horizontal_wrapped(|ui| {
            if ui.button("◀").clicked() {
                self.year -= 1;
            }
            ui.label(RichText::new(format!("{} 年", self.year)).strong());
            if ui.button("▶").clicked() {
                self.year += 1;
            }
            if cx.actor.may(Permission::ViewAllCustomers) {
                let l = ui.label("销售员");
                let name = self
                    .salesperson
                    .and_then(|s| self.people.iter().find(|(p, _)| *p == s))
                    .map(|(_, n)| n.clone())
                    .unwrap_or_else(|| "全部".into());
                egui::ComboBox::from_id_salt("dash_person")
                    .selected_text(name)
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.salesperson, None, "全部");
                        for (id, n) in &self.people {
                            ui.selectable_value(&mut self.salesperson, Some(*id), n);
                        }
                    })
                    .response
                    .labelled_by(l.id);
            }
            let l = ui.label("导出到文件夹");
            ui.add(egui::TextEdit::singleline(&mut self.folder).desired_width(220.0)).labelled_by(l.id);
            if ui.button("选择…").clicked()
                && let Some(p) = rfd::FileDialog::new().pick_folder()
            {
                self.folder = p.display().to_string();
            }
        });
        let Some(d) = self.data.clone() else {
            ui.label(RichText::new("正在加载…").color(MUTED));
            return;
        };
        let mut asked = Vec::new();
        egui::ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
            asked.extend(self.chart_frame(ui, &d, DashboardChart::SalesVsTarget, sales_chart));
            ui.columns(2, |cols| {
                asked.extend(self.chart_frame(&mut cols[0], &d, DashboardChart::Collection, collection_chart));
                asked.extend(self.chart_frame(&mut cols[1], &d, DashboardChart::Aging, aging_chart));
            });
            ui.columns(2, |cols| {
                asked.extend(self.chart_frame(&mut cols[0], &d, DashboardChart::WinRate, win_chart));
                asked.extend(self.chart_frame(&mut cols[1], &d, DashboardChart::Funnel, funnel_chart));
            });
        });
        let export = asked.pop();
        if let Some((chart, path)) = export {
            let (year, salesperson) = (d.year, self.salesperson);
            self.exporting = cx.ask(move |svc, a| {
                let format = ExportFormat::from_file_name(&path.display().to_string())?;
                let bytes = svc.export_dashboard(a, year, salesperson, chart, format)?;
                write_file(&path, &bytes).map(|()| path)
            });
        }
    }
}

impl DashboardPanel {
    /// One chart in its frame; returns the file to export it to when asked.
    fn chart_frame(
        &self,
        ui: &mut Ui,
        d: &Dashboard,
        chart: DashboardChart,
        draw: impl FnOnce(&mut Ui, &Dashboard),
    ) -> Option<(DashboardChart, PathBuf)> {
        let mut export = None;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                ui.label(RichText::new(chart.title()).strong());
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    for (ext, label) in [("xlsx", "导出 xlsx"), ("csv", "导出 CSV")] {
                        if ui.add_enabled(!self.exporting.is_waiting(), egui::Button::new(label).small()).clicked() {
                            let who = d.salesperson.as_ref().map(|(_, n)| format!("-{n}")).unwrap_or_default();
                            let name = format!("{}-{}{who}.{ext}", chart.file_stem(), d.year);
                            export = Some((chart, PathBuf::from(self.folder.trim()).join(name)));
                        }
                    }
                });
            });
            draw(ui, d);
        });
        export
    }
}

fn dirs_folder() -> String {
    std::env::var("HOME").map(|h| format!("{h}/Documents")).unwrap_or_else(|_| ".".into())
}

/// About four labelled steps over the visible amount range (1, 2 or 5 × a power of ten), so
/// even a short chart labels its amounts.
fn money_grid(input: egui_plot::GridInput) -> [f64; 3] {
    let span = (input.bounds.1 - input.bounds.0).abs().max(1.0);
    let rough = span / 4.0;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * power).find(|s| *s >= rough).unwrap_or(rough);
    [step / 2.0, step, step * 2.0]
}

fn month_axis(mark: egui_plot::GridMark, _: &std::ops::RangeInclusive<f64>) -> String {
    let m = mark.value.round();
    if (1.0..=12.0).contains(&m) && (mark.value - m).abs() < 1e-6 { format!("{m:.0}月") } else { String::new() }
}

fn sales_chart(ui: &mut Ui, d: &Dashboard) {
    let bars: Vec<Bar> = d
        .months
        .iter()
        .map(|f| Bar::new(f64::from(f.month), yuan_f64(f.contract_value)).width(0.6).name(format!("{}月", f.month)))
        .collect();
    let target: Vec<[f64; 2]> = d.months.iter().map(|f| [f64::from(f.month), yuan_f64(f.sales_target)]).collect();
    let total: Money = d.months.iter().map(|f| f.contract_value).sum();
    let goal: Money = d.months.iter().map(|f| f.sales_target).sum();
    ui.label(RichText::new(format!("全年合同额 {} / 目标 {}", total.yuan_display(), goal.yuan_display())).small());
    Plot::new("dash_sales")
        .height(170.0)
        .legend(Legend::default().position(egui_plot::Corner::LeftTop))
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .x_grid_spacer(egui_plot::uniform_grid_spacer(|_| [1.0, 2.0, 12.0]))
        .x_axis_formatter(month_axis)
        .y_grid_spacer(egui_plot::uniform_grid_spacer(money_grid))
        .y_axis_formatter(|m, _| wan(m.value))
        .include_y(0.0)
        .show(ui, |p| {
            p.bar_chart(BarChart::new("合同额", bars).color(TENDER_BLUE));
            p.line(Line::new("目标", target).color(ERROR_RED).width(2.0));
        });
}

fn collection_chart(ui: &mut Ui, d: &Dashboard) {
    let rate = d.collection_rate.map(|r| format!("{r}%")).unwrap_or_else(|| "—".into());
    ui.label(
        RichText::new(format!(
            "回款率 {rate}：到期应收 {} 中已收 {} · 全部已收 {}{}",
            d.due.yuan_display(),
            d.collected_of_due.yuan_display(),
            d.received.yuan_display(),
            if d.cash_pending.is_zero() {
                String::new()
            } else {
                format!("（含待上交现金 {}）", d.cash_pending.yuan_display())
            }
        ))
        .small(),
    );
    let bars: Vec<Bar> =
        d.months.iter().map(|f| Bar::new(f64::from(f.month), yuan_f64(f.collected)).width(0.6)).collect();
    let target: Vec<[f64; 2]> = d.months.iter().map(|f| [f64::from(f.month), yuan_f64(f.collection_target)]).collect();
    Plot::new("dash_collection")
        .height(125.0)
        .legend(Legend::default().position(egui_plot::Corner::LeftTop))
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .x_grid_spacer(egui_plot::uniform_grid_spacer(|_| [1.0, 2.0, 12.0]))
        .x_axis_formatter(month_axis)
        .y_grid_spacer(egui_plot::uniform_grid_spacer(money_grid))
        .y_axis_formatter(|m, _| wan(m.value))
        .include_y(0.0)
        .show(ui, |p| {
            p.bar_chart(BarChart::new("回款", bars).color(OK_GREEN));
            p.line(Line::new("回款目标", target).color(ERROR_RED).width(2.0));
        });
}

fn aging_chart(ui: &mut Ui, d: &Dashboard) {
    let colors = [MUTED, OK_GREEN, PENDING_AMBER, ERROR_RED, theme::DEEP_RED];
    let outstanding: Money = d.aging.iter().copied().sum();
    ui.label(RichText::new(format!("应收余额 {}", outstanding.yuan_display())).small());
    let bars: Vec<Bar> = AgingBucket::ALL
        .iter()
        .enumerate()
        .map(|(i, b)| Bar::new(i as f64, yuan_f64(d.aging[i])).width(0.6).name(b.label()).fill(colors[i]))
        .collect();
    Plot::new("dash_aging")
        .height(125.0)
        .y_axis_min_width(48.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .x_axis_formatter(|m, _| {
            let i = m.value.round();
            if (m.value - i).abs() < 1e-6 && (0.0..5.0).contains(&i) {
                AgingBucket::ALL[i as usize].label().to_string()
            } else {
                String::new()
            }
        })
        .y_grid_spacer(egui_plot::uniform_grid_spacer(money_grid))
        .y_axis_formatter(|m, _| wan(m.value))
        .include_y(0.0)
        .show(ui, |p| p.bar_chart(BarChart::new("账龄", bars)));
}

fn win_chart(ui: &mut Ui, d: &Dashboard) {
    let rate = d.win_rate.map(|r| format!("{r}%")).unwrap_or_else(|| "—".into());
    ui.label(
        RichText::new(format!("中标率 {rate}（中标/成交 {}，未成交 {}，已过期 {}）", d.won, d.lost, d.expired)).small(),
    );
    let bars = vec![
        Bar::new(0.0, d.won as f64).width(0.6).name("中标/成交").fill(OK_GREEN),
        Bar::new(1.0, d.lost as f64).width(0.6).name("未成交").fill(ERROR_RED),
        Bar::new(2.0, d.expired as f64).width(0.6).name("已过期").fill(MUTED),
    ];
    Plot::new("dash_win")
        .height(105.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .x_axis_formatter(|m, _| match m.value.round() as i64 {
            0 if m.value.fract().abs() < 1e-6 => "中标/成交".into(),
            1 if m.value.fract().abs() < 1e-6 => "未成交".into(),
            2 if m.value.fract().abs() < 1e-6 => "已过期".into(),
            _ => String::new(),
        })
        .include_y(0.0)
        .show(ui, |p| p.bar_chart(BarChart::new("报价结果", bars)));
}

fn funnel_chart(ui: &mut Ui, d: &Dashboard) {
    let first = d.funnel[0].1.max(1) as f64;
    let text: Vec<String> = d.funnel.iter().map(|(k, n)| format!("{k} {n}")).collect();
    ui.label(RichText::new(text.join(" → ")).small());
    let colors = [TENDER_BLUE, PENDING_AMBER, theme::FUNNEL_PURPLE, OK_GREEN];
    let bars: Vec<Bar> = d
        .funnel
        .iter()
        .enumerate()
        .map(|(i, (k, n))| {
            Bar::new((3 - i) as f64, *n as f64)
                .width(0.7)
                .name(format!("{k}（{:.0}%）", *n as f64 * 100.0 / first))
                .fill(colors[i])
        })
        .collect();
    let labels: Vec<&'static str> = d.funnel.iter().map(|(k, _)| *k).collect();
    Plot::new("dash_funnel")
        .height(105.0)
        .y_axis_min_width(64.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .y_axis_formatter(move |m, _| {
            let i = m.value.round();
            if (m.value - i).abs() < 1e-6 && (0.0..4.0).contains(&i) {
                labels[3 - i as usize].to_string()
            } else {
                String::new()
            }
        })
        .include_x(0.0)
        .show(ui, |p| p.bar_chart(BarChart::new("漏斗", bars).horizontal()));
}
