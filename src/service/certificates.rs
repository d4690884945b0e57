//! The certificate library (资质证书库) and the after-sales commitment template (售后服务承诺):
//! the admin keeps both (DESIGN §2: the admin keeps company-wide documents); everyone signed in
//! may list the certificates and read the template, as every bid builder needs them.

use super::admin::image_mime;
use super::{Actor, Service, ServiceError, audit, authorize, current_user};
use crate::domain::bid::AfterSalesTemplate;
use crate::domain::certificate::{Certificate, CertificateDraft, sort_for_bids};
use crate::domain::document::Attachment;
use crate::domain::ids::CertificateId;
use crate::domain::record::Versioned;
use crate::domain::role::Permission;

pub(super) const AFTER_SALES: &str = "after_sales_template";

/// A scan as picked: file name and bytes (PNG or JPEG).
pub type Scan<'a> = (&'a str, &'a [u8]);

/// Scans are kept at most this many pixels on their long side (about 190 dpi across A4): a
/// 300 dpi scan prints no better in a bid and would make every bid PDF tens of megabytes.
pub const SCAN_MAX_PX: u32 = 2200;

/// The scan as stored: unchanged when small enough, else reduced to [`SCAN_MAX_PX`] in its own
/// format (JPEG at quality 90).
fn print_ready(bytes: &[u8], mime: &'static str) -> Result<(Vec<u8>, &'static str), ServiceError> {
    let unreadable = |_| ServiceError::invalid("image", "图片文件已损坏，无法读取");
    let image = image::load_from_memory(bytes).map_err(unreadable)?;
    if image.width().max(image.height()) <= SCAN_MAX_PX {
        return Ok((bytes.to_vec(), mime));
    }
    let smaller = image.resize(SCAN_MAX_PX, SCAN_MAX_PX, image::imageops::FilterType::Triangle);
    let mut out = Vec::new();
    let written = if mime == "image/jpeg" {
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
        smaller.to_rgb8().write_with_encoder(encoder)
    } else {
        smaller.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
    };
    written.map_err(|e| ServiceError::rule("certificate.shrink_failed", format!("扫描件无法缩小保存：{e}")))?;
    Ok((out, mime))
}

impl Service {
    /// The library, active certificates first. Everyone signed in may read it.
    pub fn certificates(&mut self, actor: &Actor) -> Result<Vec<Certificate>, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            current_user(tx, actor)?;
            let mut list = tx.certificates()?;
            sort_for_bids(&mut list);
            Ok(list)
        })
    }

    /// The scan of a certificate.
    pub fn certificate_image(&mut self, actor: &Actor, id: CertificateId) -> Result<Attachment, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            current_user(tx, actor)?;
            let c = tx.certificate(id)?;
            Ok(tx.attachment(c.image)?.ok_or(crate::store::StoreError::NotFound("证书扫描件"))?)
        })
    }

    /// Adds a certificate with its scan (admin).
    pub fn add_certificate(
        &mut self,
        actor: &Actor,
        mut draft: CertificateDraft,
        scan: Scan<'_>,
    ) -> Result<Certificate, ServiceError> {
        let errors = draft.validate();
        if !errors.is_empty() {
            return Err(ServiceError::Invalid(errors));
        }
        let (bytes, mime) = print_ready(scan.1, image_mime(scan.1)?)?;
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            authorize(tx, actor, Permission::ManageCertificates)?;
            let image = tx.insert_attachment("certificate", scan.0, mime, &bytes, now, &actor.audit_name())?;
            let id = tx.insert_certificate(&draft, image, now, &actor.audit_name())?;
            let after = serde_json::json!({ "certificate": draft, "file": scan.0 });
            audit::<(), _>(tx, &actor.audit_name(), now, "certificate.add", "certificate", id, None, Some(&after))?;
            Ok(tx.certificate(id)?)
        })
    }

    /// Corrects a certificate's details and, with `scan`, replaces its image (a renewed
    /// certificate: new number, new dates, new scan). Refused if someone saved it meanwhile.
    pub fn update_certificate(
        &mut self,
        actor: &Actor,
        id: CertificateId,
        version: i64,
        mut draft: CertificateDraft,
        scan: Option<Scan<'_>>,
    ) -> Result<Certificate, ServiceError> {
        let errors = draft.validate();
        if !errors.is_empty() {
            return Err(ServiceError::Invalid(errors));
        }
        let ready = scan.map(|(_, bytes)| image_mime(bytes).and_then(|mime| print_ready(bytes, mime))).transpose()?;
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            authorize(tx, actor, Permission::ManageCertificates)?;
            let before = tx.certificate(id)?;
            let image = match (scan, &ready) {
                (Some((name, _)), Some((bytes, mime))) => {
                    Some(tx.insert_attachment("certificate", name, mime, bytes, now, &actor.audit_name())?)
                }
                _ => None,
            };
            tx.update_certificate(id, version, &draft, image, now, &actor.audit_name())?;
            let action = if image.is_some() { "certificate.replace" } else { "certificate.edit" };
            let after = serde_json::json!({ "certificate": draft, "file": scan.map(|s| s.0) });
            audit(tx, &actor.audit_name(), now, action, "certificate", id, Some(&before.draft), Some(&after))?;
            Ok(tx.certificate(id)?)
        })
    }

    /// Retires a certificate (no longer offered for new bids; bids that attached it keep it and
    /// are stopped by the cross-checks) or brings it back.
    pub fn set_certificate_active(
        &mut self,
        actor: &Actor,
        id: CertificateId,
        version: i64,
        active: bool,
    ) -> Result<Certificate, ServiceError> {
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            authorize(tx, actor, Permission::ManageCertificates)?;
            let before = tx.certificate(id)?;
            tx.set_certificate_active(id, version, active, now, &actor.audit_name())?;
            let action = if active { "certificate.restore" } else { "certificate.retire" };
            let detail = serde_json::json!({ "name": before.draft.name, "active": active });
            audit::<(), _>(tx, &actor.audit_name(), now, action, "certificate", id, None, Some(&detail))?;
            Ok(tx.certificate(id)?)
        })
    }

    /// The after-sales commitment template (its default wording until the admin saves one).
    pub fn after_sales_template(&mut self, actor: &Actor) -> Result<Versioned<AfterSalesTemplate>, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            current_user(tx, actor)?;
            Ok(tx.setting(AFTER_SALES)?)
        })
    }

    pub fn update_after_sales_template(
        &mut self,
        actor: &Actor,
        version: i64,
        mut template: AfterSalesTemplate,
    ) -> Result<Versioned<AfterSalesTemplate>, ServiceError> {
        template.text = template.text.trim().to_string();
        if let Some(problem) = template.problems().into_iter().next() {
            return Err(ServiceError::invalid("after_sales", problem));
        }
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            authorize(tx, actor, Permission::ManageCertificates)?;
            let before: Versioned<AfterSalesTemplate> = tx.setting(AFTER_SALES)?;
            tx.put_setting(AFTER_SALES, &template, version, now, &actor.audit_name())?;
            audit(
                tx,
                &actor.audit_name(),
                now,
                "settings.after_sales",
                "settings",
                AFTER_SALES,
                Some(&before.value),
                Some(&template),
            )?;
            Ok(tx.setting(AFTER_SALES)?)
        })
    }
}
