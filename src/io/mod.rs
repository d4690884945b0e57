//! Import and export of spreadsheets (导入/导出): the price table (价格表) and the customer archive
//! (客户资料) read from the xlsx, xls and CSV files offices really send, and written back as CSV or
//! xlsx that Excel and WPS open correctly and that re-import unchanged.
//!
//! Parsing takes the file's bytes and its name (for the extension) and returns domain drafts plus,
//! for every row it could not take, a [`Reject`] with the spreadsheet's row number, the column as
//! the file spells it and the reason in Chinese. The caller shows the preview and decides.
//!
//! Must never: touch the file system, the database, the service layer or egui (callers read and
//! write the files); panic on any bytes; drop a row silently (only fully blank rows are skipped);
//! round or guess a money value (all cells go through `domain::money`).

pub mod customers;
mod error;
pub mod export;
mod header;
pub mod prices;
pub mod table;

pub use customers::{CUSTOMER_COLUMNS, CustomerImport, parse_customers};
pub use error::{ExportError, ImportError};
pub use export::{csv_bytes, customer_rows, price_table_rows, rejects_csv, xlsx_bytes};
pub use prices::{PRICE_COLUMNS, parse_price_table};

/// An empty workbook with the columns an import reads, in order, to fill in and import.
pub fn template_xlsx(sheet: &str, columns: &[ColumnSpec]) -> Result<Vec<u8>, ExportError> {
    let headers: Vec<&str> = columns.iter().map(ColumnSpec::name).collect();
    xlsx_bytes(sheet, &headers, &[])
}
pub use table::{ColumnSpec, Header, RawRow, RawTable, locate_header, read_table};

/// A data row that was not taken, with what to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    /// 1-based row number as Excel/WPS shows it.
    pub row: usize,
    /// The header text of the (first) bad column, as written in the file.
    pub column: String,
    /// Why, in Chinese. When several cells are wrong, the others follow as “列名：原因”.
    pub reason: String,
    /// The row's original cells, so the rejects can be saved, fixed and imported again.
    pub cells: Vec<String>,
}

/// A data row that was taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow<T> {
    /// 1-based row number as Excel/WPS shows it (for a customer spread over several rows: the first).
    pub row: usize,
    pub value: T,
    /// The row's original cells, so a row the caller rejects later can still be saved to fix.
    pub cells: Vec<String>,
}

/// Everything read from one file: the good rows and the rejects, nothing written anywhere yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedImport<T> {
    /// Row number of the header row.
    pub header_row: usize,
    /// The header row's cells as written in the file (for the rejects CSV).
    pub headers: Vec<String>,
    /// Keys of the known columns the file has. A column the file lacks says nothing about the
    /// stored value: importers keep it rather than overwrite it with a default.
    pub columns: Vec<&'static str>,
    pub rows: Vec<ImportRow<T>>,
    pub rejects: Vec<Reject>,
}

/// The problems found in one row, in column order of discovery.
#[derive(Debug, Default)]
struct RowProblems {
    items: Vec<(String, String)>,
}

impl RowProblems {
    fn add(&mut self, column: impl Into<String>, reason: impl Into<String>) {
        self.items.push((column.into(), reason.into()));
    }

    fn has_column(&self, column: &str) -> bool {
        self.items.iter().any(|(c, _)| c == column)
    }

    fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// One reject for the row, or `None` when it is fine: the leftmost bad column, and all reasons
    /// in column order.
    fn into_reject(mut self, row: &RawRow, header: &Header) -> Option<Reject> {
        self.items.sort_by_key(|(column, _)| header.texts.iter().position(|t| t == column).unwrap_or(usize::MAX));
        let mut items = self.items.into_iter();
        let (column, first) = items.next()?;
        let mut reason = first;
        for (other_column, other) in items {
            reason.push_str(&format!("；{other_column}：{other}"));
        }
        Some(Reject { row: row.number, column, reason, cells: row.cells.clone() })
    }
}

/// Reads the yes/no cells offices write (是/否, 启用/停用, 1/0, TRUE/FALSE, Y/N …).
/// `None` when the text is none of them; empty text is `default`.
fn parse_yes_no(text: &str, default: bool) -> Option<bool> {
    match crate::domain::validate::to_halfwidth(text).trim().to_lowercase().as_str() {
        "" => Some(default),
        "是" | "启用" | "有效" | "在用" | "正常" | "1" | "true" | "y" | "yes" | "active" | "√" => Some(true),
        "否" | "停用" | "无效" | "禁用" | "停售" | "0" | "false" | "n" | "no" | "inactive" | "×" => {
            Some(false)
        }
        _ => None,
    }
}

#[cfg(test)]
mod template_tests {
    use super::*;

    #[test]
    fn an_import_template_has_exactly_the_columns_the_import_reads() {
        use calamine::{Reader, Xlsx};
        for (sheet, columns) in [("客户", CUSTOMER_COLUMNS), ("价格表", PRICE_COLUMNS)] {
            let bytes = template_xlsx(sheet, columns).unwrap();
            let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
            let range = book.worksheet_range(sheet).unwrap();
            let header: Vec<String> = range.rows().next().unwrap().iter().map(ToString::to_string).collect();
            let names: Vec<&str> = columns.iter().map(ColumnSpec::name).collect();
            assert_eq!(header, names);
        }
    }
}
