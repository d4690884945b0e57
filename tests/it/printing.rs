//! Printing to a real CUPS scheduler (see `cups`): the printer list, jobs with copies, page ranges
//! and duplex, and the refusals before anything is sent — a stopped queue, one that rejects jobs,
//! no printer, no print service.

use salesdesk::print::{JobState, PageRanges, PrintError, PrintRequest, PrintServer, PrinterState, Sides};

use crate::cups::{Scheduler, available, ocr_first_page, page_difference, pages_as_grey};
use crate::support::{demo_office, sign_in};

/// A draft 报价单 of the demo office: (PDF bytes, its number).
fn draft_quote_pdf() -> (Vec<u8>, String) {
    let (_dir, mut svc) = demo_office();
    let assistant = sign_in(&mut svc, "sunli");
    let q = svc.quotes(&assistant).expect("quotes").into_iter().next().expect("a quote");
    let printed = svc.print_quote(&assistant, q.quote.id, None).expect("printed");
    (printed.bytes, q.quote.number.to_string())
}

fn request<'a>(printer: &'a str, pdf: &'a [u8], copies: u32) -> PrintRequest<'a> {
    PrintRequest {
        printer,
        pdf,
        title: "测试 报价单",
        user: "sunli",
        copies,
        pages: PageRanges::all(),
        sides: Sides::OneSided,
    }
}

#[test]
fn the_printers_are_listed_with_the_default_first_and_their_state() {
    if !available("printers listed") {
        return;
    }
    let mut cups = Scheduler::start();
    let first = cups.add_pdf_printer("三楼销售部激光打印机");
    let second = cups.add_pdf_printer("财务室打印机");
    let printers = cups.server().printers().expect("the list");
    let names: Vec<&str> = printers.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, [first.as_str(), second.as_str()]);
    assert!(printers[0].is_default && !printers[1].is_default);
    assert_eq!(printers[0].description, "三楼销售部激光打印机");
    assert_eq!(printers[0].state, PrinterState::Idle);
    assert!(printers[0].accepting);
    assert_eq!(printers[0].status_text(), "就绪");
}

#[test]
fn a_job_prints_the_pages_asked_for_with_the_copies_asked_for() {
    if !available("a job prints") {
        return;
    }
    let (pdf, number) = draft_quote_pdf();
    let mut cups = Scheduler::start();
    let printer = cups.add_pdf_printer("销售部打印机");
    let server = cups.server();
    let sent = server.print(&request(&printer, &pdf, 2)).expect("sent");
    assert!(sent.job_id > 0);
    let files = cups.printed(&printer, 1);
    assert_eq!(files.len(), 1, "cups-pdf writes one file per job");
    let status = server.job(&printer, sent.job_id, "sunli").expect("the job");
    assert_eq!(status.state, JobState::Completed);
    assert_eq!(status.copies, 2, "the copies asked for travel with the job");
    assert_eq!(status.user, "sunli");

    // What came out is our document: each page, rendered, matches ours (cups-pdf passes jobs through
    // Ghostscript, which turns text into outlines: compare pictures, not text).
    let dir = tempfile::tempdir().expect("temporary folder");
    let ours = dir.path().join("ours.pdf");
    std::fs::write(&ours, &pdf).expect("written");
    let (a, b) = (pages_as_grey(&ours, 60), pages_as_grey(&files[0], 60));
    assert_eq!(a.len(), b.len(), "page count");
    for (i, (x, y)) in a.iter().zip(&b).enumerate() {
        let d = page_difference(x, y);
        assert!(d < 4.0, "page {} differs from ours by {d:.2}", i + 1);
    }
    let text = ocr_first_page(&files[0]);
    assert!(text.contains(&number), "the printed page reads {number}: {text}");
    assert!(text.contains("报价单") || text.contains("报 价 单") || text.contains("报价 单"), "{text}");
}

#[test]
fn a_page_range_and_duplex_travel_with_the_job() {
    if !available("page range") {
        return;
    }
    // A week's visit plan runs to several pages? The demo bid does: print its pages 2–3.
    let (_dir, mut svc) = demo_office();
    let assistant = sign_in(&mut svc, "sunli");
    let bid =
        svc.quotes(&assistant).expect("quotes").into_iter().find(|q| q.quote.number.to_string().starts_with("TB"));
    let bid = bid.expect("the demo has bids");
    let pdf = svc.print_quote(&assistant, bid.quote.id, None).expect("printed").bytes;
    let mut cups = Scheduler::start();
    let printer = cups.add_pdf_printer("双面打印机");
    let server = cups.server();
    let job = PrintRequest {
        pages: PageRanges::parse("2-3", 99).expect("range"),
        sides: Sides::TwoSided,
        ..request(&printer, &pdf, 1)
    };
    let sent = server.print(&job).expect("sent");
    let files = cups.printed(&printer, 1);
    let status = server.job(&printer, sent.job_id, "sunli").expect("the job");
    assert_eq!(status.pages.as_ref().map(PageRanges::ranges), Some(&[(2, 3)][..]));
    assert_eq!(pages_as_grey(&files[0], 20).len(), 2, "two pages came out");
    let printer_info = server.printer(&printer).expect("the printer");
    assert_eq!(status.sides == Sides::TwoSided, printer_info.duplex, "duplex only where the printer offers it");
}

#[test]
fn a_stopped_or_rejecting_queue_is_refused_and_nothing_is_sent() {
    if !available("stopped queue") {
        return;
    }
    let (pdf, _) = draft_quote_pdf();
    let mut cups = Scheduler::start();
    let paused = cups.add_pdf_printer("暂停的打印机");
    let closed = cups.add_pdf_printer("拒收的打印机");
    cups.stop(&paused);
    cups.reject(&closed);
    let server = cups.server();
    let p = server.printer(&paused).expect("listed");
    assert_eq!(p.state, PrinterState::Stopped);
    assert!(p.status_text().starts_with("已暂停"), "{}", p.status_text());

    let e = server.print(&request(&paused, &pdf, 1)).expect_err("a stopped queue would print hours later");
    assert!(matches!(e, PrintError::Stopped { .. }), "{e:?}");
    assert!(e.to_string().contains("暂停的打印机") && e.to_string().contains("恢复"), "{e}");
    let e = server.print(&request(&closed, &pdf, 1)).expect_err("rejecting");
    assert!(matches!(e, PrintError::Rejecting { .. }), "{e:?}");
    assert!(e.to_string().contains("拒收的打印机"), "{e}");
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(cups.page_log(), "", "no job reached either queue");
}

#[test]
fn no_printer_and_no_print_service_say_so() {
    if !available("no printer") {
        return;
    }
    let cups = Scheduler::start();
    let server = cups.server();
    assert_eq!(server.printers().expect("an empty list"), []);
    let e = server.printer("nowhere").expect_err("no such printer");
    assert!(matches!(e, PrintError::UnknownPrinter(_)), "{e:?}");
    drop(cups);

    let gone = PrintServer::new("127.0.0.1:1");
    let e = gone.printers().expect_err("nothing listens there");
    assert!(matches!(e, PrintError::NoService { .. }), "{e:?}");
    assert!(e.to_string().contains("打印服务") && e.to_string().contains("127.0.0.1:1"), "{e}");
}
