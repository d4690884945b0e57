//! The quote and bid builder and its approvals — procedure (2) B–D: after a go, a quote (BJ-) or
//! bid (TB-) is built from the price table (with the technical department's help where needed),
//! submitted, and reviewed by the department head (major ones also by company leadership).
//! A submitted revision is frozen; changing it makes the next revision.

use chrono::Datelike;

use super::{Actor, Service, ServiceError, audit, authorize, current_user};
use crate::domain::docno::{DocKind, DocNumber};
use crate::domain::ids::{InquiryId, PriceVersionId, ProductId, QuoteId, RevisionId, UserId};
use crate::domain::inquiry::{InquiryKind, InquiryStatus};
use crate::domain::money::{Discount, Money};
use crate::domain::policy::{ApprovalPolicy, CommercialTerms};
use crate::domain::quote::{
    Approval, ApprovalState, ClauseResponse, Quote, QuoteKind, QuoteLine, Revision, RevisionContent, RevisionStatus,
    TechReview,
};
use crate::domain::record::Versioned;
use crate::domain::role::{Permission, Role};
use crate::domain::user::UserAccount;
use crate::store::{NewQuote, StoreError, Submission, Tx};

/// A quote with all its revisions, as the builder and the approver see it.
#[derive(Debug, Clone)]
pub struct QuoteView {
    pub quote: Quote,
    /// V1 first.
    pub revisions: Vec<Revision>,
    pub reviews: Vec<TechReview>,
    /// False: floor prices in the lines were hidden from this reader.
    pub shows_floor: bool,
    /// A bid's tender clauses as registered (★, typed requirement): the builder shows the
    /// answers to typed clauses as made from the bid's data. Empty for a quote.
    pub clauses: Vec<crate::domain::inquiry::TenderClause>,
    /// For a bid's latest revision: what does not stop 提交 but should be seen now — the bond
    /// unpaid near the deadline (it stops 用印发出), a certificate that covers none of the lines,
    /// the deadline passed. Each in one sentence.
    pub warnings: Vec<String>,
}

impl QuoteView {
    pub fn latest(&self) -> Option<&Revision> {
        self.revisions.last()
    }
}

/// One line of the quote lists: the document and its latest revision.
#[derive(Debug, Clone)]
pub struct QuoteSummary {
    pub quote: Quote,
    pub revision: u32,
    pub revision_status: RevisionStatus,
    pub total: crate::domain::money::Money,
    pub major: bool,
}

/// A quote as the builder and the approver open it: with the same customer's other quotes and
/// bids (newest first) and, after issue, its rounds, outcome and change tables.
#[derive(Debug, Clone)]
pub struct QuoteDetail {
    pub view: QuoteView,
    pub customer_quotes: Vec<QuoteSummary>,
    pub negotiation: super::NegotiationView,
}

/// What waits for an approver.
#[derive(Debug, Clone)]
pub struct ApprovalItem {
    pub quote: Quote,
    pub revision: Revision,
}

pub(super) fn may_see(user: &UserAccount, q: &Quote) -> bool {
    user.roles.allows(Permission::ViewAllCustomers)
        || user.roles.contains(Role::Tech)
        || q.author == user.id
        || q.customer_owner == Some(user.id)
}

/// Only the author, the customer's owner, or another builder who sees all customers (the
/// assistant) may change a quote.
fn may_build(user: &UserAccount, q: &Quote) -> bool {
    user.roles.allows(Permission::BuildQuote)
        && (q.author == user.id || q.customer_owner == Some(user.id) || user.roles.allows(Permission::ViewAllCustomers))
}

fn hide_floors(user: &UserAccount, revisions: &mut [Revision]) -> bool {
    let shows = user.roles.allows(Permission::ViewFloorPrices);
    if !shows {
        for r in revisions.iter_mut() {
            for l in &mut r.content.lines {
                l.hide_floor();
            }
        }
    }
    shows
}

fn load_view(tx: &Tx<'_>, user: &UserAccount, id: QuoteId) -> Result<QuoteView, ServiceError> {
    let quote = tx.quote(id)?;
    if !may_see(user, &quote) {
        return Err(ServiceError::Denied("您只能查看自己编制的或自己客户的报价"));
    }
    let mut revisions = tx.revisions(id)?;
    let shows_floor = hide_floors(user, &mut revisions);
    let mut reviews = Vec::new();
    for r in &revisions {
        reviews.extend(tx.tech_reviews(Some(r.id))?);
    }
    let clauses = match (quote.kind, quote.inquiry) {
        (QuoteKind::Bid, Some(i)) => tx.inquiry(i)?.draft.tender.clauses,
        _ => Vec::new(),
    };
    Ok(QuoteView { quote, revisions, reviews, shows_floor, clauses, warnings: Vec::new() })
}

/// Where a revision stands for approving.
pub(super) fn approval_state<'a>(tx: &Tx<'_>, r: &'a Revision, q: &Quote) -> Result<ApprovalState<'a>, ServiceError> {
    Ok(ApprovalState {
        status: r.status,
        major: r.major,
        content_hash: &r.content_hash,
        approvals: &r.approvals,
        author: r.author,
        customer_owner: q.customer_owner,
        other_head_exists: other_head_exists(tx, r.author, q.customer_owner)?,
    })
}

/// One audit entry about revision `revision` of `q`.
pub(super) fn audit_revision(
    tx: &Tx<'_>,
    actor: &Actor,
    now: chrono::DateTime<chrono::Utc>,
    action: &str,
    q: &Quote,
    revision: u32,
    detail: &impl serde::Serialize,
) -> Result<(), crate::store::StoreError> {
    audit::<(), _>(
        tx,
        &actor.audit_name(),
        now,
        action,
        "revision",
        q.number.revision_label(revision),
        None,
        Some(detail),
    )
}

/// Whether an active head other than `author` and `owner` exists (else the head step goes to a
/// leader, DESIGN §2).
fn other_head_exists(tx: &Tx<'_>, author: UserId, owner: Option<UserId>) -> Result<bool, ServiceError> {
    Ok(tx
        .list_users()?
        .iter()
        .any(|u| u.active && u.roles.contains(Role::Head) && u.id != author && Some(u.id) != owner))
}

impl Service {
    /// Starts the quote (or, for a tender, the bid) of an inquiry that got its go: V1 as a draft,
    /// lines priced from the table in force, standard terms, one response row per tender clause.
    pub fn create_quote(&mut self, actor: &Actor, inquiry: InquiryId) -> Result<QuoteView, ServiceError> {
        let (now, today) = (self.now(), self.today());
        let id = self.store.write_as(actor.login(), |tx| insert_quote_for(tx, actor, now, today, inquiry))?;
        self.quote_view(actor, id)
    }

    /// What the inquiry card's 报价 button does: opens the quote already made from the inquiry
    /// (one document per inquiry), or starts it, in one transaction. `true`: it was started now.
    pub fn open_quote_for_inquiry(
        &mut self,
        actor: &Actor,
        inquiry: InquiryId,
    ) -> Result<(QuoteView, bool), ServiceError> {
        let (now, today) = (self.now(), self.today());
        self.store.write_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let (id, created) = match tx.quote_of_inquiry(inquiry)? {
                Some(id) => (id, false),
                None => (insert_quote_for(tx, actor, now, today, inquiry)?, true),
            };
            Ok((load_view(tx, &user, id)?, created))
        })
    }

    pub fn quote_view(&mut self, actor: &Actor, id: QuoteId) -> Result<QuoteView, ServiceError> {
        let now = self.now();
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let mut view = load_view(tx, &user, id)?;
            if let Some(r) = view.revisions.last() {
                view.warnings = super::bids::warnings(tx, &view.quote, r, now)?;
            }
            Ok(view)
        })
    }

    /// Saves the draft being built (refused once submitted, or when someone saved it meanwhile).
    pub fn save_draft(
        &mut self,
        actor: &Actor,
        revision: RevisionId,
        version: i64,
        content: RevisionContent,
    ) -> Result<QuoteView, ServiceError> {
        let now = self.now();
        let quote =
            self.store.write_as(actor.login(), |tx| save_draft_in(tx, actor, now, revision, version, content))?;
        self.quote_view(actor, quote)
    }

    /// 提交审批 from the builder: saves what is on screen and submits it, in one transaction, so
    /// either both happen or neither (a refusal leaves the draft as it was, the input on screen).
    pub fn save_and_submit(
        &mut self,
        actor: &Actor,
        revision: RevisionId,
        version: i64,
        content: RevisionContent,
    ) -> Result<QuoteView, ServiceError> {
        let now = self.now();
        let quote = self.store.write_as(actor.login(), |tx| {
            save_draft_in(tx, actor, now, revision, version, content)?;
            let saved = tx.revision(revision)?;
            submit_in(tx, actor, now, revision, saved.version)
        })?;
        self.quote_view(actor, quote)
    }

    /// Starts a draft from an earlier quote of the same customer: its lines (re-priced from the
    /// table in force, keeping their discounts, quantities and notes), terms and notes. The
    /// draft's own tender responses stay: they answer this tender's clauses.
    pub fn copy_into_draft(
        &mut self,
        actor: &Actor,
        revision: RevisionId,
        version: i64,
        source: QuoteId,
    ) -> Result<QuoteView, ServiceError> {
        let now = self.now();
        let today = self.today();
        let quote = self.store.write_as(actor.login(), |tx| {
            let user = authorize(tx, actor, Permission::BuildQuote)?;
            let r = tx.revision(revision)?;
            let q = tx.quote(r.quote)?;
            let from = tx.quote(source)?;
            if !may_build(&user, &q) || !may_see(&user, &from) {
                return Err(ServiceError::Denied("只能复制您可以查看的同一客户的报价"));
            }
            if from.customer != q.customer || from.id == q.id {
                return Err(ServiceError::rule("quote.copy_other_customer", "只能复制同一客户以前的报价。"));
            }
            if !r.status.editable() {
                return Err(ServiceError::rule("quote.frozen", "只有草稿可以复制以前的报价。"));
            }
            let earlier = tx.revisions(source)?.pop().ok_or(crate::store::StoreError::NotFound("报价版本"))?;
            let price_version = tx.price_version_on(today)?;
            let mut content = earlier.content.clone();
            for l in &mut content.lines {
                if let (Some(p), Some(v)) = (l.product, price_version)
                    && let Ok(product) = tx.product_in_version(p, v)
                {
                    l.price_from(&product, v);
                }
            }
            content.responses = r.content.responses.clone();
            tx.update_draft(revision, version, &content, now, &actor.audit_name())?;
            let detail = serde_json::json!({ "from": from.number.revision_label(earlier.revision) });
            audit_revision(tx, actor, now, "quote.copy", &q, r.revision, &detail)?;
            Ok::<_, ServiceError>(q.id)
        })?;
        self.quote_view(actor, quote)
    }

    /// Freezes the draft and sends it for approval: head always, leader too when major.
    pub fn submit_revision(
        &mut self,
        actor: &Actor,
        revision: RevisionId,
        version: i64,
    ) -> Result<QuoteView, ServiceError> {
        let now = self.now();
        let quote = self.store.write_as(actor.login(), |tx| submit_in(tx, actor, now, revision, version))?;
        self.quote_view(actor, quote)
    }

    /// Approves or rejects the revision the approver reviewed (`seen_hash`): a revision that changed
    /// since is refused, the leader only after the head, never one's own or one's customer's.
    pub fn decide_revision(
        &mut self,
        actor: &Actor,
        revision: RevisionId,
        seen_hash: &str,
        approve: bool,
        comment: &str,
    ) -> Result<QuoteView, ServiceError> {
        let now = self.now();
        let quote = self.store.write_as(actor.login(), |tx| {
            let user = authorize(tx, actor, Permission::Approve)?;
            let r = tx.revision(revision)?;
            let q = tx.quote(r.quote)?;
            let state = approval_state(tx, &r, &q)?;
            let step = state.check(user.id, &user.roles, seen_hash).map_err(ServiceError::approval)?;
            if !approve && comment.trim().is_empty() {
                return Err(ServiceError::invalid("comment", "驳回时请写明原因，编制人据此修改"));
            }
            // A revision made after issue is approved by confirming each of its changes.
            if approve
                && let Some((base, set)) = super::negotiations::change_set(tx, &tx.revisions(q.id)?, &r)?
                && !set.is_empty()
            {
                return Err(ServiceError::rule("approval.use_change_table", format!(
                    "{} 相对已发出的 V{base} 有 {} 项变更，须在变更确认表中逐项确认。",
                    q.number.revision_label(r.revision),
                    set.changes.len()
                )));
            }
            let approval = Approval {
                step,
                by: user.id,
                by_name: user.display_name.clone(),
                at: now,
                approved: approve,
                comment: comment.trim().to_string(),
                content_hash: r.content_hash.clone(),
            };
            let mut all = r.approvals.clone();
            all.push(approval.clone());
            let status = state.status_after(&all);
            tx.insert_approval(revision, r.version, &approval, status, &actor.audit_name())?;
            let detail = serde_json::json!({ "step": step.code(), "approved": approve, "comment": approval.comment, "status": status.code() });
            audit_revision(tx, actor, now, "quote.decide", &q, r.revision, &detail)?;
            Ok::<_, ServiceError>(q.id)
        })?;
        self.quote_view(actor, quote)
    }

    /// Makes V(n+1) as a draft copy of the latest revision (submitted, approved or rejected); the
    /// earlier one stays frozen and its approvals do not carry over.
    pub fn new_revision(&mut self, actor: &Actor, quote: QuoteId) -> Result<QuoteView, ServiceError> {
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            let user = authorize(tx, actor, Permission::BuildQuote)?;
            let q = tx.quote(quote)?;
            if !may_build(&user, &q) {
                return Err(ServiceError::Denied("只有编制人或客户负责人可以修改该报价"));
            }
            let latest = tx.revisions(quote)?.pop().ok_or(crate::store::StoreError::NotFound("报价版本"))?;
            if latest.status == RevisionStatus::Draft {
                return Err(ServiceError::rule(
                    "quote.still_draft",
                    format!("{} 仍是草稿，可直接修改。", q.number.revision_label(latest.revision)),
                ));
            }
            let next = latest.revision + 1;
            tx.insert_revision(quote, next, &latest.content, user.id, now, &actor.audit_name())?;
            let detail = serde_json::json!({ "from": latest.revision, "to": next });
            audit::<(), _>(tx, &actor.audit_name(), now, "quote.new_revision", "quote", q.number, None, Some(&detail))
                .map_err(ServiceError::from)
        })?;
        self.quote_view(actor, quote)
    }

    /// One quote with everything its builder or approver shows beside it (one snapshot; only the
    /// same customer's quotes are read).
    pub fn quote_detail(&mut self, actor: &Actor, id: QuoteId) -> Result<QuoteDetail, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let view = load_view(tx, &user, id)?;
            let heads = tx.latest_revision_heads_of_customer(view.quote.customer)?;
            let customer_quotes = tx
                .quotes_of_customer(view.quote.customer)?
                .into_iter()
                .filter(|q| q.id != id && may_see(&user, q))
                .filter_map(|q| summary(q, &heads))
                .collect();
            let negotiation = super::negotiations::view(tx, &user, &view.quote)?;
            Ok(QuoteDetail { view, customer_quotes, negotiation })
        })
    }

    /// Quotes and bids the actor may see, newest first, with their latest revision.
    pub fn quotes(&mut self, actor: &Actor) -> Result<Vec<QuoteSummary>, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            // Two queries whatever the number of quotes: the list never reads a revision's content.
            let heads = tx.latest_revision_heads()?;
            let out =
                tx.quotes()?.into_iter().filter(|q| may_see(&user, q)).filter_map(|q| summary(q, &heads)).collect();
            Ok(out)
        })
    }

    /// This person's revisions that were finally approved or rejected after `since`, with their
    /// quote (for the toast that tells the author).
    pub fn quote_decisions_since(
        &mut self,
        actor: &Actor,
        since: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<(Quote, Revision)>, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let mut out = Vec::new();
            for id in tx.revisions_decided_since(since)? {
                let r = tx.revision(id)?;
                let decided = matches!(r.status, RevisionStatus::Approved | RevisionStatus::Rejected);
                let last = r.approvals.iter().max_by_key(|a| a.at);
                if r.author != user.id || !decided || last.is_none_or(|a| a.at <= since || a.by == user.id) {
                    continue;
                }
                out.push((tx.quote(r.quote)?, r));
            }
            Ok(out)
        })
    }

    /// How many revisions wait for this person's approval (the 审批 badge): the same rule as
    /// [`Service::approval_inbox`], without reading any revision's content.
    pub fn approval_count(&mut self, actor: &Actor) -> Result<usize, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            Ok(waiting_for(tx, &user)?.len())
        })
    }

    /// Revisions waiting for this person's approval (审批箱), oldest submission first.
    pub fn approval_inbox(&mut self, actor: &Actor) -> Result<Vec<ApprovalItem>, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            // Four queries whatever the number of items: who waits, the submitted revisions with
            // their approvals, and their quotes.
            let waiting: std::collections::HashSet<RevisionId> = waiting_for(tx, &user)?.into_iter().collect();
            if waiting.is_empty() {
                return Ok(Vec::new());
            }
            let quotes = tx.quotes_under_review()?;
            let mut out = Vec::new();
            for revision in tx.submitted_revisions()?.into_iter().filter(|r| waiting.contains(&r.id)) {
                // Read in the same transaction as the revisions: every one has its quote.
                let quote = quotes.get(&revision.quote).cloned().ok_or(StoreError::NotFound("报价"))?;
                out.push(ApprovalItem { quote, revision });
            }
            Ok(out)
        })
    }

    /// Asks the technical department about a revision (models, parameters, the customer's questions).
    /// Whether each (product, price version, unit price, discount) is below its floor — asked by
    /// the builder when a price or discount field is left, so the line says so before 提交 and
    /// its reason field is there. The floor itself is never answered (those who may not see it
    /// learn what 提交 would tell them, one field at a time; see the README's security notes).
    pub fn lines_below_floor(
        &mut self,
        actor: &Actor,
        lines: &[(ProductId, PriceVersionId, Money, Discount)],
    ) -> Result<Vec<bool>, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            authorize(tx, actor, Permission::BuildQuote)?;
            let asked: Vec<_> = lines
                .iter()
                .map(|&(product, version, unit_price, discount)| {
                    (version, product, crate::domain::money::effective_unit_price(unit_price, discount))
                })
                .collect();
            Ok(tx.prices_below_floor(&asked)?)
        })
    }

    pub fn request_tech_review(
        &mut self,
        actor: &Actor,
        revision: RevisionId,
        question: &str,
    ) -> Result<QuoteView, ServiceError> {
        if question.trim().is_empty() {
            return Err(ServiceError::invalid("question", "请写明需要技术部确认的问题"));
        }
        let now = self.now();
        let quote = self.store.write_as(actor.login(), |tx| {
            let user = authorize(tx, actor, Permission::BuildQuote)?;
            let r = tx.revision(revision)?;
            let q = tx.quote(r.quote)?;
            if !may_build(&user, &q) {
                return Err(ServiceError::Denied("只有编制人或客户负责人可以申请技术评审"));
            }
            let id = tx.insert_tech_review(revision, question.trim(), now, &actor.audit_name())?;
            let detail = serde_json::json!({ "review": id, "question": question.trim() });
            audit_revision(tx, actor, now, "quote.tech_request", &q, r.revision, &detail)?;
            Ok::<_, ServiceError>(q.id)
        })?;
        self.quote_view(actor, quote)
    }

    /// Open technical review requests (the technical department's list).
    pub fn open_tech_reviews(&mut self, actor: &Actor) -> Result<Vec<(Quote, TechReview)>, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            authorize(tx, actor, Permission::AnswerTechReview)?;
            let mut out = Vec::new();
            for review in tx.tech_reviews(None)? {
                let r = tx.revision(review.revision)?;
                out.push((tx.quote(r.quote)?, review));
            }
            Ok(out)
        })
    }

    /// The technical department answers, optionally correcting the lines' models and parameters
    /// (only while the revision is a draft: a submitted one is frozen).
    pub fn answer_tech_review(
        &mut self,
        actor: &Actor,
        review: i64,
        answer: &str,
        corrections: Option<(i64, Vec<QuoteLine>)>,
    ) -> Result<QuoteView, ServiceError> {
        if answer.trim().is_empty() {
            return Err(ServiceError::invalid("answer", "请填写答复"));
        }
        let now = self.now();
        let quote = self.store.write_as(actor.login(), |tx| {
            authorize(tx, actor, Permission::AnswerTechReview)?;
            let found = tx.tech_reviews(None)?.into_iter().find(|t| t.id == review);
            let t = found.ok_or(ServiceError::rule("tech_review.answered", "该技术评审已答复或不存在。"))?;
            let r = tx.revision(t.revision)?;
            let q = tx.quote(r.quote)?;
            if let Some((version, lines)) = corrections {
                if !r.status.editable() {
                    return Err(ServiceError::rule(
                        "quote.frozen",
                        "该版本已提交，不能再修改型号和参数；请在答复中说明，由编制人新建版本。",
                    ));
                }
                let mut content = r.content.clone();
                for (mine, theirs) in content.lines.iter_mut().zip(lines) {
                    mine.model = theirs.model;
                    mine.params = theirs.params;
                }
                tx.update_draft(r.id, version, &content, now, &actor.audit_name())?;
            }
            tx.answer_tech_review(review, answer.trim(), now, &actor.audit_name())?;
            let detail = serde_json::json!({ "review": review, "answer": answer.trim() });
            audit_revision(tx, actor, now, "quote.tech_answer", &q, r.revision, &detail)?;
            Ok::<_, ServiceError>(q.id)
        })?;
        self.quote_view(actor, quote)
    }
}

/// A list line: the quote with its latest revision (`None` for a quote without one).
fn summary(q: Quote, heads: &std::collections::HashMap<QuoteId, crate::store::RevisionHead>) -> Option<QuoteSummary> {
    let r = heads.get(&q.id)?;
    Some(QuoteSummary { revision: r.revision, revision_status: r.status, total: r.total, major: r.major, quote: q })
}

/// Starts the quote (or bid) of `inquiry`: V1 as a draft (see [`Service::create_quote`]).
fn insert_quote_for(
    tx: &Tx<'_>,
    actor: &Actor,
    now: chrono::DateTime<chrono::Utc>,
    today: chrono::NaiveDate,
    inquiry: InquiryId,
) -> Result<QuoteId, ServiceError> {
    let user = authorize(tx, actor, Permission::BuildQuote)?;
    let i = tx.inquiry(inquiry)?;
    if i.status != InquiryStatus::Go {
        return Err(ServiceError::rule("inquiry.not_decided", format!("{} 尚未决定参与，不能报价。", i.number)));
    }
    let customer = i
        .draft
        .customer
        .ok_or(ServiceError::rule("inquiry.no_customer", "该招标没有关联客户，请先在招标中选择客户。"))?;
    let c = tx.customer(customer)?;
    let sees_all = user.roles.allows(Permission::ViewAllCustomers);
    if !sees_all && c.owner.is_some() && c.owner != Some(user.id) {
        return Err(ServiceError::Denied("该客户不是您负责的客户，不能为其报价"));
    }
    if let Some(existing) = tx.quotes()?.into_iter().find(|q| q.inquiry == Some(inquiry)) {
        return Err(ServiceError::rule(
            "quote.exists",
            format!("{} 已有{} {}，请在其上修改或新建版本。", i.number, existing.kind.label(), existing.number),
        ));
    }
    let kind = if i.draft.kind == InquiryKind::Tender { QuoteKind::Bid } else { QuoteKind::Quote };
    let doc = if kind == QuoteKind::Bid { DocKind::Bid } else { DocKind::Quote };
    let year = today.year();
    let number = DocNumber { kind: doc, year, seq: tx.next_in_sequence(&doc.sequence_name(year))? };
    let new = NewQuote {
        number: &number,
        kind,
        inquiry: Some(inquiry),
        customer,
        contact: i.draft.contact,
        subject: &i.draft.subject,
        author: user.id,
    };
    let id = tx.insert_quote(&new, now, &actor.audit_name())?;
    let version = tx.price_version_on(today)?;
    let mut lines = Vec::new();
    for l in &i.draft.lines {
        let priced = match (l.product, version) {
            (Some(p), Some(v)) => tx.product_priced_in(p, v)?.map(|p| (p, v)),
            _ => None,
        };
        lines.push(match priced {
            Some((p, v)) => {
                let mut line = QuoteLine {
                    product: Some(p.id),
                    code: p.draft.code.clone(),
                    name: p.draft.name.clone(),
                    model: p.draft.model.clone(),
                    unit: p.draft.unit.clone(),
                    params: p.draft.params.clone(),
                    quantity: l.quantity.unwrap_or(crate::domain::money::Quantity::ONE),
                    note: l.note.clone(),
                    ..Default::default()
                };
                line.price_from(&p, v);
                line
            }
            None => QuoteLine {
                name: l.description.clone(),
                model: l.model.clone(),
                unit: if l.unit.is_empty() { "台".into() } else { l.unit.clone() },
                quantity: l.quantity.unwrap_or(crate::domain::money::Quantity::ONE),
                note: l.note.clone(),
                ..Default::default()
            },
        });
    }
    let terms: Versioned<CommercialTerms> = tx.setting("standard_terms")?;
    let responses = i
        .draft
        .tender
        .clauses
        .iter()
        .map(|c| ClauseResponse {
            clause_no: c.no.clone(),
            requirement: c.requirement.clone(),
            kind: c.kind,
            ..Default::default()
        })
        .collect();
    // A bid attaches every certificate in force by default; the builder unticks what the
    // tender does not ask for.
    let certificates = match kind {
        QuoteKind::Bid => {
            let mut library = tx.certificates()?;
            crate::domain::certificate::sort_for_bids(&mut library);
            library.into_iter().filter(|c| c.active && !c.draft.expiry(today).is_expired()).map(|c| c.id).collect()
        }
        QuoteKind::Quote => Vec::new(),
    };
    let mut terms = terms.value;
    // Delivered to the customer's address unless the author says otherwise.
    if terms.delivery_place.is_empty()
        && let Some(c) = i.draft.customer
    {
        let d = tx.customer(c)?.draft;
        let city = if d.city == d.province { d.city.clone() } else { format!("{}{}", d.province, d.city) };
        terms.delivery_place = if d.address.starts_with(&d.province) || d.address.starts_with(&d.city) {
            d.address.clone()
        } else {
            format!("{city}{}", d.address)
        };
    }
    // A bid stays valid as long as its tender asks (投标有效期), at least.
    for c in &i.draft.tender.clauses {
        if let (QuoteKind::Bid, Some(crate::domain::clause::Requirement::ValidityDays { at_least })) = (kind, &c.typed)
        {
            terms.validity_days = terms.validity_days.max(*at_least);
        }
    }
    let mut content =
        RevisionContent { lines, terms, notes: String::new(), responses, certificates, references: Vec::new() };
    let q = tx.quote(id)?;
    super::bids::sync_responses(tx, &q, &mut content, now)?;
    tx.insert_revision(id, 1, &content, user.id, now, &actor.audit_name())?;
    audit::<(), _>(tx, &actor.audit_name(), now, "quote.create", "quote", number, None, Some(&content))?;
    Ok(id)
}

/// Saves a draft's content (see [`Service::save_draft`]); returns its quote.
fn save_draft_in(
    tx: &Tx<'_>,
    actor: &Actor,
    now: chrono::DateTime<chrono::Utc>,
    revision: RevisionId,
    version: i64,
    mut content: RevisionContent,
) -> Result<QuoteId, ServiceError> {
    let user = authorize(tx, actor, Permission::BuildQuote)?;
    let before = tx.revision(revision)?;
    let q = tx.quote(before.quote)?;
    if !may_build(&user, &q) {
        return Err(ServiceError::Denied("只有编制人或客户负责人可以修改该报价"));
    }
    if !before.status.editable() {
        return Err(ServiceError::rule(
            "quote.frozen",
            format!(
                "{} 已{}，不能再修改；请新建下一版本。",
                q.number.revision_label(before.revision),
                before.status.label()
            ),
        ));
    }
    // Those who may not see floor prices keep the stored ones, and a line they added from
    // the price table gets its floor from there: the check must not depend on who typed it.
    if !user.roles.allows(Permission::ViewFloorPrices) {
        for l in &mut content.lines {
            let stored = before.content.lines.iter().find(|b| b.product.is_some() && b.product == l.product);
            l.floor_price = match (stored, l.product, l.price_version) {
                (Some(b), _, _) => b.floor_price,
                (None, Some(p), Some(v)) => tx.product_priced_in(p, v)?.and_then(|p| p.draft.floor_price),
                _ => None,
            }
            .or(l.floor_price);
        }
    }
    super::bids::sync_responses(tx, &q, &mut content, now)?;
    tx.update_draft(revision, version, &content, now, &actor.audit_name())?;
    audit(
        tx,
        &actor.audit_name(),
        now,
        "quote.save",
        "revision",
        q.number.revision_label(before.revision),
        Some(&before.content),
        Some(&content),
    )?;
    Ok(q.id)
}

/// Freezes a draft and sends it for approval (see [`Service::submit_revision`]); returns its quote.
fn submit_in(
    tx: &Tx<'_>,
    actor: &Actor,
    now: chrono::DateTime<chrono::Utc>,
    revision: RevisionId,
    version: i64,
) -> Result<QuoteId, ServiceError> {
    let user = authorize(tx, actor, Permission::BuildQuote)?;
    let r = tx.revision(revision)?;
    let q = tx.quote(r.quote)?;
    if !may_build(&user, &q) {
        return Err(ServiceError::Denied("只有编制人或客户负责人可以提交该报价"));
    }
    let revisions = tx.revisions(q.id)?;
    if revisions.last().map(|l| l.id) != Some(revision) {
        return Err(ServiceError::rule(
            "quote.not_latest",
            format!("{} 已不是最新版本，不能提交；请打开最新版本后再提交。", q.number.revision_label(r.revision)),
        ));
    }
    let mut problems = r.content.problems(q.kind);
    // A bid answers every clause of its tender: a row deleted from the draft is unanswered.
    if let (QuoteKind::Bid, Some(i)) = (q.kind, q.inquiry) {
        for (n, c) in tx.inquiry(i)?.draft.tender.clauses.iter().enumerate() {
            if !r.content.responses.iter().any(|x| x.clause_no == c.no) {
                problems.push(crate::domain::company::FieldError::new(
                    format!("response{n}"),
                    format!("招标条款 {} 尚未应答", c.no),
                ));
            }
        }
    }
    if problems.is_empty() {
        problems = super::bids::submit_problems(tx, &q, &r, now)?;
    }
    if !problems.is_empty() {
        return Err(ServiceError::Invalid(problems));
    }
    let policy: Versioned<ApprovalPolicy> = tx.setting("approval_policy")?;
    let standard: Versioned<CommercialTerms> = tx.setting("standard_terms")?;
    let tender_major = match q.inquiry {
        Some(i) => tx.inquiry(i)?.major && q.kind == QuoteKind::Bid,
        None => false,
    };
    let mut reasons = r.content.major_reasons(&policy.value, &standard.value, tender_major);
    // After issue the change set is major too when any unit price moved too far (DESIGN §3).
    if let Some((_, set)) = super::negotiations::change_set(tx, &revisions, &r)? {
        reasons = policy.value.change_reasons(reasons, set.max_price_move_pct);
    }
    let reasons: Vec<String> = reasons.iter().map(|m| m.to_string()).collect();
    let hash = r.content.content_hash().map_err(|e| StoreError::Encode(e.to_string()))?;
    let submission = Submission { hash: &hash, major: !reasons.is_empty(), major_reasons: &reasons };
    tx.submit_revision(revision, version, &submission, now, &actor.audit_name())?;
    // The previous revision is superseded now that a newer one is under review.
    for older in tx.revisions(q.id)?.into_iter().filter(|o| o.revision < r.revision) {
        if older.status != RevisionStatus::Superseded {
            tx.set_revision_status(older.id, older.version, RevisionStatus::Superseded, now, &actor.audit_name())?;
        }
    }
    let detail = serde_json::json!({ "hash": hash, "total": r.content.totals().total, "major": reasons });
    audit_revision(tx, actor, now, "quote.submit", &q, r.revision, &detail)?;
    Ok(q.id)
}

/// The submitted revisions `user` may approve now (read without their content; the active heads
/// once for all of them).
fn waiting_for(tx: &Tx<'_>, user: &UserAccount) -> Result<Vec<RevisionId>, ServiceError> {
    if !user.roles.allows(Permission::Approve) {
        return Ok(Vec::new());
    }
    let heads: Vec<UserId> =
        tx.list_users()?.into_iter().filter(|u| u.active && u.roles.contains(Role::Head)).map(|u| u.id).collect();
    Ok(tx
        .pending_approvals()?
        .into_iter()
        .filter(|p| {
            let state = ApprovalState {
                status: RevisionStatus::Submitted,
                major: p.major,
                content_hash: &p.content_hash,
                approvals: &p.approvals,
                author: p.author,
                customer_owner: p.customer_owner,
                other_head_exists: heads.iter().any(|h| *h != p.author && Some(*h) != p.customer_owner),
            };
            state.check(user.id, &user.roles, &p.content_hash).is_ok()
        })
        .map(|p| p.revision)
        .collect())
}
