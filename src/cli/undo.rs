//! `crumbs undo`: restore the newest backup of a jar.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};

use crumbs::jar::backup;

use super::dirs;
use super::output::outln;

/// Runs `undo`.
pub fn run(jar: &Path) -> Result<ExitCode> {
    if super::dash::is_dash(jar) {
        bail!("-: undo restores a jar file from its backup; standard input has none");
    }
    let located = crumbs::jar::locate::locate(jar)?;
    let jar = located.as_path();
    match backup::undo(jar, &dirs()?)? {
        Some(b) => {
            outln!("restored {} from backup {}", jar.display(), b.display())?;
            Ok(ExitCode::SUCCESS)
        }
        None => bail!("{}: no backup to restore", jar.display()),
    }
}
