//! The worker's side of quotes and bids (报价与投标), approvals (审批) and technical reviews
//! (技术评审): what the window may ask and what comes back. It only calls the service; every rule
//! is the service's.

use super::legacy::{Outcome, Request};
use crate::domain::changes::ChangeDecision;
use crate::domain::ids::{InquiryId, QuoteId, RevisionId};
use crate::domain::negotiation::{OutcomeDraft, RoundDraft};
use crate::domain::quote::{Quote, QuoteLine, Revision, RevisionContent, RevisionStatus, TechReview};
use crate::service::{Actor, ApprovalItem, NegotiationView, QuoteSummary, QuoteView, Service, ServiceError};

type Res<T> = Result<T, ServiceError>;

/// A use case of the builder, the approval inbox or the technical department.
pub enum QuoteRequest {
    /// From an inquiry with a go: opens the quote already made from it, or starts V1.
    Create {
        inquiry: InquiryId,
    },
    Open {
        target: QuoteTarget,
        id: QuoteId,
    },
    Save {
        revision: RevisionId,
        version: i64,
        content: RevisionContent,
    },
    /// Saves what is on screen and submits it for approval (one step: both or neither).
    Submit {
        revision: RevisionId,
        version: i64,
        content: RevisionContent,
    },
    /// V(n+1) as a draft copy of the latest revision.
    NewRevision(QuoteId),
    /// The draft takes the lines and terms of an earlier quote of the same customer.
    CopyFrom {
        revision: RevisionId,
        version: i64,
        source: QuoteId,
    },
    RequestTechReview {
        revision: RevisionId,
        question: String,
    },
    Decide {
        revision: RevisionId,
        hash: String,
        approve: bool,
        comment: String,
    },
    AnswerTechReview {
        review: i64,
        answer: String,
        corrections: Option<(i64, Vec<QuoteLine>)>,
    },
    /// 谈判记录: one round after issue.
    LogRound {
        quote: QuoteId,
        draft: RoundDraft,
    },
    /// 中标/成交 or 未成交.
    RecordOutcome {
        quote: QuoteId,
        draft: OutcomeDraft,
    },
    /// The approver's answer to each change of a revision made after issue.
    DecideChanges {
        revision: RevisionId,
        hash: String,
        decisions: Vec<ChangeDecision>,
        comment: String,
    },
    /// The periodic refresh: the quote list, the approver's inbox (when `approvals`), the open
    /// technical reviews (when `tech`), and the decisions on `watch` (the author's quotes that were
    /// waiting for approval at that revision when last seen).
    Poll {
        approvals: bool,
        tech: bool,
        watch: Vec<(QuoteId, u32)>,
    },
}

impl From<QuoteRequest> for Request {
    fn from(r: QuoteRequest) -> Self {
        Request::Quote(r)
    }
}

/// Which view asked (the answer goes back to it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteTarget {
    Builder,
    Approval,
    Tech,
}

/// Why a quote came back (for the toast and the refresh).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteEvent {
    Opened,
    Created,
    /// The inquiry already had a quote: that one was opened.
    Existing,
    Saved,
    /// The draft took an earlier quote's lines.
    Copied,
    Submitted,
    NewRevision,
    TechRequested,
    Decided,
    TechAnswered,
    RoundLogged,
    OutcomeRecorded,
}

/// A quote with the customer's other quotes (for the approver and the builder).
#[derive(Debug, Clone)]
pub struct QuoteDetail {
    pub view: QuoteView,
    /// The same customer's other quotes and bids, newest first.
    pub customer_quotes: Vec<QuoteSummary>,
    /// After issue: rounds, outcome, validity, the change tables of later revisions.
    pub negotiation: NegotiationView,
}

/// What the periodic refresh found.
pub struct QuotePolled {
    pub quotes: Res<Vec<QuoteSummary>>,
    pub approvals: Option<Res<Vec<ApprovalItem>>>,
    pub tech: Option<Res<Vec<(Quote, TechReview)>>>,
    /// Watched revisions that were approved or rejected since.
    pub decided: Vec<(Quote, Revision)>,
}

#[allow(clippy::large_enum_variant)] // one per action, moved once
pub enum QuoteOutcome {
    Detail { target: QuoteTarget, event: QuoteEvent, result: Res<QuoteDetail> },
    Polled(QuotePolled),
}

impl From<QuoteOutcome> for Outcome {
    fn from(o: QuoteOutcome) -> Self {
        Outcome::Quote(o)
    }
}

/// Runs one quote request for `a`.
pub(super) fn execute(svc: &mut Service, a: &Actor, request: QuoteRequest) -> Outcome {
    use QuoteRequest::*;
    let (target, event, view) = match request {
        Create { inquiry } => match svc.open_quote_for_inquiry(a, inquiry) {
            Ok((view, created)) => {
                (QuoteTarget::Builder, if created { QuoteEvent::Created } else { QuoteEvent::Existing }, Ok(view))
            }
            Err(e) => (QuoteTarget::Builder, QuoteEvent::Created, Err(e)),
        },
        Open { target, id } => (target, QuoteEvent::Opened, svc.quote_view(a, id)),
        Save { revision, version, content } => {
            (QuoteTarget::Builder, QuoteEvent::Saved, svc.save_draft(a, revision, version, content))
        }
        Submit { revision, version, content } => {
            (QuoteTarget::Builder, QuoteEvent::Submitted, svc.save_and_submit(a, revision, version, content))
        }
        NewRevision(id) => (QuoteTarget::Builder, QuoteEvent::NewRevision, svc.new_revision(a, id)),
        CopyFrom { revision, version, source } => {
            (QuoteTarget::Builder, QuoteEvent::Copied, svc.copy_into_draft(a, revision, version, source))
        }
        RequestTechReview { revision, question } => {
            (QuoteTarget::Builder, QuoteEvent::TechRequested, svc.request_tech_review(a, revision, &question))
        }
        Decide { revision, hash, approve, comment } => {
            (QuoteTarget::Approval, QuoteEvent::Decided, svc.decide_revision(a, revision, &hash, approve, &comment))
        }
        AnswerTechReview { review, answer, corrections } => {
            (QuoteTarget::Tech, QuoteEvent::TechAnswered, svc.answer_tech_review(a, review, &answer, corrections))
        }
        LogRound { quote, draft } => {
            let r = svc.log_negotiation_round(a, quote, draft).and_then(|_| svc.quote_view(a, quote));
            (QuoteTarget::Builder, QuoteEvent::RoundLogged, r)
        }
        RecordOutcome { quote, draft } => {
            let r = svc.record_outcome(a, quote, draft).and_then(|_| svc.quote_view(a, quote));
            (QuoteTarget::Builder, QuoteEvent::OutcomeRecorded, r)
        }
        DecideChanges { revision, hash, decisions, comment } => {
            let r = svc.decide_changes(a, revision, &hash, &decisions, &comment);
            (QuoteTarget::Approval, QuoteEvent::Decided, r)
        }
        Poll { approvals, tech, watch } => return QuoteOutcome::Polled(poll(svc, a, approvals, tech, &watch)).into(),
    };
    let result = view.and_then(|v| detail(svc, a, v));
    QuoteOutcome::Detail { target, event, result }.into()
}

fn detail(svc: &mut Service, a: &Actor, view: QuoteView) -> Res<QuoteDetail> {
    let (customer, id) = (view.quote.customer, view.quote.id);
    let customer_quotes =
        svc.quotes(a)?.into_iter().filter(|s| s.quote.customer == customer && s.quote.id != id).collect();
    let negotiation = svc.negotiation(a, id)?;
    Ok(QuoteDetail { view, customer_quotes, negotiation })
}

fn poll(svc: &mut Service, a: &Actor, approvals: bool, tech: bool, watch: &[(QuoteId, u32)]) -> QuotePolled {
    // Quotes past their validity expire first (the first poll runs right after sign-in).
    if let Err(e) = svc.expire_quotes() {
        log::warn!("expiring quotes: {e}");
    }
    let quotes = svc.quotes(a);
    let mut decided = Vec::new();
    if let Ok(list) = &quotes {
        for (id, revision) in watch {
            let now_decided = list.iter().any(|s| {
                s.quote.id == *id
                    && s.revision == *revision
                    && matches!(s.revision_status, RevisionStatus::Approved | RevisionStatus::Rejected)
            });
            if !now_decided {
                continue;
            }
            match svc.quote_view(a, *id) {
                Ok(v) => {
                    if let Some(r) = v.revisions.iter().find(|r| r.revision == *revision) {
                        decided.push((v.quote.clone(), r.clone()));
                    }
                }
                Err(e) => log::warn!("decision refresh: {e}"),
            }
        }
    }
    QuotePolled {
        quotes,
        approvals: approvals.then(|| svc.approval_inbox(a)),
        tech: tech.then(|| svc.open_tech_reviews(a)),
        decided,
    }
}
