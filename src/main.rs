//! `salesdesk`: without a subcommand it opens the window; subcommands run headless jobs through
//! the same service layer (DESIGN §8). Exit codes: 0 success, 1 runtime error or rejected input,
//! 2 bad usage; one clear line on stderr.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use salesdesk::domain::document::PrintVariant;
use salesdesk::domain::ids::{QuoteId, UserId};
use salesdesk::domain::quote::{QuoteKind, QuoteStatus, RevisionStatus};
use salesdesk::domain::visit::Week;
use salesdesk::print::{PrintServer, PrintSystem};
use salesdesk::service::{
    Actor, ExportFormat, PrintOptions, Printable, Service, ServiceError, migrate_office, restore_unopenable,
};
use salesdesk::store::Location;

#[derive(Parser)]
#[command(name = "salesdesk", version, about = "SalesDesk 销售部工作台")]
struct Cli {
    /// The office database: a SQLite file (default: in the platform data folder), or the office
    /// server as postgres://user[:password]@host[:port]/database.
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
    /// Verify the database's integrity and the audit chain (on a server: schema and triggers).
    Check,
    /// Move an office (a SQLite file) into an empty database on the office server, verified: every
    /// table's row count and the audit chain.
    Migrate {
        #[arg(long, value_name = "office.db")]
        from: String,
        #[arg(long, value_name = "postgres://…")]
        to: String,
    },
    /// Import a price table (xlsx, or CSV in UTF-8/GBK) as a new version of the table.
    ImportPrices {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Only show what would be imported.
        #[arg(long)]
        dry_run: bool,
        /// Import the good rows even if some rows have problems.
        #[arg(long)]
        skip_bad: bool,
        /// The date the new prices take effect (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        effective: Option<chrono::NaiveDate>,
    },
    /// Import customers (xlsx, or CSV in UTF-8/GBK).
    ImportCustomers {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        skip_bad: bool,
    },
    /// List quotes and bids as TSV: number, revision, kind, revision status, document status,
    /// customer, total.
    Quotes {
        /// Only those whose revision or document status has this code (e.g. submitted, approved, won).
        #[arg(long, value_name = "CODE")]
        status: Option<String>,
    },
    /// Print a quote or bid to PDF: a draft (watermark, no seal), or the stamped PDF exactly as
    /// issued if that revision was issued. Writes no register entry. Or the weekly visit plan, or
    /// the 工作周报 of a week.
    #[command(group(clap::ArgGroup::new("what").required(true).args(["quote", "bid", "contract", "visit_plan", "weekly_report", "chase_list"])))]
    Render {
        /// The 销售合同 with this number, e.g. HT-2026-0001 (a draft until issued).
        #[arg(long, value_name = "NO")]
        contract: Option<String>,
        /// The 催款清单: everyone's you may see, or one salesperson's with --salesperson.
        #[arg(long)]
        chase_list: bool,
        /// The week of a visit plan for the Saturday meeting, e.g. 2026-W48.
        #[arg(long, value_name = "YYYY-Www")]
        visit_plan: Option<String>,
        /// The week of the 工作周报 (all you may read, or one salesperson's), e.g. 2026-W48.
        #[arg(long, value_name = "YYYY-Www")]
        weekly_report: Option<String>,
        /// With --weekly-report or --chase-list: only this salesperson's (login name).
        #[arg(long, value_name = "LOGIN")]
        salesperson: Option<String>,
        /// The quote number, e.g. BJ-2026-0001.
        #[arg(long, value_name = "NO")]
        quote: Option<String>,
        /// The bid number, e.g. TB-2026-0001.
        #[arg(long, value_name = "NO")]
        bid: Option<String>,
        /// The revision (default: the latest).
        #[arg(long, value_name = "N")]
        rev: Option<u32>,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// Print to a printer: a quote or bid (the stamped file if that revision was issued, recorded
    /// as a reprint; else a draft), a weekly visit plan, or the weekly reports.
    #[command(group(clap::ArgGroup::new("what").required(true).args(["quote", "bid", "visit_plan", "weekly_report"])))]
    Print {
        #[arg(long, value_name = "NO")]
        quote: Option<String>,
        #[arg(long, value_name = "NO")]
        bid: Option<String>,
        /// The week of a visit plan, e.g. 2026-W48.
        #[arg(long, value_name = "YYYY-Www")]
        visit_plan: Option<String>,
        /// The week of the weekly reports (all you may read), e.g. 2026-W48.
        #[arg(long, value_name = "YYYY-Www")]
        weekly_report: Option<String>,
        /// The revision (default: the latest).
        #[arg(long, value_name = "N")]
        rev: Option<u32>,
        /// The printer's queue name (default: the system's default printer); see `printers`.
        #[arg(long, value_name = "NAME")]
        printer: Option<String>,
        /// Copies; for a bid, the 正本 and N−1 副本, as `issue` counts them.
        #[arg(long, value_name = "N", default_value_t = 1)]
        copies: u32,
        /// Pages to print, e.g. 1-3,5 (default: all).
        #[arg(long, value_name = "RANGES", default_value = "")]
        pages: String,
        /// Print on both sides where the printer can.
        #[arg(long)]
        duplex: bool,
        /// A CUPS print server as host:port (default: CUPS_SERVER, else this computer's printers).
        #[arg(long, value_name = "HOST:PORT", env = "CUPS_SERVER")]
        print_server: Option<String>,
    },
    /// The printers the system's print service offers, the default marked with *.
    Printers {
        /// A CUPS print server as host:port (default: CUPS_SERVER, else this computer's printers).
        #[arg(long, value_name = "HOST:PORT", env = "CUPS_SERVER")]
        print_server: Option<String>,
    },
    /// 用印发出: write the stamped PDF of the approved latest revision (or of a confirmed
    /// contract) and record it in the issued-documents register (the assistant only).
    #[command(group(clap::ArgGroup::new("what").required(true).args(["quote", "bid", "contract"])))]
    #[command(group(clap::ArgGroup::new("to").required(true).multiple(true).args(["out", "print", "printer"])))]
    Issue {
        #[arg(long, value_name = "NO")]
        quote: Option<String>,
        #[arg(long, value_name = "NO")]
        bid: Option<String>,
        /// A confirmed 销售合同, e.g. HT-2026-0001.
        #[arg(long, value_name = "NO")]
        contract: Option<String>,
        /// Where to save the stamped PDF.
        #[arg(long, value_name = "FILE.pdf")]
        out: Option<PathBuf>,
        /// How many paper copies are sent (for a bid: the 正本 and N−1 副本).
        #[arg(long, value_name = "N", default_value_t = 1)]
        copies: u32,
        /// Also send the copies to the system's default printer.
        #[arg(long)]
        print: bool,
        /// Send the copies to this printer (implies --print); see `printers`.
        #[arg(long, value_name = "NAME")]
        printer: Option<String>,
        /// Print on both sides where the printer can.
        #[arg(long)]
        duplex: bool,
        /// A wet-stamp print: no seal image, the 盖章处 marks stay for stamping by hand (鲜章).
        #[arg(long, conflicts_with = "riding_seal")]
        wet_stamp: bool,
        /// A bid with a 骑缝章 across the right edge of each bound copy, besides the seals.
        #[arg(long)]
        riding_seal: bool,
        /// A CUPS print server as host:port (default: CUPS_SERVER, else this computer's printers).
        #[arg(long, value_name = "HOST:PORT", env = "CUPS_SERVER")]
        print_server: Option<String>,
    },
    /// Is this PDF one we issued, unchanged? Or: which issued revision has this verification code?
    #[command(group(clap::ArgGroup::new("what").required(true).args(["file", "code"])))]
    Verify {
        #[arg(value_name = "FILE.pdf")]
        file: Option<PathBuf>,
        /// The code in the footer of a paper or scanned copy.
        #[arg(long, value_name = "CODE")]
        code: Option<String>,
    },
    /// Export the price table in force to FILE.csv or FILE.xlsx.
    ExportPrices {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Export the customers you may see to FILE.csv or FILE.xlsx.
    ExportCustomers {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

/// `println!` for the command line's output: a reader that stops early (`salesdesk quotes | head`)
/// ends the program quietly instead of a panic; any other failure to write is reported, exit 1.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write;
        if let Err(e) = writeln!(std::io::stdout(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
            eprintln!("salesdesk: 无法输出结果：{e}");
            std::process::exit(1);
        }
    }};
}

/// Opens the office. When the owner's start on the server gave people logins with one-time
/// passwords, says so once (nothing keeps those passwords).
fn open(db: &Location) -> Result<Service, String> {
    let mut svc = Service::open_at(db).map_err(|e| e.to_string())?;
    let told = svc.take_new_server_logins();
    if !told.is_empty() {
        out!(
            "已在办公室服务器上为 {} 位用户建立个人账号。一次性密码只显示这一次，请分别告知本人；首次登录后须修改：",
            told.len()
        );
        for t in &told {
            out!("  {} ({})\t服务器账号 {}\t一次性密码 {}", t.display_name, t.login, t.server_login, t.password);
        }
    }
    Ok(svc)
}

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let cli = Cli::parse();
    let Some(command) = cli.command else {
        // Without --db the window opens the office it used last (its connection dialog), or the
        // default file.
        let db = cli.db.as_deref().map(Location::parse);
        return match salesdesk::ui::run(db) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                let msg = format!("无法打开窗口：{e}");
                // Started from the Start menu there is no console to read stderr in.
                if cfg!(windows) {
                    rfd::MessageDialog::new()
                        .set_title("销售部工作台")
                        .set_description(&msg)
                        .set_level(rfd::MessageLevel::Error)
                        .show();
                }
                fail(&msg)
            }
        };
    };
    let db = match resolve_db(cli.db.as_deref()) {
        Ok(db) => db,
        Err(msg) => return fail(&msg),
    };
    let db = match own_login_password(db, cli.user.as_deref()) {
        Ok(db) => db,
        Err(msg) => return fail(&msg),
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

/// `--db` (a file or a `postgres://` server) or the default file in the platform data folder.
fn resolve_db(arg: Option<&str>) -> Result<Location, String> {
    match arg {
        Some(text) => Ok(Location::parse(text)),
        None => salesdesk::default_database_path()
            .map(Location::File)
            .ok_or_else(|| "找不到用户数据目录，请用 --db 指定数据库文件。".into()),
    }
}

fn run(command: Command, location: &Location, user: Option<&str>) -> Result<(), String> {
    let text = |e: ServiceError| e.to_string();
    // Only `demo` and `migrate` create a database: a mistyped --db must not become a new, empty office.
    // `printers` reads none.
    if let Location::File(path) = location
        && !matches!(command, Command::Demo | Command::Migrate { .. } | Command::Printers { .. })
        && !path.exists()
    {
        return Err(format!("数据库文件不存在：{}（新建演示办公室请用 salesdesk demo --db 文件）", path.display()));
    }
    let db = location;
    let shown = location.shown();
    match command {
        Command::Demo => {
            let mut svc = open(db)?;
            let s = svc.create_demo_office().map_err(text)?;
            out!(
                "已创建演示办公室“{}”：{} 个用户（密码均为 {}），{} 位客户，{} 种产品，{} 条询价与招标，{} 份报价与投标，{} 次拜访，{} 份合同（数据库 {}）",
                s.company,
                s.users,
                salesdesk::service::DEMO_PASSWORD,
                s.customers,
                s.products,
                s.inquiries,
                s.quotes,
                s.visits,
                s.contracts,
                shown
            );
        }
        Command::Migrate { from, to } => {
            let (from, to) = (Location::parse(&from), Location::parse(&to));
            let counts = migrate_office(&from, &to).map_err(text)?;
            for c in &counts {
                out!("{}\t{}\t{}", c.table, c.source, c.target);
            }
            let rows: i64 = counts.iter().map(|c| c.target).sum();
            out!("ok: 已迁移 {} 张表共 {rows} 行，行数一致，审计链在目标上验证通过", counts.len());
            // On a server the owner's first start makes each person's login (and says so).
            drop(open(&to)?);
        }
        Command::Check => {
            let mut svc = open(db)?;
            let report = svc.check().map_err(text)?;
            out!("integrity_check: {}", report.integrity.join("; "));
            out!("audit entries: {}", report.audit_entries);
            if !report.chain_checked {
                out!("audit chain: 未核对（服务器上只有管理员、销售部负责人和公司领导的账号可以读审计日志）");
            }
            out!("stored files damaged: {}", report.damaged.len());
            for d in &report.damaged {
                out!("  已损坏：{}", d.describe());
            }
            if let Some(b) = &report.chain_break {
                return Err(format!("审计链在第 {} 条处断开：{}", b.seq, b.reason));
            }
            if !report.damaged.is_empty() {
                return Err(format!(
                    "{} 个存档文件已损坏（内容与存入时的 SHA-256 不符）：{}。损坏的文件不能再打印或另存；请从损坏之前的备份恢复（salesdesk restore），或重新上传这些扫描件和图片。",
                    report.damaged.len(),
                    report.damaged.iter().map(|d| d.describe()).collect::<Vec<_>>().join("；")
                ));
            }
            if !report.is_ok() {
                return Err("数据库完整性检查未通过，请从备份恢复。".into());
            }
            out!("ok: 数据库完整，审计链完好，存档文件完好");
        }
        Command::Backup { out } => {
            let mut svc = open(db)?;
            let actor = sign_in(&mut svc, user)?;
            svc.backup(&actor, &out).map_err(text)?;
            out!("已备份到 {}", out.display());
        }
        Command::ImportPrices { file, dry_run, skip_bad, effective } => {
            let mut svc = open(db)?;
            let actor = sign_in(&mut svc, user)?;
            let (bytes, name) = read_input(&file)?;
            let preview = svc.preview_price_import(&actor, &bytes, &name).map_err(text)?;
            print_preview(preview.adds.len(), preview.changes.len(), preview.unchanged, &preview.rejects);
            if finish_preview(preview.rejects.len(), dry_run, skip_bad)? {
                let effective = effective.unwrap_or_else(|| svc.today());
                let r = svc.apply_price_import(&actor, &preview, effective, skip_bad).map_err(text)?;
                let version = match r.price_version {
                    Some(_) => format!("新价格表版本自 {effective} 起执行"),
                    None => "价格表没有变化，未生成新版本".to_string(),
                };
                out!("已导入：新增 {}，修改 {}，跳过 {}；{version}", r.added, r.changed, r.skipped);
            }
        }
        Command::ImportCustomers { file, dry_run, skip_bad } => {
            let mut svc = open(db)?;
            let actor = sign_in(&mut svc, user)?;
            let (bytes, name) = read_input(&file)?;
            let preview = svc.preview_customer_import(&actor, &bytes, &name).map_err(text)?;
            print_preview(preview.adds.len(), preview.changes.len(), preview.unchanged, &preview.rejects);
            if finish_preview(preview.rejects.len(), dry_run, skip_bad)? {
                let r = svc.apply_customer_import(&actor, &preview, skip_bad).map_err(text)?;
                out!("已导入：新增 {}，修改 {}，跳过 {}", r.added, r.changed, r.skipped);
            }
        }
        Command::Quotes { status } => {
            if let Some(code) = &status
                && RevisionStatus::from_code(code).is_none()
                && QuoteStatus::from_code(code).is_none()
            {
                return Err(format!(
                    "未知的状态代码：{code}（可用：draft submitted approved rejected superseded open issued negotiating won lost expired）"
                ));
            }
            let mut svc = open(db)?;
            let actor = sign_in(&mut svc, user)?;
            // Quotes past their validity are expired first, as a seat does when it starts.
            svc.expire_quotes().map_err(text)?;
            out!("number\trevision\tkind\trevision_status\tdocument_status\tcustomer\ttotal");
            for s in svc.quotes(&actor).map_err(text)? {
                let (rev, doc) = (s.revision_status.code(), s.quote.status.code());
                if status.as_deref().is_some_and(|c| c != rev && c != doc) {
                    continue;
                }
                out!(
                    "{}\tV{}\t{}\t{rev}\t{doc}\t{}\t{}",
                    s.quote.number,
                    s.revision,
                    s.quote.kind.code(),
                    s.quote.customer_name,
                    s.total.to_plain_string()
                );
            }
        }
        Command::Render { visit_plan: Some(week), out, .. } => {
            let Some(week) = Week::parse(&week) else {
                return Err(format!("周次格式不对：{week}（应如 2026-W48）"));
            };
            let mut svc = open(db)?;
            let actor = sign_in(&mut svc, user)?;
            let bytes = svc.print_visit_plan(&actor, week).map_err(text)?;
            salesdesk::service::save_file(&out, &bytes).map_err(|e| e.to_string())?;
            out!("{week} 拜访计划已写入 {}", out.display());
        }
        Command::Render { contract: Some(number), out, .. } => {
            let mut svc = open(db)?;
            let actor = sign_in(&mut svc, user)?;
            let id = svc.contract_by_number(&actor, &number).map_err(text)?;
            let printed = svc.print_contract(&actor, id).map_err(text)?;
            salesdesk::service::save_file(&out, &printed.bytes).map_err(|e| e.to_string())?;
            let what = if printed.stamped { "已签发的盖章文件" } else { "草稿（未盖章）" };
            out!("{} 销售合同：{what}，已写入 {}", printed.number, out.display());
        }
        Command::Render { chase_list: true, salesperson, out, .. } => {
            let mut svc = open(db)?;
            let actor = sign_in(&mut svc, user)?;
            let who = salesperson_id(&mut svc, &actor, salesperson)?;
            let bytes = svc.print_chase_list(&actor, who).map_err(text)?;
            salesdesk::service::save_file(&out, &bytes).map_err(|e| e.to_string())?;
            out!("催款清单已写入 {}", out.display());
        }
        Command::Render { weekly_report: Some(week), salesperson, out, .. } => {
            let Some(week) = Week::parse(&week) else {
                return Err(format!("周次格式不对：{week}（应如 2026-W48）"));
            };
            let mut svc = open(db)?;
            let actor = sign_in(&mut svc, user)?;
            let who = salesperson_id(&mut svc, &actor, salesperson)?;
            let bytes = svc.print_weekly_reports(&actor, week, who).map_err(text)?;
            salesdesk::service::save_file(&out, &bytes).map_err(|e| e.to_string())?;
            out!("{week} 工作周报已写入 {}", out.display());
        }
        Command::Render { quote, bid, rev, out, .. } => {
            let mut svc = open(db)?;
            let actor = sign_in(&mut svc, user)?;
            let id = document(&mut svc, &actor, quote, bid)?;
            let printed = svc.print_quote(&actor, id, rev).map_err(text)?;
            salesdesk::service::save_file(&out, &printed.bytes).map_err(|e| e.to_string())?;
            let what = if printed.stamped { "已签发的盖章文件" } else { "草稿（未盖章）" };
            out!("{} V{}：{what}，已写入 {}", printed.number, printed.revision, out.display());
        }
        Command::Print { quote, bid, visit_plan, weekly_report, rev, printer, copies, pages, duplex, print_server } => {
            let week = |w: &str| Week::parse(w).ok_or_else(|| format!("周次格式不对：{w}（应如 2026-W48）"));
            let mut svc = open(db)?.with_print_system(print_system(print_server));
            let actor = sign_in(&mut svc, user)?;
            let what = match (visit_plan, weekly_report) {
                (Some(w), _) => Printable::VisitPlan(week(&w)?),
                (None, Some(w)) => Printable::WeeklyReports { week: week(&w)?, user: None },
                (None, None) => Printable::Quote { id: document(&mut svc, &actor, quote, bid)?, revision: rev },
            };
            let options = PrintOptions { printer, copies, pages, two_sided: duplex };
            let receipt = svc.print(&actor, &what, &options).map_err(text)?;
            out!("{}", receipt.message());
        }
        Command::Printers { print_server } => {
            let printers = print_system(print_server).printers().map_err(|e| e.to_string())?;
            if printers.is_empty() {
                return Err(salesdesk::print::PrintError::NoPrinter.to_string());
            }
            for p in &printers {
                let mark = if p.is_default { "*" } else { " " };
                out!("{mark} {}\t{}\t{}", p.name, p.description, p.status_text());
            }
        }
        Command::Issue {
            quote,
            bid,
            contract,
            out,
            copies,
            print,
            printer,
            duplex,
            wet_stamp,
            riding_seal,
            print_server,
        } => {
            let mut svc = open(db)?.with_print_system(print_system(print_server));
            let actor = sign_in(&mut svc, user)?;
            let print = (print || printer.is_some()).then(|| PrintOptions {
                printer,
                copies,
                pages: String::new(),
                two_sided: duplex,
            });
            let variant = match (wet_stamp, riding_seal) {
                (true, _) => PrintVariant::WetStamp,
                (false, true) => PrintVariant::SealRiding,
                (false, false) => PrintVariant::Seal,
            };
            let outcome = match contract {
                Some(number) => {
                    let id = svc.contract_by_number(&actor, &number).map_err(text)?;
                    svc.issue_contract_and_print(&actor, id, copies, variant, out.as_deref(), print.as_ref())
                }
                None => {
                    let id = document(&mut svc, &actor, quote, bid)?;
                    svc.issue_and_print(&actor, id, copies, variant, out.as_deref(), print.as_ref())
                }
            }
            .map_err(text)?;
            let e = &outcome.entry;
            let again = if e.reprint { "（重印）" } else { "" };
            let saved = out.map(|o| format!("，已写入 {}", o.display())).unwrap_or_default();
            out!(
                "已用印发出{again} {} {}（{}），{} 份，验证码 {}，SHA-256 {}{saved}",
                e.doc_title(),
                e.label(),
                e.variant.label(),
                e.copies,
                e.verify_code,
                e.sha256
            );
            match outcome.printed {
                None => {}
                Some(Ok(receipt)) => out!("{}", receipt.message()),
                Some(Err(_)) => return Err(outcome.message()),
            }
        }
        Command::Verify { file, code } => {
            let mut svc = open(db)?;
            let verdict = match (file, code) {
                (Some(file), _) => {
                    let (bytes, _) = read_input(&file)?;
                    svc.verify_pdf(&bytes).map_err(text)?
                }
                (None, Some(code)) => svc.verify_code(&code).map_err(text)?,
                (None, None) => unreachable!("clap requires one of them"),
            };
            if !verdict.is_genuine() {
                return Err(verdict.message());
            }
            out!("{}", verdict.message());
        }
        Command::ExportPrices { out } => {
            let mut svc = open(db)?;
            let actor = sign_in(&mut svc, user)?;
            let format = ExportFormat::from_file_name(&out.to_string_lossy()).map_err(text)?;
            let bytes = svc.export_price_table(&actor, None, format).map_err(text)?;
            write_output(&out, &bytes)?;
        }
        Command::ExportCustomers { out } => {
            let mut svc = open(db)?;
            let actor = sign_in(&mut svc, user)?;
            let format = ExportFormat::from_file_name(&out.to_string_lossy()).map_err(text)?;
            let bytes = svc.export_customers(&actor, format).map_err(text)?;
            write_output(&out, &bytes)?;
        }
        Command::Restore { file } => {
            let kept = match Service::open_at(db) {
                Ok(mut svc) => {
                    let actor = sign_in(&mut svc, user)?;
                    svc.restore(&actor, &file).map_err(text)?
                }
                Err(ServiceError::Store(e)) if e.is_file_problem() && matches!(db, Location::File(_)) => {
                    let Location::File(path) = db else { unreachable!("matched above") };
                    eprintln!("salesdesk: 当前数据库无法打开（{e}），将直接用备份替换。");
                    restore_unopenable(path, &file).map_err(text)?
                }
                Err(e) => return Err(e.to_string()),
            };
            out!("已从 {} 恢复；原数据库保留在 {}", file.display(), kept.display());
        }
    }
    Ok(())
}

/// The quote (`--quote`) or bid (`--bid`) with this number.
fn document(svc: &mut Service, actor: &Actor, quote: Option<String>, bid: Option<String>) -> Result<QuoteId, String> {
    let (number, kind) = match (quote, bid) {
        (Some(n), _) => (n, QuoteKind::Quote),
        (None, Some(n)) => (n, QuoteKind::Bid),
        (None, None) => return Err("请用 --quote 或 --bid 指定编号。".into()),
    };
    let id = svc.quote_by_number(actor, &number).map_err(|e| e.to_string())?;
    let found = svc.quote_view(actor, id).map_err(|e| e.to_string())?.quote;
    if found.kind != kind {
        return Err(format!("{} 是{}，请用 --{}。", found.number, found.kind.label(), found.kind.code()));
    }
    Ok(id)
}

fn read_input(file: &Path) -> Result<(Vec<u8>, String), String> {
    let bytes = std::fs::read(file).map_err(|e| format!("无法读取 {}：{e}", file.display()))?;
    let name = file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    Ok((bytes, name))
}

/// The salesperson a `--salesperson LOGIN` names (None: no option given).
fn salesperson_id(svc: &mut Service, actor: &Actor, login: Option<String>) -> Result<Option<UserId>, String> {
    let Some(login) = login else { return Ok(None) };
    let found =
        svc.salespeople(actor).map_err(|e| e.to_string())?.into_iter().find(|u| u.login.eq_ignore_ascii_case(&login));
    Ok(Some(found.ok_or_else(|| format!("没有登录名为 {login} 的销售员"))?.id))
}

fn write_output(out: &Path, bytes: &[u8]) -> Result<(), String> {
    salesdesk::service::save_file(out, bytes).map_err(|e| e.to_string())?;
    out!("已导出到 {}", out.display());
    Ok(())
}

fn print_preview(adds: usize, changes: usize, unchanged: usize, rejects: &[salesdesk::io::Reject]) {
    out!("预览：新增 {adds}，修改 {changes}，不变 {unchanged}，有问题 {}", rejects.len());
    for r in rejects {
        out!("  第 {} 行 [{}]：{}", r.row, r.column, r.reason);
    }
}

/// Whether to go on and write. With rejects and no --skip-bad nothing is imported (exit 1), also
/// in a dry run, so a script learns what the real run would do.
fn finish_preview(rejects: usize, dry_run: bool, skip_bad: bool) -> Result<bool, String> {
    if rejects > 0 && !skip_bad {
        return Err(format!(
            "文件中有 {rejects} 行有问题，未导入任何内容（修正后重试，或加 --skip-bad 只导入没有问题的行）"
        ));
    }
    if dry_run {
        out!("（--dry-run：未写入任何内容）");
        return Ok(false);
    }
    Ok(true)
}

/// Signs in like the window does: `--user` and `SALESDESK_PASSWORD` or a prompt.
/// `--print-server` (or CUPS_SERVER) names a CUPS server; without it, this computer's printers
/// (CUPS here, the Windows print system on Windows).
fn print_system(print_server: Option<String>) -> PrintSystem {
    match print_server.filter(|s| !s.trim().is_empty()) {
        Some(address) => PrintSystem::Ipp(PrintServer::new(&address)),
        None => PrintSystem::from_environment(),
    }
}

fn sign_in(svc: &mut Service, user: Option<&str>) -> Result<Actor, String> {
    let Some(user) = user else {
        return Err("此命令需要登录：请用 --user 指定用户名（密码取自 SALESDESK_PASSWORD 或提示输入）。".into());
    };
    let password = password_of(user)?;
    svc.sign_in(user, &password).map_err(|e| e.to_string())
}

/// `user`'s password: SALESDESK_PASSWORD, or asked once (a server address with the person's own
/// login and the sign-in share it).
fn password_of(user: &str) -> Result<String, String> {
    static ASKED: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if let Some(p) = ASKED.get() {
        return Ok(p.clone());
    }
    let password = match std::env::var("SALESDESK_PASSWORD") {
        Ok(p) => p,
        Err(_) => rpassword::prompt_password(format!("{user} 的密码: ")).map_err(|e| format!("无法读取密码：{e}"))?,
    };
    Ok(ASKED.get_or_init(|| password).clone())
}

/// `--db postgres://数据库名.登录名@server/数据库名 --user 登录名`: the person's own server login, whose
/// password is theirs — asked once, for the connection and the sign-in.
fn own_login_password(db: Location, user: Option<&str>) -> Result<Location, String> {
    let (Location::Server(url), Some(user)) = (&db, user) else { return Ok(db) };
    match salesdesk::ui::connect::ServerFields::from_url(url) {
        Some(mut f)
            if f.account == salesdesk::ui::connect::Account::Mine && f.user == user && f.password.is_empty() =>
        {
            f.password = password_of(user)?;
            Ok(Location::Server(f.address(true)))
        }
        _ => Ok(db),
    }
}
