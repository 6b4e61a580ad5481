//! `crumbs prune`: apply the consent, write the jar, store the choice.

use std::process::ExitCode;

use anyhow::{Context, Result};

use crumbs::consent::resolve::State;
use crumbs::jar::write::Target;

use super::{PruneArgs, now, open_session, report};

/// Runs `prune`.
pub fn run(a: &PruneArgs) -> Result<ExitCode> {
    let mut s = open_session(&a.jar)?;
    let now = now()?;
    let d = s.decide(&a.choice.to_choice(), a.drop_expired, now)?;
    let cookies = s.jar.cookies();
    let removed: Vec<(String, String, &'static str)> = d
        .plan
        .removed()
        .map(|i| {
            let c = &cookies[i];
            (
                c.name.clone(),
                crumbs::check::cookie_label(c),
                d.plan.actions[i].reason(),
            )
        })
        .collect();
    let json = a
        .jar
        .json
        .then(|| report::json(&s, &d, &[], a.jar.show_values, now.unix_timestamp()));
    let verb = if a.dry_run { "would remove" } else { "removed" };
    let mut text = String::new();
    for (name, domain, why) in &removed {
        text.push_str(&format!("{verb} {name} on {domain} ({why})\n"));
    }
    let pref = &s.policy.doc.preferences_cookie;
    let set_line = match &d.plan.set {
        Some(crumbs::model::SetCookie::Replace { .. }) => Some(format!("update the {pref} cookie")),
        Some(crumbs::model::SetCookie::Add(_)) => {
            Some(format!("add a {pref} cookie for {}", s.site))
        }
        None => None,
    };
    if let Some(l) = &set_line {
        let pre = if a.dry_run { "would " } else { "" };
        text.push_str(&format!("{pre}{l}\n"));
    }
    if matches!(d.resolved.state, State::Stale | State::Expired) {
        eprintln!(
            "crumbs: warning: the stored consent for {} is {}; treating it as refusal",
            s.site,
            d.resolved.state.as_str()
        );
    }
    if a.dry_run {
        text.push_str(&format!(
            "dry run: {} of {} cookies would be removed; nothing written\n",
            removed.len(),
            cookies.len()
        ));
    } else if d.plan.is_noop() && a.output.is_none() {
        text.push_str("nothing to change\n");
    } else {
        let target = match &a.output {
            Some(p) => Target::Output(p),
            None => Target::InPlace {
                no_backup: a.no_backup,
            },
        };
        let done = s
            .commit(&d, target, now)
            .with_context(|| format!("{}: nothing was changed", a.jar.jar.display()))?;
        text.push_str(&format!(
            "wrote {}: removed {} cookies",
            done.saved.path.display(),
            done.removed
        ));
        if let Some(b) = &done.saved.backup {
            text.push_str(&format!("; backup {}", b.display()));
        }
        text.push('\n');
        if let Some(r) = &done.record {
            text.push_str(&format!("consent stored in {}\n", r.display()));
        }
    }
    match json {
        Some(v) => println!("{v}"),
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}
