//! The certificate library (资质证书库): one row per certificate, its scan in `attachments`.

use super::db::{Row, params};
use chrono::{DateTime, Utc};

use super::{StoreError, Tx, time_to_sql};
use crate::domain::certificate::{Certificate, CertificateDraft};
use crate::domain::ids::{AttachmentId, CertificateId};

const CERT_SQL: &str = "SELECT id, name, kind, number, issuer, valid_from, valid_until, image_id, active, version, \
     updated_at, updated_by, covers FROM certificates";

fn cert_from_row(r: &Row<'_>) -> super::db::Result<Certificate> {
    let updated: String = r.get(10)?;
    Ok(Certificate {
        id: CertificateId(r.get(0)?),
        draft: CertificateDraft {
            name: r.get(1)?,
            kind: r.get(2)?,
            number: r.get(3)?,
            issuer: r.get(4)?,
            valid_from: r.get(5)?,
            valid_until: r.get(6)?,
            covers: super::row_json(&r.get::<_, String>(12)?, "certificate covers")?,
        },
        image: AttachmentId(r.get(7)?),
        active: r.get(8)?,
        version: r.get(9)?,
        updated_at: super::local_time_text(&updated),
        updated_by: r.get(11)?,
    })
}

fn covers_json(d: &CertificateDraft) -> Result<String, StoreError> {
    serde_json::to_string(&d.covers).map_err(|e| StoreError::Encode(e.to_string()))
}

impl Tx<'_> {
    pub fn insert_certificate(
        &self,
        d: &CertificateDraft,
        image: AttachmentId,
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<CertificateId, StoreError> {
        let now = time_to_sql(now);
        let covers = covers_json(d)?;
        self.conn.execute(
            "INSERT INTO certificates (name, kind, number, issuer, valid_from, valid_until, image_id, created_at, \
             updated_at, updated_by, covers) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10)",
            params![d.name, d.kind, d.number, d.issuer, d.valid_from, d.valid_until, image.0, now, by, covers],
        )?;
        Ok(CertificateId(self.conn.last_insert_rowid()?))
    }

    /// Every certificate, active first, then by kind and name.
    pub fn certificates(&self) -> Result<Vec<Certificate>, StoreError> {
        let mut stmt = self.conn.prepare(&format!("{CERT_SQL} ORDER BY active DESC, kind, name, id"))?;
        let rows = stmt.query_map([], cert_from_row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    pub fn certificate(&self, id: CertificateId) -> Result<Certificate, StoreError> {
        use super::db::OptionalExtension;
        self.conn
            .query_row(&format!("{CERT_SQL} WHERE id = ?1"), [id.0], cert_from_row)
            .optional()?
            .ok_or(StoreError::NotFound("资质证书"))
    }

    /// Saves the text fields and, when given, a new scan, if the row is still at `version`.
    pub fn update_certificate(
        &self,
        id: CertificateId,
        version: i64,
        d: &CertificateDraft,
        image: Option<AttachmentId>,
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<(), StoreError> {
        let n = self.conn.execute(
            "UPDATE certificates SET name = ?1, kind = ?2, number = ?3, issuer = ?4, valid_from = ?5, \
             valid_until = ?6, image_id = COALESCE(?7, image_id), version = version + 1, updated_at = ?8, \
             updated_by = ?9, covers = ?12 WHERE id = ?10 AND version = ?11",
            params![
                d.name,
                d.kind,
                d.number,
                d.issuer,
                d.valid_from,
                d.valid_until,
                image.map(|i| i.0),
                time_to_sql(now),
                by,
                id.0,
                version,
                covers_json(d)?
            ],
        )?;
        self.expect_one(n, "资质证书", "certificates", ("id", &id.0))
    }

    /// Retires (`active = false`) or brings back a certificate, if the row is still at `version`.
    pub fn set_certificate_active(
        &self,
        id: CertificateId,
        version: i64,
        active: bool,
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<(), StoreError> {
        let n = self.conn.execute(
            "UPDATE certificates SET active = ?1, version = version + 1, updated_at = ?2, updated_by = ?3 \
             WHERE id = ?4 AND version = ?5",
            params![active, time_to_sql(now), by, id.0, version],
        )?;
        self.expect_one(n, "资质证书", "certificates", ("id", &id.0))
    }
}
