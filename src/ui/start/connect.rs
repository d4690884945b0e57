//! The connection dialog (连接数据库): an office file on this PC, or the office server that several
//! PCs share. It builds the address from the fields (percent-encoding what must be) and checks
//! them as typed; whether the server lets us in is for the worker to find out.

use std::net::Ipv6Addr;

use egui::{RichText, Ui};

use crate::domain::company::FieldError;
use crate::service::{Location, TlsMode, split_tls_params};
use crate::ui::theme::{ERROR_RED, MUTED};
use crate::ui::widgets::text_field;

pub const DEFAULT_PORT: &str = "5432";
pub const DEFAULT_DATABASE: &str = "salesdesk";

/// The one line of advice the dialog always shows.
pub const SHARING_HINT: &str =
    "几台电脑共用一个办公室，只能通过办公室服务器；不要把数据库文件放在共享文件夹里共用（会损坏数据）。";

/// The office server's fields as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerFields {
    pub host: String,
    pub port: String,
    pub database: String,
    /// Whose login `user` names: a person's SalesDesk login (the server login is
    /// `数据库名.登录名`), or a server account as it is (the owner's, to install and upgrade).
    pub account: Account,
    pub user: String,
    pub password: String,
    /// How the connection is encrypted (`sslmode`).
    pub tls: TlsMode,
    /// The office's CA certificate file, for the modes that check the server (`sslrootcert`).
    pub root_cert: String,
    /// Whatever else followed `?` in an address the user already had: kept as it was.
    pub params: String,
}

impl Default for ServerFields {
    fn default() -> Self {
        ServerFields {
            host: String::new(),
            port: DEFAULT_PORT.into(),
            database: DEFAULT_DATABASE.into(),
            account: Account::Mine,
            user: String::new(),
            password: String::new(),
            tls: TlsMode::default(),
            root_cert: String::new(),
            params: String::new(),
        }
    }
}

/// Which login the dialog connects with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Account {
    /// The person's own: what every PC uses (the login name they sign in to SalesDesk with).
    Mine,
    /// A server account named as it is: the database owner's, for installing and upgrading.
    Server,
}

/// The encryption choices as the dialog offers them, the recommended one first.
pub const TLS_CHOICES: [TlsMode; 5] =
    [TlsMode::VerifyFull, TlsMode::Prefer, TlsMode::Require, TlsMode::VerifyCa, TlsMode::Disable];

/// What each choice is called in the dialog.
pub fn tls_label(mode: TlsMode) -> &'static str {
    match mode {
        TlsMode::VerifyFull => "加密，并核对服务器证书（推荐）",
        TlsMode::Prefer => "服务器支持时加密（不核对证书）",
        TlsMode::Require => "必须加密（不核对证书）",
        TlsMode::VerifyCa => "加密，核对证书由办公室 CA 签发（不核对名称）",
        TlsMode::Disable => "不加密",
    }
}

/// One sentence on what the choice protects from.
fn tls_note(mode: TlsMode) -> &'static str {
    match mode {
        TlsMode::VerifyFull => {
            "只连接持有办公室 CA 所签证书、且名称与服务器地址相符的服务器；密码和价格不会以明文经过网络。"
        }
        TlsMode::Prefer => {
            "服务器开启 SSL 时加密传输（没开时不加密），但不核对对方是不是办公室的服务器。建议向管理员要 CA 证书并选“核对服务器证书”。"
        }
        TlsMode::Require => {
            "数据加密传输，但不核对对方是不是办公室的服务器；能改动办公室网络的人仍可冒充服务器。建议向管理员要 CA 证书并选“核对服务器证书”。"
        }
        TlsMode::VerifyCa => "核对证书由办公室 CA 签发，但不核对证书上的服务器名称。",
        TlsMode::Disable => "密码、价格和客户资料将以明文经过网络，只在测试时使用。",
    }
}

/// Percent-encodes everything but the URL's unreserved characters: a password may hold `@`, `:`
/// or `/`, which would otherwise end the part early.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The inverse of [`encode`]; a `%` not followed by two hex digits stays as it is (as the
/// PostgreSQL client reads it).
fn decode(text: &str) -> String {
    crate::service::percent_decode(text)
}

impl ServerFields {
    /// What is wrong with the fields, one message per field (empty when they can be used).
    pub fn problems(&self) -> Vec<FieldError> {
        let mut problems = Vec::new();
        let host = self.host.trim();
        if host.is_empty() {
            problems.push(FieldError::new("host", "请填写服务器地址"));
        } else if host.chars().any(char::is_whitespace) {
            problems.push(FieldError::new("host", "服务器地址中不能有空格"));
        } else if host.contains(['/', '@', '?', '#', ',']) {
            problems.push(FieldError::new("host", "只填服务器的名称或 IP 地址，例如 192.168.1.10"));
        } else if host.contains(':') && bare_ipv6(host).is_none() {
            problems.push(FieldError::new("host", "端口请填在“端口”一栏，这里只填服务器的名称或 IP 地址"));
        }
        if !matches!(self.port.trim().parse::<u32>(), Ok(1..=65535)) {
            problems.push(FieldError::new("port", "端口须是 1–65535 之间的数字（通常是 5432）"));
        }
        if self.database.trim().is_empty() {
            problems.push(FieldError::new("database", "请填写数据库名"));
        }
        if self.user.trim().is_empty() {
            problems.push(FieldError::new("user", "请填写用户名"));
        } else if self.account == Account::Mine && self.server_user().len() > 63 {
            problems.push(FieldError::new("user", "数据库名加登录名太长（服务器账号最长 63 个字节）"));
        }
        if self.tls.verifies() {
            let file = self.root_cert.trim();
            if file.is_empty() {
                problems.push(FieldError::new("root_cert", "请选择管理员给的办公室 CA 证书文件（.crt 或 .pem）"));
            } else if !std::path::Path::new(file).is_file() {
                problems.push(FieldError::new("root_cert", "找不到这个文件，请重新选择"));
            }
        }
        problems
    }

    /// `postgres://user:password@host:port/database`, each part percent-encoded; without the
    /// password when `with_password` is false (or none was typed).
    pub fn url(&self, with_password: bool) -> Result<String, Vec<FieldError>> {
        let problems = self.problems();
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(self.address(with_password))
    }

    /// The login the server is asked for: `数据库名.登录名` for a person, else as typed.
    pub fn server_user(&self) -> String {
        match self.account {
            Account::Mine => format!("{}.{}", self.database.trim(), self.user.trim()),
            Account::Server => self.user.trim().to_string(),
        }
    }

    /// The person to sign in as once connected with their own login (the same password).
    pub fn person(&self) -> Option<(String, String)> {
        (self.account == Account::Mine && !self.password.is_empty())
            .then(|| (self.user.trim().to_string(), self.password.clone()))
    }

    /// The address the fields make, unchecked (as [`ServerFields::url`] builds it).
    pub fn address(&self, with_password: bool) -> String {
        let host = self.host.trim();
        let host = match bare_ipv6(host) {
            Some(v6) => format!("[{v6}]"),
            None => encode(host),
        };
        let password = match with_password && !self.password.is_empty() {
            true => format!(":{}", encode(&self.password)),
            false => String::new(),
        };
        let mut params: Vec<String> = self.params.split('&').filter(|p| !p.is_empty()).map(str::to_string).collect();
        if self.tls != TlsMode::default() {
            params.push(format!("sslmode={}", self.tls.keyword()));
        }
        if self.tls.verifies() {
            // Remembered as a full path: the next start may run from another folder.
            let file = self.root_cert.trim();
            let file = std::path::absolute(file).map_or_else(|_| file.to_string(), |p| p.display().to_string());
            params.push(format!("sslrootcert={}", encode(&file)));
        }
        let params = if params.is_empty() { String::new() } else { format!("?{}", params.join("&")) };
        format!(
            "postgres://{}{password}@{host}:{}/{}{params}",
            encode(&self.server_user()),
            self.port.trim(),
            encode(self.database.trim())
        )
    }

    /// The fields of a server address (read as the PostgreSQL client reads it: credentials up to
    /// the first `@`, the first of several hosts); `None` for a file path.
    pub fn from_url(url: &str) -> Option<ServerFields> {
        let t = url.trim();
        let rest = t.strip_prefix("postgres://").or_else(|| t.strip_prefix("postgresql://"))?;
        let mut f = ServerFields { database: String::new(), ..Default::default() };
        let rest = match rest.split_once('@') {
            Some((creds, rest)) => {
                let (user, password) = creds.split_once(':').unwrap_or((creds, ""));
                f.user = decode(user);
                f.password = decode(password);
                rest
            }
            None => rest,
        };
        let end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (hosts, rest) = rest.split_at(end);
        let first = hosts.split(',').next().unwrap_or("");
        let (host, port) = match first.strip_prefix('[').and_then(|h| h.split_once(']')) {
            Some((v6, port)) => (v6.to_string(), port.strip_prefix(':')),
            None => match first.split_once(':') {
                Some((h, p)) => (decode(h), Some(p)),
                None => (decode(first), None),
            },
        };
        f.host = host;
        f.port = port.filter(|p| !p.is_empty()).map_or_else(|| DEFAULT_PORT.to_string(), decode);
        let (path, params) = rest.split_once('?').unwrap_or((rest, ""));
        f.database = decode(path.strip_prefix('/').unwrap_or(""));
        // `数据库名.登录名` is a person's own login; anything else a server account as it is.
        f.account = Account::Server;
        if let Some(login) = f.user.strip_prefix(&format!("{}.", f.database)).filter(|l| !l.is_empty()) {
            f.user = login.to_string();
            f.account = Account::Mine;
        }
        match split_tls_params(params) {
            Ok((rest, tls)) => {
                f.params = rest;
                f.tls = tls.mode;
                f.root_cert = tls.root_cert.map(|p| p.display().to_string()).unwrap_or_default();
            }
            // A word the client does not know stays as typed: connecting says what is wrong.
            Err(_) => f.params = params.to_string(),
        }
        Some(f)
    }
}

/// The address without brackets if `host` is an IPv6 address (`fe80::1` or `[fe80::1]`).
fn bare_ipv6(host: &str) -> Option<Ipv6Addr> {
    host.trim_start_matches('[').trim_end_matches(']').parse().ok()
}

/// True when a remembered server address carries no password (the dialog then asks for it).
pub fn lacks_password(location: &Location) -> bool {
    match location {
        Location::Server(url) => ServerFields::from_url(url).is_some_and(|f| f.password.is_empty()),
        Location::File(_) => false,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    File,
    Server,
}

/// A connection on its way to the worker.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    pub location: Location,
    /// What the window remembers for the next start if it works (`None`: 记住此连接 was off):
    /// never with the password.
    pub remember: Option<String>,
    /// The password for the system's credential store (记住密码).
    pub password_to_save: Option<String>,
    /// Connected with a person's own login: signed in as them at once, with the same password.
    pub sign_in_as: Option<(String, String)>,
}

pub enum DialogAction {
    Connect(Location),
    Cancel,
}

pub struct ConnectDialog {
    choice: Choice,
    path: String,
    server: ServerFields,
    remember: bool,
    remember_password: bool,
    problems: Vec<FieldError>,
    /// Why the last attempt failed: the worker's sentence.
    error: Option<String>,
    /// Put the cursor in the password box on the next frame (a start that needs it).
    focus_password: bool,
    pub pending: Option<Attempt>,
}

impl ConnectDialog {
    /// The dialog showing `current` (the office open now, or the one that failed).
    pub fn for_location(current: &Location) -> ConnectDialog {
        let mut d = ConnectDialog {
            choice: Choice::File,
            path: String::new(),
            server: ServerFields::default(),
            remember: true,
            remember_password: false,
            problems: Vec::new(),
            error: None,
            focus_password: false,
            pending: None,
        };
        match current {
            Location::File(p) => d.path = p.display().to_string(),
            Location::Server(url) => {
                d.choice = Choice::Server;
                if let Some(f) = ServerFields::from_url(url) {
                    d.remember_password = !f.password.is_empty();
                    d.server = f;
                }
            }
        }
        d
    }

    /// At start, the remembered server refused us without a password: ask for it.
    pub fn asking_password(current: &Location, error: String) -> ConnectDialog {
        let mut d = ConnectDialog::for_location(current);
        d.error = Some(error);
        d.focus_password = true;
        d
    }

    /// The attempt failed: say why, keep every field.
    pub fn failed(&mut self, error: String) {
        self.pending = None;
        self.error = Some(error);
    }

    /// What 连接 would send, or the fields' problems.
    pub fn attempt(&self) -> Result<Attempt, Vec<FieldError>> {
        match self.choice {
            Choice::File => {
                let path = self.path.trim();
                if path.is_empty() {
                    return Err(vec![FieldError::new("path", "请填写或选择数据库文件")]);
                }
                // Remembered as a full path: the next start may run from another folder.
                let path = std::path::absolute(path).unwrap_or_else(|_| path.into());
                let remember = self.remember.then(|| path.display().to_string());
                let location = Location::File(path);
                Ok(Attempt { location, remember, password_to_save: None, sign_in_as: None })
            }
            Choice::Server => {
                let url = self.server.url(true)?;
                let remember = match self.remember {
                    true => Some(self.server.url(false)?),
                    false => None,
                };
                let keep = self.remember && self.remember_password && !self.server.password.is_empty();
                let password_to_save = keep.then(|| self.server.password.clone());
                let sign_in_as = self.server.person();
                Ok(Attempt { location: Location::Server(url), remember, password_to_save, sign_in_as })
            }
        }
    }

    /// Draws the dialog's body (the start screen puts it on its card).
    pub fn ui(&mut self, ui: &mut Ui, busy: bool) -> Option<DialogAction> {
        let mut action = None;
        ui.horizontal(|ui| {
            ui.radio_value(&mut self.choice, Choice::File, "本机数据库文件");
            ui.radio_value(&mut self.choice, Choice::Server, "办公室服务器（PostgreSQL）");
        });
        ui.add_space(4.0);
        let mut submit = false;
        let problems = std::mem::take(&mut self.problems);
        let find = |f: &str| problems.iter().find(|p| p.field == f).map(|p| p.message.as_str());
        match self.choice {
            Choice::File => {
                egui::Grid::new("connect_file").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
                    text_field(ui, "文件路径", &mut self.path, find("path"), false);
                });
                if ui.button("浏览…").clicked()
                    && let Some(p) =
                        rfd::FileDialog::new().add_filter("SalesDesk 数据库", &["db", "sqlite"]).pick_file()
                {
                    self.path = p.display().to_string();
                }
            }
            Choice::Server => {
                let s = &mut self.server;
                egui::Grid::new("connect_server").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
                    text_field(ui, "服务器地址", &mut s.host, find("host"), false);
                    text_field(ui, "端口", &mut s.port, find("port"), false);
                    text_field(ui, "数据库名", &mut s.database, find("database"), false);
                    ui.label("账号");
                    ui.horizontal(|ui| {
                        ui.radio_value(&mut s.account, Account::Mine, "我的登录名");
                        ui.radio_value(&mut s.account, Account::Server, "数据库账号（安装、升级）");
                    });
                    ui.end_row();
                    let user_label = if s.account == Account::Mine { "登录名" } else { "用户名" };
                    text_field(ui, user_label, &mut s.user, find("user"), false);
                    let r = text_field(ui, "密码", &mut s.password, None, true);
                    if std::mem::take(&mut self.focus_password) {
                        r.request_focus();
                    }
                    submit |= r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    let l = ui.label("加密连接");
                    egui::ComboBox::from_id_salt("connect_tls")
                        .selected_text(tls_label(s.tls))
                        .width(320.0)
                        .show_ui(ui, |ui| {
                            for mode in TLS_CHOICES {
                                ui.selectable_value(&mut s.tls, mode, tls_label(mode));
                            }
                        })
                        .response
                        .labelled_by(l.id);
                    ui.end_row();
                    if s.tls.verifies() {
                        text_field(ui, "CA 证书文件", &mut s.root_cert, find("root_cert"), false);
                        ui.label("");
                        if ui.button("选择 CA 证书…").clicked()
                            && let Some(p) =
                                rfd::FileDialog::new().add_filter("CA 证书", &["crt", "pem", "cer"]).pick_file()
                        {
                            s.root_cert = p.display().to_string();
                        }
                        ui.end_row();
                    }
                });
                let account_note = match self.server.account {
                    Account::Mine => format!(
                        "用您在销售部工作台的登录名和密码连接（服务器账号为 {}），连接后直接登录。",
                        self.server.server_user()
                    ),
                    Account::Server => "数据库所有者的账号只在安装和升级时使用；平时请用“我的登录名”。".to_string(),
                };
                ui.label(RichText::new(account_note).small().color(MUTED));
                ui.label(RichText::new(tls_note(self.server.tls)).small().color(MUTED));
            }
        }
        self.problems = problems;
        ui.checkbox(&mut self.remember, "记住此连接（下次启动时自动打开）");
        if self.choice == Choice::Server {
            ui.add_enabled_ui(self.remember, |ui| {
                ui.checkbox(&mut self.remember_password, "记住密码");
            });
            let note = match self.remember_password {
                true => {
                    "密码将保存在系统的密码库中（Windows 凭据管理器 / 钥匙环），不写入普通文件；请只在自己使用的电脑上勾选。"
                }
                false => "不记住密码时，每次启动都会请您输入密码。",
            };
            ui.label(RichText::new(note).small().color(MUTED));
        }
        ui.add_space(4.0);
        ui.label(RichText::new(SHARING_HINT).color(MUTED));
        if let Some(e) = &self.error {
            ui.label(RichText::new(e).color(ERROR_RED));
        }
        ui.add_space(4.0);
        let waiting = self.pending.is_some();
        ui.horizontal(|ui| {
            let label = if self.choice == Choice::File { "打开" } else { "连接" };
            submit |= ui.add_enabled(!busy && !waiting, egui::Button::new(label)).clicked();
            // While connecting the old office is still the one open: cancelling now would leave
            // the window and the worker disagreeing about which office this is.
            if ui.add_enabled(!waiting, egui::Button::new("取消")).clicked() {
                action = Some(DialogAction::Cancel);
            }
            if waiting {
                ui.add(egui::Spinner::new());
                ui.label("正在连接…");
            }
        });
        if submit && !busy && !waiting {
            match self.attempt() {
                Ok(a) => {
                    self.problems.clear();
                    self.error = None;
                    action = Some(DialogAction::Connect(a.location.clone()));
                    self.pending = Some(a);
                }
                Err(problems) => self.problems = problems,
            }
        }
        action
    }
}
