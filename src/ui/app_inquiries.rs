//! The window's side of inquiries, tenders and decisions: routing the worker's answers to the
//! phone desk, the inquiry list and form, and the inbox; the periodic refresh of the inbox badge
//! and of the registrant's decision toasts. Like the rest of the window it decides nothing.

use chrono::{DateTime, Utc};

use super::legacy::{Action, InboxItem, InquiryDetail, InquiryEvent, InquiryRequest, Outcome};
use super::{Nav, SalesDeskApp, Screen};
use crate::domain::ids::InquiryId;
use crate::domain::inquiry::{Decision, InquiryStatus, InquirySummary};
use crate::domain::role::Permission;
use crate::service::ServiceError;

/// How often the inbox badge and the registrant's decision toasts are refreshed.
const POLL_SECONDS: f64 = 30.0;

/// The periodic refresh of the inbox badge and the registrant's decision toasts.
pub(super) struct Poll {
    /// `ctx.input(|i| i.time)` at which the next poll is due.
    next_at: f64,
    pending: bool,
    /// Decisions after this have not been toasted yet.
    last_seen: DateTime<Utc>,
}

impl Default for Poll {
    fn default() -> Self {
        Poll { next_at: 0.0, pending: false, last_seen: Utc::now() }
    }
}

impl SalesDeskApp {
    /// Asks for the inbox and new decisions when due (never waits: the answer comes as an
    /// [`Outcome::Polled`], without the busy state).
    pub(super) fn poll_if_due(&mut self, ctx: &egui::Context) {
        let Some(actor) = self.actor.as_ref().filter(|_| self.screen == Screen::Main) else { return };
        let now = ctx.input(|i| i.time);
        if !self.poll.pending && now >= self.poll.next_at {
            self.poll.pending = true;
            self.poll.next_at = now + POLL_SECONDS;
            let inbox = actor.may(Permission::DecideGoNoGo);
            let request = InquiryRequest::Poll { since: self.poll.last_seen, inbox };
            self.dispatch_on(super::worker::Lane::Back, Action::Office(request.into()));
        }
        ctx.request_repaint_after(std::time::Duration::from_secs_f64(POLL_SECONDS));
    }

    /// Polls at the next frame (after a registration or a decision).
    pub(super) fn poll_soon(&mut self) {
        self.poll.next_at = 0.0;
    }

    pub(super) fn polled(
        &mut self,
        inbox: Option<Result<Vec<InboxItem>, ServiceError>>,
        decisions: Result<Vec<(InquirySummary, Decision)>, ServiceError>,
    ) {
        self.poll.pending = false;
        match inbox {
            Some(Ok(items)) => {
                if items.iter().map(|i| i.summary.id).ne(self.panels.inbox.ids()) {
                    self.panels.inquiries.invalidate();
                }
                self.panels.inbox.polled(items);
            }
            Some(Err(e)) => log::warn!("inbox refresh: {e}"),
            None => {}
        }
        match decisions {
            Ok(list) => {
                for (s, d) in &list {
                    self.toasts.info(decision_toast(s, d));
                    self.poll.last_seen = self.poll.last_seen.max(d.at);
                }
                if !list.is_empty() {
                    self.panels.inquiries.invalidate();
                }
            }
            Err(e) => log::warn!("decisions refresh: {e}"),
        }
    }

    /// The phone desk, the inquiry lists and form, and the inbox.
    pub(super) fn apply_to_inquiries(&mut self, outcome: Outcome) {
        let toasts = &mut self.toasts;
        match outcome {
            Outcome::Inquiries(seq, r) => self.panels.inquiries.listed(seq, r, toasts),
            Outcome::Inquiry { id, event, result } => self.inquiry_came_back(id, event, result),
            _ => {} // only the outcomes forwarded by `apply_to_panels` come here
        }
    }

    /// An inquiry acted on: the panel whose form or card asked gets it; the other one, if it shows
    /// the same inquiry, reads it again.
    fn inquiry_came_back(
        &mut self,
        id: Option<InquiryId>,
        event: InquiryEvent,
        result: Result<InquiryDetail, ServiceError>,
    ) {
        let changed = result.is_ok() && event != InquiryEvent::Opened;
        let inbox_first = self.view.nav == Nav::Inbox || !self.panels.inquiries.wants(id, event);
        if inbox_first && self.panels.inbox.wants(id) {
            self.panels.inbox.inquiry_loaded(event, result, &mut self.toasts);
            if changed && let Some(id) = id.filter(|_| self.panels.inquiries.wants(id, InquiryEvent::Opened)) {
                self.dispatch(Action::Office(InquiryRequest::Open(id).into()));
            }
        } else if self.panels.inquiries.wants(id, event) {
            self.panels.inquiries.inquiry_loaded(event, result, &mut self.toasts);
            if changed && let Some(id) = id.filter(|_| self.panels.inbox.wants(id)) {
                self.dispatch(Action::Office(InquiryRequest::Open(id).into()));
            }
        } else if let Err(e) = result {
            self.toasts.error(e.to_string());
        }
        if changed {
            self.panels.inquiries.invalidate();
            if matches!(event, InquiryEvent::Registered | InquiryEvent::Decided | InquiryEvent::Updated) {
                self.poll_soon();
            }
        }
    }
}

/// "XJ-2026-0012 已由 赵敏 决定：参与" — what the registrant is told.
fn decision_toast(s: &InquirySummary, d: &Decision) -> String {
    let verdict = if d.go { "参与".to_string() } else { format!("不参与（{}）", d.comment) };
    let more = if d.go && s.status == InquiryStatus::Registered { "，待公司领导决定" } else { "" };
    format!("{} 已由 {} 决定：{verdict}{more}", s.number, d.by_name)
}
