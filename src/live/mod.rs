//! A running browser as a jar: Chromium over the DevTools protocol
//! (`cdp://HOST:PORT`), Firefox over WebDriver BiDi (`bidi://HOST:PORT`).
//! Cookies are read and changed through the protocol; nothing but crumbs' own
//! records is written to disk.

pub mod bidi;
pub mod cdp;
pub mod cookie;
pub mod discover;
pub mod jar;
pub mod ws;

use std::fmt;
use std::net::{IpAddr, ToSocketAddrs};
use std::time::Duration;

use serde_json::Value;

pub use cookie::LiveCookie;

/// How long a connect, or any one command, may take before it is an error.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// Which protocol an endpoint speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// The Chrome DevTools protocol (Chromium, Chrome, Edge, Brave).
    Cdp,
    /// WebDriver BiDi (Firefox).
    Bidi,
}

impl Protocol {
    /// The URL scheme naming it.
    pub fn scheme(self) -> &'static str {
        match self {
            Protocol::Cdp => "cdp",
            Protocol::Bidi => "bidi",
        }
    }
}

/// A live browser's address, as the user wrote it (`cdp://127.0.0.1:9222`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The protocol.
    pub protocol: Protocol,
    /// Host name or address (IPv6 without brackets).
    pub host: String,
    /// TCP port.
    pub port: u16,
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        write!(f, "{}://{}:{}", self.protocol.scheme(), host, self.port)
    }
}

/// Errors talking to a live browser; each names the endpoint.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// The address is not `cdp://HOST:PORT` or `bidi://HOST:PORT`.
    #[error(
        "{given}: not a browser endpoint: {what} (expected cdp://HOST:PORT or bidi://HOST:PORT)"
    )]
    BadEndpoint {
        /// What the user gave.
        given: String,
        /// What was wrong.
        what: String,
    },
    /// A remote endpoint without `--allow-remote`.
    #[error(
        "{endpoint}: not a loopback address; the protocol gives full control of the browser, \
         so crumbs only talks to 127.0.0.1/::1 unless --allow-remote is given"
    )]
    Remote {
        /// The endpoint.
        endpoint: String,
    },
    /// Connecting or talking failed.
    #[error("{endpoint}: {what}")]
    Protocol {
        /// The endpoint.
        endpoint: String,
        /// What failed.
        what: String,
    },
    /// The browser answered a command with an error.
    #[error("{endpoint}: the browser refused {method}: {message}")]
    Refused {
        /// The endpoint.
        endpoint: String,
        /// The command.
        method: String,
        /// The browser's message.
        message: String,
    },
}

impl Endpoint {
    /// Parses `cdp://HOST:PORT` or `bidi://HOST:PORT`; None when `given` has
    /// neither scheme (it is then a path).
    pub fn parse(given: &str) -> Option<Result<Endpoint, LiveError>> {
        let (protocol, rest) = if let Some(rest) = given.strip_prefix("cdp://") {
            (Protocol::Cdp, rest)
        } else if let Some(rest) = given.strip_prefix("bidi://") {
            (Protocol::Bidi, rest)
        } else {
            return None;
        };
        let bad = |what: &str| LiveError::BadEndpoint {
            given: given.to_string(),
            what: what.to_string(),
        };
        let rest = rest.trim_end_matches('/');
        let (host, port) = if let Some(v6) = rest.strip_prefix('[') {
            match v6.split_once("]:") {
                Some((h, p)) => (h, p),
                None => return Some(Err(bad("an IPv6 address is written [ADDR]:PORT"))),
            }
        } else {
            match rest.rsplit_once(':') {
                Some((h, p)) => (h, p),
                None => return Some(Err(bad("no port"))),
            }
        };
        if host.is_empty() || host.contains('/') {
            return Some(Err(bad("no host")));
        }
        let Ok(port) = port.parse::<u16>() else {
            return Some(Err(bad("the port is not a number from 1 to 65535")));
        };
        if port == 0 {
            return Some(Err(bad("the port is not a number from 1 to 65535")));
        }
        Some(Ok(Endpoint {
            protocol,
            host: host.to_string(),
            port,
        }))
    }

    /// Refuses an endpoint that is not on this machine unless `allow_remote`:
    /// every address the host resolves to must be loopback.
    pub fn check_local(&self, allow_remote: bool) -> Result<(), LiveError> {
        if allow_remote {
            return Ok(());
        }
        let addrs: Vec<IpAddr> = match self.host.parse::<IpAddr>() {
            Ok(ip) => vec![ip],
            Err(_) => (self.host.as_str(), self.port)
                .to_socket_addrs()
                .map_err(|e| self.error(format!("cannot resolve the host: {e}")))?
                .map(|a| a.ip())
                .collect(),
        };
        if addrs.is_empty() || addrs.iter().any(|ip| !ip.is_loopback()) {
            return Err(LiveError::Remote {
                endpoint: self.to_string(),
            });
        }
        Ok(())
    }

    /// An error about this endpoint.
    pub fn error(&self, what: String) -> LiveError {
        LiveError::Protocol {
            endpoint: self.to_string(),
            what,
        }
    }
}

/// An open connection to a running browser's cookie store.
pub trait Browser: std::fmt::Debug {
    /// The endpoint it talks to.
    fn endpoint(&self) -> &Endpoint;
    /// The browser's name and version, as it reports them.
    fn product(&self) -> &str;
    /// Every cookie the browser holds (partitioned ones included where the
    /// protocol gives them).
    fn cookies(&mut self) -> Result<Vec<LiveCookie>, LiveError>;
    /// Deletes one cookie by its identity (name, domain, path, partition).
    fn delete(&mut self, cookie: &LiveCookie) -> Result<(), LiveError>;
    /// Sets a cookie (creating or replacing it), with all its attributes.
    fn set(&mut self, cookie: &LiveCookie) -> Result<(), LiveError>;
}

/// Connects to the browser at `endpoint` (loopback only unless `allow_remote`).
pub fn connect(endpoint: &Endpoint, allow_remote: bool) -> Result<Box<dyn Browser>, LiveError> {
    connect_with(endpoint, allow_remote, TIMEOUT)
}

/// Like [`connect`] with another time limit per command (tests on a loaded
/// machine give a starting browser longer).
pub fn connect_with(
    endpoint: &Endpoint,
    allow_remote: bool,
    timeout: Duration,
) -> Result<Box<dyn Browser>, LiveError> {
    endpoint.check_local(allow_remote)?;
    Ok(match endpoint.protocol {
        Protocol::Cdp => Box::new(cdp::Cdp::connect(endpoint, timeout)?),
        Protocol::Bidi => Box::new(bidi::Bidi::connect(endpoint, timeout)?),
    })
}

/// The string field `key` of a protocol object, or "".
fn str_field<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_endpoints() {
        let e = Endpoint::parse("cdp://127.0.0.1:9222").unwrap().unwrap();
        assert_eq!(
            (e.protocol, e.host.as_str(), e.port),
            (Protocol::Cdp, "127.0.0.1", 9222)
        );
        let e = Endpoint::parse("bidi://[::1]:9223/").unwrap().unwrap();
        assert_eq!(
            (e.protocol, e.host.as_str(), e.port),
            (Protocol::Bidi, "::1", 9223)
        );
        assert_eq!(e.to_string(), "bidi://[::1]:9223");
        assert!(Endpoint::parse("cookies.txt").is_none());
        for bad in [
            "cdp://127.0.0.1",
            "cdp://:9222",
            "cdp://h:0",
            "cdp://h:x",
            "bidi://[::1]",
        ] {
            assert!(
                matches!(
                    Endpoint::parse(bad),
                    Some(Err(LiveError::BadEndpoint { .. }))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn refuses_remote_endpoints() {
        let local = Endpoint::parse("cdp://127.0.0.1:9222").unwrap().unwrap();
        assert!(local.check_local(false).is_ok());
        let v6 = Endpoint::parse("cdp://[::1]:9222").unwrap().unwrap();
        assert!(v6.check_local(false).is_ok());
        // Documentation address (TEST-NET-1): never contacted, only classified.
        let remote = Endpoint::parse("cdp://192.0.2.1:9222").unwrap().unwrap();
        let err = remote.check_local(false).unwrap_err();
        assert!(err.to_string().contains("--allow-remote"), "{err}");
        assert!(remote.check_local(true).is_ok());
    }
}
