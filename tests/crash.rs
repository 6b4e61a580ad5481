//! Crash safety: `crumbs prune` on a 100,000-cookie jar killed with SIGKILL at
//! 200 random moments. After every kill the jar is either the original bytes
//! or the whole pruned result, the consent record and log are whole, and the
//! temporary files a kill leaves are cleaned up by the next run.

mod common;

use std::fs;
use std::time::Duration;

use common::{NOW, Sandbox};
use crumbs::consent::value::ConsentValue;

/// A deterministic cookies.txt: 2% on the portal, the rest on other sites.
fn big_jar(n: usize) -> Vec<u8> {
    let mut s = String::from("# Netscape HTTP Cookie File\n\n");
    for i in 0..n {
        let (domain, name) = if i % 50 == 0 {
            (
                "robertleaf.my.opendatasoft.com".to_string(),
                if i == 0 {
                    "sessionid".to_string()
                } else {
                    format!("_ga_{i}")
                },
            )
        } else {
            (format!("site{}.example.com", i % 9973), format!("c{i}"))
        };
        s.push_str(&format!(
            "{domain}\tFALSE\t/\tFALSE\t2000000000\t{name}\tv{i:08x}\n"
        ));
    }
    s.into_bytes()
}

/// The jar's lines with the preferences cookie's value masked (its consent id is random).
fn masked(bytes: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            if f.len() == 7 && f[5] == "cookies_preferences" {
                ConsentValue::decode(f[6]).expect("a whole consent value");
                format!("{}\t{}\t<value>", f[..4].join("\t"), f[5])
            } else {
                l.to_string()
            }
        })
        .collect()
}

fn temp_files(dir: &std::path::Path) -> usize {
    fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp")
        })
        .count()
}

#[test]
fn sigkill_at_random_moments_never_corrupts() {
    let sb = Sandbox::new();
    let work = sb.path("work");
    fs::create_dir(&work).unwrap();
    let jar = work.join("cookies.txt");
    let original = big_jar(100_000);
    fs::write(&jar, &original).unwrap();
    // The whole result, for comparison.
    let reference = sb.path("reference.txt");
    sb.crumbs()
        .args(["prune", "--reject-all", "--output"])
        .arg(&reference)
        .arg(&jar)
        .assert()
        .success();
    let pruned = masked(&fs::read(&reference).unwrap());
    // Header and blank line, 98,000 other-site cookies, sessionid, the preferences cookie.
    assert_eq!(pruned.len(), 98_004);

    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut outcomes = [0usize; 2];
    for round in 0..200 {
        fs::write(&jar, &original).unwrap();
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("crumbs"))
            .args(["prune", "--reject-all"])
            .arg(&jar)
            .env("XDG_CONFIG_HOME", sb.config())
            .env("XDG_DATA_HOME", sb.data())
            .env("CRUMBS_NOW", NOW.to_string())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_micros(seed % 300_000));
        let _ = child.kill();
        let _ = child.wait();
        let now = fs::read(&jar).unwrap();
        if now == original {
            outcomes[0] += 1;
        } else {
            assert_eq!(
                masked(&now),
                pruned,
                "round {round}: neither original nor pruned"
            );
            outcomes[1] += 1;
        }
        let record = sb
            .config()
            .join("crumbs/consent/robertleaf.my.opendatasoft.com.json");
        if record.exists() {
            let text = fs::read_to_string(&record).unwrap();
            serde_json::from_str::<serde_json::Value>(&text)
                .unwrap_or_else(|e| panic!("round {round}: half-written record: {e}"));
        }
        let log = sb.data().join("crumbs/consent-log.jsonl");
        if log.exists() {
            for line in fs::read_to_string(&log).unwrap().lines() {
                serde_json::from_str::<serde_json::Value>(line)
                    .unwrap_or_else(|e| panic!("round {round}: half-written log line: {e}"));
            }
        }
    }
    // Both outcomes happened, so the kills really landed before and after the rename.
    assert!(outcomes[0] > 0 && outcomes[1] > 0, "outcomes {outcomes:?}");
    // A normal run cleans up what the kills left and leaves nothing of its own.
    eprintln!(
        "outcomes {outcomes:?}; temp files left by kills: {}",
        temp_files(&work)
    );
    fs::write(&jar, &original).unwrap();
    sb.crumbs()
        .args(["prune", "--reject-all"])
        .arg(&jar)
        .assert()
        .success();
    assert_eq!(temp_files(&work), 0);
    assert_eq!(masked(&fs::read(&jar).unwrap()), pruned);
}
