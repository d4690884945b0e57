//! Printing to the office's printers (procedure (2) E: the formal document is printed, bound,
//! stamped and sent). A draft prints without a trace; an issued revision prints its stored stamped
//! file and is recorded as a reprint in the register (DESIGN §5: every reprint is recorded), with
//! the print service's job number; 用印发出 can send its copies to a printer as well as save the
//! file: the issue commits first, then the job is sent and its outcome recorded against the entry.
//!
//! What is recorded is "copies sent", never "printed": the printer, not SalesDesk, knows what came
//! out.

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::contract_documents::{contract_file_name, contract_layout, contract_print};
use super::documents::{fonts, quote_layout, quote_print, revision_to_print, suggested_file_name};
use super::{Actor, Service, ServiceError, audit, authorize, current_user};
use crate::docs::canvas::Drawn;
use crate::docs::preview::Pages;
use crate::domain::document::{IssuedDocument, PrintVariant};
use crate::domain::ids::{QuoteId, UserId};
use crate::domain::quote::QuoteKind;
use crate::domain::role::Permission;
use crate::domain::visit::Week;
use crate::print::{PageRanges, PrintError, PrintRequest, Printer, SentJob, Sides};
use crate::store::{NewIssued, NewPrintJob};

/// A document the window or the command line can print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Printable {
    /// A revision of a quote or bid (the latest if `None`): the stored stamped file if it was
    /// issued, else a draft.
    Quote { id: QuoteId, revision: Option<u32> },
    /// The weekly visit plan for the Saturday meeting.
    VisitPlan(Week),
    /// 工作周报: one salesperson's, or every one the actor may read.
    WeeklyReports { week: Week, user: Option<UserId> },
    /// A 销售合同: the stored stamped file if it was issued, else a draft.
    Contract(crate::domain::ids::ContractId),
}

/// How to print, as the print dialog or the command line asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintOptions {
    /// The queue name; `None`: the system's default printer.
    pub printer: Option<String>,
    /// Copies; for a bid, the bound sets: the 正本 and `copies − 1` 副本 (as 用印发出 counts them).
    pub copies: u32,
    /// `1-3,5` as typed; empty for every page.
    pub pages: String,
    pub two_sided: bool,
}

impl Default for PrintOptions {
    fn default() -> Self {
        PrintOptions { printer: None, copies: 1, pages: String::new(), two_sided: false }
    }
}

/// What was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintReceipt {
    /// The printer as the user knows it.
    pub printer: String,
    pub job_id: i32,
    /// What the document is (`BJ-2026-0008 V1 报价单`), for the message.
    pub document: String,
    pub copies: u32,
    /// Pages per copy.
    pub pages: u32,
    /// The register entry this print was recorded as (a reprint of an issued revision).
    pub reprint: Option<IssuedDocument>,
}

impl PrintReceipt {
    /// One sentence for the user.
    pub fn message(&self) -> String {
        let recorded = match &self.reprint {
            Some(e) => format!("，已在发文登记中记为重印（{}）", e.label()),
            None => String::new(),
        };
        format!(
            "已将 {} 发送到打印机“{}”：{} 份，每份 {} 页（任务 {}）{recorded}。请到打印机取件。",
            self.document, self.printer, self.copies, self.pages, self.job_id
        )
    }
}

/// What 用印发出 with printing did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueOutcome {
    /// The register entry (the issue stands whatever happened to the print job).
    pub entry: IssuedDocument,
    /// The print job, when one was asked for: sent, or why not (the issue stays valid).
    pub printed: Option<Result<PrintReceipt, String>>,
}

impl IssueOutcome {
    pub fn message(&self) -> String {
        let e = &self.entry;
        let issued = format!("{} {} 已用印发出并登记（{} 份）", e.doc_title(), e.label(), e.copies);
        match &self.printed {
            None => format!("{issued}。"),
            Some(Ok(r)) => format!("{issued}；{}", r.message()),
            Some(Err(why)) => format!(
                "{issued}，但没有送到打印机：{why} 用印发出仍然有效；可在“发文登记”中选中这一条，点“打印”重新发送。"
            ),
        }
    }
}

/// Where a kind of document is saved by default: a folder of its own under the user's documents
/// (`文档/SalesDesk/报价单` …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    Quotation,
    Bid,
    VisitPlan,
    WeeklyReport,
    Contract,
}

impl DocumentKind {
    pub fn folder(self) -> &'static str {
        match self {
            DocumentKind::Quotation => "报价单",
            DocumentKind::Bid => "投标书",
            DocumentKind::VisitPlan => "拜访计划",
            DocumentKind::WeeklyReport => "工作周报",
            DocumentKind::Contract => "销售合同",
        }
    }
}

/// A document laid out for the screen, page by page, exactly as it prints.
#[derive(Debug, Clone)]
pub struct Preview {
    pub pages: Arc<Pages>,
    /// `BJ-2026-0008 V1 报价单（草稿）`
    pub title: String,
    /// The file name a save proposes.
    pub file_name: String,
    pub kind: DocumentKind,
    /// True: the stamped document of an issued revision (printing it records a reprint).
    pub stamped: bool,
    /// The first register entry of an issued revision.
    pub issued: Option<IssuedDocument>,
    /// For an issued revision: whether these pages, written out, are byte for byte the stored
    /// file (false after the company profile, the seal or this program's layout changed since the
    /// issue: the printer gets the stored file, which may differ from what is shown).
    pub matches_stored: Option<bool>,
    /// How many copies the print dialog proposes (an issued bid: its bound sets, fixed).
    pub copies: u32,
}

impl Preview {
    /// A document that is never issued (the weekly plan, the weekly reports): no seal, nothing stored.
    fn unstamped(drawn: &Drawn, title: String, file_name: String, kind: DocumentKind, copies: u32) -> Preview {
        Preview {
            pages: Arc::new(Pages::from_drawn(drawn)),
            title,
            file_name,
            kind,
            stamped: false,
            issued: None,
            matches_stored: None,
            copies,
        }
    }
}

/// The document bytes to send, what to call it, and how many copies the print service is asked
/// for (a bid's sets are inside the file).
struct ToPrint {
    bytes: Vec<u8>,
    title: String,
    service_copies: u32,
    issued: Option<IssuedDocument>,
}

/// Pages in a PDF we made (counted from its page tree).
fn page_count(pdf: &[u8]) -> Result<u32, ServiceError> {
    let doc = lopdf::Document::load_mem(pdf)
        .map_err(|e| ServiceError::Document(crate::docs::DocError::Write(format!("无法读取要打印的 PDF：{e}"))))?;
    Ok(doc.get_pages().len() as u32)
}

/// Whether the preview of an issued document is the file we stored (`None` for a draft).
fn matches_stored(
    issued: Option<&IssuedDocument>,
    fonts: &'static crate::docs::fonts::DocFonts,
    drawn: crate::docs::canvas::Drawn,
    meta: &crate::docs::pdf::Meta,
) -> Result<Option<bool>, ServiceError> {
    Ok(match issued {
        Some(first) => Some(super::documents::sha256(&crate::docs::pdf::save(fonts, drawn, meta)?) == first.sha256),
        None => None,
    })
}

/// A stamped file goes to a printer only through the assistant (it is recorded as a reprint).
fn may_print_stamped(
    user: &crate::domain::user::UserAccount,
    issued: Option<&IssuedDocument>,
) -> Result<(), ServiceError> {
    if issued.is_some() && !user.roles.allows(Permission::IssueDocument) {
        return Err(ServiceError::Denied("已盖章的正式文件只能由销售内勤打印（记为重印）；您可以另存 PDF 查看"));
    }
    Ok(())
}

impl Service {
    /// `what` laid out for the screen without writing a PDF: a draft, or an issued revision as
    /// issued (checked against its stored file). For a bid not issued yet, `copies` is the sets
    /// shown (the 正本 and `copies − 1` 副本).
    pub fn preview(&mut self, actor: &Actor, what: &Printable, copies: u32) -> Result<Preview, ServiceError> {
        let fonts = fonts()?;
        let copies = copies.clamp(1, crate::print::MAX_COPIES);
        match what {
            Printable::Quote { id, revision } => {
                let now = self.now();
                self.store.read_as(actor.login(), |tx| {
                    let user = current_user(tx, actor)?;
                    let (quote, r, issued) = revision_to_print(tx, &user, *id, *revision)?;
                    let (drawn, meta, fonts) = quote_layout(tx, &quote, &r, issued.as_ref(), copies - 1, now)?;
                    let pages = Arc::new(Pages::from_drawn(&drawn));
                    let matches_stored = matches_stored(issued.as_ref(), fonts, drawn, &meta)?;
                    let kind = if quote.kind == QuoteKind::Bid { DocumentKind::Bid } else { DocumentKind::Quotation };
                    let state = if issued.is_some() { "" } else { "（草稿）" };
                    Ok(Preview {
                        pages,
                        title: format!("{} V{} {}{state}", quote.number, r.revision, quote.kind.doc_title()),
                        file_name: suggested_file_name(&quote, r.revision, issued.is_none()),
                        kind,
                        stamped: issued.is_some(),
                        copies: issued.as_ref().filter(|_| kind == DocumentKind::Bid).map_or(copies, |e| e.copies),
                        issued,
                        matches_stored,
                    })
                })
            }
            Printable::VisitPlan(week) => {
                let doc = self.visit_plan_doc(actor, *week)?;
                let (drawn, _) = crate::docs::visit_plan::draw(fonts, &doc)?;
                let (title, file_name) = (format!("{week} 拜访计划"), format!("拜访计划_{week}.pdf"));
                Ok(Preview::unstamped(&drawn, title, file_name, DocumentKind::VisitPlan, copies))
            }
            Printable::WeeklyReports { week, user } => {
                let doc = self.weekly_reports_doc(actor, *week, *user)?;
                let (drawn, _) = crate::docs::weekly_report::draw(fonts, &doc)?;
                let who = match (user, doc.sections.first()) {
                    (Some(_), Some(s)) => format!("{}_", s.person),
                    _ => String::new(),
                };
                let (title, file_name) = (format!("{week} 工作周报"), format!("工作周报_{who}{week}.pdf"));
                Ok(Preview::unstamped(&drawn, title, file_name, DocumentKind::WeeklyReport, copies))
            }
            Printable::Contract(id) => {
                let now = self.now();
                self.store.read_as(actor.login(), |tx| {
                    let user = current_user(tx, actor)?;
                    let (c, issued, drawn, meta, fonts) = contract_layout(tx, &user, *id, now)?;
                    let pages = Arc::new(Pages::from_drawn(&drawn));
                    let matches_stored = matches_stored(issued.as_ref(), fonts, drawn, &meta)?;
                    let state = if issued.is_some() { "" } else { "（草稿）" };
                    Ok(Preview {
                        pages,
                        title: format!("{} 销售合同{state}", c.number),
                        file_name: contract_file_name(&c, issued.is_none()),
                        kind: DocumentKind::Contract,
                        stamped: issued.is_some(),
                        copies,
                        issued,
                        matches_stored,
                    })
                })
            }
        }
    }

    /// The printers the print service offers, the default first.
    pub fn printers(&mut self, actor: &Actor) -> Result<Vec<Printer>, ServiceError> {
        self.store.read_as(actor.login(), |tx| current_user(tx, actor))?;
        Ok(self.printing.printers()?)
    }

    /// The printer `wanted` (or the default, else the first), checked ready: a stopped queue or one
    /// rejecting jobs is refused before anything is recorded or sent.
    fn ready_printer(&self, wanted: Option<&str>) -> Result<Printer, ServiceError> {
        let printers = self.printing.printers()?;
        if printers.is_empty() {
            return Err(PrintError::NoPrinter.into());
        }
        let chosen = match wanted.map(str::trim).filter(|w| !w.is_empty()) {
            Some(name) => printers
                .into_iter()
                .find(|p| p.name == name || p.description == name)
                .ok_or_else(|| PrintError::UnknownPrinter(name.to_string()))?,
            None => printers.iter().find(|p| p.is_default).unwrap_or(&printers[0]).clone(),
        };
        // Asked again just before sending: the list may be minutes old in the window.
        let now = self.printing.printer(&chosen.name)?;
        match now.problem() {
            Some(problem) => Err(problem.into()),
            None => Ok(now),
        }
    }

    /// Prints `what` as `options` ask. An issued revision prints its stored stamped file and is
    /// recorded as a reprint (only those who issue may print stamped copies); everything else
    /// prints without a record.
    pub fn print(
        &mut self,
        actor: &Actor,
        what: &Printable,
        options: &PrintOptions,
    ) -> Result<PrintReceipt, ServiceError> {
        if options.copies == 0 || options.copies > crate::print::MAX_COPIES {
            return Err(PrintError::BadCopies { max: crate::print::MAX_COPIES }.into());
        }
        let printer = self.ready_printer(options.printer.as_deref())?;
        let doc = self.document_to_print(actor, what, options.copies)?;
        let drawn = self.pages_to_draw(actor, what, options.copies, &doc.title)?;
        let pages_total = page_count(&doc.bytes)?;
        let pages = PageRanges::parse(&options.pages, pages_total)?;
        let now = self.now();
        // A stamped copy is a reprint: recorded before it is sent, its job recorded after.
        let reprint = match &doc.issued {
            Some(first) => Some(self.record_reprint(actor, first, options.copies, now)?),
            None => None,
        };
        let request = PrintRequest {
            printer: &printer.name,
            pdf: &doc.bytes,
            drawn: drawn.as_deref(),
            title: &doc.title,
            user: actor.login(),
            copies: doc.service_copies,
            pages: pages.clone(),
            sides: if options.two_sided { Sides::TwoSided } else { Sides::OneSided },
        };
        let sent = self.printing.print(&request);
        if let Some(entry) = &reprint {
            self.record_print_job(actor, entry.id, &printer, options, &pages, &sent)?;
        }
        let sent = sent?;
        let reprint = match reprint {
            Some(e) => Some(self.store.read_as(actor.login(), |tx| tx.issued_entry(e.id))?),
            None => None,
        };
        Ok(PrintReceipt {
            printer: printer.description,
            job_id: sent.job_id,
            document: doc.title,
            copies: options.copies,
            pages: pages.count(pages_total),
            reprint,
        })
    }

    /// 用印发出, then (if asked) the copies sent to a printer. The printer is checked first: a
    /// stopped queue stops the whole step before anything is issued. Once issued, a failed send
    /// is recorded and reported, and the issue stands.
    pub fn issue_and_print(
        &mut self,
        actor: &Actor,
        id: QuoteId,
        copies: u32,
        variant: PrintVariant,
        out: Option<&Path>,
        print: Option<&PrintOptions>,
    ) -> Result<IssueOutcome, ServiceError> {
        self.issue_then_print(actor, Err(id), copies, variant, out, print)
    }

    /// 用印发出 of a confirmed contract (the assistant), then — when `print` says so — sending it
    /// to the printer, as [`Service::issue_and_print`] does for a quote.
    pub fn issue_contract_and_print(
        &mut self,
        actor: &Actor,
        id: crate::domain::ids::ContractId,
        copies: u32,
        variant: PrintVariant,
        out: Option<&Path>,
        print: Option<&PrintOptions>,
    ) -> Result<IssueOutcome, ServiceError> {
        self.issue_then_print(actor, Ok(id), copies, variant, out, print)
    }

    /// The printer checked, the document issued (a contract, or a quote's latest revision) and
    /// written to `out`, then sent to the printer when asked.
    fn issue_then_print(
        &mut self,
        actor: &Actor,
        what: Result<crate::domain::ids::ContractId, QuoteId>,
        copies: u32,
        variant: PrintVariant,
        out: Option<&Path>,
        print: Option<&PrintOptions>,
    ) -> Result<IssueOutcome, ServiceError> {
        let printer = match print {
            Some(p) => Some(self.ready_printer(p.printer.as_deref())?),
            None => None,
        };
        let file = out.and_then(|p| p.file_name()).map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
        let mut issued_bytes = Vec::new();
        let mut deliver = |bytes: &[u8]| {
            if let Some(path) = out {
                super::documents::write_file(path, bytes)?;
            }
            issued_bytes = bytes.to_vec();
            Ok(())
        };
        let entry = match what {
            Ok(contract) => self.issue_contract_with(actor, contract, copies, variant, &file, &mut deliver)?,
            Err(quote) => self.issue(actor, quote, copies, variant, &file, &mut deliver)?,
        };
        self.send_issued(actor, entry, &issued_bytes, copies, printer, print)
    }

    /// After an issue: sends the issued bytes to `printer` when asked, recording the job.
    fn send_issued(
        &mut self,
        actor: &Actor,
        entry: IssuedDocument,
        issued_bytes: &[u8],
        copies: u32,
        printer: Option<Printer>,
        print: Option<&PrintOptions>,
    ) -> Result<IssueOutcome, ServiceError> {
        let (Some(printer), Some(options)) = (printer, print) else {
            return Ok(IssueOutcome { entry, printed: None });
        };
        let options = PrintOptions { copies, ..options.clone() };
        let title = format!("{} {}", entry.label(), entry.doc_title());
        let service_copies = if entry.kind == QuoteKind::Bid && entry.contract.is_none() { 1 } else { copies };
        // 用印发出 sends the whole document.
        let options = PrintOptions { pages: String::new(), ..options };
        let pages_total = page_count(issued_bytes)?;
        let pages = PageRanges::all();
        let what = match entry.contract {
            Some(contract) => Printable::Contract(contract),
            None => Printable::Quote { id: entry.quote, revision: Some(entry.revision) },
        };
        // Just issued: the pages drawn are the stored file's (checked all the same).
        let sent = match self.pages_to_draw(actor, &what, copies, &title) {
            Ok(drawn) => self.printing.print(&PrintRequest {
                printer: &printer.name,
                pdf: issued_bytes,
                drawn: drawn.as_deref(),
                title: &title,
                user: actor.login(),
                copies: service_copies,
                pages: pages.clone(),
                sides: if options.two_sided { Sides::TwoSided } else { Sides::OneSided },
            }),
            Err(ServiceError::Print(e)) => Err(e),
            Err(e) => Err(PrintError::Refused(e.to_string())),
        };
        self.record_print_job(actor, entry.id, &printer, &options, &pages, &sent)?;
        let entry = self.store.read_as(actor.login(), |tx| tx.issued_entry(entry.id))?;
        let printed = match sent {
            Ok(job) => Ok(PrintReceipt {
                printer: printer.description,
                job_id: job.job_id,
                document: title,
                copies,
                pages: pages.count(pages_total),
                reprint: None,
            }),
            Err(e) => Err(e.to_string()),
        };
        Ok(IssueOutcome { entry, printed: Some(printed) })
    }

    /// The pages as marks for a print system that draws them ([`crate::print::PrintSystem::draws_pages`]):
    /// the preview's — for an issued revision only while they are still its stored file byte for
    /// byte (a changed seal or letterhead since would print a document that was never issued).
    fn pages_to_draw(
        &mut self,
        actor: &Actor,
        what: &Printable,
        copies: u32,
        document: &str,
    ) -> Result<Option<Arc<Pages>>, ServiceError> {
        if !self.printing.draws_pages() {
            return Ok(None);
        }
        let preview = self.preview(actor, what, copies)?;
        if preview.matches_stored == Some(false) {
            return Err(PrintError::StoredLayoutChanged { document: document.to_string() }.into());
        }
        Ok(Some(preview.pages))
    }

    /// `what` as a PDF to save (the stored stamped file of an issued revision, else a draft; a
    /// bid's draft with its sets), with the file name to propose. Saving records nothing.
    pub fn document_pdf(
        &mut self,
        actor: &Actor,
        what: &Printable,
        copies: u32,
    ) -> Result<(Vec<u8>, String), ServiceError> {
        let copies = copies.clamp(1, crate::print::MAX_COPIES);
        match what {
            Printable::Quote { id, revision } => {
                let now = self.now();
                self.store.read_as(actor.login(), |tx| {
                    let user = current_user(tx, actor)?;
                    let duplicates = if tx.quote(*id)?.kind == QuoteKind::Bid { copies - 1 } else { 0 };
                    let (printed, _) = quote_print(tx, &user, *id, *revision, duplicates, now)?;
                    Ok((printed.bytes, printed.file_name))
                })
            }
            Printable::VisitPlan(week) => Ok((self.print_visit_plan(actor, *week)?, format!("拜访计划_{week}.pdf"))),
            Printable::WeeklyReports { week, user } => {
                Ok((self.print_weekly_reports(actor, *week, *user)?, format!("工作周报_{week}.pdf")))
            }
            Printable::Contract(id) => {
                let now = self.now();
                self.store.read_as(actor.login(), |tx| {
                    let user = current_user(tx, actor)?;
                    let (printed, _) = contract_print(tx, &user, *id, now)?;
                    Ok((printed.bytes, printed.file_name))
                })
            }
        }
    }

    /// The bytes of `what` as they print, checked against who may print them.
    fn document_to_print(&mut self, actor: &Actor, what: &Printable, copies: u32) -> Result<ToPrint, ServiceError> {
        match what {
            Printable::Quote { id, revision } => {
                let now = self.now();
                self.store.read_as(actor.login(), |tx| {
                    let user = current_user(tx, actor)?;
                    let kind = tx.quote(*id)?.kind;
                    // A bid's sets are in the file: the 正本 and copies − 1 副本.
                    let duplicates = if kind == QuoteKind::Bid { copies - 1 } else { 0 };
                    let (printed, issued) = quote_print(tx, &user, *id, *revision, duplicates, now)?;
                    may_print_stamped(&user, issued.as_ref())?;
                    if let Some(first) = &issued
                        && kind == QuoteKind::Bid
                        && first.copies != copies
                    {
                        return Err(ServiceError::rule(
                            "document.bid_sets_fixed",
                            format!(
                                "已签发的投标书 {} V{} 按签发时的份数打印：正本 1 份、副本 {} 份（份数 {}）。要多印某一册，请用页码范围只打印那一册。",
                                first.number,
                                first.revision,
                                first.copies - 1,
                                first.copies
                            ),
                        ));
                    }
                    let state = if printed.stamped { "" } else { "（草稿）" };
                    let title = format!("{} V{} {}{state}", printed.number, printed.revision, kind.doc_title());
                    let service_copies = if kind == QuoteKind::Bid { 1 } else { copies };
                    Ok(ToPrint { bytes: printed.bytes, title, service_copies, issued })
                })
            }
            Printable::VisitPlan(week) => {
                let bytes = self.print_visit_plan(actor, *week)?;
                Ok(ToPrint { bytes, title: format!("{week} 拜访计划"), service_copies: copies, issued: None })
            }
            Printable::WeeklyReports { week, user } => {
                let bytes = self.print_weekly_reports(actor, *week, *user)?;
                Ok(ToPrint { bytes, title: format!("{week} 工作周报"), service_copies: copies, issued: None })
            }
            Printable::Contract(id) => {
                let now = self.now();
                self.store.read_as(actor.login(), |tx| {
                    let user = current_user(tx, actor)?;
                    let (printed, issued) = contract_print(tx, &user, *id, now)?;
                    may_print_stamped(&user, issued.as_ref())?;
                    let state = if printed.stamped { "" } else { "（草稿）" };
                    let title = format!("{} 销售合同{state}", printed.number);
                    Ok(ToPrint { bytes: printed.bytes, title, service_copies: copies, issued })
                })
            }
        }
    }

    /// A reprint entry in the register for the stamped file of `first`'s revision.
    fn record_reprint(
        &mut self,
        actor: &Actor,
        first: &IssuedDocument,
        copies: u32,
        now: DateTime<Utc>,
    ) -> Result<IssuedDocument, ServiceError> {
        self.store.write_as(actor.login(), |tx| {
            let user = authorize(tx, actor, Permission::IssueDocument)?;
            let id = tx.insert_issued(
                &NewIssued {
                    quote: first.quote,
                    revision_id: first.revision_id,
                    kind: first.kind,
                    number: &first.number,
                    revision: first.revision,
                    customer: first.customer,
                    customer_name: &first.customer_name,
                    sha256: &first.sha256,
                    pdf_id: "",
                    bytes: &[],
                    verify_code: &first.verify_code,
                    copies,
                    file_name: "",
                    reprint: true,
                    issued_by: user.id,
                    issued_by_name: &user.display_name,
                    variant: first.variant,
                    contract: first.contract,
                },
                now,
            )?;
            let detail = serde_json::json!({
                "revision": first.revision, "sha256": first.sha256, "copies": copies, "printed": true, "reprint": true,
            });
            audit::<(), _>(
                tx,
                &actor.audit_name(),
                now,
                "document.reprint",
                if first.contract.is_some() { "contract" } else { "quote" },
                &first.number,
                None,
                Some(&detail),
            )?;
            Ok(tx.issued_entry(id)?)
        })
    }

    /// Records what happened to the job of register entry `issued`.
    fn record_print_job(
        &mut self,
        actor: &Actor,
        issued: i64,
        printer: &Printer,
        options: &PrintOptions,
        pages: &PageRanges,
        sent: &Result<SentJob, PrintError>,
    ) -> Result<(), ServiceError> {
        let now = self.now();
        let pages_text = if pages.is_all() { String::new() } else { pages.to_string() };
        let detail = match sent {
            Ok(_) => String::new(),
            Err(e) => e.to_string(),
        };
        self.store.write_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let entry = tx.issued_entry(issued)?;
            tx.insert_print_job(
                &NewPrintJob {
                    issued_id: issued,
                    printer: &printer.description,
                    job_id: sent.as_ref().ok().map(|j| i64::from(j.job_id)),
                    copies: options.copies,
                    pages: &pages_text,
                    two_sided: options.two_sided && printer.duplex,
                    sent: sent.is_ok(),
                    detail: &detail,
                    by_name: &user.display_name,
                },
                now,
            )?;
            let record = serde_json::json!({
                "entry": issued, "printer": printer.name, "job": sent.as_ref().ok().map(|j| j.job_id),
                "copies": options.copies, "pages": pages_text, "sent": sent.is_ok(), "detail": detail,
            });
            let action = if sent.is_ok() { "document.print_sent" } else { "document.print_failed" };
            audit::<(), _>(tx, &actor.audit_name(), now, action, "quote", &entry.number, None, Some(&record))?;
            Ok::<_, ServiceError>(())
        })?;
        Ok(())
    }
}
