//! Search-as-you-type over 100 000 customers (DESIGN §9: p99 < 5 ms per query class).
//!
//! The office is generated once into `target/bench-data/` (deterministic) and reused. Criterion
//! measures each query class through the service, as the window calls it; after that the bench
//! prints p50/p99 over 1 000 runs of each class, since criterion reports means and medians only.

use std::path::PathBuf;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use salesdesk::domain::ids::UserId;
use salesdesk::service::demo::data::generated_customers;
use salesdesk::service::{Actor, CustomerFilter, Service};
use salesdesk::store::Store;

const CUSTOMERS: usize = 100_000;

/// Builds (once) and opens the 100 000-customer office.
fn office() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let db = dir.join(format!("search-{CUSTOMERS}.db"));
    if db.exists() {
        return db;
    }
    std::fs::create_dir_all(&dir).expect("bench data folder");
    let tmp = dir.join("search-building.db");
    let _ = std::fs::remove_file(&tmp);
    Service::open(&tmp).expect("new office").create_demo_office().expect("demo users");
    let mut store = Store::open(&tmp).expect("store");
    let now = chrono::Utc::now();
    store
        .write(|tx| {
            let sales: Vec<UserId> = tx
                .list_users()?
                .into_iter()
                .filter(|u| u.roles.contains(salesdesk::domain::role::Role::Sales))
                .map(|u| u.id)
                .collect();
            for (i, d) in generated_customers(CUSTOMERS, 42).iter().enumerate() {
                // Every fifth customer in the shared pool, the rest spread over the salespeople.
                let owner = (i % 5 != 0).then(|| sales[i % sales.len()]);
                tx.insert_customer(d, owner, now, "bench")?;
            }
            Ok::<_, salesdesk::store::StoreError>(())
        })
        .expect("customers");
    drop(store);
    std::fs::rename(&tmp, &db).expect("bench office in place");
    db
}

struct Class {
    name: &'static str,
    query: String,
}

/// One query of each class, taken from the generated data so each finds something.
fn classes(svc: &mut Service, head: &Actor) -> Vec<Class> {
    let all = svc.search_customers(head, &CustomerFilter::default(), 0).expect("all");
    let sample = all
        .rows
        .iter()
        .find(|s| !s.contact.is_empty() && s.contact_phone.starts_with('1') && s.contact_phone.len() == 11)
        .expect("a contact with a mobile");
    vec![
        Class { name: "name_2_chars", query: "电力".into() },
        Class { name: "name_4_chars", query: sample.name.chars().skip(2).take(4).collect() },
        Class { name: "pinyin_initials", query: "cq".into() },
        Class { name: "contact_name", query: sample.contact.clone() },
        Class {
            name: "phone_fragment",
            query: sample.contact_phone.chars().filter(char::is_ascii_digit).skip(3).take(5).collect(),
        },
        Class { name: "no_query_all_rows", query: String::new() },
    ]
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]
}

fn bench_search(c: &mut Criterion) {
    let db = office();
    let mut svc = Service::open(&db).expect("open");
    let head = svc.sign_in("zhaomin", "demo1234").expect("head");
    let sales = svc.sign_in("liqiang", "demo1234").expect("salesperson");
    let classes = classes(&mut svc, &head);
    let mut group = c.benchmark_group("customer_search_100k");
    for (who, actor) in [("head", &head), ("sales", &sales)] {
        for class in &classes {
            let filter = CustomerFilter { query: class.query.clone(), ..Default::default() };
            group.bench_function(format!("{who}/{}", class.name), |b| {
                b.iter(|| svc.search_customers(actor, &filter, 0).expect("search"))
            });
        }
    }
    group.finish();

    println!("\nper-query latency over 1000 runs (target: p99 < 5 ms)");
    for class in &classes {
        let filter = CustomerFilter { query: class.query.clone(), ..Default::default() };
        let mut ms: Vec<f64> = (0..1000)
            .map(|_| {
                let t = Instant::now();
                let page = svc.search_customers(&sales, &filter, 0).expect("search");
                std::hint::black_box(page.matched);
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        ms.sort_by(f64::total_cmp);
        let hits = svc.search_customers(&sales, &filter, 0).expect("search").matched;
        println!(
            "  {:<18} {:>8} hits  p50 {:>6.2} ms  p99 {:>6.2} ms  ({:?})",
            class.name,
            hits,
            percentile(&ms, 0.5),
            percentile(&ms, 0.99),
            class.query
        );
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = bench_search
}
criterion_main!(benches);
