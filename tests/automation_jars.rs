//! The jars of browser-automation tools — Playwright's storageState, Puppeteer
//! and DevTools cookie arrays, Selenium's get_cookies() — written by the real
//! tools (tests/fixtures/generate-automation.sh): read with every attribute,
//! saved byte for byte when unchanged, edited with everything else kept, and
//! refused with file and line when broken.

mod common;

use common::{Sandbox, bytes, names, open};
use crumbs::jar::json_tree::{self, Json};
use crumbs::jar::{Format, Jar, OpenOptions};
use crumbs::model::{Expiry, SameSite};

const PLAYWRIGHT: &str = "tests/fixtures/playwright.storage-state.json";

#[test]
fn playwright_state_loads_with_every_attribute() {
    let j = open(PLAYWRIGHT);
    assert_eq!(j.format(), Format::Playwright);
    let c = j.cookies();
    assert_eq!(c.len(), 21);
    let find = |n: &str| c.iter().find(|c| c.name == n).unwrap();
    let ga = find("_ga");
    assert_eq!(
        (ga.domain.as_ref(), ga.host_only),
        ("opendatasoft.com", false)
    );
    assert_eq!(ga.expiry, Expiry::At(1_830_848_693), "fraction dropped");
    let s = find("sessionid");
    assert_eq!(s.expiry, Expiry::Session, "-1");
    assert!(s.secure && s.http_only && s.host_only);
    assert_eq!(s.same_site, SameSite::Lax);
    assert_eq!(find("bo_panel").same_site, SameSite::Strict);
    let part = find("ad_part");
    assert_eq!(part.same_site, SameSite::None);
    assert_eq!(part.partition, "https://opendatasoft.com");
    assert_eq!(find("utf8_label").value, "café-ü");
}

#[test]
fn unedited_state_saves_byte_for_byte() {
    assert_eq!(open(PLAYWRIGHT).to_bytes(), bytes(PLAYWRIGHT));
}

#[test]
fn prune_a_storage_state_keeps_origins() {
    let sb = Sandbox::new();
    let jar = sb.copy(PLAYWRIGHT);
    let report = sb.prune_reject_all(&jar);
    assert_eq!(report["jar"]["format"], "playwright");
    let after = Jar::open(&jar, OpenOptions::default()).unwrap();
    let kept = names(&after);
    assert!(
        !kept.iter().any(|n| n.starts_with("_ga") || n == "_gid"),
        "{kept:?}"
    );
    assert!(kept.iter().any(|n| n == "sessionid"), "{kept:?}");
    assert!(
        kept.iter().any(|n| n == "cart_id"),
        "other sites untouched: {kept:?}"
    );
    let before: serde_json::Value = serde_json::from_slice(&bytes(PLAYWRIGHT)).unwrap();
    let now: serde_json::Value = serde_json::from_slice(&std::fs::read(&jar).unwrap()).unwrap();
    assert_eq!(now["origins"], before["origins"], "localStorage untouched");
    // Every kept cookie object comes back as it was (the preferences cookie aside).
    let was = before["cookies"].as_array().unwrap();
    for c in now["cookies"].as_array().unwrap() {
        if c["name"] != "cookies_preferences" {
            assert!(was.contains(c), "{}", c["name"]);
        }
    }
    let text = String::from_utf8(std::fs::read(&jar).unwrap()).unwrap();
    assert!(
        text.starts_with("{\n  \"cookies\": [\n    {\n      \"name\""),
        "layout kept"
    );
}

#[test]
fn broken_states_exit_2_with_file_and_line() {
    let sb = Sandbox::new();
    let cases: [(&str, &[u8], &str); 3] = [
        (
            "truncated.json",
            &bytes(PLAYWRIGHT)[..700],
            "the JSON ends too early",
        ),
        (
            "nocookies.json",
            b"{\n  \"origins\": []\n}\n",
            "without a \"cookies\" field",
        ),
        (
            "notcookie.json",
            b"{\n  \"cookies\": [\n    {\"value\": \"x\"}\n  ],\n  \"origins\": []\n}\n",
            "cookie #1",
        ),
    ];
    for (name, content, what) in cases {
        let err = sb.prune_refused(name, content);
        assert!(err.contains(&format!("{name}:")), "{err}");
        assert!(err.contains(what), "{name}: {err}");
    }
}

const PUPPETEER: &str = "tests/fixtures/puppeteer.cookies.json";
const SELENIUM: &str = "tests/fixtures/selenium.cookies.json";

#[test]
fn puppeteer_list_loads_with_its_partition_object() {
    let j = open(PUPPETEER);
    assert_eq!(j.format(), Format::Puppeteer);
    let c = j.cookies();
    assert_eq!(c.len(), 21);
    let find = |n: &str| c.iter().find(|c| c.name == n).unwrap();
    assert_eq!(find("ad_part").partition, "https://opendatasoft.com");
    assert_eq!(find("ad_part").same_site, SameSite::None);
    assert_eq!(find("sessionid").expiry, Expiry::Session, "session: true");
    assert!(!find("_ga").host_only);
    assert_eq!(j.to_bytes(), bytes(PUPPETEER), "byte for byte");
}

#[test]
fn selenium_list_loads_expiry_int_or_absent() {
    let j = open(SELENIUM);
    assert_eq!(j.format(), Format::Selenium);
    let c = j.cookies();
    assert_eq!(c.len(), 20);
    let find = |n: &str| c.iter().find(|c| c.name == n).unwrap();
    assert_eq!(find("ods_theme").expiry, Expiry::Session, "expiry absent");
    assert!(matches!(find("_ga").expiry, Expiry::At(t) if t > 1_800_000_000));
    assert_eq!(find("bo_panel").same_site, SameSite::Strict);
    assert_eq!(j.to_bytes(), bytes(SELENIUM), "byte for byte");
}

/// Pruning keeps every field of every kept object (`size`, `priority`,
/// `sourcePort`, `partitionKey` objects...) and writes the preferences cookie
/// in the file's own spelling.
#[test]
fn prune_cookie_lists_keeps_every_field() {
    for (rel, format) in [(PUPPETEER, "puppeteer"), (SELENIUM, "selenium")] {
        let sb = Sandbox::new();
        let jar = sb.copy(rel);
        assert_eq!(sb.prune_reject_all(&jar)["jar"]["format"], format);
        let before: serde_json::Value = serde_json::from_slice(&bytes(rel)).unwrap();
        let now: serde_json::Value = serde_json::from_slice(&std::fs::read(&jar).unwrap()).unwrap();
        let was = before.as_array().unwrap();
        let now = now.as_array().unwrap();
        assert!(now.len() < was.len(), "{rel}: something pruned");
        assert!(!now.iter().any(|c| c["name"] == "_ga"), "{rel}");
        for c in now {
            if c["name"] != "cookies_preferences" {
                assert!(was.contains(c), "{rel}: {}", c["name"]);
            } else {
                // In file order (serde_json's Value sorts keys).
                let text = std::fs::read(&jar).unwrap();
                let Ok(Json::Array(items)) = json_tree::parse(&text, "a list") else {
                    panic!("{rel}: not a list");
                };
                let Some(Json::Object(fields)) = items
                    .iter()
                    .find(|i| matches!(i, Json::Object(f) if f.iter().any(|(_, v)| *v == Json::String("cookies_preferences".into()))))
                else {
                    panic!("{rel}: no preferences cookie");
                };
                let keys: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
                let want: Vec<&str> = if format == "selenium" {
                    vec![
                        "domain", "expiry", "httpOnly", "name", "path", "sameSite", "secure",
                        "value",
                    ]
                } else {
                    vec![
                        "name",
                        "value",
                        "domain",
                        "path",
                        "expires",
                        "size",
                        "httpOnly",
                        "secure",
                        "session",
                        "sameSite",
                        "priority",
                        "sourceScheme",
                        "sourcePort",
                    ]
                };
                assert_eq!(keys, want, "{rel}: shaped like the file's cookies");
            }
        }
    }
}

#[test]
fn a_pickle_is_refused_with_the_reason() {
    let sb = Sandbox::new();
    let path = sb.path("cookies.pkl");
    // pickle.dumps([{"name": "a"}], protocol=4)
    std::fs::write(
        &path,
        b"\x80\x04\x95\x11\x00\x00\x00\x00\x00\x00\x00]\x94}\x94\x8c\x04name\x94\x8c\x01a\x94sa.",
    )
    .unwrap();
    let out = sb.crumbs().arg("list").arg(&path).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("cookies.pkl"), "{err}");
    assert!(err.contains("pickle") && err.contains("runs code"), "{err}");
}
