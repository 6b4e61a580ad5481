//! `crumbs list`: every cookie by category with the action of the consent in
//! force; a jar with several covered sites is listed site by site.

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Result;

use crumbs::consent::resolve::Choice;

use super::fit::Style;
use super::output::{self, outln, stdout_result};
use super::{JarArgs, each_session, now, progress, report};

/// Runs `list`.
pub fn run(a: &JarArgs) -> Result<ExitCode> {
    let now = now()?;
    each_session(a, |s, i, count| {
        let d = s.decide(&Choice::default(), false, now)?;
        progress::before_output();
        if a.json {
            report::write_json(
                &mut std::io::stdout().lock(),
                s,
                &d,
                &mut std::iter::empty(),
                a.show_values,
                now.unix_timestamp(),
            )
            .map_err(output::StdoutError)?;
        } else {
            if count > 1 {
                if i > 0 {
                    outln!()?;
                }
                outln!("{}", report::site_banner(s, i, count))?;
            }
            let mut out = output::stdout();
            stdout_result(
                report::write_text(&mut out, s, &d, a.show_values, &Style::for_stdout())
                    .and_then(|()| out.flush()),
            )?;
        }
        Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}
