//! INT, TERM and HUP during a save (DESIGN §4, invariant 3): the save stops
//! at its next named moment (a [`super::commit::stop_point`]) as if it had
//! failed there, so what it created (its temporary file, its partial backup)
//! goes the way a failed save's does; then the process dies of the signal,
//! as it would have without crumbs' handler (exit status 128 + the number).
//!
//! The commit itself (keeping the backup, writing the consent record, the
//! rename or `COMMIT`) is never cut: a signal arriving there is acted on
//! once the save is done. A second signal ends the process at once. Only
//! signals whose disposition is the default are caught: one some other
//! part of crumbs handles (the TUI's TERM and HUP), or that is ignored
//! (`nohup`), is left as it is.

use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Mutex, MutexGuard};

/// The signals a save catches.
const CAUGHT_SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

/// The signal caught during the current save (0: none).
static CAUGHT: AtomicI32 = AtomicI32::new(0);

/// Saves in progress, and the dispositions to put back when the last ends.
struct Installed {
    depth: usize,
    previous: Vec<(libc::c_int, libc::sigaction)>,
}

static STATE: Mutex<Installed> = Mutex::new(Installed {
    depth: 0,
    previous: Vec::new(),
});

fn state() -> MutexGuard<'static, Installed> {
    STATE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The save was stopped by a signal before its commit point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("stopped by signal {0} before the commit point; nothing was written")]
pub struct Interrupted(pub i32);

/// Async-signal-safe: it only stores the signal, or, for a second one,
/// puts the default back and raises it.
extern "C" fn on_signal(sig: libc::c_int) {
    if CAUGHT
        .compare_exchange(0, sig, Ordering::SeqCst, Ordering::SeqCst)
        .is_err()
    {
        // SAFETY: signal and raise are async-signal-safe. The signal stays
        // blocked until this handler returns, then its default action ends
        // the process.
        unsafe {
            libc::signal(sig, libc::SIG_DFL);
            libc::raise(sig);
        }
    }
}

/// Catches the signals while a save runs; dropping it puts the previous
/// dispositions back and, when a signal came, raises it again.
#[must_use = "the signals are caught only while the guard lives"]
pub struct DuringSave {
    _private: (),
}

/// Starts catching INT, TERM and HUP for a save (nested saves share it).
pub fn during_save() -> DuringSave {
    let mut s = state();
    if s.depth == 0 {
        CAUGHT.store(0, Ordering::SeqCst);
        s.previous = CAUGHT_SIGNALS
            .iter()
            .filter_map(|&sig| catch(sig))
            .collect();
    }
    s.depth += 1;
    DuringSave { _private: () }
}

/// Installs the handler for `sig` if its disposition is the default, and
/// gives that disposition back to restore.
fn catch(sig: libc::c_int) -> Option<(libc::c_int, libc::sigaction)> {
    // SAFETY: plain sigaction calls with valid, zero-initialised structs;
    // the handler is async-signal-safe.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(sig, std::ptr::null(), &mut old) != 0
            || old.sa_sigaction != libc::SIG_DFL
        {
            return None;
        }
        let mut new: libc::sigaction = std::mem::zeroed();
        new.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        libc::sigemptyset(&mut new.sa_mask);
        // Writes and fsyncs go on: the save stops at its next moment instead.
        new.sa_flags = libc::SA_RESTART;
        (libc::sigaction(sig, &new, &mut old) == 0).then_some((sig, old))
    }
}

impl Drop for DuringSave {
    fn drop(&mut self) {
        let mut s = state();
        s.depth -= 1;
        if s.depth > 0 {
            return;
        }
        for (sig, old) in s.previous.drain(..) {
            // SAFETY: puts back the disposition read by `catch`.
            unsafe {
                libc::sigaction(sig, &old, std::ptr::null_mut());
            }
        }
        let sig = CAUGHT.swap(0, Ordering::SeqCst);
        if sig != 0 {
            // SAFETY: raise only sends a signal to this thread; its
            // disposition is the default again, which ends the process.
            unsafe {
                libc::raise(sig);
            }
        }
    }
}

/// Fails when a signal came during the save: called at each of its named
/// moments before the commit point.
pub fn check() -> Result<(), Interrupted> {
    match CAUGHT.load(Ordering::SeqCst) {
        0 => Ok(()),
        sig => Err(Interrupted(sig)),
    }
}
