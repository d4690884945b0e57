//! The 投标书 (procedure (2) C–E for tenders): gathering what the bid document prints — the tender's
//! particulars, the bid's author as 委托代理人, the certificates it attaches, the after-sales
//! commitment — and the cross-checks that must pass before it is issued. Printing and issuing go
//! through the same use cases and register as the 报价单 (`documents.rs`); this module is what
//! differs for a bid.

use chrono::{DateTime, Local, Utc};

use super::certificates::AFTER_SALES;
use super::{Actor, Service, ServiceError, current_user, quotes::may_see};
use crate::docs::bid::{BidBond, BidCertificate, BidDoc, BidReference};
use crate::docs::fonts::DocFonts;
use crate::docs::quote::{RenderedPdf, Stamp};
use crate::domain::bid::{
    AfterSalesTemplate, BidCheck, BidFigures, BidProblem, BondCheck, Stage, cross_check, sync_typed_responses,
};
use crate::domain::certificate::Certificate;
use crate::domain::certificate::Offered;
use crate::domain::company::{CompanyProfile, FieldError};
use crate::domain::document::verification_code;
use crate::domain::ids::{CertificateId, QuoteId, RevisionId};
use crate::domain::inquiry::BondRecord;
use crate::domain::inquiry::{ClauseKind, TenderInfo};
use crate::domain::money::Money;
use crate::domain::policy::ApprovalPolicy;
use crate::domain::quote::{Deviation, Quote, QuoteKind, Revision, RevisionContent};
use crate::domain::record::Versioned;
use crate::domain::reference::Reference;
use crate::store::{StoreError, Tx};

/// The tender a bid answers and what was recorded about its bond (empty if the bid has lost its
/// inquiry).
fn tender(tx: &Tx<'_>, q: &Quote) -> Result<(TenderInfo, BondRecord), ServiceError> {
    Ok(match q.inquiry {
        Some(i) => {
            let inquiry = tx.inquiry(i)?;
            (inquiry.draft.tender, inquiry.bond_record)
        }
        None => (TenderInfo::default(), BondRecord::default()),
    })
}

fn attached(tx: &Tx<'_>, ids: &[CertificateId]) -> Result<Vec<Certificate>, ServiceError> {
    ids.iter().map(|id| Ok(tx.certificate(*id)?)).collect()
}

/// Everything wrong with the bid as it would be issued at `now`, each in one sentence.
fn problems(tx: &Tx<'_>, q: &Quote, r: &Revision, now: DateTime<Utc>) -> Result<Vec<BidProblem>, ServiceError> {
    content_problems(tx, q, &r.content, r.total, now)
}

/// What the cross-checks read beside a bid's content: its tender, the certificates it attaches
/// and the signing dates of the references it lists.
struct CheckData {
    tender: TenderInfo,
    bond: BondCheck,
    bond_record: BondRecord,
    certificates: Vec<Certificate>,
    references: Vec<Reference>,
    reference_dates: Vec<chrono::NaiveDate>,
    figures: BidFigures,
    /// Each line's model, name and price-table category.
    lines: Vec<(String, String, String)>,
}

impl CheckData {
    /// `content` with the declared total `total`.
    fn read(tx: &Tx<'_>, q: &Quote, content: &RevisionContent, total: Money) -> Result<CheckData, ServiceError> {
        let references = content.references.iter().map(|id| tx.reference(*id)).collect::<Result<Vec<_>, _>>()?;
        let (tender, record) = tender(tx, q)?;
        let policy: Versioned<ApprovalPolicy> = tx.setting("approval_policy")?;
        let bond = BondCheck {
            amount: tender.bond,
            paid: tender.bond_paid,
            waived: record.waiver.is_some(),
            warning_days: policy.value.bond_warning_days,
        };
        let bond_record = record;
        let mut lines = Vec::new();
        for l in &content.lines {
            let category = match (l.product, l.price_version) {
                (Some(p), Some(v)) => tx.product_priced_in(p, v)?.map(|p| p.draft.category).unwrap_or_default(),
                _ => String::new(),
            };
            lines.push((l.model.clone(), l.name.clone(), category));
        }
        Ok(CheckData {
            tender,
            bond,
            bond_record,
            lines,
            certificates: attached(tx, &content.certificates)?,
            reference_dates: super::references::counted_dates(&references),
            references,
            figures: BidFigures::of(content, total),
        })
    }

    fn offered(&self) -> Vec<Offered<'_>> {
        self.lines.iter().map(|(model, name, category)| Offered { model, name, category }).collect()
    }

    fn check<'a>(
        &'a self,
        content: &'a RevisionContent,
        offered: &'a [Offered<'a>],
        now: DateTime<Utc>,
    ) -> BidCheck<'a> {
        BidCheck {
            bond: self.bond,
            offered,
            figures: &self.figures,
            clauses: &self.tender.clauses,
            responses: &content.responses,
            terms: &content.terms,
            reference_dates: &self.reference_dates,
            certificates: &self.certificates,
            deadline: self.tender.deadline,
            now,
            today: now.with_timezone(&Local).date_naive(),
        }
    }
}

/// The cross-checks of `content` (declared total `total`) against its tender at `now`.
fn content_problems(
    tx: &Tx<'_>,
    q: &Quote,
    content: &RevisionContent,
    total: Money,
    now: DateTime<Utc>,
) -> Result<Vec<BidProblem>, ServiceError> {
    let data = CheckData::read(tx, q, content, total)?;
    let offered = data.offered();
    Ok(cross_check(&data.check(content, &offered, now)))
}

/// Saving a bid's draft: the answers to typed clauses are made from the bid's own data (what it
/// offers, the deviation computed), so what is saved, approved and printed never contradicts it.
pub(super) fn sync_responses(
    tx: &Tx<'_>,
    q: &Quote,
    content: &mut RevisionContent,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    if q.kind != QuoteKind::Bid {
        return Ok(());
    }
    let data = CheckData::read(tx, q, content, content.totals().total)?;
    let mut responses = content.responses.clone();
    let offered = data.offered();
    sync_typed_responses(&mut responses, &data.check(content, &offered, now));
    content.responses = responses;
    Ok(())
}

/// What stops a bid from going to approval: the checks a tender committee would void it for,
/// figures that disagree, certificates expired or retired — each as a field error on the row of
/// the clause it names (`response<n>`) where it names one. The deadline is checked at issue.
pub(super) fn submit_problems(
    tx: &Tx<'_>,
    q: &Quote,
    r: &Revision,
    now: DateTime<Utc>,
) -> Result<Vec<FieldError>, ServiceError> {
    if q.kind != QuoteKind::Bid {
        return Ok(Vec::new());
    }
    let found = content_problems(tx, q, &r.content, r.content.totals().total, now)?;
    Ok(found
        .iter()
        .filter(|p| p.refuses(Stage::Submit))
        .map(|p| {
            let field = p
                .clause_no()
                .and_then(|no| r.content.responses.iter().position(|x| x.clause_no == no))
                .map_or_else(|| "bid_checks".to_string(), |n| format!("response{n}"));
            FieldError::new(field, format!("{p}。"))
        })
        .collect())
}

/// What does not stop a bid's 提交 but its author and approvers should see (see
/// [`super::QuoteView::warnings`]). Empty for a quote.
pub(super) fn warnings(tx: &Tx<'_>, q: &Quote, r: &Revision, now: DateTime<Utc>) -> Result<Vec<String>, ServiceError> {
    if q.kind != QuoteKind::Bid {
        return Ok(Vec::new());
    }
    Ok(problems(tx, q, r, now)?
        .iter()
        .filter(|p| !p.refuses(Stage::Submit) && !matches!(p, BidProblem::Unanswered { .. }))
        .map(|p| format!("{p}。"))
        .collect())
}

/// Gathers the 投标书 of revision `r`, dated `date_time`, with `duplicates` 副本 after the 正本.
pub(super) fn bid_doc(
    tx: &Tx<'_>,
    q: &Quote,
    r: &Revision,
    stamp: Stamp,
    riding_seal: bool,
    date_time: DateTime<Utc>,
    duplicates: u32,
) -> Result<BidDoc, ServiceError> {
    let company: CompanyProfile = tx.setting::<CompanyProfile>("company")?.value;
    let template: Versioned<AfterSalesTemplate> = tx.setting(AFTER_SALES)?;
    let (t, record) = tender(tx, q)?;
    let bond = match t.bond.filter(|b| *b > Money::ZERO) {
        Some(amount) => {
            let receipt = match record.receipt {
                Some(id) => {
                    tx.attachment(id)?.map(|a| a.bytes).filter(|b| crate::docs::canvas::Canvas::image_size(b).is_ok())
                }
                None => None,
            };
            let paid = t.bond_paid;
            Some(BidBond {
                amount,
                form: record.form.filter(|_| paid).map(|f| f.label().to_string()),
                paid_on: record.paid_on.filter(|_| paid),
                receipt: receipt.filter(|_| paid),
            })
        }
        None => None,
    };
    let author = tx.user(q.author)?;
    let project = if t.project.trim().is_empty() { q.subject.clone() } else { t.project.clone() };
    let purchaser = if t.purchaser.trim().is_empty() { q.customer_name.clone() } else { t.purchaser.clone() };
    let terms = &r.content.terms;
    let after_sales =
        template.value.fill(&company.name, &project, &t.tender_no, terms.warranty_months, terms.delivery_days);
    let mut certificates = Vec::new();
    for c in attached(tx, &r.content.certificates)? {
        let image = tx.attachment(c.image)?.ok_or(StoreError::NotFound("证书扫描件"))?;
        certificates.push(BidCertificate {
            valid_until: c.draft.valid_until_text(),
            name: c.draft.name,
            kind: c.draft.kind,
            number: c.draft.number,
            issuer: c.draft.issuer,
            image: image.bytes,
        });
    }
    let mut references = Vec::new();
    for id in &r.content.references {
        let x = tx.reference(*id)?;
        if let Some(signed_on) = x.draft.signed_on {
            references.push(BidReference {
                customer_name: x.draft.customer_name,
                project: x.draft.project,
                products: x.draft.products,
                amount: x.draft.amount,
                signed_on,
                contact: x.draft.contact,
            });
        }
    }
    let number = q.number.to_string();
    Ok(BidDoc {
        references,
        verification_code: verification_code(&number, r.revision, &r.content_hash),
        content_hash: r.content_hash.clone(),
        figures: BidFigures::of(&r.content, r.total),
        company,
        number,
        revision: r.revision,
        date: date_time.with_timezone(&Local).date_naive(),
        tender_no: t.tender_no,
        purchaser,
        project,
        lot: t.lot,
        agent_name: author.display_name,
        agent_phone: author.phone,
        agent_email: author.email,
        agent_gender: author.gender.map(|g| g.label().to_string()).unwrap_or_default(),
        agent_id_number: tx.bid_agent_id_number(q.id)?,
        bond,
        riding_seal,
        content: r.content.clone(),
        after_sales,
        certificates,
        duplicates,
        stamp,
        fixed_time: date_time,
    })
}

/// The bid's PDF as printed (a draft, or an approved revision not issued yet).
pub(super) fn bid_pdf(
    tx: &Tx<'_>,
    fonts: &'static DocFonts,
    q: &Quote,
    r: &Revision,
    (stamp, riding_seal): (Stamp, bool),
    now: DateTime<Utc>,
    duplicates: u32,
) -> Result<RenderedPdf, ServiceError> {
    let doc = bid_doc(tx, q, r, stamp, riding_seal, now, duplicates)?;
    Ok(crate::docs::bid::render(fonts, &doc)?.pdf)
}

/// The stamped bid for 用印发出, after the cross-checks: `copies` paper sets are the 正本 and
/// `copies − 1` 副本, all in the one file. Refused with every problem listed when a check fails.
pub(super) fn issued_bid_pdf(
    tx: &Tx<'_>,
    fonts: &'static DocFonts,
    q: &Quote,
    r: &Revision,
    stamp: (Stamp, bool),
    now: DateTime<Utc>,
    copies: u32,
) -> Result<RenderedPdf, ServiceError> {
    let found: Vec<BidProblem> = problems(tx, q, r, now)?.into_iter().filter(|p| p.refuses(Stage::Issue)).collect();
    if !found.is_empty() {
        return Err(ServiceError::Invalid(
            found.iter().map(|p| FieldError::new("bid_checks", format!("{p}。"))).collect(),
        ));
    }
    bid_pdf(tx, fonts, q, r, stamp, now, copies.saturating_sub(1))
}

/// One row of the compliance table the director reviews: a tender clause and the bid's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplianceRow {
    pub clause_no: String,
    pub starred: bool,
    pub kind: ClauseKind,
    /// The tender's words.
    pub requirement: String,
    /// The typed requirement in a few characters (`质保期 ≥ 24 个月`), for a typed clause.
    pub typed: Option<String>,
    /// What the bid offers (for a typed clause: made from its data).
    pub offered: String,
    pub deviation: Deviation,
    /// What the cross-checks find on this clause, each in one sentence.
    pub problems: Vec<String>,
}

/// A bid revision as its approver reviews it: the tender's dates and bond, every clause with what
/// is offered and what is wrong, the certificates and references it attaches, and everything the
/// cross-checks would stop at issue now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BidReview {
    pub tender: TenderInfo,
    pub rows: Vec<ComplianceRow>,
    pub certificates: Vec<Certificate>,
    pub references: Vec<Reference>,
    /// Every problem that stops 用印发出 (clauses, figures, certificates, the bond, the deadline),
    /// as issuing would list them.
    pub problems: Vec<String>,
    /// What the reviewer should know but does not stop the bid (a certificate for other products).
    pub warnings: Vec<String>,
    /// How the bond was paid, or the head's leave to issue without it.
    pub bond: BondRecord,
    /// When the review was read (the deadline's countdown counts from it).
    pub now: DateTime<Utc>,
}

impl BidReview {
    /// The clauses with a negative deviation and those starred, for the summary line.
    pub fn negative(&self) -> usize {
        self.rows.iter().filter(|r| r.deviation == Deviation::Negative).count()
    }
}

/// Bid `id`, if the actor may see it.
fn visible_quote(tx: &Tx<'_>, actor: &Actor, id: QuoteId) -> Result<Quote, ServiceError> {
    let user = current_user(tx, actor)?;
    let q = tx.quote(id)?;
    if !may_see(&user, &q) {
        return Err(ServiceError::Denied("您只能查看自己编制的或自己客户的投标"));
    }
    Ok(q)
}

impl Service {
    /// The review of revision `revision` of bid `id` (see [`BidReview`]). Whoever may see the bid.
    pub fn bid_review(&mut self, actor: &Actor, id: QuoteId, revision: RevisionId) -> Result<BidReview, ServiceError> {
        let now = self.now();
        self.store.read_as(actor.login(), |tx| {
            let q = visible_quote(tx, actor, id)?;
            let r = tx.revision(revision)?;
            if r.quote != id || q.kind != QuoteKind::Bid {
                return Err(ServiceError::rule("bid.not_a_bid", "这不是投标，没有投标校核。"));
            }
            // One read of the tender and the certificates serves the checks and the review.
            let data = CheckData::read(tx, &q, &r.content, r.total)?;
            let offered = data.offered();
            let found = cross_check(&data.check(&r.content, &offered, now));
            let t = &data.tender;
            let rows = r
                .content
                .responses
                .iter()
                .map(|x| {
                    let clause = t.clauses.iter().find(|c| c.no == x.clause_no);
                    ComplianceRow {
                        clause_no: x.clause_no.clone(),
                        starred: clause.is_some_and(|c| c.starred),
                        kind: x.kind,
                        requirement: x.requirement.clone(),
                        typed: clause.and_then(|c| c.typed.as_ref()).map(|t| t.label()),
                        offered: x.response.clone(),
                        deviation: x.deviation,
                        problems: found
                            .iter()
                            .filter(|p| p.clause_no() == Some(x.clause_no.as_str()))
                            .map(ToString::to_string)
                            .collect(),
                    }
                })
                .collect();
            Ok(BidReview {
                tender: data.tender,
                rows,
                certificates: data.certificates,
                references: data.references,
                problems: found.iter().filter(|p| p.refuses(Stage::Issue)).map(ToString::to_string).collect(),
                warnings: found.iter().filter(|p| !p.refuses(Stage::Issue)).map(ToString::to_string).collect(),
                bond: data.bond_record,
                now,
            })
        })
    }

    /// What would stop the latest revision of a bid from being issued now (empty: nothing).
    /// Issuing runs the same checks and refuses with the same list.
    pub fn bid_checks(&mut self, actor: &Actor, id: QuoteId) -> Result<Vec<String>, ServiceError> {
        let now = self.now();
        self.store.read_as(actor.login(), |tx| {
            let q = visible_quote(tx, actor, id)?;
            if q.kind != QuoteKind::Bid {
                return Ok(Vec::new());
            }
            let r = tx.revisions(id)?.pop().ok_or(StoreError::NotFound("投标版本"))?;
            Ok(problems(tx, &q, &r, now)?.iter().filter(|p| p.refuses(Stage::Issue)).map(ToString::to_string).collect())
        })
    }
}
