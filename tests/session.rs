//! The engine entry point: a jar changed on disk is never overwritten, and a
//! session can save twice (the TUI does).

mod common;

use common::{NOW, Sandbox};
use crumbs::consent::resolve::Choice;
use crumbs::dirs::Dirs;
use crumbs::jar::{Jar, JarError, OpenOptions};
use crumbs::policy::catalog::Catalog;
use crumbs::scopes::Selection;
use crumbs::session::{Session, SessionError};
use time::OffsetDateTime;

fn open(sb: &Sandbox) -> Session {
    let jar = Jar::open(
        &sb.copy("tests/fixtures/curl.cookies.txt"),
        OpenOptions::default(),
    )
    .unwrap();
    let dirs = Dirs {
        config: sb.config(),
        data: sb.data(),
    };
    let catalog = Catalog::find(None, Some(&dirs)).unwrap();
    Session::open(jar, catalog, Selection::Every, dirs).unwrap()
}

fn reject_all() -> Choice {
    Choice {
        reject_all: true,
        ..Choice::default()
    }
}

#[test]
fn refuses_a_jar_changed_since_it_was_loaded() {
    let sb = Sandbox::new();
    let mut s = open(&sb);
    let now = OffsetDateTime::from_unix_timestamp(NOW).unwrap();
    let d = s.decide(&reject_all(), false, now).unwrap();
    let path = s.jar().path.clone();
    let mut other = std::fs::read(&path).unwrap();
    other.extend_from_slice(b"added.opendatasoft.com\tFALSE\t/\tFALSE\t0\tnew\t1\n");
    std::fs::write(&path, &other).unwrap();
    let err = s.commit(&d, false, now).unwrap_err();
    assert!(
        matches!(err, SessionError::Jar(JarError::Changed { .. })),
        "{err}"
    );
    assert!(err.to_string().contains("changed on disk"));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        other,
        "the other program's write survives"
    );
    assert!(!sb.config().exists(), "no consent record either");
}

#[test]
fn saves_twice_in_one_session() {
    let sb = Sandbox::new();
    let mut s = open(&sb);
    let now = OffsetDateTime::from_unix_timestamp(NOW).unwrap();
    let d = s
        .decide(
            &Choice {
                accept_all: true,
                ..Choice::default()
            },
            false,
            now,
        )
        .unwrap();
    let first = s.commit(&d, false, now).unwrap();
    assert_eq!(first.removed, 0);
    assert!(first.record.is_some());
    let d = s.decide(&reject_all(), false, now).unwrap();
    assert_eq!(d.plan.remove_count(), 15);
    let second = s.commit(&d, false, now).unwrap();
    assert_eq!(second.removed, 15);
    assert_eq!(s.jar().cookies().len(), 8);
    let reread = Jar::open(&s.jar().path, OpenOptions::default()).unwrap();
    assert_eq!(reread.cookies(), s.jar().cookies());
    let d = s.decide(&reject_all(), false, now).unwrap();
    assert!(
        d.plan.is_noop() && !d.new_choice,
        "same choice again: nothing to do"
    );
}

/// A jar whose save lock another process holds is refused, untouched.
#[test]
fn refuses_while_another_process_saves() {
    let sb = Sandbox::new();
    let jar = sb.copy("tests/fixtures/curl.cookies.txt");
    let before = std::fs::read(&jar).unwrap();
    let holder = std::fs::File::open(&jar).unwrap();
    holder.lock().unwrap();
    sb.crumbs()
        .args(["prune", "--reject-all"])
        .arg(&jar)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "another program is saving this jar",
        ));
    assert_eq!(std::fs::read(&jar).unwrap(), before);
    holder.unlock().unwrap();
    sb.crumbs()
        .args(["prune", "--reject-all"])
        .arg(&jar)
        .assert()
        .success();
}

/// Two crumbs saving the same jar at once: each either wins or refuses with
/// a clear message, and the jar is always one whole result, never a mix.
#[test]
fn concurrent_prunes_never_tear_the_jar() {
    for round in 0..20 {
        let sb = Sandbox::new();
        let jar = sb.copy("tests/fixtures/curl.cookies.txt");
        let spawn = |flag: &str| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("crumbs"))
                .args(["prune", flag])
                .arg(&jar)
                .env("XDG_CONFIG_HOME", sb.config())
                .env("XDG_DATA_HOME", sb.data())
                .env("CRUMBS_NOW", NOW.to_string())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let a = spawn("--reject-all");
        let b = spawn("--accept-all");
        for child in [a, b] {
            let out = child.wait_with_output().unwrap();
            if !out.status.success() {
                let err = String::from_utf8_lossy(&out.stderr);
                assert_eq!(out.status.code(), Some(2), "round {round}: {err}");
                assert!(
                    err.contains("changed on disk") || err.contains("another program is saving"),
                    "round {round}: {err}"
                );
            }
        }
        let after = Jar::open(&jar, OpenOptions::default()).unwrap();
        let n = after.cookies().len();
        assert!(
            n == 8 || n == 23,
            "round {round}: {n} cookies is no whole result"
        );
        let prefs = after
            .cookies()
            .iter()
            .filter(|c| c.name == "cookies_preferences")
            .count();
        assert_eq!(prefs, 1);
    }
}

/// The session's classification and preferences index are derived from its
/// jar: whatever changes the jar (a save, a failed save that reads the jar
/// again) leaves them describing the jar the session holds.
#[test]
fn the_classification_follows_the_jar_through_saves() {
    let sb = Sandbox::new();
    let mut s = open(&sb);
    let now = OffsetDateTime::from_unix_timestamp(NOW).unwrap();
    let consistent = |s: &Session| {
        let indices: Vec<usize> = s.classified().iter().map(|c| c.index).collect();
        assert_eq!(indices, (0..s.jar().cookies().len()).collect::<Vec<_>>());
        let prefs = s
            .preferences()
            .map(|i| s.jar().cookies().at(i).name.to_string());
        assert_eq!(prefs.as_deref(), Some("cookies_preferences"));
    };
    consistent(&s);
    assert_eq!(s.classified().len(), 23);

    let d = s.decide(&reject_all(), false, now).unwrap();
    s.commit(&d, false, now).unwrap();
    consistent(&s);
    assert_eq!(s.classified().len(), 8);
    let value = d.value.as_ref().unwrap();
    assert_eq!(s.jar_value().as_deref(), Some(value.encode().as_str()));
    assert_eq!(s.saved(), Some(value));

    // Another program adds a cookie; the save is refused and the session
    // reads the jar again, classification included.
    let path = s.jar().path.clone();
    let mut other = std::fs::read(&path).unwrap();
    other.extend_from_slice(b"added.opendatasoft.com\tFALSE\t/\tFALSE\t0\tnew\t1\n");
    std::fs::write(&path, &other).unwrap();
    let d = s
        .decide(
            &Choice {
                accept_all: true,
                ..Choice::default()
            },
            false,
            now,
        )
        .unwrap();
    assert!(s.commit(&d, false, now).is_err());
    consistent(&s);
    assert_eq!(s.classified().len(), 9);
    assert_eq!(s.saved(), Some(value), "the record of the last good save");
}
