//! The known-cookie catalog from the command line: where it comes from, its
//! attribution, `policy show --known`, and a bad CSV (DESIGN §5b).

mod common;

use std::fs;

use common::{Sandbox, stdout};

const HEADER: &str = "ID,Platform,Category,Cookie / Data Key name,Domain,Description,Retention period,Data Controller,User Privacy & GDPR Rights Portals,Wildcard match\n";

#[test]
fn version_names_the_catalog_and_its_licence() {
    let sb = Sandbox::new();
    let out = stdout(&sb.crumbs().arg("--version").assert().success());
    assert!(out.starts_with("crumbs 0.1.0\n"), "{out}");
    assert!(out.contains("Open Cookie Database"), "{out}");
    assert!(out.contains("Apache License 2.0"), "{out}");
}

#[test]
fn policy_show_known_gives_origin_date_and_counts() {
    let sb = Sandbox::new();
    let out = stdout(
        &sb.crumbs()
            .args(["policy", "show", "--known"])
            .assert()
            .success(),
    );
    assert!(
        out.starts_with("known-cookie catalog: embedded: Open Cookie Database"),
        "{out}"
    );
    assert!(out.contains("date:    2026-01-21\n"), "{out}");
    assert!(out.contains("entries: 2264\n"), "{out}");
    assert!(out.contains("  necessary        1010\n"), "{out}");
    assert!(out.contains("  marketing        861\n"), "{out}");
    assert!(out.contains("wildcard (prefix) entries: 264\n"), "{out}");
    // Plain `policy show` names the catalog too.
    let out = stdout(&sb.crumbs().args(["policy", "show"]).assert().success());
    assert!(
        out.contains("known-cookie catalog: embedded: Open Cookie Database"),
        "{out}"
    );
}

#[test]
fn a_newer_csv_in_the_data_dir_replaces_the_embedded_one() {
    let sb = Sandbox::new();
    let dir = sb.data().join("crumbs");
    fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("open-cookie-database.csv");
    fs::write(
        &csv,
        format!("{HEADER}1,P,Analytics,_a,,d,r,c,l,0\n2,P,Marketing,_b,,d,r,c,l,1\n"),
    )
    .unwrap();
    let out = stdout(
        &sb.crumbs()
            .args(["policy", "show", "--known"])
            .assert()
            .success(),
    );
    assert!(
        out.starts_with(&format!(
            "known-cookie catalog: {} (data dir)\n",
            csv.display()
        )),
        "{out}"
    );
    assert!(out.contains("entries: 2\n"), "{out}");
    assert!(out.contains("wildcard (prefix) entries: 1\n"), "{out}");
    // A flag wins over the data dir.
    let flag = sb.path("mine.csv");
    fs::write(&flag, format!("{HEADER}1,P,Analytics,_a,,d,r,c,l,0\n")).unwrap();
    let out = stdout(
        &sb.crumbs()
            .args(["policy", "show", "--known", &flag.display().to_string()])
            .assert()
            .success(),
    );
    assert!(out.contains("(--known)"), "{out}");
    assert!(out.contains("entries: 1\n"), "{out}");
}

#[test]
fn a_malformed_catalog_is_an_error_naming_file_and_line_never_a_fallback() {
    let sb = Sandbox::new();
    let dir = sb.data().join("crumbs");
    fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("open-cookie-database.csv");
    fs::write(
        &csv,
        format!("{HEADER}1,P,Analytics,_a,,d,r,c,l,0\n2,P,Analytics,\"_b\n"),
    )
    .unwrap();
    for args in [&["policy", "show", "--known"][..], &["policy", "show"][..]] {
        let a = sb.crumbs().args(args).assert().code(2);
        let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        assert!(
            err.contains(&format!("{}:3:", csv.display())),
            "{args:?}: {err}"
        );
    }
}

/// The curl jar of a shop and two ad networks (no covered site).
const SHOP: &str = "tests/fixtures/curl-shop.cookies.txt";
/// The curl jar of an Opendatasoft portal, an ad network and a shop.
const PORTAL: &str = "tests/fixtures/curl.cookies.txt";

/// The cookie named `name` (on a domain ending with `domain`) in a scope's JSON object.
fn cookie<'v>(v: &'v serde_json::Value, name: &str, domain: &str) -> &'v serde_json::Value {
    v["cookies"]
        .as_array()
        .expect("cookies")
        .iter()
        .find(|c| c["name"] == name && c["domain"].as_str().unwrap_or("").ends_with(domain))
        .unwrap_or_else(|| panic!("no {name} on {domain}"))
}

/// `(platform, category, match)` of a cookie's `known`, None when null.
fn known_of(c: &serde_json::Value) -> Option<(String, String, String)> {
    let k = &c["known"];
    assert!(c.get("known").is_some(), "no known field: {c}");
    (!k.is_null()).then(|| {
        let s = |f: &str| k[f].as_str().unwrap_or("?").to_string();
        (s("platform"), s("category"), s("match"))
    })
}

fn k(p: &str, c: &str, m: &str) -> Option<(String, String, String)> {
    Some((p.into(), c.into(), m.into()))
}

#[test]
fn each_cookie_says_what_the_catalog_knows_of_it() {
    let sb = Sandbox::new();
    let jar = sb.copy(SHOP);
    let a = sb
        .crumbs()
        .args(["list", "--json"])
        .arg(&jar)
        .assert()
        .success();
    let v = common::json_of(&a.get_output().stdout);
    assert_eq!(v["site"], "*");
    let ga = cookie(&v, "_ga", "example.org");
    assert_eq!(
        ga["known"],
        serde_json::json!({
            "platform": "Google Analytics", "category": "analytics",
            "purpose": "ID used to identify users", "retention": "2 years",
            "controller": "Google", "privacy_link": "https://business.safety.google/privacy/",
            "match": "name"
        })
    );
    // A platform's tag cookie on the shop's own domain is the platform's.
    assert_eq!(
        known_of(cookie(&v, "_fbp", "example.org")),
        k("Facebook", "marketing", "name-tag")
    );
    assert_eq!(
        known_of(cookie(&v, "IDE", "doubleclick.net")),
        k(
            "DoubleClick/Google Marketing",
            "marketing",
            "name-on-domain"
        )
    );
    assert_eq!(
        known_of(cookie(&v, "fr", "facebook.com")),
        k("Facebook", "marketing", "name-on-domain")
    );
    assert_eq!(
        known_of(cookie(&v, "_hjSessionUser_3141592", "shop.example.org")),
        k("Hotjar", "necessary", "prefix")
    );
    assert_eq!(known_of(cookie(&v, "basket", "shop.example.org")), None);

    // In a site scope the policy wins and `known` annotates: `sessionid` on
    // a portal is not Instagram's; the undeclared `_ga` is Google's.
    let jar = sb.copy(PORTAL);
    let a = sb
        .crumbs()
        .args(["list", "--json"])
        .arg(&jar)
        .assert()
        .success();
    let v = common::json_of(&a.get_output().stdout);
    assert_eq!(v["site"], "robertleaf.my.opendatasoft.com");
    let session = cookie(&v, "sessionid", "opendatasoft.com");
    assert_eq!(
        (session["category"].as_str(), known_of(session)),
        (Some("necessary"), None)
    );
    let ga = cookie(&v, "_ga", "opendatasoft.com");
    assert_eq!(ga["category"], "first-party");
    assert_eq!(known_of(ga), k("Google Analytics", "analytics", "name"));
    assert_eq!(
        known_of(cookie(&v, "_ga_ABC123XYZ", "opendatasoft.com")),
        k("Google Analytics", "analytics", "prefix")
    );
    // Another scope's cookies are annotated too (`fr`-like names elsewhere are not).
    assert_eq!(known_of(cookie(&v, "cart_id", "shop.example.org")), None);
    let text = stdout(&sb.crumbs().arg("list").arg(&jar).assert().success());
    assert!(
        text.contains("known: Google Analytics · analytics · ID used to identify users\n"),
        "{text}"
    );
}

#[test]
fn check_reports_an_undeclared_tracker_of_a_site() {
    let sb = Sandbox::new();
    let jar = sb.copy(PORTAL);
    let a = sb.check_json(&jar);
    let v = common::json_of(&a.get_output().stdout);
    let mut trackers: Vec<&str> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["kind"] == "undeclared-tracker")
        .map(|p| p["cookie"].as_str().unwrap())
        .collect();
    trackers.sort();
    assert_eq!(
        trackers,
        [
            "_ga on .opendatasoft.com",
            "_ga_ABC123XYZ on .opendatasoft.com",
            "_gid on robertleaf.my.opendatasoft.com",
            "_pk_id.1.a1b2 on robertleaf.my.opendatasoft.com",
            "_pk_ses.1.a1b2 on robertleaf.my.opendatasoft.com",
        ]
    );
    let text = stdout(&sb.crumbs().arg("check").arg(&jar).assert().code(1));
    assert!(
        text.contains(
            "  [undeclared-tracker] _ga on .opendatasoft.com is not declared by the policy, \
             and the known-cookie catalog knows it as analytics (Google Analytics: ID used to identify users)\n"
        ),
        "{text}"
    );
    // Under the catalog nothing is undeclared, so nothing is an undeclared tracker.
    let shop = sb.copy(SHOP);
    let a = sb.crumbs().args(["check", "--json"]).arg(&shop).assert();
    let v = common::json_of(&a.get_output().stdout);
    assert!(
        v["problems"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| !p["kind"].as_str().unwrap().starts_with("undeclared")),
        "{v}"
    );
}

/// The real CSV with one line added: `basket` as a marketing cookie.
fn real_csv_plus_basket() -> String {
    let real = fs::read_to_string(common::repo("assets/known/open-cookie-database.csv")).unwrap();
    format!(
        "{real}{}crumbs-test-1,Example Shop,Marketing,basket,,Remembers the basket for retargeting,1 year,Example,https://shop.example.org/privacy,0\n",
        if real.ends_with('\n') { "" } else { "\n" }
    )
}

#[test]
fn known_flag_replaces_the_catalog_for_list_check_and_prune() {
    let sb = Sandbox::new();
    let jar = sb.copy(SHOP);
    let csv = sb.path("newer.csv");
    fs::write(&csv, real_csv_plus_basket()).unwrap();
    let known = csv.display().to_string();
    let a = sb
        .crumbs()
        .args(["list", "--json", "--known", &known])
        .arg(&jar)
        .assert()
        .success();
    let v = common::json_of(&a.get_output().stdout);
    let basket = cookie(&v, "basket", "shop.example.org");
    assert_eq!(basket["category"], "marketing");
    assert_eq!(known_of(basket), k("Example Shop", "marketing", "name"));
    // The text says which catalog it uses.
    let text = stdout(
        &sb.crumbs()
            .args(["list", "--known", &known])
            .arg(&jar)
            .assert()
            .success(),
    );
    assert!(
        text.contains(&format!("catalog: {known} (--known), dated ")),
        "{text}"
    );
    sb.crumbs()
        .args(["check", "--known", &known])
        .arg(&jar)
        .assert()
        .code(1);
    sb.crumbs()
        .args(["prune", "--site", "*", "--reject-all", "--known", &known])
        .arg(&jar)
        .assert()
        .success();
    let left = fs::read_to_string(&jar).unwrap();
    assert!(!left.contains("\tbasket\t"), "{left}");
}

#[test]
fn a_malformed_known_file_stops_list_and_check_naming_file_and_line() {
    let sb = Sandbox::new();
    let jar = sb.copy(SHOP);
    let csv = sb.path("bad.csv");
    let mut text = real_csv_plus_basket();
    let lines = text.lines().count();
    text.push_str("crumbs-test-2,P,Sometimes,x,,d,r,c,l,0\n");
    fs::write(&csv, text).unwrap();
    for cmd in ["list", "check"] {
        let a = sb
            .crumbs()
            .args([cmd, "--known"])
            .arg(&csv)
            .arg(&jar)
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        assert!(
            err.contains(&format!("{}:{}:", csv.display(), lines + 1)),
            "{cmd}: {err}"
        );
        assert!(a.get_output().stdout.is_empty(), "{cmd}");
    }
    // The data dir's copy, malformed, is no reason to fall back either.
    let dir = sb.data().join("crumbs");
    fs::create_dir_all(&dir).unwrap();
    let data = dir.join("open-cookie-database.csv");
    fs::write(&data, format!("{HEADER}1,P,Analytics,\"_b\n")).unwrap();
    let a = sb.crumbs().arg("list").arg(&jar).assert().code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(err.contains(&format!("{}:2:", data.display())), "{err}");
}
