//! `crumbs policy import` and `crumbs policy diff`: the two seed pages (the
//! platform's published policy as PDF text and as Markdown), HTML, Markdown
//! and French variants written for edge cases, warnings with their lines,
//! errors, `--install` and the lookup order, and diffs.

mod common;

use std::fs;

use common::{Sandbox, json_of, repo};
use crumbs::policy::import::{ImportError, ImportOptions, Imported, PageFormat, import};
use crumbs::policy::{Declaration, PolicyDoc};

const SEED_PDF: &str = "tests/data/pages/000_439cc1c5894eb190.txt";
const SEED_MD: &str = "tests/data/pages/001_532e2783019b890b.txt";

fn page(rel: &str) -> String {
    fs::read_to_string(repo(rel)).unwrap()
}

fn opts() -> ImportOptions {
    ImportOptions {
        site: None,
        revision: "2026-11-23".into(),
    }
}

fn imported(rel: &str) -> Imported {
    import(&page(rel), rel, &opts()).unwrap_or_else(|e| panic!("{e}"))
}

/// (names, category, provider, function, purpose) of every declaration.
fn facts(doc: &PolicyDoc) -> Vec<(Vec<&str>, &str, &str, &str, &str)> {
    doc.cookies
        .iter()
        .map(|d: &Declaration| {
            (
                d.names.iter().map(String::as_str).collect(),
                d.category.as_str(),
                d.provider.as_str(),
                d.function.as_str(),
                d.purpose.as_str(),
            )
        })
        .collect()
}

fn warnings(i: &Imported) -> Vec<String> {
    i.warnings.iter().map(ToString::to_string).collect()
}

/// Every fact the seed pages state, as the shipped policy has them.
fn assert_seed_facts(i: &Imported, site: &str) {
    let doc = &i.doc;
    assert_eq!(doc.sites, [site]);
    assert_eq!(doc.revision, "2026-11-23");
    assert_eq!(doc.name, "Opendatasoft platform cookie policy");
    assert_eq!(doc.publisher, "Opendatasoft");
    assert_eq!(doc.preferences_cookie, "cookies_preferences");
    assert_eq!(doc.consent_lifetime_days, 182);
    assert_eq!(
        facts(doc),
        [
            (
                vec!["sessionid"],
                "necessary",
                "Opendatasoft",
                "Authentication (front and back office)",
                "To remember the user from one page to another"
            ),
            (
                vec!["django_language"],
                "necessary",
                "Opendatasoft",
                "Language selection (front and back office)",
                "To remember the visitor's language"
            ),
            (
                vec!["csrftoken"],
                "necessary",
                "Opendatasoft",
                "API (CSRF) (front et back office)",
                "To retrieve data via API calls"
            ),
            (
                vec!["cookies_preferences"],
                "necessary",
                "Opendatasoft",
                "Choices related to your cookie preferences",
                "To remember the visitor's cookie preferences"
            ),
        ]
    );
    let cats: Vec<(&str, &str, bool, &str)> = doc
        .categories
        .iter()
        .map(|c| {
            (
                c.id.as_str(),
                c.label.as_str(),
                c.required,
                c.description.as_str(),
            )
        })
        .collect();
    assert_eq!(
        cats,
        [
            (
                "necessary",
                "Necessary / functionality",
                true,
                "\"Necessary\" internal cookies allow information to be saved between two visits \
                 to the same website by the same device. They can save a shopping cart, log-in \
                 information, or interface preferences. They do not require the user's consent."
            ),
            (
                "statistical",
                "Statistical",
                false,
                "\"Statistical\" cookies make it possible to track an Internet user's actions on \
                 a website. When statistics are anonymized (meaning they cannot be traced back \
                 to a person), user consent is not required."
            ),
            (
                "first-party",
                "Internal (first-party)",
                false,
                "\"Internal\" or \"first-party\" cookies are stored by the website visited. They \
                 can be stored in addition to the necessary cookies, and can be used to collect \
                 personal data, track user behavior, and for advertising purposes."
            ),
            (
                "third-party",
                "Third-party",
                false,
                "\"Third-party\" cookies are cookies stored by (or for) a Website B (often an \
                 advertising agency) on Website A. This allows Website B to see what pages the \
                 user visited on Website A, and collect information about the user."
            ),
        ]
    );
    assert_eq!(doc.undeclared.first_party, "first-party");
    assert_eq!(doc.undeclared.third_party, "third-party");
    let source = doc.source.as_deref().unwrap();
    assert!(source.contains(&format!("https://{site}")), "{source}");
    assert!(
        source.contains("consent_lifetime_days are crumbs defaults"),
        "{source}"
    );
    assert!(
        source.contains("The page names no statistical, first-party or third-party cookies"),
        "{source}"
    );
    assert!(i.warnings.is_empty(), "{:?}", warnings(i));
}

#[test]
fn seed_pdf_text_with_wrapped_cells_and_stray_blank_lines() {
    let i = imported(SEED_PDF);
    assert_eq!(i.format, PageFormat::Text);
    assert_seed_facts(&i, "tneacademiegrenoble.opendatasoft.com");
}

#[test]
fn seed_markdown_with_typographic_quotes() {
    let i = imported(SEED_MD);
    assert_eq!(i.format, PageFormat::Markdown);
    assert_seed_facts(&i, "robertleaf.my.opendatasoft.com");
}

#[test]
fn both_seeds_equal_the_shipped_policy_but_for_site_revision_and_source() {
    let shipped = crumbs::policy::shipped().remove(0).doc;
    for rel in [SEED_PDF, SEED_MD] {
        let mut doc = imported(rel).doc;
        doc.sites = shipped.sites.clone();
        doc.revision = shipped.revision.clone();
        doc.source = shipped.source.clone();
        assert_eq!(doc, shipped, "{rel}");
    }
    let (a, b) = (imported(SEED_PDF).doc, imported(SEED_MD).doc);
    assert_eq!(a.cookies, b.cookies);
    assert_eq!(a.categories, b.categories);
}

#[test]
fn html_reordered_columns_names_in_one_cell_extra_column_several_tables() {
    let i = imported("tests/data/pages/edge-cases.html");
    assert_eq!(i.format, PageFormat::Html);
    let doc = &i.doc;
    assert_eq!(doc.sites, ["data.example-portal.test"]);
    assert_eq!(
        facts(doc),
        [
            (
                vec!["sessionid"],
                "necessary",
                "Opendatasoft",
                "Authentication (front and back office)",
                "To remember the user from one page to another"
            ),
            (
                vec!["csrftoken"],
                "necessary",
                "Opendatasoft",
                "API (CSRF) (front et back office)",
                "To retrieve data via API calls"
            ),
            (
                vec!["cookies_preferences"],
                "necessary",
                "Opendatasoft",
                "Choices related to your cookie preferences",
                "To remember the visitor's cookie preferences"
            ),
            (
                vec!["_ga", "_ga_*"],
                "statistical",
                "Google",
                "Google Analytics (front office)",
                "To tell visitors apart"
            ),
            (
                vec!["_pk_id.*", "_pk_ses.*"],
                "statistical",
                "Matomo",
                "Matomo (front office)",
                "To count visits"
            ),
            (
                vec!["VISITOR_INFO1_LIVE"],
                "third-party",
                "YouTube",
                "Embedded videos",
                "To play videos"
            ),
        ]
    );
    // The descriptions come from <li>s with HTML entities for the quotes.
    let shipped = crumbs::policy::shipped().remove(0).doc;
    assert_eq!(doc.categories, shipped.categories);
    assert_eq!(
        warnings(&i),
        [
            "line 35: column 3 (\"Duration\") is not one crumbs reads (provider, function, \
             cookie names, purpose, category); ignored",
            "line 38: a row without a cookie name (\"Matomo |  | 30 minutes | A row with no \
             cookie name | Matomo\"); left out",
        ]
    );
    // The script's "<h2>" and the nav are not read as page text.
    assert!(
        !doc.categories
            .iter()
            .any(|c| c.description.contains("not a heading"))
    );
}

#[test]
fn markdown_pipe_tables_tab_tables_placeholders_and_unplaced_rows() {
    let i = imported("tests/data/pages/edge-cases.md");
    assert_eq!(i.format, PageFormat::Markdown);
    let doc = &i.doc;
    assert_eq!(doc.sites, ["data.example-portal.test"]);
    assert_eq!(
        facts(doc),
        [
            (
                vec!["sessionid"],
                "necessary",
                "Opendatasoft",
                "Authentication (front and back office)",
                "To remember the user from one page to another"
            ),
            (
                vec!["cookies_preferences"],
                "necessary",
                "Opendatasoft",
                "Choices related to your cookie preferences",
                "To remember the visitor's cookie preferences"
            ),
            (
                vec!["_ga", "_ga_*"],
                "statistical",
                "Google",
                "Google Analytics (front office)",
                "To tell visitors apart"
            ),
            (
                vec!["_pk_id.*"],
                "statistical",
                "Matomo",
                "Matomo (front office)",
                "To count visits"
            ),
        ]
    );
    assert_eq!(
        warnings(&i),
        [
            "line 9: a kind of cookie crumbs has no category for (\"Advertising\"): its \
             description is left out; crumbs' categories are necessary, statistical, \
             first-party, third-party",
            "line 22: column 3 (\"Retention\") is not one crumbs reads (provider, function, \
             cookie names, purpose, category); ignored",
            "line 24: cell 6 (\"an extra cell\") is beyond the header's 5 columns; ignored",
            "line 30: IDE not declared: the heading above it (line 26: \"Advertising \
             cookies\") names no category crumbs knows (necessary, statistical, first-party, \
             third-party); name the category in a heading or a category column",
        ]
    );
    let described: Vec<bool> = doc
        .categories
        .iter()
        .map(|c| !c.description.is_empty())
        .collect();
    assert_eq!(described, [true, true, false, false]);
}

#[test]
fn french_pages_in_html_and_markdown() {
    let i = imported("tests/data/pages/fr.html");
    assert_eq!(i.doc.sites, ["portail.example-ville.test"]);
    assert_eq!(
        facts(&i.doc),
        [
            (
                vec!["sessionid"],
                "necessary",
                "Opendatasoft",
                "Authentification (front et back office)",
                "Se souvenir de l'utilisateur d'une page à l'autre"
            ),
            (
                vec!["cookies_preferences"],
                "necessary",
                "Opendatasoft",
                "Choix relatifs à vos préférences de cookies",
                "Se souvenir des préférences de cookies du visiteur"
            ),
            (
                vec!["_ga", "_ga_*"],
                "statistical",
                "Google",
                "Google Analytics",
                "Distinguer les visiteurs"
            ),
        ]
    );
    assert_eq!(
        i.doc.categories[0].description,
        "Les cookies \"Nécessaires\" permettent d'enregistrer des informations entre deux \
         visites d'un même site par un même appareil. Ils ne nécessitent pas le consentement \
         de l'utilisateur."
    );
    assert_eq!(
        i.doc.categories[1].description,
        "Les cookies \"Statistiques\" permettent de suivre les actions d'un internaute sur un site."
    );
    assert!(i.warnings.is_empty(), "{:?}", warnings(&i));

    let i = imported("tests/data/pages/fr.md");
    assert_eq!(i.doc.sites, ["portail.example-ville.test"]);
    let got: Vec<(Vec<&str>, &str, &str)> = facts(&i.doc)
        .into_iter()
        .map(|(n, c, p, _, _)| (n, c, p))
        .collect();
    assert_eq!(
        got,
        [
            (vec!["sessionid"], "necessary", "Opendatasoft"),
            (vec!["cookies_preferences"], "necessary", "Opendatasoft"),
            (vec!["VISITOR_INFO1_LIVE"], "third-party", "YouTube"),
        ]
    );
    assert!(
        i.doc.categories[3]
            .description
            .starts_with("\"Tiers\" : les cookies tiers")
    );
    assert!(i.warnings.is_empty(), "{:?}", warnings(&i));
}

#[test]
fn pdf_text_warnings_name_their_lines() {
    let i = imported("tests/data/pages/unplaced.txt");
    assert_eq!(
        facts(&i.doc)
            .into_iter()
            .map(|(n, c, _, f, p)| (n, c, f, p))
            .collect::<Vec<_>>(),
        [
            (
                vec!["sessionid"],
                "necessary",
                "Authentication (front and back office)",
                "To remember the user from one page to another"
            ),
            (
                vec!["cookies_preferences"],
                "necessary",
                "Choices related to your cookie preferences",
                "To remember the visitor's cookie preferences"
            ),
            (
                vec!["lb_route"],
                "necessary",
                "Load balancing",
                "To send the visitor to the same server"
            ),
        ]
    );
    assert_eq!(
        warnings(&i),
        [
            "line 10: cell 5 (\"stray\") is beyond the header's 4 columns; ignored",
            "line 15: a table without a header row; read with the columns of the header on line 7",
            "line 20: \"(see below)\" is not a cookie name; left out",
            "line 20: ad_uid not declared: the heading above it (line 17: \"Advertising \
             cookies\") names no category crumbs knows (necessary, statistical, first-party, \
             third-party); name the category in a heading or a category column",
        ]
    );
}

#[test]
fn a_page_without_its_preferences_cookie_gets_crumbs_own() {
    let page = "## Cookies\n\n### What cookies are used on the <https://p.example.test> platform\n\n\
                #### Necessary cookies\n\n| Cookie name | Purpose |\n|---|---|\n| sid | Sessions |\n";
    let i = import(page, "p.md", &opts()).unwrap();
    assert_eq!(i.doc.preferences_cookie, "cookies_preferences");
    let last = i.doc.cookies.last().unwrap();
    assert_eq!(last.names, ["cookies_preferences"]);
    assert_eq!(last.category, "necessary");
    assert!(last.source.as_deref().unwrap().starts_with("crumbs:"));
    assert_eq!(i.warnings.len(), 1);
    assert_eq!(i.warnings[0].line, None);
    assert!(
        i.warnings[0]
            .message
            .contains("declares no cookie for the visitor's choices")
    );
    assert!(i.doc.source.as_deref().unwrap().contains("is crumbs' own"));
}

#[test]
fn site_override_missing_site_and_no_table() {
    let no_url =
        "| Cookie name | Purpose |\n|---|---|\n| cookies_preferences | Consent choices |\n";
    match import(no_url, "p.md", &opts()) {
        Err(e @ ImportError::NoSite { .. }) => assert!(e.to_string().contains("--site HOST")),
        other => panic!("{other:?}"),
    }
    // No heading names a category either: the row is not placed, and the site comes from the option.
    let o = ImportOptions {
        site: Some("HTTPS://Portal.Example.test/cookies".into()),
        revision: "r".into(),
    };
    let i = import(no_url, "p.md", &o).unwrap();
    assert_eq!(i.doc.sites, ["portal.example.test"]);
    assert!(
        i.warnings[0]
            .message
            .contains("no heading above it names a category")
    );
    let bad = ImportOptions {
        site: Some("not a host".into()),
        revision: "r".into(),
    };
    assert!(matches!(
        import(no_url, "p.md", &bad),
        Err(ImportError::BadSite { .. })
    ));
    let text = page("tests/data/pages/no-table.txt");
    match import(&text, "no-table.txt", &opts()) {
        Err(e @ ImportError::NoTable { .. }) => {
            assert!(
                e.to_string()
                    .starts_with("no-table.txt: no cookie table found")
            )
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn cli_import_prints_the_policy_and_warnings() {
    let sb = Sandbox::new();
    let a = sb
        .crumbs()
        .args(["policy", "import"])
        .arg(repo(SEED_MD))
        .assert()
        .success();
    let v = json_of(&a.get_output().stdout);
    assert_eq!(v["sites"][0], "robertleaf.my.opendatasoft.com");
    assert_eq!(v["revision"], "2026-11-18", "today, by CRUMBS_NOW");
    assert_eq!(v["cookies"].as_array().unwrap().len(), 4);
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(stderr.contains("read as Markdown"), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");

    let a = sb
        .crumbs()
        .args([
            "policy",
            "import",
            "--revision",
            "v2",
            "--site",
            "x.example.test",
        ])
        .arg(repo("tests/data/pages/edge-cases.md"))
        .assert()
        .success();
    let v = json_of(&a.get_output().stdout);
    assert_eq!(v["sites"][0], "x.example.test");
    assert_eq!(v["revision"], "v2");
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    for line in [9, 22, 24, 30] {
        assert!(
            stderr.contains(&format!(
                "crumbs: warning: {}:{line}: ",
                repo("tests/data/pages/edge-cases.md").display()
            )),
            "{stderr}"
        );
    }
}

#[test]
fn cli_import_bad_pages_exit_2() {
    let sb = Sandbox::new();
    let no_table = repo("tests/data/pages/no-table.txt");
    let a = sb
        .crumbs()
        .args(["policy", "import"])
        .arg(&no_table)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(stderr.contains(&format!("{}: no cookie table found", no_table.display())));
    assert!(a.get_output().stdout.is_empty());
    sb.crumbs()
        .args(["policy", "import", "no-such-page.html"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no-such-page.html"));
    let out = sb.path("out.json");
    sb.crumbs()
        .args(["policy", "import", "--install", "--output"])
        .arg(&out)
        .arg(&no_table)
        .assert()
        .code(2);
    assert!(!out.exists() && !sb.config().exists(), "nothing written");
}

#[test]
fn cli_import_output_install_and_lookup_order() {
    let sb = Sandbox::new();
    let out = sb.path("tne.json");
    sb.crumbs()
        .args(["policy", "import", "--revision", "imported", "--output"])
        .arg(&out)
        .arg(repo(SEED_PDF))
        .assert()
        .success()
        .stdout(predicates::str::contains("wrote"));
    let written: PolicyDoc = serde_json::from_str(&fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(written.sites, ["tneacademiegrenoble.opendatasoft.com"]);

    sb.crumbs()
        .args(["policy", "import", "--revision", "imported", "--install"])
        .arg(repo(SEED_PDF))
        .assert()
        .success()
        .stdout(predicates::str::contains("installed"));
    let installed = sb
        .config()
        .join("crumbs/policies/tneacademiegrenoble.opendatasoft.com.json");
    assert_eq!(fs::read(&installed).unwrap(), fs::read(&out).unwrap());
    // Installing again says what it replaces.
    sb.crumbs()
        .args(["policy", "import", "--revision", "again", "--install"])
        .arg(repo(SEED_PDF))
        .assert()
        .success()
        .stdout(predicates::str::contains("replacing revision imported"));
    // `policy show` lists the installed policy before the shipped one.
    let shown = String::from_utf8_lossy(
        &sb.crumbs()
            .args(["policy", "show"])
            .assert()
            .success()
            .get_output()
            .stdout,
    )
    .into_owned();
    let (user, shipped) = (
        shown
            .find("tneacademiegrenoble.opendatasoft.com.json")
            .unwrap(),
        shown.find("(shipped:opendatasoft)").unwrap(),
    );
    assert!(user < shipped, "{shown}");

    // The jar's two sites: the installed policy covers one, the shipped one the other.
    let jar = repo("tests/fixtures/curl-two-sites.cookies.txt");
    let a = sb
        .crumbs()
        .args(["list", "--json"])
        .arg(&jar)
        .assert()
        .success();
    let text = String::from_utf8_lossy(&a.get_output().stdout).into_owned();
    let objects: Vec<serde_json::Value> = text.lines().map(|l| json_of(l.as_bytes())).collect();
    let got: Vec<(&str, &str)> = objects
        .iter()
        .map(|o| {
            (
                o["site"].as_str().unwrap(),
                o["policy"]["revision"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("robertleaf.my.opendatasoft.com", "2026-11-22"),
            ("tneacademiegrenoble.opendatasoft.com", "again"),
        ]
    );
    // --policy comes first of all.
    let a = sb
        .crumbs()
        .args([
            "list",
            "--json",
            "--site",
            "tneacademiegrenoble.opendatasoft.com",
            "--policy",
        ])
        .arg(repo("assets/policies/opendatasoft.json"))
        .arg(&jar)
        .assert()
        .success();
    assert_eq!(
        json_of(&a.get_output().stdout)["policy"]["revision"],
        "2026-11-22"
    );

    // A malformed policy in the folder is an error naming it.
    let bad = sb.config().join("crumbs/policies/broken.json");
    fs::write(&bad, "{\n  \"schema\": 1,\n  \"name\": 5\n}\n").unwrap();
    sb.crumbs()
        .args(["list"])
        .arg(&jar)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(format!("{}:3:", bad.display())));
}

#[test]
fn cli_policy_diff_shipped_against_a_changed_copy() {
    let sb = Sandbox::new();
    let shipped = repo("assets/policies/opendatasoft.json");
    let mut doc: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&shipped).unwrap()).unwrap();
    doc["revision"] = "2027-01-15".into();
    let cookies = doc["cookies"].as_array_mut().unwrap();
    cookies.retain(|c| c["names"][0] != "csrftoken");
    cookies[0]["purpose"] = "To keep the user signed in".into();
    cookies.push(serde_json::json!({
        "names": ["_ga", "_ga_*"], "category": "statistical", "provider": "Google",
        "function": "Google Analytics", "purpose": "To tell visitors apart"
    }));
    let changed = sb.path("changed.json");
    fs::write(&changed, serde_json::to_string_pretty(&doc).unwrap()).unwrap();

    let a = sb
        .crumbs()
        .args(["policy", "diff"])
        .arg(&shipped)
        .arg(&changed)
        .assert()
        .code(1);
    let out = String::from_utf8_lossy(&a.get_output().stdout).into_owned();
    for needle in [
        "~ revision: \"2026-11-22\" → \"2027-01-15\"",
        "+ _ga, _ga_* [statistical] Google · Google Analytics · To tell visitors apart",
        "- csrftoken [necessary] Opendatasoft · API (CSRF) (front et back office)",
        "~ sessionid [necessary]",
        "purpose: \"To remember the user from one page to another\" → \"To keep the user signed in\"",
        "declarations: 1 added, 1 removed, 1 changed",
        "consent to ask again for: statistical",
    ] {
        assert!(out.contains(needle), "{needle:?} in\n{out}");
    }

    let a = sb
        .crumbs()
        .args(["policy", "diff", "--json", "shipped:opendatasoft"])
        .arg(&changed)
        .assert()
        .code(1);
    let v = json_of(&a.get_output().stdout);
    assert_eq!(v["same"], false);
    assert_eq!(v["old"]["origin"], "shipped:opendatasoft");
    assert_eq!(v["new"]["revision"], "2027-01-15");
    assert_eq!(v["fields"][0]["field"], "revision");
    assert_eq!(v["cookies"]["added"][0]["names"][1], "_ga_*");
    assert_eq!(v["cookies"]["removed"][0]["names"][0], "csrftoken");
    assert_eq!(v["cookies"]["changed"][0]["old"]["names"][0], "sessionid");
    assert_eq!(v["cookies"]["changed"][0]["changes"][0]["field"], "purpose");
    assert_eq!(v["categories"]["changed"].as_array().unwrap().len(), 0);
    assert_eq!(v["review"], serde_json::json!(["statistical"]));

    sb.crumbs()
        .args(["policy", "diff", "shipped:opendatasoft"])
        .arg(&shipped)
        .assert()
        .success()
        .stdout(predicates::str::contains("no differences"));
    sb.crumbs()
        .args(["policy", "diff", "shipped:nope"])
        .arg(&shipped)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("shipped:opendatasoft"));
}
