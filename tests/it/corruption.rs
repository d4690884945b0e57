//! Damaged files at random (issue 10): bits flipped anywhere in a real office's database, or the
//! file cut at any length, are met with a clear error, a read-only office or a clean check —
//! never a panic; and a backup restored over later changes gives back exactly the data backed up,
//! with an audit chain that still verifies. `SALESDESK_CORRUPTION_ROUNDS=2000` runs it long.

use std::path::Path;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use salesdesk::service::Service;
use sha2::{Digest, Sha256};

use crate::support::{closed_demo_office, customer, sign_in};

fn rounds() -> usize {
    std::env::var("SALESDESK_CORRUPTION_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(24)
}

/// What happened to one damaged file.
#[derive(Debug, Default)]
struct Seen {
    refused: usize,
    damage_found: usize,
    clean: usize,
}

/// Opens the damaged file and does what a seat does at start: quick check, full check, sign in
/// and read. Any of them may fail; none may panic.
fn survive(path: &Path, seen: &mut Seen) {
    let outcome = std::panic::catch_unwind(|| {
        let mut svc = match Service::open(path) {
            Ok(svc) => svc,
            Err(_) => return 0,
        };
        let quick = svc.quick_check().is_ok();
        let full = svc.check().map(|r| r.is_ok()).unwrap_or(false);
        if quick && full {
            // A flip in free space or slack: the office works.
            if let Ok(admin) = svc.sign_in("admin", salesdesk::service::DEMO_PASSWORD) {
                let _ = svc.settings(&admin);
            }
            2
        } else {
            1
        }
    });
    match outcome {
        Ok(0) => seen.refused += 1,
        Ok(1) => seen.damage_found += 1,
        Ok(_) => seen.clean += 1,
        Err(_) => panic!("a damaged database made the program panic: {}", path.display()),
    }
}

#[test]
fn flipped_bits_and_cut_files_never_panic() {
    let (dir, path) = closed_demo_office();
    let original = std::fs::read(&path).unwrap();
    let mut rng = StdRng::seed_from_u64(0xBAD_D15C);
    let mut seen = Seen::default();
    let target = dir.path().join("damaged.db");
    for round in 0..rounds() {
        let mut bytes = original.clone();
        if round % 4 == 3 {
            bytes.truncate(rng.gen_range(0..bytes.len()));
        } else {
            for _ in 0..rng.gen_range(1..=16) {
                let at = rng.gen_range(0..bytes.len());
                bytes[at] ^= 1 << rng.gen_range(0..8);
            }
        }
        for side in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{side}", target.display()));
        }
        std::fs::write(&target, &bytes).unwrap();
        survive(&target, &mut seen);
    }
    eprintln!("{} damaged files: {seen:?}", rounds());
    assert!(seen.refused + seen.damage_found > 0, "some damage is noticed: {seen:?}");
}

/// Every row of every table, hashed per table (the audit log separately: restoring appends).
fn table_digests(path: &Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables
        .into_iter()
        .filter(|t| !t.starts_with("audit"))
        .map(|t| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\" ORDER BY rowid")).unwrap();
            let columns = stmt.column_count();
            let mut hasher = Sha256::new();
            let mut rows = stmt.query([]).unwrap();
            while let Some(row) = rows.next().unwrap() {
                for i in 0..columns {
                    let v: rusqlite::types::Value = row.get(i).unwrap();
                    hasher.update(format!("{v:?}\u{1f}").as_bytes());
                }
                hasher.update(b"\x1e");
            }
            (t, hex::encode(hasher.finalize()))
        })
        .collect()
}

#[test]
fn a_backup_restored_over_later_changes_gives_back_exactly_what_was_backed_up() {
    let (dir, path) = closed_demo_office();
    let backup = dir.path().join("backup.db");
    let mut svc = Service::open(&path).unwrap();
    let admin = sign_in(&mut svc, "admin");
    svc.backup(&admin, &backup).unwrap();
    drop(svc);
    let before = table_digests(&backup);

    let mut svc = Service::open(&path).unwrap();
    let head = sign_in(&mut svc, "zhaomin");
    svc.create_customer(&head, customer("备份之后新建的客户有限公司"), None, true).unwrap();
    drop(svc);
    assert_ne!(table_digests(&path), before, "the office changed after the backup");

    let mut svc = Service::open(&path).unwrap();
    let admin = sign_in(&mut svc, "admin");
    svc.restore(&admin, &backup).unwrap();
    drop(svc);
    assert_eq!(table_digests(&path), before, "every table as it was backed up");
    let mut svc = Service::open(&path).unwrap();
    let report = svc.check().unwrap();
    assert!(report.is_ok(), "integrity and the audit chain verify after the restore: {report:?}");
}
