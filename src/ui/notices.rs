//! What the signed-in person is told without asking, as a toast: a decision on an inquiry or
//! tender they registered (参与 / 不参与, by whom). Read every 30 seconds on the back lane, and at
//! once when another seat changed the office.

use chrono::{DateTime, Utc};

use super::panel::{Cx, Event, Every};
use super::worker::Reply;
use crate::domain::inquiry::{Decision, InquiryStatus, InquirySummary};

/// How often decisions are looked for.
const REFRESH_SECONDS: f64 = 30.0;

pub struct Notices {
    refresh: Every,
    /// Decisions after this have not been told yet (set at the first look: sign-in).
    since: Option<DateTime<Utc>>,
    decisions: Reply<Vec<(InquirySummary, Decision)>>,
}

impl Default for Notices {
    fn default() -> Self {
        Notices { refresh: Every::seconds(REFRESH_SECONDS), since: None, decisions: Reply::default() }
    }
}

impl Notices {
    /// Looks when due and tells what came.
    pub fn logic(&mut self, cx: &mut Cx<'_>) {
        let since = *self.since.get_or_insert_with(|| cx.now());
        if !self.decisions.is_waiting() && self.refresh.due(cx.time) {
            self.decisions = cx.ask_quietly(move |svc, a| svc.decisions_since(a, since));
        }
        match self.decisions.take() {
            Some(Ok(list)) => {
                for (s, d) in &list {
                    cx.toasts.info(decision_toast(s, d));
                    self.since = self.since.max(Some(d.at));
                    cx.emit(Event::InquiryChanged(s.id));
                }
            }
            Some(Err(e)) => log::warn!("decisions refresh: {e}"),
            None => {}
        }
    }

    pub fn on_event(&mut self, event: &Event) {
        if matches!(event, Event::OfficeChanged) {
            self.refresh.soon();
        }
    }
}

/// "XJ-2026-0012 已由 赵敏 决定：参与" — what the registrant is told.
fn decision_toast(s: &InquirySummary, d: &Decision) -> String {
    let verdict = if d.go { "参与".to_string() } else { format!("不参与（{}）", d.comment) };
    let more = if d.go && s.status == InquiryStatus::Registered { "，待公司领导决定" } else { "" };
    format!("{} 已由 {} 决定：{verdict}{more}", s.number, d.by_name)
}
