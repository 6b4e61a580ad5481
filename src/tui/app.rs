//! The TUI's state, composed of parts (the choices, the cookie list, the site
//! picker, the overlays), and the only code that changes it:
//! [`App::update`] for the user's intents and [`App::on`] for what happens to
//! the loop. Neither does I/O; what must touch the disk comes back as
//! [`Effect`]s for the loop, whose outcomes come in again as [`Event`]s.

use std::collections::VecDeque;

use ratatui::layout::Rect;
use time::OffsetDateTime;

use super::action::Action;
use super::categories::{CategoryItem, CategoryPane};
use super::choices::Choices;
use super::event::{After, Effect, Event, Failure, Loaded, Saved};
use super::list::CookieList;
use super::mode::{Answer, Mode, Overlay, Overlays};
use super::picker::SitePicker;
use super::rows::{Group, Groups, Row};
use super::status::Message;
use super::text;
use crate::classify::Relation;
use crate::session::{Session, SessionError};

mod popups;
mod screen;

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

/// The whole state of the TUI.
#[derive(Debug, Clone)]
pub struct App {
    session: Session,
    opts: Options,
    now: OffsetDateTime,
    choices: Choices,
    list: CookieList,
    picker: SitePicker,
    overlays: Overlays,
    focus: Pane,
    categories: CategoryPane,
    reveal: bool,
    message: Option<Message>,
    log: VecDeque<Message>,
    size: Rect,
}

/// Messages kept for the help to show again.
const LOG: usize = 20;

/// Rows moved by one wheel notch.
const WHEEL: isize = 3;

impl App {
    /// Opens the app on a session. `now` fixes the clock until an
    /// [`Event::Clock`] moves it (tests keep it fixed).
    pub fn new(session: Session, opts: Options, now: OffsetDateTime) -> Result<App, SessionError> {
        let n = session.policy().doc.categories.len();
        let groups = Groups::new(session.classified(), n);
        let choices = Choices::new(&session, now, None)?;
        let mut app = App {
            picker: SitePicker::of(&session),
            list: CookieList::new(groups),
            session,
            opts,
            now,
            choices,
            overlays: Overlays::default(),
            focus: Pane::Categories,
            categories: CategoryPane::new(n),
            reveal: false,
            message: None,
            log: VecDeque::new(),
            size: Rect::default(),
        };
        app.rebuild_rows(false);
        if app.choices.in_force().state.needs_review() {
            // The review is one key away: the categories pane has the
            // focus, showing the default the jar's value stands for.
            app.focus = Pane::Categories;
            let state = app.choices.in_force().state;
            if state == crate::consent::resolve::State::Unrecognised {
                // What it means, and the keys, first: the rest is in the help.
                app.warn(format!(
                    "Platform consent crumbs cannot read: a, r or Space choose; s saves. \
                     The jar holds {}'s own choice, which crumbs cannot read; shown is the \
                     default (refusal) until you choose and save to replace it",
                    app.session.site()
                ));
            } else {
                app.warn(format!(
                    "Consent for {}: {}",
                    app.session.site(),
                    text::consent_state(app.choices.in_force(), &app.session.policy().hash)
                ));
            }
        } else if let Some(note) = app.session.jar().note.clone() {
            app.info(note);
        }
        Ok(app)
    }

    // ----- read access for the view and the loop -----

    /// The session (jar, policy, site, classification).
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The session, lent to the loop's worker for an effect (a save edits
    /// it in place). The effect's outcome must then be given to [`App::on`],
    /// which brings the rest of the state in line with it.
    pub fn session_for_effect(&mut self) -> &mut Session {
        &mut self.session
    }

    /// The run's options.
    pub fn options(&self) -> Options {
        self.opts
    }

    /// The clock.
    pub fn now(&self) -> OffsetDateTime {
        self.now
    }

    /// The consent in force, the toggles and the preview.
    pub fn choices(&self) -> &Choices {
        &self.choices
    }

    /// The cookies pane's rows, selection and filter.
    pub fn list(&self) -> &CookieList {
        &self.list
    }

    /// The site picker.
    pub fn picker(&self) -> &SitePicker {
        &self.picker
    }

    /// The focused pane.
    pub fn focus(&self) -> Pane {
        self.focus
    }

    /// The categories pane's entries and selection.
    pub fn categories(&self) -> &CategoryPane {
        &self.categories
    }

    /// The open overlay and the help's scroll.
    pub fn overlays(&self) -> &Overlays {
        &self.overlays
    }

    /// True when cookie values are shown.
    pub fn revealed(&self) -> bool {
        self.reveal
    }

    /// The status message.
    pub fn message(&self) -> Option<&Message> {
        self.message.as_ref()
    }

    /// The last messages, oldest first.
    pub fn log(&self) -> &VecDeque<Message> {
        &self.log
    }

    /// The last known terminal size.
    pub fn size(&self) -> Rect {
        self.size
    }

    /// What the keys mean now.
    pub fn mode(&self) -> Mode {
        if self.list.typing() {
            return Mode::Filter;
        }
        self.overlays.get().map_or(Mode::Normal, Overlay::mode)
    }

    /// The category the selection points at (cookie pane row, else category pane entry).
    pub fn selected_group(&self) -> Option<Group> {
        if self.focus == Pane::Cookies {
            match self.list.selected_row() {
                Some(Row::Header(g)) => return Some(g),
                Some(Row::Cookie(i)) => {
                    let c = self.session.classified().get(i);
                    let c = c.filter(|c| c.relation != Relation::OtherSite);
                    return Some(
                        c.and_then(|c| c.category_idx())
                            .map_or(Group::OtherSites, Group::Category),
                    );
                }
                None => {}
            }
        }
        self.categories.only()
    }

    // ----- update -----

    /// Applies one user intent; returns the effects for the loop. No I/O here.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        if action == Action::ForceQuit {
            return vec![Effect::Quit];
        }
        match self.mode() {
            Mode::Filter => self.update_filter(action),
            Mode::Normal => self.update_normal(action),
            Mode::Help => self.update_help(action),
            Mode::Details => self.update_details(action),
            Mode::Confirm | Mode::ConfirmUndo | Mode::Changed | Mode::Unsaved => {
                self.update_question(action)
            }
        }
    }

    /// Applies something that happened to the loop; returns the effects it
    /// leads to. No I/O here.
    pub fn on(&mut self, event: Event) -> Vec<Effect> {
        match event {
            Event::Clock(now) => self.now = now,
            Event::Tick => self.work(),
            Event::Resize { width, height } => {
                self.size = Rect::new(0, 0, width, height);
                let h = self.cookie_rows();
                self.list.scroll_into_view(h);
            }
            Event::UndoChecked { backup: true } => self.overlays.open(Overlay::ConfirmUndo),
            Event::UndoChecked { backup: false } => self.info(format!(
                "Nothing to undo: {} has no backup (a save makes one)",
                super::text::clean(&self.session.jar().path.display().to_string())
            )),
            Event::Saved(saved) => return self.saved(saved),
            Event::Loaded { session, why } => self.loaded(*session, why),
            Event::Failed { what, message } => self.failed(what, message),
        }
        vec![]
    }

    fn update_filter(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Text(c) => {
                self.list.push(c);
                self.rebuild_rows(false);
            }
            Action::Backspace => {
                self.list.pop();
                self.rebuild_rows(false);
            }
            // Keeping the filter is done in the guard; the count comes now or
            // once the rows are built.
            Action::KeepFilter if self.list.keep_typed(self.cookie_rows()) => {
                self.announce_filter()
            }
            Action::CancelFilter | Action::Back => {
                self.list.cancel_typed();
                self.rebuild_rows(false);
            }
            _ => {}
        }
        vec![]
    }

    fn update_normal(&mut self, action: Action) -> Vec<Effect> {
        let page = self.page() as isize;
        match action {
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-page),
            Action::PageDown => self.move_by(page),
            Action::Top => self.move_by(isize::MIN),
            Action::Bottom => self.move_by(isize::MAX),
            Action::NextPane => self.cycle_pane(true),
            Action::PrevPane => self.cycle_pane(false),
            Action::Toggle => return self.toggle(),
            Action::AcceptAll => self.set_all(true),
            Action::RejectAll => self.set_all(false),
            Action::Filter => {
                self.list.begin_typing();
                self.focus = Pane::Cookies;
                self.message = None;
            }
            Action::Open => return self.open(),
            Action::Reveal => self.toggle_reveal(),
            Action::Mark => self.mark(),
            Action::Copy if self.focus == Pane::Cookies => return self.copy(),
            Action::Copy => self.info("Select a cookie in the cookies pane to copy its value"),
            Action::Save => return self.ask_save(After::Stay),
            // Asked only once a backup is known to exist (the loop looks).
            Action::Undo => return vec![Effect::CheckUndo],
            Action::Help => self.overlays.open(Overlay::Help),
            Action::Quit => return self.quit(),
            Action::Back => self.back(),
            Action::Click { column, row } => return self.click(column, row),
            Action::ScrollUp { column, row } => self.wheel(column, row, -WHEEL),
            Action::ScrollDown { column, row } => self.wheel(column, row, WHEEL),
            _ => {}
        }
        vec![]
    }

    /// An answer to the open question (save, undo, reload, unsaved choices).
    fn update_question(&mut self, action: Action) -> Vec<Effect> {
        match self.overlays.answer(action) {
            Answer::None => vec![],
            Answer::Save(then) => {
                // Decide again at the moment of saving, so the consent is dated now.
                match self.choices.decide(&self.session, self.now) {
                    Ok(decision) => {
                        self.info("Saving…");
                        let decision = Box::new(decision);
                        vec![Effect::Save { decision, then }]
                    }
                    Err(e) => {
                        self.warn(format!("Nothing saved: {e}"));
                        vec![]
                    }
                }
            }
            Answer::Undo => vec![Effect::Undo],
            Answer::Reload => vec![Effect::Reload],
            Answer::SaveFirst(then) => self.ask_save(then),
            Answer::Discard(then) => {
                self.choices.reset();
                self.recompute();
                then.effects()
            }
            Answer::Declined(Overlay::Confirm { .. }) => self.say("Nothing saved"),
            Answer::Declined(Overlay::ConfirmUndo) => self.say("Nothing restored"),
            Answer::Declined(Overlay::Changed) => {
                self.warn(format!(
                    "Not saved: {} changed on disk (u undo, or s to try again after reloading)",
                    self.session.jar().path.display()
                ));
                vec![]
            }
            Answer::Declined(_) => self.say("Back to the jar; nothing saved yet"),
        }
    }

    /// Says `text`, asking nothing of the loop.
    fn say(&mut self, text: &str) -> Vec<Effect> {
        self.info(text);
        vec![]
    }

    // ----- outcomes -----

    /// The lent session was saved in place: the state follows it.
    fn saved(&mut self, saved: Saved) -> Vec<Effect> {
        if let Err(e) = self.refresh(false) {
            self.warn(format!("Could not read the consent: {e}"));
            return vec![];
        }
        self.info(saved.message(&self.session.jar().path, self.session.site()));
        saved.then.effects()
    }

    fn loaded(&mut self, session: Session, why: Loaded) {
        let old = std::mem::replace(&mut self.session, session);
        if let Err(e) = self.refresh(why == Loaded::Reloaded) {
            self.session = old;
            self.warn(format!("Could not read the consent: {e}"));
            return;
        }
        drop(old);
        if why == Loaded::Site {
            self.categories.select(0);
            self.rebuild_rows(false);
        }
        self.info(why.message(&self.session.jar().path, self.session.site()));
    }

    /// Brings every part in line with the session (new, or changed in
    /// place); `keep`: keep the toggles when they still fit.
    fn refresh(&mut self, keep: bool) -> Result<(), SessionError> {
        let s = &self.session;
        let groups = Groups::new(s.classified(), s.policy().doc.categories.len());
        let toggles = keep.then(|| self.choices.toggles().to_vec());
        self.choices = Choices::new(s, self.now, toggles)?;
        self.picker = SitePicker::of(s);
        let selected = self.categories.selected();
        self.categories = CategoryPane::new(s.policy().doc.categories.len());
        self.categories.select(selected);
        self.list.set_groups(groups);
        self.rebuild_rows(false);
        Ok(())
    }

    fn failed(&mut self, what: Failure, message: String) {
        if matches!(what, Failure::Changed | Failure::Save) {
            // The save had the session: it may hold the jar as read again.
            if let Err(e) = self.refresh(true) {
                self.warn(format!("Could not read the consent: {e}"));
            }
        }
        if what == Failure::Changed {
            self.overlays.open(Overlay::Changed);
        }
        self.warn(message);
    }

    // ----- behaviours -----

    pub(super) fn info(&mut self, text: impl Into<String>) {
        self.say_now(Message::info(text));
    }

    pub(super) fn warn(&mut self, text: impl Into<String>) {
        self.say_now(Message::warn(text));
    }

    /// Shows `m`, and keeps it for the help (once, however often it is said).
    fn say_now(&mut self, m: Message) {
        if self.log.back() != Some(&m) {
            if self.log.len() == LOG {
                self.log.pop_front();
            }
            self.log.push_back(m.clone());
        }
        self.message = Some(m);
    }

    fn recompute(&mut self) {
        if let Err(e) = self.choices.recompute(&self.session, self.now) {
            self.warn(format!("{e}"));
        }
    }

    /// Builds the cookies pane's rows again (a slice now, the rest on ticks).
    fn rebuild_rows(&mut self, top: bool) {
        let h = self.cookie_rows();
        let only = self.categories.only();
        if self
            .list
            .rebuild(only, self.session.jar().cookies(), top, h)
        {
            self.announce_filter();
        }
    }

    /// One slice of the rows being built.
    fn work(&mut self) {
        let h = self.cookie_rows();
        if self.list.work(self.session.jar().cookies(), h) {
            self.announce_filter();
        }
    }

    /// Says how many cookies the filter shows (after Enter kept it).
    fn announce_filter(&mut self) {
        if !self.list.filter().is_empty() {
            self.info(format!(
                "Filter \"{}\": {} shown (Esc clears it)",
                self.list.filter(),
                text::cookies(self.list.shown())
            ));
        }
    }

    fn move_by(&mut self, delta: isize) {
        match self.focus {
            Pane::Sites => self.picker.move_by(delta),
            Pane::Categories => {
                if self.categories.move_by(delta) {
                    self.rebuild_rows(true);
                }
            }
            Pane::Cookies => {
                let h = self.cookie_rows();
                self.list.move_by(delta, h);
            }
        }
    }

    fn cycle_pane(&mut self, forward: bool) {
        let all = [Pane::Sites, Pane::Categories, Pane::Cookies];
        let panes = if self.picker.shown() {
            &all[..]
        } else {
            &all[1..]
        };
        let at = panes.iter().position(|p| *p == self.focus).unwrap_or(0);
        let n = panes.len();
        let next = if forward { at + 1 } else { at + n - 1 };
        self.focus = panes[next % n];
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
        let label = cat.label.clone();
        if cat.required {
            return self.warn(format!(
                "{label} is required by the policy: it cannot be refused"
            ));
        }
        if let Some(on) = self.choices.flip(i) {
            self.recompute();
            let now = if on { "granted" } else { "refused" };
            self.info(self.choices.preview(&format!("{label} {now}")));
        }
    }

    fn set_all(&mut self, grant: bool) {
        self.choices
            .set_all(&self.session.policy().doc.categories, grant);
        self.recompute();
        let what = if grant {
            "All categories granted"
        } else {
            "All optional categories refused"
        };
        self.info(self.choices.preview(what));
    }

    /// `d`: marks the selected cookie for removal whatever its category,
    /// or unmarks it; the preview counts it, the next save removes it.
    pub(super) fn mark(&mut self) {
        let cookie = match self.focus {
            Pane::Cookies => self.list.selected_cookie(),
            _ => None,
        };
        let Some(i) = cookie else {
            return self.info("Select a cookie in the cookies pane to mark it for removal (d)");
        };
        let s = &self.session;
        let name = super::text::clean(&s.jar().cookies().at(i).name);
        if s.classified().get(i).is_some_and(|c| c.preferences) {
            return self.warn(format!(
                "{name} holds the consent: saving writes your choice into it, so it cannot be marked"
            ));
        }
        let marked = self.choices.mark(i);
        self.recompute();
        let what = if marked {
            format!("{name} marked for removal (d again keeps it)")
        } else {
            format!("{name} no longer marked")
        };
        self.info(self.choices.preview(&what));
    }

    pub(super) fn toggle_reveal(&mut self) {
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
                if self.categories.selected_item() == CategoryItem::OtherSites {
                    self.info("Other sites' cookies are listed apart and never touched");
                }
            }
            Pane::Cookies => match self.list.selected_row() {
                Some(Row::Cookie(_) | Row::Header(Group::Category(_))) => {
                    self.overlays.open(Overlay::Details)
                }
                Some(Row::Header(Group::OtherSites)) if self.categories.only().is_none() => {
                    self.list.flip_other();
                    self.rebuild_rows(false);
                }
                _ => {}
            },
        }
        vec![]
    }

    fn pick_site(&mut self) -> Vec<Effect> {
        let Some(site) = self.picker.site().cloned() else {
            return vec![];
        };
        if site == *self.session.scope() {
            self.info(format!("Already managing {}", site.label()));
            return vec![];
        }
        if self.choices.dirty() {
            self.overlays.open(Overlay::Unsaved {
                then: After::Site(site),
            });
            return vec![];
        }
        vec![Effect::SwitchSite(site)]
    }

    fn ask_save(&mut self, then: After) -> Vec<Effect> {
        let d = self.choices.decision();
        if d.plan.is_noop() && !d.new_choice {
            self.info("Nothing to save: the jar already holds this choice");
            return then.effects();
        }
        self.overlays.open(Overlay::Confirm { then });
        vec![]
    }

    pub(super) fn quit(&mut self) -> Vec<Effect> {
        if self.choices.dirty() {
            self.overlays.open(Overlay::Unsaved { then: After::Quit });
            return vec![];
        }
        vec![Effect::Quit]
    }

    fn back(&mut self) {
        if self.list.clear_filter() {
            self.rebuild_rows(false);
            self.info("Filter cleared");
        } else if self.focus == Pane::Cookies
            && self.categories.only().is_none()
            && self.list.other_expanded()
        {
            // An opened group closes before the focus moves.
            self.list.flip_other();
            self.rebuild_rows(false);
        } else if self.focus != Pane::Categories {
            self.focus = Pane::Categories;
        } else if self.categories.select(0) {
            self.rebuild_rows(false);
        } else if self.message.is_some() {
            self.message = None;
        } else {
            self.info("q quits");
        }
    }
}
