//! Undoing the last save of a jar: the jar and the consent records it
//! replaced come back together (with a log line each), refused when the jar
//! changed since that save unless forced. Both faces call this.

use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use crate::consent::alongside::Records;
use crate::dirs::Dirs;
use crate::jar::save;
use crate::session::SessionError;

/// What an undo did.
#[derive(Debug, Clone, PartialEq)]
pub struct Undone {
    /// The backup restored (now gone from the backup folder).
    pub backup: PathBuf,
    /// With `force` over a changed jar: the backup of what it replaced.
    pub replaced: Option<PathBuf>,
    /// The consent record files put back (or removed).
    pub records: Vec<PathBuf>,
}

/// Restores the newest backup of `jar` and the consent records its save
/// replaced. `None` when there is no backup.
pub fn undo(
    jar: &Path,
    dirs: &Dirs,
    force: bool,
    now: OffsetDateTime,
) -> Result<Option<Undone>, SessionError> {
    let mut records = Vec::new();
    let done = save::undo(jar, dirs, force, |note| {
        let r = Records::for_undo(dirs, note, now)?;
        records = r.paths();
        Ok::<_, SessionError>(r)
    })?;
    Ok(done.map(|d| Undone {
        backup: d.backup,
        replaced: d.replaced,
        records,
    }))
}
