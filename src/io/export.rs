//! Exports: CSV (UTF-8 with BOM, so Excel and WPS show Chinese right) and xlsx, plus the rows of
//! the price table and the customer archive under exactly the headers the imports read, so an
//! export re-imports unchanged, and the rejects of an import as a CSV to fix and import again.
//!
//! Must never: write files (callers do), or change a value on the way out. In xlsx, a column of
//! figures (every cell a plain decimal number of at most 15 significant digits — what a spreadsheet
//! number holds exactly) is written as numbers, money with the `#,##0.00` format, so SUM works in
//! Excel and WPS; a column of dates as dates; everything else as text, so codes, phone and account
//! numbers keep their digits. Identifier columns (编码, 电话, 账号 …) stay text whatever they hold.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::customers::CUSTOMER_COLUMNS;
use super::prices::PRICE_COLUMNS;
use super::table::ColumnSpec;
use super::{ExportError, Reject};
use crate::domain::customer::{Contact, CustomerDraft};
use crate::domain::product::{ProductDraft, format_tech_params};

/// Excel's limits per sheet and per cell.
const MAX_XLSX_ROWS: usize = 1_048_576;
const MAX_CELL_CHARS: usize = 32_767;

/// A CSV file: UTF-8 with BOM, CRLF line ends, cells quoted when they hold `,` `"` or line breaks.
/// Digit strings Excel would mangle (a leading 0, or 12 digits and more, such as bank accounts)
/// are written as `="…"`, which Excel and WPS show as the text and the importer reads back.
pub fn csv_bytes(headers: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = String::from("\u{FEFF}");
    let mut write_line = |cells: &mut dyn Iterator<Item = &str>| {
        let line: Vec<String> = cells.map(csv_cell).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    };
    write_line(&mut headers.iter().copied());
    for row in rows {
        write_line(&mut row.iter().map(String::as_str));
    }
    out.into_bytes()
}

fn csv_cell(text: &str) -> String {
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    if digits && (text.len() >= 12 || (text.len() > 1 && text.starts_with('0'))) {
        return format!("\"=\"\"{text}\"\"\"");
    }
    let needs_quotes = text.contains([',', '"', '\r', '\n']) || text.trim() != text;
    if needs_quotes { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_string() }
}

/// An xlsx workbook with one sheet: bold header row, frozen, columns sized to their content.
pub fn xlsx_bytes(sheet: &str, headers: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, ExportError> {
    if rows.len() >= MAX_XLSX_ROWS {
        return Err(ExportError::TooManyRows(rows.len()));
    }
    for (i, row) in rows.iter().enumerate() {
        if let Some(j) = row.iter().position(|c| c.chars().count() > MAX_CELL_CHARS) {
            return Err(ExportError::CellTooLong { row: i + 2, column: j + 1 });
        }
    }
    let mut workbook = Workbook::new();
    write_sheet(&mut workbook, &sheet_name(sheet), headers, rows).map_err(|e| ExportError::Xlsx(e.to_string()))?;
    workbook.save_to_buffer().map_err(|e| ExportError::Xlsx(e.to_string()))
}

/// How a column's cells are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColumnKind {
    Text,
    /// Figures; `money` when any has exactly two decimals (shown `#,##0.00`).
    Number {
        money: bool,
    },
    /// YYYY-MM-DD dates.
    Date,
}

/// Headers of columns that identify rather than count: always text.
const IDENTIFIERS: &[&str] =
    &["编码", "代码", "编号", "号码", "电话", "手机", "传真", "账号", "邮编", "信用代码", "税号", "code", "phone"];

/// A plain decimal as a spreadsheet holds it exactly: optional minus, no leading zero, at most 15
/// significant digits and 4 decimals.
fn plain_number(text: &str) -> bool {
    let t = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    !int.is_empty()
        && digits(int)
        && digits(frac)
        && frac.len() <= 4
        && !(int.len() > 1 && int.starts_with('0'))
        && int.len() + frac.len() <= 15
        && !t.ends_with('.')
}

/// `1,234,567.50` → `1234567.50` when the commas group thousands properly; else as written.
fn ungroup(text: &str) -> String {
    let (int, frac) = text.split_once('.').map_or((text, None), |(i, f)| (i, Some(f)));
    let body = int.strip_prefix('-').unwrap_or(int);
    let groups: Vec<&str> = body.split(',').collect();
    let grouped = groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    if !grouped {
        return text.to_string();
    }
    let sign = if int.starts_with('-') { "-" } else { "" };
    match frac {
        Some(f) => format!("{sign}{}.{f}", groups.concat()),
        None => format!("{sign}{}", groups.concat()),
    }
}

fn column_kind(header: &str, cells: &mut dyn Iterator<Item = &str>) -> ColumnKind {
    if IDENTIFIERS.iter().any(|k| header.to_lowercase().contains(k)) {
        return ColumnKind::Text;
    }
    let (mut numbers, mut money, mut dates, mut any) = (true, false, true, false);
    for c in cells.filter(|c| !c.is_empty()) {
        any = true;
        let plain = ungroup(c);
        numbers &= plain_number(&plain);
        money |= plain.split_once('.').is_some_and(|(_, f)| f.len() == 2);
        dates &= chrono::NaiveDate::parse_from_str(c, "%Y-%m-%d").is_ok() && c.len() == 10;
    }
    match (any, numbers, dates) {
        (true, true, _) => ColumnKind::Number { money },
        (true, _, true) => ColumnKind::Date,
        _ => ColumnKind::Text,
    }
}

fn write_sheet(workbook: &mut Workbook, name: &str, headers: &[&str], rows: &[Vec<String>]) -> Result<(), XlsxError> {
    let worksheet = workbook.add_worksheet();
    worksheet.set_name(name)?;
    let bold = Format::new().set_bold();
    for (col, title) in (0u16..).zip(headers) {
        worksheet.write_string_with_format(0, col, *title, &bold)?;
    }
    let width = rows.iter().map(Vec::len).chain([headers.len()]).max().unwrap_or(0);
    let kinds: Vec<ColumnKind> = (0..width)
        .map(|col| {
            let header = headers.get(col).copied().unwrap_or("");
            column_kind(header, &mut rows.iter().filter_map(|r| r.get(col)).map(String::as_str))
        })
        .collect();
    let money = Format::new().set_num_format("#,##0.00");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (r, row) in (1u32..).zip(rows) {
        for ((col, text), kind) in (0u16..).zip(row).zip(&kinds) {
            if text.is_empty() {
                continue;
            }
            let plain = ungroup(text);
            match kind {
                // ≤ 15 significant digits: the double is the decimal's exact spreadsheet value.
                ColumnKind::Number { money: true } => match plain.parse::<f64>() {
                    Ok(v) => worksheet.write_number_with_format(r, col, v, &money)?,
                    Err(_) => worksheet.write_string(r, col, text)?,
                },
                ColumnKind::Number { money: false } => match plain.parse::<f64>() {
                    Ok(v) => worksheet.write_number(r, col, v)?,
                    Err(_) => worksheet.write_string(r, col, text)?,
                },
                ColumnKind::Date => match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                    Ok(d) => {
                        use chrono::Datelike;
                        let day = rust_xlsxwriter::ExcelDateTime::from_ymd(
                            u16::try_from(d.year()).unwrap_or(1900),
                            d.month() as u8,
                            d.day() as u8,
                        )?;
                        worksheet.write_datetime_with_format(r, col, &day, &date)?
                    }
                    Err(_) => worksheet.write_string(r, col, text)?,
                },
                ColumnKind::Text => worksheet.write_string(r, col, text)?,
            };
        }
    }
    worksheet.set_freeze_panes(1, 0)?;
    let columns = rows.iter().map(Vec::len).chain([headers.len()]).max().unwrap_or(0);
    for col in 0..columns {
        let cells = headers
            .get(col)
            .copied()
            .into_iter()
            .chain(rows.iter().take(2000).filter_map(|r| r.get(col)).map(String::as_str));
        let width = cells.map(display_width).max().unwrap_or(0).clamp(6, 50) + 2;
        worksheet.set_column_width(u16::try_from(col).unwrap_or(u16::MAX), width as f64)?;
    }
    Ok(())
}

/// Width in Excel character units: CJK characters count double; the longest line of the cell.
fn display_width(text: &str) -> usize {
    text.lines().map(|line| line.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()).max().unwrap_or(0)
}

/// Excel refuses sheet names longer than 31 characters or with `[ ] : * ? / \`.
fn sheet_name(wanted: &str) -> String {
    let cleaned: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(31)
        .collect::<String>()
        .trim_matches(['\'', ' '])
        .to_string();
    if cleaned.is_empty() { "Sheet1".to_string() } else { cleaned }
}

/// Header names of `keys`, as the import spells them first.
fn column_names(specs: &[ColumnSpec], keys: &[&str]) -> Vec<&'static str> {
    keys.iter().filter_map(|k| specs.iter().find(|s| s.key == *k)).map(ColumnSpec::name).collect()
}

/// The price table under the import's column names (最低限价 only `with_floor`: it is not for
/// every reader's eyes).
pub fn price_table_rows(products: &[ProductDraft], with_floor: bool) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let mut keys = vec!["code", "name", "model", "unit", "category", "list_price"];
    if with_floor {
        keys.push("floor_price");
    }
    keys.extend(["tax_rate", "params", "active"]);
    let rows = products
        .iter()
        .map(|p| {
            let mut row = vec![
                p.code.clone(),
                p.name.clone(),
                p.model.clone(),
                p.unit.clone(),
                p.category.clone(),
                p.list_price.to_plain_string(),
            ];
            if with_floor {
                row.push(p.floor_price.map(|f| f.to_plain_string()).unwrap_or_default());
            }
            let status = if p.active { "启用" } else { "停用" };
            row.extend([p.tax_rate.to_string(), format_tech_params(&p.params), status.to_string()]);
            row
        })
        .collect();
    (column_names(PRICE_COLUMNS, &keys), rows)
}

/// The customer archive under the import's column names: one row per contact with the customer's
/// cells repeated (the import joins them again), one row for a customer without contacts.
pub fn customer_rows(customers: &[(CustomerDraft, String)]) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let keys: Vec<&str> = CUSTOMER_COLUMNS.iter().map(|s| s.key).collect();
    let mut rows = Vec::new();
    for (customer, owner) in customers {
        let no_contact = [Contact::default()];
        let contacts = if customer.contacts.is_empty() { &no_contact[..] } else { &customer.contacts[..] };
        for contact in contacts {
            rows.push(keys.iter().map(|k| customer_cell(customer, contact, owner, k)).collect());
        }
    }
    (column_names(CUSTOMER_COLUMNS, &keys), rows)
}

fn customer_cell(c: &CustomerDraft, contact: &Contact, owner: &str, key: &str) -> String {
    let text: &str = match key {
        "name" => &c.name,
        "short_name" => &c.short_name,
        "credit_code" => &c.credit_code,
        "grade" => c.grade.code(),
        "source" => &c.source,
        "industry" => &c.industry,
        "province" => &c.province,
        "city" => &c.city,
        "address" => &c.address,
        "phone" => &c.phone,
        "contact_name" => &contact.name,
        "contact_title" => &contact.title,
        "contact_mobile" => &contact.mobile,
        "contact_phone" => &contact.phone,
        "contact_email" => &contact.email,
        "contact_wechat" => &contact.wechat,
        "contact_primary" if contact.name.is_empty() => "",
        "contact_primary" => {
            if contact.primary {
                "是"
            } else {
                "否"
            }
        }
        "invoice_title" => &c.invoice.title,
        "invoice_address_phone" => &c.invoice.address_phone,
        "bank_name" => &c.invoice.bank_name,
        "bank_account" => &c.invoice.bank_account,
        "owner" => owner,
        "notes" => &c.notes,
        _ => "",
    };
    text.to_string()
}

/// The rejected rows as a CSV to fix and import again: 行号 and 问题 first, then the row's
/// original cells under the original headers.
pub fn rejects_csv(headers: &[String], rejects: &[Reject]) -> Vec<u8> {
    let width = rejects.iter().map(|r| r.cells.len()).chain([headers.len()]).max().unwrap_or(0);
    let mut all_headers: Vec<&str> = vec!["行号", "问题"];
    all_headers.extend((0..width).map(|i| headers.get(i).map_or("", String::as_str)));
    let rows: Vec<Vec<String>> = rejects
        .iter()
        .map(|r| {
            let mut row = vec![r.row.to_string(), format!("{}：{}", r.column, r.reason)];
            row.extend((0..width).map(|i| r.cells.get(i).cloned().unwrap_or_default()));
            row
        })
        .collect();
    csv_bytes(&all_headers, &rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_numbers_and_codes_phones_and_dates_keep_their_form() {
        use calamine::{Data, Reader, Xlsx};
        let headers = ["产品编码", "名称", "含税单价", "数量", "电话", "日期", "备注"];
        let rows = vec![
            vec![
                "0012".into(),
                "干式变压器".into(),
                "186000.00".into(),
                "2".into(),
                "13800138000".into(),
                "2026-12-05".into(),
                "".into(),
            ],
            vec![
                "SCB13-100".into(),
                "电缆".into(),
                "1,234.50".into(),
                "10".into(),
                "0512-66881200".into(),
                "2026-01-31".into(),
                "急".into(),
            ],
        ];
        let bytes = xlsx_bytes("测试", &headers, &rows).unwrap();
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("测试").unwrap();
        let cell = |r: usize, c: usize| range.get((r, c)).cloned().unwrap_or(Data::Empty);
        assert_eq!(cell(1, 0), Data::String("0012".into()), "a code stays text");
        assert_eq!(cell(1, 2), Data::Float(186000.0), "money is a number");
        assert_eq!(cell(2, 2), Data::Float(1234.5), "grouped money too");
        assert_eq!(cell(1, 3), Data::Float(2.0));
        assert_eq!(cell(1, 4), Data::String("13800138000".into()), "a phone stays text");
        assert!(matches!(cell(1, 5), Data::DateTime(_)), "a date is a date: {:?}", cell(1, 5));
        assert_eq!(cell(2, 6), Data::String("急".into()));
        assert_eq!(ungroup("12,34"), "12,34", "not a thousands grouping");
        assert!(!plain_number("1.2.3") && !plain_number("007") && plain_number("0.5") && plain_number("-12"));
    }
    use crate::domain::customer::{Grade, InvoiceInfo};
    use crate::domain::money::{Money, TaxRate};
    use crate::domain::product::parse_tech_params;
    use crate::io::table::read_table;
    use crate::io::{parse_customers, parse_price_table};

    fn m(text: &str) -> Money {
        Money::parse(text).expect("test amount")
    }

    fn products() -> Vec<ProductDraft> {
        let mut list = vec![
            ProductDraft {
                code: "SCB13-1000".into(),
                name: "干式变压器".into(),
                model: "SCB13-1000/10".into(),
                category: "变压器".into(),
                list_price: m("186000"),
                floor_price: Some(m("162000.50")),
                params: parse_tech_params("额定容量:1000kVA; 联结组别:Dyn11").expect("params"),
                ..Default::default()
            },
            ProductDraft {
                code: "YJV-3X95".into(),
                name: "电力电缆, 铜芯 \"国标\"".into(),
                unit: "米".into(),
                list_price: m("1234.5"),
                tax_rate: TaxRate::RATE_9,
                active: false,
                ..Default::default()
            },
            ProductDraft {
                code: "00123".into(),
                name: "服务费".into(),
                unit: "项".into(),
                list_price: m("0.01"),
                tax_rate: TaxRate::RATE_6,
                ..Default::default()
            },
        ];
        for p in &mut list {
            assert!(p.validate().is_empty(), "{p:?}");
        }
        list
    }

    fn customers() -> Vec<(CustomerDraft, String)> {
        let mut with_contacts = CustomerDraft {
            name: "重庆渝能电力设备有限公司".into(),
            short_name: "渝能".into(),
            credit_code: "91350100M000100Y43".into(),
            grade: Grade::A,
            source: "展会".into(),
            industry: "电力".into(),
            province: "重庆".into(),
            city: "渝北区".into(),
            address: "重庆市渝北区金开大道 88 号".into(),
            phone: "023-67891234".into(),
            invoice: InvoiceInfo {
                title: "重庆渝能电力设备有限公司".into(),
                address_phone: "重庆市渝北区金开大道88号 023-67891234".into(),
                bank_name: "中国工商银行重庆渝北支行".into(),
                bank_account: "3100020119200012345".into(),
            },
            notes: "年度框架协议，\n每季度回访".into(),
            contacts: vec![
                Contact {
                    name: "张伟".into(),
                    title: "采购经理".into(),
                    mobile: "13951100001".into(),
                    ..Default::default()
                },
                Contact {
                    name: "李娜".into(),
                    phone: "023-67891235转801".into(),
                    email: "lina@yuneng.cn".into(),
                    wechat: "lina_cq".into(),
                    primary: true,
                    ..Default::default()
                },
            ],
        };
        let mut without_contacts =
            CustomerDraft { name: "国网重庆市电力公司".into(), grade: Grade::B, ..Default::default() };
        assert!(with_contacts.validate().is_empty());
        assert!(without_contacts.validate().is_empty());
        vec![(with_contacts, "李四".into()), (without_contacts, String::new())]
    }

    fn reimported_products(bytes: &[u8], name: &str) -> Vec<ProductDraft> {
        let parsed = parse_price_table(bytes, name).expect("re-import");
        assert!(parsed.rejects.is_empty(), "{:?}", parsed.rejects);
        parsed.rows.into_iter().map(|r| r.value).collect()
    }

    #[test]
    fn a_price_table_export_reimports_unchanged_from_csv_and_xlsx() {
        let (headers, rows) = price_table_rows(&products(), true);
        assert_eq!(
            headers,
            ["产品编码", "产品名称", "型号规格", "单位", "类别", "含税单价", "最低限价", "税率", "技术参数", "状态"]
        );
        assert_eq!(reimported_products(&csv_bytes(&headers, &rows), "价格表.csv"), products());
        let xlsx = xlsx_bytes("价格表", &headers, &rows).expect("xlsx");
        assert_eq!(reimported_products(&xlsx, "价格表.xlsx"), products());
    }

    #[test]
    fn a_price_table_without_floor_prices_reimports_without_them() {
        let (headers, rows) = price_table_rows(&products(), false);
        assert!(!headers.contains(&"最低限价"));
        let back = reimported_products(&csv_bytes(&headers, &rows), "价格表.csv");
        let expected: Vec<ProductDraft> =
            products().into_iter().map(|p| ProductDraft { floor_price: None, ..p }).collect();
        assert_eq!(back, expected);
    }

    fn reimported_customers(bytes: &[u8], name: &str) -> Vec<(CustomerDraft, String)> {
        let parsed = parse_customers(bytes, name).expect("re-import");
        assert!(parsed.rejects.is_empty(), "{:?}", parsed.rejects);
        parsed.rows.into_iter().map(|r| (r.value.draft, r.value.owner_login)).collect()
    }

    #[test]
    fn a_customer_export_reimports_unchanged_from_csv_and_xlsx() {
        let (headers, rows) = customer_rows(&customers());
        assert_eq!(rows.len(), 3, "two contacts, and one row for the customer without any");
        assert_eq!(headers[0], "客户名称");
        assert_eq!(reimported_customers(&csv_bytes(&headers, &rows), "客户.csv"), customers());
        let xlsx = xlsx_bytes("客户资料", &headers, &rows).expect("xlsx");
        assert_eq!(reimported_customers(&xlsx, "客户.xlsx"), customers());
    }

    #[test]
    fn csv_has_a_bom_and_quotes_what_needs_it() {
        let bytes = csv_bytes(&["编码", "名称"], &[vec!["A1".into(), "电缆, \"铜芯\"\n国标".into()]]);
        let text = String::from_utf8(bytes).expect("utf-8");
        assert_eq!(text, "\u{FEFF}编码,名称\r\nA1,\"电缆, \"\"铜芯\"\"\n国标\"\r\n");
    }

    #[test]
    fn csv_protects_digit_strings_excel_would_mangle() {
        let bytes = csv_bytes(
            &["账号", "编码", "手机", "金额"],
            &[vec!["3100020119200012345".into(), "00123".into(), "13800138000".into(), "0".into()]],
        );
        let text = String::from_utf8(bytes.clone()).expect("utf-8");
        assert!(text.ends_with("\"=\"\"3100020119200012345\"\"\",\"=\"\"00123\"\"\",13800138000,0\r\n"), "{text}");
        let table = read_table(&bytes, "a.csv").expect("read back");
        assert_eq!(table.rows[1].cells, vec!["3100020119200012345", "00123", "13800138000", "0"]);
    }

    #[test]
    fn xlsx_export_reads_back_with_its_header_first() {
        let rows = vec![vec!["A1".into(), "".into(), "第一行\n第二行".into()], vec!["B2".into()]];
        let bytes = xlsx_bytes("价格表[2026]/上半年:*?", &["编码", "名称", "备注"], &rows).expect("xlsx");
        let table = read_table(&bytes, "a.xlsx").expect("read back");
        let read: Vec<Vec<&str>> = table.rows.iter().map(|r| r.cells.iter().map(String::as_str).collect()).collect();
        assert_eq!(read, vec![vec!["编码", "名称", "备注"], vec!["A1", "", "第一行\n第二行"], vec!["B2", "", ""]]);
        assert_eq!(sheet_name("价格表[2026]/上半年"), "价格表_2026__上半年");
        assert_eq!(sheet_name("'' "), "Sheet1");
        assert_eq!(sheet_name(&"长".repeat(40)).chars().count(), 31);
    }

    #[test]
    fn an_xlsx_cell_over_excels_limit_is_refused_by_row_and_column() {
        let rows = vec![vec!["A1".into()], vec!["B2".into(), "x".repeat(40_000)]];
        assert_eq!(xlsx_bytes("s", &["编码", "备注"], &rows), Err(ExportError::CellTooLong { row: 3, column: 2 }));
    }

    #[test]
    fn rejects_csv_keeps_the_cells_so_fixed_rows_import() {
        let file = "价格表\n产品编码,产品名称,含税单价（元）,备注\nA1,变压器,面议,急\nA2,电缆,88\n";
        let parsed = parse_price_table(file.as_bytes(), "a.csv").expect("parsed");
        let bytes = rejects_csv(&parsed.headers, &parsed.rejects);
        let text = String::from_utf8(bytes.clone()).expect("utf-8");
        let mut lines = text.trim_start_matches('\u{FEFF}').lines();
        assert_eq!(lines.next(), Some("行号,问题,产品编码,产品名称,含税单价（元）,备注"));
        let line = lines.next().expect("reject line");
        assert!(line.starts_with("3,含税单价（元）：“面议”不是金额"), "{line}");
        assert!(line.ends_with(",A1,变压器,面议,急"), "{line}");
        // Re-importing the rejects as they are rejects them again; fixed, they import.
        let again = parse_price_table(&bytes, "rejects.csv").expect("re-import");
        assert_eq!((again.rows.len(), again.rejects.len()), (0, 1));
        let fixed = text.replace(",面议,", ",95000,");
        let fixed = parse_price_table(fixed.as_bytes(), "rejects.csv").expect("fixed");
        assert_eq!(fixed.rows[0].value.list_price, m("95000"));
    }

    #[test]
    fn customer_rows_mark_the_main_contact() {
        let (headers, rows) = customer_rows(&customers());
        let primary = headers.iter().position(|h| *h == "主要联系人").expect("column");
        let marks: Vec<&str> = rows.iter().map(|r| r[primary].as_str()).collect();
        assert_eq!(marks, vec!["否", "是", ""]);
    }
}
