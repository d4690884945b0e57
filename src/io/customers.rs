//! Importing the customer archive (客户资料): one contact per row. Rows that repeat a customer's
//! exact name with the same (or empty) customer cells add their contact to it, which is how
//! `export::customer_rows` writes a customer with several contacts; any other repeat of a name
//! (same `name_core`) or of a 统一社会信用代码 is rejected.
//!
//! Must never: guess an owner (the 负责人 text is passed on for the service to resolve), or let a
//! contact's details in without a contact name.

use std::collections::HashMap;

use super::table::{ColumnSpec, Header, RawRow, locate_header, read_table};
use super::{ImportError, ImportRow, ParsedImport, RowProblems, parse_yes_no};
use crate::domain::customer::{Contact, CustomerDraft, Grade, InvoiceInfo, name_core};
use crate::domain::region::province_short;

/// One imported customer and who should own it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerImport {
    pub draft: CustomerDraft,
    /// The 负责人 cell: a login name or a display name; empty = shared pool (公海).
    pub owner_login: String,
}

const fn col(key: &'static str, aliases: &'static [&'static str]) -> ColumnSpec {
    ColumnSpec { key, aliases, required: false }
}

/// The customer columns; the first alias of each is what `export::customer_rows` writes.
pub const CUSTOMER_COLUMNS: &[ColumnSpec] = &[
    ColumnSpec {
        key: "name",
        aliases: &["客户名称", "单位名称", "公司名称", "客户全称", "name", "customer"],
        required: true,
    },
    col("short_name", &["简称", "客户简称", "short name"]),
    col("credit_code", &["统一社会信用代码", "信用代码", "社会信用代码", "税号", "纳税人识别号", "credit code"]),
    col("grade", &["客户等级", "等级", "grade"]),
    col("source", &["来源", "客户来源", "source"]),
    col("industry", &["行业", "所属行业", "industry"]),
    col("province", &["省份", "地区", "省", "province", "region"]),
    col("city", &["城市", "市", "city"]),
    col("address", &["地址", "公司地址", "详细地址", "address"]),
    col("phone", &["电话", "总机", "公司电话", "phone", "tel"]),
    col("contact_name", &["联系人", "联系人姓名", "contact"]),
    col("contact_title", &["职务", "职位", "title"]),
    col("contact_mobile", &["手机", "手机号", "手机号码", "mobile"]),
    col("contact_phone", &["联系电话", "联系人电话", "座机", "contact phone"]),
    col("contact_email", &["邮箱", "电子邮箱", "email"]),
    col("contact_wechat", &["微信", "微信号", "wechat"]),
    col("contact_primary", &["主要联系人", "primary contact"]),
    col("invoice_title", &["开票抬头", "发票抬头", "invoice title"]),
    col("invoice_address_phone", &["开票地址电话", "开票地址、电话", "invoice address"]),
    col("bank_name", &["开户行", "开户银行", "bank"]),
    col("bank_account", &["银行账号", "开户账号", "账号", "bank account"]),
    col("owner", &["负责人", "业务员", "销售负责人", "owner"]),
    col("notes", &["备注", "notes", "remark"]),
];

/// Customer-level columns: a further row of the same customer may leave them empty or repeat them.
const CUSTOMER_LEVEL: &[&str] = &[
    "short_name",
    "credit_code",
    "grade",
    "source",
    "industry",
    "province",
    "city",
    "address",
    "phone",
    "invoice_title",
    "invoice_address_phone",
    "bank_name",
    "bank_account",
    "owner",
    "notes",
];

/// A customer name met earlier in the file.
struct SeenCustomer {
    first_row: usize,
    name: String,
    /// Index into the accepted rows; `None` when its first row was rejected.
    accepted: Option<usize>,
}

/// Reads a customer list. Whole-file problems are errors; row problems are rejects.
pub fn parse_customers(bytes: &[u8], file_name: &str) -> Result<ParsedImport<CustomerImport>, ImportError> {
    let table = read_table(bytes, file_name)?;
    let header = locate_header(&table, CUSTOMER_COLUMNS)?;
    let mut parsed = ParsedImport {
        header_row: header.row,
        headers: header.texts.clone(),
        columns: CUSTOMER_COLUMNS.iter().filter(|c| header.has(c.key)).map(|c| c.key).collect(),
        rows: Vec::new(),
        rejects: Vec::new(),
    };
    let mut by_core: HashMap<String, SeenCustomer> = HashMap::new();
    let mut by_credit_code: HashMap<String, usize> = HashMap::new();
    for row in table.rows.iter().filter(|r| r.number > header.row) {
        let (import, mut problems) = customer_from_row(&header, row);
        let core = name_core(&import.draft.name);
        match by_core.get(&core).filter(|_| !core.is_empty()) {
            Some(seen) if seen.name == import.draft.name => {
                add_to_earlier_customer(&header, row, import, problems, seen, &mut parsed);
                continue;
            }
            Some(seen) => problems.add(
                header.label("name"),
                format!("与第 {} 行的客户“{}”重复（名称相同或相近）", seen.first_row, seen.name),
            ),
            None => {}
        }
        let code = import.draft.credit_code.clone();
        if !code.is_empty() {
            let first = *by_credit_code.entry(code).or_insert(row.number);
            if first != row.number {
                problems.add(header.label("credit_code"), format!("与第 {first} 行的统一社会信用代码相同"));
            }
        }
        let name = import.draft.name.clone();
        let accepted = match problems.into_reject(row, &header) {
            Some(reject) => {
                parsed.rejects.push(reject);
                None
            }
            None => {
                parsed.rows.push(ImportRow { row: row.number, value: import, cells: row.cells.clone() });
                Some(parsed.rows.len() - 1)
            }
        };
        if !core.is_empty() {
            by_core.entry(core).or_insert(SeenCustomer { first_row: row.number, name, accepted });
        }
    }
    Ok(parsed)
}

/// A further row of a customer met before: its contact joins that customer, unless the row
/// contradicts it, adds nothing, or the customer's first row was rejected.
fn add_to_earlier_customer(
    header: &Header,
    row: &RawRow,
    import: CustomerImport,
    mut problems: RowProblems,
    seen: &SeenCustomer,
    parsed: &mut ParsedImport<CustomerImport>,
) {
    let first = seen.first_row;
    let earlier = seen.accepted.and_then(|i| parsed.rows.get_mut(i));
    let Some(earlier) = earlier else {
        problems.add(header.label("name"), format!("同一客户的第 {first} 行有错误未导入，本行一并退回，请一起修改"));
        parsed.rejects.extend(problems.into_reject(row, header));
        return;
    };
    for key in CUSTOMER_LEVEL.iter().copied().filter(|k| !header.get(row, k).is_empty()) {
        let (mine, theirs) = (customer_field(&import, key), customer_field(&earlier.value, key));
        if mine != theirs {
            problems
                .add(header.label(key), format!("与第 {first} 行是同一客户，但此列不同（第 {first} 行为“{theirs}”）"));
        }
    }
    match import.draft.contacts.into_iter().next() {
        None => problems.add(header.label("name"), format!("与第 {first} 行的客户重复")),
        Some(mut contact) => {
            // Without a 主要联系人 column only the first row's contact is the main one.
            contact.primary &= header.has("contact_primary");
            if contact.primary && earlier.value.draft.contacts.iter().any(|c| c.primary) {
                problems.add(header.label("contact_primary"), "同一客户只能有一位主要联系人");
            } else if problems.is_empty() {
                earlier.value.draft.contacts.push(contact);
            }
        }
    }
    parsed.rejects.extend(problems.into_reject(row, header));
}

/// The normalised value of a customer-level column, for comparing two rows of one customer.
fn customer_field(import: &CustomerImport, key: &str) -> String {
    let d = &import.draft;
    let text = match key {
        "short_name" => &d.short_name,
        "credit_code" => &d.credit_code,
        "grade" => return d.grade.code().to_string(),
        "source" => &d.source,
        "industry" => &d.industry,
        "province" => &d.province,
        "city" => &d.city,
        "address" => &d.address,
        "phone" => &d.phone,
        "invoice_title" => &d.invoice.title,
        "invoice_address_phone" => &d.invoice.address_phone,
        "bank_name" => &d.invoice.bank_name,
        "bank_account" => &d.invoice.bank_account,
        "owner" => &import.owner_login,
        "notes" => &d.notes,
        _ => return String::new(),
    };
    text.clone()
}

/// The customer of one row (validated and normalised) and what is wrong with it.
fn customer_from_row(header: &Header, row: &RawRow) -> (CustomerImport, RowProblems) {
    let mut problems = RowProblems::default();
    let cell = |key: &str| header.get(row, key).to_string();
    let province = cell("province");
    let mut draft = CustomerDraft {
        name: cell("name"),
        short_name: cell("short_name"),
        credit_code: cell("credit_code"),
        source: cell("source"),
        industry: cell("industry"),
        province: province_short(&province).map_or(province, str::to_string),
        city: cell("city"),
        address: cell("address"),
        phone: cell("phone"),
        invoice: InvoiceInfo {
            title: cell("invoice_title"),
            address_phone: cell("invoice_address_phone"),
            bank_name: cell("bank_name"),
            bank_account: cell("bank_account"),
        },
        notes: cell("notes"),
        ..CustomerDraft::default()
    };
    let grade = cell("grade");
    match Grade::parse(&grade) {
        Some(g) => draft.grade = g,
        None if grade.is_empty() => {}
        None => problems.add(
            header.label("grade"),
            format!("客户等级“{grade}”无法识别，请填写 A、B、C 或 D（重点、重要、一般、潜在）"),
        ),
    }
    if let Some(contact) = contact_from_row(header, row, &mut problems) {
        draft.contacts.push(contact);
    }
    for error in draft.validate() {
        let key = match error.field.as_ref() {
            "contact0.name" => "contact_name",
            "contact0.phone" => "contact_phone",
            "contact0.mobile" => "contact_mobile",
            "contact0.email" => "contact_email",
            "contacts" => "contact_primary",
            other => other,
        };
        problems.add(header.label(key), error.message);
    }
    (CustomerImport { draft, owner_login: cell("owner") }, problems)
}

/// The row's contact, if it names one. Contact details without a name are a problem.
fn contact_from_row(header: &Header, row: &RawRow, problems: &mut RowProblems) -> Option<Contact> {
    let cell = |key: &str| header.get(row, key).to_string();
    let name = cell("contact_name");
    let details = ["contact_title", "contact_mobile", "contact_phone", "contact_email", "contact_wechat"];
    if name.is_empty() {
        if let Some(key) = details.iter().find(|k| !header.get(row, k).is_empty()) {
            problems.add(header.label("contact_name"), format!("填写了{}，请同时填写联系人姓名", header.label(key)));
        }
        return None;
    }
    // Without a 主要联系人 column, a customer's first contact is its main one.
    let primary_text = cell("contact_primary");
    let primary = match parse_yes_no(&primary_text, !header.has("contact_primary")) {
        Some(p) => p,
        None => {
            problems.add(header.label("contact_primary"), format!("“{primary_text}”无法识别，请填写 是 或 否"));
            false
        }
    };
    Some(Contact {
        id: None,
        name,
        title: cell("contact_title"),
        phone: cell("contact_phone"),
        mobile: cell("contact_mobile"),
        email: cell("contact_email"),
        wechat: cell("contact_wechat"),
        primary,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODE_A: &str = "91350100M000100Y43";
    const CODE_B: &str = "91110108551385082Q";

    fn parse(text: &str) -> ParsedImport<CustomerImport> {
        parse_customers(text.as_bytes(), "客户.csv").expect("parsed")
    }

    fn names(parsed: &ParsedImport<CustomerImport>) -> Vec<&str> {
        parsed.rows.iter().map(|r| r.value.draft.name.as_str()).collect()
    }

    #[test]
    fn a_gbk_file_with_chongqing_customers_imports() {
        let text = "客户名称,省份,城市,客户等级,联系人,职务,手机,负责人\r\n\
                    重庆渝能电力设备有限公司,重庆市,重庆,A,张伟,采购经理,139 5110 0001,lisi\r\n\
                    国网重庆市电力公司,重庆,渝中区,,,,,\r\n";
        let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
        assert!(!unmappable);
        assert!(std::str::from_utf8(&bytes).is_err(), "the test file really is GBK");
        let parsed = parse_customers(&bytes, "客户.csv").expect("parsed");
        assert!(parsed.rejects.is_empty(), "{:?}", parsed.rejects);
        assert_eq!(names(&parsed), vec!["重庆渝能电力设备有限公司", "国网重庆市电力公司"]);
        let first = &parsed.rows[0].value;
        assert_eq!((first.draft.province.as_str(), first.draft.grade), ("重庆", Grade::A));
        assert_eq!(first.owner_login, "lisi");
        let contact = &first.draft.contacts[0];
        assert_eq!((contact.name.as_str(), contact.mobile.as_str(), contact.primary), ("张伟", "13951100001", true));
        let second = &parsed.rows[1].value;
        assert_eq!((second.draft.grade, second.draft.contacts.len()), (Grade::C, 0));
        assert_eq!(second.owner_login, "", "no owner: shared pool");
        assert_eq!(parsed.rows[1].row, 3);
    }

    #[test]
    fn an_invalid_credit_code_is_rejected_naming_the_column() {
        let parsed = parse("单位名称,统一社会信用代码\n江苏华能电力设备有限公司,91350100M000100Y44\n");
        assert!(parsed.rows.is_empty());
        let reject = &parsed.rejects[0];
        assert_eq!((reject.row, reject.column.as_str()), (2, "统一社会信用代码"));
        assert!(reject.reason.contains("校验位"), "{}", reject.reason);
    }

    #[test]
    fn english_headers_and_normalised_values_import() {
        let text = format!(
            "Name,Credit Code,Grade,Province,Phone,Contact,Mobile,E-mail,Owner\n\
             江苏华能电力设备有限公司,{},重点客户,江苏省,(025)83456789,王建,+86 139 5110 0001,Wang@Example.COM,张三\n",
            CODE_A.to_lowercase()
        );
        let parsed = parse(&text);
        assert!(parsed.rejects.is_empty(), "{:?}", parsed.rejects);
        let c = &parsed.rows[0].value;
        assert_eq!(c.draft.credit_code, CODE_A);
        assert_eq!(c.draft.grade, Grade::A);
        assert_eq!(c.draft.province, "江苏");
        assert_eq!(c.draft.phone, "025-83456789");
        assert_eq!(c.draft.contacts[0].email, "Wang@example.com");
        assert_eq!(c.draft.invoice.title, "江苏华能电力设备有限公司");
        assert_eq!(c.owner_login, "张三");
    }

    #[test]
    fn the_same_company_written_twice_is_rejected_the_second_time() {
        let text = "客户名称\n江苏华能电力设备有限公司\n浙江中天电缆有限公司\n华能电力设备有限公司\n";
        let parsed = parse(text);
        assert_eq!(names(&parsed), vec!["江苏华能电力设备有限公司", "浙江中天电缆有限公司"]);
        let reject = &parsed.rejects[0];
        assert_eq!((reject.row, reject.column.as_str()), (4, "客户名称"));
        assert!(reject.reason.contains("与第 2 行"), "{}", reject.reason);
    }

    #[test]
    fn a_credit_code_used_by_two_customers_is_rejected_the_second_time() {
        let text = format!(
            "客户名称,信用代码\n甲方电力有限公司,{CODE_A}\n乙方电缆有限公司,{CODE_B}\n丙方开关有限公司,{CODE_A}\n"
        );
        let parsed = parse(&text);
        assert_eq!(parsed.rows.len(), 2);
        assert_eq!(parsed.rejects[0].row, 4);
        assert_eq!(parsed.rejects[0].column, "信用代码");
        assert_eq!(parsed.rejects[0].reason, "与第 2 行的统一社会信用代码相同");
    }

    #[test]
    fn further_rows_of_one_customer_add_its_contacts() {
        let text = "客户名称,客户等级,联系人,手机\n\
                    甲方电力有限公司,B,张伟,13800138000\n\
                    甲方电力有限公司,,李娜,13900139000\n\
                    甲方电力有限公司,B,王强,\n";
        let parsed = parse(text);
        assert!(parsed.rejects.is_empty(), "{:?}", parsed.rejects);
        assert_eq!(parsed.rows.len(), 1);
        let contacts: Vec<(&str, bool)> =
            parsed.rows[0].value.draft.contacts.iter().map(|c| (c.name.as_str(), c.primary)).collect();
        assert_eq!(contacts, vec![("张伟", true), ("李娜", false), ("王强", false)]);
    }

    #[test]
    fn a_further_row_that_contradicts_its_customer_is_rejected() {
        let text = "客户名称,客户等级,联系人\n甲方电力有限公司,B,张伟\n甲方电力有限公司,A,李娜\n甲方电力有限公司,,\n";
        let parsed = parse(text);
        assert_eq!(parsed.rows[0].value.draft.contacts.len(), 1);
        let rejects: Vec<(usize, &str)> = parsed.rejects.iter().map(|r| (r.row, r.column.as_str())).collect();
        assert_eq!(rejects, vec![(3, "客户等级"), (4, "客户名称")]);
        assert!(parsed.rejects[0].reason.contains("第 2 行为“B”"), "{}", parsed.rejects[0].reason);
    }

    #[test]
    fn rows_of_a_rejected_customer_are_rejected_with_it() {
        let text = format!("客户名称,信用代码,联系人\n甲方电力有限公司,{CODE_A}X,张伟\n甲方电力有限公司,,李娜\n");
        let parsed = parse(&text);
        assert!(parsed.rows.is_empty());
        assert_eq!(parsed.rejects.len(), 2);
        assert!(parsed.rejects[1].reason.contains("第 2 行有错误"), "{}", parsed.rejects[1].reason);
    }

    #[test]
    fn bad_contact_fields_are_rejected_naming_their_columns() {
        let text = "客户名称,联系人,手机,邮箱,职务\n甲方电力有限公司,张伟,12345,zhang@qq\n乙方电缆有限公司,,,,经理\n";
        let parsed = parse(text);
        assert!(parsed.rows.is_empty());
        assert_eq!(parsed.rejects[0].column, "手机");
        assert!(parsed.rejects[0].reason.contains("邮箱："), "{}", parsed.rejects[0].reason);
        assert_eq!(parsed.rejects[1].column, "联系人");
        assert!(parsed.rejects[1].reason.contains("职务"), "{}", parsed.rejects[1].reason);
    }

    #[test]
    fn an_unknown_grade_and_a_too_short_name_are_rejected() {
        let parsed = parse("客户名称,等级\n甲方电力有限公司,VIP\n甲,A\n");
        let rejects: Vec<(usize, &str)> = parsed.rejects.iter().map(|r| (r.row, r.column.as_str())).collect();
        assert_eq!(rejects, vec![(2, "等级"), (3, "客户名称")]);
    }

    #[test]
    fn a_missing_name_column_is_named() {
        let err = parse_customers("联系人,手机\n张伟,13800138000\n".as_bytes(), "a.csv").expect_err("missing");
        assert_eq!(err, ImportError::MissingColumns(vec!["客户名称".into()]));
    }
}
