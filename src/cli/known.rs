//! `crumbs policy show --known`: which known-cookie catalog is in use, from
//! where, of when, and how its entries map to crumbs' categories.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crumbs::dirs::Dirs;
use crumbs::known::Catalog;

/// The catalog in use: `--known FILE`, else the data dir's CSV, else the embedded one.
pub fn locate(file: Option<&Path>) -> Result<Catalog> {
    Catalog::locate(file, Dirs::from_env().as_ref())
        .context("cannot read the known-cookie catalog (Open Cookie Database CSV)")
}

/// `policy show --known [FILE]`.
pub fn show(file: Option<&Path>) -> Result<ExitCode> {
    let c = locate(file)?;
    let f = c.figures();
    println!("known-cookie catalog: {}", c.origin());
    println!("date:    {}", c.date);
    println!("entries: {}", f.entries);
    for (id, n) in &f.by_category {
        println!("  {id:<16} {n}");
    }
    println!("  {:<16} cookies the catalog does not know", "unknown");
    println!("wildcard (prefix) entries: {}", f.wildcards);
    println!(
        "entries restricted to a platform's domains: {}",
        f.domain_restricted
    );
    if c.source == crumbs::known::Source::Embedded {
        println!("licence: Apache License 2.0 (assets/known/LICENSE-open-cookie-database)");
    }
    Ok(ExitCode::SUCCESS)
}

/// One line naming the catalog in use, for `policy show`.
pub fn summary_line() -> Result<String> {
    let c = locate(None)?;
    Ok(format!(
        "known-cookie catalog: {}; {} entries dated {} (policy show --known for details)",
        c.origin(),
        c.entries().len(),
        c.date
    ))
}
