//! Time to list and to prune a live browser holding many cookies, as whole
//! `crumbs` processes: `cargo bench --bench live` (needs `chromium` and
//! `firefox-esr`; RUNS=5 and COOKIES=5000 by default).
//!
//! Each browser is started headless on a fresh profile; the cookies are set
//! through its own protocol (2 in 5 on the covered site, in categories a
//! reject-all refuses; the rest on 100 other sites). Each prune run starts
//! from the full set again and is checked to remove exactly the refused ones.
//! Chromium keeps at most 3,300 cookies (its `kMaxCookies`): it is measured
//! with what it keeps. Firefox's limits (`network.cookie.maxNumber`,
//! `maxPerHost`) are raised in the profile so it holds them all.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crumbs::live::{self, Browser, Endpoint, LiveCookie, discover};

const BIN: &str = env!("CARGO_BIN_EXE_crumbs");
const SITE: &str = "robertleaf.my.opendatasoft.com";

/// The cookies the benchmark sets: `n` of them; (cookies, how many a
/// reject-all on SITE removes).
fn cookies(n: usize) -> (Vec<LiveCookie>, usize) {
    let mut refused = 0;
    let out = (0..n)
        .map(|i| {
            let (name, domain) = if i % 5 < 2 {
                refused += 1;
                (format!("_pk_id.{i}"), SITE.to_string())
            } else {
                (format!("c{i}"), format!("site{}.example", i % 100))
            };
            LiveCookie {
                name,
                value: format!("v{i}"),
                domain,
                path: "/".into(),
                secure: false,
                http_only: false,
                same_site: "lax".into(),
                expires: Some(2_000_000_000.0),
                partition: serde_json::Value::Null,
                extra: serde_json::Map::new(),
                context: None,
            }
        })
        .collect();
    (out, refused)
}

/// A browser process, killed when dropped.
struct Running {
    child: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn chromium() -> (Running, Endpoint) {
    let dir = tempfile::tempdir().expect("profile");
    let child = Command::new("chromium")
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--remote-debugging-port=0",
        ])
        .arg(format!("--user-data-dir={}", dir.path().display()))
        .arg("about:blank")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let endpoint = wait("DevToolsActivePort", || discover::chromium(dir.path())).endpoint;
    (
        Running {
            child,
            _profile: dir,
        },
        endpoint,
    )
}

fn firefox(n: usize) -> (Running, Endpoint) {
    let dir = tempfile::tempdir().expect("profile");
    let prefs = format!(
        "user_pref(\"network.cookie.maxNumber\", {max});\n\
         user_pref(\"network.cookie.maxPerHost\", {max});\n\
         user_pref(\"browser.shell.checkDefaultBrowser\", false);\n",
        max = n * 2
    );
    std::fs::write(dir.path().join("user.js"), prefs).expect("user.js");
    let child = Command::new("firefox-esr")
        .args(["--headless", "--no-remote", "--remote-debugging-port", "0"])
        .arg("--profile")
        .arg(dir.path())
        .env("MOZ_CRASHREPORTER_DISABLE", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start firefox-esr");
    let endpoint = wait("WebDriverBiDiServer.json", || discover::firefox(dir.path())).endpoint;
    (
        Running {
            child,
            _profile: dir,
        },
        endpoint,
    )
}

fn connect(e: &Endpoint) -> Box<dyn Browser> {
    wait(&e.to_string(), || {
        live::connect_with(e, false, Duration::from_secs(60)).ok()
    })
}

/// Makes the browser hold exactly `cookies`; returns how many it keeps.
fn fill(e: &Endpoint, cookies: &[LiveCookie]) -> usize {
    let mut b = connect(e);
    for c in b.cookies().expect("read") {
        b.delete(&c).expect("delete");
    }
    for c in cookies {
        b.set(c).expect("set");
    }
    b.cookies().expect("read").len()
}

/// Runs crumbs and returns its wall time; panics on failure.
fn timed(args: &[&str], data: &Path) -> Duration {
    let t = Instant::now();
    let out = Command::new(BIN)
        .args(args)
        .env("XDG_CONFIG_HOME", data.join("config"))
        .env("XDG_DATA_HOME", data.join("data"))
        .output()
        .expect("run crumbs");
    let took = t.elapsed();
    assert!(
        out.status.success(),
        "crumbs {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    took
}

fn summary(label: &str, mut d: Vec<Duration>) {
    d.sort();
    let ms = |x: Duration| x.as_secs_f64() * 1000.0;
    println!(
        "{label:<34} min {:>7.0} ms  median {:>7.0} ms  max {:>7.0} ms  ({} runs)",
        ms(d[0]),
        ms(d[d.len() / 2]),
        ms(d[d.len() - 1]),
        d.len()
    );
}

fn bench(name: &str, endpoint: &Endpoint, n: usize, runs: usize) {
    let (all, refused) = cookies(n);
    let held = fill(endpoint, &all);
    let ep = endpoint.to_string();
    let data = tempfile::tempdir().expect("data dir");
    let lists = (0..runs)
        .map(|_| timed(&["list", &ep, "--json"], data.path()))
        .collect();
    summary(&format!("{name}: list ({held} cookies)"), lists);
    let mut prunes = Vec::new();
    for _ in 0..runs {
        let held_now = fill(endpoint, &all);
        let _ = std::fs::remove_dir_all(data.path().join("config"));
        prunes.push(timed(
            &["prune", &ep, "--site", SITE, "--reject-all"],
            data.path(),
        ));
        let after = connect(endpoint).cookies().expect("read").len();
        // The prune adds the preferences cookie.
        let removed = held_now + 1 - after;
        if held_now == n {
            assert_eq!(
                removed, refused,
                "{name}: the prune removed the refused cookies"
            );
        }
    }
    summary(&format!("{name}: prune --reject-all ({held})"), prunes);
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo bench -- --list` and `cargo test --benches` probe this.
    }
    let n: usize = std::env::var("COOKIES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5000);
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let (_c, e) = chromium();
    bench("chromium (cdp)", &e, n, runs);
    drop(_c);
    let (_f, e) = firefox(n);
    bench("firefox-esr (bidi)", &e, n, runs);
}
