//! Cookie values are secrets: no subcommand prints one, on success or on
//! failure, in text or JSON, unless `--show-values` asks for them.

mod common;

use std::fs;

use common::{Sandbox, extended_policy};

const MARK: &str = "S3CRETMARK";

/// A copy of the curl fixture with every value replaced by a marked one.
fn marked_netscape(sb: &Sandbox) -> std::path::PathBuf {
    let src = fs::read_to_string(common::repo("tests/fixtures/curl.cookies.txt")).unwrap();
    let out: Vec<String> = src
        .lines()
        .enumerate()
        .map(|(i, l)| {
            let f: Vec<&str> = l.split('\t').collect();
            if f.len() == 7 && f[5] != "cookies_preferences" {
                format!("{}\t{MARK}{i}", f[..6].join("\t"))
            } else if f.len() == 7 {
                format!("{}\t%7B%22{MARK}%22%3Atrue%7D", f[..6].join("\t"))
            } else {
                l.to_string()
            }
        })
        .collect();
    let p = sb.path("marked.txt");
    fs::write(&p, out.join("\n") + "\n").unwrap();
    p
}

fn marked_json(sb: &Sandbox) -> std::path::PathBuf {
    let src = fs::read_to_string(common::repo("tests/fixtures/reqwest.cookie_store.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&src).unwrap();
    for (i, c) in v.as_array_mut().unwrap().iter_mut().enumerate() {
        let raw = c["raw_cookie"].as_str().unwrap().to_string();
        let (pair, rest) = raw.split_once(';').unwrap_or((&raw, ""));
        let name = pair.split_once('=').map_or(pair, |(n, _)| n);
        c["raw_cookie"] = serde_json::Value::String(format!("{name}={MARK}{i};{rest}"));
    }
    let p = sb.path("marked.json");
    fs::write(&p, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    p
}

#[test]
fn no_command_prints_a_value_unless_asked() {
    let sb = Sandbox::new();
    let txt = marked_netscape(&sb).display().to_string();
    let json = marked_json(&sb).display().to_string();
    let policy = extended_policy();
    let bad = sb.path("bad.txt");
    fs::write(
        &bad,
        format!(
            "x.opendatasoft.com\tFALSE\t/\tFALSE\tsoon\tname\t{MARK}\nx.opendatasoft.com\tFALSE\t{MARK}\n"
        ),
    )
    .unwrap();
    let bad_json = sb.path("bad.json");
    fs::write(
        &bad_json,
        format!("[{{\"raw_cookie\": \"a={MARK}\", \"path\": 5}}]"),
    )
    .unwrap();
    let bad = bad.display().to_string();
    let bad_json = bad_json.display().to_string();
    let site = "robertleaf.my.opendatasoft.com";
    let mut runs: Vec<Vec<&str>> = Vec::new();
    for jar in [txt.as_str(), json.as_str()] {
        for flags in [&[][..], &["--json"][..]] {
            for cmd in [
                &["list"][..],
                &["list", "--policy", policy.as_str()],
                &["check"],
                &["prune", "--reject-all", "--dry-run"],
                &["prune", "--allow", "nonsense"],
                &["list", "--site", "example.com"],
            ] {
                runs.push([cmd, flags, &[jar]].concat());
            }
        }
    }
    for bad in [bad.as_str(), bad_json.as_str()] {
        runs.push(vec!["list", bad]);
        runs.push(vec!["prune", "--reject-all", "--json", bad]);
        runs.push(vec!["check", "--lenient", bad]);
    }
    runs.push(vec![
        "prune",
        "--accept-all",
        "--output",
        "/nonexistent/dir/x",
        &txt,
    ]);
    runs.push(vec!["prune", "--accept-all", &txt]);
    runs.push(vec!["prune", "--reject-all", "--json", &json]);
    runs.push(vec!["consent", "show"]);
    runs.push(vec!["consent", "show", "--json"]);
    runs.push(vec!["consent", "set", "--site", site, "--accept-all"]);
    runs.push(vec!["consent", "reset", "--site", site]);
    runs.push(vec!["undo", &txt]);
    runs.push(vec!["policy", "show"]);
    for args in &runs {
        let out = sb.crumbs().args(args).output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!text.contains(MARK), "{args:?} printed a value:\n{text}");
    }
    // The marker really is in the jars: --show-values prints it.
    for jar in [&txt, &json] {
        let out = sb
            .crumbs()
            .args(["list", "--show-values", jar.as_str()])
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&out.stdout).contains(MARK));
        let out = sb
            .crumbs()
            .args(["list", "--json", "--show-values", jar.as_str()])
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&out.stdout).contains(MARK));
    }
}
