//! The service worker: the window never waits on the database or the disk. Panels queue an
//! [`Action`]; the worker runs it against the [`Service`] and sends back an [`Outcome`], and the
//! window repaints. Tests use the inline worker, which runs the action at once on the caller's
//! thread, so a kittest harness needs no timing.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use std::sync::mpsc::{Receiver, Sender, channel};

use crate::domain::company::CompanyProfile;
use crate::domain::customer::{Customer, CustomerDraft};
use crate::domain::ids::{AttachmentId, ContactId, CustomerId, InquiryId, PriceVersionId, ProductId, UserId};
use crate::domain::inquiry::{Decision, Inquiry, InquiryDraft, InquirySummary};
use crate::domain::policy::{ApprovalPolicy, CommercialTerms};
use crate::domain::product::{Product, ProductDraft, TechParam};
use crate::service::{
    Actor, CustomerFilter, CustomerPage, ExportFormat, ImageSlot, ImportReport, InquiryFilter, NewUser, PhoneAnswer,
    PriceTable, Service, ServiceError, SettingsBundle, UserEdit,
};
use crate::store::{Attachment, AuditEntry, AuditFilter, CheckReport, Location, UserRow, Versioned};
use crate::ui::transfer::{Preview, TransferKind};
pub use crate::ui::worker_documents::{DocOutcome, DocRequest};
pub use crate::ui::worker_quotes::{QuoteOutcome, QuoteRequest};
pub use crate::ui::worker_visits::{VisitOutcome, VisitRequest};

/// Something the window asks the service to do.
#[allow(clippy::large_enum_variant)] // a few per user action; boxing buys nothing
pub enum Action {
    Open(Location),
    /// Replace a database that cannot be opened with a backup, then open it.
    RestoreUnopenable {
        db: PathBuf,
        backup: PathBuf,
    },
    QuickCheck,
    CreateDemo,
    CreateFirstAdmin(NewUser),
    SignIn {
        login: String,
        password: String,
    },
    /// The cheap change watch (and, while the server is away, the reconnect probe): the office's
    /// data version. Needs no sign-in; it says only whether someone else wrote.
    Watch,
    /// Everything else acts for the signed-in user.
    Office(Request),
}

/// A use case run for the signed-in user.
pub enum Request {
    ChangeOwnPassword {
        old: String,
        new: String,
    },
    LoadUsers,
    CreateUser(NewUser),
    UpdateUser(UserEdit),
    SetUserActive {
        id: UserId,
        version: i64,
        active: bool,
    },
    ResetPassword {
        id: UserId,
        version: i64,
        password: String,
    },
    LoadSettings,
    SaveCompany {
        version: i64,
        profile: CompanyProfile,
    },
    SetImage {
        slot: ImageSlot,
        path: Option<PathBuf>,
    },
    LoadImages,
    SavePolicy {
        version: i64,
        policy: ApprovalPolicy,
    },
    SaveTerms {
        version: i64,
        terms: CommercialTerms,
    },
    LoadAudit(AuditFilter),
    /// `seq` lets the list ignore answers to queries the user has typed past.
    SearchCustomers {
        seq: u64,
        filter: CustomerFilter,
    },
    OpenCustomer(CustomerId),
    SaveCustomer {
        id: Option<CustomerId>,
        version: i64,
        draft: CustomerDraft,
        owner: Option<UserId>,
        confirmed: bool,
    },
    ClaimCustomer {
        id: CustomerId,
        version: i64,
    },
    AssignCustomer {
        id: CustomerId,
        version: i64,
        owner: Option<UserId>,
    },
    /// Merge `duplicate` into `keep` (whose current version the worker reads).
    MergeInto {
        duplicate: (CustomerId, i64),
        keep: CustomerId,
    },
    FindSimilar {
        draft: CustomerDraft,
        except: CustomerId,
    },
    LoadSalespeople,
    /// Hand all of one salesperson's customers to another (or to the pool).
    ReassignAll {
        from: UserId,
        to: Option<UserId>,
    },
    LoadPriceTable(Option<PriceVersionId>),
    SaveProduct {
        id: Option<ProductId>,
        row_version: i64,
        draft: ProductDraft,
        effective: NaiveDate,
    },
    SaveTechParams {
        id: ProductId,
        row_version: i64,
        model: String,
        params: Vec<TechParam>,
    },
    PreviewImport {
        kind: TransferKind,
        path: PathBuf,
    },
    ApplyImport {
        preview: Preview,
        effective: NaiveDate,
        accept_rejects: bool,
    },
    WriteFile {
        path: PathBuf,
        bytes: Vec<u8>,
    },
    Export {
        kind: TransferKind,
        path: PathBuf,
    },
    Backup(PathBuf),
    Restore(PathBuf),
    Check,
    /// The phone desk, inquiries, tenders and go / no-go decisions.
    Inquiry(InquiryRequest),
    /// Quotes and bids, approvals, technical reviews.
    Quote(QuoteRequest),
    /// Customer visits, the weekly plan.
    Visit(VisitRequest),
    /// Printing, issuing (用印发出), the register, verification.
    Document(DocRequest),
    /// The certificate library and the after-sales template.
    Certificate(crate::ui::certificates::CertRequest),
    /// Contracts, deliveries, invoices, receipts, receivables, targets and the dashboard.
    Contract(crate::ui::contracts::ContractRequest),
}

impl From<InquiryRequest> for Request {
    fn from(r: InquiryRequest) -> Self {
        Request::Inquiry(r)
    }
}

/// A use case of the phone desk, the inquiry lists and the inbox.
pub enum InquiryRequest {
    /// Customers for a picker (phone desk, inquiry form): the first [`PICK_LIMIT`] matches.
    FindCustomers {
        picker: Picker,
        seq: u64,
        query: String,
    },
    /// The whole customer (with its contacts) a picker chose.
    PickCustomer {
        picker: Picker,
        id: CustomerId,
    },
    /// The price table in force, for a product picker.
    LoadProducts(Picker),
    AnswerPhonePrices {
        customer: Option<CustomerId>,
        contact: Option<ContactId>,
        products: Vec<ProductId>,
    },
    RegisterPhoneInquiry {
        draft: InquiryDraft,
        answers: Vec<PhoneAnswer>,
    },
    List {
        seq: u64,
        filter: InquiryFilter,
    },
    Open(InquiryId),
    /// Register (`id` None) or edit an undecided inquiry or tender.
    Save {
        id: Option<InquiryId>,
        version: i64,
        draft: InquiryDraft,
    },
    Decide {
        id: InquiryId,
        version: i64,
        go: bool,
        comment: String,
    },
    SetBond {
        id: InquiryId,
        version: i64,
        paid: bool,
        returned: bool,
    },
    /// Reads the file here, on the worker, and attaches it.
    Attach {
        id: InquiryId,
        path: PathBuf,
    },
    /// Writes one attached document to `path`.
    SaveDocument {
        id: InquiryId,
        attachment: AttachmentId,
        path: PathBuf,
    },
    /// The periodic refresh: the decider's inbox (when `inbox`) and the decisions on what this
    /// person registered, made after `since`.
    Poll {
        since: DateTime<Utc>,
        inbox: bool,
    },
}

/// How many customers a picker lists.
pub const PICK_LIMIT: usize = 20;

/// Which form asked for customers or products (their answers go back to it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Picker {
    PhoneDesk,
    InquiryForm,
    QuoteBuilder,
    VisitForm,
}

/// Why an inquiry came back (the panels toast and refresh accordingly).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InquiryEvent {
    Opened,
    Registered,
    Updated,
    Decided,
    Bond,
    Attached,
}

/// An inquiry with its attached documents (id, file name, size in bytes).
#[derive(Debug, Clone)]
pub struct InquiryDetail {
    pub inquiry: Inquiry,
    pub documents: Vec<(AttachmentId, String, i64)>,
}

/// One item waiting for the decider, with why it is major.
#[derive(Debug, Clone)]
pub struct InboxItem {
    pub summary: InquirySummary,
    pub major_reasons: Vec<String>,
}

type Res<T> = Result<T, ServiceError>;

/// What came back.
#[allow(clippy::large_enum_variant)] // one per action, moved once; boxing buys nothing
pub enum Outcome {
    Opened(Res<OpenInfo>),
    /// Where the unusable file was kept, and the reopened database.
    RestoredUnopenable(Res<(PathBuf, OpenInfo)>),
    QuickChecked(Res<()>),
    DemoCreated(Res<String>),
    SignedIn(Res<Actor>),
    PasswordChanged(Res<Actor>),
    Users(Res<Vec<UserRow>>),
    UserSaved(Res<UserRow>),
    Settings(Res<SettingsBundle>),
    CompanySaved(Res<Versioned<CompanyProfile>>),
    ImageSaved(ImageSlot, Res<Versioned<CompanyProfile>>),
    Images(Res<(Option<Attachment>, Option<Attachment>)>),
    PolicySaved(Res<Versioned<ApprovalPolicy>>),
    TermsSaved(Res<Versioned<CommercialTerms>>),
    Audit(Res<Vec<AuditEntry>>),
    Customers(u64, Res<CustomerPage>),
    /// A customer opened or saved (`saved` tells which, for the toast).
    Customer {
        saved: bool,
        result: Res<Customer>,
    },
    Salespeople(Res<Vec<UserRow>>),
    Similar(CustomerId, Res<Vec<crate::service::DuplicateHint>>),
    Reassigned(Res<usize>),
    PriceTable(Res<PriceTable>),
    ProductSaved(Res<Product>),
    ImportPreviewed(TransferKind, Res<Preview>),
    Imported(TransferKind, Res<ImportReport>),
    FileWritten(Res<PathBuf>),
    Exported(Res<PathBuf>),
    BackedUp(Res<PathBuf>),
    Restored(Res<PathBuf>),
    Checked(Res<CheckReport>),
    PickerCustomers(Picker, u64, Res<CustomerPage>),
    PickerCustomer(Picker, Res<Customer>),
    PickerProducts(Picker, Res<PriceTable>),
    PhonePrices(Res<Vec<PhoneAnswer>>),
    PhoneRegistered(Res<Inquiry>),
    Inquiries(u64, Res<Vec<InquirySummary>>),
    /// `id`: the inquiry acted on (None when registering a new one).
    Inquiry {
        id: Option<InquiryId>,
        event: InquiryEvent,
        result: Res<InquiryDetail>,
    },
    /// The periodic refresh (not counted as work in progress: it never shows the busy state).
    Polled {
        inbox: Option<Res<Vec<InboxItem>>>,
        decisions: Res<Vec<(InquirySummary, Decision)>>,
    },
    Quote(QuoteOutcome),
    Visit(VisitOutcome),
    Document(DocOutcome),
    Certificate(crate::ui::certificates::CertOutcome),
    Contract(crate::ui::contracts::ContractOutcome),
    /// The change watch's answer (like `Polled`, never counted as work in progress).
    Watched(Res<i64>),
}

/// True when `e` says the office server's connection dropped (the store reconnects by itself).
pub fn is_lost(e: &ServiceError) -> bool {
    matches!(e, ServiceError::Store(s) if s.is_disconnected())
}

fn lost<T>(r: &Res<T>) -> bool {
    r.as_ref().err().is_some_and(is_lost)
}

fn lost_in<T>(r: &Option<Res<T>>) -> bool {
    r.as_ref().is_some_and(lost)
}

impl Outcome {
    /// True when the work failed because the server connection dropped: the window shows the
    /// reconnect banner. One match over every answer, so a new one cannot be forgotten.
    pub fn lost_connection(&self) -> bool {
        use crate::ui::certificates::CertOutcome as C;
        use crate::ui::contracts::ContractOutcome as K;
        match self {
            Outcome::Opened(r) => lost(r),
            Outcome::RestoredUnopenable(r) => lost(r),
            Outcome::QuickChecked(r) => lost(r),
            Outcome::DemoCreated(r) => lost(r),
            Outcome::SignedIn(r) | Outcome::PasswordChanged(r) => lost(r),
            Outcome::Users(r) | Outcome::Salespeople(r) => lost(r),
            Outcome::UserSaved(r) => lost(r),
            Outcome::Settings(r) => lost(r),
            Outcome::CompanySaved(r) | Outcome::ImageSaved(_, r) => lost(r),
            Outcome::Images(r) => lost(r),
            Outcome::PolicySaved(r) => lost(r),
            Outcome::TermsSaved(r) => lost(r),
            Outcome::Audit(r) => lost(r),
            Outcome::Customers(_, r) | Outcome::PickerCustomers(_, _, r) => lost(r),
            Outcome::Customer { result, .. } | Outcome::PickerCustomer(_, result) => lost(result),
            Outcome::Similar(_, r) => lost(r),
            Outcome::Reassigned(r) => lost(r),
            Outcome::PriceTable(r) | Outcome::PickerProducts(_, r) => lost(r),
            Outcome::ProductSaved(r) => lost(r),
            Outcome::ImportPreviewed(_, r) => lost(r),
            Outcome::Imported(_, r) => lost(r),
            Outcome::FileWritten(r) | Outcome::Exported(r) | Outcome::BackedUp(r) | Outcome::Restored(r) => lost(r),
            Outcome::Checked(r) => lost(r),
            Outcome::PhonePrices(r) => lost(r),
            Outcome::PhoneRegistered(r) => lost(r),
            Outcome::Inquiries(_, r) => lost(r),
            Outcome::Inquiry { result, .. } => lost(result),
            Outcome::Polled { inbox, decisions } => lost_in(inbox) || lost(decisions),
            Outcome::Quote(q) => match q {
                QuoteOutcome::Detail { result, .. } => lost(result),
                QuoteOutcome::SubmitRefused { error, .. } => is_lost(error),
                QuoteOutcome::Polled(p) => lost(&p.quotes) || lost_in(&p.approvals) || lost_in(&p.tech),
            },
            Outcome::Visit(v) => match v {
                VisitOutcome::Week(_, r) => lost(r),
                VisitOutcome::Month(_, r) => lost(r),
                VisitOutcome::Plan(r) => lost(r),
                VisitOutcome::Reports(_, r) => lost(r),
                VisitOutcome::NotesSaved(_, r) => lost(r),
                VisitOutcome::Timeline(_, r) => lost(r),
                VisitOutcome::Changed { result, .. } => lost(result),
            },
            Outcome::Document(d) => match d {
                DocOutcome::Printed { result, .. } | DocOutcome::Saved(result) => lost(result),
                DocOutcome::Issued { result, .. } => lost(result),
                DocOutcome::Register(r) => lost(r),
                DocOutcome::Verified(r) => lost(r),
            },
            Outcome::Certificate(c) => match c {
                C::Loaded(r) => lost(r),
                C::Image(_, r) => lost(r),
                C::Saved(r) => lost(r),
                C::TemplateSaved(r) => lost(r),
                C::BidChecks(_, _, r) => lost(r),
            },
            Outcome::Contract(k) => match k {
                K::List(r) => lost(r),
                K::Card(_, r) => lost(r),
                K::Receivables(r) => lost(r),
                K::Targets(_, r) => lost(r),
                K::TargetSaved(r) => lost(r),
                K::Dashboard(r) => lost(r),
                K::Exported(r) => lost(r),
            },
            Outcome::Watched(r) => lost(r),
        }
    }
}

/// Facts about a freshly opened database.
pub struct OpenInfo {
    pub location: String,
    pub needs_first_admin: bool,
}

/// The one place where actions meet the service.
pub struct Executor {
    service: Option<Service>,
}

fn not_open() -> ServiceError {
    ServiceError::Rule("数据库尚未打开。".into())
}

impl Executor {
    pub fn new() -> Self {
        Executor { service: None }
    }

    pub fn execute(&mut self, actor: Option<&Actor>, action: Action) -> Outcome {
        match action {
            Action::Open(path) => return Outcome::Opened(self.open(path)),
            Action::Watch => {
                return Outcome::Watched(self.service.as_mut().map_or_else(|| Err(not_open()), Service::data_version));
            }
            Action::RestoreUnopenable { db, backup } => {
                self.service = None;
                let reopened = crate::service::restore_unopenable(&db, &backup)
                    .and_then(|kept| Ok((kept, self.open(Location::File(db))?)));
                return Outcome::RestoredUnopenable(reopened);
            }
            _ => {}
        }
        let Some(svc) = self.service.as_mut() else {
            return Outcome::Opened(Err(not_open()));
        };
        match (actor, action) {
            (_, Action::Open(_) | Action::RestoreUnopenable { .. } | Action::Watch) => Outcome::Opened(Err(not_open())),
            (_, Action::QuickCheck) => Outcome::QuickChecked(svc.quick_check()),
            (_, Action::CreateDemo) => Outcome::DemoCreated(svc.create_demo_office().map(|s| s.company)),
            (_, Action::CreateFirstAdmin(u)) => Outcome::SignedIn(svc.create_first_admin(u)),
            (_, Action::SignIn { login, password }) => Outcome::SignedIn(svc.sign_in(&login, &password)),
            (None, Action::Office(_)) => Outcome::SignedIn(Err(ServiceError::Rule("请先登录。".into()))),
            (Some(a), Action::Office(request)) => Self::as_actor(svc, a, request),
        }
    }

    fn as_actor(svc: &mut Service, a: &Actor, request: Request) -> Outcome {
        use Request::*;
        match request {
            ChangeOwnPassword { old, new } => Outcome::PasswordChanged(svc.change_own_password(a, &old, &new)),
            LoadUsers => Outcome::Users(svc.list_users(a)),
            CreateUser(u) => Outcome::UserSaved(svc.create_user(a, u)),
            UpdateUser(e) => Outcome::UserSaved(svc.update_user(a, e)),
            SetUserActive { id, version, active } => Outcome::UserSaved(svc.set_user_active(a, id, version, active)),
            ResetPassword { id, version, password } => {
                Outcome::UserSaved(svc.reset_password(a, id, version, &password))
            }
            LoadSettings => Outcome::Settings(svc.settings(a)),
            SaveCompany { version, profile } => Outcome::CompanySaved(svc.update_company_profile(a, version, profile)),
            SetImage { slot, path } => Outcome::ImageSaved(slot, set_image(svc, a, slot, path)),
            LoadImages => Outcome::Images(
                svc.company_image(a, ImageSlot::Logo).and_then(|l| Ok((l, svc.company_image(a, ImageSlot::Seal)?))),
            ),
            SavePolicy { version, policy } => Outcome::PolicySaved(svc.update_approval_policy(a, version, policy)),
            SaveTerms { version, terms } => Outcome::TermsSaved(svc.update_standard_terms(a, version, terms)),
            LoadAudit(filter) => Outcome::Audit(svc.audit_entries(a, &filter)),
            SearchCustomers { seq, filter } => Outcome::Customers(seq, svc.search_customers(a, &filter, 0)),
            OpenCustomer(id) => Outcome::Customer { saved: false, result: svc.customer(a, id) },
            SaveCustomer { id: None, draft, owner, confirmed, .. } => {
                Outcome::Customer { saved: true, result: svc.create_customer(a, draft, owner, confirmed) }
            }
            SaveCustomer { id: Some(id), version, draft, .. } => {
                Outcome::Customer { saved: true, result: svc.update_customer(a, id, version, draft) }
            }
            ClaimCustomer { id, version } => {
                Outcome::Customer { saved: true, result: svc.claim_customer(a, id, version) }
            }
            AssignCustomer { id, version, owner } => {
                Outcome::Customer { saved: true, result: svc.assign_customer(a, id, version, owner) }
            }
            MergeInto { duplicate, keep } => Outcome::Customer {
                saved: true,
                result: svc.customer(a, keep).and_then(|k| svc.merge_customers(a, (keep, k.version), duplicate)),
            },
            FindSimilar { draft, except } => Outcome::Similar(except, svc.find_duplicates(a, &draft, Some(except))),
            LoadSalespeople => Outcome::Salespeople(svc.salespeople(a)),
            ReassignAll { from, to } => Outcome::Reassigned(svc.reassign_customers(a, from, to)),
            LoadPriceTable(v) => Outcome::PriceTable(svc.price_table(a, v)),
            SaveProduct { id: None, draft, effective, .. } => {
                Outcome::ProductSaved(svc.create_product(a, draft, effective))
            }
            SaveProduct { id: Some(id), row_version, draft, effective } => {
                Outcome::ProductSaved(svc.update_product(a, id, row_version, draft, effective))
            }
            SaveTechParams { id, row_version, model, params } => {
                Outcome::ProductSaved(svc.update_technical_parameters(a, id, row_version, model, params))
            }
            PreviewImport { kind, path } => Outcome::ImportPreviewed(kind, preview_import(svc, a, kind, &path)),
            ApplyImport { preview, effective, accept_rejects } => match preview {
                Preview::Prices(p) => {
                    Outcome::Imported(TransferKind::Prices, svc.apply_price_import(a, &p, effective, accept_rejects))
                }
                Preview::Customers(p) => {
                    Outcome::Imported(TransferKind::Customers, svc.apply_customer_import(a, &p, accept_rejects))
                }
            },
            WriteFile { path, bytes } => Outcome::FileWritten(write_file(&path, &bytes).map(|()| path)),
            Export { kind, path } => Outcome::Exported(export(svc, a, kind, &path).map(|()| path)),
            Backup(path) => Outcome::BackedUp(svc.backup(a, &path).map(|()| path)),
            Restore(path) => Outcome::Restored(svc.restore(a, &path)),
            Check => Outcome::Checked(svc.check_as(a)),
            Inquiry(r) => Self::inquiries(svc, a, r),
            Quote(r) => super::worker_quotes::execute(svc, a, r),
            Visit(r) => super::worker_visits::execute(svc, a, r),
            Document(r) => super::worker_documents::execute(svc, a, r),
            Certificate(r) => super::certificates::execute(svc, a, r),
            Contract(r) => super::contracts::execute(svc, a, r),
        }
    }

    /// The phone desk, inquiries, tenders and decisions.
    fn inquiries(svc: &mut Service, a: &Actor, request: InquiryRequest) -> Outcome {
        use InquiryRequest::*;
        let (id, event, result) = match request {
            FindCustomers { picker, seq, query } => {
                let filter = CustomerFilter { query, ..Default::default() };
                return Outcome::PickerCustomers(picker, seq, svc.search_customers(a, &filter, PICK_LIMIT));
            }
            PickCustomer { picker, id } => return Outcome::PickerCustomer(picker, svc.customer(a, id)),
            LoadProducts(picker) => return Outcome::PickerProducts(picker, svc.price_table(a, None)),
            AnswerPhonePrices { customer, contact, products } => {
                return Outcome::PhonePrices(svc.answer_phone_prices(a, customer, contact, &products));
            }
            RegisterPhoneInquiry { draft, answers } => {
                return Outcome::PhoneRegistered(svc.register_phone_inquiry(a, draft, &answers));
            }
            List { seq, filter } => return Outcome::Inquiries(seq, svc.inquiries(a, &filter)),
            Poll { since, inbox } => {
                let inbox = inbox.then(|| inbox_items(svc, a));
                return Outcome::Polled { inbox, decisions: svc.decisions_since(a, since) };
            }
            SaveDocument { id, attachment, path } => {
                let written = svc.inquiry_document(a, id, attachment).and_then(|att| write_file(&path, &att.bytes));
                return Outcome::FileWritten(written.map(|()| path));
            }
            Open(id) => (Some(id), InquiryEvent::Opened, svc.inquiry(a, id)),
            Save { id: None, draft, .. } => (None, InquiryEvent::Registered, svc.register_inquiry(a, draft)),
            Save { id: Some(id), version, draft } => {
                (Some(id), InquiryEvent::Updated, svc.update_inquiry(a, id, version, draft))
            }
            Decide { id, version, go, comment } => {
                (Some(id), InquiryEvent::Decided, svc.decide_inquiry(a, id, version, go, &comment))
            }
            SetBond { id, version, paid, returned } => {
                (Some(id), InquiryEvent::Bond, svc.set_bond_status(a, id, version, paid, returned))
            }
            Attach { id, path } => {
                let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
                let attached = read_file(&path).and_then(|bytes| svc.attach_inquiry_document(a, id, &name, &bytes));
                (Some(id), InquiryEvent::Attached, attached.and_then(|_| svc.inquiry(a, id)))
            }
        };
        let result = result.and_then(|inquiry| {
            let documents = svc.inquiry_documents(a, inquiry.id)?;
            Ok(InquiryDetail { inquiry, documents })
        });
        Outcome::Inquiry { id, event, result }
    }

    /// Opens `location`; the office open before stays open if this fails (the connection dialog
    /// then keeps the screen it was opened from, and that screen keeps working).
    fn open(&mut self, location: Location) -> Res<OpenInfo> {
        if let Location::File(path) = &location
            && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).map_err(crate::store::StoreError::from)?;
        }
        let mut svc = Service::open_at(&location)?;
        let info = OpenInfo { location: svc.location(), needs_first_admin: svc.needs_first_admin()? };
        self.service = Some(svc);
        Ok(info)
    }
}

impl Default for Executor {
    fn default() -> Self {
        Self::new()
    }
}

pub(super) fn read_file(path: &Path) -> Res<Vec<u8>> {
    std::fs::read(path).map_err(|e| ServiceError::invalid("file", format!("无法读取文件 {}：{e}", path.display())))
}

pub(super) fn write_file(path: &Path, bytes: &[u8]) -> Res<()> {
    std::fs::write(path, bytes)
        .map_err(|e| ServiceError::invalid("file", format!("无法写入文件 {}（{e}），请换一个位置再试", path.display())))
}

fn preview_import(svc: &mut Service, a: &Actor, kind: TransferKind, path: &Path) -> Res<Preview> {
    let bytes = read_file(path)?;
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    Ok(match kind {
        TransferKind::Prices => Preview::Prices(svc.preview_price_import(a, &bytes, &name)?),
        TransferKind::Customers => Preview::Customers(svc.preview_customer_import(a, &bytes, &name)?),
    })
}

fn export(svc: &mut Service, a: &Actor, kind: TransferKind, path: &Path) -> Res<()> {
    let format = ExportFormat::from_file_name(&path.to_string_lossy())?;
    let bytes = match kind {
        TransferKind::Prices => svc.export_price_table(a, None, format)?,
        TransferKind::Customers => svc.export_customers(a, format)?,
    };
    write_file(path, &bytes)
}

/// The decider's inbox, each item with why it is major (a handful of items: one read each).
fn inbox_items(svc: &mut Service, a: &Actor) -> Res<Vec<InboxItem>> {
    let mut items = Vec::new();
    for summary in svc.inquiry_inbox(a)? {
        let major_reasons = if summary.major { svc.inquiry(a, summary.id)?.major_reasons } else { Vec::new() };
        items.push(InboxItem { summary, major_reasons });
    }
    Ok(items)
}

/// Reads the chosen file here, on the worker, never on the window's thread.
fn set_image(svc: &mut Service, a: &Actor, slot: ImageSlot, path: Option<PathBuf>) -> Res<Versioned<CompanyProfile>> {
    let Some(path) = path else { return svc.set_company_image(a, slot, None) };
    let bytes = std::fs::read(&path)
        .map_err(|e| ServiceError::invalid("image", format!("无法读取文件 {}：{e}", path.display())))?;
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    svc.set_company_image(a, slot, Some((&name, &bytes)))
}

/// Answers an action in the service's place, or `None` to let the service run it. Tests use it
/// for what a SQLite file cannot do, such as an office server dropping the connection.
pub type Intercept = Box<dyn FnMut(&Action) -> Option<Outcome>>;

/// Runs actions on a background thread (the app) or inline (tests).
pub enum Worker {
    Thread { jobs: Sender<(Option<Actor>, Action)>, done: Receiver<Outcome> },
    Inline { executor: Box<Executor>, done: Vec<Outcome>, intercept: Option<Intercept> },
}

impl Worker {
    /// A worker thread that wakes the window whenever a result arrives.
    pub fn spawn(ctx: egui::Context) -> Worker {
        let (jobs, job_rx) = channel::<(Option<Actor>, Action)>();
        let (done_tx, done) = channel();
        let spawned = std::thread::Builder::new().name("service-worker".into()).spawn(move || {
            let mut executor = Executor::new();
            for (actor, action) in job_rx {
                let outcome = executor.execute(actor.as_ref(), action);
                if done_tx.send(outcome).is_err() {
                    break;
                }
                ctx.request_repaint();
            }
        });
        if let Err(e) = spawned {
            log::error!("cannot start the service worker, running inline: {e}");
            return Worker::inline();
        }
        Worker::Thread { jobs, done }
    }

    pub fn inline() -> Worker {
        Worker::Inline { executor: Box::new(Executor::new()), done: Vec::new(), intercept: None }
    }

    /// The inline worker with `intercept` asked first about every action (tests).
    pub fn inline_intercepted(intercept: Intercept) -> Worker {
        Worker::Inline { executor: Box::new(Executor::new()), done: Vec::new(), intercept: Some(intercept) }
    }

    pub fn send(&mut self, actor: Option<&Actor>, action: Action) {
        match self {
            Worker::Thread { jobs, .. } => {
                if jobs.send((actor.cloned(), action)).is_err() {
                    log::error!("service worker has stopped");
                }
            }
            Worker::Inline { executor, done, intercept } => {
                let answer = intercept.as_mut().and_then(|f| f(&action));
                done.push(answer.unwrap_or_else(|| executor.execute(actor, action)));
            }
        }
    }

    /// Results that arrived since the last call.
    pub fn drain(&mut self) -> Vec<Outcome> {
        match self {
            Worker::Thread { done, .. } => done.try_iter().collect(),
            Worker::Inline { done, .. } => std::mem::take(done),
        }
    }
}
