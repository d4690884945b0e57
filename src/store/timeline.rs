//! Reads behind the customer timeline and the weekly report: which inquiries, quotes and
//! revisions belong to a customer or to a salesperson's week. Each returns ids; the records come
//! from the areas' own readers, so every screen shows them the same way.

use super::db::params;
use chrono::{DateTime, Utc};

use super::{StoreError, Tx, time_to_sql};
use crate::domain::ids::{CustomerId, InquiryId, QuoteId, RevisionId, UserId};

impl Tx<'_> {
    /// The inquiries and tenders registered for `customer`, newest first.
    pub fn customer_inquiry_ids(&self, customer: CustomerId) -> Result<Vec<InquiryId>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM inquiries WHERE customer_id = ?1 ORDER BY registered_at DESC, id DESC")?;
        let rows = stmt.query_map([customer.0], |r| r.get(0).map(InquiryId))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The quotes and bids of `customer`, newest first.
    pub fn customer_quote_ids(&self, customer: CustomerId) -> Result<Vec<QuoteId>, StoreError> {
        let mut stmt =
            self.conn.prepare("SELECT id FROM quotes WHERE customer_id = ?1 ORDER BY created_at DESC, id DESC")?;
        let rows = stmt.query_map([customer.0], |r| r.get(0).map(QuoteId))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Revisions `author` submitted for approval in `[from, to)`, in time order.
    pub fn revisions_submitted_between(
        &self,
        author: UserId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<RevisionId>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id FROM revisions WHERE author_id = ?1 AND submitted_at >= ?2 AND submitted_at < ?3 \
             ORDER BY submitted_at, id",
        )?;
        let rows =
            stmt.query_map(params![author.0, time_to_sql(from), time_to_sql(to)], |r| r.get(0).map(RevisionId))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Quotes by `author` that reached an outcome (won, lost, expired) and were last changed in
    /// `[from, to)`.
    pub fn quote_outcomes_between(
        &self,
        author: UserId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<QuoteId>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id FROM quotes WHERE author_id = ?1 AND status IN ('won', 'lost', 'expired') \
             AND updated_at >= ?2 AND updated_at < ?3 ORDER BY updated_at, id",
        )?;
        let rows = stmt.query_map(params![author.0, time_to_sql(from), time_to_sql(to)], |r| r.get(0).map(QuoteId))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
