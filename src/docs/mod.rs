//! Documents, rendered locally to PDF: the 报价单 (and, next, the 投标书 and the weekly visit plan).
//!
//! `canvas` and `layout` are the shared house style (page flow, tables with repeated headers,
//! Chinese line breaking, footers, watermark); `pdf` saves deterministic bytes; each document is
//! one module that turns a plain view model into pages. Nothing here touches the database.

pub mod bid;
pub mod canvas;
pub mod fonts;
pub mod images;
pub mod layout;
pub mod pdf;
pub mod quote;
pub mod seal;
pub mod specimen;
pub mod visit_plan;
pub mod weekly_report;

use thiserror::Error;

/// A character the font cannot draw, and the text it appeared in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingGlyph {
    pub ch: char,
    pub context: String,
}

impl std::fmt::Display for MissingGlyph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "“{}”(U+{:04X}，见“{}”)", self.ch, self.ch as u32, self.context)
    }
}

#[derive(Debug, Error)]
pub enum DocError {
    #[error("字体中没有这些字符，无法打印：{}。请改用常用字后再打印。", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("、"))]
    MissingGlyphs(Vec<MissingGlyph>),
    #[error("图片无法读取（{0}），请在公司信息中重新上传。")]
    Image(String),
    #[error("内置字体无法加载，程序文件可能已损坏。")]
    Font,
    #[error("PDF 生成失败：{0}")]
    Write(String),
}
