//! A jar holding cookies of two sites the policy covers (a real curl jar with
//! robertleaf.my.opendatasoft.com and tneacademiegrenoble.opendatasoft.com,
//! and a `_ga` domain cookie on .opendatasoft.com sent to both): `list` and
//! `check` report each site in turn, `prune` applies each site's own consent,
//! and consent records stay per site.

mod common;

use std::fs;

use common::{Sandbox, json_of, stdout};
use crumbs::consent::value::ConsentValue;
use crumbs::jar::{Jar, OpenOptions};

const TWO_SITES: &str = "tests/fixtures/curl-two-sites.cookies.txt";
const ROBERTLEAF: &str = "robertleaf.my.opendatasoft.com";
const TNE: &str = "tneacademiegrenoble.opendatasoft.com";

/// One JSON object per stdout line.
fn json_lines(out: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| json_of(l.as_bytes()))
        .collect()
}

/// (name, action) of the report's in-scope cookies.
fn actions(o: &serde_json::Value) -> Vec<(String, String)> {
    o["cookies"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["scope"] != "other-site")
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["action"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The decoded crumbs consent in the jar's preferences cookie on `domain`, if any.
fn jar_consent(path: &std::path::Path, domain: &str) -> Option<ConsentValue> {
    let jar = Jar::open(path, OpenOptions::default()).unwrap();
    jar.cookies()
        .iter()
        .find(|c| c.name == "cookies_preferences" && c.domain == domain)
        .and_then(|c| ConsentValue::decode(&c.value).ok())
}

fn names(path: &std::path::Path) -> Vec<String> {
    let jar = Jar::open(path, OpenOptions::default()).unwrap();
    jar.cookies().iter().map(|c| c.name.to_string()).collect()
}

#[test]
fn list_reports_each_site_in_turn() {
    let sb = Sandbox::new();
    let jar = sb.copy(TWO_SITES);
    let out = stdout(&sb.crumbs().arg("list").arg(&jar).assert().success());
    let first = out
        .find(&format!("== site 1 of 2: {ROBERTLEAF} =="))
        .unwrap();
    let second = out.find(&format!("== site 2 of 2: {TNE} ==")).unwrap();
    assert!(first < second, "{out}");
    assert!(out.contains(&format!("site:    {ROBERTLEAF}")));
    assert!(out.contains(&format!("site:    {TNE}")));

    // --json: one object per site, one per line, each the single-site object.
    let a = sb
        .crumbs()
        .args(["list", "--json"])
        .arg(&jar)
        .assert()
        .success();
    let objects = json_lines(&a.get_output().stdout);
    let sites: Vec<&str> = objects
        .iter()
        .map(|o| o["site"].as_str().unwrap())
        .collect();
    assert_eq!(sites, [ROBERTLEAF, TNE]);
    for o in &objects {
        assert_eq!(o["summary"]["total"], 9);
        assert_eq!(o["consent"]["state"], "unrecognised");
        let other = o["cookies"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["scope"] == "other-site")
            .count();
        assert_eq!(other, 4, "the other site's host-only cookies");
    }

    // --site picks one: a single object, as before.
    let a = sb
        .crumbs()
        .args(["list", "--json", "--site", TNE])
        .arg(&jar)
        .assert()
        .success();
    let objects = json_lines(&a.get_output().stdout);
    assert_eq!(objects.len(), 1);
    assert_eq!(objects[0]["site"], TNE);
    assert!(!stdout(&a).contains("== site"));
}

#[test]
fn check_reports_each_site_and_fails_if_any_has_problems() {
    let sb = Sandbox::new();
    let jar = sb.copy(TWO_SITES);
    let a = sb.check_json(&jar);
    let objects = json_lines(&a.get_output().stdout);
    assert_eq!(objects.len(), 2);
    for o in &objects {
        let kinds: Vec<&str> = o["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["kind"].as_str().unwrap())
            .collect();
        assert!(kinds.contains(&"unrecognised-consent"), "{kinds:?}");
        assert!(kinds.contains(&"undeclared"), "{kinds:?}");
    }
    // Prune one site: that site keeps only the lint of its two 10-year
    // cookies (browsers cap them); the other still has its policy problems.
    sb.crumbs()
        .args(["prune", "--reject-all", "--site", ROBERTLEAF])
        .arg(&jar)
        .assert()
        .success();
    let out = stdout(&sb.crumbs().arg("check").arg(&jar).assert().code(1));
    assert!(
        out.contains(&format!(
            "{}: 2 problems for {ROBERTLEAF}\n  [lifetime] csrftoken on {ROBERTLEAF}: expires",
            jar.display()
        )),
        "{out}"
    );
    assert!(out.contains(&format!("problems for {TNE}")), "{out}");
    assert!(
        out.contains("[over-lifetime] cookies_preferences on tneacademiegrenoble"),
        "{out}"
    );
    let a = sb
        .crumbs()
        .args(["check", "--json", "--site", ROBERTLEAF])
        .arg(&jar)
        .assert()
        .code(1);
    let kinds: Vec<String> = json_lines(&a.get_output().stdout)[0]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds, ["lifetime", "lifetime"]);
}

#[test]
fn prune_applies_each_sites_own_consent() {
    let sb = Sandbox::new();
    let jar = sb.copy(TWO_SITES);
    // robertleaf has a saved choice (everything); tneacademiegrenoble has only
    // the platform's own value, which crumbs cannot read: refusal, shown but
    // not acted on until a choice is made.
    sb.crumbs()
        .args(["consent", "set", "--accept-all", "--site", ROBERTLEAF])
        .assert()
        .success();
    let a = sb
        .crumbs()
        .args(["prune", "--dry-run", "--json"])
        .arg(&jar)
        .assert()
        .success();
    let objects = json_lines(&a.get_output().stdout);
    assert_eq!(objects.len(), 2);
    let (rl, tne) = (&objects[0], &objects[1]);
    assert_eq!(rl["site"], ROBERTLEAF);
    assert_eq!(
        (
            rl["consent"]["source"].as_str(),
            rl["consent"]["state"].as_str()
        ),
        (Some("saved"), Some("valid"))
    );
    assert_eq!(rl["consent"]["categories"]["first-party"], true);
    assert!(actions(rl).contains(&("_ga".into(), "keep".into())));
    assert_eq!(tne["site"], TNE);
    assert_eq!(tne["consent"]["state"], "unrecognised");
    assert!(actions(tne).contains(&("_ga".into(), "remove".into())));

    let text = stdout(
        &sb.crumbs()
            .args(["prune", "--dry-run"])
            .arg(&jar)
            .assert()
            .success(),
    );
    assert!(
        text.contains(&format!(
            "== site 1 of 2: {ROBERTLEAF} ==\nwould update the cookies_preferences cookie\n"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "== site 2 of 2: {TNE} ==\nwould remove _ga on .opendatasoft.com (category refused)\n"
        )),
        "{text}"
    );
    assert!(
        text.contains("dry run: 1 of 9 cookies would be removed; nothing written"),
        "{text}"
    );

    let before = fs::read(&jar).unwrap();
    // tneacademiegrenoble has no choice (DESIGN §8): the prune writes nothing.
    let refused = sb.crumbs().arg("prune").arg(&jar).assert().code(2);
    let err = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(
        err.contains(&format!("no consent chosen for {TNE}")) && !err.contains(ROBERTLEAF),
        "{err}"
    );
    assert!(
        err.contains("would remove _ga on .opendatasoft.com"),
        "{err}"
    );
    assert_eq!(fs::read(&jar).unwrap(), before);
    sb.crumbs()
        .args(["consent", "set", "--reject-all", "--site", TNE])
        .assert()
        .success();
    sb.crumbs().arg("prune").arg(&jar).assert().success();
    // Each site's saved consent went into its cookie (tneacademiegrenoble's
    // replacing the platform's value); tneacademiegrenoble refuses _ga.
    let v = jar_consent(&jar, ROBERTLEAF).expect("crumbs consent for robertleaf");
    assert_eq!(v.site, ROBERTLEAF);
    assert!(v.granted("first-party"));
    let t = jar_consent(&jar, TNE).expect("crumbs consent for tneacademiegrenoble");
    assert!(!t.granted("statistical"));
    assert!(!names(&jar).contains(&"_ga".to_string()));
    assert_eq!(names(&jar).len(), 8);
    // One save, one backup: undo goes back to the original in one step.
    sb.crumbs().arg("undo").arg(&jar).assert().success();
    assert_eq!(fs::read(&jar).unwrap(), before);
}

#[test]
fn prune_with_flags_stores_one_record_per_site() {
    let sb = Sandbox::new();
    let jar = sb.copy(TWO_SITES);
    let out = stdout(
        &sb.crumbs()
            .args(["prune", "--deny", "third-party", "--allow", "statistical"])
            .arg(&jar)
            .assert()
            .success(),
    );
    let consent = sb.config().join("crumbs/consent");
    for site in [ROBERTLEAF, TNE] {
        let record = consent.join(format!("{site}.json"));
        assert!(
            out.contains(&format!("consent stored in {}", record.display())),
            "{out}"
        );
        let v = jar_consent(&jar, site).expect("a crumbs consent per site");
        assert_eq!(v.site, site, "each site's cookie holds its own consent");
        assert!(v.granted("statistical") && !v.granted("third-party"));
    }
    assert_eq!(
        fs::read_to_string(sb.data().join("crumbs/consent-log.jsonl"))
            .unwrap()
            .lines()
            .count(),
        2
    );
    // A second run: the same consent is in force for both, nothing to change.
    let out = stdout(
        &sb.crumbs()
            .args(["prune", "--deny", "third-party", "--allow", "statistical"])
            .arg(&jar)
            .assert()
            .success(),
    );
    assert!(out.ends_with("nothing to change\n"), "{out}");

    // Reset one site's record: the other's stays.
    sb.crumbs()
        .args(["consent", "reset", "--site", TNE])
        .assert()
        .success();
    let shown = stdout(&sb.crumbs().args(["consent", "show"]).assert().success());
    assert!(
        shown.contains(ROBERTLEAF) && !shown.contains(TNE),
        "{shown}"
    );
}

#[test]
fn prune_output_leaves_the_jar_alone_and_writes_every_site() {
    let sb = Sandbox::new();
    let jar = sb.copy(TWO_SITES);
    let before = fs::read(&jar).unwrap();
    let out = sb.path("pruned.txt");
    sb.crumbs()
        .args(["prune", "--reject-all", "--output"])
        .arg(&out)
        .arg(&jar)
        .assert()
        .success();
    assert_eq!(fs::read(&jar).unwrap(), before);
    for site in [ROBERTLEAF, TNE] {
        let v = jar_consent(&out, site).expect("consent per site");
        assert!(!v.granted("first-party"));
    }
    assert!(!names(&out).contains(&"_ga".to_string()));
}

/// Installs a user policy (a copy of the shipped one under another name)
/// covering only `site`, so the two-site jar falls under two policies.
fn install_user_policy(sb: &Sandbox, site: &str) -> String {
    let mut doc = crumbs::policy::shipped().remove(0).doc;
    doc.name = "A portal's own policy".into();
    doc.sites = vec![site.into()];
    let folder = sb.config().join("crumbs").join("policies");
    fs::create_dir_all(&folder).unwrap();
    fs::write(
        folder.join("portal.json"),
        serde_json::to_string(&doc).unwrap(),
    )
    .unwrap();
    doc.name
}

#[test]
fn the_tui_site_picker_and_list_agree_on_a_jar_under_two_policies() {
    use crumbs::dirs::Dirs;
    use crumbs::policy::catalog::Catalog;
    use crumbs::scopes::Selection;
    use crumbs::session::Session;
    use crumbs::tui::app::{App, Options};
    use crumbs::tui::event::{Effect, Event};

    let sb = Sandbox::new();
    let jar = sb.copy(TWO_SITES);
    let own = install_user_policy(&sb, TNE);
    let shipped = crumbs::policy::shipped().remove(0).doc.name;
    let expected = vec![(ROBERTLEAF.to_string(), shipped), (TNE.to_string(), own)];

    let a = sb
        .crumbs()
        .args(["list", "--json"])
        .arg(&jar)
        .assert()
        .success();
    let listed: Vec<(String, String)> = json_lines(&a.get_output().stdout)
        .iter()
        .map(|o| {
            let site = o["site"].as_str().unwrap().to_string();
            (site, o["policy"]["name"].as_str().unwrap().to_string())
        })
        .collect();
    assert_eq!(listed, expected);
    let first = &json_lines(&a.get_output().stdout)[0];

    // What `crumbs JAR` loads (the same calls as its loader), and its picker.
    let dirs = Dirs {
        config: sb.config().join("crumbs"),
        data: sb.data().join("crumbs"),
    };
    let catalog = Catalog::find(None, Some(&dirs)).unwrap();
    let opened = Jar::open(&jar, OpenOptions::default()).unwrap();
    let session = Session::open(opened, catalog, Selection::Every, dirs).unwrap();
    let now = time::OffsetDateTime::from_unix_timestamp(common::NOW).unwrap();
    let mut app = App::new(session, Options::default(), now).unwrap();
    let picked: Vec<(String, String)> = app
        .picker()
        .sites()
        .iter()
        .map(|s| (s.site().to_string(), s.policy().doc.name.clone()))
        .collect();
    assert_eq!(picked, expected);
    assert_eq!(app.session().policy().doc.name, expected[0].1);
    // Both faces show the plan's counts by category.
    let cats = &app.session().policy().doc.categories;
    let shown: Vec<(String, u64, u64)> = cats
        .iter()
        .zip(app.choices().counts())
        .map(|(c, n)| (c.id.clone(), n.keep as u64, n.remove as u64))
        .collect();
    let by_category = &first["summary"]["by_category"];
    let listed_counts: Vec<(String, u64, u64)> = cats
        .iter()
        .map(|c| {
            let n = &by_category[c.id.as_str()];
            let count = |k: &str| n[k].as_u64().unwrap();
            (c.id.clone(), count("keep"), count("remove"))
        })
        .collect();
    assert_eq!(shown, listed_counts);
    assert!(shown.iter().any(|&(_, keep, _)| keep > 0), "{shown:?}");

    // Switching to the second site carries that site's own policy.
    let second = app.picker().sites()[1].clone();
    let switched =
        crumbs::tui::effects::perform(&Effect::SwitchSite(second), app.session_for_effect(), now);
    match switched {
        Some(Event::Loaded { session, .. }) => {
            assert_eq!(session.site(), TNE);
            assert_eq!(session.policy().doc.name, expected[1].1);
        }
        other => panic!("no switch: {other:?}"),
    }
}

/// `consent set` stores a choice as a save does, under the site as every
/// scope names it: a jar's `list` then finds it, whatever case was typed.
#[test]
fn consent_set_is_found_by_list_whatever_the_case_of_the_site() {
    let sb = Sandbox::new();
    let jar = sb.copy(TWO_SITES);
    let typed = ROBERTLEAF.to_uppercase();
    sb.crumbs()
        .args(["consent", "set", "--accept-all", "--site", &typed])
        .assert()
        .success();
    let a = sb
        .crumbs()
        .args(["list", "--json", "--site", ROBERTLEAF])
        .arg(&jar)
        .assert()
        .success();
    let o = &json_lines(&a.get_output().stdout)[0];
    assert_eq!(o["consent"]["source"], "saved");
    assert_eq!(o["consent"]["state"], "valid");
    assert_eq!(o["consent"]["categories"]["statistical"], true);
    let shown = stdout(&sb.crumbs().args(["consent", "show"]).assert().success());
    assert!(
        shown.starts_with(&format!("{ROBERTLEAF}  valid")),
        "{shown}"
    );
}
