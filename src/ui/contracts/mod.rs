//! 合同与回款: the contracts list (status badges, search, outstanding and overdue at a glance),
//! the contract card (`card.rs`), 应收账款 (aging, per salesperson and customer, the chase list,
//! cash waiting to be handed in) and 销售目标 (`receivables.rs`); and 看板, the dashboard
//! (`dashboard.rs`). What the reader may see and do is the service's decision; the window only
//! hides buttons.

mod card;
mod dashboard;
mod receivables;
mod reference;

use egui::{Color32, RichText, Ui};
use egui_extras::{Column, TableBuilder};

use card::ContractCard;
pub use dashboard::DashboardPanel;
use receivables::ReceivablesPanel;

use crate::domain::contract::ContractStatus;
use crate::domain::ids::ContractId;
use crate::domain::money::Money;
use crate::domain::receivable::{HAND_IN_DAYS, HandIn};
use crate::domain::role::Permission;
use crate::service::{ContractLedger, ContractView};
use crate::ui::panel::{Cx, Event, Every, Link, Panel};
use crate::ui::theme::{self, ERROR_RED, MUTED, OK_GREEN, PENDING_AMBER, TENDER_BLUE};
use crate::ui::worker::Reply;

/// How often the count of contracts waiting for the reader's confirmation is read again.
const REFRESH_SECONDS: f64 = 30.0;

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
    Accepted,
    Invoiced,
    Received,
    HandedIn,
}

impl CardEvent {
    pub(super) fn toast(self) -> Option<&'static str> {
        Some(match self {
            Self::Opened => return None,
            Self::Created => "合同草稿已创建，付款计划按报价条款生成，可修改后请销售部负责人确认。",
            Self::ScheduleSaved => "付款计划已保存。",
            Self::Accepted => "验收日期已登记，按验收起算的付款节点已更新到期日。",
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

pub fn status_color(s: ContractStatus) -> Color32 {
    match s {
        ContractStatus::Draft => PENDING_AMBER,
        ContractStatus::Confirmed => TENDER_BLUE,
        ContractStatus::Signed => OK_GREEN,
    }
}

pub fn status_badge(ui: &mut Ui, s: ContractStatus) {
    theme::badge(ui, s.label(), status_color(s));
}

/// 逾期 n 天 in red when anything is overdue.
pub fn overdue_badge(ui: &mut Ui, days: i64) {
    if days > 0 {
        theme::badge(ui, &format!("逾期 {days} 天"), ERROR_RED);
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
    /// ↑/↓ and Enter in the contract list.
    cursor: crate::ui::widgets::ListCursor,
    tab: Tab,
    query: String,
    status: Option<ContractStatus>,
    overdue_only: bool,
    mine_to_confirm: bool,
    rows: Vec<ContractLedger>,
    /// Drafts waiting for the reader's confirmation.
    awaiting: Vec<ContractId>,
    loaded: bool,
    listing: Reply<(Vec<ContractLedger>, Vec<ContractId>)>,
    card: Option<ContractCard>,
    /// A contract opened from elsewhere (the builder, the chase list).
    opening: Reply<(ContractView, bool)>,
    receivables: ReceivablesPanel,
    refresh: Option<Every>,
    counting: Reply<Vec<ContractId>>,
}

impl ContractsPanel {
    /// A contract as it now is: in the list, and in the card.
    fn show(&mut self, view: ContractView) {
        let id = view.ledger.contract.id;
        if !view.may_confirm {
            self.awaiting.retain(|a| *a != id);
        }
        if let Some(row) = self.rows.iter_mut().find(|r| r.contract.id == id) {
            *row = view.ledger.clone();
        } else {
            self.rows.insert(0, view.ledger.clone());
        }
        if self.card.as_ref().and_then(|c| c.id()) != Some(id) {
            self.card = Some(ContractCard::new(view));
        }
        self.tab = Tab::Contracts;
        self.receivables.invalidate();
    }

    fn list(&mut self, cx: &Cx<'_>) {
        self.listing = cx.ask(|svc, a| Ok((svc.contracts(a)?, svc.contracts_awaiting(a)?)));
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
}

impl Panel for ContractsPanel {
    fn logic(&mut self, cx: &mut Cx<'_>) {
        // The navigation's count of drafts waiting for this reader, refreshed on the back lane.
        if cx.actor.may(Permission::Approve) {
            let refresh = self.refresh.get_or_insert(Every::seconds(REFRESH_SECONDS));
            if !self.counting.is_waiting() && refresh.due(cx.time) {
                self.counting = cx.ask_quietly(|svc, a| svc.contracts_awaiting(a));
            }
        }
        match self.counting.take() {
            Some(Ok(awaiting)) => self.awaiting = awaiting,
            Some(Err(e)) => log::warn!("contracts refresh: {e}"),
            None => {}
        }
        match self.listing.take() {
            Some(Ok((rows, awaiting))) => {
                self.rows = rows;
                self.awaiting = awaiting;
                self.loaded = true;
            }
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        match self.opening.take() {
            Some(Ok((view, created))) => {
                if created {
                    cx.toasts.success(CardEvent::Created.toast().unwrap_or_default());
                    cx.emit(Event::ContractChanged(view.ledger.contract.id));
                }
                cx.go(crate::ui::nav::Nav::Contracts);
                self.card = None;
                self.show(view);
            }
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        if let Some(view) = self.card.as_mut().and_then(|c| c.logic(cx)) {
            self.show(*view);
        }
        self.receivables.logic(cx);
    }

    fn on_event(&mut self, event: &Event, cx: &mut Cx<'_>) {
        match event {
            Event::ContractChanged(_) | Event::OfficeChanged => {
                self.loaded = false;
                self.receivables.invalidate();
                if let Some(r) = &mut self.refresh {
                    r.soon();
                }
            }
            Event::Open(Link::ContractForQuote(quote)) => {
                let quote = *quote;
                self.opening = cx.ask(move |svc, a| svc.open_contract_for_quote(a, quote));
            }
            Event::Open(Link::Contract(id)) => {
                let id = *id;
                self.opening = cx.ask(move |svc, a| Ok((svc.contract(a, id)?, false)));
            }
            _ => {}
        }
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if let Some(card) = &mut self.card {
            if card.ui(ui, cx) {
                self.card = None;
                self.loaded = false;
            }
            return;
        }
        theme::heading(
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
}

impl ContractsPanel {
    fn list_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if !self.loaded && !self.listing.is_waiting() {
            self.loaded = true;
            self.list(cx);
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
                theme::badge(ui, "逾期未上交", ERROR_RED);
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
        // ↑/↓ move a highlighted row, Enter opens it (when no field has the keyboard).
        let entered = self.cursor.keys(ui, shown.len()).map(|i| self.rows[shown[i]].contract.id);
        if let Some(id) = ui.scope(|ui| self.table_ui(ui, &shown)).inner.or(entered) {
            self.opening = cx.ask(move |svc, a| Ok((svc.contract(a, id)?, false)));
        }
        if shown.is_empty() {
            ui.label(RichText::new("没有符合条件的合同。").color(MUTED));
        }
    }

    fn table_ui(&mut self, ui: &mut Ui, shown: &[usize]) -> Option<ContractId> {
        let mut clicked = None;
        ui.style_mut().interaction.selectable_labels = false;
        // On a small screen the money comes right after the customer and 销售员 and 签订日期 go (both
        // are on the card): 合同额, 已回款 and 未收 stay in sight.
        let narrow = crate::ui::widgets::narrow_list(ui);
        let mut table = TableBuilder::new(ui)
            .id_salt(("contract_list", narrow))
            .striped(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::exact(110.0))
            .column(Column::remainder().at_least(if narrow { 80.0 } else { 140.0 }).clip(true));
        if let Some(row) = self.cursor.scroll_target() {
            table = table.scroll_to_row(row, None);
        }
        let cursor = &self.cursor;
        let titles: &[&str] = if narrow {
            table = table
                .column(Column::exact(112.0))
                .column(Column::exact(108.0))
                .column(Column::exact(112.0))
                .column(Column::exact(120.0).clip(true));
            &["合同号", "客户", "合同额", "已回款", "未收", "状态"]
        } else {
            table = table
                .column(Column::exact(60.0).clip(true))
                .column(Column::exact(196.0))
                .column(Column::exact(112.0))
                .column(Column::exact(108.0))
                .column(Column::exact(112.0))
                .column(Column::exact(84.0));
            &["合同号", "客户", "销售员", "状态", "合同额", "已回款", "未收", "签订日期"]
        };
        table
            .header(24.0, |mut h| {
                for t in titles {
                    h.col(|ui| {
                        ui.strong(*t);
                    });
                }
            })
            .body(|body| {
                body.rows(28.0, shown.len(), |mut row| {
                    row.set_selected(cursor.is_at(row.index()));
                    let l = &self.rows[shown[row.index()]];
                    let c = &l.contract;
                    row.col(|ui| {
                        ui.label(c.number.to_string()).on_hover_text(format!("来自 {}", c.quote_number));
                    });
                    row.col(|ui| {
                        ui.label(&c.customer_name).on_hover_text(&c.subject);
                    });
                    let status = |ui: &mut Ui| {
                        ui.horizontal(|ui| {
                            status_badge(ui, c.status);
                            if self.awaiting.contains(&c.id) {
                                theme::badge(ui, "待我确认", PENDING_AMBER);
                            }
                            if c.major {
                                theme::badge(ui, "重大", ERROR_RED);
                            }
                        });
                    };
                    if !narrow {
                        row.col(|ui| {
                            ui.label(&c.salesperson_name);
                        });
                        row.col(status);
                    }
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
                    if narrow {
                        row.col(status);
                    } else {
                        row.col(|ui| {
                            ui.label(c.signed_on.map(|d| d.to_string()).unwrap_or_else(|| "—".into()));
                        });
                    }
                    if row.response().clicked() {
                        clicked = Some(c.id);
                    }
                });
            });
        clicked
    }
}
