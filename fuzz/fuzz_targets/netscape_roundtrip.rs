//! cookies.txt: any bytes parse (leniently) without panicking and write back
//! byte for byte; a strict parse that succeeds agrees with the lenient one;
//! every cookie can be viewed; edits (remove some lines, rewrite one, add one)
//! leave a file that reads back as the cookies the jar then shows.
#![no_main]

use crumbs::jar::netscape::NetscapeJar;
use crumbs::model::{CookieKey, Edits, Expiry, NewCookie, SameSite, SetCookie};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut lenient = NetscapeJar::parse(data.to_vec(), true).expect("lenient parse never fails");
    assert_eq!(lenient.to_bytes(), data);
    if let Ok(strict) = NetscapeJar::parse(data.to_vec(), false) {
        assert_eq!(strict.cookies(), lenient.cookies());
    }
    let cookies = lenient.cookies().to_vec();
    let seed = data.first().copied().unwrap_or(0) as usize;
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
            expiry: Expiry::At(1_900_000_000),
        }),
        _ => Some(SetCookie::Add(NewCookie {
            name: "cookies_preferences".into(),
            value: "x".repeat(seed % 40),
            domain: "example.com".into(),
            host_only: seed % 4 == 1,
            path: "/".into(),
            secure: true,
            http_only: seed % 8 == 3,
            same_site: SameSite::Lax,
            expiry: Expiry::Session,
        })),
    };
    lenient.apply(&Edits { remove, set }).expect("keys of this jar");
    let reread = NetscapeJar::parse(lenient.to_bytes(), true).expect("lenient parse never fails");
    assert_eq!(reread.cookies(), lenient.cookies());
});
