//! The worker's side of customer visits (拜访计划): the week's visits with the overdue ones, the
//! Saturday meeting's plan for next week, and the changes to one visit. Runs on the service worker;
//! the service decides everything.

use chrono::{DateTime, Duration, Local, NaiveDate, Utc};

use super::worker::{Outcome, Request};
use crate::domain::ids::{UserId, VisitId};
use crate::domain::role::Permission;
use crate::domain::visit::{Visit, VisitPlanDraft, VisitRecordDraft, Week};
use crate::service::{Actor, Service, ServiceError};

type Res<T> = Result<T, ServiceError>;

/// A use case of the 拜访计划 panel.
pub enum VisitRequest {
    /// The visits of `week` (one salesperson's when `owner`), the overdue ones, and the salespeople
    /// for the filter (for those who see everyone's). `seq` lets the panel ignore stale answers.
    Load {
        seq: u64,
        week: Week,
        owner: Option<UserId>,
    },
    /// The Saturday meeting's sheet for `week`.
    WeeklyPlan(Week),
    Plan(VisitPlanDraft),
    Record {
        id: VisitId,
        version: i64,
        record: VisitRecordDraft,
    },
    Cancel {
        id: VisitId,
        version: i64,
        reason: String,
    },
    MarkKey {
        id: VisitId,
        version: i64,
        key: bool,
    },
}

impl From<VisitRequest> for Request {
    fn from(r: VisitRequest) -> Self {
        Request::Visit(r)
    }
}

/// Why a visit came back (for the toast and the refresh).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitEvent {
    Planned,
    Recorded,
    Cancelled,
    Marked,
}

/// What the week view shows.
#[derive(Debug, Clone)]
pub struct VisitWeek {
    pub week: Week,
    pub visits: Vec<Visit>,
    pub overdue: Vec<Visit>,
    /// (id, name) of the salespeople, for the filter; empty for a salesperson.
    pub salespeople: Vec<(UserId, String)>,
}

/// The Saturday meeting's sheet (the service's weekly plan, as the window keeps it).
#[derive(Debug, Clone)]
pub struct PlanSheet {
    pub week: Week,
    /// (salesperson, their visits: key first, then by time)
    pub people: Vec<(String, Vec<Visit>)>,
}

#[allow(clippy::large_enum_variant)] // one per action, moved once
pub enum VisitOutcome {
    Week(u64, Res<VisitWeek>),
    Plan(Res<PlanSheet>),
    Changed { event: VisitEvent, result: Res<Visit> },
}

impl From<VisitOutcome> for Outcome {
    fn from(o: VisitOutcome) -> Self {
        Outcome::Visit(o)
    }
}

/// Local midnight of `day`, in UTC.
fn local_midnight(day: NaiveDate) -> Res<DateTime<Utc>> {
    day.and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(Local).earliest())
        .map(|t| t.with_timezone(&Utc))
        .ok_or(ServiceError::invalid("week", "周次不正确"))
}

/// Monday 00:00 to the next Monday 00:00, local time, in UTC.
pub fn week_span(week: Week) -> Res<(DateTime<Utc>, DateTime<Utc>)> {
    let (mon, sun) = week.days().ok_or(ServiceError::invalid("week", "周次不正确"))?;
    Ok((local_midnight(mon)?, local_midnight(sun + Duration::days(1))?))
}

/// Runs one visit request for `a`.
pub(super) fn execute(svc: &mut Service, a: &Actor, request: VisitRequest) -> Outcome {
    use VisitRequest::*;
    let (event, result) = match request {
        Load { seq, week, owner } => return VisitOutcome::Week(seq, load(svc, a, week, owner)).into(),
        WeeklyPlan(week) => {
            let sheet = svc.weekly_plan(a, week).map(|p| PlanSheet { week: p.week, people: p.people });
            return VisitOutcome::Plan(sheet).into();
        }
        Plan(draft) => (VisitEvent::Planned, svc.plan_visit(a, draft)),
        Record { id, version, record } => (VisitEvent::Recorded, svc.record_visit(a, id, version, record)),
        Cancel { id, version, reason } => (VisitEvent::Cancelled, svc.cancel_visit(a, id, version, &reason)),
        MarkKey { id, version, key } => (VisitEvent::Marked, svc.mark_key_visit(a, id, version, key)),
    };
    VisitOutcome::Changed { event, result }.into()
}

fn load(svc: &mut Service, a: &Actor, week: Week, owner: Option<UserId>) -> Res<VisitWeek> {
    let (from, to) = week_span(week)?;
    let mut visits = svc.visits(a, from, to, owner)?;
    visits.sort_by_key(|v| v.plan.planned_at);
    let mut overdue = svc.overdue_visits(a)?;
    overdue.retain(|v| owner.is_none_or(|o| v.owner == o));
    overdue.sort_by_key(|v| v.plan.planned_at);
    let salespeople = if a.may(Permission::ViewAllCustomers) {
        svc.salespeople(a)?.into_iter().map(|u| (u.id, u.display_name)).collect()
    } else {
        Vec::new()
    };
    Ok(VisitWeek { week, visits, overdue, salespeople })
}
