//! Consent: value encoding, which consent applies, records and the log.

use std::fs;
use std::os::unix::fs::PermissionsExt;

use crumbs::consent::store::{self, StoreError};
use crumbs::consent::{
    Choice, ChoiceError, ConsentValue, Grants, Source, State, append_log, list_records,
    load_record, remove_record, resolve, same_choice, save_record,
};
use crumbs::dirs::Dirs;
use crumbs::policy::{Category, PolicyDoc, Undeclared};
use proptest::prelude::*;
use time::OffsetDateTime;
use time::macros::datetime;

const HASH: &str = "sha256:0123456789abcdef";
const SITE: &str = "robertleaf.my.opendatasoft.com";
const IDS: [&str; 4] = ["necessary", "statistical", "first-party", "third-party"];

fn doc() -> PolicyDoc {
    let cat = |id: &str, required: bool| Category {
        id: id.into(),
        label: id.into(),
        required,
        description: String::new(),
    };
    PolicyDoc {
        schema: 1,
        name: "Opendatasoft platform cookie policy".into(),
        publisher: "Opendatasoft".into(),
        sites: vec!["*.opendatasoft.com".into()],
        revision: "2026-11-22".into(),
        consent_lifetime_days: 182,
        preferences_cookie: "cookies_preferences".into(),
        categories: vec![
            cat("necessary", true),
            cat("statistical", false),
            cat("first-party", false),
            cat("third-party", false),
        ],
        cookies: vec![],
        undeclared: Undeclared {
            first_party: "first-party".into(),
            third_party: "third-party".into(),
        },
        source: None,
    }
}

/// Category list in policy order from four booleans.
fn g(v: [bool; 4]) -> Vec<(String, bool)> {
    IDS.iter()
        .zip(v)
        .map(|(id, b)| (id.to_string(), b))
        .collect()
}

fn fixed() -> ConsentValue {
    ConsentValue {
        v: 1,
        site: SITE.into(),
        policy: "2026-11-22".into(),
        hash: HASH.into(),
        id: "6f1c2a4e-8b3d-4c1e-9f2a-1b2c3d4e5f60".into(),
        given: datetime!(2026-11-23 11:00:00 UTC),
        expires: datetime!(2027-05-24 11:00:00 UTC),
        categories: g([true, false, false, false]),
    }
}

fn given_at(cats: [bool; 4], at: OffsetDateTime) -> ConsentValue {
    ConsentValue::new(SITE, &doc(), HASH, g(cats), at)
}

fn valid(cats: [bool; 4]) -> ConsentValue {
    given_at(cats, datetime!(2026-11-23 11:00:00 UTC))
}

fn now() -> OffsetDateTime {
    datetime!(2026-12-01 00:00:00 UTC)
}

fn is_cookie_octet(b: u8) -> bool {
    matches!(b, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E)
}

fn assert_cookie_octets(s: &str) {
    for (i, b) in s.bytes().enumerate() {
        assert!(
            is_cookie_octet(b),
            "byte {b:#04x} at {i} is not a cookie-octet in {s}"
        );
    }
}

// ---------------------------------------------------------------- value

#[test]
fn exact_encoding_of_a_fixed_value() {
    assert_eq!(
        fixed().encode(),
        "{%22v%22:1%2C%22site%22:%22robertleaf.my.opendatasoft.com%22%2C\
         %22policy%22:%222026-11-22%22%2C%22hash%22:%22sha256:0123456789abcdef%22%2C\
         %22id%22:%226f1c2a4e-8b3d-4c1e-9f2a-1b2c3d4e5f60%22%2C\
         %22given%22:%222026-11-23T11:00:00Z%22%2C%22expires%22:%222027-05-24T11:00:00Z%22%2C\
         %22categories%22:{%22necessary%22:true%2C%22statistical%22:false%2C\
         %22first-party%22:false%2C%22third-party%22:false}}"
    );
    assert_eq!(ConsentValue::decode(&fixed().encode()), Ok(fixed()));
}

#[test]
fn round_trip_with_every_byte_class() {
    let every_ascii: String = (0u8..0x80).map(char::from).collect();
    let awkward = [
        "a b",
        "\"quoted\"",
        "semi;colon",
        "com,ma",
        "back\\slash",
        "100%",
        "%41 not an escape",
        "é ü ß 中文 😀",
        "ctl\u{0}\u{1}\u{1f}\u{7f}\n\r\t",
        every_ascii.as_str(),
    ];
    for s in awkward {
        let mut v = fixed();
        v.site = s.to_string();
        v.policy = s.to_string();
        v.hash = s.to_string();
        v.id = s.to_string();
        v.categories = vec![(s.to_string(), true), (format!("{s}-2"), false)];
        let enc = v.encode();
        assert_cookie_octets(&enc);
        assert_eq!(ConsentValue::decode(&enc), Ok(v), "{s:?}");
    }
}

#[test]
fn percent_escapes_are_upper_case() {
    let mut v = fixed();
    v.site = "\u{ff}".into();
    let enc = v.encode();
    assert!(enc.contains("%C3%BF"), "{enc}");
    // Lower-case escapes are still read.
    assert_eq!(
        ConsentValue::decode(&enc.replace("%C3%BF", "%c3%bf")),
        Ok(v)
    );
}

#[test]
fn decode_keeps_category_order() {
    let mut v = fixed();
    v.categories = vec![
        ("zeta".into(), true),
        ("alpha".into(), false),
        ("mid".into(), true),
    ];
    assert_eq!(
        ConsentValue::decode(&v.encode()).unwrap().categories,
        v.categories
    );
}

#[test]
fn decode_accepts_unencoded_json() {
    let json = "{\"v\":1,\"site\":\"a.test\",\"policy\":\"r\",\"hash\":\"h\",\"id\":\"i\",\
                \"given\":\"2026-01-01T00:00:00Z\",\"expires\":\"2026-07-01T00:00:00Z\",\
                \"categories\":{\"necessary\":true}}";
    let v = ConsentValue::decode(json).unwrap();
    assert_eq!(v.site, "a.test");
    assert_eq!(v.categories, vec![("necessary".to_string(), true)]);
}

#[test]
fn every_prefix_of_a_valid_value_is_rejected() {
    let enc = fixed().encode();
    for n in 0..enc.len() {
        assert!(
            ConsentValue::decode(&enc[..n]).is_err(),
            "prefix {n}: {}",
            &enc[..n]
        );
    }
    let json = percent_encoding::percent_decode_str(&enc)
        .decode_utf8()
        .unwrap()
        .into_owned();
    for n in 0..json.len() {
        assert!(ConsentValue::decode(&json[..n]).is_err(), "json prefix {n}");
    }
}

/// Builds the JSON of a value with `field` replaced by `raw` (raw JSON text), or removed.
fn with_field(field: &str, raw: Option<&str>) -> String {
    let mut fields: Vec<(String, String)> = vec![
        ("v".into(), "1".into()),
        ("site".into(), "\"a.test\"".into()),
        ("policy".into(), "\"r\"".into()),
        ("hash".into(), "\"h\"".into()),
        ("id".into(), "\"i\"".into()),
        ("given".into(), "\"2026-01-01T00:00:00Z\"".into()),
        ("expires".into(), "\"2026-07-01T00:00:00Z\"".into()),
        ("categories".into(), "{\"necessary\":true}".into()),
    ];
    match raw {
        Some(r) => match fields.iter_mut().find(|(k, _)| k == field) {
            Some(f) => f.1 = r.to_string(),
            None => fields.push((field.to_string(), r.to_string())),
        },
        None => fields.retain(|(k, _)| k != field),
    }
    let body: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
    format!("{{{}}}", body.join(","))
}

#[test]
fn malformed_values_are_rejected_with_a_reason() {
    assert!(ConsentValue::decode(&with_field("v", Some("1"))).is_ok());
    let cases: Vec<(String, &str)> = vec![
        (String::new(), "the JSON ends too early"),
        ("garbage".into(), "invalid JSON"),
        ("{}".into(), "missing field"),
        ("[]".into(), "invalid type: array"),
        (
            "[1,\"a.test\",\"r\",\"h\",\"i\",\"2026-01-01T00:00:00Z\",\
             \"2026-07-01T00:00:00Z\",{\"necessary\":true}]"
                .into(),
            "invalid type: array",
        ),
        ("null".into(), "invalid type"),
        (
            "%7B%22necessary%22%3Atrue%2C%22statistics%22%3Afalse%7D".into(),
            "unknown field",
        ),
        ("%".into(), "bad percent escape"),
        ("%7".into(), "bad percent escape"),
        ("%zz".into(), "bad percent escape"),
        ("abc%G1".into(), "bad percent escape"),
        ("%FF%FE".into(), "not UTF-8"),
        (with_field("v", Some("2")), "unsupported version 2"),
        (with_field("v", Some("0")), "unsupported version 0"),
        (with_field("v", Some("\"1\"")), "invalid type"),
        (with_field("v", Some("1.0")), "invalid type"),
        (with_field("v", Some("-1")), "invalid value"),
        (with_field("v", None), "missing field `v`"),
        (with_field("site", Some("\"\"")), "empty site"),
        (with_field("site", Some("42")), "invalid type"),
        (with_field("site", Some("null")), "invalid type"),
        (with_field("given", Some("\"yesterday\"")), "`given`"),
        (with_field("expires", Some("\"2026-07-01\"")), "`expires`"),
        (with_field("expires", Some("1780000000")), "invalid type"),
        (
            with_field("categories", Some("[\"necessary\"]")),
            "invalid type",
        ),
        (
            with_field("categories", Some("{\"necessary\":1}")),
            "invalid type",
        ),
        (
            with_field("categories", Some("{\"necessary\":\"true\"}")),
            "invalid type",
        ),
        (
            with_field("categories", Some("{\"a\":true,\"a\":false}")),
            "repeated category",
        ),
        (with_field("extra", Some("true")), "unknown field `extra`"),
        (
            format!("{} trailing", with_field("v", Some("1"))),
            "invalid JSON",
        ),
    ];
    for (raw, want) in cases {
        let err = ConsentValue::decode(&raw).expect_err(&raw);
        let msg = err.to_string();
        assert!(msg.contains(want), "{raw:?}: {msg:?} lacks {want:?}");
        assert!(msg.starts_with("unrecognised cookies_preferences value: "));
    }
}

#[test]
fn reasons_never_echo_the_value() {
    let secret = "SECRET".repeat(50);
    for raw in [
        with_field("v", Some(&format!("\"{secret}\""))),
        with_field("site", Some(&format!("[\"{secret}\"]"))),
        with_field("categories", Some(&format!("{{\"x\":\"{secret}\"}}"))),
        format!("{secret}{secret}"),
        format!("{{\"{secret}\":1}}"),
    ] {
        let msg = ConsentValue::decode(&raw).unwrap_err().to_string();
        assert!(!msg.contains(&secret), "{msg}");
        assert!(!msg.contains(&"SECRET".repeat(5)), "{msg}");
        assert!(msg.len() < 200, "{msg}");
    }
}

#[test]
fn new_value_has_uuid_seconds_and_lifetime() {
    let v = ConsentValue::new(
        SITE,
        &doc(),
        HASH,
        g([true, true, false, false]),
        datetime!(2026-11-23 12:00:00.123456 +01:00),
    );
    assert_eq!(v.v, 1);
    assert_eq!(v.site, SITE);
    assert_eq!(v.policy, "2026-11-22");
    assert_eq!(v.hash, HASH);
    assert_eq!(v.given, datetime!(2026-11-23 11:00:00 UTC));
    assert_eq!(v.expires, datetime!(2027-05-24 11:00:00 UTC));
    let id = uuid::Uuid::parse_str(&v.id).unwrap();
    assert_eq!(id.get_version_num(), 4);
    let other = valid([true; 4]);
    assert_ne!(v.id, other.id);
    assert!(
        v.encode()
            .contains("%22given%22:%222026-11-23T11:00:00Z%22")
    );
    assert!(v.granted("statistical"));
    assert!(!v.granted("first-party"));
    assert!(!v.is_expired(datetime!(2027-05-24 10:59:59 UTC)));
    assert!(v.is_expired(datetime!(2027-05-24 11:00:00 UTC)));
}

proptest! {
    #[test]
    fn decode_never_panics(s in any::<String>()) {
        let _ = ConsentValue::decode(&s);
    }

    #[test]
    fn decode_never_panics_near_valid(s in "[%{}\":,0-9a-zA-Z\\[\\]-]{0,80}") {
        let _ = ConsentValue::decode(&s);
        let _ = ConsentValue::decode(&format!("%7B%22v%22:1%2C{s}"));
    }

    #[test]
    fn decode_never_panics_on_mutated_values(pos in 0usize..400, byte in any::<u8>()) {
        let mut bytes = fixed().encode().into_bytes();
        let i = pos % bytes.len();
        bytes[i] = byte;
        let s = String::from_utf8_lossy(&bytes);
        let _ = ConsentValue::decode(&s);
    }

    #[test]
    fn round_trip_arbitrary_strings(
        site in ".+",
        other in any::<String>(),
        cats in proptest::collection::vec((any::<String>(), any::<bool>()), 0..5),
    ) {
        let mut seen = std::collections::HashSet::new();
        let cats: Vec<_> = cats.into_iter().filter(|(id, _)| seen.insert(id.clone())).collect();
        let mut v = fixed();
        v.site = site;
        v.id = other.clone();
        v.policy = other;
        v.categories = cats;
        let enc = v.encode();
        prop_assert!(enc.bytes().all(is_cookie_octet));
        prop_assert_eq!(ConsentValue::decode(&enc), Ok(v));
    }
}

// ---------------------------------------------------------------- resolve

fn run(
    choice: &Choice,
    jar: Option<&str>,
    saved: Option<&ConsentValue>,
) -> Result<crumbs::consent::Resolved, ChoiceError> {
    resolve(&doc(), HASH, SITE, choice, jar, saved, now())
}

fn none() -> Choice {
    Choice::default()
}

#[test]
fn default_is_required_only() {
    let r = run(&none(), None, None).unwrap();
    assert_eq!((r.source, r.state), (Source::Default, State::None));
    assert_eq!(r.granted.pairs(), g([true, false, false, false]));
    assert_eq!(r.found, None);
    assert!(!r.jar_unrecognised);
    assert_eq!(r.source.as_str(), "default");
    assert_eq!(r.state.as_str(), "none");
}

#[test]
fn saved_record_applies_without_jar_value() {
    let saved = valid([true, true, false, true]);
    let r = run(&none(), None, Some(&saved)).unwrap();
    assert_eq!((r.source, r.state), (Source::Saved, State::Valid));
    assert_eq!(r.granted.pairs(), g([true, true, false, true]));
    assert_eq!(r.found, Some(saved));
    assert_eq!(r.source.as_str(), "saved");
    assert_eq!(r.state.as_str(), "valid");
}

#[test]
fn jar_value_wins_over_saved_record() {
    let jar = valid([true, false, true, false]);
    let saved = valid([true, true, true, true]);
    let r = run(&none(), Some(&jar.encode()), Some(&saved)).unwrap();
    assert_eq!((r.source, r.state), (Source::Jar, State::Valid));
    assert_eq!(r.granted.pairs(), g([true, false, true, false]));
    assert_eq!(r.found, Some(jar));
    assert_eq!(r.source.as_str(), "jar");
}

#[test]
fn unrecognised_jar_value_falls_through_to_saved_record() {
    let saved = valid([true, true, false, false]);
    let platform = "%7B%22necessary%22%3Atrue%2C%22statistics%22%3Afalse%7D";
    let r = run(&none(), Some(platform), Some(&saved)).unwrap();
    assert_eq!((r.source, r.state), (Source::Saved, State::Valid));
    assert!(r.jar_unrecognised);
    assert_eq!(r.granted.pairs(), g([true, true, false, false]));
}

#[test]
fn unrecognised_jar_value_alone() {
    let r = run(&none(), Some("garbage%"), None).unwrap();
    assert_eq!((r.source, r.state), (Source::Jar, State::Unrecognised));
    assert!(r.jar_unrecognised);
    assert_eq!(r.granted.pairs(), g([true, false, false, false]));
    assert_eq!(r.found, None);
    assert_eq!(r.state.as_str(), "unrecognised");
}

#[test]
fn expired_consent_is_refusal_but_kept_for_review() {
    let old = given_at([true; 4], datetime!(2026-01-01 00:00:00 UTC));
    assert!(old.is_expired(now()));
    let r = run(&none(), Some(&old.encode()), None).unwrap();
    assert_eq!((r.source, r.state), (Source::Jar, State::Expired));
    assert_eq!(r.granted.pairs(), g([true, false, false, false]));
    assert_eq!(r.found, Some(old.clone()));
    assert_eq!(r.state.as_str(), "expired");
    assert!(r.state.needs_review());
    let r = run(&none(), None, Some(&old)).unwrap();
    assert_eq!((r.source, r.state), (Source::Saved, State::Expired));
}

#[test]
fn other_policy_hash_is_stale() {
    let v = ConsentValue::new(SITE, &doc(), "sha256:ffffffffffffffff", g([true; 4]), now());
    let r = run(&none(), Some(&v.encode()), None).unwrap();
    assert_eq!((r.source, r.state), (Source::Jar, State::Stale));
    assert_eq!(r.granted.pairs(), g([true, false, false, false]));
    assert_eq!(r.found, Some(v));
    assert_eq!(r.state.as_str(), "stale");
}

#[test]
fn other_site_is_stale() {
    let v = ConsentValue::new("elsewhere.test", &doc(), HASH, g([true; 4]), now());
    let r = run(&none(), None, Some(&v)).unwrap();
    assert_eq!((r.source, r.state), (Source::Saved, State::Stale));
    assert_eq!(r.granted.pairs(), g([true, false, false, false]));
}

#[test]
fn expired_wins_over_stale() {
    let v = ConsentValue::new(
        "elsewhere.test",
        &doc(),
        "sha256:ffffffffffffffff",
        g([true; 4]),
        datetime!(2025-01-01 00:00:00 UTC),
    );
    assert_eq!(run(&none(), None, Some(&v)).unwrap().state, State::Expired);
}

#[test]
fn required_always_granted_and_unknown_categories_refused() {
    let mut v = valid([false, true, false, false]);
    v.categories.retain(|(id, _)| id != "third-party");
    v.categories.push(("made-up".into(), true));
    let r = run(&none(), Some(&v.encode()), None).unwrap();
    assert_eq!(r.state, State::Valid);
    assert_eq!(r.granted.pairs(), g([true, true, false, false]));
}

#[test]
fn flags_modify_the_consent_in_force() {
    let jar = valid([true, true, true, true]).encode();
    let deny = Choice {
        deny: vec!["third-party".into()],
        ..none()
    };
    let r = run(&deny, Some(&jar), None).unwrap();
    assert_eq!((r.source, r.state), (Source::Flags, State::Valid));
    assert_eq!(r.granted.pairs(), g([true, true, true, false]));
    assert!(r.found.is_some());
    assert_eq!(r.source.as_str(), "flags");

    let allow = Choice {
        allow: vec!["statistical".into()],
        ..none()
    };
    let r = run(&allow, None, None).unwrap();
    assert_eq!(r.granted.pairs(), g([true, true, false, false]));

    let saved = valid([true, false, true, false]);
    let r = run(&allow, None, Some(&saved)).unwrap();
    assert_eq!(r.granted.pairs(), g([true, true, true, false]));
}

#[test]
fn flags_on_stale_consent_start_from_refusal() {
    let old = given_at([true; 4], datetime!(2025-01-01 00:00:00 UTC));
    let allow = Choice {
        allow: vec!["first-party".into()],
        ..none()
    };
    let r = run(&allow, Some(&old.encode()), None).unwrap();
    assert_eq!((r.source, r.state), (Source::Flags, State::Valid));
    assert_eq!(r.granted.pairs(), g([true, false, true, false]));
}

#[test]
fn accept_all_and_reject_all() {
    let accept = Choice {
        accept_all: true,
        ..none()
    };
    assert_eq!(
        run(&accept, None, None).unwrap().granted.pairs(),
        g([true; 4])
    );
    let reject = Choice {
        reject_all: true,
        ..none()
    };
    let jar = valid([true; 4]).encode();
    assert_eq!(
        run(&reject, Some(&jar), None).unwrap().granted.pairs(),
        g([true, false, false, false])
    );
    let accept_but = Choice {
        accept_all: true,
        deny: vec!["statistical".into()],
        ..none()
    };
    assert_eq!(
        run(&accept_but, None, None).unwrap().granted.pairs(),
        g([true, false, true, true])
    );
    let reject_but = Choice {
        reject_all: true,
        allow: vec!["third-party".into()],
        ..none()
    };
    assert_eq!(
        run(&reject_but, Some(&jar), None).unwrap().granted.pairs(),
        g([true, false, false, true])
    );
}

#[test]
fn category_lists_are_trimmed_and_split() {
    let c = Choice {
        allow: vec![" statistical, third-party ".into(), "".into()],
        deny: vec!["first-party ".into()],
        ..none()
    };
    let jar = valid([true, false, true, false]).encode();
    assert_eq!(
        run(&c, Some(&jar), None).unwrap().granted.pairs(),
        g([true, true, false, true])
    );
    // Allowing a required category is harmless.
    let c = Choice {
        allow: vec!["necessary".into()],
        ..none()
    };
    assert_eq!(
        run(&c, None, None).unwrap().granted.pairs(),
        g([true, false, false, false])
    );
}

#[test]
fn choice_is_empty() {
    assert!(none().is_empty());
    assert!(
        Choice {
            allow: vec![" ".into(), ",".into()],
            ..none()
        }
        .is_empty()
    );
    assert!(
        !Choice {
            accept_all: true,
            ..none()
        }
        .is_empty()
    );
    assert!(
        !Choice {
            reject_all: true,
            ..none()
        }
        .is_empty()
    );
    assert!(
        !Choice {
            deny: vec!["x".into()],
            ..none()
        }
        .is_empty()
    );
    // An empty choice leaves the source alone.
    let r = run(
        &Choice {
            allow: vec![" ".into()],
            ..none()
        },
        None,
        None,
    )
    .unwrap();
    assert_eq!(r.source, Source::Default);
}

#[test]
fn choice_errors() {
    let err = |c: Choice| run(&c, None, None).unwrap_err();

    let e = err(Choice {
        allow: vec!["statistics".into()],
        ..none()
    });
    assert_eq!(
        e,
        ChoiceError::UnknownCategory {
            id: "statistics".into(),
            valid: "necessary, statistical, first-party, third-party".into()
        }
    );
    assert_eq!(
        e.to_string(),
        "unknown category `statistics` (valid categories: necessary, statistical, first-party, third-party)"
    );
    let e = err(Choice {
        deny: vec!["ads".into()],
        ..none()
    });
    assert!(matches!(e, ChoiceError::UnknownCategory { ref id, .. } if id == "ads"));

    let e = err(Choice {
        deny: vec!["necessary".into()],
        ..none()
    });
    assert_eq!(
        e,
        ChoiceError::DenyRequired {
            id: "necessary".into()
        }
    );
    assert_eq!(
        e.to_string(),
        "category `necessary` is required and cannot be denied"
    );

    let e = err(Choice {
        allow: vec!["statistical".into()],
        deny: vec![" statistical".into()],
        ..none()
    });
    assert_eq!(
        e,
        ChoiceError::AllowAndDeny {
            id: "statistical".into()
        }
    );
    assert_eq!(
        e.to_string(),
        "category `statistical` is both allowed and denied"
    );

    let e = err(Choice {
        accept_all: true,
        reject_all: true,
        ..none()
    });
    assert_eq!(e, ChoiceError::AcceptAndReject);
    assert_eq!(
        e.to_string(),
        "--accept-all and --reject-all cannot be used together"
    );
}

#[test]
fn same_choice_keeps_an_identical_consent() {
    let jar = valid([true, true, false, false]);
    let c = Choice {
        allow: vec!["statistical".into()],
        ..none()
    };
    let r = run(&c, Some(&jar.encode()), None).unwrap();
    assert!(same_choice(&jar, &r.granted, SITE, HASH));
    let c = Choice {
        deny: vec!["statistical".into()],
        ..none()
    };
    let r = run(&c, Some(&jar.encode()), None).unwrap();
    assert!(!same_choice(&jar, &r.granted, SITE, HASH));
    let same = Grants::new(&doc(), |c| c.id == "statistical");
    assert!(same_choice(&jar, &same, SITE, HASH));
    assert!(!same_choice(&jar, &same, SITE, "sha256:other"));
    assert!(!same_choice(&jar, &same, "x.test", HASH));
}

// ---------------------------------------------------------------- store

fn dirs() -> (tempfile::TempDir, Dirs) {
    let t = tempfile::tempdir().unwrap();
    let d = Dirs {
        config: t.path().join("config"),
        data: t.path().join("data"),
    };
    (t, d)
}

fn mode(p: &std::path::Path) -> u32 {
    fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn on_site(site: &str) -> ConsentValue {
    ConsentValue::new(site, &doc(), HASH, g([true, false, true, false]), now())
}

#[test]
fn save_load_list_remove() {
    let (_t, d) = dirs();
    assert_eq!(load_record(&d, SITE).unwrap(), None);
    assert_eq!(list_records(&d).unwrap(), vec![]);
    assert!(!remove_record(&d, SITE).unwrap());

    let b = on_site("b.example.test");
    let a = on_site("a.example.test");
    save_record(&d, &b).unwrap();
    save_record(&d, &a).unwrap();
    assert_eq!(load_record(&d, "a.example.test").unwrap(), Some(a.clone()));
    assert_eq!(list_records(&d).unwrap(), vec![a.clone(), b.clone()]);

    // Saving again replaces.
    let a2 = ConsentValue::new("a.example.test", &doc(), HASH, g([true; 4]), now());
    save_record(&d, &a2).unwrap();
    assert_eq!(load_record(&d, "a.example.test").unwrap(), Some(a2.clone()));

    assert!(remove_record(&d, "a.example.test").unwrap());
    assert!(!remove_record(&d, "a.example.test").unwrap());
    assert_eq!(load_record(&d, "a.example.test").unwrap(), None);
    assert_eq!(list_records(&d).unwrap(), vec![b]);
}

#[test]
fn records_are_private_pretty_json() {
    let (_t, d) = dirs();
    let v = on_site(SITE);
    save_record(&d, &v).unwrap();
    let path = d.consent_dir().join(format!("{SITE}.json"));
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&d.consent_dir()), 0o700);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("{\n  \"v\": 1,\n  \"site\": "), "{text}");
    assert!(text.ends_with("}\n"));
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut want = vec![
        "v",
        "site",
        "policy",
        "hash",
        "id",
        "given",
        "expires",
        "categories",
    ];
    want.sort();
    let mut keys = keys;
    keys.sort();
    assert_eq!(keys, want);
    assert_eq!(json["categories"]["first-party"], true);
    // Only the record: the temp file is gone.
    assert_eq!(fs::read_dir(d.consent_dir()).unwrap().count(), 1);
}

#[test]
fn corrupt_record_names_file_and_line() {
    let (_t, d) = dirs();
    fs::create_dir_all(d.consent_dir()).unwrap();
    let path = d.consent_dir().join("a.test.json");
    fs::write(&path, "{\n  \"v\": 1,\n  \"site\": oops\n}\n").unwrap();
    let e = load_record(&d, "a.test").unwrap_err();
    assert!(matches!(e, StoreError::Corrupt { line: 3, .. }), "{e:?}");
    let msg = e.to_string();
    assert!(msg.starts_with(&format!("{}:3: ", path.display())), "{msg}");
    assert!(list_records(&d).is_err());

    // A record for another site than its file name says.
    let v = on_site("b.test");
    fs::write(
        &path,
        format!("{}\n", v.encode().replace("%22", "\"").replace("%2C", ",")),
    )
    .unwrap();
    let msg = load_record(&d, "a.test").unwrap_err().to_string();
    assert!(msg.contains("record is for site \"b.test\""), "{msg}");
}

#[test]
fn list_skips_foreign_files() {
    let (_t, d) = dirs();
    save_record(&d, &on_site("a.test")).unwrap();
    let dir = d.consent_dir();
    fs::write(dir.join(".a.test.json.crumbs-XYZ.tmp"), "partial").unwrap();
    fs::write(dir.join("notes.txt"), "hello").unwrap();
    fs::write(dir.join("UPPER.json"), "{}").unwrap();
    fs::create_dir(dir.join("sub.json")).unwrap();
    let all = list_records(&d).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].site, "a.test");
}

#[test]
fn bad_site_names_are_rejected() {
    let (t, d) = dirs();
    for bad in [
        "",
        "../evil",
        "a/b",
        "/etc/passwd",
        ".hidden",
        "..",
        "A.test",
        "a b",
        "x:80",
    ] {
        let e = load_record(&d, bad).unwrap_err();
        assert!(matches!(e, StoreError::BadSite { .. }), "{bad:?}: {e:?}");
        assert!(matches!(
            remove_record(&d, bad),
            Err(StoreError::BadSite { .. })
        ));
        let mut v = on_site("ok.test");
        v.site = bad.to_string();
        assert!(matches!(
            save_record(&d, &v),
            Err(StoreError::BadSite { .. })
        ));
    }
    assert!(store::check_site("portal.example-1.test").is_ok());
    // Nothing was written anywhere.
    assert_eq!(fs::read_dir(t.path()).unwrap().count(), 0);
}

#[test]
fn log_lines_are_appended() {
    let (_t, d) = dirs();
    let a = on_site("a.test");
    let b = on_site("b.test");
    append_log(&d, &a, "set", datetime!(2026-12-01 10:00:00.5 UTC)).unwrap();
    append_log(&d, &b, "reset", datetime!(2026-12-01 10:05:00 UTC)).unwrap();
    let log = d.consent_log();
    assert_eq!(mode(&log), 0o600);
    assert_eq!(mode(&d.data), 0o700);
    let text = fs::read_to_string(&log).unwrap();
    assert!(text.ends_with('\n'));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        lines[0],
        format!(
            "{{\"time\":\"2026-12-01T10:00:00Z\",\"action\":\"set\",\"site\":\"a.test\",\"id\":\"{}\",\
             \"policy\":\"2026-11-22\",\"hash\":\"{HASH}\",\"categories\":{{\"necessary\":true,\
             \"statistical\":false,\"first-party\":true,\"third-party\":false}}}}",
            a.id
        )
    );
    for (line, v, action) in [(lines[0], &a, "set"), (lines[1], &b, "reset")] {
        let j: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(j["action"], action);
        assert_eq!(j["site"], v.site.as_str());
        assert_eq!(j["id"], v.id.as_str());
        assert_eq!(j["hash"], HASH);
        assert_eq!(j["policy"], "2026-11-22");
        assert_eq!(j["categories"]["necessary"], true);
    }
}

#[test]
fn two_saves_two_log_lines() {
    let (_t, d) = dirs();
    for cats in [[true, true, false, false], [true, false, false, false]] {
        let v = ConsentValue::new(SITE, &doc(), HASH, g(cats), now());
        save_record(&d, &v).unwrap();
        append_log(&d, &v, "set", now()).unwrap();
    }
    let text = fs::read_to_string(d.consent_log()).unwrap();
    let ids: Vec<String> = text
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(ids.len(), 2);
    assert_ne!(ids[0], ids[1]);
    assert_eq!(load_record(&d, SITE).unwrap().unwrap().id, ids[1]);
}

#[test]
fn log_rejects_unknown_action() {
    let (_t, d) = dirs();
    let e = append_log(&d, &on_site("a.test"), "delete", now()).unwrap_err();
    assert!(matches!(e, StoreError::BadAction { .. }));
    assert!(!d.consent_log().exists());
}

#[test]
fn io_errors_name_the_path() {
    let (t, _) = dirs();
    // The config "folder" is a file: creating consent/ under it fails.
    let blocker = t.path().join("file");
    fs::write(&blocker, "x").unwrap();
    let d = Dirs {
        config: blocker.clone(),
        data: blocker.clone(),
    };
    let msg = save_record(&d, &on_site("a.test")).unwrap_err().to_string();
    assert!(msg.contains(&blocker.display().to_string()), "{msg}");
    let msg = append_log(&d, &on_site("a.test"), "set", now())
        .unwrap_err()
        .to_string();
    assert!(msg.contains(&blocker.display().to_string()), "{msg}");
}
