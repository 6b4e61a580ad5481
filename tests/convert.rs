//! `crumbs convert`: the same cookies in another format, what the target
//! cannot hold said on stderr (and in `--json`), and the Netscape file loaded
//! by the real clients: curl, wget and Python's MozillaCookieJar (each test
//! of a client is skipped, saying so, when that client is not installed;
//! .ci/run installs them).

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use common::{Sandbox, json_of, repo};
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
    let lost: Vec<(String, u64)> = r["lost"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["kind"].as_str().unwrap().to_owned(),
                l["count"].as_u64().unwrap(),
            )
        })
        .collect();
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
