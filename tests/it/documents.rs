//! The 报价单 PDF, issuing (用印发出), the register and verification — issue 6 and DESIGN §5: drafts
//! carry the watermark and no seal, issued revisions carry the seal and no watermark, the text
//! reads back exactly, reprints are byte-identical and registered, and `verify` tells an issued
//! file from an altered one and answers for a code from a paper copy.

use salesdesk::docs::fonts::DocFonts;
use salesdesk::docs::quote::{QuotationDoc, Stamp, render};
use salesdesk::domain::document::verification_code;
use salesdesk::domain::quote::{QuoteKind, QuoteStatus, RevisionStatus};
use salesdesk::domain::rmb::rmb_uppercase;
use salesdesk::service::{ImageSlot, QuoteSummary, Service, ServiceError, Verification};

use crate::support::{audit_with_action, demo_office, sign_in};

/// The text of each page, as a PDF reader extracts it.
pub fn pdf_pages(bytes: &[u8]) -> Vec<String> {
    let doc = lopdf::Document::load_mem(bytes).expect("a PDF lopdf can read");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    pages.iter().map(|p| doc.extract_text(&[*p]).expect("text extracts")).collect()
}

/// All text with the line breaks and spaces a reader inserts between runs removed, so a phrase
/// can be searched whatever the layout split it into.
pub fn pdf_text(bytes: &[u8]) -> String {
    pdf_pages(bytes).concat().chars().filter(|c| !c.is_whitespace()).collect()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Colour images in the file (the seal, a logo), not counting their transparency masks.
fn image_count(bytes: &[u8]) -> usize {
    let doc = lopdf::Document::load_mem(bytes).expect("PDF");
    let name = |d: &lopdf::Dictionary, key: &[u8]| d.get(key).and_then(|n| n.as_name()).map(<[u8]>::to_vec).ok();
    doc.objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| name(&s.dict, b"Subtype").as_deref() == Some(b"Image"))
        .filter(|s| name(&s.dict, b"ColorSpace").as_deref() == Some(b"DeviceRGB"))
        .count()
}

/// A demo quote (not a bid) whose latest revision is in `status` and whose document is `doc`.
fn demo_quote(
    svc: &mut Service,
    who: &salesdesk::service::Actor,
    status: RevisionStatus,
    doc: QuoteStatus,
) -> QuoteSummary {
    svc.quotes(who)
        .unwrap()
        .into_iter()
        .find(|s| s.quote.kind == QuoteKind::Quote && s.revision_status == status && s.quote.status == doc)
        .unwrap_or_else(|| panic!("the demo office has a quote in {status:?}/{doc:?}"))
}

fn keep(name: &str, bytes: &[u8]) {
    // SALESDESK_KEEP_PDF=/some/dir keeps the rendered files to look at (pdftoppm -png -r 60 …).
    if let Ok(dir) = std::env::var("SALESDESK_KEEP_PDF") {
        std::fs::write(std::path::Path::new(&dir).join(name), bytes).unwrap();
    }
}

#[test]
fn a_draft_prints_every_line_and_total_with_the_watermark_and_no_seal() {
    let (_dir, mut svc) = demo_office();
    let head = sign_in(&mut svc, "zhaomin");
    let q = demo_quote(&mut svc, &head, RevisionStatus::Submitted, QuoteStatus::Open);
    let view = svc.quote_view(&head, q.quote.id).unwrap();
    let r = view.latest().unwrap().clone();

    let printed = svc.print_quote(&head, q.quote.id, None).unwrap();
    keep("draft.pdf", &printed.bytes);
    assert!(!printed.stamped);
    assert!(printed.file_name.contains("草稿"), "{}", printed.file_name);
    let text = pdf_text(&printed.bytes);
    for phrase in [
        "报价单".to_string(),
        q.quote.number.to_string(),
        format!("V{}", r.revision),
        squeeze(&q.quote.customer_name),
        "草稿—未经审批".to_string(),
        "苏州恒信电气设备有限公司（演示）".to_string(),
        rmb_uppercase(r.content.totals().total).unwrap(),
        format!("¥{}", r.content.totals().total),
        verification_code(&q.quote.number.to_string(), r.revision, &r.content_hash),
    ] {
        assert!(text.contains(&phrase), "the draft reads {phrase:?}:\n{text}");
    }
    for line in &r.content.lines {
        assert!(text.contains(&squeeze(&line.name)), "product {:?} printed", line.name);
        assert!(text.contains(&line.amount().to_string()), "amount {} printed", line.amount());
    }
    assert!(!text.contains("盖章处"));
    assert_eq!(image_count(&printed.bytes), 0, "no seal on a draft");
    assert!(printed.bytes.len() < 300 * 1024, "{} bytes", printed.bytes.len());
    // Every page says where it is.
    let pages = pdf_pages(&printed.bytes);
    for (i, page) in pages.iter().enumerate() {
        assert!(squeeze(page).contains(&format!("第{}页/共{}页", i + 1, pages.len())), "page {i}: {page}");
    }
}

#[test]
fn issuing_writes_the_stamped_file_registers_it_and_moves_the_quote_to_issued() {
    let (dir, mut svc) = demo_office();
    let assistant = sign_in(&mut svc, "sunli");
    let admin = sign_in(&mut svc, "admin");
    let q = demo_quote(&mut svc, &assistant, RevisionStatus::Approved, QuoteStatus::Open);
    let out = dir.path().join("报价单.pdf");
    let issued_before = audit_with_action(&mut svc, &admin, "document.issue").len();

    let entry = svc.issue_quote(&assistant, q.quote.id, 2, &out).unwrap();
    let bytes = std::fs::read(&out).unwrap();
    keep("issued.pdf", &bytes);
    assert_eq!(entry.number, q.quote.number.to_string());
    assert_eq!(entry.copies, 2);
    assert!(!entry.reprint);
    assert_eq!(entry.issued_by_name, "孙丽");
    assert_eq!(entry.sha256, hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes)));
    assert_eq!(svc.quote_view(&assistant, q.quote.id).unwrap().quote.status, QuoteStatus::Issued);

    let text = pdf_text(&bytes);
    assert!(!text.contains("草稿"), "no watermark on an issued document");
    assert!(text.contains(&entry.verify_code), "the footer carries the code");
    assert_eq!(image_count(&bytes), 1, "the demo seal is on it");
    assert_eq!(audit_with_action(&mut svc, &admin, "document.issue").len(), issued_before + 1);

    // A reprint: the same bytes, its own entry; printing it again gives the issued file.
    let again = dir.path().join("again.pdf");
    let second = svc.issue_quote(&assistant, q.quote.id, 1, &again).unwrap();
    assert!(second.reprint);
    assert_eq!(std::fs::read(&again).unwrap(), bytes, "a reprint is byte-identical");
    let printed = svc.print_quote(&assistant, q.quote.id, None).unwrap();
    assert!(printed.stamped);
    assert_eq!(printed.bytes, bytes);
    let register: Vec<_> =
        svc.issued_documents(&assistant).unwrap().into_iter().filter(|e| e.quote == q.quote.id).collect();
    assert_eq!(register.len(), 2);
    assert_eq!(svc.issued_file(&assistant, second.id).unwrap().1, bytes);
}

#[test]
fn verify_tells_issued_altered_and_unknown_files_and_answers_for_a_code() {
    let (dir, mut svc) = demo_office();
    let assistant = sign_in(&mut svc, "sunli");
    let q = demo_quote(&mut svc, &assistant, RevisionStatus::Approved, QuoteStatus::Open);
    let out = dir.path().join("q.pdf");
    let entry = svc.issue_quote(&assistant, q.quote.id, 1, &out).unwrap();
    let bytes = std::fs::read(&out).unwrap();

    let v = svc.verify_pdf(&bytes).unwrap();
    assert!(matches!(&v, Verification::Genuine(e) if e[0].id == entry.id), "{v:?}");
    assert!(v.message().contains(&entry.number));

    let mut altered = bytes.clone();
    let mid = altered.len() / 2;
    altered[mid] ^= 0x01;
    let v = svc.verify_pdf(&altered).unwrap();
    assert!(matches!(&v, Verification::Altered(e) if e[0].id == entry.id), "{v:?}");
    assert!(!v.is_genuine());

    let draft_quote = demo_quote(&mut svc, &assistant, RevisionStatus::Draft, QuoteStatus::Open);
    let draft = svc.print_quote(&assistant, draft_quote.quote.id, None).unwrap();
    assert_eq!(svc.verify_pdf(&draft.bytes).unwrap(), Verification::Unknown);
    assert_eq!(svc.verify_pdf(b"not a pdf").unwrap(), Verification::Unknown);

    let typed = entry.verify_code.to_lowercase().replace('-', " ");
    assert!(matches!(svc.verify_code(&typed).unwrap(), Verification::CodeIssued(e) if e[0].id == entry.id));
    assert_eq!(svc.verify_code("0000-0000-0000").unwrap(), Verification::Unknown);
    assert!(matches!(svc.verify_code("12"), Err(ServiceError::Invalid(_))));
}

#[test]
fn only_the_assistant_issues_and_only_approved_revisions() {
    let (dir, mut svc) = demo_office();
    let assistant = sign_in(&mut svc, "sunli");
    let head = sign_in(&mut svc, "zhaomin");
    let approved = demo_quote(&mut svc, &head, RevisionStatus::Approved, QuoteStatus::Open);
    let out = dir.path().join("x.pdf");
    let err = svc.issue_quote(&head, approved.quote.id, 1, &out).unwrap_err();
    assert!(matches!(err, ServiceError::Denied(_)), "{err}");
    assert!(!out.exists(), "nothing written when refused");

    let waiting = demo_quote(&mut svc, &head, RevisionStatus::Submitted, QuoteStatus::Open);
    let err = svc.issue_quote(&assistant, waiting.quote.id, 1, &out).unwrap_err();
    assert_eq!(err.rule_code(), Some("document.not_approved"), "{err}");
    assert!(!out.exists());
    assert_eq!(svc.quote_view(&head, waiting.quote.id).unwrap().quote.status, QuoteStatus::Open);

    // A folder that cannot be written: nothing is registered, the quote stays open.
    let before = svc.issued_documents(&assistant).unwrap().len();
    let err = svc.issue_quote(&assistant, approved.quote.id, 1, &dir.path().join("no/such/dir/x.pdf")).unwrap_err();
    assert_eq!(err.rule_code(), Some("document.write_failed"), "{err}");
    assert_eq!(svc.issued_documents(&assistant).unwrap().len(), before);
    assert_eq!(svc.quote_view(&head, approved.quote.id).unwrap().quote.status, QuoteStatus::Open);
}

#[test]
fn without_a_seal_image_the_issued_document_has_a_box_for_the_physical_stamp() {
    let (dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    let assistant = sign_in(&mut svc, "sunli");
    svc.set_company_image(&admin, ImageSlot::Seal, None).unwrap();
    let q = demo_quote(&mut svc, &assistant, RevisionStatus::Approved, QuoteStatus::Open);
    let out = dir.path().join("box.pdf");
    svc.issue_quote(&assistant, q.quote.id, 1, &out).unwrap();
    let bytes = std::fs::read(&out).unwrap();
    assert!(pdf_text(&bytes).contains("盖章处"));
    assert_eq!(image_count(&bytes), 0);
}

#[test]
fn the_demo_office_has_issued_quotes_in_its_register() {
    let (_dir, mut svc) = demo_office();
    let assistant = sign_in(&mut svc, "sunli");
    let register = svc.issued_documents(&assistant).unwrap();
    assert!(!register.is_empty());
    for e in &register {
        let (_, bytes) = svc.issued_file(&assistant, e.id).unwrap();
        assert!(svc.verify_pdf(&bytes).unwrap().is_genuine());
    }
}

/// A quotation with `n` lines, some with long names, parameters and notes, straight to the renderer.
pub fn sample_quotation(n: usize, stamp: Stamp) -> QuotationDoc {
    use salesdesk::domain::money::{Discount, Money, Quantity, TaxRate};
    use salesdesk::domain::product::TechParam;
    use salesdesk::domain::quote::{QuoteLine, RevisionContent};
    let lines = (0..n)
        .map(|i| QuoteLine {
            name: if i % 3 == 0 {
                format!("10kV户内高压真空断路器成套开关设备（第{}组，含柜体、母线及二次回路）", i + 1)
            } else {
                format!("低压配电柜{}号", i + 1)
            },
            model: format!("KYN28A-12/{}", 630 + i),
            unit: "台".into(),
            params: if i % 4 == 0 {
                vec![TechParam { key: "额定电流".into(), value: "1250A".into() }]
            } else {
                vec![]
            },
            quantity: Quantity::from_units(1 + i as u32 % 5),
            unit_price: Money::from_fen(1_234_567 + i as i64 * 1000),
            discount: if i % 5 == 0 { Discount::parse("5%").unwrap() } else { Discount::ZERO },
            tax_rate: if i % 7 == 6 { TaxRate::parse("9%").unwrap() } else { TaxRate::RATE_13 },
            note: if i % 6 == 0 { "含安装调试".into() } else { String::new() },
            ..QuoteLine::default()
        })
        .collect();
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-27T09:00:00Z").unwrap().with_timezone(&chrono::Utc);
    QuotationDoc {
        company: salesdesk::domain::company::CompanyProfile {
            name: "苏州恒信电气设备有限公司".into(),
            address: "江苏省苏州市工业园区星湖街328号".into(),
            phone: "0512-66881200".into(),
            ..Default::default()
        },
        logo: None,
        number: "BJ-2026-0099".into(),
        revision: 2,
        date: now.date_naive(),
        customer_name: "国网江苏省电力有限公司苏州供电分公司".into(),
        customer_address: "苏州市姑苏区劳动路555号".into(),
        contact_name: "王工".into(),
        contact_phone: "13800000000".into(),
        subject: "配电房改造".into(),
        salesperson_name: "李强".into(),
        salesperson_phone: "13951100011".into(),
        salesperson_email: String::new(),
        content: RevisionContent { lines, ..RevisionContent::default() },
        verification_code: "7KQ2-M9XA-3FDV".into(),
        stamp,
        fixed_time: now,
        content_hash: "abc".into(),
    }
}

#[test]
fn a_long_quotation_flows_over_pages_with_the_table_header_on_each() {
    let fonts = DocFonts::get().unwrap();
    let doc = sample_quotation(60, Stamp::StampBox);
    let pdf = render(fonts, &doc).unwrap();
    keep("long.pdf", &pdf.bytes);
    let pages = pdf_pages(&pdf.bytes);
    assert!(pages.len() >= 3, "{} pages", pages.len());
    for (i, page) in pages.iter().enumerate() {
        let page = squeeze(page);
        assert!(page.contains(&format!("第{}页/共{}页", i + 1, pages.len())), "page {}", i + 1);
        if i > 0 {
            assert!(page.contains("BJ-2026-0099"), "running header on page {}", i + 1);
        }
    }
    // The table's header row repeats on every page that has table rows.
    let with_rows = pages.iter().filter(|p| squeeze(p).contains("低压配电柜")).count();
    let with_header = pages.iter().filter(|p| squeeze(p).contains("序号产品名称型号规格")).count();
    assert!(with_rows >= 2 && with_header >= with_rows, "{with_rows} pages with rows, {with_header} with the header");
    // Every line is printed once, in order, and the total and 大写 come after the last line.
    let text = pdf_text(&pdf.bytes);
    let mut at = 0;
    for l in &doc.content.lines {
        let name = squeeze(&l.name);
        let found = text[at..].find(&name).unwrap_or_else(|| panic!("{name} after byte {at}"));
        at += found + name.len();
    }
    let total = doc.content.totals().total;
    assert!(text[at..].contains(&rmb_uppercase(total).unwrap()));
    assert!(text.contains("增值税（9%）") && text.contains("增值税（13%）"));
    assert!(text.contains("盖章处"));
}

#[test]
fn a_20_line_quotation_is_small_and_renders_the_same_bytes_every_time() {
    let fonts = DocFonts::get().unwrap();
    let doc = sample_quotation(
        20,
        Stamp::Seal(salesdesk::docs::seal::seal_png("苏州恒信电气设备有限公司", "演示专用章").unwrap()),
    );
    let a = render(fonts, &doc).unwrap();
    let b = render(fonts, &doc).unwrap();
    assert_eq!(a.bytes, b.bytes);
    assert!(a.bytes.len() < 300 * 1024, "{} bytes", a.bytes.len());
    // The trailer carries our identity, which verify uses to recognise altered copies.
    assert!(a.bytes.windows(32).any(|w| w == a.pdf_id.as_bytes()));
}

#[test]
fn a_character_the_font_lacks_is_named_and_nothing_is_drawn() {
    let fonts = DocFonts::get().unwrap();
    let mut doc = sample_quotation(2, Stamp::Draft);
    doc.customer_name = "笑脸😀贸易公司".into();
    doc.content.lines[1].name = "特殊符号\u{E000}".into();
    let err = render(fonts, &doc).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("😀") && message.contains("U+1F600") && message.contains("客户名称"), "{message}");
    assert!(message.contains("U+E000") && message.contains("第 2 行产品名称"), "{message}");
}

#[test]
fn the_weekly_visit_plan_prints_every_salespersons_visits_with_key_ones_marked() {
    use salesdesk::domain::visit::Week;
    let (_dir, mut svc) = demo_office();
    let head = sign_in(&mut svc, "zhaomin");
    let week = Week::of(svc.today()).next();
    let plan = svc.weekly_plan(&head, week).unwrap();
    assert!(plan.people.iter().any(|(_, v)| !v.is_empty()), "the demo office plans next week");
    let bytes = svc.print_visit_plan(&head, week).unwrap();
    keep("visit-plan.pdf", &bytes);
    let text = pdf_text(&bytes);
    assert!(text.contains("拜访计划") && text.contains(&week.to_string()));
    for (person, visits) in &plan.people {
        assert!(text.contains(&squeeze(person)), "{person} has a section");
        for v in visits {
            assert!(text.contains(&squeeze(&v.customer_name)), "{} is listed", v.customer_name);
        }
    }
    let keys = plan.people.iter().flat_map(|(_, v)| v).filter(|v| v.key).count();
    assert_eq!(text.matches('★').count(), keys, "every key visit is starred, nothing else");

    // A salesperson's sheet has only their own visits.
    let li = sign_in(&mut svc, "liqiang");
    let own = svc.weekly_plan(&li, week).unwrap();
    let text = pdf_text(&svc.print_visit_plan(&li, week).unwrap());
    for (person, _) in &plan.people {
        let mine = own.people.iter().any(|(p, _)| p == person);
        assert_eq!(text.contains(&squeeze(person)), mine, "{person} on 李强's sheet: {mine}");
    }
}

#[test]
fn weekly_reports_print_one_per_page_with_the_salespersons_own_words() {
    use salesdesk::domain::visit::Week;
    let (_dir, mut svc) = demo_office();
    let head = sign_in(&mut svc, "zhaomin");
    let week = Week::of(svc.today());
    let reports = svc.weekly_reports(&head, week).unwrap();
    assert!(reports.len() >= 2, "the head reads every salesperson's report");
    let bytes = svc.print_weekly_reports(&head, week, None).unwrap();
    keep("weekly-reports.pdf", &bytes);
    let pages = pdf_pages(&bytes);
    assert!(pages.len() >= reports.len(), "each report starts on its own page");
    let text = pdf_text(&bytes);
    for r in &reports {
        assert!(text.contains(&squeeze(&r.user_name)));
        if !r.notes.notes.trim().is_empty() {
            assert!(text.contains(&squeeze(r.notes.notes.trim())), "{}'s notes printed", r.user_name);
        }
        for v in &r.visits {
            assert!(text.contains(&squeeze(&v.customer_name)), "{} listed", v.customer_name);
        }
    }
    // A salesperson prints their own, and may not print a colleague's.
    let li = sign_in(&mut svc, "liqiang");
    let own = pdf_text(&svc.print_weekly_reports(&li, week, Some(li.id())).unwrap());
    assert!(own.contains("李强") && own.contains("工作周报"));
    let other = reports.iter().find(|r| r.user != li.id()).unwrap().user;
    assert!(svc.print_weekly_reports(&li, week, Some(other)).is_err());
}

#[test]
fn a_quote_with_13_and_6_percent_lines_states_each_rate_with_its_lines_and_no_date_has_a_leading_zero() {
    let (_dir, mut svc) = demo_office();
    let head = sign_in(&mut svc, "zhaomin");
    let mixed = svc
        .quotes(&head)
        .unwrap()
        .into_iter()
        .map(|s| svc.quote_view(&head, s.quote.id).unwrap())
        .find(|v| {
            let rates: std::collections::BTreeSet<String> =
                v.latest().unwrap().content.lines.iter().map(|l| l.tax_rate.to_string()).collect();
            v.quote.kind == salesdesk::domain::quote::QuoteKind::Quote && rates.len() > 1
        })
        .expect("the demo has a quote with a service line at 6%");
    let printed = svc.print_quote(&head, mixed.quote.id, None).unwrap();
    let text = pdf_text(&printed.bytes);
    assert!(text.contains("含13%增值税") && text.contains("含6%增值税"), "both rates named");
    assert!(!text.contains("以上价格均含13%增值税") && !text.contains("价格含13%增值税及运费"), "never 13% alone");
    assert!(text.contains("交货地点："), "the delivery place is its own term");
    // 2026年12月05日 is never written: GB/T 9704 writes 2026年12月5日.
    let leading_zero = regex_like_leading_zero(&text);
    assert!(leading_zero.is_none(), "{leading_zero:?}");
}

/// The first `年0` or `月0` followed by a digit and 月/日: a date written with a leading zero.
fn regex_like_leading_zero(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(4).find_map(|w| {
        let bad =
            (w[0] == '年' || w[0] == '月') && w[1] == '0' && w[2].is_ascii_digit() && (w[3] == '月' || w[3] == '日');
        bad.then(|| w.iter().collect())
    })
}

#[test]
fn the_weekly_plan_reads_in_date_order_with_cities_and_marks_a_day_in_two_provinces() {
    let (_dir, mut svc) = demo_office();
    let head = sign_in(&mut svc, "zhaomin");
    let next = salesdesk::domain::visit::Week::of(svc.today() + chrono::Days::new(7));
    let bytes = svc.print_visit_plan(&head, next).unwrap();
    let text = pdf_text(&bytes);
    assert!(text.contains("城市") && text.contains("状态") && text.contains("备注"), "the columns");
    assert!(text.contains("销售部负责人审核"), "the head signs it off");
    assert!(text.contains("计划"), "a planned visit says so");
    assert!(!text.contains(&format!("打印：{}", svc.today().format("%Y-%m-%d"))), "the print time in Chinese");
    // The demo's 冯雪 has 深圳 in the morning and 兰州 in the afternoon of one day: marked, explained.
    assert!(text.contains("※"), "{text}");
    assert!(text.contains("同一天在不同省份的拜访"));
    // Within each salesperson, the days run in order: no day printed before an earlier one.
    let plan = svc.weekly_plan(&head, next).unwrap();
    let starts: Vec<usize> = plan.people.iter().map(|(person, _)| text.find(person.as_str()).unwrap()).collect();
    for ((person, _), &from) in plan.people.iter().zip(&starts) {
        // Only this person's section: up to the next person's name (a person with one or two
        // visits would otherwise lend the next person's first day to the check).
        let to = starts.iter().copied().filter(|&s| s > from).min().unwrap_or(text.len());
        let section: String = text[from..to].chars().take(600).collect();
        let days: Vec<u32> = section
            .match_indices("月")
            .filter_map(|(i, _)| {
                let rest = &section[i + "月".len()..];
                let n: String = rest.chars().take_while(char::is_ascii_digit).collect();
                rest[n.len()..].starts_with('日').then(|| n.parse().ok()).flatten()
            })
            .take(3)
            .collect();
        // (A week may run over the end of a month: 31 then 1 is in order.)
        assert!(days.windows(2).all(|w| w[0] <= w[1] || (w[0] >= 25 && w[1] <= 7)), "{person}: {days:?}");
    }
}
