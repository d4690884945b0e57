//! Contracts, their confirmations, deliveries, invoices, receipts and the sales targets.
//! Deliveries, invoices and confirmations are facts written once; contracts, receipts (the
//! hand-in) and targets are versioned rows.

use super::db::{OptionalExtension, Row, params};
use chrono::{DateTime, NaiveDate, Utc};

use super::quotes::approval_from_row;
use super::{StoreError, Tx, row_date, row_time, time_to_sql};
use crate::domain::contract::{Contract, ContractContent, ContractStatus, Delivery, Invoice};
use crate::domain::docno::DocNumber;
use crate::domain::ids::{ContractId, CustomerId, QuoteId, RevisionId, UserId};
use crate::domain::money::Money;
use crate::domain::quote::Approval;
use crate::domain::receivable::{PaymentMethod, Receipt, Target, TargetDraft};

fn fen(m: Money) -> Result<i64, StoreError> {
    m.fen().ok_or_else(|| StoreError::Corrupt(format!("amount out of range: {m}")))
}

/// What creating a contract records.
pub struct NewContract<'a> {
    pub number: DocNumber,
    pub quote: QuoteId,
    pub revision: RevisionId,
    pub customer: CustomerId,
    pub customer_name: &'a str,
    pub salesperson: UserId,
    pub salesperson_name: &'a str,
    pub customer_owner: Option<UserId>,
    pub author: UserId,
    pub author_name: &'a str,
    pub subject: &'a str,
    pub content: &'a ContractContent,
    pub major_reasons: &'a [String],
}

const CONTRACT_SQL: &str = "SELECT c.id, c.number, c.quote_id, q.number, c.revision_id, r.revision, c.customer_id, \
     c.customer_name, c.salesperson_id, c.salesperson_name, c.customer_owner_id, c.author_id, c.author_name, c.subject, \
     c.status, c.content, c.content_hash, c.total_fen, c.major, c.major_reasons, c.signed_on, c.created_at, c.version, \
     c.updated_at, c.updated_by, cu.owner_id, c.accepted_on FROM contracts c JOIN quotes q ON q.id = c.quote_id \
     JOIN revisions r ON r.id = c.revision_id LEFT JOIN customers cu ON cu.id = c.customer_id";

fn contract_from_row(r: &Row<'_>) -> super::db::Result<Contract> {
    let number: String = r.get(1)?;
    let status: String = r.get(14)?;
    let content: String = r.get(15)?;
    let reasons: String = r.get(19)?;
    let signed: Option<String> = r.get(20)?;
    let created: String = r.get(21)?;
    Ok(Contract {
        id: ContractId(r.get(0)?),
        number: number.parse().map_err(|_| super::db::Error::conversion(format!("bad number {number:?}")))?,
        quote: QuoteId(r.get(2)?),
        quote_number: r.get(3)?,
        revision: RevisionId(r.get(4)?),
        revision_number: r.get(5)?,
        customer: CustomerId(r.get(6)?),
        customer_name: r.get(7)?,
        salesperson: UserId(r.get(8)?),
        salesperson_name: r.get(9)?,
        customer_owner: r.get::<_, Option<i64>>(10)?.map(UserId),
        current_owner: r.get::<_, Option<i64>>(25)?.map(UserId),
        author: UserId(r.get(11)?),
        author_name: r.get(12)?,
        subject: r.get(13)?,
        status: ContractStatus::from_code(&status)
            .ok_or_else(|| super::db::Error::conversion(format!("bad status {status:?}")))?,
        content: serde_json::from_str(&content).map_err(|e| super::db::Error::conversion(e.to_string()))?,
        content_hash: r.get(16)?,
        total: Money::from_fen(r.get(17)?),
        major: r.get(18)?,
        major_reasons: serde_json::from_str(&reasons).map_err(|e| super::db::Error::conversion(e.to_string()))?,
        signed_on: signed.as_deref().map(row_date).transpose()?,
        accepted_on: r.get::<_, Option<String>>(26)?.as_deref().map(row_date).transpose()?,
        approvals: Vec::new(),
        created_at: row_time(&created)?,
        version: r.get(22)?,
        updated_at: r.get(23)?,
        updated_by: r.get(24)?,
    })
}

const RECEIPT_SQL: &str = "SELECT id, contract_id, received_on, amount_fen, method, note, collected_by_salesperson, \
     overpayment, handed_in_on, handed_in_by, user_id, user_name, created_at, version, updated_at, updated_by FROM receipts";

fn receipt_from_row(r: &Row<'_>) -> super::db::Result<Receipt> {
    let on: String = r.get(2)?;
    let method: String = r.get(4)?;
    let handed: Option<String> = r.get(8)?;
    let at: String = r.get(12)?;
    Ok(Receipt {
        id: r.get(0)?,
        contract: ContractId(r.get(1)?),
        date: row_date(&on)?,
        amount: Money::from_fen(r.get(3)?),
        method: PaymentMethod::from_code(&method)
            .ok_or_else(|| super::db::Error::conversion(format!("bad method {method:?}")))?,
        note: r.get(5)?,
        collected_by_salesperson: r.get(6)?,
        overpayment: r.get(7)?,
        handed_in_on: handed.as_deref().map(row_date).transpose()?,
        handed_in_by: r.get(9)?,
        by: UserId(r.get(10)?),
        by_name: r.get(11)?,
        at: row_time(&at)?,
        version: r.get(13)?,
        updated_at: r.get(14)?,
        updated_by: r.get(15)?,
    })
}

impl Tx<'_> {
    pub fn insert_contract(&self, n: &NewContract<'_>, now: DateTime<Utc>, by: &str) -> Result<ContractId, StoreError> {
        let content = super::encode_json(n.content)?;
        let reasons = super::encode_json(n.major_reasons)?;
        let at = time_to_sql(now);
        self.conn
            .execute(
                "INSERT INTO contracts (number, quote_id, revision_id, customer_id, customer_name, salesperson_id, \
             salesperson_name, customer_owner_id, author_id, author_name, subject, status, content, content_hash, \
             total_fen, major, major_reasons, created_at, updated_at, updated_by) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'draft', ?12, ?13, ?14, ?15, ?16, ?17, ?17, ?18)",
                params![
                    n.number.to_string(),
                    n.quote.0,
                    n.revision.0,
                    n.customer.0,
                    n.customer_name,
                    n.salesperson.0,
                    n.salesperson_name,
                    n.customer_owner.map(|u| u.0),
                    n.author.0,
                    n.author_name,
                    n.subject,
                    content,
                    n.content.content_hash().map_err(|e| StoreError::Encode(e.to_string()))?,
                    fen(n.content.totals().total)?,
                    !n.major_reasons.is_empty(),
                    reasons,
                    at,
                    by
                ],
            )
            .map_err(|e| match e {
                e if e.is_constraint_violation() => StoreError::Duplicate("该报价的合同".into()),
                e => e.into(),
            })?;
        Ok(ContractId(self.conn.last_insert_rowid()?))
    }

    fn contract_approvals(&self, id: ContractId) -> Result<Vec<Approval>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT step, user_id, user_name, at, approved, comment, content_hash FROM contract_approvals \
             WHERE contract_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([id.0], |r| approval_from_row(r, 0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn contract(&self, id: ContractId) -> Result<Contract, StoreError> {
        let sql = format!("{CONTRACT_SQL} WHERE c.id = ?1");
        let mut c = self
            .conn
            .query_row(&sql, [id.0], contract_from_row)
            .optional()?
            .ok_or_else(|| self.missing("contracts", id.0, "合同"))?;
        c.approvals = self.contract_approvals(id)?;
        Ok(c)
    }

    pub fn contract_for_quote(&self, quote: QuoteId) -> Result<Option<Contract>, StoreError> {
        let id: Option<i64> =
            self.conn.query_row("SELECT id FROM contracts WHERE quote_id = ?1", [quote.0], |r| r.get(0)).optional()?;
        id.map(|id| self.contract(ContractId(id))).transpose()
    }

    /// Every contract, newest first, with its confirmations.
    pub fn contracts(&self) -> Result<Vec<Contract>, StoreError> {
        self.contracts_where(None)
    }

    /// The contracts in one status (drafts waiting for confirmation: a few among thousands).
    pub fn contracts_in(&self, status: ContractStatus) -> Result<Vec<Contract>, StoreError> {
        self.contracts_where(Some(status))
    }

    fn contracts_where(&self, status: Option<ContractStatus>) -> Result<Vec<Contract>, StoreError> {
        let filter = "WHERE CAST(?1 AS TEXT) IS NULL OR c.status = ?1";
        let sql = format!("{CONTRACT_SQL} {filter} ORDER BY c.created_at DESC, c.id DESC");
        let code = status.map(|s| s.code());
        let mut stmt = self.conn.prepare(&sql)?;
        let mut out: Vec<Contract> = stmt.query_map([code], contract_from_row)?.collect::<Result<_, _>>()?;
        let mut approvals = self.conn.prepare(
            "SELECT a.contract_id, a.step, a.user_id, a.user_name, a.at, a.approved, a.comment, a.content_hash \
             FROM contract_approvals a JOIN contracts c ON c.id = a.contract_id \
             WHERE CAST(?1 AS TEXT) IS NULL OR c.status = ?1 ORDER BY a.id",
        )?;
        let rows = approvals.query_map([code], |r| Ok((r.get::<_, i64>(0)?, approval_from_row(r, 1)?)))?;
        // By position, not a search through every contract per approval (quadratic at scale).
        let at: std::collections::HashMap<i64, usize> = out.iter().enumerate().map(|(i, c)| (c.id.0, i)).collect();
        for row in rows {
            let (id, a) = row?;
            if let Some(&i) = at.get(&id) {
                out[i].approvals.push(a);
            }
        }
        Ok(out)
    }

    /// Replaces the content (a draft's schedule) if the contract is still at `version`.
    pub fn update_contract_content(
        &self,
        id: ContractId,
        version: i64,
        content: &ContractContent,
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<(), StoreError> {
        let json = super::encode_json(content)?;
        let n = self.conn.execute(
            "UPDATE contracts SET content = ?1, content_hash = ?2, version = version + 1, updated_at = ?3, \
             updated_by = ?4 WHERE id = ?5 AND version = ?6",
            params![
                json,
                content.content_hash().map_err(|e| StoreError::Encode(e.to_string()))?,
                time_to_sql(now),
                by,
                id.0,
                version
            ],
        )?;
        self.expect_one(n, "合同", "contracts", ("id", &id.0))
    }

    /// Records a confirmation (or refusal) and the status it leads to, if still at `version`.
    pub fn insert_contract_approval(
        &self,
        id: ContractId,
        version: i64,
        a: &Approval,
        status: ContractStatus,
        by: &str,
    ) -> Result<(), StoreError> {
        self.set_contract_status(id, version, status, None, a.at, by)?;
        self.conn.execute(
            "INSERT INTO contract_approvals (contract_id, step, user_id, user_name, at, approved, comment, content_hash) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![id.0, a.step.code(), a.by.0, a.by_name, time_to_sql(a.at), a.approved, a.comment, a.content_hash],
        )?;
        Ok(())
    }

    pub fn set_contract_status(
        &self,
        id: ContractId,
        version: i64,
        status: ContractStatus,
        signed_on: Option<NaiveDate>,
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<(), StoreError> {
        let n = self.conn.execute(
            "UPDATE contracts SET status = ?1, signed_on = COALESCE(?2, signed_on), version = version + 1, \
             updated_at = ?3, updated_by = ?4 WHERE id = ?5 AND version = ?6",
            params![status.code(), signed_on.map(|d| d.to_string()), time_to_sql(now), by, id.0, version],
        )?;
        self.expect_one(n, "合同", "contracts", ("id", &id.0))
    }

    /// Records (or corrects, or with `None` clears) the contract's 验收日期.
    pub fn set_contract_acceptance(
        &self,
        id: ContractId,
        version: i64,
        accepted_on: Option<NaiveDate>,
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<(), StoreError> {
        let n = self.conn.execute(
            "UPDATE contracts SET accepted_on = ?1, version = version + 1, updated_at = ?2, updated_by = ?3 \
             WHERE id = ?4 AND version = ?5",
            params![accepted_on.map(|d| d.to_string()), time_to_sql(now), by, id.0, version],
        )?;
        self.expect_one(n, "合同", "contracts", ("id", &id.0))
    }

    pub fn insert_delivery(&self, d: &Delivery) -> Result<i64, StoreError> {
        let lines = super::encode_json(&d.lines)?;
        self.conn.execute(
            "INSERT INTO deliveries (contract_id, delivered_on, lines, note, user_id, user_name, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![d.contract.0, d.date.to_string(), lines, d.note, d.by.0, d.by_name, time_to_sql(d.at)],
        )?;
        Ok(self.conn.last_insert_rowid()?)
    }

    /// A contract's deliveries, oldest first (None: every contract's).
    pub fn deliveries(&self, contract: Option<ContractId>) -> Result<Vec<Delivery>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, contract_id, delivered_on, lines, note, user_id, user_name, created_at FROM deliveries \
             WHERE CAST(?1 AS BIGINT) IS NULL OR contract_id = ?1 ORDER BY delivered_on, id",
        )?;
        let rows = stmt.query_map([contract.map(|c| c.0)], |r| {
            let on: String = r.get(2)?;
            let lines: String = r.get(3)?;
            let at: String = r.get(7)?;
            Ok(Delivery {
                id: r.get(0)?,
                contract: ContractId(r.get(1)?),
                date: row_date(&on)?,
                lines: serde_json::from_str(&lines).map_err(|e| super::db::Error::conversion(e.to_string()))?,
                note: r.get(4)?,
                by: UserId(r.get(5)?),
                by_name: r.get(6)?,
                at: row_time(&at)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn insert_invoice(&self, i: &Invoice) -> Result<i64, StoreError> {
        self.conn
            .execute(
                "INSERT INTO invoices (contract_id, number, invoiced_on, amount_fen, tax_fen, user_id, user_name, \
                 created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    i.contract.0,
                    i.number,
                    i.date.to_string(),
                    fen(i.amount)?,
                    fen(i.tax)?,
                    i.by.0,
                    i.by_name,
                    time_to_sql(i.at)
                ],
            )
            .map_err(|e| match e {
                e if e.is_constraint_violation() => StoreError::Duplicate(format!("发票号码 {}", i.number)),
                e => e.into(),
            })?;
        Ok(self.conn.last_insert_rowid()?)
    }

    pub fn invoices(&self, contract: Option<ContractId>) -> Result<Vec<Invoice>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, contract_id, number, invoiced_on, amount_fen, tax_fen, user_id, user_name, created_at \
             FROM invoices WHERE CAST(?1 AS BIGINT) IS NULL OR contract_id = ?1 ORDER BY invoiced_on, id",
        )?;
        let rows = stmt.query_map([contract.map(|c| c.0)], |r| {
            let on: String = r.get(3)?;
            let at: String = r.get(8)?;
            Ok(Invoice {
                id: r.get(0)?,
                contract: ContractId(r.get(1)?),
                number: r.get(2)?,
                date: row_date(&on)?,
                amount: Money::from_fen(r.get(4)?),
                tax: Money::from_fen(r.get(5)?),
                by: UserId(r.get(6)?),
                by_name: r.get(7)?,
                at: row_time(&at)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn insert_receipt(&self, r: &Receipt) -> Result<i64, StoreError> {
        let at = time_to_sql(r.at);
        self.conn.execute(
            "INSERT INTO receipts (contract_id, received_on, amount_fen, method, note, collected_by_salesperson, \
             overpayment, user_id, user_name, created_at, updated_at, updated_by) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)",
            params![
                r.contract.0,
                r.date.to_string(),
                fen(r.amount)?,
                r.method.code(),
                r.note,
                r.collected_by_salesperson,
                r.overpayment,
                r.by.0,
                r.by_name,
                at,
                r.updated_by
            ],
        )?;
        Ok(self.conn.last_insert_rowid()?)
    }

    pub fn receipt(&self, id: i64) -> Result<Receipt, StoreError> {
        let sql = format!("{RECEIPT_SQL} WHERE id = ?1");
        self.conn.query_row(&sql, [id], receipt_from_row).optional()?.ok_or(StoreError::NotFound("回款"))
    }

    /// A contract's receipts, oldest first (None: every contract's).
    pub fn receipts(&self, contract: Option<ContractId>) -> Result<Vec<Receipt>, StoreError> {
        let sql =
            format!("{RECEIPT_SQL} WHERE CAST(?1 AS BIGINT) IS NULL OR contract_id = ?1 ORDER BY received_on, id");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([contract.map(|c| c.0)], receipt_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Marks a receipt handed in (上交) if it is still at `version`.
    pub fn set_handed_in(
        &self,
        id: i64,
        version: i64,
        on: NaiveDate,
        who: &str,
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<(), StoreError> {
        let n = self.conn.execute(
            "UPDATE receipts SET handed_in_on = ?1, handed_in_by = ?2, version = version + 1, updated_at = ?3, \
             updated_by = ?4 WHERE id = ?5 AND version = ?6",
            params![on.to_string(), who, time_to_sql(now), by, id, version],
        )?;
        self.expect_one(n, "回款", "receipts", ("id", &id))
    }

    /// Every target of `year` (all salespeople), yearly ones first.
    pub fn targets(&self, year: i32) -> Result<Vec<Target>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT t.salesperson_id, u.display_name, t.year, t.month, t.sales_fen, t.collection_fen, t.version, \
             t.updated_at, t.updated_by FROM sales_targets t JOIN users u ON u.id = t.salesperson_id \
             WHERE t.year = ?1 ORDER BY t.salesperson_id, t.month",
        )?;
        let rows = stmt.query_map([year], |r| {
            let month: u32 = r.get(3)?;
            Ok(Target {
                draft: TargetDraft {
                    salesperson: UserId(r.get(0)?),
                    year: r.get(2)?,
                    month: (month > 0).then_some(month),
                    sales: Money::from_fen(r.get(4)?),
                    collection: Money::from_fen(r.get(5)?),
                },
                salesperson_name: r.get(1)?,
                version: r.get(6)?,
                updated_at: r.get(7)?,
                updated_by: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Sets a target: inserted when `version` is None (refused if it exists meanwhile), else
    /// updated if still at `version`.
    pub fn put_target(
        &self,
        t: &TargetDraft,
        version: Option<i64>,
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<(), StoreError> {
        let month = t.month.unwrap_or(0);
        let at = time_to_sql(now);
        match version {
            None => {
                let n = self.conn.execute(
                    "INSERT INTO sales_targets (salesperson_id, year, month, sales_fen, collection_fen, updated_at, \
                     updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
                    params![t.salesperson.0, t.year, month, fen(t.sales)?, fen(t.collection)?, at, by],
                )?;
                if n == 1 {
                    return Ok(());
                }
                let who: (String, String) = self.conn.query_row(
                    "SELECT updated_by, updated_at FROM sales_targets WHERE salesperson_id = ?1 AND year = ?2 \
                     AND month = ?3",
                    params![t.salesperson.0, t.year, month],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                Err(StoreError::Conflict { entity: "销售目标", by: who.0, at: super::local_time_text(&who.1) })
            }
            Some(v) => {
                let n = self.conn.execute(
                    "UPDATE sales_targets SET sales_fen = ?1, collection_fen = ?2, version = version + 1, \
                     updated_at = ?3, updated_by = ?4 WHERE salesperson_id = ?5 AND year = ?6 AND month = ?7 \
                     AND version = ?8",
                    params![fen(t.sales)?, fen(t.collection)?, at, by, t.salesperson.0, t.year, month, v],
                )?;
                if n == 1 {
                    return Ok(());
                }
                let who: Option<(String, String)> = self
                    .conn
                    .query_row(
                        "SELECT updated_by, updated_at FROM sales_targets WHERE salesperson_id = ?1 AND year = ?2 \
                         AND month = ?3",
                        params![t.salesperson.0, t.year, month],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                match who {
                    Some((by, at)) => {
                        Err(StoreError::Conflict { entity: "销售目标", by, at: super::local_time_text(&at) })
                    }
                    None => Err(StoreError::NotFound("销售目标")),
                }
            }
        }
    }
}
