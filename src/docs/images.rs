//! Images (the seal, a logo, certificate scans) as PDF image objects, encoded once per process.
//!
//! Decoding a PNG and deflating its pixels took half of a stamped quotation's rendering time, yet
//! the seal is the same image on every document: the encoded object (colour + alpha mask, each
//! deflated) is kept per distinct image, keyed by the SHA-256 of its bytes. JPEG scans are
//! embedded as they are.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};

use flate2::Compression;
use flate2::write::ZlibEncoder;
use printpdf::{DictItem, ExternalStream, ExternalXObject};
use sha2::{Digest, Sha256};

use super::DocError;

/// An image ready to place: its pixel size and the PDF object.
pub struct Encoded {
    pub width: u32,
    pub height: u32,
    pub xobject: ExternalXObject,
}

/// Distinct images kept; more than this and the cache starts over (a bid's scans fit easily).
const KEEP: usize = 64;

static CACHE: Mutex<Option<HashMap<[u8; 32], Arc<Encoded>>>> = Mutex::new(None);

fn deflate(data: &[u8]) -> Result<Vec<u8>, DocError> {
    let mut e = ZlibEncoder::new(Vec::with_capacity(data.len() / 4), Compression::default());
    e.write_all(data).map_err(|err| DocError::Image(err.to_string()))?;
    e.finish().map_err(|err| DocError::Image(err.to_string()))
}

fn name(n: &str) -> DictItem {
    DictItem::Name(n.as_bytes().to_vec())
}

fn image_dict(width: u32, height: u32, colour_space: &str) -> std::collections::BTreeMap<String, DictItem> {
    [
        ("Type", name("XObject")),
        ("Subtype", name("Image")),
        ("Width", DictItem::Int(i64::from(width))),
        ("Height", DictItem::Int(i64::from(height))),
        ("ColorSpace", name(colour_space)),
        ("BitsPerComponent", DictItem::Int(8)),
        ("Filter", name("FlateDecode")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// A baseline colour or grey JPEG goes into the PDF as it is (DCTDecode): scans stay as small as
/// they were, and nothing is decoded.
fn jpeg_as_is(bytes: &[u8]) -> Option<Encoded> {
    use image::ImageDecoder;
    let reader = image::ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format().ok()?;
    if reader.format() != Some(image::ImageFormat::Jpeg) {
        return None;
    }
    let decoder = reader.into_decoder().ok()?;
    let (width, height) = decoder.dimensions();
    let colour_space = match decoder.color_type() {
        image::ColorType::Rgb8 => "DeviceRGB",
        image::ColorType::L8 => "DeviceGray",
        // CMYK and others: decode and re-encode, so every viewer shows the same colours.
        _ => return None,
    };
    let mut dict = image_dict(width, height, colour_space);
    dict.insert("Filter".into(), name("DCTDecode"));
    let stream = ExternalStream { dict, content: bytes.to_vec(), compress: false };
    Some(Encoded { width, height, xobject: ExternalXObject { stream, width: None, height: None, dpi: None } })
}

fn encode(bytes: &[u8]) -> Result<Encoded, DocError> {
    if let Some(jpeg) = jpeg_as_is(bytes) {
        return Ok(jpeg);
    }
    let rgba = image::load_from_memory(bytes).map_err(|e| DocError::Image(e.to_string()))?.to_rgba8();
    let (width, height) = rgba.dimensions();
    if width == 0 || height == 0 {
        return Err(DocError::Image("empty image".into()));
    }
    let mut colour = Vec::with_capacity(rgba.len() / 4 * 3);
    let mut alpha = Vec::with_capacity(rgba.len() / 4);
    for px in rgba.pixels() {
        colour.extend_from_slice(&px.0[..3]);
        alpha.push(px.0[3]);
    }
    let mut dict = image_dict(width, height, "DeviceRGB");
    // Opaque images (scans, most logos) need no mask.
    if alpha.iter().any(|&a| a != 255) {
        let mask = ExternalStream {
            dict: image_dict(width, height, "DeviceGray"),
            content: deflate(&alpha)?,
            compress: false,
        };
        dict.insert("SMask".into(), DictItem::Stream { stream: mask });
    }
    let stream = ExternalStream { dict, content: deflate(&colour)?, compress: false };
    Ok(Encoded { width, height, xobject: ExternalXObject { stream, width: None, height: None, dpi: None } })
}

/// The encoded image for these bytes (PNG or JPEG), from the cache when seen before.
pub fn encoded(bytes: &[u8]) -> Result<Arc<Encoded>, DocError> {
    let key: [u8; 32] = Sha256::digest(bytes).into();
    if let Some(found) = CACHE.lock().ok().and_then(|c| c.as_ref().and_then(|m| m.get(&key).cloned())) {
        return Ok(found);
    }
    let made = Arc::new(encode(bytes)?);
    if let Ok(mut cache) = CACHE.lock() {
        let map = cache.get_or_insert_with(HashMap::new);
        if map.len() >= KEEP {
            map.clear();
        }
        map.insert(key, made.clone());
    }
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 7) as u8, (y * 5) as u8, 128]));
        let mut out = Vec::new();
        image::DynamicImage::ImageRgb8(img)
            .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Jpeg)
            .unwrap();
        out
    }

    fn filter(e: &Encoded) -> Option<&DictItem> {
        e.xobject.stream.dict.get("Filter")
    }

    #[test]
    fn a_jpeg_scan_is_embedded_byte_for_byte() {
        let bytes = jpeg(40, 30);
        let e = encoded(&bytes).unwrap();
        assert_eq!((e.width, e.height), (40, 30));
        assert_eq!(filter(&e), Some(&name("DCTDecode")));
        assert_eq!(e.xobject.stream.content, bytes);
    }

    #[test]
    fn a_png_with_transparency_gets_a_mask_and_is_kept() {
        let png = crate::docs::seal::seal_png("测试公司", "演示专用章").unwrap();
        let a = encoded(&png).unwrap();
        assert_eq!(filter(&a), Some(&name("FlateDecode")));
        assert!(a.xobject.stream.dict.contains_key("SMask"));
        let b = encoded(&png).unwrap();
        assert!(Arc::ptr_eq(&a, &b), "encoded once, then taken from the cache");
        assert!(encoded(b"not an image").is_err());
    }
}
