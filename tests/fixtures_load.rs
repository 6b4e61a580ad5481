//! Every real-client jar in tests/fixtures loads with the exact counts and
//! attributes its README records, and cookies.txt jars round-trip byte for byte.

use crumbs::jar::{Format, Jar, OpenOptions};
use crumbs::model::{Expiry, SameSite};

fn open(rel: &str) -> Jar {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    Jar::open(&p, OpenOptions::default()).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// (records, host-only, domain, session, secure, httponly), from tests/fixtures/README.md.
fn counts(j: &Jar) -> (usize, usize, usize, usize, usize, usize) {
    let c = j.cookies();
    (
        c.len(),
        c.iter().filter(|c| c.host_only).count(),
        c.iter().filter(|c| !c.host_only).count(),
        c.iter().filter(|c| c.expiry == Expiry::Session).count(),
        c.iter().filter(|c| c.secure).count(),
        c.iter().filter(|c| c.http_only).count(),
    )
}

#[test]
fn counts_match_what_each_client_wrote() {
    let table = [
        (
            "tests/fixtures/curl.cookies.txt",
            Format::Netscape,
            (23, 20, 3, 6, 7, 4),
        ),
        (
            "tests/fixtures/wget.cookies.txt",
            Format::Netscape,
            (23, 20, 3, 6, 7, 0),
        ),
        (
            "tests/fixtures/python-mozilla.cookies.txt",
            Format::Netscape,
            (23, 20, 3, 6, 7, 0),
        ),
        (
            "tests/fixtures/reqwest.cookie_store.json",
            Format::CookieStoreJson,
            (23, 20, 3, 6, 7, 4),
        ),
        (
            "tests/fixtures/reqwest-legacy.cookie_store.jsonl",
            Format::CookieStoreJson,
            (23, 20, 3, 6, 7, 4),
        ),
        (
            "tests/fixtures/curl-two-sites.cookies.txt",
            Format::Netscape,
            (9, 8, 1, 2, 6, 2),
        ),
        (
            "tests/fixtures/wget-port.cookies.txt",
            Format::Netscape,
            (18, 15, 3, 4, 5, 0),
        ),
        (
            "assets/demo/cookies.txt",
            Format::Netscape,
            (22, 19, 3, 6, 7, 4),
        ),
    ];
    for (rel, format, want) in table {
        let j = open(rel);
        assert_eq!(j.format(), format, "{rel}");
        assert_eq!(counts(&j), want, "{rel}");
    }
}

#[test]
fn netscape_fixtures_round_trip_byte_for_byte() {
    for rel in [
        "tests/fixtures/curl.cookies.txt",
        "tests/fixtures/wget.cookies.txt",
        "tests/fixtures/python-mozilla.cookies.txt",
        "tests/fixtures/curl-two-sites.cookies.txt",
        "tests/fixtures/wget-port.cookies.txt",
        "assets/demo/cookies.txt",
    ] {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
        assert_eq!(open(rel).to_bytes(), std::fs::read(p).unwrap(), "{rel}");
    }
}

#[test]
fn cookie_store_fixtures_round_trip() {
    for rel in [
        "tests/fixtures/reqwest.cookie_store.json",
        "tests/fixtures/reqwest-legacy.cookie_store.jsonl",
    ] {
        let j = open(rel);
        let again = Jar::from_bytes(
            std::path::Path::new(rel),
            j.to_bytes(),
            OpenOptions::default(),
        )
        .unwrap();
        assert_eq!(again.cookies(), j.cookies(), "{rel}");
    }
}

#[test]
fn curl_attributes() {
    let j = open("tests/fixtures/curl.cookies.txt");
    let get = |name: &str, path: &str| {
        j.cookies()
            .iter()
            .find(|c| c.name == name && c.path == path)
            .unwrap_or_else(|| panic!("{name} {path}"))
    };
    let s = get("sessionid", "/");
    assert_eq!(s.domain, "robertleaf.my.opendatasoft.com");
    assert!(s.host_only && s.secure && s.http_only);
    assert_eq!(s.expiry, Expiry::Session);
    assert_eq!(
        s.same_site,
        SameSite::Unset,
        "cookies.txt has no SameSite column"
    );
    let ga = get("_ga", "/");
    assert_eq!(
        (ga.domain.as_ref(), ga.host_only),
        ("opendatasoft.com", false)
    );
    assert_eq!(ga.expiry, Expiry::At(2_114_380_800));
    assert_eq!(get("spaced_note", "/").value, "hello world=yes");
    assert_eq!(get("quoted_note", "/").value, "\"a b=c\"");
    assert_eq!(get("utf8_label", "/").value, "café-ü");
    assert_eq!(get("empty_pref", "/").value, "");
    assert_eq!(
        get("big_state", "/api/").name.len() + get("big_state", "/api/").value.len(),
        4096
    );
    assert_eq!(get("ods_theme", "/backoffice/").value, "light");
    assert_eq!(get("ods_theme", "/").value, "dark");
    let bo = get("bo_panel", "/backoffice/");
    assert_eq!(bo.expiry, Expiry::At(2_145_916_800));
}

#[test]
fn client_quirks() {
    // wget drops HttpOnly and writes host:port for host-only cookies on a non-default port.
    let w = open("tests/fixtures/wget-port.cookies.txt");
    assert!(w.cookies().iter().all(|c| !c.domain.contains(':')));
    assert!(
        w.cookies()
            .iter()
            .any(|c| c.domain == "robertleaf.my.opendatasoft.com" && c.host_only)
    );
    let raw = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/wget-port.cookies.txt"),
    )
    .unwrap();
    assert!(raw.contains("robertleaf.my.opendatasoft.com:8080\t"));
    // Python writes session expiry as an empty field and garbles UTF-8 as Latin-1.
    let p = open("tests/fixtures/python-mozilla.cookies.txt");
    let label = p.cookies().iter().find(|c| c.name == "utf8_label").unwrap();
    assert_eq!(label.value, "cafÃ©-Ã¼");
    assert_eq!(
        p.cookies()
            .iter()
            .filter(|c| c.expiry == Expiry::Session)
            .count(),
        6
    );
    // cookie_store keeps SameSite.
    let r = open("tests/fixtures/reqwest.cookie_store.json");
    let bo = r.cookies().iter().find(|c| c.name == "bo_panel").unwrap();
    assert_eq!(bo.same_site, SameSite::Strict);
    let ide = r.cookies().iter().find(|c| c.name == "IDE").unwrap();
    assert_eq!(
        (ide.same_site, ide.domain.as_ref(), ide.host_only),
        (SameSite::None, "adnetwork.test", false)
    );
}

/// A Windows editor's byte-order mark before a text jar stays through an
/// edit in every format that reads one (it was dropped by the JSON formats'
/// writers), and the edited file reads back as the jar shows it.
#[test]
fn a_byte_order_mark_stays_through_an_edit() {
    for rel in [
        "tests/fixtures/curl.cookies.txt",
        "tests/fixtures/python-lwp.cookies.txt",
        "tests/fixtures/reqwest.cookie_store.json",
        "tests/fixtures/playwright.storage-state.json",
        "tests/fixtures/puppeteer.cookies.json",
        "tests/fixtures/selenium.cookies.json",
        "tests/fixtures/httpie.session.json",
        "tests/fixtures/httpie-legacy.session.json",
        "tests/fixtures/newman.cookies.json",
        "tests/data/jars/cookie-editor.json",
    ] {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(std::fs::read(&p).unwrap_or_else(|e| panic!("{rel}: {e}")));
        let mut jar = Jar::from_bytes(&p, bytes.clone(), OpenOptions::default())
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(jar.to_bytes(), bytes, "{rel}: saved as read");
        let first = jar.cookies().to_vec().remove(0).key;
        jar.apply(&crumbs::model::Edits {
            remove: vec![first],
            set: None,
        })
        .unwrap_or_else(|e| panic!("{rel}: {e}"));
        let edited = jar.to_bytes();
        assert!(edited.starts_with(b"\xEF\xBB\xBF"), "{rel}: the mark stays");
        let again = Jar::from_bytes(&p, edited, OpenOptions::default())
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(again.cookies().to_vec(), jar.cookies().to_vec(), "{rel}");
    }
}
