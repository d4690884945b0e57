//! Faults a test switches on inside a store, where the real ones happen: a cut connection (as an
//! office server that went away) and a panic in the middle of a write. Never set outside tests;
//! a store without a switch checks nothing.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// A switch shared between a test and the stores it opened (clone it into each).
#[derive(Clone, Default)]
pub struct Faults {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    cut: AtomicBool,
    panic_next_write: AtomicBool,
    refused_looks: AtomicUsize,
}

impl Faults {
    /// Every read, write and change check fails as on a dropped server connection until `false`.
    pub fn cut_connection(&self, cut: bool) {
        self.inner.cut.store(cut, Ordering::SeqCst);
    }

    /// The next write panics after its statements ran, before it commits.
    pub fn panic_in_next_write(&self) {
        self.inner.panic_next_write.store(true, Ordering::SeqCst);
    }

    /// How many change checks (`data_version`) the cut connection refused.
    pub fn refused_looks(&self) -> usize {
        self.inner.refused_looks.load(Ordering::SeqCst)
    }

    pub(super) fn is_cut(&self) -> bool {
        self.inner.cut.load(Ordering::SeqCst)
    }

    pub(super) fn refuse_look(&self) {
        self.inner.refused_looks.fetch_add(1, Ordering::SeqCst);
    }

    pub(super) fn take_panic(&self) -> bool {
        self.inner.panic_next_write.swap(false, Ordering::SeqCst)
    }
}
