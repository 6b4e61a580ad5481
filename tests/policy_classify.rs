//! Policy loading, validation and classification against small test policies
//! (tests/data/policies/) and the shipped Opendatasoft policy.

use std::path::PathBuf;

use crumbs::classify::{Classified, Relation, classify, sites_in_jar};
use crumbs::model::{Cookie, CookieKey, Cookies, OwnedCookie};
use crumbs::policy::catalog::Catalog;
use crumbs::policy::{self, Policy, PolicyError};
use crumbs::scopes::{self, ScopeError, ScopeKind, Selection};
use serde_json::{Value, json};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/policies")
        .join(name)
}

/// The sites `scopes::resolve` finds under `p` alone for `selection`.
fn resolved(
    jar: &dyn Cookies,
    p: &Policy,
    selection: Selection<'_>,
) -> Result<Vec<String>, ScopeError> {
    let scopes = scopes::resolve(jar, &Catalog::of([p.clone()]), selection)?;
    Ok(scopes.iter().map(|s| s.site().to_string()).collect())
}

fn read(name: &str) -> String {
    std::fs::read_to_string(data(name)).expect("test policy readable")
}

fn portal() -> Policy {
    Policy::from_path(&data("portal.json")).expect("portal.json is valid")
}

fn cookie(name: &str, domain: &str, host_only: bool) -> OwnedCookie {
    Cookie {
        value: "v".into(),
        host_only,
        ..Cookie::basic(name, domain, CookieKey::Line(0))
    }
}

const SITE: &str = "a.portal.test";

/// Classifies one cookie for SITE.
fn one(policy: &Policy, c: Cookie) -> Classified {
    classify(&[c], policy, SITE).remove(0)
}

fn category_id(policy: &Policy, c: &Classified) -> Option<String> {
    c.category_idx()
        .map(|i| policy.doc.categories[i].id.clone())
}

/// (scope, category id, declared, declaration index) of one cookie for SITE.
fn summary(policy: &Policy, c: Cookie) -> (Relation, Option<String>, bool, Option<usize>) {
    let k = one(policy, c);
    (
        k.relation,
        category_id(policy, &k),
        !k.undeclared(),
        k.declaration_idx(),
    )
}

fn s(x: &str) -> Option<String> {
    Some(x.to_string())
}

// ---- scopes ----

#[test]
fn site_scope_via_host_only_cookie() {
    let p = portal();
    assert_eq!(
        summary(&p, cookie("sessionid", SITE, true)),
        (Relation::Site, s("necessary"), true, Some(0))
    );
}

#[test]
fn site_scope_via_parent_domain_cookie() {
    let p = portal();
    assert_eq!(
        summary(&p, cookie("_ga", "portal.test", false)),
        (Relation::Site, s("statistical"), true, Some(2))
    );
    // The same cookie host-only on the parent is not sent to the site.
    assert_eq!(
        summary(&p, cookie("_ga", "portal.test", true)),
        (Relation::OtherSite, None, true, None)
    );
}

#[test]
fn site_scope_undeclared_goes_to_undeclared_first_party() {
    let p = portal();
    let k = one(&p, cookie("mystery", SITE, true));
    assert_eq!(k.relation, Relation::Site);
    assert!(k.undeclared());
    assert_eq!(k.declaration, None);
    assert_eq!(category_id(&p, &k), s("first-party"));
}

#[test]
fn third_party_declared() {
    let p = portal();
    assert_eq!(
        summary(&p, cookie("IDE", "adnetwork.test", false)),
        (Relation::ThirdParty, s("third-party"), true, Some(7))
    );
    // A leading dot in the declaration includes subdomains, host-only or not.
    assert_eq!(
        summary(&p, cookie("IDE", "ads.adnetwork.test", true)),
        (Relation::ThirdParty, s("third-party"), true, Some(7))
    );
    // Without a leading dot only the exact domain is named.
    assert_eq!(
        summary(&p, cookie("uid", "tracker.test", true)),
        (Relation::ThirdParty, s("third-party"), true, Some(8))
    );
}

#[test]
fn third_party_undeclared() {
    let p = portal();
    let k = one(&p, cookie("test_cookie", "adnetwork.test", false));
    assert_eq!(k.relation, Relation::ThirdParty);
    assert!(k.undeclared());
    assert_eq!(category_id(&p, &k), s("third-party"));
    // A name declared for another third-party domain does not count here.
    let k = one(&p, cookie("uid", "ads.adnetwork.test", false));
    assert_eq!((k.relation, k.declaration), (Relation::ThirdParty, None));
}

#[test]
fn other_site() {
    let p = portal();
    for c in [
        cookie("sessionid", "b.portal.test", true),
        cookie("sessionid", "elsewhere.test", true),
        cookie("uid", "sub.tracker.test", true),
        cookie("IDE", "notadnetwork.test", false),
        // Declared for the site's own `.portal.test`, but not sent to a.portal.test.
        cookie("lang", "b.portal.test", true),
    ] {
        let label = format!("{} @ {}", c.name, c.domain);
        let k = one(&p, c);
        assert_eq!(k.relation, Relation::OtherSite, "{label}");
        assert_eq!((k.category, k.declaration), (None, None), "{label}");
        assert!(!k.undeclared(), "{label}");
        assert!(!k.preferences, "{label}");
    }
}

#[test]
fn declaration_on_the_sites_own_domain_is_first_party() {
    let p = portal();
    assert!(!p.is_third_party_domain("portal.test", SITE));
    assert_eq!(
        summary(&p, cookie("lang", "portal.test", false)),
        (Relation::Site, s("first-party"), true, Some(6))
    );
    // A `domain` declaration does not take cookies of the site on other domains.
    assert_eq!(
        summary(&p, cookie("IDE", SITE, true)),
        (Relation::Site, s("first-party"), false, None)
    );
}

#[test]
fn third_party_domains() {
    let p = portal();
    assert!(p.is_third_party_domain("adnetwork.test", SITE));
    assert!(p.is_third_party_domain("x.adnetwork.test", SITE));
    assert!(p.is_third_party_domain("tracker.test", SITE));
    assert!(!p.is_third_party_domain("x.tracker.test", SITE));
    assert!(!p.is_third_party_domain("elsewhere.test", SITE));
    assert!(!p.is_third_party_domain("portal.test", SITE));
    // For a site under adnetwork.test, that domain is its own.
    assert!(!p.is_third_party_domain("adnetwork.test", "shop.adnetwork.test"));
}

// ---- patterns and order ----

#[test]
fn each_pattern_kind() {
    let p = portal();
    let decl = |name: &str| one(&p, cookie(name, SITE, true)).declaration;
    // exact
    assert_eq!(decl("csrftoken"), Some(0));
    assert_eq!(decl("CSRFTOKEN"), None, "names are case-sensitive");
    // glob
    assert_eq!(decl("_ga_XYZ123"), Some(2));
    assert_eq!(decl("_ga_"), Some(2));
    assert_eq!(decl("_gax"), None);
    // self-anchored regex
    assert_eq!(decl("_pk_id.1.abcd"), Some(3));
    assert_eq!(decl("_pk_ses.1.abcd"), Some(3));
    // unanchored regex: whole-name match
    assert_eq!(decl("_hjSessionUser"), Some(5));
    assert_eq!(
        decl("_hjSession_123"),
        None,
        "the regex must cover the whole name"
    );
    assert_eq!(decl("x_hjSession"), None);
}

#[test]
fn first_matching_declaration_wins() {
    let p = portal();
    // `_pk_id.*` matches both the regex (statistical, #3) and `_pk_*` (first-party, #4).
    assert_eq!(
        summary(&p, cookie("_pk_id.1.abcd", SITE, true)),
        (Relation::Site, s("statistical"), true, Some(3))
    );
    assert_eq!(
        summary(&p, cookie("_pk_ref.1.abcd", SITE, true)),
        (Relation::Site, s("first-party"), true, Some(4))
    );
}

#[test]
fn preferences_flag() {
    let p = portal();
    let k = one(&p, cookie("cookies_preferences", SITE, true));
    assert!(k.preferences);
    assert_eq!(category_id(&p, &k), s("necessary"));
    assert!(one(&p, cookie("cookies_preferences", "portal.test", false)).preferences);
    assert!(!one(&p, cookie("cookies_preferences", "b.portal.test", true)).preferences);
    assert!(!one(&p, cookie("cookies_preferences", "adnetwork.test", false)).preferences);
    assert!(!one(&p, cookie("sessionid", SITE, true)).preferences);
}

#[test]
fn classify_keeps_order_and_indexes() {
    let p = portal();
    let jar = [
        cookie("sessionid", SITE, true),
        cookie("x", "elsewhere.test", true),
        cookie("IDE", "adnetwork.test", false),
    ];
    let out = classify(&jar, &p, "A.Portal.Test.");
    assert_eq!(out.iter().map(|k| k.index).collect::<Vec<_>>(), [0, 1, 2]);
    assert_eq!(
        out.iter().map(|k| k.relation).collect::<Vec<_>>(),
        [Relation::Site, Relation::OtherSite, Relation::ThirdParty]
    );
}

// ---- sites ----

#[test]
fn covers_site() {
    let p = portal();
    assert!(p.covers_site("a.portal.test"));
    assert!(p.covers_site("x.y.portal.test"));
    assert!(p.covers_site("A.PORTAL.test:443"));
    assert!(p.covers_site("a.portal.test."));
    assert!(p.covers_site("shop.example.test"));
    assert!(!p.covers_site("portal.test"));
    assert!(!p.covers_site("evilportal.test"));
    assert!(!p.covers_site("a.shop.example.test"));
    assert!(!p.covers_site(""));
}

#[test]
fn sites_none() {
    let p = portal();
    let jar = [
        cookie("a", "elsewhere.test", true),
        cookie("_ga", "portal.test", false),
    ];
    assert!(sites_in_jar(&jar, &p).is_empty());
    // No covered site: the jar is the `*` scope alone, under the catalog (DESIGN §5b).
    assert_eq!(resolved(&jar, &p, Selection::Every), Ok(vec!["*".into()]));
}

#[test]
fn sites_one() {
    let p = portal();
    let jar = [
        cookie("sessionid", SITE, true),
        cookie("_ga", "portal.test", false),
        cookie("IDE", "adnetwork.test", false),
    ];
    assert_eq!(sites_in_jar(&jar, &p), [SITE]);
    assert_eq!(resolved(&jar, &p, Selection::Every), Ok(vec![SITE.into()]));
}

#[test]
fn sites_parent_domain_cookie_is_not_a_site() {
    let p = portal();
    let jar = [
        cookie("_ga", "my.portal.test", false),
        cookie("sessionid", "robertleaf.my.portal.test", true),
    ];
    assert_eq!(sites_in_jar(&jar, &p), ["robertleaf.my.portal.test"]);
    // Alone, the domain cookie's domain is the only candidate.
    assert_eq!(sites_in_jar(&jar[..1].to_vec(), &p), ["my.portal.test"]);
    // A host-only cookie proves the parent host was visited itself.
    let jar = [
        cookie("sessionid", "my.portal.test", true),
        cookie("sessionid", "robertleaf.my.portal.test", true),
    ];
    assert_eq!(
        sites_in_jar(&jar, &p),
        ["my.portal.test", "robertleaf.my.portal.test"]
    );
}

#[test]
fn sites_several() {
    let p = portal();
    let jar = [
        cookie("sessionid", "b.portal.test", true),
        cookie("sessionid", "shop.example.test", true),
        cookie("csrftoken", "a.portal.test", true),
        cookie("_ga", "portal.test", false),
        cookie("x", "A.portal.test", true),
    ];
    let sites = vec![
        "a.portal.test".to_string(),
        "b.portal.test".into(),
        "shop.example.test".into(),
    ];
    assert_eq!(sites_in_jar(&jar, &p), sites);
    // Several sites are several scopes, each in turn: not an error.
    assert_eq!(resolved(&jar, &p, Selection::Every), Ok(sites));
}

#[test]
fn requested_site() {
    let p = portal();
    let jar = [
        cookie("sessionid", "b.portal.test", true),
        cookie("x", SITE, true),
    ];
    assert_eq!(
        resolved(&jar, &p, Selection::Site("A.Portal.Test:8443")),
        Ok(vec![SITE.into()])
    );
    // Covered, no cookies of its own: fine.
    assert_eq!(
        resolved(&[], &p, Selection::Site("https://new.portal.test/")),
        Ok(vec!["new.portal.test".into()])
    );
}

#[test]
fn requested_site_not_covered() {
    let p = portal();
    let jar = [cookie("sessionid", SITE, true)];
    // An uncovered host is that host's cookies under the catalog (DESIGN §5b).
    let scopes = scopes::resolve(&jar, &Catalog::of([p]), Selection::Site("portal.test"))
        .expect("an uncovered host is a catalog scope");
    assert_eq!(
        (scopes[0].kind(), scopes[0].site()),
        (ScopeKind::Host, "portal.test")
    );
    assert_eq!(
        resolved(&jar, &portal(), Selection::Site("")),
        Err(ScopeError::BadHost { site: "".into() })
    );
}

// ---- loading: validation ----

fn base() -> Value {
    serde_json::from_str(&read("portal.json")).expect("json")
}

/// Loads `doc` written pretty, expecting an Invalid error; returns (field, line, message).
fn invalid(doc: &Value) -> (String, Option<usize>, String) {
    let text = serde_json::to_string_pretty(doc).expect("serialise");
    match Policy::from_json(&text, "test.json") {
        Err(PolicyError::Invalid {
            origin,
            field,
            line,
            message,
        }) => {
            assert_eq!(origin, "test.json");
            (field, line, message)
        }
        Err(e) => panic!("expected Invalid, got {e}"),
        Ok(_) => panic!("expected Invalid, got a policy"),
    }
}

fn expect_invalid(edit: impl FnOnce(&mut Value), field: &str, says: &str) {
    let mut doc = base();
    edit(&mut doc);
    let (f, line, message) = invalid(&doc);
    assert_eq!(f, field, "{message}");
    assert!(
        message.contains(says),
        "{field}: {message:?} lacks {says:?}"
    );
    assert!(line.is_some(), "{field}: no line");
}

#[test]
fn the_test_policy_is_valid() {
    let p = portal();
    assert_eq!(p.origin, data("portal.json").display().to_string());
    assert_eq!(p.doc.cookies.len(), 9);
}

#[test]
fn validation_errors_name_the_field() {
    expect_invalid(|d| d["schema"] = json!(2), "schema", "expected 1");
    expect_invalid(|d| d["name"] = json!(" "), "name", "empty");
    expect_invalid(|d| d["revision"] = json!(""), "revision", "empty");
    expect_invalid(|d| d["sites"] = json!([]), "sites", "at least one");
    expect_invalid(
        |d| d["sites"][1] = json!("http://x.test"),
        "sites[1]",
        "expected a host",
    );
    expect_invalid(|d| d["sites"][0] = json!("*"), "sites[0]", "*.host");
    expect_invalid(|d| d["sites"][0] = json!("a.*.test"), "sites[0]", "*.host");
    expect_invalid(
        |d| d["consent_lifetime_days"] = json!(0),
        "consent_lifetime_days",
        "at least 1",
    );
    expect_invalid(
        |d| d["categories"] = json!([]),
        "categories",
        "at least one",
    );
    expect_invalid(
        |d| d["categories"][2]["id"] = json!(""),
        "categories[2].id",
        "empty",
    );
    expect_invalid(
        |d| d["categories"][2]["id"] = json!("first party"),
        "categories[2].id",
        "comma or a space",
    );
    expect_invalid(
        |d| d["categories"][3]["id"] = json!("statistical"),
        "categories[3].id",
        "duplicate category id `statistical` (also categories[1])",
    );
    expect_invalid(
        |d| d["categories"][0]["required"] = json!(false),
        "categories",
        "required",
    );
    expect_invalid(
        |d| d["cookies"][2]["category"] = json!("analytics"),
        "cookies[2].category",
        "unknown category `analytics`; expected one of necessary, statistical, first-party, third-party",
    );
    expect_invalid(
        |d| d["cookies"][3]["names"] = json!([]),
        "cookies[3].names",
        "at least one",
    );
    expect_invalid(
        |d| d["cookies"][0]["names"][1] = json!(""),
        "cookies[0].names[1]",
        "empty name",
    );
    expect_invalid(
        |d| d["cookies"][3]["names"][0] = json!("/^_pk_(id|ses\\..*$/"),
        "cookies[3].names[0]",
        "invalid regex",
    );
    expect_invalid(
        |d| d["cookies"][3]["names"][0] = json!("/_pk"),
        "cookies[3].names[0]",
        "expected /regex/",
    );
    expect_invalid(
        |d| d["cookies"][7]["domain"] = json!("ad network.test"),
        "cookies[7].domain",
        "not a host",
    );
    expect_invalid(
        |d| d["cookies"][7]["domain"] = json!(".."),
        "cookies[7].domain",
        "not a host",
    );
    expect_invalid(
        |d| d["undeclared"]["first_party"] = json!("nope"),
        "undeclared.first_party",
        "unknown category `nope`",
    );
    expect_invalid(
        |d| d["undeclared"]["third_party"] = json!("nope"),
        "undeclared.third_party",
        "unknown category `nope`",
    );
    expect_invalid(
        |d| d["preferences_cookie"] = json!(""),
        "preferences_cookie",
        "empty",
    );
    expect_invalid(
        |d| d["preferences_cookie"] = json!("consent"),
        "preferences_cookie",
        "`consent` is not declared",
    );
    expect_invalid(
        |d| d["cookies"][1]["category"] = json!("statistical"),
        "cookies[1].category",
        "must be required; `statistical` is not",
    );
    // Declared only by a `domain` declaration: not declared for the site.
    expect_invalid(
        |d| {
            d["cookies"][1]["domain"] = json!(".portal.test");
        },
        "preferences_cookie",
        "not declared",
    );
}

#[test]
fn preferences_cookie_may_be_declared_by_a_pattern() {
    let mut doc = base();
    doc["cookies"][1]["names"] = json!(["cookies_*"]);
    let text = doc.to_string();
    assert!(Policy::from_json(&text, "t").is_ok());
}

#[test]
fn invalid_error_names_file_and_line() {
    let err = Policy::from_path(&data("unknown_category.json")).expect_err("invalid");
    match &err {
        PolicyError::Invalid { field, line, .. } => {
            assert_eq!(field, "cookies[2].category");
            assert_eq!(*line, Some(16));
        }
        other => panic!("{other:?}"),
    }
    let msg = err.to_string();
    assert!(
        msg.ends_with(
            "unknown_category.json:16: cookies[2].category: unknown category `statistics`; expected one of necessary"
        ),
        "{msg}"
    );
}

// ---- loading: syntax ----

fn syntax(text: &str) -> (usize, usize, String) {
    match Policy::from_json(text, "p.json") {
        Err(PolicyError::Syntax {
            origin,
            line,
            column,
            message,
        }) => {
            assert_eq!(origin, "p.json");
            (line, column, message)
        }
        other => panic!("expected Syntax, got {other:?}"),
    }
}

#[test]
fn trailing_comma_reports_its_own_line() {
    let (line, column, message) = syntax(&read("trailing_comma.json"));
    assert_eq!((line, column), (7, 30));
    assert!(message.starts_with("trailing comma"), "{message}");
    let err = Policy::from_path(&data("trailing_comma.json")).expect_err("syntax");
    let msg = err.to_string();
    assert!(
        msg.contains("trailing_comma.json:7:30: trailing comma"),
        "{msg}"
    );
    assert!(
        !msg.contains(" at line "),
        "serde's suffix is stripped: {msg}"
    );
}

#[test]
fn syntax_errors_say_what_was_expected() {
    let (line, _, message) = syntax("{\n  \"schema\": 1\n  \"name\": \"x\"\n}");
    assert_eq!(line, 3);
    assert_eq!(message, "expected `,` or `}`");

    let (line, _, message) = syntax("{\n  \"schema\": \"one\"\n}");
    assert_eq!(line, 2);
    assert!(message.contains("expected u32"), "{message}");

    let mut doc = base();
    doc["colour"] = json!("red");
    let (_, _, message) = syntax(&serde_json::to_string_pretty(&doc).expect("json"));
    assert!(
        message.starts_with("unknown field `colour`, expected one of"),
        "{message}"
    );

    let mut doc = base();
    doc.as_object_mut().expect("object").remove("sites");
    let (_, _, message) = syntax(&doc.to_string());
    assert_eq!(message, "missing field `sites`");

    let (_, _, message) = syntax(&format!("{} {{}}", base()));
    assert!(
        message.contains("expected the end of the document"),
        "{message}"
    );
}

// ---- hash ----

#[test]
fn hash_is_stable_under_reformatting() {
    let original = portal();
    // serde_json::Value sorts keys; compact output drops all whitespace.
    let mut doc = base();
    doc["categories"][2]["required"] = json!(false); // explicit default
    let compact = doc.to_string();
    assert_ne!(compact, read("portal.json"));
    let reformatted = Policy::from_json(&compact, "compact.json").expect("valid");
    assert_eq!(reformatted.hash, original.hash);
    assert!(original.hash.starts_with("sha256:"));
    assert_eq!(original.hash.len(), 7 + 16);
}

#[test]
fn hash_changes_when_a_fact_changes() {
    let original = portal();
    for edit in [
        (|d: &mut Value| d["cookies"][0]["purpose"] = json!("To remember the user!"))
            as fn(&mut Value),
        |d| d["revision"] = json!("2026-01-02"),
        |d| d["categories"][1]["required"] = json!(true),
        |d| d["cookies"][2]["names"] = json!(["_ga"]),
    ] {
        let mut doc = base();
        edit(&mut doc);
        let changed = Policy::from_json(&doc.to_string(), "t").expect("valid");
        assert_ne!(changed.hash, original.hash);
    }
}

// ---- the shipped policy ----

#[test]
fn shipped_opendatasoft_policy_content() {
    let all = policy::shipped();
    assert_eq!(all.len(), 1);
    let p = &all[0];
    assert_eq!(p.origin, "shipped:opendatasoft");
    let d = &p.doc;
    assert_eq!(d.schema, 1);
    assert_eq!(d.name, "Opendatasoft platform cookie policy");
    assert_eq!(d.publisher, "Opendatasoft");
    assert_eq!(d.sites, ["*.opendatasoft.com"]);
    assert_eq!(d.revision, "2026-11-22");
    assert_eq!(d.consent_lifetime_days, 182);
    assert_eq!(d.preferences_cookie, "cookies_preferences");
    let source = d.source.as_deref().expect("source stated");
    assert!(source.contains(
        "revision and consent_lifetime_days are crumbs defaults, not stated by the page"
    ));

    let cats: Vec<(&str, &str, bool)> = d
        .categories
        .iter()
        .map(|c| (c.id.as_str(), c.label.as_str(), c.required))
        .collect();
    assert_eq!(
        cats,
        [
            ("necessary", "Necessary / functionality", true),
            ("statistical", "Statistical", false),
            ("first-party", "Internal (first-party)", false),
            ("third-party", "Third-party", false),
        ]
    );
    assert!(
        d.categories[0]
            .description
            .ends_with("They do not require the user's consent.")
    );
    assert!(
        d.categories[1]
            .description
            .starts_with("\"Statistical\" cookies make it possible")
    );
    assert!(
        d.categories[2]
            .description
            .starts_with("\"Internal\" or \"first-party\" cookies")
    );
    assert!(
        d.categories[3]
            .description
            .contains("Website B (often an advertising agency)")
    );
    assert!(d.categories.iter().all(|c| c.description.is_ascii()));

    let decls: Vec<(&[String], &str, &str, &str, &str)> = d
        .cookies
        .iter()
        .map(|c| {
            assert_eq!(c.domain, None);
            assert_eq!(c.max_age_days, None);
            (
                c.names.as_slice(),
                c.category.as_str(),
                c.provider.as_str(),
                c.function.as_str(),
                c.purpose.as_str(),
            )
        })
        .collect();
    let names = |n: &str| vec![n.to_string()];
    assert_eq!(
        decls,
        [
            (
                names("sessionid").as_slice(),
                "necessary",
                "Opendatasoft",
                "Authentication (front and back office)",
                "To remember the user from one page to another"
            ),
            (
                names("django_language").as_slice(),
                "necessary",
                "Opendatasoft",
                "Language selection (front and back office)",
                "To remember the visitor's language"
            ),
            (
                names("csrftoken").as_slice(),
                "necessary",
                "Opendatasoft",
                "API (CSRF) (front et back office)",
                "To retrieve data via API calls"
            ),
            (
                names("cookies_preferences").as_slice(),
                "necessary",
                "Opendatasoft",
                "Choices related to your cookie preferences",
                "To remember the visitor's cookie preferences"
            ),
        ]
    );
    assert_eq!(d.undeclared.first_party, "first-party");
    assert_eq!(d.undeclared.third_party, "third-party");
}

#[test]
fn shipped_policy_covers_both_seed_portals() {
    let jar = [
        cookie("sessionid", "robertleaf.my.opendatasoft.com", true),
        cookie("_ga", "opendatasoft.com", false),
    ];
    let shipped = Catalog::of(policy::shipped());
    let found =
        scopes::resolve(&jar, &shipped, Selection::Every).expect("a shipped policy covers the jar");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].site(), "robertleaf.my.opendatasoft.com");
    let p = found[0].policy();
    assert_eq!(p.origin, "shipped:opendatasoft");
    assert!(p.covers_site("tneacademiegrenoble.opendatasoft.com"));
    assert!(p.covers_site("robertleaf.my.opendatasoft.com"));
    assert!(!p.covers_site("opendatasoft.com"));
    assert!(
        shipped
            .covering("tneacademiegrenoble.opendatasoft.com")
            .is_some()
    );
    assert!(shipped.covering("example.com").is_none());
    // An uncovered jar is the `*` scope, under the known-cookie catalog.
    let others = scopes::resolve(
        &[cookie("a", "example.com", true)],
        &shipped,
        Selection::Every,
    )
    .expect("the * scope");
    assert_eq!(
        others.iter().map(|s| s.kind()).collect::<Vec<_>>(),
        [ScopeKind::Others]
    );
}

#[test]
fn shipped_policy_leaves_analytics_undeclared() {
    let shipped = Catalog::of(policy::shipped());
    let p = shipped
        .covering("robertleaf.my.opendatasoft.com")
        .expect("shipped");
    let site = "robertleaf.my.opendatasoft.com";
    let jar = [
        cookie("sessionid", site, true),
        cookie("csrftoken", site, true),
        cookie("cookies_preferences", site, true),
        cookie("_ga", "opendatasoft.com", false),
        cookie("_ga_ABC123", "opendatasoft.com", false),
    ];
    let out = classify(&jar, p, site);
    let view: Vec<(Relation, Option<&str>, bool, bool)> = out
        .iter()
        .map(|k| {
            (
                k.relation,
                k.category_idx().map(|i| p.doc.categories[i].id.as_str()),
                k.undeclared(),
                k.preferences,
            )
        })
        .collect();
    assert_eq!(
        view,
        [
            (Relation::Site, Some("necessary"), false, false),
            (Relation::Site, Some("necessary"), false, false),
            (Relation::Site, Some("necessary"), false, true),
            (Relation::Site, Some("first-party"), true, false),
            (Relation::Site, Some("first-party"), true, false),
        ]
    );
}
