//! Use cases. Each one reads like the procedure: check the actor's permission (re-read from the
//! database, so a revoked role or a deactivated leaver stops at once), validate, write in ONE
//! transaction, append an audit entry. The window and the CLI call only this layer.

mod admin;
mod auth;
mod bids;
mod certificates;
mod contract_documents;
mod contracts;
mod customers;
pub mod demo;
mod documents;
mod error;
mod imports;
mod inquiries;
mod maintenance;
mod negotiations;
mod phone;
mod prices;
mod printing;
mod quotes;
mod receivables;
mod references;
mod timeline;
mod users;
mod visits;
mod work;

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::domain::ids::UserId;
use crate::domain::role::{Permission, RoleSet};
use crate::domain::user::UserAccount;
use crate::print::{PrintServer, PrintSystem};
use crate::store::{NewAuditEntry, Store, StoreError, Tx, encode_json};

/// Where an office lives: a SQLite file on this PC, or the office server.
pub use crate::store::Location;
/// How a seat's connection to the office server is encrypted (the connection dialog's choice).
pub use crate::store::pg_tls::{TlsMode, percent_decode, split_params as split_tls_params};

pub use admin::{ImageSlot, SettingsBundle};
pub use auth::{LOCK_AFTER_FAILURES, LOCK_MINUTES};
pub use bids::{BidReview, ComplianceRow};
pub use certificates::Scan;
pub use contract_documents::contract_file_name;
pub use contracts::{ContractLedger, ContractView};
pub use customers::{CustomerFilter, CustomerPage, DuplicateHint, DuplicateReason, OwnerFilter};
pub use demo::{DEMO_PASSWORD, DEMO_USERS, DemoSummary};
pub use documents::{PrintedDocument, Verification, suggested_file_name};

pub use error::{ServiceError, file_problem, save_file};
pub use imports::{Change, ExportFormat, ImportPreview, ImportReport, ImportedCustomer};
pub use inquiries::{InboxItem, InquiryDetail, InquiryFilter, MAX_DOCUMENT_BYTES};
pub use maintenance::{migrate_office, restore_unopenable};
pub use negotiations::{ContractSource, NegotiationView, RevisionChanges};
pub use phone::PhoneAnswer;
pub use prices::{PriceTable, product_searchable};
pub use printing::{DocumentKind, IssueOutcome, Preview, PrintOptions, PrintReceipt, Printable};
pub use quotes::{ApprovalItem, QuoteDetail, QuoteSummary, QuoteView};
pub use receivables::{ChaseItem, Dashboard, DashboardChart, HandInItem, MonthFigures, ReceivableRow, Receivables};
pub use users::{NewServerLogin, NewUser, UserEdit};
pub use visits::{VisitMonth, VisitWeek, WeeklyPlan, WeeklyReport};
pub use work::{WorkItem, WorkKind, WorkTarget};

/// Where "now" comes from; tests substitute a fixed or stepping clock.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// The signed-in user a use case acts for. Only sign-in creates one.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    id: UserId,
    login: String,
    display_name: String,
    roles: RoleSet,
    must_change_password: bool,
}

impl Actor {
    fn from_row(u: &UserAccount) -> Actor {
        Actor {
            id: u.id,
            login: u.login.clone(),
            display_name: u.display_name.clone(),
            roles: u.roles.clone(),
            must_change_password: u.must_change_password,
        }
    }

    pub fn id(&self) -> UserId {
        self.id
    }
    pub fn login(&self) -> &str {
        &self.login
    }
    pub fn display_name(&self) -> &str {
        &self.display_name
    }
    pub fn roles(&self) -> &RoleSet {
        &self.roles
    }
    pub fn must_change_password(&self) -> bool {
        self.must_change_password
    }
    /// For showing or hiding controls only: the service checks again on every call.
    pub fn may(&self, p: Permission) -> bool {
        self.roles.allows(p)
    }
    /// How the audit log names this actor: `李娜 (li)`.
    fn audit_name(&self) -> String {
        format!("{} ({})", self.display_name, self.login)
    }
}

/// The application's use cases over one office database.
pub struct Service {
    store: Store,
    clock: Clock,
    /// The customer list and search index, loaded on first use, kept current by our own writes.
    customers: Option<customers::CustomerDirectory>,
    /// The system's print service: this computer's unless told otherwise.
    printing: PrintSystem,
    /// Server logins this start made with one-time passwords, until told (see
    /// [`Service::take_new_server_logins`]).
    new_logins: Vec<NewServerLogin>,
    /// See [`Service::take_seat_change`].
    seat_change: Option<Option<(String, String)>>,
}

impl Service {
    pub fn open(path: &Path) -> Result<Service, ServiceError> {
        Service::from_store(Store::open(path)?)
    }

    /// Opens an office file or connects to the office server (`postgres://…`).
    pub fn open_at(location: &Location) -> Result<Service, ServiceError> {
        Service::from_store(Store::open_at(location)?)
    }

    fn from_store(store: Store) -> Result<Service, ServiceError> {
        let mut service = Service {
            store,
            clock: Arc::new(Utc::now),
            customers: None,
            printing: PrintSystem::from_environment(),
            new_logins: Vec::new(),
            seat_change: None,
        };
        service.new_logins = service.ensure_server_logins()?;
        Ok(service)
    }

    /// Prints through the print service at `server` instead of this computer's (tests run a
    /// scheduler of their own; an office may have a print server).
    pub fn with_print_server(mut self, server: PrintServer) -> Service {
        self.printing = PrintSystem::Ipp(server);
        self
    }

    /// Prints through `system` (the command line's `--print-server`, or this computer's).
    pub fn with_print_system(mut self, system: PrintSystem) -> Service {
        self.printing = system;
        self
    }

    /// True when the office is on a PostgreSQL server (several seats).
    pub fn is_server(&self) -> bool {
        self.store.is_server()
    }

    /// Replaces the clock (tests: lockout expiry, dates on documents).
    pub fn with_clock(mut self, clock: Clock) -> Service {
        self.clock = clock;
        self
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// The clock this service reads "now" from, for the window's panels (one clock for both).
    pub fn clock(&self) -> Clock {
        self.clock.clone()
    }

    /// Tests: faults switched on from outside reach this office's store.
    pub fn with_faults(mut self, faults: crate::store::Faults) -> Service {
        self.store.set_faults(faults);
        self
    }

    /// True once after the connection to the office server dropped during any call.
    pub fn take_connection_lost(&mut self) -> bool {
        self.store.take_connection_lost()
    }

    /// Where the data lives, for the status bar.
    pub fn location(&self) -> String {
        self.store.location()
    }

    /// The quick check run in the background after start. A failure makes the database read-only
    /// and returns the reason.
    pub fn quick_check(&mut self) -> Result<(), ServiceError> {
        let result = self.store.quick_check();
        let problem = match result {
            Ok(lines) if lines == ["ok"] => return Ok(()),
            Ok(lines) => StoreError::Corrupt(lines.join("; ")),
            // A dropped connection says nothing about the data: report it, stay writable.
            Err(e) if e.is_disconnected() => return Err(e.into()),
            Err(e) => e,
        };
        log::error!("quick_check failed on {}: {problem:?}", self.store.location());
        self.store.set_read_only(Some(problem.to_string()));
        Err(problem.into())
    }

    /// Refuses every write from now on, with `reason` (another connection's quick check found the
    /// office unsafe to write).
    pub fn refuse_writes(&mut self, reason: String) {
        self.store.set_read_only(Some(reason));
    }

    pub fn read_only_reason(&self) -> Option<String> {
        self.store.read_only_reason().map(str::to_string)
    }

    /// A number that changes only when another seat (or process) committed to the office: the
    /// window polls it every few seconds to refresh its lists at once. Our own commits leave it.
    pub fn data_version(&mut self) -> Result<i64, ServiceError> {
        Ok(self.store.data_version()?)
    }
}

/// Re-reads the actor inside the transaction and checks the permission.
fn authorize(tx: &Tx<'_>, actor: &Actor, p: Permission) -> Result<UserAccount, ServiceError> {
    let user = current_user(tx, actor)?;
    if !user.roles.allows(p) {
        return Err(ServiceError::Denied(p.denied_message()));
    }
    Ok(user)
}

/// Re-reads the actor: deactivated or deleted users can do nothing, even with a window open.
/// A user with a temporary password (new, or reset by the admin) may do nothing else until they
/// have set their own.
fn current_user(tx: &Tx<'_>, actor: &Actor) -> Result<UserAccount, ServiceError> {
    let user = active_user(tx, actor)?;
    if user.must_change_password {
        return Err(ServiceError::rule("password.must_change", "您正在使用管理员设置的临时密码，请先修改密码。"));
    }
    Ok(user)
}

/// The actor's row, if still active (a temporary password is allowed: for changing it).
fn active_user(tx: &Tx<'_>, actor: &Actor) -> Result<UserAccount, ServiceError> {
    // Only a missing user means deactivated: a lost connection or a damaged row must say so.
    let user = tx.user(actor.id).map_err(|e| match e {
        StoreError::NotFound(_) => ServiceError::Deactivated,
        other => other.into(),
    })?;
    if !user.active {
        return Err(ServiceError::Deactivated);
    }
    Ok(user)
}

/// Appends one audit entry with before/after as JSON.
#[allow(clippy::too_many_arguments)] // each is one column of the entry
fn audit<B: Serialize, A: Serialize>(
    tx: &Tx<'_>,
    who: &str,
    at: DateTime<Utc>,
    action: &str,
    entity: &str,
    entity_id: impl ToString,
    before: Option<&B>,
    after: Option<&A>,
) -> Result<(), StoreError> {
    // No before (a creation) or no after (a deletion) is an empty text; a value that cannot be
    // written fails the use case rather than leave the log without it.
    let json = |v: Option<String>| v.unwrap_or_default();
    let entry = NewAuditEntry {
        action: action.to_string(),
        entity: entity.to_string(),
        entity_id: entity_id.to_string(),
        before: json(before.map(encode_json).transpose()?),
        after: json(after.map(encode_json).transpose()?),
    };
    tx.append_audit(who, at, &entry)?;
    Ok(())
}
