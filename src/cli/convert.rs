//! `crumbs convert`: the same cookies in another format, and on stderr what
//! the target cannot hold.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};

use crumbs::jar::convert::{self, Target};

use super::output::stdout_result;
use super::{dash, open_jar_noted};

/// The formats `convert` writes.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum To {
    /// Netscape cookies.txt (curl, wget, Python MozillaCookieJar, yt-dlp).
    Netscape,
    /// Python LWPCookieJar (`#LWP-Cookies-2.0`, `Set-Cookie3:` lines).
    Lwp,
    /// cookie_store JSON (reqwest with reqwest_cookie_store).
    CookieStoreJson,
    /// Browser-extension JSON (Cookie-Editor, EditThisCookie import).
    ExtensionJson,
    /// Playwright storageState JSON (`new_context(storage_state=...)`).
    Playwright,
    /// Puppeteer / DevTools cookie array (`page.setCookie(...cookies)`).
    Puppeteer,
    /// Selenium get_cookies() JSON (`driver.add_cookie` each).
    Selenium,
    /// httpie session (`http --session=FILE`).
    Httpie,
    /// Postman/newman cookie jar (`newman run --cookie-jar FILE`).
    Newman,
}

/// Arguments of `convert`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The jar to read (any format crumbs reads; `-` for standard input).
    jar: PathBuf,
    /// The format to write.
    #[arg(long, value_enum)]
    to: To,
    /// Where to write (`-` for standard output).
    #[arg(long, value_name = "FILE")]
    output: PathBuf,
    /// Print a JSON report (cookies written, what the target cannot hold) on stdout.
    #[arg(long)]
    json: bool,
    /// Keep malformed cookies.txt lines as opaque lines instead of failing.
    #[arg(long)]
    lenient: bool,
}

/// Runs `convert`.
pub fn run(a: &ConvertArgs) -> Result<ExitCode> {
    let to_stdout = dash::is_dash(&a.output);
    if to_stdout && a.json {
        bail!("--json and --output - both write standard output; give --output a file");
    }
    let jar = open_jar_noted(&a.jar, a.lenient, false)?;
    let target = match a.to {
        To::Netscape => Target::Netscape,
        To::Lwp => Target::Lwp,
        To::CookieStoreJson => Target::CookieStoreJson,
        To::ExtensionJson => Target::ExtensionJson,
        To::Playwright => Target::Playwright,
        To::Puppeteer => Target::Puppeteer,
        To::Selenium => Target::Selenium,
        To::Httpie => Target::Httpie,
        To::Newman => Target::Newman,
    };
    let done = convert::convert(&jar, target).with_context(|| a.jar.display().to_string())?;
    if to_stdout {
        let mut out = std::io::stdout().lock();
        stdout_result(out.write_all(&done.bytes).and_then(|()| out.flush()))?;
    } else {
        crumbs::atomic::write_atomic(&a.output, &done.bytes, 0o600)
            .with_context(|| format!("{}: cannot write", a.output.display()))?;
    }
    for loss in &done.losses {
        eprintln!("crumbs: convert: {} {}: {}", loss.count, loss.of, loss.note);
    }
    if a.json {
        let report = serde_json::json!({
            "jar": a.jar.display().to_string(),
            "from": jar.format().as_str(),
            "to": a.to.to_possible_value().map(|v| v.get_name().to_owned()),
            "output": a.output.display().to_string(),
            "cookies": done.cookies,
            "lost": done.losses.iter().map(|l| serde_json::json!({
                "kind": l.kind, "count": l.count, "of": l.of, "note": l.note,
            })).collect::<Vec<_>>(),
        });
        let mut out = std::io::stdout().lock();
        stdout_result(writeln!(out, "{report}").and_then(|()| out.flush()))?;
    }
    Ok(ExitCode::SUCCESS)
}
