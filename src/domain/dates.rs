//! Dates as Chinese documents write them.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// `2026年12月5日`: no leading zeros in month or day, as GB/T 9704 writes dates (a 报价单 or a
/// 投标书 reads like an official letter).
pub fn cn_date(d: NaiveDate) -> String {
    d.format("%Y年%-m月%-d日").to_string()
}

/// A moment as a document writes it, in the office's time: `2026年12月5日 09:05`.
pub fn cn_date_time(t: chrono::DateTime<chrono::Utc>) -> String {
    let local = t.with_timezone(&chrono::Local);
    format!("{} {}", cn_date(local.date_naive()), local.format("%H:%M"))
}

/// A day as people type it: `2026-12-08`, `2026-12-8`, `2026/12/8`, `2026.12.8`, `2026年12月8日`,
/// or without the year (`12-8`, `12/8`, `12月8日`: this year). `None` for anything else or a day
/// no calendar has.
pub fn parse_day(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let t = text.trim().trim_end_matches('日').trim_end_matches('号');
    if t.is_empty() {
        return None;
    }
    let parts: Vec<&str> =
        t.split(['-', '/', '.', '年', '月', '－', '／']).map(str::trim).filter(|p| !p.is_empty()).collect();
    let numbers: Option<Vec<u32>> =
        parts.iter().map(|p| if p.chars().all(|c| c.is_ascii_digit()) { p.parse().ok() } else { None }).collect();
    match numbers?.as_slice() {
        [y, m, d] if (1900..=2999).contains(y) => NaiveDate::from_ymd_opt(*y as i32, *m, *d),
        [m, d] => NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), *m, *d),
        _ => None,
    }
}

/// A day and a time as people type them: a day as [`parse_day`] reads it, a space, then `10:00`,
/// `9:30` or `10点` / `10点30分`. `None` for anything else.
pub fn parse_day_time(text: &str, today: NaiveDate) -> Option<NaiveDateTime> {
    let t = text.trim();
    let (day, time) = t.rsplit_once(char::is_whitespace)?;
    let day = parse_day(day, today)?;
    let time = time.trim().trim_end_matches('分');
    let (h, m) = match time.split_once([':', '：', '点']) {
        Some((h, m)) => (h, if m.is_empty() { "0" } else { m }),
        None => (time.trim_end_matches('点'), "0"),
    };
    let time = NaiveTime::from_hms_opt(h.trim().parse().ok()?, m.trim().parse().ok()?, 0)?;
    Some(day.and_time(time))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_times_are_read_as_people_type_them() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day);
        for text in
            ["2026-12-08", "2026-12-8", "2026/12/8", "2026.12.8", "2026年12月8日", "12-8", "12/8", "12月8日", " 12-8 "]
        {
            assert_eq!(parse_day(text, today), d(12, 8), "{text}");
        }
        for bad in ["", "12", "2026-13-1", "2026-2-30", "明天", "12-8-9-1", "1899-1-1"] {
            assert_eq!(parse_day(bad, today), None, "{bad}");
        }
        let at = |m, day, h, min| d(m, day).and_then(|x| x.and_hms_opt(h, min, 0));
        assert_eq!(parse_day_time("12-8 10:00", today), at(12, 8, 10, 0));
        assert_eq!(parse_day_time("2026-12-08 9:30", today), at(12, 8, 9, 30));
        assert_eq!(parse_day_time("12月8日 10点", today), at(12, 8, 10, 0));
        assert_eq!(parse_day_time("12月8日 10点30分", today), at(12, 8, 10, 30));
        assert_eq!(parse_day_time("12-8 25:00", today), None);
        assert_eq!(parse_day_time("12-8", today), None, "a time is needed");
    }

    #[test]
    fn dates_are_written_without_leading_zeros() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(cn_date(d(2026, 12, 5)), "2026年12月5日");
        assert_eq!(cn_date(d(2030, 1, 8)), "2030年1月8日");
        assert_eq!(cn_date(d(2026, 11, 23)), "2026年11月23日");
    }
}
