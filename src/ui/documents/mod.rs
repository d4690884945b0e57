//! Documents that leave the office: the print preview with printing and saving as PDF
//! (`preview.rs`), 用印发出 with its copies sent to a printer (`issue_dialog.rs`), the issued-documents register with verification
//! (`register.rs`), and the certificate library bids attach (`certificates.rs`).

mod certificates;
mod issue_dialog;
mod preview;
mod register;

use std::path::{Path, PathBuf};

pub use certificates::{CertificatesPanel, Shared, expiry_badge};
pub use issue_dialog::IssueDialog;
pub use preview::{PagePainter, PreviewWindow, salesdesk_folder};
pub use register::RegisterPanel;

use egui::Ui;

use super::widgets::Toasts;
use super::worker::Res;

/// 选择…: the system's save dialog for a PDF, starting from the typed `path`. When no dialog
/// opens (cancelled, or no desktop portal) the typed field stays the way in: the message says so.
pub fn choose_pdf_path(path: &mut String) -> Result<(), String> {
    let current = PathBuf::from(path.trim());
    let name = current.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut dialog = rfd::FileDialog::new().add_filter("PDF", &["pdf"]).set_file_name(name);
    if let Some(dir) = current.parent().filter(|d| d.is_dir()) {
        dialog = dialog.set_directory(dir);
    }
    match dialog.save_file() {
        Some(p) => {
            *path = p.display().to_string();
            Ok(())
        }
        None => Err("没有打开文件对话框（可能是取消了，或这台电脑没有文件对话框）。请直接在上面填写保存位置。".into()),
    }
}

/// The printer combo box (the default marked); returns the printer chosen, if any.
pub fn printer_combo<'a>(
    ui: &mut Ui,
    id_salt: &str,
    list: &'a [crate::print::Printer],
    chosen: &mut Option<String>,
    width: f32,
) -> Option<&'a crate::print::Printer> {
    let current = list.iter().find(|p| Some(&p.name) == chosen.as_ref());
    let text = current.map_or("请选择打印机".to_string(), |p| p.description.clone());
    let l = ui.label("打印机");
    egui::ComboBox::from_id_salt(id_salt)
        .selected_text(text)
        .width(width)
        .show_ui(ui, |ui| {
            for p in list {
                let mark = if p.is_default { "（默认）" } else { "" };
                ui.selectable_value(chosen, Some(p.name.clone()), format!("{}{mark}", p.description));
            }
        })
        .response
        .labelled_by(l.id);
    list.iter().find(|p| Some(&p.name) == chosen.as_ref())
}

/// A file written, and whether it could be shown.
pub struct Written {
    pub path: PathBuf,
    /// `Some(Err)`: saved, but the viewer could not be started.
    pub opened: Option<Result<(), String>>,
}

/// The file at `path`, shown in the system viewer when `open` (on the worker).
pub fn shown(path: PathBuf, open: bool) -> Written {
    let opened = open.then(|| open_in_viewer(&path));
    Written { path, opened }
}

/// Opens a file with the system's viewer (best effort: the file is saved either way).
pub fn open_in_viewer(path: &Path) -> Result<(), String> {
    #[cfg(target_os = "windows")]
    let mut command = {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    };
    #[cfg(target_os = "macos")]
    let mut command = std::process::Command::new("open");
    #[cfg(not(any(target_os = "windows", target_os = "macos")))]
    let mut command = std::process::Command::new("xdg-open");
    command.arg(path).spawn().map(drop).map_err(|e| {
        log::warn!("opening {} in the viewer: {e}", path.display());
        if e.kind() == std::io::ErrorKind::NotFound {
            "这台电脑没有设置打开 PDF 的程序".to_string()
        } else {
            "系统没能启动查看器".to_string()
        }
    })
}

/// "已保存到 …" (and whether the viewer opened).
pub fn written_toast(r: Res<Written>, toasts: &mut Toasts) {
    match r {
        Ok(w) => match w.opened {
            Some(Err(e)) => toasts.info(format!("已保存到 {}，但无法自动打开（{e}），请手动打开。", w.path.display())),
            _ => toasts.success(format!("已保存到 {}", w.path.display())),
        },
        Err(e) => toasts.error(e.to_string()),
    }
}
