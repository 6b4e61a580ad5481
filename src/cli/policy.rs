//! `crumbs policy show|import|diff`: print, import and compare policies.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Subcommand;

use crumbs::dirs::Dirs;
use crumbs::policy::catalog::Catalog;

use super::{policy_diff, policy_import};

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
        PolicyCommand::Show { policy, json } => show(policy, json),
        PolicyCommand::Import(a) => policy_import::run(&a),
        PolicyCommand::Diff(a) => policy_diff::run(&a),
    }
}

/// `policy show`.
fn show(policy: Option<PathBuf>, json: bool) -> Result<ExitCode> {
    let catalog = Catalog::find(policy.as_deref(), Dirs::from_env().as_ref())?;
    for p in catalog.policies() {
        if json {
            println!(
                "{}",
                serde_json::to_string_pretty(&p.doc).context("serialising the policy")?
            );
            continue;
        }
        let d = &p.doc;
        println!("{} ({})", d.name, p.origin);
        println!("publisher: {}", d.publisher);
        println!("sites:     {}", d.sites.join(", "));
        println!("revision:  {} ({})", d.revision, p.hash);
        println!(
            "consent lasts {} days; stored in the {} cookie",
            d.consent_lifetime_days, d.preferences_cookie
        );
        if let Some(src) = &d.source {
            println!("source:    {src}");
        }
        for cat in &d.categories {
            let req = if cat.required { " [required]" } else { "" };
            println!("\n{} ({}){req}", cat.label, cat.id);
            if !cat.description.is_empty() {
                println!("  {}", cat.description);
            }
            for decl in d.cookies.iter().filter(|c| c.category == cat.id) {
                let dom = decl
                    .domain
                    .as_deref()
                    .map(|x| format!(" on {x}"))
                    .unwrap_or_default();
                println!(
                    "  - {}{dom}: {} · {} · {}",
                    decl.names.join(", "),
                    decl.provider,
                    decl.function,
                    decl.purpose
                );
            }
        }
        println!(
            "\nundeclared cookies: the site's count as {}, third parties' as {}",
            d.undeclared.first_party, d.undeclared.third_party
        );
    }
    Ok(ExitCode::SUCCESS)
}
