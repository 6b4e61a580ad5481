//! Live browsers as jars: the protocol clients against real headless Chromium
//! (DevTools protocol) and Firefox ESR (WebDriver BiDi).

mod common;
mod live_support;
mod tmux;

use std::time::{Duration, Instant};

use crumbs::live::{self, Browser, Endpoint, LiveCookie};
use live_support::{OTHER, SITE};

fn connect(endpoint: &str) -> Box<dyn Browser> {
    let e = Endpoint::parse(endpoint)
        .expect("a live endpoint")
        .expect("valid");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        // A browser that is starting on a loaded 2-core machine can take
        // longer than the 5 s the command line allows.
        match live::connect_with(&e, false, Duration::from_secs(30)) {
            Ok(b) => return b,
            Err(err) if Instant::now() < deadline => {
                eprintln!("waiting for {endpoint}: {err}");
                std::thread::sleep(Duration::from_millis(200));
            }
            Err(err) => panic!("{err}"),
        }
    }
}

/// Reads until both sites' cookies are there (the pages load asynchronously).
fn loaded(browser: &mut dyn Browser) -> Vec<LiveCookie> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let cookies = browser.cookies().expect("read cookies");
        let has = |name: &str| cookies.iter().any(|c| c.name == name);
        if has("visitor_segment") && has("shop_session") {
            return cookies;
        }
        assert!(
            Instant::now() < deadline,
            "cookies never arrived: {cookies:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn read_all(endpoint: &str) -> Vec<LiveCookie> {
    connect(endpoint).cookies().expect("read")
}

fn names(cookies: &[LiveCookie]) -> Vec<String> {
    let mut v: Vec<String> = cookies
        .iter()
        .map(|c| format!("{}@{}", c.name, c.domain))
        .collect();
    v.sort();
    v
}

/// Read, delete one cookie, set it back: the protocol round trip every save
/// and undo rests on.
fn round_trip(browser: &mut dyn Browser) {
    let before = loaded(browser);
    let ods = before
        .iter()
        .find(|c| c.name == "ods_theme")
        .expect("ods_theme")
        .clone();
    assert_eq!(ods.domain, SITE);
    assert_eq!(ods.value, "dark");
    assert!(ods.expires.is_some(), "a persistent cookie");
    let session = before
        .iter()
        .find(|c| c.name == "sessionid")
        .expect("sessionid");
    assert!(session.http_only && session.expires.is_none());
    let lax = before
        .iter()
        .find(|c| c.name == "visitor_segment")
        .expect("visitor_segment");
    assert_eq!(lax.same_site, "lax");
    assert!(
        before
            .iter()
            .any(|c| c.name == "shop_session" && c.domain == OTHER)
    );

    browser.delete(&ods).expect("delete");
    let after = browser.cookies().expect("read again");
    assert!(
        !after.iter().any(|c| c.name == "ods_theme"),
        "{:?}",
        names(&after)
    );
    assert_eq!(after.len(), before.len() - 1, "only that cookie went");

    browser.set(&ods).expect("set back");
    let restored = browser.cookies().expect("read restored");
    let back = restored
        .iter()
        .find(|c| c.same_identity(&ods))
        .expect("ods_theme is back");
    assert_eq!(back.value, "dark");
    assert_eq!(back.http_only, ods.http_only);
    let (a, b) = (back.expires.unwrap_or(0.0), ods.expires.unwrap_or(0.0));
    assert!((a - b).abs() < 2.0, "same expiry: {a} vs {b}");
    assert_eq!(names(&restored), names(&before));
}

#[test]
fn chromium_cookies_over_cdp() {
    if let Some(why) = live_support::missing("chromium") {
        eprintln!("SKIPPED: {why}");
        return;
    }
    let server = live_support::serve();
    let browser = live_support::chromium(&server);
    let mut b = connect(&browser.endpoint);
    assert!(b.product().contains("Chrome"), "{}", b.product());
    round_trip(b.as_mut());
}

#[test]
fn firefox_cookies_over_bidi() {
    if let Some(why) = live_support::missing("firefox-esr") {
        eprintln!("SKIPPED: {why}");
        return;
    }
    let server = live_support::serve();
    let browser = live_support::firefox(&server);
    let mut b = connect(&browser.endpoint);
    assert!(b.product().contains("firefox"), "{}", b.product());
    round_trip(b.as_mut());
    drop(b);
    // The session was ended: a second client can start one.
    let mut again = connect(&browser.endpoint);
    assert!(!again.cookies().expect("read").is_empty());
}

#[test]
fn a_closed_port_is_an_error_naming_the_endpoint() {
    // A free port below the kernel's ephemeral range: a port bound with `:0`
    // and dropped could be handed meanwhile to a browser or server another
    // test starts (it was, once: "Connection reset by peer").
    let port = (20_000..32_000)
        .find(|&p| std::net::TcpListener::bind(("127.0.0.1", p)).is_ok())
        .expect("a free port");
    let e = Endpoint::parse(&format!("cdp://127.0.0.1:{port}"))
        .unwrap()
        .unwrap();
    let err = live::connect(&e, false).unwrap_err().to_string();
    assert!(
        err.starts_with(&format!("cdp://127.0.0.1:{port}: cannot connect")),
        "{err}"
    );
}

#[test]
fn an_endpoint_that_is_not_a_browser_is_named() {
    // A server that answers HTTP but is no DevTools endpoint.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        if let Ok((mut s, _)) = listener.accept() {
            let mut buf = [0u8; 1024];
            let _ = s.read(&mut buf);
            let _ = s.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        }
    });
    let e = Endpoint::parse(&format!("cdp://127.0.0.1:{port}"))
        .unwrap()
        .unwrap();
    let err = live::connect(&e, false).unwrap_err().to_string();
    assert!(err.contains("not a Chromium DevTools endpoint"), "{err}");
    assert!(err.contains(&port.to_string()), "{err}");
}

#[test]
fn a_silent_endpoint_times_out() {
    // Accepts the connection and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let _keep = std::thread::spawn(move || {
        let conn = listener.accept();
        std::thread::sleep(Duration::from_secs(8));
        drop(conn);
    });
    let e = Endpoint::parse(&format!("cdp://127.0.0.1:{port}"))
        .unwrap()
        .unwrap();
    let started = Instant::now();
    let err = live::connect(&e, false).unwrap_err().to_string();
    assert!(
        started.elapsed() < Duration::from_secs(7),
        "{:?}",
        started.elapsed()
    );
    assert!(err.contains(&format!("cdp://127.0.0.1:{port}")), "{err}");
}

/// The save protocol: edits in memory, a checked commit that writes the
/// snapshot first, and an undo that sets everything back.
fn save_and_undo(endpoint: &str) {
    use crumbs::live::jar::{self, LiveJar};
    use crumbs::model::{CookieKey, Edits, Expiry, NewCookie, SameSite, SetCookie};
    let e = Endpoint::parse(endpoint).unwrap().unwrap();
    // Firefox allows one BiDi session: the test's reads each use their own.
    let read = || connect(endpoint).cookies().expect("read");
    let before = loaded(connect(endpoint).as_mut());
    let mut jar = LiveJar::from_cookies(e.clone(), false, String::new(), before.clone());
    let key_of = |jar: &LiveJar, name: &str| {
        let i = jar
            .cookies()
            .iter()
            .position(|c| c.name == name)
            .expect(name);
        CookieKey::Index(i)
    };
    let edits = Edits {
        remove: vec![key_of(&jar, "ods_theme"), key_of(&jar, "_pk_id.1.a1b2")],
        set: Some(SetCookie::Add(NewCookie {
            name: "cookies_preferences".into(),
            value: "%7B%22v%22%3A1%7D".into(),
            domain: SITE.into(),
            host_only: true,
            path: "/".into(),
            secure: false,
            http_only: false,
            same_site: SameSite::Lax,
            expiry: Expiry::At(4_000_000_000),
        })),
    };
    jar.apply(&edits).expect("edits apply");
    assert_eq!(jar.cookies().len(), before.len() - 1);
    let dir = tempfile::tempdir().expect("dir");
    let snap = jar
        .commit(|s| jar::write_snapshot(dir.path(), s))
        .expect("commit");
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&snap).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);
    let text = std::fs::read_to_string(&snap).unwrap();
    assert!(
        text.contains("\"dark\""),
        "the snapshot keeps values for undo"
    );

    let after = read();
    let has = |cs: &[LiveCookie], n: &str| cs.iter().any(|c| c.name == n);
    assert!(!has(&after, "ods_theme") && !has(&after, "_pk_id.1.a1b2"));
    assert!(has(&after, "sessionid") && has(&after, "shop_session"));
    let pref = after
        .iter()
        .find(|c| c.name == "cookies_preferences")
        .expect("preferences set");
    assert_eq!(
        (pref.domain.as_str(), pref.same_site.as_str()),
        (SITE, "lax")
    );

    jar::undo(&e, false, &snap, false).expect("undo");
    let undone = read();
    assert_eq!(names(&undone), names(&before));
    let theme = undone.iter().find(|c| c.name == "ods_theme").unwrap();
    assert_eq!(theme.value, "dark");
    assert!(!snap.exists() && snap.with_extension("undone").exists());
}

/// A cookie that changes in the browser after the read stops the save.
fn changed_since_read(endpoint: &str) {
    use crumbs::live::jar::{self, LiveJar, LiveSaveError};
    use crumbs::model::{CookieKey, Edits};
    let e = Endpoint::parse(endpoint).unwrap().unwrap();
    let before = loaded(connect(endpoint).as_mut());
    let mut jar = LiveJar::from_cookies(e, false, String::new(), before.clone());
    let i = jar
        .cookies()
        .iter()
        .position(|c| c.name == "visitor_segment")
        .unwrap();
    jar.apply(&Edits {
        remove: vec![CookieKey::Index(i)],
        set: None,
    })
    .unwrap();
    let mut changed = before[i].clone();
    changed.value = "green".into();
    connect(endpoint)
        .set(&changed)
        .expect("another client changes it");
    let dir = tempfile::tempdir().expect("dir");
    let err = jar
        .commit(|s| jar::write_snapshot(dir.path(), s))
        .unwrap_err();
    assert!(matches!(err, LiveSaveError::Changed { .. }), "{err}");
    assert!(err.to_string().contains("visitor_segment@"), "{err}");
    assert_eq!(
        std::fs::read_dir(dir.path())
            .map(|d| d.count())
            .unwrap_or(0),
        0,
        "no snapshot"
    );
    let now = read_all(endpoint);
    assert!(
        now.iter()
            .any(|c| c.name == "visitor_segment" && c.value == "green")
    );
}

#[test]
fn chromium_save_and_undo() {
    if let Some(why) = live_support::missing("chromium") {
        eprintln!("SKIPPED: {why}");
        return;
    }
    let server = live_support::serve();
    let browser = live_support::chromium(&server);
    save_and_undo(&browser.endpoint);
    changed_since_read(&browser.endpoint);
}

#[test]
fn firefox_save_and_undo() {
    if let Some(why) = live_support::missing("firefox-esr") {
        eprintln!("SKIPPED: {why}");
        return;
    }
    let server = live_support::serve();
    let browser = live_support::firefox(&server);
    save_and_undo(&browser.endpoint);
    changed_since_read(&browser.endpoint);
}

/// Every face of the command line on a live browser: list, prune, undo.
fn cli_prune_and_undo(endpoint: &str) {
    let sb = common::Sandbox::new();
    let before = loaded(connect(endpoint).as_mut());

    let out = sb
        .crumbs()
        .args(["list", endpoint, "--json"])
        .output()
        .expect("run list");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("\"ods_theme\"") && text.contains(SITE),
        "{text}"
    );
    assert!(!text.contains("s3cr3t-session"), "values stay hidden");

    let out = sb
        .crumbs()
        .args(["prune", endpoint, "--site", SITE, "--reject-all"])
        .output()
        .expect("run prune");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = read_all(endpoint);
    let has = |cs: &[LiveCookie], n: &str| cs.iter().any(|c| c.name == n);
    for gone in ["ods_theme", "_pk_id.1.a1b2", "visitor_segment"] {
        assert!(!has(&after, gone), "{gone} pruned: {:?}", names(&after));
    }
    for kept in [
        "sessionid",
        "csrftoken",
        "shop_session",
        "_ga",
        "cookies_preferences",
    ] {
        assert!(has(&after, kept), "{kept} kept: {:?}", names(&after));
    }
    let snaps: Vec<_> = std::fs::read_dir(sb.data().join("crumbs/backups"))
        .expect("backups folder")
        .flat_map(|d| std::fs::read_dir(d.unwrap().path()).unwrap())
        .collect();
    assert_eq!(snaps.len(), 1, "one snapshot");

    let out = sb
        .crumbs()
        .args(["undo", endpoint])
        .output()
        .expect("run undo");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(names(&read_all(endpoint)), names(&before));
}

/// `crumbs remove` on a live browser: the named cookie goes whatever its
/// category, nothing else; `undo` sets it back.
fn cli_remove_and_undo(endpoint: &str) {
    let sb = common::Sandbox::new();
    let before = loaded(connect(endpoint).as_mut());
    let (code, _, err) = run(&sb, &["remove", endpoint, "sessionid"]);
    assert_eq!(code, Some(0), "{err}");
    let after = read_all(endpoint);
    let mut expected = names(&before);
    expected.retain(|n| !n.starts_with("sessionid@"));
    assert_eq!(names(&after), expected, "only sessionid removed");
    let (code, _, err) = run(&sb, &["undo", endpoint]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(names(&read_all(endpoint)), names(&before));
}

#[test]
fn remove_on_live_chromium_and_firefox() {
    for browser in ["chromium", "firefox-esr"] {
        if let Some(why) = live_support::missing(browser) {
            eprintln!("SKIPPED: {why}");
            continue;
        }
        let server = live_support::serve();
        let running = if browser == "chromium" {
            live_support::chromium(&server)
        } else {
            live_support::firefox(&server)
        };
        cli_remove_and_undo(&running.endpoint);
    }
}

#[test]
fn cli_on_live_chromium() {
    if let Some(why) = live_support::missing("chromium") {
        eprintln!("SKIPPED: {why}");
        return;
    }
    let server = live_support::serve();
    let browser = live_support::chromium(&server);
    cli_prune_and_undo(&browser.endpoint);
}

#[test]
fn cli_on_live_firefox() {
    if let Some(why) = live_support::missing("firefox-esr") {
        eprintln!("SKIPPED: {why}");
        return;
    }
    let server = live_support::serve();
    let browser = live_support::firefox(&server);
    cli_prune_and_undo(&browser.endpoint);
}

#[test]
fn a_remote_endpoint_is_refused_without_allow_remote() {
    let sb = common::Sandbox::new();
    let out = sb
        .crumbs()
        .args(["list", "cdp://192.0.2.1:9222"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cdp://192.0.2.1:9222") && err.contains("--allow-remote"),
        "{err}"
    );
}

/// Runs crumbs with `args`, returning (exit code, stdout, stderr).
fn run(sb: &common::Sandbox, args: &[&str]) -> (Option<i32>, String, String) {
    let out = sb
        .crumbs()
        .env("HOME", sb.path("home"))
        .args(args)
        .output()
        .expect("run crumbs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A profile folder of a browser running with remote debugging opens live:
/// the live cookies, with a note naming the endpoint; `crumbs jars` lists
/// the browser with its endpoint.
fn discovered(browser: &live_support::Running, profile_paths: &[std::path::PathBuf]) {
    let sb = common::Sandbox::new();
    loaded(connect(&browser.endpoint).as_mut());
    for path in profile_paths {
        let path = path.to_str().expect("UTF-8 path");
        let (code, out, err) = run(&sb, &["list", path, "--json"]);
        assert_eq!(code, Some(0), "{path}: {err}");
        assert!(
            err.contains(&format!("using the live cookies at {}", browser.endpoint)),
            "{path}: the note names the endpoint: {err}"
        );
        assert!(
            out.contains("\"visitor_segment\"") && out.contains("\"shop_session\""),
            "{path}: {out}"
        );
        assert!(
            out.contains(&browser.endpoint),
            "{path}: the jar is the endpoint: {out}"
        );
    }
}

#[test]
fn a_chromium_profile_with_devtoolsactiveport_opens_live() {
    if let Some(why) = live_support::missing("chromium") {
        eprintln!("SKIPPED: {why}");
        return;
    }
    let server = live_support::serve();
    let sb = common::Sandbox::new();
    // The user-data folder `crumbs jars` looks in (XDG_CONFIG_HOME/chromium).
    let user_data = sb.config().join("chromium");
    std::fs::create_dir_all(&user_data).expect("user-data folder");
    let browser = live_support::chromium_in(&server, &user_data);
    let db = loaded_db(&user_data);
    discovered(
        &browser,
        &[user_data.clone(), user_data.join("Default"), db],
    );

    let (code, out, err) = run(&sb, &["jars"]);
    assert_eq!(code, Some(0), "{err}");
    let row = out
        .lines()
        .find(|l| l.starts_with("Chromium"))
        .unwrap_or_else(|| panic!("a Chromium row: {out}"));
    assert!(row.contains(&browser.endpoint), "{row}");
    assert!(
        out.contains(&format!("`crumbs {}`", browser.endpoint)),
        "{out}"
    );
    let (_, json, _) = run(&sb, &["jars", "--json"]);
    let rows: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(rows[0]["endpoint"], browser.endpoint.as_str(), "{json}");
    assert_eq!(rows[0]["running"], true, "{json}");

    // Once the browser is gone its port file is stale: the database is the jar
    // again (Chromium may not have flushed its cookies to it yet, so only the
    // choice of jar is checked).
    drop(browser);
    let (_, _, err) = run(&sb, &["list", user_data.to_str().unwrap(), "--json"]);
    assert!(!err.contains("live cookies"), "{err}");
    let (_, json, _) = run(&sb, &["jars", "--json"]);
    let rows: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(rows[0]["endpoint"], serde_json::Value::Null, "{json}");
    assert_eq!(rows[0]["running"], false, "{json}");
}

/// The cookie database Chromium writes in `user_data`'s Default profile,
/// once it exists.
fn loaded_db(user_data: &std::path::Path) -> std::path::PathBuf {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(db) = crumbs::jar::locate::chromium_jar(&user_data.join("Default")) {
            return db;
        }
        assert!(
            Instant::now() < deadline,
            "no cookie database in {user_data:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn a_firefox_profile_with_a_bidi_server_opens_live() {
    if let Some(why) = live_support::missing("firefox-esr") {
        eprintln!("SKIPPED: {why}");
        return;
    }
    let server = live_support::serve();
    let browser = live_support::firefox(&server);
    discovered(
        &browser,
        &[
            browser.profile.clone(),
            browser.profile.join("cookies.sqlite"),
        ],
    );
}

/// `undo --force` over cookies changed since the save keeps a snapshot of
/// what it replaces, and undoing that snapshot puts the changed state back.
fn forced_undo_keeps_what_it_replaces(endpoint: &str) {
    let sb = common::Sandbox::new();
    let before = loaded(connect(endpoint).as_mut());
    let (code, _, err) = run(&sb, &["prune", endpoint, "--site", SITE, "--reject-all"]);
    assert_eq!(code, Some(0), "{err}");
    // Someone sets a pruned cookie again, with another value.
    let mut theme = before
        .iter()
        .find(|c| c.name == "ods_theme")
        .expect("ods_theme")
        .clone();
    theme.value = "light".into();
    connect(endpoint).set(&theme).expect("set ods_theme");

    let (code, _, err) = run(&sb, &["undo", endpoint]);
    assert_eq!(code, Some(2), "a changed browser is refused: {err}");
    assert!(err.contains("ods_theme"), "{err}");

    let (code, out, err) = run(&sb, &["undo", endpoint, "--force"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("kept it as it was in backup"), "{out}");
    let value_of = |name: &str| {
        read_all(endpoint)
            .into_iter()
            .find(|c| c.name == name)
            .map(|c| c.value)
    };
    assert_eq!(
        value_of("ods_theme").as_deref(),
        Some("dark"),
        "forced back"
    );

    // The forced undo is itself undoable: the user's "light" comes back.
    let (code, _, err) = run(&sb, &["undo", endpoint]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(value_of("ods_theme").as_deref(), Some("light"));
    assert!(value_of("visitor_segment").is_none(), "the prune's state");
}

#[test]
fn chromium_forced_undo_keeps_what_it_replaces() {
    if let Some(why) = live_support::missing("chromium") {
        eprintln!("SKIPPED: {why}");
        return;
    }
    let server = live_support::serve();
    let browser = live_support::chromium(&server);
    forced_undo_keeps_what_it_replaces(&browser.endpoint);
}

#[test]
fn firefox_forced_undo_keeps_what_it_replaces() {
    if let Some(why) = live_support::missing("firefox-esr") {
        eprintln!("SKIPPED: {why}");
        return;
    }
    let server = live_support::serve();
    let browser = live_support::firefox(&server);
    forced_undo_keeps_what_it_replaces(&browser.endpoint);
}

/// The TUI on a live browser, as a person uses it at 80x24: reject all,
/// save, confirm; the browser then holds what `prune --reject-all` leaves.
fn tui_reject_all_and_save(endpoint: &str) {
    let sb = common::Sandbox::new();
    loaded(connect(endpoint).as_mut());
    let t = tmux::Tmux::start(
        &[endpoint],
        80,
        24,
        &[
            ("XDG_CONFIG_HOME", &sb.config()),
            ("XDG_DATA_HOME", &sb.data()),
        ],
    );
    let first = t.wait_text("Categories");
    assert!(
        first.contains(endpoint),
        "the header names the endpoint:\n{first}"
    );
    t.keys(&["r"]);
    t.wait_text("All optional categories refused");
    t.keys(&["s"]);
    t.wait_text("Remove");
    t.keys(&["y"]);
    t.wait_text("Saved");
    t.keys(&["q"]);
    t.wait_exit();

    let after = read_all(endpoint);
    let has = |n: &str| after.iter().any(|c| c.name == n);
    for gone in ["ods_theme", "_pk_id.1.a1b2", "visitor_segment"] {
        assert!(!has(gone), "{gone} pruned: {:?}", names(&after));
    }
    for kept in [
        "sessionid",
        "csrftoken",
        "shop_session",
        "_ga",
        "cookies_preferences",
    ] {
        assert!(has(kept), "{kept} kept: {:?}", names(&after));
    }
    let record = std::fs::read_dir(sb.config().join("crumbs/consent"))
        .expect("a consent record folder")
        .count();
    assert_eq!(record, 1, "one consent record");
}

#[test]
fn tui_on_live_chromium() {
    if let Some(why) = live_support::missing("chromium") {
        eprintln!("SKIPPED: {why}");
        return;
    }
    let server = live_support::serve();
    let browser = live_support::chromium(&server);
    tui_reject_all_and_save(&browser.endpoint);
}

#[test]
fn tui_on_live_firefox() {
    if let Some(why) = live_support::missing("firefox-esr") {
        eprintln!("SKIPPED: {why}");
        return;
    }
    let server = live_support::serve();
    let browser = live_support::firefox(&server);
    tui_reject_all_and_save(&browser.endpoint);
}

/// What the fake DevTools endpoint does with the `n`th `Storage.setCookies`.
#[derive(Clone, Copy)]
enum OnSet {
    /// Closes the WebSocket (a browser that crashes or a network that drops).
    DropAt(usize),
    /// Answers with the protocol's error for a cookie it will not take.
    RefuseNamed(&'static str),
}

/// A DevTools endpoint holding a few of SITE's cookies, misbehaving on set as
/// `on_set` says; returns its `cdp://` address.
fn fake_cdp(on_set: OnSet) -> String {
    use std::io::{BufRead, BufReader, Write};
    use tungstenite::Message;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let cookie = |name: &str| {
        serde_json::json!({"name": name, "value": "v", "domain": SITE, "path": "/",
            "expires": 2_000_000_000.0, "size": 5, "httpOnly": false, "secure": false,
            "session": false, "priority": "Medium", "sameParty": false,
            "sourceScheme": "NonSecure", "sourcePort": 80})
    };
    let cookies = vec![
        cookie("sessionid"),
        cookie("ods_theme"),
        cookie("visitor_segment"),
        cookie("_pk_id.1.a1b2"),
    ];
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut first = String::new();
            if first.contains("Upgrade") {
                continue;
            }
            // Peek at the request line: /json/version is plain HTTP.
            let mut peek = [0u8; 16];
            let n = stream.peek(&mut peek).unwrap_or(0);
            if peek[..n].starts_with(b"GET /json/") {
                while reader.read_line(&mut first).unwrap_or(0) > 2 && !first.ends_with("\r\n\r\n")
                {
                }
                let body = format!(
                    "{{\"Browser\": \"Fake/1\", \"webSocketDebuggerUrl\": \"ws://127.0.0.1:{port}/devtools/browser/x\"}}"
                );
                let mut s = stream;
                let _ = write!(
                    s,
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                );
                continue;
            }
            let mut cookies = cookies.clone();
            std::thread::spawn(move || {
                let Ok(mut ws) = tungstenite::accept(stream) else {
                    return;
                };
                let mut sets = 0;
                while let Ok(Message::Text(text)) = ws.read() {
                    let msg: serde_json::Value = serde_json::from_str(&text).expect("JSON");
                    let id = msg["id"].clone();
                    let answer = match msg["method"].as_str().unwrap_or("") {
                        "Storage.getCookies" => {
                            serde_json::json!({"id": id, "result": {"cookies": cookies}})
                        }
                        "Storage.setCookies" => {
                            sets += 1;
                            let c = msg["params"]["cookies"][0].clone();
                            let name = c["name"].as_str().unwrap_or("").to_string();
                            match on_set {
                                OnSet::DropAt(n) if sets == n => return,
                                OnSet::RefuseNamed(refused) if name == refused => {
                                    serde_json::json!(
                                    {"id": id, "error": {"code": -32000, "message": "Invalid cookie fields"}})
                                }
                                _ => {
                                    // An expired write deletes; any other sets.
                                    let same = |k: &serde_json::Value| {
                                        k["name"] == c["name"]
                                            && k["domain"] == c["domain"]
                                            && k["path"] == c["path"]
                                    };
                                    cookies.retain(|k| !same(k));
                                    if c["expires"].as_f64().unwrap_or(f64::MAX) > 2.0 {
                                        cookies.push(c);
                                    }
                                    serde_json::json!({"id": id, "result": {}})
                                }
                            }
                        }
                        _ => serde_json::json!({"id": id, "result": {}}),
                    };
                    if ws.send(Message::Text(answer.to_string().into())).is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("cdp://127.0.0.1:{port}")
}

/// The snapshots a save left for `endpoint` in the sandbox's backups folder.
fn snapshots(sb: &common::Sandbox) -> Vec<serde_json::Value> {
    let Ok(dirs) = std::fs::read_dir(sb.data().join("crumbs/backups")) else {
        return Vec::new();
    };
    dirs.flat_map(|d| std::fs::read_dir(d.expect("entry").path()).expect("dir"))
        .map(|f| {
            serde_json::from_slice(&std::fs::read(f.expect("file").path()).expect("read"))
                .expect("JSON")
        })
        .collect()
}

#[test]
fn a_websocket_that_drops_mid_save_is_an_error_and_the_snapshot_is_there() {
    let endpoint = fake_cdp(OnSet::DropAt(2));
    let sb = common::Sandbox::new();
    let (code, _, err) = run(&sb, &["prune", &endpoint, "--site", SITE, "--reject-all"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains(&endpoint), "names the endpoint: {err}");
    assert!(
        err.contains("Storage.setCookies"),
        "says what failed: {err}"
    );
    assert!(
        err.contains("failed partway") && err.contains(&format!("`crumbs undo {endpoint}`")),
        "does not claim nothing changed, says how to undo: {err}"
    );
    assert!(!err.contains("nothing was changed"), "{err}");
    // Written before the first change, so undo can put back what was done.
    let snaps = snapshots(&sb);
    assert_eq!(snaps.len(), 1, "{snaps:?}");
    let removed: Vec<&str> = snaps[0]["removed"]
        .as_array()
        .expect("removed")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert!(
        removed.contains(&"ods_theme") && !removed.contains(&"sessionid"),
        "{removed:?}"
    );
}

#[test]
fn a_cookie_the_browser_refuses_is_named() {
    let endpoint = fake_cdp(OnSet::RefuseNamed("cookies_preferences"));
    let sb = common::Sandbox::new();
    let (code, _, err) = run(&sb, &["prune", &endpoint, "--site", SITE, "--reject-all"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains(&endpoint), "{err}");
    assert!(
        err.contains("refused to set cookies_preferences@"),
        "names the cookie: {err}"
    );
    assert!(err.contains("crumbs undo"), "{err}");
    assert!(!err.contains("\"v\""), "no value printed: {err}");
}

/// A cookie in a Firefox container (a user context other than the default)
/// is read, pruned by its category and set back by undo, in its container.
#[test]
fn firefox_containers_are_read_and_pruned() {
    use crumbs::live::ws::Rpc;
    use serde_json::json;
    if let Some(why) = live_support::missing("firefox-esr") {
        eprintln!("SKIPPED: {why}");
        return;
    }
    let server = live_support::serve();
    let browser = live_support::firefox(&server);
    loaded(connect(&browser.endpoint).as_mut());
    let e = Endpoint::parse(&browser.endpoint).unwrap().unwrap();
    let url = format!("ws://127.0.0.1:{}/session", e.port);
    let mut rpc = Rpc::open(&e, &url, Duration::from_secs(30)).expect("socket");
    rpc.call("session.new", json!({"capabilities": {}}))
        .expect("session");
    let made = rpc
        .call("browser.createUserContext", json!({}))
        .expect("context");
    let context = made["userContext"].as_str().expect("id").to_string();
    let cookie = json!({"name": "ods_theme", "value": {"type": "string", "value": "boxed"},
        "domain": SITE, "path": "/", "expiry": 2_000_000_000i64});
    rpc.call(
        "storage.setCookie",
        json!({"cookie": cookie, "partition": {"type": "storageKey", "userContext": context}}),
    )
    .expect("set in the container");
    rpc.call("session.end", json!({})).expect("end");
    drop(rpc);

    let in_container = |cs: &[LiveCookie]| {
        cs.iter()
            .filter(|c| c.name == "ods_theme" && c.partition["userContext"] == context.as_str())
            .count()
    };
    assert_eq!(in_container(&read_all(&browser.endpoint)), 1, "read");
    let sb = common::Sandbox::new();
    prune_and_undo_in_a_context(&sb, &browser.endpoint, in_container, |c| {
        c.partition.is_null()
    });
}

/// `prune --reject-all` then `undo` on `endpoint`: the `ods_theme` that
/// `in_context` counts goes and comes back, and the default context's one
/// (`is_default`) is there after the undo.
fn prune_and_undo_in_a_context(
    sb: &common::Sandbox,
    endpoint: &str,
    in_context: impl Fn(&[LiveCookie]) -> usize,
    is_default: impl Fn(&LiveCookie) -> bool,
) {
    let (code, _, err) = run(sb, &["prune", endpoint, "--site", SITE, "--reject-all"]);
    assert_eq!(code, Some(0), "{err}");
    let after = read_all(endpoint);
    assert_eq!(in_context(&after), 0, "pruned: {:?}", names(&after));
    let (code, _, err) = run(sb, &["undo", endpoint]);
    assert_eq!(code, Some(0), "{err}");
    let back = read_all(endpoint);
    assert_eq!(in_context(&back), 1, "set back in its context");
    assert!(
        back.iter().any(|c| c.name == "ods_theme" && is_default(c)),
        "and the default context's one too"
    );
}

/// A cookie in a Chromium browser context other than the default (where
/// Playwright and Puppeteer keep each test's cookies) is read, pruned by its
/// category and set back by undo, in its context.
#[test]
fn chromium_browser_contexts_are_read_and_pruned() {
    use crumbs::live::ws::Rpc;
    use serde_json::json;
    if let Some(why) = live_support::missing("chromium") {
        eprintln!("SKIPPED: {why}");
        return;
    }
    let server = live_support::serve();
    let browser = live_support::chromium(&server);
    loaded(connect(&browser.endpoint).as_mut());
    let e = Endpoint::parse(&browser.endpoint).unwrap().unwrap();
    let version = crumbs::live::ws::http_get_json(&e, "/json/version", Duration::from_secs(30))
        .expect("/json/version");
    let url = version["webSocketDebuggerUrl"].as_str().expect("ws url");
    let mut rpc = Rpc::open(&e, url, Duration::from_secs(30)).expect("socket");
    let made = rpc
        .call(
            "Target.createBrowserContext",
            json!({"disposeOnDetach": false}),
        )
        .expect("context");
    let context = made["browserContextId"].as_str().expect("id").to_string();
    let cookie = json!({"name": "ods_theme", "value": "boxed", "domain": SITE, "path": "/",
        "expires": 2_000_000_000i64});
    rpc.call(
        "Storage.setCookies",
        json!({"cookies": [cookie], "browserContextId": context}),
    )
    .expect("set in the context");
    drop(rpc);

    let in_context = |cs: &[LiveCookie]| {
        cs.iter()
            .filter(|c| c.name == "ods_theme" && c.context.as_deref() == Some(context.as_str()))
            .count()
    };
    assert_eq!(in_context(&read_all(&browser.endpoint)), 1, "read");
    let sb = common::Sandbox::new();
    let (code, out, err) = run(&sb, &["list", &browser.endpoint, "--json"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains(&format!("context {context}")), "{out}");
    prune_and_undo_in_a_context(&sb, &browser.endpoint, in_context, |c| c.context.is_none());
}
