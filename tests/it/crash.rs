//! A crash at any point loses nothing that was committed (DESIGN §10). The test binary runs
//! itself as a child that writes in a loop and reports each commit; the parent kills it with
//! SIGKILL at pseudo-random moments and checks the file after each kill.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use salesdesk::service::{DEMO_PASSWORD, Service};

use crate::support::{db_path, demo_office, sign_in};

const ROUNDS: u64 = 50;
/// Tells the child which database to write; without it the child test does nothing.
const DB_ENV: &str = "SALESDESK_CRASH_DB";
/// A guard against a child that never starts, not a timing assertion.
const HANG_GUARD: Duration = Duration::from_secs(120);

/// The child: signs in once, then saves the standard terms over and over, printing
/// `committed <version>` after each save returned Ok.
#[test]
#[ignore = "the child process of killed_writers_lose_nothing_they_reported_committed"]
fn child_writer() {
    let Some(path) = std::env::var_os(DB_ENV) else { return };
    let mut svc = Service::open(Path::new(&path)).expect("child: open");
    let admin = svc.sign_in("admin", DEMO_PASSWORD).expect("child: sign in");
    let mut terms = svc.settings(&admin).expect("child: read").terms;
    let mut out = std::io::stdout().lock();
    for _ in 0..1_000_000 {
        let mut next = terms.value.clone();
        next.validity_days = validity_for(terms.version);
        terms = svc.update_standard_terms(&admin, terms.version, next).expect("child: save");
        if writeln!(out, "committed {}", terms.version).and_then(|()| out.flush()).is_err() {
            return; // the parent is gone
        }
    }
}

/// What the child writes when saving over `version`, so the content can be checked too.
fn validity_for(version: i64) -> u32 {
    (version % 365) as u32 + 1
}

/// A small deterministic generator: the same kill moments on every run.
struct Lcg(u64);

impl Lcg {
    fn next_below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// Runs one child, kills it, and returns the last version it reported committed (0: none).
fn run_and_kill(db: &Path, rng: &mut Lcg, round: u64) -> i64 {
    let mut child = Command::new(std::env::current_exe().expect("own path"))
        .args(["crash::child_writer", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env(DB_ENV, db)
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the child starts");
    let stdout = child.stdout.take().expect("piped");
    let (tx, rx) = mpsc::channel::<i64>();
    let reader = thread::spawn(move || {
        let mut lines = BufReader::new(stdout);
        let mut line = String::new();
        // Only whole lines count: a line cut by the kill was not reported.
        while lines.read_line(&mut line).is_ok_and(|n| n > 0) && line.ends_with('\n') {
            if let Some(v) = line.trim_end().strip_prefix("committed ").and_then(|v| v.parse().ok())
                && tx.send(v).is_err()
            {
                break;
            }
            line.clear();
        }
    });

    // Most rounds kill in the middle of the write loop; every fifth kills during start-up
    // (open, migrations, sign-in), which writes too.
    let mut last = 0;
    if round % 5 != 4 {
        match rx.recv_timeout(HANG_GUARD) {
            Ok(v) => last = v,
            Err(_) => {
                let _ = child.kill();
                let out = child.wait_with_output().expect("wait");
                panic!("round {round}: the child reported nothing: {}", String::from_utf8_lossy(&out.stderr));
            }
        }
        thread::sleep(Duration::from_millis(30 + rng.next_below(221)));
    } else {
        thread::sleep(Duration::from_millis(rng.next_below(120)));
    }
    child.kill().expect("kill");
    let status = child.wait().expect("wait");
    assert!(!status.success(), "round {round}: the child ended by itself: {status:?}");
    reader.join().expect("reader");
    rx.try_iter().fold(last, i64::max)
}

#[test]
fn killed_writers_lose_nothing_they_reported_committed() {
    let (dir, svc) = demo_office();
    drop(svc);
    let db = db_path(&dir);
    let mut rng = Lcg(0x5A1E_5DE5);
    let mut rounds_with_commits = 0;
    let mut last_reported = 0;
    for round in 0..ROUNDS {
        let reported = run_and_kill(&db, &mut rng, round);

        let mut svc = Service::open(&db).unwrap_or_else(|e| panic!("round {round}: reopen after the kill: {e}"));
        svc.quick_check().unwrap_or_else(|e| panic!("round {round}: quick check: {e}"));
        let report = svc.check().expect("check runs");
        assert!(report.is_ok(), "round {round}: {report:?}");
        let admin = sign_in(&mut svc, "admin");
        let terms = svc.settings(&admin).expect("reads").terms;
        assert!(terms.version >= reported, "round {round}: reported {reported} committed, found {}", terms.version);
        if terms.version > 1 {
            assert_eq!(terms.value.validity_days, validity_for(terms.version - 1), "round {round}: content");
        }
        rounds_with_commits += reported.min(1);
        last_reported = last_reported.max(reported);
    }
    eprintln!("{ROUNDS} kills, {rounds_with_commits} after reported commits, last reported version {last_reported}");
    assert!(rounds_with_commits >= (ROUNDS * 4 / 5) as i64, "most rounds were killed after commits");
}
