//! The commit point of a save: what runs right before it (the final change
//! check, keeping the backup, writing the consent record) and what undoes
//! that when the commit itself fails. Also the named stop points a test can
//! halt a save at. A leaf: every format's save calls it, it calls none.

use super::JarError;

/// What the jar will be once the save commits: a file's size and content
/// hash, or a browser database's content hash (no size).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct After {
    /// Size in bytes (files only).
    pub len: Option<u64>,
    /// XXH3-128 of the file, or of the database's cookie tables.
    pub hash: u128,
}

/// Work tied to a save's commit point.
pub trait AtCommit {
    /// The error the work (and so the save) returns.
    type Error: From<JarError>;
    /// Runs right before the commit point (the rename, the `COMMIT`); an
    /// error stops the save with nothing written.
    fn before(&mut self, after: After) -> Result<(), Self::Error>;
    /// The commit failed after [`AtCommit::before`] succeeded: undo it.
    fn abort(&mut self);
}

/// Nothing to do at the commit point.
impl AtCommit for () {
    type Error = JarError;
    fn before(&mut self, _after: After) -> Result<(), JarError> {
        Ok(())
    }
    fn abort(&mut self) {}
}

/// The environment variable naming the stop point where a save halts itself
/// (SIGSTOP) so a test can act at a known moment and continue it (SIGCONT).
pub const STOP_AT_VAR: &str = "CRUMBS_STOP_AT";

/// A named moment of a save, before its commit point: halts the process
/// there when [`STOP_AT_VAR`] names it (see [`halt_point`]), and stops the
/// save when a signal came (see [`super::signals`]).
pub fn stop_point(name: &str) -> Result<(), JarError> {
    halt_point(name);
    Ok(super::signals::check()?)
}

/// A named moment of a save: halts the process there when [`STOP_AT_VAR`]
/// names it (tests only; unset, it costs one lookup). After the commit
/// point a save only halts: it is done, a signal no longer stops it.
pub fn halt_point(name: &str) {
    use std::sync::OnceLock;
    static WANTED: OnceLock<Option<String>> = OnceLock::new();
    let wanted = WANTED.get_or_init(|| std::env::var(STOP_AT_VAR).ok());
    if wanted.as_deref() == Some(name) {
        // SAFETY: raise only sends a signal to this process.
        unsafe {
            libc::raise(libc::SIGSTOP);
        }
    }
}
