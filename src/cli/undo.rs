//! `crumbs undo`: restore the newest backup of a jar.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};

use crumbs::jar::save;

use super::dirs;
use super::output::outln;

/// Runs `undo`.
pub fn run(jar: &Path) -> Result<ExitCode> {
    if super::dash::is_dash(jar) {
        bail!("-: undo restores a jar file from its backup; standard input has none");
    }
    let located = crumbs::jar::locate::locate(jar)?;
    let jar = located.as_path();
    match save::undo(jar, &dirs()?, |_| ())? {
        Some(done) => {
            outln!(
                "restored {} from backup {}",
                jar.display(),
                done.backup.display()
            )?;
            Ok(ExitCode::SUCCESS)
        }
        None => bail!("{}: no backup to restore", jar.display()),
    }
}
