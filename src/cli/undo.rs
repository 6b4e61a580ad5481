//! `crumbs undo`: restore the newest backup of a jar and the consent records
//! its save replaced.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};

use super::output::outln;
use super::{dirs, now};

/// Runs `undo`.
pub fn run(jar: &Path, force: bool) -> Result<ExitCode> {
    if super::dash::is_dash(jar) {
        bail!("-: undo restores a jar file from its backup; standard input has none");
    }
    let located = crumbs::jar::locate::locate(jar)?;
    let jar = located.as_path();
    match crumbs::undo::undo(jar, &dirs()?, force, now()?)? {
        Some(done) => {
            if let Some(r) = &done.replaced {
                outln!(
                    "{} had changed since that save; kept it as it was in backup {}",
                    jar.display(),
                    r.display()
                )?;
            }
            outln!(
                "restored {} from backup {}",
                jar.display(),
                done.backup.display()
            )?;
            for r in &done.records {
                outln!("consent record restored: {}", r.display())?;
            }
            Ok(ExitCode::SUCCESS)
        }
        None => bail!("{}: no backup to restore", jar.display()),
    }
}
