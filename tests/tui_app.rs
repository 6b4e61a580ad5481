//! `App::update` without a terminal: every action, the save flow's effects,
//! and the effects carried out against a real jar on disk.

mod tui_support;

use std::collections::VecDeque;

use crumbs::consent::resolve::Choice;
use crumbs::tui::action::Action;
use crumbs::tui::app::{App, Pane};
use crumbs::tui::categories::CategoryItem;
use crumbs::tui::effects;
use crumbs::tui::event::{After, Effect, Event, Failure, Loaded};
use crumbs::tui::mode::{Mode, Overlay};
use crumbs::tui::rows::{Group, Row};
use crumbs::tui::status::Level;
use time::Duration;
use tui_support::{SITE, app_of, dirs, disk_session, memory_session, now};

fn app() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = app_of(memory_session(dir.path()), 100, 30);
    (dir, app)
}

fn disk_app() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = app_of(disk_session(dir.path()), 100, 30);
    (dir, app)
}

/// Applies actions that must not produce effects.
fn press(app: &mut App, actions: &[Action]) {
    for a in actions {
        let effects = app.update(*a);
        assert!(effects.is_empty(), "{a:?} gave {effects:?}");
    }
}

/// Gives the app events that must not produce effects.
fn happen(app: &mut App, events: Vec<Event>) {
    for e in events {
        let what = format!("{e:?}");
        let effects = app.on(e);
        assert!(effects.is_empty(), "{what} gave {effects:?}");
    }
}

/// Applies one action and returns its only effect.
fn one_effect(app: &mut App, action: Action) -> Effect {
    let mut e = app.update(action);
    assert_eq!(e.len(), 1, "{action:?} gave {e:?}");
    e.remove(0)
}

/// Carries out effects like the loop does, first in first out, lending the
/// app's session and feeding outcomes back; returns whether the app asked to
/// quit.
fn run_effects(app: &mut App, effects: Vec<Effect>) -> bool {
    let mut queue = VecDeque::from(effects);
    while let Some(effect) = queue.pop_front() {
        if matches!(effect, Effect::Quit) {
            return true;
        }
        let now = app.now();
        if let Some(next) = effects::perform(&effect, app.session_for_effect(), now) {
            queue.extend(app.on(next));
        }
    }
    false
}

fn message(app: &App) -> String {
    app.message().map(|m| m.text.clone()).unwrap_or_default()
}

/// The site picker's sites.
fn sites(app: &App) -> Vec<&str> {
    app.picker().sites().iter().map(|s| s.site()).collect()
}

fn names(app: &App) -> Vec<String> {
    let cookies = app.session().jar().cookies();
    app.list()
        .rows()
        .iter()
        .filter_map(|r| match r {
            Row::Cookie(i) => Some(cookies.at(*i).name.to_string()),
            Row::Header(_) => None,
        })
        .collect()
}

// ----- the start -----

#[test]
fn starts_on_the_consent_in_force() {
    let (_d, app) = app();
    assert_eq!(app.choices().toggles(), [true, false, false, false]);
    assert!(!app.choices().dirty());
    assert_eq!(app.mode(), Mode::Normal);
    assert_eq!(app.focus(), Pane::Categories);
    assert_eq!(app.categories().selected_item(), CategoryItem::All);
    assert_eq!(app.list().rows()[0], Row::Header(Group::Category(0)));
    // Other sites are collapsed: their header is there, their cookies are not.
    assert_eq!(
        app.list().rows().last(),
        Some(&Row::Header(Group::OtherSites))
    );
    assert!(!names(&app).contains(&"pref".to_string()));
    // The jar's other cookies are the `*` scope, offered by the picker.
    assert_eq!(sites(&app), [SITE, "*"]);
}

#[test]
fn the_preview_is_the_engine_plan() {
    let (_d, mut app) = app();
    press(&mut app, &[Action::RejectAll]);
    let reject = Choice {
        reject_all: true,
        ..Choice::default()
    };
    let engine = app.session().decide(&reject, false, now()).expect("decide");
    assert_eq!(app.choices().decision().plan.actions, engine.plan.actions);
    assert_eq!(
        app.choices().decision().resolved.granted,
        engine.resolved.granted
    );
    press(&mut app, &[Action::AcceptAll]);
    let accept = Choice {
        accept_all: true,
        ..Choice::default()
    };
    let engine = app.session().decide(&accept, false, now()).expect("decide");
    assert_eq!(app.choices().decision().plan.actions, engine.plan.actions);
}

// ----- moving -----

#[test]
fn moving_in_the_categories_pane_selects_what_the_cookies_pane_shows() {
    let (_d, mut app) = app();
    press(&mut app, &[Action::Down, Action::Down]);
    assert_eq!(app.categories().selected_item(), CategoryItem::Category(1));
    assert_eq!(names(&app), ["_ga", "_ga_XYZ", "_pk_id.1.ab"]);
    press(&mut app, &[Action::Bottom]);
    assert_eq!(app.categories().selected_item(), CategoryItem::OtherSites);
    assert_eq!(names(&app), ["pref", "sid"]);
    press(&mut app, &[Action::Top]);
    assert_eq!(app.categories().selected(), 0);
    press(&mut app, &[Action::PageDown]);
    assert!(app.categories().selected() > 1);
    press(&mut app, &[Action::PageUp]);
    assert_eq!(app.categories().selected(), 0);
    press(&mut app, &[Action::Up]);
    assert_eq!(app.categories().selected(), 0, "stays at the top");
}

#[test]
fn moving_in_the_cookies_pane_scrolls_to_keep_the_selection_in_view() {
    let (_d, mut app) = app();
    happen(
        &mut app,
        vec![Event::Resize {
            width: 60,
            height: 15,
        }],
    );
    press(&mut app, &[Action::NextPane]);
    assert_eq!(app.focus(), Pane::Cookies);
    press(&mut app, &[Action::Down]);
    assert_eq!(app.list().selected(), 1);
    assert_eq!(
        app.list()
            .selected_cookie()
            .map(|i| app.session().jar().cookies().at(i).name.to_string()),
        Some("sessionid".to_string())
    );
    press(&mut app, &[Action::Bottom]);
    assert_eq!(app.list().selected(), app.list().rows().len() - 1);
    assert!(app.list().offset() > 0, "scrolled");
    press(&mut app, &[Action::Top]);
    assert_eq!((app.list().selected(), app.list().offset()), (0, 0));
    press(&mut app, &[Action::PageDown]);
    let page = app.list().selected();
    assert!(page >= 2, "a page is several rows: {page}");
    press(&mut app, &[Action::PageUp]);
    assert_eq!(app.list().selected(), 0);
}

#[test]
fn tab_and_shift_tab_cycle_the_panes() {
    let (_d, mut app) = app();
    press(&mut app, &[Action::NextPane]);
    assert_eq!(app.focus(), Pane::Cookies);
    // The site picker is shown (the jar's site and `*`): it is a pane too.
    press(&mut app, &[Action::NextPane]);
    assert_eq!(app.focus(), Pane::Sites);
    press(&mut app, &[Action::NextPane]);
    assert_eq!(app.focus(), Pane::Categories);
    press(&mut app, &[Action::PrevPane]);
    assert_eq!(app.focus(), Pane::Sites);
}

// ----- choosing -----

#[test]
fn toggling_a_required_category_is_refused_with_a_message() {
    let (_d, mut app) = app();
    press(&mut app, &[Action::Down, Action::Toggle]);
    assert_eq!(app.choices().toggles(), [true, false, false, false]);
    assert!(!app.choices().dirty());
    let m = app.message().expect("a message");
    assert_eq!(m.level, Level::Warn);
    assert!(m.text.contains("Necessary is required"), "{}", m.text);
}

#[test]
fn toggling_a_category_changes_the_preview_and_marks_unsaved() {
    let (_d, mut app) = app();
    let before = app.choices().decision().plan.remove_count();
    press(&mut app, &[Action::Down, Action::Down, Action::Toggle]);
    assert_eq!(app.choices().toggles(), [true, true, false, false]);
    assert!(app.choices().dirty());
    assert_eq!(app.choices().decision().plan.remove_count(), before - 3);
    assert_eq!(app.choices().counts()[1].keep, 3);
    assert_eq!(app.choices().counts()[1].remove, 0);
    assert!(message(&app).contains("Statistical granted"));
    press(&mut app, &[Action::Toggle]);
    assert!(!app.choices().dirty(), "back to the consent in force");
}

#[test]
fn space_in_the_cookies_pane_toggles_the_cookies_category() {
    let (_d, mut app) = app();
    press(&mut app, &[Action::NextPane]);
    // Down to _hjSession (first-party).
    while app
        .list()
        .selected_cookie()
        .is_none_or(|i| app.session().jar().cookies().at(i).name != "_hjSession")
    {
        press(&mut app, &[Action::Down]);
    }
    press(&mut app, &[Action::Toggle]);
    assert_eq!(app.choices().toggles(), [true, false, true, false]);
}

#[test]
fn other_sites_cannot_be_toggled() {
    let (_d, mut app) = app();
    press(&mut app, &[Action::Bottom, Action::Toggle]);
    assert_eq!(app.choices().toggles(), [true, false, false, false]);
    assert!(message(&app).contains("never touched"));
    press(&mut app, &[Action::Top, Action::Toggle]);
    assert!(message(&app).contains("accepts all"));
}

#[test]
fn accept_all_and_reject_all() {
    let (_d, mut app) = app();
    press(&mut app, &[Action::AcceptAll]);
    assert_eq!(app.choices().toggles(), [true; 4]);
    assert_eq!(app.choices().decision().plan.remove_count(), 0);
    assert!(message(&app).contains("nothing would be removed"));
    press(&mut app, &[Action::RejectAll]);
    assert_eq!(app.choices().toggles(), [true, false, false, false]);
    assert_eq!(app.choices().decision().plan.remove_count(), 9);
    assert!(message(&app).contains("9 cookies would be removed"));
    // Other-site and required cookies are never in the plan's removals.
    let cookies = app.session().jar().cookies();
    for i in app.choices().decision().plan.removed() {
        assert!(!["sessionid", "csrftoken", "pref", "sid"].contains(&cookies.at(i).name.as_ref()));
    }
}

// ----- filter -----

#[test]
fn filter_typing_keeping_cancelling_and_clearing() {
    let (_d, mut app) = app();
    press(&mut app, &[Action::Filter]);
    assert_eq!(app.mode(), Mode::Filter);
    // Printable keys are text, even those bound elsewhere (q, s, j).
    for c in "_GA".chars() {
        press(&mut app, &[Action::Text(c)]);
    }
    assert_eq!(app.list().filter(), "_ga");
    assert_eq!(names(&app), ["_ga", "_ga_XYZ"]);
    press(&mut app, &[Action::Backspace, Action::Backspace]);
    assert_eq!(app.list().filter(), "_");
    press(&mut app, &[Action::Text('q')]);
    assert_eq!(app.mode(), Mode::Filter, "q is text here");
    press(&mut app, &[Action::Backspace, Action::Backspace]);
    press(&mut app, &[Action::Text('t'), Action::Text('r')]);
    assert_eq!(app.list().filter(), "tr");
    assert_eq!(names(&app), ["uid", "pixel"], "matches domains too");
    press(&mut app, &[Action::KeepFilter]);
    assert_eq!(app.mode(), Mode::Normal);
    assert_eq!(app.list().filter(), "tr");
    // Editing again and cancelling restores the kept filter.
    press(
        &mut app,
        &[Action::Filter, Action::Text('x'), Action::CancelFilter],
    );
    assert_eq!(app.list().filter(), "tr");
    assert_eq!(names(&app), ["uid", "pixel"]);
    // Esc in the main screen clears it.
    press(&mut app, &[Action::Back]);
    assert_eq!(app.list().filter(), "");
    assert_eq!(names(&app).len(), 11);
}

#[test]
fn a_filter_matching_nothing_leaves_no_rows() {
    let (_d, mut app) = app();
    press(
        &mut app,
        &[
            Action::Filter,
            Action::Text('z'),
            Action::Text('z'),
            Action::Text('z'),
        ],
    );
    assert!(app.list().rows().is_empty());
    assert_eq!(app.list().selected_cookie(), None);
    press(
        &mut app,
        &[
            Action::Down,
            Action::KeepFilter,
            Action::Down,
            Action::Toggle,
        ],
    );
    // Moving in an empty list selects nothing; Space there toggles nothing.
    assert_eq!(app.mode(), Mode::Normal);
    assert_eq!(app.list().filter(), "zzz");
    assert_eq!(
        (app.list().selected(), app.list().selected_cookie()),
        (0, None)
    );
    assert_eq!(app.choices().toggles(), [true, false, false, false]);
    assert!(
        message(&app).contains("Select a category"),
        "{}",
        message(&app)
    );
}

// ----- details, values, help -----

#[test]
fn enter_opens_details_and_n_p_walk_the_cookies() {
    let (_d, mut app) = app();
    press(&mut app, &[Action::NextPane, Action::Down, Action::Open]);
    assert_eq!(app.overlays().get(), Some(&Overlay::Details));
    assert_eq!(app.mode(), Mode::Details);
    let first = app.list().selected_cookie();
    press(&mut app, &[Action::NextItem]);
    assert_ne!(app.list().selected_cookie(), first);
    press(&mut app, &[Action::PrevItem]);
    assert_eq!(app.list().selected_cookie(), first);
    press(&mut app, &[Action::Reveal]);
    assert!(app.revealed());
    press(&mut app, &[Action::Back]);
    assert_eq!(app.overlays().get(), None);
    press(&mut app, &[Action::Reveal]);
    assert!(!app.revealed());
}

/// An app on a jar whose one cookie has a value far longer than a line.
fn long_value_app(w: u16, h: u16) -> (tempfile::TempDir, App, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let s = tui_support::long_value_session(dir.path());
    (dir, app_of(s, w, h), tui_support::long_value())
}

#[test]
fn details_scroll_within_their_lines_at_60x15() {
    let (_d, mut app, _) = long_value_app(60, 15);
    press(
        &mut app,
        &[Action::NextPane, Action::Down, Action::Open, Action::Reveal],
    );
    let cookie = app.list().selected_cookie();
    press(&mut app, &[Action::Down, Action::Down]);
    assert_eq!(app.overlays().scroll(), 2, "j scrolls the details");
    assert_eq!(app.list().selected_cookie(), cookie, "and keeps the cookie");
    press(&mut app, &[Action::Bottom]);
    let last = app.overlays().scroll();
    // 60 columns: a 54-wide popup, 52 inside; 13 rows of 24+ lines.
    assert!(last >= 8, "the end is {last} lines down");
    press(&mut app, &[Action::Down]);
    assert_eq!(app.overlays().scroll(), last, "never past the end");
    press(&mut app, &[Action::Up, Action::Top]);
    assert_eq!(app.overlays().scroll(), 0);
    press(&mut app, &[Action::PageDown, Action::Back]);
    press(&mut app, &[Action::Open]);
    assert_eq!(app.overlays().scroll(), 0, "opened again from the top");
}

#[test]
fn y_copies_the_value_only_once_it_is_shown() {
    let (_d, mut app, value) = long_value_app(80, 24);
    press(&mut app, &[Action::NextPane, Action::Down, Action::Copy]);
    assert_eq!(app.message().map(|m| m.level), Some(Level::Warn));
    assert!(message(&app).contains("v shows them"), "{}", message(&app));
    press(&mut app, &[Action::Reveal]);
    match one_effect(&mut app, Action::Copy) {
        Effect::Copy(text) => assert_eq!(text, value),
        other => panic!("{other:?}"),
    }
    assert!(message(&app).contains("Copied sessionid's value"));
    // In the details too; on a group header there is nothing to copy.
    press(&mut app, &[Action::Open]);
    assert!(matches!(
        one_effect(&mut app, Action::Copy),
        Effect::Copy(_)
    ));
    press(&mut app, &[Action::Back, Action::Up, Action::Copy]);
    assert!(message(&app).contains("Select a cookie"));
}

#[test]
fn enter_on_the_categories_pane_moves_to_the_cookies_and_expands_other_sites() {
    let (_d, mut app) = app();
    press(&mut app, &[Action::Open]);
    assert_eq!(app.focus(), Pane::Cookies);
    press(&mut app, &[Action::Bottom, Action::Open]);
    assert!(app.list().other_expanded());
    assert!(names(&app).ends_with(&["pref".to_string(), "sid".to_string()]));
    press(&mut app, &[Action::Open]);
    assert!(!app.list().other_expanded());
}

/// Issue #15 item 4: `pref` is another site's cookie, in the collapsed group.
#[test]
fn the_filter_searches_collapsed_groups_and_enter_lands_on_the_first_match() {
    let (_d, mut app) = app();
    assert!(!names(&app).contains(&"pref".to_string()), "collapsed");
    press(
        &mut app,
        &[Action::Filter, Action::Text('p'), Action::Text('r')],
    );
    press(
        &mut app,
        &[Action::Text('e'), Action::Text('f'), Action::KeepFilter],
    );
    assert_eq!(names(&app), ["pref"]);
    assert_eq!(app.list().shown(), 1);
    assert!(
        message(&app).contains("1 cookie shown"),
        "{}",
        message(&app)
    );
    let cookies = app.session().jar().cookies();
    let selected = app
        .list()
        .selected_cookie()
        .map(|i| cookies.at(i).name.to_string());
    assert_eq!(selected.as_deref(), Some("pref"), "on the first match");
    press(&mut app, &[Action::Open]);
    assert_eq!(
        app.overlays().get(),
        Some(&Overlay::Details),
        "Enter again: its details"
    );
    press(&mut app, &[Action::Back, Action::Back]);
    assert_eq!(app.list().filter(), "");
    assert!(
        !names(&app).contains(&"pref".to_string()),
        "collapsed again"
    );
}

#[test]
fn messages_are_kept_for_the_help_once_each_newest_last() {
    let (_d, mut app) = app();
    assert!(app.log().is_empty());
    press(
        &mut app,
        &[Action::RejectAll, Action::RejectAll, Action::AcceptAll],
    );
    let texts: Vec<&str> = app.log().iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts.len(), 2, "said twice in a row, kept once: {texts:?}");
    assert!(texts[0].starts_with("All optional categories refused"));
    assert!(texts[1].starts_with("All categories granted"));
    for _ in 0..30 {
        press(&mut app, &[Action::Reveal]);
    }
    assert_eq!(app.log().len(), 20, "the last twenty");
    assert_eq!(
        message(&app),
        app.log().back().map(|m| m.text.clone()).unwrap_or_default()
    );
}

#[test]
fn help_opens_scrolls_and_closes() {
    let (_d, mut app) = app();
    press(&mut app, &[Action::Help]);
    assert_eq!(app.mode(), Mode::Help);
    press(&mut app, &[Action::Down, Action::Down]);
    assert_eq!(app.overlays().scroll(), 2);
    press(&mut app, &[Action::Up, Action::Top]);
    assert_eq!(app.overlays().scroll(), 0);
    press(&mut app, &[Action::Bottom]);
    let last = app.overlays().scroll();
    assert!(last > 10, "the help is long: {last}");
    press(&mut app, &[Action::PageUp]);
    let page = last - app.overlays().scroll();
    assert!(page > 1, "a page is several lines: {page}");
    press(&mut app, &[Action::PageDown]);
    assert_eq!(app.overlays().scroll(), last);
    press(&mut app, &[Action::Help]);
    assert_eq!(app.overlays().get(), None);
    press(&mut app, &[Action::Help, Action::Back]);
    assert_eq!(app.overlays().get(), None);
}

#[test]
fn esc_backs_out_one_level_at_a_time() {
    let (_d, mut app) = app();
    press(&mut app, &[Action::Down, Action::Down, Action::NextPane]);
    press(
        &mut app,
        &[Action::Filter, Action::Text('g'), Action::KeepFilter],
    );
    press(&mut app, &[Action::Back]);
    assert_eq!(app.list().filter(), "");
    assert_eq!(app.focus(), Pane::Cookies);
    press(&mut app, &[Action::Back]);
    assert_eq!(app.focus(), Pane::Categories);
    assert_eq!(app.categories().selected(), 2);
    press(&mut app, &[Action::Back]);
    assert_eq!(app.categories().selected(), 0);
    press(&mut app, &[Action::Back, Action::Back]);
    assert!(message(&app).contains("q quits"));
}

// ----- quitting -----

#[test]
fn quit_without_changes_quits() {
    let (_d, mut app) = app();
    assert!(matches!(one_effect(&mut app, Action::Quit), Effect::Quit));
}

#[test]
fn quit_with_unsaved_changes_asks_and_discard_quits() {
    let (_d, mut app) = app();
    press(&mut app, &[Action::AcceptAll, Action::Quit]);
    assert_eq!(app.mode(), Mode::Unsaved);
    assert_eq!(
        app.overlays().get(),
        Some(&Overlay::Unsaved { then: After::Quit })
    );
    // Cancel goes back with the choices intact.
    press(&mut app, &[Action::No]);
    assert_eq!(app.overlays().get(), None);
    assert!(app.choices().dirty());
    press(&mut app, &[Action::Quit, Action::Back]);
    assert!(app.choices().dirty());
    press(&mut app, &[Action::Quit]);
    assert!(matches!(
        one_effect(&mut app, Action::Discard),
        Effect::Quit
    ));
}

#[test]
fn ctrl_c_always_quits() {
    let (_d, mut app) = app();
    press(
        &mut app,
        &[Action::AcceptAll, Action::Filter, Action::Text('a')],
    );
    assert!(matches!(
        one_effect(&mut app, Action::ForceQuit),
        Effect::Quit
    ));
    press(&mut app, &[Action::CancelFilter, Action::Save]);
    assert_eq!(app.mode(), Mode::Confirm);
    assert!(matches!(
        one_effect(&mut app, Action::ForceQuit),
        Effect::Quit
    ));
}

// ----- saving -----

#[test]
fn save_asks_naming_the_effect_and_no_cancels() {
    let (_d, mut app) = app();
    press(&mut app, &[Action::RejectAll, Action::Save]);
    assert_eq!(app.mode(), Mode::Confirm);
    assert_eq!(
        app.choices().confirm_question(app.session()),
        "Remove 9 cookies (Statistical 3, Internal (first-party) 3, Third-party 3) and store your choice for www.portal.test?"
    );
    press(&mut app, &[Action::No]);
    assert_eq!(app.overlays().get(), None);
    assert!(message(&app).contains("Nothing saved"));
    press(&mut app, &[Action::Save, Action::Back]);
    assert_eq!(app.overlays().get(), None);
}

#[test]
fn yes_hands_the_engine_decision_to_the_loop_dated_now() {
    let (_d, mut app) = app();
    let later = now() + Duration::hours(2);
    press(&mut app, &[Action::RejectAll, Action::Save]);
    happen(&mut app, vec![Event::Clock(later)]);
    match one_effect(&mut app, Action::Yes) {
        Effect::Save { decision, then } => {
            assert_eq!(then, After::Stay);
            assert_eq!(decision.plan.actions, app.choices().decision().plan.actions);
            assert!(decision.new_choice);
            let v = decision.value.expect("a consent value");
            assert_eq!(v.given, later);
            assert_eq!(v.site, SITE);
        }
        other => panic!("expected a save, got {other:?}"),
    }
    assert_eq!(app.overlays().get(), None);
}

#[test]
fn saving_writes_the_jar_then_nothing_is_left_to_save() {
    let (dir, mut app) = disk_app();
    let path = dir.path().join("cookies.txt");
    let before = std::fs::read(&path).expect("jar");
    press(&mut app, &[Action::RejectAll, Action::Save]);
    let effects = app.update(Action::Yes);
    assert!(!run_effects(&mut app, effects));
    let after = std::fs::read(&path).expect("jar");
    assert_ne!(before, after);
    assert!(
        message(&app).contains("removed 9 cookies"),
        "{}",
        message(&app)
    );
    assert!(
        !app.choices().dirty(),
        "the saved choice is now the consent in force"
    );
    assert_eq!(app.choices().in_force().state.as_str(), "valid");
    assert_eq!(app.choices().toggles(), [true, false, false, false]);
    assert_eq!(
        app.session().jar().cookies().len(),
        13 - 9 + 1,
        "the preferences cookie was added"
    );
    // A consent record and a log line were written.
    assert!(dir.path().join("config/consent").exists());
    assert!(dir.path().join("data/consent-log.jsonl").exists());
    press(&mut app, &[Action::Save]);
    assert!(message(&app).contains("Nothing to save"));
    assert_eq!(app.overlays().get(), None);
}

#[test]
fn the_tui_save_writes_what_prune_reject_all_writes() {
    let (dir, mut app) = disk_app();
    press(&mut app, &[Action::RejectAll, Action::Save]);
    let effects = app.update(Action::Yes);
    run_effects(&mut app, effects);
    let tui = std::fs::read_to_string(dir.path().join("cookies.txt")).expect("jar");

    let other = tempfile::tempdir().expect("temp dir");
    let mut s = disk_session(other.path());
    let reject = Choice {
        reject_all: true,
        ..Choice::default()
    };
    let d = s.decide(&reject, false, now()).expect("decide");
    s.commit(&d, false, now()).expect("commit");
    let prune = std::fs::read_to_string(other.path().join("cookies.txt")).expect("jar");
    // Same bytes except the consent id inside the preferences value.
    let mask = |t: &str| -> Vec<String> {
        t.lines()
            .map(|l| {
                if l.contains("cookies_preferences") {
                    l.split('\t').take(6).collect::<Vec<_>>().join("\t")
                } else {
                    l.to_string()
                }
            })
            .collect()
    };
    assert_eq!(mask(&tui), mask(&prune));
    assert!(tui.contains("cookies_preferences"));
}

#[test]
fn quit_then_save_saves_and_quits() {
    let (_dir, mut app) = disk_app();
    press(&mut app, &[Action::AcceptAll, Action::Quit, Action::Save]);
    assert_eq!(
        app.overlays().get(),
        Some(&Overlay::Confirm { then: After::Quit })
    );
    let effects = app.update(Action::Yes);
    assert!(matches!(
        &effects[..],
        [Effect::Save {
            then: After::Quit,
            ..
        }]
    ));
    assert!(run_effects(&mut app, effects), "quits once saved");
}

#[test]
fn a_jar_changed_on_disk_is_not_overwritten_and_can_be_reloaded() {
    let (dir, mut app) = disk_app();
    let path = dir.path().join("cookies.txt");
    let mut text = std::fs::read_to_string(&path).expect("jar");
    text.push_str("www.portal.test\tFALSE\t/\tFALSE\t1900000000\tnewcomer\tn\n");
    std::fs::write(&path, &text).expect("rewrite");
    // Grant statistical: first-party and third-party cookies go.
    press(
        &mut app,
        &[Action::Down, Action::Down, Action::Toggle, Action::Save],
    );
    let effects = app.update(Action::Yes);
    let Some(Effect::Save { .. }) = effects.first() else {
        panic!("expected a save: {effects:?}");
    };
    let outcome =
        effects::perform(&effects[0], app.session_for_effect(), now()).expect("an outcome");
    assert!(matches!(
        outcome,
        Event::Failed {
            what: Failure::Changed,
            ..
        }
    ));
    happen(&mut app, vec![outcome]);
    assert_eq!(app.mode(), Mode::Changed);
    assert!(message(&app).contains("changed on disk"));
    assert_eq!(
        std::fs::read_to_string(&path).expect("jar"),
        text,
        "untouched"
    );
    // No → back, still unsaved.
    press(&mut app, &[Action::No]);
    assert!(app.choices().dirty());
    // Saving again fails the same way; this time reload.
    press(&mut app, &[Action::Save]);
    let effects = app.update(Action::Yes);
    run_effects(&mut app, effects);
    assert_eq!(app.mode(), Mode::Changed);
    let reload = one_effect(&mut app, Action::Yes);
    assert!(matches!(reload, Effect::Reload));
    run_effects(&mut app, vec![reload]);
    assert!(message(&app).contains("choices are kept"));
    assert!(app.choices().dirty(), "the choice survived the reload");
    assert_eq!(app.choices().toggles(), [true, true, false, false]);
    assert_eq!(app.session().jar().cookies().len(), 14);
    press(&mut app, &[Action::Save]);
    let effects = app.update(Action::Yes);
    run_effects(&mut app, effects);
    assert!(
        message(&app).contains("removed 7 cookies"),
        "{}",
        message(&app)
    );
}

#[test]
fn undo_asks_then_restores_the_backup() {
    let (dir, mut app) = disk_app();
    let path = dir.path().join("cookies.txt");
    let original = std::fs::read(&path).expect("jar");
    // Nothing saved yet (#15.7): undo looks for a backup before asking.
    let check = one_effect(&mut app, Action::Undo);
    assert!(matches!(check, Effect::CheckUndo));
    run_effects(&mut app, vec![check]);
    assert_eq!(app.mode(), Mode::Normal, "no question without a backup");
    assert!(
        message(&app).contains("Nothing to undo"),
        "{}",
        message(&app)
    );
    // Save, then undo.
    let in_force = app.choices().in_force().clone();
    press(&mut app, &[Action::RejectAll, Action::Save]);
    let effects = app.update(Action::Yes);
    run_effects(&mut app, effects);
    assert_ne!(std::fs::read(&path).expect("jar"), original);
    let records = || crumbs::consent::list_records(&dirs(dir.path())).expect("records");
    assert_eq!(records().len(), 1, "the save stored the choice");
    assert_ne!(app.choices().in_force(), &in_force);
    let check = app.update(Action::Undo);
    run_effects(&mut app, check);
    assert_eq!(app.mode(), Mode::ConfirmUndo, "a backup: the question");
    press(&mut app, &[Action::No]);
    assert!(message(&app).contains("Nothing restored"));
    let check = app.update(Action::Undo);
    run_effects(&mut app, check);
    let effects = app.update(Action::Yes);
    run_effects(&mut app, effects);
    assert_eq!(std::fs::read(&path).expect("jar"), original);
    assert!(message(&app).contains("Restored"), "{}", message(&app));
    assert_eq!(app.session().jar().cookies().len(), 13);
    // The choice the save stored goes too (#13.6): the consent in force is
    // again what it was before the save.
    assert_eq!(records().len(), 0, "the record the save wrote is gone");
    assert_eq!(app.choices().in_force(), &in_force);
}

/// The runner takes effects in the loop's order: the first given is carried
/// out first, so the last message is the last effect's.
#[test]
fn effects_are_carried_out_first_in_first_out() {
    let (_dir, mut app) = disk_app();
    run_effects(&mut app, vec![Effect::Undo, Effect::Reload]);
    assert!(message(&app).starts_with("Read "), "{}", message(&app));
    run_effects(&mut app, vec![Effect::Reload, Effect::Undo]);
    assert!(message(&app).contains("No backup"), "{}", message(&app));
}

#[test]
fn failures_are_reported() {
    let (_d, mut app) = app();
    happen(
        &mut app,
        vec![Event::Failed {
            what: Failure::Save,
            message: "Not saved: disk full".into(),
        }],
    );
    let m = app.message().expect("message");
    assert_eq!(
        (m.level, m.text.as_str()),
        (Level::Warn, "Not saved: disk full")
    );
    assert_eq!(app.overlays().get(), None);
}

#[test]
fn loaded_sessions_replace_the_state() {
    let (dir, mut app) = app();
    press(&mut app, &[Action::AcceptAll]);
    let fresh = memory_session(dir.path());
    happen(
        &mut app,
        vec![Event::Loaded {
            session: Box::new(fresh.clone()),
            why: Loaded::Reloaded,
        }],
    );
    assert_eq!(
        app.choices().toggles(),
        [true; 4],
        "a reload keeps the choices"
    );
    happen(
        &mut app,
        vec![Event::Loaded {
            session: Box::new(fresh),
            why: Loaded::Site,
        }],
    );
    assert_eq!(
        app.choices().toggles(),
        [true, false, false, false],
        "a new site starts from its consent"
    );
}

// ----- several sites -----

const TWO_SITES: &str = "# Netscape HTTP Cookie File\n\
a.portal.test\tFALSE\t/\tFALSE\t1900000000\t_ga\t1\n\
b.portal.test\tFALSE\t/\tFALSE\t1900000000\t_ga\t2\n\
b.portal.test\tFALSE\t/\tTRUE\t0\tsessionid\t3\n";

#[test]
fn the_site_picker_switches_site() {
    let dir = tempfile::tempdir().expect("temp dir");
    let jar = crumbs::jar::Jar::from_bytes(
        std::path::Path::new("two.txt"),
        TWO_SITES.as_bytes().to_vec(),
        Default::default(),
    )
    .expect("jar");
    let s = tui_support::session_of(
        jar,
        tui_support::policy(),
        Some("a.portal.test"),
        dir.path(),
    );
    let mut app = app_of(s, 100, 30);
    assert_eq!(sites(&app), ["a.portal.test", "b.portal.test"]);
    press(&mut app, &[Action::PrevPane]);
    assert_eq!(app.focus(), Pane::Sites);
    press(&mut app, &[Action::Open]);
    assert!(message(&app).contains("Already managing a.portal.test"));
    press(&mut app, &[Action::Down]);
    let switch = one_effect(&mut app, Action::Open);
    assert!(matches!(&switch, Effect::SwitchSite(s) if s.site() == "b.portal.test"));
    run_effects(&mut app, vec![switch]);
    assert_eq!(app.session().site(), "b.portal.test");
    assert!(message(&app).contains("Managing b.portal.test"));
    // With unsaved choices, switching asks first; discarding switches.
    press(&mut app, &[Action::AcceptAll, Action::Up, Action::Toggle]);
    assert!(matches!(
        app.overlays().get(),
        Some(Overlay::Unsaved { then: After::Site(s) }) if s.site() == "a.portal.test"
    ));
    let switch = one_effect(&mut app, Action::Discard);
    run_effects(&mut app, vec![switch]);
    assert_eq!(app.session().site(), "a.portal.test");
}

// ----- mouse and size -----

#[test]
fn clicks_select_and_toggle_and_the_wheel_scrolls() {
    let (_d, mut app) = app();
    // 100×30: header 3 rows, the site picker (two scopes: 4 rows), then the
    // categories pane: border, titles, then rows.
    let statistical_row = 3 + 4 + 1 + 1 + 2;
    press(
        &mut app,
        &[Action::Click {
            column: 12,
            row: statistical_row,
        }],
    );
    assert_eq!(app.focus(), Pane::Categories);
    assert_eq!(app.categories().selected_item(), CategoryItem::Category(1));
    assert_eq!(
        app.choices().toggles(),
        [true, false, false, false],
        "a click on the label only selects"
    );
    press(
        &mut app,
        &[Action::Click {
            column: 2,
            row: statistical_row,
        }],
    );
    assert_eq!(
        app.choices().toggles(),
        [true, true, false, false],
        "a click on the checkbox toggles"
    );
    // A click in the cookies pane selects that row.
    press(
        &mut app,
        &[Action::Click {
            column: 60,
            row: 3 + 1 + 1 + 1,
        }],
    );
    assert_eq!(app.focus(), Pane::Cookies);
    assert_eq!(app.list().selected(), 1);
    // Clicks outside any pane do nothing.
    press(
        &mut app,
        &[
            Action::Click { column: 0, row: 0 },
            Action::Click {
                column: 999,
                row: 999,
            },
        ],
    );
    assert_eq!(app.list().selected(), 1);
    // The wheel over the cookies pane moves three rows (Statistical: a header and three cookies).
    press(
        &mut app,
        &[
            Action::Top,
            Action::ScrollDown {
                column: 60,
                row: 10,
            },
        ],
    );
    assert_eq!(app.list().selected(), 3);
    press(
        &mut app,
        &[Action::ScrollUp {
            column: 60,
            row: 10,
        }],
    );
    assert_eq!(app.list().selected(), 0);
    press(&mut app, &[Action::ScrollDown { column: 5, row: 10 }]);
    assert_eq!(app.focus(), Pane::Categories);
    assert_eq!(app.categories().selected(), 3, "one entry per notch");
}

#[test]
fn resize_and_clock() {
    let (_d, mut app) = app();
    happen(
        &mut app,
        vec![Event::Resize {
            width: 0,
            height: 0,
        }],
    );
    assert_eq!(app.size().width, 0);
    press(
        &mut app,
        &[
            Action::NextPane,
            Action::Bottom,
            Action::PageUp,
            Action::Down,
        ],
    );
    happen(
        &mut app,
        vec![Event::Resize {
            width: 61,
            height: 15,
        }],
    );
    assert_eq!((app.size().width, app.size().height), (61, 15));
    let later = now() + Duration::days(1);
    happen(&mut app, vec![Event::Clock(later)]);
    assert_eq!(app.now(), later);
}

#[test]
fn every_mode_ignores_actions_it_does_not_know() {
    let (_d, mut app) = app();
    let all = [
        Action::Up,
        Action::Down,
        Action::Top,
        Action::Bottom,
        Action::PageUp,
        Action::PageDown,
        Action::NextPane,
        Action::PrevPane,
        Action::Reveal,
        Action::Text('x'),
        Action::Backspace,
        Action::KeepFilter,
        Action::CancelFilter,
        Action::Click { column: 1, row: 1 },
        Action::ScrollUp { column: 1, row: 1 },
        Action::ScrollDown { column: 1, row: 1 },
    ];
    for setup in [
        vec![Action::Help],
        vec![Action::RejectAll, Action::Save],
        vec![],
        vec![Action::AcceptAll, Action::Quit],
    ] {
        let mut a = app.clone();
        if setup.is_empty() {
            // The undo question, once the loop found a backup.
            happen(&mut a, vec![Event::UndoChecked { backup: true }]);
        }
        press(&mut a, &setup);
        let mode = a.mode();
        for action in &all {
            let e = a.update(*action);
            assert!(e.is_empty(), "{mode:?} {action:?} gave {e:?}");
            assert_eq!(a.mode(), mode, "{action:?} left {mode:?}");
        }
    }
    // Answers with no question open do nothing either.
    let before = message(&app);
    press(&mut app, &[Action::Yes, Action::No, Action::Discard]);
    assert_eq!((app.mode(), app.overlays().get()), (Mode::Normal, None));
    assert_eq!(message(&app), before);
    assert!(!app.choices().dirty());
}

/// A jar of `n` cookies on www.portal.test (`pN`) and on other sites (`oN`).
fn big_app(dir: &std::path::Path, n: usize) -> App {
    use std::fmt::Write as _;
    let mut text = String::from("# Netscape HTTP Cookie File\n");
    for i in 0..n {
        let domain = if i % 2 == 0 {
            "www.portal.test"
        } else {
            "other.example"
        };
        let prefix = if i % 2 == 0 { 'p' } else { 'o' };
        let _ = writeln!(text, "{domain}\tFALSE\t/\tFALSE\t0\t{prefix}{i}\tv");
    }
    app_of(
        tui_support::disk_session_of(dir, &text, tui_support::policy()),
        100,
        30,
    )
}

#[test]
fn a_filter_on_a_big_jar_goes_a_slice_per_tick() {
    let dir = tempfile::tempdir().expect("temp dir");
    let n = 3 * crumbs::tui::list::FILTER_STEP;
    let mut app = big_app(dir.path(), n);
    press(&mut app, &[Action::Filter]);
    assert!(!app.list().busy(), "opening the filter starts no work");
    let before = app.list().rows().to_vec();
    // "p1" matches p1, p10…: the first slice cannot have seen them all.
    press(&mut app, &[Action::Text('p'), Action::Text('1')]);
    assert!(app.list().busy());
    let (filter, percent) = app.list().filtering().expect("filtering");
    assert_eq!(filter, "p1");
    assert!(percent < 100, "{percent}%");
    assert_eq!(
        app.list().rows(),
        before,
        "the old rows stay until the new ones are whole"
    );
    // Enter while it works: the count is announced when it is done.
    press(&mut app, &[Action::KeepFilter]);
    assert_eq!(app.mode(), Mode::Normal);
    let mut ticks = 0;
    while app.list().busy() {
        happen(&mut app, vec![Event::Tick]);
        ticks += 1;
        assert!(
            ticks <= n / crumbs::tui::list::FILTER_STEP + 2,
            "never finishes"
        );
    }
    assert!(ticks >= 1);
    let want = (0..n)
        .filter(|i| i % 2 == 0 && i.to_string().starts_with('1'))
        .count();
    assert_eq!(app.list().shown(), want);
    assert!(names(&app).iter().all(|name| name.starts_with("p1")));
    assert!(
        message(&app).contains(&format!("{want} cookies shown")),
        "{}",
        message(&app)
    );
    // Clearing the filter (Esc) needs no look at the cookies: done at once.
    press(&mut app, &[Action::Back]);
    assert!(!app.list().busy());
    assert_eq!(
        app.list().shown(),
        n / 2,
        "the site's cookies (other sites stay collapsed)"
    );
}

/// Issue #15 item 6: `d` marks the selected cookie whatever its category
/// (here a required one), the preview counts it, `d` again undoes it, and
/// the next save removes it after the same confirmation.
#[test]
fn d_marks_a_cookie_for_the_next_save_whatever_its_category() {
    let (dir, mut app) = disk_app();
    press(&mut app, &[Action::AcceptAll, Action::Mark]);
    assert!(
        message(&app).contains("Select a cookie"),
        "{}",
        message(&app)
    );
    press(&mut app, &[Action::NextPane, Action::Down]);
    assert_eq!(app.list().selected_cookie(), Some(0), "sessionid");
    press(&mut app, &[Action::Mark]);
    assert_eq!(
        message(&app),
        "sessionid marked for removal (d again keeps it): 1 cookie would be removed (s saves)"
    );
    assert_eq!(app.choices().counts()[0].remove, 1, "counted in Necessary");
    press(&mut app, &[Action::Mark]);
    assert_eq!(app.choices().removals(), 0, "d again unmarks");
    assert!(message(&app).starts_with("sessionid no longer marked"));
    press(&mut app, &[Action::Mark, Action::Save]);
    assert_eq!(
        app.choices().confirm_question(app.session()),
        "Remove 1 cookie (Necessary 1; 1 marked with d) and store your choice for www.portal.test?"
    );
    let effects = app.update(Action::Yes);
    assert!(!run_effects(&mut app, effects));
    let jar = std::fs::read_to_string(dir.path().join("cookies.txt")).expect("jar");
    assert!(!jar.contains("sessionid"), "{jar}");
    assert!(
        jar.contains("\tcsrftoken\t"),
        "the rest of its category stays"
    );
    assert!(app.choices().marked().is_empty(), "done: nothing marked");
    assert!(!app.choices().dirty());
}

/// Issue #15 item 7: in the cookies pane Esc closes an opened group before
/// the focus moves; h/l and ←/→ move between panes like Tab.
#[test]
fn esc_closes_the_opened_group_first_and_h_l_move_between_panes() {
    let (_d, mut app) = app();
    press(&mut app, &[Action::NextPane, Action::Bottom, Action::Open]);
    assert!(app.list().other_expanded());
    press(&mut app, &[Action::Down, Action::Back]);
    assert!(!app.list().other_expanded(), "Esc closed the group");
    assert_eq!(app.focus(), Pane::Cookies, "the focus stays");
    press(&mut app, &[Action::Back]);
    assert_eq!(app.focus(), Pane::Categories);
    use crumbs::tui::keymap::resolve;
    use crumbs::tui::mode::Mode;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let key = |c| KeyEvent::new(c, KeyModifiers::NONE);
    for (code, want) in [
        (KeyCode::Char('l'), Action::NextPane),
        (KeyCode::Right, Action::NextPane),
        (KeyCode::Char('h'), Action::PrevPane),
        (KeyCode::Left, Action::PrevPane),
    ] {
        assert_eq!(resolve(Mode::Normal, &key(code)), Some(want), "{code:?}");
    }
    assert_eq!(
        resolve(Mode::Filter, &key(KeyCode::Char('l'))),
        Some(Action::Text('l')),
        "typed text in a filter"
    );
}
