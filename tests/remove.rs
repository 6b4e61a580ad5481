//! `crumbs remove JAR COOKIE...` (DESIGN §8, issue #15 item 6): the named
//! cookies go whatever their site, everything else is kept byte for byte,
//! the save is backed up and undone by `undo`, no consent is written, and a
//! name that matches nothing is an error naming it (nothing written).

mod common;

use std::fs;

use common::{Sandbox, stdout};
use predicates::prelude::*;

const CURL: &str = "tests/fixtures/curl.cookies.txt";

#[test]
fn removes_the_named_cookies_whatever_their_site_and_undo_restores() {
    let sb = Sandbox::new();
    let jar = sb.copy(CURL);
    let before = fs::read_to_string(&jar).expect("jar");
    // A necessary cookie of the site, another site's, and one by domain and path.
    let out = sb
        .crumbs()
        .args(["remove"])
        .arg(&jar)
        .args([
            "sessionid",
            "cart_id@shop.example.org",
            "ods_theme@robertleaf.my.opendatasoft.com/backoffice/",
        ])
        .assert()
        .success();
    let text = stdout(&out);
    assert!(
        text.contains("removed cart_id on shop.example.org (path /)"),
        "{text}"
    );
    assert!(text.contains("removed 3 cookies; backup "), "{text}");
    let after = fs::read_to_string(&jar).expect("jar");
    let gone = |l: &&str| {
        let f: Vec<&str> = l.split('\t').collect();
        f.len() == 7
            && (f[5] == "sessionid"
                || f[5] == "cart_id"
                || (f[5] == "ods_theme" && f[2] == "/backoffice/"))
    };
    assert_eq!(before.lines().filter(gone).count(), 3);
    assert_eq!(
        after.lines().collect::<Vec<_>>(),
        before.lines().filter(|l| !gone(l)).collect::<Vec<_>>(),
        "only the named cookies went; the other ods_theme (path /) stays"
    );
    assert!(!sb.config().exists(), "no consent record");
    sb.crumbs().arg("undo").arg(&jar).assert().success();
    assert_eq!(fs::read_to_string(&jar).expect("jar"), before);
}

#[test]
fn a_name_that_matches_nothing_writes_nothing() {
    let sb = Sandbox::new();
    let jar = sb.copy(CURL);
    let before = fs::read(&jar).expect("jar");
    sb.crumbs()
        .args(["remove"])
        .arg(&jar)
        .args(["sessionid", "nope", "_ga@elsewhere.test"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no cookie of the jar matches \"nope\", \"_ga@elsewhere.test\"",
        ));
    assert_eq!(fs::read(&jar).expect("jar"), before);
    assert!(!sb.data().exists(), "no backup either");
}

#[test]
fn dry_run_says_what_would_go() {
    let sb = Sandbox::new();
    let jar = sb.copy(CURL);
    let before = fs::read(&jar).expect("jar");
    let out = sb
        .crumbs()
        .args(["remove", "--dry-run"])
        .arg(&jar)
        .arg("_ga")
        .assert()
        .success();
    let text = stdout(&out);
    assert!(
        text.contains("would remove _ga on .opendatasoft.com"),
        "{text}"
    );
    assert!(text.contains("dry run: 1 cookie of "), "{text}");
    assert_eq!(fs::read(&jar).expect("jar"), before);
}

#[test]
fn standard_input_and_no_name_are_refused() {
    let sb = Sandbox::new();
    sb.crumbs()
        .args(["remove", "-", "sid"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("remove writes the jar in place"));
    let jar = sb.copy(CURL);
    sb.crumbs()
        .args(["remove"])
        .arg(&jar)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("<COOKIE>"));
    sb.crumbs()
        .args(["remove"])
        .arg(&jar)
        .arg("@example.org")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no cookie name before the @"));
}
