//! The mapping tested on the real embedded database, not a copy of a few rows.

use super::*;

fn catalog() -> Catalog {
    match Catalog::embedded() {
        Ok(c) => c,
        Err(e) => panic!("the embedded catalog must parse: {e}"),
    }
}

/// (platform, category id, match kind) of a cookie, or None when unknown.
fn look(c: &Catalog, name: &str, domain: &str) -> Option<(String, &'static str, MatchKind)> {
    c.lookup(name, domain)
        .map(|k| (k.entry.platform.clone(), k.entry.category.id(), k.how))
}

#[test]
fn the_embedded_database_maps_as_designed() {
    let c = catalog();
    let f = c.figures();
    assert_eq!(f.entries, 2264);
    // Functional 977 + Security 24 + Necessary 9 = 1010.
    assert_eq!(
        f.by_category,
        [
            ("necessary", 1010),
            ("personalization", 3),
            ("analytics", 390),
            ("marketing", 861)
        ]
    );
    // 260 flagged, plus four names written as a glob (`SSPR_*`).
    assert_eq!(f.wildcards, 264);
    assert_eq!(f.domain_restricted, 2264 - 1138);
}

#[test]
fn the_cookies_of_the_issue() {
    let c = catalog();
    let ga = look(&c, "_ga", "shop.example");
    assert_eq!(
        ga,
        Some(("Google Analytics".into(), "analytics", MatchKind::Name))
    );
    assert_eq!(
        look(&c, "_fbp", "shop.example"),
        Some(("Facebook".into(), "marketing", MatchKind::NameTag))
    );
    let ide = look(&c, "IDE", "doubleclick.net").map(|k| (k.1, k.2));
    assert_eq!(ide, Some(("marketing", MatchKind::NameOnDomain)));
    assert_eq!(
        look(&c, "fr", "facebook.com"),
        Some(("Facebook".into(), "marketing", MatchKind::NameOnDomain))
    );
    assert_eq!(look(&c, "fr", "www.lemonde.fr"), None);
    assert_eq!(look(&c, "sessionid", "portal.opendatasoft.com"), None);
    assert_eq!(
        look(&c, "sessionid", "www.instagram.com").map(|k| k.0),
        Some("Instagram".into())
    );
    for name in ["PHPSESSID", "JSESSIONID", "__cf_bm"] {
        assert_eq!(
            look(&c, name, "anything.example").map(|k| k.1),
            Some("necessary"),
            "{name}"
        );
    }
    assert_eq!(
        look(&c, "_hjSessionUser_123456", "shop.example"),
        Some(("Hotjar".into(), "necessary", MatchKind::Prefix))
    );
    // A subdomain of the platform's domain is the platform's.
    assert_eq!(
        look(&c, "IDE", "stats.g.doubleclick.net").map(|k| k.2),
        Some(MatchKind::NameOnDomain)
    );
    assert_eq!(look(&c, "IDE", "notdoubleclick.net"), None);
    assert_eq!(look(&c, "no-such-cookie-name", "shop.example"), None);
}

#[test]
fn entries_keep_their_facts() {
    let c = catalog();
    let Some(k) = c.lookup("_ga", "shop.example") else {
        panic!("_ga is known")
    };
    assert_eq!(k.entry.controller, "Google");
    assert_eq!(k.entry.retention, "2 years");
    assert!(
        k.entry.privacy_link.starts_with("https://"),
        "{:?}",
        k.entry
    );
    assert!(!k.entry.purpose.is_empty());
}

#[test]
fn a_longer_prefix_wins_and_an_exact_name_beats_a_prefix() {
    let csv = "ID,Platform,Category,Cookie / Data Key name,Domain,Description,Retention period,Data Controller,User Privacy & GDPR Rights Portals,Wildcard match\n\
        1,Short,Analytics,_x,,d,r,c,l,1\n\
        2,Long,Marketing,_x_y,,d,r,c,l,1\n\
        3,Exact,Necessary,_x_y_z,,d,r,c,l,0\n\
        4,Platform,Marketing,_x,ads.example (3rd party),d,r,c,l,1\n";
    let entries = match load::parse(csv.as_bytes(), "t.csv") {
        Ok(e) => e,
        Err(e) => panic!("{e}"),
    };
    let c = Catalog::new(entries, Source::Embedded, "d".into());
    let p = |n: &str, d: &str| c.lookup(n, d).map(|k| (k.entry.platform.as_str(), k.how));
    assert_eq!(p("_x_y_z", "a.example"), Some(("Exact", MatchKind::Name)));
    assert_eq!(p("_x_y_q", "a.example"), Some(("Long", MatchKind::Prefix)));
    assert_eq!(p("_xq", "a.example"), Some(("Short", MatchKind::Prefix)));
    assert_eq!(
        p("_xq", "ads.example"),
        Some(("Platform", MatchKind::PrefixOnDomain))
    );
    assert_eq!(p("_", "a.example"), None);
}

#[test]
fn domain_column_spellings() {
    assert_eq!(load::domains(""), Vec::<String>::new());
    assert_eq!(load::domains("facebook.com (3rd party)"), ["facebook.com"]);
    assert_eq!(
        load::domains(".bing.com (3rd party) or .microsoft.com (3rd party)"),
        ["bing.com", "microsoft.com"]
    );
    assert_eq!(load::domains(" or demdex.net (3rd party)"), ["demdex.net"]);
    assert_eq!(load::domains(".commander1.com\u{200b}"), ["commander1.com"]);
    assert_eq!(load::domains("ads-[account].adhese.com"), ["adhese.com"]);
    assert_eq!(
        load::domains("Inspectlet.com (3rd party)"),
        ["inspectlet.com"]
    );
    assert_eq!(load::domains(" .mediarithmics.com"), ["mediarithmics.com"]);
    assert_eq!(load::domains(".amplitude.com."), ["amplitude.com"]);
}

fn parse_error(csv: &str) -> String {
    match load::parse(csv.as_bytes(), "bad.csv") {
        Ok(e) => panic!("parsed {} entries", e.len()),
        Err(e) => e.to_string(),
    }
}

const HEADER: &str = "ID,Platform,Category,Cookie / Data Key name,Domain,Description,Retention period,Data Controller,User Privacy & GDPR Rights Portals,Wildcard match\n";

#[test]
fn malformed_csv_names_the_file_and_line() {
    let bad_category = format!("{HEADER}1,P,Analytics,a,,d,r,c,l,0\n2,P,Tracking,b,,d,r,c,l,0\n");
    let e = parse_error(&bad_category);
    assert!(
        e.starts_with("bad.csv:3: Category \"Tracking\": expected"),
        "{e}"
    );
    let short = format!("{HEADER}1,P,Analytics,a,,d,r,c,l,0\n2,P,Analytics\n");
    let e = parse_error(&short);
    assert!(e.starts_with("bad.csv:3: malformed CSV"), "{e}");
    let e = parse_error("id,name\n1,a\n");
    assert!(
        e.starts_with("bad.csv:1: expected the Open Cookie Database header"),
        "{e}"
    );
    let e = parse_error(&format!("{HEADER}1,P,Analytics,a,,d,r,c,l,yes\n"));
    assert!(e.starts_with("bad.csv:2: Wildcard match \"yes\""), "{e}");
    assert!(parse_error(HEADER).starts_with("bad.csv:1: expected at least one entry"));
    assert!(parse_error("").starts_with("bad.csv:1:"));
}

#[test]
fn quoted_fields_with_commas_and_newlines() {
    let csv = format!(
        "{HEADER}1,P,Marketing,a,,\"one, two\nthree\",r,c,l,0\n2,Q,Analytics,b,,d,r,c,l,0\n"
    );
    let entries = match load::parse(csv.as_bytes(), "t.csv") {
        Ok(e) => e,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(entries[0].purpose, "one, two\nthree");
    assert_eq!(entries[1].name, "b");
    let bad = format!("{HEADER}1,P,Marketing,a,,\"one\nthree\",r,c,l,0\n2,Q,Nope,b,,d,r,c,l,0\n");
    assert!(
        parse_error(&bad).starts_with("bad.csv:4:"),
        "line of the record after the quoted newline"
    );
}

#[test]
fn locate_prefers_the_flag_then_the_data_dir_and_never_falls_back() {
    let tmp = match tempfile::tempdir() {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    };
    let dirs = Dirs {
        config: tmp.path().join("config"),
        data: tmp.path().join("data"),
    };
    let c = Catalog::locate(None, Some(&dirs)).map(|c| c.source);
    assert_eq!(c.ok(), Some(Source::Embedded));
    let newer = dirs.data.join(FILE_NAME);
    std::fs::create_dir_all(&dirs.data).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&newer, format!("{HEADER}1,P,Analytics,only,,d,r,c,l,0\n"))
        .unwrap_or_else(|e| panic!("{e}"));
    let c = Catalog::locate(None, Some(&dirs)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.source, Source::DataDir(newer.clone()));
    assert_eq!(c.entries().len(), 1);
    std::fs::write(&newer, format!("{HEADER}1,P,Bogus,only,,d,r,c,l,0\n"))
        .unwrap_or_else(|e| panic!("{e}"));
    match Catalog::locate(None, Some(&dirs)) {
        Ok(c) => panic!("fell back to {:?}", c.source),
        Err(e) => assert!(
            e.to_string().contains(&format!("{}:2:", newer.display())),
            "{e}"
        ),
    }
    let flag = tmp.path().join("flag.csv");
    std::fs::write(
        &flag,
        format!("{HEADER}1,P,Marketing,f,,d,r,c,l,0\n2,P,Marketing,g,,d,r,c,l,0\n"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let c = Catalog::locate(Some(&flag), Some(&dirs)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (c.source.clone(), c.entries().len()),
        (Source::Flag(flag.clone()), 2)
    );
    assert!(c.origin().contains("(--known)"));
    let missing = tmp.path().join("missing.csv");
    match Catalog::locate(Some(&missing), None) {
        Ok(_) => panic!("a missing --known file loaded"),
        Err(e) => assert!(e.to_string().starts_with(&missing.display().to_string())),
    }
}

#[test]
fn the_licence_ships_beside_the_data() {
    assert!(EMBEDDED_LICENSE.contains("Apache License"));
    assert!(VERSION_TEXT.contains("Open Cookie Database"));
    assert!(VERSION_TEXT.starts_with(env!("CARGO_PKG_VERSION")));
}
