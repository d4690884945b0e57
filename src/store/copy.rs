//! Moving a whole office between stores: `salesdesk migrate` (a SQLite file onto the office
//! server) and the server's `backup` (a consistent snapshot into a SQLite file that opens, checks
//! and migrates like any other office file). Row by row, table by table, in one transaction on
//! each side, then verified: equal row counts and an audit chain that still verifies.

use super::db::{Engine, Value};
use super::{Store, StoreError, Tx, pg};

/// Every table of the office, parents before children (foreign keys hold at each insert).
pub const TABLES: &[&str] = &[
    "users",
    "sign_in_attempts",
    "settings",
    "attachments",
    "sequences",
    "audit_log",
    "audit_head",
    "customers",
    "contacts",
    "products",
    "price_versions",
    "prices",
    "inquiries",
    "inquiry_lines",
    "tender_clauses",
    "inquiry_decisions",
    "inquiry_attachments",
    "phone_answers",
    "quotes",
    "revisions",
    "approvals",
    "tech_reviews",
    "visits",
    "weekly_reports",
    "issued_pdfs",
    "issued_documents",
    "certificates",
    "negotiation_rounds",
    "quote_outcomes",
    "change_confirmations",
    "contracts",
    "contract_approvals",
    "deliveries",
    "invoices",
    "receipts",
    "sales_targets",
    "print_jobs",
    "bid_references",
];

/// Columns that point to a later row of their own table: copied as NULL, then set.
const SELF_REFERENCES: &[(&str, &str)] = &[("customers", "merged_into")];

/// One table's rows on both sides after a copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCount {
    pub table: &'static str,
    pub source: i64,
    pub target: i64,
}

impl Tx<'_> {
    /// The table's columns in their order.
    fn columns(&self, table: &str) -> Result<Vec<String>, StoreError> {
        let sql = match self.engine() {
            Engine::Sqlite => "SELECT name FROM pragma_table_info(?1) ORDER BY cid",
            Engine::Postgres => {
                "SELECT column_name::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = ?1 ORDER BY ordinal_position"
            }
        };
        Ok(self.conn.query_map(sql, [table], |r| r.get(0))?)
    }

    /// The office's tables on this engine (not its bookkeeping: sqlite_*, salesdesk_meta).
    fn table_names(&self) -> Result<Vec<String>, StoreError> {
        let sql = match self.engine() {
            Engine::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
            }
            Engine::Postgres => {
                // The server's own: the schema version, and the logins' password verifiers (a
                // file has no logins; the owner's start on a server makes them).
                "SELECT tablename::text FROM pg_tables \
                 WHERE schemaname = current_schema() AND tablename NOT IN ('salesdesk_meta', 'salesdesk_logins')"
            }
        };
        Ok(self.conn.query_map(sql, [], |r| r.get(0))?)
    }

    /// How many rows each office table holds.
    pub fn table_counts(&self) -> Result<Vec<(&'static str, i64)>, StoreError> {
        TABLES
            .iter()
            .map(|t| Ok((*t, self.conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))?)))
            .collect()
    }

    fn is_empty_office(&self) -> Result<bool, StoreError> {
        Ok(self.table_counts()?.iter().all(|(_, n)| *n == 0))
    }
}

/// Copies every row of `from` into `to`, which must hold an empty office (a fresh file, or a new
/// database on the server). Returns the row counts, checked equal, after verifying the copied
/// audit chain.
pub(super) fn copy_office(from: &mut Store, to: &mut Store) -> Result<Vec<TableCount>, StoreError> {
    let target_name = to.location();
    let copied = from.read(|src| {
        to.write(|dst| {
            // A table the list misses would silently stay behind.
            let tables = src.table_names()?;
            if let Some(t) = tables.iter().find(|t| !TABLES.contains(&t.as_str())) {
                return Err(StoreError::Corrupt(format!("table {t} is not in the copy list (store::copy::TABLES)")));
            }
            if !dst.is_empty_office()? {
                return Err(StoreError::Duplicate(format!(
                    "目标 {target_name} 里已有数据：迁移只写入空的数据库（请新建一个数据库再迁移）"
                )));
            }
            for table in TABLES {
                copy_table(src, dst, table)?;
            }
            if dst.engine() == Engine::Postgres {
                pg::reset_identities(dst)?;
            }
            src.table_counts()
        })
    })?;
    // Read back in a new transaction: what a seat will see.
    let landed = to.read(|dst| {
        if let Some(b) = dst.verify_audit_chain()? {
            return Err(StoreError::Corrupt(format!("copied audit chain breaks at entry {}: {}", b.seq, b.reason)));
        }
        dst.table_counts()
    })?;
    let counts: Vec<TableCount> = copied
        .iter()
        .zip(&landed)
        .map(|((table, source), (_, target))| TableCount { table, source: *source, target: *target })
        .collect();
    if let Some(c) = counts.iter().find(|c| c.source != c.target) {
        return Err(StoreError::Corrupt(format!("table {} has {} rows, {} expected", c.table, c.target, c.source)));
    }
    Ok(counts)
}

fn copy_table(src: &Tx<'_>, dst: &Tx<'_>, table: &str) -> Result<(), StoreError> {
    let columns = src.columns(table)?;
    let target_columns = dst.columns(table)?;
    if columns != target_columns {
        return Err(StoreError::Corrupt(format!(
            "table {table} differs: {columns:?} here, {target_columns:?} on the target"
        )));
    }
    let list = columns.join(", ");
    // Many rows per INSERT: on the server each statement is a round trip. Both engines take
    // 32 766 parameters per statement; and a batch is sent early once it holds 16 MB, as
    // attachments and issued PDFs can be tens of MB each (a message to the server must stay
    // under 1 GB, and the batch is in memory).
    let per_batch = (30_000 / columns.len().max(1)).clamp(1, 500);
    const BATCH_BYTES: usize = 16 << 20;
    let mut batch_bytes = 0usize;
    let insert = |rows: usize| {
        let tuples: Vec<String> = (0..rows)
            .map(|r| {
                let marks: Vec<String> = (1..=columns.len()).map(|c| format!("?{}", r * columns.len() + c)).collect();
                format!("({})", marks.join(", "))
            })
            .collect();
        format!("INSERT INTO {table} ({list}) VALUES {}", tuples.join(", "))
    };
    let full_batch = insert(per_batch);
    let deferred: Vec<usize> = SELF_REFERENCES
        .iter()
        .filter(|(t, _)| *t == table)
        .filter_map(|(_, c)| columns.iter().position(|x| x == c))
        .collect();
    let mut later: Vec<(Value, usize, Value)> = Vec::new();
    let key = columns.first().cloned().unwrap_or_default();
    let mut batch: Vec<Value> = Vec::with_capacity(per_batch * columns.len());
    src.conn.stream(&format!("SELECT {list} FROM {table} ORDER BY 1"), Vec::new(), |r| {
        let start = batch.len();
        for i in 0..columns.len() {
            let v: Value = r.get(i)?;
            batch_bytes += match &v {
                Value::Text(t) => t.len(),
                Value::Blob(b) => b.len(),
                _ => 8,
            };
            batch.push(v);
        }
        for &i in &deferred {
            let v = std::mem::replace(&mut batch[start + i], Value::Null);
            if v != Value::Null {
                later.push((batch[start].clone(), i, v));
            }
        }
        if batch.len() == per_batch * columns.len() {
            dst.conn.execute(&full_batch, std::mem::take(&mut batch))?;
            batch_bytes = 0;
        } else if batch_bytes >= BATCH_BYTES {
            dst.conn.execute(&insert(batch.len() / columns.len()), std::mem::take(&mut batch))?;
            batch_bytes = 0;
        }
        Ok(true)
    })?;
    if !batch.is_empty() {
        dst.conn.execute(&insert(batch.len() / columns.len()), batch)?;
    }
    for (id, i, v) in later {
        dst.conn.execute(&format!("UPDATE {table} SET {} = ?1 WHERE {key} = ?2", columns[i]), vec![v, id])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copy_list_names_every_table_of_the_schema_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("office.db")).unwrap();
        let mut tables = store.read(|tx| tx.table_names()).unwrap();
        tables.sort();
        let mut listed: Vec<String> = TABLES.iter().map(|t| t.to_string()).collect();
        listed.sort();
        listed.dedup();
        assert_eq!(listed.len(), TABLES.len(), "a table is listed twice");
        assert_eq!(tables, listed);
    }
}
