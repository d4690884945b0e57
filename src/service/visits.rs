//! Visits (拜访与回访), procedure step (1): the salesperson plans by month, week and day and records
//! each visit; the head sees everyone's plans and marks the key ones for next week; the Saturday
//! meeting's weekly plan; each salesperson's weekly report (工作周报) summarised from the data plus
//! their own notes. Only the customer's owner (or a head) plans and records its visits.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::{Actor, Service, ServiceError, audit, authorize, current_user};
use crate::domain::ids::{CustomerId, UserId, VisitId};
use crate::domain::inquiry::InquirySummary;
use crate::domain::quote::{Quote, Revision};
use crate::domain::role::{Permission, Role};
use crate::domain::user::UserAccount;
use crate::domain::visit::ReportNotes;
use crate::domain::visit::{Visit, VisitPlanDraft, VisitRecordDraft, VisitStatus, Week, check_record, is_overdue};
use crate::store::{StoreError, Tx};

/// One salesperson's week, as the weekly report (工作周报) shows it.
#[derive(Debug, Clone)]
pub struct WeeklyReport {
    pub user: UserId,
    pub user_name: String,
    pub week: Week,
    /// Visits of the week, recorded or not.
    pub visits: Vec<Visit>,
    /// Planned visits whose time has passed without a record (any week).
    pub overdue: Vec<Visit>,
    /// Inquiries and tenders registered that week.
    pub inquiries: Vec<InquirySummary>,
    /// Quote and bid revisions the salesperson submitted for approval that week, with their quote
    /// (status now, approvals so far).
    pub submitted: Vec<(Quote, Revision)>,
    /// Their quotes and bids that reached an outcome (won, lost, expired) that week.
    pub outcomes: Vec<Quote>,
    /// Receipts (回款) the salesperson recorded, dated that week: contract number, customer, the
    /// receipt (with whether cash collected in the field was handed in).
    pub receipts: Vec<(String, String, crate::domain::receivable::Receipt)>,
    /// Next week's plan.
    pub next_week: Vec<Visit>,
    pub notes: ReportNotes,
}

/// The Saturday meeting's sheet: next week's visits per salesperson, key ones first.
#[derive(Debug, Clone)]
pub struct WeeklyPlan {
    pub week: Week,
    /// (salesperson, their visits: key first, then by time)
    pub people: Vec<(String, Vec<Visit>)>,
}

fn sees_all(user: &UserAccount) -> bool {
    user.roles.allows(Permission::ViewAllCustomers)
}

/// The owner of a visit is the customer's owner; a salesperson plans only for their own customers,
/// a head for any customer that has an owner.
fn visit_owner(tx: &Tx<'_>, user: &UserAccount, customer: CustomerId) -> Result<UserId, ServiceError> {
    let c = tx.customer(customer)?;
    let Some(owner) = c.owner else {
        return Err(ServiceError::rule(
            "visit.pool_customer",
            "公海客户还没有负责人：请先认领或由销售部负责人分配，再安排拜访。",
        ));
    };
    if owner == user.id || user.roles.contains(Role::Head) {
        Ok(owner)
    } else {
        Err(ServiceError::Denied("只有客户负责人或销售部负责人可以安排和记录该客户的拜访"))
    }
}

fn may_change(user: &UserAccount, v: &Visit) -> Result<(), ServiceError> {
    if v.owner == user.id || user.roles.contains(Role::Head) {
        Ok(())
    } else {
        Err(ServiceError::Denied("只有客户负责人或销售部负责人可以修改该拜访"))
    }
}

/// A change made on a stale picture names who moved the visit meanwhile, before judging its status
/// (recorded or cancelled by another seat is a conflict, not a refusal).
fn still_at(v: &Visit, version: i64) -> Result<(), ServiceError> {
    if v.version != version {
        return Err(StoreError::Conflict { entity: "拜访", by: v.updated_by.clone(), at: v.updated_at.clone() }.into());
    }
    Ok(())
}

/// Local midnight of `day`, in UTC.
fn local_midnight(day: NaiveDate) -> Result<DateTime<Utc>, ServiceError> {
    day.and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(chrono::Local).earliest())
        .map(|t| t.with_timezone(&Utc))
        .ok_or(ServiceError::invalid("week", "周次不正确"))
}

/// Monday 00:00 to the next Monday 00:00, local time, in UTC.
fn week_span(week: Week) -> Result<(DateTime<Utc>, DateTime<Utc>), ServiceError> {
    let (mon, sun) = week.days().ok_or(ServiceError::invalid("week", "周次不正确"))?;
    Ok((local_midnight(mon)?, local_midnight(sun + Duration::days(1))?))
}

/// What the 拜访计划 week view shows.
#[derive(Debug, Clone)]
pub struct VisitWeek {
    pub week: Week,
    /// The week's visits by time.
    pub visits: Vec<Visit>,
    /// Planned visits past their time, by time (of the salesperson filtered on, if any).
    pub overdue: Vec<Visit>,
    /// (id, name) of the salespeople, for the filter; empty for a salesperson.
    pub salespeople: Vec<(UserId, String)>,
}

/// What the month grid shows.
#[derive(Debug, Clone)]
pub struct VisitMonth {
    /// The first of the month.
    pub month: NaiveDate,
    /// Every visit planned in the grid's weeks, by time.
    pub visits: Vec<Visit>,
    /// (id, name) of the salespeople, for the filter; empty for a salesperson.
    pub salespeople: Vec<(UserId, String)>,
}

/// `user`'s report for `week`, summarised from the data (the caller checked who may read it).
fn report_of(tx: &Tx<'_>, user: UserId, week: Week, now: DateTime<Utc>) -> Result<WeeklyReport, ServiceError> {
    let (from, to) = week_span(week)?;
    let (next_from, next_to) = week_span(week.next())?;
    let person = tx.user(user)?;
    let mine = |list: Vec<Visit>| list.into_iter().filter(|v| v.owner == user).collect::<Vec<_>>();
    let inquiries = tx
        .inquiry_summaries()?
        .into_iter()
        .filter(|i| i.registered_by == user && i.registered_at >= from && i.registered_at < to)
        .collect();
    let mut submitted = Vec::new();
    for id in tx.revisions_submitted_between(user, from, to)? {
        let mut r = tx.revision(id)?;
        // The report shows totals, never lines: floor prices stay out of it whoever reads it.
        for l in &mut r.content.lines {
            l.floor_price = None;
        }
        submitted.push((tx.quote(r.quote)?, r));
    }
    let outcomes =
        tx.quote_outcomes_between(user, from, to)?.into_iter().map(|id| tx.quote(id)).collect::<Result<_, _>>()?;
    let mut receipts = Vec::new();
    if let Some((mon, sun)) = week.days() {
        for r in tx.receipts(None)?.into_iter().filter(|r| r.by == user && r.date >= mon && r.date <= sun) {
            let c = tx.contract(r.contract)?;
            receipts.push((c.number.to_string(), c.customer_name, r));
        }
    }
    Ok(WeeklyReport {
        user,
        user_name: person.display_name,
        week,
        visits: mine(tx.visits_between(from, to)?),
        overdue: mine(tx.overdue_visits(now)?),
        inquiries,
        submitted,
        outcomes,
        receipts,
        next_week: mine(tx.visits_between(next_from, next_to)?),
        notes: tx.report_notes(user, week)?,
    })
}

impl Service {
    /// Plans a visit (the salesperson for their customer; a head for any owned customer).
    pub fn plan_visit(&mut self, actor: &Actor, mut draft: VisitPlanDraft) -> Result<Visit, ServiceError> {
        let now = self.now();
        let errors = draft.validate(now, true);
        let id = self.store.write_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            if !user.roles.allows(Permission::OwnCustomers) && !user.roles.contains(Role::Head) {
                return Err(ServiceError::Denied("只有销售员和销售部负责人可以安排拜访"));
            }
            if !errors.is_empty() {
                return Err(ServiceError::Invalid(errors));
            }
            let customer = draft.customer.ok_or(ServiceError::invalid("customer", "请选择客户"))?;
            let owner = visit_owner(tx, &user, customer)?;
            let id = tx.insert_visit(&draft, customer, owner, now, &actor.audit_name())?;
            audit::<(), _>(tx, &actor.audit_name(), now, "visit.plan", "visit", id, None, Some(&draft))?;
            Ok(id)
        })?;
        self.store.read_as(actor.login(), |tx| Ok(tx.visit(id)?))
    }

    /// Records a visit that was not planned (补录): a plan and its record at once.
    pub fn record_unplanned_visit(
        &mut self,
        actor: &Actor,
        mut plan: VisitPlanDraft,
        record: VisitRecordDraft,
    ) -> Result<Visit, ServiceError> {
        let now = self.now();
        // Filed at 09:00 office time on the day visited.
        let when = record
            .visited_on
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .and_then(|t| t.and_local_timezone(chrono::Local).earliest())
            .map(|t| t.with_timezone(&Utc));
        plan.planned_at = when.or(plan.planned_at);
        let mut errors = plan.validate(now, false);
        errors.retain(|e| e.field != "planned_at");
        // The record is checked before the plan is written, so a refused record leaves no plan behind
        // (the plan is created now, so the same check passes again in `record_visit`).
        errors.extend(check_record(&mut record.clone(), now, self.today()).0);
        if !errors.is_empty() {
            return Err(ServiceError::Invalid(errors));
        }
        let customer = plan.customer.ok_or(ServiceError::invalid("customer", "请选择客户"))?;
        let id = self.store.write_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let owner = visit_owner(tx, &user, customer)?;
            let id = tx.insert_visit(&plan, customer, owner, now, &actor.audit_name())?;
            audit::<(), _>(tx, &actor.audit_name(), now, "visit.plan", "visit", id, None, Some(&plan))?;
            Ok::<_, ServiceError>(id)
        })?;
        let v = self.store.read_as(actor.login(), |tx| Ok::<_, ServiceError>(tx.visit(id)?))?;
        self.record_visit(actor, id, v.version, record)
    }

    /// Writes the record of a planned visit (拜访记录).
    pub fn record_visit(
        &mut self,
        actor: &Actor,
        id: VisitId,
        version: i64,
        mut record: VisitRecordDraft,
    ) -> Result<Visit, ServiceError> {
        let now = self.now();
        let today = self.today();
        self.store.write_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let mut v = tx.visit(id)?;
            may_change(&user, &v)?;
            still_at(&v, version)?;
            if v.status != VisitStatus::Planned {
                return Err(ServiceError::rule(
                    "visit.not_planned",
                    format!("该拜访{}，不能再记录。", v.status.label()),
                ));
            }
            let (errors, retroactive) = check_record(&mut record, v.created_at, today);
            if !errors.is_empty() {
                return Err(ServiceError::Invalid(errors));
            }
            v.version = version;
            v.status = VisitStatus::Done;
            v.retroactive = retroactive;
            v.record = Some(record.clone());
            tx.update_visit(&v, now, &actor.audit_name())?;
            audit::<(), _>(tx, &actor.audit_name(), now, "visit.record", "visit", id, None, Some(&record))?;
            Ok(tx.visit(id)?)
        })
    }

    /// Moves or rewrites a plan that has not happened yet.
    pub fn update_visit_plan(
        &mut self,
        actor: &Actor,
        id: VisitId,
        version: i64,
        mut draft: VisitPlanDraft,
    ) -> Result<Visit, ServiceError> {
        let now = self.now();
        let errors = draft.validate(now, true);
        if !errors.is_empty() {
            return Err(ServiceError::Invalid(errors));
        }
        self.store.write_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let mut v = tx.visit(id)?;
            may_change(&user, &v)?;
            still_at(&v, version)?;
            if v.status != VisitStatus::Planned {
                return Err(ServiceError::rule(
                    "visit.not_planned",
                    format!("该拜访{}，不能再修改计划。", v.status.label()),
                ));
            }
            let before = v.plan.clone();
            draft.customer = v.plan.customer;
            v.plan = draft;
            v.version = version;
            tx.update_visit(&v, now, &actor.audit_name())?;
            audit(tx, &actor.audit_name(), now, "visit.update", "visit", id, Some(&before), Some(&v.plan))?;
            Ok(tx.visit(id)?)
        })
    }

    /// Cancels a planned visit; the reason is required and kept.
    pub fn cancel_visit(
        &mut self,
        actor: &Actor,
        id: VisitId,
        version: i64,
        reason: &str,
    ) -> Result<Visit, ServiceError> {
        if reason.trim().is_empty() {
            return Err(ServiceError::invalid("reason", "请写明取消原因"));
        }
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let mut v = tx.visit(id)?;
            may_change(&user, &v)?;
            still_at(&v, version)?;
            if v.status != VisitStatus::Planned {
                return Err(ServiceError::rule("visit.not_planned", format!("该拜访{}，不能取消。", v.status.label())));
            }
            v.status = VisitStatus::Cancelled;
            v.cancel_reason = reason.trim().to_string();
            v.version = version;
            tx.update_visit(&v, now, &actor.audit_name())?;
            audit::<(), _>(tx, &actor.audit_name(), now, "visit.cancel", "visit", id, None, Some(&v.cancel_reason))?;
            Ok(tx.visit(id)?)
        })
    }

    /// The head marks (or unmarks) a key visit (重点) for next week's meeting.
    pub fn mark_key_visit(
        &mut self,
        actor: &Actor,
        id: VisitId,
        version: i64,
        key: bool,
    ) -> Result<Visit, ServiceError> {
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            authorize(tx, actor, Permission::SetTargets)?;
            let mut v = tx.visit(id)?;
            v.key = key;
            v.version = version;
            tx.update_visit(&v, now, &actor.audit_name())?;
            audit::<(), _>(tx, &actor.audit_name(), now, "visit.key", "visit", id, None, Some(&key))?;
            Ok(tx.visit(id)?)
        })
    }

    /// Visits planned in `[from, to)`: a salesperson's own; everyone's for head, leader, assistant
    /// and admin (optionally one salesperson's).
    pub fn visits(
        &mut self,
        actor: &Actor,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        owner: Option<UserId>,
    ) -> Result<Vec<Visit>, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            Ok(tx
                .visits_between(from, to)?
                .into_iter()
                .filter(|v| sees_all(&user) || v.owner == user.id)
                .filter(|v| owner.is_none_or(|o| v.owner == o))
                .collect())
        })
    }

    /// Planned visits past their time without a record, the actor's own (or everyone's).
    pub fn overdue_visits(&mut self, actor: &Actor) -> Result<Vec<Visit>, ServiceError> {
        let now = self.now();
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            Ok(tx
                .overdue_visits(now)?
                .into_iter()
                .filter(|v| is_overdue(v.status, v.plan.planned_at.unwrap_or(now), now))
                .filter(|v| sees_all(&user) || v.owner == user.id)
                .collect())
        })
    }

    /// The week view: the visits of `week` (one salesperson's when `owner`), the overdue ones, and
    /// the salespeople for the filter (for those who see everyone's).
    pub fn visit_week(&mut self, actor: &Actor, week: Week, owner: Option<UserId>) -> Result<VisitWeek, ServiceError> {
        let (from, to) = week_span(week)?;
        let mut visits = self.visits(actor, from, to, owner)?;
        visits.sort_by_key(|v| v.plan.planned_at);
        let mut overdue = self.overdue_visits(actor)?;
        overdue.retain(|v| owner.is_none_or(|o| v.owner == o));
        overdue.sort_by_key(|v| v.plan.planned_at);
        Ok(VisitWeek { week, visits, overdue, salespeople: self.visit_salespeople(actor)? })
    }

    /// The month grid of the month of `month`: its weeks' visits and the salespeople for the filter.
    pub fn visit_month(
        &mut self,
        actor: &Actor,
        month: NaiveDate,
        owner: Option<UserId>,
    ) -> Result<VisitMonth, ServiceError> {
        let (first, start, weeks) =
            crate::domain::visit::month_grid(month).ok_or(ServiceError::invalid("month", "月份不正确"))?;
        let end = start + Duration::days(7 * i64::from(weeks));
        let mut visits = self.visits(actor, local_midnight(start)?, local_midnight(end)?, owner)?;
        visits.sort_by_key(|v| v.plan.planned_at);
        Ok(VisitMonth { month: first, visits, salespeople: self.visit_salespeople(actor)? })
    }

    /// The salespeople to filter visits by, for those who see everyone's (else none).
    fn visit_salespeople(&mut self, actor: &Actor) -> Result<Vec<(UserId, String)>, ServiceError> {
        Ok(if actor.may(Permission::ViewAllCustomers) {
            self.salespeople(actor)?.into_iter().map(|u| (u.id, u.display_name)).collect()
        } else {
            Vec::new()
        })
    }

    /// The Saturday meeting's sheet for `week`: per salesperson, key visits first.
    pub fn weekly_plan(&mut self, actor: &Actor, week: Week) -> Result<WeeklyPlan, ServiceError> {
        let (from, to) = week_span(week)?;
        let visits = self.visits(actor, from, to, None)?;
        let mut people: Vec<(String, Vec<Visit>)> = Vec::new();
        for v in visits.into_iter().filter(|v| v.status != VisitStatus::Cancelled) {
            match people.iter_mut().find(|(name, _)| *name == v.owner_name) {
                Some((_, list)) => list.push(v),
                None => people.push((v.owner_name.clone(), vec![v])),
            }
        }
        for (_, list) in &mut people {
            list.sort_by_key(|v| (!v.key, v.plan.planned_at));
        }
        people.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(WeeklyPlan { week, people })
    }

    /// A salesperson's weekly report: the week summarised from the data, plus their own notes.
    /// Their own, or anyone's for head, leader, assistant and admin.
    pub fn weekly_report(&mut self, actor: &Actor, user: UserId, week: Week) -> Result<WeeklyReport, ServiceError> {
        let now = self.now();
        self.store.read_as(actor.login(), |tx| {
            let me = current_user(tx, actor)?;
            if me.id != user && !sees_all(&me) {
                return Err(ServiceError::Denied("您只能查看自己的工作周报"));
            }
            report_of(tx, user, week, now)
        })
    }

    /// The week's reports of every salesperson (for head, leader, assistant and admin), or the
    /// salesperson's own: the head reads them all in one view.
    pub fn weekly_reports(&mut self, actor: &Actor, week: Week) -> Result<Vec<WeeklyReport>, ServiceError> {
        let now = self.now();
        self.store.read_as(actor.login(), |tx| {
            let me = current_user(tx, actor)?;
            let people: Vec<UserId> = if sees_all(&me) {
                tx.list_users()?
                    .into_iter()
                    .filter(|u| u.active && u.roles.contains(Role::Sales))
                    .map(|u| u.id)
                    .collect()
            } else if me.roles.contains(Role::Sales) {
                vec![me.id]
            } else {
                return Err(ServiceError::Denied("您只能查看自己的工作周报"));
            };
            people.into_iter().map(|u| report_of(tx, u, week, now)).collect()
        })
    }

    /// One visit, for its owner or anyone who sees all visits (the timeline opens it).
    pub fn visit(&mut self, actor: &Actor, id: VisitId) -> Result<Visit, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let v = tx.visit(id)?;
            let owner = match v.plan.customer {
                Some(c) => tx.customer(c)?.owner,
                None => None,
            };
            let owns_customer = owner == Some(user.id);
            if !(sees_all(&user) || v.owner == user.id || owns_customer) {
                return Err(ServiceError::Denied("您只能查看自己的拜访"));
            }
            Ok(v)
        })
    }

    /// Saves the salesperson's own part of their weekly report (what was done, next week's focus).
    pub fn save_report_notes(
        &mut self,
        actor: &Actor,
        week: Week,
        version: i64,
        notes: &str,
        next_focus: &str,
    ) -> Result<ReportNotes, ServiceError> {
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let n = ReportNotes { notes: notes.trim().into(), next_focus: next_focus.trim().into(), version };
            tx.put_report_notes(user.id, week, &n, now, &actor.audit_name())?;
            let detail = serde_json::json!({ "week": week.to_string(), "notes": n.notes, "next_focus": n.next_focus });
            audit::<(), _>(tx, &actor.audit_name(), now, "report.notes", "weekly_report", week, None, Some(&detail))?;
            Ok(tx.report_notes(user.id, week)?)
        })
    }

    /// A customer's visits, newest first (for the customer timeline).
    pub fn customer_visits(&mut self, actor: &Actor, customer: CustomerId) -> Result<Vec<Visit>, ServiceError> {
        self.customer(actor, customer)?;
        self.store.read_as(actor.login(), |tx| Ok(tx.customer_visits(customer)?))
    }
}
