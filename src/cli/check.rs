//! `crumbs check`: problems of a jar, site by site; exit 1 when there are any.

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Result;

use crumbs::check::problem_iter;
use crumbs::consent::resolve::Choice;

use super::output::{self, outln, stdout_result};
use super::{JarArgs, each_session, now, progress, report};

/// Runs `check`.
pub fn run(a: &JarArgs) -> Result<ExitCode> {
    let now = now()?;
    let mut any = false;
    each_session(a, |s, _, _| {
        let d = s.decide(&Choice::default(), false, now)?;
        // Problems are made twice (counted, then written) rather than held:
        // a jar of a million undeclared cookies has a million of them.
        let count = problem_iter(s, &d, now.unix_timestamp()).count();
        any |= count > 0;
        progress::before_output();
        if a.json {
            report::write_json(
                &mut std::io::stdout().lock(),
                s,
                &d,
                &mut problem_iter(s, &d, now.unix_timestamp()),
                a.show_values,
                now.unix_timestamp(),
            )
            .map_err(output::StdoutError)?;
        } else if count == 0 {
            outln!("{}: no problems for {}", s.jar().path.display(), s.site())?;
        } else {
            let mut out = output::stdout();
            stdout_result(writeln!(
                out,
                "{}: {count} problems for {}",
                s.jar().path.display(),
                s.site()
            ))?;
            for p in problem_iter(s, &d, now.unix_timestamp()) {
                stdout_result(writeln!(out, "  [{}] {}", p.kind, p.message))?;
            }
            stdout_result(out.flush())?;
        }
        Ok(())
    })?;
    Ok(if any {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
