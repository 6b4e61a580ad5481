//! The TUI on jars from any site (issue #14.1 bad input, #14.5): an empty
//! jar, a jar of other sites only and a one-cookie jar open on the `*`
//! scope, with the catalog's categories, and the choice keys work there.

mod tui_support;

use std::path::Path;

use crumbs::jar::{Jar, OpenOptions};
use crumbs::scopes::ScopeKind;
use crumbs::tui::action::Action;
use crumbs::tui::app::App;
use tui_support::{app_of, policy, render, session_of};

/// The shop jar curl wrote (tests/fixtures/generate.sh --shop-only).
const SHOP: &str = include_str!("fixtures/curl-shop.cookies.txt");

fn app_on(text: &str, root: &Path) -> App {
    let jar = Jar::from_bytes(
        Path::new("cookies.txt"),
        text.as_bytes().to_vec(),
        OpenOptions::default(),
    )
    .expect("jar parses");
    app_of(session_of(jar, policy(), None, root), 80, 24)
}

fn press(app: &mut App, actions: &[Action]) {
    for a in actions {
        let effects = app.update(*a);
        assert!(effects.is_empty(), "{a:?} gave {effects:?}");
    }
}

#[test]
fn empty_other_sites_and_one_cookie_jars_open_on_the_star_scope() {
    let one: String = SHOP
        .lines()
        .filter(|l| l.starts_with('#') && !l.starts_with("#HttpOnly_") || l.contains("\t_ga\t"))
        .map(|l| format!("{l}\n"))
        .collect();
    for (what, text, cookies) in [
        ("empty", "# Netscape HTTP Cookie File\n", 0),
        ("other sites", SHOP, 11),
        ("one cookie", one.as_str(), 1),
    ] {
        let dir = tempfile::tempdir().expect("temp dir");
        let app = app_on(text, dir.path());
        let scope = app.session().scope();
        assert_eq!(
            (scope.kind(), scope.site()),
            (ScopeKind::Others, "*"),
            "{what}"
        );
        assert_eq!(app.session().jar().cookies().len(), cookies, "{what}");
        // The catalog's categories: necessary and unknown locked on.
        assert_eq!(
            app.choices().toggles(),
            [true, false, false, false, true],
            "{what}"
        );
        let screen = render(&app, 80, 24);
        assert!(screen.contains("Analytics"), "{what}:\n{screen}");
        assert!(screen.contains("[x] Unknown (not in"), "{what}:\n{screen}");
        // Smallest size too.
        let small = render(&app, 60, 15);
        assert!(
            small.contains("site *  policy Known-cookie"),
            "{what}:\n{small}"
        );
        assert!(small.contains("[ ] Analytics"), "{what}:\n{small}");
    }
}

#[test]
fn accept_and_reject_all_work_on_the_star_scope() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = app_on(SHOP, dir.path());
    press(&mut app, &[Action::AcceptAll]);
    assert_eq!(app.choices().toggles(), [true; 5]);
    press(&mut app, &[Action::RejectAll]);
    assert_eq!(app.choices().toggles(), [true, false, false, false, true]);
    let screen = render(&app, 100, 30);
    assert!(screen.contains("6 of 11"), "{screen}");
}

/// The shop jar's `*` scope at the reference size: the catalog's categories
/// with their counts, then the first cookie's details: its platform and
/// purpose from the catalog, how the entry matched.
#[test]
fn star_scope_screen_and_details_from_the_catalog() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = app_on(SHOP, dir.path());
    insta::assert_snapshot!("star_scope_80x24", render(&app, 80, 24));
    press(&mut app, &[Action::NextPane, Action::Down, Action::Open]);
    let screen = render(&app, 100, 30);
    insta::assert_snapshot!("star_scope_details_100x30", screen);
    assert!(
        screen.contains("in the known-cookie catalog as"),
        "{screen}"
    );
    assert!(
        screen.contains("under the known-cookie catalog"),
        "{screen}"
    );
}

/// A saved choice for `*` is the consent in force there, and the header says so.
#[test]
fn a_saved_star_choice_shows_in_the_header() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = app_on(SHOP, dir.path());
    let s = app.session();
    let doc = &s.policy().doc;
    let granted: Vec<(String, bool)> = doc
        .categories
        .iter()
        .map(|c| (c.id.clone(), c.required || c.id == "analytics"))
        .collect();
    let value = crumbs::consent::value::ConsentValue::new(
        "*",
        doc,
        &s.policy().hash,
        granted,
        tui_support::now(),
    );
    let path = crumbs::session::store_value(s.dirs(), &value, tui_support::now()).expect("stored");
    assert!(path.ends_with("consent/_all.json"), "{}", path.display());
    let app = app_on(SHOP, dir.path());
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("consent valid until 2027-12-01 (saved record)"),
        "{screen}"
    );
    // Analytics granted by the saved choice, marketing refused.
    assert_eq!(app.choices().toggles(), [true, false, true, false, true]);
}

/// In a site scope the details add what the catalog knows of a cookie the
/// policy does not declare.
#[test]
fn site_scope_details_say_what_the_catalog_knows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let session = tui_support::memory_session(dir.path());
    let mut app = app_of(session, 100, 40);
    // Find the `_ga` row and open its details.
    press(&mut app, &[Action::NextPane]);
    let mut found = false;
    for _ in 0..30 {
        press(&mut app, &[Action::Down]);
        if let Some(crumbs::tui::rows::Row::Cookie(i)) = app.list().selected_row()
            && app.session().jar().cookies().at(i).name == "_ga"
        {
            found = true;
            break;
        }
    }
    assert!(found, "no _ga row");
    press(&mut app, &[Action::Open]);
    let screen = render(&app, 100, 40);
    assert!(
        screen.contains("Known     Google Analytics · analytics · ID used to identify users"),
        "{screen}"
    );
}

/// On a narrow terminal the header's policy line drops the revision before
/// it cuts anything (it used to end in a bare `(`).
#[test]
fn a_narrow_header_drops_the_revision_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = app_on(SHOP, dir.path());
    let screen = render(&app, 60, 15);
    let line = screen
        .lines()
        .find(|l| l.contains("policy "))
        .expect("a policy line");
    assert!(
        line.trim_matches('"')
            .trim_end()
            .ends_with("policy Known-cookie catalog (Open Cookie Database)"),
        "{line}"
    );
    insta::assert_snapshot!("star_scope_60x15", screen);
    // Wide enough, it is whole.
    let wide = render(&app, 80, 24);
    assert!(
        wide.contains("policy Known-cookie catalog (Open Cookie Database) (revision 2026-01-21)"),
        "{wide}"
    );
}
