//! `salesdeskw.exe`: what the Windows Start menu and desktop shortcuts start. It starts
//! `salesdesk.exe` beside it (the whole program, a console program) with no console window, passes
//! its arguments on, and exits. Two programs because Windows fixes at build time whether a program
//! gets a console: the command line (`demo`, `check`, `render`, `issue`, `verify`, `migrate`,
//! `print`) needs one — a GUI program that attaches to its parent's console is not waited for by
//! `cmd.exe` (the prompt comes back before the output) and its exit code is lost to batch files —
//! while a double-click must not open a black console window beside SalesDesk. This launcher is a
//! few hundred kilobytes, so the installer carries the program once.
//! Built only with the `windows-launcher` feature (`packaging/build.sh`).

#![cfg_attr(windows, windows_subsystem = "windows")]

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let program = if cfg!(windows) { "salesdesk.exe" } else { "salesdesk" };
    let Some(path) = std::env::current_exe().ok().map(|p| p.with_file_name(program)) else {
        return tell("找不到程序所在的文件夹。请重新安装销售部工作台。");
    };
    let mut command = Command::new(&path);
    command.args(std::env::args_os().skip(1));
    #[cfg(windows)]
    {
        use std::os::windows::process::CommandExt;
        const CREATE_NO_WINDOW: u32 = 0x0800_0000;
        command.creation_flags(CREATE_NO_WINDOW);
    }
    match command.spawn() {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => tell(&format!("无法启动 {}：{e}。请重新安装销售部工作台。", path.display())),
    }
}

/// There is no console to write to: a message box says what went wrong.
fn tell(message: &str) -> ExitCode {
    #[cfg(windows)]
    {
        #[link(name = "user32")]
        unsafe extern "system" {
            fn MessageBoxW(hwnd: *mut core::ffi::c_void, text: *const u16, caption: *const u16, kind: u32) -> i32;
        }
        let wide = |s: &str| s.encode_utf16().chain([0]).collect::<Vec<u16>>();
        let (text, caption) = (wide(message), wide("销售部工作台"));
        const MB_ICONERROR: u32 = 0x10;
        // SAFETY: both strings are NUL-terminated UTF-16 that outlive the call; no owner window.
        unsafe { MessageBoxW(core::ptr::null_mut(), text.as_ptr(), caption.as_ptr(), MB_ICONERROR) };
    }
    #[cfg(not(windows))]
    eprintln!("salesdeskw: {message}");
    ExitCode::from(1)
}
