//! End to end: the real binary in a private tmux server (fixed size), keys
//! typed with `send-keys`, the screen read with `capture-pane`, then the jar
//! on disk checked. tmux is installed by `.ci/run`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crumbs::consent::value::ConsentValue;

mod tmux;
use tmux::{BIN, DEADLINE, NOW, Tmux};

/// 2026-11-18T00:00:00Z: the fixture's cookies are all valid then.
const FIXTURE: &str = "tests/fixtures/curl.cookies.txt";

/// A temp folder with its own XDG dirs and a copy of the fixture jar.
struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::copy(FIXTURE, dir.path().join("cookies.txt")).expect("copy fixture");
        Sandbox { dir }
    }

    fn jar(&self) -> PathBuf {
        self.dir.path().join("cookies.txt")
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn open(&self, extra: &[&str], w: u16, h: u16) -> Tmux {
        let jar = self.jar();
        let jar = jar.to_str().expect("utf-8 temp path");
        let mut args = vec![jar];
        args.extend_from_slice(extra);
        let t = Tmux::start(
            &args,
            w,
            h,
            &[
                ("XDG_CONFIG_HOME", &self.config()),
                ("XDG_DATA_HOME", &self.data()),
            ],
        );
        t.wait_text("Categories");
        t
    }
}

/// The jar's lines with the preferences cookie's value set apart.
fn split_preferences(text: &str) -> (Vec<String>, Option<ConsentValue>) {
    let mut value = None;
    let lines = text
        .split_inclusive('\n')
        .map(|l| {
            let fields: Vec<&str> = l.trim_end_matches(['\r', '\n']).split('\t').collect();
            if fields.len() == 7 && fields[5] == "cookies_preferences" {
                value = Some(ConsentValue::decode(fields[6]).expect("crumbs' value decodes"));
                format!("{}\t<value>\n", fields[..6].join("\t"))
            } else {
                l.to_string()
            }
        })
        .collect();
    (lines, value)
}

#[test]
fn reject_all_save_quit_writes_what_prune_reject_all_writes() {
    let tui = Sandbox::new();
    let t = tui.open(&[], 120, 40);
    t.keys(&["r"]);
    t.wait_text("All optional categories refused");
    t.keys(&["s"]);
    let s = t.wait_text("Refused: Statistical, Internal (first-party), Third-party");
    assert!(
        s.contains("Remove 15 cookies (Internal (first-party) 15)"),
        "{s}"
    );
    t.keys(&["y"]);
    t.wait_text("Saved");
    t.keys(&["q"]);
    t.wait_exit();

    let prune = Sandbox::new();
    let out = Command::new(BIN)
        .args(["prune", "--reject-all"])
        .arg(prune.jar())
        .env("CRUMBS_NOW", NOW)
        .env("XDG_CONFIG_HOME", prune.config())
        .env("XDG_DATA_HOME", prune.data())
        .output()
        .expect("crumbs prune runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let a = std::fs::read_to_string(tui.jar()).expect("tui jar");
    let b = std::fs::read_to_string(prune.jar()).expect("pruned jar");
    let original = std::fs::read_to_string(FIXTURE).expect("fixture");
    assert_ne!(a, original, "the TUI saved something");
    let (lines_a, value_a) = split_preferences(&a);
    let (lines_b, value_b) = split_preferences(&b);
    assert_eq!(lines_a, lines_b, "same jar apart from the consent value");
    let mut value_a = value_a.expect("the TUI wrote a consent value");
    let value_b = value_b.expect("prune wrote a consent value");
    assert_ne!(value_a.id, value_b.id, "each choice has its own id");
    value_a.id = value_b.id.clone();
    assert_eq!(value_a, value_b, "same consent, dates included");
    // Both stored the choice and logged it.
    for sb in [&tui, &prune] {
        assert!(sb.data().join("crumbs/consent-log.jsonl").exists());
        assert!(sb.config().join("crumbs/consent").is_dir());
    }
}

#[test]
fn quit_and_discard_leaves_the_jar_byte_identical() {
    let sb = Sandbox::new();
    let before = std::fs::read(sb.jar()).expect("jar");
    let t = sb.open(&[], 100, 30);
    t.keys(&["a"]);
    t.wait_text("* unsaved");
    t.keys(&["q"]);
    t.wait_text("Unsaved choices");
    t.keys(&["d"]);
    t.wait_exit();
    assert_eq!(std::fs::read(sb.jar()).expect("jar"), before);
    assert!(!sb.data().exists(), "no backup, no log: nothing saved");
    assert!(!sb.config().exists(), "no record: nothing saved");
}

#[test]
fn esc_backs_out_of_the_filter_and_cancel_keeps_the_choices() {
    let sb = Sandbox::new();
    let before = std::fs::read(sb.jar()).expect("jar");
    let t = sb.open(&["--no-mouse"], 100, 30);
    t.keys(&["/", "_", "g", "a"]);
    t.wait_text("filter \"_ga\"");
    // q is text while typing a filter.
    t.keys(&["q"]);
    t.wait_text("/_gaq");
    t.escape();
    t.wait_for("the filter to be cancelled", |s| !s.contains("filter \""));
    t.keys(&["a", "q"]);
    t.wait_text("Unsaved choices");
    t.keys(&["c"]);
    t.wait_for("the question to close", |s| !s.contains("Unsaved choices"));
    assert!(t.screen().contains("* unsaved"));
    t.keys(&["C-c"]);
    t.wait_exit();
    assert_eq!(std::fs::read(sb.jar()).expect("jar"), before);
}

#[test]
fn resize_to_60x15_and_back_still_shows_the_categories() {
    let sb = Sandbox::new();
    let t = sb.open(&[], 120, 40);
    t.wait_text("Details");
    let resize = |w: &str, h: &str| {
        let out = t.tmux(&["resize-window", "-t", "e2e", "-x", w, "-y", h]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    resize("60", "15");
    let small = t.wait_for("the 60×15 layout", |s| {
        s.contains("Categories") && !s.contains("Details") && s.lines().count() <= 15
    });
    assert!(small.contains("[x] Necessary"), "{small}");
    assert!(small.lines().all(|l| l.chars().count() <= 60), "{small}");
    resize("120", "40");
    let big = t.wait_for("the 120×40 layout", |s| {
        s.contains("Categories") && s.contains("Details")
    });
    assert!(big.contains("[x] Necessary / functio"), "{big}");
    t.keys(&["q"]);
    t.wait_exit();
}

#[test]
fn the_demo_opens_a_temporary_copy() {
    let home = tempfile::tempdir().expect("temp dir");
    let t = Tmux::start(
        &[],
        100,
        30,
        &[
            ("XDG_CONFIG_HOME", &home.path().join("config")),
            ("XDG_DATA_HOME", &home.path().join("data")),
        ],
    );
    let s = t.wait_text("demo: a temporary copy");
    assert!(s.contains("crumbs-demo-"), "{s}");
    t.keys(&["r", "s"]);
    t.wait_text("Granted: Necessary");
    t.keys(&["y"]);
    t.wait_text("Saved");
    t.keys(&["q"]);
    t.wait_exit();
    // The demo keeps its records in its temporary folder, not the user's.
    assert!(!home.path().join("config").exists());
    assert!(!home.path().join("data").exists());
}

/// The guard takes the alternate screen and the mouse, and gives both back on
/// quit, whether by q or Ctrl-C; `--no-mouse` leaves the mouse alone.
#[test]
fn the_terminal_is_restored_on_quit() {
    let sb = Sandbox::new();
    let jar = sb.jar();
    let jar = jar.to_str().expect("utf-8 temp path");
    for (extra, key, mouse) in [("", "q", true), ("--no-mouse", "C-c", false)] {
        let script = r#""$0" "$1" $2; echo "crumbs exited: $?"; sleep 60"#;
        let t = Tmux::start_argv(
            &["sh", "-c", script, BIN, jar, extra],
            100,
            30,
            &[
                ("XDG_CONFIG_HOME", &sb.config()),
                ("XDG_DATA_HOME", &sb.data()),
            ],
        );
        t.wait_text("Categories");
        assert!(t.flag("alternate_on"), "alternate screen while running");
        assert_eq!(
            t.flag("mouse_any_flag") || t.flag("mouse_button_flag"),
            mouse
        );
        t.keys(&[key]);
        t.wait_text("crumbs exited: 0");
        assert!(!t.flag("alternate_on"), "main screen after quitting");
        assert!(
            !t.flag("mouse_any_flag")
                && !t.flag("mouse_button_flag")
                && !t.flag("mouse_standard_flag")
        );
    }
}

// ----- signals: SIGTERM and SIGHUP end crumbs cleanly -----

/// The process the pane runs (`#{pane_pid}`).
fn pane_pid(t: &Tmux) -> String {
    let out = t.tmux(&["display-message", "-p", "-t", "e2e", "#{pane_pid}"]);
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The first child of process `pid`.
fn child_of(pid: &str) -> String {
    let children = std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children"))
        .expect("the pane's shell is running");
    children
        .split_whitespace()
        .next()
        .expect("the shell runs crumbs")
        .to_string()
}

/// The demo's temporary folders left in `tmp`.
fn demo_copies(tmp: &Path) -> Vec<String> {
    std::fs::read_dir(tmp)
        .expect("read TMPDIR")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("crumbs-demo-"))
        .collect()
}

/// `kill -TERM` with an unsaved choice: the choice is lost as with Ctrl-C,
/// the terminal comes back whole (main screen, no mouse reporting, cursor
/// shown, echo and line editing on) and the demo's temporary copy is gone.
#[test]
fn sigterm_restores_the_terminal_and_removes_the_demo_copy() {
    let home = tempfile::tempdir().expect("temp dir");
    let tmp = home.path().join("tmp");
    std::fs::create_dir(&tmp).expect("TMPDIR");
    let script = r#""$0"; echo "crumbs exited: $?"; stty -a; sleep 60"#;
    let t = Tmux::start_argv(
        &["sh", "-c", script, BIN],
        100,
        30,
        &[
            ("TMPDIR", &tmp),
            ("XDG_CONFIG_HOME", &home.path().join("config")),
            ("XDG_DATA_HOME", &home.path().join("data")),
        ],
    );
    t.wait_text("demo: a temporary copy");
    t.keys(&["a"]);
    t.wait_text("* unsaved");
    assert_eq!(demo_copies(&tmp).len(), 1, "the demo copy is there");
    assert!(t.flag("alternate_on") && t.flag("mouse_any_flag") || t.flag("mouse_button_flag"));
    let crumbs = child_of(&pane_pid(&t));
    let kill = Command::new("kill")
        .args(["-TERM", &crumbs])
        .status()
        .expect("kill runs");
    assert!(kill.success());
    let s = t.wait_text("crumbs exited: ");
    assert!(s.contains("crumbs exited: 143"), "128 + SIGTERM: {s}");
    assert!(!t.flag("alternate_on"), "main screen: {s}");
    assert!(
        !t.flag("mouse_any_flag") && !t.flag("mouse_button_flag") && !t.flag("mouse_standard_flag"),
        "mouse reporting off"
    );
    assert!(t.flag("cursor_flag"), "cursor shown");
    let stty = t.wait_text("icanon");
    let words: Vec<&str> = stty.split_whitespace().collect();
    assert!(
        words.contains(&"echo") && words.contains(&"icanon"),
        "echo and line editing back on: {stty}"
    );
    assert_eq!(
        demo_copies(&tmp),
        Vec::<String>::new(),
        "the demo copy is removed"
    );
    assert!(!home.path().join("config").exists() && !home.path().join("data").exists());
}

/// Closing the terminal (SIGHUP) removes the demo's temporary copy too.
#[test]
fn closing_the_terminal_removes_the_demo_copy() {
    let home = tempfile::tempdir().expect("temp dir");
    let tmp = home.path().join("tmp");
    std::fs::create_dir(&tmp).expect("TMPDIR");
    let t = Tmux::start_argv(
        &[BIN],
        100,
        30,
        &[
            ("TMPDIR", &tmp),
            ("XDG_CONFIG_HOME", &home.path().join("config")),
            ("XDG_DATA_HOME", &home.path().join("data")),
        ],
    );
    t.wait_text("demo: a temporary copy");
    t.keys(&["a"]);
    t.wait_text("* unsaved");
    let crumbs = pane_pid(&t);
    assert_eq!(demo_copies(&tmp).len(), 1);
    let out = t.tmux(&["kill-pane", "-t", "e2e"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let start = Instant::now();
    while Path::new(&format!("/proc/{crumbs}")).exists() {
        assert!(start.elapsed() < DEADLINE, "crumbs did not end on SIGHUP");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        demo_copies(&tmp),
        Vec::<String>::new(),
        "the demo copy is removed"
    );
}

// ----- loading: a big jar loads behind a loading screen -----

/// Cookies in the big jars below: the load takes about a second in a debug
/// build (several times the 100 ms before the loading screen comes up), and
/// writing the jar a fraction of that.
const BIG: usize = 500_000;

/// Runs `crumbs args…` under `sh`, which then prints `crumbs exited: CODE`
/// and stays, so the exit code and the screen after it can be read.
fn start_wrapped(sb: &Sandbox, args: &[&str], w: u16, h: u16) -> Tmux {
    let script = r#""$0" "$@"; echo "crumbs exited: $?"; sleep 60"#;
    let mut argv = vec!["sh", "-c", script, BIN];
    argv.extend_from_slice(args);
    Tmux::start_argv(
        &argv,
        w,
        h,
        &[
            ("XDG_CONFIG_HOME", &sb.config()),
            ("XDG_DATA_HOME", &sb.data()),
        ],
    )
}

/// Writes a cookies.txt of `n` cookies in the sandbox: one in 50 on the
/// portal the shipped policy covers, the rest on other sites.
fn big_jar(sb: &Sandbox, n: usize) -> PathBuf {
    use std::io::Write;
    let path = sb.dir.path().join("big.cookies.txt");
    let file = std::fs::File::create(&path).expect("create the big jar");
    let mut out = std::io::BufWriter::new(file);
    writeln!(out, "# Netscape HTTP Cookie File\n").expect("write");
    for i in 0..n {
        if i % 50 == 0 {
            writeln!(
                out,
                "robertleaf.my.opendatasoft.com\tFALSE\t/\tFALSE\t2000000000\tc{i}\tv{i:08x}"
            )
        } else {
            writeln!(
                out,
                "site{}.example.com\tFALSE\t/\tFALSE\t2000000000\tc{i}\tv{i:08x}",
                i % 9973
            )
        }
        .expect("write");
    }
    out.flush().expect("flush the big jar");
    path
}

/// A named pipe in the sandbox. Given as `--policy`, it holds the load up
/// until the test writes a policy into it (or forever), so what happens
/// during a load does not depend on how fast the machine is. One per sandbox.
fn fifo(sb: &Sandbox) -> PathBuf {
    let path = sb.dir.path().join("policy.fifo");
    if path.exists() {
        return path;
    }
    let ok = Command::new("mkfifo")
        .arg(&path)
        .status()
        .expect("mkfifo runs")
        .success();
    assert!(ok, "mkfifo {}", path.display());
    path
}

/// Writes `text` into the pipe on another thread (opening a pipe waits for
/// its reader), so a crumbs that never reads fails the test's wait instead
/// of hanging it.
fn feed(pipe: PathBuf, text: String) {
    std::thread::spawn(move || {
        let _ = std::fs::write(pipe, text);
    });
}

/// Starts crumbs on the sandbox's jar with `--policy` a pipe nothing is
/// written to yet, so the load waits, and waits for the loading screen;
/// gives the terminal, the screen and the pipe.
fn start_held_load(sb: &Sandbox, w: u16, h: u16) -> (Tmux, String, PathBuf) {
    let pipe = fifo(sb);
    let jar = sb.jar();
    let args = [
        jar.to_str().expect("utf-8 temp path"),
        "--policy",
        pipe.to_str().expect("utf-8 temp path"),
    ];
    let t = start_wrapped(sb, &args, w, h);
    let s = wait_loading(&t, &jar);
    (t, s, pipe)
}

/// The loading screen, with the jar's path on it.
fn wait_loading(t: &Tmux, jar: &Path) -> String {
    let jar = jar.display().to_string();
    t.wait_for("the loading screen", |s| {
        s.contains("Loading…") && s.contains(&jar)
    })
}

#[test]
fn a_big_jar_shows_the_loading_screen_then_the_cookie_view() {
    let sb = Sandbox::new();
    let jar = big_jar(&sb, BIG);
    let t = start_wrapped(&sb, &[jar.to_str().expect("utf-8 temp path")], 100, 30);
    let s = wait_loading(&t, &jar);
    assert!(s.contains(" MB · "), "the size and the time so far: {s}");
    assert!(t.flag("alternate_on"), "the loading screen is the TUI's");
    let s = t.wait_text("Categories");
    assert!(s.contains("robertleaf.my.opendatasoft.com"), "{s}");
    let counter = format!("of {} to remove", crumbs::human::compact(BIG));
    assert!(s.contains(&counter), "{s}");
    t.keys(&["q"]);
    t.wait_text("crumbs exited: 0");
    assert!(!t.flag("alternate_on"), "main screen after quitting");
}

#[test]
fn q_quits_a_big_jar_while_it_loads() {
    let sb = Sandbox::new();
    // Twice as big: q must land well before the load ends, even on a busy machine.
    let jar = big_jar(&sb, 2 * BIG);
    let t = start_wrapped(&sb, &[jar.to_str().expect("utf-8 temp path")], 100, 30);
    wait_loading(&t, &jar);
    t.keys(&["q"]);
    // The cookie view never comes: q was read on the loading screen.
    let s = t.wait_for("crumbs to exit", |s| {
        assert!(!s.contains("Categories"), "the view came after q: {s}");
        s.contains("crumbs exited: ")
    });
    assert!(s.contains("crumbs exited: 0"), "{s}");
    assert!(!t.flag("alternate_on"), "main screen after quitting");
    assert!(!t.flag("mouse_any_flag") && !t.flag("mouse_button_flag"));
}

/// The load waits on a pipe nothing is written to: it cannot end, so each
/// quit key is read during the load. Other keys do nothing there.
#[test]
fn q_esc_and_ctrl_c_quit_a_load_that_never_ends() {
    let sb = Sandbox::new();
    for key in ["q", "Escape", "C-c"] {
        let (t, s, _pipe) = start_held_load(&sb, 100, 30);
        assert!(s.contains("q/Esc/Ctrl-C quit"), "{s}");
        assert!(
            t.flag("mouse_any_flag") || t.flag("mouse_button_flag"),
            "mouse captured as in the view"
        );
        let before = t.screen();
        t.keys(&["a", "Tab", "s"]);
        t.wait_for("the loading screen to tick on", |s| {
            s != before && s.contains("Loading…")
        });
        t.keys(&[key]);
        let s = t.wait_text("crumbs exited: ");
        assert!(s.contains("crumbs exited: 0"), "{key}: {s}");
        assert!(!t.flag("alternate_on"), "{key}: main screen after quitting");
        assert!(
            !t.flag("mouse_any_flag") && !t.flag("mouse_button_flag"),
            "{key}: mouse released"
        );
    }
    assert!(
        !sb.data().exists() && !sb.config().exists(),
        "nothing written"
    );
}

/// A load that ends after the loading screen came up goes on into the
/// cookie view; keys typed during the load were dropped.
#[test]
fn a_load_that_ends_late_goes_on_into_the_view() {
    let sb = Sandbox::new();
    let (t, _, pipe) = start_held_load(&sb, 100, 30);
    t.keys(&["a"]);
    let policy = std::fs::read_to_string("tests/data/policies/opendatasoft-extended.json")
        .expect("test policy");
    feed(pipe, policy);
    let s = t.wait_text("Categories");
    assert!(s.contains("robertleaf.my.opendatasoft.com"), "{s}");
    assert!(!s.contains("* unsaved"), "a typed during the load: {s}");
    t.keys(&["a"]);
    t.wait_text("* unsaved");
    t.keys(&["C-c"]);
    t.wait_text("crumbs exited: 0");
    assert!(!t.flag("alternate_on"));
}

/// A load that fails after the loading screen came up: the terminal is
/// given back, then the error printed as without the screen (exit 2).
#[test]
fn a_late_load_error_gives_the_terminal_back_then_prints() {
    let sb = Sandbox::new();
    let (t, _, pipe) = start_held_load(&sb, 200, 30);
    feed(pipe.clone(), "this is not a policy".into());
    let s = t.wait_text("crumbs exited: ");
    assert!(s.contains("crumbs exited: 2"), "{s}");
    let error = format!("crumbs: {}:1:", pipe.display());
    assert!(s.contains(&error) && s.contains("this is not JSON"), "{s}");
    assert!(!t.flag("alternate_on"), "main screen for the error");
    assert!(!t.flag("mouse_any_flag") && !t.flag("mouse_button_flag"));
}

/// A jar that fails at once is reported without taking the screen, as before
/// the loading screen existed: the pane's output never enters the alternate
/// screen.
#[test]
fn a_malformed_jar_is_reported_without_taking_the_screen() {
    let sb = Sandbox::new();
    let jar = sb.dir.path().join("bad.cookies.txt");
    std::fs::copy("tests/bad-inputs/jar-3-fields.txt", &jar).expect("copy bad jar");
    let go = sb.dir.path().join("go");
    let log = sb.dir.path().join("pane.log");
    // crumbs starts once the pane's output is being logged.
    let script = r#"while [ ! -e "$GO" ]; do sleep 0.02; done; "$0" "$1"; echo "crumbs exited: $?"; sleep 60"#;
    let t = Tmux::start_argv(
        &[
            "sh",
            "-c",
            script,
            BIN,
            jar.to_str().expect("utf-8 temp path"),
        ],
        200,
        30,
        &[
            ("XDG_CONFIG_HOME", &sb.config()),
            ("XDG_DATA_HOME", &sb.data()),
            ("GO", &go),
        ],
    );
    let pipe = t.tmux(&[
        "pipe-pane",
        "-o",
        "-t",
        "e2e",
        &format!("cat >> '{}'", log.display()),
    ]);
    assert!(
        pipe.status.success(),
        "{}",
        String::from_utf8_lossy(&pipe.stderr)
    );
    std::fs::write(&go, "").expect("go");
    let s = t.wait_text("crumbs exited: ");
    assert!(s.contains("crumbs exited: 2"), "{s}");
    let error = format!(
        "crumbs: {}:3: expected 7 TAB-separated fields",
        jar.display()
    );
    assert!(s.contains(&error), "{s}");
    // tmux may write the log a moment after the screen shows the text.
    let start = Instant::now();
    let output = loop {
        let output = std::fs::read(&log).unwrap_or_default();
        if String::from_utf8_lossy(&output).contains("crumbs exited: ") {
            break output;
        }
        assert!(start.elapsed() < DEADLINE, "the pane log stays empty");
        std::thread::sleep(Duration::from_millis(50));
    };
    let output = String::from_utf8_lossy(&output);
    assert!(
        output.contains("expected 7 TAB-separated fields"),
        "{output:?}"
    );
    assert!(
        !output.contains("\x1b[?1049h"),
        "the screen was taken: {output:?}"
    );
}

#[test]
fn a_filter_on_a_big_jar_keeps_the_keys_answering() {
    let sb = Sandbox::new();
    let jar = big_jar(&sb, BIG);
    let t = start_wrapped(&sb, &[jar.to_str().expect("utf-8 temp path")], 100, 30);
    t.wait_text("Categories");
    // "c1" keeps the cookies whose number starts with 1: the site's (c0,
    // c50, c100…) and the other sites' in their collapsed group.
    let want = (0..BIG).filter(|i| i.to_string().starts_with('1')).count();
    t.keys(&["/", "c", "1", "Enter"]);
    let s = t.wait_text(&format!("{want} cookies shown"));
    assert!(
        s.contains(&format!("filter \"c1\" ({want} matches)")),
        "{s}"
    );
    // A filter typed and cancelled at once: Esc is read while the filter
    // works, and the list comes back to the filter before it.
    t.keys(&["/", "x"]);
    t.wait_text("c1x");
    t.keys(&["Escape"]);
    let s = t.wait_for("the filter before", |s| {
        s.contains(&format!("filter \"c1\" ({want} matches)")) && !s.contains("c1x")
    });
    assert!(!s.contains("filtering"), "{s}");
    // Only other sites hold site1234.example.com: found, counted, opened.
    let want = (0..BIG).filter(|i| i % 50 != 0 && i % 9973 == 1234).count();
    t.escape();
    t.keys(&["/", "s", "i", "t", "e", "1", "2", "3", "4", "Enter"]);
    let s = t.wait_text(&format!("{} shown", crumbs::human::count(want, "cookie")));
    assert!(s.contains("▾ Other sites"), "{s}");
    assert!(
        s.contains(&format!("filter \"site1234\" ({want} matches)")),
        "{s}"
    );
    t.keys(&["q"]);
    t.wait_text("crumbs exited: 0");
}

/// Issue #15 item 4 on the demo: `/shop` finds shop_session in the collapsed
/// other-sites group; Enter keeps the filter on it, Enter again shows it.
#[test]
fn the_demo_filter_finds_a_cookie_of_a_collapsed_group() {
    let home = tempfile::tempdir().expect("temp dir");
    let t = Tmux::start(
        &[],
        80,
        24,
        &[
            ("XDG_CONFIG_HOME", &home.path().join("config")),
            ("XDG_DATA_HOME", &home.path().join("data")),
        ],
    );
    t.wait_text("Categories");
    t.keys(&["/", "s", "h", "o", "p", "Enter"]);
    // shop_session and cart_id, both on shop.example.org.
    let s = t.wait_text("2 cookies shown");
    assert!(s.contains("(2 matches)"), "{s}");
    assert!(s.contains("  ▾ Other sites"), "{s}");
    assert!(s.contains(">   other  shop_session"), "{s}");
    t.keys(&["Enter"]);
    let d = t.wait_text("Action");
    assert!(d.contains("shop_session"), "{d}");
    assert!(d.contains("another site: never touched"), "{d}");
    t.keys(&["C-c"]);
    t.wait_exit();
}

/// Saving a big jar runs beside the loop: a Ctrl-C typed during the save is
/// read, waits for the save to finish (a save is never cut short), then quits.
#[test]
fn ctrl_c_during_a_big_save_quits_once_the_jar_is_whole() {
    let sb = Sandbox::new();
    let jar = big_jar(&sb, BIG);
    let t = start_wrapped(&sb, &[jar.to_str().expect("utf-8 temp path")], 100, 30);
    t.wait_text("Categories");
    t.keys(&["r", "s"]);
    t.wait_text("Refused:");
    t.keys(&["y", "C-c"]);
    let s = t.wait_text("crumbs exited: ");
    assert!(s.contains("crumbs exited: 0"), "{s}");
    // The save went through whole: the portal's cookies (all undeclared,
    // so first-party, refused) are gone and the preferences cookie is there.
    let text = std::fs::read_to_string(&jar).expect("read the jar");
    let portal: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("robertleaf.my.opendatasoft.com"))
        .collect();
    assert_eq!(
        portal.len(),
        1,
        "only the preferences cookie: {:?}",
        &portal[..portal.len().min(3)]
    );
    assert!(portal[0].contains("cookies_preferences"));
    assert_eq!(
        text.lines().filter(|l| l.contains(".example.com")).count(),
        BIG - BIG / 50
    );
}

/// Issue #15 item 1 at the reference size: the details show the revealed
/// value, `y` copies it through the terminal (tmux keeps OSC 52 copies as a
/// paste buffer), and at 60×15 the details scroll and say where they are.
#[test]
fn details_show_and_copy_the_value_at_80x24_and_scroll_at_60x15() {
    let sb = Sandbox::new();
    let t = sb.open(&[], 80, 24);
    let on = t.tmux(&["set-option", "-s", "set-clipboard", "on"]);
    assert!(on.status.success());
    let value = "%7B%22necessary%22%3Atrue%2C%22statistics%22%3Afalse%7D";
    // The first cookie of the first group: cookies_preferences.
    t.keys(&["Tab", "j", "y"]);
    t.wait_text("Values are hidden: v shows them");
    t.keys(&["Enter", "v"]);
    let s = t.wait_text(&format!("Value     {value}"));
    assert!(s.contains("cookies_preferences"), "{s}");
    assert!(s.contains("j/k scroll"), "the keys are on the popup:\n{s}");
    t.keys(&["y"]);
    t.wait_text("Copied cookies_preferences's value");
    let buffer = t.tmux(&["show-buffer"]);
    assert_eq!(String::from_utf8_lossy(&buffer.stdout), value);
    let out = t.tmux(&["resize-window", "-t", "e2e", "-x", "60", "-y", "15"]);
    assert!(out.status.success());
    let small = t.wait_for("the details at 60×15", |s| s.contains(" of "));
    assert!(small.contains("↓ 1-13 of"), "{small}");
    t.keys(&["j", "j"]);
    let scrolled = t.wait_text("↑↓ 3-15 of");
    assert!(!scrolled.contains("Action    keep"), "{scrolled}");
    t.keys(&["q"]);
    t.wait_for("the details to close", |s| !s.contains("j/k scroll"));
    t.keys(&["q"]);
    t.wait_exit();
}

/// Issue #15 items 2 and 3: `? help` is on the first screen at 80×24 and
/// 60×15, beside the message that wins over the counter; the help shows the
/// message whole.
#[test]
fn the_help_key_shows_at_80x24_and_60x15_and_the_help_rereads_messages() {
    let sb = Sandbox::new();
    let t = sb.open(&[], 80, 24);
    let s = t.wait_text("? help");
    let status = s.lines().last().unwrap_or_default();
    // Issue #15 item 8: what the unreadable value means, in place, and the keys.
    assert!(
        status.starts_with("! Platform consent crumbs cannot read: a, r or Space choose; s saves"),
        "{status}"
    );
    assert!(
        s.contains("consent the platform's own choice (unreadable): choose and save to replace it"),
        "{s}"
    );
    assert!(
        s.contains("┌▶ Categories"),
        "the categories have the focus:\n{s}"
    );
    assert!(status.ends_with("? help"), "{status}");
    t.keys(&["r"]);
    let s = t.wait_text("All optional categories refused");
    let status = s.lines().last().unwrap_or_default().trim_end();
    assert!(status.ends_with("? help"), "{status}");
    t.escape();
    let s = t.wait_for("the hints", |s| s.contains("a accept"));
    let status = s.lines().last().unwrap_or_default().trim_end();
    assert!(status.contains("to remove"), "{status}");
    assert!(status.ends_with("? help"), "{status}");
    let out = t.tmux(&["resize-window", "-t", "e2e", "-x", "60", "-y", "15"]);
    assert!(out.status.success());
    // tmux cuts the old lines at once; the redraw at 60 columns follows.
    let small = t.wait_for("60×15 with the help key", |s| {
        s.lines().all(|l| l.chars().count() <= 60)
            && s.lines().any(|l| l.trim_end().ends_with("? help"))
    });
    assert!(small.contains("┌▶ Categories"), "{small}");
    t.keys(&["?"]);
    let help = t.wait_text("Last messages");
    assert!(help.contains("All optional categories refused"), "{help}");
    t.keys(&["q"]);
    t.wait_for("the help to close", |s| !s.contains("Last messages"));
    assert!(
        t.screen().contains("Categories"),
        "q closed the help, not crumbs"
    );
    t.keys(&["C-c"]);
    t.wait_exit();
}

#[test]
fn lenient_opens_a_jar_with_a_malformed_line_and_saves_it_kept() {
    let sb = Sandbox::new();
    let mut text = std::fs::read_to_string(sb.jar()).expect("jar");
    text.push_str("garbage line\n");
    std::fs::write(sb.jar(), &text).expect("write jar");
    let t = sb.open(&["--lenient"], 80, 24);
    t.keys(&["r"]);
    t.wait_text("All optional categories refused");
    t.keys(&["s"]);
    t.wait_text("Refused:");
    t.keys(&["y"]);
    t.wait_text("Saved");
    t.keys(&["q"]);
    t.wait_exit();
    let after = std::fs::read_to_string(sb.jar()).expect("jar");
    assert!(
        after.contains("garbage line\n"),
        "the malformed line is kept"
    );
    assert!(
        after.contains("\tcookies_preferences\t"),
        "the choice is saved"
    );
}

/// Issue #15 item 6 at 80×24 and 60×15: `d` marks one cookie (here a
/// necessary one), the row says so, the confirmation counts it, and the
/// save removes it alone after accept-all.
#[test]
fn d_marks_one_cookie_and_the_save_removes_it_at_80x24() {
    let sb = Sandbox::new();
    let t = sb.open(&[], 80, 24);
    t.keys(&["a"]);
    t.wait_text("All categories granted");
    t.keys(&["/", "c", "s", "r", "f", "Enter"]);
    t.wait_text("Filter \"csrf\"");
    t.keys(&["d"]);
    let s = t.wait_text("csrftoken marked for removal");
    assert!(s.contains("✗ marked csrftoken"), "{s}");
    let out = t.tmux(&["resize-window", "-t", "e2e", "-x", "60", "-y", "15"]);
    assert!(out.status.success());
    // tmux cuts the old lines at once; the redraw at 60 columns follows.
    let small = t.wait_for("60×15 with the narrow mark", |s| {
        s.lines().all(|l| l.chars().count() <= 60) && s.contains("d csrftoken")
    });
    assert!(small.contains("┌▶ Cookies"), "{small}");
    let out = t.tmux(&["resize-window", "-t", "e2e", "-x", "80", "-y", "24"]);
    assert!(out.status.success());
    t.wait_text("✗ marked csrftoken");
    t.keys(&["s"]);
    let s = t.wait_text("1 marked with d");
    assert!(
        s.contains("Remove 1 cookie (Necessary / functionality 1; 1 marked"),
        "{s}"
    );
    t.keys(&["y"]);
    t.wait_text("Saved");
    t.keys(&["q"]);
    t.wait_exit();
    let jar = std::fs::read_to_string(sb.jar()).expect("jar");
    assert!(!jar.contains("\tcsrftoken\t"), "{jar}");
    assert!(
        jar.contains("\tsessionid\t"),
        "the rest of its category stays"
    );
}
