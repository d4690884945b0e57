//! The demo's quotes after issue, told through the real use cases at the moments they happen:
//! negotiation rounds logged by the salesperson, a revision after issue whose changes the head
//! confirms one by one and which is issued again, won and lost with reasons and competitors, one
//! still in negotiation with a revised offer waiting for the head, and one left unanswered past
//! its validity (the expiry run at the end of the demo marks it).

use chrono::{DateTime, Duration, Local, NaiveDate, Utc};
use rust_decimal::Decimal;

use crate::domain::changes::ChangeDecision;
use crate::domain::ids::QuoteId;
use crate::domain::money::{Discount, Money};
use crate::domain::negotiation::{OutcomeDraft, RoundDraft};
use crate::domain::quote::{QuoteStatus, RevisionContent, RevisionStatus};
use crate::service::{Actor, Service, ServiceError};

/// The people of one story.
pub(super) struct Cast<'a> {
    pub author: &'a Actor,
    pub head: &'a Actor,
    pub leader: &'a Actor,
    pub assistant: &'a Actor,
}

fn day(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&Local).date_naive()
}

/// `pct` more points of discount on every line.
fn deeper(content: &mut RevisionContent, points: i64) {
    for l in &mut content.lines {
        let f = l.discount.fraction() + Decimal::new(points, 2);
        l.discount = Discount::from_fraction(f).unwrap_or(l.discount);
    }
}

impl Service {
    /// What happens after the document went out at `self.now()`; nothing happens after
    /// `real_now`. `status` is the state the story ends in.
    pub(super) fn after_issue_story(
        &mut self,
        status: QuoteStatus,
        quote: QuoteId,
        cast: &Cast<'_>,
        real_now: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        let issued_at = self.now();
        let at = |days: i64, hours: i64| {
            (issued_at + Duration::days(days) + Duration::hours(hours)).min(real_now - Duration::minutes(30))
        };
        match status {
            QuoteStatus::Negotiating => {
                self.demo_round(
                    at(3, 2),
                    quote,
                    cast,
                    [
                        "设备部王工、采购部李经理",
                        "要求单价再降5%，交货期延长到45天（现场土建滞后），首项改为户外型",
                        "可再让利2%；交货期45天可以接受；户外型经技术部确认可供，须公司重新确认",
                    ],
                )?;
                self.demo_round(
                    at(8, 1),
                    quote,
                    cast,
                    [
                        "采购部李经理",
                        "接受让利2%，要求质保期延长到24个月",
                        "质保24个月可以，将按谈判结果出新版本报价，公司确认后发出",
                    ],
                )?;
                // The revised offer goes to the head (and, 45 days being major, a leader next).
                self.at_moment(at(9, 0), |svc| {
                    svc.demo_revision(quote, cast.author, |c| {
                        if let Some(l) = c.lines.first_mut() {
                            l.model = format!("{}（户外型）", l.model.trim());
                        }
                        deeper(c, 2);
                        c.terms.delivery_days = 45;
                        c.terms.warranty_months = 24;
                    })
                    .map(|_| ())
                })
            }
            QuoteStatus::Won => {
                self.demo_round(
                    at(2, 3),
                    quote,
                    cast,
                    [
                        "招标代理张工、业主设备处赵处长",
                        "澄清：主要设备须满足一级能效，质保期不少于24个月",
                        "确认按一级能效型号供货，质保24个月，单价另让1%",
                    ],
                )?;
                // V2 after issue: the changes confirmed one by one by the head, then issued again.
                let v2 = self.at_moment(at(3, 0), |svc| {
                    svc.demo_revision(quote, cast.author, |c| {
                        if let Some(l) = c.lines.first_mut() {
                            l.model = format!("{}（一级能效）", l.model.trim());
                        }
                        deeper(c, 1);
                        c.terms.warranty_months = 24;
                    })
                })?;
                for (approver, hours) in [(cast.head, 4), (cast.leader, 6)] {
                    let confirmed = self.at_moment(at(3, hours), |svc| {
                        let r = svc.quote_view(approver, quote)?.latest().cloned();
                        let Some(r) = r.filter(|r| r.id == v2 && r.status == RevisionStatus::Submitted) else {
                            return Ok(false);
                        };
                        let n = svc.negotiation(approver, quote)?;
                        let decisions: Vec<ChangeDecision> = n
                            .changes_of(r.id)
                            .map(|c| {
                                c.set
                                    .changes
                                    .iter()
                                    .map(|x| ChangeDecision { key: x.key.clone(), confirmed: true })
                                    .collect()
                            })
                            .unwrap_or_default();
                        let comment = "澄清内容已核对，同意按一级能效型号和新价格投标。";
                        svc.decide_changes(approver, r.id, &r.content_hash, &decisions, comment)?;
                        Ok(true)
                    })?;
                    if !confirmed {
                        break;
                    }
                }
                self.at_moment(at(4, 0), |svc| {
                    let file = "V2.pdf";
                    match svc.issue(
                        cast.assistant,
                        quote,
                        2,
                        crate::domain::document::PrintVariant::Seal,
                        file,
                        &mut |_| Ok(()),
                    ) {
                        Ok(_) => Ok(()),
                        // A bid the cross-checks stop stays with V1 as issued.
                        Err(ServiceError::Invalid(p)) if p.iter().all(|p| p.field == "bid_checks") => Ok(()),
                        Err(e) => Err(e),
                    }
                })?;
                let total = self.quote_view(cast.author, quote)?.latest().map(|r| r.total).unwrap_or(Money::ZERO);
                self.at_moment(at(12, 0), |svc| {
                    let draft = OutcomeDraft {
                        won: true,
                        date: Some(day(svc.now())),
                        reason: "综合评分第一：技术分领先，价格居中".into(),
                        competitor: "许继电气股份有限公司".into(),
                        competitor_price: Some(Money::from_decimal(total.as_decimal() * Decimal::new(97, 2))),
                    };
                    svc.record_outcome(cast.author, quote, draft).map(|_| ())
                })
            }
            QuoteStatus::Lost => {
                self.demo_round(
                    at(3, 0),
                    quote,
                    cast,
                    [
                        "物资部周主任",
                        "反映我方价格比竞争对手高约8%，希望大幅让价",
                        "最多再让3%，其余按原报价；强调我方交货期和售后服务",
                    ],
                )?;
                let total = self.quote_view(cast.author, quote)?.latest().map(|r| r.total).unwrap_or(Money::ZERO);
                self.at_moment(at(10, 0), |svc| {
                    let draft = OutcomeDraft {
                        won: false,
                        date: Some(day(svc.now())),
                        reason: "价格高于竞争对手，客户选择了低价方案".into(),
                        competitor: "正泰电气股份有限公司".into(),
                        competitor_price: Some(Money::from_decimal(total.as_decimal() * Decimal::new(92, 2))),
                    };
                    svc.record_outcome(cast.author, quote, draft).map(|_| ())
                })
            }
            // Issued and left: either still valid, or unanswered past its validity (expired by
            // the expiry run at the end of the demo).
            _ => Ok(()),
        }
    }

    fn demo_round(
        &mut self,
        t: DateTime<Utc>,
        quote: QuoteId,
        cast: &Cast<'_>,
        [who, asked, offered]: [&str; 3],
    ) -> Result<(), ServiceError> {
        self.at_moment(t, |svc| {
            let draft = RoundDraft {
                date: Some(day(t)),
                customer_side: who.into(),
                asked: asked.into(),
                offered: offered.into(),
            };
            svc.log_negotiation_round(cast.author, quote, draft).map(|_| ())
        })
    }

    /// V(n+1) with `edit`, submitted by the author; its id.
    fn demo_revision(
        &mut self,
        quote: QuoteId,
        author: &Actor,
        edit: impl FnOnce(&mut RevisionContent),
    ) -> Result<crate::domain::ids::RevisionId, ServiceError> {
        let v = self.new_revision(author, quote)?;
        let r = v.latest().cloned().ok_or(ServiceError::rule("demo.invariant", "quote without revision"))?;
        let mut content = r.content.clone();
        edit(&mut content);
        let v = self.save_draft(author, r.id, r.version, content)?;
        let r = v.latest().cloned().ok_or(ServiceError::rule("demo.invariant", "quote without revision"))?;
        self.submit_revision(author, r.id, r.version)?;
        Ok(r.id)
    }
}
