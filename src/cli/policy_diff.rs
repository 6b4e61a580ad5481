//! `crumbs policy diff OLD NEW`: what changed between two policies.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;
use serde::Serialize;
use serde_json::{Value, json};

use crumbs::policy::diff::{FieldChange, PolicyDiff, diff};
use crumbs::policy::{Declaration, Policy, load};

use super::output::outln;

/// `policy diff` arguments.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old policy: a file, or `shipped:NAME` (e.g. shipped:opendatasoft).
    old: String,
    /// The new policy: a file, or `shipped:NAME`.
    new: String,
    /// Print one JSON object (see the README).
    #[arg(long)]
    json: bool,
}

/// Runs `policy diff`; exit 1 when the policies differ.
pub fn run(a: &DiffArgs) -> Result<ExitCode> {
    let old = load_policy(&a.old)?;
    let new = load_policy(&a.new)?;
    let d = diff(&old.doc, &new.doc);
    if a.json {
        let out = Out {
            old: about(&old),
            new: about(&new),
            same: d.is_empty(),
            diff: &d,
        };
        outln!(
            "{}",
            serde_json::to_string(&out).context("serialising the diff")?
        )?;
    } else {
        super::output::print(&text(&old, &new, &d))?;
    }
    Ok(if d.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The `--json` object: both policies, whether they are the same, the diff.
#[derive(Serialize)]
struct Out<'a> {
    old: Value,
    new: Value,
    same: bool,
    #[serde(flatten)]
    diff: &'a PolicyDiff,
}

/// A policy file, or a shipped policy named `shipped:NAME`.
fn load_policy(name: &str) -> Result<Policy> {
    if name.starts_with("shipped:") {
        match load::shipped().into_iter().find(|p| p.origin == name) {
            Some(p) => return Ok(p),
            None => {
                let known: Vec<String> = load::shipped().into_iter().map(|p| p.origin).collect();
                bail!(
                    "{name}: no such shipped policy; expected one of {}",
                    known.join(", ")
                );
            }
        }
    }
    Ok(Policy::from_path(std::path::Path::new(name))?)
}

/// Where a policy came from and which revision it is.
fn about(p: &Policy) -> Value {
    json!({"origin": p.origin, "name": p.doc.name, "revision": p.doc.revision, "hash": p.hash})
}

/// A value for people: strings as they are (cut at 80 characters), lists joined.
fn show(v: &Value) -> String {
    let s = match v {
        Value::Null => "(none)".to_string(),
        Value::String(s) => format!("{s:?}"),
        Value::Array(items) => items.iter().map(show).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    };
    if s.chars().count() > 80 {
        let cut: String = s.chars().take(77).collect();
        format!("{cut}…")
    } else {
        s
    }
}

/// `field: old → new`.
fn change(f: &FieldChange) -> String {
    format!("{}: {} → {}", f.field, show(&f.old), show(&f.new))
}

/// A declaration on one line.
fn declaration(d: &Declaration) -> String {
    let mut s = format!("{} [{}]", d.names.join(", "), d.category);
    if let Some(domain) = &d.domain {
        let _ = write!(s, " on {domain}");
    }
    let facts: Vec<&str> = [&d.provider, &d.function, &d.purpose]
        .into_iter()
        .map(String::as_str)
        .filter(|x| !x.is_empty())
        .collect();
    if !facts.is_empty() {
        let _ = write!(s, " {}", facts.join(" · "));
    }
    s
}

/// The diff for people.
fn text(old: &Policy, new: &Policy, d: &PolicyDiff) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "--- {} (revision {}, {})",
        old.origin, old.doc.revision, old.hash
    );
    let _ = writeln!(
        out,
        "+++ {} (revision {}, {})",
        new.origin, new.doc.revision, new.hash
    );
    if d.is_empty() {
        out.push_str("no differences\n");
        return out;
    }
    if !d.fields.is_empty() {
        out.push_str("policy:\n");
        for f in &d.fields {
            let _ = writeln!(out, "  ~ {}", change(f));
        }
    }
    let c = &d.categories;
    if !c.is_empty() {
        out.push_str("categories:\n");
        for x in &c.added {
            let req = if x.required { ", required" } else { "" };
            let _ = writeln!(out, "  + {} ({}{req})", x.id, x.label);
        }
        for x in &c.removed {
            let _ = writeln!(out, "  - {} ({})", x.id, x.label);
        }
        for x in &c.changed {
            for f in &x.changes {
                let _ = writeln!(out, "  ~ {}: {}", x.id, change(f));
            }
        }
    }
    let k = &d.cookies;
    if !k.is_empty() {
        out.push_str("cookies:\n");
        for x in &k.added {
            let _ = writeln!(out, "  + {}", declaration(x));
        }
        for x in &k.removed {
            let _ = writeln!(out, "  - {}", declaration(x));
        }
        for x in &k.changed {
            let _ = writeln!(out, "  ~ {} [{}]", x.old.names.join(", "), x.old.category);
            for f in &x.changes {
                let _ = writeln!(out, "      {}", change(f));
            }
        }
    }
    let summary = format!(
        "{} added, {} removed, {} changed",
        k.added.len(),
        k.removed.len(),
        k.changed.len()
    );
    let _ = writeln!(out, "declarations: {summary}");
    if !d.review.is_empty() {
        let _ = writeln!(
            out,
            "consent to ask again for: {} (their cookies or wording changed)",
            d.review.join(", ")
        );
    }
    out
}
