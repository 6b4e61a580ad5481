//! Chromium over the DevTools protocol: the browser target's WebSocket (from
//! `/json/version`), `Storage.getCookies` to read, `Network.deleteCookies` and
//! `Storage.setCookies` to change.

use std::time::Duration;

use serde_json::{Map, Value, json};

use super::ws::{Rpc, http_get_json};
use super::{Browser, Endpoint, LiveCookie, LiveError, str_field};

/// CDP cookie fields crumbs maps to [`LiveCookie`]'s own; the rest is `extra`.
const KNOWN: &[&str] = &[
    "name",
    "value",
    "domain",
    "path",
    "secure",
    "httpOnly",
    "sameSite",
    "expires",
    "session",
    "size",
    "partitionKey",
];

/// Fields of a read cookie that `setCookies` does not take back.
const READ_ONLY: &[&str] = &["partitionKeyOpaque"];

/// A connection to a Chromium browser target.
#[derive(Debug)]
pub struct Cdp {
    rpc: Rpc,
    endpoint: Endpoint,
    product: String,
}

impl Cdp {
    /// Discovers the browser's WebSocket and connects to it.
    pub fn connect(endpoint: &Endpoint, timeout: Duration) -> Result<Cdp, LiveError> {
        let version = http_get_json(endpoint, "/json/version", timeout)?;
        let url = str_field(&version, "webSocketDebuggerUrl");
        if url.is_empty() {
            return Err(endpoint.error(
                "/json/version has no webSocketDebuggerUrl: not a Chromium DevTools endpoint?"
                    .into(),
            ));
        }
        // The browser names itself by its own address; talk to the one the user gave.
        let path = url
            .strip_prefix("ws://")
            .and_then(|rest| rest.find('/').map(|i| &rest[i..]))
            .unwrap_or("/");
        let url = format!("ws://{}{path}", host_port(endpoint));
        Ok(Cdp {
            rpc: Rpc::open(endpoint, &url, timeout)?,
            endpoint: endpoint.clone(),
            product: str_field(&version, "Browser").to_string(),
        })
    }
}

fn host_port(e: &Endpoint) -> String {
    if e.host.contains(':') {
        format!("[{}]:{}", e.host, e.port)
    } else {
        format!("{}:{}", e.host, e.port)
    }
}

/// A CDP `Cookie` object as a [`LiveCookie`].
pub fn from_cdp(v: &Value) -> LiveCookie {
    let session = v.get("session").and_then(Value::as_bool).unwrap_or(false);
    let expires = v
        .get("expires")
        .and_then(Value::as_f64)
        .filter(|t| !session && *t >= 0.0);
    let extra: Map<String, Value> = v
        .as_object()
        .map(|o| {
            o.iter()
                .filter(|(k, _)| !KNOWN.contains(&k.as_str()) && !READ_ONLY.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default();
    LiveCookie {
        name: str_field(v, "name").to_string(),
        value: str_field(v, "value").to_string(),
        domain: str_field(v, "domain").to_string(),
        path: str_field(v, "path").to_string(),
        secure: v.get("secure").and_then(Value::as_bool).unwrap_or(false),
        http_only: v.get("httpOnly").and_then(Value::as_bool).unwrap_or(false),
        same_site: str_field(v, "sameSite").to_ascii_lowercase(),
        expires,
        partition: v.get("partitionKey").cloned().unwrap_or(Value::Null),
        extra,
        context: None,
    }
}

/// A [`LiveCookie`] as a CDP `CookieParam`.
pub fn to_cdp(c: &LiveCookie) -> Value {
    let mut o = c.extra.clone();
    o.insert("name".into(), json!(c.name));
    o.insert("value".into(), json!(c.value));
    o.insert("domain".into(), json!(c.domain));
    o.insert("path".into(), json!(c.path));
    o.insert("secure".into(), json!(c.secure));
    o.insert("httpOnly".into(), json!(c.http_only));
    let same_site = match c.same_site.as_str() {
        "none" => Some("None"),
        "lax" => Some("Lax"),
        "strict" => Some("Strict"),
        _ => None,
    };
    if let Some(s) = same_site {
        o.insert("sameSite".into(), json!(s));
    }
    if let Some(t) = c.expires {
        o.insert("expires".into(), json!(t));
    }
    if !c.partition.is_null() {
        o.insert("partitionKey".into(), c.partition.clone());
    }
    Value::Object(o)
}

impl Browser for Cdp {
    fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    fn product(&self) -> &str {
        &self.product
    }

    fn cookies(&mut self) -> Result<Vec<LiveCookie>, LiveError> {
        // Without a browserContextId only the default context is read;
        // Playwright and Puppeteer keep their pages' cookies in others.
        let mut out = self.cookies_in(None)?;
        for id in self.contexts()? {
            out.extend(self.cookies_in(Some(id))?);
        }
        Ok(out)
    }

    fn delete(&mut self, cookie: &LiveCookie) -> Result<(), LiveError> {
        // The browser target has no Network domain: an expired write with the
        // same identity deletes the cookie (RFC 6265bis §5.7 step 22).
        let mut gone = cookie.clone();
        gone.value = String::new();
        gone.expires = Some(1.0);
        self.set(&gone)
    }

    fn set(&mut self, cookie: &LiveCookie) -> Result<(), LiveError> {
        let mut params = json!({"cookies": [to_cdp(cookie)]});
        if let Some(id) = &cookie.context {
            params["browserContextId"] = json!(id);
        }
        self.rpc.call("Storage.setCookies", params)?;
        Ok(())
    }
}

impl Cdp {
    /// The cookies of one browser context (None: the default one).
    fn cookies_in(&mut self, context: Option<String>) -> Result<Vec<LiveCookie>, LiveError> {
        let params = match &context {
            Some(id) => json!({ "browserContextId": id }),
            None => json!({}),
        };
        let result = self.rpc.call("Storage.getCookies", params)?;
        let list = result
            .get("cookies")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                self.endpoint
                    .error("Storage.getCookies answered without a cookies list".into())
            })?;
        Ok(list
            .iter()
            .map(|v| LiveCookie {
                context: context.clone(),
                ..from_cdp(v)
            })
            .collect())
    }

    /// The browser contexts other than the default one.
    fn contexts(&mut self) -> Result<Vec<String>, LiveError> {
        let result = self.rpc.call("Target.getBrowserContexts", json!({}))?;
        Ok(result
            .get("browserContextIds")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect())
    }
}
