//! 我的待办: what waits for *this* person, by role (procedure (1)–(3) and DESIGN §2), gathered from
//! the records themselves — never from the audit log, which not everyone may read. An item that
//! asks for an action leaves when the action is done; an item that tells an outcome (a go, an
//! approval, a refusal) leaves when its person opened it from here; any item may be dismissed. A
//! dismissed or opened item comes back when its record changes again (each item carries a stamp
//! of what it showed). What each person put aside is kept per user in the settings table.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, Utc, Weekday};
use serde::{Deserialize, Serialize};

use super::{Actor, Service, ServiceError, current_user};
use crate::domain::certificate::Expiry;
use crate::domain::ids::{CertificateId, ContractId, InquiryId, QuoteId, RevisionId, UserId, VisitId};
use crate::domain::inquiry::{InquiryKind, InquiryStatus};
use crate::domain::quote::{QuoteStatus, RevisionStatus};
use crate::domain::role::{Permission, Role};
use crate::domain::visit::Week;

/// How long an outcome (a decision on your inquiry, on your revision) stays in 待办 unopened.
pub const OUTCOME_DAYS: i64 = 14;
/// Tenders due within this many days whose bond is not paid.
pub const BOND_DAYS: i64 = 3;
/// Certificates lapsing within this many days.
pub const CERTIFICATE_DAYS: i64 = 30;
/// Phone answers not registered as an inquiry, looked back this far.
pub const PHONE_DAYS: i64 = 7;

/// What an item asks for (its group in 我的待办).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WorkKind {
    /// 决定是否参与 (head; leader for a major one)
    Decide,
    /// 审批报价/投标 (and the change confirmations of a revision after issue)
    Approve,
    /// 确认合同
    ConfirmContract,
    /// 用印发出 an approved revision (the assistant)
    Issue,
    /// 登记电话询价 (the assistant)
    RegisterPhone,
    /// 确认现金上交 (assistant, head)
    ConfirmHandIn,
    /// 投标保证金未缴 with the deadline close (head, the bid's author)
    BondUnpaid,
    /// 技术评审 (tech)
    TechReview,
    /// 补记拜访 (overdue visits)
    RecordVisit,
    /// 下周拜访计划 not made (from Thursday)
    PlanNextWeek,
    /// 催收 overdue money (the salesperson)
    Chase,
    /// 上交现金 collected in the field (the salesperson)
    HandIn,
    /// 已决定 an inquiry you registered (told once)
    Decided,
    /// 已批准 / 已驳回 a revision you wrote (told once)
    Reviewed,
    /// 锁定的账号 (admin)
    LockedUser,
    /// 证书即将到期 (admin)
    Certificate,
}

impl WorkKind {
    /// The heading of its group.
    pub fn label(self) -> &'static str {
        match self {
            WorkKind::Decide => "待我决定是否参与",
            WorkKind::Approve => "待我审批",
            WorkKind::ConfirmContract => "待我确认的合同",
            WorkKind::Issue => "待用印发出",
            WorkKind::RegisterPhone => "电话询价待登记",
            WorkKind::ConfirmHandIn => "待确认上交的现金",
            WorkKind::BondUnpaid => "投标保证金未缴",
            WorkKind::TechReview => "待我技术评审",
            WorkKind::RecordVisit => "拜访待记录",
            WorkKind::PlanNextWeek => "下周拜访计划",
            WorkKind::Chase => "逾期应收待催收",
            WorkKind::HandIn => "在外收款待上交",
            WorkKind::Decided => "询价已有决定",
            WorkKind::Reviewed => "报价已审批",
            WorkKind::LockedUser => "被锁定的账号",
            WorkKind::Certificate => "即将到期的证书",
        }
    }

    /// An outcome is told once: it leaves when opened from 我的待办.
    pub fn is_outcome(self) -> bool {
        matches!(self, WorkKind::Decided | WorkKind::Reviewed)
    }
}

/// Where an item opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkTarget {
    Inquiry(InquiryId),
    Quote(QuoteId),
    /// A revision to approve (opens in 审批).
    Approval(QuoteId, RevisionId),
    Contract(ContractId),
    Visit(VisitId),
    /// 拜访计划, next week
    NextWeek,
    /// 应收账款
    Receivables,
    PhoneDesk,
    User(UserId),
    Certificate(CertificateId),
}

/// One thing waiting for the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkItem {
    /// `approve:17` — what it is about (one per record and kind).
    pub key: String,
    pub kind: WorkKind,
    /// `BJ-2026-0026 V1 10kV配电工程设备`
    pub title: String,
    /// `华东电力设计院 · ¥1,234,000.00 · 重大`
    pub detail: String,
    /// When it arrived (for the order, newest first within a group), if known.
    pub at: Option<DateTime<Utc>>,
    pub target: WorkTarget,
    /// What it showed: when the record changes, the stamp changes and a dismissed item returns.
    pub stamp: String,
    /// Red: overdue, a deadline close.
    pub urgent: bool,
}

/// What a person put aside: item key → the stamp it had then.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
struct PutAside {
    items: BTreeMap<String, String>,
}

fn setting_key(user: UserId) -> String {
    format!("work_aside.{}", user.0)
}

impl Service {
    /// 我的待办: every item waiting for the actor, grouped by kind (in [`WorkKind`] order), the
    /// newest first within a group; what they dismissed or opened is left out until it changes.
    pub fn my_work(&mut self, actor: &Actor) -> Result<Vec<WorkItem>, ServiceError> {
        let mut items = self.gather_work(actor)?;
        let aside: PutAside = self
            .store
            .read(|tx| -> Result<PutAside, ServiceError> { Ok(tx.setting(&setting_key(actor.id()))?.value) })?;
        items.retain(|i| aside.items.get(&i.key) != Some(&i.stamp));
        items.sort_by(|a, b| a.kind.cmp(&b.kind).then(b.urgent.cmp(&a.urgent)).then(b.at.cmp(&a.at)));
        Ok(items)
    }

    /// Puts an item aside (dismissed, or an outcome opened) as it is now: it comes back when its
    /// record changes. Entries for items no longer waiting are dropped at the same time.
    pub fn put_work_aside(&mut self, actor: &Actor, key: &str, stamp: &str) -> Result<(), ServiceError> {
        let current: Vec<String> = self.gather_work(actor)?.into_iter().map(|i| i.key).collect();
        let now = self.now();
        let (key, stamp) = (key.to_string(), stamp.to_string());
        self.store.write_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let name = setting_key(user.id);
            let mut aside = tx.setting::<PutAside>(&name)?;
            aside.value.items.retain(|k, _| current.contains(k));
            aside.value.items.insert(key, stamp);
            tx.put_setting(&name, &aside.value, aside.version, now, &actor.audit_name())?;
            Ok(())
        })
    }

    /// Everything waiting, before what was put aside is taken out.
    fn gather_work(&mut self, actor: &Actor) -> Result<Vec<WorkItem>, ServiceError> {
        let now = self.now();
        let today = self.today();
        let user = self.store.read_as(actor.login(), |tx| current_user(tx, actor))?;
        let roles = user.roles.clone();
        let mut out = Vec::new();

        if roles.allows(Permission::DecideGoNoGo) {
            for i in self.decision_inbox(actor)? {
                let s = &i.summary;
                let mut detail = vec![s.customer_name.clone(), s.kind.label().to_string()];
                if let Some(d) = s.deadline {
                    detail.push(format!("截止 {}", crate::domain::dates::cn_date_time(d)));
                }
                if s.major {
                    detail.push("重大".into());
                }
                out.push(WorkItem {
                    key: format!("decide:{}", s.id.0),
                    kind: WorkKind::Decide,
                    title: format!("{} {}", s.number, s.subject),
                    detail: detail.join(" · "),
                    at: Some(s.registered_at),
                    target: WorkTarget::Inquiry(s.id),
                    stamp: s.decisions.len().to_string(),
                    urgent: s.deadline.is_some_and(|d| d - now <= Duration::days(BOND_DAYS)),
                });
            }
        }
        if roles.allows(Permission::Approve) {
            for a in self.approval_inbox(actor)? {
                let (q, r) = (&a.quote, &a.revision);
                let after_issue = matches!(q.status, QuoteStatus::Issued | QuoteStatus::Negotiating);
                let what = if after_issue { "变更待确认" } else { "待审批" };
                let mut detail = vec![q.customer_name.clone(), q.author_name.clone(), what.to_string()];
                if r.major {
                    detail.push("重大".into());
                }
                out.push(WorkItem {
                    key: format!("approve:{}", r.id.0),
                    kind: WorkKind::Approve,
                    title: format!("{} {}", q.number.revision_label(r.revision), q.subject),
                    detail: detail.join(" · "),
                    at: r.submitted_at,
                    target: WorkTarget::Approval(q.id, r.id),
                    stamp: format!("{}:{}", r.content_hash, r.approvals.len()),
                    urgent: false,
                });
            }
            for id in self.contracts_awaiting(actor)? {
                let v = self.contract(actor, id)?;
                let c = &v.ledger.contract;
                out.push(WorkItem {
                    key: format!("contract:{}", id.0),
                    kind: WorkKind::ConfirmContract,
                    title: format!("{} {}", c.number, c.subject),
                    detail: format!("{} · {} · {}", c.customer_name, c.salesperson_name, c.total.yuan_display()),
                    at: Some(c.created_at),
                    target: WorkTarget::Contract(id),
                    stamp: format!("{}:{}", c.content_hash, c.approvals.len()),
                    urgent: false,
                });
            }
        }
        // The quotes, read once: revisions to issue, and who wrote the bids of tenders due soon.
        let bond_watch = roles.contains(Role::Head) || roles.allows(Permission::BuildQuote);
        let quotes =
            if roles.allows(Permission::IssueDocument) || bond_watch { self.quotes(actor)? } else { Vec::new() };
        if roles.allows(Permission::IssueDocument) {
            let issued: std::collections::HashSet<(QuoteId, u32)> = self
                .issued_documents(actor)?
                .into_iter()
                .filter(|e| e.contract.is_none())
                .map(|e| (e.quote, e.revision))
                .collect();
            for s in &quotes {
                let q = &s.quote;
                let open = !matches!(q.status, QuoteStatus::Won | QuoteStatus::Lost | QuoteStatus::Expired);
                if open && s.revision_status == RevisionStatus::Approved && !issued.contains(&(q.id, s.revision)) {
                    out.push(WorkItem {
                        key: format!("issue:{}:{}", q.id.0, s.revision),
                        kind: WorkKind::Issue,
                        title: format!("{} {}", q.number.revision_label(s.revision), q.subject),
                        detail: format!("{} · {} · {}", q.customer_name, q.kind.doc_title(), s.total.yuan_display()),
                        at: Some(q.created_at),
                        target: WorkTarget::Quote(q.id),
                        stamp: s.revision.to_string(),
                        urgent: false,
                    });
                }
            }
        }
        if roles.allows(Permission::AnswerPhoneInquiry) {
            let since = now - Duration::days(PHONE_DAYS);
            let calls = self.store.read_as(actor.login(), |tx| -> Result<_, ServiceError> {
                let mut calls: Vec<(DateTime<Utc>, String, usize)> = Vec::new();
                for (at, customer, _) in tx.unlinked_phone_answers(user.id, since)? {
                    let name = match customer {
                        Some(c) => tx.customer(c)?.draft.name,
                        None => "未建档客户".to_string(),
                    };
                    // One call: the same customer within half an hour.
                    match calls.last_mut() {
                        Some(last) if last.1 == name && at - last.0 <= Duration::minutes(30) => last.2 += 1,
                        _ => calls.push((at, name, 1)),
                    }
                }
                Ok(calls)
            })?;
            for (at, name, n) in calls {
                out.push(WorkItem {
                    key: format!("phone:{}", at.timestamp()),
                    kind: WorkKind::RegisterPhone,
                    title: format!("{name} 电话询价（{n} 个产品）"),
                    detail: format!("{} 答复，尚未登记为询价", crate::domain::dates::cn_date_time(at)),
                    at: Some(at),
                    target: WorkTarget::PhoneDesk,
                    stamp: n.to_string(),
                    urgent: false,
                });
            }
        }
        let may_see_money = roles.allows(Permission::ManageContracts)
            || [Role::Head, Role::Leader, Role::Assistant, Role::Admin].into_iter().any(|r| roles.contains(r));
        if may_see_money {
            let r = self.receivables(actor)?;
            let confirms = roles.allows(Permission::ReceiveHandIn);
            for h in &r.hand_ins {
                let collected_by_me = h.collected_by == user.display_name;
                if !(confirms || collected_by_me) {
                    continue;
                }
                out.push(WorkItem {
                    key: format!("handin:{}", h.receipt),
                    kind: if confirms && !collected_by_me { WorkKind::ConfirmHandIn } else { WorkKind::HandIn },
                    title: format!("{} {} 现金 {}", h.number, h.customer, h.amount.yuan_display()),
                    detail: format!("{} 于 {} 收取 · {}", h.collected_by, h.date, h.status.label()),
                    at: None,
                    target: WorkTarget::Contract(h.contract),
                    stamp: h.version.to_string(),
                    urgent: matches!(h.status, crate::domain::receivable::HandIn::Overdue { .. }),
                });
            }
            for c in r.chase.iter().filter(|c| c.salesperson == user.id) {
                out.push(WorkItem {
                    key: format!("chase:{}:{}", c.contract.0, c.installment),
                    kind: WorkKind::Chase,
                    title: format!("{} {} {}", c.number, c.customer, c.installment),
                    detail: format!(
                        "未收 {} · 逾期 {} 天 · {} {}",
                        c.outstanding.yuan_display(),
                        c.days_overdue,
                        c.contact,
                        c.phone
                    ),
                    at: None,
                    target: WorkTarget::Contract(c.contract),
                    stamp: c.outstanding.to_string(),
                    urgent: c.days_overdue > 30,
                });
            }
        }
        if roles.allows(Permission::AnswerTechReview) {
            for (q, t) in self.open_tech_reviews(actor)? {
                out.push(WorkItem {
                    key: format!("tech:{}", t.id),
                    kind: WorkKind::TechReview,
                    title: format!("{} {}", q.number, q.subject),
                    detail: format!("{} · {} 提出：{}", q.customer_name, t.requested_by, t.question),
                    at: Some(t.requested_at),
                    target: WorkTarget::Quote(q.id),
                    stamp: t.id.to_string(),
                    urgent: false,
                });
            }
        }
        if roles.allows(Permission::OwnCustomers) {
            for v in self.overdue_visits(actor)?.into_iter().filter(|v| v.owner == user.id) {
                out.push(WorkItem {
                    key: format!("visit:{}", v.id.0),
                    kind: WorkKind::RecordVisit,
                    title: format!("{} {}", v.customer_name, v.plan.purpose),
                    detail: v
                        .plan
                        .planned_at
                        .map(|t| format!("计划于 {}，尚未记录", crate::domain::dates::cn_date_time(t)))
                        .unwrap_or_default(),
                    at: v.plan.planned_at,
                    target: WorkTarget::Visit(v.id),
                    stamp: v.version.to_string(),
                    urgent: true,
                });
            }
            // From Thursday: next week's plan for the Saturday meeting.
            let weekday = today.weekday();
            if matches!(weekday, Weekday::Thu | Weekday::Fri | Weekday::Sat) {
                let next = Week::of(today).next();
                let plan = self.weekly_plan(actor, next)?;
                let mine = plan
                    .people
                    .iter()
                    .filter(|(_, visits)| visits.iter().any(|v| v.owner == user.id))
                    .map(|(_, v)| v.len())
                    .sum::<usize>();
                if mine == 0 {
                    out.push(WorkItem {
                        key: format!("plan:{next}"),
                        kind: WorkKind::PlanNextWeek,
                        title: format!("{next} 拜访计划还没有安排"),
                        detail: "周六例会前请安排下周的拜访".into(),
                        at: None,
                        target: WorkTarget::NextWeek,
                        stamp: next.to_string(),
                        urgent: weekday == Weekday::Sat,
                    });
                }
            }
            // Outcomes on what this person registered or wrote, told once.
            let since = now - Duration::days(OUTCOME_DAYS);
            // The latest decision on each inquiry this person registered or whose customer is
            // theirs (a major one has the head's and a leader's).
            let mut latest: BTreeMap<
                InquiryId,
                (crate::domain::inquiry::InquirySummary, crate::domain::inquiry::Decision),
            > = BTreeMap::new();
            for s in self.inquiries(actor, &Default::default())? {
                if s.registered_by != user.id && s.customer_owner != Some(user.id) {
                    continue;
                }
                let newest =
                    s.decisions.iter().filter(|d| d.at > since && d.by != user.id).max_by_key(|d| d.at).cloned();
                if let Some(d) = newest {
                    latest.insert(s.id, (s, d));
                }
            }
            for (s, d) in latest.into_values() {
                let verdict = if d.go { "参与".to_string() } else { format!("不参与（{}）", d.comment) };
                let more = if d.go && s.status == InquiryStatus::Registered { "，待公司领导决定" } else { "" };
                out.push(WorkItem {
                    key: format!("decided:{}", s.id.0),
                    kind: WorkKind::Decided,
                    title: format!("{} {}", s.number, s.subject),
                    detail: format!("{} 决定：{verdict}{more}", d.by_name),
                    at: Some(d.at),
                    target: WorkTarget::Inquiry(s.id),
                    stamp: format!("{}", d.at.timestamp()),
                    urgent: false,
                });
            }
            for (q, r) in self.quote_decisions_since(actor, since)? {
                let Some(a) = r.approvals.last() else { continue };
                let detail = match (a.approved, r.status) {
                    (false, _) => format!("{} 驳回：{}", a.by_name, a.comment),
                    (true, RevisionStatus::Approved) => format!("{} 已批准，可以用印发出", a.by_name),
                    (true, _) => format!("{} 已批准，等待公司领导审批", a.by_name),
                };
                out.push(WorkItem {
                    key: format!("reviewed:{}", r.id.0),
                    kind: WorkKind::Reviewed,
                    title: format!("{} {}", q.number.revision_label(r.revision), q.subject),
                    detail,
                    at: Some(a.at),
                    target: WorkTarget::Quote(q.id),
                    stamp: format!("{}", a.at.timestamp()),
                    urgent: !a.approved,
                });
            }
        }
        // Tenders due soon whose bond is not paid: the head, and the bid's author.
        if bond_watch {
            let filter = super::InquiryFilter {
                kind: Some(InquiryKind::Tender),
                deadline_within_days: Some(BOND_DAYS),
                ..Default::default()
            };
            let authors: BTreeMap<InquiryId, UserId> =
                quotes.iter().filter_map(|s| s.quote.inquiry.map(|i| (i, s.quote.author))).collect();
            for s in self.inquiries(actor, &filter)? {
                if !matches!(s.status, InquiryStatus::Go) {
                    continue;
                }
                let mine = roles.contains(Role::Head) || authors.get(&s.id) == Some(&user.id);
                if !mine {
                    continue;
                }
                let i = self.inquiry(actor, s.id)?;
                let tender = &i.draft.tender;
                if tender.bond.is_none_or(|b| b.is_zero()) || tender.bond_paid {
                    continue;
                }
                out.push(WorkItem {
                    key: format!("bond:{}", s.id.0),
                    kind: WorkKind::BondUnpaid,
                    title: format!("{} {}", s.number, s.subject),
                    detail: format!(
                        "截止 {}，保证金尚未缴纳",
                        s.deadline.map(crate::domain::dates::cn_date_time).unwrap_or_default()
                    ),
                    at: s.deadline,
                    target: WorkTarget::Inquiry(s.id),
                    stamp: i.version.to_string(),
                    urgent: true,
                });
            }
        }
        if roles.allows(Permission::ManageUsers) {
            for u in self.list_users(actor)? {
                if u.active && u.locked_until.is_some_and(|t| t > now) {
                    out.push(WorkItem {
                        key: format!("locked:{}", u.id.0),
                        kind: WorkKind::LockedUser,
                        title: format!("{}（{}）", u.display_name, u.login),
                        detail: format!(
                            "连续输错密码，锁定到 {}",
                            u.locked_until.map(crate::domain::dates::cn_date_time).unwrap_or_default()
                        ),
                        at: u.locked_until,
                        target: WorkTarget::User(u.id),
                        stamp: u.locked_until.map(|t| t.timestamp().to_string()).unwrap_or_default(),
                        urgent: false,
                    });
                }
            }
        }
        if roles.allows(Permission::ManageCertificates) {
            for c in self.certificates(actor)?.into_iter().filter(|c| c.active) {
                let days = match c.draft.expiry(today) {
                    Expiry::Soon(d) if d <= CERTIFICATE_DAYS => d,
                    Expiry::Expired(_) => -1,
                    _ => continue,
                };
                out.push(WorkItem {
                    key: format!("certificate:{}", c.id.0),
                    kind: WorkKind::Certificate,
                    title: format!("{} {}", c.draft.kind, c.draft.name),
                    detail: if days < 0 {
                        format!("已过期（{}），请更新或停用", c.draft.valid_until_text())
                    } else {
                        format!("{days} 天后到期（{}）", c.draft.valid_until_text())
                    },
                    at: None,
                    target: WorkTarget::Certificate(c.id),
                    stamp: c.version.to_string(),
                    urgent: days < 7,
                });
            }
        }
        Ok(out)
    }
}
