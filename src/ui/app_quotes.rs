//! The window's side of quotes and bids: routing the worker's answers to the builder, the
//! approval inbox and the technical department's list; the periodic refresh of the list, of the
//! 审批 and 技术评审 badges, and of the author's toasts when a revision is approved or rejected.
//! Like the rest of the window it decides nothing.

use super::legacy::{Action, Outcome, QuoteOutcome, QuoteRequest};
use super::quote_builder::QuoteBuilder;
use super::worker_quotes::{QuoteDetail, QuoteEvent, QuotePolled, QuoteTarget};
use super::{Nav, SalesDeskApp, Screen};
use crate::domain::ids::QuoteId;
use crate::domain::quote::{Quote, Revision, RevisionStatus};
use crate::domain::role::Permission;
use crate::service::ServiceError;

/// How often the quote list, the badges and the author's toasts are refreshed (as the inquiry
/// inbox is).
const POLL_SECONDS: f64 = 30.0;

#[derive(Default)]
pub(super) struct QuotePoll {
    /// `ctx.input(|i| i.time)` at which the next poll is due.
    next_at: f64,
    pending: bool,
    /// The author's quotes waiting for approval when last seen (quote, revision number).
    watch: Vec<(QuoteId, u32)>,
}

impl SalesDeskApp {
    /// Asks for the quote list, the inboxes and the author's decisions when due (never waits, and
    /// never shows the busy state).
    pub(super) fn poll_quotes_if_due(&mut self, ctx: &egui::Context) {
        let Some(actor) = self.actor.as_ref().filter(|_| self.screen == Screen::Main) else { return };
        let now = ctx.input(|i| i.time);
        if self.quote_poll.pending || now < self.quote_poll.next_at {
            return;
        }
        self.quote_poll.pending = true;
        self.quote_poll.next_at = now + POLL_SECONDS;
        let request = QuoteRequest::Poll {
            approvals: actor.may(Permission::Approve),
            tech: actor.may(Permission::AnswerTechReview),
            watch: self.quote_poll.watch.clone(),
        };
        self.dispatch_on(super::worker::Lane::Back, Action::Office(request.into()));
        ctx.request_repaint_after(std::time::Duration::from_secs_f64(POLL_SECONDS));
    }

    /// Polls at the next frame (after any change to a quote).
    pub(super) fn poll_quotes_soon(&mut self) {
        self.quote_poll.next_at = 0.0;
    }

    fn quotes_polled(&mut self, p: QuotePolled) {
        self.quote_poll.pending = false;
        let me = self.actor.as_ref().map(|a| a.id());
        match p.quotes {
            Ok(list) => {
                self.quote_poll.watch = list
                    .iter()
                    .filter(|s| Some(s.quote.author) == me && s.revision_status == RevisionStatus::Submitted)
                    .map(|s| (s.quote.id, s.revision))
                    .collect();
                self.panels.quotes.listed(list);
            }
            Err(e) => log::warn!("quote list refresh: {e}"),
        }
        match p.approvals {
            Some(Ok(items)) => self.panels.approvals.polled(items),
            Some(Err(e)) => log::warn!("approval inbox refresh: {e}"),
            None => {}
        }
        match p.tech {
            Some(Ok(items)) => self.panels.tech.polled(items),
            Some(Err(e)) => log::warn!("tech review refresh: {e}"),
            None => {}
        }
        for (q, r) in &p.decided {
            self.toasts.info(decision_toast(q, r));
        }
    }

    /// The builder, the approval inbox, the technical department's list.
    pub(super) fn apply_to_quotes(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Quote(QuoteOutcome::Polled(p)) => self.quotes_polled(p),
            Outcome::Quote(QuoteOutcome::Detail { target, event, result }) => {
                self.quote_came_back(target, event, result);
            }
            _ => {} // only the outcomes forwarded by `apply_to_panels` come here
        }
    }

    /// A quote acted on: the view that asked gets it; the others showing the same quote read it
    /// again.
    fn quote_came_back(&mut self, target: QuoteTarget, event: QuoteEvent, result: Result<QuoteDetail, ServiceError>) {
        let id = result.as_ref().ok().map(|d| d.view.quote.id);
        let changed = result.is_ok() && event != QuoteEvent::Opened;
        let toasts = &mut self.toasts;
        match target {
            QuoteTarget::Builder if matches!(event, QuoteEvent::Created | QuoteEvent::Existing) => match result {
                Ok(d) => {
                    self.view.nav = Nav::Quotes;
                    let builder = self.panels.quotes.builder.insert(QuoteBuilder::loading(d.view.quote.id));
                    builder.loaded(event, Ok(d), toasts);
                }
                Err(e) => toasts.error(e.to_string()),
            },
            QuoteTarget::Builder => match &mut self.panels.quotes.builder {
                Some(b) if id.is_none_or(|id| id == b.id()) => b.loaded(event, result, toasts),
                _ => {
                    if let Err(e) = result {
                        toasts.error(e.to_string());
                    }
                }
            },
            QuoteTarget::Approval => self.panels.approvals.loaded(event, result, toasts),
            QuoteTarget::Tech => self.panels.tech.loaded(event, result, toasts),
        }
        let Some(id) = id.filter(|_| changed) else { return };
        self.poll_quotes_soon();
        let others = [
            (QuoteTarget::Builder, self.panels.quotes.builder.as_ref().is_some_and(|b| b.id() == id)),
            (QuoteTarget::Approval, self.panels.approvals.wants(id)),
            (QuoteTarget::Tech, self.panels.tech.wants(id)),
        ];
        for (other, shows) in others {
            if other != target && shows {
                self.dispatch(Action::Office(QuoteRequest::Open { target: other, id }.into()));
            }
        }
    }
}

/// "BJ-2026-0001-V1 已由 赵敏 批准" — what the author is told.
fn decision_toast(q: &Quote, r: &Revision) -> String {
    let label = q.number.revision_label(r.revision);
    match r.approvals.last() {
        Some(a) if !a.approved => format!("{label} 已由 {} 驳回：{}", a.by_name, a.comment),
        Some(a) => format!("{label} 已由 {} 批准", a.by_name),
        None => format!("{label} {}", r.status.label()),
    }
}
