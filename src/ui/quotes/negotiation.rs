//! 谈判与结果 in the builder, once the document went out (procedure (3)): when it was issued and
//! until when it is valid, the negotiation rounds with a form to log one (the quote's
//! salesperson), 中标/成交 and 未成交 with a small form and a confirmation (the salesperson or a
//! head), the outcome once recorded, and — once won — whether a contract may be made from it or
//! what is still missing. The checks in the forms only spare a round trip; the service decides.

use chrono::NaiveDate;
use egui::{Color32, RichText, Ui};

use crate::ui::panel::{Cx, Event, Link};
use crate::ui::pickers::local_time;

use super::builder::QuoteEvent;
use crate::domain::company::FieldError;
use crate::domain::money::Money;
use crate::domain::negotiation::{DealOutcome, OutcomeDraft, OutcomeKind, RoundDraft, is_expired};
use crate::domain::quote::QuoteStatus;
use crate::service::{NegotiationView, QuoteView};
use crate::ui::theme::{self, ERROR_RED, MUTED, PENDING_AMBER};
use crate::ui::widgets::{field_error, message_for};

#[derive(Debug, Clone, Default)]
struct RoundForm {
    date: String,
    customer_side: String,
    asked: String,
    offered: String,
}

#[derive(Debug, Clone, Default)]
struct OutcomeForm {
    won: bool,
    date: String,
    reason: String,
    competitor: String,
    price: String,
    /// The user pressed 登记 once: now asked to confirm.
    confirming: bool,
}

#[derive(Default)]
pub struct NegotiationUi {
    round: Option<RoundForm>,
    outcome: Option<OutcomeForm>,
    /// Problems found before sending (the service's own come in through the builder).
    local: Vec<FieldError>,
    /// What the user asked for this frame; the builder runs it.
    act: Option<NegotiationAct>,
    /// The builder is waiting for an answer: the buttons wait too.
    pub waiting: bool,
}

/// A round to log or an outcome to record, for the builder to run.
pub enum NegotiationAct {
    LogRound(RoundDraft),
    RecordOutcome(OutcomeDraft),
}

fn parse_date(text: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    if text.trim().is_empty() {
        return None;
    }
    let d = crate::domain::dates::parse_day(text, chrono::Local::now().date_naive());
    if d.is_none() {
        errors.push(FieldError::new("date", "日期格式应为 2026-12-01（也可写 12-1）"));
    }
    d
}

/// A labelled one-line field with its error under it.
fn field(ui: &mut Ui, label: &str, value: &mut String, hint: &str, error: Option<&str>) {
    let l = ui.label(label);
    ui.vertical(|ui| {
        ui.add(egui::TextEdit::singleline(value).hint_text(hint).desired_width(360.0)).labelled_by(l.id);
        field_error(ui, error);
    });
    ui.end_row();
}

fn area(ui: &mut Ui, label: &str, value: &mut String, error: Option<&str>) {
    let l = ui.label(label);
    ui.vertical(|ui| {
        ui.add(egui::TextEdit::multiline(value).desired_rows(2).desired_width(480.0)).labelled_by(l.id);
        field_error(ui, error);
    });
    ui.end_row();
}

impl NegotiationUi {
    /// What the user asked for, once.
    pub fn take_act(&mut self) -> Option<NegotiationAct> {
        self.act.take()
    }

    /// What came back for the quote: a logged round or a recorded outcome closes its form.
    pub fn loaded(&mut self, event: QuoteEvent) {
        match event {
            QuoteEvent::RoundLogged => self.round = None,
            QuoteEvent::OutcomeRecorded => self.outcome = None,
            _ => return,
        }
        self.local.clear();
    }

    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, v: &QuoteView, n: &NegotiationView, errors: &[FieldError]) {
        let open = matches!(n.status, QuoteStatus::Issued | QuoteStatus::Negotiating);
        validity_ui(ui, n, cx.today);
        if let Some(o) = &n.outcome {
            outcome_ui(ui, o);
        }
        if let Some(c) = &n.contract {
            match c {
                Ok(s) => {
                    let text = format!(
                        "可据此签订合同：{}（已审批，变更均已确认）",
                        v.quote.number.revision_label(s.revision.revision)
                    );
                    ui.label(RichText::new(text).color(theme::OK_GREEN));
                    let label = if n.may_negotiate { "创建或打开合同" } else { "查看合同" };
                    if ui.button(label).clicked() {
                        cx.emit(Event::Open(Link::ContractForQuote(v.quote.id)));
                    }
                }
                Err(missing) => {
                    ui.label(RichText::new("签订合同前还需：").color(ERROR_RED));
                    for m in missing {
                        ui.label(RichText::new(format!("· {m}")).color(ERROR_RED));
                    }
                }
            }
        }
        let errors: Vec<FieldError> = self.local.iter().chain(errors).cloned().collect();
        if open && n.may_record_outcome && self.outcome.is_none() {
            ui.horizontal(|ui| {
                let won = egui::Button::new(RichText::new("中标/成交…").color(Color32::WHITE)).fill(theme::OK_GREEN);
                if ui.add_enabled(!self.waiting, won).clicked() {
                    self.open_outcome(true, cx.today);
                }
                if ui.add_enabled(!self.waiting, egui::Button::new("未成交…")).clicked() {
                    self.open_outcome(false, cx.today);
                }
            });
        }
        if open && n.may_record_outcome {
            self.outcome_form_ui(ui, cx, v, n, &errors);
        }
        ui.add_space(6.0);
        ui.label(RichText::new(format!("谈判记录（{}）", n.rounds.len())).strong());
        if n.rounds.is_empty() {
            let hint = if open { "尚未登记谈判。" } else { "没有谈判记录。" };
            ui.label(RichText::new(hint).small().color(MUTED));
        }
        for r in &n.rounds {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(format!("第 {} 轮", r.round)).strong());
                    ui.label(r.date.to_string());
                    ui.label(format!("客户方：{}", r.customer_side));
                });
                ui.label(format!("客户要求：{}", r.asked));
                ui.label(format!("我方答复：{}", r.offered));
                let by = format!("登记：{} · {}", r.by_name, local_time(r.at));
                ui.label(RichText::new(by).small().color(MUTED));
            });
        }
        if open && n.may_negotiate {
            self.round_form_ui(ui, cx, n, &errors);
        }
    }

    fn open_outcome(&mut self, won: bool, today: NaiveDate) {
        self.local.clear();
        self.outcome = Some(OutcomeForm { won, date: today.to_string(), ..Default::default() });
    }

    fn round_form_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, n: &NegotiationView, errors: &[FieldError]) {
        let Some(f) = &mut self.round else {
            if ui.add_enabled(!self.waiting, egui::Button::new("＋ 登记谈判")).clicked() {
                self.local.clear();
                self.round = Some(RoundForm { date: cx.today.to_string(), ..Default::default() });
            }
            return;
        };
        let mut send = None;
        let mut close = false;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.label(RichText::new(format!("登记谈判（第 {} 轮）", n.rounds.len() + 1)).strong());
            egui::Grid::new("round_form").num_columns(2).spacing([10.0, 6.0]).show(ui, |ui| {
                field(ui, "谈判日期", &mut f.date, "2026-12-01", message_for(errors, "date"));
                field(ui, "客户方参与人", &mut f.customer_side, "姓名、职务", message_for(errors, "customer_side"));
                area(ui, "客户提出的要求", &mut f.asked, message_for(errors, "asked"));
                area(ui, "我方答复", &mut f.offered, message_for(errors, "offered"));
            });
            ui.horizontal(|ui| {
                if ui.add_enabled(!self.waiting, egui::Button::new("保存谈判记录")).clicked() {
                    let mut problems = Vec::new();
                    let draft = RoundDraft {
                        date: parse_date(&f.date, &mut problems),
                        customer_side: f.customer_side.clone(),
                        asked: f.asked.clone(),
                        offered: f.offered.clone(),
                    };
                    if problems.is_empty() {
                        problems = draft.problems(cx.today, n.issued.map(|(_, d)| d));
                    }
                    if problems.is_empty() {
                        send = Some(draft);
                    } else {
                        self.local = problems;
                    }
                }
                if ui.button("取消").clicked() {
                    close = true;
                }
            });
        });
        if let Some(draft) = send {
            self.local.clear();
            self.act = Some(NegotiationAct::LogRound(draft));
        }
        if close {
            self.round = None;
            self.local.clear();
        }
    }

    fn outcome_form_ui(
        &mut self,
        ui: &mut Ui,
        cx: &mut Cx<'_>,
        v: &QuoteView,
        n: &NegotiationView,
        errors: &[FieldError],
    ) {
        let Some(f) = &mut self.outcome else { return };
        let mut send = None;
        let mut close = false;
        let mut problems_found = None;
        let color = if f.won { theme::OK_GREEN } else { ERROR_RED };
        egui::Frame::group(ui.style()).stroke(egui::Stroke::new(1.0, color)).show(ui, |ui| {
            let title = if f.won { "登记中标/成交" } else { "登记未成交" };
            ui.label(RichText::new(format!("{title} · {}", v.quote.number)).strong());
            ui.add_enabled_ui(!f.confirming, |ui| {
                egui::Grid::new("outcome_form").num_columns(2).spacing([10.0, 6.0]).show(ui, |ui| {
                    let date_label = if f.won { "中标/成交日期" } else { "日期" };
                    field(ui, date_label, &mut f.date, "2026-12-01", message_for(errors, "date"));
                    let reason_label = if f.won { "原因（可选）" } else { "未成交原因" };
                    area(ui, reason_label, &mut f.reason, message_for(errors, "reason"));
                    field(ui, "竞争对手", &mut f.competitor, "如：正泰电气", message_for(errors, "competitor"));
                    field(
                        ui,
                        "竞争对手报价（元）",
                        &mut f.price,
                        "如：298000",
                        message_for(errors, "competitor_price"),
                    );
                });
            });
            let (draft, problems) = outcome_draft(f, cx.today, n.issued.map(|(_, d)| d));
            if f.confirming {
                let what = if f.won { "中标/成交" } else { "未成交" };
                let warn = format!("确定登记 {} 为{what}？登记后不能更改，报价将不能再谈判或发出。", v.quote.number);
                ui.label(RichText::new(warn).color(PENDING_AMBER));
                ui.horizontal(|ui| {
                    let ok = egui::Button::new(RichText::new("确定登记").color(Color32::WHITE)).fill(color);
                    if ui.add_enabled(!self.waiting, ok).clicked() {
                        if problems.is_empty() {
                            send = Some(draft.clone());
                        } else {
                            problems_found = Some(problems.clone());
                        }
                    }
                    if ui.button("返回修改").clicked() {
                        f.confirming = false;
                    }
                });
            } else {
                ui.horizontal(|ui| {
                    if ui.add_enabled(!self.waiting, egui::Button::new("登记…")).clicked() {
                        if problems.is_empty() {
                            f.confirming = true;
                        }
                        problems_found = Some(problems.clone());
                    }
                    if ui.button("取消").clicked() {
                        close = true;
                    }
                });
            }
        });
        if let Some(p) = problems_found {
            if !p.is_empty()
                && let Some(f) = &mut self.outcome
            {
                f.confirming = false;
            }
            self.local = p;
        }
        if let Some(draft) = send {
            self.local.clear();
            self.act = Some(NegotiationAct::RecordOutcome(draft));
        }
        if close {
            self.outcome = None;
            self.local.clear();
        }
    }
}

/// The outcome as typed, and what is wrong with it.
fn outcome_draft(f: &OutcomeForm, today: NaiveDate, issued_on: Option<NaiveDate>) -> (OutcomeDraft, Vec<FieldError>) {
    let mut problems = Vec::new();
    let date = parse_date(&f.date, &mut problems);
    let competitor_price = match f.price.trim() {
        "" => None,
        t => match Money::parse(t) {
            Ok(m) => Some(m),
            Err(e) => {
                problems.push(FieldError::new("competitor_price", e.to_string()));
                None
            }
        },
    };
    let d =
        OutcomeDraft { won: f.won, date, reason: f.reason.clone(), competitor: f.competitor.clone(), competitor_price };
    if problems.is_empty() {
        problems = d.problems(today, issued_on);
    }
    (d, problems)
}

/// 发出 V1 · 2026-11-27 · 有效期至 2026-12-27 (剩 n 天 / 已过有效期).
fn validity_ui(ui: &mut Ui, n: &NegotiationView, today: NaiveDate) {
    let (Some((rev, on)), Some(until)) = (n.issued, n.valid_until) else { return };
    ui.horizontal_wrapped(|ui| {
        ui.label(format!("已发出 V{rev}（{on} 用印发出）· 有效期至 {until}"));
        if matches!(n.status, QuoteStatus::Issued | QuoteStatus::Negotiating) {
            if is_expired(until, today) {
                theme::badge(ui, "已过有效期", ERROR_RED);
            } else {
                let left = (until - today).num_days();
                let color = if left <= 7 { PENDING_AMBER } else { MUTED };
                ui.label(RichText::new(format!("还剩 {left} 天")).color(color));
            }
        }
    });
}

fn outcome_ui(ui: &mut Ui, o: &DealOutcome) {
    let color = match o.kind {
        OutcomeKind::Won => theme::OK_GREEN,
        OutcomeKind::Lost => ERROR_RED,
        OutcomeKind::Expired => MUTED,
    };
    egui::Frame::group(ui.style()).stroke(egui::Stroke::new(1.0, color)).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            theme::badge(ui, o.kind.label(), color);
            ui.label(format!("{} · 按 V{}", o.date, o.revision));
            ui.label(RichText::new(format!("登记：{} · {}", o.by_name, local_time(o.at))).small().color(MUTED));
        });
        if !o.reason.is_empty() {
            ui.label(format!("原因：{}", o.reason));
        }
        if !o.competitor.is_empty() {
            let price = o.competitor_price.map(|p| format!("，报价 {}", p.yuan_display())).unwrap_or_default();
            ui.label(format!("竞争对手：{}{price}", o.competitor));
        }
    });
}
