//! Finding the header row of a sheet and its columns by name (Chinese or English), wherever the
//! columns are and whatever title rows sit above. Re-exported from `io::table`.
//!
//! Must never: match by position, or take a “不含税” (tax-exclusive) column for a tax-inclusive one.

use std::collections::HashMap;

use super::ImportError;
use super::table::{RawRow, RawTable};
use crate::domain::validate::to_halfwidth;

/// How far down the header may be: title rows, a date line, a blank row or two.
const HEADER_SEARCH_ROWS: usize = 20;

/// One column an import understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnSpec {
    /// Internal name, used with [`Header::get`].
    pub key: &'static str,
    /// Accepted header texts; the first is the name used in messages and exports.
    pub aliases: &'static [&'static str],
    pub required: bool,
}

impl ColumnSpec {
    /// The name shown to the user (and written by exports).
    pub fn name(&self) -> &'static str {
        self.aliases.first().copied().unwrap_or(self.key)
    }
}

/// The located header row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Row number (1-based, as in Excel).
    pub row: usize,
    /// The header row's cells as written in the file.
    pub texts: Vec<String>,
    columns: HashMap<&'static str, usize>,
    names: HashMap<&'static str, &'static str>,
}

impl Header {
    /// The cell of `row` in the column `key`; empty when the file has no such column.
    pub fn get<'a>(&self, row: &'a RawRow, key: &str) -> &'a str {
        self.columns.get(key).map_or("", |&i| row.cell(i))
    }

    /// Whether the file has the column `key`.
    pub fn has(&self, key: &str) -> bool {
        self.columns.contains_key(key)
    }

    /// The column's header as the file writes it, or the standard name when it has no such column.
    pub fn label<'a>(&'a self, key: &'a str) -> &'a str {
        match self.columns.get(key) {
            Some(&i) => self.texts.get(i).map_or(key, String::as_str),
            None => self.names.get(key).copied().unwrap_or(key),
        }
    }

    /// Non-empty header cells that matched no known column (shown in the preview as “未识别的列”).
    pub fn unused_columns(&self) -> Vec<&str> {
        let used: Vec<usize> = self.columns.values().copied().collect();
        self.texts
            .iter()
            .enumerate()
            .filter(|(i, t)| !t.is_empty() && !used.contains(i))
            .map(|(_, t)| t.as_str())
            .collect()
    }
}

/// Finds, among the first 20 non-blank rows, the first one that has every required column.
/// When none has, the error names the required columns missing from the closest candidate.
pub fn locate_header(table: &RawTable, specs: &[ColumnSpec]) -> Result<Header, ImportError> {
    let mut closest: Option<(usize, Vec<String>)> = None;
    for row in table.rows.iter().take(HEADER_SEARCH_ROWS) {
        let columns = match_columns(row, specs);
        let missing: Vec<String> =
            specs.iter().filter(|s| s.required && !columns.contains_key(s.key)).map(|s| s.name().to_string()).collect();
        if missing.is_empty() {
            let names = specs.iter().map(|s| (s.key, s.name())).collect();
            return Ok(Header { row: row.number, texts: row.cells.clone(), columns, names });
        }
        let found = columns.len();
        if closest.as_ref().is_none_or(|(best, _)| found > *best) {
            closest = Some((found, missing));
        }
    }
    let missing = closest
        .map(|(_, m)| m)
        .unwrap_or_else(|| specs.iter().filter(|s| s.required).map(|s| s.name().to_string()).collect());
    Err(ImportError::MissingColumns(missing))
}

/// Column index of each spec in `row`: aliases in order of preference, each column used once.
fn match_columns(row: &RawRow, specs: &[ColumnSpec]) -> HashMap<&'static str, usize> {
    let keys: Vec<String> = row.cells.iter().map(|c| header_key(c)).collect();
    let mut columns: HashMap<&'static str, usize> = HashMap::new();
    for spec in specs {
        let found = spec.aliases.iter().find_map(|alias| {
            let wanted = header_key(alias);
            keys.iter().enumerate().position(|(i, k)| *k == wanted && !columns.values().any(|&c| c == i))
        });
        if let Some(index) = found {
            columns.insert(spec.key, index);
        }
    }
    columns
}

/// A header text reduced to what identifies the column: half-width, lowercase, without spaces,
/// `_`, `-`, `*` required markers, a trailing colon or `/元`, and trailing notes in brackets
/// (`（元）`, `(含税)`, `【必填】`). Tax-exclusive columns reduce to nothing that can match.
pub(crate) fn header_key(text: &str) -> String {
    let mut key: String = to_halfwidth(text)
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '*' | '※'))
        .collect();
    if ["不含税", "未税", "除税", "税前"].iter().any(|w| key.contains(w)) {
        return "\u{0}tax-exclusive".to_string();
    }
    loop {
        let before = key.len();
        for suffix in [":", "/元", "元/"] {
            if let Some(stripped) = key.strip_suffix(suffix) {
                key = stripped.to_string();
            }
        }
        for (open, close) in [('(', ')'), ('【', '】'), ('[', ']')] {
            if key.ends_with(close)
                && let Some(start) = key.rfind(open)
                && start > 0
            {
                key.truncate(start);
            }
        }
        if key.len() == before {
            return key;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[ColumnSpec] = &[
        ColumnSpec { key: "code", aliases: &["产品编码", "编码", "code"], required: true },
        ColumnSpec { key: "name", aliases: &["产品名称", "名称", "name"], required: true },
        ColumnSpec { key: "price", aliases: &["含税单价", "单价", "list price"], required: true },
        ColumnSpec { key: "unit", aliases: &["单位", "unit"], required: false },
    ];

    fn table(rows: &[&[&str]]) -> RawTable {
        let rows = rows
            .iter()
            .enumerate()
            .map(|(i, cells)| RawRow { number: i + 1, cells: cells.iter().map(|c| c.to_string()).collect() })
            .collect();
        RawTable { rows }
    }

    #[test]
    fn header_markers_units_and_widths_are_ignored() {
        assert_eq!(header_key("含税单价（元）"), "含税单价");
        assert_eq!(header_key("*产品编码"), "产品编码");
        assert_eq!(header_key("产品编码*"), "产品编码");
        assert_eq!(header_key("单价(含税)"), "单价");
        assert_eq!(header_key(" List  Price "), "listprice");
        assert_eq!(header_key("ＣＯＤＥ"), "code");
        assert_eq!(header_key("税率【必填】"), "税率");
        assert_eq!(header_key("单价/元"), "单价");
        assert_eq!(header_key("E-mail"), "email");
    }

    #[test]
    fn a_tax_exclusive_price_is_never_taken_for_the_list_price() {
        let t = table(&[&["编码", "名称", "单价（不含税）"]]);
        assert_eq!(locate_header(&t, SPECS), Err(ImportError::MissingColumns(vec!["含税单价".into()])));
    }

    #[test]
    fn the_header_is_found_below_title_rows_and_columns_in_any_order() {
        let t =
            table(&[&["XX公司2026年价格表"], &["", ""], &["单位", "含税单价（元）", "产品名称", "产品编码*", "备注"]]);
        let h = locate_header(&t, SPECS).expect("header");
        assert_eq!(h.row, 3);
        let data = RawRow { number: 4, cells: vec!["台".into(), "100".into(), "变压器".into(), "A1".into()] };
        assert_eq!(h.get(&data, "code"), "A1");
        assert_eq!(h.get(&data, "price"), "100");
        assert_eq!(h.get(&data, "missing"), "");
        assert_eq!(h.label("price"), "含税单价（元）");
        assert_eq!(h.unused_columns(), vec!["备注"]);
    }

    #[test]
    fn the_preferred_alias_wins_when_two_columns_match() {
        let t = table(&[&["编码", "名称", "单价", "含税单价"]]);
        let h = locate_header(&t, SPECS).expect("header");
        let data = RawRow { number: 2, cells: vec!["A".into(), "B".into(), "1".into(), "2".into()] };
        assert_eq!(h.get(&data, "price"), "2");
    }

    #[test]
    fn missing_required_columns_are_named_in_chinese() {
        let t = table(&[&["价格表"], &["产品名称", "单位", "备注"]]);
        let err = locate_header(&t, SPECS).expect_err("missing");
        assert_eq!(err, ImportError::MissingColumns(vec!["产品编码".into(), "含税单价".into()]));
        assert_eq!(err.to_string(), "找不到必需的列：产品编码、含税单价。请检查表头（第一行或标题下面的一行）。");
    }

    #[test]
    fn a_header_below_row_twenty_is_not_searched_for() {
        let mut rows: Vec<&[&str]> = vec![&["说明"]; 20];
        rows.push(&["编码", "名称", "单价"]);
        assert!(matches!(locate_header(&table(&rows), SPECS), Err(ImportError::MissingColumns(_))));
    }
}
