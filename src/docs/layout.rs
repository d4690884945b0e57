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

/// Letters, digits and the marks that glue them into one word (型号, amounts, e-mail, times).
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_./,+×*#&@:~¥$".contains(c)
}

/// Splits `text` into the units that may not be broken inside: one ideograph, one Latin word or
/// number, one space.
fn units(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if is_word_char(c) {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            out.push(&text[s..i]);
        }
        out.push(&text[i..i + c.len_utf8()]);
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
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
