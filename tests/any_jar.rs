//! Jars from any site (DESIGN §5b, issue #14.1): the `*` scope under the
//! known-cookie catalog, `--site HOST` for an uncovered host, `--site '*'`,
//! and jars that are empty, of other sites only, or of one cookie, in every
//! command-line face.

mod common;

use std::fs;

use common::{Sandbox, json_all, json_of, stdout};

/// A jar curl wrote visiting a shop (with its analytics and ad tags) and two
/// ad networks (tests/fixtures/generate.sh --shop-only).
const SHOP: &str = "tests/fixtures/curl-shop.cookies.txt";
/// The portal jar: one Opendatasoft portal, a shop and an ad network.
const PORTAL: &str = "tests/fixtures/curl.cookies.txt";

/// The `(name, category, action)` of each cookie of a scope's JSON object
/// that the scope holds (not another scope's).
fn rows(v: &serde_json::Value) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = v["cookies"]
        .as_array()
        .expect("cookies")
        .iter()
        .filter(|c| c["scope"] != "other-site")
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or("-").to_string();
            (s("name"), s("category"), s("action"))
        })
        .collect();
    out.sort();
    out
}

fn names_in(jar: &std::path::Path) -> Vec<String> {
    let text = fs::read_to_string(jar).unwrap();
    let mut names: Vec<String> = text
        .lines()
        .filter(|l| !l.is_empty() && (!l.starts_with('#') || l.starts_with("#HttpOnly_")))
        .filter_map(|l| l.split('\t').nth(5).map(str::to_string))
        .collect();
    names.sort();
    names
}

#[test]
fn a_jar_of_other_sites_is_the_star_scope_under_the_catalog() {
    let sb = Sandbox::new();
    let jar = sb.copy(SHOP);
    let a = sb
        .crumbs()
        .args(["list", "--json"])
        .arg(&jar)
        .assert()
        .success();
    let all = json_all(&a.get_output().stdout);
    assert_eq!(all.len(), 1);
    let v = &all[0];
    assert_eq!(v["site"], "*");
    assert_eq!(
        v["policy"]["name"],
        "Known-cookie catalog (Open Cookie Database)"
    );
    assert_eq!(v["consent"]["preferences_in_jar"], false);
    let r = |n: &str, c: &str, a: &str| (n.to_string(), c.to_string(), a.to_string());
    assert_eq!(
        rows(v),
        [
            r("IDE", "marketing", "remove"),
            r("PHPSESSID", "necessary", "keep"),
            r("__cf_bm", "necessary", "keep"),
            r("_fbp", "marketing", "remove"),
            r("_ga", "analytics", "remove"),
            r("_gid", "analytics", "remove"),
            r("_hjSessionUser_3141592", "necessary", "keep"),
            r("basket", "unknown", "keep"),
            r("datr", "marketing", "remove"),
            r("fr", "marketing", "remove"),
            r("test_cookie", "necessary", "keep"),
        ]
    );
    let ga = v["cookies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "_ga")
        .unwrap();
    assert_eq!(ga["provider"], "Google Analytics");
    assert_eq!(ga["purpose"], "ID used to identify users");
    let basket = v["cookies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "basket")
        .unwrap();
    assert_eq!(
        basket["reason"],
        "unknown to the catalog, never pruned by a category"
    );
    let text = stdout(&sb.crumbs().arg("list").arg(&jar).assert().success());
    assert!(text.contains("site:    *\n"), "{text}");
    assert!(
        text.contains("catalog: embedded Open Cookie Database of 2026-01-21\n"),
        "{text}"
    );
    assert!(
        text.contains("Unknown (not in the catalog) [never pruned by a choice]: 1 cookie"),
        "{text}"
    );
    assert!(
        text.contains("Google Analytics · known cookie, kept 2 years · ID used to identify users"),
        "{text}"
    );
}

#[test]
fn prune_leaves_the_star_scope_unless_selected_or_chosen() {
    let sb = Sandbox::new();
    let jar = sb.copy(SHOP);
    let before = fs::read(&jar).unwrap();
    // A plain --reject-all must not log anyone out of the web.
    let a = sb
        .crumbs()
        .args(["prune", "--reject-all"])
        .arg(&jar)
        .assert()
        .success();
    assert_eq!(stdout(&a), "nothing to change\n");
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(err.contains("`--site '*'` prunes them"), "{err}");
    assert_eq!(fs::read(&jar).unwrap(), before);
    // --site '*' prunes the catalog's refused categories, never `unknown`,
    // and stores the choice in consent/_all.json, with no preferences cookie.
    let a = sb
        .crumbs()
        .args(["prune", "--site", "*", "--reject-all"])
        .arg(&jar)
        .assert()
        .success();
    let out = stdout(&a);
    assert!(
        out.contains("removed _ga on .example.org (category refused)"),
        "{out}"
    );
    assert!(out.contains("wrote "), "{out}");
    assert_eq!(
        names_in(&jar),
        [
            "PHPSESSID",
            "__cf_bm",
            "_hjSessionUser_3141592",
            "basket",
            "test_cookie"
        ]
    );
    let record = sb.config().join("crumbs/consent/_all.json");
    let text = fs::read_to_string(&record).expect("the * record");
    assert!(text.contains("\"site\": \"*\""), "{text}");
    assert!(text.contains("\"marketing\": false"), "{text}");
}

#[test]
fn a_saved_star_choice_makes_plain_prune_include_it() {
    let sb = Sandbox::new();
    let jar = sb.copy(PORTAL);
    let shop = sb.copy(SHOP);
    // consent set/show/reset --site '*'.
    let a = sb
        .crumbs()
        .args(["consent", "set", "--site", "*", "--deny", "marketing"])
        .assert()
        .success();
    assert!(stdout(&a).contains("_all.json"), "{}", stdout(&a));
    let show = stdout(
        &sb.crumbs()
            .args(["consent", "show", "--site", "*"])
            .assert()
            .success(),
    );
    assert!(show.starts_with("*  valid  "), "{show}");
    assert!(show.contains("analytics=no marketing=no"), "{show}");
    // The shop jar: the saved choice applies without flags.
    let a = sb.crumbs().arg("prune").arg(&shop).assert().success();
    assert!(stdout(&a).contains("removed 6 cookies"), "{}", stdout(&a));
    // The portal jar: its site by the flags, `*` by its saved choice; the
    // portal's cookies are never the `*` scope's.
    let a = sb
        .crumbs()
        .args(["prune", "--reject-all", "--dry-run", "--json"])
        .arg(&jar)
        .assert()
        .success();
    let all = json_all(&a.get_output().stdout);
    let sites: Vec<&str> = all.iter().map(|v| v["site"].as_str().unwrap()).collect();
    assert_eq!(sites, ["robertleaf.my.opendatasoft.com", "*"]);
    assert_eq!(all[1]["consent"]["source"], "flags");
    assert!(
        rows(&all[1])
            .iter()
            .all(|(n, _, _)| ["IDE", "ad_uid", "cart_id", "shop_session"].contains(&n.as_str()))
    );
    let a = sb
        .crumbs()
        .args(["consent", "reset", "--site", "*"])
        .assert()
        .success();
    assert_eq!(stdout(&a), "forgot the saved consent for *\n");
    assert!(!sb.config().join("crumbs/consent/_all.json").exists());
}

#[test]
fn list_and_check_report_every_scope_sites_then_star() {
    let sb = Sandbox::new();
    let jar = sb.copy(PORTAL);
    let a = sb
        .crumbs()
        .args(["list", "--json"])
        .arg(&jar)
        .assert()
        .success();
    let all = json_all(&a.get_output().stdout);
    assert_eq!(all.len(), 2);
    assert_eq!(all[0]["site"], "robertleaf.my.opendatasoft.com");
    assert_eq!(all[1]["site"], "*");
    // Every cookie of the jar is in each object; each is in exactly one scope.
    let total = all[0]["cookies"].as_array().unwrap().len();
    assert_eq!(all[1]["cookies"].as_array().unwrap().len(), total);
    assert_eq!(rows(&all[0]).len() + rows(&all[1]).len(), total);
    let text = stdout(&sb.crumbs().arg("list").arg(&jar).assert().success());
    assert!(text.starts_with("== site 1 of 2: robertleaf.my.opendatasoft.com ==\n"));
    assert!(
        text.contains("\n== site 2 of 2: * (other sites) ==\n"),
        "{text}"
    );
    let a = sb.check_json(&jar);
    let all = json_all(&a.get_output().stdout);
    assert_eq!(all[1]["site"], "*");
    // Under the catalog an unknown cookie is no problem; the lint still runs.
    let kinds: Vec<&str> = all[1]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["lifetime", "lifetime", "lifetime"]);
}

#[test]
fn site_host_uncovered_is_that_hosts_cookies_under_the_catalog() {
    let sb = Sandbox::new();
    let jar = sb.copy(SHOP);
    let a = sb
        .crumbs()
        .args(["list", "--json", "--site", "Shop.Example.org"])
        .arg(&jar)
        .assert()
        .success();
    let v = json_of(&a.get_output().stdout);
    assert_eq!(v["site"], "shop.example.org");
    let names: Vec<String> = rows(&v).into_iter().map(|r| r.0).collect();
    // What a browser sends to shop.example.org: its own and .example.org's.
    assert_eq!(
        names,
        [
            "PHPSESSID",
            "__cf_bm",
            "_fbp",
            "_ga",
            "_gid",
            "_hjSessionUser_3141592",
            "basket"
        ]
    );
}

/// Writes a jar of the given lines of `fixture` (as its client wrote them).
fn jar_of_lines(
    sb: &Sandbox,
    fixture: &str,
    keep: impl Fn(&str) -> bool,
    name: &str,
) -> std::path::PathBuf {
    let text = fs::read_to_string(common::repo(fixture)).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("# ") || l.is_empty() || keep(l))
        .collect();
    let path = sb.path(name);
    fs::write(&path, kept.join("\n") + "\n").unwrap();
    path
}

#[test]
fn one_cookie_and_other_sites_only_jars_open_in_every_command() {
    let sb = Sandbox::new();
    let others = jar_of_lines(
        &sb,
        PORTAL,
        |l| !l.contains("opendatasoft.com"),
        "others.txt",
    );
    let one_shop = jar_of_lines(&sb, SHOP, |l| l.contains("\t_ga\t"), "one-shop.txt");
    let one_portal = jar_of_lines(
        &sb,
        PORTAL,
        |l| l.contains("\tsessionid\t"),
        "one-portal.txt",
    );
    for (jar, scopes, removed) in [
        (&others, vec!["*"], 0),
        (&one_shop, vec!["*"], 1),
        (&one_portal, vec!["robertleaf.my.opendatasoft.com"], 0),
    ] {
        let a = sb
            .crumbs()
            .args(["list", "--json"])
            .arg(jar)
            .assert()
            .success();
        let all = json_all(&a.get_output().stdout);
        let sites: Vec<&str> = all.iter().map(|v| v["site"].as_str().unwrap()).collect();
        assert_eq!(sites, scopes, "{}", jar.display());
        let check = sb.crumbs().arg("check").arg(jar).output().unwrap();
        assert!(
            matches!(check.status.code(), Some(0 | 1)),
            "{}",
            jar.display()
        );
        let a = sb
            .crumbs()
            .args(["prune", "--site", scopes[0], "--reject-all"])
            .arg(jar)
            .assert()
            .success();
        let out = stdout(&a);
        assert!(
            out.contains(&format!("removed {removed} cookies"))
                || (removed == 0 && out == "nothing to change\n"),
            "{}: {out}",
            jar.display()
        );
    }
}

/// The lines of a cookies.txt jar naming `name` (a cookie's whole record).
fn lines_named(jar: &std::path::Path, name: &str) -> Vec<String> {
    fs::read_to_string(jar)
        .unwrap()
        .lines()
        .filter(|l| l.split('\t').nth(5) == Some(name))
        .map(str::to_string)
        .collect()
}

#[test]
fn site_star_selects_the_star_scope_and_leaves_the_portal_alone() {
    let sb = Sandbox::new();
    let jar = sb.copy(PORTAL);
    // list --site '*': one object, the portal's cookies marked as another scope's.
    let a = sb
        .crumbs()
        .args(["list", "--json", "--site", "*"])
        .arg(&jar)
        .assert()
        .success();
    let all = json_all(&a.get_output().stdout);
    assert_eq!(all.len(), 1);
    let v = &all[0];
    assert_eq!(v["site"], "*");
    let cookies = v["cookies"].as_array().unwrap();
    assert_eq!(cookies.len(), 23);
    let theirs: Vec<&str> = cookies
        .iter()
        .filter(|c| c["scope"] == "other-site")
        .map(|c| c["domain"].as_str().unwrap())
        .collect();
    assert_eq!(theirs.len(), 19, "{theirs:?}");
    assert!(theirs.iter().all(|d| d.ends_with("opendatasoft.com")));
    let r = |n: &str, c: &str, a: &str| (n.to_string(), c.to_string(), a.to_string());
    assert_eq!(
        rows(v),
        [
            r("IDE", "unknown", "keep"),
            r("ad_uid", "unknown", "keep"),
            r("cart_id", "unknown", "keep"),
            r("shop_session", "unknown", "keep"),
        ]
    );
    let text = stdout(
        &sb.crumbs()
            .args(["list", "--site", "*"])
            .arg(&jar)
            .assert()
            .success(),
    );
    assert!(text.contains("site:    *\n"), "{text}");
    assert!(
        text.contains("Sites with a declared policy (their own scopes): 19 cookies"),
        "{text}"
    );
    assert!(!text.contains("== site"), "{text}");
    // check --site '*': the `*` scope alone, without the portal's problems.
    let a = sb
        .crumbs()
        .args(["check", "--json", "--site", "*"])
        .arg(&jar)
        .assert();
    let all = json_all(&a.get_output().stdout);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["site"], "*");
    // prune --site '*': the portal's cookies and its preferences cookie stay
    // as they are; the `*` record is written, no preferences cookie added.
    let prefs = lines_named(&jar, "cookies_preferences");
    let before = fs::read(&jar).unwrap();
    let a = sb
        .crumbs()
        .args(["prune", "--site", "*", "--reject-all"])
        .arg(&jar)
        .assert()
        .success();
    assert_eq!(stdout(&a), "nothing to change\n");
    assert_eq!(fs::read(&jar).unwrap(), before);
    assert_eq!(lines_named(&jar, "cookies_preferences"), prefs);
}

#[test]
fn check_without_site_reports_the_portal_then_star_in_text() {
    let sb = Sandbox::new();
    let jar = sb.copy(PORTAL);
    let out = sb.crumbs().arg("check").arg(&jar).assert().code(1);
    let text = stdout(&out);
    let heading = |what: &str| format!("{}: {what}\n", jar.display());
    let site = text
        .find(&heading("37 problems for robertleaf.my.opendatasoft.com"))
        .expect(&text);
    let star = text
        .find(&heading("3 problems for * (other sites)"))
        .expect(&text);
    assert!(site < star, "{text}");
    // The `*` scope's problems are the lint's alone.
    assert!(
        text[star..]
            .lines()
            .skip(1)
            .all(|l| l.starts_with("  [lifetime] ")),
        "{text}"
    );
}

#[test]
fn prune_site_of_an_uncovered_host_removes_only_its_refused_cookies() {
    let sb = Sandbox::new();
    let jar = sb.copy(SHOP);
    let a = sb
        .crumbs()
        .args(["prune", "--site", "shop.example.org", "--reject-all"])
        .arg(&jar)
        .assert()
        .success();
    let out = stdout(&a);
    assert!(out.contains("removed 3 cookies"), "{out}");
    // The ad networks' cookies are not the shop's; no preferences cookie is
    // written for a host the catalog governs.
    assert_eq!(
        names_in(&jar),
        [
            "IDE",
            "PHPSESSID",
            "__cf_bm",
            "_hjSessionUser_3141592",
            "basket",
            "datr",
            "fr",
            "test_cookie"
        ]
    );
    let record = sb.config().join("crumbs/consent/shop.example.org.json");
    let text = fs::read_to_string(&record).expect("the host's record");
    assert!(text.contains("\"analytics\": false"), "{text}");
    // Its record is the host's, not the `*` scope's.
    assert!(!sb.config().join("crumbs/consent/_all.json").exists());
}

#[test]
fn consent_for_star_is_a_record_named_all_and_shows_as_star() {
    let sb = Sandbox::new();
    let a = sb
        .crumbs()
        .args(["consent", "set", "--site", "*", "--accept-all"])
        .assert()
        .success();
    let record = sb.config().join("crumbs/consent/_all.json");
    assert!(
        stdout(&a).starts_with(&format!("consent for * stored in {}", record.display())),
        "{}",
        stdout(&a)
    );
    let a = sb
        .crumbs()
        .args(["consent", "show", "--json", "--site", "*"])
        .assert()
        .success();
    let v = json_of(&a.get_output().stdout);
    assert_eq!(v[0]["site"], "*");
    assert_eq!(v[0]["state"], "valid");
    assert_eq!(
        v[0]["categories"],
        serde_json::json!({"necessary": true, "personalization": true,
            "analytics": true, "marketing": true, "unknown": true})
    );
    // The log keeps the choice (proof of consent) with the `*` site.
    let log = fs::read_to_string(sb.data().join("crumbs/consent-log.jsonl")).expect("log");
    assert!(log.contains("\"site\":\"*\""), "{log}");
    // A saved `*` choice granting everything: a plain prune of the shop jar
    // changes nothing and adds no preferences cookie.
    let jar = sb.copy(SHOP);
    let before = fs::read(&jar).unwrap();
    let a = sb.crumbs().arg("prune").arg(&jar).assert().success();
    assert_eq!(stdout(&a), "nothing to change\n");
    assert_eq!(fs::read(&jar).unwrap(), before);
    sb.crumbs()
        .args(["consent", "reset", "--site", "*"])
        .assert()
        .success();
    assert!(!record.exists());
    let a = sb
        .crumbs()
        .args(["consent", "show", "--site", "*"])
        .assert()
        .success();
    assert_eq!(stdout(&a), "no saved consent for *\n");
}
