//! The office server: one PostgreSQL database that every seat connects to (DESIGN §7).
//!
//! What differs from the SQLite file, and why:
//! - Writers are serialised by one transaction-level advisory lock, taken first in every write
//!   transaction. The audit chain appends to one head and document numbers come from one
//!   counter, so the seats take turns exactly as `BEGIN IMMEDIATE` makes processes do on SQLite;
//!   an office's write rate (a few per second at most) never makes this the bottleneck.
//!   Reads are REPEATABLE READ snapshots, as SQLite's read transactions are.
//! - `salesdesk_meta` holds the schema version (SQLite's `user_version`), our application id,
//!   and a change counter every write bumps: `data_version` is read from it, and polling that
//!   one row is how a seat notices another seat's work (see the README on why not LISTEN).
//! - The connection is re-established on the next call after it drops; a failure says
//!   `Disconnected`, which the window shows as a banner while the user's input stays.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use postgres::{Client, IsolationLevel, NoTls};

use super::db::{Conn, PgTx};
use super::{APPLICATION_ID, StoreError, Tx, migrations};

/// The PostgreSQL steps: (schema version reached, SQL). Version 9 is the whole of SQLite's
/// steps 1–9 at once; later steps pair with SQLite's, one for one.
const MIGRATIONS: &[(i64, &str)] = &[(9, include_str!("pg_schema.sql"))];

const _: () = assert!(MIGRATIONS[MIGRATIONS.len() - 1].0 == migrations::LATEST, "PostgreSQL schema lags SQLite's");

/// The key of the office-wide write lock (our application id).
const WRITE_LOCK: i64 = APPLICATION_ID as i64;

/// The group role the guide asks the admin to create for the seats' logins. When it exists the
/// schema grants it what the application needs, and no UPDATE or DELETE on the audit log.
pub const SEAT_ROLE: &str = "salesdesk_seat";

pub(super) struct PgStore {
    config: postgres::Config,
    display: String,
    client: Option<Client>,
    statements: HashMap<String, postgres::Statement>,
    /// Commits this connection made: subtracted from the office counter for `data_version`.
    own_commits: i64,
    /// When the connection was last handed out: after a long pause it is checked first.
    last_used: Instant,
}

/// A connection unused this long is checked (one empty query) before a transaction starts on it,
/// so the first action after a break, or a server restart, does not fail on a dead connection.
const IDLE_CHECK: Duration = Duration::from_secs(60);

fn disconnected(e: postgres::Error) -> StoreError {
    match StoreError::from_pg(e) {
        StoreError::Postgres(e) if e.postgres().is_some_and(|p| p.code().is_none()) => {
            StoreError::Disconnected { detail: e.to_string() }
        }
        other => other,
    }
}

impl PgStore {
    pub(super) fn connect(url: &str) -> Result<PgStore, StoreError> {
        let mut config: postgres::Config =
            url.parse().map_err(|e: postgres::Error| StoreError::BadAddress(format!("{}: {e}", shown_url(url))))?;
        config.connect_timeout(Duration::from_secs(5));
        config.keepalives_idle(Duration::from_secs(30));
        config.application_name("salesdesk");
        let display = display_url(&config);
        let mut store = PgStore {
            config,
            display,
            client: None,
            statements: HashMap::new(),
            own_commits: 0,
            last_used: Instant::now(),
        };
        store.migrate()?;
        Ok(store)
    }

    pub(super) fn display(&self) -> &str {
        &self.display
    }

    /// True when there is no live connection: it could not be made, or it was found closed.
    pub(super) fn is_down(&self) -> bool {
        self.client.as_ref().is_none_or(Client::is_closed)
    }

    /// The live connection, reconnecting if it dropped (its prepared statements go with it).
    fn client(&mut self) -> Result<(&mut Client, &mut HashMap<String, postgres::Statement>), StoreError> {
        Self::connection(&mut self.client, &mut self.statements, &mut self.last_used, &self.config)
    }

    fn connection<'a>(
        client: &'a mut Option<Client>,
        statements: &'a mut HashMap<String, postgres::Statement>,
        last_used: &mut Instant,
        config: &postgres::Config,
    ) -> Result<(&'a mut Client, &'a mut HashMap<String, postgres::Statement>), StoreError> {
        if last_used.elapsed() > IDLE_CHECK
            && let Some(c) = client.as_mut()
            && c.is_valid(Duration::from_secs(2)).is_err()
        {
            *client = None;
        }
        *last_used = Instant::now();
        if client.as_ref().is_none_or(Client::is_closed) {
            statements.clear();
            *client = None;
            let mut c = config.connect(NoTls).map_err(disconnected)?;
            // A seat waits at most 5 s for another seat's write, as SQLite's busy timeout.
            c.batch_execute("SET lock_timeout = '5s'; SET idle_in_transaction_session_timeout = '60s'")
                .map_err(disconnected)?;
            *client = Some(c);
        }
        Ok((client.as_mut().expect("connected above"), statements))
    }

    /// Creates the schema on an empty database, or upgrades it, under the office lock.
    fn migrate(&mut self) -> Result<(), StoreError> {
        let display = self.display.clone();
        let (client, statements) = self.client()?;
        statements.clear();
        let mut tx =
            client.build_transaction().isolation_level(IsolationLevel::ReadCommitted).start().map_err(disconnected)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK]).map_err(StoreError::from_pg)?;
        // Chinese text needs a UTF-8 database; SQL_ASCII (a cluster made without a locale) would
        // take bytes unchecked and sort them wrong.
        let encoding: String = tx
            .query_one(
                "SELECT pg_encoding_to_char(encoding)::text FROM pg_database WHERE datname = current_database()",
                &[],
            )
            .map_err(StoreError::from_pg)?
            .get(0);
        if encoding != "UTF8" {
            return Err(StoreError::ServerSetup(format!("数据库的编码是 {encoding}，应为 UTF8")));
        }
        let has_meta: bool =
            tx.query_one("SELECT to_regclass('salesdesk_meta') IS NOT NULL", &[]).map_err(StoreError::from_pg)?.get(0);
        if !has_meta {
            let tables: i64 = tx
                .query_one("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()", &[])
                .map_err(StoreError::from_pg)?
                .get(0);
            if tables > 0 {
                return Err(StoreError::NotOurs { path: display });
            }
            tx.batch_execute(
                "CREATE TABLE salesdesk_meta (
                    id BIGINT PRIMARY KEY CHECK (id = 1),
                    application_id BIGINT NOT NULL,
                    schema_version BIGINT NOT NULL,
                    changes BIGINT NOT NULL DEFAULT 0
                )",
            )
            .map_err(pg_ddl)?;
            tx.execute(
                "INSERT INTO salesdesk_meta (id, application_id, schema_version) VALUES (1, $1, 0)",
                &[&i64::from(APPLICATION_ID)],
            )
            .map_err(StoreError::from_pg)?;
        }
        let row = tx
            .query_one("SELECT application_id, schema_version FROM salesdesk_meta WHERE id = 1", &[])
            .map_err(StoreError::from_pg)?;
        let (app_id, version): (i64, i64) = (row.get(0), row.get(1));
        // A negative schema version was not written by SalesDesk.
        if app_id != i64::from(APPLICATION_ID) || version < 0 {
            return Err(StoreError::NotOurs { path: display });
        }
        if version > migrations::LATEST {
            return Err(StoreError::TooNew { found: version, supported: migrations::LATEST });
        }
        let pending: Vec<_> = MIGRATIONS.iter().filter(|(to, _)| *to > version).collect();
        for (to, sql) in &pending {
            tx.batch_execute(sql).map_err(pg_ddl)?;
            tx.execute("UPDATE salesdesk_meta SET schema_version = $1", &[to]).map_err(StoreError::from_pg)?;
        }
        // The owner (re)grants at every start: a seat role made after the schema, or tables a
        // newer SalesDesk added, get their rights too. A seat's own login cannot grant and skips.
        let owner: bool = tx
            .query_one(
                "SELECT tableowner = current_user FROM pg_tables \
                 WHERE schemaname = current_schema() AND tablename = 'salesdesk_meta'",
                &[],
            )
            .map_err(StoreError::from_pg)?
            .get(0);
        if owner {
            grant_seats(&mut tx)?;
        }
        tx.commit().map_err(disconnected)?;
        Ok(())
    }

    /// Runs `f` in a transaction: a write takes the office lock and bumps the change counter.
    pub(super) fn transaction<T, E: From<StoreError>>(
        &mut self,
        write: bool,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let own_commits = &mut self.own_commits;
        let (client, statements) =
            Self::connection(&mut self.client, &mut self.statements, &mut self.last_used, &self.config)?;
        let mut tx = client
            .build_transaction()
            .isolation_level(if write { IsolationLevel::ReadCommitted } else { IsolationLevel::RepeatableRead })
            .read_only(!write)
            .start()
            .map_err(disconnected)?;
        if write {
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK]).map_err(disconnected)?;
            tx.execute("UPDATE salesdesk_meta SET changes = changes + 1 WHERE id = 1", &[]).map_err(disconnected)?;
        }
        let tx_ref = Tx { conn: Conn::postgres(PgTx { tx, statements }) };
        let out = f(&tx_ref);
        let pg_tx = tx_ref.conn.into_pg().expect("a PostgreSQL transaction");
        match out {
            Ok(v) => {
                // Lost while committing, the change may or may not have landed: say so, rather
                // than invite a second copy of a new record.
                pg_tx.tx.commit().map_err(|e| match disconnected(e) {
                    StoreError::Disconnected { detail } => StoreError::CommitUnknown { detail },
                    other => other,
                })?;
                if write {
                    *own_commits += 1;
                }
                Ok(v)
            }
            Err(e) => {
                // A dropped connection has rolled back already; nothing else to report.
                let _ = pg_tx.tx.rollback();
                Err(e)
            }
        }
    }

    /// The office's change counter less our own commits: changes only when another seat wrote.
    /// It is the window's every-2-s look, so a connection that died while idle (a server restart
    /// in the night) is found here first: one read with no effects, tried again on a new
    /// connection before anyone is told.
    pub(super) fn data_version(&mut self) -> Result<i64, StoreError> {
        let own = self.own_commits;
        let read = |client: &mut Client| client.query_one("SELECT changes FROM salesdesk_meta WHERE id = 1", &[]);
        let first = read(self.client()?.0);
        let row = match first.map_err(disconnected) {
            Ok(row) => row,
            Err(StoreError::Disconnected { .. }) => {
                self.client = None;
                read(self.client()?.0).map_err(disconnected)?
            }
            Err(e) => return Err(e),
        };
        Ok(row.get::<_, i64>(0) - own)
    }

    /// The server-side part of `check`: the schema and the audit log's protection are in place.
    pub(super) fn integrity(&mut self) -> Result<Vec<String>, StoreError> {
        let (client, _) = self.client()?;
        let mut problems = Vec::new();
        let version: i64 = client
            .query_one("SELECT schema_version FROM salesdesk_meta WHERE id = 1", &[])
            .map_err(disconnected)?
            .get(0);
        if version != migrations::LATEST {
            problems.push(format!("schema version {version}, expected {}", migrations::LATEST));
        }
        let triggers: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass \
                 AND tgname IN ('audit_log_append_only', 'audit_log_no_truncate') AND tgenabled <> 'D'",
                &[],
            )
            .map_err(disconnected)?
            .get(0);
        if triggers != 2 {
            problems.push("the audit log's append-only triggers are missing or disabled".into());
        }
        if problems.is_empty() {
            problems.push("ok".into());
        }
        Ok(problems)
    }
}

/// DDL needs the owner's rights: a seat's role that meets an old schema says who must upgrade it.
fn pg_ddl(e: postgres::Error) -> StoreError {
    if e.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) {
        return StoreError::ServerNeedsUpgrade(e.to_string());
    }
    disconnected(e)
}

/// Grants the seats' group role, if the admin made it, what the application needs, and on the
/// audit log only SELECT and INSERT.
fn grant_seats(tx: &mut postgres::Transaction<'_>) -> Result<(), StoreError> {
    let exists: bool = tx
        .query_one("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", &[&SEAT_ROLE])
        .map_err(StoreError::from_pg)?
        .get(0);
    if exists {
        let schema: String =
            tx.query_one("SELECT quote_ident(current_schema())", &[]).map_err(StoreError::from_pg)?.get(0);
        tx.batch_execute(&format!(
            "GRANT USAGE ON SCHEMA {schema} TO {SEAT_ROLE};
             GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {SEAT_ROLE};
             GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {SEAT_ROLE};
             REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM {SEAT_ROLE};
             REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON salesdesk_meta FROM {SEAT_ROLE};
             GRANT UPDATE (changes) ON salesdesk_meta TO {SEAT_ROLE};"
        ))
        .map_err(pg_ddl)?;
    }
    Ok(())
}

/// A server address as shown to people (never the password), even before connecting.
pub(super) fn shown_url(url: &str) -> String {
    url.parse::<postgres::Config>().map(|c| display_url(&c)).unwrap_or_else(|_| "postgres://…".into())
}

/// `postgres://user@host:port/db`, never the password.
fn display_url(c: &postgres::Config) -> String {
    use postgres::config::Host;
    let host = c
        .get_hosts()
        .first()
        .map(|h| match h {
            Host::Tcp(h) => h.clone(),
            Host::Unix(p) => p.display().to_string(),
        })
        .unwrap_or_else(|| "localhost".into());
    let port = c.get_ports().first().map(|p| format!(":{p}")).unwrap_or_default();
    let user = c.get_user().map(|u| format!("{u}@")).unwrap_or_default();
    let db = c.get_dbname().unwrap_or("");
    format!("postgres://{user}{host}{port}/{db}")
}

/// Makes every identity sequence continue after the highest id (after rows were copied in).
pub(super) fn reset_identities(tx: &Tx<'_>) -> Result<(), StoreError> {
    let tables = tx.conn.query_map(
        "SELECT table_name::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'",
        [],
        |r| r.get::<_, String>(0),
    )?;
    for t in tables {
        tx.conn.query_row(
            &format!("SELECT setval(pg_get_serial_sequence('{t}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {t}"),
            [],
            |r| r.get::<_, i64>(0),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Location;

    #[test]
    fn an_address_is_shown_without_its_password() {
        assert_eq!(
            shown_url("postgres://office:s3cret@192.168.1.20:5432/salesdesk"),
            "postgres://office@192.168.1.20:5432/salesdesk"
        );
        assert_eq!(shown_url("postgresql://office@server/salesdesk"), "postgres://office@server:5432/salesdesk");
        assert_eq!(shown_url("postgres://office:s3cret@server:notaport/x"), "postgres://…");
        assert!(!Location::Server("postgres://a:pw@h/db".into()).shown().contains("pw"));
    }

    #[test]
    fn a_server_address_is_told_from_a_file_path() {
        assert!(matches!(Location::parse(" postgres://a@h/db "), Location::Server(u) if u == "postgres://a@h/db"));
        assert!(matches!(Location::parse("postgresql://a@h/db"), Location::Server(_)));
        assert!(matches!(Location::parse("/home/sun/postgres/office.db"), Location::File(_)));
        assert!(matches!(Location::parse("postgres.db"), Location::File(_)));
    }
}
