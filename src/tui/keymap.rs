//! The key bindings, as data. One table dispatches keys, and generates the
//! help overlay and the hint line, so they can never disagree with the keys.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use super::mode::Mode;

/// One key with its modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The key.
    pub code: KeyCode,
    /// Modifiers that must be held (Shift is ignored for printable characters).
    pub mods: KeyModifiers,
}

impl Key {
    /// A key without modifiers.
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            mods: KeyModifiers::NONE,
        }
    }

    /// A printable character key.
    pub const fn ch(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    /// Control + a character.
    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            mods: KeyModifiers::CONTROL,
        }
    }

    /// True when `event` is this key.
    pub fn matches(&self, event: &KeyEvent) -> bool {
        if self.code != event.code {
            return false;
        }
        let mut mods = event.modifiers;
        // Shift is part of the character itself (`G`, `?`), and terminals differ in reporting it.
        if matches!(event.code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods.remove(KeyModifiers::SHIFT);
        }
        mods == self.mods
    }

    /// How the key is written in the help and hint line.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Backspace => "Backspace".into(),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            format!("Ctrl-{}", base.to_uppercase())
        } else {
            base
        }
    }
}

/// One line of the bindings table.
#[derive(Debug)]
pub struct Binding {
    /// The keys that trigger it (the first is the one shown in hints).
    pub keys: &'static [Key],
    /// What it does.
    pub action: Action,
    /// What it does, for people.
    pub description: &'static str,
    /// The modes it is active in.
    pub modes: &'static [Mode],
    /// Shown in the hint line as (rank, short word): lower ranks come first,
    /// so the most useful hints survive a narrow terminal.
    pub hint: Option<(u8, &'static str)>,
}

impl Binding {
    /// The keys, written for people: `j ↓`.
    pub fn keys_label(&self) -> String {
        self.keys
            .iter()
            .map(Key::label)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

use KeyCode as K;
use Mode as M;

const MAIN: &[Mode] = &[M::Normal];
const DIALOGS: &[Mode] = &[M::Confirm, M::ConfirmUndo, M::Changed];

/// Every binding, in the order the help shows them.
pub static BINDINGS: &[Binding] = &[
    Binding {
        keys: &[Key::ch('k'), Key::plain(K::Up)],
        action: Action::Up,
        description: "move up",
        modes: &[M::Normal, M::Help],
        hint: None,
    },
    Binding {
        keys: &[Key::ch('j'), Key::plain(K::Down)],
        action: Action::Down,
        description: "move down",
        modes: &[M::Normal, M::Help],
        hint: None,
    },
    Binding {
        keys: &[Key::ch('j'), Key::plain(K::Down)],
        action: Action::Down,
        description: "scroll down",
        modes: &[M::Details],
        hint: Some((1, "scroll")),
    },
    Binding {
        keys: &[Key::ch('k'), Key::plain(K::Up)],
        action: Action::Up,
        description: "scroll up",
        modes: &[M::Details],
        hint: Some((1, "scroll")),
    },
    Binding {
        keys: &[Key::ch('g'), Key::plain(K::Home)],
        action: Action::Top,
        description: "go to the first row",
        modes: &[M::Normal, M::Help, M::Details],
        hint: None,
    },
    Binding {
        keys: &[Key::ch('G'), Key::plain(K::End)],
        action: Action::Bottom,
        description: "go to the last row",
        modes: &[M::Normal, M::Help, M::Details],
        hint: None,
    },
    Binding {
        keys: &[Key::plain(K::PageUp)],
        action: Action::PageUp,
        description: "page up",
        modes: &[M::Normal, M::Help, M::Details],
        hint: None,
    },
    Binding {
        keys: &[Key::plain(K::PageDown)],
        action: Action::PageDown,
        description: "page down",
        modes: &[M::Normal, M::Help, M::Details],
        hint: None,
    },
    Binding {
        keys: &[Key::plain(K::Tab), Key::ch('l'), Key::plain(K::Right)],
        action: Action::NextPane,
        description: "next pane",
        modes: MAIN,
        hint: Some((10, "pane")),
    },
    Binding {
        keys: &[Key::plain(K::BackTab), Key::ch('h'), Key::plain(K::Left)],
        action: Action::PrevPane,
        description: "previous pane",
        modes: MAIN,
        hint: None,
    },
    Binding {
        keys: &[Key::ch(' ')],
        action: Action::Toggle,
        description: "grant / refuse the selected category (required ones are locked)",
        modes: MAIN,
        hint: Some((3, "toggle")),
    },
    Binding {
        keys: &[Key::ch('a')],
        action: Action::AcceptAll,
        description: "accept all categories",
        modes: MAIN,
        hint: Some((1, "accept all")),
    },
    Binding {
        keys: &[Key::ch('r')],
        action: Action::RejectAll,
        description: "reject all categories that are not required",
        modes: MAIN,
        hint: Some((2, "reject all")),
    },
    Binding {
        keys: &[Key::ch('/')],
        action: Action::Filter,
        description: "filter cookies by name or domain",
        modes: MAIN,
        hint: Some((8, "filter")),
    },
    Binding {
        keys: &[Key::plain(K::Enter)],
        action: Action::Open,
        description: "open: cookie details, a category's cookies, a group, a site",
        modes: MAIN,
        hint: Some((9, "details")),
    },
    Binding {
        keys: &[Key::ch('n')],
        action: Action::NextItem,
        description: "next cookie",
        modes: &[M::Details],
        hint: Some((2, "next")),
    },
    Binding {
        keys: &[Key::ch('p')],
        action: Action::PrevItem,
        description: "previous cookie",
        modes: &[M::Details],
        hint: None,
    },
    Binding {
        keys: &[Key::ch('v')],
        action: Action::Reveal,
        description: "reveal / hide cookie values",
        modes: MAIN,
        hint: None,
    },
    Binding {
        keys: &[Key::ch('y')],
        action: Action::Copy,
        description: "copy the selected cookie's value (values shown only; OSC 52)",
        modes: MAIN,
        hint: None,
    },
    Binding {
        keys: &[Key::ch('v')],
        action: Action::Reveal,
        description: "reveal / hide the value",
        modes: &[M::Details],
        hint: Some((3, "value")),
    },
    Binding {
        keys: &[Key::ch('y')],
        action: Action::Copy,
        description: "copy the value to the clipboard (once shown; OSC 52)",
        modes: &[M::Details],
        hint: Some((4, "copy")),
    },
    Binding {
        keys: &[Key::ch('d')],
        action: Action::Mark,
        description: "mark the selected cookie for removal whatever its category (d again unmarks; the next save removes it)",
        modes: &[M::Normal, M::Details],
        hint: Some((7, "delete")),
    },
    Binding {
        keys: &[Key::ch('s')],
        action: Action::Save,
        description: "save: remove what the choice refuses and store the choice",
        modes: &[M::Normal, M::Unsaved],
        hint: Some((4, "save")),
    },
    Binding {
        keys: &[Key::ch('u')],
        action: Action::Undo,
        description: "undo the last save (restore the jar's newest backup)",
        modes: MAIN,
        hint: None,
    },
    Binding {
        keys: &[Key::ch('?')],
        action: Action::Help,
        description: "show / hide this help",
        modes: &[M::Normal, M::Help],
        hint: Some((5, "help")),
    },
    Binding {
        keys: &[Key::ch('q')],
        action: Action::Quit,
        description: "quit (asks first when choices are unsaved)",
        modes: MAIN,
        hint: Some((6, "quit")),
    },
    Binding {
        keys: &[Key::ch('q')],
        action: Action::Back,
        description: "close",
        modes: &[M::Help, M::Details],
        hint: Some((5, "close")),
    },
    Binding {
        keys: &[Key::plain(K::Esc)],
        action: Action::Back,
        description: "back out one level: close, clear the filter, close the other sites' group, then the categories",
        modes: &[M::Normal, M::Help, M::Details],
        hint: None,
    },
    Binding {
        keys: &[Key::plain(K::Esc)],
        action: Action::Back,
        description: "back to the jar, answering nothing",
        modes: &[M::Confirm, M::ConfirmUndo, M::Changed, M::Unsaved],
        hint: Some((9, "back")),
    },
    Binding {
        keys: &[Key::ctrl('c')],
        action: Action::ForceQuit,
        description: "quit at once, saving nothing",
        modes: &[
            M::Normal,
            M::Filter,
            M::Help,
            M::Details,
            M::Confirm,
            M::ConfirmUndo,
            M::Changed,
            M::Unsaved,
        ],
        hint: None,
    },
    Binding {
        keys: &[Key::plain(K::Enter)],
        action: Action::KeepFilter,
        description: "keep the filter",
        modes: &[M::Filter],
        hint: Some((1, "keep")),
    },
    Binding {
        keys: &[Key::plain(K::Esc)],
        action: Action::CancelFilter,
        description: "cancel the filter",
        modes: &[M::Filter],
        hint: Some((2, "cancel")),
    },
    Binding {
        keys: &[Key::plain(K::Backspace)],
        action: Action::Backspace,
        description: "delete a character",
        modes: &[M::Filter],
        hint: None,
    },
    Binding {
        keys: &[Key::ch('y'), Key::plain(K::Enter)],
        action: Action::Yes,
        description: "yes",
        modes: DIALOGS,
        hint: Some((1, "yes")),
    },
    Binding {
        keys: &[Key::ch('n')],
        action: Action::No,
        description: "no",
        modes: DIALOGS,
        hint: Some((2, "no")),
    },
    Binding {
        keys: &[Key::ch('d')],
        action: Action::Discard,
        description: "discard the unsaved choices and quit",
        modes: &[M::Unsaved],
        hint: Some((5, "discard")),
    },
    Binding {
        keys: &[Key::ch('c')],
        action: Action::No,
        description: "cancel: back to the jar",
        modes: &[M::Unsaved],
        hint: Some((6, "cancel")),
    },
];

/// The action of a key in `mode`, if any. In [`Mode::Filter`] every printable
/// key is text; only the keys the table lists for that mode stay special.
pub fn resolve(mode: Mode, event: &KeyEvent) -> Option<Action> {
    let bound = BINDINGS
        .iter()
        .find(|b| b.modes.contains(&mode) && b.keys.iter().any(|k| k.matches(event)));
    if let Some(b) = bound {
        return Some(b.action);
    }
    if mode == Mode::Filter
        && let KeyCode::Char(c) = event.code
        && !event
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    {
        return Some(Action::Text(c));
    }
    None
}

/// The bindings active in `mode`, in table order.
pub fn for_mode(mode: Mode) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |b| b.modes.contains(&mode))
}

/// The hint line of `mode`: `Space toggle · a accept all · …`.
pub fn hints(mode: Mode) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    if mode == Mode::Filter {
        out.push(("type".to_string(), "text"));
    }
    let mut ranked: Vec<(u8, String, &'static str)> = for_mode(mode)
        .filter_map(|b| b.hint.map(|(rank, word)| (rank, b.keys[0].label(), word)))
        .collect();
    ranked.sort_by_key(|(rank, _, _)| *rank);
    for (_, key, word) in ranked {
        // Two keys for one thing share a hint: `j/k scroll`.
        match out.last_mut() {
            Some((keys, w)) if *w == word => {
                keys.push('/');
                keys.push_str(&key);
            }
            _ => out.push((key, word)),
        }
    }
    out
}

/// One line of the help overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    /// A section title.
    Title(&'static str),
    /// Keys and what they do.
    Keys(String, &'static str),
    /// Plain text.
    Text(&'static str),
    /// An empty line.
    Blank,
}

/// The help: every binding of the table, by mode, then the mouse (`mouse`:
/// captured) and the markers.
pub fn help(mouse: bool) -> Vec<HelpLine> {
    let mut lines = Vec::new();
    let order = [
        Mode::Normal,
        Mode::Filter,
        Mode::Details,
        Mode::Confirm,
        Mode::Unsaved,
    ];
    for mode in order {
        lines.push(HelpLine::Title(mode.title()));
        lines.extend(for_mode(mode).map(|b| HelpLine::Keys(b.keys_label(), b.description)));
        if mode == Mode::Filter {
            lines.push(HelpLine::Keys(
                "any other key".into(),
                "is text: the filter matches cookie names and domains",
            ));
        }
        lines.push(HelpLine::Blank);
    }
    lines.push(HelpLine::Title("Mouse"));
    lines.push(HelpLine::Text(if mouse {
        "  click selects; a click on [x]/[ ] toggles; the wheel scrolls (--no-mouse turns it off)"
    } else {
        "  off (--no-mouse)"
    }));
    lines.push(HelpLine::Blank);
    lines.push(HelpLine::Title("Markers"));
    lines.extend(
        [
            "  [x] granted   [ ] refused   (required) cannot be refused",
            "  ✗ remove      the current choice removes this cookie when you save",
            "  ✗ marked      you marked it with d: the next save removes it (d when narrow)",
            "  undeclared ?  the policy does not declare this cookie (? when narrow)",
            "  preferences p the cookie that holds the consent (p when narrow)",
            "  other         another site's cookie: never touched",
            "  > row         the selection    * unsaved   choices not saved yet",
        ]
        .map(HelpLine::Text),
    );
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEventKind;

    fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent {
            code,
            modifiers: mods,
            kind: KeyEventKind::Press,
            state: ratatui::crossterm::event::KeyEventState::NONE,
        }
    }

    #[test]
    fn normal_keys() {
        let n = KeyModifiers::NONE;
        assert_eq!(
            resolve(Mode::Normal, &press(KeyCode::Char('j'), n)),
            Some(Action::Down)
        );
        assert_eq!(
            resolve(Mode::Normal, &press(KeyCode::Down, n)),
            Some(Action::Down)
        );
        assert_eq!(
            resolve(
                Mode::Normal,
                &press(KeyCode::Char('G'), KeyModifiers::SHIFT)
            ),
            Some(Action::Bottom)
        );
        assert_eq!(
            resolve(Mode::Normal, &press(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::PrevPane)
        );
        assert_eq!(
            resolve(
                Mode::Normal,
                &press(KeyCode::Char('c'), KeyModifiers::CONTROL)
            ),
            Some(Action::ForceQuit)
        );
        assert_eq!(resolve(Mode::Normal, &press(KeyCode::Char('x'), n)), None);
    }

    #[test]
    fn filter_mode_takes_text() {
        let n = KeyModifiers::NONE;
        for c in ['q', 's', 'j', '?', ' ', 'G'] {
            assert_eq!(
                resolve(Mode::Filter, &press(KeyCode::Char(c), n)),
                Some(Action::Text(c))
            );
        }
        assert_eq!(
            resolve(Mode::Filter, &press(KeyCode::Esc, n)),
            Some(Action::CancelFilter)
        );
        assert_eq!(
            resolve(Mode::Filter, &press(KeyCode::Enter, n)),
            Some(Action::KeepFilter)
        );
        assert_eq!(
            resolve(
                Mode::Filter,
                &press(KeyCode::Char('c'), KeyModifiers::CONTROL)
            ),
            Some(Action::ForceQuit)
        );
    }

    #[test]
    fn dialogs() {
        let n = KeyModifiers::NONE;
        assert_eq!(
            resolve(Mode::Confirm, &press(KeyCode::Char('y'), n)),
            Some(Action::Yes)
        );
        assert_eq!(resolve(Mode::Confirm, &press(KeyCode::Char('s'), n)), None);
        assert_eq!(
            resolve(Mode::Unsaved, &press(KeyCode::Char('s'), n)),
            Some(Action::Save)
        );
        assert_eq!(
            resolve(Mode::Unsaved, &press(KeyCode::Char('d'), n)),
            Some(Action::Discard)
        );
    }

    #[test]
    fn no_key_is_bound_twice_in_a_mode() {
        for mode in Mode::ALL {
            let keys: Vec<Key> = for_mode(*mode)
                .flat_map(|b| b.keys.iter().copied())
                .collect();
            for (i, k) in keys.iter().enumerate() {
                assert!(!keys[i + 1..].contains(k), "{k:?} bound twice in {mode:?}");
            }
        }
    }

    #[test]
    fn hints_come_from_the_table() {
        let h = hints(Mode::Normal);
        assert!(h.contains(&("Space".to_string(), "toggle")));
        assert!(h.contains(&("q".to_string(), "quit")));
        assert_eq!(hints(Mode::Filter)[0].1, "text");
        assert_eq!(hints(Mode::Details)[0], ("j/k".to_string(), "scroll"));
    }

    #[test]
    fn every_dialog_names_its_keys_from_the_table_esc_included() {
        for mode in [
            Mode::Confirm,
            Mode::ConfirmUndo,
            Mode::Changed,
            Mode::Unsaved,
        ] {
            let h = hints(mode);
            let first = if mode == Mode::Unsaved {
                ("s", "save")
            } else {
                ("y", "yes")
            };
            assert_eq!(h.first(), Some(&(first.0.to_string(), first.1)), "{mode:?}");
            assert_eq!(h.last(), Some(&("Esc".to_string(), "back")), "{mode:?}");
        }
    }
}
