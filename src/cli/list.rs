//! `crumbs list`: every cookie by category with the action of the consent in force.

use std::process::ExitCode;

use anyhow::{Context, Result};

use crumbs::consent::resolve::Choice;

use super::{JarArgs, now, open_session, report};

/// Runs `list`.
pub fn run(a: &JarArgs) -> Result<ExitCode> {
    let s = open_session(a)?;
    let now = now()?;
    let d = s.decide(&Choice::default(), false, now)?;
    if a.json {
        report::write_json(
            &mut std::io::stdout().lock(),
            &s,
            &d,
            &[],
            a.show_values,
            now.unix_timestamp(),
        )
        .context("writing the report")?;
    } else {
        print!("{}", report::text(&s, &d, &[], a.show_values));
    }
    Ok(ExitCode::SUCCESS)
}
