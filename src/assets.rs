//! Files shipped inside the binary: the Simplified Chinese font (Noto Sans SC, SIL OFL 1.1,
//! `assets/fonts/OFL.txt`). egui and the PDF renderer load the same bytes.

/// Noto Sans SC Regular (400).
pub static NOTO_SANS_SC_REGULAR: &[u8] = include_bytes!("../assets/fonts/NotoSansSC_400Regular.ttf");
/// Noto Sans SC Bold (700).
pub static NOTO_SANS_SC_BOLD: &[u8] = include_bytes!("../assets/fonts/NotoSansSC_700Bold.ttf");
