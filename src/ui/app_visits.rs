//! The window's side of customer visits: routing the worker's answers to the 拜访计划 panel, its
//! planning form (the customer picker) and its card. Like the rest of the window it decides nothing.

use super::SalesDeskApp;
use super::worker::{Outcome, Picker, VisitOutcome};

impl SalesDeskApp {
    /// The week view, the weekly plan, the planning form and the visit card.
    pub(super) fn apply_to_visits(&mut self, outcome: Outcome) {
        let toasts = &mut self.toasts;
        match outcome {
            Outcome::PickerCustomers(Picker::VisitForm, seq, r) => {
                if let Some(f) = &mut self.visits.form {
                    f.customer.searched(seq, r, toasts);
                }
            }
            Outcome::PickerCustomer(Picker::VisitForm, r) => {
                if let Some(f) = &mut self.visits.form {
                    f.customer.loaded(r, toasts);
                }
            }
            Outcome::Visit(VisitOutcome::Week(seq, r)) => self.visits.loaded(seq, r, toasts),
            Outcome::Visit(VisitOutcome::Plan(r)) => self.visits.plan_loaded(r, toasts),
            Outcome::Visit(VisitOutcome::Changed { event, result }) => self.visits.changed(event, result, toasts),
            _ => {} // only the outcomes forwarded by `apply_to_panels` come here
        }
    }
}
