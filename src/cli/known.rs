//! `crumbs policy show --known`: which known-cookie catalog is in use, from
//! where, of when, and how its entries map to crumbs' categories.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crumbs::dirs::Dirs;
use crumbs::known::Catalog;

use super::output;

/// The catalog in use: `--known FILE`, else the data dir's CSV, else the embedded one.
pub fn locate(file: Option<&Path>) -> Result<Catalog> {
    Catalog::locate(file, Dirs::from_env().as_ref())
        .context("cannot read the known-cookie catalog (Open Cookie Database CSV)")
}

/// `policy show --known [FILE]`.
pub fn show(file: Option<&Path>) -> Result<ExitCode> {
    use std::fmt::Write as _;
    let c = locate(file)?;
    let f = c.figures();
    let mut t = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(t, "known-cookie catalog: {}", c.origin());
    let _ = writeln!(t, "date:    {}", c.date);
    let _ = writeln!(t, "entries: {}", f.entries);
    for (id, n) in &f.by_category {
        let _ = writeln!(t, "  {id:<16} {n}");
    }
    let _ = writeln!(t, "  {:<16} cookies the catalog does not know", "unknown");
    let _ = writeln!(t, "wildcard (prefix) entries: {}", f.wildcards);
    let _ = writeln!(
        t,
        "entries restricted to a platform's domains: {}",
        f.domain_restricted
    );
    if c.source == crumbs::known::Source::Embedded {
        t.push_str("licence: Apache License 2.0 (assets/known/LICENSE-open-cookie-database)\n");
    }
    output::print(&t)?;
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
