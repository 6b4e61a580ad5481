//! The command line: clap definitions and dispatch. Each subcommand is a thin
//! face over `session` (the engine).

mod check;
mod consent;
mod convert;
mod dash;
mod fit;
mod jars;
mod known;
mod list;
mod output;
mod policy;
mod policy_diff;
mod policy_import;
mod progress;
mod prune;
mod remove;
mod report;
mod undo;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, CommandFactory, Parser, Subcommand};
use time::OffsetDateTime;

use crumbs::consent::resolve::Choice;
use crumbs::dirs::Dirs;
use crumbs::jar::{Jar, OpenOptions};
use crumbs::policy::catalog::Catalog;
use crumbs::scopes::{self, Selection};
use crumbs::session::Session;
use crumbs::turns::Scoped;

/// The embedded demo jar, written by curl (see tests/fixtures/generate.sh).
pub const DEMO_JAR: &str = crumbs::demo::JAR;

/// crumbs: see a cookie jar by a platform's cookie policy, choose what you consent to, prune the rest.
#[derive(Debug, Parser)]
#[command(
    name = "crumbs",
    version = crumbs::known::VERSION_TEXT,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// The jar to open (default: the embedded demo jar).
    jar: Option<PathBuf>,
    /// Policy file (default: the shipped policy covering the jar's site).
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// The site (host) to manage (default: the one site of the jar the policy covers).
    #[arg(long, value_name = "HOST")]
    site: Option<String>,
    /// Do not capture the mouse (the terminal's own selection then works).
    #[arg(long)]
    no_mouse: bool,
    /// Keep malformed cookies.txt lines as opaque lines instead of failing.
    #[arg(long)]
    lenient: bool,
    /// Let a cdp:// or bidi:// JAR name a browser on another machine.
    #[arg(long)]
    allow_remote: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show every cookie grouped by the policy's categories, with the action of the consent in force.
    List(ListArgs),
    /// Report problems: undeclared cookies, over-long lifetimes, stale or unreadable consent (exit 1 if any).
    Check(JarArgs),
    /// Remove the cookies the consent does not allow, and store the consent.
    Prune(PruneArgs),
    /// Remove the named cookies (NAME, NAME@DOMAIN, NAME@DOMAIN/PATH) whatever their site; touches no consent.
    Remove(remove::RemoveArgs),
    /// Write the jar's cookies in another format (says on stderr what the target cannot hold).
    Convert(convert::ConvertArgs),
    /// Restore the newest backup of a jar.
    Undo {
        /// The jar to restore.
        jar: PathBuf,
        /// Restore even if the jar changed since the save (what it holds now is backed up first).
        #[arg(long)]
        force: bool,
    },
    /// List the browser cookie jars on this machine (Firefox, Chromium, Chrome, Brave, Edge profiles).
    Jars {
        /// Print one JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Show, set or forget saved consent records.
    #[command(subcommand)]
    Consent(consent::ConsentCommand),
    /// Show, import (from a published policy page) or compare policies.
    #[command(subcommand)]
    Policy(policy::PolicyCommand),
    /// Print a shell completion script (e.g. `crumbs completions bash > /etc/bash_completion.d/crumbs`).
    Completions {
        /// The shell to complete in.
        shell: clap_complete::Shell,
    },
    /// Print the manual page in roff (`crumbs man | man -l -`), or write every page to a folder.
    Man {
        /// Write crumbs.1 and a page per subcommand (crumbs-list.1, ...) into this folder.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// Arguments every jar-reading command takes.
#[derive(Debug, Args)]
struct JarArgs {
    /// The cookie jar: cookies.txt, cookie_store JSON, an extension's JSON export,
    /// Firefox cookies.sqlite, Chromium Cookies, or a browser profile folder; `-` reads stdin.
    jar: PathBuf,
    /// Policy file (default: the user's or shipped policy covering each site of the jar).
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// The site (host) to manage (default: each site of the jar a policy covers, in turn).
    #[arg(long, value_name = "HOST")]
    site: Option<String>,
    /// The known-cookie catalog: another copy of the Open Cookie Database CSV
    /// (default: open-cookie-database.csv in the data dir, else the embedded one).
    #[arg(long, value_name = "FILE")]
    known: Option<PathBuf>,
    /// Print JSON: one object per scope, one per line (JSON Lines; `jq -s` makes
    /// one array). The stable interface; see the README.
    #[arg(long)]
    json: bool,
    /// Keep malformed cookies.txt lines as opaque lines instead of failing.
    #[arg(long)]
    lenient: bool,
    /// Let a cdp:// or bidi:// JAR name a browser on another machine (the
    /// protocol gives full control of that browser; loopback only otherwise).
    #[arg(long)]
    allow_remote: bool,
    /// Print cookie values (they are secrets; hidden by default).
    #[arg(long)]
    show_values: bool,
}

#[derive(Debug, Args)]
struct ListArgs {
    #[command(flatten)]
    jar: JarArgs,
}

/// Consent flags.
#[derive(Debug, Args, Default)]
struct ChoiceArgs {
    /// Grant these categories (comma-separated ids).
    #[arg(long, value_name = "CAT,...", value_delimiter = ',')]
    allow: Vec<String>,
    /// Refuse these categories (comma-separated ids).
    #[arg(long, value_name = "CAT,...", value_delimiter = ',')]
    deny: Vec<String>,
    /// Grant every category.
    #[arg(long, conflicts_with = "reject_all")]
    accept_all: bool,
    /// Refuse every category that is not required.
    #[arg(long)]
    reject_all: bool,
}

impl ChoiceArgs {
    fn to_choice(&self) -> Choice {
        Choice {
            accept_all: self.accept_all,
            reject_all: self.reject_all,
            allow: self.allow.clone(),
            deny: self.deny.clone(),
        }
    }
}

#[derive(Debug, Args)]
struct PruneArgs {
    #[command(flatten)]
    jar: JarArgs,
    #[command(flatten)]
    choice: ChoiceArgs,
    /// Show what would be removed and written; change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Write the pruned jar here and leave JAR alone (`-`: stdout, the report going to stderr).
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Do not keep a backup of the jar before overwriting it.
    #[arg(long)]
    no_backup: bool,
    /// Write a jar that has other hard links (they keep the old cookies).
    #[arg(long)]
    force: bool,
    /// Also remove the site's expired cookies.
    #[arg(long)]
    drop_expired: bool,
}

/// Parses the command line and runs it; errors become exit 2 with their context.
pub fn main() -> ExitCode {
    let cli = parse(std::env::args_os().collect());
    let result = run(cli);
    progress::done();
    match result {
        Ok(code) => code,
        // The reader has what it wanted (`crumbs list | head`): end quietly, as ripgrep does.
        Err(e) if output::is_closed_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("crumbs: {}", error_text(&e));
            ExitCode::from(2)
        }
    }
}

/// Parses the command line; a word that is no file and looks like a mistyped
/// subcommand (`crumbs lsit cookies.txt`) gets clap's suggestion instead of
/// being taken for the interactive view's JAR.
fn parse(args: Vec<std::ffi::OsString>) -> Cli {
    let parsed = Cli::try_parse_from(&args);
    let maybe_typo = match &parsed {
        Ok(cli) => cli.command.is_none() && cli.jar.as_ref().is_some_and(|j| !j.exists()),
        Err(_) => true,
    };
    if maybe_typo && let Some(e) = subcommand_typo(&args) {
        e.exit();
    }
    parsed.unwrap_or_else(|e| e.exit())
}

/// clap's "unrecognized subcommand … a similar subcommand exists" error when
/// the first word is close to a subcommand's name: found by parsing again
/// without the JAR positional (clap suggests only where a subcommand must be).
fn subcommand_typo(args: &[std::ffi::OsString]) -> Option<clap::Error> {
    use clap::error::{ContextKind, ErrorKind};
    let mut full = Cli::command();
    let strict = clap::Command::new("crumbs")
        .args(
            full.get_arguments()
                .filter(|a| a.get_id() != "jar")
                .cloned(),
        )
        .subcommands(full.get_subcommands().cloned());
    let e = strict.try_get_matches_from(args).err()?;
    if e.kind() != ErrorKind::InvalidSubcommand || e.get(ContextKind::SuggestedSubcommand).is_none()
    {
        return None;
    }
    let mut err = clap::Error::new(ErrorKind::InvalidSubcommand).with_cmd(&full);
    for (kind, value) in e.context() {
        if kind != ContextKind::Usage {
            err.insert(kind, value.clone());
        }
    }
    err.insert(
        ContextKind::Usage,
        clap::error::ContextValue::StyledStr(full.render_usage()),
    );
    Some(err)
}

/// The error and its causes, each cause left out when the text before already says it
/// (typed errors often print their source inline).
fn error_text(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        let c = cause.to_string();
        if !text.contains(&c) {
            text = format!("{text}: {c}");
        }
    }
    text
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Some(Command::List(a)) => {
            progress::start("reading", &a.jar.jar);
            list::run(&a.jar)
        }
        Some(Command::Check(a)) => {
            progress::start("checking", &a.jar);
            check::run(&a)
        }
        Some(Command::Prune(a)) => {
            progress::start("pruning", &a.jar.jar);
            prune::run(&a)
        }
        Some(Command::Remove(a)) => remove::run(&a),
        Some(Command::Undo { jar, force }) => undo::run(&jar, force),
        Some(Command::Convert(a)) => convert::run(&a),
        Some(Command::Jars { json }) => jars::run(json),
        Some(Command::Consent(c)) => consent::run(c),
        Some(Command::Policy(c)) => policy::run(c),
        Some(Command::Completions { shell }) => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "crumbs", &mut out);
            output::print(&String::from_utf8_lossy(&out))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Man { dir }) => man(dir.as_deref()),
        None => {
            let open = OpenOptions {
                lenient: cli.lenient,
                allow_remote: cli.allow_remote,
            };
            demo_or_jar(cli.jar, cli.policy, cli.site, cli.no_mouse, open)
        }
    }
}

/// `crumbs man`: the manual page on stdout, or every page into `dir`.
fn man(dir: Option<&Path>) -> Result<ExitCode> {
    // The long --version text (with the catalog's origin) would break the page's title line.
    let cmd = Cli::command().version(env!("CARGO_PKG_VERSION"));
    match dir {
        Some(dir) => {
            clap_mangen::generate_to(cmd, dir)
                .with_context(|| format!("cannot write the manual pages into {}", dir.display()))?;
            eprintln!("crumbs: wrote the manual pages into {}", dir.display());
        }
        None => {
            let mut out = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut out)
                .context("rendering the manual page")?;
            output::print(&String::from_utf8_lossy(&out))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `crumbs [JAR]`: the interactive view of the jar, or of a temporary copy of
/// the embedded demo jar (with its own config and data folders, so the demo
/// never touches the user's records).
fn demo_or_jar(
    jar: Option<PathBuf>,
    policy: Option<PathBuf>,
    site: Option<String>,
    no_mouse: bool,
    open: OpenOptions,
) -> Result<ExitCode> {
    if jar.as_deref().is_some_and(dash::is_dash) {
        bail!(
            "-: the interactive view saves to its jar, so it needs a file; \
             read standard input with `crumbs list -` or `crumbs prune - --output -`"
        );
    }
    if !crumbs::tui::has_terminal() {
        let what = jar
            .as_ref()
            .map_or("crumbs".to_string(), |j| format!("crumbs {}", j.display()));
        let j = jar
            .as_ref()
            .map_or("JAR".to_string(), |j| j.display().to_string());
        eprintln!(
            "crumbs: `{what}` opens the interactive view, which needs a terminal.\n\
             Without one, use `crumbs list {j}` to see the jar, or \
             `crumbs prune {j} --reject-all` (or --accept-all, --allow, --deny) to apply a choice."
        );
        return Ok(ExitCode::from(2));
    }
    now()?; // a bad CRUMBS_NOW is reported before the screen is taken
    let clock = || now().unwrap_or_else(|_| OffsetDateTime::now_utc());
    let demo_dir;
    let (path, dirs, demo) = match jar {
        Some(p) => (p, dirs()?, false),
        None => {
            demo_dir = tempfile::Builder::new()
                .prefix("crumbs-demo-")
                .tempdir()
                .context("cannot create a temporary folder for the demo jar")?;
            // Dropping the folder removes it on a normal end; a SIGTERM or
            // SIGHUP (the terminal closed) removes it too.
            crumbs::tui::terminal::remove_on_signal(demo_dir.path().to_path_buf())
                .context("cannot watch for SIGTERM and SIGHUP")?;
            let p = demo_dir.path().join("cookies.txt");
            std::fs::write(&p, DEMO_JAR)
                .with_context(|| format!("cannot write the demo jar to {}", p.display()))?;
            let d = Dirs {
                config: demo_dir.path().join("config"),
                data: demo_dir.path().join("data"),
            };
            (p, d, true)
        }
    };
    let opts = crumbs::tui::app::Options {
        demo,
        mouse: !no_mouse,
        color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    // Only a plain file's size means anything on the loading screen (a
    // profile folder's is not the jar's).
    let bytes = std::fs::metadata(&path)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
    let label = path.display().to_string();
    // Opening and classifying a big jar takes seconds: the TUI runs this on
    // another thread and keeps reading keys meanwhile.
    let load = {
        let path = path.clone();
        move || -> Result<Session> {
            let jar = open_jar(&path, open.lenient, open.allow_remote)?;
            let catalog = Catalog::find(policy.as_deref(), Some(&dirs))?;
            // Several scopes: the first opens; the site picker offers the others.
            Session::open(jar, catalog, Selection::from_flag(site.as_deref()), dirs)
                .with_context(|| format!("{}", path.display()))
        }
    };
    match crumbs::tui::run_loading(load, label, bytes, opts, &clock) {
        Ok(()) => {}
        Err(crumbs::tui::LoadingError::Load(e)) => return Err(e),
        Err(crumbs::tui::LoadingError::Tui(e)) => {
            return Err(anyhow::Error::new(e).context(format!("{}", path.display())));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The user's config and data folders.
fn dirs() -> Result<Dirs> {
    Dirs::from_env().context("cannot find a home directory for crumbs' config and data folders")
}

/// Now, or `CRUMBS_NOW` (Unix seconds) so tests can pin the clock.
fn now() -> Result<OffsetDateTime> {
    match std::env::var("CRUMBS_NOW") {
        Ok(s) => {
            let secs: i64 = s
                .parse()
                .with_context(|| format!("CRUMBS_NOW must be Unix seconds, found {s:?}"))?;
            OffsetDateTime::from_unix_timestamp(secs).context("CRUMBS_NOW out of range")
        }
        Err(_) => Ok(OffsetDateTime::now_utc()),
    }
}

/// Opens the jar for a command-line face, telling stderr how the path was
/// resolved when that is not what the user would assume.
fn open_jar_noted(path: &Path, lenient: bool, allow_remote: bool) -> Result<Jar> {
    let jar = open_jar(path, lenient, allow_remote)?;
    if let Some(note) = &jar.note {
        eprintln!("crumbs: note: {note}");
    }
    Ok(jar)
}

fn open_jar(path: &Path, lenient: bool, allow_remote: bool) -> Result<Jar> {
    let opts = OpenOptions {
        lenient,
        allow_remote,
    };
    if path == Path::new("demo:cookies.txt") {
        return Ok(Jar::from_bytes(path, DEMO_JAR.as_bytes().to_vec(), opts)?);
    }
    if dash::is_dash(path) {
        return Ok(Jar::from_bytes(path, dash::read_stdin("the jar")?, opts)?);
    }
    Ok(Jar::open(path, opts)?)
}

/// Opens the jar and resolves its scopes against the policies (`--policy`,
/// else the user's, then the shipped ones).
fn open_scopes(a: &JarArgs) -> Result<Scoped> {
    let jar = open_jar_noted(&a.jar, a.lenient, a.allow_remote)?;
    let dirs = dirs()?;
    let catalog = Catalog::find_with_known(a.policy.as_deref(), a.known.as_deref(), Some(&dirs))?;
    let scopes = scopes::resolve(
        jar.cookies(),
        &catalog,
        Selection::from_flag(a.site.as_deref()),
    )
    .with_context(|| format!("{}", a.jar.display()))?;
    Ok(Scoped {
        jar,
        scopes,
        catalog,
        dirs,
    })
}

/// Runs `f` on a session of each site of the jar in turn (`--site`: that one),
/// with the site's number and how many there are.
fn each_session(
    a: &JarArgs,
    mut f: impl FnMut(&Session, usize, usize) -> Result<()>,
) -> Result<()> {
    let Scoped {
        mut jar,
        scopes,
        catalog,
        dirs,
    } = open_scopes(a)?;
    let count = scopes.len();
    for (i, scope) in scopes.into_iter().enumerate() {
        let s = Session::new(jar, scope, catalog.clone(), dirs.clone())
            .with_context(|| format!("{}", a.jar.display()))?;
        f(&s, i, count)?;
        jar = s.into_jar();
    }
    Ok(())
}
