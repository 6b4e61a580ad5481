//! Real headless browsers for the live-jar tests: a local HTTP server that
//! sets cookies, a Chromium with remote debugging and a Firefox with WebDriver
//! BiDi, each in its own profile folder, visiting the server by host name.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The site whose cookies the server sets (covered by the shipped policy).
pub const SITE: &str = "robertleaf.my.opendatasoft.com";
/// Another site, outside the policy.
pub const OTHER: &str = "shop.example";

/// Cookies the server sets for a request to `host`.
fn cookies_for(host: &str) -> Vec<&'static str> {
    if host.starts_with(SITE) {
        vec![
            "sessionid=s3cr3t-session; Path=/; HttpOnly",
            "csrftoken=tok; Path=/; Max-Age=31536000",
            "ods_theme=dark; Path=/; Max-Age=31536000",
            "_pk_id.1.a1b2=visitor; Path=/; Max-Age=31536000",
            "visitor_segment=blue; Path=/; Max-Age=86400; SameSite=Lax",
        ]
    } else {
        vec![
            "shop_session=cart42; Path=/",
            "_ga=GA1.1.123.456; Path=/; Max-Age=31536000",
        ]
    }
}

/// A running local server: its port and the hosts it has answered.
#[derive(Clone)]
pub struct Server {
    /// Its port on 127.0.0.1.
    pub port: u16,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Waits until the server has answered a page of both sites.
    pub fn wait_for_visits(&self) {
        wait_for("both sites visited", || {
            let seen = self.seen.lock().ok()?;
            let has = |h: &str| seen.iter().any(|s| s.starts_with(h));
            (has(SITE) && has(OTHER)).then_some(())
        });
    }
}

/// Serves every request (direct or as an HTTP proxy) with a small page and
/// the cookies of its host; runs until the test process ends.
pub fn serve() -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
    let port = listener.local_addr().expect("local addr").port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let log = Arc::clone(&log);
            std::thread::spawn(move || answer(stream, &log));
        }
    });
    Server { port, seen }
}

fn answer(mut stream: TcpStream, seen: &Mutex<Vec<String>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let mut host = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some(h) = line
            .strip_prefix("Host:")
            .or_else(|| line.strip_prefix("host:"))
        {
            host = h.trim().to_string();
        }
    }
    if let Ok(mut seen) = seen.lock() {
        seen.push(host.clone());
    }
    let mut head =
        String::from("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n");
    if !request.contains("favicon") {
        for c in cookies_for(&host) {
            head.push_str(&format!("Set-Cookie: {c}\r\n"));
        }
    }
    // One URL per headless browser: the site's page goes on to the other site.
    let body = if host.starts_with(SITE) {
        format!(
            "<html><head><meta http-equiv=\"refresh\" content=\"0;url=http://{OTHER}/\"></head></html>"
        )
    } else {
        "<html><body>crumbs live test</body></html>".to_string()
    };
    head.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    let _ = stream.write_all(head.as_bytes());
}

/// A browser process, killed (with its profile removed) when dropped.
pub struct Running {
    child: Child,
    /// Its profile folder (Chromium: the user-data folder).
    pub profile: PathBuf,
    /// The temporary folder holding it, removed on drop.
    _owned: Option<tempfile::TempDir>,
    /// The endpoint crumbs is given (`cdp://127.0.0.1:N`, `bidi://127.0.0.1:N`).
    pub endpoint: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Why a browser cannot run here, when it cannot (printed by skipping tests).
/// Under CI (`CI` set, as `.ci/run` does) a missing browser fails the test:
/// CI installs them, so a skip there would hide a broken install.
pub fn missing(program: &str) -> Option<String> {
    let why = match Command::new(program).arg("--version").output() {
        Ok(o) if o.status.success() => return None,
        Ok(o) => format!(
            "{program} --version failed: {}",
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) => format!("{program} not runnable ({e}); .ci/run installs it"),
    };
    assert!(std::env::var_os("CI").is_none(), "CI must not skip: {why}");
    Some(why)
}

fn wait_for<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Some(v) = f() {
            return v;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("timed out waiting for {what}");
}

/// Starts headless Chromium on a fresh profile, visiting both sites through
/// the local server; returns once both pages set their cookies.
pub fn chromium(server: &Server) -> Running {
    let owned = tempfile::tempdir().expect("profile dir");
    let mut running = chromium_in(server, owned.path());
    running._owned = Some(owned);
    running
}

/// Like [`chromium`] with the user-data folder `profile` (which the caller
/// keeps and removes).
pub fn chromium_in(server: &Server, profile: &Path) -> Running {
    let mut child = Command::new("chromium")
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--remote-debugging-port=0",
            &format!("--user-data-dir={}", profile.display()),
            &format!("--host-resolver-rules=MAP * 127.0.0.1:{}", server.port),
            &format!("http://{SITE}/"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    // Headless Chromium announces its port on stderr ("DevTools listening on
    // ws://127.0.0.1:PORT/devtools/browser/..."); a windowed one writes
    // DevToolsActivePort in its profile.
    let (tx, rx) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().expect("stderr piped");
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let port = line
                .split("ws://127.0.0.1:")
                .nth(1)
                .and_then(|rest| rest.split('/').next()?.parse::<u16>().ok());
            if let Some(port) = port {
                let _ = tx.send(port);
            }
        }
    });
    let port = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("chromium announced its DevTools port");
    server.wait_for_visits();
    Running {
        child,
        profile: profile.to_path_buf(),
        _owned: None,
        endpoint: format!("cdp://127.0.0.1:{port}"),
    }
}

/// Starts headless Firefox ESR on a fresh profile whose HTTP proxy is the
/// local server, and has it visit both sites (through BiDi: a Firefox under
/// remote control does not open the URLs of its command line).
pub fn firefox(server: &Server) -> Running {
    let profile = tempfile::tempdir().expect("profile dir");
    write_prefs(profile.path(), server.port);
    let child = Command::new("firefox-esr")
        .args([
            "--headless",
            "--no-remote",
            "--remote-debugging-port",
            "0",
            "--profile",
        ])
        .arg(profile.path())
        .env("MOZ_CRASHREPORTER_DISABLE", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start firefox-esr");
    let info = profile.path().join("WebDriverBiDiServer.json");
    let port = wait_for("WebDriverBiDiServer.json", || {
        let text = std::fs::read_to_string(&info).ok()?;
        let v: serde_json::Value = serde_json::from_str(&text).ok()?;
        v.get("ws_port")?.as_u64().map(|p| p as u16)
    });
    let running = Running {
        child,
        profile: profile.path().to_path_buf(),
        _owned: Some(profile),
        endpoint: format!("bidi://127.0.0.1:{port}"),
    };
    visit_with_bidi(port);
    server.wait_for_visits();
    running
}

fn visit_with_bidi(port: u16) {
    use crumbs::live::{Endpoint, ws::Rpc};
    use serde_json::json;
    let e = Endpoint::parse(&format!("bidi://127.0.0.1:{port}"))
        .unwrap()
        .unwrap();
    let timeout = Duration::from_secs(30);
    let mut rpc = wait_for("the BiDi socket", || {
        Rpc::open(&e, &format!("ws://127.0.0.1:{port}/session"), timeout).ok()
    });
    rpc.call("session.new", json!({"capabilities": {}}))
        .expect("session.new");
    let tree = rpc
        .call("browsingContext.getTree", json!({}))
        .expect("getTree");
    let context = tree["contexts"][0]["context"]
        .as_str()
        .expect("a context")
        .to_string();
    let url = format!("http://{SITE}/");
    let params = json!({"context": context, "url": url, "wait": "complete"});
    rpc.call("browsingContext.navigate", params)
        .expect("navigate");
    rpc.call("session.end", json!({})).expect("session.end");
}

fn write_prefs(profile: &Path, server: u16) {
    let prefs = format!(
        "user_pref(\"network.proxy.type\", 1);\n\
         user_pref(\"network.proxy.http\", \"127.0.0.1\");\n\
         user_pref(\"network.proxy.http_port\", {server});\n\
         user_pref(\"network.proxy.allow_hijacking_localhost\", true);\n\
         user_pref(\"browser.shell.checkDefaultBrowser\", false);\n\
         user_pref(\"datareporting.policy.dataSubmissionEnabled\", false);\n\
         user_pref(\"app.update.enabled\", false);\n\
         user_pref(\"browser.tabs.remote.autostart\", true);\n"
    );
    std::fs::write(profile.join("user.js"), prefs).expect("write user.js");
}

/// The path of the crumbs binary built for the tests.
pub fn crumbs() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_crumbs"))
}
