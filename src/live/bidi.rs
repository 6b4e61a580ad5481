//! Firefox over WebDriver BiDi: `session.new` on `ws://HOST:PORT/session`,
//! `storage.getCookies`, `storage.deleteCookies`, `storage.setCookie`, and
//! `session.end` when done.

use std::time::Duration;

use serde_json::{Map, Value, json};

use super::ws::Rpc;
use super::{Browser, Endpoint, LiveCookie, LiveError, str_field};

/// BiDi cookie fields crumbs maps to [`LiveCookie`]'s own.
const KNOWN: &[&str] = &[
    "name", "value", "domain", "path", "secure", "httpOnly", "sameSite", "expiry", "size",
];

/// A WebDriver BiDi session with Firefox; ended when dropped.
#[derive(Debug)]
pub struct Bidi {
    rpc: Rpc,
    endpoint: Endpoint,
    product: String,
}

impl Bidi {
    /// Opens the BiDi WebSocket and starts a session.
    pub fn connect(endpoint: &Endpoint, timeout: Duration) -> Result<Bidi, LiveError> {
        let host = if endpoint.host.contains(':') {
            format!("[{}]", endpoint.host)
        } else {
            endpoint.host.clone()
        };
        let url = format!("ws://{host}:{}/session", endpoint.port);
        let mut rpc = Rpc::open(endpoint, &url, timeout)?;
        let result = rpc
            .call("session.new", json!({"capabilities": {}}))
            .map_err(|e| match e {
                LiveError::Refused { message, .. } if message.contains("Maximum number") => {
                    endpoint.error(
                        "Firefox already has a WebDriver BiDi session (a test driver such as \
                         geckodriver holds it) and allows only one; end it first"
                            .into(),
                    )
                }
                other => other,
            })?;
        let caps = result.get("capabilities").cloned().unwrap_or(Value::Null);
        let product = format!(
            "{} {}",
            str_field(&caps, "browserName"),
            str_field(&caps, "browserVersion")
        );
        Ok(Bidi {
            rpc,
            endpoint: endpoint.clone(),
            product: product.trim().to_string(),
        })
    }

    /// The cookies `storage.getCookies` gives with `params`.
    fn cookies_in(&mut self, params: Value) -> Result<Vec<LiveCookie>, LiveError> {
        let result = self.rpc.call("storage.getCookies", params)?;
        let partition = result.get("partitionKey").cloned().unwrap_or(Value::Null);
        let list = result
            .get("cookies")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                self.endpoint
                    .error("storage.getCookies answered without a cookies list".into())
            })?;
        Ok(list.iter().map(|c| from_bidi(c, &partition)).collect())
    }

    /// The user contexts (Firefox containers) other than the default one.
    fn user_contexts(&mut self) -> Result<Vec<String>, LiveError> {
        let result = self.rpc.call("browser.getUserContexts", json!({}))?;
        Ok(result
            .get("userContexts")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|c| c.get("userContext").and_then(Value::as_str))
            .filter(|id| *id != "default")
            .map(str::to_owned)
            .collect())
    }

    fn partition(cookie: &LiveCookie) -> Value {
        match &cookie.partition {
            Value::Object(o) => {
                // Only the storage-key fields address a partition.
                let mut key = Map::new();
                key.insert("type".into(), json!("storageKey"));
                for f in ["userContext", "sourceOrigin"] {
                    if let Some(v) = o.get(f) {
                        key.insert(f.into(), v.clone());
                    }
                }
                Value::Object(key)
            }
            _ => json!({"type": "storageKey"}),
        }
    }
}

/// A BiDi `network.Cookie` (read in `partition`) as a [`LiveCookie`].
pub fn from_bidi(v: &Value, partition: &Value) -> LiveCookie {
    let value = v.get("value").cloned().unwrap_or(Value::Null);
    let mut extra: Map<String, Value> = v
        .as_object()
        .map(|o| {
            o.iter()
                .filter(|(k, _)| !KNOWN.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default();
    // A value that is not UTF-8 comes as base64: kept so, and set back so.
    if str_field(&value, "type") == "base64" {
        extra.insert("valueType".into(), json!("base64"));
    }
    let value = str_field(&value, "value").to_string();
    let same_site = match str_field(v, "sameSite") {
        "default" => String::new(),
        s => s.to_ascii_lowercase(),
    };
    // The default partition of the default user context is no partition.
    let partition = match partition {
        Value::Object(o)
            if o.len() == 1 && o.get("userContext").and_then(Value::as_str) == Some("default") =>
        {
            Value::Null
        }
        Value::Object(o) if o.is_empty() => Value::Null,
        other => other.clone(),
    };
    LiveCookie {
        name: str_field(v, "name").to_string(),
        value,
        domain: str_field(v, "domain").to_string(),
        path: str_field(v, "path").to_string(),
        secure: v.get("secure").and_then(Value::as_bool).unwrap_or(false),
        http_only: v.get("httpOnly").and_then(Value::as_bool).unwrap_or(false),
        same_site,
        expires: v.get("expiry").and_then(Value::as_f64),
        partition,
        extra,
        context: None,
    }
}

/// A [`LiveCookie`] as a BiDi `storage.PartialCookie`.
fn to_bidi(c: &LiveCookie) -> Value {
    let kind = match c.extra.get("valueType").and_then(Value::as_str) {
        Some("base64") => "base64",
        _ => "string",
    };
    let value = json!({"type": kind, "value": c.value});
    let mut o = json!({
        "name": c.name,
        "value": value,
        "domain": c.domain,
        "path": c.path,
        "secure": c.secure,
        "httpOnly": c.http_only,
        "sameSite": match c.same_site.as_str() {
            "none" => "none",
            "lax" => "lax",
            "strict" => "strict",
            _ => "default",
        },
    });
    if let Some(t) = c.expires {
        o["expiry"] = json!(t as i64);
    }
    o
}

impl Browser for Bidi {
    fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    fn product(&self) -> &str {
        &self.product
    }

    fn cookies(&mut self) -> Result<Vec<LiveCookie>, LiveError> {
        // storage.getCookies without a partition reads the default user
        // context only: containers (other user contexts) are read one by one.
        let mut out = self.cookies_in(json!({}))?;
        for context in self.user_contexts()? {
            let partition = json!({"type": "storageKey", "userContext": context});
            out.extend(self.cookies_in(json!({ "partition": partition }))?);
        }
        Ok(out)
    }

    fn delete(&mut self, cookie: &LiveCookie) -> Result<(), LiveError> {
        let params = json!({
            "filter": {"name": cookie.name, "domain": cookie.domain, "path": cookie.path},
            "partition": Bidi::partition(cookie),
        });
        self.rpc.call("storage.deleteCookies", params)?;
        Ok(())
    }

    fn set(&mut self, cookie: &LiveCookie) -> Result<(), LiveError> {
        let params = json!({"cookie": to_bidi(cookie), "partition": Bidi::partition(cookie)});
        self.rpc.call("storage.setCookie", params)?;
        Ok(())
    }
}

impl Drop for Bidi {
    fn drop(&mut self) {
        // Firefox allows one session: end ours so the next client can start one.
        let _ = self.rpc.call("session.end", json!({}));
    }
}
