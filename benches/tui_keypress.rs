//! One key press + redraw on a 1,000,000-cookie jar, on a `TestBackend`:
//! `cargo bench --bench tui_keypress`.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use crumbs::dirs::Dirs;
use crumbs::jar::{Jar, OpenOptions};
use crumbs::policy::Policy;
use crumbs::policy::catalog::Catalog;
use crumbs::scopes::Selection;
use crumbs::session::Session;
use crumbs::tui::action::Action;
use crumbs::tui::app::{App, Options};
use crumbs::tui::event::Event;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use time::macros::datetime;

const COOKIES: usize = 1_000_000;
const POLICY: &str = include_str!("../tests/data/policies/portal.json");

/// A cookies.txt of `n` cookies for www.portal.test: declared and undeclared,
/// first- and third-party, and one in ten of other sites.
fn jar_text(n: usize) -> String {
    let mut s = String::from("# Netscape HTTP Cookie File\n\n");
    for i in 0..n {
        let (domain, flag, name) = match i % 10 {
            0 => (format!("site{i}.example"), "FALSE", format!("id{i}")),
            1 => (".portal.test".into(), "TRUE", format!("_ga_{i}")),
            2 => ("www.portal.test".into(), "FALSE", format!("_pk_id.{i}")),
            3 => (".adnetwork.test".into(), "TRUE", "IDE".into()),
            4 => ("tracker.test".into(), "FALSE", format!("px{i}")),
            5 => ("www.portal.test".into(), "FALSE", "sessionid".into()),
            _ => ("www.portal.test".into(), "FALSE", format!("pref_{i}")),
        };
        let _ = writeln!(
            s,
            "{domain}\t{flag}\t/p{i}/\tFALSE\t1900000000\t{name}\tvalue{i}"
        );
    }
    s
}

fn open(n: usize, w: u16, h: u16) -> App {
    let jar = Jar::from_bytes(
        Path::new("big.txt"),
        jar_text(n).into_bytes(),
        OpenOptions::default(),
    )
    .expect("jar parses");
    let policy = Policy::from_json(POLICY, "portal.json").expect("policy");
    let dir = std::env::temp_dir().join("crumbs-bench-none");
    let dirs = Dirs {
        config: dir.join("config"),
        data: dir.join("data"),
    };
    let catalog = Catalog::of([policy]);
    let session =
        Session::open(jar, catalog, Selection::Site("www.portal.test"), dirs).expect("session");
    let now = datetime!(2026-12-01 10:00:00 UTC);
    let mut app = App::new(session, Options::default(), now).expect("app");
    app.on(Event::Resize {
        width: w,
        height: h,
    });
    app
}

/// Types `9` into the filter, or erases it again: every other call.
fn type_or_erase(typed: &mut bool) -> Action {
    *typed = !*typed;
    if *typed {
        Action::Text('9')
    } else {
        Action::Backspace
    }
}

fn keypress(c: &mut Criterion) {
    let (w, h) = (120, 40);
    let mut app = open(COOKIES, w, h);
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    app.update(Action::NextPane);
    let mut down = true;
    c.bench_function("1M cookies: j/k + redraw", |b| {
        b.iter(|| {
            let key = if down { Action::Down } else { Action::Up };
            down = !down;
            black_box(app.update(key));
            term.draw(|f| f.render_widget(&app, f.area()))
                .expect("draw");
        })
    });
    c.bench_function("1M cookies: PgDn + redraw", |b| {
        b.iter(|| {
            black_box(app.update(Action::PageDown));
            term.draw(|f| f.render_widget(&app, f.area()))
                .expect("draw");
        })
    });
    // The same on a 13-cookie jar: the cost of a key does not grow with the jar.
    let mut small = open(13, w, h);
    small.update(Action::NextPane);
    c.bench_function("13 cookies: j/k + redraw", |b| {
        b.iter(|| {
            let key = if down { Action::Down } else { Action::Up };
            down = !down;
            black_box(small.update(key));
            term.draw(|f| f.render_widget(&small, f.area()))
                .expect("draw");
        })
    });
    let mut sg = c.benchmark_group("slow");
    sg.sample_size(20);
    // A filter keystroke over all 1,000,000 cookies (the "all" view): the
    // key press looks at one slice (FILTER_STEP cookies), the rest follows
    // a slice per frame.
    app.update(Action::Filter);
    let mut typed = false;
    sg.bench_function("1M cookies: filter keystroke + redraw", |b| {
        b.iter(|| {
            black_box(app.update(type_or_erase(&mut typed)));
            term.draw(|f| f.render_widget(&app, f.area()))
                .expect("draw");
        })
    });
    // The same keystroke, then the ticks the loop sends between frames
    // until the filtered rows are whole: the filter's full cost.
    sg.bench_function("1M cookies: filter keystroke until done", |b| {
        b.iter(|| {
            black_box(app.update(type_or_erase(&mut typed)));
            while app.list().busy() {
                app.on(Event::Tick);
                term.draw(|f| f.render_widget(&app, f.area()))
                    .expect("draw");
            }
        })
    });
    while app.list().busy() {
        app.on(Event::Tick);
    }
    app.update(Action::CancelFilter);
    // Space on Statistical re-plans the whole jar through the engine (Session::decide).
    app.update(Action::PrevPane);
    app.update(Action::Top);
    app.update(Action::Down);
    app.update(Action::Down);
    sg.bench_function("1M cookies: Space (re-plan) + redraw", |b| {
        b.iter(|| {
            black_box(app.update(Action::Toggle));
            term.draw(|f| f.render_widget(&app, f.area()))
                .expect("draw");
        })
    });
    sg.finish();
}

criterion_group!(benches, keypress);
criterion_main!(benches);
