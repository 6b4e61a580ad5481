//! DESIGN §4 "Saving: the safety invariants", checked from the command line:
//! a backup only for a save that happened, the change check right before
//! the rename, one lock for every writer, truthful undo, one outcome, and
//! what signals leave behind. Moments inside a save are reached with the
//! `CRUMBS_STOP_AT` stop points (the process halts itself there), never
//! with timing.

mod common;

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use assert_cmd::Command;
use common::{NOW, Sandbox, temp_files, wait_halted, with_ext};

const CURL: &str = "tests/fixtures/curl.cookies.txt";

/// `nobody`, who runs crumbs when the tests run as root (root ignores
/// folder permissions, so a failure must be caused for a normal user).
const NOBODY: u32 = 65534;

/// Runs crumbs as a normal user: `nobody` through `setpriv` when the tests
/// run as root, the current user otherwise.
struct User {
    root: bool,
}

impl User {
    /// Prepares the sandbox for the user: its folders reachable, the
    /// config and data dirs theirs.
    fn new(sb: &Sandbox) -> User {
        let probe = sb.path("probe");
        fs::write(&probe, "").unwrap();
        let root = fs::metadata(&probe).unwrap().uid() == 0;
        fs::remove_file(&probe).unwrap();
        let user = User { root };
        fs::set_permissions(sb.dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
        for d in [sb.config(), sb.data()] {
            fs::create_dir_all(&d).unwrap();
            user.own(&d);
        }
        user
    }

    /// Gives `path` to the user.
    fn own(&self, path: &Path) {
        if self.root {
            std::os::unix::fs::chown(path, Some(NOBODY), Some(NOBODY)).unwrap();
        }
    }

    /// Makes `dir` writable for the user or not.
    fn writable(&self, dir: &Path, yes: bool) {
        if self.root {
            let owner = if yes { NOBODY } else { 0 };
            std::os::unix::fs::chown(dir, Some(owner), Some(owner)).unwrap();
            fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).unwrap();
        } else {
            let mode = if yes { 0o755 } else { 0o555 };
            fs::set_permissions(dir, fs::Permissions::from_mode(mode)).unwrap();
        }
    }

    /// crumbs, run as the user, with the sandbox's dirs and clock.
    fn crumbs(&self, sb: &Sandbox) -> Command {
        let bin = assert_cmd::cargo::cargo_bin("crumbs");
        let mut c = if self.root {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
                .arg(bin);
            c
        } else {
            Command::new(bin)
        };
        c.env("XDG_CONFIG_HOME", sb.config())
            .env("XDG_DATA_HOME", sb.data())
            .env("CRUMBS_NOW", NOW.to_string())
            .current_dir(sb.dir.path());
        c
    }
}

#[test]
fn a_failed_save_takes_no_backup_and_rotation_keeps_the_original() {
    let sb = Sandbox::new();
    let user = User::new(&sb);
    let work = sb.path("work");
    fs::create_dir(&work).unwrap();
    user.writable(&work, true);
    let jar = work.join("cookies.txt");
    fs::copy(common::repo(CURL), &jar).unwrap();
    user.own(&jar);
    let original = fs::read(&jar).unwrap();
    // One save that happens: its backup holds the original.
    user.crumbs(&sb)
        .args(["prune", "--reject-all"])
        .arg(&jar)
        .assert()
        .success();
    let first = with_ext(&sb.backups(), "bak");
    assert_eq!(first.len(), 1);
    assert_eq!(fs::read(&first[0]).unwrap(), original);
    // The jar holds trackers again, but its folder is closed to the user:
    // eleven saves fail, and none leaves a backup.
    fs::write(&jar, &original).unwrap();
    user.writable(&work, false);
    for _ in 0..11 {
        user.crumbs(&sb)
            .args(["prune", "--reject-all"])
            .arg(&jar)
            .assert()
            .code(2);
    }
    user.writable(&work, true);
    assert_eq!(fs::read(&jar).unwrap(), original);
    let now = sb.backups();
    assert_eq!(
        with_ext(&now, "bak"),
        first,
        "the original's backup survived"
    );
    assert!(with_ext(&now, "partial").is_empty(), "{now:?}");
}

/// A crumbs run halted at a stop point, to act on while it waits.
struct Halted {
    child: std::process::Child,
}

impl Halted {
    /// Starts `crumbs ARGS` with `CRUMBS_STOP_AT=point` and waits until it has
    /// halted there (its state in /proc turns to "T").
    fn start(sb: &Sandbox, point: &str, args: &[&std::ffi::OsStr]) -> Halted {
        let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("crumbs"))
            .args(args)
            .env("XDG_CONFIG_HOME", sb.config())
            .env("XDG_DATA_HOME", sb.data())
            .env("CRUMBS_NOW", NOW.to_string())
            .env("CRUMBS_STOP_AT", point)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        assert!(
            wait_halted(child.id()),
            "crumbs ended before reaching stop point {point}"
        );
        Halted { child }
    }

    fn signal(&self, sig: &str) {
        let ok = std::process::Command::new("kill")
            .args([&format!("-{sig}"), &self.child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill -{sig}");
    }

    /// Lets it go on and waits for it: (exit code, stdout, stderr).
    fn resume(self) -> (Option<i32>, String, String) {
        self.signal("CONT");
        let out = self.child.wait_with_output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

fn os<'a>(args: &'a [&'a dyn AsRef<std::ffi::OsStr>]) -> Vec<&'a std::ffi::OsStr> {
    args.iter().map(|a| a.as_ref()).collect()
}

#[test]
fn a_line_appended_while_the_new_jar_is_written_is_not_lost() {
    let sb = Sandbox::new();
    let jar = sb.copy(CURL);
    let prune = Halted::start(&sb, "written", &os(&[&"prune", &"--reject-all", &jar]));
    // Another program appends a cookie while crumbs has its new jar ready.
    let line = "late.example.org\tFALSE\t/\tFALSE\t2106460800\tlate\tx\n";
    let mut appended = fs::read(&jar).unwrap();
    appended.extend_from_slice(line.as_bytes());
    fs::OpenOptions::new()
        .append(true)
        .open(&jar)
        .and_then(|mut f| std::io::Write::write_all(&mut f, line.as_bytes()))
        .unwrap();
    let (code, _, err) = prune.resume();
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("changed on disk since crumbs read it"),
        "{err}"
    );
    assert_eq!(
        fs::read(&jar).unwrap(),
        appended,
        "the appended line is kept"
    );
    assert!(temp_files(sb.dir.path()).is_empty());
    assert!(
        sb.backups().is_empty(),
        "no backup for a save that did not happen"
    );
}

#[test]
fn a_firefox_row_added_while_crumbs_saves_is_not_lost() {
    let sb = Sandbox::new();
    let jar = sb.copy("tests/fixtures/firefox.cookies.sqlite");
    let prune = Halted::start(&sb, "backed-up", &os(&[&"prune", &"--reject-all", &jar]));
    let conn = rusqlite::Connection::open(&jar).unwrap();
    conn.execute(
        "INSERT INTO moz_cookies (originAttributes, name, value, host, path, expiry, \
         lastAccessed, creationTime, isSecure, isHttpOnly, inBrowserElement, sameSite, \
         schemeMap) VALUES ('', 'late', 'x', 'late.example.org', '/', \
         2106460800000, 0, 0, 0, 0, 0, 0, 0)",
        [],
    )
    .unwrap();
    drop(conn);
    let (code, _, err) = prune.resume();
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("changed on disk since crumbs read it"),
        "{err}"
    );
    assert_eq!(late_rows(&jar), 1);
    assert!(with_ext(&sb.backups(), "bak").is_empty());
}

#[test]
fn undo_during_a_prune_refuses_and_takes_nothing_from_it() {
    let sb = Sandbox::new();
    let jar = sb.copy(CURL);
    let original = fs::read(&jar).unwrap();
    // A first save, so undo has a backup to restore.
    sb.crumbs()
        .args(["prune", "--reject-all"])
        .arg(&jar)
        .assert()
        .success();
    let pruned = fs::read(&jar).unwrap();
    fs::write(&jar, &original).unwrap();
    // A second prune halts holding the lock, its temp file written.
    let prune = Halted::start(&sb, "written", &os(&[&"prune", &"--reject-all", &jar]));
    let live = temp_files(sb.dir.path());
    assert_eq!(live.len(), 1, "{live:?}");
    sb.crumbs()
        .arg("undo")
        .arg(&jar)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "another program is saving this jar",
        ));
    // A third writer removes no live temp file either.
    sb.crumbs()
        .args(["prune", "--reject-all"])
        .arg(&jar)
        .assert()
        .code(2);
    assert_eq!(temp_files(sb.dir.path()), live);
    let (code, _, err) = prune.resume();
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(fs::read(&jar).unwrap(), pruned);
    assert!(temp_files(sb.dir.path()).is_empty());
}

const FIREFOX: &str = "tests/fixtures/firefox.cookies.sqlite";

fn add_firefox_row(jar: &Path) {
    let conn = rusqlite::Connection::open(jar).unwrap();
    conn.execute(
        "INSERT INTO moz_cookies (originAttributes, name, value, host, path, expiry, \
         lastAccessed, creationTime, isSecure, isHttpOnly, inBrowserElement, sameSite, \
         schemeMap) VALUES ('', 'late', 'x', 'late.example.org', '/', \
         2106460800000, 0, 0, 0, 0, 0, 0, 0)",
        [],
    )
    .unwrap();
}

fn late_rows(db: &Path) -> i64 {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    conn.query_row(
        "SELECT count(*) FROM moz_cookies WHERE name = 'late'",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn undo_refuses_a_jar_changed_since_the_save_and_force_keeps_a_backup() {
    let sb = Sandbox::new();
    let jar = sb.copy(CURL);
    let original = fs::read(&jar).unwrap();
    sb.crumbs()
        .args(["prune", "--reject-all"])
        .arg(&jar)
        .assert()
        .success();
    // Another program adds a cookie after the save.
    let mut later = fs::read(&jar).unwrap();
    later.extend_from_slice(b"late.example.org\tFALSE\t/\tFALSE\t2106460800\tlate\tx\n");
    fs::write(&jar, &later).unwrap();
    let out = sb.crumbs().arg("undo").arg(&jar).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("changed since the save"), "{err}");
    assert!(
        err.contains(&format!("it is {} bytes now", later.len())),
        "{err}"
    );
    assert_eq!(fs::read(&jar).unwrap(), later, "nothing restored");
    // --force restores, keeping what it replaced.
    sb.crumbs()
        .args(["undo", "--force"])
        .arg(&jar)
        .assert()
        .success()
        .stdout(predicates::str::contains("kept it as it was in backup"));
    assert_eq!(fs::read(&jar).unwrap(), original);
    let kept = with_ext(&sb.backups(), "bak");
    assert_eq!(kept.len(), 1);
    assert_eq!(fs::read(&kept[0]).unwrap(), later);
}

#[test]
fn undo_refuses_a_changed_firefox_database_and_leaves_no_wal_in_backups() {
    let sb = Sandbox::new();
    let jar = sb.copy(FIREFOX);
    sb.crumbs()
        .args(["prune", "--reject-all"])
        .arg(&jar)
        .assert()
        .success();
    add_firefox_row(&jar);
    sb.crumbs()
        .arg("undo")
        .arg(&jar)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cookie rows differ"));
    assert_eq!(late_rows(&jar), 1);
    sb.crumbs()
        .args(["undo", "--force"])
        .arg(&jar)
        .assert()
        .success();
    assert_eq!(late_rows(&jar), 0, "the original is back");
    let left = sb.backups();
    let kept = with_ext(&left, "bak");
    assert_eq!(kept.len(), 1, "{left:?}");
    assert_eq!(late_rows(&kept[0]), 1, "the replaced state is kept");
    let names: Vec<String> = sb
        .backups()
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| n.ends_with(".bak") || n.ends_with(".json")),
        "{names:?}"
    );
}

const RECORD: &str = "crumbs/consent/robertleaf.my.opendatasoft.com.json";

fn last_log_action(sb: &Sandbox) -> String {
    let log = fs::read_to_string(sb.data().join("crumbs/consent-log.jsonl")).unwrap();
    let last: serde_json::Value = serde_json::from_str(log.lines().last().unwrap()).unwrap();
    last["action"].as_str().unwrap().to_owned()
}

#[test]
fn undo_puts_back_the_consent_record_the_save_replaced() {
    let sb = Sandbox::new();
    let jar = sb.copy(CURL);
    let record = sb.config().join(RECORD);
    sb.crumbs()
        .args(["prune", "--reject-all"])
        .arg(&jar)
        .assert()
        .success();
    let refused = fs::read_to_string(&record).unwrap();
    sb.crumbs()
        .args(["prune", "--accept-all"])
        .arg(&jar)
        .assert()
        .success();
    assert_ne!(fs::read_to_string(&record).unwrap(), refused);
    sb.crumbs()
        .arg("undo")
        .arg(&jar)
        .assert()
        .success()
        .stdout(predicates::str::contains("consent record restored"));
    assert_eq!(fs::read_to_string(&record).unwrap(), refused);
    assert_eq!(last_log_action(&sb), "undo");
    // One step further back: before the first save there was no record.
    sb.crumbs().arg("undo").arg(&jar).assert().success();
    assert!(!record.exists());
    assert_eq!(last_log_action(&sb), "reset");
}

#[test]
fn an_unwritable_config_dir_writes_neither_jar_nor_record() {
    let sb = Sandbox::new();
    let user = User::new(&sb);
    let jar = sb.path("cookies.txt");
    fs::copy(common::repo(CURL), &jar).unwrap();
    user.own(&jar);
    user.writable(sb.dir.path(), true);
    let original = fs::read(&jar).unwrap();
    user.writable(&sb.config(), false);
    let out = user
        .crumbs(&sb)
        .args(["prune", "--reject-all"])
        .arg(&jar)
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("nothing was changed"), "{err}");
    assert_eq!(fs::read(&jar).unwrap(), original, "the jar is as it was");
    assert!(sb.backups().is_empty(), "no backup");
    assert!(
        !sb.data().join("crumbs/consent-log.jsonl").exists(),
        "no log line"
    );
}

/// How a halted run ended: the signal that ended it, or its exit code.
fn ended(h: Halted) -> (Option<i32>, Option<i32>, String) {
    use std::os::unix::process::ExitStatusExt;
    h.signal("CONT");
    let out = h.child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.signal(), out.status.code(), err)
}

/// The rows of a Firefox jar, as text, in a fixed order.
fn firefox_rows(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(
        "SELECT group_concat(host || '|' || name || '|' || value, ',') \
         FROM (SELECT * FROM moz_cookies ORDER BY host, name, path, originAttributes)",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn a_signal_during_a_save_removes_its_temp_file_and_partial_backup() {
    let cases = [
        ("checked", "TERM", libc::SIGTERM),
        ("backed-up", "INT", libc::SIGINT),
        ("written", "HUP", libc::SIGHUP),
        ("written", "TERM", libc::SIGTERM),
        ("written", "INT", libc::SIGINT),
    ];
    for (point, name, number) in cases {
        let sb = Sandbox::new();
        let jar = sb.copy(CURL);
        let original = fs::read(&jar).unwrap();
        let prune = Halted::start(&sb, point, &os(&[&"prune", &"--reject-all", &jar]));
        if point == "written" {
            assert_eq!(temp_files(sb.dir.path()).len(), 1, "at {point}");
        }
        assert_eq!(with_ext(&sb.backups(), "partial").len(), 1, "at {point}");
        prune.signal(name);
        let (signal, code, err) = ended(prune);
        assert_eq!(
            (signal, code),
            (Some(number), None),
            "{point}/{name}: {err}"
        );
        assert_eq!(fs::read(&jar).unwrap(), original, "{point}/{name}");
        assert!(temp_files(sb.dir.path()).is_empty(), "{point}/{name}");
        assert!(
            sb.backups().is_empty(),
            "{point}/{name}: {:?}",
            sb.backups()
        );
        assert!(!sb.config().join(RECORD).exists(), "{point}/{name}");
    }
}

#[test]
fn a_signal_during_a_firefox_save_rolls_back_and_removes_its_partial_backup() {
    for (point, name, number) in [
        ("backed-up", "TERM", libc::SIGTERM),
        ("written", "HUP", libc::SIGHUP),
    ] {
        let sb = Sandbox::new();
        let jar = sb.copy(FIREFOX);
        let rows = firefox_rows(&jar);
        let prune = Halted::start(&sb, point, &os(&[&"prune", &"--reject-all", &jar]));
        assert_eq!(with_ext(&sb.backups(), "partial").len(), 1, "at {point}");
        prune.signal(name);
        let (signal, code, err) = ended(prune);
        assert_eq!(
            (signal, code),
            (Some(number), None),
            "{point}/{name}: {err}"
        );
        assert_eq!(firefox_rows(&jar), rows, "{point}/{name}");
        assert!(
            sb.backups().is_empty(),
            "{point}/{name}: {:?}",
            sb.backups()
        );
        let left: Vec<String> = fs::read_dir(sb.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("-journal") || n.ends_with(".tmp"))
            .collect();
        assert!(left.is_empty(), "{point}/{name}: {left:?}");
    }
}

#[test]
fn a_signal_during_a_forced_undo_keeps_the_jar_and_the_backup_it_would_restore() {
    let sb = Sandbox::new();
    let jar = sb.copy(CURL);
    sb.crumbs()
        .args(["prune", "--reject-all"])
        .arg(&jar)
        .assert()
        .success();
    let mut later = fs::read(&jar).unwrap();
    later.extend_from_slice(b"late.example.org\tFALSE\t/\tFALSE\t2106460800\tlate\tx\n");
    fs::write(&jar, &later).unwrap();
    let before = sb.backups();
    let undo = Halted::start(&sb, "written", &os(&[&"undo", &"--force", &jar]));
    assert_eq!(with_ext(&sb.backups(), "partial").len(), 1);
    assert_eq!(temp_files(sb.dir.path()).len(), 1);
    undo.signal("TERM");
    let (signal, _, err) = ended(undo);
    assert_eq!(signal, Some(libc::SIGTERM), "{err}");
    assert_eq!(fs::read(&jar).unwrap(), later);
    assert!(temp_files(sb.dir.path()).is_empty());
    assert_eq!(
        sb.backups(),
        before,
        "the prune's backup is still there to undo"
    );
}

#[test]
fn another_users_jar_in_a_sticky_folder_is_refused_naming_what_failed() {
    let sb = Sandbox::new();
    let user = User::new(&sb);
    if !user.root {
        eprintln!("skipped: only root can make a jar another user's (the mapping has a unit test)");
        return;
    }
    // A sticky folder open to all, like /tmp, holding root's jar, writable by all.
    let tmp = sb.path("tmp");
    fs::create_dir(&tmp).unwrap();
    fs::set_permissions(&tmp, fs::Permissions::from_mode(0o1777)).unwrap();
    let jar = tmp.join("cookies.txt");
    fs::copy(common::repo(CURL), &jar).unwrap();
    fs::set_permissions(&jar, fs::Permissions::from_mode(0o666)).unwrap();
    let original = fs::read(&jar).unwrap();
    let out = user
        .crumbs(&sb)
        .args(["prune", "--reject-all"])
        .arg(&jar)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    for said in [
        jar.to_str().unwrap(),
        "giving the new file its owner and group (uid 0, gid 0) failed: Operation not permitted",
        "only root may give a file to another user",
    ] {
        assert!(err.contains(said), "{err:?} should say {said:?}");
    }
    assert_eq!(fs::read(&jar).unwrap(), original);
    assert!(temp_files(&tmp).is_empty());
    assert!(sb.backups().is_empty());
}
