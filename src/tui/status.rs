//! The status line's message.

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

impl Message {
    /// Information.
    pub fn info(text: impl Into<String>) -> Message {
        Message {
            level: Level::Info,
            text: text.into(),
        }
    }

    /// A warning.
    pub fn warn(text: impl Into<String>) -> Message {
        Message {
            level: Level::Warn,
            text: text.into(),
        }
    }
}
