//! Dates as Chinese documents write them.

use chrono::NaiveDate;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_without_leading_zeros() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(cn_date(d(2026, 12, 5)), "2026年12月5日");
        assert_eq!(cn_date(d(2030, 1, 8)), "2030年1月8日");
        assert_eq!(cn_date(d(2026, 11, 23)), "2026年11月23日");
    }
}
