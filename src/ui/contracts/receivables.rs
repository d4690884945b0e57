//! 应收账款 and 销售目标 (tabs of 合同与回款): outstanding money aged by due date (0–30, 31–90,
//! 91–180, >180 days), per salesperson and per customer, each salesperson's chase list (催款清单)
//! sorted by days overdue, cash collected in the field waiting to be handed in (overdue ones in
//! red); and the head's yearly and monthly sales and collection targets per salesperson.

use chrono::Datelike;
use egui::{RichText, Ui};

use super::overdue_badge;
use crate::domain::company::FieldError;
use crate::domain::ids::UserId;
use crate::domain::money::Money;
use crate::domain::receivable::{AgingBucket, HandIn, Target, TargetDraft};
use crate::domain::role::Permission;
use crate::domain::user::UserAccount;
use crate::service::{ReceivableRow, Receivables, ServiceError};
use crate::ui::panel::{Cx, Event, Link};
use crate::ui::theme::{self, ERROR_RED, MUTED, OK_GREEN, PENDING_AMBER};
use crate::ui::widgets::{field_error, message_for};
use crate::ui::worker::Reply;

#[derive(Default)]
struct TargetForm {
    salesperson: Option<UserId>,
    /// 0 = the whole year
    month: u32,
    sales: String,
    collection: String,
    /// The salesperson and period the amounts were last filled in for.
    filled_for: Option<(UserId, u32)>,
}

#[derive(Default)]
pub struct ReceivablesPanel {
    data: Option<Receivables>,
    requested: bool,
    /// The chase list of one salesperson (None: everyone's).
    chase_of: Option<UserId>,
    year: i32,
    targets: Vec<Target>,
    people: Vec<UserAccount>,
    targets_requested: Option<i32>,
    form: TargetForm,
    errors: Vec<FieldError>,
    loading: Reply<Receivables>,
    /// The targets of a year, with the active salespeople to set them for.
    loading_targets: Reply<(i32, Vec<Target>, Vec<UserAccount>)>,
    saving: Reply<Vec<Target>>,
    /// Where the 催款清单 is exported (a folder, made when missing).
    export_folder: String,
    exporting: Reply<std::path::PathBuf>,
}

fn money_cell(ui: &mut Ui, m: Money, red: bool) {
    let t = RichText::new(m.yuan_display());
    ui.label(if red && !m.is_zero() { t.color(ERROR_RED) } else { t });
}

fn rows_grid(ui: &mut Ui, id: &str, first: &str, rows: &[ReceivableRow]) {
    egui::Grid::new(id).striped(true).num_columns(10).spacing([12.0, 4.0]).show(ui, |ui| {
        for h in [first, "合同", "合同额", "已收", "未收", "逾期"] {
            ui.label(RichText::new(h).color(MUTED));
        }
        for b in AgingBucket::ALL {
            ui.label(RichText::new(b.label()).color(MUTED));
        }
        ui.end_row();
        for r in rows {
            ui.label(&r.name);
            ui.label(r.contracts.to_string());
            money_cell(ui, r.total, false);
            money_cell(ui, r.received, false);
            money_cell(ui, r.outstanding, false);
            money_cell(ui, r.overdue, true);
            for (i, m) in r.aging.iter().enumerate() {
                money_cell(ui, *m, i >= 2);
            }
            ui.end_row();
        }
    });
}

impl ReceivablesPanel {
    pub fn invalidate(&mut self) {
        self.requested = false;
        self.targets_requested = None;
    }

    /// Takes in the answers that came.
    pub fn logic(&mut self, cx: &mut Cx<'_>) {
        match self.exporting.take() {
            Some(Ok(path)) => cx.toasts.success(format!("催款清单已导出到 {}", path.display())),
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        match self.loading.take() {
            Some(Ok(d)) => self.data = Some(d),
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        match self.loading_targets.take() {
            Some(Ok((year, targets, people))) if year == self.year => {
                self.targets = targets;
                self.people = people;
            }
            Some(Ok(_)) => {}
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        match self.saving.take() {
            Some(Ok(t)) => {
                cx.toasts.success("销售目标已保存。");
                self.targets = t;
                self.errors.clear();
                // Refilled from the saved targets on the next frame.
                self.form.filled_for = None;
                cx.emit(Event::TargetsChanged);
            }
            Some(Err(ServiceError::Invalid(e))) => {
                cx.toasts.error(ServiceError::Invalid(e.clone()).to_string());
                self.errors = e;
            }
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
    }

    pub fn receivables_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if !self.requested {
            self.requested = true;
            self.loading = cx.ask(|svc, a| svc.receivables(a));
        }
        let Some(d) = &self.data else {
            ui.label(RichText::new("正在加载…").color(MUTED));
            return;
        };
        egui::ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                let cash = if d.cash_pending.is_zero() {
                    String::new()
                } else {
                    format!("（含待上交现金 {}）", d.cash_pending.yuan_display())
                };
                ui.label(format!(
                    "截至 {}：合同额 {} · 已收 {}{cash} · 未收 {}",
                    d.today,
                    d.total.yuan_display(),
                    d.received.yuan_display(),
                    d.outstanding.yuan_display()
                ));
                if !d.overdue.is_zero() {
                    theme::badge(ui, &format!("逾期 {}", d.overdue.yuan_display()), ERROR_RED);
                }
            });
            ui.add_space(4.0);
            ui.label(RichText::new("账龄（按到期日）").strong());
            egui::Grid::new("aging_totals").num_columns(5).spacing([24.0, 4.0]).show(ui, |ui| {
                for b in AgingBucket::ALL {
                    ui.label(RichText::new(b.label()).color(MUTED));
                }
                ui.end_row();
                for (i, m) in d.aging.iter().enumerate() {
                    money_cell(ui, *m, i >= 2);
                }
                ui.end_row();
            });
            if !d.awaiting_delivery.is_zero() {
                ui.label(
                    RichText::new(format!(
                        "未到期中 {} 待发货或验收后才开始计算到期日。",
                        d.awaiting_delivery.yuan_display()
                    ))
                    .small()
                    .color(MUTED),
                );
            }
            if !d.partly_delivered.is_empty() {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new("部分发货的合同：").small().color(MUTED));
                    for (number, customer, state) in &d.partly_delivered {
                        ui.label(RichText::new(format!("{number} {customer} {state}")).small().color(PENDING_AMBER));
                    }
                });
            }
            ui.add_space(8.0);
            if !d.hand_ins.is_empty() {
                ui.label(RichText::new(format!("待上交的在外收款（{}）", d.hand_ins.len())).strong());
                egui::Grid::new("hand_ins").striped(true).num_columns(6).spacing([12.0, 4.0]).show(ui, |ui| {
                    for h in &d.hand_ins {
                        ui.label(&h.number);
                        ui.label(&h.customer);
                        ui.label(&h.collected_by);
                        ui.label(h.date.to_string());
                        ui.label(h.amount.yuan_display());
                        let color = if matches!(h.status, HandIn::Overdue { .. }) { ERROR_RED } else { PENDING_AMBER };
                        ui.horizontal(|ui| theme::badge(ui, &h.status.label(), color));
                        ui.end_row();
                    }
                });
                ui.label(RichText::new("在合同卡片的回款中确认上交（销售内勤或销售部负责人）。").small().color(MUTED));
                ui.add_space(8.0);
            }
            ui.horizontal(|ui| {
                ui.label(RichText::new(format!("催款清单（{}）", d.chase.len())).strong());
                if cx.actor.may(Permission::ViewAllCustomers) {
                    let l = ui.label("销售员");
                    let name = self
                        .chase_of
                        .and_then(|id| d.by_salesperson.iter().find(|r| r.id == id.0))
                        .map(|r| r.name.clone())
                        .unwrap_or_else(|| "全部".into());
                    egui::ComboBox::from_id_salt("chase_of")
                        .selected_text(name)
                        .show_ui(ui, |ui| {
                            ui.selectable_value(&mut self.chase_of, None, "全部");
                            for r in &d.by_salesperson {
                                ui.selectable_value(&mut self.chase_of, Some(UserId(r.id)), &r.name);
                            }
                        })
                        .response
                        .labelled_by(l.id);
                }
            });
            ui.horizontal(|ui| {
                if self.export_folder.is_empty() {
                    self.export_folder = crate::ui::documents::salesdesk_folder().display().to_string();
                }
                let l = ui.label("导出到");
                ui.add(egui::TextEdit::singleline(&mut self.export_folder).desired_width(220.0)).labelled_by(l.id);
                if ui.add_enabled(!self.exporting.is_waiting(), egui::Button::new("保存打印用 PDF").small()).clicked()
                {
                    let who = self.chase_of;
                    let path =
                        std::path::PathBuf::from(self.export_folder.trim()).join(format!("催款清单-{}.pdf", d.today));
                    self.exporting = cx.ask(move |svc, a| {
                        let bytes = svc.print_chase_list(a, who)?;
                        crate::ui::worker::write_file(&path, &bytes).map(|()| path)
                    });
                }
                for (ext, label) in [("xlsx", "导出 xlsx"), ("csv", "导出 CSV")] {
                    if ui.add_enabled(!self.exporting.is_waiting(), egui::Button::new(label).small()).clicked() {
                        let who = self.chase_of;
                        let name = format!("催款清单-{}.{ext}", d.today);
                        let path = std::path::PathBuf::from(self.export_folder.trim()).join(name);
                        self.exporting = cx.ask(move |svc, a| {
                            let format = crate::service::ExportFormat::from_file_name(&path.display().to_string())?;
                            let bytes = svc.export_chase_list(a, who, format)?;
                            crate::ui::worker::write_file(&path, &bytes).map(|()| path)
                        });
                    }
                }
            });
            let mut open = None;
            egui::Grid::new("chase").striped(true).num_columns(9).spacing([12.0, 4.0]).show(ui, |ui| {
                for h in ["合同号", "客户", "联系人", "电话", "销售员", "付款节点", "到期日", "未收", "逾期"]
                {
                    ui.label(RichText::new(h).color(MUTED));
                }
                ui.end_row();
                for c in d.chase.iter().filter(|c| self.chase_of.is_none_or(|s| s == c.salesperson)) {
                    if ui.link(&c.number).clicked() {
                        open = Some(c.contract);
                    }
                    ui.label(&c.customer);
                    ui.label(&c.contact);
                    ui.label(&c.phone);
                    ui.label(&c.salesperson_name);
                    ui.label(&c.installment);
                    ui.label(c.due.to_string());
                    money_cell(ui, c.outstanding, true);
                    ui.horizontal(|ui| overdue_badge(ui, c.days_overdue));
                    ui.end_row();
                }
            });
            if d.chase.is_empty() {
                ui.label(RichText::new("没有逾期的应收款。").color(OK_GREEN));
            }
            if let Some(id) = open {
                cx.emit(Event::Open(Link::Contract(id)));
            }
            ui.add_space(8.0);
            ui.label(RichText::new("按销售员").strong());
            rows_grid(ui, "by_salesperson", "销售员", &d.by_salesperson);
            ui.add_space(8.0);
            ui.label(RichText::new("按客户").strong());
            rows_grid(ui, "by_customer", "客户", &d.by_customer);
        });
    }

    pub fn targets_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if self.year == 0 {
            self.year = cx.today.year();
        }
        if self.targets_requested != Some(self.year) {
            let year = self.year;
            self.targets_requested = Some(year);
            self.loading_targets = cx.ask(move |svc, a| {
                let targets = svc.targets(a, year)?;
                let people = svc.salespeople(a)?.into_iter().filter(|u| u.active).collect();
                Ok((year, targets, people))
            });
        }
        ui.horizontal(|ui| {
            if ui.button("◀").clicked() {
                self.year -= 1;
            }
            ui.label(RichText::new(format!("{} 年", self.year)).strong());
            if ui.button("▶").clicked() {
                self.year += 1;
            }
            ui.label(
                RichText::new(
                    "合同额目标按签订日期计，回款目标按回款日期计；未设月度目标的月份按年度目标的十二分之一。",
                )
                .small()
                .color(MUTED),
            );
        });
        egui::ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
            egui::Grid::new("targets").striped(true).num_columns(5).spacing([16.0, 4.0]).show(ui, |ui| {
                for h in ["销售员", "期间", "合同额目标", "回款目标", "修改人"] {
                    ui.label(RichText::new(h).color(MUTED));
                }
                ui.end_row();
                for t in &self.targets {
                    ui.label(&t.salesperson_name);
                    ui.label(t.draft.month.map(|m| format!("{m} 月")).unwrap_or_else(|| "全年".into()));
                    ui.label(t.draft.sales.yuan_display());
                    ui.label(t.draft.collection.yuan_display());
                    ui.label(RichText::new(&t.updated_by).small().color(MUTED));
                    ui.end_row();
                }
            });
            if self.targets.is_empty() {
                ui.label(RichText::new("本年度尚未下达目标。").color(MUTED));
            }
            if !cx.actor.may(Permission::SetTargets) {
                return;
            }
            ui.add_space(10.0);
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.label(RichText::new("下达或修改目标").strong());
                let f = &mut self.form;
                egui::Grid::new("target_form").num_columns(2).spacing([10.0, 6.0]).show(ui, |ui| {
                    let l = ui.label("销售员");
                    let name = f
                        .salesperson
                        .and_then(|id| self.people.iter().find(|u| u.id == id))
                        .map(|u| u.display_name.clone())
                        .unwrap_or_else(|| "请选择".into());
                    ui.vertical(|ui| {
                        egui::ComboBox::from_id_salt("target_person")
                            .selected_text(name)
                            .show_ui(ui, |ui| {
                                for u in &self.people {
                                    ui.selectable_value(&mut f.salesperson, Some(u.id), &u.display_name);
                                }
                            })
                            .response
                            .labelled_by(l.id);
                        field_error(ui, message_for(&self.errors, "salesperson"));
                    });
                    ui.end_row();
                    let l = ui.label("期间");
                    egui::ComboBox::from_id_salt("target_month")
                        .selected_text(if f.month == 0 { "全年".to_string() } else { format!("{} 月", f.month) })
                        .show_ui(ui, |ui| {
                            ui.selectable_value(&mut f.month, 0, "全年");
                            for m in 1..=12 {
                                ui.selectable_value(&mut f.month, m, format!("{m} 月"));
                            }
                        })
                        .response
                        .labelled_by(l.id);
                    ui.end_row();
                    for (label, value, key) in [
                        ("合同额目标（元）", &mut f.sales, "sales"),
                        ("回款目标（元）", &mut f.collection, "collection"),
                    ] {
                        let l = ui.label(label);
                        ui.vertical(|ui| {
                            ui.add(egui::TextEdit::singleline(value).hint_text("如：1200000").desired_width(200.0))
                                .labelled_by(l.id);
                            let parse_error = (!value.trim().is_empty())
                                .then(|| Money::parse(value).err().map(|e| e.to_string()))
                                .flatten();
                            field_error(ui, parse_error.as_deref().or(message_for(&self.errors, key)));
                        });
                        ui.end_row();
                    }
                });
                let month = (f.month > 0).then_some(f.month);
                let existing = f
                    .salesperson
                    .and_then(|p| self.targets.iter().find(|t| t.draft.salesperson == p && t.draft.month == month));
                // Choosing a salesperson and period shows what is set for them, ready to change.
                let key = f.salesperson.map(|p| (p, f.month));
                if key.is_some() && key != f.filled_for {
                    f.filled_for = key;
                    f.sales = existing.map(|t| t.draft.sales.to_plain_string()).unwrap_or_default();
                    f.collection = existing.map(|t| t.draft.collection.to_plain_string()).unwrap_or_default();
                }
                if let Some(t) = existing {
                    ui.label(
                        RichText::new(format!(
                            "现有目标：合同额 {} · 回款 {}（保存即修改）",
                            t.draft.sales.yuan_display(),
                            t.draft.collection.yuan_display()
                        ))
                        .small()
                        .color(PENDING_AMBER),
                    );
                }
                let draft = match (f.salesperson, Money::parse(&f.sales), Money::parse(&f.collection)) {
                    (Some(salesperson), Ok(sales), Ok(collection)) => {
                        Some(TargetDraft { salesperson, year: self.year, month, sales, collection })
                    }
                    _ => None,
                };
                let version = existing.map(|t| t.version);
                if ui.add_enabled(!self.saving.is_waiting() && draft.is_some(), egui::Button::new("保存目标")).clicked()
                    && let Some(draft) = draft
                {
                    self.saving = cx.ask(move |svc, a| svc.set_target(a, draft, version));
                }
            });
        });
    }
}
