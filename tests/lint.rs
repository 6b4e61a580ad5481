//! `check` lints every cookie of the scopes it checks (DESIGN §5b) and
//! `list` marks them. The jar is hand-written: no client stores cookies a
//! browser would refuse, which is the point of these edge cases.

mod common;

use common::{NOW, Sandbox, json_of, stdout};
use serde_json::json;

fn cookie(name: &str, domain: &str, extra: serde_json::Value) -> serde_json::Value {
    let mut c = json!({
        "domain": domain, "hostOnly": !domain.starts_with('.'), "httpOnly": false,
        "name": name, "path": "/", "sameSite": "lax", "secure": true,
        "session": true, "storeId": "0", "value": "v"
    });
    if let (Some(c), Some(extra)) = (c.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            c.insert(k.clone(), v.clone());
        }
    }
    c
}

const SITE: &str = "lint.my.opendatasoft.com";

fn jar(sb: &Sandbox) -> std::path::PathBuf {
    let later = NOW + 800 * 86_400;
    let cookies = json!([
        cookie("sessionid", SITE, json!({})),
        cookie("__Host-id", ".opendatasoft.com", json!({})),
        cookie("__Secure-x", SITE, json!({"secure": false})),
        cookie(
            "tracker",
            SITE,
            json!({"sameSite": "no_restriction", "secure": false})
        ),
        cookie("big", SITE, json!({"value": "v".repeat(4100)})),
        cookie(
            "wide",
            SITE,
            json!({"path": format!("/{}", "p".repeat(1100))})
        ),
        cookie(
            "long",
            SITE,
            json!({"session": false, "expirationDate": later})
        ),
        cookie("psl", ".com", json!({})),
        cookie("ctl", SITE, json!({"value": "a\u{1}b"})),
        cookie("sessionid", SITE, json!({})),
    ]);
    let path = sb.path("lint.json");
    std::fs::write(&path, serde_json::to_string_pretty(&cookies).unwrap()).unwrap();
    path
}

#[test]
fn check_reports_each_lint_kind_naming_the_cookie() {
    let sb = Sandbox::new();
    let jar = jar(&sb);
    let a = sb.check_json(&jar);
    let v = json_of(&a.get_output().stdout);
    let lint_kinds = [
        "oversize",
        "attribute-oversize",
        "prefix",
        "samesite-none-insecure",
        "lifetime",
        "public-suffix",
        "control-chars",
        "duplicate",
    ];
    let got: Vec<(String, String)> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| lint_kinds.contains(&p["kind"].as_str().unwrap()))
        .map(|p| {
            let kind = p["kind"].as_str().unwrap().to_string();
            let cookie = p["cookie"].as_str().unwrap().to_string();
            assert!(
                p["message"]
                    .as_str()
                    .unwrap()
                    .starts_with(&format!("{cookie}: ")),
                "{p}"
            );
            (kind, cookie)
        })
        .collect();
    let on = |name: &str| format!("{name} on {SITE}");
    let want: Vec<(String, String)> = [
        ("prefix", "__Host-id on .opendatasoft.com".to_string()),
        ("prefix", on("__Secure-x")),
        ("samesite-none-insecure", on("tracker")),
        ("oversize", on("big")),
        ("attribute-oversize", on("wide")),
        ("lifetime", on("long")),
        ("public-suffix", "psl on .com".to_string()),
        ("control-chars", on("ctl")),
        ("duplicate", on("sessionid")),
    ]
    .into_iter()
    .map(|(k, c)| (k.to_string(), c))
    .collect();
    assert_eq!(got, want);
    let text = stdout(&sb.crumbs().arg("check").arg(&jar).assert().code(1));
    assert!(
        text.contains("  [public-suffix] psl on .com: a domain cookie on the public suffix com; browsers refuse it\n"),
        "{text}"
    );
}

#[test]
fn list_marks_the_cookies_browsers_would_refuse() {
    let sb = Sandbox::new();
    let jar = jar(&sb);
    let out = stdout(&sb.crumbs().arg("list").arg(&jar).assert().success());
    let line = |name: &str| {
        out.lines()
            .find(|l| l.split_whitespace().nth(1) == Some(name))
            .unwrap_or_else(|| panic!("no row for {name}: {out}"))
            .to_string()
    };
    assert!(
        line("tracker").ends_with("  ! samesite-none-insecure"),
        "{out}"
    );
    assert!(line("psl").ends_with("  ! public-suffix"), "{out}");
    assert!(line("long").ends_with("  ! lifetime"), "{out}");
    let sessions: Vec<&str> = out
        .lines()
        .filter(|l| l.split_whitespace().nth(1) == Some("sessionid"))
        .collect();
    assert_eq!(sessions.len(), 2, "{out}");
    assert!(
        !sessions[0].contains('!'),
        "the first is not a duplicate: {out}"
    );
    assert!(sessions[1].ends_with("  ! duplicate"), "{out}");
    assert!(!out.contains("\u{1}"), "values stay hidden");
}

/// A jar past the parallel thresholds (100,000 cookies) and the message
/// batch (65,536 cookies with problems): every repeat is reported once, in
/// jar order, against the first cookie of its identity.
#[test]
fn a_big_jar_reports_every_repeat_in_jar_order() {
    const N: usize = 150_000;
    const DISTINCT: usize = 50_000;
    let sb = Sandbox::new();
    let mut text = String::from("# Netscape HTTP Cookie File\n");
    for i in 0..N {
        let path = if i % 2 == 0 { "/" } else { "/a" };
        text.push_str(&format!(
            "shop.example\tFALSE\t{path}\tFALSE\t0\tc{}\tv{i}\n",
            i % DISTINCT
        ));
    }
    let jar = sb.path("big.txt");
    std::fs::write(&jar, text).unwrap();
    let a = sb.check_json(&jar);
    let v = json_of(&a.get_output().stdout);
    let got: Vec<(String, String)> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["cookie"].as_str().unwrap_or_default().to_string(),
                p["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // Cookie i repeats cookie i - DISTINCT when both have the same path
    // (DISTINCT is even, so i and i - DISTINCT always do).
    let want: Vec<(String, String)> = (DISTINCT..N)
        .map(|i| {
            let path = if i % 2 == 0 { "/" } else { "/a" };
            let who = format!("c{} on shop.example", i % DISTINCT);
            let message = format!(
                "{who}: another cookie has the same name, domain (shop.example), path ({path}) \
                 and partition; a browser keeps one"
            );
            (who, message)
        })
        .collect();
    assert_eq!(got.len(), want.len());
    assert_eq!(got, want);
    // The rows (made on every core past 100,000 cookies) are the jar's, in order.
    let rows: Vec<(String, String)> = v["cookies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_string(),
                r["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let jar_order: Vec<(String, String)> = (0..N)
        .map(|i| {
            let path = if i % 2 == 0 { "/" } else { "/a" };
            (format!("c{}", i % DISTINCT), path.to_string())
        })
        .collect();
    assert_eq!(rows, jar_order);
}
