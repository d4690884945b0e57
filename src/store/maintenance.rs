//! Checks, backup and restore: of the SQLite file, and of the office server where it differs.

use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, MAIN_DB, OpenFlags};

use super::{Backend, Store, StoreError, TableCount, copy, migrations};
use crate::domain::audit::CheckReport;

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// A file that exists and is not empty must start with SQLite's header and hold at least one page.
pub(super) fn check_file_header(path: &Path) -> Result<(), StoreError> {
    let Ok(mut f) = std::fs::File::open(path) else {
        return Ok(()); // missing: it will be created
    };
    let len = f.metadata()?.len();
    if len == 0 {
        return Ok(());
    }
    let mut head = [0u8; 16];
    let n = f.read(&mut head)?;
    if n < 16 || &head != SQLITE_HEADER {
        return Err(StoreError::NotADatabase { path: path.display().to_string() });
    }
    if len < 512 {
        return Err(StoreError::Corrupt(format!("file is only {len} bytes long (truncated)")));
    }
    Ok(())
}

fn pragma_lines(conn: &Connection, pragma: &str) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare(&format!("PRAGMA {pragma}"))?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

impl Store {
    /// The fast check run at start (in the background): `["ok"]` when healthy.
    /// On the server: the schema and the audit log's protection.
    pub fn quick_check(&mut self) -> Result<Vec<String>, StoreError> {
        match &mut self.backend {
            Backend::Sqlite { conn, .. } => pragma_lines(conn, "quick_check"),
            Backend::Postgres(pg) => pg.integrity(),
        }
    }

    /// The full check: SQLite's `integrity_check` and the audit chain. Damage that stops SQLite
    /// from even finishing the check is reported in `integrity`, not returned as an error.
    pub fn check(&mut self) -> Result<CheckReport, StoreError> {
        let mut integrity = match &mut self.backend {
            Backend::Sqlite { conn, .. } => match pragma_lines(conn, "integrity_check") {
                Err(StoreError::Corrupt(detail)) => vec![detail],
                other => other?,
            },
            // The server keeps its own pages; what we check is ours: schema, triggers, chain.
            Backend::Postgres(pg) => pg.integrity()?,
        };
        let chain = self.read(|tx| {
            if !tx.may_read_audit()? {
                return Ok::<_, StoreError>((tx.audit_head_seq()?, None, false));
            }
            Ok((tx.audit_count()?, tx.verify_audit_chain()?, true))
        });
        let (audit_entries, chain_break, chain_checked) = match chain {
            Err(StoreError::Corrupt(detail)) => {
                integrity.push(format!("audit log unreadable: {detail}"));
                (0, None, true)
            }
            other => other?,
        };
        let damaged = match self.read(|tx| tx.damaged_files()) {
            Err(StoreError::Corrupt(detail)) => {
                integrity.push(format!("stored files unreadable: {detail}"));
                Vec::new()
            }
            other => other?,
        };
        Ok(CheckReport { integrity, audit_entries, chain_break, chain_checked, damaged })
    }

    /// Refuses a backup destination that is the database itself or one of its side files under
    /// any spelling (relative, `..`, symlink): writing the backup there would delete the live file.
    pub fn check_backup_target(&self, dest: &Path) -> Result<(), StoreError> {
        let Backend::Sqlite { path, .. } = &self.backend else {
            return Ok(());
        };
        let same = |a: &Path, b: &Path| {
            a == b || matches!((std::fs::canonicalize(a), std::fs::canonicalize(b)), (Ok(x), Ok(y)) if x == y)
        };
        let db = path.display().to_string();
        let ours =
            [path.clone(), format!("{db}-wal").into(), format!("{db}-shm").into(), format!("{db}-journal").into()];
        if ours.iter().any(|p| same(dest, p)) {
            return Err(StoreError::Io(std::io::Error::other("备份文件不能与当前数据库相同")));
        }
        Ok(())
    }

    /// Online backup to `dest`, consistent even while others write: SQLite's backup API, or on
    /// the server one snapshot copied into a new office file (which opens, checks and migrates
    /// back like any other). Returns the rows per table.
    pub fn backup_to(&mut self, dest: &Path) -> Result<(), StoreError> {
        self.check_backup_target(dest)?;
        match &self.backend {
            Backend::Sqlite { conn, .. } => {
                // The backup API writes into whatever is at `dest`; start from an empty file.
                if dest.exists() {
                    std::fs::remove_file(dest)?;
                }
                conn.backup(MAIN_DB, dest, None::<fn(rusqlite::backup::Progress)>)?;
            }
            Backend::Postgres(_) => {
                // Written beside `dest` and renamed at the end: a failed backup leaves no half file.
                let partial = dest.with_extension("partial.db");
                for p in [&partial, &PathBuf::from(format!("{}-wal", partial.display()))] {
                    if p.exists() {
                        std::fs::remove_file(p)?;
                    }
                }
                let result = Store::open(&partial).and_then(|mut file| {
                    self.copy_into(&mut file)?;
                    file.checkpoint()
                });
                if let Err(e) = result {
                    let _ = std::fs::remove_file(&partial);
                    return Err(e);
                }
                std::fs::rename(&partial, dest)?;
            }
        }
        Ok(())
    }

    /// Copies this whole office into `target`, which must be empty; see [`copy`].
    pub fn copy_into(&mut self, target: &mut Store) -> Result<Vec<TableCount>, StoreError> {
        copy::copy_office(self, target)
    }

    /// Folds the WAL into the file, so the file alone is the whole office.
    fn checkpoint(self) -> Result<(), StoreError> {
        if let Backend::Sqlite { conn, .. } = self.backend {
            conn.pragma_update(None, "journal_mode", "DELETE")?;
            conn.close().map_err(|(_, e)| StoreError::from(e))?;
        }
        Ok(())
    }

    /// Checks `src` (ours, not newer, intact), keeps a copy of the current database beside it, then
    /// replaces the current database's content with `src`'s. Returns where the old copy is.
    pub fn restore_from(&mut self, src: &Path) -> Result<PathBuf, StoreError> {
        let Some(path) = self.path().map(Path::to_path_buf) else {
            return Err(StoreError::NotOnServer("在程序里恢复备份"));
        };
        verify_backup_file(src)?;
        let kept = Store::kept_copy_path(&path);
        self.backup_to(&kept)?;
        let Backend::Sqlite { conn, .. } = &mut self.backend else { unreachable!("checked above") };
        conn.restore(MAIN_DB, src, None::<fn(rusqlite::backup::Progress)>)?;
        migrations::migrate(conn)?;
        self.read_only_reason = None;
        Ok(kept)
    }
}

impl Store {
    /// Where a restore keeps the database it replaces: beside it, time-stamped, and never over an
    /// earlier kept copy (two restores within one second must both keep theirs).
    pub fn kept_copy_path(db: &Path) -> PathBuf {
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
        let mut kept = db.with_extension(format!("before-restore-{stamp}.db"));
        let mut n = 2;
        while kept.exists() {
            kept = db.with_extension(format!("before-restore-{stamp}-{n}.db"));
            n += 1;
        }
        kept
    }
}

/// A backup file is restorable when it is a SalesDesk database, not newer than us, and intact.
pub fn verify_backup_file(src: &Path) -> Result<(), StoreError> {
    if !src.is_file() {
        return Err(StoreError::Io(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("找不到备份文件 {}", src.display()),
        )));
    }
    check_file_header(src)?;
    let conn = Connection::open_with_flags(src, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| StoreError::from_open(src, e))?;
    migrations::check_identity(&conn).map_err(|e| e.with_path(src))?;
    let integrity = pragma_lines(&conn, "integrity_check")?;
    if integrity != ["ok"] {
        return Err(StoreError::Corrupt(integrity.join("; ")));
    }
    Ok(())
}
