//! The salesperson's weekly report (工作周报), printable: the week's visits with what came of
//! them, inquiries registered, revisions submitted, outcomes, what is overdue, next week's plan,
//! and the salesperson's own notes and focus. Several reports print one after another, each
//! starting on its own page (the head's copy for the meeting).

use chrono::{Datelike, Local};

use super::DocError;
use super::canvas::{Align, CONTENT_WIDTH, Canvas, Column, Drawn, Finish, GREY, MARGIN_LEFT, Style};
use super::fonts::DocFonts;
use super::pdf::{Meta, save};
use super::quote::letterhead;
use crate::domain::company::CompanyProfile;
use crate::domain::visit::{Visit, VisitStatus, Week};

/// One salesperson's report, in printable words.
#[derive(Debug, Clone, Default)]
pub struct ReportSection {
    pub person: String,
    pub visits: Vec<Visit>,
    pub overdue: Vec<Visit>,
    /// (number, customer, subject, status)
    pub inquiries: Vec<[String; 4]>,
    /// (number and revision, customer, total, status)
    pub submitted: Vec<[String; 4]>,
    /// (number, customer, outcome)
    pub outcomes: Vec<[String; 3]>,
    /// (date and contract number, customer, amount, method and hand-in)
    pub receipts: Vec<[String; 4]>,
    pub next_week: Vec<Visit>,
    pub notes: String,
    pub next_focus: String,
}

#[derive(Debug, Clone)]
pub struct WeeklyReportDoc {
    pub company: CompanyProfile,
    pub logo: Option<Vec<u8>>,
    pub week: Week,
    pub sections: Vec<ReportSection>,
    pub printed_at: chrono::DateTime<chrono::Utc>,
}

fn day_time(v: &Visit) -> String {
    v.plan
        .planned_at
        .map(|t| t.with_timezone(&Local))
        .map(|t| format!("{}月{}日 {}", t.month(), t.day(), t.format("%H:%M")))
        .unwrap_or_default()
}

fn visit_result(v: &Visit) -> String {
    match (&v.status, &v.record) {
        (VisitStatus::Done, Some(r)) => {
            let mut s = r.outcome.clone();
            if !r.next_step.trim().is_empty() {
                s.push_str(&format!("；下一步：{}", r.next_step.trim()));
            }
            if v.retroactive {
                s.push_str("（补录）");
            }
            s
        }
        (VisitStatus::Cancelled, _) => format!("已取消：{}", v.cancel_reason),
        _ => "未记录".into(),
    }
}

fn section_title(c: &mut Canvas, title: &str) {
    let style = Style::bold(10.5);
    c.ensure(style.line_height() + 14.0);
    c.y += 1.5;
    c.text(MARGIN_LEFT, c.y, title, style);
    c.y += style.line_height() + 0.5;
}

fn none(c: &mut Canvas, text: &str) {
    c.paragraph(MARGIN_LEFT, CONTENT_WIDTH, text, Style::regular(9.0).with_color(GREY));
}

fn columns(spec: &[(&str, f32, Align)]) -> Vec<Column> {
    let fixed: f32 = spec.iter().map(|c| c.1).sum();
    spec.iter().map(|&(t, w, a)| Column::new(t, if w == 0.0 { CONTENT_WIDTH - fixed } else { w }, a)).collect()
}

fn visits_table(c: &mut Canvas, visits: &[Visit], with_result: bool) {
    let cols = if with_result {
        columns(&[
            ("时间", 26.0, Align::Left),
            ("客户", 46.0, Align::Left),
            ("目的", 24.0, Align::Left),
            ("结果", 0.0, Align::Left),
        ])
    } else {
        columns(&[
            ("时间", 26.0, Align::Left),
            ("客户", 0.0, Align::Left),
            ("联系人", 22.0, Align::Left),
            ("目的", 30.0, Align::Left),
            ("重点", 11.0, Align::Center),
        ])
    };
    let rows: Vec<Vec<String>> = visits
        .iter()
        .map(|v| {
            if with_result {
                vec![day_time(v), v.customer_name.clone(), v.plan.purpose.clone(), visit_result(v)]
            } else {
                let key = if v.key { "★" } else { "" };
                vec![day_time(v), v.customer_name.clone(), v.contact_name.clone(), v.plan.purpose.clone(), key.into()]
            }
        })
        .collect();
    c.table(&cols, &rows, Style::regular(8.5));
}

fn report(c: &mut Canvas, week: Week, s: &ReportSection) {
    let title = Style::bold(18.0);
    c.text_in(MARGIN_LEFT, CONTENT_WIDTH, c.y, "工 作 周 报", title, Align::Center);
    c.y += title.line_height();
    let sub = Style::regular(10.0);
    let days = week.days().map(|(a, b)| format!("（{}月{}日—{}月{}日）", a.month(), a.day(), b.month(), b.day()));
    let line = format!("{}　{}{}", s.person, week, days.unwrap_or_default());
    c.text_in(MARGIN_LEFT, CONTENT_WIDTH, c.y, &line, sub, Align::Center);
    c.y += sub.line_height() + 1.0;
    let done = s.visits.iter().filter(|v| v.status == VisitStatus::Done).count();
    let summary = format!(
        "本周拜访 {} 次（已记录 {done}），新登记询价 {} 条，提交报价 {} 份，结果 {} 份，回款 {} 笔；逾期未记录 {} 次。",
        s.visits.len(),
        s.inquiries.len(),
        s.submitted.len(),
        s.outcomes.len(),
        s.receipts.len(),
        s.overdue.len()
    );
    c.paragraph(MARGIN_LEFT, CONTENT_WIDTH, &summary, Style::regular(9.5));

    // Sections are numbered as printed: a week without overdue visits has no gap.
    let mut n = 0;
    section_title(c, &numbered(&mut n, "本周拜访"));
    if s.visits.is_empty() {
        none(c, "本周没有拜访。")
    } else {
        visits_table(c, &s.visits, true)
    }
    section_title(c, &numbered(&mut n, "询价与招标"));
    if s.inquiries.is_empty() {
        none(c, "本周没有新登记的询价或招标。");
    } else {
        let cols = columns(&[
            ("编号", 30.0, Align::Left),
            ("客户", 50.0, Align::Left),
            ("事由", 0.0, Align::Left),
            ("状态", 24.0, Align::Center),
        ]);
        let rows: Vec<Vec<String>> = s.inquiries.iter().map(|r| r.to_vec()).collect();
        c.table(&cols, &rows, Style::regular(8.5));
    }
    section_title(c, &numbered(&mut n, "报价与投标"));
    if s.submitted.is_empty() && s.outcomes.is_empty() {
        none(c, "本周没有提交的报价，也没有结果。");
    } else {
        let cols = columns(&[
            ("编号", 34.0, Align::Left),
            ("客户", 0.0, Align::Left),
            ("金额(元)", 30.0, Align::Right),
            ("状态", 26.0, Align::Center),
        ]);
        let mut rows: Vec<Vec<String>> = s.submitted.iter().map(|r| r.to_vec()).collect();
        rows.extend(s.outcomes.iter().map(|[n, c, o]| vec![n.clone(), c.clone(), String::new(), o.clone()]));
        c.table(&cols, &rows, Style::regular(8.5));
    }
    section_title(c, &numbered(&mut n, "回款"));
    if s.receipts.is_empty() {
        none(c, "本周没有登记回款。");
    } else {
        let cols = columns(&[
            ("日期 合同号", 40.0, Align::Left),
            ("客户", 0.0, Align::Left),
            ("金额(元)", 30.0, Align::Right),
            ("方式", 40.0, Align::Center),
        ]);
        let rows: Vec<Vec<String>> = s.receipts.iter().map(|r| r.to_vec()).collect();
        c.table(&cols, &rows, Style::regular(8.5));
    }
    if !s.overdue.is_empty() {
        section_title(c, &numbered(&mut n, "逾期未记录的拜访（截至打印时）"));
        visits_table(c, &s.overdue, true);
    }
    section_title(c, &numbered(&mut n, "本周小结"));
    if s.notes.trim().is_empty() {
        none(c, "（未填写）");
    } else {
        c.paragraph(MARGIN_LEFT, CONTENT_WIDTH, s.notes.trim(), Style::regular(9.5));
    }
    section_title(c, &numbered(&mut n, "下周重点"));
    if s.next_focus.trim().is_empty() {
        none(c, "（未填写）");
    } else {
        c.paragraph(MARGIN_LEFT, CONTENT_WIDTH, s.next_focus.trim(), Style::regular(9.5));
    }
    section_title(c, &numbered(&mut n, "下周拜访计划"));
    if s.next_week.is_empty() {
        none(c, "下周还没有安排拜访。")
    } else {
        visits_table(c, &s.next_week, false)
    }
}

/// Renders the reports, each from a new page.
pub fn render(fonts: &'static DocFonts, doc: &WeeklyReportDoc) -> Result<Vec<u8>, DocError> {
    let (drawn, meta) = draw(fonts, doc)?;
    save(fonts, drawn, &meta)
}

/// Lays out the pages without writing the PDF (the preview draws these).
pub fn draw(fonts: &'static DocFonts, doc: &WeeklyReportDoc) -> Result<(Drawn, Meta), DocError> {
    let mut c = Canvas::new(fonts);
    c.running_header = format!("{}　工作周报　{}", doc.company.name, doc.week);
    if doc.sections.is_empty() {
        letterhead(&mut c, &doc.company, doc.logo.as_deref())?;
        none(&mut c, "没有可打印的周报。");
    }
    for (i, s) in doc.sections.iter().enumerate() {
        if i > 0 {
            c.new_page();
        } else {
            letterhead(&mut c, &doc.company, doc.logo.as_deref())?;
        }
        report(&mut c, doc.week, s);
    }
    let drawn = c.finish(&Finish {
        footer_left: format!("工作周报 {}", doc.week),
        footer_right: format!("打印 {}", crate::domain::dates::cn_date_time(doc.printed_at)),
        watermark: None,
        riding_seal: None,
    })?;
    let meta = Meta {
        title: format!("工作周报 {}", doc.week),
        author: doc.company.name.clone(),
        subject: doc.sections.iter().map(|s| s.person.as_str()).collect::<Vec<_>>().join("、"),
        date: doc.printed_at,
        identity: format!("weekly-report:{}:{}", doc.week, doc.printed_at.timestamp()),
    };
    Ok((drawn, meta))
}

/// The next section's title: `一、本周拜访`, numbered in the order they are printed.
fn numbered(n: &mut usize, title: &str) -> String {
    const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    *n += 1;
    format!("{}、{title}", NUMERALS.get(*n - 1).copied().unwrap_or("十"))
}
