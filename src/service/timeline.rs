//! The customer timeline (客户往来记录) on the customer card: visits, inquiries and tenders with
//! their decisions, quotes and bids with their revisions and approvals, newest first. Each record
//! is shown only to those who may open it (DESIGN §2): the customer must be visible, and then each
//! inquiry and quote by its own rule.

use super::customers::may_see as may_see_customer;
use super::inquiries::{may_see_inquiry, summary_of};
use super::quotes::may_see as may_see_quote;
use super::{Actor, Service, ServiceError, current_user};
use crate::domain::ids::CustomerId;
use crate::domain::timeline::{self, TimelineEntry};

impl Service {
    /// Everything that happened with `customer` that the actor may see, newest first.
    pub fn customer_timeline(
        &mut self,
        actor: &Actor,
        customer: CustomerId,
    ) -> Result<Vec<TimelineEntry>, ServiceError> {
        let now = self.now();
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let c = tx.customer(customer)?;
            if !may_see_customer(&user, c.owner) {
                return Err(ServiceError::Denied("您只能查看自己负责的客户和公海客户的往来记录"));
            }
            let visits = tx.customer_visits(customer)?;
            let mut inquiries = Vec::new();
            for id in tx.customer_inquiry_ids(customer)? {
                let i = tx.inquiry(id)?;
                if may_see_inquiry(&user, &summary_of(&i, c.owner)) {
                    inquiries.push(i);
                }
            }
            let mut quotes = Vec::new();
            for id in tx.customer_quote_ids(customer)? {
                let q = tx.quote(id)?;
                if may_see_quote(&user, &q) {
                    let revisions = tx.revisions(id)?;
                    quotes.push((q, revisions));
                }
            }
            Ok(timeline::build(&visits, &inquiries, &quotes, now))
        })
    }
}
