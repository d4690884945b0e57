//! `salesdesk`: without a subcommand it opens the window; subcommands run headless jobs through
//! the same service layer (DESIGN §8). Exit codes: 0 success, 1 runtime error or rejected input,
//! 2 bad usage; one clear line on stderr.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use salesdesk::service::{Actor, Service, ServiceError, restore_unopenable};

#[derive(Parser)]
#[command(name = "salesdesk", version, about = "SalesDesk 销售部工作台")]
struct Cli {
    /// The office database: a SQLite file (default: in the platform data folder).
    #[arg(long, global = true, value_name = "DB")]
    db: Option<String>,
    /// Sign in as this user (password from SALESDESK_PASSWORD or a prompt).
    #[arg(long, global = true, value_name = "NAME")]
    user: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Create the demo office (users of every role, company profile, policy) in a new database.
    Demo,
    /// Online backup of the database to a file.
    Backup {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Check a backup file, then replace the database with it (the old one is kept beside it).
    Restore {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Verify SQLite's integrity and the audit chain.
    Check,
}

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let cli = Cli::parse();
    let db = match resolve_db(cli.db.as_deref()) {
        Ok(db) => db,
        Err(msg) => return fail(&msg),
    };
    let Some(command) = cli.command else {
        return match salesdesk::ui::run(db) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(&format!("无法打开窗口：{e}")),
        };
    };
    match run(command, &db, cli.user.as_deref()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => fail(&msg),
    }
}

fn fail(msg: &str) -> ExitCode {
    eprintln!("salesdesk: {msg}");
    ExitCode::from(1)
}

/// `--db` or the default file in the platform data folder.
fn resolve_db(arg: Option<&str>) -> Result<PathBuf, String> {
    match arg {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Err("此版本只支持 SQLite 数据库文件，PostgreSQL 服务器尚不支持。".into())
        }
        Some(path) => Ok(PathBuf::from(path)),
        None => {
            salesdesk::default_database_path().ok_or_else(|| "找不到用户数据目录，请用 --db 指定数据库文件。".into())
        }
    }
}

fn run(command: Command, db: &Path, user: Option<&str>) -> Result<(), String> {
    let text = |e: ServiceError| e.to_string();
    match command {
        Command::Demo => {
            let mut svc = Service::open(db).map_err(text)?;
            let s = svc.create_demo_office().map_err(text)?;
            println!(
                "已创建演示办公室“{}”：{} 个用户，密码均为 {}（数据库 {}）",
                s.company,
                s.users,
                salesdesk::service::DEMO_PASSWORD,
                db.display()
            );
        }
        Command::Check => {
            let mut svc = Service::open(db).map_err(text)?;
            let report = svc.check().map_err(text)?;
            println!("integrity_check: {}", report.integrity.join("; "));
            println!("audit entries: {}", report.audit_entries);
            if let Some(b) = &report.chain_break {
                return Err(format!("审计链在第 {} 条处断开：{}", b.seq, b.reason));
            }
            if !report.is_ok() {
                return Err("数据库完整性检查未通过，请从备份恢复。".into());
            }
            println!("ok: 数据库完整，审计链完好");
        }
        Command::Backup { out } => {
            let mut svc = Service::open(db).map_err(text)?;
            let actor = sign_in(&mut svc, user)?;
            svc.backup(&actor, &out).map_err(text)?;
            println!("已备份到 {}", out.display());
        }
        Command::Restore { file } => {
            let kept = match Service::open(db) {
                Ok(mut svc) => {
                    let actor = sign_in(&mut svc, user)?;
                    svc.restore(&actor, &file).map_err(text)?
                }
                Err(ServiceError::Store(e)) if e.is_file_problem() => {
                    eprintln!("salesdesk: 当前数据库无法打开（{e}），将直接用备份替换。");
                    restore_unopenable(db, &file).map_err(text)?
                }
                Err(e) => return Err(e.to_string()),
            };
            println!("已从 {} 恢复；原数据库保留在 {}", file.display(), kept.display());
        }
    }
    Ok(())
}

/// Signs in like the window does: `--user` and `SALESDESK_PASSWORD` or a prompt.
fn sign_in(svc: &mut Service, user: Option<&str>) -> Result<Actor, String> {
    let Some(user) = user else {
        return Err("此命令需要登录：请用 --user 指定用户名（密码取自 SALESDESK_PASSWORD 或提示输入）。".into());
    };
    let password = match std::env::var("SALESDESK_PASSWORD") {
        Ok(p) => p,
        Err(_) => rpassword::prompt_password(format!("{user} 的密码: ")).map_err(|e| format!("无法读取密码：{e}"))?,
    };
    svc.sign_in(user, &password).map_err(|e| e.to_string())
}
