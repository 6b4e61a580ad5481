//! `crumbs prune`: apply the consent, write the jar, store the choice.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crumbs::check::cookie_label;
use crumbs::consent::resolve::State;
use crumbs::jar::write::Target;
use crumbs::model::SetCookie;

use super::{PruneArgs, now, open_session, report};

/// Runs `prune`.
pub fn run(a: &PruneArgs) -> Result<ExitCode> {
    let mut s = open_session(&a.jar)?;
    let now = now()?;
    let d = s.decide(&a.choice.to_choice(), a.drop_expired, now)?;
    if matches!(d.resolved.state, State::Stale | State::Expired) {
        eprintln!(
            "crumbs: warning: the stored consent for {} is {}; treating it as refusal",
            s.site,
            d.resolved.state.as_str()
        );
    }
    let would = if a.dry_run { "would " } else { "" };
    let mut text = String::new();
    for i in d.plan.removed() {
        let c = &s.jar.cookies()[i];
        let verb = if a.dry_run { "would remove" } else { "removed" };
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
        None if d.value.is_some() && !s.jar.stores_preferences() => {
            let _ = writeln!(
                text,
                "the {pref} cookie is not written into this jar: its values are encrypted \
                 with a key crumbs cannot use; the choice is kept in crumbs' consent record only"
            );
        }
        None => {}
    }
    if a.dry_run {
        let _ = writeln!(
            text,
            "dry run: {} of {} cookies would be removed; nothing written",
            d.plan.remove_count(),
            s.jar.cookies().len()
        );
    } else if d.plan.is_noop() && a.output.is_none() {
        text.push_str("nothing to change\n");
    } else {
        let failed = || format!("{}: nothing was changed", a.jar.jar.display());
        // The JSON report describes the jar as it was, so it needs the session
        // unchanged; otherwise the jar is edited in place, without a copy.
        let done = match (&a.output, a.jar.json) {
            (Some(p), _) => s.write(&d, Target::Output(p), now).with_context(failed)?.0,
            (None, true) => {
                let target = Target::InPlace {
                    no_backup: a.no_backup,
                };
                s.write(&d, target, now).with_context(failed)?.0
            }
            (None, false) => s.commit(&d, a.no_backup, now).with_context(failed)?,
        };
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
        if let Some(r) = &done.record {
            let _ = writeln!(text, "consent stored in {}", r.display());
        }
    }
    if a.jar.json {
        report::write_json(
            &mut std::io::stdout().lock(),
            &s,
            &d,
            &[],
            a.jar.show_values,
            now.unix_timestamp(),
        )
        .context("writing the report")?;
    } else {
        print!("{text}");
    }
    Ok(ExitCode::SUCCESS)
}
