//! A small synchronous JSON-RPC client over one WebSocket, shared by the
//! DevTools protocol and WebDriver BiDi: both send `{"id", "method", "params"}`
//! and answer with the same `id`, interleaving events that we skip.

use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::protocol::WebSocketConfig;
use tungstenite::{Message, WebSocket};

use super::{Endpoint, LiveError};
use crate::json_error::JsonError;

/// A browser's answer can be large (every cookie of a profile in one message).
const MAX_MESSAGE: usize = 1 << 30;

/// One open protocol connection; closed when dropped (on every exit path).
pub struct Rpc {
    socket: WebSocket<TcpStream>,
    endpoint: String,
    next_id: u64,
    timeout: Duration,
    /// BiDi sessions and CDP flat sessions address commands by a session id.
    session_id: Option<String>,
}

impl std::fmt::Debug for Rpc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rpc")
            .field("endpoint", &self.endpoint)
            .finish()
    }
}

/// Opens a TCP connection to the endpoint's address within `timeout`.
pub fn tcp(endpoint: &Endpoint, timeout: Duration) -> Result<TcpStream, LiveError> {
    let addrs: Vec<SocketAddr> = (endpoint.host.as_str(), endpoint.port)
        .to_socket_addrs()
        .map_err(|e| endpoint.error(format!("cannot resolve the host: {e}")))?
        .collect();
    let mut last = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(stream) => {
                let set = |s: &TcpStream| {
                    s.set_read_timeout(Some(timeout))?;
                    s.set_write_timeout(Some(timeout))
                };
                set(&stream).map_err(|e| endpoint.error(format!("socket setup: {e}")))?;
                return Ok(stream);
            }
            Err(e) => last = Some(e),
        }
    }
    Err(endpoint.error(match last {
        Some(e) => format!("cannot connect: {e} (is the browser running with remote debugging?)"),
        None => "the host has no address".into(),
    }))
}

impl Rpc {
    /// Opens the WebSocket at `url` (on the endpoint's host and port).
    pub fn open(endpoint: &Endpoint, url: &str, timeout: Duration) -> Result<Rpc, LiveError> {
        let stream = tcp(endpoint, timeout)?;
        let config = WebSocketConfig::default()
            .max_message_size(Some(MAX_MESSAGE))
            .max_frame_size(Some(MAX_MESSAGE));
        let (socket, _) = tungstenite::client::client_with_config(url, stream, Some(config))
            .map_err(|e| endpoint.error(format!("WebSocket handshake with {url} failed: {e}")))?;
        Ok(Rpc {
            socket,
            endpoint: endpoint.to_string(),
            next_id: 1,
            timeout,
            session_id: None,
        })
    }

    /// Sends later commands within this session (CDP `sessionId` of an
    /// attached target).
    pub fn set_session(&mut self, id: Option<String>) {
        self.session_id = id;
    }

    fn error(&self, what: String) -> LiveError {
        LiveError::Protocol {
            endpoint: self.endpoint.clone(),
            what,
        }
    }

    /// Sends `method` with `params` and waits for its answer's `result`.
    pub fn call(&mut self, method: &str, params: Value) -> Result<Value, LiveError> {
        let id = self.next_id;
        self.next_id += 1;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if let Some(s) = &self.session_id {
            msg["sessionId"] = Value::String(s.clone());
        }
        self.socket
            .send(Message::text(msg.to_string()))
            .map_err(|e| self.error(format!("{method}: sending failed: {e}")))?;
        let deadline = Instant::now() + self.timeout;
        loop {
            if Instant::now() > deadline {
                return Err(self.error(format!(
                    "{method}: no answer within {} s",
                    self.timeout.as_secs()
                )));
            }
            let message = self.socket.read().map_err(|e| {
                let what = match &e {
                    tungstenite::Error::Io(io)
                        if matches!(
                            io.kind(),
                            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                        ) =>
                    {
                        format!("no answer within {} s", self.timeout.as_secs())
                    }
                    _ => format!("the connection failed: {e}"),
                };
                self.error(format!("{method}: {what}"))
            })?;
            let text = match message {
                Message::Text(t) => t,
                Message::Close(_) => {
                    return Err(self.error(format!("{method}: the browser closed the connection")));
                }
                _ => continue,
            };
            let answer: Value = serde_json::from_str(text.as_str()).map_err(|e| {
                let e = JsonError::new(&e, text.as_bytes());
                self.error(format!("{method}: an answer that is not JSON ({e})"))
            })?;
            if answer.get("id").and_then(Value::as_u64) != Some(id) {
                continue; // an event, or an answer to an earlier command
            }
            if let Some(err) = answer.get("error") {
                // CDP: {"code", "message"}; BiDi: "error" is a string, "message" beside it.
                let message = err
                    .get("message")
                    .or_else(|| answer.get("message"))
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let code = match err {
                    Value::String(s) => s.clone(),
                    other => other.get("code").map(|c| c.to_string()).unwrap_or_default(),
                };
                return Err(LiveError::Refused {
                    endpoint: self.endpoint.clone(),
                    method: method.to_string(),
                    message: format!("{code} {message}").trim().to_string(),
                });
            }
            return Ok(answer.get("result").cloned().unwrap_or(Value::Null));
        }
    }
}

impl Drop for Rpc {
    fn drop(&mut self) {
        // A clean close: the browser sees the client leave, not a dropped TCP.
        if self.socket.close(None).is_ok() {
            let deadline = Instant::now() + Duration::from_millis(500);
            while Instant::now() < deadline {
                if self.socket.read().is_err() {
                    break;
                }
            }
        }
    }
}

/// Fetches `path` over plain HTTP/1.1 from the endpoint (the DevTools
/// discovery document): one GET of a small JSON answer.
pub fn http_get_json(
    endpoint: &Endpoint,
    path: &str,
    timeout: Duration,
) -> Result<Value, LiveError> {
    use std::io::{Read, Write};
    let mut stream = tcp(endpoint, timeout)?;
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {}:{}\r\nConnection: close\r\nAccept: application/json\r\n\r\n",
        endpoint.host, endpoint.port
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| endpoint.error(format!("GET {path}: {e}")))?;
    // Read the head, then exactly Content-Length bytes: Chromium keeps the
    // connection open whatever the request says.
    let mut answer = Vec::new();
    let mut buf = [0u8; 8192];
    let split = loop {
        if let Some(i) = answer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = stream
            .read(&mut buf)
            .map_err(|e| endpoint.error(format!("GET {path}: {e}")))?;
        if n == 0 || answer.len() > 64 << 10 {
            return Err(endpoint.error(format!(
                "GET {path}: not an HTTP answer: not a Chromium DevTools endpoint?"
            )));
        }
        answer.extend_from_slice(&buf[..n]);
    };
    let length = String::from_utf8_lossy(&answer[..split])
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())?
        })
        .unwrap_or(usize::MAX)
        .min(8 << 20);
    while answer.len() < split + 4 + length {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
            Err(e) => return Err(endpoint.error(format!("GET {path}: {e}"))),
        }
    }
    let head = String::from_utf8_lossy(&answer[..split]);
    let status = head.lines().next().unwrap_or("");
    if !status.contains(" 200") {
        return Err(endpoint.error(format!(
            "GET {path} answered \"{status}\": not a Chromium DevTools endpoint?"
        )));
    }
    let body = &answer[split + 4..];
    serde_json::from_slice(body).map_err(|e| {
        let e = JsonError::new(&e, body);
        endpoint.error(format!(
            "GET {path}: the answer is not JSON ({e}): not a Chromium DevTools endpoint?"
        ))
    })
}
