//! The progress note on stderr: shown on a terminal while the work lasts,
//! erased at the end, never written when stderr is not a terminal.

mod common;

use std::fmt::Write as _;
use std::process::Command;
use std::time::{Duration, Instant};

use common::Sandbox;

const BIN: &str = env!("CARGO_BIN_EXE_crumbs");

/// A cookies.txt big enough that checking it takes a while in a test build.
fn big_jar(s: &Sandbox, n: usize) -> std::path::PathBuf {
    let mut text = String::from("# Netscape HTTP Cookie File\n");
    for i in 0..n {
        let domain = match i % 50 {
            0 => "robertleaf.my.opendatasoft.com",
            _ => "site.example.com",
        };
        let _ = writeln!(text, "{domain}\tFALSE\t/\tFALSE\t0\tc{i}\tSECRETVALUE");
    }
    let p = s.path("big.txt");
    std::fs::write(&p, text).expect("write jar");
    p
}

fn tmux(socket: &str, args: &[&str]) -> std::process::Output {
    Command::new("tmux")
        .args(["-u", "-L", socket, "-f", "/dev/null"])
        .args(args)
        .env_remove("TMUX")
        .output()
        .expect("tmux runs (is it installed? .ci/run installs it)")
}

#[test]
fn note_shows_on_a_terminal_and_is_erased() {
    let s = Sandbox::new();
    let jar = big_jar(&s, 1_000_000);
    // The size as the loading screen writes it too: one formatter for both faces.
    let size = format!(
        "big.txt ({})",
        crumbs::human::size(std::fs::metadata(&jar).expect("jar").len())
    );
    let socket = format!("crumbs-progress-{}", std::process::id());
    let script = format!(
        "CRUMBS_PROGRESS_AFTER_MS=0 XDG_CONFIG_HOME={} XDG_DATA_HOME={} {BIN} check {} >/dev/null; \
         echo \"exit=$?\"; sleep 60",
        s.config().display(),
        s.data().display(),
        jar.display()
    );
    let out = tmux(
        &socket,
        &[
            "new-session",
            "-d",
            "-s",
            "p",
            "-x",
            "120",
            "-y",
            "10",
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
    let screen = || {
        String::from_utf8_lossy(&tmux(&socket, &["capture-pane", "-p", "-t", "p"]).stdout)
            .into_owned()
    };
    let start = Instant::now();
    let (mut seen_note, mut last) = (false, String::new());
    while start.elapsed() < Duration::from_secs(60) {
        last = screen();
        seen_note |= last.contains("crumbs: checking") && last.contains(&size);
        if last.contains("exit=") {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    tmux(&socket, &["kill-server"]);
    assert!(seen_note, "the note never showed; last screen:\n{last}");
    assert!(
        last.contains("exit=1"),
        "check should end with problems (exit 1):\n{last}"
    );
    assert!(
        !last.contains("crumbs: checking"),
        "the note was left on screen:\n{last}"
    );
    assert!(!last.contains("SECRETVALUE"));
}

#[test]
fn no_note_when_stderr_is_not_a_terminal() {
    let s = Sandbox::new();
    let jar = big_jar(&s, 20_000);
    let out = s
        .crumbs()
        .env("CRUMBS_PROGRESS_AFTER_MS", "0")
        .args(["check", "--json"])
        .arg(&jar)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}
