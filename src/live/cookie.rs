//! A cookie as a browser protocol gives it, kept whole so it can be set back
//! exactly (undo), and its uniform view for the engine.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::model::{Cookie, CookieKey, Domain, Expiry, OwnedCookie, SameSite};

/// One cookie of a running browser, with every attribute the protocol gave.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveCookie {
    /// Name.
    pub name: String,
    /// Value (a secret: the snapshot file is 0600; never printed).
    pub value: String,
    /// Domain as the browser keeps it: a leading dot marks a domain cookie.
    pub domain: String,
    /// Path.
    pub path: String,
    /// Secure flag.
    pub secure: bool,
    /// HttpOnly flag.
    #[serde(rename = "httpOnly")]
    pub http_only: bool,
    /// SameSite, in the model's spelling ("none", "lax", "strict", "unset").
    #[serde(rename = "sameSite")]
    pub same_site: String,
    /// Expiry in seconds since the epoch; None for a session cookie.
    pub expires: Option<f64>,
    /// The partition as the protocol gives it (CDP `partitionKey`, BiDi
    /// `partitionKey`); null when unpartitioned.
    #[serde(default)]
    pub partition: Value,
    /// Other attributes the protocol gave (priority, sourceScheme, ...), set
    /// back as they were.
    #[serde(default)]
    pub extra: Map<String, Value>,
    /// The browser context it lives in when not the default one (CDP
    /// `browserContextId`: Playwright and Puppeteer keep each test's cookies
    /// in a context of their own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
}

impl std::fmt::Debug for LiveCookie {
    // Values are secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LiveCookie({} {}{})", self.name, self.domain, self.path)
    }
}

/// Parses the model's SameSite spelling back.
pub fn same_site_of(s: &str) -> SameSite {
    match s.to_ascii_lowercase().as_str() {
        "none" | "no_restriction" => SameSite::None,
        "lax" => SameSite::Lax,
        "strict" => SameSite::Strict,
        _ => SameSite::Unset,
    }
}

impl LiveCookie {
    /// The identity the protocols delete by: name, domain, path, partition.
    pub fn same_identity(&self, other: &LiveCookie) -> bool {
        self.name == other.name
            && self.domain == other.domain
            && self.path == other.path
            && self.partition == other.partition
            && self.context == other.context
    }

    /// The partition as one string (the top-level site), "" when none; a
    /// browser context other than the default is named too.
    pub fn partition_label(&self) -> String {
        let key = self.partition_key_label();
        match (&self.context, key.is_empty()) {
            (None, _) => key,
            (Some(c), true) => format!("context {c}"),
            (Some(c), false) => format!("{key} (context {c})"),
        }
    }

    fn partition_key_label(&self) -> String {
        match &self.partition {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            Value::Object(o) => o
                .get("topLevelSite")
                .or_else(|| o.get("sourceOrigin"))
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| Value::Object(o.clone()).to_string()),
            other => other.to_string(),
        }
    }

    /// The uniform view; `index` is its place in the list read from the browser.
    pub fn to_cookie(&self, index: usize) -> OwnedCookie {
        let domain = Domain::from_stored(&self.domain);
        Cookie {
            name: Cow::Owned(self.name.clone()),
            value: Cow::Owned(self.value.clone()),
            host_only: domain.host_only,
            domain: Cow::Owned(domain.into_name()),
            path: Cow::Owned(self.path.clone()),
            secure: self.secure,
            http_only: self.http_only,
            same_site: same_site_of(&self.same_site),
            expiry: match self.expires {
                Some(t) => Expiry::At(t.floor() as i64),
                None => Expiry::Session,
            },
            partition: Cow::Owned(self.partition_label()),
            key: CookieKey::Index(index),
        }
    }
}
