//! Saving drawn pages as PDF bytes that are the same for the same input, every time: fixed
//! resource names (see `canvas::font_id`), fixed dates, and a trailer `/ID` derived from the
//! document's identity instead of printpdf's random one.

use chrono::{DateTime, Utc};
use printpdf::{OffsetDateTime, PdfDocument, PdfPage, PdfSaveOptions};
use sha2::{Digest, Sha256};

use super::DocError;
use super::canvas::{Drawn, PAGE_HEIGHT, PAGE_WIDTH, font_id};
use super::fonts::{DocFonts, Face};

/// What the PDF says about itself (shown in a viewer's document properties).
#[derive(Debug, Clone)]
pub struct Meta {
    pub title: String,
    pub author: String,
    pub subject: String,
    /// The document's date (e.g. when the revision was approved); never "now", so reprints match.
    pub date: DateTime<Utc>,
    /// Identifies the content (e.g. the revision's content hash and whether it is a draft):
    /// the trailer `/ID` is derived from it.
    pub identity: String,
}

/// The trailer `/ID` for a document identity: 32 hex digits. It survives edits to the rest of the
/// file, so `verify` can tell an altered copy of an issued document from a stranger's file.
pub fn document_id(identity: &str) -> String {
    hex::encode(&Sha256::digest(format!("salesdesk-pdf:{identity}").as_bytes())[..16])
}

pub fn save(fonts: &DocFonts, drawn: Drawn, meta: &Meta) -> Result<Vec<u8>, DocError> {
    let mut doc = PdfDocument::new(&meta.title);
    let date = OffsetDateTime::from_unix_timestamp(meta.date.timestamp().max(0))
        .map_err(|e| DocError::Write(e.to_string()))?;
    let info = &mut doc.metadata.info;
    info.author = meta.author.clone();
    info.subject = meta.subject.clone();
    info.creator = "SalesDesk 销售部工作台".into();
    info.producer = "SalesDesk".into();
    info.creation_date = date;
    info.modification_date = date;
    info.metadata_date = date;
    for face in [Face::Regular, Face::Bold] {
        doc.resources.fonts.map.insert(font_id(face), printpdf::PdfFont::new(fonts.parsed(face).clone()));
    }
    for (id, image) in drawn.images {
        doc.resources.xobjects.map.insert(id, image);
    }
    for (id, gs) in drawn.graphics_states {
        doc.resources.extgstates.map.insert(id, gs);
    }
    let pages = drawn
        .pages
        .into_iter()
        .map(|ops| PdfPage::new(printpdf::Mm(PAGE_WIDTH), printpdf::Mm(PAGE_HEIGHT), ops))
        .collect();
    doc.with_pages(pages);

    let mut warnings = Vec::new();
    let options = PdfSaveOptions { image_optimization: None, ..PdfSaveOptions::default() };
    let mut lo = doc.to_lopdf_document(&options, &mut warnings);
    let id = document_id(&meta.identity);
    lo.trailer.set(
        "ID",
        lopdf::Object::Array(vec![
            lopdf::Object::String(id.as_bytes().to_vec(), lopdf::StringFormat::Literal),
            lopdf::Object::String(id.as_bytes().to_vec(), lopdf::StringFormat::Literal),
        ]),
    );
    compress(&mut lo)?;
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes).map_err(|e| DocError::Write(e.to_string()))?;
    Ok(bytes)
}

/// Deflates every stream that is not compressed yet (page contents, the font subsets) at the
/// default level: lopdf's own `compress` uses the best level, which costs twice the time for a
/// file a few percent smaller.
fn compress(doc: &mut lopdf::Document) -> Result<(), DocError> {
    use std::io::Write;
    for object in doc.objects.values_mut() {
        let lopdf::Object::Stream(stream) = object else { continue };
        if stream.dict.get(b"Filter").is_ok() || !stream.allows_compression {
            continue;
        }
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(&stream.content).map_err(|err| DocError::Write(err.to_string()))?;
        let deflated = e.finish().map_err(|err| DocError::Write(err.to_string()))?;
        if deflated.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(deflated);
        }
    }
    Ok(())
}
