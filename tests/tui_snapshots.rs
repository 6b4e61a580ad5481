//! The screen as text: `TestBackend` renders of the TUI compared with
//! committed insta snapshots (a fixed clock keeps them stable).

mod tui_support;

use std::time::Duration;

use crumbs::tui::action::Action;
use crumbs::tui::app::App;
use crumbs::tui::event::Event;
use crumbs::tui::loading::Loading;
use tui_support::{app_of, memory_session, render, render_widget};
use unicode_width::UnicodeWidthStr;

fn app(w: u16, h: u16) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = app_of(memory_session(dir.path()), w, h);
    (dir, app)
}

/// Checks that `screen` (a render as text) is `h` lines of `w` columns each
/// (quoted), and gives its lines without the quotes.
fn fits(screen: &str, w: u16, h: u16) -> Vec<&str> {
    if w == 0 || h == 0 {
        assert_eq!(screen, "", "nothing to draw on {w}×{h}");
        return vec![];
    }
    let lines: Vec<&str> = screen.lines().collect();
    assert_eq!(lines.len(), usize::from(h), "{w}×{h}:\n{screen}");
    for l in &lines {
        assert_eq!(l.width(), usize::from(w) + 2, "{w}×{h}: {l}");
    }
    lines.iter().map(|l| &l[1..l.len() - 1]).collect()
}

fn press(app: &mut App, actions: &[Action]) {
    for a in actions {
        let effects = app.update(*a);
        assert!(effects.is_empty(), "{a:?} gave {effects:?}");
    }
}

#[test]
fn main_screen() {
    let (_d, app) = app(100, 30);
    insta::assert_snapshot!("main_100x30", render(&app, 100, 30));
}

#[test]
fn main_screen_after_reject_all_in_cookies_pane() {
    let (_d, mut app) = app(100, 30);
    press(
        &mut app,
        &[
            Action::RejectAll,
            Action::NextPane,
            Action::Down,
            Action::Down,
        ],
    );
    insta::assert_snapshot!("reject_all_100x30", render(&app, 100, 30));
}

#[test]
fn wide_screen_with_all_columns() {
    let (_d, mut app) = app(140, 30);
    // Enter on the collapsed other-sites header expands it.
    press(
        &mut app,
        &[
            Action::AcceptAll,
            Action::NextPane,
            Action::Bottom,
            Action::Open,
            Action::Down,
        ],
    );
    insta::assert_snapshot!("accept_all_other_sites_140x30", render(&app, 140, 30));
}

#[test]
fn help_overlay() {
    let (_d, mut app) = app(100, 40);
    press(&mut app, &[Action::Help]);
    insta::assert_snapshot!("help_100x40", render(&app, 100, 40));
}

#[test]
fn save_confirmation() {
    let (_d, mut app) = app(100, 30);
    press(&mut app, &[Action::RejectAll, Action::Save]);
    insta::assert_snapshot!("confirm_100x30", render(&app, 100, 30));
}

#[test]
fn unsaved_question() {
    let (_d, mut app) = app(80, 24);
    press(&mut app, &[Action::AcceptAll, Action::Quit]);
    insta::assert_snapshot!("unsaved_80x24", render(&app, 80, 24));
}

#[test]
fn details_overlay_masked_then_revealed() {
    let (_d, mut app) = app(100, 30);
    // All → first group header → first cookie (sessionid).
    press(&mut app, &[Action::NextPane, Action::Down, Action::Open]);
    insta::assert_snapshot!("details_masked_100x30", render(&app, 100, 30));
    press(&mut app, &[Action::Reveal]);
    insta::assert_snapshot!("details_revealed_100x30", render(&app, 100, 30));
}

/// The reference size: a long value revealed wraps whole in the details,
/// and at 60×15 the details scroll, saying where the view is.
#[test]
fn details_with_a_long_value_revealed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = app_of(tui_support::long_value_session(dir.path()), 80, 24);
    press(&mut app, &[Action::NextPane, Action::Down, Action::Reveal]);
    insta::assert_snapshot!("details_pane_long_value_80x24", render(&app, 80, 24));
    press(&mut app, &[Action::Open]);
    let screen = render(&app, 80, 24);
    let value = tui_support::long_value();
    let shown: String = screen
        .lines()
        .filter_map(|l| l.split('│').nth(2))
        .skip_while(|l| !l.starts_with("Value"))
        .take_while(|l| l.starts_with("Value") || l.starts_with("  "))
        .map(|l| l.trim_start_matches("Value").trim())
        .collect();
    assert!(
        shown.contains(&value),
        "the whole value, wrapped:\n{screen}"
    );
    insta::assert_snapshot!("details_long_value_80x24", screen);
    app.on(Event::Resize {
        width: 60,
        height: 15,
    });
    press(&mut app, &[Action::Down, Action::Down]);
    insta::assert_snapshot!("details_scrolled_60x15", render(&app, 60, 15));
}

/// Issue #15 items 2 and 3 at 80×24: `? help` stays; a long message wins
/// over the counter, the jar's path in it shortens from the middle (as in
/// the header), the rest is cut at a word, and the help shows it whole.
#[test]
fn long_messages_and_the_help_key_at_80x24() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path =
        "/home/someone/.local/share/a-rather-long-folder/profiles/abc123.default/cookies.txt";
    let jar = crumbs::jar::Jar::from_bytes(
        std::path::Path::new(path),
        tui_support::JAR.as_bytes().to_vec(),
        Default::default(),
    )
    .expect("jar");
    let s = tui_support::session_of(jar, tui_support::policy(), None, dir.path());
    let mut app = app_of(s, 80, 24);
    let first = render(&app, 80, 24);
    let status = first.lines().last().unwrap_or_default().to_string();
    assert!(status.contains("? help"), "{status}");
    assert!(status.contains("9 of 13 to remove"), "{status}");
    app.on(Event::Failed {
        what: crumbs::tui::event::Failure::Reload,
        message: format!("Could not read {path} again: it is locked by another program"),
    });
    let screen = render(&app, 80, 24);
    let status = screen.lines().last().unwrap_or_default();
    assert!(status.contains("? help"), "{status}");
    assert!(!status.contains("to remove"), "the message wins: {status}");
    assert!(status.contains("…/cookies.txt again"), "{status}");
    insta::assert_snapshot!("long_message_80x24", screen);
    press(&mut app, &[Action::Help]);
    let help = render(&app, 80, 24);
    assert!(help.contains("Last messages"), "{help}");
    assert!(help.contains("it is locked by another program"), "{help}");
    insta::assert_snapshot!("help_with_messages_80x24", help);
}

/// Issue #15 item 4 at 80×24: a filter kept on a cookie of the collapsed
/// other-sites group opens it, with the selection on the match.
#[test]
fn filter_on_a_collapsed_group_80x24() {
    let (_d, mut app) = app(80, 24);
    press(
        &mut app,
        &[Action::Filter, Action::Text('s'), Action::Text('i')],
    );
    press(&mut app, &[Action::Text('d'), Action::KeepFilter]);
    let screen = render(&app, 80, 24);
    assert!(screen.contains("▾ Other sites"), "{screen}");
    assert!(screen.contains(">   other  sid"), "{screen}");
    insta::assert_snapshot!("filter_collapsed_80x24", screen);
}

/// Issue #15 item 5: counts compact (`19.9k`) in columns as wide as they
/// need, undeclared cookies marked `?` in their own column at 80×24, names
/// never cut by a note.
#[test]
fn compact_counts_and_marks_80x24() {
    use std::fmt::Write;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut text = String::from("# Netscape HTTP Cookie File\n");
    for i in 0..19_900 {
        let _ = writeln!(text, "www.portal.test\tFALSE\t/\tFALSE\t0\tc{i}\tv");
    }
    for i in 0..1_234 {
        let _ = writeln!(text, "elsewhere.example\tFALSE\t/\tFALSE\t0\to{i}\tv");
    }
    let jar = crumbs::jar::Jar::from_bytes(
        std::path::Path::new("big.txt"),
        text.into_bytes(),
        Default::default(),
    )
    .expect("jar");
    let s = tui_support::session_of(jar, tui_support::policy(), None, dir.path());
    let app = app_of(s, 80, 24);
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("│>    All cookies     0    19.9k │"),
        "{screen}"
    );
    assert!(screen.contains("Other sites (n… 1.2k -     │"), "{screen}");
    assert!(
        screen.contains("✗ remove c0   www.portal.test ? /"),
        "{screen}"
    );
    assert!(!screen.contains("(undeclared)"), "{screen}");
    insta::assert_snapshot!("compact_counts_80x24", screen);
}

/// The demo jar under its shipped policy, read from memory.
fn demo_app(w: u16, h: u16) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("temp dir");
    let jar = crumbs::jar::Jar::from_bytes(
        std::path::Path::new("cookies.txt"),
        crumbs::demo::JAR.as_bytes().to_vec(),
        Default::default(),
    )
    .expect("demo jar");
    let policy = crumbs::policy::Policy::from_json(
        include_str!("../assets/policies/opendatasoft.json"),
        "opendatasoft.json",
    )
    .expect("shipped policy");
    let app = app_of(tui_support::session_of(jar, policy, None, dir.path()), w, h);
    (dir, app)
}

/// Issue #15 item 5: at 200 columns the categories pane is as wide as its
/// labels (nothing cut) and the cookies' columns hold their content: the
/// `/backoffice/` path whole, the note in words.
#[test]
fn wide_terminal_columns_follow_the_content_200x40() {
    let (_d, mut app) = demo_app(200, 40);
    press(&mut app, &[Action::NextPane, Action::Bottom]);
    let screen = render(&app, 200, 40);
    let lines = fits(&screen, 200, 40);
    for l in &lines[4..11] {
        let categories: String = l.chars().take_while(|&c| c != '┐' && c != '┤').collect();
        let pane: String = categories.split("││").next().unwrap_or("").to_string();
        assert!(!pane.contains('…'), "a label cut at 200 columns: {l}");
    }
    assert!(
        screen.contains("Necessary / functionality (required)"),
        "{screen}"
    );
    assert!(!screen.contains("/backof…"), "{screen}");
    assert!(screen.contains("undeclared"), "{screen}");
    insta::assert_snapshot!("demo_200x40", screen);
}

/// Issue #15 item 6: a cookie marked with `d` says so in its row
/// (`✗ marked`; `d` when narrow) and in the counts.
#[test]
fn a_marked_cookie_shows_as_such_80x24_and_60x15() {
    for (w, h, mark, count) in [
        (
            80,
            24,
            "✗ marked sessionid",
            "Necessary — 2 cookies, 1 to remove",
        ),
        (60, 15, "d sessionid", "Necessary (re… 1    1 "),
    ] {
        let (_d, mut app) = app(w, h);
        press(
            &mut app,
            &[
                Action::AcceptAll,
                Action::NextPane,
                Action::Down,
                Action::Mark,
            ],
        );
        let screen = render(&app, w, h);
        assert!(screen.contains(mark), "{screen}");
        assert!(screen.contains(count), "{screen}");
        insta::assert_snapshot!(format!("marked_{w}x{h}"), screen);
    }
}

#[test]
fn filter_typing() {
    let (_d, mut app) = app(100, 24);
    press(
        &mut app,
        &[
            Action::Filter,
            Action::Text('_'),
            Action::Text('G'),
            Action::Text('a'),
        ],
    );
    insta::assert_snapshot!("filter_100x24", render(&app, 100, 24));
}

#[test]
fn smallest_supported_layout() {
    let (_d, mut app) = app(60, 15);
    insta::assert_snapshot!("main_60x15", render(&app, 60, 15));
    press(&mut app, &[Action::Down, Action::Down, Action::Toggle]);
    insta::assert_snapshot!("toggled_60x15", render(&app, 60, 15));
    press(&mut app, &[Action::Save]);
    insta::assert_snapshot!("confirm_60x15", render(&app, 60, 15));
}

#[test]
fn site_picker_when_the_jar_holds_several_sites() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = "# Netscape HTTP Cookie File\n\
a.portal.test\tFALSE\t/\tFALSE\t1900000000\t_ga\t1\n\
b.portal.test\tFALSE\t/\tFALSE\t1900000000\t_ga\t2\n\
b.portal.test\tFALSE\t/\tTRUE\t0\tsessionid\t3\n";
    let jar = crumbs::jar::Jar::from_bytes(
        std::path::Path::new("two-sites.txt"),
        text.as_bytes().to_vec(),
        Default::default(),
    )
    .expect("jar");
    let s = tui_support::session_of(
        jar,
        tui_support::policy(),
        Some("a.portal.test"),
        dir.path(),
    );
    let mut app = app_of(s, 80, 24);
    press(&mut app, &[Action::PrevPane, Action::Down]);
    insta::assert_snapshot!("sites_80x24", render(&app, 80, 24));
}

#[test]
fn tiny_terminal() {
    let (_d, app) = app(10, 3);
    insta::assert_snapshot!("tiny_10x3", render(&app, 10, 3));
}

/// Every size draws, whole: each line as wide as the terminal; from the
/// supported 60×15 up, what each screen is about is on it.
#[test]
fn never_panics_at_any_size() {
    let (_d, mut app) = app(0, 0);
    let overlays: [(&[Action], &str); 5] = [
        (&[], "Categories"),
        (&[Action::Help], "Help"),
        (&[Action::NextPane, Action::Down, Action::Open], "Details"),
        (&[Action::RejectAll, Action::Save], "Refused:"),
        (&[Action::Filter, Action::Text('x')], "/x"),
    ];
    for (steps, shows) in overlays {
        let mut a = app.clone();
        press(&mut a, steps);
        for w in (0..=130).step_by(13).chain([1, 2, 59, 60, 61]) {
            for h in (0..=45).step_by(9).chain([1, 2, 14, 15, 16, 23, 24]) {
                a.on(Event::Resize {
                    width: w,
                    height: h,
                });
                let screen = render(&a, w, h);
                let lines = fits(&screen, w, h);
                if w >= 60 && h >= 15 {
                    assert!(
                        lines.iter().any(|l| l.contains(shows)),
                        "{shows:?} on {w}×{h}:\n{screen}"
                    );
                }
            }
        }
    }
    app.on(Event::Resize {
        width: 0,
        height: 0,
    });
    assert_eq!(render(&app, 0, 0), "");
}

/// The screen while a big jar loads: the path where the main screen has it,
/// the spinner, size and time in the middle, the quit keys at the bottom.
#[test]
fn loading_screen() {
    let mut screen = Loading {
        label: "/home/me/.mozilla/firefox/abc.default/cookies.txt",
        bytes: Some(88_868_502),
        elapsed: Duration::from_millis(1_234),
        color: true,
    };
    insta::assert_snapshot!("loading_80x24", render_widget(&screen, 80, 24));
    // A folder or a special path: no size; a later frame turns the spinner.
    screen.bytes = None;
    screen.elapsed = Duration::from_millis(12_345);
    insta::assert_snapshot!("loading_no_size_40x7", render_widget(&screen, 40, 7));
}

#[test]
fn loading_screen_never_panics_at_any_size() {
    let screen = Loading {
        label: "cookies\twith\ncontrol\u{7}.txt",
        bytes: Some(u64::MAX),
        elapsed: Duration::MAX,
        color: false,
    };
    for w in (0..=130).step_by(13).chain([1, 2, 3]) {
        for h in (0..=45).step_by(9).chain([1, 2, 3, 4, 5]) {
            let text = render_widget(&screen, w, h);
            let lines = fits(&text, w, h);
            // Control characters never reach the terminal.
            assert!(lines.iter().all(|l| !l.contains(['\t', '\u{7}'])), "{text}");
            if w >= 40 && h >= 7 {
                assert!(text.contains("Loading"), "{w}×{h}:\n{text}");
            }
        }
    }
}

/// At 60 columns the demo's header lines (a long site, an unreadable
/// consent) are cut with `…`, never mid-word unmarked.
#[test]
fn narrow_header_lines_are_cut_visibly_60x15() {
    let (_d, app) = demo_app(60, 15);
    let screen = render(&app, 60, 15);
    let lines = fits(&screen, 60, 15);
    for (i, prefix) in [(1, "site "), (2, "consent ")] {
        let l = lines[i].trim_end();
        assert!(l.starts_with(prefix) && l.ends_with('…'), "{l}");
    }
}
