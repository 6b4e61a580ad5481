//! `crumbs list`: every cookie by category with the action of the consent in force.

use std::process::ExitCode;

use anyhow::Result;

use crumbs::consent::resolve::Choice;

use super::{JarArgs, now, open_session, report};

/// Runs `list`.
pub fn run(a: &JarArgs) -> Result<ExitCode> {
    let s = open_session(a)?;
    let now = now()?;
    let d = s.decide(&Choice::default(), false, now)?;
    if a.json {
        println!(
            "{}",
            report::json(&s, &d, &[], a.show_values, now.unix_timestamp())
        );
    } else {
        print!("{}", report::text(&s, &d, &[], a.show_values));
    }
    Ok(ExitCode::SUCCESS)
}
