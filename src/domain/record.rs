//! A record as read, with what a save must hand back: its version (a save over someone else's
//! newer change is refused) and who changed it last, when.

/// A setting as stored, with the version to hand back on save (0 = never saved: defaults).
#[derive(Debug, Clone, PartialEq)]
pub struct Versioned<T> {
    pub value: T,
    pub version: i64,
    pub updated_by: String,
    pub updated_at: String,
}
