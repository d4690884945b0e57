//! Saving drawn pages as PDF bytes that are the same for the same input, every time: fixed
//! resource names (see `canvas::font_id`), fixed dates, and a trailer `/ID` derived from the
//! document's identity instead of printpdf's random one.
//!
//! And a file validators accept: the font subsets are tagged as PDF 32000 §9.6.4 asks (six
//! capital letters and `+`, made from the subset's own bytes, so the same document gets the same
//! tag), the header says 1.4 (the seal's soft mask and the watermark's opacity are 1.4 features),
//! and the empty PDF/X keys printpdf writes into the document information are left out (a reader
//! would report a PDF/X version that is not there).

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
    conform(&mut lo);
    compress(&mut lo)?;
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes).map_err(|e| DocError::Write(e.to_string()))?;
    Ok(bytes)
}

/// The subset tag of a font file: six capital letters from its bytes' SHA-256.
fn subset_tag(font_file: &[u8]) -> String {
    Sha256::digest(font_file).iter().take(6).map(|b| char::from(b'A' + b % 26)).collect()
}

/// Header version, subset tags and document information as validators expect them.
fn conform(doc: &mut lopdf::Document) {
    use lopdf::Object;
    doc.version = "1.4".into();
    // Each embedded font's tag, from its descriptor's font file: "F1+NotoSansSC-Regular" → "KQWMRD+…".
    let mut renamed: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    for object in doc.objects.values() {
        let Ok(d) = object.as_dict() else { continue };
        if d.get(b"Type").and_then(Object::as_name).ok() != Some(b"FontDescriptor".as_slice()) {
            continue;
        }
        let (Ok(name), Ok(file)) =
            (d.get(b"FontName").and_then(Object::as_name), d.get(b"FontFile2").and_then(Object::as_reference))
        else {
            continue;
        };
        let Some(stream) = doc.objects.get(&file).and_then(|o| o.as_stream().ok()) else { continue };
        let base = name.iter().position(|c| *c == b'+').map_or(name, |at| &name[at + 1..]);
        let tagged = format!("{}+{}", subset_tag(&stream.content), String::from_utf8_lossy(base)).into_bytes();
        renamed.push((name.to_vec(), tagged));
    }
    for object in doc.objects.values_mut() {
        let Ok(d) = object.as_dict_mut() else { continue };
        for key in [b"BaseFont".as_slice(), b"FontName".as_slice()] {
            let Some(new) = d
                .get(key)
                .and_then(Object::as_name)
                .ok()
                .and_then(|old| renamed.iter().find(|(from, _)| from.as_slice() == old).map(|(_, to)| to.clone()))
            else {
                continue;
            };
            d.set(key, Object::Name(new));
        }
    }
    // printpdf writes the PDF/X keys even for a document that claims no PDF/X conformance.
    if let Ok(info) = doc.trailer.get(b"Info").and_then(Object::as_reference)
        && let Some(Ok(d)) = doc.objects.get_mut(&info).map(Object::as_dict_mut)
    {
        let empty: Vec<Vec<u8>> = d
            .iter()
            .filter(|(k, v)| k.starts_with(b"GTS_") && matches!(v, Object::String(s, _) if s.is_empty()))
            .map(|(k, _)| k.clone())
            .collect();
        for k in empty {
            d.remove(&k);
        }
    }
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
