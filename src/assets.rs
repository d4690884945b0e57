//! Files shipped inside the binary: the Simplified Chinese fonts (Noto Sans SC and Noto Serif SC,
//! SIL OFL 1.1, `assets/fonts/OFL.txt` and `OFL-NotoSerifSC.txt`). egui and the PDF renderer load
//! the same bytes; the icon (`assets/icon/`, drawn by `packaging/make-icon.sh`). Static data costs
//! no start-up time: a face is parsed only when something uses it
//! (the serif face only by a document set in it).

/// Noto Sans SC Regular (400).
pub static NOTO_SANS_SC_REGULAR: &[u8] = include_bytes!("../assets/fonts/NotoSansSC_400Regular.ttf");
/// Noto Sans SC Bold (700).
pub static NOTO_SANS_SC_BOLD: &[u8] = include_bytes!("../assets/fonts/NotoSansSC_700Bold.ttf");
/// Noto Serif SC Regular (400): the 宋体-like body face of bids (and of quotes, if the admin
/// chooses); headings stay in the bold sans (黑体).
pub static NOTO_SERIF_SC_REGULAR: &[u8] = include_bytes!("../assets/fonts/NotoSerifSC_400Regular.ttf");

/// The window's icon (taskbar, title bar, Alt+Tab), 64 px; the installers carry every size.
pub static ICON_PNG: &[u8] = include_bytes!("../assets/icon/salesdesk-64.png");

#[cfg(test)]
mod tests {
    #[test]
    fn the_icon_is_a_square_png() {
        let img = image::load_from_memory_with_format(super::ICON_PNG, image::ImageFormat::Png).expect("decodes");
        assert_eq!((img.width(), img.height()), (64, 64));
    }
}
