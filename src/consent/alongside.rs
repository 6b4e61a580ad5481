//! The consent records written together with a jar: a save stores each new
//! choice's record at the jar's commit point (and takes it back if the jar
//! is not written), keeps the records it replaced in the backup's note, and
//! the undo of that save puts them back, with a log line each.

use serde_json::{Value, json};
use time::OffsetDateTime;

use super::store::{self, StoreError};
use super::value::{ConsentValue, from_json_text};
use crate::dirs::Dirs;
use crate::jar::save::Companion;
use crate::session::SessionError;

/// One record to write: the new text (`None` removes it), the text it
/// replaces, and the value the log line names.
#[derive(Debug)]
struct Change {
    site: String,
    new: Option<String>,
    old: Option<String>,
    action: &'static str,
    logged: Option<ConsentValue>,
}

/// The record writes of one save or undo.
#[derive(Debug)]
pub struct Records<'d> {
    dirs: &'d Dirs,
    now: OffsetDateTime,
    changes: Vec<Change>,
    /// How many changes were written, and the log's length before them.
    done: usize,
    log_before: Option<u64>,
}

impl<'d> Records<'d> {
    /// The records a save stores: one per new choice.
    pub fn for_save<'v>(
        dirs: &'d Dirs,
        values: impl IntoIterator<Item = &'v ConsentValue>,
        now: OffsetDateTime,
    ) -> Result<Records<'d>, StoreError> {
        let mut changes = Vec::new();
        for v in values {
            let mut text = v.to_json(true);
            text.push('\n');
            changes.push(Change {
                old: store::record_text(dirs, &v.site)?,
                site: v.site.clone(),
                new: Some(text),
                action: "set",
                logged: Some(v.clone()),
            });
        }
        Ok(Records::new(dirs, now, changes))
    }

    /// The records an undo puts back, from the note its save kept
    /// (`[{"site", "before"}]`; a note without records restores none).
    pub fn for_undo(
        dirs: &'d Dirs,
        note: &Value,
        now: OffsetDateTime,
    ) -> Result<Records<'d>, StoreError> {
        let mut changes = Vec::new();
        for r in note.as_array().into_iter().flatten() {
            let Some(site) = r.get("site").and_then(Value::as_str) else {
                continue;
            };
            let new = r.get("before").and_then(Value::as_str).map(str::to_owned);
            let old = store::record_text(dirs, site)?;
            // Logged: the choice put back, or the one withdrawn.
            let (action, logged) = match &new {
                Some(t) => ("undo", from_json_text(t).ok()),
                None => ("reset", old.as_deref().and_then(|t| from_json_text(t).ok())),
            };
            changes.push(Change {
                site: site.to_owned(),
                new,
                old,
                action,
                logged,
            });
        }
        Ok(Records::new(dirs, now, changes))
    }

    fn new(dirs: &'d Dirs, now: OffsetDateTime, changes: Vec<Change>) -> Records<'d> {
        Records {
            dirs,
            now,
            changes,
            done: 0,
            log_before: None,
        }
    }

    /// The record files written (or removed), in order.
    pub fn paths(&self) -> Vec<std::path::PathBuf> {
        self.changes
            .iter()
            .filter_map(|c| store::record_path(self.dirs, &c.site).ok())
            .collect()
    }

    fn write_all(&mut self) -> Result<(), StoreError> {
        self.log_before = Some(store::log_len(self.dirs)?);
        for i in 0..self.changes.len() {
            let c = &self.changes[i];
            store::put_record_text(self.dirs, &c.site, c.new.as_deref())?;
            self.done = i + 1;
        }
        for c in &self.changes {
            if let Some(v) = &c.logged {
                store::append_log(self.dirs, v, c.action, self.now)?;
            }
        }
        Ok(())
    }
}

impl Companion for Records<'_> {
    type Error = SessionError;

    fn note(&self) -> Value {
        Value::Array(
            self.changes
                .iter()
                .map(|c| json!({ "site": c.site, "before": c.old }))
                .collect(),
        )
    }

    fn write(&mut self) -> Result<(), SessionError> {
        if self.changes.is_empty() {
            return Ok(());
        }
        self.write_all().map_err(|e| {
            self.roll_back();
            e.into()
        })
    }

    fn roll_back(&mut self) {
        for c in self.changes[..self.done].iter().rev() {
            let _ = store::put_record_text(self.dirs, &c.site, c.old.as_deref());
        }
        self.done = 0;
        if let Some(len) = self.log_before.take()
            && store::log_len(self.dirs).is_ok_and(|now| now > len)
        {
            let _ = store::cut_log(self.dirs, len);
        }
    }
}
