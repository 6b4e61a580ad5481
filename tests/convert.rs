//! `crumbs convert`: the same cookies in another format, what the target
//! cannot hold said on stderr (and in `--json`), and the Netscape file loaded
//! by the real clients: curl, wget and Python's MozillaCookieJar (each test
//! of a client is skipped, saying so, when that client is not installed;
//! .ci/run installs them).

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use common::{Sandbox, httpie_cookie_header, json_of, lost_of, repo};
use crumbs::jar::{Format, Jar, OpenOptions};
use crumbs::model::SameSite;

const PLAYWRIGHT: &str = "tests/fixtures/playwright.storage-state.json";

/// (name, domain, host_only, path, secure, value) of every cookie of a jar.
type Id = (String, String, bool, String, bool, String);

fn ids(path: &Path) -> BTreeSet<Id> {
    let j = Jar::open(path, OpenOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    j.cookies()
        .iter()
        .map(|c| {
            (
                c.name.to_string(),
                c.domain.to_string(),
                c.host_only,
                c.path.to_string(),
                c.secure,
                c.value.to_string(),
            )
        })
        .collect()
}

fn convert(sb: &Sandbox, jar: &Path, to: &str, out: &str) -> (std::path::PathBuf, String) {
    let dest = sb.path(out);
    let a = sb
        .crumbs()
        .arg("convert")
        .arg(jar)
        .args(["--to", to, "--output"])
        .arg(&dest)
        .assert()
        .success();
    (
        dest,
        String::from_utf8_lossy(&a.get_output().stderr).into_owned(),
    )
}

fn have(tool: &str) -> bool {
    let ok = Command::new(tool).arg("--version").output().is_ok();
    if !ok {
        eprintln!("skipped: {tool} is not installed");
    }
    ok
}

#[test]
fn playwright_to_netscape_says_what_is_lost() {
    let sb = Sandbox::new();
    let (txt, err) = convert(&sb, &repo(PLAYWRIGHT), "netscape", "cookies.txt");
    assert!(err.contains("21 cookies: SameSite dropped"), "{err}");
    assert!(err.contains("1 cookies: partition dropped"), "{err}");
    assert!(
        err.contains("3 cookies: HttpOnly written as the #HttpOnly_"),
        "{err}"
    );
    assert!(
        err.contains("2 localStorage entries: localStorage"),
        "{err}"
    );
    assert!(
        !err.contains("k3v9s0d8"),
        "no cookie value on stderr: {err}"
    );
    assert_eq!(
        Jar::open(&txt, OpenOptions::default()).unwrap().format(),
        Format::Netscape
    );
    assert_eq!(ids(&txt), ids(&repo(PLAYWRIGHT)), "the same cookies");
}

#[test]
fn json_report_counts_the_losses() {
    let sb = Sandbox::new();
    let a = sb
        .crumbs()
        .arg("convert")
        .arg(repo(PLAYWRIGHT))
        .args(["--to", "selenium", "--json", "--output"])
        .arg(sb.path("s.json"))
        .assert()
        .success();
    let r = json_of(&a.get_output().stdout);
    assert_eq!(r["from"], "playwright");
    assert_eq!(r["to"], "selenium");
    assert_eq!(r["cookies"], 21);
    let lost = lost_of(&r);
    assert_eq!(
        lost,
        [("partition".to_owned(), 1), ("local-storage".to_owned(), 2)]
    );
}

/// Every target reads back as the same cookies, SameSite and expiry included
/// where the target holds them.
#[test]
fn round_trips_through_every_json_target() {
    let sb = Sandbox::new();
    let src = repo("tests/fixtures/puppeteer.cookies.json");
    for (to, format) in [
        ("playwright", Format::Playwright),
        ("puppeteer", Format::Puppeteer),
        ("selenium", Format::Selenium),
    ] {
        let (out, _) = convert(&sb, &src, to, &format!("{to}.json"));
        let j = Jar::open(&out, OpenOptions::default()).unwrap();
        assert_eq!(j.format(), format);
        assert_eq!(ids(&out), ids(&src), "{to}");
        let orig = Jar::open(&src, OpenOptions::default()).unwrap();
        for (a, b) in orig.cookies().iter().zip(j.cookies().iter()) {
            // Playwright has no "unset": convert writes Lax and says so.
            let want = match (to, a.same_site) {
                ("playwright", SameSite::Unset) => SameSite::Lax,
                (_, s) => s,
            };
            assert_eq!((a.expiry, want), (b.expiry, b.same_site), "{to} {}", a.name);
            if to != "selenium" {
                assert_eq!(a.partition, b.partition, "{to} {}", a.name);
            }
        }
    }
}

#[test]
fn bad_input_writes_nothing() {
    let sb = Sandbox::new();
    let bad = sb.path("bad.json");
    std::fs::write(&bad, "{\n  \"cookies\": [\n    {\"name\": \"a\",").unwrap();
    let a = sb
        .crumbs()
        .arg("convert")
        .arg(&bad)
        .args(["--to", "netscape", "--output"])
        .arg(sb.path("out.txt"))
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(err.contains("bad.json:3:"), "{err}");
    assert!(!sb.path("out.txt").exists());
}

/// The cookies curl, wget or Python loaded from `txt`, as they save them again.
fn reloaded_by(tool: &str, sb: &Sandbox, txt: &Path) -> Option<BTreeSet<Id>> {
    if !have(tool) {
        return None;
    }
    let out = sb.path(&format!("{tool}-saved.txt"));
    // Nothing listens on port 9: the client loads the jar, fails to
    // connect, and saves what it loaded.
    let url = "http://127.0.0.1:9/";
    let status = match tool {
        "curl" => Command::new("curl")
            .args(["-s", "-b"])
            .arg(txt)
            .arg("-c")
            .arg(&out)
            .arg(url)
            .status(),
        "wget" => Command::new("wget")
            .args([
                "-q",
                "--no-config",
                "--tries=1",
                "--keep-session-cookies",
                "--load-cookies",
            ])
            .arg(txt)
            .arg("--save-cookies")
            .arg(&out)
            .arg(url)
            .status(),
        _ => Command::new("python3")
            .arg("-c")
            .arg(
                "import sys, http.cookiejar as c\n\
                 j = c.MozillaCookieJar()\n\
                 j.load(sys.argv[1], ignore_discard=True, ignore_expires=True)\n\
                 j.save(sys.argv[2], ignore_discard=True, ignore_expires=True)\n",
            )
            .arg(txt)
            .arg(&out)
            .status(),
    };
    status.expect("client runs");
    Some(ids(&out))
}

#[test]
fn netscape_output_loads_in_curl_wget_and_python() {
    let sb = Sandbox::new();
    let (txt, _) = convert(&sb, &repo(PLAYWRIGHT), "netscape", "cookies.txt");
    let want = ids(&repo(PLAYWRIGHT));
    for tool in ["curl", "python3"] {
        if let Some(got) = reloaded_by(tool, &sb, &txt) {
            assert_eq!(got, want, "{tool} loads the same cookies");
        }
    }
    // wget 1.x reads `#HttpOnly_` lines as comments (said on stderr by convert).
    if let Some(got) = reloaded_by("wget", &sb, &txt) {
        let http_only: BTreeSet<String> = ["bo_panel", "sessionid", "shop_session"]
            .map(String::from)
            .into();
        let not_http_only: BTreeSet<Id> = want
            .iter()
            .filter(|id| !http_only.contains(&id.0))
            .cloned()
            .collect();
        assert_eq!(
            got, not_http_only,
            "wget loads every cookie but the HttpOnly ones"
        );
    }
}

/// (name, domain, host_only, path, secure, value, http_only, same_site, expiry).
type Full = (Id, bool, SameSite, crumbs::model::Expiry);

fn full(path: &Path) -> Vec<Full> {
    let j = Jar::open(path, OpenOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let mut all: Vec<Full> = j
        .cookies()
        .iter()
        .map(|c| {
            (
                (
                    c.name.to_string(),
                    c.domain.to_string(),
                    c.host_only,
                    c.path.to_string(),
                    c.secure,
                    c.value.to_string(),
                ),
                c.http_only,
                c.same_site,
                c.expiry,
            )
        })
        .collect();
    all.sort_by_key(|c| format!("{c:?}"));
    all
}

/// The HTTP-tool targets read back (by crumbs) as the same cookies, with
/// every attribute the target holds; what it cannot hold said once per kind.
#[test]
fn every_tool_target_round_trips_and_says_what_it_drops() {
    let sb = Sandbox::new();
    for src in [
        repo(PLAYWRIGHT),
        repo("tests/fixtures/puppeteer.cookies.json"),
        repo("tests/fixtures/firefox.cookies.sqlite"),
    ] {
        let want = full(&src);
        for (to, format, keeps_http_only, keeps_same_site) in [
            ("lwp", Format::Lwp, true, true),
            ("cookie-store-json", Format::CookieStoreJson, true, true),
            ("extension-json", Format::ExtensionJson, true, true),
            ("httpie", Format::Httpie, false, false),
            ("newman", Format::Newman, true, true),
        ] {
            let (out, err) = convert(&sb, &src, to, &format!("{to}.out"));
            let j = Jar::open(&out, OpenOptions::default()).unwrap();
            assert_eq!(j.format(), format, "{to}");
            let got = full(&out);
            let strip = |v: &[Full]| -> Vec<Full> {
                v.iter()
                    .map(|(id, h, s, e)| {
                        (
                            id.clone(),
                            *h && keeps_http_only,
                            if keeps_same_site { *s } else { SameSite::Unset },
                            *e,
                        )
                    })
                    .collect()
            };
            assert_eq!(strip(&got), strip(&want), "{to} from {}", src.display());
            let http_only = want.iter().filter(|c| c.1).count();
            if !keeps_http_only && http_only > 0 {
                assert!(
                    err.contains(&format!("{http_only} cookies: HttpOnly dropped")),
                    "{to}: {err}"
                );
            }
            assert_eq!(
                err.lines().count(),
                err.lines().collect::<BTreeSet<_>>().len(),
                "one line per kind: {err}"
            );
        }
    }
}

#[test]
fn json_report_of_an_httpie_conversion() {
    let sb = Sandbox::new();
    let a = sb
        .crumbs()
        .arg("convert")
        .arg(repo(PLAYWRIGHT))
        .args(["--to", "httpie", "--json", "--output"])
        .arg(sb.path("s.json"))
        .assert()
        .success();
    let r = json_of(&a.get_output().stdout);
    assert_eq!(
        (r["to"].as_str(), r["cookies"].as_u64()),
        (Some("httpie"), Some(21))
    );
    let lost = lost_of(&r);
    assert_eq!(
        lost,
        [
            ("http-only".to_owned(), 3),
            ("same-site".to_owned(), 21),
            ("partition".to_owned(), 1),
            ("local-storage".to_owned(), 2),
        ]
    );
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(err.contains("3 cookies: HttpOnly dropped"), "{err}");
    assert!(err.contains("1 cookies: partition dropped"), "{err}");
}

/// Python's own LWPCookieJar loads the converted file with the same cookies.
#[test]
fn lwp_output_loads_in_python() {
    if !have("python3") {
        return;
    }
    let sb = Sandbox::new();
    let (txt, _) = convert(&sb, &repo(PLAYWRIGHT), "lwp", "cookies.lwp");
    let out = Command::new("python3")
        .arg("-c")
        .arg(
            "import sys, http.cookiejar as c\n\
             j = c.LWPCookieJar()\n\
             j.load(sys.argv[1], ignore_discard=True, ignore_expires=True)\n\
             for k in j:\n\
             \x20   print(k.name, k.domain, k.path, k.secure, k.value, k.expires, k.has_nonstandard_attr('HttpOnly'))\n",
        )
        .arg(&txt)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut theirs: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    theirs.sort();
    let j = Jar::open(&repo(PLAYWRIGHT), OpenOptions::default()).unwrap();
    let title = |b: bool| if b { "True" } else { "False" };
    let mut ours: Vec<String> = j
        .cookies()
        .iter()
        .map(|c| {
            let expires = c
                .expiry
                .unix_seconds()
                .map_or("None".into(), |t| t.to_string());
            format!(
                "{} {} {} {} {} {expires} {}",
                c.name,
                c.domain_label(),
                c.path,
                title(c.secure),
                c.value,
                title(c.http_only)
            )
        })
        .collect();
    ours.sort();
    assert_eq!(theirs, ours);
}

/// httpie sends the converted session's cookies to the host they belong to.
#[test]
fn httpie_output_is_sent_by_httpie() {
    if !have("http") {
        return;
    }
    let sb = Sandbox::new();
    let (session, _) = convert(&sb, &repo(PLAYWRIGHT), "httpie", "session.json");
    let cookie = httpie_cookie_header(
        &session,
        "https://robertleaf.my.opendatasoft.com/",
        &sb.path("home"),
    );
    let mut sent: Vec<&str> = cookie["Cookie:".len()..]
        .split(';')
        .filter_map(|p| p.trim().split('=').next())
        .collect();
    sent.sort();
    // The cookies of / on the host and on .opendatasoft.com (not /api/, not
    // /backoffice/, not the other sites').
    let j = Jar::open(&repo(PLAYWRIGHT), OpenOptions::default()).unwrap();
    let mut want: Vec<String> = j
        .cookies()
        .iter()
        .filter(|c| c.path == "/" && c.sent_to("robertleaf.my.opendatasoft.com"))
        .map(|c| c.name.to_string())
        .collect();
    want.sort();
    want.dedup();
    assert_eq!(sent, want, "{cookie}");
}

/// cookie_store holds one cookie per domain, path and name: the same cookie
/// in two partitions (as Chromium keeps them) is one record there, and the
/// one left out is counted (hand-written: a two-partition pair).
#[test]
fn cookie_store_json_counts_the_cookies_it_cannot_hold_apart() {
    let sb = Sandbox::new();
    let src = sb.path("two-partitions.json");
    std::fs::write(
        &src,
        r#"[
  {"name": "ad_part", "value": "1", "domain": "ads.example", "path": "/", "expires": -1, "size": 8, "httpOnly": false, "secure": true, "session": true, "sameSite": "None", "priority": "Medium", "partitionKey": {"topLevelSite": "https://a.example", "hasCrossSiteAncestor": false}},
  {"name": "ad_part", "value": "2", "domain": "ads.example", "path": "/", "expires": -1, "size": 8, "httpOnly": false, "secure": true, "session": true, "sameSite": "None", "priority": "Medium", "partitionKey": {"topLevelSite": "https://b.example", "hasCrossSiteAncestor": false}}
]
"#,
    )
    .unwrap();
    let a = sb
        .crumbs()
        .arg("convert")
        .arg(&src)
        .args(["--to", "cookie-store-json", "--json", "--output"])
        .arg(sb.path("store.json"))
        .assert()
        .success();
    let r = json_of(&a.get_output().stdout);
    assert_eq!(r["cookies"], 1, "written");
    let kinds = lost_of(&r);
    assert!(kinds.contains(&("duplicate".into(), 1)), "{kinds:?}");
    assert!(kinds.contains(&("partition".into(), 2)), "{kinds:?}");
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(
        err.contains("1 cookies: left out: cookie_store holds one cookie"),
        "{err}"
    );
    let j = Jar::open(&sb.path("store.json"), OpenOptions::default()).unwrap();
    assert_eq!(j.cookies().len(), 1);
}

/// Playwright (PyPI, on Debian's Chromium) loads a converted curl jar with
/// `new_context(storage_state=...)`: the context holds the same cookies,
/// flags and values (expiries capped by Chromium at 400 days). .ci/run
/// installs Playwright; elsewhere the test is skipped when it is missing.
#[test]
fn playwright_loads_a_converted_curl_jar() {
    let importable = Command::new("python3")
        .args(["-c", "import playwright"])
        .status()
        .is_ok_and(|s| s.success());
    let browser = Path::new("/usr/bin/chromium").exists();
    if !(importable && browser) {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have Playwright and Chromium (.ci/run installs them)"
        );
        eprintln!("skipped: python3's playwright or /usr/bin/chromium is not installed");
        return;
    }
    let sb = Sandbox::new();
    let curl = repo("tests/fixtures/curl.cookies.txt");
    let (state, _) = convert(&sb, &curl, "playwright", "state.json");
    let out = Command::new("python3")
        .arg("-c")
        .arg(
            "import json, sys\n\
             from playwright.sync_api import sync_playwright\n\
             with sync_playwright() as p:\n\
             \x20   b = p.chromium.launch(executable_path='/usr/bin/chromium', args=[\n\
             \x20       '--no-sandbox', '--disable-gpu', '--no-first-run',\n\
             \x20       '--disable-background-networking', '--disable-component-update'])\n\
             \x20   ctx = b.new_context(storage_state=sys.argv[1])\n\
             \x20   json.dump(ctx.cookies(), sys.stdout)\n\
             \x20   b.close()\n",
        )
        .arg(&state)
        .env("HOME", sb.path("home"))
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let loaded: Vec<serde_json::Value> =
        serde_json::from_slice(&out.stdout).expect("Playwright's cookies as JSON");
    let got: BTreeSet<(Id, bool, bool)> = loaded
        .iter()
        .map(|c| {
            let domain = c["domain"].as_str().unwrap_or_default();
            (
                (
                    c["name"].as_str().unwrap_or_default().to_string(),
                    domain.trim_start_matches('.').to_string(),
                    !domain.starts_with('.'),
                    c["path"].as_str().unwrap_or_default().to_string(),
                    c["secure"].as_bool().unwrap_or_default(),
                    c["value"].as_str().unwrap_or_default().to_string(),
                ),
                c["httpOnly"].as_bool().unwrap_or_default(),
                c["expires"].as_f64().unwrap_or_default() < 0.0,
            )
        })
        .collect();
    let source = full(&curl);
    let want: BTreeSet<(Id, bool, bool)> = source
        .iter()
        .map(|(id, http_only, _, expiry)| {
            (
                id.clone(),
                *http_only,
                *expiry == crumbs::model::Expiry::Session,
            )
        })
        .collect();
    assert_eq!(want.len(), source.len(), "the curl jar has no repeats");
    assert_eq!(
        got, want,
        "Playwright's context holds the curl jar's cookies"
    );
}
