//! SalesDesk (销售部工作台): the sales department's office application.
//!
//! Layers, dependencies pointing down only:
//! `ui` / `main` (CLI) → `service` (use cases) → `store` (the only SQL) and `domain` (pure rules);
//! beside them `docs` (PDF layout), `io` (spreadsheets) and `print` (the system's print service).

pub mod assets;
pub mod docs;
pub mod domain;
pub mod io;
pub mod print;
pub mod service;
pub mod store;
pub mod ui;

/// The office database used when `--db` is not given: `office.db` in the platform's local data
/// folder — `~/.local/share/salesdesk` on Linux, `%LOCALAPPDATA%\SalesDesk\SalesDesk\data` on
/// Windows. Local, not roaming: a roaming profile is often redirected to a network share, where
/// SQLite must not live. The folder is made when missing (the first start on a PC, where nothing
/// else has made it); if it cannot be, opening the file says so.
pub fn default_database_path() -> Option<std::path::PathBuf> {
    let dirs = directories::ProjectDirs::from("cn", "SalesDesk", "SalesDesk")?;
    let folder = dirs.data_local_dir();
    let _ = std::fs::create_dir_all(folder);
    Some(folder.join("office.db"))
}
