//! The worker's side of customer visits (拜访计划): the week's visits with the overdue ones, the
//! Saturday meeting's plan for next week, and the changes to one visit. Runs on the service worker;
//! the service decides everything.

use chrono::{DateTime, Duration, Local, NaiveDate, Utc};

use super::legacy::{Outcome, Request};
use crate::domain::ids::{CustomerId, UserId, VisitId};
use crate::domain::role::Permission;
use crate::domain::timeline::TimelineEntry;
use crate::domain::visit::ReportNotes;
use crate::domain::visit::{Visit, VisitPlanDraft, VisitRecordDraft, Week, month_grid};
use crate::service::{Actor, Service, ServiceError, WeeklyReport};

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
    /// The visits of the calendar month of `month` as its grid shows them (the weeks around it
    /// included), and the salespeople for the filter.
    LoadMonth {
        seq: u64,
        month: NaiveDate,
        owner: Option<UserId>,
    },
    /// The Saturday meeting's sheet for `week`.
    WeeklyPlan(Week),
    /// The weekly reports (工作周报) of `week`: everyone's for those who read all, else one's own.
    Reports {
        seq: u64,
        week: Week,
    },
    /// The signed-in salesperson's own notes on their report of `week`.
    SaveNotes {
        week: Week,
        version: i64,
        notes: String,
        next_focus: String,
    },
    /// One visit (the customer timeline opens it).
    Open(VisitId),
    /// The timeline of a customer, for its card.
    Timeline(CustomerId),
    Plan(VisitPlanDraft),
    /// A plan changed before the visit (time, contact, purpose, notes).
    UpdatePlan {
        id: VisitId,
        version: i64,
        draft: VisitPlanDraft,
    },
    /// A visit that was never planned, recorded afterwards (补录).
    RecordUnplanned {
        plan: VisitPlanDraft,
        record: VisitRecordDraft,
    },
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
    Opened,
    Planned,
    Updated,
    RecordedUnplanned,
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

/// What the month grid shows.
#[derive(Debug, Clone)]
pub struct VisitMonth {
    /// The first of the month.
    pub month: NaiveDate,
    /// Every visit planned in the grid's weeks.
    pub visits: Vec<Visit>,
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
    Month(u64, Res<VisitMonth>),
    Plan(Res<PlanSheet>),
    Reports(u64, Res<Vec<WeeklyReport>>),
    NotesSaved(Week, Res<ReportNotes>),
    Timeline(CustomerId, Res<Vec<TimelineEntry>>),
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
        LoadMonth { seq, month, owner } => return VisitOutcome::Month(seq, load_month(svc, a, month, owner)).into(),
        Reports { seq, week } => return VisitOutcome::Reports(seq, svc.weekly_reports(a, week)).into(),
        SaveNotes { week, version, notes, next_focus } => {
            return VisitOutcome::NotesSaved(week, svc.save_report_notes(a, week, version, &notes, &next_focus)).into();
        }
        Timeline(customer) => return VisitOutcome::Timeline(customer, svc.customer_timeline(a, customer)).into(),
        Open(id) => (VisitEvent::Opened, svc.visit(a, id)),
        UpdatePlan { id, version, draft } => (VisitEvent::Updated, svc.update_visit_plan(a, id, version, draft)),
        RecordUnplanned { plan, record } => {
            (VisitEvent::RecordedUnplanned, svc.record_unplanned_visit(a, plan, record))
        }
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

fn salespeople(svc: &mut Service, a: &Actor) -> Res<Vec<(UserId, String)>> {
    Ok(if a.may(Permission::ViewAllCustomers) {
        svc.salespeople(a)?.into_iter().map(|u| (u.id, u.display_name)).collect()
    } else {
        Vec::new()
    })
}

fn load_month(svc: &mut Service, a: &Actor, month: NaiveDate, owner: Option<UserId>) -> Res<VisitMonth> {
    let (first, start, weeks) = month_grid(month).ok_or(ServiceError::invalid("month", "月份不正确"))?;
    let end = start + Duration::days(7 * i64::from(weeks));
    let mut visits = svc.visits(a, local_midnight(start)?, local_midnight(end)?, owner)?;
    visits.sort_by_key(|v| v.plan.planned_at);
    Ok(VisitMonth { month: first, visits, salespeople: salespeople(svc, a)? })
}

fn load(svc: &mut Service, a: &Actor, week: Week, owner: Option<UserId>) -> Res<VisitWeek> {
    let (from, to) = week_span(week)?;
    let mut visits = svc.visits(a, from, to, owner)?;
    visits.sort_by_key(|v| v.plan.planned_at);
    let mut overdue = svc.overdue_visits(a)?;
    overdue.retain(|v| owner.is_none_or(|o| v.owner == o));
    overdue.sort_by_key(|v| v.plan.planned_at);
    let salespeople = salespeople(svc, a)?;
    Ok(VisitWeek { week, visits, overdue, salespeople })
}
