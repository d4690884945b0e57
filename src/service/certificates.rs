//! The certificate library (资质证书库) and the after-sales commitment template (售后服务承诺):
//! the admin keeps both (DESIGN §2: the admin keeps company-wide documents); everyone signed in
//! may list the certificates and read the template, as every bid builder needs them.

use super::admin::image_mime;
use super::{Actor, Service, ServiceError, audit, authorize, current_user};
use crate::domain::bid::AfterSalesTemplate;
use crate::domain::certificate::{Certificate, CertificateDraft, sort_for_bids};
use crate::domain::ids::CertificateId;
use crate::domain::role::Permission;
use crate::store::{Attachment, Versioned};

pub(super) const AFTER_SALES: &str = "after_sales_template";

/// A scan as picked: file name and bytes (PNG or JPEG).
pub type Scan<'a> = (&'a str, &'a [u8]);

impl Service {
    /// The library, active certificates first. Everyone signed in may read it.
    pub fn certificates(&mut self, actor: &Actor) -> Result<Vec<Certificate>, ServiceError> {
        self.store.read(|tx| {
            current_user(tx, actor)?;
            let mut list = tx.certificates()?;
            sort_for_bids(&mut list);
            Ok(list)
        })
    }

    /// The scan of a certificate.
    pub fn certificate_image(&mut self, actor: &Actor, id: CertificateId) -> Result<Attachment, ServiceError> {
        self.store.read(|tx| {
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
        let mime = image_mime(scan.1)?;
        let now = self.now();
        self.store.write(|tx| {
            authorize(tx, actor, Permission::ManageCertificates)?;
            let image = tx.insert_attachment("certificate", scan.0, mime, scan.1, now, &actor.audit_name())?;
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
        let mime = scan.map(|(_, bytes)| image_mime(bytes)).transpose()?;
        let now = self.now();
        self.store.write(|tx| {
            authorize(tx, actor, Permission::ManageCertificates)?;
            let before = tx.certificate(id)?;
            let image = match (scan, mime) {
                (Some((name, bytes)), Some(mime)) => {
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
        self.store.write(|tx| {
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
        self.store.read(|tx| {
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
        self.store.write(|tx| {
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
