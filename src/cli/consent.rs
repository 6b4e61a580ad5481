//! `crumbs consent show|set|reset`: the saved consent records.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Args, Subcommand};

use crumbs::consent::resolve::{self, Source};
use crumbs::consent::store;
use crumbs::consent::value::ConsentValue;
use crumbs::policy::catalog::Catalog;
use crumbs::scopes;
use crumbs::session;

use super::output::outln;
use super::{ChoiceArgs, dirs, now};

/// Consent subcommands.
#[derive(Debug, Subcommand)]
pub enum ConsentCommand {
    /// Print the saved records (valid / stale / expired).
    Show {
        /// Only this site.
        #[arg(long, value_name = "HOST")]
        site: Option<String>,
        /// Policy to judge staleness against (default: the shipped one covering each site).
        #[arg(long, value_name = "FILE")]
        policy: Option<PathBuf>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Store a choice for a site without touching a jar.
    Set(SetArgs),
    /// Forget the saved record of a site (the log keeps its history).
    Reset {
        /// The site.
        #[arg(long, value_name = "HOST")]
        site: String,
    },
}

/// `consent set` arguments.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// The site.
    #[arg(long, value_name = "HOST")]
    site: String,
    /// Policy file (default: the shipped policy covering the site).
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    #[command(flatten)]
    choice: ChoiceArgs,
}

fn categories_text(v: &ConsentValue) -> String {
    v.categories
        .iter()
        .map(|(id, g)| format!("{id}={}", if *g { "yes" } else { "no" }))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs a consent subcommand.
pub fn run(cmd: ConsentCommand) -> Result<ExitCode> {
    let dirs = dirs()?;
    let now = now()?;
    match cmd {
        ConsentCommand::Show { site, policy, json } => {
            let mut records = store::list_records(&dirs)?;
            if let Some(site) = &site {
                records.retain(|r| &r.site == site);
            }
            let catalog = Catalog::find(policy.as_deref(), Some(&dirs))?;
            let rows: Vec<(ConsentValue, &'static str)> = records
                .into_iter()
                .map(|r| {
                    let hash = scopes::for_site(&catalog, &r.site)
                        .ok()
                        .map(|s| s.policy().hash.clone());
                    let st = resolve::state_of(&r, hash.as_deref(), &r.site, now).as_str();
                    (r, st)
                })
                .collect();
            if json {
                let arr: Vec<serde_json::Value> = rows
                    .iter()
                    .map(|(r, st)| {
                        serde_json::json!({
                            "site": r.site, "state": st, "id": r.id, "policy": r.policy, "hash": r.hash,
                            "given": r.given.unix_timestamp(), "expires": r.expires.unix_timestamp(),
                            "categories": r.categories.iter().map(|(k, v)| (k.clone(), serde_json::Value::Bool(*v))).collect::<serde_json::Map<_, _>>(),
                        })
                    })
                    .collect();
                outln!("{}", serde_json::Value::Array(arr))?;
            } else if rows.is_empty() {
                outln!(
                    "no saved consent{}",
                    site.map(|s| format!(" for {s}")).unwrap_or_default()
                )?;
            } else {
                for (r, st) in &rows {
                    outln!(
                        "{}  {st}  given {}  expires {}  {}",
                        r.site,
                        r.given.date(),
                        r.expires.date(),
                        categories_text(r)
                    )?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        ConsentCommand::Set(a) => {
            let catalog = Catalog::find(a.policy.as_deref(), Some(&dirs))?;
            let scope = scopes::for_site(&catalog, &a.site)?;
            let policy = scope.policy();
            let choice = a.choice.to_choice();
            if choice.is_empty() {
                bail!(
                    "consent set: say what to grant: --accept-all, --reject-all, --allow CAT,... or --deny CAT,..."
                );
            }
            // The site as every scope names it (normalised), so a jar's
            // `list` and `prune` find this record.
            let site = scope.site();
            let saved = store::load_record(&dirs, site)?;
            let r = resolve::resolve(
                &policy.doc,
                &policy.hash,
                site,
                &choice,
                None,
                saved.as_ref(),
                now,
            )?;
            debug_assert_eq!(r.source, Source::Flags);
            let v = ConsentValue::new(site, &policy.doc, &policy.hash, r.granted, now);
            let path = session::store_value(&dirs, &v, now)?;
            outln!(
                "consent for {} stored in {}: {}",
                site,
                path.display(),
                categories_text(&v)
            )?;
            Ok(ExitCode::SUCCESS)
        }
        ConsentCommand::Reset { site } => {
            let old = store::load_record(&dirs, &site)?;
            match old {
                Some(v) => {
                    store::remove_record(&dirs, &site)?;
                    store::append_log(&dirs, &v, "reset", now)?;
                    outln!("forgot the saved consent for {site}")?;
                }
                None => outln!("no saved consent for {site}")?,
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
