//! Contracts — procedure (3) D and the duties on 发货, 收款, 回款: a contract is drafted by the
//! quote's salesperson from a won quote once everything after issue is confirmed
//! ([`super::negotiations::contract_source`]; otherwise refused with what is missing), copying
//! the lines and terms of the approved latest revision, with a payment schedule from its terms;
//! the head confirms it (a leader too when major), never its author or the customer's owner;
//! the salesperson signs it with the date; deliveries, invoices and receipts are recorded
//! against a signed contract by its salesperson, and cash collected in the field is confirmed
//! handed in by the assistant or the head. Every use case checks, writes once and is audited.

use std::collections::HashMap;

use chrono::{Datelike, Local, NaiveDate};

use super::{Actor, Service, ServiceError, audit, authorize, current_user};
use crate::domain::contract::{
    Contract, ContractContent, ContractStatus, Delivery, DeliveryDraft, DeliveryProgress, Installment, Invoice,
    InvoiceDraft, default_schedule, delivery_progress, due_parts, installment_amounts, schedule_problems,
    signing_problems,
};
use crate::domain::docno::{DocKind, DocNumber};
use crate::domain::ids::{ContractId, QuoteId, UserId};
use crate::domain::money::{Money, Quantity};
use crate::domain::policy::ApprovalPolicy;
use crate::domain::quote::{Approval, ApprovalError, ApprovalState, ApprovalStep, RevisionStatus};
use crate::domain::receivable::{InstallmentStatus, Receipt, ReceiptDraft, allocate, hand_in_problems};
use crate::domain::record::Versioned;
use crate::domain::role::{Permission, Role};
use crate::domain::user::UserAccount;
use crate::store::{NewContract, Tx};

/// A contract with everything recorded against it and what it comes to today.
#[derive(Debug, Clone)]
pub struct ContractLedger {
    pub contract: Contract,
    /// What was shipped of the contract's value, and when it was complete.
    pub progress: DeliveryProgress,
    /// Each installment: amount, due date (once known), paid, outstanding, days overdue.
    pub installments: Vec<InstallmentStatus>,
    pub deliveries: Vec<Delivery>,
    pub invoices: Vec<Invoice>,
    pub receipts: Vec<Receipt>,
    pub received: Money,
    pub invoiced: Money,
    /// What the contract still owes (total − received, never below zero).
    pub outstanding: Money,
    /// Outstanding money past its due date.
    pub overdue: Money,
    /// Received beyond the total (recorded with the overpayment flag).
    pub overpaid: Money,
    pub max_days_overdue: i64,
}

impl ContractLedger {
    /// Money due by today (the denominator of the 回款率) and what of it was paid.
    pub fn due_and_paid(&self, today: NaiveDate) -> (Money, Money) {
        self.installments
            .iter()
            .filter(|i| i.is_due(today))
            .fold((Money::ZERO, Money::ZERO), |(d, p), i| (d + i.amount, p + i.paid))
    }
}

/// The contract card.
#[derive(Debug, Clone)]
pub struct ContractView {
    pub ledger: ContractLedger,
    /// The confirmation step waiting (draft only), and who takes it.
    pub next_step: Option<(ApprovalStep, Role)>,
    /// The latest refusal for the current content, if any (the draft must change).
    pub refused: Option<Approval>,
    /// What of each line is not delivered yet (name, quantity left).
    pub lines_left: Vec<(String, Quantity)>,
    /// The reader is the contract's salesperson (edit the draft, sign, record).
    pub may_manage: bool,
    /// The reader may confirm now (for showing the buttons; the service checks again).
    pub may_confirm: bool,
    pub may_sign: bool,
    pub may_hand_in: bool,
    /// Its 销售合同's register entries (用印发出 and reprints), first issue first.
    pub issued: Vec<crate::domain::document::IssuedDocument>,
}

/// Whether `user` is one of the contract's people: its salesperson, author, the customer's owner
/// when it was made, or the customer's owner now (customers are handed over when someone leaves).
fn is_contracts_person(user: &UserAccount, c: &Contract) -> bool {
    c.salesperson == user.id
        || c.customer_owner == Some(user.id)
        || c.current_owner == Some(user.id)
        || c.author == user.id
}

/// A salesperson of the contract, who drafts it and records against it.
fn is_contract_salesperson(user: &UserAccount, c: &Contract) -> bool {
    user.roles.allows(Permission::ManageContracts) && is_contracts_person(user, c)
}

pub(super) fn may_see_contract(user: &UserAccount, c: &Contract) -> bool {
    user.roles.allows(Permission::ViewAllCustomers) || is_contracts_person(user, c)
}

fn other_head_exists(
    tx: &Tx<'_>,
    author: UserId,
    owner: Option<UserId>,
    salesperson: UserId,
) -> Result<bool, ServiceError> {
    Ok(tx.list_users()?.iter().any(|u| {
        u.active && u.roles.contains(Role::Head) && u.id != author && Some(u.id) != owner && u.id != salesperson
    }))
}

/// The approval facts of a draft contract: the confirmations given for its current content.
fn confirm_state<'a>(c: &'a Contract, approvals: &'a [Approval], other_head: bool) -> ApprovalState<'a> {
    ApprovalState {
        status: if c.status == ContractStatus::Draft { RevisionStatus::Submitted } else { RevisionStatus::Approved },
        major: c.major,
        content_hash: &c.content_hash,
        approvals,
        author: c.author,
        customer_owner: c.customer_owner,
        other_head_exists: other_head,
    }
}

/// The refusal sentences for a contract (the domain's name quotes).
fn confirm_error(e: ApprovalError, c: &Contract) -> ServiceError {
    let code = super::error::approval_code(&e);
    let message = match e {
        ApprovalError::NotSubmitted(_) if c.status != ContractStatus::Draft => {
            format!("{} {}，无需再确认。", c.number, c.status.label())
        }
        ApprovalError::NotSubmitted(_) => {
            format!("{} 的确认已被驳回，请销售员按意见修改付款计划后再确认。", c.number)
        }
        ApprovalError::StaleContent => "该合同已被修改，您看到的内容已过时，请刷新后重新确认。".into(),
        ApprovalError::NotYourStep(who) => format!("现在等待{who}确认。"),
        ApprovalError::OwnRevision => "不能确认自己起草的合同。".into(),
        ApprovalError::OwnCustomer => "不能确认自己负责的客户的合同。".into(),
        ApprovalError::SamePerson => "重大合同须由两位不同的人确认：您已确认过销售部负责人环节。".into(),
    };
    ServiceError::rule(code, message)
}

/// Builds a contract's ledger from what is recorded against it.
pub(super) fn ledger(
    c: Contract,
    deliveries: Vec<Delivery>,
    invoices: Vec<Invoice>,
    receipts: Vec<Receipt>,
    today: NaiveDate,
) -> ContractLedger {
    let schedule = &c.content.schedule;
    let amounts = installment_amounts(schedule, c.total);
    // Delivery-linked installments fall due when everything is delivered (not on a first
    // shipment), per shipment when pro rata, or from the acceptance date.
    let progress = delivery_progress(&c.content.lines, &deliveries);
    let parts = due_parts(schedule, &amounts, c.signed_on, &progress, c.accepted_on);
    let received: Money = receipts.iter().map(|r| r.amount).sum();
    let (installments, overpaid) = allocate(&parts, received, today);
    let overdue = installments.iter().filter(|i| i.overdue()).map(|i| i.outstanding).sum();
    let max_days_overdue = installments.iter().map(|i| i.days_overdue).max().unwrap_or(0);
    let invoiced = invoices.iter().map(|i| i.amount).sum();
    let outstanding = (c.total - received).max(Money::ZERO);
    ContractLedger {
        contract: c,
        progress,
        installments,
        deliveries,
        invoices,
        receipts,
        received,
        invoiced,
        outstanding,
        overdue,
        overpaid,
        max_days_overdue,
    }
}

fn contract_ledger(tx: &Tx<'_>, id: ContractId, today: NaiveDate) -> Result<ContractLedger, ServiceError> {
    let c = tx.contract(id)?;
    Ok(ledger(c, tx.deliveries(Some(id))?, tx.invoices(Some(id))?, tx.receipts(Some(id))?, today))
}

/// Every contract the reader may see, with its ledger.
pub(super) fn visible_ledgers(
    tx: &Tx<'_>,
    user: &UserAccount,
    today: NaiveDate,
) -> Result<Vec<ContractLedger>, ServiceError> {
    // Grouped by contract once: looking each contract's rows up in the whole lists was quadratic
    // (seconds with 20 000 contracts).
    fn by_contract<T>(rows: Vec<T>, key: impl Fn(&T) -> ContractId) -> HashMap<ContractId, Vec<T>> {
        let mut map: HashMap<ContractId, Vec<T>> = HashMap::new();
        for r in rows {
            map.entry(key(&r)).or_default().push(r);
        }
        map
    }
    let mut deliveries = by_contract(tx.deliveries(None)?, |d: &Delivery| d.contract);
    let mut invoices = by_contract(tx.invoices(None)?, |i: &Invoice| i.contract);
    let mut receipts = by_contract(tx.receipts(None)?, |r: &Receipt| r.contract);
    let mut out = Vec::new();
    for c in tx.contracts()? {
        if !may_see_contract(user, &c) {
            continue;
        }
        let id = c.id;
        let (d, i, r) = (
            deliveries.remove(&id).unwrap_or_default(),
            invoices.remove(&id).unwrap_or_default(),
            receipts.remove(&id).unwrap_or_default(),
        );
        out.push(ledger(c, d, i, r, today));
    }
    Ok(out)
}

fn lines_left(l: &ContractLedger) -> Vec<(String, Quantity)> {
    l.contract
        .content
        .lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let sent: rust_decimal::Decimal = l
                .deliveries
                .iter()
                .flat_map(|d| d.lines.iter())
                .filter(|d| d.line == i)
                .map(|d| d.quantity.as_decimal())
                .sum();
            let left = (line.quantity.as_decimal() - sent).max(rust_decimal::Decimal::ZERO);
            (line.name.clone(), Quantity::new(left).unwrap_or_default())
        })
        .collect()
}

fn view(tx: &Tx<'_>, user: &UserAccount, id: ContractId, today: NaiveDate) -> Result<ContractView, ServiceError> {
    let ledger = contract_ledger(tx, id, today)?;
    let c = &ledger.contract;
    let current = c.current_approvals();
    let other_head = other_head_exists(tx, c.author, c.customer_owner, c.salesperson)?;
    let state = confirm_state(c, &current, other_head);
    let next_step = state.next_step().map(|s| (s, state.role_for(s)));
    let may_confirm = user.roles.allows(Permission::Approve)
        && state.check(user.id, &user.roles, &c.content_hash).is_ok()
        && user.id != c.salesperson
        && c.current_owner != Some(user.id);
    let refused = current.iter().rev().find(|a| !a.approved).cloned();
    let may_manage = is_contract_salesperson(user, c);
    let may_sign = c.status == ContractStatus::Confirmed && (may_manage || user.roles.contains(Role::Head));
    let may_hand_in = user.roles.allows(Permission::ReceiveHandIn);
    let lines_left = lines_left(&ledger);
    let issued = tx.issued_for_contract(id)?;
    Ok(ContractView { ledger, next_step, refused, lines_left, may_manage, may_confirm, may_sign, may_hand_in, issued })
}

fn readable(tx: &Tx<'_>, actor: &Actor, id: ContractId) -> Result<(UserAccount, Contract), ServiceError> {
    let user = current_user(tx, actor)?;
    let c = tx.contract(id)?;
    if !may_see_contract(&user, &c) {
        return Err(ServiceError::Denied("您只能查看自己的合同"));
    }
    Ok((user, c))
}

/// The contract's salesperson, for recording against it.
fn managing(tx: &Tx<'_>, actor: &Actor, id: ContractId) -> Result<(UserAccount, Contract), ServiceError> {
    let user = authorize(tx, actor, Permission::ManageContracts)?;
    let c = tx.contract(id)?;
    if !is_contract_salesperson(&user, &c) {
        return Err(ServiceError::Denied("只有该合同的销售员可以办理"));
    }
    Ok((user, c))
}

fn signed(c: &Contract, what: &str) -> Result<NaiveDate, ServiceError> {
    match (c.status, c.signed_on) {
        (ContractStatus::Signed, Some(d)) => Ok(d),
        _ => Err(ServiceError::rule(
            "contract.not_signed",
            format!("{} {}，签订后才能{what}。", c.number, c.status.label()),
        )),
    }
}

impl Service {
    /// Contracts the actor may see, newest first, each with its ledger.
    pub fn contracts(&mut self, actor: &Actor) -> Result<Vec<ContractLedger>, ServiceError> {
        let today = self.today();
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            visible_ledgers(tx, &user, today)
        })
    }

    /// The draft contracts waiting for this actor's confirmation now (for the count in the
    /// navigation and the 待我确认 filter).
    pub fn contracts_awaiting(&mut self, actor: &Actor) -> Result<Vec<ContractId>, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            if !user.roles.allows(Permission::Approve) {
                return Ok(Vec::new());
            }
            let mut out = Vec::new();
            for c in tx.contracts_in(ContractStatus::Draft)? {
                let current = c.current_approvals();
                let other_head = other_head_exists(tx, c.author, c.customer_owner, c.salesperson)?;
                if confirm_state(&c, &current, other_head).check(user.id, &user.roles, &c.content_hash).is_ok()
                    && user.id != c.salesperson
                    && c.current_owner != Some(user.id)
                {
                    out.push(c.id);
                }
            }
            Ok(out)
        })
    }

    pub fn contract(&mut self, actor: &Actor, id: ContractId) -> Result<ContractView, ServiceError> {
        let today = self.today();
        self.store.read_as(actor.login(), |tx| {
            let (user, _) = readable(tx, actor, id)?;
            view(tx, &user, id, today)
        })
    }

    /// The contract made from quote `quote`, if any (for the builder's 谈判与结果).
    pub fn contract_of_quote(&mut self, actor: &Actor, quote: QuoteId) -> Result<Option<ContractId>, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            Ok(tx.contract_for_quote(quote)?.filter(|c| may_see_contract(&user, c)).map(|c| c.id))
        })
    }

    /// Drafts the contract of a won quote (its salesperson): refused, listing what is missing,
    /// unless the quote is won and its latest revision approved with every change confirmed.
    /// Lines and terms are copied from that revision; the schedule starts from its terms.
    pub fn create_contract(&mut self, actor: &Actor, quote: QuoteId) -> Result<ContractView, ServiceError> {
        let (now, today) = (self.now(), self.today());
        self.store.write_as(actor.login(), |tx| {
            let (user, id) = insert_contract_for(tx, actor, now, today, quote)?;
            view(tx, &user, id, today)
        })
    }

    /// What the builder's 合同 button does: opens the contract made from the quote, or drafts it,
    /// in one transaction. `true`: it was drafted now.
    pub fn open_contract_for_quote(
        &mut self,
        actor: &Actor,
        quote: QuoteId,
    ) -> Result<(ContractView, bool), ServiceError> {
        let (now, today) = (self.now(), self.today());
        self.store.write_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            match tx.contract_for_quote(quote)? {
                Some(c) if may_see_contract(&user, &c) => Ok((view(tx, &user, c.id, today)?, false)),
                Some(_) => Err(ServiceError::Denied("您只能查看自己的合同")),
                None => {
                    let (user, id) = insert_contract_for(tx, actor, now, today, quote)?;
                    Ok((view(tx, &user, id, today)?, true))
                }
            }
        })
    }

    /// Changes a draft's payment schedule (its salesperson). Confirmations given for the old
    /// schedule no longer count.
    pub fn save_schedule(
        &mut self,
        actor: &Actor,
        id: ContractId,
        version: i64,
        schedule: Vec<Installment>,
    ) -> Result<ContractView, ServiceError> {
        let now = self.now();
        let today = self.today();
        self.store.write_as(actor.login(), |tx| {
            let (user, c) = managing(tx, actor, id)?;
            if c.status != ContractStatus::Draft {
                return Err(ServiceError::rule(
                    "contract.schedule_frozen",
                    format!("{} {}，付款计划不能再改。", c.number, c.status.label()),
                ));
            }
            let problems = schedule_problems(&schedule, c.total);
            if !problems.is_empty() {
                return Err(ServiceError::Invalid(problems));
            }
            let content = ContractContent { schedule, ..c.content.clone() };
            tx.update_contract_content(id, version, &content, now, &actor.audit_name())?;
            audit(
                tx,
                &actor.audit_name(),
                now,
                "contract.schedule",
                "contract",
                c.number,
                Some(&c.content.schedule),
                Some(&content.schedule),
            )?;
            view(tx, &user, id, today)
        })
    }

    /// The head's (and, when major, a leader's) confirmation of a draft contract, bound to the
    /// content seen; a refusal needs a reason and sends the draft back to its salesperson.
    pub fn confirm_contract(
        &mut self,
        actor: &Actor,
        id: ContractId,
        seen_hash: &str,
        approve: bool,
        comment: &str,
    ) -> Result<ContractView, ServiceError> {
        let now = self.now();
        let today = self.today();
        self.store.write_as(actor.login(), |tx| {
            let user = authorize(tx, actor, Permission::Approve)?;
            let c = tx.contract(id)?;
            let current = c.current_approvals();
            let other_head = other_head_exists(tx, c.author, c.customer_owner, c.salesperson)?;
            let state = confirm_state(&c, &current, other_head);
            let step = state.check(user.id, &user.roles, seen_hash).map_err(|e| confirm_error(e, &c))?;
            if user.id == c.salesperson || c.current_owner == Some(user.id) {
                return Err(confirm_error(ApprovalError::OwnCustomer, &c));
            }
            if !approve && comment.trim().is_empty() {
                return Err(ServiceError::invalid("comment", "驳回请写明原因，销售员据此修改"));
            }
            let approval = Approval {
                step,
                by: user.id,
                by_name: user.display_name.clone(),
                at: now,
                approved: approve,
                comment: comment.trim().to_string(),
                content_hash: c.content_hash.clone(),
            };
            let mut all = current.clone();
            all.push(approval.clone());
            let status = match state.status_after(&all) {
                RevisionStatus::Approved => ContractStatus::Confirmed,
                _ => ContractStatus::Draft,
            };
            tx.insert_contract_approval(id, c.version, &approval, status, &actor.audit_name())?;
            let detail = serde_json::json!({
                "step": step.code(), "approved": approve, "comment": approval.comment, "status": status.code(),
                "total": c.total,
            });
            let action = if approve { "contract.confirm" } else { "contract.reject" };
            audit::<(), _>(tx, &actor.audit_name(), now, action, "contract", c.number, None, Some(&detail))?;
            view(tx, &user, id, today)
        })
    }

    /// Signs a confirmed contract on `date` (its salesperson or a head).
    pub fn sign_contract(
        &mut self,
        actor: &Actor,
        id: ContractId,
        version: i64,
        date: Option<NaiveDate>,
    ) -> Result<ContractView, ServiceError> {
        let now = self.now();
        let today = self.today();
        self.store.write_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let c = tx.contract(id)?;
            if !is_contract_salesperson(&user, &c) && !user.roles.contains(Role::Head) {
                return Err(ServiceError::Denied("只有该合同的销售员或销售部负责人可以登记签订"));
            }
            if c.status != ContractStatus::Confirmed {
                return Err(match c.status {
                    ContractStatus::Draft => {
                        ServiceError::rule("contract.not_confirmed", format!("{} 尚未确认，确认后才能签订。", c.number))
                    }
                    _ => ServiceError::rule(
                        "contract.already_signed",
                        format!("{} 已于 {} 签订。", c.number, c.signed_on.map(|d| d.to_string()).unwrap_or_default()),
                    ),
                });
            }
            let created = c.created_at.with_timezone(&Local).date_naive();
            let problems = signing_problems(date, today, created);
            let Some(date) = date.filter(|_| problems.is_empty()) else {
                return Err(ServiceError::Invalid(problems));
            };
            tx.set_contract_status(id, version, ContractStatus::Signed, Some(date), now, &actor.audit_name())?;
            let detail = serde_json::json!({ "signed_on": date, "total": c.total });
            audit::<(), _>(tx, &actor.audit_name(), now, "contract.sign", "contract", c.number, None, Some(&detail))?;
            view(tx, &user, id, today)
        })
    }

    /// Records a delivery (发货) against a signed contract (its salesperson). The last delivery
    /// sets the due dates of the delivery-linked installments.
    pub fn record_delivery(
        &mut self,
        actor: &Actor,
        id: ContractId,
        draft: DeliveryDraft,
    ) -> Result<ContractView, ServiceError> {
        let now = self.now();
        let today = self.today();
        self.store.write_as(actor.login(), |tx| {
            let (user, c) = managing(tx, actor, id)?;
            let signed_on = signed(&c, "登记发货")?;
            let l = contract_ledger(tx, id, today)?;
            let left = lines_left(&l);
            let problems = draft.problems(today, Some(signed_on), &left);
            let Some(date) = draft.date.filter(|_| problems.is_empty()) else {
                return Err(ServiceError::Invalid(problems));
            };
            let d = Delivery {
                id: 0,
                contract: id,
                date,
                lines: draft.lines.into_iter().filter(|l| !l.quantity.is_zero()).collect(),
                note: draft.note.trim().to_string(),
                by: user.id,
                by_name: user.display_name.clone(),
                at: now,
            };
            tx.insert_delivery(&d)?;
            audit::<(), _>(tx, &actor.audit_name(), now, "contract.delivery", "contract", c.number, None, Some(&d))?;
            view(tx, &user, id, today)
        })
    }

    /// Records the 验收日期 of a signed contract (its salesperson), or corrects it, or with `None`
    /// takes it back (a typo); installments counted from acceptance fall due from it. Audited with
    /// the date it replaced.
    pub fn record_acceptance(
        &mut self,
        actor: &Actor,
        id: ContractId,
        version: i64,
        accepted_on: Option<NaiveDate>,
    ) -> Result<ContractView, ServiceError> {
        let now = self.now();
        let today = self.today();
        self.store.write_as(actor.login(), |tx| {
            let (user, c) = managing(tx, actor, id)?;
            signed(&c, "登记验收")?;
            if accepted_on.is_some() {
                let first = tx.deliveries(Some(id))?.iter().map(|d| d.date).min();
                let problems = crate::domain::contract::acceptance_problems(accepted_on, today, first);
                if !problems.is_empty() {
                    return Err(ServiceError::Invalid(problems));
                }
            } else if c.accepted_on.is_none() {
                return view(tx, &user, id, today);
            }
            tx.set_contract_acceptance(id, version, accepted_on, now, &actor.audit_name())?;
            let detail = serde_json::json!({ "accepted_on": accepted_on, "was": c.accepted_on });
            audit::<(), _>(
                tx,
                &actor.audit_name(),
                now,
                "contract.acceptance",
                "contract",
                c.number,
                None,
                Some(&detail),
            )?;
            view(tx, &user, id, today)
        })
    }

    /// Records an invoice (开票) against a signed contract (its salesperson); the invoices never
    /// add up to more than the contract, a number is used once.
    pub fn record_invoice(
        &mut self,
        actor: &Actor,
        id: ContractId,
        draft: InvoiceDraft,
    ) -> Result<ContractView, ServiceError> {
        let now = self.now();
        let today = self.today();
        self.store.write_as(actor.login(), |tx| {
            let (user, c) = managing(tx, actor, id)?;
            signed(&c, "登记开票")?;
            let invoiced: Money = tx.invoices(Some(id))?.iter().map(|i| i.amount).sum();
            // The tax, unless typed (an invoice that differs), from the rates on the contract's lines.
            let mut draft = draft;
            if draft.tax.is_none()
                && let Some(amount) = draft.amount
            {
                draft.tax = Some(crate::domain::money::invoice_tax(amount, &c.content.totals().by_rate));
            }
            let problems = draft.problems(today, c.total, invoiced);
            let (Some(date), Some(amount), Some(tax), true) =
                (draft.date, draft.amount, draft.tax, problems.is_empty())
            else {
                return Err(ServiceError::Invalid(problems));
            };
            let i = Invoice {
                id: 0,
                contract: id,
                number: draft.number.trim().to_string(),
                date,
                amount,
                tax,
                by: user.id,
                by_name: user.display_name.clone(),
                at: now,
            };
            tx.insert_invoice(&i)?;
            audit::<(), _>(tx, &actor.audit_name(), now, "contract.invoice", "contract", c.number, None, Some(&i))?;
            view(tx, &user, id, today)
        })
    }

    /// Records a receipt (回款) against a signed contract (its salesperson). It never exceeds
    /// what the contract still owes unless flagged as an overpayment with a reason; money the
    /// salesperson collected in the field waits to be handed in.
    pub fn record_receipt(
        &mut self,
        actor: &Actor,
        id: ContractId,
        draft: ReceiptDraft,
    ) -> Result<ContractView, ServiceError> {
        let now = self.now();
        let today = self.today();
        self.store.write_as(actor.login(), |tx| {
            let (user, c) = managing(tx, actor, id)?;
            let signed_on = signed(&c, "登记回款")?;
            let received: Money = tx.receipts(Some(id))?.iter().map(|r| r.amount).sum();
            let owed = (c.total - received).max(Money::ZERO);
            let problems = draft.problems(today, Some(signed_on), owed);
            let (Some(date), Some(amount), true) = (draft.date, draft.amount, problems.is_empty()) else {
                return Err(ServiceError::Invalid(problems));
            };
            let r = Receipt {
                id: 0,
                contract: id,
                date,
                amount,
                method: draft.method,
                note: draft.note.trim().to_string(),
                collected_by_salesperson: draft.collected_by_salesperson,
                overpayment: draft.overpayment && amount > owed,
                handed_in_on: None,
                handed_in_by: String::new(),
                by: user.id,
                by_name: user.display_name.clone(),
                at: now,
                version: 1,
                updated_at: String::new(),
                updated_by: actor.audit_name(),
            };
            tx.insert_receipt(&r)?;
            let detail = serde_json::json!({
                "date": r.date, "amount": r.amount, "method": r.method.label(), "note": r.note,
                "collected_by_salesperson": r.collected_by_salesperson, "overpayment": r.overpayment,
                "owed_before": owed,
            });
            audit::<(), _>(
                tx,
                &actor.audit_name(),
                now,
                "contract.receipt",
                "contract",
                c.number,
                None,
                Some(&detail),
            )?;
            view(tx, &user, id, today)
        })
    }

    /// Confirms that money a salesperson collected in the field reached the company (上交), on
    /// `date` — by the assistant or the head, never by the one who collected it.
    pub fn hand_in_receipt(
        &mut self,
        actor: &Actor,
        receipt: i64,
        version: i64,
        date: Option<NaiveDate>,
    ) -> Result<ContractView, ServiceError> {
        let now = self.now();
        let today = self.today();
        self.store.write_as(actor.login(), |tx| {
            let user = authorize(tx, actor, Permission::ReceiveHandIn)?;
            let r = tx.receipt(receipt)?;
            let c = tx.contract(r.contract)?;
            if !r.collected_by_salesperson {
                return Err(ServiceError::rule("receipt.paid_to_company", "这笔回款直接付给公司，无需上交。"));
            }
            if let Some(on) = r.handed_in_on {
                return Err(ServiceError::rule(
                    "receipt.already_handed_in",
                    format!("这笔回款已于 {on} 上交（{}确认）。", r.handed_in_by),
                ));
            }
            if r.by == user.id {
                return Err(ServiceError::Denied("收款人不能自己确认上交，请由销售内勤或销售部负责人确认"));
            }
            let problems = hand_in_problems(date, r.date, today);
            let Some(date) = date.filter(|_| problems.is_empty()) else {
                return Err(ServiceError::Invalid(problems));
            };
            tx.set_handed_in(receipt, version, date, &user.display_name, now, &actor.audit_name())?;
            let detail = serde_json::json!({
                "receipt": receipt, "received_on": r.date, "amount": r.amount, "collected_by": r.by_name,
                "handed_in_on": date, "days": (date - r.date).num_days(),
            });
            audit::<(), _>(
                tx,
                &actor.audit_name(),
                now,
                "receipt.handed_in",
                "contract",
                c.number,
                None,
                Some(&detail),
            )?;
            view(tx, &user, c.id, today)
        })
    }
}

/// Drafts the contract of a won quote (see [`Service::create_contract`]): the drafter and the id.
fn insert_contract_for(
    tx: &Tx<'_>,
    actor: &Actor,
    now: chrono::DateTime<chrono::Utc>,
    today: NaiveDate,
    quote: QuoteId,
) -> Result<(UserAccount, ContractId), ServiceError> {
    let user = authorize(tx, actor, Permission::ManageContracts)?;
    let q = tx.quote(quote)?;
    if q.author != user.id && q.customer_owner != Some(user.id) {
        return Err(ServiceError::Denied("只有该报价的编制人或客户负责人可以起草合同"));
    }
    if let Some(c) = tx.contract_for_quote(quote)? {
        return Err(ServiceError::rule(
            "contract.exists",
            format!("{} 已有合同 {}，一份报价只签一份合同。", q.number, c.number),
        ));
    }
    let source = match super::negotiations::contract_source(tx, quote)? {
        Ok(s) => s,
        Err(missing) => {
            return Err(ServiceError::rule("contract.not_ready", format!("还不能起草合同：{}。", missing.join("；"))));
        }
    };
    let mut lines = source.revision.content.lines.clone();
    for l in &mut lines {
        l.floor_price = None;
    }
    let terms = source.revision.content.terms.clone();
    let content = ContractContent { lines, schedule: default_schedule(&terms), terms };
    let total = content.totals().total;
    let policy: Versioned<ApprovalPolicy> = tx.setting("approval_policy")?;
    let reasons: Vec<String> = policy.value.contract_reasons(total).iter().map(|r| r.to_string()).collect();
    let number = DocNumber {
        kind: DocKind::Contract,
        year: today.year(),
        seq: tx.next_in_sequence(&DocKind::Contract.sequence_name(today.year()))?,
    };
    let new = NewContract {
        number,
        quote,
        revision: source.revision.id,
        customer: q.customer,
        customer_name: &q.customer_name,
        salesperson: user.id,
        salesperson_name: &user.display_name,
        customer_owner: q.customer_owner,
        author: user.id,
        author_name: &user.display_name,
        subject: &q.subject,
        content: &content,
        major_reasons: &reasons,
    };
    let id = tx.insert_contract(&new, now, &actor.audit_name())?;
    let c = tx.contract(id)?;
    let detail = serde_json::json!({
        "quote": q.number.revision_label(source.revision.revision), "customer": c.customer_name,
        "total": c.total, "major": reasons, "schedule": c.content.schedule,
    });
    audit::<(), _>(tx, &actor.audit_name(), now, "contract.create", "contract", c.number, None, Some(&detail))?;
    Ok((user, id))
}
