//! What a tender committee voids a bid for, stopped before it goes out (issue 19): typed tender
//! clauses (★ and the requirement in numbers), answers made from the bid's own data, the
//! cross-checks at 提交 naming the clause, and the 业绩库 the head keeps from signed contracts —
//! read by every bid author without the contracts behind it, counted against "近N年同类业绩".

use salesdesk::domain::clause::Requirement;
use salesdesk::domain::ids::QuoteId;
use salesdesk::domain::quote::{Deviation, QuoteKind, Revision, RevisionStatus};
use salesdesk::service::{Actor, Service, ServiceError};

use crate::support::{demo_office, sign_in};

/// The demo's draft bid (its author took the standard 12-month warranty back against a ★ clause
/// asking 24) and its author.
fn draft_bid(svc: &mut Service) -> (QuoteId, Actor) {
    let head = sign_in(svc, "zhaomin");
    let bid = svc
        .quotes(&head)
        .unwrap()
        .into_iter()
        .find(|s| s.quote.kind == QuoteKind::Bid && s.revision_status == RevisionStatus::Draft)
        .expect("the demo has a draft bid");
    let author = ["liqiang", "wangfang", "liuyang", "zhengkai", "fengxue", "sunli", "heyan"]
        .iter()
        .map(|l| sign_in(svc, l))
        .find(|a| a.id() == bid.quote.author)
        .expect("a demo author");
    (bid.quote.id, author)
}

fn latest(svc: &mut Service, who: &Actor, id: QuoteId) -> Revision {
    svc.quote_view(who, id).unwrap().latest().unwrap().clone()
}

/// The tender clause `no`'s typed requirement and the answer's position.
fn clause_index(r: &Revision, no: &str) -> usize {
    r.content.responses.iter().position(|x| x.clause_no == no).unwrap_or_else(|| panic!("clause {no}"))
}

#[test]
fn a_starred_warranty_the_bid_does_not_meet_stops_it_at_submit_naming_the_clause_until_it_is_fixed() {
    let (_dir, mut svc) = demo_office();
    let (id, author) = draft_bid(&mut svc);
    let r = latest(&mut svc, &author, id);
    assert_eq!(r.content.terms.warranty_months, 12);
    let n = clause_index(&r, "★5.4");
    // The answer to a typed clause is what the bid offers, computed when it was saved.
    assert_eq!(r.content.responses[n].response, "质保期12个月");
    assert_eq!(r.content.responses[n].deviation, Deviation::Negative);

    let Err(ServiceError::Invalid(problems)) = svc.submit_revision(&author, r.id, r.version) else {
        panic!("a bid void on a ★ clause is refused at 提交");
    };
    let at_clause = problems.iter().find(|p| p.field == format!("response{n}")).expect("named at its row");
    assert!(
        at_clause.message.contains("★条款 ★5.4")
            && at_clause.message.contains("质保期 ≥ 24 个月")
            && at_clause.message.contains("质保期12个月")
            && at_clause.message.contains("废标"),
        "{}",
        at_clause.message
    );
    assert_eq!(latest(&mut svc, &author, id).status, RevisionStatus::Draft, "nothing was submitted");

    // Fixed: the warranty the tender asks. Saving makes the answer from the terms.
    let mut content = r.content.clone();
    content.terms.warranty_months = 24;
    let v = svc.save_draft(&author, r.id, r.version, content).unwrap();
    let r = v.latest().unwrap().clone();
    assert_eq!(r.content.responses[n].response, "质保期24个月");
    assert_eq!(r.content.responses[n].deviation, Deviation::None);
    let v = svc.submit_revision(&author, r.id, r.version).expect("a bid that meets its ★ clauses goes to approval");
    assert_eq!(v.latest().unwrap().status, RevisionStatus::Submitted);
}

#[test]
fn an_answer_that_only_repeats_the_requirement_is_refused_and_a_typed_answer_cannot_be_typed_over() {
    let (_dir, mut svc) = demo_office();
    let (id, author) = draft_bid(&mut svc);
    let r = latest(&mut svc, &author, id);
    let mut content = r.content.clone();
    content.terms.warranty_months = 24;
    // A free clause answered by copying the requirement, as the demo's bids used to.
    let free =
        content.responses.iter().position(|x| x.clause_no == "3.1" || x.clause_no == "2.3").expect("a free clause");
    let no = content.responses[free].clause_no.clone();
    content.responses[free].response = format!("满足：{}", content.responses[free].requirement);
    // Someone types "满足" over a typed answer: saving puts the bid's own offer back.
    let w = clause_index(&r, "★5.4");
    content.responses[w].response = "满足".into();
    let v = svc.save_draft(&author, r.id, r.version, content).unwrap();
    let r = v.latest().unwrap().clone();
    assert_eq!(r.content.responses[w].response, "质保期24个月");
    let Err(ServiceError::Invalid(problems)) = svc.submit_revision(&author, r.id, r.version) else {
        panic!("refused");
    };
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].field, format!("response{free}"));
    assert!(problems[0].message.contains(&format!("条款 {no}")) && problems[0].message.contains("重复了招标要求"));
}

#[test]
fn the_head_lists_signed_contracts_as_references_every_bid_author_reads_them_and_a_bid_counts_them() {
    let (_dir, mut svc) = demo_office();
    let head = sign_in(&mut svc, "zhaomin");
    let listed = svc.references(&head).unwrap();
    assert!(listed.len() >= 5, "the demo head listed the signed contracts: {}", listed.len());
    assert!(listed.iter().all(|r| r.active && r.draft.signed_on.is_some() && !r.draft.project.is_empty()));

    // A salesperson reads the whole 业绩库, not the contracts of other salespeople behind it.
    let (id, author) = draft_bid(&mut svc);
    assert_eq!(svc.references(&author).unwrap(), listed);
    let others = listed.iter().find(|r| svc.contract(&author, r.contract).is_err());
    assert!(others.is_some(), "some references come from contracts the author may not open");
    let tech = sign_in(&mut svc, "chenming");
    assert!(matches!(svc.references(&tech), Err(ServiceError::Denied(_))));

    // Only the head lists, once per contract, with the contract's own amount and date.
    let first = &listed[0];
    let (draft, existing) = svc.reference_draft(&head, first.contract).unwrap();
    assert_eq!(existing.as_ref().map(|e| e.id), Some(first.id));
    assert!(matches!(svc.add_reference(&author, first.contract, draft.clone()), Err(ServiceError::Denied(_))));
    let again = svc.add_reference(&head, first.contract, draft.clone()).unwrap_err();
    assert!(again.to_string().contains("已在业绩库中"), "{again}");
    let mut inflated = first.draft.clone();
    inflated.amount = inflated.amount + inflated.amount;
    let refused = svc.update_reference(&head, first.id, first.version, inflated, true).unwrap_err();
    assert!(refused.to_string().contains("须与合同一致"), "{refused}");

    // The tender asks five references of the last three years: the bid lists five.
    let r = latest(&mut svc, &author, id);
    let n = clause_index(&r, "5.1");
    assert_eq!(r.content.responses[n].deviation, Deviation::Negative, "none listed yet");
    let mut content = r.content.clone();
    content.terms.warranty_months = 24;
    content.references = listed.iter().take(5).map(|x| x.id).collect();
    let v = svc.save_draft(&author, r.id, r.version, content).unwrap();
    let r = v.latest().unwrap().clone();
    assert_eq!(r.content.responses[n].response, "近3年同类业绩5项（见业绩表）");
    assert_eq!(r.content.responses[n].deviation, Deviation::None);
    let printed = svc.print_quote(&author, id, None).unwrap();
    let text = crate::documents::pdf_text(&printed.bytes);
    assert!(text.contains("十一、业绩表") && text.contains(&listed[0].draft.customer_name), "the 业绩表 prints them");

    // Withdrawn, a reference no longer counts: four of five is a negative deviation again.
    let x = svc.references(&head).unwrap().into_iter().find(|x| x.id == listed[0].id).unwrap();
    svc.update_reference(&head, x.id, x.version, x.draft.clone(), false).unwrap();
    let v = svc.save_draft(&author, r.id, r.version, r.content.clone()).unwrap();
    let r = v.latest().unwrap().clone();
    assert_eq!(r.content.responses[n].deviation, Deviation::Negative);
    assert!(r.content.responses[n].response.contains("4项"), "{}", r.content.responses[n].response);
}

#[test]
fn clauses_pasted_into_a_tender_are_typed_and_starred_and_stored_that_way() {
    let (_dir, mut svc) = demo_office();
    let head = sign_in(&mut svc, "zhaomin");
    let (id, _) = draft_bid(&mut svc);
    let inquiry = svc.quote_view(&head, id).unwrap().quote.inquiry.expect("a bid answers a tender");
    let tender = svc.inquiry(&head, inquiry).unwrap().draft.tender;
    let warranty = tender.clauses.iter().find(|c| c.no == "★5.4").expect("the ★ warranty clause");
    assert!(warranty.starred);
    assert_eq!(warranty.typed, Some(Requirement::WarrantyMonths { at_least: 24 }));
    let technical = tender.clauses.iter().find(|c| c.no == "3.1" || c.no == "2.3").expect("a technical clause");
    assert!(!technical.starred && technical.typed.is_none(), "a technical parameter stays a free clause");
}

/// The demo's draft bid, fixed so it meets its ★ clauses, and its tender's inquiry.
fn fixable_bid(svc: &mut Service) -> (QuoteId, Actor, salesdesk::domain::ids::InquiryId) {
    let (id, author) = draft_bid(svc);
    let r = latest(svc, &author, id);
    let mut content = r.content.clone();
    content.terms.warranty_months = 24;
    let v = svc.save_draft(&author, r.id, r.version, content).unwrap();
    (id, author, v.quote.inquiry.expect("a bid answers a tender"))
}

/// Every approver needed approves the latest revision.
fn approve_all(svc: &mut Service, id: QuoteId) {
    for login in ["zhaomin", "qianjun", "zhoujg", "wuhaitao"] {
        let who = sign_in(svc, login);
        let r = latest(svc, &who, id);
        if r.status == RevisionStatus::Submitted {
            let _ = svc.decide_revision(&who, r.id, &r.content_hash, true, "同意。");
        }
    }
    let head = sign_in(svc, "zhaomin");
    assert_eq!(latest(svc, &head, id).status, RevisionStatus::Approved);
}

#[test]
fn an_unpaid_bond_near_the_deadline_warns_at_submit_stops_the_issue_and_goes_once_paid_or_let_go() {
    let (dir, mut svc) = demo_office();
    let (id, author, inquiry) = fixable_bid(&mut svc);
    let head = sign_in(&mut svc, "zhaomin");
    let i = svc.inquiry(&head, inquiry).unwrap();
    let bond = i.draft.tender.bond.expect("the demo tenders ask a bond");
    let i = svc.set_bond_status(&head, inquiry, i.version, false, false).unwrap();
    // Three days before the deadline: inside the admin's seven-day window.
    let deadline = i.draft.tender.deadline.unwrap();
    let mut svc = svc.with_clock(crate::support::fixed_clock(deadline - chrono::Duration::days(3)));

    let r = latest(&mut svc, &author, id);
    let v = svc.submit_revision(&author, r.id, r.version).expect("an unpaid bond only warns at 提交");
    let warned = v.warnings.iter().find(|w| w.contains("投标保证金")).expect("the warning comes back with the submit");
    assert!(warned.contains(&format!("¥{bond}")) && warned.contains("尚未缴纳"), "{warned}");
    approve_all(&mut svc, id);

    let assistant = sign_in(&mut svc, "sunli");
    let out = dir.path().join("bid.pdf");
    let Err(ServiceError::Invalid(problems)) = svc.issue_quote(&assistant, id, 2, &out) else {
        panic!("用印发出 is refused while the bond is unpaid");
    };
    assert!(problems.iter().any(|p| p.message.contains("投标保证金") && p.message.contains("销售部负责人")));
    assert!(!out.exists());

    // Only the head may let it go, and only with a reason; taking it back stops it again.
    let sales = sign_in(&mut svc, "liqiang");
    let i = svc.inquiry(&head, inquiry).unwrap();
    assert!(matches!(
        svc.waive_bond(&sales, inquiry, i.version, Some("客户同意开标后补交")),
        Err(ServiceError::Denied(_))
    ));
    let short = svc.waive_bond(&head, inquiry, i.version, Some("同意")).unwrap_err();
    assert!(short.field_message("bond_waiver").is_some(), "{short}");
    let i = svc.waive_bond(&head, inquiry, i.version, Some("保函已在银行办理，开标前送达")).unwrap();
    let w = i.bond_record.waiver.as_ref().expect("kept with the tender");
    assert_eq!(w.reason, "保函已在银行办理，开标前送达");
    assert!(svc.bid_checks(&assistant, id).unwrap().is_empty());
    let shown = latest(&mut svc, &head, id).id;
    let review = svc.bid_review(&head, id, shown).unwrap();
    assert!(review.bond.waiver.is_some() && review.problems.is_empty());
    let i = svc.waive_bond(&head, inquiry, i.version, None).unwrap();
    assert!(i.bond_record.waiver.is_none());
    assert_eq!(svc.bid_checks(&assistant, id).unwrap().len(), 1);

    // Paid by transfer yesterday, with the bank's receipt: it goes out and says so.
    let yesterday = svc.today().pred_opt().unwrap();
    let receipt = salesdesk::docs::seal::seal_png("中国工商银行", "业务回单").unwrap();
    let tomorrow = svc.today().succ_opt().unwrap();
    let future = svc
        .record_bond_payment(
            &author,
            inquiry,
            i.version,
            salesdesk::domain::inquiry::BondForm::Transfer,
            tomorrow,
            None,
        )
        .unwrap_err();
    assert!(future.field_message("bond_paid_on").is_some(), "{future}");
    let i = svc
        .record_bond_payment(
            &head,
            inquiry,
            i.version,
            salesdesk::domain::inquiry::BondForm::Transfer,
            yesterday,
            Some(("回单.png", &receipt)),
        )
        .unwrap();
    assert!(i.draft.tender.bond_paid && i.bond_record.receipt.is_some());
    let entry = svc.issue_quote(&assistant, id, 2, &out).expect("issued once paid");
    let text = crate::documents::pdf_text(&std::fs::read(&out).unwrap());
    assert!(text.contains("四、投标保证金") && text.contains("形式为银行转账"), "the 投标函 and the section say so");
    assert!(text.contains(&salesdesk::domain::dates::cn_date(yesterday)), "the paid date");
    assert!(entry.sha256.len() == 64);
    let log = svc.audit_entries(&head, &Default::default()).unwrap();
    for action in ["tender.bond_waiver", "tender.bond_paid"] {
        assert!(log.iter().any(|e| e.action == action), "{action} audited");
    }
}

#[test]
fn a_required_certificate_missing_refuses_naming_the_clause_and_one_for_other_products_only_warns() {
    let (dir, mut svc) = demo_office();
    let (id, author, inquiry) = fixable_bid(&mut svc);
    // The tender asks a production licence (生产许可证), typed, not starred.
    let typed = serde_json::to_string(&Requirement::Certificate { kind: "生产许可证".into() }).unwrap();
    crate::support::raw_sql(
        &dir,
        &format!(
            "INSERT INTO tender_clauses (inquiry_id, position, clause_no, requirement, kind, starred, typed) \
             VALUES ({}, 98, '2.9', '投标人须提供有效的生产许可证', 'commercial', 0, '{typed}')",
            inquiry.0
        ),
    );
    let r = latest(&mut svc, &author, id);
    let mut content = r.content.clone();
    content.responses.push(salesdesk::domain::quote::ClauseResponse {
        clause_no: "2.9".into(),
        requirement: "投标人须提供有效的生产许可证".into(),
        kind: salesdesk::domain::inquiry::ClauseKind::Commercial,
        ..Default::default()
    });
    let v = svc.save_draft(&author, r.id, r.version, content).unwrap();
    let r = v.latest().unwrap().clone();
    let n = clause_index(&r, "2.9");
    let Err(ServiceError::Invalid(problems)) = svc.submit_revision(&author, r.id, r.version) else {
        panic!("a required certificate missing is refused at 提交");
    };
    let p = problems.iter().find(|p| p.field == format!("response{n}")).expect("named at its row");
    assert!(p.message.contains("条款 2.9") && p.message.contains("生产许可证"), "{}", p.message);

    // The admin adds the licence (for the whole company) and a type-test report for GIS
    // switchgear, which this bid does not offer; the author attaches both.
    let admin = sign_in(&mut svc, "admin");
    let png = salesdesk::docs::seal::seal_png("测试", "证书").unwrap();
    let draft = |name: &str, kind: &str, covers: Vec<String>| salesdesk::domain::certificate::CertificateDraft {
        name: name.into(),
        kind: kind.into(),
        number: "X-1".into(),
        issuer: "发证机关".into(),
        valid_from: None,
        valid_until: None,
        covers,
    };
    let licence =
        svc.add_certificate(&admin, draft("全国工业产品生产许可证", "生产许可证", vec![]), ("l.png", &png)).unwrap();
    let gis = svc
        .add_certificate(
            &admin,
            draft("ZF12-126 GIS 型式试验报告", "型式试验报告", vec!["ZF12".into()]),
            ("g.png", &png),
        )
        .unwrap();
    let mut content = r.content.clone();
    content.certificates.extend([licence.id, gis.id]);
    let v = svc.save_draft(&author, r.id, r.version, content).unwrap();
    let r = v.latest().unwrap().clone();
    assert_eq!(r.content.responses[n].deviation, Deviation::None);
    let warned = v.warnings.iter().find(|w| w.contains("ZF12-126 GIS")).expect("the uncovered certificate warns");
    assert!(warned.contains("适用于 ZF12") && warned.contains("不对应"), "{warned}");
    let v = svc.submit_revision(&author, r.id, r.version).expect("a warning does not stop 提交");
    assert!(v.warnings.iter().any(|w| w.contains("ZF12-126 GIS")));
}
