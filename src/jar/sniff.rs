//! Format detection by content.
//!
//! Only the start of the file is looked at (for JSON, the first value of an
//! object file or the first element of an array), so detection stays cheap on
//! large jars; the format's parser then reports any error with its line.

use memchr::memmem;
use serde_json::{Map, Value};

/// What a file looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sniffed {
    /// A Netscape cookies.txt (or something that should be parsed as one).
    Netscape,
    /// cookie_store JSON (array or one object per line).
    CookieStoreJson,
    /// A browser extension's JSON export (Cookie-Editor, EditThisCookie).
    ExtensionJson,
    /// A Playwright `storageState` (or an object that should be parsed as one).
    Playwright,
    /// A Puppeteer / DevTools cookie array (or Playwright's `context.cookies()`).
    Puppeteer,
    /// A Selenium `get_cookies()` array.
    Selenium,
    /// Python's `LWPCookieJar` (`#LWP-Cookies-2.0`, `Set-Cookie3` lines).
    Lwp,
    /// An httpie session (`cookies` and `headers`, or httpie's `__meta__`).
    Httpie,
    /// A Postman / newman cookie jar (tough-cookie: `storeType`, `cookies[].key`).
    Newman,
    /// A HAR capture (`log`), read only.
    Har,
    /// Safari's `Cookies.binarycookies` (magic `cook`).
    BinaryCookies,
    /// An SQLite database: a browser's cookie database, which its reader checks.
    Sqlite,
    /// Not a supported jar; says what it looks like.
    Unsupported(String),
}

/// The magic string at the start of every SQLite 3 database.
const SQLITE_MAGIC: &[u8] = super::sqlite::MAGIC;

/// Guesses the format of jar content.
pub fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.starts_with(SQLITE_MAGIC) {
        return Sniffed::Sqlite;
    }
    if is_pickle(bytes) {
        return unsupported(
            "a Python pickle (pickle.dump of Selenium's get_cookies()?); crumbs does not load \
             pickles, since loading one runs code it contains: save the cookies with \
             json.dump(driver.get_cookies(), f) instead",
        );
    }
    // "cook" and the high byte of a page count: no text file has that NUL.
    if bytes.starts_with(super::binarycookies::MAGIC) && bytes.get(4) == Some(&0) {
        return Sniffed::BinaryCookies;
    }
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return unsupported("gzip-compressed data; decompress it first");
    }
    let head = &bytes[..bytes.len().min(1024)];
    if head.contains(&0) {
        return unsupported("binary data (NUL bytes near the start), not a text cookie jar");
    }
    let text = super::without_bom(bytes);
    let text = text.trim_ascii_start();
    if text.starts_with(super::lwp::MAGIC) {
        return Sniffed::Lwp;
    }
    if text.starts_with(b"Set-Cookie3:") {
        return unsupported(
            "Python LWPCookieJar lines (Set-Cookie3:) without the first line \
             #LWP-Cookies-2.0 that LWPCookieJar writes and requires",
        );
    }
    match text.first() {
        Some(b'<') => Sniffed::Unsupported(markup_guess(text)),
        Some(b'[') if is_ipv6_cookie_line(text) => Sniffed::Netscape,
        Some(b'[') => json_array(text),
        Some(b'{') => json_object(text),
        _ => Sniffed::Netscape,
    }
}

/// Python's pickle: protocol 2 to 5 start with PROTO (0x80, version); protocol
/// 0 and 1 of a list or a dict start with MARK and LIST/DICT (`(lp0`, `(dp0`, `(]`, `(}`).
fn is_pickle(bytes: &[u8]) -> bool {
    matches!(bytes, [0x80, 2..=5, ..])
        || [&b"(lp"[..], b"(dp", b"(]", b"(}", b"]q"]
            .iter()
            .any(|p| bytes.starts_with(p))
}

/// How many bytes detection looks at first: a file that is clearly not a jar
/// (binary, markup, another format) is refused after reading only these.
pub const HEAD: usize = 64 * 1024;

/// Sniffs the first bytes of a file (`complete` when they are the whole
/// file). `None` when the verdict could change with the rest: a JSON file
/// whose first value runs past the head. A jar format found here is
/// confirmed by sniffing the whole content again.
pub fn sniff_head(head: &[u8], complete: bool) -> Option<Sniffed> {
    let verdict = sniff(head);
    if complete || !matches!(verdict, Sniffed::Unsupported(_)) || !json_cut_short(head) {
        Some(verdict)
    } else {
        None
    }
}

/// True when `head` is JSON whose first value (or an array's first element)
/// is cut off at its end.
fn json_cut_short(head: &[u8]) -> bool {
    let text = super::without_bom(head);
    let text = text.trim_ascii_start();
    let value = match text.split_first() {
        Some((b'[', rest)) => rest.trim_ascii_start(),
        Some((b'{', _)) => text,
        _ => return false,
    };
    matches!(
        serde_json::Deserializer::from_slice(value).into_iter::<Value>().next(),
        Some(Err(e)) if e.is_eof()
    )
}

/// A headerless cookies.txt whose first line is a cookie for an IPv6 host
/// (`[::1]:8080<TAB>FALSE<TAB>...`), which would otherwise look like JSON.
fn is_ipv6_cookie_line(text: &[u8]) -> bool {
    let line = memchr::memchr(b'\n', text).map_or(text, |p| &text[..p]);
    let tabs = memchr::memchr_iter(b'\t', line).count();
    let first = line.split(|&b| b == b'\t').next().unwrap_or(line);
    tabs >= 5 && first.contains(&b']') && !first.contains(&b'"')
}

/// An `Unsupported` with this description.
fn unsupported(what: &str) -> Sniffed {
    Sniffed::Unsupported(what.to_owned())
}

/// HTML, or other markup.
fn markup_guess(text: &[u8]) -> String {
    let head = text[..text.len().min(1024)].to_ascii_lowercase();
    if memmem::find(&head, b"<html").is_some() || memmem::find(&head, b"<!doctype html").is_some() {
        "HTML (a web page, not a cookie jar; was a login page or an error page saved instead?)"
            .to_owned()
    } else {
        "XML or HTML markup, not a cookie jar".to_owned()
    }
}

/// The first JSON value at the start of `text`, if it parses.
fn first_value(text: &[u8]) -> Option<Value> {
    serde_json::Deserializer::from_slice(text)
        .into_iter::<Value>()
        .next()
        .and_then(Result::ok)
}

/// Whether the start of `text` names cookie_store's `raw_cookie` field: a
/// cookie_store jar with a JSON error, which its parser will report by line.
fn mentions_raw_cookie(text: &[u8]) -> bool {
    memmem::find(&text[..text.len().min(4096)], b"\"raw_cookie\"").is_some()
}

/// Whether the first 4 KiB of `text` hold `needle`.
fn mentions(text: &[u8], needle: &[u8]) -> bool {
    memmem::find(&text[..text.len().min(4096)], needle).is_some()
}

/// JSON nested deeper than serde_json's limit of 128 levels, which no jar is.
fn nested_too_deep(text: &[u8]) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &b in text {
        match (in_string, b) {
            (true, _) if escaped => escaped = false,
            (true, b'\\') => escaped = true,
            (true, b'"') => in_string = false,
            (true, _) => {}
            (false, b'"') => in_string = true,
            (false, b'[' | b'{') => {
                depth += 1;
                if depth > 128 {
                    return true;
                }
            }
            (false, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// JSON that is no jar crumbs reads: said so, or that it is nested too
/// deeply to be read at all (looked at only here, on the way to a refusal:
/// a jar is not parsed twice).
fn not_a_jar(text: &[u8]) -> Sniffed {
    if nested_too_deep(text) {
        unsupported(
            "JSON nested too deeply (more than 128 levels of arrays and objects);              no cookie jar is, so crumbs does not read it",
        )
    } else {
        unsupported("JSON, but not a cookie_store jar")
    }
}

/// `text` is a JSON array (it starts with `[`).
fn json_array(text: &[u8]) -> Sniffed {
    let rest = text[1..].trim_ascii_start();
    match rest.first() {
        Some(b']') => return Sniffed::CookieStoreJson,
        Some(b'{') => {}
        _ => return not_a_jar(text),
    }
    let Some(Value::Object(first)) = first_value(rest) else {
        return if mentions_raw_cookie(rest) {
            Sniffed::CookieStoreJson
        } else {
            not_a_jar(text)
        };
    };
    // cookie_store keeps `domain` as an object ({"HostOnly": ...}) and `path`
    // as a pair: such an entry is a cookie_store jar even when broken.
    let store_shaped = first.get("domain").is_some_and(Value::is_object)
        || first.get("path").is_some_and(Value::is_array);
    if first.contains_key("raw_cookie") || store_shaped {
        Sniffed::CookieStoreJson
    } else if first.contains_key("hostOnly") || first.contains_key("expirationDate") {
        Sniffed::ExtensionJson
    } else if ["size", "session", "priority", "sourceScheme", "expires"]
        .iter()
        .any(|k| first.contains_key(*k))
    {
        Sniffed::Puppeteer
    } else if first.contains_key("expiry") || is_cookie_list(&first) {
        // WebDriver leaves `expiry` out of a session cookie.
        Sniffed::Selenium
    } else if first.contains_key("name") && first.contains_key("value") {
        Sniffed::Unsupported(
            "a JSON list of name/value objects, but without \"domain\": a cookie list \
             needs each cookie's domain (Puppeteer, Selenium and Playwright lists have it)"
                .into(),
        )
    } else {
        not_a_jar(text)
    }
}

/// A JSON object file: cookie_store's one-object-per-line form, or something else.
fn json_object(text: &[u8]) -> Sniffed {
    let Some(Value::Object(first)) = first_value(text) else {
        let first_line = memchr::memchr(b'\n', text).map_or(text, |p| &text[..p]);
        return if mentions_raw_cookie(first_line) {
            Sniffed::CookieStoreJson
        } else if text.starts_with(b"{") && first_key_is(text, b"log") {
            Sniffed::Har
        } else if mentions(text, b"\"storeType\"") || mentions(text, b"\"tough-cookie@") {
            Sniffed::Newman
        } else if mentions(text, b"HTTPie session file") {
            Sniffed::Httpie
        } else if mentions(text, b"\"origins\"") || mentions(text, b"\"cookies\"") {
            // Broken, but a storage state by its fields: its parser says where.
            Sniffed::Playwright
        } else {
            not_a_jar(text)
        };
    };
    if first.contains_key("raw_cookie") {
        Sniffed::CookieStoreJson
    } else if first.contains_key("log") {
        Sniffed::Har
    } else if is_tough_cookie(&first) {
        Sniffed::Newman
    } else if is_httpie(&first) {
        Sniffed::Httpie
    } else if first.contains_key("origins")
        || (first.contains_key("cookies")
            && !first.contains_key("headers")
            && !first.contains_key("storeType"))
    {
        // `origins` without `cookies` is a near miss its parser names.
        Sniffed::Playwright
    } else {
        not_a_jar(text)
    }
}

/// Whether the object at the start of `text` begins with the key `key`
/// (a HAR starts with `{"log":`, whatever follows).
fn first_key_is(text: &[u8], key: &[u8]) -> bool {
    let rest = text[1..].trim_ascii_start();
    rest.strip_prefix(b"\"")
        .and_then(|r| r.strip_prefix(key))
        .is_some_and(|r| r.starts_with(b"\""))
}

/// A serialised tough-cookie jar (Postman, newman): its `storeType`, its
/// `version` (`tough-cookie@...`), or cookies named by `key`.
fn is_tough_cookie(doc: &Map<String, Value>) -> bool {
    let version = doc
        .get("version")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("tough-cookie"));
    let keyed = doc
        .get("cookies")
        .and_then(Value::as_array)
        .and_then(|c| c.first())
        .is_some_and(|c| c.get("key").is_some() && c.get("name").is_none());
    doc.contains_key("storeType") || version || keyed
}

/// An httpie session: `cookies` beside `headers`, or httpie's `__meta__`
/// (a near miss without `cookies` is named by its parser).
fn is_httpie(doc: &Map<String, Value>) -> bool {
    let meta = doc
        .get("__meta__")
        .and_then(|m| m.get("about"))
        .and_then(Value::as_str)
        .is_some_and(|a| a.contains("HTTPie"));
    meta || (doc.contains_key("cookies") && doc.contains_key("headers"))
}

/// An object with a cookie's name, value and domain (a CDP-style cookie).
fn is_cookie_list(first: &Map<String, Value>) -> bool {
    ["name", "value", "domain"]
        .iter()
        .all(|k| first.contains_key(*k))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn what(bytes: &[u8]) -> String {
        match sniff(bytes) {
            Sniffed::Unsupported(what) => what,
            other => panic!("expected Unsupported, got {other:?}"),
        }
    }

    #[test]
    fn json_nested_past_128_levels_is_said_to_be_too_deep() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(what(deep(129).as_bytes()).starts_with("JSON nested too deeply"));
        assert_eq!(
            what(deep(128).as_bytes()),
            "JSON, but not a cookie_store jar"
        );
        let ext = format!(
            r#"[{{"hostOnly": false, "name": "a", "x": {}}}]"#,
            deep(200)
        );
        assert!(what(ext.as_bytes()).starts_with("JSON nested too deeply"));
        // Brackets inside strings are not nesting.
        let quoted = format!(r#"[{{"n": "{}"}}, 1]"#, "[".repeat(300));
        assert_eq!(what(quoted.as_bytes()), "JSON, but not a cookie_store jar");
    }

    #[test]
    fn text_is_netscape() {
        assert_eq!(sniff(b""), Sniffed::Netscape);
        assert_eq!(sniff(b"# Netscape HTTP Cookie File\n"), Sniffed::Netscape);
        assert_eq!(sniff(b"# HTTP Cookie File\r\n"), Sniffed::Netscape);
        assert_eq!(sniff(b"x.com\tFALSE\t/\tFALSE\t0\tn\tv"), Sniffed::Netscape);
        assert_eq!(sniff(b"just some text\n"), Sniffed::Netscape);
        assert_eq!(sniff(b"\n\n  \n"), Sniffed::Netscape);
        assert_eq!(
            sniff(b"[::1]:8080\tFALSE\t/\tFALSE\t0\tn\tv\n"),
            Sniffed::Netscape
        );
    }

    #[test]
    fn cookie_store_json() {
        let array = b"[\n  {\n    \"raw_cookie\": \"a=b; Path=/\",\n    \"path\": [\"/\", true],\n    \"domain\": {\"HostOnly\": \"x.com\"},\n    \"expires\": \"SessionEnd\"\n  }\n]\n";
        assert_eq!(sniff(array), Sniffed::CookieStoreJson);
        assert_eq!(sniff(b"[]"), Sniffed::CookieStoreJson);
        assert_eq!(sniff(b" [ \n ]\n"), Sniffed::CookieStoreJson);
        assert_eq!(sniff(b"\xEF\xBB\xBF[]\n"), Sniffed::CookieStoreJson);
        let lines = b"{\"raw_cookie\":\"a=b\",\"path\":[\"/\",true],\"domain\":{\"HostOnly\":\"x.com\"},\"expires\":\"SessionEnd\"}\n{\"raw_cookie\":\"c=d\",\"path\":[\"/\",true],\"domain\":{\"HostOnly\":\"x.com\"},\"expires\":\"SessionEnd\"}\n";
        assert_eq!(sniff(lines), Sniffed::CookieStoreJson);
        // Broken but recognisable: its parser will say where.
        assert_eq!(
            sniff(b"[\n  {\n    \"raw_cookie\": \"a=b\",,\n"),
            Sniffed::CookieStoreJson
        );
        assert_eq!(
            sniff(b"{\"raw_cookie\": \"a=b\",,}\n"),
            Sniffed::CookieStoreJson
        );
    }

    #[test]
    fn safari_binarycookies() {
        assert_eq!(sniff(b"cook\0\0\0\0"), Sniffed::BinaryCookies);
        assert_eq!(
            sniff(b"cookiepedia.example\tFALSE\t/\tFALSE\t0\ta\tb\n"),
            Sniffed::Netscape
        );
    }

    #[test]
    fn sqlite_databases() {
        let mut db = SQLITE_MAGIC.to_vec();
        db.resize(4096, 0);
        assert_eq!(sniff(&db), Sniffed::Sqlite);
    }

    #[test]
    fn extension_exports() {
        let export = br#"[{"domain": ".x.com", "expirationDate": 1767225600.5, "hostOnly": false, "name": "a", "value": "b"}]"#;
        assert_eq!(sniff(export), Sniffed::ExtensionJson);
        let session = br#"[{"domain": "x.com", "hostOnly": true, "name": "a", "session": true}]"#;
        assert_eq!(sniff(session), Sniffed::ExtensionJson);
    }

    #[test]
    fn other_cookie_files() {
        assert_eq!(
            sniff(b"#LWP-Cookies-2.0\nSet-Cookie3: a=b; path=\"/\"; domain=x.com\n"),
            Sniffed::Lwp
        );
        assert!(what(b"Set-Cookie3: a=b; domain=x.com\n").contains("without the first line"));
        assert_eq!(
            sniff(b"{\n  \"log\": {\"version\": \"1.2\", \"entries\": []}\n}\n"),
            Sniffed::Har
        );
        assert_eq!(
            sniff(b"{\n  \"log\": {\"version\": \"1.2\",,"),
            Sniffed::Har
        );
        assert_eq!(
            sniff(
                br#"[{"name": "a", "value": "b", "domain": "x.com", "path": "/", "expires": -1}]"#
            ),
            Sniffed::Puppeteer
        );
        assert_eq!(
            sniff(br#"[{"domain": "x.com", "expiry": 9, "name": "a", "value": "b"}]"#),
            Sniffed::Selenium
        );
        assert_eq!(
            sniff(br#"[{"domain": "x.com", "httpOnly": false, "name": "a", "value": "b"}]"#),
            Sniffed::Selenium
        );
        assert!(what(br#"[{"name": "a", "value": "b"}]"#).contains("without \"domain\""));
        assert!(what(b"\x80\x04\x95\x10\0\0\0").starts_with("a Python pickle"));
        assert!(what(b"(lp0\n(dp1\n").contains("runs code"));
        assert_eq!(
            sniff(br#"{"cookies": [], "origins": []}"#),
            Sniffed::Playwright
        );
        assert_eq!(sniff(br#"{"origins": []}"#), Sniffed::Playwright);
        assert_eq!(sniff(br#"{"cookies": [], "headers": []}"#), Sniffed::Httpie);
        assert_eq!(
            sniff(br#"{"__meta__": {"about": "HTTPie session file"}, "headers": {}}"#),
            Sniffed::Httpie
        );
        assert_eq!(
            sniff(b"{\n  \"__meta__\": {\"about\": \"HTTPie session file\",,"),
            Sniffed::Httpie
        );
        assert_eq!(
            sniff(b"{\n  \"cookies\": [\n    {\"name\""),
            Sniffed::Playwright
        );
    }

    #[test]
    fn other_json() {
        for json in [
            &b"{\"a\": 1}"[..],
            b"[1, 2]",
            b"[{\"a\": 1}]",
            b"[\"x\"]",
            b"{not json",
        ] {
            assert_eq!(what(json), "JSON, but not a cookie_store jar", "{json:?}");
        }
    }

    #[test]
    fn the_head_decides_unless_json_is_cut_short() {
        let binary = vec![0u8; HEAD];
        assert!(matches!(
            sniff_head(&binary, false),
            Some(Sniffed::Unsupported(w)) if w.starts_with("binary data")
        ));
        let html = b"<!DOCTYPE html>\n<html><body>";
        assert!(matches!(
            sniff_head(html, false),
            Some(Sniffed::Unsupported(_))
        ));
        assert_eq!(sniff_head(b"# Netscape", false), Some(Sniffed::Netscape));
        // A first element cut by the head may still turn out an extension export.
        let cut = br#"[{"domain": ".x.com", "value": "aaaa"#;
        assert_eq!(sniff_head(cut, false), None);
        assert!(sniff_head(cut, true).is_some());
        assert!(
            sniff_head(b"[1, 2", false).is_some(),
            "first element complete"
        );
        assert_eq!(sniff_head(br#"{"log": {"#, false), Some(Sniffed::Har));
    }

    #[test]
    fn markup_and_binary() {
        assert!(what(b"<!DOCTYPE html>\n<html><body>Login</body></html>").starts_with("HTML"));
        assert!(what(b"\n<HTML>").starts_with("HTML"));
        assert_eq!(
            what(b"<?xml version=\"1.0\"?><a/>"),
            "XML or HTML markup, not a cookie jar"
        );
        assert_eq!(
            what(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            "binary data (NUL bytes near the start), not a text cookie jar"
        );
        assert_eq!(
            what(&[0x1f, 0x8b, 8, 0]),
            "gzip-compressed data; decompress it first"
        );
    }
}
