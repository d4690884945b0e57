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
    /// (salesperson, their visits of the week: key first, then by time)
    pub people: Vec<(String, Vec<Visit>)>,
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
        VisitStatus::Planned => "",
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
        doc.printed_at.with_timezone(&Local).format("%Y-%m-%d %H:%M")
    );
    c.text_in(MARGIN_LEFT, CONTENT_WIDTH, c.y, &summary, Style::regular(8.5).with_color(GREY), Align::Right);
    c.y += Style::regular(8.5).line_height() + 3.0;

    let columns = [
        Column::new("日期", 24.0, Align::Left),
        Column::new("时间", 13.0, Align::Center),
        Column::new("客户", 48.0, Align::Left),
        Column::new("联系人", 18.0, Align::Left),
        Column::new("目的", 0.0, Align::Left),
        Column::new("重点", 11.0, Align::Center),
        Column::new("状态", 14.0, Align::Center),
    ];
    let used: f32 = columns.iter().map(|c| c.width).sum();
    let mut columns = columns.to_vec();
    columns[4].width = CONTENT_WIDTH - used;

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
        let rows: Vec<Vec<String>> = visits
            .iter()
            .map(|v| {
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
                vec![
                    day,
                    time,
                    v.customer_name.clone(),
                    v.contact_name.clone(),
                    v.plan.purpose.clone(),
                    if v.key { "★".into() } else { String::new() },
                    status_text(v).into(),
                ]
            })
            .collect();
        c.table_continued(&columns, &rows, Style::regular(9.0), Some(&format!("{person}（续）")));
        c.y += 4.0;
    }
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
