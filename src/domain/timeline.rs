//! The customer timeline (客户往来记录): everything that happened with one customer, newest first —
//! visits, inquiries and tenders with their go / no-go decisions, quotes and bids with each
//! revision and each approval. Contracts and receipts join when they exist. Pure: built from the
//! records the service has already checked the reader may see.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::ids::{InquiryId, QuoteId, VisitId};
use crate::domain::inquiry::Inquiry;
use crate::domain::quote::{Quote, Revision, RevisionStatus};
use crate::domain::visit::{Visit, VisitStatus};

/// What an entry is about (the badge).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TimelineKind {
    /// 拜访
    Visit,
    /// 询价 or 招标 registered
    Inquiry,
    /// 参与 / 不参与 decided
    Decision,
    /// 报价 or 投标 started
    Quote,
    /// A revision (V1, V2 …) drafted or submitted
    Revision,
    /// A revision approved or rejected
    Approval,
}

impl TimelineKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Visit => "拜访",
            Self::Inquiry => "询价",
            Self::Decision => "决定",
            Self::Quote => "报价",
            Self::Revision => "版本",
            Self::Approval => "审批",
        }
    }
}

/// The record an entry opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TimelineLink {
    Visit(VisitId),
    Inquiry(InquiryId),
    Quote(QuoteId),
}

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    pub kind: TimelineKind,
    /// The badge's text when it says more than the kind (招标, 投标 …).
    pub badge: String,
    /// One line: what happened.
    pub summary: String,
    /// Who did it.
    pub by: String,
    pub link: TimelineLink,
    /// Something went against plan: a rejection, a no-go, a cancelled or overdue visit.
    pub alert: bool,
}

impl TimelineEntry {
    fn new(at: DateTime<Utc>, kind: TimelineKind, summary: String, by: &str, link: TimelineLink) -> Self {
        TimelineEntry { at, kind, badge: kind.label().to_string(), summary, by: by.to_string(), link, alert: false }
    }
}

fn visit_entry(v: &Visit, now: DateTime<Utc>) -> Option<TimelineEntry> {
    let planned = v.plan.planned_at?;
    let link = TimelineLink::Visit(v.id);
    let overdue = v.is_overdue(now);
    let (at, summary) = match (&v.record, v.status) {
        (Some(r), _) => {
            // A record carries its day; the plan's time of day keeps entries of one day in order.
            let at = r.visited_on.map(|d| d.and_time(planned.time()).and_utc()).unwrap_or(planned);
            let mut text = format!("已拜访（{}）：{}", v.plan.purpose, r.outcome);
            if v.retroactive {
                text.push_str("〔补录〕");
            }
            (at, text)
        }
        (None, VisitStatus::Cancelled) => (planned, format!("取消拜访（{}）：{}", v.plan.purpose, v.cancel_reason)),
        (None, _) => {
            let what = if overdue { "计划拜访（逾期未记录）" } else { "计划拜访" };
            let mut text = format!("{what}：{}", v.plan.purpose);
            if !v.contact_name.is_empty() {
                text.push_str(&format!("，见{}", v.contact_name));
            }
            (planned, text)
        }
    };
    let mut e = TimelineEntry::new(at, TimelineKind::Visit, summary, &v.owner_name, link);
    e.alert = overdue || v.status == VisitStatus::Cancelled;
    if v.key {
        e.badge = "重点拜访".into();
    }
    Some(e)
}

fn inquiry_entries(i: &Inquiry) -> Vec<TimelineEntry> {
    let link = TimelineLink::Inquiry(i.id);
    let mut registered = TimelineEntry::new(
        i.registered_at,
        TimelineKind::Inquiry,
        format!("{} 登记：{}", i.number, i.draft.subject),
        &i.registered_by_name,
        link,
    );
    registered.badge = i.draft.kind.label().to_string();
    let mut out = vec![registered];
    for d in &i.decisions {
        let verdict = if d.go { "决定参与".to_string() } else { format!("决定不参与：{}", d.comment) };
        let text = format!("{} {}（{}）", i.number, verdict, d.step.label());
        let mut e = TimelineEntry::new(d.at, TimelineKind::Decision, text, &d.by_name, link);
        e.alert = !d.go;
        out.push(e);
    }
    out
}

fn quote_entries(q: &Quote, revisions: &[Revision]) -> Vec<TimelineEntry> {
    let link = TimelineLink::Quote(q.id);
    let mut started = TimelineEntry::new(
        q.created_at,
        TimelineKind::Quote,
        format!("{} 开始编制：{}（{}）", q.number, q.subject, q.status.label()),
        &q.author_name,
        link,
    );
    started.badge = q.kind.label().to_string();
    let mut out = vec![started];
    for r in revisions {
        let label = q.number.revision_label(r.revision);
        let (at, what) = match r.submitted_at {
            Some(t) => (t, "提交审批"),
            None => (r.created_at, "起草"),
        };
        // V1's draft is the quote's start; later drafts and every submission are their own entry.
        if r.submitted_at.is_some() || r.revision > 1 {
            let text = format!("{label} {what}，合计 {}（{}）", r.total.yuan_display(), r.status.label());
            out.push(TimelineEntry::new(at, TimelineKind::Revision, text, &r.author_name, link));
        }
        for a in &r.approvals {
            let verdict = if a.approved { "批准" } else { "驳回" };
            let mut text = format!("{label} {}{verdict}", a.step.label());
            if !a.comment.is_empty() {
                text.push_str(&format!("：{}", a.comment));
            }
            if r.status == RevisionStatus::Superseded && a.approved {
                text.push_str("（该版本已作废）");
            }
            let mut e = TimelineEntry::new(a.at, TimelineKind::Approval, text, &a.by_name, link);
            e.alert = !a.approved;
            out.push(e);
        }
    }
    out
}

/// The timeline of one customer from the records the reader may see, newest first (`now` tells
/// which planned visits are overdue).
pub fn build(
    visits: &[Visit],
    inquiries: &[Inquiry],
    quotes: &[(Quote, Vec<Revision>)],
    now: DateTime<Utc>,
) -> Vec<TimelineEntry> {
    let mut out: Vec<TimelineEntry> = visits.iter().filter_map(|v| visit_entry(v, now)).collect();
    out.extend(inquiries.iter().flat_map(inquiry_entries));
    out.extend(quotes.iter().flat_map(|(q, r)| quote_entries(q, r)));
    // Newest first; within one moment, the later step of a story first (an approval after its
    // submission).
    out.sort_by(|a, b| b.at.cmp(&a.at).then(rank(b.kind).cmp(&rank(a.kind))));
    out
}

fn rank(k: TimelineKind) -> u8 {
    match k {
        TimelineKind::Visit => 0,
        TimelineKind::Inquiry => 1,
        TimelineKind::Decision => 2,
        TimelineKind::Quote => 3,
        TimelineKind::Revision => 4,
        TimelineKind::Approval => 5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::{CustomerId, UserId};
    use crate::domain::visit::{VisitPlanDraft, VisitRecordDraft};
    use chrono::{NaiveDate, TimeZone};

    fn visit(id: i64, day: u32, recorded: bool) -> Visit {
        let planned = Utc.with_ymd_and_hms(2026, 11, day, 2, 0, 0).single().unwrap();
        Visit {
            id: VisitId(id),
            plan: VisitPlanDraft {
                customer: Some(CustomerId(1)),
                purpose: "老客户回访".into(),
                planned_at: Some(planned),
                ..Default::default()
            },
            customer_name: "江苏华能电力设备有限公司".into(),
            customer_short: "华能".into(),
            contact_name: "张伟".into(),
            owner: UserId(3),
            owner_name: "李强".into(),
            key: id == 2,
            status: if recorded { VisitStatus::Done } else { VisitStatus::Planned },
            cancel_reason: String::new(),
            record: recorded.then(|| VisitRecordDraft {
                visited_on: NaiveDate::from_ymd_opt(2026, 11, day - 1),
                outcome: "客户有意向".into(),
                ..Default::default()
            }),
            retroactive: false,
            created_at: planned,
            version: 1,
            updated_at: String::new(),
            updated_by: String::new(),
        }
    }

    #[test]
    fn visits_are_newest_first_dated_by_their_record() {
        let now = Utc.with_ymd_and_hms(2026, 11, 15, 2, 0, 0).single().unwrap();
        let list = build(&[visit(1, 10, true), visit(2, 20, false), visit(3, 12, false)], &[], &[], now);
        assert_eq!(list.len(), 3);
        assert!(list[1].summary.starts_with("计划拜访（逾期未记录）") && list[1].alert, "{:?}", list[1]);
        let list: Vec<TimelineEntry> = list.into_iter().filter(|e| e.link != TimelineLink::Visit(VisitId(3))).collect();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].link, TimelineLink::Visit(VisitId(2)));
        assert_eq!(list[0].badge, "重点拜访");
        assert!(list[0].summary.starts_with("计划拜访：老客户回访"), "{}", list[0].summary);
        assert_eq!(list[1].at.date_naive(), NaiveDate::from_ymd_opt(2026, 11, 9).unwrap(), "the day visited");
        assert!(list[1].summary.contains("客户有意向"));
        assert_eq!(list[1].by, "李强");
    }
}
