//! `crumbs check`: problems of a jar, site by site; exit 1 when there are any.

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Result;

use crumbs::check::Findings;
use crumbs::consent::resolve::Choice;

use super::fit::Style;
use super::output::{self, outln, stdout_result};
use super::{JarArgs, each_session, now, progress, report};

/// Runs `check`.
pub fn run(a: &JarArgs) -> Result<ExitCode> {
    let now = now()?;
    let mut any = false;
    each_session(a, |s, _, _| {
        let d = s.decide(&Choice::default(), false, now)?;
        let findings = Findings::find(s, &d, now.unix_timestamp());
        let count = findings.count();
        any |= count > 0;
        progress::before_output();
        if a.json {
            report::write_json(
                &mut std::io::stdout().lock(),
                s,
                &d,
                &mut findings.iter(),
                a.show_values,
                now.unix_timestamp(),
            )
            .map_err(output::StdoutError)?;
        } else if count == 0 {
            outln!(
                "{}: no problems for {}",
                s.jar().path.display(),
                s.scope().label()
            )?;
        } else {
            let mut out = output::stdout();
            let style = Style::for_stdout();
            stdout_result(writeln!(
                out,
                "{}: {} for {}",
                s.jar().path.display(),
                crumbs::human::count(count, "problem"),
                s.scope().label()
            ))?;
            for p in findings.iter() {
                // Piped, a line is written as it is (no width, no colour).
                if style.width.is_none() && !style.color {
                    let line = ["  [", p.kind.as_str(), "] ", &p.message, "\n"].concat();
                    stdout_result(out.write_all(line.as_bytes()))?;
                    continue;
                }
                let line = style.wrap(&format!("  [{}] {}", p.kind, p.message), 4);
                // The kind in colour on a terminal; its name is there either way.
                let line = match style.color {
                    true => line.replacen(
                        &format!("[{}]", p.kind),
                        &style.paint(&format!("[{}]", p.kind), "33"),
                        1,
                    ),
                    false => line,
                };
                stdout_result(writeln!(out, "{line}"))?;
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
