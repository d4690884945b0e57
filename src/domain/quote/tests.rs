use chrono::{DateTime, Utc};
use rust_decimal_macros::dec;

use super::*;

fn m(s: &str) -> Money {
    Money::parse(s).unwrap()
}

fn line(qty: &str, price: &str, discount: &str, floor: Option<&str>, rate: TaxRate) -> QuoteLine {
    QuoteLine {
        name: "干式变压器".into(),
        quantity: Quantity::parse(qty).unwrap(),
        list_price: m(price),
        unit_price: m(price),
        discount: Discount::parse(discount).unwrap(),
        tax_rate: rate,
        floor_price: floor.map(m),
        ..Default::default()
    }
}

fn content(lines: Vec<QuoteLine>) -> RevisionContent {
    RevisionContent { lines, ..Default::default() }
}

#[test]
fn line_amounts_and_totals_follow_the_one_formula() {
    // (quantity, unit price, discount %, expected amount): half away from zero at 分.
    let cases = [
        ("1", "100.00", "0", "100.00"),
        ("3", "33.33", "0", "99.99"),
        // 0.5 × 0.05 = 0.025 → 0.03 (half away from zero; banker's rounding would give 0.02)
        ("0.5", "0.05", "0", "0.03"),
        ("0.5", "0.01", "0", "0.01"),
        ("2.5", "10.01", "0", "25.03"),
        ("123.456", "3.33", "0", "411.11"),
        ("1", "99.99", "5", "94.99"),
        ("7", "0.05", "10", "0.32"),
        ("1000", "486.50", "3.5", "469472.50"),
    ];
    for (q, p, d, want) in cases {
        let mut l = line(q, "1", d, None, TaxRate::RATE_13);
        l.unit_price = Money::from_decimal(p.parse().unwrap());
        assert_eq!(l.amount(), m(want), "{q} × {p} − {d}%");
    }
}

#[test]
fn totals_split_tax_per_rate() {
    let c = content(vec![
        line("1", "113.00", "0", None, TaxRate::RATE_13),
        line("2", "54.50", "0", None, TaxRate::RATE_9),
        line("1", "106.00", "0", None, TaxRate::RATE_6),
    ]);
    let t = c.totals();
    assert_eq!(t.total, m("328.00"));
    assert_eq!(t.tax, m("13.00") + m("9.00") + m("6.00"));
    assert_eq!(t.net, m("300.00"));
    assert_eq!(t.by_rate.len(), 3);
}

#[test]
fn a_line_below_its_floor_needs_a_reason() {
    let mut c = content(vec![line("1", "100.00", "15", Some("90.00"), TaxRate::RATE_13)]);
    assert_eq!(c.lines_below_floor(), 1);
    let problems = c.problems(QuoteKind::Quote);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].field, "line0.exception_reason");
    c.lines[0].exception_reason = "战略客户首单".into();
    assert!(c.problems(QuoteKind::Quote).is_empty());
    // Exactly at the floor is not below it.
    let at = content(vec![line("1", "100.00", "10", Some("90.00"), TaxRate::RATE_13)]);
    assert_eq!(at.lines_below_floor(), 0);
}

#[test]
fn a_bid_must_answer_every_clause_and_a_quote_needs_lines() {
    assert_eq!(content(vec![]).problems(QuoteKind::Quote)[0].field, "lines");
    let mut c = content(vec![line("1", "10", "0", None, TaxRate::RATE_13)]);
    c.responses.push(ClauseResponse { clause_no: "3.1".into(), requirement: "IP4X".into(), ..Default::default() });
    assert_eq!(c.problems(QuoteKind::Bid)[0].field, "response0");
    assert!(c.problems(QuoteKind::Quote).is_empty());
    c.responses[0].response = "满足，IP4X".into();
    assert!(c.problems(QuoteKind::Bid).is_empty());
}

#[test]
fn the_content_hash_changes_with_any_content_and_only_with_content() {
    let a = content(vec![line("2", "100.00", "0", None, TaxRate::RATE_13)]);
    let b = a.clone();
    assert_eq!(a.content_hash().unwrap(), b.content_hash().unwrap());
    assert_eq!(a.content_hash().unwrap().len(), 64);
    let mut c = a.clone();
    c.lines[0].quantity = Quantity::parse("2.001").unwrap();
    assert_ne!(a.content_hash().unwrap(), c.content_hash().unwrap());
    let mut d = a.clone();
    d.terms.warranty_months = 18;
    assert_ne!(a.content_hash().unwrap(), d.content_hash().unwrap());
}

#[test]
fn major_reasons_come_from_the_policy() {
    let policy = ApprovalPolicy::default();
    let std = CommercialTerms::default();
    let mut c = content(vec![
        line("1", "600000.00", "0", None, TaxRate::RATE_13),
        line("1", "100.00", "20", Some("90.00"), TaxRate::RATE_13),
    ]);
    c.terms.prepayment_pct = dec!(20);
    let texts: Vec<String> = c.major_reasons(&policy, &std, false).iter().map(|r| r.to_string()).collect();
    assert_eq!(texts, vec!["总价 ≥ ¥500,000.00", "1 行低于最低限价", "预付款 20% < 30%"]);
}

fn at() -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(1_800_000_000, 0).unwrap()
}

fn approval(step: ApprovalStep, by: i64, approved: bool) -> Approval {
    Approval {
        step,
        by: UserId(by),
        by_name: String::new(),
        at: at(),
        approved,
        comment: String::new(),
        content_hash: "h".into(),
    }
}

fn state(major: bool, approvals: &[Approval]) -> ApprovalState<'_> {
    ApprovalState {
        status: RevisionStatus::Submitted,
        major,
        content_hash: "h",
        approvals,
        author: UserId(10),
        customer_owner: Some(UserId(11)),
        other_head_exists: true,
    }
}

fn roles(r: &[Role]) -> RoleSet {
    RoleSet::new(r.iter().copied())
}

#[test]
fn approvals_follow_head_then_leader_when_major() {
    let head = roles(&[Role::Head]);
    let leader = roles(&[Role::Leader]);
    let s = state(true, &[]);
    assert_eq!(s.check(UserId(3), &leader, "h"), Err(ApprovalError::NotYourStep("销售部负责人")));
    assert_eq!(s.check(UserId(2), &head, "h"), Ok(ApprovalStep::Head));
    let after_head = [approval(ApprovalStep::Head, 2, true)];
    let s = state(true, &after_head);
    assert_eq!(s.status_after(&after_head), RevisionStatus::Submitted);
    assert_eq!(s.check(UserId(3), &leader, "h"), Ok(ApprovalStep::Leader));
    let both = [approval(ApprovalStep::Head, 2, true), approval(ApprovalStep::Leader, 3, true)];
    assert_eq!(s.status_after(&both), RevisionStatus::Approved);
    assert_eq!(state(false, &[]).status_after(&[approval(ApprovalStep::Head, 2, true)]), RevisionStatus::Approved);
}

#[test]
fn separation_of_duties_is_enforced() {
    let s = state(false, &[]);
    let head = roles(&[Role::Head]);
    assert_eq!(s.check(UserId(10), &head, "h"), Err(ApprovalError::OwnRevision));
    assert_eq!(s.check(UserId(11), &head, "h"), Err(ApprovalError::OwnCustomer));
    let both = roles(&[Role::Head, Role::Leader]);
    let after_head = [approval(ApprovalStep::Head, 2, true)];
    assert_eq!(state(true, &after_head).check(UserId(2), &both, "h"), Err(ApprovalError::SamePerson));
}

#[test]
fn with_no_other_head_the_head_step_goes_to_a_leader() {
    let mut s = state(false, &[]);
    s.other_head_exists = false;
    assert_eq!(s.check(UserId(2), &roles(&[Role::Head]), "h"), Err(ApprovalError::NotYourStep("公司领导")));
    assert_eq!(s.check(UserId(3), &roles(&[Role::Leader]), "h"), Ok(ApprovalStep::Head));
}

#[test]
fn stale_content_and_finished_revisions_are_refused() {
    let head = roles(&[Role::Head]);
    assert_eq!(state(false, &[]).check(UserId(2), &head, "old"), Err(ApprovalError::StaleContent));
    let rejected = [approval(ApprovalStep::Head, 2, false)];
    let s = state(true, &rejected);
    assert_eq!(s.status_after(&rejected), RevisionStatus::Rejected);
    assert!(s.check(UserId(4), &head, "h").is_err());
    let mut draft = state(false, &[]);
    draft.status = RevisionStatus::Draft;
    assert_eq!(draft.check(UserId(2), &head, "h"), Err(ApprovalError::NotSubmitted("草稿")));
}

#[test]
fn the_tax_wording_is_made_from_the_rates_on_the_lines() {
    let line = |rate: TaxRate| QuoteLine { tax_rate: rate, ..Default::default() };
    let mut c = RevisionContent::default();
    assert_eq!(c.tax_wording(), "");
    c.lines = vec![line(TaxRate::RATE_13), line(TaxRate::RATE_13)];
    assert_eq!(c.tax_wording(), "以上价格均含13%增值税");
    c.lines = vec![
        line(TaxRate::RATE_13),
        line(TaxRate::RATE_13),
        line(TaxRate::RATE_13),
        line(TaxRate::RATE_6),
        line(TaxRate::RATE_13),
    ];
    assert_eq!(c.tax_wording(), "第1–3、5行含13%增值税；第4行含6%增值税");
    assert!(!c.tax_wording().starts_with("以上价格均含13%"));
}

#[test]
fn the_hash_binds_what_is_offered_not_the_floors_kept_beside_it() {
    let with = content(vec![line("2", "100.00", "0", Some("95.00"), TaxRate::RATE_13)]);
    let without = with.without_floors();
    assert_eq!(without.lines[0].floor_price, None);
    assert_eq!(with.content_hash().unwrap(), without.content_hash().unwrap());
    assert_ne!(with.hash_with_floors().unwrap(), without.hash_with_floors().unwrap());
    // The floors put back give the content as it was, and the hash it had before.
    let mut again = without.clone();
    again.set_floors(&with.floors().unwrap());
    assert_eq!(again, with);
    assert_eq!(again.hash_with_floors().unwrap(), with.hash_with_floors().unwrap());
    assert_eq!(without.floors(), None);
}

#[test]
fn a_hidden_floor_still_says_whether_the_line_is_below_it() {
    let mut below = line("1", "90.00", "0", Some("95.00"), TaxRate::RATE_13);
    let mut above = line("1", "99.00", "0", Some("95.00"), TaxRate::RATE_13);
    below.hide_floor();
    above.hide_floor();
    assert_eq!((below.floor_price, above.floor_price), (None, None));
    assert!(below.below_floor());
    assert!(!above.below_floor());
    // Never stored: read back, a line knows only what its floor says.
    let stored: QuoteLine = serde_json::from_str(&serde_json::to_string(&below).unwrap()).unwrap();
    assert!(!stored.below_floor());
}
