//! `crumbs policy import PAGE`: a published cookie-policy page → policy JSON
//! on stdout, in a file, or installed in the user's `policies/` folder.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use regex::Regex;

use crumbs::atomic::write_atomic;
use crumbs::policy::Policy;
use crumbs::policy::import::{ImportOptions, import};

use super::output::outln;
use super::{dirs, now};

/// `policy import` arguments.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The page: its plain text (PDF or "save as text"), Markdown, or HTML; `-` reads stdin.
    page: PathBuf,
    /// Write the policy JSON here instead of stdout (`-`: stdout).
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The site (host) the policy is for (default: the platform address the page names).
    #[arg(long, value_name = "HOST")]
    site: Option<String>,
    /// Save the policy in the config dir's policies/ folder (as SITE.json), where
    /// list, check, prune and the TUI look before the shipped policies.
    #[arg(long)]
    install: bool,
    /// The policy's revision label (default: today's date).
    #[arg(long, value_name = "LABEL")]
    revision: Option<String>,
}

/// Runs `policy import`.
pub fn run(a: &ImportArgs) -> Result<ExitCode> {
    let origin = a.page.display().to_string();
    let (page, latin1) = read_page(&a.page)?;
    if latin1 {
        eprintln!("crumbs: warning: {origin}: not UTF-8; read as Latin-1");
    }
    let revision = match &a.revision {
        Some(r) => r.clone(),
        None => now()?.date().to_string(),
    };
    let opts = ImportOptions {
        site: a.site.clone(),
        revision,
    };
    let imported = import(&page, &origin, &opts)?;
    for w in &imported.warnings {
        match w.line {
            Some(line) => eprintln!("crumbs: warning: {origin}:{line}: {}", w.message),
            None => eprintln!("crumbs: warning: {origin}: {}", w.message),
        }
    }
    let doc = &imported.doc;
    let site = doc.sites.first().map(String::as_str).unwrap_or_default();
    eprintln!(
        "crumbs: {origin} (read as {}): {} cookie declarations for {site}",
        imported.format.as_str(),
        doc.cookies.len(),
    );
    let mut json =
        compact_lists(&serde_json::to_string_pretty(doc).context("serialising the policy")?);
    json.push('\n');
    // `--output -` is standard output, as when no --output is given.
    let output = a.output.as_deref().filter(|p| !super::dash::is_dash(p));
    if let Some(out) = output {
        write_atomic(out, json.as_bytes(), 0o644)
            .with_context(|| format!("{}: cannot write the policy", out.display()))?;
        outln!("wrote {}", out.display())?;
    }
    if a.install {
        let folder = dirs()?.policies_dir();
        std::fs::create_dir_all(&folder)
            .with_context(|| format!("{}: cannot create the folder", folder.display()))?;
        let path = folder.join(format!("{site}.json"));
        let old = Policy::from_path(&path).ok();
        write_atomic(&path, json.as_bytes(), 0o644)
            .with_context(|| format!("{}: cannot write the policy", path.display()))?;
        match old {
            Some(old) => outln!(
                "installed {} (replacing revision {}; `crumbs policy diff` compares two policies)",
                path.display(),
                old.doc.revision
            )?,
            None => outln!("installed {}", path.display())?,
        }
    }
    if output.is_none() && !a.install {
        super::output::print(&json)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The page's text (`-`: stdin), and whether it was not UTF-8 and was read as Latin-1.
fn read_page(path: &Path) -> Result<(String, bool)> {
    let bytes = if super::dash::is_dash(path) {
        super::dash::read_stdin("the page")?
    } else {
        std::fs::read(path).with_context(|| format!("{}", path.display()))?
    };
    Ok(match String::from_utf8(bytes) {
        Ok(text) => (text, false),
        Err(e) => (
            e.into_bytes().iter().map(|&b| char::from(b)).collect(),
            true,
        ),
    })
}

/// Puts lists of strings on one line (`"names": ["_ga", "_ga_*"]`), as the
/// shipped policy is written; serde_json's pretty printer gives each its own line.
fn compact_lists(pretty: &str) -> String {
    const STRING: &str = r#""(?:[^"\\\n]|\\.)*""#;
    let list = format!(r"\[\n\s*({STRING}(?:,\n\s*{STRING})*)\n\s*\]");
    match (Regex::new(&list), Regex::new(r",\n\s*")) {
        (Ok(list), Ok(sep)) => list
            .replace_all(pretty, |c: &regex::Captures<'_>| {
                format!("[{}]", sep.replace_all(&c[1], ", "))
            })
            .into_owned(),
        _ => pretty.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::compact_lists;

    #[test]
    fn lists_of_strings_on_one_line() {
        let pretty = "{\n  \"names\": [\n    \"_ga\",\n    \"a\\\"b\"\n  ],\n  \"x\": [\n    {\n      \"y\": 1\n    }\n  ]\n}";
        assert_eq!(
            compact_lists(pretty),
            "{\n  \"names\": [\"_ga\", \"a\\\"b\"],\n  \"x\": [\n    {\n      \"y\": 1\n    }\n  ]\n}"
        );
    }
}
