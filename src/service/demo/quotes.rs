//! The demo office's quotes and bids, made through the real use cases (create, save, submit,
//! approve, reject, new revision) acting as the demo people, so every state is one the rules
//! allow: drafts, waiting for the head, waiting for a leader (major), approved, rejected with a
//! comment and revised, superseded — and approved documents issued at the moment they went out,
//! then negotiated, revised and confirmed again, won, lost or expired (`negotiations.rs`).

use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;

use super::negotiations::Cast;

use crate::domain::ids::{QuoteId, UserId};
use crate::domain::inquiry::InquiryStatus;
use crate::domain::money::Discount;
use crate::domain::policy::CommercialTerms;
use crate::domain::quote::{Deviation, QuoteKind, QuoteStatus, RevisionStatus};
use crate::domain::role::Role;
use crate::service::{Actor, QuoteView, Service, ServiceError};

/// What happens to the n-th demo quote.
#[derive(Clone, Copy)]
enum Story {
    Draft,
    AwaitingHead,
    Approved,
    /// Below floor with a reason: major, approved by head and leader.
    MajorApproved,
    /// Head's go, waiting for a leader.
    AwaitingLeader,
    RejectedThenDraft,
    RejectedThenResubmitted,
    Issued(QuoteStatus),
}

const STORIES: &[Story] = &[
    Story::Draft,
    Story::AwaitingHead,
    Story::Approved,
    Story::MajorApproved,
    Story::AwaitingLeader,
    Story::RejectedThenDraft,
    Story::RejectedThenResubmitted,
    Story::Issued(QuoteStatus::Issued),
    Story::Issued(QuoteStatus::Negotiating),
    Story::Issued(QuoteStatus::Won),
    Story::Issued(QuoteStatus::Lost),
    Story::Issued(QuoteStatus::Expired),
    Story::AwaitingHead,
    Story::Approved,
];

/// What the demo's bids offer against the demo tenders' free clauses (`demo/inquiries.rs`).
fn demo_answer(clause_no: &str) -> Option<(&'static str, Deviation)> {
    Some(match clause_no {
        "2.1" => ("所投SCB13系列变压器达到GB 20052-2024一级能效", Deviation::Positive),
        "2.3" => ("F级绝缘，温升试验值86K（见型式试验报告）", Deviation::Positive),
        "2.5" => ("出厂试验局部放电量不大于5pC", Deviation::Positive),
        "3.1" => ("外壳防护等级IP4X，机械与电气五防联锁齐全", Deviation::None),
        "3.4" => ("配VS1-12真空断路器，额定短路开断电流31.5kA", Deviation::None),
        "4.2" => ("导体为无氧铜，按GB/T 12706.2生产，附出厂检验报告", Deviation::None),
        "6.1" => ("派工程师驻场指导安装调试，现场操作培训3天", Deviation::Positive),
        _ => return None,
    })
}

/// The terms a bid's author sets after reading the tender: the warranty, delivery and validity
/// its typed clauses ask for (better terms stay).
fn meet_the_tender(svc: &mut Service, quote: QuoteId, terms: &mut CommercialTerms) -> Result<(), ServiceError> {
    use crate::domain::clause::Requirement;
    let clauses = svc.store.read(|tx| {
        let q = tx.quote(quote)?;
        Ok::<_, ServiceError>(match q.inquiry {
            Some(i) => tx.inquiry(i)?.draft.tender.clauses,
            None => Vec::new(),
        })
    })?;
    for c in clauses {
        match c.typed {
            Some(Requirement::WarrantyMonths { at_least }) => {
                terms.warranty_months = terms.warranty_months.max(at_least)
            }
            Some(Requirement::DeliveryDays { at_most }) => terms.delivery_days = terms.delivery_days.min(at_most),
            Some(Requirement::ValidityDays { at_least }) => terms.validity_days = terms.validity_days.max(at_least),
            _ => {}
        }
    }
    Ok(())
}

fn latest(v: &QuoteView) -> Result<&crate::domain::quote::Revision, ServiceError> {
    v.latest().ok_or(ServiceError::rule("demo.invariant", "quote without revision"))
}

impl Service {
    /// Actors for the demo people (the demo acts as them, as they would in the window).
    pub(super) fn demo_actors(&mut self) -> Result<Vec<Actor>, ServiceError> {
        let users = self.store.read(|tx| Ok::<_, ServiceError>(tx.list_users()?))?;
        Ok(users.iter().filter(|u| u.active).map(Actor::from_row).collect())
    }

    pub(super) fn create_demo_quotes(&mut self) -> Result<usize, ServiceError> {
        let actors = self.demo_actors()?;
        // The certificates first: a bid attaches those in force when it is created.
        self.create_demo_certificates(&actors)?;
        let by_role = |r: Role| actors.iter().filter(move |a| a.roles().contains(r));
        let heads: Vec<Actor> = by_role(Role::Head).cloned().collect();
        let leaders: Vec<Actor> = by_role(Role::Leader).cloned().collect();
        let actor = |id: UserId| actors.iter().find(|a| a.id() == id).cloned();
        let inquiries = self.store.read(|tx| Ok::<_, ServiceError>(tx.inquiry_summaries()?))?;
        let assistant =
            by_role(Role::Assistant).next().cloned().ok_or(ServiceError::rule("demo.invariant", "no assistant"))?;
        let real_now = self.now();
        let mut made = 0;
        for (n, s) in inquiries.iter().filter(|s| s.status == InquiryStatus::Go).enumerate() {
            let Some(story) = STORIES.get(n).copied() else { break };
            // The customer's salesperson builds it (the assistant for pool customers).
            let author = s
                .customer_owner
                .and_then(actor)
                .or_else(|| by_role(Role::Assistant).next().cloned())
                .ok_or(ServiceError::rule("demo.invariant", "no author"))?;
            let head = &heads[n % heads.len()];
            let leader = &leaders[n % leaders.len()];
            let cast = Cast { author: &author, head, leader, assistant: &assistant };
            match story {
                // Documents that went out were built and issued a day after the inquiry came in,
                // at most three weeks ago, so what follows has room before today.
                Story::Issued(_) => {
                    let t0 = (s.registered_at + Duration::days(1)).max(real_now - Duration::days(20));
                    self.at_moment(t0.min(real_now - Duration::hours(2)), |svc| {
                        let view = svc.create_quote(&author, s.id)?;
                        svc.tell_story(story, view, &cast, real_now)
                    })?;
                }
                _ => {
                    let view = self.create_quote(&author, s.id)?;
                    self.tell_story(story, view, &cast, real_now)?;
                }
            }
            made += 1;
        }
        // The one left unanswered past its validity expires as it would at a seat's start.
        self.expire_quotes()?;
        Ok(made)
    }

    fn tell_story(
        &mut self,
        story: Story,
        view: QuoteView,
        cast: &Cast<'_>,
        real_now: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        let (author, head, leader, assistant) = (cast.author, cast.head, cast.leader, cast.assistant);
        let quote = view.quote.id;
        let r = latest(&view)?.clone();
        let mut content = r.content.clone();
        // The author answers the free clauses with what is offered; the typed ones are made from
        // the bid's data when it is saved.
        for c in &mut content.responses {
            if let Some((answer, deviation)) = demo_answer(&c.clause_no) {
                c.response = answer.into();
                c.deviation = deviation;
            }
        }
        // Terms that meet the tender's typed clauses — except in the draft, which the
        // cross-checks stop until its author raises the warranty to what the ★ clause asks.
        if !matches!(story, Story::Draft) {
            meet_the_tender(self, quote, &mut content.terms)?;
        }
        // A sales discount on every line; the major story goes below the floor with a reason.
        let pct = if matches!(story, Story::MajorApproved) { 25 } else { 3 };
        for l in &mut content.lines {
            l.discount = Discount::from_fraction(Decimal::new(pct, 2)).unwrap_or(Discount::ZERO);
            // The author does not see floor prices; the deep discount is explained on every line.
            if matches!(story, Story::MajorApproved) {
                l.exception_reason = "战略客户首批订单，争取进入合格供应商名录".into();
            }
        }
        match story {
            // Prepayment below the standard: major, so it waits for a leader after the head.
            Story::AwaitingLeader => content.terms.prepayment_pct = Decimal::from(20),
            // The customer asked for 60 days; the head will send it back.
            Story::RejectedThenDraft | Story::RejectedThenResubmitted => content.terms.delivery_days = 60,
            // A short validity the customer lets pass: it has run out before today.
            Story::Issued(QuoteStatus::Expired) => {
                let days = (real_now - self.now()).num_days();
                content.terms.validity_days = u32::try_from(days - 2).unwrap_or(1).clamp(1, 30);
            }
            _ => {}
        }
        let v = self.save_draft(author, r.id, r.version, content)?;
        if matches!(story, Story::Draft) {
            return Ok(());
        }
        let r = latest(&v)?.clone();
        let v = self.submit_revision(author, r.id, r.version)?;
        let r = latest(&v)?.clone();
        match story {
            Story::AwaitingHead | Story::Draft => Ok(()),
            Story::AwaitingLeader => {
                if r.major {
                    self.decide_revision(head, r.id, &r.content_hash, true, "同意，请公司领导审批。")?;
                }
                Ok(())
            }
            Story::RejectedThenDraft | Story::RejectedThenResubmitted => {
                self.decide_revision(
                    head,
                    r.id,
                    &r.content_hash,
                    false,
                    "交货期60天太长，请与技术部确认后按标准30天报。",
                )?;
                let v = self.new_revision(author, quote)?;
                let r2 = latest(&v)?.clone();
                let mut c = r2.content.clone();
                c.terms.delivery_days = 30;
                if matches!(story, Story::RejectedThenDraft) {
                    // "按标准报": the author takes the standard terms back, warranty included — in a
                    // bid against a ★ warranty clause the cross-checks stop it at 提交 until fixed.
                    c.terms.warranty_months = CommercialTerms::default().warranty_months;
                }
                let v = self.save_draft(author, r2.id, r2.version, c)?;
                if matches!(story, Story::RejectedThenResubmitted) {
                    let r2 = latest(&v)?.clone();
                    self.submit_revision(author, r2.id, r2.version)?;
                }
                Ok(())
            }
            Story::Approved | Story::MajorApproved | Story::Issued(_) => {
                self.decide_revision(head, r.id, &r.content_hash, true, "同意。")?;
                let v = self.quote_view(head, quote)?;
                let r = latest(&v)?.clone();
                if r.status == RevisionStatus::Submitted {
                    self.decide_revision(leader, r.id, &r.content_hash, true, "同意，注意回款。")?;
                }
                if let Story::Issued(status) = story {
                    // The assistant issues through the real use case (the PDF goes into the
                    // register; a bid is cross-checked first). A bid the checks stop at that moment
                    // keeps its state set directly, as if it had been issued in time; the others go
                    // on through negotiation and outcome use cases.
                    let file = format!("{}_{}_V{}.pdf", v.quote.kind.doc_title(), v.quote.number, r.revision);
                    let issued = match self.issue(
                        assistant,
                        quote,
                        2,
                        crate::domain::document::PrintVariant::Seal,
                        &file,
                        &mut |_| Ok(()),
                    ) {
                        Ok(_) => true,
                        Err(ServiceError::Invalid(problems))
                            if v.quote.kind == QuoteKind::Bid && problems.iter().all(|p| p.field == "bid_checks") =>
                        {
                            false
                        }
                        Err(e) => return Err(e),
                    };
                    if issued {
                        return self.after_issue_story(status, quote, cast, real_now);
                    }
                    let now = self.now();
                    self.store.write(|tx| {
                        let q = tx.quote(quote)?;
                        tx.set_quote_status(quote, q.version, status, now, "演示数据 (demo)")
                    })?;
                }
                Ok(())
            }
        }
    }
}
