//! The demo office's visits (拜访计划与记录): a year of them for every salesperson, up to the demo's
//! "today" and on into next week, told through the real use cases at the moments they happen —
//! each week's plans made on the Friday before (some added during the week), the head marking
//! key ones (重点) at the Saturday meeting, each visit recorded that evening or cancelled with a reason, a few recorded
//! afterwards without a plan (补录), the last weeks' unrecorded ones left overdue, and weekly
//! report notes for the recent weeks. Deterministic for a given day: a seeded [`Rng`] per
//! salesperson, everything placed relative to "now".

use std::sync::Arc;

use chrono::{DateTime, Duration, Local, NaiveDate, TimeZone, Utc};

use super::data::Rng;
use crate::domain::customer::Customer;
use crate::domain::role::Role;
use crate::domain::visit::{PURPOSES, VisitPlanDraft, VisitRecordDraft, Week};
use crate::service::{Actor, Service, ServiceError};

/// How many weeks back the demo's visits go.
const WEEKS: i64 = 52;
/// Unrecorded visits of the last this many days stay overdue; older ones were all dealt with.
const OVERDUE_DAYS: i64 = 18;
/// Weekly report notes are written for this many recent weeks.
const REPORT_WEEKS: i64 = 8;
const SEED: u64 = 0x5A1E_5DE5_2026_0008;

const OUTCOMES: &[&str] = &[
    "介绍了SCB13干式变压器新品，客户对二级能效指标感兴趣，索要样本",
    "客户反映去年供货的开关柜运行正常，明年厂区有扩建计划",
    "与设备部讨论10kV配电房改造方案，需要技术部配合出一次系统图",
    "催收上批货款，财务答应月底前先付30%",
    "客户正在编明年预算，邀请我们参加技术交流会",
    "竞争对手报价低约8%，客户希望我们在交货期上给出优势",
    "了解到项目将公开招标，已请客户告知招标公告发布时间",
    "现场查看箱变安装条件，确认了基础尺寸和进线方向",
    "客户更换了采购负责人，重新建立了联系并递交资质文件",
    "对方近期暂无需求，保持联系，节后再访",
    "处理了环网柜带电显示器告警，客户对售后响应满意",
    "客户确认了技改项目的设备清单，要求下周报价",
];

const NEXT_STEPS: &[&str] = &[
    "寄送样本和参考报价",
    "安排技术部上门交流",
    "提交技术方案和一次系统图",
    "跟进招标公告",
    "下周电话回访",
    "准备报价单，报销售部负责人审批",
    "协调发货时间",
    "请财务开具发票",
];

const CANCEL_REASONS: &[&str] = &[
    "客户临时出差，约定改期",
    "对方开会，改为下周再见",
    "台风预警，暂停外出",
    "与投标开标时间冲突",
    "客户要求改为电话沟通",
];

const FOCUS: &[&str] = &[
    "跟进本周提出需求的客户，尽快报价",
    "催收到期货款，落实付款时间",
    "准备下周技术交流的资料，约技术部同去",
    "关注两个招标项目的公告，提前准备资质文件",
    "回访上月供货的客户，了解设备运行情况",
];

/// A local time on `day`, in UTC.
fn at(day: NaiveDate, hour: u32, minute: u32) -> Option<DateTime<Utc>> {
    let naive = day.and_hms_opt(hour, minute, 0)?;
    Local.from_local_datetime(&naive).earliest().map(|t| t.with_timezone(&Utc))
}

/// One salesperson, the customers they visit, and their random sequence.
struct Rep {
    actor: Actor,
    customers: Vec<Customer>,
    rng: Rng,
}

impl Rep {
    fn customer(&mut self) -> Customer {
        self.rng.pick(&self.customers).clone()
    }

    /// A plan to see one of the customers at `when`, and the name of the contact to meet.
    fn plan(&mut self, when: DateTime<Utc>) -> (VisitPlanDraft, String) {
        let c = self.customer();
        let contact = c.draft.contacts.iter().find(|k| k.primary).or(c.draft.contacts.first());
        let purpose = self.rng.pick(PURPOSES).to_string();
        let notes = if self.rng.percent(20) { "带产品样本和业绩表".to_string() } else { String::new() };
        let plan = VisitPlanDraft {
            customer: Some(c.id),
            contact: contact.and_then(|k| k.id),
            purpose,
            planned_at: Some(when),
            notes,
        };
        (plan, contact.map(|k| k.name.clone()).unwrap_or_default())
    }

    fn record(&mut self, contact: &str, day: NaiveDate) -> VisitRecordDraft {
        let met = if contact.is_empty() { "设备部负责人".to_string() } else { contact.to_string() };
        let follow = self.rng.percent(60).then(|| day + Duration::days(self.rng.range(5, 21) as i64));
        VisitRecordDraft {
            visited_on: Some(day),
            met,
            outcome: self.rng.pick(OUTCOMES).to_string(),
            next_step: self.rng.pick(NEXT_STEPS).to_string(),
            follow_up: follow,
        }
    }
}

impl Service {
    /// Runs `f` with "now" standing at `t` (the demo acts at the moment each step happened).
    pub(super) fn at_moment<T>(
        &mut self,
        t: DateTime<Utc>,
        f: impl FnOnce(&mut Service) -> Result<T, ServiceError>,
    ) -> Result<T, ServiceError> {
        let real = Arc::clone(&self.clock);
        self.clock = Arc::new(move || t);
        let r = f(self);
        self.clock = real;
        r
    }

    pub(super) fn create_demo_visits(&mut self) -> Result<usize, ServiceError> {
        let now = self.now();
        let users = self.store.read(|tx| Ok::<_, ServiceError>(tx.list_users()?))?;
        let customers = self.store.read(|tx| Ok::<_, ServiceError>(tx.customer_summaries()?))?;
        let heads: Vec<Actor> =
            users.iter().filter(|u| u.active && u.roles.contains(Role::Head)).map(Actor::from_row).collect();
        let mut reps = Vec::new();
        for (n, u) in users.iter().filter(|u| u.active && u.roles.contains(Role::Sales)).enumerate() {
            let mine: Vec<_> = customers.iter().filter(|(c, _)| c.owner == Some(u.id)).take(24).collect();
            let full = self.store.read(|tx| {
                mine.iter().map(|(c, _)| tx.customer(c.id)).collect::<Result<Vec<_>, _>>().map_err(ServiceError::from)
            })?;
            if !full.is_empty() {
                reps.push(Rep { actor: Actor::from_row(u), customers: full, rng: Rng::new(SEED + n as u64) });
            }
        }
        if heads.is_empty() || reps.is_empty() {
            return Ok(0);
        }
        let this_week = Week::of(now.with_timezone(&Local).date_naive());
        let mut week = this_week;
        for _ in 0..WEEKS {
            week = week.previous();
        }
        let mut made = 0;
        // Week by week, in the order things happened (the audit log reads like the year went).
        while week <= this_week.next() {
            for (i, rep) in reps.iter_mut().enumerate() {
                let head = &heads[i % heads.len()];
                made += self.demo_week(rep, head, week, now)?;
            }
            week = week.next();
        }
        Ok(made)
    }

    /// One salesperson's week: plans, key marks, records, cancellations, a 补录, report notes.
    fn demo_week(
        &mut self,
        rep: &mut Rep,
        head: &Actor,
        week: Week,
        now: DateTime<Utc>,
    ) -> Result<usize, ServiceError> {
        let Some(mon) = week.monday() else { return Ok(0) };
        let (friday_before, saturday_before) = (mon - Duration::days(3), mon - Duration::days(2));
        let count = rep.rng.range(2, 5);
        let mut plans = Vec::new();
        for _ in 0..count {
            let day = mon + Duration::days(rep.rng.range(0, 4) as i64);
            let (hour, minute) = *rep.rng.pick(&[(9, 0), (9, 30), (10, 0), (14, 0), (14, 30), (15, 30)]);
            let Some(when) = at(day, hour, minute) else { continue };
            // Most are planned on Friday for the Saturday meeting; some are added during the week.
            let made_on = if rep.rng.percent(80) { friday_before } else { day - Duration::days(1) };
            let Some(created) = at(made_on, 17, rep.rng.range(0, 50) as u32) else { continue };
            let created = created.min(now);
            if when <= created {
                continue;
            }
            let (draft, _) = rep.plan(when);
            let actor = rep.actor.clone();
            let v = self.at_moment(created, |s| s.plan_visit(&actor, draft))?;
            plans.push(v);
        }
        plans.sort_by_key(|v| v.plan.planned_at);
        // The head marks about one in four as key at the Saturday meeting.
        if let Some(meeting) = at(saturday_before, 10, 0).map(|t| t.min(now)) {
            for v in plans.iter_mut() {
                if rep.rng.percent(25) && v.created_at <= meeting {
                    let (id, version) = (v.id, v.version);
                    *v = self.at_moment(meeting, |s| s.mark_key_visit(head, id, version, true))?;
                }
            }
        }
        let actor = rep.actor.clone();
        for v in &plans {
            let Some(when) = v.plan.planned_at else { continue };
            let day = when.with_timezone(&Local).date_naive();
            let roll = rep.rng.below(100);
            // Cancelled the afternoon before (or soon after a late plan), while still ahead.
            let cancel_at = at(day - Duration::days(1), 16, 0).map(|t| t.max(v.created_at + Duration::minutes(30)));
            if roll < 8
                && let Some(t) = cancel_at.filter(|t| *t < when && *t <= now)
            {
                let reason = rep.rng.pick(CANCEL_REASONS).to_string();
                let (id, version) = (v.id, v.version);
                self.at_moment(t, |s| s.cancel_visit(&actor, id, version, &reason))?;
                continue;
            }
            let Some(evening) = at(day, 19, rep.rng.range(0, 59) as u32) else { continue };
            let recent = now - when < Duration::days(OVERDUE_DAYS);
            if evening > now || (recent && roll < 30) {
                continue; // not happened yet, or left overdue
            }
            let record = rep.record(&v.contact_name, day);
            let (id, version) = (v.id, v.version);
            self.at_moment(evening, |s| s.record_visit(&actor, id, version, record))?;
        }
        let mut made = plans.len();
        // About one week in three, a visit nobody planned, written up a day or two later (补录).
        if rep.rng.percent(35) {
            let day = mon + Duration::days(rep.rng.range(0, 4) as i64);
            if let Some(t) = at(day + Duration::days(rep.rng.range(1, 2) as i64), 18, 30).filter(|t| *t <= now) {
                let (plan, contact) = rep.plan(t);
                let plan = VisitPlanDraft { notes: "路过顺访".into(), ..plan };
                let record = rep.record(&contact, day);
                self.at_moment(t, |s| s.record_unplanned_visit(&actor, plan, record))?;
                made += 1;
            }
        }
        // The weekly report, written on Saturday morning for the recent weeks.
        let saturday = mon + Duration::days(5);
        if let Some(t) = at(saturday, 8, 30).filter(|t| *t <= now && now - *t < Duration::weeks(REPORT_WEEKS)) {
            let done = plans.iter().filter(|v| v.plan.planned_at.is_some_and(|w| w < t)).count();
            let focus = rep.rng.pick(FOCUS).to_string();
            let notes = format!(
                "本周计划拜访{}家次，{}。{}",
                plans.len(),
                if done == plans.len() { "均已按计划拜访" } else { "个别拜访因客户原因改期" },
                rep.rng.pick(OUTCOMES)
            );
            self.at_moment(t, |s| s.save_report_notes(&actor, week, 0, &notes, &focus))?;
        }
        Ok(made)
    }
}
