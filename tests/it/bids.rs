//! The 投标书 (issue 7, DESIGN §5): a bid from the demo office prints its sections in order with a
//! table of contents whose page numbers are where the sections start; issuing cross-checks the bid
//! and refuses with every problem named (figures, unanswered clauses, expired or retired
//! certificates, a passed deadline); the seal is on the cover, the 投标函 and the 开标一览表 of every
//! volume and only when issued; 正本 and 副本 each have their own cover and page numbers; the text
//! reads back. Also the certificate library (admin only, audited) and the after-sales template.

use chrono::{Duration, Utc};
use salesdesk::docs::bid::{QUALIFICATIONS, SECTIONS};
use salesdesk::domain::bid::AfterSalesTemplate;
use salesdesk::domain::certificate::CertificateDraft;
use salesdesk::domain::document::verification_code;
use salesdesk::domain::ids::QuoteId;
use salesdesk::domain::quote::{QuoteKind, QuoteStatus, RevisionStatus};
use salesdesk::domain::rmb::rmb_uppercase;
use salesdesk::service::{Actor, Service, ServiceError};

use crate::documents::{pdf_pages, pdf_text};
use crate::support::{audit_with_action, demo_office, fixed_clock, png_bytes, sign_in};

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn keep(name: &str, bytes: &[u8]) {
    // SALESDESK_KEEP_PDF=/some/dir keeps the rendered files to look at (pdftoppm -png -r 60 …).
    if let Ok(dir) = std::env::var("SALESDESK_KEEP_PDF") {
        std::fs::write(std::path::Path::new(&dir).join(name), bytes).unwrap();
    }
}

/// A demo bid whose latest revision is approved and which is still open, with its tender's
/// deadline ahead: the one the assistant would issue next. If the demo has none, a submitted or
/// draft bid with an open tender is taken through submission and approval.
fn approved_bid(svc: &mut Service) -> QuoteId {
    let assistant = sign_in(svc, "sunli");
    let bids: Vec<_> = svc.quotes(&assistant).unwrap().into_iter().filter(|s| s.quote.kind == QuoteKind::Bid).collect();
    let open_tender = |svc: &mut Service, id: QuoteId| svc.bid_checks(&assistant, id).unwrap().is_empty();
    for b in &bids {
        if b.revision_status == RevisionStatus::Approved
            && b.quote.status == QuoteStatus::Open
            && open_tender(svc, b.quote.id)
        {
            return b.quote.id;
        }
    }
    for b in &bids {
        if b.quote.status != QuoteStatus::Open
            || !matches!(b.revision_status, RevisionStatus::Draft | RevisionStatus::Submitted)
        {
            continue;
        }
        let author = svc.quote_view(&assistant, b.quote.id).unwrap().quote.author;
        let author = ["liqiang", "wangfang", "liuyang", "zhengkai", "fengxue", "sunli", "heyan"]
            .iter()
            .map(|l| sign_in(svc, l))
            .find(|a| a.id() == author)
            .unwrap();
        let mut r = svc.quote_view(&author, b.quote.id).unwrap().latest().unwrap().clone();
        if r.status == RevisionStatus::Draft {
            let v = svc.submit_revision(&author, r.id, r.version).unwrap();
            r = v.latest().unwrap().clone();
        }
        for login in ["zhaomin", "qianjun", "zhoujg", "wuhaitao"] {
            let who = sign_in(svc, login);
            if let Ok(v) = svc.decide_revision(&who, r.id, &r.content_hash, true, "同意。") {
                r = v.latest().unwrap().clone();
            }
        }
        if r.status == RevisionStatus::Approved && open_tender(svc, b.quote.id) {
            return b.quote.id;
        }
    }
    panic!("the demo office has a bid that can be approved and issued");
}

/// The page number printed after `title` in the table of contents (`一、投标函·····3`).
fn toc_number(toc: &str, title: &str) -> usize {
    let at = toc.find(title).unwrap_or_else(|| panic!("{title} in the contents: {toc}"));
    let rest = &toc[at + title.len()..];
    let digits: String = rest.chars().skip_while(|c| *c == '·').take_while(char::is_ascii_digit).collect();
    digits.parse().unwrap_or_else(|_| panic!("a page number after {title}: {rest}"))
}

/// Which pages (from 1) draw the image whose pixel width is `width`.
fn pages_with_image(bytes: &[u8], width: i64) -> Vec<usize> {
    use lopdf::Object;
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    // Every XObject name in every resource dictionary, with the width of the image it names.
    let mut widths = std::collections::HashMap::new();
    fn dict_of<'a>(doc: &'a lopdf::Document, o: &'a Object) -> Option<&'a lopdf::Dictionary> {
        match o {
            Object::Reference(id) => doc.get_dictionary(*id).ok(),
            Object::Dictionary(d) => Some(d),
            _ => None,
        }
    }
    for object in doc.objects.values() {
        let Ok(d) = object.as_dict() else { continue };
        let Some(xobjects) = d.get(b"XObject").ok().and_then(|o| dict_of(&doc, o)) else { continue };
        for (name, target) in xobjects.iter() {
            let Ok(reference) = target.as_reference() else { continue };
            let w = doc.get_object(reference).and_then(Object::as_stream).ok().and_then(|s| s.dict.get(b"Width").ok());
            if let Some(w) = w.and_then(|w| w.as_i64().ok()) {
                widths.insert(name.clone(), w);
            }
        }
    }
    let mut out = Vec::new();
    for (n, (_, page_id)) in doc.get_pages().into_iter().enumerate() {
        let content = doc.get_and_decode_page_content(page_id).unwrap();
        let uses = content.operations.iter().filter(|op| op.operator == "Do").any(|op| {
            op.operands.first().and_then(|o| o.as_name().ok()).and_then(|name| widths.get(name)) == Some(&width)
        });
        if uses {
            out.push(n + 1);
        }
    }
    out
}

/// Seal images are 600 px wide (the demo seal), certificate scans 840 px.
const SEAL_PX: i64 = 600;
const SCAN_PX: i64 = 840;

#[test]
fn a_demo_bid_prints_its_sections_in_order_with_a_contents_that_points_at_them() {
    let (_dir, mut svc) = demo_office();
    let assistant = sign_in(&mut svc, "sunli");
    let id = approved_bid(&mut svc);
    let view = svc.quote_view(&assistant, id).unwrap();
    let r = view.latest().unwrap().clone();
    assert!(!r.content.certificates.is_empty(), "a demo bid attaches the certificates in force");

    let printed = svc.print_quote(&assistant, id, None).unwrap();
    keep("bid-draft.pdf", &printed.bytes);
    assert!(!printed.stamped);
    let pages: Vec<String> = pdf_pages(&printed.bytes).iter().map(|p| squeeze(p)).collect();
    // Cover first, then the contents.
    assert!(pages[0].contains("投标文件") && pages[0].contains("正本"), "{}", pages[0]);
    assert!(pages[1].contains("目录"), "{}", pages[1]);
    let toc = &pages[1];
    let mut last = 2;
    for title in SECTIONS {
        let listed = toc_number(toc, title);
        let first = pages.iter().enumerate().skip(2).find(|(_, p)| p.contains(title)).map(|(i, _)| i + 1);
        assert_eq!(first, Some(listed), "{title} is listed on page {listed}");
        assert!(listed > last, "{title} comes after the previous section");
        last = listed;
    }
    // Each attachment is listed with the page of its scan.
    let certificates = svc.certificates(&assistant).unwrap();
    for (k, cid) in r.content.certificates.iter().enumerate() {
        let c = certificates.iter().find(|c| c.id == *cid).unwrap();
        let entry = format!("附件{}{}", k + 1, squeeze(&c.draft.name));
        let listed = toc_number(toc, &entry);
        let heading = format!("附件{}：{}", k + 1, squeeze(&c.draft.name));
        assert!(pages[listed - 1].contains(&heading), "{heading} on page {listed}");
    }
    assert!(pages.last().unwrap().contains(&squeeze(&certificates[0].draft.name)) || r.content.certificates.len() > 1);
    // A draft has the watermark and no seal, and the scans are there.
    let text = pdf_text(&printed.bytes);
    assert!(text.contains("草稿—未用印发出"), "an approved bid not yet issued");
    assert!(pages_with_image(&printed.bytes, SEAL_PX).is_empty(), "no seal on a draft");
    assert_eq!(pages_with_image(&printed.bytes, SCAN_PX).len(), r.content.certificates.len());
}

#[test]
fn issuing_a_bid_seals_the_cover_letter_and_schedule_of_each_copy_and_reads_back() {
    let (dir, mut svc) = demo_office();
    let assistant = sign_in(&mut svc, "sunli");
    let id = approved_bid(&mut svc);
    let view = svc.quote_view(&assistant, id).unwrap();
    let (q, r) = (view.quote.clone(), view.latest().unwrap().clone());
    let out = dir.path().join("投标书.pdf");
    // 3 paper sets: the 正本 and two 副本.
    let entry = svc.issue_quote(&assistant, id, 3, &out).unwrap();
    let bytes = std::fs::read(&out).unwrap();
    keep("bid-issued.pdf", &bytes);
    assert_eq!(entry.kind, QuoteKind::Bid);
    assert_eq!(svc.quote_view(&assistant, id).unwrap().quote.status, QuoteStatus::Issued);
    assert!(svc.verify_pdf(&bytes).unwrap().is_genuine());

    let pages: Vec<String> = pdf_pages(&bytes).iter().map(|p| squeeze(p)).collect();
    assert_eq!(pages.len() % 3, 0);
    let per = pages.len() / 3;
    let toc = &pages[1];
    let letter = toc_number(toc, SECTIONS[0]);
    let schedule = toc_number(toc, SECTIONS[2]);
    let mut sealed = Vec::new();
    for (v, label) in ["正本", "副本1", "副本2"].iter().enumerate() {
        let cover = &pages[v * per];
        assert!(cover.contains(label) && cover.contains("投标文件"), "volume {v} cover: {cover}");
        assert!(cover.contains(&format!("第1页/共{per}页")), "each volume numbers its own pages");
        assert!(pages[v * per + per - 1].contains(&format!("第{per}页/共{per}页")));
        assert!(pages[v * per + 1].contains("目录"));
        assert_eq!(
            toc_number(&pages[v * per + 1], SECTIONS[QUALIFICATIONS]),
            toc_number(toc, SECTIONS[QUALIFICATIONS])
        );
        // A section may run over a page: the seal is where it is signed, its last page; and on
        // each certificate copy after the list that opens 资格证明文件.
        let letter_end = toc_number(toc, SECTIONS[1]) - 1;
        let schedule_end = toc_number(toc, SECTIONS[3]) - 1;
        assert!(letter <= letter_end && schedule <= schedule_end);
        sealed.push(v * per + 1);
        for i in 0..QUALIFICATIONS {
            sealed.push(v * per + toc_number(toc, SECTIONS[i + 1]) - 1);
        }
        let copies = toc_number(toc, SECTIONS[QUALIFICATIONS]) + 1;
        sealed.extend((copies..=per).map(|p| v * per + p));
    }
    sealed.dedup();
    assert_eq!(pages_with_image(&bytes, SEAL_PX), sealed, "the seal on each cover, each signed section end and copy");

    let text = pdf_text(&bytes);
    let total = r.total;
    let tender = svc.inquiry(&assistant, q.inquiry.unwrap()).unwrap().draft.tender;
    for phrase in [
        format!("¥{total}"),
        rmb_uppercase(total).unwrap(),
        squeeze(&tender.project),
        tender.tender_no.clone(),
        squeeze(&tender.purchaser),
        q.author_name.clone(),
        "法定代表人授权委托书".into(),
        "吴海涛".into(),
        "售后服务承诺".into(),
        "苏州恒信电气设备有限公司（演示）郑重承诺".into(),
        format!("{}个月", r.content.terms.warranty_months),
        verification_code(&q.number.to_string(), r.revision, &r.content_hash),
    ] {
        assert!(text.contains(&phrase), "the bid reads {phrase:?}");
    }
    assert!(!text.contains("草稿"), "no watermark when issued");
    for line in &r.content.lines {
        assert!(text.contains(&squeeze(&line.name)), "line {:?}", line.name);
        assert!(text.contains(&line.amount().to_string()), "amount {}", line.amount());
    }
    for c in &r.content.responses {
        assert!(
            text.contains(&squeeze(&c.clause_no)) && text.contains(&squeeze(&c.response)),
            "clause {}",
            c.clause_no
        );
    }
    // A reprint is the same file, registered again.
    let again = dir.path().join("again.pdf");
    assert!(svc.issue_quote(&assistant, id, 1, &again).unwrap().reprint);
    assert_eq!(std::fs::read(&again).unwrap(), bytes);
}

/// The message of each problem in a refused issue.
fn refusal(svc: &mut Service, who: &Actor, id: QuoteId, dir: &std::path::Path) -> Vec<String> {
    let out = dir.join("refused.pdf");
    match svc.issue_quote(who, id, 1, &out) {
        Err(ServiceError::Invalid(problems)) => {
            assert!(!out.exists(), "nothing written when refused");
            problems.into_iter().map(|p| p.message).collect()
        }
        other => panic!("expected the cross-checks to refuse, got {other:?}"),
    }
}

#[test]
fn each_cross_check_blocks_issuing_with_its_message_and_all_are_listed_at_once() {
    let (dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    let assistant = sign_in(&mut svc, "sunli");
    let id = approved_bid(&mut svc);
    let view = svc.quote_view(&assistant, id).unwrap();
    let r = view.latest().unwrap().clone();
    let sql = |q: &str| crate::support::raw_sql(&dir, q);

    // The stored total no longer matches the lines (a damaged or tampered row).
    let fen = r.total.fen().unwrap();
    sql(&format!("UPDATE revisions SET total_fen = {} WHERE id = {}", fen + 100, r.id.0));
    let problems = refusal(&mut svc, &assistant, id, dir.path());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].starts_with("开标一览表投标总价") && problems[0].contains("与分项报价表合计"), "{problems:?}");
    sql(&format!("UPDATE revisions SET total_fen = {fen} WHERE id = {}", r.id.0));

    // A certificate the bid attaches is retired, then expires.
    let attached = r.content.certificates[0];
    let cert = svc.certificates(&admin).unwrap().into_iter().find(|c| c.id == attached).unwrap();
    let retired = svc.set_certificate_active(&admin, attached, cert.version, false).unwrap();
    let problems = refusal(&mut svc, &assistant, id, dir.path());
    assert_eq!(problems, [format!("资质证书“{}”已停用，请取消附上。", cert.draft.name)]);
    let back = svc.set_certificate_active(&admin, attached, retired.version, true).unwrap();
    let yesterday = svc.today().pred_opt().unwrap();
    let expired = CertificateDraft { valid_until: Some(yesterday), ..cert.draft.clone() };
    svc.update_certificate(&admin, attached, back.version, expired, None).unwrap();
    let problems = refusal(&mut svc, &assistant, id, dir.path());
    assert_eq!(problems, [format!("资质证书“{}”已于 {} 过期，请更新证书或取消附上。", cert.draft.name, yesterday)]);

    // The tender gains a clause (an addendum) the bid does not answer.
    let inquiry = view.quote.inquiry.unwrap().0;
    sql(&format!(
        "INSERT INTO tender_clauses (inquiry_id, position, clause_no, requirement, kind) \
         VALUES ({inquiry}, 99, '补遗1', '投标人须提供近三年同类业绩', 'commercial')"
    ));
    let problems = refusal(&mut svc, &assistant, id, dir.path());
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(problems[0], "招标条款 补遗1 尚未应答，偏离表不完整。");
    assert!(problems[1].contains("过期"));

    // And the deadline passes: everything is listed (the bond, still unpaid, too), the window
    // shows the same list.
    let tender = svc.inquiry(&assistant, view.quote.inquiry.unwrap()).unwrap().draft.tender;
    let deadline = tender.deadline.unwrap();
    let mut svc = svc.with_clock(fixed_clock(deadline + Duration::minutes(1)));
    let problems = refusal(&mut svc, &assistant, id, dir.path());
    let unpaid = tender.bond.is_some() && !tender.bond_paid;
    assert_eq!(problems[0], "招标条款 补遗1 尚未应答，偏离表不完整。", "{problems:?}");
    let last = problems.last().unwrap();
    assert!(last.starts_with("投标截止时间 ") && last.ends_with("已过，不能再用印发出。"), "{problems:?}");
    let bond = problems.iter().filter(|p| p.starts_with("投标保证金 ¥") && p.contains("尚未缴纳")).count();
    assert_eq!(bond, usize::from(unpaid), "{problems:?}");
    // Between them: the certificates expired by then (the one above, and any that lapse before
    // the deadline).
    assert!(problems[1..problems.len() - 1 - bond].iter().all(|p| p.contains("过期")), "{problems:?}");
    let shown = svc.bid_checks(&assistant, id).unwrap();
    assert_eq!(shown.len(), problems.len(), "{shown:?}");
    assert_eq!(svc.quote_view(&assistant, id).unwrap().quote.status, QuoteStatus::Open, "nothing issued");
}

#[test]
fn the_admin_keeps_the_certificate_library_and_everyone_reads_it() {
    let (_dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    let sales = sign_in(&mut svc, "liqiang");
    let assistant = sign_in(&mut svc, "sunli");
    let library = svc.certificates(&sales).unwrap();
    assert!(library.len() >= 5, "the demo library");
    let today = svc.today();
    assert!(library.iter().any(|c| c.draft.expiry(today).is_expired()), "one has expired (红色 已过期)");
    assert!(library.iter().any(|c| matches!(c.draft.expiry(today), salesdesk::domain::certificate::Expiry::Soon(_))));
    assert!(library.iter().any(|c| c.draft.valid_until.is_none()), "the licence is 长期");

    let draft = CertificateDraft {
        name: "安全生产许可证".into(),
        kind: "生产许可证".into(),
        number: "(苏)JZ安许证字[2024]000123".into(),
        issuer: "江苏省住房和城乡建设厅".into(),
        valid_from: today.pred_opt(),
        valid_until: today.checked_add_days(chrono::Days::new(1000)),
        covers: Vec::new(),
    };
    for who in [&sales, &assistant] {
        let err = svc.add_certificate(who, draft.clone(), ("x.png", &png_bytes())).unwrap_err();
        assert!(matches!(err, ServiceError::Denied(_)), "{err}");
    }
    let err = svc.add_certificate(&admin, draft.clone(), ("x.txt", b"not an image")).unwrap_err();
    assert!(err.to_string().contains("PNG 或 JPEG"), "{err}");
    let err = svc.add_certificate(&admin, CertificateDraft::default(), ("x.png", &png_bytes())).unwrap_err();
    assert!(err.field_message("name").is_some() && err.field_message("kind").is_some());

    let added = svc.add_certificate(&admin, draft.clone(), ("许可证.png", &png_bytes())).unwrap();
    assert_eq!(svc.certificate_image(&sales, added.id).unwrap().bytes, png_bytes());
    // Renewed: new end date and a new scan; a stale form is a conflict naming who saved.
    let renewed = CertificateDraft { valid_until: today.checked_add_days(chrono::Days::new(2000)), ..draft.clone() };
    let scan = {
        let mut b = png_bytes();
        b.extend_from_slice(&[0; 4]);
        b
    };
    let replaced = svc.update_certificate(&admin, added.id, added.version, renewed.clone(), Some(("新.png", &scan)));
    let replaced = replaced.unwrap();
    assert_ne!(replaced.image, added.image);
    let stale = svc.update_certificate(&admin, added.id, added.version, renewed, None).unwrap_err();
    assert!(stale.is_conflict(), "{stale}");
    let err = svc.set_certificate_active(&sales, added.id, replaced.version, false).unwrap_err();
    assert!(matches!(err, ServiceError::Denied(_)));
    let retired = svc.set_certificate_active(&admin, added.id, replaced.version, false).unwrap();
    assert!(!retired.active);
    for action in ["certificate.add", "certificate.replace", "certificate.retire"] {
        assert!(!audit_with_action(&mut svc, &admin, action).is_empty(), "{action} audited");
    }

    // A 300 dpi scan is kept at print size (long side 2 200 px), in its own format.
    for (format, mime) in [(image::ImageFormat::Png, "image/png"), (image::ImageFormat::Jpeg, "image/jpeg")] {
        let mut big = Vec::new();
        image::RgbImage::from_fn(3508, 2480, |x, y| image::Rgb([(x % 251) as u8, (y % 241) as u8, 200]))
            .write_to(&mut std::io::Cursor::new(&mut big), format)
            .unwrap();
        let scan = svc.add_certificate(&admin, draft.clone(), ("扫描.img", &big)).unwrap();
        let stored = svc.certificate_image(&sales, scan.id).unwrap();
        assert_eq!(stored.mime, mime);
        let img = image::load_from_memory(&stored.bytes).unwrap();
        assert_eq!((img.width(), img.height()), (2200, 1555), "{mime}");
    }

    // The after-sales template: the admin words it, a bad placeholder is named, others may not.
    let t = svc.after_sales_template(&sales).unwrap();
    assert_eq!(t.value, AfterSalesTemplate::default());
    let err = svc.update_after_sales_template(&sales, t.version, t.value.clone()).unwrap_err();
    assert!(matches!(err, ServiceError::Denied(_)));
    let bad = AfterSalesTemplate { text: "{投标人}承诺{保修期}".into() };
    let err = svc.update_after_sales_template(&admin, t.version, bad).unwrap_err();
    assert!(err.to_string().contains("{保修期}"), "{err}");
    let mine = AfterSalesTemplate { text: "{投标人}承诺：质保 {质保期} 个月，2 小时响应。".into() };
    let saved = svc.update_after_sales_template(&admin, t.version, mine.clone()).unwrap();
    assert_eq!(saved.value, mine);
    assert!(!audit_with_action(&mut svc, &admin, "settings.after_sales").is_empty());
}

#[test]
fn the_demo_office_issued_its_open_tenders_bids_through_the_register() {
    let (_dir, mut svc) = demo_office();
    let assistant = sign_in(&mut svc, "sunli");
    let register = svc.issued_documents(&assistant).unwrap();
    let bids: Vec<_> = register.iter().filter(|e| e.kind == QuoteKind::Bid).collect();
    assert!(!bids.is_empty(), "the demo issued bids through the use case");
    for e in &bids {
        let (_, bytes) = svc.issued_file(&assistant, e.id).unwrap();
        assert!(svc.verify_pdf(&bytes).unwrap().is_genuine());
        assert!(pdf_text(&bytes).contains("正本"));
    }
    // Every issued bid in the register has a revision whose cross-checks passed when issued.
    let summaries = svc.quotes(&assistant).unwrap();
    for s in summaries.iter().filter(|s| s.quote.kind == QuoteKind::Bid && s.quote.status == QuoteStatus::Issued) {
        assert!(
            bids.iter().any(|e| e.quote == s.quote.id) || !svc.bid_checks(&assistant, s.quote.id).unwrap().is_empty()
        );
    }
}

#[test]
fn without_a_seal_image_an_issued_bid_has_a_stamp_box_where_each_seal_goes() {
    let (dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    let assistant = sign_in(&mut svc, "sunli");
    svc.set_company_image(&admin, salesdesk::service::ImageSlot::Seal, None).unwrap();
    let id = approved_bid(&mut svc);
    let out = dir.path().join("box.pdf");
    svc.issue_quote(&assistant, id, 1, &out).unwrap();
    let bytes = std::fs::read(&out).unwrap();
    let pages: Vec<String> = pdf_pages(&bytes).iter().map(|p| squeeze(p)).collect();
    let boxed: Vec<usize> = (1..=pages.len()).filter(|n| pages[n - 1].contains("盖章处")).collect();
    let toc = &pages[1];
    let mut expected = vec![1];
    expected.extend((1..=QUALIFICATIONS).map(|i| toc_number(toc, SECTIONS[i]) - 1));
    expected.extend(toc_number(toc, SECTIONS[QUALIFICATIONS]) + 1..=pages.len());
    expected.dedup();
    assert_eq!(boxed, expected, "a 盖章处 box wherever the seal would go");
    assert!(pages_with_image(&bytes, SEAL_PX).is_empty());
}

/// A bid straight to the renderer: `certificates` scans, a few lines and clauses of each kind.
fn sample_bid(certificates: usize, duplicates: u32) -> salesdesk::docs::bid::BidDoc {
    use salesdesk::docs::bid::{BidCertificate, BidDoc};
    use salesdesk::docs::quote::Stamp;
    use salesdesk::domain::bid::BidFigures;
    use salesdesk::domain::inquiry::ClauseKind;
    use salesdesk::domain::money::{Money, Quantity};
    use salesdesk::domain::quote::{ClauseResponse, QuoteLine, RevisionContent};
    let content = RevisionContent {
        lines: (0..5)
            .map(|i| QuoteLine {
                name: format!("箱式变电站 {}", i + 1),
                quantity: Quantity::from_units(2),
                unit_price: Money::from_fen(12_345_600),
                ..QuoteLine::default()
            })
            .collect(),
        responses: vec![ClauseResponse {
            clause_no: "2.1".into(),
            requirement: "额定电压 12kV".into(),
            kind: ClauseKind::Technical,
            response: "满足".into(),
            ..Default::default()
        }],
        ..RevisionContent::default()
    };
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-27T09:00:00Z").unwrap().with_timezone(&Utc);
    BidDoc {
        references: Vec::new(),
        company: salesdesk::domain::company::CompanyProfile {
            name: "苏州恒信电气设备有限公司".into(),
            legal_representative: "吴海涛".into(),
            ..Default::default()
        },
        number: "TB-2026-0099".into(),
        revision: 1,
        date: now.date_naive(),
        tender_no: "ZB2026-0999".into(),
        purchaser: "国网江苏省电力有限公司".into(),
        project: "城南变电站扩建".into(),
        lot: String::new(),
        agent_name: "李强".into(),
        agent_phone: "13951100011".into(),
        agent_email: String::new(),
        agent_gender: "男".into(),
        agent_id_number: "320506198809251514".into(),
        bond: Some(salesdesk::docs::bid::BidBond {
            amount: salesdesk::domain::money::Money::from_fen(500_000),
            form: Some("银行转账".into()),
            paid_on: now.date_naive().pred_opt(),
            receipt: None,
        }),
        riding_seal: false,
        figures: BidFigures::of(&content, content.totals().total),
        content,
        after_sales: AfterSalesTemplate::default().fill(
            "苏州恒信电气设备有限公司",
            "城南变电站扩建",
            "ZB2026-0999",
            24,
            30,
        ),
        certificates: (0..certificates)
            .map(|i| BidCertificate {
                name: format!("检测报告第{}号", i + 1),
                kind: "检测报告".into(),
                number: format!("R-{i}"),
                issuer: "检测中心".into(),
                valid_until: "长期".into(),
                image: png_bytes(),
            })
            .collect(),
        duplicates,
        verification_code: "7KQ2-M9XA-3FDV".into(),
        stamp: Stamp::StampBox,
        fixed_time: now,
        content_hash: "sample".into(),
    }
}

#[test]
fn a_contents_that_runs_over_two_pages_still_points_at_every_section_and_attachment() {
    let fonts = salesdesk::docs::fonts::DocFonts::get().unwrap();
    let doc = sample_bid(45, 1);
    let rendered = salesdesk::docs::bid::render(fonts, &doc).unwrap();
    keep("bid-long-contents.pdf", &rendered.pdf.bytes);
    let pages: Vec<String> = pdf_pages(&rendered.pdf.bytes).iter().map(|p| squeeze(p)).collect();
    assert_eq!(pages.len(), 2 * rendered.pages_per_volume, "正本 and one 副本");
    // The contents fill pages 2 and 3; the 投标函 starts on 4.
    assert_eq!(rendered.section_pages[0], 4, "{:?}", rendered.section_pages);
    let contents = format!("{}{}", pages[1], pages[2]);
    for (i, title) in SECTIONS.iter().enumerate() {
        assert_eq!(toc_number(&contents, title), rendered.section_pages[i]);
        assert!(pages[rendered.section_pages[i] - 1].contains(title));
    }
    for (k, page) in rendered.attachment_pages.iter().enumerate() {
        let entry = format!("附件{}检测报告第{}号", k + 1, k + 1);
        assert_eq!(toc_number(&contents, &entry), *page, "{entry}");
        assert!(pages[page - 1].contains(&format!("附件{}：检测报告第{}号", k + 1, k + 1)));
    }
    // The 副本 is the same set: its contents say the same numbers.
    let second = rendered.pages_per_volume;
    assert!(pages[second].contains("副本1"));
    assert_eq!(format!("{}{}", pages[second + 1], pages[second + 2]), contents.replace("正本", "副本1"));
    // The same document gives the same bytes.
    assert_eq!(salesdesk::docs::bid::render(fonts, &doc).unwrap().pdf.bytes, rendered.pdf.bytes);
}

/// Runs a PDF tool on `bytes`; `None` when the tool is not installed here (tests/all.sh installs
/// poppler-utils and qpdf; under CI=true a missing tool fails).
fn pdf_tool(tool: &str, args: &[&str], bytes: &[u8]) -> Option<std::process::Output> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, bytes).unwrap();
    match std::process::Command::new(tool).args(args).arg(&path).output() {
        Ok(out) => Some(out),
        Err(_) if std::env::var("CI").is_ok_and(|v| v == "true") => panic!("CI=true but {tool} is not installed"),
        Err(_) => {
            eprintln!("{tool} not installed: skipped");
            None
        }
    }
}

#[test]
fn a_bid_pdf_is_one_validators_accept_subset_fonts_tagged_version_1_4_no_empty_pdfx_key() {
    let (_dir, mut svc) = demo_office();
    let assistant = sign_in(&mut svc, "sunli");
    let id = approved_bid(&mut svc);
    let bytes = svc.print_quote(&assistant, id, None).unwrap().bytes;
    assert!(bytes.starts_with(b"%PDF-1.4\n"), "the header names the version the file uses (soft masks, opacity)");
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    let info = doc.trailer.get(b"Info").and_then(lopdf::Object::as_reference).unwrap();
    let info = doc.get_dictionary(info).unwrap();
    assert!(info.get(b"GTS_PDFXVersion").is_err(), "no empty PDF/X version");
    // Subset tags: six capital letters and +, stable for the same document.
    let names: Vec<String> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter_map(|d| d.get(b"FontName").and_then(lopdf::Object::as_name).ok())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    let mut bases = Vec::new();
    for n in &names {
        let (tag, base) = n.split_once('+').unwrap_or_else(|| panic!("{n} has no subset tag"));
        assert!(tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()), "{n}");
        bases.push(base.to_string());
    }
    // A bid is set as tenders are: a serif (宋体) body under bold sans (黑体) headings.
    bases.sort();
    assert_eq!(bases, ["NotoSansSC-Bold", "NotoSerifSC-Regular"], "{names:?}");
    assert_eq!(svc.print_quote(&assistant, id, None).unwrap().bytes, bytes, "the same document, the same bytes");
    if let Some(out) = pdf_tool("pdffonts", &[], &bytes) {
        let listing = String::from_utf8_lossy(&out.stdout);
        let fonts: Vec<&str> = listing.lines().skip(2).collect();
        assert_eq!(fonts.len(), 2, "{listing}");
        for line in fonts {
            let cols: Vec<&str> = line.split_whitespace().collect();
            // name type… encoding emb sub uni id gen: emb and sub are "yes".
            let n = cols.len();
            assert_eq!((cols[n - 5], cols[n - 4]), ("yes", "yes"), "embedded as a subset: {line}");
        }
    }
    if let Some(out) = pdf_tool("qpdf", &["--check"], &bytes) {
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success() && said.contains("No syntax or stream encoding errors"), "{said}");
    }
}

#[test]
fn no_seal_covers_a_signature_line_and_every_page_that_says_seal_has_one() {
    use salesdesk::docs::fonts::{DocFonts, Face};
    use salesdesk::docs::preview::{Mark, Pages};
    use salesdesk::docs::quote::Stamp;
    let fonts = DocFonts::get().unwrap();
    let seal = salesdesk::docs::seal::seal_png("苏州恒信电气设备有限公司", "演示专用章").unwrap();
    let mut doc = sample_bid(2, 1);
    doc.stamp = Stamp::Seal(seal.clone());
    let (drawn, _, _) = salesdesk::docs::bid::draw(fonts, &doc).unwrap();
    let pages = Pages::from_drawn(&drawn);
    let seal_image = pages.images.iter().position(|i| **i == *seal).expect("the seal is drawn");
    const PT: f32 = 25.4 / 72.0;
    let overlaps = |a: (f32, f32, f32, f32), b: (f32, f32, f32, f32)| {
        a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
    };
    let mut sealed_pages = 0;
    for (n, marks) in pages.pages.iter().enumerate() {
        let seals: Vec<_> = marks
            .iter()
            .filter_map(|m| match m {
                Mark::Image { image, x, y, w, h } if *image == seal_image => Some((*x, *y, *w, *h)),
                _ => None,
            })
            .collect();
        let texts: Vec<_> = marks
            .iter()
            .filter_map(|m| match m {
                Mark::Text { x, y, size, bold, text, .. } => Some((*x, *y, *size, *bold, text.as_str())),
                _ => None,
            })
            .collect();
        for (x, y, size, bold, text) in &texts {
            if !text.contains("（签字）") {
                continue;
            }
            let face = if *bold { Face::Bold } else { Face::Regular };
            let w = fonts.width(face, text, *size) * PT;
            // The text's box: from the ascent above the baseline to the descent below it.
            let line = (*x, y - size * PT, w, size * PT * 1.3);
            for s in &seals {
                assert!(!overlaps(line, *s), "page {}: the seal at {s:?} covers {text:?} at {line:?}", n + 1);
            }
        }
        let says_seal = texts.iter().any(|t| t.4.contains("（盖章）"));
        if says_seal {
            assert!(!seals.is_empty(), "page {} says （盖章） but has no seal", n + 1);
            sealed_pages += 1;
        }
    }
    assert!(sealed_pages >= 2 * 9, "each volume's cover and signed sections: {sealed_pages}");
}

#[test]
fn a_bid_leaves_a_binding_margin_of_at_least_25_mm_on_the_left_of_every_page() {
    use salesdesk::docs::preview::{Mark, Pages};
    let fonts = salesdesk::docs::fonts::DocFonts::get().unwrap();
    let (drawn, _, _) = salesdesk::docs::bid::draw(fonts, &sample_bid(2, 1)).unwrap();
    let pages = Pages::from_drawn(&drawn);
    for (n, marks) in pages.pages.iter().enumerate() {
        for m in marks {
            let x = match m {
                // The draft watermark runs diagonally across the page: not part of the text.
                Mark::Text { angle, .. } if angle.abs() > 0.01 => continue,
                Mark::Text { x, .. } | Mark::Rect { x, .. } | Mark::Image { x, .. } => *x,
                Mark::Line { points, .. } => points.iter().map(|p| p.0).fold(f32::MAX, f32::min),
            };
            assert!(x >= 25.0 - 0.01, "page {}: a mark at {x:.1} mm from the left edge: {m:?}", n + 1);
        }
    }
}

#[test]
fn the_maker_is_stated_once_when_every_line_is_our_own_make_and_notes_get_a_column_only_when_there_are_some() {
    let fonts = salesdesk::docs::fonts::DocFonts::get().unwrap();
    let ours = sample_bid(0, 0);
    let text = squeeze(&pdf_text(&salesdesk::docs::bid::render(fonts, &ours).unwrap().pdf.bytes));
    assert!(text.contains("制造商：苏州恒信电气设备有限公司（以下各项均同）"), "stated once above the table");
    assert!(text.contains("序号货物名称型号规格数量单位单价(元)金额(元)"), "型号规格 beside the name: {text}");
    assert!(!text.contains("金额(元)备注"), "no 备注 column without notes");

    // One line bought in from another maker: the columns come back, and a note brings 备注.
    let mut mixed = sample_bid(0, 0);
    mixed.content.lines[1]
        .params
        .push(salesdesk::domain::product::TechParam {
            key: "制造商".into(), value: "厦门ABB开关有限公司".into()
        });
    mixed.content.lines[2].note = "含安装指导".into();
    let text = squeeze(&pdf_text(&salesdesk::docs::bid::render(fonts, &mixed).unwrap().pdf.bytes));
    assert!(!text.contains("以下各项均同"));
    assert!(text.contains("厦门ABB开关有限公司") && text.contains("含安装指导"));
    assert!(text.contains("序号货物名称品牌型号规格制造商数量单位单价(元)金额(元)备注"), "{text}");
}

#[test]
fn each_print_variant_is_its_own_register_entry_and_the_riding_seal_runs_down_every_page() {
    use salesdesk::domain::document::PrintVariant;
    let (dir, mut svc) = demo_office();
    let assistant = sign_in(&mut svc, "sunli");
    let admin = sign_in(&mut svc, "admin");
    let id = approved_bid(&mut svc);
    let issue = |svc: &mut Service, variant: PrintVariant, name: &str| {
        let out = dir.path().join(name);
        let entry = svc.issue_variant(&assistant, id, 2, variant, &out).expect("issued");
        (entry, std::fs::read(&out).unwrap())
    };
    let (sealed, sealed_bytes) = issue(&mut svc, PrintVariant::Seal, "seal.pdf");
    let (wet, wet_bytes) = issue(&mut svc, PrintVariant::WetStamp, "wet.pdf");
    let (riding, riding_bytes) = issue(&mut svc, PrintVariant::SealRiding, "riding.pdf");
    assert_eq!(
        (sealed.variant, wet.variant, riding.variant),
        (PrintVariant::Seal, PrintVariant::WetStamp, PrintVariant::SealRiding)
    );
    assert!(!wet.reprint && !riding.reprint, "a new variant is a new file, not a reprint");
    let shas = [&sealed.sha256, &wet.sha256, &riding.sha256];
    assert!(shas[0] != shas[1] && shas[1] != shas[2] && shas[0] != shas[2], "{shas:?}");
    for bytes in [&sealed_bytes, &wet_bytes, &riding_bytes] {
        assert!(svc.verify_pdf(bytes).unwrap().is_genuine(), "each variant verifies");
    }
    // A reprint of a variant hands out its own stored bytes.
    let (again, again_bytes) = issue(&mut svc, PrintVariant::WetStamp, "wet-again.pdf");
    assert!(again.reprint && again.sha256 == wet.sha256 && again_bytes == wet_bytes);

    // The wet-stamp print: no seal image at all, the 盖章处 marks where the office stamps.
    assert!(pages_with_image(&wet_bytes, SEAL_PX).is_empty());
    let wet_pages: Vec<String> = pdf_pages(&wet_bytes).iter().map(|p| squeeze(p)).collect();
    assert!(wet_pages.iter().filter(|p| p.contains("盖章处")).count() >= 2 * (QUALIFICATIONS + 1));

    // The 骑缝章: on every page of both copies, the slice its place in its group gives.
    let pages = pdf_pages(&riding_bytes).len();
    let per_volume = pages / 2;
    let plan = salesdesk::docs::seal::riding_plan(per_volume);
    for n in 1..=pages {
        let (i, count) = plan[(n - 1) % per_volume];
        let (w, i, count) = (SEAL_PX as usize, i, count);
        let width = (w * (i + 1) / count).max(w * i / count + 1) - w * i / count;
        assert!(pages_with_image(&riding_bytes, width as i64).contains(&n), "page {n}: slice {i} of {count}");
        assert!(salesdesk::docs::seal::SEAL_MM / count as f32 >= 3.0);
    }
    assert!(pages_with_image(&sealed_bytes, (SEAL_PX as usize / plan[0].1) as i64).is_empty(), "no slices without it");

    // The 授权委托书 prints the agent's gender and whole ID number; the 身份证明 the legal
    // representative's.
    let author = svc.quote_view(&assistant, id).unwrap().quote.author;
    let agent = svc.list_users(&admin).unwrap().into_iter().find(|u| u.id == author).unwrap();
    let text = crate::documents::pdf_text(&sealed_bytes);
    assert!(!agent.id_number.is_empty() && text.contains(&agent.id_number), "the agent's ID printed whole");
    assert!(text.contains("二、法定代表人身份证明") && text.contains("320503197208163013") && text.contains("董事长"));
    assert!(text.contains("十、资格声明") && text.contains("没有重大违法记录"));

    // A 报价单 is not bound: no 骑缝章.
    let quote = svc
        .quotes(&assistant)
        .unwrap()
        .into_iter()
        .find(|s| s.quote.kind == salesdesk::domain::quote::QuoteKind::Quote)
        .unwrap();
    let refused = svc.issue_variant(&assistant, quote.quote.id, 1, PrintVariant::SealRiding, &dir.path().join("q.pdf"));
    assert!(refused.unwrap_err().to_string().contains("骑缝章"));
}
