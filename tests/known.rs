//! The known-cookie catalog from the command line: where it comes from, its
//! attribution, `policy show --known`, and a bad CSV (DESIGN §5b).

mod common;

use std::fs;

use common::{Sandbox, stdout};

const HEADER: &str = "ID,Platform,Category,Cookie / Data Key name,Domain,Description,Retention period,Data Controller,User Privacy & GDPR Rights Portals,Wildcard match\n";

#[test]
fn version_names_the_catalog_and_its_licence() {
    let sb = Sandbox::new();
    let out = stdout(&sb.crumbs().arg("--version").assert().success());
    assert!(out.starts_with("crumbs 0.1.0\n"), "{out}");
    assert!(out.contains("Open Cookie Database"), "{out}");
    assert!(out.contains("Apache License 2.0"), "{out}");
}

#[test]
fn policy_show_known_gives_origin_date_and_counts() {
    let sb = Sandbox::new();
    let out = stdout(
        &sb.crumbs()
            .args(["policy", "show", "--known"])
            .assert()
            .success(),
    );
    assert!(
        out.starts_with("known-cookie catalog: embedded: Open Cookie Database"),
        "{out}"
    );
    assert!(out.contains("date:    2026-01-21\n"), "{out}");
    assert!(out.contains("entries: 2264\n"), "{out}");
    assert!(out.contains("  necessary        1010\n"), "{out}");
    assert!(out.contains("  marketing        861\n"), "{out}");
    assert!(out.contains("wildcard (prefix) entries: 264\n"), "{out}");
    // Plain `policy show` names the catalog too.
    let out = stdout(&sb.crumbs().args(["policy", "show"]).assert().success());
    assert!(
        out.contains("known-cookie catalog: embedded: Open Cookie Database"),
        "{out}"
    );
}

#[test]
fn a_newer_csv_in_the_data_dir_replaces_the_embedded_one() {
    let sb = Sandbox::new();
    let dir = sb.data().join("crumbs");
    fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("open-cookie-database.csv");
    fs::write(
        &csv,
        format!("{HEADER}1,P,Analytics,_a,,d,r,c,l,0\n2,P,Marketing,_b,,d,r,c,l,1\n"),
    )
    .unwrap();
    let out = stdout(
        &sb.crumbs()
            .args(["policy", "show", "--known"])
            .assert()
            .success(),
    );
    assert!(
        out.starts_with(&format!(
            "known-cookie catalog: {} (data dir)\n",
            csv.display()
        )),
        "{out}"
    );
    assert!(out.contains("entries: 2\n"), "{out}");
    assert!(out.contains("wildcard (prefix) entries: 1\n"), "{out}");
    // A flag wins over the data dir.
    let flag = sb.path("mine.csv");
    fs::write(&flag, format!("{HEADER}1,P,Analytics,_a,,d,r,c,l,0\n")).unwrap();
    let out = stdout(
        &sb.crumbs()
            .args(["policy", "show", "--known", &flag.display().to_string()])
            .assert()
            .success(),
    );
    assert!(out.contains("(--known)"), "{out}");
    assert!(out.contains("entries: 1\n"), "{out}");
}

#[test]
fn a_malformed_catalog_is_an_error_naming_file_and_line_never_a_fallback() {
    let sb = Sandbox::new();
    let dir = sb.data().join("crumbs");
    fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("open-cookie-database.csv");
    fs::write(
        &csv,
        format!("{HEADER}1,P,Analytics,_a,,d,r,c,l,0\n2,P,Analytics,\"_b\n"),
    )
    .unwrap();
    for args in [&["policy", "show", "--known"][..], &["policy", "show"][..]] {
        let a = sb.crumbs().args(args).assert().code(2);
        let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        assert!(
            err.contains(&format!("{}:3:", csv.display())),
            "{args:?}: {err}"
        );
    }
}
