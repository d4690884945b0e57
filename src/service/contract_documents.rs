//! The 销售合同 on paper (procedure (3) D): a draft to check at any time, and — once the head (and
//! a leader for a major one) confirmed it — 用印发出 by the assistant with the seal into the
//! issued-documents register, like the 报价单: its own entry, SHA-256 and verification code; a
//! reprint hands out the same bytes. The standard clauses come from the admin's contract template.

use std::path::Path;

use chrono::{DateTime, Utc};

use super::contracts::may_see_contract;
use super::documents::{PrintedDocument, check_copies, contains, draft_day, register_issue, sha256, stamp, write_file};
use super::{Actor, Service, ServiceError, audit, authorize, current_user};
use crate::docs::canvas::Drawn;
use crate::docs::contract::{ContractDoc, Party};
use crate::docs::fonts::DocFonts;
use crate::docs::pdf::Meta;
use crate::docs::quote::{RenderedPdf, Stamp};
use crate::domain::company::{CompanyProfile, Typeface};
use crate::domain::contract::{Contract, ContractStatus};
use crate::domain::contract_template::ContractTemplate;
use crate::domain::document::{IssuedDocument, PrintVariant, verification_code};
use crate::domain::ids::ContractId;
use crate::domain::record::Versioned;
use crate::domain::role::Permission;
use crate::domain::user::UserAccount;
use crate::store::{NewIssued, Tx};

const TEMPLATE: &str = "contract_template";

/// A contract is printed as one version: its content cannot change once confirmed.
const CONTRACT_REVISION: u32 = 1;

/// `销售合同_HT-2026-0001_客户简称.pdf` (characters Windows forbids in names are dropped).
pub fn contract_file_name(c: &Contract, draft: bool) -> String {
    let customer: String = c.customer_name.chars().filter(|ch| !"\\/:*?\"<>|".contains(*ch)).take(20).collect();
    let draft = if draft { "_草稿" } else { "" };
    format!("销售合同_{}_{customer}{draft}.pdf", c.number)
}

/// The contract's verification code (printed in every footer, the same on every print).
fn code_of(c: &Contract) -> String {
    verification_code(&c.number.to_string(), CONTRACT_REVISION, &c.content_hash)
}

/// The fonts a contract is set in: the 报价单's body face, or the face it was issued in.
fn contract_fonts(tx: &Tx<'_>, issued: Option<&IssuedDocument>) -> Result<&'static DocFonts, ServiceError> {
    let face = match issued {
        Some(first) if contains(&tx.issued_pdf(first)?, b"NotoSerifSC") => Typeface::Serif,
        Some(_) => Typeface::Sans,
        None => tx.setting::<CompanyProfile>("company")?.value.typefaces.quote,
    };
    DocFonts::for_body(face).ok_or(ServiceError::Document(crate::docs::DocError::Font))
}

/// Gathers what the contract prints: both parties from the company profile, the customer archive
/// and the people on it; the content as confirmed; the template.
fn contract_doc(tx: &Tx<'_>, c: &Contract, stamp: Stamp, when: DateTime<Utc>) -> Result<ContractDoc, ServiceError> {
    let company: CompanyProfile = tx.setting::<CompanyProfile>("company")?.value;
    let template: ContractTemplate = tx.setting::<ContractTemplate>(TEMPLATE)?.value;
    let customer = tx.customer(c.customer)?.draft;
    let contact = customer.contacts.iter().find(|k| k.primary).or(customer.contacts.first());
    let seller_person = tx.user(c.salesperson)?;
    // The address as a letter would carry it: with the province and city unless it has them.
    let address = {
        let a = customer.address.trim();
        let mut prefix = String::new();
        for part in [customer.province.trim(), customer.city.trim()] {
            if !part.is_empty() && !a.contains(part) && !prefix.contains(part) {
                prefix.push_str(part);
            }
        }
        format!("{prefix}{a}")
    };
    let phone_of = |mobile: &str, phone: &str| if mobile.is_empty() { phone.to_string() } else { mobile.to_string() };
    let buyer = Party {
        name: customer.name.clone(),
        address: address.clone(),
        legal_representative: String::new(),
        agent: contact.map(|k| k.name.clone()).unwrap_or_default(),
        phone: contact.map(|k| phone_of(&k.mobile, &k.phone)).unwrap_or_else(|| customer.phone.clone()),
        bank_name: customer.invoice.bank_name.clone(),
        bank_account: customer.invoice.bank_account.clone(),
        tax_id: customer.credit_code.clone(),
    };
    let seller = Party {
        name: company.name.clone(),
        address: company.address.clone(),
        legal_representative: company.legal_representative.clone(),
        agent: seller_person.display_name.clone(),
        phone: phone_of(&seller_person.phone, &company.phone),
        bank_name: company.bank_name.clone(),
        bank_account: company.bank_account.clone(),
        tax_id: company.credit_code.clone(),
    };
    let mut content = c.content.clone();
    if content.terms.delivery_place.trim().is_empty() {
        content.terms.delivery_place = address;
    }
    Ok(ContractDoc {
        company,
        template,
        number: c.number.to_string(),
        subject: c.subject.clone(),
        buyer,
        seller,
        content,
        total: c.total,
        verification_code: code_of(c),
        content_hash: c.content_hash.clone(),
        stamp,
        fixed_time: when,
    })
}

/// A contract the user may see, and its first register entry if it was issued.
fn contract_to_print(
    tx: &Tx<'_>,
    user: &UserAccount,
    id: ContractId,
) -> Result<(Contract, Option<IssuedDocument>), ServiceError> {
    let c = tx.contract(id)?;
    if !may_see_contract(user, &c) {
        return Err(ServiceError::Denied("您只能打印自己的或自己客户的合同"));
    }
    let code = code_of(&c);
    let issued = tx.issued_for_contract(id)?.into_iter().find(|e| e.verify_code == code);
    Ok((c, issued))
}

/// The contract laid out as it prints: as issued if it was, else a draft.
pub(super) fn contract_layout(
    tx: &Tx<'_>,
    user: &UserAccount,
    id: ContractId,
    now: DateTime<Utc>,
) -> Result<(Contract, Option<IssuedDocument>, Drawn, Meta, &'static DocFonts), ServiceError> {
    let (c, issued) = contract_to_print(tx, user, id)?;
    let fonts = contract_fonts(tx, issued.as_ref())?;
    let (stamp, when) = match &issued {
        Some(first) => (stamp(tx, first.variant)?, first.issued_at),
        None if c.status == ContractStatus::Draft => (Stamp::Draft, draft_day(now)),
        None => (Stamp::ApprovedDraft, draft_day(now)),
    };
    let (drawn, meta) = crate::docs::contract::draw(fonts, &contract_doc(tx, &c, stamp, when)?)?;
    Ok((c, issued, drawn, meta, fonts))
}

/// The contract as it prints: the stored stamped file if it was issued, else a draft.
pub(super) fn contract_print(
    tx: &Tx<'_>,
    user: &UserAccount,
    id: ContractId,
    now: DateTime<Utc>,
) -> Result<(PrintedDocument, Option<IssuedDocument>), ServiceError> {
    let (c, issued) = contract_to_print(tx, user, id)?;
    if let Some(first) = issued {
        let printed = PrintedDocument {
            bytes: tx.issued_pdf(&first)?,
            file_name: contract_file_name(&c, false),
            stamped: true,
            number: c.number.to_string(),
            revision: CONTRACT_REVISION,
        };
        return Ok((printed, Some(first)));
    }
    let (c, _, drawn, meta, fonts) = contract_layout(tx, user, id, now)?;
    let printed = PrintedDocument {
        bytes: crate::docs::pdf::save(fonts, drawn, &meta)?,
        file_name: contract_file_name(&c, true),
        stamped: false,
        number: c.number.to_string(),
        revision: CONTRACT_REVISION,
    };
    Ok((printed, None))
}

impl Service {
    /// The 销售合同 of a contract the actor may see: the stamped PDF exactly as issued if it was,
    /// otherwise a draft with the watermark and no seal. Never writes the register.
    pub fn print_contract(&mut self, actor: &Actor, id: ContractId) -> Result<PrintedDocument, ServiceError> {
        let now = self.now();
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            Ok(contract_print(tx, &user, id, now)?.0)
        })
    }

    /// 用印发出 of a confirmed (or signed) contract: rendered with the seal (or for a wet stamp),
    /// written to `out`, entered in the register with `copies`. Issuing the same variant again is
    /// a reprint of its stored bytes. Only the assistant issues.
    pub fn issue_contract(
        &mut self,
        actor: &Actor,
        id: ContractId,
        copies: u32,
        variant: PrintVariant,
        out: &Path,
    ) -> Result<IssuedDocument, ServiceError> {
        let file = out.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
        self.issue_contract_with(actor, id, copies, variant, &file, &mut |bytes| write_file(out, bytes))
    }

    /// Issuing with the PDF handed to `deliver` inside the transaction: when delivery fails,
    /// nothing is registered.
    pub(super) fn issue_contract_with(
        &mut self,
        actor: &Actor,
        id: ContractId,
        copies: u32,
        variant: PrintVariant,
        file: &str,
        deliver: &mut dyn FnMut(&[u8]) -> Result<(), ServiceError>,
    ) -> Result<IssuedDocument, ServiceError> {
        check_copies(copies)?;
        if variant == PrintVariant::SealRiding {
            return Err(ServiceError::rule(
                "document.riding_seal_bid_only",
                "骑缝章用于装订成册的投标书；合同请选择“电子公章”或“鲜章”（多页合同的骑缝章请在签订时手工加盖）。",
            ));
        }
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            let user = authorize(tx, actor, Permission::IssueDocument)?;
            let c = tx.contract(id)?;
            if !may_see_contract(&user, &c) {
                return Err(ServiceError::Denied("您只能打印自己的或自己客户的合同"));
            }
            if c.status == ContractStatus::Draft {
                return Err(ServiceError::rule(
                    "document.not_approved",
                    format!("{} 尚未确认（{}），不能用印发出；可先打印草稿供核对。", c.number, c.status.label()),
                ));
            }
            let code = code_of(&c);
            let earlier = tx.issued_for_contract(id)?;
            let (bytes, pdf_id, sha, reprint) =
                match earlier.iter().find(|e| e.verify_code == code && e.variant == variant) {
                    Some(first) => (tx.issued_pdf(first)?, String::new(), first.sha256.clone(), true),
                    None => {
                        let fonts = contract_fonts(tx, None)?;
                        let doc = contract_doc(tx, &c, stamp(tx, variant)?, now)?;
                        let RenderedPdf { bytes, pdf_id } = crate::docs::contract::render(fonts, &doc)?;
                        let sha = sha256(&bytes);
                        (bytes, pdf_id, sha, false)
                    }
                };
            let number = c.number.to_string();
            let issued = NewIssued {
                quote: c.quote,
                revision_id: c.revision,
                kind: tx.quote(c.quote)?.kind,
                number: &number,
                revision: CONTRACT_REVISION,
                customer: c.customer,
                customer_name: &c.customer_name,
                sha256: &sha,
                pdf_id: &pdf_id,
                bytes: &bytes,
                verify_code: &code,
                copies,
                file_name: file,
                reprint,
                issued_by: user.id,
                issued_by_name: &user.display_name,
                variant,
                contract: Some(id),
            };
            register_issue(tx, actor, now, &issued, "contract", serde_json::json!({}), deliver)
        })
    }

    /// The contract template (everyone signed in may read it: it is what contracts print).
    pub fn contract_template(&mut self, actor: &Actor) -> Result<Versioned<ContractTemplate>, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            current_user(tx, actor)?;
            Ok(tx.setting(TEMPLATE)?)
        })
    }

    /// Saves the contract template (the admin, like the standard terms), audited with what it replaced.
    pub fn update_contract_template(
        &mut self,
        actor: &Actor,
        version: i64,
        template: ContractTemplate,
    ) -> Result<Versioned<ContractTemplate>, ServiceError> {
        let template = template.trimmed();
        let problems = template.problems();
        if !problems.is_empty() {
            return Err(ServiceError::Invalid(problems));
        }
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            authorize(tx, actor, Permission::EditPolicyAndTerms)?;
            let before: Versioned<ContractTemplate> = tx.setting(TEMPLATE)?;
            tx.put_setting(TEMPLATE, &template, version, now, &actor.audit_name())?;
            audit(
                tx,
                &actor.audit_name(),
                now,
                "settings.contract_template",
                "settings",
                TEMPLATE,
                Some(&before.value),
                Some(&template),
            )?;
            Ok(tx.setting(TEMPLATE)?)
        })
    }

    /// The contract with this number (`HT-2026-0001`), if the actor may see it.
    pub fn contract_by_number(&mut self, actor: &Actor, number: &str) -> Result<ContractId, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let wanted = number.trim().to_uppercase();
            let c = tx
                .contracts()?
                .into_iter()
                .find(|c| c.number.to_string() == wanted)
                .ok_or_else(|| ServiceError::rule("contract.not_found", format!("没有合同 {wanted}。")))?;
            if !may_see_contract(&user, &c) {
                return Err(ServiceError::Denied("您只能查看自己的或自己客户的合同"));
            }
            Ok(c.id)
        })
    }
}
