//! `crumbs check`: problems of a jar, site by site; exit 1 when there are any.

use std::process::ExitCode;

use anyhow::{Context, Result};

use crumbs::check::problems;
use crumbs::consent::resolve::Choice;

use super::{JarArgs, each_session, now, progress, report};

/// Runs `check`.
pub fn run(a: &JarArgs) -> Result<ExitCode> {
    let now = now()?;
    let mut any = false;
    each_session(a, |s, _, _| {
        let d = s.decide(&Choice::default(), false, now)?;
        let found = problems(s, &d, now.unix_timestamp());
        any |= !found.is_empty();
        progress::before_output();
        if a.json {
            report::write_json(
                &mut std::io::stdout().lock(),
                s,
                &d,
                &found,
                a.show_values,
                now.unix_timestamp(),
            )
            .context("writing the report")?;
        } else if found.is_empty() {
            println!("{}: no problems for {}", s.jar.path.display(), s.site);
        } else {
            println!(
                "{}: {} problems for {}",
                s.jar.path.display(),
                found.len(),
                s.site
            );
            for p in &found {
                println!("  [{}] {}", p.kind, p.message);
            }
        }
        Ok(())
    })?;
    Ok(if any {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
