//! The window's side of customer visits: routing the worker's answers to the 拜访计划 panel, its
//! planning form (the customer picker), its card and its weekly reports, and the customer card's
//! timeline; following a timeline entry to the record it names (a visit card, an inquiry card, the
//! quote builder). Like the rest of the window it decides nothing.

use super::legacy::{Action, Outcome, VisitOutcome, VisitRequest};
use super::{Nav, SalesDeskApp};

impl SalesDeskApp {
    /// The week view, the month grid, the weekly plan and reports, the planning form, the visit
    /// card, and the customer card's timeline.
    pub(super) fn apply_to_visits(&mut self, outcome: Outcome) {
        let toasts = &mut self.toasts;
        match outcome {
            Outcome::Visit(VisitOutcome::Week(seq, r)) => self.panels.visits.loaded(seq, r, toasts),
            Outcome::Visit(VisitOutcome::Month(seq, r)) => self.panels.visits.month_loaded(seq, r, toasts),
            Outcome::Visit(VisitOutcome::Plan(r)) => self.panels.visits.plan_loaded(r, toasts),
            Outcome::Visit(VisitOutcome::Reports(seq, r)) => self.panels.visits.reports.loaded(seq, r, toasts),
            Outcome::Visit(VisitOutcome::NotesSaved(week, r)) => {
                self.panels.visits.reports.notes_saved(week, r, toasts)
            }
            Outcome::Visit(VisitOutcome::Changed { event, result }) => {
                let customer = result.as_ref().ok().and_then(|v| v.plan.customer);
                self.panels.visits.changed(event, result, toasts);
                // A visit changed: the customer card beside the archive shows it anew.
                if let Some(customer) = customer {
                    self.events.push(super::panel::Event::VisitChanged(customer));
                }
            }
            _ => {} // only the outcomes forwarded by `apply_to_panels` come here
        }
    }

    /// Opens a record in the panel that shows it (areas still on the old routing).
    pub(super) fn open_link(&mut self, link: super::panel::Link) {
        use super::panel::Link;
        match link {
            Link::Visit(id) => {
                self.view.nav = Nav::Visits;
                self.dispatch(Action::Office(VisitRequest::Open(id).into()));
            }
            Link::Inquiry(_) => {}                          // the inquiries panel opens it
            Link::Quote(_) | Link::QuoteForInquiry(_) => {} // the quotes panel opens it
            Link::ContractForQuote(quote) => {
                self.dispatch(Action::Office(super::contracts::ContractRequest::ForQuote(quote).into()));
            }
        }
    }

    /// What the areas still on the old routing do when something changed elsewhere.
    pub(super) fn legacy_on_event(&mut self, event: &super::panel::Event) {
        use super::panel::Event;
        if let Event::Open(link) = event {
            self.open_link(*link);
        }
    }
}
