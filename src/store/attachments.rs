//! Attachments (附件): images and files kept in the database itself, so every seat sees them.

use super::db::{OptionalExtension, params};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::{StoreError, Tx, time_to_sql};
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

    pub fn attachment(&self, id: AttachmentId) -> Result<Option<Attachment>, StoreError> {
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
}
