//! The TUI's state, and [`App::update`]: the only code that changes it. It does
//! no I/O; what must touch the disk comes back as [`Effect`]s for the loop, and
//! their outcomes come in again as actions.

use std::path::PathBuf;

use ratatui::layout::{Position, Rect};
use time::OffsetDateTime;

use super::rows::{self, Group, Groups, Row, Selection};
use super::text;
use crate::classify::Scope;
use crate::consent::resolve::{Choice, Resolved};
use crate::scopes;
use crate::session::{Decision, Session, SessionError};

/// What the keys currently mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// The main screen.
    Normal,
    /// Typing a filter: printable keys are text.
    Filter,
    /// The help overlay.
    Help,
    /// The details of the selected cookie.
    Details,
    /// The save confirmation.
    Confirm,
    /// The undo confirmation.
    ConfirmUndo,
    /// Unsaved choices: save, discard or cancel.
    Unsaved,
    /// The jar changed on disk: reload?
    Changed,
}

impl Mode {
    /// Every mode.
    pub const ALL: &'static [Mode] = &[
        Mode::Normal,
        Mode::Filter,
        Mode::Help,
        Mode::Details,
        Mode::Confirm,
        Mode::ConfirmUndo,
        Mode::Unsaved,
        Mode::Changed,
    ];

    /// The mode's name in the help.
    pub fn title(self) -> &'static str {
        match self {
            Mode::Normal => "Main screen",
            Mode::Filter => "Typing a filter",
            Mode::Help => "Help",
            Mode::Details => "Cookie details",
            Mode::Confirm => "Save confirmation",
            Mode::ConfirmUndo => "Undo confirmation",
            Mode::Unsaved => "Unsaved choices",
            Mode::Changed => "Jar changed on disk",
        }
    }
}

/// The panes of the main screen that take the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    /// The site picker (only when the jar holds several sites the policy covers).
    Sites,
    /// The categories.
    Categories,
    /// The cookies.
    Cookies,
}

/// What happens after a save or a discard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum After {
    /// Stay on the screen.
    Stay,
    /// Quit.
    Quit,
    /// Switch to managing another site (its scope carries its policy).
    Site(scopes::Scope),
}

/// Why a new session arrives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loaded {
    /// The choice was saved; the jar was written and read back.
    Saved {
        /// Cookies removed.
        removed: usize,
        /// The backup taken.
        backup: Option<PathBuf>,
        /// The consent record written.
        record: Option<PathBuf>,
        /// What to do next.
        then: After,
    },
    /// The jar was read again from disk (it had changed).
    Reloaded,
    /// The newest backup was restored.
    Undone {
        /// The backup used.
        backup: PathBuf,
    },
    /// Another site of the jar is managed now.
    Site,
}

/// What failed while the loop carried out an effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The jar changed on disk since it was loaded: nothing was written.
    Changed,
    /// Saving failed otherwise.
    Save,
    /// Undo failed, or there was no backup.
    Undo,
    /// Reading the jar again failed.
    Reload,
    /// Switching site failed.
    Site,
}

/// Everything that can happen to the app: keys (through the keymap), mouse,
/// resize, the clock, and the outcomes of effects.
#[derive(Debug, Clone)]
pub enum Action {
    /// Move up one row.
    Up,
    /// Move down one row.
    Down,
    /// First row.
    Top,
    /// Last row.
    Bottom,
    /// One page up.
    PageUp,
    /// One page down.
    PageDown,
    /// Focus the next pane.
    NextPane,
    /// Focus the previous pane.
    PrevPane,
    /// Grant or refuse the selected category.
    Toggle,
    /// Grant every category.
    AcceptAll,
    /// Refuse every category that is not required.
    RejectAll,
    /// Start typing a filter.
    Filter,
    /// A character typed into the filter.
    Text(char),
    /// Delete the last filter character.
    Backspace,
    /// Keep the filter typed and leave text entry.
    KeepFilter,
    /// Restore the filter as it was and leave text entry.
    CancelFilter,
    /// Open what is selected: details, a category, a group, a site.
    Open,
    /// Reveal or hide cookie values.
    Reveal,
    /// Save (asks for confirmation).
    Save,
    /// Undo the last save (asks for confirmation).
    Undo,
    /// Show or hide the help.
    Help,
    /// Quit (asks when choices are unsaved).
    Quit,
    /// Back out one level.
    Back,
    /// Quit at once.
    ForceQuit,
    /// Answer yes.
    Yes,
    /// Answer no / cancel.
    No,
    /// Discard unsaved choices.
    Discard,
    /// A mouse click at a cell.
    Click {
        /// Column.
        column: u16,
        /// Row.
        row: u16,
    },
    /// Mouse wheel up over a cell.
    ScrollUp {
        /// Column.
        column: u16,
        /// Row.
        row: u16,
    },
    /// Mouse wheel down over a cell.
    ScrollDown {
        /// Column.
        column: u16,
        /// Row.
        row: u16,
    },
    /// The terminal's size.
    Resize {
        /// Columns.
        width: u16,
        /// Rows.
        height: u16,
    },
    /// The time now (used for the consent's dates when saving).
    Clock(OffsetDateTime),
    /// No input came: carry on with the filtering in progress (see [`App::busy`]).
    Tick,
    /// A new session (after a save, reload, undo or site switch).
    Loaded {
        /// The session.
        session: Box<Session>,
        /// Why.
        why: Loaded,
    },
    /// An effect failed.
    Failed {
        /// Which.
        what: Failure,
        /// What happened, for people.
        message: String,
    },
}

/// Work for the event loop: everything that touches the disk or ends the program.
#[derive(Debug, Clone)]
pub enum Effect {
    /// Commit this decision to the jar (backup, atomic write, consent record, log).
    Save {
        /// The decision confirmed by the user.
        decision: Box<Decision>,
        /// What to do once saved.
        then: After,
    },
    /// Restore the newest backup, then read the jar again.
    Undo,
    /// Read the jar again from disk.
    Reload,
    /// Manage another site of the jar, under the scope's own policy.
    SwitchSite(scopes::Scope),
    /// Leave.
    Quit,
}

/// An open dialog or overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    /// The help.
    Help,
    /// Details of the selected row.
    Details,
    /// Save confirmation.
    Confirm {
        /// What to do once saved.
        then: After,
    },
    /// Undo confirmation.
    ConfirmUndo,
    /// Unsaved choices: save / discard / cancel before doing `then`.
    Unsaved {
        /// What was asked for.
        then: After,
    },
    /// The jar changed on disk; reload?
    Changed,
}

/// How loud a status message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Information.
    Info,
    /// Something was refused or went wrong.
    Warn,
}

/// A message for the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// How loud.
    pub level: Level,
    /// The text.
    pub text: String,
}

/// Options fixed for a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The jar is a temporary copy of the demo jar.
    pub demo: bool,
    /// Mouse capture is on.
    pub mouse: bool,
    /// Colours allowed (false under `NO_COLOR`).
    pub color: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            demo: false,
            mouse: true,
            color: true,
        }
    }
}

pub use crate::plan::Counts;

/// Cookies a filter looks at per key press or tick: about 1.5 ms on a
/// million-cookie jar, so input never waits more than a frame.
pub const FILTER_STEP: usize = 16_384;

/// Rows being built a slice at a time (see [`rows::Builder`]).
#[derive(Debug, Clone)]
struct Filtering {
    builder: rows::Builder,
    /// The row to select again when done (None: the first).
    keep: Option<Row>,
    /// Scroll back to the top when done.
    top: bool,
    /// Say how many cookies the filter shows when done (Enter was pressed).
    announce: bool,
}

/// An entry of the categories pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CategoryItem {
    /// Every cookie, grouped.
    All,
    /// One policy category.
    Category(usize),
    /// Other sites' cookies.
    OtherSites,
}

/// The whole state of the TUI.
#[derive(Debug, Clone)]
pub struct App {
    session: Session,
    opts: Options,
    now: OffsetDateTime,
    in_force: Resolved,
    initial: Vec<bool>,
    toggles: Vec<bool>,
    decision: Decision,
    removals: usize,
    groups: Groups,
    sites: Vec<scopes::Scope>,
    site_sel: usize,
    focus: Pane,
    cat_sel: usize,
    other_expanded: bool,
    rows: Vec<Row>,
    shown: usize,
    row_sel: usize,
    row_offset: usize,
    filter: String,
    filter_before: Option<String>,
    filtering: Option<Filtering>,
    overlay: Option<Overlay>,
    help_scroll: usize,
    reveal: bool,
    message: Option<Message>,
    size: Rect,
}

/// Rows moved by one wheel notch.
const WHEEL: usize = 3;

impl App {
    /// Opens the app on a session. `now` fixes the clock until a
    /// [`Action::Clock`] moves it (tests keep it fixed).
    pub fn new(session: Session, opts: Options, now: OffsetDateTime) -> Result<App, SessionError> {
        let in_force = session.decide(&Choice::default(), false, now)?.resolved;
        let initial: Vec<bool> = in_force.granted.iter().map(|(_, g)| *g).collect();
        let decision = session.decide(&choice_of(&session, &initial), false, now)?;
        let sites = session.scopes();
        let site_sel = sites.iter().position(|s| s == session.scope()).unwrap_or(0);
        let groups = Groups::new(session.classified(), session.policy().doc.categories.len());
        let mut app = App {
            session,
            opts,
            now,
            in_force,
            toggles: initial.clone(),
            initial,
            decision,
            removals: 0,
            groups,
            sites,
            site_sel,
            focus: Pane::Categories,
            cat_sel: 0,
            other_expanded: false,
            rows: Vec::new(),
            shown: 0,
            row_sel: 0,
            row_offset: 0,
            filter: String::new(),
            filter_before: None,
            filtering: None,
            overlay: None,
            help_scroll: 0,
            reveal: false,
            message: None,
            size: Rect::default(),
        };
        app.count();
        app.rebuild_rows();
        if app.in_force.state.needs_review() {
            app.warn(format!(
                "Consent for {}: {}",
                app.session.site(),
                text::consent_state(&app.in_force, &app.session.policy().hash)
            ));
        }
        Ok(app)
    }

    // ----- read access for the view and the loop -----

    /// The session (jar, policy, site, classification).
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The run's options.
    pub fn options(&self) -> Options {
        self.opts
    }

    /// The clock.
    pub fn now(&self) -> OffsetDateTime {
        self.now
    }

    /// The consent in force as loaded (what the header reports).
    pub fn in_force(&self) -> &Resolved {
        &self.in_force
    }

    /// The engine's decision for the current toggles: the preview.
    pub fn decision(&self) -> &Decision {
        &self.decision
    }

    /// Grant per category, in policy order.
    pub fn toggles(&self) -> &[bool] {
        &self.toggles
    }

    /// True when the toggles differ from the consent in force.
    pub fn dirty(&self) -> bool {
        self.toggles != self.initial
    }

    /// Keep / remove counts per category.
    pub fn counts(&self) -> &[Counts] {
        &self.decision.plan.by_category
    }

    /// Cookies the current choice removes (the plan's removals, counted once per change).
    pub fn remove_count(&self) -> usize {
        self.removals
    }

    /// Cookies in the cookies pane (after the filter).
    pub fn shown_cookies(&self) -> usize {
        self.shown
    }

    /// Number of other-site cookies.
    pub fn other_count(&self) -> usize {
        self.groups.other.len()
    }

    /// The jar's scopes, each under its own policy (a picker is shown when there are several).
    pub fn sites(&self) -> &[scopes::Scope] {
        &self.sites
    }

    /// The selected entry of the site picker.
    pub fn site_selected(&self) -> usize {
        self.site_sel
    }

    /// The focused pane.
    pub fn focus(&self) -> Pane {
        self.focus
    }

    /// The entries of the categories pane.
    pub fn category_items(&self) -> Vec<CategoryItem> {
        let n = self.session.policy().doc.categories.len();
        std::iter::once(CategoryItem::All)
            .chain((0..n).map(CategoryItem::Category))
            .chain(std::iter::once(CategoryItem::OtherSites))
            .collect()
    }

    /// Number of entries in the categories pane.
    pub fn category_item_count(&self) -> usize {
        self.session.policy().doc.categories.len() + 2
    }

    /// The entry at `i` of the categories pane.
    pub fn category_item(&self, i: usize) -> CategoryItem {
        let n = self.session.policy().doc.categories.len();
        match i {
            0 => CategoryItem::All,
            i if i <= n => CategoryItem::Category(i - 1),
            _ => CategoryItem::OtherSites,
        }
    }

    /// The selected entry of the categories pane.
    pub fn category_selected(&self) -> usize {
        self.cat_sel
    }

    /// The rows of the cookies pane.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// The selected row of the cookies pane.
    pub fn row_selected(&self) -> usize {
        self.row_sel
    }

    /// The first row of the cookies pane in view.
    pub fn row_offset(&self) -> usize {
        self.row_offset
    }

    /// True when the other-sites group is expanded in the "all" view.
    pub fn other_expanded(&self) -> bool {
        self.other_expanded
    }

    /// The filter (lower case).
    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// The open overlay.
    pub fn overlay(&self) -> Option<&Overlay> {
        self.overlay.as_ref()
    }

    /// Help scroll offset.
    pub fn help_scroll(&self) -> usize {
        self.help_scroll
    }

    /// True when cookie values are shown.
    pub fn revealed(&self) -> bool {
        self.reveal
    }

    /// The status message.
    pub fn message(&self) -> Option<&Message> {
        self.message.as_ref()
    }

    /// The last known terminal size.
    pub fn size(&self) -> Rect {
        self.size
    }

    /// What the keys mean now.
    pub fn mode(&self) -> Mode {
        if self.filter_before.is_some() {
            return Mode::Filter;
        }
        match &self.overlay {
            None => Mode::Normal,
            Some(Overlay::Help) => Mode::Help,
            Some(Overlay::Details) => Mode::Details,
            Some(Overlay::Confirm { .. }) => Mode::Confirm,
            Some(Overlay::ConfirmUndo) => Mode::ConfirmUndo,
            Some(Overlay::Unsaved { .. }) => Mode::Unsaved,
            Some(Overlay::Changed) => Mode::Changed,
        }
    }

    /// The selected cookie row's cookie index, if a cookie is selected.
    pub fn selected_cookie(&self) -> Option<usize> {
        match self.rows.get(self.row_sel) {
            Some(Row::Cookie(i)) => Some(*i),
            _ => None,
        }
    }

    /// The category the selection points at (cookie pane row, else category pane entry).
    pub fn selected_group(&self) -> Option<Group> {
        if self.focus == Pane::Cookies {
            match self.rows.get(self.row_sel) {
                Some(Row::Header(g)) => return Some(*g),
                Some(Row::Cookie(i)) => return Some(self.group_of(*i)),
                None => {}
            }
        }
        match self.category_item(self.cat_sel) {
            CategoryItem::Category(i) => Some(Group::Category(i)),
            CategoryItem::OtherSites => Some(Group::OtherSites),
            CategoryItem::All => None,
        }
    }

    /// The group a cookie is listed in.
    pub fn group_of(&self, cookie: usize) -> Group {
        match self.session.classified().get(cookie) {
            Some(c) if c.scope != Scope::OtherSite => {
                c.category_idx().map_or(Group::OtherSites, Group::Category)
            }
            _ => Group::OtherSites,
        }
    }

    /// Cookies the current choice removes, per category label, in policy order.
    pub fn removals_by_category(&self) -> Vec<(String, usize)> {
        self.session
            .policy()
            .doc
            .categories
            .iter()
            .zip(self.counts())
            .filter(|(_, n)| n.remove > 0)
            .map(|(c, n)| (c.label.clone(), n.remove))
            .collect()
    }

    /// The question the save confirmation asks, naming its effect.
    pub fn confirm_question(&self) -> String {
        let d = &self.decision;
        let removed = d.plan.remove_count();
        let stores = d.new_choice || d.plan.set.is_some();
        let site = self.session.site();
        let by: Vec<String> = self
            .removals_by_category()
            .into_iter()
            .map(|(label, n)| format!("{label} {n}"))
            .collect();
        match (removed, stores) {
            (0, true) => format!("Remove no cookies and store your choice for {site}?"),
            (n, true) => format!(
                "Remove {} ({}) and store your choice for {site}?",
                text::cookies(n),
                by.join(", ")
            ),
            (n, false) => format!(
                "Remove {} ({}) from the jar?",
                text::cookies(n),
                by.join(", ")
            ),
        }
    }

    // ----- update -----

    /// Applies one action; returns the effects for the loop. No I/O here.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Clock(now) => {
                self.now = now;
                return vec![];
            }
            Action::Tick => {
                self.work();
                return vec![];
            }
            Action::Resize { width, height } => {
                self.size = Rect::new(0, 0, width, height);
                self.scroll_into_view();
                return vec![];
            }
            Action::ForceQuit => return vec![Effect::Quit],
            Action::Loaded { session, why } => return self.loaded(*session, why),
            Action::Failed { what, message } => {
                self.failed(what, message);
                return vec![];
            }
            _ => {}
        }
        match self.mode() {
            Mode::Filter => self.update_filter(action),
            Mode::Normal => self.update_normal(action),
            Mode::Help => self.update_help(action),
            Mode::Details => self.update_details(action),
            Mode::Confirm | Mode::ConfirmUndo | Mode::Changed => self.update_question(action),
            Mode::Unsaved => self.update_unsaved(action),
        }
    }

    fn update_filter(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Text(c) => {
                self.filter.extend(c.to_lowercase());
                self.rebuild_rows();
            }
            Action::Backspace => {
                self.filter.pop();
                self.rebuild_rows();
            }
            Action::KeepFilter => {
                self.filter_before = None;
                if let Some(f) = self.filtering.as_mut() {
                    f.announce = true;
                } else {
                    self.announce_filter();
                }
            }
            Action::CancelFilter | Action::Back => {
                if let Some(before) = self.filter_before.take() {
                    self.filter = before;
                }
                self.rebuild_rows();
            }
            Action::Click { .. } | Action::ScrollUp { .. } | Action::ScrollDown { .. } => {}
            _ => {}
        }
        vec![]
    }

    fn update_normal(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-(self.page() as isize)),
            Action::PageDown => self.move_by(self.page() as isize),
            Action::Top => self.move_by(isize::MIN),
            Action::Bottom => self.move_by(isize::MAX),
            Action::NextPane => self.cycle_pane(true),
            Action::PrevPane => self.cycle_pane(false),
            Action::Toggle => return self.toggle(),
            Action::AcceptAll => self.set_all(true),
            Action::RejectAll => self.set_all(false),
            Action::Filter => {
                self.filter_before = Some(self.filter.clone());
                self.focus = Pane::Cookies;
                self.message = None;
            }
            Action::Open => return self.open(),
            Action::Reveal => self.toggle_reveal(),
            Action::Save => return self.ask_save(After::Stay),
            Action::Undo => {
                self.overlay = Some(Overlay::ConfirmUndo);
            }
            Action::Help => {
                self.overlay = Some(Overlay::Help);
                self.help_scroll = 0;
            }
            Action::Quit => return self.quit(),
            Action::Back => self.back(),
            Action::Click { column, row } => return self.click(column, row),
            Action::ScrollUp { column, row } => self.wheel(column, row, -(WHEEL as isize)),
            Action::ScrollDown { column, row } => self.wheel(column, row, WHEEL as isize),
            _ => {}
        }
        vec![]
    }

    fn update_help(&mut self, action: Action) -> Vec<Effect> {
        let lines = super::view::help_line_count(self);
        match action {
            Action::Up | Action::ScrollUp { .. } => {
                self.help_scroll = self.help_scroll.saturating_sub(1)
            }
            Action::Down | Action::ScrollDown { .. } => {
                self.help_scroll = (self.help_scroll + 1).min(lines.saturating_sub(1))
            }
            Action::PageUp => self.help_scroll = self.help_scroll.saturating_sub(self.page()),
            Action::PageDown => {
                self.help_scroll = (self.help_scroll + self.page()).min(lines.saturating_sub(1))
            }
            Action::Top => self.help_scroll = 0,
            Action::Bottom => self.help_scroll = lines.saturating_sub(1),
            Action::Help | Action::Back => self.overlay = None,
            Action::Quit => return self.quit(),
            _ => {}
        }
        vec![]
    }

    fn update_details(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Up | Action::ScrollUp { .. } => self.move_rows(-1),
            Action::Down | Action::ScrollDown { .. } => self.move_rows(1),
            Action::Reveal => self.toggle_reveal(),
            Action::Back | Action::Open => self.overlay = None,
            Action::Quit => return self.quit(),
            _ => {}
        }
        vec![]
    }

    fn update_question(&mut self, action: Action) -> Vec<Effect> {
        let Some(overlay) = self.overlay.clone() else {
            return vec![];
        };
        match (overlay, action) {
            (Overlay::Confirm { then }, Action::Yes) => {
                self.overlay = None;
                // Decide again at the moment of saving, so the consent is dated now.
                match self
                    .session
                    .decide(&choice_of(&self.session, &self.toggles), false, self.now)
                {
                    Ok(decision) => {
                        self.info("Saving…");
                        return vec![Effect::Save {
                            decision: Box::new(decision),
                            then,
                        }];
                    }
                    Err(e) => self.warn(format!("Nothing saved: {e}")),
                }
            }
            (Overlay::ConfirmUndo, Action::Yes) => {
                self.overlay = None;
                return vec![Effect::Undo];
            }
            (Overlay::Changed, Action::Yes) => {
                self.overlay = None;
                return vec![Effect::Reload];
            }
            (Overlay::Confirm { .. }, Action::No | Action::Back) => {
                self.overlay = None;
                self.info("Nothing saved");
            }
            (Overlay::ConfirmUndo, Action::No | Action::Back) => {
                self.overlay = None;
                self.info("Nothing restored");
            }
            (Overlay::Changed, Action::No | Action::Back) => {
                self.overlay = None;
                self.warn(format!(
                    "Not saved: {} changed on disk (u undo, or s to try again after reloading)",
                    self.session.jar().path.display()
                ));
            }
            _ => {}
        }
        vec![]
    }

    fn update_unsaved(&mut self, action: Action) -> Vec<Effect> {
        let Some(Overlay::Unsaved { then }) = self.overlay.clone() else {
            return vec![];
        };
        match action {
            Action::Save => {
                self.overlay = None;
                return self.ask_save(then);
            }
            Action::Discard => {
                self.overlay = None;
                self.toggles = self.initial.clone();
                self.recompute();
                return match then {
                    After::Stay => vec![],
                    After::Quit => vec![Effect::Quit],
                    After::Site(s) => vec![Effect::SwitchSite(s)],
                };
            }
            Action::No | Action::Back => {
                self.overlay = None;
                self.info("Back to the jar; nothing saved yet");
            }
            _ => {}
        }
        vec![]
    }

    // ----- outcomes -----

    fn loaded(&mut self, session: Session, why: Loaded) -> Vec<Effect> {
        let keep = self.toggles.clone();
        let now = self.now;
        let in_force = match session.decide(&Choice::default(), false, now) {
            Ok(d) => d.resolved,
            Err(e) => {
                self.warn(format!("Could not read the consent: {e}"));
                return vec![];
            }
        };
        self.session = session;
        self.initial = in_force.granted.iter().map(|(_, g)| *g).collect();
        self.in_force = in_force;
        self.toggles = if why == Loaded::Reloaded && keep.len() == self.initial.len() {
            keep
        } else {
            self.initial.clone()
        };
        self.groups = Groups::new(
            self.session.classified(),
            self.session.policy().doc.categories.len(),
        );
        self.sites = self.session.scopes();
        self.site_sel = self
            .sites
            .iter()
            .position(|s| s == self.session.scope())
            .unwrap_or(0);
        self.recompute();
        self.rebuild_rows();
        let path = self.session.jar().path.display().to_string();
        match why {
            Loaded::Saved {
                removed,
                backup,
                record,
                then,
            } => {
                let mut m = format!("Saved {path}: removed {}", text::cookies(removed));
                if record.is_some() {
                    m.push_str(&format!("; choice stored for {}", self.session.site()));
                }
                if backup.is_some() {
                    m.push_str("; u undoes");
                }
                self.info(m);
                match then {
                    After::Stay => vec![],
                    After::Quit => vec![Effect::Quit],
                    After::Site(s) => vec![Effect::SwitchSite(s)],
                }
            }
            Loaded::Reloaded => {
                self.info(format!(
                    "Read {path} again; your choices are kept (s saves them)"
                ));
                vec![]
            }
            Loaded::Undone { backup } => {
                self.info(format!(
                    "Restored {path} from its backup {}",
                    backup
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default()
                ));
                vec![]
            }
            Loaded::Site => {
                self.cat_sel = 0;
                self.rebuild_rows();
                self.info(format!("Managing {}", self.session.site()));
                vec![]
            }
        }
    }

    fn failed(&mut self, what: Failure, message: String) {
        if what == Failure::Changed {
            self.overlay = Some(Overlay::Changed);
        }
        self.warn(message);
    }

    // ----- behaviours -----

    fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            level: Level::Info,
            text: text.into(),
        });
    }

    fn warn(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            level: Level::Warn,
            text: text.into(),
        });
    }

    fn count(&mut self) {
        self.removals = self.decision.plan.remove_count();
    }

    fn recompute(&mut self) {
        let choice = choice_of(&self.session, &self.toggles);
        match self.session.decide(&choice, false, self.now) {
            Ok(d) => self.decision = d,
            Err(e) => self.warn(format!("{e}")),
        }
        self.count();
    }

    fn selection(&self) -> Selection {
        match self.category_item(self.cat_sel) {
            CategoryItem::All => Selection::All {
                other_expanded: self.other_expanded,
            },
            CategoryItem::Category(i) => Selection::Only(Group::Category(i)),
            CategoryItem::OtherSites => Selection::Only(Group::OtherSites),
        }
    }

    /// Starts building the rows again; the current rows stay on screen until
    /// the new ones are complete. `top`: then select the first row.
    fn start_rows(&mut self, top: bool) {
        let keep = match self.filtering.take() {
            Some(f) => f.keep,
            None => self.rows.get(self.row_sel).copied(),
        };
        let builder = rows::Builder::new(&self.groups, self.selection(), &self.filter);
        self.filtering = Some(Filtering {
            builder,
            keep: if top { None } else { keep },
            top,
            announce: false,
        });
        self.work();
    }

    fn rebuild_rows(&mut self) {
        self.start_rows(false);
    }

    /// One slice of the rows being built; installs them when complete.
    fn work(&mut self) {
        let Some(mut f) = self.filtering.take() else {
            return;
        };
        // Without a filter no cookie is looked at, only rows are listed: a
        // bigger slice costs the same time.
        let budget = if self.filter.is_empty() {
            16 * FILTER_STEP
        } else {
            FILTER_STEP
        };
        if !f
            .builder
            .step(&self.groups, self.session.jar().cookies(), budget)
        {
            self.filtering = Some(f);
            return;
        }
        let Filtering {
            builder,
            keep,
            top,
            announce,
        } = f;
        (self.rows, self.shown) = builder.into_rows();
        self.row_sel = keep
            .and_then(|k| self.rows.iter().position(|r| *r == k))
            .unwrap_or(0);
        if top {
            self.row_offset = 0;
        }
        self.scroll_into_view();
        if announce {
            self.announce_filter();
        }
    }

    /// Says how many cookies the filter shows (after Enter kept it).
    fn announce_filter(&mut self) {
        if !self.filter.is_empty() {
            self.info(format!(
                "Filter \"{}\": {} shown (Esc clears it)",
                self.filter,
                text::cookies(self.shown_cookies())
            ));
        }
    }

    /// True while rows are being filtered: the loop then sends [`Action::Tick`]
    /// when no input is waiting.
    pub fn busy(&self) -> bool {
        self.filtering.is_some()
    }

    /// The filtering in progress: its filter and how far it got (percent).
    pub fn filtering(&self) -> Option<(&str, usize)> {
        self.filtering
            .as_ref()
            .map(|f| (f.builder.filter(), f.builder.percent()))
    }

    fn page(&self) -> usize {
        let a = super::view::areas(self.size, self);
        let h = match (self.overlay.as_ref(), self.focus) {
            (Some(Overlay::Help), _) => a.body.height,
            (_, Pane::Cookies) => a.cookie_rows.height,
            (_, Pane::Categories) => a.category_rows.height,
            (_, Pane::Sites) => a.site_rows.height,
        };
        usize::from(h).saturating_sub(1).max(1)
    }

    fn move_by(&mut self, delta: isize) {
        match self.focus {
            Pane::Sites => {
                self.site_sel = step(self.site_sel, delta, self.sites.len());
            }
            Pane::Categories => {
                let before = self.cat_sel;
                self.cat_sel = step(self.cat_sel, delta, self.category_item_count());
                if before != self.cat_sel {
                    self.row_sel = 0;
                    self.row_offset = 0;
                    self.start_rows(true);
                }
            }
            Pane::Cookies => self.move_rows(delta),
        }
    }

    fn move_rows(&mut self, delta: isize) {
        self.row_sel = step(self.row_sel, delta, self.rows.len());
        self.scroll_into_view();
    }

    fn scroll_into_view(&mut self) {
        let h = usize::from(super::view::areas(self.size, self).cookie_rows.height);
        self.row_offset = super::view::window(self.row_offset, self.row_sel, self.rows.len(), h);
    }

    fn panes(&self) -> Vec<Pane> {
        let mut p = Vec::with_capacity(3);
        if self.sites.len() > 1 {
            p.push(Pane::Sites);
        }
        p.push(Pane::Categories);
        p.push(Pane::Cookies);
        p
    }

    fn cycle_pane(&mut self, forward: bool) {
        let panes = self.panes();
        let at = panes.iter().position(|p| *p == self.focus).unwrap_or(0);
        let n = panes.len();
        let next = if forward {
            (at + 1) % n
        } else {
            (at + n - 1) % n
        };
        self.focus = panes[next];
    }

    fn toggle(&mut self) -> Vec<Effect> {
        if self.focus == Pane::Sites {
            return self.pick_site();
        }
        match self.selected_group() {
            Some(Group::Category(i)) => self.toggle_category(i),
            Some(Group::OtherSites) => {
                self.warn("Other sites' cookies are never touched: there is nothing to choose")
            }
            None => self.info("Select a category to toggle it; a accepts all, r rejects all"),
        }
        vec![]
    }

    fn toggle_category(&mut self, i: usize) {
        let Some(cat) = self.session.policy().doc.categories.get(i) else {
            return;
        };
        if cat.required {
            let label = cat.label.clone();
            self.warn(format!(
                "{label} is required by the policy: it cannot be refused"
            ));
            return;
        }
        let label = cat.label.clone();
        if let Some(t) = self.toggles.get_mut(i) {
            *t = !*t;
            let now = if *t { "granted" } else { "refused" };
            self.recompute();
            self.preview_message(format!("{label} {now}"));
        }
    }

    fn set_all(&mut self, grant: bool) {
        let cats = &self.session.policy().doc.categories;
        self.toggles = cats.iter().map(|c| grant || c.required).collect();
        self.recompute();
        self.preview_message(if grant {
            "All categories granted".to_string()
        } else {
            "All optional categories refused".to_string()
        });
    }

    fn preview_message(&mut self, what: String) {
        let n = self.removals;
        let tail = if n == 0 {
            "nothing would be removed".to_string()
        } else {
            format!("{} would be removed", text::cookies(n))
        };
        self.info(format!("{what}: {tail} (s saves)"));
    }

    fn toggle_reveal(&mut self) {
        self.reveal = !self.reveal;
        self.info(if self.reveal {
            "Values shown (v hides them)"
        } else {
            "Values hidden"
        });
    }

    fn open(&mut self) -> Vec<Effect> {
        match self.focus {
            Pane::Sites => return self.pick_site(),
            Pane::Categories => {
                self.focus = Pane::Cookies;
                if self.category_item(self.cat_sel) == CategoryItem::OtherSites {
                    self.info("Other sites' cookies are listed apart and never touched");
                }
            }
            Pane::Cookies => match self.rows.get(self.row_sel).copied() {
                Some(Row::Cookie(_)) => self.overlay = Some(Overlay::Details),
                Some(Row::Header(Group::OtherSites)) => {
                    if matches!(self.selection(), Selection::All { .. }) {
                        self.other_expanded = !self.other_expanded;
                        self.rebuild_rows();
                    }
                }
                Some(Row::Header(Group::Category(i))) => {
                    self.overlay = Some(Overlay::Details);
                    let _ = i;
                }
                None => {}
            },
        }
        vec![]
    }

    fn pick_site(&mut self) -> Vec<Effect> {
        let Some(site) = self.sites.get(self.site_sel).cloned() else {
            return vec![];
        };
        if site == *self.session.scope() {
            self.info(format!("Already managing {}", site.label()));
            return vec![];
        }
        if self.dirty() {
            self.overlay = Some(Overlay::Unsaved {
                then: After::Site(site),
            });
            return vec![];
        }
        vec![Effect::SwitchSite(site)]
    }

    fn ask_save(&mut self, then: After) -> Vec<Effect> {
        let d = &self.decision;
        if d.plan.is_noop() && !d.new_choice {
            self.info("Nothing to save: the jar already holds this choice");
            return match then {
                After::Stay => vec![],
                After::Quit => vec![Effect::Quit],
                After::Site(s) => vec![Effect::SwitchSite(s)],
            };
        }
        self.overlay = Some(Overlay::Confirm { then });
        vec![]
    }

    fn quit(&mut self) -> Vec<Effect> {
        if self.dirty() {
            self.overlay = Some(Overlay::Unsaved { then: After::Quit });
            return vec![];
        }
        vec![Effect::Quit]
    }

    fn back(&mut self) {
        if !self.filter.is_empty() {
            self.filter.clear();
            self.rebuild_rows();
            self.info("Filter cleared");
        } else if self.focus != Pane::Categories {
            self.focus = Pane::Categories;
        } else if self.cat_sel != 0 {
            self.cat_sel = 0;
            self.rebuild_rows();
        } else if self.message.is_some() {
            self.message = None;
        } else {
            self.info("q quits");
        }
    }

    fn click(&mut self, column: u16, row: u16) -> Vec<Effect> {
        let a = super::view::areas(self.size, self);
        let at = Position::new(column, row);
        if a.site_rows.contains(at) {
            let i = a.site_offset + usize::from(row - a.site_rows.y);
            if i < self.sites.len() {
                self.focus = Pane::Sites;
                self.site_sel = i;
            }
        } else if a.category_rows.contains(at) {
            let i = a.category_offset + usize::from(row - a.category_rows.y);
            if i < self.category_item_count() {
                self.focus = Pane::Categories;
                if i != self.cat_sel {
                    self.cat_sel = i;
                    self.row_sel = 0;
                    self.row_offset = 0;
                    self.start_rows(true);
                }
                if column < a.category_rows.x + super::view::CHECKBOX_WIDTH {
                    return self.toggle();
                }
            }
        } else if a.cookie_rows.contains(at) {
            let i = self.row_offset + usize::from(row - a.cookie_rows.y);
            if i < self.rows.len() {
                self.focus = Pane::Cookies;
                self.row_sel = i;
                self.scroll_into_view();
            }
        }
        vec![]
    }

    fn wheel(&mut self, column: u16, row: u16, delta: isize) {
        let a = super::view::areas(self.size, self);
        let at = Position::new(column, row);
        if a.category_rows.contains(at) {
            self.focus = Pane::Categories;
            self.move_by(delta.signum());
        } else if a.site_rows.contains(at) {
            self.focus = Pane::Sites;
            self.move_by(delta.signum());
        } else {
            self.focus = Pane::Cookies;
            self.move_rows(delta);
        }
    }
}

/// Moves `at` by `delta` within `0..len`, saturating.
fn step(at: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    let to = if delta < 0 {
        at.saturating_sub(delta.unsigned_abs())
    } else {
        at.saturating_add(delta.unsigned_abs())
    };
    to.min(len - 1)
}

/// The engine choice the toggles stand for: every category named, so the
/// result never depends on what the jar or the record said.
pub fn choice_of(session: &Session, toggles: &[bool]) -> Choice {
    let mut choice = Choice::default();
    for (cat, &on) in session.policy().doc.categories.iter().zip(toggles) {
        if on {
            choice.allow.push(cat.id.clone());
        } else if !cat.required {
            choice.deny.push(cat.id.clone());
        }
    }
    choice
}
