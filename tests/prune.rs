//! `crumbs prune` on every real-client fixture: the exact cookies removed,
//! everything else unchanged, the preferences cookie written and decodable,
//! and a second run that changes nothing.

mod common;

use std::collections::BTreeSet;

use common::{Sandbox, extended_policy, json_of};
use crumbs::consent::value::ConsentValue;
use crumbs::jar::{Jar, OpenOptions};

const FIXTURES: &[&str] = &[
    "tests/fixtures/curl.cookies.txt",
    "tests/fixtures/wget.cookies.txt",
    "tests/fixtures/wget-port.cookies.txt",
    "tests/fixtures/python-mozilla.cookies.txt",
    "tests/fixtures/reqwest.cookie_store.json",
    "tests/fixtures/reqwest-legacy.cookie_store.jsonl",
];

const STATISTICAL: &[&str] = &[
    "_ga",
    "_ga_ABC123XYZ",
    "_gid",
    "_pk_id.1.a1b2",
    "_pk_ses.1.a1b2",
];
const FIRST_PARTY: &[&str] = &[
    "ods_theme",
    "odd.name-with_chars",
    "empty_pref",
    "utf8_label",
    "spaced_note",
    "quoted_note",
    "visitor_segment",
    "big_state",
    "bo_panel",
];
const THIRD_PARTY: &[&str] = &["IDE", "ad_uid"];

/// (name, domain, path) of every cookie, as a multiset-free set.
type Id = (String, String, String);

fn ids(jar: &Jar) -> BTreeSet<Id> {
    jar.cookies()
        .iter()
        .map(|c| (c.name.to_string(), c.domain.to_string(), c.path.to_string()))
        .collect()
}

fn load(path: &std::path::Path) -> Jar {
    Jar::open(path, OpenOptions::default()).unwrap()
}

/// Runs a prune with `flags` on a copy of `fixture` and checks the result
/// against `removed_names` and the `granted` categories.
fn check_prune(fixture: &str, flags: &[&str], removed_names: &[&str], granted: &[(&str, bool)]) {
    let sb = Sandbox::new();
    let jar = sb.copy(fixture);
    let before_bytes = std::fs::read(&jar).unwrap();
    let before = load(&jar);
    let policy = extended_policy();
    let out = sb
        .crumbs()
        .args(["prune", "--json", "--policy", &policy])
        .args(flags)
        .arg(&jar)
        .assert()
        .success();
    let report = json_of(&out.get_output().stdout);
    let after = load(&jar);

    // Exactly the expected names went (present in this fixture).
    let present: BTreeSet<String> = before
        .cookies()
        .iter()
        .map(|c| c.name.to_string())
        .collect();
    let want: BTreeSet<String> = removed_names
        .iter()
        .filter(|n| present.contains(**n))
        .map(|n| n.to_string())
        .collect();
    let gone: BTreeSet<String> = ids(&before)
        .difference(&ids(&after))
        .map(|(n, _, _)| n.clone())
        .collect();
    assert_eq!(gone, want, "{fixture} {flags:?}: removed names");
    let reported: BTreeSet<String> = report["cookies"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["action"] == "remove")
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(reported, want, "{fixture}: --json names what it removed");
    assert!(
        !String::from_utf8_lossy(&out.get_output().stdout)
            .contains("k3v9s0d8f7g6h5j4l3m2n1b0v9c8x7z6"),
        "no value printed"
    );

    // Nothing else changed: every kept cookie is identical but the preferences cookie.
    let kept_before: Vec<_> = before
        .cookies()
        .iter()
        .filter(|c| !want.contains(&*c.name) && c.name != "cookies_preferences")
        .map(|c| {
            (
                c.name.to_string(),
                c.domain.to_string(),
                c.path.to_string(),
                c.value.to_string(),
                c.expiry,
                c.secure,
                c.http_only,
                c.host_only,
            )
        })
        .collect();
    let kept_after: Vec<_> = after
        .cookies()
        .iter()
        .filter(|c| c.name != "cookies_preferences")
        .map(|c| {
            (
                c.name.to_string(),
                c.domain.to_string(),
                c.path.to_string(),
                c.value.to_string(),
                c.expiry,
                c.secure,
                c.http_only,
                c.host_only,
            )
        })
        .collect();
    let mut a = kept_before.clone();
    let mut b = kept_after.clone();
    a.sort();
    b.sort();
    assert_eq!(a, b, "{fixture}: kept cookies unchanged");

    // The preferences cookie was replaced in place and decodes to the choice.
    let prefs: Vec<_> = after
        .cookies()
        .iter()
        .filter(|c| c.name == "cookies_preferences")
        .collect();
    assert_eq!(prefs.len(), 1, "{fixture}: one preferences cookie");
    let old = before
        .cookies()
        .iter()
        .find(|c| c.name == "cookies_preferences")
        .unwrap();
    assert_eq!(
        (&prefs[0].domain, &prefs[0].path, prefs[0].secure),
        (&old.domain, &old.path, old.secure)
    );
    let v = ConsentValue::decode(&prefs[0].value).unwrap();
    assert_eq!(v.site, "robertleaf.my.opendatasoft.com");
    let got: Vec<(&str, bool)> = v.categories.iter().map(|(k, g)| (k.as_str(), *g)).collect();
    assert_eq!(got, granted);
    assert_eq!(
        prefs[0].expiry,
        crumbs::model::Expiry::At(v.expires.unix_timestamp())
    );

    // Netscape: every line that was not removed or the preferences line is byte-identical.
    if fixture.ends_with(".txt") {
        let after_bytes = std::fs::read(&jar).unwrap();
        let keep = |bytes: &[u8]| -> Vec<Vec<u8>> {
            bytes
                .split_inclusive(|b| *b == b'\n')
                .filter(|l| {
                    let s = String::from_utf8_lossy(l);
                    let name = s.split('\t').nth(5).unwrap_or("");
                    !want.contains(name) && name != "cookies_preferences"
                })
                .map(|l| l.to_vec())
                .collect()
        };
        assert_eq!(
            keep(&before_bytes),
            keep(&after_bytes),
            "{fixture}: other lines byte-identical"
        );
    }

    // A second run with the same consent changes nothing.
    let after_bytes = std::fs::read(&jar).unwrap();
    sb.crumbs()
        .args(["prune", "--policy", &policy])
        .args(flags)
        .arg(&jar)
        .assert()
        .success()
        .stdout(predicates::str::contains("nothing to change"));
    assert_eq!(
        std::fs::read(&jar).unwrap(),
        after_bytes,
        "{fixture}: idempotent"
    );
}

#[test]
fn reject_all_on_every_fixture() {
    let removed: Vec<&str> = [STATISTICAL, FIRST_PARTY, THIRD_PARTY].concat();
    for f in FIXTURES {
        check_prune(
            f,
            &["--reject-all"],
            &removed,
            &[
                ("necessary", true),
                ("statistical", false),
                ("first-party", false),
                ("third-party", false),
            ],
        );
    }
}

#[test]
fn accept_all_on_every_fixture() {
    for f in FIXTURES {
        check_prune(
            f,
            &["--accept-all"],
            &[],
            &[
                ("necessary", true),
                ("statistical", true),
                ("first-party", true),
                ("third-party", true),
            ],
        );
    }
}

#[test]
fn mixed_choice_on_every_fixture() {
    let removed: Vec<&str> = [FIRST_PARTY, THIRD_PARTY].concat();
    for f in FIXTURES {
        check_prune(
            f,
            &["--allow", "statistical"],
            &removed,
            &[
                ("necessary", true),
                ("statistical", true),
                ("first-party", false),
                ("third-party", false),
            ],
        );
    }
}

/// Every file in `dir`, recursively (empty when it does not exist).
fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Runs a prune that must refuse for want of a choice: exit 2, the jar's
/// bytes untouched, no backup, no consent record, no log line. Returns stderr.
fn refused_for_want_of_choice(sb: &Sandbox, jar: &std::path::Path, args: &[&str]) -> String {
    let before = std::fs::read(jar).unwrap();
    let out = sb
        .crumbs()
        .args(["prune", "--policy", &extended_policy()])
        .args(args)
        .arg(jar)
        .assert()
        .code(2);
    assert_eq!(std::fs::read(jar).unwrap(), before, "jar untouched");
    assert_eq!(files_under(&sb.data()), Vec::<std::path::PathBuf>::new());
    assert_eq!(files_under(&sb.config()), Vec::<std::path::PathBuf>::new());
    assert!(out.get_output().stdout.is_empty(), "nothing on stdout");
    String::from_utf8_lossy(&out.get_output().stderr).into_owned()
}

#[test]
fn prune_without_a_choice_changes_nothing_and_says_what_the_default_would_do() {
    let sb = Sandbox::new();
    // curl's jar holds the platform's own cookies_preferences value, which
    // crumbs cannot read: that is not a choice.
    let jar = sb.copy("tests/fixtures/curl.cookies.txt");
    let err = refused_for_want_of_choice(&sb, &jar, &[]);
    for want in [
        "no consent chosen for robertleaf.my.opendatasoft.com",
        "platform's own preferences value",
        "nothing written",
        "would remove 17 of 23 cookies",
        "would remove _ga on .opendatasoft.com (category refused)",
        "--dry-run",
        "--reject-all",
    ] {
        assert!(err.contains(want), "{want:?} missing from:\n{err}");
    }
    // `--json` and `--output` refuse alike.
    refused_for_want_of_choice(&sb, &jar, &["--json"]);
    let out = sb.path("out.txt");
    refused_for_want_of_choice(&sb, &jar, &["--output", out.to_str().unwrap()]);
    assert!(!out.exists(), "no output file written");

    // Silence (no preferences cookie at all) is not a choice either.
    let text = std::fs::read_to_string(&jar).unwrap();
    let silent: String = text
        .split_inclusive('\n')
        .filter(|l| !l.contains("cookies_preferences"))
        .collect();
    std::fs::write(&jar, silent).unwrap();
    let err = refused_for_want_of_choice(&sb, &jar, &[]);
    assert!(err.contains("no flag, no saved record"), "{err}");

    // --dry-run shows what the default would remove, and says so.
    let dry = sb
        .crumbs()
        .args(["prune", "--dry-run", "--policy", &extended_policy()])
        .arg(&jar)
        .assert()
        .success();
    assert!(common::stdout(&dry).contains("would remove _ga on .opendatasoft.com"));
    let note = String::from_utf8_lossy(&dry.get_output().stderr).into_owned();
    assert!(note.contains("no consent chosen"), "{note}");
}

#[test]
fn prune_acts_on_a_saved_record_or_a_value_crumbs_wrote() {
    let sb = Sandbox::new();
    let jar = sb.copy("tests/fixtures/curl.cookies.txt");
    let policy = extended_policy();
    let site = "robertleaf.my.opendatasoft.com";
    // A saved record is a choice.
    sb.crumbs()
        .args([
            "consent",
            "set",
            "--policy",
            &policy,
            "--site",
            site,
            "--reject-all",
        ])
        .assert()
        .success();
    let done = sb
        .crumbs()
        .args(["prune", "--policy", &policy])
        .arg(&jar)
        .assert()
        .success();
    assert!(common::stdout(&done).contains("removed 17 cookies"));
    // The value crumbs wrote into the jar is a choice, with no record left.
    sb.crumbs()
        .args(["consent", "reset", "--site", site])
        .assert()
        .success();
    let mut text = std::fs::read_to_string(&jar).unwrap();
    text.push_str(&format!(
        "{site}\tFALSE\t/\tFALSE\t2106460800\t_gid\tGA1.2.3\n"
    ));
    std::fs::write(&jar, text).unwrap();
    let done = sb
        .crumbs()
        .args(["prune", "--policy", &policy])
        .arg(&jar)
        .assert()
        .success();
    assert!(common::stdout(&done).contains("removed 1 cookies"));
    assert!(!std::fs::read_to_string(&jar).unwrap().contains("_gid"));
}
