//! The window's side of customer visits: routing the worker's answers to the 拜访计划 panel, its
//! planning form (the customer picker), its card and its weekly reports, and the customer card's
//! timeline; following a timeline entry to the record it names (a visit card, an inquiry card, the
//! quote builder). Like the rest of the window it decides nothing.

use super::inquiry_card::InquiryCard;
use super::legacy::{Action, InquiryRequest, Outcome, Picker, QuoteRequest, VisitOutcome, VisitRequest};
use super::worker_quotes::QuoteTarget;
use super::{Nav, SalesDeskApp};
use crate::domain::timeline::TimelineLink;

impl SalesDeskApp {
    /// The week view, the month grid, the weekly plan and reports, the planning form, the visit
    /// card, and the customer card's timeline.
    pub(super) fn apply_to_visits(&mut self, outcome: Outcome) {
        let toasts = &mut self.toasts;
        match outcome {
            Outcome::PickerCustomers(Picker::VisitForm, seq, r) => {
                if let Some(f) = &mut self.panels.visits.form {
                    f.customer.searched(seq, r, toasts);
                }
            }
            Outcome::PickerCustomer(Picker::VisitForm, r) => {
                if let Some(f) = &mut self.panels.visits.form {
                    f.customer.loaded(r, toasts);
                }
            }
            Outcome::Visit(VisitOutcome::Week(seq, r)) => self.panels.visits.loaded(seq, r, toasts),
            Outcome::Visit(VisitOutcome::Month(seq, r)) => self.panels.visits.month_loaded(seq, r, toasts),
            Outcome::Visit(VisitOutcome::Plan(r)) => self.panels.visits.plan_loaded(r, toasts),
            Outcome::Visit(VisitOutcome::Reports(seq, r)) => self.panels.visits.reports.loaded(seq, r, toasts),
            Outcome::Visit(VisitOutcome::NotesSaved(week, r)) => {
                self.panels.visits.reports.notes_saved(week, r, toasts)
            }
            Outcome::Visit(VisitOutcome::Timeline(id, r)) => {
                if let Some(card) = self.panels.customers.card.as_mut().filter(|c| c.id() == Some(id)) {
                    card.timeline_loaded(r);
                }
            }
            Outcome::Visit(VisitOutcome::Changed { event, result }) => {
                let changed = result.is_ok();
                self.panels.visits.changed(event, result, toasts);
                // A visit changed: the customer card beside the archive shows it anew.
                if changed && let Some(card) = &mut self.panels.customers.card {
                    card.refresh_timeline();
                }
            }
            _ => {} // only the outcomes forwarded by `apply_to_panels` come here
        }
    }

    /// Opens the record a timeline entry names, in its own panel.
    pub(super) fn follow_timeline_link(&mut self) {
        let Some(link) = self.panels.customers.card.as_mut().and_then(|c| c.open_record.take()) else { return };
        match link {
            TimelineLink::Visit(id) => {
                self.view.nav = Nav::Visits;
                self.dispatch(Action::Office(VisitRequest::Open(id).into()));
            }
            TimelineLink::Inquiry(id) => {
                self.view.nav = Nav::Inquiries;
                self.panels.inquiries.card = Some(InquiryCard::loading(id));
                self.dispatch(Action::Office(InquiryRequest::Open(id).into()));
            }
            TimelineLink::Quote(id) => {
                self.view.nav = Nav::Quotes;
                self.panels.quotes.builder = Some(super::quote_builder::QuoteBuilder::loading(id));
                self.dispatch(Action::Office(QuoteRequest::Open { target: QuoteTarget::Builder, id }.into()));
            }
        }
    }
}
