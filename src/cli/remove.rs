//! `crumbs remove JAR COOKIE...`: remove the named cookies, whatever their
//! site, through the checked save (backup, `undo`); no consent is touched.
//! The engine selects and plans ([`crumbs::remove`]); this says what it did.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;

use crumbs::jar::save::Target;
use crumbs::plan;
use crumbs::remove::{self, Named};

use super::{dash, dirs, now, open_jar_noted, output};

/// Arguments of `remove`.
#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The cookie jar (a file, a browser profile folder or a live browser).
    jar: PathBuf,
    /// The cookies: NAME (every cookie of that name), NAME@DOMAIN (the leading
    /// dot optional) or NAME@DOMAIN/PATH.
    #[arg(required = true, value_name = "COOKIE")]
    cookies: Vec<String>,
    /// Say what would be removed; change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Do not keep a backup of the jar before overwriting it.
    #[arg(long)]
    no_backup: bool,
    /// Write a jar that has other hard links (they keep the old cookies).
    #[arg(long)]
    force: bool,
    /// Keep malformed cookies.txt lines as opaque lines instead of failing.
    #[arg(long)]
    lenient: bool,
    /// Let a cdp:// or bidi:// JAR name a browser on another machine.
    #[arg(long)]
    allow_remote: bool,
}

/// Runs `remove`.
pub fn run(a: &RemoveArgs) -> Result<ExitCode> {
    if dash::is_dash(&a.jar) {
        bail!("-: remove writes the jar in place; give the jar's file");
    }
    let named: Vec<Named> = a
        .cookies
        .iter()
        .map(|c| Named::parse(c))
        .collect::<Result<_, _>>()?;
    let mut jar = open_jar_noted(&a.jar, a.lenient, a.allow_remote)?;
    let in_jar = || a.jar.display().to_string();
    let marked = remove::select(jar.cookies(), &named).with_context(in_jar)?;
    let plan = plan::removal(jar.cookies().len(), &marked);
    let verb = if a.dry_run { "would remove" } else { "removed" };
    let mut text = String::new();
    for i in plan.removed() {
        let c = jar.cookies().at(i);
        let _ = writeln!(
            text,
            "{verb} {} on {} (path {})",
            c.name,
            c.domain_label(),
            c.path
        );
    }
    if a.dry_run {
        let _ = writeln!(
            text,
            "dry run: {} of {} would be removed; nothing written",
            crumbs::human::count(marked.len(), "cookie"),
            jar.cookies().len()
        );
        output::print(&text)?;
        return Ok(ExitCode::SUCCESS);
    }
    let target = Target::InPlace {
        no_backup: a.no_backup,
        break_links: a.force,
    };
    let saved = remove::save(&mut jar, &plan, target, &dirs()?, now()?).map_err(|e| {
        let what = if e.changed_something() {
            "the save failed partway"
        } else {
            "nothing was changed"
        };
        anyhow::Error::new(e).context(format!("{}: {what}", a.jar.display()))
    })?;
    let _ = write!(
        text,
        "wrote {}: removed {}",
        saved.path.display(),
        crumbs::human::count(marked.len(), "cookie")
    );
    if let Some(b) = &saved.backup {
        let _ = write!(text, "; backup {} (crumbs undo restores it)", b.display());
    }
    text.push('\n');
    output::print(&text)?;
    Ok(ExitCode::SUCCESS)
}
