//! What the signed-in person is told without asking, as a toast: a decision on an inquiry or
//! tender they registered (参与 / 不参与, by whom), and on a quote or bid revision they wrote
//! (批准 / 驳回, by whom). Read every 30 seconds on the back lane, and at once when another seat
//! changed the office. The same tick lets quotes past their validity expire.

use chrono::{DateTime, Utc};

use super::panel::{Cx, Event, Every, Link};
use super::worker::Reply;
use crate::domain::inquiry::{Decision, InquiryStatus, InquirySummary};
use crate::domain::quote::{Quote, Revision};

/// What one look found.
#[derive(Default)]
struct Found {
    inquiries: Vec<(InquirySummary, Decision)>,
    revisions: Vec<(Quote, Revision)>,
    /// Quotes that expired at this look.
    expired: usize,
}

/// How often decisions are looked for.
const REFRESH_SECONDS: f64 = 30.0;

pub struct Notices {
    refresh: Every,
    /// Decisions after this have not been told yet (set at the first look: sign-in).
    since: Option<DateTime<Utc>>,
    looking: Reply<Found>,
}

impl Default for Notices {
    fn default() -> Self {
        Notices { refresh: Every::seconds(REFRESH_SECONDS), since: None, looking: Reply::default() }
    }
}

impl Notices {
    /// Looks when due and tells what came.
    pub fn logic(&mut self, cx: &mut Cx<'_>) {
        let since = *self.since.get_or_insert_with(|| cx.now());
        if !self.looking.is_waiting() && self.refresh.due(cx.time) {
            self.looking = cx.ask_quietly(move |svc, a| {
                // Quotes past their validity expire first (the first look runs right after sign-in).
                let expired = svc.expire_quotes().map(|e| e.len()).unwrap_or_else(|e| {
                    log::warn!("expiring quotes: {e}");
                    0
                });
                Ok(Found {
                    inquiries: svc.decisions_since(a, since)?,
                    revisions: svc.quote_decisions_since(a, since)?,
                    expired,
                })
            });
        }
        match self.looking.take() {
            Some(Ok(found)) => self.tell(found, cx),
            Some(Err(e)) => log::warn!("decisions refresh: {e}"),
            None => {}
        }
    }

    fn tell(&mut self, found: Found, cx: &mut Cx<'_>) {
        for (s, d) in &found.inquiries {
            cx.toasts.notify(decision_toast(s, d), Link::Inquiry(s.id));
            self.since = self.since.max(Some(d.at));
            cx.emit(Event::InquiryChanged(s.id));
        }
        for (q, r) in &found.revisions {
            cx.toasts.notify(revision_toast(q, r), Link::Quote(q.id));
            self.since = self.since.max(r.approvals.iter().map(|a| a.at).max());
            cx.emit(Event::QuoteChanged(q.id));
        }
        if found.expired > 0 {
            cx.emit(Event::QuotesChanged);
        }
    }

    pub fn on_event(&mut self, event: &Event) {
        if matches!(event, Event::OfficeChanged) {
            self.refresh.soon();
        }
    }
}

/// "BJ-2026-0001-V1 已由 赵敏 批准，等待公司领导审批" — what the author is told, and what comes next.
fn revision_toast(q: &Quote, r: &Revision) -> String {
    let label = q.number.revision_label(r.revision);
    match r.approvals.last() {
        Some(a) if !a.approved => format!("{label} 已由 {} 驳回：{}", a.by_name, a.comment),
        Some(a) if r.status == crate::domain::quote::RevisionStatus::Submitted => {
            format!("{label} 已由 {} 批准，等待公司领导审批", a.by_name)
        }
        Some(a) => format!("{label} 已由 {} 批准，可以用印发出", a.by_name),
        None => format!("{label} {}", r.status.label()),
    }
}

/// "XJ-2026-0012 已由 赵敏 决定：参与" — what the registrant is told.
fn decision_toast(s: &InquirySummary, d: &Decision) -> String {
    let verdict = if d.go { "参与".to_string() } else { format!("不参与（{}）", d.comment) };
    let more = if d.go && s.status == InquiryStatus::Registered { "，待公司领导决定" } else { "" };
    format!("{} 已由 {} 决定：{verdict}{more}", s.number, d.by_name)
}
