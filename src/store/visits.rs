//! Visits (拜访计划与记录) and the weekly reports' own notes (工作周报).

use super::db::{OptionalExtension, Row, params};
use chrono::{DateTime, NaiveDate, Utc};

use super::{StoreError, Tx, row_code, time_from_sql, time_to_sql};
use crate::domain::ids::{ContactId, CustomerId, UserId, VisitId};
use crate::domain::visit::ReportNotes;
use crate::domain::visit::{Visit, VisitPlanDraft, VisitRecordDraft, VisitStatus, Week};

const VISIT_SQL: &str = "SELECT v.id, v.customer_id, c.name, v.contact_id, COALESCE(k.name, ''), v.owner_id, u.display_name, \
     v.purpose, v.planned_at, v.notes, v.is_key, v.status, v.cancel_reason, v.visited_on, v.met, v.outcome, v.next_step, \
     v.follow_up, v.retroactive, v.created_at, v.version, v.updated_at, v.updated_by, c.short_name \
     FROM visits v JOIN customers c ON c.id = v.customer_id JOIN users u ON u.id = v.owner_id \
     LEFT JOIN contacts k ON k.id = v.contact_id";

fn visit_from_row(r: &Row<'_>) -> super::db::Result<Visit> {
    let planned: String = r.get(8)?;
    let status: String = r.get(11)?;
    let created: String = r.get(19)?;
    let updated: String = r.get(21)?;
    let status = row_code(VisitStatus::from_code(&status), "visit status", &status)?;
    let visited_on: Option<NaiveDate> = r.get(13)?;
    let record = visited_on.map(|d| -> super::db::Result<VisitRecordDraft> {
        Ok(VisitRecordDraft {
            visited_on: Some(d),
            met: r.get(14)?,
            outcome: r.get(15)?,
            next_step: r.get(16)?,
            follow_up: r.get(17)?,
        })
    });
    Ok(Visit {
        id: VisitId(r.get(0)?),
        plan: VisitPlanDraft {
            customer: Some(CustomerId(r.get(1)?)),
            contact: r.get::<_, Option<i64>>(3)?.map(ContactId),
            purpose: r.get(7)?,
            planned_at: Some(time_from_sql(&planned).map_err(|e| super::db::Error::conversion(e.to_string()))?),
            notes: r.get(9)?,
        },
        customer_name: r.get(2)?,
        customer_short: r.get(23)?,
        contact_name: r.get(4)?,
        owner: UserId(r.get(5)?),
        owner_name: r.get(6)?,
        key: r.get(10)?,
        status,
        cancel_reason: r.get(12)?,
        record: record.transpose()?,
        retroactive: r.get(18)?,
        created_at: time_from_sql(&created).map_err(|e| super::db::Error::conversion(e.to_string()))?,
        version: r.get(20)?,
        updated_at: super::local_time_text(&updated),
        updated_by: r.get(22)?,
    })
}

impl Tx<'_> {
    pub fn insert_visit(
        &self,
        p: &VisitPlanDraft,
        customer: CustomerId,
        owner: UserId,
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<VisitId, StoreError> {
        let at = time_to_sql(now);
        let planned = p.planned_at.map(time_to_sql).unwrap_or_else(|| at.clone());
        self.conn.execute(
            "INSERT INTO visits (customer_id, contact_id, owner_id, purpose, planned_at, notes, status, created_at, \
             updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'planned', ?7, ?7, ?8)",
            params![customer.0, p.contact.map(|c| c.0), owner.0, p.purpose, planned, p.notes, at, by],
        )?;
        Ok(VisitId(self.conn.last_insert_rowid()?))
    }

    pub fn visit(&self, id: VisitId) -> Result<Visit, StoreError> {
        let sql = format!("{VISIT_SQL} WHERE v.id = ?1");
        self.conn
            .query_row(&sql, [id.0], visit_from_row)
            .optional()?
            .ok_or_else(|| self.missing("visits", id.0, "拜访"))
    }

    /// Visits planned in `[from, to)` (UTC), in time order.
    pub fn visits_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Visit>, StoreError> {
        let sql = format!("{VISIT_SQL} WHERE v.planned_at >= ?1 AND v.planned_at < ?2 ORDER BY v.planned_at, v.id");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params![time_to_sql(from), time_to_sql(to)], visit_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A customer's visits, newest first (the customer timeline).
    pub fn customer_visits(&self, customer: CustomerId) -> Result<Vec<Visit>, StoreError> {
        let sql = format!("{VISIT_SQL} WHERE v.customer_id = ?1 ORDER BY v.planned_at DESC, v.id DESC");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([customer.0], visit_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Planned visits whose time passed before `now` without a record (逾期).
    pub fn overdue_visits(&self, now: DateTime<Utc>) -> Result<Vec<Visit>, StoreError> {
        let sql = format!("{VISIT_SQL} WHERE v.status = 'planned' AND v.planned_at < ?1 ORDER BY v.planned_at, v.id");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([time_to_sql(now)], visit_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Saves plan fields, the key mark, the status and the record, if still at `version`.
    pub fn update_visit(&self, v: &Visit, now: DateTime<Utc>, by: &str) -> Result<(), StoreError> {
        let rec = v.record.clone().unwrap_or_default();
        let n = self.conn.execute(
            "UPDATE visits SET contact_id = ?1, purpose = ?2, planned_at = ?3, notes = ?4, is_key = ?5, status = ?6, \
             cancel_reason = ?7, visited_on = ?8, met = ?9, outcome = ?10, next_step = ?11, follow_up = ?12, \
             retroactive = ?13, version = version + 1, updated_at = ?14, updated_by = ?15 WHERE id = ?16 AND version = ?17",
            params![
                v.plan.contact.map(|c| c.0),
                v.plan.purpose,
                v.plan.planned_at.map(time_to_sql),
                v.plan.notes,
                v.key,
                v.status.code(),
                v.cancel_reason,
                rec.visited_on,
                rec.met,
                rec.outcome,
                rec.next_step,
                rec.follow_up,
                v.retroactive,
                time_to_sql(now),
                by,
                v.id.0,
                v.version
            ],
        )?;
        self.expect_one(n, "拜访", "visits", ("id", &v.id.0))
    }

    pub fn report_notes(&self, user: UserId, week: Week) -> Result<ReportNotes, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT notes, next_focus, version FROM weekly_reports WHERE user_id = ?1 AND week = ?2",
                params![user.0, week.to_string()],
                |r| Ok(ReportNotes { notes: r.get(0)?, next_focus: r.get(1)?, version: r.get(2)? }),
            )
            .optional()?
            .unwrap_or_default())
    }

    /// Saves a report's notes if still at `n.version` (0: first save).
    pub fn put_report_notes(
        &self,
        user: UserId,
        week: Week,
        n: &ReportNotes,
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<(), StoreError> {
        let count = if n.version == 0 {
            self.conn.execute(
                "INSERT INTO weekly_reports (user_id, week, notes, next_focus, updated_at, updated_by) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(user_id, week) DO NOTHING",
                params![user.0, week.to_string(), n.notes, n.next_focus, time_to_sql(now), by],
            )?
        } else {
            self.conn.execute(
                "UPDATE weekly_reports SET notes = ?1, next_focus = ?2, version = version + 1, updated_at = ?3, \
                 updated_by = ?4 WHERE user_id = ?5 AND week = ?6 AND version = ?7",
                params![n.notes, n.next_focus, time_to_sql(now), by, user.0, week.to_string(), n.version],
            )?
        };
        if count == 1 {
            return Ok(());
        }
        let who: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT updated_by, updated_at FROM weekly_reports WHERE user_id = ?1 AND week = ?2",
                params![user.0, week.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match who {
            Some((by, at)) => Err(StoreError::Conflict { entity: "周报", by, at: super::local_time_text(&at) }),
            None => Err(StoreError::NotFound("周报")),
        }
    }
}
