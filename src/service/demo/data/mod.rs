//! The demo office's data (演示数据): its people, a customer archive and a price table of a
//! power-equipment maker, realistic enough to try every screen with.
//!
//! Everything here is a pure function of constants and seeds: no IO, no clock, no database, no
//! `thread_rng`, and no iteration over a hash map. The same call returns the same data on every
//! run and every machine, so tests, screenshots and the README can rely on it. Randomness comes
//! from [`Rng`], a SplitMix64 generator whose sequence is fixed by its seed.
//!
//! - [`people`]: the staff ([`DEMO_STAFF`]), one or more users per role;
//! - [`customers`]: the demo archive ([`demo_customers`]) and bulk data for benchmarks
//!   ([`generated_customers`]);
//! - [`products`]: the price table ([`demo_products`]) and its next half-year's version
//!   ([`second_version_changes`]).

pub mod customers;
pub mod people;
pub mod products;

pub use customers::{DemoCustomer, demo_customers, generated_customers};
pub use people::{DEMO_ID_NUMBERS, DEMO_STAFF, SALES_LOGINS};
pub use products::{demo_products, second_version_changes};

/// A small deterministic pseudo-random generator (SplitMix64, Steele/Lea/Flood 2014): fast,
/// statistically good enough for demo data, and identical on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`; `n` must not be 0 (returns 0 then).
    pub fn below(&mut self, n: usize) -> usize {
        // Lemire's multiply-shift: no modulo bias worth mentioning for these small ranges.
        let wide = u128::from(self.next_u64()) * n as u128;
        (wide >> 64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below((hi - lo + 1) as usize) as u64
    }

    /// True with the given chance in percent.
    pub fn percent(&mut self, chance: u32) -> bool {
        self.below(100) < chance as usize
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index into `weights`, chosen in proportion to the weights (at least one non-zero).
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|w| u64::from(*w)).sum();
        if total == 0 {
            return 0;
        }
        let mut roll = self.range(0, total - 1);
        for (i, w) in weights.iter().enumerate() {
            let w = u64::from(*w);
            if roll < w {
                return i;
            }
            roll -= w;
        }
        weights.len() - 1
    }

    /// `len` decimal digits, the first one not 0 when `nonzero_first`.
    pub fn digits(&mut self, len: usize, nonzero_first: bool) -> String {
        (0..len)
            .map(|i| {
                let d = if i == 0 && nonzero_first { self.range(1, 9) } else { self.range(0, 9) };
                char::from(b'0' + d as u8)
            })
            .collect()
    }
}

/// FNV-1a: a stable hash of a text (for per-item choices that must not depend on order).
pub fn stable_hash(text: &str) -> u64 {
    text.bytes().fold(0xCBF2_9CE4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_fixed_by_its_seed() {
        // Reference values of SplitMix64 seeded with 0 (from the published algorithm).
        let mut r = Rng::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        let a: Vec<u64> = (0..5).map(|_| Rng::new(42).next_u64()).collect();
        assert!(a.iter().all(|x| *x == a[0]));
    }

    #[test]
    fn ranges_stay_in_bounds() {
        let mut r = Rng::new(7);
        for _ in 0..10_000 {
            assert!(r.below(3) < 3);
            assert!((5..=9).contains(&r.range(5, 9)));
            assert!(r.weighted(&[0, 3, 0, 1]) % 2 == 1);
        }
        assert_eq!(r.digits(8, true).len(), 8);
        assert_eq!(stable_hash("a"), 0xAF63_DC4C_8601_EC8C);
    }
}
