//! `crumbs jars`: the browser cookie jars on this machine, with their cookie
//! count and whether their browser is running.

use std::process::ExitCode;

use anyhow::{Context, Result};
use serde::Serialize;

use crumbs::jar::locate::{self, FoundJar, Roots};
use crumbs::jar::{Jar, JarError, OpenOptions};

use super::output::outln;

/// One row of the listing.
#[derive(Serialize)]
struct Row<'a> {
    browser: &'a str,
    profile: &'a str,
    path: String,
    format: Option<&'a str>,
    cookies: Option<usize>,
    running: bool,
    /// The live endpoint of the running browser, when it has one.
    endpoint: Option<String>,
    error: Option<String>,
}

/// Runs `jars`.
pub fn run(json: bool) -> Result<ExitCode> {
    let roots = Roots::from_env().context("cannot find the home directory")?;
    let found = locate::discover(&roots);
    let opened: Vec<(&FoundJar, Result<Jar, JarError>)> = found
        .iter()
        .map(|f| (f, Jar::open(&f.jar, OpenOptions::default())))
        .collect();
    let rows: Vec<Row<'_>> = opened
        .iter()
        .map(|(f, jar)| Row {
            browser: &f.browser,
            profile: &f.profile,
            path: f.jar.display().to_string(),
            format: jar.as_ref().ok().map(|j| j.format().as_str()),
            cookies: jar.as_ref().ok().map(|j| j.cookies().len()),
            running: f.running,
            endpoint: f.endpoint.as_ref().map(ToString::to_string),
            error: jar.as_ref().err().map(ToString::to_string),
        })
        .collect();
    if json {
        outln!("{}", serde_json::to_string(&rows)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        outln!(
            "no browser cookie jars found (looked for Firefox profiles.ini under {} and \
             Chromium, Chrome, Brave and Edge profiles under {})",
            roots.home.display(),
            roots.config.display()
        )?;
        outln!("to work on a running browser, start it with remote debugging:")?;
        for line in START_LIVE {
            outln!("{line}")?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    outln!(
        "{:<16} {:<20} {:>7}  {:<8} path",
        "browser",
        "profile",
        "cookies",
        "running"
    )?;
    for r in &rows {
        let count = r.cookies.map_or_else(|| "?".to_owned(), |n| n.to_string());
        outln!(
            "{:<16} {:<20} {:>7}  {:<8} {}",
            r.browser,
            r.profile,
            count,
            match (&r.endpoint, r.running) {
                (Some(e), _) => e.as_str(),
                (None, true) => "yes",
                (None, false) => "no",
            },
            r.path
        )?;
        if let Some(e) = &r.error {
            outln!("    cannot read: {e}")?;
        }
    }
    for line in advice(&found, &roots) {
        outln!("{line}")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// How to start a browser crumbs can work on while it runs.
const START_LIVE: [&str; 2] = [
    "  chromium --remote-debugging-port=9222 --user-data-dir=DIR, then `crumbs cdp://127.0.0.1:9222`",
    "  firefox --remote-debugging-port 9222, then `crumbs bidi://127.0.0.1:9222`",
];

/// What to tell the user about running browsers after the table.
fn advice(found: &[FoundJar], roots: &Roots) -> Vec<String> {
    let mut out = Vec::new();
    for f in found.iter().filter(|f| f.endpoint.is_some()) {
        if let Some(e) = &f.endpoint {
            out.push(format!(
                "{} ({}) is running with remote debugging: `crumbs {e}` (or its profile folder) \
                 works on its live cookies",
                f.browser, f.profile
            ));
        }
    }
    let locked: Vec<&FoundJar> = found
        .iter()
        .filter(|f| f.running && f.endpoint.is_none())
        .collect();
    if locked.is_empty() {
        return out;
    }
    out.push(
        "a running browser's jar can be listed; close the browser before pruning it, \
         or start it with remote debugging to work on it live:"
            .to_owned(),
    );
    out.extend(START_LIVE.iter().map(|l| l.to_string()));
    if locked
        .iter()
        .any(|f| locate::is_default_chrome(&f.profile_dir, roots))
    {
        out.push(
            "Chrome 136 and later ignore --remote-debugging-port on the default user-data \
             folder: give it another one with --user-data-dir"
                .to_owned(),
        );
    }
    out
}
