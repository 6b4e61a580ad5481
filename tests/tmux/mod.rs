//! A private tmux server running a command at a fixed size: keys typed with
//! `send-keys`, the screen read with `capture-pane`. tmux is installed by
//! `.ci/run`.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The pinned clock every run gets.
pub const NOW: &str = "1795000000";
/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_crumbs");
/// How long a screen may take to show what a test waits for.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// A private tmux server running crumbs in one session.
pub struct Tmux {
    socket: String,
}

impl Tmux {
    /// Starts `crumbs args…` on a `w`×`h` terminal with `env` set.
    pub fn start(args: &[&str], w: u16, h: u16, env: &[(&str, &Path)]) -> Tmux {
        let mut argv = vec![BIN];
        argv.extend_from_slice(args);
        Tmux::start_argv(&argv, w, h, env)
    }

    /// Starts the program `argv` on a `w`×`h` terminal with `env` set.
    pub fn start_argv(argv: &[&str], w: u16, h: u16, env: &[(&str, &Path)]) -> Tmux {
        static N: AtomicUsize = AtomicUsize::new(0);
        let socket = format!(
            "crumbs-e2e-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        );
        let t = Tmux { socket };
        let mut cmd = vec![
            "new-session".to_string(),
            "-d".into(),
            "-s".into(),
            "e2e".into(),
            "-x".into(),
            w.to_string(),
            "-y".into(),
            h.to_string(),
            "-e".into(),
            format!("CRUMBS_NOW={NOW}"),
            "-e".into(),
            "LANG=C.UTF-8".into(),
        ];
        for (k, v) in env {
            cmd.push("-e".into());
            cmd.push(format!("{k}={}", v.display()));
        }
        cmd.extend(argv.iter().map(|a| a.to_string()));
        let out = t.tmux(&cmd.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(
            out.status.success(),
            "tmux new-session failed (is tmux installed? .ci/run installs it): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        t
    }

    pub fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-u", "-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .env("LANG", "C.UTF-8")
            .env_remove("TMUX")
            .output()
            .expect("tmux runs (is it installed? .ci/run installs it)")
    }

    /// The screen as text.
    pub fn screen(&self) -> String {
        let out = self.tmux(&["capture-pane", "-p", "-t", "e2e"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the screen satisfies `ok`; panics with the screen at the deadline.
    pub fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            if start.elapsed() > DEADLINE {
                panic!("timed out waiting for {what}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the screen shows `text`.
    pub fn wait_text(&self, text: &str) -> String {
        self.wait_for(text, |s| s.contains(text))
    }

    /// Types keys (tmux key names), one at a time.
    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            let out = self.tmux(&["send-keys", "-t", "e2e", k]);
            assert!(out.status.success(), "send-keys {k}");
        }
    }

    /// Sends Escape on its own and waits for the screen to change, so the next
    /// key is not read as Alt+key.
    pub fn escape(&self) {
        let before = self.screen();
        self.keys(&["Escape"]);
        self.wait_for("the screen to change after Escape", |s| s != before);
    }

    /// A pane flag (`alternate_on`, `mouse_any_flag`, …): true when set.
    pub fn flag(&self, name: &str) -> bool {
        let out = self.tmux(&[
            "display-message",
            "-p",
            "-t",
            "e2e",
            &format!("#{{{name}}}"),
        ]);
        String::from_utf8_lossy(&out.stdout).trim() == "1"
    }

    /// Waits until crumbs has exited (the session, and so the server, is gone).
    pub fn wait_exit(&self) {
        let start = Instant::now();
        while self.tmux(&["has-session", "-t", "e2e"]).status.success() {
            if start.elapsed() > DEADLINE {
                panic!("crumbs did not exit; screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}
