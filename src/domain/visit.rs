//! Customer visits (拜访与回访), procedure step (1): salespeople plan visits by month, week and day,
//! the head marks the key ones (重点) for next week at the Saturday meeting, and every visit is
//! recorded afterwards. Pure rules: ISO weeks, overdue plans, retroactive records.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use serde::{Deserialize, Serialize};

use crate::domain::company::FieldError;
use crate::domain::ids::{ContactId, CustomerId, UserId, VisitId};

/// A record may be written up to this many days before its plan was made (a visit that happened
/// before anyone planned it is recorded, and marked 补录); further back is refused.
pub const MAX_RETROACTIVE_DAYS: i64 = 30;

/// An ISO week such as `2026-W48` (Monday to Sunday).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Week {
    pub year: i32,
    pub week: u32,
}

impl Week {
    pub fn of(day: NaiveDate) -> Week {
        let w = day.iso_week();
        Week { year: w.year(), week: w.week() }
    }

    pub fn monday(self) -> Option<NaiveDate> {
        NaiveDate::from_isoywd_opt(self.year, self.week, Weekday::Mon)
    }

    /// Monday to Sunday.
    pub fn days(self) -> Option<(NaiveDate, NaiveDate)> {
        let mon = self.monday()?;
        Some((mon, mon + Duration::days(6)))
    }

    pub fn next(self) -> Week {
        self.monday().map(|m| Week::of(m + Duration::days(7))).unwrap_or(self)
    }

    pub fn previous(self) -> Week {
        self.monday().map(|m| Week::of(m - Duration::days(7))).unwrap_or(self)
    }

    /// `2026-W48` (also `2026-w48`, `2026W48`).
    pub fn parse(text: &str) -> Option<Week> {
        let t = text.trim().to_uppercase().replace("-W", "W");
        let (y, w) = t.split_once('W')?;
        let week = Week { year: y.parse().ok()?, week: w.parse().ok()? };
        week.monday().map(|_| week)
    }
}

impl std::fmt::Display for Week {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-W{:02}", self.year, self.week)
    }
}

/// Where a planned visit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum VisitStatus {
    /// 计划中
    Planned,
    /// 已拜访 (recorded)
    Done,
    /// 已取消 (with a reason)
    Cancelled,
}

impl VisitStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Done => "done",
            Self::Cancelled => "cancelled",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        [Self::Planned, Self::Done, Self::Cancelled].into_iter().find(|k| k.code() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Planned => "计划中",
            Self::Done => "已拜访",
            Self::Cancelled => "已取消",
        }
    }
}

/// What the salesperson plans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct VisitPlanDraft {
    pub customer: Option<CustomerId>,
    pub contact: Option<ContactId>,
    /// 目的, e.g. 新客户拜访、回访、技术交流、催款
    pub purpose: String,
    pub planned_at: Option<DateTime<Utc>>,
    pub notes: String,
}

/// What is written after the visit (拜访记录).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct VisitRecordDraft {
    pub visited_on: Option<NaiveDate>,
    /// 会见人员
    pub met: String,
    /// 拜访结果
    pub outcome: String,
    /// 下一步
    pub next_step: String,
    pub follow_up: Option<NaiveDate>,
}

/// Typical purposes offered in the form; any text is allowed.
pub const PURPOSES: &[&str] = &["新客户拜访", "老客户回访", "技术交流", "商务洽谈", "催收货款", "售后服务", "项目跟踪"];

impl VisitPlanDraft {
    pub fn validate(&mut self, now: DateTime<Utc>, is_new: bool) -> Vec<FieldError> {
        let mut e = Vec::new();
        self.purpose = self.purpose.trim().to_string();
        self.notes = self.notes.trim().to_string();
        if self.customer.is_none() {
            e.push(FieldError::new("customer", "请选择要拜访的客户"));
        }
        if self.purpose.is_empty() {
            e.push(FieldError::new("purpose", "请填写拜访目的"));
        }
        match self.planned_at {
            None => e.push(FieldError::new("planned_at", "请填写计划拜访时间")),
            // A plan is for the future; a visit that already happened is recorded, not planned.
            Some(t) if is_new && t.date_naive() < now.date_naive() => {
                e.push(FieldError::new("planned_at", "计划时间已过；已经完成的拜访请直接补录拜访记录"))
            }
            _ => {}
        }
        e
    }
}

/// Checks a record against its plan; returns the problems and whether it is retroactive (补录:
/// the visit took place before the plan was made).
pub fn check_record(
    r: &mut VisitRecordDraft,
    plan_created: DateTime<Utc>,
    today: NaiveDate,
) -> (Vec<FieldError>, bool) {
    let mut e = Vec::new();
    for s in [&mut r.met, &mut r.outcome, &mut r.next_step] {
        *s = s.trim().to_string();
    }
    if r.outcome.is_empty() {
        e.push(FieldError::new("outcome", "请如实记录拜访结果"));
    }
    let mut retroactive = false;
    match r.visited_on {
        None => e.push(FieldError::new("visited_on", "请填写拜访日期")),
        Some(d) if d > today => e.push(FieldError::new("visited_on", "拜访日期不能晚于今天")),
        Some(d) => {
            let created = plan_created.date_naive();
            if d < created - Duration::days(MAX_RETROACTIVE_DAYS) {
                e.push(FieldError::new(
                    "visited_on",
                    format!("拜访日期早于计划建立日 {MAX_RETROACTIVE_DAYS} 天以上，无法补录"),
                ));
            }
            retroactive = d < created;
        }
    }
    if let (Some(f), Some(d)) = (r.follow_up, r.visited_on)
        && f < d
    {
        e.push(FieldError::new("follow_up", "跟进日期不应早于拜访日期"));
    }
    (e, retroactive)
}

/// A planned visit whose time has passed without a record or a cancellation is overdue (逾期未记录).
pub fn is_overdue(status: VisitStatus, planned_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    status == VisitStatus::Planned && planned_at < now
}

/// A stored visit (plan, and record once written).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    pub id: VisitId,
    pub plan: VisitPlanDraft,
    pub customer_name: String,
    /// The customer's short name (简称), empty when it has none.
    pub customer_short: String,
    pub contact_name: String,
    pub owner: UserId,
    pub owner_name: String,
    /// 重点 (marked by the head)
    pub key: bool,
    pub status: VisitStatus,
    pub cancel_reason: String,
    pub record: Option<VisitRecordDraft>,
    pub retroactive: bool,
    pub created_at: DateTime<Utc>,
    pub version: i64,
    pub updated_at: String,
    pub updated_by: String,
}

/// For one salesperson's visits as (day, province): whether each shares its day with a visit in
/// another province — a plan the head should look at (广州 at 09:00 and 兰州 at 14:00). Visits
/// without a day or a province are never marked.
pub fn cross_province_days(visits: &[(Option<NaiveDate>, &str)]) -> Vec<bool> {
    visits
        .iter()
        .map(|(day, province)| {
            let (Some(day), p) = (day, province.trim()) else { return false };
            !p.is_empty() && visits.iter().any(|(d, q)| *d == Some(*day) && !q.trim().is_empty() && q.trim() != p)
        })
        .collect()
}

impl Visit {
    /// The customer as a calendar cell shows it: the short name when there is one.
    pub fn customer_label(&self) -> &str {
        if self.customer_short.trim().is_empty() { &self.customer_name } else { &self.customer_short }
    }

    /// Overdue at `now`: planned, its time passed, no record.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.plan.planned_at.is_some_and(|t| is_overdue(self.status, t, now))
    }
}

/// A calendar month as the month grid shows it: the Monday on or before the 1st, and how many
/// weeks (rows, Monday to Sunday) it takes to reach the month's last day.
pub fn month_grid(any_day: NaiveDate) -> Option<(NaiveDate, NaiveDate, u32)> {
    let first = any_day.with_day(1)?;
    let start = first - Duration::days(i64::from(first.weekday().num_days_from_monday()));
    let next_month = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)?
    };
    let days = (next_month - start).num_days();
    let weeks = u32::try_from((days + 6) / 7).ok()?;
    Some((first, start, weeks))
}

/// The first day of the month before (`-1`) or after (`1`) the month of `day`.
pub fn shift_month(day: NaiveDate, by: i32) -> NaiveDate {
    let months = day.year() * 12 + day.month0() as i32 + by;
    NaiveDate::from_ymd_opt(months.div_euclid(12), months.rem_euclid(12) as u32 + 1, 1).unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_provinces_on_one_day_are_marked_and_nothing_else() {
        let d = |n| NaiveDate::from_ymd_opt(2026, 12, n);
        let visits = [
            (d(7), "广东"),
            (d(7), "甘肃"),
            (d(8), "江苏"),
            (d(8), "江苏"),
            (d(9), ""),
            (d(9), "上海"),
            (None, "浙江"),
        ];
        assert_eq!(cross_province_days(&visits), [true, true, false, false, false, false, false]);
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        day(y, m, d).and_hms_opt(2, 0, 0).unwrap().and_utc()
    }

    #[test]
    fn weeks_are_iso_weeks_monday_to_sunday() {
        let w = Week::of(day(2026, 11, 27));
        assert_eq!(w.to_string(), "2026-W48");
        assert_eq!(w.days(), Some((day(2026, 11, 23), day(2026, 11, 29))));
        assert_eq!(Week::parse("2026-W48"), Some(w));
        assert_eq!(Week::parse("2026w48"), Some(w));
        assert_eq!(w.next().to_string(), "2026-W49");
        assert_eq!(Week::parse("2026-W53"), Some(Week { year: 2026, week: 53 }));
        assert_eq!(Week::parse("2025-W53"), None, "2025 has 52 ISO weeks");
        assert_eq!(Week::of(day(2027, 1, 1)).to_string(), "2026-W53");
        assert_eq!(Week::parse("W48"), None);
    }

    #[test]
    fn a_plan_needs_a_customer_a_purpose_and_a_future_time() {
        let now = at(2026, 11, 27);
        let mut p = VisitPlanDraft::default();
        let fields: Vec<String> = p.validate(now, true).into_iter().map(|e| e.field.to_string()).collect();
        assert_eq!(fields, vec!["customer", "purpose", "planned_at"]);
        p = VisitPlanDraft {
            customer: Some(CustomerId(1)),
            purpose: " 回访 ".into(),
            planned_at: Some(at(2026, 11, 26)),
            ..Default::default()
        };
        assert_eq!(p.validate(now, true)[0].field, "planned_at");
        p.planned_at = Some(at(2026, 11, 30));
        assert!(p.validate(now, true).is_empty());
        assert_eq!(p.purpose, "回访");
    }

    #[test]
    fn records_before_the_plan_are_marked_and_far_back_ones_refused() {
        let created = at(2026, 11, 20);
        let today = day(2026, 11, 27);
        let mut r = VisitRecordDraft {
            visited_on: Some(day(2026, 11, 25)),
            outcome: "谈了技术方案".into(),
            ..Default::default()
        };
        assert_eq!(check_record(&mut r, created, today), (vec![], false));
        r.visited_on = Some(day(2026, 11, 18));
        assert!(check_record(&mut r, created, today).1, "补录");
        r.visited_on = Some(day(2026, 10, 1));
        assert_eq!(check_record(&mut r, created, today).0[0].field, "visited_on");
        r.visited_on = Some(day(2026, 11, 28));
        assert_eq!(check_record(&mut r, created, today).0[0].field, "visited_on");
        let mut empty =
            VisitRecordDraft { visited_on: Some(today), follow_up: Some(day(2026, 11, 1)), ..Default::default() };
        let fields: Vec<String> =
            check_record(&mut empty, created, today).0.into_iter().map(|e| e.field.to_string()).collect();
        assert_eq!(fields, vec!["outcome", "follow_up"]);
    }

    #[test]
    fn the_month_grid_starts_on_a_monday_and_covers_the_month() {
        // November 2026 starts on a Sunday: the grid starts on Monday 26 October, six rows.
        assert_eq!(month_grid(day(2026, 11, 27)), Some((day(2026, 11, 1), day(2026, 10, 26), 6)));
        // February 2027 starts on a Monday and has exactly four weeks.
        assert_eq!(month_grid(day(2027, 2, 10)), Some((day(2027, 2, 1), day(2027, 2, 1), 4)));
        assert_eq!(month_grid(day(2026, 12, 31)).map(|g| g.2), Some(5));
        assert_eq!(shift_month(day(2026, 12, 15), 1), day(2027, 1, 1));
        assert_eq!(shift_month(day(2026, 1, 15), -1), day(2025, 12, 1));
    }

    #[test]
    fn only_a_past_planned_visit_without_record_is_overdue() {
        let now = at(2026, 11, 27);
        assert!(is_overdue(VisitStatus::Planned, at(2026, 11, 26), now));
        assert!(!is_overdue(VisitStatus::Planned, at(2026, 11, 28), now));
        assert!(!is_overdue(VisitStatus::Done, at(2026, 11, 26), now));
        assert!(!is_overdue(VisitStatus::Cancelled, at(2026, 11, 26), now));
    }
}

/// A weekly report's own part: what the salesperson writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportNotes {
    pub notes: String,
    pub next_focus: String,
    /// 0: never saved
    pub version: i64,
}
