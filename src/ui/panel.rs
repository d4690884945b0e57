//! What every panel is and may use. A panel keeps its own view state and the [`Reply`] handles of
//! what it asked; each frame its [`Panel::logic`] takes in the answers that came (shown or not),
//! and [`Panel::ui`] draws it when it is the one on screen. It reaches the service only through
//! [`Cx::ask`], and other panels only through small [`Event`]s: no panel calls another.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use egui::Ui;

use super::nav::Nav;
use super::widgets::Toasts;
use super::worker::{Lane, Reply, Res, Worker};
use crate::domain::ids::{ContractId, CustomerId, InquiryId, QuoteId, RevisionId, VisitId};
use crate::service::{Actor, Clock, Service};

/// Something that happened which other panels may want to show anew. Sent with [`Cx::emit`],
/// handed to every panel's [`Panel::on_event`] at the end of the frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Another seat wrote to the office (the change watch saw it).
    OfficeChanged,
    /// The whole office was replaced (a restore): every panel forgets what it showed.
    OfficeReplaced,
    /// A customer was created, saved, claimed, assigned or merged.
    CustomerChanged(CustomerId),
    /// Many customers changed at once (an import, a handover).
    CustomersChanged,
    /// The price table changed (a product saved, an import).
    PricesChanged,
    /// An inquiry was registered, edited, decided or got a document.
    InquiryChanged(InquiryId),
    /// A quote or bid changed (saved, submitted, decided, issued, a round logged).
    QuoteChanged(QuoteId),
    /// Several quotes changed at once (started from an inquiry, expired).
    QuotesChanged,
    /// A visit was planned, recorded or changed (the customer's timeline shows it).
    VisitChanged(CustomerId),
    /// A contract or its ledger changed.
    ContractChanged(ContractId),
    /// Sales or collection targets changed (the dashboard measures against them).
    TargetsChanged,
    /// Open a record in the panel that shows it (a timeline entry, 报价 on an inquiry card …).
    Open(Link),
}

/// A record to open, and in which panel it opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    Visit(VisitId),
    Inquiry(InquiryId),
    Quote(QuoteId),
    /// The quote of this inquiry, started if it has none yet.
    QuoteForInquiry(InquiryId),
    /// The contract of this quote, drafted if it has none yet.
    ContractForQuote(QuoteId),
    Contract(ContractId),
    /// A revision waiting for the reader's approval, opened in 审批.
    Approval(QuoteId, RevisionId),
}

/// A screen of the main window.
pub trait Panel {
    /// Takes in answers and runs periodic refreshes; called every frame, shown or not. Draws
    /// nothing (eframe's `App::logic`).
    fn logic(&mut self, _cx: &mut Cx<'_>) {}

    /// Something changed elsewhere.
    fn on_event(&mut self, _event: &Event, _cx: &mut Cx<'_>) {}

    /// Draws the panel (only the one on screen).
    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>);
}

/// What a panel may use while it runs: who is signed in, the clock, the worker, the toasts, and
/// the way to tell others. Built by the app for each frame.
pub struct Cx<'a> {
    pub actor: &'a Actor,
    /// A use case the user asked for is still running (the status bar's spinner).
    pub busy: bool,
    /// Today's local date by the service's clock: the default for date fields.
    pub today: NaiveDate,
    /// The window's time in seconds (egui's clock), for refreshes every so often.
    pub time: f64,
    /// The certificate library (资质证书) and bids' cross-checks, for the bid builder.
    pub certificates: Arc<super::documents::Shared>,
    pub toasts: &'a mut Toasts,
    clock: &'a Clock,
    worker: &'a Worker,
    events: &'a mut Vec<Event>,
    go: &'a mut Option<Nav>,
}

impl<'a> Cx<'a> {
    #[allow(clippy::too_many_arguments)] // built in one place, the app
    pub(super) fn new(
        actor: &'a Actor,
        clock: &'a Clock,
        time: f64,
        certificates: Arc<super::documents::Shared>,
        toasts: &'a mut Toasts,
        worker: &'a Worker,
        events: &'a mut Vec<Event>,
        go: &'a mut Option<Nav>,
    ) -> Self {
        let today = clock().with_timezone(&chrono::Local).date_naive();
        Cx { actor, busy: worker.is_busy(), today, time, certificates, toasts, clock, worker, events, go }
    }

    /// Runs a use case for the signed-in user on the worker; the answer comes to the reply.
    pub fn ask<T: Send + 'static>(&self, f: impl FnOnce(&mut Service, &Actor) -> Res<T> + Send + 'static) -> Reply<T> {
        self.ask_on(Lane::Front, f)
    }

    /// The same for a refresh nobody waits on (a badge, a poll): no busy indicator, and it
    /// never holds up what the user asked for.
    pub fn ask_quietly<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Service, &Actor) -> Res<T> + Send + 'static,
    ) -> Reply<T> {
        self.ask_on(Lane::Back, f)
    }

    fn ask_on<T: Send + 'static>(
        &self,
        lane: Lane,
        f: impl FnOnce(&mut Service, &Actor) -> Res<T> + Send + 'static,
    ) -> Reply<T> {
        let actor = self.actor.clone();
        self.worker.ask(lane, move |session| f(session.service()?, &actor))
    }

    /// Now, by the service's clock.
    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// Tells every panel (at the end of this frame).
    pub fn emit(&mut self, event: Event) {
        self.events.push(event);
    }

    /// Shows another panel.
    pub fn go(&mut self, nav: Nav) {
        *self.go = Some(nav);
    }
}

/// A refresh that runs every `period` seconds, or sooner when asked.
#[derive(Debug, Clone)]
pub struct Every {
    period: f64,
    next_at: f64,
}

impl Every {
    pub const fn seconds(period: f64) -> Self {
        Every { period, next_at: 0.0 }
    }

    /// True (and the next one scheduled) when due at `now`.
    pub fn due(&mut self, now: f64) -> bool {
        if now < self.next_at {
            return false;
        }
        self.next_at = now + self.period;
        true
    }

    /// Due at the next look.
    pub fn soon(&mut self) {
        self.next_at = 0.0;
    }

    /// Seconds until due (for asking egui to repaint then).
    pub fn wait(&self, now: f64) -> f64 {
        (self.next_at - now).max(0.0)
    }
}
