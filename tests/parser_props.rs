//! Every parser takes arbitrary bytes without panicking, and what it accepts
//! round-trips: format sniffing + jar loading, cookie_store JSON, policy JSON.

use std::path::Path;

use crumbs::jar::cookie_store_json::StoreJar;
use crumbs::jar::{Jar, OpenOptions};
use crumbs::policy::Policy;
use proptest::prelude::*;

/// Bytes that look a little like the inputs: JSON and cookies.txt punctuation.
fn jsonish() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            Just(b'['),
            Just(b']'),
            Just(b'{'),
            Just(b'}'),
            Just(b'"'),
            Just(b':'),
            Just(b','),
            Just(b'\t'),
            Just(b'\n'),
            Just(b'#'),
            any::<u8>(),
        ],
        0..200,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn jar_open_never_panics(bytes in jsonish(), lenient in any::<bool>()) {
        if let Ok(jar) = Jar::from_bytes(Path::new("p"), bytes.clone(), OpenOptions { lenient, ..OpenOptions::default() }) {
            let again = Jar::from_bytes(Path::new("p"), jar.to_bytes(), OpenOptions { lenient, ..OpenOptions::default() }).unwrap();
            prop_assert_eq!(again.cookies(), jar.cookies());
        }
    }

    #[test]
    fn cookie_store_parse_never_panics(bytes in jsonish()) {
        if let Ok(jar) = StoreJar::parse(&bytes) {
            let again = StoreJar::parse(&jar.to_bytes()).unwrap();
            prop_assert_eq!(again.cookies(), jar.cookies());
        }
    }

    #[test]
    fn policy_load_never_panics(text in any::<String>()) {
        let _ = Policy::from_json(&text, "p");
    }
}

/// Mutations of a valid policy: each loads or fails with an error, never panics.
#[test]
fn mutated_policies_never_panic() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/policies/opendatasoft.json"),
    )
    .unwrap();
    let bytes = text.as_bytes();
    for cut in 0..bytes.len() {
        let _ = Policy::from_json(&String::from_utf8_lossy(&bytes[..cut]), "cut");
        let mut flipped = bytes.to_vec();
        flipped[cut] = flipped[cut].wrapping_add(1);
        let _ = Policy::from_json(&String::from_utf8_lossy(&flipped), "flip");
    }
}

/// cookies.txt lines with the quirks the view has to handle: `#HttpOnly_`,
/// a byte-order mark, upper case, a leading dot, wget's port, bad UTF-8.
fn netscape_line() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["", "#HttpOnly_", "\u{feff}"]),
        prop::sample::select(vec![
            "a.test",
            "A.Test",
            ".a.test",
            "a.test:8080",
            "[::1]:80",
            "Ünï.test",
            "x",
        ]),
        prop::sample::select(vec!["TRUE", "FALSE", "true"]),
        prop::sample::select(vec!["/", "/p", ""]),
        prop::sample::select(vec!["0", "", "1900000000", "-5"]),
        "[a-z_]{0,6}",
        prop::sample::select(vec!["v", "", "a\tb", "é"]),
    )
        .prop_map(|(prefix, domain, flag, path, expiry, name, value)| {
            format!("{prefix}{domain}\t{flag}\t{path}\tFALSE\t{expiry}\t{name}\t{value}")
        })
}

proptest! {
    /// The cheap domain accessor says what the full view says, for every cookie.
    #[test]
    fn netscape_domain_accessor_agrees_with_the_view(
        lines in prop::collection::vec(netscape_line(), 0..20),
        crlf in any::<bool>(),
    ) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let text = lines.join(eol);
        let jar = Jar::from_bytes(Path::new("t.txt"), text.clone().into_bytes(), OpenOptions { lenient: true, ..OpenOptions::default() })
            .expect("lenient parse");
        let cookies = jar.cookies();
        for i in 0..cookies.len() {
            let c = cookies.at(i);
            prop_assert_eq!(cookies.domain(i), Some((c.domain.clone(), c.host_only)));
            prop_assert!(!c.domain.chars().any(char::is_uppercase), "{}", c.domain);
        }
        prop_assert_eq!(jar.to_bytes(), text.into_bytes());
    }
}
