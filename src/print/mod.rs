//! Printing to the office's printers through the system's print service ([`PrintSystem`]): CUPS
//! (on Linux, or an office print server anywhere), spoken to over IPP with the `ipp` crate and sent
//! the PDF; or, on Windows, the Windows print system, which is given the pages drawn one by one
//! onto the printer (`winspool`; most printers there do not read PDF). Either way: the printers it
//! offers and the default, each printer's state (checked before a job is sent: a stopped queue
//! would accept the job and print it hours later), and a job with copies, a page range and duplex.
//!
//! The print service is a value, not a process-wide setting, so a test can run its own scheduler
//! beside another. Nothing here touches the database: the service layer decides what may be
//! printed and records what was sent.

mod ipp_client;
pub mod spooler;
#[cfg(windows)]
mod winspool;

use std::fmt;

use thiserror::Error;

use crate::docs::preview::Pages;

pub use ipp_client::PrintServer;

/// Where jobs go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintSystem {
    /// A CUPS scheduler over IPP: this computer's, or an office print server's.
    Ipp(PrintServer),
    /// The Windows print system: the printers installed in Windows, each page drawn onto the
    /// printer through its driver.
    #[cfg(windows)]
    Windows,
}

impl PrintSystem {
    /// This computer's print system. On Windows, the Windows print system unless `CUPS_SERVER`
    /// names an office CUPS server; elsewhere CUPS (`CUPS_SERVER`, else this computer's).
    pub fn from_environment() -> PrintSystem {
        #[cfg(windows)]
        if std::env::var("CUPS_SERVER").map_or(true, |s| s.trim().is_empty()) {
            return PrintSystem::Windows;
        }
        PrintSystem::Ipp(PrintServer::from_environment())
    }

    /// Whether a job needs the pages drawn ([`PrintRequest::drawn`]) rather than the PDF alone.
    pub fn draws_pages(&self) -> bool {
        match self {
            PrintSystem::Ipp(_) => false,
            #[cfg(windows)]
            PrintSystem::Windows => true,
        }
    }

    /// The printers it offers, the default first, then by name.
    pub fn printers(&self) -> Result<Vec<Printer>, PrintError> {
        match self {
            PrintSystem::Ipp(server) => server.printers(),
            #[cfg(windows)]
            PrintSystem::Windows => winspool::printers(),
        }
    }

    /// One printer as it is now (checked just before a job is sent).
    pub fn printer(&self, name: &str) -> Result<Printer, PrintError> {
        match self {
            PrintSystem::Ipp(server) => server.printer(name),
            #[cfg(windows)]
            PrintSystem::Windows => winspool::printer(name),
        }
    }

    /// Sends a job after checking the printer: a stopped queue or one that rejects jobs is refused
    /// with what to do, and nothing is sent.
    pub fn print(&self, job: &PrintRequest<'_>) -> Result<SentJob, PrintError> {
        if job.copies == 0 || job.copies > MAX_COPIES {
            return Err(PrintError::BadCopies { max: MAX_COPIES });
        }
        match self {
            PrintSystem::Ipp(server) => server.print(job),
            #[cfg(windows)]
            PrintSystem::Windows => winspool::print(job),
        }
    }
}

/// A printer the print service offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printer {
    /// The queue name (`HP_LaserJet_M404`), what jobs are sent to.
    pub name: String,
    /// What the administrator called it (`三楼销售部激光打印机`), or the name.
    pub description: String,
    /// Where it is, if the administrator said.
    pub location: String,
    pub is_default: bool,
    pub state: PrinterState,
    /// False when the queue refuses new jobs (`cupsreject`).
    pub accepting: bool,
    /// The service's reasons (`paused`, `media-empty-error` …), `none` left out.
    pub reasons: Vec<String>,
    /// Whether it prints on both sides.
    pub duplex: bool,
}

impl Printer {
    /// What stops a job from printing now, if anything, in the words the user reads.
    pub fn problem(&self) -> Option<PrintError> {
        if self.state == PrinterState::Stopped {
            return Some(PrintError::Stopped {
                printer: self.description.clone(),
                reason: reasons_text(&self.reasons),
            });
        }
        if !self.accepting {
            return Some(PrintError::Rejecting { printer: self.description.clone() });
        }
        None
    }

    /// A short status for the printer list: 就绪 / 正在打印 / 已暂停 / 不接受任务, and the reasons.
    pub fn status_text(&self) -> String {
        let state = match (self.state, self.accepting) {
            (PrinterState::Stopped, _) => "已暂停",
            (_, false) => "不接受新任务",
            (PrinterState::Processing, true) => "正在打印",
            (PrinterState::Idle, true) => "就绪",
        };
        format!("{state}{}", reasons_text(&self.reasons))
    }
}

/// IPP's printer-state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrinterState {
    Idle,
    Processing,
    Stopped,
}

/// Printed on one side, or both (turned on the long edge, as A4 portrait documents are bound).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sides {
    #[default]
    OneSided,
    TwoSided,
}

/// Pages to print, from 1, inclusive: `1-3,5`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PageRanges(Vec<(u32, u32)>);

impl PageRanges {
    /// Every page.
    pub fn all() -> PageRanges {
        PageRanges(Vec::new())
    }

    pub fn is_all(&self) -> bool {
        self.0.is_empty()
    }

    pub fn ranges(&self) -> &[(u32, u32)] {
        &self.0
    }

    /// Reads `1-3, 5，7－9` (full-width commas and dashes too) against a document of `pages`
    /// pages; empty is every page.
    pub fn parse(text: &str, pages: u32) -> Result<PageRanges, PrintError> {
        let bad = || PrintError::BadPageRange { text: text.trim().to_string(), pages };
        let mut out = Vec::new();
        for part in text.split([',', '，', '、', ';', '；']).map(str::trim).filter(|p| !p.is_empty()) {
            let part = part.replace(['－', '—', '–', '~', '～'], "-");
            let (a, b) = match part.split_once('-') {
                Some((a, b)) => (a.trim(), b.trim()),
                None => (part.as_str(), part.as_str()),
            };
            let a: u32 = a.parse().map_err(|_| bad())?;
            let b: u32 = if b.is_empty() { pages } else { b.parse().map_err(|_| bad())? };
            if a == 0 || b < a || b > pages {
                return Err(bad());
            }
            out.push((a, b));
        }
        out.sort_unstable();
        // Overlapping or touching ranges are one (IPP wants them ascending and apart).
        let mut merged: Vec<(u32, u32)> = Vec::new();
        for (a, b) in out {
            match merged.last_mut() {
                Some(last) if a <= last.1 + 1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        if merged == [(1, pages)] {
            merged.clear();
        }
        Ok(PageRanges(merged))
    }

    /// How many pages of a `pages`-page document these are.
    pub fn count(&self, pages: u32) -> u32 {
        if self.0.is_empty() { pages } else { self.0.iter().map(|(a, b)| b - a + 1).sum() }
    }
}

impl fmt::Display for PageRanges {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("全部");
        }
        let parts: Vec<String> =
            self.0.iter().map(|(a, b)| if a == b { a.to_string() } else { format!("{a}-{b}") }).collect();
        f.write_str(&parts.join(","))
    }
}

/// One job: what to send and how.
#[derive(Debug, Clone)]
pub struct PrintRequest<'a> {
    pub printer: &'a str,
    pub pdf: &'a [u8],
    /// The same pages as marks, for a print system that draws them
    /// ([`PrintSystem::draws_pages`]); `None` otherwise.
    pub drawn: Option<&'a Pages>,
    /// Shown in the queue (`BJ-2026-0008 V1 报价单`).
    pub title: &'a str,
    /// Who sent it (the SalesDesk login), shown in the queue.
    pub user: &'a str,
    pub copies: u32,
    pub pages: PageRanges,
    pub sides: Sides,
}

/// What the print service said when it took the job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentJob {
    pub printer: String,
    pub job_id: i32,
}

/// Where a job stands now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    Pending,
    Held,
    Processing,
    Stopped,
    Canceled,
    Aborted,
    Completed,
}

impl JobState {
    pub fn is_done(self) -> bool {
        matches!(self, JobState::Canceled | JobState::Aborted | JobState::Completed)
    }

    pub fn label(self) -> &'static str {
        match self {
            JobState::Pending => "排队中",
            JobState::Held => "已挂起",
            JobState::Processing => "正在打印",
            JobState::Stopped => "已停止",
            JobState::Canceled => "已取消",
            JobState::Aborted => "打印失败",
            JobState::Completed => "已送达打印机",
        }
    }
}

/// A job's attributes as the print service keeps them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobStatus {
    pub state: JobState,
    pub copies: u32,
    pub pages: Option<PageRanges>,
    pub sides: Sides,
    pub title: String,
    pub user: String,
}

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum PrintError {
    #[error(
        "找不到打印服务（{address}：{detail}）。请确认系统的打印服务（CUPS）已启动、打印机已在系统中安装；也可以先另存为 PDF 再打印。"
    )]
    NoService { address: String, detail: String },
    /// A print system that draws pages draws them from this program's layout; an issued file
    /// whose layout this version no longer reproduces byte for byte is not redrawn.
    #[error(
        "{document} 是用印发出时保存的文件，而公司资料、印章或本程序的版式此后有变化，这台电脑的打印系统只能按现在的版式重画，与发出的文件不会完全相同，所以没有打印。请“另存为 PDF”，用 PDF 阅读器打印：文件与发出时完全相同。"
    )]
    StoredLayoutChanged { document: String },
    #[error("这台电脑还没有安装打印机。请在系统设置中添加打印机后再打印；也可以先另存为 PDF。")]
    NoPrinter,
    #[error("找不到打印机“{0}”，它可能已被删除或改名。请重新选择打印机。")]
    UnknownPrinter(String),
    #[error(
        "打印机“{printer}”已暂停{reason}，任务发出去也会一直排队，可能几小时后才打出来。请在系统的打印机设置中恢复（继续）该打印机，或选择其他打印机。"
    )]
    Stopped { printer: String, reason: String },
    #[error("打印机“{printer}”目前不接受新任务。请管理员在打印机设置中允许接收任务，或选择其他打印机。")]
    Rejecting { printer: String },
    #[error("页码范围“{text}”看不懂或超出了范围（共 {pages} 页）。请写成 1-3,5 这样，或留空打印全部。")]
    BadPageRange { text: String, pages: u32 },
    #[error("份数应在 1 到 {max} 之间。")]
    BadCopies { max: u32 },
    #[error("打印服务没有接受这份文件（{0}）。文件没有发出；请稍后再试，或另存为 PDF 后从其他程序打印。")]
    Refused(String),
}

/// The most copies one job asks for: a bid goes out as 正本 + a few 副本, a quote in two or three.
pub const MAX_COPIES: u32 = 99;

/// The reasons in Chinese where we know them, the keyword otherwise; `none` and `-report` noise
/// left out.
pub fn reasons_text(reasons: &[String]) -> String {
    let words: Vec<String> = reasons
        .iter()
        .filter(|r| r.as_str() != "none")
        .map(|r| {
            let base = r.trim_end_matches("-report").trim_end_matches("-warning").trim_end_matches("-error");
            match base {
                "paused" => "已被暂停".to_string(),
                "offline" => "离线".to_string(),
                "media-empty" | "media-needed" => "缺纸".to_string(),
                "media-jam" => "卡纸".to_string(),
                "toner-empty" | "marker-supply-empty" => "墨粉用完".to_string(),
                "toner-low" | "marker-supply-low" => "墨粉不足".to_string(),
                "door-open" | "cover-open" => "机盖打开".to_string(),
                "connecting-to-device" => "正在连接打印机".to_string(),
                "moving-to-paused" => "正在暂停".to_string(),
                other => other.to_string(),
            }
        })
        .collect();
    if words.is_empty() { String::new() } else { format!("（{}）", words.join("、")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_ranges_read_as_an_office_writes_them() {
        assert!(PageRanges::parse("", 9).expect("empty").is_all());
        assert_eq!(PageRanges::parse("1-3,5", 9).expect("ok").ranges(), [(1, 3), (5, 5)]);
        assert_eq!(PageRanges::parse(" 7－9，2 ", 9).expect("full-width").ranges(), [(2, 2), (7, 9)]);
        assert_eq!(PageRanges::parse("2-3, 3-4, 6", 9).expect("merged").ranges(), [(2, 4), (6, 6)]);
        assert_eq!(PageRanges::parse("4-", 9).expect("to the end").ranges(), [(4, 9)]);
        assert!(PageRanges::parse("1-9", 9).expect("all").is_all());
        assert_eq!(PageRanges::parse("1-3,5", 9).expect("ok").count(9), 4);
        assert_eq!(PageRanges::parse("1-3,5", 9).expect("ok").to_string(), "1-3,5");
        for bad in ["0", "3-2", "10", "a-b", "1-99"] {
            let e = PageRanges::parse(bad, 9).expect_err(bad);
            assert!(e.to_string().contains("共 9 页"), "{e}");
        }
    }

    #[test]
    fn a_stopped_or_rejecting_printer_says_what_to_do() {
        let mut p = Printer {
            name: "hp".into(),
            description: "三楼激光打印机".into(),
            location: String::new(),
            is_default: true,
            state: PrinterState::Idle,
            accepting: true,
            reasons: vec!["none".into()],
            duplex: true,
        };
        assert_eq!(p.problem(), None);
        assert_eq!(p.status_text(), "就绪");
        p.state = PrinterState::Stopped;
        p.reasons = vec!["paused".into()];
        let e = p.problem().expect("stopped");
        assert!(e.to_string().contains("三楼激光打印机") && e.to_string().contains("恢复"), "{e}");
        assert_eq!(p.status_text(), "已暂停（已被暂停）");
        p.state = PrinterState::Idle;
        p.reasons.clear();
        p.accepting = false;
        assert!(matches!(p.problem(), Some(PrintError::Rejecting { .. })));
    }
}
