//! Customers (客户) and their contacts (联系人).

use std::collections::HashMap;

use super::db::{OptionalExtension, Row, params};
use chrono::{DateTime, Utc};

use super::{StoreError, Tx, time_to_sql};
use crate::domain::customer::{Contact, Customer, CustomerDraft, CustomerSummary, Grade, InvoiceInfo, name_core};
use crate::domain::ids::{ContactId, CustomerId, UserId};

const CUSTOMER_COLUMNS: &str = "c.id, c.name, c.short_name, c.credit_code, c.grade, c.source, c.industry, c.province, \
     c.city, c.address, c.phone, c.invoice, c.notes, c.owner_id, COALESCE(u.display_name, ''), c.version, \
     c.updated_at, c.updated_by";

fn grade_from(code: &str) -> super::db::Result<Grade> {
    super::row_code(Grade::parse(code), "customer grade", code)
}

fn customer_from_row(r: &Row<'_>) -> super::db::Result<Customer> {
    let invoice: String = r.get(11)?;
    let updated_at: String = r.get(16)?;
    Ok(Customer {
        id: CustomerId(r.get(0)?),
        draft: CustomerDraft {
            name: r.get(1)?,
            short_name: r.get(2)?,
            credit_code: r.get(3)?,
            grade: grade_from(&r.get::<_, String>(4)?)?,
            source: r.get(5)?,
            industry: r.get(6)?,
            province: r.get(7)?,
            city: r.get(8)?,
            address: r.get(9)?,
            phone: r.get(10)?,
            invoice: super::row_json::<InvoiceInfo>(&invoice, "invoice details")?,
            notes: r.get(12)?,
            contacts: Vec::new(),
        },
        owner: r.get::<_, Option<i64>>(13)?.map(UserId),
        owner_name: r.get(14)?,
        version: r.get(15)?,
        updated_at: super::local_time_text(&updated_at),
        updated_by: r.get(17)?,
    })
}

fn contact_from_row(r: &Row<'_>) -> super::db::Result<Contact> {
    Ok(Contact {
        id: Some(ContactId(r.get(0)?)),
        name: r.get(1)?,
        title: r.get(2)?,
        phone: r.get(3)?,
        mobile: r.get(4)?,
        email: r.get(5)?,
        wechat: r.get(6)?,
        primary: r.get(7)?,
    })
}

fn invoice_json(i: &InvoiceInfo) -> String {
    serde_json::to_string(i).unwrap_or_else(|_| "{}".into())
}

/// A customer the office server's duplicate check found, with why: `code`, `name` (with its
/// `score`) or `phone` (with the number).
#[derive(Debug, Clone, serde::Deserialize)]
pub struct FoundDuplicate {
    pub id: i64,
    pub name: String,
    pub owner: Option<i64>,
    pub owner_name: String,
    pub version: i64,
    pub why: String,
    pub score: Option<f64>,
    pub phone: Option<String>,
}

impl Tx<'_> {
    pub fn insert_customer(
        &self,
        d: &CustomerDraft,
        owner: Option<UserId>,
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<CustomerId, StoreError> {
        let now = time_to_sql(now);
        self.conn.execute(
            "INSERT INTO customers (name, short_name, credit_code, grade, source, industry, province, city, address, \
             phone, invoice, notes, owner_id, created_at, created_by, updated_at, updated_by, name_core) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?14, ?15, ?16)",
            params![
                d.name,
                d.short_name,
                d.credit_code,
                d.grade.code(),
                d.source,
                d.industry,
                d.province,
                d.city,
                d.address,
                d.phone,
                invoice_json(&d.invoice),
                d.notes,
                owner.map(|o| o.0),
                now,
                by,
                name_core(&d.name)
            ],
        )?;
        let id = CustomerId(self.conn.last_insert_rowid()?);
        self.save_contacts(id, &d.contacts)?;
        Ok(id)
    }

    /// Saves the customer's fields and contacts if nobody changed it since `version`.
    /// Contacts keep their ids: those with an id are updated, new ones inserted, missing ones deleted.
    pub fn update_customer(
        &self,
        id: CustomerId,
        version: i64,
        d: &CustomerDraft,
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<(), StoreError> {
        let n = self.conn.execute(
            "UPDATE customers SET name = ?1, short_name = ?2, credit_code = ?3, grade = ?4, source = ?5, industry = ?6, \
             province = ?7, city = ?8, address = ?9, phone = ?10, invoice = ?11, notes = ?12, version = version + 1, \
             updated_at = ?13, updated_by = ?14, name_core = ?17 WHERE id = ?15 AND version = ?16 AND merged_into IS NULL",
            params![
                d.name,
                d.short_name,
                d.credit_code,
                d.grade.code(),
                d.source,
                d.industry,
                d.province,
                d.city,
                d.address,
                d.phone,
                invoice_json(&d.invoice),
                d.notes,
                time_to_sql(now),
                by,
                id.0,
                version,
                name_core(&d.name)
            ],
        )?;
        self.expect_one(n, "客户", "customers", ("id", &id.0))?;
        self.save_contacts(id, &d.contacts)
    }

    fn save_contacts(&self, id: CustomerId, contacts: &[Contact]) -> Result<(), StoreError> {
        let keep: Vec<i64> = contacts.iter().filter_map(|c| c.id.map(|i| i.0)).collect();
        let existing: Vec<i64> = {
            let mut stmt = self.conn.prepare("SELECT id FROM contacts WHERE customer_id = ?1")?;
            stmt.query_map([id.0], |r| r.get(0))?.collect::<Result<_, _>>()?
        };
        for gone in existing.iter().filter(|e| !keep.contains(e)) {
            self.conn.execute("DELETE FROM contacts WHERE id = ?1", [gone])?;
        }
        for (pos, c) in contacts.iter().enumerate() {
            let own_id = c.id.filter(|cid| existing.contains(&cid.0)).map(|cid| cid.0);
            let fields = params![id.0, pos as i64, c.name, c.title, c.phone, c.mobile, c.email, c.wechat, c.primary];
            match own_id {
                Some(own) => {
                    let mut values: Vec<_> = fields.to_vec();
                    values.push(&own);
                    self.conn.execute(
                        "UPDATE contacts SET customer_id = ?1, position = ?2, name = ?3, title = ?4, phone = ?5, \
                         mobile = ?6, email = ?7, wechat = ?8, is_primary = ?9 WHERE id = ?10",
                        values.as_slice(),
                    )?
                }
                None => self.conn.execute(
                    "INSERT INTO contacts (customer_id, position, name, title, phone, mobile, email, wechat, is_primary) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    fields,
                )?,
            };
        }
        Ok(())
    }

    /// A customer with its contacts; merged-away customers are not found.
    pub fn customer(&self, id: CustomerId) -> Result<Customer, StoreError> {
        let sql = format!(
            "SELECT {CUSTOMER_COLUMNS} FROM customers c LEFT JOIN users u ON u.id = c.owner_id \
             WHERE c.id = ?1 AND c.merged_into IS NULL"
        );
        let mut c = self
            .conn
            .query_row(&sql, [id.0], customer_from_row)
            .optional()?
            .ok_or_else(|| self.missing("customers", id.0, "客户"))?;
        c.draft.contacts = self.contacts(id)?;
        Ok(c)
    }

    fn contacts(&self, id: CustomerId) -> Result<Vec<Contact>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, name, title, phone, mobile, email, wechat, is_primary FROM contacts \
             WHERE customer_id = ?1 ORDER BY position, id",
        )?;
        let rows = stmt.query_map([id.0], contact_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every live customer with the fields the list shows, in name order (byte order, the same on
    /// both engines), each with its contacts' names and numbers in their order on the card. Two
    /// plain scans; the sorting is done here (SQLite's temporary B-trees for 100 000 whole rows
    /// cost more than the scans).
    pub fn customer_summaries(&self) -> Result<Vec<(CustomerSummary, Vec<String>)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT c.id, c.name, c.short_name, c.credit_code, c.grade, c.industry, c.province, c.city, c.phone, \
                    c.owner_id, COALESCE(u.display_name, ''), c.updated_at, c.version \
             FROM customers c LEFT JOIN users u ON u.id = c.owner_id WHERE c.merged_into IS NULL",
        )?;
        let rows = stmt.query_map([], |r| {
            let grade: String = r.get(4)?;
            Ok(CustomerSummary {
                id: CustomerId(r.get(0)?),
                name: r.get(1)?,
                short_name: r.get(2)?,
                credit_code: r.get(3)?,
                grade: grade_from(&grade)?,
                industry: r.get(5)?,
                province: r.get(6)?,
                city: r.get(7)?,
                phone: r.get(8)?,
                owner: r.get::<_, Option<i64>>(9)?.map(UserId),
                owner_name: r.get(10)?,
                contact: String::new(),
                contact_phone: String::new(),
                updated_at: r.get(11)?,
                version: r.get(12)?,
            })
        })?;
        let mut out: Vec<(CustomerSummary, Vec<String>)> =
            rows.map(|r| r.map(|s| (s, Vec::new()))).collect::<Result<_, _>>()?;
        out.sort_unstable_by(|(a, _), (b, _)| a.name.cmp(&b.name).then(a.id.0.cmp(&b.id.0)));
        let at: HashMap<i64, usize> = out.iter().enumerate().map(|(i, (s, _))| (s.id.0, i)).collect();
        let mut stmt =
            self.conn.prepare("SELECT customer_id, position, id, name, mobile, phone, is_primary FROM contacts")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, bool>(6)?,
            ))
        })?;
        // (row of `out`, position, id, name, mobile, phone, primary); merged customers' are skipped.
        let mut contacts = Vec::new();
        for row in rows {
            let (customer, position, id, name, mobile, phone, primary) = row?;
            if let Some(&i) = at.get(&customer) {
                contacts.push((i, position, id, name, mobile, phone, primary));
            }
        }
        contacts.sort_unstable_by_key(|c| (c.0, c.1, c.2));
        // The main contact: the primary one, else the first.
        let mut main: Vec<Option<(bool, usize)>> = vec![None; out.len()];
        for (k, c) in contacts.iter().enumerate() {
            if main[c.0].is_none_or(|(primary, _)| !primary && c.6) {
                main[c.0] = Some((c.6, k));
            }
        }
        for ((summary, _), m) in out.iter_mut().zip(&main) {
            if let Some((_, k)) = m {
                let c = &contacts[*k];
                summary.contact = c.3.clone();
                summary.contact_phone = if c.4.is_empty() { c.5.clone() } else { c.4.clone() };
            }
        }
        for (i, _, _, name, mobile, phone, _) in contacts {
            out[i].1.extend([name, mobile, phone].into_iter().filter(|t| !t.is_empty()));
        }
        Ok(out)
    }

    pub fn set_customer_owner(
        &self,
        id: CustomerId,
        version: i64,
        owner: Option<UserId>,
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<(), StoreError> {
        let n = self.conn.execute(
            "UPDATE customers SET owner_id = ?1, version = version + 1, updated_at = ?2, updated_by = ?3 \
             WHERE id = ?4 AND version = ?5 AND merged_into IS NULL",
            params![owner.map(|o| o.0), time_to_sql(now), by, id.0, version],
        )?;
        self.expect_one(n, "客户", "customers", ("id", &id.0))
    }

    /// Moves `from`'s contacts to `into` and retires `from` (it stays in the database, pointing
    /// at the customer it was merged into). Later tables that reference customers move here too.
    pub fn merge_customer(
        &self,
        into: CustomerId,
        into_version: i64,
        from: CustomerId,
        from_version: i64,
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<(), StoreError> {
        let at = time_to_sql(now);
        let n = self.conn.execute(
            "UPDATE customers SET merged_into = ?1, version = version + 1, updated_at = ?2, updated_by = ?3 \
             WHERE id = ?4 AND version = ?5 AND merged_into IS NULL",
            params![into.0, at, by, from.0, from_version],
        )?;
        self.expect_one(n, "客户", "customers", ("id", &from.0))?;
        let n = self.conn.execute(
            "UPDATE customers SET version = version + 1, updated_at = ?1, updated_by = ?2 \
             WHERE id = ?3 AND version = ?4 AND merged_into IS NULL",
            params![at, by, into.0, into_version],
        )?;
        self.expect_one(n, "客户", "customers", ("id", &into.0))?;
        let offset: i64 = self.conn.query_row(
            "SELECT COALESCE(MAX(position) + 1, 0) FROM contacts WHERE customer_id = ?1",
            [into.0],
            |r| r.get(0),
        )?;
        self.conn.execute(
            "UPDATE contacts SET customer_id = ?1, position = position + ?2, is_primary = 0 WHERE customer_id = ?3",
            params![into.0, offset, from.0],
        )?;
        // The history follows the customer.
        for table in ["inquiries", "phone_answers", "quotes", "visits"] {
            self.conn.execute(
                &format!("UPDATE {table} SET customer_id = ?1 WHERE customer_id = ?2"),
                params![into.0, from.0],
            )?;
        }
        Ok(())
    }

    /// Why a row of `table` (customers, visits) was not read: not there, or — on the office
    /// server — there but not this login's to read (`salesdesk_hidden_owner` says whose).
    pub(super) fn missing(&self, table: &str, id: i64, what: &'static str) -> StoreError {
        if self.engine() != super::db::Engine::Postgres {
            return StoreError::NotFound(what);
        }
        let owner = self
            .conn
            .query_row("SELECT salesdesk_hidden_owner(?1, ?2)", params![table, id], |r| r.get::<_, Option<String>>(0));
        match owner {
            Ok(Some(owner)) => StoreError::NotYours { what, owner },
            Ok(None) => StoreError::NotFound(what),
            Err(e) => e.into(),
        }
    }

    /// Live customers with this credit code (the uniqueness check): id and name, over the whole
    /// archive — on the office server through `salesdesk_customer_duplicates`, since a
    /// salesperson's login does not read the others' customers.
    pub fn customers_with_credit_code(&self, code: &str) -> Result<Vec<(CustomerId, String)>, StoreError> {
        if self.engine() == super::db::Engine::Postgres {
            return Ok(self
                .customer_duplicates(None, &[], code)?
                .into_iter()
                .filter(|d| d.why == "code")
                .map(|d| (CustomerId(d.id), d.name))
                .collect());
        }
        let mut stmt = self.conn.prepare(
            "SELECT id, name FROM customers WHERE credit_code = ?1 AND credit_code <> '' AND merged_into IS NULL",
        )?;
        let rows = stmt.query_map([code], |r| Ok((CustomerId(r.get(0)?), r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The office server's duplicate check over the whole archive (`salesdesk_customer_duplicates`):
    /// live customers with the credit code `code`, a name core at least `SIMILAR_NAME` alike to
    /// `core` (when given), or one of `phones` (digits) — code hits first, then names, then phones.
    /// Office server only: a file's seat checks its in-memory list.
    pub fn customer_duplicates(
        &self,
        core: Option<&str>,
        phones: &[String],
        code: &str,
    ) -> Result<Vec<FoundDuplicate>, StoreError> {
        let answer: String = self.conn.query_row(
            "SELECT salesdesk_customer_duplicates(?1, ?2, ?3)",
            params![core, super::encode_json(&phones)?, code],
            |r| r.get(0),
        )?;
        serde_json::from_str(&answer).map_err(|e| StoreError::Corrupt(format!("salesdesk_customer_duplicates: {e}")))
    }

    /// Changes with every write to any customer (each bumps its version; merged rows count too):
    /// how a seat tells whether another seat changed the archive.
    pub fn customers_fingerprint(&self) -> Result<(i64, i64), StoreError> {
        Ok(self.conn.query_row("SELECT count(*), COALESCE(SUM(version), 0) FROM customers", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?)
    }

    pub fn count_customers(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("SELECT count(*) FROM customers WHERE merged_into IS NULL", [], |r| r.get(0))?)
    }
}
