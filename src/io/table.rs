//! Any spreadsheet the office sends, read into rows of trimmed text cells: xlsx (and ods) by the
//! ZIP signature whatever the extension, old binary xls, and delimited text (CSV or tab-separated)
//! in UTF-8, UTF-8 with BOM, UTF-16 (Excel's “Unicode 文本”) or GBK.
//!
//! Must never: read files (the caller passes bytes), panic on garbage, or turn a cell into
//! something else than what the user sees in Excel (whole numbers without “.0”, dates as
//! YYYY-MM-DD).

use std::io::Cursor;

use calamine::{Data, Ods, Range, Reader, SheetType, SheetVisible, Xls, XlsError, Xlsx, XlsxError};
use encoding_rs::{GBK, UTF_16BE, UTF_16LE};

use super::ImportError;
pub use super::header::{ColumnSpec, Header, locate_header};

/// One non-blank row of the sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRow {
    /// 1-based row number as the user sees it in Excel/WPS.
    pub number: usize,
    /// Trimmed cell texts, from the first used column.
    pub cells: Vec<String>,
}

impl RawRow {
    /// The cell at `index`, empty when the row is shorter.
    pub fn cell(&self, index: usize) -> &str {
        self.cells.get(index).map_or("", String::as_str)
    }
}

/// The non-blank rows of the first non-empty sheet (blank rows are left out; the numbers stay
/// the sheet's).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawTable {
    pub rows: Vec<RawRow>,
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// Signatures of files people pick by mistake: PDF, PNG, JPEG, GIF, RAR, 7z, gzip, empty ZIP.
const OTHER_MAGICS: &[&[u8]] =
    &[b"%PDF", b"\x89PNG", b"\xFF\xD8\xFF", b"GIF8", b"Rar!", b"7z\xBC\xAF", b"\x1F\x8B", b"PK\x05\x06"];

/// Reads a spreadsheet from its bytes; `file_name` only helps with the format (`.tsv`).
pub fn read_table(bytes: &[u8], file_name: &str) -> Result<RawTable, ImportError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::Empty);
    }
    let table = if bytes.starts_with(ZIP_MAGIC) {
        read_zip_workbook(bytes)?
    } else if bytes.starts_with(CFB_MAGIC) {
        read_xls(bytes)?
    } else if OTHER_MAGICS.iter().any(|m| bytes.starts_with(m)) {
        return Err(ImportError::NotASpreadsheet);
    } else {
        read_text(bytes, file_name)?
    };
    if table.rows.is_empty() { Err(ImportError::Empty) } else { Ok(table) }
}

// ---------------------------------------------------------------------------------------------
// Workbooks

/// xlsx (also xlsm), or an OpenDocument sheet, which is a ZIP too.
fn read_zip_workbook(bytes: &[u8]) -> Result<RawTable, ImportError> {
    match calamine::open_workbook_from_rs::<Xlsx<_>, _>(Cursor::new(bytes)) {
        // calamine opens a ZIP without a workbook part as a workbook without sheets.
        Ok(workbook) if workbook.sheet_names().is_empty() => Err(ImportError::NotASpreadsheet),
        Ok(mut workbook) => first_non_empty_sheet(&mut workbook).map_err(xlsx_error),
        Err(xlsx_err) => match calamine::open_workbook_from_rs::<Ods<_>, _>(Cursor::new(bytes)) {
            Ok(mut workbook) => first_non_empty_sheet(&mut workbook).map_err(|e| ImportError::Xlsx(e.to_string())),
            // A ZIP that is neither (a .docx, an archive) is not a spreadsheet.
            Err(_) if matches!(xlsx_err, XlsxError::FileNotFound(_)) => Err(ImportError::NotASpreadsheet),
            Err(_) => Err(xlsx_error(xlsx_err)),
        },
    }
}

fn xlsx_error(e: XlsxError) -> ImportError {
    match e {
        XlsxError::Password => ImportError::Password,
        other => ImportError::Xlsx(other.to_string()),
    }
}

/// Old binary Excel (BIFF8). The same container also holds password-protected xlsx files.
fn read_xls(bytes: &[u8]) -> Result<RawTable, ImportError> {
    let encrypted_marker: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
    if bytes.windows(encrypted_marker.len()).any(|w| w == encrypted_marker.as_slice()) {
        return Err(ImportError::Password);
    }
    let mut workbook = calamine::open_workbook_from_rs::<Xls<_>, _>(Cursor::new(bytes)).map_err(xls_error)?;
    first_non_empty_sheet(&mut workbook).map_err(xls_error)
}

fn xls_error(e: XlsError) -> ImportError {
    match e {
        XlsError::Password => ImportError::Password,
        other => ImportError::Xls(other.to_string()),
    }
}

/// The first visible worksheet with any content; hidden sheets only when nothing else has any.
fn first_non_empty_sheet<R, RS>(workbook: &mut R) -> Result<RawTable, R::Error>
where
    R: Reader<RS>,
    RS: std::io::Read + std::io::Seek,
{
    let sheets: Vec<(String, bool)> = workbook
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| (s.name.clone(), s.visible == SheetVisible::Visible))
        .collect();
    let visible_first = sheets.iter().filter(|(_, v)| *v).chain(sheets.iter().filter(|(_, v)| !*v));
    for (name, _) in visible_first {
        let table = range_to_table(&workbook.worksheet_range(name)?);
        if !table.rows.is_empty() {
            return Ok(table);
        }
    }
    Ok(RawTable::default())
}

fn range_to_table(range: &Range<Data>) -> RawTable {
    let Some((first_row, _)) = range.start() else {
        return RawTable::default();
    };
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| RawRow { number: first_row as usize + i + 1, cells: cells.iter().map(cell_text).collect() })
        .filter(|row| row.cells.iter().any(|c| !c.is_empty()))
        .collect();
    RawTable { rows }
}

/// A cell as Excel shows it, give or take formatting: 18600 (not 18600.0), 1234.5, 2026-03-01.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => String::from(if *b { "TRUE" } else { "FALSE" }),
        Data::DateTime(dt) if dt.is_duration() => number_text(dt.as_f64()),
        Data::DateTime(dt) => {
            let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
            if (hh, mm, ss) == (0, 0, 0) {
                format!("{y:04}-{m:02}-{d:02}")
            } else {
                format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}")
            }
        }
        Data::DateTimeIso(s) => s.strip_suffix("T00:00:00").unwrap_or(s).replace('T', " "),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// Numbers to at most 15 significant digits, as Excel displays them, so a computed
/// 1234.5600000000002 reads 1234.56 and 18600.0 reads 18600.
fn number_text(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    if value.fract() == 0.0 && value.abs() < 1e15 {
        return format!("{value:.0}");
    }
    let rounded: f64 = format!("{value:.14e}").parse().unwrap_or(value);
    rounded.to_string()
}

// ---------------------------------------------------------------------------------------------
// Delimited text

fn read_text(bytes: &[u8], file_name: &str) -> Result<RawTable, ImportError> {
    let text = decode_text(bytes)?;
    let head = text.get(..text.len().min(2048)).unwrap_or("").trim_start().to_ascii_lowercase();
    if head.starts_with("<!doctype html") || head.starts_with("<html") || head.contains("<table") {
        return Err(ImportError::HtmlTable);
    }
    Ok(parse_delimited(&text, detect_delimiter(&text, file_name)))
}

/// UTF-8 (with or without BOM), UTF-16 with BOM, else GBK; binary data is refused.
fn decode_text(bytes: &[u8]) -> Result<String, ImportError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8(rest.to_vec()).map_err(|e| encoding_error(&rest[..e.utf8_error().valid_up_to()]));
    }
    for (bom, encoding) in [(b"\xFF\xFE", UTF_16LE), (b"\xFE\xFF", UTF_16BE)] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, had_errors) = encoding.decode_without_bom_handling(rest);
            return if had_errors { Err(encoding_error_in(&text)) } else { Ok(text.into_owned()) };
        }
    }
    if looks_binary(bytes) {
        return Err(ImportError::NotASpreadsheet);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_string());
    }
    let (text, had_errors) = GBK.decode_without_bom_handling(bytes);
    if had_errors { Err(encoding_error_in(&text)) } else { Ok(text.into_owned()) }
}

/// Text never holds NUL, and control characters other than tab, line breaks, form feed and the
/// old DOS end-of-file mark are rare; more than 1 % of them means binary data.
fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(8192)];
    let controls = sample.iter().filter(|b| b.is_ascii_control() && !b"\t\n\r\x0C\x1A".contains(b)).count();
    sample.contains(&0) || controls * 100 > sample.len()
}

/// Encoding error for UTF-8 that broke after `valid_prefix`.
fn encoding_error(valid_prefix: &[u8]) -> ImportError {
    ImportError::Encoding { line: valid_prefix.iter().filter(|b| **b == b'\n').count() + 1 }
}

/// Encoding error at the first replacement character of a lossy decode.
fn encoding_error_in(text: &str) -> ImportError {
    let before = text.split('\u{FFFD}').next().unwrap_or("");
    ImportError::Encoding { line: before.matches('\n').count() + 1 }
}

/// Tab when the file says so (.tsv) or when the first lines hold at least as many tabs as commas.
fn detect_delimiter(text: &str, file_name: &str) -> char {
    if file_name.to_lowercase().ends_with(".tsv") {
        return '\t';
    }
    let sample = text.lines().filter(|l| !l.trim().is_empty()).take(20);
    let (tabs, commas) =
        sample.fold((0, 0), |(t, c), line| (t + line.matches('\t').count(), c + line.matches(',').count()));
    if tabs > 0 && tabs >= commas { '\t' } else { ',' }
}

/// Rows numbered as Excel numbers them when it opens the file: one per record, blank lines
/// included, with line breaks inside quoted cells staying inside their row.
fn parse_delimited(text: &str, delimiter: char) -> RawTable {
    let rows = split_records(text, delimiter)
        .into_iter()
        .enumerate()
        .map(|(i, fields)| RawRow { number: i + 1, cells: fields.iter().map(|f| text_cell(f)).collect() })
        .filter(|row| row.cells.iter().any(|c| !c.is_empty()))
        .collect();
    RawTable { rows }
}

/// Splits delimited text into records the way Excel reads CSV: a cell starting with `"` is
/// quoted and may hold delimiters, doubled quotes and line breaks; any other line break (LF, CRLF
/// or CR) ends the record. An unterminated quote runs to the end of the file.
fn split_records(text: &str, delimiter: char) -> Vec<Vec<String>> {
    let (mut records, mut record, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut in_quotes, mut at_field_start) = (false, true);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\r' if chars.peek() == Some(&'\n') => {}
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if at_field_start => in_quotes = true,
            '\r' if chars.peek() == Some(&'\n') => continue,
            '\n' | '\r' => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            c if c == delimiter => record.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
        at_field_start = matches!(c, '\n' | '\r') || c == delimiter;
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

/// Trims a text cell and unwraps `="00123"`, which some systems write to keep leading zeros.
fn text_cell(field: &str) -> String {
    let t = field.trim();
    t.strip_prefix("=\"").and_then(|s| s.strip_suffix('"')).unwrap_or(t).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::{Format, Workbook, XlsxError};

    fn cells(table: &RawTable) -> Vec<(usize, Vec<&str>)> {
        table.rows.iter().map(|r| (r.number, r.cells.iter().map(String::as_str).collect())).collect()
    }

    const PRICE_CSV: &str = "华东电气2026年价格表,,\r\n产品编码,产品名称,含税单价\r\nSCB13,重庆变压器,\"1,234.50\"\r\n";

    fn expected_price_rows() -> Vec<(usize, Vec<&'static str>)> {
        vec![
            (1, vec!["华东电气2026年价格表", "", ""]),
            (2, vec!["产品编码", "产品名称", "含税单价"]),
            (3, vec!["SCB13", "重庆变压器", "1,234.50"]),
        ]
    }

    #[test]
    fn utf8_csv_with_and_without_bom_reads_the_same() {
        let plain = read_table(PRICE_CSV.as_bytes(), "a.csv").expect("utf-8");
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), PRICE_CSV.as_bytes()].concat();
        assert_eq!(cells(&plain), expected_price_rows());
        assert_eq!(read_table(&with_bom, "a.csv").expect("bom"), plain);
    }

    #[test]
    fn gbk_csv_is_decoded() {
        let (gbk, _, unmappable) = GBK.encode(PRICE_CSV);
        assert!(!unmappable);
        assert_eq!(cells(&read_table(&gbk, "价格表.csv").expect("gbk")), expected_price_rows());
    }

    #[test]
    fn utf16_unicode_text_from_excel_is_decoded() {
        let tsv = "华东电气2026年价格表\t\t\r\n产品编码\t产品名称\t含税单价\r\nSCB13\t重庆变压器\t1,234.50\r\n";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(tsv.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(cells(&read_table(&bytes, "价格表.txt").expect("utf-16")), expected_price_rows());
    }

    #[test]
    fn tab_separated_text_is_detected() {
        let text = "产品编码\t产品名称\t含税单价\nA1\t电缆, 铜芯\t1,234.50\n";
        let table = read_table(text.as_bytes(), "export.txt").expect("tsv");
        assert_eq!(cells(&table)[1], (2, vec!["A1", "电缆, 铜芯", "1,234.50"]));
    }

    #[test]
    fn text_that_is_neither_utf8_nor_gbk_is_an_encoding_error() {
        // Valid GBK lead bytes followed by bytes that cannot trail them, on the second line.
        let bytes = b"code,name\n\x81\x20x,y\n";
        assert_eq!(read_table(bytes, "a.csv"), Err(ImportError::Encoding { line: 2 }));
        let broken_after_bom = b"\xEF\xBB\xBFa,b\n\xFF\n";
        assert_eq!(read_table(broken_after_bom, "a.csv"), Err(ImportError::Encoding { line: 2 }));
    }

    #[test]
    fn empty_files_are_empty() {
        assert_eq!(read_table(b"", "a.csv"), Err(ImportError::Empty));
        assert_eq!(read_table(b" \r\n\r\n", "a.csv"), Err(ImportError::Empty));
        assert_eq!(read_table(b"\xEF\xBB\xBF", "a.csv"), Err(ImportError::Empty));
        assert_eq!(read_table(b",,,\r\n,,\r\n", "a.csv"), Err(ImportError::Empty));
        let mut workbook = Workbook::new();
        workbook.add_worksheet();
        let empty_xlsx = workbook.save_to_buffer().expect("empty workbook");
        assert_eq!(read_table(&empty_xlsx, "a.xlsx"), Err(ImportError::Empty));
    }

    #[test]
    fn pictures_pdfs_and_random_bytes_are_not_spreadsheets() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
        assert_eq!(read_table(png, "价格表.xlsx"), Err(ImportError::NotASpreadsheet));
        assert_eq!(read_table(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a.csv"), Err(ImportError::NotASpreadsheet));
        let mut state: u32 = 2_463_534_242;
        let random: Vec<u8> = (0..4096)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                state.to_le_bytes()[0]
            })
            .collect();
        assert_eq!(read_table(&random, "a.csv"), Err(ImportError::NotASpreadsheet));
        assert_eq!(
            read_table(b"PK\x03\x04garbage", "a.xlsx").map_err(|e| matches!(e, ImportError::Xlsx(_))),
            Err(true)
        );
    }

    #[test]
    fn a_zip_that_is_no_workbook_is_not_a_spreadsheet() {
        // An xlsx with its workbook part renamed is just a ZIP archive of XML files.
        let mut workbook = Workbook::new();
        workbook.add_worksheet();
        let mut bytes = workbook.save_to_buffer().expect("workbook");
        let mut renamed = 0;
        while let Some(i) = bytes.windows(15).position(|w| w == b"xl/workbook.xml") {
            bytes[i..i + 15].copy_from_slice(b"xl/notebook.xml");
            renamed += 1;
        }
        assert!(renamed > 0);
        assert_eq!(read_table(&bytes, "a.xlsx"), Err(ImportError::NotASpreadsheet));
    }

    #[test]
    fn damaged_files_give_errors_not_panics() {
        let mut workbook = Workbook::new();
        write_numbers_sheet(&mut workbook).expect("sheet");
        let xlsx = workbook.save_to_buffer().expect("workbook");
        let csv = "编码,名称\n\"A1,\"\"x\n\r\"\"\r".as_bytes().to_vec();
        for original in [xlsx, csv] {
            for step in 0..300usize {
                let mut bytes = original.clone();
                let at = (step * 7919) % bytes.len();
                bytes[at] ^= 0x5A;
                bytes.truncate(bytes.len() - (step % 5) * (bytes.len() / 10));
                let _ = read_table(&bytes, "damaged.xlsx");
            }
        }
    }

    #[test]
    fn an_old_xls_that_cannot_be_read_asks_for_xlsx() {
        let mut bytes = CFB_MAGIC.to_vec();
        bytes.extend([0u8; 600]);
        let err = read_table(&bytes, "价格表.xls").expect_err("broken xls");
        assert!(matches!(err, ImportError::Xls(_)), "{err:?}");
        assert!(err.to_string().contains("另存为 .xlsx"));
    }

    #[test]
    fn html_saved_as_xls_is_explained() {
        let html = "<html><body><table><tr><td>产品编码</td></tr></table></body></html>";
        assert_eq!(read_table(html.as_bytes(), "导出.xls"), Err(ImportError::HtmlTable));
    }

    #[test]
    fn csv_row_numbers_count_blank_lines_and_keep_line_breaks_inside_cells() {
        let text = "标题\n\n编码,备注\nA1,\"第一行\n第二行\"\n\nB2,x\n";
        let table = read_table(text.as_bytes(), "a.csv").expect("csv");
        let numbers: Vec<usize> = table.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, vec![1, 3, 4, 6]);
        assert_eq!(table.rows[2].cells[1], "第一行\n第二行");
    }

    #[test]
    fn cells_are_trimmed_and_protected_numbers_unwrapped() {
        let table = read_table("编码 , 名称\n=\"00123\",  电缆 \n".as_bytes(), "a.csv").expect("csv");
        assert_eq!(table.rows[1].cells, vec!["00123", "电缆"]);
    }

    fn write_numbers_sheet(workbook: &mut Workbook) -> Result<(), XlsxError> {
        let hidden = workbook.add_worksheet();
        hidden.set_name("说明")?;
        let sheet = workbook.add_worksheet();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        sheet.write_string(4, 2, "  整数 ")?;
        sheet.write_number(4, 3, 18600.0)?;
        sheet.write_number(4, 4, 1234.5)?;
        sheet.write_number(4, 5, 0.1 + 0.2)?;
        sheet.write_datetime_with_format(4, 6, rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 3, 1)?, &date)?;
        sheet.write_boolean(4, 7, true)?;
        sheet.write_number(6, 2, 13_800_138_000.0)?;
        Ok(())
    }

    #[test]
    fn xlsx_numbers_dates_and_row_numbers_read_as_excel_shows_them() {
        let mut workbook = Workbook::new();
        write_numbers_sheet(&mut workbook).expect("sheet");
        let bytes = workbook.save_to_buffer().expect("workbook");
        // The extension does not matter: the ZIP signature does.
        let table = read_table(&bytes, "export.csv").expect("xlsx");
        assert_eq!(
            cells(&table),
            vec![
                (5, vec!["整数", "18600", "1234.5", "0.3", "2026-03-01", "TRUE"]),
                (7, vec!["13800138000", "", "", "", "", ""]),
            ]
        );
    }

    #[test]
    fn numbers_print_like_excel() {
        assert_eq!(number_text(18600.0), "18600");
        assert_eq!(number_text(-5.0), "-5");
        assert_eq!(number_text(1234.5), "1234.5");
        assert_eq!(number_text(1234.56 * 3.0), "3703.68");
        assert_eq!(number_text(0.13), "0.13");
        assert_eq!(number_text(1e20), "100000000000000000000");
    }
}
