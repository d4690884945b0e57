//! The store: the only place with SQL. Everything outside `store/` reaches the database through
//! [`Store`] and the [`Tx`] it lends to a closure; no `rusqlite` type leaves this module.
//!
//! SQLite is the backend today. The seam is `Store::write`/`Store::read` plus the repository
//! methods on `Tx`: a PostgreSQL backend goes behind the same methods (DESIGN §7).

mod attachments;
mod audit;
mod certificates;
mod contracts;
mod customers;
mod documents;
mod error;
mod inquiries;
mod maintenance;
mod migrations;
mod negotiations;
mod products;
mod quotes;
mod sequences;
mod settings;
mod timeline;
mod users;
mod visits;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

pub use attachments::Attachment;
pub use audit::{AuditEntry, AuditFilter, ChainBreak, NewAuditEntry};
pub use contracts::NewContract;
pub use documents::NewIssued;
pub use error::StoreError;
pub use inquiries::NewInquiry;
pub use maintenance::{CheckReport, verify_backup_file};
pub use negotiations::NewRound;
pub use products::PriceRow;
pub use quotes::{NewQuote, RevisionHead, Submission};
pub use settings::Versioned;
pub use users::{Credentials, NewUserRow, SignInAttempts, UserRow};
pub use visits::ReportNotes;

/// `PRAGMA application_id` of a SalesDesk database ("SDK1"), to tell our files from others.
pub const APPLICATION_ID: i32 = 0x5344_4B31;

/// An open office database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Set when a check found the file unsafe to write; every write is refused with this text.
    read_only_reason: Option<String>,
}

/// A transaction lent to a closure by [`Store::write`] or [`Store::read`]. Repository methods
/// live on it, one `impl Tx` block per area (users, settings, audit, …).
pub struct Tx<'c> {
    conn: &'c Connection,
}

impl Store {
    /// Opens (creating if missing) the database at `path` and brings its schema up to date.
    /// Refuses, without writing, a file that is not SQLite, is damaged, is someone else's or is
    /// newer than this program.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        maintenance::check_file_header(path)?;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError::from_open(path, e))?;
        conn.busy_timeout(Duration::from_secs(5))?;
        let mut store = Store { conn, path: path.to_path_buf(), read_only_reason: None };
        migrations::check_identity(&store.conn).map_err(|e| e.with_path(path))?;
        store.configure().map_err(|e| e.with_path(path))?;
        migrations::migrate(&mut store.conn).map_err(|e| e.with_path(path))?;
        Ok(store)
    }

    fn configure(&self) -> Result<(), StoreError> {
        // WAL keeps readers off the writer's back; FULL makes a commit survive power loss.
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        Ok(())
    }

    /// Where the data lives, as shown in the status bar.
    pub fn location(&self) -> String {
        self.path.display().to_string()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Stops all writes (after a failed check); reads still work.
    pub fn set_read_only(&mut self, reason: Option<String>) {
        self.read_only_reason = reason;
    }

    pub fn read_only_reason(&self) -> Option<&str> {
        self.read_only_reason.as_deref()
    }

    /// SQLite's `PRAGMA data_version`: changes whenever another connection (another seat) has
    /// committed to the file since the last call; our own commits leave it as it is.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        Ok(self.conn.pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    /// Runs `f` in one write transaction (`BEGIN IMMEDIATE`, so writers, and with them audit
    /// appends, are serialised). Commits if `f` returns `Ok`, rolls back otherwise.
    pub fn write<T, E: From<StoreError>>(&mut self, f: impl FnOnce(&Tx<'_>) -> Result<T, E>) -> Result<T, E> {
        if let Some(reason) = &self.read_only_reason {
            return Err(StoreError::ReadOnly(reason.clone()).into());
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(StoreError::from)?;
        let out = f(&Tx { conn: &tx })?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// Runs `f` in one read transaction: a consistent snapshot.
    pub fn read<T, E: From<StoreError>>(&mut self, f: impl FnOnce(&Tx<'_>) -> Result<T, E>) -> Result<T, E> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Deferred).map_err(StoreError::from)?;
        let out = f(&Tx { conn: &tx })?;
        tx.finish().map_err(StoreError::from)?;
        Ok(out)
    }
}

/// Times are stored as RFC 3339 UTC text with milliseconds: sortable, portable to PostgreSQL.
pub(crate) fn time_to_sql(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub(crate) fn time_from_sql(s: &str) -> Result<chrono::DateTime<chrono::Utc>, StoreError> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|_| StoreError::Corrupt(format!("bad timestamp {s:?}")))
}

/// A stored UTC time as the user reads it: local time, to the minute.
pub(crate) fn local_time_text(stored: &str) -> String {
    match time_from_sql(stored) {
        Ok(t) => t.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string(),
        Err(_) => stored.to_string(),
    }
}
