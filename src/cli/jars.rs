//! `crumbs jars`: the browser cookie jars on this machine, with their cookie
//! count and whether their browser is running.

use std::process::ExitCode;

use anyhow::{Context, Result};
use serde::Serialize;

use crumbs::jar::locate::{self, FoundJar, Roots};
use crumbs::jar::{Jar, OpenOptions};

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
    error: Option<String>,
}

/// Runs `jars`.
pub fn run(json: bool) -> Result<ExitCode> {
    let roots = Roots::from_env().context("cannot find the home directory")?;
    let found = locate::discover(&roots);
    let opened: Vec<(&FoundJar, Result<Jar, String>)> = found
        .iter()
        .map(|f| {
            let jar = Jar::open(&f.jar, OpenOptions::default()).map_err(|e| e.to_string());
            (f, jar)
        })
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
            error: jar.as_ref().err().cloned(),
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
            if r.running { "yes" } else { "no" },
            r.path
        )?;
        if let Some(e) = &r.error {
            outln!("    cannot read: {e}")?;
        }
    }
    if rows.iter().any(|r| r.running) {
        outln!("(a running browser's jar can be listed; close the browser before pruning it)")?;
    }
    Ok(ExitCode::SUCCESS)
}
