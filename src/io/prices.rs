//! Importing the price table (价格表): one product per row, validated with the domain rules; every
//! row that cannot be taken becomes a `Reject` naming its row and column.
//!
//! Must never: accept a price it had to guess (`面议`, `1.005`), or let the same product code in
//! through two rows of one file.

use std::collections::HashMap;

use super::table::{ColumnSpec, Header, RawRow, locate_header, read_table};
use super::{ImportError, ImportRow, ParsedImport, RowProblems, parse_yes_no};
use crate::domain::money::{Money, MoneyError, TaxRate};
use crate::domain::product::{ProductDraft, parse_tech_params};

/// The price-table columns; the first alias of each is what `export::price_table_rows` writes.
pub const PRICE_COLUMNS: &[ColumnSpec] = &[
    ColumnSpec {
        key: "code",
        aliases: &["产品编码", "编码", "物料编码", "产品代码", "code", "product code"],
        required: true,
    },
    ColumnSpec { key: "name", aliases: &["产品名称", "名称", "品名", "name", "product name"], required: true },
    ColumnSpec {
        key: "model", aliases: &["型号规格", "规格型号", "型号", "规格", "model", "spec"], required: false
    },
    ColumnSpec { key: "unit", aliases: &["单位", "unit"], required: false },
    ColumnSpec { key: "category", aliases: &["类别", "分类", "产品类别", "category"], required: false },
    ColumnSpec {
        key: "list_price",
        aliases: &["含税单价", "单价", "销售价", "售价", "list price", "price", "unit price"],
        required: true,
    },
    ColumnSpec {
        key: "floor_price",
        aliases: &["最低限价", "底价", "最低价", "限价", "floor price", "min price"],
        required: false,
    },
    ColumnSpec { key: "tax_rate", aliases: &["税率", "tax rate", "vat rate"], required: false },
    ColumnSpec { key: "params", aliases: &["技术参数", "参数", "parameters", "params"], required: false },
    ColumnSpec { key: "active", aliases: &["状态", "启用", "active", "status"], required: false },
];

/// Reads a price table. Whole-file problems are errors; row problems are rejects.
pub fn parse_price_table(bytes: &[u8], file_name: &str) -> Result<ParsedImport<ProductDraft>, ImportError> {
    let table = read_table(bytes, file_name)?;
    let header = locate_header(&table, PRICE_COLUMNS)?;
    let mut parsed = ParsedImport {
        header_row: header.row,
        headers: header.texts.clone(),
        columns: PRICE_COLUMNS.iter().filter(|c| header.has(c.key)).map(|c| c.key).collect(),
        rows: Vec::new(),
        rejects: Vec::new(),
    };
    // Code → row of its first occurrence, accepted or not.
    let mut first_rows: HashMap<String, usize> = HashMap::new();
    for row in table.rows.iter().filter(|r| r.number > header.row) {
        let (draft, mut problems) = product_from_row(&header, row);
        if !draft.code.is_empty() {
            let first = *first_rows.entry(draft.code.clone()).or_insert(row.number);
            if first != row.number {
                problems.add(header.label("code"), format!("与第 {first} 行的产品编码重复"));
            }
        }
        match problems.into_reject(row, &header) {
            Some(reject) => parsed.rejects.push(reject),
            None => parsed.rows.push(ImportRow { row: row.number, value: draft, cells: row.cells.clone() }),
        }
    }
    Ok(parsed)
}

/// The draft of one row (normalised by `ProductDraft::validate`) and what is wrong with it.
fn product_from_row(header: &Header, row: &RawRow) -> (ProductDraft, RowProblems) {
    let mut problems = RowProblems::default();
    let cell = |key: &str| header.get(row, key);
    let mut draft = ProductDraft {
        code: cell("code").to_string(),
        name: cell("name").to_string(),
        model: cell("model").to_string(),
        category: cell("category").to_string(),
        ..ProductDraft::default()
    };
    if header.has("unit") {
        draft.unit = cell("unit").to_string();
    }
    match Money::parse(cell("list_price")) {
        Ok(price) => draft.list_price = price,
        Err(MoneyError::Empty) => problems.add(header.label("list_price"), "请填写含税单价"),
        Err(e) => problems.add(header.label("list_price"), price_reason(&e)),
    }
    if !cell("floor_price").is_empty() {
        match Money::parse(cell("floor_price")) {
            Ok(floor) => draft.floor_price = Some(floor),
            Err(e) => problems.add(header.label("floor_price"), format!("{}（不设限价请留空）", price_reason(&e))),
        }
    }
    if !cell("tax_rate").is_empty() {
        match TaxRate::parse(cell("tax_rate")) {
            Ok(rate) => draft.tax_rate = rate,
            Err(e) => problems.add(header.label("tax_rate"), e.to_string()),
        }
    }
    match parse_tech_params(cell("params")) {
        Ok(params) => draft.params = params,
        Err(e) => problems.add(header.label("params"), e),
    }
    match parse_yes_no(cell("active"), true) {
        Some(active) => draft.active = active,
        None => problems.add(header.label("active"), format!("状态“{}”无法识别，请填写 启用 或 停用", cell("active"))),
    }
    for error in draft.validate() {
        let column = header.label(&error.field).to_string();
        // A price that did not parse is already reported; do not add “应大于0” on top.
        if !problems.has_column(&column) {
            problems.add(column, error.message);
        }
    }
    (draft, problems)
}

/// `面议` and other words get a hint that a number is needed.
fn price_reason(error: &MoneyError) -> String {
    match error {
        MoneyError::Invalid(text) => format!("“{text}”不是金额，请填写数字，如 1234.50"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::product::TechParam;
    use rust_xlsxwriter::{Format, Workbook};

    fn m(text: &str) -> Money {
        Money::parse(text).expect("test amount")
    }

    fn csv(text: &str) -> Vec<u8> {
        text.as_bytes().to_vec()
    }

    /// A price list as offices make them: two title rows, money as numbers and as text, a percent.
    fn office_xlsx() -> Vec<u8> {
        let mut workbook = Workbook::new();
        write_office_sheet(&mut workbook).expect("test sheet");
        workbook.save_to_buffer().expect("test workbook")
    }

    fn write_office_sheet(workbook: &mut Workbook) -> Result<(), rust_xlsxwriter::XlsxError> {
        let sheet = workbook.add_worksheet();
        let percent = Format::new().set_num_format("0%");
        let date = Format::new().set_num_format("yyyy-mm-dd");
        sheet.write_string(0, 0, "华东电气设备有限公司2026年价格表")?;
        sheet.write_string(1, 0, "生效日期")?;
        sheet.write_datetime_with_format(1, 1, rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 3, 1)?, &date)?;
        let titles = ["序号", "产品编码*", "产品名称", "型号规格", "单位", "含税单价（元）", "最低限价(元)", "税率"];
        for (col, title) in (0u16..).zip(titles) {
            sheet.write_string(2, col, title)?;
        }
        sheet.write_number(3, 0, 1)?;
        sheet.write_string(3, 1, "SCB13-1000")?;
        sheet.write_string(3, 2, "干式变压器")?;
        sheet.write_string(3, 3, "SCB13-1000/10")?;
        sheet.write_string(3, 4, "台")?;
        sheet.write_number(3, 5, 186000)?;
        sheet.write_number(3, 6, 162000.5)?;
        sheet.write_number_with_format(3, 7, 0.13, &percent)?;
        sheet.write_number(4, 0, 2)?;
        sheet.write_string(4, 1, "yjv-3x95")?;
        sheet.write_string(4, 2, "电力电缆")?;
        sheet.write_string(4, 4, "米")?;
        sheet.write_string(4, 5, "¥1,234.50")?;
        sheet.write_number_with_format(4, 7, 0.09, &percent)?;
        Ok(())
    }

    #[test]
    fn an_xlsx_with_title_rows_numbers_text_money_and_percent_imports() {
        let parsed = parse_price_table(&office_xlsx(), "价格表.xlsx").expect("parsed");
        assert_eq!(parsed.header_row, 3);
        assert!(parsed.rejects.is_empty(), "{:?}", parsed.rejects);
        assert_eq!(parsed.rows.len(), 2);
        let first = &parsed.rows[0];
        assert_eq!(first.row, 4);
        assert_eq!(first.value.code, "SCB13-1000");
        assert_eq!(first.value.list_price, m("186000"));
        assert_eq!(first.value.floor_price, Some(m("162000.50")));
        assert_eq!(first.value.tax_rate, TaxRate::RATE_13);
        let second = &parsed.rows[1];
        assert_eq!(second.row, 5);
        assert_eq!(second.value.code, "YJV-3X95");
        assert_eq!(second.value.unit, "米");
        assert_eq!(second.value.list_price, m("1234.50"));
        assert_eq!(second.value.floor_price, None);
        assert_eq!(second.value.tax_rate, TaxRate::RATE_9);
    }

    #[test]
    fn english_headers_in_any_order_import() {
        let text = "Price,Unit,Name,Code,Tax Rate,Floor Price,Active,Parameters\n\
                    \"1,200.00\",套,开关柜,KYN28-12,6%,1000,inactive,额定电压:12kV; 额定电流:1250A\n";
        let parsed = parse_price_table(&csv(text), "prices.csv").expect("parsed");
        assert!(parsed.rejects.is_empty(), "{:?}", parsed.rejects);
        let p = &parsed.rows[0].value;
        assert_eq!((p.code.as_str(), p.name.as_str(), p.unit.as_str()), ("KYN28-12", "开关柜", "套"));
        assert_eq!(p.list_price, m("1200"));
        assert_eq!(p.floor_price, Some(m("1000")));
        assert_eq!(p.tax_rate, TaxRate::RATE_6);
        assert!(!p.active);
        assert_eq!(p.params[1], TechParam { key: "额定电流".into(), value: "1250A".into() });
        assert_eq!(parsed.rows[0].row, 2);
    }

    #[test]
    fn empty_tax_rate_is_13_percent_and_empty_status_is_active() {
        let parsed = parse_price_table(&csv("编码,名称,单价,税率,状态\nA1,电缆,10,,\n"), "a.csv").expect("parsed");
        assert_eq!(parsed.rows[0].value.tax_rate, TaxRate::RATE_13);
        assert!(parsed.rows[0].value.active);
    }

    #[test]
    fn a_missing_price_column_is_named() {
        let err = parse_price_table(&csv("产品编码,产品名称,单位\nA1,电缆,米\n"), "a.csv").expect_err("missing");
        assert_eq!(err, ImportError::MissingColumns(vec!["含税单价".into()]));
    }

    #[test]
    fn a_negotiable_price_is_rejected_with_row_and_column() {
        let text = "2026年价格表\n\n产品编码,产品名称,含税单价（元）\nA1,变压器,面议\nA2,电缆,88\n";
        let parsed = parse_price_table(&csv(text), "a.csv").expect("parsed");
        assert_eq!(parsed.header_row, 3);
        assert_eq!(parsed.rejects.len(), 1);
        let reject = &parsed.rejects[0];
        assert_eq!(reject.row, 4);
        assert_eq!(reject.column, "含税单价（元）");
        assert!(reject.reason.contains("面议"), "{}", reject.reason);
        assert_eq!(reject.cells, vec!["A1", "变压器", "面议"]);
        assert_eq!(parsed.rows.len(), 1);
        assert_eq!(parsed.rows[0].row, 5);
    }

    #[test]
    fn a_floor_above_the_list_price_is_rejected() {
        let parsed = parse_price_table(&csv("编码,名称,单价,最低限价\nA1,变压器,100,120\n"), "a.csv").expect("parsed");
        assert!(parsed.rows.is_empty());
        assert_eq!(parsed.rejects[0].column, "最低限价");
        assert!(parsed.rejects[0].reason.contains("高于含税单价"));
    }

    #[test]
    fn several_bad_cells_in_one_row_give_one_reject_listing_all() {
        let parsed = parse_price_table(&csv("编码,名称,单价,税率\nA 1,,1.005,免税\n"), "a.csv").expect("parsed");
        assert_eq!(parsed.rejects.len(), 1);
        let reject = &parsed.rejects[0];
        assert_eq!(reject.column, "编码", "the leftmost bad column");
        assert!(reject.reason.starts_with("产品编码只能包含"), "{}", reject.reason);
        for part in ["；名称：请填写产品名称", "；单价：金额最多两位小数", "；税率："] {
            assert!(reject.reason.contains(part), "{part} in {}", reject.reason);
        }
    }

    #[test]
    fn duplicate_codes_reject_every_later_row_naming_the_first() {
        let text = "编码,名称,单价\nA1,变压器,100\na1,变压器,110\nB2,电缆,5\nＡ１,变压器,120\n";
        let parsed = parse_price_table(&csv(text), "a.csv").expect("parsed");
        let rows: Vec<usize> = parsed.rows.iter().map(|r| r.row).collect();
        assert_eq!(rows, vec![2, 4]);
        let rejects: Vec<(usize, &str)> = parsed.rejects.iter().map(|r| (r.row, r.reason.as_str())).collect();
        assert_eq!(rejects, vec![(3, "与第 2 行的产品编码重复"), (5, "与第 2 行的产品编码重复")]);
        assert_eq!(parsed.rejects[0].column, "编码");
    }

    #[test]
    fn an_empty_unit_cell_is_rejected_but_a_missing_unit_column_means_tai() {
        let with_column = parse_price_table(&csv("编码,名称,单价,单位\nA1,变压器,100,\n"), "a.csv").expect("parsed");
        assert_eq!(with_column.rejects[0].column, "单位");
        let without = parse_price_table(&csv("编码,名称,单价\nA1,变压器,100\n"), "a.csv").expect("parsed");
        assert_eq!(without.rows[0].value.unit, "台");
    }

    #[test]
    fn blank_rows_are_skipped_and_numbering_follows_the_sheet() {
        let parsed = parse_price_table(&csv("编码,名称,单价\n\n,,\nA1,变压器,100\n"), "a.csv").expect("parsed");
        assert!(parsed.rejects.is_empty());
        assert_eq!(parsed.rows[0].row, 4);
    }

    #[test]
    fn an_unknown_status_and_a_bad_parameter_are_rejected() {
        let parsed =
            parse_price_table(&csv("编码,名称,单价,状态,技术参数\nA1,变压器,100,也许,容量 1000kVA\n"), "a.csv")
                .expect("parsed");
        let reject = &parsed.rejects[0];
        assert_eq!(reject.column, "状态");
        assert!(reject.reason.contains("也许") && reject.reason.contains("技术参数："), "{}", reject.reason);
    }
}
