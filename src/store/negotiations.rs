//! After issue: negotiation rounds, outcomes and the per-change confirmations of revisions made
//! after issue. Each row is a fact written once.

use super::db::{OptionalExtension, Row, params};
use chrono::{DateTime, NaiveDate, Utc};

use super::{StoreError, Tx, row_date, row_time, time_to_sql};
use crate::domain::changes::{ChangeConfirmation, RevisionChange};
use crate::domain::ids::{QuoteId, RevisionId, UserId};
use crate::domain::money::Money;
use crate::domain::negotiation::{DealOutcome, NegotiationRound, OutcomeKind, RoundDraft};
use crate::domain::quote::ApprovalStep;

/// What a round records besides the typed draft.
pub struct NewRound<'a> {
    pub quote: QuoteId,
    pub date: NaiveDate,
    pub draft: &'a RoundDraft,
    pub by: UserId,
    pub by_name: &'a str,
}

fn round_from_row(r: &Row<'_>) -> super::db::Result<NegotiationRound> {
    let d: String = r.get(2)?;
    let at: String = r.get(8)?;
    Ok(NegotiationRound {
        id: r.get(0)?,
        quote: QuoteId(r.get(1)?),
        round: 0,
        date: row_date(&d)?,
        customer_side: r.get(3)?,
        asked: r.get(4)?,
        offered: r.get(5)?,
        by: UserId(r.get(6)?),
        by_name: r.get(7)?,
        at: row_time(&at)?,
    })
}

fn outcome_from_row(r: &Row<'_>) -> super::db::Result<DealOutcome> {
    let kind: String = r.get(1)?;
    let d: String = r.get(2)?;
    let at: String = r.get(9)?;
    Ok(DealOutcome {
        quote: QuoteId(r.get(0)?),
        kind: OutcomeKind::from_code(&kind)
            .ok_or_else(|| super::db::Error::conversion(format!("bad outcome {kind:?}")))?,
        date: row_date(&d)?,
        revision: r.get(3)?,
        reason: r.get(4)?,
        competitor: r.get(5)?,
        competitor_price: r.get::<_, Option<i64>>(6)?.map(Money::from_fen),
        by: r.get::<_, Option<i64>>(7)?.map(UserId),
        by_name: r.get(8)?,
        at: row_time(&at)?,
    })
}

impl Tx<'_> {
    pub fn insert_round(&self, n: &NewRound<'_>, now: DateTime<Utc>) -> Result<i64, StoreError> {
        self.conn.execute(
            "INSERT INTO negotiation_rounds (quote_id, round_date, customer_side, asked, offered, user_id, user_name, \
             created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                n.quote.0,
                n.date.to_string(),
                n.draft.customer_side.trim(),
                n.draft.asked.trim(),
                n.draft.offered.trim(),
                n.by.0,
                n.by_name,
                time_to_sql(now)
            ],
        )?;
        Ok(self.conn.last_insert_rowid()?)
    }

    /// A quote's rounds, first first, numbered 1, 2, … in that order.
    pub fn rounds(&self, quote: QuoteId) -> Result<Vec<NegotiationRound>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, quote_id, round_date, customer_side, asked, offered, user_id, user_name, created_at \
             FROM negotiation_rounds WHERE quote_id = ?1 ORDER BY round_date, id",
        )?;
        let mut out: Vec<NegotiationRound> = stmt.query_map([quote.0], round_from_row)?.collect::<Result<_, _>>()?;
        for (i, r) in out.iter_mut().enumerate() {
            r.round = i as u32 + 1;
        }
        Ok(out)
    }

    pub fn insert_outcome(&self, o: &DealOutcome) -> Result<(), StoreError> {
        let price = match o.competitor_price {
            Some(m) => Some(m.fen().ok_or_else(|| StoreError::Corrupt(format!("amount out of range: {m}")))?),
            None => None,
        };
        self.conn.execute(
            "INSERT INTO quote_outcomes (quote_id, outcome, decided_on, revision, reason, competitor, \
             competitor_price_fen, user_id, user_name, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                o.quote.0,
                o.kind.code(),
                o.date.to_string(),
                o.revision,
                o.reason,
                o.competitor,
                price,
                o.by.map(|u| u.0),
                o.by_name,
                time_to_sql(o.at)
            ],
        )?;
        Ok(())
    }

    pub fn outcome(&self, quote: QuoteId) -> Result<Option<DealOutcome>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT quote_id, outcome, decided_on, revision, reason, competitor, competitor_price_fen, user_id, \
                 user_name, recorded_at FROM quote_outcomes WHERE quote_id = ?1",
                [quote.0],
                outcome_from_row,
            )
            .optional()?)
    }

    pub fn insert_change_confirmation(&self, revision: RevisionId, c: &ChangeConfirmation) -> Result<(), StoreError> {
        let change = super::encode_json(&c.change)?;
        self.conn.execute(
            "INSERT INTO change_confirmations (revision_id, step, change_key, change, confirmed, user_id, user_name, \
             at, content_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                revision.0,
                c.step.code(),
                c.change.key,
                change,
                c.confirmed,
                c.by.0,
                c.by_name,
                time_to_sql(c.at),
                c.content_hash
            ],
        )?;
        Ok(())
    }

    /// The confirmations of one revision's changes, head step first, then in the order given
    /// (by time; confirmations made together by their key).
    pub fn change_confirmations(&self, revision: RevisionId) -> Result<Vec<ChangeConfirmation>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT step, change, confirmed, user_id, user_name, at, content_hash FROM change_confirmations \
             WHERE revision_id = ?1 ORDER BY CASE step WHEN 'head' THEN 0 ELSE 1 END, at, change_key",
        )?;
        let rows = stmt.query_map([revision.0], |r| {
            let step: String = r.get(0)?;
            let change: String = r.get(1)?;
            let at: String = r.get(5)?;
            let change: RevisionChange = serde_json::from_str(&change)
                .map_err(|e| super::db::Error::conversion(format!("change confirmation: {e}")))?;
            Ok(ChangeConfirmation {
                step: ApprovalStep::from_code(&step)
                    .ok_or_else(|| super::db::Error::conversion(format!("bad step {step:?}")))?,
                change,
                confirmed: r.get(2)?,
                by: UserId(r.get(3)?),
                by_name: r.get(4)?,
                at: row_time(&at)?,
                content_hash: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
