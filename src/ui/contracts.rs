//! 合同与回款: the contracts list (status badges, search, outstanding and overdue at a glance),
//! the contract card (`contract_card.rs`), 应收账款 (aging, per salesperson and customer, the
//! chase list, cash waiting to be handed in) and 销售目标 (`receivables.rs`); and the worker's
//! side of these use cases and of the dashboard (`dashboard.rs`). What the reader may see and do
//! is the service's decision; the window only hides buttons.

use std::path::PathBuf;

use chrono::NaiveDate;
use egui::{Color32, RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::contract_card::ContractCard;
use super::dashboard::DashboardPanel;
use super::legacy::{Outcome, Request};
use super::panel::Cx;
use super::receivables::ReceivablesPanel;
use super::theme::{PENDING_AMBER, TENDER_BLUE};
use super::widgets::{self, ERROR_RED, MUTED, OK_GREEN, Toasts};
use crate::domain::contract::{ContractStatus, DeliveryDraft, Installment, InvoiceDraft};
use crate::domain::ids::{ContractId, QuoteId, UserId};
use crate::domain::money::Money;
use crate::domain::receivable::{HAND_IN_DAYS, HandIn, ReceiptDraft, Target, TargetDraft};
use crate::domain::user::UserAccount;
use crate::service::{
    Actor, ContractLedger, ContractView, Dashboard, DashboardChart, ExportFormat, Receivables, Service, ServiceError,
};

type Res<T> = Result<T, ServiceError>;

/// A use case of 合同与回款 and the dashboard.
pub enum ContractRequest {
    List,
    Open(ContractId),
    /// From the builder's 谈判与结果: open the quote's contract, or draft it.
    ForQuote(QuoteId),
    SaveSchedule {
        id: ContractId,
        version: i64,
        schedule: Vec<Installment>,
    },
    Confirm {
        id: ContractId,
        hash: String,
        approve: bool,
        comment: String,
    },
    Sign {
        id: ContractId,
        version: i64,
        date: Option<NaiveDate>,
    },
    Delivery {
        id: ContractId,
        draft: DeliveryDraft,
    },
    Invoice {
        id: ContractId,
        draft: InvoiceDraft,
    },
    Receipt {
        id: ContractId,
        draft: ReceiptDraft,
    },
    HandIn {
        receipt: i64,
        version: i64,
        date: Option<NaiveDate>,
    },
    Receivables,
    /// The targets of a year and the salespeople to set them for.
    Targets {
        year: i32,
    },
    SetTarget {
        draft: TargetDraft,
        version: Option<i64>,
    },
    Dashboard {
        year: i32,
        salesperson: Option<UserId>,
    },
    Export {
        year: i32,
        salesperson: Option<UserId>,
        chart: DashboardChart,
        path: PathBuf,
    },
}

impl From<ContractRequest> for Request {
    fn from(r: ContractRequest) -> Request {
        Request::Contract(r)
    }
}

/// What a card action was, for the toast and for closing its form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardEvent {
    Opened,
    Created,
    ScheduleSaved,
    Confirmed,
    Refused,
    Signed,
    Delivered,
    Invoiced,
    Received,
    HandedIn,
}

impl CardEvent {
    fn toast(self) -> Option<&'static str> {
        Some(match self {
            Self::Opened => return None,
            Self::Created => "合同草稿已创建，付款计划按报价条款生成，可修改后请销售部负责人确认。",
            Self::ScheduleSaved => "付款计划已保存。",
            Self::Confirmed => "已确认。",
            Self::Refused => "已驳回，销售员将按意见修改。",
            Self::Signed => "已登记签订。",
            Self::Delivered => "发货已登记。",
            Self::Invoiced => "开票已登记。",
            Self::Received => "回款已登记。",
            Self::HandedIn => "已确认上交。",
        })
    }
}

pub enum ContractOutcome {
    /// The contracts the reader may see, and those waiting for the reader's confirmation.
    List(Res<(Vec<ContractLedger>, Vec<ContractId>)>),
    Card(CardEvent, Res<Box<ContractView>>),
    Receivables(Res<Receivables>),
    Targets(i32, Res<(Vec<Target>, Vec<UserAccount>)>),
    TargetSaved(Res<Vec<Target>>),
    Dashboard(Res<Dashboard>),
    Exported(Res<PathBuf>),
}

/// Runs a contracts use case on the worker.
pub fn execute(svc: &mut Service, a: &Actor, r: ContractRequest) -> Outcome {
    use ContractRequest as R;
    let card = |e, r: Res<ContractView>| ContractOutcome::Card(e, r.map(Box::new));
    let outcome = match r {
        R::List => ContractOutcome::List(svc.contracts(a).and_then(|l| Ok((l, svc.contracts_awaiting(a)?)))),
        R::Open(id) => card(CardEvent::Opened, svc.contract(a, id)),
        R::ForQuote(quote) => match svc.open_contract_for_quote(a, quote) {
            Ok((view, created)) => card(if created { CardEvent::Created } else { CardEvent::Opened }, Ok(view)),
            Err(e) => card(CardEvent::Opened, Err(e)),
        },
        R::SaveSchedule { id, version, schedule } => {
            card(CardEvent::ScheduleSaved, svc.save_schedule(a, id, version, schedule))
        }
        R::Confirm { id, hash, approve, comment } => {
            let e = if approve { CardEvent::Confirmed } else { CardEvent::Refused };
            card(e, svc.confirm_contract(a, id, &hash, approve, &comment))
        }
        R::Sign { id, version, date } => card(CardEvent::Signed, svc.sign_contract(a, id, version, date)),
        R::Delivery { id, draft } => card(CardEvent::Delivered, svc.record_delivery(a, id, draft)),
        R::Invoice { id, draft } => card(CardEvent::Invoiced, svc.record_invoice(a, id, draft)),
        R::Receipt { id, draft } => card(CardEvent::Received, svc.record_receipt(a, id, draft)),
        R::HandIn { receipt, version, date } => {
            card(CardEvent::HandedIn, svc.hand_in_receipt(a, receipt, version, date))
        }
        R::Receivables => ContractOutcome::Receivables(svc.receivables(a)),
        R::Targets { year } => ContractOutcome::Targets(
            year,
            svc.targets(a, year).and_then(|t| {
                let people = svc.salespeople(a)?.into_iter().filter(|u| u.active).collect();
                Ok((t, people))
            }),
        ),
        R::SetTarget { draft, version } => ContractOutcome::TargetSaved(svc.set_target(a, draft, version)),
        R::Dashboard { year, salesperson } => ContractOutcome::Dashboard(svc.dashboard(a, year, salesperson)),
        R::Export { year, salesperson, chart, path } => {
            let format = ExportFormat::from_file_name(&path.display().to_string());
            let r = format
                .and_then(|f| svc.export_dashboard(a, year, salesperson, chart, f))
                .and_then(|bytes| super::legacy::write_file(&path, &bytes).map(|()| path));
            ContractOutcome::Exported(r)
        }
    };
    Outcome::Contract(outcome)
}

pub fn status_color(s: ContractStatus) -> Color32 {
    match s {
        ContractStatus::Draft => PENDING_AMBER,
        ContractStatus::Confirmed => TENDER_BLUE,
        ContractStatus::Signed => OK_GREEN,
    }
}

pub fn status_badge(ui: &mut Ui, s: ContractStatus) {
    widgets::badge(ui, s.label(), status_color(s));
}

/// 逾期 n 天 in red when anything is overdue.
pub fn overdue_badge(ui: &mut Ui, days: i64) {
    if days > 0 {
        widgets::badge(ui, &format!("逾期 {days} 天"), ERROR_RED);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Tab {
    #[default]
    Contracts,
    Receivables,
    Targets,
}

#[derive(Default)]
pub struct ContractsPanel {
    tab: Tab,
    query: String,
    status: Option<ContractStatus>,
    overdue_only: bool,
    mine_to_confirm: bool,
    rows: Vec<ContractLedger>,
    /// Drafts waiting for the reader's confirmation.
    awaiting: Vec<ContractId>,
    loaded: bool,
    pub card: Option<ContractCard>,
    pub receivables: ReceivablesPanel,
}

impl ContractsPanel {
    /// Applies a contracts outcome; true when the window should show this panel (a contract was
    /// opened or drafted from the builder).
    pub fn apply(&mut self, o: ContractOutcome, toasts: &mut Toasts, dashboard: &mut DashboardPanel) -> bool {
        match o {
            ContractOutcome::List(Ok((rows, awaiting))) => {
                self.rows = rows;
                self.awaiting = awaiting;
                self.loaded = true;
            }
            ContractOutcome::List(Err(e)) => toasts.error(e.to_string()),
            ContractOutcome::Card(event, Ok(view)) => {
                if let Some(t) = event.toast() {
                    toasts.success(t);
                }
                let id = view.ledger.contract.id;
                if !view.may_confirm {
                    self.awaiting.retain(|a| *a != id);
                }
                if let Some(row) = self.rows.iter_mut().find(|r| r.contract.id == id) {
                    *row = view.ledger.clone();
                } else {
                    self.rows.insert(0, view.ledger.clone());
                }
                match &mut self.card {
                    Some(c) if c.id() == Some(id) => c.loaded(event, *view),
                    _ => self.card = Some(ContractCard::new(*view)),
                }
                self.tab = Tab::Contracts;
                self.receivables.invalidate();
                dashboard.invalidate();
                return event == CardEvent::Created || event == CardEvent::Opened;
            }
            ContractOutcome::Card(_, Err(e)) => match &mut self.card {
                Some(c) => c.failed(e, toasts),
                None => toasts.error(e.to_string()),
            },
            ContractOutcome::Receivables(r) => self.receivables.receivables_loaded(r, toasts),
            ContractOutcome::Targets(year, r) => self.receivables.targets_loaded(year, r, toasts),
            ContractOutcome::TargetSaved(r) => {
                if self.receivables.target_saved(r, toasts) {
                    dashboard.invalidate();
                }
            }
            ContractOutcome::Dashboard(r) => dashboard.loaded(r, toasts),
            ContractOutcome::Exported(r) => match r {
                Ok(path) => toasts.success(format!("已导出到 {}", path.display())),
                Err(e) => toasts.error(e.to_string()),
            },
        }
        false
    }

    fn matches(&self, l: &ContractLedger) -> bool {
        let c = &l.contract;
        let text = self.query.trim().to_lowercase();
        (text.is_empty()
            || [
                c.number.to_string(),
                c.quote_number.clone(),
                c.customer_name.clone(),
                c.subject.clone(),
                c.salesperson_name.clone(),
            ]
            .iter()
            .any(|f| f.to_lowercase().contains(&text)))
            && self.status.is_none_or(|s| s == c.status)
            && (!self.overdue_only || !l.overdue.is_zero())
            && (!self.mine_to_confirm || self.awaiting.contains(&c.id))
    }

    /// How many drafts wait for the reader's confirmation (the navigation shows it).
    pub fn count(&self) -> usize {
        self.awaiting.len()
    }

    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if let Some(card) = &mut self.card {
            if card.ui(ui, cx) {
                self.card = None;
                cx.send(ContractRequest::List.into());
            }
            return;
        }
        widgets::heading(
            ui,
            "合同与回款",
            "合同由已中标/成交的报价生成（在报价的“谈判与结果”中点“创建合同”），经确认、签订后登记发货、开票和回款。",
        );
        ui.horizontal(|ui| {
            for (tab, label) in [(Tab::Contracts, "合同"), (Tab::Receivables, "应收账款"), (Tab::Targets, "销售目标")]
            {
                if ui.selectable_label(self.tab == tab, label).clicked() {
                    self.tab = tab;
                }
            }
        });
        ui.separator();
        match self.tab {
            Tab::Contracts => self.list_ui(ui, cx),
            Tab::Receivables => self.receivables.receivables_ui(ui, cx),
            Tab::Targets => self.receivables.targets_ui(ui, cx),
        }
    }

    fn list_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if !self.loaded && !cx.busy {
            self.loaded = true;
            cx.send(ContractRequest::List.into());
        }
        ui.horizontal_wrapped(|ui| {
            let l = ui.label("搜索");
            ui.add(
                egui::TextEdit::singleline(&mut self.query)
                    .hint_text("合同号、报价号、客户、事由或销售员")
                    .desired_width(240.0),
            )
            .labelled_by(l.id);
            let l = ui.label("状态");
            let current = self.status.map(|s| s.label()).unwrap_or("全部");
            egui::ComboBox::from_id_salt("contract_status")
                .selected_text(current)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.status, None, "全部");
                    for s in ContractStatus::ALL {
                        ui.selectable_value(&mut self.status, Some(s), s.label());
                    }
                })
                .response
                .labelled_by(l.id);
            ui.checkbox(&mut self.overdue_only, "只看有逾期的");
            if !self.awaiting.is_empty() || self.mine_to_confirm {
                ui.checkbox(&mut self.mine_to_confirm, format!("只看待我确认的（{}）", self.awaiting.len()));
            }
        });
        // Cash collected in the field and not handed in within the days allowed (procedure 销售员
        // 职责 (13)): flagged to whoever receives hand-ins and to the salesperson who holds it.
        let late: Vec<(String, Money)> = self
            .rows
            .iter()
            .flat_map(|l| l.receipts.iter())
            .filter(|r| matches!(r.hand_in(cx.today), HandIn::Overdue { .. }))
            .map(|r| (r.by_name.clone(), r.amount))
            .collect();
        if !late.is_empty() {
            ui.horizontal_wrapped(|ui| {
                let total: Money = late.iter().map(|(_, m)| *m).sum();
                let who: Vec<&str> = late.iter().map(|(n, _)| n.as_str()).collect();
                widgets::badge(ui, "逾期未上交", ERROR_RED);
                ui.label(
                    RichText::new(format!(
                        "{} 笔在外收款共 {} 超过 {} 天未上交公司（{}）",
                        late.len(),
                        total.yuan_display(),
                        HAND_IN_DAYS,
                        who.join("、")
                    ))
                    .color(ERROR_RED),
                );
                if ui.link("查看应收账款").clicked() {
                    self.tab = Tab::Receivables;
                }
            });
        }
        let shown: Vec<usize> = (0..self.rows.len()).filter(|i| self.matches(&self.rows[*i])).collect();
        ui.label(RichText::new(format!("共 {} 份", shown.len())).small().color(MUTED));
        if let Some(id) = ui.scope(|ui| self.table_ui(ui, &shown)).inner {
            cx.send(ContractRequest::Open(id).into());
        }
        if shown.is_empty() {
            ui.label(RichText::new("没有符合条件的合同。").color(MUTED));
        }
    }

    fn table_ui(&self, ui: &mut Ui, shown: &[usize]) -> Option<ContractId> {
        let mut clicked = None;
        ui.style_mut().interaction.selectable_labels = false;
        TableBuilder::new(ui)
            .id_salt("contract_list")
            .striped(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::exact(110.0))
            .column(Column::remainder().at_least(140.0).clip(true))
            .column(Column::exact(60.0).clip(true))
            .column(Column::exact(196.0))
            .column(Column::exact(112.0))
            .column(Column::exact(108.0))
            .column(Column::exact(112.0))
            .column(Column::exact(84.0))
            .header(24.0, |mut h| {
                for t in ["合同号", "客户", "销售员", "状态", "合同额", "已回款", "未收", "签订日期"]
                {
                    h.col(|ui| {
                        ui.strong(t);
                    });
                }
            })
            .body(|body| {
                body.rows(28.0, shown.len(), |mut row| {
                    let l = &self.rows[shown[row.index()]];
                    let c = &l.contract;
                    row.col(|ui| {
                        ui.label(c.number.to_string()).on_hover_text(format!("来自 {}", c.quote_number));
                    });
                    row.col(|ui| {
                        ui.label(&c.customer_name).on_hover_text(&c.subject);
                    });
                    row.col(|ui| {
                        ui.label(&c.salesperson_name);
                    });
                    row.col(|ui| {
                        ui.horizontal(|ui| {
                            status_badge(ui, c.status);
                            if self.awaiting.contains(&c.id) {
                                widgets::badge(ui, "待我确认", PENDING_AMBER);
                            }
                            if c.major {
                                widgets::badge(ui, "重大", ERROR_RED);
                            }
                        });
                    });
                    let money = |ui: &mut Ui, text: RichText| {
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                            ui.label(text);
                        });
                    };
                    row.col(|ui| money(ui, RichText::new(c.total.yuan_display())));
                    row.col(|ui| money(ui, RichText::new(l.received.yuan_display())));
                    row.col(|ui| {
                        let text = RichText::new(l.outstanding.yuan_display());
                        let text = if l.overdue.is_zero() { text } else { text.color(ERROR_RED) };
                        let r =
                            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| ui.label(text)).inner;
                        if !l.overdue.is_zero() {
                            r.on_hover_text(format!(
                                "逾期 {}，最长 {} 天",
                                l.overdue.yuan_display(),
                                l.max_days_overdue
                            ));
                        }
                    });
                    row.col(|ui| {
                        ui.label(c.signed_on.map(|d| d.to_string()).unwrap_or_else(|| "—".into()));
                    });
                    if row.response().clicked() {
                        clicked = Some(c.id);
                    }
                });
            });
        clicked
    }
}
