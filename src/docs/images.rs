//! Images (the seal, a logo, certificate scans) as PDF image objects, encoded once per process.
//!
//! Decoding a PNG and deflating its pixels took half of a stamped quotation's rendering time, yet
//! the seal is the same image on every document: the encoded object (colour + alpha mask, each
//! deflated) is kept per distinct image, keyed by the SHA-256 of its bytes.

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

fn encode(bytes: &[u8]) -> Result<Encoded, DocError> {
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
