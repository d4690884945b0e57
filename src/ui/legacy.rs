//! The routing this window is leaving: panels not yet moved to [`Reply`](super::worker::Reply)
//! queue an [`Action`]; it runs as a worker job and its [`Outcome`] comes back to the app, which
//! routes it to the panel. Areas move off it one by one.

use std::path::PathBuf;

use crate::service::{Actor, NewUser, Service, ServiceError};
use crate::store::Location;
use crate::ui::worker::Session;
pub use crate::ui::worker::{OpenInfo, read_file, write_file};

/// Something the window asks the service to do.
#[allow(clippy::large_enum_variant)] // a few per user action; boxing buys nothing
pub enum Action {
    Open(Location),
    /// Replace a database that cannot be opened with a backup, then open it.
    RestoreUnopenable {
        db: PathBuf,
        backup: PathBuf,
    },
    QuickCheck,
    CreateDemo,
    CreateFirstAdmin(NewUser),
    SignIn {
        login: String,
        password: String,
    },
    /// The cheap change watch (and, while the server is away, the reconnect probe): the office's
    /// data version. Needs no sign-in; it says only whether someone else wrote.
    Watch,
    /// Everything else acts for the signed-in user.
    Office(Request),
}

/// A use case run for the signed-in user.
pub enum Request {
    ChangeOwnPassword { old: String, new: String },
}

type Res<T> = Result<T, ServiceError>;

/// What came back.
#[allow(clippy::large_enum_variant)] // one per action, moved once; boxing buys nothing
pub enum Outcome {
    /// The action panicked on the worker (its own answer never came).
    Panicked,
    Opened(Res<OpenInfo>),
    /// Where the unusable file was kept, and the reopened database.
    RestoredUnopenable(Res<(PathBuf, OpenInfo)>),
    QuickChecked(Res<()>),
    DemoCreated(Res<String>),
    SignedIn(Res<Actor>),
    PasswordChanged(Res<Actor>),
    FileWritten(Res<PathBuf>),
    /// The change watch's answer (like `Polled`, never counted as work in progress).
    Watched(Res<i64>),
}

/// Runs one action on `session` (a worker job).
pub fn execute(session: &mut Session, actor: Option<&Actor>, action: Action) -> Outcome {
    match action {
        Action::Open(location) => return Outcome::Opened(session.open(&location)),
        Action::Watch => return Outcome::Watched(session.service().and_then(Service::data_version)),
        Action::RestoreUnopenable { db, backup } => {
            session.close();
            let reopened = crate::service::restore_unopenable(&db, &backup)
                .and_then(|kept| Ok((kept, session.open(&Location::File(db))?)));
            return Outcome::RestoredUnopenable(reopened);
        }
        _ => {}
    }
    let svc = match session.service() {
        Ok(svc) => svc,
        Err(e) => return Outcome::Opened(Err(e)),
    };
    match (actor, action) {
        (_, Action::Open(_) | Action::RestoreUnopenable { .. } | Action::Watch) => Outcome::Opened(Err(not_open())),
        (_, Action::QuickCheck) => Outcome::QuickChecked(svc.quick_check()),
        (_, Action::CreateDemo) => Outcome::DemoCreated(svc.create_demo_office().map(|s| s.company)),
        (_, Action::CreateFirstAdmin(u)) => Outcome::SignedIn(svc.create_first_admin(u)),
        (_, Action::SignIn { login, password }) => Outcome::SignedIn(svc.sign_in(&login, &password)),
        (None, Action::Office(_)) => Outcome::SignedIn(Err(ServiceError::Rule("请先登录。".into()))),
        (Some(a), Action::Office(request)) => Executor::as_actor(svc, a, request),
    }
}

fn not_open() -> ServiceError {
    ServiceError::Rule("数据库尚未打开。".into())
}

struct Executor;

impl Executor {
    fn as_actor(svc: &mut Service, a: &Actor, request: Request) -> Outcome {
        use Request::*;
        match request {
            ChangeOwnPassword { old, new } => Outcome::PasswordChanged(svc.change_own_password(a, &old, &new)),
        }
    }
}

/// Sends an action's outcome, or [`Outcome::Panicked`] if the job unwinds before it could.
pub struct Answer {
    tx: std::sync::mpsc::Sender<Outcome>,
    sent: bool,
}

impl Answer {
    pub fn new(tx: std::sync::mpsc::Sender<Outcome>) -> Self {
        Answer { tx, sent: false }
    }

    pub fn send(mut self, outcome: Outcome) {
        self.sent = true;
        let _ = self.tx.send(outcome);
    }
}

impl Drop for Answer {
    fn drop(&mut self) {
        if !self.sent {
            let _ = self.tx.send(Outcome::Panicked);
        }
    }
}
