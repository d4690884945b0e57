//! Imports and exports of the price table and the customer archive (DESIGN §10): files as offices
//! send them (CSV in UTF-8, UTF-8 with BOM or GBK; xlsx with title rows; money as `1,234.50` or
//! `¥1,234.50`; `13%`; parameters as `key:value;…`), preview before any write, rejects with row
//! and column, consent before importing only the good rows, exports that re-import unchanged and
//! are audited, and the same through the command line.

use std::ffi::OsStr;
use std::io::Cursor;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use salesdesk::domain::customer::Grade;
use salesdesk::domain::money::TaxRate;
use salesdesk::domain::product::{ProductDraft, TechParam};
use salesdesk::service::{Actor, CustomerFilter, DEMO_PASSWORD, ExportFormat, ImportPreview, Service, ServiceError};

use crate::support::{
    add_customer, audit_count, audit_with_action, contact, credit_code, customer, png_bytes, product, sign_in,
    staff_office, staff_office_file, user, yuan,
};

// ---------------------------------------------------------------------------------------------
// Files as offices make them

/// A price list as a sales office keeps it: a title, a date line, then the header; money with
/// thousands separators and ¥, rates as percentages, parameters as `key:value;…`.
pub const PRICE_CSV: &str = "恒信电气2026年价格表,,,,,,,\r\n\
    生效日期：2026-12-01,,,,,,,\r\n\
    产品编码,产品名称,型号规格,单位,含税单价（元）,最低限价（元）,税率,技术参数\r\n\
    IT-SCB13-1000,干式变压器,SCB13-1000/10,台,\"186,000.00\",\"¥162,000.00\",13%,额定容量:1000kVA;联结组别:Dyn11\r\n\
    IT-KYN28A-12,高压开关柜,KYN28A-12/1250,面,\"¥68,500.50\",61000,13%,额定电压:12kV;额定电流:1250A\r\n\
    IT-YJV22-240,交联聚乙烯电力电缆,YJV22-8.7/15-3×240,米,612.8,,9%,\r\n";

/// What `PRICE_CSV` holds, as drafts.
fn price_csv_products() -> Vec<ProductDraft> {
    let param = |k: &str, v: &str| TechParam { key: k.into(), value: v.into() };
    vec![
        ProductDraft {
            model: "SCB13-1000/10".into(),
            params: vec![param("额定容量", "1000kVA"), param("联结组别", "Dyn11")],
            ..product("IT-SCB13-1000", "干式变压器", "186000", Some("162000"))
        },
        ProductDraft {
            model: "KYN28A-12/1250".into(),
            unit: "面".into(),
            params: vec![param("额定电压", "12kV"), param("额定电流", "1250A")],
            ..product("IT-KYN28A-12", "高压开关柜", "68500.50", Some("61000"))
        },
        ProductDraft {
            model: "YJV22-8.7/15-3×240".into(),
            unit: "米".into(),
            tax_rate: TaxRate::RATE_9,
            ..product("IT-YJV22-240", "交联聚乙烯电力电缆", "612.80", None)
        },
    ]
}

/// `PRICE_CSV` with three more rows: 面议 (row 7), a floor above the list price (row 8) and a
/// code already used in row 4 (row 9).
fn price_csv_with_rejects() -> String {
    format!(
        "{PRICE_CSV}IT-ZW32-12,户外真空断路器,ZW32-12/630,台,面议,,13%,\r\n\
         IT-SC-100,干式变压器,SCB13-100/10,台,\"23,800.00\",\"25,000.00\",13%,\r\n\
         it-scb13-1000,干式变压器（重复）,SCB13-1000/10,台,186000,,13%,\r\n"
    )
}

pub fn bom(text: &str) -> Vec<u8> {
    [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat()
}

pub fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable, "the text has a GBK form");
    assert!(std::str::from_utf8(&bytes).is_err(), "the file really is GBK, not UTF-8");
    bytes.into_owned()
}

/// The same price list as an xlsx: title rows above the header, prices as numbers and as text,
/// rates as percent-formatted numbers and as text.
pub fn price_xlsx() -> Vec<u8> {
    let mut workbook = Workbook::new();
    write_price_sheet(&mut workbook).expect("the sheet is written");
    workbook.save_to_buffer().expect("the workbook is saved")
}

fn write_price_sheet(workbook: &mut Workbook) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name("2026价格表")?;
    let percent = Format::new().set_num_format("0%");
    sheet.write_string(0, 0, "苏州恒信电气设备有限公司 产品价格表")?;
    sheet.write_string(1, 0, "单位：元（含税）")?;
    let header = ["序号", "产品编码", "产品名称", "型号规格", "单位", "含税单价", "最低限价", "税率", "技术参数"];
    for (col, title) in (0u16..).zip(header) {
        sheet.write_string(3, col, title)?;
    }
    sheet.write_number(4, 0, 1)?;
    sheet.write_string(4, 1, "IT-SCB13-1000")?;
    sheet.write_string(4, 2, "干式变压器")?;
    sheet.write_string(4, 3, "SCB13-1000/10")?;
    sheet.write_string(4, 4, "台")?;
    sheet.write_number(4, 5, 186000)?;
    sheet.write_string(4, 6, "¥162,000.00")?;
    sheet.write_number_with_format(4, 7, 0.13, &percent)?;
    sheet.write_string(4, 8, "额定容量:1000kVA;联结组别:Dyn11")?;
    sheet.write_number(5, 0, 2)?;
    sheet.write_string(5, 1, "IT-KYN28A-12")?;
    sheet.write_string(5, 2, "高压开关柜")?;
    sheet.write_string(5, 3, "KYN28A-12/1250")?;
    sheet.write_string(5, 4, "面")?;
    sheet.write_string(5, 5, "¥68,500.50")?;
    sheet.write_number(5, 6, 61000)?;
    sheet.write_string(5, 7, "13%")?;
    sheet.write_string(5, 8, "额定电压:12kV;额定电流:1250A")?;
    sheet.write_number(6, 0, 3)?;
    sheet.write_string(6, 1, "IT-YJV22-240")?;
    sheet.write_string(6, 2, "交联聚乙烯电力电缆")?;
    sheet.write_string(6, 3, "YJV22-8.7/15-3×240")?;
    sheet.write_string(6, 4, "米")?;
    sheet.write_string(6, 5, "612.80")?;
    sheet.write_number_with_format(6, 7, 0.09, &percent)?;
    Ok(())
}

fn adds(p: &ImportPreview<ProductDraft>) -> Vec<ProductDraft> {
    p.adds.iter().map(|r| r.value.clone()).collect()
}

/// (price versions, products in force, audit entries): what a write would change.
fn written(svc: &mut Service, admin: &Actor) -> (usize, usize, i64) {
    let table = svc.price_table(admin, None).expect("the table reads");
    (table.versions.len(), table.products.len(), audit_count(svc))
}

fn import_error(err: &ServiceError) -> String {
    err.field_message("file").unwrap_or_else(|| panic!("expected a message about the file, got {err:?}")).to_string()
}

// ---------------------------------------------------------------------------------------------
// Price table: preview, consent, apply

#[test]
fn a_price_preview_counts_adds_changes_unchanged_and_rejects_and_writes_nothing() {
    let (_dir, mut svc) = staff_office();
    let admin = sign_in(&mut svc, "admin");
    let today = svc.today();
    let [transformer, mut switchgear, _cable] = price_csv_products().try_into().expect("three products");
    svc.create_product(&admin, transformer, today).expect("unchanged by the file");
    switchgear.list_price = yuan("66000");
    svc.create_product(&admin, switchgear, today).expect("changed by the file");
    let before = written(&mut svc, &admin);

    let preview =
        svc.preview_price_import(&admin, price_csv_with_rejects().as_bytes(), "价格表.csv").expect("previews");
    assert_eq!(preview.header_row, 3);
    assert_eq!(preview.file_name, "价格表.csv");
    assert_eq!(
        (preview.adds.len(), preview.changes.len(), preview.unchanged, preview.rejects.len()),
        (1, 1, 1, 3),
        "adds {:?} changes {:?} rejects {:?}",
        preview.adds,
        preview.changes,
        preview.rejects
    );
    assert_eq!((preview.adds[0].row, preview.adds[0].value.code.as_str()), (6, "IT-YJV22-240"));
    let change = &preview.changes[0];
    assert_eq!((change.row, change.after.code.as_str()), (5, "IT-KYN28A-12"));
    assert_eq!(change.fields, vec!["含税单价"]);
    assert_eq!((change.before.list_price, change.after.list_price), (yuan("66000"), yuan("68500.50")));
    let rejects: Vec<(usize, &str)> = preview.rejects.iter().map(|r| (r.row, r.column.as_str())).collect();
    assert_eq!(rejects, vec![(7, "含税单价（元）"), (8, "最低限价（元）"), (9, "产品编码")]);

    assert_eq!(written(&mut svc, &admin), before, "a preview writes nothing, not even an audit entry");
}

#[test]
fn rejects_need_consent_and_then_only_the_good_rows_are_written_as_a_new_version() {
    let (_dir, mut svc) = staff_office();
    let admin = sign_in(&mut svc, "admin");
    let today = svc.today();
    let preview =
        svc.preview_price_import(&admin, price_csv_with_rejects().as_bytes(), "价格表.csv").expect("previews");
    assert_eq!((preview.adds.len(), preview.rejects.len()), (3, 3));
    let before = written(&mut svc, &admin);

    let err = svc.apply_price_import(&admin, &preview, today, false).expect_err("rejects without consent");
    assert_eq!(err.rule_code(), Some("import.has_rejects"), "{err:?}");
    assert!(err.to_string().contains("3 行有问题"), "counts the rejected rows: {err}");
    assert_eq!(written(&mut svc, &admin), before, "nothing is written");

    let report = svc.apply_price_import(&admin, &preview, today, true).expect("imports the good rows");
    assert_eq!((report.added, report.changed, report.skipped), (3, 0, 3));
    let table = svc.price_table(&admin, None).expect("reads");
    let version = table.version.expect("a version in force");
    assert_eq!(Some(version.id), report.price_version);
    assert_eq!((version.effective, version.note.as_str()), (today, "导入 价格表.csv"));
    let drafts: Vec<ProductDraft> = table.products.into_iter().map(|p| p.draft).collect();
    let mut expected = price_csv_products();
    expected.sort_by(|a, b| a.code.cmp(&b.code));
    assert_eq!(drafts, expected, "exact values: ¥, separators, 13%, 9%, parameters");

    let entries = audit_with_action(&mut svc, &admin, "import.prices");
    assert_eq!(entries.len(), 1);
    assert!(entries[0].after.contains("\"added\":3") && entries[0].after.contains("\"rejected\":3"));

    // The rejects can be saved, fixed and imported again.
    let rejects = String::from_utf8(preview.rejects_csv()).expect("UTF-8");
    assert!(rejects.contains("面议") && rejects.contains("行号"), "{rejects}");
}

#[test]
fn importing_the_same_file_twice_changes_nothing_and_a_new_price_is_one_change() {
    let (_dir, mut svc) = staff_office();
    let admin = sign_in(&mut svc, "admin");
    let today = svc.today();
    let preview = svc.preview_price_import(&admin, PRICE_CSV.as_bytes(), "价格表.csv").expect("previews");
    assert!(preview.rejects.is_empty(), "{:?}", preview.rejects);
    svc.apply_price_import(&admin, &preview, today, false).expect("imports");
    let first_version = svc.price_table(&admin, None).expect("reads").version.expect("in force").id;

    let again = svc.preview_price_import(&admin, PRICE_CSV.as_bytes(), "价格表.csv").expect("previews");
    assert_eq!((again.adds.len(), again.changes.len(), again.unchanged, again.rejects.len()), (0, 0, 3, 0));
    let before = written(&mut svc, &admin);
    let report = svc.apply_price_import(&admin, &again, today, false).expect("nothing to do is fine");
    assert_eq!((report.added, report.changed, report.price_version), (0, 0, None));
    assert_eq!(written(&mut svc, &admin), before, "no new version, no audit entry when nothing changes");

    let dearer = PRICE_CSV.replace("\"¥68,500.50\"", "69800");
    let preview = svc.preview_price_import(&admin, dearer.as_bytes(), "价格表-调价.csv").expect("previews");
    assert_eq!((preview.adds.len(), preview.changes.len(), preview.unchanged), (0, 1, 2));
    assert_eq!(preview.changes[0].fields, vec!["含税单价"]);
    let report = svc.apply_price_import(&admin, &preview, today, false).expect("imports");
    assert_eq!((report.added, report.changed), (0, 1));
    let new_version = report.price_version.expect("a new version");
    assert_ne!(new_version, first_version);
    let price = |svc: &mut Service, v| {
        let t = svc.price_table(&admin, Some(v)).expect("reads");
        t.products.into_iter().find(|p| p.draft.code == "IT-KYN28A-12").expect("priced").draft.list_price
    };
    assert_eq!(price(&mut svc, new_version), yuan("69800"));
    assert_eq!(price(&mut svc, first_version), yuan("68500.50"), "the earlier version keeps its price");
}

#[test]
fn utf8_with_or_without_bom_gbk_and_xlsx_files_read_the_same() {
    let (_dir, mut svc) = staff_office();
    let admin = sign_in(&mut svc, "admin");
    let files: [(&str, Vec<u8>); 4] = [
        ("价格表.csv", PRICE_CSV.as_bytes().to_vec()),
        ("价格表-bom.csv", bom(PRICE_CSV)),
        // GBK has no ¥ (U+00A5): Chinese Excel writes the full-width ￥.
        ("价格表-gbk.csv", gbk(&PRICE_CSV.replace('¥', "￥"))),
        ("价格表.xlsx", price_xlsx()),
    ];
    for (name, bytes) in files {
        let preview = svc.preview_price_import(&admin, &bytes, name).expect("previews");
        assert!(preview.rejects.is_empty(), "{name}: {:?}", preview.rejects);
        assert_eq!(adds(&preview), price_csv_products(), "{name}");
        let rows: Vec<usize> = preview.adds.iter().map(|r| r.row).collect();
        let expected_rows = if name.ends_with(".xlsx") { vec![5, 6, 7] } else { vec![4, 5, 6] };
        assert_eq!(rows, expected_rows, "{name}: row numbers as the spreadsheet shows them");
    }
}

#[test]
fn wrong_or_missing_columns_are_named() {
    let (_dir, mut svc) = staff_office();
    let admin = sign_in(&mut svc, "admin");
    let cases = [
        ("产品编码,产品名称,单价（不含税）\nA1,变压器,100\n", vec!["含税单价"]),
        ("型号,名称,售价\nSCB13,变压器,100\n", vec!["产品编码"]),
        ("客户名称,联系人,手机\n重庆市电力公司,张伟,13800138000\n", vec!["产品编码", "产品名称", "含税单价"]),
    ];
    for (text, missing) in cases {
        let err = svc.preview_price_import(&admin, text.as_bytes(), "价格表.csv").expect_err("columns missing");
        let message = import_error(&err);
        assert!(message.contains("找不到必需的列"), "{message}");
        for column in missing {
            assert!(message.contains(column), "{column} in {message}");
        }
    }
    // English headers in any order are fine.
    let english = "Unit,Price,Name,Code\n台,\"1,200.00\",开关柜,KYN28-12\n";
    let preview = svc.preview_price_import(&admin, english.as_bytes(), "prices.csv").expect("previews");
    assert_eq!(preview.adds[0].value.list_price, yuan("1200"));
}

#[test]
fn a_negotiable_price_a_floor_above_list_and_a_repeated_code_are_rejected_by_row_and_column() {
    let (_dir, mut svc) = staff_office();
    let admin = sign_in(&mut svc, "admin");
    let preview =
        svc.preview_price_import(&admin, price_csv_with_rejects().as_bytes(), "价格表.csv").expect("previews");
    let [negotiable, floor, repeated] = preview.rejects.as_slice() else { panic!("{:?}", preview.rejects) };
    assert_eq!((negotiable.row, negotiable.column.as_str()), (7, "含税单价（元）"));
    assert!(negotiable.reason.contains("面议"), "{}", negotiable.reason);
    assert_eq!((floor.row, floor.column.as_str()), (8, "最低限价（元）"));
    assert!(floor.reason.contains("高于含税单价"), "{}", floor.reason);
    assert_eq!((repeated.row, repeated.column.as_str()), (9, "产品编码"));
    assert!(repeated.reason.contains("第 4 行"), "{}", repeated.reason);
    // The first row with that code stays in.
    assert!(preview.adds.iter().any(|r| r.row == 4 && r.value.code == "IT-SCB13-1000"));
}

#[test]
fn an_empty_file_and_a_file_that_is_no_spreadsheet_are_refused_clearly() {
    let (_dir, mut svc) = staff_office();
    let admin = sign_in(&mut svc, "admin");
    let before = written(&mut svc, &admin);
    for (name, bytes) in [("价格表.csv", Vec::new()), ("价格表.csv", b"\r\n \r\n".to_vec()), ("价格表.xlsx", bom(""))]
    {
        let err = svc.preview_price_import(&admin, &bytes, name).expect_err("empty");
        assert!(import_error(&err).contains("文件是空的"), "{name}: {err}");
    }
    let mut random = Vec::new();
    let mut state: u32 = 0x2026_1127;
    for _ in 0..2048 {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        random.push(state.to_le_bytes()[1]);
    }
    for (name, bytes) in [("价格表.xlsx", png_bytes()), ("价格表.csv", random), ("价格表.pdf", b"%PDF-1.7\n".to_vec())]
    {
        let err = svc.preview_price_import(&admin, &bytes, name).expect_err("not a spreadsheet");
        assert!(import_error(&err).contains("不是表格"), "{name}: {err}");
        let err = svc.preview_customer_import(&admin, &bytes, name).expect_err("not a spreadsheet");
        assert!(import_error(&err).contains("不是表格"), "{name}: {err}");
    }
    assert_eq!(written(&mut svc, &admin), before);
}

#[test]
fn only_the_admin_imports_prices_and_only_admin_and_head_import_customers() {
    let (_dir, mut svc) = staff_office();
    let admin = sign_in(&mut svc, "admin");
    let preview = svc.preview_price_import(&admin, PRICE_CSV.as_bytes(), "价格表.csv").expect("previews");
    let customers = "客户名称,负责人\n重庆市电力公司,\n".as_bytes();
    let customer_preview = svc.preview_customer_import(&admin, customers, "客户.csv").expect("previews");
    let before = written(&mut svc, &admin);
    let today = svc.today();
    for login in ["liqiang", "sunli", "chenming", "zhoujg", "zhaomin"] {
        let actor = sign_in(&mut svc, login);
        let err = svc.preview_price_import(&actor, PRICE_CSV.as_bytes(), "价格表.csv").expect_err("admin only");
        assert!(matches!(err, ServiceError::Denied(_)), "{login}: {err:?}");
        // Holding someone else's preview does not help.
        let err = svc.apply_price_import(&actor, &preview, today, false).expect_err("admin only");
        assert!(matches!(err, ServiceError::Denied(_)), "{login}: {err:?}");
    }
    for login in ["liqiang", "sunli", "chenming", "zhoujg"] {
        let actor = sign_in(&mut svc, login);
        let err = svc.preview_customer_import(&actor, customers, "客户.csv").expect_err("admin and head only");
        assert!(matches!(err, ServiceError::Denied(_)), "{login}: {err:?}");
        let err = svc.apply_customer_import(&actor, &customer_preview, false).expect_err("admin and head only");
        assert!(matches!(err, ServiceError::Denied(_)), "{login}: {err:?}");
    }
    let after = written(&mut svc, &admin);
    assert_eq!((after.0, after.1), (before.0, before.1), "no price written");
    let head = sign_in(&mut svc, "zhaomin");
    assert!(svc.search_customers(&head, &CustomerFilter::default(), 0).expect("lists").rows.is_empty());
    svc.preview_customer_import(&head, customers, "客户.csv").expect("the head imports customers");
}

// ---------------------------------------------------------------------------------------------
// Customers

/// Chongqing customers as a GBK CSV, as Excel saves it: owners by login, by name, empty (pool),
/// unknown, not a salesperson; one invalid credit code.
fn customers_gbk() -> Vec<u8> {
    let text = format!(
        "客户名称,统一社会信用代码,省份,城市,客户等级,联系人,职务,手机,负责人\r\n\
         重庆渝能电力设备有限公司,{},重庆市,渝北区,A,张伟,采购经理,139 5110 0001,liqiang\r\n\
         国网重庆市电力公司,,重庆,渝中区,重点客户,李明,物资部主任,13800138001,王芳\r\n\
         重庆川仪自动化股份有限公司,,重庆,北碚区,,,,,\r\n\
         重庆长江电工有限公司,,重庆,南岸区,C,赵六,,,zhangsan\r\n\
         重庆三峰环境集团股份有限公司,91500000MA5U1234X9,重庆,大渡口区,C,,,,\r\n\
         重庆涪陵电力实业股份有限公司,,重庆,涪陵区,B,,,,chenming\r\n",
        credit_code(21)
    );
    gbk(&text)
}

#[test]
fn a_gbk_customer_file_imports_with_owners_by_login_or_name_and_rejects_what_it_cannot_place() {
    let (_dir, mut svc) = staff_office();
    let admin = sign_in(&mut svc, "admin");
    let (liqiang, wangfang) = (user(&mut svc, &admin, "liqiang").id, user(&mut svc, &admin, "wangfang").id);
    let head = sign_in(&mut svc, "zhaomin");
    let preview = svc.preview_customer_import(&head, &customers_gbk(), "重庆客户.csv").expect("previews");
    let owners: Vec<(&str, Option<_>, &str)> = preview
        .adds
        .iter()
        .map(|r| (r.value.draft.name.as_str(), r.value.owner, r.value.owner_name.as_str()))
        .collect();
    assert_eq!(
        owners,
        vec![
            ("重庆渝能电力设备有限公司", Some(liqiang), "李强"),
            ("国网重庆市电力公司", Some(wangfang), "王芳"),
            ("重庆川仪自动化股份有限公司", None, "公海"),
        ]
    );
    let rejects: Vec<(usize, &str)> = preview.rejects.iter().map(|r| (r.row, r.column.as_str())).collect();
    assert_eq!(rejects, vec![(5, "负责人"), (6, "统一社会信用代码"), (7, "负责人")]);
    assert!(preview.rejects[0].reason.contains("zhangsan"), "{}", preview.rejects[0].reason);
    assert!(preview.rejects[2].reason.contains("不是在职的销售员"), "{}", preview.rejects[2].reason);
    let first = &preview.adds[0].value.draft;
    assert_eq!((first.province.as_str(), first.grade), ("重庆", Grade::A));
    assert_eq!(first.contacts[0].mobile, "13951100001");
    assert_eq!(preview.adds[1].value.draft.grade, Grade::A, "重点客户 is grade A");
    assert!(svc.search_customers(&head, &CustomerFilter::default(), 0).expect("lists").rows.is_empty());

    let err = svc.apply_customer_import(&head, &preview, false).expect_err("rejects without consent");
    assert_eq!(err.rule_code(), Some("import.has_rejects"), "{err:?}");
    assert!(svc.search_customers(&head, &CustomerFilter::default(), 0).expect("lists").rows.is_empty());

    let report = svc.apply_customer_import(&head, &preview, true).expect("imports the good rows");
    assert_eq!((report.added, report.changed, report.skipped), (3, 0, 3));
    let page =
        svc.search_customers(&head, &CustomerFilter { query: "cq".into(), ..Default::default() }, 0).expect("searches");
    assert_eq!(page.matched, 3, "重庆 by pinyin initials, right after the import");
    let li = sign_in(&mut svc, "liqiang");
    let mine = svc.search_customers(&li, &CustomerFilter::default(), 0).expect("lists");
    let mut names: Vec<&str> = mine.rows.iter().map(|r| r.name.as_str()).collect();
    names.sort();
    assert_eq!(names, vec!["重庆川仪自动化股份有限公司", "重庆渝能电力设备有限公司"], "own and pool");
    assert_eq!(audit_with_action(&mut svc, &admin, "import.customers").len(), 1);
}

#[test]
fn importing_into_existing_customers_adds_their_new_contacts() {
    let (_dir, mut svc) = staff_office();
    let head = sign_in(&mut svc, "zhaomin");
    let mut existing = customer("重庆渝能电力设备有限公司");
    existing.credit_code = credit_code(21);
    existing.contacts = vec![contact("张伟", "13951100001")];
    let existing = add_customer(&mut svc, &head, existing, None);
    let mut unchanged = customer("国网重庆市电力公司");
    unchanged.province = "重庆".into();
    let unchanged = add_customer(&mut svc, &head, unchanged, None);

    // Found by credit code (under another spelling of the name) and by name.
    let file = format!(
        "客户名称,统一社会信用代码,省份,联系人,手机\n\
         重庆渝能电力设备公司,{},,李娜,13900139000\n\
         国网重庆市电力公司,,重庆,,\n\
         重庆川仪自动化股份有限公司,,重庆,王五,13700137000\n",
        credit_code(21)
    );
    let preview = svc.preview_customer_import(&head, file.as_bytes(), "客户.csv").expect("previews");
    assert_eq!((preview.adds.len(), preview.changes.len(), preview.unchanged), (1, 1, 1));
    let change = &preview.changes[0];
    assert_eq!(change.fields, vec!["联系人"]);
    assert_eq!(change.after.draft.name, "重庆渝能电力设备有限公司", "the stored name stays");

    svc.apply_customer_import(&head, &preview, false).expect("imports");
    let merged = svc.customer(&head, existing.id).expect("still there");
    let contacts: Vec<&str> = merged.draft.contacts.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(contacts, vec!["张伟", "李娜"]);
    assert_eq!(merged.version, existing.version + 1);
    assert_eq!(svc.customer(&head, unchanged.id).expect("there").version, unchanged.version);
    let page = svc
        .search_customers(&head, &CustomerFilter { query: "13900139000".into(), ..Default::default() }, 0)
        .expect("searches");
    assert_eq!(page.rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![existing.id]);
}

// ---------------------------------------------------------------------------------------------
// Exports

fn csv_text(bytes: &[u8]) -> String {
    let text = String::from_utf8(bytes.to_vec()).expect("exports are UTF-8");
    text.strip_prefix('\u{FEFF}').expect("with a BOM for Excel").to_string()
}

fn import_price_csv(svc: &mut Service, admin: &Actor) {
    let preview = svc.preview_price_import(admin, PRICE_CSV.as_bytes(), "价格表.csv").expect("previews");
    let today = svc.today();
    svc.apply_price_import(admin, &preview, today, false).expect("imports");
}

#[test]
fn a_price_table_export_re_imports_as_all_unchanged_from_csv_and_xlsx() {
    let (_dir, mut svc) = staff_office();
    let admin = sign_in(&mut svc, "admin");
    import_price_csv(&mut svc, &admin);
    for (format, name) in [(ExportFormat::Csv, "价格表.csv"), (ExportFormat::Xlsx, "价格表.xlsx")] {
        let bytes = svc.export_price_table(&admin, None, format).expect("exports");
        let preview = svc.preview_price_import(&admin, &bytes, name).expect("the export reads back");
        assert_eq!(
            (preview.adds.len(), preview.changes.len(), preview.unchanged, preview.rejects.len()),
            (0, 0, 3, 0),
            "{name}: {:?}",
            preview.changes
        );
    }
    let csv = csv_text(&svc.export_price_table(&admin, None, ExportFormat::Csv).expect("exports"));
    assert!(csv.lines().next().expect("header").contains("最低限价"));
    // In the xlsx the prices are numbers (SUM works in Excel and WPS), the codes text.
    let xlsx = svc.export_price_table(&admin, None, ExportFormat::Xlsx).expect("exports");
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).expect("xlsx");
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).expect("sheet");
    let header: Vec<String> = range.rows().next().expect("header").iter().map(ToString::to_string).collect();
    let col = |title: &str| header.iter().position(|h| h == title).expect(title);
    let (price, code) = (col("含税单价"), col("产品编码"));
    for row in range.rows().skip(1) {
        assert!(matches!(row[price], Data::Float(_)), "a price is a number: {:?}", row[price]);
        assert!(matches!(row[code], Data::String(_)), "a code is text: {:?}", row[code]);
    }
    let entries = audit_with_action(&mut svc, &admin, "export.prices");
    assert_eq!(entries.len(), 4);
    assert!(entries.iter().all(|e| e.actor == "系统管理员 (admin)" && e.after.contains("\"floor\":true")));
}

#[test]
fn a_salespersons_price_export_has_no_floor_prices() {
    let (_dir, mut svc) = staff_office();
    let admin = sign_in(&mut svc, "admin");
    import_price_csv(&mut svc, &admin);
    let li = sign_in(&mut svc, "liqiang");
    let csv = csv_text(&svc.export_price_table(&li, None, ExportFormat::Csv).expect("exports"));
    let header = csv.lines().next().expect("header");
    assert_eq!(header, "产品编码,产品名称,型号规格,单位,类别,含税单价,税率,技术参数,状态");
    assert!(!csv.contains("162000") && !csv.contains("61000"), "{csv}");
    assert!(csv.contains("186000.00"), "{csv}");
    let xlsx = svc.export_price_table(&li, None, ExportFormat::Xlsx).expect("exports");
    let sheet = read_xlsx(&xlsx);
    assert!(!sheet[0].iter().any(|h| h.contains("最低限价")), "{:?}", sheet[0]);
    let entries = audit_with_action(&mut svc, &admin, "export.prices");
    assert_eq!(entries.len(), 2);
    assert!(entries.iter().all(|e| e.actor == "李强 (liqiang)" && e.after.contains("\"floor\":false")));
}

#[test]
fn a_salespersons_customer_export_holds_only_the_customers_they_may_see() {
    let (_dir, mut svc) = staff_office();
    let admin = sign_in(&mut svc, "admin");
    let (liqiang, wangfang) = (user(&mut svc, &admin, "liqiang").id, user(&mut svc, &admin, "wangfang").id);
    let head = sign_in(&mut svc, "zhaomin");
    let mut own = customer("江苏华能电力设备有限公司");
    own.contacts = vec![contact("王建", "13951100101"), contact("李娜", "13951100102")];
    add_customer(&mut svc, &head, own, Some(liqiang));
    add_customer(&mut svc, &head, customer("浙江中天电缆有限公司"), Some(wangfang));
    add_customer(&mut svc, &head, customer("重庆市电力公司"), None);

    let li = sign_in(&mut svc, "liqiang");
    let csv = csv_text(&svc.export_customers(&li, ExportFormat::Csv).expect("exports"));
    assert!(csv.starts_with("客户名称,"), "{csv}");
    assert!(csv.contains("江苏华能电力设备有限公司") && csv.contains("重庆市电力公司"), "{csv}");
    assert!(!csv.contains("浙江中天电缆有限公司"), "a colleague's customer is not exported: {csv}");
    assert_eq!(csv.lines().count(), 1 + 2 + 1, "a row per contact, one for a customer without");
    let xlsx = read_xlsx(&svc.export_customers(&li, ExportFormat::Xlsx).expect("exports"));
    assert!(xlsx.iter().all(|row| !row.iter().any(|c| c == "浙江中天电缆有限公司")));

    // The head's export has all three, and re-imports as unchanged.
    let all = svc.export_customers(&head, ExportFormat::Xlsx).expect("exports");
    let preview = svc.preview_customer_import(&head, &all, "客户.xlsx").expect("reads back");
    assert_eq!((preview.adds.len(), preview.changes.len(), preview.unchanged), (0, 0, 3), "{:?}", preview.rejects);

    let entries = audit_with_action(&mut svc, &admin, "export.customers");
    let by_li: Vec<_> = entries.iter().filter(|e| e.actor == "李强 (liqiang)").collect();
    assert_eq!(by_li.len(), 2);
    assert!(by_li.iter().all(|e| e.after.contains("\"customers\":2")), "{by_li:?}");
}

fn read_xlsx(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("an xlsx file");
    let range = workbook.worksheet_range_at(0).expect("a sheet").expect("readable");
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Command line

fn salesdesk(args: &[&OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_salesdesk"))
        .args(args)
        .env_remove("RUST_LOG")
        .env("SALESDESK_PASSWORD", DEMO_PASSWORD)
        .stdin(Stdio::null())
        .output()
        .expect("salesdesk runs")
}

macro_rules! cli {
    ($($arg:expr),+ $(,)?) => {
        salesdesk(&[$(OsStr::new($arg)),+])
    };
}

fn code(out: &Output) -> Option<i32> {
    out.status.code()
}

fn describe(out: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn table_on_file(db: &Path) -> (usize, Vec<String>) {
    let mut svc = Service::open(db).expect("opens");
    let admin = sign_in(&mut svc, "admin");
    let table = svc.price_table(&admin, None).expect("reads");
    (table.versions.len(), table.products.into_iter().map(|p| p.draft.code).collect())
}

#[test]
fn import_prices_dry_run_writes_nothing_and_a_real_run_imports() {
    let (dir, db) = staff_office_file();
    let file = dir.path().join("价格表.csv");
    std::fs::write(&file, gbk(&PRICE_CSV.replace('¥', "￥"))).expect("written");
    let out = cli!("import-prices", "--db", &db, "--user", "admin", &file, "--dry-run");
    assert_eq!(code(&out), Some(0), "{}", describe(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("新增 3") && stdout.contains("--dry-run"), "{stdout}");
    assert_eq!(table_on_file(&db), (0, Vec::new()), "a dry run writes nothing");

    let out = cli!("import-prices", "--db", &db, "--user", "admin", &file);
    assert_eq!(code(&out), Some(0), "{}", describe(&out));
    assert_eq!(table_on_file(&db), (1, vec!["IT-KYN28A-12".into(), "IT-SCB13-1000".into(), "IT-YJV22-240".into()]));
}

#[test]
fn import_prices_with_rejects_imports_nothing_without_skip_bad() {
    let (dir, db) = staff_office_file();
    let file = dir.path().join("价格表.csv");
    std::fs::write(&file, bom(&price_csv_with_rejects())).expect("written");
    for dry_run in [true, false] {
        let mut args = vec![OsStr::new("import-prices"), OsStr::new("--db"), db.as_os_str()];
        args.extend([OsStr::new("--user"), OsStr::new("admin"), file.as_os_str()]);
        if dry_run {
            args.push(OsStr::new("--dry-run"));
        }
        let out = salesdesk(&args);
        assert_eq!(code(&out), Some(1), "{}", describe(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.trim_end().lines().count(), 1, "one line on stderr: {stderr}");
        assert!(stderr.contains("未导入任何内容") && stderr.contains("--skip-bad"), "{stderr}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("第 7 行") && stdout.contains("面议"), "each reject is listed: {stdout}");
        assert_eq!(table_on_file(&db), (0, Vec::new()));
    }

    let out = cli!("import-prices", "--db", &db, "--user", "admin", &file, "--skip-bad");
    assert_eq!(code(&out), Some(0), "{}", describe(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("跳过 3"), "{}", describe(&out));
    assert_eq!(table_on_file(&db).1.len(), 3);

    // A salesperson may not import at all.
    let out = cli!("import-prices", "--db", &db, "--user", "liqiang", &file, "--skip-bad");
    assert_eq!(code(&out), Some(1), "{}", describe(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("只有管理员可以导入价格表"), "{}", describe(&out));
    assert_eq!(table_on_file(&db).0, 1);
}

#[test]
fn export_prices_writes_an_xlsx_that_calamine_reads_and_customers_import_from_the_command_line() {
    let (dir, db) = staff_office_file();
    let file = dir.path().join("价格表.xlsx");
    std::fs::write(&file, price_xlsx()).expect("written");
    let out = cli!("import-prices", "--db", &db, "--user", "admin", &file);
    assert_eq!(code(&out), Some(0), "{}", describe(&out));

    let exported = dir.path().join("导出价格表.xlsx");
    let out = cli!("export-prices", "--db", &db, "--user", "zhaomin", "--out", &exported);
    assert_eq!(code(&out), Some(0), "{}", describe(&out));
    let sheet = read_xlsx(&std::fs::read(&exported).expect("the export exists"));
    assert_eq!(sheet[0][0], "产品编码");
    assert!(sheet[0].contains(&"最低限价".to_string()), "the head sees floors: {:?}", sheet[0]);
    let codes: Vec<&str> = sheet[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(codes, vec!["IT-KYN28A-12", "IT-SCB13-1000", "IT-YJV22-240"]);
    let unknown = cli!("export-prices", "--db", &db, "--user", "zhaomin", "--out", &dir.path().join("x.pdf"));
    assert_eq!(code(&unknown), Some(1), "{}", describe(&unknown));

    let customers = dir.path().join("客户.csv");
    std::fs::write(&customers, customers_gbk()).expect("written");
    let out = cli!("import-customers", "--db", &db, "--user", "zhaomin", &customers);
    assert_eq!(code(&out), Some(1), "rejects without --skip-bad: {}", describe(&out));
    let out = cli!("import-customers", "--db", &db, "--user", "zhaomin", &customers, "--skip-bad");
    assert_eq!(code(&out), Some(0), "{}", describe(&out));
    let out_csv = dir.path().join("我的客户.csv");
    let out = cli!("export-customers", "--db", &db, "--user", "liqiang", "--out", &out_csv);
    assert_eq!(code(&out), Some(0), "{}", describe(&out));
    let csv = csv_text(&std::fs::read(&out_csv).expect("exported"));
    assert!(csv.contains("重庆渝能电力设备有限公司") && !csv.contains("国网重庆市电力公司"), "{csv}");

    let mut svc = Service::open(&db).expect("opens");
    let admin = sign_in(&mut svc, "admin");
    assert_eq!(audit_with_action(&mut svc, &admin, "export.prices").len(), 1);
    assert_eq!(audit_with_action(&mut svc, &admin, "export.customers").len(), 1);
}

#[test]
fn a_file_without_floor_unit_or_tax_columns_keeps_the_stored_values() {
    let (_dir, mut svc) = staff_office();
    let admin = sign_in(&mut svc, "admin");
    let today = svc.today();
    let preview = svc.preview_price_import(&admin, PRICE_CSV.as_bytes(), "价格表.csv").expect("previews");
    svc.apply_price_import(&admin, &preview, today, false).expect("imports");

    // A salesperson's export: no 最低限价, and here no 单位 and no 税率 either; one price moved.
    let thin = "产品编码,产品名称,含税单价\n\
        IT-SCB13-1000,干式变压器,\"186,000.00\"\n\
        IT-YJV22-240,交联聚乙烯电力电缆,615.00\n";
    let preview = svc.preview_price_import(&admin, thin.as_bytes(), "销售导出.csv").expect("previews");
    assert_eq!((preview.changes.len(), preview.unchanged), (1, 1), "only the moved price is a change");
    assert_eq!(preview.changes[0].fields, vec!["含税单价"]);
    svc.apply_price_import(&admin, &preview, today, false).expect("imports");
    let table = svc.price_table(&admin, None).expect("reads");
    let get = |code: &str| table.products.iter().find(|p| p.draft.code == code).expect("priced").draft.clone();
    let (scb, cable) = (get("IT-SCB13-1000"), get("IT-YJV22-240"));
    assert_eq!(scb.floor_price, Some(yuan("162000")), "the floor price survives");
    assert_eq!((cable.unit.as_str(), cable.tax_rate, cable.list_price), ("米", TaxRate::RATE_9, yuan("615")));
}

#[test]
fn the_head_changes_owners_of_existing_customers_by_import_and_each_change_is_audited() {
    let (_dir, mut svc) = staff_office();
    let admin = sign_in(&mut svc, "admin");
    let (liqiang, wangfang) = (user(&mut svc, &admin, "liqiang").id, user(&mut svc, &admin, "wangfang").id);
    let head = sign_in(&mut svc, "zhaomin");
    let preview = svc.preview_customer_import(&head, &customers_gbk(), "重庆客户.csv").expect("previews");
    svc.apply_customer_import(&head, &preview, true).expect("imports");
    // The same customers again: 渝能 to 王芳, the pool's 川仪 to 李强, 国网 left as it is.
    let again = gbk(&format!(
        "客户名称,统一社会信用代码,省份,城市,负责人\r\n\
         重庆渝能电力设备有限公司,{},重庆市,渝北区,wangfang\r\n\
         国网重庆市电力公司,,重庆,渝中区,\r\n\
         重庆川仪自动化股份有限公司,,重庆,北碚区,李强\r\n",
        credit_code(21)
    ));
    // The admin imports customers but does not assign them: owners stay.
    let by_admin = svc.preview_customer_import(&admin, &again, "负责人.csv").expect("previews");
    assert!(by_admin.changes.is_empty() && by_admin.unchanged == 3, "{:?}", by_admin.changes);
    let preview = svc.preview_customer_import(&head, &again, "负责人.csv").expect("previews");
    let changed: Vec<(&str, Option<_>, Option<_>)> =
        preview.changes.iter().map(|c| (c.after.draft.name.as_str(), c.before.owner, c.after.owner)).collect();
    assert_eq!(
        changed,
        vec![
            ("重庆渝能电力设备有限公司", Some(liqiang), Some(wangfang)),
            ("重庆川仪自动化股份有限公司", None, Some(liqiang)),
        ]
    );
    assert!(preview.changes.iter().all(|c| c.fields.contains(&"负责人")), "shown as a change");
    assert_eq!(preview.unchanged, 1, "an empty 负责人 leaves the owner");
    let report = svc.apply_customer_import(&head, &preview, false).expect("applies");
    assert_eq!(report.changed, 2);
    assert_eq!(audit_with_action(&mut svc, &admin, "customer.assign").len(), 2, "one entry per customer");
    let rows = svc.search_customers(&head, &CustomerFilter::default(), 0).expect("lists").rows;
    let owner_of = |name: &str| rows.iter().find(|r| r.name == name).map(|r| r.owner_name.clone()).unwrap();
    assert_eq!(owner_of("重庆渝能电力设备有限公司"), "王芳");
    assert_eq!(owner_of("重庆川仪自动化股份有限公司"), "李强");
}
