//! The SalesDesk side of `benches/compare.sh` (issue 10): one 20-line 报价单 draft, and the same
//! quote as the peers get it.
//!
//! Makes (once) a demo office with one draft quote grown to 20 lines, as `benches/documents.rs`
//! does; times printing it in process through the service (`Service::print_quote`, what the
//! window's 打印 and `salesdesk render` both call; fonts parsed once and kept), median of 50; and
//! writes, from the same quote, an equivalent HTML page (for wkhtmltopdf) and xlsx workbook (for
//! LibreOffice), plus the texts every PDF must read back. Prints `key=value` lines for the script.
//!
//! `cargo bench --bench peers -- OUT_DIR` (default `target/bench-data/compare`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use salesdesk::domain::money::{Discount, Money, Quantity, TaxRate};
use salesdesk::domain::quote::{QuoteKind, QuoteLine, RevisionStatus};
use salesdesk::domain::rmb::rmb_uppercase;
use salesdesk::service::{DEMO_PASSWORD, DEMO_USERS, Service};

/// The same 20 lines as `benches/documents.rs`.
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

/// The demo office with one draft grown to 20 lines (made once); returns the quote's number.
fn office(db: &Path) -> String {
    let mut svc = Service::open(db).expect("office");
    if svc.needs_first_admin().expect("users") {
        svc.create_demo_office().expect("demo office");
    }
    let head = svc.sign_in("zhaomin", DEMO_PASSWORD).expect("head");
    let quotes = svc.quotes(&head).unwrap();
    let drafts =
        quotes.iter().filter(|s| s.quote.kind == QuoteKind::Quote && s.revision_status == RevisionStatus::Draft);
    let mut draft = drafts.clone().next().expect("a demo draft").clone();
    if let Some(done) =
        drafts.clone().find(|s| svc.quote_view(&head, s.quote.id).unwrap().latest().unwrap().content.lines.len() == 20)
    {
        draft = done.clone();
    } else {
        let author = DEMO_USERS.iter().find(|u| u.1 == draft.quote.author_name).map(|u| u.0).expect("a demo author");
        let r = svc.quote_view(&head, draft.quote.id).unwrap().latest().unwrap().clone();
        let mut content = r.content.clone();
        content.lines = lines(20);
        let actor = svc.sign_in(author, DEMO_PASSWORD).expect("author");
        svc.save_draft(&actor, r.id, r.version, content).expect("20 lines saved");
    }
    draft.quote.number.to_string()
}

/// What the 报价单 shows, read through the service as the PDF is made.
struct Quote {
    company: salesdesk::domain::company::CompanyProfile,
    number: String,
    customer: String,
    customer_address: String,
    contact: String,
    contact_phone: String,
    subject: String,
    salesperson: String,
    lines: Vec<QuoteLine>,
    net: Money,
    tax: Money,
    total: Money,
    upper: String,
    date: String,
    valid_until: String,
    terms: salesdesk::domain::policy::CommercialTerms,
}

fn quote(svc: &mut Service, head: &salesdesk::service::Actor, number: &str) -> Quote {
    let id = svc.quote_by_number(head, number).expect("the draft");
    let view = svc.quote_view(head, id).expect("view");
    let r = view.latest().expect("a revision").clone();
    let customer = svc.customer(head, view.quote.customer).expect("customer");
    let contact = customer.draft.contacts.iter().find(|c| c.primary).or(customer.draft.contacts.first());
    let company = svc.settings(head).expect("settings").company.value;
    let totals = r.content.totals();
    let today = chrono::Local::now().date_naive();
    let until = today + chrono::Duration::days(i64::from(r.content.terms.validity_days));
    Quote {
        company,
        number: format!("{number}-V{}", r.revision),
        customer: customer.draft.name.clone(),
        customer_address: customer.draft.address.clone(),
        contact: contact.map(|c| c.name.clone()).unwrap_or_default(),
        contact_phone: contact
            .map(|c| if c.mobile.is_empty() { c.phone.clone() } else { c.mobile.clone() })
            .unwrap_or_default(),
        subject: view.quote.subject.clone(),
        salesperson: view.quote.author_name.clone(),
        lines: r.content.lines.clone(),
        net: totals.net,
        tax: totals.tax,
        total: totals.total,
        upper: rmb_uppercase(totals.total).expect("大写"),
        date: today.format("%Y年%m月%d日").to_string(),
        valid_until: until.format("%Y年%m月%d日").to_string(),
        terms: r.content.terms.clone(),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A page like the quotation templates of Odoo/ERPNext: header, parties, the table, totals, 大写,
/// terms; in Noto Sans SC, the font SalesDesk embeds (`compare.sh` makes it known to fontconfig).
fn html(q: &Quote) -> String {
    let mut h = String::new();
    let c = &q.company;
    let _ = write!(
        h,
        r#"<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>报价单 {num}</title><style>
body {{ font-family: "Noto Sans SC"; font-size: 10pt; margin: 0; }}
h1 {{ text-align: center; font-size: 18pt; letter-spacing: 0.5em; margin: 8px 0; }}
.company {{ text-align: center; }} .company b {{ font-size: 13pt; }}
table {{ width: 100%; border-collapse: collapse; }}
.parties td {{ width: 50%; vertical-align: top; padding: 1px 4px; }}
.lines th, .lines td {{ border: 0.5pt solid #555; padding: 2px 3px; font-size: 9pt; }}
.lines th {{ background: #eee; }} .r {{ text-align: right; }} .c {{ text-align: center; }}
.totals td {{ padding: 1px 3px; }} .upper {{ border: 0.5pt solid #555; padding: 3px; font-weight: bold; margin-top: 4px; }}
</style></head><body>
<div class="company"><b>{name}</b><br>{address}　电话：{phone}　传真：{fax}</div>
<h1>报价单</h1>
<div>编号：{num}</div>
<table class="parties"><tr><td>致：{customer}<br>地址：{caddr}<br>联系人：{contact}<br>电话：{cphone}<br>项目：{subject}</td>
<td>报价人：{sales}<br>报价日期：{date}<br>有效期至：{until}</td></tr></table>
<table class="lines"><thead><tr><th>序号</th><th>产品名称</th><th>型号规格</th><th>单位</th><th>数量</th><th>单价(元)</th><th>优惠</th><th>金额(元)</th></tr></thead><tbody>
"#,
        num = q.number,
        name = escape(&c.name),
        address = escape(&c.address),
        phone = c.phone,
        fax = c.fax,
        customer = escape(&q.customer),
        caddr = escape(&q.customer_address),
        contact = escape(&q.contact),
        cphone = q.contact_phone,
        subject = escape(&q.subject),
        sales = escape(&q.salesperson),
        date = q.date,
        until = q.valid_until,
    );
    for (i, l) in q.lines.iter().enumerate() {
        let discount = if l.discount.is_zero() { String::new() } else { l.discount.to_string() };
        let _ = writeln!(
            h,
            r#"<tr><td class="c">{}</td><td>{}</td><td>{}</td><td class="c">{}</td><td class="r">{}</td><td class="r">{}</td><td class="r">{}</td><td class="r">{}</td></tr>"#,
            i + 1,
            escape(&l.name),
            escape(&l.model),
            l.unit,
            l.quantity,
            l.unit_price,
            discount,
            l.amount()
        );
    }
    let t = &q.terms;
    let _ = write!(
        h,
        r#"</tbody></table>
<table class="totals"><tr><td class="r" style="width:80%">不含税金额：</td><td class="r">¥{net}</td></tr>
<tr><td class="r">增值税（13%）：</td><td class="r">¥{tax}</td></tr>
<tr><td class="r"><b>价税合计：</b></td><td class="r"><b>¥{total}</b></td></tr></table>
<div class="upper">合计人民币（大写）：{upper}<span style="float:right">（小写）¥{total}</span></div>
<p>商务条款：报价有效期 {validity} 天；交货期：合同生效后 {delivery} 天；付款方式：{payment}；质保期 {warranty} 个月。</p>
<p>开户银行：{bank}　账号：{account}</p>
<p style="margin-top:24px">{name}（盖章）</p>
</body></html>
"#,
        net = q.net,
        tax = q.tax,
        total = q.total,
        upper = q.upper,
        validity = t.validity_days,
        delivery = t.delivery_days,
        payment = escape(&t.payment_schedule),
        warranty = t.warranty_months,
        bank = escape(&c.bank_name),
        account = c.bank_account,
        name = escape(&c.name),
    );
    h
}

/// The same quote as a one-sheet workbook set up to print on A4, one page wide.
fn xlsx(q: &Quote, path: &Path) -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("报价单")?;
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.4, 0.4, 0.5, 0.5, 0.3, 0.3);
    let font = "Noto Sans SC";
    let base = Format::new().set_font_name(font).set_font_size(9);
    let title = base.clone().set_font_size(18).set_bold().set_align(FormatAlign::Center);
    let center = base.clone().set_align(FormatAlign::Center);
    let head = base.clone().set_bold().set_border(FormatBorder::Thin).set_background_color("#EEEEEE");
    let cell = base.clone().set_border(FormatBorder::Thin).set_text_wrap();
    let money = cell.clone().set_num_format("#,##0.00");
    let bold_money = base.clone().set_bold().set_num_format("\"¥\"#,##0.00");
    let widths = [5.0, 30.0, 22.0, 5.0, 6.0, 12.0, 7.0, 14.0];
    for (i, w) in widths.iter().enumerate() {
        ws.set_column_width(i as u16, *w)?;
    }
    let c = &q.company;
    ws.merge_range(0, 0, 0, 7, &c.name, &center.clone().set_bold().set_font_size(13))?;
    ws.merge_range(1, 0, 1, 7, &format!("{}　电话：{}　传真：{}", c.address, c.phone, c.fax), &center)?;
    ws.merge_range(2, 0, 2, 7, "报价单", &title)?;
    ws.write_string_with_format(3, 0, format!("编号：{}", q.number), &base)?;
    let left = [
        format!("致：{}", q.customer),
        format!("地址：{}", q.customer_address),
        format!("联系人：{}", q.contact),
        format!("电话：{}", q.contact_phone),
        format!("项目：{}", q.subject),
    ];
    let right =
        [format!("报价人：{}", q.salesperson), format!("报价日期：{}", q.date), format!("有效期至：{}", q.valid_until)];
    for (i, text) in left.iter().enumerate() {
        ws.merge_range(4 + i as u32, 0, 4 + i as u32, 3, text, &base)?;
    }
    for (i, text) in right.iter().enumerate() {
        ws.merge_range(4 + i as u32, 4, 4 + i as u32, 7, text, &base)?;
    }
    let top = 10;
    for (i, t) in ["序号", "产品名称", "型号规格", "单位", "数量", "单价(元)", "优惠", "金额(元)"].iter().enumerate()
    {
        ws.write_string_with_format(top, i as u16, *t, &head)?;
    }
    for (i, l) in q.lines.iter().enumerate() {
        let r = top + 1 + i as u32;
        let discount = if l.discount.is_zero() { String::new() } else { l.discount.to_string() };
        ws.write_number_with_format(r, 0, (i + 1) as f64, &cell)?;
        ws.write_string_with_format(r, 1, &l.name, &cell)?;
        ws.write_string_with_format(r, 2, &l.model, &cell)?;
        ws.write_string_with_format(r, 3, &l.unit, &cell)?;
        ws.write_string_with_format(r, 4, l.quantity.to_string(), &cell)?;
        ws.write_number_with_format(r, 5, fen(l.unit_price), &money)?;
        ws.write_string_with_format(r, 6, discount, &cell)?;
        ws.write_number_with_format(r, 7, fen(l.amount()), &money)?;
    }
    let mut r = top + 1 + q.lines.len() as u32;
    for (label, value) in [("不含税金额：", q.net), ("增值税（13%）：", q.tax), ("价税合计：", q.total)]
    {
        ws.merge_range(r, 0, r, 6, label, &base.clone().set_align(FormatAlign::Right))?;
        ws.write_number_with_format(r, 7, fen(value), &bold_money)?;
        r += 1;
    }
    ws.merge_range(
        r,
        0,
        r,
        7,
        &format!("合计人民币（大写）：{}　（小写）¥{}", q.upper, q.total),
        &cell.clone().set_bold(),
    )?;
    let t = &q.terms;
    let terms = format!(
        "商务条款：报价有效期 {} 天；交货期：合同生效后 {} 天；付款方式：{}；质保期 {} 个月。",
        t.validity_days, t.delivery_days, t.payment_schedule, t.warranty_months
    );
    ws.merge_range(r + 1, 0, r + 1, 7, &terms, &base.clone().set_text_wrap())?;
    ws.set_row_height(r + 1, 30)?;
    ws.merge_range(r + 2, 0, r + 2, 7, &format!("开户银行：{}　账号：{}", c.bank_name, c.bank_account), &base)?;
    ws.merge_range(r + 4, 4, r + 4, 7, &format!("{}（盖章）", c.name), &base)?;
    wb.save(path)
}

fn fen(m: Money) -> f64 {
    m.fen().unwrap_or(0) as f64 / 100.0
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/bench-data/compare"));
    std::fs::create_dir_all(&out).expect("output folder");
    let db = out.join("compare.db");
    let number = office(&db);
    let mut svc = Service::open(&db).expect("office");
    let head = svc.sign_in("zhaomin", DEMO_PASSWORD).expect("head");
    let id = svc.quote_by_number(&head, &number).expect("the draft");
    let q = quote(&mut svc, &head, &number);

    // In process: the first print parses the fonts (kept for the process's life); then 50.
    let first = svc.print_quote(&head, id, None).expect("print");
    std::fs::write(out.join("salesdesk-inprocess.pdf"), &first.bytes).expect("pdf written");
    let mut ms: Vec<f64> = (0..50)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(svc.print_quote(&head, id, None).expect("print").bytes.len());
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    ms.sort_by(f64::total_cmp);

    std::fs::write(out.join("quote.html"), html(&q)).expect("html written");
    xlsx(&q, &out.join("quote.xlsx")).expect("xlsx written");
    // What each PDF must give back as text (compared without white space).
    let mut expected = vec![q.customer.clone(), format!("¥{}", q.total), q.upper.clone()];
    expected.extend(q.lines.iter().map(|l| l.name.clone()));
    std::fs::write(out.join("expected.txt"), expected.join("\n") + "\n").expect("expected written");

    println!("db={}", db.display());
    println!("quote={number}");
    println!("inprocess_ms={:.2}", ms[ms.len() / 2]);
    println!("inprocess_bytes={}", first.bytes.len());
    println!("dir={}", out.display());
}
