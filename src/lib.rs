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

/// The office database used when `--db` is not given: `office.db` in the platform data folder.
pub fn default_database_path() -> Option<std::path::PathBuf> {
    let dirs = directories::ProjectDirs::from("cn", "SalesDesk", "SalesDesk")?;
    Some(dirs.data_dir().join("office.db"))
}
