//! Attachments (附件): images and files kept in the database itself, so every seat sees them.

use super::db::{OptionalExtension, params};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::{StoreError, Tx, time_to_sql};
use crate::domain::audit::DamagedFile;
use crate::domain::document::Attachment;
use crate::domain::ids::AttachmentId;

impl Tx<'_> {
    pub fn insert_attachment(
        &self,
        kind: &str,
        file_name: &str,
        mime: &str,
        bytes: &[u8],
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<AttachmentId, StoreError> {
        let sha = hex::encode(Sha256::digest(bytes));
        self.conn.execute(
            "INSERT INTO attachments (kind, file_name, mime, sha256, bytes, created_at, created_by) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![kind, file_name, mime, sha, bytes, time_to_sql(now), by],
        )?;
        Ok(AttachmentId(self.conn.last_insert_rowid()?))
    }

    /// The attachment, checked against its SHA-256: damaged bytes are refused, not used (a bid
    /// must not go out with a damaged certificate scan or seal).
    pub fn attachment(&self, id: AttachmentId) -> Result<Option<Attachment>, StoreError> {
        let Some(a) = self.attachment_unchecked(id)? else {
            return Ok(None);
        };
        if hex::encode(Sha256::digest(&a.bytes)) != a.sha256 {
            return Err(StoreError::Damaged(self.damaged_attachment(id, a.kind, a.file_name)?.describe()));
        }
        Ok(Some(a))
    }

    fn attachment_unchecked(&self, id: AttachmentId) -> Result<Option<Attachment>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT id, kind, file_name, mime, sha256, bytes FROM attachments WHERE id = ?1", [id.0], |r| {
                Ok(Attachment {
                    id: AttachmentId(r.get(0)?),
                    kind: r.get(1)?,
                    file_name: r.get(2)?,
                    mime: r.get(3)?,
                    sha256: r.get(4)?,
                    bytes: r.get(5)?,
                })
            })
            .optional()?)
    }

    /// Every stored file whose bytes no longer match the SHA-256 recorded when it was stored:
    /// issued PDFs (named by their register entries) and attachments (certificate scans, the
    /// seal and logo, inquiry documents). Rows are streamed one at a time, so a large office does
    /// not hold all its files at once.
    pub fn damaged_files(&self) -> Result<Vec<DamagedFile>, StoreError> {
        let mut out = Vec::new();
        let mut bad_pdfs = Vec::new();
        self.conn.stream("SELECT sha256, bytes FROM issued_pdfs ORDER BY sha256", Vec::new(), |r| {
            let sha: String = r.get(0)?;
            let bytes: Vec<u8> = r.get(1)?;
            if hex::encode(Sha256::digest(&bytes)) != sha {
                bad_pdfs.push(sha);
            }
            Ok(true)
        })?;
        for sha in bad_pdfs {
            let entries = self.conn.query_map(
                "SELECT number, revision FROM issued_documents WHERE sha256 = ?1 ORDER BY id",
                params![sha],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)),
            )?;
            let mut named: Vec<String> = Vec::new();
            for (number, revision) in entries {
                let name = format!("{number} 第{revision}版");
                if !named.contains(&name) {
                    named.push(name);
                }
            }
            out.push(DamagedFile::IssuedPdf { documents: named });
        }
        let mut bad = Vec::new();
        self.conn.stream(
            "SELECT id, kind, file_name, sha256, bytes FROM attachments ORDER BY id",
            Vec::new(),
            |r| {
                let bytes: Vec<u8> = r.get(4)?;
                let sha: String = r.get(3)?;
                if hex::encode(Sha256::digest(&bytes)) != sha {
                    bad.push((AttachmentId(r.get(0)?), r.get::<_, String>(1)?, r.get::<_, String>(2)?));
                }
                Ok(true)
            },
        )?;
        for (id, kind, file_name) in bad {
            out.push(self.damaged_attachment(id, kind, file_name)?);
        }
        Ok(out)
    }

    /// A damaged attachment, named by the certificate it is the scan of, if any.
    fn damaged_attachment(&self, id: AttachmentId, kind: String, file_name: String) -> Result<DamagedFile, StoreError> {
        let certificate = self
            .conn
            .query_row("SELECT name FROM certificates WHERE image_id = ?1", [id.0], |r| r.get::<_, String>(0))
            .optional()?;
        Ok(DamagedFile::Attachment { id, kind, file_name, certificate })
    }
}
