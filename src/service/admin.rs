//! Office settings (系统设置): company profile with logo and seal images, the approval policy and
//! the standard commercial terms. Everyone signed in may read them; only the admin changes them.

use super::{Actor, Service, ServiceError, audit, authorize, current_user};
use crate::domain::company::CompanyProfile;
use crate::domain::document::Attachment;
use crate::domain::policy::{ApprovalPolicy, CommercialTerms};
use crate::domain::record::Versioned;
use crate::domain::role::Permission;
use crate::store::Tx;

const COMPANY: &str = "company";
const POLICY: &str = "approval_policy";
const TERMS: &str = "standard_terms";

/// Images larger than this are refused: a seal or logo scan does not need more.
pub const MAX_IMAGE_BYTES: usize = 5 * 1024 * 1024;

/// Which company image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageSlot {
    /// 公司标志
    Logo,
    /// 公章 (报价专用章)
    Seal,
}

impl ImageSlot {
    pub fn label(self) -> &'static str {
        match self {
            ImageSlot::Logo => "公司标志",
            ImageSlot::Seal => "公章",
        }
    }
    fn permission(self) -> Permission {
        match self {
            ImageSlot::Logo => Permission::EditCompanyProfile,
            ImageSlot::Seal => Permission::ReplaceSeal,
        }
    }
    fn kind(self) -> &'static str {
        match self {
            ImageSlot::Logo => "logo",
            ImageSlot::Seal => "seal",
        }
    }
}

/// Everything the settings panels show, read in one snapshot.
#[derive(Debug, Clone)]
pub struct SettingsBundle {
    pub company: Versioned<CompanyProfile>,
    pub policy: Versioned<ApprovalPolicy>,
    pub terms: Versioned<CommercialTerms>,
}

/// Checks that the bytes are a PNG or JPEG image and returns its MIME type.
pub(super) fn image_mime(bytes: &[u8]) -> Result<&'static str, ServiceError> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(ServiceError::invalid("image", "图片不能超过5 MB，请压缩后再选择"));
    }
    let mime = match image::guess_format(bytes) {
        Ok(image::ImageFormat::Png) => "image/png",
        Ok(image::ImageFormat::Jpeg) => "image/jpeg",
        _ => return Err(ServiceError::invalid("image", "请选择 PNG 或 JPEG 格式的图片")),
    };
    image::load_from_memory(bytes).map_err(|_| ServiceError::invalid("image", "图片文件已损坏，无法读取"))?;
    Ok(mime)
}

fn read_bundle(tx: &Tx<'_>) -> Result<SettingsBundle, ServiceError> {
    Ok(SettingsBundle { company: tx.setting(COMPANY)?, policy: tx.setting(POLICY)?, terms: tx.setting(TERMS)? })
}

impl Service {
    pub fn settings(&mut self, actor: &Actor) -> Result<SettingsBundle, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let mut bundle = read_bundle(tx)?;
            bundle.company.value = bundle.company.value.masked(user.roles.allows(Permission::ViewIdNumbers));
            Ok(bundle)
        })
    }

    /// Saves the company's text fields; the images keep their own use case.
    pub fn update_company_profile(
        &mut self,
        actor: &Actor,
        version: i64,
        mut profile: CompanyProfile,
    ) -> Result<Versioned<CompanyProfile>, ServiceError> {
        let errors = profile.validate();
        if !errors.is_empty() {
            return Err(ServiceError::Invalid(errors));
        }
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            authorize(tx, actor, Permission::EditCompanyProfile)?;
            let before: Versioned<CompanyProfile> = tx.setting(COMPANY)?;
            profile.logo = before.value.logo;
            profile.seal = before.value.seal;
            tx.put_setting(COMPANY, &profile, version, now, &actor.audit_name())?;
            audit(
                tx,
                &actor.audit_name(),
                now,
                "settings.company",
                "settings",
                COMPANY,
                Some(&before.value),
                Some(&profile),
            )?;
            Ok(tx.setting(COMPANY)?)
        })
    }

    /// Stores a new logo or seal image (the seal: admin only) and points the profile at it.
    /// `None` removes the image (documents then print a 盖章处 box instead of the seal).
    pub fn set_company_image(
        &mut self,
        actor: &Actor,
        slot: ImageSlot,
        image: Option<(&str, &[u8])>,
    ) -> Result<Versioned<CompanyProfile>, ServiceError> {
        let mime = image.map(|(_, bytes)| image_mime(bytes)).transpose()?;
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            authorize(tx, actor, slot.permission())?;
            let current: Versioned<CompanyProfile> = tx.setting(COMPANY)?;
            let mut profile = current.value.clone();
            let new_id = match (image, mime) {
                (Some((name, bytes)), Some(mime)) => {
                    Some(tx.insert_attachment(slot.kind(), name, mime, bytes, now, &actor.audit_name())?)
                }
                _ => None,
            };
            match slot {
                ImageSlot::Logo => profile.logo = new_id,
                ImageSlot::Seal => profile.seal = new_id,
            }
            tx.put_setting(COMPANY, &profile, current.version, now, &actor.audit_name())?;
            let action = match (slot, new_id) {
                (ImageSlot::Logo, Some(_)) => "settings.logo_replace",
                (ImageSlot::Logo, None) => "settings.logo_remove",
                (ImageSlot::Seal, Some(_)) => "settings.seal_replace",
                (ImageSlot::Seal, None) => "settings.seal_remove",
            };
            let name = image.map(|(n, _)| n).unwrap_or_default();
            audit(
                tx,
                &actor.audit_name(),
                now,
                action,
                "attachment",
                new_id.map(|i| i.0).unwrap_or(0),
                Some(&current.value),
                Some(&serde_json::json!({ "file": name, "profile": profile })),
            )?;
            Ok(tx.setting(COMPANY)?)
        })
    }

    /// The stored logo or seal image, if any.
    pub fn company_image(&mut self, actor: &Actor, slot: ImageSlot) -> Result<Option<Attachment>, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            current_user(tx, actor)?;
            let profile: Versioned<CompanyProfile> = tx.setting(COMPANY)?;
            let id = match slot {
                ImageSlot::Logo => profile.value.logo,
                ImageSlot::Seal => profile.value.seal,
            };
            Ok(match id {
                Some(id) => tx.attachment(id)?,
                None => None,
            })
        })
    }

    pub fn update_approval_policy(
        &mut self,
        actor: &Actor,
        version: i64,
        policy: ApprovalPolicy,
    ) -> Result<Versioned<ApprovalPolicy>, ServiceError> {
        if let Some(problem) = policy.problems().into_iter().next() {
            return Err(ServiceError::invalid("policy", problem));
        }
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            authorize(tx, actor, Permission::EditPolicyAndTerms)?;
            let before: Versioned<ApprovalPolicy> = tx.setting(POLICY)?;
            tx.put_setting(POLICY, &policy, version, now, &actor.audit_name())?;
            audit(
                tx,
                &actor.audit_name(),
                now,
                "settings.policy",
                "settings",
                POLICY,
                Some(&before.value),
                Some(&policy),
            )?;
            Ok(tx.setting(POLICY)?)
        })
    }

    pub fn update_standard_terms(
        &mut self,
        actor: &Actor,
        version: i64,
        mut terms: CommercialTerms,
    ) -> Result<Versioned<CommercialTerms>, ServiceError> {
        if let Some(problem) = terms.problems().into_iter().next() {
            return Err(ServiceError::invalid("terms", problem));
        }
        terms.payment_schedule = terms.payment_schedule.trim().to_string();
        terms.other = terms.other.trim().to_string();
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            authorize(tx, actor, Permission::EditPolicyAndTerms)?;
            let before: Versioned<CommercialTerms> = tx.setting(TERMS)?;
            tx.put_setting(TERMS, &terms, version, now, &actor.audit_name())?;
            audit(
                tx,
                &actor.audit_name(),
                now,
                "settings.terms",
                "settings",
                TERMS,
                Some(&before.value),
                Some(&terms),
            )?;
            Ok(tx.setting(TERMS)?)
        })
    }
}
