//! The 投标书 PDF (DESIGN §9): a 60-page bid document — 200 priced lines, 165 tender clauses
//! answered in the deviation tables, 20 certificate scans — rendered in the running app (fonts
//! parsed once and kept), target < 1 s. Also the same bid with its 正本 and four 副本 in one file
//! (five volumes, 300 pages), for scale.
//!
//! The print preview of the same bid (issue 18): the first page on screen — laid out, read into
//! marks, painted and tessellated — target < 300 ms; turning a page < 50 ms.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use salesdesk::docs::bid::{BidCertificate, BidDoc, draw, render};
use salesdesk::docs::preview::Pages;
use salesdesk::ui::PagePainter;

#[path = "support/preview_frame.rs"]
mod preview_frame;
use salesdesk::docs::fonts::DocFonts;
use salesdesk::docs::quote::Stamp;
use salesdesk::docs::specimen::{Specimen, certificate_png};
use salesdesk::domain::bid::{AfterSalesTemplate, BidFigures};
use salesdesk::domain::company::CompanyProfile;
use salesdesk::domain::inquiry::ClauseKind;
use salesdesk::domain::money::{Discount, Money, Quantity, TaxRate};
use salesdesk::domain::product::TechParam;
use salesdesk::domain::quote::{ClauseResponse, Deviation, QuoteLine, RevisionContent};

fn content() -> RevisionContent {
    let lines = (0..200)
        .map(|i| QuoteLine {
            name: if i % 4 == 0 {
                format!("10kV户内金属铠装抽出式开关设备（第{}面，含柜体、母线及二次回路）", i + 1)
            } else {
                format!("低压配电柜 GCS-{}", i + 1)
            },
            model: format!("KYN28A-12/{}-31.5", 630 + 10 * i),
            params: if i % 3 == 0 {
                vec![
                    TechParam { key: "额定电流".into(), value: "1250A".into() },
                    TechParam { key: "防护等级".into(), value: "IP4X".into() },
                ]
            } else {
                Vec::new()
            },
            unit: "台".into(),
            quantity: Quantity::from_units(1 + i as u32 % 4),
            unit_price: Money::from_fen(6_850_050 + i as i64 * 10_000),
            list_price: Money::from_fen(6_850_050 + i as i64 * 10_000),
            discount: if i % 5 == 0 { Discount::parse("3%").unwrap() } else { Discount::ZERO },
            tax_rate: TaxRate::RATE_13,
            note: if i % 7 == 0 { "含安装指导".into() } else { String::new() },
            ..QuoteLine::default()
        })
        .collect();
    let responses = (0..165)
        .map(|i| ClauseResponse {
            clause_no: format!("{}.{}", 3 + i / 20, i % 20 + 1),
            requirement: format!(
                "第{}项：设备应满足GB/T 3906-2020及国家电网公司相关技术规范的全部要求，并提供型式试验报告",
                i + 1
            ),
            kind: if i % 3 == 0 { ClauseKind::Commercial } else { ClauseKind::Technical },
            response: format!("满足：所投产品完全符合第{}项要求，详见附件型式试验报告", i + 1),
            deviation: if i % 11 == 0 { Deviation::Positive } else { Deviation::None },
            note: String::new(),
        })
        .collect();
    RevisionContent { lines, responses, ..RevisionContent::default() }
}

fn bid(duplicates: u32, scans: &[Vec<u8>], seal: &[u8]) -> BidDoc {
    let now = chrono::Utc::now();
    let content = content();
    let company = CompanyProfile {
        name: "苏州恒信电气设备有限公司".into(),
        address: "江苏省苏州市工业园区星湖街328号创意产业园12栋".into(),
        phone: "0512-66881200".into(),
        fax: "0512-66881299".into(),
        bank_name: "中国工商银行苏州工业园区支行".into(),
        bank_account: "1102 0201 0900 0123 456".into(),
        credit_code: "91320594MA1XK7RD3X".into(),
        legal_representative: "吴海涛".into(),
        ..Default::default()
    };
    let terms = &content.terms;
    BidDoc {
        references: Vec::new(),
        after_sales: AfterSalesTemplate::default().fill(
            &company.name,
            "110kV城南变电站扩建工程设备采购",
            "ZB2026-0315",
            terms.warranty_months,
            terms.delivery_days,
        ),
        company,
        number: "TB-2026-0001".into(),
        revision: 2,
        date: now.date_naive(),
        tender_no: "ZB2026-0315".into(),
        purchaser: "国网江苏省电力有限公司苏州供电分公司".into(),
        project: "110kV城南变电站扩建工程设备采购".into(),
        lot: "第2标段".into(),
        agent_name: "李强".into(),
        agent_phone: "13951100011".into(),
        agent_email: "liqiang@hengxin-demo.cn".into(),
        agent_gender: "男".into(),
        agent_id_number: "320506198809251514".into(),
        bond: None,
        riding_seal: false,
        figures: BidFigures::of(&content, content.totals().total),
        content,
        certificates: scans
            .iter()
            .enumerate()
            .map(|(i, image)| BidCertificate {
                name: format!("资质证书 {}", i + 1),
                kind: "检测报告".into(),
                number: format!("GB2025-{:04}", i + 1),
                issuer: "机械工业高压电器产品质量检测中心".into(),
                valid_until: "2030年11月08日".into(),
                image: image.clone(),
            })
            .collect(),
        duplicates,
        verification_code: "7KQ2-M9XA-3FDV".into(),
        stamp: Stamp::Seal(seal.to_vec()),
        fixed_time: now,
        content_hash: "bench".into(),
    }
}

fn bench(c: &mut Criterion) {
    let fonts = DocFonts::get().expect("fonts");
    let seal = salesdesk::docs::seal::seal_png("苏州恒信电气设备有限公司", "演示专用章").unwrap();
    let scans: Vec<Vec<u8>> = (0..20)
        .map(|i| {
            let n = format!("GB2025-{:04}", i + 1);
            certificate_png(&Specimen {
                title: "检验报告",
                subtitle: "（型式试验）",
                rows: &[("报告编号", n.as_str()), ("产品名称", "户内金属铠装抽出式开关设备"), ("检验结论", "合格")],
                issuer: "机械工业高压电器产品质量检测中心",
                date: "2025年11月08日",
            })
            .unwrap()
        })
        .collect();
    let one = bid(0, &scans, &seal);
    let five = bid(4, &scans, &seal);
    let rendered = render(fonts, &one).unwrap();
    println!(
        "投标书: {} pages, {} bytes ({:.0} KB); sections start on pages {:?}",
        rendered.pages_per_volume,
        rendered.pdf.bytes.len(),
        rendered.pdf.bytes.len() as f64 / 1024.0,
        rendered.section_pages
    );
    assert!(rendered.pages_per_volume >= 60, "a 60-page bid: {} pages", rendered.pages_per_volume);
    let all = render(fonts, &five).unwrap();
    println!("正本 + 4 副本: {} pages, {:.0} KB", 5 * all.pages_per_volume, all.pdf.bytes.len() as f64 / 1024.0);
    let mut group = c.benchmark_group("bid");
    group.sample_size(10);
    group.bench_function("bid_60_pages_in_process", |b| b.iter(|| render(fonts, &one).unwrap()));
    group.bench_function("bid_5_volumes_300_pages_in_process", |b| b.iter(|| render(fonts, &five).unwrap()));
    group.finish();

    let ctx = preview_frame::context();
    let pages = Pages::from_drawn(&draw(fonts, &one).unwrap().0);
    let certificate_page = rendered.attachment_pages.first().map(|p| p - 1).expect("the bid has scans");
    let mut group = c.benchmark_group("preview");
    group.sample_size(10);
    group.bench_function("bid_60_pages_first_page_on_screen", |b| {
        b.iter_batched(
            || preview_frame::forget(&ctx),
            |()| {
                let pages = Pages::from_drawn(&draw(fonts, &one).unwrap().0);
                preview_frame::frame(&ctx, &mut PagePainter::default(), &pages, 0)
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("bid_300_pages_first_page_on_screen", |b| {
        b.iter_batched(
            || preview_frame::forget(&ctx),
            |()| {
                let pages = Pages::from_drawn(&draw(fonts, &five).unwrap().0);
                preview_frame::frame(&ctx, &mut PagePainter::default(), &pages, 0)
            },
            BatchSize::PerIteration,
        )
    });
    // Paging through the whole bid, one page per iteration (text pages, tables, the scans).
    let mut painter = PagePainter::default();
    let mut page = 0;
    group.sample_size(30);
    group.bench_function("bid_turn_page", |b| {
        b.iter(|| {
            page = (page + 1) % pages.pages.len();
            preview_frame::frame(&ctx, &mut painter, &pages, page)
        })
    });
    // The worst turn: onto a certificate scan not yet decoded (each iteration a new painter).
    group.bench_function("bid_turn_to_an_undecoded_scan", |b| {
        b.iter(|| preview_frame::frame(&ctx, &mut PagePainter::default(), &pages, certificate_page))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
