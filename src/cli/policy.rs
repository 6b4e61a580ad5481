//! `crumbs policy show|import|diff`: print, import and compare policies.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Subcommand;

use crumbs::dirs::Dirs;
use crumbs::policy::catalog::Catalog;

use super::output::outln;
use super::{known, policy_diff, policy_import};

/// Policy subcommands.
#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Print a policy (default: the user's installed ones, then the shipped ones).
    Show {
        /// Policy file.
        #[arg(long, value_name = "FILE")]
        policy: Option<PathBuf>,
        /// Print the policy JSON.
        #[arg(long)]
        json: bool,
        /// Show the known-cookie catalog instead: its origin, date and counts
        /// (with FILE: that CSV's).
        #[arg(long, value_name = "FILE", num_args = 0..=1)]
        known: Option<Option<PathBuf>>,
    },
    /// Read a published cookie-policy page (plain text, Markdown or HTML) into policy JSON.
    Import(policy_import::ImportArgs),
    /// Show what changed between two policies: declarations added, removed and changed
    /// (exit 1 when they differ).
    Diff(policy_diff::DiffArgs),
}

/// Runs a policy subcommand.
pub fn run(cmd: PolicyCommand) -> Result<ExitCode> {
    match cmd {
        PolicyCommand::Show {
            known: Some(file), ..
        } => known::show(file.as_deref()),
        PolicyCommand::Show { policy, json, .. } => show(policy, json),
        PolicyCommand::Import(a) => policy_import::run(&a),
        PolicyCommand::Diff(a) => policy_diff::run(&a),
    }
}

/// `policy show`.
fn show(policy: Option<PathBuf>, json: bool) -> Result<ExitCode> {
    let catalog = Catalog::find(policy.as_deref(), Dirs::from_env().as_ref())?;
    for p in catalog.policies() {
        if json {
            outln!(
                "{}",
                serde_json::to_string_pretty(&p.doc).context("serialising the policy")?
            )?;
            continue;
        }
        let d = &p.doc;
        outln!("{} ({})", d.name, p.origin)?;
        outln!("publisher: {}", d.publisher)?;
        outln!("sites:     {}", d.sites.join(", "))?;
        outln!("revision:  {} ({})", d.revision, p.hash)?;
        outln!(
            "consent lasts {} days; stored in the {} cookie",
            d.consent_lifetime_days,
            d.preferences_cookie
        )?;
        if let Some(src) = &d.source {
            outln!("source:    {src}")?;
        }
        for cat in &d.categories {
            let req = if cat.required { " [required]" } else { "" };
            outln!("\n{} ({}){req}", cat.label, cat.id)?;
            if !cat.description.is_empty() {
                outln!("  {}", cat.description)?;
            }
            for decl in d.cookies.iter().filter(|c| c.category == cat.id) {
                let dom = decl
                    .domain
                    .as_deref()
                    .map(|x| format!(" on {x}"))
                    .unwrap_or_default();
                outln!(
                    "  - {}{dom}: {} · {} · {}",
                    decl.names.join(", "),
                    decl.provider,
                    decl.function,
                    decl.purpose
                )?;
            }
        }
        outln!(
            "\nundeclared cookies: the site's count as {}, third parties' as {}",
            d.undeclared.first_party,
            d.undeclared.third_party
        )?;
    }
    if !json {
        outln!("\n{}", known::summary_line()?)?;
    }
    Ok(ExitCode::SUCCESS)
}
