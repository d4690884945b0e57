//! Printing and issuing the 报价单 (procedure (2) D–E): a draft print of any revision, issuing
//! (用印发出) an approved one with the seal into a file and the issued-documents register, reprints
//! that are byte-identical, and verifying a file or a code from a paper copy.

use std::path::Path;

use chrono::{DateTime, Datelike, Local, Utc};
use sha2::{Digest, Sha256};

use super::{Actor, Service, ServiceError, audit, authorize, current_user, quotes::may_see};
use crate::docs::canvas::Drawn;
use crate::docs::fonts::DocFonts;
use crate::docs::pdf::Meta;
use crate::docs::quote::{QuotationDoc, RenderedPdf, Stamp};
use crate::docs::visit_plan::VisitPlanDoc;
use crate::docs::weekly_report::{ReportSection, WeeklyReportDoc};
use crate::domain::company::CompanyProfile;
use crate::domain::document::{IssuedDocument, PrintVariant, normalize_code, verification_code};
use crate::domain::ids::QuoteId;
use crate::domain::quote::{Quote, QuoteKind, QuoteStatus, Revision, RevisionStatus};

use crate::domain::role::Permission;
use crate::domain::user::UserAccount;
use crate::domain::visit::Week;
use crate::store::{NewIssued, StoreError, Tx};

/// A PDF ready to be saved, with the file name the save dialog proposes.
#[derive(Debug, Clone)]
pub struct PrintedDocument {
    pub bytes: Vec<u8>,
    pub file_name: String,
    /// True: the stamped PDF of an issued revision; false: a draft with the watermark.
    pub stamped: bool,
    pub number: String,
    pub revision: u32,
}

/// What `verify` found out about a file or a code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// The file is byte for byte one we issued (all its register entries, first issue first).
    Genuine(Vec<IssuedDocument>),
    /// The file carries the identity of one we issued, but its bytes differ: it was altered.
    Altered(Vec<IssuedDocument>),
    /// A code from a paper or scanned copy that matches issued revisions.
    CodeIssued(Vec<IssuedDocument>),
    /// Nothing we issued matches.
    Unknown,
}

impl Verification {
    /// One sentence for the user.
    pub fn message(&self) -> String {
        fn first(entries: &[IssuedDocument]) -> String {
            match entries.first() {
                Some(e) => format!(
                    "{} {}（致 {}），{} 由 {} 首次用印发出，共登记 {} 次",
                    e.doc_title(),
                    e.label(),
                    e.customer_name,
                    crate::domain::dates::cn_date_time(e.issued_at),
                    e.issued_by_name,
                    entries.len()
                ),
                None => String::new(),
            }
        }
        match self {
            Verification::Genuine(e) => format!("真实有效：本文件即本公司签发的{}，内容未被改动。", first(e)),
            Verification::Altered(e) => {
                format!("文件已被改动：它源自本公司签发的{}，但内容与签发时不一致，请以原件为准。", first(e))
            }
            Verification::CodeIssued(e) => {
                format!("验证码有效：对应本公司签发的{}。请核对纸面内容是否一致。", first(e))
            }
            Verification::Unknown => "未找到：这不是本系统用印发出的文件（或验证码有误）。".into(),
        }
    }

    pub fn is_genuine(&self) -> bool {
        matches!(self, Verification::Genuine(_) | Verification::CodeIssued(_))
    }
}

pub(super) fn fonts() -> Result<&'static DocFonts, ServiceError> {
    DocFonts::get().ok_or(ServiceError::Document(crate::docs::DocError::Font))
}

/// The fonts a 报价单 or 投标书 is set in: the body face the admin chose for its kind.
pub(super) fn fonts_for(tx: &Tx<'_>, kind: QuoteKind) -> Result<&'static DocFonts, ServiceError> {
    let faces = tx.setting::<CompanyProfile>("company")?.value.typefaces;
    let face = match kind {
        QuoteKind::Quote => faces.quote,
        QuoteKind::Bid => faces.bid,
    };
    DocFonts::for_body(face).ok_or(ServiceError::Document(crate::docs::DocError::Font))
}

/// `报价单_BJ-2026-0001_V2_客户简称.pdf` (characters Windows forbids in names are dropped).
pub fn suggested_file_name(q: &Quote, revision: u32, draft: bool) -> String {
    let customer: String = q.customer_name.chars().filter(|c| !"\\/:*?\"<>|".contains(*c)).take(20).collect();
    let draft = if draft { "_草稿" } else { "" };
    format!("{}_{}_V{revision}_{customer}{draft}.pdf", q.kind.doc_title(), q.number)
}

fn pick_revision(revisions: &[Revision], number: Option<u32>) -> Result<&Revision, ServiceError> {
    match number {
        None => revisions.last().ok_or(ServiceError::rule("quote.no_revision", "该报价还没有任何版本。")),
        Some(n) => revisions
            .iter()
            .find(|r| r.revision == n)
            .ok_or_else(|| ServiceError::rule("quote.no_such_revision", format!("没有版本 V{n}。"))),
    }
}

/// The company profile and its logo (for documents made elsewhere in the service).
pub(super) fn letterhead_of(tx: &Tx<'_>) -> Result<(CompanyProfile, Option<Vec<u8>>), ServiceError> {
    letterhead(tx)
}

/// The company profile and its logo, as every document's letterhead prints them.
fn letterhead(tx: &Tx<'_>) -> Result<(CompanyProfile, Option<Vec<u8>>), ServiceError> {
    let company: CompanyProfile = tx.setting::<CompanyProfile>("company")?.value;
    let logo = match company.logo {
        Some(id) => tx.attachment(id)?.map(|a| a.bytes),
        None => None,
    };
    Ok((company, logo))
}

/// Gathers what the 报价单 prints.
fn quotation_doc(
    tx: &Tx<'_>,
    q: &Quote,
    r: &Revision,
    stamp: Stamp,
    date_time: DateTime<Utc>,
) -> Result<QuotationDoc, ServiceError> {
    let (company, logo) = letterhead(tx)?;
    let customer = tx.customer(q.customer)?;
    let contact = customer
        .draft
        .contacts
        .iter()
        .find(|c| c.id == q.contact)
        .or_else(|| customer.draft.contacts.iter().find(|c| c.primary));
    let author = tx.user(q.author)?;
    let number = q.number.to_string();
    Ok(QuotationDoc {
        verification_code: verification_code(&number, r.revision, &r.content_hash),
        content_hash: r.content_hash.clone(),
        company,
        logo,
        number,
        revision: r.revision,
        date: date_time.with_timezone(&Local).date_naive(),
        customer_name: customer.draft.name.clone(),
        customer_address: customer.draft.address.clone(),
        contact_name: contact.map(|c| c.name.clone()).unwrap_or_default(),
        contact_phone: contact
            .map(|c| if c.mobile.is_empty() { c.phone.clone() } else { c.mobile.clone() })
            .unwrap_or_default(),
        subject: q.subject.clone(),
        salesperson_name: author.display_name.clone(),
        salesperson_phone: author.phone.clone(),
        salesperson_email: author.email.clone(),
        content: r.content.clone(),
        stamp,
        fixed_time: date_time,
    })
}

/// The seal image, or the 盖章处 box when the office has none or the variant is a wet-stamp print.
pub(super) fn stamp(tx: &Tx<'_>, variant: PrintVariant) -> Result<Stamp, ServiceError> {
    if !variant.prints_seal() {
        return Ok(Stamp::StampBox);
    }
    let company: CompanyProfile = tx.setting::<CompanyProfile>("company")?.value;
    Ok(match company.seal {
        Some(id) => tx.attachment(id)?.map(|a| Stamp::Seal(a.bytes)).unwrap_or(Stamp::StampBox),
        None => Stamp::StampBox,
    })
}

fn load(tx: &Tx<'_>, user: &UserAccount, id: QuoteId) -> Result<(Quote, Vec<Revision>), ServiceError> {
    let quote = tx.quote(id)?;
    if !may_see(user, &quote) {
        return Err(ServiceError::Denied("您只能打印自己编制的或自己客户的报价"));
    }
    Ok((quote.clone(), tx.revisions(id)?))
}

/// The start of today, local time: a draft's date, so two prints of one draft on one day are the
/// same file.
pub(super) fn draft_day(now: DateTime<Utc>) -> DateTime<Utc> {
    let today = now.with_timezone(&Local).date_naive();
    today
        .and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(Local).earliest())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now)
}

/// The draft stamp of a revision: approved ones say they still wait for 用印发出.
fn draft_stamp(r: &Revision) -> Stamp {
    if r.status == RevisionStatus::Approved { Stamp::ApprovedDraft } else { Stamp::Draft }
}

/// A revision the actor may print, and its first register entry if it was issued.
pub(super) fn revision_to_print(
    tx: &Tx<'_>,
    user: &UserAccount,
    id: QuoteId,
    revision: Option<u32>,
) -> Result<(Quote, Revision, Option<IssuedDocument>), ServiceError> {
    let (quote, revisions) = load(tx, user, id)?;
    let r = pick_revision(&revisions, revision)?.clone();
    let issued = tx.issued_for_revision(r.id)?.into_iter().next();
    Ok((quote, r, issued))
}

/// A revision laid out as it prints, without writing the PDF: as issued (the seal, the issue's
/// date and copies) if it was, else a draft (a bid with `duplicates` 副本).
pub(super) fn quote_layout(
    tx: &Tx<'_>,
    quote: &Quote,
    r: &Revision,
    issued: Option<&IssuedDocument>,
    duplicates: u32,
    now: DateTime<Utc>,
) -> Result<(Drawn, Meta, &'static DocFonts), ServiceError> {
    // An issued document keeps the face it was issued in (the admin may have changed it since).
    let fonts = match issued {
        Some(first) => {
            let serif = contains(&tx.issued_pdf(first)?, b"NotoSerifSC");
            DocFonts::for_body(if serif {
                crate::domain::company::Typeface::Serif
            } else {
                crate::domain::company::Typeface::Sans
            })
            .ok_or(ServiceError::Document(crate::docs::DocError::Font))?
        }
        None => fonts_for(tx, quote.kind)?,
    };
    let (stamp, when, duplicates) = match issued {
        Some(first) => (stamp(tx, first.variant)?, first.issued_at, first.copies.saturating_sub(1)),
        None => (draft_stamp(r), draft_day(now), duplicates),
    };
    let riding = issued.is_some_and(|first| first.variant == PrintVariant::SealRiding);
    let (drawn, meta) = match quote.kind {
        QuoteKind::Bid => {
            let (drawn, meta, _) =
                crate::docs::bid::draw(fonts, &super::bids::bid_doc(tx, quote, r, stamp, riding, when, duplicates)?)?;
            (drawn, meta)
        }
        QuoteKind::Quote => crate::docs::quote::draw(fonts, &quotation_doc(tx, quote, r, stamp, when)?)?,
    };
    Ok((drawn, meta, fonts))
}

pub(super) fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A revision as it prints: the stamped PDF exactly as issued, with its first register entry, if
/// that revision was issued; otherwise a draft with the watermark and no seal (a bid with
/// `duplicates` 副本 after its 正本).
pub(super) fn quote_print(
    tx: &Tx<'_>,
    user: &UserAccount,
    id: QuoteId,
    revision: Option<u32>,
    duplicates: u32,
    now: DateTime<Utc>,
) -> Result<(PrintedDocument, Option<IssuedDocument>), ServiceError> {
    let (quote, r, issued) = revision_to_print(tx, user, id, revision)?;
    if let Some(first) = issued {
        let bytes = tx.issued_pdf(&first)?;
        let printed = PrintedDocument {
            bytes,
            file_name: suggested_file_name(&quote, r.revision, false),
            stamped: true,
            number: quote.number.to_string(),
            revision: r.revision,
        };
        return Ok((printed, Some(first)));
    }
    let (drawn, meta, fonts) = quote_layout(tx, &quote, &r, None, duplicates, now)?;
    let printed = PrintedDocument {
        bytes: crate::docs::pdf::save(fonts, drawn, &meta)?,
        file_name: suggested_file_name(&quote, r.revision, true),
        stamped: false,
        number: quote.number.to_string(),
        revision: r.revision,
    };
    Ok((printed, None))
}

/// Writes an issued or printed document to `path` whole or not at all; its folder must exist
/// (issuing into a folder that is not there is refused, and nothing is registered).
pub(super) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ServiceError> {
    super::error::write_whole(path, bytes)
        .map_err(|e| ServiceError::rule("document.write_failed", super::error::file_problem("写入文件", path, &e)))
}

/// The copies one 用印发出 may register: 1 to [`crate::print::MAX_COPIES`] (99), as a print job.
pub(super) fn check_copies(copies: u32) -> Result<(), ServiceError> {
    let max = crate::print::MAX_COPIES;
    if copies == 0 || copies > max {
        return Err(ServiceError::invalid("copies", format!("份数应在 1 到 {max} 之间")));
    }
    Ok(())
}

/// Enters an issue (or a reprint) in the register, audits it with `detail` and what every issue
/// records (SHA-256, copies, file, variant), and hands the bytes to `deliver` last: when the file
/// cannot be written the transaction rolls back and nothing was issued.
pub(super) fn register_issue(
    tx: &Tx<'_>,
    actor: &Actor,
    now: DateTime<Utc>,
    n: &NewIssued<'_>,
    entity: &str,
    mut detail: serde_json::Value,
    deliver: &mut dyn FnMut(&[u8]) -> Result<(), ServiceError>,
) -> Result<IssuedDocument, ServiceError> {
    let entry_id = tx.insert_issued(n, now)?;
    if let Some(d) = detail.as_object_mut() {
        d.insert("sha256".into(), n.sha256.into());
        d.insert("copies".into(), n.copies.into());
        d.insert("file".into(), n.file_name.into());
        d.insert("reprint".into(), n.reprint.into());
        d.insert("variant".into(), n.variant.code().into());
    }
    let action = if n.reprint { "document.reprint" } else { "document.issue" };
    audit::<(), _>(tx, &actor.audit_name(), now, action, entity, n.number, None, Some(&detail))?;
    deliver(n.bytes)?;
    Ok(tx.issued_entry(entry_id)?)
}

pub(super) fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Service {
    /// The 报价单 of revision `revision` (the latest if `None`) of a quote the actor may see:
    /// the stamped PDF exactly as issued if that revision was issued, otherwise a draft with the
    /// watermark and no seal. Never writes the register.
    pub fn print_quote(
        &mut self,
        actor: &Actor,
        id: QuoteId,
        revision: Option<u32>,
    ) -> Result<PrintedDocument, ServiceError> {
        let now = self.now();
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            Ok(quote_print(tx, &user, id, revision, 0, now)?.0)
        })
    }

    /// 用印发出: the latest revision, approved, is rendered with the seal, written to `out`, entered
    /// in the register (with `copies`) and the quote becomes `issued`. Issuing the same revision
    /// again is a reprint: the same bytes, its own register entry. Only the assistant issues.
    pub fn issue_quote(
        &mut self,
        actor: &Actor,
        id: QuoteId,
        copies: u32,
        out: &Path,
    ) -> Result<IssuedDocument, ServiceError> {
        self.issue_variant(actor, id, copies, PrintVariant::Seal, out)
    }

    /// 用印发出 of one print variant (see [`PrintVariant`]): each variant issued is its own register
    /// entry with its own bytes; issuing a variant again is a reprint of its stored bytes.
    pub fn issue_variant(
        &mut self,
        actor: &Actor,
        id: QuoteId,
        copies: u32,
        variant: PrintVariant,
        out: &Path,
    ) -> Result<IssuedDocument, ServiceError> {
        let file = out.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
        self.issue(actor, id, copies, variant, &file, &mut |bytes| write_file(out, bytes))
    }

    /// Issuing with the PDF handed to `deliver` inside the transaction: when delivery fails,
    /// nothing is registered.
    pub(super) fn issue(
        &mut self,
        actor: &Actor,
        id: QuoteId,
        copies: u32,
        variant: PrintVariant,
        file: &str,
        deliver: &mut dyn FnMut(&[u8]) -> Result<(), ServiceError>,
    ) -> Result<IssuedDocument, ServiceError> {
        check_copies(copies)?;
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            let user = authorize(tx, actor, Permission::IssueDocument)?;
            let (quote, revisions) = load(tx, &user, id)?;
            let fonts = fonts_for(tx, quote.kind)?;
            if variant == PrintVariant::SealRiding && quote.kind != QuoteKind::Bid {
                return Err(ServiceError::rule(
                    "document.riding_seal_bid_only",
                    "骑缝章用于装订成册的投标书；报价单请选择“电子公章”或“鲜章”。",
                ));
            }
            let r = revisions.last().ok_or(ServiceError::rule("quote.no_revision", "该报价还没有任何版本。"))?;
            if r.status != RevisionStatus::Approved {
                return Err(ServiceError::rule(
                    "document.not_approved",
                    format!(
                        "{} V{} 尚未审批通过（当前：{}），不能用印发出；可先打印草稿。",
                        quote.number,
                        r.revision,
                        r.status.label()
                    ),
                ));
            }
            if matches!(quote.status, QuoteStatus::Lost | QuoteStatus::Expired) {
                return Err(ServiceError::rule(
                    "quote.closed",
                    format!("{} 已{}，不能再用印发出。", quote.number, quote.status.label()),
                ));
            }
            let earlier = tx.issued_for_revision(r.id)?;
            let (bytes, pdf_id, sha, reprint) = match earlier.iter().find(|e| e.variant == variant) {
                Some(first) => {
                    let bytes = tx.issued_pdf(first)?;
                    (bytes, String::new(), first.sha256.clone(), true)
                }
                None => {
                    let RenderedPdf { bytes, pdf_id } = match quote.kind {
                        // Cross-checked first: a bid with a problem is refused with all of them.
                        QuoteKind::Bid => super::bids::issued_bid_pdf(
                            tx,
                            fonts,
                            &quote,
                            r,
                            (stamp(tx, variant)?, variant == PrintVariant::SealRiding),
                            now,
                            copies,
                        )?,
                        QuoteKind::Quote => {
                            crate::docs::quote::render(fonts, &quotation_doc(tx, &quote, r, stamp(tx, variant)?, now)?)?
                        }
                    };
                    let sha = sha256(&bytes);
                    (bytes, pdf_id, sha, false)
                }
            };
            let number = quote.number.to_string();
            if quote.status == QuoteStatus::Open {
                tx.set_quote_status(quote.id, quote.version, QuoteStatus::Issued, now, &actor.audit_name())?;
            }
            let issued = NewIssued {
                quote: quote.id,
                revision_id: r.id,
                kind: quote.kind,
                number: &number,
                revision: r.revision,
                customer: quote.customer,
                customer_name: &quote.customer_name,
                sha256: &sha,
                pdf_id: &pdf_id,
                bytes: &bytes,
                verify_code: &verification_code(&number, r.revision, &r.content_hash),
                copies,
                file_name: file,
                reprint,
                issued_by: user.id,
                issued_by_name: &user.display_name,
                variant,
                contract: None,
            };
            let detail = serde_json::json!({ "revision": r.revision });
            register_issue(tx, actor, now, &issued, "quote", detail, deliver)
        })
    }

    /// The register entries of the quotes the actor may see, newest first.
    pub fn issued_documents(&mut self, actor: &Actor) -> Result<Vec<IssuedDocument>, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let mut out = Vec::new();
            for e in tx.issued_documents()? {
                if may_see(&user, &tx.quote(e.quote)?) {
                    out.push(e);
                }
            }
            Ok(out)
        })
    }

    /// The PDF of a register entry, byte for byte as issued (to open or save again).
    pub fn issued_file(&mut self, actor: &Actor, entry: i64) -> Result<(IssuedDocument, Vec<u8>), ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let e =
                tx.issued_documents()?.into_iter().find(|e| e.id == entry).ok_or(StoreError::NotFound("登记记录"))?;
            if !may_see(&user, &tx.quote(e.quote)?) {
                return Err(ServiceError::Denied("您只能查看自己编制的或自己客户的报价"));
            }
            let bytes = tx.issued_pdf(&e)?;
            Ok((e, bytes))
        })
    }

    /// Is this file one we issued, unchanged? Needs no sign-in: anyone holding a copy may ask.
    pub fn verify_pdf(&mut self, bytes: &[u8]) -> Result<Verification, ServiceError> {
        let sha = sha256(bytes);
        self.store.read(|tx| {
            let same = tx.issued_by_sha(&sha)?;
            if !same.is_empty() {
                return Ok(Verification::Genuine(same));
            }
            for id in trailer_ids(bytes) {
                let origin = tx.issued_by_pdf_id(&id)?;
                if !origin.is_empty() {
                    return Ok(Verification::Altered(origin));
                }
            }
            Ok(Verification::Unknown)
        })
    }

    /// Which issued revision a verification code (from a paper or scanned copy) belongs to.
    pub fn verify_code(&mut self, code: &str) -> Result<Verification, ServiceError> {
        let Some(code) = normalize_code(code) else {
            return Err(ServiceError::invalid("code", "验证码应为 12 位字母和数字，如 7KQ2-M9XA-3FDV"));
        };
        self.store.read(|tx| {
            let entries = tx.issued_by_code(&code)?;
            Ok(if entries.is_empty() { Verification::Unknown } else { Verification::CodeIssued(entries) })
        })
    }

    /// The weekly visit plan for the Saturday meeting as a PDF: the same visits the actor sees in
    /// the window's 下周计划 (their own, or everyone's for those who see all).
    pub fn print_visit_plan(&mut self, actor: &Actor, week: Week) -> Result<Vec<u8>, ServiceError> {
        let doc = self.visit_plan_doc(actor, week)?;
        Ok(crate::docs::visit_plan::render(fonts()?, &doc)?)
    }

    pub(super) fn visit_plan_doc(&mut self, actor: &Actor, week: Week) -> Result<VisitPlanDoc, ServiceError> {
        let mut plan = self.weekly_plan(actor, week)?;
        let printed_at = self.now();
        // The sheet reads in date and time order; key visits keep their place and carry a ★.
        for (_, visits) in &mut plan.people {
            visits.sort_by_key(|v| (v.plan.planned_at, v.id.0));
        }
        let customers: Vec<_> =
            plan.people.iter().flat_map(|(_, v)| v.iter().filter_map(|x| x.plan.customer)).collect();
        let (company, logo, places) = self.store.read_as(actor.login(), |tx| {
            current_user(tx, actor)?;
            let (company, logo) = letterhead(tx)?;
            let mut places = std::collections::HashMap::new();
            for id in customers {
                if let std::collections::hash_map::Entry::Vacant(e) = places.entry(id) {
                    let d = tx.customer(id)?.draft;
                    e.insert((d.province, d.city));
                }
            }
            Ok::<_, ServiceError>((company, logo, places))
        })?;
        Ok(VisitPlanDoc { company, logo, week: plan.week, people: plan.people, places, printed_at })
    }

    /// 工作周报 as a PDF: one salesperson's (`Some`), or every report the actor may read for the
    /// week (`None`: the head's copy for the meeting), each from a new page.
    pub fn print_weekly_reports(
        &mut self,
        actor: &Actor,
        week: Week,
        user: Option<crate::domain::ids::UserId>,
    ) -> Result<Vec<u8>, ServiceError> {
        let doc = self.weekly_reports_doc(actor, week, user)?;
        Ok(crate::docs::weekly_report::render(fonts()?, &doc)?)
    }

    pub(super) fn weekly_reports_doc(
        &mut self,
        actor: &Actor,
        week: Week,
        user: Option<crate::domain::ids::UserId>,
    ) -> Result<WeeklyReportDoc, ServiceError> {
        let reports = match user {
            Some(u) => vec![self.weekly_report(actor, u, week)?],
            None => self.weekly_reports(actor, week)?,
        };
        let printed_at = self.now();
        let (company, logo) = self.store.read_as(actor.login(), |tx| {
            current_user(tx, actor)?;
            letterhead(tx)
        })?;
        let sections = reports
            .into_iter()
            .map(|r| ReportSection {
                person: r.user_name,
                inquiries: r
                    .inquiries
                    .iter()
                    .map(|i| {
                        [i.number.to_string(), i.customer_name.clone(), i.subject.clone(), i.status.label().into()]
                    })
                    .collect(),
                submitted: r
                    .submitted
                    .iter()
                    .map(|(q, rev)| {
                        [
                            q.number.revision_label(rev.revision),
                            q.customer_name.clone(),
                            rev.total.to_string(),
                            rev.status.label().into(),
                        ]
                    })
                    .collect(),
                outcomes: r
                    .outcomes
                    .iter()
                    .map(|q| [q.number.to_string(), q.customer_name.clone(), q.status.label().into()])
                    .collect(),
                receipts: r
                    .receipts
                    .iter()
                    .map(|(number, customer, rc)| {
                        let how = match rc.hand_in(printed_at.with_timezone(&chrono::Local).date_naive()) {
                            crate::domain::receivable::HandIn::NotNeeded => rc.method.label().to_string(),
                            h => format!("{}，{}", rc.method.label(), h.label()),
                        };
                        [
                            format!("{}月{}日 {}", rc.date.month(), rc.date.day(), number),
                            customer.clone(),
                            rc.amount.to_string(),
                            how,
                        ]
                    })
                    .collect(),
                visits: r.visits,
                overdue: r.overdue,
                next_week: r.next_week,
                notes: r.notes.notes,
                next_focus: r.notes.next_focus,
            })
            .collect();
        Ok(WeeklyReportDoc { company, logo, week, sections, printed_at })
    }

    /// A quote by its number (BJ-2026-0001), for the command line.
    pub fn quote_by_number(&mut self, actor: &Actor, number: &str) -> Result<QuoteId, ServiceError> {
        let wanted = number.trim().to_uppercase();
        let quotes = self.quotes(actor)?;
        quotes.iter().find(|s| s.quote.number.to_string() == wanted).map(|s| s.quote.id).ok_or_else(|| {
            ServiceError::rule("quote.unknown_number", format!("找不到编号为 {wanted} 的报价或投标（或您无权查看）。"))
        })
    }
}

/// The 32-hex-digit strings in the last part of a PDF (its trailer `/ID`), which survive edits
/// elsewhere in the file.
fn trailer_ids(bytes: &[u8]) -> Vec<String> {
    let tail = &bytes[bytes.len().saturating_sub(4096)..];
    let mut out = Vec::new();
    let mut run = 0usize;
    for (i, b) in tail.iter().enumerate() {
        if b.is_ascii_hexdigit() {
            run += 1;
            continue;
        }
        if run == 32 {
            let id = String::from_utf8_lossy(&tail[i - 32..i]).to_ascii_lowercase();
            if !out.contains(&id) {
                out.push(id);
            }
        }
        run = 0;
    }
    out
}
