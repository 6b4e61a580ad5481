//! The peer corpus (tests/data/peers, MANIFEST.md there): 40 cookies.txt
//! files from curl's, yt-dlp's and CPython's own test suites. crumbs reads
//! each as it did when they were added (a snapshot of what it shows, values
//! left out), saves each byte for byte as read, and an edit of any of them
//! (remove every other cookie, rewrite one, add one) loses no other line.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crumbs::jar::{Jar, OpenOptions};
use crumbs::model::{CookieKey, Edits, Expiry, NewCookie, OwnedCookie, SameSite, SetCookie};

fn peers() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/peers");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/data/peers")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
}

fn open(path: &Path, lenient: bool) -> Result<Jar, crumbs::jar::JarError> {
    let bytes = std::fs::read(path).expect("peer file");
    Jar::from_bytes(
        path,
        bytes,
        OpenOptions {
            lenient,
            ..OpenOptions::default()
        },
    )
}

/// What crumbs shows of a cookie, its value as a length only.
fn shown(c: &OwnedCookie) -> String {
    let name: String = c.name.chars().take(40).collect();
    let cut = if c.name.chars().count() > 40 {
        "…"
    } else {
        ""
    };
    let expiry = match c.expiry {
        Expiry::Session => "session".to_string(),
        Expiry::At(t) => t.to_string(),
    };
    format!(
        "{name}{cut} @ {} {} secure={} httponly={} expiry={expiry} value={}B",
        c.domain_label(),
        c.path,
        c.secure,
        c.http_only,
        c.value.len()
    )
}

#[test]
fn every_peer_reads_as_it_did() {
    let files = peers();
    assert_eq!(files.len(), 40, "the corpus is whole");
    let mut report = String::new();
    for path in &files {
        let file = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        let strict = match open(path, false) {
            Ok(jar) => format!("{} cookies", jar.cookies().len()),
            Err(e) => format!("refused: {e}"),
        };
        writeln!(report, "{file}\n  strict: {strict}").unwrap();
        match open(path, true) {
            Ok(jar) => {
                writeln!(report, "  lenient: {:?}", jar.format()).unwrap();
                for c in jar.cookies().to_vec() {
                    writeln!(report, "    {}", shown(&c)).unwrap();
                }
            }
            Err(e) => writeln!(report, "  lenient: refused: {e}").unwrap(),
        }
    }
    // The error messages name the file by its full path; keep the name.
    let root = format!(
        "{}/",
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/peers")
            .display()
    );
    insta::assert_snapshot!("peers_read", report.replace(&root, ""));
}

#[test]
fn every_peer_saves_as_read_and_edits_lose_no_other_line() {
    for path in peers() {
        // Read leniently, every peer opens (the snapshot above says how).
        let mut jar = open(&path, true).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let original = std::fs::read(&path).expect("peer file");
        assert_eq!(
            jar.to_bytes(),
            original,
            "{}: saved as read",
            path.display()
        );
        let cookies = jar.cookies().to_vec();
        let remove: Vec<CookieKey> = cookies.iter().step_by(2).map(|c| c.key.clone()).collect();
        let kept: Vec<&OwnedCookie> = cookies.iter().skip(1).step_by(2).collect();
        let edits = Edits {
            remove,
            set: Some(SetCookie::Add(NewCookie {
                name: "cookies_preferences".into(),
                value: "v".into(),
                domain: "example.com".into(),
                host_only: true,
                path: "/".into(),
                secure: true,
                http_only: false,
                same_site: SameSite::Unset,
                expiry: Expiry::Session,
            })),
        };
        jar.apply(&edits)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let again = Jar::from_bytes(
            &path,
            jar.to_bytes(),
            OpenOptions {
                lenient: true,
                ..OpenOptions::default()
            },
        )
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let after = again.cookies().to_vec();
        assert_eq!(
            after,
            jar.cookies().to_vec(),
            "{}: reloads as shown",
            path.display()
        );
        // The kept cookies, then the added one, nothing else.
        let names: Vec<String> = after.iter().map(shown).collect();
        let mut want: Vec<String> = kept.iter().map(|c| shown(c)).collect();
        want.push(
            "cookies_preferences @ example.com / secure=true httponly=false expiry=session value=1B"
                .into(),
        );
        assert_eq!(names, want, "{}", path.display());
        // Every line that was not a removed cookie is still there, in order.
        let text = String::from_utf8_lossy(&original).into_owned();
        let new = String::from_utf8_lossy(&jar.to_bytes()).into_owned();
        let removed_lines: Vec<usize> = cookies
            .iter()
            .step_by(2)
            .filter_map(|c| match c.key {
                CookieKey::Line(l) => Some(l),
                _ => None,
            })
            .collect();
        let others: Vec<&str> = text
            .lines()
            .enumerate()
            .filter(|(i, _)| !removed_lines.contains(i))
            .map(|(_, l)| l.trim_start_matches('\u{feff}'))
            .collect();
        let new_lines: Vec<&str> = new
            .lines()
            .map(|l| l.trim_start_matches('\u{feff}'))
            .collect();
        assert_eq!(
            &new_lines[..others.len()],
            &others[..],
            "{}: the other lines kept",
            path.display()
        );
    }
}
