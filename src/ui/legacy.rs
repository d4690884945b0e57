//! The routing this window is leaving: panels not yet moved to [`Reply`](super::worker::Reply)
//! queue an [`Action`]; it runs as a worker job and its [`Outcome`] comes back to the app, which
//! routes it to the panel. Areas move off it one by one.

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::domain::ids::{AttachmentId, InquiryId};
use crate::domain::inquiry::{Decision, Inquiry, InquiryDraft, InquirySummary};
use crate::service::{Actor, InquiryFilter, NewUser, Service, ServiceError};
use crate::store::Location;
use crate::ui::worker::Session;
pub use crate::ui::worker::{OpenInfo, read_file, write_file};
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

/// A use case of the inquiry lists and the inbox.
#[allow(clippy::large_enum_variant)] // one per user action
pub enum InquiryRequest {
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
    /// The action panicked on the worker (its own answer never came).
    Panicked,
    Opened(Res<OpenInfo>),
    /// Where the unusable file was kept, and the reopened database.
    RestoredUnopenable(Res<(PathBuf, OpenInfo)>),
    QuickChecked(Res<()>),
    DemoCreated(Res<String>),
    SignedIn(Res<Actor>),
    PasswordChanged(Res<Actor>),
    FileWritten(Res<PathBuf>),
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

/// Runs one action on `session` (a worker job).
pub fn execute(session: &mut Session, actor: Option<&Actor>, action: Action) -> Outcome {
    match action {
        Action::Open(location) => return Outcome::Opened(session.open(&location)),
        Action::Watch => return Outcome::Watched(session.service().and_then(Service::data_version)),
        Action::RestoreUnopenable { db, backup } => {
            session.close();
            let reopened = crate::service::restore_unopenable(&db, &backup)
                .and_then(|kept| Ok((kept, session.open(&Location::File(db))?)));
            return Outcome::RestoredUnopenable(reopened);
        }
        _ => {}
    }
    let svc = match session.service() {
        Ok(svc) => svc,
        Err(e) => return Outcome::Opened(Err(e)),
    };
    match (actor, action) {
        (_, Action::Open(_) | Action::RestoreUnopenable { .. } | Action::Watch) => Outcome::Opened(Err(not_open())),
        (_, Action::QuickCheck) => Outcome::QuickChecked(svc.quick_check()),
        (_, Action::CreateDemo) => Outcome::DemoCreated(svc.create_demo_office().map(|s| s.company)),
        (_, Action::CreateFirstAdmin(u)) => Outcome::SignedIn(svc.create_first_admin(u)),
        (_, Action::SignIn { login, password }) => Outcome::SignedIn(svc.sign_in(&login, &password)),
        (None, Action::Office(_)) => Outcome::SignedIn(Err(ServiceError::Rule("请先登录。".into()))),
        (Some(a), Action::Office(request)) => Executor::as_actor(svc, a, request),
    }
}

fn not_open() -> ServiceError {
    ServiceError::Rule("数据库尚未打开。".into())
}

struct Executor;

impl Executor {
    fn as_actor(svc: &mut Service, a: &Actor, request: Request) -> Outcome {
        use Request::*;
        match request {
            ChangeOwnPassword { old, new } => Outcome::PasswordChanged(svc.change_own_password(a, &old, &new)),
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

/// Sends an action's outcome, or [`Outcome::Panicked`] if the job unwinds before it could.
pub struct Answer {
    tx: std::sync::mpsc::Sender<Outcome>,
    sent: bool,
}

impl Answer {
    pub fn new(tx: std::sync::mpsc::Sender<Outcome>) -> Self {
        Answer { tx, sent: false }
    }

    pub fn send(mut self, outcome: Outcome) {
        self.sent = true;
        let _ = self.tx.send(outcome);
    }
}

impl Drop for Answer {
    fn drop(&mut self) {
        if !self.sent {
            let _ = self.tx.send(Outcome::Panicked);
        }
    }
}
