//! The 报价单 PDF, issuing (用印发出), the register and verification — issue 6 and DESIGN §5: drafts
//! carry the watermark and no seal, issued revisions carry the seal and no watermark, the text
//! reads back exactly, reprints are byte-identical and registered, and `verify` tells an issued
//! file from an altered one and answers for a code from a paper copy.

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
    assert!(err.to_string().contains("尚未审批通过"), "{err}");
    assert!(!out.exists());
    assert_eq!(svc.quote_view(&head, waiting.quote.id).unwrap().quote.status, QuoteStatus::Open);

    // A folder that cannot be written: nothing is registered, the quote stays open.
    let before = svc.issued_documents(&assistant).unwrap().len();
    let err = svc.issue_quote(&assistant, approved.quote.id, 1, &dir.path().join("no/such/dir/x.pdf")).unwrap_err();
    assert!(err.to_string().contains("无法写入文件"), "{err}");
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
