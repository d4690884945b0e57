//! Store errors: typed, with a Chinese sentence for the user and the English detail kept for the log.

use std::path::Path;

use rusqlite::ErrorCode;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("文件 {path} 不是 SQLite 数据库，无法打开。请选择其他文件或从备份恢复。")]
    NotADatabase { path: String },
    #[error("数据库文件已损坏（{0}）。为防止数据丢失，程序不会写入它；请从备份恢复。")]
    Corrupt(String),
    #[error("文件 {path} 不是 SalesDesk 的数据库（它属于其他程序），不会被修改。")]
    NotOurs { path: String },
    #[error("数据库版本 {found} 比本程序支持的版本 {supported} 新，请升级 SalesDesk 后再打开。本程序不会写入它。")]
    TooNew { found: i64, supported: i64 },
    #[error("数据库当前只读：{0}")]
    ReadOnly(String),
    #[error("该{entity}已被 {by} 于 {at} 修改，您的修改未保存。请刷新后重新填写（您的输入仍在屏幕上）。")]
    Conflict { entity: &'static str, by: String, at: String },
    #[error("找不到该{0}，它可能已被删除。")]
    NotFound(&'static str),
    /// On the office server: the row is there, but this login may not read it (another
    /// salesperson's customer, or what hangs off one). `owner`: the customer's owner as the
    /// duplicate warning would name them ("" for the pool).
    #[error("该{what}属于其他销售员负责的客户，您无权查看或修改。如需跟进，请联系销售部负责人分配。")]
    NotYours { what: &'static str, owner: String },
    #[error("{0}已存在。")]
    Duplicate(String),
    #[error("数据库正忙（其他程序正在写入），请稍后再试。")]
    Busy,
    #[error("无法读写文件：{0}")]
    Io(#[from] std::io::Error),
    #[error(
        "{0}已损坏（内容与存入时的 SHA-256 指纹不符），不能再使用、打印或另存。请管理员从损坏之前的备份恢复，或重新上传该文件；“检查数据库”会列出所有损坏的文件。"
    )]
    Damaged(String),
    #[error("数据无法写成保存格式（{0}），本次修改没有保存。请把这条消息告诉管理员。")]
    Encode(String),
    #[error("数据库错误：{0}")]
    Sqlite(EngineError),
    #[error("办公室服务器的数据库出错：{0}")]
    Postgres(EngineError),
    #[error("数据库中的数据无法读取（{0}）。请运行“检查数据库”，或联系管理员。")]
    Unreadable(String),
    #[error("与办公室服务器的连接断开了（{detail}）。程序正在重连；您的输入仍在屏幕上，恢复后请再试一次。")]
    Disconnected { detail: String },
    #[error(
        "办公室服务器拒绝了登录（{0}）。请检查用户名和密码；都没错的话，请管理员在服务器的 pg_hba.conf 里允许这台电脑。"
    )]
    LoginRefused(String),
    #[error(
        "与办公室服务器的连接在保存的最后一刻断开了（{detail}），无法确定这次是否已保存。请等连接恢复后刷新查看，确认没有保存再重试。"
    )]
    CommitUnknown { detail: String },
    #[error("办公室服务器上的数据库设置不对：{0}。请管理员按 README“办公室服务器”一节重新创建数据库。")]
    ServerSetup(String),
    #[error("{0}")]
    Tls(#[from] super::pg_tls::TlsProblem),
    #[error("服务器地址写得不对（{0}）。格式如 postgres://用户名@服务器/数据库名。")]
    BadAddress(String),
    #[error(
        "服务器上的数据库需要先升级，但当前账号没有权限（{0}）。请管理员用数据库所有者的账号运行一次 salesdesk check --db 服务器地址（会先升级数据库）。"
    )]
    ServerNeedsUpgrade(String),
    #[error(
        "办公室服务器上还没有 {login} 的个人账号（{role}）。请管理员用数据库所有者的账号启动一次 SalesDesk 或运行 salesdesk check --db 服务器地址：它会为每位用户建立服务器账号，并告诉每人首次怎样登录。"
    )]
    NoServerLogin { login: String, role: String },
    #[error("该账号在办公室服务器上已停用，不能再连接。如需恢复，请联系管理员。")]
    ServerLoginDisabled,
    #[error("这项操作需要以您本人的账号连接办公室服务器，但当前没有这个连接。请退出后重新登录。")]
    NoSeat,
    #[error("请输入密码。")]
    PasswordNeeded,
    #[error(
        "服务器账号 {user} 不能读取这个办公室的数据（它可能是旧版本的共用账号，升级后已停用）。请在“连接数据库”里选择“我的登录名”，用您在销售部工作台的登录名和密码连接。"
    )]
    SharedLoginRetired { user: String },
    #[error(
        "办公室服务器拒绝了这项操作：您的服务器账号没有这项权限（{0}）。如果您确实负责这项工作，请管理员检查您的角色。"
    )]
    ServerRefused(String),
    #[error("{0}只适用于本机数据库文件；服务器上的办公室请按 README“办公室服务器”一节操作。")]
    NotOnServer(&'static str),
}

/// An error of the database engine itself, kept for the log. Opaque outside the store: no
/// rusqlite or postgres type leaves `store`.
#[derive(Debug)]
pub struct EngineError(Engine);

#[derive(Debug)]
enum Engine {
    Sqlite(rusqlite::Error),
    Postgres(postgres::Error),
}

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Engine::Sqlite(e) => e.fmt(f),
            Engine::Postgres(e) => f.write_str(&pg_detail(e)),
        }
    }
}

impl std::error::Error for EngineError {}

impl EngineError {
    /// The server's error, if this is one (the store's own checks look at its SQLSTATE).
    pub(crate) fn postgres(&self) -> Option<&postgres::Error> {
        match &self.0 {
            Engine::Postgres(e) => Some(e),
            Engine::Sqlite(_) => None,
        }
    }
}

impl From<super::db::Error> for StoreError {
    fn from(e: super::db::Error) -> Self {
        use super::db::Error as E;
        match e {
            E::Sqlite(e) => e.into(),
            E::Postgres(e) => StoreError::from_pg(e),
            E::NoRows => StoreError::Unreadable("query returned no rows".into()),
            E::Conversion(col, what) => StoreError::Unreadable(format!("column {col}: {what}")),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt(e.to_string()),
            Some(ErrorCode::NotADatabase) => StoreError::NotADatabase { path: String::new() },
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy,
            _ => StoreError::Sqlite(EngineError(Engine::Sqlite(e))),
        }
    }
}

impl StoreError {
    /// PostgreSQL errors: a closed connection is `Disconnected` (the worker reconnects), a
    /// serialisation or lock failure is `Busy`, the rest are kept for the log.
    pub(crate) fn from_pg(e: postgres::Error) -> Self {
        use postgres::error::SqlState;
        // The client's own words when the server asks for a password and the address has none.
        if pg_detail(&e).contains("password missing") {
            return StoreError::PasswordNeeded;
        }
        let refused = matches!(e.code(), Some(c) if *c == SqlState::INVALID_PASSWORD
            || *c == SqlState::INVALID_AUTHORIZATION_SPECIFICATION);
        if refused {
            return StoreError::LoginRefused(pg_detail(&e));
        }
        if e.is_closed()
            || e.code().is_none() && std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>())
        {
            return StoreError::Disconnected { detail: pg_detail(&e) };
        }
        match e.code() {
            Some(c)
                if *c == SqlState::T_R_SERIALIZATION_FAILURE
                    || *c == SqlState::T_R_DEADLOCK_DETECTED
                    || *c == SqlState::LOCK_NOT_AVAILABLE =>
            {
                StoreError::Busy
            }
            Some(c) if *c == SqlState::INSUFFICIENT_PRIVILEGE => StoreError::ServerRefused(pg_detail(&e)),
            Some(c)
                if *c == SqlState::ADMIN_SHUTDOWN
                    || *c == SqlState::CRASH_SHUTDOWN
                    || *c == SqlState::CANNOT_CONNECT_NOW =>
            {
                StoreError::Disconnected { detail: pg_detail(&e) }
            }
            _ => StoreError::Postgres(EngineError(Engine::Postgres(e))),
        }
    }

    /// True when the office server could not be reached: the window shows the reconnect banner.
    pub fn is_disconnected(&self) -> bool {
        matches!(self, StoreError::Disconnected { .. } | StoreError::CommitUnknown { .. })
    }

    pub(crate) fn from_open(path: &Path, e: rusqlite::Error) -> Self {
        StoreError::from(e).with_path(path)
    }

    /// Fills in the file name for errors raised before the path was known.
    pub(crate) fn with_path(self, path: &Path) -> Self {
        match self {
            StoreError::NotADatabase { path: p } if p.is_empty() => {
                StoreError::NotADatabase { path: path.display().to_string() }
            }
            StoreError::NotOurs { path: p } if p.is_empty() => StoreError::NotOurs { path: path.display().to_string() },
            other => other,
        }
    }

    /// True when the file itself is the problem (not our, damaged, too new): the window then offers
    /// to open another file or restore a backup.
    pub fn is_file_problem(&self) -> bool {
        matches!(
            self,
            StoreError::NotADatabase { .. }
                | StoreError::Corrupt(_)
                | StoreError::NotOurs { .. }
                | StoreError::TooNew { .. }
        )
    }
}

/// The server's own message (with its SQLSTATE), which `postgres::Error`'s Display leaves out.
pub(crate) fn pg_detail(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => format!("{} [{}]", d.message(), d.code().code()),
        None => match std::error::Error::source(e) {
            Some(s) => format!("{e}: {s}"),
            None => e.to_string(),
        },
    }
}
