//! Browser-extension cookie exports (Cookie-Editor, EditThisCookie): read,
//! round-tripped byte for byte, edited with every unknown field kept, and
//! pruned through the command line. The files in tests/data/jars/ follow the
//! extensions' export shape (extensions cannot run headless, so they are
//! written by a script, not by the extensions).

mod common;

use common::{Sandbox, bytes, extended_policy, open};
use crumbs::consent::value::ConsentValue;
use crumbs::jar::{Format, Jar, OpenOptions};
use crumbs::model::{CookieKey, Edits, Expiry, NewCookie, SameSite, SetCookie};

const CHROME: &str = "tests/data/jars/cookie-editor.json";
const ETC: &str = "tests/data/jars/editthiscookie.json";
const FIREFOX: &str = "tests/data/jars/cookie-editor-firefox.json";

#[test]
fn exports_load_with_every_attribute() {
    for rel in [CHROME, ETC, FIREFOX] {
        let j = open(rel);
        assert_eq!(j.format(), Format::ExtensionJson, "{rel}");
        let c = j.cookies();
        assert_eq!(c.len(), 8, "{rel}");
        let find = |n: &str| c.iter().find(|c| c.name == n).unwrap();
        let ga = find("_ga");
        assert_eq!(
            (ga.domain.as_ref(), ga.host_only),
            ("opendatasoft.com", false)
        );
        assert_eq!(ga.expiry, Expiry::At(2_114_380_800), "fraction dropped");
        assert_eq!(ga.same_site, SameSite::Unset, "unspecified");
        let s = find("sessionid");
        assert_eq!(s.expiry, Expiry::Session);
        assert!(s.secure && s.http_only && s.host_only);
        assert_eq!(s.same_site, SameSite::Lax);
        assert_eq!(find("IDE").same_site, SameSite::None, "no_restriction");
        assert_eq!(find("ods_theme").key, CookieKey::Index(4));
        let partitioned: Vec<String> = c
            .iter()
            .filter(|c| !c.partition.is_empty())
            .map(|c| c.partition.to_string())
            .collect();
        if rel == FIREFOX {
            assert_eq!(partitioned, ["https://opendatasoft.com"]);
        } else {
            assert!(partitioned.is_empty());
        }
    }
}

#[test]
fn unedited_exports_save_byte_for_byte() {
    for rel in [CHROME, ETC, FIREFOX] {
        assert_eq!(open(rel).to_bytes(), bytes(rel), "{rel}");
    }
}

/// A replace with the same value and expiry re-renders the whole array: the
/// file's layout (indent, numbers, field order, final newline) comes back.
#[test]
fn re_rendered_exports_keep_their_layout() {
    for rel in [CHROME, ETC, FIREFOX] {
        let mut j = open(rel);
        let c = j.cookies().at(2).clone();
        j.apply(&Edits {
            remove: vec![],
            set: Some(SetCookie::Replace {
                key: c.key.clone(),
                value: c.value.to_string(),
                expiry: c.expiry,
            }),
        })
        .unwrap();
        assert_eq!(
            String::from_utf8(j.to_bytes()).unwrap(),
            String::from_utf8(bytes(rel)).unwrap(),
            "{rel}"
        );
    }
}

#[test]
fn edits_keep_unknown_fields() {
    let mut j = open(ETC);
    let remove = ["_ga", "_pk_id.1.a1b2"]
        .iter()
        .map(|n| {
            j.cookies()
                .iter()
                .find(|c| c.name == *n)
                .unwrap()
                .key
                .clone()
        })
        .collect();
    let pref = j
        .cookies()
        .iter()
        .find(|c| c.name == "cookies_preferences")
        .unwrap()
        .key
        .clone();
    j.apply(&Edits {
        remove,
        set: Some(SetCookie::Replace {
            key: pref,
            value: "new".into(),
            expiry: Expiry::At(1_900_000_000),
        }),
    })
    .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&j.to_bytes()).unwrap();
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 6);
    let theme = items.iter().find(|i| i["name"] == "ods_theme").unwrap();
    assert_eq!(
        theme["x-note"],
        serde_json::json!({"added_by": "a script", "tags": ["b", "a"]}),
        "unknown nested field kept"
    );
    assert_eq!(theme["id"], 5, "EditThisCookie ids kept as written");
    let p = items
        .iter()
        .find(|i| i["name"] == "cookies_preferences")
        .unwrap();
    assert_eq!(p["value"], "new");
    assert_eq!(p["expirationDate"], 1_900_000_000);
    assert_eq!(p["session"], false);
    assert_eq!(p["storeId"], "0");
    // Field order of an edited object is kept.
    let text = String::from_utf8(j.to_bytes()).unwrap();
    let at = |k: &str| text.find(&format!("\"{k}\"")).unwrap();
    assert!(at("domain") < at("expirationDate") && at("storeId") < at("value"));
    assert!(text.ends_with("}\n]\n"), "final newline kept");
    // Re-read: the same view.
    let again = Jar::from_bytes(
        std::path::Path::new("x.json"),
        j.to_bytes(),
        OpenOptions::default(),
    )
    .unwrap();
    assert_eq!(again.cookies(), j.cookies());
}

#[test]
fn added_cookie_follows_the_file() {
    let mut j = open(ETC);
    j.apply(&Edits {
        remove: vec![],
        set: Some(SetCookie::Add(NewCookie {
            name: "cookies_preferences".into(),
            value: "v".into(),
            domain: "other.example".into(),
            host_only: true,
            path: "/".into(),
            secure: true,
            http_only: false,
            same_site: SameSite::Lax,
            expiry: Expiry::At(1_900_000_000),
        })),
    })
    .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&j.to_bytes()).unwrap();
    let last = v.as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        last,
        serde_json::json!({"domain": "other.example", "expirationDate": 1_900_000_000,
            "hostOnly": true, "httpOnly": false, "name": "cookies_preferences", "path": "/",
            "sameSite": "lax", "secure": true, "session": false, "storeId": "0",
            "value": "v", "id": 9})
    );
    assert_eq!(j.cookies().iter().last().unwrap().key, CookieKey::Index(8));
}

#[test]
fn prune_an_export_from_the_command_line() {
    for rel in [CHROME, ETC, FIREFOX] {
        let sb = Sandbox::new();
        let jar = sb.copy(rel);
        let report = sb.prune_reject_all(&jar);
        assert_eq!(report["jar"]["format"], "extension-json");
        let after = Jar::open(&jar, OpenOptions::default()).unwrap();
        let names: Vec<String> = after.cookies().iter().map(|c| c.name.to_string()).collect();
        assert_eq!(
            names,
            ["sessionid", "csrftoken", "cookies_preferences", "cart_id"],
            "{rel}"
        );
        let pref = after
            .cookies()
            .iter()
            .find(|c| c.name == "cookies_preferences")
            .unwrap();
        assert!(ConsentValue::decode(&pref.value).is_ok());
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&jar).unwrap()).unwrap();
        for item in v.as_array().unwrap() {
            if rel == FIREFOX {
                assert!(item.get("firstPartyDomain").is_some());
                assert!(item.get("partitionKey").is_some());
            }
            if rel == ETC {
                assert!(item.get("id").is_some());
            }
        }
        sb.crumbs()
            .args(["prune", "--reject-all", "--policy", &extended_policy()])
            .arg(&jar)
            .assert()
            .success()
            .stdout(predicates::str::contains("nothing to change"));
    }
}

#[test]
fn malformed_exports_name_the_element() {
    let sb = Sandbox::new();
    let bad = sb.path("bad.json");
    std::fs::write(
        &bad,
        "[\n  {\"domain\": \"x.com\", \"hostOnly\": true, \"name\": \"a\"},\n  {\"hostOnly\": true}\n]\n",
    )
    .unwrap();
    let out = sb.crumbs().arg("list").arg(&bad).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("bad.json:3:"), "{err}");
    assert!(err.contains("cookie #2"), "{err}");
}
