//! Shared by the TUI tests: a small jar and a policy built in code, a fixed
//! clock, and a text render of the screen.
#![allow(dead_code)]

use std::path::Path;

use crumbs::dirs::Dirs;
use crumbs::jar::{Jar, OpenOptions};
use crumbs::policy::Policy;
use crumbs::session::Session;
use crumbs::tui::app::{App, Options};
use crumbs::tui::event::Event;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::widgets::Widget;
use time::OffsetDateTime;
use time::macros::datetime;

/// The test policy: necessary (required), statistical, first-party, third-party;
/// third-party domains adnetwork.test and tracker.test.
pub const POLICY: &str = include_str!("../data/policies/portal.json");

/// A jar for www.portal.test: necessary, statistical, first-party (declared and
/// not), third-party (declared and not) and other-site cookies.
pub const JAR: &str = "# Netscape HTTP Cookie File\n\
# written for crumbs' TUI tests\n\
\n\
#HttpOnly_www.portal.test\tFALSE\t/\tTRUE\t0\tsessionid\ts3cr3t-session\n\
www.portal.test\tFALSE\t/\tTRUE\t1900000000\tcsrftoken\ttok-123\n\
.portal.test\tTRUE\t/\tFALSE\t1900000000\t_ga\tGA1.2.111.222\n\
.portal.test\tTRUE\t/\tFALSE\t1900000000\t_ga_XYZ\tGS1.1.333\n\
www.portal.test\tFALSE\t/\tFALSE\t1900000000\t_pk_id.1.ab\tabc.def\n\
www.portal.test\tFALSE\t/\tFALSE\t0\t_hjSession\t1\n\
www.portal.test\tFALSE\t/app/\tFALSE\t1700000000\tmystery\tx\n\
.portal.test\tTRUE\t/\tFALSE\t1900000000\tlang\tfr\n\
#HttpOnly_.adnetwork.test\tTRUE\t/\tTRUE\t1900000000\tIDE\tad-id-42\n\
tracker.test\tFALSE\t/\tFALSE\t1900000000\tuid\tu1\n\
tracker.test\tFALSE\t/\tFALSE\t1900000000\tpixel\tu2\n\
.elsewhere.example\tTRUE\t/\tFALSE\t1900000000\tpref\tz\n\
other.example\tFALSE\t/\tFALSE\t0\tsid\tq\n";

/// The site of [`JAR`].
pub const SITE: &str = "www.portal.test";

/// The fixed clock of the tests.
pub fn now() -> OffsetDateTime {
    datetime!(2026-12-01 10:00:00 UTC)
}

/// The test policy.
pub fn policy() -> Policy {
    Policy::from_json(POLICY, "portal.json").expect("test policy is valid")
}

/// Config and data dirs inside `root`.
pub fn dirs(root: &Path) -> Dirs {
    Dirs {
        config: root.join("config"),
        data: root.join("data"),
    }
}

/// A session on [`JAR`] read from memory under the name `cookies.txt` (stable
/// in snapshots; cannot be saved in place).
pub fn memory_session(root: &Path) -> Session {
    let jar = Jar::from_bytes(
        Path::new("cookies.txt"),
        JAR.as_bytes().to_vec(),
        OpenOptions::default(),
    )
    .expect("test jar parses");
    session_of(jar, policy(), None, root)
}

/// A session on `jar` under `policy` alone: the scope of `site`, or the jar's first.
pub fn session_of(jar: Jar, policy: Policy, site: Option<&str>, root: &Path) -> Session {
    let catalog = crumbs::policy::catalog::Catalog::of([policy]);
    let selection = crumbs::scopes::Selection::from_flag(site);
    Session::open(jar, catalog, selection, dirs(root)).expect("session")
}

/// The long value of [`long_value_session`]'s cookie: a percent-encoded
/// JSON consent, six times over (330 bytes, no spaces).
pub fn long_value() -> String {
    "%7B%22necessary%22%3Atrue%2C%22statistics%22%3Afalse%7D".repeat(6)
}

/// A session on a jar of one cookie, `sessionid`, with [`long_value`].
pub fn long_value_session(root: &Path) -> Session {
    let text = format!(
        "# Netscape HTTP Cookie File\nwww.portal.test\tFALSE\t/\tTRUE\t0\tsessionid\t{}\n",
        long_value()
    );
    let jar = Jar::from_bytes(
        Path::new("long.txt"),
        text.into_bytes(),
        OpenOptions::default(),
    )
    .expect("jar");
    session_of(jar, policy(), None, root)
}

/// A session on `text` written to `root/cookies.txt` and opened from disk.
pub fn disk_session_of(root: &Path, text: &str, policy: Policy) -> Session {
    let path = root.join("cookies.txt");
    std::fs::write(&path, text).expect("write jar");
    let jar = Jar::open(&path, OpenOptions::default()).expect("open jar");
    session_of(jar, policy, None, root)
}

/// A session on [`JAR`] written to `root/cookies.txt` and opened from disk.
pub fn disk_session(root: &Path) -> Session {
    disk_session_of(root, JAR, policy())
}

/// An app on `session`, told its terminal is `w`×`h`.
pub fn app_of(session: Session, w: u16, h: u16) -> App {
    let mut app = App::new(session, Options::default(), now()).expect("app");
    app.on(Event::Resize {
        width: w,
        height: h,
    });
    app
}

/// The screen of `app` on a `w`×`h` terminal, as text.
pub fn render(app: &App, w: u16, h: u16) -> String {
    render_widget(app, w, h)
}

/// `widget` drawn on a whole `w`×`h` terminal, as text.
pub fn render_widget(widget: impl Widget, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    t.draw(|f| f.render_widget(widget, f.area())).expect("draw");
    if w == 0 || h == 0 {
        // TestBackend cannot print an empty buffer (it splits rows by width).
        return String::new();
    }
    t.backend().to_string()
}
