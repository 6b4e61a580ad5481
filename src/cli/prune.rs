//! `crumbs prune`: apply the consent, write the jar, store the choice. A jar
//! with several covered sites is pruned site by site, each by its own
//! consent, and written once.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use time::OffsetDateTime;

use crumbs::consent::resolve::State;
use crumbs::consent::store;
use crumbs::dirs::Dirs;
use crumbs::jar::Jar;
use crumbs::jar::save::Target;
use crumbs::model::SetCookie;
use crumbs::scopes::{self, ScopeKind};
use crumbs::session::Decision;
use crumbs::turns::{self, Scoped, Turn};

use super::{PruneArgs, dash, now, open_scopes, output, progress, report};

/// Runs `prune`. Without `--json` the jar is edited in place, site after
/// site (no copy: a million-cookie jar stays one jar in memory); `--json`
/// keeps each site's jar as it was, for the report written after the save.
pub fn run(a: &PruneArgs) -> Result<ExitCode> {
    check_dashes(a)?;
    let mut scoped = open_scopes(&a.jar)?;
    leave_others_unchosen(&mut scoped, a)?;
    if dash::is_dash(&a.jar.jar) && !a.dry_run && scoped.jar.sqlite_body().is_some() {
        bail!(
            "-: a browser database read from standard input can be listed and checked, \
             not pruned (SQLite saves to a file); give the database's file"
        );
    }
    let total = scoped.jar.cookies().len();
    let count = scoped.scopes.len();
    let dirs = scoped.dirs.clone();
    let now = now()?;
    let choice = a.choice.to_choice();
    let in_jar = || format!("{}", a.jar.jar.display());
    let mut text = String::new();
    let mut unchosen = Unchosen::default();
    if a.jar.json {
        let (turns, mut edited) =
            turns::decide_all(scoped, &choice, a.drop_expired, now).with_context(in_jar)?;
        for (i, t) in turns.iter().enumerate() {
            turn(&mut text, &mut unchosen, t, i, count, a.dry_run);
        }
        if let Some(code) = unchosen.refuse(a, total) {
            return Ok(code);
        }
        let decisions = turns.iter().map(|t| &t.decision);
        finish(&mut text, a, decisions, &mut edited, total, &dirs, now)?;
        progress::before_output();
        let mut out = std::io::stdout().lock();
        for t in &turns {
            report::write_json(
                &mut out,
                &t.session,
                &t.decision,
                &mut std::iter::empty(),
                a.jar.show_values,
                now.unix_timestamp(),
            )
            .map_err(output::StdoutError)?;
        }
    } else {
        let mut i = 0;
        let (decisions, mut edited) =
            turns::decide_in_place(scoped, &choice, a.drop_expired, now, |t| {
                turn(&mut text, &mut unchosen, t, i, count, a.dry_run);
                i += 1;
                anyhow::Ok(())
            })
            .with_context(in_jar)?;
        if let Some(code) = unchosen.refuse(a, total) {
            return Ok(code);
        }
        finish(&mut text, a, &decisions, &mut edited, total, &dirs, now)?;
        progress::before_output();
        if a.output.as_deref().is_some_and(dash::is_dash) {
            // Standard output holds the jar.
            eprint!("{text}");
        } else {
            output::print(&text)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Without `--site`, the `*` scope (every other site's cookies) is pruned
/// only when a choice is saved for it: a plain `--reject-all` on a browser
/// profile must not log the user out of the whole web (DESIGN §5b). Says so
/// on stderr when it leaves it.
fn leave_others_unchosen(scoped: &mut Scoped, a: &PruneArgs) -> Result<()> {
    if a.jar.site.is_some() || store::load_record(&scoped.dirs, scopes::OTHERS)?.is_some() {
        return Ok(());
    }
    let before = scoped.scopes.len();
    scoped.scopes.retain(|s| s.kind() != ScopeKind::Others);
    if scoped.scopes.len() < before {
        progress::done();
        eprintln!(
            "crumbs: note: the other sites' cookies (the `*` scope) are left alone: \
             `--site '*'` prunes them, and a choice saved for them \
             (`crumbs consent set --site '*'`) makes `prune` include them"
        );
    }
    Ok(())
}

/// `-` is standard input for JAR and standard output for `--output`:
/// standard input cannot be pruned in place, and stdout holds one thing.
fn check_dashes(a: &PruneArgs) -> Result<()> {
    let out_dash = a.output.as_deref().is_some_and(dash::is_dash);
    if dash::is_dash(&a.jar.jar) && a.output.is_none() && !a.dry_run {
        bail!(
            "-: a jar read from standard input cannot be pruned in place; \
             add --output FILE, or --output - to write it to standard output"
        );
    }
    if out_dash && a.jar.json {
        bail!("--output - and --json both write to standard output; choose one");
    }
    Ok(())
}

/// The sites whose consent is only the default while their plan would change
/// the jar (DESIGN §8: an explicit choice before pruning), and what that
/// default would do, worded as a dry run.
#[derive(Default)]
struct Unchosen {
    /// Each such site, with why its consent is not a choice.
    sites: Vec<(String, &'static str)>,
    /// What the default would remove and write, per site.
    text: String,
    /// Cookies the default would remove, all such sites together.
    removed: usize,
}

/// Lines of the default's effect shown before pointing at `--dry-run`.
const UNCHOSEN_LINES: usize = 20;

impl Unchosen {
    /// Without `--dry-run`, with a site lacking a choice: says what the
    /// default would do and how to choose, and gives exit 2 (nothing written).
    /// With `--dry-run`: a note on stderr, and the dry run goes on.
    fn refuse(&self, a: &PruneArgs, total: usize) -> Option<ExitCode> {
        if self.sites.is_empty() {
            return None;
        }
        let jar = a.jar.jar.display();
        let names = self
            .sites
            .iter()
            .map(|(s, why)| format!("{s} ({why})"))
            .collect::<Vec<_>>()
            .join(", ");
        progress::done();
        if a.dry_run {
            eprintln!(
                "crumbs: note: no consent chosen for {names}: without a choice \
                 (--reject-all applies this refusal) `prune` writes nothing"
            );
            return None;
        }
        let mut lines = self.text.lines();
        let shown: Vec<&str> = lines.by_ref().take(UNCHOSEN_LINES).collect();
        let more = lines.count();
        eprintln!(
            "crumbs: {jar}: no consent chosen for {names}; nothing written.\n\
             The default (silence is refusal) would remove {} of {total} cookies:",
            self.removed
        );
        for l in shown {
            eprintln!("  {l}");
        }
        if more > 0 {
            eprintln!("  ... and {more} more lines (`--dry-run` lists them all)");
        }
        eprintln!(
            "Choose first: `crumbs prune --dry-run {jar}` shows this, \
             `crumbs prune --reject-all {jar}` applies it; --accept-all, --allow CAT,... \
             and --deny CAT,... choose otherwise; `crumbs consent set --site HOST` saves a \
             choice; --site HOST prunes only one site."
        );
        Some(ExitCode::from(2))
    }
}

/// One site's turn: described in the output, or, when its consent is only
/// the default and it would change the jar, set aside in `unchosen`.
fn turn(text: &mut String, unchosen: &mut Unchosen, t: &Turn, i: usize, count: usize, dry: bool) {
    let d = &t.decision;
    if !d.needs_choice() {
        describe(text, t, i, count, dry);
        return;
    }
    let why = if d.resolved.jar_unrecognised {
        "only the platform's own preferences value, which crumbs cannot read"
    } else {
        "no flag, no saved record, no value crumbs wrote"
    };
    unchosen.sites.push((t.session.site().to_string(), why));
    unchosen.removed += d.plan.remove_count();
    if dry {
        describe(text, t, i, count, true);
    } else {
        describe(&mut unchosen.text, t, i, count, true);
    }
}

/// After every turn: the dry-run summary, or the save and what it did.
fn finish<'d>(
    text: &mut String,
    a: &PruneArgs,
    decisions: impl IntoIterator<Item = &'d Decision>,
    edited: &mut Jar,
    total: usize,
    dirs: &Dirs,
    now: OffsetDateTime,
) -> Result<()> {
    let decisions: Vec<&Decision> = decisions.into_iter().collect();
    let removed: usize = decisions.iter().map(|d| d.plan.remove_count()).sum();
    if a.dry_run {
        let _ = writeln!(
            text,
            "dry run: {removed} of {total} cookies would be removed; nothing written"
        );
        return Ok(());
    }
    if decisions.iter().all(|d| d.plan.is_noop()) && a.output.is_none() {
        text.push_str("nothing to change\n");
        return Ok(());
    }
    // `--output -`: written to a private file first (a browser database is
    // written by SQLite, not as bytes), then copied to standard output.
    let spool = match a.output.as_deref() {
        Some(p) if dash::is_dash(p) => {
            Some(tempfile::tempdir().context("cannot create a temporary folder for the jar")?)
        }
        _ => None,
    };
    let spooled = spool.as_ref().map(|d| d.path().join("jar"));
    let target = match (&spooled, &a.output) {
        (Some(p), _) | (None, Some(p)) => Target::Output(p),
        (None, None) => Target::InPlace {
            no_backup: a.no_backup,
            break_links: a.force,
        },
    };
    let done = turns::write_all(decisions, edited, target, dirs, now).map_err(|e| {
        let what = if e.changed_something() {
            "the save failed partway"
        } else {
            "nothing was changed"
        };
        anyhow::Error::new(e).context(format!("{}: {what}", a.jar.jar.display()))
    })?;
    let wrote = match &spooled {
        Some(p) => {
            dash::copy_to_stdout(p)?;
            "standard output".to_string()
        }
        None => done.saved.path.display().to_string(),
    };
    let _ = write!(text, "wrote {wrote}: removed {} cookies", done.removed);
    if let Some(b) = &done.saved.backup {
        let _ = write!(text, "; backup {}", b.display());
    }
    text.push('\n');
    for r in &done.records {
        let _ = writeln!(text, "consent stored in {}", r.display());
    }
    Ok(())
}

/// What one site's turn removes and writes (under a banner when the jar
/// holds several sites), and a warning for a stale consent.
fn describe(text: &mut String, t: &Turn, i: usize, count: usize, dry_run: bool) {
    let (s, d) = (&t.session, &t.decision);
    if count > 1 {
        let _ = writeln!(text, "{}", report::site_banner(s, i, count));
    }
    if matches!(d.resolved.state, State::Stale | State::Expired) {
        progress::done();
        eprintln!(
            "crumbs: warning: the stored consent for {} is {}; treating it as refusal",
            s.site(),
            d.resolved.state.as_str()
        );
    }
    let would = if dry_run { "would " } else { "" };
    for i in d.plan.removed() {
        let c = s.jar().cookies().at(i);
        let verb = if dry_run { "would remove" } else { "removed" };
        let why = d.plan.actions[i].reason();
        let _ = writeln!(text, "{verb} {} on {} ({why})", c.name, c.domain_label());
    }
    let pref = &s.policy().doc.preferences_cookie;
    match &d.plan.set {
        Some(SetCookie::Replace { .. }) => {
            let _ = writeln!(text, "{would}update the {pref} cookie");
        }
        Some(SetCookie::Add(_)) => {
            let _ = writeln!(text, "{would}add a {pref} cookie for {}", s.site());
        }
        None if d.value.is_some()
            && !s.jar().stores_preferences()
            && s.scope().has_preferences_cookie() =>
        {
            let _ = writeln!(
                text,
                "the {pref} cookie is not written into this jar: its values are encrypted \
                 with a key crumbs cannot use; the choice is kept in crumbs' consent record only"
            );
        }
        None => {}
    }
}
