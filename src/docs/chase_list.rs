//! The 催款清单 (chase list) a salesperson takes to the phone or on the road: per salesperson, each
//! overdue installment with whom to call, how much and how long overdue, and the last money that
//! came in; a total and a line for the salesperson to sign that they received it.

use super::DocError;
use super::canvas::{Align, CONTENT_WIDTH, Canvas, Column, Finish, GREY, MARGIN_LEFT, Style};
use super::fonts::DocFonts;
use super::pdf::{Meta, save};
use super::quote::letterhead;
use crate::domain::company::CompanyProfile;
use crate::domain::dates::{cn_date, cn_date_time};
use crate::domain::money::Money;

/// One row of the list, as printed.
#[derive(Debug, Clone)]
pub struct ChaseRow {
    pub number: String,
    pub customer: String,
    pub contact: String,
    pub phone: String,
    pub installment: String,
    pub due: chrono::NaiveDate,
    pub outstanding: Money,
    pub days_overdue: i64,
    pub last_receipt: Option<(chrono::NaiveDate, Money)>,
}

/// What the list prints: one section per salesperson, most days overdue first.
#[derive(Debug, Clone)]
pub struct ChaseListDoc {
    pub company: CompanyProfile,
    pub logo: Option<Vec<u8>>,
    pub people: Vec<(String, Vec<ChaseRow>)>,
    pub printed_at: chrono::DateTime<chrono::Utc>,
}

/// Renders the list to PDF bytes; each salesperson starts on a new page.
pub fn render(fonts: &'static DocFonts, doc: &ChaseListDoc) -> Result<Vec<u8>, DocError> {
    let mut c = Canvas::new(fonts);
    c.running_header = format!("{}　催款清单", doc.company.name);
    letterhead(&mut c, &doc.company, doc.logo.as_deref())?;
    let title = Style::bold(20.0);
    c.text_in(MARGIN_LEFT, CONTENT_WIDTH, c.y, "催 款 清 单", title, Align::Center);
    c.y += title.line_height() + 1.0;
    let printed = format!("截至 {}", cn_date_time(doc.printed_at));
    c.text_in(MARGIN_LEFT, CONTENT_WIDTH, c.y, &printed, Style::regular(9.0).with_color(GREY), Align::Right);
    c.y += Style::regular(9.0).line_height() + 2.0;
    if doc.people.is_empty() {
        c.paragraph(MARGIN_LEFT, CONTENT_WIDTH, "没有逾期的应收款。", Style::regular(10.0));
    }
    let columns = {
        let mut cols = vec![
            Column::new("合同号", 23.0, Align::Left),
            Column::new("客户", 0.0, Align::Left),
            Column::new("联系人 / 电话", 24.0, Align::Left),
            Column::new("付款节点", 18.0, Align::Left),
            Column::new("到期日", 22.0, Align::Left),
            Column::new("未收(元)", 19.0, Align::Right),
            Column::new("逾期", 13.0, Align::Right),
            Column::new("最近回款", 22.0, Align::Left),
        ];
        let used: f32 = cols.iter().map(|c| c.width).sum();
        cols[1].width = CONTENT_WIDTH - used;
        cols
    };
    for (n, (person, rows)) in doc.people.iter().enumerate() {
        if n > 0 {
            c.new_page();
        }
        let total: Money = rows.iter().map(|r| r.outstanding).sum();
        let heading = Style::bold(12.0);
        c.text(MARGIN_LEFT, c.y, person, heading);
        let w = c.width(person, heading);
        let count = format!("　逾期 {} 笔，合计 ¥{total}", rows.len());
        c.text(MARGIN_LEFT + w, c.y + 0.6, &count, Style::regular(9.5).with_color(GREY));
        c.y += heading.line_height() + 1.0;
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                vec![
                    r.number.clone(),
                    r.customer.clone(),
                    format!("{}\n{}", r.contact, r.phone),
                    r.installment.clone(),
                    cn_date(r.due),
                    r.outstanding.to_string(),
                    format!("{} 天", r.days_overdue),
                    r.last_receipt.map(|(d, a)| format!("{}\n¥{a}", cn_date(d))).unwrap_or_else(|| "—".into()),
                ]
            })
            .collect();
        c.table_continued(&columns, &cells, Style::regular(8.5), Some(&format!("{person}（续）")));
        c.y += 8.0;
        let style = Style::regular(10.0);
        c.ensure(style.line_height() + 4.0);
        c.text_in(
            MARGIN_LEFT,
            CONTENT_WIDTH,
            c.y,
            "销售员签收：＿＿＿＿＿＿＿＿　　日期：　　　年　　月　　日",
            style,
            Align::Right,
        );
        c.y += style.line_height();
    }
    let drawn = c.finish(&Finish {
        footer_left: "催款清单".into(),
        footer_right: doc.company.name.clone(),
        watermark: None,
        riding_seal: None,
    })?;
    let meta = Meta {
        title: "催款清单".into(),
        author: doc.company.name.clone(),
        subject: printed,
        date: doc.printed_at,
        identity: format!("chase-list:{}", doc.printed_at.timestamp()),
    };
    save(fonts, drawn, &meta)
}
