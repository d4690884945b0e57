//! The 业绩库: one row per signed contract listed as a reference, with what the 业绩表 prints.

use chrono::{DateTime, Utc};

use super::db::{OptionalExtension, Row, params};
use super::{StoreError, Tx, time_to_sql};
use crate::domain::ids::{ContractId, ReferenceId};
use crate::domain::money::Money;
use crate::domain::reference::{Reference, ReferenceDraft};

/// The 业绩库 with each reference's contract number. Every bid author reads the list, whoever's
/// contract it came from: on the office server the number comes from `salesdesk_reference_number`
/// (the number of a contract listed as a reference, nothing else), as the contract row itself may
/// not be theirs to read.
fn reference_sql(engine: super::db::Engine) -> &'static str {
    match engine {
        super::db::Engine::Sqlite => {
            "SELECT r.id, r.contract_id, c.number, r.customer_name, r.project, r.products, \
             r.category, r.amount_fen, r.signed_on, r.contact, r.active, r.version, r.updated_at, r.updated_by \
             FROM bid_references r JOIN contracts c ON c.id = r.contract_id"
        }
        super::db::Engine::Postgres => {
            "SELECT r.id, r.contract_id, salesdesk_reference_number(r.contract_id), r.customer_name, r.project, \
             r.products, r.category, r.amount_fen, r.signed_on, r.contact, r.active, r.version, r.updated_at, \
             r.updated_by FROM bid_references r"
        }
    }
}

fn reference_from_row(r: &Row<'_>) -> super::db::Result<Reference> {
    let updated: String = r.get(12)?;
    Ok(Reference {
        id: ReferenceId(r.get(0)?),
        contract: ContractId(r.get(1)?),
        contract_number: r.get(2)?,
        draft: ReferenceDraft {
            customer_name: r.get(3)?,
            project: r.get(4)?,
            products: r.get(5)?,
            category: r.get(6)?,
            amount: Money::from_fen(r.get(7)?),
            signed_on: Some(r.get(8)?),
            contact: r.get(9)?,
        },
        active: r.get(10)?,
        version: r.get(11)?,
        updated_at: super::local_time_text(&updated),
        updated_by: r.get(13)?,
    })
}

fn fen(m: Money) -> Result<i64, StoreError> {
    m.fen().ok_or_else(|| StoreError::Corrupt(format!("amount out of range: {m}")))
}

impl Tx<'_> {
    /// Lists a signed contract as a reference (`d` validated; its signing date set).
    pub fn insert_reference(
        &self,
        contract: ContractId,
        d: &ReferenceDraft,
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<ReferenceId, StoreError> {
        let signed = d.signed_on.ok_or(StoreError::Corrupt("a reference without its signing date".into()))?;
        self.conn.execute(
            "INSERT INTO bid_references (contract_id, customer_name, project, products, category, amount_fen, \
             signed_on, contact, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                contract.0,
                d.customer_name,
                d.project,
                d.products,
                d.category,
                fen(d.amount)?,
                signed,
                d.contact,
                time_to_sql(now),
                by
            ],
        )?;
        Ok(ReferenceId(self.conn.last_insert_rowid()?))
    }

    /// The whole 业绩库, in use first, newest signing first.
    pub fn references(&self) -> Result<Vec<Reference>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!("{} ORDER BY r.active DESC, r.signed_on DESC, r.id", reference_sql(self.engine())))?;
        let rows = stmt.query_map([], reference_from_row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    pub fn reference(&self, id: ReferenceId) -> Result<Reference, StoreError> {
        self.conn
            .query_row(&format!("{} WHERE r.id = ?1", reference_sql(self.engine())), [id.0], reference_from_row)
            .optional()?
            .ok_or(StoreError::NotFound("业绩"))
    }

    /// The reference taken from `contract`, if it was listed.
    pub fn reference_of_contract(&self, contract: ContractId) -> Result<Option<Reference>, StoreError> {
        Ok(self
            .conn
            .query_row(
                &format!("{} WHERE r.contract_id = ?1", reference_sql(self.engine())),
                [contract.0],
                reference_from_row,
            )
            .optional()?)
    }

    /// Saves what the 业绩表 prints and whether it is offered, if the row is still at `version`.
    pub fn update_reference(
        &self,
        id: ReferenceId,
        version: i64,
        d: &ReferenceDraft,
        active: bool,
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<(), StoreError> {
        let signed = d.signed_on.ok_or(StoreError::Corrupt("a reference without its signing date".into()))?;
        let n = self.conn.execute(
            "UPDATE bid_references SET customer_name = ?1, project = ?2, products = ?3, category = ?4, \
             amount_fen = ?5, signed_on = ?6, contact = ?7, active = ?8, version = version + 1, updated_at = ?9, \
             updated_by = ?10 WHERE id = ?11 AND version = ?12",
            params![
                d.customer_name,
                d.project,
                d.products,
                d.category,
                fen(d.amount)?,
                signed,
                d.contact,
                active,
                time_to_sql(now),
                by,
                id.0,
                version
            ],
        )?;
        self.expect_one(n, "业绩", "bid_references", ("id", &id.0))
    }
}
