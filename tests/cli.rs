//! The headless commands end to end: list, check, prune (dry run, output,
//! backups, undo), consent, policy show, and every bad-input path (exit 2, a
//! message naming the file and line, nothing written).

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;

use common::{NOW, Sandbox, extended_policy, json_of, repo, stdout};
use predicates::prelude::*;

const CURL: &str = "tests/fixtures/curl.cookies.txt";
const SESSION_VALUE: &str = "k3v9s0d8f7g6h5j4l3m2n1b0v9c8x7z6";

#[test]
fn list_groups_by_category_and_hides_values() {
    let sb = Sandbox::new();
    let a = sb
        .crumbs()
        .args(["list", &repo(CURL).display().to_string()])
        .assert()
        .success();
    let out = stdout(&a);
    assert!(
        out.contains("site:    robertleaf.my.opendatasoft.com"),
        "{out}"
    );
    assert!(
        out.contains("Necessary / functionality [required]: 4 cookies (keep 4, remove 0)"),
        "{out}"
    );
    assert!(
        out.contains("Internal (first-party): 15 cookies (keep 0, remove 15, 15 undeclared)"),
        "{out}"
    );
    assert!(
        out.contains("Other sites (never touched): 4 cookies"),
        "{out}"
    );
    assert!(out.contains("Opendatasoft · Authentication (front and back office) · To remember the user from one page to another"));
    assert!(out.contains("consent: unrecognised (from jar)"), "{out}");
    assert!(!out.contains(SESSION_VALUE), "values are hidden");
    let shown = stdout(
        &sb.crumbs()
            .args(["list", "--show-values", &repo(CURL).display().to_string()])
            .assert()
            .success(),
    );
    assert!(shown.contains(SESSION_VALUE), "--show-values shows them");
}

#[test]
fn list_json_follows_the_schema() {
    let sb = Sandbox::new();
    let a = sb
        .crumbs()
        .args(["list", "--json", &repo(CURL).display().to_string()])
        .assert()
        .success();
    let v = json_of(&a.get_output().stdout);
    assert_eq!(v["jar"]["format"], "netscape");
    assert_eq!(v["site"], "robertleaf.my.opendatasoft.com");
    assert_eq!(v["policy"]["revision"], "2026-11-22");
    assert!(v["policy"]["hash"].as_str().unwrap().starts_with("sha256:"));
    assert_eq!(v["consent"]["source"], "jar");
    assert_eq!(v["consent"]["state"], "unrecognised");
    assert_eq!(v["consent"]["categories"]["necessary"], true);
    assert_eq!(v["consent"]["categories"]["statistical"], false);
    assert_eq!(v["summary"]["total"], 23);
    assert_eq!(v["summary"]["keep"], 8);
    assert_eq!(v["summary"]["remove"], 15);
    assert_eq!(v["summary"]["by_category"]["first-party"]["remove"], 15);
    let cookies = v["cookies"].as_array().unwrap();
    assert_eq!(cookies.len(), 23);
    let find = |name: &str| cookies.iter().find(|c| c["name"] == name).unwrap();
    let s = find("sessionid");
    assert_eq!(s["declared"], true);
    assert_eq!(s["provider"], "Opendatasoft");
    assert_eq!(s["category"], "necessary");
    assert_eq!(s["expires"], serde_json::Value::Null);
    assert_eq!(s["session"], true);
    assert_eq!(s["http_only"], true);
    assert_eq!(s["same_site"], "unset");
    assert_eq!(s["action"], "keep");
    assert!(s.get("value").is_none());
    let ga = find("_ga");
    assert_eq!(
        (
            ga["scope"].as_str(),
            ga["category"].as_str(),
            ga["declared"].as_bool()
        ),
        (Some("site"), Some("first-party"), Some(false))
    );
    assert_eq!(ga["host_only"], false);
    assert_eq!(ga["expires"], "2037-01-01T00:00:00Z");
    assert_eq!(ga["action"], "remove");
    let cart = find("cart_id");
    assert_eq!(cart["scope"], "other-site");
    assert_eq!(cart["category"], serde_json::Value::Null);
    assert_eq!(cart["action"], "keep");
    assert!(!stdout(&a).contains(SESSION_VALUE));
}

#[test]
fn third_party_scope_with_a_policy_that_names_the_domain() {
    let sb = Sandbox::new();
    let a = sb
        .crumbs()
        .args([
            "list",
            "--json",
            "--policy",
            &extended_policy(),
            &repo(CURL).display().to_string(),
        ])
        .assert()
        .success();
    let v = json_of(&a.get_output().stdout);
    let cookies = v["cookies"].as_array().unwrap();
    let find = |name: &str| cookies.iter().find(|c| c["name"] == name).unwrap();
    assert_eq!(
        (
            find("IDE")["scope"].as_str(),
            find("IDE")["declared"].as_bool()
        ),
        (Some("third-party"), Some(true))
    );
    assert_eq!(
        (
            find("ad_uid")["scope"].as_str(),
            find("ad_uid")["declared"].as_bool()
        ),
        (Some("third-party"), Some(false))
    );
    assert_eq!(find("ad_uid")["category"], "third-party");
    assert_eq!(find("_ga")["category"], "statistical");
}

#[test]
fn check_reports_problems_then_is_clean_after_prune() {
    let sb = Sandbox::new();
    let jar = sb.copy(CURL);
    let a = sb.check_json(&jar);
    let v = json_of(&a.get_output().stdout);
    let kinds: Vec<&str> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "undeclared").count(), 15);
    assert!(kinds.contains(&"unrecognised-consent"));
    assert!(kinds.contains(&"not-consented"));
    assert!(
        kinds.contains(&"over-lifetime"),
        "the platform's preferences cookie lives 10 years: {kinds:?}"
    );
    // curl kept the 10-year expiries the server sent: browsers would cap them.
    assert_eq!(kinds.iter().filter(|k| **k == "lifetime").count(), 14);
    sb.crumbs()
        .args(["prune", "--reject-all"])
        .arg(&jar)
        .assert()
        .success();
    // The policy's problems are gone; what is left is the lint of the two
    // kept cookies the server set for ten years (crumbs' own preferences
    // cookie lives 182 days).
    let a = sb.check_json(&jar);
    let v = json_of(&a.get_output().stdout);
    let left: Vec<(&str, &str)> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["kind"].as_str().unwrap(), p["cookie"].as_str().unwrap()))
        .collect();
    assert_eq!(
        left,
        [
            ("lifetime", "csrftoken on robertleaf.my.opendatasoft.com"),
            (
                "lifetime",
                "django_language on robertleaf.my.opendatasoft.com"
            )
        ]
    );
}

#[test]
fn check_reports_stale_and_expired_consent() {
    let sb = Sandbox::new();
    let jar = sb.copy(CURL);
    sb.crumbs()
        .args(["prune", "--reject-all", "--policy", &extended_policy()])
        .arg(&jar)
        .assert()
        .success();
    // The shipped policy has another hash: the consent is stale.
    let a = sb.check_json(&jar);
    let v = json_of(&a.get_output().stdout);
    assert_eq!(v["consent"]["state"], "stale");
    assert!(
        v["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["kind"] == "stale-consent")
    );
    // 200 days later the consent (182 days) has expired.
    let later = (NOW + 200 * 86_400).to_string();
    let a = sb
        .crumbs()
        .env("CRUMBS_NOW", &later)
        .args(["check", "--json", "--policy", &extended_policy()])
        .arg(&jar)
        .assert()
        .code(1);
    let v = json_of(&a.get_output().stdout);
    assert_eq!(v["consent"]["state"], "expired");
    // prune warns and treats it as refusal.
    sb.crumbs()
        .env("CRUMBS_NOW", &later)
        .args(["prune", "--dry-run", "--policy", &extended_policy()])
        .arg(&jar)
        .assert()
        .success()
        .stderr(predicate::str::contains("expired; treating it as refusal"));
}

#[test]
fn dry_run_prints_what_prune_removes_and_writes_nothing() {
    let sb = Sandbox::new();
    let jar = sb.copy(CURL);
    let before = fs::read(&jar).unwrap();
    let dry = stdout(
        &sb.crumbs()
            .args(["prune", "--reject-all", "--dry-run"])
            .arg(&jar)
            .assert()
            .success(),
    );
    assert_eq!(fs::read(&jar).unwrap(), before);
    assert!(
        !sb.config().exists() && !sb.data().exists(),
        "no record, no backup"
    );
    let real = stdout(
        &sb.crumbs()
            .args(["prune", "--reject-all"])
            .arg(&jar)
            .assert()
            .success(),
    );
    let names = |s: &str, verb: &str| -> Vec<String> {
        s.lines()
            .filter_map(|l| l.strip_prefix(verb))
            .map(str::to_string)
            .collect()
    };
    let would = names(&dry, "would remove ");
    assert_eq!(would.len(), 15);
    assert_eq!(would, names(&real, "removed "));
}

#[test]
fn output_leaves_the_jar_alone() {
    let sb = Sandbox::new();
    let jar = sb.copy(CURL);
    let before = fs::read(&jar).unwrap();
    let out = sb.path("pruned.txt");
    sb.crumbs()
        .args(["prune", "--reject-all", "--output"])
        .arg(&out)
        .arg(&jar)
        .assert()
        .success();
    assert_eq!(fs::read(&jar).unwrap(), before);
    let pruned = fs::read_to_string(&out).unwrap();
    assert!(!pruned.contains("\t_ga\t") && pruned.contains("\tsessionid\t"));
    assert_eq!(
        fs::metadata(&out).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn prune_keeps_mode_writes_through_symlink_and_undo_restores() {
    let sb = Sandbox::new();
    let real = sb.copy(CURL);
    fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
    let link = sb.path("link.txt");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let before = fs::read(&real).unwrap();
    sb.crumbs()
        .args(["prune", "--reject-all"])
        .arg(&link)
        .assert()
        .success();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_ne!(fs::read(&real).unwrap(), before);
    assert_eq!(
        fs::metadata(&real).unwrap().permissions().mode() & 0o777,
        0o640
    );
    sb.crumbs()
        .args(["undo"])
        .arg(&link)
        .assert()
        .success()
        .stdout(predicate::str::contains("restored").and(predicate::str::contains(".bak")));
    assert_eq!(fs::read(&real).unwrap(), before);
    sb.crumbs()
        .args(["undo"])
        .arg(&link)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no backup to restore"));
}

#[test]
fn no_backup_takes_none() {
    let sb = Sandbox::new();
    let jar = sb.copy(CURL);
    sb.crumbs()
        .args(["prune", "--reject-all", "--no-backup"])
        .arg(&jar)
        .assert()
        .success();
    assert!(!sb.data().join("crumbs/backups").exists());
}

#[test]
fn consent_set_show_reset_and_the_log() {
    let sb = Sandbox::new();
    let site = "robertleaf.my.opendatasoft.com";
    sb.crumbs()
        .args(["consent", "set", "--site", site, "--allow", "statistical"])
        .assert()
        .success()
        .stdout(predicate::str::contains("statistical=yes"));
    let record = sb.config().join(format!("crumbs/consent/{site}.json"));
    assert_eq!(
        fs::metadata(&record).unwrap().permissions().mode() & 0o777,
        0o600
    );
    sb.crumbs()
        .args(["consent", "show"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains(format!("{site}  valid"))
                .and(predicate::str::contains("first-party=no")),
        );
    // The jar's own value is unrecognised, so the saved record is what counts.
    let jar = sb.copy(CURL);
    let v = json_of(
        &sb.crumbs()
            .args(["list", "--json"])
            .arg(&jar)
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    assert_eq!(v["consent"]["source"], "saved");
    assert_eq!(v["consent"]["categories"]["statistical"], true);
    sb.crumbs()
        .args(["consent", "reset", "--site", site])
        .assert()
        .success();
    assert!(!record.exists());
    sb.crumbs()
        .args(["consent", "show"])
        .assert()
        .success()
        .stdout(predicate::str::contains("no saved consent"));
    let log = fs::read_to_string(sb.data().join("crumbs/consent-log.jsonl")).unwrap();
    let actions: Vec<String> = log
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["action"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(actions, ["set", "reset"]);
}

#[test]
fn policy_show_text_and_json() {
    let sb = Sandbox::new();
    let out = stdout(&sb.crumbs().args(["policy", "show"]).assert().success());
    assert!(out.contains("Opendatasoft platform cookie policy (shipped:opendatasoft)"));
    assert!(out.contains("- csrftoken: Opendatasoft · API (CSRF) (front et back office) · To retrieve data via API calls"));
    let a = sb
        .crumbs()
        .args(["policy", "show", "--json"])
        .assert()
        .success();
    let shown = json_of(&a.get_output().stdout);
    let file: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(repo("assets/policies/opendatasoft.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(shown, file);
}

/// Every bad input exits 2, names the file (and line), and writes nothing.
#[test]
fn bad_inputs_exit_2_and_write_nothing() {
    let sb = Sandbox::new();
    let jar = sb.copy(CURL);
    let before = fs::read(&jar).unwrap();
    let bad_jar = sb.path("bad.txt");
    fs::write(&bad_jar, "# Netscape HTTP Cookie File\nx.opendatasoft.com\tFALSE\t/\tFALSE\t0\ta\tb\nnot a cookie line\n").unwrap();
    let bad_expiry = sb.path("bad-expiry.txt");
    fs::write(
        &bad_expiry,
        "x.opendatasoft.com\tFALSE\t/\tFALSE\tsoon\ta\tb\n",
    )
    .unwrap();
    let bad_policy = sb.path("policy.json");
    fs::write(&bad_policy, "{\n  \"schema\": 1,\n  \"name\": 5\n}\n").unwrap();
    let sqlite = sb.path("cookies.sqlite");
    fs::write(&sqlite, b"SQLite format 3\0rest").unwrap();
    let lwp = sb.path("lwp.txt");
    fs::write(&lwp, "#LWP-Cookies-2.0\nSet-Cookie3: a=b\n").unwrap();
    let j = jar.display().to_string();
    let cases: Vec<(Vec<String>, Vec<&str>)> = vec![
        (
            vec![
                "prune".into(),
                "--reject-all".into(),
                bad_jar.display().to_string(),
            ],
            vec!["bad.txt:3:", "expected 7 TAB-separated fields"],
        ),
        (
            vec!["list".into(), bad_expiry.display().to_string()],
            vec!["bad-expiry.txt:1:", "expiry"],
        ),
        (
            vec![
                "prune".into(),
                "--reject-all".into(),
                "--policy".into(),
                bad_policy.display().to_string(),
                j.clone(),
            ],
            vec!["policy.json:3:", "expected a string"],
        ),
        (
            vec!["check".into(), sqlite.display().to_string()],
            vec!["cookies.sqlite", "SQLite"],
        ),
        (
            vec!["list".into(), lwp.display().to_string()],
            vec!["lwp.txt:2:", "Set-Cookie3 cookie \"a\" has no domain="],
        ),
        (
            vec!["list".into(), sb.path("missing.txt").display().to_string()],
            vec!["missing.txt", "No such file"],
        ),
        (
            vec!["prune".into(), "--allow".into(), "stats".into(), j.clone()],
            vec![
                "unknown category `stats`",
                "necessary, statistical, first-party, third-party",
            ],
        ),
        (
            vec![
                "prune".into(),
                "--deny".into(),
                "necessary".into(),
                j.clone(),
            ],
            vec!["`necessary` is required"],
        ),
        (
            vec![
                "prune".into(),
                "--accept-all".into(),
                "--reject-all".into(),
                j.clone(),
            ],
            vec!["cannot be used with"],
        ),
        (
            vec!["list".into(), "--site".into(), "a b".into(), j.clone()],
            vec!["--site \"a b\"", "expected a host name"],
        ),
        (
            vec![
                "prune".into(),
                "--reject-all".into(),
                "--output".into(),
                sb.path("no/such/dir/out.txt").display().to_string(),
                j.clone(),
            ],
            vec!["out.txt"],
        ),
    ];
    for (args, needles) in cases {
        let a = sb.crumbs().args(&args).assert().code(2);
        let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        for n in needles {
            assert!(err.contains(n), "{args:?}: {err:?} should contain {n:?}");
        }
        assert!(!err.contains(SESSION_VALUE));
    }
    assert_eq!(fs::read(&jar).unwrap(), before);
    assert!(
        !sb.config().exists() && !sb.data().exists(),
        "nothing written"
    );
}

#[test]
fn two_sites_with_site_flag() {
    let sb = Sandbox::new();
    let jar = sb.copy("tests/fixtures/curl-two-sites.cookies.txt");
    let a = sb
        .crumbs()
        .args([
            "prune",
            "--reject-all",
            "--json",
            "--site",
            "TneAcademieGrenoble.opendatasoft.com",
        ])
        .arg(&jar)
        .assert()
        .success();
    let v = json_of(&a.get_output().stdout);
    assert_eq!(v["site"], "tneacademiegrenoble.opendatasoft.com");
    let removed: Vec<&str> = v["cookies"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["action"] == "remove")
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(removed, ["_ga"]);
    // robertleaf's cookies are other-site for this run.
    let other = v["cookies"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["scope"] == "other-site")
        .count();
    assert_eq!(other, 4);
}

#[test]
fn lenient_keeps_malformed_lines() {
    let sb = Sandbox::new();
    let jar = sb.path("j.txt");
    let text = "x.opendatasoft.com\tFALSE\t/\tFALSE\t0\tvisitor\t1\ngarbage line\nx.opendatasoft.com\tFALSE\t/\tFALSE\t0\tsessionid\t2\n";
    fs::write(&jar, text).unwrap();
    sb.crumbs()
        .args(["prune", "--reject-all", "--lenient", "--no-backup"])
        .arg(&jar)
        .assert()
        .success();
    let after = fs::read_to_string(&jar).unwrap();
    assert!(
        after.starts_with("garbage line\nx.opendatasoft.com\tFALSE\t/\tFALSE\t0\tsessionid\t2\n"),
        "{after}"
    );
    assert!(after.contains("\tcookies_preferences\t"));
}

/// `crumbs [JAR]` is the interactive view; without a terminal it exits 2 and
/// points to the headless commands (the TUI itself is tested in tests/tui_*.rs).
#[test]
fn no_terminal_points_to_list_and_prune() {
    let sb = Sandbox::new();
    for args in [vec![], vec!["cookies.txt"]] {
        let out = sb.crumbs().args(&args).assert().code(2);
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(err.contains("needs a terminal"), "{err}");
        assert!(err.contains("crumbs list"), "{err}");
        assert!(err.contains("crumbs prune"), "{err}");
        assert!(out.get_output().stdout.is_empty());
    }
}

/// A full disk and a read-only file system (a tiny tmpfs in a private mount
/// namespace) make prune exit 2 with the OS's reason and leave the jar intact.
#[test]
fn full_disk_and_read_only_fs_leave_the_jar_intact() {
    let sb = Sandbox::new();
    let mnt = sb.path("mnt");
    fs::create_dir(&mnt).unwrap();
    let script = r#"
        mount -t tmpfs -o size=16k tmpfs "$MNT" || exit 99
        cp "$SRC" "$MNT/jar.txt"
        dd if=/dev/zero of="$MNT/fill" bs=1k count=64 2>/dev/null
        "$BIN" prune --reject-all --no-backup "$MNT/jar.txt" 2>&1; echo "rc=$?"
        cmp -s "$SRC" "$MNT/jar.txt" && echo intact-full
        ls -A "$MNT" | tr '\n' ' '; echo
        rm -f "$MNT/fill"
        mount -o remount,ro "$MNT"
        "$BIN" prune --reject-all --no-backup "$MNT/jar.txt" 2>&1; echo "rc=$?"
        cmp -s "$SRC" "$MNT/jar.txt" && echo intact-ro
    "#;
    let out = std::process::Command::new("unshare")
        .args(["-rm", "sh", "-c", script])
        .env("MNT", &mnt)
        .env("SRC", repo(CURL))
        .env("BIN", assert_cmd::cargo::cargo_bin("crumbs"))
        .env("XDG_CONFIG_HOME", sb.config())
        .env("XDG_DATA_HOME", sb.data())
        .output()
        .expect("unshare (util-linux) runs the test in a private mount namespace");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_ne!(
        out.status.code(),
        Some(99),
        "cannot mount a tmpfs here: {text}"
    );
    let lines: Vec<&str> = text.lines().collect();
    assert!(text.contains("No space left on device"), "{text}");
    assert!(text.contains("Read-only file system"), "{text}");
    assert_eq!(lines.iter().filter(|l| **l == "rc=2").count(), 2, "{text}");
    assert!(
        text.contains("intact-full") && text.contains("intact-ro"),
        "{text}"
    );
    assert!(
        lines.contains(&"fill jar.txt "),
        "no temp file left: {text}"
    );
}

/// `--drop-expired` removes the site's expired cookies but never a required
/// one, the preferences cookie or another site's.
#[test]
fn drop_expired_spares_required_and_other_sites() {
    let sb = Sandbox::new();
    let jar = sb.copy(CURL);
    // 2036-10-02: every cookie set to expire on 2036-10-01 has expired.
    let later = "2106547200";
    let a = sb
        .crumbs()
        .env("CRUMBS_NOW", later)
        .args([
            "prune",
            "--accept-all",
            "--drop-expired",
            "--json",
            "--policy",
            &extended_policy(),
        ])
        .arg(&jar)
        .assert()
        .success();
    let v = json_of(&a.get_output().stdout);
    let rows = v["cookies"].as_array().unwrap();
    let mut removed: Vec<&str> = rows
        .iter()
        .filter(|c| c["action"] == "remove")
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    removed.sort();
    assert_eq!(
        removed,
        [
            "_gid",
            "ad_uid",
            "big_state",
            "empty_pref",
            "odd.name-with_chars",
            "quoted_note",
            "utf8_label",
            "visitor_segment"
        ]
    );
    for kept in ["django_language", "cart_id"] {
        let row = rows.iter().find(|c| c["name"] == kept).unwrap();
        assert_eq!(
            (row["expired"].as_bool(), row["action"].as_str()),
            (Some(true), Some("keep")),
            "{kept}"
        );
    }
}

/// An expiry at or past `i64::MAX` seconds (a hand-made edge case: no
/// client writes one) is shown as the farthest date, in text and JSON.
#[test]
fn an_expiry_past_the_last_date_is_shown_as_the_farthest_date() {
    let sb = Sandbox::new();
    let jar = sb.path("far.txt");
    fs::write(
        &jar,
        "# Netscape HTTP Cookie File\n\
         x.opendatasoft.com\tFALSE\t/\tFALSE\t9223372036854775807\tsessionid\tabc\n\
         x.opendatasoft.com\tFALSE\t/\tFALSE\t99999999999999999999\t_ga\tabc\n",
    )
    .unwrap();
    let text = stdout(&sb.crumbs().arg("list").arg(&jar).assert().success());
    assert!(!text.contains("9223372036854775807"), "{text}");
    assert_eq!(text.matches("9999-12-31").count(), 2, "{text}");
    let json = json_of(
        &sb.crumbs()
            .args(["list", "--json"])
            .arg(&jar)
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    let cookies = json["cookies"].as_array().unwrap();
    assert_eq!(cookies.len(), 2);
    for c in cookies {
        assert_eq!(c["expires"], "9999-12-31T23:59:59Z", "{c}");
        assert_eq!(c["session"], false, "{c}");
        assert_eq!(c["expired"], false, "{c}");
    }
}
