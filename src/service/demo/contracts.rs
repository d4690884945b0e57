//! The demo's year of deals after the quote: for every salesperson, inquiries from January on
//! that are quoted, approved, issued, negotiated (a revised offer whose changes the head confirms,
//! issued again) and won against a named competitor — then the contract drafted from the won
//! revision, confirmed (a leader too when major), signed, delivered, invoiced and paid, some late,
//! some part-paid and overdue, some cash collected in the field and handed in (one not yet, past
//! its three days), one overpayment refused and then recorded with the flag; some deals lost.
//! Targets for every salesperson. All through the use cases, each at the moment it happens;
//! nothing is dated after the real now.

use chrono::{DateTime, Datelike, Duration, Local, NaiveDate, TimeZone, Utc};
use rust_decimal::Decimal;

use crate::domain::changes::ChangeDecision;
use crate::domain::contract::{DeliveredLine, DeliveryDraft, InvoiceDraft};
use crate::domain::ids::QuoteId;
use crate::domain::inquiry::{InquiryDraft, InquiryKind, InquiryLine, InquirySource};
use crate::domain::money::{Discount, Money, Quantity};
use crate::domain::negotiation::{OutcomeDraft, RoundDraft};
use crate::domain::quote::RevisionStatus;
use crate::domain::receivable::{PaymentMethod, ReceiptDraft, TargetDraft};
use crate::domain::role::Role;
use crate::service::{Actor, Service, ServiceError};

const COMPETITORS: [(&str, i64); 4] = [
    ("正泰电气股份有限公司", 97),
    ("特变电工股份有限公司", 102),
    ("许继电气股份有限公司", 99),
    ("大全集团有限公司", 96),
];

/// How the customer pays the delivery installment of story `n`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pays {
    OnTime,
    Late,
    Half,
    Not,
}

fn day(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&Local).date_naive()
}

fn rev(v: &crate::service::QuoteView) -> Result<crate::domain::quote::Revision, ServiceError> {
    v.latest().cloned().ok_or(ServiceError::rule("demo.invariant", "quote without revision"))
}

impl Service {
    pub(super) fn create_demo_contracts(&mut self, actors: &[Actor]) -> Result<usize, ServiceError> {
        let real_now = self.now();
        let by_role = |r: Role| actors.iter().filter(move |a| a.roles().contains(r)).cloned().collect::<Vec<_>>();
        let sales = by_role(Role::Sales);
        let heads = by_role(Role::Head);
        let leaders = by_role(Role::Leader);
        let assistant =
            by_role(Role::Assistant).into_iter().next().ok_or(ServiceError::rule("demo.invariant", "no assistant"))?;
        let (Some(head), Some(leader)) = (heads.first().cloned(), leaders.first().cloned()) else {
            return Err(ServiceError::rule("demo.invariant", "no head or leader"));
        };
        // Products priced in every version (the deals run across both half-year tables).
        let table = self.price_table(&head, None)?;
        let oldest = table.versions.iter().map(|v| v.id).min();
        let table_start = table.versions.iter().map(|v| v.effective).min();
        let older = self.price_table(&head, oldest)?.products;
        let products: Vec<_> = table.products.into_iter().filter(|p| older.iter().any(|o| o.id == p.id)).collect();
        let big: Vec<_> =
            products.iter().filter(|p| p.draft.active && p.draft.list_price >= Money::from_fen(5_000_000)).collect();
        let small: Vec<_> = products
            .iter()
            .filter(|p| {
                p.draft.active
                    && p.draft.list_price >= Money::from_fen(500_000)
                    && p.draft.list_price < Money::from_fen(5_000_000)
            })
            .collect();
        if big.is_empty() || small.is_empty() {
            return Ok(0);
        }
        let customers = self.store.read(|tx| Ok::<_, ServiceError>(tx.customer_summaries()?))?;
        // From a week after the older price table took effect (six to twelve months ago) until
        // seven weeks ago, so every deal has had time to be quoted, won, signed and delivered.
        let first = table_start.unwrap_or_else(|| day(real_now) - Duration::days(300));
        let start0 = Local
            .from_local_datetime(&(first + Duration::days(7)).and_hms_opt(9, 30, 0).unwrap_or_default())
            .single()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or(real_now - Duration::days(300));
        let span = (real_now - Duration::days(48) - start0).num_days().max(60);
        let mut made = 0;
        let mut n = 0usize;
        // Three rounds through the year and a fourth in the last weeks that fit (its delivery
        // payments fall due within the last month: the 0–30 day bucket).
        for round in 0..4i64 {
            for (s, person) in sales.iter().enumerate() {
                let at_fraction = [0, 33, 66, 93][round as usize];
                let start = start0 + Duration::days(span * at_fraction / 100 + s as i64 * 11 + (n as i64 % 3));
                // Room for the deal to be quoted, won and signed before today.
                if start + Duration::days(20) >= real_now - Duration::days(28) {
                    continue;
                }
                let mine: Vec<_> = customers.iter().filter(|(c, _)| c.owner == Some(person.id())).collect();
                let Some((customer, _)) = mine.get((round as usize * 7 + s) % mine.len().max(1)) else { continue };
                let lost = round == 1 && s % 2 == 0;
                let lines = [
                    (big[(n * 5 + s) % big.len()], 1 + (n % 3) as u32),
                    (small[(n * 3 + round as usize) % small.len()], 2 + (n % 4) as u32),
                ];
                let at = |days: i64, hours: i64| start + Duration::days(days) + Duration::hours(hours);
                let draft = InquiryDraft {
                    kind: InquiryKind::Inquiry,
                    customer: Some(customer.id),
                    source: if n.is_multiple_of(2) { InquirySource::Visit } else { InquirySource::Email },
                    subject: format!("{}配电设备采购", customer.short_name.trim().chars().take(8).collect::<String>()),
                    lines: lines
                        .iter()
                        .map(|(p, q)| InquiryLine {
                            product: Some(p.id),
                            description: p.draft.name.clone(),
                            quantity: Some(Quantity::from_units(*q)),
                            unit: p.draft.unit.clone(),
                            ..Default::default()
                        })
                        .collect(),
                    ..Default::default()
                };
                let quote = self.at_moment(at(0, 0), |svc| {
                    let i = svc.register_inquiry(person, draft)?;
                    let i = svc.decide_inquiry(&head, i.id, i.version, true, "参与，注意交期。")?;
                    if i.major {
                        svc.decide_inquiry(&leader, i.id, i.version, true, "同意参与。")?;
                    }
                    Ok(i.id)
                })?;
                let quote = self.at_moment(at(1, 1), |svc| {
                    let v = svc.create_quote(person, quote)?;
                    let r = rev(&v)?;
                    let mut content = r.content.clone();
                    for l in &mut content.lines {
                        l.discount = Discount::from_fraction(Decimal::new(3, 2)).unwrap_or(Discount::ZERO);
                    }
                    let v = svc.save_draft(person, r.id, r.version, content)?;
                    let r = rev(&v)?;
                    svc.submit_revision(person, r.id, r.version)?;
                    Ok(v.quote.id)
                })?;
                self.at_moment(at(1, 5), |svc| svc.demo_approve(quote, &head, &leader))?;
                self.at_moment(at(2, 2), |svc| svc.demo_issue(quote, &assistant))?;
                let (competitor, pct) = COMPETITORS[n % COMPETITORS.len()];
                if lost {
                    self.at_moment(at(12, 3), |svc| {
                        let total = svc.quote_view(person, quote).and_then(|v| rev(&v)).map(|r| r.total)?;
                        let draft = OutcomeDraft {
                            won: false,
                            date: Some(day(svc.now())),
                            reason: "价格高于竞争对手，客户选择低价方案".into(),
                            competitor: competitor.into(),
                            competitor_price: Some(Money::from_decimal(total.as_decimal() * Decimal::new(92, 2))),
                        };
                        svc.record_outcome(person, quote, draft).map(|_| ())
                    })?;
                    n += 1;
                    continue;
                }
                self.at_moment(at(5, 2), |svc| {
                    let round = RoundDraft {
                        date: Some(day(svc.now())),
                        customer_side: "采购部经理、设备部主任".into(),
                        asked: "要求再降2%，质保延长到18个月".into(),
                        offered: "同意再让2%，质保18个月，须公司确认后出新版报价".into(),
                    };
                    svc.log_negotiation_round(person, quote, round).map(|_| ())
                })?;
                self.at_moment(at(6, 1), |svc| {
                    let v = svc.new_revision(person, quote)?;
                    let r = rev(&v)?;
                    let mut content = r.content.clone();
                    for l in &mut content.lines {
                        l.discount = Discount::from_fraction(Decimal::new(5, 2)).unwrap_or(l.discount);
                    }
                    content.terms.warranty_months = 18;
                    let v = svc.save_draft(person, r.id, r.version, content)?;
                    let r = rev(&v)?;
                    svc.submit_revision(person, r.id, r.version).map(|_| ())
                })?;
                self.at_moment(at(6, 5), |svc| svc.demo_confirm_changes(quote, &head, &leader))?;
                self.at_moment(at(7, 2), |svc| svc.demo_issue(quote, &assistant))?;
                self.at_moment(at(10, 3), |svc| {
                    let total = svc.quote_view(person, quote).and_then(|v| rev(&v)).map(|r| r.total)?;
                    let draft = OutcomeDraft {
                        won: true,
                        date: Some(day(svc.now())),
                        reason: "技术方案与交期获认可，价格在预算内".into(),
                        competitor: competitor.into(),
                        competitor_price: Some(Money::from_decimal(total.as_decimal() * Decimal::new(pct, 2))),
                    };
                    svc.record_outcome(person, quote, draft).map(|_| ())
                })?;
                let pays = [Pays::OnTime, Pays::Late, Pays::Half, Pays::Not][n % 4];
                self.demo_contract_story(n, quote, person, &head, &leader, &assistant, start, pays, real_now)?;
                made += 1;
                n += 1;
            }
        }
        // The latest won deal's contract is drafted yesterday and waits for the head.
        let waiting =
            self.quotes(&head)?.into_iter().filter(|s| s.quote.status == crate::domain::quote::QuoteStatus::Won);
        for s in waiting.collect::<Vec<_>>() {
            if self.contract_of_quote(&head, s.quote.id)?.is_some() {
                continue;
            }
            let q = s.quote;
            let Some(person) = sales.iter().find(|a| q.customer_owner == Some(a.id()) || q.author == a.id()) else {
                continue;
            };
            self.at_moment(real_now - Duration::hours(20), |svc| svc.create_contract(person, q.id))?;
            made += 1;
        }
        for year in day(start0).year()..=day(real_now).year() {
            self.demo_targets(&head, &sales, year)?;
        }
        Ok(made)
    }

    /// The head lists the signed contracts in the 业绩库, as they are signed (at most eight).
    pub(super) fn create_demo_references(&mut self, actors: &[Actor]) -> Result<usize, ServiceError> {
        let Some(head) = actors.iter().find(|a| a.roles().contains(Role::Head)).cloned() else {
            return Err(ServiceError::rule("demo.invariant", "no head"));
        };
        let mut signed: Vec<_> = self
            .contracts(&head)?
            .into_iter()
            .map(|l| l.contract)
            .filter(|c| c.status == crate::domain::contract::ContractStatus::Signed)
            .collect();
        signed.sort_by_key(|c| c.signed_on);
        let (mut made, now) = (0, self.now());
        for c in signed.iter().take(8) {
            let at =
                c.signed_on.and_then(|d| d.and_hms_opt(10, 0, 0)).map(|t| (t.and_utc() + Duration::days(1)).min(now));
            let (draft, existing) = self.reference_draft(&head, c.id)?;
            if existing.is_some() {
                continue;
            }
            match at {
                Some(at) => self.at_moment(at, |svc| svc.add_reference(&head, c.id, draft).map(|_| ()))?,
                None => self.add_reference(&head, c.id, draft).map(|_| ())?,
            }
            made += 1;
        }
        Ok(made)
    }

    fn demo_approve(&mut self, quote: QuoteId, head: &Actor, leader: &Actor) -> Result<(), ServiceError> {
        let r = rev(&self.quote_view(head, quote)?)?;
        self.decide_revision(head, r.id, &r.content_hash, true, "同意。")?;
        let r = rev(&self.quote_view(head, quote)?)?;
        if r.status == RevisionStatus::Submitted {
            self.decide_revision(leader, r.id, &r.content_hash, true, "同意，注意回款。")?;
        }
        Ok(())
    }

    fn demo_issue(&mut self, quote: QuoteId, assistant: &Actor) -> Result<(), ServiceError> {
        let v = self.quote_view(assistant, quote)?;
        let r = rev(&v)?;
        let file = format!("{}_{}_V{}.pdf", v.quote.kind.doc_title(), v.quote.number, r.revision);
        self.issue(assistant, quote, 2, crate::domain::document::PrintVariant::Seal, &file, &mut |_| Ok(())).map(|_| ())
    }

    fn demo_confirm_changes(&mut self, quote: QuoteId, head: &Actor, leader: &Actor) -> Result<(), ServiceError> {
        for who in [head, leader] {
            let r = rev(&self.quote_view(head, quote)?)?;
            if r.status != RevisionStatus::Submitted {
                break;
            }
            let n = self.negotiation(head, quote)?;
            let decisions: Vec<ChangeDecision> = n
                .changes_of(r.id)
                .map(|c| c.set.changes.iter().map(|c| ChangeDecision { key: c.key.clone(), confirmed: true }).collect())
                .unwrap_or_default();
            self.decide_changes(who, r.id, &r.content_hash, &decisions, "同意按谈判结果调整。")?;
        }
        Ok(())
    }

    /// The contract of a won quote, from the draft to the money.
    #[allow(clippy::too_many_arguments)] // one story, its cast and its dates
    fn demo_contract_story(
        &mut self,
        n: usize,
        quote: QuoteId,
        person: &Actor,
        head: &Actor,
        leader: &Actor,
        assistant: &Actor,
        start: DateTime<Utc>,
        pays: Pays,
        real_now: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        let at = |days: i64, hours: i64| start + Duration::days(days) + Duration::hours(hours);
        let happened = |t: DateTime<Utc>| t < real_now - Duration::hours(1);
        let v = self.at_moment(at(11, 2), |svc| svc.create_contract(person, quote))?;
        let id = v.ledger.contract.id;
        self.at_moment(at(11, 6), |svc| {
            for who in [head, leader] {
                let v = svc.contract(head, id)?;
                if v.next_step.is_none() {
                    break;
                }
                let c = &v.ledger.contract;
                svc.confirm_contract(who, id, &c.content_hash, true, "同意签订。")?;
            }
            Ok(())
        })?;
        let v = self.at_moment(at(13, 1), |svc| {
            let c = svc.contract(person, id)?.ledger.contract;
            svc.sign_contract(person, id, c.version, Some(day(svc.now())))
        })?;
        let amounts: Vec<Money> = v.ledger.installments.iter().map(|i| i.amount).collect();
        let total = v.ledger.contract.total;
        // The prepayment: by transfer, or (every fifth deal) cash collected by the salesperson.
        let cash = n % 5 == 2;
        let paid_at = at(16, 3);
        if happened(paid_at) {
            let receipt = ReceiptDraft {
                date: Some(day(paid_at)),
                amount: amounts.first().copied(),
                method: if cash { PaymentMethod::Cash } else { PaymentMethod::BankTransfer },
                note: if cash {
                    "客户财务现场交付现金".into()
                } else {
                    "预付款，银行回单已核对".into()
                },
                collected_by_salesperson: cash,
                overpayment: false,
            };
            let v = self.at_moment(paid_at, |svc| svc.record_receipt(person, id, receipt))?;
            let handed = at(18, 2);
            if cash && happened(handed) {
                let r = v.ledger.receipts.last().cloned().ok_or(ServiceError::rule("demo.invariant", "no receipt"))?;
                self.at_moment(handed, |svc| svc.hand_in_receipt(assistant, r.id, r.version, Some(day(handed))))?;
            }
        }
        let shipped = at(32, 2);
        if !happened(shipped) {
            return Ok(());
        }
        let v = self.at_moment(shipped, |svc| {
            let lines = svc
                .contract(person, id)?
                .lines_left
                .iter()
                .enumerate()
                .map(|(line, (_, quantity))| DeliveredLine { line, quantity: *quantity })
                .collect();
            let draft = DeliveryDraft {
                date: Some(day(shipped)),
                lines,
                note: format!("德邦物流 DB{:010}，收货人：设备部", 3_150_000_000u64 + n as u64 * 7919),
            };
            svc.record_delivery(person, id, draft)
        })?;
        let invoiced = at(33, 4);
        if happened(invoiced) {
            let tax = v.ledger.contract.content.totals().tax;
            let draft = InvoiceDraft {
                number: format!("{:08}", 44_120_000 + n * 37),
                date: Some(day(invoiced)),
                amount: Some(total),
                tax: Some(tax),
            };
            self.at_moment(invoiced, |svc| svc.record_invoice(person, id, draft))?;
        }
        let delivery_due = amounts.get(1).copied().unwrap_or(Money::ZERO);
        let (when, amount) = match pays {
            Pays::OnTime => (at(32 + 27, 2), delivery_due),
            Pays::Late => (at(32 + 30 + 45, 2), delivery_due),
            Pays::Half => (at(32 + 30 + 20, 2), Money::from_decimal(delivery_due.as_decimal() / Decimal::from(2))),
            Pays::Not => {
                // Cash the salesperson collected in the field nine days ago, not handed in yet.
                let collected = real_now - Duration::days(9);
                if n == 3 && collected > shipped {
                    let cash = ReceiptDraft {
                        date: Some(day(collected)),
                        amount: Some(Money::from_fen(2_000_000)),
                        method: PaymentMethod::Cash,
                        note: "客户财务现场交付部分到货款".into(),
                        collected_by_salesperson: true,
                        overpayment: false,
                    };
                    self.at_moment(collected, |svc| svc.record_receipt(person, id, cash))?;
                }
                return Ok(());
            }
        };
        if !happened(when) || amount.is_zero() {
            return Ok(());
        }
        let receipt = ReceiptDraft {
            date: Some(day(when)),
            amount: Some(amount),
            method: if n.is_multiple_of(3) { PaymentMethod::Acceptance } else { PaymentMethod::BankTransfer },
            note: if n.is_multiple_of(3) { "六个月银行承兑汇票".into() } else { "到货验收款".into() },
            ..Default::default()
        };
        self.at_moment(when, |svc| svc.record_receipt(person, id, receipt))?;
        // The first on-time payer also settles the retention early and pays ¥1,000 too much:
        // refused as typed, recorded once the salesperson ticks the flag and says why.
        if n == 0 {
            let early = at(32 + 35, 2);
            if happened(early) {
                let retention = amounts.get(2).copied().unwrap_or(Money::ZERO);
                let over = ReceiptDraft {
                    date: Some(day(early)),
                    amount: Some(retention + Money::from_fen(100_000)),
                    note: "客户提前支付质保金，多付 ¥1,000.00，抵下批货款".into(),
                    ..Default::default()
                };
                self.at_moment(early, |svc| {
                    match svc.record_receipt(person, id, over.clone()) {
                        Err(ServiceError::Invalid(_)) => {}
                        Ok(_) => {
                            return Err(ServiceError::rule("demo.invariant", "an overpayment went through unflagged"));
                        }
                        Err(e) => return Err(e),
                    }
                    svc.record_receipt(person, id, ReceiptDraft { overpayment: true, ..over })
                })?;
            }
        }
        Ok(())
    }

    /// The year's targets for every salesperson, and the current month's for two of them.
    fn demo_targets(&mut self, head: &Actor, sales: &[Actor], year: i32) -> Result<(), ServiceError> {
        let t = Local.with_ymd_and_hms(year, 1, 5, 10, 0, 0).single().map(|t| t.with_timezone(&Utc));
        let Some(t) = t.filter(|t| *t < self.now()) else { return Ok(()) };
        self.at_moment(t, |svc| {
            for (i, s) in sales.iter().enumerate() {
                let base = 900_000 + i as i64 * 100_000;
                let draft = TargetDraft {
                    salesperson: s.id(),
                    year,
                    month: None,
                    sales: Money::from_fen(base * 100),
                    collection: Money::from_fen(base * 85),
                };
                svc.set_target(head, draft, None)?;
            }
            Ok(())
        })?;
        // The head raises two salespeople's targets for the current month at its start.
        let now = self.now();
        if day(now).year() != year {
            return Ok(());
        }
        let month = day(now).month();
        let first = Local.with_ymd_and_hms(year, month, 1, 9, 0, 0).single().map(|t| t.with_timezone(&Utc));
        if let Some(first) = first.filter(|t| *t < now) {
            self.at_moment(first, |svc| {
                for (i, s) in sales.iter().take(2).enumerate() {
                    let draft = TargetDraft {
                        salesperson: s.id(),
                        year,
                        month: Some(month),
                        sales: Money::from_fen((150_000 + i as i64 * 20_000) * 100),
                        collection: Money::from_fen((120_000 + i as i64 * 15_000) * 100),
                    };
                    svc.set_target(head, draft, None)?;
                }
                Ok(())
            })?;
        }
        Ok(())
    }
}
