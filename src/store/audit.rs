//! The audit log (审计日志): append-only, hash-chained (see `domain::audit`). A head row holds the
//! last sequence and hash, so deleting the newest entries is detected too.

use super::db::{Engine, OptionalExtension, params};
use chrono::{DateTime, Utc};

use super::{StoreError, Tx, time_to_sql};
use crate::domain::audit::AuditEntry;
use crate::domain::audit::AuditFilter;
use crate::domain::audit::ChainBreak;
use crate::domain::audit::{AuditContent, GENESIS_HASH, chain_hash};

/// What a use case records.
#[derive(Debug, Clone, Default)]
pub struct NewAuditEntry {
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    /// JSON of the record before the change ("" when created)
    pub before: String,
    /// JSON of the record after the change ("" when deleted)
    pub after: String,
}

impl Tx<'_> {
    /// Appends one entry linked to the chain head. Callers are inside `Store::write`, whose
    /// `BEGIN IMMEDIATE` serialises appends.
    pub fn append_audit(&self, actor: &str, at: DateTime<Utc>, e: &NewAuditEntry) -> Result<i64, StoreError> {
        let head: Option<(i64, String)> = self
            .conn
            .query_row("SELECT seq, hash FROM audit_head WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let (prev_seq, prev_hash) = head.unwrap_or((0, GENESIS_HASH.to_string()));
        let seq = prev_seq + 1;
        let at = time_to_sql(at);
        let hash = chain_hash(
            &prev_hash,
            &AuditContent {
                seq,
                at: &at,
                actor,
                action: &e.action,
                entity: &e.entity,
                entity_id: &e.entity_id,
                before: &e.before,
                after: &e.after,
            },
        );
        self.conn.execute(
            "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![seq, at, actor, e.action, e.entity, e.entity_id, e.before, e.after, prev_hash, hash],
        )?;
        self.conn.execute(
            "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?1, ?2) \
             ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
            params![seq, hash],
        )?;
        Ok(seq)
    }

    /// Newest first.
    pub fn audit_entries(&self, f: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        // Typed text is matched literally: % and _ are escaped, not wildcards.
        let like = |s: &str| {
            let escaped = s.trim().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            format!("%{escaped}%")
        };
        // SQLite's LIKE ignores ASCII case; PostgreSQL's needs ILIKE for the same.
        let like_op = match self.engine() {
            Engine::Sqlite => "LIKE",
            Engine::Postgres => "ILIKE",
        };
        let mut stmt = self.conn.prepare(&format!(
            "SELECT seq, at, actor, action, entity, entity_id, before, after FROM audit_log \
             WHERE actor {like_op} ?1 ESCAPE '\\' AND action {like_op} ?2 ESCAPE '\\' \
               AND (entity {like_op} ?3 ESCAPE '\\' OR entity_id {like_op} ?3 ESCAPE '\\' \
                    OR before {like_op} ?3 ESCAPE '\\' OR after {like_op} ?3 ESCAPE '\\') \
               AND (CAST(?4 AS TEXT) IS NULL OR at >= ?4) AND (CAST(?5 AS TEXT) IS NULL OR at < ?5) \
             ORDER BY seq DESC LIMIT ?6"
        ))?;
        let limit = if f.limit == 0 { 500 } else { f.limit } as i64;
        let rows = stmt.query_map(
            params![
                like(&f.actor),
                like(&f.action),
                like(&f.text),
                f.from.map(time_to_sql),
                f.to.map(time_to_sql),
                limit
            ],
            |r| {
                let at: String = r.get(1)?;
                Ok((
                    at,
                    AuditEntry {
                        seq: r.get(0)?,
                        at: DateTime::<Utc>::MIN_UTC,
                        actor: r.get(2)?,
                        action: r.get(3)?,
                        entity: r.get(4)?,
                        entity_id: r.get(5)?,
                        before: r.get(6)?,
                        after: r.get(7)?,
                    },
                ))
            },
        )?;
        rows.map(|r| {
            let (at, mut e) = r?;
            e.at = super::time_from_sql(&at)?;
            Ok(e)
        })
        .collect()
    }

    /// Whether this login may read the audit log: always on a file; on the office server, those
    /// who may view it (the log carries the floors of every price change and saved quote).
    pub fn may_read_audit(&self) -> Result<bool, StoreError> {
        self.holds(
            "SELECT CASE WHEN has_table_privilege('audit_log', 'SELECT') THEN 1 ELSE 0 END",
            &std::cell::Cell::new(None),
        )
    }

    /// How many entries the chain's head says there are (readable by every login).
    pub fn audit_head_seq(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("SELECT seq FROM audit_head WHERE id = 1", [], |r| r.get(0)).optional()?.unwrap_or(0))
    }

    pub fn audit_count(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?)
    }

    /// Recomputes the whole chain; returns the first break, if any.
    pub fn verify_audit_chain(&self) -> Result<Option<ChainBreak>, StoreError> {
        let mut expected_seq = 1;
        let mut prev = GENESIS_HASH.to_string();
        let mut broken = None;
        // Streamed row by row: the chain can be longer than memory likes.
        self.conn.stream(
            "SELECT seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash FROM audit_log ORDER BY seq",
            Vec::new(),
            |r| {
                let seq: i64 = r.get(0)?;
                let fields: [String; 9] =
                    [r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?];
                let [at, actor, action, entity, entity_id, before, after, prev_hash, hash] = &fields;
                let problem = if seq != expected_seq {
                    Some(ChainBreak { seq: expected_seq, reason: format!("entry {expected_seq} is missing (deleted)") })
                } else if *prev_hash != prev {
                    Some(ChainBreak { seq, reason: "link to the previous entry does not match".into() })
                } else {
                    let content = AuditContent { seq, at, actor, action, entity, entity_id, before, after };
                    (chain_hash(&prev, &content) != *hash)
                        .then(|| ChainBreak { seq, reason: "content does not match its hash (edited)".into() })
                };
                if problem.is_some() {
                    broken = problem;
                    return Ok(false);
                }
                prev = hash.clone();
                expected_seq += 1;
                Ok(true)
            },
        )?;
        if broken.is_some() {
            return Ok(broken);
        }
        let head: Option<(i64, String)> = self
            .conn
            .query_row("SELECT seq, hash FROM audit_head WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let (head_seq, head_hash) = head.unwrap_or((0, GENESIS_HASH.to_string()));
        if head_seq != expected_seq - 1 || head_hash != prev {
            return Ok(Some(ChainBreak {
                seq: (expected_seq).min(head_seq.max(1)),
                reason: format!(
                    "the chain ends at entry {} but its head says {head_seq} (newest entries deleted)",
                    expected_seq - 1
                ),
            }));
        }
        Ok(None)
    }
}
