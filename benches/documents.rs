//! The 报价单 PDF (DESIGN §9): a 20-line quotation rendered in the running app (fonts parsed
//! once and kept) — target < 10 ms (stretch 4 ms), < 300 KB — and the same from the command line
//! as a whole process (`salesdesk render`) — target < 50 ms; and its print preview's first page on
//! screen — target < 100 ms.
//!
//! The CLI case needs an office with a 20-line draft: it is made once in `target/bench-data/`
//! from the demo office through the service, as a salesperson would.

use std::path::PathBuf;
use std::process::Command;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use salesdesk::docs::fonts::DocFonts;
use salesdesk::docs::preview::Pages;
use salesdesk::docs::quote::{QuotationDoc, Stamp, draw, render};
use salesdesk::ui::PagePainter;

#[path = "support/preview_frame.rs"]
mod preview_frame;
use salesdesk::domain::company::CompanyProfile;
use salesdesk::domain::money::{Discount, Money, Quantity, TaxRate};
use salesdesk::domain::quote::{QuoteKind, QuoteLine, RevisionContent, RevisionStatus};
use salesdesk::service::{DEMO_PASSWORD, DEMO_USERS, Service};

fn lines(n: usize) -> Vec<QuoteLine> {
    (0..n)
        .map(|i| QuoteLine {
            name: format!("10kV户内高压真空断路器成套开关设备（第{}组）", i + 1),
            model: format!("KYN28A-12/{}-31.5", 630 + 10 * i),
            unit: "台".into(),
            quantity: Quantity::from_units(1 + i as u32 % 4),
            unit_price: Money::from_fen(6_850_050 + i as i64 * 10_000),
            list_price: Money::from_fen(6_850_050 + i as i64 * 10_000),
            discount: if i % 3 == 0 { Discount::parse("3%").unwrap() } else { Discount::ZERO },
            tax_rate: TaxRate::RATE_13,
            ..QuoteLine::default()
        })
        .collect()
}

fn quotation(stamp: Stamp) -> QuotationDoc {
    let now = chrono::Utc::now();
    QuotationDoc {
        company: CompanyProfile {
            name: "苏州恒信电气设备有限公司".into(),
            address: "江苏省苏州市工业园区星湖街328号创意产业园12栋".into(),
            phone: "0512-66881200".into(),
            fax: "0512-66881299".into(),
            bank_name: "中国工商银行苏州工业园区支行".into(),
            bank_account: "1102 0201 0900 0123 456".into(),
            ..Default::default()
        },
        logo: None,
        number: "BJ-2026-0001".into(),
        revision: 1,
        date: now.date_naive(),
        customer_name: "国网江苏省电力有限公司苏州供电分公司".into(),
        customer_address: "苏州市姑苏区劳动路555号".into(),
        contact_name: "王建华".into(),
        contact_phone: "13812345678".into(),
        subject: "110kV变电站配套设备采购".into(),
        salesperson_name: "李强".into(),
        salesperson_phone: "13951100011".into(),
        salesperson_email: "liqiang@hengxin-demo.cn".into(),
        content: RevisionContent { lines: lines(20), ..RevisionContent::default() },
        verification_code: "7KQ2-M9XA-3FDV".into(),
        stamp,
        fixed_time: now,
        content_hash: "bench".into(),
    }
}

/// The demo office with one draft quote grown to 20 lines (made once per run); returns
/// (database, quote number).
fn office() -> (PathBuf, String) {
    static OFFICE: std::sync::OnceLock<(PathBuf, String)> = std::sync::OnceLock::new();
    OFFICE.get_or_init(make_office).clone()
}

fn make_office() -> (PathBuf, String) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("bench data folder");
    let db = dir.join("documents.db");
    let _ = std::fs::remove_file(&db);
    let mut svc = Service::open(&db).expect("new office");
    svc.create_demo_office().expect("demo office");
    let head = svc.sign_in("zhaomin", DEMO_PASSWORD).expect("head");
    let draft = svc
        .quotes(&head)
        .unwrap()
        .into_iter()
        .find(|s| s.quote.kind == QuoteKind::Quote && s.revision_status == RevisionStatus::Draft)
        .expect("a demo draft");
    let author = DEMO_USERS.iter().find(|u| u.1 == draft.quote.author_name).map(|u| u.0).expect("a demo author");
    let view = svc.quote_view(&head, draft.quote.id).unwrap();
    let r = view.latest().unwrap().clone();
    let mut content = r.content.clone();
    content.lines = lines(20);
    let actor = svc.sign_in(author, DEMO_PASSWORD).expect("author");
    svc.save_draft(&actor, r.id, r.version, content).expect("20 lines saved");
    (db, draft.quote.number.to_string())
}

fn bench(c: &mut Criterion) {
    let fonts = DocFonts::get().expect("fonts");
    let seal = salesdesk::docs::seal::seal_png("苏州恒信电气设备有限公司", "演示专用章").unwrap();
    let doc = quotation(Stamp::Seal(seal));
    let size = render(fonts, &doc).unwrap().bytes.len();
    println!("20-line 报价单 with seal: {size} bytes ({:.0} KB)", size as f64 / 1024.0);
    c.bench_function("quotation_20_lines_in_process", |b| b.iter(|| render(fonts, &doc).unwrap()));
    // Without the seal image: what the text, tables and font subsetting cost alone.
    let plain = quotation(Stamp::StampBox);
    c.bench_function("quotation_20_lines_no_seal_in_process", |b| b.iter(|| render(fonts, &plain).unwrap()));

    // The print preview (issue 18): the first page on screen — laid out, read into marks, painted
    // (the seal decoded into a texture) and tessellated — target < 100 ms.
    let ctx = preview_frame::context();
    c.bench_function("preview_quotation_20_lines_first_page_on_screen", |b| {
        b.iter_batched(
            || preview_frame::forget(&ctx),
            |()| {
                let pages = Pages::from_drawn(&draw(fonts, &doc).unwrap().0);
                preview_frame::frame(&ctx, &mut PagePainter::default(), &pages, 0)
            },
            BatchSize::PerIteration,
        )
    });

    let exe = env!("CARGO_BIN_EXE_salesdesk");
    let out = std::env::temp_dir().join("salesdesk-bench.pdf").to_string_lossy().into_owned();
    let mut group = c.benchmark_group("cli");
    group.sample_size(20);
    // The office is made inside the closures so that a filtered run (`-- in_process`) skips it.
    group.bench_function("render_20_lines_whole_process", |b| {
        let (db, number) = office();
        let db = db.to_string_lossy().into_owned();
        b.iter(|| {
            let status = Command::new(exe)
                .args(["render", "--db", &db, "--user", "zhaomin", "--quote", &number, "--out", &out])
                .env("SALESDESK_PASSWORD", DEMO_PASSWORD)
                .stdout(std::process::Stdio::null())
                .status()
                .expect("salesdesk runs");
            assert!(status.success());
        })
    });
    // The same process without the PDF: what starting, opening the database and signing in
    // (argon2, deliberately slow) cost.
    group.bench_function("quotes_list_whole_process", |b| {
        let (db, _) = office();
        let db = db.to_string_lossy().into_owned();
        b.iter(|| {
            Command::new(exe)
                .args(["quotes", "--db", &db, "--user", "zhaomin"])
                .env("SALESDESK_PASSWORD", DEMO_PASSWORD)
                .stdout(std::process::Stdio::null())
                .status()
                .expect("salesdesk runs")
        })
    });
    // Verification needs no sign-in: starting, opening the database and hashing a file.
    group.bench_function("verify_code_whole_process", |b| {
        let (db, _) = office();
        let db = db.to_string_lossy().into_owned();
        b.iter(|| {
            Command::new(exe)
                .args(["verify", "--db", &db, "--code", "0000-0000-0000"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .expect("salesdesk runs")
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
