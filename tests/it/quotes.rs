//! Quotes and bids (报价/投标), their revisions and approvals — procedure step (2) B–D, DESIGN
//! §2–§4 and issue 5: a quote starts from an inquiry with a go, lines are priced from the table in
//! force (floor captured, hidden from salespeople but still enforced), submitting freezes the
//! revision and lists why it is major, the head and then (when major) the leader approve — never
//! the author, the customer's owner or one person twice — on the content they reviewed, revisions
//! supersede each other, the technical department answers reviews, the money follows the one
//! formula, and concurrent approvers and editors never lose an update. Each test fills an office
//! that has the demo staff and no data, on a test clock (2026-11-27 09:00 UTC).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::{Arc, Barrier};

use chrono::Duration;
use rust_decimal::Decimal;
use salesdesk::domain::customer::Customer;
use salesdesk::domain::ids::{QuoteId, RevisionId};
use salesdesk::domain::inquiry::{
    ClauseKind, Inquiry, InquiryDraft, InquiryKind, InquiryLine, InquirySource, InquiryStatus, TenderClause, TenderInfo,
};
use salesdesk::domain::money::{Discount, Money, Quantity, TaxRate};
use salesdesk::domain::policy::CommercialTerms;
use salesdesk::domain::product::{Product, TechParam};
use salesdesk::domain::quote::{
    ApprovalStep, Deviation, QuoteKind, QuoteLine, QuoteStatus, Revision, RevisionContent, RevisionStatus,
};
use salesdesk::domain::role::Role;
use salesdesk::service::{Actor, QuoteView, Service, ServiceError};
use tempfile::TempDir;

use crate::support::{
    TestClock, add_customer, add_staff, assert_field_error, audit_count, audit_with_action, customer, product, raw_sql,
    sign_in, staff_office_at, user, yuan,
};
use salesdesk::domain::audit::AuditEntry;
use salesdesk::store::StoreError;

/// The staff office signed in, with one customer per salesperson, one in the shared pool, and two
/// products in the price table.
struct Office {
    dir: TempDir,
    clock: TestClock,
    svc: Service,
    admin: Actor,
    /// 赵敏, 销售部负责人
    head: Actor,
    /// 周建国, 公司领导
    leader: Actor,
    /// 孙丽, 销售内勤
    assistant: Actor,
    /// 李强, 销售员
    li: Actor,
    /// 王芳, 销售员
    wang: Actor,
    /// 陈明, 技术部
    tech: Actor,
    li_customer: Customer,
    wang_customer: Customer,
    pool_customer: Customer,
    /// 干式变压器 ¥186,000.00, floor ¥162,000.00 (created by the head)
    transformer: Product,
    /// 高压开关柜 ¥68,500.50, floor ¥61,000.00 (created by the admin)
    cabinet: Product,
}

fn office() -> Office {
    let clock = TestClock::new();
    let (dir, mut svc) = staff_office_at(&clock);
    let admin = sign_in(&mut svc, "admin");
    let head = sign_in(&mut svc, "zhaomin");
    let leader = sign_in(&mut svc, "zhoujg");
    let assistant = sign_in(&mut svc, "sunli");
    let li = sign_in(&mut svc, "liqiang");
    let wang = sign_in(&mut svc, "wangfang");
    let tech = sign_in(&mut svc, "chenming");
    let li_customer = add_customer(&mut svc, &li, customer("江苏华能电力设备有限公司"), None);
    let wang_customer = add_customer(&mut svc, &wang, customer("浙江中天电缆有限公司"), None);
    let pool_customer = add_customer(&mut svc, &head, customer("重庆市电力公司"), None);
    let today = svc.today();
    let transformer = svc
        .create_product(&head, product("CP-SCB13-1000", "干式变压器", "186000", Some("162000")), today)
        .expect("the head creates a product");
    let cabinet = svc
        .create_product(&admin, product("CP-KYN28A-12", "高压开关柜", "68500.50", Some("61000")), today)
        .expect("the admin creates a product");
    Office {
        dir,
        clock,
        svc,
        admin,
        head,
        leader,
        assistant,
        li,
        wang,
        tech,
        li_customer,
        wang_customer,
        pool_customer,
        transformer,
        cabinet,
    }
}

/// An inquiry line for a price-table product.
fn wants(p: &Product, qty: &str) -> InquiryLine {
    InquiryLine {
        product: Some(p.id),
        description: p.draft.name.clone(),
        quantity: Some(Quantity::parse(qty).expect("quantity")),
        unit: "台".into(),
        ..Default::default()
    }
}

fn inquiry(c: &Customer, lines: Vec<InquiryLine>) -> InquiryDraft {
    InquiryDraft {
        kind: InquiryKind::Inquiry,
        customer: Some(c.id),
        source: InquirySource::Visit,
        subject: "10kV配电工程设备询价".into(),
        lines,
        ..Default::default()
    }
}

fn register(svc: &mut Service, who: &Actor, d: InquiryDraft) -> Inquiry {
    svc.register_inquiry(who, d).unwrap_or_else(|e| panic!("{} registers: {e}", who.login()))
}

/// Registered by `who` and given a go by the head (not major: no estimate).
fn go_inquiry(o: &mut Office, who: &Actor, d: InquiryDraft) -> Inquiry {
    let i = register(&mut o.svc, who, d);
    let i = o.svc.decide_inquiry(&o.head, i.id, i.version, true, "参与").expect("the head says go");
    assert_eq!(i.status, InquiryStatus::Go);
    i
}

/// A quote built by `who` for `c` from a fresh inquiry with a go.
fn quote_for(o: &mut Office, who: &Actor, c: &Customer, lines: Vec<InquiryLine>) -> QuoteView {
    let i = go_inquiry(o, who, inquiry(c, lines));
    o.svc.create_quote(who, i.id).unwrap_or_else(|e| panic!("{} creates the quote: {e}", who.login()))
}

/// A small quote (one 干式变压器: ¥186,000.00, not major).
fn small_quote(o: &mut Office, who: &Actor, c: &Customer) -> QuoteView {
    let t = o.transformer.clone();
    quote_for(o, who, c, vec![wants(&t, "1")])
}

/// A major quote (three 干式变压器: ¥558,000.00 ≥ ¥500,000.00).
fn large_quote(o: &mut Office, who: &Actor, c: &Customer) -> QuoteView {
    let t = o.transformer.clone();
    quote_for(o, who, c, vec![wants(&t, "3")])
}

fn latest(v: &QuoteView) -> &Revision {
    v.latest().expect("a quote has at least one revision")
}

/// Saves the latest revision (a draft) after `edit`.
fn save(svc: &mut Service, who: &Actor, v: &QuoteView, edit: impl FnOnce(&mut RevisionContent)) -> QuoteView {
    let r = latest(v);
    let mut content = r.content.clone();
    edit(&mut content);
    svc.save_draft(who, r.id, r.version, content).unwrap_or_else(|e| panic!("{} saves: {e}", who.login()))
}

fn submit(svc: &mut Service, who: &Actor, v: &QuoteView) -> QuoteView {
    let r = latest(v);
    svc.submit_revision(who, r.id, r.version).unwrap_or_else(|e| panic!("{} submits: {e}", who.login()))
}

fn decide(svc: &mut Service, who: &Actor, r: &Revision, approve: bool, comment: &str) -> QuoteView {
    svc.decide_revision(who, r.id, &r.content_hash, approve, comment)
        .unwrap_or_else(|e| panic!("{} decides {}: {e}", who.login(), r.revision))
}

/// The revision labels (BJ-2026-0001-V1) in this person's approval inbox.
fn inbox(svc: &mut Service, who: &Actor) -> Vec<String> {
    svc.approval_inbox(who)
        .expect("the inbox reads")
        .iter()
        .map(|i| i.quote.number.revision_label(i.revision.revision))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

fn is_denied(e: &ServiceError) -> bool {
    matches!(e, ServiceError::Denied(_))
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

fn after(e: &AuditEntry) -> serde_json::Value {
    serde_json::from_str(&e.after).unwrap_or_else(|err| panic!("audit after of {} is JSON: {err}", e.action))
}

fn reasons(r: &Revision) -> Vec<&str> {
    r.major_reasons.iter().map(String::as_str).collect()
}

fn pct(n: i64) -> Decimal {
    Decimal::from(n)
}

// ---------------------------------------------------------------------------------------------
// The walk of the issue

#[test]
fn a_below_floor_quote_walks_from_inquiry_to_go_to_head_and_leader_approval() {
    let mut o = office();
    let version_in_force = o.svc.price_table(&o.head, None).expect("reads").version.expect("a version").id;
    let (t, c, li) = (o.transformer.clone(), o.cabinet.clone(), o.li.clone());
    let d = inquiry(&o.li_customer, vec![wants(&c, "3"), wants(&t, "2")]);
    let i = go_inquiry(&mut o, &li, d);

    // V1: a draft priced at list from the table in force, on the standard terms.
    let v = o.svc.create_quote(&o.li, i.id).expect("the salesperson quotes after the go");
    assert_eq!(v.quote.number.to_string(), "BJ-2026-0001");
    assert_eq!(v.quote.kind, QuoteKind::Quote);
    assert_eq!((v.quote.inquiry, v.quote.customer), (Some(i.id), o.li_customer.id));
    assert_eq!((v.quote.author, v.quote.status), (o.li.id(), QuoteStatus::Open));
    assert_eq!(v.revisions.len(), 1);
    let r = latest(&v);
    assert_eq!((r.revision, r.status, r.author), (1, RevisionStatus::Draft, o.li.id()));
    assert!(r.content_hash.is_empty() && r.approvals.is_empty() && r.submitted_at.is_none());
    assert_eq!(r.content.terms, CommercialTerms::default(), "the standard terms");
    assert!(r.content.responses.is_empty(), "a quote answers no clauses");
    let codes: Vec<&str> = r.content.lines.iter().map(|l| l.code.as_str()).collect();
    assert_eq!(codes, ["CP-KYN28A-12", "CP-SCB13-1000"]);
    for (l, p, qty) in [(&r.content.lines[0], &c, "3"), (&r.content.lines[1], &t, "2")] {
        assert_eq!(l.product, Some(p.id));
        assert_eq!(l.price_version, Some(version_in_force), "{}: the version in force", l.code);
        assert_eq!((l.list_price, l.unit_price), (p.draft.list_price, p.draft.list_price), "{}: at list", l.code);
        assert_eq!((l.quantity, l.discount), (Quantity::parse(qty).expect("qty"), Discount::ZERO));
        assert_eq!(l.floor_price, None, "{}: the salesperson does not see the floor", l.code);
    }
    assert_eq!(r.total, yuan("577501.50"));
    let as_head = o.svc.quote_view(&o.head, v.quote.id).expect("the head opens it");
    let floors: Vec<Option<Money>> = latest(&as_head).content.lines.iter().map(|l| l.floor_price).collect();
    assert_eq!(floors, [Some(yuan("61000")), Some(yuan("162000"))], "the floors were captured");

    // The salesperson discounts the 开关柜 below its floor and asks for 20% prepayment.
    let v = save(&mut o.svc, &o.li, &v, |c| {
        c.lines[0].discount = Discount::parse("15").expect("15%");
        c.terms.prepayment_pct = pct(20);
        c.notes = "含安装调试".into();
    });
    let r = latest(&v).clone();
    assert_eq!((r.status, r.version), (RevisionStatus::Draft, 2));
    // 68500.50 × 0.85 × 3 = 174676.275 → 174676.28 (half away from zero)
    assert_eq!(r.content.lines[0].amount(), yuan("174676.28"));
    assert_eq!(r.total, yuan("546676.28"));
    let err = o.svc.submit_revision(&o.li, r.id, r.version).expect_err("a below-floor line needs a reason");
    assert_field_error(&err, "line0.exception_reason");
    assert!(err.field_message("line1.exception_reason").is_none(), "the 变压器 is at list");
    assert_eq!(latest(&o.svc.quote_view(&o.li, v.quote.id).expect("reads")).status, RevisionStatus::Draft);

    let v = save(&mut o.svc, &o.li, &v, |c| c.lines[0].exception_reason = "战略客户，批量采购".into());
    let v = submit(&mut o.svc, &o.li, &v);
    let r = latest(&v).clone();
    assert_eq!(r.status, RevisionStatus::Submitted);
    assert!(r.major);
    assert_eq!(reasons(&r), ["总价 ≥ ¥500,000.00", "1 行低于最低限价", "预付款 20% < 30%"]);
    assert_eq!(r.content_hash.len(), 64);
    let as_head = o.svc.quote_view(&o.head, v.quote.id).expect("the head opens it");
    assert_eq!(
        r.content_hash,
        latest(&as_head).content.content_hash().expect("content encodes"),
        "the hash is over what was submitted"
    );
    assert_eq!(r.submitted_at, Some(o.clock.now()));

    // The head first; the leader only after.
    assert_eq!(inbox(&mut o.svc, &o.head), ["BJ-2026-0001-V1"]);
    assert!(inbox(&mut o.svc, &o.leader).is_empty(), "the leader waits for the head");
    assert!(inbox(&mut o.svc, &o.li).is_empty() && inbox(&mut o.svc, &o.tech).is_empty());
    o.clock.advance(Duration::hours(1));
    let v = o.svc.decide_revision(&o.head, r.id, &r.content_hash, true, "同意，战略客户").expect("the head approves");
    let r = latest(&v).clone();
    assert_eq!(r.status, RevisionStatus::Submitted, "a major revision still needs the leader");
    assert_eq!(r.approvals.len(), 1);
    let a = &r.approvals[0];
    assert_eq!((a.step, a.by, a.approved), (ApprovalStep::Head, o.head.id(), true));
    assert_eq!((a.by_name.as_str(), a.comment.as_str()), ("赵敏", "同意，战略客户"));
    assert_eq!(a.content_hash, r.content_hash);
    assert!(inbox(&mut o.svc, &o.head).is_empty());
    assert_eq!(inbox(&mut o.svc, &o.leader), ["BJ-2026-0001-V1"]);

    let v = decide(&mut o.svc, &o.leader, &r, true, "");
    let r = latest(&v).clone();
    assert_eq!(r.status, RevisionStatus::Approved);
    let steps: Vec<(ApprovalStep, &str)> = r.approvals.iter().map(|a| (a.step, a.by_name.as_str())).collect();
    assert_eq!(steps, [(ApprovalStep::Head, "赵敏"), (ApprovalStep::Leader, "周建国")]);
    assert!(r.approvals.iter().all(|a| a.content_hash == r.content_hash));
    assert!(inbox(&mut o.svc, &o.leader).is_empty());
    let mine = o.svc.quotes(&o.li).expect("lists");
    assert_eq!(mine.len(), 1);
    assert_eq!((mine[0].revision, mine[0].revision_status, mine[0].major), (1, RevisionStatus::Approved, true));
    assert_eq!(mine[0].total, yuan("546676.28"));

    // Every step is audited, by whom and on which document.
    let create = audit_with_action(&mut o.svc, &o.admin, "quote.create");
    assert_eq!(create.len(), 1);
    assert_eq!((create[0].actor.as_str(), create[0].entity_id.as_str()), ("李强 (liqiang)", "BJ-2026-0001"));
    let saves = audit_with_action(&mut o.svc, &o.admin, "quote.save");
    assert_eq!(saves.len(), 2);
    assert!(saves.iter().all(|e| e.entity_id == "BJ-2026-0001-V1" && e.actor == "李强 (liqiang)"));
    let submits = audit_with_action(&mut o.svc, &o.admin, "quote.submit");
    assert_eq!(submits.len(), 1, "the refused submission left no entry");
    let detail = after(&submits[0]);
    assert_eq!(detail["hash"], r.content_hash.as_str());
    assert_eq!(detail["major"].as_array().expect("reasons").len(), 3);
    let decides = audit_with_action(&mut o.svc, &o.admin, "quote.decide");
    let seen: Vec<(String, serde_json::Value, serde_json::Value)> =
        decides.iter().rev().map(|e| (e.actor.clone(), after(e)["step"].clone(), after(e)["status"].clone())).collect();
    assert_eq!(
        seen,
        [
            ("赵敏 (zhaomin)".to_string(), "head".into(), "submitted".into()),
            ("周建国 (zhoujg)".to_string(), "leader".into(), "approved".into()),
        ]
    );
}

#[test]
fn a_bid_answers_every_tender_clause_before_it_is_submitted() {
    let mut o = office();
    let t = o.transformer.clone();
    let deadline = o.clock.now() + Duration::days(20);
    let d = InquiryDraft {
        kind: InquiryKind::Tender,
        customer: Some(o.li_customer.id),
        source: InquirySource::TenderNotice,
        subject: "7号线供电设备招标".into(),
        lines: vec![wants(&t, "2")],
        tender: TenderInfo {
            tender_no: "JSZB-2026-118".into(),
            purchaser: "南京地铁集团".into(),
            project: "7号线供电设备".into(),
            deadline: Some(deadline),
            clauses: vec![
                TenderClause {
                    no: "3.2.1".into(),
                    requirement: "损耗不高于GB 20052一级".into(),
                    kind: ClauseKind::Technical,
                    ..Default::default()
                },
                TenderClause {
                    no: "★5".into(),
                    requirement: "质保期不少于24个月".into(),
                    kind: ClauseKind::Commercial,
                    ..Default::default()
                },
            ],
            ..Default::default()
        },
        ..Default::default()
    };
    let li = o.li.clone();
    let i = go_inquiry(&mut o, &li, d);
    let v = o.svc.create_quote(&o.li, i.id).expect("the bid is started");
    assert_eq!(v.quote.number.to_string(), "TB-2026-0001");
    assert_eq!(v.quote.kind, QuoteKind::Bid);
    let r = latest(&v).clone();
    let rows: Vec<(&str, &str, ClauseKind, &str)> = r
        .content
        .responses
        .iter()
        .map(|c| (c.clause_no.as_str(), c.requirement.as_str(), c.kind, c.response.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            ("3.2.1", "损耗不高于GB 20052一级", ClauseKind::Technical, ""),
            ("★5", "质保期不少于24个月", ClauseKind::Commercial, ""),
        ],
        "one empty response per clause"
    );

    let err = o.svc.submit_revision(&o.li, r.id, r.version).expect_err("no clause answered yet");
    assert_field_error(&err, "response0");
    assert_field_error(&err, "response1");
    let v = save(&mut o.svc, &o.li, &v, |c| c.responses[1].response = "质保36个月".into());
    let r = latest(&v).clone();
    let err = o.svc.submit_revision(&o.li, r.id, r.version).expect_err("clause 3.2.1 is still open");
    assert_field_error(&err, "response0");
    assert!(err.field_message("response1").is_none());
    assert!(err.to_string().contains("3.2.1"), "{err}");

    // Deleting the rows does not answer the clauses: the tender's clauses are what counts.
    let rows = latest(&v).content.responses.clone();
    let v = save(&mut o.svc, &o.li, &v, |c| c.responses.clear());
    let r = latest(&v).clone();
    let err = o.svc.submit_revision(&o.li, r.id, r.version).expect_err("the clauses are still unanswered");
    assert_field_error(&err, "response0");
    assert!(err.to_string().contains("3.2.1"), "{err}");
    let v = save(&mut o.svc, &o.li, &v, |c| c.responses = rows);

    let v = save(&mut o.svc, &o.li, &v, |c| {
        c.responses[0].response = "满足，损耗优于一级能效".into();
        c.responses[0].deviation = Deviation::Positive;
        c.responses[1].deviation = Deviation::Positive;
    });
    let v = submit(&mut o.svc, &o.li, &v);
    assert_eq!(latest(&v).status, RevisionStatus::Submitted);
    assert!(!latest(&v).major, "¥372,000.00 on standard terms, tender not major");
    assert_eq!(inbox(&mut o.svc, &o.head), ["TB-2026-0001-V1"]);
}

// ---------------------------------------------------------------------------------------------
// Refusals

#[test]
fn only_sales_and_the_assistant_quote_and_only_after_a_go_for_a_customer_they_may_serve() {
    let mut o = office();
    let before = audit_count(&mut o.svc);
    // No decision yet, then a no-go.
    let t = o.transformer.clone();
    let open = register(&mut o.svc, &o.li, inquiry(&o.li_customer, vec![wants(&t, "1")]));
    assert_rule(&o.svc.create_quote(&o.li, open.id).expect_err("no go yet"), "inquiry.not_decided");
    let no = register(&mut o.svc, &o.li, inquiry(&o.li_customer, vec![wants(&t, "1")]));
    let no = o.svc.decide_inquiry(&o.head, no.id, no.version, false, "价格无优势").expect("no-go");
    assert_rule(&o.svc.create_quote(&o.li, no.id).expect_err("a no-go"), "inquiry.not_decided");

    // A colleague's customer, and roles that do not build quotes.
    let li = o.li.clone();
    let d = inquiry(&o.li_customer, vec![wants(&t, "1")]);
    let go = go_inquiry(&mut o, &li, d);
    let err = o.svc.create_quote(&o.wang, go.id).expect_err("not 王芳's customer");
    assert!(is_denied(&err), "{err:?}");
    for who in [&o.tech, &o.leader, &o.head, &o.admin] {
        let err = o.svc.create_quote(who, go.id).expect_err("only sales and the assistant build");
        assert!(is_denied(&err) && err.to_string().contains("销售员和销售内勤"), "{}: {err:?}", who.login());
    }
    assert!(o.svc.quotes(&o.head).expect("lists").is_empty(), "nothing was created");
    let registered_and_decided = 3 + 2;
    assert_eq!(audit_count(&mut o.svc), before + registered_and_decided, "no quote entry was written");

    // A refusal takes no number; the assistant quotes any customer, a salesperson the pool's.
    let by_assistant = o.svc.create_quote(&o.assistant, go.id).expect("the assistant builds for anyone");
    assert_eq!(by_assistant.quote.number.to_string(), "BJ-2026-0001");
    let (wang, pool_customer) = (o.wang.clone(), o.pool_customer.clone());
    let pool = quote_for(&mut o, &wang, &pool_customer, vec![wants(&t, "1")]);
    assert_eq!(pool.quote.number.to_string(), "BJ-2026-0002");

    // 王芳 may neither see nor change 李强's customer's quote.
    assert!(is_denied(&o.svc.quote_view(&o.wang, by_assistant.quote.id).expect_err("not hers")));
    let r = latest(&by_assistant).clone();
    let err = o.svc.save_draft(&o.wang, r.id, r.version, r.content.clone()).expect_err("not hers");
    assert!(is_denied(&err), "{err:?}");
    assert!(is_denied(&o.svc.submit_revision(&o.wang, r.id, r.version).expect_err("not hers")));
    let listed: Vec<String> =
        o.svc.quotes(&o.wang).expect("lists").iter().map(|s| s.quote.number.to_string()).collect();
    assert_eq!(listed, ["BJ-2026-0002"]);
    // The customer's owner may work on the quote the assistant started.
    let v = save(&mut o.svc, &o.li, &by_assistant, |c| c.notes = "客户要求加急".into());
    assert_eq!(latest(&v).version, 2);
}

#[test]
fn a_submitted_revision_is_frozen_and_changes_go_into_the_next_revision() {
    let mut o = office();
    let (li, li_customer) = (o.li.clone(), o.li_customer.clone());
    let v = small_quote(&mut o, &li, &li_customer);
    let v = submit(&mut o.svc, &o.li, &v);
    let r = latest(&v).clone();
    let mut changed = r.content.clone();
    changed.lines[0].quantity = Quantity::from_units(2);
    let err = o.svc.save_draft(&o.li, r.id, r.version, changed).expect_err("frozen");
    assert_rule(&err, "quote.frozen");
    assert!(err.to_string().contains("BJ-2026-0001-V1"), "{err}");
    assert!(o.svc.submit_revision(&o.li, r.id, r.version).is_err(), "submitted twice");
    let still = latest(&o.svc.quote_view(&o.li, v.quote.id).expect("reads")).clone();
    assert_eq!((still.status, still.version, &still.content), (RevisionStatus::Submitted, r.version, &r.content));

    // A draft is edited in place, not copied.
    let v2 = o.svc.new_revision(&o.li, v.quote.id).expect("V2");
    assert_eq!(latest(&v2).revision, 2);
    assert_rule(&o.svc.new_revision(&o.li, v.quote.id).expect_err("V2 is a draft"), "quote.still_draft");
    assert_eq!(audit_with_action(&mut o.svc, &o.admin, "quote.new_revision").len(), 1);
}

#[test]
fn nobody_approves_a_revision_they_wrote_or_of_their_own_customer() {
    let mut o = office();
    // 何总 sells and heads the department; 赵敏 is another head.
    let he = add_staff(&mut o.svc, &o.admin, "hezong", "何总", &[Role::Sales, Role::Head]);
    let he_customer = add_customer(&mut o.svc, &he, customer("南京供电公司"), Some(he.id()));
    assert_eq!(he_customer.owner, Some(he.id()));

    let pool = o.pool_customer.clone();
    let own = small_quote(&mut o, &he, &pool);
    let own = submit(&mut o.svc, &he, &own);
    let assistant = o.assistant.clone();
    let of_his_customer = small_quote(&mut o, &assistant, &he_customer);
    let of_his_customer = submit(&mut o.svc, &assistant, &of_his_customer);
    for (v, why) in [(&own, "approval.own_work"), (&of_his_customer, "approval.own_customer")] {
        let r = latest(v);
        let err = o.svc.decide_revision(&he, r.id, &r.content_hash, true, "").expect_err("separation of duties");
        assert_rule(&err, why);
        let err = o.svc.decide_revision(&he, r.id, &r.content_hash, false, "再议").expect_err("nor rejects");
        assert_rule(&err, why);
    }
    assert!(inbox(&mut o.svc, &he).is_empty());
    assert_eq!(inbox(&mut o.svc, &o.head), ["BJ-2026-0001-V1", "BJ-2026-0002-V1"]);
    assert!(latest(&o.svc.quote_view(&o.head, own.quote.id).expect("reads")).approvals.is_empty());

    // Salespeople, the assistant, tech and the admin do not approve at all.
    let r = latest(&own).clone();
    for who in [&o.li, &o.assistant, &o.tech, &o.admin] {
        let err = o.svc.decide_revision(who, r.id, &r.content_hash, true, "").expect_err("no approval right");
        assert!(is_denied(&err) && err.to_string().contains("审批"), "{}: {err:?}", who.login());
        assert!(inbox(&mut o.svc, who).is_empty());
    }
    let v = decide(&mut o.svc, &o.head, &r, true, "");
    assert_eq!(latest(&v).status, RevisionStatus::Approved, "a small quote needs the head only");
}

#[test]
fn a_major_revision_needs_the_head_then_the_leader_two_different_people() {
    let mut o = office();
    let both = add_staff(&mut o.svc, &o.admin, "wangzong", "王总", &[Role::Head, Role::Leader]);
    let (li, li_customer) = (o.li.clone(), o.li_customer.clone());
    let v = large_quote(&mut o, &li, &li_customer);
    let v = submit(&mut o.svc, &o.li, &v);
    let r = latest(&v).clone();
    assert_eq!(reasons(&r), ["总价 ≥ ¥500,000.00"]);

    let err = o.svc.decide_revision(&o.leader, r.id, &r.content_hash, true, "").expect_err("the head first");
    assert_rule_naming(&err, "approval.not_your_step", "销售部负责人");
    assert_eq!(inbox(&mut o.svc, &both), ["BJ-2026-0001-V1"], "as a head");

    let v = decide(&mut o.svc, &both, &r, true, "同意");
    let r = latest(&v).clone();
    assert_eq!(r.status, RevisionStatus::Submitted);
    assert!(inbox(&mut o.svc, &both).is_empty(), "one person takes one step only");
    let err = o.svc.decide_revision(&both, r.id, &r.content_hash, true, "").expect_err("not both steps");
    assert_rule(&err, "approval.same_person");
    let err = o.svc.decide_revision(&o.head, r.id, &r.content_hash, true, "").expect_err("the head step is taken");
    assert_rule_naming(&err, "approval.not_your_step", "公司领导");
    assert_eq!(inbox(&mut o.svc, &o.leader), ["BJ-2026-0001-V1"]);

    // Rejecting needs a reason; a refused decision records nothing.
    let err = o.svc.decide_revision(&o.leader, r.id, &r.content_hash, false, "  ").expect_err("a reason");
    assert_field_error(&err, "comment");
    assert_eq!(latest(&o.svc.quote_view(&o.leader, v.quote.id).expect("reads")).approvals.len(), 1);
    let v = decide(&mut o.svc, &o.leader, &r, true, "");
    let r = latest(&v).clone();
    assert_eq!(r.status, RevisionStatus::Approved);
    assert_eq!(r.approvals.iter().map(|a| a.by).collect::<Vec<_>>(), [both.id(), o.leader.id()]);

    // An approved revision is decided: nobody decides it again.
    for who in [&o.head, &o.leader, &both] {
        let err = o.svc.decide_revision(who, r.id, &r.content_hash, false, "改主意了").expect_err("decided");
        assert_rule_naming(&err, "approval.not_pending", "已批准");
    }
    assert_eq!(audit_with_action(&mut o.svc, &o.admin, "quote.decide").len(), 2);
}

#[test]
fn when_the_only_head_wrote_the_quote_a_leader_takes_the_head_step() {
    let mut o = office();
    // 赵敏 leaves; 何总 (sales + head) is the only head and writes the quotes.
    let zhaomin = user(&mut o.svc, &o.admin, "zhaomin");
    o.svc.set_user_active(&o.admin, zhaomin.id, zhaomin.version, false).expect("deactivated");
    let he = add_staff(&mut o.svc, &o.admin, "hezong", "何总", &[Role::Sales, Role::Head]);
    let second_leader = add_staff(&mut o.svc, &o.admin, "qianzong", "钱总", &[Role::Leader]);
    let his = add_customer(&mut o.svc, &he, customer("南京供电公司"), Some(he.id()));
    let t = o.transformer.clone();
    let quote = |o: &mut Office, qty: &str| {
        let i = register(&mut o.svc, &he, inquiry(&his, vec![wants(&t, qty)]));
        o.svc.decide_inquiry(&he, i.id, i.version, true, "").expect("the only head says go");
        let v = o.svc.create_quote(&he, i.id).expect("quotes");
        submit(&mut o.svc, &he, &v)
    };
    let small = quote(&mut o, "1");
    let large = quote(&mut o, "3");
    assert!(!latest(&small).major && latest(&large).major);
    assert_eq!(inbox(&mut o.svc, &o.leader), ["BJ-2026-0001-V1", "BJ-2026-0002-V1"], "the head step goes to a leader");
    assert!(inbox(&mut o.svc, &he).is_empty());

    let v = decide(&mut o.svc, &o.leader, latest(&small), true, "");
    let r = latest(&v);
    assert_eq!(r.status, RevisionStatus::Approved);
    assert_eq!((r.approvals[0].step, r.approvals[0].by), (ApprovalStep::Head, o.leader.id()));

    // A major one then needs a second, different leader.
    let v = decide(&mut o.svc, &o.leader, latest(&large), true, "");
    let r = latest(&v).clone();
    assert_eq!(r.status, RevisionStatus::Submitted);
    assert_rule(
        &o.svc.decide_revision(&o.leader, r.id, &r.content_hash, true, "").expect_err("twice"),
        "approval.same_person",
    );
    assert_eq!(inbox(&mut o.svc, &second_leader), ["BJ-2026-0002-V1"]);
    let v = decide(&mut o.svc, &second_leader, &r, true, "");
    let steps: Vec<_> = latest(&v).approvals.iter().map(|a| (a.step, a.by)).collect();
    assert_eq!(steps, [(ApprovalStep::Head, o.leader.id()), (ApprovalStep::Leader, second_leader.id())]);
    assert_eq!(latest(&v).status, RevisionStatus::Approved);
}

#[test]
fn an_approval_binds_to_the_revision_and_content_it_reviewed() {
    let mut o = office();
    let (li, li_customer) = (o.li.clone(), o.li_customer.clone());
    let v = small_quote(&mut o, &li, &li_customer);
    let v = submit(&mut o.svc, &o.li, &v);
    let v1 = latest(&v).clone();

    // V2 copies V1; while V2 is a draft, V1 stays submitted.
    let v = o.svc.new_revision(&o.li, v.quote.id).expect("V2");
    assert_eq!(v.revisions[0].status, RevisionStatus::Submitted);
    let v = save(&mut o.svc, &o.li, &v, |c| c.lines[0].quantity = Quantity::from_units(2));
    let v = submit(&mut o.svc, &o.li, &v);
    let v2 = latest(&v).clone();
    assert_eq!(v.revisions[0].status, RevisionStatus::Superseded, "submitting V2 supersedes V1");
    assert_ne!(v1.content_hash, v2.content_hash);
    assert_eq!(inbox(&mut o.svc, &o.head), ["BJ-2026-0001-V2"]);

    let err = o.svc.decide_revision(&o.head, v1.id, &v1.content_hash, true, "").expect_err("V1 is superseded");
    assert_rule_naming(&err, "approval.not_pending", "已作废");
    for stale in [v1.content_hash.as_str(), "0123abcd", ""] {
        let err = o.svc.decide_revision(&o.head, v2.id, stale, true, "").expect_err("not what is there now");
        assert_rule(&err, "approval.stale");
    }
    let now = o.svc.quote_view(&o.head, v.quote.id).expect("reads");
    assert!(now.revisions.iter().all(|r| r.approvals.is_empty()), "nothing was recorded");
    let v = decide(&mut o.svc, &o.head, &v2, true, "");
    assert_eq!(latest(&v).status, RevisionStatus::Approved);
    assert_eq!(latest(&v).approvals[0].content_hash, v2.content_hash);
}

#[test]
fn a_rejected_revision_keeps_its_reason_and_the_next_one_starts_without_approvals() {
    let mut o = office();
    let (li, li_customer) = (o.li.clone(), o.li_customer.clone());
    let v = large_quote(&mut o, &li, &li_customer);
    let v = save(&mut o.svc, &o.li, &v, |c| {
        c.terms.prepayment_pct = pct(10);
    });
    let v = submit(&mut o.svc, &o.li, &v);
    let v1 = latest(&v).clone();
    let v = decide(&mut o.svc, &o.head, &v1, false, "预付款太低，至少30%");
    let r = latest(&v).clone();
    assert_eq!(r.status, RevisionStatus::Rejected);
    assert_eq!((r.approvals[0].approved, r.approvals[0].comment.as_str()), (false, "预付款太低，至少30%"));
    assert!(inbox(&mut o.svc, &o.leader).is_empty(), "a rejection ends the round");
    assert_rule_naming(
        &o.svc.decide_revision(&o.leader, r.id, &r.content_hash, true, "").expect_err("rejected"),
        "approval.not_pending",
        "已驳回",
    );

    let v = o.svc.new_revision(&o.li, v.quote.id).expect("V2 after the rejection");
    let (first, second) = (&v.revisions[0], &v.revisions[1]);
    assert_eq!((second.revision, second.status), (2, RevisionStatus::Draft));
    assert_eq!(second.content, first.content, "the content is copied");
    assert!(second.approvals.is_empty() && second.content_hash.is_empty());
    assert_eq!(first.status, RevisionStatus::Rejected, "V1 stays rejected while V2 is a draft");
    assert_eq!(first.approvals.len(), 1);

    let v = save(&mut o.svc, &o.li, &v, |c| c.terms.prepayment_pct = pct(30));
    let v = submit(&mut o.svc, &o.li, &v);
    assert_eq!(v.revisions[0].status, RevisionStatus::Superseded);
    assert_eq!(v.revisions[0].approvals[0].comment, "预付款太低，至少30%", "the history stays");
    assert_eq!(reasons(latest(&v)), ["总价 ≥ ¥500,000.00"], "the prepayment is standard again");
    assert_eq!(inbox(&mut o.svc, &o.head), ["BJ-2026-0001-V2"]);
}

// ---------------------------------------------------------------------------------------------
// Floors

#[test]
fn salespeople_never_see_floor_prices_yet_below_floor_lines_are_caught() {
    let mut o = office();
    let (t, c) = (o.transformer.clone(), o.cabinet.clone());
    let (li, li_customer) = (o.li.clone(), o.li_customer.clone());
    let v = quote_for(&mut o, &li, &li_customer, vec![wants(&t, "1")]);
    assert!(!v.shows_floor);
    assert!(v.revisions.iter().flat_map(|r| &r.content.lines).all(|l| l.floor_price.is_none()));

    // The salesperson discounts the line they got (floor hidden) and adds a line picked from the
    // price table as they see it (floor hidden too), also below its floor.
    let table = o.svc.price_table(&o.li, None).expect("the salesperson reads the table");
    assert!(!table.shows_floor);
    let picked = table.products.iter().find(|p| p.id == c.id).expect("listed").clone();
    assert_eq!(picked.draft.floor_price, None);
    let v = save(&mut o.svc, &o.li, &v, |content| {
        content.lines[0].discount = Discount::parse("20").expect("20%"); // 148800 < 162000
        content.lines.push(QuoteLine {
            product: Some(picked.id),
            price_version: Some(picked.price_version),
            code: picked.draft.code.clone(),
            name: picked.draft.name.clone(),
            list_price: picked.draft.list_price,
            unit_price: yuan("60000"), // < 61000
            floor_price: picked.draft.floor_price,
            ..Default::default()
        });
    });
    assert!(latest(&v).content.lines.iter().all(|l| l.floor_price.is_none()), "still hidden after saving");
    let as_head = o.svc.quote_view(&o.head, v.quote.id).expect("the head opens it");
    assert!(as_head.shows_floor);
    let floors: Vec<Option<Money>> = latest(&as_head).content.lines.iter().map(|l| l.floor_price).collect();
    assert_eq!(floors, [Some(yuan("162000")), Some(yuan("61000"))], "kept server-side");

    let r = latest(&v).clone();
    let err = o.svc.submit_revision(&o.li, r.id, r.version).expect_err("both lines need a reason");
    assert_field_error(&err, "line0.exception_reason");
    assert_field_error(&err, "line1.exception_reason");
    let v = save(&mut o.svc, &o.li, &v, |content| {
        content.lines[0].exception_reason = "战略客户".into();
        content.lines[1].exception_reason = "配套采购".into();
    });
    let v = submit(&mut o.svc, &o.li, &v);
    assert_eq!(reasons(latest(&v)), ["2 行低于最低限价"]);
    // The salesperson (who may not read the floors) and the head (who reads them) see one hash:
    // it binds what is offered, and an approval given on it holds.
    let as_head = o.svc.quote_view(&o.head, v.quote.id).expect("the head opens it");
    let (theirs, heads) = (latest(&v), latest(&as_head));
    assert_eq!(theirs.content_hash, heads.content_hash);
    assert_eq!(heads.content.content_hash().expect("hash"), heads.content_hash);
    assert!(heads.content.lines.iter().all(|l| l.floor_price.is_some()), "the head still sees both floors");
    assert!(theirs.content.lines.iter().all(|l| l.floor_price.is_none() && l.below_floor()), "below, unseen");

    // At exactly the floor is fine, and not major.
    let v = small_quote(&mut o, &li, &li_customer);
    let v = save(&mut o.svc, &o.li, &v, |content| content.lines[0].unit_price = yuan("162000"));
    let v = submit(&mut o.svc, &o.li, &v);
    assert!(!latest(&v).major, "{:?}", latest(&v).major_reasons);
}

// ---------------------------------------------------------------------------------------------
// Technical review

#[test]
fn the_technical_department_answers_a_review_and_corrects_the_draft_lines() {
    let mut o = office();
    let (li, li_customer) = (o.li.clone(), o.li_customer.clone());
    let v = small_quote(&mut o, &li, &li_customer);
    let r = latest(&v).clone();
    assert_field_error(&o.svc.request_tech_review(&o.li, r.id, "  ").expect_err("a question"), "question");
    let v = o.svc.request_tech_review(&o.li, r.id, "客户要求铜绕组、F级绝缘，型号是否需要调整？").expect("asked");
    assert_eq!(v.reviews.len(), 1);
    assert!(v.reviews[0].answer.is_none());

    assert!(is_denied(&o.svc.open_tech_reviews(&o.li).expect_err("tech only")));
    assert!(is_denied(&o.svc.open_tech_reviews(&o.head).expect_err("tech only")));
    let open = o.svc.open_tech_reviews(&o.tech).expect("tech lists the requests");
    assert_eq!(open.len(), 1);
    let (q, review) = &open[0];
    assert_eq!((q.id, review.revision), (v.quote.id, r.id));
    assert_eq!(review.requested_by, "李强 (liqiang)");

    // Tech reads the quote (floors hidden) and corrects model and parameters only.
    let seen = o.svc.quote_view(&o.tech, v.quote.id).expect("tech sees quotes");
    assert!(!seen.shows_floor);
    let draft = latest(&seen).clone();
    let mut lines = draft.content.lines.clone();
    lines[0].model = "SCB13-1000/10-Cu-F".into();
    lines[0].params = vec![TechParam { key: "绝缘等级".into(), value: "F".into() }];
    lines[0].unit_price = yuan("1"); // not tech's to change: ignored
    let err = o.svc.answer_tech_review(&o.li, review.id, "可以", None).expect_err("tech only");
    assert!(is_denied(&err), "{err:?}");
    let v = o
        .svc
        .answer_tech_review(&o.tech, review.id, "已改为铜绕组F级", Some((draft.version, lines.clone())))
        .expect("answered");
    let line = &latest(&v).content.lines[0];
    assert_eq!(line.model, "SCB13-1000/10-Cu-F");
    assert_eq!(line.params, [TechParam { key: "绝缘等级".into(), value: "F".into() }]);
    assert_eq!(line.unit_price, yuan("186000"), "prices stay");
    assert_eq!(latest(&v).version, draft.version + 1);
    let as_li = o.svc.quote_view(&o.li, v.quote.id).expect("reads");
    assert_eq!(as_li.reviews[0].answer.as_deref(), Some("已改为铜绕组F级"));
    assert_eq!(as_li.reviews[0].answered_by.as_deref(), Some("陈明 (chenming)"));
    assert_eq!(latest(&as_li).content.lines[0].floor_price, None, "still hidden from the salesperson");
    let as_head = o.svc.quote_view(&o.head, v.quote.id).expect("reads");
    assert_eq!(latest(&as_head).content.lines[0].floor_price, Some(yuan("162000")), "the floor survives");

    assert_rule(
        &o.svc.answer_tech_review(&o.tech, review.id, "再答一次", None).expect_err("answered"),
        "tech_review.answered",
    );
    assert!(o.svc.open_tech_reviews(&o.tech).expect("lists").is_empty());

    // Once submitted, the lines are frozen; an answer alone is still possible.
    let v = o.svc.request_tech_review(&o.li, latest(&as_li).id, "交货期能否30天？").expect("asked");
    let v = submit(&mut o.svc, &o.li, &v);
    let r = latest(&v).clone();
    let second = o.svc.open_tech_reviews(&o.tech).expect("lists")[0].1.id;
    let err = o
        .svc
        .answer_tech_review(&o.tech, second, "改型号", Some((r.version, r.content.lines.clone())))
        .expect_err("submitted is frozen");
    assert_rule(&err, "quote.frozen");
    let v = o.svc.answer_tech_review(&o.tech, second, "可以，30天", None).expect("an answer alone");
    assert_eq!(latest(&v).content, r.content);
    assert_eq!(latest(&v).status, RevisionStatus::Submitted);
    assert_eq!(audit_with_action(&mut o.svc, &o.admin, "quote.tech_answer").len(), 2);
    assert_eq!(audit_with_action(&mut o.svc, &o.admin, "quote.tech_request").len(), 2);
}

// ---------------------------------------------------------------------------------------------
// Money

#[test]
fn totals_round_half_away_from_zero_and_split_tax_per_rate() {
    let mut o = office();
    let (li, li_customer) = (o.li.clone(), o.li_customer.clone());
    let v = small_quote(&mut o, &li, &li_customer);
    // (quantity, unit price, discount %, rate, line amount)
    let cases = [
        ("0.5", "0.05", "0", TaxRate::RATE_13, "0.03"), // 0.025 → 0.03 (banker's: 0.02)
        ("2.5", "10.01", "0", TaxRate::RATE_13, "25.03"), // 25.025 → 25.03
        ("123.456", "3.33", "0", TaxRate::RATE_9, "411.11"), // 411.10848
        ("3", "33.33", "0", TaxRate::RATE_9, "99.99"),  //
        ("1", "106.00", "5", TaxRate::RATE_6, "100.70"), // 100.7
        ("0.125", "0.20", "0", TaxRate::RATE_6, "0.03"), // 0.025 → 0.03
    ];
    let lines: Vec<QuoteLine> = cases
        .iter()
        .map(|(q, p, d, rate, _)| QuoteLine {
            name: "服务/材料".into(),
            quantity: Quantity::parse(q).expect("qty"),
            list_price: yuan(p),
            unit_price: yuan(p),
            discount: Discount::parse(d).expect("discount"),
            tax_rate: *rate,
            ..Default::default()
        })
        .collect();
    let v = save(&mut o.svc, &o.li, &v, |c| c.lines = lines);
    let r = latest(&v).clone();
    for (l, (q, p, d, _, want)) in r.content.lines.iter().zip(cases) {
        assert_eq!(l.amount(), yuan(want), "{q} × {p} × (1 − {d}%)");
    }
    let t = r.content.totals();
    // 13%: 25.06 → tax 2.88; 9%: 511.10 → tax 42.20 (42.2009); 6%: 100.73 → tax 5.70 (5.7017)
    let by_rate: Vec<(TaxRate, Money, Money, Money)> =
        t.by_rate.iter().map(|b| (b.rate, b.gross, b.tax, b.net)).collect();
    assert_eq!(
        by_rate,
        [
            (TaxRate::RATE_13, yuan("25.06"), yuan("2.88"), yuan("22.18")),
            (TaxRate::RATE_9, yuan("511.10"), yuan("42.20"), yuan("468.90")),
            (TaxRate::RATE_6, yuan("100.73"), yuan("5.70"), yuan("95.03")),
        ]
    );
    assert_eq!((t.total, t.tax, t.net), (yuan("636.89"), yuan("50.78"), yuan("586.11")));
    assert_eq!(r.total, yuan("636.89"), "the stored total is the same formula");

    let v = submit(&mut o.svc, &o.li, &v);
    assert_eq!(latest(&v).total, yuan("636.89"));
    let submitted = audit_with_action(&mut o.svc, &o.admin, "quote.submit");
    assert_eq!(after(&submitted[0])["total"], "636.89");
    let listed = o.svc.quotes(&o.li).expect("lists");
    assert_eq!(listed[0].total, yuan("636.89"));
}

// ---------------------------------------------------------------------------------------------
// Concurrency

/// A second seat on the same office file.
fn seat(o: &Office) -> Service {
    crate::support::reopen(&o.dir).expect("another seat opens the file").with_clock(o.clock.clock())
}

#[test]
fn two_heads_approving_the_same_revision_at_once_record_exactly_one_approval() {
    let mut o = office();
    let qian = add_staff(&mut o.svc, &o.admin, "qianzong", "钱总", &[Role::Head]);
    let (li, li_customer) = (o.li.clone(), o.li_customer.clone());
    let v = small_quote(&mut o, &li, &li_customer);
    let v = submit(&mut o.svc, &o.li, &v);
    let id = v.quote.id;

    // Both seats load their inbox, then approve what they saw, one right after the other.
    let mut other = seat(&o);
    let mine = o.svc.approval_inbox(&o.head).expect("inbox");
    let theirs = other.approval_inbox(&qian).expect("inbox");
    assert_eq!((mine.len(), theirs.len()), (1, 1));
    let (a, b) = (&mine[0].revision, &theirs[0].revision);
    assert_eq!(a.content_hash, b.content_hash);
    o.svc.decide_revision(&o.head, a.id, &a.content_hash, true, "同意").expect("the first one wins");
    let err = other.decide_revision(&qian, b.id, &b.content_hash, true, "同意").expect_err("already decided");
    assert_rule_naming(&err, "approval.not_pending", "已批准");
    let r = latest(&other.quote_view(&qian, id).expect("reads")).clone();
    assert_eq!(r.approvals.len(), 1);
    assert_eq!(r.approvals[0].by, o.head.id());

    // The same on threads: each seat approves (or rejects) a fresh major revision after a barrier.
    for round in 0..3 {
        let v = large_quote(&mut o, &li, &li_customer);
        let v = submit(&mut o.svc, &o.li, &v);
        let r = latest(&v).clone();
        let start = Arc::new(Barrier::new(2));
        let handles: Vec<_> = [(o.head.clone(), true), (qian.clone(), round % 2 == 0)]
            .into_iter()
            .map(|(who, approve)| {
                let mut svc = seat(&o);
                let (start, r) = (Arc::clone(&start), r.clone());
                std::thread::spawn(move || {
                    start.wait();
                    svc.decide_revision(&who, r.id, &r.content_hash, approve, "意见").map(|_| who.id())
                })
            })
            .collect();
        let results: Vec<_> = handles.into_iter().map(|h| h.join().expect("no panic")).collect();
        let winners: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(winners.len(), 1, "round {round}: exactly one decides: {results:?}");
        for e in results.iter().filter_map(|r| r.as_ref().err()) {
            assert!(matches!(e, ServiceError::Rule { .. }) || e.is_conflict(), "a clear refusal: {e:?}");
        }
        let now = latest(&o.svc.quote_view(&o.head, v.quote.id).expect("reads")).clone();
        assert_eq!(now.approvals.len(), 1, "round {round}");
        assert_eq!(now.approvals[0].by, *winners[0]);
        assert_eq!(now.approvals[0].step, ApprovalStep::Head);
        assert_eq!(now.version, r.version + 1, "one write");
    }
}

/// A tiny deterministic generator (xorshift), so a failing run can be repeated.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Save,
    Submit,
    Decide,
    NewRevision,
}

/// What one thread did: the revision an operation wrote to (if any), and whether it succeeded.
#[derive(Debug)]
struct Done {
    op: Op,
    revision: Option<RevisionId>,
    ok: bool,
}

#[test]
fn ten_seats_editing_and_approving_ten_quotes_lose_no_update_and_approve_nothing_stale() {
    const THREADS: usize = 10;
    // The long run (issue 10): SALESDESK_RACE_OPS=500 SALESDESK_RACE_QUOTES=20.
    let env = |name: &str, default: usize| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let ops_per_thread = env("SALESDESK_RACE_OPS", 200);
    let quote_count = env("SALESDESK_RACE_QUOTES", 10);
    let mut o = office();
    let qian = add_staff(&mut o.svc, &o.admin, "qianzong", "钱总", &[Role::Head]);
    let (li, wang) = (o.li.clone(), o.wang.clone());
    let (li_customer, wang_customer) = (o.li_customer.clone(), o.wang_customer.clone());
    let mut quotes: Vec<(QuoteId, Actor)> = Vec::new();
    for n in 0..quote_count {
        let (who, c) = if n % 2 == 0 { (&li, &li_customer) } else { (&wang, &wang_customer) };
        let v = if n % 3 == 0 { large_quote(&mut o, who, c) } else { small_quote(&mut o, who, c) };
        quotes.push((v.quote.id, who.clone()));
    }
    let approvers = [o.head.clone(), qian.clone(), o.leader.clone()];
    let started = std::time::Instant::now();
    let start = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let mut svc = seat(&o);
            let (start, quotes, approvers) = (Arc::clone(&start), quotes.clone(), approvers.clone());
            std::thread::spawn(move || {
                let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ ((t as u64 + 1) * 0x1000_0001));
                let mut done = Vec::new();
                let mut remembered: Option<(Actor, Revision)> = None;
                start.wait();
                // Until `ops_per_thread` operations were tried (an empty inbox tries nothing).
                for _ in 0..ops_per_thread * 10 {
                    if done.len() == ops_per_thread {
                        break;
                    }
                    let (qid, author) = &quotes[rng.below(quotes.len() as u64) as usize];
                    let view = svc.quote_view(author, *qid).expect("the author reads the quote");
                    let r = latest(&view).clone();
                    let choice = rng.below(4);
                    let result = match (choice, r.status) {
                        (0, RevisionStatus::Draft) => {
                            let mut c = r.content.clone();
                            c.lines[0].quantity = Quantity::from_units(1 + rng.below(4) as u32);
                            c.notes = format!("第{t}席修改");
                            (Op::Save, Some(r.id), svc.save_draft(author, r.id, r.version, c).map(|_| ()))
                        }
                        (1, RevisionStatus::Draft) => {
                            (Op::Submit, Some(r.id), svc.submit_revision(author, r.id, r.version).map(|_| ()))
                        }
                        (0, _) => (Op::NewRevision, None, svc.new_revision(author, *qid).map(|_| ())),
                        _ => {
                            // Now and then an approver acts on an inbox read a while ago (stale).
                            let (who, rev) = match remembered.take() {
                                Some(old) if rng.below(3) == 0 => old,
                                _ => {
                                    let who = &approvers[rng.below(approvers.len() as u64) as usize];
                                    let items = svc.approval_inbox(who).expect("the inbox reads");
                                    let Some(item) = items.iter().find(|i| i.quote.id == *qid).or(items.first()) else {
                                        continue;
                                    };
                                    remembered = Some((who.clone(), item.revision.clone()));
                                    (who.clone(), item.revision.clone())
                                }
                            };
                            let approve = rng.below(4) != 0;
                            let comment = if approve { "同意" } else { "价格需再议" };
                            let res = svc.decide_revision(&who, rev.id, &rev.content_hash, approve, comment);
                            (Op::Decide, Some(rev.id), res.map(|_| ()))
                        }
                    };
                    let (op, revision, res) = result;
                    if let Err(e) = &res {
                        assert!(
                            e.is_conflict() || matches!(e, ServiceError::Rule { .. }),
                            "seat {t}: {op:?} refused with an unexpected error: {e:?}"
                        );
                    }
                    done.push(Done { op, revision, ok: res.is_ok() });
                }
                done
            })
        })
        .collect();
    let done: Vec<Done> = handles.into_iter().flat_map(|h| h.join().expect("no seat panicked")).collect();
    let elapsed = started.elapsed();

    // Successful writes per revision, per kind.
    let mut writes: BTreeMap<RevisionId, i64> = BTreeMap::new();
    let mut decided: BTreeMap<RevisionId, usize> = BTreeMap::new();
    let count = |op: Op| done.iter().filter(|d| d.op == op && d.ok).count();
    for d in done.iter().filter(|d| d.ok) {
        if let Some(r) = d.revision {
            *writes.entry(r).or_default() += 1;
            if d.op == Op::Decide {
                *decided.entry(r).or_default() += 1;
            }
        }
    }
    let attempts = done.len();
    assert_eq!(attempts, THREADS * ops_per_thread, "every seat tried its operations");
    for op in [Op::Save, Op::Submit, Op::Decide, Op::NewRevision] {
        assert!(count(op) > 0, "some {op:?} succeeded: {done:?}");
    }

    let mut fresh = seat(&o);
    let mut revisions = 0;
    for (qid, author) in &quotes {
        let v = fresh.quote_view(&o.head, *qid).expect("reads");
        let numbers: Vec<u32> = v.revisions.iter().map(|r| r.revision).collect();
        assert_eq!(numbers, (1..=v.revisions.len() as u32).collect::<Vec<_>>(), "V1, V2 … without gaps");
        revisions += v.revisions.len();
        let last = v.revisions.len() - 1;
        for (n, r) in v.revisions.iter().enumerate() {
            let label = v.quote.number.revision_label(r.revision);
            // Superseding is the one write a revision gets from another's submission.
            let superseded = i64::from(r.status == RevisionStatus::Superseded);
            assert_eq!(
                r.version - 1,
                writes.get(&r.id).copied().unwrap_or(0) + superseded,
                "{label}: every successful write and nothing else moved the version"
            );
            assert_eq!(r.approvals.len(), decided.get(&r.id).copied().unwrap_or(0), "{label}: approvals recorded");
            let steps: HashSet<ApprovalStep> = r.approvals.iter().map(|a| a.step).collect();
            assert_eq!(steps.len(), r.approvals.len(), "{label}: one approval per step");
            match r.status {
                RevisionStatus::Draft => {
                    assert_eq!(n, last, "{label}: only the latest is a draft");
                    assert!(r.content_hash.is_empty() && r.approvals.is_empty(), "{label}");
                }
                _ => {
                    assert_eq!(
                        r.content_hash,
                        r.content.content_hash().expect("content encodes"),
                        "{label}: frozen since submitted"
                    );
                }
            }
            if n + 1 < last || (n + 1 == last && v.revisions[last].status != RevisionStatus::Draft) {
                assert_eq!(r.status, RevisionStatus::Superseded, "{label}: a newer revision was submitted");
            }
            for a in &r.approvals {
                assert_eq!(a.content_hash, r.content_hash, "{label}: approved what was submitted");
                assert!(
                    a.by != r.author && a.by != author.id() && Some(a.by) != v.quote.customer_owner,
                    "{label}: separation of duties"
                );
            }
            if let [head, leader] = &r.approvals[..] {
                assert!(head.approved && r.major, "{label}: the leader only after the head, on a major one");
                assert_ne!(head.by, leader.by, "{label}: two different people");
            }
            match r.status {
                RevisionStatus::Approved => {
                    assert!(r.approvals.iter().all(|a| a.approved));
                    assert_eq!(r.approvals.len(), if r.major { 2 } else { 1 }, "{label}");
                }
                RevisionStatus::Rejected => assert!(!r.approvals.last().expect("a decision").approved, "{label}"),
                _ => {}
            }
        }
    }
    assert_eq!(revisions, quotes.len() + count(Op::NewRevision), "every new revision and nothing else");
    for (action, op) in [
        ("quote.save", Op::Save),
        ("quote.submit", Op::Submit),
        ("quote.decide", Op::Decide),
        ("quote.new_revision", Op::NewRevision),
    ] {
        let logged = audit_with_action(&mut fresh, &o.admin, action).len();
        assert_eq!(logged, count(op), "{action}: one entry per successful write");
    }
    assert!(elapsed < std::time::Duration::from_secs(60), "the stress ran in {elapsed:?}");
}

#[test]
fn an_inquiry_has_one_quote_and_a_new_one_can_start_from_an_earlier_quote_of_the_customer() {
    let mut o = office();
    let (li, li_customer, wang_customer) = (o.li.clone(), o.li_customer.clone(), o.wang_customer.clone());
    let earlier = small_quote(&mut o, &li, &li_customer);
    let earlier = save(&mut o.svc, &li, &earlier, |c| {
        c.lines[0].discount = Discount::parse("5").expect("discount");
        c.lines[0].note = "含安装指导".into();
        c.terms.delivery_days = 40;
    });
    let inquiry = earlier.quote.inquiry.expect("made from an inquiry");
    let again = o.svc.create_quote(&li, inquiry).expect_err("one quote per inquiry");
    assert_rule_naming(&again, "quote.exists", &earlier.quote.number.to_string());

    // A second inquiry of the same customer for a switchgear cabinet: start from the earlier quote.
    let cabinet = o.cabinet.clone();
    let fresh = quote_for(&mut o, &li, &li_customer, vec![wants(&cabinet, "2")]);
    let draft = latest(&fresh).clone();
    let copied = o.svc.copy_into_draft(&li, draft.id, draft.version, earlier.quote.id).expect("copies");
    let content = &latest(&copied).content;
    assert_eq!(content.lines.len(), 1);
    assert_eq!(content.lines[0].code, "CP-SCB13-1000");
    assert_eq!(content.lines[0].discount, Discount::parse("5").expect("discount"));
    assert_eq!(content.lines[0].note, "含安装指导");
    assert_eq!(content.terms.delivery_days, 40);
    assert_eq!(content.lines[0].list_price, yuan("186000"), "re-priced from the table in force");
    assert_eq!(audit_with_action(&mut o.svc, &o.admin, "quote.copy").len(), 1);

    // Only the same customer's quotes, and only into a draft.
    let wang = o.wang.clone();
    let other = small_quote(&mut o, &wang, &wang_customer);
    let r = latest(&copied).clone();
    let err = o.svc.copy_into_draft(&li, r.id, r.version, other.quote.id).expect_err("another customer's quote");
    assert!(is_denied(&err) || err.rule_code() == Some("quote.copy_other_customer"), "{err:?}");
    let submitted = submit(&mut o.svc, &li, &copied);
    let r = latest(&submitted).clone();
    let err = o.svc.copy_into_draft(&li, r.id, r.version, earlier.quote.id).expect_err("a submitted revision");
    assert_rule(&err, "quote.frozen");
}

#[test]
fn the_quote_of_an_inquiry_is_started_once_and_opened_after_that() {
    let mut o = office();
    let (li, wang, c) = (o.li.clone(), o.wang.clone(), o.li_customer.clone());
    let t = o.transformer.clone();
    let i = go_inquiry(&mut o, &li, inquiry(&c, vec![wants(&t, "2")]));
    let (first, created) = o.svc.open_quote_for_inquiry(&li, i.id).expect("starts the quote");
    assert!(created);
    assert_eq!(first.revisions.len(), 1);
    let (again, created) = o.svc.open_quote_for_inquiry(&li, i.id).expect("opens it");
    assert!(!created, "one document per inquiry");
    assert_eq!(again.quote.id, first.quote.id);
    assert_eq!(audit_with_action(&mut o.svc, &o.admin, "quote.create").len(), 1);
    let err = o.svc.open_quote_for_inquiry(&wang, i.id).expect_err("not wang's customer or quote");
    assert!(is_denied(&err), "{err:?}");
}

#[test]
fn saving_and_submitting_is_one_step_and_a_refusal_leaves_the_draft_as_it_was() {
    let mut o = office();
    let (li, c) = (o.li.clone(), o.li_customer.clone());
    let v = small_quote(&mut o, &li, &c);
    let r = latest(&v).clone();

    // Refused (no lines left): neither the save nor the submission happens.
    let mut bad = r.content.clone();
    bad.terms.delivery_days = 45;
    bad.lines.clear();
    let saves = audit_with_action(&mut o.svc, &o.admin, "quote.save").len();
    let err = o.svc.save_and_submit(&li, r.id, r.version, bad).expect_err("no lines");
    assert!(matches!(err, ServiceError::Invalid(_)), "{err:?}");
    let now = o.svc.quote_view(&li, v.quote.id).expect("reads");
    assert_eq!(latest(&now).version, r.version, "the draft was not saved");
    assert_eq!(latest(&now).content, r.content);
    assert_eq!(audit_with_action(&mut o.svc, &o.admin, "quote.save").len(), saves);

    // Right: saved and submitted together, on the content sent.
    let mut good = r.content.clone();
    good.terms.delivery_days = 45;
    let done = o.svc.save_and_submit(&li, r.id, r.version, good).expect("saved and submitted");
    assert_eq!(latest(&done).status, RevisionStatus::Submitted);
    assert_eq!(latest(&done).content.terms.delivery_days, 45);
    assert_eq!(inbox(&mut o.svc, &o.head), vec!["BJ-2026-0001-V1".to_string()]);
    let err = o.svc.save_and_submit(&li, r.id, latest(&done).version, r.content.clone()).expect_err("frozen");
    assert_rule(&err, "quote.frozen");
}

#[test]
fn the_approval_count_agrees_with_the_inbox_at_every_step() {
    let mut o = office();
    let (li, c) = (o.li.clone(), o.li_customer.clone());
    let (head, leader, wang) = (o.head.clone(), o.leader.clone(), o.wang.clone());
    let counts = |o: &mut Office| {
        [&head, &leader, &li, &wang]
            .map(|who| (o.svc.approval_count(who).expect("counts"), o.svc.approval_inbox(who).expect("lists").len()))
    };
    assert_eq!(counts(&mut o), [(0, 0); 4], "nothing submitted yet");
    let major = large_quote(&mut o, &li, &c);
    let small = small_quote(&mut o, &li, &c);
    let major = submit(&mut o.svc, &li, &major);
    submit(&mut o.svc, &li, &small);
    assert_eq!(counts(&mut o), [(2, 2), (0, 0), (0, 0), (0, 0)], "both wait for the head");
    decide(&mut o.svc, &head, latest(&major), true, "同意");
    assert_eq!(counts(&mut o), [(1, 1), (1, 1), (0, 0), (0, 0)], "the major one moved on to the leader");
}

#[test]
fn a_price_row_that_cannot_be_read_fails_the_save_instead_of_dropping_its_floor() {
    let mut o = office();
    let (t, c) = (o.transformer.clone(), o.cabinet.clone());
    let (li, li_customer) = (o.li.clone(), o.li_customer.clone());
    let v = quote_for(&mut o, &li, &li_customer, vec![wants(&t, "1")]);
    let table = o.svc.price_table(&o.li, None).expect("the salesperson reads the table");
    let picked = table.products.iter().find(|p| p.id == c.id).expect("listed").clone();
    let i = go_inquiry(&mut o, &li, inquiry(&li_customer, vec![wants(&c, "1")]));

    // The cabinet's row is damaged behind the program's back (its parameters no longer parse).
    raw_sql(&o.dir, "UPDATE products SET params = '{broken' WHERE code = 'CP-KYN28A-12'");

    // A salesperson's new line takes its floor from the table: unreadable is an error, not "no
    // floor" (which would let a below-floor price through without a reason).
    let r = latest(&v).clone();
    let mut content = r.content.clone();
    content.lines.push(QuoteLine {
        product: Some(picked.id),
        price_version: Some(picked.price_version),
        code: picked.draft.code.clone(),
        name: picked.draft.name.clone(),
        list_price: picked.draft.list_price,
        unit_price: yuan("60000"), // below the floor of 61000
        ..Default::default()
    });
    let err = o.svc.save_draft(&o.li, r.id, r.version, content).expect_err("the floor cannot be read");
    assert!(matches!(err, ServiceError::Store(StoreError::Unreadable(_))), "{err:?}");
    let now = o.svc.quote_view(&o.li, v.quote.id).expect("opens");
    assert_eq!(latest(&now).content.lines.len(), 1, "nothing half saved");

    // Starting the quote of an inquiry for the cabinet: an error, not an unpriced line.
    let err = o.svc.create_quote(&o.li, i.id).expect_err("the price cannot be read");
    assert!(matches!(err, ServiceError::Store(StoreError::Unreadable(_))), "{err:?}");
}
