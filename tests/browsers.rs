//! Browser jars written by real headless Chromium 156 and Firefox ESR 153
//! (tests/fixtures/generate-browsers.sh): exact counts, times and partitions;
//! prune reject-all / accept-all with the remaining rows checked, untouched
//! rows (encrypted values included) identical, `integrity_check` ok, deleted
//! values gone from the file; a locked database refused; changes on disk
//! detected; profile folders, `crumbs jars`, undo.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{NOW, Sandbox, extended_policy, json_of, repo};
use crumbs::consent::value::ConsentValue;
use crumbs::jar::save::{self, Target};
use crumbs::jar::{DbReadError, Format, Jar, JarError, OpenOptions};
use crumbs::model::{CookieKey, Edits, Expiry, SameSite};
use rusqlite::Connection;
use rusqlite::types::Value;

const CHROMIUM: &str = "tests/fixtures/chromium.Cookies";
const FIREFOX: &str = "tests/fixtures/firefox.cookies.sqlite";
const PARTITION_FF: &str = "^partitionKey=%28https%2Copendatasoft.com%29";

fn open(path: &Path) -> Jar {
    Jar::open(path, OpenOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// Every row of `table`, every column, in rowid order.
fn rows(path: &Path, table: &str) -> Vec<Vec<Value>> {
    let c = Connection::open(path).unwrap();
    let mut s = c
        .prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))
        .unwrap();
    let n = s.column_count();
    s.query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn column(path: &Path, table: &str, name: &str) -> usize {
    let c = Connection::open(path).unwrap();
    let s = c.prepare(&format!("SELECT * FROM {table}")).unwrap();
    s.column_index(name).unwrap()
}

fn integrity(path: &Path) -> String {
    Connection::open(path)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

fn text(v: &Value) -> String {
    match v {
        Value::Text(s) => s.clone(),
        other => panic!("not text: {other:?}"),
    }
}

#[test]
fn chromium_fixture_loads_exactly() {
    let j = open(&repo(CHROMIUM));
    assert_eq!(j.format(), Format::Chromium);
    let c = j.cookies().to_vec();
    assert_eq!(c.len(), 18, "Chromium keeps no session cookie on disk");
    assert_eq!(c.iter().filter(|c| !c.host_only).count(), 3);
    assert_eq!(c.iter().filter(|c| c.secure).count(), 6);
    assert_eq!(c.iter().filter(|c| c.http_only).count(), 2);
    assert!(c.iter().all(|c| c.expiry != Expiry::Session));
    let find = |n: &str| c.iter().find(|c| c.name == n).unwrap();
    // µs since 1601: 13474472138430829 → 1829998538 (2027-12-28; Chromium caps at 400 days).
    assert_eq!(find("django_language").expiry, Expiry::At(1_829_998_538));
    assert_eq!(find("django_language").same_site, SameSite::Lax);
    assert_eq!(find("_gid").same_site, SameSite::Unset);
    assert_eq!(find("IDE").same_site, SameSite::None);
    assert_eq!(find("bo_panel").same_site, SameSite::Strict);
    assert_eq!(find("_ga").domain, "opendatasoft.com");
    assert!(!find("_ga").host_only);
    // Values are v10 under Linux's public key: opened.
    assert_eq!(find("utf8_label").value, "café-ü");
    assert_eq!(find("quoted_note").value, "\"a b=c\"");
    assert_eq!(find("empty_pref").value, "");
    assert_eq!(find("big_state").value.len(), 4087);
    // Partitions: the CHIPS cookie only.
    let partitioned: Vec<(&str, &str)> = c
        .iter()
        .filter(|c| !c.partition.is_empty())
        .map(|c| (c.name.as_ref(), c.partition.as_ref()))
        .collect();
    assert_eq!(partitioned, [("ad_part", "https://opendatasoft.com")]);
    let CookieKey::Chromium(k) = &find("ad_part").key else {
        panic!("chromium key");
    };
    assert_eq!(k.top_frame_site_key, "https://opendatasoft.com");
    assert_eq!(
        (k.has_cross_site_ancestor, k.source_scheme, k.source_port),
        (Some(1), Some(2), Some(443))
    );
    assert!(j.stores_preferences());
}

#[test]
fn firefox_fixture_loads_exactly() {
    let j = open(&repo(FIREFOX));
    assert_eq!(j.format(), Format::Firefox);
    let c = j.cookies().to_vec();
    assert_eq!(c.len(), 18, "Firefox keeps no session cookie on disk");
    assert_eq!(c.iter().filter(|c| !c.host_only).count(), 3);
    assert_eq!(c.iter().filter(|c| c.secure).count(), 6);
    assert_eq!(c.iter().filter(|c| c.http_only).count(), 2);
    let find = |n: &str| c.iter().find(|c| c.name == n).unwrap();
    // user_version 17: expiry in ms (1829998545656 → 1829998545).
    assert_eq!(find("django_language").expiry, Expiry::At(1_829_998_545));
    assert_eq!(find("_gid").same_site, SameSite::Unset, "sameSite 256");
    assert_eq!(find("csrftoken").same_site, SameSite::Lax);
    assert_eq!(find("IDE").same_site, SameSite::None);
    assert_eq!(find("utf8_label").value, "café-ü");
    // Third-party cookies are partitioned under Total Cookie Protection.
    let partitioned: BTreeSet<&str> = c
        .iter()
        .filter(|c| c.partition == PARTITION_FF)
        .map(|c| c.name.as_ref())
        .collect();
    assert_eq!(partitioned, BTreeSet::from(["IDE", "ad_part", "ad_uid"]));
    assert_eq!(c.iter().filter(|c| !c.partition.is_empty()).count(), 3);
    let CookieKey::Firefox(k) = &find("IDE").key else {
        panic!("firefox key");
    };
    assert_eq!(
        (k.host.as_str(), k.origin_attributes.as_str()),
        (".adnetwork.test", PARTITION_FF)
    );
}

/// Names kept by reject-all under the extended policy.
const KEPT_REJECT: [&str; 4] = [
    "cookies_preferences",
    "csrftoken",
    "django_language",
    "cart_id",
];

/// Prunes a copy of `fixture`, then checks the rows left, that every
/// untouched row is identical in every column, integrity, the preferences
/// row, and a second run that changes nothing.
fn prune_browser(fixture: &str, table: &str, flag: &str, kept: &[&str]) {
    let sb = Sandbox::new();
    let jar = sb.copy(fixture);
    let name_col = column(&jar, table, "name");
    let before = rows(&jar, table);
    let out = sb
        .crumbs()
        .args(["prune", "--json", "--policy", &extended_policy(), flag])
        .arg(&jar)
        .assert()
        .success();
    let report = json_of(&out.get_output().stdout);
    assert_eq!(report["consent"]["preferences_in_jar"], true);
    let after = rows(&jar, table);
    assert_eq!(integrity(&jar), "ok");

    let names: BTreeSet<String> = after.iter().map(|r| text(&r[name_col])).collect();
    let want: BTreeSet<String> = kept.iter().map(|s| s.to_string()).collect();
    assert_eq!(names, want, "{fixture} {flag}: rows left");

    // Untouched rows: identical, every column (encrypted values included).
    let untouched = |rs: &[Vec<Value>]| -> Vec<Vec<Value>> {
        rs.iter()
            .filter(|r| want.contains(&text(&r[name_col])))
            .filter(|r| text(&r[name_col]) != "cookies_preferences")
            .cloned()
            .collect()
    };
    assert_eq!(
        untouched(&before),
        untouched(&after),
        "{fixture}: untouched"
    );

    // The preferences row now holds the choice.
    let j = open(&jar);
    let pref = j
        .cookies()
        .iter()
        .find(|c| c.name == "cookies_preferences")
        .unwrap();
    let v = ConsentValue::decode(&pref.value).unwrap();
    assert_eq!(v.site, "robertleaf.my.opendatasoft.com");
    assert_eq!(pref.expiry, Expiry::At(v.expires.unix_timestamp()));
    assert!(pref.secure && pref.host_only);

    // Idempotent.
    let bytes = std::fs::read(&jar).unwrap();
    sb.crumbs()
        .args(["prune", "--policy", &extended_policy(), flag])
        .arg(&jar)
        .assert()
        .success()
        .stdout(predicates::str::contains("nothing to change"));
    assert_eq!(std::fs::read(&jar).unwrap(), bytes);
    // One backup, a single self-contained SQLite file equal to the original rows.
    let backups: Vec<_> = walk(&sb.data())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "bak"))
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert_eq!(rows(&backups[0], table), before);
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn prune_reject_all_chromium() {
    prune_browser(CHROMIUM, "cookies", "--reject-all", &KEPT_REJECT);
}

#[test]
fn prune_reject_all_firefox() {
    prune_browser(FIREFOX, "moz_cookies", "--reject-all", &KEPT_REJECT);
}

#[test]
fn prune_accept_all_keeps_every_row() {
    for (fixture, table) in [(CHROMIUM, "cookies"), (FIREFOX, "moz_cookies")] {
        let all: Vec<String> = open(&repo(fixture))
            .cookies()
            .iter()
            .map(|c| c.name.to_string())
            .collect();
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        prune_browser(fixture, table, "--accept-all", &all);
    }
}

#[test]
fn chromium_preferences_cookie_is_v10_bound_to_its_host() {
    let sb = Sandbox::new();
    let jar = sb.copy(CHROMIUM);
    sb.crumbs()
        .args(["prune", "--reject-all"])
        .arg(&jar)
        .assert()
        .success();
    let c = Connection::open(&jar).unwrap();
    let (value, enc, version): (String, Vec<u8>, String) = c
        .query_row(
            "SELECT value, encrypted_value, (SELECT value FROM meta WHERE key = 'version') \
             FROM cookies WHERE name = 'cookies_preferences'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(value, "", "the value lives encrypted only");
    assert!(enc.starts_with(b"v10"));
    let plain =
        crumbs::jar::chromium_crypt::decrypt(&enc, "robertleaf.my.opendatasoft.com", 24).unwrap();
    assert!(ConsentValue::decode(&plain).is_ok());
    assert_eq!(version, "24", "meta untouched");
    let meta_before = rows(&repo(CHROMIUM), "meta");
    assert_eq!(rows(&jar, "meta"), meta_before);
}

#[test]
fn deleted_values_do_not_linger_in_the_file() {
    let sb = Sandbox::new();
    let jar = sb.copy(FIREFOX);
    let needle = b"0123456789abcdef0123456789abcdef"; // big_state's value
    let has = |p: &Path| {
        std::fs::read(p)
            .unwrap()
            .windows(needle.len())
            .any(|w| w == needle)
    };
    assert!(has(&jar));
    sb.crumbs()
        .args(["prune", "--reject-all", "--no-backup"])
        .arg(&jar)
        .assert()
        .success();
    let wal = Path::new(&format!("{}-wal", jar.display())).to_path_buf();
    assert!(!wal.exists(), "no WAL left behind");
    assert!(!has(&jar), "secure_delete zeroed the freed pages");
}

/// A running browser holds a lock: the prune is refused (exit 2) quickly,
/// the file stays as it was and no backup is left.
#[test]
fn locked_database_is_refused() {
    for (fixture, browser) in [(FIREFOX, "Firefox"), (CHROMIUM, "Chromium")] {
        let sb = Sandbox::new();
        let jar = sb.copy(fixture);
        let before = std::fs::read(&jar).unwrap();
        let holder = Connection::open(&jar).unwrap();
        holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
        let started = std::time::Instant::now();
        let out = sb
            .crumbs()
            .args(["prune", "--reject-all"])
            .arg(&jar)
            .timeout(std::time::Duration::from_secs(20))
            .assert()
            .code(2);
        assert!(started.elapsed().as_secs() < 10, "never waits for long");
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(err.contains(&format!("close {browser} first")), "{err}");
        assert!(
            err.contains("cookies.sqlite") || err.contains("Cookies"),
            "{err}"
        );
        holder.execute_batch("ROLLBACK").unwrap();
        drop(holder);
        assert_eq!(std::fs::read(&jar).unwrap(), before, "{browser}: untouched");
        assert!(
            walk(&sb.data()).is_empty(),
            "{browser}: no backup left: {:?}",
            walk(&sb.data())
        );
        assert!(!sb.config().exists(), "no consent record");
    }
}

#[test]
fn a_database_changed_since_loading_is_not_written() {
    let sb = Sandbox::new();
    let path = sb.copy(FIREFOX);
    let mut jar = open(&path);
    let key = jar.cookies().at(0).key.clone();
    jar.apply(&Edits {
        remove: vec![key],
        set: None,
    })
    .unwrap();
    Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE moz_cookies SET value = 'other' WHERE name = 'cart_id'",
            [],
        )
        .unwrap();
    let before = rows(&path, "moz_cookies");
    let dirs = crumbs::dirs::Dirs {
        config: sb.config(),
        data: sb.data(),
    };
    let err = save::save(
        &mut jar,
        Target::InPlace {
            no_backup: false,
            break_links: false,
        },
        &dirs,
        &mut (),
    )
    .unwrap_err();
    assert!(matches!(err, JarError::Changed { .. }), "{err}");
    assert_eq!(rows(&path, "moz_cookies"), before);
    assert!(walk(&sb.data()).is_empty(), "no backup kept");
}

#[test]
fn output_writes_a_new_database_and_leaves_the_jar() {
    for (fixture, table) in [(CHROMIUM, "cookies"), (FIREFOX, "moz_cookies")] {
        let sb = Sandbox::new();
        let jar = sb.copy(fixture);
        let before = std::fs::read(&jar).unwrap();
        let out = sb.path("out.sqlite");
        sb.crumbs()
            .args([
                "prune",
                "--reject-all",
                "--policy",
                &extended_policy(),
                "--output",
            ])
            .arg(&out)
            .arg(&jar)
            .assert()
            .success();
        assert_eq!(std::fs::read(&jar).unwrap(), before);
        assert_eq!(integrity(&out), "ok");
        assert_eq!(rows(&out, table).len(), KEPT_REJECT.len());
        assert_eq!(open(&out).format(), open(&jar).format());
    }
}

#[test]
fn a_database_missing_columns_is_refused_with_a_typed_error() {
    let sb = Sandbox::new();
    let jar = sb.path("cookies.sqlite");
    Connection::open(&jar)
        .unwrap()
        .execute_batch(
            "CREATE TABLE moz_cookies (id INTEGER PRIMARY KEY, name TEXT, value TEXT, host TEXT, \
             path TEXT, isSecure INTEGER)",
        )
        .unwrap();
    let err = Jar::open(&jar, OpenOptions::default()).expect_err("refused");
    let JarError::UnreadableDatabase {
        source: DbReadError::MissingColumns { table, columns, .. },
        ..
    } = &err
    else {
        panic!("expected MissingColumns, got {err:?}");
    };
    assert_eq!(
        (*table, columns.as_slice()),
        ("moz_cookies", &["expiry", "isHttpOnly"][..])
    );
    assert!(
        err.to_string().ends_with(
            "cookies.sqlite: not a supported cookie jar: moz_cookies lacks the column(s) \
             expiry, isHttpOnly; expected a Firefox cookies.sqlite"
        ),
        "{err}"
    );
}

#[test]
fn newer_chromium_version_is_refused() {
    let sb = Sandbox::new();
    let jar = sb.copy(CHROMIUM);
    Connection::open(&jar)
        .unwrap()
        .execute("UPDATE meta SET value = '25' WHERE key = 'version'", [])
        .unwrap();
    let out = sb.crumbs().arg("list").arg(&jar).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("version 25 is newer than crumbs knows (up to 24)"),
        "{err}"
    );
}

/// Firefox's `user_version` far above the tested one is refused like
/// Chromium's newer `meta.version`: the version named, nothing written.
#[test]
fn newer_firefox_version_is_refused() {
    let sb = Sandbox::new();
    let jar = sb.copy(FIREFOX);
    Connection::open(&jar)
        .unwrap()
        .execute_batch("PRAGMA user_version = 9999")
        .unwrap();
    let before = rows(&jar, "moz_cookies");
    for args in [&["list"][..], &["prune", "--reject-all"]] {
        let out = sb.crumbs().args(args).arg(&jar).assert().code(2);
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(
            err.contains(
                "Firefox cookies.sqlite database version 9999 is newer than crumbs knows (up to 17)"
            ),
            "{args:?}: {err}"
        );
    }
    assert_eq!(rows(&jar, "moz_cookies"), before);
    // The version crumbs was tested with still loads.
    Connection::open(&jar)
        .unwrap()
        .execute_batch("PRAGMA user_version = 17")
        .unwrap();
    assert_eq!(open(&jar).cookies().len(), before.len());
}

/// Values under a key crumbs cannot use (macOS Keychain, Windows, app-bound)
/// show as "(encrypted)", are pruned by DELETE all the same, and the choice
/// stays in the consent record only.
#[test]
fn foreign_key_values_are_pruned_but_not_written() {
    let sb = Sandbox::new();
    let jar = sb.copy(CHROMIUM);
    {
        let c = Connection::open(&jar).unwrap();
        let mut blob = b"v10".to_vec();
        blob.extend_from_slice(&[0x5a; 48]);
        c.execute("UPDATE cookies SET encrypted_value = ?1", [blob])
            .unwrap();
    }
    let j = open(&jar);
    assert!(j.cookies().iter().all(|c| c.value == "(encrypted)"));
    assert!(!j.stores_preferences());
    let before = rows(&jar, "cookies");
    let out = sb
        .crumbs()
        .args(["prune", "--reject-all", "--policy", &extended_policy()])
        .arg(&jar)
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        text.contains("kept in crumbs' consent record only"),
        "{text}"
    );
    assert!(sb.config().join("crumbs/consent").exists());
    let after = rows(&jar, "cookies");
    assert_eq!(after.len(), KEPT_REJECT.len());
    let kept: Vec<_> = before.into_iter().filter(|r| after.contains(r)).collect();
    assert_eq!(kept, after, "kept rows byte-identical, preferences row too");
    let json = json_of(
        &sb.crumbs()
            .args(["list", "--json"])
            .arg(&jar)
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    assert_eq!(json["consent"]["preferences_in_jar"], false);
}

#[test]
fn profile_folders_are_accepted() {
    let sb = Sandbox::new();
    let ff = sb.path("firefox-profile");
    std::fs::create_dir_all(&ff).unwrap();
    std::fs::copy(repo(FIREFOX), ff.join("cookies.sqlite")).unwrap();
    let ch = sb.path("chromium-profile");
    std::fs::create_dir_all(ch.join("Network")).unwrap();
    std::fs::copy(repo(CHROMIUM), ch.join("Network/Cookies")).unwrap();
    for (dir, format, file) in [
        (&ff, "firefox-sqlite", "cookies.sqlite"),
        (&ch, "chromium-sqlite", "Network/Cookies"),
    ] {
        let v = json_of(
            &sb.crumbs()
                .args(["list", "--json"])
                .arg(dir)
                .assert()
                .success()
                .get_output()
                .stdout,
        );
        assert_eq!(v["jar"]["format"], format);
        assert!(v["jar"]["path"].as_str().unwrap().ends_with(file));
        sb.crumbs()
            .args(["prune", "--reject-all"])
            .arg(dir)
            .assert()
            .success();
        sb.crumbs().arg("undo").arg(dir).assert().success();
        let restored = dir.join(file);
        assert_eq!(integrity(&restored), "ok");
        assert_eq!(
            open(&restored).cookies().len(),
            18,
            "undo restored every row"
        );
    }
}

#[test]
fn jars_lists_browser_profiles() {
    let sb = Sandbox::new();
    let home = sb.path("home");
    let profile = home.join(".mozilla/firefox/abcd.default-release");
    std::fs::create_dir_all(&profile).unwrap();
    std::fs::write(
        home.join(".mozilla/firefox/profiles.ini"),
        "[Profile0]\nName=default-release\nIsRelative=1\nPath=abcd.default-release\nDefault=1\n",
    )
    .unwrap();
    std::fs::copy(repo(FIREFOX), profile.join("cookies.sqlite")).unwrap();
    // Firefox is "running": its lock names this (live) test process.
    std::os::unix::fs::symlink(
        format!("127.0.0.1:+{}", std::process::id()),
        profile.join("lock"),
    )
    .unwrap();
    let brave = home.join(".config/BraveSoftware/Brave-Browser/Profile 1/Network");
    std::fs::create_dir_all(&brave).unwrap();
    std::fs::copy(repo(CHROMIUM), brave.join("Cookies")).unwrap();
    let out = sb
        .crumbs()
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .args(["jars", "--json"])
        .assert()
        .success();
    let v = json_of(&out.get_output().stdout);
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 2, "{v}");
    assert_eq!(rows[0]["browser"], "Firefox");
    assert_eq!(rows[0]["profile"], "default-release");
    assert_eq!(rows[0]["cookies"], 18);
    assert_eq!(rows[0]["running"], true);
    assert_eq!(rows[1]["browser"], "Brave");
    assert_eq!(rows[1]["profile"], "Profile 1");
    assert_eq!(rows[1]["format"], "chromium-sqlite");
    assert_eq!(rows[1]["running"], false);
    let text = sb
        .crumbs()
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .arg("jars")
        .assert()
        .success();
    let t = String::from_utf8_lossy(&text.get_output().stdout).into_owned();
    assert!(
        t.contains("Firefox") && t.contains("default-release"),
        "{t}"
    );
    assert!(t.contains("close the browser before pruning"), "{t}");
}

#[test]
fn now_is_before_every_fixture_expiry() {
    // The pinned test clock keeps these jars valid.
    for f in [CHROMIUM, FIREFOX] {
        assert!(
            open(&repo(f))
                .cookies()
                .iter()
                .all(|c| !c.expiry.is_expired(NOW))
        );
    }
}

/// Without a preferences row, prune inserts one with the columns each browser
/// writes itself: times, expiry unit, scheme, SameSite, encryption.
#[test]
fn preferences_row_is_inserted_with_correct_columns() {
    let sb = Sandbox::new();
    // Firefox.
    let ff = sb.copy(FIREFOX);
    Connection::open(&ff)
        .unwrap()
        .execute(
            "DELETE FROM moz_cookies WHERE name = 'cookies_preferences'",
            [],
        )
        .unwrap();
    sb.crumbs()
        .args(["prune", "--reject-all"])
        .arg(&ff)
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "add a cookies_preferences cookie",
        ));
    assert_eq!(integrity(&ff), "ok");
    let c = Connection::open(&ff).unwrap();
    let (host, oa, expiry, created, accessed, secure, same_site, scheme): (
        String,
        String,
        i64,
        i64,
        i64,
        i64,
        i64,
        i64,
    ) = c
        .query_row(
            "SELECT host, originAttributes, expiry, creationTime, lastAccessed, isSecure, \
             sameSite, schemeMap FROM moz_cookies WHERE name = 'cookies_preferences'",
            [],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                ))
            },
        )
        .unwrap();
    assert_eq!(
        (host.as_str(), oa.as_str()),
        ("robertleaf.my.opendatasoft.com", "")
    );
    let j = open(&ff);
    let pref = j
        .cookies()
        .iter()
        .find(|c| c.name == "cookies_preferences")
        .unwrap();
    let v = ConsentValue::decode(&pref.value).unwrap();
    assert_eq!(
        expiry,
        v.expires.unix_timestamp() * 1000,
        "ms since user_version 16"
    );
    assert!(created > 1_700_000_000_000_000 && created == accessed, "µs");
    assert_eq!((secure, same_site, scheme), (1, 1, 2));

    // Chromium.
    let ch = sb.copy(CHROMIUM);
    Connection::open(&ch)
        .unwrap()
        .execute("DELETE FROM cookies WHERE name = 'cookies_preferences'", [])
        .unwrap();
    sb.crumbs()
        .args(["prune", "--reject-all"])
        .arg(&ch)
        .assert()
        .success();
    assert_eq!(integrity(&ch), "ok");
    let c = Connection::open(&ch).unwrap();
    let row: (String, String, i64, i64, i64, i64, i64, i64, i64, Vec<u8>) = c
        .query_row(
            "SELECT host_key, top_frame_site_key, expires_utc, is_persistent, has_expires, \
             samesite, source_scheme, source_port, creation_utc, encrypted_value \
             FROM cookies WHERE name = 'cookies_preferences'",
            [],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                ))
            },
        )
        .unwrap();
    let j = open(&ch);
    let pref = j
        .cookies()
        .iter()
        .find(|c| c.name == "cookies_preferences")
        .unwrap();
    let v = ConsentValue::decode(&pref.value).unwrap();
    assert_eq!(row.0, "robertleaf.my.opendatasoft.com");
    assert_eq!(row.1, "");
    assert_eq!(
        row.2,
        (v.expires.unix_timestamp() + 11_644_473_600) * 1_000_000,
        "µs since 1601"
    );
    assert_eq!((row.3, row.4, row.5, row.6, row.7), (1, 1, 1, 2, 443));
    assert!(row.8 > 13_000_000_000_000_000);
    assert!(row.9.starts_with(b"v10"));
}

/// Older layouts, built with their browsers' own schemas: Firefox before
/// schema 16 stores `expiry` in seconds and has `rawSameSite`; Chromium 18
/// keys rows by (host_key, top_frame_site_key, name, path) and may hold plain values.
#[test]
fn older_schemas_read_and_prune() {
    let sb = Sandbox::new();
    let ff = sb.path("old-cookies.sqlite");
    {
        let c = Connection::open(&ff).unwrap();
        c.execute_batch(
            "CREATE TABLE moz_cookies (id INTEGER PRIMARY KEY, originAttributes TEXT NOT NULL DEFAULT '', \
             name TEXT, value TEXT, host TEXT, path TEXT, expiry INTEGER, lastAccessed INTEGER, \
             creationTime INTEGER, isSecure INTEGER, isHttpOnly INTEGER, inBrowserElement INTEGER DEFAULT 0, \
             sameSite INTEGER DEFAULT 0, rawSameSite INTEGER DEFAULT 0, schemeMap INTEGER DEFAULT 0, \
             CONSTRAINT moz_uniqueid UNIQUE (name, host, path, originAttributes));
             PRAGMA user_version = 12;
             INSERT INTO moz_cookies (name, value, host, path, expiry, lastAccessed, creationTime, isSecure, isHttpOnly, sameSite, rawSameSite, schemeMap)
             VALUES ('sessionid', 's', 'robertleaf.my.opendatasoft.com', '/', 2106460800, 1, 1, 1, 1, 1, 1, 2),
                    ('_ga', 'g', '.opendatasoft.com', '/', 2114380800, 1, 1, 0, 0, 0, 0, 2);",
        )
        .unwrap();
    }
    let j = open(&ff);
    assert_eq!(
        j.cookies().at(0).expiry,
        Expiry::At(2_106_460_800),
        "seconds"
    );
    sb.crumbs()
        .args(["prune", "--reject-all"])
        .arg(&ff)
        .assert()
        .success();
    let c = Connection::open(&ff).unwrap();
    let (expiry, raw): (i64, i64) = c
        .query_row(
            "SELECT expiry, rawSameSite FROM moz_cookies WHERE name = 'cookies_preferences'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(expiry < 10_000_000_000, "written in seconds too: {expiry}");
    assert_eq!(raw, 1);
    assert_eq!(
        rows(&ff, "moz_cookies").len(),
        2,
        "_ga gone, preferences added"
    );

    let ch = sb.path("Cookies");
    {
        let c = Connection::open(&ch).unwrap();
        c.execute_batch(
            "CREATE TABLE meta(key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR);
             INSERT INTO meta VALUES ('version', '18'), ('last_compatible_version', '18');
             CREATE TABLE cookies(creation_utc INTEGER NOT NULL, host_key TEXT NOT NULL, top_frame_site_key TEXT NOT NULL, \
             name TEXT NOT NULL, value TEXT NOT NULL, encrypted_value BLOB NOT NULL, path TEXT NOT NULL, \
             expires_utc INTEGER NOT NULL, is_secure INTEGER NOT NULL, is_httponly INTEGER NOT NULL, \
             last_access_utc INTEGER NOT NULL, has_expires INTEGER NOT NULL, is_persistent INTEGER NOT NULL, \
             priority INTEGER NOT NULL, samesite INTEGER NOT NULL, source_scheme INTEGER NOT NULL, \
             source_port INTEGER NOT NULL, is_same_party INTEGER NOT NULL, last_update_utc INTEGER NOT NULL);
             CREATE UNIQUE INDEX cookies_unique_index ON cookies(host_key, top_frame_site_key, name, path);
             INSERT INTO cookies VALUES
               (13300000000000000, 'robertleaf.my.opendatasoft.com', '', 'sessionid', 's1', X'', '/', 0, 1, 1, 13300000000000000, 0, 0, 1, 1, 2, 443, 0, 13300000000000000),
               (13300000000000001, '.opendatasoft.com', '', '_ga', 'g1', X'', '/', 13400000000000000, 0, 0, 13300000000000000, 1, 1, 1, -1, 2, 443, 0, 13300000000000000);",
        )
        .unwrap();
    }
    let j = open(&ch);
    assert_eq!(j.cookies().at(0).value, "s1", "plain values are read");
    assert_eq!(j.cookies().at(0).expiry, Expiry::Session, "is_persistent 0");
    let CookieKey::Chromium(k) = &j.cookies().at(1).key else {
        panic!("chromium key");
    };
    assert_eq!(
        (k.has_cross_site_ancestor, k.source_scheme, k.source_port),
        (None, None, None),
        "not in version 18's index"
    );
    sb.crumbs()
        .args(["prune", "--reject-all"])
        .arg(&ch)
        .assert()
        .success();
    let left = rows(&ch, "cookies");
    assert_eq!(left.len(), 2, "_ga gone, preferences added");
    let enc: Vec<u8> = Connection::open(&ch)
        .unwrap()
        .query_row(
            "SELECT encrypted_value FROM cookies WHERE name = 'cookies_preferences'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let plain =
        crumbs::jar::chromium_crypt::decrypt(&enc, "robertleaf.my.opendatasoft.com", 18).unwrap();
    assert!(
        ConsentValue::decode(&plain).is_ok(),
        "no host hash before 24"
    );
}

#[test]
fn output_copy_keeps_no_deleted_value_either() {
    let sb = Sandbox::new();
    let jar = sb.copy(FIREFOX);
    let out = sb.path("out.sqlite");
    sb.crumbs()
        .args(["prune", "--reject-all", "--output"])
        .arg(&out)
        .arg(&jar)
        .assert()
        .success();
    let needle = b"0123456789abcdef0123456789abcdef";
    let bytes = std::fs::read(&out).unwrap();
    assert!(!bytes.windows(needle.len()).any(|w| w == needle));
}
