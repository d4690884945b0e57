//! Line breaking for Chinese business text (pure; measured by the caller's font).
//!
//! Chinese breaks between any two ideographs, but a line may not start with closing punctuation
//! (，。、）」…) nor end with opening punctuation (（「《…) — 禁则 of GB/T 15834. Latin words and
//! numbers (型号 like `YJV-3×95+1×50`, amounts like `1,234.50`) stay whole unless one alone is wider
//! than the line.

/// Characters that must not begin a line.
const NO_LINE_START: &str = "，。、；：？！）」』】》〉”’…—·％%,.;:?!)]}>｝］〕";
/// Characters that must not end a line.
const NO_LINE_END: &str = "（「『【《〈“‘([{<｛［〔";

fn no_start(c: char) -> bool {
    NO_LINE_START.contains(c)
}

fn no_end(c: char) -> bool {
    NO_LINE_END.contains(c)
}

/// Letters, digits and the marks that glue them into one word (型号, amounts, e-mail, times, and
/// what engineering text writes inside a figure: 10/√3, 3×70–120mm², ±5%, 35℃).
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_./,+×*#&@:~¥$√–～±°℃Ωμ²³¹⁰⁴⁵⁶⁷⁸⁹".contains(c)
}

/// Units of measure written in Chinese right after a number: `24个月`, `60日`, `2台`, `3面` never
/// break between the number and its unit.
const UNITS_AFTER_NUMBER: &str = "年月日天个台面米套项份只件组条次元万吨周时分秒";

/// A standard's code before its number: `GB/T 12706.1`, `JB/T 10088`, `IEC 62271` stay whole.
fn is_standard_prefix(word: &str) -> bool {
    let letters: String = word.chars().filter(|c| *c != '/').collect();
    (2..=6).contains(&word.len())
        && !letters.is_empty()
        && letters.chars().all(|c| c.is_ascii_uppercase())
        && word.chars().next().is_some_and(|c| c.is_ascii_uppercase())
}

/// Splits `text` into the units that may not be broken inside: one ideograph, one Latin word or
/// number (with a Chinese unit right after it), one standard code with its number, one whole date
/// (`2026年12月5日`), one space.
fn units(text: &str) -> Vec<&str> {
    // (start, end) byte ranges, then merged where a break would split a figure.
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if is_word_char(c) {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            spans.push((s, i));
        }
        spans.push((i, i + c.len_utf8()));
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    let at = |sp: (usize, usize)| &text[sp.0..sp.1];
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    let mut i = 0;
    while i < spans.len() {
        let mut cur = spans[i];
        i += 1;
        // GB/T 12706: the code, one space, the number.
        if is_standard_prefix(at(cur))
            && i + 1 < spans.len()
            && at(spans[i]) == " "
            && at(spans[i + 1]).starts_with(|c: char| c.is_ascii_digit())
        {
            cur.1 = spans[i + 1].1;
            i += 2;
        }
        // A bank account or a number written in groups: 1102 0201 0900 0123 456.
        let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
        let grouped = |t: &str| digits(&t.replace(' ', "")) && !t.starts_with(' ');
        while grouped(at(cur)) && i + 1 < spans.len() && at(spans[i]) == " " && digits(at(spans[i + 1])) {
            cur.1 = spans[i + 1].1;
            i += 2;
        }
        // A number and the unit after it: 24个月, 60日, 12月.
        if at(cur).ends_with(|c: char| c.is_ascii_digit())
            && i < spans.len()
            && at(spans[i]).chars().all(|c| UNITS_AFTER_NUMBER.contains(c))
        {
            cur.1 = spans[i].1;
            i += 1;
            // 个月: the measure word and the month.
            if text[..cur.1].ends_with('个') && i < spans.len() && at(spans[i]) == "月" {
                cur.1 = spans[i].1;
                i += 1;
            }
        }
        // A date: 2026年 + 12月 + 5日 in one.
        if let Some(prev) = merged.last_mut()
            && ((at(*prev).ends_with('年') && at(cur).ends_with('月'))
                || (at(*prev).ends_with('月') && at(cur).ends_with('日')))
            && at(*prev).starts_with(|c: char| c.is_ascii_digit())
            && at(cur).starts_with(|c: char| c.is_ascii_digit())
            && prev.1 == cur.0
        {
            prev.1 = cur.1;
            continue;
        }
        merged.push(cur);
    }
    merged.into_iter().map(at).collect()
}

/// The width of the widest piece of `text` that may not be broken (a table shrinks its type until
/// this fits the cell, before it would break inside it).
pub fn widest_unit(text: &str, width_of: &dyn Fn(&str) -> f32) -> f32 {
    text.split('\n').flat_map(units).map(width_of).fold(0.0, f32::max)
}

fn first_char(u: &str) -> char {
    u.chars().next().unwrap_or(' ')
}

fn last_char(u: &str) -> char {
    u.chars().last().unwrap_or(' ')
}

/// Wraps `text` to lines no wider than `max_width`, measuring with `width_of` (same unit).
/// Explicit line breaks are kept; a space where a line breaks disappears. Never returns an empty
/// list: an empty text is one empty line.
pub fn wrap(text: &str, max_width: f32, width_of: &dyn Fn(&str) -> f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let paragraph = paragraph.trim_end_matches('\r');
        if paragraph.is_empty() {
            lines.push(String::new());
            continue;
        }
        let mut filler = Filler { lines: &mut lines, line: Vec::new(), width: 0.0, max_width, width_of };
        for unit in units(paragraph) {
            filler.add(unit);
        }
        filler.flush();
    }
    lines
}

struct Filler<'a, 't> {
    lines: &'a mut Vec<String>,
    line: Vec<&'t str>,
    width: f32,
    max_width: f32,
    width_of: &'a dyn Fn(&str) -> f32,
}

impl<'t> Filler<'_, 't> {
    fn add(&mut self, unit: &'t str) {
        let w = (self.width_of)(unit);
        if self.width + w <= self.max_width {
            self.push(unit, w);
            return;
        }
        if unit == " " {
            self.flush();
            return;
        }
        if w > self.max_width {
            // A word longer than a whole line is broken by characters.
            for (i, c) in unit.char_indices() {
                let ch = &unit[i..i + c.len_utf8()];
                let cw = (self.width_of)(ch);
                if self.width + cw > self.max_width && !self.line.is_empty() {
                    self.flush();
                }
                self.push(ch, cw);
            }
            return;
        }
        // Break before `unit`, moving units down so that the next line does not start with closing
        // punctuation and this one does not end with opening punctuation. At least one unit stays.
        let mut carried = vec![unit];
        while self.line.len() > 1 && no_start(first_char(carried[0])) {
            carried.insert(0, self.line.pop().unwrap_or_default());
        }
        while self.line.len() > 1 && self.line.last().is_some_and(|u| no_end(last_char(u))) {
            carried.insert(0, self.line.pop().unwrap_or_default());
        }
        self.flush();
        for u in carried {
            if self.line.is_empty() && u == " " {
                continue;
            }
            let uw = (self.width_of)(u);
            if self.width + uw > self.max_width && !self.line.is_empty() {
                // Only in columns a few characters wide: the rules give way to the width.
                self.flush();
            }
            self.push(u, uw);
        }
    }

    fn push(&mut self, unit: &'t str, w: f32) {
        self.line.push(unit);
        self.width += w;
    }

    fn flush(&mut self) {
        if !self.line.is_empty() {
            self.lines.push(self.line.concat().trim_end().to_string());
            self.line.clear();
        }
        self.width = 0.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character one unit wide, like a monospaced CJK grid.
    fn w(s: &str) -> f32 {
        s.chars().count() as f32
    }

    fn wrap_n(text: &str, n: usize) -> Vec<String> {
        wrap(text, n as f32, &w)
    }

    #[test]
    fn fills_lines_between_ideographs() {
        assert_eq!(wrap_n("高压开关柜成套设备", 4), ["高压开关", "柜成套设", "备"]);
    }

    #[test]
    fn no_line_starts_with_closing_punctuation() {
        let lines = wrap_n("价格含税，含运费。交货期三十天", 4);
        assert_eq!(lines, ["价格含", "税，含运", "费。交货", "期三十天"]);
        for l in &lines {
            assert!(!no_start(first_char(l)), "{l:?} starts with closing punctuation");
        }
    }

    #[test]
    fn no_line_ends_with_opening_punctuation() {
        let lines = wrap_n("电缆（铜芯）三根", 3);
        assert_eq!(lines, ["电缆", "（铜", "芯）三", "根"]);
    }

    #[test]
    fn latin_words_and_numbers_stay_whole() {
        assert_eq!(wrap_n("型号YJV-3×95电缆", 9), ["型号", "YJV-3×95电", "缆"]);
        assert_eq!(wrap_n("合计 1,234.50 元", 9), ["合计", "1,234.50", "元"]);
    }

    #[test]
    fn figures_units_dates_and_standard_codes_stay_whole() {
        for (text, unit) in [
            ("额定电压10/√3kV电压互感器", "10/√3kV"),
            ("电缆3×70–120mm²铜芯", "3×70–120mm²"),
            ("质保期不少于24个月为宜", "24个月"),
            ("合同签订后60日内交货", "60日"),
            ("有效期至2030年12月8日止", "2030年12月8日"),
            ("应符合GB/T 12706.1的规定", "GB/T 12706.1"),
            ("误差±0.5%以内", "±0.5"),
        ] {
            for n in 1..text.chars().count() {
                let lines = wrap_n(text, n);
                assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""), "nothing lost at {n}");
                if n >= unit.chars().count() {
                    assert!(lines.iter().any(|l| l.contains(unit)), "{unit} broken at width {n}: {lines:?}");
                }
            }
        }
        assert_eq!(units("2026年12月5日"), ["2026年12月5日"]);
        assert_eq!(units("GB/T 12706"), ["GB/T 12706"]);
        assert_eq!(units("账号：1102 0201 0900 0123 456"), ["账", "号", "：", "1102 0201 0900 0123 456"]);
        // An ordinary word before a number keeps its space as a break.
        assert_eq!(units("Tel 0512"), ["Tel", " ", "0512"]);
    }

    #[test]
    fn a_word_wider_than_the_line_is_broken() {
        assert_eq!(wrap_n("ABCDEFG", 3), ["ABC", "DEF", "G"]);
    }

    #[test]
    fn explicit_breaks_and_empty_text() {
        assert_eq!(wrap_n("", 5), [""]);
        assert_eq!(wrap_n("一行\n\n二行", 5), ["一行", "", "二行"]);
    }

    #[test]
    fn a_space_at_the_break_disappears() {
        assert_eq!(wrap_n("ab cd", 2), ["ab", "cd"]);
    }

    #[test]
    fn text_is_never_lost() {
        let text = "（一）质保期内免费维修，更换零部件；质保期外只收取成本费。《服务承诺》另附！";
        for n in 1..12 {
            let joined: String = wrap_n(text, n).concat();
            assert_eq!(joined, text, "width {n}");
        }
    }
}
