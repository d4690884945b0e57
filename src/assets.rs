//! Files shipped inside the binary: the Simplified Chinese fonts (Noto Sans SC and Noto Serif SC,
//! SIL OFL 1.1, `assets/fonts/OFL.txt` and `OFL-NotoSerifSC.txt`). egui and the PDF renderer load
//! the same bytes. Static data costs no start-up time: a face is parsed only when something uses it
//! (the serif face only by a document set in it).

/// Noto Sans SC Regular (400).
pub static NOTO_SANS_SC_REGULAR: &[u8] = include_bytes!("../assets/fonts/NotoSansSC_400Regular.ttf");
/// Noto Sans SC Bold (700).
pub static NOTO_SANS_SC_BOLD: &[u8] = include_bytes!("../assets/fonts/NotoSansSC_700Bold.ttf");
/// Noto Serif SC Regular (400): the 宋体-like body face of bids (and of quotes, if the admin
/// chooses); headings stay in the bold sans (黑体).
pub static NOTO_SERIF_SC_REGULAR: &[u8] = include_bytes!("../assets/fonts/NotoSerifSC_400Regular.ttf");
