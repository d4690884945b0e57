//! The importers never panic, whatever the file (issue 10: fuzzing without a nightly compiler).
//! Real-looking price tables — GBK CSV, UTF-8 CSV with a BOM, xlsx — are mutated at random
//! (bytes flipped, cut, inserted, chunks repeated, the file truncated) and fed to both importers,
//! which must answer with rows, rejects or an error. Deterministic: a fixed seed per run.
//! `SALESDESK_FUZZ_ITERATIONS=100000 cargo test --release --test it fuzz` runs the long version.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use salesdesk::io::customers::parse_customers;
use salesdesk::io::prices::parse_price_table;

use crate::imports::{PRICE_CSV, bom, gbk, price_xlsx};

fn iterations() -> usize {
    std::env::var("SALESDESK_FUZZ_ITERATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(300)
}

fn mutate(rng: &mut StdRng, input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..rng.gen_range(1..=8) {
        if out.is_empty() {
            out.push(rng.r#gen());
            continue;
        }
        let at = rng.gen_range(0..out.len());
        match rng.gen_range(0..6) {
            0 => out[at] ^= 1 << rng.gen_range(0..8),
            1 => out[at] = rng.r#gen(),
            2 => {
                let end = (at + rng.gen_range(1..64)).min(out.len());
                out.drain(at..end);
            }
            3 => {
                let bytes: Vec<u8> = (0..rng.gen_range(1..32)).map(|_| rng.r#gen()).collect();
                out.splice(at..at, bytes);
            }
            4 => {
                let end = (at + rng.gen_range(1..256)).min(out.len());
                let chunk = out[at..end].to_vec();
                out.splice(at..at, chunk);
            }
            _ => out.truncate(at),
        }
    }
    out
}

#[test]
fn mutated_price_tables_never_panic_either_importer() {
    let bases: [(&str, Vec<u8>); 3] = [
        ("价格表.csv", gbk(&PRICE_CSV.replace('¥', "￥"))),
        ("价格表-utf8.csv", bom(PRICE_CSV)),
        ("价格表.xlsx", price_xlsx()),
    ];
    let mut rng = StdRng::seed_from_u64(0x5EED_F022);
    let mut answered = [0usize; 2];
    for i in 0..iterations() {
        let (name, base) = &bases[i % bases.len()];
        let input = mutate(&mut rng, base);
        let outcome = std::panic::catch_unwind(|| {
            (parse_price_table(&input, name).is_ok(), parse_customers(&input, name).is_ok())
        });
        match outcome {
            Ok((prices, customers)) => {
                answered[0] += usize::from(prices);
                answered[1] += usize::from(customers);
            }
            Err(_) => {
                let kept = std::env::temp_dir().join(format!("salesdesk-fuzz-{i}-{name}"));
                let _ = std::fs::write(&kept, &input);
                panic!("iteration {i}: an importer panicked on {name}; input kept at {}", kept.display());
            }
        }
    }
    // Most mutated CSVs still parse (with rejects); the test reaches past the first check.
    assert!(answered[0] > 0, "some mutated files still import: {answered:?}");
}
