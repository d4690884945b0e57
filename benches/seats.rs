//! What a seat waits for, on a file and on the office server: the head's approval inbox, the
//! assistant's quote list, saving a customer, and the 2 s change check every seat runs. The same
//! demo office on both (moved onto the server with `migrate_office`). The server runs only with
//! SALESDESK_TEST_PG=postgres://user:pw@host:port/postgres (a user with CREATEDB), e.g. inside
//! `pg_virtualenv`; without it only the file is measured.

use criterion::{Criterion, criterion_group, criterion_main};
use salesdesk::domain::customer::CustomerDraft;
use salesdesk::service::{Actor, DEMO_PASSWORD, Service, migrate_office};
use salesdesk::store::Location;

struct Seat {
    svc: Service,
    head: Actor,
    assistant: Actor,
}

fn seat(location: &Location) -> Seat {
    let mut svc = Service::open_at(location).expect("opens");
    let head = svc.sign_in("zhaomin", DEMO_PASSWORD).expect("head signs in");
    let assistant = svc.sign_in("sunli", DEMO_PASSWORD).expect("assistant signs in");
    Seat { svc, head, assistant }
}

fn offices() -> Vec<(&'static str, Location, tempfile::TempDir)> {
    let dir = tempfile::tempdir().expect("temporary folder");
    let file = dir.path().join("office.db");
    Service::open(&file).expect("new file").create_demo_office().expect("the demo office");
    let mut out = vec![("file", Location::File(file.clone()), dir)];
    if let Some(base) = std::env::var("SALESDESK_TEST_PG").ok().filter(|u| !u.is_empty()) {
        let name = format!("sdb_{}", std::process::id());
        let mut admin = postgres::Client::connect(&base, postgres::NoTls).expect("connects to the server");
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).expect("drops");
        admin.batch_execute(&format!("CREATE DATABASE {name}")).expect("creates");
        let root = &base[..base.rfind('/').expect("a URL with a database")];
        let server = Location::Server(format!("{root}/{name}"));
        migrate_office(&Location::File(file), &server).expect("moves onto the server");
        out.push(("server", server, tempfile::tempdir().expect("unused")));
    }
    out
}

fn seats(c: &mut Criterion) {
    for (engine, location, _dir) in offices() {
        let mut s = seat(&location);
        let mut g = c.benchmark_group(format!("seat on the {engine}"));
        g.sample_size(30);
        g.bench_function("approval inbox (head)", |b| b.iter(|| s.svc.approval_inbox(&s.head).unwrap()));
        g.bench_function("quote list (assistant)", |b| b.iter(|| s.svc.quotes(&s.assistant).unwrap()));
        g.bench_function("change check", |b| b.iter(|| s.svc.data_version().unwrap()));
        let created = s
            .svc
            .create_customer(
                &s.head,
                CustomerDraft { name: "基准测试客户有限公司".into(), ..Default::default() },
                None,
                true,
            )
            .unwrap();
        let mut version = created.version;
        let mut n = 0u64;
        g.bench_function("save a customer (head)", |b| {
            b.iter(|| {
                n += 1;
                let draft = CustomerDraft { notes: format!("第 {n} 次修改"), ..created.draft.clone() };
                version = s.svc.update_customer(&s.head, created.id, version, draft).unwrap().version;
            })
        });
        g.finish();
    }
}

criterion_group!(benches, seats);
criterion_main!(benches);
