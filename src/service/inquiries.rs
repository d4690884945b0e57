//! Inquiries and tenders (询价/招标): register (reported to the heads at once through their inbox),
//! edit while undecided, decide go / no-go (head; leader too when major), tender bond and
//! documents. Visibility: a salesperson sees what they registered and what concerns their own
//! customers; head, leader, assistant and admin see everything.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::{Actor, Service, ServiceError, audit, authorize, current_user};
use crate::domain::company::FieldError;
use crate::domain::docno::{DocKind, DocNumber};
use crate::domain::document::Attachment;
use crate::domain::ids::{AttachmentId, InquiryId, UserId};
use crate::domain::inquiry::{
    BondForm, BondWaiver, Decision, DecisionState, DecisionStep, Inquiry, InquiryDraft, InquiryKind, InquiryStatus,
    InquirySummary, status_of,
};
use crate::domain::policy::ApprovalPolicy;
use crate::domain::record::Versioned;
use crate::domain::role::{Permission, Role};
use crate::domain::user::UserAccount;
use crate::store::{NewInquiry, StoreError, Tx};

/// Tender documents larger than this are refused (a scanned tender book is rarely above 20 MB).
pub const MAX_DOCUMENT_BYTES: usize = 50 * 1024 * 1024;

/// The list's filters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InquiryFilter {
    pub query: String,
    pub kind: Option<InquiryKind>,
    pub status: Option<InquiryStatus>,
    /// Only those registered by this person.
    pub registered_by: Option<UserId>,
    /// Tenders whose deadline falls within this many days from now (and has not passed).
    pub deadline_within_days: Option<i64>,
}

pub(super) fn may_see_inquiry(user: &UserAccount, s: &InquirySummary) -> bool {
    user.roles.allows(Permission::ViewAllCustomers) || s.registered_by == user.id || s.customer_owner == Some(user.id)
}

pub(super) fn summary_of(i: &Inquiry, owner: Option<UserId>) -> InquirySummary {
    InquirySummary {
        id: i.id,
        number: i.number,
        kind: i.draft.kind,
        subject: i.draft.subject.clone(),
        customer: i.draft.customer,
        customer_name: if i.customer_name.is_empty() {
            i.draft.tender.purchaser.clone()
        } else {
            i.customer_name.clone()
        },
        customer_owner: owner,
        registered_by: i.registered_by,
        registered_by_name: i.registered_by_name.clone(),
        registered_at: i.registered_at,
        status: i.status,
        major: i.major,
        deadline: i.draft.tender.deadline,
        estimate: i.draft.estimate,
        decisions: i.decisions.clone(),
    }
}

/// Checks a draft; one message per bad field.
fn validate(d: &mut InquiryDraft, now: DateTime<Utc>, is_new: bool) -> Vec<FieldError> {
    let mut e = Vec::new();
    d.subject = d.subject.trim().to_string();
    d.notes = d.notes.trim().to_string();
    if d.subject.is_empty() {
        e.push(FieldError::new("subject", "请填写事由，例如“10kV配电工程设备询价”"));
    }
    if d.kind == InquiryKind::Inquiry && d.customer.is_none() {
        e.push(FieldError::new("customer", "请选择询价的客户（新客户请先建档）"));
    }
    d.lines.retain(|l| !l.description.trim().is_empty() || l.product.is_some());
    if d.estimate.is_some_and(|m| m.is_negative()) {
        e.push(FieldError::new("estimate", "预计金额不能为负数"));
    }
    if d.kind == InquiryKind::Tender {
        let t = &mut d.tender;
        for s in [&mut t.tender_no, &mut t.purchaser, &mut t.project, &mut t.lot] {
            *s = s.trim().to_string();
        }
        if t.purchaser.is_empty() && d.customer.is_none() {
            e.push(FieldError::new("purchaser", "请填写采购人，或选择客户"));
        }
        if t.project.is_empty() {
            e.push(FieldError::new("project", "请填写项目名称"));
        }
        match t.deadline {
            None => e.push(FieldError::new("deadline", "请填写投标截止时间")),
            Some(dl) if is_new && dl <= now => {
                e.push(FieldError::new("deadline", "投标截止时间已过，不能登记为新招标"))
            }
            _ => {}
        }
        if let (Some(dl), Some(op)) = (t.deadline, t.opening)
            && op < dl
        {
            e.push(FieldError::new("opening", "开标时间不应早于投标截止时间"));
        }
        if t.bond.is_some_and(|b| b.is_negative()) {
            e.push(FieldError::new("bond", "投标保证金不能为负数"));
        }
        if t.bond_returned && !t.bond_paid {
            e.push(FieldError::new("bond", "保证金尚未缴纳，不能登记为已退还"));
        }
        for c in &t.clauses {
            if let Some(problem) = c.typed.as_ref().and_then(|r| r.problem()) {
                e.push(FieldError::new("clauses", format!("条款 {}：{problem}", c.no)));
            }
        }
    } else {
        d.tender = Default::default();
    }
    e
}

/// Major per the admin's policy (DESIGN §3): flagged, or the estimate at or above the threshold.
fn major_of(tx: &Tx<'_>, d: &InquiryDraft) -> Result<(bool, Vec<String>), ServiceError> {
    let policy: Versioned<ApprovalPolicy> = tx.setting("approval_policy")?;
    let reasons: Vec<String> =
        policy.value.inquiry_reasons(d.flagged_major, d.estimate).iter().map(|r| r.to_string()).collect();
    Ok((!reasons.is_empty(), reasons))
}

/// The customer must be one the registrant may see (a salesperson cannot register against a
/// colleague's customer).
fn check_customer(tx: &Tx<'_>, user: &UserAccount, d: &InquiryDraft) -> Result<(), ServiceError> {
    let Some(id) = d.customer else { return Ok(()) };
    let c = tx.customer(id)?;
    let sees_all = user.roles.allows(Permission::ViewAllCustomers);
    if !sees_all && c.owner.is_some() && c.owner != Some(user.id) {
        return Err(ServiceError::Denied("该客户不是您负责的客户，不能以它登记询价；请联系销售部负责人"));
    }
    if let Some(contact) = d.contact
        && !c.draft.contacts.iter().any(|k| k.id == Some(contact))
    {
        return Err(ServiceError::invalid("contact", "联系人不属于所选客户"));
    }
    Ok(())
}

/// An inquiry with its attached documents (id, file name, size in bytes).
#[derive(Debug, Clone)]
pub struct InquiryDetail {
    pub inquiry: Inquiry,
    pub documents: Vec<(AttachmentId, String, i64)>,
}

/// One item waiting for the decider, with why it is major.
#[derive(Debug, Clone)]
pub struct InboxItem {
    pub summary: InquirySummary,
    pub major_reasons: Vec<String>,
}

/// The inquiry, if `user` may see it.
fn visible_inquiry(tx: &crate::store::Tx<'_>, user: &UserAccount, id: InquiryId) -> Result<Inquiry, ServiceError> {
    let i = tx.inquiry(id)?;
    let owner = match i.draft.customer {
        Some(c) => tx.customer(c)?.owner,
        None => None,
    };
    if !may_see_inquiry(user, &summary_of(&i, owner)) {
        return Err(ServiceError::Denied("您只能查看自己登记的或自己客户的询价"));
    }
    Ok(i)
}

/// Inquiry `id`, if the actor may record its bond: its registrant or the head.
fn bond_keepers_inquiry(tx: &Tx<'_>, actor: &Actor, id: InquiryId) -> Result<Inquiry, ServiceError> {
    let user = current_user(tx, actor)?;
    let i = tx.inquiry(id)?;
    if i.registered_by != user.id && !user.roles.contains(Role::Head) {
        return Err(ServiceError::Denied("只有登记人或销售部负责人可以登记保证金"));
    }
    Ok(i)
}

impl Service {
    /// Registers an inquiry or tender: numbered XJ-YYYY-NNNN, major per the policy, and waiting in
    /// the heads' inbox from this moment.
    pub fn register_inquiry(&mut self, actor: &Actor, draft: InquiryDraft) -> Result<Inquiry, ServiceError> {
        self.register(actor, draft, &[])
    }

    /// Registers and ties the prices given on the phone (`phone_answers`, from
    /// `answer_phone_prices`) to the new inquiry, in one transaction.
    pub(super) fn register(
        &mut self,
        actor: &Actor,
        mut draft: InquiryDraft,
        phone_answers: &[i64],
    ) -> Result<Inquiry, ServiceError> {
        // Who may, before what they typed: a refusal should not read like a typing mistake.
        self.store.read_as(actor.login(), |tx| authorize(tx, actor, Permission::RegisterInquiry))?;
        let now = self.now();
        let errors = validate(&mut draft, now, true);
        if !errors.is_empty() {
            return Err(ServiceError::Invalid(errors));
        }
        let year = self.today().year();
        let id = self.store.write_as(actor.login(), |tx| {
            let user = authorize(tx, actor, Permission::RegisterInquiry)?;
            check_customer(tx, &user, &draft)?;
            let (major, reasons) = major_of(tx, &draft)?;
            let seq = tx.next_in_sequence(&DocKind::Inquiry.sequence_name(year))?;
            let number = DocNumber { kind: DocKind::Inquiry, year, seq };
            let new =
                NewInquiry { number: &number, draft: &draft, major, major_reasons: &reasons, registered_by: user.id };
            let id = tx.insert_inquiry(&new, now, &actor.audit_name())?;
            tx.link_phone_answers(phone_answers, id)?;
            let action = if draft.kind == InquiryKind::Tender { "tender.register" } else { "inquiry.register" };
            audit::<(), _>(tx, &actor.audit_name(), now, action, "inquiry", number, None, Some(&draft))?;
            Ok::<_, ServiceError>(id)
        })?;
        self.inquiry(actor, id)
    }

    /// Edits an inquiry nobody has decided yet (the registrant or a head).
    pub fn update_inquiry(
        &mut self,
        actor: &Actor,
        id: InquiryId,
        version: i64,
        mut draft: InquiryDraft,
    ) -> Result<Inquiry, ServiceError> {
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let before = tx.inquiry(id)?;
            if before.registered_by != user.id && !user.roles.contains(Role::Head) {
                return Err(ServiceError::Denied("只有登记人或销售部负责人可以修改询价"));
            }
            if !before.decisions.is_empty() {
                return Err(ServiceError::rule("inquiry.frozen", "已有决定的询价不能再修改；如情况有变，请重新登记。"));
            }
            draft.kind = before.draft.kind;
            let errors = validate(&mut draft, now, false);
            if !errors.is_empty() {
                return Err(ServiceError::Invalid(errors));
            }
            check_customer(tx, &user, &draft)?;
            let (major, reasons) = major_of(tx, &draft)?;
            tx.update_inquiry(id, version, &draft, (major, &reasons), now, &actor.audit_name())?;
            audit(
                tx,
                &actor.audit_name(),
                now,
                "inquiry.update",
                "inquiry",
                before.number,
                Some(&before.draft),
                Some(&draft),
            )
            .map_err(ServiceError::from)
        })?;
        self.inquiry(actor, id)
    }

    /// Go or no-go. The head decides; a major one needs a leader's go after the head's, from a
    /// different person; a tender past its deadline can only be declined.
    pub fn decide_inquiry(
        &mut self,
        actor: &Actor,
        id: InquiryId,
        version: i64,
        go: bool,
        comment: &str,
    ) -> Result<Inquiry, ServiceError> {
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            let user = authorize(tx, actor, Permission::DecideGoNoGo)?;
            let i = tx.inquiry(id)?;
            // Decided on what they saw: if it moved meanwhile (edited, or decided by someone else),
            // say who moved it rather than judge the stale picture.
            if i.version != version {
                return Err(StoreError::Conflict { entity: "询价", by: i.updated_by, at: i.updated_at }.into());
            }
            let state =
                DecisionState { kind: i.draft.kind, major: i.major, decisions: &i.decisions, deadline: i.draft.tender.deadline };
            let step = state.check(user.id, &user.roles, go, now).map_err(ServiceError::decision)?;
            if !go && comment.trim().is_empty() {
                return Err(ServiceError::invalid("comment", "不参与时请写明原因"));
            }
            let decision =
                Decision { step, by: user.id, by_name: user.display_name.clone(), at: now, go, comment: comment.trim().into() };
            let mut all = i.decisions.clone();
            all.push(decision.clone());
            let status = status_of(i.major, &all);
            tx.insert_decision(id, version, &decision, status, &actor.audit_name())?;
            let detail = serde_json::json!({ "step": step.code(), "go": go, "comment": decision.comment, "status": status.code() });
            audit::<(), _>(tx, &actor.audit_name(), now, "inquiry.decide", "inquiry", i.number, None, Some(&detail))
                .map_err(ServiceError::from)
        })?;
        self.inquiry(actor, id)
    }

    /// One inquiry or tender, if the actor may see it.
    pub fn inquiry(&mut self, actor: &Actor, id: InquiryId) -> Result<Inquiry, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            visible_inquiry(tx, &user, id)
        })
    }

    /// One inquiry or tender with its attached documents, as its card shows it (one snapshot).
    pub fn inquiry_detail(&mut self, actor: &Actor, id: InquiryId) -> Result<InquiryDetail, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let inquiry = visible_inquiry(tx, &user, id)?;
            Ok(InquiryDetail { inquiry, documents: tx.inquiry_attachments(id)? })
        })
    }

    /// 待我决定 as the decider sees it: each waiting item with why it is major (one snapshot).
    pub fn decision_inbox(&mut self, actor: &Actor) -> Result<Vec<InboxItem>, ServiceError> {
        let waiting = self.inquiry_inbox(actor)?;
        self.store.read_as(actor.login(), |tx| {
            let mut items = Vec::with_capacity(waiting.len());
            for summary in waiting {
                let major_reasons = if summary.major { tx.inquiry(summary.id)?.major_reasons } else { Vec::new() };
                items.push(InboxItem { summary, major_reasons });
            }
            Ok(items)
        })
    }

    /// The lists of inquiries and tenders, newest first.
    pub fn inquiries(&mut self, actor: &Actor, f: &InquiryFilter) -> Result<Vec<InquirySummary>, ServiceError> {
        let now = self.now();
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let q = f.query.trim().to_lowercase();
            Ok(tx
                .inquiry_summaries()?
                .into_iter()
                .filter(|s| may_see_inquiry(&user, s))
                .filter(|s| f.kind.is_none_or(|k| s.kind == k))
                .filter(|s| f.status.is_none_or(|st| s.status == st))
                .filter(|s| f.registered_by.is_none_or(|u| s.registered_by == u))
                .filter(|s| {
                    f.deadline_within_days.is_none_or(|days| {
                        s.deadline.is_some_and(|d| d > now && d <= now + chrono::Duration::days(days))
                    })
                })
                .filter(|s| {
                    q.is_empty()
                        || s.number.to_string().to_lowercase().contains(&q)
                        || s.subject.to_lowercase().contains(&q)
                        || s.customer_name.to_lowercase().contains(&q)
                })
                .collect())
        })
    }

    /// What waits for this person's decision (审批箱): for a head, every undecided one; for a
    /// leader, the major ones the head let through — not those they decided themselves as head.
    pub fn inquiry_inbox(&mut self, actor: &Actor) -> Result<Vec<InquirySummary>, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            if !user.roles.allows(Permission::DecideGoNoGo) {
                return Ok(Vec::new());
            }
            Ok(tx
                .inquiry_summaries()?
                .into_iter()
                .filter(|s| match s.next_step() {
                    Some(DecisionStep::Head) => user.roles.contains(Role::Head),
                    Some(DecisionStep::Leader) => {
                        user.roles.contains(Role::Leader) && !s.decisions.iter().any(|d| d.by == user.id)
                    }
                    None => false,
                })
                .collect())
        })
    }

    /// Decisions on what this person registered, made after `since` (for the toast that tells the
    /// registrant).
    pub fn decisions_since(
        &mut self,
        actor: &Actor,
        since: DateTime<Utc>,
    ) -> Result<Vec<(InquirySummary, Decision)>, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let mut out = Vec::new();
            for s in tx.inquiry_summaries()?.into_iter().filter(|s| s.registered_by == user.id) {
                for d in s.decisions.iter().filter(|d| d.at > since && d.by != user.id) {
                    out.push((s.clone(), d.clone()));
                }
            }
            Ok(out)
        })
    }

    /// Records the tender bond as paid or returned.
    pub fn set_bond_status(
        &mut self,
        actor: &Actor,
        id: InquiryId,
        version: i64,
        paid: bool,
        returned: bool,
    ) -> Result<Inquiry, ServiceError> {
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            let i = bond_keepers_inquiry(tx, actor, id)?;
            if i.draft.kind != InquiryKind::Tender {
                return Err(ServiceError::rule("inquiry.not_tender", "只有招标才有投标保证金。"));
            }
            if returned && !paid {
                return Err(ServiceError::invalid("bond", "保证金尚未缴纳，不能登记为已退还"));
            }
            let mut d = i.draft.clone();
            d.tender.bond_paid = paid;
            d.tender.bond_returned = returned;
            tx.update_inquiry(id, version, &d, (i.major, &i.major_reasons), now, &actor.audit_name())?;
            let detail = serde_json::json!({ "paid": paid, "returned": returned });
            audit::<(), _>(tx, &actor.audit_name(), now, "tender.bond", "inquiry", i.number, None, Some(&detail))
                .map_err(ServiceError::from)
        })?;
        self.inquiry(actor, id)
    }

    /// Records how the tender bond was paid: the form (转账 / 保函), the date, and optionally the
    /// bank's receipt or the guarantee as a scan (kept with the inquiry's documents). Marks the
    /// bond paid. The registrant or the head.
    pub fn record_bond_payment(
        &mut self,
        actor: &Actor,
        id: InquiryId,
        version: i64,
        form: BondForm,
        paid_on: NaiveDate,
        receipt: Option<(&str, &[u8])>,
    ) -> Result<Inquiry, ServiceError> {
        if let Some((_, bytes)) = receipt
            && (bytes.is_empty() || bytes.len() > MAX_DOCUMENT_BYTES)
        {
            return Err(ServiceError::invalid("bond_receipt", "回单文件是空的或超过 50 MB"));
        }
        let now = self.now();
        let today = now.with_timezone(&chrono::Local).date_naive();
        if paid_on > today {
            return Err(ServiceError::invalid("bond_paid_on", "缴纳日期不能晚于今天；尚未缴纳的请缴纳后再登记"));
        }
        self.store.write_as(actor.login(), |tx| {
            let i = bond_keepers_inquiry(tx, actor, id)?;
            if i.draft.kind != InquiryKind::Tender || i.draft.tender.bond.is_none() {
                return Err(ServiceError::rule("inquiry.no_bond", "该询价没有要求投标保证金。"));
            }
            let mut version = version;
            if !i.draft.tender.bond_paid {
                let mut d = i.draft.clone();
                d.tender.bond_paid = true;
                tx.update_inquiry(id, version, &d, (i.major, &i.major_reasons), now, &actor.audit_name())?;
                version += 1;
            }
            let mut record = i.bond_record.clone();
            record.form = Some(form);
            record.paid_on = Some(paid_on);
            if let Some((name, bytes)) = receipt {
                let mime = if name.to_lowercase().ends_with(".pdf") { "application/pdf" } else { "image/*" };
                let att = tx.insert_attachment("bond_receipt", name, mime, bytes, now, &actor.audit_name())?;
                tx.attach_to_inquiry(id, att)?;
                record.receipt = Some(att);
            }
            tx.set_bond_record(id, version, &record, now, &actor.audit_name())?;
            audit(
                tx,
                &actor.audit_name(),
                now,
                "tender.bond_paid",
                "inquiry",
                i.number,
                Some(&i.bond_record),
                Some(&record),
            )
            .map_err(ServiceError::from)
        })?;
        self.inquiry(actor, id)
    }

    /// The head lets a bid go out while its bond is unpaid (`Some(reason)`), or takes that back
    /// (`None`). The reason is required, kept with the tender and audited.
    pub fn waive_bond(
        &mut self,
        actor: &Actor,
        id: InquiryId,
        version: i64,
        reason: Option<&str>,
    ) -> Result<Inquiry, ServiceError> {
        let reason = reason.map(str::trim);
        if reason.is_some_and(|r| r.chars().count() < 4) {
            return Err(ServiceError::invalid("bond_waiver", "请写明准许保证金未缴仍发出的理由（至少 4 个字）"));
        }
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            authorize(tx, actor, Permission::WaiveBond)?;
            let i = tx.inquiry(id)?;
            if i.draft.kind != InquiryKind::Tender || i.draft.tender.bond.is_none() {
                return Err(ServiceError::rule("inquiry.no_bond", "该询价没有要求投标保证金。"));
            }
            let mut record = i.bond_record.clone();
            record.waiver = reason.map(|r| BondWaiver { reason: r.to_string(), by: actor.audit_name(), at: now });
            tx.set_bond_record(id, version, &record, now, &actor.audit_name())?;
            audit(
                tx,
                &actor.audit_name(),
                now,
                "tender.bond_waiver",
                "inquiry",
                i.number,
                Some(&i.bond_record),
                Some(&record),
            )
            .map_err(ServiceError::from)
        })?;
        self.inquiry(actor, id)
    }

    /// Attaches a document (tender book, drawings, the customer's inquiry letter).
    pub fn attach_inquiry_document(
        &mut self,
        actor: &Actor,
        id: InquiryId,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<Vec<(AttachmentId, String, i64)>, ServiceError> {
        if bytes.is_empty() {
            return Err(ServiceError::invalid("file", "文件是空的"));
        }
        if bytes.len() > MAX_DOCUMENT_BYTES {
            return Err(ServiceError::invalid("file", "文件超过 50 MB，请压缩或拆分后再附上"));
        }
        self.inquiry(actor, id)?;
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            current_user(tx, actor)?;
            let i = tx.inquiry(id)?;
            let mime =
                if file_name.to_lowercase().ends_with(".pdf") { "application/pdf" } else { "application/octet-stream" };
            let att = tx.insert_attachment("inquiry_document", file_name, mime, bytes, now, &actor.audit_name())?;
            tx.attach_to_inquiry(id, att)?;
            let detail = serde_json::json!({ "file": file_name, "bytes": bytes.len(), "attachment": att });
            audit::<(), _>(tx, &actor.audit_name(), now, "inquiry.attach", "inquiry", i.number, None, Some(&detail))?;
            Ok(tx.inquiry_attachments(id)?)
        })
    }

    pub fn inquiry_documents(
        &mut self,
        actor: &Actor,
        id: InquiryId,
    ) -> Result<Vec<(AttachmentId, String, i64)>, ServiceError> {
        self.inquiry(actor, id)?;
        self.store.read_as(actor.login(), |tx| Ok(tx.inquiry_attachments(id)?))
    }

    /// One attached document's bytes (to save or open).
    pub fn inquiry_document(
        &mut self,
        actor: &Actor,
        id: InquiryId,
        att: AttachmentId,
    ) -> Result<Attachment, ServiceError> {
        let listed = self.inquiry_documents(actor, id)?;
        if !listed.iter().any(|(a, _, _)| *a == att) {
            return Err(ServiceError::rule("inquiry.foreign_attachment", "该附件不属于此询价。"));
        }
        self.store
            .read_as(actor.login(), |tx| tx.attachment(att)?.ok_or(ServiceError::Store(StoreError::NotFound("附件"))))
    }
}
