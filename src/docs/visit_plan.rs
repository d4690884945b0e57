//! The weekly visit plan (周拜访计划) for the Saturday meeting: one section per salesperson with
//! their visits of the week, key visits (重点) first, on the shared letterhead and page footer.

use chrono::{Datelike, Local};

use super::DocError;
use super::canvas::{Align, CONTENT_WIDTH, Canvas, Column, Drawn, Finish, GREY, MARGIN_LEFT, Style};
use super::fonts::DocFonts;
use super::pdf::{Meta, save};
use super::quote::letterhead;
use crate::domain::company::CompanyProfile;
use crate::domain::visit::{Visit, VisitStatus, Week};

/// What the plan sheet prints.
#[derive(Debug, Clone)]
pub struct VisitPlanDoc {
    pub company: CompanyProfile,
    pub logo: Option<Vec<u8>>,
    pub week: Week,
    /// (salesperson, their visits of the week in date and time order)
    pub people: Vec<(String, Vec<Visit>)>,
    /// Each customer's (province, city), for the 城市 column and the two-province check.
    pub places: std::collections::HashMap<crate::domain::ids::CustomerId, (String, String)>,
    /// When the sheet was printed (shown in the heading; the PDF's date).
    pub printed_at: chrono::DateTime<chrono::Utc>,
}

const WEEKDAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];

fn week_title(week: Week) -> String {
    match week.days() {
        Some((monday, sunday)) => format!(
            "{}年第{}周（{}月{}日—{}月{}日）",
            week.year,
            week.week,
            monday.month(),
            monday.day(),
            sunday.month(),
            sunday.day()
        ),
        None => week.to_string(),
    }
}

fn status_text(v: &Visit) -> &'static str {
    match v.status {
        VisitStatus::Planned => "计划",
        VisitStatus::Done => "已拜访",
        VisitStatus::Cancelled => "已取消",
    }
}

/// Renders the plan sheet to PDF bytes.
pub fn render(fonts: &'static DocFonts, doc: &VisitPlanDoc) -> Result<Vec<u8>, DocError> {
    let (drawn, meta) = draw(fonts, doc)?;
    save(fonts, drawn, &meta)
}

/// Lays out the pages without writing the PDF (the preview draws these).
pub fn draw(fonts: &'static DocFonts, doc: &VisitPlanDoc) -> Result<(Drawn, Meta), DocError> {
    let mut c = Canvas::new(fonts);
    c.running_header = format!("{}　拜访计划　{}", doc.company.name, doc.week);
    letterhead(&mut c, &doc.company, doc.logo.as_deref())?;
    let title = Style::bold(20.0);
    c.text_in(MARGIN_LEFT, CONTENT_WIDTH, c.y, "拜 访 计 划", title, Align::Center);
    c.y += title.line_height();
    let sub = Style::regular(10.0);
    c.text_in(MARGIN_LEFT, CONTENT_WIDTH, c.y, &format!("{}　周六例会", week_title(doc.week)), sub, Align::Center);
    c.y += sub.line_height() + 1.0;
    let total: usize = doc.people.iter().map(|(_, v)| v.len()).sum();
    let key: usize = doc.people.iter().map(|(_, v)| v.iter().filter(|x| x.key).count()).sum();
    let summary = format!(
        "共 {} 位销售员，{total} 次拜访，其中重点 {key} 次。打印：{}",
        doc.people.len(),
        crate::domain::dates::cn_date_time(doc.printed_at)
    );
    c.text_in(MARGIN_LEFT, CONTENT_WIDTH, c.y, &summary, Style::regular(8.5).with_color(GREY), Align::Right);
    c.y += Style::regular(8.5).line_height() + 3.0;

    let columns = [
        Column::new("日期", 22.0, Align::Left),
        Column::new("时间", 12.0, Align::Center),
        Column::new("客户", 38.0, Align::Left),
        Column::new("城市", 16.0, Align::Left),
        Column::new("联系人", 15.0, Align::Left),
        Column::new("目的", 0.0, Align::Left),
        Column::new("重点", 9.0, Align::Center),
        Column::new("状态", 13.0, Align::Center),
        Column::new("备注", 26.0, Align::Left),
    ];
    let used: f32 = columns.iter().map(|c| c.width).sum();
    let mut columns = columns.to_vec();
    columns[5].width = CONTENT_WIDTH - used;
    let mut marked_any = false;

    if doc.people.is_empty() {
        c.paragraph(MARGIN_LEFT, CONTENT_WIDTH, "本周没有任何拜访计划。", Style::regular(10.0));
    }
    for (person, visits) in &doc.people {
        let heading = Style::bold(11.5);
        // A salesperson's heading stays with at least the table header and one row.
        c.ensure(heading.line_height() + 16.0);
        let keys = visits.iter().filter(|v| v.key).count();
        c.text(MARGIN_LEFT, c.y, person, heading);
        let w = c.width(person, heading);
        let count = format!(
            "　共 {} 次拜访{}",
            visits.len(),
            if keys > 0 { format!("，重点 {keys} 次") } else { String::new() }
        );
        c.text(MARGIN_LEFT + w, c.y + 0.6, &count, Style::regular(9.0).with_color(GREY));
        c.y += heading.line_height() + 0.5;
        if visits.is_empty() {
            c.paragraph(MARGIN_LEFT, CONTENT_WIDTH, "本周未安排拜访。", Style::regular(9.0).with_color(GREY));
            c.y += 3.0;
            continue;
        }
        let place = |v: &Visit| v.plan.customer.and_then(|c| doc.places.get(&c)).cloned().unwrap_or_default();
        let days: Vec<(Option<chrono::NaiveDate>, String)> = visits
            .iter()
            .map(|v| (v.plan.planned_at.map(|t| t.with_timezone(&Local).date_naive()), place(v).0))
            .collect();
        let pairs: Vec<(Option<chrono::NaiveDate>, &str)> = days.iter().map(|(d, p)| (*d, p.as_str())).collect();
        let apart = crate::domain::visit::cross_province_days(&pairs);
        marked_any |= apart.iter().any(|a| *a);
        let rows: Vec<Vec<String>> = visits
            .iter()
            .zip(&apart)
            .map(|(v, apart)| {
                let at = v.plan.planned_at.map(|t| t.with_timezone(&Local));
                let day = at
                    .map(|t| {
                        format!(
                            "{}月{}日 {}",
                            t.month(),
                            t.day(),
                            WEEKDAYS[t.weekday().num_days_from_monday() as usize]
                        )
                    })
                    .unwrap_or_default();
                let time = at.map(|t| t.format("%H:%M").to_string()).unwrap_or_default();
                let (_, city) = place(v);
                let city = if *apart { format!("{city} ※") } else { city };
                vec![
                    day,
                    time,
                    v.customer_name.clone(),
                    city,
                    v.contact_name.clone(),
                    v.plan.purpose.clone(),
                    if v.key { "★".into() } else { String::new() },
                    status_text(v).into(),
                    v.plan.notes.clone(),
                ]
            })
            .collect();
        c.table_continued(&columns, &rows, Style::regular(9.0), Some(&format!("{person}（续）")));
        c.y += 4.0;
    }
    let note = Style::regular(8.5).with_color(GREY);
    if marked_any {
        c.paragraph(
            MARGIN_LEFT,
            CONTENT_WIDTH,
            "※ 同一天在不同省份的拜访：请销售部负责人在例会上核实行程。重点拜访由销售部负责人标记。",
            note,
        );
    } else if key > 0 {
        c.paragraph(MARGIN_LEFT, CONTENT_WIDTH, "重点拜访由销售部负责人标记。", note);
    }
    // The head signs the plan off at the Saturday meeting.
    let style = Style::regular(10.5);
    c.ensure(style.line_height() * 2.0 + 12.0);
    c.y += 10.0;
    c.text_in(
        MARGIN_LEFT,
        CONTENT_WIDTH,
        c.y,
        "销售部负责人审核（签字）：＿＿＿＿＿＿＿＿　　日期：　　　年　　月　　日",
        style,
        Align::Right,
    );
    c.y += style.line_height();
    let drawn = c.finish(&Finish {
        footer_left: format!("拜访计划 {}", doc.week),
        footer_right: doc.company.name.clone(),
        watermark: None,
        riding_seal: None,
    })?;
    let meta = Meta {
        title: format!("拜访计划 {}", doc.week),
        author: doc.company.name.clone(),
        subject: week_title(doc.week),
        date: doc.printed_at,
        identity: format!("visit-plan:{}:{}", doc.week, doc.printed_at.timestamp()),
    };
    Ok((drawn, meta))
}
