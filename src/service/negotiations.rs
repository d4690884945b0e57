//! After issue — procedure (3) 商务谈判与签订合同: the salesperson negotiates and logs each round
//! (A, B); any technical or commercial term that deviates from what was issued is confirmed again
//! by the head or company leadership (C); only when everything is confirmed may a contract be
//! signed (D). Also the outcome (won, lost, expired at the end of validity).
//!
//! **Re-confirmation (decision).** DESIGN §3 says each `RevisionChange` "must be confirmed" and
//! issue 9 that the approver "confirms each change or rejects". So a revision made after issue is
//! approved through [`Service::decide_changes`]: the approver answers every change of its change
//! table (computed against the last issued revision) — confirmed or refused — at their approval
//! step (head; leader too when major, DESIGN §3 incl. "any unit price moves by more than 5%").
//! Each answer is stored with the change as the approver saw it and the content hash it was
//! given for; all confirmed means the step approves, any refusal rejects the revision with the
//! approver's reason. The plain approval (`decide_revision`) refuses to approve such a revision,
//! so no change goes out unconfirmed, and [`Service::contract_readiness`] reads the stored
//! confirmations, not the revision status alone.

use chrono::{Local, NaiveDate};

use super::quotes::{approval_state, audit_revision, may_see};
use super::{Actor, Service, ServiceError, audit, authorize, current_user};
use crate::domain::changes::{
    ChangeConfirmation, ChangeDecision, ChangeSet, RevisionChange, changes_with_names, check_decisions, unconfirmed,
};
use crate::domain::ids::{QuoteId, RevisionId};
use crate::domain::negotiation::{
    DealOutcome, NegotiationRound, OutcomeDraft, OutcomeKind, RoundDraft, is_expired, valid_until,
};
use crate::domain::quote::{Approval, ApprovalStep, Quote, QuoteStatus, Revision, RevisionStatus};
use crate::domain::role::{Permission, Role};
use crate::store::{NewRound, Tx};

use super::QuoteView;
use crate::domain::user::UserAccount;

/// Who the audit log names for what the program does by itself.
const SYSTEM: &str = "系统（有效期届满）";

/// One revision made after issue and its change table against the last issued revision.
#[derive(Debug, Clone)]
pub struct RevisionChanges {
    pub revision: RevisionId,
    pub number: u32,
    /// The issued revision it is compared with.
    pub base: u32,
    pub set: ChangeSet,
    /// Every approver's answer to each change, head step first.
    pub confirmations: Vec<ChangeConfirmation>,
}

impl RevisionChanges {
    /// The answer given to `key` at `step`, if any.
    pub fn answer(&self, key: &str, step: ApprovalStep) -> Option<&ChangeConfirmation> {
        self.confirmations.iter().find(|c| c.step == step && c.change.key == key)
    }
}

/// What a contract is made from (for the contracts use cases): the won quote or bid, its latest
/// revision (approved), the outcome and the confirmed changes against the last issued revision.
#[derive(Debug, Clone)]
pub struct ContractSource {
    pub quote: Quote,
    pub revision: Revision,
    pub outcome: DealOutcome,
    /// The last issued revision before (or equal to) `revision`.
    pub issued_revision: u32,
    /// The changes of `revision` against it, each confirmed at every step it needed.
    pub changes: Vec<RevisionChange>,
}

/// After issue, as the builder shows it.
#[derive(Debug, Clone)]
pub struct NegotiationView {
    pub quote: QuoteId,
    pub status: QuoteStatus,
    /// First first.
    pub rounds: Vec<NegotiationRound>,
    pub outcome: Option<DealOutcome>,
    /// The last issued revision and the day it first went out.
    pub issued: Option<(u32, NaiveDate)>,
    /// Its last valid day.
    pub valid_until: Option<NaiveDate>,
    /// Every revision made after the first issue, with its change table.
    pub changes: Vec<RevisionChanges>,
    /// Whether this reader may log rounds (the quote's salesperson) — for showing the form only.
    pub may_negotiate: bool,
    /// Whether this reader may record won or lost (the salesperson or a head).
    pub may_record_outcome: bool,
    /// Once won: what a contract would be made from, or what is missing.
    pub contract: Option<Result<ContractSource, Vec<String>>>,
}

impl NegotiationView {
    pub fn changes_of(&self, revision: RevisionId) -> Option<&RevisionChanges> {
        self.changes.iter().find(|c| c.revision == revision)
    }
}

/// The salesperson of the quote: a salesperson who wrote it or owns the customer.
fn may_negotiate(user: &UserAccount, q: &Quote) -> bool {
    user.roles.allows(Permission::ManageContracts) && (q.author == user.id || q.customer_owner == Some(user.id))
}

fn may_record_outcome(user: &UserAccount, q: &Quote) -> bool {
    may_negotiate(user, q) || user.roles.contains(Role::Head)
}

/// The last revision numbered below `before` that was issued, with the local day it first went
/// out (a reprint does not renew anything).
pub(super) fn issued_base<'a>(
    tx: &Tx<'_>,
    revisions: &'a [Revision],
    before: u32,
) -> Result<Option<(&'a Revision, NaiveDate)>, ServiceError> {
    for r in revisions.iter().rev().filter(|r| r.revision < before) {
        if let Some(first) = tx.issued_for_revision(r.id)?.first() {
            return Ok(Some((r, first.issued_at.with_timezone(&Local).date_naive())));
        }
    }
    Ok(None)
}

/// The change table of `r` against the last issued revision before it (None: nothing was issued
/// before it). Certificates are named from the library.
pub(super) fn change_set(
    tx: &Tx<'_>,
    revisions: &[Revision],
    r: &Revision,
) -> Result<Option<(u32, ChangeSet)>, ServiceError> {
    let Some((base, _)) = issued_base(tx, revisions, r.revision)? else { return Ok(None) };
    let library = if base.content.certificates.is_empty() && r.content.certificates.is_empty() {
        Vec::new()
    } else {
        tx.certificates()?
    };
    let name = |id| {
        library
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.draft.name.clone())
            .unwrap_or_else(|| format!("资质证书 #{}", id.0))
    };
    Ok(Some((base.revision, changes_with_names(&base.content, &r.content, &name))))
}

/// The steps a revision's changes must be confirmed at.
fn steps(r: &Revision) -> &'static [ApprovalStep] {
    if r.major { &[ApprovalStep::Head, ApprovalStep::Leader] } else { &[ApprovalStep::Head] }
}

/// Whether a contract may be made from quote `id` now, and from what; else every reason not.
pub(crate) fn contract_source(tx: &Tx<'_>, id: QuoteId) -> Result<Result<ContractSource, Vec<String>>, ServiceError> {
    let q = tx.quote(id)?;
    let mut missing = Vec::new();
    let outcome = tx.outcome(id)?;
    match &outcome {
        Some(o) if o.kind == OutcomeKind::Won => {}
        Some(o) => {
            missing.push(format!("{} {}，只有中标/成交的{}才能签订合同", q.number, o.kind.label(), q.kind.label()))
        }
        None => missing.push(format!("{} 尚未登记中标/成交", q.number)),
    }
    let revisions = tx.revisions(id)?;
    let Some(latest) = revisions.last() else {
        missing.push(format!("{} 没有任何版本", q.number));
        return Ok(Err(missing));
    };
    let label = q.number.revision_label(latest.revision);
    if latest.status != RevisionStatus::Approved {
        missing.push(format!("最新版本 {label} {}，须审批通过（变更须逐项确认）", latest.status.label()));
    }
    let mut changes = Vec::new();
    let issued = issued_base(tx, &revisions, latest.revision + 1)?.map(|(r, _)| r.revision);
    match (issued, change_set(tx, &revisions, latest)?) {
        (None, _) => missing.push(format!("{} 尚未用印发出", q.number)),
        (Some(_), Some((base, set))) => {
            let confirmations = tx.change_confirmations(latest.id)?;
            for step in steps(latest) {
                for c in unconfirmed(&set.changes, &confirmations, *step, &latest.content_hash) {
                    missing.push(format!("{label} 相对 V{base} 的变更未经{}确认：{}", step.label(), c.sentence()));
                }
            }
            changes = set.changes;
        }
        (Some(_), None) => {}
    }
    match (outcome, issued) {
        (Some(outcome), Some(issued_revision)) if missing.is_empty() => {
            Ok(Ok(ContractSource { quote: q, revision: latest.clone(), outcome, issued_revision, changes }))
        }
        _ => Ok(Err(missing)),
    }
}

pub(super) fn view(tx: &Tx<'_>, user: &UserAccount, q: &Quote) -> Result<NegotiationView, ServiceError> {
    let revisions = tx.revisions(q.id)?;
    let issued = issued_base(tx, &revisions, u32::MAX)?;
    let mut changes = Vec::new();
    for r in &revisions {
        if let Some((base, set)) = change_set(tx, &revisions, r)? {
            let confirmations = tx.change_confirmations(r.id)?;
            changes.push(RevisionChanges { revision: r.id, number: r.revision, base, set, confirmations });
        }
    }
    let contract = if q.status == QuoteStatus::Won { Some(contract_source(tx, q.id)?) } else { None };
    Ok(NegotiationView {
        quote: q.id,
        status: q.status,
        rounds: tx.rounds(q.id)?,
        outcome: tx.outcome(q.id)?,
        issued: issued.map(|(r, d)| (r.revision, d)),
        valid_until: issued.map(|(r, d)| valid_until(d, r.content.terms.validity_days)),
        changes,
        may_negotiate: may_negotiate(user, q),
        may_record_outcome: may_record_outcome(user, q),
        contract,
    })
}

/// Refuses anything after issue on a quote that is not out with the customer.
fn after_issue(q: &Quote, what: &str) -> Result<(), ServiceError> {
    match q.status {
        QuoteStatus::Issued | QuoteStatus::Negotiating => Ok(()),
        QuoteStatus::Open => {
            Err(ServiceError::rule("quote.not_issued", format!("{} 尚未用印发出，发出后才能{what}。", q.number)))
        }
        done => Err(ServiceError::rule("quote.closed", format!("{} 已{}，不能再{what}。", q.number, done.label()))),
    }
}

impl Service {
    /// Rounds, outcome, validity and change tables of a quote the actor may see.
    pub fn negotiation(&mut self, actor: &Actor, id: QuoteId) -> Result<NegotiationView, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let q = tx.quote(id)?;
            if !may_see(&user, &q) {
                return Err(ServiceError::Denied("您只能查看自己编制的或自己客户的报价"));
            }
            view(tx, &user, &q)
        })
    }

    /// Logs one negotiation round (the quote's salesperson, after issue). The first round moves
    /// the quote from issued to negotiating.
    pub fn log_negotiation_round(
        &mut self,
        actor: &Actor,
        id: QuoteId,
        draft: RoundDraft,
    ) -> Result<NegotiationView, ServiceError> {
        let now = self.now();
        let today = self.today();
        self.store.write_as(actor.login(), |tx| {
            let user = authorize(tx, actor, Permission::ManageContracts)?;
            let q = tx.quote(id)?;
            if !may_negotiate(&user, &q) {
                return Err(ServiceError::Denied("只有该报价的编制人或客户负责人可以登记谈判"));
            }
            after_issue(&q, "登记谈判")?;
            let revisions = tx.revisions(id)?;
            let issued_on = issued_base(tx, &revisions, u32::MAX)?.map(|(_, d)| d);
            let problems = draft.problems(today, issued_on);
            let Some(date) = draft.date.filter(|_| problems.is_empty()) else {
                return Err(ServiceError::Invalid(problems));
            };
            let new = NewRound { quote: id, date, draft: &draft, by: user.id, by_name: &user.display_name };
            let round_id = tx.insert_round(&new, now)?;
            if q.status == QuoteStatus::Issued {
                tx.set_quote_status(id, q.version, QuoteStatus::Negotiating, now, &actor.audit_name())?;
            }
            let round = tx.rounds(id)?.into_iter().find(|r| r.id == round_id);
            audit::<(), _>(tx, &actor.audit_name(), now, "negotiation.round", "quote", q.number, None, Some(&round))?;
            let q = tx.quote(id)?;
            view(tx, &user, &q)
        })
    }

    /// Records won or lost (the quote's salesperson or a head), once.
    pub fn record_outcome(
        &mut self,
        actor: &Actor,
        id: QuoteId,
        draft: OutcomeDraft,
    ) -> Result<NegotiationView, ServiceError> {
        let now = self.now();
        let today = self.today();
        self.store.write_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let q = tx.quote(id)?;
            if !may_record_outcome(&user, &q) {
                return Err(ServiceError::Denied("只有该报价的销售员（编制人或客户负责人）或销售部负责人可以登记结果"));
            }
            if let Some(o) = tx.outcome(id)? {
                return Err(ServiceError::rule(
                    "outcome.recorded",
                    format!(
                        "{} 已于 {} 登记为{}（{}），结果只能登记一次。",
                        q.number,
                        o.date,
                        o.kind.label(),
                        o.by_name
                    ),
                ));
            }
            after_issue(&q, "登记结果")?;
            let revisions = tx.revisions(id)?;
            let Some((issued, issued_on)) = issued_base(tx, &revisions, u32::MAX)? else {
                return Err(ServiceError::rule("quote.not_issued", format!("{} 尚未用印发出。", q.number)));
            };
            let problems = draft.problems(today, Some(issued_on));
            let Some(date) = draft.date.filter(|_| problems.is_empty()) else {
                return Err(ServiceError::Invalid(problems));
            };
            let kind = if draft.won { OutcomeKind::Won } else { OutcomeKind::Lost };
            let outcome = DealOutcome {
                quote: id,
                kind,
                date,
                revision: issued.revision,
                reason: draft.reason.trim().to_string(),
                competitor: draft.competitor.trim().to_string(),
                competitor_price: draft.competitor_price,
                by: Some(user.id),
                by_name: user.display_name.clone(),
                at: now,
            };
            tx.insert_outcome(&outcome)?;
            let status = if draft.won { QuoteStatus::Won } else { QuoteStatus::Lost };
            tx.set_quote_status(id, q.version, status, now, &actor.audit_name())?;
            let action = if draft.won { "quote.won" } else { "quote.lost" };
            audit::<(), _>(tx, &actor.audit_name(), now, action, "quote", q.number, None, Some(&outcome))?;
            let q = tx.quote(id)?;
            view(tx, &user, &q)
        })
    }

    /// Marks every issued or negotiating quote whose validity (first issue of the last issued
    /// revision + its 报价有效期) has passed as expired, audited as the system. Run when a seat
    /// starts and on every periodic refresh; deterministic with the service clock. Returns the
    /// numbers expired.
    pub fn expire_quotes(&mut self) -> Result<Vec<String>, ServiceError> {
        let today = self.today();
        let due = |tx: &Tx<'_>| -> Result<Vec<(Quote, u32, NaiveDate)>, ServiceError> {
            let mut out = Vec::new();
            for q in tx.quotes_in(&[QuoteStatus::Issued, QuoteStatus::Negotiating])? {
                let revisions = tx.revisions(q.id)?;
                if let Some((r, on)) = issued_base(tx, &revisions, u32::MAX)? {
                    let until = valid_until(on, r.content.terms.validity_days);
                    if is_expired(until, today) {
                        out.push((q, r.revision, until));
                    }
                }
            }
            Ok(out)
        };
        if self.store.read(due)?.is_empty() {
            return Ok(Vec::new());
        }
        let now = self.now();
        self.store.write(|tx| {
            let mut expired = Vec::new();
            for (q, revision, until) in due(tx)? {
                let outcome = DealOutcome {
                    quote: q.id,
                    kind: OutcomeKind::Expired,
                    date: until + chrono::Duration::days(1),
                    revision,
                    reason: format!("报价有效期至 {until} 届满，未获客户确认"),
                    competitor: String::new(),
                    competitor_price: None,
                    by: None,
                    by_name: "系统".into(),
                    at: now,
                };
                tx.insert_outcome(&outcome)?;
                tx.set_quote_status(q.id, q.version, QuoteStatus::Expired, now, SYSTEM)?;
                audit::<(), _>(tx, SYSTEM, now, "quote.expired", "quote", q.number, None, Some(&outcome))?;
                expired.push(q.number.to_string());
            }
            Ok(expired)
        })
    }

    /// The head's or leader's answer to every change of a revision made after issue, at their
    /// approval step (see the module note): all confirmed approves the step, any refusal rejects
    /// the revision (a reason is then required).
    pub fn decide_changes(
        &mut self,
        actor: &Actor,
        revision: RevisionId,
        seen_hash: &str,
        decisions: &[ChangeDecision],
        comment: &str,
    ) -> Result<QuoteView, ServiceError> {
        let now = self.now();
        let quote = self.store.write_as(actor.login(), |tx| {
            let user = authorize(tx, actor, Permission::Approve)?;
            let r = tx.revision(revision)?;
            let q = tx.quote(r.quote)?;
            let state = approval_state(tx, &r, &q)?;
            let step = state.check(user.id, &user.roles, seen_hash).map_err(ServiceError::approval)?;
            let revisions = tx.revisions(q.id)?;
            let Some((base, set)) = change_set(tx, &revisions, &r)? else {
                return Err(ServiceError::rule(
                    "change.nothing_to_confirm",
                    format!(
                        "{} 之前没有发出过的版本，没有需要再次确认的变更；请直接批准或驳回。",
                        q.number.revision_label(r.revision)
                    ),
                ));
            };
            let all_confirmed = check_decisions(&set.changes, decisions).map_err(ServiceError::change_decisions)?;
            if !all_confirmed && comment.trim().is_empty() {
                return Err(ServiceError::invalid("comment", "有变更未予确认，请写明原因，编制人据此修改"));
            }
            let mut confirmed = Vec::new();
            let mut refused = Vec::new();
            for d in decisions {
                let Some(change) = set.changes.iter().find(|c| c.key == d.key) else { continue };
                tx.insert_change_confirmation(
                    r.id,
                    &ChangeConfirmation {
                        step,
                        change: change.clone(),
                        confirmed: d.confirmed,
                        by: user.id,
                        by_name: user.display_name.clone(),
                        at: now,
                        content_hash: r.content_hash.clone(),
                    },
                )?;
                (if d.confirmed { &mut confirmed } else { &mut refused }).push(change.sentence());
            }
            let approval = Approval {
                step,
                by: user.id,
                by_name: user.display_name.clone(),
                at: now,
                approved: all_confirmed,
                comment: comment.trim().to_string(),
                content_hash: r.content_hash.clone(),
            };
            let mut all = r.approvals.clone();
            all.push(approval.clone());
            let status = state.status_after(&all);
            tx.insert_approval(revision, r.version, &approval, status, &actor.audit_name())?;
            let detail = serde_json::json!({
                "step": step.code(), "base": base, "confirmed": confirmed, "refused": refused,
                "comment": approval.comment, "status": status.code(),
            });
            audit_revision(tx, actor, now, "quote.confirm_changes", &q, r.revision, &detail)?;
            Ok::<_, ServiceError>(q.id)
        })?;
        self.quote_view(actor, quote)
    }

    /// Whether a contract may be made from quote `id` now: won, its latest revision approved, and
    /// every change that revision makes against the last issued one confirmed at every step it
    /// needed. The inner `Err` lists each thing missing, one sentence each.
    pub fn contract_readiness(
        &mut self,
        actor: &Actor,
        id: QuoteId,
    ) -> Result<Result<ContractSource, Vec<String>>, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let q = tx.quote(id)?;
            if !may_see(&user, &q) {
                return Err(ServiceError::Denied("您只能查看自己编制的或自己客户的报价"));
            }
            contract_source(tx, id)
        })
    }
}
