//! After issue — procedure step (3), DESIGN §3 and issue 9 (first half): the salesperson logs
//! negotiation rounds (the first moves the quote to 谈判中); a revision made after issue carries
//! its computed change table, which the head (and a leader when major, including a unit price
//! moved by more than 5%) confirms change by change or refuses; a confirmed revision is issued
//! again; won or lost is recorded once with the reason and the competitor; a quote expires at the
//! end of its validity; and a contract may be made only from a won quote whose latest revision is
//! approved with every change confirmed — otherwise the service says what is missing. Refusals
//! and audit entries for each. Staff office on a test clock (2026-11-27 09:00 UTC).

use chrono::Duration;
use salesdesk::domain::changes::{ChangeDecision, ChangeField, ChangeKind};
use salesdesk::domain::ids::QuoteId;
use salesdesk::domain::inquiry::{InquiryDraft, InquiryKind, InquiryLine, InquirySource};
use salesdesk::domain::money::{Discount, Quantity};
use salesdesk::domain::negotiation::{OutcomeDraft, OutcomeKind, RoundDraft};
use salesdesk::domain::product::Product;
use salesdesk::domain::quote::{ApprovalStep, QuoteStatus, Revision, RevisionContent, RevisionStatus};
use salesdesk::service::{QuoteView, ServiceError};

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

/// 李强's quote for his customer — one 干式变压器 and two 高压开关柜 (¥323,001.00, not major) —
/// approved by the head and issued by the assistant.
fn issued_deal() -> Deal {
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
        subject: "10kV配电工程设备询价".into(),
        lines: vec![wants(&transformer, 1), wants(&cabinet, 2)],
        ..Default::default()
    };
    let i = o.svc.register_inquiry(&o.li, draft).expect("registered");
    let i = o.svc.decide_inquiry(&o.head, i.id, i.version, true, "参与").expect("go");
    let v = o.svc.create_quote(&o.li, i.id).expect("quote");
    let r = latest(&v);
    let v = o.svc.submit_revision(&o.li, r.id, r.version).expect("submitted");
    let r = latest(&v);
    assert!(!r.major, "{:?}", r.major_reasons);
    o.svc.decide_revision(&o.head, r.id, &r.content_hash, true, "同意。").expect("approved");
    let quote = v.quote.id;
    issue(&mut o, quote, "V1.pdf");
    Deal { o, transformer, quote }
}

fn issue(o: &mut Office, quote: QuoteId, file: &str) {
    let out = o.dir.path().join(file);
    o.svc.issue_quote(&o.assistant, quote, 1, &out).expect("the assistant issues");
}

fn round(date: chrono::NaiveDate, asked: &str) -> RoundDraft {
    RoundDraft {
        date: Some(date),
        customer_side: "张伟（设备部经理）".into(),
        asked: asked.into(),
        offered: "变压器单价让3%，质保延长到18个月".into(),
    }
}

/// V(n+1) saved with `edit` and submitted by 李强.
fn revise(d: &mut Deal, edit: impl FnOnce(&mut RevisionContent)) -> Revision {
    let v = d.o.svc.new_revision(&d.o.li, d.quote).expect("a new revision");
    let r = latest(&v);
    let mut content = r.content.clone();
    edit(&mut content);
    let v = d.o.svc.save_draft(&d.o.li, r.id, r.version, content).expect("saved");
    let r = latest(&v);
    let v = d.o.svc.submit_revision(&d.o.li, r.id, r.version).expect("submitted");
    latest(&v)
}

fn answers(d: &mut Deal, r: &Revision, confirm: impl Fn(&str) -> bool) -> Vec<ChangeDecision> {
    let view = d.o.svc.negotiation(&d.o.head, d.quote).expect("the head reads it");
    let changes = view.changes_of(r.id).expect("a revision after issue has a change table");
    changes.set.changes.iter().map(|c| ChangeDecision { key: c.key.clone(), confirmed: confirm(&c.key) }).collect()
}

fn status(d: &mut Deal) -> QuoteStatus {
    d.o.svc.quote_view(&d.o.li, d.quote).expect("view").quote.status
}

#[test]
fn issued_negotiated_revised_confirmed_issued_again_and_won_is_ready_for_a_contract() {
    let mut d = issued_deal();
    let today = d.o.svc.today();
    assert_eq!(status(&mut d), QuoteStatus::Issued);

    // A round: the quote is now being negotiated; the round is numbered and audited.
    let view = d.o.svc.log_negotiation_round(&d.o.li, d.quote, round(today, "变压器单价降5%")).expect("logged");
    assert_eq!(view.status, QuoteStatus::Negotiating);
    assert_eq!(view.rounds.len(), 1);
    assert_eq!(view.rounds[0].round, 1);
    assert_eq!(view.rounds[0].by_name, "李强");
    assert_eq!(view.issued.map(|(n, _)| n), Some(1));
    assert_eq!(view.valid_until, Some(today + Duration::days(30)));
    let logged = audit_with_action(&mut d.o.svc, &d.o.admin, "negotiation.round");
    assert_eq!(logged.len(), 1);
    assert!(logged[0].after.contains("变压器单价降5%"), "{}", logged[0].after);
    // The head and the assistant read the rounds too (visible like the quote).
    assert_eq!(d.o.svc.negotiation(&d.o.assistant, d.quote).expect("assistant reads").rounds.len(), 1);

    // V2 after issue: 3% off the transformer, a new model, 18 months' warranty.
    let t = d.transformer.id;
    let v2 = revise(&mut d, |c| {
        let l = c.lines.iter_mut().find(|l| l.product == Some(t)).expect("the transformer line");
        l.discount = Discount::parse("3").expect("3%");
        l.model = "SCB13-1000/10-NX2".into();
        c.terms.warranty_months = 18;
    });
    assert!(!v2.major, "3% is within the 5% price move: {:?}", v2.major_reasons);
    let view = d.o.svc.negotiation(&d.o.li, d.quote).expect("view");
    let table = view.changes_of(v2.id).expect("V2 has a change table");
    assert_eq!(table.base, 1);
    let rows: Vec<(ChangeKind, ChangeField, &str, &str)> =
        table.set.changes.iter().map(|c| (c.kind, c.field.clone(), c.before.as_str(), c.after.as_str())).collect();
    assert_eq!(
        rows,
        vec![
            (ChangeKind::Technical, ChangeField::Model, "（空）", "SCB13-1000/10-NX2"),
            (ChangeKind::Commercial, ChangeField::Discount, "0%", "3%"),
            (ChangeKind::Commercial, ChangeField::Warranty, "12 个月", "18 个月"),
        ]
    );

    // The plain approval does not confirm changes; half the answers are not enough.
    let e = d.o.svc.decide_revision(&d.o.head, v2.id, &v2.content_hash, true, "").expect_err("not per change");
    assert_rule(&e, "approval.use_change_table");
    let all = answers(&mut d, &v2, |_| true);
    let e = d.o.svc.decide_changes(&d.o.head, v2.id, &v2.content_hash, &all[..2], "").expect_err("one unanswered");
    assert_rule_naming(&e, "change.unanswered", "还有 1 项");
    // The salesperson cannot confirm, and nobody confirms content they did not see.
    assert_denied(&d.o.svc.decide_changes(&d.o.li, v2.id, &v2.content_hash, &all, "").expect_err("not an approver"));
    assert_rule(&d.o.svc.decide_changes(&d.o.head, v2.id, "stale", &all, "").expect_err("stale"), "approval.stale");

    // The head confirms each change: V2 is approved.
    let v =
        d.o.svc.decide_changes(&d.o.head, v2.id, &v2.content_hash, &all, "同意，按新型号供货。").expect("confirmed");
    assert_eq!(latest(&v).status, RevisionStatus::Approved);
    let view = d.o.svc.negotiation(&d.o.li, d.quote).expect("view");
    let table = view.changes_of(v2.id).expect("table");
    assert_eq!(table.confirmations.len(), 3);
    assert!(table.set.changes.iter().all(|c| table.answer(&c.key, ApprovalStep::Head).is_some_and(|a| a.confirmed)));
    let confirmed = audit_with_action(&mut d.o.svc, &d.o.admin, "quote.confirm_changes");
    assert_eq!(confirmed.len(), 1);
    assert!(confirmed[0].after.contains("型号规格"), "{}", confirmed[0].after);

    // Not won yet: no contract, and the service says why.
    let missing = d.o.svc.contract_readiness(&d.o.li, d.quote).expect("reads").expect_err("not won");
    assert!(missing.iter().any(|m| m.contains("尚未登记中标/成交")), "{missing:?}");

    // Issued again: the register has V2, the quote stays in negotiation.
    issue(&mut d.o, d.quote, "V2.pdf");
    let register: Vec<u32> =
        d.o.svc
            .issued_documents(&d.o.assistant)
            .expect("register")
            .into_iter()
            .filter(|e| e.quote == d.quote)
            .map(|e| e.revision)
            .collect();
    assert_eq!(register, vec![2, 1], "newest first");
    assert_eq!(status(&mut d), QuoteStatus::Negotiating);
    assert_eq!(d.o.svc.negotiation(&d.o.li, d.quote).expect("view").issued.map(|(n, _)| n), Some(2));

    // Won, with the reason; recorded once, audited.
    let won = OutcomeDraft {
        won: true,
        date: Some(today),
        reason: "技术方案获认可，价格有优势".into(),
        ..Default::default()
    };
    let view = d.o.svc.record_outcome(&d.o.li, d.quote, won.clone()).expect("won");
    assert_eq!(view.status, QuoteStatus::Won);
    let outcome = view.outcome.as_ref().expect("outcome");
    assert_eq!((outcome.kind, outcome.revision), (OutcomeKind::Won, 2));
    assert_rule(&d.o.svc.record_outcome(&d.o.head, d.quote, won).expect_err("twice"), "outcome.recorded");
    assert_eq!(audit_with_action(&mut d.o.svc, &d.o.admin, "quote.won").len(), 1);
    assert_rule_naming(
        &d.o.svc.log_negotiation_round(&d.o.li, d.quote, round(today, "再降")).expect_err("over"),
        "quote.closed",
        "登记谈判",
    );

    // Ready for a contract: V2, its changes against V1 all confirmed.
    let source = d.o.svc.contract_readiness(&d.o.li, d.quote).expect("reads").expect("ready");
    assert_eq!(source.revision.revision, 2);
    assert_eq!(source.issued_revision, 2);
    assert_eq!(source.changes.len(), 3);
    assert_eq!(source.outcome.kind, OutcomeKind::Won);
    assert!(view.contract.as_ref().is_some_and(|c| c.is_ok()), "the builder sees it ready");
}

#[test]
fn a_price_move_over_five_percent_needs_a_leader_who_may_refuse_a_change_and_the_contract_waits() {
    let mut d = issued_deal();
    let today = d.o.svc.today();
    let t = d.transformer.id;
    let v2 = revise(&mut d, |c| {
        let l = c.lines.iter_mut().find(|l| l.product == Some(t)).expect("line");
        l.unit_price = yuan("170000");
        c.terms.delivery_days = 25;
    });
    assert!(v2.major);
    assert!(v2.major_reasons.iter().any(|r| r.starts_with("单价变动 8.6% > 5%")), "{:?}", v2.major_reasons);

    let all = answers(&mut d, &v2, |_| true);
    let v = d.o.svc.decide_changes(&d.o.head, v2.id, &v2.content_hash, &all, "").expect("head confirms");
    assert_eq!(latest(&v).status, RevisionStatus::Submitted, "the leader's step waits");
    assert_eq!(d.o.svc.approval_inbox(&d.o.leader).expect("inbox").len(), 1);

    // The leader refuses the price: a reason is required, and V2 is rejected.
    let price_refused = answers(&mut d, &v2, |k| !k.ends_with("unit_price"));
    let e = d.o.svc.decide_changes(&d.o.leader, v2.id, &v2.content_hash, &price_refused, " ").expect_err("reason");
    assert_field_error(&e, "comment");
    let v =
        d.o.svc
            .decide_changes(&d.o.leader, v2.id, &v2.content_hash, &price_refused, "降价超过授权，维持原价。")
            .expect("refused");
    assert_eq!(latest(&v).status, RevisionStatus::Rejected);
    let table = d.o.svc.negotiation(&d.o.li, d.quote).expect("view").changes_of(v2.id).cloned().expect("table");
    let refused: Vec<&str> = table
        .confirmations
        .iter()
        .filter(|c| c.step == ApprovalStep::Leader && !c.confirmed)
        .map(|c| c.change.after.as_str())
        .collect();
    assert_eq!(refused, vec!["¥170,000.00"]);

    // The customer signs up anyway (on V1's terms): won, but no contract from a rejected V2.
    let won = OutcomeDraft { won: true, date: Some(today), ..Default::default() };
    d.o.svc.record_outcome(&d.o.head, d.quote, won).expect("the head records it");
    let missing = d.o.svc.contract_readiness(&d.o.head, d.quote).expect("reads").expect_err("not ready");
    assert!(missing.iter().any(|m| m.contains("V2 已驳回")), "{missing:?}");
    assert!(missing.iter().any(|m| m.contains("未经公司领导确认") && m.contains("¥170,000.00")), "{missing:?}");
}

#[test]
fn lost_with_the_competitor_and_its_price() {
    let mut d = issued_deal();
    let today = d.o.svc.today();
    let no_reason = OutcomeDraft { won: false, date: Some(today), ..Default::default() };
    assert_field_error(&d.o.svc.record_outcome(&d.o.li, d.quote, no_reason).expect_err("why?"), "reason");
    let price_only = OutcomeDraft {
        won: false,
        date: Some(today),
        reason: "价格高于竞争对手".into(),
        competitor_price: Some(yuan("298000")),
        ..Default::default()
    };
    assert_field_error(&d.o.svc.record_outcome(&d.o.li, d.quote, price_only.clone()).expect_err("who?"), "competitor");
    let lost = OutcomeDraft { competitor: "正泰电气股份有限公司".into(), ..price_only };
    let view = d.o.svc.record_outcome(&d.o.li, d.quote, lost).expect("lost");
    assert_eq!(view.status, QuoteStatus::Lost);
    let o = view.outcome.expect("outcome");
    assert_eq!(o.kind, OutcomeKind::Lost);
    assert_eq!(o.competitor, "正泰电气股份有限公司");
    assert_eq!(o.competitor_price, Some(yuan("298000")));
    let audited = audit_with_action(&mut d.o.svc, &d.o.admin, "quote.lost");
    assert_eq!(audited.len(), 1);
    assert!(audited[0].after.contains("正泰电气") && audited[0].after.contains("298000"), "{}", audited[0].after);
    let missing = d.o.svc.contract_readiness(&d.o.li, d.quote).expect("reads").expect_err("lost");
    assert!(missing[0].contains("未成交"), "{missing:?}");
    // Lost is final: no more rounds, no issuing.
    assert_rule_naming(
        &d.o.svc.log_negotiation_round(&d.o.li, d.quote, round(today, "再谈")).expect_err("lost"),
        "quote.closed",
        "已未成交",
    );
}

#[test]
fn a_quote_expires_the_day_after_its_validity_by_the_service_clock() {
    let mut d = issued_deal();
    assert!(d.o.svc.expire_quotes().expect("runs").is_empty());
    d.o.clock.advance(Duration::days(30));
    assert!(d.o.svc.expire_quotes().expect("runs").is_empty(), "the 30th day is still valid");
    assert_eq!(status(&mut d), QuoteStatus::Issued);
    d.o.clock.advance(Duration::days(1));
    let expired = d.o.svc.expire_quotes().expect("runs");
    assert_eq!(expired.len(), 1);
    assert_eq!(status(&mut d), QuoteStatus::Expired);
    let view = d.o.svc.negotiation(&d.o.li, d.quote).expect("view");
    let o = view.outcome.expect("outcome");
    assert_eq!((o.kind, o.by, o.by_name.as_str()), (OutcomeKind::Expired, None, "系统"));
    assert!(o.reason.contains("有效期至"), "{}", o.reason);
    assert!(d.o.svc.expire_quotes().expect("runs again").is_empty(), "once");
    let audited = audit_with_action(&mut d.o.svc, &d.o.admin, "quote.expired");
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0].actor, "系统（有效期届满）");
    // Expired is an outcome: nothing more is recorded, nothing issued.
    let today = d.o.svc.today();
    let won = OutcomeDraft { won: true, date: Some(today), ..Default::default() };
    assert_rule(&d.o.svc.record_outcome(&d.o.li, d.quote, won).expect_err("expired"), "outcome.recorded");
    let e = d.o.svc.issue_quote(&d.o.assistant, d.quote, 1, &d.o.dir.path().join("late.pdf")).expect_err("expired");
    assert_rule_naming(&e, "quote.closed", "已过期");
}

#[test]
fn a_new_issue_renews_the_validity() {
    let mut d = issued_deal();
    d.o.clock.advance(Duration::days(20));
    let v2 = revise(&mut d, |c| c.terms.delivery_days = 20);
    let all = answers(&mut d, &v2, |_| true);
    d.o.svc.decide_changes(&d.o.head, v2.id, &v2.content_hash, &all, "").expect("confirmed");
    issue(&mut d.o, d.quote, "V2.pdf");
    d.o.clock.advance(Duration::days(20));
    assert!(d.o.svc.expire_quotes().expect("runs").is_empty(), "V2 went out 20 days ago");
    d.o.clock.advance(Duration::days(11));
    assert_eq!(d.o.svc.expire_quotes().expect("runs").len(), 1);
}

#[test]
fn only_the_quotes_salesperson_negotiates_and_only_after_issue() {
    let mut d = issued_deal();
    let today = d.o.svc.today();
    let r = round(today, "降价");
    // Another salesperson, the head (who approves) and the assistant do not log rounds.
    for who in [d.o.wang.clone(), d.o.head.clone(), d.o.assistant.clone()] {
        let e = d.o.svc.log_negotiation_round(&who, d.quote, r.clone()).expect_err("not theirs");
        assert_denied(&e);
    }
    // Bad input is named by field.
    let future = RoundDraft { date: Some(today + Duration::days(1)), ..r.clone() };
    assert_field_error(&d.o.svc.log_negotiation_round(&d.o.li, d.quote, future).expect_err("future"), "date");
    let before = RoundDraft { date: Some(today - Duration::days(1)), ..r.clone() };
    assert_field_error(&d.o.svc.log_negotiation_round(&d.o.li, d.quote, before).expect_err("before issue"), "date");
    let blank = RoundDraft { asked: "  ".into(), ..r.clone() };
    assert_field_error(&d.o.svc.log_negotiation_round(&d.o.li, d.quote, blank).expect_err("blank"), "asked");
    assert!(audit_with_action(&mut d.o.svc, &d.o.admin, "negotiation.round").is_empty(), "nothing was logged");
    assert_eq!(status(&mut d), QuoteStatus::Issued);

    // Another salesperson records no outcome either.
    let lost = OutcomeDraft { won: false, date: Some(today), reason: "价格".into(), ..Default::default() };
    assert_denied(&d.o.svc.record_outcome(&d.o.wang, d.quote, lost.clone()).expect_err("not theirs"));
    // 王芳 cannot even read 李强's quote's negotiation.
    assert_denied(&d.o.svc.negotiation(&d.o.wang, d.quote).expect_err("not hers"));

    // A quote not issued yet: nothing to negotiate, no outcome.
    let mut fresh = approved_deal();
    let e = fresh.o.svc.log_negotiation_round(&fresh.o.li, fresh.quote, r).expect_err("not issued");
    assert_rule(&e, "quote.not_issued");
    let e = fresh.o.svc.record_outcome(&fresh.o.li, fresh.quote, lost).expect_err("not issued");
    assert_rule(&e, "quote.not_issued");
    let missing = fresh.o.svc.contract_readiness(&fresh.o.li, fresh.quote).expect("reads").expect_err("nothing");
    assert!(missing.iter().any(|m| m.contains("尚未用印发出")), "{missing:?}");
}

/// The same quote approved but not issued.
fn approved_deal() -> Deal {
    let mut o = office();
    let today = o.svc.today();
    let transformer = o
        .svc
        .create_product(&o.head, product("CP-SCB13-1000", "干式变压器", "186000", Some("162000")), today)
        .expect("product");
    let draft = InquiryDraft {
        kind: InquiryKind::Inquiry,
        customer: Some(o.li_customer.id),
        source: InquirySource::Visit,
        subject: "变压器询价".into(),
        lines: vec![InquiryLine {
            product: Some(transformer.id),
            description: "干式变压器".into(),
            quantity: Some(Quantity::from_units(1)),
            unit: "台".into(),
            ..Default::default()
        }],
        ..Default::default()
    };
    let i = o.svc.register_inquiry(&o.li, draft).expect("registered");
    let i = o.svc.decide_inquiry(&o.head, i.id, i.version, true, "参与").expect("go");
    let v = o.svc.create_quote(&o.li, i.id).expect("quote");
    let r = latest(&v);
    let v = o.svc.submit_revision(&o.li, r.id, r.version).expect("submitted");
    let r = latest(&v);
    o.svc.decide_revision(&o.head, r.id, &r.content_hash, true, "同意。").expect("approved");
    Deal { quote: v.quote.id, o, transformer }
}

#[test]
fn a_revision_equal_to_the_issued_one_has_nothing_to_confirm() {
    let mut d = issued_deal();
    let v2 = revise(&mut d, |_| {});
    let view = d.o.svc.negotiation(&d.o.head, d.quote).expect("view");
    assert!(view.changes_of(v2.id).expect("table").set.is_empty());
    let v = d.o.svc.decide_changes(&d.o.head, v2.id, &v2.content_hash, &[], "").expect("nothing to confirm");
    assert_eq!(latest(&v).status, RevisionStatus::Approved);
}

#[test]
fn the_demo_office_negotiates_confirms_and_ends_its_quotes_through_the_use_cases() {
    let (_dir, mut svc) = crate::support::demo_office();
    let head = crate::support::sign_in(&mut svc, "zhaomin");
    let admin = crate::support::sign_in(&mut svc, "admin");
    let mut seen = std::collections::BTreeMap::new();
    for s in svc.quotes(&head).expect("quotes") {
        let n = svc.negotiation(&head, s.quote.id).expect("negotiation");
        seen.insert(s.quote.status.code(), n.clone());
        match s.quote.status {
            QuoteStatus::Negotiating => {
                assert!(n.rounds.len() >= 2, "{}", s.quote.number);
                let pending = n.changes.last().expect("a revised offer after issue");
                assert!(!pending.set.is_empty() && pending.confirmations.is_empty(), "waiting for the head");
            }
            QuoteStatus::Won => {
                let o = n.outcome.as_ref().expect("outcome");
                assert!(!o.competitor.is_empty() && o.competitor_price.is_some());
                assert!(n.changes.iter().any(|c| !c.set.is_empty() && !c.confirmations.is_empty()), "confirmed");
                assert!(n.contract.as_ref().is_some_and(|c| c.is_ok()), "{:?}", n.contract);
            }
            QuoteStatus::Lost => assert!(!n.outcome.expect("outcome").reason.is_empty()),
            QuoteStatus::Expired => assert_eq!(n.outcome.expect("outcome").by, None),
            _ => {}
        }
    }
    for status in ["negotiating", "won", "lost", "expired"] {
        assert!(seen.contains_key(status), "the demo has a {status} quote: {:?}", seen.keys());
    }
    assert!(!audit_with_action(&mut svc, &admin, "negotiation.round").is_empty());
    assert!(!audit_with_action(&mut svc, &admin, "quote.confirm_changes").is_empty());
    assert_eq!(audit_with_action(&mut svc, &admin, "quote.expired").len(), 1);
}
