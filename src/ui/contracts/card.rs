//! The contract card (合同): who, what and how much (lines, total in figures and 大写), the
//! payment schedule with each installment's due date, paid, outstanding and an overdue badge;
//! confirmation (head; leader when major) and signing with a confirmation step; and the
//! deliveries (发货), invoices (开票) and receipts (回款) recorded against it, each with its form
//! checked as you type (the same domain rules the service applies, so most mistakes never make
//! a round trip) and the cash hand-in (上交) for the assistant or the head; for the head, 列入业绩库
//! (`reference.rs`).

use chrono::NaiveDate;
use egui::{Color32, RichText, Ui};
use rust_decimal::Decimal;

use super::{CardEvent, overdue_badge, status_badge};
use crate::domain::company::FieldError;
use crate::domain::contract::{
    Basis, ContractStatus, DeliveredLine, DeliveryDraft, Installment, InvoiceDraft, Share, Trigger,
    acceptance_problems, schedule_problems, signing_problems,
};
use crate::domain::ids::ContractId;
use crate::domain::money::{Money, Quantity};
use crate::domain::quote::ApprovalStep;
use crate::domain::receivable::{HandIn, PaymentMethod, ReceiptDraft, hand_in_problems};
use crate::domain::rmb::rmb_uppercase;
use crate::service::{Actor, ContractView, Service, ServiceError};
use crate::ui::panel::{Cx, Event};
use crate::ui::theme::{self, ERROR_RED, MUTED, OK_GREEN, PENDING_AMBER, TENDER_BLUE};
use crate::ui::widgets::Toasts;
use crate::ui::widgets::{field_error, message_for};
use crate::ui::worker::{Reply, Res};

fn parse_date(text: &str, field: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    if text.trim().is_empty() {
        return None;
    }
    // As people type dates: 2026-12-8, 12/8, 12月8日.
    let d = crate::domain::dates::parse_day(text, chrono::Local::now().date_naive());
    if d.is_none() {
        errors.push(FieldError::new(field.to_string(), "日期格式应为 2026-12-01（也可写 12-1）"));
    }
    d
}

fn parse_money(text: &str, field: &str, errors: &mut Vec<FieldError>) -> Option<Money> {
    if text.trim().is_empty() {
        return None;
    }
    match Money::parse(text) {
        Ok(m) => Some(m),
        Err(e) => {
            errors.push(FieldError::new(field.to_string(), e.to_string()));
            None
        }
    }
}

/// A labelled one-line field with its error under it (in a two-column grid).
fn field(ui: &mut Ui, label: &str, value: &mut String, hint: &str, error: Option<&str>) {
    let l = ui.label(label);
    ui.vertical(|ui| {
        ui.add(egui::TextEdit::singleline(value).hint_text(hint).desired_width(300.0)).labelled_by(l.id);
        field_error(ui, error);
    });
    ui.end_row();
}

/// A labelled date field with 日历 beside it (dates as people type them).
fn date_row(ui: &mut Ui, label: &str, value: &mut String, error: Option<&str>) {
    let today = chrono::Local::now().date_naive();
    crate::ui::widgets::dated_field(ui, label, value, "2026-12-01", error, today, false);
}

/// One installment row of the schedule editor.
#[derive(Debug, Clone)]
struct InstallmentRow {
    label: String,
    by_percent: bool,
    value: String,
    /// 0 签订时, 1 发货后, 2 质保期满, 3 固定日期
    trigger: usize,
    param: String,
    /// For 发货后 and 质保期满: 全部发货后 / 每批按比例 / 验收后.
    basis: Basis,
}

impl InstallmentRow {
    fn from(i: &Installment) -> Self {
        let (by_percent, value) = match i.share {
            Share::Percent(p) => (true, p.normalize().to_string()),
            Share::Amount(a) => (false, a.to_plain_string()),
        };
        let (trigger, param) = match i.trigger {
            Trigger::OnSigning => (0, "0".to_string()),
            Trigger::AfterSigning { days } => (0, days.to_string()),
            Trigger::OnDelivery { days } => (1, days.to_string()),
            Trigger::AfterWarranty { months } => (2, months.to_string()),
            Trigger::FixedDate { date } => (3, date.to_string()),
        };
        InstallmentRow { label: i.label.clone(), by_percent, value, trigger, param, basis: i.basis }
    }

    fn parse(&self, i: usize, errors: &mut Vec<FieldError>) -> Option<Installment> {
        let f = format!("installment{i}");
        let n = i + 1;
        let share = if self.by_percent {
            match self.value.trim().trim_end_matches('%').parse::<Decimal>() {
                Ok(p) => Share::Percent(p),
                Err(_) => {
                    errors.push(FieldError::new(f, format!("第 {n} 个付款节点：比例应为数字，如 30")));
                    return None;
                }
            }
        } else {
            match Money::parse(&self.value) {
                Ok(a) => Share::Amount(a),
                Err(e) => {
                    errors.push(FieldError::new(f, format!("第 {n} 个付款节点：{e}")));
                    return None;
                }
            }
        };
        let number = |what: &str, errors: &mut Vec<FieldError>| match self.param.trim().parse::<u32>() {
            Ok(v) => Some(v),
            Err(_) => {
                errors.push(FieldError::new(format!("installment{i}"), format!("第 {n} 个付款节点：请填写{what}")));
                None
            }
        };
        let trigger = match self.trigger {
            0 => Trigger::AfterSigning {
                days: if self.param.trim().is_empty() { 0 } else { number("签订后天数", errors)? },
            },
            1 => Trigger::OnDelivery { days: number("发货后天数", errors)? },
            2 => Trigger::AfterWarranty { months: number("质保月数", errors)? },
            _ => match NaiveDate::parse_from_str(self.param.trim(), "%Y-%m-%d") {
                Ok(date) => Trigger::FixedDate { date },
                Err(_) => {
                    errors.push(FieldError::new(
                        format!("installment{i}"),
                        format!("第 {n} 个付款节点：日期格式应为 2026-12-01"),
                    ));
                    return None;
                }
            },
        };
        let basis = if trigger.delivery_linked() { self.basis } else { Basis::Completion };
        Some(Installment { label: self.label.trim().to_string(), share, trigger, basis })
    }
}

#[derive(Default)]
struct ReceiptForm {
    date: String,
    amount: String,
    method: Option<PaymentMethod>,
    note: String,
    collected: bool,
    overpayment: bool,
}

#[derive(Default)]
struct InvoiceForm {
    number: String,
    date: String,
    amount: String,
    tax: String,
}

#[derive(Default)]
struct DeliveryForm {
    date: String,
    quantities: Vec<String>,
    note: String,
}

/// Which form is open (one at a time keeps the card readable).
enum Form {
    Schedule(Vec<InstallmentRow>),
    Confirm { approve: bool, comment: String },
    Sign { date: String, confirming: bool },
    Delivery(DeliveryForm),
    Invoice(InvoiceForm),
    Receipt(ReceiptForm),
    HandIn { receipt: i64, version: i64, date: String, confirming: bool },
    Acceptance { date: String },
}

pub struct ContractCard {
    view: ContractView,
    form: Option<Form>,
    /// The service's field errors for the open form.
    errors: Vec<FieldError>,
    acting: Reply<(CardEvent, Box<ContractView>)>,
    /// 列入业绩库 (the head, on a signed contract).
    reference: super::reference::ReferenceSection,
    /// The 销售合同's preview (print, save) and the assistant's 用印发出.
    preview: Option<crate::ui::documents::PreviewWindow>,
    issue: Option<crate::ui::documents::IssueDialog>,
}

/// Runs one of the card's use cases; the contract comes back as it now is.
fn ask(
    cx: &Cx<'_>,
    event: CardEvent,
    f: impl FnOnce(&mut Service, &Actor) -> Res<ContractView> + Send + 'static,
) -> Reply<(CardEvent, Box<ContractView>)> {
    cx.ask(move |svc, a| Ok((event, Box::new(f(svc, a)?))))
}

impl ContractCard {
    pub fn new(view: ContractView) -> Self {
        ContractCard {
            view,
            form: None,
            errors: Vec::new(),
            acting: Reply::default(),
            reference: Default::default(),
            preview: None,
            issue: None,
        }
    }

    /// Takes in the answer to the card's action: the contract as it now is.
    pub fn logic(&mut self, cx: &mut Cx<'_>) -> Option<Box<ContractView>> {
        match self.acting.take()? {
            Ok((event, view)) => {
                if let Some(t) = event.toast() {
                    cx.toasts.success(t);
                }
                if event != CardEvent::Opened {
                    cx.emit(Event::ContractChanged(view.ledger.contract.id));
                }
                self.loaded(event, (*view).clone());
                Some(view)
            }
            Err(e) => {
                self.failed(e, cx.toasts);
                None
            }
        }
    }

    pub fn id(&self) -> Option<ContractId> {
        Some(self.view.ledger.contract.id)
    }

    fn loaded(&mut self, event: CardEvent, view: ContractView) {
        self.view = view;
        if event != CardEvent::Opened {
            self.form = None;
            self.errors.clear();
        }
    }

    /// A refusal: field errors stay under the fields, anything else is a toast; the form keeps
    /// its input.
    fn failed(&mut self, e: ServiceError, toasts: &mut Toasts) {
        match e {
            ServiceError::Invalid(errors) => {
                toasts.error(ServiceError::Invalid(errors.clone()).to_string());
                self.errors = errors;
            }
            e => toasts.error(e.to_string()),
        }
    }

    /// Returns true when closed (返回).
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) -> bool {
        let mut close = false;
        egui::ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
            close = self.header_ui(ui, cx);
            ui.add_space(6.0);
            self.actions_ui(ui, cx);
            let c = &self.view.ledger.contract;
            let (id, signed) = (c.id, c.status == ContractStatus::Signed);
            self.reference.ui(ui, cx, id, signed);
            self.lines_ui(ui);
            self.schedule_ui(ui, cx);
            self.deliveries_ui(ui, cx);
            self.invoices_ui(ui, cx);
            self.receipts_ui(ui, cx);
        });
        if let Some(d) = &mut self.issue
            && d.ui(ui, cx)
        {
            self.issue = None;
        }
        if let Some(p) = &mut self.preview
            && p.ui(ui, cx)
        {
            self.preview = None;
        }
        close
    }

    fn header_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) -> bool {
        let l = &self.view.ledger;
        let c = &l.contract;
        let mut close = false;
        ui.horizontal(|ui| {
            if ui.button("← 返回合同列表").clicked() || crate::ui::widgets::escape_closes(ui) {
                close = true;
            }
            if ui.add_enabled(!self.acting.is_waiting(), egui::Button::new("刷新")).clicked() {
                let id = c.id;
                self.acting = ask(cx, CardEvent::Opened, move |svc, a| svc.contract(a, id));
            }
            let label = format!("{} 销售合同", c.number);
            if ui.button("打印预览 销售合同…").on_hover_text("草稿带水印供核对；用印发出后为盖章的正式文件").clicked()
            {
                let what = crate::service::Printable::Contract(c.id);
                self.preview = Some(crate::ui::documents::PreviewWindow::open(what, label.clone(), 2, cx));
            }
            if cx.actor.may(crate::domain::role::Permission::IssueDocument) && c.status != ContractStatus::Draft {
                let text = if self.view.issued.is_empty() { "用印发出…" } else { "重印（用印发出）…" };
                let issue = egui::Button::new(RichText::new(text).color(Color32::WHITE)).fill(ERROR_RED);
                if ui.add(issue).on_hover_text("加盖公章、记入发文登记，交客户签字盖章").clicked() {
                    let name = crate::service::contract_file_name(c, false);
                    self.issue = Some(crate::ui::documents::IssueDialog::contract(c.id, label, name, cx));
                }
            }
        });
        ui.horizontal_wrapped(|ui| {
            ui.heading(format!("合同 {}", c.number));
            status_badge(ui, c.status);
            if c.major {
                theme::badge(ui, "重大", ERROR_RED);
            }
            overdue_badge(ui, l.max_days_overdue);
            if !l.overpaid.is_zero() {
                theme::badge(ui, &format!("多收 {}", l.overpaid.yuan_display()), PENDING_AMBER);
            }
        });
        egui::Grid::new("contract_head").num_columns(4).spacing([16.0, 4.0]).show(ui, |ui| {
            let muted = |ui: &mut Ui, t: &str| {
                ui.label(RichText::new(t).color(MUTED));
            };
            muted(ui, "客户");
            ui.label(&c.customer_name);
            muted(ui, "事由");
            ui.label(&c.subject);
            ui.end_row();
            muted(ui, "来自");
            ui.label(format!("{}-V{}", c.quote_number, c.revision_number));
            muted(ui, "销售员");
            ui.label(&c.salesperson_name);
            ui.end_row();
            muted(ui, "合同金额");
            ui.label(RichText::new(c.total.yuan_display()).strong());
            muted(ui, "大写");
            ui.label(rmb_uppercase(c.total).unwrap_or_default());
            ui.end_row();
            muted(ui, "签订日期");
            ui.label(c.signed_on.map(|d| d.to_string()).unwrap_or_else(|| "未签订".into()));
            muted(ui, "回款");
            let text = format!(
                "已收 {} · 未收 {} · 逾期 {} · 已开票 {}",
                l.received.yuan_display(),
                l.outstanding.yuan_display(),
                l.overdue.yuan_display(),
                l.invoiced.yuan_display()
            );
            ui.label(if l.overdue.is_zero() { RichText::new(text) } else { RichText::new(text).color(ERROR_RED) });
            ui.end_row();
        });
        if !c.major_reasons.is_empty() {
            ui.label(
                RichText::new(format!("重大：{}（须公司领导确认）", c.major_reasons.join("；"))).small().color(MUTED),
            );
        }
        if let Some(first) = self.view.issued.first() {
            let more = self.view.issued.len() - 1;
            let more = if more > 0 { format!("，另重印 {more} 次") } else { String::new() };
            ui.label(
                RichText::new(format!(
                    "销售合同已用印发出：{} {}（{}，{} 份，验证码 {}）{more}",
                    first.issued_at.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M"),
                    first.issued_by_name,
                    first.variant.label(),
                    first.copies,
                    first.verify_code
                ))
                .color(OK_GREEN),
            );
        } else if c.status == ContractStatus::Confirmed {
            ui.label(RichText::new("已确认，待销售内勤用印发出后交客户签字盖章").color(PENDING_AMBER));
        }
        close
    }

    /// Confirmation state, confirm / refuse and signing.
    fn actions_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let v = &self.view;
        let c = &v.ledger.contract;
        for a in c.approvals.iter().filter(|a| a.content_hash == c.content_hash) {
            let (text, color) = if a.approved {
                (format!("{}已确认：{} {}", a.step.label(), a.by_name, a.comment), OK_GREEN)
            } else {
                (format!("{}驳回：{} —— {}", a.step.label(), a.by_name, a.comment), ERROR_RED)
            };
            ui.label(RichText::new(text).color(color));
        }
        if let Some((step, _)) = v.next_step {
            let who = if step == ApprovalStep::Head { "销售部负责人" } else { "公司领导" };
            ui.label(RichText::new(format!("等待{who}确认")).color(PENDING_AMBER));
        } else if c.status == ContractStatus::Draft && v.refused.is_some() {
            ui.label(RichText::new("已被驳回：请修改付款计划后重新提交确认。").color(ERROR_RED));
        }
        if self.form.is_none() {
            ui.horizontal(|ui| {
                if v.may_confirm {
                    let ok = egui::Button::new(RichText::new("确认合同…").color(Color32::WHITE)).fill(OK_GREEN);
                    if ui.add_enabled(!self.acting.is_waiting(), ok).clicked() {
                        self.form = Some(Form::Confirm { approve: true, comment: String::new() });
                    }
                    if ui.add_enabled(!self.acting.is_waiting(), egui::Button::new("驳回…")).clicked() {
                        self.form = Some(Form::Confirm { approve: false, comment: String::new() });
                    }
                }
                if v.may_sign && ui.add_enabled(!self.acting.is_waiting(), egui::Button::new("登记签订…")).clicked()
                {
                    self.form = Some(Form::Sign { date: cx.today.to_string(), confirming: false });
                }
            });
        }
        let id = c.id;
        let (hash, version, number) = (c.content_hash.clone(), c.version, c.number.to_string());
        let created = c.created_at.with_timezone(&chrono::Local).date_naive();
        let errors = self.errors.clone();
        let mut close = false;
        match &mut self.form {
            Some(Form::Confirm { approve, comment }) => {
                let color = if *approve { OK_GREEN } else { ERROR_RED };
                egui::Frame::group(ui.style()).stroke(egui::Stroke::new(1.0, color)).show(ui, |ui| {
                    let title = if *approve { "确认合同" } else { "驳回合同" };
                    ui.label(RichText::new(format!("{title} {number}")).strong());
                    ui.label(
                        RichText::new(if *approve {
                            "确认后销售员即可与客户签订；确认针对当前的合同内容和付款计划。"
                        } else {
                            "驳回后合同退回销售员修改付款计划，请写明原因。"
                        })
                        .color(MUTED),
                    );
                    egui::Grid::new("confirm_form").num_columns(2).show(ui, |ui| {
                        let label = if *approve { "意见（可选）" } else { "驳回原因" };
                        field(ui, label, comment, "", message_for(&errors, "comment"));
                    });
                    ui.horizontal(|ui| {
                        let text = if *approve { "确定确认" } else { "确定驳回" };
                        let b = egui::Button::new(RichText::new(text).color(Color32::WHITE)).fill(color);
                        let blank = !*approve && comment.trim().is_empty();
                        if ui.add_enabled(!self.acting.is_waiting() && !blank, b).clicked() {
                            let (hash, approve, comment) = (hash.clone(), *approve, comment.clone());
                            let event = if approve { CardEvent::Confirmed } else { CardEvent::Refused };
                            self.acting =
                                ask(cx, event, move |svc, a| svc.confirm_contract(a, id, &hash, approve, &comment));
                        }
                        if ui.button("取消").clicked() {
                            close = true;
                        }
                    });
                });
            }
            Some(Form::Sign { date, confirming }) => {
                egui::Frame::group(ui.style()).stroke(egui::Stroke::new(1.0, TENDER_BLUE)).show(ui, |ui| {
                    ui.label(RichText::new(format!("登记签订 {number}")).strong());
                    let mut local = Vec::new();
                    let d = parse_date(date, "signed_on", &mut local);
                    if local.is_empty() {
                        local = signing_problems(d, cx.today, created);
                    }
                    let shown: Vec<FieldError> = local.iter().chain(&errors).cloned().collect();
                    ui.add_enabled_ui(!*confirming, |ui| {
                        egui::Grid::new("sign_form").num_columns(2).show(ui, |ui| {
                            date_row(ui, "签订日期", date, message_for(&shown, "signed_on"));
                        });
                    });
                    ui.horizontal(|ui| {
                        if *confirming {
                            ui.label(
                                RichText::new("签订后付款计划开始计期（预付款于签订日到期），不能再更改。确定？")
                                    .color(PENDING_AMBER),
                            );
                            if ui.add_enabled(!self.acting.is_waiting(), egui::Button::new("确定登记签订")).clicked()
                            {
                                self.acting =
                                    ask(cx, CardEvent::Signed, move |svc, a| svc.sign_contract(a, id, version, d));
                            }
                            if ui.button("返回修改").clicked() {
                                *confirming = false;
                            }
                        } else {
                            if ui.add_enabled(local.is_empty(), egui::Button::new("登记签订…")).clicked() {
                                *confirming = true;
                            }
                            if ui.button("取消").clicked() {
                                close = true;
                            }
                        }
                    });
                });
            }
            _ => {}
        }
        if close {
            self.form = None;
            self.errors.clear();
        }
        ui.add_space(6.0);
    }

    fn lines_ui(&self, ui: &mut Ui) {
        let c = &self.view.ledger.contract;
        ui.label(RichText::new("合同明细").strong());
        // 单价 × (1 − 折扣) = 折后单价, × 数量 = 金额: the columns multiply out.
        egui::Grid::new("contract_lines").striped(true).num_columns(9).spacing([14.0, 4.0]).show(ui, |ui| {
            for h in ["序号", "产品名称", "型号规格", "数量", "单价", "折扣", "折后单价", "金额", "未发货"]
            {
                ui.label(RichText::new(h).color(MUTED));
            }
            ui.end_row();
            for (i, line) in c.content.lines.iter().enumerate() {
                ui.label((i + 1).to_string());
                ui.label(&line.name);
                ui.label(&line.model);
                ui.label(format!("{} {}", line.quantity, line.unit));
                ui.label(line.unit_price.yuan_display());
                ui.label(if line.discount.is_zero() { "—".to_string() } else { line.discount.to_string() });
                ui.label(format!("¥{}", crate::domain::money::net_unit_price_text(line.unit_price, line.discount)));
                ui.label(line.amount().yuan_display());
                let left = self.view.lines_left.get(i).map(|(_, q)| *q).unwrap_or_default();
                if left.is_zero() {
                    ui.label(RichText::new("已发完").color(OK_GREEN));
                } else {
                    ui.label(left.to_string());
                }
                ui.end_row();
            }
        });
        let t = &c.content.terms;
        ui.label(
            RichText::new(format!(
                "交货期 {} 天 · 质保期 {} 个月 · 付款方式：{}{}",
                t.delivery_days,
                t.warranty_months,
                t.payment_schedule,
                if t.delivery_place.is_empty() {
                    String::new()
                } else {
                    format!(" · 交货地点：{}", t.delivery_place)
                }
            ))
            .small()
            .color(MUTED),
        );
        ui.add_space(6.0);
    }

    fn schedule_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let l = &self.view.ledger;
        let c = &l.contract;
        ui.horizontal(|ui| {
            ui.label(RichText::new("付款计划").strong());
            if c.status == ContractStatus::Draft
                && self.view.may_manage
                && self.form.is_none()
                && ui.add_enabled(!self.acting.is_waiting(), egui::Button::new("修改付款计划")).clicked()
            {
                self.form = Some(Form::Schedule(c.content.schedule.iter().map(InstallmentRow::from).collect()));
            }
        });
        egui::Grid::new("contract_schedule").striped(true).num_columns(8).spacing([14.0, 4.0]).show(ui, |ui| {
            for h in ["付款节点", "比例/金额", "条件", "应付", "到期日", "已付", "未收", ""] {
                ui.label(RichText::new(h).color(MUTED));
            }
            ui.end_row();
            for s in &l.installments {
                ui.label(&s.label);
                ui.label(match c.content.schedule.get(s.installment).map(|i| i.share) {
                    Some(Share::Percent(p)) => format!("{}%", p.normalize()),
                    _ => "按金额".into(),
                });
                ui.label(&s.trigger);
                ui.label(s.amount.yuan_display());
                ui.label(s.due.map(|d| d.to_string()).unwrap_or_else(|| "待定".into()));
                ui.label(s.paid.yuan_display());
                ui.label(s.outstanding.yuan_display());
                ui.horizontal(|ui| {
                    if s.outstanding.is_zero() {
                        theme::badge(ui, "已付清", OK_GREEN);
                    } else if s.overdue() {
                        overdue_badge(ui, s.days_overdue);
                    } else if s.is_due(cx.today) {
                        theme::badge(ui, "今日到期", PENDING_AMBER);
                    } else if s.due.is_some() {
                        theme::badge(ui, "未到期", MUTED);
                    } else {
                        theme::badge(ui, "待触发", MUTED);
                    }
                });
                ui.end_row();
            }
        });
        let total = c.total;
        let (id, version) = (c.id, c.version);
        let errors = self.errors.clone();
        let mut close = false;
        if let Some(Form::Schedule(rows)) = &mut self.form {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.label(RichText::new("修改付款计划").strong());
                ui.label(
                    RichText::new("比例合计须为 100%，或金额合计等于合同总额；不能混用。保存后须重新确认。")
                        .small()
                        .color(MUTED),
                );
                let mut remove = None;
                egui::Grid::new("schedule_editor").num_columns(7).spacing([8.0, 4.0]).show(ui, |ui| {
                    for (i, r) in rows.iter_mut().enumerate() {
                        ui.add(egui::TextEdit::singleline(&mut r.label).hint_text("预付款").desired_width(100.0));
                        egui::ComboBox::from_id_salt(("share", i))
                            .selected_text(if r.by_percent { "比例 %" } else { "金额 元" })
                            .show_ui(ui, |ui| {
                                ui.selectable_value(&mut r.by_percent, true, "比例 %");
                                ui.selectable_value(&mut r.by_percent, false, "金额 元");
                            });
                        ui.add(egui::TextEdit::singleline(&mut r.value).hint_text("30").desired_width(90.0));
                        let names = ["合同签订后（天）", "发货后（天）", "质保期满（月）", "固定日期"];
                        egui::ComboBox::from_id_salt(("trigger", i)).selected_text(names[r.trigger.min(3)]).show_ui(
                            ui,
                            |ui| {
                                for (k, n) in names.iter().enumerate() {
                                    ui.selectable_value(&mut r.trigger, k, *n);
                                }
                            },
                        );
                        let hint = ["7", "30", "12", "2026-12-31"][r.trigger.min(3)];
                        ui.add(egui::TextEdit::singleline(&mut r.param).hint_text(hint).desired_width(90.0));
                        if matches!(r.trigger, 1 | 2) {
                            egui::ComboBox::from_id_salt(("basis", i)).selected_text(r.basis.label()).show_ui(
                                ui,
                                |ui| {
                                    for b in Basis::ALL {
                                        ui.selectable_value(&mut r.basis, b, b.label());
                                    }
                                },
                            );
                        } else {
                            ui.label("");
                        }
                        if ui.small_button("删除").clicked() {
                            remove = Some(i);
                        }
                        ui.end_row();
                    }
                });
                if let Some(i) = remove {
                    rows.remove(i);
                }
                let mut local = Vec::new();
                let parsed: Vec<Installment> =
                    rows.iter().enumerate().filter_map(|(i, r)| r.parse(i, &mut local)).collect();
                if local.is_empty() {
                    local = schedule_problems(&parsed, total);
                }
                for e in local.iter().chain(&errors) {
                    field_error(ui, Some(&e.message));
                }
                ui.horizontal(|ui| {
                    if ui.button("添加付款节点").clicked() {
                        rows.push(InstallmentRow {
                            label: String::new(),
                            by_percent: true,
                            value: String::new(),
                            trigger: 1,
                            param: "30".into(),
                            basis: Basis::Completion,
                        });
                    }
                    if ui
                        .add_enabled(!self.acting.is_waiting() && local.is_empty(), egui::Button::new("保存付款计划"))
                        .clicked()
                    {
                        let schedule = parsed.clone();
                        self.acting = ask(cx, CardEvent::ScheduleSaved, move |svc, a| {
                            svc.save_schedule(a, id, version, schedule)
                        });
                    }
                    if ui.button("取消").clicked() {
                        close = true;
                    }
                });
            });
        }
        if close {
            self.form = None;
            self.errors.clear();
        }
        ui.add_space(6.0);
    }

    fn deliveries_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let l = &self.view.ledger;
        let c = &l.contract;
        let signed = c.status == ContractStatus::Signed;
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("发货（{}）", l.deliveries.len())).strong());
            if signed
                && self.view.may_manage
                && self.form.is_none()
                && ui.add_enabled(!self.acting.is_waiting(), egui::Button::new("登记发货")).clicked()
            {
                let quantities = self.view.lines_left.iter().map(|(_, q)| q.to_string()).collect();
                self.form =
                    Some(Form::Delivery(DeliveryForm { date: cx.today.to_string(), quantities, note: String::new() }));
            }
        });
        for d in &l.deliveries {
            let lines: Vec<String> = d
                .lines
                .iter()
                .map(|x| {
                    let name = c.content.lines.get(x.line).map(|l| l.name.as_str()).unwrap_or("?");
                    format!("{name} × {}", x.quantity)
                })
                .collect();
            ui.label(format!("{} · {} · {} · {}", d.date, lines.join("、"), d.note, d.by_name));
        }
        if l.deliveries.is_empty() {
            ui.label(RichText::new("尚未发货。发货日期决定到货款和质保金的到期日。").small().color(MUTED));
        } else {
            let color = if l.progress.partial() { PENDING_AMBER } else { OK_GREEN };
            ui.horizontal(|ui| {
                theme::badge(ui, &l.progress.label(), color);
                if l.progress.partial() {
                    ui.label(RichText::new("全部发货后起算的到货款、质保金在发完之前不到期。").small().color(MUTED));
                }
            });
        }
        let (id, signed_on) = (c.id, c.signed_on);
        let left = self.view.lines_left.clone();
        let names: Vec<String> = c.content.lines.iter().map(|l| l.name.clone()).collect();
        self.acceptance_ui(ui, cx);
        let errors = self.errors.clone();
        let mut close = false;
        if let Some(Form::Delivery(f)) = &mut self.form {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.label(RichText::new("登记发货").strong());
                let mut local = Vec::new();
                let date = parse_date(&f.date, "date", &mut local);
                let mut lines = Vec::new();
                for (i, q) in f.quantities.iter().enumerate() {
                    if q.trim().is_empty() {
                        continue;
                    }
                    match Quantity::parse(q) {
                        Ok(quantity) => lines.push(DeliveredLine { line: i, quantity }),
                        Err(e) => local.push(FieldError::new(format!("line{i}"), e.to_string())),
                    }
                }
                let draft = DeliveryDraft { date, lines, note: f.note.clone() };
                if local.is_empty() {
                    local = draft.problems(cx.today, signed_on, &left);
                }
                let shown: Vec<FieldError> = local.iter().chain(&errors).cloned().collect();
                egui::Grid::new("delivery_form").num_columns(2).show(ui, |ui| {
                    date_row(ui, "发货日期", &mut f.date, message_for(&shown, "date"));
                    for (i, q) in f.quantities.iter_mut().enumerate() {
                        let name = names.get(i).cloned().unwrap_or_default();
                        let l = ui.label(format!("{name}（未发 {}）", left.get(i).map(|x| x.1).unwrap_or_default()));
                        ui.vertical(|ui| {
                            ui.add(egui::TextEdit::singleline(q).desired_width(100.0)).labelled_by(l.id);
                            field_error(ui, message_for(&shown, &format!("line{i}")));
                        });
                        ui.end_row();
                    }
                    field(ui, "发货说明", &mut f.note, "物流单号、收货人等", message_for(&shown, "note"));
                });
                field_error(ui, message_for(&shown, "lines"));
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(!self.acting.is_waiting() && local.is_empty(), egui::Button::new("登记发货"))
                        .clicked()
                    {
                        let draft = draft.clone();
                        self.acting = ask(cx, CardEvent::Delivered, move |svc, a| svc.record_delivery(a, id, draft));
                    }
                    if ui.button("取消").clicked() {
                        close = true;
                    }
                });
            });
        }
        if close {
            self.form = None;
            self.errors.clear();
        }
        ui.add_space(6.0);
    }

    /// 验收日期: shown once recorded; recorded or corrected by the contract's salesperson after a
    /// delivery (installments counted from acceptance wait for it).
    fn acceptance_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let l = &self.view.ledger;
        let c = &l.contract;
        let by_acceptance = c.content.schedule.iter().any(|i| i.basis == Basis::Acceptance);
        let may = c.status == ContractStatus::Signed && self.view.may_manage && !l.deliveries.is_empty();
        ui.horizontal(|ui| {
            match c.accepted_on {
                Some(d) => ui.label(format!("验收日期：{d}")),
                None if by_acceptance => {
                    ui.label(RichText::new("验收日期：未登记（按验收起算的付款节点待触发）").color(PENDING_AMBER))
                }
                None => ui.label(RichText::new("验收日期：未登记").color(MUTED)),
            };
            if may && self.form.is_none() {
                let text = if c.accepted_on.is_some() { "更正验收日期" } else { "登记验收" };
                if ui.add_enabled(!self.acting.is_waiting(), egui::Button::new(text)).clicked() {
                    let date = c.accepted_on.unwrap_or(cx.today).to_string();
                    self.form = Some(Form::Acceptance { date });
                }
            }
        });
        let first = l.deliveries.iter().map(|d| d.date).min();
        let (id, version, had) = (c.id, c.version, c.accepted_on.is_some());
        let errors = self.errors.clone();
        let mut close = false;
        if let Some(Form::Acceptance { date }) = &mut self.form {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.label(RichText::new("登记验收").strong());
                let mut local = Vec::new();
                let parsed = parse_date(date, "accepted_on", &mut local);
                if local.is_empty() {
                    local = acceptance_problems(parsed, cx.today, first);
                }
                let shown: Vec<FieldError> = local.iter().chain(&errors).cloned().collect();
                egui::Grid::new("acceptance_form").num_columns(2).show(ui, |ui| {
                    date_row(ui, "验收日期", date, message_for(&shown, "accepted_on"));
                });
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(!self.acting.is_waiting() && local.is_empty(), egui::Button::new("保存验收日期"))
                        .clicked()
                    {
                        self.acting =
                            ask(cx, CardEvent::Accepted, move |svc, a| svc.record_acceptance(a, id, version, parsed));
                    }
                    if had && ui.add_enabled(!self.acting.is_waiting(), egui::Button::new("撤销验收登记")).clicked()
                    {
                        self.acting =
                            ask(cx, CardEvent::Accepted, move |svc, a| svc.record_acceptance(a, id, version, None));
                    }
                    if ui.button("取消").clicked() {
                        close = true;
                    }
                });
            });
        }
        if close {
            self.form = None;
            self.errors.clear();
        }
    }

    fn invoices_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let l = &self.view.ledger;
        let c = &l.contract;
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("开票（{}）", l.invoices.len())).strong());
            if c.status == ContractStatus::Signed
                && self.view.may_manage
                && self.form.is_none()
                && ui.add_enabled(!self.acting.is_waiting(), egui::Button::new("登记开票")).clicked()
            {
                self.form = Some(Form::Invoice(InvoiceForm { date: cx.today.to_string(), ..Default::default() }));
            }
        });
        for i in &l.invoices {
            ui.label(format!(
                "{} · 发票号 {} · {}（税额 {}）· {}",
                i.date,
                i.number,
                i.amount.yuan_display(),
                i.tax.yuan_display(),
                i.by_name
            ));
        }
        let (id, total, invoiced) = (c.id, c.total, l.invoiced);
        let errors = self.errors.clone();
        let mut close = false;
        let by_rate = self.view.ledger.contract.content.totals().by_rate;
        if let Some(Form::Invoice(f)) = &mut self.form {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.label(RichText::new("登记开票").strong());
                let mut local = Vec::new();
                let draft = InvoiceDraft {
                    number: f.number.clone(),
                    date: parse_date(&f.date, "date", &mut local),
                    amount: parse_money(&f.amount, "amount", &mut local),
                    tax: parse_money(&f.tax, "tax", &mut local),
                };
                // Left empty, the tax is the contract's rates' (the service computes the same).
                let computed = draft.amount.map(|a| crate::domain::money::invoice_tax(a, &by_rate));
                if local.is_empty() {
                    let checked = InvoiceDraft { tax: draft.tax.or(computed), ..draft.clone() };
                    local = checked.problems(cx.today, total, invoiced);
                }
                let shown: Vec<FieldError> = local.iter().chain(&errors).cloned().collect();
                let tax_hint =
                    computed.map_or_else(|| "留空按合同税率计算".to_string(), |t| format!("按合同税率：{t}"));
                egui::Grid::new("invoice_form").num_columns(2).show(ui, |ui| {
                    field(ui, "发票号码", &mut f.number, "04412345", message_for(&shown, "number"));
                    date_row(ui, "开票日期", &mut f.date, message_for(&shown, "date"));
                    field(ui, "金额（价税合计）", &mut f.amount, "如：100000", message_for(&shown, "amount"));
                    field(ui, "税额", &mut f.tax, &tax_hint, message_for(&shown, "tax"));
                });
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(!self.acting.is_waiting() && local.is_empty(), egui::Button::new("登记开票"))
                        .clicked()
                    {
                        let draft = draft.clone();
                        self.acting = ask(cx, CardEvent::Invoiced, move |svc, a| svc.record_invoice(a, id, draft));
                    }
                    if ui.button("取消").clicked() {
                        close = true;
                    }
                });
            });
        }
        if close {
            self.form = None;
            self.errors.clear();
        }
        ui.add_space(6.0);
    }

    fn receipts_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let l = &self.view.ledger;
        let c = &l.contract;
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("回款（{}）", l.receipts.len())).strong());
            if c.status == ContractStatus::Signed
                && self.view.may_manage
                && self.form.is_none()
                && ui.add_enabled(!self.acting.is_waiting(), egui::Button::new("登记回款")).clicked()
            {
                self.form = Some(Form::Receipt(ReceiptForm { date: cx.today.to_string(), ..Default::default() }));
            }
        });
        let mut open_hand_in = None;
        egui::Grid::new("contract_receipts").striped(true).num_columns(6).spacing([14.0, 4.0]).show(ui, |ui| {
            for r in &l.receipts {
                ui.label(r.date.to_string());
                ui.label(r.amount.yuan_display());
                ui.label(r.method.label());
                ui.label(&r.by_name);
                ui.horizontal(|ui| {
                    let status = r.hand_in(cx.today);
                    match status {
                        HandIn::NotNeeded => {}
                        HandIn::Pending { .. } => theme::badge(ui, &status.label(), PENDING_AMBER),
                        HandIn::Overdue { .. } => theme::badge(ui, &status.label(), ERROR_RED),
                        HandIn::HandedIn { .. } => theme::badge(ui, &status.label(), OK_GREEN),
                    }
                    if r.overpayment {
                        theme::badge(ui, "超额收款", PENDING_AMBER);
                    }
                    if status.waiting()
                        && self.view.may_hand_in
                        && self.form.is_none()
                        && ui.add_enabled(!self.acting.is_waiting(), egui::Button::new("确认上交…")).clicked()
                    {
                        open_hand_in = Some((r.id, r.version));
                    }
                });
                ui.label(RichText::new(&r.note).small().color(MUTED));
                ui.end_row();
            }
        });
        if let Some((receipt, version)) = open_hand_in {
            self.form = Some(Form::HandIn { receipt, version, date: cx.today.to_string(), confirming: false });
        }
        let l = &self.view.ledger;
        let c = &l.contract;
        let (id, signed_on, owed) = (c.id, c.signed_on, l.outstanding);
        let errors = self.errors.clone();
        let receipts = l.receipts.clone();
        let mut close = false;
        match &mut self.form {
            Some(Form::Receipt(f)) => {
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.label(RichText::new("登记回款").strong());
                    ui.label(RichText::new(format!("该合同尚欠 {}", owed.yuan_display())).small().color(MUTED));
                    let mut local = Vec::new();
                    let draft = ReceiptDraft {
                        date: parse_date(&f.date, "date", &mut local),
                        amount: parse_money(&f.amount, "amount", &mut local),
                        method: f.method.unwrap_or(PaymentMethod::BankTransfer),
                        note: f.note.clone(),
                        collected_by_salesperson: f.collected,
                        overpayment: f.overpayment,
                    };
                    if local.is_empty() {
                        local = draft.problems(cx.today, signed_on, owed);
                    }
                    let shown: Vec<FieldError> = local.iter().chain(&errors).cloned().collect();
                    egui::Grid::new("receipt_form").num_columns(2).show(ui, |ui| {
                        date_row(ui, "回款日期", &mut f.date, message_for(&shown, "date"));
                        field(ui, "金额（元）", &mut f.amount, "如：74676.15", message_for(&shown, "amount"));
                        let l = ui.label("方式");
                        let method = f.method.unwrap_or(PaymentMethod::BankTransfer);
                        egui::ComboBox::from_id_salt("receipt_method")
                            .selected_text(method.label())
                            .show_ui(ui, |ui| {
                                for m in PaymentMethod::ALL {
                                    ui.selectable_value(&mut f.method, Some(m), m.label());
                                }
                            })
                            .response
                            .labelled_by(l.id);
                        ui.end_row();
                        field(ui, "备注", &mut f.note, "如：银行回单号", message_for(&shown, "note"));
                        ui.label("");
                        ui.vertical(|ui| {
                            ui.checkbox(&mut f.collected, "销售员在外收取（须上交公司）");
                            ui.checkbox(&mut f.overpayment, "确认超额收款（客户多付，需在备注说明）");
                        });
                        ui.end_row();
                    });
                    ui.horizontal(|ui| {
                        if ui
                            .add_enabled(!self.acting.is_waiting() && local.is_empty(), egui::Button::new("登记回款"))
                            .clicked()
                        {
                            let draft = draft.clone();
                            self.acting = ask(cx, CardEvent::Received, move |svc, a| svc.record_receipt(a, id, draft));
                        }
                        if ui.button("取消").clicked() {
                            close = true;
                        }
                    });
                });
            }
            Some(Form::HandIn { receipt, version, date, confirming }) => {
                let Some(r) = receipts.iter().find(|r| r.id == *receipt) else {
                    self.form = None;
                    return;
                };
                egui::Frame::group(ui.style()).stroke(egui::Stroke::new(1.0, PENDING_AMBER)).show(ui, |ui| {
                    ui.label(
                        RichText::new(format!(
                            "确认上交：{} 于 {} 在外收取的 {}",
                            r.by_name,
                            r.date,
                            r.amount.yuan_display()
                        ))
                        .strong(),
                    );
                    let mut local = Vec::new();
                    let d = parse_date(date, "handed_in_on", &mut local);
                    if local.is_empty() {
                        local = hand_in_problems(d, r.date, cx.today);
                    }
                    let shown: Vec<FieldError> = local.iter().chain(&errors).cloned().collect();
                    ui.add_enabled_ui(!*confirming, |ui| {
                        egui::Grid::new("hand_in_form").num_columns(2).show(ui, |ui| {
                            date_row(ui, "款项到达公司日期", date, message_for(&shown, "handed_in_on"));
                        });
                    });
                    ui.horizontal(|ui| {
                        if *confirming {
                            ui.label(RichText::new("请确认款项已实际到达公司账户或财务。确定？").color(PENDING_AMBER));
                            if ui.add_enabled(!self.acting.is_waiting(), egui::Button::new("确定已上交")).clicked()
                            {
                                let (receipt, version) = (*receipt, *version);
                                self.acting = ask(cx, CardEvent::HandedIn, move |svc, a| {
                                    svc.hand_in_receipt(a, receipt, version, d)
                                });
                            }
                            if ui.button("返回修改").clicked() {
                                *confirming = false;
                            }
                        } else {
                            if ui.add_enabled(local.is_empty(), egui::Button::new("确认上交…")).clicked() {
                                *confirming = true;
                            }
                            if ui.button("取消").clicked() {
                                close = true;
                            }
                        }
                    });
                });
            }
            _ => {}
        }
        if close {
            self.form = None;
            self.errors.clear();
        }
    }
}
