//! Finding the live endpoint of a browser profile: Chromium writes
//! `DevToolsActivePort` (port, then the browser target's path) into its
//! user-data folder when started with `--remote-debugging-port`; Firefox writes
//! `WebDriverBiDiServer.json` (`ws_host`, `ws_port`) into its profile when its
//! remote agent listens. Either file can outlive its browser, so an endpoint is
//! only offered when the profile's lock names a running process and the port
//! accepts a connection.

use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{Endpoint, Protocol};
use crate::jar::locate;

/// The file a Chromium user-data folder holds while remote debugging is on.
pub const CHROMIUM_FILE: &str = "DevToolsActivePort";
/// The file a Firefox profile holds while WebDriver BiDi listens.
pub const FIREFOX_FILE: &str = "WebDriverBiDiServer.json";

/// How long a port may take to accept before it is taken as closed (a
/// loopback port answers at once or not at all).
const PROBE: Duration = Duration::from_millis(300);

/// A live endpoint found for a path, and the file that announced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovered {
    /// The endpoint to use.
    pub endpoint: Endpoint,
    /// `DevToolsActivePort` or `WebDriverBiDiServer.json`.
    pub announced_by: PathBuf,
}

impl Discovered {
    /// The note a face shows when it uses the endpoint instead of the file.
    pub fn note(&self, asked: &Path) -> String {
        format!(
            "{}: its browser is running with remote debugging ({}): using the live cookies at {} \
             instead of the locked database",
            asked.display(),
            self.announced_by.display(),
            self.endpoint
        )
    }
}

/// The port (first line) of a `DevToolsActivePort` file.
pub fn parse_chromium(text: &str) -> Option<u16> {
    text.lines().next()?.trim().parse().ok().filter(|&p| p != 0)
}

/// The host and port of a `WebDriverBiDiServer.json` file.
pub fn parse_firefox(text: &str) -> Option<(String, u16)> {
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    let host = v.get("ws_host")?.as_str()?.to_owned();
    let port = u16::try_from(v.get("ws_port")?.as_u64()?).ok()?;
    (port != 0 && !host.is_empty()).then_some((host, port))
}

/// Whether something accepts connections at `host:port`.
fn listening(host: &str, port: u16) -> bool {
    let addrs: Vec<SocketAddr> = match (host, port).to_socket_addrs() {
        Ok(a) => a.collect(),
        Err(_) => return false,
    };
    addrs
        .iter()
        .any(|a| TcpStream::connect_timeout(a, PROBE).is_ok())
}

/// The endpoint of a running Chromium whose user-data folder is `user_data`.
pub fn chromium(user_data: &Path) -> Option<Discovered> {
    let file = user_data.join(CHROMIUM_FILE);
    let port = parse_chromium(&std::fs::read_to_string(&file).ok()?)?;
    if !locate::chromium_running(user_data) || !listening("127.0.0.1", port) {
        return None;
    }
    Some(Discovered {
        endpoint: Endpoint {
            protocol: Protocol::Cdp,
            host: "127.0.0.1".into(),
            port,
        },
        announced_by: file,
    })
}

/// The endpoint of a running Firefox whose profile folder is `profile`.
pub fn firefox(profile: &Path) -> Option<Discovered> {
    let file = profile.join(FIREFOX_FILE);
    let (host, port) = parse_firefox(&std::fs::read_to_string(&file).ok()?)?;
    if !locate::firefox_running(profile) || !listening(&host, port) {
        return None;
    }
    Some(Discovered {
        endpoint: Endpoint {
            protocol: Protocol::Bidi,
            host,
            port,
        },
        announced_by: file,
    })
}

/// The live endpoint for what a user named: a Firefox profile folder (or its
/// `cookies.sqlite`), a Chromium user-data folder, one of its profile folders,
/// or a profile's `Cookies` / `Network/Cookies` database. None for anything
/// else, and for a browser that is not running with remote debugging.
pub fn for_path(path: &Path) -> Option<Discovered> {
    let path = std::path::absolute(path).ok()?;
    let start = if path.is_dir() {
        path.as_path()
    } else {
        path.parent()?
    };
    if start.join("cookies.sqlite").is_file() || start.join(FIREFOX_FILE).is_file() {
        return firefox(start);
    }
    // Chromium: the database is in PROFILE or PROFILE/Network, the port file
    // in the user-data folder above the profile.
    start
        .ancestors()
        .take(3)
        .find(|dir| dir.join(CHROMIUM_FILE).is_file())
        .and_then(chromium)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_announcement_files() {
        assert_eq!(parse_chromium("9222\n/devtools/browser/0d1e\n"), Some(9222));
        assert_eq!(parse_chromium("0\n"), None);
        assert_eq!(parse_chromium("port\n"), None);
        assert_eq!(
            parse_firefox("{\n  \"ws_host\": \"127.0.0.1\",\n  \"ws_port\": 40739\n}"),
            Some(("127.0.0.1".into(), 40739))
        );
        assert_eq!(parse_firefox("{\"ws_host\": \"127.0.0.1\"}"), None);
        assert_eq!(
            parse_firefox("{\"ws_host\": \"h\", \"ws_port\": 70000}"),
            None
        );
    }

    #[test]
    fn a_stale_announcement_is_ignored() {
        let t = tempfile::tempdir().unwrap();
        let profile = t.path().join("Default");
        std::fs::create_dir_all(&profile).unwrap();
        std::fs::write(profile.join("Cookies"), "").unwrap();
        // A port file but no running browser (no SingletonLock).
        std::fs::write(t.path().join(CHROMIUM_FILE), "9\n/devtools/browser/x\n").unwrap();
        assert_eq!(for_path(&profile.join("Cookies")), None);
        assert_eq!(for_path(t.path()), None);
    }
}
