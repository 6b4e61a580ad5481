//! The manners of a command-line tool: a closed pipe ends quietly, a
//! mistyped subcommand gets a suggestion, `-` means standard input or
//! output, reports fit the terminal.

mod common;

use std::fmt::Write as _;
use std::io::Read as _;
use std::process::Stdio;

use common::{NOW, Sandbox};

/// The binary in the sandbox, as a std command (to hold its pipes).
fn crumbs(s: &Sandbox) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_crumbs"));
    c.env("XDG_CONFIG_HOME", s.config())
        .env("XDG_DATA_HOME", s.data())
        .env("CRUMBS_NOW", NOW.to_string())
        .env_remove("NO_COLOR")
        .current_dir(s.dir.path());
    c
}

/// A cookies.txt of `n` undeclared cookies of the shipped policy's site:
/// its report and its problems are far over a pipe's buffer.
fn big_jar(s: &Sandbox, n: usize) -> std::path::PathBuf {
    let mut text = String::from("# Netscape HTTP Cookie File\n");
    for i in 0..n {
        let _ = writeln!(
            text,
            "robertleaf.my.opendatasoft.com\tFALSE\t/\tFALSE\t0\tc{i}\tSECRETVALUE"
        );
    }
    let p = s.path("big.txt");
    std::fs::write(&p, text).expect("write jar");
    p
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let s = Sandbox::new();
    let jar = big_jar(&s, 20_000);
    for args in [
        &["list"][..],
        &["list", "--json"],
        &["check"],
        &["check", "--json"],
    ] {
        let mut child = crumbs(&s)
            .args(args)
            .arg(&jar)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("runs");
        // Like `head -c 100`: read a little, then close the pipe.
        let mut head = [0u8; 100];
        child
            .stdout
            .take()
            .expect("stdout")
            .read_exact(&mut head)
            .expect("some output");
        let out = child.wait_with_output().expect("ends");
        assert_eq!(
            (
                out.status.code(),
                String::from_utf8_lossy(&out.stderr).as_ref()
            ),
            (Some(0), ""),
            "crumbs {args:?} | head: no message, exit 0"
        );
    }
}

#[test]
fn a_mistyped_subcommand_gets_a_suggestion() {
    let s = Sandbox::new();
    std::fs::write(s.path("cookies.txt"), "# Netscape HTTP Cookie File\n").expect("jar");
    for (args, typo, meant) in [
        (&["lsit", "cookies.txt"][..], "lsit", "list"),
        (&["lsit"], "lsit", "list"),
        (
            &["--site", "a.example", "chek", "cookies.txt"],
            "chek",
            "check",
        ),
        (&["prun", "cookies.txt", "--reject-all"], "prun", "prune"),
    ] {
        let out = s.crumbs().args(args).output().expect("runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(&format!("unrecognized subcommand '{typo}'"))
                && err.contains(&format!("a similar subcommand exists: '{meant}'")),
            "{args:?}: {err}"
        );
    }
    // A word far from every subcommand is still a jar (here: one that is missing).
    let out = s.crumbs().arg("nosuch.txt").output().expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("subcommand"), "{err}");
    assert!(err.contains("crumbs nosuch.txt"), "{err}");
}

const CURL: &str = "tests/fixtures/curl.cookies.txt";

#[test]
fn dash_reads_a_jar_from_standard_input() {
    let s = Sandbox::new();
    let jar = common::repo(CURL);
    let from_file = common::stdout(&s.crumbs().arg("list").arg(&jar).assert().success());
    let from_stdin = common::stdout(
        &s.crumbs()
            .args(["list", "-"])
            .pipe_stdin(&jar)
            .expect("stdin")
            .assert()
            .success(),
    );
    // Each scope's report names the jar `-`; the rest is the same report.
    assert!(
        from_stdin.contains("\njar:     - (netscape, 23 cookies)\n"),
        "{from_stdin}"
    );
    assert_eq!(
        from_stdin,
        from_file.replace(&jar.display().to_string(), "-")
    );
    let check = s
        .crumbs()
        .args(["check", "--json", "-"])
        .pipe_stdin(&jar)
        .expect("stdin")
        .assert()
        .code(1);
    let v = common::json_of(&check.get_output().stdout);
    assert_eq!(v["jar"]["path"], "-");
    assert_eq!(v["jar"]["format"], "netscape");
}

#[test]
fn prune_dash_output_dash_is_a_filter() {
    let s = Sandbox::new();
    let jar = common::repo(CURL);
    let a = s
        .crumbs()
        .args(["prune", "-", "--reject-all", "--output", "-"])
        .pipe_stdin(&jar)
        .expect("stdin")
        .assert()
        .success();
    let out = a.get_output();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("wrote standard output: removed 15 cookies"),
        "{err}"
    );
    assert!(!s.path("-").exists(), "no file named -");
    // Standard output is the pruned jar, in the jar's own format.
    let pruned = String::from_utf8_lossy(&out.stdout);
    assert!(
        pruned.starts_with("# Netscape HTTP Cookie File"),
        "{pruned}"
    );
    assert!(
        pruned.contains("\tsessionid\t") && !pruned.contains("\t_ga\t"),
        "{pruned}"
    );
    let relisted = common::stdout(
        &s.crumbs()
            .args(["list", "-"])
            .write_stdin(out.stdout.clone())
            .assert()
            .success(),
    );
    assert!(
        relisted.contains("summary: 8 cookies, keep 8, remove 0"),
        "{relisted}"
    );
}

#[test]
fn output_dash_is_standard_output() {
    let s = Sandbox::new();
    let jar = s.copy(CURL);
    let before = std::fs::read(&jar).expect("jar");
    let a = s
        .crumbs()
        .args(["prune", "--reject-all", "--output", "-"])
        .arg(&jar)
        .assert()
        .success();
    assert!(!s.path("-").exists(), "no file named -");
    assert_eq!(std::fs::read(&jar).expect("jar"), before, "JAR left alone");
    let pruned = String::from_utf8_lossy(&a.get_output().stdout);
    assert!(
        pruned.contains("\tsessionid\t") && !pruned.contains("\t_ga\t"),
        "{pruned}"
    );
    let page = common::repo("tests/data/pages/fr.md");
    let a = s
        .crumbs()
        .args(["policy", "import", "--output", "-"])
        .arg(&page)
        .assert()
        .success();
    assert!(!s.path("-").exists(), "no file named -");
    let v = common::json_of(&a.get_output().stdout);
    assert!(
        v["cookies"].as_array().is_some_and(|c| !c.is_empty()),
        "{v}"
    );
}

#[test]
fn dash_where_it_cannot_work_is_refused_plainly() {
    let s = Sandbox::new();
    let jar = common::repo(CURL);
    for (args, says) in [
        (
            &["prune", "-", "--reject-all"][..],
            "cannot be pruned in place; add --output FILE",
        ),
        (
            &["prune", "-", "--reject-all", "--output", "-", "--json"],
            "--output - and --json both write to standard output",
        ),
        (&["undo", "-"], "standard input has none"),
        (&["-"], "the interactive view saves to its jar"),
    ] {
        let a = s
            .crumbs()
            .args(args)
            .pipe_stdin(&jar)
            .expect("stdin")
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&a.get_output().stderr);
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(!s.path("-").exists(), "no file named -");
    }
}

fn tmux(socket: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new("tmux")
        .args(["-u", "-L", socket, "-f", "/dev/null"])
        .args(args)
        .env_remove("TMUX")
        .output()
        .expect("tmux runs (is it installed? .ci/run installs it)")
}

/// `crumbs ARGS` in an 80-column tmux pane: the screen once it ends, as
/// text and with its colour escapes.
fn on_terminal(s: &Sandbox, args: &str, env: &str) -> (String, String) {
    let socket = format!(
        "crumbs-cliux-{}-{}",
        std::process::id(),
        args.len() + env.len()
    );
    let script = format!(
        "{env} XDG_CONFIG_HOME={} XDG_DATA_HOME={} CRUMBS_NOW={NOW} {} {args}; echo exit=$?; sleep 60",
        s.config().display(),
        s.data().display(),
        env!("CARGO_BIN_EXE_crumbs"),
    );
    let out = tmux(
        &socket,
        &[
            "new-session",
            "-d",
            "-s",
            "p",
            "-x",
            "80",
            "-y",
            "60",
            "sh",
            "-c",
            &script,
        ],
    );
    assert!(
        out.status.success(),
        "tmux: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let capture = |extra: &[&str]| {
        let mut a = vec!["capture-pane", "-p", "-t", "p"];
        a.extend_from_slice(extra);
        String::from_utf8_lossy(&tmux(&socket, &a).stdout).into_owned()
    };
    let start = std::time::Instant::now();
    let mut screen = capture(&[]);
    while !screen.contains("exit=") && start.elapsed() < std::time::Duration::from_secs(30) {
        std::thread::sleep(std::time::Duration::from_millis(50));
        screen = capture(&[]);
    }
    let coloured = capture(&["-e"]);
    tmux(&socket, &["kill-server"]);
    (screen, coloured)
}

#[test]
fn list_fits_an_80_column_terminal_and_colours_the_action() {
    let s = Sandbox::new();
    let (screen, coloured) = on_terminal(
        &s,
        "list --site robertleaf.my.opendatasoft.com demo:cookies.txt",
        "",
    );
    assert!(screen.contains("exit=0"), "{screen}");
    for line in screen.lines() {
        assert!(
            unicode_width::UnicodeWidthStr::width(line) < 80,
            "a line fills the width (the terminal wraps it): {line:?}\n{screen}"
        );
    }
    // Rows stay one line each, with the action word and the undeclared mark.
    assert!(screen.contains("  remove  ods_theme "), "{screen}");
    assert!(
        screen
            .lines()
            .filter(|l| l.starts_with("  remove  "))
            .all(|l| l.contains(" (undeclared)")),
        "{screen}"
    );
    assert!(
        screen.contains("\n          Opendatasoft · Choices related to your"),
        "{screen}"
    );
    assert!(
        coloured.contains("\x1b[31mremove"),
        "remove in red:\n{coloured}"
    );
    assert!(
        coloured.contains("\x1b[32mkeep"),
        "keep in green:\n{coloured}"
    );
    let (_, plain) = on_terminal(
        &s,
        "list --site robertleaf.my.opendatasoft.com demo:cookies.txt",
        "NO_COLOR=1",
    );
    assert!(
        !plain.contains("\x1b[31m") && plain.contains("  remove  ods_theme "),
        "{plain}"
    );
    let (check, coloured) = on_terminal(&s, "check demo:cookies.txt", "");
    assert!(check.contains("exit=1"), "{check}");
    assert!(
        check
            .lines()
            .all(|l| unicode_width::UnicodeWidthStr::width(l) < 80),
        "{check}"
    );
    assert!(
        check.contains("\n    not declared by the policy") || check.contains("\n    "),
        "{check}"
    );
    assert!(coloured.contains("\x1b[33m[undeclared]"), "{coloured}");
}

#[test]
fn piped_list_keeps_full_rows_and_counts_in_words() {
    let s = Sandbox::new();
    let out = common::stdout(
        &s.crumbs()
            .args(["list", "demo:cookies.txt"])
            .assert()
            .success(),
    );
    assert!(!out.contains('\x1b'), "no colour when piped");
    assert!(
        out.contains(
            "  remove  bo_panel                 robertleaf.my.opendatasoft.com     /backoffice/ 2038-01-01 secure,httponly  (undeclared)  ! lifetime\n"
        ),
        "{out}"
    );
    assert!(out.contains("Opendatasoft · Choices related to your cookie preferences · To remember the visitor's cookie preferences\n"), "{out}");
    // Singular and plural: a jar of one cookie, a category of none.
    std::fs::write(
        s.path("one.txt"),
        "robertleaf.my.opendatasoft.com\tFALSE\t/\tTRUE\t0\tsessionid\tx\n",
    )
    .expect("jar");
    let out = common::stdout(&s.crumbs().args(["list", "one.txt"]).assert().success());
    assert!(out.contains("(netscape, 1 cookie)"), "{out}");
    assert!(out.contains("[required]: 1 cookie (keep 1"), "{out}");
    assert!(out.contains("Statistical: 0 cookies"), "{out}");
    assert!(out.contains("summary: 1 cookie, keep 1, remove 0"), "{out}");
    std::fs::write(
        s.path("one-bad.txt"),
        "robertleaf.my.opendatasoft.com\tFALSE\t/\tTRUE\t0\tods_theme\tx\n",
    )
    .expect("jar");
    let a = s.crumbs().args(["check", "one-bad.txt"]).assert().code(1);
    let out = common::stdout(&a);
    assert!(
        out.contains("[not-consented] 1 cookie is in the jar that the consent in force does not allow (crumbs prune removes it)"),
        "{out}"
    );
}

#[test]
fn completions_for_each_shell_name_every_subcommand() {
    let s = Sandbox::new();
    for (shell, marker) in [
        ("bash", "_crumbs()"),
        ("zsh", "#compdef crumbs"),
        ("fish", "complete -c crumbs"),
    ] {
        let out = crumbs(&s)
            .args(["completions", shell])
            .output()
            .expect("runs");
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8(out.stdout).expect("utf-8");
        assert!(text.contains(marker), "{shell}: {marker}");
        for sub in ["list", "check", "prune", "convert", "undo", "consent"] {
            assert!(text.contains(sub), "{shell} completes {sub}");
        }
    }
    let bad = crumbs(&s)
        .args(["completions", "tcsh"])
        .output()
        .expect("runs");
    assert_eq!(
        bad.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
}

#[test]
fn man_prints_the_page_and_writes_one_per_subcommand() {
    let s = Sandbox::new();
    let out = crumbs(&s).arg("man").output().expect("runs");
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).expect("utf-8");
    let title = page.lines().find(|l| l.starts_with(".TH")).expect("title");
    assert_eq!(
        title,
        format!(".TH crumbs 1  \"crumbs {}\" ", env!("CARGO_PKG_VERSION"))
    );
    assert!(page.contains(".SH SUBCOMMANDS") && page.contains("crumbs\\-prune(1)"));

    let dir = s.path("man");
    std::fs::create_dir(&dir).expect("mkdir");
    let out = crumbs(&s)
        .args(["man", "--dir"])
        .arg(&dir)
        .output()
        .expect("runs");
    assert!(out.status.success());
    let prune = std::fs::read_to_string(dir.join("crumbs-prune.1")).expect("crumbs-prune.1");
    assert!(
        prune.contains("\\-\\-reject\\-all"),
        "the page lists prune's flags"
    );
    assert!(dir.join("crumbs.1").exists() && dir.join("crumbs-consent-set.1").exists());
}

#[test]
fn json_help_says_it_is_json_lines() {
    let s = Sandbox::new();
    for cmd in ["list", "check", "prune"] {
        let out = crumbs(&s).args([cmd, "--help"]).output().expect("runs");
        let text = String::from_utf8(out.stdout).expect("utf-8");
        assert!(
            text.contains("JSON Lines") && text.contains("jq -s"),
            "{cmd}: {text}"
        );
    }
}

#[test]
fn consent_set_for_an_uncovered_site_uses_the_catalog_and_never_speaks_of_a_jar() {
    let s = Sandbox::new();
    // No policy covers example.com: the known-cookie catalog's categories govern it.
    let bad = crumbs(&s)
        .args(["consent", "set", "--site", "example.com", "--deny", "ads"])
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8(bad.stderr).expect("utf-8");
    assert!(err.contains("`ads`") && err.contains("marketing"), "{err}");
    assert!(!err.contains("jar"), "there is no jar: {err}");
    assert!(!s.config().join("crumbs").exists(), "nothing written");

    let ok = crumbs(&s)
        .args(["consent", "set", "--site", "example.com", "--reject-all"])
        .output()
        .expect("runs");
    assert!(ok.status.success());
    let text = String::from_utf8(ok.stdout).expect("utf-8");
    assert!(
        text.contains("analytics=no") && text.contains("marketing=no"),
        "{text}"
    );
    assert!(s.config().join("crumbs/consent/example.com.json").exists());
}
