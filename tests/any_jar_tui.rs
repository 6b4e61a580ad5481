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
        assert!(!small.is_empty(), "{what}");
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
