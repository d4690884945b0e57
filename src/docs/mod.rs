//! Documents, rendered locally to PDF: the 报价单 (and, next, the 投标书 and the weekly visit plan).
//!
//! `canvas` and `layout` are the shared house style (page flow, tables with repeated headers,
//! Chinese line breaking, footers, watermark); `pdf` saves deterministic bytes; each document is
//! one module that turns a plain view model into pages. Nothing here touches the database.

pub mod bid;
pub mod canvas;
pub mod chase_list;
pub mod contract;
pub mod fonts;
pub mod images;
pub mod layout;
pub mod pdf;
pub mod preview;
pub mod quote;
pub mod raster;
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

/// Characters the font lacks in `fields` (where, text), each named once with the first field it is
/// in: checked before anything is drawn, so nothing prints as a box.
pub(crate) fn check_fields<S: AsRef<str>>(
    fonts: &fonts::DocFonts,
    fields: impl IntoIterator<Item = (String, S)>,
) -> Result<(), DocError> {
    let mut missing: Vec<MissingGlyph> = Vec::new();
    for (field, text) in fields {
        for ch in text.as_ref().chars() {
            if !fonts.covers(fonts::Face::Regular, ch) && !missing.iter().any(|m| m.ch == ch) {
                missing.push(MissingGlyph { ch, context: field.clone() });
            }
        }
    }
    if missing.is_empty() { Ok(()) } else { Err(DocError::MissingGlyphs(missing)) }
}

/// The texts of priced lines (name, model, unit, note, parameters), named by line number.
pub(crate) fn line_texts(lines: &[crate::domain::quote::QuoteLine]) -> Vec<(String, &str)> {
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let n = i + 1;
        out.push((format!("第 {n} 行产品名称"), l.name.as_str()));
        out.push((format!("第 {n} 行型号规格"), l.model.as_str()));
        out.push((format!("第 {n} 行单位"), l.unit.as_str()));
        out.push((format!("第 {n} 行备注"), l.note.as_str()));
        for p in &l.params {
            out.push((format!("第 {n} 行技术参数"), p.key.as_str()));
            out.push((format!("第 {n} 行技术参数"), p.value.as_str()));
        }
    }
    out
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
