//! The service worker: the window never waits on the database or the disk. A panel asks for a use
//! case with [`Worker::ask`] (through its [`Cx`](super::Cx)) and keeps the [`Reply`]; it looks at
//! the reply each frame, and dropping the reply drops the answer. There is no central list of
//! requests or answers: the answer comes back to where the question was asked.
//!
//! Two lanes, each a thread with its own connection to the office: the **front** lane runs what
//! the user asked for (and shows the busy indicator); the **back** lane runs polls, counts and
//! loads nobody waits on, so the visible panel never queues behind them (WAL readers on a file,
//! a second connection on the server). What every panel needs lives here, once: the busy count,
//! a lost server connection (the store reports it, whatever the call was), and surviving a panic
//! in a use case (that action fails with a clear message, the office is reopened before the next
//! job, the window goes on). Tests use the inline worker: every job runs at once, in order, on
//! the caller's thread, so a kittest harness needs no timing.

use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::sync::{Arc, Mutex};

use crate::service::Location;
use crate::service::{Clock, Service, ServiceError};

pub type Res<T> = Result<T, ServiceError>;

/// Opens an office. The app opens with [`Service::open_at`]; tests substitute one that switches
/// faults on in the store or plays an office server.
pub type Opener = Arc<dyn Fn(&Location) -> Res<Service> + Send + Sync>;

/// Which queue a job waits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// What the user asked for: counted for the busy indicator; the writer's connection.
    Front,
    /// Polls, badge counts, loads nobody waits on: a connection of its own.
    Back,
}

/// Facts about a freshly opened office.
#[derive(Debug, Clone)]
pub struct OpenInfo {
    pub location: String,
    pub needs_first_admin: bool,
    /// Opened with the owner's account on the server: the people this start gave a login with a
    /// one-time password, to be shown once.
    pub new_logins: Vec<crate::service::NewServerLogin>,
}

/// The office the front lane opened last; the back lane follows it.
#[derive(Default)]
struct Office {
    location: Option<Location>,
    /// Bumped on every open, restore or close: the back lane reopens when it changed.
    generation: u64,
    /// On the server: who is signed in, with the password of their own server login, so every
    /// lane works through that login (kept in memory only, as the connection's own password is).
    seat: Option<(String, String)>,
    /// Bumped whenever `seat` changes: a lane connects as the person again when it changed.
    seat_generation: u64,
}

/// What a lane's jobs run against: its own [`Service`] on the office open now.
pub struct Session {
    service: Option<Service>,
    opener: Opener,
    clock: Clock,
    office: Arc<Mutex<Office>>,
    /// The office generation `service` was opened at.
    generation: u64,
    /// A job panicked: the service may be half-updated (its caches, its connection), so it is
    /// dropped and opened afresh before the next job.
    poisoned: bool,
    /// The person `service` works for through their own server login, and the office's
    /// `seat_generation` that was at.
    seat: Option<String>,
    seat_generation: u64,
}

fn not_open() -> ServiceError {
    ServiceError::rule("office.not_open", "数据库尚未打开。")
}

impl Session {
    fn new(opener: Opener, clock: Clock, office: Arc<Mutex<Office>>) -> Session {
        Session { service: None, opener, clock, office, generation: 0, poisoned: false, seat: None, seat_generation: 0 }
    }

    fn open_service(&self, location: &Location) -> Res<Service> {
        Ok((self.opener)(location)?.with_clock(self.clock.clone()))
    }

    fn office(&self) -> std::sync::MutexGuard<'_, Office> {
        // A panic never happens while the lock is held; a poisoned lock still holds good data.
        self.office.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Moves every lane to a new generation of the office (`Some`: a new location).
    fn bump(&mut self, location: Option<Option<Location>>) {
        let generation = {
            let mut office = self.office();
            if let Some(location) = location {
                office.location = location;
            }
            office.generation += 1;
            office.generation
        };
        self.generation = generation;
    }

    /// The office's service, opened again first if a panic or another lane's open made it stale.
    pub fn service(&mut self) -> Res<&mut Service> {
        let (location, generation) = {
            let o = self.office();
            (o.location.clone(), o.generation)
        };
        if self.poisoned || generation != self.generation {
            self.service = None;
            if let Some(location) = &location {
                // On failure nothing is marked current: the next job tries again (a server that
                // was away comes back).
                self.service = Some(self.open_service(location)?);
            }
            self.generation = generation;
            self.poisoned = false;
            // A new connection: whoever is signed in connects again.
            self.seat = None;
            self.seat_generation = 0;
        }
        self.follow_seat()?;
        self.service.as_mut().ok_or_else(not_open)
    }

    /// Connects as whoever another lane signed in (or signs out as they did).
    fn follow_seat(&mut self) -> Res<()> {
        let (seat, generation) = {
            let o = self.office();
            (o.seat.clone(), o.seat_generation)
        };
        let Some(svc) = self.service.as_mut() else { return Ok(()) };
        if generation == self.seat_generation {
            return Ok(());
        }
        if let Some(old) = self.seat.take() {
            svc.close_own_connection(&old);
        }
        if let Some((login, password)) = seat {
            svc.use_own_connection(&login, &password)?;
            self.seat = Some(login);
        }
        self.seat_generation = generation;
        Ok(())
    }

    /// After a job: a sign-in, sign-out or password change on this lane is told to the others.
    fn publish_seat(&mut self) {
        let Some(change) = self.service.as_mut().and_then(Service::take_seat_change) else { return };
        let mut o = self.office.lock().unwrap_or_else(|p| p.into_inner());
        o.seat_generation += 1;
        self.seat = change.as_ref().map(|(login, _)| login.clone());
        o.seat = change;
        self.seat_generation = o.seat_generation;
    }

    /// Opens `location` for every lane. The office open before stays open if this fails (the
    /// connection dialog then keeps the screen it was opened from, and that screen keeps working).
    pub fn open(&mut self, location: &Location) -> Res<OpenInfo> {
        if let Location::File(path) = location
            && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir)
                .map_err(|e| ServiceError::file(crate::service::file_problem("创建文件夹", dir, &e)))?;
        }
        let mut svc = self.open_service(location)?;
        let info = OpenInfo {
            location: location.shown(),
            needs_first_admin: svc.needs_first_admin()?,
            new_logins: svc.take_new_server_logins(),
        };
        self.forget_seat();
        self.seat = None;
        self.bump(Some(Some(location.clone())));
        self.service = Some(svc);
        self.poisoned = false;
        Ok(info)
    }

    /// Closes the office on every lane (before its file is replaced).
    pub fn close(&mut self) {
        self.service = None;
        self.bump(Some(None));
    }

    /// Nobody is signed in any more: every lane's own connection for them ends.
    fn forget_seat(&mut self) {
        let mut o = self.office.lock().unwrap_or_else(|p| p.into_inner());
        if o.seat.is_some() {
            o.seat = None;
            o.seat_generation += 1;
        }
    }

    /// The other lanes open the office again (after a restore replaced its content).
    pub fn reopen_others(&mut self) {
        self.bump(None);
    }

    fn take_connection_lost(&mut self) -> bool {
        self.service.as_mut().is_some_and(Service::take_connection_lost)
    }
}

/// A job as a lane runs it.
type Job = Box<dyn FnOnce(&mut Session) + Send>;

/// What the worker tells the window about itself.
#[derive(Default)]
struct Status {
    /// Front-lane jobs not finished yet.
    busy: AtomicUsize,
    /// The server connection dropped since the window last asked.
    lost: AtomicBool,
    /// A job panicked since the window last asked.
    panicked: AtomicBool,
}

/// Counts a front-lane job as in progress until it is dropped (finished, or unwound by a panic).
struct BusyGuard(Arc<Status>);

impl Drop for BusyGuard {
    fn drop(&mut self) {
        self.0.busy.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The answer to one question, when it comes. Keep it in the panel that asked; look at it with
/// [`Reply::take`] each frame. Replacing or dropping it drops the answer (a stale search, a
/// closed card): nothing else needs to know.
pub struct Reply<T> {
    rx: Option<Receiver<Res<T>>>,
}

impl<T> Default for Reply<T> {
    fn default() -> Self {
        Reply { rx: None }
    }
}

/// What a panicked job's reply says (the details are in the log).
pub const INTERNAL_ERROR: &str =
    "程序内部出错，这一步没有完成（已保存的内容不受影响，详情已写入日志）。请再试一次；如仍出错，请联系管理员。";

impl<T> Reply<T> {
    /// True from the question until its answer is taken.
    pub fn is_waiting(&self) -> bool {
        self.rx.is_some()
    }

    /// The answer, once; `None` while it is still being worked on or when nothing was asked.
    pub fn take(&mut self) -> Option<Res<T>> {
        let rx = self.rx.as_ref()?;
        let answer = match rx.try_recv() {
            Ok(answer) => answer,
            Err(TryRecvError::Empty) => return None,
            // The job ended without answering: it panicked (the worker logged it).
            Err(TryRecvError::Disconnected) => Err(ServiceError::rule("worker.internal", INTERNAL_ERROR)),
        };
        self.rx = None;
        Some(answer)
    }

    /// Stops waiting; the answer, when it comes, is dropped.
    pub fn forget(&mut self) {
        self.rx = None;
    }
}

/// Runs jobs on two background threads (the app) or inline (tests).
pub struct Worker {
    lanes: Lanes,
    status: Arc<Status>,
    /// The clock every office is opened with, and the window's "now" (one clock for both).
    clock: Clock,
}

enum Lanes {
    Threads { front: Sender<Job>, back: Sender<Job> },
    Inline(Box<RefCell<Session>>),
}

impl Worker {
    /// The app's worker: two threads that wake the window whenever a job is done.
    pub fn spawn(ctx: egui::Context) -> Worker {
        Worker::spawn_with(ctx, Arc::new(Service::open_at), Arc::new(chrono::Utc::now))
    }

    /// Threads that open offices with `opener`, on `clock`.
    pub fn spawn_with(ctx: egui::Context, opener: Opener, clock: Clock) -> Worker {
        let status = Arc::new(Status::default());
        let office = Arc::new(Mutex::new(Office::default()));
        let lane = |name: &str| -> std::io::Result<Sender<Job>> {
            let (tx, rx) = channel::<Job>();
            let session = Session::new(opener.clone(), clock.clone(), office.clone());
            let (status, ctx) = (status.clone(), ctx.clone());
            std::thread::Builder::new().name(name.into()).spawn(move || run_lane(session, &rx, &status, &ctx))?;
            Ok(tx)
        };
        match lane("service-front").and_then(|front| Ok((front, lane("service-back")?))) {
            Ok((front, back)) => Worker { lanes: Lanes::Threads { front, back }, status, clock },
            Err(e) => {
                log::error!("cannot start the service worker, running inline: {e}");
                Worker::inline_with(opener).with_clock(clock)
            }
        }
    }

    /// Every job runs at once on the caller's thread (tests).
    pub fn inline() -> Worker {
        Worker::inline_with(Arc::new(Service::open_at))
    }

    /// Inline, opening offices with `opener` (tests: faults, a pretend server).
    pub fn inline_with(opener: Opener) -> Worker {
        let clock: Clock = Arc::new(chrono::Utc::now);
        let session = Session::new(opener, clock.clone(), Arc::new(Mutex::new(Office::default())));
        Worker { lanes: Lanes::Inline(Box::new(RefCell::new(session))), status: Arc::new(Status::default()), clock }
    }

    /// The inline worker on `clock` (tests: a fixed day for the window and the office alike).
    pub fn with_clock(mut self, clock: Clock) -> Worker {
        if let Lanes::Inline(session) = &mut self.lanes {
            session.get_mut().clock = clock.clone();
        }
        self.clock = clock;
        self
    }

    /// The clock the offices are opened with.
    pub fn clock(&self) -> Clock {
        self.clock.clone()
    }

    /// Runs `job` on `lane` and returns the handle to its answer.
    pub fn ask<T: Send + 'static>(
        &self,
        lane: Lane,
        job: impl FnOnce(&mut Session) -> Res<T> + Send + 'static,
    ) -> Reply<T> {
        let (tx, rx) = channel();
        let busy = (lane == Lane::Front).then(|| {
            self.status.busy.fetch_add(1, Ordering::SeqCst);
            BusyGuard(self.status.clone())
        });
        let job: Job = Box::new(move |session| {
            let _busy = busy;
            // The asker may have dropped its reply: then the answer goes nowhere.
            let _ = tx.send(job(session));
        });
        match &self.lanes {
            Lanes::Threads { front, back } => {
                let queue = if lane == Lane::Front { front } else { back };
                if queue.send(job).is_err() {
                    log::error!("the service worker has stopped");
                }
            }
            Lanes::Inline(session) => run_job(&mut session.borrow_mut(), job, &self.status),
        }
        Reply { rx: Some(rx) }
    }

    /// True while a front-lane job is waiting or running.
    pub fn is_busy(&self) -> bool {
        self.status.busy.load(Ordering::SeqCst) > 0
    }

    /// True once after a job found the server connection dropped.
    pub fn take_connection_lost(&self) -> bool {
        self.status.lost.swap(false, Ordering::SeqCst)
    }

    /// True once after a job panicked (the window says so; the office was reopened).
    pub fn take_panicked(&self) -> bool {
        self.status.panicked.swap(false, Ordering::SeqCst)
    }
}

fn run_lane(mut session: Session, jobs: &Receiver<Job>, status: &Status, ctx: &egui::Context) {
    for job in jobs {
        run_job(&mut session, job, status);
        ctx.request_repaint();
    }
}

/// Runs one job; a panic fails only that job, and the session reopens the office before the next.
fn run_job(session: &mut Session, job: Job, status: &Status) {
    if let Err(panic) = catch_unwind(AssertUnwindSafe(|| job(session))) {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".into());
        log::error!("a use case panicked, the office will be reopened: {what}");
        session.poisoned = true;
        status.panicked.store(true, Ordering::SeqCst);
    }
    session.publish_seat();
    if session.take_connection_lost() {
        status.lost.store(true, Ordering::SeqCst);
    }
}

/// Reads a file the user chose, here on the worker, never on the window's thread.
pub fn read_file(path: &std::path::Path) -> Res<Vec<u8>> {
    std::fs::read(path).map_err(|e| ServiceError::invalid("file", crate::service::file_problem("读取文件", path, &e)))
}

/// Writes a file the user chose.
/// Writes a file the user chose (the folder made when missing; never half a file).
pub fn write_file(path: &std::path::Path, bytes: &[u8]) -> Res<()> {
    crate::service::save_file(path, bytes).map_err(|e| ServiceError::invalid("file", e.to_string()))
}

/// The file name of `path`, for storing beside the bytes.
pub fn file_name(path: &std::path::Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default()
}

/// Where a document goes to be shown in the system viewer (a temporary copy).
pub fn temp_copy_path(name: &str) -> Res<PathBuf> {
    let dir = std::env::temp_dir().join("SalesDesk");
    std::fs::create_dir_all(&dir)
        .map_err(|e| ServiceError::invalid("file", crate::service::file_problem("创建临时文件夹", &dir, &e)))?;
    Ok(dir.join(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait_for<T>(reply: &mut Reply<T>) -> Res<T> {
        let start = std::time::Instant::now();
        loop {
            if let Some(answer) = reply.take() {
                return answer;
            }
            assert!(start.elapsed() < std::time::Duration::from_secs(30), "no answer");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }

    fn office() -> (tempfile::TempDir, Location) {
        let dir = tempfile::tempdir().expect("temporary folder");
        let location = Location::File(dir.path().join("office.db"));
        (dir, location)
    }

    #[test]
    fn a_job_that_panics_fails_alone_and_the_lane_goes_on_with_the_office_reopened() {
        let (_dir, location) = office();
        let worker =
            Worker::spawn_with(egui::Context::default(), Arc::new(Service::open_at), Arc::new(chrono::Utc::now));
        let mut opened = worker.ask(Lane::Front, move |s| s.open(&location));
        assert!(wait_for(&mut opened).expect("opens").needs_first_admin);

        let mut boom: Reply<()> = worker.ask(Lane::Front, |_| panic!("a bug in a use case"));
        let err = wait_for(&mut boom).expect_err("the panic is the answer");
        assert_eq!(err.to_string(), INTERNAL_ERROR);
        // The reply's sender is dropped while the job unwinds, a moment before the worker marks
        // the panic: the window learns of it on a later frame.
        let marked = (0..500).any(|_| {
            let marked = worker.take_panicked();
            if !marked {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            marked
        });
        assert!(marked, "the panic is told to the window");
        assert!(!worker.is_busy(), "the busy count came back down");

        let mut after = worker.ask(Lane::Front, |s| s.service()?.needs_first_admin());
        assert!(wait_for(&mut after).expect("the lane goes on, on a reopened office"));
    }

    #[test]
    fn the_back_lane_follows_the_office_the_front_lane_opened() {
        let (_dir, location) = office();
        let worker =
            Worker::spawn_with(egui::Context::default(), Arc::new(Service::open_at), Arc::new(chrono::Utc::now));
        let mut before = worker.ask(Lane::Back, |s| s.service().map(|_| ()));
        assert!(wait_for(&mut before).is_err(), "nothing open yet");
        let mut opened = worker.ask(Lane::Front, move |s| s.open(&location));
        wait_for(&mut opened).expect("opens");
        let mut look = worker.ask(Lane::Back, |s| s.service()?.data_version());
        wait_for(&mut look).expect("the back lane has its own connection to the same office");
    }

    #[test]
    fn a_dropped_reply_drops_its_answer_and_a_replaced_one_only_hears_the_new_question() {
        let worker = Worker::inline();
        let mut reply = worker.ask(Lane::Front, |_| Ok(1));
        assert!(reply.is_waiting());
        reply = worker.ask(Lane::Front, |_| Ok(2));
        assert_eq!(reply.take().expect("answered").expect("ok"), 2);
        assert!(!reply.is_waiting());
        assert!(reply.take().is_none(), "an answer is taken once");
        drop(worker.ask(Lane::Back, |_| Ok(3)));
    }
}
