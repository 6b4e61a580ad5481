//! `crumbs prune`: apply the consent, write the jar, store the choice. A jar
//! with several covered sites is pruned site by site, each by its own
//! consent, and written once.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crumbs::check::cookie_label;
use crumbs::consent::resolve::State;
use crumbs::jar::write::Target;
use crumbs::model::SetCookie;
use crumbs::sites::{self, Turn};

use super::{PruneArgs, now, open_sites, report};

/// Runs `prune`.
pub fn run(a: &PruneArgs) -> Result<ExitCode> {
    let (jar, found, dirs) = open_sites(&a.jar)?;
    let now = now()?;
    let total = jar.cookies().len();
    let (turns, mut edited) = sites::decide_all(
        jar,
        found,
        &dirs,
        &a.choice.to_choice(),
        a.drop_expired,
        now,
    )
    .with_context(|| format!("{}", a.jar.jar.display()))?;
    let mut text = String::new();
    for (i, t) in turns.iter().enumerate() {
        if turns.len() > 1 {
            let _ = writeln!(text, "{}", report::site_banner(&t.session, i, turns.len()));
        }
        turn_text(&mut text, t, a.dry_run);
    }
    let removed: usize = turns.iter().map(|t| t.decision.plan.remove_count()).sum();
    if a.dry_run {
        let _ = writeln!(
            text,
            "dry run: {removed} of {total} cookies would be removed; nothing written"
        );
    } else if turns.iter().all(|t| t.decision.plan.is_noop()) && a.output.is_none() {
        text.push_str("nothing to change\n");
    } else {
        let target = match &a.output {
            Some(p) => Target::Output(p),
            None => Target::InPlace {
                no_backup: a.no_backup,
            },
        };
        let done = sites::write_all(&turns, &mut edited, target, &dirs, now)
            .with_context(|| format!("{}: nothing was changed", a.jar.jar.display()))?;
        let _ = write!(
            text,
            "wrote {}: removed {} cookies",
            done.saved.path.display(),
            done.removed
        );
        if let Some(b) = &done.saved.backup {
            let _ = write!(text, "; backup {}", b.display());
        }
        text.push('\n');
        for r in &done.records {
            let _ = writeln!(text, "consent stored in {}", r.display());
        }
    }
    if a.jar.json {
        let mut out = std::io::stdout().lock();
        for t in &turns {
            report::write_json(
                &mut out,
                &t.session,
                &t.decision,
                &[],
                a.jar.show_values,
                now.unix_timestamp(),
            )
            .context("writing the report")?;
        }
    } else {
        print!("{text}");
    }
    Ok(ExitCode::SUCCESS)
}

/// What one site's turn removes and writes, and a warning for a stale consent.
fn turn_text(text: &mut String, t: &Turn, dry_run: bool) {
    let (s, d) = (&t.session, &t.decision);
    if matches!(d.resolved.state, State::Stale | State::Expired) {
        eprintln!(
            "crumbs: warning: the stored consent for {} is {}; treating it as refusal",
            s.site,
            d.resolved.state.as_str()
        );
    }
    let would = if dry_run { "would " } else { "" };
    for i in d.plan.removed() {
        let c = &s.jar.cookies()[i];
        let verb = if dry_run { "would remove" } else { "removed" };
        let why = d.plan.actions[i].reason();
        let _ = writeln!(text, "{verb} {} on {} ({why})", c.name, cookie_label(c));
    }
    let pref = &s.policy.doc.preferences_cookie;
    match &d.plan.set {
        Some(SetCookie::Replace { .. }) => {
            let _ = writeln!(text, "{would}update the {pref} cookie");
        }
        Some(SetCookie::Add(_)) => {
            let _ = writeln!(text, "{would}add a {pref} cookie for {}", s.site);
        }
        None => {}
    }
}
