//! The window's start-up flow: opening the office (a file or the server), the quick check in the
//! background, the demo office or the first admin, signing in, the forced password change, and
//! replacing a file that cannot be opened with a backup. Each step asks the worker and takes its
//! answer in `logic`; what the screens show is `StartState`'s.

use std::path::PathBuf;

use super::StartAction;
use crate::service::Location;
use crate::service::{Actor, NewUser, ServiceError};
use crate::ui::nav::Nav;
use crate::ui::worker::{Lane, OpenInfo, Reply, Res, Session};
use crate::ui::{SalesDeskApp, Screen};

/// What the start-up flow is waiting for.
#[derive(Default)]
pub(in crate::ui) struct SessionReplies {
    opening: Reply<OpenInfo>,
    /// A damaged file replaced by a backup: where the old one was kept, and the office reopened.
    restoring: Reply<(PathBuf, OpenInfo)>,
    checking: Reply<()>,
    /// The customer list read into memory while the sign-in screen waits for the password.
    preparing: Reply<()>,
    creating_demo: Reply<String>,
    /// Signing in, or the first admin created and signed in.
    signing_in: Reply<Actor>,
    /// The forced password change before the main window.
    changing_password: Reply<Actor>,
    /// Connected with a person's own login: sign in as them once the quick check has passed.
    pub(in crate::ui) sign_in_after_check: Option<(String, String)>,
}

impl SalesDeskApp {
    /// Runs a step with no signed-in user.
    fn ask_session<T: Send + 'static>(&self, f: impl FnOnce(&mut Session) -> Res<T> + Send + 'static) -> Reply<T> {
        self.worker.ask(Lane::Front, f)
    }

    /// Opens `location` (the office open before stays open if this fails).
    pub(in crate::ui) fn open_office(&mut self, location: Location) {
        self.session.opening = self.ask_session(move |s| s.open(&location));
    }

    /// Takes in the start-up flow's answers.
    pub(in crate::ui) fn session_logic(&mut self) {
        if let Some(r) = self.session.opening.take() {
            self.opened(r);
        }
        match self.session.restoring.take() {
            Some(Ok((kept, info))) => {
                self.toasts.success(format!("已从备份恢复，原文件保留为 {}", kept.display()));
                self.opened(Ok(info));
            }
            Some(Err(e)) => self.toasts.error(e.to_string()),
            None => {}
        }
        if let Some(Err(e)) = self.session.preparing.take() {
            log::warn!("preparing the customer list: {e}");
        }
        let checked = self.session.checking.take();
        if let Some(Ok(())) = &checked
            && let Some((login, password)) = self.session.sign_in_after_check.take()
        {
            // The dialog connected with the person's own login and password: no second asking.
            self.start.login = login.clone();
            self.start_action(StartAction::SignIn { login, password });
        }
        if let Some(Err(e)) = checked {
            self.session.sign_in_after_check = None;
            // The check ran on the back lane's connection: the front lane refuses writes too.
            let reason = e.to_string();
            let _ = self.worker.ask(Lane::Front, move |s| {
                s.service()?.refuse_writes(reason);
                Ok(())
            });
            self.read_only = Some(e.to_string());
            if self.actor.is_none() {
                // Signing in writes (attempts, audit): offer another file or a restore instead.
                self.screen = Screen::FileProblem(format!("{e} 数据库已设为只读，无法登录。"));
            } else {
                self.toasts.error(format!("{e} 数据库已切换为只读。"));
            }
        }
        match self.session.creating_demo.take() {
            Some(Ok(name)) => {
                self.toasts.success(format!("已创建演示办公室“{name}”，请用演示账号登录。"));
                self.screen = Screen::SignIn;
            }
            Some(Err(e)) => self.toasts.error(e.to_string()),
            None => {}
        }
        if let Some(r) = self.session.signing_in.take() {
            self.signed_in(r);
        }
        match self.session.changing_password.take() {
            Some(Ok(actor)) => {
                self.toasts.success("密码已修改。");
                self.start.clear_passwords();
                self.actor = Some(actor);
                self.screen = Screen::Main;
            }
            Some(Err(e)) => self.start.password_error = Some(e),
            None => {}
        }
    }

    /// Whether a start-up step is under way (the start screens' buttons wait).
    pub(in crate::ui) fn session_busy(&self) -> bool {
        let s = &self.session;
        s.opening.is_waiting()
            || s.restoring.is_waiting()
            || s.checking.is_waiting()
            || s.creating_demo.is_waiting()
            || s.signing_in.is_waiting()
            || s.changing_password.is_waiting()
    }

    fn opened(&mut self, r: Res<OpenInfo>) {
        let Some(r) = self.connect_answered(r) else { return };
        match r {
            Ok(info) => {
                self.watch = Default::default();
                self.location = info.location;
                if !info.new_logins.is_empty() {
                    self.new_logins = info.new_logins;
                }
                self.read_only = None;
                self.actor = None;
                self.screen = if info.needs_first_admin { Screen::FirstStart } else { Screen::SignIn };
                // The check reads the whole file: on the back lane, while the front lane reads the
                // customer list the first screen after sign-in shows. 登录 waits for the check.
                self.session.checking = self.worker.ask(Lane::Back, |s| s.service()?.quick_check());
                self.session.preparing = self.ask_session(|s| s.service()?.prepare_customer_list());
            }
            Err(e) => {
                log::error!("open {}: {e:?}", self.db.shown());
                self.screen = Screen::FileProblem(e.to_string());
            }
        }
    }

    fn signed_in(&mut self, r: Result<Actor, ServiceError>) {
        match r {
            Ok(actor) => {
                self.view.last_login = actor.login().to_string();
                self.start.clear_passwords();
                self.start.sign_in_error = None;
                self.screen = if actor.must_change_password() { Screen::MustChangePassword } else { Screen::Main };
                // Everyone starts at what waits for them (not at the last user's page).
                self.view.nav = Nav::Work;
                // And at their own UI scale on this PC.
                self.zoom_pending = Some(self.view.zoom.get(actor.login()).copied().unwrap_or(1.0));
                self.toasts.info(format!("欢迎，{}（{}）", actor.display_name(), actor.roles().labels()));
                self.actor = Some(actor);
            }
            Err(e) => self.start.sign_in_failed(e),
        }
    }

    /// Does what a start screen asked.
    pub(in crate::ui) fn start_action(&mut self, action: StartAction) {
        match action {
            StartAction::CreateDemo => {
                self.session.creating_demo = self.ask_session(|s| Ok(s.service()?.create_demo_office()?.company));
            }
            StartAction::CreateFirstAdmin(u) => self.create_first_admin(u),
            StartAction::SignIn { login, password } => {
                self.session.signing_in = self.ask_session(move |s| s.service()?.sign_in(&login, &password));
            }
            StartAction::ChangePassword { old, new } => {
                let Some(actor) = self.actor.clone() else { return };
                self.session.changing_password =
                    self.ask_session(move |s| s.service()?.change_own_password(&actor, &old, &new));
            }
            StartAction::OpenOther(path) => {
                let db = Location::File(path);
                self.db = db.clone();
                self.location = db.shown();
                self.screen = Screen::Opening;
                self.open_office(db);
            }
            StartAction::RestoreInto(backup) => match self.db.clone() {
                Location::File(db) => {
                    self.session.restoring = self.ask_session(move |s| {
                        s.close();
                        let kept = crate::service::restore_unopenable(&db, &backup)?;
                        Ok((kept, s.open(&Location::File(db))?))
                    });
                }
                Location::Server(_) => self.toasts.error(ServiceError::not_on_server("用备份替换数据库").to_string()),
            },
            StartAction::SignOut => self.sign_out(),
            StartAction::Connect => self.open_connect_dialog(),
            StartAction::Retry => {
                self.screen = Screen::Opening;
                self.open_office(self.db.clone());
            }
        }
    }

    fn create_first_admin(&mut self, u: NewUser) {
        self.session.signing_in = self.ask_session(move |s| s.service()?.create_first_admin(u));
    }
}
