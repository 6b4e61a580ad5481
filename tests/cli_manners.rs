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
