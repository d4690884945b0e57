//! The 业绩库 (supply references): the head lists signed contracts as references — what the
//! 业绩表 prints is taken from the contract and the head may reword it — and withdraws them.
//! Every bid author and approver may read the list (not the contracts behind it): a salesperson
//! picks references for a bid from contracts of customers they never see.

use super::{Actor, Service, ServiceError, audit, authorize, current_user};
use crate::domain::contract::ContractStatus;
use crate::domain::ids::{ContractId, ReferenceId};
use crate::domain::reference::{Reference, ReferenceDraft};
use crate::domain::role::Permission;
use crate::store::Tx;

/// What a contract's 业绩 row says, before the head rewords it.
fn draft_from_contract(tx: &Tx<'_>, id: ContractId) -> Result<ReferenceDraft, ServiceError> {
    let c = tx.contract(id)?;
    if c.status != ContractStatus::Signed {
        return Err(ServiceError::rule(
            "reference.not_signed",
            format!("合同 {} 尚未签订，只有已签订的合同可以列入业绩库。", c.number),
        ));
    }
    let q = tx.quote(c.quote)?;
    let project = match q.inquiry {
        Some(i) => {
            let t = tx.inquiry(i)?.draft.tender;
            if t.project.trim().is_empty() { c.subject.clone() } else { t.project }
        }
        None => c.subject.clone(),
    };
    // The main products: the biggest lines first, three at most.
    let mut lines: Vec<_> = c.content.lines.iter().collect();
    lines.sort_by_key(|l| std::cmp::Reverse(l.amount()));
    let mut products: Vec<String> =
        lines.iter().take(3).map(|l| format!("{} {}{}", l.name, l.quantity, l.unit)).collect();
    if lines.len() > 3 {
        products.push(format!("等{}项", lines.len()));
    }
    let category = match lines.first().and_then(|l| l.product.zip(l.price_version)) {
        Some((p, v)) => tx.product_priced_in(p, v)?.map(|p| p.draft.category).unwrap_or_default(),
        None => String::new(),
    };
    let customer = tx.customer(c.customer)?;
    let contact = q
        .contact
        .and_then(|id| customer.draft.contacts.iter().find(|x| x.id == Some(id)))
        .or_else(|| customer.draft.contacts.first())
        .map(|x| {
            let phone = if x.mobile.is_empty() { &x.phone } else { &x.mobile };
            format!("{} {phone}", x.name).trim().to_string()
        })
        .unwrap_or_default();
    Ok(ReferenceDraft {
        customer_name: c.customer_name.clone(),
        project,
        products: products.join("、"),
        category,
        amount: c.total,
        signed_on: c.signed_on,
        contact,
    })
}

/// The draft trimmed, or every field that is wrong.
fn validated(draft: &mut ReferenceDraft) -> Result<(), ServiceError> {
    let errors = draft.validate();
    if errors.is_empty() { Ok(()) } else { Err(ServiceError::Invalid(errors)) }
}

impl Service {
    /// The 业绩库, in use first, newest signing first. Bid authors and approvers read it.
    pub fn references(&mut self, actor: &Actor) -> Result<Vec<Reference>, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let r = &user.roles;
            if !(r.allows(Permission::BuildQuote)
                || r.allows(Permission::Approve)
                || r.allows(Permission::IssueDocument))
            {
                return Err(ServiceError::Denied("只有编制投标、审批和用印发出的人员可以查看业绩库"));
            }
            Ok(tx.references()?)
        })
    }

    /// What listing contract `id` would put in the 业绩表 (the head checks and rewords it), and
    /// the entry already listed for it, if any.
    pub fn reference_draft(
        &mut self,
        actor: &Actor,
        id: ContractId,
    ) -> Result<(ReferenceDraft, Option<Reference>), ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            authorize(tx, actor, Permission::ManageReferences)?;
            Ok((draft_from_contract(tx, id)?, tx.reference_of_contract(id)?))
        })
    }

    /// Lists a signed contract in the 业绩库 (the head). Once per contract.
    pub fn add_reference(
        &mut self,
        actor: &Actor,
        contract: ContractId,
        mut draft: ReferenceDraft,
    ) -> Result<Reference, ServiceError> {
        validated(&mut draft)?;
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            authorize(tx, actor, Permission::ManageReferences)?;
            let from = draft_from_contract(tx, contract)?;
            if let Some(existing) = tx.reference_of_contract(contract)? {
                return Err(ServiceError::rule(
                    "reference.exists",
                    format!("合同 {} 已在业绩库中（{}）。", existing.contract_number, existing.draft.project),
                ));
            }
            // The amount and date are the contract's: a reference is evidence, not a claim.
            if draft.amount != from.amount || draft.signed_on != from.signed_on {
                return Err(ServiceError::rule(
                    "reference.not_the_contract",
                    format!(
                        "业绩的金额和签订日期须与合同一致（¥{}，{}）。",
                        from.amount,
                        from.signed_on.map(|d| d.to_string()).unwrap_or_default()
                    ),
                ));
            }
            let id = tx.insert_reference(contract, &draft, now, &actor.audit_name())?;
            let r = tx.reference(id)?;
            audit(
                tx,
                &actor.audit_name(),
                now,
                "reference.add",
                "reference",
                &r.contract_number,
                None::<&()>,
                Some(&draft),
            )?;
            Ok(r)
        })
    }

    /// Rewords an entry, or withdraws / restores it (the head); refused if someone saved it
    /// meanwhile. Bids that printed it keep it.
    pub fn update_reference(
        &mut self,
        actor: &Actor,
        id: ReferenceId,
        version: i64,
        mut draft: ReferenceDraft,
        active: bool,
    ) -> Result<Reference, ServiceError> {
        validated(&mut draft)?;
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            authorize(tx, actor, Permission::ManageReferences)?;
            let before = tx.reference(id)?;
            if draft.amount != before.draft.amount || draft.signed_on != before.draft.signed_on {
                return Err(ServiceError::rule(
                    "reference.not_the_contract",
                    "业绩的金额和签订日期须与合同一致，不能修改。",
                ));
            }
            tx.update_reference(id, version, &draft, active, now, &actor.audit_name())?;
            let after = tx.reference(id)?;
            let what = if before.active && !active { "reference.withdraw" } else { "reference.update" };
            audit(
                tx,
                &actor.audit_name(),
                now,
                what,
                "reference",
                &after.contract_number,
                Some(&before.draft),
                Some(&after.draft),
            )?;
            Ok(after)
        })
    }
}

/// The signing dates of a bid's references that are in use: what the tender's "近N年同类业绩"
/// counts (a withdrawn reference no longer does).
pub(super) fn counted_dates(references: &[Reference]) -> Vec<chrono::NaiveDate> {
    references.iter().filter(|r| r.active).filter_map(|r| r.draft.signed_on).collect()
}
