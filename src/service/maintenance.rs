//! Looking after the database: the audit log viewer, the full check, backup and restore.

use std::path::{Path, PathBuf};

use super::{Actor, Service, ServiceError, audit, authorize};
use crate::domain::role::Permission;
use chrono::Utc;

use crate::domain::audit::AuditEntry;
use crate::domain::audit::AuditFilter;
use crate::domain::audit::CheckReport;
use crate::store::{Location, Store, StoreError, TableCount, verify_backup_file};

impl Service {
    /// The audit log, newest first, filtered.
    pub fn audit_entries(&mut self, actor: &Actor, filter: &AuditFilter) -> Result<Vec<AuditEntry>, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            authorize(tx, actor, Permission::ViewAuditLog)?;
            Ok(tx.audit_entries(filter)?)
        })
    }

    /// `integrity_check` and the audit chain. Reads only; the CLI's `check` needs no sign-in.
    /// A damaged file found here stops all writes, as the quick check does.
    pub fn check(&mut self) -> Result<CheckReport, ServiceError> {
        let report = self.store.check()?;
        if report.integrity != ["ok"] {
            let problem = StoreError::Corrupt(report.integrity.join("; "));
            self.store.set_read_only(Some(problem.to_string()));
        }
        Ok(report)
    }

    /// The same check from the admin menu.
    pub fn check_as(&mut self, actor: &Actor) -> Result<CheckReport, ServiceError> {
        self.store.read_as(actor.login(), |tx| authorize(tx, actor, Permission::MaintainDatabase))?;
        self.check()
    }

    /// Online backup to `dest`. The audit entry is written first, so the backup contains it.
    pub fn backup(&mut self, actor: &Actor, dest: &Path) -> Result<(), ServiceError> {
        self.store.check_backup_target(dest)?;
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            authorize(tx, actor, Permission::MaintainDatabase)?;
            audit::<(), _>(
                tx,
                &actor.audit_name(),
                now,
                "db.backup",
                "database",
                "",
                None,
                Some(&dest.display().to_string()),
            )?;
            Ok::<_, ServiceError>(())
        })?;
        Ok(self.store.backup_to(dest)?)
    }

    /// Replaces the office data with a checked backup; the current data is kept beside the
    /// database file. Returns where it was kept.
    pub fn restore(&mut self, actor: &Actor, src: &Path) -> Result<PathBuf, ServiceError> {
        self.store.read_as(actor.login(), |tx| authorize(tx, actor, Permission::MaintainDatabase))?;
        verify_backup_file(src)?;
        let kept = self.store.restore_from(src)?;
        self.customers = None;
        let now = self.now();
        let who = actor.audit_name();
        self.store.write_as(actor.login(), |tx| {
            let detail = serde_json::json!({ "from": src.display().to_string(), "previous_kept_at": kept.display().to_string() });
            audit::<(), _>(tx, &who, now, "db.restore", "database", "", None, Some(&detail))
        })?;
        Ok(kept)
    }
}

/// Restore when the current database cannot even be opened (damaged, not ours): no one can sign
/// in to it, so whoever can reach the file may replace it. The old file is renamed, not deleted.
pub fn restore_unopenable(db: &Path, src: &Path) -> Result<PathBuf, ServiceError> {
    verify_backup_file(src)?;
    let kept = Store::kept_copy_path(db);
    if db.exists() {
        std::fs::rename(db, &kept).map_err(StoreError::from)?;
    }
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", db.display()));
        if side.exists() {
            std::fs::rename(&side, PathBuf::from(format!("{}{suffix}", kept.display()))).map_err(StoreError::from)?;
        }
    }
    std::fs::copy(src, db).map_err(StoreError::from)?;
    Ok(kept)
}

/// `salesdesk migrate`: moves the office at `from` (usually a SQLite file) into the empty office
/// at `to` (usually a new database on the office server), then verifies it there: every table's
/// row count and the whole audit chain. The move itself is the last audit entry on the target.
pub fn migrate_office(from: &Location, to: &Location) -> Result<Vec<TableCount>, ServiceError> {
    if let Location::File(path) = from
        && !path.is_file()
    {
        return Err(ServiceError::rule("migrate.no_source", format!("找不到要迁移的数据库文件：{}", path.display())));
    }
    if from == to {
        return Err(ServiceError::rule("migrate.same_office", "迁移的来源和目标是同一个数据库。"));
    }
    let mut source = Store::open_at(from)?;
    let mut target = Store::open_at(to)?;
    let counts = source.copy_into(&mut target)?;
    let report = target.check()?;
    if !report.is_ok() {
        let damaged: Vec<String> = report.damaged.iter().map(|d| d.describe()).collect();
        return Err(StoreError::Corrupt(format!(
            "{:?} {:?} {}",
            report.integrity,
            report.chain_break,
            damaged.join("；")
        ))
        .into());
    }
    let detail = serde_json::json!({
        "from": source.location(),
        "rows": counts.iter().map(|c| (c.table, c.target)).collect::<std::collections::BTreeMap<_, _>>(),
    });
    target.write(|tx| {
        audit::<(), _>(tx, "salesdesk migrate", Utc::now(), "db.migrate", "database", "", None, Some(&detail))
    })?;
    Ok(counts)
}
