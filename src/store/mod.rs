//! The store: the only place with SQL. Everything outside `store/` reaches the database through
//! [`Store`] and the [`Tx`] it lends to a closure; no `rusqlite` or `postgres` type leaves it.
//!
//! Two engines sit behind one seam (DESIGN §7): a SQLite file for one PC, or one PostgreSQL
//! server for an office with several seats. The repository methods on `Tx` are written once
//! against [`db::Conn`]; what must differ (DDL, pragmas, the write lock, backups) lives in
//! `migrations`/`maintenance` (SQLite) and `pg` (PostgreSQL). `copy` moves an office between them.

mod attachments;
mod audit;
mod certificates;
mod contracts;
mod copy;
mod customers;
pub(crate) mod db;
mod documents;
mod error;
mod faults;
mod inquiries;
mod maintenance;
mod migrations;
mod negotiations;
mod pg;
pub mod pg_tls;
mod products;
mod quotes;
mod references;
mod sequences;
mod settings;
mod timeline;
mod users;
mod visits;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

pub use audit::NewAuditEntry;
pub use contracts::NewContract;
pub use copy::{TABLES, TableCount};
pub use customers::FoundDuplicate;
pub use documents::{NewIssued, NewPrintJob};
pub use error::{EngineError, StoreError};
pub use faults::Faults;
pub use inquiries::NewInquiry;
pub use maintenance::verify_backup_file;
pub use negotiations::NewRound;
pub use pg::login_verifier;
pub use products::PriceRow;
pub use quotes::{NewQuote, PendingApproval, RevisionHead, Submission};
pub use users::{Credentials, NewUserRow, SignInAttempts};

/// `PRAGMA application_id` of a SalesDesk database ("SDK1"), to tell our files from others.
pub const APPLICATION_ID: i32 = 0x5344_4B31;

/// Where an office lives: a SQLite file on this PC, or a PostgreSQL server for several seats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    File(PathBuf),
    Server(String),
}

impl Location {
    /// `postgres://…` or `postgresql://…` is a server; anything else is a file path.
    pub fn parse(text: &str) -> Location {
        let t = text.trim();
        if Location::is_server_url(t) { Location::Server(t.to_string()) } else { Location::File(PathBuf::from(t)) }
    }

    /// As shown to people: the file path, or the server address without its password.
    pub fn shown(&self) -> String {
        match self {
            Location::File(p) => p.display().to_string(),
            Location::Server(url) => pg::shown_url(url),
        }
    }

    pub fn is_server_url(text: &str) -> bool {
        let t = text.trim();
        t.starts_with("postgres://") || t.starts_with("postgresql://")
    }
}

/// An open office database.
pub struct Store {
    backend: Backend,
    /// Set when a check found the file unsafe to write; every write is refused with this text.
    read_only_reason: Option<String>,
    /// The connection to the office server dropped since the window last asked (see
    /// [`Store::take_connection_lost`]); the store reconnects by itself on the next call.
    lost: bool,
    /// Tests only: faults switched on from outside.
    faults: Option<Faults>,
}

enum Backend {
    Sqlite { conn: Connection, path: PathBuf },
    Postgres(Box<pg::PgStore>),
}

/// A transaction lent to a closure by [`Store::write`] or [`Store::read`]. Repository methods
/// live on it, one `impl Tx` block per area (users, settings, audit, …).
pub struct Tx<'c> {
    conn: db::Conn<'c>,
    /// Whether this transaction's login may read floor prices, once asked (see `sees_floors`).
    floors: std::cell::Cell<Option<bool>>,
    /// Whether it may read whole ID numbers, once asked (see `sees_id_numbers`).
    ids: std::cell::Cell<Option<bool>>,
}

impl<'c> Tx<'c> {
    /// Whether this login holds a privilege the office server may withhold (`sql`: a
    /// `SELECT CASE WHEN has_…_privilege(…) THEN 1 ELSE 0 END`), asked once into `known`. Always on
    /// a file: whoever has the file has it all, and the service decides what each role sees.
    fn holds(&self, sql: &str, known: &std::cell::Cell<Option<bool>>) -> Result<bool, StoreError> {
        if let Some(answer) = known.get() {
            return Ok(answer);
        }
        let answer = match self.engine() {
            db::Engine::Sqlite => true,
            db::Engine::Postgres => self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))? == 1,
        };
        known.set(Some(answer));
        Ok(answer)
    }

    fn new(conn: db::Conn<'c>) -> Self {
        Tx { conn, floors: std::cell::Cell::new(None), ids: std::cell::Cell::new(None) }
    }

    /// Which engine this transaction runs on (for the few statements that differ).
    pub(crate) fn engine(&self) -> db::Engine {
        self.conn.engine()
    }
}

impl Store {
    /// Opens (creating if missing) the database at `path` and brings its schema up to date.
    /// Refuses, without writing, a file that is not SQLite, is damaged, is someone else's or is
    /// newer than this program.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        maintenance::check_file_header(path)?;
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError::from_open(path, e))?;
        conn.busy_timeout(Duration::from_secs(5))?;
        migrations::check_identity(&conn).map_err(|e| e.with_path(path))?;
        configure(&conn).map_err(|e| e.with_path(path))?;
        migrations::migrate(&mut conn).map_err(|e| e.with_path(path))?;
        Ok(Store::with_backend(Backend::Sqlite { conn, path: path.to_path_buf() }))
    }

    /// Connects to the office server at `url` (`postgres://user@host/db`) and brings its schema up
    /// to date (the first seat to start a newer SalesDesk upgrades it, under the office lock).
    pub fn open_server(url: &str) -> Result<Store, StoreError> {
        Ok(Store::with_backend(Backend::Postgres(Box::new(pg::PgStore::connect(url)?))))
    }

    fn with_backend(backend: Backend) -> Store {
        Store { backend, read_only_reason: None, lost: false, faults: None }
    }

    /// Tests: lets `faults` cut this store's connection or panic inside a write.
    pub fn set_faults(&mut self, faults: Faults) {
        self.faults = Some(faults);
    }

    /// True once after the connection to the office server dropped (a call failed on it, or it
    /// was found closed). The window shows its reconnect banner on this, whatever the call was.
    pub fn take_connection_lost(&mut self) -> bool {
        std::mem::take(&mut self.lost)
    }

    /// A cut connection (tests): the call fails as on a dropped server connection.
    fn cut(&mut self) -> Result<(), StoreError> {
        match &self.faults {
            Some(f) if f.is_cut() => {
                self.lost = true;
                Err(StoreError::Disconnected { detail: "connection cut".into() })
            }
            _ => Ok(()),
        }
    }

    /// After a call on the server: a connection found closed is reported once.
    fn note_server_state(&mut self) {
        if let Backend::Postgres(pg) = &self.backend
            && pg.is_down()
        {
            self.lost = true;
        }
    }

    /// Opens a file or connects to a server.
    pub fn open_at(location: &Location) -> Result<Store, StoreError> {
        match location {
            Location::File(path) => Store::open(path),
            Location::Server(url) => Store::open_server(url),
        }
    }

    /// Where the data lives, as shown in the status bar (a server without its password).
    pub fn location(&self) -> String {
        match &self.backend {
            Backend::Sqlite { path, .. } => path.display().to_string(),
            Backend::Postgres(pg) => pg.display().to_string(),
        }
    }

    /// The database file; `None` on a server.
    pub fn path(&self) -> Option<&Path> {
        match &self.backend {
            Backend::Sqlite { path, .. } => Some(path),
            Backend::Postgres(_) => None,
        }
    }

    pub fn is_server(&self) -> bool {
        matches!(self.backend, Backend::Postgres(_))
    }

    /// On the server: true when the address's login owns the office's schema (the login for
    /// installing and upgrading). Always false for a file.
    pub fn is_server_owner(&self) -> bool {
        matches!(&self.backend, Backend::Postgres(pg) if pg.is_owner())
    }

    /// On the server: connects as SalesDesk user `login`'s own server login with `password` (the
    /// server checks it); what is done for them from now on runs there. A file has no logins:
    /// nothing to do.
    pub fn open_seat(&mut self, login: &str, password: &str) -> Result<(), StoreError> {
        let out = match &mut self.backend {
            Backend::Sqlite { .. } => Ok(()),
            Backend::Postgres(pg) => pg.open_seat(login, password),
        };
        if out.as_ref().is_err_and(StoreError::is_disconnected) {
            self.lost = true;
        }
        out
    }

    /// On the server: whether `password` is `login`'s server login's password (a connection with
    /// it is tried, and closed). Always false for a file.
    pub fn password_connects(&mut self, login: &str, password: &str) -> Result<bool, StoreError> {
        match &mut self.backend {
            Backend::Sqlite { .. } => Ok(false),
            Backend::Postgres(pg) => pg.password_connects(login, password),
        }
    }

    /// Ends `login`'s own connection to the server (signing out).
    pub fn close_seat(&mut self, login: &str) {
        if let Backend::Postgres(pg) = &mut self.backend {
            pg.close_seat(login);
        }
    }

    /// After `login` changed their password: the server connection reconnects with the new one.
    pub fn seat_password_changed(&mut self, login: &str, password: &str) {
        if let Backend::Postgres(pg) = &mut self.backend {
            pg.seat_password_changed(login, password);
        }
    }

    /// The server login of SalesDesk user `login` (`库名.登录名`); empty for a file.
    /// On the server: the SalesDesk user whose own login the address's is, so what the entry
    /// connection reads is what that person may read. `None` for a file or the owner's login.
    pub fn entry_person(&self) -> Option<String> {
        match &self.backend {
            Backend::Sqlite { .. } => None,
            Backend::Postgres(pg) => pg.entry_person(),
        }
    }

    pub fn server_login_name(&self, login: &str) -> String {
        match &self.backend {
            Backend::Sqlite { .. } => String::new(),
            Backend::Postgres(pg) => pg.person_role(login),
        }
    }

    /// Whether `login` has a server connection of their own (always true for a file).
    pub fn has_seat(&self, login: &str) -> bool {
        match &self.backend {
            Backend::Sqlite { .. } => true,
            Backend::Postgres(pg) => pg.has_seat(login),
        }
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
    /// On the server, the office's change counter less our own commits: the same meaning.
    pub fn data_version(&mut self) -> Result<i64, StoreError> {
        if let Err(e) = self.cut() {
            if let Some(f) = &self.faults {
                f.refuse_look();
            }
            return Err(e);
        }
        let version = match &mut self.backend {
            Backend::Sqlite { conn, .. } => Ok(conn.pragma_query_value(None, "data_version", |r| r.get(0))?),
            Backend::Postgres(pg) => pg.data_version(),
        };
        self.note_server_state();
        version
    }

    /// Runs `f` in one write transaction. Writers, and with them audit appends, are serialised:
    /// `BEGIN IMMEDIATE` on SQLite, the office's advisory lock on PostgreSQL. Commits if `f`
    /// returns `Ok`, rolls back otherwise.
    pub fn write<T, E: From<StoreError>>(&mut self, f: impl FnOnce(&Tx<'_>) -> Result<T, E>) -> Result<T, E> {
        self.write_for(None, f)
    }

    /// [`Store::write`] done for SalesDesk user `login`: on the server, on their own connection
    /// (see [`Store::open_seat`]), so the server applies their rights.
    pub fn write_as<T, E: From<StoreError>>(
        &mut self,
        login: &str,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.write_for(Some(login), f)
    }

    /// [`Store::read`] done for SalesDesk user `login` (see [`Store::write_as`]).
    pub fn read_as<T, E: From<StoreError>>(
        &mut self,
        login: &str,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.read_for(Some(login), f)
    }

    fn write_for<T, E: From<StoreError>>(
        &mut self,
        seat: Option<&str>,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        if let Some(reason) = &self.read_only_reason {
            return Err(StoreError::ReadOnly(reason.clone()).into());
        }
        self.cut()?;
        let panic_before_commit = self.faults.as_ref().is_some_and(Faults::take_panic);
        let f = |tx: &Tx<'_>| {
            let out = f(tx);
            assert!(!panic_before_commit, "fault injected: a panic in the middle of a write");
            out
        };
        let out = match &mut self.backend {
            Backend::Sqlite { conn, .. } => {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(StoreError::from)?;
                let out = f(&Tx::new(db::Conn::sqlite(&tx)))?;
                tx.commit().map_err(StoreError::from)?;
                Ok(out)
            }
            Backend::Postgres(pg) => pg.transaction(true, seat, f),
        };
        self.note_server_state();
        out
    }

    /// Runs `f` in one read transaction: a consistent snapshot.
    pub fn read<T, E: From<StoreError>>(&mut self, f: impl FnOnce(&Tx<'_>) -> Result<T, E>) -> Result<T, E> {
        self.read_for(None, f)
    }

    /// `read_as(login)` with a login, else `read`.
    pub fn read_for<T, E: From<StoreError>>(
        &mut self,
        seat: Option<&str>,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.cut()?;
        let out = match &mut self.backend {
            Backend::Sqlite { conn, .. } => {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred).map_err(StoreError::from)?;
                let out = f(&Tx::new(db::Conn::sqlite(&tx)))?;
                tx.finish().map_err(StoreError::from)?;
                Ok(out)
            }
            Backend::Postgres(pg) => pg.transaction(false, seat, f),
        };
        self.note_server_state();
        out
    }
}

fn configure(conn: &Connection) -> Result<(), StoreError> {
    // WAL keeps readers off the writer's back; FULL makes a commit survive power loss.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
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

/// A stored time, read in a row mapper (a bad one is the row's conversion error).
pub(crate) fn row_time(s: &str) -> db::Result<chrono::DateTime<chrono::Utc>> {
    time_from_sql(s).map_err(|e| db::Error::conversion(e.to_string()))
}

/// A stored date (`YYYY-MM-DD`), read in a row mapper.
pub(crate) fn row_date(s: &str) -> db::Result<chrono::NaiveDate> {
    s.parse().map_err(|_| db::Error::conversion(format!("bad date {s:?}")))
}

/// A stored code read back into its type (`from_code` gave `parsed`): an unknown code is the row's
/// error, never a default status or kind.
pub(crate) fn row_code<T>(parsed: Option<T>, what: &str, code: &str) -> db::Result<T> {
    parsed.ok_or_else(|| db::Error::conversion(format!("unknown {what} {code:?}")))
}

/// A value written as JSON for storing (or for the audit log): a failure is an error, never an
/// empty text in its place.
pub fn encode_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Encode(e.to_string()))
}

/// A stored JSON value read back: a value that does not parse is the row's error.
pub(crate) fn row_json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> db::Result<T> {
    serde_json::from_str(text).map_err(|e| db::Error::conversion(format!("bad {what}: {e}")))
}

/// A stored UTC time as the user reads it: local time, to the minute.
pub(crate) fn local_time_text(stored: &str) -> String {
    match time_from_sql(stored) {
        Ok(t) => t.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string(),
        Err(_) => stored.to_string(),
    }
}
