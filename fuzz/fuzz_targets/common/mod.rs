//! The round trip every jar-format fuzz target runs: load, save as read,
//! view every cookie, apply edits chosen from the input (remove some,
//! rewrite one or add one), and the saved result loads again to the cookies
//! the jar then shows. A refused edit leaves the jar as it was.
#![allow(dead_code)]

use crumbs::jar::edit::EditError;
use crumbs::model::{CookieKey, Edits, Expiry, NewCookie, OwnedCookie, SameSite, SetCookie};

/// What the round trip needs of a format.
pub trait FuzzJar: Sized {
    /// Parses, or `None` (a clean refusal).
    fn load(data: &[u8]) -> Option<Self>;
    /// The read view.
    fn view(&self) -> Vec<OwnedCookie>;
    /// Applies edits.
    fn edit(&mut self, edits: &Edits) -> Result<(), EditError>;
    /// The file's bytes.
    fn bytes(&self) -> Vec<u8>;
}

/// The whole round trip on `data`.
pub fn round_trip<J: FuzzJar>(data: &[u8]) {
    let Some(mut jar) = J::load(data) else {
        return;
    };
    assert!(jar.bytes() == data, "saved as read");
    let cookies = jar.view();
    for c in &cookies {
        // Viewing: every face reads these.
        let _ = (c.domain_label(), c.sent_to("www.example.com"), c.key.to_string());
        let _ = format!("{c:?}");
    }
    let seed = data.last().copied().unwrap_or(0) as usize;
    let remove: Vec<CookieKey> = cookies
        .iter()
        .enumerate()
        .filter(|(i, _)| (i + seed) % 3 == 0)
        .map(|(_, c)| c.key.clone())
        .collect();
    let set = match cookies.iter().enumerate().find(|(i, _)| (i + seed) % 3 != 0) {
        Some((i, c)) if seed % 2 == 0 => Some(SetCookie::Replace {
            key: c.key.clone(),
            value: "v".repeat(i % 50),
            expiry: Expiry::At(1_900_000_000 + (seed as i64) * 1_000_003),
        }),
        _ => Some(SetCookie::Add(NewCookie {
            name: "cookies_preferences".into(),
            value: "x".repeat(seed % 40),
            domain: "example.com".into(),
            host_only: seed % 4 == 1,
            path: "/".into(),
            secure: true,
            http_only: seed % 8 == 3,
            same_site: [SameSite::Lax, SameSite::None, SameSite::Strict, SameSite::Unset][seed % 4],
            expiry: if seed % 5 == 0 { Expiry::Session } else { Expiry::At(2_000_000_000) },
        })),
    };
    let before = jar.bytes();
    match jar.edit(&Edits { remove, set }) {
        Ok(()) => {
            let again = J::load(&jar.bytes()).expect("what crumbs writes, it reads");
            assert_eq!(again.view(), jar.view(), "reloads equal");
        }
        Err(EditError::NoSuchRecord(k)) => panic!("a key the jar gave was refused: {k}"),
        Err(_) => assert!(jar.bytes() == before, "a refused edit changes nothing"),
    }
}
