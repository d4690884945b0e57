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
pub use preview::{PagePainter, PreviewWindow};
pub use register::RegisterPanel;

use super::widgets::Toasts;
use super::worker::Res;

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
