//! The issued-documents register and the PDFs it issued (kept once per distinct file).

use std::collections::HashMap;

use super::db::{OptionalExtension, Row, params};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::{StoreError, Tx, row_code, time_from_sql, time_to_sql};
use crate::domain::audit::DamagedFile;
use crate::domain::document::{IssuedDocument, PrintRecord, PrintVariant};
use crate::domain::ids::{ContractId, CustomerId, QuoteId, RevisionId, UserId};
use crate::domain::quote::QuoteKind;

/// What issuing records.
pub struct NewIssued<'a> {
    pub quote: QuoteId,
    pub revision_id: RevisionId,
    pub kind: QuoteKind,
    pub number: &'a str,
    pub revision: u32,
    pub customer: CustomerId,
    pub customer_name: &'a str,
    pub sha256: &'a str,
    pub pdf_id: &'a str,
    pub bytes: &'a [u8],
    pub verify_code: &'a str,
    pub copies: u32,
    pub file_name: &'a str,
    pub reprint: bool,
    pub issued_by: UserId,
    pub issued_by_name: &'a str,
    pub variant: PrintVariant,
    /// The contract this entry prints (a 销售合同); `None` for a quote or bid.
    pub contract: Option<ContractId>,
}

const COLUMNS: &str = "SELECT id, quote_id, revision_id, kind, number, revision, customer_id, customer_name, sha256, \
     verify_code, copies, file_name, reprint, issued_by, issued_by_name, issued_at, variant, contract_id";

fn from_row(r: &Row<'_>) -> super::db::Result<IssuedDocument> {
    let kind: String = r.get(3)?;
    let at: String = r.get(15)?;
    Ok(IssuedDocument {
        id: r.get(0)?,
        quote: QuoteId(r.get(1)?),
        revision_id: RevisionId(r.get(2)?),
        kind: row_code(QuoteKind::from_code(&kind), "quote kind", &kind)?,
        number: r.get(4)?,
        revision: r.get(5)?,
        customer: CustomerId(r.get(6)?),
        customer_name: r.get(7)?,
        sha256: r.get(8)?,
        verify_code: r.get(9)?,
        copies: r.get(10)?,
        file_name: r.get(11)?,
        reprint: r.get(12)?,
        issued_by: UserId(r.get(13)?),
        issued_by_name: r.get(14)?,
        issued_at: time_from_sql(&at).map_err(|e| super::db::Error::Conversion(15, e.to_string()))?,
        variant: {
            let v: String = r.get(16)?;
            row_code(PrintVariant::from_code(&v), "print variant", &v)?
        },
        contract: r.get::<_, Option<i64>>(17)?.map(ContractId),
        prints: Vec::new(),
    })
}

/// What sending a register entry to a printer records.
pub struct NewPrintJob<'a> {
    pub issued_id: i64,
    pub printer: &'a str,
    pub job_id: Option<i64>,
    pub copies: u32,
    pub pages: &'a str,
    pub two_sided: bool,
    pub sent: bool,
    pub detail: &'a str,
    pub by_name: &'a str,
}

impl Tx<'_> {
    pub fn insert_issued(&self, n: &NewIssued<'_>, now: DateTime<Utc>) -> Result<i64, StoreError> {
        self.conn.execute(
            "INSERT INTO issued_pdfs (sha256, pdf_id, bytes) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
            params![n.sha256, n.pdf_id, n.bytes],
        )?;
        self.conn.execute(
            "INSERT INTO issued_documents (quote_id, revision_id, kind, number, revision, customer_id, customer_name, \
             sha256, verify_code, copies, file_name, reprint, issued_by, issued_by_name, issued_at, variant, contract_id) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
            params![
                n.quote.0,
                n.revision_id.0,
                n.kind.code(),
                n.number,
                n.revision,
                n.customer.0,
                n.customer_name,
                n.sha256,
                n.verify_code,
                n.copies,
                n.file_name,
                n.reprint,
                n.issued_by.0,
                n.issued_by_name,
                time_to_sql(now),
                n.variant.code(),
                n.contract.map(|c| c.0)
            ],
        )?;
        Ok(self.conn.last_insert_rowid()?)
    }

    /// Records one send of a register entry to a printer (or why it was not sent).
    pub fn insert_print_job(&self, n: &NewPrintJob<'_>, now: DateTime<Utc>) -> Result<i64, StoreError> {
        self.conn.execute(
            "INSERT INTO print_jobs (issued_id, printer, job_id, copies, pages, two_sided, sent, detail, at, by_name) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                n.issued_id,
                n.printer,
                n.job_id,
                n.copies,
                n.pages,
                n.two_sided,
                n.sent,
                n.detail,
                time_to_sql(now),
                n.by_name
            ],
        )?;
        Ok(self.conn.last_insert_rowid()?)
    }

    /// Fills in each entry's print records: one query for all of them.
    fn with_prints(&self, mut entries: Vec<IssuedDocument>) -> Result<Vec<IssuedDocument>, StoreError> {
        if entries.is_empty() {
            return Ok(entries);
        }
        let at: HashMap<i64, usize> = entries.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
        let (low, high) = entries.iter().fold((i64::MAX, i64::MIN), |(l, h), e| (l.min(e.id), h.max(e.id)));
        let mut stmt = self.conn.prepare(
            "SELECT issued_id, printer, job_id, copies, pages, two_sided, sent, detail, at, by_name FROM print_jobs \
             WHERE issued_id BETWEEN ?1 AND ?2 ORDER BY at, id",
        )?;
        let rows = stmt.query_map(params![low, high], |r| {
            let when: String = r.get(8)?;
            Ok((
                r.get::<_, i64>(0)?,
                PrintRecord {
                    printer: r.get(1)?,
                    job_id: r.get(2)?,
                    copies: r.get(3)?,
                    pages: r.get(4)?,
                    two_sided: r.get(5)?,
                    sent: r.get(6)?,
                    detail: r.get(7)?,
                    at: super::row_time(&when)?,
                    by_name: r.get(9)?,
                },
            ))
        })?;
        for row in rows {
            let (issued, record) = row?;
            if let Some(&i) = at.get(&issued) {
                entries[i].prints.push(record);
            }
        }
        Ok(entries)
    }

    fn issued_where(&self, clause: &str, arg: &dyn super::db::ToValue) -> Result<Vec<IssuedDocument>, StoreError> {
        let mut stmt =
            self.conn.prepare(&format!("{COLUMNS} FROM issued_documents WHERE {clause} ORDER BY issued_at, id"))?;
        let rows = stmt.query_map([arg], from_row)?;
        self.with_prints(rows.collect::<Result<_, _>>()?)
    }

    /// The whole register, newest first.
    pub fn issued_documents(&self) -> Result<Vec<IssuedDocument>, StoreError> {
        let mut stmt =
            self.conn.prepare(&format!("{COLUMNS} FROM issued_documents ORDER BY issued_at DESC, id DESC"))?;
        let rows = stmt.query_map([], from_row)?;
        self.with_prints(rows.collect::<Result<_, _>>()?)
    }

    /// One register entry.
    pub fn issued_entry(&self, id: i64) -> Result<IssuedDocument, StoreError> {
        self.issued_where("id = ?1", &id)?.into_iter().next().ok_or(StoreError::NotFound("登记记录"))
    }

    /// Entries of one revision (its 报价单 or 投标书, not a contract made from it), first issue first.
    pub fn issued_for_revision(&self, revision: RevisionId) -> Result<Vec<IssuedDocument>, StoreError> {
        self.issued_where("revision_id = ?1 AND contract_id IS NULL", &revision.0)
    }

    /// Entries of one contract, first issue first.
    pub fn issued_for_contract(&self, contract: ContractId) -> Result<Vec<IssuedDocument>, StoreError> {
        self.issued_where("contract_id = ?1", &contract.0)
    }

    // Verifying a document answers for whoever holds a copy, whoever's customer it was for: on
    // the office server the register is read through `salesdesk_issued_matching`, which gives the
    // entries of that one file, code or trailer /ID, and nothing else.

    pub fn issued_by_sha(&self, sha256: &str) -> Result<Vec<IssuedDocument>, StoreError> {
        self.issued_matching(0, "sha256 = ?1", &sha256)
    }

    pub fn issued_by_code(&self, code: &str) -> Result<Vec<IssuedDocument>, StoreError> {
        self.issued_matching(1, "verify_code = ?1", &code)
    }

    /// Entries whose file carries this trailer `/ID` (what survives when a file is altered).
    pub fn issued_by_pdf_id(&self, pdf_id: &str) -> Result<Vec<IssuedDocument>, StoreError> {
        self.issued_matching(2, "sha256 IN (SELECT sha256 FROM issued_pdfs WHERE pdf_id = ?1)", &pdf_id)
    }

    /// The entries whose `which` (0 the file's SHA-256, 1 the verification code, 2 the trailer
    /// /ID) is `arg`; `clause` says the same for a file.
    fn issued_matching(&self, which: usize, clause: &str, arg: &&str) -> Result<Vec<IssuedDocument>, StoreError> {
        if self.engine() == super::db::Engine::Sqlite {
            return self.issued_where(clause, arg);
        }
        let mut keys: [Option<&str>; 3] = [None; 3];
        keys[which] = Some(*arg);
        let mut stmt = self.conn.prepare(&format!(
            "{COLUMNS} FROM salesdesk_issued_matching(?1, ?2, ?3) issued_documents ORDER BY issued_at, id"
        ))?;
        let rows = stmt.query_map(params![keys[0], keys[1], keys[2]], from_row)?;
        self.with_prints(rows.collect::<Result<_, _>>()?)
    }

    /// The PDF `entry` handed out, byte for byte, checked against its SHA-256: a damaged file is
    /// refused (never handed out again as "the file we issued").
    pub fn issued_pdf(&self, entry: &IssuedDocument) -> Result<Vec<u8>, StoreError> {
        let bytes: Vec<u8> = self
            .conn
            .query_row("SELECT bytes FROM issued_pdfs WHERE sha256 = ?1", [&entry.sha256], |r| r.get(0))
            .optional()?
            .ok_or(StoreError::NotFound("已签发的文件"))?;
        if hex::encode(Sha256::digest(&bytes)) != entry.sha256 {
            let documents = vec![format!("{} 第{}版", entry.number, entry.revision)];
            return Err(StoreError::Damaged(DamagedFile::IssuedPdf { documents }.describe()));
        }
        Ok(bytes)
    }
}
