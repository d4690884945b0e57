//! Contracts and receivables — procedure (3) D, the duties on 发货, 收款, 回款 and targets
//! (DESIGN §2–§3, issue 9 second half): a contract only from a won quote whose latest revision is
//! approved with every change confirmed (else refused, listing what is missing); confirmed by the
//! head (a leader too when major), never by its author or the customer's owner; signed with the
//! date; deliveries set the due dates of delivery-linked installments; receipts never exceed what
//! is owed without the overpayment flag; aging by due date; cash collected in the field is handed
//! in and flagged after three days; targets by the head; permissions and audit for each. Staff
//! office on a test clock (2026-11-27 09:00 UTC).

use chrono::Duration;
use rust_decimal::Decimal;
use salesdesk::domain::changes::ChangeDecision;
use salesdesk::domain::contract::{
    Basis, ContractStatus, DeliveredLine, DeliveryDraft, Installment, InvoiceDraft, Share, Trigger,
};
use salesdesk::domain::ids::QuoteId;
use salesdesk::domain::inquiry::{InquiryDraft, InquiryKind, InquiryLine, InquirySource};
use salesdesk::domain::money::{Discount, Money, Quantity};
use salesdesk::domain::negotiation::{OutcomeDraft, RoundDraft};
use salesdesk::domain::product::Product;
use salesdesk::domain::quote::{ApprovalStep, Revision};
use salesdesk::domain::receivable::{AgingBucket, HandIn, PaymentMethod, ReceiptDraft, TargetDraft};
use salesdesk::domain::role::Role;
use salesdesk::service::{ContractView, DashboardChart, ExportFormat, QuoteView, ServiceError};

use crate::support::{Office, assert_field_error, audit_with_action, office, product, yuan};

struct Deal {
    o: Office,
    transformer: Product,
    quote: QuoteId,
}

fn latest(v: &QuoteView) -> Revision {
    v.latest().expect("a revision").clone()
}

/// A business-rule refusal with the rule code `code`.
fn assert_rule(e: &ServiceError, code: &str) {
    assert_eq!(e.rule_code(), Some(code), "expected the rule {code:?}: {e:?}");
}

/// A business-rule refusal `code` whose sentence names `text` (a number, a name, a status).
fn assert_rule_naming(e: &ServiceError, code: &str, text: &str) {
    assert_rule(e, code);
    assert!(e.to_string().contains(text), "expected the refusal to name {text:?}: {e}");
}

fn assert_denied(e: &ServiceError) {
    assert!(matches!(e, ServiceError::Denied(_)), "expected a refusal: {e:?}");
}

/// 李强's quote for his customer: `transformers` 干式变压器 at ¥186,000 and one 高压开关柜 at
/// ¥68,500.50, approved (by a leader too when major) and issued by the assistant.
fn issued(transformers: u32) -> Deal {
    let mut o = office();
    let today = o.svc.today();
    let transformer = o
        .svc
        .create_product(&o.head, product("CP-SCB13-1000", "干式变压器", "186000", Some("162000")), today)
        .expect("product");
    let cabinet = o
        .svc
        .create_product(&o.head, product("CP-KYN28A-12", "高压开关柜", "68500.50", Some("61000")), today)
        .expect("product");
    let wants = |p: &Product, n: u32| InquiryLine {
        product: Some(p.id),
        description: p.draft.name.clone(),
        quantity: Some(Quantity::from_units(n)),
        unit: "台".into(),
        ..Default::default()
    };
    let draft = InquiryDraft {
        kind: InquiryKind::Inquiry,
        customer: Some(o.li_customer.id),
        source: InquirySource::Visit,
        subject: "10kV配电工程设备".into(),
        lines: vec![wants(&transformer, transformers), wants(&cabinet, 1)],
        ..Default::default()
    };
    let i = o.svc.register_inquiry(&o.li, draft).expect("registered");
    let i = o.svc.decide_inquiry(&o.head, i.id, i.version, true, "参与").expect("go");
    if i.major {
        o.svc.decide_inquiry(&o.leader, i.id, i.version, true, "同意").expect("leader's go");
    }
    let v = o.svc.create_quote(&o.li, i.id).expect("quote");
    let r = latest(&v);
    let v = o.svc.submit_revision(&o.li, r.id, r.version).expect("submitted");
    let r = latest(&v);
    o.svc.decide_revision(&o.head, r.id, &r.content_hash, true, "同意。").expect("approved");
    if r.major {
        o.svc.decide_revision(&o.leader, r.id, &r.content_hash, true, "同意。").expect("leader approves");
    }
    let quote = v.quote.id;
    o.svc.issue_quote(&o.assistant, quote, 1, &o.dir.path().join("V1.pdf")).expect("issued");
    Deal { o, transformer, quote }
}

fn won(d: &mut Deal) {
    let today = d.o.svc.today();
    let draft = OutcomeDraft { won: true, date: Some(today), reason: "价格与方案".into(), ..Default::default() };
    d.o.svc.record_outcome(&d.o.li, d.quote, draft).expect("won");
}

/// A won deal of one transformer (¥254,500.50, not major) with its contract drafted by 李强.
fn drafted() -> (Deal, ContractView) {
    let mut d = issued(1);
    won(&mut d);
    let v = d.o.svc.create_contract(&d.o.li, d.quote).expect("drafted");
    (d, v)
}

/// … confirmed by the head and signed today.
fn signed() -> (Deal, ContractView) {
    let (mut d, v) = drafted();
    let c = &v.ledger.contract;
    let v = d.o.svc.confirm_contract(&d.o.head, c.id, &c.content_hash, true, "同意").expect("confirmed");
    let today = d.o.svc.today();
    let c = &v.ledger.contract;
    let v = d.o.svc.sign_contract(&d.o.li, c.id, c.version, Some(today)).expect("signed");
    (d, v)
}

fn receipt(date: chrono::NaiveDate, amount: &str) -> ReceiptDraft {
    ReceiptDraft { date: Some(date), amount: Some(yuan(amount)), ..Default::default() }
}

#[test]
fn issued_negotiated_revised_confirmed_won_contracted_signed_delivered_paid_and_aged() {
    let mut d = issued(1);
    let today = d.o.svc.today();
    let round = RoundDraft {
        date: Some(today),
        customer_side: "张伟（设备部经理）".into(),
        asked: "变压器降价3%".into(),
        offered: "同意降3%".into(),
    };
    d.o.svc.log_negotiation_round(&d.o.li, d.quote, round).expect("round");
    // V2 after issue: 3% off the transformer.
    let v = d.o.svc.new_revision(&d.o.li, d.quote).expect("V2");
    let r = latest(&v);
    let mut content = r.content.clone();
    let t = d.transformer.id;
    content.lines.iter_mut().find(|l| l.product == Some(t)).expect("line").discount = Discount::parse("3").expect("3%");
    let v = d.o.svc.save_draft(&d.o.li, r.id, r.version, content).expect("saved");
    let r = latest(&v);
    let v = d.o.svc.submit_revision(&d.o.li, r.id, r.version).expect("submitted");
    let v2 = latest(&v);

    // Won before the change is confirmed: no contract, and the refusal says what is missing.
    won(&mut d);
    let e = d.o.svc.create_contract(&d.o.li, d.quote).expect_err("unconfirmed change");
    assert_rule_naming(&e, "contract.not_ready", "未经销售部负责人确认");
    assert!(audit_with_action(&mut d.o.svc, &d.o.admin, "contract.create").is_empty());

    // The head confirms each change; now a contract may be drafted, from V2.
    let view = d.o.svc.negotiation(&d.o.head, d.quote).expect("view");
    let all: Vec<ChangeDecision> = view
        .changes_of(v2.id)
        .expect("table")
        .set
        .changes
        .iter()
        .map(|c| ChangeDecision { key: c.key.clone(), confirmed: true })
        .collect();
    d.o.svc.decide_changes(&d.o.head, v2.id, &v2.content_hash, &all, "同意").expect("confirmed");
    let v = d.o.svc.create_contract(&d.o.li, d.quote).expect("drafted");
    let c = v.ledger.contract.clone();
    assert_eq!(c.number.to_string(), "HT-2026-0001");
    assert_eq!(c.status, ContractStatus::Draft);
    assert_eq!(c.revision_number, 2);
    assert_eq!(c.content.lines.len(), 2);
    assert!(c.content.lines.iter().all(|l| l.floor_price.is_none()), "no floors in a contract");
    assert_eq!(c.total, yuan("248920.50"), "186000 × 0.97 + 68500.50");
    assert_eq!(c.content.schedule.len(), 3, "30% / 60% / 10% from the terms");
    assert_eq!(v.next_step, Some((ApprovalStep::Head, Role::Head)));
    assert_rule_naming(
        &d.o.svc.create_contract(&d.o.li, d.quote).expect_err("twice"),
        "contract.exists",
        "HT-2026-0001",
    );
    assert_eq!(d.o.svc.contract_of_quote(&d.o.li, d.quote).expect("reads"), Some(c.id));

    // Confirmed by the head, signed by 李强.
    let v = d.o.svc.confirm_contract(&d.o.head, c.id, &c.content_hash, true, "同意").expect("confirmed");
    let c = v.ledger.contract.clone();
    assert_eq!(c.status, ContractStatus::Confirmed);
    assert!(v.ledger.installments.iter().all(|i| i.due.is_none()), "nothing due before signing");
    let v = d.o.svc.sign_contract(&d.o.li, c.id, c.version, Some(today)).expect("signed");
    let c = v.ledger.contract.clone();
    assert_eq!((c.status, c.signed_on), (ContractStatus::Signed, Some(today)));
    let due: Vec<_> = v.ledger.installments.iter().map(|i| i.due).collect();
    let week = today + Duration::days(7);
    assert_eq!(due, vec![Some(week), None, None], "the prepayment falls due 7 days after signing");
    let amounts: Vec<Money> = v.ledger.installments.iter().map(|i| i.amount).collect();
    assert_eq!(amounts, vec![yuan("74676.15"), yuan("149352.30"), yuan("24892.05")]);

    // The prepayment comes in; ten days later everything is delivered: the delivery sets the
    // due dates of the delivery-linked installments.
    let v = d.o.svc.record_receipt(&d.o.li, c.id, receipt(today, "74676.15")).expect("prepayment");
    assert_eq!(v.ledger.installments[0].outstanding, Money::ZERO);
    d.o.clock.advance(Duration::days(10));
    let shipped = today + Duration::days(10);
    let delivery = DeliveryDraft {
        date: Some(shipped),
        lines: vec![
            DeliveredLine { line: 0, quantity: Quantity::from_units(1) },
            DeliveredLine { line: 1, quantity: Quantity::from_units(1) },
        ],
        note: "顺丰物流 SF1234567890".into(),
    };
    let v = d.o.svc.record_delivery(&d.o.li, c.id, delivery.clone()).expect("delivered");
    assert_eq!(v.ledger.installments[1].due, Some(shipped + Duration::days(30)));
    assert_eq!(v.ledger.installments[2].due, Some(chrono::NaiveDate::from_ymd_opt(2027, 12, 7).expect("date")));
    assert!(v.lines_left.iter().all(|(_, q)| q.is_zero()));
    assert_field_error(&d.o.svc.record_delivery(&d.o.li, c.id, delivery).expect_err("nothing left"), "line0");
    let invoice = InvoiceDraft {
        number: "04412345".into(),
        date: Some(shipped),
        amount: Some(yuan("248920.50")),
        tax: Some(yuan("28636.84")),
    };
    let v = d.o.svc.record_invoice(&d.o.li, c.id, invoice.clone()).expect("invoiced");
    assert_eq!(v.ledger.invoiced, yuan("248920.50"));

    // 100 days after delivery the 到货款 is 70 days overdue (31–90), part paid; the 质保金 is not due.
    d.o.clock.advance(Duration::days(100));
    let later = d.o.svc.today();
    d.o.svc.record_receipt(&d.o.li, c.id, receipt(later, "49352.30")).expect("part");
    let v = d.o.svc.contract(&d.o.li, c.id).expect("card");
    let i = &v.ledger.installments[1];
    assert_eq!((i.paid, i.outstanding, i.days_overdue), (yuan("49352.30"), yuan("100000.00"), 70));
    assert_eq!(i.bucket(later), AgingBucket::Days31To90);
    assert_eq!(v.ledger.overdue, yuan("100000.00"));
    assert_eq!(v.ledger.outstanding, yuan("124892.05"));
    let r = d.o.svc.receivables(&d.o.head).expect("receivables");
    assert_eq!(r.aging, [yuan("24892.05"), Money::ZERO, yuan("100000.00"), Money::ZERO, Money::ZERO]);
    assert_eq!(r.chase.len(), 1);
    assert_eq!((r.chase[0].days_overdue, r.chase[0].installment.as_str()), (70, "到货验收款"));
    assert_eq!(r.by_salesperson[0].name, "李强");
    assert_eq!(r.by_customer[0].name, "江苏华能电力设备有限公司");
    // 李强's own chase list has it too; 王芳's is empty.
    assert_eq!(d.o.svc.receivables(&d.o.li).expect("his").chase.len(), 1);
    assert!(d.o.svc.receivables(&d.o.wang).expect("hers").chase.is_empty());

    for action in ["contract.create", "contract.confirm", "contract.sign", "contract.delivery", "contract.invoice"] {
        assert_eq!(audit_with_action(&mut d.o.svc, &d.o.admin, action).len(), 1, "{action}");
    }
    assert_eq!(audit_with_action(&mut d.o.svc, &d.o.admin, "contract.receipt").len(), 2);
}

#[test]
fn a_contract_is_refused_until_won_and_every_change_confirmed() {
    let mut d = issued(1);
    let e = d.o.svc.create_contract(&d.o.li, d.quote).expect_err("not won");
    assert_rule_naming(&e, "contract.not_ready", "尚未登记中标/成交");
    let lost = OutcomeDraft {
        won: false,
        date: Some(d.o.svc.today()),
        reason: "价格".into(),
        competitor: "正泰电气".into(),
        ..Default::default()
    };
    d.o.svc.record_outcome(&d.o.li, d.quote, lost).expect("lost");
    assert_rule_naming(
        &d.o.svc.create_contract(&d.o.li, d.quote).expect_err("lost"),
        "contract.not_ready",
        "只有中标/成交",
    );
}

#[test]
fn receipts_never_exceed_what_is_owed_without_the_overpayment_flag() {
    let (mut d, v) = signed();
    let c = v.ledger.contract.clone();
    let today = d.o.svc.today();
    d.o.svc.record_receipt(&d.o.li, c.id, receipt(today, "250000")).expect("most of it");
    let e = d.o.svc.record_receipt(&d.o.li, c.id, receipt(today, "5000")).expect_err("over");
    assert_field_error(&e, "amount");
    assert!(e.to_string().contains("尚欠的 ¥4,500.50"), "{e}");
    let flagged = ReceiptDraft { overpayment: true, ..receipt(today, "5000") };
    assert_field_error(&d.o.svc.record_receipt(&d.o.li, c.id, flagged.clone()).expect_err("why?"), "note");
    let explained = ReceiptDraft { note: "客户多付 ¥499.50，抵下批货款".into(), ..flagged };
    let v = d.o.svc.record_receipt(&d.o.li, c.id, explained).expect("recorded with the flag");
    assert_eq!(v.ledger.overpaid, yuan("499.50"));
    assert_eq!(v.ledger.outstanding, Money::ZERO);
    assert!(v.ledger.receipts[1].overpayment);
    let audited = audit_with_action(&mut d.o.svc, &d.o.admin, "contract.receipt");
    assert_eq!(audited.len(), 2, "the refused ones wrote nothing");
    assert!(audited.iter().any(|a| a.after.contains("\"overpayment\":true")), "{audited:?}");
    // Receipts before signing are refused.
    let (mut d2, v2) = drafted();
    let e = d2.o.svc.record_receipt(&d2.o.li, v2.ledger.contract.id, receipt(today, "1")).expect_err("draft");
    assert_rule_naming(&e, "contract.not_signed", "登记回款");
}

#[test]
fn aging_uses_due_dates_not_the_signing_date() {
    let (mut d, v) = signed();
    let c = v.ledger.contract.clone();
    // Signed today: only the prepayment is due; delivered 200 days later, nothing paid.
    d.o.clock.advance(Duration::days(200));
    let delivered = d.o.svc.today();
    let note = DeliveryDraft { date: Some(delivered), note: "整批发货".into(), ..Default::default() };
    d.o.svc.record_delivery(&d.o.li, c.id, note).expect("delivered");
    d.o.clock.advance(Duration::days(40));
    let r = d.o.svc.receivables(&d.o.head).expect("receivables");
    // Prepayment (due 7 days after signing): 233 days past due (>180); 到货款: due delivery + 30,
    // 10 days past (0–30); 质保金: not due, although the contract is 240 days old.
    assert_eq!(r.aging[AgingBucket::ALL.iter().position(|b| *b == AgingBucket::Over180).unwrap()], yuan("76350.15"));
    assert_eq!(r.aging[1], yuan("152700.30"));
    assert_eq!(r.aging[0], yuan("25450.05"));
    let days: Vec<i64> = r.chase.iter().map(|c| c.days_overdue).collect();
    assert_eq!(days, vec![233, 10], "most overdue first");
}

#[test]
fn confirmation_follows_separation_of_duties_and_a_major_contract_needs_a_leader() {
    let mut d = issued(3); // 3 × 186 000 + 68 500.50 = ¥626,500.50 ≥ ¥500,000: major.
    won(&mut d);
    let v = d.o.svc.create_contract(&d.o.li, d.quote).expect("drafted");
    let c = v.ledger.contract.clone();
    assert!(c.major, "{:?}", c.major_reasons);
    assert_eq!(d.o.svc.contracts_awaiting(&d.o.head).expect("head"), vec![c.id], "waits for the head");
    assert!(d.o.svc.contracts_awaiting(&d.o.leader).expect("leader").is_empty(), "not yet the leader's turn");
    assert!(d.o.svc.contracts_awaiting(&d.o.li).expect("li").is_empty());
    // The salesperson, the leader before the head, and nobody on stale content.
    assert_denied(&d.o.svc.confirm_contract(&d.o.li, c.id, &c.content_hash, true, "").expect_err("author"));
    assert_rule_naming(
        &d.o.svc.confirm_contract(&d.o.leader, c.id, &c.content_hash, true, "").expect_err("order"),
        "approval.not_your_step",
        "销售部负责人",
    );
    assert_rule(&d.o.svc.confirm_contract(&d.o.head, c.id, "stale", true, "").expect_err("stale"), "approval.stale");
    // A refusal needs a reason and sends it back; a changed schedule starts again.
    assert_field_error(
        &d.o.svc.confirm_contract(&d.o.head, c.id, &c.content_hash, false, " ").expect_err("why"),
        "comment",
    );
    let v = d.o.svc.confirm_contract(&d.o.head, c.id, &c.content_hash, false, "预付款应提高到40%").expect("refused");
    assert!(v.refused.is_some() && v.next_step.is_none());
    assert_rule_naming(
        &d.o.svc.confirm_contract(&d.o.head, c.id, &c.content_hash, true, "").expect_err("refused"),
        "approval.not_pending",
        "驳回",
    );
    let pct = |p: i64| Share::Percent(Decimal::from(p));
    let mut schedule = vec![
        Installment::new("预付款", pct(40), Trigger::OnSigning),
        Installment::new("到货款", pct(40), Trigger::OnDelivery { days: 30 }),
    ];
    let e = d.o.svc.save_schedule(&d.o.li, c.id, v.ledger.contract.version, schedule.clone()).expect_err("80%");
    assert!(e.to_string().contains("合计为 80%"), "{e}");
    schedule.push(Installment::new("质保金", pct(20), Trigger::AfterWarranty { months: 12 }));
    assert_denied(
        &d.o.svc.save_schedule(&d.o.wang, c.id, v.ledger.contract.version, schedule.clone()).expect_err("not hers"),
    );
    let v = d.o.svc.save_schedule(&d.o.li, c.id, v.ledger.contract.version, schedule).expect("saved");
    let c = v.ledger.contract.clone();
    assert!(v.refused.is_none());
    assert_eq!(v.next_step, Some((ApprovalStep::Head, Role::Head)));
    let v = d.o.svc.confirm_contract(&d.o.head, c.id, &c.content_hash, true, "同意").expect("head");
    assert_eq!(v.ledger.contract.status, ContractStatus::Draft, "the leader's step waits");
    assert_eq!(v.next_step, Some((ApprovalStep::Leader, Role::Leader)));
    assert_eq!(d.o.svc.contracts_awaiting(&d.o.leader).expect("leader"), vec![c.id]);
    assert!(d.o.svc.contracts_awaiting(&d.o.head).expect("head").is_empty());
    // Signing before the leader confirmed is refused; a stale version is a conflict.
    let today = d.o.svc.today();
    assert_rule(
        &d.o.svc.sign_contract(&d.o.li, c.id, v.ledger.contract.version, Some(today)).expect_err("draft"),
        "contract.not_confirmed",
    );
    let v = d.o.svc.confirm_contract(&d.o.leader, c.id, &c.content_hash, true, "同意").expect("leader");
    assert_eq!(v.ledger.contract.status, ContractStatus::Confirmed);
    let e = d.o.svc.sign_contract(&d.o.li, c.id, c.version, Some(today)).expect_err("stale version");
    assert!(e.is_conflict(), "{e:?}");
    let e = d.o.svc.sign_contract(&d.o.li, c.id, v.ledger.contract.version, Some(today + Duration::days(1)));
    assert_field_error(&e.expect_err("future"), "signed_on");
    d.o.svc.sign_contract(&d.o.li, c.id, v.ledger.contract.version, Some(today)).expect("signed");
    assert_eq!(audit_with_action(&mut d.o.svc, &d.o.admin, "contract.reject").len(), 1);
    assert_eq!(audit_with_action(&mut d.o.svc, &d.o.admin, "contract.confirm").len(), 2);
    assert_eq!(audit_with_action(&mut d.o.svc, &d.o.admin, "contract.schedule").len(), 1);
}

#[test]
fn a_head_who_owns_the_customer_does_not_confirm_its_contract() {
    let (mut d, v) = drafted();
    let c = v.ledger.contract.clone();
    // 李强 also made head: still the author and the customer's owner.
    let li = d.o.svc.list_users(&d.o.admin).expect("users").into_iter().find(|u| u.login == "liqiang").expect("li");
    let edit = salesdesk::service::UserEdit {
        id: li.id,
        version: li.version,
        display_name: li.display_name.clone(),
        phone: li.phone.clone(),
        email: li.email.clone(),
        roles: salesdesk::domain::role::RoleSet::new([Role::Sales, Role::Head]),
    };
    d.o.svc.update_user(&d.o.admin, edit).expect("made head");
    let e = d.o.svc.confirm_contract(&d.o.li, c.id, &c.content_hash, true, "").expect_err("own");
    assert_rule(&e, "approval.own_work");
}

#[test]
fn permissions_visibility_hand_in_and_targets() {
    let (mut d, v) = signed();
    let c = v.ledger.contract.clone();
    let today = d.o.svc.today();
    // 王芳 neither reads nor records on 李强's contract; the assistant reads but does not record.
    assert_denied(&d.o.svc.contract(&d.o.wang, c.id).expect_err("not hers"));
    assert!(d.o.svc.contracts(&d.o.wang).expect("list").is_empty());
    assert_eq!(d.o.svc.contracts(&d.o.assistant).expect("all").len(), 1);
    for who in [d.o.wang.clone(), d.o.assistant.clone(), d.o.head.clone()] {
        assert_denied(&d.o.svc.record_receipt(&who, c.id, receipt(today, "100")).expect_err("not theirs"));
    }
    // Cash collected in the field by 李强 waits to be handed in; after 3 days it is flagged.
    let cash = ReceiptDraft {
        method: PaymentMethod::Cash,
        collected_by_salesperson: true,
        note: "客户财务现场交付".into(),
        ..receipt(today, "20000")
    };
    let v = d.o.svc.record_receipt(&d.o.li, c.id, cash).expect("collected");
    let r = v.ledger.receipts[0].clone();
    assert_eq!(r.hand_in(today), HandIn::Pending { days: 0 });
    d.o.clock.advance(Duration::days(5));
    let later = d.o.svc.today();
    let list = d.o.svc.receivables(&d.o.head).expect("receivables");
    assert_eq!(list.hand_ins.len(), 1);
    assert_eq!(list.hand_ins[0].status, HandIn::Overdue { days: 5 });
    // 李强 cannot confirm his own hand-in; the assistant does, not before the money was collected.
    assert_denied(&d.o.svc.hand_in_receipt(&d.o.li, r.id, r.version, Some(later)).expect_err("own"));
    let e = d.o.svc.hand_in_receipt(&d.o.assistant, r.id, r.version, Some(today - Duration::days(1)));
    assert_field_error(&e.expect_err("before"), "handed_in_on");
    let v = d.o.svc.hand_in_receipt(&d.o.assistant, r.id, r.version, Some(later)).expect("handed in");
    assert_eq!(v.ledger.receipts[0].hand_in(later), HandIn::HandedIn { on: later, days: 5 });
    assert!(d.o.svc.receivables(&d.o.head).expect("receivables").hand_ins.is_empty());
    assert_rule(
        &d.o.svc.hand_in_receipt(&d.o.head, r.id, r.version + 1, Some(later)).expect_err("twice"),
        "receipt.already_handed_in",
    );
    assert_eq!(audit_with_action(&mut d.o.svc, &d.o.admin, "receipt.handed_in").len(), 1);

    // Targets: the head sets them, nobody else; a salesperson sees their own.
    let li = d.o.li.id();
    let yearly =
        TargetDraft { salesperson: li, year: 2026, month: None, sales: yuan("1200000"), collection: yuan("1000000") };
    assert_denied(&d.o.svc.set_target(&d.o.li, yearly.clone(), None).expect_err("not the head"));
    d.o.svc.set_target(&d.o.head, yearly.clone(), None).expect("set");
    let e = d.o.svc.set_target(&d.o.head, yearly.clone(), None).expect_err("exists meanwhile");
    assert!(e.is_conflict(), "{e:?}");
    let t = d.o.svc.targets(&d.o.li, 2026).expect("his");
    d.o.svc
        .set_target(&d.o.head, TargetDraft { sales: yuan("1500000"), ..yearly }, Some(t[0].version))
        .expect("raised");
    let not_sales = TargetDraft {
        salesperson: d.o.assistant.id(),
        year: 2026,
        month: Some(11),
        sales: yuan("1"),
        collection: yuan("1"),
    };
    assert_field_error(&d.o.svc.set_target(&d.o.head, not_sales, None).expect_err("not sales"), "salesperson");
    assert!(d.o.svc.targets(&d.o.wang, 2026).expect("hers").is_empty());
    assert_eq!(audit_with_action(&mut d.o.svc, &d.o.admin, "target.set").len(), 2);

    // The dashboard a week and a day later (the prepayment now due): November's contract value
    // against a twelfth of the year's target; a salesperson sees only their own.
    d.o.clock.advance(Duration::days(8));
    let dash = d.o.svc.dashboard(&d.o.head, 2026, None).expect("dashboard");
    assert_eq!(dash.months[10].contract_value, yuan("254500.50"));
    assert_eq!(dash.months[10].sales_target, yuan("125000.00"));
    assert_eq!(dash.funnel.map(|(_, n)| n), [1, 1, 1, 1]);
    assert_eq!((dash.won, dash.win_rate), (1, Some(Decimal::from(100))));
    assert_eq!(dash.due, yuan("76350.15"), "the prepayment is due");
    assert_eq!(dash.collected_of_due, yuan("20000.00"));
    assert_eq!(dash.collection_rate.map(|r| r.to_string()), Some("26.2".into()));
    assert_denied(&d.o.svc.dashboard(&d.o.wang, 2026, Some(li)).expect_err("not hers"));
    assert_eq!(d.o.svc.dashboard(&d.o.wang, 2026, None).expect("hers").months[10].contract_value, Money::ZERO);
    let csv = d.o.svc.export_dashboard(&d.o.head, 2026, None, DashboardChart::Aging, ExportFormat::Csv).expect("csv");
    let text = String::from_utf8_lossy(&csv);
    assert!(text.contains("账龄") && text.contains("0–30 天"), "{text}");
    let xlsx = d.o.svc.export_dashboard(&d.o.head, 2026, None, DashboardChart::SalesVsTarget, ExportFormat::Xlsx);
    assert!(xlsx.expect("xlsx").starts_with(b"PK"));
    assert_eq!(audit_with_action(&mut d.o.svc, &d.o.admin, "export.dashboard").len(), 2);
}

#[test]
fn the_demo_office_has_a_year_of_contracts_receipts_and_targets() {
    let (_dir, mut svc) = crate::support::demo_office();
    let head = crate::support::sign_in(&mut svc, "zhaomin");
    let admin = crate::support::sign_in(&mut svc, "admin");
    let contracts = svc.contracts(&head).expect("contracts");
    assert!(contracts.len() >= 11, "{} contracts", contracts.len());
    let months: std::collections::BTreeSet<(i32, u32)> = contracts
        .iter()
        .filter_map(|l| l.contract.signed_on)
        .map(|d| (chrono::Datelike::year(&d), chrono::Datelike::month(&d)))
        .collect();
    assert!(months.len() >= 5, "signed through the year: {months:?}");
    let drafts: Vec<_> = contracts.iter().filter(|l| l.contract.status == ContractStatus::Draft).collect();
    assert_eq!(drafts.len(), 1, "the latest won deal's contract waits for the head");
    assert!(contracts.iter().filter(|l| l.contract.status == ContractStatus::Signed).count() >= 10);
    assert!(contracts.iter().any(|l| l.contract.major), "a major one, confirmed by a leader too");
    assert!(contracts.iter().any(|l| !l.deliveries.is_empty() && !l.invoices.is_empty()));
    assert!(contracts.iter().any(|l| l.receipts.iter().any(|r| r.overpayment)), "the flagged overpayment");
    let salespeople: std::collections::BTreeSet<_> = contracts.iter().map(|l| l.contract.salesperson).collect();
    assert_eq!(salespeople.len(), 5, "every salesperson has contracts");

    let r = svc.receivables(&head).expect("receivables");
    assert!(r.chase.len() >= 3, "some overdue: {}", r.chase.len());
    assert!(r.chase.windows(2).all(|w| w[0].days_overdue >= w[1].days_overdue));
    assert!(r.hand_ins.iter().any(|h| matches!(h.status, HandIn::Overdue { .. })), "cash not handed in");
    assert!(r.aging.iter().filter(|m| !m.is_zero()).count() >= 3, "{:?}", r.aging);
    let li = crate::support::sign_in(&mut svc, "liqiang");
    let mine = svc.receivables(&li).expect("his");
    assert!(mine.chase.iter().all(|c| c.salesperson == li.id()));

    // The dashboard of the year most contracts were signed in.
    let mut by_year = std::collections::BTreeMap::new();
    for (y, _) in &months {
        *by_year.entry(*y).or_insert(0) += 1;
    }
    let year = by_year.iter().max_by_key(|(_, n)| **n).map(|(y, _)| *y).expect("a year");
    assert_eq!(svc.targets(&head, year).expect("targets").iter().filter(|t| t.draft.month.is_none()).count(), 5);
    let dash = svc.dashboard(&head, year, None).expect("dashboard");
    assert!(dash.months.iter().filter(|m| !m.contract_value.is_zero()).count() >= 3);
    assert!(dash.months.iter().all(|m| !m.sales_target.is_zero()));
    assert!(
        dash.collection_rate.is_some_and(|r| r > Decimal::from(40) && r < Decimal::from(100)),
        "{:?}",
        dash.collection_rate
    );
    assert!(dash.lost >= 1 && dash.won >= 5, "won {} lost {}", dash.won, dash.lost);
    assert!(dash.funnel[0].1 > dash.funnel[3].1 && dash.funnel[3].1 > 0, "{:?}", dash.funnel);
    for action in
        ["contract.create", "contract.confirm", "contract.sign", "contract.receipt", "receipt.handed_in", "target.set"]
    {
        assert!(!audit_with_action(&mut svc, &admin, action).is_empty(), "{action}");
    }
}

#[test]
fn the_customers_new_owner_records_against_the_contract_after_a_handover() {
    let (mut d, v) = signed();
    let c = v.ledger.contract.clone();
    let today = d.o.svc.today();
    assert_denied(&d.o.svc.record_receipt(&d.o.wang, c.id, receipt(today, "1000")).expect_err("not hers yet"));
    // 李强 leaves: the head hands his customers to 王芳.
    let moved = d.o.svc.reassign_customers(&d.o.head, d.o.li.id(), Some(d.o.wang.id())).expect("handed over");
    assert!(moved >= 1);
    assert_eq!(d.o.svc.contracts(&d.o.wang).expect("hers now").len(), 1);
    let v = d.o.svc.record_receipt(&d.o.wang, c.id, receipt(today, "1000")).expect("she records it");
    assert_eq!(v.ledger.receipts[0].by_name, "王芳");
    assert_eq!(v.ledger.contract.salesperson_name, "李强", "the contract stays his in the figures");
}

#[test]
fn receipts_join_the_salespersons_weekly_report_in_the_window_and_on_paper() {
    let (mut d, v) = signed();
    let c = v.ledger.contract.clone();
    let today = d.o.svc.today();
    let cash = ReceiptDraft {
        method: PaymentMethod::Cash,
        collected_by_salesperson: true,
        note: "现场收取".into(),
        ..receipt(today, "20000")
    };
    d.o.svc.record_receipt(&d.o.li, c.id, cash).expect("collected");
    let week = salesdesk::domain::visit::Week::of(today);
    let report = d.o.svc.weekly_report(&d.o.head, d.o.li.id(), week).expect("his report");
    assert_eq!(report.receipts.len(), 1);
    assert_eq!((report.receipts[0].0.as_str(), report.receipts[0].2.amount), ("HT-2026-0001", yuan("20000")));
    assert!(d.o.svc.weekly_report(&d.o.head, d.o.wang.id(), week).expect("hers").receipts.is_empty());
    let pdf = d.o.svc.print_weekly_reports(&d.o.head, week, Some(d.o.li.id())).expect("printed");
    let text = crate::documents::pdf_text(&pdf);
    assert!(text.contains("四、回款") && text.contains("HT-2026-0001") && text.contains("20,000.00"), "{text}");
    assert!(text.contains("现金，待上交"), "{text}");
    assert!(text.contains("回款1笔"), "{text}");
}

#[test]
fn the_contract_of_a_won_quote_is_drafted_once_and_opened_after_that() {
    let mut d = issued(1);
    let e = d.o.svc.open_contract_for_quote(&d.o.li, d.quote).expect_err("not won yet");
    assert_rule(&e, "contract.not_ready");
    won(&mut d);
    let (first, created) = d.o.svc.open_contract_for_quote(&d.o.li, d.quote).expect("drafts");
    assert!(created);
    let (again, created) = d.o.svc.open_contract_for_quote(&d.o.li, d.quote).expect("opens");
    assert!(!created, "one contract per quote");
    assert_eq!(again.ledger.contract.id, first.ledger.contract.id);
    assert_eq!(d.o.svc.contracts(&d.o.li).expect("lists").len(), 1);
    assert_denied(&d.o.svc.open_contract_for_quote(&d.o.wang, d.quote).expect_err("another salesperson's"));
}

#[test]
fn a_partial_delivery_leaves_the_delivery_linked_installments_undated_until_the_contract_is_complete() {
    let (mut d, v) = signed();
    let c = v.ledger.contract.clone();
    let today = d.o.svc.today();
    let qty: Vec<Quantity> = c.content.lines.iter().map(|l| l.quantity).collect();
    // The first line only: the 到货验收款 and the 质保金 wait, the card shows what is left.
    let first = DeliveryDraft {
        date: Some(today),
        lines: vec![DeliveredLine { line: 0, quantity: qty[0] }],
        note: "第一批".into(),
    };
    let v = d.o.svc.record_delivery(&d.o.li, c.id, first).expect("part delivered");
    assert!(v.ledger.installments[1..].iter().all(|i| i.due.is_none()), "nothing delivery-linked is due yet");
    assert!(v.lines_left.iter().skip(1).any(|(_, q)| !q.is_zero()), "partly delivered");
    // Twenty days later the rest: due 30 days after that delivery; the warranty runs from it.
    d.o.clock.advance(Duration::days(20));
    let done = today + Duration::days(20);
    let rest: Vec<DeliveredLine> =
        qty.iter().enumerate().skip(1).map(|(line, q)| DeliveredLine { line, quantity: *q }).collect();
    let v =
        d.o.svc
            .record_delivery(&d.o.li, c.id, DeliveryDraft { date: Some(done), lines: rest, note: "第二批".into() })
            .expect("completed");
    assert_eq!(v.ledger.installments[1].due, Some(done + Duration::days(30)));
    let months = c.content.terms.warranty_months;
    assert_eq!(v.ledger.installments[2].due, done.checked_add_months(chrono::Months::new(months)));
}

/// A draft whose schedule is `schedule`, confirmed by the head and signed today.
fn signed_with(schedule: Vec<Installment>) -> (Deal, ContractView) {
    let (mut d, v) = drafted();
    let c = &v.ledger.contract;
    let v = d.o.svc.save_schedule(&d.o.li, c.id, c.version, schedule).expect("schedule saved");
    let c = &v.ledger.contract;
    let v = d.o.svc.confirm_contract(&d.o.head, c.id, &c.content_hash, true, "同意").expect("confirmed");
    let today = d.o.svc.today();
    let c = &v.ledger.contract;
    let v = d.o.svc.sign_contract(&d.o.li, c.id, c.version, Some(today)).expect("signed");
    (d, v)
}

#[test]
fn a_pro_rata_installment_falls_due_per_shipment_and_a_warranty_from_acceptance() {
    let pct = |p: i64| Share::Percent(Decimal::from(p));
    let mut on_delivery = Installment::new("到货款", pct(60), Trigger::OnDelivery { days: 30 });
    on_delivery.basis = Basis::ProRata;
    let mut retention = Installment::new("质保金", pct(10), Trigger::AfterWarranty { months: 12 });
    retention.basis = Basis::Acceptance;
    let schedule = vec![Installment::new("预付款", pct(30), Trigger::AfterSigning { days: 7 }), on_delivery, retention];
    let (mut d, v) = signed_with(schedule);
    let c = v.ledger.contract.clone();
    let today = d.o.svc.today();
    let amounts: Vec<Money> = v.ledger.installments.iter().map(|i| i.amount).collect();
    let sixty = amounts[1];
    assert_eq!(v.ledger.installments[1].label, "到货款", "nothing shipped: one part, undated");
    assert_eq!(v.ledger.installments[1].trigger, "每批发货后 30 天（按批发货金额比例）");

    // Acceptance before anything was delivered is refused.
    let e = d.o.svc.record_acceptance(&d.o.li, c.id, c.version, Some(today)).expect_err("nothing delivered");
    assert_field_error(&e, "accepted_on");

    // The first line only: its share of the contract's value of the 到货款 falls due 30 days later.
    let line0 = &c.content.lines[0];
    let first = DeliveryDraft {
        date: Some(today),
        lines: vec![DeliveredLine { line: 0, quantity: line0.quantity }],
        note: "第一批".into(),
    };
    let v = d.o.svc.record_delivery(&d.o.li, c.id, first).expect("part delivered");
    assert!(v.ledger.progress.partial(), "{}", v.ledger.progress.label());
    let parts: Vec<_> = v.ledger.installments.iter().filter(|i| i.installment == 1).collect();
    assert_eq!(parts.len(), 2, "shipped share and what is still to ship: {parts:?}");
    let goods: Money = c.content.lines.iter().map(|l| l.amount()).sum();
    let share = line0.amount().as_decimal() / goods.as_decimal();
    assert_eq!(parts[0].amount, Money::from_decimal(sixty.as_decimal() * share));
    assert_eq!(parts[0].due, Some(today + Duration::days(30)));
    assert!(parts[1].label.contains("未发货部分") && parts[1].due.is_none());
    assert_eq!(parts[0].amount + parts[1].amount, sixty, "the parts add up to the installment");
    let r = d.o.svc.receivables(&d.o.head).expect("aging");
    assert!(r.partly_delivered.iter().any(|(n, _, s)| *n == c.number.to_string() && s.starts_with("部分发货")));
    assert!(r.awaiting_delivery >= parts[1].amount, "the undelivered share waits for its shipment");

    // The rest ten days later: the second part is dated from it, no undelivered part is left.
    d.o.clock.advance(Duration::days(10));
    let later = today + Duration::days(10);
    let rest: Vec<DeliveredLine> = c
        .content
        .lines
        .iter()
        .enumerate()
        .skip(1)
        .map(|(line, l)| DeliveredLine { line, quantity: l.quantity })
        .collect();
    let v =
        d.o.svc
            .record_delivery(&d.o.li, c.id, DeliveryDraft { date: Some(later), lines: rest, note: "第二批".into() })
            .expect("completed");
    let parts: Vec<_> = v.ledger.installments.iter().filter(|i| i.installment == 1).collect();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[1].due, Some(later + Duration::days(30)));
    assert_eq!(parts.iter().map(|p| p.amount).sum::<Money>(), sixty);
    assert_eq!(v.ledger.progress.completed_on, Some(later));
    // The warranty waits for acceptance, not for the delivery.
    let warranty = v.ledger.installments.iter().find(|i| i.installment == 2).expect("质保金");
    assert!(warranty.due.is_none(), "no acceptance recorded yet");

    // Accepted three days after the last shipment: the warranty runs 12 months from then.
    d.o.clock.advance(Duration::days(3));
    let accepted = later + Duration::days(3);
    let c = v.ledger.contract.clone();
    let e =
        d.o.svc
            .record_acceptance(&d.o.li, c.id, c.version, Some(today - Duration::days(1)))
            .expect_err("before the first delivery");
    assert_field_error(&e, "accepted_on");
    assert_denied(
        &d.o.svc.record_acceptance(&d.o.wang, c.id, c.version, Some(accepted)).expect_err("not her contract"),
    );
    let v = d.o.svc.record_acceptance(&d.o.li, c.id, c.version, Some(accepted)).expect("accepted");
    assert_eq!(v.ledger.contract.accepted_on, Some(accepted));
    let warranty = v.ledger.installments.iter().find(|i| i.installment == 2).expect("质保金");
    assert_eq!(warranty.due, accepted.checked_add_months(chrono::Months::new(12)));
    assert_eq!(warranty.trigger, "质保期满（验收合格后 12 个月）");
    assert_eq!(audit_with_action(&mut d.o.svc, &d.o.admin, "contract.acceptance").len(), 1);
    // Taken back (a typo): the warranty waits again.
    let c = v.ledger.contract.clone();
    let v = d.o.svc.record_acceptance(&d.o.li, c.id, c.version, None).expect("cleared");
    assert!(v.ledger.installments.iter().find(|i| i.installment == 2).expect("质保金").due.is_none());
    // The content hash the head confirmed did not move with the basis left out for defaults.
    assert_eq!(v.ledger.contract.content_hash, c.content_hash);
}

#[test]
fn an_invoices_tax_is_made_from_the_contract_lines_rates_unless_typed() {
    let (mut d, v) = signed();
    let c = v.ledger.contract.clone();
    let today = d.o.svc.today();
    let whole_tax: Money = c.content.totals().by_rate.iter().map(|b| b.tax).sum();
    let untyped = InvoiceDraft { number: "04412345".into(), date: Some(today), amount: Some(c.total), tax: None };
    let v = d.o.svc.record_invoice(&d.o.li, c.id, untyped).expect("invoiced without a typed tax");
    assert_eq!(v.ledger.invoices[0].tax, whole_tax, "the whole contract invoiced: its own tax");
    assert!(whole_tax > Money::ZERO);
}

#[test]
fn the_aging_page_and_the_dashboard_say_the_same_received_with_cash_to_hand_in_apart() {
    let (_dir, mut svc) = crate::support::demo_office();
    let head = crate::support::sign_in(&mut svc, "zhaomin");
    let year = chrono::Datelike::year(&svc.today());
    let r = svc.receivables(&head).expect("receivables");
    let d = svc.dashboard(&head, year, None).expect("dashboard");
    assert_eq!(r.received, d.received, "one 已收");
    assert_eq!(r.cash_pending, d.cash_pending);
    let waiting: Money = r.hand_ins.iter().map(|h| h.amount).sum();
    assert_eq!(r.cash_pending, waiting, "the cash shown apart is the cash waiting to be handed in");
}

#[test]
fn the_chase_list_exports_with_whom_to_call_the_days_overdue_and_the_last_receipt() {
    use calamine::{Data, Reader, Xlsx};
    let (_dir, mut svc) = crate::support::demo_office();
    let head = crate::support::sign_in(&mut svc, "zhaomin");
    let r = svc.receivables(&head).expect("receivables");
    assert!(!r.chase.is_empty(), "the demo has overdue money");
    assert!(r.chase.iter().all(|c| !c.phone.is_empty()), "every row says whom to call");
    let bytes = svc.export_chase_list(&head, None, salesdesk::service::ExportFormat::Xlsx).expect("exports");
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("xlsx");
    let range = book.worksheet_range("催款清单").expect("sheet");
    let rows: Vec<_> = range.rows().collect();
    assert_eq!(rows.len(), r.chase.len() + 1);
    let header: Vec<String> = rows[0].iter().map(ToString::to_string).collect();
    let col = |t: &str| header.iter().position(|h| h == t).expect(t);
    for row in &rows[1..] {
        assert!(matches!(row[col("电话")], Data::String(_)), "a phone stays text");
        assert!(matches!(row[col("未收(元)")], Data::Float(_)), "money is a number");
        assert!(matches!(row[col("逾期天数")], Data::Float(_)));
    }
    let li = crate::support::sign_in(&mut svc, "liqiang");
    let mine = svc.export_chase_list(&li, None, salesdesk::service::ExportFormat::Csv).expect("his");
    let text = String::from_utf8_lossy(&mine).to_string();
    assert!(text.lines().skip(1).all(|l| l.contains("李强")), "a salesperson exports only his own");
}

#[test]
fn a_contract_prints_from_the_template_as_a_draft_and_is_issued_by_the_assistant_once_confirmed() {
    use salesdesk::domain::contract_template::ContractTemplate;
    use salesdesk::domain::document::PrintVariant;
    let (mut d, v) = drafted();
    let c = v.ledger.contract.clone();
    let number = c.number.to_string();

    // The admin words the standard clauses; a salesperson may read but not change them.
    let t = d.o.svc.contract_template(&d.o.li).expect("readable");
    let mine = ContractTemplate {
        disputes: "协商不成的，提交苏州仲裁委员会仲裁。".into(), ..t.value.clone()
    };
    assert_denied(&d.o.svc.update_contract_template(&d.o.li, t.version, mine.clone()).expect_err("not the admin"));
    let too_long = ContractTemplate { title: "合".repeat(21), ..mine.clone() };
    assert_field_error(&d.o.svc.update_contract_template(&d.o.admin, t.version, too_long).expect_err("long"), "title");
    d.o.svc.update_contract_template(&d.o.admin, t.version, mine).expect("saved");
    assert_eq!(audit_with_action(&mut d.o.svc, &d.o.admin, "settings.contract_template").len(), 1);

    // A draft: watermark, the lines with 折后单价 that multiply out, 大写, the schedule, the clauses.
    let draft = d.o.svc.print_contract(&d.o.li, c.id).expect("a draft");
    assert!(!draft.stamped && draft.file_name.starts_with("销售合同_") && draft.file_name.ends_with("_草稿.pdf"));
    let text = crate::documents::pdf_text(&draft.bytes);
    for wanted in [
        "产品购销合同",
        "第一条",
        "合同待确认",
        "需方（甲方）",
        "供方（乙方）",
        "苏州仲裁委员会仲裁",
        "预付款：合同总金额的30%",
    ] {
        assert!(text.contains(wanted), "{wanted} in {text}");
    }
    assert!(text.contains(&number), "{text}");
    let upper = salesdesk::domain::rmb::rmb_uppercase(c.total).expect("大写");
    assert!(text.contains(&upper), "{upper} in {text}");
    assert_denied(&d.o.svc.print_contract(&d.o.wang, c.id).expect_err("another salesperson's"));

    // Not before it is confirmed; never by a salesperson.
    let out = d.o.dir.path().join("合同.pdf");
    let e = d.o.svc.issue_contract(&d.o.assistant, c.id, 2, PrintVariant::Seal, &out).expect_err("a draft");
    assert_rule(&e, "document.not_approved");
    assert!(!out.exists());
    let v = d.o.svc.confirm_contract(&d.o.head, c.id, &c.content_hash, true, "同意").expect("confirmed");
    assert_eq!(v.ledger.contract.status, ContractStatus::Confirmed);
    assert_denied(&d.o.svc.issue_contract(&d.o.li, c.id, 2, PrintVariant::Seal, &out).expect_err("salesperson"));
    let e = d.o.svc.issue_contract(&d.o.assistant, c.id, 2, PrintVariant::SealRiding, &out).expect_err("riding");
    assert_rule(&e, "document.riding_seal_bid_only");

    // 用印发出: its own register entry, verifiable; again: the same bytes, a reprint.
    let entry = d.o.svc.issue_contract(&d.o.assistant, c.id, 2, PrintVariant::Seal, &out).expect("issued");
    assert_eq!((entry.contract, entry.copies, entry.reprint), (Some(c.id), 2, false));
    assert_eq!(entry.doc_title(), "销售合同");
    let bytes = std::fs::read(&out).expect("written");
    let verdict = d.o.svc.verify_pdf(&bytes).expect("verifies");
    assert!(verdict.is_genuine() && verdict.message().contains("销售合同"), "{}", verdict.message());
    assert!(!crate::documents::pdf_text(&bytes).contains("合同待确认"), "no watermark once issued");
    let again_out = d.o.dir.path().join("合同2.pdf");
    let again = d.o.svc.issue_contract(&d.o.assistant, c.id, 1, PrintVariant::Seal, &again_out).expect("reprint");
    assert!(again.reprint && again.sha256 == entry.sha256);
    assert_eq!(std::fs::read(&again_out).expect("written"), bytes);
    let printed = d.o.svc.print_contract(&d.o.li, c.id).expect("the issued file");
    assert!(printed.stamped && printed.bytes == bytes);

    // The quote it came from is not confused with it: issuing the quote again reprints the quote.
    let q = d.o.svc.issue_quote(&d.o.assistant, d.quote, 1, &d.o.dir.path().join("V1-again.pdf")).expect("quote");
    assert!(q.reprint && q.contract.is_none() && q.sha256 != entry.sha256);
    let register = d.o.svc.issued_documents(&d.o.assistant).expect("the register");
    assert_eq!(register.iter().filter(|e| e.contract == Some(c.id)).count(), 2);
}
