//! The bad-input corpus (tests/bad-inputs/, made by make.py there) plus the
//! inputs too special to commit: every one exits 2 with a message naming the
//! file and what was wrong, writes nothing, and finishes in under a second.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

use common::{Sandbox, repo};

/// (file, what the message must say). Policies are given with `--policy`.
const CORPUS: &[(&str, &str)] = &[
    ("jar-3-fields.txt", ":3: expected 7 TAB-separated fields"),
    ("jar-binary-garbage.txt", "binary data"),
    (
        "jar-binarycookies-offset.binarycookies",
        ": byte 36: cookie 1 of page 1 starts at 5000, past the end of its page",
    ),
    (
        "jar-binarycookies-pages.binarycookies",
        ": byte 4: a page count of 1000 needs 4000 bytes of page sizes; the file has 2224 bytes",
    ),
    (
        "jar-binarycookies-truncated.binarycookies",
        ": byte 8: page 1 of 1385 bytes from byte 28 runs past the end of the file (700 bytes)",
    ),
    ("jar-crlf-broken.txt", ":3: expected 7 TAB-separated fields"),
    (
        "jar-expiry-hex.txt",
        ":2: expiry must be a number of seconds",
    ),
    (
        "jar-expiry-word.txt",
        ":2: expiry must be a number of seconds",
    ),
    (
        "jar-flag-maybe.txt",
        ":2: include-subdomains must be TRUE or FALSE",
    ),
    ("jar-gzip.txt.gz", "gzip-compressed"),
    (
        "jar-har.json",
        ":1: unexpected JSON content (missing field `entries`); expected a HAR 1.2 file",
    ),
    ("jar-html.html", "HTML"),
    (
        "jar-invalid-utf8.txt",
        ":2: expected 7 TAB-separated fields",
    ),
    (
        "jar-lwp.txt",
        ":2: Set-Cookie3 cookie \"sessionid\" has no domain=",
    ),
    ("jar-nul-bytes.txt", "binary data"),
    ("jar-prose.txt", ":1: expected 7 TAB-separated fields"),
    ("jar-secure-yes.txt", ":2: secure must be TRUE or FALSE"),
    (
        "jar-spaces-not-tabs.txt",
        ":2: expected 7 TAB-separated fields (domain, include-subdomains, path, secure, expiry, name, value), found 1 (are the fields separated by spaces instead of TABs?)",
    ),
    ("jar-truncated.txt", ":3: expected 7 TAB-separated fields"),
    ("jar-utf16.txt", "binary data"),
    (
        "store-bad-expires.json",
        ":13: expected a cookie_store cookie record",
    ),
    (
        "store-deep.json",
        "JSON nested too deeply (more than 128 levels",
    ),
    (
        "extension-deep.json",
        "JSON nested too deeply (more than 128 levels",
    ),
    (
        "store-empty-raw-cookie.json",
        ":3: expected a cookie_store cookie record",
    ),
    ("store-lines-one-bad.jsonl", ":2: the JSON ends too early"),
    (
        "store-missing-raw-cookie.json",
        ":11: expected a cookie_store cookie record: missing field `raw_cookie`",
    ),
    ("store-nulls.json", "not a cookie_store jar"),
    ("store-numbers.json", "not a cookie_store jar"),
    (
        "store-object.json",
        ":1: expected a cookie_store cookie record",
    ),
    (
        "store-trailing-garbage.json",
        ":2: invalid JSON: trailing characters",
    ),
    ("store-truncated.json", ":5: the JSON ends too early"),
    ("store-wrong-domain-type.json", ":8: invalid JSON"),
    ("sqlite-notes-app.sqlite", "SQLite"),
    ("sqlite-truncated.sqlite", "SQLite"),
    ("policy-array.json", ":1:2: expected a policy object"),
    (
        "policy-bad-regex.json",
        ":41: cookies[0].names[1]: invalid regex",
    ),
    ("policy-deep.json", ":1:4: unknown field `a`"),
    (
        "policy-duplicate-category.json",
        "categories[4].id: duplicate category id",
    ),
    ("policy-empty.json", ":1:1: unexpected end of file"),
    (
        "policy-missing-categories.json",
        "missing field `categories`",
    ),
    ("policy-no-required.json", "no category is required"),
    ("policy-not-json.json", "this is not JSON"),
    ("policy-prefs-not-required.json", "cookies[3].category"),
    ("policy-schema-2.json", "unsupported schema 2"),
    ("policy-trailing-comma.json", ":2:15:"),
    (
        "policy-unknown-category.json",
        "unknown category `marketing`",
    ),
    ("policy-unknown-field.json", "unknown field `colour`"),
    ("policy-wrong-type.json", "expected u32"),
];

/// Corpus jars that hold no cookie of a covered site: they open on the `*`
/// scope (DESIGN §5b; they were refused before the known-cookie catalog).
const OPENS: &[&str] = &[
    "jar-empty.txt",
    "jar-negative-fields.txt",
    "jar-only-comments.txt",
];

#[test]
fn jars_without_a_covered_site_open_on_the_star_scope() {
    let sb = Sandbox::new();
    for name in OPENS {
        let jar = sb.copy(&format!("tests/bad-inputs/{name}"));
        let before = fs::read(&jar).unwrap();
        let list = sb.crumbs().arg("list").arg(&jar).output().unwrap();
        let text = String::from_utf8_lossy(&list.stdout);
        assert_eq!(list.status.code(), Some(0), "{name}: {text}");
        assert!(text.contains("\nsite:    *\n"), "{name}: {text}");
        assert!(text.contains("Known-cookie catalog"), "{name}: {text}");
        let check = sb.crumbs().arg("check").arg(&jar).output().unwrap();
        let text = String::from_utf8_lossy(&check.stdout);
        assert_eq!(check.status.code(), Some(0), "{name}: {text}");
        assert!(
            text.contains("no problems for * (other sites)"),
            "{name}: {text}"
        );
        let prune = sb
            .crumbs()
            .args(["prune", "--reject-all"])
            .arg(&jar)
            .output()
            .unwrap();
        let (out, err) = (
            String::from_utf8_lossy(&prune.stdout),
            String::from_utf8_lossy(&prune.stderr),
        );
        assert_eq!(prune.status.code(), Some(0), "{name}: {out}{err}");
        assert_eq!(out, "nothing to change\n", "{name}");
        assert!(err.contains("`--site '*'` prunes them"), "{name}: {err}");
        assert_eq!(fs::read(&jar).unwrap(), before, "{name}: written");
    }
}

/// Runs crumbs with `args` and checks exit 2, the message, the time, and that nothing was written.
fn expect_refusal(sb: &Sandbox, args: &[&str], watched: &Path, needles: &[&str]) {
    let before = fs::read(watched).ok();
    let start = Instant::now();
    let out = sb.crumbs().args(args).output().unwrap();
    let took = start.elapsed();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    for n in needles {
        assert!(err.contains(n), "{args:?}: {err:?} should say {n:?}");
    }
    assert!(took < Duration::from_secs(1), "{args:?} took {took:?}");
    assert_eq!(fs::read(watched).ok(), before, "{args:?} changed the file");
    assert!(
        !sb.config().exists() && !sb.data().exists(),
        "{args:?} wrote records"
    );
}

#[test]
fn the_corpus_is_refused() {
    let dir = repo("tests/bad-inputs");
    let listed = fs::read_dir(&dir)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name() != "make.py")
        .count();
    assert_eq!(
        listed,
        CORPUS.len() + OPENS.len(),
        "every corpus file has an expectation"
    );
    assert!(CORPUS.len() >= 40);
    let sb = Sandbox::new();
    let jar = sb.copy("tests/fixtures/curl.cookies.txt");
    let jar_s = jar.display().to_string();
    for (name, what) in CORPUS {
        let bad = sb.copy(&format!("tests/bad-inputs/{name}"));
        let bad_s = bad.display().to_string();
        if name.starts_with("policy-") {
            for cmd in [&["list"][..], &["check"], &["prune", "--reject-all"]] {
                let args = [cmd, &["--policy", &bad_s, &jar_s]].concat();
                expect_refusal(&sb, &args, &jar, &[name, what]);
            }
        } else {
            for cmd in [
                &["list"][..],
                &["check"],
                &["prune", "--reject-all"],
                &["prune", "--accept-all", "--lenient"],
            ] {
                if cmd.contains(&"--lenient") && name.starts_with("jar-") && what.starts_with(':') {
                    continue; // --lenient keeps malformed lines: not a refusal.
                }
                let args = [cmd, &[bad_s.as_str()]].concat();
                expect_refusal(&sb, &args, &bad, &[name, what]);
            }
        }
    }
}

#[test]
fn special_files_are_refused() {
    let sb = Sandbox::new();
    let open = sb.path("open");
    fs::create_dir(&open).unwrap();
    fs::set_permissions(sb.dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(&open, fs::Permissions::from_mode(0o755)).unwrap();
    // A 10 MB single line.
    let long = open.join("long-line.txt");
    fs::write(&long, "x".repeat(10 << 20)).unwrap();
    expect_refusal(
        &sb,
        &["list", long.to_str().unwrap()],
        &long,
        &["long-line.txt:1:", "expected 7 TAB-separated fields"],
    );
    // A directory.
    let d = open.join("a-folder");
    fs::create_dir(&d).unwrap();
    let out = sb
        .crumbs()
        .args(["list", d.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("a-folder"));
    // A FIFO: refused, never waited on.
    let fifo = open.join("pipe.txt");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let start = Instant::now();
    let out = sb
        .crumbs()
        .args(["list", fifo.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("pipe.txt: not a supported cookie jar: a FIFO")
    );
    assert!(start.elapsed() < Duration::from_secs(1));
    // A file without read permission, read by an unprivileged user.
    let secret = open.join("unreadable.txt");
    fs::copy(repo("tests/fixtures/curl.cookies.txt"), &secret).unwrap();
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o000)).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("crumbs");
    let out = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&bin)
        .args(["list", secret.to_str().unwrap()])
        .env("XDG_CONFIG_HOME", open.join("c"))
        .env("XDG_DATA_HOME", open.join("d"))
        .output()
        .expect("setpriv (util-linux) runs crumbs as nobody");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("unreadable.txt: Permission denied"), "{err}");
}
